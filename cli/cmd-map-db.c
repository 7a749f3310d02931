/*
 * cmd-map-db.c -- "smadm map build", "map lookup" and "map dump": the
 * Berkeley DB side of the tables (db/mapdb.h).  NAME is a profile table
 * name; its database is the text path plus ".db".
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "../backend/table.h"
#include "../db/mapdb.h"
#include "cmd.h"

/* A table that has a database: its definition and the two paths. */
struct map_target {
	const struct table_def	*def;
	const char		*text;
	char			*db;
};

static int
map_target(struct cmd_ctx *ctx, const char *name, struct map_target *mt,
    char **cause)
{
	memset(mt, 0, sizeof *mt);
	if ((mt->def = profile_table_def(name)) == NULL) {
		*cause = xasprintf("%s: no such table (see smadm status)",
		    name);
		return -1;
	}
	if ((mt->text = profile_table_path(ctx->host->prof, name)) == NULL) {
		*cause = xasprintf("%s: no path configured in the profile",
		    mt->def->name);
		return -1;
	}
	mt->db = xasprintf("%s.db", mt->text);
	return 0;
}

/*
 * The record options sendmail's own tools would use for this table, with
 * the flags of its K line and the TrustedUser of the cf when it is there.
 */
static void
map_opts(struct host *h, const struct map_target *mt, struct mapdb_opts *o,
    struct strv *notes)
{
	struct buf	 cf = BUF_INIT;
	char		*cause = NULL;
	uid_t		 uid;

	mapdb_opts_init(o, mt->def->kind == TABLE_ALIASES ? MAPDB_ALIASES :
	    MAPDB_MAP);
	o->source = mt->text;
	if (h->prof->cf == NULL ||
	    transport_read_file(h->t, h->prof->cf, &cf, 0, &cause) != 0) {
		free(cause);
		buf_release(&cf);
		return;
	}
	if (o->kind == MAPDB_MAP && mt->def->sendmail_map != NULL)
		mapdb_cf_map_flags(cf.data, cf.len, mt->def->sendmail_map, o);
	switch (mapdb_cf_trusted_user(cf.data, cf.len, &uid, &cause)) {
	case 1:
		o->set_owner = 1;
		o->uid = uid;
		break;
	case -1:
		if (notes != NULL)
			strv_pushf(notes, "%s: %s; a new map stays root's",
			    h->prof->cf, cause);
		free(cause);
		break;
	}
	buf_release(&cf);
}

/*
 * The pairs of a table's text, read by the table parser (backend/table.h),
 * which is the one place that parses it.  A text with errors builds
 * nothing: *cause lists them.  The pairs point into *tp, which the caller
 * frees after using them.
 */
static int
map_read_pairs(struct cmd_ctx *ctx, const struct map_target *mt,
    struct table **tp, struct map_pairs *pairs, char **cause)
{
	struct table_diags	 diags;
	struct buf		 text = BUF_INIT, msg = BUF_INIT;
	size_t			 i, n, shown = 0;
	int			 rc = -1;

	*tp = NULL;
	table_diags_init(&diags);
	if (transport_read_file(ctx->host->t, mt->text, &text, 0, cause) != 0)
		goto out;
	/* The table keeps the text: a big map is not held twice. */
	*tp = table_parse_buf(mt->def, mt->text, &text);
	table_check(*tp, &diags);
	if (diags.nerrors != 0) {
		for (i = 0; i < diags.n && shown < 20; i++) {
			if (diags.v[i].severity != TABLE_ERROR)
				continue;
			buf_printf(&msg, "%s\n", diags.v[i].text);
			shown++;
		}
		if (diags.nerrors > shown)
			buf_printf(&msg, "(%zu more errors)\n",
			    diags.nerrors - shown);
		buf_printf(&msg, "%s: %zu error%s; %s not rebuilt",
		    mt->def->name, diags.nerrors,
		    diags.nerrors == 1 ? "" : "s", mt->db);
		*cause = buf_detach(&msg);
		goto out;
	}
	/* The array table_pairs() made becomes the pairs, not a copy. */
	map_pairs_release(pairs);
	n = table_pairs(*tp, &pairs->v);
	pairs->n = pairs->alloc = n;
	rc = 0;
out:
	if (rc != 0) {
		table_free(*tp);
		*tp = NULL;
	}
	table_diags_release(&diags);
	buf_release(&text);
	buf_release(&msg);
	return rc;
}

