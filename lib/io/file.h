/* Reading whole files, transparently gunzipped. */
#ifndef P2C_IO_FILE_H
#define P2C_IO_FILE_H

#include <stddef.h>

#include "p2ceval.h"

/* Default cap on the (decompressed) size of one input file: 2 GiB. */
#define P2CI_MAX_FILE_BYTES ((size_t)2 << 30)

/* Read all of path into a NUL-terminated malloc'd buffer (*data, *len without
 * the NUL). Files starting with the gzip magic are decompressed, whatever their
 * name. max_bytes == 0 means P2CI_MAX_FILE_BYTES. A directory, an unreadable
 * file, a corrupt or truncated gzip stream, or more than max_bytes gives an
 * error naming the file. */
int p2ci_read_file(const char *path, size_t max_bytes, char **data, size_t *len, p2c_error *err);

/* Write data to path atomically: a temporary file beside it, renamed into
 * place only when complete, so a failure never leaves a half-written file. */
int p2ci_write_file_atomic(const char *path, const void *data, size_t len, p2c_error *err);

#endif
