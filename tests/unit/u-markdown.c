/*
 * Tests of Markdown rendering and HTML escaping: ordinary Markdown comes out as HTML, and no
 * script, event handler or script URL survives whatever the input.
 */
#include "kbtest.h"

#include "knowledge/markdown.h"

static void test_markdown__escapes_by_place(void **state)
{
	(void)state;
	static const struct {
		const char *in, *text, *attr;
	} cases[] = {
	    {"plain", "plain", "plain"},
	    {"a & b", "a &amp; b", "a &amp; b"},
	    {"<script>", "&lt;script&gt;", "&lt;script&gt;"},
	    {"say \"hi\"", "say \"hi\"", "say &quot;hi&quot;"},
	    {"it's", "it's", "it&#39;s"},
	    {"x\" onmouseover=\"alert(1)", "x\" onmouseover=\"alert(1)",
	     "x&quot; onmouseover=&quot;alert(1)"},
	    {"coördinatie", "coördinatie", "coördinatie"},
	    {"", "", ""},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf t = BUF_INIT, a = BUF_INIT;
		html_text(&t, cases[i].in);
		html_attr(&a, cases[i].in);
		if (strcmp(t.data, cases[i].text) != 0)
			fail_msg("html_text(%s): expected %s, got %s", cases[i].in, cases[i].text,
			         t.data);
		if (strcmp(a.data, cases[i].attr) != 0)
			fail_msg("html_attr(%s): expected %s, got %s", cases[i].in, cases[i].attr,
			         a.data);
		buf_release(&t);
		buf_release(&a);
	}
}

static void test_markdown__renders_commonmark(void **state)
{
	(void)state;
	static const struct {
		const char *md, *html;
	} cases[] = {
	    {"**vet** en *schuin*", "<p><strong>vet</strong> en <em>schuin</em></p>\n"},
	    {"- een\n- twee", "<ul>\n<li>een</li>\n<li>twee</li>\n</ul>\n"},
	    {"[site](https://borisbaan.nl)", "<p><a href=\"https://borisbaan.nl\">site</a></p>\n"},
	    {"5 < 6 & 7 > 3", "<p>5 &lt; 6 &amp; 7 &gt; 3</p>\n"},
	    {"", ""},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *html = markdown_to_html(cases[i].md);
		if (strcmp(html, cases[i].html) != 0)
			fail_msg("markdown_to_html(%s): expected %s, got %s", cases[i].md,
			         cases[i].html, html);
		free(html);
	}
}

/* What an attacker would try in a body text; none of it may come out able to run. */
static const char *const attacks[] = {
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "hallo <img src=x onerror=alert(1)> daar",
    "<img src=\"x\" onerror=\"alert(1)\">",
    "<div onclick=\"alert(1)\">klik</div>",
    "<a href=\"javascript:alert(1)\">link</a>",
    "[link](javascript:alert(1))",
    "[link](JaVaScRiPt:alert(1))",
    "[link](&#106;avascript:alert(1))",
    "[link](vbscript:msgbox(1))",
    "[link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![beeld](javascript:alert(1))",
    "<javascript:alert(1)>",
    "[x](https://ok.example \"titel\\\" onmouseover=\\\"alert(1)\")",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<svg onload=alert(1)>",
    "<style>body{display:none}</style>",
    "<!-- <script>alert(1)</script> -->",
    "```\n<script>alert(1)</script>\n```",
    "`<img src=x onerror=alert(1)>`",
    "<details open ontoggle=alert(1)>",
    "> <script>alert(1)</script>",
    "* <b onmouseover=alert(1)>x</b>",
};

static void test_markdown__no_script_survives(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(attacks) / sizeof(attacks[0]); i++) {
		char *html = markdown_to_html(attacks[i]);
		assert_safe_html(html, attacks[i]);
		free(html);
	}
}

static void test_markdown__code_shows_the_tags_as_text(void **state)
{
	(void)state;
	char *html = markdown_to_html("`<b>`");
	assert_string_equal(html, "<p><code>&lt;b&gt;</code></p>\n");
	free(html);
}

static void test_markdown__plain_text(void **state)
{
	(void)state;
	static const struct {
		const char *md, *text;
	} cases[] = {
	    {"**Vet** en [link](https://x.nl).", "Vet en link."},
	    {"Eerste alinea.\n\nTweede\nregel.", "Eerste alinea. Tweede regel."},
	    {"- een\n- twee", "een twee"},
	    {"voor <script>alert(1)</script> na", "voor alert(1) na"},
	    {"<div>blok</div>\n\nna", "na"},
	    {"# Kop\ntekst", "Kop tekst"},
	    {"", ""},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *text = markdown_to_text(cases[i].md);
		if (strcmp(text, cases[i].text) != 0)
			fail_msg("markdown_to_text(%s): expected '%s', got '%s'", cases[i].md,
			         cases[i].text, text);
		free(text);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_markdown__escapes_by_place),
	    cmocka_unit_test(test_markdown__renders_commonmark),
	    cmocka_unit_test(test_markdown__no_script_survives),
	    cmocka_unit_test(test_markdown__code_shows_the_tags_as_text),
	    cmocka_unit_test(test_markdown__plain_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
