/* Instance-format predictions: a JSON list of per-object masks. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "io/json.h"
#include "masks/instances.h"
#include "masks/rle.h"

void p2c_instances_free(p2c_instances *inst)
{
  if (!inst) return;
  for (size_t i = 0; i < inst->n; i++) {
    p2c_rle_free(inst->items[i].mask);
    free(inst->items[i].caption);
  }
  free(inst->items);
  free(inst->order);
  free(inst);
}

size_t p2c_instances_count(const p2c_instances *inst) { return inst ? inst->n : 0; }

int p2c_instances_get(const p2c_instances *inst, size_t index, p2c_instance_info *out)
{
  if (!inst || !out || index >= inst->n) return P2C_ERR_INVALID_ARG;
  const p2ci_instance *it = &inst->items[index];
  out->image_id = it->image_id;
  out->category_id = it->category_id;
  out->id = it->id;
  out->score = it->score;
  out->has_score = it->has_score;
  out->caption = it->caption;
  out->mask = it->mask;
  return P2C_OK;
}

/* The last member named key (Python's json keeps the last duplicate). */
static const cJSON *member(const cJSON *obj, const char *key)
{
  const cJSON *found = NULL;
  for (const cJSON *c = obj ? obj->child : NULL; c; c = c->next)
    if (c->string && !strcmp(c->string, key)) found = c;
  return found;
}

static int is_int(const cJSON *v, double lo, double hi)
{
  return cJSON_IsNumber(v) && isfinite(v->valuedouble) && v->valuedouble == floor(v->valuedouble) &&
         v->valuedouble >= lo && v->valuedouble <= hi;
}

/* "segmentation": {"size": [h, w], "counts": "..." | [...]} or [[x, y, ...], ...]. */
static int read_mask(const cJSON *seg, const char *where, p2c_rle **out, int h_hint, int w_hint,
                     p2c_error *err)
{
  p2c_error e;
  int rc;
  if (cJSON_IsObject(seg)) {
    const cJSON *size = member(seg, "size"), *counts = member(seg, "counts");
    if (!cJSON_IsArray(size) || cJSON_GetArraySize(size) != 2 ||
        !is_int(cJSON_GetArrayItem(size, 0), 0, INT32_MAX) || !is_int(cJSON_GetArrayItem(size, 1), 0, INT32_MAX))
      return p2ci_error(err, P2C_ERR_SCHEMA, "%s: segmentation 'size' must be [h, w]", where);
    int h = (int)cJSON_GetArrayItem(size, 0)->valuedouble, w = (int)cJSON_GetArrayItem(size, 1)->valuedouble;
    if (cJSON_IsString(counts)) {
      rc = p2c_rle_from_string(h, w, counts->valuestring, strlen(counts->valuestring), out, &e);
    } else if (cJSON_IsArray(counts)) {
      size_t n = (size_t)cJSON_GetArraySize(counts), i = 0;
      uint32_t *c = p2ci_malloc_array(n ? n : 1, sizeof *c);
      if (!c) return p2ci_error(err, P2C_ERR_NOMEM, "out of memory");
      const cJSON *v;
      cJSON_ArrayForEach(v, counts)
      {
        if (!is_int(v, 0, UINT32_MAX)) {
          free(c);
          return p2ci_error(err, P2C_ERR_SCHEMA,
                            "%s: segmentation counts[%zu] must be a non-negative integer", where, i);
        }
        c[i++] = (uint32_t)v->valuedouble;
      }
      rc = p2c_rle_from_counts(h, w, c, n, out, &e);
      free(c);
    } else {
      return p2ci_error(err, P2C_ERR_SCHEMA, "%s: segmentation 'counts' must be a string or a list", where);
    }
    if (rc) return p2ci_error(err, rc, "%s: segmentation: %s", where, e.message);
    return P2C_OK;
  }
  if (cJSON_IsArray(seg)) { /* polygons: need the image size */
    if (h_hint <= 0 || w_hint <= 0)
      return p2ci_error(err, P2C_ERR_SCHEMA,
                        "%s: polygon segmentation needs the image size: give \"height\" and \"width\"", where);
    size_t np = (size_t)cJSON_GetArraySize(seg), k = 0;
    p2c_rle **parts = calloc(np ? np : 1, sizeof *parts);
    if (!parts) return p2ci_error(err, P2C_ERR_NOMEM, "out of memory");
    rc = P2C_OK;
    const cJSON *poly;
    cJSON_ArrayForEach(poly, seg)
    {
      size_t nc = cJSON_IsArray(poly) ? (size_t)cJSON_GetArraySize(poly) : 0;
      double *xy = nc ? malloc(nc * sizeof *xy) : NULL;
      if (!cJSON_IsArray(poly) || nc < 6 || !xy) {
        free(xy);
        rc = p2ci_error(err, P2C_ERR_SCHEMA, "%s: segmentation polygon %zu must list at least 3 points", where, k);
        break;
      }
      size_t j = 0;
      const cJSON *v;
      cJSON_ArrayForEach(v, poly) xy[j++] = cJSON_IsNumber(v) ? v->valuedouble : NAN;
      rc = p2c_rle_from_polygon(h_hint, w_hint, xy, nc, &parts[k], &e);
      free(xy);
      if (rc) {
        rc = p2ci_error(err, rc, "%s: segmentation polygon %zu: %s", where, k, e.message);
        break;
      }
      k++;
    }
    if (rc == P2C_OK && k == 0) rc = p2ci_error(err, P2C_ERR_SCHEMA, "%s: empty segmentation", where);
    if (rc == P2C_OK) {
      rc = p2c_rle_merge((const p2c_rle *const *)parts, k, 0, out, &e);
      if (rc) rc = p2ci_error(err, rc, "%s: %s", where, e.message);
    }
    for (size_t i = 0; i < k; i++) p2c_rle_free(parts[i]);
    free(parts);
    return rc;
  }
  return p2ci_error(err, P2C_ERR_SCHEMA, "%s: 'segmentation' must be an RLE object or a list of polygons", where);
}


