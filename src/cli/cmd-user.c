/*
 * inbeeld user add USERNAME --org REF --role ROLE[,ROLE…] [--name "…"] [--password-file F]
 * inbeeld user list [--json]
 * inbeeld user disable USERNAME
 * inbeeld user enable USERNAME
 * inbeeld user passwd USERNAME [--password-file F]
 * inbeeld user roles USERNAME --set ROLE[,ROLE…]
 *
 * The user accounts of people who log in to the web interface and the API
 * (docs/access.md, "Accounts and sessions"). A password comes from the first line of
 * --password-file, else is asked twice without echo on a terminal, else is the first line of
 * standard input. Every change is audited under the operator's name.
 */
#include "accounts/roles.h"
#include "accounts/session.h"
#include "accounts/users.h"
#include "cli/commands.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

enum { PASSWORD_LINE_MAX = PASSWORD_MAX_BYTES + 2 };

/* One line from `f` without its end; false at end of file or when it is too long. */
static bool read_line(FILE *f, char *out, size_t size)
{
	if (!fgets(out, (int)size, f))
		return false;
	size_t n = strlen(out);
	bool whole = n && out[n - 1] == '\n';
	if (!whole && !feof(f))
		return false;
	while (n && (out[n - 1] == '\n' || out[n - 1] == '\r'))
		out[--n] = '\0';
	return true;
}

/* Ask for a line on the terminal with echo off. */
static bool prompt_hidden(const char *prompt, char *out, size_t size)
{
	struct termios old, quiet;
	fputs(prompt, stderr);
	fflush(stderr);
	bool restore = tcgetattr(STDIN_FILENO, &old) == 0;
	if (restore) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	bool ok = read_line(stdin, out, size);
	if (restore)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	fputc('\n', stderr);
	return ok;
}

/* The new password, from `file`, the terminal (twice) or standard input, into `out`. */
static int read_password(struct cli *cli, const char *file, char *out, size_t size)
{
	if (file) {
		FILE *f = fopen(file, "r");
		if (!f)
			return err_set(&cli->err, ERR_IO, "cannot read the password file '%s': %s",
				       file, strerror(errno));
		bool ok = read_line(f, out, size);
		fclose(f);
		if (!ok || !*out)
			return err_set(&cli->err, ERR_INVALID,
				       "the password file '%s' has no password on its first line "
				       "(or one longer than %d bytes)",
				       file, PASSWORD_MAX_BYTES);
		return 0;
	}
	if (!isatty(STDIN_FILENO)) {
		if (!read_line(stdin, out, size) || !*out)
			return err_set(&cli->err, ERR_INVALID,
				       "no password on standard input (one line expected)");
		return 0;
	}
	char again[PASSWORD_LINE_MAX];
	if (!prompt_hidden("New password: ", out, size) ||
	    !prompt_hidden("Again: ", again, sizeof(again)))
		return err_set(&cli->err, ERR_INVALID, "no password given");
	bool same = strcmp(out, again) == 0;
	sodium_memzero(again, sizeof(again));
	if (!same)
		return err_set(&cli->err, ERR_INVALID, "the two passwords differ");
	return 0;
}

static json_t *user_json(const struct user *u)
{
	json_t *roles = json_array();
	for (int i = 0; i < ROLE_COUNT; i++)
		if (u->roles & (1u << i))
			json_array_append_new(roles, json_string(role_name(1u << i)));
	return json_pack("{s:I, s:s, s:o, s:s, s:o, s:o, s:b, s:b, s:i, s:o, s:o}", "id",
			 (json_int_t)u->id, "username", u->username, "display_name",
			 u->display_name ? json_string(u->display_name) : json_null(),
			 "organisation", u->organisation, "organisation_name",
			 u->organisation_name ? json_string(u->organisation_name) : json_null(),
			 "roles", roles, "disabled", u->disabled, "locked",
			 u->locked_until > accounts_now(), "failed_attempts", u->failed_attempts,
			 "created_at", u->created_at ? json_string(u->created_at) : json_null(),
			 "changed_at", u->changed_at ? json_string(u->changed_at) : json_null());
}

static int user_add_cmd(struct cli *cli, int argc, char **argv)
{
	const char *org = NULL, *role = NULL, *name = NULL, *file = NULL;
	const struct cli_opt opts[] = {
		{"org", OPT_STRING, &org, "REF", "the user's organisation (kind:ident or id:N)"},
		{"role", OPT_STRING, &role, "ROLE[,ROLE…]",
		 "leerplicht, rmc, school, care, jobcoach, policy, admin, auditor, editor"},
		{"name", OPT_STRING, &name, "TEXT", "the name to show"},
		{"password-file", OPT_STRING, &file, "FILE", "read the password from FILE"},
		{NULL, 0, NULL, NULL, NULL},
	};
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, opts,
			   "user add USERNAME --org REF --role ROLE[,ROLE…] [--name TEXT] "
			   "[--password-file FILE]",
			   "Add a user who can log in.", 1, 1, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (!org || !role)
		return cli_usage_error(cli, "user add needs --org and --role");
	struct user_input in = {.username = args[0], .display_name = name, .organisation = org};
	char password[PASSWORD_LINE_MAX];
	struct access who;
	struct user u;
	memset(&u, 0, sizeof(u));
	access_cli_operator(&who);
	char folded[USER_NAME_MAX + 1];
	if (roles_parse(role, &in.roles, &cli->err) < 0 ||
	    user_name_check(args[0], folded, &cli->err) < 0 || cli_open(cli, CLI_STORE) < 0 ||
	    read_password(cli, file, password, sizeof(password)) < 0)
		return -1;
	in.password = password;
	rc = user_add(cli->store, &who, &in, &u, &cli->err);
	sodium_memzero(password, sizeof(password));
	if (rc < 0)
		return -1;
	char roles[ROLES_TEXT_SIZE];
	roles_format(u.roles, roles);
	if (cli->json)
		cli_print_json(user_json(&u));
	else
		printf("user %s added (organisation %s, roles %s)\n", u.username, u.organisation,
		       roles);
	user_release(&u);
	return 0;
}

