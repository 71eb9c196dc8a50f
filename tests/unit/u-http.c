/*
 * The HTTP dispatcher without a socket: routing, path and query parameters, 404 and 405,
 * the token and session rules, security headers, error mapping, and what the access log
 * shows of a path.
 */
#include "apitest.h"

static void test_http__healthz_answers_with_backend(void **state)
{
	(void)state;
	struct req rq;
	struct resp rs;
	make_req(&rq, "GET", "/healthz", NULL);
	json_t *j = call(&rq, &rs);
	assert_int_equal(rs.status, 200);
	assert_string_equal(json_string_value(json_object_get(j, "status")), "ok");
	assert_string_equal(json_string_value(json_object_get(j, "backend")),
			    test_backend_is_pg() ? "postgresql" : "sqlite");
	assert_string_equal(rs.content_type, "application/json");
	json_decref(j);
	resp_release(&rs);
}

static void test_http__healthz_without_store_is_503(void **state)
{
	(void)state;
	struct req rq;
	struct resp rs;
	make_req(&rq, "GET", "/healthz", NULL);
	rq.store = NULL;
	json_t *j = call(&rq, &rs);
	assert_int_equal(rs.status, 503);
	assert_string_equal(json_string_value(json_object_get(j, "status")), "unavailable");
	assert_string_equal(error_code(j), "unavailable");
	json_decref(j);
	resp_release(&rs);
}

static void test_http__version_needs_no_token(void **state)
{
	(void)state;
	struct req rq;
	struct resp rs;
	make_req(&rq, "GET", "/api/v1/version", NULL);
	json_t *j = call(&rq, &rs);
	assert_int_equal(rs.status, 200);
	assert_non_null(json_string_value(json_object_get(j, "version")));
	assert_string_equal(json_string_value(json_object_get(j, "api")), "v1");
	assert_true(json_integer_value(json_object_get(j, "schema_version")) >= 1);
	json_decref(j);
	resp_release(&rs);
}

/* Every way of not presenting the token, on a route that exists and one that does not. */
static void test_http__token_rule(void **state)
{
	(void)state;
	char wrong[16 + HTTP_TOKEN_HEX_SIZE], lower[16 + HTTP_TOKEN_HEX_SIZE];
	char other[HTTP_TOKEN_HEX_SIZE], longer[32 + HTTP_TOKEN_HEX_SIZE];
	http_token_generate(other);
	snprintf(wrong, sizeof(wrong), "Bearer %s", other);
	snprintf(lower, sizeof(lower), "bearer %s", app.token);
	snprintf(longer, sizeof(longer), "Bearer %s0", app.token);
	char prefix[16 + HTTP_TOKEN_HEX_SIZE];
	snprintf(prefix, sizeof(prefix), "Bearer %.63s", app.token);
	const struct {
		const char *path, *auth;
		int status;
	} cases[] = {
		{"/api/v1/persons", NULL, 401},
		{"/api/v1/persons", wrong, 401},
		{"/api/v1/persons", longer, 401},
		{"/api/v1/persons", prefix, 401},
		{"/api/v1/persons", app.token, 401}, /* no scheme */
		{"/api/v1/persons", "Basic dXNlcjpwYXNz", 401},
		{"/api/v1/persons", lower, 401}, /* persons take a session, never the token */
		{"/api/v1/regions", lower, 200},
		{"/api/v1/regions", good_auth(), 200},
		{"/api/v1/persons", good_auth(), 200}, /* with the session */
		{"/api/v1/no-such-thing", NULL, 401},
		{"/api/v1/no-such-thing", good_auth(), 404},
		{"/healthz", wrong, 200},
		{"/api/v1/version", wrong, 200},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct req rq;
		struct resp rs;
		make_req(&rq, "GET", cases[i].path, cases[i].auth);
		json_t *j = call(&rq, &rs);
		if (rs.status != cases[i].status)
			fail_msg("case %zu: GET %s: expected %d, got %d: %s", i, cases[i].path,
				 cases[i].status, rs.status, rs.body.data);
		if (rs.status == 401) {
			assert_string_equal(error_code(j), "unauthorized");
			assert_non_null(resp_header_get(&rs, "WWW-Authenticate"));
		}
		json_decref(j);
		resp_release(&rs);
	}
}

