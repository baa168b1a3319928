#include "io/png_write.h"

#include <spng.h>
#include <stdlib.h>

#include "core/internal.h"
#include "io/file.h"

int p2ci_png_write_rgb8(const char *path, const uint8_t *rgb, int width, int height, int level,
                        int adaptive_filters, p2c_error *err)
{
  if (!path || !rgb || width <= 0 || height <= 0 || level < P2CI_PNG_LEVEL_DEFAULT || level > 9)
    return p2ci_error(err, P2C_ERR_INVALID_ARG, "%s: bad PNG arguments", path ? path : "(null)");
  spng_ctx *ctx = spng_ctx_new(SPNG_CTX_ENCODER);
  if (!ctx) return p2ci_error(err, P2C_ERR_NOMEM, "%s: out of memory", path);
  struct spng_ihdr ihdr = {0};
  ihdr.width = (uint32_t)width;
  ihdr.height = (uint32_t)height;
  ihdr.bit_depth = 8;
  ihdr.color_type = SPNG_COLOR_TYPE_TRUECOLOR;
  size_t len = (size_t)width * (size_t)height * 3;
  /* Unfiltered rows (synthetic images): the adaptive choice among all five
   * filters costs time and gains little on flat id maps. Options left unset
   * keep libspng's defaults, so the bytes of earlier files do not change. */
  int e = spng_set_option(ctx, SPNG_ENCODE_TO_BUFFER, 1);
  if (!e && level != P2CI_PNG_LEVEL_DEFAULT)
    e = spng_set_option(ctx, SPNG_IMG_COMPRESSION_LEVEL, level);
  if (!e && !adaptive_filters) e = spng_set_option(ctx, SPNG_FILTER_CHOICE, SPNG_FILTER_CHOICE_NONE);
  if (!e) e = spng_set_ihdr(ctx, &ihdr);
  if (!e) e = spng_encode_image(ctx, rgb, len, SPNG_FMT_PNG, SPNG_ENCODE_FINALIZE);
  size_t png_len = 0;
  void *png = e ? NULL : spng_get_png_buffer(ctx, &png_len, &e);
  spng_ctx_free(ctx);
  if (!png)
    return p2ci_error(err, e == SPNG_EMEM ? P2C_ERR_NOMEM : P2C_ERR_INTERNAL,
                      "%s: PNG encoding failed (%s)", path, spng_strerror(e));
  int rc = p2ci_write_file_atomic(path, png, png_len, err);
  free(png);
  return rc;
}
