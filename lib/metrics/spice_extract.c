/* Rule-based tuples for the SPICE-style metric. SPICE parses each caption
 * with a PCFG and reads objects, attributes and relations off the dependency
 * graph (SpiceParser); here a tagger built on WordNet's POS lists and a
 * chunker over noun groups produce the same kinds of tuples for the
 * constructions captions use (docs/metrics.md lists them and the agreement
 * measured against SPICE's real tuples). */
#include <ctype.h>
#ifdef SPICE_DEBUG
#include <stdio.h>
#endif
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/spice_internal.h"

enum tag {
  T_OTHER,
  T_DET,
  T_POSS,
  T_NUM,
  T_ADJ,
  T_NOUN,
  T_VERB, /* finite or base verb */
  T_VBG,
  T_VBN,
  T_PREP,
  T_PRT, /* verb particle */
  T_CONJ,
  T_PRON,
  T_BE,
  T_HAVE,
  T_AUX,
  T_ADV,
  T_WH,
  T_TO,
  T_PUNCT,
  T_STOP, /* sentence end */
  T_THERE,
  T_PMARK /* possessive 's */
};

typedef struct tok {
  int32_t w;
  int32_t lem; /* lemma for the chosen tag */
  uint8_t tag;
  uint8_t cc;
  uint8_t mask;
  uint8_t np_head;   /* 1: head of a noun phrase; 2, 3: "close" of "close up", with and without object */
  uint8_t compound;  /* 1: a noun modifying the next noun */
  uint8_t np_start;  /* 1: a noun phrase starts here even after a noun */
} tok;

/* The first prepositions of p2ci_sp_extractor.verb_preps that hang from
 * the verb after its prepositional object too. */
#define VP_AFTER_POBJ 3

/* Multi-word prepositions SPICE collapses into one relation name. */
static const char *const MULTIWORD_PREPS[][4] = {
    {"in", "front", "of", NULL},  {"on", "top", "of", NULL},    {"next", "to", NULL, NULL},
    {"close", "to", NULL, NULL},  {"in", "between", NULL, NULL}, {"out", "of", NULL, NULL},
    {"on", "side", "of", NULL},   {"along", "side", NULL, NULL}, {"because", "of", NULL, NULL},
    {"ahead", "of", NULL, NULL},  {"away", "from", NULL, NULL},  {"up", "to", NULL, NULL},
    {"instead", "of", NULL, NULL}, {"inside", "of", NULL, NULL}, {"outside", "of", NULL, NULL}};
#define NMULTIWORD (sizeof MULTIWORD_PREPS / sizeof *MULTIWORD_PREPS)

/* Longer captions are cut here (a Pix2Cap description has ~25 words). */
#define MAX_TOKENS 4096

struct p2ci_sp_extractor {
  p2ci_wnlex *lex;
  p2ci_poslex *pl;
  /* word ids the rules test for (NAMED below) */
  int32_t w_be, w_have, w_a, w_an, w_of, w_s, w_and, w_or, w_while, w_as, w_that, w_who, w_which, w_top;
  int32_t w_front, w_it, w_him, w_them, w_stop, w_next_to, w_laying, w_man, w_in, w_tie;
  int32_t qnouns[12], particles[8], verb_preps[8], view_nouns[12], nounish_ing[8], amod_nouns[12];
  size_t nq, nprt, nverb_preps, nview, ning, namod;
  int32_t mw_words[NMULTIWORD][4], mw_names[NMULTIWORD]; /* MULTIWORD_PREPS interned, -1 after the last word */
  tok t[MAX_TOKENS];
};

static int32_t intern(p2ci_wnlex *lex, const char *s)
{
  return p2ci_wnlex_intern(lex, s, strlen(s));
}

/* Intern a word list into ids (*n of them). -1 when out of memory. */
static int intern_list(p2ci_wnlex *lex, const char *const *words, size_t nwords, int32_t *ids, size_t *n)
{
  for (*n = 0; *n < nwords; (*n)++)
    if ((ids[*n] = intern(lex, words[*n])) < 0) return -1;
  return 0;
}

#define LIST(words, ids, n) intern_list(lex, words, sizeof words / sizeof *words, ids, n)

int p2ci_sp_extractor_create(p2ci_wnlex *lex, p2ci_sp_extractor **out)
{
  *out = NULL;
  p2ci_sp_extractor *x = calloc(1, sizeof *x);
  if (!x) return P2C_ERR_NOMEM;
  x->lex = lex;
  if (p2ci_poslex_create(lex, &x->pl)) goto nomem;
  static const struct {
    size_t off;
    const char *word;
  } NAMED[] = {
#define W(field, word) {offsetof(p2ci_sp_extractor, field), word}
      W(w_be, "be"),       W(w_have, "have"),   W(w_a, "a"),          W(w_an, "an"),       W(w_of, "of"),
      W(w_s, "'s"),        W(w_and, "and"),     W(w_or, "or"),        W(w_while, "while"), W(w_as, "as"),
      W(w_that, "that"),   W(w_who, "who"),     W(w_which, "which"),  W(w_top, "top"),     W(w_front, "front"),
      W(w_it, "it"),       W(w_him, "him"),     W(w_them, "them"),    W(w_stop, "stop"),   W(w_next_to, "next to"),
      W(w_laying, "laying"), W(w_man, "man"),       W(w_in, "in"),         W(w_tie, "tie"),
#undef W
  };
  for (size_t i = 0; i < sizeof NAMED / sizeof *NAMED; i++) {
    int32_t id = intern(lex, NAMED[i].word);
    if (id < 0) goto nomem;
    memcpy((char *)x + NAMED[i].off, &id, sizeof id);
  }
  /* "a couple of N": SPICE's quantifier collapsing gives (N, "a"). */
  static const char *const Q[] = {"couple", "lot", "bunch", "pair", "number", "variety", "lots", "plenty", "dozens"};
  /* standing and grazing first: nouns after any singular noun (tag_tokens) */
  /* participles SPICE's parser may read as nouns; the order matters: the
   * rules test nounish_ing[0] ("standing") and [1] ("grazing") by position,
   * the first two as those read so after any singular noun, and
   * fragment_preps() all but the first */
  static const char *const NI[] = {"standing", "grazing", "skiing", "holding", "eating", "playing"};
  static const char *const AN[] = {"laptop", "skate", "teddy", "ski", "video", "luggage", "remote", "skateboard"};
  static const char *const P[] = {"up", "down", "out", "off", "away", "around", "over", "back"};
  /* prepositions hanging from the verb after its direct object and, the
   * first VP_AFTER_POBJ of them, after its prepositional object (sentence()) */
  static const char *const VP[] = {"down", "beside", "by", "at", "in front of", "next to", "through"};
  /* first nouns naming a picture: "view of a bathroom with a sink" */
  static const char *const VN[] = {"view",    "picture", "photo",   "photograph", "image", "close",
                                   "closeup", "shot",    "collage", "display",    "side",  "back"};
  if (LIST(Q, x->qnouns, &x->nq) || LIST(NI, x->nounish_ing, &x->ning) || LIST(AN, x->amod_nouns, &x->namod) ||
      LIST(P, x->particles, &x->nprt) || LIST(VP, x->verb_preps, &x->nverb_preps) || LIST(VN, x->view_nouns, &x->nview))
    goto nomem;
  for (size_t m = 0; m < NMULTIWORD; m++) {
    char name[64] = "";
    for (size_t k = 0; k < 4; k++) {
      x->mw_words[m][k] = -1;
      if (!MULTIWORD_PREPS[m][k]) continue;
      if ((x->mw_words[m][k] = intern(lex, MULTIWORD_PREPS[m][k])) < 0) goto nomem;
      if (k) strcat(name, " ");
      strcat(name, MULTIWORD_PREPS[m][k]);
    }
    if ((x->mw_names[m] = intern(lex, name)) < 0) goto nomem;
  }
  *out = x;
  return P2C_OK;
nomem:
  p2ci_sp_extractor_free(x);
  return P2C_ERR_NOMEM;
}

