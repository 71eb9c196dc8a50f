/*
 * inbeeld kb VERB …
 *
 * The knowledge platform from the command line: search the published content, export and
 * import bundles (so regions can share content), and — until editors have accounts — list,
 * show, edit, publish, roll back and attach as the local operator, who is the author of every
 * version written here.
 */
#include "access/access.h"
#include "cli/commands.h"
#include "knowledge/knowledge.h"
#include "knowledge/search.h"
#include "util/buf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define EDIT_FILE_MAX (1024 * 1024)

/* The kind that most verbs take first: a wrong one is a usage error. */
static int parse_kind(struct cli *cli, const char *name, enum kb_kind *kind)
{
	if (kb_kind_parse(name, kind, &cli->err) < 0) {
		cli->err.code = ERR_USAGE;
		return -1;
	}
	return 0;
}

/* Read a whole file of at most `max` bytes; the caller frees *out. */
static int read_file(struct cli *cli, const char *path, size_t max, char **out, size_t *len)
{
	struct stat sb;
	FILE *f = fopen(path, "rb");
	if (!f)
		return err_set(&cli->err, ERR_IO, "cannot open '%s'", path);
	if (fstat(fileno(f), &sb) < 0 || !S_ISREG(sb.st_mode)) {
		fclose(f);
		return err_set(&cli->err, ERR_IO, "'%s' is not a regular file", path);
	}
	if ((size_t)sb.st_size > max) {
		fclose(f);
		return err_set(&cli->err, ERR_INVALID,
		               "'%s' has %lld bytes, more than the limit of %zu bytes", path,
		               (long long)sb.st_size, max);
	}
	char *data = xmalloc((size_t)sb.st_size + 1);
	size_t n = fread(data, 1, (size_t)sb.st_size, f);
	int failed = ferror(f);
	fclose(f);
	if (failed || n != (size_t)sb.st_size) {
		free(data);
		return err_set(&cli->err, ERR_IO, "cannot read '%s'", path);
	}
	data[n] = '\0';
	*out = data;
	*len = n;
	return 0;
}

/* The text of a snippet for a terminal: tags out, marks as [ ], entities decoded. */
static void print_plain(const char *html)
{
	static const struct {
		const char *from, *to;
	} map[] = {{"<mark>", "["}, {"</mark>", "]"}, {"&amp;", "&"}, {"&lt;", "<"},
	           {"&gt;", ">"},   {"&quot;", "\""}, {"&#39;", "'"}};
	for (const char *p = html; *p;) {
		size_t i;
		for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
			if (strncmp(p, map[i].from, strlen(map[i].from)) == 0)
				break;
		if (i < sizeof(map) / sizeof(map[0])) {
			fputs(map[i].to, stdout);
			p += strlen(map[i].from);
		} else {
			putchar(*p++);
		}
	}
}

/*
 * inbeeld kb search QUERY… [--lang nl|en] [--theme SLUG] [--target-group SLUG]
 *                          [--region TEXT] [--kind KIND] [--limit N] [--offset N] [--json]
 */
