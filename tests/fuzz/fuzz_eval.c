/* The evaluation pipeline on a tiny data set: the ground truth is
 * fixtures/validate/ok (2 images of 4x3 pixels; run from the project root),
 * the input is the prediction: pred.json, then optionally the line "@@" and
 * pred/1.png, then "@@" and pred/2.png (missing PNGs are the fixture's).
 * Load, validate; when valid, PQ, caption metrics of every prediction
 * segment against the descriptions of its image, then the whole evaluation
 * (p2c_evaluator, as `p2c-eval GT PRED`) under both protocols. */
#include "fuzz.h"
#include "p2ceval.h"

#define GT_DIR "fixtures/validate/ok"

static const p2c_dataset *ground_truth(void)
{
  static p2c_dataset *gt;
  p2c_error err;
  if (!gt && p2c_dataset_load(GT_DIR "/gt.json", NULL, &gt, &err) != 0) {
    fprintf(stderr, "fuzz_eval: %s (run from the project root)\n", err.message);
    abort();
  }
  return gt;
}

static void write_part(const char *name, const uint8_t *data, size_t size, const char *fixture)
{
  if (data) {
    fuzz_write(name, data, size);
    return;
  }
  FILE *f = fopen(fixture, "rb");
  uint8_t buf[4096];
  size_t n = f ? fread(buf, 1, sizeof buf, f) : 0;
  if (!f || ferror(f)) abort();
  fclose(f);
  fuzz_write(name, buf, n);
}

static void captions(const p2c_dataset *gt, const p2c_dataset *pred)
{
  p2c_captions_options o = P2C_CAPTIONS_OPTIONS_INIT;
  o.metrics = "Bleu_4,ROUGE_L,CIDEr";
  p2c_captions *c = NULL;
  if (p2c_captions_create(&o, &c, NULL) != 0) abort();
  for (size_t i = 0; i < p2c_dataset_num_images(pred); i++) {
    p2c_image_info pi;
    size_t gi;
    if (p2c_dataset_image(pred, i, &pi) != 0) abort();
    if (p2c_dataset_find_image(gt, pi.id, &gi) != 0) continue;
    const char *refs[16];
    size_t n_refs = 0;
    p2c_image_info g;
    p2c_dataset_image(gt, gi, &g);
    for (size_t s = 0; s < g.num_segments && n_refs < 16; s++) {
      p2c_segment_info si;
      if (p2c_dataset_segment(gt, gi, s, &si) == 0 && si.caption) refs[n_refs++] = si.caption;
    }
    for (size_t s = 0; s < pi.num_segments && n_refs; s++) {
      p2c_segment_info si;
      char key[64];
      if (p2c_dataset_segment(pred, i, s, &si) != 0 || !si.caption) continue;
      snprintf(key, sizeof key, "%lld:%zu", (long long)pi.id, s);
      if (p2c_captions_add(c, key, refs, n_refs, si.caption) != 0 &&
          !p2c_captions_last_error(c)[0])
        abort();
    }
  }
  if (p2c_captions_score(c) == 0) {
    double x;
    for (size_t m = 0; m < p2c_captions_num_metrics(c); m++)
      if (p2c_captions_corpus(c, m, &x) != 0) abort();
  }
  p2c_captions_free(c);
}

/* A small WordNet (the wordnet target's seed "small": a few lemmas with their
 * synsets): the full one takes seconds to load under the sanitizers, for
 * every evaluator. */
