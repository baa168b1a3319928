/* The evaluator's mergeable state: serialize what the images added so far
 * left behind, merge such states, and put merged images back in evaluation
 * order so that finishing gives the bits of a single run. The byte format is
 * docs/state-format.md; every integer is little-endian whatever the host,
 * every double is its IEEE-754 bit pattern as a little-endian u64. */
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "protocol/evaluator.h"

#define STATE_MAGIC "P2CSTATE"
#define STATE_VERSION 1u

/* ---- writing ---------------------------------------------------------------- */

typedef struct wbuf {
  unsigned char *p;
  size_t len, cap;
  int failed;
} wbuf;

static void put_bytes(wbuf *w, const void *src, size_t n)
{
  if (w->failed) return;
  if (p2ci_grow(&w->p, &w->cap, w->len + n, 1) != P2C_OK) {
    w->failed = 1;
    return;
  }
  if (n) memcpy(w->p + w->len, src, n);
  w->len += n;
}

static void put_u64(wbuf *w, uint64_t v)
{
  unsigned char b[8];
  for (int i = 0; i < 8; i++) b[i] = (unsigned char)(v >> (8 * i));
  put_bytes(w, b, 8);
}

static void put_u32(wbuf *w, uint32_t v)
{
  unsigned char b[4];
  for (int i = 0; i < 4; i++) b[i] = (unsigned char)(v >> (8 * i));
  put_bytes(w, b, 4);
}

static void put_i64(wbuf *w, int64_t v) { put_u64(w, (uint64_t)v); }
static void put_i32(wbuf *w, int32_t v) { put_u32(w, (uint32_t)v); }

static void put_f64(wbuf *w, double v)
{
  uint64_t u;
  memcpy(&u, &v, sizeof u);
  put_u64(w, u);
}

/* Text offsets: P2CI_NO_TEXT is all ones in any width. */
static void put_off(wbuf *w, size_t off) { put_u64(w, off == P2CI_NO_TEXT ? UINT64_MAX : (uint64_t)off); }

static void put_image(wbuf *w, const ev_image *im)
{
  put_i64(w, im->image_id);
  put_u64(w, im->order);
  put_u64(w, im->gt_base);
  put_u64(w, im->gt_segments);
  put_u64(w, im->official_n);
  const size_t r[] = {im->tp_begin, im->tp_end, im->ev_begin, im->ev_end, im->pair_begin, im->pair_end,
                      im->rec_begin, im->rec_end, im->pred_begin, im->pred_end, im->seg_begin, im->seg_end};
  for (size_t i = 0; i < sizeof r / sizeof r[0]; i++) put_u64(w, r[i]);
}

