#include "synth/catalog.h"

#include <stddef.h>

/* Ids, names, supercategories and colours as in COCO panoptic (panopticapi's
 * panoptic_coco_categories.json). */
const p2ci_category p2ci_categories[] = {
    {1, "person", "person", 1, {220, 20, 60}},
    {2, "bicycle", "vehicle", 1, {119, 11, 32}},
    {3, "car", "vehicle", 1, {0, 0, 142}},
    {6, "bus", "vehicle", 1, {0, 60, 100}},
    {8, "truck", "vehicle", 1, {0, 0, 70}},
    {15, "bench", "outdoor", 1, {250, 0, 30}},
    {16, "bird", "animal", 1, {165, 42, 42}},
    {17, "cat", "animal", 1, {255, 77, 255}},
    {18, "dog", "animal", 1, {0, 226, 252}},
    {19, "horse", "animal", 1, {182, 182, 255}},
    {28, "umbrella", "accessory", 1, {0, 125, 92}},
    {44, "bottle", "kitchen", 1, {197, 226, 255}},
    {47, "cup", "kitchen", 1, {109, 63, 54}},
    {62, "chair", "furniture", 1, {153, 69, 1}},
    {63, "couch", "furniture", 1, {3, 95, 161}},
    {64, "potted plant", "furniture", 1, {163, 255, 0}},
    {67, "dining table", "furniture", 1, {0, 182, 199}},
    {72, "tv", "electronic", 1, {183, 130, 88}},
    {85, "clock", "indoor", 1, {196, 172, 0}},
    {86, "vase", "indoor", 1, {95, 54, 80}},
    {118, "floor-wood", "floor", 0, {218, 88, 184}},
    {149, "road", "ground", 0, {128, 64, 128}},
    {154, "sand", "ground", 0, {254, 212, 124}},
    {155, "sea", "water", 0, {73, 77, 174}},
    {159, "snow", "ground", 0, {255, 255, 255}},
    {171, "wall-brick", "wall", 0, {137, 54, 74}},
    {177, "wall-wood", "wall", 0, {107, 255, 200}},
    {184, "tree-merged", "plant", 0, {107, 142, 35}},
    {187, "sky-other-merged", "sky", 0, {70, 130, 180}},
    {190, "floor-other-merged", "floor", 0, {96, 36, 108}},
    {191, "pavement-merged", "ground", 0, {96, 96, 96}},
    {192, "mountain-merged", "solid", 0, {64, 170, 64}},
    {193, "grass-merged", "plant", 0, {152, 251, 152}},
    {194, "dirt-merged", "ground", 0, {208, 229, 228}},
    {197, "building-other-merged", "building", 0, {116, 112, 0}},
    {199, "wall-other-merged", "wall", 0, {102, 102, 156}},
};
const int p2ci_num_categories = (int)(sizeof p2ci_categories / sizeof p2ci_categories[0]);

const p2ci_colour p2ci_colours[P2CI_NUM_COLOURS] = {
    {"red", {196, 32, 36}},      {"blue", {36, 72, 196}},     {"green", {46, 140, 56}},
    {"yellow", {232, 204, 40}},  {"white", {236, 236, 232}},  {"black", {30, 30, 34}},
    {"brown", {118, 72, 36}},    {"grey", {124, 124, 128}},   {"orange", {236, 132, 24}},
    {"pink", {236, 146, 178}},   {"purple", {116, 52, 148}},  {"silver", {184, 188, 196}},
    {"beige", {216, 196, 158}},  {"tan", {198, 156, 106}},    {"dark blue", {24, 34, 96}},
    {"light blue", {146, 188, 236}}, {"golden", {214, 166, 58}},
};

#define E P2CI_PRIM_ELLIPSE
#define B P2CI_PRIM_BOX
#define M P2CI_ROLE_MAIN
#define S P2CI_ROLE_SECOND
#define D P2CI_ROLE_DARK
#define K P2CI_ROLE_SKIN
#define L P2CI_ROLE_LEAF
#define W P2CI_ROLE_WHITE
#define G P2CI_ROLE_GLASS
#define ANY_COLOUR {P2CI_RED, P2CI_BLUE, P2CI_GREEN, P2CI_YELLOW, P2CI_WHITE, P2CI_BLACK, P2CI_ORANGE, P2CI_PURPLE}
#define FUR {P2CI_BROWN, P2CI_BLACK, P2CI_WHITE, P2CI_TAN, P2CI_GREY, P2CI_GOLDEN, -1}

/* Templates are side views in the instance's unit box, later parts drawn over
 * earlier ones. */
