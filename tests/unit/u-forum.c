/*
 * Tests of the forum's rules: locked threads, hidden posts and threads, helpful marks, quotes,
 * following, rate limits, the BSN rule, moving, reports and the moderation log, and HTML
 * injection through every text field of a thread.
 */
#include "testutil.h"

#include "accounts/roles.h"

#include "forum/forum.h"
#include "knowledge/knowledge.h"
#include "registry/ident.h"

static const struct access anna = {"anna", "Gemeente Maastricht", "participant", NULL, "cli",
				   "test", 0, 0, 0};
static const struct access bram = {"bram", "ROC Zuid", "participant", NULL, "cli", "test", 0, 0, 0};
static const struct access carla = {"carla", "UWV", "participant", NULL, "cli", "test", 0, 0, 0};
static const struct access eddy = {"eddy", "Platform", "editor", NULL, "cli", "test", 0, 0, 0};

#define T0 1795000000 /* 2026-11-18T…Z: a fixed clock */

static json_t *both(const char *text)
{
	return json_pack("{s:s, s:s}", "nl", text, "en", text);
}

static json_t *theme(const char *slug, int order)
{
	return json_pack("{s:s, s:i, s:o, s:o, s:o, s:o, s:[]}", "slug", slug, "order", order,
			 "title", both(slug), "summary", both("Samenvatting."), "stake",
			 both("Wat er speelt."), "cooperation", both("Samen."), "actions");
}

/* Two published themes, alpha and beta. */
static void load_themes(struct store *s)
{
	static const struct access seeder = {"system:test", NULL, "editor", NULL, "cli", "test", 0, 0, 0};
	json_t *bundle = json_pack("{s:i, s:[], s:[o, o], s:[], s:[]}", "version", 1,
				   "target_groups", "themes", theme("alpha", 1), theme("beta", 2),
				   "practices", "faqs");
	struct err e = ERR_INIT;
	assert_ok(knowledge_import(s, &seeder, bundle, true, "test content", NULL, &e), &e);
	json_decref(bundle);
}

struct fixture {
	struct test_store ts;
	struct forum_settings fs;
	int64_t thread;  /* on alpha, by anna */
	int64_t opening; /* its opening post */
	int64_t reply;   /* by bram */
};

static void setup(struct fixture *f)
{
	struct err e = ERR_INIT;
	test_store_open(&f->ts);
	load_themes(f->ts.store);
	forum_settings_default(&f->fs);
	f->fs.now = T0;
	assert_ok(forum_thread_start(f->ts.store, &f->fs, &anna, "alpha", "Stages in de regio",
				     "Wie heeft *ervaring*?", &f->thread, &e),
		  &e);
	struct forum_thread t;
	assert_ok(forum_thread_get(f->ts.store, &anna, f->thread, &t, &e), &e);
	assert_int_equal(t.nposts, 1);
	assert_true(t.posts[0].opening);
	f->opening = t.posts[0].id;
	forum_thread_release(&t);
	f->fs.now += 10;
	assert_ok(forum_reply(f->ts.store, &f->fs, &bram, f->thread, "Wij wel.", f->opening,
			      &f->reply, &e),
		  &e);
}

static void teardown(struct fixture *f)
{
	test_store_close(&f->ts);
}

/* Whether `who` sees post `id` in the thread. */
static bool sees_post(struct fixture *f, const struct access *who, int64_t id)
{
	struct err e = ERR_INIT;
	struct forum_thread t;
	assert_ok(forum_thread_get(f->ts.store, who, f->thread, &t, &e), &e);
	bool seen = false;
	for (size_t i = 0; i < t.nposts; i++)
		seen |= t.posts[i].id == id;
	forum_thread_release(&t);
	return seen;
}

