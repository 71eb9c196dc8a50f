/*
 * The roles a user can have (docs/access.md, "Accounts and sessions"). A user has one or
 * more; a set of roles is a bit set of enum role values, which is what struct access carries
 * (access/access.h) and what the access decision reads.
 */
#ifndef ACCOUNTS_ROLES_H
#define ACCOUNTS_ROLES_H

#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"

enum role {
	ROLE_LEERPLICHT = 1u << 0, /* leerplichtambtenaar, municipality */
	ROLE_RMC = 1u << 1,        /* RMC-trajectbegeleider, for the RMC region */
	ROLE_SCHOOL = 1u << 2,     /* zorgcoördinator or mentor at a school */
	ROLE_CARE = 1u << 3,       /* jeugdconsulent, wijkteam, care provider */
	ROLE_JOBCOACH = 1u << 4,   /* jobcoach: municipality, UWV, WSP; never sees a BSN */
	ROLE_POLICY = 1u << 5,     /* aggregates only, never a person */
	ROLE_ADMIN = 1u << 6,      /* organisations, users, feeds, keys; no person data */
	ROLE_AUDITOR = 1u << 7,    /* the audit log */
	ROLE_EDITOR = 1u << 8,     /* the knowledge platform's editors */
};

#define ROLE_COUNT 9
#define ROLE_ALL ((1u << ROLE_COUNT) - 1)

/* The roles whose work is with individual young people. */
#define ROLE_PERSON_WORK (ROLE_LEERPLICHT | ROLE_RMC | ROLE_SCHOOL | ROLE_CARE | ROLE_JOBCOACH)

/* Enough for every role name, comma-separated, and the NUL. */
#define ROLES_TEXT_SIZE 96

/* The name of one role bit ("leerplicht", …); NULL for anything that is not one role. */
const char *role_name(unsigned role);

/* One role by name (case-insensitive); ERR_INVALID naming the value and the roles. */
int role_parse(const char *name, unsigned *role, struct err *e);

/*
 * A comma-separated list ("leerplicht,rmc"; spaces around names are ignored) into a set.
 * ERR_INVALID for an unknown name or an empty list. A name given twice counts once.
 */
int roles_parse(const char *list, unsigned *roles, struct err *e);

/* The set as "leerplicht,rmc" in the order of enum role; "" for none. Never truncates. */
void roles_format(unsigned roles, char out[ROLES_TEXT_SIZE]);

/*
 * Whether a user with `roles` may open person routes before the need-to-know rule decides
 * per person: any role of ROLE_PERSON_WORK. Policy, admin, auditor and editor alone may not.
 */
bool roles_may_see_persons(unsigned roles);

#endif