const p2ci_thing_kind p2ci_thing_kinds[] = {
    {1, {"man", "woman", "person"}, {"standing", "walking", "waiting"}, 0.42f, 0.28f, 0.62f,
     P2CI_PLACE_GROUND, 1, 1, ANY_COLOUR, {NULL},
     {"wearing a %1 shirt and %2 trousers", "in a %1 jacket and %2 pants", NULL}, 3,
     {{B, S, 0.25f, 0.56f, 0.75f, 1.0f}, {B, M, 0.12f, 0.2f, 0.88f, 0.62f}, {E, K, 0.3f, 0.0f, 0.7f, 0.24f}}},
    {2, {"bicycle", "bike", "bicycle"}, {"parked", "leaning", "standing"}, 1.6f, 0.15f, 0.3f,
     P2CI_PLACE_GROUND, 0, 0, {P2CI_RED, P2CI_BLUE, P2CI_GREEN, P2CI_BLACK, P2CI_SILVER, P2CI_YELLOW, -1},
     {"metal", "steel", NULL}, {"with thin black tyres", "with a small basket", "with a narrow seat", NULL}, 4,
     {{E, D, 0.0f, 0.45f, 0.42f, 1.0f}, {E, D, 0.58f, 0.45f, 1.0f, 1.0f}, {B, M, 0.18f, 0.4f, 0.82f, 0.62f},
      {B, M, 0.2f, 0.15f, 0.36f, 0.42f}}},
    {3, {"car", "sedan", "car"}, {"parked", "driving", "parked"}, 2.0f, 0.16f, 0.34f,
     P2CI_PLACE_GROUND, 0, 0, {P2CI_RED, P2CI_BLUE, P2CI_WHITE, P2CI_BLACK, P2CI_SILVER, P2CI_YELLOW, P2CI_GREEN, -1},
     {"shiny", "metal", NULL}, {"with tinted windows", "with black wheels", "with a shiny hood", NULL}, 5,
     {{B, M, 0.0f, 0.38f, 1.0f, 0.84f}, {B, M, 0.2f, 0.08f, 0.78f, 0.42f}, {B, G, 0.26f, 0.14f, 0.72f, 0.38f},
      {E, D, 0.1f, 0.66f, 0.32f, 1.0f}, {E, D, 0.68f, 0.66f, 0.9f, 1.0f}}},
    {6, {"bus", "city bus", "bus"}, {"driving", "parked", "waiting"}, 2.4f, 0.3f, 0.5f,
     P2CI_PLACE_GROUND, 0, 0, {P2CI_RED, P2CI_YELLOW, P2CI_WHITE, P2CI_BLUE, P2CI_GREEN, -1},
     {NULL}, {"with large windows along its side", "with a long roof", NULL}, 4,
     {{B, M, 0.0f, 0.0f, 1.0f, 0.86f}, {B, G, 0.04f, 0.1f, 0.96f, 0.38f}, {E, D, 0.1f, 0.72f, 0.26f, 1.0f},
      {E, D, 0.74f, 0.72f, 0.9f, 1.0f}}},
    {8, {"truck", "lorry", "truck"}, {"parked", "driving", "parked"}, 2.2f, 0.26f, 0.46f,
     P2CI_PLACE_GROUND, 0, 1, {P2CI_RED, P2CI_BLUE, P2CI_WHITE, P2CI_ORANGE, P2CI_GREEN, -1},
     {NULL}, {"with a %2 cargo box", "with a large %2 trailer", NULL}, 5,
     {{B, S, 0.3f, 0.0f, 1.0f, 0.84f}, {B, M, 0.0f, 0.22f, 0.32f, 0.84f}, {B, G, 0.04f, 0.28f, 0.24f, 0.5f},
      {E, D, 0.06f, 0.7f, 0.24f, 1.0f}, {E, D, 0.72f, 0.7f, 0.9f, 1.0f}}},
    {15, {"bench", "park bench", "bench"}, {"standing", "placed", "standing"}, 2.2f, 0.14f, 0.26f,
     P2CI_PLACE_GROUND, 0, 0, {P2CI_BROWN, P2CI_GREEN, P2CI_BLACK, P2CI_GREY, P2CI_WHITE, -1},
     {"wooden", "metal", NULL}, {"with a slatted back", "with curved armrests", NULL}, 4,
     {{B, M, 0.0f, 0.05f, 1.0f, 0.3f}, {B, M, 0.0f, 0.4f, 1.0f, 0.55f}, {B, D, 0.05f, 0.55f, 0.12f, 1.0f},
      {B, D, 0.88f, 0.55f, 0.95f, 1.0f}}},
    {16, {"bird", "songbird", "bird"}, {"standing", "perched", "resting"}, 1.4f, 0.05f, 0.1f,
     P2CI_PLACE_AIR, 0, 0, {P2CI_BLACK, P2CI_WHITE, P2CI_BROWN, P2CI_GREY, P2CI_BLUE, P2CI_RED, -1},
     {NULL}, {"with spread wings", "with a short beak", NULL}, 3,
     {{E, M, 0.05f, 0.3f, 0.8f, 0.9f}, {E, M, 0.6f, 0.08f, 0.98f, 0.5f}, {B, D, 0.0f, 0.4f, 0.2f, 0.6f}}},
    {17, {"cat", "kitten", "cat"}, {"sitting", "lying", "resting"}, 1.4f, 0.1f, 0.2f,
     P2CI_PLACE_GROUND, 0, 0, FUR, {NULL}, {"with a long tail", "with pointed ears", "with green eyes", NULL}, 5,
     {{E, M, 0.0f, 0.32f, 0.78f, 0.86f}, {E, M, 0.62f, 0.06f, 1.0f, 0.5f}, {B, M, 0.1f, 0.72f, 0.2f, 1.0f},
      {B, M, 0.55f, 0.72f, 0.65f, 1.0f}, {B, M, 0.66f, 0.0f, 0.74f, 0.14f}}},
    {18, {"dog", "puppy", "dog"}, {"standing", "sitting", "running"}, 1.35f, 0.14f, 0.28f,
     P2CI_PLACE_GROUND, 0, 0, FUR, {NULL}, {"with floppy ears", "with a fluffy tail", "with a short coat", NULL}, 5,
     {{E, M, 0.0f, 0.3f, 0.8f, 0.8f}, {E, M, 0.62f, 0.05f, 1.0f, 0.48f}, {B, M, 0.1f, 0.68f, 0.22f, 1.0f},
      {B, M, 0.56f, 0.68f, 0.68f, 1.0f}, {E, D, 0.78f, 0.05f, 0.9f, 0.3f}}},
    {19, {"horse", "pony", "horse"}, {"standing", "grazing", "walking"}, 1.3f, 0.3f, 0.5f,
     P2CI_PLACE_GROUND, 0, 0, {P2CI_BROWN, P2CI_BLACK, P2CI_WHITE, P2CI_TAN, P2CI_GREY, -1},
     {NULL}, {"with a long mane", "with a leather saddle", "with white socks", NULL}, 6,
     {{E, M, 0.0f, 0.2f, 0.82f, 0.66f}, {E, M, 0.68f, 0.0f, 1.0f, 0.36f}, {B, M, 0.06f, 0.55f, 0.16f, 1.0f},
      {B, M, 0.24f, 0.55f, 0.34f, 1.0f}, {B, M, 0.5f, 0.55f, 0.6f, 1.0f}, {B, M, 0.66f, 0.55f, 0.76f, 1.0f}}},
    {28, {"umbrella", "parasol", "umbrella"}, {"standing", "open", "planted"}, 1.0f, 0.25f, 0.45f,
     P2CI_PLACE_GROUND, 0, 0, {P2CI_RED, P2CI_BLUE, P2CI_YELLOW, P2CI_ORANGE, P2CI_PINK, P2CI_WHITE, P2CI_PURPLE, -1},
     {"nylon", "cotton", NULL}, {"with an open canopy", "with a thin pole", NULL}, 2,
     {{B, D, 0.47f, 0.2f, 0.53f, 1.0f}, {E, M, 0.0f, 0.0f, 1.0f, 0.45f}}},
    {44, {"bottle", "glass bottle", "bottle"}, {"standing", "placed", "standing"}, 0.35f, 0.12f, 0.22f,
     P2CI_PLACE_TABLE, 0, 0, {P2CI_GREEN, P2CI_BROWN, P2CI_BLUE, P2CI_WHITE, -1},
     {"glass", "plastic", NULL}, {"with a narrow neck", "with a white label", NULL}, 2,
     {{B, M, 0.1f, 0.32f, 0.9f, 1.0f}, {B, M, 0.36f, 0.0f, 0.64f, 0.34f}}},
    {47, {"cup", "mug", "cup"}, {"standing", "placed", "sitting"}, 1.1f, 0.07f, 0.13f,
     P2CI_PLACE_TABLE, 0, 0, {P2CI_WHITE, P2CI_RED, P2CI_BLUE, P2CI_YELLOW, P2CI_LIGHT_BLUE, P2CI_BLACK, -1},
     {"ceramic", "glass", "plastic", NULL}, {"with a small handle", "filled with coffee", NULL}, 2,
     {{E, M, 0.62f, 0.25f, 1.0f, 0.75f}, {B, M, 0.0f, 0.08f, 0.76f, 1.0f}}},
    {62, {"chair", "seat", "chair"}, {"standing", "placed", "standing"}, 0.8f, 0.25f, 0.42f,
     P2CI_PLACE_GROUND, 0, 0, {P2CI_BROWN, P2CI_BLACK, P2CI_WHITE, P2CI_RED, P2CI_BLUE, P2CI_GREEN, -1},
     {"wooden", "metal", "plastic", NULL}, {"with a curved back", "with four thin legs", "with a padded seat", NULL}, 4,
     {{B, M, 0.7f, 0.0f, 0.86f, 0.56f}, {B, M, 0.08f, 0.46f, 0.86f, 0.6f}, {B, M, 0.1f, 0.6f, 0.2f, 1.0f},
      {B, M, 0.74f, 0.6f, 0.84f, 1.0f}}},
    {63, {"couch", "sofa", "couch"}, {"standing", "placed", "standing"}, 2.2f, 0.26f, 0.4f,
     P2CI_PLACE_GROUND, 0, 0, {P2CI_GREY, P2CI_BLUE, P2CI_GREEN, P2CI_BROWN, P2CI_BEIGE, P2CI_RED, -1},
     {"leather", "fabric", "velvet", NULL}, {"with several soft cushions", "with a low back", NULL}, 4,
     {{B, M, 0.0f, 0.1f, 1.0f, 0.5f}, {B, M, 0.0f, 0.45f, 1.0f, 0.9f}, {B, M, 0.0f, 0.3f, 0.12f, 0.92f},
      {B, M, 0.88f, 0.3f, 1.0f, 0.92f}}},
    {64, {"potted plant", "house plant", "plant"}, {"standing", "placed", "growing"}, 0.75f, 0.18f, 0.32f,
     P2CI_PLACE_GROUND, 1, 0, {P2CI_BROWN, P2CI_WHITE, P2CI_ORANGE, P2CI_GREY, P2CI_BLUE, -1},
     {NULL}, {"in a %1 pot with green leaves", "with broad green leaves in a %1 pot", NULL}, 2,
     {{E, L, 0.0f, 0.0f, 1.0f, 0.7f}, {B, M, 0.22f, 0.6f, 0.78f, 1.0f}}},
    {67, {"table", "dining table", "table"}, {"standing", "placed", "standing"}, 1.8f, 0.2f, 0.32f,
     P2CI_PLACE_GROUND, 0, 0, {P2CI_BROWN, P2CI_WHITE, P2CI_BLACK, P2CI_TAN, P2CI_GREY, -1},
     {"wooden", "metal", NULL}, {"with four sturdy legs", "with a smooth top", NULL}, 3,
     {{B, M, 0.0f, 0.0f, 1.0f, 0.16f}, {B, M, 0.05f, 0.16f, 0.13f, 1.0f}, {B, M, 0.87f, 0.16f, 0.95f, 1.0f}}},
    {72, {"tv", "television", "tv"}, {"standing", "mounted", "standing"}, 1.5f, 0.16f, 0.28f,
     P2CI_PLACE_WALL, 0, 0, {P2CI_BLACK, P2CI_SILVER, P2CI_GREY, P2CI_WHITE, -1},
     {NULL}, {"with a dark screen", "with a thin frame", NULL}, 2,
     {{B, M, 0.0f, 0.0f, 1.0f, 1.0f}, {B, D, 0.07f, 0.08f, 0.93f, 0.9f}}},
    {85, {"clock", "wall clock", "clock"}, {"hanging", "mounted", "hanging"}, 1.0f, 0.1f, 0.18f,
     P2CI_PLACE_WALL, 0, 0, {P2CI_BLACK, P2CI_BROWN, P2CI_RED, P2CI_SILVER, P2CI_WHITE, -1},
     {"wooden", "plastic", NULL}, {"with a round white face", "with black hands", NULL}, 2,
     {{E, M, 0.0f, 0.0f, 1.0f, 1.0f}, {E, W, 0.14f, 0.14f, 0.86f, 0.86f}}},
    {86, {"vase", "flower vase", "vase"}, {"standing", "placed", "standing"}, 0.6f, 0.1f, 0.18f,
     P2CI_PLACE_TABLE, 0, 0, {P2CI_BLUE, P2CI_WHITE, P2CI_RED, P2CI_GREEN, P2CI_YELLOW, -1},
     {"ceramic", "glass", NULL}, {"with a narrow neck", "with a painted pattern", NULL}, 2,
     {{E, M, 0.0f, 0.3f, 1.0f, 1.0f}, {B, M, 0.3f, 0.0f, 0.7f, 0.4f}}},
};
const int p2ci_num_thing_kinds = (int)(sizeof p2ci_thing_kinds / sizeof p2ci_thing_kinds[0]);

