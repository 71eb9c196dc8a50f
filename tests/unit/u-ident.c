/*
 * Table-driven tests of the identifier rules (registry/ident.h): each case is an input, the
 * normalised form it must give or NULL when it must be refused, and for a refusal a piece of
 * the rule the message must name.
 */
#include "testutil.h"

#include "registry/ident.h"
#include "util/utf8.h"

typedef int (*rule_fn)(const char *in, const char *field, char *out, struct err *e);

struct ident_case {
	const char *in;
	const char *want; /* normalised; NULL: refused */
	const char *rule; /* for a refusal: text the message must contain */
};

/* Run `cases` through `fn` and check every result and every message. */
static void run_cases(const char *what, rule_fn fn, const struct ident_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct ident_case *c = &cases[i];
		char out[64] = "";
		struct err e = ERR_INIT;
		int rc = fn(c->in, "testfield", out, &e);
		if (c->want && rc != 0)
			fail_msg("%s '%s': expected '%s', got error: %s", what, c->in, c->want,
				 e.msg);
		if (c->want && strcmp(out, c->want) != 0)
			fail_msg("%s '%s': expected '%s', got '%s'", what, c->in, c->want, out);
		if (c->want)
			continue;
		if (rc == 0)
			fail_msg("%s '%s': expected a refusal, got '%s'", what, c->in, out);
		if (e.code != ERR_INVALID)
			fail_msg("%s '%s': expected ERR_INVALID, got %d", what, c->in, e.code);
		if (!strstr(e.msg, "field testfield") || !strstr(e.msg, "rule"))
			fail_msg("%s '%s': the message does not name the field and the rule: %s",
				 what, c->in, e.msg);
		if (c->rule && !strstr(e.msg, c->rule))
			fail_msg("%s '%s': expected the message to say '%s', got: %s", what, c->in,
				 c->rule, e.msg);
		if (!utf8_valid(e.msg, strlen(e.msg), NULL))
			fail_msg("%s '%s': the message is not valid UTF-8", what, c->in);
	}
}

#define RUN(what, fn, cases) run_cases(what, (rule_fn)(fn), cases, sizeof(cases) / sizeof(cases[0]))

static const struct ident_case bsn_cases[] = {
	{"111222333", "111222333", NULL},
	{"123456782", "123456782", NULL},
	{"12345672", "012345672", NULL}, /* 8 digits: the leading 0 was left off */
	{" 111222333\t", "111222333", NULL},
	{"123456789", NULL, "elfproef"},
	{"111222334", NULL, "elfproef"},
	{"000000000", NULL, "not all zeros"},
	{"00000000", NULL, "not all zeros"},
	{"11122233a", NULL, "9 digits"},
	{"1112223334", NULL, "9 digits"},
	{"1234567", NULL, "9 digits"},
	{"111 222 333", NULL, "9 digits"},
	{"", NULL, "9 digits"},
	{"123456789012345678901234", NULL, "9 digits"},
};

static void test_ident__bsn(void **state)
{
	(void)state;
	RUN("BSN", ident_bsn, bsn_cases);
}

/* The value shown between the first pair of quotes in a message. */
static void quoted(const char *msg, char *out, size_t size)
{
	const char *a = strchr(msg, '\''), *b = a ? strchr(a + 1, '\'') : NULL;
	snprintf(out, size, "%.*s", a && b ? (int)(b - a - 1) : 0, a ? a + 1 : "");
}

static void test_ident__bsn_messages_show_at_most_three_digits(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"123456789",	  "111222334", "1112223334", "11122233a", " 987654321 ",
		"98765432109876", "12345",     "000000000",  "123456789012345678901234",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char out[BSN_SIZE], shown[64];
		struct err e = ERR_INIT;
		assert_int_equal(ident_bsn(bad[i], "bsn", out, &e), -1);
		quoted(e.msg, shown, sizeof(shown));
		int digits = 0;
		for (const char *p = shown; *p; p++)
			digits += *p >= '0' && *p <= '9';
		if (digits > 3 || !*shown)
			fail_msg("'%s' shows %d digits: %s", bad[i], digits, e.msg);
	}
}