static int
map_build_one(struct cmd_ctx *ctx, const struct map_target *mt, char **cause)
{
	struct mapdb_opts	 o;
	struct mapdb_report	 rep;
	struct map_pairs	 pairs;
	struct table		*t = NULL;
	struct strv		 notes = STRV_INIT;
	size_t			 i;
	int			 lockfd = -1, rc = -1;

	map_pairs_init(&pairs);
	mapdb_report_init(&rep);
	map_opts(ctx->host, mt, &o, &notes);
	/* sendmail -bi holds the aliases text while it rebuilds. */
	if (o.kind == MAPDB_ALIASES &&
	    (lockfd = mapdb_lock(mt->text, 1, 60000, cause)) == -1)
		goto out;
	if (map_read_pairs(ctx, mt, &t, &pairs, cause) != 0)
		goto out;
	if (mapdb_build(mt->db, pairs.v, pairs.n, &o, &rep, cause) != 0)
		goto out;
	for (i = 0; i < notes.n; i++)
		fprintf(ctx->out, "%s\n", notes.v[i]);
	for (i = 0; i < rep.warnings.n; i++)
		fprintf(ctx->out, "%s\n", rep.warnings.v[i]);
	fprintf(ctx->out, "%s: %zu entr%s -> %s", mt->def->name, rep.records,
	    rep.records == 1 ? "y" : "ies", mt->db);
	if (rep.duplicates != 0)
		fprintf(ctx->out, " (%zu duplicate%s)", rep.duplicates,
		    rep.duplicates == 1 ? "" : "s");
	fputc('\n', ctx->out);
	rc = 0;
out:
	mapdb_unlock(lockfd);
	map_pairs_release(&pairs);
	mapdb_report_release(&rep);
	strv_release(&notes);
	table_free(t);
	return rc;
}

/* -n: what a build would change, from the text against the database. */
static int
map_preview(struct cmd_ctx *ctx, const struct map_target *mt, char **cause)
{
	struct mapdb_opts	 o;
	struct mapdb_diff	 df;
	struct map_pairs	 pairs;
	struct table		*t = NULL;
	int			 rc = -1;

	map_pairs_init(&pairs);
	mapdb_diff_init(&df);
	map_opts(ctx->host, mt, &o, NULL);
	if (map_read_pairs(ctx, mt, &t, &pairs, cause) != 0)
		goto out;
	if (mapdb_compare(mt->db, mt->text, pairs.v, pairs.n, &o, &df,
	    cause) != 0)
		goto out;
	if (df.nodb)
		fprintf(ctx->out, "%s: would create %s (%zu keys)\n",
		    mt->def->name, mt->db, df.missing.n);
	else if (mapdb_diff_empty(&df))
		fprintf(ctx->out, "%s: %s is up to date\n", mt->def->name,
		    mt->db);
	else
		fprintf(ctx->out, "%s: would rebuild %s (%zu new, %zu removed, "
		    "%zu changed keys%s)\n", mt->def->name, mt->db,
		    df.missing.n, df.extra.n, df.different.n,
		    df.stale ? "; text is newer" : "");
	rc = 0;
out:
	mapdb_diff_release(&df);
	map_pairs_release(&pairs);
	table_free(t);
	return rc;
}

/*
 * The state of a table's map (see cmd_map_db_state in cmd.h): the records
 * of its text compared with the database.  Lines with errors are left out
 * of the comparison as the builder would refuse them; the check reports
 * them.
 */
static char *
map_db_state(struct host *h, const struct table_def *td, const char *path)
{
	struct map_target	 mt;
	struct mapdb_opts	 o;
	struct mapdb_diff	 df;
	struct map_pair		*pairs = NULL;
	struct table		*t;
	const char		*state = "error";
	char			*cause = NULL;
	size_t			 n;
	int			 existed;

	if (td->kind == TABLE_CLASS)
		return xstrdup("-");
	if ((t = table_load(h->t, td, path, 1, &existed, &cause)) == NULL) {
		free(cause);
		return xstrdup("error");
	}
	if (!existed) {
		table_free(t);
		return xstrdup("-");
	}
	mt.def = td;
	mt.text = path;
	mt.db = xasprintf("%s.db", path);
	map_opts(h, &mt, &o, NULL);
	n = table_pairs(t, &pairs);
	mapdb_diff_init(&df);
	if (mapdb_compare(mt.db, mt.text, pairs, n, &o, &df, &cause) == 0) {
		if (df.nodb)
			state = "no db";
		else if (df.stale || !mapdb_diff_empty(&df))
			state = "stale";
		else
			state = "built";
	}
	free(cause);
	mapdb_diff_release(&df);
	free(pairs);
	free(mt.db);
	table_free(t);
	return xstrdup(state);
}

