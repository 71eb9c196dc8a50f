/* xoshiro256** and splitmix64 (see rng.h for why they are written out here). */
#include "gen/rng.h"

uint64_t rng_mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void rng_seed(struct rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++) {
		seed += 0x9e3779b97f4a7c15ULL; /* splitmix64's increment */
		r->s[i] = rng_mix64(seed);
	}
	/* An all-zero state would stay zero; splitmix64 cannot give four zero words, but say so. */
	if (!(r->s[0] | r->s[1] | r->s[2] | r->s[3]))
		r->s[0] = 1;
}

void rng_seed_stream(struct rng *r, uint64_t seed, uint64_t stream, uint64_t index)
{
	uint64_t k = rng_mix64(seed ^ 0x5851f42d4c957f2dULL);
	k = rng_mix64(k ^ (stream * 0xd1342543de82ef95ULL));
	k = rng_mix64(k ^ index);
	rng_seed(r, k);
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t rng_next(struct rng *r)
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

uint32_t rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((unsigned __int128)rng_next(r) * n) >> 64);
}

int rng_range(struct rng *r, int lo, int hi)
{
	return lo + (int)rng_below(r, (uint32_t)(hi - lo) + 1);
}

bool rng_chance(struct rng *r, uint32_t ppm)
{
	return rng_below(r, 1000000) < ppm;
}

bool rng_chance_ppb(struct rng *r, uint32_t ppb)
{
	return rng_below(r, 1000000000) < ppb;
}

int rng_weighted(struct rng *r, const uint32_t *weights, int n)
{
	uint64_t sum = 0;
	for (int i = 0; i < n; i++)
		sum += weights[i];
	uint64_t x = (uint64_t)(((unsigned __int128)rng_next(r) * sum) >> 64);
	for (int i = 0; i < n; i++) {
		if (x < weights[i])
			return i;
		x -= weights[i];
	}
	return n - 1;
}

static uint32_t feistel(uint64_t key, uint32_t x, int half)
{
	uint32_t mask = (1u << half) - 1, l = x >> half, r = x & mask;
	for (uint64_t round = 0; round < 4; round++) {
		uint32_t f = (uint32_t)rng_mix64(key ^ (round << 56) ^ r) & mask;
		uint32_t nl = r;
		r = l ^ f;
		l = nl;
	}
	return (l << half) | r;
}

uint32_t rng_permute(uint64_t key, uint32_t x, uint32_t domain)
{
	int half = 1;
	while (half < 16 && ((uint64_t)1 << (2 * half)) < domain)
		half++;
	do
		x = feistel(key, x, half);
	while (x >= domain);
	return x;
}
