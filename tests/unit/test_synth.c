/* p2c-synth: determinism, consistency of the JSON with the PNGs (decoded here
 * with libspng directly), captions, the perturbation knobs, errors, and the
 * committed fixtures. */
#include <cjson/cJSON.h>
#include <dirent.h>
#include <spng.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "p2ceval.h"
#include "synth/caption.h"
#include "synth/scene.h"
#include "testutil.h"

/* ---- helpers ----------------------------------------------------------------- */

static void remove_dir(char *d)
{
  p2ct_rmtree(d);
  free(d);
}

static cJSON *load_json(const char *dir, const char *name)
{
  char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  char *text = p2ct_read_file(path, NULL);
  cJSON *j = cJSON_Parse(text);
  free(text);
  if (!j) ck_abort_msg("%s: not JSON", path);
  return j;
}

/* Decode an RGB8 PNG into ids (R + 256 G + 65536 B); caller frees. */
static uint32_t *read_ids(const char *path, int *w, int *h)
{
  size_t len;
  char *png = p2ct_read_file(path, &len);
  spng_ctx *ctx = spng_ctx_new(0);
  ck_assert_ptr_nonnull(ctx);
  ck_assert_int_eq(spng_set_png_buffer(ctx, png, len), 0);
  struct spng_ihdr ihdr;
  ck_assert_int_eq(spng_get_ihdr(ctx, &ihdr), 0);
  ck_assert_int_eq(ihdr.color_type, SPNG_COLOR_TYPE_TRUECOLOR);
  ck_assert_int_eq(ihdr.bit_depth, 8);
  size_t n = (size_t)ihdr.width * ihdr.height;
  uint8_t *rgb = malloc(n * 3);
  uint32_t *ids = malloc(n * sizeof *ids);
  ck_assert(rgb && ids);
  ck_assert_int_eq(spng_decode_image(ctx, rgb, n * 3, SPNG_FMT_RGB8, 0), 0);
  for (size_t i = 0; i < n; i++)
    ids[i] = rgb[3 * i] + 256u * rgb[3 * i + 1] + 65536u * rgb[3 * i + 2];
  spng_ctx_free(ctx);
  free(rgb);
  free(png);
  *w = (int)ihdr.width;
  *h = (int)ihdr.height;
  return ids;
}

static uint32_t *read_idmap(const char *dir, const char *sub, const cJSON *ann, int *w, int *h)
{
  char path[512];
  snprintf(path, sizeof path, "%s/%s/%s", dir, sub, cJSON_GetObjectItem(ann, "file_name")->valuestring);
  return read_ids(path, w, h);
}

static int files_equal(const char *a, const char *b)
{
  size_t la, lb;
  char *x = p2ct_read_file(a, &la), *y = p2ct_read_file(b, &lb);
  int same = la == lb && !memcmp(x, y, la);
  free(x);
  free(y);
  return same;
}

/* Every regular file of dir_a/sub equals the one of dir_b/sub, and there are as many. */
static int trees_equal(const char *dir_a, const char *dir_b, const char *sub)
{
  char pa[512], pb[512];
  snprintf(pa, sizeof pa, "%s/%s", dir_a, sub);
  DIR *d = opendir(pa);
  if (!d) return 0;
  int same = 1, n = 0;
  struct dirent *e;
  while ((e = readdir(d)) && same) {
    if (e->d_name[0] == '.') continue;
    snprintf(pa, sizeof pa, "%s/%s/%s", dir_a, sub, e->d_name);
    snprintf(pb, sizeof pb, "%s/%s/%s", dir_b, sub, e->d_name);
    struct stat st;
    same = stat(pb, &st) == 0 && files_equal(pa, pb);
    n++;
  }
  closedir(d);
  return same && n > 0;
}

/* Two runs with --rgb wrote the same bytes (then both folders are removed). */
static void assert_same_output(char *a, char *b, const char *between)
{
  const char *files[] = {"gt.json", "pred.json", "manifest.json"};
  for (int i = 0; i < 3; i++) {
    char pa[512], pb[512];
    snprintf(pa, sizeof pa, "%s/%s", a, files[i]);
    snprintf(pb, sizeof pb, "%s/%s", b, files[i]);
    ck_assert_msg(files_equal(pa, pb), "%s differs %s", files[i], between);
  }
  ck_assert(trees_equal(a, b, "gt"));
  ck_assert(trees_equal(a, b, "pred"));
  ck_assert(trees_equal(a, b, "images"));
  remove_dir(a);
  remove_dir(b);
}

static p2c_synth_options small_options(uint64_t seed, int images)
{
  p2c_synth_options o = P2C_SYNTH_OPTIONS_INIT;
  o.seed = seed;
  o.images = images;
  o.width = 96;
  o.height = 72;
  return o;
}