int p2c_instances_load(const char *json_path, p2c_instances **out, p2c_error *err)
{
  if (!out || !json_path) return p2ci_error(err, P2C_ERR_INVALID_ARG, "p2c_instances_load: NULL argument");
  *out = NULL;
  cJSON *root = NULL;
  int rc = p2ci_json_load(json_path, 0, &root, err);
  if (rc) return rc;
  const cJSON *list = root;
  if (cJSON_IsObject(root)) list = member(root, "annotations");
  if (!cJSON_IsArray(list)) {
    cJSON_Delete(root);
    return p2ci_error(err, P2C_ERR_SCHEMA,
                      "%s: expected a list of instance predictions (or {\"annotations\": [...]})", json_path);
  }
  p2c_instances *inst = calloc(1, sizeof *inst);
  size_t n = (size_t)cJSON_GetArraySize(list);
  if (inst) inst->items = calloc(n ? n : 1, sizeof *inst->items);
  if (!inst || !inst->items) {
    p2c_instances_free(inst);
    cJSON_Delete(root);
    return p2ci_error(err, P2C_ERR_NOMEM, "out of memory");
  }
  const cJSON *a;
  size_t i = 0;
  cJSON_ArrayForEach(a, list)
  {
    char where[512];
    snprintf(where, sizeof where, "%s: [%zu]", json_path, i);
    p2ci_instance *it = &inst->items[i];
    const cJSON *img = member(a, "image_id"), *cat = member(a, "category_id");
    if (!cJSON_IsObject(a) || !is_int(img, 0, 9007199254740992.0) || !is_int(cat, 0, 9007199254740992.0)) {
      rc = p2ci_error(err, P2C_ERR_SCHEMA, "%s: needs integer 'image_id' and 'category_id'", where);
      break;
    }
    it->image_id = (int64_t)img->valuedouble;
    it->category_id = (int64_t)cat->valuedouble;
    snprintf(where, sizeof where, "%s: [%zu] (image %" PRId64 ")", json_path, i, it->image_id);
    const cJSON *id = member(a, "id"), *score = member(a, "score"), *cap = member(a, "caption");
    it->id = is_int(id, 0, 9007199254740992.0) ? (int64_t)id->valuedouble : -1;
    if (score && !cJSON_IsNull(score)) {
      if (!cJSON_IsNumber(score) || !isfinite(score->valuedouble)) {
        rc = p2ci_error(err, P2C_ERR_SCHEMA, "%s: 'score' must be a finite number", where);
        break;
      }
      it->score = score->valuedouble;
      it->has_score = 1;
    }
    if (cJSON_IsString(cap) && !(it->caption = p2ci_strdup(cap->valuestring))) {
      rc = p2ci_error(err, P2C_ERR_NOMEM, "out of memory");
      break;
    }
    const cJSON *hh = member(a, "height"), *ww = member(a, "width");
    int h = is_int(hh, 1, INT32_MAX) ? (int)hh->valuedouble : 0, w = is_int(ww, 1, INT32_MAX) ? (int)ww->valuedouble : 0;
    if ((rc = read_mask(member(a, "segmentation"), where, &it->mask, h, w, err))) break;
    it->index = i;
    i++;
    inst->n = i;
  }
  cJSON_Delete(root);
  if (rc == P2C_OK) rc = p2ci_instances_index(inst, err);
  if (rc) {
    p2c_instances_free(inst);
    return rc;
  }
  *out = inst;
  return P2C_OK;
}

