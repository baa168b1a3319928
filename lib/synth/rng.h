/* A small seeded random generator for p2c-synth: xoshiro256** seeded through
 * splitmix64 (Blackman & Vigna 2018), plus integer-hash value noise. Pure
 * integer and +,-,* arithmetic, so every platform draws the same numbers. */
#ifndef P2C_SYNTH_RNG_H
#define P2C_SYNTH_RNG_H

#include <stdint.h>

typedef struct p2ci_rng {
  uint64_t s[4];
} p2ci_rng;

/* Seed one independent stream per (seed, a, b): e.g. (user seed, image index,
 * purpose), so that images and purposes never share draws. */
void p2ci_rng_seed(p2ci_rng *r, uint64_t seed, uint64_t a, uint64_t b);
uint64_t p2ci_rng_u64(p2ci_rng *r);
/* Uniform in [0, 1) with 53 random bits. */
double p2ci_rng_unit(p2ci_rng *r);
/* Uniform integer in [lo, hi] (lo <= hi). */
int p2ci_rng_int(p2ci_rng *r, int lo, int hi);
/* Uniform in [lo, hi). */
double p2ci_rng_range(p2ci_rng *r, double lo, double hi);
/* 1 with probability p. */
int p2ci_rng_chance(p2ci_rng *r, double p);

/* A 64-bit mix of the arguments (splitmix64 finaliser): texture noise. */
uint64_t p2ci_hash3(uint64_t a, uint64_t b, uint64_t c);
/* Smooth 1-D value noise in [-1, 1]: random values at integer points,
 * smoothstep-interpolated. */
double p2ci_noise1(uint64_t key, double t);
/* Smooth 2-D value noise in [0, 1] on a lattice of the given cell size. */
double p2ci_noise2(uint64_t key, double x, double y);

#endif
