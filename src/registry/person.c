/*
 * Young people in the registry (see person.h): validation, the sealed identifying data, the
 * name keys, and adding, reading, finding, listing and loading persons. Duplicates are in
 * person-dedup.c, merges in person-merge.c, key rotation in person-keys.c.
 */
#include "registry/person-internal.h"

#include "access/decide.h"
#include "audit/audit.h"
#include "util/csv.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const struct person_pii_field person_pii_fields[] = {
	{"bsn", offsetof(struct person_pii, bsn)},
	{"given_names", offsetof(struct person_pii, given_names)},
	{"surname_prefix", offsetof(struct person_pii, surname_prefix)},
	{"surname", offsetof(struct person_pii, surname)},
	{"street", offsetof(struct person_pii, street)},
	{"house_number", offsetof(struct person_pii, house_number)},
	{"postcode", offsetof(struct person_pii, postcode)},
	{"city", offsetof(struct person_pii, city)},
	{"phone", offsetof(struct person_pii, phone)},
	{"email", offsetof(struct person_pii, email)},
};
const size_t person_pii_nfields = sizeof(person_pii_fields) / sizeof(person_pii_fields[0]);

static const char insert_sql[] =
	"INSERT INTO persons (pkey, provisional, birth_date, municipality_code, postcode4,"
	" name_index, name_block, pii, key_id, created_at, updated_at)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

static const char by_pkey_sql[] = "SELECT " PERSON_COLUMNS " FROM persons p WHERE p.pkey = ?";

static const char by_name_sql[] = "SELECT " PERSON_COLUMNS " FROM persons p"
				  " WHERE p.name_index = ? AND p.birth_date = ?"
				  " AND p.merged_into IS NULL ORDER BY p.id";

static const char page_sql[] = "SELECT " PERSON_COLUMNS " FROM persons p ORDER BY p.id"
			       " LIMIT ? OFFSET ?";

static const char count_sql[] = "SELECT count(*) FROM persons";

/* ---- the identifying data ---------------------------------------------------------------- */

void person_pii_release(struct person_pii *pii)
{
	for (size_t i = 0; i < person_pii_nfields; i++) {
		free(PERSON_PII_FIELD(pii, i));
		PERSON_PII_FIELD(pii, i) = NULL;
	}
}

void person_pii_copy(struct person_pii *to, const struct person_pii *from)
{
	person_pii_release(to);
	for (size_t i = 0; i < person_pii_nfields; i++) {
		const char *v = PERSON_PII_FIELD(from, i);
		PERSON_PII_FIELD(to, i) = v ? xstrdup(v) : NULL;
	}
}

void person_pii_detail(const struct person_pii *pii, struct buf *out)
{
	const char *sep = "";
	buf_adds(out, "pii(");
	for (size_t i = 0; i < person_pii_nfields; i++)
		if (PERSON_PII_FIELD(pii, i)) {
			buf_adds(out, sep);
			buf_adds(out, person_pii_fields[i].name);
			sep = ",";
		}
	buf_addch(out, ')');
}

void person_pii_seal(const struct keyring *k, const char *pkey, const struct person_pii *pii,
		     struct buf *out)
{
	json_t *o = json_object();
	for (size_t i = 0; i < person_pii_nfields; i++) {
		const char *v = PERSON_PII_FIELD(pii, i);
		if (v)
			json_object_set_new(o, person_pii_fields[i].name, json_string(v));
	}
	char *text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (!text)
		abort(); /* only on allocation failure: validated text is valid UTF-8 */
	size_t len = strlen(text);
	crypto_seal(k, pkey, text, len, out);
	sodium_memzero(text, len);
	free(text);
}

int person_pii_open(const struct keyring *k, const char *pkey, const void *sealed, size_t len,
		    struct person_pii *out, struct err *e)
{
	struct buf plain = BUF_INIT;
	int rc = -1;
	json_t *o = NULL;
	memset(out, 0, sizeof(*out));
	if (crypto_open(k, pkey, sealed, len, &plain, e) < 0) {
		err_prefix(e, "person '%.16s…'", pkey);
		goto done;
	}
	o = json_loadb(plain.data, plain.len, 0, NULL);
	if (!json_is_object(o)) {
		err_set(e, ERR_INTERNAL, "person '%.16s…': the sealed data is not a JSON object",
			pkey);
		goto done;
	}
	for (size_t i = 0; i < person_pii_nfields; i++) {
		const char *v = json_string_value(json_object_get(o, person_pii_fields[i].name));
		if (v)
			PERSON_PII_FIELD(out, i) = xstrdup(v);
	}
	rc = 0;
done:
	json_decref(o);
	sodium_memzero(plain.data, plain.len);
	buf_release(&plain);
	return rc;
}

/* ---- surnames ----------------------------------------------------------------------------- */

/*
 * Tussenvoegsels as folded words (after the list of voorvoegsels in the BRP's table 36, the
 * ones met in practice). A leading sequence is dropped for matching; the longest wins.
 * Prepositions such as "in", "op" and "uit" count only together with an article.
 */
static const char *const tussenvoegsels[] = {
	"van", "de", "der", "den", "het", "t", "te", "ter", "ten", "d", "l", "la", "le", "les",
	"lo", "los", "du", "des", "di", "da", "dal", "del", "della", "dos", "das", "do", "von",
	"vom", "zu", "zum", "zur", "am", "van der", "van den", "van de", "van het", "van t",
	"van ter", "van ten", "van te", "van la", "van le", "van van", "van den de", "in t",
	"in het", "in de", "in den", "in der", "op de", "op den", "op der", "op het", "op t",
	"op ten", "aan de", "aan den", "aan der", "aan het", "aan t", "bij de", "bij den",
	"bij het", "bij t", "onder de", "onder den", "onder het", "onder t", "uit de", "uit den",
	"uit het", "uit t", "uit te de", "voor de", "voor den", "voor het", "voor t", "voor in t",
	"over de", "over het", "over t", "tot de", "tot den", "de la", "de las", "de le", "de l",
	"de los", "de van der", "von der", "von dem", "von den", "auf dem", "auf der",
};

