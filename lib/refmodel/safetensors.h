/* A reader for safetensors files (https://github.com/huggingface/safetensors):
 * an 8-byte little-endian header length, a JSON header naming every tensor's
 * dtype, shape and byte range, then the raw data. Only F32 is accepted. The
 * file is untrusted: every offset, shape and size is checked before use. */
#ifndef P2C_REFMODEL_SAFETENSORS_H
#define P2C_REFMODEL_SAFETENSORS_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "p2ceval.h"

#define P2CI_ST_MAX_DIMS 4

typedef struct p2ci_tensor {
  char *name;
  int ndim;
  int64_t shape[P2CI_ST_MAX_DIMS];
  size_t count; /* number of floats */
  float *data;  /* host-order floats, owned by the p2ci_safetensors */
} p2ci_tensor;

typedef struct p2ci_safetensors {
  p2ci_tensor *tensors;
  size_t num_tensors;
  cJSON *metadata; /* the "__metadata__" object (string values), or NULL */
  cJSON *header;
} p2ci_safetensors;

/* Read and check a whole file. name is used in messages. */
int p2ci_safetensors_read(const char *path, p2ci_safetensors **out, p2c_error *err);
void p2ci_safetensors_free(p2ci_safetensors *st);
/* The tensor called name with exactly the given shape (ndim dims), or NULL
 * with an error naming the file and the tensor. */
const float *p2ci_safetensors_get(const p2ci_safetensors *st, const char *path, const char *name,
                                  int ndim, const int64_t *shape, p2c_error *err);
/* A string entry of __metadata__, or NULL. */
const char *p2ci_safetensors_meta(const p2ci_safetensors *st, const char *key);

#endif
