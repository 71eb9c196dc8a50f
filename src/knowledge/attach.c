/*
 * Attachments of knowledge items: PDF documents and images, recognised by their first bytes
 * (never by their name), at most 5 MiB, stored in the store under a sanitised file name
 * (see knowledge.h).
 */
#include "knowledge/knowledge-internal.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME_MAX_ 100

static const struct {
	const char *media_type;
	const char *extension;
	const char *magic;
	size_t magic_len;
	size_t offset;    /* where the magic starts */
	const char *also; /* a second mark, at also_offset (WebP: "WEBP" after the RIFF size) */
	size_t also_offset;
} types[] = {
    {"application/pdf", "pdf", "%PDF-", 5, 0, NULL, 0},
    {"image/png", "png", "\x89PNG\r\n\x1a\n", 8, 0, NULL, 0},
    {"image/jpeg", "jpg", "\xff\xd8\xff", 3, 0, NULL, 0},
    {"image/webp", "webp", "RIFF", 4, 0, "WEBP", 8},
};

int knowledge_attachment_type(const void *bytes, size_t len, const char **media_type,
                              const char **extension, struct err *e)
{
	const unsigned char *b = bytes;
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if (len < types[i].offset + types[i].magic_len ||
		    memcmp(b + types[i].offset, types[i].magic, types[i].magic_len) != 0)
			continue;
		if (types[i].also &&
		    (len < types[i].also_offset + strlen(types[i].also) ||
		     memcmp(b + types[i].also_offset, types[i].also, strlen(types[i].also)) != 0))
			continue;
		*media_type = types[i].media_type;
		*extension = types[i].extension;
		return 0;
	}
	return err_set(e, ERR_INVALID,
	               "the file is not a PDF, PNG, JPEG or WebP file (judged by its content)");
}

static bool safe_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '-' || c == '_';
}

/* Add `c` unless it would double a separator or start the name with one. */
static void add_name_char(struct buf *out, size_t start, char c)
{
	bool sep = c == '-' || c == '.' || c == '_';
	if (sep &&
	    (out->len == start || out->data[out->len - 1] == '-' || out->data[out->len - 1] == '.'))
		return;
	buf_addch(out, c);
}

