#include "synth/caption.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "synth/strbuf.h"

/* ---- phrases ---------------------------------------------------------------- */

/* Append words, one space before each group. */
static void say(p2ci_sb *b, const char *words)
{
  if (!words || !*words) return;
  if (b->len && b->data[b->len - 1] != ' ') p2ci_sb_puts(b, " ");
  p2ci_sb_puts(b, words);
}

/* A stuff phrase with "%c" replaced by the scene's wall colour. */
static void say_stuff(p2ci_sb *b, const p2ci_scene *s, const char *fmt)
{
  const char *c = strstr(fmt, "%c");
  if (!c) {
    say(b, fmt);
    return;
  }
  if (b->len && b->data[b->len - 1] != ' ') p2ci_sb_puts(b, " ");
  p2ci_sb_append(b, fmt, (size_t)(c - fmt));
  p2ci_sb_puts(b, p2ci_colours[s->wall_colour].name);
  p2ci_sb_puts(b, c + 2);
}

static int starts_with_vowel(const char *w)
{
  return w && strchr("aeiou", w[0]) != NULL;
}

/* A thing's part phrase with %1 / %2 replaced by its colours. */
static void say_part(p2ci_sb *b, const p2ci_seg *g)
{
  const char *f = g->tk->parts[g->part];
  if (b->len && b->data[b->len - 1] != ' ') p2ci_sb_puts(b, " ");
  for (; *f; f++) {
    if (f[0] == '%' && (f[1] == '1' || f[1] == '2')) {
      int c = f[1] == '1' ? g->colour : (g->colour2 >= 0 ? g->colour2 : g->colour);
      const char *name = p2ci_colours[c].name;
      /* "a %1 jacket" with orange: "an orange jacket" */
      if (starts_with_vowel(name) && b->len >= 3 && !strcmp(b->data + b->len - 3, " a "))
        b->data[--b->len] = '\0', p2ci_sb_puts(b, "n ");
      p2ci_sb_puts(b, name);
      f++;
    } else {
      p2ci_sb_append(b, f, 1);
    }
  }
}

/* "the red car", "the crowd of people", "the blue sky" */
static void say_ref(p2ci_sb *b, const p2ci_scene *s, const p2ci_seg *g)
{
  if (g->iscrowd) {
    say(b, "the crowd of people");
  } else if (g->isthing && g->tk->colour_in_part) {
    /* "the woman in red", "the plant in the brown pot": the colour tells them apart */
    say(b, "the");
    say(b, g->tk->nouns[g->noun]);
    say(b, g->category_id == 64 ? "in the" : "in");
    say(b, p2ci_colours[g->colour].name);
    if (g->category_id == 64) say(b, "pot");
  } else if (g->isthing) {
    say(b, "the");
    say(b, p2ci_colours[g->colour].name);
    say(b, g->tk->nouns[g->noun]);
  } else {
    say(b, "the");
    say_stuff(b, s, g->sk->short_np);
  }
}

static const char *position_phrase(const p2ci_scene *s, const p2ci_seg *g, p2ci_rng *r)
{
  static const char *const grid[3][3][2] = {
      {{"in the top left corner of the image", "in the upper left part of the picture"},
       {"at the top of the picture", "near the top of the image"},
       {"in the top right corner of the image", "in the upper right part of the picture"}},
      {{"on the left side of the picture", "on the left of the image"},
       {"at the center of the scene", "in the middle of the picture"},
       {"on the right side of the picture", "on the right of the image"}},
      {{"in the bottom left corner of the frame", "at the lower left of the image"},
       {"at the bottom of the frame", "near the bottom of the picture"},
       {"in the bottom right corner of the frame", "at the lower right of the image"}}};
  double cx = g->sumx / (double)g->area / s->width, cy = g->sumy / (double)g->area / s->height;
  int col = cx < 1.0 / 3 ? 0 : cx < 2.0 / 3 ? 1 : 2, row = cy < 1.0 / 3 ? 0 : cy < 2.0 / 3 ? 1 : 2;
  double frac = (double)g->area / ((double)s->width * s->height);
  if (g->isthing && row == 2 && frac > 0.06 && p2ci_rng_chance(r, 0.3)) return "in the foreground";
  if (g->isthing && row < 2 && frac < 0.01 && p2ci_rng_chance(r, 0.3)) return "in the background";
  return grid[row][col][p2ci_rng_int(r, 0, 1)];
}

