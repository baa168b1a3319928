#include "synth/texture.h"


static uint8_t clamp8(double v)
{
  return v <= 0.0 ? 0 : v >= 255.0 ? 255 : (uint8_t)(v + 0.5);
}

static void set(uint8_t out[3], double r, double g, double b)
{
  out[0] = clamp8(r);
  out[1] = clamp8(g);
  out[2] = clamp8(b);
}

/* Per-pixel jitter in [-1, 1). */
static double jitter(uint64_t key, int x, int y)
{
  return (double)(p2ci_hash3(key, (uint64_t)x, (uint64_t)y) >> 11) * 0x1.0p-52 - 1.0;
}

static double band_top(const p2ci_seg *g, int x)
{
  return g->has_top ? p2ci_curve_at(&g->top, x + 0.5) : 0.0;
}

static double band_bottom(const p2ci_scene *s, const p2ci_seg *g, int x)
{
  return g->has_bottom ? p2ci_curve_at(&g->bottom, x + 0.5) : (double)s->height;
}

void p2ci_stuff_texture(const p2ci_scene *s, const p2ci_seg *g, int x, int y, uint8_t out[3])
{
  uint64_t key = s->texture_key + (uint64_t)g->category_id;
  double j = jitter(key, x, y);
  switch (g->category_id) {
  case 187: { /* sky: deep blue at the top, paler towards the horizon, clouds */
    double t = (double)y / (band_bottom(s, g, x) + 1.0);
    if (t > 1.0) t = 1.0;
    double r = 70 + 100 * t, gg = 120 + 85 * t, b = 205 + 30 * t;
    if (s->cloudy) {
      double c = p2ci_noise2(key, x / 22.0, y / 9.0) * 0.7 + p2ci_noise2(key + 7, x / 7.0, y / 4.0) * 0.3;
      if (c > 0.58) {
        double a = (c - 0.58) * 5.0;
        if (a > 0.9) a = 0.9;
        r += (245 - r) * a, gg += (245 - gg) * a, b += (248 - b) * a;
      }
    }
    set(out, r + 2 * j, gg + 2 * j, b + 2 * j);
    break;
  }
  case 184: { /* trees: clumps of foliage */
    double n = p2ci_noise2(key, x / 5.0, y / 5.0);
    set(out, 30 + 40 * n + 8 * j, 70 + 70 * n + 10 * j, 25 + 25 * n);
    break;
  }
  case 197: { /* building: grey facade with a grid of windows */
    int win = (x / 5) % 3 != 0 && (y / 6) % 2 == 1;
    if (win) set(out, 60 + 4 * j, 72 + 4 * j, 96 + 4 * j);
    else set(out, 140 + 6 * j, 138 + 6 * j, 134 + 6 * j);
    break;
  }
  case 192: { /* hills */
    double t = (y - band_top(g, x)) / (s->height * 0.3 + 1.0);
    set(out, 70 + 30 * t + 6 * j, 120 + 30 * t + 8 * j, 70 + 10 * t);
    break;
  }
  case 149: { /* asphalt with a dashed white centre line */
    double mid = (band_top(g, x) + band_bottom(s, g, x)) / 2.0;
    double d = y + 0.5 - mid;
    if (d > -1.0 && d < 1.0 && (x / 8) % 2 == 0) set(out, 235 + 4 * j, 235 + 4 * j, 230);
    else set(out, 92 + 10 * j, 92 + 10 * j, 98 + 10 * j);
    break;
  }
  case 191: { /* paving tiles */
    int line = x % 8 == 0 || y % 8 == 0;
    double v = line ? 120 : 165;
    set(out, v + 6 * j, v + 6 * j, v + 2 + 6 * j);
    break;
  }
  case 193: { /* grass: blades of noise */
    double n = p2ci_noise2(key, x / 3.0, y / 2.0);
    set(out, 60 + 30 * n + 12 * j, 130 + 50 * n + 14 * j, 45 + 15 * n + 8 * j);
    break;
  }
  case 194: { /* dirt */
    double n = p2ci_noise2(key, x / 4.0, y / 4.0);
    set(out, 130 + 30 * n + 10 * j, 96 + 22 * n + 8 * j, 62 + 12 * n + 6 * j);
    break;
  }
  case 154: { /* sand: pale with dark dots */
    int dot = (p2ci_hash3(key + 3, (uint64_t)x, (uint64_t)y) % 19) == 0;
    if (dot) set(out, 170, 140, 100);
    else set(out, 226 + 8 * j, 204 + 8 * j, 156 + 8 * j);
    break;
  }
  case 155: { /* sea: blue with bands of lighter waves */
    double w = y + 3.0 * p2ci_noise1(key, x / 14.0);
    int crest = ((int)(w + 100.0)) % 5 == 0;
    if (crest) set(out, 110 + 8 * j, 160 + 8 * j, 215 + 6 * j);
    else set(out, 36 + 6 * j, 86 + 8 * j, 158 + 8 * j);
    break;
  }
  case 159: { /* snow with bluish shadows */
    double n = p2ci_noise2(key, x / 10.0, y / 6.0);
    set(out, 246 - 40 * n * n + 3 * j, 248 - 30 * n * n + 3 * j, 252 - 10 * n * n);
    break;
  }
  case 199: { /* plain wall in the scene's wall colour */
    const uint8_t *c = p2ci_colours[s->wall_colour].rgb;
    set(out, c[0] + 4 * j, c[1] + 4 * j, c[2] + 4 * j);
    break;
  }
  case 171: { /* bricks: staggered rows with light mortar */
    int row = y / 5, mortar = y % 5 == 0 || (x + (row % 2) * 6) % 12 == 0;
    if (mortar) set(out, 200, 192, 180);
    else set(out, 156 + 12 * j, 62 + 8 * j, 46 + 6 * j);
    break;
  }
  case 177: { /* wooden panels: vertical boards */
    int seam = x % 9 == 0;
    double n = p2ci_noise2(key, x / 2.0, y / 12.0);
    if (seam) set(out, 90, 60, 32);
    else set(out, 150 + 25 * n, 104 + 18 * n, 60 + 10 * n);
    break;
  }
  case 118: { /* wooden floor: horizontal planks with staggered joints */
    int plank = y / 6, seam = y % 6 == 0 || (x + plank * 17) % 40 == 0;
    if (seam) set(out, 86, 54, 28);
    else set(out, 146 + 10 * j, 96 + 8 * j, 52 + 6 * j);
    break;
  }
  case 190: { /* tiles */
    int line = x % 10 == 0 || y % 10 == 0;
    double v = line ? 140 : 178;
    set(out, v + 4 * j, v + 4 * j, v - 4 + 4 * j);
    break;
  }
  default: {
    int ci = p2ci_category_index(g->category_id);
    const uint8_t *c = ci >= 0 ? p2ci_categories[ci].color : (const uint8_t *)"\200\200\200";
    set(out, c[0] + 4 * j, c[1] + 4 * j, c[2] + 4 * j);
    break;
  }
  }
}

