/*
 * libp2ceval: scoring for panoptic segmentation-captioning (Pix2Cap-COCO).
 *
 * This header is the whole public API. Conventions, stated once:
 *
 *  - Every symbol is prefixed p2c_, every macro P2C_.
 *  - Functions that can fail return an int status: P2C_OK (0) or a negative
 *    p2c_status value. p2c_strerror() names a status; handles also keep the
 *    message of their last failure (p2c_<handle>_last_error()). Constructors,
 *    which have no handle yet, fill an optional caller-owned p2c_error.
 *  - Opaque handles come in create/free pairs. Every *_free(NULL) is a no-op.
 *  - Options are versioned structs initialised with their P2C_..._INIT macro;
 *    passing NULL means "all defaults".
 *  - Ownership: the caller owns what it passes in and keeps owning it; the
 *    library copies what it needs. Pointers the library returns ("borrowed")
 *    stay valid until the handle they came from is freed or modified.
 *  - Thread-safety: there is no global state and no init call. A handle may be
 *    used from one thread at a time; distinct handles are independent. Read-only
 *    accessors on a handle that is no longer modified may be called from many
 *    threads at once.
 *  - The library never prints, never exits and never aborts on bad input.
 */
#ifndef P2CEVAL_H
#define P2CEVAL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- version ------------------------------------------------------------- */
#define P2C_VERSION_MAJOR 0
#define P2C_VERSION_MINOR 1
#define P2C_VERSION_PATCH 0
#define P2C_VERSION_NUMBER \
  (P2C_VERSION_MAJOR * 10000 + P2C_VERSION_MINOR * 100 + P2C_VERSION_PATCH)

#if defined(P2C_BUILDING_LIBRARY) && defined(__GNUC__)
#define P2C_API __attribute__((visibility("default")))
#else
#define P2C_API
#endif

/* "0.1.0". Static storage. Thread-safe. */
P2C_API const char *p2c_version_string(void);
/* P2C_VERSION_NUMBER of the library actually linked. Thread-safe. */
P2C_API unsigned p2c_version_number(void);

/* ---- status codes (values are pinned: never renumbered) ------------------ */
typedef enum p2c_status {
  P2C_OK = 0,
  P2C_ERR_NOMEM = -1,       /* allocation failed */
  P2C_ERR_INVALID_ARG = -2, /* a NULL or out-of-range argument */
  P2C_ERR_IO = -3,          /* a file could not be opened, read or written */
  P2C_ERR_PARSE = -4,       /* malformed JSON, PNG, gzip, RLE, table, ... */
  P2C_ERR_SCHEMA = -5,      /* well-formed input with missing/wrong fields */
  P2C_ERR_MISMATCH = -6,    /* inputs disagree (ids, sizes, keys) */
  P2C_ERR_LIMIT = -7,       /* a safety limit was exceeded */
  P2C_ERR_UNSUPPORTED = -8, /* a valid request this build cannot serve */
  P2C_ERR_NOT_FOUND = -9,   /* a named item does not exist */
  P2C_ERR_VERSION = -10,    /* a serialized state of another version */
  P2C_ERR_EMPTY = -11,      /* nothing to score (e.g. an empty corpus) */
  P2C_ERR_STATE = -12,      /* call out of order (e.g. add after finish) */
  P2C_ERR_INTERNAL = -13    /* a bug in libp2ceval: please report it */
} p2c_status;

/* Short English name of a status, e.g. "malformed input". Never NULL; static
 * storage. Thread-safe. */
P2C_API const char *p2c_strerror(int status);

#define P2C_ERROR_MESSAGE_MAX 512
/* Caller-owned error report, filled by calls that cannot keep a message on a
 * handle (constructors, one-shot functions). May be passed as NULL. */
typedef struct p2c_error {
  int code;                            /* a p2c_status */
  char message[P2C_ERROR_MESSAGE_MAX]; /* "file: image 12 segment 7: ..." */
} p2c_error;

/* ==========================================================================
 * Datasets: COCO panoptic JSON (+ PNG folder), ground truth or predictions
 * ========================================================================== */

/* A loaded panoptic JSON: categories, images, and per image its segments.
 * The PNG id maps are not loaded with it: they are read one image at a time
 * (p2c_dataset_read_idmap), so memory does not grow with the PNG folder. */
typedef struct p2c_dataset p2c_dataset;

typedef enum p2c_dataset_kind {
  P2C_DATASET_GT = 0,  /* captions from segments_info[].description */
  P2C_DATASET_PRED = 1 /* captions from segments_info[].caption, optional score */
} p2c_dataset_kind;

#define P2C_LOAD_OPTIONS_VERSION 1
typedef struct p2c_load_options {
  unsigned version;      /* P2C_LOAD_OPTIONS_VERSION */
  int kind;              /* a p2c_dataset_kind */
  const char *png_dir;   /* NULL: the folder X/ beside X.json, as panopticapi */
  size_t max_json_bytes; /* 0: the default limit (2 GiB, after gunzip) */
} p2c_load_options;
#define P2C_LOAD_OPTIONS_INIT {P2C_LOAD_OPTIONS_VERSION, P2C_DATASET_GT, NULL, 0}
/* Fixed loader limits (docs/limits.md), far above any real data set (COCO
 * panoptic: at most ~100 segments per image, captions under 1 KB). Beyond
 * them p2c_dataset_load fails with P2C_ERR_LIMIT. */
#define P2C_MAX_SEGMENTS_PER_IMAGE 65536 /* segments_info[] entries of one annotation */
#define P2C_MAX_CAPTION_BYTES 65536      /* one caption/description, in UTF-8 bytes */

/* Load a COCO panoptic JSON (or .json.gz). On success *out is a new dataset
 * owned by the caller (p2c_dataset_free). On failure *out is NULL and err
 * (if given) says what is wrong, naming the file, image id and segment id:
 * P2C_ERR_IO, P2C_ERR_PARSE (not JSON), P2C_ERR_SCHEMA (a missing or
 * wrong-typed field, a non-integral or out-of-range id, a duplicate id),
 * P2C_ERR_LIMIT. Which files agree with which is p2c_validate's job: a
 * missing caption or an unknown category loads. opts may be NULL (a ground
 * truth with the default folder). docs/formats.md lists every rule. */
P2C_API int p2c_dataset_load(const char *json_path, const p2c_load_options *opts,
                             p2c_dataset **out, p2c_error *err);
P2C_API void p2c_dataset_free(p2c_dataset *ds);
/* Message of the last p2c_dataset_read_idmap failure on ds that was called
 * with err == NULL ("" if none). Borrowed. Such calls are then not
 * thread-safe; pass an err to read PNGs from many threads. */
P2C_API const char *p2c_dataset_last_error(const p2c_dataset *ds);

typedef struct p2c_category_info {
  int64_t id;
  const char *name; /* borrowed; "" when absent */
  int isthing;      /* 1 thing, 0 stuff */
} p2c_category_info;

typedef struct p2c_image_info {
  int64_t id;
  const char *file_name; /* images[].file_name (the RGB image); borrowed */
  const char *png_name;  /* annotations[].file_name (the id PNG); NULL if the image has no annotation */
  int width, height;     /* from images[]; 0 when absent */
  size_t num_segments;
} p2c_image_info;

typedef enum p2c_caption_kind {
  P2C_CAPTION_NONE = 0,  /* field absent or null */
  P2C_CAPTION_STRING = 1,
  P2C_CAPTION_OTHER = 2  /* present but not a string (e.g. a list) */
} p2c_caption_kind;

typedef struct p2c_segment_info {
  int64_t id;          /* the id in the PNG: R + 256 G + 65536 B */
  int64_t category_id;
  int iscrowd;
  int64_t area;        /* JSON area (-1 when absent) */
  double bbox[4];      /* JSON bbox x, y, w, h (zeros when absent) */
  const char *caption; /* borrowed; NULL unless caption_kind is P2C_CAPTION_STRING */
  int caption_kind;    /* a p2c_caption_kind */
  double score;        /* prediction confidence; valid when has_score */
  int has_score;
  int has_bbox;        /* 1 when the JSON had a bbox */
} p2c_segment_info;

/* Counts, and views into the dataset (borrowed strings, valid until free).
 * Accessors return P2C_ERR_INVALID_ARG for an index out of range. Thread-safe
 * on a dataset no longer modified. Images are in JSON images[] order; an
 * annotation whose image_id is not in images[] is appended after them. */
P2C_API size_t p2c_dataset_num_categories(const p2c_dataset *ds);
P2C_API size_t p2c_dataset_num_images(const p2c_dataset *ds);
P2C_API int p2c_dataset_category(const p2c_dataset *ds, size_t index, p2c_category_info *out);
P2C_API int p2c_dataset_image(const p2c_dataset *ds, size_t index, p2c_image_info *out);
P2C_API int p2c_dataset_segment(const p2c_dataset *ds, size_t image_index, size_t segment_index,
                                p2c_segment_info *out);
