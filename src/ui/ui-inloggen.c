/*
 * Signing in and out from the browser. The sign-in page is a plain form, so that it works
 * without script: it posts to /inloggen, which logs in through the same accounts module as
 * POST /api/v1/session (which takes JSON only) and sets the same session cookie. A form
 * posted from another site must not log a browser in (login CSRF): the page sets a random
 * cookie, SameSite=Strict, and puts the same value in a hidden field; the post must carry
 * both. Signing out is a POST with the session's CSRF token.
 */
#include "ui/ui.h"

#include "http/auth.h"
#include "knowledge/markdown.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define LOGIN_COOKIE      "inbeeld_login"
#define LOGIN_TOKEN_BYTES 16
#define LOGIN_TOKEN_HEX   (2 * LOGIN_TOKEN_BYTES + 1)

/* Where to go after signing in: a path on this site, never another origin ("//x", "/\x"). */
static const char *safe_return(const char *path)
{
	if (!path || path[0] != '/' || path[1] == '/' || path[1] == '\\' || strpbrk(path, "\r\n") ||
	    strcmp(path, "/inloggen") == 0)
		return "/";
	return path;
}

/*
 * The sign-in form, with `message` (an i18n key, or -1 for none, with `n` for its %ld) and
 * the user name filled in again after a failed attempt.
 */
static void answer_form(const struct req *rq, struct resp *rs, int status, int message, long n,
                        const char *username, const char *back)
{
	unsigned char raw[LOGIN_TOKEN_BYTES];
	char token[LOGIN_TOKEN_HEX];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(token, sizeof(token), raw, sizeof(raw));
	struct ui_page p;
	ui_page_init(&p, rq);
	p.title = i18n(p.lang, T_SIGN_IN_TITLE);
	p.nav = UI_NAV_SIGN_IN;
	struct buf out = BUF_INIT;
	ui_begin(&out, &p);
	buf_adds(&out, "<h1>");
	html_text(&out, p.title);
	buf_adds(&out, "</h1>\n");
	if (message >= 0) {
		char text[300];
		snprintf(text, sizeof(text), i18n(p.lang, (enum i18n_key)message), n);
		buf_adds(&out, "<p class=\"notice error\" role=\"alert\" id=\"inloggen-fout\">");
		html_text(&out, text);
		buf_adds(&out, "</p>\n");
	}
	if (p.signed_in && message < 0) {
		buf_adds(&out, "<p class=\"notice\">");
		html_text(&out, i18n(p.lang, T_SIGN_IN_ALREADY));
		buf_adds(&out, "</p>\n");
	}
	buf_adds(&out, "<p>");
	html_text(&out, i18n(p.lang, T_SIGN_IN_INTRO));
	buf_adds(&out, "</p>\n<form class=\"filters sign-in\" action=\"/inloggen\" method=\"post\">"
	               "<input type=\"hidden\" name=\"login_token\" value=\"");
	buf_adds(&out, token);
	buf_adds(&out, "\"><input type=\"hidden\" name=\"terug\" value=\"");
	html_attr(&out, safe_return(back));
	buf_adds(&out, "\">\n<p class=\"field\"><label for=\"gebruikersnaam\">");
	html_text(&out, i18n(p.lang, T_SIGN_IN_USERNAME));
	buf_adds(&out,
	         "</label> <input id=\"gebruikersnaam\" name=\"gebruikersnaam\" type=\"text\" "
	         "autocomplete=\"username\" autocapitalize=\"none\" spellcheck=\"false\" "
	         "required value=\"");
	html_attr(&out, username ? username : "");
	buf_adds(&out, "\"");
	if (message >= 0)
		buf_adds(&out, " aria-describedby=\"inloggen-fout\"");
	buf_adds(&out, "></p>\n<p class=\"field\"><label for=\"wachtwoord\">");
	html_text(&out, i18n(p.lang, T_SIGN_IN_PASSWORD));
	buf_adds(&out, "</label> <input id=\"wachtwoord\" name=\"wachtwoord\" type=\"password\" "
	               "autocomplete=\"current-password\" required></p>\n<p class=\"field\">"
	               "<button type=\"submit\">");
	html_text(&out, i18n(p.lang, T_SIGN_IN_BUTTON));
	buf_adds(&out, "</button></p></form>\n");
	ui_end(&out, &p);
	ui_respond(rs, &p, status, &out);
	/* The form's twin of the hidden field; only this path sees it. Any lang cookie the
	 * frame set gives way: the token matters more on this page. */
	char cookie[128];
	snprintf(cookie, sizeof(cookie),
	         LOGIN_COOKIE "=%s; Path=/inloggen; Max-Age=3600; HttpOnly; SameSite=Strict%s",
	         token, rq->tls ? "; Secure" : "");
	resp_header(rs, "Set-Cookie", cookie);
	resp_header(rs, "Cache-Control", "no-store");
}

