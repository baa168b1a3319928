#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "core/internal.h"
#include "io/file.h"

static int read_raw(const char *path, size_t max_bytes, unsigned char **out, size_t *out_len,
                    p2c_error *err)
{
  struct stat st;
  if (stat(path, &st) != 0)
    return p2ci_error(err, P2C_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
  if (S_ISDIR(st.st_mode))
    return p2ci_error(err, P2C_ERR_IO, "%s: is a directory, expected a file", path);
  FILE *f = fopen(path, "rb");
  if (!f) return p2ci_error(err, P2C_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
  size_t cap = 0, len = 0;
  unsigned char *buf = NULL;
  for (;;) {
    if (p2ci_grow(&buf, &cap, len + 65536 + 1, 1) != P2C_OK) {
      free(buf);
      fclose(f);
      return p2ci_error(err, P2C_ERR_NOMEM, "%s: out of memory", path);
    }
    size_t n = fread(buf + len, 1, cap - len - 1, f);
    len += n;
    if (len > max_bytes) {
      free(buf);
      fclose(f);
      return p2ci_error(err, P2C_ERR_LIMIT, "%s: larger than the limit of %zu bytes", path, max_bytes);
    }
    if (n == 0) break;
  }
  int failed = ferror(f);
  fclose(f);
  if (failed) {
    free(buf);
    return p2ci_error(err, P2C_ERR_IO, "%s: read error", path);
  }
  buf[len] = '\0';
  *out = buf;
  *out_len = len;
  return P2C_OK;
}

static int gunzip(const char *path, const unsigned char *in, size_t in_len, size_t max_bytes,
                  char **out, size_t *out_len, p2c_error *err)
{
  z_stream zs;
  memset(&zs, 0, sizeof zs);
  if (inflateInit2(&zs, 15 + 32) != Z_OK)
    return p2ci_error(err, P2C_ERR_NOMEM, "%s: cannot start gzip decoder", path);
  size_t cap = 0, len = 0;
  char *buf = NULL;
  int rc = Z_OK;
  zs.next_in = (unsigned char *)in;
  zs.avail_in = (uInt)(in_len > UINT32_MAX ? UINT32_MAX : in_len);
  size_t consumed_total = 0;
  for (;;) {
    if (len + 1 >= cap && p2ci_grow(&buf, &cap, len + 262144, 1) != P2C_OK) {
      rc = Z_MEM_ERROR;
      break;
    }
    zs.next_out = (unsigned char *)buf + len;
    zs.avail_out = (uInt)(cap - len - 1);
    size_t before_in = zs.avail_in;
    rc = inflate(&zs, Z_NO_FLUSH);
    consumed_total += before_in - zs.avail_in;
    len = cap - 1 - zs.avail_out;
    if (len > max_bytes) {
      inflateEnd(&zs);
      free(buf);
      return p2ci_error(err, P2C_ERR_LIMIT, "%s: decompresses to more than the limit of %zu bytes",
                        path, max_bytes);
    }
    if (rc == Z_STREAM_END) {
      /* Concatenated gzip members, as `cat a.gz b.gz` makes. */
      if (consumed_total < in_len) {
        if (inflateReset(&zs) != Z_OK) break;
        zs.next_in = (unsigned char *)in + consumed_total;
        zs.avail_in = (uInt)(in_len - consumed_total);
        continue;
      }
      break;
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) break;
    if (zs.avail_in == 0 && consumed_total < in_len) {
      zs.next_in = (unsigned char *)in + consumed_total;
      size_t left = in_len - consumed_total;
      zs.avail_in = (uInt)(left > UINT32_MAX ? UINT32_MAX : left);
    } else if (zs.avail_in == 0 && rc == Z_BUF_ERROR && zs.avail_out > 0) {
      rc = Z_DATA_ERROR; /* input ended inside the stream: truncated */
      break;
    }
  }
  inflateEnd(&zs);
  if (rc != Z_STREAM_END) {
    free(buf);
    if (rc == Z_MEM_ERROR) return p2ci_error(err, P2C_ERR_NOMEM, "%s: out of memory", path);
    return p2ci_error(err, P2C_ERR_PARSE, "%s: corrupt or truncated gzip data", path);
  }
  buf[len] = '\0';
  *out = buf;
  *out_len = len;
  return P2C_OK;
}

int p2ci_read_file(const char *path, size_t max_bytes, char **data, size_t *len, p2c_error *err)
{
  if (!path || !data || !len) return p2ci_error(err, P2C_ERR_INVALID_ARG, "read_file: NULL argument");
  if (max_bytes == 0) max_bytes = P2CI_MAX_FILE_BYTES;
  unsigned char *raw = NULL;
  size_t raw_len = 0;
  /* A gzip file may compress ~1000:1; its compressed size is bounded likewise. */
  int rc = read_raw(path, max_bytes, &raw, &raw_len, err);
  if (rc != P2C_OK) return rc;
  if (raw_len >= 2 && raw[0] == 0x1f && raw[1] == 0x8b) {
    rc = gunzip(path, raw, raw_len, max_bytes, data, len, err);
    free(raw);
    return rc;
  }
  *data = (char *)raw;
  *len = raw_len;
  return P2C_OK;
}

int p2ci_write_file_atomic(const char *path, const void *data, size_t len, p2c_error *err)
{
  if (!path) return p2ci_error(err, P2C_ERR_INVALID_ARG, "write_file: NULL path");
  size_t n = strlen(path);
  char *tmp = malloc(n + 32);
  if (!tmp) return p2ci_error(err, P2C_ERR_NOMEM, "%s: out of memory", path);
  snprintf(tmp, n + 32, "%s.tmp.%ld", path, (long)getpid());
  FILE *f = fopen(tmp, "wb");
  if (!f) {
    int e = errno;
    free(tmp);
    return p2ci_error(err, P2C_ERR_IO, "%s: cannot write: %s", path, strerror(e));
  }
  int ok = fwrite(data, 1, len, f) == len;
  ok = (fflush(f) == 0) && ok;
  ok = (fclose(f) == 0) && ok;
  if (!ok || rename(tmp, path) != 0) {
    int e = errno;
    remove(tmp);
    free(tmp);
    return p2ci_error(err, P2C_ERR_IO, "%s: cannot write: %s", path, strerror(e));
  }
  free(tmp);
  return P2C_OK;
}
