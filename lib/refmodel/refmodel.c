/* The compact Pix2Cap reference model: inference in plain C.
 *
 * This follows reference-model/model.py operation for operation (see its
 * docstrings and reference-model/README.md); activations are float32,
 * channel-major (C x H x W), tokens row-major (T x D). The summation order of
 * the convolutions and products differs from PyTorch's kernels, so outputs
 * agree to ~1e-5, not bit for bit (tests/unit/test_refmodel.c measures it). */
/* The build's -O2 leaves most loops scalar (GCC's "very cheap" vectoriser
 * cost model); these loops are element-wise independent (no float
 * reassociation), so -O3 vectorises them without changing a single result. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O3")
#endif
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/internal.h"
#include "refmodel/gemm.h"
#include "refmodel/safetensors.h"

enum {
  IMG = 64,
  D = 128,
  HEADS = 4,
  DH = D / HEADS,
  FFN = 512,
  LAYERS = 3,
  NQ = 16,
  EMB = 32,
  HID = 256,
  WORD = 128,
  T16 = 256,  /* the caption's memory tokens: 16 x 16 */
  T32 = 1024, /* the decoder's memory tokens: 32 x 32 */
  MAX_TOKENS = 48,
  MAX_VOCAB = 65536,
  MAX_CLASSES = 4096
};
enum { TOK_PAD = 0, TOK_BOS = 1, TOK_EOS = 2 };

typedef struct lin {
  const float *w, *b;
  float *wt; /* w transposed (in x out), so that products vectorise without reassociation */
  int out, in;
} lin;
typedef struct conv {
  const float *w, *b;
  int out, in, k, stride;
} conv;
typedef struct norm {
  const float *w, *b;
} norm;
typedef struct attn {
  lin q, k, v, o;
} attn;
typedef struct layer {
  attn cross, self_;
  norm n1, n2, n3;
  lin f1, f2;
} layer;

struct p2c_refmodel {
  p2ci_safetensors *st;
  int num_classes; /* without "no object" */
  int vocab_size;
  char **vocab;
  int64_t *category_ids;
  unsigned char *is_stuff;
  conv c1, c2, c3, c4, l16, l32, s32, o32, l64, s64, e64;
  lin mem_proj, mem32, cls, m1, m2, m3, h0, att, comb, out;
  const float *pos, *pos32, *query, *word, *gru_wih, *gru_whh, *gru_bih, *gru_bhh;
  layer layers[LAYERS];
  norm dec_norm;
  lin gru_ih, gru_hh;
  lin gru_q;         /* the query's columns of W_ih, transposed, no bias */
  float *word_gates; /* per word v: b_ih + W_ih[:, :WORD] word[v] (V x 3 HID), computed at load */
  float *allocs[64]; /* transposed weights */
  int num_allocs;
  size_t num_params;
};

static void linear(const lin *l, const float *x, int n, float *y);

/* ---- loading ---------------------------------------------------------------- */

typedef struct loader {
  p2c_refmodel *m;
  const p2ci_safetensors *st;
  const char *path;
  p2c_error *err;
  size_t params;
  int failed;
} loader;

static const float *get(loader *L, const char *name, int ndim, int64_t d0, int64_t d1, int64_t d2,
                        int64_t d3) {
  if (L->failed) return NULL;
  int64_t shape[4] = {d0, d1, d2, d3};
  const float *p = p2ci_safetensors_get(L->st, L->path, name, ndim, shape, L->err);
  if (!p) L->failed = 1;
  size_t n = 1;
  for (int i = 0; i < ndim; i++) n *= (size_t)shape[i];
  L->params += n;
  return p;
}

static void transpose(loader *L, lin *l) {
  if (L->failed) return;
  if (L->m->num_allocs == (int)(sizeof L->m->allocs / sizeof *L->m->allocs) ||
      !(l->wt = p2ci_malloc_array((size_t)l->in * l->out, sizeof(float)))) {
    L->failed = 1;
    p2ci_error(L->err, P2C_ERR_NOMEM, "%s: out of memory", L->path);
    return;
  }
  L->m->allocs[L->m->num_allocs++] = l->wt;
  for (int o = 0; o < l->out; o++)
    for (int i = 0; i < l->in; i++) l->wt[(size_t)i * l->out + o] = l->w[(size_t)o * l->in + i];
}

/* "prefix.name" in buf: a parameter's name in the safetensors file. */
static const char *join(char *buf, size_t size, const char *prefix, const char *name) {
  snprintf(buf, size, "%s.%s", prefix, name);
  return buf;
}

static lin get_lin(loader *L, const char *name, int out, int in, int bias) {
  char buf[128];
  lin l = {NULL, NULL, NULL, out, in};
  l.w = get(L, join(buf, sizeof buf, name, "weight"), 2, out, in, 0, 0);
  if (bias) {
    l.b = get(L, join(buf, sizeof buf, name, "bias"), 1, out, 0, 0, 0);
  }
  transpose(L, &l);
  return l;
}

static conv get_conv(loader *L, const char *name, int out, int in, int k, int stride) {
  char buf[128];
  conv c = {NULL, NULL, out, in, k, stride};
  c.w = get(L, join(buf, sizeof buf, name, "weight"), 4, out, in, k, k);
  c.b = get(L, join(buf, sizeof buf, name, "bias"), 1, out, 0, 0, 0);
  return c;
}

static norm get_norm(loader *L, const char *name) {
  char buf[128];
  norm n;
  n.w = get(L, join(buf, sizeof buf, name, "weight"), 1, D, 0, 0, 0);
  n.b = get(L, join(buf, sizeof buf, name, "bias"), 1, D, 0, 0, 0);
  return n;
}

