/*
 * GET /api/v1/persons and /api/v1/persons/{key} on a store filled through person_add: a page
 * without personal data, one person with the BSN masked, the audit entry every read leaves
 * under the logged-in user, and one 404 for every key that cannot be shown.
 */
#include "apitest.h"

#include <ctype.h>

#include "access/access.h"
#include "registry/person.h"

static char key_bsn[PSEUDONYM_HEX_SIZE];  /* a person with a BSN */
static char key_prov[PSEUDONYM_HEX_SIZE]; /* a provisional person */

static const char audit_sql[] =
	"SELECT actor, role, client, organisation, action FROM audit_log WHERE person_key = ? "
	"AND actor = 'tester' AND client = ? ORDER BY id";

static int setup(void **state)
{
	api_setup(state);
	api_login("tester", "leerplicht");
	struct err e = ERR_INIT;
	struct access who;
	access_cli_operator(&who);
	const struct person_input with_bsn = {
		.bsn = "111222333",
		.given_names = "Sanne",
		.surname = "van Dijk",
		/* Leerplichtig and living in Maastricht: in scope of the tester's leerplicht role
		 * at GM0935 (access/decide.h). */
		.birth_date = "2014-03-14",
		.municipality_code = "GM0935",
		.postcode = "6211AB",
		.street = "Markt",
		.house_number = "1",
		.city = "Maastricht",
		.email = "sanne@example.nl",
	};
	const struct person_input provisional = {
		.given_names = "Daan",
		.surname = "Jansen",
		.birth_date = "2013-11-02",
		.municipality_code = "GM0935",
		.postcode = "6411CD",
	};
	struct person p;
	if (person_add(ts.store, &ts.keys, &who, &with_bsn, &p, &e) < 0)
		fail_msg("person_add: %s", e.msg);
	memcpy(key_bsn, p.pkey, sizeof(key_bsn));
	person_release(&p);
	if (person_add(ts.store, &ts.keys, &who, &provisional, &p, &e) < 0)
		fail_msg("person_add: %s", e.msg);
	memcpy(key_prov, p.pkey, sizeof(key_prov));
	person_release(&p);
	return 0;
}

/* Only these fields may appear in the list: no BSN, name, address or contact. */
static void assert_summary_only(json_t *item)
{
	static const char *const allowed[] = {"key",	   "provisional",       "birth_date",
					      "postcode4", "municipality_code", "merged_into"};
	const char *k;
	json_t *v;
	json_object_foreach(item, k, v) {
		size_t i = 0;
		while (i < sizeof(allowed) / sizeof(allowed[0]) && strcmp(allowed[i], k) != 0)
			i++;
		if (i == sizeof(allowed) / sizeof(allowed[0]))
			fail_msg("the person list shows field '%s'", k);
	}
}

static void test_api_persons__list_is_a_page_without_pii(void **state)
{
	(void)state;
	json_t *j = get_json("/api/v1/persons", NULL, 0, 200);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 2);
	assert_int_equal(json_integer_value(json_object_get(j, "count")), 2);
	assert_int_equal(json_integer_value(json_object_get(j, "limit")), 50);
	assert_int_equal(json_integer_value(json_object_get(j, "offset")), 0);
	json_t *list = json_object_get(j, "persons");
	assert_int_equal(json_array_size(list), 2);
	json_t *first = json_array_get(list, 0), *second = json_array_get(list, 1);
	/* ordered by id: in the order they were added */
	assert_string_equal(jstr(first, "key"), key_bsn);
	assert_false(json_is_true(json_object_get(first, "provisional")));
	assert_string_equal(jstr(first, "birth_date"), "2014-03-14");
	assert_string_equal(jstr(first, "postcode4"), "6211");
	assert_true(json_is_null(json_object_get(first, "merged_into")));
	assert_string_equal(jstr(second, "key"), key_prov);
	assert_true(json_is_true(json_object_get(second, "provisional")));
	assert_summary_only(first);
	assert_summary_only(second);
	char *text = json_dumps(j, 0);
	assert_null(strstr(text, "Dijk"));
	assert_null(strstr(text, "111222333"));
	free(text);
	json_decref(j);
}

static void test_api_persons__paging(void **state)
{
	(void)state;
	const struct http_kv q[] = {{"limit", "1"}, {"offset", "1"}};
	json_t *j = get_json("/api/v1/persons", q, 2, 200);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 2);
	assert_int_equal(json_integer_value(json_object_get(j, "count")), 1);
	assert_int_equal(json_integer_value(json_object_get(j, "limit")), 1);
	assert_int_equal(json_integer_value(json_object_get(j, "offset")), 1);
	assert_string_equal(jstr(json_array_get(json_object_get(j, "persons"), 0), "key"),
			    key_prov);
	json_decref(j);

	const struct http_kv past[] = {{"offset", "10"}};
	j = get_json("/api/v1/persons", past, 1, 200);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 2);
	assert_int_equal(json_array_size(json_object_get(j, "persons")), 0);
	json_decref(j);
}