/* Index of the image with this id, or P2C_ERR_NOT_FOUND. */
P2C_API int p2c_dataset_find_image(const p2c_dataset *ds, int64_t image_id, size_t *index);
/* Index of the category with this id, or P2C_ERR_NOT_FOUND. */
P2C_API int p2c_dataset_find_category(const p2c_dataset *ds, int64_t category_id, size_t *index);
/* The folder the id PNGs are read from. Borrowed. */
P2C_API const char *p2c_dataset_png_dir(const p2c_dataset *ds);
/* The JSON file it was loaded from, as given. Borrowed. */
P2C_API const char *p2c_dataset_path(const p2c_dataset *ds);
/* The p2c_dataset_kind it was loaded as. */
P2C_API int p2c_dataset_kind_of(const p2c_dataset *ds);
/* Total number of segments over all images. */
P2C_API size_t p2c_dataset_num_segments(const p2c_dataset *ds);
/* Index (within image image_index) of the segment with this id, or
 * P2C_ERR_NOT_FOUND. O(log n): segments are indexed by id at load. */
P2C_API int p2c_dataset_find_segment(const p2c_dataset *ds, size_t image_index, int64_t segment_id,
                                     size_t *segment_index);

/* An image of segment ids, id = R + 256 G + 65536 B, 0 = void. */
typedef struct p2c_idmap p2c_idmap;
/* Largest id PNG accepted, in pixels (width * height): 2^28, a 1 GiB id map.
 * Larger images are P2C_ERR_LIMIT (decompression bombs). */
#define P2C_IDMAP_MAX_PIXELS ((int64_t)1 << 28)
/* Decode an RGB/RGBA 8-bit PNG into an id map (alpha ignored). Grayscale,
 * palette and 16-bit PNGs, corrupt and truncated files are errors naming the
 * file. Caller frees with p2c_idmap_free. */
P2C_API int p2c_idmap_read_png(const char *path, p2c_idmap **out, p2c_error *err);
/* Read the id PNG of image image_index of ds (png_dir/png_name);
 * P2C_ERR_NOT_FOUND for an image without an annotation. Thread-safe when
 * err is not NULL (each thread its own err). */
P2C_API int p2c_dataset_read_idmap(const p2c_dataset *ds, size_t image_index, p2c_idmap **out,
                                   p2c_error *err);
P2C_API void p2c_idmap_free(p2c_idmap *map);
P2C_API int p2c_idmap_width(const p2c_idmap *map);
P2C_API int p2c_idmap_height(const p2c_idmap *map);
/* Row-major width*height ids. Borrowed. */
P2C_API const uint32_t *p2c_idmap_data(const p2c_idmap *map);
/* Write width*height ids (each < 2^24) as an 8-bit RGB PNG, atomically (a
 * temporary file renamed into place). For tools and tests that make data sets. */
P2C_API int p2c_idmap_write_png(const char *path, const uint32_t *ids, int width, int height,
                                p2c_error *err);

/* Validation: every problem panopticapi would raise on (and what it crashes
 * on), each naming the file, image id and segment id. */
typedef struct p2c_validation p2c_validation;
typedef enum p2c_severity {
  P2C_PROBLEM_ERROR = 0,  /* the evaluation cannot run (the reference raises or crashes) */
  P2C_PROBLEM_WARNING = 1 /* suspicious input the reference silently accepts */
} p2c_severity;
typedef struct p2c_problem {
  int severity;        /* a p2c_severity */
  int code;            /* P2C_ERR_SCHEMA: a caption field; P2C_ERR_MISMATCH: the
                          files disagree; P2C_ERR_IO/PARSE/LIMIT: a PNG or folder */
  const char *file;    /* the file concerned; borrowed */
  int64_t image_id;    /* -1 when not about one image */
  int64_t segment_id;  /* -1 when not about one segment */
  const char *message; /* full sentence, borrowed */
} p2c_problem;

#define P2C_VALIDATE_OPTIONS_VERSION 1
typedef struct p2c_validate_options {
  unsigned version;
  int check_pngs;       /* 1: read every PNG (ids, sizes); 0: JSON only */
  int require_captions; /* 1: a prediction segment without a string caption is a problem */
  size_t max_problems;  /* stop collecting after this many (0: 1000) */
} p2c_validate_options;
#define P2C_VALIDATE_OPTIONS_INIT {P2C_VALIDATE_OPTIONS_VERSION, 1, 1, 0}

/* Check pred against gt (datasets loaded as P2C_DATASET_GT and _PRED).
 * Returns P2C_OK when the check ran (even if it found problems: see
 * p2c_validation_count), an error when it could not run. Reads each PNG
 * once, one at a time. docs/formats.md lists every problem. */
P2C_API int p2c_validate(const p2c_dataset *gt, const p2c_dataset *pred,
                         const p2c_validate_options *opts, p2c_validation **out, p2c_error *err);
/* Number of problems kept (errors and warnings), at most max_problems. */
P2C_API size_t p2c_validation_count(const p2c_validation *v);
/* Number of kept problems that are errors (0: the evaluation can run). */
P2C_API size_t p2c_validation_num_errors(const p2c_validation *v);
/* 1 when more problems were found than max_problems (checking stopped). */
P2C_API int p2c_validation_truncated(const p2c_validation *v);
/* Problem number index (in report order). Its strings are borrowed from v. */
P2C_API int p2c_validation_problem(const p2c_validation *v, size_t index, p2c_problem *out);
P2C_API void p2c_validation_free(p2c_validation *v);

/* The ground truth and the prediction of one evaluation, each loaded as
 * p2c_dataset_load does with its options (NULL: defaults; pred_opts->kind
 * should be P2C_DATASET_PRED), side by side on two threads when threads > 1
 * (the prediction's on a thread of its own), else one after the other. On
 * success *gt and *pred are new datasets owned by the caller; on failure both
 * are NULL and err (if given) holds the ground truth's error if it failed,
 * else the prediction's, as when they are loaded one after the other. */
P2C_API int p2c_dataset_load_pair(const char *gt_path, const p2c_load_options *gt_opts,
                                  const char *pred_path, const p2c_load_options *pred_opts,
                                  int threads, p2c_dataset **gt, p2c_dataset **pred, p2c_error *err);

/* @@SECTION dataset */

/* ==========================================================================
 * Text: PTB tokenizer
 * ========================================================================== */

/* pycocoevalcap's PTBTokenizer without Java: Stanford PTBTokenizer 3.4.1
 * (-preserveLines -lowerCase) followed by pycocoevalcap's punctuation filter
 * (docs/tokenizer.md states every rule). Each text is tokenized on its own:
 * a line break is a space, and no text can shift or merge into another. */
typedef struct p2c_tokenizer p2c_tokenizer;

/* A new tokenizer (compiled patterns and buffers), owned by the caller. */
P2C_API int p2c_tokenizer_create(p2c_tokenizer **out, p2c_error *err);
P2C_API void p2c_tokenizer_free(p2c_tokenizer *t);
/* Tokenize text[0..len) (UTF-8): *out receives the lowercased tokens joined by
 * single spaces, exactly the string pycocoevalcap passes to its scorers (""
 * when nothing is left). *out is borrowed: valid until the next call on t.
 * out_len may be NULL. One thread at a time per tokenizer. */
P2C_API int p2c_tokenize(p2c_tokenizer *t, const char *text, size_t len, const char **out,
                         size_t *out_len);
/* Message of the last failed call on t ("" if none). Borrowed. */
P2C_API const char *p2c_tokenizer_last_error(const p2c_tokenizer *t);

/* @@SECTION text */

/* ==========================================================================
 * Caption metrics: BLEU, ROUGE-L, CIDEr-D, METEOR, SPICE-style
 * ========================================================================== */

/* A caption-scoring handle: feed it items (key, references, one hypothesis),
 * then score them all at once with the metrics asked for. Numbers equal
 * pycocoevalcap's (Bleu(4), Rouge(), Cider(), after its PTBTokenizer), bit
 * for bit on the parity data; docs/metrics.md defines each one.
 *
 * Typical use:
 *   p2c_captions *c; p2c_captions_create(NULL, &c, &err);
 *   p2c_captions_add(c, "42", refs, n_refs, hyp);   ... for every item
 *   p2c_captions_score(c);
 *   p2c_captions_corpus(c, m, &x); p2c_captions_item_score(c, i, m, &y);
 *   p2c_captions_free(c);
 *
 * Items keep the order they were added in; corpus means run over that order
 * (pycocoevalcap iterates its gts dict in insertion order). */
typedef struct p2c_captions p2c_captions;

typedef enum p2c_caption_text {
  P2C_TEXT_RAW = 0,      /* tokenize every caption as pycocoevalcap's PTBTokenizer */
  P2C_TEXT_TOKENIZED = 1 /* captions are already tokenized: used as given, cut
                            into words the way each scorer cuts them */
} p2c_caption_text;

