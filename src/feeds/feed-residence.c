/*
 * The residence feed (BRP-like, docs/feeds.md): one row per address period of a young
 * person. Its rows fill the person's identifying data (names, address, birth date,
 * municipality, postcode-4) and give the events moved, moved_out_of_region and died.
 *
 * A person's rows are consecutive and in date order, so whether an address that ends
 * (moved_out) was left for another in the region or for outside it is known at the next
 * row of the file; the feed keeps the one address waiting for that answer.
 */
#include "feeds/feed-internal.h"
#include "registry/person-feed.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

enum {
	C_BSN,
	C_GIVEN_NAMES,
	C_SURNAME_PREFIX,
	C_SURNAME,
	C_BIRTH_DATE,
	C_STREET,
	C_HOUSE_NUMBER,
	C_POSTCODE,
	C_CITY,
	C_MUNICIPALITY,
	C_MOVED_IN,
	C_MOVED_OUT,
	C_DIED,
	C_COUNT
};

static const char *const columns[C_COUNT] = {
    "bsn",      "given_names",  "surname_prefix", "surname", "birth_date",
    "street",   "house_number", "postcode",       "city",    "municipality_code",
    "moved_in", "moved_out",    "died",
};

#define REQUIRED                                                                                   \
	(1u << C_BSN | 1u << C_GIVEN_NAMES | 1u << C_SURNAME | 1u << C_BIRTH_DATE |                \
	 1u << C_STREET | 1u << C_HOUSE_NUMBER | 1u << C_POSTCODE | 1u << C_CITY |                 \
	 1u << C_MUNICIPALITY | 1u << C_MOVED_IN)

/* An address that ended, waiting for the next row to tell where the person went. */
struct residence_state {
	bool pending;
	int64_t person_id, record_id;
	date_t moved_out;
	char municipality[GEMEENTE_SIZE];
	int64_t died_person; /* the last person given a died event in this import */
};

static struct residence_state *state(struct feed_ctx *c)
{
	if (!c->feed_state)
		c->feed_state = xcalloc(1, sizeof(struct residence_state));
	return c->feed_state;
}

static void person_input_of(const struct feed_ctx *c, struct person_input *in)
{
	memset(in, 0, sizeof(*in));
	in->bsn = c->bsn;
	in->given_names = feed_val(c, C_GIVEN_NAMES);
	in->surname_prefix = feed_val(c, C_SURNAME_PREFIX) ? feed_val(c, C_SURNAME_PREFIX) : "";
	in->surname = feed_val(c, C_SURNAME);
	in->birth_date = feed_val(c, C_BIRTH_DATE);
	in->street = feed_val(c, C_STREET);
	in->house_number = feed_val(c, C_HOUSE_NUMBER);
	in->postcode = feed_val(c, C_POSTCODE);
	in->city = feed_val(c, C_CITY);
	in->municipality_code = feed_val(c, C_MUNICIPALITY);
}

/* The registry's own checks of names and address; "field X: …" names the column. */
static void check_person(struct feed_ctx *c)
{
	struct person_input in;
	struct err e = ERR_INIT;
	person_input_of(c, &in);
	if (person_feed_validate(&in, &e) == 0)
		return;
	int col = -1;
	const char *rule = e.msg;
	if (strncmp(e.msg, "field ", 6) == 0) {
		size_t n = strcspn(e.msg + 6, ":");
		for (int i = 0; i < C_COUNT; i++)
			if (strlen(columns[i]) == n && strncmp(columns[i], e.msg + 6, n) == 0)
				col = i;
		if (e.msg[6 + n] == ':')
			rule = e.msg + 6 + n + 2;
	}
	feed_reject(c, col, "%s", rule);
}

/* A keyed digest of the identifying fields: a change of name or address changes the
 * record's content without putting the name in it. */
static void pii_digest(struct feed_ctx *c, char out[BLIND_HEX_SIZE])
{
	static const int fields[] = {C_GIVEN_NAMES,  C_SURNAME_PREFIX, C_SURNAME, C_STREET,
	                             C_HOUSE_NUMBER, C_POSTCODE,       C_CITY};
	struct buf all = BUF_INIT;
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		const char *v = feed_val(c, fields[i]);
		buf_adds(&all, v ? v : "");
		buf_addch(&all, '\x1f');
	}
	crypto_blind(c->k, "residence", all.data, out);
	sodium_memzero(all.data, all.len);
	buf_release(&all);
}

static void parse(struct feed_ctx *c)
{
	date_t birth, in, out, died;
	char municipality[GEMEENTE_SIZE], postcode[POSTCODE_SIZE];
	feed_bsn(c, C_BSN);
	for (int i = 0; i < C_COUNT; i++)
		if ((REQUIRED >> i) & 1 && i != C_BSN)
			feed_required(c, i);
	if (c->nerrors)
		return;
	feed_date(c, C_BIRTH_DATE, true, DATE_NOT_FUTURE, &birth);
	feed_date(c, C_MOVED_IN, true, DATE_NOT_FUTURE, &in);
	feed_date(c, C_MOVED_OUT, false, DATE_NOT_FUTURE, &out);
	feed_date(c, C_DIED, false, DATE_NOT_FUTURE, &died);
	feed_ident(c, C_MUNICIPALITY, true, ident_gemeente, municipality);
	feed_ident(c, C_POSTCODE, true, ident_postcode, postcode);
	if (c->nerrors)
		return;
	if (in < birth)
		feed_reject(c, C_MOVED_IN,
		            "lies before the birth date (rule: an address begins "
		            "on or after birth)");
	if (out != DATE_NONE && out <= in)
		feed_reject(c, C_MOVED_OUT,
		            "not after moved_in (rule: moved_out is the first day "
		            "not living at the address)");
	if (died != DATE_NONE && died < birth)
		feed_reject(c, C_DIED, "lies before the birth date (rule: died on or after birth)");
	check_person(c);
	if (c->nerrors)
		return;
	char digest[BLIND_HEX_SIZE], pc4[5];
	pii_digest(c, digest);
	memcpy(pc4, postcode, 4);
	pc4[4] = '\0';
	char s[DATE_STR_SIZE];
	buf_adds(&c->key, feed_date_text(in, s));
	feed_json_begin(&c->content);
	feed_json_date(&c->content, "birth_date", birth);
	feed_json_text(&c->content, "municipality_code", municipality);
	feed_json_text(&c->content, "postcode4", pc4);
	feed_json_date(&c->content, "moved_in", in);
	feed_json_date(&c->content, "moved_out", out);
	feed_json_date(&c->content, "died", died);
	feed_json_text(&c->content, "pii", digest);
	feed_json_end(&c->content);
	feed_set_validity(c, in, out == DATE_NONE ? DATE_NONE : out - 1);
}

