/* COCO caption files into a p2c_captions handle: the inputs of pycocoevalcap's
 * COCOEvalCap (annotations file + results list), checked the way it asserts,
 * with messages that name the file, the entry and the image id. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "io/json.h"
#include "metrics/caption_scorer.h"
#include "text/vocab.h"

typedef struct image {
  const char **refs; /* borrowed from the JSON tree */
  size_t n_refs, cap_refs;
  const char *hyp;
  size_t n_hyps;
} image;

/* The image id as text: integers as such, other numbers with %.17g, strings
 * as they are. Returns 0, or a message in err. */
static int id_text(const cJSON *id, char *buf, size_t size, const char *file, size_t index,
                   p2c_error *err)
{
  if (cJSON_IsString(id)) {
    if (strlen(id->valuestring) >= size)
      return p2ci_error(err, P2C_ERR_LIMIT, "%s: entry %zu: image_id longer than %zu bytes", file,
                        index, size - 1);
    memcpy(buf, id->valuestring, strlen(id->valuestring) + 1);
    return P2C_OK;
  }
  if (cJSON_IsNumber(id)) {
    double v = id->valuedouble;
    if (v == floor(v) && fabs(v) < 9007199254740992.0) snprintf(buf, size, "%lld", (long long)v);
    else snprintf(buf, size, "%.17g", v);
    return P2C_OK;
  }
  return p2ci_error(err, P2C_ERR_SCHEMA, "%s: entry %zu: image_id is missing or not a number or string",
                    file, index);
}

static int caption_of(const cJSON *entry, const char *file, size_t index, const char *id,
                      const char **out, p2c_error *err)
{
  const cJSON *cap = cJSON_GetObjectItemCaseSensitive(entry, "caption");
  if (!cJSON_IsString(cap))
    return p2ci_error(err, P2C_ERR_SCHEMA, "%s: entry %zu (image %s): caption is missing or not a string",
                      file, index, id);
  *out = cap->valuestring;
  return P2C_OK;
}

int p2c_captions_add_coco_files(p2c_captions *c, const char *refs_path, const char *hyps_path)
{
  if (!c || !refs_path || !hyps_path) return P2C_ERR_INVALID_ARG;
  p2c_error err;
  p2ci_error_clear(&err);
  cJSON *refs = NULL, *hyps = NULL;
  p2ci_vocab *ids = p2ci_vocab_create();
  image *images = NULL;
  size_t n_images = 0, cap_images = 0;
  char id[512];
  int rc = ids ? P2C_OK : p2ci_error(&err, P2C_ERR_NOMEM, "out of memory");
  if (!rc) rc = p2ci_json_load(refs_path, 0, &refs, &err);
  if (!rc) rc = p2ci_json_load(hyps_path, 0, &hyps, &err);
  if (rc) goto done;

  const cJSON *anns = cJSON_GetObjectItemCaseSensitive(refs, "annotations");
  if (!cJSON_IsObject(refs) || !cJSON_IsArray(anns)) {
    rc = p2ci_error(&err, P2C_ERR_SCHEMA, "%s: expected an object with an \"annotations\" list",
                    refs_path);
    goto done;
  }
  size_t index = 0;
  const cJSON *a;
  cJSON_ArrayForEach(a, anns)
  {
    const char *caption = NULL;
    if ((rc = id_text(cJSON_GetObjectItemCaseSensitive(a, "image_id"), id, sizeof id, refs_path,
                      index, &err)) ||
        (rc = caption_of(a, refs_path, index, id, &caption, &err)))
      goto done;
    uint32_t k;
    if ((rc = p2ci_vocab_intern(ids, id, strlen(id), &k)) ||
        (k == n_images && (rc = p2ci_grow(&images, &cap_images, n_images + 1, sizeof *images)))) {
      rc = p2ci_error(&err, rc, "out of memory");
      goto done;
    }
    if (k == n_images) memset(&images[n_images++], 0, sizeof *images);
    image *im = &images[k];
    if (p2ci_grow(&im->refs, &im->cap_refs, im->n_refs + 1, sizeof *im->refs)) {
      rc = p2ci_error(&err, P2C_ERR_NOMEM, "out of memory");
      goto done;
    }
    im->refs[im->n_refs++] = caption;
    index++;
  }

  if (!cJSON_IsArray(hyps)) {
    rc = p2ci_error(&err, P2C_ERR_SCHEMA, "%s: expected a list of {\"image_id\", \"caption\"}",
                    hyps_path);
    goto done;
  }
  index = 0;
  cJSON_ArrayForEach(a, hyps)
  {
    const char *caption = NULL;
    if ((rc = id_text(cJSON_GetObjectItemCaseSensitive(a, "image_id"), id, sizeof id, hyps_path,
                      index, &err)) ||
        (rc = caption_of(a, hyps_path, index, id, &caption, &err)))
      goto done;
    uint32_t k;
    if (!p2ci_vocab_find(ids, id, strlen(id), &k)) {
      rc = p2ci_error(&err, P2C_ERR_MISMATCH, "%s: entry %zu: image %s has no reference caption in %s",
                      hyps_path, index, id, refs_path);
      goto done;
    }
    if (images[k].n_hyps++) {
      rc = p2ci_error(&err, P2C_ERR_MISMATCH,
                      "%s: entry %zu: image %s has more than one caption (one hypothesis per image)",
                      hyps_path, index, id);
      goto done;
    }
    images[k].hyp = caption;
    index++;
  }
  for (size_t k = 0; k < n_images; k++)
    if (!images[k].n_hyps) {
      rc = p2ci_error(&err, P2C_ERR_MISMATCH, "%s: image %s has no caption in %s", refs_path,
                      p2ci_vocab_word(ids, (uint32_t)k, NULL), hyps_path);
      goto done;
    }
  for (size_t k = 0; k < n_images; k++) {
    rc = p2c_captions_add(c, p2ci_vocab_word(ids, (uint32_t)k, NULL), images[k].refs,
                          images[k].n_refs, images[k].hyp);
    if (rc) {
      /* the handle holds the message; add the file names */
      snprintf(err.message, sizeof err.message, "%s / %s: %s", refs_path, hyps_path,
               p2c_captions_last_error(c));
      err.code = rc;
      goto done;
    }
  }
done:
  for (size_t k = 0; k < n_images; k++) free(images[k].refs);
  free(images);
  p2ci_vocab_free(ids);
  cJSON_Delete(refs);
  cJSON_Delete(hyps);
  return rc ? p2ci_captions_fail(c, &err) : P2C_OK;
}
