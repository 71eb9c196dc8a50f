/*
 * inbeeld forum threads [--theme SLUG] [--json]
 * inbeeld forum start --theme SLUG --title TITLE --body TEXT
 * inbeeld forum reply THREAD_ID --body TEXT [--quote POST_ID]
 * inbeeld forum show THREAD_ID [--json | --html] [--lang nl|en]
 * inbeeld forum helpful POST_ID
 * inbeeld forum follow|unfollow THREAD_ID
 * inbeeld forum hide|unhide (--post POST_ID | --thread THREAD_ID) --reason TEXT      (editors)
 * inbeeld forum lock|unlock THREAD_ID --reason TEXT                                  (editors)
 * inbeeld forum move THREAD_ID --theme SLUG --reason TEXT                            (editors)
 * inbeeld forum report POST_ID --reason TEXT
 * inbeeld forum reports [--json]                                                     (editors)
 * inbeeld forum dismiss REPORT_ID --reason TEXT                                      (editors)
 * inbeeld forum log [THREAD_ID] [--json]                                             (editors)
 * inbeeld forum limits [--posts N] [--threads N] [--json]
 *
 * The forum of the knowledge platform (docs/forum.md). Every verb takes --as NAME, --org ORG
 * and --role ROLE to act as someone other than the local operator (role "editor" moderates):
 * for the command line only, until accounts exist.
 */
#include "cli/commands.h"
#include "forum/forum.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parse, name the acting identity and open the store: what every verb begins with. */
static int begin(struct cli *cli, int argc, char **argv, const struct cli_opt *opts,
		 const char *usage, const char *description, int nargs_wanted,
		 const struct cli_identity *id, struct access *who, char ***args)
{
	int nargs;
	int min = nargs_wanted < 0 ? 0 : nargs_wanted, max = nargs_wanted < 0 ? 1 : nargs_wanted;
	int rc = cli_parse(cli, argc, argv, opts, usage, description, min, max, args, &nargs);
	if (rc != 0)
		return rc;
	if (cli_acting(cli, id, who) < 0 || cli_open(cli, CLI_STORE) < 0)
		return -1;
	return 0;
}

/* Return from a verb after begin: 0 for --help, -1 for an error. */
#define BEGIN_OR_RETURN(call)                                                                 \
	do {                                                                                  \
		int begun_ = (call);                                                          \
		if (begun_ != 0)                                                              \
			return begun_ < 0 ? -1 : 0;                                           \
	} while (0)

static void print_party(const struct forum_party *p)
{
	fputs(p->name, stdout);
	if (p->organisation)
		printf(" (%s)", p->organisation);
}

/*
 * inbeeld forum threads [--theme SLUG] [--json]
 */
static int forum_threads_cmd(struct cli *cli, int argc, char **argv)
{
	const char *theme = NULL;
	struct cli_identity id = {0};
	struct access who;
	char **args;
	const struct cli_opt opts[] = {
		{"theme", OPT_STRING, &theme, "SLUG", "only the threads of this theme"},
		CLI_IDENTITY_OPTS(id),
		CLI_OPT_END,
	};
	BEGIN_OR_RETURN(begin(cli, argc, argv, opts, "forum threads [--theme SLUG] [--json]",
			      "List the threads you can see, the most recently active first.", 0,
			      &id, &who, &args));
	struct forum_thread *threads;
	size_t n;
	if (forum_threads(cli->store, &who, theme, &threads, &n, &cli->err) < 0)
		return -1;
	if (cli->json) {
		json_t *a = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(a, forum_thread_json(&threads[i]));
		cli_print_json(a);
	}
	for (size_t i = 0; !cli->json && i < n; i++) {
		const struct forum_thread *t = &threads[i];
		printf("%-5lld %-32s %s  %lld replies%s%s%s", (long long)t->id, t->theme_slug,
		       t->title, (long long)t->replies, t->locked ? " [locked]" : "",
		       t->hidden ? " [hidden]" : "", t->following ? " [following" : "");
		if (t->following)
			printf(", %lld new]", (long long)t->new_posts);
		putchar('\n');
	}
	forum_thread_free_array(threads, n);
	return 0;
}

