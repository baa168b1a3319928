/* Writing 8-bit RGB PNGs (id maps and rendered images) through libspng. */
#ifndef P2C_IO_PNG_WRITE_H
#define P2C_IO_PNG_WRITE_H

#include <stddef.h>
#include <stdint.h>

#include "p2ceval.h"

/* Encode width x height RGB8 pixels (row-major, 3 bytes each) as a PNG with
 * zlib level `level` (0..9) and write it atomically to path. Output bytes
 * depend only on the pixels, the level and the zlib build. */
int p2ci_png_write_rgb8(const char *path, const uint8_t *rgb, int width, int height, int level,
                        p2c_error *err);

#endif
