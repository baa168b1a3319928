/* p2c-synth: write a deterministic synthetic Pix2Cap-COCO data set (ground
 * truth, perturbed prediction, manifest, optionally RGB renderings). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *out)
{
  fprintf(out,
          "usage: p2c-synth --out DIR [--images N] [--width W] [--height H] [--seed S] [--rgb]\n"
          "                 [--perfect] [--no-manifest] [--png-level L] [--threads T]\n"
          "\n"
          "Writes DIR/gt.json, DIR/gt/, DIR/pred.json, DIR/pred/, DIR/manifest.json\n"
          "(and DIR/images/ with --rgb). The same arguments give the same bytes.\n"
          "\n"
          "  --out DIR       output folder (created if missing)\n"
          "  --images N      number of images (default 8)\n"
          "  --width W       image width in pixels (default 128)\n"
          "  --height H      image height in pixels (default 96)\n"
          "  --seed S        random seed, 0..2^64-1 (default 1)\n"
          "  --rgb           also render the scenes as RGB PNGs in DIR/images/\n"
          "  --perfect       predictions equal the ground truth (no perturbation)\n"
          "  --no-manifest   do not write DIR/manifest.json\n"
          "  --png-level L   zlib level of the PNGs, 0..9 (default 3)\n"
          "  --threads T     worker threads (default 0: one per CPU); same output for any T\n"
          "\n"
          "See docs/synth.md for what the scenes, captions and perturbations are.\n");
}

static int parse_seed(const char *value, uint64_t *seed)
{
  char *end = NULL;
  errno = 0;
  unsigned long long v = strtoull(value, &end, 10);
  if (errno || !end || *end || end == value || value[0] == '-') {
    p2c_cli_errorf("option --seed: expected an integer in [0, 2^64-1], got '%s'", value);
    return -1;
  }
  *seed = (uint64_t)v;
  return 0;
}

int main(int argc, char **argv)
{
  p2c_cli_prog = "p2c-synth";
  p2c_synth_options o = P2C_SYNTH_OPTIONS_INIT;
  const char *out = NULL, *v;
  int bad = 0;
  for (int i = 1; i < argc && !bad; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      usage(stdout);
      return P2C_EXIT_OK;
    } else if (!strcmp(a, "--rgb")) {
      o.rgb = 1;
    } else if (!strcmp(a, "--no-manifest")) {
      o.manifest = 0;
    } else if (!strcmp(a, "--perfect")) {
      o.p_miss = o.p_dilate = o.p_erode = o.p_shift = o.p_wrong_category = 0.0;
      o.max_spurious = 0;
      o.p_pred_void = o.p_caption_edit = o.p_caption_unrelated = o.p_caption_empty = 0.0;
    } else if ((v = p2c_cli_opt(argc, argv, &i, "--out", &bad))) {
      out = v;
    } else if ((v = p2c_cli_opt(argc, argv, &i, "--images", &bad))) {
      o.images = p2c_cli_int("--images", v, 1, 1000000, &bad);
    } else if ((v = p2c_cli_opt(argc, argv, &i, "--width", &bad))) {
      o.width = p2c_cli_int("--width", v, 16, 8192, &bad);
    } else if ((v = p2c_cli_opt(argc, argv, &i, "--height", &bad))) {
      o.height = p2c_cli_int("--height", v, 16, 8192, &bad);
    } else if ((v = p2c_cli_opt(argc, argv, &i, "--png-level", &bad))) {
      o.png_level = p2c_cli_int("--png-level", v, 0, 9, &bad);
    } else if ((v = p2c_cli_opt(argc, argv, &i, "--threads", &bad))) {
      o.threads = p2c_cli_int("--threads", v, 0, P2C_SYNTH_MAX_THREADS, &bad);
    } else if ((v = p2c_cli_opt(argc, argv, &i, "--seed", &bad))) {
      if (!bad && parse_seed(v, &o.seed)) bad = 1;
    } else {
      p2c_cli_errorf("unknown option '%s'", a);
      bad = 1;
    }
  }
  if (!bad && !out) {
    p2c_cli_errorf("missing --out DIR");
    bad = 1;
  }
  if (bad) {
    usage(stderr);
    return P2C_EXIT_USAGE;
  }
  p2c_error err = {0};
  if (p2c_synth_write(out, &o, &err) != P2C_OK) return p2c_cli_report(&err);
  return P2C_EXIT_OK;
}