static char *generate(const p2c_synth_options *o)
{
  char *d = p2ct_mkdtemp();
  p2c_error e = {0};
  if (p2c_synth_write(d, o, &e) != P2C_OK) ck_abort_msg("p2c_synth_write: %s", e.message);
  return d;
}

static const cJSON *find_segment(const cJSON *ann, double id)
{
  const cJSON *s;
  cJSON_ArrayForEach(s, cJSON_GetObjectItem(ann, "segments_info"))
    if (cJSON_GetObjectItem(s, "id")->valuedouble == id) return s;
  return NULL;
}

/* ---- determinism ------------------------------------------------------------- */

START_TEST(same_seed_same_bytes)
{
  p2c_synth_options o = small_options(42, 5);
  o.rgb = 1;
  char *a = generate(&o), *b = generate(&o);
  assert_same_output(a, b, "between two runs");
}
END_TEST

START_TEST(thread_count_does_not_change_output)
{
  p2c_synth_options o = small_options(77, 21);
  o.rgb = 1;
  o.threads = 1;
  char *a = generate(&o);
  o.threads = 3;
  char *b = generate(&o);
  assert_same_output(a, b, "between 1 and 3 threads");
}
END_TEST

START_TEST(different_seed_different_data)
{
  p2c_synth_options o = small_options(42, 3);
  char *a = generate(&o);
  o.seed = 43;
  char *b = generate(&o);
  char pa[512], pb[512];
  snprintf(pa, sizeof pa, "%s/gt.json", a);
  snprintf(pb, sizeof pb, "%s/gt.json", b);
  ck_assert(!files_equal(pa, pb));
  ck_assert(!trees_equal(a, b, "gt"));
  remove_dir(a);
  remove_dir(b);
}
END_TEST

/* Images draw from their own streams: the first images of a longer run are
 * the same scenes. */
START_TEST(images_are_independent_of_the_count)
{
  p2c_synth_options o = small_options(5, 2);
  char *a = generate(&o);
  o.images = 4;
  char *b = generate(&o);
  char pa[512], pb[512];
  for (int i = 0; i < 2; i++) {
    long long id = 100000 + 37 * (i + 1);
    snprintf(pa, sizeof pa, "%s/gt/%012lld.png", a, id);
    snprintf(pb, sizeof pb, "%s/gt/%012lld.png", b, id);
    ck_assert(files_equal(pa, pb));
  }
  remove_dir(a);
  remove_dir(b);
}
END_TEST

/* Another caption draw: the same pixels everywhere, the same segments, other
 * wording for most of them; a version 1 options struct (no caption_draw field)
 * gives draw 0. */
START_TEST(caption_draw_changes_only_the_wording)
{
  p2c_synth_options o = small_options(42, 6);
  o.rgb = 1;
  char *a = generate(&o);
  o.caption_draw = 3;
  char *b = generate(&o);
  ck_assert(trees_equal(a, b, "gt"));
  ck_assert(trees_equal(a, b, "pred"));
  ck_assert(trees_equal(a, b, "images"));
  cJSON *ga = load_json(a, "gt.json"), *gb = load_json(b, "gt.json");
  ck_assert_int_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(gb, "info"), "caption_draw")->valueint, 3);
  ck_assert_ptr_null(cJSON_GetObjectItem(cJSON_GetObjectItem(ga, "info"), "caption_draw"));
  const cJSON *x, *y = cJSON_GetObjectItem(gb, "annotations")->child;
  int segments = 0, reworded = 0;
  cJSON_ArrayForEach(x, cJSON_GetObjectItem(ga, "annotations")) {
    const cJSON *s, *t = cJSON_GetObjectItem(y, "segments_info")->child;
    cJSON_ArrayForEach(s, cJSON_GetObjectItem(x, "segments_info")) {
      ck_assert_ptr_nonnull(t);
      ck_assert_double_eq(cJSON_GetObjectItem(s, "id")->valuedouble, cJSON_GetObjectItem(t, "id")->valuedouble);
      ck_assert_int_eq(cJSON_GetObjectItem(s, "category_id")->valueint, cJSON_GetObjectItem(t, "category_id")->valueint);
      ck_assert_int_eq(cJSON_GetObjectItem(s, "area")->valueint, cJSON_GetObjectItem(t, "area")->valueint);
      segments++;
      reworded += strcmp(cJSON_GetObjectItem(s, "description")->valuestring,
                         cJSON_GetObjectItem(t, "description")->valuestring) != 0;
      t = t->next;
    }
    ck_assert_ptr_null(t);
    y = y->next;
  }
  ck_assert_int_ge(segments, 20);
  ck_assert_int_ge(reworded, segments / 2);
  cJSON_Delete(ga);
  cJSON_Delete(gb);
  remove_dir(b);
  o.version = 1; /* caption_draw (3) lies beyond a version 1 struct: not read */
  b = generate(&o);
  o.version = P2C_SYNTH_OPTIONS_VERSION;
  o.caption_draw = 0;
  char *c = generate(&o);
  assert_same_output(b, c, "between a version 1 struct and caption_draw 0");
  remove_dir(a);
}
END_TEST

