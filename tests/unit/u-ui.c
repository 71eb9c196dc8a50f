/*
 * The web UI on a store seeded with the starting content: every page renders with its status,
 * title, landmarks, language and language switch; the language follows ?lang= and the cookie;
 * content with markup in it comes out escaped; unknown slugs and paths get the 404 page; the
 * static assets have their types, versions and revalidation.
 */
#include "apitest.h"

#include "knowledge/knowledge.h"
#include "ui/ui.h"

/* Who publishes the test content. */
static const struct access editor = {
    .actor = "cli:redacteur", .role = "editor", .client = "cli", .reason = "test"};

static int setup(void **state)
{
	api_setup(state);
	struct err e = ERR_INIT;
	int loaded = 0;
	if (knowledge_seed(ts.store, &loaded, &e) < 0)
		fail_msg("knowledge_seed: %s", e.msg);
	assert_true(loaded > 0);
	return 0;
}

/* A response of the UI: status, body and headers, kept for the assertions. */
struct page {
	struct resp rs;
	const char *body;
};

static void page_get(struct page *pg, const char *path, const struct http_kv *q, size_t nq,
                     const char *cookie)
{
	struct req rq;
	make_req(&rq, "GET", path, NULL);
	rq.query = q;
	rq.nquery = nq;
	rq.cookie = cookie;
	resp_init(&pg->rs);
	http_dispatch(&rq, &pg->rs);
	pg->body = pg->rs.body.data ? pg->rs.body.data : "";
}

static void page_release(struct page *pg)
{
	resp_release(&pg->rs);
}

#define assert_contains(hay, needle)                                                               \
	do {                                                                                       \
		if (!strstr((hay), (needle)))                                                      \
			fail_msg("expected to find '%s' in: %.3000s", (needle), (hay));            \
	} while (0)

#define assert_lacks(hay, needle)                                                                  \
	do {                                                                                       \
		const char *found_ = strstr((hay), (needle));                                      \
		if (found_)                                                                        \
			fail_msg("did not expect '%s', found at: %.200s", (needle), found_);       \
	} while (0)

/* What every page of the frame has, in language `lang` ("nl"/"en"). */
static void assert_frame(const struct page *pg, const char *lang)
{
	char html_lang[32];
	snprintf(html_lang, sizeof(html_lang), "<html lang=\"%s\">", lang);
	assert_contains(pg->body, "<!doctype html>");
	assert_contains(pg->body, html_lang);
	assert_contains(pg->body, "<title>");
	assert_contains(pg->body, "class=\"skip-link\" href=\"#inhoud\"");
	assert_contains(pg->body, "<header");
	assert_contains(pg->body, "<nav class=\"site-nav\" aria-label=");
	assert_contains(pg->body, "<main id=\"inhoud\"");
	assert_contains(pg->body, "<footer");
	assert_contains(pg->body, "</html>");
	/* The switch to the other language, marked up in that language. */
	assert_contains(pg->body, strcmp(lang, "nl") == 0
	                              ? "lang=en\" hreflang=\"en\" lang=\"en\""
	                              : "lang=nl\" hreflang=\"nl\" lang=\"nl\"");
	/* Script and style come from this server only; no inline script. */
	assert_contains(pg->body, "<script src=\"/static/app.js?v=");
	assert_lacks(pg->body, "<script>");
	assert_lacks(pg->body, " style=\"");
	assert_string_equal(pg->rs.content_type, "text/html; charset=utf-8");
	const char *csp = resp_header_get(&pg->rs, "Content-Security-Policy");
	assert_non_null(csp);
	assert_contains(csp, "script-src 'self'");
	assert_contains(csp, "style-src 'self'");
	assert_lacks(csp, "unsafe-inline");
	assert_string_equal(resp_header_get(&pg->rs, "Content-Language"), lang);
}

/* Exactly one <h1>, and no heading level skipped on the way down. */
static void assert_headings_in_order(const char *body)
{
	int last = 0, h1 = 0;
	for (const char *p = body; (p = strstr(p, "<h")) != NULL; p++) {
		if (p[2] < '1' || p[2] > '6' || (p[3] != '>' && p[3] != ' '))
			continue;
		int level = p[2] - '0';
		if (level == 1)
			h1++;
		if (level > last + 1)
			fail_msg("heading h%d follows h%d at: %.120s", level, last, p);
		last = level;
	}
	assert_int_equal(h1, 1);
}

