/*
 * The pseudo-random numbers of the generator: xoshiro256** seeded through splitmix64, both by
 * Blackman and Vigna (public domain, https://prng.di.unimi.it/). They are written out here
 * rather than taken from a library because they are a dozen lines and `inbeeld gen` must give
 * byte-identical files for the same seed on every machine and with every library version.
 *
 * Every decision uses integer arithmetic only (chances in parts per million), so no floating
 * point rounding can make two builds differ. A struct rng is a plain value: copy it freely.
 */
#ifndef GEN_RNG_H
#define GEN_RNG_H

#include <stdbool.h>
#include <stdint.h>

struct rng {
	uint64_t s[4];
};

/* The splitmix64 finaliser: a bijective mix of 64 bits. */
uint64_t rng_mix64(uint64_t x);

/* Seed from one 64-bit value (expanded with splitmix64, as the authors recommend). */
void rng_seed(struct rng *r, uint64_t seed);

/*
 * Seed the stream numbered `index` of kind `stream` under `seed`: each young person (and each
 * kind of use) has a stream of its own, so a row never depends on how many numbers were drawn
 * for other rows.
 */
void rng_seed_stream(struct rng *r, uint64_t seed, uint64_t stream, uint64_t index);

/* The next 64 random bits. */
uint64_t rng_next(struct rng *r);

/* A number in [0, n) (n > 0), by multiply-and-shift; the bias is below n / 2^64. */
uint32_t rng_below(struct rng *r, uint32_t n);

/* A number in [lo, hi] (lo <= hi). */
int rng_range(struct rng *r, int lo, int hi);

/* True with probability ppm / 1,000,000. */
bool rng_chance(struct rng *r, uint32_t ppm);

/* True with probability ppb / 1,000,000,000. */
bool rng_chance_ppb(struct rng *r, uint32_t ppb);

/* Index into `weights` (n entries, not all zero) with probability weight / sum. */
int rng_weighted(struct rng *r, const uint32_t *weights, int n);

/*
 * A keyed permutation of [0, domain) (domain <= 2^32): a balanced four-round Feistel network
 * over the smallest even number of bits that covers the domain, with cycle walking for the
 * values beyond it. Distinct x give distinct results, which is how generated identifiers
 * (BSN, BRIN, AGB, KvK) stay unique without a table.
 */
uint32_t rng_permute(uint64_t key, uint32_t x, uint32_t domain);

#endif