#undef LIST

void p2ci_sp_extractor_free(p2ci_sp_extractor *x)
{
  if (!x) return;
  p2ci_poslex_free(x->pl);
  free(x);
}

static int ends(const p2ci_wnlex *lex, int32_t w, const char *suf)
{
  size_t n = p2ci_wnlex_len(lex, w), k = strlen(suf);
  return n > k + 1 && memcmp(p2ci_wnlex_word(lex, w) + n - k, suf, k) == 0;
}

static int is_digit_word(const p2ci_wnlex *lex, int32_t w)
{
  const char *s = p2ci_wnlex_word(lex, w);
  return isdigit((unsigned char)s[0]) != 0;
}

static int in_list(const int32_t *v, size_t n, int32_t w)
{
  for (size_t i = 0; i < n; i++)
    if (v[i] == w) return 1;
  return 0;
}

/* Whether token i can start or continue a noun phrase by itself. */
static int nominal(const p2ci_sp_extractor *x, const tok *t, size_t n, size_t i)
{
  if (i >= n) return 0;
  if (t[i].cc != P2CI_CC_NONE) return t[i].cc == P2CI_CC_NUM;
  return (t[i].mask & (P2CI_WN_NOUN | P2CI_WN_ADJ)) != 0 || t[i].mask == 0;
}

/* SemCor frequency of the word's lemma as pos. */
static unsigned tagged(const p2ci_sp_extractor *x, int32_t w, int pos)
{
  int32_t l = p2ci_poslex_lemma(x->pl, w, pos);
  return p2ci_wnlex_tagged(x->lex, l < 0 ? w : l, pos);
}

/* A verb form from its spelling: T_VBG, T_VBN or T_VERB. */
static int verb_form(const p2ci_sp_extractor *x, int32_t w)
{
  if (ends(x->lex, w, "ing")) return T_VBG;
  if (ends(x->lex, w, "ed")) return T_VBN;
  size_t nb;
  p2ci_wnlex_exc(x->lex, w, P2CI_WN_V, &nb);
  if (nb && !ends(x->lex, w, "s")) return T_VBN; /* irregular past: sat, held, worn */
  return T_VERB;
}

/* Whether tokens [0, i) are "a" or "an" and adjectives and nouns, the last
 * one a singular noun. */
static int a_np_before(const p2ci_sp_extractor *x, const tok *t, size_t i)
{
  if (i < 2 || (t[0].w != x->w_a && t[0].w != x->w_an) || p2ci_poslex_plural(x->pl, t[i - 1].w)) return 0;
  for (size_t k = 1; k < i; k++)
    if (t[k].tag != T_ADJ && t[k].tag != T_NOUN) return 0;
  return 1;
}

/* Whether tokens from i are a noun phrase with a determiner that ends the
 * sentence: "man holding a cell phone". */
static int object_ends_sentence(const tok *t, size_t n, size_t i)
{
  if (i >= n || (t[i].tag != T_DET && t[i].tag != T_POSS)) return 0;
  while (i < n && (t[i].tag == T_DET || t[i].tag == T_POSS || t[i].tag == T_NUM || t[i].tag == T_ADJ ||
                   t[i].tag == T_NOUN))
    i++;
  return i >= n || t[i].tag == T_STOP;
}

/* Tag every token from its closed class, its WordNet parts of speech and the
 * tag of the previous token. */