struct page_case {
	const char *path;
	const char *query_name, *query_value;
	const char *title; /* in <title>, Dutch */
	const char *text;  /* somewhere on the page */
};

static const struct page_case pages[] = {
    {"/", NULL, NULL, "Samen werken aan de kansen van jongeren · inbeeld", "/kennis"},
    {"/kennis", NULL, NULL, "Kennisplatform · inbeeld",
     "href=\"/kennis/thema/spreiding-onderwijsaanbod\""},
    {"/kennis/thema/spreiding-onderwijsaanbod", NULL, NULL,
     "Spreiding van het onderwijsaanbod bij krimp · inbeeld", "id=\"actie-"},
    {"/kennis/praktijk/boris-brengt-je-bij-n-baan", NULL, NULL,
     "Boris brengt je bij ’n baan · inbeeld", "<dl class=\"facts\">"},
    {"/kennis/vragen", NULL, NULL, "Veelgestelde vragen · inbeeld", "id=\"vraag-"},
    {"/kennis/vragen", "thema", "spreiding-onderwijsaanbod", "Veelgestelde vragen · inbeeld",
     "<option value=\"spreiding-onderwijsaanbod\" selected>"},
    {"/kennis/zoeken", NULL, NULL, "Zoeken · inbeeld", "<label for=\"zoek-q\">"},
    {"/kennis/zoeken", "q", "stageplaatsen", "Zoeken · inbeeld", "<mark>"},
};

static void test_ui__every_page_renders_in_the_frame(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		const struct page_case *c = &pages[i];
		struct http_kv q = {c->query_name, c->query_value};
		struct page pg;
		page_get(&pg, c->path, &q, c->query_name ? 1 : 0, NULL);
		if (pg.rs.status != 200)
			fail_msg("GET %s: status %d: %.500s", c->path, pg.rs.status, pg.body);
		assert_frame(&pg, "nl");
		char title[200];
		snprintf(title, sizeof(title), "<title>%s</title>", c->title);
		assert_contains(pg.body, title);
		assert_contains(pg.body, c->text);
		assert_headings_in_order(pg.body);
		assert_null(resp_header_get(&pg.rs, "Set-Cookie"));
		page_release(&pg);
	}
}

static void test_ui__english_by_query_and_cookie(void **state)
{
	(void)state;
	struct http_kv en = {"lang", "en"};
	struct page pg;
	page_get(&pg, "/kennis/thema/spreiding-onderwijsaanbod", &en, 1, NULL);
	assert_int_equal(pg.rs.status, 200);
	assert_frame(&pg, "en");
	assert_contains(pg.body, "<h1>Spread of the school offer as pupil numbers fall</h1>");
	assert_contains(pg.body, "Possible actions");
	assert_contains(pg.body, ">Nederlands</a>");
	const char *cookie = resp_header_get(&pg.rs, "Set-Cookie");
	assert_non_null(cookie);
	assert_contains(cookie, "lang=en; Path=/");
	page_release(&pg);

	/* The cookie alone keeps English; ?lang=nl wins over it. */
	page_get(&pg, "/kennis", NULL, 0, "theme=x; lang=en");
	assert_frame(&pg, "en");
	assert_contains(pg.body, "<h1>Knowledge platform</h1>");
	page_release(&pg);
	struct http_kv nl = {"lang", "nl"};
	page_get(&pg, "/kennis", &nl, 1, "lang=en");
	assert_frame(&pg, "nl");
	assert_contains(resp_header_get(&pg.rs, "Set-Cookie"), "lang=nl;");
	page_release(&pg);
	/* Nonsense in the cookie or query is ignored: Dutch. */
	struct http_kv bad = {"lang", "xx"};
	page_get(&pg, "/kennis", &bad, 1, "lang=<b>");
	assert_frame(&pg, "nl");
	page_release(&pg);
}

static void test_ui__switch_keeps_the_query(void **state)
{
	(void)state;
	struct http_kv q[] = {{"q", "jeugd & zorg"}, {"thema", "verzuim-en-uitval"}};
	struct page pg;
	page_get(&pg, "/kennis/zoeken", q, 2, NULL);
	assert_int_equal(pg.rs.status, 200);
	assert_contains(
	    pg.body, "href=\"/kennis/zoeken?q=jeugd%20%26%20zorg&amp;thema=verzuim-en-uitval&amp;"
	             "lang=en\"");
	page_release(&pg);
}

