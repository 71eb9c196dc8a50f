/*
 * Logging in and sessions, with the accounts clock under the test's control: the lock-out
 * and its growing delay, one outcome and alike time for a wrong user and a wrong password,
 * the session cookie, idle and absolute expiry, the CSRF rule, logout, and disabled users —
 * through session.h and through the HTTP dispatcher; and the per-thread session cache, which
 * must follow every change at once.
 */
#include "apitest.h"

#include <ctype.h>
#include <time.h>

#include "accounts/roles.h"
#include "http/auth.h"

static const char pw[] = "correct horse battery staple";
static int64_t fake_now = 1800000000;

static int64_t fake_clock(void)
{
	return fake_now;
}

static int setup(void **state)
{
	api_setup(state);
	accounts_clock = fake_clock;
	api_login("tester", "leerplicht"); /* adds the organisation too */
	struct err e = ERR_INIT;
	struct access who;
	access_cli_operator(&who);
	const char *names[] = {"anna", "bert", "cees", "dora"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const struct user_input in = {names[i], NULL, "municipality:GM0935", ROLE_RMC, pw};
		assert_ok(user_add(ts.store, &who, &in, NULL, &e), &e);
	}
	return 0;
}

static enum login_outcome try_login(const char *user, const char *password, int64_t *retry)
{
	struct err e = ERR_INIT;
	enum login_outcome outcome;
	struct session_info si;
	int64_t r;
	assert_ok(session_login(ts.store, &app.sessions, user, password, "127.0.0.1", &outcome,
				retry ? retry : &r, &si, &e),
		  &e);
	return outcome;
}

static void test_session__lockout_holds_until_the_delay_passes(void **state)
{
	(void)state;
	int64_t retry;
	for (int i = 1; i <= 4; i++)
		assert_int_equal(try_login("anna", "wrong password!", NULL), LOGIN_REFUSED);
	/* The fifth failure is still refused as a failure, and locks. */
	assert_int_equal(try_login("anna", "wrong password!", NULL), LOGIN_REFUSED);
	assert_int_equal(try_login("anna", pw, &retry), LOGIN_LOCKED);
	assert_int_equal(retry, LOGIN_LOCK_FIRST);
	fake_now += LOGIN_LOCK_FIRST - 1;
	assert_int_equal(try_login("anna", pw, &retry), LOGIN_LOCKED);
	assert_int_equal(retry, 1);
	fake_now += 1;
	assert_int_equal(try_login("anna", pw, NULL), LOGIN_OK);
	/* The good login reset the count: four failures do not lock. */
	for (int i = 1; i <= 4; i++)
		assert_int_equal(try_login("anna", "wrong password!", NULL), LOGIN_REFUSED);
	assert_int_equal(try_login("anna", pw, NULL), LOGIN_OK);
}

static void test_session__lock_grows_and_is_capped(void **state)
{
	(void)state;
	int64_t retry, expect = LOGIN_LOCK_FIRST;
	for (int i = 1; i <= LOGIN_MAX_FAILURES; i++)
		try_login("bert", "wrong password!", NULL);
	for (int round = 0; round < 10; round++) {
		assert_int_equal(try_login("bert", pw, &retry), LOGIN_LOCKED);
		assert_int_equal(retry, expect);
		fake_now += retry;
		/* One more failure after the lock: twice as long, up to an hour. */
		assert_int_equal(try_login("bert", "wrong password!", NULL), LOGIN_REFUSED);
		expect = expect * 2 > LOGIN_LOCK_MAX ? LOGIN_LOCK_MAX : expect * 2;
	}
	assert_int_equal(expect, LOGIN_LOCK_MAX);
	assert_int_equal(try_login("bert", pw, &retry), LOGIN_LOCKED);
	assert_int_equal(retry, LOGIN_LOCK_MAX);
	/* The operator lifts it. */
	struct err e = ERR_INIT;
	struct access who;
	access_cli_operator(&who);
	assert_ok(user_set_disabled(ts.store, &who, "bert", false, &e), &e);
	assert_int_equal(try_login("bert", pw, NULL), LOGIN_OK);
	/* One session.locked entry per lock. */
	int64_t n;
	assert_ok(store_query_int64(ts.store,
				    "SELECT count(*) FROM audit_log WHERE action = 'session.locked' "
				    "AND actor = 'bert'",
				    &n, &e),
		  &e);
	assert_int_equal(n, 11);
}

