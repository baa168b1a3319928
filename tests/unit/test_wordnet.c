/* WordNet reader: loading, errors, and NLTK 3.8 parity of morphy, synsets and
 * lemma names on 17,260 words (tests/data/wordnet_nltk.txt.gz, written by
 * tools/gen_wordnet_golden.py with Debian's NLTK 3.8 and WordNet 3.0). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "p2ceval.h"
#include "testutil.h"
#include "text/wordnet.h"

static p2ci_wordnet *wn_or_skip(void)
{
  p2ci_wordnet *wn = NULL;
  p2c_error err;
  if (p2ci_wordnet_open(NULL, &wn, &err) != 0) {
    printf("SKIP WordNet tests: %s\n", err.message);
    return NULL;
  }
  return wn;
}

/* "a b c" vs a list of views. */
static int same_list(const char *expected, const p2ci_wn_strs *got)
{
  char buf[4096];
  size_t o = 0;
  for (size_t k = 0; k < got->n; k++) {
    if (o + got->v[k].len + 2 >= sizeof buf) return 0;
    if (k) buf[o++] = ' ';
    memcpy(buf + o, got->v[k].ptr, got->v[k].len);
    o += got->v[k].len;
  }
  buf[o] = '\0';
  return strcmp(buf, expected) == 0;
}

START_TEST(opens_and_counts)
{
  p2ci_wordnet *wn = wn_or_skip();
  if (!wn) return;
  /* WordNet 3.0: 147,306 distinct lemma strings over the four index files. */
  ck_assert_uint_eq(p2ci_wordnet_num_lemmas(wn), 147306);
  ck_assert_str_eq(p2ci_wordnet_dir(wn), P2CI_WORDNET_DEFAULT_DIR);
  ck_assert(p2ci_wordnet_in_index(wn, "dog", 3, P2CI_WORDNET_NOUN));
  ck_assert(p2ci_wordnet_in_index(wn, "dog", 3, P2CI_WORDNET_VERB));
  ck_assert(!p2ci_wordnet_in_index(wn, "dog", 3, P2CI_WORDNET_ADJ));
  ck_assert(!p2ci_wordnet_in_index(wn, "dogs", 4, P2CI_WORDNET_ANY));
  ck_assert(p2ci_wordnet_in_index(wn, "ice_cream", 9, P2CI_WORDNET_NOUN));
  p2ci_wn_synsets idx = {0};
  ck_assert_int_eq(p2ci_wordnet_index_synsets(wn, "dog", 3, P2CI_WORDNET_NOUN, &idx), 0);
  ck_assert_uint_eq(idx.n, 7);
  ck_assert_uint_eq(idx.v[0].offset, 2084071);
  ck_assert_uint_eq(idx.v[6].offset, 2710044);
  ck_assert_int_eq(p2ci_wordnet_index_synsets(wn, "dogs", 4, P2CI_WORDNET_NOUN, &idx), 0);
  ck_assert_uint_eq(idx.n, 0);
  p2ci_wn_synsets_free(&idx);
  p2ci_wn_synset ss = {P2CI_WORDNET_NOUN, 2084071};
  ck_assert_int_eq(p2ci_wordnet_synset_type(wn, ss), 'n');
  p2ci_wn_strs names = {0};
  ck_assert_int_eq(p2ci_wordnet_lemma_names(wn, ss, &names), 0);
  ck_assert(same_list("dog domestic_dog Canis_familiaris", &names));
  ss.offset = 2084072; /* not the start of a line */
  ck_assert_int_eq(p2ci_wordnet_lemma_names(wn, ss, &names), P2C_ERR_NOT_FOUND);
  ss.offset = 4000000000u;
  ck_assert_int_eq(p2ci_wordnet_lemma_names(wn, ss, &names), P2C_ERR_NOT_FOUND);
  p2ci_wn_strs_free(&names);
  p2ci_wordnet_free(wn);
}
END_TEST

