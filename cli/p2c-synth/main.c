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
          "                 [--caption-draw K]\n"
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
          "  --caption-draw K  0 (default): the captions of --seed; 1..1000000: another\n"
          "                  draw of the captions of the same scenes (same images and masks)\n"
          "\n"
          "See docs/synth.md for what the scenes, captions and perturbations are.\n");
}

static int parse_seed(const p2c_cli_command *cmd, const char *value, void *seed)
{
  char *end = NULL;
  errno = 0;
  unsigned long long v = strtoull(value, &end, 10);
  if (errno || !end || *end || end == value || value[0] == '-') {
    p2c_cli_cmd_errorf(cmd, "option --seed: expected an integer in [0, 2^64-1], got '%s'", value);
    return -1;
  }
  *(uint64_t *)seed = (uint64_t)v;
  return 0;
}

/* --perfect: no perturbation at all */
static int set_perfect(const p2c_cli_command *cmd, const char *value, void *options)
{
  p2c_synth_options *o = options;
  o->p_miss = o->p_dilate = o->p_erode = o->p_shift = o->p_wrong_category = 0.0;
  o->max_spurious = 0;
  o->p_pred_void = o->p_caption_edit = o->p_caption_unrelated = o->p_caption_empty = 0.0;
  return 0;
}

int main(int argc, char **argv)
{
  p2c_cli_prog = "p2c-synth";
  p2c_synth_options o = P2C_SYNTH_OPTIONS_INIT;
  const char *out = NULL;
  const p2c_cli_option options[] = {
      P2C_CLI_FLAG("--rgb", &o.rgb, 1),
      P2C_CLI_FLAG("--no-manifest", &o.manifest, 0),
      P2C_CLI_ACTION("--perfect", &o, set_perfect),
      P2C_CLI_STRING("--out", &out),
      P2C_CLI_INT("--images", &o.images, 1, 1000000),
      P2C_CLI_INT("--width", &o.width, 16, 8192),
      P2C_CLI_INT("--height", &o.height, 16, 8192),
      P2C_CLI_INT("--png-level", &o.png_level, 0, 9),
      P2C_CLI_INT("--threads", &o.threads, 0, P2C_SYNTH_MAX_THREADS),
      P2C_CLI_INT("--caption-draw", &o.caption_draw, 0, 1000000),
      P2C_CLI_CALL("--seed", &o.seed, parse_seed),
      P2C_CLI_END,
  };
  const p2c_cli_command cmd = {.name = "", .options = options, .usage = usage};
  int parsed = p2c_cli_parse(&cmd, argc, argv, NULL);
  if (parsed != P2C_CLI_RUN) return parsed;
  if (!out) return p2c_cli_usage_error(&cmd, "missing --out DIR");
  p2c_error err = {0};
  if (p2c_synth_write(out, &o, &err) != P2C_OK) return p2c_cli_report(&err);
  return P2C_EXIT_OK;
}