#define assert_fails_with(call, want, e)                                                      \
	do {                                                                                  \
		if ((call) != -1)                                                             \
			fail_msg("%s succeeded", #call);                                      \
		if ((e)->code != (want))                                                      \
			fail_msg("%s: expected code %d, got %d: %s", #call, (int)(want),      \
				 (int)(e)->code, (e)->msg);                                   \
	} while (0)

static void test_forum__reply_to_locked_thread_refused(void **state)
{
	(void)state;
	struct fixture f;
	struct err e = ERR_INIT;
	setup(&f);
	assert_fails_with(forum_set_locked(f.ts.store, &anna, f.thread, true, "klaar", &e),
			  ERR_FORBIDDEN, &e);
	assert_fails_with(forum_set_locked(f.ts.store, &eddy, f.thread, true, "", &e),
			  ERR_INVALID, &e);
	assert_ok(forum_set_locked(f.ts.store, &eddy, f.thread, true, "vraag beantwoord", &e), &e);
	assert_fails_with(forum_reply(f.ts.store, &f.fs, &carla, f.thread, "Nog iets", 0, NULL, &e),
			  ERR_CONFLICT, &e);
	assert_non_null(strstr(e.msg, "locked"));
	assert_fails_with(forum_set_locked(f.ts.store, &eddy, f.thread, true, "nogmaals", &e),
			  ERR_CONFLICT, &e);
	assert_ok(forum_set_locked(f.ts.store, &eddy, f.thread, false, "toch open", &e), &e);
	assert_ok(forum_reply(f.ts.store, &f.fs, &carla, f.thread, "Nog iets", 0, NULL, &e), &e);
	teardown(&f);
}

static void test_forum__editor_role_among_several(void **state)
{
	(void)state;
	/* A signed-in user has a list of roles; the editor bit counts, wherever it stands. */
	struct access signed_in = {"dana", "Gemeente Heerlen", "policy,editor", NULL, "127.0.0.1",
				   "forum", 7, 3, ROLE_POLICY | ROLE_EDITOR};
	assert_true(forum_is_editor(&signed_in));
	signed_in.roles = ROLE_POLICY;
	assert_false(forum_is_editor(&signed_in));
	assert_true(forum_is_editor(&eddy));
	assert_false(forum_is_editor(&anna));
}

static void test_forum__hidden_post_only_for_editors_and_author(void **state)
{
	(void)state;
	struct fixture f;
	struct err e = ERR_INIT;
	setup(&f);
	assert_fails_with(forum_set_hidden(f.ts.store, &carla, FORUM_POST, f.reply, true, "weg",
					   &e),
			  ERR_FORBIDDEN, &e);
	assert_ok(forum_set_hidden(f.ts.store, &eddy, FORUM_POST, f.reply, true, "naam genoemd",
				   &e),
		  &e);
	assert_false(sees_post(&f, &carla, f.reply));
	assert_false(sees_post(&f, &anna, f.reply));
	assert_true(sees_post(&f, &eddy, f.reply));
	assert_true(sees_post(&f, &bram, f.reply));
	struct forum_thread t;
	assert_ok(forum_thread_get(f.ts.store, &eddy, f.thread, &t, &e), &e);
	assert_true(t.posts[1].hidden);
	forum_thread_release(&t);
	/* The reply count follows what the viewer sees. */
	struct forum_thread *list;
	size_t n;
	assert_ok(forum_threads(f.ts.store, &carla, "alpha", &list, &n, &e), &e);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].replies, 0);
	forum_thread_free_array(list, n);
	/* A hidden post can neither be quoted nor reported by others. */
	assert_fails_with(forum_reply(f.ts.store, &f.fs, &carla, f.thread, "Eens", f.reply, NULL,
				      &e),
			  ERR_NOTFOUND, &e);
	assert_fails_with(forum_report_post(f.ts.store, &carla, f.reply, "spam", NULL, &e),
			  ERR_NOTFOUND, &e);
	assert_ok(forum_set_hidden(f.ts.store, &eddy, FORUM_POST, f.reply, false, "hersteld", &e),
		  &e);
	assert_true(sees_post(&f, &carla, f.reply));

	/* A hidden thread is gone for others, listed and shown for editors. */
	assert_ok(forum_set_hidden(f.ts.store, &eddy, FORUM_THREAD, f.thread, true, "test", &e),
		  &e);
	assert_fails_with(forum_thread_get(f.ts.store, &carla, f.thread, &t, &e), ERR_NOTFOUND,
			  &e);
	assert_true(sees_post(&f, &anna, f.opening)); /* its starter still reads it */
	assert_fails_with(forum_reply(f.ts.store, &f.fs, &anna, f.thread, "Hallo?", 0, NULL, &e),
			  ERR_CONFLICT, &e);
	assert_ok(forum_threads(f.ts.store, &carla, NULL, &list, &n, &e), &e);
	assert_int_equal(n, 0);
	forum_thread_free_array(list, n);
	assert_ok(forum_threads(f.ts.store, &eddy, NULL, &list, &n, &e), &e);
	assert_int_equal(n, 1);
	assert_true(list[0].hidden);
	forum_thread_free_array(list, n);
	teardown(&f);
}