/* ---- the JSON says what the PNGs hold -------------------------------------- */

static void check_consistent(const char *dir, const char *json, const char *sub, int pred)
{
  cJSON *root = load_json(dir, json);
  const cJSON *ann;
  int checked = 0;
  cJSON_ArrayForEach(ann, cJSON_GetObjectItem(root, "annotations"))
  {
    int w, h;
    uint32_t *ids = read_idmap(dir, sub, ann, &w, &h);
    const cJSON *segs = cJSON_GetObjectItem(ann, "segments_info"), *s;
    int n = cJSON_GetArraySize(segs);
    ck_assert_int_le(n, 64);
    uint32_t seg_id[64];
    long long count[64] = {0};
    int x0[64], y0[64], x1[64], y1[64], k = 0;
    cJSON_ArrayForEach(s, segs)
    {
      double id = cJSON_GetObjectItem(s, "id")->valuedouble;
      ck_assert(id >= 1 && id < 16777216.0);
      seg_id[k] = (uint32_t)id;
      for (int j = 0; j < k; j++) ck_assert_uint_ne(seg_id[j], seg_id[k]);
      x0[k] = w, y0[k] = h, x1[k] = -1, y1[k] = -1;
      ck_assert(cJSON_IsString(cJSON_GetObjectItem(s, pred ? "caption" : "description")));
      if (pred) {
        double sc = cJSON_GetObjectItem(s, "score")->valuedouble;
        ck_assert(sc >= 0.0 && sc <= 1.0);
      }
      k++;
    }
    for (int y = 0; y < h; y++)
      for (int x = 0; x < w; x++) {
        uint32_t v = ids[(size_t)y * w + x];
        if (!v) continue;
        int j = 0;
        while (j < n && seg_id[j] != v) j++;
        if (j == n) ck_abort_msg("%s: id %u in the PNG, not in the JSON", json, v);
        count[j]++;
        if (x < x0[j]) x0[j] = x;
        if (x > x1[j]) x1[j] = x;
        if (y < y0[j]) y0[j] = y;
        if (y > y1[j]) y1[j] = y;
      }
    k = 0;
    cJSON_ArrayForEach(s, segs)
    {
      ck_assert_msg(count[k] > 0, "%s: segment %u not in the PNG", json, seg_id[k]);
      ck_assert_int_eq((long long)cJSON_GetObjectItem(s, "area")->valuedouble, count[k]);
      const cJSON *bb = cJSON_GetObjectItem(s, "bbox");
      ck_assert_int_eq(cJSON_GetArrayItem(bb, 0)->valueint, x0[k]);
      ck_assert_int_eq(cJSON_GetArrayItem(bb, 1)->valueint, y0[k]);
      ck_assert_int_eq(cJSON_GetArrayItem(bb, 2)->valueint, x1[k] - x0[k] + 1);
      ck_assert_int_eq(cJSON_GetArrayItem(bb, 3)->valueint, y1[k] - y0[k] + 1);
      k++;
      checked++;
    }
    free(ids);
  }
  ck_assert_int_gt(checked, 0);
  cJSON_Delete(root);
}

START_TEST(png_ids_areas_and_boxes_match_the_json)
{
  p2c_synth_options o = small_options(3, 12);
  o.p_crowd = 0.5;
  char *d = generate(&o);
  check_consistent(d, "gt.json", "gt", 0);
  check_consistent(d, "pred.json", "pred", 1);
  remove_dir(d);
}
END_TEST

START_TEST(ground_truth_has_things_stuff_void_and_crowds)
{
  p2c_synth_options o = small_options(9, 30);
  o.p_crowd = 0.6;
  char *d = generate(&o);
  cJSON *gt = load_json(d, "gt.json");
  int things = 0, stuff = 0, crowds = 0;
  long long voids = 0;
  const cJSON *ann, *s, *c;
  cJSON_ArrayForEach(ann, cJSON_GetObjectItem(gt, "annotations"))
  {
    cJSON_ArrayForEach(s, cJSON_GetObjectItem(ann, "segments_info"))
    {
      int cat = cJSON_GetObjectItem(s, "category_id")->valueint, isthing = -1;
      cJSON_ArrayForEach(c, cJSON_GetObjectItem(gt, "categories"))
        if (cJSON_GetObjectItem(c, "id")->valueint == cat) isthing = cJSON_GetObjectItem(c, "isthing")->valueint;
      ck_assert_int_ge(isthing, 0);
      things += isthing == 1;
      stuff += isthing == 0;
      crowds += cJSON_GetObjectItem(s, "iscrowd")->valueint;
    }
    int w, h;
    uint32_t *ids = read_idmap(d, "gt", ann, &w, &h);
    for (int i = 0; i < w * h; i++) voids += ids[i] == 0;
    free(ids);
  }
  ck_assert_int_gt(things, 30);
  ck_assert_int_gt(stuff, 30);
  ck_assert_int_gt(crowds, 3);
  ck_assert_int_gt(voids, 100);
  /* images[]: ids, .jpg names and sizes as COCO */
  const cJSON *img = cJSON_GetArrayItem(cJSON_GetObjectItem(gt, "images"), 0);
  ck_assert_int_eq(cJSON_GetObjectItem(img, "id")->valueint, 100037);
  ck_assert_str_eq(cJSON_GetObjectItem(img, "file_name")->valuestring, "000000100037.jpg");
  ck_assert_int_eq(cJSON_GetObjectItem(img, "width")->valueint, 96);
  ck_assert_int_eq(cJSON_GetObjectItem(img, "height")->valueint, 72);
  cJSON_Delete(gt);
  remove_dir(d);
}
END_TEST

