#include "synth/scene.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "synth/texture.h"

p2ci_scene *p2ci_scene_new(int width, int height)
{
  p2ci_scene *s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->width = width;
  s->height = height;
  size_t n = (size_t)width * (size_t)height;
  s->index = malloc(n);
  s->scratch = malloc(n);
  s->col_top = malloc((size_t)width * sizeof *s->col_top);
  s->col_bottom = malloc((size_t)width * sizeof *s->col_bottom);
  if (!s->index || !s->scratch || !s->col_top || !s->col_bottom) {
    p2ci_scene_free(s);
    return NULL;
  }
  return s;
}

void p2ci_scene_clear(p2ci_scene *s)
{
  for (int i = 0; i < s->nsegs; i++) {
    free(s->segs[i].text);
    s->segs[i].text = NULL;
  }
  s->nsegs = 0;
  s->nvoids = 0;
}

void p2ci_scene_free(p2ci_scene *s)
{
  if (!s) return;
  p2ci_scene_clear(s);
  free(s->index);
  free(s->scratch);
  free(s->col_top);
  free(s->col_bottom);
  free(s);
}

static double clampd(double v, double lo, double hi)
{
  return v < lo ? lo : v > hi ? hi : v;
}

double p2ci_curve_at(const p2ci_curve *c, double x)
{
  double t = (x + c->xoff) * c->freq;
  return c->base + c->amp * p2ci_noise1(c->key, t) + c->amp / 3.0 * p2ci_noise1(c->key + 1, 4.0 * t);
}

static p2ci_seg *new_seg(p2ci_scene *s)
{
  if (s->nsegs >= P2CI_MAX_SEGS) return NULL;
  p2ci_seg *g = &s->segs[s->nsegs++];
  memset(g, 0, sizeof *g);
  g->colour = g->colour2 = g->material = g->part = g->noun = g->verb = -1;
  g->gt_index = -1;
  return g;
}

static int pick_list(const int *list, int max, p2ci_rng *r)
{
  int n = 0;
  while (n < max && list[n] > 0) n++;
  return n ? list[p2ci_rng_int(r, 0, n - 1)] : 0;
}

static int count_strings(const char *const *list, int max)
{
  int n = 0;
  while (n < max && list[n]) n++;
  return n;
}

static void role_rgb(int role, const p2ci_seg *g, uint8_t out[3])
{
  static const uint8_t skin[3] = {224, 172, 130}, leaf[3] = {52, 128, 48}, dark[3] = {28, 28, 30},
                       glass[3] = {150, 186, 210};
  const uint8_t *c;
  switch (role) {
  case P2CI_ROLE_MAIN: c = p2ci_colours[g->colour].rgb; break;
  case P2CI_ROLE_SECOND: c = p2ci_colours[g->colour2 >= 0 ? g->colour2 : g->colour].rgb; break;
  case P2CI_ROLE_SKIN: c = skin; break;
  case P2CI_ROLE_LEAF: c = leaf; break;
  case P2CI_ROLE_WHITE: c = p2ci_colours[P2CI_WHITE].rgb; break;
  case P2CI_ROLE_GLASS: c = glass; break;
  default: c = dark; break;
  }
  memcpy(out, c, 3);
}

static int surface_of(const p2ci_thing_kind *tk, int material)
{
  static const struct {
    const char *material;
    int surface;
  } surfaces[] = {{"wooden", P2CI_SURFACE_WOOD},  {"metal", P2CI_SURFACE_METAL},
                  {"steel", P2CI_SURFACE_METAL},  {"shiny", P2CI_SURFACE_METAL},
                  {"glass", P2CI_SURFACE_GLASS},  {"fabric", P2CI_SURFACE_WEAVE},
                  {"velvet", P2CI_SURFACE_WEAVE}, {"cotton", P2CI_SURFACE_WEAVE},
                  {"nylon", P2CI_SURFACE_WEAVE},  {"leather", P2CI_SURFACE_LEATHER}};
  if (tk->category_id == 17 || tk->category_id == 18 || tk->category_id == 19) return P2CI_SURFACE_FUR;
  if (material < 0) return P2CI_SURFACE_PLAIN;
  for (size_t i = 0; i < sizeof surfaces / sizeof surfaces[0]; i++)
    if (!strcmp(tk->materials[material], surfaces[i].material)) return surfaces[i].surface;
  return P2CI_SURFACE_PLAIN;
}