/* What a segment stands on: the segment most often directly below its pixels,
 * ignoring things in front of it. -1 if none. */
static int support_of(const p2ci_scene *s, int i)
{
  int best = -1;
  int32_t most = 0;
  for (int b = 0; b < s->nsegs; b++) {
    if (b == i || s->segs[b].area == 0) continue;
    if (s->occl[b][i] > 0 && s->segs[b].isthing) continue;
    if (s->below[i][b] > most) most = s->below[i][b], best = b;
  }
  return best;
}

/* ---- things ----------------------------------------------------------------- */

static void say_thing_np(p2ci_sb *b, const p2ci_scene *s, const p2ci_seg *g, p2ci_rng *r,
                         const char *det)
{
  double frac = (double)g->area / ((double)s->width * s->height);
  int bw = g->bx1 - g->bx0 + 1, bh = g->by1 - g->by0 + 1;
  const char *size = NULL;
  if (frac < 0.004) size = "tiny";
  else if (frac < 0.015) size = "small";
  else if (frac > 0.1) size = p2ci_rng_chance(r, 0.5) ? "large" : "big";
  else if (p2ci_rng_chance(r, 0.25)) size = "medium-sized";
  if (bh > 2 * bw && p2ci_rng_chance(r, 0.5)) size = "tall";
  else if (bw > 3 * bh && p2ci_rng_chance(r, 0.5)) size = "long";
  const char *colour = g->tk->colour_in_part ? NULL : p2ci_colours[g->colour].name;
  const char *mat = (g->material >= 0 && p2ci_rng_chance(r, 0.7)) ? g->tk->materials[g->material] : NULL;
  const char *noun = g->tk->nouns[g->noun];
  const char *first = size ? size : colour ? colour : mat ? mat : noun;
  if (!strcmp(det, "a") && starts_with_vowel(first)) det = "an";
  say(b, det);
  say(b, size);
  say(b, colour);
  say(b, mat);
  say(b, noun);
}

/* "standing on the green grass" */
static int say_action(p2ci_sb *b, const p2ci_scene *s, int i, int sup)
{
  const p2ci_seg *g = &s->segs[i];
  if (sup < 0) return 0;
  const p2ci_seg *u = &s->segs[sup];
  if (!u->isthing && u->category_id == 187) {
    say(b, g->category_id == 16 ? "flying in" : "seen against");
  } else if (u->isthing) {
    say(b, g->tk->verbs[g->verb]);
    say(b, "on top of");
  } else {
    say(b, g->tk->verbs[g->verb]);
    say(b, u->sk->on);
  }
  say_ref(b, s, u);
  return 1;
}