static int kb_search_cmd(struct cli *cli, int argc, char **argv)
{
	const char *lang = "nl", *theme = NULL, *group = NULL, *region = NULL, *kind = NULL;
	long limit = SEARCH_DEFAULT_LIMIT, offset = 0;
	const struct cli_opt opts[] = {
	    {"lang", OPT_STRING, &lang, "nl|en", "the language searched and shown (nl)"},
	    {"theme", OPT_STRING, &theme, "SLUG", "only this theme and what belongs to it"},
	    {"target-group", OPT_STRING, &group, "SLUG", "only practices for this group"},
	    {"region", OPT_STRING, &region, "TEXT", "only practices whose region has TEXT"},
	    {"kind", OPT_STRING, &kind, "KIND", "theme, action, practice, pilot or faq"},
	    {"limit", OPT_INT, &limit, "N", "show at most N results (20, at most 100)"},
	    {"offset", OPT_INT, &offset, "N", "skip the first N results"},
	    {NULL, 0, NULL, NULL, NULL},
	};
	char **args;
	int nargs;
	int rc =
	    cli_parse(cli, argc, argv, opts,
	              "kb search QUERY... [--lang nl|en] [--theme SLUG] [--target-group SLUG] "
	              "[--region TEXT] [--kind KIND] [--limit N] [--offset N] [--json]",
	              "Search the published themes, actions, practices and questions; the best "
	              "matches come first.",
	              1, -1, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	struct search_query q = {.theme = theme,
	                         .target_group = group,
	                         .region = region,
	                         .kind = kind,
	                         .limit = (int)limit,
	                         .offset = (int)offset};
	if (kb_lang_parse(lang, &q.lang, &cli->err) < 0)
		return cli_usage_error(cli, "--lang: %s", cli->err.msg);
	if (limit < 1 || limit > SEARCH_MAX_LIMIT || offset < 0 || offset > 100000)
		return cli_usage_error(cli, "--limit takes 1 to %d, --offset 0 or more",
		                       SEARCH_MAX_LIMIT);
	struct buf text = BUF_INIT;
	for (int i = 0; i < nargs; i++)
		buf_addf(&text, "%s%s", i ? " " : "", args[i]);
	q.text = text.data;
	struct search_result r;
	struct timespec t0, t1;
	if (cli_open(cli, CLI_STORE) < 0) {
		buf_release(&text);
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = knowledge_search(cli->store, &q, &r, &cli->err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (rc < 0) {
		buf_release(&text);
		return -1;
	}
	double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	if (cli->json) {
		json_t *out = search_result_json(&r);
		json_object_set_new(out, "query", json_string(text.data));
		json_object_set_new(out, "lang", json_string(lang));
		json_object_set_new(out, "took_ms", json_real(ms));
		cli_print_json(out);
	} else {
		printf("%lld result%s for '%s' (%s)\n", (long long)r.total, r.total == 1 ? "" : "s",
		       text.data, lang);
		for (size_t i = 0; i < r.n; i++) {
			printf("%3zu. %s %s%s%s — ", (size_t)offset + i + 1, r.hits[i].kind,
			       r.hits[i].theme[0] ? r.hits[i].theme : "",
			       r.hits[i].theme[0] ? "/" : "", r.hits[i].slug);
			print_plain(r.hits[i].title_html);
			printf("\n     ");
			print_plain(r.hits[i].snippet_html);
			printf("\n");
		}
	}
	search_result_release(&r);
	buf_release(&text);
	return 0;
}

static int count_items(const json_t *list)
{
	return (int)json_array_size(list);
}

/* inbeeld kb export [--out FILE] [--json] */
static int kb_export_cmd(struct cli *cli, int argc, char **argv)
{
	const char *out = NULL;
	const struct cli_opt opts[] = {
	    {"out", OPT_STRING, &out, "FILE",
	     "write the bundle to FILE (default: standard output)"},
	    {NULL, 0, NULL, NULL, NULL},
	};
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, opts, "kb export [--out FILE]",
	                   "Write all published content, with the number of each item's published "
	                   "version, as a JSON bundle in the shape of content/knowledge.json.",
	                   0, 0, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	json_t *bundle;
	if (cli_open(cli, CLI_STORE) < 0 || knowledge_export(cli->store, &bundle, &cli->err) < 0)
		return -1;
	const size_t flags = JSON_INDENT(2);
	if (!out) {
		json_dumpf(bundle, stdout, flags);
		putchar('\n');
		json_decref(bundle);
		return 0;
	}
	char *tmp = xasprintf("%s.tmp", out);
	rc = json_dump_file(bundle, tmp, flags);
	if (rc == 0 && rename(tmp, out) < 0)
		rc = -1;
	if (rc < 0) {
		remove(tmp);
		err_set(&cli->err, ERR_IO, "cannot write '%s'", out);
	} else {
		int actions = 0;
		size_t i;
		json_t *t;
		json_array_foreach(json_object_get(bundle, "themes"), i, t)
		{
			actions += count_items(json_object_get(t, "actions"));
		}
		printf("exported to %s: %d themes, %d actions, %d practices, %d questions, %d "
		       "target groups\n",
		       out, count_items(json_object_get(bundle, "themes")), actions,
		       count_items(json_object_get(bundle, "practices")),
		       count_items(json_object_get(bundle, "faqs")),
		       count_items(json_object_get(bundle, "target_groups")));
	}
	free(tmp);
	json_decref(bundle);
	return rc < 0 ? -1 : 0;
}

/* inbeeld kb import FILE [--publish] [--note TEXT] [--json] */
static int kb_import_cmd(struct cli *cli, int argc, char **argv)
{
	bool publish = false;
	const char *note = NULL;
	const struct cli_opt opts[] = {
	    {"publish", OPT_FLAG, &publish, NULL, "publish what the bundle adds or changes"},
	    {"note", OPT_STRING, &note, "TEXT", "the note on every version written (import)"},
	    {NULL, 0, NULL, NULL, NULL},
	};
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, opts, "kb import FILE [--publish] [--note TEXT]",
	                   "Import a bundle (FILE, or - for standard input) in one transaction: "
	                   "new and changed items become drafts, or are published with --publish. "
	                   "Nothing is written if any field is wrong.",
	                   1, 1, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	struct access who;
	struct kb_import_stats st;
	json_t *bundle;
	access_cli_operator(&who);
	if (knowledge_bundle_load(args[0], &bundle, &cli->err) < 0)
		return -1;
	if (cli_open(cli, CLI_STORE) < 0 ||
	    knowledge_import(cli->store, &who, bundle, publish, note, &st, &cli->err) < 0) {
		json_decref(bundle);
		if (cli->err.code == ERR_INVALID)
			err_prefix(&cli->err, "%s", args[0]);
		return -1;
	}
	json_decref(bundle);
	if (cli->json)
		cli_print_json(json_pack("{s:i, s:i, s:i, s:i, s:i}", "created", st.created,
		                         "changed", st.changed, "unchanged", st.unchanged,
		                         "published", st.published, "target_groups",
		                         st.target_groups));
	else
		printf("imported %s: %d new, %d changed, %d unchanged, %d published, %d target "
		       "group%s added or changed\n",
		       args[0], st.created, st.changed, st.unchanged, st.published,
		       st.target_groups, st.target_groups == 1 ? "" : "s");
	return 0;
}

/* inbeeld kb list [--kind theme|action|practice|faq] [--status draft|published] [--json] */
static int kb_list_cmd(struct cli *cli, int argc, char **argv)
{
	struct kb_list_filter f = {NULL, NULL};
	const struct cli_opt opts[] = {
	    {"kind", OPT_STRING, &f.kind, "KIND", "theme, action, practice or faq"},
	    {"status", OPT_STRING, &f.status, "STATUS", "draft or published"},
	    {NULL, 0, NULL, NULL, NULL},
	};
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, opts,
	                   "kb list [--kind theme|action|practice|faq] [--status draft|published]",
	                   "List the content items with their status and versions.", 0, 0, &args,
	                   &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	json_t *list;
	if (cli_open(cli, CLI_STORE) < 0 || knowledge_list(cli->store, &f, &list, &cli->err) < 0)
		return -1;
	if (cli->json) {
		cli_print_json(list);
		return 0;
	}
	size_t i;
	json_t *row;
	json_array_foreach(list, i, row)
	{
		json_t *pv = json_object_get(row, "published_version");
		printf("%-8s %-45s %-9s v%-3lld %s  %s\n",
		       json_string_value(json_object_get(row, "kind")),
		       json_string_value(json_object_get(row, "slug")),
		       json_string_value(json_object_get(row, "status")),
		       (long long)json_integer_value(json_object_get(row, "latest_version")),
		       json_is_integer(pv) ? "public" : "hidden",
		       json_string_value(json_object_get(row, "title")));
	}
	printf("%zu item%s\n", json_array_size(list), json_array_size(list) == 1 ? "" : "s");
	json_decref(list);
	return 0;
}

/* Print a text, indented on its own lines when it has more than one. */
static void print_text(const char *label, const char *text)
{
	if (!strchr(text, '\n')) {
		printf("%s: %s\n", label, text);
		return;
	}
	printf("%s:\n", label);
	for (const char *p = text; *p;) {
		size_t n = strcspn(p, "\n");
		printf("    %.*s\n", (int)n, p);
		p += n + (p[n] ? 1 : 0);
	}
}

static void print_content(const json_t *content)
{
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)content, key, v)
	{
		if (json_is_string(v)) {
			print_text(key, json_string_value(v));
		} else if (json_is_integer(v)) {
			printf("%s: %lld\n", key, (long long)json_integer_value(v));
		} else if (json_is_object(v)) {
			const char *lang;
			json_t *t;
			json_object_foreach(v, lang, t)
			{
				char label[96];
				snprintf(label, sizeof(label), "%s.%s", key, lang);
				print_text(label, json_string_value(t) ? json_string_value(t) : "");
			}
		} else if (json_is_array(v)) {
			printf("%s:", key);
			size_t i;
			json_t *x;
			json_array_foreach(v, i, x)
			{
				printf("%s %s", i ? "," : "", json_string_value(x));
			}
			printf("\n");
		}
	}
}

/* inbeeld kb show KIND SLUG [--version N | --published] [--html [--lang nl|en]] [--json] */
static int kb_show_cmd(struct cli *cli, int argc, char **argv)
{
	long version = 0;
	bool published = false, html = false;
	const char *lang = "nl";
	const struct cli_opt opts[] = {
	    {"version", OPT_INT, &version, "N", "show version N (default: the latest)"},
	    {"published", OPT_FLAG, &published, NULL, "show the version the public sees"},
	    {"html", OPT_FLAG, &html, NULL, "print the item as the safe HTML the site shows"},
	    {"lang", OPT_STRING, &lang, "nl|en", "the language of --html (nl)"},
	    {NULL, 0, NULL, NULL, NULL},
	};
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, opts,
	                   "kb show KIND SLUG [--version N | --published] [--html [--lang nl|en]]",
	                   "Show an item: its status, versions, content and attachments.", 2, 2,
	                   &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	enum kb_kind kind;
	enum kb_lang l;
	if (parse_kind(cli, args[0], &kind) < 0)
		return -1;
	if (kb_lang_parse(lang, &l, &cli->err) < 0)
		return cli_usage_error(cli, "--lang: %s", cli->err.msg);
	if (version < 0 || (version > 0 && published))
		return cli_usage_error(cli,
		                       "give --version N (1 or more) or --published, not both");
	json_t *item;
	if (cli_open(cli, CLI_STORE) < 0 ||
	    knowledge_show(cli->store, kind, args[1], published ? -1 : (int)version, &item,
	                   &cli->err) < 0)
		return -1;
	json_t *content = json_object_get(item, "content");
	if (html) {
		struct buf out = BUF_INIT;
		knowledge_render_html(&out, kind, content, l);
		if (cli->json)
			json_object_set_new(item, "html", json_string(out.data));
		else
			fputs(out.data, stdout);
		buf_release(&out);
		if (!cli->json) {
			json_decref(item);
			return 0;
		}
	}
	if (cli->json) {
		cli_print_json(item);
		return 0;
	}
	json_t *pv = json_object_get(item, "published_version");
	printf("%s %s — %s, latest version %lld, ", kb_kind_name(kind), args[1],
	       json_string_value(json_object_get(item, "status")),
	       (long long)json_integer_value(json_object_get(item, "latest_version")));
	if (json_is_integer(pv))
		printf("published version %lld\n", (long long)json_integer_value(pv));
	else
		printf("never published\n");
	printf("showing version %lld\n\n",
	       (long long)json_integer_value(json_object_get(item, "version")));
	print_content(content);
	size_t i;
	json_t *a;
	json_array_foreach(json_object_get(item, "attachments"), i, a)
	{
		printf("%s%s (%s, %lld bytes)\n", i ? "" : "\nattachments:\n  ",
		       json_string_value(json_object_get(a, "file_name")),
		       json_string_value(json_object_get(a, "media_type")),
		       (long long)json_integer_value(json_object_get(a, "size")));
	}
	json_decref(item);
	return 0;
}

/*
 * inbeeld kb edit KIND SLUG --field FIELD [--lang nl|en] (--text TEXT | --file FILE)
 *                 [--note TEXT]
 */
static int kb_edit_cmd(struct cli *cli, int argc, char **argv)
{
	const char *field = NULL, *lang = NULL, *text = NULL, *file = NULL, *note = NULL;
	const struct cli_opt opts[] = {
	    {"field", OPT_STRING, &field, "FIELD", "the field to change, e.g. title or what"},
	    {"lang", OPT_STRING, &lang, "nl|en", "the language, for fields per language"},
	    {"text", OPT_STRING, &text, "TEXT", "the new text (Markdown for body texts)"},
	    {"file", OPT_STRING, &file, "FILE", "read the new text from FILE"},
	    {"note", OPT_STRING, &note, "TEXT", "what changed, for the history"},
	    {NULL, 0, NULL, NULL, NULL},
	};
	char **args;
	int nargs;
	int rc =
	    cli_parse(cli, argc, argv, opts,
	              "kb edit KIND SLUG --field FIELD [--lang nl|en] (--text TEXT | --file "
	              "FILE) [--note TEXT]",
	              "Change one field; the result is saved as a new draft version, which the "
	              "public does not see until 'kb publish'. List fields take one entry per "
	              "line.",
	              2, 2, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	enum kb_kind kind;
	if (parse_kind(cli, args[0], &kind) < 0)
		return -1;
	if (!field)
		return cli_usage_error(cli, "say which field with --field");
	if (!text == !file)
		return cli_usage_error(cli,
		                       "give the new text with --text or --file (one of them)");
	char *from_file = NULL;
	size_t len;
	if (file) {
		if (read_file(cli, file, EDIT_FILE_MAX, &from_file, &len) < 0)
			return -1;
		size_t bad;
		if (strlen(from_file) != len || !utf8_valid(from_file, len, &bad)) {
			free(from_file);
			return err_set(&cli->err, ERR_INVALID, "'%s' is not UTF-8 text", file);
		}
		/* A file's last newline is the end of its last line, not part of the text. */
		while (len && (from_file[len - 1] == '\n' || from_file[len - 1] == '\r'))
			from_file[--len] = '\0';
		text = from_file;
	}
	struct access who;
	int version;
	access_cli_operator(&who);
	rc = cli_open(cli, CLI_STORE);
	if (rc == 0)
		rc = knowledge_edit(cli->store, &who, kind, args[1], field, lang, text, note,
		                    &version, &cli->err);
	free(from_file);
	if (rc < 0)
		return -1;
	if (cli->json)
		cli_print_json(json_pack("{s:s, s:s, s:i, s:s}", "kind", kb_kind_name(kind), "slug",
		                         args[1], "version", version, "status", "draft"));
	else
		printf("%s %s: version %d is the latest draft; 'inbeeld kb publish %s %s' makes "
		       "it public\n",
		       kb_kind_name(kind), args[1], version, kb_kind_name(kind), args[1]);
	return 0;
}

/* inbeeld kb publish KIND SLUG [--json] */
static int kb_publish_cmd(struct cli *cli, int argc, char **argv)
{
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, NULL, "kb publish KIND SLUG",
	                   "Publish the latest version of an item: the public pages and the search "
	                   "show it from now on.",
	                   2, 2, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	enum kb_kind kind;
	struct access who;
	int version;
	access_cli_operator(&who);
	if (parse_kind(cli, args[0], &kind) < 0 || cli_open(cli, CLI_STORE) < 0 ||
	    knowledge_publish(cli->store, &who, kind, args[1], &version, &cli->err) < 0)
		return -1;
	if (cli->json)
		cli_print_json(json_pack("{s:s, s:s, s:i}", "kind", kb_kind_name(kind), "slug",
		                         args[1], "published_version", version));
	else
		printf("%s %s: version %d published\n", kb_kind_name(kind), args[1], version);
	return 0;
}

/* inbeeld kb history KIND SLUG [--json] */
static int kb_history_cmd(struct cli *cli, int argc, char **argv)
{
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, NULL, "kb history KIND SLUG",
	                   "List every version of an item: who wrote it, when, why, and which one "
	                   "the public sees.",
	                   2, 2, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	enum kb_kind kind;
	json_t *list;
	if (parse_kind(cli, args[0], &kind) < 0 || cli_open(cli, CLI_STORE) < 0 ||
	    knowledge_history(cli->store, kind, args[1], &list, &cli->err) < 0)
		return -1;
	if (cli->json) {
		cli_print_json(list);
		return 0;
	}
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v)
	{
		const char *note = json_string_value(json_object_get(v, "note"));
		const char *pub_at = json_string_value(json_object_get(v, "published_at"));
		printf("v%-3lld %s  %-20s %-10s %s",
		       (long long)json_integer_value(json_object_get(v, "version")),
		       json_string_value(json_object_get(v, "created_at")),
		       json_string_value(json_object_get(v, "author")),
		       json_is_true(json_object_get(v, "published")) ? "published" : "",
		       note ? note : "");
		if (pub_at)
			printf(" (made public %s by %s)", pub_at,
			       json_string_value(json_object_get(v, "published_by")));
		printf("\n");
	}
	json_decref(list);
	return 0;
}

/* inbeeld kb rollback KIND SLUG --version N [--json] */
static int kb_rollback_cmd(struct cli *cli, int argc, char **argv)
{
	long to = 0;
	const struct cli_opt opts[] = {
	    {"version", OPT_INT, &to, "N", "the earlier version to publish again"},
	    {NULL, 0, NULL, NULL, NULL},
	};
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, opts, "kb rollback KIND SLUG --version N",
	                   "Publish the content of an earlier version again, as a new version; the "
	                   "history keeps every version.",
	                   2, 2, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (to < 1 || to > 1000000)
		return cli_usage_error(cli, "say which version with --version N (1 or more)");
	enum kb_kind kind;
	struct access who;
	int version;
	access_cli_operator(&who);
	if (parse_kind(cli, args[0], &kind) < 0 || cli_open(cli, CLI_STORE) < 0 ||
	    knowledge_rollback(cli->store, &who, kind, args[1], (int)to, &version, &cli->err) < 0)
		return -1;
	if (cli->json)
		cli_print_json(json_pack("{s:s, s:s, s:i, s:i}", "kind", kb_kind_name(kind), "slug",
		                         args[1], "rolled_back_to", (int)to, "published_version",
		                         version));
	else
		printf("%s %s: the content of version %ld is published again as version %d\n",
		       kb_kind_name(kind), args[1], to, version);
	return 0;
}

/* inbeeld kb attach KIND SLUG FILE [--name NAME] [--json] */
static int kb_attach_cmd(struct cli *cli, int argc, char **argv)
{
	const char *name = NULL;
	const struct cli_opt opts[] = {
	    {"name", OPT_STRING, &name, "NAME", "the file name to show (default: FILE's)"},
	    {NULL, 0, NULL, NULL, NULL},
	};
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, opts, "kb attach KIND SLUG FILE [--name NAME]",
	                   "Attach a PDF, PNG, JPEG or WebP file of at most 5 MiB to an item. The "
	                   "type is judged by the content; the name is made safe.",
	                   3, 3, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	enum kb_kind kind;
	struct access who;
	char *data;
	size_t len;
	json_t *stored;
	access_cli_operator(&who);
	if (parse_kind(cli, args[0], &kind) < 0 ||
	    read_file(cli, args[2], KB_ATTACHMENT_MAX, &data, &len) < 0)
		return -1;
	rc = cli_open(cli, CLI_STORE);
	if (rc == 0)
		rc = knowledge_attach(cli->store, &who, kind, args[1], name ? name : args[2], data,
		                      len, &stored, &cli->err);
	free(data);
	if (rc < 0)
		return -1;
	if (cli->json) {
		cli_print_json(stored);
		return 0;
	}
	printf("%s %s: attached %s (%s, %lld bytes)\n", kb_kind_name(kind), args[1],
	       json_string_value(json_object_get(stored, "file_name")),
	       json_string_value(json_object_get(stored, "media_type")),
	       (long long)json_integer_value(json_object_get(stored, "size")));
	json_decref(stored);
	return 0;
}

static const struct cli_verb verbs[] = {
    {"search", kb_search_cmd, "search the published content"},
    {"export", kb_export_cmd, "write the published content as a JSON bundle"},
    {"import", kb_import_cmd, "import a JSON bundle (as drafts, or --publish)"},
    {"list", kb_list_cmd, "list items with their status"},
    {"show", kb_show_cmd, "show one item, a version of it, or its HTML"},
    {"edit", kb_edit_cmd, "change a field; saved as a new draft version"},
    {"publish", kb_publish_cmd, "publish the latest version of an item"},
    {"history", kb_history_cmd, "list the versions of an item"},
    {"rollback", kb_rollback_cmd, "publish an earlier version again"},
    {"attach", kb_attach_cmd, "attach a PDF or image to an item"},
    {NULL, NULL, NULL},
};

int cmd_kb(struct cli *cli, int argc, char **argv)
{
	return cli_dispatch(cli, argc, argv, verbs);
}
