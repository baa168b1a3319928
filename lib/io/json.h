/* JSON documents through cJSON, with file names and positions in errors. */
#ifndef P2C_IO_JSON_H
#define P2C_IO_JSON_H

#include <cjson/cJSON.h>

#include "p2ceval.h"

/* Parse a JSON (or gzipped JSON) file. max_bytes as p2ci_read_file. On a syntax
 * error the message names the file, line and column. Free with cJSON_Delete. */
int p2ci_json_load(const char *path, size_t max_bytes, cJSON **out, p2c_error *err);
/* Parse a buffer; name is used in messages. */
int p2ci_json_parse(const char *name, const char *text, size_t len, cJSON **out, p2c_error *err);

/* Format a double so that it reads back to the same bits ("%.17g"); NaN and
 * infinities become null. buf needs 32 bytes. */
void p2ci_json_double(char *buf, size_t size, double v);

#endif