static void test_ui__search_filters_and_messages(void **state)
{
	(void)state;
	struct page pg;
	struct http_kv stop[] = {{"q", "?! …"}};
	page_get(&pg, "/kennis/zoeken", stop, 1, NULL);
	assert_int_equal(pg.rs.status, 200);
	assert_contains(pg.body, "Typ een of meer zoekwoorden");
	page_release(&pg);

	struct http_kv unknown[] = {{"q", "stage"}, {"doelgroep", "bestaat-niet"}};
	page_get(&pg, "/kennis/zoeken", unknown, 1 + 1, NULL);
	assert_contains(pg.body, "bestaat niet");
	page_release(&pg);

	/* A theme filter keeps every hit inside that theme. */
	struct http_kv filtered[] = {{"q", "stage"}, {"thema", "stage-en-werkplekken"}};
	page_get(&pg, "/kennis/zoeken", filtered, 2, NULL);
	assert_int_equal(pg.rs.status, 200);
	assert_contains(pg.body, "<ol class=\"results\"");
	assert_contains(pg.body, "<mark>");
	assert_lacks(pg.body, "href=\"/kennis/thema/spreiding-onderwijsaanbod#");
	page_release(&pg);
}

static void test_ui__unknown_slug_and_path_give_404_page(void **state)
{
	(void)state;
	const char *paths[] = {"/kennis/thema/bestaat-niet", "/kennis/praktijk/bestaat-niet",
	                       "/nergens", "/static/bestaat-niet.css", "/static/.hidden"};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct page pg;
		page_get(&pg, paths[i], NULL, 0, NULL);
		if (pg.rs.status != 404)
			fail_msg("GET %s: expected 404, got %d", paths[i], pg.rs.status);
		assert_frame(&pg, "nl");
		assert_contains(pg.body, "<h1>Pagina niet gevonden</h1>");
		page_release(&pg);
	}
	struct http_kv q = {"thema", "bestaat-niet"};
	struct page pg;
	page_get(&pg, "/kennis/vragen", &q, 1, NULL);
	assert_int_equal(pg.rs.status, 404);
	page_release(&pg);
	/* Below /api/ an unknown path stays a JSON matter. */
	page_get(&pg, "/api/v1/knowledge/nothing", NULL, 0, NULL);
	assert_string_equal(pg.rs.content_type, "application/json");
	page_release(&pg);
}

/* Save and publish `content` as an editor would. */
static void publish(enum kb_kind kind, const char *json)
{
	struct err e = ERR_INIT;
	json_error_t jerr;
	json_t *content = json_loads(json, 0, &jerr);
	if (!content)
		fail_msg("fixture is not JSON: %s", jerr.text);
	if (knowledge_save(ts.store, &editor, kind, content, "test", NULL, NULL, &e) < 0 ||
	    knowledge_publish(ts.store, &editor, kind,
	                      json_string_value(json_object_get(content, "slug")), NULL, &e) < 0)
		fail_msg("publish: %s", e.msg);
	json_decref(content);
}

static const char evil_practice[] =
    "{\"slug\": \"evil-practice\", \"kind\": \"practice\","
    " \"name\": {\"nl\": \"<script>alert(1)</script> kwaad\","
    " \"en\": \"<img src=x onerror=alert(2)> evil\"},"
    " \"region\": \"<b>regio</b>\", \"partners\": [\"<i onclick=x>partner</i>\"],"
    " \"target_groups\": [\"vso\"],"
    " \"what\": {\"nl\": \"Tekst <script>alert(3)</script> [klik](javascript:alert(4))\","
    " \"en\": \"Text <iframe src=x></iframe>\"},"
    " \"result\": {\"nl\": \"<a href=\\\"x\\\" onmouseover=\\\"alert(5)\\\">r</a>\","
    " \"en\": \"r\"},"
    " \"themes\": [\"spreiding-onderwijsaanbod\"], \"actions\": [],"
    " \"contact_organisation\": \"\\\"><script>alert(6)</script>\","
    " \"source\": \"javascript:alert(7)\"}";

