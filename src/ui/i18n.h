/*
 * The texts of the web UI, looked up by key in one translation table per language
 * (src/ui/i18n.c): Dutch first, English available. A page never writes a user-facing word
 * of its own; it asks i18n(lang, KEY). A key lacking a translation fails u-i18n.
 *
 * Keys are listed once, here, as an X-macro, so that the enum and the key names (for test
 * messages) cannot drift apart. A text with a printf conversion ("%d resultaten") has the same
 * conversions, in the same order, in every language; u-i18n checks that too.
 *
 * Ownership: every string returned is static.
 */
#ifndef UI_I18N_H
#define UI_I18N_H

#include "knowledge/knowledge.h"

#define I18N_KEYS(X)                                                                               \
	X(SITE_NAME)                                                                               \
	X(SITE_TAGLINE)                                                                            \
	X(SKIP_TO_CONTENT)                                                                         \
	X(NAV_LABEL)                                                                               \
	X(NAV_HOME)                                                                                \
	X(NAV_KNOWLEDGE)                                                                           \
	X(NAV_FAQ)                                                                                 \
	X(NAV_SEARCH)                                                                              \
	X(NAV_SCAN)                                                                                \
	X(NAV_FORUM)                                                                               \
	X(NAV_SIGN_IN)                                                                             \
	X(SIGNED_IN_AS)                                                                            \
	X(SIGN_OUT)                                                                                \
	X(SIGN_IN_TITLE)                                                                           \
	X(SIGN_IN_INTRO)                                                                           \
	X(SIGN_IN_USERNAME)                                                                        \
	X(SIGN_IN_PASSWORD)                                                                        \
	X(SIGN_IN_BUTTON)                                                                          \
	X(SIGN_IN_REFUSED)                                                                         \
	X(SIGN_IN_LOCKED)                                                                          \
	X(SIGN_IN_EXPIRED_FORM)                                                                    \
	X(SIGN_IN_ALREADY)                                                                         \
	X(LANG_SWITCH_LABEL)                                                                       \
	X(LANG_OWN_NAME)                                                                           \
	X(SEARCH_LABEL)                                                                            \
	X(SEARCH_BUTTON)                                                                           \
	X(FOOTER_ABOUT)                                                                            \
	X(FOOTER_API)                                                                              \
	X(FOOTER_PRIVACY)                                                                          \
	X(HOME_TITLE)                                                                              \
	X(HOME_INTRO)                                                                              \
	X(HOME_KNOWLEDGE_HEADING)                                                                  \
	X(HOME_KNOWLEDGE_TEXT)                                                                     \
	X(HOME_KNOWLEDGE_LINK)                                                                     \
	X(HOME_PARTNERS_HEADING)                                                                   \
	X(HOME_PARTNERS_TEXT)                                                                      \
	X(KENNIS_TITLE)                                                                            \
	X(KENNIS_INTRO)                                                                            \
	X(KENNIS_THEMES_HEADING)                                                                   \
	X(KENNIS_ACTION_COUNT)                                                                     \
	X(KENNIS_PRACTICE_COUNT)                                                                   \
	X(KENNIS_PRACTICES_HEADING)                                                                \
	X(BREADCRUMB_LABEL)                                                                        \
	X(THEME_STAKE)                                                                             \
	X(THEME_COOPERATION)                                                                       \
	X(THEME_ACTIONS)                                                                           \
	X(THEME_PRACTICES)                                                                         \
	X(THEME_NO_PRACTICES)                                                                      \
	X(THEME_FAQ_LINK)                                                                          \
	X(THEME_ON_THIS_PAGE)                                                                      \
	X(PRACTICE_KIND)                                                                           \
	X(PRACTICE_KIND_PRACTICE)                                                                  \
	X(PRACTICE_KIND_PILOT)                                                                     \
	X(PRACTICE_REGION)                                                                         \
	X(PRACTICE_PARTNERS)                                                                       \
	X(PRACTICE_TARGET_GROUPS)                                                                  \
	X(PRACTICE_WHAT)                                                                           \
	X(PRACTICE_RESULT)                                                                         \
	X(PRACTICE_THEMES)                                                                         \
	X(PRACTICE_ACTIONS_SEEN_IN)                                                                \
	X(PRACTICE_ACTIONS)                                                                        \
	X(PRACTICE_CONTACT)                                                                        \
	X(PRACTICE_SOURCE)                                                                         \
	X(FAQ_TITLE)                                                                               \
	X(FAQ_INTRO)                                                                               \
	X(FAQ_FILTER_LEGEND)                                                                       \
	X(FAQ_FILTER_BUTTON)                                                                       \
	X(FAQ_NONE)                                                                                \
	X(FILTER_THEME)                                                                            \
	X(FILTER_TARGET_GROUP)                                                                     \
	X(FILTER_ALL_THEMES)                                                                       \
	X(FILTER_ALL_GROUPS)                                                                       \
	X(SEARCH_TITLE)                                                                            \
	X(SEARCH_RESULTS_FOR)                                                                      \
	X(SEARCH_RESULT_COUNT)                                                                     \
	X(SEARCH_SHOWING_FIRST)                                                                    \
	X(SEARCH_NO_RESULTS)                                                                       \
	X(SEARCH_NO_WORDS)                                                                         \
	X(SEARCH_UNKNOWN_FILTER)                                                                   \
	X(SEARCH_HINT)                                                                             \
	X(KIND_THEME)                                                                              \
	X(KIND_ACTION)                                                                             \
	X(KIND_PRACTICE)                                                                           \
	X(KIND_PILOT)                                                                              \
	X(KIND_FAQ)                                                                                \
	X(NOT_FOUND_TITLE)                                                                         \
	X(NOT_FOUND_TEXT)                                                                          \
	X(ERROR_TITLE)                                                                             \
	X(ERROR_TEXT)                                                                              \
	X(FORM_REFUSED)                                                                            \
	X(FORUM_INTRO)                                                                             \
	X(FORUM_NO_PERSONAL_DATA)                                                                  \
	X(FORUM_NO_THREADS)                                                                        \
	X(FORUM_THREADS_HEADING)                                                                   \
	X(FORUM_LOCKED)                                                                            \
	X(FORUM_REPLY_COUNT)                                                                       \
	X(FORUM_START_HEADING)                                                                     \
	X(FORUM_TITLE_LABEL)                                                                       \
	X(FORUM_BODY_LABEL)                                                                        \
	X(FORUM_MARKDOWN_HINT)                                                                     \
	X(FORUM_START_BUTTON)                                                                      \
	X(FORUM_REPLY_HEADING)                                                                     \
	X(FORUM_LOCKED_NOTICE)                                                                     \
	X(FORUM_REPLY_LABEL)                                                                       \
	X(FORUM_REPLY_BUTTON)                                                                      \
	X(FORUM_REPORT_HEADING)                                                                    \
	X(FORUM_REPORT_INTRO)                                                                      \
	X(FORUM_REPORT_POST)                                                                       \
	X(FORUM_REPORT_REASON)                                                                     \
	X(FORUM_REPORT_BUTTON)                                                                     \
	X(FORUM_REPORTED)                                                                          \
	X(SCAN_INTRO)                                                                              \
	X(SCAN_LIST_HEADING)                                                                       \
	X(SCAN_NONE)                                                                               \
	X(SCAN_TITLE_LABEL)                                                                        \
	X(SCAN_REGION_LABEL)                                                                       \
	X(SCAN_REGION_HINT)                                                                        \
	X(SCAN_STATUS)                                                                             \
	X(SCAN_CREATED)                                                                            \
	X(SCAN_OPEN)                                                                               \
	X(SCAN_CLOSED)                                                                             \
	X(SCAN_NEW_HEADING)                                                                        \
	X(SCAN_NEW_BUTTON)                                                                         \
	X(SCAN_ANSWER_TITLE)                                                                       \
	X(SCAN_ANSWER_INTRO)                                                                       \
	X(SCAN_SEE_PROFILE)                                                                        \
	X(SCAN_CLOSED_NOTICE)                                                                      \
	X(SCAN_LEVEL_NOT_STARTED)                                                                  \
	X(SCAN_LEVEL_PLANNED)                                                                      \
	X(SCAN_LEVEL_IN_PROGRESS)                                                                  \
	X(SCAN_LEVEL_EMBEDDED)                                                                     \
	X(SCAN_UNANSWERED)                                                                         \
	X(SCAN_NOTE)                                                                               \
	X(SCAN_PARTNERS)                                                                           \
	X(SCAN_SAVE)                                                                               \
	X(SCAN_PROFILE_TITLE)                                                                      \
	X(SCAN_REGION_SCORE)                                                                       \
	X(SCAN_SEE_ANSWERS)                                                                        \
	X(SCAN_EDIT_ANSWERS)                                                                       \
	X(SCAN_PROFILE_HEADING)                                                                    \
	X(SCAN_CHART_TITLE)                                                                        \
	X(SCAN_CHART_CAPTION)                                                                      \
	X(SCAN_TABLE_CAPTION)                                                                      \
	X(SCAN_SCORE)                                                                              \
	X(SCAN_ANSWERED)                                                                           \
	X(SCAN_PREVIOUS_SCORE)                                                                     \
	X(SCAN_CHANGE)                                                                             \
	X(SCAN_RECOMMENDATIONS)                                                                    \
	X(SCAN_NO_RECOMMENDATIONS)                                                                 \
	X(SCAN_COMPARISON)                                                                         \
	X(SCAN_NO_PREVIOUS)                                                                        \
	X(SCAN_PREVIOUS_SUMMARY)                                                                   \
	X(SCAN_CLOSE_HEADING)                                                                      \
	X(SCAN_CLOSE_INTRO)                                                                        \
	X(SCAN_CLOSE_BUTTON)                                                                       \
	X(EDIT_LINK)                                                                               \
	X(EDIT_TITLE)                                                                              \
	X(EDIT_NAME)                                                                               \
	X(EDIT_IN_DUTCH)                                                                           \
	X(EDIT_IN_ENGLISH)                                                                         \
	X(EDIT_NOTE)                                                                               \
	X(EDIT_SAVE_DRAFT)                                                                         \
	X(EDIT_PUBLISH)                                                                            \
	X(EDIT_SAVED)                                                                              \
	X(EDIT_STATE)                                                                              \
	X(EDIT_STATE_UNPUBLISHED)                                                                  \
	X(EDIT_VIEW_PUBLIC)                                                                        \
	X(EDIT_HISTORY)                                                                            \
	X(EDIT_VERSION)                                                                            \
	X(EDIT_AUTHOR)                                                                             \
	X(EDIT_PUBLISHED)                                                                          \
	X(EDIT_WAS_PUBLISHED)                                                                      \
	X(EDIT_DRAFT)                                                                              \
	X(BACK_TO_KNOWLEDGE)

#define I18N_ENUM_ITEM(name) T_##name,
enum i18n_key { I18N_KEYS(I18N_ENUM_ITEM) I18N_NKEYS };
#undef I18N_ENUM_ITEM

/* The text of `key` in `lang`; a key without a translation (a bug u-i18n catches) gives its
 * Dutch text, and failing that its name, so that a page is never blank. */
const char *i18n(enum kb_lang lang, enum i18n_key key);

/* The text of `key` in `lang` exactly as the table holds it: NULL when it lacks one. */
const char *i18n_lookup(enum kb_lang lang, enum i18n_key key);

/* The name of `key` without its T_ prefix ("NAV_HOME"). */
const char *i18n_key_name(enum i18n_key key);

#endif