static void detail_municipality(char *out, size_t size, const char *from, const char *to)
{
	if (from && *from)
		snprintf(out, size, "{\"from\":\"%s\",\"to\":\"%s\"}", from, to);
	else
		snprintf(out, size, "{\"from\":null,\"to\":\"%s\"}", to);
}

/* The waiting address was the person's last in the region: they moved out of it. */
static int flush_pending(struct feed_ctx *c, struct err *e)
{
	struct residence_state *st = state(c);
	if (!st->pending)
		return 0;
	st->pending = false;
	int64_t person = c->person_id, record = c->record_id;
	c->person_id = st->person_id;
	c->record_id = st->record_id;
	char detail[64];
	snprintf(detail, sizeof(detail), "{\"from\":\"%s\"}", st->municipality);
	int rc = feed_event(c, st->moved_out, "moved_out_of_region", NULL, st->municipality, detail,
	                    NULL, e);
	c->person_id = person;
	c->record_id = record;
	return rc;
}

static int died_known(struct feed_ctx *c, bool *known, struct err *e)
{
	struct stmt *st;
	*known = false;
	if (store_prepare(c->s, "SELECT count(*) FROM events WHERE person_id = ? AND kind = 'died'",
	                  &st, e) < 0)
		return -1;
	stmt_bind_int64(st, 1, c->person_id);
	int rc = stmt_step(st, e);
	*known = rc == STORE_ROW && stmt_int64(st, 0) > 0;
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

static int died_event(struct feed_ctx *c, const char *old_content, struct err *e)
{
	struct residence_state *st = state(c);
	date_t died;
	struct err ignored = ERR_INIT;
	if (!feed_val(c, C_DIED) || st->died_person == c->person_id)
		return 0;
	if (old_content) {
		char old[DATE_STR_SIZE];
		feed_content_get(old_content, "died", old, sizeof(old));
		if (old[0])
			return 0;
	}
	bool known;
	if (died_known(c, &known, e) < 0)
		return -1;
	st->died_person = c->person_id;
	if (known || date_parse(feed_val(c, C_DIED), &died, &ignored) < 0)
		return 0;
	return feed_event(c, died, "died", NULL, NULL, NULL, NULL, e);
}

static int record(struct feed_ctx *c, enum feed_change what, const char *old_content,
                  const char *old_valid_to, struct err *e)
{
	struct residence_state *st = state(c);
	struct err ignored = ERR_INIT;
	date_t birth, in, out = DATE_NONE;
	char municipality[GEMEENTE_SIZE], from[GEMEENTE_SIZE] = "";
	date_parse(feed_val(c, C_BIRTH_DATE), &birth, &ignored);
	date_parse(feed_val(c, C_MOVED_IN), &in, &ignored);
	if (feed_val(c, C_MOVED_OUT))
		date_parse(feed_val(c, C_MOVED_OUT), &out, &ignored);
	ident_gemeente(feed_val(c, C_MUNICIPALITY), "municipality_code", municipality, &ignored);

	/* The waiting address: followed by this one, or left for outside the region. */
	if (st->pending) {
		if (st->person_id == c->person_id && st->moved_out == in) {
			snprintf(from, sizeof(from), "%s", st->municipality);
			st->pending = false;
		} else if (flush_pending(c, e) < 0) {
			return -1;
		}
	}
	/* The current address, or one that was current until this delivery; a person created
	 * from this row has its data already. */
	bool was_current = what == FEED_NEW || !old_valid_to;
	if (was_current && !c->person_created) {
		struct person_input pin;
		person_input_of(c, &pin);
		if (person_feed_update(c->persons, c->person_id, &pin, e) < 0)
			return -1;
	}
	if (what == FEED_NEW && in != birth) {
		char detail[64];
		detail_municipality(detail, sizeof(detail), from, municipality);
		if (feed_event(c, in, "moved", NULL, municipality, detail, NULL, e) < 0)
			return -1;
	}
	if (out != DATE_NONE && was_current) {
		st->pending = true;
		st->person_id = c->person_id;
		st->record_id = c->record_id;
		st->moved_out = out;
		snprintf(st->municipality, sizeof(st->municipality), "%s", municipality);
	}
	return died_event(c, old_content, e);
}

static int finish(struct feed_ctx *c, struct err *e)
{
	return flush_pending(c, e);
}

const struct feed_def feed_residence = {
    .name = "residence",
    .mode = FEED_SNAPSHOT,
    .columns = columns,
    .ncolumns = C_COUNT,
    .required = REQUIRED,
    .bsn_column = C_BSN,
    .key_has_person = true,
    .parse = parse,
    .person_data = person_input_of,
    .record = record,
    .ended = NULL,
    .finish = finish,
};