static void test_forum__helpful_only_by_starter_or_editor(void **state)
{
	(void)state;
	struct fixture f;
	struct err e = ERR_INIT;
	int64_t second;
	setup(&f);
	assert_ok(forum_reply(f.ts.store, &f.fs, &carla, f.thread, "Ook", 0, &second, &e), &e);
	assert_fails_with(forum_helpful(f.ts.store, &bram, f.reply, &e), ERR_FORBIDDEN, &e);
	assert_fails_with(forum_helpful(f.ts.store, &anna, f.opening, &e), ERR_INVALID, &e);
	assert_ok(forum_helpful(f.ts.store, &anna, f.reply, &e), &e);
	assert_fails_with(forum_helpful(f.ts.store, &eddy, f.reply, &e), ERR_CONFLICT, &e);
	assert_ok(forum_helpful(f.ts.store, &eddy, second, &e), &e);
	struct forum_thread t;
	assert_ok(forum_thread_get(f.ts.store, &carla, f.thread, &t, &e), &e);
	assert_true(t.posts[1].helpful);
	assert_string_equal(t.posts[1].helpful_by, "anna");
	assert_true(t.posts[2].helpful);
	assert_false(t.posts[0].helpful);
	forum_thread_release(&t);
	teardown(&f);
}

static void test_forum__quote_must_be_in_same_thread(void **state)
{
	(void)state;
	struct fixture f;
	struct err e = ERR_INIT;
	int64_t other, post;
	setup(&f);
	assert_ok(forum_thread_start(f.ts.store, &f.fs, &carla, "beta", "Ander onderwerp", "Tekst",
				     &other, &e),
		  &e);
	assert_fails_with(forum_reply(f.ts.store, &f.fs, &carla, other, "Zoals bram zei",
				      f.reply, NULL, &e),
			  ERR_INVALID, &e);
	assert_non_null(strstr(e.msg, "belongs to thread"));
	assert_fails_with(forum_reply(f.ts.store, &f.fs, &carla, f.thread, "?", 99999, NULL, &e),
			  ERR_NOTFOUND, &e);
	assert_ok(forum_reply(f.ts.store, &f.fs, &carla, f.thread, "Zoals bram zei", f.reply,
			      &post, &e),
		  &e);
	struct forum_thread t;
	assert_ok(forum_thread_get(f.ts.store, &anna, f.thread, &t, &e), &e);
	assert_int_equal(t.posts[2].quote_id, f.reply);
	assert_int_equal(t.posts[1].quote_id, f.opening);
	struct buf html = BUF_INIT;
	forum_thread_html(&t, "nl", &html);
	assert_non_null(strstr(html.data, "<blockquote class=\"forum-quote\""));
	assert_non_null(strstr(html.data, "Wij wel.")); /* the quoted text, rendered */
	buf_release(&html);
	forum_thread_release(&t);
	teardown(&f);
}