void p2ci_thing_init(p2ci_seg *g, const p2ci_thing_kind *tk, double x0, double y0, double w,
                     double h, p2ci_rng *r)
{
  g->category_id = tk->category_id;
  g->isthing = 1;
  g->tk = tk;
  int ncol = 0;
  while (ncol < P2CI_LIST_MAX && tk->colours[ncol] >= 0) ncol++;
  g->colour = tk->colours[p2ci_rng_int(r, 0, ncol - 1)];
  if (tk->second_colour) {
    do g->colour2 = p2ci_rng_int(r, 0, P2CI_NUM_COLOURS - 1);
    while (g->colour2 == g->colour);
  }
  int nm = count_strings(tk->materials, 4), np = count_strings(tk->parts, 4);
  g->material = nm ? p2ci_rng_int(r, 0, nm - 1) : -1;
  g->part = np ? p2ci_rng_int(r, 0, np - 1) : -1;
  g->surface = surface_of(tk, g->material);
  g->noun = p2ci_rng_int(r, 0, 2);
  g->verb = p2ci_rng_int(r, 0, 2);
  /* Mirror the template half of the time, so animals face both ways. */
  int flip = p2ci_rng_chance(r, 0.5);
  g->nprims = tk->nprims;
  for (int i = 0; i < tk->nprims; i++) {
    const p2ci_template_prim *t = &tk->prims[i];
    p2ci_prim *p = &g->prims[i];
    double fx0 = flip ? 1.0 - t->x1 : t->x0, fx1 = flip ? 1.0 - t->x0 : t->x1;
    p->kind = t->kind;
    p->cx = x0 + w * (fx0 + fx1) / 2.0;
    p->cy = y0 + h * ((double)t->y0 + t->y1) / 2.0;
    p->rx = w * (fx1 - fx0) / 2.0;
    p->ry = h * ((double)t->y1 - t->y0) / 2.0;
    if (p->rx < 0.6) p->rx = 0.6;
    if (p->ry < 0.6) p->ry = 0.6;
    role_rgb(t->role, g, p->rgb);
  }
}

/* ---- ground truth ---------------------------------------------------------- */

static void make_curve(p2ci_curve *c, double base, double amp, double period, p2ci_rng *r)
{
  c->base = base;
  c->amp = amp;
  c->freq = 1.0 / period;
  c->xoff = 0.0;
  c->key = p2ci_rng_u64(r);
}

static void add_bands(p2ci_scene *s, p2ci_rng *r)
{
  const p2ci_scene_kind *k = s->kind;
  double W = s->width, H = s->height;
  int cats[P2CI_SCENE_BANDS];
  double bottoms[P2CI_SCENE_BANDS];
  int n = 0;
  for (int b = 0; b < P2CI_SCENE_BANDS; b++) {
    const int *alt = k->bands[b];
    if (alt[0] == 0) break;
    int optional = alt[0] < 0;
    if (optional && p2ci_rng_chance(r, 0.5)) {
      p2ci_rng_u64(r); /* keep the stream aligned whichever way the coin fell */
      continue;
    }
    cats[n] = pick_list(alt + optional, 4 - optional, r);
    bottoms[n] = k->band_frac[b];
    n++;
  }
  p2ci_curve prev = {0};
  for (int i = 0; i < n; i++) {
    p2ci_seg *g = new_seg(s);
    g->category_id = cats[i];
    g->sk = p2ci_stuff_kind_of(cats[i]);
    g->is_band = 1;
    g->has_top = i > 0;
    g->top = prev;
    g->has_bottom = i < n - 1;
    if (g->has_bottom) {
      double base = bottoms[i] * H + p2ci_rng_range(r, -0.06, 0.06) * H;
      /* Trees, buildings and hills get a ragged upper edge: that is the top of the next band. */
      make_curve(&g->bottom, base, p2ci_rng_range(r, 0.01, 0.05) * H, p2ci_rng_range(r, 0.15, 0.5) * W, r);
      if (i + 1 < n && (cats[i + 1] == 184 || cats[i + 1] == 197 || cats[i + 1] == 192)) {
        g->bottom.amp = p2ci_rng_range(r, 0.05, 0.1) * H;
        g->bottom.freq = 1.0 / (p2ci_rng_range(r, 0.05, 0.12) * W);
      }
      prev = g->bottom;
    }
  }
}

