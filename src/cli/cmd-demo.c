/*
 * inbeeld demo [--dir DIR] [--youths N] [--seed S] [--listen ADDR] [--fresh] [--no-serve]
 *
 * Create a demo region on SQLite in DIR (default ./demo): the store and its key file, the
 * municipalities of Zuid-Limburg, and a synthetic population from the generator with its
 * organisations and young people; then serve it. A demo that exists already is served as it
 * is, unless --fresh asks for a new one. The demo always lives in DIR, whatever INBEELD_DB
 * says, so that it can never touch a real store.
 *
 * A new demo also gets one user per role, each at an organisation of the demo that fits
 * the role, with a random password; the names and passwords are printed once and written
 * to DIR/users.txt (mode 0600).
 */
#include "accounts/roles.h"
#include "accounts/users.h"
#include "cli/commands.h"
#include "gen/gen.h"
#include "http/http.h"
#include "knowledge/knowledge.h"
#include "registry/org.h"
#include "registry/region.h"
#include "util/embedded.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char demo_region_file[] = "data/regions/demo_region_zuid_limburg.csv";

struct demo_options {
	const char *dir;
	long youths;
	long seed;
	const char *listen;
	bool fresh;
	bool no_serve;
};

/* Write an embedded file to `path`, so the loaders, which read files, can take it. */
static int write_embedded(const char *name, const char *path, struct err *e)
{
	const struct embedded_file *f = embedded_find(name);
	if (!f)
		return err_set(e, ERR_INTERNAL, "%s is not compiled into this binary", name);
	FILE *out = fopen(path, "wb");
	if (!out)
		return err_set(e, ERR_IO, "cannot write '%s': %s", path, strerror(errno));
	size_t n = fwrite(f->data, 1, f->len, out);
	if (fclose(out) != 0 || n != f->len)
		return err_set(e, ERR_IO, "cannot write '%s': %s", path, strerror(errno));
	return 0;
}

static void remove_store_files(const char *dir)
{
	static const char *const names[] = {"inbeeld.db", "inbeeld.db-wal", "inbeeld.db-shm",
					    "inbeeld.key"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char *p = xasprintf("%s/%s", dir, names[i]);
		unlink(p);
		free(p);
	}
}

/* The demo's users: one per role, at the first organisation of a kind that fits it. */
static const struct {
	const char *username;
	unsigned role;
	const char *kinds; /* organisation kinds to try, in order */
	const char *name;
} demo_users[] = {
	{"leerplicht", ROLE_LEERPLICHT, "municipality", "Demo leerplichtambtenaar"},
	{"rmc", ROLE_RMC, "municipality", "Demo RMC-trajectbegeleider"},
	{"school", ROLE_SCHOOL, "school", "Demo zorgcoördinator"},
	{"care", ROLE_CARE, "care,municipality", "Demo jeugdconsulent"},
	{"jobcoach", ROLE_JOBCOACH, "wsp,uwv,municipality", "Demo jobcoach"},
	{"policy", ROLE_POLICY, "municipality", "Demo beleidsmedewerker"},
	{"admin", ROLE_ADMIN, "municipality", "Demo beheerder"},
	{"auditor", ROLE_AUDITOR, "municipality", "Demo auditor"},
	{"editor", ROLE_EDITOR, "municipality", "Demo redacteur"},
};

/* The first organisation of the first kind in `kinds` that the demo has, as kind:ident. */
static int demo_org(struct store *s, const char *kinds, char *out, size_t size, struct err *e)
{
	for (const char *p = kinds; *p;) {
		size_t n = strcspn(p, ",");
		char kind[24];
		snprintf(kind, sizeof(kind), "%.*s", (int)n, p);
		struct organisation *list;
		size_t count;
		if (org_list(s, kind, &list, &count, e) < 0)
			return -1;
		if (count)
			snprintf(out, size, "%s:%s", kind, list[0].ident);
		org_free_array(list, count);
		if (count)
			return 0;
		p += n + (p[n] == ',');
	}
	return err_set(e, ERR_NOTFOUND, "the demo has no organisation of kind %s", kinds);
}