#define P2C_CAPTIONS_OPTIONS_VERSION 1
typedef struct p2c_captions_options {
  unsigned version; /* P2C_CAPTIONS_OPTIONS_VERSION */
  int text;         /* a p2c_caption_text */
  /* Comma-separated metric names, e.g. "Bleu_4,CIDEr" (pycocoevalcap's names:
   * Bleu_1..Bleu_4, ROUGE_L, CIDEr, and the metrics later versions add). NULL
   * or "": every metric available by default. Results come in the library's
   * fixed order (pycocoevalcap's), whatever the order asked. */
  const char *metrics;
} p2c_captions_options;
#define P2C_CAPTIONS_OPTIONS_INIT {P2C_CAPTIONS_OPTIONS_VERSION, P2C_TEXT_RAW, NULL}

/* Name of the i-th metric this build knows ("Bleu_1", ...), NULL past the end.
 * Static storage. Thread-safe. */
P2C_API const char *p2c_captions_metric_known(size_t i);

/* A new, empty handle owned by the caller (p2c_captions_free). opts may be
 * NULL (raw text, default metrics). An unknown metric name fails with
 * P2C_ERR_NOT_FOUND and a message listing the known ones. */
P2C_API int p2c_captions_create(const p2c_captions_options *opts, p2c_captions **out,
                                p2c_error *err);
P2C_API void p2c_captions_free(p2c_captions *c);
/* Message of the last failed call on c ("" if none). Borrowed. */
P2C_API const char *p2c_captions_last_error(const p2c_captions *c);

/* Set a metric's option, "<family>.<option>" (e.g. "METEOR.variant"), before
 * the first add. P2C_ERR_NOT_FOUND for an unknown name. The metrics of this
 * section (Bleu, ROUGE_L, CIDEr) have no options. */
P2C_API int p2c_captions_set_option(p2c_captions *c, const char *name, const char *value);

/* Add one item: key (unique), n_refs >= 1 reference captions and one
 * hypothesis, all NUL-terminated UTF-8, copied (and tokenized now, for raw
 * text). A repeated key, no reference (pycocoevalcap asserts) or a NULL
 * string: P2C_ERR_INVALID_ARG; raw text that is not UTF-8: P2C_ERR_PARSE;
 * after p2c_captions_score: P2C_ERR_STATE. A failed add leaves the handle as
 * it was. */
P2C_API int p2c_captions_add(p2c_captions *c, const char *key, const char *const *refs,
                             size_t n_refs, const char *hyp);
/* (Implemented by the protocol layer.) Read a COCO caption annotation file (refs_path: {"annotations": [{"image_id",
 * "caption"}, ...]}) and a COCO results list (hyps_path: [{"image_id",
 * "caption"}, ...]), either possibly gzipped, and add one item per image: key
 * = the image id as text (integers or strings), in the order image ids first
 * appear in refs_path. Every image needs exactly one hypothesis and at least
 * one reference: a missing, extra or repeated id is P2C_ERR_MISMATCH naming
 * it; unreadable files P2C_ERR_IO, malformed ones P2C_ERR_PARSE /
 * P2C_ERR_SCHEMA, naming file and entry. Message: p2c_captions_last_error. */
P2C_API int p2c_captions_add_coco_files(p2c_captions *c, const char *refs_path,
                                        const char *hyps_path);

/* Score every item with the selected metrics. No item: P2C_ERR_EMPTY (where
 * pycocoevalcap fails or returns NaN). CIDEr with no word in any reference:
 * P2C_ERR_EMPTY (pycocoevalcap raises). Later adds fail with P2C_ERR_STATE. */
P2C_API int p2c_captions_score(p2c_captions *c);

P2C_API size_t p2c_captions_num_items(const p2c_captions *c);
/* Key of item i (borrowed), NULL when out of range. */
P2C_API const char *p2c_captions_key(const p2c_captions *c, size_t item);
/* Item index of key, or P2C_ERR_NOT_FOUND. */
P2C_API int p2c_captions_find(const p2c_captions *c, const char *key, size_t *item);
/* The selected metrics, in result order. */
P2C_API size_t p2c_captions_num_metrics(const p2c_captions *c);
P2C_API const char *p2c_captions_metric_name(const p2c_captions *c, size_t metric);
/* Which definition a metric computes with the options set, e.g.
 * "meteor-1.5-nopara" for METEOR 1.5 without a paraphrase table; NULL for
 * metrics with a single definition. Static storage. */
P2C_API const char *p2c_captions_metric_variant(const p2c_captions *c, size_t metric);
/* Index of a selected metric by name, or P2C_ERR_NOT_FOUND. */
P2C_API int p2c_captions_metric_index(const p2c_captions *c, const char *name, size_t *metric);
/* Corpus score, and score of one item. P2C_ERR_STATE before a successful
 * p2c_captions_score, P2C_ERR_INVALID_ARG for an index out of range. */
P2C_API int p2c_captions_corpus(const p2c_captions *c, size_t metric, double *out);
P2C_API int p2c_captions_item_score(const p2c_captions *c, size_t item, size_t metric,
                                    double *out);

/* @@SECTION captions */

/* ---- METEOR (NLTK 3.8 variant) ------------------------------------------- */

/* METEOR as NLTK 3.8 computes it: nltk.translate.meteor_score.meteor_score(
 * [r.split() for r in refs], hyp.split()) with its defaults, the number the
 * Pix2Cap-COCO mAP script uses. Words are cut as Python's str.split() does,
 * lowercased as str.lower() does, then aligned in three stages (exact, NLTK's
 * Porter stem, WordNet 3.0 synonyms), each matching greedily from the end of
 * both sentences as NLTK does; the score is the maximum over the references.
 * docs/metrics.md gives the formula and the quirks kept for parity.
 *
 * The handle owns a WordNet reader and caches, per word, its lowercase form,
 * stem and synonym set, so scoring millions of pairs is cheap. */
typedef struct p2c_meteor_nltk p2c_meteor_nltk;

#define P2C_METEOR_NLTK_OPTIONS_VERSION 1
typedef struct p2c_meteor_nltk_options {
  unsigned version;        /* P2C_METEOR_NLTK_OPTIONS_VERSION */
  const char *wordnet_dir; /* WordNet 3.0 "dict" folder; NULL or "": $P2C_WORDNET_DIR,
                              else /usr/share/wordnet (Debian wordnet-base) */
  double alpha, beta, gamma; /* NLTK's defaults: 0.9, 3.0, 0.5 */
} p2c_meteor_nltk_options;
#define P2C_METEOR_NLTK_OPTIONS_INIT {P2C_METEOR_NLTK_OPTIONS_VERSION, NULL, 0.9, 3.0, 0.5}

/* A new scorer owned by the caller (p2c_meteor_nltk_free). opts may be NULL
 * (defaults). Loads WordNet (about 30 ms); a missing folder or file is
 * P2C_ERR_IO naming it. */
P2C_API int p2c_meteor_nltk_create(const p2c_meteor_nltk_options *opts, p2c_meteor_nltk **out,
                                   p2c_error *err);
/* A new scorer with src's options sharing src's WordNet (no reload), with its
 * own caches: one per worker thread. src may be in use by another thread (the
 * shared WordNet is read-only). Each handle is freed on its own, in any order. */
P2C_API int p2c_meteor_nltk_clone(const p2c_meteor_nltk *src, p2c_meteor_nltk **out,
                                  p2c_error *err);
P2C_API void p2c_meteor_nltk_free(p2c_meteor_nltk *m);
/* Message of the last failed call on m ("" if none). Borrowed. */
P2C_API const char *p2c_meteor_nltk_last_error(const p2c_meteor_nltk *m);

/* *score = NLTK meteor_score of hyp against refs (NUL-terminated UTF-8 strings,
 * n_refs of them). No reference (NLTK raises ValueError) or a NULL string:
 * P2C_ERR_INVALID_ARG; invalid UTF-8: P2C_ERR_PARSE. Empty captions are
 * allowed and score 0.0, as in NLTK. Not thread-safe on one handle (it fills
 * its caches): use one handle per thread. */
P2C_API int p2c_meteor_nltk_score(p2c_meteor_nltk *m, const char *const *refs, size_t n_refs,
                                  const char *hyp, double *score);
/* The same on words already cut: refs[r] has ref_lens[r] words, hyp has
 * hyp_len words. Words are used as given (lowercased, never split again). */
P2C_API int p2c_meteor_nltk_score_words(p2c_meteor_nltk *m, const char *const *const *refs,
                                        const size_t *ref_lens, size_t n_refs,
                                        const char *const *hyp, size_t hyp_len, double *score);

/* @@SECTION meteor-nltk */

/* ---- METEOR 1.5 variant -------------------------------------------------- */

