/* The evaluator's reports: the result JSON and the per-segment JSON lines. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "io/json.h"
#include "protocol/dense_map.h"
#include "protocol/evaluator.h"

typedef struct sbuf {
  char *s;
  size_t len, cap;
  int oom;
} sbuf;

static void put(sbuf *b, const char *fmt, ...) P2CI_PRINTF(2, 3);
static void put(sbuf *b, const char *fmt, ...)
{
  if (b->oom) return;
  va_list ap;
  va_start(ap, fmt);
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0 || p2ci_grow(&b->s, &b->cap, b->len + (size_t)n + 1, 1) != P2C_OK) {
    b->oom = 1;
    va_end(ap2);
    return;
  }
  vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap2);
  va_end(ap2);
  b->len += (size_t)n;
}

static void num(sbuf *b, double v)
{
  char t[40];
  p2ci_json_double(t, sizeof t, v);
  put(b, "%s", t);
}

static void str(sbuf *b, const char *s)
{
  if (!s) {
    put(b, "null");
    return;
  }
  put(b, "\"");
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\')
      put(b, "\\%c", *p);
    else if (*p < 0x20)
      put(b, "\\u%04x", *p);
    else
      put(b, "%c", *p);
  }
  put(b, "\"");
}

static void map_block(sbuf *b, const p2c_eval_summary *S, const char *ind)
{
  put(b, "%s\"map\": ", ind);
  num(b, S->map);
  put(b, ",\n%s\"ap_breakdown\": {", ind);
  for (int a = 0; a < P2C_MAP_NIOU; a++)
    for (int m = 0; m < P2C_MAP_NMETEOR; m++) {
      put(b, "%s\n%s  \"iou%s_score%s\": ", a + m ? "," : "", ind, p2ci_map_iou_names[a],
          p2ci_map_meteor_names[m]);
      num(b, S->ap[a][m]);
    }
  put(b, "\n%s},\n%s\"detmap\": ", ind, ind);
  num(b, S->detmap);
  put(b, ",\n%s\"det_breakdown\": {", ind);
  for (int a = 0; a < P2C_MAP_NIOU; a++) {
    put(b, "%s\n%s  \"iou%s\": ", a ? "," : "", ind, p2ci_map_iou_names[a]);
    num(b, S->det_ap[a]);
  }
  put(b, "\n%s}", ind);
}

static void notes(sbuf *b, const p2c_evaluator *ev)
{
  const char *n[3] = {ev->caption_note, ev->map_note, ev->spice_note};
  put(b, "    \"notes\": [");
  int first = 1;
  for (int i = 0; i < 3; i++)
    if (n[i]) {
      put(b, "%s\n      ", first ? "" : ",");
      str(b, n[i]);
      first = 0;
    }
  put(b, first ? "]" : "\n    ]");
}

static void official_json(sbuf *b, const p2c_evaluator *ev)
{
  const p2c_eval_summary *S = &ev->sum;
  put(b, "{\n  \"protocol\": {\n    \"name\": \"pix2cap-official\",\n");
  put(b, "    \"reference\": \"geshang777/pix2cap datasets/evaluation: "
         "caption_distribute_metrics.caption_quality_compute, caption_distribute_map.map_compute\",\n");
  put(b, "    \"compat_cpus\": %d,\n    \"chunks_dropped\": %zu,\n", ev->opts.compat_cpus, S->chunks_dropped);
  put(b, "    \"variants\": {\n"
         "      \"pq\": \"per category over the kept chunks, All only\",\n"
         "      \"bleu\": \"pycocoevalcap Bleu(4) corpus BLEU-4 x pairs/(TP+FP+FN)\",\n"
         "      \"rouge\": \"pycocoevalcap Rouge mean x pairs/(TP+FP+FN)\",\n"
         "      \"cider\": \"pycocoevalcap Cider (CIDEr-D) mean x pairs/(TP+FP+FN)\",\n"
         "      \"meteor\": \"0 (the script's scorer is commented out)\",\n"
         "      \"map\": \"unranked records, NLTK 3.8 METEOR(hypothesis = GT caption, references = "
         "letters of the prediction), recall over all GT segments, np.arange(0, 1.01, 0.01)\"\n"
         "    },\n");
  put(b, "    \"caption_pairs\": %zu,\n    \"tp\": %llu,\n    \"fp\": %llu,\n    \"fn\": %llu,\n",
      S->caption_pairs, (unsigned long long)S->tp, (unsigned long long)S->fp, (unsigned long long)S->fn);
  put(b, "    \"map_records\": %llu,\n    \"map_npos\": %llu,\n", (unsigned long long)S->map_entries,
      (unsigned long long)S->map_npos);
  notes(b, ev);
  put(b, "\n  },\n  \"caption_seg\": {\n    \"All\": {\n      \"bleu\": ");
  num(b, S->bleu4_scaled);
  put(b, ",\n      \"meteor\": ");
  if (S->meteor_scaled == 0.0)
    put(b, "0"); /* the script's int 0 */
  else
    num(b, S->meteor_scaled);
  put(b, ",\n      \"cider\": ");
  num(b, S->cider_d_scaled);
  put(b, ",\n      \"rouge\": ");
  num(b, S->rouge_l_scaled);
  put(b, ",\n      \"spice\": null,\n      \"pq\": ");
  num(b, S->pq);
  put(b, ",\n      \"sq\": ");
  num(b, S->sq);
  put(b, ",\n      \"rq\": ");
  num(b, S->rq);
  put(b, ",\n      \"n\": %zu\n    },\n", S->n_classes);
  map_block(b, S, "    ");
  put(b, "\n  }\n}\n");
}

