/* SPICE-style tuple extraction: exact small cases, long multi-clause
 * descriptions, and the measured agreement with SPICE's real tuples (the
 * assertions are margins below the agreement reached; docs/metrics.md). */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "p2ceval.h"
#include "testutil.h"

static p2c_spice *sp;

static void setup(void)
{
  p2c_error err;
  ck_assert_int_eq(p2c_spice_create(NULL, &sp, &err), P2C_OK);
}

static void teardown(void)
{
  p2c_spice_free(sp);
  sp = NULL;
}

/* "a|b|c" key of a tuple in SPICE's printed order, "be " dropped. */
static void tuple_key(char *buf, size_t size, const p2c_spice_tuple *t)
{
  const char *r = t->arity == 3 ? t->w[1] : NULL;
  if (r && !strncmp(r, "be ", 3)) r += 3;
  if (t->arity == 1) snprintf(buf, size, "%s", t->w[0]);
  else if (t->arity == 2) snprintf(buf, size, "%s|%s", t->w[0], t->w[1]);
  else snprintf(buf, size, "%s|%s|%s", t->w[0], r, t->w[2]);
}

/* The distinct tuples of a caption as "key;key;..." sorted, for exact cases. */
static const char *tuples_of(const char *caption)
{
  static char out[4096];
  const p2c_spice_tuple *t;
  size_t n;
  ck_assert_int_eq(p2c_spice_extract(sp, caption, &t, &n), P2C_OK);
  char keys[128][128];
  size_t nk = 0;
  for (size_t i = 0; i < n && nk < 128; i++) {
    char k[128];
    tuple_key(k, sizeof k, &t[i]);
    size_t j = 0;
    while (j < nk && strcmp(keys[j], k)) j++;
    if (j == nk) strcpy(keys[nk++], k);
  }
  qsort(keys, nk, sizeof keys[0], (int (*)(const void *, const void *))strcmp);
  out[0] = '\0';
  for (size_t i = 0; i < nk; i++) {
    if (i) strcat(out, ";");
    strcat(out, keys[i]);
  }
  return out;
}

static int has_tuple(const char *caption, const char *key)
{
  const char *all = tuples_of(caption);
  size_t kl = strlen(key);
  for (const char *p = all; (p = strstr(p, key)); p++)
    if ((p == all || p[-1] == ';') && (p[kl] == ';' || p[kl] == '\0')) return 1;
  return 0;
}