/* METEOR 1.5 English as pycocoevalcap runs the jar (java -jar meteor-1.5.jar
 * - - -stdio -l en -norm): METEOR's normalizer, exact / Snowball stem /
 * WordNet synonym / paraphrase modules, alpha 0.85, beta 0.2, gamma 0.6,
 * delta 0.75, module weights 1.0 0.6 0.8 0.6, its beam-search aligner, and
 * the corpus score from aggregated statistics. docs/metrics.md has the
 * details and the measured parity. */
typedef struct p2c_meteor15 p2c_meteor15;

/* How the SCORE line is built from the captions (the pycocoevalcap copies
 * differ on empty and blank hypotheses). */
typedef enum p2c_meteor15_line {
  P2C_METEOR15_LINE_PIX2CAP = 0, /* strip the line; an empty hypothesis becomes "a" */
  P2C_METEOR15_LINE_SALANIZ = 1, /* strip the line */
  P2C_METEOR15_LINE_TYLIN = 2    /* neither (the original coco-caption) */
} p2c_meteor15_line;

#define P2C_METEOR15_OPTIONS_VERSION 1
typedef struct p2c_meteor15_options {
  unsigned version;            /* P2C_METEOR15_OPTIONS_VERSION */
  const char *paraphrase_path; /* METEOR's paraphrase-en.gz; NULL: no paraphrase module
                                  matches, and the variant is "meteor-1.5-nopara" */
  const char *wordnet_dir;     /* WordNet 3.0 dict folder (index.noun, noun.exc, ...);
                                  NULL: $P2C_WORDNET_DIR, else /usr/share/wordnet */
  const char *meteor_data_dir; /* folder with METEOR's english.synsets and
                                  english.exceptions: when set, synonyms come from
                                  these files (exact METEOR 1.5) instead of WordNet */
  int line_mode;               /* a p2c_meteor15_line */
} p2c_meteor15_options;
#define P2C_METEOR15_OPTIONS_INIT {P2C_METEOR15_OPTIONS_VERSION, NULL, NULL, NULL, 0}

/* METEOR's sufficient statistics, in its order: test length, reference length,
 * test and reference function words; for each module (exact, stem, synonym,
 * paraphrase) test content, reference content, test function and reference
 * function words matched; chunks, test and reference words matched. */
#define P2C_METEOR15_NUM_STATS 23

/* Load the resources (synonyms, optional paraphrase table). A missing or
 * malformed file is an error naming it. Caller frees with p2c_meteor15_free. */
P2C_API int p2c_meteor15_create(const p2c_meteor15_options *opts, p2c_meteor15 **out,
                                p2c_error *err);
P2C_API void p2c_meteor15_free(p2c_meteor15 *m);
/* Message of the last failed call on m ("" if none). Borrowed. */
P2C_API const char *p2c_meteor15_last_error(const p2c_meteor15 *m);
/* A new handle sharing m's loaded resources (read-only, reference-counted)
 * with working memory of its own: make one per thread. m and its clones may be
 * used concurrently and freed in any order. */
P2C_API int p2c_meteor15_clone(const p2c_meteor15 *m, p2c_meteor15 **out, p2c_error *err);
/* "meteor-1.5" with a paraphrase table, "meteor-1.5-nopara" without. Static. */
P2C_API const char *p2c_meteor15_variant(const p2c_meteor15 *m);

/* Score one hypothesis against its references (raw or tokenized UTF-8 text,
 * as pycocoevalcap would send them), choosing the reference with the best
 * score as METEOR does. score and stats (P2C_METEOR15_NUM_STATS doubles) may
 * be NULL. Errors: P2C_ERR_PARSE for invalid UTF-8, P2C_ERR_EMPTY when the
 * hypothesis is empty after the line building (METEOR answers "Error: specify
 * hypothesis and at least one reference"). Uses m's working memory, which
 * includes a cache of the features of every word m has seen (bounded: it
 * starts over after 262,144 words): one thread at a time per handle. */
P2C_API int p2c_meteor15_score(p2c_meteor15 *m, const char *hyp, const char *const *refs,
                               size_t num_refs, double *score, double *stats);

/* Corpus score: add each segment's statistics into acc (zeroed first) with
 * MeteorStats.addStats (every column summed, except the chunks of a segment
 * whose words all match in one chunk), then score acc. Pure functions,
 * thread-safe. */
P2C_API void p2c_meteor15_stats_add(double acc[P2C_METEOR15_NUM_STATS],
                                    const double stats[P2C_METEOR15_NUM_STATS]);
P2C_API double p2c_meteor15_stats_score(const double stats[P2C_METEOR15_NUM_STATS]);

/* @@SECTION meteor-1.5 */

/* ---- SPICE-style ----------------------------------------------------------- */

/* A SPICE-style scorer (SPICE 1.0, Anderson et al. 2016): captions become
 * scene-graph tuples (objects, attributes, relations), the test tuples are
 * matched to the merged tuples of all references with WordNet synonyms, and
 * F1 is reported per image. SPICE's scoring and synonym merging are
 * reproduced exactly; its tuples come from a PCFG dependency parser, ours
 * from rules (docs/metrics.md, "SPICE-style", states the measured agreement).
 * Outputs name the metric "spice-style". A handle owns a WordNet lexicon
 * (~20 MB) and may be used from one thread at a time. */
typedef struct p2c_spice p2c_spice;

#define P2C_SPICE_OPTIONS_VERSION 1
typedef struct p2c_spice_options {
  unsigned version;        /* P2C_SPICE_OPTIONS_VERSION */
  const char *wordnet_dir; /* WordNet 3.0 dict folder; NULL: /usr/share/wordnet */
  /* Optional METEOR 1.5 english.synsets (the synonym file inside SPICE's
   * jar): its synset numbers replace those of wordnet_dir's index files. Debian
   * renumbered some synsets, which changes a few cross-POS coincidences. */
  const char *meteor_synsets;
} p2c_spice_options;
#define P2C_SPICE_OPTIONS_INIT {P2C_SPICE_OPTIONS_VERSION, NULL, NULL}

/* Load WordNet (index.* and *.exc). On failure *out is NULL and err says why. */
P2C_API int p2c_spice_create(const p2c_spice_options *opts, p2c_spice **out, p2c_error *err);
P2C_API void p2c_spice_free(p2c_spice *sp);
/* Message of the last failed call on sp ("" if none). Borrowed. */
P2C_API const char *p2c_spice_last_error(const p2c_spice *sp);

/* The tuple kinds SPICE reports ("All" and its -subset filters). */
typedef enum p2c_spice_kind {
  P2C_SPICE_ALL = 0,
  P2C_SPICE_OBJECT,
  P2C_SPICE_ATTRIBUTE,
  P2C_SPICE_RELATION,
  P2C_SPICE_CARDINALITY,
  P2C_SPICE_COLOR,
  P2C_SPICE_SIZE,
  P2C_SPICE_NUM_KINDS
} p2c_spice_kind;
/* "All", "Object", ... as in SPICE's JSON. Static storage; NULL out of range. */
P2C_API const char *p2c_spice_kind_name(int kind);

/* SPICE's Evaluation: pr, re, f are NaN for a kind other than All when the
 * references have no tuple of that kind (SPICE writes null); All is never NaN. */
typedef struct p2c_spice_prf {
  double pr, re, f;
  long tp, fp, fn;
} p2c_spice_prf;
typedef struct p2c_spice_detail {
  p2c_spice_prf kind[P2C_SPICE_NUM_KINDS]; /* indexed by p2c_spice_kind */
} p2c_spice_detail;

/* A tuple: 1 word (object), 2 (object, attribute) or 3 (subject, predicate,
 * object). Words are lemmas, e.g. {"dog", "sit on", "couch"}. */
typedef struct p2c_spice_tuple {
  int arity;
  const char *w[3];
} p2c_spice_tuple;

/* The tuples of one caption (lower-cased, space-separated tokens, as SPICE
 * receives them from the PTB tokenizer), before any scene-graph merging.
 * *tuples is borrowed until the next call on sp. */
P2C_API int p2c_spice_extract(p2c_spice *sp, const char *caption, const p2c_spice_tuple **tuples,
                              size_t *n);
/* Score one image: the hypothesis against the union of its references. */
P2C_API int p2c_spice_score(p2c_spice *sp, const char *const *refs, size_t nrefs, const char *hyp,
                            p2c_spice_detail *out);
/* Score from given tuples instead of extracting them (e.g. SPICE's own
 * tuples): ref_tuples are those of all references, concatenated in order. */
P2C_API int p2c_spice_score_tuples(p2c_spice *sp, const p2c_spice_tuple *ref_tuples, size_t nref,
                                   const p2c_spice_tuple *hyp_tuples, size_t nhyp,
                                   p2c_spice_detail *out);
/* The detail of item `item` after p2c_captions_score on a handle that
 * selected metric "SPICE" (its per-item value is detail.kind[P2C_SPICE_ALL].f).
 * P2C_ERR_STATE when SPICE was not selected or not scored yet,
 * P2C_ERR_INVALID_ARG for an item out of range. Thread-safe on a scored handle. */