static attn get_attn(loader *L, const char *name) {
  char buf[128];
  attn a;
  a.q = get_lin(L, join(buf, sizeof buf, name, "q"), D, D, 1);
  a.k = get_lin(L, join(buf, sizeof buf, name, "k"), D, D, 1);
  a.v = get_lin(L, join(buf, sizeof buf, name, "v"), D, D, 1);
  a.o = get_lin(L, join(buf, sizeof buf, name, "o"), D, D, 1);
  return a;
}

/* A JSON array (given as text in the metadata) of strings or integers. */
static cJSON *meta_array(const p2ci_safetensors *st, const char *path, const char *key, int *n,
                         p2c_error *err) {
  const char *text = p2ci_safetensors_meta(st, key);
  cJSON *a = text ? cJSON_Parse(text) : NULL;
  if (!cJSON_IsArray(a)) {
    cJSON_Delete(a);
    p2ci_error(err, P2C_ERR_SCHEMA, "%s: __metadata__.%s is missing or not a JSON array", path,
               key);
    return NULL;
  }
  *n = cJSON_GetArraySize(a);
  return a;
}

static int load_meta(p2c_refmodel *m, const char *path, p2c_error *err) {
  const char *fmt = p2ci_safetensors_meta(m->st, "format");
  if (!fmt || strcmp(fmt, "p2c-refmodel-2") != 0)
    return p2ci_error(err, P2C_ERR_VERSION, "%s: __metadata__.format is %s%s%s, not p2c-refmodel-2",
                      path, fmt ? "'" : "", fmt ? fmt : "missing", fmt ? "'" : "");
  int nv, nc, ns;
  cJSON *v = meta_array(m->st, path, "vocab", &nv, err);
  if (!v) return err ? err->code : P2C_ERR_SCHEMA;
  cJSON *c = meta_array(m->st, path, "categories", &nc, err);
  cJSON *s = c ? meta_array(m->st, path, "stuff", &ns, err) : NULL;
  int rc = P2C_OK;
  if (!c || !s) {
    rc = err ? err->code : P2C_ERR_SCHEMA;
    goto done;
  }
  if (nv <= TOK_EOS || nv > MAX_VOCAB || nc < 1 || nc > MAX_CLASSES || ns != nc) {
    rc = p2ci_error(err, P2C_ERR_SCHEMA, "%s: vocabulary (%d) or categories (%d, stuff %d) out of range",
                    path, nv, nc, ns);
    goto done;
  }
  m->vocab_size = nv;
  m->num_classes = nc;
  m->vocab = calloc((size_t)nv, sizeof *m->vocab);
  m->category_ids = calloc((size_t)nc, sizeof *m->category_ids);
  m->is_stuff = calloc((size_t)nc, 1);
  if (!m->vocab || !m->category_ids || !m->is_stuff) {
    rc = p2ci_error(err, P2C_ERR_NOMEM, "%s: out of memory", path);
    goto done;
  }
  for (int i = 0; i < nv; i++) {
    const cJSON *w = cJSON_GetArrayItem(v, i);
    if (!cJSON_IsString(w) || strlen(w->valuestring) > 64) {
      rc = p2ci_error(err, P2C_ERR_SCHEMA, "%s: vocabulary entry %d is not a short string", path, i);
      goto done;
    }
    if (!(m->vocab[i] = p2ci_strdup(w->valuestring))) {
      rc = p2ci_error(err, P2C_ERR_NOMEM, "%s: out of memory", path);
      goto done;
    }
  }
  for (int i = 0; i < nc; i++) {
    const cJSON *id = cJSON_GetArrayItem(c, i), *st = cJSON_GetArrayItem(s, i);
    if (!cJSON_IsNumber(id) || id->valuedouble != (double)(int64_t)id->valuedouble ||
        !cJSON_IsNumber(st)) {
      rc = p2ci_error(err, P2C_ERR_SCHEMA, "%s: category %d is not an integer id", path, i);
      goto done;
    }
    m->category_ids[i] = (int64_t)id->valuedouble;
    m->is_stuff[i] = st->valuedouble != 0;
  }
done:
  cJSON_Delete(v);
  cJSON_Delete(c);
  cJSON_Delete(s);
  return rc;
}

P2C_API void p2c_refmodel_free(p2c_refmodel *m) {
  if (!m) return;
  if (m->vocab)
    for (int i = 0; i < m->vocab_size; i++) free(m->vocab[i]);
  free(m->vocab);
  free(m->category_ids);
  free(m->is_stuff);
  for (int i = 0; i < m->num_allocs; i++) free(m->allocs[i]);
  free(m->word_gates);
  p2ci_safetensors_free(m->st);
  free(m);
}

