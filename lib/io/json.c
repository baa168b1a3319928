#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "io/file.h"
#include "io/json.h"

int p2ci_json_parse(const char *name, const char *text, size_t len, cJSON **out, p2c_error *err)
{
  const char *end = NULL;
  cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
  if (!root) {
    if (len == 0 || strspn(text, " \t\r\n") == len)
      return p2ci_error(err, P2C_ERR_PARSE, "%s: empty file, expected JSON", name);
    size_t off = end && end >= text ? (size_t)(end - text) : 0;
    if (off > len) off = len;
    size_t line = 1, col = 1;
    for (size_t i = 0; i < off; i++) {
      if (text[i] == '\n') { line++; col = 1; } else col++;
    }
    /* Python's json.dump writes these for float('nan') / float('inf'). */
    const char *at = text + off;
    int nonfinite = !strncmp(at, "NaN", 3) || !strncmp(at, "Infinity", 8) ||
                    !strncmp(at, "-Infinity", 9);
    return p2ci_error(err, P2C_ERR_PARSE, "%s: invalid JSON at line %zu, column %zu%s", name, line,
                      col, nonfinite ? " (NaN and Infinity are not JSON numbers)" : "");
  }
  *out = root;
  return P2C_OK;
}

int p2ci_json_load(const char *path, size_t max_bytes, cJSON **out, p2c_error *err)
{
  char *data = NULL;
  size_t len = 0;
  int rc = p2ci_read_file(path, max_bytes, &data, &len, err);
  if (rc != P2C_OK) return rc;
  rc = p2ci_json_parse(path, data, len, out, err);
  free(data);
  return rc;
}

void p2ci_json_double(char *buf, size_t size, double v)
{
  if (!isfinite(v)) snprintf(buf, size, "null");
  else snprintf(buf, size, "%.17g", v);
}