/* The library's own validator (panopticapi's rules) finds nothing to say. */
START_TEST(output_passes_validation)
{
  p2c_synth_options o = small_options(17, 10);
  char *d = generate(&o);
  char g[512], p[512];
  snprintf(g, sizeof g, "%s/gt.json", d);
  snprintf(p, sizeof p, "%s/pred.json", d);
  p2c_load_options lg = P2C_LOAD_OPTIONS_INIT, lp = P2C_LOAD_OPTIONS_INIT;
  lp.kind = P2C_DATASET_PRED;
  p2c_dataset *gt = NULL, *pred = NULL;
  p2c_error e;
  ck_assert_int_eq(p2c_dataset_load(g, &lg, &gt, &e), P2C_OK);
  ck_assert_int_eq(p2c_dataset_load(p, &lp, &pred, &e), P2C_OK);
  p2c_validation *v = NULL;
  ck_assert_int_eq(p2c_validate(gt, pred, NULL, &v, &e), P2C_OK);
  for (size_t i = 0; i < p2c_validation_count(v); i++) {
    p2c_problem pr;
    p2c_validation_problem(v, i, &pr);
    printf("problem: %s\n", pr.message);
  }
  ck_assert_uint_eq(p2c_validation_count(v), 0);
  p2c_validation_free(v);
  p2c_dataset_free(gt);
  p2c_dataset_free(pred);
  remove_dir(d);
}
END_TEST

/* ---- captions ---------------------------------------------------------------- */

START_TEST(captions_are_detailed_sentences)
{
  p2c_synth_options o = small_options(1, 40);
  char *d = generate(&o);
  cJSON *gt = load_json(d, "gt.json");
  long long words = 0, n = 0, commas = 0;
  const cJSON *ann, *s;
  cJSON_ArrayForEach(ann, cJSON_GetObjectItem(gt, "annotations"))
    cJSON_ArrayForEach(s, cJSON_GetObjectItem(ann, "segments_info"))
    {
      const char *t = cJSON_GetObjectItem(s, "description")->valuestring;
      size_t len = strlen(t);
      ck_assert_uint_gt(len, 10);
      ck_assert_int_eq(t[len - 1], '.');
      ck_assert(t[0] >= 'A' && t[0] <= 'Z');
      ck_assert(!strstr(t, "  ") && !strstr(t, " ,") && !strstr(t, ",."));
      int w = 1;
      for (const char *c = t; *c; c++) w += *c == ' ', commas += *c == ',';
      words += w;
      n++;
    }
  double mean = (double)words / (double)n;
  printf("synth captions: %lld descriptions, mean %.2f words, %lld commas\n", n, mean, commas);
  ck_assert(mean > 16.0 && mean < 26.0);
  ck_assert_int_gt(commas, n / 10);
  cJSON_Delete(gt);
  remove_dir(d);
}
END_TEST

/* The grammar says what was drawn: the colour a thing was painted in, the
 * region it stands on, the stuff it is. Checked on the internal scenes. */
