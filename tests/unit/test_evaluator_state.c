/* The evaluator's mergeable state: shards merged in any order finish to the
 * bytes of one run (both protocols), and bad states are clear errors. Runs on
 * the bundled fixture, and on the parity sets when present. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "p2ceval.h"
#include "testutil.h"

typedef struct set {
  p2c_dataset *gt, *pred;
} set;

static set load(const char *gt, const char *pred)
{
  set s = {NULL, NULL};
  p2c_load_options o = P2C_LOAD_OPTIONS_INIT;
  p2c_error err;
  ck_assert_msg(p2c_dataset_load(gt, &o, &s.gt, &err) == P2C_OK, "%s", err.message);
  o.kind = P2C_DATASET_PRED;
  ck_assert_msg(p2c_dataset_load(pred, &o, &s.pred, &err) == P2C_OK, "%s", err.message);
  return s;
}

static void unload(set *s)
{
  p2c_dataset_free(s->gt);
  p2c_dataset_free(s->pred);
}

static p2c_evaluator *run(const set *s, int protocol, size_t shard, size_t n)
{
  p2c_eval_options o = P2C_EVAL_OPTIONS_INIT;
  o.protocol = protocol;
  o.compat_cpus = 2;
  p2c_evaluator *ev = NULL;
  p2c_error err;
  ck_assert_msg(p2c_evaluator_create(s->gt, &o, &ev, &err) == P2C_OK, "%s", err.message);
  ck_assert_msg(p2c_evaluator_run_shard(ev, s->gt, s->pred, shard, n) == P2C_OK, "%s",
                p2c_evaluator_last_error(ev));
  return ev;
}

static p2c_evaluator *empty(const set *s, int protocol)
{
  p2c_eval_options o = P2C_EVAL_OPTIONS_INIT;
  o.protocol = protocol;
  o.compat_cpus = 2;
  p2c_evaluator *ev = NULL;
  ck_assert_int_eq(p2c_evaluator_create(s->gt, &o, &ev, NULL), P2C_OK);
  return ev;
}

static char *state_of(p2c_evaluator *ev, size_t *len)
{
  const unsigned char *d;
  ck_assert_int_eq(p2c_evaluator_state(ev, &d, len), P2C_OK);
  char *copy = malloc(*len);
  ck_assert_ptr_nonnull(copy);
  memcpy(copy, d, *len);
  return copy;
}

/* n shards, merged in reverse order, against one run: the same JSON bytes. */
static void check_sharded(const char *gt, const char *pred, int protocol, size_t n)
{
  set s = load(gt, pred);
  p2c_evaluator *one = run(&s, protocol, 0, 1);
  ck_assert_int_eq(p2c_evaluator_finish(one), P2C_OK);
  p2c_evaluator *merged = NULL;
  for (size_t k = n; k-- > 0;) {
    p2c_evaluator *part = run(&s, protocol, k, n);
    size_t len;
    char *st = state_of(part, &len);
    p2c_evaluator_free(part);
    if (!merged) {
      p2c_error err;
      ck_assert_msg(p2c_evaluator_from_state(st, len, NULL, &merged, &err) == P2C_OK, "%s", err.message);
    } else {
      ck_assert_msg(p2c_evaluator_merge_state(merged, st, len) == P2C_OK, "%s",
                    p2c_evaluator_last_error(merged));
    }
    free(st);
  }
  ck_assert_msg(p2c_evaluator_finish(merged) == P2C_OK, "%s", p2c_evaluator_last_error(merged));
  ck_assert_str_eq(p2c_evaluator_json(merged), p2c_evaluator_json(one));
  p2c_eval_summary a, b;
  p2c_evaluator_summary(one, &a);
  p2c_evaluator_summary(merged, &b);
  ck_assert_uint_eq(a.images, b.images);
  printf("%s, %s: %zu shards merged = one run (%zu images, JSON byte for byte)\n", gt,
         p2c_protocol_name(protocol), n, a.images);
  p2c_evaluator_free(one);
  p2c_evaluator_free(merged);
  unload(&s);
}

