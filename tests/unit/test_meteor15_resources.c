/* METEOR 1.5 resources and errors: paraphrase tables (good and malformed),
 * missing WordNet files, METEOR data files, invalid input, the search quirks
 * and the corpus aggregation rule. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "metrics/meteor15.h"
#include "p2ceval.h"
#include "testutil.h"

static const char *write_file(const char *name, const char *data, size_t len, int gz)
{
  const char *path = p2ct_tmp_path(name);
  if (gz) {
    gzFile f = gzopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    if (len) ck_assert_int_eq(gzwrite(f, data, (unsigned)len), (int)len);
    ck_assert_int_eq(gzclose(f), Z_OK);
  } else {
    p2ct_write_file(path, data, len);
  }
  return path;
}

static int have_wordnet(void)
{
  struct stat st;
  return stat("/usr/share/wordnet/index.noun", &st) == 0;
}

static int load_table(const char *text, size_t len, int gz, p2ci_m15_paraphrase **p, p2c_error *e)
{
  return p2ci_m15_paraphrase_load(write_file("table.gz", text, len, gz), p, e);
}

START_TEST(paraphrase_tables_load)
{
  p2ci_m15_paraphrase *p = NULL;
  p2c_error e;
  static const char ok[] = "0.5\nin front of\nbefore\n1.0E-7\n  near   by\t\nnearby\n";
  ck_assert_int_eq(load_table(ok, strlen(ok), 1, &p, &e), 0);
  ck_assert_uint_eq(p2ci_m15_paraphrase_entries(p), 2);
  ck_assert_int_ge(p2ci_m15_paraphrase_word(p, "near", 4), 0);
  ck_assert_int_eq(p2ci_m15_paraphrase_word(p, "near by", 7), -1);
  p2ci_m15_paraphrase_free(p);
  /* CRLF line ends, no final newline, uncompressed */
  static const char crlf[] = "x\r\na b\r\nc\r\ny\r\nd\r\ne";
  ck_assert_int_eq(load_table(crlf, strlen(crlf), 0, &p, &e), 0);
  ck_assert_uint_eq(p2ci_m15_paraphrase_entries(p), 2);
  p2ci_m15_paraphrase_free(p);
  /* empty gzip stream: no entries */
  ck_assert_int_eq(load_table("", 0, 1, &p, &e), 0);
  ck_assert_uint_eq(p2ci_m15_paraphrase_entries(p), 0);
  p2ci_m15_paraphrase_free(p);
  p2ci_m15_paraphrase_free(NULL);
}
END_TEST

START_TEST(paraphrase_tables_malformed)
{
  p2ci_m15_paraphrase *p = NULL;
  p2c_error e;
  static const char four[] = "0.5\na\nb\n0.5\n";
  ck_assert_int_eq(load_table(four, strlen(four), 1, &p, &e), P2C_ERR_PARSE);
  ck_assert_ptr_null(p);
  ck_assert_ptr_nonnull(strstr(e.message, "records of 3 lines"));
  static const char blank[] = "0.5\na\nb\n\n";
  ck_assert_int_eq(load_table(blank, strlen(blank), 1, &p, &e), P2C_ERR_PARSE);
  static const char badutf[] = "0.5\na\xff\nb\n";
  ck_assert_int_eq(load_table(badutf, strlen(badutf), 1, &p, &e), P2C_ERR_PARSE);
  ck_assert_ptr_nonnull(strstr(e.message, "line 2: invalid UTF-8"));
  static const char empty2[] = "0.5\na\n \n";
  ck_assert_int_eq(load_table(empty2, strlen(empty2), 1, &p, &e), P2C_ERR_PARSE);
  ck_assert_ptr_nonnull(strstr(e.message, "empty second phrase"));
  /* a gzip stream cut short */
  const char *full = write_file("full.gz", "0.5\na b c d e f\ng h i j\n", 24, 1);
  FILE *f = fopen(full, "rb");
  unsigned char buf[256];
  size_t n = fread(buf, 1, sizeof buf, f);
  fclose(f);
  ck_assert_int_eq(load_table((const char *)buf, n - 6, 0, &p, &e), P2C_ERR_PARSE);
  ck_assert_ptr_nonnull(strstr(e.message, "gzip"));
  char missing[400];
  snprintf(missing, sizeof missing, "%s/none.gz", p2ct_tmpdir);
  ck_assert_int_eq(p2ci_m15_paraphrase_load(missing, &p, &e), P2C_ERR_IO);
  ck_assert_ptr_nonnull(strstr(e.message, "none.gz"));
}
END_TEST

