/*
 * Hash-chained audit entries and the anchors that hold the chain at both ends (see audit.h).
 * The hash covers every field, each preceded by its length, so that no two different entries
 * serialise alike; an anchor's seal covers its name and every field.
 */
#include "audit/audit.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <nettle/sha2.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char genesis[] = "0000000000000000000000000000000000000000000000000000000000000000";

/* Ids follow the head's: never reused, even after the newest entries were removed. */
static const char insert_sql[] =
	"INSERT INTO audit_log (at, actor, organisation, role, on_behalf_of, action, person_key,"
	" detail, reason, client, prev_hash, hash, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
	" ?)";

static const char scan_sql[] =
	"SELECT id, at, actor, organisation, role, on_behalf_of, action, person_key, detail,"
	" reason, client, prev_hash, hash FROM audit_log ORDER BY id";

static const char anchor_get_sql[] =
	"SELECT seq, entry_id, hash, at, mac FROM audit_anchors WHERE name = ?";
static const char anchor_update_sql[] =
	"UPDATE audit_anchors SET seq = ?, entry_id = ?, hash = ?, at = ?, mac = ? WHERE name = ?";
static const char anchor_insert_sql[] =
	"INSERT INTO audit_anchors (seq, entry_id, hash, at, mac, name) VALUES (?, ?, ?, ?, ?, ?)";
static const char any_entry_sql[] = "SELECT count(*) FROM audit_log";
static const char last_entry_sql[] = "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1";

/* The number of text fields an entry has, in hashing order (at … client). */
#define AUDIT_FIELDS 10

/* ---- the key and the seals ------------------------------------------------------------------ */

static unsigned char audit_key[AUDIT_KEY_BYTES];
static crypto_auth_hmacsha256_state keyed; /* the key absorbed: copied per seal */
static bool have_key;

void audit_set_key(const unsigned char key[AUDIT_KEY_BYTES])
{
	memcpy(audit_key, key, sizeof(audit_key));
	crypto_auth_hmacsha256_init(&keyed, audit_key, sizeof(audit_key));
	have_key = true;
}

void audit_clear_key(void)
{
	sodium_memzero(audit_key, sizeof(audit_key));
	sodium_memzero(&keyed, sizeof(keyed));
	have_key = false;
}

bool audit_has_key(void)
{
	return have_key;
}

static int need_key(struct err *e)
{
	if (have_key)
		return 0;
	return err_set(e, ERR_FORBIDDEN,
		       "the audit log is sealed with a key from the key file, and this process has "
		       "none (give --keyfile or INBEELD_KEYFILE)");
}

/* HMAC-SHA256 under the audit key of an anchor: its name and each field, '|'-separated. */
static void anchor_seal(const char *name, const struct audit_head *h,
			char out[AUDIT_HASH_HEX_SIZE])
{
	crypto_auth_hmacsha256_state st;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	char text[256];
	int n = snprintf(text, sizeof(text), "inbeeld audit anchor 1|%s|%lld|%lld|%s|%s", name,
			 (long long)h->seq, (long long)h->entry_id, h->hash, h->at);
	st = keyed;
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)text, (size_t)n);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(out, AUDIT_HASH_HEX_SIZE, mac, sizeof(mac));
}

static bool anchor_sealed(const char *name, const struct audit_head *h)
{
	char want[AUDIT_HASH_HEX_SIZE];
	anchor_seal(name, h, want);
	return sodium_memcmp(want, h->mac, AUDIT_HASH_HEX_SIZE - 1) == 0 &&
	       strlen(h->mac) == AUDIT_HASH_HEX_SIZE - 1;
}

static void copy_text(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

static int anchor_get(struct store *s, const char *name, struct audit_head *h, bool *found,
		      struct err *e)
{
	struct stmt *st;
	memset(h, 0, sizeof(*h));
	copy_text(h->hash, sizeof(h->hash), genesis);
	if (store_prepare(s, anchor_get_sql, &st, e) < 0)
		return -1;
	stmt_bind_text(st, 1, name);
	int rc = stmt_step(st, e);
	*found = rc == STORE_ROW;
	if (rc == STORE_ROW) {
		h->seq = stmt_int64(st, 0);
		h->entry_id = stmt_int64(st, 1);
		copy_text(h->hash, sizeof(h->hash), stmt_text(st, 2));
		copy_text(h->at, sizeof(h->at), stmt_text(st, 3));
		copy_text(h->mac, sizeof(h->mac), stmt_text(st, 4));
	}
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

static void now_iso(char out[32])
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	gmtime_r(&ts.tv_sec, &tm);
	size_t n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + n, 32 - n, ".%03ldZ", ts.tv_nsec / 1000000);
}

