/* Shared by the fuzz targets: the libFuzzer entry point, and a private
 * scratch folder for the loaders that only take a path.
 *
 * Each target is one file fuzz_NAME.c defining LLVMFuzzerTestOneInput. It is
 * linked twice: with libFuzzer (make fuzz, clang) to search for bad inputs,
 * and with standalone_driver.c (make check, any compiler) to replay the
 * committed corpus tests/fuzz/corpus/NAME/ so that every input that ever
 * crashed stays fixed. Targets must not leak, print or keep state that
 * changes the outcome of a later input. */
#ifndef P2C_TESTS_FUZZ_H
#define P2C_TESTS_FUZZ_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char fuzz_scratch_dir[4096];

/* Removes what the target wrote (one level of sub-folders). */
static inline void fuzz_scratch_remove(const char *dir, int depth)
{
  DIR *d = opendir(dir);
  if (!d) return;
  struct dirent *e;
  char path[4352];
  while ((e = readdir(d)) != NULL) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    struct stat st;
    if (depth < 2 && lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
      fuzz_scratch_remove(path, depth + 1);
    else
      unlink(path);
  }
  closedir(d);
  rmdir(dir);
}

static inline void fuzz_scratch_cleanup(void) { fuzz_scratch_remove(fuzz_scratch_dir, 0); }

/* The process's scratch folder, created on first use, removed at exit. */
static inline const char *fuzz_scratch(void)
{
  if (!fuzz_scratch_dir[0]) {
    const char *t = getenv("TMPDIR");
    snprintf(fuzz_scratch_dir, sizeof fuzz_scratch_dir, "%s/p2c-fuzz-XXXXXX",
             t && *t ? t : "/tmp");
    if (!mkdtemp(fuzz_scratch_dir)) {
      perror("fuzz: mkdtemp");
      abort();
    }
    atexit(fuzz_scratch_cleanup);
  }
  return fuzz_scratch_dir;
}

/* Write data to scratch/name (name may hold one sub-folder, created as
 * needed) and return the path (static storage, one per call site's use). */
static inline const char *fuzz_write(const char *name, const void *data, size_t size)
{
  static char path[4][4352];
  static unsigned next;
  char *p = path[next++ % 4];
  const char *slash = strchr(name, '/');
  if (slash) {
    snprintf(p, 4352, "%s/%.*s", fuzz_scratch(), (int)(slash - name), name);
    mkdir(p, 0700);
  }
  snprintf(p, 4352, "%s/%s", fuzz_scratch(), name);
  FILE *f = fopen(p, "wb");
  if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0) {
    perror(p);
    abort();
  }
  return p;
}

/* Split data at the first occurrence of sep: [data, *rest) is the head,
 * *rest the bytes after sep (NULL when sep does not occur). */
static inline size_t fuzz_split(const uint8_t *data, size_t size, const char *sep,
                                const uint8_t **rest, size_t *rest_size)
{
  size_t n = strlen(sep);
  for (size_t i = 0; n <= size && i <= size - n; i++)
    if (!memcmp(data + i, sep, n)) {
      *rest = data + i + n;
      *rest_size = size - i - n;
      return i;
    }
  *rest = NULL;
  *rest_size = 0;
  return size;
}
#endif
