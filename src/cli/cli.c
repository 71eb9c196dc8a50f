/* Option parsing, store and key opening, and output shared by all commands (see cli.h). */
#include "cli/cli.h"
#include "accounts/roles.h"
#include "accounts/users.h"
#include "audit/audit.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char meta_key_check_sql[] = "SELECT value FROM meta WHERE name = 'key_check'";

void cli_init(struct cli *cli)
{
	memset(cli, 0, sizeof(*cli));
	cli->db_url = getenv("INBEELD_DB");
	if (!cli->db_url || !*cli->db_url)
		cli->db_url = "inbeeld.db";
	cli->keyfile = getenv("INBEELD_KEYFILE");
	if (!cli->keyfile || !*cli->keyfile)
		cli->keyfile = "inbeeld.key";
}

void cli_release(struct cli *cli)
{
	store_close(cli->store);
	cli->store = NULL;
	if (cli->keys_loaded) {
		keyring_wipe(&cli->keys);
		audit_clear_key();
	}
	cli->keys_loaded = false;
	free(cli->args);
	cli->args = NULL;
}

int cli_usage_error(struct cli *cli, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cli->err.code = ERR_USAGE;
	vsnprintf(cli->err.msg, sizeof(cli->err.msg), fmt, ap);
	va_end(ap);
	return -1;
}

static const struct cli_opt *find_opt(const struct cli_opt *opts, const char *name, size_t len)
{
	for (const struct cli_opt *o = opts; o && o->name; o++)
		if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
			return o;
	return NULL;
}

static void print_opt(const struct cli_opt *o)
{
	char left[64];
	snprintf(left, sizeof(left), "--%s%s%s", o->name, o->metavar ? " " : "",
		 o->metavar ? o->metavar : "");
	printf("  %-26s %s\n", left, o->help);
}

static void print_help(const struct cli *cli, const struct cli_opt *opts, const char *usage,
		       const char *description)
{
	static const struct cli_opt common[] = {
		{"db", OPT_STRING, NULL, "URL", "the store (default $INBEELD_DB or inbeeld.db)"},
		{"keyfile", OPT_STRING, NULL, "PATH",
		 "the key file (default $INBEELD_KEYFILE or inbeeld.key)"},
		{"json", OPT_FLAG, NULL, NULL, "print the result as JSON"},
		{"help", OPT_FLAG, NULL, NULL, "show this help"},
		{NULL, 0, NULL, NULL, NULL},
	};
	printf("usage: inbeeld %s\n\n%s\n", usage, description);
	if (opts && opts->name) {
		printf("\noptions:\n");
		for (const struct cli_opt *o = opts; o->name; o++)
			print_opt(o);
	}
	printf("\ncommon options:\n");
	for (const struct cli_opt *o = common; o->name; o++)
		print_opt(o);
	printf("\nexit codes: 0 ok, 1 error, 2 usage (see 'inbeeld %s --help')\n", cli->command);
}

static int set_opt(struct cli *cli, const struct cli_opt *o, const char *value)
{
	switch (o->kind) {
	case OPT_FLAG:
		*(bool *)o->target = true;
		return 0;
	case OPT_STRING:
		*(const char **)o->target = value;
		return 0;
	case OPT_INT: {
		char *end = NULL;
		long v = strtol(value, &end, 10);
		if (!*value || *end)
			return cli_usage_error(cli, "--%s wants a whole number, not '%s'", o->name,
					       value);
		*(long *)o->target = v;
		return 0;
	}
	}
	return 0;
}

int cli_parse(struct cli *cli, int argc, char **argv, const struct cli_opt *opts,
	      const char *usage, const char *description, int min_args, int max_args,
	      char ***args, int *nargs)
{
	const struct cli_opt common[] = {
		{"db", OPT_STRING, &cli->db_url, "URL", NULL},
		{"keyfile", OPT_STRING, &cli->keyfile, "PATH", NULL},
		{"json", OPT_FLAG, &cli->json, NULL, NULL},
		{NULL, 0, NULL, NULL, NULL},
	};
	char **pos = xcalloc((size_t)argc + 1, sizeof(char *));
	int npos = 0, only_args = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (only_args || a[0] != '-' || a[1] != '-' || !a[2]) {
			if (!only_args && strcmp(a, "--") == 0) {
				only_args = 1;
				continue;
			}
			pos[npos++] = argv[i];
			continue;
		}
		if (strcmp(a, "--help") == 0) {
			print_help(cli, opts, usage, description);
			free(pos);
			return 1;
		}
		const char *name = a + 2, *eq = strchr(name, '=');
		size_t len = eq ? (size_t)(eq - name) : strlen(name);
		const struct cli_opt *o = find_opt(opts, name, len);
		if (!o)
			o = find_opt(common, name, len);
		if (!o) {
			free(pos);
			return cli_usage_error(cli, "unknown option '--%.*s' (see --help)", (int)len,
					       name);
		}
		const char *value = NULL;
		if (o->kind != OPT_FLAG) {
			if (eq)
				value = eq + 1;
			else if (i + 1 < argc)
				value = argv[++i];
			else {
				free(pos);
				return cli_usage_error(cli, "--%s needs a value (%s)", o->name,
						       o->metavar ? o->metavar : "value");
			}
		} else if (eq) {
			free(pos);
			return cli_usage_error(cli, "--%s takes no value", o->name);
		}
		if (set_opt(cli, o, value) < 0) {
			free(pos);
			return -1;
		}
	}
	if (npos < min_args || (max_args >= 0 && npos > max_args)) {
		free(pos);
		return cli_usage_error(cli, "usage: inbeeld %s", usage);
	}
	free(cli->args);
	cli->args = pos;
	*args = pos;
	*nargs = npos;
	return 0;
}

