/*
 * What the parts of the generator share (ref.c reads the reference data, orgs.c makes the
 * organisations, life.c lives one young person's life, emit.c writes rows, gen.c runs it all).
 * Nothing outside src/gen/ and its unit tests includes this file.
 *
 * Ownership: a struct gen_ref and a struct gen_orgs own everything they point to and are
 * freed with gen_ref_release / gen_orgs_release. A struct youth is a plain value with fixed
 * arrays, filled again for each young person, so generating a million of them allocates
 * nothing.
 */
#ifndef GEN_GEN_INTERNAL_H
#define GEN_GEN_INTERNAL_H

#include <limits.h>
#include <stdio.h>

#include "gen/gen.h"
#include "gen/rng.h"
#include "util/buf.h"

#define DATE_NONE INT_MAX /* an open end */

/* Stream kinds for rng_seed_stream: each use draws from its own numbers. */
enum {
	STREAM_YOUTH = 1,
	STREAM_DEFECT = 2,
	STREAM_ORGS = 3,
	STREAM_VRIJSTELLING = 4, /* drawn after the rest: adding them changed no other row */
};

/* ---- reference data (ref.c) ---- */

struct gen_muni {
	char code[GEMEENTE_SIZE];
	char *name;
	uint32_t weight;     /* relative share of the region's young people */
	int first_pc4, npc4; /* its PC4s: ref->pc4[first_pc4 .. first_pc4 + npc4) */
};

struct gen_surname {
	char *prefix; /* tussenvoegsel, "" when none */
	char *surname;
};

struct gen_ref {
	struct gen_muni *munis;
	int nmunis;
	uint32_t *muni_weights; /* munis[i].weight, as an array for rng_weighted */
	char (*pc4)[5];         /* grouped by municipality */
	int npc4;
	char **first[2]; /* given names: [0] female, [1] male */
	int nfirst[2];
	struct gen_surname *surnames;
	int nsurnames;
};

/* Read the region, PC4 and name files (NULL path: the embedded file). */
int gen_ref_load(struct gen_ref *ref, const char *region_path, const char *pc4_path, struct err *e);
void gen_ref_release(struct gen_ref *ref);

/* Split a surname as written ("van den Berg", "Bourgondië, van") into prefix and surname. */
void gen_split_surname(const char *in, struct buf *prefix, struct buf *surname);

/* ---- levels, school types and codes (orgs.c) ---- */

enum school_type { ST_VO, ST_VSO, ST_PRO, ST_MBO, ST_COUNT };

enum level {
	LV_VMBO_B,
	LV_VMBO_K,
	LV_VMBO_T,
	LV_HAVO,
	LV_VWO,
	LV_VSO_VERVOLG,
	LV_VSO_ARBEID,
	LV_VSO_DAGB,
	LV_PRO_ARBEID,
	LV_PRO_VERVOLG,
	LV_MBO1,
	LV_MBO2,
	LV_MBO3,
	LV_MBO4,
	LV_COUNT
};

struct level_info {
	const char *code;     /* in enrolments and diplomas */
	const char *org_code; /* in the levels of organisations.csv (the registry's codes) */
	enum school_type type;
	int years; /* nominal length of the programme (VO: grades, mbo: years) */
};
extern const struct level_info gen_levels[LV_COUNT];
extern const char *const gen_school_type_names[ST_COUNT];

/* The crebo codes an mbo level draws from (synthetic, see docs/generator.md). */
int gen_crebo_count(enum level lv);
const char *gen_crebo(enum level lv, int i);

/* ---- organisations (orgs.c) ---- */

struct gen_school {
	char brin[5];
	char vestiging[3];
	enum school_type type;
	uint32_t levels; /* bit per enum level */
	int muni;
	char *name;
};

struct gen_orgs {
	struct gen_school *schools;
	int nschools;
	int counts[ST_COUNT];
	int nbrin;
	/* Schools offering each level, all and per municipality (offsets into a flat array). */
	int *by_level[LV_COUNT];
	int nby_level[LV_COUNT];
	int *lm_start; /* [level * nmunis + muni]: offsets into lm_idx (one extra at the end) */
	int *lm_idx;
	int nmunis;
	char (*agb)[AGB_SIZE];
	char **care_names;
	int *care_muni;
	int ncare;
	char (*kvk)[KVK_SIZE];
	char **employer_names;
	int *employer_muni;
	int nemployers;
	int lead_muni; /* the municipality that delivers residence and care (the first listed) */
};

int gen_orgs_build(struct gen_orgs *o, const struct gen_ref *ref, uint64_t seed, long youths,
                   struct err *e);
void gen_orgs_release(struct gen_orgs *o);

/* A school offering `lv`, preferably in municipality `muni` (-1: anywhere). */
int gen_pick_school(const struct gen_orgs *o, struct rng *r, enum level lv, int muni);

/* ---- one young person's life (life.c) ---- */

#define MAX_ADDR    8
#define MAX_SPELL   16
#define MAX_DIPLOMA 8
#define MAX_ABSENCE 12
#define MAX_STATUS  3
#define MAX_CARE    12
#define MAX_WORK    24
#define MAX_VRIJ    2

enum end_reason {
	END_NONE,
	END_DIPLOMA,
	END_OVERSTAP,
	END_UITVAL,
	END_UITSTROOM,
	END_VERHUIZING,
	END_OVERLIJDEN
};
extern const char *const gen_end_reasons[];

enum absence_kind { ABS_RELATIEF, ABS_ABSOLUUT, ABS_LUXE, ABS_SIGNAAL };
extern const char *const gen_absence_kinds[];