P2C_API int p2c_refmodel_load(const char *path, p2c_refmodel **out, p2c_error *err) {
  if (!out) return p2ci_error(err, P2C_ERR_INVALID_ARG, "p2c_refmodel_load: out is NULL");
  *out = NULL;
  if (!path) return p2ci_error(err, P2C_ERR_INVALID_ARG, "p2c_refmodel_load: path is NULL");
  p2c_refmodel *m = calloc(1, sizeof *m);
  if (!m) return p2ci_error(err, P2C_ERR_NOMEM, "%s: out of memory", path);
  int rc = p2ci_safetensors_read(path, &m->st, err);
  if (!rc) rc = load_meta(m, path, err);
  if (rc) {
    p2c_refmodel_free(m);
    return rc;
  }
  loader L = {m, m->st, path, err, 0, 0};
  m->c1 = get_conv(&L, "c1", 32, 3, 3, 1);
  m->c2 = get_conv(&L, "c2", 64, 32, 3, 2);
  m->c3 = get_conv(&L, "c3", 128, 64, 3, 2);
  m->c4 = get_conv(&L, "c4", 128, 128, 3, 1);
  m->mem_proj = get_lin(&L, "mem_proj", D, 128, 1);
  m->pos = get(&L, "pos", 2, T16, D, 0, 0);
  m->mem32 = get_lin(&L, "mem32", D, 64, 1);
  m->pos32 = get(&L, "pos32", 2, T32, D, 0, 0);
  m->l16 = get_conv(&L, "l16", 64, 128, 1, 1);
  m->l32 = get_conv(&L, "l32", 64, 64, 1, 1);
  m->s32 = get_conv(&L, "s32", 32, 64, 3, 1);
  m->o32 = get_conv(&L, "o32", EMB, 32, 1, 1);
  m->l64 = get_conv(&L, "l64", EMB, 32, 1, 1);
  m->s64 = get_conv(&L, "s64", EMB, EMB, 3, 1);
  m->e64 = get_conv(&L, "e64", EMB, EMB, 1, 1);
  m->query = get(&L, "query", 2, NQ, D, 0, 0);
  for (int i = 0; i < LAYERS; i++) {
    char pre[32], buf[64];
    layer *ly = &m->layers[i];
    snprintf(pre, sizeof pre, "layers.%d", i);
    ly->cross = get_attn(&L, join(buf, sizeof buf, pre, "cross"));
    ly->self_ = get_attn(&L, join(buf, sizeof buf, pre, "self_"));
    ly->n1 = get_norm(&L, join(buf, sizeof buf, pre, "n1"));
    ly->n2 = get_norm(&L, join(buf, sizeof buf, pre, "n2"));
    ly->n3 = get_norm(&L, join(buf, sizeof buf, pre, "n3"));
    ly->f1 = get_lin(&L, join(buf, sizeof buf, pre, "f1"), FFN, D, 1);
    ly->f2 = get_lin(&L, join(buf, sizeof buf, pre, "f2"), D, FFN, 1);
  }
  m->dec_norm = get_norm(&L, "dec_norm");
  m->cls = get_lin(&L, "cls", m->num_classes + 1, D, 1);
  m->m1 = get_lin(&L, "m1", D, D, 1);
  m->m2 = get_lin(&L, "m2", D, D, 1);
  m->m3 = get_lin(&L, "m3", EMB, D, 1);
  m->word = get(&L, "word.weight", 2, m->vocab_size, WORD, 0, 0);
  m->h0 = get_lin(&L, "h0", HID, 2 * D, 1);
  m->gru_wih = get(&L, "gru.weight_ih_l0", 2, 3 * HID, WORD + D, 0, 0);
  m->gru_whh = get(&L, "gru.weight_hh_l0", 2, 3 * HID, HID, 0, 0);
  m->gru_bih = get(&L, "gru.bias_ih_l0", 1, 3 * HID, 0, 0, 0);
  m->gru_bhh = get(&L, "gru.bias_hh_l0", 1, 3 * HID, 0, 0, 0);
  m->gru_ih = (lin){m->gru_wih, m->gru_bih, NULL, 3 * HID, WORD + D};
  m->gru_hh = (lin){m->gru_whh, m->gru_bhh, NULL, 3 * HID, HID};
  transpose(&L, &m->gru_ih);
  transpose(&L, &m->gru_hh);
  if (!L.failed) {
    /* the word's share of the input gates, for every word; the query's share
     * is computed once per segment (gru_q) */
    m->gru_q = (lin){NULL, NULL, m->gru_ih.wt + (size_t)WORD * 3 * HID, 3 * HID, D};
    const lin words = {NULL, m->gru_bih, m->gru_ih.wt, 3 * HID, WORD};
    m->word_gates = p2ci_malloc_array((size_t)m->vocab_size * 3 * HID, sizeof(float));
    if (!m->word_gates) {
      p2c_refmodel_free(m);
      return p2ci_error(err, P2C_ERR_NOMEM, "%s: out of memory", path);
    }
    linear(&words, m->word, m->vocab_size, m->word_gates);
  }
  m->att = get_lin(&L, "att", D, HID, 1);
  m->comb = get_lin(&L, "comb", HID, HID + D, 1);
  m->out = get_lin(&L, "out", m->vocab_size, HID, 1);
  if (L.failed) {
    p2c_refmodel_free(m);
    return err ? err->code : P2C_ERR_SCHEMA;
  }
  m->num_params = L.params;
  *out = m;
  return P2C_OK;
}

P2C_API size_t p2c_refmodel_num_params(const p2c_refmodel *m) { return m ? m->num_params : 0; }
P2C_API int p2c_refmodel_num_queries(const p2c_refmodel *m) { return m ? NQ : 0; }
P2C_API int p2c_refmodel_num_classes(const p2c_refmodel *m) { return m ? m->num_classes : 0; }
P2C_API int p2c_refmodel_input_size(const p2c_refmodel *m) { return m ? IMG : 0; }

/* ---- kernels ------------------------------------------------------------------ */

/* y[o] = b[o] + sum_i w[o][i] x[i] (summed over i in order, then the bias),
 * for n rows of x, then ReLU if relu; the transposed weights are the
 * product's right operand. */
