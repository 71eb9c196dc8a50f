/*
 * Merging two records of one young person, and undoing it (see person_merge in person.h).
 * A merge keeps what it needs to be undone exactly: the survivor's sealed data and clear
 * fields before it, the merged record's last change, and every row of another table that it
 * moved from the merged record to the survivor.
 */
#include "registry/person-internal.h"

#include "audit/audit.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The columns that refer to a person (persons.id) and whose rows follow a merge. A table
 * with such a column adds a line here, e.g. {"events", "person_id"}; until it does, a merge
 * leaves its rows with the merged record. State derived from other rows (a table keyed by
 * person_id alone) is recomputed rather than moved and needs no line.
 */
const struct person_ref person_refs[] = {
	/* What the partners delivered: a record is unique by person, stream and key, and the
	 * key holds no person, so the moved record is the survivor's when it is delivered
	 * under the survivor's BSN (docs/feeds.md). */
	{"feed_records", "person_id", "stream_id, record_key"},
	{"events", "person_id", NULL},  /* the timeline */
	{"signals", "person_id", NULL}, /* raised signals keep their history and handling */
	{NULL, NULL, NULL},
};

static const char side_sql[] =
	"SELECT id, pkey, provisional, merged_into, municipality_code, postcode4, updated_at,"
	" pii, key_id FROM persons WHERE pkey = ?";

static const char insert_merge_sql[] =
	"INSERT INTO person_merges (survivor_id, merged_id, survivor_pii, survivor_key,"
	" survivor_municipality, survivor_postcode4, survivor_updated_at, merged_updated_at,"
	" merged_at, merged_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

static const char set_survivor_sql[] =
	"UPDATE persons SET pii = ?, key_id = ?, municipality_code = ?, postcode4 = ?,"
	" updated_at = ? WHERE id = ?";

static const char mark_merged_sql[] =
	"UPDATE persons SET merged_into = ?, updated_at = ? WHERE id = ? AND merged_into IS NULL";

static const char insert_move_sql[] =
	"INSERT INTO person_merge_moves (merge_id, tbl, row_id) VALUES (?, ?, ?)";

static const char load_merge_sql[] =
	"SELECT m.survivor_id, m.merged_id, m.survivor_pii, m.survivor_key,"
	" m.survivor_municipality, m.survivor_postcode4, m.survivor_updated_at,"
	" m.merged_updated_at, m.undone_at, s.pkey, o.pkey, o.merged_into"
	" FROM person_merges m JOIN persons s ON s.id = m.survivor_id"
	" JOIN persons o ON o.id = m.merged_id WHERE m.id = ?";

static const char later_merge_sql[] =
	"SELECT id FROM person_merges WHERE id > ? AND undone_at IS NULL"
	" AND (survivor_id IN (?, ?) OR merged_id IN (?, ?)) ORDER BY id DESC LIMIT 1";

static const char moves_sql[] =
	"SELECT tbl, row_id FROM person_merge_moves WHERE merge_id = ? ORDER BY tbl, row_id";

static const char unmark_merged_sql[] =
	"UPDATE persons SET merged_into = NULL, updated_at = ? WHERE id = ?";

static const char mark_undone_sql[] =
	"UPDATE person_merges SET undone_at = ?, undone_by = ? WHERE id = ? AND undone_at IS NULL";

/* One record of a merge, as read before it. */
struct side {
	int64_t id;
	char pkey[PSEUDONYM_HEX_SIZE];
	bool provisional;
	int64_t merged_into;
	char municipality_code[GEMEENTE_SIZE];
	char postcode4[5];
	char updated_at[32];
	struct buf sealed;
	int64_t key_id;
	struct person_pii pii;
};

static void side_release(struct side *s)
{
	buf_release(&s->sealed);
	person_pii_release(&s->pii);
}