char	*(*cmd_map_db_state)(struct host *, const struct table_def *,
	    const char *) = map_db_state;

/* Collect one table's failure and go on with the others. */
static void
add_error(struct buf *errs, char *cause)
{
	buf_printf(errs, "%s%s", errs->len ? "\n" : "", cause);
	free(cause);
}

/*
 * Build one table.  A named table is always built; otherwise a table
 * whose text is missing is skipped, and without force so is one whose
 * database is newer than its text.  Returns 1 when a database was written.
 */
static int
map_build_table(struct cmd_ctx *ctx, const char *name, int named, int force,
    int dry, struct buf *errs)
{
	struct map_target	 mt;
	char			*cause = NULL;
	int			 n = 1, built = 0;

	if (map_target(ctx, name, &mt, &cause) != 0) {
		add_error(errs, cause);
		return 0;
	}
	if (mt.def->kind == TABLE_CLASS) {
		if (named)
			fprintf(ctx->out, "%s: a class file, read by the cf "
			    "as text; no database to build\n", mt.def->name);
		goto out;
	}
	if (!named) {
		if (!transport_exists(ctx->host->t, mt.text))
			goto out;
		if (!force &&
		    (n = mapdb_outdated(mt.db, mt.text, &cause)) == -1) {
			add_error(errs, cause);
			goto out;
		}
	}
	if (n == 1 && dry) {
		if (map_preview(ctx, &mt, &cause) != 0)
			add_error(errs, cause);
	} else if (n == 1) {
		if (map_build_one(ctx, &mt, &cause) == 0)
			built = 1;
		else
			add_error(errs, cause);
	}
out:
	free(mt.db);
	return built;
}

static int
cmd_map_build_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	struct buf			 errs = BUF_INIT;
	size_t				 i;
	int				 ch, all = 0, dry = 0, n, built = 0;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "an", longopts, NULL)) != -1) {
		switch (ch) {
		case 'a':
			all = 1;
			break;
		case 'n':
			dry = 1;
			break;
		default:
			return cmd_usage(ctx, &cmd_map_build_entry);
		}
	}
	argc -= optind;
	argv += optind;

	if (argc > 0) {
		for (n = 0; n < argc; n++)
			built += map_build_table(ctx, argv[n], 1, 1, dry,
			    &errs);
	} else {
		/* No names: the maps whose text changed, or -a all. */
		for (i = 0; i < profile_ntables; i++) {
			if (profile_tables[i].kind == TABLE_CLASS ||
			    profile_table_path(ctx->host->prof,
			    profile_tables[i].name) == NULL)
				continue;
			built += map_build_table(ctx, profile_tables[i].name,
			    0, all, dry, &errs);
		}
		if (built == 0 && errs.len == 0 && !dry)
			fprintf(ctx->out, "all maps are up to date\n");
	}
	if (errs.len != 0)
		return cmd_fail_cause(ctx, buf_detach(&errs));
	return 0;
}

const struct cmd_entry cmd_map_build_entry = {
	"map build", "[-an] [NAME...]",
	"Build the databases of maps and aliases from their text",
	"Without NAME, builds every map and the aliases whose text is newer "
	"than its database; -a builds them all.  Records are what makemap "
	"hash (maps) and sendmail -bi (aliases) would write, with the -f and "
	"-N flags of the map's K line in the cf.  Each database is written "
	"to a temporary file and renamed over the old one, keeping its owner "
	"and mode (a new one gets mode 0640 and the cf's TrustedUser); a "
	"text with errors builds nothing and names each bad FILE:LINE.  "
	"Class files (local_host_names, relay_domains, trusted_users) have "
	"no database and are skipped.  -n builds nothing and tells, for each "
	"map that would be built, how many keys its database lacks, has in "
	"excess or holds with another value.",
	CMD_WRITES, cmd_map_build_exec
};

