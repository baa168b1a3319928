/* SPICE-style tuple extraction: exact small cases, long multi-clause
 * descriptions, and the measured agreement with SPICE's real tuples (the
 * assertions are margins below the agreement reached; docs/metrics.md). */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "p2ceval.h"
#include "testutil.h"

static p2c_spice *sp;

static void setup(void)
{
  p2c_error err;
  ck_assert_int_eq(p2c_spice_create(NULL, &sp, &err), P2C_OK);
}

static void teardown(void)
{
  p2c_spice_free(sp);
  sp = NULL;
}

/* "a|b|c" key of a tuple in SPICE's printed order, "be " dropped. */
static void tuple_key(char *buf, size_t size, const p2c_spice_tuple *t)
{
  const char *r = t->arity == 3 ? t->w[1] : NULL;
  if (r && !strncmp(r, "be ", 3)) r += 3;
  if (t->arity == 1) snprintf(buf, size, "%s", t->w[0]);
  else if (t->arity == 2) snprintf(buf, size, "%s|%s", t->w[0], t->w[1]);
  else snprintf(buf, size, "%s|%s|%s", t->w[0], r, t->w[2]);
}

/* The distinct tuples of a caption as "key;key;..." sorted, for exact cases. */
static const char *tuples_of(const char *caption)
{
  static char out[4096];
  const p2c_spice_tuple *t;
  size_t n;
  ck_assert_int_eq(p2c_spice_extract(sp, caption, &t, &n), P2C_OK);
  char keys[128][128];
  size_t nk = 0;
  for (size_t i = 0; i < n && nk < 128; i++) {
    char k[128];
    tuple_key(k, sizeof k, &t[i]);
    size_t j = 0;
    while (j < nk && strcmp(keys[j], k)) j++;
    if (j == nk) strcpy(keys[nk++], k);
  }
  qsort(keys, nk, sizeof keys[0], (int (*)(const void *, const void *))strcmp);
  out[0] = '\0';
  for (size_t i = 0; i < nk; i++) {
    if (i) strcat(out, ";");
    strcat(out, keys[i]);
  }
  return out;
}

static int has_tuple(const char *caption, const char *key)
{
  const char *all = tuples_of(caption);
  size_t kl = strlen(key);
  for (const char *p = all; (p = strstr(p, key)); p++)
    if ((p == all || p[-1] == ';') && (p[kl] == ';' || p[kl] == '\0')) return 1;
  return 0;
}

/* The constructions SPICE_RULES.md lists, each as SPICE's tuple cache has it. */
START_TEST(exact_small_cases)
{
  ck_assert_str_eq(tuples_of("a man rides a horse"), "horse;man;man|ride|horse");
  ck_assert_str_eq(tuples_of("a cat sits on a mat"), "cat;cat|sit on|mat;mat");
  ck_assert_str_eq(tuples_of("a woman is smiling"), "woman;woman|smile");
  ck_assert_str_eq(tuples_of("the man is tall"), "man;man|tall");
  ck_assert_str_eq(tuples_of("the cat is on the table"), "cat;cat|on|table;table");
  ck_assert_str_eq(tuples_of("two dogs play in the grass"), "dog;dog|play in|grass;dog|two;grass");
  ck_assert_str_eq(tuples_of("a red and white bus"), "bus;bus|red;bus|white");
  ck_assert_str_eq(tuples_of("a pile of carrots in a basket"), "basket;carrot;carrot|in|basket;pile;pile|of|carrot");
  ck_assert_str_eq(tuples_of("the man 's watch"), "man;man|have|watch;watch");
  ck_assert_str_eq(tuples_of("a tennis player on the court"), "court;player|on|court;player|tennis");
  ck_assert_str_eq(tuples_of("a couple of cows in a field"), "couple;cow;cow|a;cow|in|field;field");
  ck_assert_str_eq(tuples_of("there are dogs in the grass"), "dog;dog|in|grass;grass");
  /* a prenominal participle WordNet lists as an adjective keeps its form
   * (the cache: 124 times "sliced", 16 times a verb lemma) */
  ck_assert_str_eq(tuples_of("parked cars on the street"), "car;car|on|street;car|parked;street");
  ck_assert_str_eq(tuples_of("the men are eating sandwiches"), "man;man|eat|sandwich;sandwich");
  ck_assert_str_eq(tuples_of("a bathroom has a toilet"), "bathroom;bathroom|have|toilet;toilet");
  ck_assert_str_eq(tuples_of("a man is sitting in front of a computer"),
                   "computer;front;man;man|sit in front of|computer");
  /* fragments SPICE's parser leaves without a verb relation */
  ck_assert_str_eq(tuples_of("man sitting on a bed"), "bed;man");
  ck_assert_str_eq(tuples_of("giraffe standing in the water"), "standing|giraffe;standing|in|water;water");
  /* people stays people; "close up of" leaves the object "close" and no relation */
  ck_assert_str_eq(tuples_of("a close up of people"), "close;people");
  ck_assert_str_eq(tuples_of("close up of a cat sitting on a chair"), "cat;cat|sit on|chair;chair;close");
  /* "holding" after a bare noun: a compound head, as SPICE's parser mostly reads it */
  ck_assert_str_eq(tuples_of("young girl holding a kite in a field"),
                   "field;holding|girl;holding|young;kite;kite|in|field");
  ck_assert_str_eq(tuples_of(""), "");
}
END_TEST