void p2ci_thing_texture(const p2ci_scene *s, const p2ci_seg *g, const p2ci_prim *p, int x, int y,
                        uint8_t out[3])
{
  /* Light from the upper left: brighter towards it, darker away from it. */
  double u = (x + 0.5 - p->cx) / (p->rx + 0.5), v = (y + 0.5 - p->cy) / (p->ry + 0.5);
  double shade = 1.0 - 0.12 * u - 0.18 * v;
  double r = p->rgb[0], gg = p->rgb[1], b = p->rgb[2];
  double j = jitter(s->texture_key + g->id + 11, x, y);
  switch (g->surface) {
  case P2CI_SURFACE_WOOD: /* grain: wavy darker lines */
    if (((int)(y + 2.0 * p2ci_noise1(s->texture_key, x / 6.0)) + 64) % 4 == 0) shade *= 0.82;
    break;
  case P2CI_SURFACE_METAL: { /* a highlight towards the light */
    double d = (u + 0.4) * (u + 0.4) + (v + 0.5) * (v + 0.5);
    if (d < 0.12) shade += 0.35 * (1.0 - d / 0.12);
    break;
  }
  case P2CI_SURFACE_GLASS:
    r += (235 - r) * 0.3, gg += (240 - gg) * 0.3, b += (245 - b) * 0.3;
    break;
  case P2CI_SURFACE_WEAVE: shade += ((x + y) % 2 ? 0.05 : -0.05); break;
  case P2CI_SURFACE_LEATHER: shade *= 0.9; break;
  case P2CI_SURFACE_FUR: shade += 0.06 * j; break;
  default: break;
  }
  set(out, r * shade + 3 * j, gg * shade + 3 * j, b * shade + 3 * j);
}
