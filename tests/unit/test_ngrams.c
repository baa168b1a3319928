/* The n-gram machinery under the caption metrics: per-item numbering
 * (text/ngram.c) and the partitioned document-frequency counter
 * (text/ngram_df.c), against plain counting. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "p2ceval.h"
#include "testutil.h"
#include "text/ngram.h"
#include "text/ngram_df.h"

static uint64_t rng = 0x243f6a8885a308d3ULL;
static uint64_t next_u64(void)
{
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

#define DISTINCT 1000

static uint64_t low_bits(unsigned k) { return k >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << k) - 1; }

/* Records with keys of key_bits bits from a pool of DISTINCT keys (the
 * extremes among them), added in batches of 1..500 and read back the same
 * way, against a count per pool index. At most max_count records count per
 * key; rec: the record size expected. */
static void check_counts(unsigned key_bits, size_t n, size_t max_count, unsigned rec)
{
  static uint64_t pool[DISTINCT][2];
  const int two = key_bits > 64;
  const uint64_t mask0 = low_bits(key_bits), mask1 = two ? low_bits(key_bits - 64) : 0;
  for (size_t i = 0; i < DISTINCT; i++) {
    pool[i][0] = next_u64() & mask0;
    pool[i][1] = next_u64() % 4 & mask1; /* few second words: first words must tell */
  }
  pool[0][0] = pool[0][1] = 0;
  pool[1][0] = mask0;
  pool[1][1] = mask1;
  pool[2][0] = mask0; /* the same key as pool[1] unless the second words differ */
  pool[2][1] = two ? 0 : mask1;
  pool[3][0] = pool[4][0]; /* ditto */
  pool[3][1] = two ? pool[4][1] ^ 1 : 0;
  /* equal keys count together: each pool entry counts as its first equal */
  size_t same[DISTINCT];
  for (size_t i = 0; i < DISTINCT; i++) {
    same[i] = i;
    for (size_t j = 0; j < i && same[i] == i; j++)
      if (pool[j][0] == pool[i][0] && pool[j][1] == pool[i][1]) same[i] = j;
  }
  ck_assert_uint_eq(same[2], two ? 2 : 1);

  uint32_t *which = malloc(n * sizeof *which), *df = malloc(n * sizeof *df);
  uint64_t *key0 = malloc(n * sizeof *key0), *key1 = malloc(n * sizeof *key1);
  uint8_t *counts = malloc(n);
  uint32_t expect[DISTINCT] = {0};
  ck_assert(which && df && key0 && key1 && counts);
  for (size_t i = 0; i < n; i++) {
    which[i] = (uint32_t)same[next_u64() % DISTINCT];
    key0[i] = pool[which[i]][0];
    key1[i] = pool[which[i]][1];
    counts[i] = (uint8_t)(next_u64() % 3 == 0 && expect[which[i]] < max_count);
    expect[which[i]] += counts[i];
  }

  p2ci_ngram_df d;
  const uint64_t *k1 = two ? key1 : NULL;
  ck_assert_int_eq(p2ci_ngram_df_init(&d, key_bits, n, max_count), P2C_OK);
  ck_assert_uint_eq(d.rec, rec);
  ck_assert_uint_gt(d.bits, key_bits > 2 ? 2 : 0); /* several partitions */
  ck_assert_int_eq(p2ci_ngram_df_next(&d, key0, k1, df, 1), P2C_ERR_INVALID_ARG); /* not counted yet */
  /* batches through p2ci_ngram_df_add and through a cursor, in turns; the
   * cursor's records counted when put or marked after */
  for (size_t i = 0, turn = 0; i < n; turn++) {
    size_t b = 1 + next_u64() % 500;
    if (b > n - i) b = n - i;
    if (turn % 2 == 0) {
      ck_assert_int_eq(p2ci_ngram_df_add(&d, key0 + i, k1 ? k1 + i : NULL, counts + i, b), P2C_OK);
    } else {
      p2ci_ngram_df_cursor c = p2ci_ngram_df_cursor_start(&d);
      for (size_t j = i; j < i + b; j++) {
        unsigned later = (unsigned)(next_u64() & 1);
        unsigned char *r = p2ci_ngram_df_put(&c, p2ci_ngram_df_hash(d.hasher, key0[j], key1[j]),
                                             two ? &key1[j] : NULL, later ? 0 : counts[j]);
        ck_assert_ptr_nonnull(r);
        if (later && counts[j]) p2ci_ngram_df_mark(r);
      }
      p2ci_ngram_df_cursor_end(&c);
    }
    i += b;
  }
  ck_assert_int_eq(p2ci_ngram_df_add(&d, key0, k1, counts, 1), P2C_ERR_LIMIT);
  p2ci_ngram_df_cursor full = p2ci_ngram_df_cursor_start(&d);
  ck_assert_ptr_null(p2ci_ngram_df_put(&full, p2ci_ngram_df_hash(d.hasher, key0[0], key1[0]), k1, 0));
  p2ci_ngram_df_cursor_end(&full);
  ck_assert_int_eq(p2ci_ngram_df_count(&d), P2C_OK);
  ck_assert_int_eq(p2ci_ngram_df_add(&d, key0, k1, counts, 0), P2C_ERR_INVALID_ARG);
  for (size_t i = 0, turn = 0; i < n; turn++) {
    size_t b = 1 + next_u64() % 500;
    if (b > n - i) b = n - i;
    if (turn % 2 == 0) {
      ck_assert_int_eq(p2ci_ngram_df_next(&d, key0 + i, k1 ? k1 + i : NULL, df + i, b), P2C_OK);
    } else {
      p2ci_ngram_df_cursor c = p2ci_ngram_df_cursor_start(&d);
      for (size_t j = i; j < i + b; j++) {
        uint64_t h = two ? p2ci_ngram_df_hash(d.hasher, key0[j], key1[j])
                         : p2ci_ngram_df_hash1(d.hasher, key0[j]);
        ck_assert_int_eq(p2ci_ngram_df_get(&c, h, &df[j]), P2C_OK);
      }
      p2ci_ngram_df_cursor_end(&c);
    }
    i += b;
  }
  size_t wrong = 0;
  for (size_t i = 0; i < n; i++) wrong += df[i] != expect[which[i]];
  ck_assert_uint_eq(wrong, 0);
  ck_assert_int_eq(p2ci_ngram_df_next(&d, key0, k1, df, 1), P2C_ERR_INVALID_ARG); /* past the end */
  p2ci_ngram_df_cursor past = p2ci_ngram_df_cursor_start(&d);
  uint32_t none;
  ck_assert_int_eq(p2ci_ngram_df_get(&past, p2ci_ngram_df_hash(d.hasher, key0[0], key1[0]), &none),
                   P2C_ERR_INVALID_ARG);
  p2ci_ngram_df_cursor_end(&past);
  p2ci_ngram_df_release(&d);
  p2ci_ngram_df_release(&d); /* released twice: a no-op */
  free(which);
  free(df);
  free(key0);
  free(key1);
  free(counts);
}