/* y of the top of the first band things stand on, at x. */
static double ground_top(const p2ci_scene *s, double x)
{
  for (int i = 0; i < s->nsegs; i++) {
    const p2ci_seg *g = &s->segs[i];
    if (!g->is_band || !g->has_top) continue;
    if (!strcmp(g->sk->on, "on")) return p2ci_curve_at(&g->top, x);
  }
  return s->height * 0.5;
}

static double wall_bottom(const p2ci_scene *s, double x)
{
  const p2ci_seg *g = &s->segs[0];
  return g->has_bottom ? p2ci_curve_at(&g->bottom, x) : s->height * 0.6;
}

static void add_crowd(p2ci_scene *s, p2ci_rng *r)
{
  p2ci_seg *g = new_seg(s);
  if (!g) return;
  double W = s->width, H = s->height;
  g->category_id = 1;
  g->isthing = 1;
  g->iscrowd = 1;
  g->tk = p2ci_thing_kind_of(1);
  double cx = p2ci_rng_range(r, 0.2, 0.8) * W;
  double base = ground_top(s, cx) + p2ci_rng_range(r, 0.04, 0.12) * H;
  int people = p2ci_rng_int(r, 4, P2CI_MAX_PRIMS / 2);
  double h = p2ci_rng_range(r, 0.12, 0.2) * H, lowest = 0;
  for (int i = 0; i < people; i++) {
    double x = cx + p2ci_rng_range(r, -0.15, 0.15) * W;
    double y = base + p2ci_rng_range(r, -0.04, 0.04) * H;
    double hh = h * p2ci_rng_range(r, 0.85, 1.15);
    p2ci_prim *body = &g->prims[g->nprims++], *head = &g->prims[g->nprims++];
    body->kind = P2CI_PRIM_BOX;
    body->cx = x;
    body->cy = y - hh * 0.4;
    body->rx = hh * 0.16;
    body->ry = hh * 0.4;
    memcpy(body->rgb, p2ci_colours[p2ci_rng_int(r, 0, P2CI_NUM_COLOURS - 1)].rgb, 3);
    head->kind = P2CI_PRIM_ELLIPSE;
    head->cx = x;
    head->cy = y - hh * 0.88;
    head->rx = hh * 0.1;
    head->ry = hh * 0.12;
    head->rgb[0] = 224, head->rgb[1] = 172, head->rgb[2] = 130;
    if (y > lowest) lowest = y;
  }
  g->order = lowest - 0.25 * H; /* a crowd is background: drawn behind things at its depth */
}

static void add_thing(p2ci_scene *s, p2ci_rng *r, int table_index)
{
  double W = s->width, H = s->height;
  const p2ci_thing_kind *tk = p2ci_thing_kind_of(pick_list(s->kind->things, 16, r));
  p2ci_seg *g = new_seg(s);
  if (!g || !tk) return;
  double h = p2ci_rng_range(r, tk->min_h, tk->max_h) * H;
  double w = h * tk->aspect * p2ci_rng_range(r, 0.85, 1.15);
  double x0 = p2ci_rng_range(r, -0.1 * w, W - 0.9 * w), bottom;
  double cx = x0 + w / 2.0;
  int place = tk->place;
  if (place == P2CI_PLACE_TABLE && table_index < 0) place = P2CI_PLACE_GROUND;
  if (place == P2CI_PLACE_WALL && !s->kind->indoor) place = P2CI_PLACE_GROUND;
  if (place == P2CI_PLACE_AIR && p2ci_rng_chance(r, 0.5)) place = P2CI_PLACE_GROUND;
  switch (place) {
  case P2CI_PLACE_TABLE: {
    const p2ci_seg *t = &s->segs[table_index];
    const p2ci_prim *top = &t->prims[0];
    x0 = p2ci_rng_range(r, top->cx - top->rx, top->cx + top->rx - w);
    bottom = top->cy - top->ry + 1.0;
    g->order = t->order + 0.5; /* on the table, so drawn after it */
    break;
  }
  case P2CI_PLACE_WALL: {
    double wb = wall_bottom(s, cx);
    bottom = p2ci_rng_range(r, h + 0.05 * H, wb - 0.05 * H);
    g->order = -1.0; /* on the wall, behind everything standing */
    break;
  }
  case P2CI_PLACE_AIR: {
    double gt = ground_top(s, cx);
    bottom = p2ci_rng_range(r, h + 0.02 * H, gt > h + 0.1 * H ? gt - 0.05 * H : h + 0.1 * H);
    g->order = -2.0;
    break;
  }
  default: {
    double gt = ground_top(s, cx);
    bottom = p2ci_rng_range(r, gt + 0.06 * H, 1.04 * H);
    /* Perspective: things further up (further away) are drawn smaller. */
    double depth = clampd((bottom - gt) / (H - gt + 1.0), 0.0, 1.0);
    double scale = 0.55 + 0.6 * depth;
    h *= scale;
    w *= scale;
    x0 = cx - w / 2.0;
    g->order = bottom;
    break;
  }
  }
  p2ci_thing_init(g, tk, x0, bottom - h, w, h, r);
}

