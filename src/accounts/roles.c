/* The roles (see roles.h). */
#include "accounts/roles.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* In the order of the bits of enum role. */
static const char *const role_names[ROLE_COUNT] = {
	"leerplicht", "rmc", "school", "care", "jobcoach", "policy", "admin", "auditor", "editor",
};

static const char role_list[] =
	"leerplicht, rmc, school, care, jobcoach, policy, admin, auditor, editor";

const char *role_name(unsigned role)
{
	for (int i = 0; i < ROLE_COUNT; i++)
		if (role == 1u << i)
			return role_names[i];
	return NULL;
}

int role_parse(const char *name, unsigned *role, struct err *e)
{
	for (int i = 0; i < ROLE_COUNT; i++)
		if (strcasecmp(name, role_names[i]) == 0) {
			*role = 1u << i;
			return 0;
		}
	return err_set(e, ERR_INVALID, "role '%.40s' is not a role (roles: %s)", name, role_list);
}

int roles_parse(const char *list, unsigned *roles, struct err *e)
{
	*roles = 0;
	for (const char *p = list ? list : ""; *p;) {
		while (*p == ' ' || *p == ',')
			p++;
		size_t n = strcspn(p, ",");
		size_t len = n;
		while (len && p[len - 1] == ' ')
			len--;
		if (len) {
			char name[48];
			unsigned r;
			snprintf(name, sizeof(name), "%.*s", (int)(len < 47 ? len : 47), p);
			if (len >= 47 || role_parse(name, &r, e) < 0)
				return len >= 47 ? err_set(e, ERR_INVALID,
							   "role '%.40s…' is not a role (roles: %s)",
							   p, role_list)
						 : -1;
			*roles |= r;
		}
		p += n;
	}
	if (!*roles)
		return err_set(e, ERR_INVALID, "no role given (roles: %s)", role_list);
	return 0;
}

void roles_format(unsigned roles, char out[ROLES_TEXT_SIZE])
{
	size_t used = 0;
	out[0] = '\0';
	for (int i = 0; i < ROLE_COUNT; i++)
		if (roles & (1u << i))
			used += (size_t)snprintf(out + used, ROLES_TEXT_SIZE - used, "%s%s",
						 used ? "," : "", role_names[i]);
}

bool roles_may_see_persons(unsigned roles)
{
	return (roles & ROLE_PERSON_WORK) != 0;
}