/* Seal and store an anchor (inside the caller's transaction). */
static int anchor_put(struct store *s, const char *name, struct audit_head *h, struct err *e)
{
	struct stmt *st;
	now_iso(h->at);
	anchor_seal(name, h, h->mac);
	for (int pass = 0; pass < 2; pass++) {
		if (store_prepare(s, pass ? anchor_insert_sql : anchor_update_sql, &st, e) < 0)
			return -1;
		stmt_bind_int64(st, 1, h->seq);
		stmt_bind_int64(st, 2, h->entry_id);
		stmt_bind_text(st, 3, h->hash);
		stmt_bind_text(st, 4, h->at);
		stmt_bind_text(st, 5, h->mac);
		stmt_bind_text(st, 6, name);
		int rc = stmt_step(st, e);
		int64_t changed = rc < 0 ? 0 : stmt_changes(st);
		stmt_free(st);
		if (rc < 0)
			return -1;
		if (changed)
			return 0;
	}
	return err_set(e, ERR_INTERNAL, "audit anchor %s was not written", name);
}

int audit_checkpoint_put(struct store *s, struct audit_head *cp, struct err *e)
{
	if (need_key(e) < 0)
		return -1;
	return anchor_put(s, "checkpoint", cp, e);
}

/* ---- appending ------------------------------------------------------------------------------ */

static void entry_hash(const char *prev, const char *const fields[AUDIT_FIELDS],
		       char out[AUDIT_HASH_HEX_SIZE])
{
	unsigned char digest[SHA256_DIGEST_SIZE];
	struct sha256_ctx h; /* nettle's: the CPU's SHA instructions where there are some */
	/* The previous hash, then "|<length>:<field>" for each field; a NULL field has length
	 * -1, so that NULL and "" differ. Serialised first and hashed once: this runs for
	 * every entry, and many small updates cost more than the hashing. */
	struct buf b = BUF_INIT;
	buf_adds(&b, prev);
	for (int i = 0; i < AUDIT_FIELDS; i++) {
		const char *f = fields[i] ? fields[i] : "";
		size_t flen = strlen(f);
		char len[24], *p = len + sizeof(len);
		*--p = ':';
		if (!fields[i]) {
			*--p = '1';
			*--p = '-';
		} else {
			size_t v = flen;
			do
				*--p = (char)('0' + v % 10);
			while ((v /= 10) != 0);
		}
		*--p = '|';
		buf_add(&b, p, (size_t)(len + sizeof(len) - p));
		buf_add(&b, f, flen);
	}
	sha256_init(&h);
	sha256_update(&h, b.len, (const uint8_t *)b.data);
	sha256_digest(&h, sizeof(digest), digest);
	buf_release(&b);
	sodium_bin2hex(out, AUDIT_HASH_HEX_SIZE, digest, sizeof(digest));
}

/* The head while entries are appended in one transaction. */
struct chain {
	struct audit_head head;
	struct stmt *ins;
};

/*
 * Take the log for appending (inside the caller's transaction): on PostgreSQL one appender
 * at a time, or two could chain onto the same entry; SQLite's write lock does it there.
 * A log without a head may only be empty: a head removed from a log with entries is an
 * attack on its end, and a new head would hide it.
 */
static int chain_open(struct store *s, struct chain *c, struct err *e)
{
	bool found;
	memset(c, 0, sizeof(*c));
	if (need_key(e) < 0)
		return -1;
	if (store_backend(s) == STORE_POSTGRES &&
	    store_exec(s, "LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE", e) < 0)
		return -1;
	if (anchor_get(s, "head", &c->head, &found, e) < 0)
		return -1;
	if (found)
		return 0;
	int64_t entries;
	struct audit_head cp;
	bool have_cp;
	if (store_query_int64(s, any_entry_sql, &entries, e) < 0 ||
	    anchor_get(s, "checkpoint", &cp, &have_cp, e) < 0)
		return -1;
	if (entries > 0 || have_cp)
		return err_set(e, ERR_INVALID,
			       "the head of the audit log is missing while the log holds %lld "
			       "entries: it was removed ('inbeeld audit verify' tells more)",
			       (long long)entries);
	return 0;
}

