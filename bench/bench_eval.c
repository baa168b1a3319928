/* The whole evaluation (p2c_evaluator_run + finish) of 2,000 images at
 * 640x480 with about 19 segments each, in both protocols, with 2 threads.
 *
 * The data set is made here (once, cached in $P2C_BENCH_DIR or
 * /tmp/p2c-bench-eval): per image 4 stuff bands and 15 thing rectangles in
 * the GT; the prediction moves each rectangle by a few pixels, drops one in
 * ten, adds a spurious one, leaves some void, and captions each segment from
 * a small vocabulary (a copy, a partial copy or an unrelated caption), with a
 * confidence score. It mimics p2c-synth's default profile; timings exclude
 * making it. Wall time of each run and the process CPU time are printed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "p2ceval.h"

#define N_IMAGES 2000
#define W 640
#define H 480

static double now(clockid_t id)
{
  struct timespec ts;
  clock_gettime(id, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static uint64_t rng = 88172645463325252ULL;
static unsigned rnd(unsigned n)
{
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (unsigned)(rng % n);
}

static const char *const adj[] = {"red", "small", "wooden", "green", "old", "tall", "white", "shiny"};
static const char *const noun[] = {"car", "dog", "person", "chair", "tree", "bus", "cup", "bench"};
static const char *const rel[] = {"next to the road", "on the left", "in the background",
                                  "near a window", "under the table", "on the grass"};

static void caption(char *out, size_t n)
{
  snprintf(out, n, "a %s %s %s %s", adj[rnd(8)], adj[rnd(8)], noun[rnd(8)], rel[rnd(6)]);
}

typedef struct rect {
  int x, y, w, h;
} rect;

static void fill(uint32_t *m, rect r, uint32_t id)
{
  for (int y = r.y; y < r.y + r.h; y++)
    for (int x = r.x; x < r.x + r.w; x++)
      if (x >= 0 && y >= 0 && x < W && y < H) m[(size_t)y * W + (size_t)x] = id;
}

static int make_set(const char *dir)
{
  char path[1024];
  snprintf(path, sizeof path, "%s/pred.json", dir);
  struct stat st;
  if (stat(path, &st) == 0) return 0; /* cached */
  fprintf(stderr, "bench_eval: writing the data set to %s (once)\n", dir);
  mkdir(dir, 0755);
  snprintf(path, sizeof path, "%s/gt", dir);
  mkdir(path, 0755);
  snprintf(path, sizeof path, "%s/pred", dir);
  mkdir(path, 0755);
  char gpath[1024], ppath[1024];
  snprintf(gpath, sizeof gpath, "%s/gt.json.tmp", dir);
  snprintf(ppath, sizeof ppath, "%s/pred.json.tmp", dir);
  FILE *g = fopen(gpath, "w"), *p = fopen(ppath, "w");
  uint32_t *gm = malloc(sizeof *gm * W * H), *pm = malloc(sizeof *pm * W * H);
  if (!g || !p || !gm || !pm) return 1;
  fprintf(g, "{\"categories\": [");
  for (int c = 1; c <= 12; c++) fprintf(g, "%s{\"id\": %d, \"name\": \"c%d\", \"isthing\": %d}", c > 1 ? ", " : "", c, c, c <= 8);
  fprintf(g, "], \"images\": [");
  for (int i = 0; i < N_IMAGES; i++)
    fprintf(g, "%s{\"id\": %d, \"file_name\": \"%06d.jpg\", \"width\": %d, \"height\": %d}", i ? ", " : "", i + 1, i + 1, W, H);
  fprintf(g, "], \"annotations\": [");
  fprintf(p, "{\"annotations\": [");
  for (int i = 0; i < N_IMAGES; i++) {
    char cap[128], pc[128];
    int ng = 0, np = 0;
    fprintf(g, "%s{\"image_id\": %d, \"file_name\": \"%06d.png\", \"segments_info\": [", i ? ", " : "", i + 1, i + 1);
    fprintf(p, "%s{\"image_id\": %d, \"file_name\": \"%06d.png\", \"segments_info\": [", i ? ", " : "", i + 1, i + 1);
    memset(gm, 0, sizeof *gm * W * H);
    memset(pm, 0, sizeof *pm * W * H);
    for (int b = 0; b < 4; b++) { /* stuff bands, same in both */
      rect r = {0, b * H / 4, W, H / 4};
      uint32_t id = 100 + (uint32_t)b;
      fill(gm, r, id);
      fill(pm, r, id);
    }
    rect rs[15];
    for (int k = 0; k < 15; k++) {
      rs[k] = (rect){(int)rnd(W - 100), (int)rnd(H - 100), 30 + (int)rnd(90), 30 + (int)rnd(90)};
      fill(gm, rs[k], 1000 + (uint32_t)k);
      rect q = {rs[k].x + (int)rnd(9) - 4, rs[k].y + (int)rnd(9) - 4, rs[k].w, rs[k].h};
      if (rnd(10)) fill(pm, q, 1000 + (uint32_t)k);
    }
    fill(pm, (rect){(int)rnd(W - 60), (int)rnd(H - 60), 50, 40}, 5000); /* spurious */
    fill(gm, (rect){(int)rnd(W - 40), (int)rnd(H - 40), 30, 20}, 0);    /* void */
    /* areas from the maps; segments listed only if present */
    static size_t garea[6000], parea[6000];
    memset(garea, 0, sizeof garea);
    memset(parea, 0, sizeof parea);
    for (size_t k = 0; k < (size_t)W * H; k++) garea[gm[k]]++, parea[pm[k]]++;
    for (uint32_t id = 1; id < 6000; id++) {
      int cat = id >= 5000 ? 1 + (int)rnd(8) : id >= 1000 ? 1 + (int)((id * 7 + (uint32_t)i) % 8) : 9 + (int)(id - 100);
      caption(cap, sizeof cap);
      if (garea[id]) {
        fprintf(g, "%s{\"id\": %u, \"category_id\": %d, \"iscrowd\": 0, \"area\": %zu, \"description\": \"%s\"}",
                ng++ ? ", " : "", id, cat, garea[id], cap);
      }
      if (parea[id]) {
        unsigned mode = rnd(3);
        if (mode == 0)
          snprintf(pc, sizeof pc, "%s", cap);
        else if (mode == 1)
          snprintf(pc, sizeof pc, "a %s %s", adj[rnd(8)], noun[rnd(8)]);
        else
          caption(pc, sizeof pc);
        fprintf(p, "%s{\"id\": %u, \"category_id\": %d, \"caption\": \"%s\", \"score\": %.3f}", np++ ? ", " : "",
                id, cat, pc, (double)rnd(1000) / 1000.0);
      }
    }
    fprintf(g, "]}");
    fprintf(p, "]}");
    p2c_error e;
    snprintf(path, sizeof path, "%s/gt/%06d.png", dir, i + 1);
    if (p2c_idmap_write_png(path, gm, W, H, &e) != P2C_OK) return fprintf(stderr, "%s\n", e.message), 1;
    snprintf(path, sizeof path, "%s/pred/%06d.png", dir, i + 1);
    if (p2c_idmap_write_png(path, pm, W, H, &e) != P2C_OK) return fprintf(stderr, "%s\n", e.message), 1;
  }
  fprintf(g, "]}\n");
  fprintf(p, "], \"categories\": []}\n");
  fclose(g);
  fclose(p);
  free(gm);
  free(pm);
  char fin[1024];
  snprintf(fin, sizeof fin, "%s/gt.json", dir);
  rename(gpath, fin);
  snprintf(fin, sizeof fin, "%s/pred.json", dir);
  rename(ppath, fin);
  return 0;
}