/* A relation to another thing: occlusion first, else the nearest one. */
static int say_relation(p2ci_sb *b, const p2ci_scene *s, int i, int sup)
{
  const p2ci_seg *g = &s->segs[i];
  int front = -1, behind = -1, near = -1;
  int32_t mf = 0, mb = 0;
  double nd = 0;
  for (int k = 0; k < s->nsegs; k++) {
    const p2ci_seg *o = &s->segs[k];
    if (k == i || k == sup || !o->isthing || o->area == 0) continue;
    int64_t small = g->area < o->area ? g->area : o->area;
    if (s->occl[i][k] > mf && s->occl[i][k] * 8 >= small) mf = s->occl[i][k], front = k;
    if (s->occl[k][i] > mb && s->occl[k][i] * 8 >= g->area) mb = s->occl[k][i], behind = k;
    double dx = o->sumx / o->area - g->sumx / g->area, dy = o->sumy / o->area - g->sumy / g->area;
    double d = dx * dx + dy * dy;
    if (near < 0 || d < nd) nd = d, near = k;
  }
  if (behind >= 0) {
    say(b, "partly hidden behind");
    say_ref(b, s, &s->segs[behind]);
    return 1;
  }
  if (front >= 0) {
    say(b, "in front of");
    say_ref(b, s, &s->segs[front]);
    return 1;
  }
  if (near < 0 || nd > 0.25 * s->width * s->width) return 0;
  const p2ci_seg *o = &s->segs[near];
  double dx = o->sumx / o->area - g->sumx / g->area, dy = o->sumy / o->area - g->sumy / g->area;
  double ax = dx < 0 ? -dx : dx, ay = dy < 0 ? -dy : dy;
  /* o is to the right of g (dx > 0): g is to the left of o. */
  if (ax >= ay) say(b, dx > 0 ? "to the left of" : "to the right of");
  else say(b, dy > 0 ? "above" : "below");
  say_ref(b, s, o);
  return 1;
}

static void finish(p2ci_sb *b)
{
  if (b->failed || !b->len) return;
  b->data[0] = (char)toupper((unsigned char)b->data[0]);
  p2ci_sb_puts(b, ".");
}

static void describe_thing(p2ci_sb *b, const p2ci_scene *s, int i, p2ci_rng *r)
{
  const p2ci_seg *g = &s->segs[i];
  int sup = support_of(s, i);
  int with_part = g->part >= 0 && p2ci_rng_chance(r, 0.7);
  int with_pos = p2ci_rng_chance(r, 0.6);
  int with_rel = p2ci_rng_chance(r, 0.75);
  static const char *const dets[] = {"a", "a", "a", "one", "the"};
  const char *det = dets[p2ci_rng_int(r, 0, 4)];
  switch (p2ci_rng_int(r, 0, 3)) {
  case 0: /* A brown wooden chair, with a curved back, standing on ... to the left of ... in ... */
    say_thing_np(b, s, g, r, det);
    if (with_part) {
      p2ci_sb_puts(b, ",");
      say_part(b, g);
      p2ci_sb_puts(b, ",");
    }
    say_action(b, s, i, sup);
    if (with_rel) say_relation(b, s, i, sup);
    if (with_pos) say(b, position_phrase(s, g, r));
    break;
  case 1: /* On the left side of the picture, a ... with ... is standing on ... */
    say(b, position_phrase(s, g, r));
    p2ci_sb_puts(b, ",");
    say_thing_np(b, s, g, r, det);
    if (with_part) say_part(b, g);
    if (sup >= 0) say(b, "is");
    if (!say_action(b, s, i, sup)) say(b, "can be seen");
    if (with_rel) say_relation(b, s, i, sup);
    break;
  case 2: /* There is a ... standing on ..., with ..., next to ... */
    say(b, "there is");
    say_thing_np(b, s, g, r, "a");
    say_action(b, s, i, sup);
    if (with_part) {
      p2ci_sb_puts(b, ",");
      say_part(b, g);
      p2ci_sb_puts(b, ",");
    }
    if (with_rel) say_relation(b, s, i, sup);
    if (with_pos) say(b, position_phrase(s, g, r));
    break;
  default: /* A ... that is standing on ... with ... in ... */
    say_thing_np(b, s, g, r, det);
    if (sup >= 0) {
      say(b, "that is");
      say_action(b, s, i, sup);
    }
    if (with_part) say_part(b, g);
    if (with_rel) say_relation(b, s, i, sup);
    if (with_pos) say(b, position_phrase(s, g, r));
    break;
  }
  if (b->len && b->data[b->len - 1] == ',') b->len--, b->data[b->len] = '\0';
}

