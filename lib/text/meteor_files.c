/* METEOR 1.5's data files (english.synsets, english.exceptions), read as
 * METEOR reads them; see meteor_files.h. */
#include "text/meteor_files.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "core/internal.h"
#include "text/meteor_normalizer.h"

int p2ci_meteor_lines_read(const char *path, p2ci_meteor_lines *l, p2c_error *err)
{
  memset(l, 0, sizeof *l);
  l->path = path;
  struct stat st;
  if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
    return p2ci_error(err, P2C_ERR_IO, "%s: is a directory", path);
  gzFile f = gzopen(path, "rb");
  if (!f) return p2ci_error(err, P2C_ERR_IO, "%s: cannot open (%s)", path, strerror(errno));
  size_t cap = 1 << 20;
  l->data = malloc(cap);
  if (!l->data) {
    gzclose(f);
    return p2ci_error(err, P2C_ERR_NOMEM, "%s: out of memory", path);
  }
  for (;;) {
    if (cap - l->len < 65536) {
      char *p = cap > SIZE_MAX / 2 ? NULL : realloc(l->data, cap * 2);
      if (!p) {
        gzclose(f);
        p2ci_meteor_lines_free(l);
        return p2ci_error(err, P2C_ERR_NOMEM, "%s: out of memory", path);
      }
      l->data = p;
      cap *= 2;
    }
    int n = gzread(f, l->data + l->len, 65536);
    if (n < 0) {
      int e;
      const char *msg = gzerror(f, &e);
      p2ci_error(err, P2C_ERR_PARSE, "%s: cannot read: %s", path, msg);
      gzclose(f);
      p2ci_meteor_lines_free(l);
      return P2C_ERR_PARSE;
    }
    if (n == 0) break;
    l->len += (size_t)n;
  }
  gzclose(f);
  l->data[l->len] = '\0';
  return 0;
}

int p2ci_meteor_lines_next(p2ci_meteor_lines *l, const char **s, size_t *n)
{
  if (l->pos >= l->len) return 0;
  size_t b = l->pos, e = b;
  while (e < l->len && l->data[e] != '\n' && l->data[e] != '\r') e++;
  *s = l->data + b;
  *n = e - b;
  if (e < l->len && l->data[e] == '\r' && e + 1 < l->len && l->data[e + 1] == '\n') e++;
  l->pos = e + 1;
  return 1;
}

size_t p2ci_meteor_token(const char *s, size_t n, size_t *pos, const char **t)
{
  size_t i = *pos;
  while (i < n && p2ci_meteor_is_delim(s[i])) i++;
  *t = s + i;
  size_t b = i;
  while (i < n && !p2ci_meteor_is_delim(s[i])) i++;
  *pos = i;
  return i - b;
}

int p2ci_meteor_parse_int(const char *t, size_t n, int32_t *out)
{
  if (n == 0 || n > 10) return -1;
  int64_t v = 0;
  size_t i = 0;
  int neg = 0;
  if (t[0] == '-' || t[0] == '+') {
    neg = t[0] == '-';
    if (++i == n) return -1;
  }
  for (; i < n; i++) {
    if (t[i] < '0' || t[i] > '9') return -1;
    v = v * 10 + (t[i] - '0');
  }
  if (neg) v = -v;
  if (v > INT32_MAX || v < INT32_MIN) return -1;
  *out = (int32_t)v;
  return 0;
}

void p2ci_meteor_lines_free(p2ci_meteor_lines *l)
{
  free(l->data);
  l->data = NULL;
  l->len = l->pos = 0;
}

int p2ci_meteor_synsets_read(const char *path, p2ci_meteor_synsets_fn fn, void *ctx,
                             p2c_error *err)
{
  p2ci_meteor_lines l;
  int rc = p2ci_meteor_lines_read(path, &l, err);
  if (rc) return rc;
  int32_t *ids = NULL;
  size_t cap = 0, records = 0;
  const char *w, *line;
  size_t wn, in, lineno = 0;
  while (rc == 0 && p2ci_meteor_lines_next(&l, &w, &wn)) {
    lineno++;
    if (!p2ci_meteor_lines_next(&l, &line, &in)) {
      rc = p2ci_error(err, P2C_ERR_PARSE, "%s: line %zu: word without a line of synset ids", path,
                      lineno);
      break;
    }
    lineno++;
    size_t pos = 0, n = 0, tn;
    const char *t;
    while (rc == 0 && (tn = p2ci_meteor_token(line, in, &pos, &t)) > 0) {
      if (p2ci_grow(&ids, &cap, n + 1, sizeof *ids))
        rc = p2ci_error(err, P2C_ERR_NOMEM, "%s: out of memory", path);
      else if (p2ci_meteor_parse_int(t, tn, &ids[n++]))
        rc = p2ci_error(err, P2C_ERR_PARSE, "%s: line %zu: '%.*s' is not a synset id", path,
                        lineno, (int)(tn > 32 ? 32 : tn), t);
    }
    if (rc == 0 && fn(ctx, w, wn, ids, n, ++records))
      rc = p2ci_error(err, P2C_ERR_NOMEM, "%s: out of memory", path);
  }
  free(ids);
  p2ci_meteor_lines_free(&l);
  return rc;
}