/*
 * inbeeld forum start --theme SLUG --title TITLE --body TEXT
 */
static int forum_start_cmd(struct cli *cli, int argc, char **argv)
{
	const char *theme = NULL, *title = NULL, *body = NULL;
	struct cli_identity id = {0};
	struct access who;
	char **args;
	const struct cli_opt opts[] = {
		{"theme", OPT_STRING, &theme, "SLUG", "the theme of the thread"},
		{"title", OPT_STRING, &title, "TITLE", "the thread's title"},
		{"body", OPT_STRING, &body, "TEXT", "the opening post (Markdown)"},
		CLI_IDENTITY_OPTS(id),
		CLI_OPT_END,
	};
	BEGIN_OR_RETURN(begin(cli, argc, argv, opts,
			      "forum start --theme SLUG --title TITLE --body TEXT",
			      "Start a thread. No personal data of young people: a post with a "
			      "number that passes the BSN elfproef is refused.",
			      0, &id, &who, &args));
	if (!theme || !title || !body)
		return cli_usage_error(cli, "forum start needs --theme, --title and --body");
	struct forum_settings fs;
	int64_t thread_id;
	if (forum_settings_load(cli->store, &fs, &cli->err) < 0 ||
	    forum_thread_start(cli->store, &fs, &who, theme, title, body, &thread_id,
			       &cli->err) < 0)
		return -1;
	if (cli->json)
		cli_print_json(json_pack("{s:I, s:s}", "thread", (json_int_t)thread_id, "theme",
					 theme));
	else
		printf("thread %lld started on %s\n", (long long)thread_id, theme);
	return 0;
}

/*
 * inbeeld forum reply THREAD_ID --body TEXT [--quote POST_ID]
 */
static int forum_reply_cmd(struct cli *cli, int argc, char **argv)
{
	const char *body = NULL;
	long quote = 0;
	struct cli_identity id = {0};
	struct access who;
	char **args;
	const struct cli_opt opts[] = {
		{"body", OPT_STRING, &body, "TEXT", "the reply (Markdown)"},
		{"quote", OPT_INT, &quote, "POST_ID", "quote this post of the same thread"},
		CLI_IDENTITY_OPTS(id),
		CLI_OPT_END,
	};
	BEGIN_OR_RETURN(begin(cli, argc, argv, opts,
			      "forum reply THREAD_ID --body TEXT [--quote POST_ID]",
			      "Reply to a thread, perhaps quoting one of its posts.", 1, &id, &who,
			      &args));
	int64_t thread_id, post_id;
	if (cli_parse_id(cli, args[0], "THREAD_ID", &thread_id) < 0)
		return -1;
	if (!body)
		return cli_usage_error(cli, "forum reply needs --body");
	if (quote < 0)
		return cli_usage_error(cli, "--quote wants a post id, not %ld", quote);
	struct forum_settings fs;
	if (forum_settings_load(cli->store, &fs, &cli->err) < 0 ||
	    forum_reply(cli->store, &fs, &who, thread_id, body, quote, &post_id, &cli->err) < 0)
		return -1;
	if (cli->json)
		cli_print_json(json_pack("{s:I, s:I}", "thread", (json_int_t)thread_id, "post",
					 (json_int_t)post_id));
	else
		printf("post %lld added to thread %lld\n", (long long)post_id,
		       (long long)thread_id);
	return 0;
}

static void print_thread(const struct forum_thread *t)
{
	printf("thread %lld: %s\ntheme %s · started by ", (long long)t->id, t->title,
	       t->theme_slug);
	print_party(&t->author);
	printf(" on %s · %lld replies%s%s\n", t->created_at, (long long)t->replies,
	       t->locked ? " · locked" : "", t->hidden ? " · hidden" : "");
	for (size_t i = 0; i < t->nposts; i++) {
		const struct forum_post *p = &t->posts[i];
		printf("\n#%lld ", (long long)p->id);
		print_party(&p->author);
		printf(", %s%s%s%s\n", p->created_at, p->opening ? " (opening)" : "",
		       p->helpful ? " [helpful]" : "", p->hidden ? " [hidden]" : "");
		if (p->quote_id)
			printf("> quoting #%lld\n", (long long)p->quote_id);
		printf("%s\n", p->body);
	}
	printf("\nfollowers:");
	if (!t->nfollowers)
		printf(" none");
	for (size_t i = 0; i < t->nfollowers; i++) {
		printf("%s ", i ? "," : "");
		print_party(&t->followers[i].who);
		printf(" (%lld new)", (long long)t->followers[i].new_posts);
	}
	putchar('\n');
}