/* No markup from content may come out as markup. */
static void assert_no_injection(const char *body)
{
	assert_lacks(body, "<script>alert");
	assert_lacks(body, "<img src=x");
	assert_lacks(body, "<iframe");
	assert_lacks(body, "<b>regio");
	assert_lacks(body, "<i onclick");
	assert_lacks(body, "href=\"javascript:");
	assert_lacks(body, "onmouseover=\"alert");
}

static void test_ui__content_markup_is_escaped(void **state)
{
	(void)state;
	publish(KB_PRACTICE, evil_practice);
	struct page pg;
	page_get(&pg, "/kennis/praktijk/evil-practice", NULL, 0, NULL);
	assert_int_equal(pg.rs.status, 200);
	assert_no_injection(pg.body);
	assert_contains(pg.body, "<title>&lt;script&gt;alert(1)&lt;/script&gt; kwaad · inbeeld");
	assert_contains(pg.body, "<h1>&lt;script&gt;alert(1)&lt;/script&gt; kwaad</h1>");
	page_release(&pg);

	struct http_kv en = {"lang", "en"};
	page_get(&pg, "/kennis/praktijk/evil-practice", &en, 1, NULL);
	assert_no_injection(pg.body);
	assert_contains(pg.body, "&lt;img src=x onerror=alert(2)&gt; evil");
	page_release(&pg);

	/* Where the practice is listed and linked. */
	const char *lists[] = {"/kennis", "/kennis/thema/spreiding-onderwijsaanbod"};
	for (size_t i = 0; i < 2; i++) {
		page_get(&pg, lists[i], NULL, 0, NULL);
		assert_int_equal(pg.rs.status, 200);
		assert_no_injection(pg.body);
		assert_contains(pg.body, "&lt;script&gt;alert(1)&lt;/script&gt; kwaad</a>");
		page_release(&pg);
	}

	/* In search hits, and in the query echoed back into the form and heading. */
	struct http_kv q[] = {{"q", "kwaad \"><script>alert(8)</script>"}};
	page_get(&pg, "/kennis/zoeken", q, 1, NULL);
	assert_no_injection(pg.body);
	assert_contains(pg.body, "value=\"kwaad &quot;&gt;&lt;script&gt;alert(8)&lt;/script&gt;\"");
	page_release(&pg);
	struct http_kv q2[] = {{"q", "kwaad"}};
	page_get(&pg, "/kennis/zoeken", q2, 1, NULL);
	assert_no_injection(pg.body);
	assert_contains(pg.body, "href=\"/kennis/praktijk/evil-practice\"");
	page_release(&pg);
}

static void test_ui__static_assets(void **state)
{
	(void)state;
	static const struct {
		const char *path, *type;
	} assets[] = {{"/static/app.css", "text/css; charset=utf-8"},
	              {"/static/app.js", "text/javascript; charset=utf-8"},
	              {"/static/icon.svg", "image/svg+xml"}};
	for (size_t i = 0; i < sizeof(assets) / sizeof(assets[0]); i++) {
		struct page pg;
		page_get(&pg, assets[i].path, NULL, 0, NULL);
		assert_int_equal(pg.rs.status, 200);
		assert_string_equal(pg.rs.content_type, assets[i].type);
		assert_true(pg.rs.body.len > 100);
		const char *etag = resp_header_get(&pg.rs, "ETag");
		assert_non_null(etag);
		assert_int_equal(strlen(etag), 18);
		assert_string_equal(resp_header_get(&pg.rs, "Cache-Control"), "public, no-cache");
		assert_string_equal(resp_header_get(&pg.rs, "X-Content-Type-Options"), "nosniff");

		/* The versioned URL the pages write may be kept for a year. */
		char version[17];
		assert_int_equal(ui_static_version(assets[i].path + 8, version), 0);
		assert_int_equal(strncmp(etag + 1, version, 16), 0);
		struct http_kv v = {"v", version};
		struct page cached;
		page_get(&cached, assets[i].path, &v, 1, NULL);
		assert_string_equal(resp_header_get(&cached.rs, "Cache-Control"),
		                    "public, max-age=31536000, immutable");
		page_release(&cached);

		/* Revalidation with the ETag: 304 and no body. */
		struct req rq;
		make_req(&rq, "GET", assets[i].path, NULL);
		rq.if_none_match = etag;
		struct resp rs;
		resp_init(&rs);
		http_dispatch(&rq, &rs);
		assert_int_equal(rs.status, 304);
		assert_int_equal(rs.body.len, 0);
		resp_release(&rs);
		page_release(&pg);
	}
}