/* The constructions SPICE_RULES.md lists, each as SPICE's tuple cache has it. */
START_TEST(exact_small_cases)
{
  static const struct {
    const char *caption, *tuples;
  } cases[] = {
    {"a man rides a horse", "horse;man;man|ride|horse"},
    {"a cat sits on a mat", "cat;cat|sit on|mat;mat"},
    {"a woman is smiling", "woman;woman|smile"},
    {"the man is tall", "man;man|tall"},
    {"the cat is on the table", "cat;cat|on|table;table"},
    {"two dogs play in the grass", "dog;dog|play in|grass;dog|two;grass"},
    {"a red and white bus", "bus;bus|red;bus|white"},
    {"a pile of carrots in a basket", "basket;carrot;carrot|in|basket;pile;pile|of|carrot"},
    {"the man 's watch", "man;man|have|watch;watch"},
    {"a tennis player on the court", "court;player|on|court;player|tennis"},
    {"a couple of cows in a field", "couple;cow;cow|a;cow|in|field;field"},
    {"there are dogs in the grass", "dog;dog|in|grass;grass"},
    /* a prenominal participle WordNet lists as an adjective keeps its form
     * (the cache: 124 times "sliced", 16 times a verb lemma) */
    {"parked cars on the street", "car;car|on|street;car|parked;street"},
    {"the men are eating sandwiches", "man;man|eat|sandwich;sandwich"},
    {"a bathroom has a toilet", "bathroom;bathroom|have|toilet;toilet"},
    {"a man is sitting in front of a computer", "computer;front;man;man|sit in front of|computer"},
    /* fragments SPICE's parser leaves without a verb relation */
    {"man sitting on a bed", "bed;man"},
    {"giraffe standing in the water", "standing|giraffe;standing|in|water;water"},
    /* people stays people; "close up of" leaves no relation, and the object
     * "close" only after an article */
    {"a close up of people", "close;people"},
    {"close up of a cat sitting on a chair", "cat;cat|sit on|chair;chair"},
    {"a close up of a black travel bag", "bag|black;bag|travel;close"},
    /* "holding" after a bare noun: a compound head, as SPICE's parser mostly reads it */
    {"young girl holding a kite in a field", "field;holding|girl;holding|young;kite;kite|in|field"},
    /* but not when its object ends the caption */
    {"young boy holding a cell phone", "boy;boy|young;phone|cell"},
    {"woman holding a red umbrella", "umbrella;umbrella|red;woman"},
    /* after the object of a verb without subject a prepositional phrase hangs
     * from the verb: no tuple; "at" and "down" do so after any verb's object */
    {"a person flying a blue kite in an open field", "field;field|open;kite;kite|blue;person"},
    {"man riding a bike down a street", "bike;man;street"},
    {"a woman is feeding a horse at a ranch", "horse;ranch;woman;woman|feed at|ranch;woman|feed|horse"},
    /* "it 's" read as "its"; a quantifier object ("lots of") lets the relation
     * reach its noun; an adjective after a noun passes its "of" phrase to the
     * noun; a participle between two nouns takes the pending verb's subject */
    {"a hungry giraffe is eating it 's food in the zoo",
     "food;food|in|zoo;giraffe;giraffe|eat|food;giraffe|have|food;giraffe|hungry;zoo"},
    {"a sky filled with lots of colorful flying kites", "kite;kite|colorful;kite|fly;lot;sky;sky|fill with|kite"},
    {"this is a room full of laptop computers", "computer;computer|laptop;room;room|of|computer"},
    {"a couple of cows standing on a grass covered hill",
     "couple;cow;cow|a;cow|cover|hill;cow|stand on|grass;grass;hill"},
    {"a couple of kids walking with umbrellas in their hands",
     "couple;hand;kid;kid|a;kid|have|hand;kid|walk with|umbrella;umbrella;umbrella|in|hand"},
    /* "in front of" split after the first noun of an article-less caption;
     * "on top of" in a relative clause leaves (X, of, Y) */
    {"street sign in front of a building", "building;front;sign|in|front;sign|of|building;sign|street"},
    {"a dog that is sitting on top of a bed", "bed;dog;dog|of|bed;top"},
    /* an opening "stop" is an imperative verb: no (sign, stop), its PPs no tuple */
    {"stop sign on the side of a street", "side;side|of|street;sign;street"},
    {"stop sign sitting on the side of a building", "building;side;side|of|building;sign;sign|sit on|side"},
    /* an opening bare "man" before "in" without other verb, or with "and
     * tie", is an imperative verb for SPICE's parser */
    {"man in a suit and tie", "suit"},
    {"man wearing a hat and tie", "hat"},
    {"man in a wetsuit on top of a blue and white surfboard",
     "surfboard;surfboard|blue;surfboard|white;top;wetsuit;wetsuit|on top of|surfboard"},
    /* "X of Y P Z" opening an article-less caption: P hangs from X */
    {"bowl of fruit and vegetables on a table",
     "bowl;bowl|of|fruit;bowl|of|vegetable;bowl|on|table;fruit;table;vegetable"},
    /* a caption opening with coordinated adjectives: the participle is an
     * intransitive main verb, its PP relation named by the preposition */
    {"black and white cat sitting on top of a tv", "cat;cat|on top of|tv;cat|sit;cat|white;top;tv"},
    /* a participle + "next to": "V to" (a finite verb keeps "V next to", below) */
    {"two cats laying next to a cup of coffee", "cat;cat|lay to|cup;cat|two;coffee;cup;cup|of|coffee"},
    /* an object pronoun resolves to the first noun (SPICE's pronoun resolution) */
    {"man is sitting on top of it", "man;man|sit on top of|man;top"},
    {"a large bus with a political ad on the side of it",
     "ad;ad|on|side;ad|political;bus;bus|large;bus|with|ad;side;side|of|bus"},
    /* a phrase after conjoined nouns without a verb hangs from the first */
    {"a bath and a sink in a room", "bath;bath|in|room;room;sink"},
    /* "standing", "grazing" after a singular noun: a compound head; "grazing"
     * after a plural: a noun of its own */
    {"a herd of zebra standing next to each other", "herd;herd|of|standing;standing|zebra"},
    {"horses grazing in a field by a large home",
     "field;field|by|home;grazing;grazing|in|field;home;home|large;horse"},
    /* "something" is no WordNet word: a noun all the same */
    {"a close up of a child eating something", "child;child|eat|something;close;something"},
    /* a colour noun conjoined with an adjective before a noun is an adjective */
    {"an orange and white cat sits inside a black suitcase",
     "cat;cat|orange;cat|sit inside|suitcase;cat|white;suitcase;suitcase|black"},
    /* in a caption without a finite verb, "N1 covered N2" after a
     * preposition hangs from the caption's first noun */
    {"a couple of kids standing on top of a grass covered field",
     "couple;field;grass;kid;kid|a;kid|cover|field;kid|stand on top of|grass;top"},
    /* a plural after a noun and before "and" is a compound head, not a verb */
    {"a desk with multiple computer monitors and a laptop",
     "desk;desk|with|laptop;desk|with|monitor;laptop;monitor|computer;monitor|multiple"},
    /* "X of Y P Z": P hangs from X only when X's phrase has no article */
    {"close up of a plate of food on a table", "food;food|on|table;plate;plate|of|food;table"},
    /* so with a participle later, before any finite verb */
    {"black and white photo of a train traveling down the tracks",
     "photo;photo|of|train;photo|white;track;train;train|travel down|track"},
    /* before "laying" both coordinated adjectives stay */
    {"black and white cat laying on top of a bed", "bed;cat;cat|black;cat|lay on top of|bed;cat|white;top"},
    /* a past participle after "X of Y" modifies X */
    {"a line of multiple buses parked along a wall", "bus;bus|multiple;line;line|of|bus;line|park along|wall;wall"},
    /* "to" before a noun phrase is a preposition */
    {"a street sign mounted to the side of a pole", "pole;side;side|of|pole;sign|mount to|side;sign|street"},
    /* "V1 and V2 object": the object goes to the first verb */
    {"a girl is sitting and eating some spaghetti", "girl;girl|eat;girl|sit|spaghetti;spaghetti"},
    /* "beside" after a verb's prepositional object hangs from the verb */
    {"a lamp shines on the nightstand beside the bed",
     "bed;lamp;lamp|shine beside|bed;lamp|shine on|nightstand;nightstand"},
    /* "about to": no preposition */
    {"a person about to swing a tennis racket", "person;racket|tennis"},
    {"the lady holds two umbrellas by the water",
     "lady;lady|hold by|water;lady|hold|umbrella;umbrella;umbrella|two;water"},
    {"people are riding electric scooters in front of a large building",
     "building;building|large;front;people;people|ride in front of|building;people|ride|scooter;scooter;"
     "scooter|electric"},
    /* a participle after the first noun keeps its subject when a finite verb follows */
    {"a guy wearing a white shirt holds up a white frisbee",
     "frisbee;frisbee|white;guy;guy|hold up|frisbee;guy|wear|shirt;shirt;shirt|white"},
    /* a verb form after a noun and before "while", "as": a verb */
    {"a young child smiles while brushing his teeth", "child;child|have|tooth;child|smile;child|young;tooth"},
    /* after "a" and a singular noun an -s form is a verb, not a plural compound head */
    {"a young toddler walks across the grass in a park",
     "grass;grass|in|park;park;toddler;toddler|walk across|grass;toddler|young"},
    /* a participle after "and" keeps a finite verb's subject, else none */
    {"a man is holding a surfboard and staring out into the ocean",
     "man;man|hold|surfboard;man|stare out into|ocean;ocean;surfboard"},
    {"a person riding an elephant and carrying gas cylinders", "cylinder|gas;elephant;person"},
    /* after a verb "on top of" stays whole */
    {"a cat is laying in an open suitcase on top of some clothes",
     "cat;cat|lay in|suitcase;clothes;suitcase;suitcase|on top of|clothes;suitcase|open;top"},
    {"a bed sitting underneath a painting on top of a hard wood floor",
     "bed;floor|hard;floor|wood;painting;painting|on top of|floor;top"},
    {"a man holding a white frisbee on top of a field",
     "field;frisbee;frisbee|on top of|field;frisbee|white;holding|man;top"},
    /* a fragment without verb with three prepositions: the later ones hang
     * from the first noun, a quantifier noun included; a later "of" does not
     * count */
    {"a group of people in a boat in the water",
     "boat;group;group|in|boat;group|in|water;group|of|people;people;water"},
    {"a couple of doughnuts on a napkin on a table",
     "couple;couple|on|napkin;couple|on|table;doughnut;doughnut|a;napkin;table"},
    {"a man with a jack hammer on the sidewalk next to a parking meter",
     "hammer|jack;man;man|next to|meter;man|on|sidewalk;man|with|hammer;meter|parking;sidewalk"},
    {"a dog on a boat in the middle of the water", "boat;boat|in|middle;dog;dog|on|boat;middle;middle|of|water;water"},
    /* in a fragment without verb, "in front of" as the second preposition
     * splits, its "of" part hanging from the first noun */
    {"street sign on a pole in front of a building",
     "building;front;pole;pole|in|front;sign|of|building;sign|on|pole;sign|street"},
    {"a group of people in front of a white building",
     "building;building|white;front;group;group|of|building;group|of|people;people;people|in|front"},
    /* "N1 covered N2" later in the caption is SPICE's finite verb: the
     * opening participle phrase is its subject's modifier, with relations;
     * "down" before N1 gives none */
    {"a woman riding skis across a snow covered slope",
     "ski;slope;snow;woman;woman|cover|slope;woman|ride across|snow;woman|ride|ski"},
    {"a young girl riding skis down a snow covered slope",
     "girl;girl|cover|slope;girl|ride|ski;girl|young;ski;slope;snow"},
    {"", ""},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
    ck_assert_msg(!strcmp(tuples_of(cases[i].caption), cases[i].tuples), "%s: got %s, want %s", cases[i].caption,
                  tuples_of(cases[i].caption), cases[i].tuples);
  ck_assert(has_tuple("a man stands next to a few pieces of luggage", "man|stand next to|piece"));
  /* a PP after "object of N" hangs from the verb */
  ck_assert(has_tuple("the woman is playing a game of tennis on the court", "woman|play on|court"));
}
END_TEST

/* Pix2Cap-style descriptions: several clauses, each with its own subject.
 * Tuples each must have ("|"-separated, SPICE's order) and must not have. */
static const struct {
  const char *text, *want[16], *absent[4];
} DESCRIPTIONS[] = {
    {"a man in a blue shirt is standing on a wooden dock next to a small white boat . he is holding a fishing rod in "
     "his right hand while a brown dog sits beside him on the dock .",
     {"man|in|shirt", "shirt|blue", "man|stand on|dock", "dock|wooden", "boat|small", "boat|white", "dock|next to|boat",
      "rod|fishing", "dog|brown", "dog|sit on|dock", "hand|right", "man", "shirt", "dog", "boat"},
     {NULL}},
    {"the large red double decker bus is driving down a busy city street , and several people are waiting at the bus "
     "stop under a green awning while two cars are parked along the curb",
     {"bus|drive down|street", "people|wait at|stop", "stop|under|awning", "people|several", "car|two", "street|busy",
      "bus|red", "awning|green", "curb"},
     {"bus|wait at|stop"}},
    {"a young woman with long brown hair wearing a white dress and black shoes sits on a wooden bench in a park , "
     "holding a small umbrella over her head as rain falls on the grass behind her",
     {"woman|young", "woman|with|hair", "hair|long", "dress|white", "shoe|black", "woman|sit on|bench",
      "woman|hold|umbrella", "umbrella|small", "rain|fall on|grass", "bench|wooden"},
     {NULL}},
    /* "full of", a pronoun object, "game of N at", "lots of" */
    {"a kitchen counter full of dirty dishes sits next to a window , and a black and white cat is sitting on top of "
     "it while two people are playing a game of cards at a wooden table in front of a large television with lots of "
     "cables behind it",
     {"counter|of|dish", "counter|sit next to|window", "cat|sit on top of|counter", "people|play|game", "game|of|card",
      "people|play at|table", "table|in front of|television", "television|with|cable", "counter|kitchen",
      "dish|dirty", "people|two", "table|wooden", "cat|white", "window", "card"},
     {"cat|sit next to|window", "full|of|dish", "cable|lot"}},
    /* a participle after "and" continuing a finite verb phrase, "to" as a
     * preposition, a clause opening with a participle phrase, "by" after a
     * verb's object */
    {"two dogs are sitting on the grass and eating some bread near a red bench , and a large white clock mounted to "
     "a wall of the old building shows the time while a young boy rides his bike by the fountain",
     {"dog|sit on|grass", "dog|eat|bread", "bread|near|bench", "clock|mount to|wall", "wall|of|building",
      "clock|show|time", "boy|ride|bike", "boy|ride by|fountain", "dog|two", "clock|white", "building|old", "boy|young",
      "bench|red", "fountain"},
     {"dog|show|time", "grass|eat|bread", "clock|mount|wall", "bike|by|fountain"}},
};

START_TEST(long_multi_clause_descriptions)
{
  for (size_t k = 0; k < sizeof DESCRIPTIONS / sizeof *DESCRIPTIONS; k++) {
    const char *text = DESCRIPTIONS[k].text;
    for (size_t i = 0; i < 16 && DESCRIPTIONS[k].want[i]; i++)
      ck_assert_msg(has_tuple(text, DESCRIPTIONS[k].want[i]), "description %zu: missing %s", k,
                    DESCRIPTIONS[k].want[i]);
    for (size_t i = 0; i < 4 && DESCRIPTIONS[k].absent[i]; i++)
      ck_assert_msg(!has_tuple(text, DESCRIPTIONS[k].absent[i]), "description %zu: has %s", k,
                    DESCRIPTIONS[k].absent[i]);
  }
  const char *a = DESCRIPTIONS[0].text;
  /* long input: bounded, no failure; scoring a description against itself is perfect */
  char big[8192] = "";
  for (int r = 0; r < 20; r++) strcat(big, "a dog with a red collar runs across the green grass toward a small boy . ");
  const p2c_spice_tuple *t;
  size_t n;
  ck_assert_int_eq(p2c_spice_extract(sp, big, &t, &n), P2C_OK);
  ck_assert_uint_gt(n, 100);
  p2c_spice_detail d;
  const char *refs[] = {a};
  ck_assert_int_eq(p2c_spice_score(sp, refs, 1, a, &d), P2C_OK);
  ck_assert(d.kind[P2C_SPICE_ALL].f == 1.0);
}
END_TEST

typedef struct agree {
  long tp[4], ours[4], real[4];
} agree;

/* Per caption, distinct tuples by kind: ours against SPICE's. */
static void add_agreement(agree *a, const char *caption, const cJSON *real)
{
  const p2c_spice_tuple *t;
  size_t n;
  ck_assert_int_eq(p2c_spice_extract(sp, caption, &t, &n), P2C_OK);
  static char ok[512][160], rk[512][160];
  size_t no = 0, nr = 0;
  for (size_t i = 0; i < n && no < 512; i++) {
    char k[128];
    tuple_key(k, sizeof k, &t[i]);
    snprintf(ok[no], sizeof ok[no], "%d%s", t[i].arity, k);
    size_t j = 0;
    while (j < no && strcmp(ok[j], ok[no])) j++;
    if (j == no) no++;
  }
  const cJSON *tu;
  cJSON_ArrayForEach(tu, real)
  {
    p2c_spice_tuple x = {0, {NULL, NULL, NULL}};
    const cJSON *w;
    cJSON_ArrayForEach(w, tu) x.w[x.arity++] = w->valuestring;
    char k[128];
    tuple_key(k, sizeof k, &x);
    snprintf(rk[nr], sizeof rk[nr], "%d%s", x.arity, k);
    size_t j = 0;
    while (j < nr && strcmp(rk[j], rk[nr])) j++;
    if (j == nr && nr < 511) nr++;
  }
  for (size_t i = 0; i < no; i++) {
    int kind = ok[i][0] - '0';
    a->ours[kind]++;
    for (size_t j = 0; j < nr; j++)
      if (!strcmp(ok[i], rk[j])) {
        a->tp[kind]++;
        break;
      }
  }
  for (size_t j = 0; j < nr; j++) a->real[rk[j][0] - '0']++;
}

START_TEST(agreement_with_spice_tuples)
{
  const char *path = p2ct_parity("spice/spice_parse_cache/captionmetrics_spice_cache.jsonl");
  if (!path) {
    p2ct_skip("SPICE tuple cache");
    return;
  }
  FILE *f = fopen(path, "r");
  ck_assert_ptr_nonnull(f);
  static char line[1 << 20];
  agree a = {{0}, {0}, {0}};
  size_t captions = 0;
  while (fgets(line, sizeof line, f)) {
    cJSON *o = cJSON_Parse(line);
    ck_assert_ptr_nonnull(o);
    add_agreement(&a, cJSON_GetObjectItem(o, "caption")->valuestring, cJSON_GetObjectItem(o, "tuples_spice_order"));
    captions++;
    cJSON_Delete(o);
  }
  fclose(f);
  static const char *const names[4] = {"", "objects", "attributes", "relations"};
  double p[4], r[4];
  for (int k = 1; k <= 3; k++) {
    p[k] = (double)a.tp[k] / (double)a.ours[k];
    r[k] = (double)a.tp[k] / (double)a.real[k];
    printf("spice-style tuples vs SPICE's on %zu captions: %s P %.3f R %.3f (%ld matched, %ld ours, %ld SPICE's)\n",
           captions, names[k], p[k], r[k], a.tp[k], a.ours[k], a.real[k]);
  }
  ck_assert_uint_eq(captions, 5787);
  /* margins ~0.01 below what this version reaches (docs/metrics.md) */
  ck_assert(p[1] >= 0.930 && r[1] >= 0.914);
  ck_assert(p[2] >= 0.820 && r[2] >= 0.810);
  ck_assert(p[3] >= 0.701 && r[3] >= 0.743);
}
END_TEST

START_TEST(demo_corpus_against_official)
{
  const char *path = p2ct_parity("spice/coco_demo_fakecap/demo_corpus_with_real_tuples.jsonl");
  if (!path) {
    p2ct_skip("SPICE demo corpus");
    return;
  }
  FILE *f = fopen(path, "r");
  ck_assert_ptr_nonnull(f);
  static char line[1 << 20];
  static double ours[1000], real[1000];
  static p2c_spice_tuple rt[4096], ht[512];
  size_t n = 0;
  while (fgets(line, sizeof line, f) && n < 1000) {
    cJSON *o = cJSON_Parse(line);
    const char *refs[64];
    size_t nr = 0;
    const cJSON *r;
    cJSON_ArrayForEach(r, cJSON_GetObjectItem(o, "refs")) if (nr < 64) refs[nr++] = r->valuestring;
    p2c_spice_detail d;
    ck_assert_int_eq(p2c_spice_score(sp, refs, nr, cJSON_GetObjectItem(o, "test")->valuestring, &d), P2C_OK);
    ours[n] = d.kind[P2C_SPICE_ALL].f;
    /* SPICE's per-image value: its own tuples through the exact scoring */
    size_t nrt = 0, nht = 0;
    const cJSON *tl, *tu, *w;
    cJSON_ArrayForEach(tl, cJSON_GetObjectItem(o, "refs_tuples_real")) cJSON_ArrayForEach(tu, tl)
    {
      rt[nrt].arity = 0;
      cJSON_ArrayForEach(w, tu) rt[nrt].w[rt[nrt].arity++] = w->valuestring;
      nrt++;
    }
    cJSON_ArrayForEach(tu, cJSON_GetObjectItem(o, "test_tuples_real"))
    {
      ht[nht].arity = 0;
      cJSON_ArrayForEach(w, tu) ht[nht].w[ht[nht].arity++] = w->valuestring;
      nht++;
    }
    ck_assert_int_eq(p2c_spice_score_tuples(sp, rt, nrt, ht, nht, &d), P2C_OK);
    real[n++] = d.kind[P2C_SPICE_ALL].f;
    cJSON_Delete(o);
  }
  fclose(f);
  ck_assert_uint_eq(n, 1000);
  double corpus = p2c_spice_corpus(ours, n), mo = 0, mr = 0;
  for (size_t i = 0; i < n; i++) {
    mo += ours[i];
    mr += real[i];
  }
  mo /= (double)n;
  mr /= (double)n;
  double sor = 0, soo = 0, srr = 0;
  for (size_t i = 0; i < n; i++) {
    sor += (ours[i] - mo) * (real[i] - mr);
    soo += (ours[i] - mo) * (ours[i] - mo);
    srr += (real[i] - mr) * (real[i] - mr);
  }
  double pearson = sor / sqrt(soo * srr);
  printf("spice-style on the demo corpus: %.5f (official SPICE 0.13289, |diff| %.4f); per-image Pearson with SPICE "
         "%.4f\n",
         corpus, fabs(corpus - 0.13288891803208092), pearson);
  /* margins below what this version reaches (|diff| 0.0019, Pearson 0.951) */
  ck_assert(fabs(corpus - 0.13288891803208092) <= 0.0025);
  ck_assert(pearson >= 0.945);
}
END_TEST

/* The small published examples: printed, with loose bounds (2 images each). */
START_TEST(published_small_examples)
{
  const char *good = p2ct_parity("spice/clipscore_example/spice_input_good_ptb_approx.json");
  if (!good) {
    p2ct_skip("clipscore example");
    return;
  }
  const char *files[3] = {"spice/clipscore_example/spice_input_good_ptb_approx.json",
                          "spice/clipscore_example/spice_input_bad_ptb_approx.json",
                          "spice/language_evaluation_example/spice_input_raw.json"};
  const double official[3] = {0.4, 0.15, 0.6666666666666666};
  /* SPICE's parser reads the questions "am i a boy ?" differently from the
   * statements; rules read them alike, hence the wider bound there */
  const double bound[3] = {0.1, 0.1, 0.35};
  for (int k = 0; k < 3; k++) {
    cJSON *arr = p2ct_parity_json(files[k]);
    ck_assert_ptr_nonnull(arr);
    double fs[8];
    size_t n = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, arr)
    {
      const char *refs[16];
      size_t nr = 0;
      const cJSON *r;
      cJSON_ArrayForEach(r, cJSON_GetObjectItem(it, "refs")) refs[nr++] = r->valuestring;
      p2c_spice_detail d;
      ck_assert_int_eq(p2c_spice_score(sp, refs, nr, cJSON_GetObjectItem(it, "test")->valuestring, &d), P2C_OK);
      fs[n++] = d.kind[P2C_SPICE_ALL].f;
    }
    cJSON_Delete(arr);
    double got = p2c_spice_corpus(fs, n);
    printf("%s: spice-style %.4f, official SPICE %.4f\n", files[k], got, official[k]);
    ck_assert(fabs(got - official[k]) <= bound[k]);
  }
}
END_TEST