static double seconds_of(const char *user, const char *password)
{
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	assert_int_equal(try_login(user, password, NULL), LOGIN_REFUSED);
	clock_gettime(CLOCK_MONOTONIC, &b);
	return (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void test_session__wrong_user_and_wrong_password_alike(void **state)
{
	(void)state;
	enum { TRIES = 11 };
	double user[TRIES], pass[TRIES];
	seconds_of("nobody-warm-up", pw); /* the dummy hash is made on first use */
	for (int i = 0; i < TRIES; i++) {
		char name[32];
		snprintf(name, sizeof(name), "nobody-%d", i);
		user[i] = seconds_of(name, pw);
		pass[i] = seconds_of("cees", "not the right password");
		assert_int_equal(try_login("cees", pw, NULL), LOGIN_OK); /* no lock-out */
	}
	qsort(user, TRIES, sizeof(double), cmp_double);
	qsort(pass, TRIES, sizeof(double), cmp_double);
	double ratio = user[TRIES / 2] / pass[TRIES / 2];
	print_message("# median wrong user %.1f ms, wrong password %.1f ms, ratio %.2f\n",
		      user[TRIES / 2] * 1e3, pass[TRIES / 2] * 1e3, ratio);
	if (ratio < 0.5 || ratio > 2.0)
		fail_msg("wrong user and wrong password differ: ratio %.2f", ratio);
	/* Both do the argon2id work. */
	assert_true(user[TRIES / 2] > 0.005 && pass[TRIES / 2] > 0.005);
}

/* A request with `cookie` (may be NULL) and `csrf` (may be NULL). */
static json_t *session_call(const char *method, const char *path, const char *cookie,
			    const char *csrf, struct resp *rs)
{
	struct req rq;
	make_req(&rq, method, path, NULL);
	rq.cookie = cookie;
	rq.csrf_token = csrf;
	return call(&rq, rs);
}

/* Log `user` in through POST /api/v1/session; fills the cookie header and CSRF token. */
static void http_login(const char *user, bool tls, char *cookie, size_t size, char *csrf,
		       char *set_cookie, size_t set_size)
{
	char body[256];
	snprintf(body, sizeof(body), "{\"username\":\"%s\",\"password\":\"%s\"}", user, pw);
	struct req rq;
	struct resp rs;
	make_req(&rq, "POST", "/api/v1/session", NULL);
	rq.content_type = "application/json";
	rq.body = body;
	rq.body_len = strlen(body);
	rq.tls = tls;
	json_t *j = call(&rq, &rs);
	if (rs.status != 200)
		fail_msg("login of %s: %d %s", user, rs.status, rs.body.data);
	const char *sc = resp_header_get(&rs, "Set-Cookie");
	assert_non_null(sc);
	snprintf(set_cookie, set_size, "%s", sc);
	snprintf(cookie, size, "%.*s", (int)strcspn(sc, ";"), sc);
	snprintf(csrf, SESSION_TOKEN_HEX_SIZE, "%s", jstr(j, "csrf_token"));
	json_decref(j);
	resp_release(&rs);
}

static int status_of(const char *method, const char *path, const char *cookie, const char *csrf)
{
	struct resp rs;
	json_t *j = session_call(method, path, cookie, csrf, &rs);
	int status = rs.status;
	json_decref(j);
	resp_release(&rs);
	return status;
}

static void test_session__cookie_attributes(void **state)
{
	(void)state;
	char cookie[128], csrf[SESSION_TOKEN_HEX_SIZE], set[256];
	http_login("dora", false, cookie, sizeof(cookie), csrf, set, sizeof(set));
	assert_int_equal(strncmp(set, "inbeeld_session=", 16), 0);
	assert_int_equal(strspn(set + 16, "0123456789abcdef"), 64);
	assert_non_null(strstr(set, "; HttpOnly"));
	assert_non_null(strstr(set, "; SameSite=Strict"));
	assert_non_null(strstr(set, "; Path=/"));
	assert_null(strstr(set, "Secure"));
	assert_int_equal(strlen(csrf), 64);
	http_login("dora", true, cookie, sizeof(cookie), csrf, set, sizeof(set));
	assert_non_null(strstr(set, "; Secure"));
	/* Another cookie beside it does not confuse the lookup. */
	char two[256];
	snprintf(two, sizeof(two), "lang=en; %s; other=1", cookie);
	assert_int_equal(status_of("GET", "/api/v1/session", two, NULL), 200);
}

static void test_session__idle_and_absolute_expiry(void **state)
{
	(void)state;
	char cookie[128], csrf[SESSION_TOKEN_HEX_SIZE], set[256];
	http_login("dora", false, cookie, sizeof(cookie), csrf, set, sizeof(set));
	assert_int_equal(status_of("GET", "/api/v1/session", cookie, NULL), 200);
	/* Requests 29 minutes apart keep it alive … */
	for (int i = 0; i < 3; i++) {
		fake_now += 29 * 60;
		assert_int_equal(status_of("GET", "/api/v1/persons", cookie, NULL), 200);
	}
	/* … 30 minutes without one end it. */
	fake_now += 30 * 60;
	struct resp rs;
	json_t *j = session_call("GET", "/api/v1/persons", cookie, NULL, &rs);
	assert_int_equal(rs.status, 401);
	assert_non_null(strstr(error_message(j), "without requests"));
	json_decref(j);
	resp_release(&rs);

	/* However busy, a session ends 12 hours after the login. */
	http_login("dora", false, cookie, sizeof(cookie), csrf, set, sizeof(set));
	int64_t start = fake_now;
	while (fake_now + 20 * 60 < start + SESSION_MAX_DEFAULT) {
		fake_now += 20 * 60;
		assert_int_equal(status_of("GET", "/api/v1/session", cookie, NULL), 200);
	}
	fake_now = start + SESSION_MAX_DEFAULT;
	j = session_call("GET", "/api/v1/session", cookie, NULL, &rs);
	assert_int_equal(rs.status, 401);
	assert_non_null(strstr(error_message(j), "maximum time"));
	json_decref(j);
	resp_release(&rs);
}

static void test_session__csrf_and_logout(void **state)
{
	(void)state;
	char cookie[128], csrf[SESSION_TOKEN_HEX_SIZE], set[256], other[SESSION_TOKEN_HEX_SIZE];
	http_login("anna", false, cookie, sizeof(cookie), other, set, sizeof(set));
	http_login("dora", false, cookie, sizeof(cookie), csrf, set, sizeof(set));
	/* A stolen cookie without the token, with a wrong one, with another session's. */
	assert_int_equal(status_of("DELETE", "/api/v1/session", cookie, NULL), 403);
	assert_int_equal(status_of("DELETE", "/api/v1/session", cookie, "00"), 403);
	assert_int_equal(status_of("DELETE", "/api/v1/session", cookie, other), 403);
	char upper[SESSION_TOKEN_HEX_SIZE];
	for (size_t i = 0; i < sizeof(upper); i++)
		upper[i] = (char)toupper((unsigned char)csrf[i]);
	assert_int_equal(status_of("DELETE", "/api/v1/session", cookie, upper), 403);
	assert_int_equal(status_of("GET", "/api/v1/session", cookie, NULL), 200);
	/* A form post carries it as csrf_token. */
	char form[128];
	snprintf(form, sizeof(form), "a=1&csrf_token=%s&b=2", csrf);
	struct req rq;
	struct resp rs;
	make_req(&rq, "DELETE", "/api/v1/session", NULL);
	rq.cookie = cookie;
	rq.content_type = "application/x-www-form-urlencoded";
	rq.body = form;
	rq.body_len = strlen(form);
	json_t *j = call(&rq, &rs);
	assert_int_equal(rs.status, 200);
	assert_non_null(strstr(resp_header_get(&rs, "Set-Cookie"), "Max-Age=0"));
	json_decref(j);
	resp_release(&rs);
	/* Logged out: the cookie is dead. */
	assert_int_equal(status_of("GET", "/api/v1/session", cookie, NULL), 401);
	assert_int_equal(status_of("GET", "/api/v1/persons", cookie, NULL), 401);
}

static void test_session__disabled_user(void **state)
{
	(void)state;
	char cookie[128], csrf[SESSION_TOKEN_HEX_SIZE], set[256];
	struct err e = ERR_INIT;
	struct access who;
	access_cli_operator(&who);
	http_login("anna", false, cookie, sizeof(cookie), csrf, set, sizeof(set));
	assert_ok(user_set_disabled(ts.store, &who, "anna", true, &e), &e);
	assert_int_equal(status_of("GET", "/api/v1/session", cookie, NULL), 401);
	assert_int_equal(try_login("anna", pw, NULL), LOGIN_REFUSED);
	assert_ok(user_set_disabled(ts.store, &who, "anna", false, &e), &e);
	assert_int_equal(try_login("anna", pw, NULL), LOGIN_OK);
	/* A new password ends the sessions too. */
	http_login("anna", false, cookie, sizeof(cookie), csrf, set, sizeof(set));
	assert_ok(user_set_password(ts.store, &who, "anna", "another fine secret", &e), &e);
	assert_int_equal(status_of("GET", "/api/v1/session", cookie, NULL), 401);
}

static void test_session__roles_on_routes(void **state)
{
	(void)state;
	struct err e = ERR_INIT;
	struct access who;
	access_cli_operator(&who);
	char cookie[128], csrf[SESSION_TOKEN_HEX_SIZE], set[256];
	const struct {
		unsigned roles;
		int persons, users;
	} cases[] = {
		{ROLE_LEERPLICHT, 200, 403}, {ROLE_RMC, 200, 403},    {ROLE_SCHOOL, 200, 403},
		{ROLE_CARE, 200, 403},       {ROLE_JOBCOACH, 200, 403}, {ROLE_POLICY, 403, 403},
		{ROLE_ADMIN, 403, 200},      {ROLE_AUDITOR, 403, 403},  {ROLE_EDITOR, 403, 403},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_ok(user_set_roles(ts.store, &who, "dora", cases[i].roles, &e), &e);
		http_login("dora", false, cookie, sizeof(cookie), csrf, set, sizeof(set));
		if (status_of("GET", "/api/v1/persons", cookie, NULL) != cases[i].persons ||
		    status_of("GET", "/api/v1/users", cookie, NULL) != cases[i].users)
			fail_msg("roles %s: persons or users answered otherwise",
				 role_name(cases[i].roles));
		assert_int_equal(status_of("GET", "/api/v1/organisations", cookie, NULL), 200);
	}
	/* Without a session: 401 before anything else. */
	assert_int_equal(status_of("GET", "/api/v1/persons", NULL, NULL), 401);
	assert_int_equal(status_of("GET", "/api/v1/users", NULL, NULL), 401);
	assert_int_equal(status_of("GET", "/api/v1/persons", "inbeeld_session=zz", NULL), 401);
}

/* Look `token` up in the test's store under policy `p`; the outcome, with *out filled. */
static int lookup(const struct session_policy *p, const char *token, struct session_info *out,
		  struct err *e)
{
	*e = (struct err)ERR_INIT;
	return session_lookup(ts.store, p, token, out, e);
}

static void expect_hits(unsigned long hits, unsigned long misses, unsigned long flushes,
			const struct session_cache_stats *base)
{
	struct session_cache_stats now;
	session_cache_stats(&now);
	if (now.hits - base->hits != hits || now.misses - base->misses != misses ||
	    now.flushes - base->flushes != flushes)
		fail_msg("session cache: %lu hits, %lu misses, %lu flushes; expected %lu, %lu, %lu",
			 now.hits - base->hits, now.misses - base->misses,
			 now.flushes - base->flushes, hits, misses, flushes);
}

/*
 * The session cache (session_lookup): a session looked up again is served from the thread's
 * cache; a change made through another connection (another process) — a role, the disabled
 * flag set by a bare UPDATE, a logout — counts at the very next lookup; recording the use
 * does not empty it.
 */
static void test_session__cache_follows_changes_elsewhere(void **state)
{
	(void)state;
	struct err e = ERR_INIT;
	struct store *other;
	struct session_info si, got;
	struct session_cache_stats base;
	enum login_outcome outcome;
	int64_t retry;
	struct access who;
	access_cli_operator(&who);
	assert_ok(store_open_again(ts.store, &other, &e), &e);
	assert_ok(session_login(ts.store, &app.sessions, "cees", pw, "127.0.0.1", &outcome, &retry,
				&si, &e),
		  &e);
	assert_int_equal(outcome, LOGIN_OK);
	assert_ok(lookup(&app.sessions, si.token, &got, &e), &e);
	session_cache_stats(&base);
	assert_ok(lookup(&app.sessions, si.token, &got, &e), &e);
	expect_hits(1, 0, 0, &base);
	assert_int_equal(got.roles, ROLE_RMC);
	assert_int_equal(got.id, si.id);
	assert_string_equal(got.csrf, si.csrf);
	assert_string_equal(got.username, "cees");

	/* A role given elsewhere is there at the next lookup. */
	assert_ok(store_exec(other,
			     "INSERT INTO user_roles (user_id, role) SELECT id, 'school' FROM users"
			     " WHERE username = 'cees'",
			     &e),
		  &e);
	session_cache_stats(&base);
	assert_ok(lookup(&app.sessions, si.token, &got, &e), &e);
	assert_int_equal(got.roles, ROLE_RMC | ROLE_SCHOOL);
	expect_hits(0, 1, 1, &base);
	assert_ok(lookup(&app.sessions, si.token, &got, &e), &e);
	expect_hits(1, 1, 1, &base);

	/* A minute on the use is recorded (a lookup in the store), which empties nothing. */
	fake_now += SESSION_TOUCH_SECONDS;
	session_cache_stats(&base);
	assert_ok(lookup(&app.sessions, si.token, &got, &e), &e);
	assert_ok(lookup(&app.sessions, si.token, &got, &e), &e);
	expect_hits(1, 1, 0, &base);

	/* Disabled by a bare update of the flag, from elsewhere: refused at once. */
	assert_ok(store_exec(other, "UPDATE users SET disabled = 1 WHERE username = 'cees'", &e),
		  &e);
	assert_int_equal(lookup(&app.sessions, si.token, &got, &e), -1);
	assert_int_equal(e.code, ERR_NOTFOUND);
	assert_non_null(strstr(e.msg, "ended"));
	assert_int_equal(got.user_id, 0);
	assert_ok(store_exec(other, "UPDATE users SET disabled = 0 WHERE username = 'cees'", &e),
		  &e);
	assert_ok(lookup(&app.sessions, si.token, &got, &e), &e);

	/* A logout elsewhere. */
	assert_ok(session_logout(other, &who, si.id, &e), &e);
	assert_int_equal(lookup(&app.sessions, si.token, &got, &e), -1);
	assert_non_null(strstr(e.msg, "ended"));
	store_close(other);
}

/* A session served from the cache still ends at its maximum time and after its idle time. */
static void test_session__cache_keeps_the_expiry(void **state)
{
	(void)state;
	struct err e = ERR_INIT;
	struct session_info si, got;
	struct session_cache_stats base;
	enum login_outcome outcome;
	int64_t retry;
	/* Shorter than the minute after which a use is recorded, so that hits meet the end. */
	const struct session_policy shortmax = {.idle_seconds = 1800, .max_seconds = 50};
	const struct session_policy shortidle = {.idle_seconds = 20, .max_seconds = 3600};
	assert_ok(session_login(ts.store, &shortmax, "cees", pw, "127.0.0.1", &outcome, &retry, &si,
				&e),
		  &e);
	assert_ok(lookup(&shortmax, si.token, &got, &e), &e);
	session_cache_stats(&base);
	fake_now += 49;
	assert_ok(lookup(&shortmax, si.token, &got, &e), &e);
	expect_hits(1, 0, 0, &base);
	assert_int_equal(got.expires_at, si.created_at + 50);
	fake_now += 1;
	assert_int_equal(lookup(&shortmax, si.token, &got, &e), -1);
	assert_non_null(strstr(e.msg, "maximum time"));

	assert_ok(session_login(ts.store, &shortidle, "cees", pw, "127.0.0.1", &outcome, &retry,
				&si, &e),
		  &e);
	assert_ok(lookup(&shortidle, si.token, &got, &e), &e);
	session_cache_stats(&base);
	fake_now += 19;
	assert_ok(lookup(&shortidle, si.token, &got, &e), &e);
	expect_hits(1, 0, 0, &base);
	/* The hit recorded no use: 20 seconds after the last recorded one the session is over. */
	fake_now += 1;
	assert_int_equal(lookup(&shortidle, si.token, &got, &e), -1);
	assert_non_null(strstr(e.msg, "without requests"));
}

static void test_session__cookie_parsing(void **state)
{
	(void)state;
	char v[80];
	assert_true(http_cookie_value("inbeeld_session=abc", "inbeeld_session", v, sizeof(v)));
	assert_string_equal(v, "abc");
	assert_true(http_cookie_value("a=1; inbeeld_session=xyz; b=2", "inbeeld_session", v,
				      sizeof(v)));
	assert_string_equal(v, "xyz");
	assert_false(http_cookie_value("xinbeeld_session=1", "inbeeld_session", v, sizeof(v)));
	assert_false(http_cookie_value("inbeeld_sessionx=1", "inbeeld_session", v, sizeof(v)));
	assert_false(http_cookie_value(NULL, "inbeeld_session", v, sizeof(v)));
	assert_false(http_cookie_value("inbeeld_session=0123456789", "inbeeld_session", v, 4));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_session__lockout_holds_until_the_delay_passes),
		cmocka_unit_test(test_session__lock_grows_and_is_capped),
		cmocka_unit_test(test_session__wrong_user_and_wrong_password_alike),
		cmocka_unit_test(test_session__cookie_attributes),
		cmocka_unit_test(test_session__idle_and_absolute_expiry),
		cmocka_unit_test(test_session__csrf_and_logout),
		cmocka_unit_test(test_session__disabled_user),
		cmocka_unit_test(test_session__roles_on_routes),
		cmocka_unit_test(test_session__cookie_parsing),
		cmocka_unit_test(test_session__cache_follows_changes_elsewhere),
		cmocka_unit_test(test_session__cache_keeps_the_expiry),
	};
	return cmocka_run_group_tests(tests, setup, api_teardown);
}
