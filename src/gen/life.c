/*
 * One young person's life, from the seed and their index alone: identity, birth, where they
 * live and move, their school career from age 12 (VO, VSO or PrO, then mbo, higher education
 * or work), diplomas, work and income, youth care and Wmo, and absence reports. The rates are
 * in parts per million and each is explained, with its source or marked as an assumption, in
 * docs/generator.md (the section names are given next to them here).
 *
 * Everything is generated up to the as-of date and then clipped to the time the person is in
 * the region's view (until they move out of the region or die).
 */
#include "gen/gen-internal.h"

#include <string.h>

const char *const gen_end_reasons[] = {"",          "diploma",    "overstap",  "uitval",
                                       "uitstroom", "verhuizing", "overlijden"};
const char *const gen_absence_kinds[] = {"relatief", "absoluut", "luxe", "signaal"};
const char *const gen_absence_statuses[] = {"Geregistreerd", "In behandeling", "Afgesloten",
                                            "Ingetrokken", "Ter kennisgeving aangenomen"};
const char *const gen_work_kinds[] = {"employment", "participatiewet",     "ww",
                                      "wajong",     "doelgroepenregister", "dagbesteding"};
const char *const gen_vrij_articles[] = {"5a", "5b", "5c", "3a", "15"};

/* clang-format off */
const char *const gen_streets[] = {
	"Kerkstraat", "Schoolstraat", "Molenweg", "Dorpsstraat", "Hoofdstraat", "Stationsstraat",
	"Julianastraat", "Beatrixlaan", "Wilhelminastraat", "Nieuwstraat", "Markt", "Veldstraat",
	"Akerstraat", "Rijksweg", "Putstraat", "Heerweg", "Kapelstraat", "Lindelaan",
	"Kastanjelaan", "Eikenlaan", "Beukenstraat", "Mergelweg", "Bronstraat", "Maasboulevard",
	"Groenstraat", "Bergstraat", "Pastoor Habetsstraat", "Oranjeplein", "Emmastraat",
	"Prins Bernhardstraat", "Burgemeester Visschersstraat", "Hoogstraat", "Weverstraat",
	"Klimmenderstraat", "Vijverweg", "Heuvelweg", "Dalstraat", "Geulstraat", "Kloosterstraat",
	"Sint Jozefstraat"
};
/* clang-format on */
const int gen_nstreets = (int)(sizeof(gen_streets) / sizeof(*gen_streets));

/* Postcode letters: F, I, O, Q, U and Y are left out (assumption, docs/generator.md). */
static const char postcode_letters[] = "ABCDEGHJKLMNPRSTVWXZ";

enum exit_kind { EXIT_NONE, EXIT_SK, EXIT_NOSK, EXIT_PRO, EXIT_VSO, EXIT_DAGB };

/* How a young person left education, which decides their start on the labour market. */
struct exit_info {
	enum exit_kind kind;
	date_t date;        /* first day out of education; DATE_NONE while in it */
	bool job_first;     /* went straight to a job (PrO/VSO outflow "work") */
	date_t study_from;  /* higher education, not in the feeds: from … */
	date_t study_until; /* … to (DATE_NONE: none) */
	bool special;       /* went to VSO or PrO */
};

static date_t min_date(date_t a, date_t b)
{
	return a < b ? a : b;
}

static date_t max_date(date_t a, date_t b)
{
	return a > b ? a : b;
}

static date_t school_year(int y)
{
	return date_from_ymd(y, 8, 1);
}

static date_t year_end(int y)
{
	return date_from_ymd(y + 1, 7, 31);
}

/* A teaching day of school year y: 1 September to 30 June. */
static date_t teaching_day(struct rng *r, int y)
{
	return date_from_ymd(y, 9, 1) + (int)rng_below(r, 303);
}

static date_t day_between(struct rng *r, date_t from, date_t to)
{
	return to <= from ? from : from + (int)rng_below(r, (uint32_t)(to - from + 1));
}

static int year_of(date_t d)
{
	int y, m, dd;
	date_to_ymd(d, &y, &m, &dd);
	return y;
}

/* ---- identity, birth, residence ---- */

static void identity(const struct gen_world *w, struct rng *r, struct youth *y)
{
	static const uint32_t count_weights[] = {45, 40, 15}; /* 1, 2 or 3 given names */
	const struct gen_ref *ref = w->ref;
	y->sex = (int)rng_below(r, 2);
	int n = 1 + rng_weighted(r, count_weights, 3), picked[3];
	size_t len = 0;
	for (int i = 0; i < n; i++) {
		int k;
		bool again;
		do {
			k = (int)rng_below(r, (uint32_t)ref->nfirst[y->sex]);
			again = false;
			for (int j = 0; j < i; j++)
				again |= picked[j] == k;
		} while (again);
		picked[i] = k;
		const char *name = ref->first[y->sex][k];
		size_t nl = strlen(name);
		if (len + nl + 2 > sizeof(y->given_names))
			break;
		if (i)
			y->given_names[len++] = ' ';
		memcpy(y->given_names + len, name, nl);
		len += nl;
	}
	y->given_names[len] = '\0';
	y->surname = (int)rng_below(r, (uint32_t)ref->nsurnames);
}

/* Ages 4-27 on the as-of date, evenly spread (section "Population"). */
static void birth(const struct gen_world *w, struct rng *r, struct youth *y)
{
	date_t as_of = w->frame.as_of;
	int age = rng_range(r, 4, 27);
	date_t top = date_add_months(as_of, -12 * age);
	date_t low = date_add_months(as_of, -12 * (age + 1)) + 1;
	y->birth = day_between(r, low, top);
	/* A 29 February birthday is reached on 1 March (date_age); stay within the age. */
	while (date_age(y->birth, as_of) > age)
		y->birth++;
	while (date_age(y->birth, as_of) < age)
		y->birth--;
}

