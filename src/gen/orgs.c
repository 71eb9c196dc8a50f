/*
 * The organisations of a generated region: its municipalities (from the region file), school
 * locations of each type, care providers, employers, UWV, WSP and DUO. How many schools there
 * are follows from the number of young people (docs/generator.md, "Organisations"); their
 * identifiers come from keyed permutations, so they are unique and the same for the same seed.
 */
#include "gen/gen-internal.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const gen_school_type_names[ST_COUNT] = {"VO", "VSO", "PrO", "mbo"};

/*
 * The level codes of the feeds (docs/feeds.md), and those the organisation registry uses for
 * the levels a school offers (registry/org.c), which differ for PrO and entree.
 */
const struct level_info gen_levels[LV_COUNT] = {
    [LV_VMBO_B] = {"vmbo-b", "vmbo-b", ST_VO, 4},
    [LV_VMBO_K] = {"vmbo-k", "vmbo-k", ST_VO, 4},
    [LV_VMBO_T] = {"vmbo-t", "vmbo-t", ST_VO, 4},
    [LV_HAVO] = {"havo", "havo", ST_VO, 5},
    [LV_VWO] = {"vwo", "vwo", ST_VO, 6},
    [LV_VSO_VERVOLG] = {"vervolgonderwijs", "vervolgonderwijs", ST_VSO, 4},
    [LV_VSO_ARBEID] = {"arbeidsmarkt", "arbeidsmarkt", ST_VSO, 6},
    [LV_VSO_DAGB] = {"dagbesteding", "dagbesteding", ST_VSO, 6},
    [LV_PRO_ARBEID] = {"arbeidsmarkt", "pro", ST_PRO, 5},
    [LV_PRO_VERVOLG] = {"vervolgonderwijs", "pro", ST_PRO, 5},
    [LV_MBO1] = {"mbo-1", "entree", ST_MBO, 1},
    [LV_MBO2] = {"mbo-2", "mbo-2", ST_MBO, 2},
    [LV_MBO3] = {"mbo-3", "mbo-3", ST_MBO, 3},
    [LV_MBO4] = {"mbo-4", "mbo-4", ST_MBO, 3},
};

/*
 * Crebo codes by mbo level. They have the right form (5 digits) but are made up for the
 * generator; some may coincide with real qualifications in SBB's register.
 */
static const char *const crebo_1[] = {"25998", "25997", "25996", "25995"};
static const char *const crebo_2[] = {"25255", "25168", "25410", "25183", "25224", "25476"};
static const char *const crebo_3[] = {"25487", "25182", "25651", "25435", "25266", "25479"};
static const char *const crebo_4[] = {"25604", "25187", "25480", "25454",
                                      "25698", "25280", "25137", "25416"};

#define COUNT(a) ((int)(sizeof(a) / sizeof(*(a))))

int gen_crebo_count(enum level lv)
{
	switch (lv) {
	case LV_MBO1:
		return COUNT(crebo_1);
	case LV_MBO2:
		return COUNT(crebo_2);
	case LV_MBO3:
		return COUNT(crebo_3);
	case LV_MBO4:
		return COUNT(crebo_4);
	default:
		return 0;
	}
}

const char *gen_crebo(enum level lv, int i)
{
	switch (lv) {
	case LV_MBO1:
		return crebo_1[i];
	case LV_MBO2:
		return crebo_2[i];
	case LV_MBO3:
		return crebo_3[i];
	case LV_MBO4:
		return crebo_4[i];
	default:
		return "";
	}
}