#define PREFIX_MAX_WORDS 4

struct word {
	size_t start, end; /* bytes of the word in the surname */
	char folded[16];   /* "" when longer: no tussenvoegsel is */
};

/* Split the first words of `s` at blanks; returns how many (at most `max`). */
static size_t leading_words(const char *s, struct word *w, size_t max, size_t *rest_words)
{
	size_t n = 0, i = 0, total = 0;
	while (s[i]) {
		while (s[i] == ' ' || s[i] == '\t')
			i++;
		if (!s[i])
			break;
		size_t start = i;
		while (s[i] && s[i] != ' ' && s[i] != '\t')
			i++;
		total++;
		if (n < max) {
			struct buf f = BUF_INIT;
			char *raw = xstrndup(s + start, i - start);
			utf8_fold(&f, raw);
			w[n].start = start;
			w[n].end = i;
			snprintf(w[n].folded, sizeof(w[n].folded), "%s",
				 f.len < sizeof(w[n].folded) ? f.data : "");
			free(raw);
			buf_release(&f);
			n++;
		}
	}
	*rest_words = total;
	return n;
}

/* Whether the tussenvoegsel `tv` ("van der") matches words w[0..]; its word count or 0. */
static size_t match_prefix(const char *tv, const struct word *w, size_t nwords)
{
	size_t k = 0;
	const char *p = tv;
	while (*p) {
		const char *sp = strchr(p, ' ');
		size_t len = sp ? (size_t)(sp - p) : strlen(p);
		if (k >= nwords || strlen(w[k].folded) != len || strncmp(w[k].folded, p, len) != 0)
			return 0;
		k++;
		p += len + (sp ? 1 : 0);
	}
	return k;
}

size_t person_prefix_length(const char *surname)
{
	struct word w[PREFIX_MAX_WORDS + 1];
	size_t total;
	size_t n = leading_words(surname, w, PREFIX_MAX_WORDS + 1, &total);
	size_t best = 0;
	for (size_t i = 0; i < sizeof(tussenvoegsels) / sizeof(tussenvoegsels[0]); i++) {
		size_t m = match_prefix(tussenvoegsels[i], w, n);
		if (m > best && m < total) /* a word must remain: "De" alone is a surname */
			best = m;
	}
	if (best == 0)
		return 0;
	/* What remains must have letters, or the whole is the surname. */
	struct buf rest = BUF_INIT;
	utf8_fold(&rest, surname + w[best].start);
	size_t len = rest.len ? w[best].start : 0;
	buf_release(&rest);
	return len;
}

void person_normalise_surname(const char *surname, struct buf *out)
{
	utf8_fold(out, surname + person_prefix_length(surname));
}

void person_name_tokens(const struct keyring *k, const char *surname, const char *birth_date,
			char index[BLIND_HEX_SIZE], char block[BLIND_HEX_SIZE])
{
	struct buf norm = BUF_INIT, value = BUF_INIT;
	person_normalise_surname(surname, &norm);
	buf_addf(&value, "%s|%s", norm.data, birth_date);
	crypto_blind(k, "name", value.data, index);
	buf_reset(&value);
	person_sound_code(norm.data, &value);
	buf_addf(&value, "|%.4s", birth_date);
	crypto_blind(k, "block", value.data, block);
	buf_release(&norm);
	buf_release(&value);
}

/* ---- validation --------------------------------------------------------------------------- */

/* Trim blanks; NULL and blank give NULL. Returns an owned copy. */
static char *trimmed_copy(const char *in)
{
	if (!in)
		return NULL;
	while (*in == ' ' || *in == '\t')
		in++;
	size_t n = strlen(in);
	while (n && (in[n - 1] == ' ' || in[n - 1] == '\t' || in[n - 1] == '\r' ||
		     in[n - 1] == '\n'))
		n--;
	return n ? xstrndup(in, n) : NULL;
}

/*
 * A free-text field (a name, street, city): valid UTF-8 without control characters, at most
 * PERSON_TEXT_MAX bytes. The value is never quoted in the error: it is personal data.
 */
static int check_text(const char *in, const char *field, char **out, struct err *e)
{
	char *v = trimmed_copy(in);
	*out = v;
	if (!v)
		return 0;
	size_t len = strlen(v);
	if (!utf8_valid(v, len, NULL))
		return err_set(e, ERR_INVALID, "field %s: not valid UTF-8 (rule: text is UTF-8)",
			       field);
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
			return err_set(e, ERR_INVALID,
				       "field %s: contains a control character (rule: one line of "
				       "text)",
				       field);
	if (len > PERSON_TEXT_MAX)
		return err_set(e, ERR_INVALID, "field %s: %zu bytes long (rule: at most %d)", field,
			       len, PERSON_TEXT_MAX);
	return 0;
}

static bool has_letter_or_digit(const char *s)
{
	struct buf f = BUF_INIT;
	utf8_fold(&f, s);
	bool any = f.len > 0;
	buf_release(&f);
	return any;
}

static int check_house_number(const char *v, struct err *e)
{
	if (!v)
		return 0;
	if (!isdigit((unsigned char)v[0]) || strlen(v) > 12)
		return err_set(e, ERR_INVALID,
			       "field house_number: not a house number (rule: a number first, at "
			       "most 12 characters, e.g. 12a or 12-2)");
	return 0;
}

static int check_phone(const char *v, struct err *e)
{
	if (!v)
		return 0;
	int digits = 0;
	for (const char *p = v; *p; p++) {
		if (isdigit((unsigned char)*p))
			digits++;
		else if (!strchr(" +-()", *p))
			return err_set(e, ERR_INVALID,
				       "field phone: not a phone number (rule: digits, blanks and "
				       "+-() only)");
	}
	if (digits < 8 || digits > 15)
		return err_set(e, ERR_INVALID,
			       "field phone: has %d digits (rule: a phone number has 8 to 15)",
			       digits);
	return 0;
}