static void new_address(const struct gen_world *w, struct rng *r, struct youth *y, int muni,
                        date_t in)
{
	const struct gen_muni *m = &w->ref->munis[muni];
	struct addr *a = &y->addr[y->naddr++];
	a->muni = muni;
	a->pc4 = m->first_pc4 + (int)rng_below(r, (uint32_t)m->npc4);
	/* Two letters; never SA, SD or SS. */
	do {
		a->letters[0] = postcode_letters[rng_below(r, sizeof(postcode_letters) - 1)];
		a->letters[1] = postcode_letters[rng_below(r, sizeof(postcode_letters) - 1)];
	} while (a->letters[0] == 'S' &&
	         (a->letters[1] == 'A' || a->letters[1] == 'D' || a->letters[1] == 'S'));
	a->letters[2] = '\0';
	a->street = (int)rng_below(r, (uint32_t)gen_nstreets);
	a->number = rng_chance(r, 600000) ? rng_range(r, 1, 40) : rng_range(r, 1, 250);
	a->suffix = rng_chance(r, 60000) ? (char)('A' + rng_below(r, 4)) : 0;
	a->in = in;
	a->out = DATE_NONE;
}

/* Moves within and out of the region, and deaths (section "Residence"). */
static void residence(const struct gen_world *w, struct rng *r, struct youth *y)
{
	const struct gen_ref *ref = w->ref;
	date_t window = w->frame.window, as_of = w->frame.as_of;
	y->died = DATE_NONE;
	y->gone = DATE_NONE;
	date_t in = y->birth;
	/* A quarter did not live here from birth but moved in before the history starts. */
	if (y->birth < window - 1 && rng_chance(r, 250000))
		in = day_between(r, y->birth + 1, min_date(window, as_of) - 1);
	new_address(w, r, y, rng_weighted(r, ref->muni_weights, ref->nmunis), in);
	for (date_t t = max_date(window, y->birth); t <= as_of; t += 365) {
		date_t stop = min_date(t + 364, as_of);
		int age = date_age(y->birth, t);
		if (rng_chance(r, 300))
			y->died = day_between(r, t, stop);
		date_t until = min_date(stop, y->died);
		/* Moves fall after the history's first day, so everyone is in view on that day. */
		if (rng_chance(r, age < 18 ? 8000 : 30000)) {
			date_t d = day_between(r, t + 1, until);
			if (d <= until && d > y->addr[y->naddr - 1].in) {
				y->addr[y->naddr - 1].out = d;
				y->gone = d;
				y->died =
				    DATE_NONE; /* a death elsewhere is not the region's to know */
				return;
			}
		}
		if (rng_chance(r, age < 18 ? 40000 : 80000) && y->naddr < MAX_ADDR) {
			date_t d = day_between(r, t + 1, until);
			struct addr *cur = &y->addr[y->naddr - 1];
			int muni = rng_chance(r, 500000)
			               ? cur->muni
			               : rng_weighted(r, ref->muni_weights, ref->nmunis);
			if (d > cur->in && d <= until && d < y->died) {
				cur->out = d;
				new_address(w, r, y, muni, d);
			}
		}
		if (y->died != DATE_NONE) {
			y->gone = y->died + 1;
			return;
		}
	}
}

static int muni_at(const struct youth *y, date_t d)
{
	for (int i = y->naddr - 1; i > 0; i--)
		if (y->addr[i].in <= d)
			return y->addr[i].muni;
	return y->addr[0].muni;
}

/* ---- school career (section "Education") ---- */

enum { GO_OUT = -1, GO_HO = -2, GO_DAGB = -3, GO_WORK = -4 };

struct route {
	int to; /* a level or GO_* */
	uint32_t weight;
	int grade; /* grade to enter (VO), 0: 1 */
};

static const struct route after_vmbo_b[] = {{LV_MBO2, 920, 0}, {LV_MBO1, 50, 0}, {GO_OUT, 30, 0}};
static const struct route after_vmbo_k[] = {{LV_MBO3, 560, 0}, {LV_MBO2, 415, 0}, {GO_OUT, 25, 0}};
static const struct route after_vmbo_t[] = {
    {LV_HAVO, 150, 4}, {LV_MBO4, 600, 0}, {LV_MBO3, 225, 0}, {GO_OUT, 25, 0}};
static const struct route after_havo[] = {
    {GO_HO, 720, 0}, {LV_MBO4, 130, 0}, {LV_VWO, 50, 5}, {GO_OUT, 100, 0}};
static const struct route after_vwo[] = {{GO_HO, 920, 0}, {GO_OUT, 80, 0}};
static const struct route after_mbo1[] = {{LV_MBO2, 600, 0}, {GO_OUT, 400, 0}};
static const struct route after_mbo2[] = {{LV_MBO3, 400, 0}, {GO_OUT, 600, 0}};
static const struct route after_mbo3[] = {{LV_MBO4, 250, 0}, {GO_OUT, 750, 0}};
static const struct route after_mbo4[] = {{GO_HO, 350, 0}, {GO_OUT, 650, 0}};
static const struct route after_vso_vmbo[] = {
    {LV_MBO2, 700, 0}, {LV_MBO1, 200, 0}, {GO_OUT, 100, 0}};
static const struct route out_pro_arbeid[] = {
    {LV_MBO1, 200, 0}, {GO_WORK, 450, 0}, {GO_DAGB, 50, 0}, {GO_OUT, 300, 0}};
static const struct route out_pro_vervolg[] = {
    {LV_MBO1, 550, 0}, {GO_WORK, 250, 0}, {GO_DAGB, 20, 0}, {GO_OUT, 180, 0}};
static const struct route out_vso_arbeid[] = {
    {GO_WORK, 450, 0}, {LV_MBO1, 100, 0}, {GO_DAGB, 150, 0}, {GO_OUT, 300, 0}};
static const struct route out_vso_dagb[] = {{GO_DAGB, 900, 0}, {GO_OUT, 100, 0}};
/* Failed the final exam twice, or left it: on to mbo without the diploma, or out. */
static const struct route failed_vmbo[] = {{LV_MBO2, 750, 0}, {LV_MBO1, 150, 0}, {GO_OUT, 100, 0}};
static const struct route failed_havo_vwo[] = {{LV_MBO4, 850, 0}, {GO_OUT, 150, 0}};

