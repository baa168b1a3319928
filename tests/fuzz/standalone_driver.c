/* Replays fuzz inputs without libFuzzer (the idea of libgit2's
 * fuzzers/standalone_driver.c): each argument is a file, or a folder whose
 * files are replayed in name order. A crash, a sanitizer report or a leak
 * ends the process with a failure; otherwise it prints how many inputs ran. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include "fuzz.h"

static int replay(const char *path)
{
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    return -1;
  }
  size_t cap = 4096, n = 0;
  uint8_t *buf = malloc(cap);
  for (size_t got; buf && (got = fread(buf + n, 1, cap - n, f)) > 0;) {
    n += got;
    if (n == cap) {
      uint8_t *g = realloc(buf, cap *= 2);
      if (!g) free(buf);
      buf = g;
    }
  }
  int bad = !buf || ferror(f);
  fclose(f);
  if (bad) {
    fprintf(stderr, "%s: cannot read\n", path);
    free(buf);
    return -1;
  }
  /* An exact-size copy, so that ASan catches a read one past the end. */
  uint8_t *exact = malloc(n ? n : 1);
  if (!exact) {
    free(buf);
    return -1;
  }
  memcpy(exact, buf, n);
  free(buf);
  LLVMFuzzerTestOneInput(exact, n);
  free(exact);
  return 0;
}

static int skip_name(const struct dirent *e) { return e->d_name[0] != '.'; }

int main(int argc, char **argv)
{
  size_t count = 0;
  int failed = 0;
  for (int i = 1; i < argc; i++) {
    struct stat st;
    if (stat(argv[i], &st) != 0) {
      perror(argv[i]);
      failed = 1;
      continue;
    }
    if (!S_ISDIR(st.st_mode)) {
      failed |= replay(argv[i]) != 0;
      count++;
      continue;
    }
    struct dirent **names;
    int k = scandir(argv[i], &names, skip_name, alphasort);
    if (k < 0) {
      perror(argv[i]);
      failed = 1;
      continue;
    }
    for (int j = 0; j < k; j++) {
      char path[4352];
      snprintf(path, sizeof path, "%s/%s", argv[i], names[j]->d_name);
      failed |= replay(path) != 0;
      count++;
      free(names[j]);
    }
    free(names);
  }
  printf("%s: %zu inputs replayed%s\n", argv[0], count, failed ? ", some unreadable" : "");
  return failed;
}