static int check_email(const char *v, struct err *e)
{
	if (!v)
		return 0;
	const char *at = strchr(v, '@');
	if (!at || at == v || strchr(at + 1, '@') || !strchr(at + 1, '.') ||
	    at[strlen(at) - 1] == '.' || at[1] == '.' || strpbrk(v, " ,;<>"))
		return err_set(e, ERR_INVALID,
			       "field email: not an e-mail address (rule: name@domain.tld, no "
			       "blanks)");
	return 0;
}

static int check_birth_date(const char *in, char out[DATE_STR_SIZE], struct err *e)
{
	char *v = trimmed_copy(in);
	date_t day;
	int rc = 0;
	if (!v) {
		rc = err_set(e, ERR_INVALID, "field birth_date: empty (rule: a birth date is "
					     "required)");
	} else if (date_parse(v, &day, e) < 0) {
		rc = err_prefix(e, "field birth_date");
	} else {
		date_t today = date_today();
		char today_s[DATE_STR_SIZE];
		date_format(day, out);
		date_format(today, today_s);
		if (day > today)
			rc = err_set(e, ERR_INVALID,
				     "field birth_date: %s lies in the future (rule: not after "
				     "today, %s)",
				     out, today_s);
		else if (date_age(day, today) > 30)
			rc = err_set(e, ERR_INVALID,
				     "field birth_date: %s gives an age of %d (rule: a young "
				     "person is at most 30)",
				     out, date_age(day, today));
	}
	free(v);
	return rc;
}

/* Check an identifier with its rule from ident.h; blank gives "" (unknown). */
static int check_ident(int (*rule)(const char *, const char *, char *, struct err *),
		       const char *in, const char *field, char *out, struct err *e)
{
	char *v = trimmed_copy(in);
	out[0] = '\0';
	int rc = v ? rule(v, field, out, e) : 0;
	free(v);
	return rc;
}

static int check_names(const struct person_input *in, struct person_pii *pii, struct err *e)
{
	if (check_text(in->surname, "surname", &pii->surname, e) < 0)
		return -1;
	if (!pii->surname || !has_letter_or_digit(pii->surname))
		return err_set(e, ERR_INVALID,
			       "field surname: %s (rule: a surname with letters is required)",
			       pii->surname ? "has no letters" : "empty");
	if (check_text(in->given_names, "given_names", &pii->given_names, e) < 0 ||
	    check_text(in->surname_prefix, "surname_prefix", &pii->surname_prefix, e) < 0)
		return -1;
	if (!pii->surname_prefix && in->surname_prefix == NULL) {
		/* "van den Berg" given as the surname: keep "van den" apart, as the BRP does. */
		size_t plen = person_prefix_length(pii->surname);
		if (plen) {
			char *whole = pii->surname;
			whole[plen - 1] = '\0'; /* the blank after the tussenvoegsel */
			pii->surname_prefix = trimmed_copy(whole);
			pii->surname = xstrdup(whole + plen);
			free(whole);
		}
	}
	return 0;
}

int person_validate(const struct person_input *in, struct person_valid *v, struct err *e)
{
	memset(v, 0, sizeof(*v));
	struct person_pii *pii = &v->pii;
	char *bsn_in = trimmed_copy(in->bsn);
	char bsn[BSN_SIZE], postcode[POSTCODE_SIZE];
	int rc = -1;
	if (bsn_in) {
		if (ident_bsn(bsn_in, "bsn", bsn, e) < 0)
			goto done;
		pii->bsn = xstrdup(bsn);
	}
	if (check_names(in, pii, e) < 0 || check_birth_date(in->birth_date, v->birth_date, e) < 0)
		goto done;
	if (check_ident(ident_postcode, in->postcode, "postcode", postcode, e) < 0 ||
	    check_ident(ident_gemeente, in->municipality_code, "municipality_code",
			v->municipality_code, e) < 0)
		goto done;
	if (postcode[0]) {
		pii->postcode = xstrdup(postcode);
		memcpy(v->postcode4, postcode, 4);
		v->postcode4[4] = '\0';
	}
	if (check_text(in->street, "street", &pii->street, e) < 0 ||
	    check_text(in->house_number, "house_number", &pii->house_number, e) < 0 ||
	    check_house_number(pii->house_number, e) < 0 ||
	    check_text(in->city, "city", &pii->city, e) < 0 ||
	    check_text(in->phone, "phone", &pii->phone, e) < 0 || check_phone(pii->phone, e) < 0 ||
	    check_text(in->email, "email", &pii->email, e) < 0 || check_email(pii->email, e) < 0)
		goto done;
	if (!pii->bsn && !pii->postcode) {
		err_set(e, ERR_INVALID,
			"field postcode: empty (rule: a person without a BSN needs a surname, a "
			"birth date and a postcode)");
		goto done;
	}
	rc = 0;
done:
	if (bsn_in) {
		sodium_memzero(bsn_in, strlen(bsn_in));
		free(bsn_in);
	}
	sodium_memzero(bsn, sizeof(bsn));
	return rc;
}

void person_valid_release(struct person_valid *v)
{
	person_pii_release(&v->pii);
}

/* ---- rows --------------------------------------------------------------------------------- */

void person_random_key(char out[PSEUDONYM_HEX_SIZE])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(out, PSEUDONYM_HEX_SIZE, raw, sizeof(raw));
}