/* Words for made-up organisation names (landscape and local flavour, no real school). */
/* clang-format off */
static const char *const name_words[] = {
	"Mergelland", "Heuvelland", "Maasland", "Geuldal", "Grensland", "Kempen", "Bronnen",
	"Kastanje", "Linde", "Sterrenberg", "Horizon", "Kompas", "Vijverdal", "Bosrand", "Meander",
	"Akker", "Terras", "Wingerd", "Kalkrots", "Dalzicht", "Jeker", "Worm", "Roode Beek",
	"Selzerbeek"
};
/* clang-format on */
/* clang-format off */
static const char *const employer_trades[] = {
	"Bouw", "Installatietechniek", "Bakkerij", "Logistiek", "Zorg", "Horeca", "Schoonmaak",
	"Techniek", "Detailhandel", "Transport", "Groen", "Metaal", "Autoservice", "Kinderopvang",
	"Catering"
};
/* clang-format on */
/* clang-format off */
static const char *const care_kinds[] = {
	"Jeugdhulp", "Zorggroep", "Ambulante Begeleiding", "Jeugd-GGZ", "Gezinshuis",
	"Dagbehandeling", "Begeleid Wonen", "Jeugdbescherming"
};
/* clang-format on */

static uint32_t level_bits(int n, const enum level *lv)
{
	uint32_t bits = 0;
	for (int i = 0; i < n; i++)
		bits |= 1u << lv[i];
	return bits;
}

/* The levels a VO location offers; the first location of a region offers all of them. */
static uint32_t vo_levels(struct rng *r, int i)
{
	static const enum level all[] = {LV_VMBO_B, LV_VMBO_K, LV_VMBO_T, LV_HAVO, LV_VWO};
	static const enum level vmbo[] = {LV_VMBO_B, LV_VMBO_K, LV_VMBO_T};
	static const enum level havo_vwo[] = {LV_HAVO, LV_VWO};
	static const enum level t_havo_vwo[] = {LV_VMBO_T, LV_HAVO, LV_VWO};
	static const enum level bk[] = {LV_VMBO_B, LV_VMBO_K};
	static const uint32_t weights[] = {30, 25, 20, 15, 10};
	if (i == 0)
		return level_bits(5, all);
	switch (rng_weighted(r, weights, 5)) {
	case 0:
		return level_bits(5, all);
	case 1:
		return level_bits(3, vmbo);
	case 2:
		return level_bits(2, havo_vwo);
	case 3:
		return level_bits(3, t_havo_vwo);
	default:
		return level_bits(2, bk);
	}
}

static uint32_t type_levels(enum school_type t)
{
	uint32_t bits = 0;
	for (int l = 0; l < LV_COUNT; l++)
		if (gen_levels[l].type == t)
			bits |= 1u << l;
	return bits;
}

/* BRIN number `i` of the region: two digits and two letters, never "99ZZ" (kept unused). */
static void brin_code(uint64_t seed, int i, char out[5])
{
	uint32_t c = rng_permute(rng_mix64(seed ^ 0xb121ULL), (uint32_t)i, 100 * 26 * 26 - 1);
	uint32_t digits = c / 676, letters = c % 676;
	out[0] = (char)('0' + digits / 10);
	out[1] = (char)('0' + digits % 10);
	out[2] = (char)('A' + letters / 26);
	out[3] = (char)('A' + letters % 26);
	out[4] = '\0';
}

/* An 8-digit number from 10000000, unique per i for one key (AGB codes, KvK numbers). */
static void eight_digits(uint64_t key, int i, char out[9])
{
	uint32_t v = 10000000u + rng_permute(key, (uint32_t)i, 90000000u);
	snprintf(out, 9, "%08u", v);
}

struct school_plan {
	enum school_type type;
	int locations; /* school locations */
	int max_per_brin;
};

static void add_school(struct gen_orgs *o, size_t *cap, enum school_type type, const char *brin,
                       int vestiging, uint32_t levels, int muni, char *name)
{
	XGROW(o->schools, *cap, (size_t)o->nschools + 1);
	struct gen_school *s = &o->schools[o->nschools++];
	memcpy(s->brin, brin, 5);
	s->vestiging[0] = (char)('0' + vestiging / 10 % 10);
	s->vestiging[1] = (char)('0' + vestiging % 10);
	s->vestiging[2] = '\0';
	s->type = type;
	s->levels = levels;
	s->muni = muni;
	s->name = name;
	o->counts[type]++;
}