/* Pix2Cap-style descriptions: several clauses, each with its own subject. */
START_TEST(long_multi_clause_descriptions)
{
  const char *a = "a man in a blue shirt is standing on a wooden dock next to a small white boat . he is holding a "
                  "fishing rod in his right hand while a brown dog sits beside him on the dock .";
  static const char *const ka[] = {"man|in|shirt",    "shirt|blue",       "man|stand on|dock",
                                   "dock|wooden",     "boat|small",       "boat|white",
                                   "dock|next to|boat", "rod|fishing", "dog|brown",
                                   "dog|sit on|dock", "hand|right",       "man",
                                   "shirt",           "dog",              "boat"};
  for (size_t i = 0; i < sizeof ka / sizeof *ka; i++) ck_assert_msg(has_tuple(a, ka[i]), "missing %s", ka[i]);
  const char *b = "the large red double decker bus is driving down a busy city street , and several people are "
                  "waiting at the bus stop under a green awning while two cars are parked along the curb";
  static const char *const kb[] = {"bus|drive down|street", "people|wait at|stop", "stop|under|awning",
                                   "people|several",        "car|two",             "street|busy",
                                   "bus|red",               "awning|green",        "curb"};
  for (size_t i = 0; i < sizeof kb / sizeof *kb; i++) ck_assert_msg(has_tuple(b, kb[i]), "missing %s", kb[i]);
  ck_assert(!has_tuple(b, "bus|wait at|stop"));
  const char *c = "a young woman with long brown hair wearing a white dress and black shoes sits on a wooden bench "
                  "in a park , holding a small umbrella over her head as rain falls on the grass behind her";
  static const char *const kc[] = {"woman|young",      "woman|with|hair", "hair|long",        "dress|white",
                                   "shoe|black",       "woman|sit on|bench", "woman|hold|umbrella",
                                   "umbrella|small",   "rain|fall on|grass", "bench|wooden"};
  for (size_t i = 0; i < sizeof kc / sizeof *kc; i++) ck_assert_msg(has_tuple(c, kc[i]), "missing %s", kc[i]);
  /* long input: bounded, no failure; scoring a description against itself is perfect */
  char big[8192] = "";
  for (int r = 0; r < 20; r++) strcat(big, "a dog with a red collar runs across the green grass toward a small boy . ");
  const p2c_spice_tuple *t;
  size_t n;
  ck_assert_int_eq(p2c_spice_extract(sp, big, &t, &n), P2C_OK);
  ck_assert_uint_gt(n, 100);
  p2c_spice_detail d;
  const char *refs[] = {a};
  ck_assert_int_eq(p2c_spice_score(sp, refs, 1, a, &d), P2C_OK);
  ck_assert(d.kind[P2C_SPICE_ALL].f == 1.0);
}
END_TEST