static void tag_tokens(p2ci_sp_extractor *x, tok *t, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    int prev = i ? t[i - 1].tag : T_STOP;
    if (prev == T_CONJ && i >= 2) prev = t[i - 2].tag; /* parallel to the first conjunct */
    int32_t w = t[i].w;
    unsigned m = t[i].mask;
    int tg = T_OTHER;
    switch (t[i].cc) {
    case P2CI_CC_PUNCT: {
      const char *s = p2ci_wnlex_word(x->lex, w);
      tg = (s[0] == '.' || s[0] == '!' || s[0] == '?' || s[0] == ';') ? T_STOP : T_PUNCT;
      break;
    }
    case P2CI_CC_THERE: tg = T_THERE; break;
    case P2CI_CC_DET: tg = T_DET; break;
    case P2CI_CC_POSS: tg = T_POSS; break;
    case P2CI_CC_PRON: tg = T_PRON; break;
    case P2CI_CC_WH: tg = T_WH; break;
    case P2CI_CC_TO: tg = T_TO; break;
    case P2CI_CC_NEG: tg = T_ADV; break;
    case P2CI_CC_CONJ: tg = T_CONJ; break;
    case P2CI_CC_NUM: tg = T_NUM; break;
    case P2CI_CC_QUANT: tg = T_ADJ; break;
    case P2CI_CC_ADV: tg = T_ADV; break;
    case P2CI_CC_AUX: {
      const char *s = p2ci_wnlex_word(x->lex, w);
      if (w == x->w_s && i > 0 && t[i - 1].w == x->w_it && i + 1 < n && nominal(x, t, n, i + 1)) {
        /* "eating it 's food": the tokenizer's split of a misspelt "its",
         * which SPICE's parser reads as the possessive */
        t[i - 1].tag = T_OTHER;
        tg = T_POSS;
      } else if (w == x->w_s) {
        tg = (prev == T_NOUN && i + 1 < n && (nominal(x, t, n, i + 1) || t[i + 1].cc == P2CI_CC_NUM) &&
              !ends(x->lex, t[i + 1].w, "ing"))
                 ? T_PMARK
                 : T_BE;
      } else if (!strcmp(s, "has") || !strcmp(s, "have") || !strcmp(s, "had") || !strcmp(s, "having")) {
        tg = T_HAVE;
      } else if (!strcmp(s, "is") || !strcmp(s, "are") || !strcmp(s, "was") || !strcmp(s, "were") ||
                 !strcmp(s, "be") || !strcmp(s, "been") || !strcmp(s, "being") || !strcmp(s, "am") ||
                 !strcmp(s, "'re") || !strcmp(s, "'m")) {
        tg = T_BE;
      } else {
        tg = T_AUX;
      }
      break;
    }
    case P2CI_CC_PREP:
      tg = T_PREP;
      if ((prev == T_DET || prev == T_POSS) && (m & P2CI_WN_NOUN)) tg = T_NOUN;
      else if (i + 1 < n && t[i + 1].cc == P2CI_CC_TO) tg = T_ADV; /* "about to swing": no preposition */
      else if (in_list(x->particles, x->nprt, w) && (prev == T_VERB || prev == T_VBG || prev == T_VBN) &&
               (i + 1 >= n || !nominal(x, t, n, i + 1) || t[i + 1].cc == P2CI_CC_PREP))
        tg = (i + 1 < n && t[i + 1].cc == P2CI_CC_DET) ? T_PREP : T_PRT;
      break;
    default:
      if (is_digit_word(x->lex, w)) {
        tg = T_NUM;
        break;
      }
      {
        int nom_ctx = prev == T_DET || prev == T_POSS || prev == T_ADJ || prev == T_NUM || prev == T_PMARK ||
                      prev == T_PREP;
        int next_nom = i + 1 < n && nominal(x, t, n, i + 1) && t[i + 1].cc == P2CI_CC_NONE;
        /* "black and white dog": an adjective conjoined with an adjective */
        int adj_coord = i + 2 < n && t[i + 1].cc == P2CI_CC_CONJ && t[i + 2].cc == P2CI_CC_NONE &&
                        (t[i + 2].mask & P2CI_WN_ADJ) && (m & P2CI_WN_ADJ);
        if (adj_coord) next_nom = 1;
        int has_v = (m & P2CI_WN_VERB) != 0, has_n = (m & P2CI_WN_NOUN) != 0, has_a = (m & P2CI_WN_ADJ) != 0;
        int vf = has_v || m == 0 ? verb_form(x, w) : T_OTHER;
        if (adj_coord && prev != T_ADJ && i + 3 < n && nominal(x, t, n, i + 3) && t[i + 3].cc == P2CI_CC_NONE) {
          tg = T_ADJ; /* "an orange and white cat": a colour noun conjoined with an adjective before a noun */
        } else if (i >= 2 && t[i - 1].tag == T_CONJ && t[i - 2].tag == T_ADJ && has_a && !next_nom) {
          tg = T_ADJ; /* "is red and white" */
        } else if (m == 0) {
          /* "something" is not in WordNet: a noun despite its "-ing" */
          tg = (vf == T_VBG && !ends(x->lex, w, "thing")) ? T_VBG : (vf == T_VBN && !nom_ctx) ? T_VBN : T_NOUN;
        } else if (vf == T_VBG && !(nom_ctx && prev != T_PREP && (p2ci_wnlex_pos(x->lex, w) & P2CI_WN_NOUN)) &&
                   !(nom_ctx && next_nom)) {
          /* "living room", "a sliding door": a participle modifier; else a verb */
          int modifier = (prev == T_STOP || prev == T_ADJ) && i + 1 < n && t[i + 1].cc == P2CI_CC_NONE &&
                         (t[i + 1].mask & P2CI_WN_NOUN) && !(t[i + 1].mask & P2CI_WN_VERB);
          tg = modifier ? T_ADJ : T_VBG;
        } else if (nom_ctx || prev == T_STOP || prev == T_VERB || prev == T_VBG || prev == T_VBN || prev == T_HAVE ||
                   prev == T_PUNCT || prev == T_WH || prev == T_THERE) {
          if (has_v && vf == T_VBN && !nom_ctx && prev != T_STOP && !(has_a && next_nom)) tg = T_VBN;
          else if (has_a && (next_nom || !has_n) && (!has_n || tagged(x, w, P2CI_WN_A) * 3 > tagged(x, w, P2CI_WN_N)))
            tg = T_ADJ;
          else if (has_a && !nom_ctx && i + 1 < n && t[i + 1].cc == P2CI_CC_TO)
            tg = T_ADJ; /* "getting ready to" */
          else if (has_n) tg = T_NOUN;
          else if (has_a) tg = T_ADJ;
          else if (has_v) tg = (nom_ctx && next_nom) ? T_ADJ : vf;
          else tg = T_ADV;
        } else if (prev == T_NOUN) {
          /* after a noun: a verb (3rd person, past, participle) or a compound */
          int base_after_singular = vf == T_VERB && !ends(x->lex, w, "s") && i > 0 &&
                                    !p2ci_poslex_plural(x->pl, t[i - 1].w);
          if (has_v && (vf == T_VBN || vf == T_VBG)) tg = vf;
          else if (has_n && base_after_singular) tg = T_NOUN; /* "teddy bear": no agreement, a compound */
          else if (has_v && vf == T_VERB && !ends(x->lex, w, "s") && i > 0 && p2ci_poslex_plural(x->pl, t[i - 1].w) &&
                   i + 1 < n && (t[i + 1].cc == P2CI_CC_PREP || t[i + 1].cc == P2CI_CC_DET || t[i + 1].cc == P2CI_CC_POSS))
            tg = T_VERB; /* "cowboys walk through": agreement with a plural */
          else if (has_v && vf == T_VERB && p2ci_poslex_plural(x->pl, w) && a_np_before(x, t, i))
            tg = T_VERB; /* "a woman walks beside a horse": "a" rules out a plural compound head */
          else if (has_n && i + 1 < n && t[i + 1].cc == P2CI_CC_CONJ && ends(x->lex, w, "s") &&
                   !(i == 2 && t[0].tag == T_DET))
            tg = T_NOUN; /* "computer monitors and a laptop": a plural compound head before "and",
                          * but "a man stands and talks" */
          else if (has_v && (!has_n ||
                             (i + 1 < n && (t[i + 1].cc == P2CI_CC_DET || t[i + 1].cc == P2CI_CC_POSS ||
                                            t[i + 1].cc == P2CI_CC_PRON || t[i + 1].cc == P2CI_CC_WH)) ||
                             tagged(x, w, P2CI_WN_V) > tagged(x, w, P2CI_WN_N)))
            tg = T_VERB;
          else if (has_n) tg = T_NOUN;
          else if (has_a) tg = T_ADJ;
          else tg = T_ADV;
        } else if (prev == T_BE) {
          /* "is parked on the street" is a passive (no tuple from the PP);
           * "is parked" at the end, or "is covered and ..." an adjective */
          int pp_follows = i + 1 < n && (t[i + 1].cc == P2CI_CC_PREP || t[i + 1].cc == P2CI_CC_TO);
          if (has_v && (vf == T_VBN || vf == T_VBG)) tg = has_a && vf == T_VBN && !has_n && !pp_follows ? T_ADJ : vf;
          else if (has_a && !(has_n && i + 1 < n && t[i + 1].cc == P2CI_CC_NONE && (t[i + 1].mask & P2CI_WN_NOUN)))
            tg = T_ADJ;
          else if (has_n) tg = T_NOUN;
          else tg = T_ADV;
        } else if (prev == T_TO || prev == T_AUX) {
          tg = has_v ? T_VERB : has_n ? T_NOUN : T_ADJ;
        } else if (prev == T_PRON) {
          tg = has_v ? (vf == T_OTHER ? T_VERB : vf) : has_n ? T_NOUN : T_ADJ;
        } else {
          tg = has_n ? T_NOUN : has_a ? T_ADJ : has_v ? vf : T_ADV;
        }
      }
    }
    t[i].tag = (uint8_t)tg;
  }
  /* "giraffe standing in the water": after a first noun introduced by "a"
   * or nothing, SPICE's parser reads standing, grazing, skiing, holding,
   * eating and playing as nouns (the head of a compound) in half the tuple
   * cache or more, but not before an object ending the sentence ("man
   * holding a cell phone": 2 of 19); other participles (sitting, wearing,
   * ...) stay verbs.
   * Standing and grazing it reads so after any singular noun ("herd of
   * zebra standing": 234 of 256 in the cache). */
  for (size_t i = 1; i < n; i++) {
    if (t[i].tag != T_VBG || !in_list(x->nounish_ing, x->ning, t[i].w) || t[i - 1].tag != T_NOUN) continue;
    size_t st = i - 1;
    while (st > 0 && (t[st - 1].tag == T_NOUN || t[st - 1].tag == T_ADJ)) st--;
    int always = t[i].w == x->nounish_ing[0] || t[i].w == x->nounish_ing[1];
    if (p2ci_poslex_plural(x->pl, t[i - 1].w)) {
      if (t[i].w == x->nounish_ing[1]) {
        t[i].tag = T_NOUN;
        t[i].np_start = 1;
      }
    } else if (always || ((st == 0 || (st == 1 && (t[0].w == x->w_a || t[0].w == x->w_an))) &&
                          !object_ends_sentence(t, n, i + 1))) {
      t[i].tag = T_NOUN;
    }
  }
  /* "stop sign on a pole": a caption opening with "stop" is read by SPICE's
   * parser as an imperative, its sign the object of a verb without subject
   * (tuple cache) */
  if (n > 2 && t[0].w == x->w_stop && t[1].tag == T_NOUN) t[0].tag = T_VERB;
  /* "man in a suit and tie": an opening bare "man" before "in" in a
   * caption without other verb, or with "and tie", SPICE's parser reads as
   * an imperative verb ("tie" a second one); tuple cache: 6 of 6 */
  if (n > 2 && t[0].w == x->w_man) {
    size_t tie = 0, verb = 0;
    for (size_t i = 1; i < n && t[i].tag != T_STOP; i++) {
      if (t[i].tag == T_VERB || t[i].tag == T_VBG || t[i].tag == T_VBN || t[i].tag == T_BE || t[i].tag == T_HAVE ||
          in_list(x->nounish_ing, x->ning, t[i].w))
        verb = 1;
      if (t[i].w == x->w_tie && t[i - 1].tag == T_CONJ) tie = i;
    }
    if (tie || (!verb && t[1].w == x->w_in)) t[0].tag = T_VERB;
    if (tie) t[tie].tag = T_VERB;
  }
  /* "a room full of computers": an adjective after a noun, its "of" phrase
   * hangs from the noun (tuple cache) */
  for (size_t i = 1; i + 1 < n; i++)
    if (t[i].tag == T_NOUN && t[i - 1].tag == T_NOUN && (t[i].mask & P2CI_WN_ADJ) && t[i + 1].w == x->w_of &&
        tagged(x, t[i].w, P2CI_WN_A) > tagged(x, t[i].w, P2CI_WN_N))
      t[i].tag = T_ADJ;
  /* "close up of X": a photo term; SPICE's tuples keep "close" as an object
   * but no relation from it */
  for (size_t i = 0; i + 1 < n; i++) {
    if (strcmp(p2ci_wnlex_word(x->lex, t[i].w), "close") || strcmp(p2ci_wnlex_word(x->lex, t[i + 1].w), "up")) continue;
    t[i].tag = T_STOP; /* a fragment of its own, emitted below as an object */
    t[i].np_head = i > 0 ? 2 : 3; /* an opening "close up of" leaves no object (tuple cache) */
    t[i + 1].tag = T_OTHER;
    if (i + 2 < n && t[i + 2].w == x->w_of) t[i + 2].tag = T_OTHER;
  }
  /* Nouns SPICE's tagger reads as adjectives before a noun ("laptop
   * computer", "teddy bear": the head keeps its object tuple; tuple cache) */
  for (size_t i = 0; i + 1 < n; i++)
    if (t[i].tag == T_NOUN && t[i + 1].tag == T_NOUN && in_list(x->amod_nouns, x->namod, t[i].w)) t[i].tag = T_ADJ;
}