/* POST a form `body` (already encoded) to `path` with `cookie` (may be NULL). */
static void page_post(struct page *pg, const char *path, const char *body, const char *cookie)
{
	struct req rq;
	make_req(&rq, "POST", path, NULL);
	rq.content_type = "application/x-www-form-urlencoded";
	rq.body = body;
	rq.body_len = strlen(body);
	rq.cookie = cookie;
	resp_init(&pg->rs);
	http_dispatch(&rq, &pg->rs);
	pg->body = pg->rs.body.data ? pg->rs.body.data : "";
}

/* The value of hidden field `name` in a page, copied into `out`. */
static void hidden_value(const char *body, const char *name, char *out, size_t size)
{
	char needle[64];
	snprintf(needle, sizeof(needle), "name=\"%s\" value=\"", name);
	const char *p = strstr(body, needle);
	if (!p)
		fail_msg("no hidden field %s in: %.2000s", name, body);
	p += strlen(needle);
	size_t n = strcspn(p, "\"");
	assert_true(n < size);
	memcpy(out, p, n);
	out[n] = '\0';
}

static void test_ui__sign_in_with_the_form(void **state)
{
	(void)state;
	api_login("fleur", "policy");
	struct page pg;
	struct http_kv back = {"terug", "/kennis"};
	page_get(&pg, "/inloggen", &back, 1, NULL);
	assert_int_equal(pg.rs.status, 200);
	assert_frame(&pg, "nl");
	assert_contains(pg.body, "<label for=\"gebruikersnaam\">");
	assert_contains(pg.body, "autocomplete=\"current-password\"");
	char token[64], cookie[96], body[512];
	hidden_value(pg.body, "login_token", token, sizeof(token));
	const char *set = resp_header_get(&pg.rs, "Set-Cookie");
	assert_non_null(set);
	assert_contains(set, "SameSite=Strict");
	snprintf(cookie, sizeof(cookie), "inbeeld_login=%s", token);
	page_release(&pg);

	/* Without the twin cookie (a post from another site): refused. */
	snprintf(body, sizeof(body),
	         "login_token=%s&gebruikersnaam=fleur&wachtwoord=correct+horse+battery+staple&"
	         "terug=%%2Fkennis",
	         token);
	page_post(&pg, "/inloggen", body, NULL);
	assert_int_equal(pg.rs.status, 403);
	const char *set_after = resp_header_get(&pg.rs, "Set-Cookie");
	assert_true(!set_after || !strstr(set_after, "inbeeld_session="));
	page_release(&pg);

	/* A wrong password: 401, the reason announced, the name kept, no session. */
	char wrong[512];
	snprintf(wrong, sizeof(wrong), "login_token=%s&gebruikersnaam=fleur&wachtwoord=fout",
	         token);
	page_post(&pg, "/inloggen", wrong, cookie);
	assert_int_equal(pg.rs.status, 401);
	assert_contains(pg.body, "role=\"alert\"");
	assert_contains(pg.body, "value=\"fleur\"");
	page_release(&pg);

	/* Right: the session cookie and back to the page asked for. */
	page_post(&pg, "/inloggen", body, cookie);
	assert_int_equal(pg.rs.status, 303);
	assert_string_equal(resp_header_get(&pg.rs, "Location"), "/kennis");
	assert_contains(resp_header_get(&pg.rs, "Set-Cookie"), "inbeeld_session=");
	page_release(&pg);

	/* Never back to another site. */
	char away[512];
	snprintf(away, sizeof(away),
	         "login_token=%s&gebruikersnaam=fleur&wachtwoord=correct+horse+battery+staple&"
	         "terug=%%2F%%2Fevil.example%%2F",
	         token);
	page_post(&pg, "/inloggen", away, cookie);
	assert_int_equal(pg.rs.status, 303);
	assert_string_equal(resp_header_get(&pg.rs, "Location"), "/");
	page_release(&pg);
}