START_TEST(morphy_cases)
{
  p2ci_wordnet *wn = wn_or_skip();
  if (!wn) return;
  p2ci_wn_strs out = {0};
  /* NLTK's morphy docstring examples */
  ck_assert_int_eq(p2ci_wordnet_morphy(wn, "dogs", 4, P2CI_WORDNET_NOUN, &out), 0);
  ck_assert(same_list("dog", &out));
  ck_assert_int_eq(p2ci_wordnet_morphy(wn, "churches", 8, P2CI_WORDNET_NOUN, &out), 0);
  ck_assert(same_list("church", &out));
  ck_assert_int_eq(p2ci_wordnet_morphy(wn, "aardwolves", 10, P2CI_WORDNET_NOUN, &out), 0);
  ck_assert(same_list("aardwolf", &out));
  ck_assert_int_eq(p2ci_wordnet_morphy(wn, "abaci", 5, P2CI_WORDNET_NOUN, &out), 0);
  ck_assert(same_list("abacus", &out));
  ck_assert_int_eq(p2ci_wordnet_morphy(wn, "hardrock", 8, P2CI_WORDNET_ADV, &out), 0);
  ck_assert_uint_eq(out.n, 0);
  ck_assert_int_eq(p2ci_wordnet_morphy(wn, "book", 4, P2CI_WORDNET_ADJ, &out), 0);
  ck_assert_uint_eq(out.n, 0);
  /* an exception entry ends the search even when it yields nothing else */
  ck_assert_int_eq(p2ci_wordnet_morphy(wn, "geese", 5, P2CI_WORDNET_NOUN, &out), 0);
  ck_assert(same_list("goose", &out));
  ck_assert_int_eq(p2ci_wordnet_morphy(wn, "bigger", 6, P2CI_WORDNET_ADJ, &out), 0);
  ck_assert(same_list("bigger big", &out));
  /* case is not folded by morphy */
  ck_assert_int_eq(p2ci_wordnet_morphy(wn, "Dogs", 4, P2CI_WORDNET_NOUN, &out), 0);
  ck_assert_uint_eq(out.n, 0);
  ck_assert_int_eq(p2ci_wordnet_morphy(wn, "dogs", 4, P2CI_WORDNET_ANY, &out), P2C_ERR_INVALID_ARG);
  /* a pathological form stays fast (forms are deduplicated level by level) */
  char adv[200];
  for (size_t i = 0; i < sizeof adv; i += 2) memcpy(adv + i, "es", 2);
  ck_assert_int_eq(p2ci_wordnet_morphy(wn, adv, sizeof adv, P2CI_WORDNET_VERB, &out), 0);
  p2ci_wn_strs_free(&out);
  p2ci_wordnet_free(wn);
}
END_TEST

START_TEST(synsets_lowercase_and_utf8)
{
  p2ci_wordnet *wn = wn_or_skip();
  if (!wn) return;
  p2ci_wn_synsets a = {0}, b = {0};
  ck_assert_int_eq(p2ci_wordnet_synsets(wn, "DOGS", 4, P2CI_WORDNET_ANY, &a), 0);
  ck_assert_int_eq(p2ci_wordnet_synsets(wn, "dog", 3, P2CI_WORDNET_ANY, &b), 0);
  ck_assert_uint_eq(a.n, 8);
  ck_assert_uint_eq(b.n, 8);
  ck_assert_int_eq(memcmp(a.v, b.v, a.n * sizeof *a.v), 0);
  ck_assert_int_eq(p2ci_wordnet_synsets(wn, "dog", 3, P2CI_WORDNET_VERB, &b), 0);
  ck_assert_uint_eq(b.n, 1);
  ck_assert_uint_eq(b.v[0].offset, 2001876);
  /* U+212A KELVIN SIGN lowercases to ASCII k in Python */
  ck_assert_int_eq(p2ci_wordnet_synsets(wn, "\xe2\x84\xaaing", 6, P2CI_WORDNET_ANY, &a), 0);
  ck_assert_int_eq(p2ci_wordnet_synsets(wn, "king", 4, P2CI_WORDNET_ANY, &b), 0);
  ck_assert_uint_eq(a.n, b.n);
  ck_assert_uint_gt(a.n, 0);
  ck_assert_int_eq(p2ci_wordnet_synsets(wn, "d\xffg", 3, P2CI_WORDNET_ANY, &a), P2C_ERR_INVALID_ARG);
  p2ci_wn_synsets_free(&a);
  p2ci_wn_synsets_free(&b);
  p2ci_wordnet_free(wn);
}
END_TEST

static int split_tabs(char *line, char **cols, int max)
{
  int n = 0;
  cols[n++] = line;
  for (char *p = line; *p && n < max; p++)
    if (*p == '\t') {
      *p = '\0';
      cols[n++] = p + 1;
    }
  return n;
}