/* ---- noun phrases ------------------------------------------------------------ */

typedef struct np {
  size_t start, end; /* tokens [start, end) */
  size_t head;
  int quant;         /* "a couple of N": the head is the quantifier noun */
} np;

typedef struct sent {
  np nps[128];
  size_t nnp;
} sent;

/* Longest noun phrase starting at i: determiners, numbers, adjectives and
 * participles, nouns; the last noun of the run is the head. */
static int scan_np(p2ci_sp_extractor *x, tok *t, size_t n, size_t i, np *out)
{
  size_t j = i, head = SIZE_MAX;
  while (j < n) {
    int tg = t[j].tag;
    if (tg == T_DET || tg == T_POSS || tg == T_NUM) {
      if (head != SIZE_MAX) break;
      j++;
    } else if (tg == T_ADJ || ((tg == T_VBN || tg == T_VBG) && j + 1 < n && head == SIZE_MAX && j > i &&
                               (t[j + 1].tag == T_NOUN || t[j + 1].tag == T_ADJ))) {
      if (head != SIZE_MAX) break;
      j++;
    } else if (tg == T_CONJ && head == SIZE_MAX && j > i && t[j - 1].tag == T_ADJ && j + 1 < n &&
               t[j + 1].tag == T_ADJ) {
      j++; /* "black and white dog" */
    } else if (tg == T_ADV && head == SIZE_MAX && j + 1 < n && t[j + 1].tag == T_ADJ) {
      j++; /* "very small" */
    } else if (tg == T_NOUN && !(head != SIZE_MAX && t[j].np_start)) {
      head = j++;
    } else {
      break;
    }
  }
  if (head == SIZE_MAX) return 0;
  out->start = i;
  out->end = head + 1;
  out->head = head;
  out->quant = 0;
  return 1;
}

/* ---- emitting --------------------------------------------------------------- */

typedef struct ctx {
  p2ci_sp_extractor *x;
  tok *t;
  size_t n;
  p2ci_sp_tuples *out;
  int rc;
} ctx;

static int32_t noun_lemma(ctx *c, size_t i)
{
  if (c->t[i].tag != T_NOUN) return c->t[i].w;
  int32_t l = p2ci_poslex_lemma(c->x->pl, c->t[i].w, P2CI_WN_N);
  return l < 0 ? c->t[i].w : l;
}

static void emit(ctx *c, int arity, int32_t a, int32_t b, int32_t d)
{
  if (!c->rc && a >= 0 && (arity < 2 || b >= 0) && (arity < 3 || d >= 0))
    c->rc = p2ci_sp_tuples_push(c->out, arity, a, b, d);
}

static int32_t join_words(ctx *c, int32_t a, int32_t b)
{
  char buf[512];
  size_t la = p2ci_wnlex_len(c->x->lex, a), lb = p2ci_wnlex_len(c->x->lex, b);
  if (la + lb + 2 > sizeof buf) return a;
  memcpy(buf, p2ci_wnlex_word(c->x->lex, a), la);
  buf[la] = ' ';
  memcpy(buf + la + 1, p2ci_wnlex_word(c->x->lex, b), lb);
  int32_t id = p2ci_wnlex_intern(c->x->lex, buf, la + lb + 1);
  if (id < 0) c->rc = P2C_ERR_NOMEM;
  return id;
}

static int32_t verb_lemma(ctx *c, size_t i)
{
  int32_t l = p2ci_poslex_lemma(c->x->pl, c->t[i].w, P2CI_WN_V);
  return l < 0 ? c->t[i].w : l;
}

/* Attributes inside a noun phrase: adjectives, participles, compounds,
 * numbers on plural heads. */
static void np_attributes(ctx *c, const np *p)
{
  tok *t = c->t;
  int32_t h = noun_lemma(c, p->head);
  int plural = p2ci_poslex_plural(c->x->pl, t[p->head].w);
  /* "black and white cat sitting on ...": SPICE's parser keeps the second
   * adjective only, two times in three (tuple cache); before "laying" it
   * keeps both (8 of 8), as it keeps that verb's name (sentence()), and so
   * before a finite verb */
  size_t k0 = p->start;
  if (p->start == 0 && p->head == 3 && t[0].tag == T_ADJ && t[1].tag == T_CONJ && t[2].tag == T_ADJ) {
    /* the same with a participle later, before any finite verb: "black
     * and white photo of a train traveling down the tracks" (tuple cache) */
    size_t q = p->head + 1;
    while (q < c->n && t[q].tag != T_STOP && t[q].tag != T_VBG && t[q].tag != T_VBN && t[q].tag != T_BE &&
           t[q].tag != T_VERB)
      q++;
    if (q < c->n && (t[q].tag == T_VBG || t[q].tag == T_VBN) && t[q].w != c->x->w_laying) k0 = 2;
  }
  for (size_t k = k0; k < p->head; k++) {
    switch (t[k].tag) {
    case T_ADJ: {
      int32_t a = t[k].w;
      if (p2ci_poslex_closed(c->x->pl, a) == P2CI_CC_NONE) {
        /* a participle used as an adjective ("living room") keeps its verb lemma */
        int ing = ends(c->x->lex, a, "ing") && (t[k].mask & P2CI_WN_VERB);
        int32_t l = p2ci_poslex_lemma(c->x->pl, a, ing ? P2CI_WN_V : P2CI_WN_A);
        if (l >= 0) a = l;
      }
      emit(c, 2, h, a, -1);
      break;
    }
    case T_VBN:
    case T_VBG: {
      int32_t a = (t[k].mask & P2CI_WN_ADJ) ? t[k].w : verb_lemma(c, k);
      emit(c, 2, h, a, -1);
      break;
    }
    case T_NOUN:
      /* SpiceParser marks both nouns of a compound and gives neither an
       * object tuple; the head still becomes a node through the attribute */
      t[k].compound = 1;
      t[p->head].compound = 1;
      emit(c, 2, h, t[k].w, -1);
      break;
    case T_NUM:
      if (plural) emit(c, 2, h, t[k].w, -1);
      break;
    default:
      break;
    }
  }
}

/* A conjoined group of noun phrases: indices into the sentence's nps. */
typedef struct group {
  size_t first, count;
} group;