static void pq_obj(sbuf *b, double pq, double sq, double rq, size_t n)
{
  put(b, "{\"pq\": ");
  num(b, pq);
  put(b, ", \"sq\": ");
  num(b, sq);
  put(b, ", \"rq\": ");
  num(b, rq);
  put(b, ", \"n\": %zu}", n);
}

static void v1_json(sbuf *b, const p2c_evaluator *ev)
{
  const p2c_eval_summary *S = &ev->sum;
  put(b, "{\n  \"protocol\": {\n    \"name\": \"p2c-v1\",\n");
  put(b, "    \"class_agnostic\": %s,\n", ev->opts.class_agnostic ? "true" : "false");
  put(b, "    \"variants\": {\n"
         "      \"pq\": \"panopticapi pq_compute (one process)\",\n"
         "      \"bleu4\": \"pycocoevalcap Bleu(4), corpus BLEU-4 over the matched pairs\",\n"
         "      \"meteor\": \"METEOR 1.5 (-l en -norm; %s), mean over the matched pairs\",\n"
         "      \"rouge_l\": \"pycocoevalcap Rouge, mean over the matched pairs\",\n"
         "      \"cider_d\": \"pycocoevalcap Cider (CIDEr-D), mean over the matched pairs\",\n"
         "      \"spice\": \"SPICE-style (pycocoevalcap Spice, rule-based parser), mean over the matched pairs\",\n"
         "      \"pairs\": \"PQ matches: same category, IoU > 0.5, one-to-one\",\n"
         "      \"map\": \"DenseCap (jcjohnson/densecap eval_utils.lua): ranked by score, best non-crowd GT, "
         "first taker only, METEOR 1.5 of the prediction against the GT, IoU >= t and METEOR > m, "
         "recall over non-crowd GT segments, 101-point AP with exact recall thresholds\"\n"
         "    },\n",
      *ev->meteor_variant ? ev->meteor_variant : "meteor-1.5-nopara");
  notes(b, ev);
  put(b, "\n  },\n  \"panoptic\": {\n    \"All\": ");
  pq_obj(b, S->pq, S->sq, S->rq, S->n_classes);
  put(b, ",\n    \"Things\": ");
  pq_obj(b, S->pq_things, S->sq_things, S->rq_things, S->n_things);
  put(b, ",\n    \"Stuff\": ");
  pq_obj(b, S->pq_stuff, S->sq_stuff, S->rq_stuff, S->n_stuff);
  put(b, ",\n    \"per_class\": {");
  int first = 1;
  for (size_t i = 0; i < ev->ncats; i++) {
    const ev_category *c = &ev->cats[i];
    put(b, "%s\n      \"%lld\": {\"pq\": ", first ? "" : ",", (long long)c->id);
    first = 0;
    const uint64_t t = c->tp + c->fp + c->fn;
    const double den = (double)c->tp + 0.5 * (double)c->fp + 0.5 * (double)c->fn;
    num(b, t ? c->iou / den : NAN);
    put(b, ", \"sq\": ");
    num(b, t ? (c->tp ? c->iou / (double)c->tp : 0.0) : NAN);
    put(b, ", \"rq\": ");
    num(b, t ? (double)c->tp / den : NAN);
    put(b, ", \"tp\": %llu, \"fp\": %llu, \"fn\": %llu}", (unsigned long long)c->tp,
        (unsigned long long)c->fp, (unsigned long long)c->fn);
  }
  put(b, "\n    }\n  },\n  \"captions\": {\n");
  put(b, "    \"pairs\": %zu,\n    \"tp\": %llu,\n    \"fp\": %llu,\n    \"fn\": %llu,\n", S->caption_pairs,
      (unsigned long long)S->tp, (unsigned long long)S->fp, (unsigned long long)S->fn);
  const double m[5] = {S->bleu4, S->meteor, S->rouge_l, S->cider_d, S->spice};
  const double s[5] = {S->bleu4_scaled, S->meteor_scaled, S->rouge_l_scaled, S->cider_d_scaled,
                       S->spice_scaled};
  static const char *const names[5] = {"bleu4", "meteor", "rouge_l", "cider_d", "spice"};
  for (int k = 0; k < 2; k++) {
    put(b, "    \"%s\": {", k ? "scaled" : "mean");
    for (int i = 0; i < 5; i++) {
      put(b, "%s\"%s\": ", i ? ", " : "", names[i]);
      num(b, k ? s[i] : m[i]);
    }
    put(b, "}%s\n", k ? "" : ",");
  }
  put(b, "  },\n  \"dense_map\": {\n");
  map_block(b, S, "    ");
  put(b, ",\n    \"predictions\": %llu,\n    \"ignored\": %llu,\n    \"npos\": %llu\n  }\n}\n",
      (unsigned long long)S->map_entries, (unsigned long long)ev->ignored_preds,
      (unsigned long long)S->map_npos);
}

