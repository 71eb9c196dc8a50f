/*
 * User accounts: the password policy, argon2id hashing, the user-name rule, roles, and the
 * lifecycle of a user (add, get, list, disable, enable, new password, new roles), each change
 * audited without the password.
 */
#include "testutil.h"

#include "accounts/roles.h"
#include "accounts/session.h"
#include "accounts/users.h"
#include "audit/audit.h"
#include "registry/org.h"

static struct test_store ts;
static struct access operator_who;

static int setup(void **state)
{
	(void)state;
	struct err e = ERR_INIT;
	test_store_open(&ts);
	access_cli_operator(&operator_who);
	const struct org_input gm = {.kind = "municipality", .ident = "GM0935", .name = "Maastricht"};
	const struct org_input school = {.kind = "school", .ident = "12AB00", .name = "College",
					 .school_type = "VO"};
	assert_ok(org_add(ts.store, &gm, NULL, &e), &e);
	assert_ok(org_add(ts.store, &school, NULL, &e), &e);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	test_store_close(&ts);
	return 0;
}

static void test_accounts__password_policy(void **state)
{
	(void)state;
	const struct {
		const char *user, *password;
		bool ok;
		const char *says;
	} cases[] = {
		{"anna", "correct horse battery", true, NULL},
		{"anna", "twelve chars", true, NULL},
		{"anna", "eleven char", false, "fewer than 12"},
		{"anna", "", false, "fewer than 12"},
		{"anna", "ééééééééééé", false, "fewer than 12"}, /* 11 characters, 22 bytes */
		{"anna", "éééééééééééé", true, NULL},            /* 12 characters */
		{"anna", "my name is ANNA!", false, "contains the user name"},
		{"anna", "xxannaxxxxxxxx", false, "contains the user name"},
		{"bob", "tab\there and long", false, "control character"},
		{"bob", "line\nbreak and long", false, "control character"},
		{"bob", "\xff\xfe not utf-8 at all", false, "not valid UTF-8"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct err e = ERR_INIT;
		int rc = password_check(cases[i].user, cases[i].password, &e);
		if ((rc == 0) != cases[i].ok)
			fail_msg("case %zu: expected %s, got %s (%s)", i, cases[i].ok ? "ok" : "refused",
				 rc == 0 ? "ok" : "refused", e.msg);
		if (cases[i].says)
			assert_non_null(strstr(e.msg, cases[i].says));
		if (rc < 0 && cases[i].password[0])
			assert_null(strstr(e.msg, cases[i].password));
	}
	char longpw[PASSWORD_MAX_BYTES + 2];
	memset(longpw, 'a', sizeof(longpw) - 1);
	longpw[sizeof(longpw) - 1] = '\0';
	struct err e = ERR_INIT;
	assert_int_equal(password_check("bob", longpw, &e), -1);
	assert_non_null(strstr(e.msg, "longer than"));
}

static void test_accounts__hash_round_trip(void **state)
{
	(void)state;
	struct err e = ERR_INIT;
	char a[PASSWORD_HASH_SIZE], b[PASSWORD_HASH_SIZE];
	assert_ok(password_hash("correct horse battery", a, &e), &e);
	assert_ok(password_hash("correct horse battery", b, &e), &e);
	assert_int_equal(strncmp(a, "$argon2id$", 10), 0);
	assert_non_null(strstr(a, "m=65536,t=2,p=1")); /* the interactive limits */
	assert_string_not_equal(a, b);                  /* a salt of its own each time */
	assert_null(strstr(a, "correct"));
	assert_true(password_verify(a, "correct horse battery"));
	assert_true(password_verify(b, "correct horse battery"));
	assert_false(password_verify(a, "correct horse batter"));
	assert_false(password_verify(a, "Correct horse battery"));
	assert_false(password_verify(a, ""));
	assert_false(password_verify("not a hash", "correct horse battery"));
	assert_false(password_verify_dummy("correct horse battery"));
}

static void test_accounts__user_names(void **state)
{
	(void)state;
	const struct {
		const char *name, *folded;
	} cases[] = {
		{"anna", "anna"},  {"Anna.de-Vries", "anna.de-vries"}, {"a@b.nl", "a@b.nl"},
		{"x1", "x1"},      {"a", NULL},                         {".anna", NULL},
		{"an na", NULL},   {"anné", NULL},                      {"", NULL},
		{"a/b", NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct err e = ERR_INIT;
		char folded[USER_NAME_MAX + 1];
		int rc = user_name_check(cases[i].name, folded, &e);
		if (cases[i].folded) {
			assert_ok(rc, &e);
			assert_string_equal(folded, cases[i].folded);
		} else {
			if (rc == 0)
				fail_msg("'%s' was accepted", cases[i].name);
			assert_int_equal(e.code, ERR_INVALID);
		}
	}
	char longname[USER_NAME_MAX + 2];
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	char folded[USER_NAME_MAX + 1];
	assert_int_equal(user_name_check(longname, folded, NULL), -1);
}

static void test_accounts__roles(void **state)
{
	(void)state;
	struct err e = ERR_INIT;
	unsigned r;
	char text[ROLES_TEXT_SIZE];
	assert_ok(roles_parse("rmc, Leerplicht,rmc", &r, &e), &e);
	assert_int_equal(r, ROLE_RMC | ROLE_LEERPLICHT);
	roles_format(r, text);
	assert_string_equal(text, "leerplicht,rmc");
	roles_format(ROLE_ALL, text);
	assert_string_equal(text, "leerplicht,rmc,school,care,jobcoach,policy,admin,auditor,editor");
	assert_ok(roles_parse(text, &r, &e), &e);
	assert_int_equal(r, ROLE_ALL);
	assert_int_equal(roles_parse("rmc,wizard", &r, &e), -1);
	assert_non_null(strstr(e.msg, "'wizard'"));
	assert_int_equal(roles_parse(" , ", &r, &e), -1);
	assert_int_equal(roles_parse(NULL, &r, &e), -1);
	assert_true(roles_may_see_persons(ROLE_SCHOOL));
	assert_true(roles_may_see_persons(ROLE_ADMIN | ROLE_CARE));
	assert_false(roles_may_see_persons(ROLE_POLICY));
	assert_false(roles_may_see_persons(ROLE_ADMIN | ROLE_AUDITOR | ROLE_EDITOR));
	assert_false(roles_may_see_persons(0));
	assert_string_equal(role_name(ROLE_JOBCOACH), "jobcoach");
	assert_null(role_name(ROLE_RMC | ROLE_CARE));
}

/* The actions of the audit entries with no person key, in order, joined by spaces. */
static void audit_actions(char *out, size_t size)
{
	struct err e = ERR_INIT;
	struct stmt *st;
	size_t used = 0;
	out[0] = '\0';
	assert_ok(store_prepare(ts.store,
				"SELECT action, detail FROM audit_log WHERE action LIKE 'user.%' "
				"AND person_key IS NULL ORDER BY id",
				&st, &e),
		  &e);
	int rc;
	while ((rc = stmt_step(st, &e)) == STORE_ROW) {
		assert_null(strstr(stmt_text(st, 1), "horse"));
		used += (size_t)snprintf(out + used, size - used, "%s%s", used ? " " : "",
					 stmt_text(st, 0));
	}
	assert_ok(rc, &e);
	stmt_free(st);
}

static void test_accounts__user_lifecycle(void **state)
{
	(void)state;
	struct err e = ERR_INIT;
	struct user u;
	const struct user_input in = {"Karin", "Karin Jansen", "school:12AB00", ROLE_SCHOOL,
				      "correct horse battery"};
	assert_ok(user_add(ts.store, &operator_who, &in, &u, &e), &e);
	assert_string_equal(u.username, "karin");
	assert_string_equal(u.display_name, "Karin Jansen");
	assert_string_equal(u.organisation, "school:12AB00");
	assert_string_equal(u.organisation_name, "College");
	assert_int_equal(u.roles, ROLE_SCHOOL);
	assert_false(u.disabled);
	user_release(&u);

	assert_int_equal(user_add(ts.store, &operator_who, &in, NULL, &e), -1);
	assert_int_equal(e.code, ERR_CONFLICT);
	struct user_input bad = in;
	bad.username = "piet";
	bad.organisation = "school:99ZZ99";
	assert_int_equal(user_add(ts.store, &operator_who, &bad, NULL, &e), -1);
	assert_int_equal(e.code, ERR_NOTFOUND);
	bad.organisation = "municipality:GM0935";
	bad.roles = 0;
	assert_int_equal(user_add(ts.store, &operator_who, &bad, NULL, &e), -1);
	assert_int_equal(e.code, ERR_INVALID);
	bad.roles = ROLE_POLICY;
	bad.password = "piet's password";
	assert_int_equal(user_add(ts.store, &operator_who, &bad, NULL, &e), -1);
	assert_non_null(strstr(e.msg, "contains the user name"));

	assert_ok(user_set_disabled(ts.store, &operator_who, "KARIN", true, &e), &e);
	assert_ok(user_get(ts.store, "karin", &u, &e), &e);
	assert_true(u.disabled);
	user_release(&u);
	assert_ok(user_set_disabled(ts.store, &operator_who, "karin", false, &e), &e);
	assert_ok(user_set_roles(ts.store, &operator_who, "karin", ROLE_CARE | ROLE_RMC, &e), &e);
	assert_ok(user_set_password(ts.store, &operator_who, "karin", "a brand new secret", &e),
		  &e);
	assert_int_equal(user_set_password(ts.store, &operator_who, "karin", "short", &e), -1);
	assert_int_equal(user_set_disabled(ts.store, &operator_who, "nobody", true, &e), -1);
	assert_int_equal(e.code, ERR_NOTFOUND);
	assert_ok(user_get(ts.store, "karin", &u, &e), &e);
	assert_false(u.disabled);
	assert_int_equal(u.roles, ROLE_CARE | ROLE_RMC);
	user_release(&u);

	struct user *list;
	size_t n;
	assert_ok(user_list(ts.store, &list, &n, &e), &e);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].roles, ROLE_CARE | ROLE_RMC);
	user_free_array(list, n);

	char actions[256];
	audit_actions(actions, sizeof(actions));
	assert_string_equal(actions, "user.add user.disable user.enable user.roles user.passwd");
	struct audit_verify_result vr;
	assert_ok(audit_verify(ts.store, NULL, &vr, &e), &e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accounts__password_policy),
		cmocka_unit_test(test_accounts__hash_round_trip),
		cmocka_unit_test(test_accounts__user_names),
		cmocka_unit_test(test_accounts__roles),
		cmocka_unit_test(test_accounts__user_lifecycle),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