static int
cmd_map_lookup_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct map_target	 mt;
	struct mapdb_opts	 o;
	struct buf		 val = BUF_INIT;
	char			*cause = NULL;
	int			 rc;

	if (argc != 3)
		return cmd_usage(ctx, &cmd_map_lookup_entry);
	if (map_target(ctx, argv[1], &mt, &cause) != 0)
		return cmd_fail_cause(ctx, cause);
	if (mt.def->kind == TABLE_CLASS) {
		free(mt.db);
		return cmd_error(ctx, "%s: a class file has no database",
		    mt.def->name);
	}
	map_opts(ctx->host, &mt, &o, NULL);
	rc = mapdb_lookup(mt.db, argv[2], strlen(argv[2]), o.fold_case, &val,
	    &cause);
	if (rc == 1) {
		if (ctx->json) {
			fputs("{\"key\":", ctx->out);
			json_string(ctx->out, argv[2]);
			fputs(",\"value\":", ctx->out);
			json_string(ctx->out, val.data);
			fputs("}\n", ctx->out);
		} else
			fprintf(ctx->out, "%s\n", val.data);
		rc = 0;
	} else if (rc == 0)
		rc = cmd_error(ctx, "%s: no entry for \"%s\" in %s",
		    mt.def->name, argv[2], mt.db);
	else
		rc = cmd_fail_cause(ctx, cause);
	free(mt.db);
	buf_release(&val);
	return rc;
}

const struct cmd_entry cmd_map_lookup_entry = {
	"map lookup", "NAME KEY",
	"Look a key up in a map's database as sendmail does",
	"The key is folded to lower case unless the map's K line has -f, and "
	"tried without and with a trailing NUL, like sendmail's own lookups.  "
	"Exits 1 when the key is absent.",
	CMD_JSON, cmd_map_lookup_exec
};

/* Write bytes as text: control characters escaped like db_dump -p. */
static void
dump_bytes(FILE *f, const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		if ((unsigned char)s[i] < 0x20 && s[i] != '\t')
			fprintf(f, "\\x%02x", (unsigned char)s[i]);
		else if (s[i] == '\\')
			fputs("\\\\", f);
		else
			fputc(s[i], f);
	}
}

/*
 * A JSON string of bytes that may hold NULs, which json_string() cannot
 * take: escapes as json_string() does, control bytes as \u00XX.
 */
static void
json_bytes(FILE *f, const char *s, size_t len)
{
	unsigned char	c;
	size_t		i;

	fputc('"', f);
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c == '\r')
			fputs("\\r", f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static int
cmd_map_dump_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "hash-order", no_argument, NULL, 'H' },
		{ NULL, 0, NULL, 0 }
	};
	struct map_target		 mt;
	struct mapdb_records		 recs;
	char				*cause = NULL;
	size_t				 i;
	int				 ch, flags = MAPDB_SORTED, rc = 0;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "H", longopts, NULL)) != -1) {
		switch (ch) {
		case 'H':
			flags &= ~MAPDB_SORTED;
			break;
		default:
			return cmd_usage(ctx, &cmd_map_dump_entry);
		}
	}
	if (argc - optind != 1)
		return cmd_usage(ctx, &cmd_map_dump_entry);
	if (map_target(ctx, argv[optind], &mt, &cause) != 0)
		return cmd_fail_cause(ctx, cause);
	if (mt.def->kind == TABLE_CLASS) {
		free(mt.db);
		return cmd_error(ctx, "%s: a class file has no database",
		    mt.def->name);
	}
	mapdb_records_init(&recs);
	if (mapdb_read(mt.db, flags, &recs, &cause) != 0) {
		rc = cmd_fail_cause(ctx, cause);
		goto out;
	}
	if (ctx->json)
		fputs("[", ctx->out);
	for (i = 0; i < recs.n; i++) {
		const struct mapdb_record *r = &recs.v[i];

		if (ctx->json) {
			fputs(i ? ",\n{\"key\":" : "\n{\"key\":", ctx->out);
			json_bytes(ctx->out, r->key, r->keylen);
			fputs(",\"value\":", ctx->out);
			json_bytes(ctx->out, r->val, r->vallen);
			fputs("}", ctx->out);
		} else {
			dump_bytes(ctx->out, r->key, r->keylen);
			fputc('\t', ctx->out);
			dump_bytes(ctx->out, r->val, r->vallen);
			fputc('\n', ctx->out);
		}
	}
	if (ctx->json)
		fputs("\n]\n", ctx->out);
out:
	mapdb_records_release(&recs);
	free(mt.db);
	return rc;
}

const struct cmd_entry cmd_map_dump_entry = {
	"map dump", "[-H] NAME",
	"Print every entry of a map's database",
	"Prints KEY<tab>VALUE lines sorted by key (-H: in the database's hash "
	"order), the way makemap -u does, with trailing NULs and the aliases' "
	"\"@\" record left out; control characters are shown as \\xNN.",
	CMD_JSON, cmd_map_dump_exec
};