/*
 * inbeeld forum show THREAD_ID [--json | --html] [--lang nl|en]
 *
 * Reading a thread you follow counts as a visit: its posts are no longer new to you.
 */
static int forum_show_cmd(struct cli *cli, int argc, char **argv)
{
	bool html = false;
	const char *lang = "nl";
	struct cli_identity id = {0};
	struct access who;
	char **args;
	const struct cli_opt opts[] = {
		{"html", OPT_FLAG, &html, NULL, "print the thread as an HTML fragment"},
		{"lang", OPT_STRING, &lang, "nl|en", "the language of the HTML labels"},
		CLI_IDENTITY_OPTS(id),
		CLI_OPT_END,
	};
	BEGIN_OR_RETURN(begin(cli, argc, argv, opts,
			      "forum show THREAD_ID [--json | --html] [--lang nl|en]",
			      "Show a thread with the posts you can see and its followers.", 1, &id,
			      &who, &args));
	int64_t thread_id;
	struct forum_thread t;
	if (cli_parse_id(cli, args[0], "THREAD_ID", &thread_id) < 0)
		return -1;
	if (strcmp(lang, "nl") != 0 && strcmp(lang, "en") != 0)
		return cli_usage_error(cli, "--lang wants nl or en, not '%s'", lang);
	if (forum_thread_get(cli->store, &who, thread_id, &t, &cli->err) < 0)
		return -1;
	if (cli->json) {
		cli_print_json(forum_thread_json(&t));
	} else if (html) {
		struct buf out = BUF_INIT;
		forum_thread_html(&t, lang, &out);
		fwrite(out.data, 1, out.len, stdout);
		buf_release(&out);
	} else {
		print_thread(&t);
	}
	forum_thread_release(&t);
	return forum_visit(cli->store, &who, thread_id, &cli->err);
}

/*
 * inbeeld forum helpful POST_ID
 */
static int forum_helpful_cmd(struct cli *cli, int argc, char **argv)
{
	struct cli_identity id = {0};
	struct access who;
	char **args;
	const struct cli_opt opts[] = {CLI_IDENTITY_OPTS(id), CLI_OPT_END};
	BEGIN_OR_RETURN(begin(cli, argc, argv, opts, "forum helpful POST_ID",
			      "Mark a reply as helpful (the thread's starter or an editor).", 1,
			      &id, &who, &args));
	int64_t post_id;
	if (cli_parse_id(cli, args[0], "POST_ID", &post_id) < 0 ||
	    forum_helpful(cli->store, &who, post_id, &cli->err) < 0)
		return -1;
	if (!cli->json)
		printf("post %lld marked helpful\n", (long long)post_id);
	else
		cli_print_json(json_pack("{s:I, s:b}", "post", (json_int_t)post_id, "helpful", 1));
	return 0;
}

/* forum follow|unfollow THREAD_ID */
static int follow_verb(struct cli *cli, int argc, char **argv, bool follow)
{
	struct cli_identity id = {0};
	struct access who;
	char **args;
	const struct cli_opt opts[] = {CLI_IDENTITY_OPTS(id), CLI_OPT_END};
	BEGIN_OR_RETURN(begin(cli, argc, argv, opts,
			      follow ? "forum follow THREAD_ID" : "forum unfollow THREAD_ID",
			      follow ? "Follow a thread: see how many posts are new since your "
				       "last visit."
				     : "Stop following a thread.",
			      1, &id, &who, &args));
	int64_t thread_id;
	if (cli_parse_id(cli, args[0], "THREAD_ID", &thread_id) < 0)
		return -1;
	int rc = follow ? forum_follow(cli->store, &who, thread_id, &cli->err)
			: forum_unfollow(cli->store, &who, thread_id, &cli->err);
	if (rc < 0)
		return -1;
	if (cli->json)
		cli_print_json(json_pack("{s:I, s:b}", "thread", (json_int_t)thread_id,
					 "following", follow));
	else
		printf("%s thread %lld\n", follow ? "following" : "no longer following",
		       (long long)thread_id);
	return 0;
}