static int cmp_order(const void *a, const void *b)
{
  const p2ci_seg *x = a, *y = b;
  return (x->order > y->order) - (x->order < y->order);
}

void p2ci_scene_generate(p2ci_scene *s, const p2c_synth_options *o, p2ci_rng *r)
{
  p2ci_scene_clear(s);
  double W = s->width, H = s->height;
  s->kind = &p2ci_scene_kinds[p2ci_rng_int(r, 0, p2ci_num_scene_kinds - 1)];
  s->texture_key = p2ci_rng_u64(r);
  static const int walls[] = {P2CI_BEIGE, P2CI_WHITE, P2CI_LIGHT_BLUE, P2CI_GREY, P2CI_YELLOW};
  s->wall_colour = walls[p2ci_rng_int(r, 0, 4)];
  s->cloudy = p2ci_rng_chance(r, 0.6);
  add_bands(s, r);
  int first_thing = s->nsegs;
  if (p2ci_rng_chance(r, o->p_crowd) && !s->kind->indoor) add_crowd(s, r);
  int n = p2ci_rng_int(r, o->things_min, o->things_max);
  int table = -1;
  for (int i = 0; i < n; i++) {
    int before = s->nsegs;
    add_thing(s, r, table);
    if (s->nsegs > before && s->segs[before].category_id == 67 && table < 0) table = before;
  }
  /* Painter's order: far things first. Stable for equal keys (indices break ties). */
  for (int i = first_thing; i < s->nsegs; i++) s->segs[i].order += (double)i * 1e-9;
  qsort(s->segs + first_thing, (size_t)(s->nsegs - first_thing), sizeof s->segs[0], cmp_order);
  for (int i = first_thing; i < s->nsegs; i++)
    s->segs[i].void_outline = !s->segs[i].iscrowd && p2ci_rng_chance(r, o->p_void_outline);
  if (p2ci_rng_chance(r, o->p_void_blob)) {
    p2ci_prim *v = &s->voids[s->nvoids++];
    double m = W < H ? W : H;
    v->kind = P2CI_PRIM_ELLIPSE;
    v->cx = p2ci_rng_range(r, 0.1, 0.9) * W;
    v->cy = p2ci_rng_range(r, 0.1, 0.9) * H;
    v->rx = p2ci_rng_range(r, 0.03, 0.09) * m;
    v->ry = p2ci_rng_range(r, 0.03, 0.09) * m;
  }
}

/* ---- painting -------------------------------------------------------------- */

static int iceil(double v)
{
  return (int)ceil(v);
}

static int ifloor(double v)
{
  return (int)floor(v);
}

static void paint_pixel(p2ci_scene *s, int seg, size_t p, int track)
{
  uint8_t prev = s->index[p];
  if (track && prev && prev != seg + 1) s->occl[seg][prev - 1]++;
  s->index[p] = (uint8_t)(seg + 1);
}

/* Row span [xs, xe] of a primitive at pixel row y (centre y + 0.5); 0 if none. */
static int prim_span(const p2ci_prim *p, int y, int width, int *xs, int *xe)
{
  double dy = (y + 0.5 - p->cy) / p->ry, hw;
  if (dy < -1.0 || dy > 1.0) return 0;
  if (p->kind == P2CI_PRIM_BOX) hw = p->rx;
  else hw = p->rx * sqrt(1.0 - dy * dy);
  int a = iceil(p->cx - hw - 0.5), b = ifloor(p->cx + hw - 0.5);
  if (a < 0) a = 0;
  if (b > width - 1) b = width - 1;
  if (a > b) return 0;
  *xs = a;
  *xe = b;
  return 1;
}