START_TEST(captions_state_what_was_drawn)
{
  p2c_synth_options o = P2C_SYNTH_OPTIONS_INIT;
  p2ci_scene *sc = p2ci_scene_new(128, 96);
  ck_assert_ptr_nonnull(sc);
  int colours = 0, supports = 0, stuff = 0;
  for (int img = 0; img < 200; img++) {
    p2ci_rng r;
    p2ci_rng_seed(&r, 99, (uint64_t)img, 1);
    p2ci_scene_generate(sc, &o, &r);
    p2ci_scene_assign_ids(sc, &r);
    p2ci_scene_render(sc, NULL, 1);
    for (int i = 0; i < sc->nsegs; i++) {
      const p2ci_seg *g = &sc->segs[i];
      if (!g->area) continue;
      char *t = p2ci_describe(sc, i, &r);
      ck_assert_ptr_nonnull(t);
      for (char *c = t; *c; c++) *c = (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
      if (g->isthing && !g->iscrowd && !g->tk->colour_in_part) {
        const char *own = strstr(t, p2ci_colours[g->colour].name);
        ck_assert_msg(own != NULL, "'%s' does not say %s", t, p2ci_colours[g->colour].name);
        colours++;
      }
      if (!g->isthing) {
        char np[96];
        snprintf(np, sizeof np, "%s", g->sk->np);
        char *pc = strstr(np, "%c");
        if (pc) snprintf(pc, sizeof np - (size_t)(pc - np), "%s%s", p2ci_colours[sc->wall_colour].name, g->sk->np + (pc - np) + 2);
        ck_assert_msg(!strncmp(t, np, strlen(np)), "'%s' does not start with '%s'", t, np);
        stuff++;
      }
      /* "<verb> on the <region>": that region is directly below its pixels */
      for (int k = 0; k < sc->nsegs && g->isthing && !g->iscrowd; k++) {
        const p2ci_seg *u = &sc->segs[k];
        if (u->isthing || strcmp(u->sk->on, "on") || strchr(u->sk->short_np, '%')) continue;
        char phrase[96];
        snprintf(phrase, sizeof phrase, " on the %s", u->sk->short_np);
        if (!strstr(t, phrase)) continue;
        ck_assert_msg(sc->below[i][k] > 0, "'%s': nothing of it is above the %s", t, u->sk->short_np);
        supports++;
      }
      free(t);
    }
  }
  printf("synth truth: %d thing colours, %d supports, %d stuff names checked\n", colours, supports, stuff);
  ck_assert_int_gt(colours, 300);
  ck_assert_int_gt(supports, 200);
  ck_assert_int_gt(stuff, 400);
  p2ci_scene_free(sc);
}
END_TEST

/* ---- perturbation knobs -------------------------------------------------------- */

static p2c_synth_options no_perturbation(uint64_t seed, int images)
{
  p2c_synth_options o = small_options(seed, images);
  o.p_miss = o.p_dilate = o.p_erode = o.p_shift = o.p_wrong_category = 0.0;
  o.max_spurious = 0;
  o.p_pred_void = o.p_caption_edit = o.p_caption_unrelated = o.p_caption_empty = 0.0;
  return o;
}

/* Walk GT and prediction together through the manifest's gt_id -> pred_id. */
typedef struct pair_walk {
  cJSON *gt, *pred, *manifest;
} pair_walk;

static pair_walk open_walk(const char *d)
{
  pair_walk w = {load_json(d, "gt.json"), load_json(d, "pred.json"), load_json(d, "manifest.json")};
  return w;
}

static void close_walk(pair_walk *w)
{
  cJSON_Delete(w->gt);
  cJSON_Delete(w->pred);
  cJSON_Delete(w->manifest);
}

START_TEST(no_perturbation_copies_the_ground_truth)
{
  p2c_synth_options o = no_perturbation(8, 10);
  o.p_crowd = 0.5;
  char *d = generate(&o);
  pair_walk w = open_walk(d);
  int pairs = 0;
  for (int i = 0; i < cJSON_GetArraySize(cJSON_GetObjectItem(w.gt, "annotations")); i++) {
    const cJSON *ga = cJSON_GetArrayItem(cJSON_GetObjectItem(w.gt, "annotations"), i);
    const cJSON *pa = cJSON_GetArrayItem(cJSON_GetObjectItem(w.pred, "annotations"), i);
    const cJSON *log = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(w.manifest, "images"), i), "log");
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(ga, "segments_info")),
                     cJSON_GetArraySize(cJSON_GetObjectItem(pa, "segments_info")));
    int gw, gh, pw, ph;
    uint32_t *gids = read_idmap(d, "gt", ga, &gw, &gh), *pids = read_idmap(d, "pred", pa, &pw, &ph);
    const cJSON *entry;
    cJSON_ArrayForEach(entry, log)
    {
      ck_assert_str_eq(cJSON_GetObjectItem(entry, "op")->valuestring, "copy");
      ck_assert_str_eq(cJSON_GetObjectItem(entry, "caption")->valuestring, "copy");
      double gid = cJSON_GetObjectItem(entry, "gt_id")->valuedouble, pid = cJSON_GetObjectItem(entry, "pred_id")->valuedouble;
      const cJSON *gs = find_segment(ga, gid), *ps = find_segment(pa, pid);
      ck_assert(gs && ps);
      ck_assert_int_eq(cJSON_GetObjectItem(gs, "category_id")->valueint, cJSON_GetObjectItem(ps, "category_id")->valueint);
      ck_assert_str_eq(cJSON_GetObjectItem(gs, "description")->valuestring, cJSON_GetObjectItem(ps, "caption")->valuestring);
      /* The same pixels, except the ground truth's void which the prediction covers. */
      for (int p = 0; p < gw * gh; p++) {
        if (gids[p] == (uint32_t)gid) ck_assert_uint_eq(pids[p], (uint32_t)pid);
        if (pids[p] == (uint32_t)pid) ck_assert(gids[p] == (uint32_t)gid || gids[p] == 0);
      }
      pairs++;
    }
    free(gids);
    free(pids);
  }
  ck_assert_int_gt(pairs, 30);
  close_walk(&w);
  remove_dir(d);
}
END_TEST