void person_now(char out[32])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void copy_text(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

void person_from_row(struct stmt *st, struct person *p)
{
	memset(p, 0, sizeof(*p));
	p->id = stmt_int64(st, 0);
	copy_text(p->pkey, sizeof(p->pkey), stmt_text(st, 1));
	p->provisional = stmt_int64(st, 2) != 0;
	copy_text(p->birth_date, sizeof(p->birth_date), stmt_text(st, 3));
	copy_text(p->municipality_code, sizeof(p->municipality_code), stmt_text(st, 4));
	copy_text(p->postcode4, sizeof(p->postcode4), stmt_text(st, 5));
	p->merged_into = stmt_int64(st, 6);
	copy_text(p->merged_into_key, sizeof(p->merged_into_key), stmt_text(st, 7));
}

/* Fill p from the current row and open its pii. */
static int person_from_row_pii(struct stmt *st, const struct keyring *k, struct person *p,
			       struct err *e)
{
	person_from_row(st, p);
	size_t len;
	const void *sealed = stmt_blob(st, PERSON_COLUMN_PII, &len);
	if (person_pii_open(k, p->pkey, sealed, len, &p->pii, e) < 0)
		return -1;
	p->has_pii = true;
	return 0;
}

void person_release(struct person *p)
{
	if (!p)
		return;
	person_pii_release(&p->pii);
	p->has_pii = false;
}

void person_free_array(struct person *array, size_t n)
{
	for (size_t i = 0; i < n; i++)
		person_release(&array[i]);
	free(array);
}

/* ---- add ---------------------------------------------------------------------------------- */

/* ERR_CONFLICT when a person with this key exists (the BSN masked in the message). */
static int refuse_existing(struct store *s, const char *pkey, const char *bsn, struct err *e)
{
	struct stmt *st;
	if (store_prepare(s, "SELECT id FROM persons WHERE pkey = ?", &st, e) < 0)
		return -1;
	stmt_bind_text(st, 1, pkey);
	int rc = stmt_step(st, e);
	stmt_free(st);
	if (rc == STORE_ROW) {
		char masked[BSN_MASKED_SIZE];
		ident_mask_bsn(bsn, masked);
		return err_set(e, ERR_CONFLICT,
			       "a person with BSN %s is registered already (key %s)", masked, pkey);
	}
	return rc < 0 ? -1 : 0;
}

static int insert_person(struct store *s, const struct keyring *k, const struct person_valid *v,
			 const char *pkey, int64_t *id, struct err *e)
{
	char index[BLIND_HEX_SIZE], block[BLIND_HEX_SIZE], now[32];
	struct buf sealed = BUF_INIT;
	struct stmt *st;
	person_name_tokens(k, v->pii.surname, v->birth_date, index, block);
	person_pii_seal(k, pkey, &v->pii, &sealed);
	person_now(now);
	if (store_prepare(s, insert_sql, &st, e) < 0) {
		buf_release(&sealed);
		return -1;
	}
	stmt_bind_text(st, 1, pkey);
	stmt_bind_int64(st, 2, v->pii.bsn ? 0 : 1);
	stmt_bind_text(st, 3, v->birth_date);
	stmt_bind_text(st, 4, v->municipality_code[0] ? v->municipality_code : NULL);
	stmt_bind_text(st, 5, v->postcode4[0] ? v->postcode4 : NULL);
	stmt_bind_text(st, 6, index);
	stmt_bind_text(st, 7, block);
	stmt_bind_blob(st, 8, sealed.data, sealed.len);
	stmt_bind_int64(st, 9, keyring_current_id(k));
	stmt_bind_text(st, 10, now);
	stmt_bind_text(st, 11, now);
	int rc = stmt_step(st, e);
	if (rc == STORE_ROW)
		*id = stmt_int64(st, 0);
	stmt_free(st);
	buf_release(&sealed);
	if (rc != STORE_ROW)
		return rc < 0 ? -1 : err_set(e, ERR_INTERNAL, "INSERT … RETURNING gave no id");
	return 0;
}

static void fill_added(struct person *out, int64_t id, const char *pkey,
		       const struct person_valid *v)
{
	memset(out, 0, sizeof(*out));
	out->id = id;
	copy_text(out->pkey, sizeof(out->pkey), pkey);
	out->provisional = v->pii.bsn == NULL;
	copy_text(out->birth_date, sizeof(out->birth_date), v->birth_date);
	copy_text(out->municipality_code, sizeof(out->municipality_code), v->municipality_code);
	copy_text(out->postcode4, sizeof(out->postcode4), v->postcode4);
}

int person_add(struct store *s, const struct keyring *k, const struct access *who,
	       const struct person_input *in, struct person *out, struct err *e)
{
	struct person_valid v;
	struct buf detail = BUF_INIT;
	char pkey[PSEUDONYM_HEX_SIZE];
	int64_t id = 0;
	int rc = -1;
	if (person_validate(in, &v, e) < 0)
		goto done;
	if (v.pii.bsn)
		crypto_pseudonym(k, v.pii.bsn, pkey);
	else
		person_random_key(pkey);
	buf_adds(&detail, "person(birth_date");
	if (v.municipality_code[0])
		buf_adds(&detail, ",municipality_code");
	if (v.postcode4[0])
		buf_adds(&detail, ",postcode4");
	buf_adds(&detail, ") ");
	person_pii_detail(&v.pii, &detail);
	if (store_begin(s, e) < 0)
		goto done;
	if ((v.pii.bsn && refuse_existing(s, pkey, v.pii.bsn, e) < 0) ||
	    insert_person(s, k, &v, pkey, &id, e) < 0 ||
	    audit_append(s, who, "person.add", pkey, detail.data, e) < 0) {
		store_rollback(s);
		goto done;
	}
	if (store_commit(s, e) < 0)
		goto done;
	if (out)
		fill_added(out, id, pkey, &v);
	rc = 0;
done:
	person_valid_release(&v);
	buf_release(&detail);
	return rc;
}

/* ---- read --------------------------------------------------------------------------------- */

int person_get(struct store *s, const struct keyring *k, const struct access *who,
	       const char *pkey, bool with_pii, struct person *out, struct err *e)
{
	struct stmt *st = NULL;
	struct buf detail = BUF_INIT;
	struct access_decision d;
	struct access allowed;
	memset(out, 0, sizeof(*out));
	/* Decided before the transaction, so that a refusal's audit entry stays. */
	if (access_check(s, who, pkey, with_pii ? ACCESS_READ_IDENTITY : ACCESS_READ_BASIC, &d,
			 &allowed, NULL, e) < 0)
		return -1;
	if (audit_tx_begin(s, e) < 0)
		return -1;
	if (store_prepare(s, by_pkey_sql, &st, e) < 0)
		goto fail;
	stmt_bind_text(st, 1, pkey);
	int rc = stmt_step(st, e);
	if (rc < 0)
		goto fail;
	if (rc == STORE_DONE) {
		err_set(e, ERR_NOTFOUND, "no person with key '%.64s'", pkey);
		goto fail;
	}
	if (!with_pii) {
		person_from_row(st, out);
	} else {
		if (person_from_row_pii(st, k, out, e) < 0)
			goto fail;
		person_pii_detail(&out->pii, &detail);
		if (audit_append_read(s, &allowed, "person.read", out->pkey, detail.data, e) < 0)
			goto fail;
	}
	stmt_free(st);
	buf_release(&detail);
	if (store_commit(s, e) < 0) {
		person_release(out);
		return -1;
	}
	return 0;
fail:
	stmt_free(st);
	buf_release(&detail);
	person_release(out);
	store_rollback(s);
	return -1;
}

/* Room for the rule that let the caller see each person found. */
#define FIND_MAX_SEEN 64

/*
 * Drop the persons found that `who` may not see (quietly: a search must not tell who else
 * exists), keeping the rule that allowed each of the others in reasons[]. At most
 * FIND_MAX_SEEN are kept; more matches of one surname and birth date would be a data error.
 */
static int keep_visible(struct store *s, const struct access *who, struct person *found,
			size_t *n, char reasons[][ACCESS_RULE_SIZE], struct err *e)
{
	size_t kept = 0;
	for (size_t i = 0; i < *n; i++) {
		struct access_decision d;
		if (access_decide(s, who, found[i].id, ACCESS_READ_IDENTITY, &d, e) < 0) {
			/* Leave *n entries to free: the kept ones; the rest are released here. */
			for (size_t j = i; j < *n; j++)
				person_release(&found[j]);
			*n = kept;
			return -1;
		}
		if (d.verdict != ACCESS_ALLOW || kept >= FIND_MAX_SEEN) {
			person_release(&found[i]);
			continue;
		}
		memcpy(reasons[kept], d.rule, sizeof(d.rule));
		if (kept != i)
			found[kept] = found[i];
		kept++;
	}
	*n = kept;
	return 0;
}

/* Audit a search: one entry per person found, or one without a person when none was. */
static int audit_find(struct store *s, const struct access *who, const struct person *found,
		      char reasons[][ACCESS_RULE_SIZE], size_t n, struct err *e)
{
	if (n == 0)
		return audit_append_read(s, who, "person.find", NULL, "name_index: no match", e);
	for (size_t i = 0; i < n; i++) {
		struct buf detail = BUF_INIT;
		buf_adds(&detail, "name_index match; ");
		person_pii_detail(&found[i].pii, &detail);
		struct access allowed = *who;
		allowed.reason = reasons[i];
		int rc =
		    audit_append_read(s, &allowed, "person.find", found[i].pkey, detail.data, e);
		buf_release(&detail);
		if (rc < 0)
			return -1;
	}
	return 0;
}

int person_find(struct store *s, const struct keyring *k, const struct access *who,
		const char *surname, const char *birth_date, struct person **out, size_t *n,
		struct err *e)
{
	char birth[DATE_STR_SIZE], index[BLIND_HEX_SIZE], block[BLIND_HEX_SIZE];
	struct person *found = NULL;
	size_t count = 0, cap = 0;
	struct stmt *st = NULL;
	char reasons[FIND_MAX_SEEN][ACCESS_RULE_SIZE];
	*out = NULL;
	*n = 0;
	if (!surname || !has_letter_or_digit(surname))
		return err_set(e, ERR_INVALID,
			       "field surname: empty (rule: a search needs a surname with "
			       "letters)");
	if (check_birth_date(birth_date, birth, e) < 0)
		return -1;
	person_name_tokens(k, surname, birth, index, block);
	if (audit_tx_begin(s, e) < 0)
		return -1;
	if (store_prepare(s, by_name_sql, &st, e) < 0)
		goto fail;
	stmt_bind_text(st, 1, index);
	stmt_bind_text(st, 2, birth);
	int rc;
	while ((rc = stmt_step(st, e)) == STORE_ROW) {
		XGROW(found, cap, count + 1);
		if (person_from_row_pii(st, k, &found[count], e) < 0) {
			person_release(&found[count]);
			goto fail;
		}
		count++;
	}
	if (rc < 0)
		goto fail;
	stmt_free(st);
	st = NULL;
	if (keep_visible(s, who, found, &count, reasons, e) < 0 ||
	    audit_find(s, who, found, reasons, count, e) < 0)
		goto fail;
	stmt_free(st);
	st = NULL;
	if (store_commit(s, e) < 0)
		goto fail_committed;
	*out = found;
	*n = count;
	return 0;
fail:
	stmt_free(st);
	store_rollback(s);
fail_committed:
	person_free_array(found, count);
	return -1;
}

static const char by_id_sql[] = "SELECT " PERSON_COLUMNS " FROM persons p WHERE p.id = ?";

/* The page [offset, offset + limit) of the persons in `set` (sorted ids), one by one. */
static int page_of_set(struct store *s, const struct access_set *set, int64_t offset,
		       int64_t limit, struct person **out, size_t *n, struct err *e)
{
	struct stmt *st;
	size_t cap = 0;
	if (store_prepare(s, by_id_sql, &st, e) < 0)
		return -1;
	for (int64_t i = offset; i < offset + limit && (uint64_t)i < set->n; i++) {
		stmt_reset(st);
		stmt_bind_int64(st, 1, set->ids[i]);
		int rc = stmt_step(st, e);
		if (rc < 0) {
			stmt_free(st);
			return -1;
		}
		if (rc == STORE_DONE)
			continue;
		XGROW(*out, cap, *n + 1);
		person_from_row(st, &(*out)[(*n)++]);
	}
	stmt_free(st);
	return 0;
}

int person_list(struct store *s, const struct access *who, int64_t offset, int64_t limit,
		struct person **out, size_t *n, int64_t *total, struct err *e)
{
	struct stmt *st = NULL;
	struct access_set set;
	char detail[128];
	size_t cap = 0;
	int rc = -1;
	*out = NULL;
	*n = 0;
	if (offset < 0 || limit < 0)
		return err_set(e, ERR_INVALID, "offset and limit must not be negative");
	if (!access_sees_persons(who))
		return err_set(e, ERR_FORBIDDEN, "role never sees persons");
	/* The persons the caller may see: the same decision as for one person, for all. */
	if (access_visible(s, who, &set, e) < 0)
		return -1;
	if (audit_tx_begin(s, e) < 0)
		goto out;
	if (!set.all) {
		*total = (int64_t)set.n;
		if (page_of_set(s, &set, offset, limit, out, n, e) < 0)
			goto fail;
	} else {
		if (store_query_int64(s, count_sql, total, e) < 0 ||
		    store_prepare(s, page_sql, &st, e) < 0)
			goto fail;
		stmt_bind_int64(st, 1, limit);
		stmt_bind_int64(st, 2, offset);
		int step;
		while ((step = stmt_step(st, e)) == STORE_ROW) {
			XGROW(*out, cap, *n + 1);
			person_from_row(st, &(*out)[(*n)++]);
		}
		stmt_free(st);
		if (step < 0)
			goto fail;
	}
	snprintf(detail, sizeof(detail),
		 "persons(birth_date,municipality_code,postcode4) %zu of %lld from %lld", *n,
		 (long long)*total, (long long)offset);
	struct access listed = *who;
	if (!listed.reason)
		listed.reason = "need-to-know: the persons the roles may see";
	if (audit_append_read(s, &listed, "person.list", NULL, detail, e) < 0)
		goto fail;
	if (store_commit(s, e) < 0)
		goto fail_committed;
	rc = 0;
	goto out;
fail:
	store_rollback(s);
fail_committed:
	person_free_array(*out, *n);
	*out = NULL;
	*n = 0;
out:
	access_set_release(&set);
	return rc;
}

/* ---- load --------------------------------------------------------------------------------- */

/* The columns of a residence file; the first three are required. */
enum residence_column {
	COL_BSN,
	COL_SURNAME,
	COL_BIRTH_DATE,
	COL_GIVEN_NAMES,
	COL_SURNAME_PREFIX,
	COL_STREET,
	COL_HOUSE_NUMBER,
	COL_POSTCODE,
	COL_CITY,
	COL_MUNICIPALITY,
	COL_COUNT,
};

static const char *const residence_columns[COL_COUNT] = {
	"bsn",	  "surname", "birth_date",   "given_names", "surname_prefix",
	"street", "house_number", "postcode", "city",	     "municipality_code",
};
#define RESIDENCE_REQUIRED 3

/* The errors of a load: the first in full, then how many more and where. */
#define LOAD_ERROR_LINES 5

/*
 * Rows are gathered LOAD_CHUNK at a time, sorted by key and written LOAD_BATCH to a
 * statement. In key order the unique index on the pseudonym is updated where the previous row
 * left it, instead of at a random page; a multi-row statement saves a round trip per row on
 * PostgreSQL. A row replaces what is known of the person with its BSN, so of several rows of
 * one person in a file the last one counts.
 */
#define LOAD_CHUNK 65536
#define LOAD_BATCH 256
#define LOAD_PARAMS 10

static const char upsert_head_sql[] =
	"INSERT INTO persons (pkey, provisional, birth_date, municipality_code, postcode4,"
	" name_index, name_block, pii, key_id, created_at, updated_at) VALUES ";
static const char upsert_row_sql[] = "(?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char upsert_tail_sql[] =
	" ON CONFLICT (pkey) DO UPDATE SET provisional = 0, birth_date = excluded.birth_date,"
	" municipality_code = excluded.municipality_code, postcode4 = excluded.postcode4,"
	" name_index = excluded.name_index, name_block = excluded.name_block,"
	" pii = excluded.pii, key_id = excluded.key_id, updated_at = excluded.updated_at";

/*
 * The secondary indexes of persons, to drop before a first load into an empty table and
 * build again after it: building an index once is several times faster than keeping it up
 * to date row by row. The unique key stays, because the upsert needs it.
 */
static const char sqlite_indexes_sql[] =
	"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'persons'"
	" AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%' ORDER BY name";
static const char pg_indexes_sql[] =
	"SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
	" AND tablename = 'persons' AND indexdef NOT LIKE 'CREATE UNIQUE%' ORDER BY indexname";
static const char any_person_sql[] = "SELECT count(*) FROM (SELECT 1 FROM persons LIMIT 1) x";

/* SQLite keeps more of the table's pages in memory while it loads (reset after). */
enum { LOAD_CACHE_MIB = 256 };

struct load_row {
	char pkey[PSEUDONYM_HEX_SIZE];
	char birth_date[DATE_STR_SIZE];
	char municipality_code[GEMEENTE_SIZE];
	char postcode4[5];
	char index[BLIND_HEX_SIZE], block[BLIND_HEX_SIZE];
	struct buf sealed;
};

struct deferred_index {
	char *name, *definition;
};

struct load {
	struct csv_reader *csv;
	int col[COL_COUNT];
	struct stmt *batch, *single;
	struct load_row *rows; /* LOAD_CHUNK, in file order */
	size_t nrows;
	uint32_t *order; /* rows[] by key */
	struct deferred_index *indexes;
	size_t nindexes;
	long lines, bad_rows;
	long bad_lines[LOAD_ERROR_LINES];
	struct err first;
	char now[32];
	uint32_t key_id;
};

static int map_columns(struct load *l, struct err *e)
{
	for (int c = 0; c < COL_COUNT; c++) {
		l->col[c] = csv_column(l->csv, residence_columns[c]);
		if (c < RESIDENCE_REQUIRED && l->col[c] < 0)
			return err_set(e, ERR_INVALID,
				       "%s, line 1: no column '%s' in the header (rule: a "
				       "residence file has the columns bsn, surname and "
				       "birth_date)",
				       csv_name(l->csv), residence_columns[c]);
	}
	return 0;
}

static const char *field_of(const struct load *l, enum residence_column c)
{
	const char *v = l->col[c] >= 0 ? csv_field(l->csv, (size_t)l->col[c]) : NULL;
	return v && *v ? v : NULL;
}

/* Remember a row's error: "FILE, line N, column X: … (rule: …)" for the first one. */
static void note_bad_row(struct load *l, const struct err *row_err)
{
	if (l->bad_rows == 0) {
		const char *msg = row_err->msg;
		const char *what = "";
		if (strncmp(msg, "field ", 6) == 0) {
			msg += 6;
			what = "column ";
		}
		err_set(&l->first, row_err->code, "%s, line %ld, %s%s", csv_name(l->csv),
			csv_line(l->csv), what, msg);
	} else if (l->bad_rows <= LOAD_ERROR_LINES) {
		l->bad_lines[l->bad_rows - 1] = csv_line(l->csv);
	}
	l->bad_rows++;
}

static int prepare_upserts(struct store *s, struct load *l, struct err *e)
{
	struct buf sql = BUF_INIT;
	buf_adds(&sql, upsert_head_sql);
	for (int i = 0; i < LOAD_BATCH; i++) {
		buf_adds(&sql, i ? ", " : "");
		buf_adds(&sql, upsert_row_sql);
	}
	buf_adds(&sql, upsert_tail_sql);
	int rc = store_prepare(s, sql.data, &l->batch, e);
	buf_reset(&sql);
	buf_addf(&sql, "%s%s%s", upsert_head_sql, upsert_row_sql, upsert_tail_sql);
	if (rc == 0)
		rc = store_prepare(s, sql.data, &l->single, e);
	buf_release(&sql);
	return rc;
}

static void bind_load_row(struct stmt *st, int base, const struct load_row *r, const char *now,
			  uint32_t key_id)
{
	stmt_bind_text(st, base + 1, r->pkey);
	stmt_bind_text(st, base + 2, r->birth_date);
	stmt_bind_text(st, base + 3, r->municipality_code[0] ? r->municipality_code : NULL);
	stmt_bind_text(st, base + 4, r->postcode4[0] ? r->postcode4 : NULL);
	stmt_bind_text(st, base + 5, r->index);
	stmt_bind_text(st, base + 6, r->block);
	stmt_bind_blob(st, base + 7, r->sealed.data, r->sealed.len);
	stmt_bind_int64(st, base + 8, key_id);
	stmt_bind_text(st, base + 9, now);
	stmt_bind_text(st, base + 10, now);
}

static int run_upsert(struct stmt *st, struct err *e)
{
	int rc = stmt_step(st, e);
	stmt_reset(st);
	return rc < 0 ? -1 : 0;
}

/* By key, and of one key in file order, for qsort_r over row numbers. */
static int by_key(const void *x, const void *y, void *rows)
{
	const struct load_row *r = rows;
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
	int c = memcmp(r[a].pkey, r[b].pkey, PSEUDONYM_HEX_SIZE - 1);
	return c ? c : (a > b) - (a < b);
}

/* Write the gathered rows in key order, the last row of each person only. */
static int flush_rows(struct load *l, struct err *e)
{
	size_t n = 0, pending = 0;
	for (size_t i = 0; i < l->nrows; i++)
		l->order[i] = (uint32_t)i;
	qsort_r(l->order, l->nrows, sizeof(*l->order), by_key, l->rows);
	for (size_t i = 0; i < l->nrows; i++)
		if (i + 1 == l->nrows || memcmp(l->rows[l->order[i]].pkey,
						l->rows[l->order[i + 1]].pkey,
						PSEUDONYM_HEX_SIZE - 1) != 0)
			l->order[n++] = l->order[i];
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		bind_load_row(l->batch, (int)pending * LOAD_PARAMS, &l->rows[l->order[i]], l->now,
			      l->key_id);
		if (++pending == LOAD_BATCH) {
			rc = run_upsert(l->batch, e);
			pending = 0;
		}
	}
	/* The rest, fewer than a batch, one by one. */
	for (size_t i = n - pending; rc == 0 && i < n; i++) {
		bind_load_row(l->single, 0, &l->rows[l->order[i]], l->now, l->key_id);
		rc = run_upsert(l->single, e);
	}
	if (pending)
		stmt_reset(l->batch);
	l->nrows = 0;
	return rc < 0 ? err_prefix(e, "%s, before line %ld", csv_name(l->csv), csv_line(l->csv))
		      : 0;
}