static void paint_prims(p2ci_scene *s, int seg, uint8_t *rgb, int track)
{
  const p2ci_seg *g = &s->segs[seg];
  for (int k = 0; k < g->nprims; k++) {
    const p2ci_prim *p = &g->prims[k];
    if (p->rx <= 0.0 || p->ry <= 0.0) continue;
    int y0 = ifloor(p->cy - p->ry), y1 = iceil(p->cy + p->ry);
    if (y0 < 0) y0 = 0;
    if (y1 > s->height - 1) y1 = s->height - 1;
    for (int y = y0; y <= y1; y++) {
      int xs, xe;
      if (!prim_span(p, y, s->width, &xs, &xe)) continue;
      size_t row = (size_t)y * (size_t)s->width;
      for (int x = xs; x <= xe; x++) {
        paint_pixel(s, seg, row + (size_t)x, track);
        if (rgb) p2ci_thing_texture(s, g, p, x, y, rgb + 3 * (row + (size_t)x));
      }
    }
  }
}

static void paint_band(p2ci_scene *s, int seg, uint8_t *rgb)
{
  const p2ci_seg *g = &s->segs[seg];
  int W = s->width, H = s->height;
  /* Column extents first, then a row-major fill (cache-friendly). */
  for (int x = 0; x < W; x++) {
    int ys = 0, ye = H - 1;
    if (g->has_top) ys = iceil(p2ci_curve_at(&g->top, x + 0.5) - 0.5);
    if (g->has_bottom) ye = iceil(p2ci_curve_at(&g->bottom, x + 0.5) - 0.5) - 1;
    if (ys < 0) ys = 0;
    if (ye > H - 1) ye = H - 1;
    s->col_top[x] = ys;
    s->col_bottom[x] = ye >= ys ? ye - ys + 1 : 0; /* a length from here on */
  }
  const int *top = s->col_top, *len = s->col_bottom;
  uint8_t v = (uint8_t)(seg + 1);
  for (int y = 0; y < H; y++) {
    uint8_t *row = s->index + (size_t)y * (size_t)W;
    if (!rgb) {
      for (int x = 0; x < W; x++) row[x] = (unsigned)(y - top[x]) < (unsigned)len[x] ? v : row[x];
      continue;
    }
    for (int x = 0; x < W; x++) {
      if ((unsigned)(y - top[x]) >= (unsigned)len[x]) continue;
      row[x] = v;
      p2ci_stuff_texture(s, g, x, y, rgb + 3 * ((size_t)y * (size_t)W + (size_t)x));
    }
  }
}

static void apply_voids(p2ci_scene *s)
{
  int W = s->width, H = s->height;
  int any = 0;
  for (int i = 0; i < s->nsegs; i++) any |= s->segs[i].void_outline;
  if (any) {
    /* Mark first, clear after: outlines are found on the unvoided map. */
    memset(s->scratch, 0, (size_t)W * (size_t)H);
    for (int y = 0; y < H; y++)
      for (int x = 0; x < W; x++) {
        size_t p = (size_t)y * (size_t)W + (size_t)x;
        uint8_t v = s->index[p];
        if (!v || !s->segs[v - 1].void_outline) continue;
        if ((x > 0 && s->index[p - 1] != v) || (x < W - 1 && s->index[p + 1] != v) ||
            (y > 0 && s->index[p - (size_t)W] != v) || (y < H - 1 && s->index[p + (size_t)W] != v))
          s->scratch[p] = 1;
      }
    for (size_t p = 0; p < (size_t)W * (size_t)H; p++)
      if (s->scratch[p]) s->index[p] = 0;
  }
  for (int i = 0; i < s->nvoids; i++) {
    const p2ci_prim *v = &s->voids[i];
    int y0 = ifloor(v->cy - v->ry), y1 = iceil(v->cy + v->ry);
    if (y0 < 0) y0 = 0;
    if (y1 > H - 1) y1 = H - 1;
    for (int y = y0; y <= y1; y++) {
      int xs, xe;
      if (!prim_span(v, y, W, &xs, &xe)) continue;
      memset(s->index + (size_t)y * (size_t)W + (size_t)xs, 0, (size_t)(xe - xs + 1));
    }
  }
}