/* Sum of predicted areas over the segments given op, and of their GT areas. */
static void op_areas(const char *d, const char *op, long long *gt_area, long long *pred_area, int *n)
{
  pair_walk w = open_walk(d);
  *gt_area = *pred_area = 0;
  *n = 0;
  for (int i = 0; i < cJSON_GetArraySize(cJSON_GetObjectItem(w.gt, "annotations")); i++) {
    const cJSON *ga = cJSON_GetArrayItem(cJSON_GetObjectItem(w.gt, "annotations"), i);
    const cJSON *pa = cJSON_GetArrayItem(cJSON_GetObjectItem(w.pred, "annotations"), i);
    const cJSON *log = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(w.manifest, "images"), i), "log");
    const cJSON *e;
    cJSON_ArrayForEach(e, log)
    {
      if (strcmp(cJSON_GetObjectItem(e, "op")->valuestring, op)) continue;
      const cJSON *gs = find_segment(ga, cJSON_GetObjectItem(e, "gt_id")->valuedouble);
      const cJSON *pid = cJSON_GetObjectItem(e, "pred_id");
      const cJSON *ps = pid ? find_segment(pa, pid->valuedouble) : NULL;
      *gt_area += (long long)cJSON_GetObjectItem(gs, "area")->valuedouble;
      if (ps) *pred_area += (long long)cJSON_GetObjectItem(ps, "area")->valuedouble;
      (*n)++;
    }
  }
  close_walk(&w);
}

START_TEST(knobs_dilate_erode_miss_behave)
{
  long long g, p;
  int n;
  p2c_synth_options o = no_perturbation(21, 10);
  o.p_dilate = 1.0;
  char *d = generate(&o);
  op_areas(d, "dilate", &g, &p, &n);
  ck_assert_int_gt(n, 30);
  ck_assert_int_gt(p, g);
  remove_dir(d);

  o = no_perturbation(21, 10);
  o.p_erode = 1.0;
  d = generate(&o);
  op_areas(d, "erode", &g, &p, &n);
  ck_assert_int_gt(n, 30);
  ck_assert_int_lt(p, g);
  remove_dir(d);

  o = no_perturbation(21, 10);
  o.p_miss = 1.0;
  d = generate(&o);
  cJSON *pred = load_json(d, "pred.json");
  const cJSON *ann;
  cJSON_ArrayForEach(ann, cJSON_GetObjectItem(pred, "annotations"))
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(ann, "segments_info")), 0);
  cJSON_Delete(pred);
  remove_dir(d);
}
END_TEST

START_TEST(knobs_categories_and_captions_behave)
{
  p2c_synth_options o = no_perturbation(4, 8);
  o.p_wrong_category = 1.0;
  o.p_caption_empty = 1.0;
  char *d = generate(&o);
  pair_walk w = open_walk(d);
  int n = 0;
  for (int i = 0; i < 8; i++) {
    const cJSON *ga = cJSON_GetArrayItem(cJSON_GetObjectItem(w.gt, "annotations"), i);
    const cJSON *pa = cJSON_GetArrayItem(cJSON_GetObjectItem(w.pred, "annotations"), i);
    const cJSON *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(w.manifest, "images"), i), "log"))
    {
      const cJSON *gs = find_segment(ga, cJSON_GetObjectItem(e, "gt_id")->valuedouble);
      const cJSON *ps = find_segment(pa, cJSON_GetObjectItem(e, "pred_id")->valuedouble);
      ck_assert_int_ne(cJSON_GetObjectItem(gs, "category_id")->valueint, cJSON_GetObjectItem(ps, "category_id")->valueint);
      ck_assert_str_eq(cJSON_GetObjectItem(ps, "caption")->valuestring, "");
      n++;
    }
  }
  ck_assert_int_gt(n, 20);
  close_walk(&w);
  remove_dir(d);

  /* Edited captions: mostly the same words, never identical to a full copy in every case. */
  o = no_perturbation(4, 8);
  o.p_caption_edit = 1.0;
  d = generate(&o);
  w = open_walk(d);
  int same = 0, total = 0;
  for (int i = 0; i < 8; i++) {
    const cJSON *ga = cJSON_GetArrayItem(cJSON_GetObjectItem(w.gt, "annotations"), i);
    const cJSON *pa = cJSON_GetArrayItem(cJSON_GetObjectItem(w.pred, "annotations"), i);
    const cJSON *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(w.manifest, "images"), i), "log"))
    {
      const char *gt = cJSON_GetObjectItem(find_segment(ga, cJSON_GetObjectItem(e, "gt_id")->valuedouble), "description")->valuestring;
      const char *pc = cJSON_GetObjectItem(find_segment(pa, cJSON_GetObjectItem(e, "pred_id")->valuedouble), "caption")->valuestring;
      ck_assert_str_eq(cJSON_GetObjectItem(e, "caption")->valuestring, "edit");
      same += !strcmp(gt, pc);
      total++;
      /* at most 3 words gone */
      int wg = 1, wp = 1;
      for (const char *c = gt; *c; c++) wg += *c == ' ';
      for (const char *c = pc; *c; c++) wp += *c == ' ';
      ck_assert_int_le(wg - wp, 3);
      ck_assert_int_ge(wg - wp, 0);
    }
  }
  ck_assert_int_lt(same * 5, total);
  close_walk(&w);
  remove_dir(d);
}
END_TEST