START_TEST(fixture_sharded_equals_single)
{
  for (int p = 0; p <= 1; p++)
    for (size_t n = 2; n <= 5; n += 3)
      check_sharded("fixtures/synth/gt.json", "fixtures/synth/pred.json", p, n);
}
END_TEST

START_TEST(parity_sharded_equals_single)
{
  const char *gt = p2ct_parity("panoptic/medium/inputs/gt.json");
  if (!gt) {
    p2ct_skip("panoptic/medium");
    return;
  }
  char g[4096], pr[4096];
  snprintf(g, sizeof g, "%s", gt);
  snprintf(pr, sizeof pr, "%s", p2ct_parity("panoptic/medium/inputs/pred.json"));
  check_sharded(g, pr, P2C_PROTOCOL_P2C_V1, 3);
  check_sharded(g, pr, P2C_PROTOCOL_PIX2CAP_OFFICIAL, 4);
}
END_TEST

START_TEST(bad_states)
{
  set s = load("fixtures/synth/gt.json", "fixtures/synth/pred.json");
  p2c_evaluator *ev = run(&s, P2C_PROTOCOL_P2C_V1, 0, 2);
  size_t len;
  char *st = state_of(ev, &len);
  ck_assert(len > 12 && !memcmp(st, "P2CSTATE\1\0\0\0", 12)); /* version 1, little-endian */
  p2c_evaluator *other = run(&s, P2C_PROTOCOL_P2C_V1, 1, 2);
  st[8] = 2;
  ck_assert_int_eq(p2c_evaluator_merge_state(other, st, len), P2C_ERR_VERSION);
  ck_assert_ptr_nonnull(strstr(p2c_evaluator_last_error(other), "version 2"));
  st[8] = 1;
  ck_assert_int_eq(p2c_evaluator_merge_state(other, st, len - 1), P2C_ERR_PARSE);
  ck_assert_int_eq(p2c_evaluator_merge_state(other, "garbage", 7), P2C_ERR_PARSE);
  /* every single-bit flip and every truncation: an error or a valid state, never a crash */
  size_t accepted = 0, tried = 0;
  for (size_t i = 0; i < len; i += i < 2048 ? 1 : 7) {
    p2c_evaluator *t = empty(&s, P2C_PROTOCOL_P2C_V1);
    st[i] ^= 0x10;
    int rc = p2c_evaluator_merge_state(t, st, len);
    st[i] ^= 0x10;
    ck_assert(rc == P2C_OK || rc == P2C_ERR_PARSE || rc == P2C_ERR_MISMATCH || rc == P2C_ERR_VERSION);
    accepted += rc == P2C_OK;
    tried++;
    ck_assert_int_eq(p2c_evaluator_merge_state(t, st, i), P2C_ERR_PARSE);
    p2c_evaluator_free(t);
  }
  printf("bit flips at %zu positions: %zu still a valid state (a value changed), the rest rejected; "
         "%zu truncations rejected\n", tried, accepted, tried);
  /* another protocol: refused, naming the difference */
  p2c_evaluator *off = run(&s, P2C_PROTOCOL_PIX2CAP_OFFICIAL, 1, 2);
  ck_assert_int_eq(p2c_evaluator_merge_state(off, st, len), P2C_ERR_MISMATCH);
  ck_assert_ptr_nonnull(strstr(p2c_evaluator_last_error(off), "protocol"));
  /* the same images twice: an error at finish */
  ck_assert_int_eq(p2c_evaluator_merge_state(ev, st, len), P2C_OK);
  ck_assert_int_eq(p2c_evaluator_finish(ev), P2C_ERR_MISMATCH);
  ck_assert_ptr_nonnull(strstr(p2c_evaluator_last_error(ev), "more than once"));
  free(st);
  p2c_evaluator_free(ev);
  p2c_evaluator_free(other);
  p2c_evaluator_free(off);
  unload(&s);
}
END_TEST

static Suite *suite(void)
{
  Suite *s = suite_create("evaluator_state");
  TCase *tc = tcase_create("state");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, fixture_sharded_equals_single);
  tcase_add_test(tc, parity_sharded_equals_single);
  tcase_add_test(tc, bad_states);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return p2ct_run(suite()); }