START_TEST(nltk_parity_on_word_sample)
{
  p2ci_wordnet *wn = wn_or_skip();
  if (!wn) return;
  const char *path = "tests/data/wordnet_nltk.txt.gz";
  gzFile f = gzopen(path, "rb");
  ck_assert_msg(f != NULL, "cannot open %s", path);
  static char line[1 << 16];
  p2ci_wn_strs forms = {0};
  p2ci_wn_synsets syn = {0};
  size_t words = 0, morphy_ok = 0, synsets_ok = 0, synsets_total = 0, names = 0, names_ok = 0;
  while (gzgets(f, line, sizeof line)) {
    size_t L = strlen(line);
    if (L && line[L - 1] == '\n') line[--L] = '\0';
    char *cols[8];
    if (line[0] == '@' && line[1] == ' ') {
      int nc = split_tabs(line + 2, cols, 2);
      ck_assert_int_eq(nc, 2);
      static const char letters[] = "nvar";
      p2ci_wn_synset ss = {(int)(strchr(letters, cols[0][0]) - letters),
                           (uint32_t)strtoul(cols[0] + 1, NULL, 10)};
      names++;
      if (p2ci_wordnet_lemma_names(wn, ss, &forms) == 0 && same_list(cols[1], &forms)) names_ok++;
      else printf("lemma names differ: %s\n", cols[0]);
      continue;
    }
    int nc = split_tabs(line, cols, 6);
    ck_assert_int_eq(nc, 6);
    words++;
    const char *w = cols[0];
    for (int p = 0; p < P2CI_WORDNET_NPOS; p++) {
      ck_assert_int_eq(p2ci_wordnet_morphy(wn, w, strlen(w), p, &forms), 0);
      if (same_list(cols[1 + p], &forms))
        morphy_ok++;
      else
        printf("morphy(%s, %c) differs: NLTK [%s]\n", w, p2ci_wordnet_pos_char(p), cols[1 + p]);
    }
    ck_assert_int_eq(p2ci_wordnet_synsets(wn, w, strlen(w), P2CI_WORDNET_ANY, &syn), 0);
    char buf[1 << 14];
    size_t o = 0;
    for (size_t k = 0; k < syn.n && o + 12 < sizeof buf; k++)
      o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%c%08u", k ? " " : "",
                            p2ci_wordnet_pos_char(syn.v[k].pos), (unsigned)syn.v[k].offset);
    buf[o] = '\0';
    synsets_total += syn.n;
    if (strcmp(buf, cols[5]) == 0)
      synsets_ok++;
    else
      printf("synsets(%s) differ\n", w);
  }
  gzclose(f);
  printf("wordnet parity: %zu words, morphy %zu/%zu identical, synsets %zu/%zu identical "
         "(%zu synsets), lemma_names %zu/%zu identical\n",
         words, morphy_ok, 4 * words, synsets_ok, words, synsets_total, names_ok, names);
  ck_assert_uint_eq(words, 17260);
  ck_assert_uint_eq(morphy_ok, 4 * words);
  ck_assert_uint_eq(synsets_ok, words);
  ck_assert_uint_eq(names, 12213);
  ck_assert_uint_eq(names_ok, names);
  p2ci_wn_strs_free(&forms);
  p2ci_wn_synsets_free(&syn);
  p2ci_wordnet_free(wn);
}
END_TEST

START_TEST(missing_folder_and_files_are_errors)
{
  p2ci_wordnet *wn = (p2ci_wordnet *)1;
  p2c_error err;
  ck_assert_int_eq(p2ci_wordnet_open("/nonexistent/wordnet", &wn, &err), P2C_ERR_IO);
  ck_assert_ptr_null(wn);
  ck_assert_ptr_nonnull(strstr(err.message, "/nonexistent/wordnet"));
  /* a folder with only some of the files: the error names the first missing one */
  char dir[] = "/tmp/p2c_wn_XXXXXX";
  ck_assert_ptr_nonnull(mkdtemp(dir));
  char path[256];
  snprintf(path, sizeof path, "%s/index.noun", dir);
  p2ct_write_text(path, "  1 licence line\ndog n 1 0 1 0 02084071  \n");
  ck_assert_int_eq(p2ci_wordnet_open(dir, &wn, &err), P2C_ERR_IO);
  ck_assert_ptr_nonnull(strstr(err.message, "data.noun"));
  /* the environment variable is used when no folder is given */
  setenv(P2CI_WORDNET_ENV, dir, 1);
  ck_assert_str_eq(p2ci_wordnet_resolve_dir(NULL), dir);
  ck_assert_str_eq(p2ci_wordnet_resolve_dir("/x"), "/x");
  ck_assert_int_eq(p2ci_wordnet_open(NULL, &wn, &err), P2C_ERR_IO);
  ck_assert_ptr_nonnull(strstr(err.message, dir));
  unsetenv(P2CI_WORDNET_ENV);
  ck_assert_str_eq(p2ci_wordnet_resolve_dir(""), P2CI_WORDNET_DEFAULT_DIR);
  /* malformed index line: error with file and line */
  const char *names[] = {"data.noun", "noun.exc", "index.verb", "data.verb", "verb.exc",
                         "index.adj", "data.adj", "adj.exc", "index.adv", "data.adv", "adv.exc"};
  for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
    snprintf(path, sizeof path, "%s/%s", dir, names[k]);
    p2ct_write_text(path, "");
  }
  ck_assert_int_eq(p2ci_wordnet_open(dir, &wn, &err), 0);
  ck_assert_uint_eq(p2ci_wordnet_num_lemmas(wn), 1);
  p2ci_wordnet_free(wn);
  snprintf(path, sizeof path, "%s/index.verb", dir);
  p2ct_write_text(path, "run v 2 0 1 0 00001 \n"); /* 2 synsets announced, sense count 1 */
  ck_assert_int_eq(p2ci_wordnet_open(dir, &wn, &err), P2C_ERR_PARSE);
  ck_assert_ptr_nonnull(strstr(err.message, "index.verb, line 1"));
  p2ct_rmtree(dir);
}
END_TEST