static void describe_crowd(p2ci_sb *b, const p2ci_scene *s, int i, p2ci_rng *r)
{
  const p2ci_seg *g = &s->segs[i];
  int sup = support_of(s, i);
  say(b, p2ci_rng_chance(r, 0.5) ? "a dense crowd of people in colourful clothes"
                                 : "a large group of people in bright clothes");
  if (sup >= 0) {
    say(b, "standing");
    say(b, s->segs[sup].isthing ? "near" : s->segs[sup].sk->on);
    say_ref(b, s, &s->segs[sup]);
  }
  say(b, position_phrase(s, g, r));
}

/* ---- stuff ------------------------------------------------------------------ */

static void describe_stuff(p2ci_sb *b, const p2ci_scene *s, int i, p2ci_rng *r)
{
  const p2ci_seg *g = &s->segs[i];
  const p2ci_stuff_kind *k = g->sk;
  int above = -1, below = -1;
  int32_t ma = 0, mb = 0;
  for (int o = 0; o < s->nsegs; o++) {
    if (o == i || s->segs[o].isthing) continue;
    if (s->below[o][i] > ma) ma = s->below[o][i], above = o;
    if (s->below[i][o] > mb) mb = s->below[i][o], below = o;
  }
  /* Things that stand on this region (up to two). */
  int on[2], non = 0;
  for (int o = 0; o < s->nsegs && non < 2; o++)
    if (s->segs[o].isthing && !s->segs[o].iscrowd && s->segs[o].area > 0 && support_of(s, o) == i)
      on[non++] = o;
  int has_detail = k->detail && (g->category_id != 187 || s->cloudy);
  say_stuff(b, s, k->np);
  if (has_detail && p2ci_rng_chance(r, 0.5)) say(b, k->detail);
  say(b, k->extent);
  int rel = p2ci_rng_int(r, 0, 1);
  if (rel == 0 && below >= 0) {
    say(b, "above");
    say_ref(b, s, &s->segs[below]);
  } else if (above >= 0) {
    say(b, "below");
    say_ref(b, s, &s->segs[above]);
  } else if (below >= 0) {
    say(b, "above");
    say_ref(b, s, &s->segs[below]);
  }
  if (non) {
    p2ci_sb_puts(b, ",");
    say(b, !strcmp(k->on, "on") ? "under" : "behind");
    for (int t = 0; t < non; t++) {
      if (t) say(b, "and");
      say_ref(b, s, &s->segs[on[t]]);
    }
    p2ci_sb_puts(b, ",");
  }
  if (p2ci_rng_chance(r, 0.5)) {
    double cy = g->sumy / (double)g->area / s->height;
    say(b, cy < 1.0 / 3 ? "at the top of the image"
           : cy < 2.0 / 3 ? "in the middle of the picture" : "at the bottom of the frame");
  }
  if (b->len && b->data[b->len - 1] == ',') b->len--, b->data[b->len] = '\0';
}

char *p2ci_describe(const p2ci_scene *s, int i, p2ci_rng *r)
{
  p2ci_sb b = {0};
  const p2ci_seg *g = &s->segs[i];
  if (g->iscrowd) describe_crowd(&b, s, i, r);
  else if (g->isthing) describe_thing(&b, s, i, r);
  else describe_stuff(&b, s, i, r);
  finish(&b);
  if (b.failed) {
    p2ci_sb_free(&b);
    return NULL;
  }
  return b.data ? b.data : p2ci_strdup("");
}

/* ---- edits ------------------------------------------------------------------ */