typedef struct agree {
  long tp[4], ours[4], real[4];
} agree;

/* Per caption, distinct tuples by kind: ours against SPICE's. */
static void add_agreement(agree *a, const char *caption, const cJSON *real)
{
  const p2c_spice_tuple *t;
  size_t n;
  ck_assert_int_eq(p2c_spice_extract(sp, caption, &t, &n), P2C_OK);
  static char ok[512][160], rk[512][160];
  size_t no = 0, nr = 0;
  for (size_t i = 0; i < n && no < 512; i++) {
    char k[128];
    tuple_key(k, sizeof k, &t[i]);
    snprintf(ok[no], sizeof ok[no], "%d%s", t[i].arity, k);
    size_t j = 0;
    while (j < no && strcmp(ok[j], ok[no])) j++;
    if (j == no) no++;
  }
  const cJSON *tu;
  cJSON_ArrayForEach(tu, real)
  {
    p2c_spice_tuple x = {0, {NULL, NULL, NULL}};
    const cJSON *w;
    cJSON_ArrayForEach(w, tu) x.w[x.arity++] = w->valuestring;
    char k[128];
    tuple_key(k, sizeof k, &x);
    snprintf(rk[nr], sizeof rk[nr], "%d%s", x.arity, k);
    size_t j = 0;
    while (j < nr && strcmp(rk[j], rk[nr])) j++;
    if (j == nr && nr < 511) nr++;
  }
  for (size_t i = 0; i < no; i++) {
    int kind = ok[i][0] - '0';
    a->ours[kind]++;
    for (size_t j = 0; j < nr; j++)
      if (!strcmp(ok[i], rk[j])) {
        a->tp[kind]++;
        break;
      }
  }
  for (size_t j = 0; j < nr; j++) a->real[rk[j][0] - '0']++;
}

START_TEST(agreement_with_spice_tuples)
{
  const char *path = p2ct_parity("spice/spice_parse_cache/captionmetrics_spice_cache.jsonl");
  if (!path) {
    p2ct_skip("SPICE tuple cache");
    return;
  }
  FILE *f = fopen(path, "r");
  ck_assert_ptr_nonnull(f);
  static char line[1 << 20];
  agree a = {{0}, {0}, {0}};
  size_t captions = 0;
  while (fgets(line, sizeof line, f)) {
    cJSON *o = cJSON_Parse(line);
    ck_assert_ptr_nonnull(o);
    add_agreement(&a, cJSON_GetObjectItem(o, "caption")->valuestring, cJSON_GetObjectItem(o, "tuples_spice_order"));
    captions++;
    cJSON_Delete(o);
  }
  fclose(f);
  static const char *const names[4] = {"", "objects", "attributes", "relations"};
  double p[4], r[4];
  for (int k = 1; k <= 3; k++) {
    p[k] = (double)a.tp[k] / (double)a.ours[k];
    r[k] = (double)a.tp[k] / (double)a.real[k];
    printf("spice-style tuples vs SPICE's on %zu captions: %s P %.3f R %.3f (%ld matched, %ld ours, %ld SPICE's)\n",
           captions, names[k], p[k], r[k], a.tp[k], a.ours[k], a.real[k]);
  }
  ck_assert_uint_eq(captions, 5787);
  /* margins ~0.01 below what this version reaches (docs/metrics.md) */
  ck_assert(p[1] >= 0.92 && r[1] >= 0.905);
  ck_assert(p[2] >= 0.79 && r[2] >= 0.79);
  ck_assert(p[3] >= 0.62 && r[3] >= 0.67);
}
END_TEST