/* 300,000 records: 64 partitions (bits = 7); a record keeps the key's bits
 * below the partition number and the flag, and holds a count up to
 * max_count */
START_TEST(df_48_bit_keys)
{
  check_counts(48, 300000, 300000, 6); /* 42 bits */
  check_counts(40, 300000, 300000, 5);
}
END_TEST

START_TEST(df_64_bit_keys) { check_counts(64, 300000, 300000, 8); }
END_TEST

START_TEST(df_narrow_keys)
{
  check_counts(13, 300000, 300000, 3); /* the count takes 19 bits */
  check_counts(13, 300000, 255, 1);    /* 7 bits; counts up to 255 */
  check_counts(24, 300000, 60, 3);     /* 18 bits */
}
END_TEST

START_TEST(df_two_word_keys)
{
  check_counts(128, 300000, 300000, 8 + 8);
  check_counts(65, 100000, 100000, 8 + 1); /* 58 bits + flag in 8 bytes, 1 bit in 1 */
}
END_TEST

START_TEST(df_one_bit_keys) { check_counts(1, 1000, 1000, 2); } /* the count takes 2 bytes */
END_TEST

START_TEST(df_edges)
{
  p2ci_ngram_df d;
  uint64_t k[2] = {0, 0}, other = 1;
  uint8_t flags[2] = {1, 0};
  uint32_t df[2] = {99, 99};
  ck_assert_int_eq(p2ci_ngram_df_init(&d, 0, 10, 10), P2C_ERR_INVALID_ARG);
  ck_assert_int_eq(p2ci_ngram_df_init(&d, 129, 10, 10), P2C_ERR_INVALID_ARG);
  /* no record at all */
  ck_assert_int_eq(p2ci_ngram_df_init(&d, 16, 0, 0), P2C_OK);
  ck_assert_int_eq(p2ci_ngram_df_add(&d, k, NULL, flags, 1), P2C_ERR_LIMIT);
  ck_assert_int_eq(p2ci_ngram_df_count(&d), P2C_OK);
  ck_assert_int_eq(p2ci_ngram_df_next(&d, k, NULL, df, 0), P2C_OK);
  ck_assert_int_eq(p2ci_ngram_df_next(&d, k, NULL, df, 1), P2C_ERR_INVALID_ARG);
  p2ci_ngram_df_release(&d);
  /* the key size must match */
  ck_assert_int_eq(p2ci_ngram_df_init(&d, 100, 4, 4), P2C_OK);
  ck_assert_int_eq(p2ci_ngram_df_add(&d, k, NULL, flags, 1), P2C_ERR_INVALID_ARG);
  ck_assert_int_eq(p2ci_ngram_df_add(&d, k, k, flags, 2), P2C_OK);
  ck_assert_int_eq(p2ci_ngram_df_add(&d, k, k, flags, 1), P2C_OK);
  ck_assert_int_eq(p2ci_ngram_df_count(&d), P2C_OK);
  ck_assert_int_eq(p2ci_ngram_df_next(&d, k, NULL, df, 1), P2C_ERR_INVALID_ARG);
  ck_assert_int_eq(p2ci_ngram_df_next(&d, k, k, df, 1), P2C_OK);
  ck_assert_uint_eq(df[0], 2);
  p2ci_ngram_df_release(&d);
  /* a key that was not added, in a partition without records: an error,
   * not a read past the records (keys of 1 bit: 0 and 1 have partitions of
   * their own) */
  ck_assert_int_eq(p2ci_ngram_df_init(&d, 1, 2, 1), P2C_OK);
  ck_assert_uint_eq(d.bits, 1);
  ck_assert_int_eq(p2ci_ngram_df_add(&d, k, NULL, flags, 2), P2C_OK);
  ck_assert_int_eq(p2ci_ngram_df_count(&d), P2C_OK);
  ck_assert_int_eq(p2ci_ngram_df_next(&d, &other, NULL, df, 1), P2C_ERR_INVALID_ARG);
  ck_assert_int_eq(p2ci_ngram_df_next(&d, k, NULL, df, 2), P2C_OK);
  ck_assert_uint_eq(df[0], 1);
  ck_assert_uint_eq(df[1], 1);
  p2ci_ngram_df_release(&d);
}
END_TEST