START_TEST(create_reports_missing_and_malformed_files)
{
  p2c_meteor15_options o = P2C_METEOR15_OPTIONS_INIT;
  p2c_meteor15 *m = (p2c_meteor15 *)1;
  p2c_error e;
  o.wordnet_dir = p2ct_tmpdir; /* no WordNet files there: the first one read is named */
  ck_assert_int_eq(p2c_meteor15_create(&o, &m, &e), P2C_ERR_IO);
  ck_assert_ptr_null(m);
  ck_assert_ptr_nonnull(strstr(e.message, "index.noun"));
  /* METEOR data dir with an odd number of lines in english.synsets */
  write_file("english.exceptions", "child\nchildren\n", 15, 0);
  write_file("english.synsets", "dog\n1 2\ncat\n", 12, 0);
  o.wordnet_dir = NULL;
  o.meteor_data_dir = p2ct_tmpdir;
  ck_assert_int_eq(p2c_meteor15_create(&o, &m, &e), P2C_ERR_PARSE);
  ck_assert_ptr_nonnull(strstr(e.message, "english.synsets"));
  write_file("english.synsets", "dog\n1 x\n", 8, 0);
  ck_assert_int_eq(p2c_meteor15_create(&o, &m, &e), P2C_ERR_PARSE);
  ck_assert_ptr_nonnull(strstr(e.message, "not a synset id"));
  o.version = 99;
  ck_assert_int_eq(p2c_meteor15_create(&o, &m, &e), P2C_ERR_VERSION);
  p2c_meteor15_free(NULL);
}
END_TEST

/* A tiny METEOR data folder, so these tests need neither WordNet nor ../shared. */
static p2c_meteor15 *make_small(const char *para)
{
  static const char exc[] = "child\nchildren\n";
  static const char syn[] = "sofa\n4256520\ncouch\n4256520 100\nchild\n9917593\n";
  write_file("english.exceptions", exc, strlen(exc), 0);
  write_file("english.synsets", syn, strlen(syn), 0);
  p2c_meteor15_options o = P2C_METEOR15_OPTIONS_INIT;
  o.meteor_data_dir = p2ct_tmpdir;
  o.paraphrase_path = para;
  p2c_meteor15 *m = NULL;
  p2c_error e;
  ck_assert_msg(p2c_meteor15_create(&o, &m, &e) == 0, "%s", e.message);
  return m;
}

static double score1(p2c_meteor15 *m, const char *hyp, const char *ref, double *stats)
{
  double s = -1, st[23];
  const char *refs[1] = {ref};
  ck_assert_msg(p2c_meteor15_score(m, hyp, refs, 1, &s, stats ? stats : st) == 0, "%s",
                p2c_meteor15_last_error(m));
  return s;
}

