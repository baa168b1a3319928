#include "protocol/text_batch.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "protocol/parallel.h"
#include "text/hash.h"

struct p2ci_text_batch {
  int threads;
  const char *wordnet_dir, *meteor_data_dir;
  /* interned texts: open addressing on the text hash */
  const char **raw;
  char **tok;
  size_t n, cap;
  uint32_t *slot; /* id + 1, 0: empty */
  size_t nslot;
  /* per worker */
  p2c_tokenizer **tz;
  p2c_meteor15 **m15;
  p2c_spice **sp;
  p2c_error *err;
  p2c_error last;
  /* METEOR scores already computed, by (hypothesis id, reference id) */
  uint64_t *mkey; /* key + 1, 0: empty */
  double *mval;
  size_t mcap, mlen;
  /* the current METEOR job: distinct uncached pairs */
  uint64_t *job;
  double *jout;
};

static uint64_t mix(uint64_t k)
{
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdULL;
  k ^= k >> 33;
  return k;
}

/* The slot of key (found or empty). The table is never full. */
static size_t mslot(const p2ci_text_batch *b, uint64_t key)
{
  size_t i = (size_t)mix(key) & (b->mcap - 1);
  while (b->mkey[i] && b->mkey[i] != key + 1) i = (i + 1) & (b->mcap - 1);
  return i;
}

static int mreserve(p2ci_text_batch *b, size_t more)
{
  if ((b->mlen + more) * 2 <= b->mcap) return P2C_OK;
  size_t cap = b->mcap ? b->mcap : 1024;
  while ((b->mlen + more) * 2 > cap) cap *= 2;
  uint64_t *ok = b->mkey;
  double *ov = b->mval;
  size_t ocap = b->mcap;
  b->mkey = calloc(cap, sizeof *b->mkey);
  b->mval = calloc(cap, sizeof *b->mval);
  if (!b->mkey || !b->mval) {
    free(b->mkey), free(b->mval);
    b->mkey = ok, b->mval = ov;
    return P2C_ERR_NOMEM;
  }
  b->mcap = cap;
  for (size_t i = 0; i < ocap; i++)
    if (ok[i]) {
      size_t j = mslot(b, ok[i] - 1);
      b->mkey[j] = ok[i];
      b->mval[j] = ov[i];
    }
  free(ok), free(ov);
  return P2C_OK;
}

int p2ci_text_batch_create(int threads, const char *wordnet_dir, const char *meteor_data_dir,
                           p2ci_text_batch **out)
{
  *out = NULL;
  p2ci_text_batch *b = calloc(1, sizeof *b);
  if (!b) return P2C_ERR_NOMEM;
  b->threads = threads < 1 ? 1 : threads;
  b->wordnet_dir = wordnet_dir;
  b->meteor_data_dir = meteor_data_dir;
  b->nslot = 1024;
  b->slot = calloc(b->nslot, sizeof *b->slot);
  b->tz = calloc((size_t)b->threads, sizeof *b->tz);
  b->m15 = calloc((size_t)b->threads, sizeof *b->m15);
  b->sp = calloc((size_t)b->threads, sizeof *b->sp);
  b->err = calloc((size_t)b->threads, sizeof *b->err);
  if (!b->slot || !b->tz || !b->m15 || !b->sp || !b->err) {
    p2ci_text_batch_free(b);
    return P2C_ERR_NOMEM;
  }
  *out = b;
  return P2C_OK;
}

void p2ci_text_batch_free(p2ci_text_batch *b)
{
  if (!b) return;
  for (size_t i = 0; b->tok && i < b->n; i++) free(b->tok[i]);
  for (int t = 0; t < b->threads; t++) {
    if (b->tz) p2c_tokenizer_free(b->tz[t]);
    if (b->m15) p2c_meteor15_free(b->m15[t]);
    if (b->sp) p2c_spice_free(b->sp[t]);
  }
  free(b->sp);
  free(b->mkey), free(b->mval);
  free(b->tz), free(b->m15), free(b->err), free(b->raw), free(b->tok), free(b->slot), free(b);
}

const char *p2ci_text_batch_error(const p2ci_text_batch *b)
{
  return b->last.message;
}