static void test_forum__follow_counts_new_posts(void **state)
{
	(void)state;
	struct fixture f;
	struct err e = ERR_INIT;
	setup(&f);
	assert_ok(forum_follow(f.ts.store, &carla, f.thread, &e), &e);
	assert_ok(forum_follow(f.ts.store, &carla, f.thread, &e), &e); /* twice: no error */
	assert_ok(forum_reply(f.ts.store, &f.fs, &bram, f.thread, "Een", 0, NULL, &e), &e);
	assert_ok(forum_reply(f.ts.store, &f.fs, &anna, f.thread, "Twee", 0, NULL, &e), &e);
	struct forum_thread t;
	assert_ok(forum_thread_get(f.ts.store, &carla, f.thread, &t, &e), &e);
	assert_true(t.following);
	assert_int_equal(t.new_posts, 2);
	/* anna (the starter) follows too; her own reply counted as a visit. */
	assert_int_equal(t.nfollowers, 2);
	assert_string_equal(t.followers[0].who.name, "anna");
	assert_int_equal(t.followers[0].new_posts, 0);
	forum_thread_release(&t);
	assert_ok(forum_visit(f.ts.store, &carla, f.thread, &e), &e);
	struct forum_thread *list;
	size_t n;
	assert_ok(forum_threads(f.ts.store, &carla, NULL, &list, &n, &e), &e);
	assert_true(list[0].following);
	assert_int_equal(list[0].new_posts, 0);
	forum_thread_free_array(list, n);
	assert_ok(forum_unfollow(f.ts.store, &carla, f.thread, &e), &e);
	assert_ok(forum_thread_get(f.ts.store, &carla, f.thread, &t, &e), &e);
	assert_false(t.following);
	assert_int_equal(t.nfollowers, 1);
	forum_thread_release(&t);
	teardown(&f);
}