/* One folder opened twice with open_shared is one handle; plain open is not.
 * noun.exc lists "aurar" on two lines: NLTK's morphy sees the last one, the
 * store's exception lines (METEOR, SPICE) both. */
START_TEST(shared_handles_and_exception_lines)
{
  p2ci_wordnet *wn = wn_or_skip();
  if (!wn) return;
  p2c_error err;
  p2ci_wordnet *a = NULL, *b = NULL;
  ck_assert_int_eq(p2ci_wordnet_open_shared(p2ci_wordnet_dir(wn), &a, &err), 0);
  ck_assert_int_eq(p2ci_wordnet_open_shared(p2ci_wordnet_dir(wn), &b, &err), 0);
  ck_assert_ptr_eq(a, b);
  ck_assert_ptr_ne(a, wn);
  p2ci_wordnet_free(a);
  p2ci_wordnet_free(b); /* the last owner: unlisted and released */
  ck_assert_int_eq(p2ci_wordnet_open_shared(p2ci_wordnet_dir(wn), &a, &err), 0);
  ck_assert_uint_eq(p2ci_wordnet_num_lemmas(a), 147306);
  p2ci_wordnet_free(a);
  ck_assert_int_eq(p2ci_wordnet_open_shared("/nonexistent/wordnet", &a, &err), P2C_ERR_IO);
  ck_assert_ptr_null(a);

  p2ci_wn_strs l = {0};
  ck_assert_int_eq(p2ci_wordnet_exc_bases(wn, "aurar", 5, P2CI_WORDNET_NOUN, &l), 0);
  ck_assert(same_list("eyir eyrir", &l));
  ck_assert_int_eq(p2ci_wordnet_morphy(wn, "aurar", 5, P2CI_WORDNET_NOUN, &l), 0);
  ck_assert(same_list("eyrir", &l));
  ck_assert_int_eq(p2ci_wordnet_exc_bases(wn, "dogs", 4, P2CI_WORDNET_NOUN, &l), 0);
  ck_assert_uint_eq(l.n, 0);
  p2ci_wn_synsets ss = {0};
  ck_assert_int_eq(p2ci_wordnet_index_synsets(wn, "dog", 3, P2CI_WORDNET_ANY, &ss), 0);
  ck_assert_uint_eq(ss.n, 8); /* 7 noun senses, then 1 verb sense */
  ck_assert_int_eq(ss.v[0].pos, P2CI_WORDNET_NOUN);
  ck_assert_int_eq(ss.v[7].pos, P2CI_WORDNET_VERB);
  p2ci_wn_synsets_free(&ss);
  p2ci_wn_strs_free(&l);
  p2ci_wordnet_free(wn);
}
END_TEST

static Suite *suite(void)
{
  Suite *s = suite_create("wordnet");
  TCase *tc = tcase_create("wordnet");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, opens_and_counts);
  tcase_add_test(tc, morphy_cases);
  tcase_add_test(tc, synsets_lowercase_and_utf8);
  tcase_add_test(tc, nltk_parity_on_word_sample);
  tcase_add_test(tc, missing_folder_and_files_are_errors);
  tcase_add_test(tc, shared_handles_and_exception_lines);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return p2ct_run(suite()); }
