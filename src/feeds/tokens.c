/*
 * Feed tokens (see feeds.h): a partner's system posts one feed of one source with a token of
 * its own. The token is 32 random bytes shown once; only its SHA-256 is stored, so a copy of
 * the database gives no token. Adding and revoking one are audited.
 */
#include "feeds/feeds.h"

#include "audit/audit.h"
#include "util/xalloc.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char insert_sql[] =
    "INSERT INTO feed_tokens (token_hash, source, feed, created_at, created_by)"
    " VALUES (?, ?, ?, ?, ?) RETURNING id";
static const char list_sql[] =
    "SELECT id, source, feed, created_at, created_by, revoked_at FROM feed_tokens ORDER BY id";
static const char revoke_sql[] =
    "UPDATE feed_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL";
static const char exists_sql[] = "SELECT count(*) FROM feed_tokens WHERE id = ?";
static const char check_sql[] =
    "SELECT source, feed, revoked_at FROM feed_tokens WHERE token_hash = ?";
static const char org_sql[] = "SELECT count(*) FROM organisations WHERE kind = ? AND ident = ?";

static void now_text(char out[32])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void token_hash(const char *token, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(out, 65, h, sizeof(h));
}

static int check_source(struct store *s, const char *source, struct err *e)
{
	const char *colon = source ? strchr(source, ':') : NULL;
	if (!colon || colon == source || !colon[1] || strlen(source) >= FEED_SOURCE_SIZE)
		return err_set(e, ERR_USAGE,
		               "source '%s' is not an organisation reference (rule: "
		               "kind:ident, e.g. duo:DUO)",
		               source ? source : "");
	struct stmt *st;
	char kind[24];
	snprintf(kind, sizeof(kind), "%.*s", (int)(colon - source), source);
	if (store_prepare(s, org_sql, &st, e) < 0)
		return -1;
	stmt_bind_text(st, 1, kind);
	stmt_bind_text(st, 2, colon + 1);
	int rc = stmt_step(st, e);
	bool found = rc == STORE_ROW && stmt_int64(st, 0) > 0;
	stmt_free(st);
	if (rc < 0)
		return -1;
	return found ? 0
	             : err_set(e, ERR_NOTFOUND, "source %s is not an organisation in the registry",
	                       source);
}

int feed_token_add(struct store *s, const struct access *who, const char *source, const char *feed,
                   char token[FEED_TOKEN_HEX_SIZE], int64_t *id, struct err *e)
{
	unsigned char raw[32];
	char hash[65], now[32], detail[128];
	struct stmt *st = NULL;
	if (!feed_known(feed, NULL))
		return err_set(e, ERR_USAGE, "'%s' is not a feed", feed ? feed : "");
	if (store_begin(s, e) < 0)
		return -1;
	if (check_source(s, source, e) < 0)
		goto fail;
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(token, FEED_TOKEN_HEX_SIZE, raw, sizeof(raw));
	sodium_memzero(raw, sizeof(raw));
	token_hash(token, hash);
	now_text(now);
	if (store_prepare(s, insert_sql, &st, e) < 0)
		goto fail;
	stmt_bind_text(st, 1, hash);
	stmt_bind_text(st, 2, source);
	stmt_bind_text(st, 3, feed);
	stmt_bind_text(st, 4, now);
	stmt_bind_text(st, 5, who->actor ? who->actor : "unknown");
	if (stmt_step(st, e) != STORE_ROW)
		goto fail;
	*id = stmt_int64(st, 0);
	stmt_free(st);
	st = NULL;
	snprintf(detail, sizeof(detail), "feed_token id=%lld feed=%s source=%s", (long long)*id,
	         feed, source);
	if (audit_append(s, who, "feed.token_add", NULL, detail, e) < 0)
		goto fail;
	if (store_commit(s, e) < 0) {
		sodium_memzero(token, FEED_TOKEN_HEX_SIZE);
		return -1;
	}
	return 0;
fail:
	stmt_free(st);
	store_rollback(s);
	sodium_memzero(token, FEED_TOKEN_HEX_SIZE);
	if (e->code == ERR_NONE)
		err_set(e, ERR_INTERNAL, "INSERT … RETURNING gave no id");
	return -1;
}