/*
 * GET /inloggen[?terug=PATH][&lang=en]
 *
 * The sign-in form; after signing in the browser goes to PATH (a path on this site) or to
 * the start page.
 */
void ui_sign_in(struct req *rq, struct resp *rs)
{
	answer_form(rq, rs, 200, -1, 0, NULL, req_query(rq, "terug"));
}

/* Whether the form's login token matches the cookie the form came with. */
static bool login_token_ok(const struct req *rq, const char *field)
{
	char cookie[LOGIN_TOKEN_HEX];
	return http_cookie_value(rq->cookie, LOGIN_COOKIE, cookie, sizeof(cookie)) &&
	       strlen(field) == LOGIN_TOKEN_HEX - 1 && strlen(cookie) == LOGIN_TOKEN_HEX - 1 &&
	       sodium_memcmp(cookie, field, LOGIN_TOKEN_HEX - 1) == 0;
}

/*
 * POST /inloggen   (form: gebruikersnaam, wachtwoord, login_token, terug)
 *
 * Log in: on success the session cookie and 303 to the page asked for; otherwise the form
 * again with the reason — 401 for a wrong name or password (one answer for both), 429 while
 * the account is locked, 403 when the login token does not match (an expired form, or a post
 * from another site).
 */
void ui_sign_in_post(struct req *rq, struct resp *rs)
{
	struct buf user = BUF_INIT, pass = BUF_INIT, token = BUF_INIT, back = BUF_INIT;
	struct err e = ERR_INIT;
	ui_form_field(rq, "gebruikersnaam", &user);
	ui_form_field(rq, "wachtwoord", &pass);
	ui_form_field(rq, "login_token", &token);
	ui_form_field(rq, "terug", &back);
	const char *username = user.len ? user.data : "";
	const char *goal = safe_return(back.len ? back.data : NULL);
	if (!login_token_ok(rq, token.len ? token.data : "")) {
		answer_form(rq, rs, 403, T_SIGN_IN_EXPIRED_FORM, 0, username, goal);
		goto out;
	}
	enum login_outcome outcome;
	int64_t retry_after = 0;
	struct session_info si;
	if (session_login(rq->store, &rq->app->sessions, username, pass.len ? pass.data : "",
	                  rq->client, &outcome, &retry_after, &si, &e) < 0) {
		ui_error_page(rq, rs, &e);
		goto out;
	}
	if (outcome == LOGIN_LOCKED) {
		answer_form(rq, rs, 429, T_SIGN_IN_LOCKED, (long)retry_after, username, goal);
	} else if (outcome != LOGIN_OK) {
		answer_form(rq, rs, 401, T_SIGN_IN_REFUSED, 0, username, goal);
	} else {
		ui_redirect(rs, goal);
		http_set_session_cookie(rq, rs, si.token);
		sodium_memzero(&si, sizeof(si));
	}
out:
	if (pass.data)
		sodium_memzero(pass.data, pass.len);
	buf_release(&user);
	buf_release(&pass);
	buf_release(&token);
	buf_release(&back);
}

/*
 * POST /uitloggen   (form: csrf_token)
 *
 * Sign out: the session ends at once, the cookie is cleared, and the browser goes to the
 * start page.
 */
void ui_sign_out(struct req *rq, struct resp *rs)
{
	struct err e = ERR_INIT;
	if (session_logout(rq->store, &rq->who, rq->session.id, &e) < 0) {
		ui_error_page(rq, rs, &e);
		return;
	}
	ui_redirect(rs, "/");
	http_set_session_cookie(rq, rs, NULL);
}
