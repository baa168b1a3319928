/* METEOR 1.5's English normalizer (edu.cmu.meteor.util.Normalizer with
 * keepPunctuation, "based on the Moses tokenizer"), reproduced step by step
 * with PCRE2: Java's regex classes used there (\s, \p{Digit}, \p{Lower}) are
 * ASCII-only, as are PCRE2's without PCRE2_UCP, and both match whole code
 * points, so each replaceAll maps to one global pcre2_substitute. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "text/java_string.h"
#include "text/meteor_data.h"
#include "text/meteor_normalizer.h"

/* Normalizer.alnum / alpha: ASCII, Latin-1, Latin Extended-A pieces, Cyrillic. */
#define ALPHA_SET                                                                             \
  "A-Za-z\\x{160}\\x{17D}\\x{161}\\x{17E}\\x{178}\\x{C0}-\\x{D6}\\x{D8}-\\x{F6}\\x{F8}-\\x{17E}" \
  "\\x{400}-\\x{4FF}\\x{500}-\\x{527}\\x{A640}-\\x{A66E}\\x{A67E}-\\x{A697}\\x{1D00}-\\x{1D7F}"
#define ALNUM_SET "0-9" ALPHA_SET

enum {
  R_SEP_OTHER,
  R_MULTI_DOT,
  R_MULTI_DOT2,
  R_COMMA,
  R_COMMA2,
  R_COMMA3,
  R_QUOTE,
  R_QUOTE2,
  R_RM_DASH,
  R_CONT1,
  R_CONT2,
  R_CONT3,
  R_CONT4,
  R_CONT5,
  R_WHITE,
  R_ALPHA,
  R_COUNT
};

static const struct {
  const char *pattern, *replacement;
} rules[R_COUNT] = {
    [R_SEP_OTHER] = {"([^" ALNUM_SET "\\s\\.'`,\\-\\x{2018}\\x{2019}])", " $1 "},
    [R_MULTI_DOT] = {"\\.([\\.]+)", " DOTMULTI$1"},
    [R_MULTI_DOT2] = {"DOTMULTI\\.([^\\.])", "DOTDOTMULTI $1"},
    [R_COMMA] = {"([^0-9])[,]([^0-9])", "$1 , $2"},
    [R_COMMA2] = {"([0-9])[,]([^0-9])", "$1 , $2"},
    [R_COMMA3] = {"([^0-9])[,]([0-9])", "$1 , $2"},
    [R_QUOTE] = {"([`\\x{2018}\\x{2019}])", "'"},
    [R_QUOTE2] = {"([\\x{201C}\\x{201D}]|'')", " \" "},
    [R_RM_DASH] = {"([" ALNUM_SET "\\.])[\\-]([" ALNUM_SET "])", "$1 $2"},
    [R_CONT1] = {"([^" ALPHA_SET "])[']([^" ALPHA_SET "])", "$1 ' $2"},
    [R_CONT2] = {"([^" ALPHA_SET "0-9])[']([" ALPHA_SET "])", "$1 ' $2"},
    [R_CONT3] = {"([" ALPHA_SET "])[']([^" ALPHA_SET "])", "$1 ' $2"},
    [R_CONT4] = {"([" ALPHA_SET "])[']([" ALPHA_SET "])", "$1 '$2"},
    [R_CONT5] = {"([0-9])[']([s])", "$1 '$2"},
    [R_WHITE] = {"[  \\x{2000}-\\x{200A}\\x{202F}\\x{205F}\\x{3000}\\x{A0}]+", " "},
    [R_ALPHA] = {"[" ALPHA_SET "]", NULL},
};

enum { NBP_ANY = 1, NBP_NUM_ONLY = 2 };

typedef struct nbp_entry {
  const char *word; /* borrowed from the embedded list */
  size_t len;
  int type;
} nbp_entry;

struct p2ci_meteor_normalizer {
  pcre2_code *re[R_COUNT];
  nbp_entry *nbp;
  size_t num_nbp;
};

typedef struct buf {
  char *p;
  size_t len, cap;
} buf;

struct p2ci_meteor_scratch {
  buf a, b;
  pcre2_match_data *md;
};

static int buf_reserve(buf *b, size_t need)
{
  if (need + 1 <= b->cap) return 0;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < need + 1) {
    if (cap > SIZE_MAX / 2) return P2C_ERR_NOMEM;
    cap *= 2;
  }
  char *p = realloc(b->p, cap);
  if (!p) return P2C_ERR_NOMEM;
  b->p = p;
  b->cap = cap;
  return 0;
}