static void test_ui__pages_behind_login_lead_to_sign_in(void **state)
{
	(void)state;
	const char *paths[] = {"/scan",  "/scan/1",  "/scan/1/profiel",
	                       "/forum", "/forum/1", "/kennis/praktijk/deltion-jeugdteam/bewerken"};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct page pg;
		page_get(&pg, paths[i], NULL, 0, "inbeeld_session=0000");
		if (pg.rs.status != 303)
			fail_msg("GET %s without a session: %d", paths[i], pg.rs.status);
		assert_int_equal(
		    strncmp(resp_header_get(&pg.rs, "Location"), "/inloggen?terug=%2F", 19), 0);
		page_release(&pg);
	}
	/* A form posted without a session is refused, not redirected. */
	struct page pg;
	page_post(&pg, "/forum", "thema=verzuim-en-uitval&titel=x&tekst=y", NULL);
	assert_int_equal(pg.rs.status, 401);
	page_release(&pg);
}

static void test_ui__signed_in_frame_and_forum(void **state)
{
	(void)state;
	api_login("joris", "jobcoach");
	struct page pg;
	page_get(&pg, "/kennis", NULL, 0, api_cookie);
	assert_int_equal(pg.rs.status, 200);
	assert_contains(pg.body, "namens <strong>Maastricht</strong>");
	assert_contains(pg.body, "<form action=\"/uitloggen\" method=\"post\">");
	assert_contains(pg.body, "href=\"/forum\"");
	assert_lacks(pg.body, "href=\"/inloggen\"");
	page_release(&pg);

	page_get(&pg, "/forum", NULL, 0, api_cookie);
	assert_int_equal(pg.rs.status, 200);
	assert_frame(&pg, "nl");
	assert_contains(pg.body, "id=\"forum-privacy\"");
	assert_headings_in_order(pg.body);
	page_release(&pg);

	char body[512];
	/* Without the CSRF token: refused before anything is written. */
	page_post(&pg, "/forum", "thema=verzuim-en-uitval&titel=Zonder&tekst=token", api_cookie);
	assert_int_equal(pg.rs.status, 403);
	page_release(&pg);
	/* A BSN in the text: the form again with the reason and the text kept. */
	snprintf(body, sizeof(body),
	         "csrf_token=%s&thema=verzuim-en-uitval&titel=Vraag&tekst=Leerling+111222333",
	         api_csrf);
	page_post(&pg, "/forum", body, api_cookie);
	assert_int_equal(pg.rs.status, 400);
	assert_contains(pg.body, "id=\"form-error\"");
	assert_contains(pg.body, "Leerling 111222333</textarea>");
	page_release(&pg);
	snprintf(body, sizeof(body),
	         "csrf_token=%s&thema=verzuim-en-uitval&titel=%%3Cscript%%3Ex%%3C%%2Fscript%%3E&"
	         "tekst=Hoe+doen+jullie+dit%%3F",
	         api_csrf);
	page_post(&pg, "/forum", body, api_cookie);
	assert_int_equal(pg.rs.status, 303);
	char location[64];
	snprintf(location, sizeof(location), "%s", resp_header_get(&pg.rs, "Location"));
	page_release(&pg);
	struct req rq;
	make_req(&rq, "GET", location, NULL);
	rq.cookie = api_cookie;
	resp_init(&pg.rs);
	http_dispatch(&rq, &pg.rs);
	pg.body = pg.rs.body.data;
	assert_int_equal(pg.rs.status, 200);
	assert_contains(pg.body, "&lt;script&gt;x&lt;/script&gt;");
	assert_lacks(pg.body, "<script>x");
	assert_contains(pg.body, "action=\"/forum/");
	page_release(&pg);
}