#define ROUTE(a) a, (int)(sizeof(a) / sizeof(*(a)))

struct career {
	const struct gen_world *w;
	struct rng *r;
	struct youth *y;
	struct exit_info *ex;
	int home;
	bool on, sk;
	enum level lv;
	int school, crebo, grade, tries;
	date_t start;
};

static void open_spell(struct career *c, enum level lv, int school, date_t start, int grade)
{
	c->on = true;
	c->lv = lv;
	c->school = school;
	c->crebo = gen_levels[lv].type == ST_MBO
	               ? (int)rng_below(c->r, (uint32_t)gen_crebo_count(lv))
	               : -1;
	c->start = start;
	c->grade = grade ? grade : 1;
	c->tries = 0;
	if (gen_levels[lv].type == ST_VSO || gen_levels[lv].type == ST_PRO)
		c->ex->special = true;
}

static void close_spell(struct career *c, date_t end, enum end_reason reason)
{
	struct youth *y = c->y;
	if (y->nspell < MAX_SPELL)
		y->spell[y->nspell++] =
		    (struct spell){c->lv, c->school, c->crebo, c->start, end, reason};
	c->on = false;
}

static void add_diploma(struct career *c, enum level qual, date_t date)
{
	struct youth *y = c->y;
	if (y->ndiploma < MAX_DIPLOMA)
		y->diploma[y->ndiploma++] = (struct diploma){qual, c->school, c->crebo, date};
	if (qual == LV_HAVO || qual == LV_VWO || qual == LV_MBO2 || qual == LV_MBO3 ||
	    qual == LV_MBO4)
		c->sk = true;
}

static void leave(struct career *c, date_t date, enum exit_kind kind)
{
	c->ex->kind = kind;
	c->ex->date = date;
}

static enum exit_kind exit_kind_for(const struct career *c, enum level last)
{
	if (c->sk)
		return EXIT_SK;
	if (gen_levels[last].type == ST_PRO)
		return EXIT_PRO;
	if (gen_levels[last].type == ST_VSO)
		return EXIT_VSO;
	return EXIT_NOSK;
}

/* A school for `lv`: the current one when it offers the level, else one near home. */
static int school_for(struct career *c, enum level lv, bool stay)
{
	const struct gen_orgs *o = c->w->orgs;
	if (stay && c->school >= 0 && (o->schools[c->school].levels & (1u << lv)))
		return c->school;
	return gen_pick_school(o, c->r, lv, c->home);
}

/* Take one of `routes` after leaving `last` at the end of school year y (no spell open). */
static void follow(struct career *c, const struct route *routes, int n, enum level last, int y)
{
	uint32_t weights[8];
	for (int i = 0; i < n; i++)
		weights[i] = routes[i].weight;
	const struct route *to = &routes[rng_weighted(c->r, weights, n)];
	date_t next = school_year(y + 1);
	if (c->y->nspell >= MAX_SPELL - 1 && to->to >= 0) {
		leave(c, next, exit_kind_for(c, last));
		return;
	}
	switch (to->to) {
	case GO_OUT:
		leave(c, next, exit_kind_for(c, last));
		return;
	case GO_WORK:
		leave(c, next, exit_kind_for(c, last));
		c->ex->job_first = true;
		return;
	case GO_DAGB:
		leave(c, next, EXIT_DAGB);
		return;
	case GO_HO:
		/* Higher education is not in the feeds: four years of study, then work. */
		c->ex->study_from = next;
		c->ex->study_until = date_add_months(next, 48) - 1;
		leave(c, c->ex->study_until + 1, EXIT_SK);
		return;
	default: {
		enum level lv = (enum level)to->to;
		bool stay = gen_levels[lv].type == gen_levels[last].type;
		open_spell(c, lv, school_for(c, lv, stay), next, to->grade);
	}
	}
}

/* Left without a diploma in the middle of school year y: back to school, or out. */
static void drop_out(struct career *c, int y)
{
	enum level last = c->lv;
	date_t d = max_date(teaching_day(c->r, y), c->start + 30);
	close_spell(c, d, END_UITVAL);
	int age = date_age(c->y->birth, d);
	if (c->y->nspell >= MAX_SPELL - 1 || !rng_chance(c->r, age < 18 ? 550000 : 250000)) {
		leave(c, d + 1, exit_kind_for(c, last));
		return;
	}
	enum level lv;
	switch (last) {
	case LV_VMBO_B:
	case LV_VMBO_K:
	case LV_PRO_ARBEID:
	case LV_PRO_VERVOLG:
	case LV_VSO_VERVOLG:
	case LV_VSO_ARBEID:
	case LV_VSO_DAGB:
	case LV_MBO1:
		lv = LV_MBO1;
		break;
	case LV_VMBO_T:
		lv = LV_MBO2;
		break;
	case LV_HAVO:
	case LV_VWO:
		lv = LV_MBO4;
		break;
	default:
		lv = rng_chance(c->r, 500000) ? last : (enum level)(last - 1);
	}
	/* Some start again on 1 February, most with the next school year. */
	date_t feb = date_from_ymd(y + 1, 2, 1);
	date_t start = d < feb - 14 && rng_chance(c->r, 400000) ? feb : school_year(y + 1);
	open_spell(c, lv, school_for(c, lv, false), start, 1);
}

static uint32_t exam_pass_ppm(enum level lv)
{
	switch (lv) {
	case LV_HAVO:
		return 880000;
	case LV_VWO:
		return 900000;
	default:
		return 950000;
	}
}