static void copy(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

int feed_token_list(struct store *s, struct feed_token_info **out, size_t *n, struct err *e)
{
	struct stmt *st;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	if (store_prepare(s, list_sql, &st, e) < 0)
		return -1;
	int rc;
	while ((rc = stmt_step(st, e)) == STORE_ROW) {
		XGROW(*out, cap, *n + 1);
		struct feed_token_info *t = &(*out)[(*n)++];
		t->id = stmt_int64(st, 0);
		copy(t->source, sizeof(t->source), stmt_text(st, 1));
		copy(t->feed, sizeof(t->feed), stmt_text(st, 2));
		copy(t->created_at, sizeof(t->created_at), stmt_text(st, 3));
		copy(t->created_by, sizeof(t->created_by), stmt_text(st, 4));
		copy(t->revoked_at, sizeof(t->revoked_at), stmt_text(st, 5));
	}
	stmt_free(st);
	if (rc < 0) {
		free(*out);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

int feed_token_revoke(struct store *s, const struct access *who, int64_t id, struct err *e)
{
	struct stmt *st = NULL;
	char now[32], detail[64];
	int64_t exists = 0;
	if (store_begin(s, e) < 0)
		return -1;
	if (store_prepare(s, exists_sql, &st, e) < 0)
		goto fail;
	stmt_bind_int64(st, 1, id);
	if (stmt_step(st, e) < 0)
		goto fail;
	exists = stmt_int64(st, 0);
	stmt_free(st);
	st = NULL;
	if (!exists) {
		err_set(e, ERR_NOTFOUND, "no feed token with id %lld", (long long)id);
		goto fail;
	}
	now_text(now);
	if (store_prepare(s, revoke_sql, &st, e) < 0)
		goto fail;
	stmt_bind_text(st, 1, now);
	stmt_bind_int64(st, 2, id);
	if (stmt_step(st, e) < 0)
		goto fail;
	if (stmt_changes(st) == 0) {
		err_set(e, ERR_CONFLICT, "feed token %lld is revoked already", (long long)id);
		goto fail;
	}
	stmt_free(st);
	st = NULL;
	snprintf(detail, sizeof(detail), "feed_token id=%lld", (long long)id);
	if (audit_append(s, who, "feed.token_revoke", NULL, detail, e) < 0)
		goto fail;
	return store_commit(s, e);
fail:
	stmt_free(st);
	store_rollback(s);
	return -1;
}

int feed_token_check(struct store *s, const char *token, const char *feed,
                     char source[FEED_SOURCE_SIZE], struct err *e)
{
	struct stmt *st;
	char hash[65];
	source[0] = '\0';
	if (!token || strlen(token) != FEED_TOKEN_HEX_SIZE - 1)
		return err_set(e, ERR_NOTFOUND, "no such feed token");
	/* Looked up by its hash: the lookup reveals nothing of the token's digits. */
	token_hash(token, hash);
	if (store_prepare(s, check_sql, &st, e) < 0)
		return -1;
	stmt_bind_text(st, 1, hash);
	int rc = stmt_step(st, e);
	if (rc < 0) {
		stmt_free(st);
		return -1;
	}
	if (rc == STORE_DONE || !stmt_is_null(st, 2)) {
		bool revoked = rc == STORE_ROW;
		stmt_free(st);
		return err_set(e, ERR_NOTFOUND,
		               revoked ? "the feed token was revoked" : "no such feed token");
	}
	copy(source, FEED_SOURCE_SIZE, stmt_text(st, 0));
	bool same_feed = strcmp(stmt_text(st, 1), feed) == 0;
	char token_feed[FEED_NAME_SIZE];
	copy(token_feed, sizeof(token_feed), stmt_text(st, 1));
	stmt_free(st);
	if (!same_feed)
		return err_set(e, ERR_FORBIDDEN, "the feed token is for feed %s, not %.16s",
		               token_feed, feed);
	return 0;
}