/*
 * inbeeld forum follow THREAD_ID
 */
static int forum_follow_cmd(struct cli *cli, int argc, char **argv)
{
	return follow_verb(cli, argc, argv, true);
}

/*
 * inbeeld forum unfollow THREAD_ID
 */
static int forum_unfollow_cmd(struct cli *cli, int argc, char **argv)
{
	return follow_verb(cli, argc, argv, false);
}

/* forum hide|unhide (--post POST_ID | --thread THREAD_ID) --reason TEXT */
static int hide_verb(struct cli *cli, int argc, char **argv, bool hide)
{
	long post = 0, thread = 0;
	const char *reason = NULL;
	struct cli_identity id = {0};
	struct access who;
	char **args;
	const struct cli_opt opts[] = {
		{"post", OPT_INT, &post, "POST_ID", "the post"},
		{"thread", OPT_INT, &thread, "THREAD_ID", "the whole thread"},
		{"reason", OPT_STRING, &reason, "TEXT", "why (kept in the moderation log)"},
		CLI_IDENTITY_OPTS(id),
		CLI_OPT_END,
	};
	BEGIN_OR_RETURN(begin(cli, argc, argv, opts,
			      hide ? "forum hide (--post POST_ID | --thread THREAD_ID) "
				     "--reason TEXT"
				   : "forum unhide (--post POST_ID | --thread THREAD_ID) "
				     "--reason TEXT",
			      hide ? "Hide a post or a thread from everyone but editors and its "
				     "author (editors)."
				   : "Show a hidden post or thread again (editors).",
			      0, &id, &who, &args));
	if ((post > 0) == (thread > 0))
		return cli_usage_error(cli, "give either --post or --thread (a positive id)");
	if (!reason)
		return cli_usage_error(cli, "moderation needs --reason");
	enum forum_target target = post > 0 ? FORUM_POST : FORUM_THREAD;
	int64_t target_id = post > 0 ? post : thread;
	if (forum_set_hidden(cli->store, &who, target, target_id, hide, reason, &cli->err) < 0)
		return -1;
	const char *kind = target == FORUM_POST ? "post" : "thread";
	if (cli->json)
		cli_print_json(json_pack("{s:s, s:I, s:b}", "target", kind, "id",
					 (json_int_t)target_id, "hidden", hide));
	else
		printf("%s %lld %s\n", kind, (long long)target_id, hide ? "hidden" : "shown again");
	return 0;
}

/*
 * inbeeld forum hide (--post POST_ID | --thread THREAD_ID) --reason TEXT
 */
static int forum_hide_cmd(struct cli *cli, int argc, char **argv)
{
	return hide_verb(cli, argc, argv, true);
}

/*
 * inbeeld forum unhide (--post POST_ID | --thread THREAD_ID) --reason TEXT
 */
static int forum_unhide_cmd(struct cli *cli, int argc, char **argv)
{
	return hide_verb(cli, argc, argv, false);
}

/* forum lock|unlock THREAD_ID --reason TEXT */
static int lock_verb(struct cli *cli, int argc, char **argv, bool lock)
{
	const char *reason = NULL;
	struct cli_identity id = {0};
	struct access who;
	char **args;
	const struct cli_opt opts[] = {
		{"reason", OPT_STRING, &reason, "TEXT", "why (kept in the moderation log)"},
		CLI_IDENTITY_OPTS(id),
		CLI_OPT_END,
	};
	BEGIN_OR_RETURN(begin(cli, argc, argv, opts,
			      lock ? "forum lock THREAD_ID --reason TEXT"
				   : "forum unlock THREAD_ID --reason TEXT",
			      lock ? "Lock a thread: it takes no new replies (editors)."
				   : "Unlock a thread (editors).",
			      1, &id, &who, &args));
	int64_t thread_id;
	if (cli_parse_id(cli, args[0], "THREAD_ID", &thread_id) < 0)
		return -1;
	if (!reason)
		return cli_usage_error(cli, "moderation needs --reason");
	if (forum_set_locked(cli->store, &who, thread_id, lock, reason, &cli->err) < 0)
		return -1;
	if (cli->json)
		cli_print_json(json_pack("{s:I, s:b}", "thread", (json_int_t)thread_id, "locked",
					 lock));
	else
		printf("thread %lld %s\n", (long long)thread_id, lock ? "locked" : "unlocked");
	return 0;
}