static void year_regular_vo(struct career *c, int y)
{
	int years = gen_levels[c->lv].years;
	int age = date_age(c->y->birth, date_from_ymd(y, 10, 1));
	if (age >= 16 && rng_chance(c->r, 6000)) {
		drop_out(c, y);
		return;
	}
	if (c->grade < years) {
		if (rng_chance(c->r, 40000))
			return; /* blijft zitten */
		enum level down = c->lv == LV_HAVO ? LV_VMBO_T : c->lv == LV_VWO ? LV_HAVO : c->lv;
		uint32_t down_ppm = c->lv == LV_HAVO ? 40000 : 50000;
		if (down != c->lv && (c->grade == 2 || c->grade == 3) &&
		    rng_chance(c->r, down_ppm)) {
			int grade = c->grade + 1;
			close_spell(c, year_end(y), END_OVERSTAP);
			open_spell(c, down, school_for(c, down, true), school_year(y + 1), grade);
			return;
		}
		c->grade++;
		return;
	}
	enum level lv = c->lv;
	if (rng_chance(c->r, exam_pass_ppm(lv))) {
		add_diploma(c, lv, date_from_ymd(y + 1, 6, 10) + (int)rng_below(c->r, 31));
		close_spell(c, year_end(y), END_DIPLOMA);
		switch (lv) {
		case LV_VMBO_B:
			follow(c, ROUTE(after_vmbo_b), lv, y);
			break;
		case LV_VMBO_K:
			follow(c, ROUTE(after_vmbo_k), lv, y);
			break;
		case LV_VMBO_T:
			follow(c, ROUTE(after_vmbo_t), lv, y);
			break;
		case LV_HAVO:
			follow(c, ROUTE(after_havo), lv, y);
			break;
		default:
			follow(c, ROUTE(after_vwo), lv, y);
		}
		return;
	}
	if (++c->tries < 2 && rng_chance(c->r, 800000))
		return; /* the final year again */
	bool vmbo = lv == LV_VMBO_B || lv == LV_VMBO_K || lv == LV_VMBO_T;
	const struct route *routes = vmbo ? failed_vmbo : failed_havo_vwo;
	int n = vmbo ? 3 : 2;
	uint32_t weights[3];
	for (int i = 0; i < n; i++)
		weights[i] = routes[i].weight;
	bool out = routes[rng_weighted(c->r, weights, n)].to == GO_OUT;
	close_spell(c, year_end(y), out ? END_UITVAL : END_OVERSTAP);
	if (out) {
		leave(c, year_end(y) + 1, exit_kind_for(c, lv));
		return;
	}
	enum level next = vmbo ? LV_MBO2 : LV_MBO4;
	open_spell(c, next, school_for(c, next, false), school_year(y + 1), 1);
}

static void year_pro(struct career *c, int y)
{
	int age = date_age(c->y->birth, date_from_ymd(y, 10, 1));
	if (age >= 16 && rng_chance(c->r, 15000)) {
		drop_out(c, y);
		return;
	}
	c->grade++;
	if ((age >= 17 && rng_chance(c->r, 500000)) || age >= 18) {
		enum level lv = c->lv;
		close_spell(c, year_end(y), END_UITSTROOM);
		if (lv == LV_PRO_VERVOLG)
			follow(c, ROUTE(out_pro_vervolg), lv, y);
		else
			follow(c, ROUTE(out_pro_arbeid), lv, y);
	}
}

static void year_vso(struct career *c, int y)
{
	int age = date_age(c->y->birth, date_from_ymd(y, 10, 1));
	enum level lv = c->lv;
	if (age >= 16 && rng_chance(c->r, 15000)) {
		drop_out(c, y);
		return;
	}
	c->grade++;
	if (lv == LV_VSO_VERVOLG && age >= 16 && c->grade >= 4 && rng_chance(c->r, 700000)) {
		static const uint32_t w[] = {50, 30, 20};
		static const enum level quals[] = {LV_VMBO_B, LV_VMBO_K, LV_VMBO_T};
		add_diploma(c, quals[rng_weighted(c->r, w, 3)],
		            date_from_ymd(y + 1, 6, 10) + (int)rng_below(c->r, 31));
		close_spell(c, year_end(y), END_DIPLOMA);
		follow(c, ROUTE(after_vso_vmbo), lv, y);
		return;
	}
	bool leave_now = lv == LV_VSO_VERVOLG
	                     ? age >= 19
	                     : (age >= 18 && rng_chance(c->r, 400000)) ||
	                           (age >= 19 && rng_chance(c->r, 600000)) || age >= 20;
	if (!leave_now)
		return;
	close_spell(c, year_end(y), END_UITSTROOM);
	if (lv == LV_VSO_DAGB)
		follow(c, ROUTE(out_vso_dagb), lv, y);
	else
		follow(c, ROUTE(out_vso_arbeid), lv, y);
}

/* mbo drop-out per year, by level (section "Education": tuned to the mbo vsv rate). */
static uint32_t mbo_dropout_ppm(enum level lv)
{
	switch (lv) {
	case LV_MBO1:
		return 300000;
	case LV_MBO2:
		return 120000;
	case LV_MBO3:
		return 60000;
	default:
		return 45000;
	}
}

static void year_mbo(struct career *c, int y)
{
	enum level lv = c->lv;
	if (rng_chance(c->r, mbo_dropout_ppm(lv))) {
		drop_out(c, y);
		return;
	}
	if (c->grade < gen_levels[lv].years) {
		if (rng_chance(c->r, 40000)) { /* another qualification at the same level */
			close_spell(c, year_end(y), END_OVERSTAP);
			open_spell(c, lv, school_for(c, lv, false), school_year(y + 1), 1);
			return;
		}
		c->grade++;
		return;
	}
	if (rng_chance(c->r, c->tries ? 700000 : 850000)) {
		/* Most diplomas in June or July; some only in the autumn after (section
		 * "Diplomas"). */
		date_t date = rng_chance(c->r, 950000)
		                  ? date_from_ymd(y + 1, 6, 1) + (int)rng_below(c->r, 45)
		                  : date_from_ymd(y + 1, 10, 1) + (int)rng_below(c->r, 80);
		add_diploma(c, lv, date);
		close_spell(c, year_end(y), END_DIPLOMA);
		switch (lv) {
		case LV_MBO1:
			follow(c, ROUTE(after_mbo1), lv, y);
			break;
		case LV_MBO2:
			follow(c, ROUTE(after_mbo2), lv, y);
			break;
		case LV_MBO3:
			follow(c, ROUTE(after_mbo3), lv, y);
			break;
		default:
			follow(c, ROUTE(after_mbo4), lv, y);
		}
		return;
	}
	if (++c->tries > 2) {
		close_spell(c, year_end(y), END_UITVAL);
		leave(c, year_end(y) + 1, exit_kind_for(c, lv));
	}
}