static int chain_add(struct store *s, struct chain *c, const char *const fields[AUDIT_FIELDS],
		     struct err *e)
{
	char hash[AUDIT_HASH_HEX_SIZE];
	entry_hash(c->head.hash, fields, hash);
	if (!c->ins && store_prepare(s, insert_sql, &c->ins, e) < 0)
		return -1;
	stmt_reset(c->ins);
	for (int i = 0; i < AUDIT_FIELDS; i++)
		stmt_bind_text(c->ins, i + 1, fields[i]);
	stmt_bind_text(c->ins, 11, c->head.hash);
	stmt_bind_text(c->ins, 12, hash);
	stmt_bind_int64(c->ins, 13, c->head.entry_id + 1);
	if (stmt_step(c->ins, e) < 0)
		return -1;
	c->head.entry_id++;
	c->head.seq++;
	memcpy(c->head.hash, hash, sizeof(hash));
	return 0;
}

static int chain_close(struct store *s, struct chain *c, struct err *e)
{
	stmt_free(c->ins);
	c->ins = NULL;
	return anchor_put(s, "head", &c->head, e);
}

static void entry_fields(const struct access *who, const char *at, const char *action,
			 const char *person_key, const char *detail,
			 const char *out[AUDIT_FIELDS])
{
	const char *f[AUDIT_FIELDS] = {
		at,	    who->actor, who->organisation, who->role,   who->on_behalf_of,
		action,	    person_key, detail,		   who->reason, who->client,
	};
	memcpy(out, f, sizeof(f));
}

int audit_append(struct store *s, const struct access *who, const char *action,
		 const char *person_key, const char *detail, struct err *e)
{
	char at[32];
	const char *fields[AUDIT_FIELDS];
	struct chain c;
	now_iso(at);
	entry_fields(who, at, action, person_key, detail, fields);
	if (store_begin(s, e) < 0)
		return -1;
	if (chain_open(s, &c, e) < 0 || chain_add(s, &c, fields, e) < 0 ||
	    chain_close(s, &c, e) < 0)
		goto fail;
	return store_commit(s, e);
fail:
	stmt_free(c.ins);
	store_rollback(s);
	return err_prefix(e, "audit");
}

/* ---- group commit ----------------------------------------------------------------------------- */

struct audit_pending {
	char *f[AUDIT_FIELDS];
};

static _Thread_local struct audit_batch *collector;

void audit_collect_begin(struct audit_batch *b)
{
	collector = b;
}

void audit_collect_end(void)
{
	collector = NULL;
}

bool audit_collecting(void)
{
	return collector != NULL;
}

int audit_append_read(struct store *s, const struct access *who, const char *action,
		      const char *person_key, const char *detail, struct err *e)
{
	if (!collector)
		return audit_append(s, who, action, person_key, detail, e);
	if (need_key(e) < 0)
		return err_prefix(e, "audit");
	char at[32];
	const char *fields[AUDIT_FIELDS];
	now_iso(at);
	entry_fields(who, at, action, person_key, detail, fields);
	XGROW(collector->entries, collector->cap, collector->n + 1);
	struct audit_pending *p = &collector->entries[collector->n++];
	for (int i = 0; i < AUDIT_FIELDS; i++)
		p->f[i] = fields[i] ? xstrdup(fields[i]) : NULL;
	return 0;
}

int audit_tx_begin(struct store *s, struct err *e)
{
	return collector ? store_begin_read(s, e) : store_begin(s, e);
}

int audit_commit_batches(struct store *s, struct audit_batch *const *batches, size_t n,
			 struct err *e)
{
	struct chain c;
	size_t entries = 0;
	for (size_t i = 0; i < n; i++)
		entries += batches[i]->n;
	if (entries == 0)
		return 0;
	if (store_begin(s, e) < 0)
		return -1;
	if (chain_open(s, &c, e) < 0)
		goto fail;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < batches[i]->n; j++)
			if (chain_add(s, &c, (const char *const *)batches[i]->entries[j].f, e) < 0)
				goto fail;
	if (chain_close(s, &c, e) < 0)
		goto fail;
	return store_commit(s, e);