static void emit_rel(ctx *c, sent *s, group a, int32_t pred, group b)
{
  for (size_t i = 0; i < a.count; i++)
    for (size_t j = 0; j < b.count; j++)
      emit(c, 3, noun_lemma(c, s->nps[a.first + i].head), pred, noun_lemma(c, s->nps[b.first + j].head));
}

static void emit_attr(ctx *c, sent *s, group a, int32_t attr)
{
  for (size_t i = 0; i < a.count; i++) emit(c, 2, noun_lemma(c, s->nps[a.first + i].head), attr, -1);
}

/* The multi-word preposition at i: its number of words (0: none) and its
 * name in *name ("in front of"). */
static size_t multiword_prep(const ctx *c, size_t i, int32_t *name)
{
  const p2ci_sp_extractor *x = c->x;
  for (size_t m = 0; m < NMULTIWORD; m++) {
    size_t k = 0;
    while (k < 4 && x->mw_words[m][k] >= 0 && i + k < c->n && c->t[i + k].w == x->mw_words[m][k]) k++;
    if (k == 4 || (k >= 2 && x->mw_words[m][k] < 0)) {
      *name = x->mw_names[m];
      return k;
    }
  }
  return 0;
}

/* The prepositions of [b, e) when it is a fragment without verb, conjunction
 * or relative clause ("a group of people in a boat in the water"), else 0. */
static size_t fragment_preps(const ctx *c, size_t b, size_t e)
{
  size_t count = 0;
  for (size_t i = b; i < e; i++) {
    switch (c->t[i].tag) {
    case T_VERB:
    case T_VBG:
    case T_VBN:
    case T_BE:
    case T_HAVE:
    case T_AUX:
    case T_CONJ:
    case T_WH:
    case T_PUNCT:
    case T_TO:
      return 0;
    default:
      /* "young boy holding a frisbee in a field": a verb for SPICE's parser,
       * though tagged as a noun here ("standing" it reads as a noun) */
      if (in_list(c->x->nounish_ing + 1, c->x->ning - 1, c->t[i].w)) return 0;
      break;
    }
    int32_t name;
    size_t k = multiword_prep(c, i, &name);
    if (k) {
      count++;
      i += k - 1;
    } else if (c->t[i].tag == T_PREP && (c->t[i].w != c->x->w_of || !count)) {
      count++; /* "in the middle of the water": a later "of" does not count */
    }
  }
  return count;
}

/* Whether a finite verb ("shows", "is"; not "to show") comes in [i, e)
 * before the next conjunction, comma or relative word. */
static int finite_verb_ahead(const tok *t, size_t i, size_t e)
{
  for (size_t q = i; q < e; q++) {
    if (t[q].tag == T_CONJ || t[q].tag == T_PUNCT || t[q].tag == T_WH) return 0;
    if ((t[q].tag == T_VERB && t[q - 1].tag != T_TO) || t[q].tag == T_BE) return 1;
  }
  return 0;
}

/* Whether "N1 covered N2" (a past participle between two nouns) comes in
 * [i, e) before the next conjunction, comma or relative word. */
static int participle_between_nouns_ahead(const tok *t, size_t i, size_t e)
{
  int prep = 0; /* not the verb's own object: "riding a horse drawn carriage" */
  for (size_t q = i; q + 1 < e; q++) {
    if (t[q].tag == T_CONJ || t[q].tag == T_PUNCT || t[q].tag == T_WH) return 0;
    if (t[q].tag == T_PREP) prep = 1;
    if (prep && t[q].tag == T_VBN && t[q - 1].tag == T_NOUN && (t[q + 1].tag == T_NOUN || t[q + 1].tag == T_ADJ))
      return 1;
  }
  return 0;
}

/* Whether a participle read as a noun comes in [b, e): "man holding",
 * and "a zebra standing" but not "zebra standing" without article. */
static int nounish_before(const ctx *c, size_t b, size_t e)
{
  const p2ci_sp_extractor *x = c->x;
  for (size_t q = b; q < e; q++)
    if (c->t[q].tag == T_NOUN && in_list(x->nounish_ing, x->ning, c->t[q].w) &&
        (c->t[b].tag == T_DET || !in_list(x->nounish_ing, 2, c->t[q].w)))
      return 1;
  return 0;
}