/* The first school after primary school (section "Education": entry shares). */
static enum level entry_level(struct rng *r)
{
	static const uint32_t w[] = {
	    [LV_VMBO_B] = 112,    [LV_VMBO_K] = 140,     [LV_VMBO_T] = 215,    [LV_HAVO] = 243,
	    [LV_VWO] = 225,       [LV_VSO_VERVOLG] = 11, [LV_VSO_ARBEID] = 14, [LV_VSO_DAGB] = 10,
	    [LV_PRO_ARBEID] = 22, [LV_PRO_VERVOLG] = 8,
	};
	return (enum level)rng_weighted(r, w, LV_PRO_VERVOLG + 1);
}

static void school_career(const struct gen_world *w, struct rng *r, struct youth *y,
                          struct exit_info *ex)
{
	memset(ex, 0, sizeof(*ex));
	ex->kind = EXIT_NONE;
	ex->date = DATE_NONE;
	ex->study_from = ex->study_until = DATE_NONE;
	int by, bm, bd;
	date_to_ymd(y->birth, &by, &bm, &bd);
	/* VO from the school year in which one is 12 on 1 October; a few a year later. */
	int year = by + 12 + (bm >= 10) + (rng_chance(r, 40000) ? 1 : 0);
	int last = year_of(date_school_year_start(w->frame.as_of));
	if (year > last)
		return;
	struct career c = {.w = w, .r = r, .y = y, .ex = ex, .home = y->addr[0].muni, .school = -1};
	enum level lv = entry_level(r);
	open_spell(&c, lv, school_for(&c, lv, false), school_year(year), 1);
	for (; year <= last && c.on; year++) {
		switch (gen_levels[c.lv].type) {
		case ST_VO:
			year_regular_vo(&c, year);
			break;
		case ST_PRO:
			year_pro(&c, year);
			break;
		case ST_VSO:
			year_vso(&c, year);
			break;
		default:
			year_mbo(&c, year);
		}
	}
	if (c.on)
		close_spell(&c, DATE_NONE, END_NONE);
}

/* ---- work and income (section "Work and income") ---- */

static void add_work(const struct gen_world *w, struct rng *r, struct youth *y, enum work_kind kind,
                     date_t start, date_t end, int hours)
{
	if (y->nwork >= MAX_WORK || start > w->frame.as_of)
		return;
	int employer =
	    kind == WORK_EMPLOYMENT ? (int)rng_below(r, (uint32_t)w->orgs->nemployers) : -1;
	y->work[y->nwork++] = (struct work){kind, employer, start, end, hours};
}

static bool in_education(const struct youth *y, const struct exit_info *ex, date_t d)
{
	for (int i = 0; i < y->nspell; i++)
		if (y->spell[i].start <= d &&
		    (y->spell[i].end == DATE_NONE || d <= y->spell[i].end))
			return true;
	return ex->study_from != DATE_NONE && ex->study_from <= d && d <= ex->study_until;
}

static void side_jobs(const struct gen_world *w, struct rng *r, struct youth *y,
                      const struct exit_info *ex)
{
	date_t from = max_date(date_birthday(y->birth, 15), w->frame.window - 3 * 365);
	int last = year_of(date_school_year_start(w->frame.as_of));
	for (int sy = year_of(date_school_year_start(from)); sy <= last; sy++) {
		date_t oct = date_from_ymd(sy, 10, 1);
		if (oct < from || !in_education(y, ex, oct) || !rng_chance(r, 300000))
			continue;
		date_t start = oct + (int)rng_below(r, 200);
		date_t end = date_add_months(start, rng_range(r, 3, 18)) - 1;
		add_work(w, r, y, WORK_EMPLOYMENT, start, end, rng_range(r, 4, 16));
	}
}

static uint32_t job_ppm(enum exit_kind kind)
{
	switch (kind) {
	case EXIT_SK:
		return 800000;
	case EXIT_NOSK:
		return 550000;
	case EXIT_PRO:
		return 450000;
	case EXIT_VSO:
		return 350000;
	default:
		return 0;
	}
}

static void labour_market(const struct gen_world *w, struct rng *r, struct youth *y,
                          const struct exit_info *ex)
{
	date_t as_of = w->frame.as_of;
	date_t t = ex->date;
	if (ex->kind == EXIT_NONE || t > as_of)
		return;
	date_t d18 = date_birthday(y->birth, 18);
	if ((ex->kind == EXIT_PRO || ex->kind == EXIT_VSO) && rng_chance(r, 500000))
		add_work(w, r, y, WORK_DOELGROEPENREGISTER, t + (int)rng_below(r, 180), DATE_NONE,
		         -1);
	if ((ex->kind == EXIT_VSO && rng_chance(r, 80000)) ||
	    (ex->kind == EXIT_DAGB && rng_chance(r, 350000)))
		add_work(w, r, y, WORK_WAJONG, max_date(t, d18), DATE_NONE, -1);
	if (ex->kind == EXIT_DAGB) {
		add_work(w, r, y, WORK_DAGBESTEDING, t + (int)rng_below(r, 30), DATE_NONE,
		         rng_range(r, 16, 32));
		return;
	}
	bool first = ex->job_first;
	t += (int)rng_below(r, first ? 30 : 90);
	while (t <= as_of && y->nwork < MAX_WORK - 2) {
		uint32_t p = first ? 1000000 : job_ppm(ex->kind);
		first = false;
		if (rng_chance(r, p)) {
			int months =
			    ex->kind == EXIT_SK ? rng_range(r, 6, 60) : rng_range(r, 3, 30);
			int hours = ex->kind == EXIT_SK     ? rng_range(r, 24, 40)
			            : ex->kind == EXIT_NOSK ? rng_range(r, 12, 38)
			                                    : rng_range(r, 8, 32);
			date_t end = date_add_months(t, months) - 1;
			add_work(w, r, y, WORK_EMPLOYMENT, t, end, hours);
			t = end + 1;
			if (months >= 9 && date_age(y->birth, t) >= 18 && rng_chance(r, 300000)) {
				date_t ww_end = date_add_months(t, rng_range(r, 3, 9)) - 1;
				add_work(w, r, y, WORK_WW, t, ww_end, -1);
				t = ww_end + 1;
			}
			t += (int)rng_below(r, 60);
		} else if (date_age(y->birth, t) >= 18 &&
		           rng_chance(r, ex->kind == EXIT_SK ? 250000 : 450000)) {
			date_t end = date_add_months(t, rng_range(r, 6, 30)) - 1;
			add_work(w, r, y, WORK_PARTICIPATIEWET, t, end, -1);
			t = end + 1;
		} else {
			t = date_add_months(t, rng_range(r, 3, 12));
		}
	}
}