int p2ci_evaluator_serialize(const p2c_evaluator *ev, unsigned char **out, size_t *len);
int p2ci_evaluator_serialize(const p2c_evaluator *ev, unsigned char **out, size_t *len)
{
  wbuf w = {0};
  put_bytes(&w, STATE_MAGIC, 8);
  put_u32(&w, STATE_VERSION);
  put_u32(&w, (uint32_t)ev->opts.protocol);
  put_u32(&w, (uint32_t)ev->opts.class_agnostic);
  put_u32(&w, (uint32_t)ev->opts.compat_cpus);
  put_u32(&w, (uint32_t)ev->opts.keep_segments);
  put_u64(&w, ev->ncats);
  for (size_t i = 0; i < ev->ncats; i++) {
    const ev_category *c = &ev->cats[i];
    put_i64(&w, c->id);
    put_u32(&w, (uint32_t)c->isthing);
    put_u64(&w, c->tp);
    put_u64(&w, c->fp);
    put_u64(&w, c->fn);
  }
  put_u64(&w, ev->gt_global);
  put_u64(&w, ev->npos_noncrowd);
  put_u64(&w, ev->ignored_preds);
  put_u64(&w, ev->uncaptioned_preds);
  put_u64(&w, ev->text.len);
  put_bytes(&w, ev->text.buf, ev->text.len);
  put_u64(&w, ev->n_images);
  for (size_t i = 0; i < ev->n_images; i++) put_image(&w, &ev->images[i]);
  put_u64(&w, ev->n_tps);
  for (size_t i = 0; i < ev->n_tps; i++) {
    put_i32(&w, ev->tps[i].cat);
    put_f64(&w, ev->tps[i].iou);
  }
  put_u64(&w, ev->n_events);
  for (size_t i = 0; i < ev->n_events; i++) {
    put_i32(&w, ev->events[i].cat);
    put_u32(&w, ev->events[i].is_fp);
  }
  put_u64(&w, ev->n_pairs);
  for (size_t i = 0; i < ev->n_pairs; i++) {
    const ev_pair *p = &ev->pairs[i];
    put_u64(&w, p->image);
    put_i64(&w, p->gt_id);
    put_i64(&w, p->pred_id);
    put_i64(&w, p->category_id);
    put_i32(&w, p->cat);
    put_f64(&w, p->iou);
    put_off(&w, p->ref);
    put_off(&w, p->hyp);
    put_i32(&w, p->dup_of);
  }
  put_u64(&w, ev->n_records);
  for (size_t i = 0; i < ev->n_records; i++) {
    const ev_record *r = &ev->records[i];
    put_f64(&w, r->iou);
    put_off(&w, r->gt_caption);
    put_off(&w, r->pred_caption);
    put_i32(&w, r->pred_kind);
    put_u32(&w, r->pred_list_len);
    put_i32(&w, r->pred_is_list);
  }
  put_u64(&w, ev->n_preds);
  for (size_t i = 0; i < ev->n_preds; i++) {
    const ev_pred *p = &ev->preds[i];
    put_u64(&w, p->image);
    put_u32(&w, p->order);
    put_i32(&w, p->has_score);
    put_f64(&w, p->score);
    put_i64(&w, p->gt_global);
    put_f64(&w, p->iou);
    put_off(&w, p->ref);
    put_off(&w, p->hyp);
  }
  put_u64(&w, ev->n_segs);
  for (size_t i = 0; i < ev->n_segs; i++) {
    const ev_segment *s = &ev->segs[i];
    put_u64(&w, s->image);
    put_i32(&w, s->kind);
    put_i64(&w, s->gt_id);
    put_i64(&w, s->pred_id);
    put_i64(&w, s->category_id);
    put_f64(&w, s->iou);
    put_off(&w, s->ref);
    put_off(&w, s->hyp);
    put_i64(&w, s->pair);
  }
  put_bytes(&w, "END.", 4);
  if (w.failed) {
    free(w.p);
    return P2C_ERR_NOMEM;
  }
  *out = w.p;
  *len = w.len;
  return P2C_OK;
}

/* ---- reading ------------------------------------------------------------------ */

typedef struct rbuf {
  const unsigned char *p;
  size_t len, at;
  int short_read;
} rbuf;

static const unsigned char *take(rbuf *r, size_t n)
{
  if (r->short_read || r->len - r->at < n) {
    r->short_read = 1;
    return NULL;
  }
  const unsigned char *q = r->p + r->at;
  r->at += n;
  return q;
}

static uint64_t get_u64(rbuf *r)
{
  const unsigned char *b = take(r, 8);
  uint64_t v = 0;
  if (b)
    for (int i = 7; i >= 0; i--) v = (v << 8) | b[i];
  return v;
}

static uint32_t get_u32(rbuf *r)
{
  const unsigned char *b = take(r, 4);
  uint32_t v = 0;
  if (b)
    for (int i = 3; i >= 0; i--) v = (v << 8) | b[i];
  return v;
}

static int64_t get_i64(rbuf *r) { return (int64_t)get_u64(r); }
static int32_t get_i32(rbuf *r) { return (int32_t)get_u32(r); }

static double get_f64(rbuf *r)
{
  uint64_t u = get_u64(r);
  double v;
  memcpy(&v, &u, sizeof v);
  return v;
}

static size_t get_off(rbuf *r)
{
  uint64_t v = get_u64(r);
  return v == UINT64_MAX ? P2CI_NO_TEXT : (size_t)v;
}

/* A count of records of at least `each` bytes: never more than the bytes left
 * (a corrupted count cannot make us allocate terabytes). */
static int get_count(rbuf *r, size_t each, size_t *n)
{
  uint64_t v = get_u64(r);
  if (r->short_read || v > (r->len - r->at) / each) return P2C_ERR_PARSE;
  *n = (size_t)v;
  return P2C_OK;
}

/* A parsed state, its arrays owned here until moved into an evaluator. */
typedef struct parsed {
  int protocol, class_agnostic, compat_cpus, keep_segments;
  ev_category *cats;
  size_t ncats;
  uint64_t gt_global, npos_noncrowd, ignored_preds, uncaptioned_preds;
  const char *text; /* borrowed from the input bytes */
  size_t text_len;
  ev_image *images;
  size_t n_images;
  ev_tp *tps;
  size_t n_tps;
  ev_event *events;
  size_t n_events;
  ev_pair *pairs;
  size_t n_pairs;
  ev_record *records;
  size_t n_records;
  ev_pred *preds;
  size_t n_preds;
  ev_segment *segs;
  size_t n_segs;
} parsed;

