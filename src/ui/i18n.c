/*
 * The translation tables of the web UI: one per language, indexed by key (ui/i18n.h).
 * Dutch is the language of the platform and comes first; English follows it key for key.
 * Texts are plain text: pages escape them when they write them.
 */
#include "ui/i18n.h"

#include <stddef.h>

static const char *const text_nl[I18N_NKEYS] = {
    [T_SITE_NAME] = "inbeeld",
    [T_SITE_TAGLINE] = "Jongeren in de regio in beeld",
    [T_SKIP_TO_CONTENT] = "Naar de inhoud",
    [T_NAV_LABEL] = "Hoofdmenu",
    [T_NAV_HOME] = "Start",
    [T_NAV_KNOWLEDGE] = "Kennisplatform",
    [T_NAV_FAQ] = "Veelgestelde vragen",
    [T_NAV_SEARCH] = "Zoeken",
    [T_NAV_SCAN] = "Zelfscan",
    [T_NAV_FORUM] = "Forum",
    [T_NAV_SIGN_IN] = "Inloggen",
    [T_SIGNED_IN_AS] = "namens",
    [T_SIGN_OUT] = "Uitloggen",
    [T_SIGN_IN_TITLE] = "Inloggen",
    [T_SIGN_IN_INTRO] = "Log in met het account dat de beheerder van uw regio voor u heeft "
                        "gemaakt. Het kennisplatform zelf is ook zonder inloggen te lezen.",
    [T_SIGN_IN_USERNAME] = "Gebruikersnaam",
    [T_SIGN_IN_PASSWORD] = "Wachtwoord",
    [T_SIGN_IN_BUTTON] = "Inloggen",
    [T_SIGN_IN_REFUSED] = "Gebruikersnaam of wachtwoord klopt niet.",
    [T_SIGN_IN_LOCKED] = "Te vaak een verkeerd wachtwoord: het account is even geblokkeerd. "
                         "Probeer het over %ld seconden opnieuw.",
    [T_SIGN_IN_EXPIRED_FORM] = "Het formulier was verlopen. Vul het opnieuw in.",
    [T_SIGN_IN_ALREADY] = "U bent ingelogd.",
    [T_LANG_SWITCH_LABEL] = "Taal:",
    [T_LANG_OWN_NAME] = "Nederlands",
    [T_SEARCH_LABEL] = "Zoek in het kennisplatform",
    [T_SEARCH_BUTTON] = "Zoeken",
    [T_FOOTER_ABOUT] = "inbeeld helpt gemeenten, scholen, zorg en werkgevers in een regio "
                       "samen te zorgen dat geen jongere van 12 tot 27 jaar uit beeld raakt.",
    [T_FOOTER_API] = "De inhoud van het kennisplatform als JSON",
    [T_FOOTER_PRIVACY] = "De openbare pagina's bevatten geen persoonsgegevens.",
    [T_HOME_TITLE] = "Samen werken aan de kansen van jongeren",
    [T_HOME_INTRO] = "inbeeld brengt in één regio bij elkaar wat school, zorg en werk weten, "
                     "zodat jongeren die dreigen uit te vallen op tijd hulp krijgen. Partners "
                     "delen daarnaast hun kennis over wat werkt.",
    [T_HOME_KNOWLEDGE_HEADING] = "Het kennisplatform",
    [T_HOME_KNOWLEDGE_TEXT] = "Tien vraagstukken waar gemeenten, scholen, zorg en werkgevers "
                              "samen aan werken, met de acties die helpen, voorbeelden uit de "
                              "praktijk en antwoorden op veelgestelde vragen. Openbaar, zonder "
                              "inloggen.",
    [T_HOME_KNOWLEDGE_LINK] = "Naar het kennisplatform",
    [T_HOME_PARTNERS_HEADING] = "Voor partners in de regio",
    [T_HOME_PARTNERS_TEXT] = "Professionals van gemeenten, scholen, zorg en werkgevers werken "
                             "met een eigen account aan de zelfscan van hun regio en praten "
                             "mee op het forum.",
    [T_KENNIS_TITLE] = "Kennisplatform",
    [T_KENNIS_INTRO] = "Wat kan een regio doen om jongeren in beeld te houden? Per vraagstuk: "
                       "wat er op het spel staat, hoe samenwerking helpt, welke acties werken "
                       "en waar dat in de praktijk al is gelukt.",
    [T_KENNIS_THEMES_HEADING] = "Vraagstukken",
    [T_KENNIS_ACTION_COUNT] = "Acties: %ld",
    [T_KENNIS_PRACTICE_COUNT] = "Praktijkvoorbeelden: %ld",
    [T_KENNIS_PRACTICES_HEADING] = "Praktijkvoorbeelden en pilots",
    [T_BREADCRUMB_LABEL] = "Kruimelpad",
    [T_THEME_STAKE] = "Wat staat er op het spel",
    [T_THEME_COOPERATION] = "Hoe regionale samenwerking helpt",
    [T_THEME_ACTIONS] = "Mogelijke acties",
    [T_THEME_PRACTICES] = "Praktijkvoorbeelden",
    [T_THEME_NO_PRACTICES] = "Bij dit vraagstuk staan nog geen praktijkvoorbeelden.",
    [T_THEME_FAQ_LINK] = "Veelgestelde vragen over dit vraagstuk",
    [T_THEME_ON_THIS_PAGE] = "Op deze pagina",
    [T_PRACTICE_KIND] = "Soort",
    [T_PRACTICE_KIND_PRACTICE] = "Praktijkvoorbeeld",
    [T_PRACTICE_KIND_PILOT] = "Pilot",
    [T_PRACTICE_REGION] = "Regio",
    [T_PRACTICE_PARTNERS] = "Partners",
    [T_PRACTICE_TARGET_GROUPS] = "Doelgroepen",
    [T_PRACTICE_WHAT] = "Wat doen ze",
    [T_PRACTICE_RESULT] = "Wat leverde het op",
    [T_PRACTICE_THEMES] = "Vraagstukken",
    [T_PRACTICE_ACTIONS_SEEN_IN] = "Zo gedaan in:",
    [T_PRACTICE_ACTIONS] = "Acties die dit voorbeeld laat zien",
    [T_PRACTICE_CONTACT] = "Contact",
    [T_PRACTICE_SOURCE] = "Bron",
    [T_FAQ_TITLE] = "Veelgestelde vragen",
    [T_FAQ_INTRO] = "Antwoorden op vragen die partners in de regio vaak stellen, per "
                    "vraagstuk.",
    [T_FAQ_FILTER_LEGEND] = "Vragen tonen over",
    [T_FAQ_FILTER_BUTTON] = "Tonen",
    [T_FAQ_NONE] = "Bij dit vraagstuk staan nog geen vragen.",
    [T_FILTER_THEME] = "Vraagstuk",
    [T_FILTER_TARGET_GROUP] = "Doelgroep",
    [T_FILTER_ALL_THEMES] = "Alle vraagstukken",
    [T_FILTER_ALL_GROUPS] = "Alle doelgroepen",
    [T_SEARCH_TITLE] = "Zoeken",
    [T_SEARCH_RESULTS_FOR] = "Resultaten voor ‘%s’",
    [T_SEARCH_RESULT_COUNT] = "Gevonden: %ld.",
    [T_SEARCH_SHOWING_FIRST] = "Hieronder de eerste %ld.",
    [T_SEARCH_NO_RESULTS] = "Niets gevonden. Probeer andere of minder woorden, of zoek zonder "
                            "filter.",
    [T_SEARCH_NO_WORDS] = "Typ een of meer zoekwoorden (hoogstens zestien).",
    [T_SEARCH_UNKNOWN_FILTER] = "Dat vraagstuk of die doelgroep bestaat niet. Kies een filter "
                                "uit de lijst.",
    [T_SEARCH_HINT] = "Bijvoorbeeld: stage, verzuim, jeugdhulp op school.",
    [T_KIND_THEME] = "Vraagstuk",
    [T_KIND_ACTION] = "Actie",
    [T_KIND_PRACTICE] = "Praktijkvoorbeeld",
    [T_KIND_PILOT] = "Pilot",
    [T_KIND_FAQ] = "Veelgestelde vraag",
    [T_NOT_FOUND_TITLE] = "Pagina niet gevonden",
    [T_NOT_FOUND_TEXT] = "Deze pagina bestaat niet (meer). Misschien is de inhoud verplaatst "
                         "of nog niet gepubliceerd.",
    [T_ERROR_TITLE] = "Er ging iets mis",
    [T_ERROR_TEXT] = "De pagina kon nu niet worden gemaakt. Probeer het over een paar minuten "
                     "opnieuw.",
    [T_FORM_REFUSED] =
        "Dit kon niet worden opgeslagen. Pas het formulier aan en probeer het opnieuw.",
    [T_FORUM_INTRO] =
        "Stel vragen en deel ervaringen met professionals uit alle regio's, per vraagstuk.",
    [T_FORUM_NO_PERSONAL_DATA] =
        "Plaats geen persoonsgegevens van jongeren: geen namen, BSN, adressen, geboortedata of "
        "iets anders waaraan een jongere te herkennen is.",
    [T_FORUM_NO_THREADS] = "Er zijn nog geen onderwerpen.",
    [T_FORUM_THREADS_HEADING] = "Onderwerpen",
    [T_FORUM_LOCKED] = "gesloten",
    [T_FORUM_REPLY_COUNT] = "Reacties: %ld",
    [T_FORUM_START_HEADING] = "Nieuw onderwerp starten",
    [T_FORUM_TITLE_LABEL] = "Titel",
    [T_FORUM_BODY_LABEL] = "Uw bericht",
    [T_FORUM_MARKDOWN_HINT] =
        "U kunt Markdown gebruiken: *cursief*, **vet**, lijstjes met een streepje.",
    [T_FORUM_START_BUTTON] = "Onderwerp plaatsen",
    [T_FORUM_REPLY_HEADING] = "Reageren",
    [T_FORUM_LOCKED_NOTICE] = "Dit onderwerp is gesloten: er kan niet meer op worden gereageerd.",
    [T_FORUM_REPLY_LABEL] = "Uw reactie",
    [T_FORUM_REPLY_BUTTON] = "Reactie plaatsen",
    [T_FORUM_REPORT_HEADING] = "Bericht melden",
    [T_FORUM_REPORT_INTRO] = "Staat er iets in een bericht dat er niet hoort, zoals gegevens van "
                             "een jongere? Meld het aan de redactie.",
    [T_FORUM_REPORT_POST] = "Welk bericht",
    [T_FORUM_REPORT_REASON] = "Waarom meldt u dit bericht?",
    [T_FORUM_REPORT_BUTTON] = "Melden",
    [T_FORUM_REPORTED] = "Dank u. De redactie bekijkt uw melding.",
    [T_SCAN_INTRO] = "Met de zelfscan brengt u met de partners in uw regio in kaart hoe ver de "
                     "aanpak per vraagstuk is. Het profiel laat zien waar de regio staat en welke "
                     "acties nu het meest opleveren.",
    [T_SCAN_LIST_HEADING] = "Zelfscans",
    [T_SCAN_NONE] = "Er zijn nog geen zelfscans.",
    [T_SCAN_TITLE_LABEL] = "Titel",
    [T_SCAN_REGION_LABEL] = "Regio",
    [T_SCAN_REGION_HINT] = "Een RMC-regiocode, zoals MC39, of de naam van de regio.",
    [T_SCAN_STATUS] = "Stand",
    [T_SCAN_CREATED] = "Gestart",
    [T_SCAN_OPEN] = "open",
    [T_SCAN_CLOSED] = "afgesloten",
    [T_SCAN_NEW_HEADING] = "Nieuwe zelfscan",
    [T_SCAN_NEW_BUTTON] = "Zelfscan starten",
    [T_SCAN_ANSWER_TITLE] = "Zelfscan: %s",
    [T_SCAN_ANSWER_INTRO] =
        "Kies per actie hoe ver de regio is. Een toelichting en de betrokken partners helpen bij "
        "het gesprek erover. Eerdere antwoorden blijven bewaard.",
    [T_SCAN_SEE_PROFILE] = "Bekijk het profiel",
    [T_SCAN_CLOSED_NOTICE] = "Deze zelfscan is afgesloten: de antwoorden liggen vast.",
    [T_SCAN_LEVEL_NOT_STARTED] = "Niet gestart",
    [T_SCAN_LEVEL_PLANNED] = "Gepland",
    [T_SCAN_LEVEL_IN_PROGRESS] = "Bezig",
    [T_SCAN_LEVEL_EMBEDDED] = "Verankerd",
    [T_SCAN_UNANSWERED] = "Niet beantwoord",
    [T_SCAN_NOTE] = "Toelichting",
    [T_SCAN_PARTNERS] = "Betrokken partners (gescheiden door komma's)",
    [T_SCAN_SAVE] = "Antwoorden opslaan",
    [T_SCAN_PROFILE_TITLE] = "Profiel: %s",
    [T_SCAN_REGION_SCORE] = "Score van de regio: %.0f van 100.",
    [T_SCAN_SEE_ANSWERS] = "Bekijk de antwoorden",
    [T_SCAN_EDIT_ANSWERS] = "Antwoorden aanvullen of wijzigen",
    [T_SCAN_PROFILE_HEADING] = "Profiel per vraagstuk",
    [T_SCAN_CHART_TITLE] = "Score per vraagstuk, van 0 tot 100",
    [T_SCAN_CHART_CAPTION] =
        "Score per vraagstuk (0 tot 100): het gemiddelde niveau van de acties, waarbij een "
        "onbeantwoorde actie telt als niet gestart. De tabel geeft dezelfde cijfers.",
    [T_SCAN_TABLE_CAPTION] = "Score, beantwoorde acties en verandering per vraagstuk",
    [T_SCAN_SCORE] = "Score",
    [T_SCAN_ANSWERED] = "Beantwoord",
    [T_SCAN_PREVIOUS_SCORE] = "Vorige scan",
    [T_SCAN_CHANGE] = "Verandering",
    [T_SCAN_RECOMMENDATIONS] = "Acties om nu op te pakken",
    [T_SCAN_NO_RECOMMENDATIONS] = "Geen acties die nog gepland of niet gestart zijn.",
    [T_SCAN_COMPARISON] = "Vergelijking met de vorige scan",
    [T_SCAN_NO_PREVIOUS] =
        "Er is nog geen eerdere, afgesloten zelfscan van deze regio om mee te vergelijken.",
    [T_SCAN_PREVIOUS_SUMMARY] =
        "Vorige scan: %s (afgesloten %s). Score van de regio toen %.0f, nu %.0f.",
    [T_SCAN_CLOSE_HEADING] = "Zelfscan afsluiten",
    [T_SCAN_CLOSE_INTRO] = "Sluit de scan af als alle partners hun antwoorden hebben gegeven. Een "
                           "volgende scan van de regio wordt met deze vergeleken.",
    [T_SCAN_CLOSE_BUTTON] = "Zelfscan afsluiten",
    [T_EDIT_LINK] = "Bewerken",
    [T_EDIT_TITLE] = "Bewerken: %s",
    [T_EDIT_NAME] = "Naam",
    [T_EDIT_IN_DUTCH] = "Nederlands",
    [T_EDIT_IN_ENGLISH] = "Engels",
    [T_EDIT_NOTE] = "Wat is er veranderd",
    [T_EDIT_SAVE_DRAFT] = "Opslaan als concept",
    [T_EDIT_PUBLISH] = "Opslaan en publiceren",
    [T_EDIT_SAVED] = "Opgeslagen als concept. Het publiek ziet nog de gepubliceerde versie.",
    [T_EDIT_STATE] = "Laatste versie: %ld. Gepubliceerd: versie %ld.",
    [T_EDIT_STATE_UNPUBLISHED] = "Laatste versie: %ld. Nog niet gepubliceerd.",
    [T_EDIT_VIEW_PUBLIC] = "Bekijk de openbare pagina",
    [T_EDIT_HISTORY] = "Versies",
    [T_EDIT_VERSION] = "Versie",
    [T_EDIT_AUTHOR] = "Door",
    [T_EDIT_PUBLISHED] = "gepubliceerd",
    [T_EDIT_WAS_PUBLISHED] = "eerder gepubliceerd",
    [T_EDIT_DRAFT] = "concept",
    [T_BACK_TO_KNOWLEDGE] = "Terug naar het kennisplatform",
};