const p2ci_stuff_kind p2ci_stuff_kinds[] = {
    {187, "the clear blue sky", "blue sky", "with a few white clouds", "stretching over the scene", "in"},
    {184, "a row of dark green trees", "green trees", "with dense leaves", "growing along the horizon", "in front of"},
    {197, "a tall grey building", "grey building", "with many small windows", "rising in the background", "in front of"},
    {192, "the distant green hills", "green hills", "with gentle slopes", "rolling along the horizon", "on"},
    {149, "the grey asphalt road", "grey road", "with white lane markings", "running across the scene", "on"},
    {191, "the paved grey sidewalk", "grey sidewalk", "with small square tiles", "running along the street", "on"},
    {193, "the bright green grass", "green grass", "with a few darker patches", "covering the ground", "on"},
    {194, "the dusty brown dirt", "brown dirt", "with small stones", "covering the ground", "on"},
    {154, "the pale sandy beach", "sandy beach", "with tiny pebbles", "stretching along the shore", "on"},
    {155, "the calm blue sea", "blue sea", "with small waves", "stretching to the horizon", "in front of"},
    {159, "the fresh white snow", "white snow", "with soft blue shadows", "covering the ground", "on"},
    {199, "the plain %c wall", "%c wall", "with a smooth surface", "filling the background", "against"},
    {171, "the red brick wall", "brick wall", "with neat rows of bricks", "filling the background", "against"},
    {177, "the wooden panelled wall", "wooden wall", "with vertical boards", "filling the background", "against"},
    {118, "the brown wooden floor", "wooden floor", "with long planks", "covering the bottom of the room", "on"},
    {190, "the grey tiled floor", "tiled floor", "with square tiles", "covering the bottom of the room", "on"},
};
const int p2ci_num_stuff_kinds = (int)(sizeof p2ci_stuff_kinds / sizeof p2ci_stuff_kinds[0]);