fail:
	stmt_free(c.ins);
	store_rollback(s);
	return err_prefix(e, "audit");
}

void audit_batch_release(struct audit_batch *b)
{
	for (size_t i = 0; i < b->n; i++)
		for (int j = 0; j < AUDIT_FIELDS; j++)
			free(b->entries[i].f[j]);
	free(b->entries);
	memset(b, 0, sizeof(*b));
}

int audit_set_durability(struct store *s, bool on_disk, struct err *e)
{
	if (store_backend(s) == STORE_SQLITE)
		return store_exec(s, on_disk ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL",
				  e);
	return store_exec(s, on_disk ? "SET synchronous_commit = on" : "SET synchronous_commit = off",
			  e);
}

int audit_seal_existing(struct store *s, struct err *e)
{
	struct audit_head h;
	bool found;
	if (need_key(e) < 0 || store_begin(s, e) < 0)
		return -1;
	if (anchor_get(s, "head", &h, &found, e) < 0)
		goto fail;
	if (found)
		return store_commit(s, e);
	struct stmt *st;
	if (store_query_int64(s, any_entry_sql, &h.seq, e) < 0 ||
	    store_prepare(s, last_entry_sql, &st, e) < 0)
		goto fail;
	int rc = stmt_step(st, e);
	if (rc == STORE_ROW) {
		h.entry_id = stmt_int64(st, 0);
		copy_text(h.hash, sizeof(h.hash), stmt_text(st, 1));
	}
	stmt_free(st);
	if (rc < 0 || anchor_put(s, "head", &h, e) < 0)
		goto fail;
	return store_commit(s, e);
fail:
	store_rollback(s);
	return err_prefix(e, "audit");
}

/* ---- verifying ---------------------------------------------------------------------------------- */

/* One line of an anchor file: "inbeeld-audit-anchor 1 SEQ ENTRY_ID HASH AT MAC". */
struct anchor_line {
	struct audit_head h;
	int line;
	bool seen; /* the entry it names was found with its hash */
};

static int anchor_file_read(const char *path, struct anchor_line **out, size_t *n, struct err *e)
{
	FILE *f = fopen(path, "r");
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	if (!f)
		return err_set(e, ERR_IO, "cannot read the anchor file '%s': %m", path);
	char line[512];
	int lineno = 0;
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		struct anchor_line a;
		long long seq, id;
		memset(&a, 0, sizeof(a));
		if (sscanf(line, "inbeeld-audit-anchor 1 %lld %lld %64s %31s %64s", &seq, &id,
			   a.h.hash, a.h.at, a.h.mac) != 5) {
			fclose(f);
			free(*out);
			*out = NULL;
			*n = 0;
			return err_set(e, ERR_INVALID, "anchor file '%s' line %d: not an anchor line",
				       path, lineno);
		}
		a.h.seq = seq;
		a.h.entry_id = id;
		a.line = lineno;
		XGROW(*out, cap, *n + 1);
		(*out)[(*n)++] = a;
	}
	fclose(f);
	return 0;
}

struct walk_state {
	const struct audit_head *head, *cp;
	struct anchor_line *anchors;
	size_t nanchors;
	const char *anchor_file;
};

/* The anchors of the file at sequence number `seq` against the entry found there. */
static int check_anchors_at(struct walk_state *w, int64_t seq, int64_t id, const char *hash,
			    struct audit_verify_result *r, struct err *e)
{
	for (size_t i = 0; i < w->nanchors; i++) {
		struct anchor_line *a = &w->anchors[i];
		if (a->h.seq != seq)
			continue;
		if (a->h.entry_id != id || strcmp(a->h.hash, hash) != 0) {
			r->first_bad = id;
			return err_set(e, ERR_INVALID,
				       "audit entry %lld is not the entry that the anchor of %s (line "
				       "%d of '%s') names as number %lld: the log was rewritten",
				       (long long)id, a->h.at, a->line, w->anchor_file,
				       (long long)seq);
		}
		a->seen = true;
	}
	return 0;
}