static char *school_name(struct rng *r, enum school_type t, const char *muni, int brin_no)
{
	const char *w = name_words[(brin_no * 7 + (int)rng_below(r, 3)) % COUNT(name_words)];
	switch (t) {
	case ST_VO:
		return xasprintf("%s College %s", w, muni);
	case ST_VSO:
		return xasprintf("VSO De %s %s", w, muni);
	case ST_PRO:
		return xasprintf("Praktijkschool %s %s", w, muni);
	default:
		return xasprintf("Vakcollege %s, locatie %s", w, muni);
	}
}

static void build_schools(struct gen_orgs *o, const struct gen_ref *ref, struct rng *r,
                          uint64_t seed, const struct school_plan *plan)
{
	size_t cap = (size_t)o->nschools;
	int made = 0;
	while (made < plan->locations) {
		char brin[5];
		int brin_no = o->nbrin++;
		brin_code(seed, brin_no, brin);
		int nloc = 1 + (int)rng_below(r, (uint32_t)plan->max_per_brin);
		if (nloc > plan->locations - made)
			nloc = plan->locations - made;
		for (int v = 0; v < nloc; v++, made++) {
			int muni = rng_weighted(r, ref->muni_weights, ref->nmunis);
			uint32_t levels =
			    plan->type == ST_VO ? vo_levels(r, made) : type_levels(plan->type);
			add_school(o, &cap, plan->type, brin, v, levels, muni,
			           school_name(r, plan->type, ref->munis[muni].name, brin_no));
		}
	}
}

/* Index the schools by level, and by level and municipality, for gen_pick_school. */
static void index_schools(struct gen_orgs *o)
{
	int n = o->nmunis;
	o->lm_start = xcalloc((size_t)LV_COUNT * (size_t)n + 1, sizeof(int));
	o->lm_idx = xcalloc((size_t)o->nschools * LV_COUNT + 1, sizeof(int));
	int k = 0;
	for (int l = 0; l < LV_COUNT; l++) {
		o->by_level[l] = xcalloc((size_t)o->nschools + 1, sizeof(int));
		for (int i = 0; i < o->nschools; i++)
			if (o->schools[i].levels & (1u << l))
				o->by_level[l][o->nby_level[l]++] = i;
		for (int m = 0; m < n; m++) {
			o->lm_start[l * n + m] = k;
			for (int i = 0; i < o->nschools; i++)
				if ((o->schools[i].levels & (1u << l)) && o->schools[i].muni == m)
					o->lm_idx[k++] = i;
		}
	}
	o->lm_start[LV_COUNT * n] = k;
}

int gen_pick_school(const struct gen_orgs *o, struct rng *r, enum level lv, int muni)
{
	/* Most pupils go to school where they live, if their level is offered there. */
	uint32_t local_ppm = gen_levels[lv].type == ST_VO ? 750000 : 550000;
	if (muni >= 0 && rng_chance(r, local_ppm)) {
		int from = o->lm_start[(int)lv * o->nmunis + muni];
		int to = o->lm_start[(int)lv * o->nmunis + muni + 1];
		if (to > from)
			return o->lm_idx[from + (int)rng_below(r, (uint32_t)(to - from))];
	}
	return o->by_level[lv][rng_below(r, (uint32_t)o->nby_level[lv])];
}

static long at_least(long v, long min)
{
	return v < min ? min : v;
}

