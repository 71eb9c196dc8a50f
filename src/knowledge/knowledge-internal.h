/*
 * What the files of the knowledge module share and nobody else needs: the field tables of
 * each kind, item lookup, versions, the clock, and the search indexer called on publish.
 */
#ifndef KNOWLEDGE_KNOWLEDGE_INTERNAL_H
#define KNOWLEDGE_KNOWLEDGE_INTERNAL_H

#include "knowledge/knowledge.h"

#define KB_SLUG_MAX  80
#define KB_TIME_SIZE 24 /* "2026-11-23T10:15:00Z" and NUL */

enum kb_field_type {
	KF_SLUG,     /* the item's slug */
	KF_ORDER,    /* place among its siblings, a whole number from 1 */
	KF_TEXT,     /* plain text per language: {"nl": …, "en": …} */
	KF_MARKDOWN, /* Markdown per language */
	KF_STRING,   /* one plain text, the same in both languages */
	KF_CHOICE,   /* one of a fixed set of words */
	KF_REF,      /* the slug of one other item */
	KF_REFS,     /* a list of slugs of other items or target groups */
	KF_NAMES,    /* a list of plain texts */
};

/* What a reference points at. */
enum kb_ref { REF_NONE, REF_THEME, REF_ACTION, REF_TARGET_GROUP };

struct kb_field {
	const char *name;
	enum kb_field_type type;
	size_t max;          /* bytes of a text, or entries of a list */
	bool required;       /* a KF_STRING that may not be empty; a KF_REFS that may not be */
	enum kb_ref ref;     /* for KF_REF and KF_REFS */
	const char *choices; /* for KF_CHOICE: words separated by '|' */
};

/* The fields of `kind`, in the order content is written; ends with a NULL name. */
const struct kb_field *kb_fields(enum kb_kind kind);

/* The field `name` of `kind`, or NULL. */
const struct kb_field *kb_field_find(enum kb_kind kind, const char *name);

/*
 * A copy of `content` with its fields in the order of kb_fields and nothing else (a "version"
 * number or a theme's "actions" are left behind), so that equal content compares and prints
 * equal. A new reference.
 */
json_t *kb_canonical(enum kb_kind kind, const json_t *content);

/* The plain-text title of content of `kind` in `lang` (title, name or question); borrowed. */
const char *kb_content_title(enum kb_kind kind, const json_t *content, enum kb_lang lang);

/* True when `s` is a valid slug. */
bool kb_slug_valid(const char *s);

/* Append a slug made from `text` (folded words joined by '-'), at most `max` bytes. */
void kb_slugify(struct buf *out, const char *text, size_t max);

/* An item as kb_items holds it. */
struct kb_item {
	int64_t id;
	enum kb_kind kind;
	char slug[KB_SLUG_MAX + 1];
	bool published; /* the latest version is the published one */
	int latest_version;
	int published_version; /* 0 when never published */
};

/* Find an item; *found says whether it exists (no error when it does not). */
int kb_item_lookup(struct store *s, enum kb_kind kind, const char *slug, struct kb_item *item,
                   bool *found, struct err *e);

/* Find an item; ERR_NOTFOUND ("no practice 'x'") when it does not exist. */
int kb_item_find(struct store *s, enum kb_kind kind, const char *slug, struct kb_item *item,
                 struct err *e);

/* The content of version `version` of item `item_id` (a new reference); ERR_NOTFOUND. */
int kb_version_content(struct store *s, const struct kb_item *item, int version, json_t **out,
                       struct err *e);

/* The id of the target group `slug`; ERR_NOTFOUND when there is none. */
int kb_target_group_id(struct store *s, const char *slug, int64_t *id, struct err *e);

/* Now, in UTC, as "YYYY-MM-DDTHH:MM:SSZ". */
void kb_now(char out[KB_TIME_SIZE]);

/*
 * Save `content` of `kind` as knowledge_save does, by `author`, inside the caller's
 * transaction, and with `publish` publish the result when it is not yet published. Says
 * whether the item was created, given a new version, and published.
 */
int kb_save_and_publish(struct store *s, const char *author, enum kb_kind kind,
                        const json_t *content, const char *note, bool publish, bool *created,
                        bool *changed, bool *published, struct err *e);

/*
 * Put the published `content` of item `item_id` into the search index, in both languages,
 * replacing what the index held for it. Runs in the caller's transaction.
 */
int search_index_item(struct store *s, int64_t item_id, enum kb_kind kind, const json_t *content,
                      struct err *e);

#endif