P2C_API int p2c_captions_spice_detail(const p2c_captions *c, size_t item, p2c_spice_detail *out);
/* Corpus SPICE: the mean of the per-image All F1 (numpy.mean order, as
 * pycocoevalcap). n == 0 gives NaN. Thread-safe. */
P2C_API double p2c_spice_corpus(const double *all_f, size_t n);

/* @@SECTION spice */

/* ==========================================================================
 * Masks: COCO RLE, id maps, IoU matching, panoptic quality
 * ========================================================================== */

/* ---- COCO run-length encoded masks (pycocotools-compatible) -------------- *
 * A p2c_rle is an h x w binary mask stored as run lengths in column-major
 * order (pixel index x*h + y), alternating 0-runs and 1-runs and starting with
 * a (possibly empty) 0-run, exactly as COCO / pycocotools. Every p2c_rle is
 * canonical: counts after the first are > 0 and they sum to h*w. Inputs with
 * zero-length runs are accepted and canonicalised; inputs that pycocotools
 * would read as garbage (bad characters, truncated values, negative counts,
 * counts not summing to h*w) are rejected with a message saying where.
 * See docs/rle.md. An RLE is immutable once built: all read-only functions
 * below are thread-safe. h*w must be below 2^32 (P2C_ERR_LIMIT). */
typedef struct p2c_rle p2c_rle;

typedef enum p2c_mask_layout {
  P2C_MASK_COLUMN_MAJOR = 0, /* mask[x*h + y]: numpy Fortran order, as pycocotools */
  P2C_MASK_ROW_MAJOR = 1     /* mask[y*w + x]: an ordinary image */
} p2c_mask_layout;

/* Encode an h x w byte mask. As pycocotools, a new run starts wherever the
 * byte value changes (so values other than 0/1 alternate runs; threshold the
 * mask first if that is not what you want). */
P2C_API int p2c_rle_encode(const uint8_t *mask, int h, int w, int layout, p2c_rle **out,
                           p2c_error *err);
/* From uncompressed counts ({"size":[h,w],"counts":[...]}); they must sum to h*w. */
P2C_API int p2c_rle_from_counts(int h, int w, const uint32_t *counts, size_t n, p2c_rle **out,
                                p2c_error *err);
/* From the compressed counts string (len bytes, no NUL needed). */
P2C_API int p2c_rle_from_string(int h, int w, const char *s, size_t len, p2c_rle **out,
                                p2c_error *err);
/* The box [x0, y0, x1, y1) given as [x, y, width, height] in pixels, rounded as
 * pycocotools frPyObjects rounds box corners (a box is a 4-point polygon). */
P2C_API int p2c_rle_from_bbox(int h, int w, const double bbox[4], p2c_rle **out, p2c_error *err);
/* One polygon [x1, y1, x2, y2, ...] (n_coords numbers; an odd last one is
 * ignored), rasterised as pycocotools frPyObjects does. */
P2C_API int p2c_rle_from_polygon(int h, int w, const double *xy, size_t n_coords, p2c_rle **out,
                                 p2c_error *err);
P2C_API void p2c_rle_free(p2c_rle *rle);
/* A deep copy, or NULL when out of memory. */
P2C_API p2c_rle *p2c_rle_copy(const p2c_rle *rle);

P2C_API int p2c_rle_height(const p2c_rle *rle);
P2C_API int p2c_rle_width(const p2c_rle *rle);
P2C_API size_t p2c_rle_num_counts(const p2c_rle *rle);
/* The canonical uncompressed counts. Borrowed. */
P2C_API const uint32_t *p2c_rle_counts(const p2c_rle *rle);
/* Write the compressed counts string and its NUL into buf (size bytes). Returns
 * the string length; when that is >= size the output was truncated (call again
 * with length + 1 bytes), as snprintf. */
P2C_API size_t p2c_rle_to_string(const p2c_rle *rle, char *buf, size_t size);
/* Write the h*w mask as 0/1 bytes in the given layout. */
P2C_API int p2c_rle_decode(const p2c_rle *rle, uint8_t *mask, int layout);
/* Number of 1 pixels. */
P2C_API uint64_t p2c_rle_area(const p2c_rle *rle);
/* Bounding box [x, y, width, height] of the 1 pixels; all 0 for an empty mask
 * (pycocotools toBbox). */
P2C_API void p2c_rle_bbox(const p2c_rle *rle, double bbox[4]);
/* IoU of every detection with every ground truth, as pycocotools mask.iou:
 * out[d * num_gt + g] = I / U, or I / area(dt[d]) when iscrowd[g] is non-zero
 * (iscrowd may be NULL: no crowd); 0 when I == 0. All masks must have the
 * same size (P2C_ERR_MISMATCH otherwise, where pycocotools returns -1 or 0). */
P2C_API int p2c_rle_iou(const p2c_rle *const *dt, size_t num_dt, const p2c_rle *const *gt,
                        size_t num_gt, const uint8_t *iscrowd, double *out, p2c_error *err);
/* Union (intersect = 0) or intersection (intersect = 1) of n >= 1 masks of one
 * size, as pycocotools mask.merge. */
P2C_API int p2c_rle_merge(const p2c_rle *const *rles, size_t n, int intersect, p2c_rle **out,
                          p2c_error *err);

/* ---- Panoptic quality: per-image matching and accumulation --------------- *
 * The rules are panopticapi's pq_compute (docs/metrics.md, "Panoptic
 * quality"): ids from the id maps, 0 = void; a ground truth and a prediction of
 * the same category match when the GT is not crowd and IoU > 0.5, with
 * union = pred area + GT JSON area - intersection - |pred on void|; unmatched
 * predictions mostly on void or on the crowd region of their category are
 * not false positives. Results are bit-identical to panopticapi. */

/* One segment as listed in the JSON. */
typedef struct p2c_pq_segment {
  int64_t id;          /* its id in the id map (R + 256 G + 65536 B) */
  int64_t category_id;
  int iscrowd;         /* ground truth: 1 = crowd region, never matched */
  int64_t area;        /* ground truth: the JSON area, which panopticapi's union
                          uses (not the pixel count); predictions: ignored */
} p2c_pq_segment;

/* One image to score. Predictions come either as an id map (panoptic PNG:
 * pred_ids) or as instance masks (pred_masks: one height x width RLE per
 * prediction, masks may overlap, as dense-captioning models emit them). */
typedef struct p2c_pq_image_input {
  int64_t image_id;
  const char *gt_name;   /* named in messages (e.g. the PNG path); may be NULL */
  const char *pred_name; /* idem */
  int width, height;
  const uint32_t *gt_ids;   /* row-major width*height ground-truth ids */
  const uint32_t *pred_ids; /* row-major prediction ids; NULL with pred_masks */
  const p2c_rle *const *pred_masks; /* instance format: num_pred masks; NULL with pred_ids */
  const p2c_pq_segment *gt;
  size_t num_gt;
  const p2c_pq_segment *pred;
  size_t num_pred;
} p2c_pq_image_input;

/* Flags of an overlapping (gt, pred) pair. */
#define P2C_PAIR_SAME_CATEGORY 1u /* both listed in the JSON, same category */
#define P2C_PAIR_GT_CROWD 2u      /* the GT segment is a crowd region */
#define P2C_PAIR_MATCHED 4u       /* a true positive (IoU > 0.5) */

/* One overlapping (gt id, pred id) pair of an image, in ascending (gt id,
 * pred id) order (instance format: pred index) as panopticapi visits them.
 * Pairs with the void id 0 or with ids missing from the JSON are included. */
typedef struct p2c_pq_pair {
  int64_t gt_id, pred_id;
  int64_t gt_index, pred_index; /* index in the input arrays; -1 if not in the JSON */
  int64_t intersection;         /* pixels */
  int64_t union_area;  /* pred area + GT JSON area - intersection - |pred on void|;
                          0 when gt_index or pred_index is -1 */
  double iou;          /* intersection / union_area as a double division, as panopticapi
                          (0 when an index is -1; can exceed 1, or be inf, when a GT JSON
                          area is smaller than its pixels) */
  unsigned flags;      /* P2C_PAIR_* */
} p2c_pq_pair;

/* What became of a segment. */
typedef enum p2c_pq_outcome {
  P2C_PQ_TP = 0,      /* matched */
  P2C_PQ_FN = 1,      /* ground truth, unmatched */
  P2C_PQ_FP = 2,      /* prediction, unmatched */
  P2C_PQ_CROWD = 3,   /* ground truth crowd region */
  P2C_PQ_IGNORED = 4  /* prediction mostly on void / a crowd region of its category */
} p2c_pq_outcome;

typedef struct p2c_pq p2c_pq;             /* the accumulator */
typedef struct p2c_pq_image p2c_pq_image; /* the result of one image */