static void linear_act(const lin *l, const float *x, int n, float *y, int relu) {
  p2ci_gemm(n, l->out, l->in, x, (size_t)l->in, l->wt, (size_t)l->out, y, (size_t)l->out, l->b,
            (l->b ? P2CI_GEMM_COL_BIAS : 0) | (relu ? P2CI_GEMM_RELU : 0));
}

static void linear(const lin *l, const float *x, int n, float *y) { linear_act(l, x, n, y, 0); }

/* PyTorch's Conv2d with padding k/2: out is out x (h/stride) x (w/stride),
 * then ReLU if relu. As im2col (col: in*k*k rows of oh*ow, zero where the
 * window leaves the image) and a product summed over the rows in order, then
 * the bias. */
static void conv2d(const conv *c, const float *in, int h, int w, float *out, float *col, int relu) {
  const int s = c->stride, k = c->k, pad = k / 2, oh = h / s, ow = w / s;
  const size_t plane = (size_t)oh * ow, rows = (size_t)c->in * k * k;
  const float *src = in;
  if (k != 1 || s != 1) {
    for (int i = 0; i < c->in; i++)
      for (int ky = 0; ky < k; ky++)
        for (int kx = 0; kx < k; kx++) {
          float *dst = col + (((size_t)i * k + ky) * k + kx) * plane;
          /* the output columns whose input column ox * s + kx - pad is inside */
          int x0 = 0, x1 = ow;
          while (x0 < ow && x0 * s + kx - pad < 0) x0++;
          while (x1 > x0 && (x1 - 1) * s + kx - pad >= w) x1--;
          for (int oy = 0; oy < oh; oy++) {
            const int iy = oy * s + ky - pad;
            float *d = dst + (size_t)oy * ow;
            if (iy < 0 || iy >= h) {
              memset(d, 0, sizeof(float) * (size_t)ow);
              continue;
            }
            const float *row = in + ((size_t)i * h + iy) * w + kx - pad;
            for (int ox = 0; ox < x0; ox++) d[ox] = 0.0f;
            if (s == 1)
              memcpy(d + x0, row + x0, sizeof(float) * (size_t)(x1 - x0));
            else
              for (int ox = x0; ox < x1; ox++) d[ox] = row[ox * s];
            for (int ox = x1; ox < ow; ox++) d[ox] = 0.0f;
          }
        }
    src = col;
  }
  p2ci_gemm(c->out, (int)plane, (int)rows, c->w, rows, src, plane, out, plane, c->b,
            P2CI_GEMM_ROW_BIAS | (relu ? P2CI_GEMM_RELU : 0));
}

/* dst (cols x rows) = src (rows x cols) transposed: channel planes to
 * token rows and back. */
static void transpose_rows(const float *src, int rows, int cols, float *dst) {
  for (int r = 0; r < rows; r++)
    for (int c = 0; c < cols; c++) dst[(size_t)c * rows + r] = src[(size_t)r * cols + c];
}

static void relu(float *x, size_t n) {
  for (size_t i = 0; i < n; i++) x[i] = x[i] > 0.0f ? x[i] : 0.0f; /* NaN and -0 give +0 */
}

/* a += nearest-neighbour 2x upsampling of b (c planes of h x w). */
static void add_up2(float *a, const float *b, int c, int h, int w) {
  for (int ch = 0; ch < c; ch++)
    for (int y = 0; y < 2 * h; y++)
      for (int x = 0; x < 2 * w; x++)
        a[((size_t)ch * 2 * h + y) * 2 * w + x] += b[((size_t)ch * h + y / 2) * w + x / 2];
}

static void layer_norm(const norm *n, float *x, int rows) {
  for (int r = 0; r < rows; r++) {
    float *v = x + (size_t)r * D;
    float mean = 0.0f, var = 0.0f;
    for (int i = 0; i < D; i++) mean += v[i];
    mean /= D;
    for (int i = 0; i < D; i++) var += (v[i] - mean) * (v[i] - mean);
    var /= D;
    float inv = 1.0f / sqrtf(var + 1e-5f);
    for (int i = 0; i < D; i++) v[i] = (v[i] - mean) * inv * n->w[i] + n->b[i];
  }
}

/* In-place softmax of n values; entries with skip[i] set get probability 0. */
static void softmax(float *a, int n, const unsigned char *skip) {
  float mx = -INFINITY;
  for (int i = 0; i < n; i++)
    if ((!skip || !skip[i]) && a[i] > mx) mx = a[i];
  float sum = 0.0f;
  for (int i = 0; i < n; i++) {
    a[i] = (skip && skip[i]) ? 0.0f : expf(a[i] - mx);
    sum += a[i];
  }
  for (int i = 0; i < n; i++) a[i] /= sum;
}

/* ---- the forward pass --------------------------------------------------------- */

typedef struct work {
  float *c1, *c2, *c3, *c4, *f16, *f32a, *f32, *t32, *f64, *r64, *emb;
  float *col, *tok, *mem, *keys, *keys_t; /* the caption's memory T16 x D; keys (Q + T16) x D */
  float *tok32, *mem32;                   /* the decoder's memory T32 x D */
  float *q, *qn, *tmp, *tmp2, *ffn;       /* query rows */
  float *kbuf, *vbuf, *kt, *scores;       /* up to T32 rows; scores: NQ x T32 */
  float *cls, *masks, *emb32, *e, *h1;
  unsigned char *block;
  float g[D];
} work;