static int rehash(p2ci_text_batch *b)
{
  size_t ns = b->nslot * 2;
  uint32_t *s = calloc(ns, sizeof *s);
  if (!s) return P2C_ERR_NOMEM;
  for (size_t i = 0; i < b->n; i++) {
    size_t h = (size_t)p2ci_hash_bytes(b->raw[i], strlen(b->raw[i])) & (ns - 1);
    while (s[h]) h = (h + 1) & (ns - 1);
    s[h] = (uint32_t)i + 1;
  }
  free(b->slot);
  b->slot = s;
  b->nslot = ns;
  return P2C_OK;
}

int p2ci_text_batch_intern(p2ci_text_batch *b, const char *raw, uint32_t *id)
{
  if (!raw) raw = "";
  const size_t len = strlen(raw);
  size_t h = (size_t)p2ci_hash_bytes(raw, len) & (b->nslot - 1);
  while (b->slot[h]) {
    const char *o = b->raw[b->slot[h] - 1];
    if (!strcmp(o, raw)) {
      *id = b->slot[h] - 1;
      return P2C_OK;
    }
    h = (h + 1) & (b->nslot - 1);
  }
  if (b->n >= UINT32_MAX - 1) return P2C_ERR_LIMIT;
  if (p2ci_grow(&b->raw, &b->cap, b->n + 1, sizeof *b->raw) != P2C_OK) return P2C_ERR_NOMEM;
  b->raw[b->n] = raw;
  b->slot[h] = (uint32_t)b->n + 1;
  *id = (uint32_t)b->n++;
  if (b->n * 2 > b->nslot) return rehash(b);
  return P2C_OK;
}

static int tokenize_one(void *ctx, int w, size_t i)
{
  p2ci_text_batch *b = ctx;
  int rc;
  if (!b->tz[w] && (rc = p2c_tokenizer_create(&b->tz[w], &b->err[w])) != P2C_OK) return rc;
  const char *t;
  size_t tl;
  if ((rc = p2c_tokenize(b->tz[w], b->raw[i], strlen(b->raw[i]), &t, &tl)) != P2C_OK)
    return p2ci_error(&b->err[w], rc, "tokenizer: %s", p2c_tokenizer_last_error(b->tz[w]));
  if (!(b->tok[i] = p2ci_strndup(t, tl))) return p2ci_error(&b->err[w], P2C_ERR_NOMEM, "out of memory");
  return P2C_OK;
}

static int finish(p2ci_text_batch *b, int rc, int worker)
{
  if (rc != P2C_OK) {
    const p2c_error *e = worker >= 0 ? &b->err[worker] : NULL;
    if (e && e->code)
      p2ci_error_copy(&b->last, e);
    else
      p2ci_error(&b->last, rc, "%s", p2c_strerror(rc));
  }
  return rc;
}

int p2ci_text_batch_tokenize(p2ci_text_batch *b)
{
  free(b->tok);
  b->tok = p2ci_calloc_array(b->n ? b->n : 1, sizeof *b->tok);
  if (!b->tok) return p2ci_error(&b->last, P2C_ERR_NOMEM, "out of memory");
  int worker = -1;
  return finish(b, p2ci_parallel_for(b->threads, b->n, tokenize_one, b, NULL, &worker), worker);
}

const char *p2ci_text_batch_tokens(const p2ci_text_batch *b, uint32_t id)
{
  return id < b->n && b->tok && b->tok[id] ? b->tok[id] : "";
}

static int meteor_one(p2ci_text_batch *b, int w, size_t i)
{
  int rc;
  if (!b->m15[w]) {
    p2c_meteor15_options mo = P2C_METEOR15_OPTIONS_INIT;
    mo.wordnet_dir = b->wordnet_dir;
    mo.meteor_data_dir = b->meteor_data_dir;
    mo.line_mode = P2C_METEOR15_LINE_SALANIZ;
    p2c_error e;
    if ((rc = p2c_meteor15_create(&mo, &b->m15[w], &e)) != P2C_OK)
      return p2ci_error(&b->err[w], rc, "METEOR 1.5: %s", e.message);
  }
  const char *hyp = p2ci_text_batch_tokens(b, (uint32_t)(b->job[i] >> 32));
  const char *refs[1] = {p2ci_text_batch_tokens(b, (uint32_t)b->job[i])};
  b->jout[i] = 0.0;
  if (!*hyp) return P2C_OK; /* METEOR refuses an empty hypothesis: it scores 0 */
  rc = p2c_meteor15_score(b->m15[w], hyp, refs, 1, &b->jout[i], NULL);
  if (rc == P2C_ERR_EMPTY) {
    b->jout[i] = 0.0;
    return P2C_OK;
  }
  if (rc != P2C_OK) return p2ci_error(&b->err[w], rc, "METEOR 1.5: %s", p2c_meteor15_last_error(b->m15[w]));
  return P2C_OK;
}