static void test_forum__rate_limits_say_when(void **state)
{
	(void)state;
	struct fixture f;
	struct err e = ERR_INIT;
	setup(&f);
	/* bram has posted once (at T0 + 10); with a limit of 3 he may post twice more. */
	f.fs.posts_per_10min = 3;
	f.fs.now = T0 + 100;
	assert_ok(forum_reply(f.ts.store, &f.fs, &bram, f.thread, "2", 0, NULL, &e), &e);
	f.fs.now = T0 + 200;
	assert_ok(forum_reply(f.ts.store, &f.fs, &bram, f.thread, "3", 0, NULL, &e), &e);
	f.fs.now = T0 + 300;
	assert_fails_with(forum_reply(f.ts.store, &f.fs, &bram, f.thread, "4", 0, NULL, &e),
			  ERR_CONFLICT, &e);
	/* Possible again when the first post leaves the window: T0 + 10 + 600. */
	char when[32];
	time_t again = T0 + 610;
	struct tm tm;
	gmtime_r(&again, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (!strstr(e.msg, when) || !strstr(e.msg, "in 5 min 10 s"))
		fail_msg("expected the message to say %s (in 5 min 10 s): %s", when, e.msg);
	f.fs.now = T0 + 610;
	assert_ok(forum_reply(f.ts.store, &f.fs, &bram, f.thread, "4", 0, NULL, &e), &e);
	/* Others are not held up by bram. */
	f.fs.now = T0 + 300;
	assert_ok(forum_reply(f.ts.store, &f.fs, &carla, f.thread, "Ik", 0, NULL, &e), &e);

	/* New threads: anna started one at T0; with a limit of 2 per hour, one more. */
	f.fs.threads_per_hour = 2;
	f.fs.posts_per_10min = 100;
	int64_t id;
	f.fs.now = T0 + 1000;
	assert_ok(forum_thread_start(f.ts.store, &f.fs, &anna, "beta", "Twee", "Tekst", &id, &e),
		  &e);
	assert_fails_with(forum_thread_start(f.ts.store, &f.fs, &anna, "beta", "Drie", "Tekst",
					     &id, &e),
			  ERR_CONFLICT, &e);
	again = T0 + 3600;
	gmtime_r(&again, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (!strstr(e.msg, when) || !strstr(e.msg, "new threads"))
		fail_msg("expected the message to say %s: %s", when, e.msg);
	f.fs.now = T0 + 3600;
	assert_ok(forum_thread_start(f.ts.store, &f.fs, &anna, "beta", "Drie", "Tekst", &id, &e),
		  &e);

	/* The settings keep their values in the store. */
	struct forum_settings saved = {5, 2, 0}, loaded;
	assert_ok(forum_settings_save(f.ts.store, &saved, &e), &e);
	assert_ok(forum_settings_load(f.ts.store, &loaded, &e), &e);
	assert_int_equal(loaded.posts_per_10min, 5);
	assert_int_equal(loaded.threads_per_hour, 2);
	saved.posts_per_10min = 0;
	assert_fails_with(forum_settings_save(f.ts.store, &saved, &e), ERR_INVALID, &e);
	teardown(&f);
}

static void test_forum__bsn_in_post_refused(void **state)
{
	(void)state;
	struct fixture f;
	struct err e = ERR_INIT;
	setup(&f);
	char bsn[BSN_SIZE];
	assert_true(ident_bsn_complete(12345678, bsn));
	char text[128], masked[BSN_MASKED_SIZE];
	ident_mask_bsn(bsn, masked);
	snprintf(text, sizeof(text), "Het gaat om leerling %s, wie kent hem?", bsn);
	assert_fails_with(forum_reply(f.ts.store, &f.fs, &bram, f.thread, text, 0, NULL, &e),
			  ERR_INVALID, &e);
	assert_non_null(strstr(e.msg, "elfproef"));
	assert_non_null(strstr(e.msg, masked));
	assert_null(strstr(e.msg, bsn));
	/* Written as 1234.56.782 or in the title of a new thread. */
	snprintf(text, sizeof(text), "BSN %.4s.%.2s.%.3s", bsn, bsn + 4, bsn + 6);
	assert_fails_with(forum_reply(f.ts.store, &f.fs, &bram, f.thread, text, 0, NULL, &e),
			  ERR_INVALID, &e);
	snprintf(text, sizeof(text), "Over %.3s %.3s %.3s", bsn, bsn + 3, bsn + 6);
	int64_t id;
	assert_fails_with(forum_thread_start(f.ts.store, &f.fs, &bram, "alpha", text, "Tekst", &id,
					     &e),
			  ERR_INVALID, &e);
	snprintf(text, sizeof(text), "Melding %s", bsn);
	assert_fails_with(forum_report_post(f.ts.store, &carla, f.reply, text, NULL, &e),
			  ERR_INVALID, &e);
	/* Numbers that fail the elfproef, or are longer, pass. */
	assert_ok(forum_reply(f.ts.store, &f.fs, &bram, f.thread, "Bel 123456789 of 0612345678",
			      0, NULL, &e),
		  &e);
	snprintf(text, sizeof(text), "IBAN-achtig: 1%s", bsn);
	assert_ok(forum_reply(f.ts.store, &f.fs, &bram, f.thread, text, 0, NULL, &e), &e);
	assert_ok(forum_check_no_bsn("2024-2025: 1.200 leerlingen", "tekst", &e), &e);
	/* Titles are one line without control characters. */
	assert_fails_with(forum_thread_start(f.ts.store, &f.fs, &bram, "alpha", "a\nb", "Tekst",
					     &id, &e),
			  ERR_INVALID, &e);
	assert_fails_with(forum_reply(f.ts.store, &f.fs, &bram, f.thread, "\x1b[2J", 0, NULL, &e),
			  ERR_INVALID, &e);
	teardown(&f);
}

static void test_forum__move_changes_theme_and_is_logged(void **state)
{
	(void)state;
	struct fixture f;
	struct err e = ERR_INIT;
	setup(&f);
	assert_fails_with(forum_move(f.ts.store, &bram, f.thread, "beta", "past beter", &e),
			  ERR_FORBIDDEN, &e);
	assert_fails_with(forum_move(f.ts.store, &eddy, f.thread, "gamma", "past beter", &e),
			  ERR_NOTFOUND, &e);
	assert_fails_with(forum_move(f.ts.store, &eddy, f.thread, "alpha", "past beter", &e),
			  ERR_CONFLICT, &e);
	assert_ok(forum_move(f.ts.store, &eddy, f.thread, "beta", "past beter bij beta", &e), &e);
	struct forum_thread *list;
	size_t n;
	assert_ok(forum_threads(f.ts.store, &anna, "alpha", &list, &n, &e), &e);
	assert_int_equal(n, 0);
	forum_thread_free_array(list, n);
	assert_ok(forum_threads(f.ts.store, &anna, "beta", &list, &n, &e), &e);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].theme_slug, "beta");
	forum_thread_free_array(list, n);

	struct forum_moderation *m;
	assert_fails_with(forum_moderation_log(f.ts.store, &anna, 0, &m, &n, &e), ERR_FORBIDDEN,
			  &e);
	assert_ok(forum_moderation_log(f.ts.store, &eddy, f.thread, &m, &n, &e), &e);
	assert_int_equal(n, 1);
	assert_string_equal(m[0].action, "move");
	assert_string_equal(m[0].by.name, "eddy");
	assert_string_equal(m[0].reason, "past beter bij beta");
	assert_string_equal(m[0].detail, "from alpha to beta");
	assert_non_null(m[0].at);
	forum_moderation_free_array(m, n);
	teardown(&f);
}