const p2ci_scene_kind p2ci_scene_kinds[] = {
    {"street", {{187, 0}, {-1, 197, 184, 0}, {191, 0}, {149, 0}}, {0.3f, 0.45f, 0.6f, 1.0f},
     {1, 3, 6, 8, 2, 18, 15, 16, 28, 0}, 0},
    {"park", {{187, 0}, {-1, 184, 192, 0}, {193, 0}, {-1, 194, 149, 0}}, {0.3f, 0.45f, 0.82f, 1.0f},
     {1, 18, 15, 2, 16, 19, 28, 17, 0}, 0},
    {"beach", {{187, 0}, {155, 0}, {154, 0}, {0}}, {0.35f, 0.55f, 1.0f, 1.0f}, {1, 18, 28, 16, 0}, 0},
    {"snow", {{187, 0}, {-1, 192, 184, 0}, {159, 0}, {0}}, {0.35f, 0.5f, 1.0f, 1.0f}, {1, 18, 19, 16, 3, 0}, 0},
    {"room", {{199, 171, 177, 0}, {118, 190, 0}, {0}, {0}}, {0.6f, 1.0f, 1.0f, 1.0f},
     {62, 63, 67, 72, 85, 86, 64, 47, 44, 17, 18, 1}, 1},
};
const int p2ci_num_scene_kinds = (int)(sizeof p2ci_scene_kinds / sizeof p2ci_scene_kinds[0]);

int p2ci_category_index(int category_id)
{
  for (int i = 0; i < p2ci_num_categories; i++)
    if (p2ci_categories[i].id == category_id) return i;
  return -1;
}

const p2ci_thing_kind *p2ci_thing_kind_of(int category_id)
{
  for (int i = 0; i < p2ci_num_thing_kinds; i++)
    if (p2ci_thing_kinds[i].category_id == category_id) return &p2ci_thing_kinds[i];
  return NULL;
}

const p2ci_stuff_kind *p2ci_stuff_kind_of(int category_id)
{
  for (int i = 0; i < p2ci_num_stuff_kinds; i++)
    if (p2ci_stuff_kinds[i].category_id == category_id) return &p2ci_stuff_kinds[i];
  return NULL;
}