static void parsed_free(parsed *s)
{
  free(s->cats);
  free(s->images);
  free(s->tps);
  free(s->events);
  free(s->pairs);
  free(s->records);
  free(s->preds);
  free(s->segs);
  memset(s, 0, sizeof *s);
}

#define ALLOC_N(ptr, n) ((ptr) = p2ci_calloc_array((n) ? (n) : 1, sizeof *(ptr)))

static int text_ok(const parsed *s, size_t off)
{
  return off == P2CI_NO_TEXT || off < s->text_len;
}

static int range_ok(size_t b, size_t e, size_t n) { return b <= e && e <= n; }

/* Every index and offset of s is checked, so that a corrupted or hostile
 * state is an error, never an out-of-bounds read later. */
static int validate(const parsed *s, const char **why)
{
  if (s->text_len && s->text[s->text_len - 1] != '\0') return *why = "text not NUL-terminated", 0;
  for (size_t i = 0; i < s->n_images; i++) {
    const ev_image *im = &s->images[i];
    if (!range_ok(im->tp_begin, im->tp_end, s->n_tps) || !range_ok(im->ev_begin, im->ev_end, s->n_events) ||
        !range_ok(im->pair_begin, im->pair_end, s->n_pairs) ||
        !range_ok(im->rec_begin, im->rec_end, s->n_records) ||
        !range_ok(im->pred_begin, im->pred_end, s->n_preds) || !range_ok(im->seg_begin, im->seg_end, s->n_segs))
      return *why = "an image's record range is out of bounds", 0;
    if (s->protocol == P2C_PROTOCOL_P2C_V1 &&
        (im->gt_base > s->gt_global || im->gt_segments > s->gt_global - im->gt_base))
      return *why = "an image's GT segment range is out of bounds", 0;
    for (size_t k = im->pair_begin; k < im->pair_end; k++)
      if (s->pairs[k].image != i || s->pairs[k].dup_of < -1 ||
          s->pairs[k].dup_of >= (int64_t)(im->pair_end - im->pair_begin))
        return *why = "a caption pair names the wrong image", 0;
    for (size_t k = im->pred_begin; k < im->pred_end; k++)
      if (s->preds[k].image != i ||
          (s->preds[k].gt_global >= 0 && ((uint64_t)s->preds[k].gt_global < im->gt_base ||
                                          (uint64_t)s->preds[k].gt_global - im->gt_base >= im->gt_segments)))
        return *why = "a prediction names the wrong image or GT segment", 0;
    for (size_t k = im->seg_begin; k < im->seg_end; k++)
      if (s->segs[k].image != i ||
          (s->segs[k].pair >= 0 && ((size_t)s->segs[k].pair < im->pair_begin ||
                                    (size_t)s->segs[k].pair >= im->pair_end)))
        return *why = "a segment record names the wrong image or pair", 0;
  }
  /* every record belongs to exactly one image (they are laid end to end) */
  size_t next[6] = {0};
  for (size_t i = 0; i < s->n_images; i++) {
    const ev_image *im = &s->images[i];
    const size_t b[6] = {im->tp_begin, im->ev_begin, im->pair_begin, im->rec_begin, im->pred_begin, im->seg_begin};
    const size_t e[6] = {im->tp_end, im->ev_end, im->pair_end, im->rec_end, im->pred_end, im->seg_end};
    for (int k = 0; k < 6; k++) {
      if (b[k] != next[k]) return *why = "images' records are not laid end to end", 0;
      next[k] = e[k];
    }
  }
  const size_t total[6] = {s->n_tps, s->n_events, s->n_pairs, s->n_records, s->n_preds, s->n_segs};
  for (int k = 0; k < 6; k++)
    if (next[k] != total[k]) return *why = "records that belong to no image", 0;
  const int32_t nc = (int32_t)s->ncats;
  for (size_t i = 0; i < s->n_tps; i++)
    if (s->tps[i].cat < -1 || s->tps[i].cat >= nc) return *why = "a category index is out of range", 0;
  for (size_t i = 0; i < s->n_events; i++)
    if (s->events[i].cat < -1 || s->events[i].cat >= nc) return *why = "a category index is out of range", 0;
  for (size_t i = 0; i < s->n_pairs; i++)
    if (s->pairs[i].cat < -1 || s->pairs[i].cat >= nc || !text_ok(s, s->pairs[i].ref) ||
        !text_ok(s, s->pairs[i].hyp))
      return *why = "a caption pair is out of range", 0;
  for (size_t i = 0; i < s->n_records; i++) {
    const ev_record *r = &s->records[i];
    if (!text_ok(s, r->gt_caption) || !text_ok(s, r->pred_caption))
      return *why = "an mAP record's text is out of range", 0;
    if (r->pred_is_list) { /* its strings are packed from pred_caption on */
      size_t at = r->pred_caption;
      if (at == P2CI_NO_TEXT) return *why = "an mAP record's list has no text", 0;
      for (uint32_t k = 0; k < r->pred_list_len; k++) {
        const char *z = memchr(s->text + at, '\0', s->text_len - at);
        if (!z || (size_t)(z - s->text) + 1 >= s->text_len) return *why = "an mAP record's list overruns the text", 0;
        at = (size_t)(z - s->text) + 1;
      }
    }
  }
  for (size_t i = 0; i < s->n_preds; i++)
    if (!text_ok(s, s->preds[i].ref) || !text_ok(s, s->preds[i].hyp))
      return *why = "a prediction's text is out of range", 0;
  for (size_t i = 0; i < s->n_segs; i++)
    if (!text_ok(s, s->segs[i].ref) || !text_ok(s, s->segs[i].hyp))
      return *why = "a segment record's text is out of range", 0;
  return 1;
}