static const char *small_wordnet(void)
{
  static const char *const names[] = {
      "wn/index.noun", "wn/index.verb", "wn/index.adj", "wn/index.adv", "wn/data.noun", "wn/data.verb",
      "wn/data.adj",   "wn/data.adv",   "wn/noun.exc",  "wn/verb.exc",  "wn/adj.exc",   "wn/adv.exc"};
  static char dir[4352];
  if (dir[0]) return dir;
  FILE *f = fopen("tests/fuzz/corpus/wordnet/small", "rb");
  static uint8_t buf[1 << 17];
  size_t n = f ? fread(buf, 1, sizeof buf, f) : 0;
  if (!f || ferror(f) || n == sizeof buf) abort();
  fclose(f);
  const uint8_t *p = buf;
  for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
    const uint8_t *rest = NULL;
    size_t rest_size = 0, len = p ? fuzz_split(p, n, "\n@@\n", &rest, &rest_size) : 0;
    fuzz_write(names[k], p, len);
    p = rest;
    n = rest_size;
  }
  snprintf(dir, sizeof dir, "%s/wn", fuzz_scratch());
  return dir;
}

/* p2c-eval GT PRED: the evaluator under each protocol. */
static void evaluate(const p2c_dataset *gt, const p2c_dataset *pred, int protocol)
{
  p2c_eval_options o = P2C_EVAL_OPTIONS_INIT;
  o.protocol = protocol;
  o.keep_segments = 1;
  o.wordnet_dir = small_wordnet();
  p2c_evaluator *ev = NULL;
  p2c_error err;
  if (p2c_evaluator_create(gt, &o, &ev, &err) != 0) {
    fprintf(stderr, "fuzz_eval: %s\n", err.message);
    abort(); /* the fixture ground truth and WordNet are fine */
  }
  if (p2c_evaluator_run(ev, gt, pred) == 0 && p2c_evaluator_finish(ev) == 0) {
    p2c_eval_summary s;
    if (p2c_evaluator_summary(ev, &s) != 0) abort();
    const char *json = p2c_evaluator_json(ev);
    if (!json || !*json) abort();
    p2c_evaluator_write_json(ev, fuzz_write("out.json", "", 0));
    p2c_evaluator_write_segments(ev, fuzz_write("segments.jsonl", "", 0));
  } else if (!p2c_evaluator_last_error(ev)[0]) {
    abort();
  }
  p2c_evaluator_free(ev);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const p2c_dataset *gt = ground_truth();
  const uint8_t *png1, *png2 = NULL;
  size_t png1_size, png2_size = 0;
  size_t json_size = fuzz_split(data, size, "\n@@\n", &png1, &png1_size);
  if (png1) png1_size = fuzz_split(png1, png1_size, "\n@@\n", &png2, &png2_size);
  const char *path = fuzz_write("pred.json", data, json_size);
  write_part("pred/1.png", png1, png1_size, GT_DIR "/pred/1.png");
  write_part("pred/2.png", png2, png2_size, GT_DIR "/pred/2.png");

  p2c_load_options lo = P2C_LOAD_OPTIONS_INIT;
  lo.kind = P2C_DATASET_PRED;
  p2c_dataset *pred = NULL;
  p2c_error err;
  if (p2c_dataset_load(path, &lo, &pred, &err) != 0) return 0;
  p2c_validation *v = NULL;
  if (p2c_validate(gt, pred, NULL, &v, &err) != 0) abort(); /* problems are results, not errors */
  int valid = p2c_validation_num_errors(v) == 0;
  for (size_t k = 0; k < p2c_validation_count(v); k++) {
    p2c_problem pr;
    if (p2c_validation_problem(v, k, &pr) != 0) abort();
  }
  p2c_validation_free(v);
  if (valid) {
    p2c_pq *pq = NULL;
    if (p2c_pq_compute(gt, pred, NULL, &pq, &err) == 0) {
      p2c_pq_summary s;
      for (int group = 0; group < 3; group++) p2c_pq_get_summary(pq, group, &s);
      p2c_pq_free(pq);
    }
    captions(gt, pred);
    evaluate(gt, pred, P2C_PROTOCOL_P2C_V1);
    evaluate(gt, pred, P2C_PROTOCOL_PIX2CAP_OFFICIAL);
  }
  p2c_dataset_free(pred);
  return 0;
}