int gen_orgs_build(struct gen_orgs *o, const struct gen_ref *ref, uint64_t seed, long youths,
                   struct err *e)
{
	memset(o, 0, sizeof(*o));
	struct rng r;
	rng_seed_stream(&r, seed, STREAM_ORGS, 0);
	o->nmunis = ref->nmunis;
	o->lead_muni = 0;
	/*
	 * Ages 4-27 are 24 cohorts of youths/24. Pupils per location: VO ~1,200, VSO ~250,
	 * PrO ~300, mbo ~2,500 (docs/generator.md).
	 */
	long long n = youths;
	long long vo_pupils = n * 55 * 935 / (240 * 1000); /* 5.5 cohorts, 93.5% regular */
	long long vso_pupils = n * 8 * 35 / (24 * 1000);   /* 8 cohorts (12-19), 3.5% */
	long long pro_pupils = n * 55 * 30 / (240 * 1000); /* 5.5 cohorts, 3% */
	long long mbo_students = n * 5 / (24 * 2);         /* 5 cohorts, about half of them */
	const struct school_plan plans[] = {
	    {ST_VO, (int)at_least((long)((vo_pupils + 600) / 1200), 1), 3},
	    {ST_VSO, (int)at_least((long)((vso_pupils + 125) / 250), 1), 2},
	    {ST_PRO, (int)at_least((long)((pro_pupils + 150) / 300), 1), 1},
	    {ST_MBO, (int)at_least((long)((mbo_students + 1250) / 2500), 1), 8},
	};
	for (size_t i = 0; i < sizeof(plans) / sizeof(*plans); i++)
		build_schools(o, ref, &r, seed, &plans[i]);
	index_schools(o);
	for (int l = 0; l < LV_COUNT; l++)
		if (o->nby_level[l] == 0)
			return err_set(e, ERR_INTERNAL, "no school offers level %s",
			               gen_levels[l].code);

	o->ncare = (int)at_least(youths / 2000, 5);
	o->agb = xcalloc((size_t)o->ncare, sizeof(*o->agb));
	o->care_names = xcalloc((size_t)o->ncare, sizeof(char *));
	o->care_muni = xcalloc((size_t)o->ncare, sizeof(int));
	for (int i = 0; i < o->ncare; i++) {
		o->care_muni[i] = rng_weighted(&r, ref->muni_weights, ref->nmunis);
		eight_digits(rng_mix64(seed ^ 0xa9bULL), i, o->agb[i]);
		const struct gen_surname *s =
		    &ref->surnames[rng_below(&r, (uint32_t)ref->nsurnames)];
		const char *kind = care_kinds[rng_below(&r, COUNT(care_kinds))];
		o->care_names[i] =
		    i % 2 ? xasprintf("%s %s", kind, s->surname)
		          : xasprintf("%s %s", kind, name_words[i % COUNT(name_words)]);
	}
	o->nemployers = (int)at_least(youths / 100, 20);
	o->kvk = xcalloc((size_t)o->nemployers, sizeof(*o->kvk));
	o->employer_names = xcalloc((size_t)o->nemployers, sizeof(char *));
	o->employer_muni = xcalloc((size_t)o->nemployers, sizeof(int));
	for (int i = 0; i < o->nemployers; i++) {
		o->employer_muni[i] = rng_weighted(&r, ref->muni_weights, ref->nmunis);
		eight_digits(rng_mix64(seed ^ 0x4b764bULL), i, o->kvk[i]);
		const struct gen_surname *s =
		    &ref->surnames[rng_below(&r, (uint32_t)ref->nsurnames)];
		const char *trade = employer_trades[rng_below(&r, COUNT(employer_trades))];
		o->employer_names[i] =
		    xasprintf("%s%s%s %s%s", s->prefix, *s->prefix ? " " : "", s->surname, trade,
		              rng_chance(&r, 400000) ? " B.V." : "");
		/* In a company name the tussenvoegsel starts with a capital: "Van den Berg Bouw".
		 */
		if (*s->prefix && islower((unsigned char)o->employer_names[i][0]))
			o->employer_names[i][0] =
			    (char)toupper((unsigned char)o->employer_names[i][0]);
	}
	return 0;
}

void gen_orgs_release(struct gen_orgs *o)
{
	for (int i = 0; i < o->nschools; i++)
		free(o->schools[i].name);
	free(o->schools);
	for (int l = 0; l < LV_COUNT; l++)
		free(o->by_level[l]);
	free(o->lm_start);
	free(o->lm_idx);
	for (int i = 0; i < o->ncare; i++)
		free(o->care_names[i]);
	free(o->care_names);
	free(o->care_muni);
	free(o->agb);
	for (int i = 0; i < o->nemployers; i++)
		free(o->employer_names[i]);
	free(o->employer_names);
	free(o->employer_muni);
	free(o->kvk);
	memset(o, 0, sizeof(*o));
}