/* ---- youth care and Wmo (section "Care") ---- */

static void add_care(const struct gen_world *w, struct rng *r, struct youth *y, bool wmo,
                     int category, date_t start, date_t end)
{
	if (y->ncare >= MAX_CARE || start > w->frame.as_of)
		return;
	y->care[y->ncare++] = (struct care){
	    wmo,
	    category,
	    1 + (int)rng_below(r, 9),
	    (int)rng_below(r, (uint32_t)w->orgs->ncare),
	    muni_at(y, start),
	    start,
	    end,
	};
}

static void wmo_allocation(const struct gen_world *w, struct rng *r, struct youth *y, date_t start,
                           int category)
{
	static const int cats[] = {2, 7, 15, 16, 10, 1};
	static const uint32_t weights[] = {600, 150, 80, 50, 70, 50};
	if (!category)
		category = cats[rng_weighted(r, weights, 6)];
	date_t end =
	    rng_chance(r, 250000) ? DATE_NONE : date_add_months(start, rng_range(r, 6, 36)) - 1;
	add_care(w, r, y, true, category, start, end);
}

static void youth_care_allocation(const struct gen_world *w, struct rng *r, struct youth *y,
                                  date_t start)
{
	static const int cats[] = {45, 41, 43, 44, 46, 48, 47, 50, 40};
	static const uint32_t weights[] = {700, 50, 40, 30, 20, 80, 20, 50, 10};
	static const int min_months[] = {3, 6, 6, 6, 1, 12, 6, 6, 3};
	static const int max_months[] = {12, 18, 24, 24, 3, 36, 12, 12, 12};
	int k = rng_weighted(r, weights, 9);
	int age = date_age(y->birth, start);
	if (cats[k] == 47 && age < 12)
		k = 0; /* jeugdreclassering starts at 12 */
	date_t end = date_add_months(start, rng_range(r, min_months[k], max_months[k])) - 1;
	date_t d18 = date_birthday(y->birth, 18);
	bool to_wmo = false;
	/* Youth care ends at 18 unless extended (not jeugdbescherming); some go on under Wmo. */
	if (end >= d18 && cats[k] != 47 && (cats[k] == 48 || !rng_chance(r, 200000))) {
		end = d18 - 1;
		to_wmo = rng_chance(r, 300000);
	}
	if (start > end)
		return;
	add_care(w, r, y, false, cats[k], start, end);
	if (to_wmo)
		wmo_allocation(w, r, y, d18 + (int)rng_below(r, 60), 2);
}

static void care_life(const struct gen_world *w, struct rng *r, struct youth *y,
                      const struct exit_info *ex)
{
	date_t as_of = w->frame.as_of;
	for (date_t t = max_date(y->birth, w->frame.window - 3 * 365); t <= as_of; t += 365) {
		date_t stop = min_date(t + 364, as_of);
		int age = date_age(y->birth, t);
		if (age < 18 && rng_chance(r, ex->special ? 150000 : 75000))
			youth_care_allocation(w, r, y, day_between(r, t, stop));
		if (age >= 18 && rng_chance(r, ex->special ? 25000 : 6000))
			wmo_allocation(w, r, y, day_between(r, t, stop), 0);
	}
	if (ex->kind == EXIT_DAGB && ex->date <= as_of)
		wmo_allocation(w, r, y, ex->date, 7);
}

/* ---- the person leaves the region's view ---- */

static void clip(const struct gen_world *w, struct youth *y)
{
	date_t gone = y->gone, as_of = w->frame.as_of;
	enum end_reason why = y->died != DATE_NONE ? END_OVERLIJDEN : END_VERHUIZING;
	int k = 0;
	for (int i = 0; i < y->nspell; i++) {
		struct spell s = y->spell[i];
		if (s.start >= gone || s.start > as_of)
			continue;
		if (gone != DATE_NONE && (s.end == DATE_NONE || s.end >= gone)) {
			s.end = gone - 1;
			s.reason = why;
		}
		if (s.end != DATE_NONE && s.end > as_of) {
			s.end = DATE_NONE; /* not known yet */
			s.reason = END_NONE;
		}
		y->spell[k++] = s;
	}
	y->nspell = k;
	k = 0;
	for (int i = 0; i < y->ndiploma; i++)
		if (y->diploma[i].date < gone && y->diploma[i].date <= as_of)
			y->diploma[k++] = y->diploma[i];
	y->ndiploma = k;
	k = 0;
	for (int i = 0; i < y->nwork; i++) {
		struct work x = y->work[i];
		if (x.start >= gone || x.start > as_of)
			continue;
		if (gone != DATE_NONE && (x.end == DATE_NONE || x.end >= gone))
			x.end = gone - 1;
		if (x.end != DATE_NONE && x.end > as_of)
			x.end = DATE_NONE;
		y->work[k++] = x;
	}
	y->nwork = k;
	k = 0;
	for (int i = 0; i < y->ncare; i++) {
		struct care x = y->care[i];
		if (x.start >= gone || x.start > as_of)
			continue;
		if (gone != DATE_NONE && (x.end == DATE_NONE || x.end >= gone))
			x.end = gone - 1;
		y->care[k++] = x; /* a planned end after the as-of date is known and stays */
	}
	y->ncare = k;
}