static void test_forum__reports_listed_for_editors(void **state)
{
	(void)state;
	struct fixture f;
	struct err e = ERR_INIT;
	int64_t r1, r2;
	setup(&f);
	assert_ok(forum_report_post(f.ts.store, &carla, f.reply, "noemt een leerling", &r1, &e),
		  &e);
	assert_fails_with(forum_report_post(f.ts.store, &carla, f.reply, "nogmaals", NULL, &e),
			  ERR_CONFLICT, &e);
	assert_fails_with(forum_report_post(f.ts.store, &carla, f.opening, " ", NULL, &e),
			  ERR_INVALID, &e);
	assert_ok(forum_report_post(f.ts.store, &bram, f.opening, "dubbel", &r2, &e), &e);
	struct forum_report *r;
	size_t n;
	assert_fails_with(forum_reports_open(f.ts.store, &carla, &r, &n, &e), ERR_FORBIDDEN, &e);
	assert_ok(forum_reports_open(f.ts.store, &eddy, &r, &n, &e), &e);
	assert_int_equal(n, 2);
	assert_int_equal(r[0].id, r1);
	assert_int_equal(r[0].post_id, f.reply);
	assert_int_equal(r[0].thread_id, f.thread);
	assert_string_equal(r[0].by.name, "carla");
	assert_string_equal(r[0].reason, "noemt een leerling");
	assert_string_equal(r[0].thread_title, "Stages in de regio");
	forum_report_free_array(r, n);
	/* Hiding the post closes its report; dismissing closes the other. */
	assert_ok(forum_set_hidden(f.ts.store, &eddy, FORUM_POST, f.reply, true, "naam", &e), &e);
	assert_ok(forum_reports_open(f.ts.store, &eddy, &r, &n, &e), &e);
	assert_int_equal(n, 1);
	assert_int_equal(r[0].id, r2);
	forum_report_free_array(r, n);
	assert_fails_with(forum_report_dismiss(f.ts.store, &bram, r2, "ok", &e), ERR_FORBIDDEN,
			  &e);
	assert_ok(forum_report_dismiss(f.ts.store, &eddy, r2, "niets aan de hand", &e), &e);
	assert_fails_with(forum_report_dismiss(f.ts.store, &eddy, r2, "nogmaals", &e),
			  ERR_CONFLICT, &e);
	assert_ok(forum_reports_open(f.ts.store, &eddy, &r, &n, &e), &e);
	assert_int_equal(n, 0);
	forum_report_free_array(r, n);
	struct forum_moderation *m;
	assert_ok(forum_moderation_log(f.ts.store, &eddy, 0, &m, &n, &e), &e);
	assert_int_equal(n, 2);
	assert_string_equal(m[0].action, "hide");
	assert_int_equal(m[0].post_id, f.reply);
	assert_string_equal(m[1].action, "dismiss");
	assert_int_equal(m[1].report_id, r2);
	forum_moderation_free_array(m, n);
	teardown(&f);
}

