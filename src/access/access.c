/* The acting identity (see access.h). */
#include "access/access.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void access_cli_operator(struct access *a)
{
	static char actor[96];
	const char *login = getenv("USER");
	if (!login || !*login)
		login = getenv("LOGNAME");
	if (!login || !*login)
		login = "unknown";
	snprintf(actor, sizeof(actor), "cli:%.80s", login);
	memset(a, 0, sizeof(*a));
	a->actor = actor;
	a->role = "operator";
	a->client = "cli";
	a->reason = "registry administration";
}