static int parse(const void *data, size_t len, parsed *s, p2c_error *err)
{
  memset(s, 0, sizeof *s);
  rbuf r = {data, len, 0, 0};
  const unsigned char *magic = take(&r, 8);
  if (!magic || memcmp(magic, STATE_MAGIC, 8) != 0)
    return p2ci_error(err, P2C_ERR_PARSE, "not a libp2ceval evaluator state (no P2CSTATE header)");
  const uint32_t version = get_u32(&r);
  if (r.short_read) return p2ci_error(err, P2C_ERR_PARSE, "corrupted evaluator state (truncated header)");
  if (version != STATE_VERSION)
    return p2ci_error(err, P2C_ERR_VERSION,
                      "evaluator state format version %u; this libp2ceval (%s) reads version %u only",
                      (unsigned)version, p2c_version_string(), STATE_VERSION);
  s->protocol = (int)get_u32(&r);
  s->class_agnostic = (int)get_u32(&r);
  s->compat_cpus = (int)get_u32(&r);
  s->keep_segments = (int)get_u32(&r);
  int rc = P2C_OK;
  if (!p2c_protocol_name(s->protocol) || s->compat_cpus < 1) rc = P2C_ERR_PARSE;
  if (rc == P2C_OK && (rc = get_count(&r, 36, &s->ncats)) == P2C_OK && ALLOC_N(s->cats, s->ncats))
    for (size_t i = 0; i < s->ncats; i++) {
      ev_category *c = &s->cats[i];
      c->id = get_i64(&r);
      c->isthing = (int)get_u32(&r);
      c->tp = get_u64(&r);
      c->fp = get_u64(&r);
      c->fn = get_u64(&r);
    }
  else if (rc == P2C_OK)
    rc = P2C_ERR_NOMEM;
  s->gt_global = get_u64(&r);
  s->npos_noncrowd = get_u64(&r);
  s->ignored_preds = get_u64(&r);
  s->uncaptioned_preds = get_u64(&r);
  if (rc == P2C_OK && (rc = get_count(&r, 1, &s->text_len)) == P2C_OK)
    s->text = (const char *)take(&r, s->text_len);
#define READ_VEC(name, each, ...)                                           \
  if (rc == P2C_OK && (rc = get_count(&r, each, &s->n_##name)) == P2C_OK) { \
    if (!ALLOC_N(s->name, s->n_##name))                                    \
      rc = P2C_ERR_NOMEM;                                                   \
    else                                                                    \
      for (size_t i = 0; i < s->n_##name; i++) __VA_ARGS__                  \
  }
  READ_VEC(images, 136, {
    ev_image *im = &s->images[i];
    im->image_id = get_i64(&r);
    im->order = get_u64(&r);
    im->gt_base = get_u64(&r);
    im->gt_segments = get_u64(&r);
    im->official_n = (size_t)get_u64(&r);
    size_t *f[] = {&im->tp_begin, &im->tp_end, &im->ev_begin, &im->ev_end, &im->pair_begin, &im->pair_end,
                   &im->rec_begin, &im->rec_end, &im->pred_begin, &im->pred_end, &im->seg_begin, &im->seg_end};
    for (size_t k = 0; k < sizeof f / sizeof f[0]; k++) *f[k] = (size_t)get_u64(&r);
  })
  READ_VEC(tps, 12, {
    s->tps[i].cat = get_i32(&r);
    s->tps[i].iou = get_f64(&r);
  })
  READ_VEC(events, 8, {
    s->events[i].cat = get_i32(&r);
    s->events[i].is_fp = (unsigned char)(get_u32(&r) != 0);
  })
  READ_VEC(pairs, 64, {
    ev_pair *p = &s->pairs[i];
    p->image = (size_t)get_u64(&r);
    p->gt_id = get_i64(&r);
    p->pred_id = get_i64(&r);
    p->category_id = get_i64(&r);
    p->cat = get_i32(&r);
    p->iou = get_f64(&r);
    p->ref = get_off(&r);
    p->hyp = get_off(&r);
    p->dup_of = get_i32(&r);
  })
  READ_VEC(records, 36, {
    ev_record *x = &s->records[i];
    x->iou = get_f64(&r);
    x->gt_caption = get_off(&r);
    x->pred_caption = get_off(&r);
    x->pred_kind = get_i32(&r);
    x->pred_list_len = get_u32(&r);
    x->pred_is_list = get_i32(&r);
  })
  READ_VEC(preds, 56, {
    ev_pred *p = &s->preds[i];
    p->image = (size_t)get_u64(&r);
    p->order = get_u32(&r);
    p->has_score = get_i32(&r);
    p->score = get_f64(&r);
    p->gt_global = get_i64(&r);
    p->iou = get_f64(&r);
    p->ref = get_off(&r);
    p->hyp = get_off(&r);
  })
  READ_VEC(segs, 68, {
    ev_segment *x = &s->segs[i];
    x->image = (size_t)get_u64(&r);
    x->kind = get_i32(&r);
    x->gt_id = get_i64(&r);
    x->pred_id = get_i64(&r);
    x->category_id = get_i64(&r);
    x->iou = get_f64(&r);
    x->ref = get_off(&r);
    x->hyp = get_off(&r);
    x->pair = get_i64(&r);
  })
#undef READ_VEC
  const unsigned char *end = take(&r, 4);
  const char *why = NULL;
  if (rc == P2C_OK && (r.short_read || !end || memcmp(end, "END.", 4) != 0)) {
    rc = P2C_ERR_PARSE;
    why = r.short_read ? "truncated" : "no END. trailer where expected";
  } else if (rc == P2C_OK && r.at != len) {
    rc = P2C_ERR_PARSE;
    why = "bytes after the END. trailer";
  }
  if (rc == P2C_OK && !validate(s, &why)) rc = P2C_ERR_PARSE;
  if (rc != P2C_OK) {
    parsed_free(s);
    if (rc == P2C_ERR_NOMEM) return p2ci_error(err, rc, "out of memory");
    if (!why) why = r.short_read ? "truncated" : "a header value or a count out of range";
    return p2ci_error(err, rc, "corrupted evaluator state (%s, at byte %zu of %zu)", why,
                      r.at, len);
  }
  return P2C_OK;
}

/* ---- merging ------------------------------------------------------------------- */

static size_t shift(size_t off, size_t base) { return off == P2CI_NO_TEXT ? off : off + base; }

#define APPEND(ev, name, src, n)                                                                 \
  (p2ci_grow(&(ev)->name, &(ev)->cap_##name, (ev)->n_##name + (n), sizeof *(ev)->name) != P2C_OK \
       ? P2C_ERR_NOMEM                                                                           \
       : ((n) ? memcpy((ev)->name + (ev)->n_##name, (src), (n) * sizeof *(ev)->name) : NULL,     \
          P2C_OK))

/* Append s after ev's images, shifting every index and text offset. */
static int append(p2c_evaluator *ev, const parsed *s)
{
  const size_t img0 = ev->n_images, tp0 = ev->n_tps, ev0 = ev->n_events, pr0 = ev->n_pairs,
               rec0 = ev->n_records, pd0 = ev->n_preds, sg0 = ev->n_segs, tx0 = ev->text.len;
  const uint64_t g0 = ev->gt_global;
  if (p2ci_grow(&ev->text.buf, &ev->text.cap, ev->text.len + s->text_len + 1, 1) != P2C_OK ||
      APPEND(ev, images, s->images, s->n_images) || APPEND(ev, tps, s->tps, s->n_tps) ||
      APPEND(ev, events, s->events, s->n_events) || APPEND(ev, pairs, s->pairs, s->n_pairs) ||
      APPEND(ev, records, s->records, s->n_records) || APPEND(ev, preds, s->preds, s->n_preds) ||
      APPEND(ev, segs, s->segs, s->n_segs))
    return P2C_ERR_NOMEM;
  if (s->text_len) memcpy(ev->text.buf + tx0, s->text, s->text_len);
  ev->text.len += s->text_len;
  for (size_t i = img0; i < ev->n_images + s->n_images; i++) {
    ev_image *im = &ev->images[i];
    im->gt_base += g0;
    im->tp_begin += tp0, im->tp_end += tp0;
    im->ev_begin += ev0, im->ev_end += ev0;
    im->pair_begin += pr0, im->pair_end += pr0;
    im->rec_begin += rec0, im->rec_end += rec0;
    im->pred_begin += pd0, im->pred_end += pd0;
    im->seg_begin += sg0, im->seg_end += sg0;
  }
  for (size_t i = pr0; i < pr0 + s->n_pairs; i++) {
    ev->pairs[i].image += img0;
    ev->pairs[i].ref = shift(ev->pairs[i].ref, tx0);
    ev->pairs[i].hyp = shift(ev->pairs[i].hyp, tx0);
  }
  for (size_t i = rec0; i < rec0 + s->n_records; i++) {
    ev->records[i].gt_caption = shift(ev->records[i].gt_caption, tx0);
    ev->records[i].pred_caption = shift(ev->records[i].pred_caption, tx0);
  }
  for (size_t i = pd0; i < pd0 + s->n_preds; i++) {
    ev_pred *p = &ev->preds[i];
    p->image += img0;
    if (p->gt_global >= 0) p->gt_global += (int64_t)g0;
    p->ref = shift(p->ref, tx0);
    p->hyp = shift(p->hyp, tx0);
  }
  for (size_t i = sg0; i < sg0 + s->n_segs; i++) {
    ev_segment *x = &ev->segs[i];
    x->image += img0;
    if (x->pair >= 0) x->pair += (int64_t)pr0;
    x->ref = shift(x->ref, tx0);
    x->hyp = shift(x->hyp, tx0);
  }
  ev->n_images += s->n_images;
  ev->n_tps += s->n_tps;
  ev->n_events += s->n_events;
  ev->n_pairs += s->n_pairs;
  ev->n_records += s->n_records;
  ev->n_preds += s->n_preds;
  ev->n_segs += s->n_segs;
  ev->gt_global += s->gt_global;
  ev->npos_noncrowd += s->npos_noncrowd;
  ev->ignored_preds += s->ignored_preds;
  ev->uncaptioned_preds += s->uncaptioned_preds;
  for (size_t c = 0; c < ev->ncats; c++) {
    ev->cats[c].tp += s->cats[c].tp;
    ev->cats[c].fp += s->cats[c].fp;
    ev->cats[c].fn += s->cats[c].fn;
  }
  return P2C_OK;
}

static int same_setup(const p2c_evaluator *ev, const parsed *s, p2c_error *err)
{
  if (s->protocol != ev->opts.protocol || s->class_agnostic != ev->opts.class_agnostic ||
      s->compat_cpus != ev->opts.compat_cpus || s->keep_segments != ev->opts.keep_segments)
    return p2ci_error(err, P2C_ERR_MISMATCH,
                      "the states were made with different options (protocol %s / %s, "
                      "class_agnostic %d / %d, compat_cpus %d / %d, keep_segments %d / %d)",
                      p2c_protocol_name(ev->opts.protocol), p2c_protocol_name(s->protocol),
                      ev->opts.class_agnostic, s->class_agnostic, ev->opts.compat_cpus, s->compat_cpus,
                      ev->opts.keep_segments, s->keep_segments);
  if (s->ncats != ev->ncats)
    return p2ci_error(err, P2C_ERR_MISMATCH, "the states have %zu and %zu categories: not the same ground truth",
                      ev->ncats, s->ncats);
  for (size_t c = 0; c < ev->ncats; c++)
    if (s->cats[c].id != ev->cats[c].id || s->cats[c].isthing != ev->cats[c].isthing)
      return p2ci_error(err, P2C_ERR_MISMATCH,
                        "category %zu is %lld in one state and %lld in the other: not the same ground truth",
                        c, (long long)ev->cats[c].id, (long long)s->cats[c].id);
  return P2C_OK;
}

int p2c_evaluator_merge_state(p2c_evaluator *ev, const void *data, size_t len)
{
  if (!ev) return P2C_ERR_INVALID_ARG;
  if (!data && len) return p2ci_error(&ev->err, P2C_ERR_INVALID_ARG, "p2c_evaluator_merge_state: NULL data");
  if (ev->finished)
    return p2ci_error(&ev->err, P2C_ERR_STATE, "p2c_evaluator_merge_state: evaluation already finished");
  parsed s;
  int rc = parse(data, len, &s, &ev->err);
  if (rc != P2C_OK) return rc;
  if ((rc = same_setup(ev, &s, &ev->err)) == P2C_OK && (rc = append(ev, &s)) != P2C_OK)
    p2ci_error(&ev->err, rc, "out of memory");
  parsed_free(&s);
  free(ev->state_bytes);
  ev->state_bytes = NULL;
  return rc;
}

int p2c_evaluator_from_state(const void *data, size_t len, const p2c_eval_options *opts,
                             p2c_evaluator **out, p2c_error *err)
{
  if (out) *out = NULL;
  if (!out || (!data && len))
    return p2ci_error(err, P2C_ERR_INVALID_ARG, "p2c_evaluator_from_state: NULL argument");
  parsed s;
  int rc = parse(data, len, &s, err);
  if (rc != P2C_OK) return rc;
  p2c_eval_options o = P2C_EVAL_OPTIONS_INIT;
  if (opts) o = *opts;
  o.protocol = s.protocol;
  o.class_agnostic = s.class_agnostic;
  o.compat_cpus = s.compat_cpus;
  o.keep_segments = s.keep_segments;
  p2c_evaluator *ev = NULL;
  p2c_category_info *ci = p2ci_calloc_array(s.ncats ? s.ncats : 1, sizeof *ci);
  if (!ci) rc = p2ci_error(err, P2C_ERR_NOMEM, "out of memory");
  for (size_t c = 0; rc == P2C_OK && c < s.ncats; c++) ci[c] = (p2c_category_info){s.cats[c].id, "", s.cats[c].isthing};
  if (rc == P2C_OK) rc = p2c_evaluator_create_from_categories(ci, s.ncats, &o, &ev, err);
  free(ci);
  if (rc == P2C_OK && (rc = append(ev, &s)) != P2C_OK) rc = p2ci_error(err, rc, "out of memory");
  parsed_free(&s);
  if (rc != P2C_OK) {
    p2c_evaluator_free(ev);
    return rc;
  }
  *out = ev;
  return P2C_OK;
}

int p2c_evaluator_state(p2c_evaluator *ev, const unsigned char **data, size_t *len)
{
  if (!ev || !data || !len) return P2C_ERR_INVALID_ARG;
  *data = NULL;
  *len = 0;
  if (ev->finished)
    return p2ci_error(&ev->err, P2C_ERR_STATE, "p2c_evaluator_state: evaluation already finished");
  free(ev->state_bytes);
  ev->state_bytes = NULL;
  int rc = p2ci_evaluator_serialize(ev, &ev->state_bytes, &ev->state_len);
  if (rc != P2C_OK) return p2ci_error(&ev->err, rc, "out of memory");
  *data = ev->state_bytes;
  *len = ev->state_len;
  return P2C_OK;
}

/* ---- evaluation order ---------------------------------------------------------- */

typedef struct keyed {
  uint64_t order;
  size_t index;
} keyed;

static int by_order(const void *a, const void *b)
{
  const keyed *x = a, *y = b;
  if (x->order != y->order) return x->order < y->order ? -1 : 1;
  return (x->index > y->index) - (x->index < y->index);
}

#define TAKE(name, T, b, e)                                                     \
  do {                                                                          \
    if ((e) > (b)) memcpy(n_##name + k_##name, ev->name + (b), ((e) - (b)) * sizeof(T)); \
    k_##name += (e) - (b);                                                      \
  } while (0)

int p2ci_evaluator_canonicalize(p2c_evaluator *ev)
{
  const size_t n = ev->n_images;
  keyed *key = p2ci_malloc_array(n ? n : 1, sizeof *key);
  if (!key) return p2ci_error(&ev->err, P2C_ERR_NOMEM, "out of memory");
  int sorted = 1;
  for (size_t i = 0; i < n; i++) {
    key[i] = (keyed){ev->images[i].order, i};
    if (i && ev->images[i - 1].order >= ev->images[i].order) sorted = 0;
  }
  int rc = P2C_OK;
  if (!sorted) {
    qsort(key, n, sizeof *key, by_order);
    for (size_t i = 1; i < n; i++)
      if (key[i].order == key[i - 1].order) {
        const long long id = (long long)ev->images[key[i].index].image_id;
        free(key);
        return p2ci_error(&ev->err, P2C_ERR_MISMATCH,
                          "image %lld was added more than once (in two shards or states?)", id);
      }
    ev_image *n_images = p2ci_malloc_array(n ? n : 1, sizeof *n_images);
    ev_tp *n_tps = p2ci_malloc_array(ev->n_tps ? ev->n_tps : 1, sizeof *n_tps);
    ev_event *n_events = p2ci_malloc_array(ev->n_events ? ev->n_events : 1, sizeof *n_events);
    ev_pair *n_pairs = p2ci_malloc_array(ev->n_pairs ? ev->n_pairs : 1, sizeof *n_pairs);
    ev_record *n_records = p2ci_malloc_array(ev->n_records ? ev->n_records : 1, sizeof *n_records);
    ev_pred *n_preds = p2ci_malloc_array(ev->n_preds ? ev->n_preds : 1, sizeof *n_preds);
    ev_segment *n_segs = p2ci_malloc_array(ev->n_segs ? ev->n_segs : 1, sizeof *n_segs);
    if (!n_images || !n_tps || !n_events || !n_pairs || !n_records || !n_preds || !n_segs) {
      free(n_images), free(n_tps), free(n_events), free(n_pairs), free(n_records), free(n_preds), free(n_segs);
      free(key);
      return p2ci_error(&ev->err, P2C_ERR_NOMEM, "out of memory");
    }
    size_t k_tps = 0, k_events = 0, k_pairs = 0, k_records = 0, k_preds = 0, k_segs = 0;
    uint64_t gbase = 0;
    for (size_t i = 0; i < n; i++) {
      const ev_image *o = &ev->images[key[i].index];
      ev_image im = *o;
      im.tp_begin = k_tps, im.ev_begin = k_events, im.pair_begin = k_pairs;
      im.rec_begin = k_records, im.pred_begin = k_preds, im.seg_begin = k_segs;
      /* p2c-v1 numbers GT segments over all images (the mAP's "GT taken") */
      im.gt_base = ev->opts.protocol == P2C_PROTOCOL_P2C_V1 ? gbase : 0;
      TAKE(tps, ev_tp, o->tp_begin, o->tp_end);
      TAKE(events, ev_event, o->ev_begin, o->ev_end);
      TAKE(records, ev_record, o->rec_begin, o->rec_end);
      for (size_t q = o->pair_begin; q < o->pair_end; q++) {
        n_pairs[k_pairs] = ev->pairs[q];
        n_pairs[k_pairs++].image = i;
      }
      for (size_t q = o->pred_begin; q < o->pred_end; q++) {
        ev_pred p = ev->preds[q];
        p.image = i;
        if (p.gt_global >= 0) p.gt_global = (int64_t)(im.gt_base + ((uint64_t)p.gt_global - o->gt_base));
        n_preds[k_preds++] = p;
      }
      for (size_t q = o->seg_begin; q < o->seg_end; q++) {
        ev_segment x = ev->segs[q];
        x.image = i;
        if (x.pair >= 0) x.pair = (int64_t)(im.pair_begin + ((size_t)x.pair - o->pair_begin));
        n_segs[k_segs++] = x;
      }
      im.tp_end = k_tps, im.ev_end = k_events, im.pair_end = k_pairs;
      im.rec_end = k_records, im.pred_end = k_preds, im.seg_end = k_segs;
      if (ev->opts.protocol == P2C_PROTOCOL_P2C_V1) gbase += im.gt_segments;
      n_images[i] = im;
    }
#define SWAP(name)                    \
  free(ev->name);                     \
  ev->name = n_##name;                \
  ev->cap_##name = ev->n_##name ? ev->n_##name : 1
    SWAP(images);
    SWAP(tps);
    SWAP(events);
    SWAP(pairs);
    SWAP(records);
    SWAP(preds);
    SWAP(segs);
#undef SWAP
  }
  free(key);
  /* p2c-v1's per-class IoU sums, in image order then pair order as one run
   * adds them (its TPs are exactly its caption pairs with a known category) */
  if (ev->opts.protocol == P2C_PROTOCOL_P2C_V1) {
    for (size_t c = 0; c < ev->ncats; c++) ev->cats[c].iou = 0.0;
    for (size_t q = 0; q < ev->n_pairs; q++)
      if (ev->pairs[q].cat >= 0) ev->cats[ev->pairs[q].cat].iou += ev->pairs[q].iou;
  }
  return rc;
}