START_TEST(scores_and_quirks)
{
  p2c_meteor15 *m = make_small(NULL);
  ck_assert_str_eq(p2c_meteor15_variant(m), "meteor-1.5-nopara");
  double st[23];
  ck_assert(score1(m, "a cat on a mat", "A CAT ON A MAT", st) == 1.0);
  ck_assert(st[20] == 1.0 && st[21] == 5.0);
  /* one-word stem match not definite (exact "the" elsewhere is fine): the int
   * truncation makes it worth 0 in the search, so it is kept only when free */
  ck_assert(score1(m, "blorfs", "blorf", st) == 0.6);
  ck_assert(st[8] == 1.0);
  ck_assert(score1(m, "the sofa", "the couch", st) > 0.84);
  ck_assert(st[12] == 1.0);
  ck_assert(score1(m, "three children", "three child", st) > 0.89); /* exceptions */
  ck_assert(st[12] == 1.0);
  ck_assert(score1(m, "", "a cat on a sofa", st) == 0.05128205128205128); /* hyp "a" */
  const char *refs[2] = {"x", "y"};
  double s;
  ck_assert_int_eq(p2c_meteor15_score(m, "   ", refs, 1, &s, NULL), P2C_ERR_EMPTY);
  ck_assert_int_eq(p2c_meteor15_score(m, "|||", refs, 1, &s, NULL), P2C_ERR_EMPTY);
  ck_assert_int_eq(p2c_meteor15_score(m, "a\xC3", refs, 1, &s, NULL), P2C_ERR_PARSE);
  ck_assert_ptr_nonnull(strstr(p2c_meteor15_last_error(m), "hypothesis: invalid UTF-8 at byte 1"));
  refs[1] = "b\xFF";
  ck_assert_int_eq(p2c_meteor15_score(m, "a", refs, 2, &s, NULL), P2C_ERR_PARSE);
  ck_assert_ptr_nonnull(strstr(p2c_meteor15_last_error(m), "reference 1"));
  p2c_meteor15_free(m);
}
END_TEST

START_TEST(paraphrase_module_matches)
{
  static const char table[] = "0.5\nin front of\nbefore\n";
  const char *path = write_file("pp.gz", table, strlen(table), 1);
  char copy[400];
  snprintf(copy, sizeof copy, "%s", path);
  p2c_meteor15 *m = make_small(copy);
  ck_assert_str_eq(p2c_meteor15_variant(m), "meteor-1.5");
  double st[23];
  double with = score1(m, "a dog sitting in front of the house", "a dog sitting before the house", st);
  ck_assert(st[16] == 1.0 && st[18] == 2.0 && st[17] == 1.0 && st[19] == 0.0);
  p2c_meteor15_free(m);
  m = make_small(NULL);
  double without = score1(m, "a dog sitting in front of the house", "a dog sitting before the house", st);
  ck_assert(st[16] == 0.0);
  ck_assert(with > without);
  p2c_meteor15_free(m);
}
END_TEST

START_TEST(corpus_aggregation_skips_perfect_chunks)
{
  double acc[23] = {0};
  double perfect[23] = {2, 2, 0, 0, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 2};
  double other[23] = {3, 2, 0, 0, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 2};
  p2c_meteor15_stats_add(acc, perfect);
  ck_assert(acc[20] == 0.0 && acc[0] == 2.0);
  p2c_meteor15_stats_add(acc, other);
  ck_assert(acc[20] == 1.0 && acc[0] == 5.0 && acc[21] == 4.0);
  ck_assert(p2c_meteor15_stats_score(perfect) == 1.0);
  double none[23] = {1, 1};
  ck_assert(p2c_meteor15_stats_score(none) == 0.0); /* NaN -> 0 */
}
END_TEST

START_TEST(default_wordnet_synonyms)
{
  if (!have_wordnet()) {
    printf("SKIP default_wordnet_synonyms: /usr/share/wordnet not installed\n");
    return;
  }
  p2c_meteor15 *m = NULL;
  p2c_error e;
  ck_assert_int_eq(p2c_meteor15_create(NULL, &m, &e), 0);
  double st[23];
  /* synonyms (edge.jsonl syn_* cases) */
  ck_assert(score1(m, "a big dog", "a large dog", st) == 0.9142857142857143);
  ck_assert(score1(m, "two automobiles", "two cars", st) == 0.8500000000000001);
  ck_assert(score1(m, "he went home", "he go home", st) == 0.9142857142857143);
  /* the Java int truncation: a contested one-word stem match is worth 0 */
  ck_assert(score1(m, "dogs", "dog", st) == 0.0);
  ck_assert(score1(m, "the dogs", "the dog", st) == 0.6999999999999998);
  p2c_meteor15_free(m);
}
END_TEST