static int walk_chain(struct store *s, struct walk_state *w, struct audit_verify_result *r,
		      char last_hash[AUDIT_HASH_HEX_SIZE], int64_t *last_id, struct err *e)
{
	struct stmt *st;
	char expect_prev[AUDIT_HASH_HEX_SIZE], hash[AUDIT_HASH_HEX_SIZE];
	int64_t seq = w->cp->seq;
	*last_id = w->cp->entry_id;
	copy_text(expect_prev, sizeof(expect_prev), w->cp->hash);
	if (store_prepare(s, scan_sql, &st, e) < 0)
		return -1;
	int rc, ret = 0;
	while ((rc = stmt_step(st, e)) == STORE_ROW) {
		int64_t id = stmt_int64(st, 0);
		const char *fields[AUDIT_FIELDS];
		for (int i = 0; i < AUDIT_FIELDS; i++)
			fields[i] = stmt_text(st, i + 1);
		const char *prev = stmt_text(st, 11), *stored = stmt_text(st, 12);
		if (id <= w->cp->entry_id || strcmp(prev ? prev : "", expect_prev) != 0) {
			r->first_bad = id;
			if (r->checked == 0 && w->cp->seq > 0)
				ret = err_set(e, ERR_INVALID,
					      "audit entry %lld does not follow the checkpoint (entry "
					      "%lld, the last one pruned): entries were removed from "
					      "the start of the log or altered",
					      (long long)id, (long long)w->cp->entry_id);
			else
				ret = err_set(e, ERR_INVALID,
					      "audit entry %lld does not follow the entry before it (an "
					      "entry was removed, inserted or reordered)",
					      (long long)id);
			break;
		}
		entry_hash(prev, fields, hash);
		if (strcmp(hash, stored ? stored : "") != 0) {
			r->first_bad = id;
			ret = err_set(e, ERR_INVALID, "audit entry %lld was altered (its hash differs)",
				      (long long)id);
			break;
		}
		seq++;
		if (check_anchors_at(w, seq, id, hash, r, e) < 0) {
			ret = -1;
			break;
		}
		copy_text(expect_prev, sizeof(expect_prev), hash);
		*last_id = id;
		r->checked++;
	}
	stmt_free(st);
	copy_text(last_hash, AUDIT_HASH_HEX_SIZE, expect_prev);
	return rc < 0 ? -1 : ret;
}

/* The end of the chain against the head: nothing missing after it, nothing added. */
static int check_end(const struct walk_state *w, int64_t last_id, const char *last_hash,
		     struct audit_verify_result *r, struct err *e)
{
	int64_t seq = w->cp->seq + r->checked;
	if (seq < w->head->seq) {
		r->first_bad = w->head->entry_id;
		return err_set(e, ERR_INVALID,
			       "the newest %lld audit entr%s removed: the head (sealed %s) "
			       "counts %lld entries ending with entry %lld, the log holds %lld "
			       "ending with entry %lld",
			       (long long)(w->head->seq - seq), w->head->seq - seq == 1 ? "y was" : "ies were",
			       w->head->at, (long long)w->head->seq, (long long)w->head->entry_id,
			       (long long)seq, (long long)last_id);
	}
	if (seq > w->head->seq) {
		r->first_bad = last_id;
		return err_set(e, ERR_INVALID,
			       "%lld audit entr%s after the sealed head (entry %lld) without the "
			       "key: the log was extended by someone who cannot seal it",
			       (long long)(seq - w->head->seq), seq - w->head->seq == 1 ? "y was added" : "ies were added",
			       (long long)w->head->entry_id);
	}
	if (strcmp(last_hash, w->head->hash) != 0 || last_id != w->head->entry_id) {
		r->first_bad = last_id;
		return err_set(e, ERR_INVALID,
			       "the newest audit entry (%lld) is not the one the head seals (entry "
			       "%lld): entries at the end were replaced",
			       (long long)last_id, (long long)w->head->entry_id);
	}
	return 0;
}