/* ---- absence reports (section "Absence") ---- */

static void add_statuses(struct rng *r, struct absence *a, date_t as_of)
{
	a->nstatus = 0;
	date_t d = a->reported;
	a->status[a->nstatus] = STATUS_GEREGISTREERD;
	a->status_date[a->nstatus++] = d;
	if (a->kind == ABS_ABSOLUUT) {
		/* Handled until the pupil is enrolled again (or exempted, or moves away). */
		d += rng_range(r, 1, 10);
		a->status[a->nstatus] = STATUS_IN_BEHANDELING;
		a->status_date[a->nstatus++] = d;
		if (a->to != DATE_NONE || rng_chance(r, 200000)) {
			a->status[a->nstatus] = STATUS_AFGESLOTEN;
			a->status_date[a->nstatus++] =
			    max_date(d, a->to == DATE_NONE ? d : a->to) + rng_range(r, 1, 30);
		}
	} else if (a->kind == ABS_SIGNAAL && rng_chance(r, 800000)) {
		a->status[a->nstatus] = STATUS_TKN;
		a->status_date[a->nstatus++] = d + rng_range(r, 1, 14);
	} else if (a->kind != ABS_SIGNAAL && rng_chance(r, 50000)) {
		a->status[a->nstatus] = STATUS_INGETROKKEN;
		a->status_date[a->nstatus++] = d + rng_range(r, 1, 7);
	} else {
		d += rng_range(r, 1, 10);
		a->status[a->nstatus] = STATUS_IN_BEHANDELING;
		a->status_date[a->nstatus++] = d;
		if (rng_chance(r, 850000)) {
			a->status[a->nstatus] = STATUS_AFGESLOTEN;
			a->status_date[a->nstatus++] = d + rng_range(r, 14, 120);
		}
	}
	while (a->nstatus > 0 && a->status_date[a->nstatus - 1] > as_of)
		a->nstatus--;
}

static void add_absence(const struct gen_world *w, struct rng *r, struct youth *y,
                        enum absence_kind kind, int school, date_t from, date_t to, int hours)
{
	if (y->nabsence >= MAX_ABSENCE)
		return;
	/* A school reports after the period; absolute absence is reported when it is found. */
	date_t reported =
	    kind == ABS_ABSOLUUT ? from + rng_range(r, 5, 30) : to + rng_range(r, 1, 5);
	if (reported < w->frame.window || reported > w->frame.as_of ||
	    (kind == ABS_ABSOLUUT && to != DATE_NONE && reported > to))
		return;
	struct absence *a = &y->absence[y->nabsence];
	*a = (struct absence){.kind = kind,
	                      .school = school,
	                      .from = from,
	                      .to = to,
	                      .hours = hours,
	                      .reported = reported};
	add_statuses(r, a, w->frame.as_of);
	if (a->nstatus > 0)
		y->nabsence++;
}

static bool has_sk_before(const struct youth *y, date_t d)
{
	for (int i = 0; i < y->ndiploma; i++) {
		enum level q = y->diploma[i].qual;
		if (y->diploma[i].date < d &&
		    (q == LV_HAVO || q == LV_VWO || q == LV_MBO2 || q == LV_MBO3 || q == LV_MBO4))
			return true;
	}
	return false;
}

/* Relative absence: higher in vmbo-b/k, PrO, VSO and mbo 1-2, lower in havo/vwo. */
static uint32_t relatief_factor(enum level lv)
{
	switch (lv) {
	case LV_HAVO:
	case LV_VWO:
		return 50;
	case LV_VMBO_T:
	case LV_MBO3:
	case LV_MBO4:
		return 100;
	default:
		return 160;
	}
}

static void absence_in_spell(const struct gen_world *w, struct rng *r, struct youth *y,
                             const struct spell *s)
{
	date_t as_of = w->frame.as_of;
	date_t end = s->end == DATE_NONE ? as_of : s->end;
	int first = year_of(date_school_year_start(max_date(s->start, w->frame.window - 60)));
	int last = year_of(date_school_year_start(end));
	for (int sy = first; sy <= last; sy++) {
		date_t from = max_date(s->start, date_from_ymd(sy, 9, 1));
		date_t to = min_date(end, date_from_ymd(sy + 1, 6, 30));
		if (to - from < 28)
			continue;
		date_t oct = date_from_ymd(sy, 10, 1);
		int age = date_age(y->birth, oct);
		bool leerplichtig = age < 18;
		if (!leerplichtig &&
		    !(gen_levels[s->level].type == ST_MBO && age < 23 && !has_sk_before(y, oct)))
			continue;
		uint32_t p = 35000 * relatief_factor(s->level) / 100;
		if (!leerplichtig)
			p /= 2;
		if (rng_chance(r, p)) {
			date_t pto = day_between(r, from + 27, to);
			add_absence(w, r, y, ABS_RELATIEF, s->school, pto - 27, pto,
			            rng_range(r, 16, 40));
		}
		if (age < 16 && rng_chance(r, 5000)) {
			int days = rng_range(r, 3, 10);
			date_t pfrom = day_between(r, from, to - days);
			add_absence(w, r, y, ABS_LUXE, s->school, pfrom, pfrom + days - 1,
			            days * 5);
		}
		if (rng_chance(r, 10000)) {
			date_t pto = day_between(r, from + 27, to);
			add_absence(w, r, y, ABS_SIGNAAL, s->school, pto - 27, pto,
			            rng_range(r, 4, 15));
		}
		/* Langdurig relatief verzuim: four weeks or more out of school (thuiszitter). */
		bool special = gen_levels[s->level].type == ST_VSO;
		if (leerplichtig && rng_chance(r, special ? 12000 : 4000)) {
			int weeks = rng_range(r, 4, 20);
			if (to - from >= weeks * 7) {
				date_t pfrom = day_between(r, from, to - weeks * 7 + 1);
				add_absence(w, r, y, ABS_RELATIEF, s->school, pfrom,
				            pfrom + weeks * 7 - 1, weeks * 22);
			}
		}
	}
}