START_TEST(knobs_spurious_and_void_predictions)
{
  p2c_synth_options o = no_perturbation(6, 20);
  o.max_spurious = 3;
  o.p_pred_void = 1.0;
  o.p_void_blob = 1.0;
  char *d = generate(&o);
  cJSON *m = load_json(d, "manifest.json");
  int spurious = 0, on_void = 0;
  const cJSON *img, *e;
  cJSON_ArrayForEach(img, cJSON_GetObjectItem(m, "images"))
    cJSON_ArrayForEach(e, cJSON_GetObjectItem(img, "log"))
    {
      spurious += !strcmp(cJSON_GetObjectItem(e, "op")->valuestring, "spurious");
      on_void += !strcmp(cJSON_GetObjectItem(e, "op")->valuestring, "on_void");
    }
  ck_assert_int_gt(spurious, 10);
  ck_assert_int_gt(on_void, 10);
  cJSON_Delete(m);
  check_consistent(d, "pred.json", "pred", 1);
  remove_dir(d);
}
END_TEST

START_TEST(extreme_knobs_stay_consistent)
{
  p2c_synth_options o = small_options(12, 6);
  o.things_min = o.things_max = 24;
  o.max_spurious = 16;
  o.p_crowd = o.p_void_blob = o.p_void_outline = o.p_pred_void = 1.0;
  o.p_miss = 0.0, o.p_dilate = 0.5, o.p_erode = 0.0, o.p_shift = 0.5, o.p_wrong_category = 0.0;
  o.max_morph = 64, o.max_shift = 1024;
  o.rgb = 1;
  char *d = generate(&o);
  check_consistent(d, "gt.json", "gt", 0);
  check_consistent(d, "pred.json", "pred", 1);
  remove_dir(d);
}
END_TEST

/* ---- errors ------------------------------------------------------------------ */

START_TEST(bad_options_are_rejected_with_a_message)
{
  p2c_error e;
  p2c_synth_options o = small_options(1, 1);
  o.images = 0;
  ck_assert_int_eq(p2c_synth_write("/tmp/unused", &o, &e), P2C_ERR_INVALID_ARG);
  ck_assert_ptr_nonnull(strstr(e.message, "images"));
  o = small_options(1, 1);
  o.p_miss = 0.6, o.p_dilate = 0.6;
  ck_assert_int_eq(p2c_synth_write("/tmp/unused", &o, &e), P2C_ERR_INVALID_ARG);
  ck_assert_ptr_nonnull(strstr(e.message, "exceeds 1"));
  o = small_options(1, 1);
  o.p_crowd = -0.1;
  ck_assert_int_eq(p2c_synth_write("/tmp/unused", &o, &e), P2C_ERR_INVALID_ARG);
  o = small_options(1, 1);
  o.version = 99;
  ck_assert_int_eq(p2c_synth_write("/tmp/unused", &o, &e), P2C_ERR_INVALID_ARG);
  o = small_options(1, 1);
  o.caption_draw = -1;
  ck_assert_int_eq(p2c_synth_write("/tmp/unused", &o, &e), P2C_ERR_INVALID_ARG);
  ck_assert_ptr_nonnull(strstr(e.message, "caption_draw"));
  o = small_options(1, 1);
  o.threads = -1;
  ck_assert_int_eq(p2c_synth_write("/tmp/unused", &o, &e), P2C_ERR_INVALID_ARG);
  ck_assert_ptr_nonnull(strstr(e.message, "threads"));
  ck_assert_int_eq(p2c_synth_write(NULL, &o, &e), P2C_ERR_INVALID_ARG);
  ck_assert_int_eq(p2c_synth_write(NULL, NULL, NULL), P2C_ERR_INVALID_ARG);
}
END_TEST