static const char *const text_en[I18N_NKEYS] = {
    [T_SITE_NAME] = "inbeeld",
    [T_SITE_TAGLINE] = "Keeping the region's young people in view",
    [T_SKIP_TO_CONTENT] = "Skip to content",
    [T_NAV_LABEL] = "Main menu",
    [T_NAV_HOME] = "Home",
    [T_NAV_KNOWLEDGE] = "Knowledge platform",
    [T_NAV_FAQ] = "Frequently asked questions",
    [T_NAV_SEARCH] = "Search",
    [T_NAV_SCAN] = "Self-scan",
    [T_NAV_FORUM] = "Forum",
    [T_NAV_SIGN_IN] = "Sign in",
    [T_SIGNED_IN_AS] = "for",
    [T_SIGN_OUT] = "Sign out",
    [T_SIGN_IN_TITLE] = "Sign in",
    [T_SIGN_IN_INTRO] = "Sign in with the account your region's administrator made for you. "
                        "The knowledge platform itself can be read without signing in.",
    [T_SIGN_IN_USERNAME] = "User name",
    [T_SIGN_IN_PASSWORD] = "Password",
    [T_SIGN_IN_BUTTON] = "Sign in",
    [T_SIGN_IN_REFUSED] = "The user name or password is not right.",
    [T_SIGN_IN_LOCKED] = "Too many wrong passwords: the account is blocked for a while. "
                         "Please try again in %ld seconds.",
    [T_SIGN_IN_EXPIRED_FORM] = "The form had expired. Please fill it in again.",
    [T_SIGN_IN_ALREADY] = "You are signed in.",
    [T_LANG_SWITCH_LABEL] = "Language:",
    [T_LANG_OWN_NAME] = "English",
    [T_SEARCH_LABEL] = "Search the knowledge platform",
    [T_SEARCH_BUTTON] = "Search",
    [T_FOOTER_ABOUT] = "inbeeld helps a region's municipalities, schools, care providers and "
                       "employers make sure together that no young person aged 12 to 27 "
                       "drops out of view.",
    [T_FOOTER_API] = "The knowledge platform's content as JSON",
    [T_FOOTER_PRIVACY] = "The public pages hold no personal data.",
    [T_HOME_TITLE] = "Working together on young people's chances",
    [T_HOME_INTRO] = "inbeeld brings together, within one region, what school, care and work "
                     "know, so that young people at risk of dropping out get help in time. "
                     "Partners also share what they know about what works.",
    [T_HOME_KNOWLEDGE_HEADING] = "The knowledge platform",
    [T_HOME_KNOWLEDGE_TEXT] = "Ten issues that municipalities, schools, care providers and "
                              "employers work on together, with the actions that help, examples "
                              "from practice and answers to frequently asked questions. Public, "
                              "no sign-in needed.",
    [T_HOME_KNOWLEDGE_LINK] = "Go to the knowledge platform",
    [T_HOME_PARTNERS_HEADING] = "For partners in the region",
    [T_HOME_PARTNERS_TEXT] = "Professionals of municipalities, schools, care providers and "
                             "employers use their own account to work on their region's "
                             "self-scan and to take part in the forum.",
    [T_KENNIS_TITLE] = "Knowledge platform",
    [T_KENNIS_INTRO] = "What can a region do to keep young people in view? For each issue: "
                       "what is at stake, how cooperation helps, which actions work and where "
                       "that has already succeeded in practice.",
    [T_KENNIS_THEMES_HEADING] = "Issues",
    [T_KENNIS_ACTION_COUNT] = "Actions: %ld",
    [T_KENNIS_PRACTICE_COUNT] = "Practices: %ld",
    [T_KENNIS_PRACTICES_HEADING] = "Practices and pilots",
    [T_BREADCRUMB_LABEL] = "Breadcrumb",
    [T_THEME_STAKE] = "What is at stake",
    [T_THEME_COOPERATION] = "How regional cooperation helps",
    [T_THEME_ACTIONS] = "Possible actions",
    [T_THEME_PRACTICES] = "Practices",
    [T_THEME_NO_PRACTICES] = "There are no practices for this issue yet.",
    [T_THEME_FAQ_LINK] = "Frequently asked questions on this issue",
    [T_THEME_ON_THIS_PAGE] = "On this page",
    [T_PRACTICE_KIND] = "Kind",
    [T_PRACTICE_KIND_PRACTICE] = "Practice",
    [T_PRACTICE_KIND_PILOT] = "Pilot",
    [T_PRACTICE_REGION] = "Region",
    [T_PRACTICE_PARTNERS] = "Partners",
    [T_PRACTICE_TARGET_GROUPS] = "Target groups",
    [T_PRACTICE_WHAT] = "What they do",
    [T_PRACTICE_RESULT] = "What came of it",
    [T_PRACTICE_THEMES] = "Issues",
    [T_PRACTICE_ACTIONS_SEEN_IN] = "Done this way in:",
    [T_PRACTICE_ACTIONS] = "Actions this practice shows",
    [T_PRACTICE_CONTACT] = "Contact",
    [T_PRACTICE_SOURCE] = "Source",
    [T_FAQ_TITLE] = "Frequently asked questions",
    [T_FAQ_INTRO] = "Answers to questions that partners in the region often ask, by issue.",
    [T_FAQ_FILTER_LEGEND] = "Show questions about",
    [T_FAQ_FILTER_BUTTON] = "Show",
    [T_FAQ_NONE] = "There are no questions on this issue yet.",
    [T_FILTER_THEME] = "Issue",
    [T_FILTER_TARGET_GROUP] = "Target group",
    [T_FILTER_ALL_THEMES] = "All issues",
    [T_FILTER_ALL_GROUPS] = "All target groups",
    [T_SEARCH_TITLE] = "Search",
    [T_SEARCH_RESULTS_FOR] = "Results for ‘%s’",
    [T_SEARCH_RESULT_COUNT] = "Found: %ld.",
    [T_SEARCH_SHOWING_FIRST] = "The first %ld are shown below.",
    [T_SEARCH_NO_RESULTS] = "Nothing found. Try other or fewer words, or search without a "
                            "filter.",
    [T_SEARCH_NO_WORDS] = "Type one or more search words (at most sixteen).",
    [T_SEARCH_UNKNOWN_FILTER] = "That issue or target group does not exist. Choose a filter "
                                "from the list.",
    [T_SEARCH_HINT] = "For example: internship, absence, youth care at school.",
    [T_KIND_THEME] = "Issue",
    [T_KIND_ACTION] = "Action",
    [T_KIND_PRACTICE] = "Practice",
    [T_KIND_PILOT] = "Pilot",
    [T_KIND_FAQ] = "Frequently asked question",
    [T_NOT_FOUND_TITLE] = "Page not found",
    [T_NOT_FOUND_TEXT] = "This page does not exist (any more). Perhaps its content has moved "
                         "or has not been published yet.",
    [T_ERROR_TITLE] = "Something went wrong",
    [T_ERROR_TEXT] = "The page could not be made just now. Please try again in a few minutes.",
    [T_FORM_REFUSED] = "This could not be saved. Please change the form and try again.",
    [T_FORUM_INTRO] =
        "Ask questions and share experience with professionals from all regions, by issue.",
    [T_FORUM_NO_PERSONAL_DATA] =
        "Do not post personal data of young people: no names, BSN, addresses, dates of birth or "
        "anything else by which a young person can be recognised.",
    [T_FORUM_NO_THREADS] = "There are no topics yet.",
    [T_FORUM_THREADS_HEADING] = "Topics",
    [T_FORUM_LOCKED] = "locked",
    [T_FORUM_REPLY_COUNT] = "Replies: %ld",
    [T_FORUM_START_HEADING] = "Start a new topic",
    [T_FORUM_TITLE_LABEL] = "Title",
    [T_FORUM_BODY_LABEL] = "Your message",
    [T_FORUM_MARKDOWN_HINT] = "You can use Markdown: *italic*, **bold**, lists with a dash.",
    [T_FORUM_START_BUTTON] = "Post the topic",
    [T_FORUM_REPLY_HEADING] = "Reply",
    [T_FORUM_LOCKED_NOTICE] = "This topic is locked: it takes no more replies.",
    [T_FORUM_REPLY_LABEL] = "Your reply",
    [T_FORUM_REPLY_BUTTON] = "Post the reply",
    [T_FORUM_REPORT_HEADING] = "Report a message",
    [T_FORUM_REPORT_INTRO] = "Does a message hold something that does not belong there, such as "
                             "data of a young person? Report it to the editors.",
    [T_FORUM_REPORT_POST] = "Which message",
    [T_FORUM_REPORT_REASON] = "Why do you report this message?",
    [T_FORUM_REPORT_BUTTON] = "Report",
    [T_FORUM_REPORTED] = "Thank you. The editors will look at your report.",
    [T_SCAN_INTRO] = "With the self-scan you and the partners in your region map how far the "
                     "approach to each issue has come. The profile shows where the region stands "
                     "and which actions now pay off most.",
    [T_SCAN_LIST_HEADING] = "Self-scans",
    [T_SCAN_NONE] = "There are no self-scans yet.",
    [T_SCAN_TITLE_LABEL] = "Title",
    [T_SCAN_REGION_LABEL] = "Region",
    [T_SCAN_REGION_HINT] = "An RMC region code, such as MC39, or the region's name.",
    [T_SCAN_STATUS] = "State",
    [T_SCAN_CREATED] = "Started",
    [T_SCAN_OPEN] = "open",
    [T_SCAN_CLOSED] = "closed",
    [T_SCAN_NEW_HEADING] = "New self-scan",
    [T_SCAN_NEW_BUTTON] = "Start the self-scan",
    [T_SCAN_ANSWER_TITLE] = "Self-scan: %s",
    [T_SCAN_ANSWER_INTRO] =
        "For each action, choose how far the region has come. A note and the partners involved "
        "help the conversation about it. Earlier answers are kept.",
    [T_SCAN_SEE_PROFILE] = "See the profile",
    [T_SCAN_CLOSED_NOTICE] = "This self-scan is closed: its answers are final.",
    [T_SCAN_LEVEL_NOT_STARTED] = "Not started",
    [T_SCAN_LEVEL_PLANNED] = "Planned",
    [T_SCAN_LEVEL_IN_PROGRESS] = "In progress",
    [T_SCAN_LEVEL_EMBEDDED] = "Embedded",
    [T_SCAN_UNANSWERED] = "Not answered",
    [T_SCAN_NOTE] = "Note",
    [T_SCAN_PARTNERS] = "Partners involved (separated by commas)",
    [T_SCAN_SAVE] = "Save the answers",
    [T_SCAN_PROFILE_TITLE] = "Profile: %s",
    [T_SCAN_REGION_SCORE] = "The region's score: %.0f out of 100.",
    [T_SCAN_SEE_ANSWERS] = "See the answers",
    [T_SCAN_EDIT_ANSWERS] = "Add to or change the answers",
    [T_SCAN_PROFILE_HEADING] = "Profile by issue",
    [T_SCAN_CHART_TITLE] = "Score by issue, from 0 to 100",
    [T_SCAN_CHART_CAPTION] =
        "Score by issue (0 to 100): the mean level of its actions, an unanswered action counting "
        "as not started. The table gives the same figures.",
    [T_SCAN_TABLE_CAPTION] = "Score, answered actions and change by issue",
    [T_SCAN_SCORE] = "Score",
    [T_SCAN_ANSWERED] = "Answered",
    [T_SCAN_PREVIOUS_SCORE] = "Previous scan",
    [T_SCAN_CHANGE] = "Change",
    [T_SCAN_RECOMMENDATIONS] = "Actions to take up now",
    [T_SCAN_NO_RECOMMENDATIONS] = "No actions are still planned or not started.",
    [T_SCAN_COMPARISON] = "Comparison with the previous scan",
    [T_SCAN_NO_PREVIOUS] =
        "There is no earlier, closed self-scan of this region to compare with yet.",
    [T_SCAN_PREVIOUS_SUMMARY] =
        "Previous scan: %s (closed %s). The region's score was %.0f then, %.0f now.",
    [T_SCAN_CLOSE_HEADING] = "Close the self-scan",
    [T_SCAN_CLOSE_INTRO] = "Close the scan when all partners have given their answers. The "
                           "region's next scan is compared with this one.",
    [T_SCAN_CLOSE_BUTTON] = "Close the self-scan",
    [T_EDIT_LINK] = "Edit",
    [T_EDIT_TITLE] = "Edit: %s",
    [T_EDIT_NAME] = "Name",
    [T_EDIT_IN_DUTCH] = "Dutch",
    [T_EDIT_IN_ENGLISH] = "English",
    [T_EDIT_NOTE] = "What changed",
    [T_EDIT_SAVE_DRAFT] = "Save as draft",
    [T_EDIT_PUBLISH] = "Save and publish",
    [T_EDIT_SAVED] = "Saved as a draft. The public still sees the published version.",
    [T_EDIT_STATE] = "Latest version: %ld. Published: version %ld.",
    [T_EDIT_STATE_UNPUBLISHED] = "Latest version: %ld. Not published yet.",
    [T_EDIT_VIEW_PUBLIC] = "See the public page",
    [T_EDIT_HISTORY] = "Versions",
    [T_EDIT_VERSION] = "Version",
    [T_EDIT_AUTHOR] = "By",
    [T_EDIT_PUBLISHED] = "published",
    [T_EDIT_WAS_PUBLISHED] = "published before",
    [T_EDIT_DRAFT] = "draft",
    [T_BACK_TO_KNOWLEDGE] = "Back to the knowledge platform",
};

static const char *const *const tables[KB_NLANGS] = {[KB_NL] = text_nl, [KB_EN] = text_en};

#define I18N_NAME_ITEM(name) #name,
static const char *const key_names[I18N_NKEYS] = {I18N_KEYS(I18N_NAME_ITEM)};
#undef I18N_NAME_ITEM

const char *i18n_lookup(enum kb_lang lang, enum i18n_key key)
{
	if ((unsigned)lang >= KB_NLANGS || (unsigned)key >= I18N_NKEYS)
		return NULL;
	return tables[lang][key];
}

const char *i18n(enum kb_lang lang, enum i18n_key key)
{
	const char *s = i18n_lookup(lang, key);
	if (!s)
		s = i18n_lookup(KB_NL, key);
	return s ? s : i18n_key_name(key);
}

const char *i18n_key_name(enum i18n_key key)
{
	return (unsigned)key < I18N_NKEYS ? key_names[key] : "?";
}