void knowledge_attachment_name(struct buf *out, const char *name, const char *extension)
{
	const char *base = name ? name : "";
	for (const char *p = base; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	/* The stem is the name without its extension: the content decides the extension. */
	const char *dot = strrchr(base, '.');
	size_t stem_len = dot && dot != base ? (size_t)(dot - base) : strlen(base);
	size_t start = out->len, max = NAME_MAX_ - 1 - strlen(extension);
	struct buf folded = BUF_INIT;
	for (size_t i = 0; i < stem_len && out->len - start < max;) {
		unsigned char c = (unsigned char)base[i];
		if (c < 0x80) {
			add_name_char(out, start, safe_char((char)c) ? (char)c : '-');
			i++;
			continue;
		}
		/* A letter with an accent becomes the plain letter; anything else a hyphen. */
		size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
		char one[5] = {0};
		memcpy(one, base + i, n <= stem_len - i ? n : stem_len - i);
		buf_reset(&folded);
		utf8_fold(&folded, one);
		if (folded.len == 0)
			add_name_char(out, start, '-');
		for (size_t k = 0; k < folded.len && out->len - start < max; k++)
			add_name_char(out, start, folded.data[k]);
		i += n;
	}
	buf_release(&folded);
	while (out->len > start &&
	       (out->data[out->len - 1] == '-' || out->data[out->len - 1] == '.'))
		out->data[--out->len] = '\0';
	if (out->len == start)
		buf_adds(out, "attachment");
	buf_addf(out, ".%s", extension);
}

static const char attachment_exists_sql[] =
    "SELECT count(*) FROM kb_attachments WHERE item_id = ? AND file_name = ?";
static const char insert_attachment_sql[] =
    "INSERT INTO kb_attachments (item_id, file_name, media_type, size, sha256, bytes, author,"
    " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

static int name_taken(struct store *s, int64_t item_id, const char *name, bool *taken,
                      struct err *e)
{
	struct stmt *st;
	if (store_prepare(s, attachment_exists_sql, &st, e) < 0)
		return -1;
	stmt_bind_int64(st, 1, item_id);
	stmt_bind_text(st, 2, name);
	int rc = stmt_step(st, e);
	*taken = rc == STORE_ROW && stmt_int64(st, 0) > 0;
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

int knowledge_attach(struct store *s, const struct access *who, enum kb_kind kind, const char *slug,
                     const char *name, const void *bytes, size_t len, json_t **stored,
                     struct err *e)
{
	const char *media_type, *extension;
	struct kb_item item;
	struct buf file_name = BUF_INIT, hex = BUF_INIT;
	struct stmt *st = NULL;
	char now[KB_TIME_SIZE];
	bool taken;
	int rc = -1;
	if (len == 0)
		return err_set(e, ERR_INVALID, "attachment '%s': the file is empty", name);
	if (len > KB_ATTACHMENT_MAX)
		return err_set(
		    e, ERR_INVALID,
		    "attachment '%s': %zu bytes is more than the limit of 5 MiB (%d bytes)", name,
		    len, KB_ATTACHMENT_MAX);
	if (knowledge_attachment_type(bytes, len, &media_type, &extension, e) < 0)
		return err_prefix(e, "attachment '%s'", name);
	knowledge_attachment_name(&file_name, name, extension);
	unsigned char digest[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(digest, bytes, len);
	buf_addhex(&hex, digest, sizeof(digest));
	kb_now(now);
	if (store_begin(s, e) < 0)
		goto out;
	if (kb_item_find(s, kind, slug, &item, e) < 0 ||
	    name_taken(s, item.id, file_name.data, &taken, e) < 0)
		goto fail;
	if (taken) {
		err_set(e, ERR_CONFLICT, "%s '%s' has an attachment '%s' already",
		        kb_kind_name(kind), slug, file_name.data);
		goto fail;
	}
	if (store_prepare(s, insert_attachment_sql, &st, e) < 0)
		goto fail;
	stmt_bind_int64(st, 1, item.id);
	stmt_bind_text(st, 2, file_name.data);
	stmt_bind_text(st, 3, media_type);
	stmt_bind_int64(st, 4, (int64_t)len);
	stmt_bind_text(st, 5, hex.data);
	stmt_bind_blob(st, 6, bytes, len);
	stmt_bind_text(st, 7, who->actor);
	stmt_bind_text(st, 8, now);
	if (stmt_step(st, e) < 0)
		goto fail;
	if (store_commit(s, e) < 0)
		goto out;
	if (stored)
		*stored =
		    json_pack("{s:s, s:s, s:I, s:s}", "file_name", file_name.data, "media_type",
		              media_type, "size", (json_int_t)len, "sha256", hex.data);
	rc = 0;
	goto out;
fail:
	store_rollback(s);
out:
	stmt_free(st);
	buf_release(&file_name);
	buf_release(&hex);
	return rc;
}

static const char get_attachment_sql[] =
    "SELECT media_type, bytes FROM kb_attachments WHERE item_id = ? AND file_name = ?";

int knowledge_attachment_get(struct store *s, enum kb_kind kind, const char *slug,
                             const char *file_name, void **bytes, size_t *len, char **media_type,
                             struct err *e)
{
	struct kb_item item;
	struct stmt *st;
	if (kb_item_find(s, kind, slug, &item, e) < 0 ||
	    store_prepare(s, get_attachment_sql, &st, e) < 0)
		return -1;
	stmt_bind_int64(st, 1, item.id);
	stmt_bind_text(st, 2, file_name);
	int rc = stmt_step(st, e);
	if (rc == STORE_ROW) {
		const void *b = stmt_blob(st, 1, len);
		*bytes = xmalloc(*len ? *len : 1);
		memcpy(*bytes, b, *len);
		*media_type = xstrdup(stmt_text(st, 0));
	} else if (rc == STORE_DONE) {
		rc = err_set(e, ERR_NOTFOUND, "%s '%s' has no attachment '%s'", kb_kind_name(kind),
		             slug, file_name);
	}
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}