static void work_free(work *w) {
  float **f[] = {&w->c1,    &w->c2,     &w->c3,    &w->c4,     &w->f16,   &w->f32a, &w->f32,
                 &w->t32,   &w->f64,    &w->r64,   &w->emb,    &w->tok,   &w->mem,  &w->keys,
                 &w->keys_t, &w->tok32, &w->mem32, &w->q,      &w->qn,    &w->tmp,  &w->tmp2,
                 &w->ffn,   &w->col,    &w->kbuf,  &w->vbuf,   &w->kt,    &w->scores, &w->cls,
                 &w->masks, &w->emb32,  &w->e,     &w->h1};
  for (size_t i = 0; i < sizeof f / sizeof *f; i++) free(*f[i]);
  free(w->block);
}

static int work_init(work *w, int nc) {
  memset(w, 0, sizeof *w);
#define A(p, n) (w->p = p2ci_malloc_array((size_t)(n), sizeof(float)))
  int ok = A(c1, 32 * IMG * IMG) && A(c2, 64 * 32 * 32) && A(c3, 128 * 256) && A(c4, 128 * 256) &&
           A(f16, 64 * 256) && A(f32a, 64 * 32 * 32) && A(f32, 32 * 32 * 32) &&
           A(t32, EMB * 32 * 32) && A(f64, EMB * IMG * IMG) && A(r64, EMB * IMG * IMG) &&
           A(emb, EMB * IMG * IMG) && A(col, EMB * 9 * IMG * IMG) && /* the largest im2col: s64 */
           A(tok, T16 * 128) && A(mem, T16 * D) && A(keys, (NQ + T16) * D) &&
           A(keys_t, (NQ + T16) * D) && A(tok32, T32 * 64) && A(mem32, T32 * D) && A(q, NQ * D) &&
           A(qn, NQ * D) && A(tmp, NQ * D) && A(tmp2, NQ * D) && A(ffn, NQ * FFN) &&
           A(kbuf, T32 * D) && A(vbuf, T32 * D) && A(kt, T32 * D) && A(scores, NQ * T32) &&
           A(cls, NQ * (nc + 1)) && A(masks, NQ * IMG * IMG) && A(emb32, EMB * T32) &&
           A(e, NQ * EMB) && A(h1, NQ * D);
#undef A
  w->block = malloc((size_t)NQ * T32);
  if (!ok || !w->block) {
    work_free(w);
    return P2C_ERR_NOMEM;
  }
  return P2C_OK;
}

static void encode(const p2c_refmodel *m, const uint8_t *rgb, work *w) {
  float *x = w->f64; /* scratch: 3 x 64 x 64 input */
  for (int c = 0; c < 3; c++)
    for (int p = 0; p < IMG * IMG; p++)
      x[c * IMG * IMG + p] = ((float)rgb[p * 3 + c] / 255.0f - 0.5f) / 0.25f;
  conv2d(&m->c1, x, IMG, IMG, w->c1, w->col, 1);
  conv2d(&m->c2, w->c1, IMG, IMG, w->c2, w->col, 1);
  conv2d(&m->c3, w->c2, 32, 32, w->c3, w->col, 1);
  conv2d(&m->c4, w->c3, 16, 16, w->c4, w->col, 1);
  transpose_rows(w->c4, 128, T16, w->tok);
  linear(&m->mem_proj, w->tok, T16, w->mem);
  for (int i = 0; i < T16 * D; i++) w->mem[i] += m->pos[i];
  conv2d(&m->l16, w->c4, 16, 16, w->f16, w->col, 0);
  conv2d(&m->l32, w->c2, 32, 32, w->f32a, w->col, 0);
  add_up2(w->f32a, w->f16, 64, 16, 16);
  relu(w->f32a, 64 * 32 * 32);
  /* the decoder's memory: (memory upsampled + mem32(f32a)) + pos32 */
  transpose_rows(w->f32a, 64, T32, w->tok32);
  linear(&m->mem32, w->tok32, T32, w->mem32);
  for (int t = 0; t < T32; t++) {
    const float *up = w->mem + ((t / 32 / 2) * 16 + t % 32 / 2) * D;
    float *row = w->mem32 + (size_t)t * D;
    for (int i = 0; i < D; i++) row[i] = (up[i] + row[i]) + m->pos32[(size_t)t * D + i];
  }
  conv2d(&m->s32, w->f32a, 32, 32, w->f32, w->col, 1);
  conv2d(&m->o32, w->f32, 32, 32, w->t32, w->col, 0);
  conv2d(&m->l64, w->c1, IMG, IMG, w->f64, w->col, 0);
  add_up2(w->f64, w->t32, EMB, 32, 32);
  relu(w->f64, EMB * IMG * IMG);
  conv2d(&m->s64, w->f64, IMG, IMG, w->r64, w->col, 1);
  for (int i = 0; i < EMB * IMG * IMG; i++) w->f64[i] += w->r64[i];
  conv2d(&m->e64, w->f64, IMG, IMG, w->emb, w->col, 0);
}

/* Class logits and mask logits of the current queries (RefModel.heads). */
static void heads(const p2c_refmodel *m, work *w, int full_masks) {
  memcpy(w->qn, w->q, sizeof(float) * NQ * D);
  layer_norm(&m->dec_norm, w->qn, NQ);
  linear(&m->cls, w->qn, NQ, w->cls);
  linear_act(&m->m1, w->qn, NQ, w->h1, 1);
  linear_act(&m->m2, w->h1, NQ, w->tmp, 1);
  linear(&m->m3, w->tmp, NQ, w->e);
  if (full_masks) p2ci_gemm(NQ, IMG * IMG, EMB, w->e, EMB, w->emb, IMG * IMG, w->masks, IMG * IMG, NULL, 0);
}