static int add_row(struct load *l, const struct keyring *k, const struct person_valid *v,
		   struct err *e)
{
	struct load_row *r = &l->rows[l->nrows++];
	crypto_pseudonym(k, v->pii.bsn, r->pkey);
	memcpy(r->birth_date, v->birth_date, sizeof(r->birth_date));
	memcpy(r->municipality_code, v->municipality_code, sizeof(r->municipality_code));
	memcpy(r->postcode4, v->postcode4, sizeof(r->postcode4));
	person_name_tokens(k, v->pii.surname, v->birth_date, r->index, r->block);
	buf_reset(&r->sealed);
	person_pii_seal(k, r->pkey, &v->pii, &r->sealed);
	return l->nrows == LOAD_CHUNK ? flush_rows(l, e) : 0;
}

/* Validate one row and, while no row has failed, keep it for writing. */
static int load_row(struct load *l, const struct keyring *k, struct err *e)
{
	struct person_input in = {
		.bsn = field_of(l, COL_BSN),
		.given_names = field_of(l, COL_GIVEN_NAMES),
		.surname_prefix = field_of(l, COL_SURNAME_PREFIX),
		.surname = field_of(l, COL_SURNAME),
		.birth_date = field_of(l, COL_BIRTH_DATE),
		.postcode = field_of(l, COL_POSTCODE),
		.street = field_of(l, COL_STREET),
		.house_number = field_of(l, COL_HOUSE_NUMBER),
		.city = field_of(l, COL_CITY),
		.municipality_code = field_of(l, COL_MUNICIPALITY),
	};
	struct person_valid v;
	struct err row_err = ERR_INIT;
	int rc = 0;
	memset(&v, 0, sizeof(v));
	if (!in.bsn)
		err_set(&row_err, ERR_INVALID,
			"field bsn: empty (rule: every residence row has a BSN)");
	if (row_err.code != ERR_NONE || person_validate(&in, &v, &row_err) < 0)
		note_bad_row(l, &row_err);
	else if (l->bad_rows == 0)
		rc = add_row(l, k, &v, e);
	person_valid_release(&v);
	return rc;
}

