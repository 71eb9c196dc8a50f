/*
 * The start page: what inbeeld is, and the way to the public knowledge platform.
 */
#include "ui/ui.h"

#include "knowledge/markdown.h"

/*
 * GET /[?lang=en]
 *
 * No store needed: the page is made of the UI's own texts.
 */
void ui_home(struct req *rq, struct resp *rs)
{
	struct ui_page p;
	ui_page_init(&p, rq);
	p.title = i18n(p.lang, T_HOME_TITLE);
	p.nav = UI_NAV_HOME;
	struct buf out = BUF_INIT;
	ui_begin(&out, &p);
	buf_adds(&out, "<h1>");
	html_text(&out, p.title);
	buf_adds(&out, "</h1>\n<p class=\"lead\">");
	html_text(&out, i18n(p.lang, T_HOME_INTRO));
	buf_adds(&out, "</p>\n<div class=\"columns\">\n<section class=\"card\" "
	               "aria-labelledby=\"home-kennis\"><h2 id=\"home-kennis\">");
	html_text(&out, i18n(p.lang, T_HOME_KNOWLEDGE_HEADING));
	buf_adds(&out, "</h2><p>");
	html_text(&out, i18n(p.lang, T_HOME_KNOWLEDGE_TEXT));
	buf_adds(&out, "</p><p><a class=\"button\" href=\"/kennis\">");
	html_text(&out, i18n(p.lang, T_HOME_KNOWLEDGE_LINK));
	buf_adds(&out, "</a></p></section>\n<section class=\"card\" "
	               "aria-labelledby=\"home-partners\"><h2 id=\"home-partners\">");
	html_text(&out, i18n(p.lang, T_HOME_PARTNERS_HEADING));
	buf_adds(&out, "</h2><p>");
	html_text(&out, i18n(p.lang, T_HOME_PARTNERS_TEXT));
	buf_adds(&out, "</p></section>\n</div>\n");
	ui_end(&out, &p);
	ui_respond(rs, &p, 200, &out);
}