static int read_side(struct store *s, const struct keyring *k, const char *pkey,
		     struct side *out, struct err *e)
{
	struct stmt *st;
	if (store_prepare(s, side_sql, &st, e) < 0)
		return -1;
	stmt_bind_text(st, 1, pkey);
	int rc = stmt_step(st, e);
	if (rc == STORE_DONE)
		rc = err_set(e, ERR_NOTFOUND, "no person with key '%.64s'", pkey);
	if (rc == STORE_ROW) {
		out->id = stmt_int64(st, 0);
		snprintf(out->pkey, sizeof(out->pkey), "%s", stmt_text(st, 1));
		out->provisional = stmt_int64(st, 2) != 0;
		out->merged_into = stmt_int64(st, 3);
		const char *muni = stmt_text(st, 4), *pc4 = stmt_text(st, 5);
		snprintf(out->municipality_code, sizeof(out->municipality_code), "%s",
			 muni ? muni : "");
		snprintf(out->postcode4, sizeof(out->postcode4), "%s", pc4 ? pc4 : "");
		snprintf(out->updated_at, sizeof(out->updated_at), "%s", stmt_text(st, 6));
		size_t len;
		const void *sealed = stmt_blob(st, 7, &len);
		buf_add(&out->sealed, sealed, len);
		out->key_id = stmt_int64(st, 8);
		rc = person_pii_open(k, out->pkey, out->sealed.data, out->sealed.len, &out->pii, e);
	}
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

/* The refusals of a merge: itself, a merged record, two BSNs. */
static int check_mergeable(const struct side *a, const struct side *b, struct err *e)
{
	if (a->id == b->id)
		return err_set(e, ERR_INVALID, "person '%s' cannot be merged with itself", a->pkey);
	const struct side *merged = a->merged_into ? a : b->merged_into ? b : NULL;
	if (merged)
		return err_set(e, ERR_CONFLICT,
			       "person '%s' is merged into another record already; merge that one, "
			       "or undo the earlier merge first",
			       merged->pkey);
	if (!a->provisional && !b->provisional)
		return err_set(e, ERR_CONFLICT,
			       "persons '%s' and '%s' both have a BSN: two BSNs are two persons "
			       "(a wrong BSN is corrected at its source, not by a merge)",
			       a->pkey, b->pkey);
	return 0;
}

/* Fill the survivor's empty pii fields from the other; names the fields filled in `filled`. */
static void fill_missing(struct person_pii *survivor, const struct person_pii *other,
			 struct buf *filled)
{
	const char *sep = "";
	buf_adds(filled, "filled pii(");
	for (size_t i = 0; i < person_pii_nfields; i++) {
		const char *v = PERSON_PII_FIELD(other, i);
		if (!PERSON_PII_FIELD(survivor, i) && v) {
			PERSON_PII_FIELD(survivor, i) = xstrdup(v);
			buf_addf(filled, "%s%s", sep, person_pii_fields[i].name);
			sep = ",";
		}
	}
	buf_addch(filled, ')');
}

static int record_merge(struct store *s, const struct access *who, const struct side *sv,
			const struct side *other, const char *now, int64_t *merge_id,
			struct err *e)
{
	struct stmt *st;
	if (store_prepare(s, insert_merge_sql, &st, e) < 0)
		return -1;
	stmt_bind_int64(st, 1, sv->id);
	stmt_bind_int64(st, 2, other->id);
	stmt_bind_blob(st, 3, sv->sealed.data, sv->sealed.len);
	stmt_bind_int64(st, 4, sv->key_id);
	stmt_bind_text(st, 5, sv->municipality_code[0] ? sv->municipality_code : NULL);
	stmt_bind_text(st, 6, sv->postcode4[0] ? sv->postcode4 : NULL);
	stmt_bind_text(st, 7, sv->updated_at);
	stmt_bind_text(st, 8, other->updated_at);
	stmt_bind_text(st, 9, now);
	stmt_bind_text(st, 10, who->actor);
	int rc = stmt_step(st, e);
	if (rc == STORE_ROW)
		*merge_id = stmt_int64(st, 0);
	else if (rc == STORE_DONE)
		err_set(e, ERR_INTERNAL, "INSERT … RETURNING gave no merge id");
	stmt_free(st);
	return rc == STORE_ROW ? 0 : -1;
}

/* Run `sql` with one integer parameter per entry of `ids`, as a step without rows. */
static int exec_ids(struct store *s, const char *sql, const int64_t *ids, int n, struct err *e)
{
	struct stmt *st;
	if (store_prepare(s, sql, &st, e) < 0)
		return -1;
	for (int i = 0; i < n; i++)
		stmt_bind_int64(st, i + 1, ids[i]);
	int rc = stmt_step(st, e);
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

/* " AND x.a = t.a AND x.b = t.b" for the columns of `unique` ("a, b"). */
static void add_same(struct buf *b, const char *unique)
{
	for (const char *p = unique; *p;) {
		while (*p == ' ' || *p == ',')
			p++;
		size_t n = strcspn(p, ", ");
		if (n)
			buf_addf(b, " AND x.%.*s = t.%.*s", (int)n, p, (int)n, p);
		p += n;
	}
}

/* Move the rows of one referring table from `from` to `to`, recording each for the undo. */
static int move_ref(struct store *s, const struct person_ref *ref, int64_t merge_id,
		    int64_t from, int64_t to, long *moved, struct err *e)
{
	/* Table and column names come from the static person_refs table, never from input. */
	struct buf select_sql = BUF_INIT;
	buf_addf(&select_sql, "SELECT t.id FROM %s t WHERE t.%s = ?", ref->table, ref->column);
	if (ref->unique) {
		buf_addf(&select_sql, " AND NOT EXISTS (SELECT 1 FROM %s x WHERE x.%s = ?",
			 ref->table, ref->column);
		add_same(&select_sql, ref->unique);
		buf_addch(&select_sql, ')');
	}
	buf_adds(&select_sql, " ORDER BY t.id");
	char *move_sql = xasprintf("UPDATE %s SET %s = ? WHERE id = ?", ref->table, ref->column);
	struct stmt *sel = NULL, *rec = NULL, *mv = NULL;
	int rc = -1;
	if (store_prepare(s, select_sql.data, &sel, e) < 0 ||
	    store_prepare(s, insert_move_sql, &rec, e) < 0 ||
	    store_prepare(s, move_sql, &mv, e) < 0)
		goto done;
	stmt_bind_int64(sel, 1, from);
	if (ref->unique)
		stmt_bind_int64(sel, 2, to);
	/* The ids first: the moves change the rows the selection reads. */
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	int step;
	while ((step = stmt_step(sel, e)) == STORE_ROW) {
		XGROW(ids, cap, n + 1);
		ids[n++] = stmt_int64(sel, 0);
	}
	for (size_t i = 0; step >= 0 && i < n; i++) {
		stmt_bind_int64(rec, 1, merge_id);
		stmt_bind_text(rec, 2, ref->table);
		stmt_bind_int64(rec, 3, ids[i]);
		step = stmt_step(rec, e);
		stmt_reset(rec);
		if (step < 0)
			break;
		stmt_bind_int64(mv, 1, to);
		stmt_bind_int64(mv, 2, ids[i]);
		step = stmt_step(mv, e);
		stmt_reset(mv);
		if (step >= 0)
			(*moved)++;
	}
	free(ids);
	if (step >= 0)
		rc = 0;
done:
	stmt_free(sel);
	stmt_free(rec);
	stmt_free(mv);
	buf_release(&select_sql);
	free(move_sql);
	return rc;
}

static int move_refs(struct store *s, const struct person_ref *refs, int64_t merge_id,
		     int64_t from, int64_t to, long *moved, struct err *e)
{
	*moved = 0;
	for (const struct person_ref *r = refs; r->table; r++)
		if (move_ref(s, r, merge_id, from, to, moved, e) < 0)
			return -1;
	return 0;
}

/* Write the survivor's merged pii and clear fields. */
static int update_survivor(struct store *s, const struct keyring *k, const struct side *sv,
			   const struct side *other, const char *now, struct err *e)
{
	struct buf sealed = BUF_INIT;
	struct stmt *st;
	person_pii_seal(k, sv->pkey, &sv->pii, &sealed);
	const char *muni = sv->municipality_code[0] ? sv->municipality_code
						    : other->municipality_code;
	char pc4[5];
	snprintf(pc4, sizeof(pc4), "%s",
		 sv->postcode4[0] ? sv->postcode4 : sv->pii.postcode ? sv->pii.postcode : "");
	int rc = store_prepare(s, set_survivor_sql, &st, e);
	if (rc == 0) {
		stmt_bind_blob(st, 1, sealed.data, sealed.len);
		stmt_bind_int64(st, 2, keyring_current_id(k));
		stmt_bind_text(st, 3, muni[0] ? muni : NULL);
		stmt_bind_text(st, 4, pc4[0] ? pc4 : NULL);
		stmt_bind_text(st, 5, now);
		stmt_bind_int64(st, 6, sv->id);
		rc = stmt_step(st, e) < 0 ? -1 : 0;
		stmt_free(st);
	}
	buf_release(&sealed);
	return rc;
}

static int mark_merged(struct store *s, const struct side *other, int64_t survivor_id,
		       const char *now, struct err *e)
{
	struct stmt *st;
	if (store_prepare(s, mark_merged_sql, &st, e) < 0)
		return -1;
	stmt_bind_int64(st, 1, survivor_id);
	stmt_bind_text(st, 2, now);
	stmt_bind_int64(st, 3, other->id);
	int rc = stmt_step(st, e);
	int64_t changed = rc < 0 ? 0 : stmt_changes(st);
	stmt_free(st);
	if (rc < 0)
		return -1;
	if (changed != 1)
		return err_set(e, ERR_CONFLICT, "person '%s' was merged by someone else meanwhile",
			       other->pkey);
	return 0;
}

static int audit_merge(struct store *s, const struct access *who, const struct side *sv,
		       const struct side *other, int64_t merge_id, const char *filled,
		       long moved, struct err *e)
{
	char detail[256];
	snprintf(detail, sizeof(detail), "merge %lld: survivor; %s; moved rows=%ld",
		 (long long)merge_id, filled, moved);
	if (audit_append(s, who, "person.merge", sv->pkey, detail, e) < 0)
		return -1;
	snprintf(detail, sizeof(detail), "merge %lld: merged into the survivor (merged_into)",
		 (long long)merge_id);
	return audit_append(s, who, "person.merge", other->pkey, detail, e);
}

int person_merge_refs(struct store *s, const struct keyring *k, const struct access *who,
		      const char *pkey_a, const char *pkey_b, const struct person_ref *refs,
		      int64_t *merge_id, struct err *e)
{
	struct side a, b;
	struct buf filled = BUF_INIT;
	char now[32];
	long moved = 0;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	buf_init(&a.sealed);
	buf_init(&b.sealed);
	person_now(now);
	if (store_begin(s, e) < 0)
		goto done_fail;
	if (read_side(s, k, pkey_a, &a, e) < 0 || read_side(s, k, pkey_b, &b, e) < 0 ||
	    check_mergeable(&a, &b, e) < 0)
		goto fail;
	/* The record with a BSN survives; of two provisional ones, the first named. */
	struct side *sv = a.provisional && !b.provisional ? &b : &a;
	struct side *other = sv == &a ? &b : &a;
	if (record_merge(s, who, sv, other, now, merge_id, e) < 0 ||
	    move_refs(s, refs, *merge_id, other->id, sv->id, &moved, e) < 0)
		goto fail;
	fill_missing(&sv->pii, &other->pii, &filled);
	if (update_survivor(s, k, sv, other, now, e) < 0 ||
	    mark_merged(s, other, sv->id, now, e) < 0 ||
	    audit_merge(s, who, sv, other, *merge_id, filled.data, moved, e) < 0)
		goto fail;
	if (store_commit(s, e) < 0)
		goto done_fail;
	side_release(&a);
	side_release(&b);
	buf_release(&filled);
	return 0;
fail:
	store_rollback(s);
done_fail:
	side_release(&a);
	side_release(&b);
	buf_release(&filled);
	return -1;
}

int person_merge(struct store *s, const struct keyring *k, const struct access *who,
		 const char *pkey_a, const char *pkey_b, int64_t *merge_id, struct err *e)
{
	return person_merge_refs(s, k, who, pkey_a, pkey_b, person_refs, merge_id, e);
}

/* ---- undo --------------------------------------------------------------------------------- */

/* What a merge recorded. */
struct merge_record {
	int64_t survivor_id, merged_id;
	struct buf survivor_pii;
	int64_t survivor_key;
	char *survivor_municipality, *survivor_postcode4;
	char *survivor_updated_at, *merged_updated_at;
	char survivor_pkey[PSEUDONYM_HEX_SIZE], merged_pkey[PSEUDONYM_HEX_SIZE];
	int64_t merged_into;
};

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void merge_record_release(struct merge_record *m)
{
	buf_release(&m->survivor_pii);
	free(m->survivor_municipality);
	free(m->survivor_postcode4);
	free(m->survivor_updated_at);
	free(m->merged_updated_at);
}

/* Read merge `id`; refuses a merge that was undone already. */
static int read_merge(struct store *s, int64_t id, struct merge_record *m, struct err *e)
{
	struct stmt *st;
	if (store_prepare(s, load_merge_sql, &st, e) < 0)
		return -1;
	stmt_bind_int64(st, 1, id);
	int rc = stmt_step(st, e);
	if (rc == STORE_DONE)
		rc = err_set(e, ERR_NOTFOUND, "no merge with id %lld", (long long)id);
	else if (rc == STORE_ROW && !stmt_is_null(st, 8))
		rc = err_set(e, ERR_CONFLICT, "merge %lld was undone already (at %s)",
			     (long long)id, stmt_text(st, 8));
	if (rc == STORE_ROW) {
		m->survivor_id = stmt_int64(st, 0);
		m->merged_id = stmt_int64(st, 1);
		size_t len;
		const void *pii = stmt_blob(st, 2, &len);
		buf_add(&m->survivor_pii, pii, len);
		m->survivor_key = stmt_int64(st, 3);
		m->survivor_municipality = dup_or_null(stmt_text(st, 4));
		m->survivor_postcode4 = dup_or_null(stmt_text(st, 5));
		m->survivor_updated_at = dup_or_null(stmt_text(st, 6));
		m->merged_updated_at = dup_or_null(stmt_text(st, 7));
		snprintf(m->survivor_pkey, sizeof(m->survivor_pkey), "%s", stmt_text(st, 9));
		snprintf(m->merged_pkey, sizeof(m->merged_pkey), "%s", stmt_text(st, 10));
		m->merged_into = stmt_int64(st, 11);
	}
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

/* A later merge that still stands on either record must be undone first. */
static int refuse_later_merge(struct store *s, int64_t id, const struct merge_record *m,
			      struct err *e)
{
	struct stmt *st;
	if (store_prepare(s, later_merge_sql, &st, e) < 0)
		return -1;
	stmt_bind_int64(st, 1, id);
	stmt_bind_int64(st, 2, m->survivor_id);
	stmt_bind_int64(st, 3, m->merged_id);
	stmt_bind_int64(st, 4, m->survivor_id);
	stmt_bind_int64(st, 5, m->merged_id);
	int rc = stmt_step(st, e);
	if (rc == STORE_ROW)
		rc = err_set(e, ERR_CONFLICT,
			     "merge %lld involves these records and came later: undo it first",
			     (long long)stmt_int64(st, 0));
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

static const struct person_ref *find_ref(const struct person_ref *refs, const char *table)
{
	for (const struct person_ref *r = refs; r->table; r++)
		if (strcmp(r->table, table) == 0)
			return r;
	return NULL;
}

/* Move every recorded row back to the merged record. */
static int move_back(struct store *s, const struct person_ref *refs, int64_t merge_id,
		     int64_t merged_id, long *moved, struct err *e)
{
	struct stmt *st;
	*moved = 0;
	if (store_prepare(s, moves_sql, &st, e) < 0)
		return -1;
	stmt_bind_int64(st, 1, merge_id);
	int rc;
	while ((rc = stmt_step(st, e)) == STORE_ROW) {
		const struct person_ref *ref = find_ref(refs, stmt_text(st, 0));
		if (!ref) {
			rc = err_set(e, ERR_INTERNAL,
				     "merge %lld moved rows of table '%s', which no longer refers "
				     "to persons",
				     (long long)merge_id, stmt_text(st, 0));
			break;
		}
		char *sql = xasprintf("UPDATE %s SET %s = ? WHERE id = ?", ref->table,
				      ref->column);
		int64_t ids[2] = {merged_id, stmt_int64(st, 1)};
		int r = exec_ids(s, sql, ids, 2, e);
		free(sql);
		if (r < 0) {
			rc = -1;
			break;
		}
		(*moved)++;
	}
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

static int restore_records(struct store *s, const struct access *who, int64_t merge_id,
			   const struct merge_record *m, struct err *e)
{
	struct stmt *st = NULL;
	char now[32];
	person_now(now);
	if (store_prepare(s, set_survivor_sql, &st, e) < 0)
		return -1;
	stmt_bind_blob(st, 1, m->survivor_pii.data, m->survivor_pii.len);
	stmt_bind_int64(st, 2, m->survivor_key);
	stmt_bind_text(st, 3, m->survivor_municipality);
	stmt_bind_text(st, 4, m->survivor_postcode4);
	stmt_bind_text(st, 5, m->survivor_updated_at);
	stmt_bind_int64(st, 6, m->survivor_id);
	int rc = stmt_step(st, e);
	stmt_free(st);
	if (rc < 0 || store_prepare(s, unmark_merged_sql, &st, e) < 0)
		return -1;
	stmt_bind_text(st, 1, m->merged_updated_at);
	stmt_bind_int64(st, 2, m->merged_id);
	rc = stmt_step(st, e);
	stmt_free(st);
	if (rc < 0 || store_prepare(s, mark_undone_sql, &st, e) < 0)
		return -1;
	stmt_bind_text(st, 1, now);
	stmt_bind_text(st, 2, who->actor);
	stmt_bind_int64(st, 3, merge_id);
	rc = stmt_step(st, e);
	int64_t changed = rc < 0 ? 0 : stmt_changes(st);
	stmt_free(st);
	if (rc < 0)
		return -1;
	if (changed != 1)
		return err_set(e, ERR_CONFLICT, "merge %lld was undone by someone else meanwhile",
			       (long long)merge_id);
	return 0;
}

static int audit_unmerge(struct store *s, const struct access *who, int64_t merge_id,
			 const struct merge_record *m, long moved, struct err *e)
{
	char detail[200];
	snprintf(detail, sizeof(detail),
		 "merge %lld undone: survivor pii, person(municipality_code,postcode4) restored; "
		 "moved back rows=%ld",
		 (long long)merge_id, moved);
	if (audit_append(s, who, "person.unmerge", m->survivor_pkey, detail, e) < 0)
		return -1;
	snprintf(detail, sizeof(detail), "merge %lld undone: merged_into cleared",
		 (long long)merge_id);
	return audit_append(s, who, "person.unmerge", m->merged_pkey, detail, e);
}

int person_unmerge_refs(struct store *s, const struct keyring *k, const struct access *who,
			int64_t merge_id, const struct person_ref *refs, struct err *e)
{
	struct merge_record m;
	long moved = 0;
	(void)k; /* the survivor's data comes back sealed as it was; nothing is opened */
	memset(&m, 0, sizeof(m));
	buf_init(&m.survivor_pii);
	if (store_begin(s, e) < 0) {
		merge_record_release(&m);
		return -1;
	}
	if (read_merge(s, merge_id, &m, e) < 0 || refuse_later_merge(s, merge_id, &m, e) < 0)
		goto fail;
	if (m.merged_into != m.survivor_id) {
		err_set(e, ERR_INTERNAL, "merge %lld: the merged record no longer points at the "
					 "survivor", (long long)merge_id);
		goto fail;
	}
	if (move_back(s, refs, merge_id, m.merged_id, &moved, e) < 0 ||
	    restore_records(s, who, merge_id, &m, e) < 0 ||
	    audit_unmerge(s, who, merge_id, &m, moved, e) < 0)
		goto fail;
	merge_record_release(&m);
	return store_commit(s, e);
fail:
	store_rollback(s);
	merge_record_release(&m);
	return -1;
}

int person_unmerge(struct store *s, const struct keyring *k, const struct access *who,
		   int64_t merge_id, struct err *e)
{
	return person_unmerge_refs(s, k, who, merge_id, person_refs, e);
}