/* Multi-head attention of nq query rows x over nt rows of mem; y = o(...). */
static void attention(const attn *a, const float *x, int nq, const float *mem, int nt,
                      const unsigned char *block, work *w, float *y) {
  float *qb = w->tmp2;
  linear(&a->q, x, nq, qb);
  linear(&a->k, mem, nt, w->kbuf);
  linear(&a->v, mem, nt, w->vbuf);
  transpose_rows(w->kbuf, nt, D, w->kt);
  float *ctx = w->h1;
  const float scale = sqrtf((float)DH);
  for (int h = 0; h < HEADS; h++) {
    p2ci_gemm(nq, nt, DH, qb + h * DH, D, w->kt + (size_t)h * DH * nt, (size_t)nt, w->scores,
              (size_t)nt, NULL, 0);
    for (int q = 0; q < nq; q++) {
      float *sq = w->scores + (size_t)q * nt;
      for (int t = 0; t < nt; t++) sq[t] /= scale;
      softmax(sq, nt, block ? block + (size_t)q * nt : NULL);
    }
    p2ci_gemm(nq, DH, nt, w->scores, (size_t)nt, w->vbuf + h * DH, D, ctx + h * DH, D, NULL, 0);
  }
  linear(&a->o, ctx, nq, y);
}

static void add_norm(const norm *n, float *q, const float *y) {
  for (int i = 0; i < NQ * D; i++) q[i] += y[i];
  layer_norm(n, q, NQ);
}

/* RefModel.segment: final class and mask logits in w->cls / w->masks, the
 * normalised query tokens in w->qn. */
static void segment(const p2c_refmodel *m, const uint8_t *rgb, work *w) {
  encode(m, rgb, w);
  for (int c = 0; c < EMB; c++)
    for (int t = 0; t < T32; t++) {
      int ty = t / 32, tx = t % 32;
      float s = 0.0f;
      for (int dy = 0; dy < 2; dy++)
        for (int dx = 0; dx < 2; dx++) s += w->emb[(size_t)c * IMG * IMG + (ty * 2 + dy) * IMG + tx * 2 + dx];
      w->emb32[c * T32 + t] = s / 4.0f;
    }
  memcpy(w->q, m->query, sizeof(float) * NQ * D);
  for (int l = 0; l < LAYERS; l++) {
    const layer *ly = &m->layers[l];
    heads(m, w, 0);
    /* masked attention: a memory token is blocked when the query's mask logit
     * on the 2x2-averaged pixel embedding there is negative; a query blocked
     * everywhere is not blocked at all */
    p2ci_gemm(NQ, T32, EMB, w->e, EMB, w->emb32, T32, w->scores, T32, NULL, 0);
    for (int q = 0; q < NQ; q++) {
      unsigned char *b = w->block + q * T32;
      int all = 1;
      for (int t = 0; t < T32; t++) {
        b[t] = w->scores[q * T32 + t] < 0.0f;
        all &= b[t];
      }
      if (all) memset(b, 0, T32);
    }
    float *y = w->ffn; /* NQ x D fits in NQ x FFN */
    attention(&ly->cross, w->q, NQ, w->mem32, T32, w->block, w, y);
    add_norm(&ly->n1, w->q, y);
    attention(&ly->self_, w->q, NQ, w->q, NQ, NULL, w, w->tmp);
    add_norm(&ly->n2, w->q, w->tmp);
    linear_act(&ly->f1, w->q, NQ, w->ffn, 1);
    linear(&ly->f2, w->ffn, NQ, w->tmp);
    add_norm(&ly->n3, w->q, w->tmp);
  }
  heads(m, w, 1);
}

P2C_API int p2c_refmodel_forward(const p2c_refmodel *m, const uint8_t *rgb, float *class_logits,
                                 float *mask_logits, p2c_error *err) {
  if (!m || !rgb || !class_logits || !mask_logits)
    return p2ci_error(err, P2C_ERR_INVALID_ARG, "p2c_refmodel_forward: NULL argument");
  work w;
  if (work_init(&w, m->num_classes)) return p2ci_error(err, P2C_ERR_NOMEM, "out of memory");
  segment(m, rgb, &w);
  memcpy(class_logits, w.cls, sizeof(float) * NQ * (m->num_classes + 1));
  memcpy(mask_logits, w.masks, sizeof(float) * NQ * IMG * IMG);
  work_free(&w);
  return P2C_OK;
}

/* ---- panoptic inference and captions ------------------------------------------ */

struct p2c_refmodel_result {
  uint32_t ids[IMG * IMG];
  size_t n;
  p2c_refmodel_segment seg[NQ];
  char *captions[NQ];
};

static float sigmoidf(float x) { return 1.0f / (1.0f + expf(-x)); }

/* Appends word to the caption being built in *text (cap bytes): words joined
 * by spaces, "," and "." attached to the word before. 0, or -1 when out of memory. */
static int append_word(char **text, size_t *len, size_t *cap, const char *word) {
  int punct = strcmp(word, ",") == 0 || strcmp(word, ".") == 0;
  size_t wl = strlen(word);
  if (*len + wl + 2 > *cap) {
    size_t nc = 2 * (*len + wl + 2);
    char *nt = realloc(*text, nc);
    if (!nt) return -1;
    *text = nt;
    *cap = nc;
  }
  if (*len > 0 && !punct) (*text)[(*len)++] = ' ';
  memcpy(*text + *len, word, wl + 1);
  *len += wl;
  return 0;
}