/* An accumulator over the categories (a dataset's categories[], in order: the
 * averages and the per-class list follow it; a repeated id keeps its first
 * position and last isthing, as a Python dict). Free with p2c_pq_free. */
P2C_API int p2c_pq_create(const p2c_category_info *categories, size_t num_categories,
                          p2c_pq **out, p2c_error *err);
P2C_API void p2c_pq_free(p2c_pq *pq);
/* Message of the last failed call on pq ("" if none). Borrowed. */
P2C_API const char *p2c_pq_last_error(const p2c_pq *pq);

/* Match one image. Does not modify pq: may run on many threads at once on one
 * pq. Errors name the image, the files and the segment ids, with panopticapi's
 * wording where it has a check. *out is owned by the caller. */
P2C_API int p2c_pq_image_compute(const p2c_pq *pq, const p2c_pq_image_input *in,
                                 p2c_pq_image **out, p2c_error *err);
P2C_API void p2c_pq_image_free(p2c_pq_image *img);
P2C_API int64_t p2c_pq_image_id(const p2c_pq_image *img);
P2C_API size_t p2c_pq_image_num_pairs(const p2c_pq_image *img);
P2C_API int p2c_pq_image_pair(const p2c_pq_image *img, size_t index, p2c_pq_pair *out);
/* Outcome of ground-truth / predicted segment `index` (input order). For a
 * repeated id, the last listing is the segment and earlier ones are P2C_PQ_IGNORED. */
P2C_API int p2c_pq_image_gt_outcome(const p2c_pq_image *img, size_t index);
P2C_API int p2c_pq_image_pred_outcome(const p2c_pq_image *img, size_t index);
/* IoU matrix out[g * num_pred + p] (num_gt x num_pred, input order): the
 * panopticapi IoU (void removed from the union) for a non-crowd GT; for a
 * crowd GT the share of the prediction inside it (pycocotools' iscrowd rule);
 * 0 where they do not overlap. */
P2C_API int p2c_pq_image_iou_matrix(const p2c_pq_image *img, double *out, size_t num_gt,
                                    size_t num_pred);

/* Add an image's counts; images must be added in dataset order (the IoU sums
 * run in image order, then pair order, as panopticapi with one process), so
 * the result does not depend on how many threads computed the images. */
P2C_API int p2c_pq_add(p2c_pq *pq, const p2c_pq_image *img);
/* p2c_pq_image_compute + p2c_pq_add. */
P2C_API int p2c_pq_add_image(p2c_pq *pq, const p2c_pq_image_input *in);

typedef enum p2c_pq_group { P2C_PQ_ALL = 0, P2C_PQ_THINGS = 1, P2C_PQ_STUFF = 2 } p2c_pq_group;
typedef struct p2c_pq_summary {
  double pq, sq, rq; /* means over the n classes with tp + fp + fn > 0; NaN when n == 0
                        (panopticapi raises ZeroDivisionError) */
  int n;
} p2c_pq_summary;
typedef struct p2c_pq_class {
  int64_t category_id;
  int isthing;
  int64_t tp, fp, fn;
  double iou;        /* sum of the IoUs of the true positives */
  double pq, sq, rq; /* 0 when tp + fp + fn == 0 (then counted is 0) */
  int counted;       /* 1 when the class enters the averages */
} p2c_pq_class;

P2C_API int p2c_pq_get_summary(const p2c_pq *pq, int group, p2c_pq_summary *out);
P2C_API size_t p2c_pq_num_classes(const p2c_pq *pq);
/* Class `index`, in categories order. */
P2C_API int p2c_pq_get_class(const p2c_pq *pq, size_t index, p2c_pq_class *out);
/* Images added so far. */
P2C_API size_t p2c_pq_num_images(const p2c_pq *pq);

/* ---- PQ over two datasets (what `p2c-eval pq` runs) ----------------------- */
#define P2C_PQ_OPTIONS_VERSION 1
typedef struct p2c_pq_options {
  unsigned version; /* P2C_PQ_OPTIONS_VERSION */
  int threads;      /* worker threads; 0 = all online cores */
  /* Called on the calling thread for every image, in evaluation order (GT
   * annotations[] order), after its counts were added; gt_image_index indexes
   * the GT dataset, and the image's pairs index its segments as
   * p2c_dataset_segment does (predictions: the prediction dataset's segments
   * of that image id; instances: see p2c_instances_image_entry). A non-zero return stops the run with that status. May be
   * NULL. The image is borrowed for the duration of the call. */
  int (*on_image)(void *user, size_t gt_image_index, const p2c_pq_image *img);
  void *user;
  /* Reproduce panopticapi run with this many processes (its
   * multiprocessing.cpu_count()): images split as np.array_split, each
   * chunk's IoU sums added separately, then the chunk sums in order. This can
   * change the last bits. 0 or 1: one process (the default, and the order
   * documented in docs/metrics.md). Unrelated to `threads`. */
  int panopticapi_processes;
} p2c_pq_options;
#define P2C_PQ_OPTIONS_INIT {P2C_PQ_OPTIONS_VERSION, 0, NULL, NULL, 0}

/* panopticapi pq_compute: every GT image that has an annotation, in GT
 * annotations[] order, against the prediction of the same image id. PNGs are
 * decoded by `threads` workers, a few images ahead at most (memory stays at a
 * few images per thread); counts are added in image order, so the result is
 * the same bits for any thread count. On success *out is a new accumulator
 * (p2c_pq_free). The first failing image in evaluation order is reported,
 * naming its files, image id and segment ids. */
P2C_API int p2c_pq_compute(const p2c_dataset *gt, const p2c_dataset *pred,
                           const p2c_pq_options *opts, p2c_pq **out, p2c_error *err);

/* ---- Instance-format predictions ------------------------------------------ *
 * [{"image_id", "category_id", "segmentation", "score", "caption"}, ...] (or
 * {"annotations": [...]}) as dense-captioning models emit them: one mask per
 * prediction, masks may overlap. "segmentation" is a COCO RLE (compressed
 * string or uncompressed counts, "size": [h, w]) or a list of polygons.
 * Scored by the same matching as panoptic PNGs (p2c_pq_compute_instances). */
typedef struct p2c_instances p2c_instances;
typedef struct p2c_instance_info {
  int64_t image_id, category_id;
  int64_t id;          /* "id" when given, else 1 + the position in its image's list */
  double score;        /* valid when has_score */
  int has_score;
  const char *caption; /* borrowed; NULL when absent or not a string */
  const p2c_rle *mask; /* borrowed */
} p2c_instance_info;

/* Load an instance-format JSON (or .json.gz). Errors name the file, the entry
 * index, the image id and what is wrong (e.g. a malformed RLE string). */
P2C_API int p2c_instances_load(const char *json_path, p2c_instances **out, p2c_error *err);
P2C_API void p2c_instances_free(p2c_instances *inst);
P2C_API size_t p2c_instances_count(const p2c_instances *inst);
/* Entry index, in file order. Borrowed views, valid until free. */
P2C_API int p2c_instances_get(const p2c_instances *inst, size_t index, p2c_instance_info *out);
/* The predictions of one image in matching order (descending score, ties in
 * file order): their number, and the file-order entry index of the k-th, which
 * is what p2c_pq_pair.pred_index (k) refers to in p2c_pq_compute_instances. */
P2C_API size_t p2c_instances_image_count(const p2c_instances *inst, int64_t image_id);
P2C_API int p2c_instances_image_entry(const p2c_instances *inst, int64_t image_id, size_t k,
                                      size_t *entry);

/* PQ of instance predictions against a panoptic ground truth: every GT image
 * with an annotation, in annotations[] order; its predictions are matched in
 * descending score order (ties: file order), one-to-one (docs/metrics.md). An
 * image without predictions scores its GT segments as FN. Same threads,
 * ordering and result as p2c_pq_compute. */
P2C_API int p2c_pq_compute_instances(const p2c_dataset *gt, const p2c_instances *pred,
                                     const p2c_pq_options *opts, p2c_pq **out, p2c_error *err);

/* @@SECTION masks */

/* ==========================================================================
 * Synthetic data: p2c-synth
 * ========================================================================== */

/* p2c-synth writes a deterministic Pix2Cap-COCO-format data set: a ground
 * truth (DIR/gt.json + DIR/gt/ id PNGs, with detailed captions that describe
 * what was drawn), a perturbed prediction (DIR/pred.json + DIR/pred/), a
 * manifest of every perturbation (DIR/manifest.json) and, on request, the
 * rendered RGB images (DIR/images/). The same options give the same bytes.
 * docs/synth.md describes the scenes, the knobs and the caption grammar.
 *
 * Probabilities are in [0, 1]. Per ground-truth segment, the prediction is
 * missed, dilated, eroded, shifted or given a wrong category with the p_
 * probabilities below (their sum must not exceed 1), otherwise copied.
 * Setting them all (and max_spurious, p_pred_void, p_caption_edit,
 * p_caption_unrelated, p_caption_empty) to 0 makes the prediction equal to
 * the ground truth: the same segments, categories and captions, the same id
 * on every non-void pixel (a prediction has no void: it covers the ground
 * truth's void pixels with the segment drawn there, and predicts a crowd as
 * one plain segment). */
