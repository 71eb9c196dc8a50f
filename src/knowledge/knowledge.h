/*
 * The regional knowledge platform (capability C8): the ten themes (vraagstukken) a region's
 * municipalities, schools, care and employers work on together, the actions that help, the
 * practices and pilots that showed how, and frequently asked questions — in Dutch and English,
 * public once published. None of it is personal data.
 *
 * The model. Every content item (a theme, action, practice or faq) is identified by its kind
 * and a slug that never changes. Its content is a JSON object in the shape of the bundle
 * (content/knowledge.json; docs/knowledge.md), one object per item: a theme without its
 * actions, an action with the slug of its theme ("theme") and its place ("order"), a faq with
 * its theme, place and slug. Texts that differ per language are objects {"nl": …, "en": …};
 * body texts are Markdown, titles and names plain text.
 *
 * The workflow. Every change adds a version (the whole content, its author, time and note) to
 * the item's history, which is never rewritten. A new version is a draft; publishing makes the
 * latest version the one the public sees (and searches); a rollback adds a new version with
 * the content of an earlier one and publishes it. Target groups are reference data of the
 * platform, without versions.
 *
 * Ownership (as in jansson): a json_t ** out-parameter receives a new reference the caller
 * releases with json_decref; a const json_t * parameter is borrowed. Slugs and other strings
 * passed in are borrowed. Functions return 0 or -1 with `e` filled; messages name the item
 * ("practice 'deltion-jeugdteam'") and the field ("field what.en").
 */
#ifndef KNOWLEDGE_KNOWLEDGE_H
#define KNOWLEDGE_KNOWLEDGE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "access/access.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/err.h"

enum kb_kind { KB_THEME, KB_ACTION, KB_PRACTICE, KB_FAQ };
#define KB_NKINDS 4

enum kb_lang { KB_NL, KB_EN };
#define KB_NLANGS 2

/* Attachments: at most this many bytes, and only PDF, PNG, JPEG and WebP. */
#define KB_ATTACHMENT_MAX (5 * 1024 * 1024)

/* "theme", "action", "practice", "faq". */
const char *kb_kind_name(enum kb_kind kind);

/* The kind called `name`; ERR_INVALID naming the choices otherwise. */
int kb_kind_parse(const char *name, enum kb_kind *out, struct err *e);

/* "nl" or "en". */
const char *kb_lang_code(enum kb_lang lang);

/* The language with code `code` ("nl" or "en"); ERR_INVALID otherwise. */
int kb_lang_parse(const char *code, enum kb_lang *out, struct err *e);

/*
 * Check the content of one item of `kind` without looking at the store: every field present
 * with the right type, texts in both languages, not empty, within their length limits, with
 * no control characters; slugs of lower-case letters, digits and hyphens; no unknown fields
 * (a "version" number, as written by export, is allowed). References to other items are
 * checked when the item is saved. ERR_INVALID names the item and the field.
 */
int knowledge_validate(enum kb_kind kind, const json_t *content, struct err *e);

/*
 * Render the content of an item as an HTML fragment in language `lang`, appended to `out`:
 * Markdown fields through markdown_html, every other text through html_text. Safe to put in
 * a page whatever the content holds.
 */
void knowledge_render_html(struct buf *out, enum kb_kind kind, const json_t *content,
                           enum kb_lang lang);

/* ---- reading (knowledge.c) ---- */

/* What to list; a NULL or "" field does not filter. */
struct kb_list_filter {
	const char *kind;   /* theme, action, practice, faq */
	const char *status; /* draft, published */
};

/*
 * The items that pass `filter`, as an array of {"kind", "slug", "status", "latest_version",
 * "published_version" (null if never published), "title" (Dutch title of the latest
 * version), "updated_at"}: themes, actions, practices, faqs, each in the order they were
 * created.
 */
int knowledge_list(struct store *s, const struct kb_list_filter *filter, json_t **out,
                   struct err *e);

/*
 * One item: {"kind", "slug", "status", "latest_version", "published_version", "version" (the
 * one shown), "content", "attachments": [{file_name, media_type, size, sha256, created_at}]}.
 * `version` 0 shows the latest version, -1 the published one (ERR_NOTFOUND if none), N > 0
 * version N.
 */
int knowledge_show(struct store *s, enum kb_kind kind, const char *slug, int version, json_t **out,
                   struct err *e);

/* The published content of an item (a new reference); ERR_NOTFOUND if it is not published. */
int knowledge_published(struct store *s, enum kb_kind kind, const char *slug, json_t **out,
                        struct err *e);

/* The target groups: [{"slug", "name": {"nl", "en"}}], by slug. */
int knowledge_target_groups(struct store *s, json_t **out, struct err *e);

/* ---- editing and publishing (publish.c) ---- */

/*
 * Save `content` (validated here) as the newest version of its item, a draft, written by
 * who->actor with `note` (may be NULL). A new slug creates the item. References (the theme of
 * an action or faq; a practice's themes, actions and target groups) must name existing items.
 * Content equal to the latest version adds nothing. *version (may be NULL) receives the
 * latest version number afterwards and *created (may be NULL) whether the item is new.
 */