/* Anchors of the file that name entries beyond the log's end: the store is older. */
static int check_anchors_ahead(const struct walk_state *w, struct audit_verify_result *r,
			       struct err *e)
{
	for (size_t i = 0; i < w->nanchors; i++) {
		const struct anchor_line *a = &w->anchors[i];
		if (a->h.seq > w->head->seq)
			return err_set(e, ERR_INVALID,
				       "the audit log ends at entry number %lld, but the anchor of %s "
				       "(line %d of '%s') saw %lld: the store was put back from an "
				       "older copy or its newest entries were removed",
				       (long long)w->head->seq, a->h.at, a->line, w->anchor_file,
				       (long long)a->h.seq);
		if (a->h.seq > w->cp->seq && !a->seen)
			return err_set(e, ERR_INVALID,
				       "the entry that the anchor of %s (line %d of '%s') names is not "
				       "in the log",
				       a->h.at, a->line, w->anchor_file);
		r->anchors++;
	}
	return 0;
}

int audit_verify(struct store *s, const char *anchor_file, struct audit_verify_result *r,
		 struct err *e)
{
	struct audit_head head, cp;
	bool have_head, have_cp;
	struct walk_state w = {.head = &head, .cp = &cp, .anchor_file = anchor_file};
	char last_hash[AUDIT_HASH_HEX_SIZE];
	int64_t last_id, entries;
	int rc = -1;
	memset(r, 0, sizeof(*r));
	if (need_key(e) < 0)
		return -1;
	if (anchor_file && anchor_file_read(anchor_file, &w.anchors, &w.nanchors, e) < 0)
		return -1;
	for (size_t i = 0; i < w.nanchors; i++)
		if (!anchor_sealed("head", &w.anchors[i].h)) {
			err_set(e, ERR_INVALID,
				"anchor file '%s' line %d: the seal does not fit (not written with "
				"this key file, or altered)",
				anchor_file, w.anchors[i].line);
			free(w.anchors);
			return -1;
		}
	if (anchor_get(s, "head", &head, &have_head, e) < 0 ||
	    anchor_get(s, "checkpoint", &cp, &have_cp, e) < 0 ||
	    store_query_int64(s, any_entry_sql, &entries, e) < 0)
		goto out;
	if (have_cp && !anchor_sealed("checkpoint", &cp)) {
		err_set(e, ERR_INVALID,
			"the checkpoint of the audit log (entry %lld) was altered: its seal does not "
			"fit",
			(long long)cp.entry_id);
		goto out;
	}
	if (!have_head) {
		if (entries > 0 || have_cp) {
			err_set(e, ERR_INVALID,
				"the head of the audit log is missing while the log holds %lld "
				"entries: it was removed, perhaps with the newest entries",
				(long long)entries);
			goto out;
		}
		/* A log that was never written to. */
		head.seq = 0;
	} else if (!anchor_sealed("head", &head)) {
		err_set(e, ERR_INVALID,
			"the head of the audit log was altered: its seal does not fit (entry %lld)",
			(long long)head.entry_id);
		goto out;
	}
	r->pruned = cp.seq;
	r->head = head;
	if (walk_chain(s, &w, r, last_hash, &last_id, e) < 0 ||
	    (have_head && check_end(&w, last_id, last_hash, r, e) < 0) ||
	    check_anchors_ahead(&w, r, e) < 0)
		goto out;
	rc = 0;
out:
	free(w.anchors);
	return rc;
}

int audit_anchor_write(struct store *s, const char *path, struct audit_head *head, struct err *e)
{
	struct audit_verify_result r;
	if (audit_verify(s, NULL, &r, e) < 0)
		return err_prefix(e, "no anchor written");
	*head = r.head;
	if (r.head.mac[0] == '\0')
		return err_set(e, ERR_INVALID, "the audit log has no entries yet: nothing to anchor");
	FILE *f = fopen(path, "a");
	if (!f)
		return err_set(e, ERR_IO, "cannot write the anchor file '%s': %m", path);
	int fd = fileno(f);
	bool ok = fchmod(fd, 0600) == 0 &&
		  fprintf(f, "inbeeld-audit-anchor 1 %lld %lld %s %s %s\n", (long long)head->seq,
			  (long long)head->entry_id, head->hash, head->at, head->mac) > 0 &&
		  fflush(f) == 0 && fsync(fd) == 0;
	if (fclose(f) != 0)
		ok = false;
	if (!ok)
		return err_set(e, ERR_IO, "cannot write the anchor file '%s': %m", path);
	return 0;
}