static void absence_life(const struct gen_world *w, struct rng *r, struct youth *y)
{
	for (int i = 0; i < y->nspell; i++) {
		const struct spell *s = &y->spell[i];
		absence_in_spell(w, r, y, s);
		/* Out of school under 18 without a new enrolment: absoluut verzuim. */
		if (s->reason == END_UITVAL && date_age(y->birth, s->end) < 18 &&
		    rng_chance(r, 600000)) {
			date_t to = DATE_NONE;
			if (i + 1 < y->nspell && y->spell[i + 1].start > s->end + 1)
				to = y->spell[i + 1].start - 1;
			add_absence(w, r, y, ABS_ABSOLUUT, s->school, s->end + 1, to, -1);
		}
	}
}

/* ---- vrijstellingen (docs/generator.md, "Vrijstellingen") ---- */

/* Granted until the end of the school year that `from` falls in: 31 July. */
static date_t school_year_end(date_t from)
{
	return year_end(year_of(date_school_year_start(from)));
}

/* One vrijstelling, unless it would overlap one the young person has. */
static void add_vrij(struct youth *y, enum vrij_article article, date_t from, date_t to)
{
	if (y->nvrij == MAX_VRIJ || (to != DATE_NONE && to < from))
		return;
	for (int i = 0; i < y->nvrij; i++)
		if ((y->vrij[i].to == DATE_NONE || y->vrij[i].to >= from) &&
		    (to == DATE_NONE || to >= y->vrij[i].from))
			return;
	y->vrij[y->nvrij++] = (struct vrijstelling){
	    .article = article, .muni = muni_at(y, from), .from = from, .to = to};
}

/*
 * Vrijstellingen follow from the life lived so far, from a stream of their own:
 *   - 5a for one in five who drop out before 18, from the next day to the end of that school
 *     year or the next enrolment;
 *   - 5a for one in three VSO pupils under 18 who are out of school twelve weeks or more
 *     (one in ten at other schools), granted after the first four weeks, to the end of the
 *     school year;
 *   - 3a for three in ten who leave VSO dagbesteding or PrO arbeid at 16 or 17 without a
 *     startkwalificatie, until their 18th birthday;
 *   - 15 for three in a hundred VSO pupils aged 12 to 15, for one school year.
 * A vrijstelling ends the day before the young person leaves the region's view.
 */
static void vrijstelling_life(const struct gen_world *w, struct youth *y)
{
	struct rng r;
	rng_seed_stream(&r, w->seed, STREAM_VRIJSTELLING, y->index);
	for (int i = 0; i < y->nspell; i++) {
		const struct spell *s = &y->spell[i];
		enum school_type type = gen_levels[s->level].type;
		int age_start = date_age(y->birth, s->start);
		if (type == ST_VSO && age_start >= 12 && age_start < 16 && rng_chance(&r, 30000)) {
			date_t from = teaching_day(&r, year_of(date_school_year_start(s->start)));
			add_vrij(y, VRIJ_15, max_date(from, s->start), school_year_end(from));
		}
		if (s->end == DATE_NONE)
			continue;
		int age_end = date_age(y->birth, s->end);
		date_t next = i + 1 < y->nspell ? y->spell[i + 1].start : DATE_NONE;
		if (s->reason == END_UITVAL && age_end < 18 && rng_chance(&r, 200000)) {
			date_t from = s->end + 1;
			add_vrij(y, VRIJ_5A, from, min_date(school_year_end(from), next - 1));
		}
		if ((s->level == LV_VSO_DAGB || s->level == LV_PRO_ARBEID) && age_end >= 16 &&
		    age_end < 18 && s->reason != END_DIPLOMA && !has_sk_before(y, s->end) &&
		    rng_chance(&r, 300000))
			add_vrij(y, VRIJ_3A, s->end + 1, date_birthday(y->birth, 18) - 1);
	}
	for (int i = 0; i < y->nabsence; i++) {
		const struct absence *a = &y->absence[i];
		if (a->kind != ABS_RELATIEF || a->school < 0 || a->to == DATE_NONE ||
		    a->to - a->from + 1 < 12 * 7 || date_age(y->birth, a->from) >= 18)
			continue;
		bool vso = w->orgs->schools[a->school].type == ST_VSO;
		if (!rng_chance(&r, vso ? 330000 : 100000))
			continue;
		add_vrij(y, VRIJ_5A, a->from + 28, school_year_end(a->from + 28));
	}
	/* Nothing granted after the as-of date or once out of view; an end after it is the
	 * one planned. */
	int k = 0;
	for (int i = 0; i < y->nvrij; i++) {
		struct vrijstelling v = y->vrij[i];
		if (v.from > w->frame.as_of || v.from >= y->gone)
			continue;
		if (y->gone != DATE_NONE && (v.to == DATE_NONE || v.to >= y->gone))
			v.to = y->gone - 1;
		y->vrij[k++] = v;
	}
	y->nvrij = k;
}

void gen_youth(const struct gen_world *w, uint64_t index, struct youth *y)
{
	struct rng r;
	struct exit_info ex;
	rng_seed_stream(&r, w->seed, STREAM_YOUTH, index);
	y->index = index;
	y->naddr = y->nspell = y->ndiploma = y->nabsence = y->ncare = y->nwork = y->nvrij = 0;
	gen_bsn(w->seed, index, y->bsn);
	identity(w, &r, y);
	birth(w, &r, y);
	residence(w, &r, y);
	school_career(w, &r, y, &ex);
	side_jobs(w, &r, y, &ex);
	labour_market(w, &r, y, &ex);
	care_life(w, &r, y, &ex);
	clip(w, y);
	absence_life(w, &r, y);
	vrijstelling_life(w, y);
}