/*
 * inbeeld forum lock THREAD_ID --reason TEXT
 */
static int forum_lock_cmd(struct cli *cli, int argc, char **argv)
{
	return lock_verb(cli, argc, argv, true);
}

/*
 * inbeeld forum unlock THREAD_ID --reason TEXT
 */
static int forum_unlock_cmd(struct cli *cli, int argc, char **argv)
{
	return lock_verb(cli, argc, argv, false);
}

/*
 * inbeeld forum move THREAD_ID --theme SLUG --reason TEXT
 */
static int forum_move_cmd(struct cli *cli, int argc, char **argv)
{
	const char *theme = NULL, *reason = NULL;
	struct cli_identity id = {0};
	struct access who;
	char **args;
	const struct cli_opt opts[] = {
		{"theme", OPT_STRING, &theme, "SLUG", "the theme to move the thread to"},
		{"reason", OPT_STRING, &reason, "TEXT", "why (kept in the moderation log)"},
		CLI_IDENTITY_OPTS(id),
		CLI_OPT_END,
	};
	BEGIN_OR_RETURN(begin(cli, argc, argv, opts,
			      "forum move THREAD_ID --theme SLUG --reason TEXT",
			      "Move a thread to another theme (editors).", 1, &id, &who, &args));
	int64_t thread_id;
	if (cli_parse_id(cli, args[0], "THREAD_ID", &thread_id) < 0)
		return -1;
	if (!theme || !reason)
		return cli_usage_error(cli, "forum move needs --theme and --reason");
	if (forum_move(cli->store, &who, thread_id, theme, reason, &cli->err) < 0)
		return -1;
	if (cli->json)
		cli_print_json(json_pack("{s:I, s:s}", "thread", (json_int_t)thread_id, "theme",
					 theme));
	else
		printf("thread %lld moved to %s\n", (long long)thread_id, theme);
	return 0;
}

/*
 * inbeeld forum report POST_ID --reason TEXT
 */
static int forum_report_cmd(struct cli *cli, int argc, char **argv)
{
	const char *reason = NULL;
	struct cli_identity id = {0};
	struct access who;
	char **args;
	const struct cli_opt opts[] = {
		{"reason", OPT_STRING, &reason, "TEXT", "what is wrong with the post"},
		CLI_IDENTITY_OPTS(id),
		CLI_OPT_END,
	};
	BEGIN_OR_RETURN(begin(cli, argc, argv, opts, "forum report POST_ID --reason TEXT",
			      "Report a post to the editors, e.g. when it names a young person.", 1,
			      &id, &who, &args));
	int64_t post_id, report_id;
	if (cli_parse_id(cli, args[0], "POST_ID", &post_id) < 0)
		return -1;
	if (!reason)
		return cli_usage_error(cli, "forum report needs --reason");
	if (forum_report_post(cli->store, &who, post_id, reason, &report_id, &cli->err) < 0)
		return -1;
	if (cli->json)
		cli_print_json(json_pack("{s:I, s:I}", "report", (json_int_t)report_id, "post",
					 (json_int_t)post_id));
	else
		printf("report %lld of post %lld sent to the editors\n", (long long)report_id,
		       (long long)post_id);
	return 0;
}

/*
 * inbeeld forum reports [--json]
 */