START_TEST(demo_corpus_against_official)
{
  const char *path = p2ct_parity("spice/coco_demo_fakecap/demo_corpus_with_real_tuples.jsonl");
  if (!path) {
    p2ct_skip("SPICE demo corpus");
    return;
  }
  FILE *f = fopen(path, "r");
  ck_assert_ptr_nonnull(f);
  static char line[1 << 20];
  static double ours[1000], real[1000];
  static p2c_spice_tuple rt[4096], ht[512];
  size_t n = 0;
  while (fgets(line, sizeof line, f) && n < 1000) {
    cJSON *o = cJSON_Parse(line);
    const char *refs[64];
    size_t nr = 0;
    const cJSON *r;
    cJSON_ArrayForEach(r, cJSON_GetObjectItem(o, "refs")) if (nr < 64) refs[nr++] = r->valuestring;
    p2c_spice_detail d;
    ck_assert_int_eq(p2c_spice_score(sp, refs, nr, cJSON_GetObjectItem(o, "test")->valuestring, &d), P2C_OK);
    ours[n] = d.kind[P2C_SPICE_ALL].f;
    /* SPICE's per-image value: its own tuples through the exact scoring */
    size_t nrt = 0, nht = 0;
    const cJSON *tl, *tu, *w;
    cJSON_ArrayForEach(tl, cJSON_GetObjectItem(o, "refs_tuples_real")) cJSON_ArrayForEach(tu, tl)
    {
      rt[nrt].arity = 0;
      cJSON_ArrayForEach(w, tu) rt[nrt].w[rt[nrt].arity++] = w->valuestring;
      nrt++;
    }
    cJSON_ArrayForEach(tu, cJSON_GetObjectItem(o, "test_tuples_real"))
    {
      ht[nht].arity = 0;
      cJSON_ArrayForEach(w, tu) ht[nht].w[ht[nht].arity++] = w->valuestring;
      nht++;
    }
    ck_assert_int_eq(p2c_spice_score_tuples(sp, rt, nrt, ht, nht, &d), P2C_OK);
    real[n++] = d.kind[P2C_SPICE_ALL].f;
    cJSON_Delete(o);
  }
  fclose(f);
  ck_assert_uint_eq(n, 1000);
  double corpus = p2c_spice_corpus(ours, n), mo = 0, mr = 0;
  for (size_t i = 0; i < n; i++) {
    mo += ours[i];
    mr += real[i];
  }
  mo /= (double)n;
  mr /= (double)n;
  double sor = 0, soo = 0, srr = 0;
  for (size_t i = 0; i < n; i++) {
    sor += (ours[i] - mo) * (real[i] - mr);
    soo += (ours[i] - mo) * (ours[i] - mo);
    srr += (real[i] - mr) * (real[i] - mr);
  }
  double pearson = sor / sqrt(soo * srr);
  printf("spice-style on the demo corpus: %.5f (official SPICE 0.13289, |diff| %.4f); per-image Pearson with SPICE "
         "%.4f\n",
         corpus, fabs(corpus - 0.13288891803208092), pearson);
  ck_assert(fabs(corpus - 0.13288891803208092) <= 0.0055);
  ck_assert(pearson >= 0.91);
}
END_TEST

/* The small published examples: printed, with loose bounds (2 images each). */
START_TEST(published_small_examples)
{
  const char *good = p2ct_parity("spice/clipscore_example/spice_input_good_ptb_approx.json");
  if (!good) {
    p2ct_skip("clipscore example");
    return;
  }
  const char *files[3] = {"spice/clipscore_example/spice_input_good_ptb_approx.json",
                          "spice/clipscore_example/spice_input_bad_ptb_approx.json",
                          "spice/language_evaluation_example/spice_input_raw.json"};
  const double official[3] = {0.4, 0.15, 0.6666666666666666};
  /* SPICE's parser reads the questions "am i a boy ?" differently from the
   * statements; rules read them alike, hence the wider bound there */
  const double bound[3] = {0.1, 0.1, 0.35};
  for (int k = 0; k < 3; k++) {
    cJSON *arr = p2ct_parity_json(files[k]);
    ck_assert_ptr_nonnull(arr);
    double fs[8];
    size_t n = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, arr)
    {
      const char *refs[16];
      size_t nr = 0;
      const cJSON *r;
      cJSON_ArrayForEach(r, cJSON_GetObjectItem(it, "refs")) refs[nr++] = r->valuestring;
      p2c_spice_detail d;
      ck_assert_int_eq(p2c_spice_score(sp, refs, nr, cJSON_GetObjectItem(it, "test")->valuestring, &d), P2C_OK);
      fs[n++] = d.kind[P2C_SPICE_ALL].f;
    }
    cJSON_Delete(arr);
    double got = p2c_spice_corpus(fs, n);
    printf("%s: spice-style %.4f, official SPICE %.4f\n", files[k], got, official[k]);
    ck_assert(fabs(got - official[k]) <= bound[k]);
  }
}
END_TEST