/* Interpret one sentence [b, e). */
static void sentence(ctx *c, size_t b, size_t e, sent *s)
{
  tok *t = c->t;
  s->nnp = 0;
  /* noun phrases, in order */
  size_t *np_at = calloc(e - b + 1, sizeof *np_at); /* 1 + np index starting at token, 0 none */
  if (!np_at) {
    c->rc = P2C_ERR_NOMEM;
    return;
  }
  for (size_t i = b; i < e && s->nnp < 128;) {
    np p;
    if (t[i].tag != T_PMARK && scan_np(c->x, t, e, i, &p)) {
      s->nps[s->nnp] = p;
      np_at[i - b] = ++s->nnp;
      t[p.head].np_head = 1;
      i = p.end;
    } else {
      i++;
    }
  }
  /* quantifier nouns: "a couple of N" */
  for (size_t k = 0; k + 1 < s->nnp; k++) {
    np *p = &s->nps[k];
    /* only with an article: a bare "couple of zebras" stays a noun + "of" */
    if (in_list(c->x->qnouns, c->x->nq, t[p->head].w) && p->end < e && t[p->end].w == c->x->w_of &&
        (t[p->start].tag == T_DET || p2ci_poslex_plural(c->x->pl, t[p->head].w)) &&
        np_at[p->end + 1 - b] == k + 2) {
      p->quant = 1;
      int32_t first = t[p->start].tag == T_DET ? c->x->w_a : noun_lemma(c, p->head);
      /* "filled with lots of kites": no count attribute (tuple cache) */
      if (t[p->start].tag == T_DET || p->start == b || t[p->start - 1].tag != T_PREP)
        emit(c, 2, noun_lemma(c, s->nps[k + 1].head), first, -1);
    }
  }
  for (size_t k = 0; k < s->nnp; k++) np_attributes(c, &s->nps[k]);

  /* the clause machine */
  group subj = {0, 0};      /* clause subject */
  group last = {0, 0};      /* last noun group */
  group of_gov = {0, 0};    /* "X of Y": X, while Y is the last group */
  size_t of_obj = 0;        /* 1 + first np of that Y */
  group first_np = {0, 0};  /* first noun group: pronoun antecedent */
  int32_t pred = -1;        /* pending verb lemma */
  int pred_finite = 0, pred_has_obj = 0, pred_active = 0;
  int pred_bare = 0; /* the verb's prepositional relations are named by the preposition alone */
  int pred_participle = 0; /* the verb is an -ing or -ed form */
  size_t dobj_end = 0; /* 1 + last np of the pending verb's direct object, 0 none */
  int pron_last = 0;   /* the last object was a pronoun */
  size_t vpp_end = 0;  /* 1 + last np of the pending verb's prepositional object, 0 none */
  int after_be = 0, there = 0;
  int32_t prep = -1, mw_inner = -1, mw_first = -1;
  int mw_of_first = 0; /* the split "of" part hangs from the first noun */
  int subject_participle = 0; /* the pending participle's phrase is SPICE's subject of a later verb */
  int prep_target = 0; /* 1 noun (the last one), 2 verb, 3 copula, 4 there */
  group prep_gov = {0, 0};
  int after_close_up = b > 0 && t[b - 1].np_head >= 2;
  int verbs_seen = 0;
  size_t frag_preps = fragment_preps(c, b, e), preps_seen = 0;
  int finite_seen = 0; /* the sentence has had a finite verb: it is a clause, not a fragment */
  int last_pobj = 0;    /* the last noun group was a preposition's object */
  int dead = 0; /* inside a relative clause: no relations */
  group clause = {0, 0}; /* subject of the current clause */
  int boundary = 0;      /* a clause may start here */

#define FLUSH_VERB()                                                          \
  do {                                                                        \
    if (pred_active && !pred_has_obj && pred_finite && subj.count && !dead && pred >= 0 && pred != c->x->w_be) \
      emit_attr(c, s, subj, pred);                                            \
    pred_active = 0;                                                          \
    dobj_end = vpp_end = 0;                                                   \
    pred = -1;                                                                \
  } while (0)

  for (size_t i = b; i < e && !c->rc;) {
    int tg = t[i].tag;
    size_t ni = np_at[i - b];
    /* "a bowl with fruit on it": SPICE resolves an object pronoun to the
     * first noun (a singular one for it/him) and relates that */
    int pron_obj = !ni && tg == T_PRON && first_np.count &&
                   (prep >= 0 || (pred_active && !pred_has_obj && pred >= 0)) &&
                   (t[i].w == c->x->w_them ||
                    ((t[i].w == c->x->w_it || t[i].w == c->x->w_him) &&
                     !p2ci_poslex_plural(c->x->pl, t[s->nps[first_np.first].head].w)));
    if (ni || pron_obj) {
      /* a noun group: np (and np)* */
      group g = {ni ? ni - 1 : first_np.first, 1};
      size_t j = ni ? s->nps[ni - 1].end : i + 1;
      if (ni && s->nps[g.first].quant && (prep >= 0 || (pred_active && !pred_has_obj && pred >= 0))) {
        /* "topped with lots of desserts": SPICE collapses the quantifier, the
         * relation reaches the desserts */
        i = j + 1;
        continue;
      }
      while (ni && j + 1 < e && (t[j].tag == T_CONJ || t[j].tag == T_PUNCT) && np_at[j + 1 - b] &&
             np_at[j + 1 - b] == g.first + g.count + 1) {
        g.count++;
        j = s->nps[g.first + g.count - 1].end;
      }
      if (!first_np.count) first_np = (group){g.first + (s->nps[g.first].quant), 1};
      /* possessive pronouns inside: (antecedent, have, head) */
      for (size_t q = 0; q < g.count; q++) {
        np *p = &s->nps[g.first + q];
        if (t[p->start].tag == T_POSS && first_np.count) {
          group one = {g.first + q, 1};
          group ante = {first_np.first, 1};
          if (ante.first != one.first) emit_rel(c, s, ante, c->x->w_have, one);
        }
      }
      /* after ", and", "while", ";": a noun group followed by a finite verb
       * starts a new clause and is its subject */
      size_t after = j;
      while (after < e && t[after].tag == T_ADV) after++;
      int starts_clause = boundary && after < e &&
                          (t[after].tag == T_VERB || t[after].tag == T_BE || t[after].tag == T_HAVE || t[after].tag == T_AUX);
      /* ", and a clock mounted to a wall shows the time": a participle
       * phrase, then the clause's finite verb */
      if (boundary && !starts_clause && after < e && (t[after].tag == T_VBN || t[after].tag == T_VBG))
        starts_clause = finite_verb_ahead(t, after + 1, e);
      int pobj = !starts_clause && prep >= 0;
      if (starts_clause) {
        FLUSH_VERB();
        prep = -1;
        after_be = there = dead = 0;
        clause = g;
        subj = g;
        boundary = 0;
      } else if (prep >= 0) {
        if (prep_target == 2) {
          /* the verb's prepositional object (a verb without subject emits
           * nothing, but later prepositions then attach to this noun) */
          if (subj.count && pred >= 0 && !dead) emit_rel(c, s, subj, pred_bare ? prep : join_words(c, pred, prep), g);
          else if (dead && mw_inner >= 0 && subj.count)
            emit_rel(c, s, subj, c->x->w_of, g); /* "a dog that is sitting on top of a bed": (dog, of, bed) */
          pred_has_obj = 1;
          vpp_end = g.first + g.count;
        } else if (prep_target == 3 && subj.count && !dead) {
          emit_rel(c, s, subj, prep, g);

        } else if (prep_target == 4 && subj.count && !dead) {
          emit_rel(c, s, subj, join_words(c, c->x->w_be, prep), g);
        } else if (prep_target == 1 && prep_gov.count) {
          if (mw_inner >= 0) {
            /* after a noun SPICE's parser mostly splits "X on top of Y" into
             * (X, on, top) and (X, of, Y) */
            for (size_t q = 0; q < prep_gov.count; q++)
              emit(c, 3, noun_lemma(c, s->nps[prep_gov.first + q].head), mw_first, mw_inner);
            emit_rel(c, s, mw_of_first ? (group){0, 1} : prep_gov, c->x->w_of, g);
          } else {
            emit_rel(c, s, prep_gov, prep, g);
            if (prep == c->x->w_of) {
              of_gov = prep_gov;
              of_obj = g.first + 1;
            }
          }
        }
        prep = -1;
      } else if (pred_active && !pred_has_obj && pred >= 0) {
        if (subj.count && !dead) emit_rel(c, s, subj, pred, g);
        pred_has_obj = 1;
        dobj_end = g.first + g.count;
      } else if (after_be && subj.count && !there && !dead) {
        /* "the man is a rider": attribute plus object */
        for (size_t q = 0; q < g.count; q++) emit_attr(c, s, subj, noun_lemma(c, s->nps[g.first + q].head));
      } else if (there && after_be) {
        subj = g;
      } else if (!clause.count) {
        clause = g;
        /* "a couple of cows are in a field": SPICE's quantifier collapsing
         * makes the cows the subject */
        if (g.count == 1 && s->nps[g.first].quant) clause.first++;
        if (!subj.count) subj = clause;
      }
      boundary = 0;
      /* "X 's Y" */
      if (j + 1 < e && t[j].tag == T_PMARK && np_at[j + 1 - b]) {
        group y = {np_at[j + 1 - b] - 1, 1};
        emit_rel(c, s, g, c->x->w_have, y);
      }
      if (!first_np.count) first_np = g;
      /* "sits beside him on the dock": later prepositions hang from the
       * verb, never from the pronoun */
      pron_last = pron_obj;
      if (!pron_obj) {
        last = g;
        last_pobj = pobj;
      }
      after_be = 0;
      i = j;
      continue;
    }
    int32_t mw_name = -1;
    size_t mw = multiword_prep(c, i, &mw_name);
    if (mw) tg = T_PREP;
    /* "mounted to a wall": "to" before a noun phrase is a preposition */
    if (tg == T_TO && i + 1 < e && np_at[i + 1 - b]) tg = T_PREP;
    switch (tg) {
    case T_PREP: {
      int32_t name = mw ? mw_name : t[i].w;
      size_t k = mw;
      mw_inner = -1;
      /* "street sign on a pole in front of a building": in a fragment
       * without verb "in front of" as the second preposition is split,
       * (pole, in, front) and (sign, of, building) (tuple cache: 20 to 15) */
      mw_of_first = k == 3 && t[i + 1].w == c->x->w_front && frag_preps == 2 && preps_seen == 1;
      if (k == 3 && i + 2 < e && t[i + 2].w == c->x->w_of && (t[i + 1].mask & P2CI_WN_NOUN) &&
          (t[i + 1].w == c->x->w_top || mw_of_first ||
           (t[i + 1].w == c->x->w_front && last.count && last.first == 0 && t[b].tag != T_DET) ||
           (t[i + 1].w == c->x->w_front && dead))) {
        /* "on top of": SPICE keeps "top" as a noun and after a noun mostly
         * splits the relation; "in front of" it keeps whole except after
         * the first noun of a caption without article ("street sign in
         * front of a building") and in a relative clause (tuple cache) */
        mw_inner = t[i + 1].w;
        mw_first = t[i].w;
        emit(c, 1, mw_inner, -1, -1);
      }
      prep = name;
      if (mw == 2 && name == c->x->w_next_to && pred_active && !pred_has_obj && pred_participle && !pred_bare)
        prep = t[i + 1].w; /* "standing next to": SPICE's parser makes "next" an adverb, the relation "stand to" */
      if (after_be && subj.count && !there) prep_target = 3;
      else if (there && subj.count) prep_target = 4;
      else if (pred_active && pred_finite && subj.count && !pred_has_obj) prep_target = 2;
      else if (pred_active && !pred_has_obj) prep_target = 2;
      else if (pred_active && pron_last) prep_target = 2;
      else if (pred_active && dobj_end && dobj_end == last.first + last.count && name != c->x->w_of &&
               (!subj.count || dead || subject_participle || in_list(c->x->verb_preps, c->x->nverb_preps, name)))
        /* "man riding a motorcycle down a road": a prepositional phrase after
         * the direct object of a verb without subject hangs from the verb
         * (no tuple), as do "down", "beside", "by" and "at" after any
         * verb's object (tuple cache: relations P +0.016) */
        prep_target = 2;
      else if (pred_active && vpp_end && vpp_end == last.first + last.count && subj.count && !dead &&
               in_list(c->x->verb_preps, VP_AFTER_POBJ, name))
        prep_target = 2; /* "a lamp shines on the nightstand beside the bed": from the verb (tuple cache) */
      else if (pred_active && dobj_end && of_obj == last.first + 1 && of_gov.first + of_gov.count == dobj_end &&
               name != c->x->w_of)
        prep_target = 2; /* "playing a game of frisbee in a field": from the verb */
      else {
        prep_target = 1;
        /* the nearest noun: SPICE_RULES.md notes "plate of food on a table"
         * attaching to the plate, and the tuple cache has both; the nearest
         * agrees more often (relations P/R +0.006/+0.008 over the cache) */
        prep_gov = last;
        /* "a bath and a sink in a room": the phrase hangs from the first
         * conjunct only (tuple cache: first only 78, none 75, last 30) */
        if (prep_gov.count > 1) prep_gov.count = 1;
        /* but "plate of food on a table" opening a caption, the plate's
         * phrase without article: the plate, unless it names a picture
         * ("close up of", "view of"); tuple cache */
        if (of_obj == last.first + 1 && name != c->x->w_of && of_gov.first == 0 && t[s->nps[0].start].tag != T_DET &&
            !in_list(c->x->view_nouns, c->x->nview, noun_lemma(c, s->nps[of_gov.first].head)))
          prep_gov = of_gov;
        for (size_t q = 0; q < prep_gov.count; q++)
          if (s->nps[prep_gov.first + q].quant) prep_gov.count = 0; /* quantifier: no "of" relation */
        /* "holding a frisbee on top of a field", "a wagon with a surfboard
         * on top of it": after a verb (a participle read as a noun
         * included), or before a pronoun, SPICE's parser keeps "on top of"
         * whole (tuple cache: 47 to 3); it splits it after the nouns of a
         * caption without verb */
        if (mw_inner == c->x->w_top &&
            (verbs_seen || finite_seen || nounish_before(c, b, i) || (i + 3 < e && t[i + 3].tag == T_PRON)))
          mw_inner = -1;
        /* "a group of people in a boat in the water": in a fragment without
         * verb with three prepositions SPICE's parser hangs the later ones
         * from the first noun, a quantifier noun included (tuple cache:
         * 193 to 81), "of" excepted */
        if (frag_preps >= 3 && preps_seen && name != c->x->w_of && s->nnp) prep_gov = (group){0, 1};
      }
      /* "riding skis down a snow covered slope": no tuple from "down" before
       * the participle's first noun (tuple cache: 7 of 7) */
      if (subject_participle && prep_target == 2 && name == c->x->verb_preps[0] && i + 1 < e && np_at[i + 1 - b] &&
          s->nps[np_at[i + 1 - b] - 1].end < e && t[s->nps[np_at[i + 1 - b] - 1].end].tag == T_VBN)
        prep_target = 0;
      preps_seen++;
      i += k ? k : 1;
      continue;
    }
    case T_BE:
      FLUSH_VERB();
      after_be = 1;
      finite_seen = 1;
      if (clause.count && !there) subj = clause;
      if (i > b && t[i - 1].tag == T_THERE) there = 1;
      break;
    case T_HAVE:
      if (i + 1 < e && t[i + 1].tag == T_VBN) break; /* auxiliary */
      FLUSH_VERB();
      pred = c->x->w_have;
      if (clause.count) subj = clause;
      pred_active = 1;
      pred_finite = 1;
      pred_has_obj = 0;
      dobj_end = vpp_end = 0;
      after_be = 0;
      break;
    case T_VERB:
    case T_VBG:
    case T_VBN: {
      if (i >= b + 2 && t[i - 1].tag == T_CONJ && t[i - 2].tag == tg && pred_active && !pred_has_obj && pred >= 0) {
        /* "is sitting and eating some spaghetti": the parser gives the
         * objects to the first verb, the second stays intransitive */
        if (pred_finite && subj.count && !dead) emit_attr(c, s, subj, verb_lemma(c, i));
        boundary = 0;
        break;
      }
      int progressive = after_be && tg == T_VBG;
      int passive = after_be && tg == T_VBN;
      /* "black and white dogs laying on a bed": a caption opening with
       * coordinated adjectives is parsed as a clause, its participle as the
       * main verb (tuple cache) */
      int adj_coord_start = e - b > 3 && t[b].tag == T_ADJ && t[b + 1].tag == T_CONJ && t[b + 2].tag == T_ADJ &&
                            verbs_seen == 0 && last.count && last.first == 0;
      int finite = tg == T_VERB || progressive || (tg == T_VBG && adj_coord_start);
      int prev_while = i > b && (t[i - 1].w == c->x->w_while || t[i - 1].w == c->x->w_as || t[i - 1].tag == T_TO);
      /* "riding skis across a snow covered slope": SPICE's parser gives the
       * participle between two nouns the pending verb's subject */
      int npn_shape = tg == T_VBN && !after_be && i > b && t[i - 1].tag == T_NOUN && i + 1 < e &&
                      (t[i + 1].tag == T_NOUN || t[i + 1].tag == T_ADJ);
      int noun_participle_noun = npn_shape && pred_active && subj.count && !dead && vpp_end &&
                                 vpp_end == last.first + last.count;
      group verb_subj = subj;
      /* "is wearing a helmet and riding her bike": a participle after "and"
       * continues the verb phrase, with its subject when the first verb was
       * finite, else without (tuple cache) */
      int vp_coord = tg == T_VBG && !after_be && i > b && t[i - 1].tag == T_CONJ && pred >= 0 && verbs_seen > 0;
      int vp_coord_subj = vp_coord && pred_finite && subj.count;
      FLUSH_VERB();
      verbs_seen++;
      pred = verb_lemma(c, i);
      pred_active = 1;
      pred_has_obj = 0;
      dobj_end = vpp_end = 0;
      pred_finite = finite && !prev_while;
      if (pred_finite) finite_seen = 1;
      after_be = 0;
      pred_participle = tg != T_VERB;
      subject_participle = 0;
      /* "black and white cat sitting on top of a tv": (cat, sit) and
       * (cat, on top of, tv) in the tuple cache (26 of 27 captions); with
       * "laying" the relation keeps the verb (8 of 9) */
      pred_bare = tg == T_VBG && adj_coord_start && !progressive && t[i].w != c->x->w_laying;
      /* "a man riding a horse": SPICE's parser leaves a participle right
       * after a singular first noun phrase introduced by "a" (or nothing)
       * without a subject about three times in four (tuple cache); after a
       * plural, after "the" or after a later noun it gets one. */
      int first_np_participle =
          !finite && last.count && last.first == 0 && verbs_seen == 1 && s->nps[0].end == i && !after_close_up;
      int singular_a = first_np_participle && tg == T_VBG && last.count == 1 &&
                       !p2ci_poslex_plural(c->x->pl, t[s->nps[0].head].w) &&
                       (t[s->nps[0].start].w == c->x->w_a || t[s->nps[0].start].w == c->x->w_an || t[s->nps[0].start].tag != T_DET);
      /* "a boy wearing shorts stands on a skateboard": with a finite verb
       * later the caption is a clause and the participle modifies its
       * subject (tuple cache) */
      if (singular_a && finite_verb_ahead(t, i + 1, e)) singular_a = 0;
      /* "a man riding skis on top of a snow covered slope": SPICE's parser
       * reads "covered" as the finite verb, the participle phrase as part of
       * its subject (tuple cache: 21 to 8) */
      if (singular_a && participle_between_nouns_ahead(t, i + 2, e)) {
        singular_a = 0;
        subject_participle = 1;
      }
      if (vp_coord) {
        subj = vp_coord_subj ? verb_subj : (group){0, 0};
        pred_finite = 0;
      } else if (prev_while || passive || (!finite && !last.count) || singular_a) {
        /* a verb without a usable subject (after "while", a passive, or a
         * bare noun + participle fragment, which SPICE's parser leaves as
         * "dep"): its objects stay objects, no relation */
        subj.count = 0;
        pred_finite = 0;
      } else if (!finite && i > b && t[i - 1].tag == T_PUNCT && clause.count) {
        subj = clause; /* "..., holding an umbrella": the clause's subject */
      } else if (npn_shape && last_pobj && !finite_seen && first_np.count && last.count &&
                 last.first != first_np.first) {
        /* "man riding a snowboard down a snow covered slope": in a caption
         * without a finite verb the participle between two nouns hangs from
         * the caption's first noun (tuple cache) */
        subj = first_np;
      } else if (noun_participle_noun) {
        subj = verb_subj;
      } else if (!finite && tg == T_VBN && !npn_shape && of_obj && of_obj == last.first + 1 && of_gov.count) {
        /* "a line of buses parked along a wall": a past participle after
         * "X of Y" modifies X (tuple cache: 25 to 14) */
        subj = of_gov;
      } else if (!finite) {
        /* participle modifier: the subject is the noun before it */
        subj = last;
      } else if (clause.count) {
        subj = clause; /* a finite verb agrees with its clause's subject */
      }
      if (pred_bare && subj.count && !dead) emit_attr(c, s, subj, pred);
      there = 0;
      if (i + 1 < e && t[i + 1].tag == T_PRT) {
        pred = join_words(c, pred, t[i + 1].w);
        i++;
      }
      break;
    }
    case T_WH:
      FLUSH_VERB();
      /* SPICE's tuples show no relation from "that is on", "who is sitting":
       * the relative clause's subject is the pronoun, not a noun */
      if (t[i].w == c->x->w_that || t[i].w == c->x->w_who || t[i].w == c->x->w_which) dead = 1;
      else boundary = 1;
      if (last.count) subj = last;
      break;
    case T_PRON:
      if (first_np.count && !subj.count) subj = first_np;
      else if (first_np.count && i > b && (t[i - 1].tag == T_WH || t[i - 1].tag == T_CONJ)) subj = first_np;
      break;
    case T_ADJ:
      /* "the man is tall", "is black and white" */
      if (after_be && subj.count && !there && !dead) {
        int32_t a = t[i].w;
        if (p2ci_poslex_closed(c->x->pl, a) == P2CI_CC_NONE) {
          int32_t l = p2ci_poslex_lemma(c->x->pl, a, P2CI_WN_A);
          if (l >= 0) a = l;
        }
        emit_attr(c, s, subj, a);
        i++;
        if (i + 1 < e && t[i].tag == T_CONJ && t[i + 1].tag == T_ADJ) i++; /* stay after "be" */
        else after_be = 0;
        continue;
      }
      break;
    case T_CONJ:
    case T_PUNCT:
      boundary = 1;
      break;
    default:
      break;
    }
    i++;
  }
  FLUSH_VERB();
#undef FLUSH_VERB
  /* objects: every noun-phrase head and every noun not in a compound */
  for (size_t i = b; i < e; i++)
    if (t[i].tag == T_NOUN && !t[i].compound) emit(c, 1, noun_lemma(c, i), -1, -1);
  free(np_at);
}