static int spice_one(p2ci_text_batch *b, int w, const p2ci_text_pairs *j, size_t i)
{
  int rc;
  if (!b->sp[w]) {
    p2c_spice_options so = P2C_SPICE_OPTIONS_INIT;
    so.wordnet_dir = b->wordnet_dir;
    p2c_error e;
    if ((rc = p2c_spice_create(&so, &b->sp[w], &e)) != P2C_OK)
      return p2ci_error(&b->err[w], rc, "SPICE-style: %s", e.message);
  }
  const char *refs[1] = {p2ci_text_batch_tokens(b, j->ref[i])};
  p2c_spice_detail d;
  if ((rc = p2c_spice_score(b->sp[w], refs, 1, p2ci_text_batch_tokens(b, j->hyp[i]), &d)) != P2C_OK)
    return p2ci_error(&b->err[w], rc, "SPICE-style: %s", p2c_spice_last_error(b->sp[w]));
  j->out[i] = d.kind[P2C_SPICE_ALL].f;
  return P2C_OK;
}

/* One pass: item 0 is the task (first, being the longest), then the METEOR
 * jobs, then the SPICE pairs. */
typedef struct pass {
  p2ci_text_batch *b;
  p2ci_text_task task;
  void *task_ctx;
  size_t ntask, njob;
  const p2ci_text_pairs *spice;
} pass;

static int pass_one(void *ctx, int w, size_t i)
{
  pass *p = ctx;
  if (i < p->ntask) return p->task(p->task_ctx, &p->b->err[w]);
  i -= p->ntask;
  if (i < p->njob) return meteor_one(p->b, w, i);
  return spice_one(p->b, w, p->spice, i - p->njob);
}

int p2ci_text_batch_score(p2ci_text_batch *b, const p2ci_text_pairs *meteor, size_t num_meteor,
                          const p2ci_text_pairs *spice, p2ci_text_task task, void *task_ctx)
{
  /* each distinct (hypothesis, reference) is scored once, across calls */
  size_t total = 0;
  for (size_t k = 0; k < num_meteor; k++) total += meteor[k].n;
  if (mreserve(b, total) != P2C_OK) return p2ci_error(&b->last, P2C_ERR_NOMEM, "out of memory");
  b->job = p2ci_malloc_array(total ? total : 1, sizeof *b->job);
  b->jout = p2ci_malloc_array(total ? total : 1, sizeof *b->jout);
  if (!b->job || !b->jout) {
    free(b->job), free(b->jout);
    b->job = NULL, b->jout = NULL;
    return p2ci_error(&b->last, P2C_ERR_NOMEM, "out of memory");
  }
  size_t nj = 0;
  for (size_t k = 0; k < num_meteor; k++)
    for (size_t i = 0; i < meteor[k].n; i++) {
      const uint64_t key = (uint64_t)meteor[k].hyp[i] << 32 | meteor[k].ref[i];
      size_t sl = mslot(b, key);
      if (!b->mkey[sl]) {
        b->mkey[sl] = key + 1;
        b->mval[sl] = NAN; /* filled below */
        b->mlen++;
        b->job[nj++] = key;
      }
    }
  pass p = {b, task, task_ctx, task ? 1 : 0, nj, spice};
  const size_t nspice = spice ? spice->n : 0;
  int worker = -1;
  int rc = finish(b, p2ci_parallel_for(b->threads, p.ntask + nj + nspice, pass_one, &p, NULL, &worker), worker);
  for (size_t k = 0; k < nj && rc == P2C_OK; k++) b->mval[mslot(b, b->job[k])] = b->jout[k];
  for (size_t k = 0; k < num_meteor && rc == P2C_OK; k++)
    for (size_t i = 0; i < meteor[k].n; i++)
      meteor[k].out[i] = b->mval[mslot(b, (uint64_t)meteor[k].hyp[i] << 32 | meteor[k].ref[i])];
  free(b->job), free(b->jout);
  b->job = NULL, b->jout = NULL;
  return rc;
}

const char *p2ci_text_batch_meteor_variant(const p2ci_text_batch *b)
{
  for (int t = 0; t < b->threads; t++)
    if (b->m15[t]) return p2c_meteor15_variant(b->m15[t]);
  return NULL;
}