/* What an attacker types into every text field. */
#define EVIL "<script>alert(1)</script>\"><img src=x onerror=alert(2)>"

static void test_forum__html_escapes_every_text(void **state)
{
	(void)state;
	struct fixture f;
	struct err e = ERR_INIT;
	setup(&f);
	struct access evil = {"x" EVIL, "org" EVIL, "participant", NULL, "cli", "test", 0, 0, 0};
	int64_t id, first, second;
	assert_ok(forum_thread_start(f.ts.store, &f.fs, &evil, "alpha", "titel " EVIL,
				     "body " EVIL "\n\n[klik](javascript:alert(3)) "
				     "<a href=\"x\" onclick=\"alert(4)\">a</a>",
				     &id, &e),
		  &e);
	struct forum_thread t;
	assert_ok(forum_thread_get(f.ts.store, &evil, id, &t, &e), &e);
	first = t.posts[0].id;
	forum_thread_release(&t);
	assert_ok(forum_reply(f.ts.store, &f.fs, &evil, id, "reply " EVIL, first, &second, &e),
		  &e);
	assert_ok(forum_helpful(f.ts.store, &eddy, second, &e), &e);
	assert_ok(forum_thread_get(f.ts.store, &eddy, id, &t, &e), &e);
	struct buf html = BUF_INIT;
	forum_thread_html(&t, "en", &html);
	assert_null(strstr(html.data, "<script"));
	assert_null(strstr(html.data, "<img"));
	assert_null(strstr(html.data, "javascript:"));
	assert_null(strstr(html.data, "onclick"));
	assert_non_null(strstr(html.data, "titel &lt;script&gt;"));
	assert_non_null(strstr(html.data, "x&lt;script&gt;"));
	assert_non_null(strstr(html.data, "org&lt;script&gt;"));
	assert_non_null(strstr(html.data, "<blockquote"));
	buf_release(&html);
	/* The JSON carries the same safe HTML of each body. */
	json_t *j = forum_thread_json(&t);
	const char *body_html =
		json_string_value(json_object_get(json_array_get(json_object_get(j, "posts"), 1),
						  "body_html"));
	assert_non_null(body_html);
	assert_null(strstr(body_html, "<script"));
	json_decref(j);
	forum_thread_release(&t);
	teardown(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forum__reply_to_locked_thread_refused),
		cmocka_unit_test(test_forum__editor_role_among_several),
		cmocka_unit_test(test_forum__hidden_post_only_for_editors_and_author),
		cmocka_unit_test(test_forum__helpful_only_by_starter_or_editor),
		cmocka_unit_test(test_forum__quote_must_be_in_same_thread),
		cmocka_unit_test(test_forum__follow_counts_new_posts),
		cmocka_unit_test(test_forum__rate_limits_say_when),
		cmocka_unit_test(test_forum__bsn_in_post_refused),
		cmocka_unit_test(test_forum__move_changes_theme_and_is_logged),
		cmocka_unit_test(test_forum__reports_listed_for_editors),
		cmocka_unit_test(test_forum__html_escapes_every_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