static int buf_append(buf *b, const char *s, size_t n)
{
  if (buf_reserve(b, b->len + n)) return P2C_ERR_NOMEM;
  memcpy(b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = '\0';
  return 0;
}

static int nbp_cmp(const void *a, const void *b)
{
  const nbp_entry *x = a, *y = b;
  size_t n = x->len < y->len ? x->len : y->len;
  int c = memcmp(x->word, y->word, n);
  if (c) return c;
  return x->len < y->len ? -1 : x->len > y->len;
}

static int nbp_lookup(const p2ci_meteor_normalizer *n, const char *w, size_t len)
{
  nbp_entry key = {w, len, 0};
  const nbp_entry *e = bsearch(&key, n->nbp, n->num_nbp, sizeof *n->nbp, nbp_cmp);
  return e ? e->type : 0;
}

static size_t next_token(const char *s, size_t len, size_t *pos, size_t *start)
{
  size_t i = *pos;
  while (i < len && p2ci_meteor_is_delim(s[i])) i++;
  *start = i;
  while (i < len && !p2ci_meteor_is_delim(s[i])) i++;
  *pos = i;
  return i - *start;
}

/* Normalizer.nbpList: first token of each line; '#' lines are comments; a
 * second token "#NUMERIC_ONLY#" restricts the prefix to numbers; a later line
 * for the same prefix replaces the earlier one (Hashtable.put). */
static int load_prefixes(p2ci_meteor_normalizer *n)
{
  n->nbp = p2ci_calloc_array(p2ci_meteor_num_prefix_lines + 1, sizeof *n->nbp);
  if (!n->nbp) return P2C_ERR_NOMEM;
  for (size_t k = 0; k < p2ci_meteor_num_prefix_lines; k++) {
    const char *line = p2ci_meteor_prefix_lines[k];
    size_t len = strlen(line), pos = 0, s1, s2;
    size_t l1 = next_token(line, len, &pos, &s1);
    if (l1 == 0 || line[s1] == '#') continue;
    size_t l2 = next_token(line, len, &pos, &s2);
    int type = (l2 == 14 && memcmp(line + s2, "#NUMERIC_ONLY#", 14) == 0) ? NBP_NUM_ONLY : NBP_ANY;
    size_t j;
    for (j = 0; j < n->num_nbp; j++)
      if (n->nbp[j].len == l1 && memcmp(n->nbp[j].word, line + s1, l1) == 0) break;
    n->nbp[j].word = line + s1;
    n->nbp[j].len = l1;
    n->nbp[j].type = type;
    if (j == n->num_nbp) n->num_nbp++;
  }
  qsort(n->nbp, n->num_nbp, sizeof *n->nbp, nbp_cmp);
  return 0;
}

int p2ci_meteor_normalizer_new(p2ci_meteor_normalizer **out, p2c_error *err)
{
  *out = NULL;
  p2ci_meteor_normalizer *n = calloc(1, sizeof *n);
  if (!n) return p2ci_error(err, P2C_ERR_NOMEM, "METEOR normalizer: out of memory");
  for (int r = 0; r < R_COUNT; r++) {
    int code;
    PCRE2_SIZE off;
    n->re[r] = pcre2_compile((PCRE2_SPTR)rules[r].pattern, PCRE2_ZERO_TERMINATED, PCRE2_UTF, &code,
                             &off, NULL);
    if (!n->re[r]) {
      p2ci_meteor_normalizer_free(n);
      return p2ci_error(err, P2C_ERR_INTERNAL, "METEOR normalizer: pattern %d does not compile", r);
    }
    (void)pcre2_jit_compile(n->re[r], PCRE2_JIT_COMPLETE); /* optional speed-up */
  }
  if (load_prefixes(n)) {
    p2ci_meteor_normalizer_free(n);
    return p2ci_error(err, P2C_ERR_NOMEM, "METEOR normalizer: out of memory");
  }
  *out = n;
  return 0;
}

void p2ci_meteor_normalizer_free(p2ci_meteor_normalizer *n)
{
  if (!n) return;
  for (int r = 0; r < R_COUNT; r++) pcre2_code_free(n->re[r]);
  free(n->nbp);
  free(n);
}

p2ci_meteor_scratch *p2ci_meteor_scratch_new(void)
{
  p2ci_meteor_scratch *s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->md = pcre2_match_data_create(4, NULL);
  if (!s->md) {
    free(s);
    return NULL;
  }
  return s;
}

void p2ci_meteor_scratch_free(p2ci_meteor_scratch *s)
{
  if (!s) return;
  free(s->a.p);
  free(s->b.p);
  pcre2_match_data_free(s->md);
  free(s);
}

static void swap(p2ci_meteor_scratch *s)
{
  buf t = s->a;
  s->a = s->b;
  s->b = t;
}

/* Matcher.replaceAll: s->a -> s->b, then swap. */
static int replace_all(const p2ci_meteor_normalizer *n, p2ci_meteor_scratch *s, int r)
{
  for (;;) {
    if (buf_reserve(&s->b, s->b.cap > s->a.len * 2 + 64 ? s->b.cap - 1 : s->a.len * 2 + 64))
      return P2C_ERR_NOMEM;
    PCRE2_SIZE outlen = s->b.cap;
    int rc = pcre2_substitute(n->re[r], (PCRE2_SPTR)s->a.p, s->a.len, 0,
                              PCRE2_SUBSTITUTE_GLOBAL | PCRE2_SUBSTITUTE_OVERFLOW_LENGTH |
                                  PCRE2_NO_UTF_CHECK,
                              s->md, NULL, (PCRE2_SPTR)rules[r].replacement, PCRE2_ZERO_TERMINATED,
                              (PCRE2_UCHAR *)s->b.p, &outlen);
    if (rc == PCRE2_ERROR_NOMEMORY) {
      if (buf_reserve(&s->b, outlen)) return P2C_ERR_NOMEM;
      continue;
    }
    if (rc < 0) return P2C_ERR_INTERNAL;
    s->b.len = outlen;
    swap(s);
    return 0;
  }
}

static int has_match(const p2ci_meteor_normalizer *n, p2ci_meteor_scratch *s, int r, const char *t,
                     size_t len)
{
  return pcre2_match(n->re[r], (PCRE2_SPTR)t, len, 0, PCRE2_NO_UTF_CHECK, s->md, NULL) >= 0;
}

static const char *find_lit(const char *h, size_t hl, const char *needle, size_t nl)
{
  if (nl > hl) return NULL;
  for (size_t i = 0; i + nl <= hl; i++)
    if (h[i] == needle[0] && memcmp(h + i, needle, nl) == 0) return h + i;
  return NULL;
}

/* String.replace(CharSequence, CharSequence): s->a -> s->b, then swap. */
static int replace_lit(p2ci_meteor_scratch *s, const char *from, const char *to)
{
  size_t fl = strlen(from), tl = strlen(to), i = 0;
  s->b.len = 0;
  if (buf_reserve(&s->b, s->a.len)) return P2C_ERR_NOMEM;
  s->b.p[0] = '\0';
  while (i < s->a.len) {
    const char *hit = find_lit(s->a.p + i, s->a.len - i, from, fl);
    size_t upto = hit ? (size_t)(hit - s->a.p) : s->a.len;
    if (buf_append(&s->b, s->a.p + i, upto - i)) return P2C_ERR_NOMEM;
    if (!hit) break;
    if (buf_append(&s->b, to, tl)) return P2C_ERR_NOMEM;
    i = upto + fl;
  }
  swap(s);
  return 0;
}

static int contains(const p2ci_meteor_scratch *s, const char *lit)
{
  return find_lit(s->a.p, s->a.len, lit, strlen(lit)) != NULL;
}

/* Rebuild the line word by word, splitting a final dot unless the word is a
 * known nonbreaking prefix (or dotted like "U.S.", whose dots are dropped). */
static int rebuild_dots(const p2ci_meteor_normalizer *n, p2ci_meteor_scratch *s)
{
  const char *t = s->a.p;
  size_t len = s->a.len, pos = 0, ws, wl;
  s->b.len = 0;
  if (buf_reserve(&s->b, len + 16)) return P2C_ERR_NOMEM;
  s->b.p[0] = '\0';
  wl = next_token(t, len, &pos, &ws);
  while (wl > 0) {
    size_t ns, nl = next_token(t, len, &pos, &ns);
    const char *w = t + ws;
    int rc = 0;
    if (wl > 1 && w[wl - 1] == '.') {
      size_t pl = wl - 1;
      int type = nbp_lookup(n, w, pl);
      if (memchr(w, '.', pl) && has_match(n, s, R_ALPHA, w, pl)) {
        for (size_t k = 0; k < wl && !rc; k++)
          if (w[k] != '.') rc = buf_append(&s->b, w + k, 1);
      } else if (type == NBP_ANY || (nl > 0 && t[ns] >= 'a' && t[ns] <= 'z')) {
        rc = buf_append(&s->b, w, wl);
      } else if (type == NBP_NUM_ONLY && nl > 0 && t[ns] >= '0' && t[ns] <= '9') {
        rc = buf_append(&s->b, w, wl);
      } else {
        rc = buf_append(&s->b, w, pl);
        if (!rc) rc = buf_append(&s->b, " .", 2);
      }
    } else {
      rc = buf_append(&s->b, w, wl);
    }
    if (rc || buf_append(&s->b, " ", 1)) return P2C_ERR_NOMEM;
    ws = ns;
    wl = nl;
  }
  swap(s);
  return 0;
}

/* Text made only of ASCII letters, digits and spaces (tokenized captions) goes
 * through no rule but the space folding (R_WHITE, the word rebuild, trim);
 * it comes out as its words joined by single spaces, lowercased. */
static int plain(const char *text, size_t len)
{
  static const unsigned char ok[256] = {
      [' '] = 1,
      ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
      ['8'] = 1, ['9'] = 1,
      ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1,
      ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1,
      ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
      ['Y'] = 1, ['Z'] = 1,
      ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1,
      ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1,
      ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
      ['y'] = 1, ['z'] = 1,
  };
  const unsigned char *p = (const unsigned char *)text;
  for (size_t i = 0; i < len; i++)
    if (!ok[p[i]]) return 0;
  return 1;
}

int p2ci_meteor_normalize(const p2ci_meteor_normalizer *n, p2ci_meteor_scratch *s,
                          const char *text, size_t len, const char **out, size_t *out_len)
{
  if (!plain(text, len)) return p2ci_meteor_normalize_full(n, s, text, len, out, out_len);
  if (buf_reserve(&s->a, len)) return P2C_ERR_NOMEM;
  size_t o = 0;
  for (size_t i = 0; i < len; i++) {
    char c = text[i];
    if (c == ' ') {
      if (o && s->a.p[o - 1] != ' ') s->a.p[o++] = ' ';
    } else {
      s->a.p[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
  }
  if (o && s->a.p[o - 1] == ' ') o--;
  s->a.p[o] = '\0';
  s->a.len = o;
  *out = s->a.p;
  *out_len = o;
  return 0;
}

int p2ci_meteor_normalize_full(const p2ci_meteor_normalizer *n, p2ci_meteor_scratch *s,
                               const char *text, size_t len, const char **out, size_t *out_len)
{
  int rc;
  s->a.len = 0;
  if (buf_append(&s->a, " ", 1) || buf_append(&s->a, text, len) || buf_append(&s->a, " ", 1))
    return P2C_ERR_NOMEM;
#define TRY(x)                 \
  do {                         \
    if ((rc = (x)) != 0) return rc; \
  } while (0)
  TRY(replace_all(n, s, R_SEP_OTHER));
  TRY(replace_all(n, s, R_MULTI_DOT));
  while (contains(s, "DOTMULTI.")) {
    TRY(replace_all(n, s, R_MULTI_DOT2));
    TRY(replace_lit(s, "DOTMULTI.", "DOTDOTMULTI"));
  }
  TRY(replace_all(n, s, R_COMMA));
  TRY(replace_all(n, s, R_COMMA2));
  TRY(replace_all(n, s, R_COMMA3));
  TRY(replace_all(n, s, R_QUOTE));
  TRY(replace_all(n, s, R_QUOTE2));
  TRY(replace_lit(s, "\xE2\x80\x93", "-")); /* en dash */
  TRY(replace_lit(s, "--", "-"));
  TRY(replace_all(n, s, R_RM_DASH));
  TRY(replace_all(n, s, R_CONT1));
  TRY(replace_all(n, s, R_CONT2));
  TRY(replace_all(n, s, R_CONT3));
  TRY(replace_all(n, s, R_CONT4));
  TRY(replace_all(n, s, R_CONT5));
  TRY(rebuild_dots(n, s));
  while (contains(s, "DOTDOTMULTI")) TRY(replace_lit(s, "DOTDOTMULTI", "DOTMULTI."));
  TRY(replace_lit(s, "DOTMULTI", "."));
  TRY(replace_all(n, s, R_WHITE));
#undef TRY
  /* String.trim drops code units <= U+0020 at both ends. */
  size_t b = 0, e = s->a.len;
  while (b < e && (unsigned char)s->a.p[b] <= 0x20) b++;
  while (e > b && (unsigned char)s->a.p[e - 1] <= 0x20) e--;
  /* Then MeteorScorer lowercases; lowercasing grows UTF-8 by at most 3/2. */
  if (buf_reserve(&s->b, (e - b) * 3 / 2 + 4)) return P2C_ERR_NOMEM;
  s->b.len = p2ci_java_lower(s->a.p + b, e - b, s->b.p);
  swap(s);
  *out = s->a.p;
  *out_len = s->a.len;
  return 0;
}
