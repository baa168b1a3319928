/* ROUGE-L as pycocoevalcap's Rouge() computes it (rouge/rouge.py): words from
 * str.split(" "), the best precision and the best recall over the references
 * taken independently, F-measure with beta = 1.2; corpus = numpy mean. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "core/summation.h"
#include "metrics/caption_metric.h"

typedef struct scratch {
  uint64_t *masks; /* per distinct hypothesis word: its positions, words64 words each */
  size_t masks_cap;
  uint32_t *slot; /* per vocab id: 1 + index into masks, 0 = not in the hypothesis */
  uint64_t *v;
  size_t v_cap;
} scratch;

/* Length of the longest common subsequence of a (bit positions) and b: the
 * bit-parallel recurrence of Hyyro 2004, V' = (V + (V & M)) | (V & ~M), whose
 * zero bits among the first |a| count the LCS. Exact, like the reference's
 * dynamic programme, in |b| * ceil(|a| / 64) word operations. */
static size_t lcs(const scratch *s, size_t words64, size_t len_a, const uint32_t *b, size_t len_b)
{
  uint64_t *v = s->v;
  for (size_t k = 0; k < words64; k++) v[k] = ~(uint64_t)0;
  for (size_t j = 0; j < len_b; j++) {
    uint32_t m1 = s->slot[b[j]];
    if (!m1) continue;
    const uint64_t *m = s->masks + (size_t)(m1 - 1) * words64;
    uint64_t carry = 0;
    for (size_t k = 0; k < words64; k++) {
      uint64_t u = v[k] & m[k];
      uint64_t sum = v[k] + u;
      uint64_t c1 = sum < v[k];
      sum += carry;
      uint64_t c2 = sum < carry;
      carry = c1 | c2;
      v[k] = sum | (v[k] & ~m[k]);
    }
  }
  size_t ones = 0;
  for (size_t k = 0; k < words64; k++) {
    uint64_t x = v[k];
    if (k == words64 - 1 && len_a % 64) x &= ((uint64_t)1 << (len_a % 64)) - 1;
    ones += (size_t)__builtin_popcountll(x);
  }
  return len_a - ones;
}

static int rouge_item(const p2ci_caption_set *set, size_t item, scratch *s, double beta2,
                      double *out)
{
  const uint32_t *h;
  size_t len_h = p2ci_set_words(set, p2ci_set_hyp(set, item), P2CI_SPLIT_SPACE, &h);
  size_t words64 = (len_h + 63) / 64;
  /* position masks of the hypothesis words (len_h >= 1: "" is one empty word) */
  size_t n_masks = 0;
  for (size_t i = 0; i < len_h; i++)
    if (!s->slot[h[i]]) s->slot[h[i]] = (uint32_t)++n_masks;
  int rc = p2ci_grow(&s->masks, &s->masks_cap, n_masks * words64, sizeof *s->masks);
  if (!rc) rc = p2ci_grow(&s->v, &s->v_cap, words64, sizeof *s->v);
  if (rc) {
    for (size_t i = 0; i < len_h; i++) s->slot[h[i]] = 0;
    return rc;
  }
  if (n_masks) memset(s->masks, 0, n_masks * words64 * sizeof *s->masks);
  for (size_t i = 0; i < len_h; i++)
    s->masks[(size_t)(s->slot[h[i]] - 1) * words64 + i / 64] |= (uint64_t)1 << (i % 64);

  double prec_max = 0, rec_max = 0;
  size_t n_refs = p2ci_set_num_refs(set, item);
  for (size_t r = 0; r < n_refs; r++) {
    const uint32_t *w;
    size_t len_r = p2ci_set_words(set, p2ci_set_ref(set, item, r), P2CI_SPLIT_SPACE, &w);
    size_t l = lcs(s, words64, len_h, w, len_r);
    double prec = (double)l / (double)len_h;
    double rec = (double)l / (double)len_r;
    if (r == 0 || prec > prec_max) prec_max = prec;
    if (r == 0 || rec > rec_max) rec_max = rec;
  }
  for (size_t i = 0; i < len_h; i++) s->slot[h[i]] = 0;
  if (prec_max != 0 && rec_max != 0)
    *out = ((1 + beta2) * prec_max * rec_max) / (rec_max + beta2 * prec_max);
  else
    *out = 0.0;
  return P2C_OK;
}

static int rouge_compute(void *state, const p2ci_caption_set *set, double *corpus,
                         double *per_item, p2c_error *err)
{
  (void)state;
  /* beta ** 2 in Python is pow(1.2, 2); volatile keeps it a run-time pow */
  volatile double beta = 1.2;
  double beta2 = pow(beta, 2.0);
  scratch s = {0};
  int rc = P2C_OK;
  s.slot = p2ci_calloc_array(p2ci_vocab_size(set->vocab), sizeof *s.slot);
  if (!s.slot) rc = P2C_ERR_NOMEM;
  for (size_t i = 0; i < set->n_items && !rc; i++) rc = rouge_item(set, i, &s, beta2, &per_item[i]);
  if (!rc) *corpus = p2ci_mean_numpy(per_item, set->n_items);
  free(s.slot);
  free(s.masks);
  free(s.v);
  if (rc) return p2ci_error(err, rc, "ROUGE-L: out of memory");
  return P2C_OK;
}

const p2ci_caption_metric p2ci_metric_rouge_l = {
    .name = "ROUGE_L",
    .flags = P2CI_METRIC_DEFAULT,
    .n_outputs = 1,
    .outputs = {"ROUGE_L"},
    .compute = rouge_compute,
};
