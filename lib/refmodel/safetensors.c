#include "refmodel/safetensors.h"

#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "io/file.h"

/* The weights of the reference model are ~8 MB; this bounds a hostile file. */
#define ST_MAX_FILE ((size_t)512 << 20)
#define ST_MAX_HEADER ((size_t)16 << 20)

static uint64_t le64(const unsigned char *p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
  return v;
}

static float le_f32(const unsigned char *p) {
  uint32_t u = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
  float f;
  memcpy(&f, &u, sizeof f);
  return f;
}

void p2ci_safetensors_free(p2ci_safetensors *st) {
  if (!st) return;
  for (size_t i = 0; i < st->num_tensors; i++) {
    free(st->tensors[i].name);
    free(st->tensors[i].data);
  }
  free(st->tensors);
  cJSON_Delete(st->header);
  free(st);
}

/* A JSON number that is a non-negative integer no larger than max. */
static int json_uint(const cJSON *j, uint64_t max, uint64_t *out) {
  if (!cJSON_IsNumber(j)) return 0;
  double d = j->valuedouble;
  if (!(d >= 0) || d > (double)max || d != (double)(uint64_t)d) return 0;
  *out = (uint64_t)d;
  return 1;
}

static int parse_tensor(const char *path, const cJSON *item, const unsigned char *data,
                        size_t data_len, p2ci_tensor *t, p2c_error *err) {
  const char *name = item->string;
  const cJSON *dtype = cJSON_GetObjectItemCaseSensitive(item, "dtype");
  const cJSON *shape = cJSON_GetObjectItemCaseSensitive(item, "shape");
  const cJSON *offs = cJSON_GetObjectItemCaseSensitive(item, "data_offsets");
  if (!cJSON_IsObject(item) || !cJSON_IsString(dtype) || !cJSON_IsArray(shape) ||
      !cJSON_IsArray(offs) || cJSON_GetArraySize(offs) != 2)
    return p2ci_error(err, P2C_ERR_SCHEMA, "%s: tensor %s: needs dtype, shape and data_offsets[2]",
                      path, name);
  if (strcmp(dtype->valuestring, "F32") != 0)
    return p2ci_error(err, P2C_ERR_UNSUPPORTED, "%s: tensor %s: dtype %s (only F32 is supported)",
                      path, name, dtype->valuestring);
  int nd = cJSON_GetArraySize(shape);
  if (nd > P2CI_ST_MAX_DIMS)
    return p2ci_error(err, P2C_ERR_LIMIT, "%s: tensor %s: %d dimensions (at most %d)", path, name,
                      nd, P2CI_ST_MAX_DIMS);
  uint64_t count = 1;
  for (int i = 0; i < nd; i++) {
    uint64_t d;
    if (!json_uint(cJSON_GetArrayItem(shape, i), UINT32_MAX, &d))
      return p2ci_error(err, P2C_ERR_SCHEMA, "%s: tensor %s: bad shape", path, name);
    t->shape[i] = (int64_t)d;
    if (d != 0 && count > (uint64_t)ST_MAX_FILE / d)
      return p2ci_error(err, P2C_ERR_LIMIT, "%s: tensor %s: too large", path, name);
    count *= d;
  }
  uint64_t b, e;
  if (!json_uint(cJSON_GetArrayItem(offs, 0), data_len, &b) ||
      !json_uint(cJSON_GetArrayItem(offs, 1), data_len, &e) || e < b)
    return p2ci_error(err, P2C_ERR_PARSE, "%s: tensor %s: data_offsets outside the %zu data bytes",
                      path, name, data_len);
  if (e - b != count * 4)
    return p2ci_error(err, P2C_ERR_PARSE, "%s: tensor %s: %llu bytes for %llu floats", path, name,
                      (unsigned long long)(e - b), (unsigned long long)count);
  t->ndim = nd;
  t->count = (size_t)count;
  t->name = p2ci_strdup(name);
  t->data = p2ci_malloc_array(count ? count : 1, sizeof(float));
  if (!t->name || !t->data) return p2ci_error(err, P2C_ERR_NOMEM, "%s: out of memory", path);
  for (size_t i = 0; i < t->count; i++) t->data[i] = le_f32(data + b + 4 * i);
  return P2C_OK;
}