static int forum_reports_cmd(struct cli *cli, int argc, char **argv)
{
	struct cli_identity id = {0};
	struct access who;
	char **args;
	const struct cli_opt opts[] = {CLI_IDENTITY_OPTS(id), CLI_OPT_END};
	BEGIN_OR_RETURN(begin(cli, argc, argv, opts, "forum reports [--json]",
			      "List the open reports, oldest first (editors).", 0, &id, &who,
			      &args));
	struct forum_report *r;
	size_t n;
	if (forum_reports_open(cli->store, &who, &r, &n, &cli->err) < 0)
		return -1;
	if (cli->json) {
		json_t *a = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(
				a, json_pack("{s:I, s:I, s:I, s:s, s:s, s:s?, s:s, s:s, s:s}", "id",
					     (json_int_t)r[i].id, "post", (json_int_t)r[i].post_id,
					     "thread", (json_int_t)r[i].thread_id, "thread_title",
					     r[i].thread_title, "reporter", r[i].by.name,
					     "reporter_org", r[i].by.organisation, "reason",
					     r[i].reason, "created_at", r[i].created_at, "status",
					     r[i].status));
		cli_print_json(a);
	}
	if (!cli->json && !n)
		printf("no open reports\n");
	for (size_t i = 0; !cli->json && i < n; i++) {
		printf("report %lld  post %lld (thread %lld: %s)  %s by ", (long long)r[i].id,
		       (long long)r[i].post_id, (long long)r[i].thread_id, r[i].thread_title,
		       r[i].created_at);
		print_party(&r[i].by);
		printf("\n    %s\n", r[i].reason);
	}
	forum_report_free_array(r, n);
	return 0;
}

/*
 * inbeeld forum dismiss REPORT_ID --reason TEXT
 */
static int forum_dismiss_cmd(struct cli *cli, int argc, char **argv)
{
	const char *reason = NULL;
	struct cli_identity id = {0};
	struct access who;
	char **args;
	const struct cli_opt opts[] = {
		{"reason", OPT_STRING, &reason, "TEXT", "why the post stays"},
		CLI_IDENTITY_OPTS(id),
		CLI_OPT_END,
	};
	BEGIN_OR_RETURN(begin(cli, argc, argv, opts, "forum dismiss REPORT_ID --reason TEXT",
			      "Close a report without hiding the post (editors).", 1, &id, &who,
			      &args));
	int64_t report_id;
	if (cli_parse_id(cli, args[0], "REPORT_ID", &report_id) < 0)
		return -1;
	if (!reason)
		return cli_usage_error(cli, "forum dismiss needs --reason");
	if (forum_report_dismiss(cli->store, &who, report_id, reason, &cli->err) < 0)
		return -1;
	if (cli->json)
		cli_print_json(json_pack("{s:I, s:s}", "report", (json_int_t)report_id, "status",
					 "dismissed"));
	else
		printf("report %lld dismissed\n", (long long)report_id);
	return 0;
}

/*
 * inbeeld forum log [THREAD_ID] [--json]
 */
static int forum_log_cmd(struct cli *cli, int argc, char **argv)
{
	struct cli_identity id = {0};
	struct access who;
	char **args;
	const struct cli_opt opts[] = {CLI_IDENTITY_OPTS(id), CLI_OPT_END};
	BEGIN_OR_RETURN(begin(cli, argc, argv, opts, "forum log [THREAD_ID] [--json]",
			      "The moderation log: who did what, when and why (editors).", -1, &id,
			      &who, &args));
	int64_t thread_id = 0;
	if (args[0] && cli_parse_id(cli, args[0], "THREAD_ID", &thread_id) < 0)
		return -1;
	struct forum_moderation *m;
	size_t n;
	if (forum_moderation_log(cli->store, &who, thread_id, &m, &n, &cli->err) < 0)
		return -1;
	if (cli->json) {
		json_t *a = json_array();
		for (size_t i = 0; i < n; i++) {
			json_t *o = json_pack("{s:I, s:s, s:s, s:s?, s:s, s:I, s:s, s:s?}", "id",
					      (json_int_t)m[i].id, "at", m[i].at, "by",
					      m[i].by.name, "by_org", m[i].by.organisation,
					      "action", m[i].action, "thread",
					      (json_int_t)m[i].thread_id, "reason", m[i].reason,
					      "detail", m[i].detail);
			json_object_set_new(o, "post", m[i].post_id ? json_integer(m[i].post_id)
								    : json_null());
			json_object_set_new(o, "report", m[i].report_id
								 ? json_integer(m[i].report_id)
								 : json_null());
			json_array_append_new(a, o);
		}
		cli_print_json(a);
	}
	for (size_t i = 0; !cli->json && i < n; i++) {
		printf("%s  %-7s thread %lld", m[i].at, m[i].action, (long long)m[i].thread_id);
		if (m[i].post_id)
			printf(" post %lld", (long long)m[i].post_id);
		if (m[i].report_id)
			printf(" report %lld", (long long)m[i].report_id);
		printf("  by %s: %s%s%s\n", m[i].by.name, m[i].reason, m[i].detail ? " — " : "",
		       m[i].detail ? m[i].detail : "");
	}
	forum_moderation_free_array(m, n);
	return 0;
}