/* Neighbour of a pixel looking across one void pixel (void outlines are 1 px wide). */
static uint8_t across(const uint8_t *near, const uint8_t *far)
{
  return *near ? *near : far ? *far : 0;
}

static void measure(p2ci_scene *s)
{
  int W = s->width, H = s->height, n = s->nsegs;
  for (int i = 0; i < n; i++) {
    p2ci_seg *g = &s->segs[i];
    g->area = 0;
    g->bx0 = W, g->by0 = H, g->bx1 = -1, g->by1 = -1;
    g->sumx = g->sumy = 0.0;
  }
  memset(s->below, 0, sizeof s->below);
  memset(s->side, 0, sizeof s->side);
  for (int y = 0; y < H; y++) {
    const uint8_t *row = s->index + (size_t)y * (size_t)W;
    const uint8_t *down = y + 1 < H ? row + W : NULL, *down2 = y + 2 < H ? row + 2 * W : NULL;
    /* Runs of one value: area, box and sums per run, not per pixel. */
    for (int x = 0; x < W;) {
      uint8_t v = row[x];
      int e = x + 1;
      while (e < W && row[e] == v) e++;
      if (v) {
        p2ci_seg *g = &s->segs[v - 1];
        int len = e - x;
        g->area += len;
        if (x < g->bx0) g->bx0 = x;
        if (e - 1 > g->bx1) g->bx1 = e - 1;
        if (y < g->by0) g->by0 = y;
        if (y > g->by1) g->by1 = y;
        g->sumx += (double)len * (x + e - 1) / 2.0;
        g->sumy += (double)len * y;
        if (e < W) {
          uint8_t rt = across(row + e, e + 1 < W ? row + e + 1 : NULL);
          if (rt && rt != v) s->side[v - 1][rt - 1]++, s->side[rt - 1][v - 1]++;
        }
        if (down && memcmp(row + x, down + x, (size_t)len) != 0)
          for (int k = x; k < e; k++) {
            uint8_t b = across(down + k, down2 ? down2 + k : NULL);
            if (b && b != v) s->below[v - 1][b - 1]++;
          }
      }
      x = e;
    }
  }
}

void p2ci_scene_render(p2ci_scene *s, uint8_t *rgb, int voids)
{
  memset(s->index, 0, (size_t)s->width * (size_t)s->height);
  memset(s->occl, 0, sizeof s->occl);
  for (int i = 0; i < s->nsegs; i++) {
    if (s->segs[i].is_band) paint_band(s, i, rgb);
    else paint_prims(s, i, rgb, 1);
  }
  if (voids) apply_voids(s);
  measure(s);
}

int p2ci_scene_drop_small(p2ci_scene *s, int64_t min_area)
{
  int n = 0;
  for (int i = 0; i < s->nsegs; i++) {
    if (s->segs[i].isthing && !s->segs[i].iscrowd && s->segs[i].area < min_area) {
      free(s->segs[i].text);
      continue;
    }
    if (n != i) s->segs[n] = s->segs[i];
    n++;
  }
  int removed = s->nsegs - n;
  s->nsegs = n;
  return removed;
}

void p2ci_scene_assign_ids(p2ci_scene *s, p2ci_rng *r)
{
  for (int i = 0; i < s->nsegs; i++) {
    uint32_t id;
    int again;
    do {
      id = (uint32_t)(p2ci_rng_u64(r) >> 40);
      again = id == 0;
      for (int j = 0; j < i && !again; j++) again = s->segs[j].id == id;
    } while (again);
    s->segs[i].id = id;
  }
}

void p2ci_scene_id_pixels(const p2ci_scene *s, uint8_t *rgb)
{
  size_t n = (size_t)s->width * (size_t)s->height;
  uint32_t ids[P2CI_MAX_SEGS + 1];
  ids[0] = 0;
  for (int i = 0; i < s->nsegs; i++) ids[i + 1] = s->segs[i].id;
  for (size_t p = 0; p < n; p++) {
    uint32_t id = ids[s->index[p]];
    rgb[3 * p] = (uint8_t)(id & 255);
    rgb[3 * p + 1] = (uint8_t)((id >> 8) & 255);
    rgb[3 * p + 2] = (uint8_t)((id >> 16) & 255);
  }
}