/* Through the caption-scoring handle, metric "SPICE". */
START_TEST(captions_handle_metric)
{
  p2c_error err;
  p2c_captions_options o = P2C_CAPTIONS_OPTIONS_INIT;
  o.text = P2C_TEXT_TOKENIZED;
  o.metrics = "SPICE";
  p2c_captions *c = NULL;
  ck_assert_int_eq(p2c_captions_create(&o, &c, &err), P2C_OK);
  const char *r1[] = {"a cat sits on a mat", "a black cat on a mat"};
  const char *r2[] = {"two dogs play in the grass"};
  ck_assert_int_eq(p2c_captions_add(c, "1", r1, 2, "a cat sits on a red mat"), P2C_OK);
  ck_assert_int_eq(p2c_captions_add(c, "2", r2, 1, "a dog runs"), P2C_OK);
  ck_assert_int_eq(p2c_captions_score(c), P2C_OK);
  size_t m;
  ck_assert_int_eq(p2c_captions_metric_index(c, "SPICE", &m), P2C_OK);
  double f1, f2, corpus;
  ck_assert_int_eq(p2c_captions_item_score(c, 0, m, &f1), P2C_OK);
  ck_assert_int_eq(p2c_captions_item_score(c, 1, m, &f2), P2C_OK);
  ck_assert_int_eq(p2c_captions_corpus(c, m, &corpus), P2C_OK);
  p2c_spice_detail d1, d2;
  ck_assert_int_eq(p2c_spice_score(sp, r1, 2, "a cat sits on a red mat", &d1), P2C_OK);
  ck_assert_int_eq(p2c_spice_score(sp, r2, 1, "a dog runs", &d2), P2C_OK);
  ck_assert(f1 == d1.kind[P2C_SPICE_ALL].f && f2 == d2.kind[P2C_SPICE_ALL].f);
  ck_assert(corpus == (f1 + f2) / 2);
  /* cat, mat, (cat, sit on, mat) match; (mat, red) does not: 3 of 4 vs 3 of 5 */
  ck_assert_int_eq(d1.kind[P2C_SPICE_ALL].tp, 3);
  ck_assert_int_eq(d1.kind[P2C_SPICE_ALL].fp, 1);
  ck_assert_int_eq(d1.kind[P2C_SPICE_ALL].fn, 2);
  p2c_captions_free(c);
  ck_assert_int_eq(p2c_captions_create(&o, &c, &err), P2C_OK);
  ck_assert_int_eq(p2c_captions_set_option(c, "SPICE.wordnet_dir", "/nonexistent"), P2C_OK);
  ck_assert_int_eq(p2c_captions_add(c, "1", r1, 2, "a cat"), P2C_OK);
  ck_assert_int_eq(p2c_captions_score(c), P2C_ERR_IO);
  ck_assert_ptr_nonnull(strstr(p2c_captions_last_error(c), "/nonexistent"));
  p2c_captions_free(c);
}
END_TEST

Suite *suite(void);
Suite *suite(void)
{
  Suite *s = suite_create("spice_extract");
  TCase *tc = tcase_create("extract");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, exact_small_cases);
  tcase_add_test(tc, long_multi_clause_descriptions);
  tcase_add_test(tc, agreement_with_spice_tuples);
  tcase_add_test(tc, demo_corpus_against_official);
  tcase_add_test(tc, published_small_examples);
  tcase_add_test(tc, captions_handle_metric);
  suite_add_tcase(s, tc);
  return s;
}

int main(void)
{
  return p2ct_run(suite());
}