#define P2C_SYNTH_OPTIONS_VERSION 2
typedef struct p2c_synth_options {
  unsigned version;        /* P2C_SYNTH_OPTIONS_VERSION */
  int images;              /* number of images, 1..1000000 */
  int width, height;       /* pixels, 16..8192 each */
  uint64_t seed;           /* any value; each image draws from its own stream */
  int rgb;                 /* 1: also write DIR/images/ RGB renderings */
  int manifest;            /* 1: also write DIR/manifest.json (the perturbation log) */
  int png_level;           /* zlib level of the PNGs, 0..9 */
  /* ground truth */
  int things_min, things_max; /* thing instances per image (before occlusion) */
  double p_crowd;          /* per image: add a crowd segment (iscrowd 1) */
  double p_void_outline;   /* per thing: its outline becomes void (id 0) */
  double p_void_blob;      /* per image: a void blob */
  /* prediction masks */
  double p_miss, p_dilate, p_erode, p_shift, p_wrong_category;
  int max_morph;           /* dilate / erode by 1..max_morph pixels */
  int max_shift;           /* shift by up to max_shift pixels in x and y */
  int max_spurious;        /* 0..max_spurious invented segments per image */
  double p_pred_void;      /* per image: a prediction on a void or crowd region */
  /* prediction captions (the rest are copied) */
  double p_caption_edit;      /* words swapped, dropped, replaced by synonyms */
  double p_caption_unrelated; /* the description of another segment */
  double p_caption_empty;     /* "" */
  /* execution */
  int threads; /* 0: one per online CPU (at most P2C_SYNTH_MAX_THREADS); the output does not depend on it */
  /* version 2 */
  int caption_draw; /* 0: the captions of seed; k in 1..1000000: the captions drawn
                     * again (stream k) for the same scenes: same images, same GT and
                     * predicted masks, other wording; measures how far a caption metric
                     * can go on these scenes */
} p2c_synth_options;
#define P2C_SYNTH_MAX_THREADS 64
#define P2C_SYNTH_OPTIONS_INIT                                                              \
  {P2C_SYNTH_OPTIONS_VERSION, 8, 128, 96, 1, 0, 1, 3, 2, 6, 0.08, 0.3, 0.3, 0.1, 0.15, 0.15, \
   0.15, 0.08, 4, 6, 2, 0.3, 0.5, 0.15, 0.02, 0, 0}

/* Generate the data set described by opts (NULL: the defaults; a version 1
 * struct, which ends at threads, means caption_draw 0) into out_dir,
 * creating it and its sub-folders as needed. Every file is written to a
 * temporary name and renamed into place; the JSON files are written last, so
 * an interrupted run leaves no gt.json or pred.json. On failure err names the
 * file or the option at fault. Thread-safe (no shared state); runs
 * opts->threads worker threads of its own. */
P2C_API int p2c_synth_write(const char *out_dir, const p2c_synth_options *opts, p2c_error *err);

/* @@SECTION synth */

/* ==========================================================================
 * Protocol: the Pix2Cap-COCO evaluation
 * ========================================================================== */

/* The evaluator scores a prediction set against a ground truth under one of
 * two protocols:
 *   P2C_PROTOCOL_P2C_V1 ("p2c-v1", the default): what the Pix2Cap-COCO metrics
 *     were meant to measure. PQ/SQ/RQ as panopticapi; caption metrics on the
 *     one-to-one PQ matches; DenseCap's dense-captioning mAP (predictions of all
 *     images ranked by score, each assigned to its best GT, METEOR 1.5 of the
 *     predicted caption). Independent of the thread count.
 *   P2C_PROTOCOL_PIX2CAP_OFFICIAL ("pix2cap-official"): the paper's scripts
 *     (caption_distribute_metrics / caption_distribute_map) reproduced
 *     number for number, quirks included (docs/metrics.md lists them).
 * Images are added one at a time in GT order (p2c_evaluator_add_image) or all
 * at once (p2c_evaluator_run, multi-threaded); p2c_evaluator_finish computes
 * the numbers. The handle copies what it needs: datasets and id maps may be
 * freed after each call. One thread at a time per handle. */
typedef struct p2c_evaluator p2c_evaluator;

typedef enum p2c_protocol {
  P2C_PROTOCOL_P2C_V1 = 0,
  P2C_PROTOCOL_PIX2CAP_OFFICIAL = 1
} p2c_protocol;

/* "p2c-v1" / "pix2cap-official"; NULL for an unknown value. Static storage. */
P2C_API const char *p2c_protocol_name(int protocol);
/* The protocol named name, or P2C_ERR_NOT_FOUND. */
P2C_API int p2c_protocol_from_name(const char *name, int *protocol);

/* Progress: called from the thread that called p2c_evaluator_run, after each
 * image (done of total) and with done == total at the end. */
typedef void (*p2c_progress_fn)(void *user, size_t done, size_t total);

#define P2C_EVAL_OPTIONS_VERSION 1
typedef struct p2c_eval_options {
  unsigned version;            /* P2C_EVAL_OPTIONS_VERSION */
  int protocol;                /* a p2c_protocol */
  int threads;                 /* worker threads of p2c_evaluator_run; 0: 1 */
  int compat_cpus;             /* official: worker chunks of the script (its
                                  cpu_count()); 0: 1. Ignored by p2c-v1. */
  int class_agnostic;          /* p2c-v1 mAP: a prediction may take a GT of any category */
  const char *wordnet_dir;     /* WordNet 3.0 dict folder; NULL: $WNSEARCHDIR or /usr/share/wordnet */
  const char *meteor_data_dir; /* METEOR 1.5 resources; NULL: the built-in default */
  int keep_segments;           /* 1: keep one record per segment (p2c_evaluator_write_segments) */
  p2c_progress_fn progress;    /* may be NULL */
  void *progress_user;
} p2c_eval_options;
#define P2C_EVAL_OPTIONS_INIT \
  {P2C_EVAL_OPTIONS_VERSION, P2C_PROTOCOL_P2C_V1, 1, 1, 0, NULL, NULL, 0, NULL, NULL}

/* New evaluator for the categories of gt (copied). opts may be NULL. */
P2C_API int p2c_evaluator_create(const p2c_dataset *gt, const p2c_eval_options *opts,
                                 p2c_evaluator **out, p2c_error *err);
P2C_API void p2c_evaluator_free(p2c_evaluator *ev);
/* Message of the last failed call on ev ("" if none). Borrowed. */
P2C_API const char *p2c_evaluator_last_error(const p2c_evaluator *ev);

/* Add GT image gt_index (with its prediction, found by image id in pred) from
 * its two id maps. Images must be added in GT order for the official
 * protocol's numbers to be the script's (its chunks and orders follow it). */
P2C_API int p2c_evaluator_add_image(p2c_evaluator *ev, const p2c_dataset *gt, size_t gt_index,
                                    const p2c_dataset *pred, const p2c_idmap *gt_map,
                                    const p2c_idmap *pred_map);
/* An image given from memory (a training loop's predictions). */
typedef struct p2c_eval_segment {
  int64_t id;          /* its id in the id map */
  int64_t category_id;
  int iscrowd;         /* GT: 1 = crowd region */
  int64_t area;        /* GT: the JSON area panopticapi's union uses; -1: its pixel
                          count. Predictions: ignored (the pixel count is used) */
  const char *caption; /* GT description / predicted caption; NULL: none */
  double score;        /* prediction confidence, when has_score (p2c-v1 mAP ranking) */
  int has_score;
  /* P2C_CAPTION_OTHER: the JSON value was not a string (the official protocol
   * treats those apart); then caption_list, when not NULL, holds a list's
   * caption_list_len strings laid end to end, each NUL-terminated. 0: the
   * kind follows caption (a string, or none when NULL). */
  int caption_kind;
  const char *caption_list;
  size_t caption_list_len;
} p2c_eval_segment;

typedef struct p2c_eval_image {
  int64_t image_id;
  /* Evaluation position: images are finished in ascending order, whatever
   * order they were added or merged in (two images with the same value are
   * P2C_ERR_MISMATCH). p2c_evaluator_add_image uses the GT images[] index
   * (p2c-v1) or annotations[] index (pix2cap-official): pass the same to mix
   * both, or e.g. the image id when the GT order does not matter. */
  uint64_t order;
  int width, height;
  const uint32_t *gt_ids;   /* row-major width*height ids, 0 = void */
  const uint32_t *pred_ids; /* idem */
  const p2c_eval_segment *gt;
  size_t num_gt;
  const p2c_eval_segment *pred;
  size_t num_pred;
} p2c_eval_image;

