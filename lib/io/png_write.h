/* The one PNG encoder: 8-bit RGB pixels to a file, through libspng. Used by
 * p2c_idmap_write_png (id maps) and by p2c-synth (rendered images). */
#ifndef P2C_IO_PNG_WRITE_H
#define P2C_IO_PNG_WRITE_H

#include <stddef.h>
#include <stdint.h>

#include "p2ceval.h"

/* `level` value keeping libspng's default zlib level. */
#define P2CI_PNG_LEVEL_DEFAULT (-1)

/* Encode width x height RGB8 pixels (row-major, 3 bytes each) as a PNG and
 * write it atomically to path. `level` is the zlib level (0..9, or
 * P2CI_PNG_LEVEL_DEFAULT); `adaptive_filters` nonzero lets libspng pick a row
 * filter per row (its default), zero writes every row unfiltered. Output bytes
 * depend only on the pixels, these two settings and the zlib build. */
int p2ci_png_write_rgb8(const char *path, const uint8_t *rgb, int width, int height, int level,
                        int adaptive_filters, p2c_error *err);

#endif
