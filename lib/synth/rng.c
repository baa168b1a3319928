#include "synth/rng.h"

static uint64_t splitmix64(uint64_t *x)
{
  uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

void p2ci_rng_seed(p2ci_rng *r, uint64_t seed, uint64_t a, uint64_t b)
{
  uint64_t x = p2ci_hash3(seed, a, b);
  for (int i = 0; i < 4; i++) r->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
  return (x << k) | (x >> (64 - k));
}

uint64_t p2ci_rng_u64(p2ci_rng *r)
{
  uint64_t *s = r->s;
  uint64_t result = rotl(s[1] * 5, 7) * 9;
  uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return result;
}

double p2ci_rng_unit(p2ci_rng *r)
{
  return (double)(p2ci_rng_u64(r) >> 11) * 0x1.0p-53;
}

int p2ci_rng_int(p2ci_rng *r, int lo, int hi)
{
  uint64_t span = (uint64_t)((int64_t)hi - lo) + 1;
  return (int)((int64_t)lo + (int64_t)(p2ci_rng_u64(r) % span));
}

double p2ci_rng_range(p2ci_rng *r, double lo, double hi)
{
  return lo + (hi - lo) * p2ci_rng_unit(r);
}

int p2ci_rng_chance(p2ci_rng *r, double p)
{
  return p2ci_rng_unit(r) < p;
}

uint64_t p2ci_hash3(uint64_t a, uint64_t b, uint64_t c)
{
  uint64_t x = a * 0x9e3779b97f4a7c15ULL;
  x ^= b + 0x632be59bd9b4e019ULL + (x << 6) + (x >> 2);
  x ^= c + 0x85157af5a1f1a9f1ULL + (x << 6) + (x >> 2);
  return splitmix64(&x);
}

static double lattice(uint64_t key, int64_t i, int64_t j)
{
  return (double)(p2ci_hash3(key, (uint64_t)i, (uint64_t)j) >> 11) * 0x1.0p-53;
}

static double smooth(double t)
{
  return t * t * (3.0 - 2.0 * t);
}

static int64_t floor_i(double v)
{
  int64_t i = (int64_t)v;
  return (v < (double)i) ? i - 1 : i;
}

double p2ci_noise1(uint64_t key, double t)
{
  int64_t i = floor_i(t);
  double f = smooth(t - (double)i);
  double a = lattice(key, i, 0), b = lattice(key, i + 1, 0);
  return 2.0 * (a + (b - a) * f) - 1.0;
}

double p2ci_noise2(uint64_t key, double x, double y)
{
  int64_t i = floor_i(x), j = floor_i(y);
  double fx = smooth(x - (double)i), fy = smooth(y - (double)j);
  double a = lattice(key, i, j), b = lattice(key, i + 1, j);
  double c = lattice(key, i, j + 1), d = lattice(key, i + 1, j + 1);
  double top = a + (b - a) * fx, bottom = c + (d - c) * fx;
  return top + (bottom - top) * fy;
}