static const char *const synonyms[][2] = {
    {"large", "big"},         {"big", "large"},          {"small", "little"},
    {"tiny", "small"},        {"picture", "image"},      {"image", "photo"},
    {"frame", "picture"},     {"scene", "picture"},      {"standing", "placed"},
    {"parked", "stopped"},    {"grass", "lawn"},         {"road", "street"},
    {"car", "vehicle"},       {"sedan", "car"},          {"dog", "puppy"},
    {"puppy", "dog"},         {"man", "guy"},            {"woman", "lady"},
    {"person", "pedestrian"}, {"chair", "seat"},         {"couch", "sofa"},
    {"sofa", "couch"},        {"table", "desk"},         {"shiny", "glossy"},
    {"wooden", "wood"},       {"cat", "kitty"},          {"horse", "pony"},
    {"bike", "bicycle"},      {"bicycle", "bike"},       {"mug", "cup"},
    {"cup", "mug"},           {"tv", "television"},      {"sitting", "resting"},
    {"walking", "strolling"}, {"clear", "bright"},       {"calm", "quiet"},
    {"next", "close"},        {"corner", "part"},        {"with", "having"},
};

static const char *const colour_words[] = {"red", "blue", "green", "yellow", "white", "black",
                                           "brown", "grey", "orange", "pink", "purple", "silver"};

/* Words are split on spaces; a trailing comma or period stays on its word. */
char *p2ci_caption_edit(const char *text, p2ci_rng *r)
{
  char *copy = p2ci_strdup(text);
  if (!copy) return NULL;
  char *words[128];
  int n = 0;
  for (char *t = copy; *t && n < 128;) {
    while (*t == ' ') *t++ = '\0';
    if (!*t) break;
    words[n++] = t;
    while (*t && *t != ' ') t++;
  }
  const char *subst[128] = {0};
  int edits = p2ci_rng_int(r, 1, 3);
  for (int e = 0; e < edits && n > 2; e++) {
    int op = p2ci_rng_int(r, 0, 3), i = p2ci_rng_int(r, 0, n - 1);
    if (op == 0 && i + 1 < n) { /* swap two neighbours */
      char *t = words[i];
      words[i] = words[i + 1];
      words[i + 1] = t;
      const char *u = subst[i];
      subst[i] = subst[i + 1];
      subst[i + 1] = u;
    } else if (op == 1 && n > 5) { /* drop a word */
      memmove(words + i, words + i + 1, (size_t)(n - i - 1) * sizeof words[0]);
      memmove(subst + i, subst + i + 1, (size_t)(n - i - 1) * sizeof subst[0]);
      n--;
    } else { /* a synonym, or another colour, for the first word that has one */
      for (int k = 0; k < n; k++) {
        int w = (i + k) % n;
        size_t len = strcspn(words[w], ",.");
        const char *rep = NULL;
        for (size_t q = 0; q < sizeof synonyms / sizeof synonyms[0] && !rep; q++)
          if (op == 2 && strlen(synonyms[q][0]) == len && !strncasecmp(words[w], synonyms[q][0], len))
            rep = synonyms[q][1];
        for (size_t q = 0; q < sizeof colour_words / sizeof colour_words[0] && !rep; q++)
          if (op == 3 && strlen(colour_words[q]) == len && !strncasecmp(words[w], colour_words[q], len))
            rep = colour_words[(q + (size_t)p2ci_rng_int(r, 1, 11)) % 12];
        if (rep) {
          subst[w] = rep;
          words[w] += len; /* keep the punctuation after the replaced word */
          break;
        }
      }
    }
  }
  p2ci_sb b = {0};
  for (int k = 0; k < n; k++) {
    if (k) p2ci_sb_puts(&b, " ");
    if (subst[k]) p2ci_sb_puts(&b, subst[k]);
    p2ci_sb_puts(&b, words[k]);
  }
  free(copy);
  if (b.failed) {
    p2ci_sb_free(&b);
    return NULL;
  }
  if (!b.data) return p2ci_strdup("");
  /* Sentence case again after the words moved. */
  for (char *p = b.data; *p; p++) *p = (char)tolower((unsigned char)*p);
  b.data[0] = (char)toupper((unsigned char)b.data[0]);
  return b.data;
}