static void test_ident__mask_bsn(void **state)
{
	(void)state;
	static const struct {
		const char *in, *want;
	} cases[] = {
		{"111222333", "******333"}, {"12345678", "*****678"}, {"123", "***"},
		{"", ""},		    {"1234567890123", "******123"},
		/* 9 bytes whose tail is half a euro sign and a 6: only the digit is shown. */
		{"12345\xe2\x82\xac" "6", "********6"},
		{"abcdefghi", "*********"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[BSN_MASKED_SIZE];
		ident_mask_bsn(cases[i].in, out);
		if (strcmp(out, cases[i].want) != 0)
			fail_msg("mask '%s': expected '%s', got '%s'", cases[i].in, cases[i].want,
				 out);
		assert_true(utf8_valid(out, strlen(out), NULL));
	}
}

static void test_ident__bsn_complete_makes_valid_bsns(void **state)
{
	(void)state;
	int made = 0, none = 0;
	for (uint32_t i = 0; i < 5000; i++) {
		uint32_t first8 = (i * 2654435761u) % 100000000u;
		char bsn[BSN_SIZE], again[BSN_SIZE];
		struct err e = ERR_INIT;
		if (ident_bsn_complete(first8, bsn)) {
			made++;
			if (ident_bsn(bsn, "bsn", again, &e) < 0)
				fail_msg("completed %08u to %s, which is refused: %s", first8, bsn,
					 e.msg);
			char head[24];
			snprintf(head, sizeof(head), "%08u", first8);
			assert_memory_equal(bsn, head, 8);
			continue;
		}
		/* No check digit fits: every one of 0–9 must fail the elfproef. */
		none++;
		char d[24];
		for (int c = 0; c <= 9; c++) {
			snprintf(d, sizeof(d), "%08u%d", first8, c);
			if (first8 && bsn_elfproef(d))
				fail_msg("%08u has check digit %d, but complete said none", first8, c);
		}
	}
	assert_true(made > 4000); /* about 10 in 11 prefixes have a check digit */
	assert_true(none > 0);
	char out[BSN_SIZE];
	assert_false(ident_bsn_complete(0, out));
	assert_false(ident_bsn_complete(100000000u, out));
	assert_true(ident_bsn_complete(11122233, out));
	assert_string_equal(out, "111222333");
}

static const struct ident_case brin_cases[] = {
	{"12AB00", "12AB00", NULL},   {"12ab-00", "12AB00", NULL}, {"12AB 00", "12AB00", NULL},
	{"12ab00", "12AB00", NULL},   {" 00XY99 ", "00XY99", NULL}, {"12AB0", NULL, "BRIN"},
	{"12AB000", NULL, "BRIN"},    {"12A#00", NULL, "BRIN"},	  {"12ABC0", NULL, "vestiging"},
	{"12-AB00", NULL, "BRIN"},    {"", NULL, "BRIN"},	  {"12AB--00", NULL, "BRIN"},
	{"€€€€€€€€€€", NULL, "BRIN"}, /* the message must not cut a character */
};

static void test_ident__brin(void **state)
{
	(void)state;
	RUN("BRIN", ident_brin, brin_cases);
}

static const struct ident_case agb_cases[] = {
	{"12345678", "12345678", NULL}, {" 01234567 ", "01234567", NULL},
	{"1234567", NULL, "8 digits"},	{"123456789", NULL, "8 digits"},
	{"1234567a", NULL, "AGB"},	{"", NULL, "8 digits"},
};

static void test_ident__agb(void **state)
{
	(void)state;
	RUN("AGB", ident_agb, agb_cases);
}

static const struct ident_case kvk_cases[] = {
	{"87654321", "87654321", NULL},		{"01234567", "01234567", NULL},
	{"8765432", NULL, "8 digits"},		{"876543210000", NULL, "8 digits"},
	{"8765-4321", NULL, "KvK"},		{"", NULL, "KvK"},
};

static void test_ident__kvk(void **state)
{
	(void)state;
	RUN("KvK", ident_kvk, kvk_cases);
}

static const struct ident_case gemeente_cases[] = {
	{"GM0935", "GM0935", NULL}, {"0935", "GM0935", NULL},  {"gm0935", "GM0935", NULL},
	{" GM1992 ", "GM1992", NULL}, {"GM935", NULL, "GM and 4 digits"},
	{"935", NULL, "GM and 4 digits"}, {"GM09350", NULL, "GM and 4 digits"},
	{"GX0935", NULL, "gemeentecode"}, {"GM09a5", NULL, "gemeentecode"},
	{"", NULL, "gemeentecode"},
};

static void test_ident__gemeente(void **state)
{
	(void)state;
	RUN("gemeentecode", ident_gemeente, gemeente_cases);
}

static void test_ident__region_codes(void **state)
{
	(void)state;
	static const struct {
		const char *in, *prefix, *want, *rule;
	} cases[] = {
		{"MC39", "MC", "MC39", NULL},	  {"39", "MC", "MC39", NULL},
		{"mc39", "MC", "MC39", NULL},	  {"5", "AM", "AM05", NULL},
		{"AM35", "AM", "AM35", NULL},	  {"PV31", "PV", "PV31", NULL},
		{"JZ42", "JZ", "JZ42", NULL},	  {" MC07 ", "MC", "MC07", NULL},
		{"MC391", "MC", NULL, "MC and 2 digits"}, {"AM35", "MC", NULL, "MC and 2 digits"},
		{"MC", "MC", NULL, "region code"}, {"", "PV", NULL, "PV and 2 digits"},
		{"M39", "MC", NULL, "region code"}, {"MC3x", "MC", NULL, "region code"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[REGION_CODE_SIZE] = "";
		struct err e = ERR_INIT;
		int rc = ident_region_code(cases[i].in, cases[i].prefix, "testfield", out, &e);
		if (cases[i].want) {
			if (rc != 0 || strcmp(out, cases[i].want) != 0)
				fail_msg("region '%s' (%s): expected %s, got '%s' %s", cases[i].in,
					 cases[i].prefix, cases[i].want, out, e.msg);
		} else if (rc == 0 || !strstr(e.msg, cases[i].rule) ||
			   !strstr(e.msg, "field testfield")) {
			fail_msg("region '%s' (%s): expected a refusal saying '%s', got '%s' %s",
				 cases[i].in, cases[i].prefix, cases[i].rule, out, e.msg);
		}
	}
}

static const struct ident_case postcode_cases[] = {
	{"6211AB", "6211AB", NULL},	 {"6211 ab", "6211AB", NULL}, {" 1012jc ", "1012JC", NULL},
	{"9999ZZ", "9999ZZ", NULL},	 {"0211AB", NULL, "not starting with 0"},
	{"1234SA", NULL, "SA, SD and SS"}, {"1234SD", NULL, "SA, SD and SS"},
	{"1234ss", NULL, "SA, SD and SS"}, {"1234SB", "1234SB", NULL},
	{"6211A", NULL, "postcode"},	 {"62111AB", NULL, "postcode"},
	{"6211  AB", NULL, "postcode"},	 {"62 11AB", NULL, "postcode"},
	{"6211A1", NULL, "postcode"},	 {"", NULL, "postcode"},
};

static void test_ident__postcode(void **state)
{
	(void)state;
	RUN("postcode", ident_postcode, postcode_cases);
}

static const struct ident_case crebo_cases[] = {
	{"25180", "25180", NULL},	{" 10035 ", "10035", NULL},
	{"2518", NULL, "5 digits"},	{"251800", NULL, "5 digits"},
	{"2518a", NULL, "crebo"},	{"", NULL, "crebo"},
};

static void test_ident__crebo(void **state)
{
	(void)state;
	RUN("crebo", ident_crebo, crebo_cases);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ident__bsn),
		cmocka_unit_test(test_ident__bsn_messages_show_at_most_three_digits),
		cmocka_unit_test(test_ident__mask_bsn),
		cmocka_unit_test(test_ident__bsn_complete_makes_valid_bsns),
		cmocka_unit_test(test_ident__brin),
		cmocka_unit_test(test_ident__agb),
		cmocka_unit_test(test_ident__kvk),
		cmocka_unit_test(test_ident__gemeente),
		cmocka_unit_test(test_ident__region_codes),
		cmocka_unit_test(test_ident__postcode),
		cmocka_unit_test(test_ident__crebo),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
