/*
 * The static assets of the web UI (every file under web/static/), served from the copies compiled
 * into the binary: the right Content-Type, an ETag from the content, and caching that lets a
 * browser keep a versioned URL (/static/app.css?v=…, as the pages write it) for a year and
 * revalidate any other.
 */
#include "ui/ui.h"

#include "util/embedded.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define STATIC_DIR "web/static/"

struct media_type {
	const char *extension;
	const char *type;
};

static const struct media_type media_types[] = {
    {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".txt", "text/plain; charset=utf-8"},
};

/* The media type for file `name`, by its extension; NULL for a type we do not serve. */
static const char *media_type_of(const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < sizeof(media_types) / sizeof(media_types[0]); i++) {
		size_t m = strlen(media_types[i].extension);
		if (n > m && strcmp(name + n - m, media_types[i].extension) == 0)
			return media_types[i].type;
	}
	return NULL;
}

/* The embedded file web/static/`name`, or NULL; a name with a slash or a leading dot is none. */
static const struct embedded_file *find_asset(const char *name)
{
	char path[256];
	if (!name || !*name || name[0] == '.' || strchr(name, '/') ||
	    strlen(name) + sizeof(STATIC_DIR) > sizeof(path))
		return NULL;
	snprintf(path, sizeof(path), STATIC_DIR "%s", name);
	return embedded_find(path);
}

static void hash_version(const struct embedded_file *f, char out[17])
{
	unsigned char hash[8];
	crypto_generichash(hash, sizeof(hash), f->data, f->len, NULL, 0);
	sodium_bin2hex(out, 17, hash, sizeof(hash));
}

int ui_static_version(const char *name, char out[17])
{
	const struct embedded_file *f = find_asset(name);
	if (!f)
		return -1;
	hash_version(f, out);
	return 0;
}

/* Whether an If-None-Match header names `etag` (or is "*"). */
static bool etag_matches(const char *header, const char *etag)
{
	if (!header)
		return false;
	size_t n = strlen(etag);
	for (const char *p = header; *p;) {
		while (*p == ' ' || *p == ',')
			p++;
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		size_t len = strcspn(p, ", ");
		if ((len == 1 && *p == '*') || (len == n && strncmp(p, etag, n) == 0))
			return true;
		p += len;
	}
	return false;
}

/*
 * GET /static/{file}[?v=VERSION]
 *
 * An asset of web/static/. With the current version in v, the URL names these bytes forever
 * and may be cached as immutable; without it (or with an old one) the browser revalidates
 * with the ETag and gets 304 when nothing changed.
 */
void ui_static(struct req *rq, struct resp *rs)
{
	const char *name = req_param(rq, "file");
	const struct embedded_file *f = find_asset(name);
	const char *type = name ? media_type_of(name) : NULL;
	if (!f || !type) {
		ui_error_page(rq, rs, NULL);
		return;
	}
	char version[17], etag[20];
	hash_version(f, version);
	snprintf(etag, sizeof(etag), "\"%s\"", version);
	const char *v = req_query(rq, "v");
	resp_header(rs, "ETag", etag);
	resp_header(rs, "Cache-Control",
	            v && strcmp(v, version) == 0 ? "public, max-age=31536000, immutable"
	                                         : "public, no-cache");
	rs->content_type = type;
	buf_reset(&rs->body);
	if (etag_matches(rq->if_none_match, etag)) {
		rs->status = 304;
		return;
	}
	rs->status = 200;
	buf_add(&rs->body, f->data, f->len);
}
