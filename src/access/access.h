/*
 * Who is acting: the identity that every read or write of personal data carries down to the
 * domain modules, so that the need-to-know decision and the audit entry can be made where the
 * data is touched, with no path around them.
 */
#ifndef ACCESS_ACCESS_H
#define ACCESS_ACCESS_H

#include <stdint.h>

/*
 * The strings are borrowed from whoever made the struct (the CLI, the HTTP layer for the
 * length of one request). A user of the web or the API has user_id, organisation_id and
 * roles set; the CLI operator and systems have 0 there and are recognised by actor and role.
 */
struct access {
	const char *actor;        /* user name, "cli:<login>" or "system:<feed>" */
	const char *organisation; /* the acting organisation's identifier, or NULL */
	const char *role;         /* e.g. "operator", "rmc", "leerplicht" */
	const char *on_behalf_of; /* the responsible user, when acting for someone */
	const char *client;       /* client address, or "cli" */
	const char *reason;       /* purpose or legal ground of this access */
	int64_t user_id;          /* users.id of a logged-in user; 0 otherwise */
	int64_t organisation_id;  /* organisations.id of the user's organisation; 0 otherwise */
	unsigned roles;           /* the user's roles: a set of ROLE_* bits (accounts/roles.h) */
};

/*
 * The identity of someone at this machine's command line holding the key file: the local
 * operator, acting as `login` (from the environment). The strings are static.
 */
void access_cli_operator(struct access *a);

#endif