/* Through the caption-scoring handle, metric "SPICE". */
START_TEST(captions_handle_metric)
{
  p2c_error err;
  p2c_captions_options o = P2C_CAPTIONS_OPTIONS_INIT;
  o.text = P2C_TEXT_TOKENIZED;
  o.metrics = "SPICE";
  p2c_captions *c = NULL;
  ck_assert_int_eq(p2c_captions_create(&o, &c, &err), P2C_OK);
  const char *r1[] = {"a cat sits on a mat", "a black cat on a mat"};
  const char *r2[] = {"two dogs play in the grass"};
  ck_assert_int_eq(p2c_captions_add(c, "1", r1, 2, "a cat sits on a red mat"), P2C_OK);
  ck_assert_int_eq(p2c_captions_add(c, "2", r2, 1, "a dog runs"), P2C_OK);
  ck_assert_int_eq(p2c_captions_score(c), P2C_OK);
  size_t m;
  ck_assert_int_eq(p2c_captions_metric_index(c, "SPICE", &m), P2C_OK);
  double f1, f2, corpus;
  ck_assert_int_eq(p2c_captions_item_score(c, 0, m, &f1), P2C_OK);
  ck_assert_int_eq(p2c_captions_item_score(c, 1, m, &f2), P2C_OK);
  ck_assert_int_eq(p2c_captions_corpus(c, m, &corpus), P2C_OK);
  p2c_spice_detail d1, d2;
  ck_assert_int_eq(p2c_spice_score(sp, r1, 2, "a cat sits on a red mat", &d1), P2C_OK);
  ck_assert_int_eq(p2c_spice_score(sp, r2, 1, "a dog runs", &d2), P2C_OK);
  ck_assert(f1 == d1.kind[P2C_SPICE_ALL].f && f2 == d2.kind[P2C_SPICE_ALL].f);
  ck_assert(corpus == (f1 + f2) / 2);
  /* cat, mat, (cat, sit on, mat) match; (mat, red) does not: 3 of 4 vs 3 of 5 */
  ck_assert_int_eq(d1.kind[P2C_SPICE_ALL].tp, 3);
  ck_assert_int_eq(d1.kind[P2C_SPICE_ALL].fp, 1);
  ck_assert_int_eq(d1.kind[P2C_SPICE_ALL].fn, 2);
  p2c_captions_free(c);
  ck_assert_int_eq(p2c_captions_create(&o, &c, &err), P2C_OK);
  ck_assert_int_eq(p2c_captions_set_option(c, "SPICE.wordnet_dir", "/nonexistent"), P2C_OK);
  ck_assert_int_eq(p2c_captions_add(c, "1", r1, 2, "a cat"), P2C_OK);
  ck_assert_int_eq(p2c_captions_score(c), P2C_ERR_IO);
  ck_assert_ptr_nonnull(strstr(p2c_captions_last_error(c), "/nonexistent"));
  p2c_captions_free(c);
}
END_TEST

Suite *suite(void);
Suite *suite(void)
{
  Suite *s = suite_create("spice_extract");
  TCase *tc = tcase_create("extract");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, exact_small_cases);
  tcase_add_test(tc, long_multi_clause_descriptions);
  tcase_add_test(tc, agreement_with_spice_tuples);
  tcase_add_test(tc, demo_corpus_against_official);
  tcase_add_test(tc, published_small_examples);
  tcase_add_test(tc, captions_handle_metric);
  suite_add_tcase(s, tc);
  return s;
}

int main(void)
{
  return p2ct_run(suite());
}