/* After the generation counter wraps, the words and slots of the call made
 * with generation 1 must not look current: numbering y there gives what a
 * fresh numbering of y gives. */
START_TEST(numbering_across_generation_wrap)
{
  static const uint32_t x[] = {1, 2, 3, 1, 2, 3, 4}, y[] = {4, 0, 1, 2, 4, 0};
  const uint32_t *wx[] = {x}, *wy[] = {y};
  const size_t lx[] = {7}, ly[] = {6};
  p2ci_ngrams fresh, g;
  ck_assert_int_eq(p2ci_ngrams_init(&fresh, 5, 0), P2C_OK);
  ck_assert_int_eq(p2ci_ngrams_init(&g, 5, 0), P2C_OK);
  ck_assert_int_eq(p2ci_ngrams_number(&fresh, wy, ly, 1, 4), P2C_OK);
  size_t total = fresh.off[1];
  ck_assert_uint_eq(total, p2ci_ngrams_count(6, 4));
  /* words 4 0 1 2, then the 2-grams 40 01 12 24, then "4 0" again */
  ck_assert_uint_eq(fresh.n_ids, 4 + 4 + 4 + 3);
  ck_assert_uint_eq(fresh.ids[4], fresh.ids[0]);
  ck_assert_uint_eq(fresh.ids[6 + 4], fresh.ids[6 + 0]);

  ck_assert_int_eq(p2ci_ngrams_number(&g, wx, lx, 1, 4), P2C_OK);
  ck_assert_uint_eq(g.gen, 1);
  g.gen = UINT32_MAX; /* the next call wraps to generation 1 */
  ck_assert_int_eq(p2ci_ngrams_number(&g, wy, ly, 1, 4), P2C_OK);
  ck_assert_uint_eq(g.gen, 1);
  ck_assert_uint_eq(g.n_ids, fresh.n_ids);
  ck_assert_int_eq(memcmp(g.ids, fresh.ids, total * sizeof *g.ids), 0);
  p2ci_ngrams_release(&g);
  p2ci_ngrams_release(&fresh);
}
END_TEST