static void test_ui__self_scan_pages(void **state)
{
	(void)state;
	api_login("saskia", "policy");
	char body[1024];
	struct page pg;
	snprintf(body, sizeof(body), "csrf_token=%s&regio=MC39&titel=Voorjaar", api_csrf);
	page_post(&pg, "/scan", body, api_cookie);
	assert_int_equal(pg.rs.status, 303);
	char path[64];
	snprintf(path, sizeof(path), "%s", resp_header_get(&pg.rs, "Location"));
	page_release(&pg);
	page_get(&pg, path, NULL, 0, api_cookie);
	assert_int_equal(pg.rs.status, 200);
	assert_frame(&pg, "nl");
	assert_contains(pg.body, "name=\"niveau-regionale-leerlingenprognose\" value=\"embedded\"");
	page_release(&pg);
	/* A level that does not exist: refused, nothing saved. */
	snprintf(body, sizeof(body),
	         "csrf_token=%s&niveau-regionale-leerlingenprognose=embedded&"
	         "niveau-regionaal-spreidingsplan=soon",
	         api_csrf);
	page_post(&pg, path, body, api_cookie);
	assert_int_equal(pg.rs.status, 400);
	assert_contains(pg.body, "id=\"form-error\"");
	page_release(&pg);
	snprintf(body, sizeof(body),
	         "csrf_token=%s&niveau-regionale-leerlingenprognose=embedded&"
	         "notitie-regionale-leerlingenprognose=%%3Cb%%3Eklaar%%3C%%2Fb%%3E&"
	         "niveau-regionaal-spreidingsplan=planned",
	         api_csrf);
	page_post(&pg, path, body, api_cookie);
	assert_int_equal(pg.rs.status, 303);
	char profile[80];
	snprintf(profile, sizeof(profile), "%s", resp_header_get(&pg.rs, "Location"));
	page_release(&pg);
	page_get(&pg, profile, NULL, 0, api_cookie);
	assert_int_equal(pg.rs.status, 200);
	assert_frame(&pg, "nl");
	assert_headings_in_order(pg.body);
	assert_contains(pg.body, "<svg role=\"img\"");
	/* (3 + 1) of 3 × 7 actions: 19. */
	assert_contains(pg.body, "<td>19</td><td>2 / 7</td>");
	assert_contains(pg.body, "#actie-regionaal-spreidingsplan");
	page_release(&pg);
	page_get(&pg, path, NULL, 0, api_cookie);
	assert_contains(pg.body, "&lt;b&gt;klaar&lt;/b&gt;</textarea>");
	page_release(&pg);
}

static void test_ui__only_editors_edit(void **state)
{
	(void)state;
	api_login("piet", "policy");
	struct page pg;
	page_get(&pg, "/kennis/praktijk/deltion-jeugdteam/bewerken", NULL, 0, api_cookie);
	assert_int_equal(pg.rs.status, 403);
	page_release(&pg);
	api_login("edith", "editor");
	page_get(&pg, "/kennis/praktijk/deltion-jeugdteam", NULL, 0, api_cookie);
	assert_contains(pg.body, "href=\"/kennis/praktijk/deltion-jeugdteam/bewerken\"");
	page_release(&pg);
	page_get(&pg, "/kennis/praktijk/deltion-jeugdteam/bewerken", NULL, 0, api_cookie);
	assert_int_equal(pg.rs.status, 200);
	assert_frame(&pg, "nl");
	assert_contains(pg.body, "<label for=\"name-nl\">");
	assert_contains(pg.body, "id=\"versies\"");
	page_release(&pg);
	page_get(&pg, "/kennis/praktijk/bestaat-niet/bewerken", NULL, 0, api_cookie);
	assert_int_equal(pg.rs.status, 404);
	page_release(&pg);
}

static void test_ui__html_url_arg(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	html_url_arg(&b, "a b&c=d/é~_.-\"<");
	assert_string_equal(b.data, "a%20b%26c%3Dd%2F%C3%A9~_.-%22%3C");
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ui__every_page_renders_in_the_frame),
	    cmocka_unit_test(test_ui__english_by_query_and_cookie),
	    cmocka_unit_test(test_ui__switch_keeps_the_query),
	    cmocka_unit_test(test_ui__search_filters_and_messages),
	    cmocka_unit_test(test_ui__unknown_slug_and_path_give_404_page),
	    cmocka_unit_test(test_ui__content_markup_is_escaped),
	    cmocka_unit_test(test_ui__static_assets),
	    cmocka_unit_test(test_ui__html_url_arg),
	    cmocka_unit_test(test_ui__sign_in_with_the_form),
	    cmocka_unit_test(test_ui__pages_behind_login_lead_to_sign_in),
	    cmocka_unit_test(test_ui__signed_in_frame_and_forum),
	    cmocka_unit_test(test_ui__self_scan_pages),
	    cmocka_unit_test(test_ui__only_editors_edit),
	};
	return cmocka_run_group_tests(tests, setup, api_teardown);
}
