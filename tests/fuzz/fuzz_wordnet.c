/* The WordNet dict reader (text/wordnet.c) and METEOR 1.5's synonym loaders
 * (metrics/meteor15_synonyms.c). The input is up to 14 files separated by
 * the line "@@": index.{noun,verb,adj,adv}, data.{...}, {...}.exc, then
 * METEOR's english.synsets and english.exceptions; missing ones are empty. */
#include "fuzz.h"
#include "text/wordnet.h"
#include "metrics/meteor15.h"

static const char *const names[] = {
    "wn/index.noun", "wn/index.verb", "wn/index.adj", "wn/index.adv", "wn/data.noun",
    "wn/data.verb",  "wn/data.adj",   "wn/data.adv",  "wn/noun.exc",  "wn/verb.exc",
    "wn/adj.exc",    "wn/adv.exc",    "wn/english.synsets", "wn/english.exceptions"};
static const char *const words[] = {"dog", "dogs", "running", "better", "geese", "a", "",
                                    "ice_cream", "Dog", "\xc3\x89t\xc3\xa9"};

static void query_wordnet(const p2ci_wordnet *wn)
{
  p2ci_wn_synsets ss = {0};
  p2ci_wn_strs strs = {0};
  for (size_t w = 0; w < sizeof words / sizeof *words; w++) {
    size_t len = strlen(words[w]);
    if (p2ci_wordnet_synsets(wn, words[w], len, P2CI_WORDNET_ANY, &ss) != 0) continue;
    for (size_t k = 0; k < ss.n; k++) {
      p2ci_wordnet_lemma_names(wn, ss.v[k], &strs);
      p2ci_wordnet_synset_type(wn, ss.v[k]);
    }
    for (int pos = 0; pos < P2CI_WORDNET_NPOS; pos++) {
      p2ci_wordnet_morphy(wn, words[w], len, pos, &strs);
      p2ci_wordnet_in_index(wn, words[w], len, pos);
    }
  }
  p2ci_wordnet_num_lemmas(wn);
  p2ci_wn_synsets_free(&ss);
  p2ci_wn_strs_free(&strs);
}

static void query_synonyms(const p2ci_m15_synonyms *s)
{
  int32_t *sets = NULL;
  size_t cap = 0;
  for (size_t w = 0; w < sizeof words / sizeof *words; w++)
    if (p2ci_m15_synonyms_sets(s, words[w], strlen(words[w]), &sets, &cap) < 0) abort();
  free(sets);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const char *dir = NULL;
  for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
    const uint8_t *rest = NULL;
    size_t rest_size = 0;
    size_t n = data ? fuzz_split(data, size, "\n@@\n", &rest, &rest_size) : 0;
    const char *path = fuzz_write(names[k], data, n);
    if (!dir) {
      static char d[4352];
      snprintf(d, sizeof d, "%.*s", (int)(strrchr(path, '/') - path), path);
      dir = d;
    }
    data = rest;
    size = rest_size;
  }
  p2c_error err;
  p2ci_wordnet *wn = NULL;
  if (p2ci_wordnet_open(dir, &wn, &err) == 0) {
    query_wordnet(wn);
    p2ci_wordnet_free(wn);
  } else if (wn || !err.message[0]) {
    abort();
  }
  p2ci_m15_synonyms *syn = NULL;
  if (p2ci_m15_synonyms_load_wordnet(dir, &syn, &err) == 0) query_synonyms(syn);
  p2ci_m15_synonyms_free(syn);
  syn = NULL;
  if (p2ci_m15_synonyms_load_meteor(dir, &syn, &err) == 0) query_synonyms(syn);
  p2ci_m15_synonyms_free(syn);
  return 0;
}