/*
 * inbeeld forum limits [--posts N] [--threads N] [--json]
 */
static int forum_limits_cmd(struct cli *cli, int argc, char **argv)
{
	long posts = 0, threads = 0;
	struct cli_identity id = {0};
	struct access who;
	char **args;
	const struct cli_opt opts[] = {
		{"posts", OPT_INT, &posts, "N", "posts per author in any 10 minutes (default 10)"},
		{"threads", OPT_INT, &threads, "N", "new threads per author per hour (default 3)"},
		CLI_IDENTITY_OPTS(id),
		CLI_OPT_END,
	};
	BEGIN_OR_RETURN(begin(cli, argc, argv, opts, "forum limits [--posts N] [--threads N]",
			      "Show or set the forum's rate limits.", 0, &id, &who, &args));
	struct forum_settings fs;
	if (forum_settings_load(cli->store, &fs, &cli->err) < 0)
		return -1;
	if (posts || threads) {
		/* The limits are the store's settings: for its operator or an editor. */
		if (!who.role || (strcmp(who.role, "operator") != 0 && !forum_is_editor(&who)))
			return err_set(&cli->err, ERR_FORBIDDEN,
				       "only the operator or an editor sets the forum's limits");
		if (posts < 0 || threads < 0 || posts > 1000 || threads > 1000)
			return cli_usage_error(cli, "--posts and --threads want a number from 1 to "
						    "1000");
		if (posts)
			fs.posts_per_10min = (int)posts;
		if (threads)
			fs.threads_per_hour = (int)threads;
		if (forum_settings_save(cli->store, &fs, &cli->err) < 0)
			return -1;
	}
	if (cli->json)
		cli_print_json(json_pack("{s:i, s:i}", "posts_per_10min", fs.posts_per_10min,
					 "threads_per_hour", fs.threads_per_hour));
	else
		printf("at most %d posts per author in any 10 minutes, %d new threads per hour\n",
		       fs.posts_per_10min, fs.threads_per_hour);
	return 0;
}

static const struct cli_verb verbs[] = {
	{"threads", forum_threads_cmd, "list the threads (of a theme)"},
	{"start", forum_start_cmd, "start a thread"},
	{"reply", forum_reply_cmd, "reply to a thread, perhaps quoting a post"},
	{"show", forum_show_cmd, "show a thread"},
	{"helpful", forum_helpful_cmd, "mark a reply as helpful"},
	{"follow", forum_follow_cmd, "follow a thread"},
	{"unfollow", forum_unfollow_cmd, "stop following a thread"},
	{"hide", forum_hide_cmd, "hide a post or thread (editors)"},
	{"unhide", forum_unhide_cmd, "show a hidden post or thread again (editors)"},
	{"lock", forum_lock_cmd, "lock a thread (editors)"},
	{"unlock", forum_unlock_cmd, "unlock a thread (editors)"},
	{"move", forum_move_cmd, "move a thread to another theme (editors)"},
	{"report", forum_report_cmd, "report a post to the editors"},
	{"reports", forum_reports_cmd, "list the open reports (editors)"},
	{"dismiss", forum_dismiss_cmd, "close a report without hiding (editors)"},
	{"log", forum_log_cmd, "the moderation log (editors)"},
	{"limits", forum_limits_cmd, "show or set the rate limits"},
	{NULL, NULL, NULL},
};

int cmd_forum(struct cli *cli, int argc, char **argv)
{
	return cli_dispatch(cli, argc, argv, verbs);
}