static void test_http__wrong_method_is_405_with_allow(void **state)
{
	(void)state;
	struct req rq;
	struct resp rs;
	make_req(&rq, "DELETE", "/api/v1/persons", good_auth());
	json_t *j = call(&rq, &rs);
	assert_int_equal(rs.status, 405);
	assert_string_equal(error_code(j), "method_not_allowed");
	assert_string_equal(resp_header_get(&rs, "Allow"), "GET, HEAD");
	json_decref(j);
	resp_release(&rs);

	make_req(&rq, "HEAD", "/api/v1/version", NULL);
	j = call(&rq, &rs);
	assert_int_equal(rs.status, 200);
	json_decref(j);
	resp_release(&rs);
}

static void test_http__unknown_route_is_404_json(void **state)
{
	(void)state;
	const char *paths[] = {"/api/v1/persons/", "/api/v1", "/api/v2/persons",
			       "/api/v1/persons/a/b"};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct req rq;
		struct resp rs;
		make_req(&rq, "GET", paths[i], good_auth());
		json_t *j = call(&rq, &rs);
		if (rs.status != 404)
			fail_msg("GET %s: expected 404, got %d", paths[i], rs.status);
		assert_string_equal(error_code(j), "not_found");
		json_decref(j);
		resp_release(&rs);
	}
}

static void test_http__unknown_page_is_404_html(void **state)
{
	(void)state;
	const char *paths[] = {"/no-such-thing", "/nowhere/deeper"};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct req rq;
		struct resp rs;
		make_req(&rq, "GET", paths[i], NULL);
		call_page(&rq, &rs);
		if (rs.status != 404)
			fail_msg("GET %s: expected 404, got %d", paths[i], rs.status);
		assert_non_null(strstr(rs.content_type, "text/html"));
		assert_non_null(strstr(rs.body.data, "<html lang="));
		resp_release(&rs);
	}
}

static void test_http__security_headers_on_every_response(void **state)
{
	(void)state;
	const struct {
		const char *path, *auth;
	} cases[] = {
		{"/healthz", NULL},
		{"/api/v1/version", NULL},
		{"/api/v1/persons", NULL},
		{"/api/v1/persons", good_auth()},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct req rq;
		struct resp rs;
		make_req(&rq, "GET", cases[i].path, cases[i].auth);
		json_t *j = call(&rq, &rs);
		assert_string_equal(resp_header_get(&rs, "X-Content-Type-Options"), "nosniff");
		assert_string_equal(resp_header_get(&rs, "Referrer-Policy"), "no-referrer");
		const char *csp = resp_header_get(&rs, "Content-Security-Policy");
		assert_non_null(csp);
		assert_non_null(strstr(csp, "default-src 'none'"));
		if (strncmp(cases[i].path, "/api/", 5) == 0)
			assert_string_equal(resp_header_get(&rs, "Cache-Control"), "no-store");
		json_decref(j);
		resp_release(&rs);
	}
}

static void test_http__unknown_query_parameter_is_400(void **state)
{
	(void)state;
	const struct http_kv q[] = {{"limt", "5"}};
	struct req rq;
	struct resp rs;
	make_req(&rq, "GET", "/api/v1/persons", good_auth());
	rq.query = q;
	rq.nquery = 1;
	json_t *j = call(&rq, &rs);
	assert_int_equal(rs.status, 400);
	assert_string_equal(error_code(j), "invalid");
	assert_non_null(strstr(json_string_value(json_object_get(json_object_get(j, "error"),
								   "message")),
			       "limt"));
	json_decref(j);
	resp_release(&rs);
}