/* Parts of speech of a word including its inflections: "sitting" is a verb
 * form because "sit" is a WordNet verb, "dogs" a noun form. */
static unsigned inflected_mask(p2ci_sp_extractor *x, int32_t id)
{
  unsigned m = p2ci_poslex_open(x->pl, id);
  static const int POS[3] = {P2CI_WN_N, P2CI_WN_V, P2CI_WN_A};
  for (int k = 0; k < 3; k++) {
    if (m & (1u << POS[k])) continue;
    int32_t l = p2ci_poslex_lemma(x->pl, id, POS[k]);
    if (l >= 0 && l != id && (p2ci_poslex_open(x->pl, l) & (1u << POS[k]))) m |= 1u << POS[k];
  }
  return m;
}

int p2ci_sp_extract(p2ci_sp_extractor *x, const char *caption, size_t len, p2ci_sp_tuples *out)
{
  tok *t = x->t;
  size_t n = 0;
  char buf[256];
  for (size_t i = 0; i < len && n < MAX_TOKENS;) {
    while (i < len && isspace((unsigned char)caption[i])) i++;
    size_t j = i;
    while (j < len && !isspace((unsigned char)caption[j])) j++;
    if (j == i) break;
    size_t k = 0;
    for (size_t q = i; q < j && k < sizeof buf - 1; q++) buf[k++] = (char)tolower((unsigned char)caption[q]);
    /* a trailing period or comma glued to a word is its own token, and so is
     * a possessive 's (as the PTB tokenizer would cut them) */
    int glued = k > 1 && (buf[k - 1] == '.' || buf[k - 1] == ',');
    size_t wl = glued ? k - 1 : k;
    if (wl > 2 && buf[wl - 2] == '\'' && buf[wl - 1] == 's' && n + 1 < MAX_TOKENS) {
      int32_t wid = p2ci_wnlex_intern(x->lex, buf, wl - 2);
      if (wid < 0) return P2C_ERR_NOMEM;
      memset(&t[n], 0, sizeof t[n]);
      t[n].w = wid;
      t[n].cc = (uint8_t)p2ci_poslex_closed(x->pl, wid);
      t[n].mask = (uint8_t)inflected_mask(x, wid);
      n++;
      memmove(buf, buf + wl - 2, k - (wl - 2));
      k -= wl - 2;
      wl = 2;
    }
    int32_t id = p2ci_wnlex_intern(x->lex, buf, wl);
    if (id < 0) return P2C_ERR_NOMEM;
    memset(&t[n], 0, sizeof t[n]);
    t[n].w = id;
    t[n].cc = (uint8_t)p2ci_poslex_closed(x->pl, id);
    t[n].mask = (uint8_t)inflected_mask(x, id);
    n++;
    if (glued && n < MAX_TOKENS) {
      int32_t pid = p2ci_wnlex_intern(x->lex, buf + k - 1, 1);
      if (pid < 0) return P2C_ERR_NOMEM;
      memset(&t[n], 0, sizeof t[n]);
      t[n].w = pid;
      t[n].cc = (uint8_t)p2ci_poslex_closed(x->pl, pid);
      n++;
    }
    i = j;
  }
  tag_tokens(x, t, n);
#ifdef SPICE_DEBUG
  {
    static const char *TN[] = {"OTHER", "DET", "POSS", "NUM", "ADJ", "NOUN", "VERB", "VBG", "VBN", "PREP", "PRT", "CONJ",
                               "PRON", "BE", "HAVE", "AUX", "ADV", "WH", "TO", "PUNCT", "STOP", "THERE", "PMARK"};
    for (size_t i = 0; i < n; i++) fprintf(stderr, "%s/%s ", p2ci_wnlex_word(x->lex, t[i].w), TN[t[i].tag]);
    fprintf(stderr, "\n");
  }
#endif
  ctx c = {x, t, n, out, P2C_OK};
  sent *s = malloc(sizeof *s);
  if (!s) return P2C_ERR_NOMEM;
  for (size_t i = 0; i < n; i++)
    if (t[i].np_head == 2) emit(&c, 1, t[i].w, -1, -1);
  for (size_t b = 0; b < n && !c.rc;) {
    size_t e = b;
    while (e < n && t[e].tag != T_STOP) e++;
    if (e > b) sentence(&c, b, e, s);
    b = e + 1;
  }
  free(s);
  return c.rc;
}