START_TEST(unwritable_output_is_an_io_error)
{
  char *d = p2ct_mkdtemp();
  char file[512];
  snprintf(file, sizeof file, "%s/plain-file", d);
  FILE *f = fopen(file, "w");
  ck_assert_ptr_nonnull(f);
  fclose(f);
  p2c_synth_options o = small_options(1, 1);
  p2c_error e;
  ck_assert_int_eq(p2c_synth_write(file, &o, &e), P2C_ERR_IO);
  ck_assert_ptr_nonnull(strstr(e.message, "plain-file"));
  /* gt/ exists as a file: the first PNG cannot be written, no JSON appears. */
  char sub[600];
  snprintf(sub, sizeof sub, "%s/out", d);
  mkdir(sub, 0777);
  snprintf(file, sizeof file, "%s/out/gt", d);
  f = fopen(file, "w");
  fclose(f);
  ck_assert_int_eq(p2c_synth_write(sub, &o, &e), P2C_ERR_IO);
  snprintf(file, sizeof file, "%s/out/gt.json", d);
  struct stat st;
  ck_assert_int_ne(stat(file, &st), 0);
  remove_dir(d);
}
END_TEST

/* ---- the committed fixtures ---------------------------------------------------- */

static void check_fixture(const char *name, const p2c_synth_options *o)
{
  char fx[256];
  snprintf(fx, sizeof fx, "%s", p2ct_fixture(name));
  struct stat st;
  if (stat(fx, &st) != 0) ck_abort_msg("%s missing", fx);
  char *d = generate(o);
  const char *files[] = {"gt.json", "pred.json", "manifest.json"};
  for (int i = 0; i < 3; i++) {
    char a[512], b[512];
    snprintf(a, sizeof a, "%s/%s", fx, files[i]);
    snprintf(b, sizeof b, "%s/%s", d, files[i]);
    ck_assert_msg(files_equal(a, b), "%s differs from a fresh run", a);
  }
  /* PNG bytes depend on the zlib build: compare decoded pixels. */
  cJSON *gt = load_json(fx, "gt.json");
  const cJSON *ann;
  const char *subs[] = {"gt", "pred", "images"};
  cJSON_ArrayForEach(ann, cJSON_GetObjectItem(gt, "annotations"))
    for (int k = 0; k < (o->rgb ? 3 : 2); k++) {
      int w1, h1, w2, h2;
      uint32_t *a = read_idmap(fx, subs[k], ann, &w1, &h1), *b = read_idmap(d, subs[k], ann, &w2, &h2);
      ck_assert_int_eq(w1, w2);
      ck_assert_int_eq(h1, h2);
      ck_assert(!memcmp(a, b, (size_t)w1 * h1 * sizeof *a));
      free(a);
      free(b);
    }
  cJSON_Delete(gt);
  remove_dir(d);
}

START_TEST(fixtures_are_reproduced)
{
  p2c_synth_options o = P2C_SYNTH_OPTIONS_INIT;
  o.images = 6, o.width = 160, o.height = 120, o.seed = 7;
  check_fixture("synth", &o);
  p2c_synth_options r = P2C_SYNTH_OPTIONS_INIT;
  r.images = 4, r.width = 64, r.height = 64, r.seed = 11, r.rgb = 1;
  check_fixture("synth-rgb", &r);
}
END_TEST

static Suite *suite(void)
{
  Suite *s = suite_create("synth");
  TCase *t = tcase_create("synth");
  tcase_set_timeout(t, 60);
  tcase_add_test(t, same_seed_same_bytes);
  tcase_add_test(t, thread_count_does_not_change_output);
  tcase_add_test(t, different_seed_different_data);
  tcase_add_test(t, images_are_independent_of_the_count);
  tcase_add_test(t, caption_draw_changes_only_the_wording);
  tcase_add_test(t, png_ids_areas_and_boxes_match_the_json);
  tcase_add_test(t, ground_truth_has_things_stuff_void_and_crowds);
  tcase_add_test(t, output_passes_validation);
  tcase_add_test(t, captions_are_detailed_sentences);
  tcase_add_test(t, captions_state_what_was_drawn);
  tcase_add_test(t, no_perturbation_copies_the_ground_truth);
  tcase_add_test(t, knobs_dilate_erode_miss_behave);
  tcase_add_test(t, knobs_categories_and_captions_behave);
  tcase_add_test(t, knobs_spurious_and_void_predictions);
  tcase_add_test(t, extreme_knobs_stay_consistent);
  tcase_add_test(t, bad_options_are_rejected_with_a_message);
  tcase_add_test(t, unwritable_output_is_an_io_error);
  tcase_add_test(t, fixtures_are_reproduced);
  suite_add_tcase(s, t);
  return s;
}

int main(void)
{
  return p2ct_run(suite());
}
