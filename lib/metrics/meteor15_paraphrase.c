/* METEOR 1.5's paraphrase table (aligner/ParaphraseTransducer.java and
 * ParaphraseMatcher.java): gzip text of 3-line records (probability, phrase 1,
 * phrase 2); phrase 1 goes into a trie, both phrases share one vocabulary, and
 * every entry is matched in both directions. Format notes:
 * ../shared/parity/meteor/PARAPHRASE_FORMAT.md and docs/metrics.md. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "core/internal.h"
#include "metrics/meteor15.h"
#include "text/java_string.h"
#include "text/meteor_normalizer.h"

typedef struct edge {
  uint64_t key; /* node << 32 | word, + 1 so that 0 marks an empty slot */
  int child;
} edge;

typedef struct node {
  int first_emit, last_emit; /* entry list in file order, -1 when none */
} node;

struct p2ci_m15_paraphrase {
  p2ci_strmap vocab;
  edge *edges;
  size_t edge_cap, num_edges;
  node *nodes;
  size_t num_nodes, cap_nodes;
  int *next_emit;   /* per entry: next entry emitted by the same node */
  size_t *p2_start; /* per entry: phrase 2 range in words */
  int *p2_len;
  size_t num_entries, cap_entries;
  int *words;
  size_t num_words, cap_words;
};

static uint64_t mix(uint64_t k)
{
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdu;
  k ^= k >> 33;
  return k;
}

static int child_of(const p2ci_m15_paraphrase *p, int nd, int word)
{
  if (!p->edge_cap || word < 0) return -1;
  uint64_t key = (((uint64_t)(uint32_t)nd << 32) | (uint32_t)word) + 1;
  size_t mask = p->edge_cap - 1, i = (size_t)mix(key) & mask;
  while (p->edges[i].key) {
    if (p->edges[i].key == key) return p->edges[i].child;
    i = (i + 1) & mask;
  }
  return -1;
}

static int edges_grow(p2ci_m15_paraphrase *p)
{
  size_t cap = p->edge_cap ? p->edge_cap * 2 : 1024;
  edge *e = p2ci_calloc_array(cap, sizeof *e);
  if (!e) return P2C_ERR_NOMEM;
  for (size_t k = 0; k < p->edge_cap; k++)
    if (p->edges[k].key) {
      size_t i = (size_t)mix(p->edges[k].key) & (cap - 1);
      while (e[i].key) i = (i + 1) & (cap - 1);
      e[i] = p->edges[k];
    }
  free(p->edges);
  p->edges = e;
  p->edge_cap = cap;
  return 0;
}

static int new_node(p2ci_m15_paraphrase *p)
{
  if (p2ci_grow(&p->nodes, &p->cap_nodes, p->num_nodes + 1, sizeof *p->nodes)) return -1;
  p->nodes[p->num_nodes] = (node){-1, -1};
  return (int)p->num_nodes++;
}

static int child_add(p2ci_m15_paraphrase *p, int nd, int word)
{
  int c = child_of(p, nd, word);
  if (c >= 0) return c;
  if ((p->num_edges + 1) * 2 > p->edge_cap && edges_grow(p)) return -1;
  if ((c = new_node(p)) < 0) return -1;
  uint64_t key = (((uint64_t)(uint32_t)nd << 32) | (uint32_t)word) + 1;
  size_t mask = p->edge_cap - 1, i = (size_t)mix(key) & mask;
  while (p->edges[i].key) i = (i + 1) & mask;
  p->edges[i].key = key;
  p->edges[i].child = c;
  p->num_edges++;
  return c;
}

void p2ci_m15_paraphrase_free(p2ci_m15_paraphrase *p)
{
  if (!p) return;
  p2ci_strmap_free(&p->vocab);
  free(p->edges);
  free(p->nodes);
  free(p->next_emit);
  free(p->p2_start);
  free(p->p2_len);
  free(p->words);
  free(p);
}

int p2ci_m15_paraphrase_word(const p2ci_m15_paraphrase *p, const char *w, size_t len)
{
  return p ? p2ci_strmap_get(&p->vocab, w, len) : -1;
}

size_t p2ci_m15_paraphrase_entries(const p2ci_m15_paraphrase *p) { return p ? p->num_entries : 0; }

/* Tokens of a phrase line mapped to vocabulary ids (new ids in order of first
 * appearance), appended to p->words. Returns the count or P2C_ERR_NOMEM. */