int p2ci_safetensors_read(const char *path, p2ci_safetensors **out, p2c_error *err) {
  *out = NULL;
  char *buf;
  size_t len;
  int rc = p2ci_read_file(path, ST_MAX_FILE, &buf, &len, err);
  if (rc) return rc;
  const unsigned char *u = (const unsigned char *)buf;
  if (len < 8) {
    free(buf);
    return p2ci_error(err, P2C_ERR_PARSE, "%s: not a safetensors file (%zu bytes)", path, len);
  }
  uint64_t hlen = le64(u);
  if (hlen > ST_MAX_HEADER || hlen > len - 8) {
    free(buf);
    return p2ci_error(err, P2C_ERR_PARSE, "%s: header length %llu does not fit the file", path,
                      (unsigned long long)hlen);
  }
  p2ci_safetensors *st = calloc(1, sizeof *st);
  if (!st) {
    free(buf);
    return p2ci_error(err, P2C_ERR_NOMEM, "%s: out of memory", path);
  }
  st->header = cJSON_ParseWithLength(buf + 8, (size_t)hlen);
  if (!cJSON_IsObject(st->header)) {
    rc = p2ci_error(err, P2C_ERR_PARSE, "%s: the header is not a JSON object", path);
    goto fail;
  }
  const unsigned char *data = u + 8 + hlen;
  size_t data_len = len - 8 - (size_t)hlen;
  size_t n = (size_t)cJSON_GetArraySize(st->header);
  st->tensors = calloc(n ? n : 1, sizeof *st->tensors);
  if (!st->tensors) {
    rc = p2ci_error(err, P2C_ERR_NOMEM, "%s: out of memory", path);
    goto fail;
  }
  for (const cJSON *it = st->header->child; it; it = it->next) {
    if (it->string && strcmp(it->string, "__metadata__") == 0) {
      if (!cJSON_IsObject(it)) {
        rc = p2ci_error(err, P2C_ERR_SCHEMA, "%s: __metadata__ is not an object", path);
        goto fail;
      }
      st->metadata = (cJSON *)it;
      continue;
    }
    if (!it->string) continue;
    rc = parse_tensor(path, it, data, data_len, &st->tensors[st->num_tensors++], err);
    if (rc) goto fail;
  }
  free(buf);
  *out = st;
  return P2C_OK;
fail:
  free(buf);
  p2ci_safetensors_free(st);
  return rc;
}

const float *p2ci_safetensors_get(const p2ci_safetensors *st, const char *path, const char *name,
                                  int ndim, const int64_t *shape, p2c_error *err) {
  for (size_t i = 0; i < st->num_tensors; i++) {
    const p2ci_tensor *t = &st->tensors[i];
    if (strcmp(t->name, name) != 0) continue;
    int same = t->ndim == ndim;
    for (int k = 0; same && k < ndim; k++) same = t->shape[k] == shape[k];
    if (!same) {
      p2ci_error(err, P2C_ERR_SCHEMA, "%s: tensor %s has an unexpected shape", path, name);
      return NULL;
    }
    return t->data;
  }
  p2ci_error(err, P2C_ERR_SCHEMA, "%s: tensor %s is missing", path, name);
  return NULL;
}

const char *p2ci_safetensors_meta(const p2ci_safetensors *st, const char *key) {
  const cJSON *v = st->metadata ? cJSON_GetObjectItemCaseSensitive(st->metadata, key) : NULL;
  return cJSON_IsString(v) ? v->valuestring : NULL;
}