/* A random password of 20 letters and digits (about 100 bits). */
static void demo_password(char out[21])
{
	static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	for (int i = 0; i < 20; i++)
		out[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
	out[20] = '\0';
}

/* Add the demo's users and write their passwords to o->dir/users.txt (mode 0600). */
static int demo_add_users(struct cli *cli, const struct demo_options *o, const struct access *who)
{
	char *path = xasprintf("%s/users.txt", o->dir);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	int rc = -1;
	if (!f) {
		err_set(&cli->err, ERR_IO, "cannot write '%s': %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		goto done;
	}
	fprintf(f, "# inbeeld demo users: user name, password, organisation, role\n");
	printf("demo: users (also in %s, mode 0600; shown only now):\n", path);
	for (size_t i = 0; i < sizeof(demo_users) / sizeof(demo_users[0]); i++) {
		char org[80], password[21];
		if (demo_org(cli->store, demo_users[i].kinds, org, sizeof(org), &cli->err) < 0)
			goto done;
		demo_password(password);
		struct user_input in = {demo_users[i].username, demo_users[i].name, org,
					demo_users[i].role, password};
		if (user_add(cli->store, who, &in, NULL, &cli->err) < 0)
			goto done;
		fprintf(f, "%s %s %s %s\n", demo_users[i].username, password, org,
			role_name(demo_users[i].role));
		printf("  %-10s %s  (%s)\n", demo_users[i].username, password, org);
		sodium_memzero(password, sizeof(password));
	}
	rc = 0;
done:
	if (f && fclose(f) != 0 && rc == 0)
		rc = err_set(&cli->err, ERR_IO, "cannot write '%s': %s", path, strerror(errno));
	free(path);
	return rc;
}

/* Create the region in o->dir: store, keys, municipalities, organisations, young people. */
static int build_demo(struct cli *cli, const struct demo_options *o)
{
	int applied, version, created, rc = -1;
	struct access who;
	access_cli_operator(&who);
	char *region = xasprintf("%s/region.csv", o->dir);
	char *feeds = xasprintf("%s/feeds", o->dir);

	if (cli_setup_store(cli, &applied, &version, &created) < 0)
		goto done;
	printf("demo: store %s (schema version %d), key file %s\n", cli->db_url, version,
	       cli->keyfile);
	int knowledge_loaded;
	if (knowledge_seed(cli->store, &knowledge_loaded, &cli->err) < 0)
		goto done;
	printf("demo: %d items of the knowledge platform\n", knowledge_loaded);

	struct region_load_stats rs;
	if (write_embedded(demo_region_file, region, &cli->err) < 0 ||
	    region_load(cli->store, region, 2023, &rs, &cli->err) < 0)
		goto done;
	printf("demo: %ld municipalities of Zuid-Limburg\n", rs.municipalities);

	struct gen_options go;
	struct gen_stats gs;
	gen_options_init(&go);
	go.youths = o->youths;
	go.seed = (uint64_t)o->seed;
	go.out_dir = feeds;
	go.force = true;
	if (gen_run(&go, &gs, &cli->err) < 0)
		goto done;
	printf("demo: generated %ld young people and %ld rows in %d files (%s)\n", gs.youths,
	       gs.rows, gs.nfiles, feeds);

	/* The region's history goes in as the partners' files would, through the command an
	 * operator runs; the signal rules run over it afterwards, as after every import. */
	char *import_argv[] = {"import", "all", feeds, NULL};
	if (cmd_import(cli, 3, import_argv) < 0)
		goto done;
	if (demo_add_users(cli, o, &who) < 0)
		goto done;
	rc = 0;
done:
	free(region);
	free(feeds);
	return rc;
}

static void print_ready(void *arg, const char *url)
{
	(void)arg;
	printf("\ninbeeld demo is running at %s  (Ctrl-C stops it)\n", url);
	printf("try: curl %shealthz\n", url);
	fflush(stdout);
}

int cmd_demo(struct cli *cli, int argc, char **argv)
{
	struct demo_options o = {"demo", 5000, 1, "127.0.0.1:8080", false, false};
	const struct cli_opt opts[] = {
		{"dir", OPT_STRING, &o.dir, "DIR", "where the demo lives (default ./demo)"},
		{"youths", OPT_INT, &o.youths, "N", "young people to generate (default 5000)"},
		{"seed", OPT_INT, &o.seed, "S", "generator seed (default 1)"},
		{"listen", OPT_STRING, &o.listen, "ADDR", "address to serve on (127.0.0.1:8080)"},
		{"fresh", OPT_FLAG, &o.fresh, NULL, "throw an existing demo away and start anew"},
		{"no-serve", OPT_FLAG, &o.no_serve, NULL, "create the demo, do not serve it"},
		{NULL, 0, NULL, NULL, NULL},
	};
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, opts,
			   "demo [--dir DIR] [--youths N] [--seed S] [--listen ADDR] [--fresh] "
			   "[--no-serve]",
			   "Create a demo region of synthetic young people on SQLite and serve it.", 0,
			   0, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (o.youths < 1 || o.youths > 2000000)
		return cli_usage_error(cli, "--youths must be between 1 and 2000000");

	if (mkdir(o.dir, 0700) < 0 && errno != EEXIST)
		return err_set(&cli->err, ERR_IO, "cannot create '%s': %s", o.dir, strerror(errno));
	char *db = xasprintf("%s/inbeeld.db", o.dir);
	char *key = xasprintf("%s/inbeeld.key", o.dir);
	cli->db_url = db;
	cli->keyfile = key;
	if (o.fresh)
		remove_store_files(o.dir);
	bool exists = access(db, F_OK) == 0;
	if (exists)
		printf("demo: using the region already in %s (--fresh starts anew)\n", o.dir);
	rc = exists ? cli_open(cli, CLI_STORE | CLI_KEYS) : build_demo(cli, &o);
	if (rc == 0 && !o.no_serve) {
		struct http_config hc = {
			.db_url = db,
			.keys = &cli->keys,
			.listen = o.listen,
			.threads = 2,
			.on_ready = print_ready,
		};
		rc = http_serve(&hc, &cli->err);
	}
	cli->db_url = NULL; /* freed below; nothing reads them after this */
	cli->keyfile = NULL;
	free(db);
	free(key);
	return rc;
}
