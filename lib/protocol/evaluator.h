/* The evaluator handle's state, shared by the files that fill and read it. */
#ifndef P2C_PROTOCOL_EVALUATOR_H
#define P2C_PROTOCOL_EVALUATOR_H

#include <stddef.h>
#include <stdint.h>

#include "p2ceval.h"
#include "protocol/dense_map.h"
#include "protocol/image_match.h"

/* Text kept by the handle: offsets into one growing buffer. */
typedef struct p2ci_strings {
  char *buf;
  size_t len, cap;
} p2ci_strings;
#define P2CI_NO_TEXT ((size_t)-1)

typedef struct ev_category {
  int64_t id;
  int isthing;
  /* p2c-v1 PQ accumulators (images in order, pairs in order) */
  uint64_t tp, fp, fn;
  double iou;
} ev_category;

typedef struct ev_image {
  int64_t image_id;
  size_t tp_begin, tp_end;     /* ev->tps */
  size_t ev_begin, ev_end;     /* ev->events */
  size_t pair_begin, pair_end; /* ev->pairs */
  size_t official_n;           /* caption pairs counted by the script (.n) */
  uint64_t gt_segments;        /* every GT segment of the JSON (official npos) */
} ev_image;

typedef struct ev_tp {
  int32_t cat;
  double iou;
} ev_tp;

/* An unmatched non-crowd GT (fn) or an unmatched, not ignored prediction (fp). */
typedef struct ev_event {
  int32_t cat; /* -1: unknown category */
  unsigned char is_fp;
} ev_event;

/* A caption pair: a TP with a string caption on the GT side. */
typedef struct ev_pair {
  size_t image;
  int64_t gt_id, pred_id, category_id;
  int32_t cat;
  double iou;
  size_t ref, hyp;   /* texts; hyp P2CI_NO_TEXT when the caption is not a string */
  int dup_of;        /* official: index (in the image) of an earlier pair of the same GT, or -1 */
} ev_pair;

/* An official mAP record. */
typedef struct ev_record {
  double iou;
  size_t gt_caption, pred_caption; /* pred_caption P2CI_NO_TEXT: neither a string nor a list */
  int pred_kind;
  uint32_t pred_list_len; /* pred_kind OTHER with a list: its strings, packed from pred_caption */
  int pred_is_list;
} ev_record;

/* A prediction in the p2c-v1 mAP ranking. */
typedef struct ev_pred {
  size_t image;
  uint32_t order; /* position in the image's segments_info */
  int has_score;
  double score;
  int64_t gt_global; /* the GT it takes (global index), -1: none */
  double iou;
  size_t ref, hyp;
} ev_pred;

/* One line of --per-segment. */
typedef struct ev_segment {
  size_t image;
  int kind; /* EV_SEG_* */
  int64_t gt_id, pred_id, category_id;
  double iou;
  size_t ref, hyp;
  int64_t pair; /* index in ev->pairs when a caption pair, else -1 */
} ev_segment;
enum { EV_SEG_TP, EV_SEG_FN, EV_SEG_FP, EV_SEG_IGNORED, EV_SEG_CROWD };

typedef struct ev_pair_scores {
  double bleu4, meteor, rouge_l, cider_d, spice;
} ev_pair_scores;

typedef struct p2ci_meteor_cache p2ci_meteor_cache;
void p2ci_meteor_cache_free(p2ci_meteor_cache *c);

#define EV_VEC(T, name) \
  T *name;              \
  size_t n_##name, cap_##name

struct p2c_evaluator {
  p2c_eval_options opts;
  char wordnet_dir[1024];
  char meteor_dir[1024];
  p2c_error err;
  int finished;

  ev_category *cats;
  size_t ncats;
  p2ci_strings text;

  EV_VEC(ev_image, images);
  EV_VEC(ev_tp, tps);
  EV_VEC(ev_event, events);
  EV_VEC(ev_pair, pairs);
  EV_VEC(ev_record, records);
  EV_VEC(ev_pred, preds);
  EV_VEC(ev_segment, segs);
  uint64_t gt_global;  /* GT segments seen so far (global indices) */
  uint64_t npos_noncrowd;
  uint64_t ignored_preds;
  uint64_t uncaptioned_preds; /* p2c-v1: predictions whose caption is not a string */

  p2ci_meteor_cache *meteor; /* official mAP METEOR: WordNet and per-word cache */
  char meteor_variant[32];   /* p2c-v1: the METEOR 1.5 variant that ran */

  /* results */
  p2c_eval_summary sum;
  ev_pair_scores *pair_scores; /* [n_pairs] when computed */
  size_t *pair_order;          /* official: caption pairs in the script's key order */
  size_t n_pair_order;
  char *json;
  char warning[1024];
  const char *spice_note;
  const char *caption_note;
  const char *map_note;
};

int p2ci_strings_add(p2ci_strings *s, const char *text, size_t *off);
/* Add n NUL-terminated strings laid end to end from first on. */
int p2ci_strings_add_packed(p2ci_strings *s, const char *first, size_t n, size_t *off);
static inline const char *p2ci_text(const p2c_evaluator *ev, size_t off)
{
  return off == P2CI_NO_TEXT ? NULL : ev->text.buf + off;
}

/* NLTK METEOR of one official mAP record (protocol/official_meteor.c). */
int p2ci_official_record_meteor(p2c_evaluator *ev, const ev_record *r, double *out);

/* Per-protocol finishing steps (protocol/finish_*.c). */
int p2ci_finish_official(p2c_evaluator *ev);
int p2ci_finish_v1(p2c_evaluator *ev);
/* The report (protocol/report.c). */
int p2ci_report_json(p2c_evaluator *ev);
int p2ci_report_segments(const p2c_evaluator *ev, char **out, size_t *len);

#endif