/* Entries sorted by image id, then descending score, then file order: the
 * order predictions of one image are matched in. */
static int cmp_order(const void *a, const void *b)
{
  const p2ci_instance *x = *(const p2ci_instance *const *)a, *y = *(const p2ci_instance *const *)b;
  if (x->image_id != y->image_id) return x->image_id < y->image_id ? -1 : 1;
  double sx = x->has_score ? x->score : -INFINITY, sy = y->has_score ? y->score : -INFINITY;
  if (sx != sy) return sx > sy ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

int p2ci_instances_index(p2c_instances *inst, p2c_error *err)
{
  inst->order = p2ci_malloc_array(inst->n ? inst->n : 1, sizeof *inst->order);
  if (!inst->order) return p2ci_error(err, P2C_ERR_NOMEM, "out of memory");
  for (size_t i = 0; i < inst->n; i++) inst->order[i] = &inst->items[i];
  qsort(inst->order, inst->n, sizeof *inst->order, cmp_order);
  /* default ids: 1 + position in the image's (file-order) list */
  size_t start = 0;
  while (start < inst->n) {
    size_t end = start;
    while (end < inst->n && inst->order[end]->image_id == inst->order[start]->image_id) end++;
    for (size_t k = start; k < end; k++) {
      if (inst->order[k]->id >= 0) continue;
      int64_t pos = 1;
      for (size_t q = start; q < end; q++) pos += inst->order[q]->index < inst->order[k]->index;
      inst->order[k]->id = pos;
    }
    start = end;
  }
  return P2C_OK;
}

size_t p2ci_instances_of_image(const p2c_instances *inst, int64_t image_id, p2ci_instance *const **first)
{
  size_t lo = 0, hi = inst->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (inst->order[mid]->image_id < image_id) lo = mid + 1;
    else hi = mid;
  }
  size_t end = lo;
  while (end < inst->n && inst->order[end]->image_id == image_id) end++;
  *first = inst->order + lo;
  return end - lo;
}

size_t p2c_instances_image_count(const p2c_instances *inst, int64_t image_id)
{
  p2ci_instance *const *first;
  return inst ? p2ci_instances_of_image(inst, image_id, &first) : 0;
}

int p2c_instances_image_entry(const p2c_instances *inst, int64_t image_id, size_t k, size_t *entry)
{
  if (!inst || !entry) return P2C_ERR_INVALID_ARG;
  p2ci_instance *const *first;
  size_t n = p2ci_instances_of_image(inst, image_id, &first);
  if (k >= n) return P2C_ERR_INVALID_ARG;
  *entry = first[k]->index;
  return P2C_OK;
}