static int count_api_audit(const char *key, const char *client)
{
	struct err e = ERR_INIT;
	struct stmt *st;
	int n = 0, rc;
	assert_ok(store_prepare(ts.store, audit_sql, &st, &e), &e);
	stmt_bind_text(st, 1, key);
	stmt_bind_text(st, 2, client);
	while ((rc = stmt_step(st, &e)) == STORE_ROW) {
		assert_string_equal(stmt_text(st, 0), "tester");
		assert_string_equal(stmt_text(st, 1), "leerplicht");
		assert_string_equal(stmt_text(st, 2), client);
		assert_string_equal(stmt_text(st, 3), "municipality:GM0935");
		assert_string_equal(stmt_text(st, 4), "person.read");
		n++;
	}
	assert_ok(rc, &e);
	stmt_free(st);
	return n;
}

static void test_api_persons__one_person_opened_and_audited(void **state)
{
	(void)state;
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/persons/%s", key_bsn);
	int before = count_api_audit(key_bsn, "127.0.0.1");
	json_t *j = get_json(path, NULL, 0, 200);
	assert_string_equal(jstr(j, "key"), key_bsn);
	assert_string_equal(jstr(j, "bsn_masked"), "******333");
	assert_null(json_object_get(j, "bsn"));
	assert_string_equal(jstr(j, "given_names"), "Sanne");
	assert_string_equal(jstr(j, "surname_prefix"), "van");
	assert_string_equal(jstr(j, "surname"), "Dijk");
	assert_string_equal(jstr(j, "postcode"), "6211AB");
	assert_string_equal(jstr(j, "city"), "Maastricht");
	assert_string_equal(jstr(j, "email"), "sanne@example.nl");
	assert_true(json_is_null(json_object_get(j, "phone")));
	assert_string_equal(jstr(j, "birth_date"), "2014-03-14");
	char *text = json_dumps(j, 0);
	assert_null(strstr(text, "111222333"));
	free(text);
	json_decref(j);
	assert_int_equal(count_api_audit(key_bsn, "127.0.0.1"), before + 1);

	/* A provisional person has no BSN to mask; the key may come in upper case. */
	char upper[PSEUDONYM_HEX_SIZE];
	for (size_t i = 0; i < sizeof(upper); i++)
		upper[i] = (char)toupper((unsigned char)key_prov[i]);
	snprintf(path, sizeof(path), "/api/v1/persons/%s", upper);
	j = get_json(path, NULL, 0, 200);
	assert_string_equal(jstr(j, "key"), key_prov);
	assert_true(json_is_null(json_object_get(j, "bsn_masked")));
	assert_string_equal(jstr(j, "surname"), "Jansen");
	json_decref(j);
}

/* A key that does not exist and one of the wrong form get the very same answer. */
static void test_api_persons__unknown_keys_are_one_404(void **state)
{
	(void)state;
	char unknown[PSEUDONYM_HEX_SIZE];
	memcpy(unknown, key_bsn, sizeof(unknown));
	unknown[0] = unknown[0] == 'a' ? 'b' : 'a';
	char p1[128], p2[128];
	snprintf(p1, sizeof(p1), "/api/v1/persons/%s", unknown);
	snprintf(p2, sizeof(p2), "/api/v1/persons/%.20s", key_bsn);
	json_t *a = get_json(p1, NULL, 0, 404);
	json_t *b = get_json(p2, NULL, 0, 404);
	assert_string_equal(error_code(a), "not_found");
	assert_true(json_equal(a, b));
	assert_null(strstr(error_message(a), unknown));
	json_decref(a);
	json_decref(b);
	assert_int_equal(count_api_audit(unknown, "127.0.0.1"), 0);
}

/* The client address of the request is what the audit entry records. */
static void test_api_persons__audit_names_the_client(void **state)
{
	(void)state;
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/persons/%s", key_prov);
	struct req rq;
	struct resp rs;
	make_req(&rq, "GET", path, good_auth());
	rq.client = "::1";
	json_t *j = call(&rq, &rs);
	assert_int_equal(rs.status, 200);
	json_decref(j);
	resp_release(&rs);
	assert_int_equal(count_api_audit(key_prov, "::1"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_api_persons__list_is_a_page_without_pii),
		cmocka_unit_test(test_api_persons__paging),
		cmocka_unit_test(test_api_persons__one_person_opened_and_audited),
		cmocka_unit_test(test_api_persons__unknown_keys_are_one_404),
		cmocka_unit_test(test_api_persons__audit_names_the_client),
	};
	return cmocka_run_group_tests(tests, setup, api_teardown);
}