static void test_http__bad_query_values_are_400(void **state)
{
	(void)state;
	const struct {
		const char *path, *name, *value;
	} cases[] = {
		{"/api/v1/persons", "limit", "0"},
		{"/api/v1/persons", "limit", "1001"},
		{"/api/v1/persons", "limit", "ten"},
		{"/api/v1/persons", "offset", "-1"},
		{"/api/v1/persons", "offset", ""},
		{"/api/v1/regions", "rmc", "XX39"},
		{"/api/v1/regions", "year", "twenty"},
		{"/api/v1/organisations", "kind", "bakery"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct http_kv q[] = {{cases[i].name, cases[i].value}};
		struct req rq;
		struct resp rs;
		make_req(&rq, "GET", cases[i].path, good_auth());
		rq.query = q;
		rq.nquery = 1;
		json_t *j = call(&rq, &rs);
		if (rs.status != 400)
			fail_msg("GET %s?%s=%s: expected 400, got %d: %s", cases[i].path,
				 cases[i].name, cases[i].value, rs.status, rs.body.data);
		assert_string_equal(error_code(j), "invalid");
		json_decref(j);
		resp_release(&rs);
	}
}

static void test_http__no_store_is_503(void **state)
{
	(void)state;
	struct req rq;
	struct resp rs;
	make_req(&rq, "GET", "/api/v1/regions", good_auth());
	rq.store = NULL;
	json_t *j = call(&rq, &rs);
	assert_int_equal(rs.status, 503);
	assert_string_equal(error_code(j), "unavailable");
	json_decref(j);
	resp_release(&rs);
}

static void test_http__too_large_body_is_413(void **state)
{
	(void)state;
	struct req rq;
	struct resp rs;
	make_req(&rq, "POST", "/api/v1/persons", good_auth());
	rq.body_too_large = true;
	json_t *j = call(&rq, &rs);
	assert_int_equal(rs.status, 413);
	assert_string_equal(error_code(j), "payload_too_large");
	json_decref(j);
	resp_release(&rs);

	/* Without the token the caller learns only that it needs one. */
	make_req(&rq, "POST", "/api/v1/persons", NULL);
	rq.body_too_large = true;
	j = call(&rq, &rs);
	assert_int_equal(rs.status, 401);
	json_decref(j);
	resp_release(&rs);
}

/* The person key in the path is the route's parameter; a malformed one is a plain 404. */
static void test_http__malformed_person_key_is_404(void **state)
{
	(void)state;
	const char *paths[] = {"/api/v1/persons/zz", "/api/v1/persons/123456782",
			       "/api/v1/persons/"
			       "g000000000000000000000000000000000000000000000000000000000000000"};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct req rq;
		struct resp rs;
		make_req(&rq, "GET", paths[i], good_auth());
		json_t *j = call(&rq, &rs);
		assert_int_equal(rs.status, 404);
		assert_string_equal(error_code(j), "not_found");
		assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"),
									"message")),
				    "no such person");
		json_decref(j);
		resp_release(&rs);
	}
}

static void test_http__error_mapping(void **state)
{
	(void)state;
	const struct {
		enum err_code code;
		int status;
		const char *name;
		bool message_shown;
	} cases[] = {
		{ERR_INVALID, 400, "invalid", true},	 {ERR_USAGE, 400, "usage", true},
		{ERR_NOTFOUND, 404, "not_found", true},	 {ERR_CONFLICT, 409, "conflict", true},
		{ERR_FORBIDDEN, 403, "forbidden", true}, {ERR_IO, 500, "io", false},
		{ERR_INTERNAL, 500, "internal", false},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct err e = ERR_INIT;
		struct resp rs;
		err_set(&e, cases[i].code, "the thing named 'x' %d", (int)i);
		resp_init(&rs);
		resp_fail(&rs, &e);
		json_t *j = json_loads(rs.body.data, 0, NULL);
		assert_non_null(j);
		assert_int_equal(rs.status, cases[i].status);
		assert_string_equal(error_code(j), cases[i].name);
		const char *msg =
			json_string_value(json_object_get(json_object_get(j, "error"), "message"));
		assert_int_equal(strcmp(msg, e.msg) == 0, cases[i].message_shown);
		assert_int_equal(rs.store_failed, cases[i].code == ERR_IO);
		json_decref(j);
		resp_release(&rs);
	}
}