/* Greedy decoding (RefModel.greedy) of the captions of the n queries qs[],
 * all in lockstep (each row's arithmetic is the same as alone). */
static int captions(const p2c_refmodel *m, work *w, const int *qs, int n, char **out) {
  const int V = m->vocab_size, NK = NQ + T16;
  float *buf = p2ci_malloc_array((size_t)n, sizeof(float) * (size_t)(2 * D + 3 * HID * 3 + HID * 3 + D * 2 + HID + D + NK + V));
  size_t *len = calloc((size_t)n, sizeof *len), *cap = calloc((size_t)n, sizeof *cap);
  int *tok = calloc((size_t)n, sizeof *tok), *seg = calloc((size_t)n, sizeof *seg);
  int rc = (buf && len && cap && tok && seg) ? P2C_OK : P2C_ERR_NOMEM;
  for (int s = 0; s < n; s++) out[s] = NULL;
  for (int s = 0; !rc && s < n; s++) {
    out[s] = malloc(cap[s] = 64);
    if (!out[s]) rc = P2C_ERR_NOMEM;
    else out[s][0] = '\0';
  }
  if (rc) goto done;
  float *xi = buf, *qg = xi + (size_t)n * 2 * D, *gi = qg + (size_t)n * 3 * HID,
        *gh = gi + (size_t)n * 3 * HID, *h = gh + (size_t)n * 3 * HID, *a = h + (size_t)n * HID,
        *ctx = a + (size_t)n * D, *hc = ctx + (size_t)n * D, *o = hc + (size_t)n * (HID + D),
        *sc = o + (size_t)n * HID, *logits = sc + (size_t)n * NK;
  /* h0 = tanh(W [q; g] + b); the query's share of the GRU input gates */
  for (int s = 0; s < n; s++)
    for (int i = 0; i < D; i++) {
      xi[s * 2 * D + i] = w->qn[qs[s] * D + i];
      xi[s * 2 * D + D + i] = w->g[i];
      ctx[s * D + i] = w->qn[qs[s] * D + i];
    }
  linear(&m->h0, xi, n, h);
  for (int k = 0; k < n * HID; k++) h[k] = tanhf(h[k]);
  linear(&m->gru_q, ctx, n, qg);
  /* the rows still decoding are the first left ones, for the segments seg[];
   * a finished row leaves the batch (rows never mix, so this changes no bits) */
  for (int s = 0; s < n; s++) {
    tok[s] = TOK_BOS;
    seg[s] = s;
  }
  const float scale = sqrtf((float)D);
  int left = n;
  for (int t = 0; t < MAX_TOKENS && left > 0; t++) {
    const int nr = left;
    for (int s = 0; s < nr; s++) {
      const float *wg = m->word_gates + (size_t)tok[s] * 3 * HID;
      for (int i = 0; i < 3 * HID; i++) gi[s * 3 * HID + i] = wg[i] + qg[s * 3 * HID + i];
    }
    linear(&m->gru_hh, h, nr, gh);
    /* PyTorch's GRU: gates r, z, n in that order */
    for (int s = 0; s < nr; s++) {
      const float *gs = gi + s * 3 * HID, *hs = gh + s * 3 * HID;
      for (int i = 0; i < HID; i++) {
        float r = sigmoidf(gs[i] + hs[i]);
        float z = sigmoidf(gs[HID + i] + hs[HID + i]);
        float nn = tanhf(gs[2 * HID + i] + r * hs[2 * HID + i]);
        h[s * HID + i] = (1.0f - z) * nn + z * h[s * HID + i];
      }
    }
    linear(&m->att, h, nr, a);
    p2ci_gemm(nr, NK, D, a, D, w->keys_t, NK, sc, NK, NULL, 0);
    for (int s = 0; s < nr; s++) {
      float *ss = sc + (size_t)s * NK;
      for (int k = 0; k < NK; k++) ss[k] /= scale;
      softmax(ss, NK, NULL);
    }
    p2ci_gemm(nr, D, NK, sc, NK, w->keys, D, ctx, D, NULL, 0);
    for (int s = 0; s < nr; s++) {
      memcpy(hc + s * (HID + D), h + s * HID, sizeof(float) * HID);
      memcpy(hc + s * (HID + D) + HID, ctx + s * D, sizeof(float) * D);
    }
    linear(&m->comb, hc, nr, o);
    for (int k = 0; k < nr * HID; k++) o[k] = tanhf(o[k]);
    linear(&m->out, o, nr, logits);
    left = 0;
    for (int r = 0; r < nr; r++) {
      const float *ls = logits + (size_t)r * V;
      int best = 0;
      for (int v = 1; v < V; v++)
        if (ls[v] > ls[best]) best = v;
      if (best == TOK_EOS) continue;
      const int s = seg[r];
      if (append_word(&out[s], &len[s], &cap[s], m->vocab[best])) {
        rc = P2C_ERR_NOMEM;
        goto done;
      }
      if (left < r) {
        memcpy(h + (size_t)left * HID, h + (size_t)r * HID, sizeof(float) * HID);
        memcpy(qg + (size_t)left * 3 * HID, qg + (size_t)r * 3 * HID, sizeof(float) * 3 * HID);
      }
      tok[left] = best;
      seg[left++] = s;
    }
  }
  for (int s = 0; s < n; s++)
    if (len[s] > 0 && out[s][0] >= 'a' && out[s][0] <= 'z') out[s][0] = (char)(out[s][0] - 'a' + 'A');
done:
  if (rc)
    for (int s = 0; s < n; s++) {
      free(out[s]);
      out[s] = NULL;
    }
  free(buf);
  free(len);
  free(cap);
  free(tok);
  free(seg);
  return rc;
}