int p2ci_report_json(p2c_evaluator *ev)
{
  sbuf b = {0};
  if (ev->opts.protocol == P2C_PROTOCOL_PIX2CAP_OFFICIAL)
    official_json(&b, ev);
  else
    v1_json(&b, ev);
  if (b.oom) {
    free(b.s);
    return p2ci_error(&ev->err, P2C_ERR_NOMEM, "out of memory");
  }
  free(ev->json);
  ev->json = b.s;
  return P2C_OK;
}

int p2ci_report_segments(const p2c_evaluator *ev, char **out, size_t *len)
{
  static const char *const kinds[] = {"tp", "fn", "fp", "ignored", "crowd"};
  sbuf b = {0};
  for (size_t i = 0; i < ev->n_segs && !b.oom; i++) {
    const ev_segment *s = &ev->segs[i];
    put(&b, "{\"image_id\": %lld, \"kind\": \"%s\", \"category_id\": %lld, \"gt_id\": ",
        (long long)ev->images[s->image].image_id, kinds[s->kind], (long long)s->category_id);
    if (s->gt_id >= 0)
      put(&b, "%lld", (long long)s->gt_id);
    else
      put(&b, "null");
    put(&b, ", \"pred_id\": ");
    if (s->pred_id >= 0)
      put(&b, "%lld", (long long)s->pred_id);
    else
      put(&b, "null");
    put(&b, ", \"iou\": ");
    num(&b, s->kind == EV_SEG_FN || s->kind == EV_SEG_CROWD ? NAN : s->iou);
    put(&b, ", \"gt_caption\": ");
    str(&b, p2ci_text(ev, s->ref));
    put(&b, ", \"pred_caption\": ");
    str(&b, p2ci_text(ev, s->hyp));
    if (s->pair >= 0 && ev->pair_scores) {
      const ev_pair_scores *ps = &ev->pair_scores[s->pair];
      put(&b, ", \"bleu4\": ");
      num(&b, ps->bleu4);
      put(&b, ", \"meteor\": ");
      num(&b, ps->meteor);
      put(&b, ", \"rouge_l\": ");
      num(&b, ps->rouge_l);
      put(&b, ", \"cider_d\": ");
      num(&b, ps->cider_d);
      put(&b, ", \"spice\": ");
      num(&b, ps->spice);
    }
    put(&b, "}\n");
  }
  if (b.oom) {
    free(b.s);
    return P2C_ERR_NOMEM;
  }
  *out = b.s;
  *len = b.len;
  return P2C_OK;
}