/* Every occurrence's id has the key of its words (word ids + 1, bits bits
 * each, the first highest), and the lists of ids by order hold every id once,
 * increasing, with keys of that order. Captions: repeats, an empty one, one
 * word, and one of 3,000 words alternating 0 and others (many distinct
 * n-grams after one prefix). */
static void check_keys(unsigned bits)
{
  static uint32_t big[3000];
  for (size_t i = 0; i < 3000; i++) big[i] = i % 2 ? 1 + (uint32_t)(i * 7 % 4000) : 0;
  static const uint32_t a[] = {1, 2, 3, 1, 2, 3, 4, 4001}, b[] = {4};
  const uint32_t *w[] = {a, NULL, b, big, a};
  const size_t len[] = {8, 0, 1, 3000, 8};
  p2ci_ngrams g;
  ck_assert_int_eq(p2ci_ngrams_init(&g, 4002, bits), P2C_OK);
  ck_assert_int_eq(p2ci_ngrams_number(&g, w, len, 5, 4), P2C_OK);
  ck_assert((g.key[1] != NULL) == (4 * bits > 64));
  size_t wrong = 0;
  for (size_t c = 0; c < 5; c++) {
    const uint32_t *id = g.ids + g.off[c];
    for (size_t k = 1; k <= 4 && k <= len[c]; k++)
      for (size_t i = 0; i + k <= len[c]; i++, id++) {
        uint64_t lo = 0, hi = 0;
        for (size_t j = 0; j < k; j++) {
          hi = bits < 64 ? hi << bits | lo >> (64 - bits) : lo;
          lo = lo << bits | (w[c][i + j] + 1);
        }
        wrong += g.key[0][*id] != lo || (g.key[1] ? g.key[1][*id] != hi : hi != 0);
      }
  }
  ck_assert_uint_eq(wrong, 0);
  uint8_t *seen = calloc(g.n_ids, 1);
  size_t listed = 0;
  ck_assert_ptr_nonnull(seen);
  for (size_t k = 0; k < 4; k++)
    for (size_t i = 0; i < g.n_of_order[k]; i++) {
      uint32_t id = g.of_order[k][i];
      ck_assert_uint_lt(id, g.n_ids);
      ck_assert(i == 0 || id > g.of_order[k][i - 1]);
      seen[id]++;
      listed++;
      /* a key of order k + 1 is below 2^((k + 1) bits) and not below 2^(k bits) */
      uint64_t lo = g.key[0][id], hi = g.key[1] ? g.key[1][id] : 0;
      unsigned size = hi ? 64 + 64 - (unsigned)__builtin_clzll(hi) : 64 - (unsigned)__builtin_clzll(lo);
      ck_assert_uint_eq((size + bits - 1) / bits, k + 1);
    }
  ck_assert_uint_eq(listed, g.n_ids);
  for (size_t i = 0; i < g.n_ids; i++) ck_assert_uint_eq(seen[i], 1);
  /* caption 0's ids come first */
  for (size_t i = g.off[0]; i < g.off[1]; i++) ck_assert_uint_lt(g.ids[i], g.first_ids);
  free(seen);
  p2ci_ngrams_release(&g);
}

START_TEST(numbering_keys_and_orders)
{
  check_keys(12); /* 4002 words */
  check_keys(16);
  check_keys(32); /* two key words */
  p2ci_ngrams g;
  ck_assert_int_eq(p2ci_ngrams_init(&g, 4096, 12), P2C_ERR_INVALID_ARG); /* word id + 1 = 4096 */
  ck_assert_int_eq(p2ci_ngrams_init(&g, 10, 33), P2C_ERR_INVALID_ARG);
}
END_TEST

static Suite *suite(void)
{
  Suite *s = suite_create("ngrams");
  TCase *tc = tcase_create("ngrams");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, df_48_bit_keys);
  tcase_add_test(tc, df_64_bit_keys);
  tcase_add_test(tc, df_narrow_keys);
  tcase_add_test(tc, df_two_word_keys);
  tcase_add_test(tc, df_one_bit_keys);
  tcase_add_test(tc, df_edges);
  tcase_add_test(tc, numbering_across_generation_wrap);
  tcase_add_test(tc, numbering_keys_and_orders);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return p2ct_run(suite()); }