/* Add an image from memory (copied; everything may be freed after the call),
 * with the checks and matching of p2c_evaluator_add_image. */
P2C_API int p2c_evaluator_add(p2c_evaluator *ev, const p2c_eval_image *img);
/* Read the id PNGs of every annotated GT image and add them, with
 * opts->threads threads; the result does not depend on the thread count. */
P2C_API int p2c_evaluator_run(p2c_evaluator *ev, const p2c_dataset *gt, const p2c_dataset *pred);
/* Compute every number (caption metrics, mAP). After it, only accessors. */
P2C_API int p2c_evaluator_finish(p2c_evaluator *ev);

#define P2C_MAP_NIOU 5
#define P2C_MAP_NMETEOR 6
/* Every number of a finished evaluation; NaN marks a value that is not
 * defined for this input or protocol (the JSON says why). */
typedef struct p2c_eval_summary {
  int protocol;
  double pq, sq, rq;                 /* All */
  double pq_things, sq_things, rq_things;
  double pq_stuff, sq_stuff, rq_stuff;
  size_t n_classes, n_things, n_stuff;
  uint64_t tp, fp, fn;               /* over the categories averaged */
  size_t caption_pairs;
  /* Mean over caption pairs (p2c-v1) / the official script's corpus values. */
  double bleu4, meteor, rouge_l, cider_d, spice;
  /* The same times caption_pairs / (tp + fp + fn): what the official script reports. */
  double bleu4_scaled, meteor_scaled, rouge_l_scaled, cider_d_scaled, spice_scaled;
  double map, detmap;
  double ap[P2C_MAP_NIOU][P2C_MAP_NMETEOR]; /* IoU 0.3..0.7 x METEOR 0..0.25 */
  double det_ap[P2C_MAP_NIOU];
  uint64_t map_entries;              /* ranked predictions (p2c-v1) / records (official) */
  uint64_t map_npos;                 /* the recall denominator */
  size_t images;
  size_t chunks, chunks_dropped;     /* official chunk emulation */
} p2c_eval_summary;

P2C_API int p2c_evaluator_summary(const p2c_evaluator *ev, p2c_eval_summary *out);
/* The whole result as JSON (numbers "%.17g", protocol and metric variants
 * named). Borrowed, valid until ev is freed. */
P2C_API const char *p2c_evaluator_json(const p2c_evaluator *ev);
/* The one-line warning naming the official quirks that changed this run's
 * numbers ("" when none, or for p2c-v1). Borrowed. */
P2C_API const char *p2c_evaluator_warning(const p2c_evaluator *ev);
/* Write the JSON / one JSON line per matched or unmatched segment (needs
 * keep_segments) to path, atomically. */
P2C_API int p2c_evaluator_write_json(const p2c_evaluator *ev, const char *path);
P2C_API int p2c_evaluator_write_segments(const p2c_evaluator *ev, const char *path);

/* An evaluator for these categories (copied; the GT's categories[] order)
 * without a loaded GT: what p2c_evaluator_create does with gt's categories.
 * For callers that add images from memory or merge states. */
P2C_API int p2c_evaluator_create_from_categories(const p2c_category_info *categories,
                                                 size_t num_categories,
                                                 const p2c_eval_options *opts,
                                                 p2c_evaluator **out, p2c_error *err);

/* ---- Mergeable state: evaluate shard by shard, merge, finish once -------- *
 * An unfinished evaluator's state is everything its images left behind (per
 * class PQ counts, caption pairs with their texts, mAP records and ranked
 * predictions, per-image record ranges; docs/state-format.md lists it), as a
 * versioned little-endian byte string any host reads. Merging states and
 * finishing gives the bits of one run over all their images, whatever the
 * sharding and merge order: images are put back in evaluation order (GT
 * annotations[] order for the official protocol, images[] order for p2c-v1)
 * and every order-dependent sum is recomputed in that order. An image present
 * in two states is P2C_ERR_MISMATCH at finish. */

/* p2c_evaluator_run on shard `shard` (0-based) of num_shards: the images at
 * positions shard, shard + num_shards, ... of the evaluation order. */
P2C_API int p2c_evaluator_run_shard(p2c_evaluator *ev, const p2c_dataset *gt,
                                    const p2c_dataset *pred, size_t shard, size_t num_shards);
/* Serialize ev's state. *data (len bytes) is borrowed: valid until ev is next
 * modified or freed. P2C_ERR_STATE after p2c_evaluator_finish. */
P2C_API int p2c_evaluator_state(p2c_evaluator *ev, const unsigned char **data, size_t *len);
/* Add the images of a serialized state to ev (copied; data may be freed
 * after). The state must come from the same ground truth categories and the
 * same protocol, class_agnostic, compat_cpus and keep_segments options:
 * otherwise P2C_ERR_MISMATCH naming the difference. P2C_ERR_VERSION for a
 * state of another format version (the message names both), P2C_ERR_PARSE
 * for bytes that are not a valid state (every index is checked). */
P2C_API int p2c_evaluator_merge_state(p2c_evaluator *ev, const void *data, size_t len);
/* A new evaluator holding the state data: categories and the protocol
 * options above come from the state; opts (may be NULL) gives the rest
 * (threads, wordnet_dir, meteor_data_dir, progress). Errors as merge_state. */
P2C_API int p2c_evaluator_from_state(const void *data, size_t len, const p2c_eval_options *opts,
                                     p2c_evaluator **out, p2c_error *err);

/* @@SECTION protocol */

/* ==========================================================================
 * Reference model: a compact Pix2Cap model (reference-model/README.md)
 * ========================================================================== */

/* A small panoptic segmentation-captioning model (about 2M parameters, 64x64
 * RGB input) trained on p2c-synth scenes; its weights are a safetensors file
 * (reference-model/weights.safetensors). Inference is plain C, deterministic
 * and independent of the thread that runs it. */
typedef struct p2c_refmodel p2c_refmodel;
typedef struct p2c_refmodel_result p2c_refmodel_result;

/* One predicted segment. caption is borrowed from its result. */
typedef struct p2c_refmodel_segment {
  uint32_t id;         /* 1..n: its value in the id map */
  int64_t category_id; /* the data set's category id */
  double score;        /* class probability */
  const char *caption; /* greedy decoding, sentence case */
  int query;           /* the model's query that made it (0..num_queries-1) */
} p2c_refmodel_segment;

/* Read and check a weights file (untrusted input: every size and offset is
 * bounds-checked; only F32 tensors). A file of another architecture
 * (__metadata__.format other than "p2c-refmodel-2", e.g. the first
 * release's "p2c-refmodel-1") gives P2C_ERR_VERSION. Caller frees with p2c_refmodel_free. The
 * model is read-only afterwards: any number of threads may call
 * p2c_refmodel_predict / p2c_refmodel_forward on it at once. */
P2C_API int p2c_refmodel_load(const char *path, p2c_refmodel **out, p2c_error *err);
P2C_API void p2c_refmodel_free(p2c_refmodel *m);
P2C_API size_t p2c_refmodel_num_params(const p2c_refmodel *m);
P2C_API int p2c_refmodel_num_queries(const p2c_refmodel *m);
/* Categories the model knows, without the "no object" class. */
P2C_API int p2c_refmodel_num_classes(const p2c_refmodel *m);
/* Width and height of the images it takes (64). */
P2C_API int p2c_refmodel_input_size(const p2c_refmodel *m);

/* Segment and caption one image: rgb is width*height*3 bytes, row-major.
 * Images of another size than p2c_refmodel_input_size are
 * P2C_ERR_UNSUPPORTED. Caller frees *out with p2c_refmodel_result_free. */
P2C_API int p2c_refmodel_predict(const p2c_refmodel *m, const uint8_t *rgb, int width, int height,
                                 p2c_refmodel_result **out, p2c_error *err);
P2C_API void p2c_refmodel_result_free(p2c_refmodel_result *r);
/* The id map, input_size^2 row-major ids (0 = void). Borrowed. */
P2C_API const uint32_t *p2c_refmodel_result_ids(const p2c_refmodel_result *r);
P2C_API size_t p2c_refmodel_result_num_segments(const p2c_refmodel_result *r);
P2C_API int p2c_refmodel_result_segment(const p2c_refmodel_result *r, size_t index,
                                        p2c_refmodel_segment *out);
/* The raw outputs of the last decoder layer, for tests against PyTorch:
 * class_logits holds num_queries * (num_classes + 1) floats, mask_logits
 * num_queries * input_size^2 (query-major, row-major pixels). */
P2C_API int p2c_refmodel_forward(const p2c_refmodel *m, const uint8_t *rgb, float *class_logits,
                                 float *mask_logits, p2c_error *err);

/* @@SECTION refmodel */

#ifdef __cplusplus
}
#endif
#endif /* P2CEVAL_H */