P2C_API void p2c_refmodel_result_free(p2c_refmodel_result *r) {
  if (!r) return;
  for (size_t i = 0; i < r->n; i++) free(r->captions[i]);
  free(r);
}

P2C_API int p2c_refmodel_predict(const p2c_refmodel *m, const uint8_t *rgb, int width, int height,
                                 p2c_refmodel_result **out, p2c_error *err) {
  if (!out) return p2ci_error(err, P2C_ERR_INVALID_ARG, "p2c_refmodel_predict: out is NULL");
  *out = NULL;
  if (!m || !rgb) return p2ci_error(err, P2C_ERR_INVALID_ARG, "p2c_refmodel_predict: NULL argument");
  if (width != IMG || height != IMG)
    return p2ci_error(err, P2C_ERR_UNSUPPORTED,
                      "the reference model takes %dx%d images, not %dx%d", IMG, IMG, width, height);
  p2c_refmodel_result *r = calloc(1, sizeof *r);
  work w;
  if (!r || work_init(&w, m->num_classes)) {
    free(r);
    return p2ci_error(err, P2C_ERR_NOMEM, "out of memory");
  }
  segment(m, rgb, &w);
  const int nc = m->num_classes;
  /* Mask2Former's panoptic inference: keep queries whose most likely class
   * (no-object included) is an object with probability > 0.5 */
  float score[NQ];
  int label[NQ], kept[NQ], nk = 0;
  for (int q = 0; q < NQ; q++) {
    float *p = w.cls + q * (nc + 1);
    softmax(p, nc + 1, NULL);
    int best = 0;
    for (int c = 1; c <= nc; c++)
      if (p[c] > p[best]) best = c;
    score[q] = p[best];
    label[q] = best;
    if (best != nc && p[best] > 0.5f) kept[nk++] = q;
  }
  static const int N = IMG * IMG;
  unsigned char owner[IMG * IMG];
  for (int j = 0; j < nk; j++) { /* the kept queries' mask probabilities, in place */
    float *mk = w.masks + (size_t)kept[j] * N;
    for (int p = 0; p < N; p++) mk[p] = sigmoidf(mk[p]);
  }
  for (int p = 0; p < N; p++) {
    int bj = 0;
    float bv = -1.0f;
    for (int j = 0; j < nk; j++) {
      float v = score[kept[j]] * w.masks[(size_t)kept[j] * N + p];
      if (v > bv) {
        bv = v;
        bj = j;
      }
    }
    owner[p] = (unsigned char)bj;
  }
  memset(r->ids, 0, sizeof r->ids);
  int rc = P2C_OK;
  for (int j = 0; j < nk; j++) {
    int q = kept[j], c = label[q];
    const float *mk = w.masks + (size_t)q * N;
    int area = 0, orig = 0, inter = 0;
    for (int p = 0; p < N; p++) {
      int on = mk[p] >= 0.5f;
      area += owner[p] == j;
      orig += on;
      inter += owner[p] == j && on;
    }
    if (area == 0 || orig == 0 || inter == 0 || (float)area / (float)orig < 0.8f) continue;
    size_t target = r->n;
    if (m->is_stuff[c])
      for (size_t s = 0; s < r->n; s++)
        if (r->seg[s].category_id == m->category_ids[c]) target = s;
    for (int p = 0; p < N; p++)
      if (owner[p] == j && mk[p] >= 0.5f) r->ids[p] = (uint32_t)target + 1;
    if (target < r->n) continue;
    r->seg[r->n].id = (uint32_t)r->n + 1;
    r->seg[r->n].category_id = m->category_ids[c];
    r->seg[r->n].score = score[q];
    r->seg[r->n].query = q;
    r->n++;
  }
  /* captions: global token g = mean of the memory; keys = [queries; memory] */
  for (int i = 0; i < D; i++) {
    float s = 0.0f;
    for (int t = 0; t < T16; t++) s += w.mem[t * D + i];
    w.g[i] = s / T16;
  }
  memcpy(w.keys, w.qn, sizeof(float) * NQ * D);
  memcpy(w.keys + NQ * D, w.mem, sizeof(float) * T16 * D);
  transpose_rows(w.keys, NQ + T16, D, w.keys_t);
  int qs[NQ];
  for (size_t s = 0; s < r->n; s++) qs[s] = r->seg[s].query;
  if (r->n > 0 && captions(m, &w, qs, (int)r->n, r->captions))
    rc = p2ci_error(err, P2C_ERR_NOMEM, "out of memory");
  for (size_t s = 0; !rc && s < r->n; s++) r->seg[s].caption = r->captions[s];
  work_free(&w);
  if (rc) {
    p2c_refmodel_result_free(r);
    return rc;
  }
  *out = r;
  return P2C_OK;
}

P2C_API const uint32_t *p2c_refmodel_result_ids(const p2c_refmodel_result *r) {
  return r ? r->ids : NULL;
}
P2C_API size_t p2c_refmodel_result_num_segments(const p2c_refmodel_result *r) {
  return r ? r->n : 0;
}
P2C_API int p2c_refmodel_result_segment(const p2c_refmodel_result *r, size_t i,
                                        p2c_refmodel_segment *out) {
  if (!r || !out || i >= r->n) return P2C_ERR_INVALID_ARG;
  *out = r->seg[i];
  return P2C_OK;
}
