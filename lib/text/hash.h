/* The one hash function of the text layer (word interning, n-gram interning). */
#ifndef P2C_TEXT_HASH_H
#define P2C_TEXT_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* 64-bit multiply-xorshift finalizer (splitmix64's): cheap, and good enough
 * for open addressing on short keys. Not used across processes or stored. */
static inline uint64_t p2ci_hash_mix(uint64_t h)
{
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

static inline uint64_t p2ci_hash_bytes(const char *s, size_t n)
{
  uint64_t h = 0x9e3779b97f4a7c15ULL ^ (uint64_t)n;
  while (n >= 8) {
    uint64_t w;
    memcpy(&w, s, 8);
    h = (h ^ w) * 0x100000001b3ULL;
    h ^= h >> 29;
    s += 8;
    n -= 8;
  }
  uint64_t w = 0;
  memcpy(&w, s, n);
  h = (h ^ w) * 0x100000001b3ULL;
  return p2ci_hash_mix(h);
}

/* The same, for tables that keep 32-bit hashes. */
static inline uint32_t p2ci_hash32(const char *s, size_t n) { return (uint32_t)p2ci_hash_bytes(s, n); }

#endif
