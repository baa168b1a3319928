/* Placeholder rules (lowercase, whitespace split, punctuation filter) until
 * the PTB lexer rules land; see docs/tokenizer.md. */
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "text/ptb_tokenizer.h"
#include "text/split.h"

struct p2ci_ptb {
  char *buf;
  size_t cap, n;
  p2c_error err;
};

int p2ci_ptb_create(p2ci_ptb **out, p2c_error *err)
{
  *out = calloc(1, sizeof **out);
  if (!*out) return p2ci_error(err, P2C_ERR_NOMEM, "out of memory");
  return P2C_OK;
}

void p2ci_ptb_free(p2ci_ptb *t)
{
  if (!t) return;
  free(t->buf);
  free(t);
}

const char *p2ci_ptb_last_error(const p2ci_ptb *t) { return t->err.message; }

static int emit(void *ctx, const char *w, size_t len)
{
  p2ci_ptb *t = ctx;
  if (p2ci_grow(&t->buf, &t->cap, t->n + len + 2, 1)) return P2C_ERR_NOMEM;
  if (t->n) t->buf[t->n++] = ' ';
  for (size_t i = 0; i < len; i++)
    t->buf[t->n++] = (w[i] >= 'A' && w[i] <= 'Z') ? (char)(w[i] - 'A' + 'a') : w[i];
  return P2C_OK;
}

int p2ci_ptb_tokenize(p2ci_ptb *t, const char *text, size_t len, const char **out,
                      size_t *out_len)
{
  t->n = 0;
  if (p2ci_grow(&t->buf, &t->cap, 1, 1)) return p2ci_error(&t->err, P2C_ERR_NOMEM, "out of memory");
  int rc = p2ci_split_whitespace(text, len, emit, t);
  if (rc) return p2ci_error(&t->err, rc, "out of memory");
  t->buf[t->n] = '\0';
  *out = t->buf;
  *out_len = t->n;
  return P2C_OK;
}
