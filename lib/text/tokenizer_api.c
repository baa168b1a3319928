/* The public face of the PTB tokenizer (p2c_tokenizer). */
#include <stdlib.h>

#include "core/internal.h"
#include "text/ptb_tokenizer.h"

struct p2c_tokenizer {
  p2ci_ptb *ptb;
};

int p2c_tokenizer_create(p2c_tokenizer **out, p2c_error *err)
{
  if (!out) return p2ci_error(err, P2C_ERR_INVALID_ARG, "p2c_tokenizer_create: out is NULL");
  *out = NULL;
  p2c_tokenizer *t = calloc(1, sizeof *t);
  if (!t) return p2ci_error(err, P2C_ERR_NOMEM, "out of memory");
  int rc = p2ci_ptb_create(&t->ptb, err);
  if (rc) {
    free(t);
    return rc;
  }
  *out = t;
  return P2C_OK;
}

void p2c_tokenizer_free(p2c_tokenizer *t)
{
  if (!t) return;
  p2ci_ptb_free(t->ptb);
  free(t);
}

int p2c_tokenize(p2c_tokenizer *t, const char *text, size_t len, const char **out, size_t *out_len)
{
  if (!t || !out || (!text && len)) return P2C_ERR_INVALID_ARG;
  size_t n;
  int rc = p2ci_ptb_tokenize(t->ptb, text ? text : "", len, out, &n);
  if (!rc && out_len) *out_len = n;
  return rc;
}

const char *p2c_tokenizer_last_error(const p2c_tokenizer *t)
{
  return t ? p2ci_ptb_last_error(t->ptb) : "";
}