static int run(const char *dir, int protocol, int threads)
{
  char gp[1024], pp[1024];
  snprintf(gp, sizeof gp, "%s/gt.json", dir);
  snprintf(pp, sizeof pp, "%s/pred.json", dir);
  double t0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
  p2c_error e;
  p2c_dataset *gt = NULL, *pred = NULL;
  p2c_load_options go = P2C_LOAD_OPTIONS_INIT, po = P2C_LOAD_OPTIONS_INIT;
  po.kind = P2C_DATASET_PRED;
  if (p2c_dataset_load(gp, &go, &gt, &e) != P2C_OK || p2c_dataset_load(pp, &po, &pred, &e) != P2C_OK) {
    fprintf(stderr, "%s\n", e.message);
    return 1;
  }
  double t1 = now(CLOCK_MONOTONIC);
  p2c_eval_options o = P2C_EVAL_OPTIONS_INIT;
  o.protocol = protocol;
  o.threads = threads;
  p2c_evaluator *ev = NULL;
  int rc = p2c_evaluator_create(gt, &o, &ev, &e);
  if (rc == P2C_OK) rc = p2c_evaluator_run(ev, gt, pred);
  double t2 = now(CLOCK_MONOTONIC), c2 = now(CLOCK_PROCESS_CPUTIME_ID);
  if (rc == P2C_OK) rc = p2c_evaluator_finish(ev);
  double t3 = now(CLOCK_MONOTONIC), c3 = now(CLOCK_PROCESS_CPUTIME_ID);
  if (rc != P2C_OK) {
    fprintf(stderr, "%s\n", ev ? p2c_evaluator_last_error(ev) : e.message);
    return 1;
  }
  p2c_eval_summary S;
  p2c_evaluator_summary(ev, &S);
  printf("%-17s threads %d: %.2f s wall (load %.2f, images %.2f, metrics+mAP %.2f), %.2f s CPU "
         "(metrics+mAP %.2f); PQ %.4f, %zu pairs, mAP %.4f, %llu mAP entries\n",
         p2c_protocol_name(protocol), threads, t3 - t0, t1 - t0, t2 - t1, t3 - t2, c3 - c0, c3 - c2, S.pq,
         S.caption_pairs, S.map, (unsigned long long)S.map_entries);
  p2c_evaluator_free(ev);
  p2c_dataset_free(gt);
  p2c_dataset_free(pred);
  return 0;
}

int main(void)
{
  const char *dir = getenv("P2C_BENCH_DIR");
  if (!dir || !*dir) dir = "/tmp/p2c-bench-eval";
  if (make_set(dir)) return 1;
  printf("bench_eval: %d images %dx%d, ~19 segments each (%s)\n", N_IMAGES, W, H, dir);
  for (int p = 0; p < 2; p++)
    if (run(dir, p == 0 ? P2C_PROTOCOL_P2C_V1 : P2C_PROTOCOL_PIX2CAP_OFFICIAL, 2)) return 1;
  return 0;
}