int cli_dispatch(struct cli *cli, int argc, char **argv, const struct cli_verb *verbs)
{
	const char *cmd = argv[0];
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
		printf("usage: inbeeld %s VERB [options]\n\nverbs:\n", cmd);
		for (const struct cli_verb *v = verbs; v->name; v++)
			printf("  %-12s %s\n", v->name, v->summary);
		printf("\n'inbeeld %s VERB --help' tells more.\n", cmd);
		if (argc < 2)
			return cli_usage_error(cli, "'%s' needs a verb", cmd);
		return 0;
	}
	for (const struct cli_verb *v = verbs; v->name; v++)
		if (strcmp(v->name, argv[1]) == 0) {
			snprintf(cli->command, sizeof(cli->command), "%s %s", cmd, v->name);
			return v->run(cli, argc - 1, argv + 1);
		}
	return cli_usage_error(cli, "'%s' is not a verb of '%s' (see 'inbeeld %s --help')",
			       argv[1], cmd, cmd);
}

static int check_key_belongs(struct cli *cli)
{
	struct stmt *st;
	if (store_prepare(cli->store, meta_key_check_sql, &st, &cli->err) < 0)
		return -1;
	int rc = stmt_step(st, &cli->err);
	if (rc == STORE_ROW) {
		char mine[PSEUDONYM_HEX_SIZE];
		keyring_check_value(&cli->keys, mine);
		if (strcmp(mine, stmt_text(st, 0)) != 0)
			rc = err_set(&cli->err, ERR_FORBIDDEN,
				     "key file '%s' does not belong to this store", cli->keyfile);
	} else if (rc == STORE_DONE) {
		rc = err_set(&cli->err, ERR_NOTFOUND,
			     "the store has no key registered: run 'inbeeld init' first");
	}
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

void cli_keys_loaded(struct cli *cli)
{
	unsigned char key[KEYRING_KEY_BYTES];
	cli->keys_loaded = true;
	keyring_audit_key(&cli->keys, key);
	audit_set_key(key);
	sodium_memzero(key, sizeof(key));
}

int cli_open(struct cli *cli, int what)
{
	if ((what & CLI_STORE) && !cli->store) {
		if (store_open(&cli->store, cli->db_url, &cli->err) < 0)
			return -1;
		if (!(what & CLI_NOCHECK) && store_check_schema(cli->store, &cli->err) < 0)
			return -1;
		/* Whatever a command does, its audit entries are sealed with a key from the key
		 * file (audit/audit.h): load it when it is there; a command that writes an entry
		 * without it fails and says so. */
		if (!(what & CLI_NOCHECK) && access(cli->keyfile, F_OK) == 0)
			what |= CLI_KEYS;
	}
	if ((what & CLI_KEYS) && !cli->keys_loaded) {
		if (keyring_load(&cli->keys, cli->keyfile, &cli->err) < 0)
			return -1;
		cli_keys_loaded(cli);
		if (cli->store && check_key_belongs(cli) < 0)
			return -1;
	}
	return 0;
}

void cli_print_json(json_t *value)
{
	char *text = json_dumps(value, JSON_INDENT(2));
	if (text) {
		puts(text);
		free(text);
	}
	json_decref(value);
}

int cli_acting(struct cli *cli, const struct cli_identity *id, struct access *who)
{
	access_cli_operator(who);
	if (id->as) {
		if (!*id->as)
			return cli_usage_error(cli, "--as wants a name");
		who->actor = id->as;
	}
	if (id->org)
		who->organisation = *id->org ? id->org : NULL;
	if (id->role)
		who->role = *id->role ? id->role : NULL;
	return 0;
}

int cli_acting_user(struct cli *cli, const char *user, struct access *who)
{
	static char actor[USER_NAME_MAX + 8], org[64], role[32];
	struct user u;
	access_cli_operator(who);
	if (!user)
		user = getenv("INBEELD_USER");
	if (!user || !*user)
		return 0;
	if (user_get(cli->store, user, &u, &cli->err) < 0)
		return -1;
	if (u.disabled) {
		user_release(&u);
		return err_set(&cli->err, ERR_FORBIDDEN, "user '%.64s' is disabled", user);
	}
	snprintf(actor, sizeof(actor), "%s", u.username);
	snprintf(org, sizeof(org), "%s", u.organisation ? u.organisation : "");
	/* The audit names one role: the first of the user's that works with persons. */
	unsigned first = u.roles & ROLE_PERSON_WORK ? u.roles & ROLE_PERSON_WORK : u.roles;
	first &= ~(first - 1);
	snprintf(role, sizeof(role), "%s", role_name(first) ? role_name(first) : "");
	who->actor = actor;
	who->organisation = org[0] ? org : NULL;
	who->role = role;
	who->user_id = u.id;
	who->organisation_id = u.organisation_id;
	who->roles = u.roles;
	who->reason = NULL;
	user_release(&u);
	return 0;
}

int cli_parse_id(struct cli *cli, const char *text, const char *what, int64_t *id)
{
	char *end = NULL;
	errno = 0;
	long long v = strtoll(text, &end, 10);
	if (!*text || *end || errno || v <= 0)
		return cli_usage_error(cli, "%s must be a positive whole number, not '%s'", what,
				       text);
	*id = v;
	return 0;
}