static void test_http__log_path_hides_keys_and_bsns(void **state)
{
	(void)state;
	const struct {
		const char *path, *shown;
	} cases[] = {
		{"/api/v1/persons", "/api/v1/persons"},
		{"/api/v1/persons/"
		 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		 "/api/v1/persons/01234567…"},
		{"/api/v1/persons/0123456789ABCDEF/timeline", "/api/v1/persons/01234567…/timeline"},
		{"/api/v1/persons/123456782", "/api/v1/persons/******782"},
		{"/api/v1/organisations/school:12AB00", "/api/v1/organisations/school:12AB00"},
		{"/a\nb", "/a?b"},
		{"/", "/"},
		{"", ""},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf out = BUF_INIT;
		http_log_path(cases[i].path, &out);
		assert_string_equal(out.data, cases[i].shown);
		buf_release(&out);
	}
	/* A long path is cut. */
	char longpath[600];
	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[0] = '/';
	longpath[sizeof(longpath) - 1] = '\0';
	struct buf out = BUF_INIT;
	http_log_path(longpath, &out);
	assert_true(out.len < 220);
	buf_release(&out);
}

static void test_http__parse_listen(void **state)
{
	(void)state;
	const struct {
		const char *text;
		enum err_code code;
		unsigned port;
	} cases[] = {
		{"127.0.0.1:8080", ERR_NONE, 8080},
		{"127.1.2.3:0", ERR_NONE, 0},
		{"[::1]:9000", ERR_NONE, 9000},
		{"[::ffff:127.0.0.1]:9000", ERR_NONE, 9000},
		{"0.0.0.0:8080", ERR_FORBIDDEN, 0},
		{"192.168.1.5:8080", ERR_FORBIDDEN, 0},
		{"[::]:8080", ERR_FORBIDDEN, 0},
		{"[2001:db8::1]:8080", ERR_FORBIDDEN, 0},
		{"localhost:8080", ERR_INVALID, 0},
		{"127.0.0.1", ERR_INVALID, 0},
		{"127.0.0.1:", ERR_INVALID, 0},
		{"127.0.0.1:65536", ERR_INVALID, 0},
		{"127.0.0.1:-1", ERR_INVALID, 0},
		{"127.0.0.1:80x", ERR_INVALID, 0},
		{"::1:8080", ERR_INVALID, 0},
		{"[::1]8080", ERR_INVALID, 0},
		{":8080", ERR_INVALID, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct err e = ERR_INIT;
		struct http_listen l;
		int rc = http_parse_listen(cases[i].text, &l, &e);
		if (e.code != cases[i].code)
			fail_msg("'%s': expected code %d, got %d (%s)", cases[i].text,
				 cases[i].code, e.code, e.msg);
		assert_int_equal(rc, cases[i].code == ERR_NONE ? 0 : -1);
		if (rc == 0)
			assert_int_equal(l.port, cases[i].port);
		else
			assert_non_null(strstr(e.msg, cases[i].text));
	}
}

static void test_http__tokens_are_random_hex(void **state)
{
	(void)state;
	char a[HTTP_TOKEN_HEX_SIZE], b[HTTP_TOKEN_HEX_SIZE];
	http_token_generate(a);
	http_token_generate(b);
	assert_int_equal(strlen(a), 64);
	assert_int_equal(strspn(a, "0123456789abcdef"), 64);
	assert_string_not_equal(a, b);
}

static int setup(void **state)
{
	api_setup(state);
	api_login("tester", "leerplicht");
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_http__healthz_answers_with_backend),
		cmocka_unit_test(test_http__healthz_without_store_is_503),
		cmocka_unit_test(test_http__version_needs_no_token),
		cmocka_unit_test(test_http__token_rule),
		cmocka_unit_test(test_http__wrong_method_is_405_with_allow),
		cmocka_unit_test(test_http__unknown_route_is_404_json),
		cmocka_unit_test(test_http__unknown_page_is_404_html),
		cmocka_unit_test(test_http__security_headers_on_every_response),
		cmocka_unit_test(test_http__unknown_query_parameter_is_400),
		cmocka_unit_test(test_http__bad_query_values_are_400),
		cmocka_unit_test(test_http__no_store_is_503),
		cmocka_unit_test(test_http__too_large_body_is_413),
		cmocka_unit_test(test_http__malformed_person_key_is_404),
		cmocka_unit_test(test_http__error_mapping),
		cmocka_unit_test(test_http__log_path_hides_keys_and_bsns),
		cmocka_unit_test(test_http__parse_listen),
		cmocka_unit_test(test_http__tokens_are_random_hex),
	};
	return cmocka_run_group_tests(tests, setup, api_teardown);
}
