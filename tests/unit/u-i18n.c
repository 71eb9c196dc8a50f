/*
 * The translation tables of the web UI: every key has a text in every language, the texts of
 * one key take the same printf conversions in each language, and key names are unique.
 */
#include "testutil.h"

#include "ui/i18n.h"

#include <ctype.h>

/* The printf conversions of `s` ("%ld%s"), without flags' positions mattering. */
static void conversions(const char *s, char *out, size_t size)
{
	size_t n = 0;
	for (const char *p = s; *p; p++) {
		if (*p != '%')
			continue;
		p++;
		if (*p == '%')
			continue;
		while (*p && !isalpha((unsigned char)*p))
			p++;
		while (*p == 'l' || *p == 'z' || *p == 'h')
			if (n + 1 < size)
				out[n++] = *p++;
		if (*p && n + 1 < size)
			out[n++] = *p;
		if (!*p)
			break;
	}
	out[n] = '\0';
}

static void test_i18n__every_key_in_every_language(void **state)
{
	(void)state;
	int missing = 0;
	for (int k = 0; k < I18N_NKEYS; k++)
		for (int lang = 0; lang < KB_NLANGS; lang++) {
			const char *s = i18n_lookup((enum kb_lang)lang, (enum i18n_key)k);
			if (!s || !*s) {
				print_error("key %s has no %s text\n",
				            i18n_key_name((enum i18n_key)k),
				            kb_lang_code((enum kb_lang)lang));
				missing++;
			}
		}
	assert_int_equal(missing, 0);
}

static void test_i18n__same_conversions_in_every_language(void **state)
{
	(void)state;
	for (int k = 0; k < I18N_NKEYS; k++) {
		char nl[16], en[16];
		conversions(i18n(KB_NL, (enum i18n_key)k), nl, sizeof(nl));
		conversions(i18n(KB_EN, (enum i18n_key)k), en, sizeof(en));
		if (strcmp(nl, en) != 0)
			fail_msg("key %s: Dutch takes '%s', English '%s'",
			         i18n_key_name((enum i18n_key)k), nl, en);
	}
}

static void test_i18n__key_names_unique(void **state)
{
	(void)state;
	for (int a = 0; a < I18N_NKEYS; a++) {
		const char *name = i18n_key_name((enum i18n_key)a);
		assert_true(*name);
		for (int b = a + 1; b < I18N_NKEYS; b++)
			assert_string_not_equal(name, i18n_key_name((enum i18n_key)b));
	}
	assert_string_equal(i18n_key_name(T_NAV_HOME), "NAV_HOME");
}

static void test_i18n__languages_differ_where_words_do(void **state)
{
	(void)state;
	assert_string_equal(i18n(KB_NL, T_NAV_KNOWLEDGE), "Kennisplatform");
	assert_string_equal(i18n(KB_EN, T_NAV_KNOWLEDGE), "Knowledge platform");
	/* Each language names itself on the switch. */
	assert_string_equal(i18n(KB_NL, T_LANG_OWN_NAME), "Nederlands");
	assert_string_equal(i18n(KB_EN, T_LANG_OWN_NAME), "English");
	/* Out of range gives no text rather than reading past the table. */
	assert_null(i18n_lookup(KB_NL, I18N_NKEYS));
	assert_null(i18n_lookup((enum kb_lang)KB_NLANGS, T_NAV_HOME));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_i18n__every_key_in_every_language),
	    cmocka_unit_test(test_i18n__same_conversions_in_every_language),
	    cmocka_unit_test(test_i18n__key_names_unique),
	    cmocka_unit_test(test_i18n__languages_differ_where_words_do),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