static int phrase(p2ci_m15_paraphrase *p, const char *s, size_t n)
{
  int count = 0;
  size_t i = 0;
  while (i < n) {
    while (i < n && p2ci_meteor_is_delim(s[i])) i++;
    size_t b = i;
    while (i < n && !p2ci_meteor_is_delim(s[i])) i++;
    if (i == b) break;
    int id;
    if (p2ci_strmap_put(&p->vocab, s + b, i - b, (int)p->vocab.count, &id) < 0) return P2C_ERR_NOMEM;
    if (p2ci_grow(&p->words, &p->cap_words, p->num_words + 1, sizeof *p->words)) return P2C_ERR_NOMEM;
    p->words[p->num_words++] = id;
    count++;
  }
  return count;
}

static int add_entry(p2ci_m15_paraphrase *p, const char *a, size_t an, const char *b, size_t bn)
{
  size_t a0 = p->num_words;
  int na = phrase(p, a, an);
  if (na < 0) return na;
  size_t b0 = p->num_words;
  int nb = phrase(p, b, bn);
  if (nb < 0) return nb;
  size_t e = p->num_entries, cap = p->cap_entries;
  if (p2ci_grow(&p->next_emit, &cap, e + 1, sizeof *p->next_emit)) return P2C_ERR_NOMEM;
  cap = p->cap_entries;
  if (p2ci_grow(&p->p2_start, &cap, e + 1, sizeof *p->p2_start)) return P2C_ERR_NOMEM;
  cap = p->cap_entries;
  if (p2ci_grow(&p->p2_len, &cap, e + 1, sizeof *p->p2_len)) return P2C_ERR_NOMEM;
  p->cap_entries = cap;
  int nd = 0;
  for (int k = 0; k < na; k++)
    if ((nd = child_add(p, nd, p->words[a0 + (size_t)k])) < 0) return P2C_ERR_NOMEM;
  p->next_emit[e] = -1;
  p->p2_start[e] = b0;
  p->p2_len[e] = nb;
  if (p->nodes[nd].last_emit < 0) p->nodes[nd].first_emit = (int)e;
  else p->next_emit[p->nodes[nd].last_emit] = (int)e;
  p->nodes[nd].last_emit = (int)e;
  p->num_entries++;
  return 0;
}

static int read_gz(const char *path, char **data, size_t *len, p2c_error *err)
{
  struct stat st;
  if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
    return p2ci_error(err, P2C_ERR_IO, "%s: is a directory, not a paraphrase table", path);
  gzFile f = gzopen(path, "rb");
  if (!f) return p2ci_error(err, P2C_ERR_IO, "%s: cannot open (%s)", path, strerror(errno));
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap);
  for (;;) {
    if (!buf) {
      gzclose(f);
      return p2ci_error(err, P2C_ERR_NOMEM, "%s: out of memory", path);
    }
    if (cap - n < 65537) {
      char *q = cap > SIZE_MAX / 2 ? NULL : realloc(buf, cap * 2);
      if (!q) free(buf);
      buf = q;
      cap *= 2;
      continue;
    }
    int r = gzread(f, buf + n, 65536);
    if (r < 0) {
      int e;
      p2ci_error(err, P2C_ERR_PARSE, "%s: corrupt gzip stream (%s)", path, gzerror(f, &e));
      free(buf);
      gzclose(f);
      return P2C_ERR_PARSE;
    }
    if (r == 0) break;
    n += (size_t)r;
  }
  /* gzread reports a stream cut short only through gzerror */
  int e;
  const char *msg = gzerror(f, &e);
  if (e != Z_OK && e != Z_BUF_ERROR) {
    p2ci_error(err, P2C_ERR_PARSE, "%s: corrupt gzip stream (%s)", path, msg);
    free(buf);
    gzclose(f);
    return P2C_ERR_PARSE;
  }
  if (gzclose(f) != Z_OK) {
    free(buf);
    return p2ci_error(err, P2C_ERR_PARSE, "%s: truncated or corrupt gzip stream", path);
  }
  buf[n] = '\0';
  *data = buf;
  *len = n;
  return 0;
}