/* Deterministic mutation fuzzing of the paraphrase table loader: every
 * mutated table loads or fails with a clean parse error, and a loaded one
 * scores without failing. (Run under `make asan` / `make ubsan` too.) */
START_TEST(paraphrase_loader_mutations)
{
  static const char base[] = "0.5\nin front of\nbefore\n1.0E-7\n  near   by\t\nnearby\n0.1\n"
                             "caf\xC3\xA9\ncoffee shop\n0.2\na lot of\nmany\n";
  unsigned long long r = 0x9E3779B97F4A7C15ull;
  char buf[256];
  size_t loaded = 0, rejected = 0;
  for (int it = 0; it < 400; it++) {
    size_t n = sizeof base - 1;
    memcpy(buf, base, n);
    for (int k = 0; k < 1 + it % 4 && n > 0; k++) {
      r ^= r << 13, r ^= r >> 7, r ^= r << 17;
      size_t at = (size_t)(r % n);
      switch ((r >> 32) % 5) {
      case 0: buf[at] = (char)(r >> 40); break;                  /* any byte */
      case 1: buf[at] = "\n\r \t|"[(r >> 40) % 5]; break;         /* structure */
      case 2: n = at; break;                                      /* truncate */
      case 3: memmove(buf + at, buf + at + 1, n - at - 1); n--; break; /* delete */
      default:
        if (n + 1 < sizeof buf) {
          memmove(buf + at + 1, buf + at, n - at);
          buf[at] = '\n';
          n++;
        }
      }
    }
    p2ci_m15_paraphrase *p = NULL;
    p2c_error e;
    int rc = load_table(buf, n, (int)(it & 1), &p, &e);
    if (rc == 0) {
      loaded++;
      ck_assert_ptr_nonnull(p);
      p2ci_m15_paraphrase_free(p);
      if (loaded % 16 == 1) { /* and a handle using it scores */
        char path[400];
        snprintf(path, sizeof path, "%s/table.gz", p2ct_tmpdir);
        p2c_meteor15 *mt = make_small(path);
        double st[23];
        double sc = score1(mt, "a lot of people in front of a caf\xC3\xA9", "many people before a coffee shop", st);
        ck_assert(sc >= 0.0 && sc <= 1.0);
        p2c_meteor15_free(mt);
      }
    } else {
      ck_assert_msg(rc == P2C_ERR_PARSE, "mutation %d: status %d (%s)", it, rc, e.message);
      ck_assert_ptr_null(p);
      rejected++;
    }
  }
  printf("paraphrase loader mutations: %zu loaded, %zu rejected with a parse error\n", loaded,
         rejected);
  ck_assert_uint_gt(loaded, 0);
  ck_assert_uint_gt(rejected, 0);
}
END_TEST

static Suite *suite(void)
{
  Suite *s = suite_create("meteor15_resources");
  TCase *tc = tcase_create("resources");
  tcase_add_checked_fixture(tc, p2ct_tmpdir_make, p2ct_tmpdir_remove);
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, paraphrase_tables_load);
  tcase_add_test(tc, paraphrase_tables_malformed);
  tcase_add_test(tc, create_reports_missing_and_malformed_files);
  tcase_add_test(tc, scores_and_quirks);
  tcase_add_test(tc, paraphrase_module_matches);
  tcase_add_test(tc, corpus_aggregation_skips_perfect_chunks);
  tcase_add_test(tc, default_wordnet_synonyms);
  tcase_add_test(tc, paraphrase_loader_mutations);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return p2ct_run(suite()); }