static int load_error(struct load *l, struct err *e)
{
	struct buf more = BUF_INIT;
	if (l->bad_rows > 1) {
		buf_addf(&more, " (and %ld more row%s with errors, at line", l->bad_rows - 1,
			 l->bad_rows > 2 ? "s" : "");
		long more_rows = l->bad_rows - 1;
		long shown = more_rows < LOAD_ERROR_LINES ? more_rows : LOAD_ERROR_LINES;
		for (long i = 0; i < shown; i++)
			buf_addf(&more, "%s %ld", i ? "," : "", l->bad_lines[i]);
		buf_adds(&more, more_rows > shown ? ", …)" : ")");
	}
	err_set(e, l->first.code, "%s%s; nothing was loaded", l->first.msg, more.data);
	buf_release(&more);
	return -1;
}

/* An index name from the catalogue, checked before it is written into DROP INDEX. */
static bool plain_identifier(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

/* On a load into an empty table, drop the secondary indexes (build_indexes restores them). */
static int defer_indexes(struct store *s, struct load *l, struct err *e)
{
	int64_t any;
	struct stmt *st;
	size_t cap = 0;
	if (store_query_int64(s, any_person_sql, &any, e) < 0)
		return -1;
	if (any)
		return 0;
	bool pg = store_backend(s) == STORE_POSTGRES;
	if (store_prepare(s, pg ? pg_indexes_sql : sqlite_indexes_sql, &st, e) < 0)
		return -1;
	int rc;
	while ((rc = stmt_step(st, e)) == STORE_ROW) {
		if (!plain_identifier(stmt_text(st, 0)))
			continue;
		XGROW(l->indexes, cap, l->nindexes + 1);
		l->indexes[l->nindexes].name = xstrdup(stmt_text(st, 0));
		l->indexes[l->nindexes].definition = xstrdup(stmt_text(st, 1));
		l->nindexes++;
	}
	stmt_free(st);
	for (size_t i = 0; rc >= 0 && i < l->nindexes; i++) {
		char *sql = xasprintf("DROP INDEX %s", l->indexes[i].name);
		rc = store_exec(s, sql, e);
		free(sql);
	}
	return rc < 0 ? -1 : 0;
}

static int build_indexes(struct store *s, struct load *l, struct err *e)
{
	for (size_t i = 0; i < l->nindexes; i++)
		if (store_exec(s, l->indexes[i].definition, e) < 0)
			return err_prefix(e, "building index %s", l->indexes[i].name);
	return 0;
}

static void load_release(struct load *l)
{
	csv_close(l->csv);
	stmt_free(l->batch);
	stmt_free(l->single);
	for (size_t i = 0; l->rows && i < LOAD_CHUNK; i++)
		buf_release(&l->rows[i].sealed);
	free(l->rows);
	free(l->order);
	for (size_t i = 0; i < l->nindexes; i++) {
		free(l->indexes[i].name);
		free(l->indexes[i].definition);
	}
	free(l->indexes);
}

/* Read, validate and write every row; then the indexes and the audit entry. */
static int load_all(struct store *s, const struct keyring *k, const struct access *who,
		    struct load *l, struct err *e)
{
	int rc;
	if (defer_indexes(s, l, e) < 0 || prepare_upserts(s, l, e) < 0)
		return -1;
	while ((rc = csv_read(l->csv, e)) == 1) {
		l->lines++;
		if (load_row(l, k, e) < 0)
			return -1;
	}
	if (rc < 0)
		return -1;
	if (l->bad_rows)
		return load_error(l, e);
	if (flush_rows(l, e) < 0 || build_indexes(s, l, e) < 0)
		return -1;
	char detail[64];
	snprintf(detail, sizeof(detail), "residence rows=%ld", l->lines);
	return audit_append(s, who, "person.load", NULL, detail, e);
}

int person_load(struct store *s, const struct keyring *k, const struct access *who,
		const char *path, long *count, struct err *e)
{
	struct load l;
	memset(&l, 0, sizeof(l));
	*count = 0;
	if (csv_open(&l.csv, path, e) < 0)
		return -1;
	if (csv_read_header(l.csv, e) < 0 || map_columns(&l, e) < 0) {
		load_release(&l);
		return -1;
	}
	l.rows = xcalloc(LOAD_CHUNK, sizeof(*l.rows));
	l.order = xcalloc(LOAD_CHUNK, sizeof(*l.order));
	for (size_t i = 0; i < LOAD_CHUNK; i++)
		buf_init(&l.rows[i].sealed);
	person_now(l.now);
	l.key_id = keyring_current_id(k);
	int64_t cache;
	if (store_bulk_cache_begin(s, LOAD_CACHE_MIB, &cache, e) < 0) {
		load_release(&l);
		return -1;
	}
	int rc = store_begin(s, e);
	if (rc == 0 && load_all(s, k, who, &l, e) < 0) {
		store_rollback(s);
		rc = -1;
	} else if (rc == 0) {
		rc = store_commit(s, e);
	}
	store_bulk_cache_end(s, cache);
	load_release(&l);
	if (rc == 0)
		*count = l.lines;
	return rc;
}