int knowledge_save(struct store *s, const struct access *who, enum kb_kind kind,
                   const json_t *content, const char *note, int *version, bool *created,
                   struct err *e);

/*
 * Change one field of the latest version of an item and save the result as a new draft.
 * `field` is a field name of the kind (e.g. "title", "what", "region", "themes"); a field that
 * differs per language needs `lang` ("nl" or "en"), any other must have lang NULL. List fields
 * (partners; themes, actions, target_groups) take one entry per line (slug lists also
 * separated by commas); "order" a whole number. The slug cannot be changed.
 */
int knowledge_edit(struct store *s, const struct access *who, enum kb_kind kind, const char *slug,
                   const char *field, const char *lang, const char *text, const char *note,
                   int *version, struct err *e);

/*
 * Make the latest version of an item the published one: the public pages and the search
 * index follow in the same transaction. ERR_CONFLICT when it is published already.
 */
int knowledge_publish(struct store *s, const struct access *who, enum kb_kind kind,
                      const char *slug, int *version, struct err *e);

/*
 * Publish the content of earlier version `to` again, as a new version (history is kept);
 * *version receives its number. ERR_NOTFOUND for a version that does not exist, ERR_CONFLICT
 * when `to` is already the latest and published.
 */
int knowledge_rollback(struct store *s, const struct access *who, enum kb_kind kind,
                       const char *slug, int to, int *version, struct err *e);

/*
 * The history of an item, oldest first: [{"version", "author", "created_at", "note",
 * "published_at", "published_by", "published" (true for the version the public sees)}].
 */
int knowledge_history(struct store *s, enum kb_kind kind, const char *slug, json_t **out,
                      struct err *e);

/* ---- bundles (bundle.c) ---- */

struct kb_import_stats {
	int target_groups; /* target groups added or changed */
	int created;       /* items new to the store */
	int changed;       /* items given a new version */
	int unchanged;     /* items whose content was already the latest version */
	int published;     /* items published by the import */
};

/*
 * Read a bundle file (at most 64 MiB) into *out. ERR_IO when it cannot be read, ERR_INVALID
 * with the file, line and column when it is not JSON.
 */
int knowledge_bundle_load(const char *path, json_t **out, struct err *e);

/*
 * All published content as a bundle in the shape of content/knowledge.json, each item with
 * the number of its published version ("version"), faqs with their slug. Drafts and history
 * stay behind. Actions and faqs of a theme that is not published are left out, as are a
 * practice's links to unpublished items.
 */
int knowledge_export(struct store *s, json_t **out, struct err *e);

/*
 * Import `bundle` in one transaction: every field is validated first (errors name the item and
 * field), then target groups are added or updated and every item is saved as by
 * knowledge_save — a new draft version where its content differs — and, with `publish`,
 * published. Nothing is written when anything fails. `stats` may be NULL.
 */
int knowledge_import(struct store *s, const struct access *who, const json_t *bundle, bool publish,
                     const char *note, struct kb_import_stats *stats, struct err *e);

/*
 * Load the starting content compiled into the binary (content/knowledge.json), published, when
 * the store holds no knowledge content yet; *loaded receives the number of items loaded (0
 * when there was content already).
 */
int knowledge_seed(struct store *s, int *loaded, struct err *e);

/* ---- attachments (attach.c) ---- */

/*
 * The media type and usual extension of a file from its first bytes: PDF ("%PDF-"), PNG,
 * JPEG or WebP. ERR_INVALID for anything else.
 */
int knowledge_attachment_type(const void *bytes, size_t len, const char **media_type,
                              const char **extension, struct err *e);

/*
 * A safe file name for an upload named `name` of a type with usual `extension` ("pdf"):
 * no directories, only letters, digits, '.', '-' and '_', no leading dot, at most 100
 * bytes, ending in the extension that matches the content. Appended to `out`.
 */
void knowledge_attachment_name(struct buf *out, const char *name, const char *extension);

/*
 * Attach `len` bytes under (sanitised) `name` to an item. The type comes from the bytes,
 * never from the name; more than KB_ATTACHMENT_MAX bytes, an empty file or another type is
 * ERR_INVALID; a second file of the same name on the item is ERR_CONFLICT. *stored (may be
 * NULL) receives {"file_name", "media_type", "size", "sha256"}.
 */
int knowledge_attach(struct store *s, const struct access *who, enum kb_kind kind, const char *slug,
                     const char *name, const void *bytes, size_t len, json_t **stored,
                     struct err *e);

/* An attachment's bytes; *bytes (malloc'ed, the caller frees) and *media_type (same). */
int knowledge_attachment_get(struct store *s, enum kb_kind kind, const char *slug,
                             const char *file_name, void **bytes, size_t *len, char **media_type,
                             struct err *e);

#endif