static int user_list_cmd(struct cli *cli, int argc, char **argv)
{
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, NULL, "user list [--json]",
			   "List the users with their organisation, roles and state.", 0, 0, &args,
			   &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	struct user *list;
	size_t n;
	if (cli_open(cli, CLI_STORE) < 0 || user_list(cli->store, &list, &n, &cli->err) < 0)
		return -1;
	if (cli->json) {
		json_t *a = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(a, user_json(&list[i]));
		cli_print_json(a);
	} else {
		for (size_t i = 0; i < n; i++) {
			char roles[ROLES_TEXT_SIZE];
			roles_format(list[i].roles, roles);
			const char *state = list[i].disabled			  ? "disabled"
					    : list[i].locked_until > accounts_now() ? "locked"
										    : "active";
			printf("%-24s %-20s %-28s %s%s%s\n", list[i].username, list[i].organisation,
			       roles, state, list[i].display_name ? "  " : "",
			       list[i].display_name ? list[i].display_name : "");
		}
		if (n == 0)
			printf("no users yet: inbeeld user add USERNAME --org REF --role ROLE\n");
	}
	user_free_array(list, n);
	return 0;
}

static int set_disabled(struct cli *cli, int argc, char **argv, bool disabled)
{
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, NULL,
			   disabled ? "user disable USERNAME" : "user enable USERNAME",
			   disabled ? "Disable a user: no login, and open sessions end."
				    : "Enable a disabled user again, and lift a lock-out.",
			   1, 1, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	struct access who;
	access_cli_operator(&who);
	if (cli_open(cli, CLI_STORE) < 0 ||
	    user_set_disabled(cli->store, &who, args[0], disabled, &cli->err) < 0)
		return -1;
	if (cli->json)
		cli_print_json(json_pack("{s:s, s:b}", "username", args[0], "disabled", disabled));
	else
		printf("user %s %s\n", args[0], disabled ? "disabled" : "enabled");
	return 0;
}

static int user_disable_cmd(struct cli *cli, int argc, char **argv)
{
	return set_disabled(cli, argc, argv, true);
}

static int user_enable_cmd(struct cli *cli, int argc, char **argv)
{
	return set_disabled(cli, argc, argv, false);
}

static int user_passwd_cmd(struct cli *cli, int argc, char **argv)
{
	const char *file = NULL;
	const struct cli_opt opts[] = {
		{"password-file", OPT_STRING, &file, "FILE", "read the password from FILE"},
		{NULL, 0, NULL, NULL, NULL},
	};
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, opts, "user passwd USERNAME [--password-file FILE]",
			   "Give a user a new password; the user's sessions end.", 1, 1, &args,
			   &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	struct access who;
	struct user u;
	access_cli_operator(&who);
	if (cli_open(cli, CLI_STORE) < 0 || user_get(cli->store, args[0], &u, &cli->err) < 0)
		return -1;
	user_release(&u);
	char password[PASSWORD_LINE_MAX];
	if (read_password(cli, file, password, sizeof(password)) < 0)
		return -1;
	rc = user_set_password(cli->store, &who, args[0], password, &cli->err);
	sodium_memzero(password, sizeof(password));
	if (rc < 0)
		return -1;
	if (!cli->json)
		printf("user %s has a new password\n", args[0]);
	else
		cli_print_json(json_pack("{s:s, s:b}", "username", args[0], "changed", 1));
	return 0;
}

static int user_roles_cmd(struct cli *cli, int argc, char **argv)
{
	const char *set = NULL;
	const struct cli_opt opts[] = {
		{"set", OPT_STRING, &set, "ROLE[,ROLE…]", "the user's roles from now on"},
		{NULL, 0, NULL, NULL, NULL},
	};
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, opts, "user roles USERNAME --set ROLE[,ROLE…]",
			   "Replace a user's roles.", 1, 1, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (!set)
		return cli_usage_error(cli, "user roles needs --set ROLE[,ROLE…]");
	unsigned roles;
	struct access who;
	access_cli_operator(&who);
	if (roles_parse(set, &roles, &cli->err) < 0 || cli_open(cli, CLI_STORE) < 0 ||
	    user_set_roles(cli->store, &who, args[0], roles, &cli->err) < 0)
		return -1;
	char text[ROLES_TEXT_SIZE];
	roles_format(roles, text);
	if (cli->json)
		cli_print_json(json_pack("{s:s, s:s}", "username", args[0], "roles", text));
	else
		printf("user %s has roles %s\n", args[0], text);
	return 0;
}

static const struct cli_verb verbs[] = {
	{"add", user_add_cmd, "add a user (organisation, roles, password)"},
	{"list", user_list_cmd, "list the users"},
	{"disable", user_disable_cmd, "disable a user and end their sessions"},
	{"enable", user_enable_cmd, "enable a user again"},
	{"passwd", user_passwd_cmd, "give a user a new password"},
	{"roles", user_roles_cmd, "replace a user's roles"},
	{NULL, NULL, NULL},
};

int cmd_user(struct cli *cli, int argc, char **argv)
{
	return cli_dispatch(cli, argc, argv, verbs);
}
