/*
 * Persons as the feed importers meet them: by BSN. A feed row names a young person by BSN
 * only; the importer needs the person's id, and creates the person (pseudonymised and
 * sealed as the registry does) when the region does not know them yet. The residence feed
 * also brings names, address, birth date, municipality and postcode-4, which replace what
 * is known.
 *
 * A struct person_feed lives for one import, inside the import's transaction. Preloaded,
 * the ids of all persons with a BSN are read once into a map keyed by the first 16 bytes of
 * the pseudonym: memory proportional to the registry (about 34 bytes a person), not to the
 * file, and one HMAC and one probe per row instead of a query. Otherwise each person asks
 * the store (small posts over the API); on demand, the map is loaded once so many have
 * asked that it pays (a large delivery whose rows are mostly known already, see
 * docs/feeds.md). Rows of one person in a row cost one HMAC.
 *
 * The caller audits: an import appends one audit entry that counts the persons it created
 * and updated (person_feed_created, person_feed_updated).
 */
#ifndef REGISTRY_PERSON_FEED_H
#define REGISTRY_PERSON_FEED_H

#include <stdbool.h>
#include <stdint.h>

#include "crypto/keyring.h"
#include "registry/ident.h"
#include "registry/person.h"
#include "store/store.h"
#include "util/err.h"

struct person_feed;

enum person_feed_mode {
	PERSON_FEED_LOOKUP,    /* ask the store for each person */
	PERSON_FEED_PRELOAD,   /* load the map at once */
	PERSON_FEED_ON_DEMAND, /* ask the store, and load the map once that is cheaper */
};

/* Start resolving persons in `s` with the keys `k` (both borrowed for the lifetime). */
int person_feed_open(struct store *s, const struct keyring *k, enum person_feed_mode mode,
                     struct person_feed **out, struct err *e);
void person_feed_free(struct person_feed *pf);

/*
 * The id of the person with the (validated, 9-digit) BSN `bsn`, created with only the BSN
 * sealed when the registry has no such person (*created then true). Another import that
 * creates the same person at the same time is waited for, not duplicated.
 */
int person_feed_resolve(struct person_feed *pf, const char *bsn, int64_t *id, bool *created,
                        struct err *e);

/*
 * The same for a residence row (`in`, valid by person_feed_validate): a person not yet in the
 * registry is created with the row's data, so that no person_feed_update has to follow for
 * this row (*created true).
 */
int person_feed_resolve_with(struct person_feed *pf, const struct person_input *in, int64_t *id,
                             bool *created, struct err *e);
/*
 * A hint that the row being read names `bsn` (as delivered; ignored unless it is 9 digits):
 * its pseudonym is computed now and its slot of the map fetched into the CPU's cache while
 * the rest of the row is validated, so that person_feed_resolve does not wait for memory.
 */
void person_feed_prefetch(struct person_feed *pf, const char *bsn);

/* The same with the pseudonym computed elsewhere (crypto_pseudonym_bin of `bsn`, by a thread
 * that reads the rows ahead): the coming person_feed_resolve of `bsn` uses it. */
void person_feed_expect(struct person_feed *pf, const char *bsn,
                        const unsigned char mac[crypto_auth_hmacsha256_BYTES]);

/*
 * Check a residence row's identifying data by the registry's rules (person_validate);
 * errors name the field and rule, never a name or address.
 */
int person_feed_validate(const struct person_input *in, struct err *e);

/*
 * Replace the identifying data of person `id` (resolved from in->bsn) with a residence
 * row's: names, address, birth date, municipality, postcode-4, and the name keys. Phone and
 * e-mail already known are kept.
 */
int person_feed_update(struct person_feed *pf, int64_t id, const struct person_input *in,
                       struct err *e);

long person_feed_created(const struct person_feed *pf);
long person_feed_updated(const struct person_feed *pf);

#endif