int p2ci_m15_paraphrase_load(const char *path, p2ci_m15_paraphrase **out, p2c_error *err)
{
  *out = NULL;
  char *data = NULL;
  size_t len = 0;
  int rc = read_gz(path, &data, &len, err);
  if (rc) return rc;
  size_t bad = p2ci_utf8_invalid_at(data, len);
  if (bad < len) {
    size_t line = 1;
    for (size_t i = 0; i < bad; i++) line += data[i] == '\n';
    free(data);
    return p2ci_error(err, P2C_ERR_PARSE, "%s: line %zu: invalid UTF-8 (byte offset %zu)", path,
                      line, bad);
  }
  p2ci_m15_paraphrase *p = calloc(1, sizeof *p);
  if (!p || new_node(p) != 0) {
    free(p);
    free(data);
    return p2ci_error(err, P2C_ERR_NOMEM, "%s: out of memory", path);
  }
  /* BufferedReader.readLine: lines end at \n, \r or \r\n; no empty last line. */
  const char *ln[3];
  size_t lnl[3], pos = 0, line = 0;
  int k = 0;
  while (pos < len) {
    size_t b = pos;
    while (pos < len && data[pos] != '\n' && data[pos] != '\r') pos++;
    ln[k] = data + b;
    lnl[k] = pos - b;
    if (pos < len && data[pos] == '\r' && pos + 1 < len && data[pos + 1] == '\n') pos++;
    pos++;
    line++;
    if (++k < 3) continue;
    k = 0;

    rc = add_entry(p, ln[1], lnl[1], ln[2], lnl[2]);
    if (rc) {
      rc = p2ci_error(err, P2C_ERR_NOMEM, "%s: out of memory", path);
      break;
    }
    if (p->p2_len[p->num_entries - 1] == 0) {
      /* METEOR would create zero-length matches (and can loop forever on them) */
      rc = p2ci_error(err, P2C_ERR_PARSE,
                      "%s: line %zu: empty second phrase in the record of lines %zu-%zu", path,
                      line, line - 2, line);
      break;
    }
  }
  if (!rc && k != 0)
    rc = p2ci_error(err, P2C_ERR_PARSE,
                    "%s: %zu lines: a paraphrase table holds records of 3 lines (probability, "
                    "phrase, paraphrase); the last record is incomplete (a trailing blank line counts)",
                    path, line);
  free(data);
  if (rc) {
    p2ci_m15_paraphrase_free(p);
    return rc;
  }
  *out = p;
  return 0;
}

/* For each start position of 'from', each prefix of it that ends an entry's
 * phrase 1, and each occurrence of that entry's phrase 2 in 'to'. */
static int one_pass(const p2ci_m15_paraphrase *p, const p2ci_m15_token *from, size_t nf,
                    const p2ci_m15_token *to, size_t nt, int from_is_ref,
                    int (*emit)(void *ctx, const p2ci_m15_match *m), void *ctx)
{
  for (size_t j = 0; j < nf; j++) {
    int nd = 0;
    for (size_t d = 0; j + d < nf; d++) {
      nd = child_of(p, nd, from[j + d].para);
      if (nd < 0) break;
      for (int e = p->nodes[nd].first_emit; e >= 0; e = p->next_emit[e]) {
        const int *w = p->words + p->p2_start[e];
        int wl = p->p2_len[e];
        for (size_t i = 0; i < nt; i++) {
          int ok = 1;
          for (int k = 0; k < wl; k++)
            if (i + (size_t)k == nt || to[i + (size_t)k].para != w[k]) {
              ok = 0;
              break;
            }
          if (!ok) continue;
          p2ci_m15_match m;
          if (from_is_ref) m = (p2ci_m15_match){(int)j, (int)d + 1, (int)i, wl, P2CI_M15_PARAPHRASE};
          else m = (p2ci_m15_match){(int)i, wl, (int)j, (int)d + 1, P2CI_M15_PARAPHRASE};
          int rc = emit(ctx, &m);
          if (rc) return rc;
        }
      }
    }
  }
  return 0;
}

int p2ci_m15_paraphrase_match(const p2ci_m15_paraphrase *p, const p2ci_m15_token *hyp, size_t n1,
                              const p2ci_m15_token *ref, size_t n2,
                              int (*emit)(void *ctx, const p2ci_m15_match *m), void *ctx)
{
  if (!p || !p->num_entries) return 0;
  int rc = one_pass(p, ref, n2, hyp, n1, 1, emit, ctx);
  if (!rc) rc = one_pass(p, hyp, n1, ref, n2, 0, emit, ctx);
  return rc;
}