enum absence_status {
	STATUS_GEREGISTREERD,
	STATUS_IN_BEHANDELING,
	STATUS_AFGESLOTEN,
	STATUS_INGETROKKEN,
	STATUS_TKN /* Ter kennisgeving aangenomen */
};
extern const char *const gen_absence_statuses[];

enum work_kind {
	WORK_EMPLOYMENT,
	WORK_PARTICIPATIEWET,
	WORK_WW,
	WORK_WAJONG,
	WORK_DOELGROEPENREGISTER,
	WORK_DAGBESTEDING
};
extern const char *const gen_work_kinds[];

struct addr {
	int muni, pc4;
	char letters[3];
	int street, number;
	char suffix; /* house letter or 0 */
	date_t in, out;
};

struct spell {
	enum level level;
	int school, crebo;
	date_t start, end;
	enum end_reason reason;
};

struct diploma {
	enum level qual;
	int school, crebo;
	date_t date;
};

struct absence {
	enum absence_kind kind;
	int school;      /* -1: none */
	date_t from, to; /* to: DATE_NONE when open */
	int hours;       /* -1: none */
	date_t reported;
	int nstatus;
	enum absence_status status[MAX_STATUS];
	date_t status_date[MAX_STATUS];
};

struct care {
	bool wmo;
	int category; /* 2-digit product category */
	int product;  /* 1..99: the municipality's product within the category */
	int provider, muni;
	date_t start, end;
};

struct work {
	enum work_kind kind;
	int employer; /* -1: none */
	date_t start, end;
	int hours; /* -1: none */
};

/* The articles of the Leerplichtwet a vrijstelling is granted under (docs/feeds.md). */
enum vrij_article { VRIJ_5A, VRIJ_5B, VRIJ_5C, VRIJ_3A, VRIJ_15 };
extern const char *const gen_vrij_articles[];

struct vrijstelling {
	enum vrij_article article;
	int muni;        /* the municipality that granted it */
	date_t from, to; /* to: last day, DATE_NONE when it has no end; may lie after as_of */
};

struct youth {
	uint64_t index;
	char bsn[BSN_SIZE];
	int sex; /* 0 female, 1 male */
	char given_names[128];
	int surname;
	date_t birth, died, gone; /* gone: first day no longer in the region's view, or NONE */
	int naddr, nspell, ndiploma, nabsence, ncare, nwork, nvrij;
	struct addr addr[MAX_ADDR];
	struct spell spell[MAX_SPELL];
	struct diploma diploma[MAX_DIPLOMA];
	struct absence absence[MAX_ABSENCE];
	struct care care[MAX_CARE];
	struct work work[MAX_WORK];
	struct vrijstelling vrij[MAX_VRIJ];
};

/* The dates that frame a generated history. */
struct gen_frame {
	date_t as_of;
	date_t window; /* first day of the history: the day after the 1 October before the first
	                  snapshot */
	int nsnap;
	date_t snap[GEN_MAX_YEARS]; /* 1 October of each school year, old to new */
};

void gen_frame_init(struct gen_frame *f, date_t as_of, int years);

struct gen_world {
	uint64_t seed;
	const struct gen_ref *ref;
	const struct gen_orgs *orgs;
	struct gen_frame frame;
};

/* Live the life of young person `index`: everything about them up to the as-of date. */
void gen_youth(const struct gen_world *w, uint64_t index, struct youth *y);

extern const char *const gen_streets[];
extern const int gen_nstreets;

/* ---- writing the files (emit.c) ---- */

enum feed {
	FEED_ORGANISATIONS,
	FEED_RESIDENCE,
	FEED_ENROLMENTS,
	FEED_DIPLOMAS,
	FEED_ABSENCE,
	FEED_CARE,
	FEED_WORK,
	FEED_VRIJSTELLINGEN,
	FEED_MANIFEST,
	FEED_MALFORMED,
	FEED_COUNT
};

/* One output file, written under a temporary name until gen.c renames it. */
struct gen_out {
	enum feed feed;
	FILE *f;
	char *path;                   /* final path, owned */
	char *tmp;                    /* temporary path, owned */
	struct gen_file_stats *stats; /* NULL for the files the manifest does not list */
	long line;                    /* the last line written (the header is line 1) */
};

/* Everything the writers need while the young people are generated. */
struct gen_writer {
	const struct gen_world *w;
	uint32_t malformed_ppb;
	struct gen_out *orgs, *residence, *diplomas, *absence, *care, *work, *vrijstellingen;
	struct gen_out *malformed;
	struct gen_out *enrolments[GEN_MAX_YEARS];
	struct rng defects; /* the current young person's defect stream */
};

/* Open `out` for writing `feed` at `path` (via path.tmp) and write the header. */
int gen_out_open(struct gen_out *out, enum feed feed, const char *path,
                 struct gen_file_stats *stats, struct err *e);
/* Flush and close; -1 with ERR_IO when anything could not be written. */
int gen_out_close(struct gen_out *out, struct err *e);
/* Close (if open) and remove the temporary file; free the paths. */
void gen_out_discard(struct gen_out *out);
void gen_out_release(struct gen_out *out);

/* Write organisations.csv (never given defects: every other feed refers to it). */
void gen_write_organisations(struct gen_writer *wr);

/* Write all rows of one young person to every feed. */
void gen_write_youth(struct gen_writer *wr, const struct youth *y);

/* Write a manifest row (manifest.csv has no defects either). */
void gen_write_manifest_row(struct gen_out *out, int order, const struct gen_file_stats *st);

#endif
