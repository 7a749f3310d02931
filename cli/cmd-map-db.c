/*
 * cmd-map-db.c -- "smadm map build", "map lookup" and "map dump": the
 * Berkeley DB side of the tables (db/mapbuild.h, db/mapdb.h).  NAME is a
 * profile table name; its database is the text path plus ".db".
 */
#include <stdlib.h>
#include <string.h>

#include "../backend/op.h"
#include "../backend/safe-text.h"
#include "../backend/table.h"
#include "../db/mapbuild.h"
#include "cmd.h"

static int
cmd_map_build_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct strv			 lines = STRV_INIT;
	struct buf			 errs = BUF_INIT;
	char				*cause = NULL;
	size_t				 i, built = 0;
	int				 flags = 0, n;

	if (cmd_args_has(ctx, 'a'))
		flags |= MAPBUILD_FORCE;
	if (cmd_args_has(ctx, 'n'))
		flags |= MAPBUILD_DRY;
	argc -= 1;
	argv += 1;

	if (argc > 0) {
		/*
		 * Named tables are always built; one failure, go on.  In the
		 * console (ctx->op) each counts, and Esc stops between two.
		 */
		for (n = 0; n < argc; n++) {
			if (op_cancelled(ctx->op)) {
				buf_printf(&errs, "%scancelled: %d of %d "
				    "tables handled", errs.len ? "\n" : "", n,
				    argc);
				break;
			}
			op_progress(ctx->op, "build", (size_t)n, (size_t)argc,
			    argv[n]);
			if (mapbuild_table(ctx->host, argv[n], flags |
			    MAPBUILD_NAMED, &lines, &cause) == -1) {
				buf_printf(&errs, "%s%s", errs.len ? "\n" :
				    "", cause);
				free(cause);
				cause = NULL;
			}
		}
	} else if (mapbuild_changed(ctx->host, flags, &lines, &built,
	    &cause) != 0) {
		buf_addstr(&errs, cause);
		free(cause);
	} else if (built == 0 && !(flags & MAPBUILD_DRY))
		strv_push(&lines, "all maps are up to date");
	for (i = 0; i < lines.n; i++)
		fprintf(ctx->out, "%s\n", lines.v[i]);
	strv_release(&lines);
	if (errs.len != 0)
		return cmd_fail_cause(ctx, buf_detach(&errs));
	buf_release(&errs);
	return 0;
}

static const struct cmd_opt map_build_opts[] = {
	{ 'a', "all", NULL, "build every map, not only the stale ones", 0 },
	{ 'n', "dry-run", NULL, "say what would be built, build nothing", 0 },
	{ 0, NULL, NULL, NULL, 0 }
};

const struct cmd_entry cmd_map_build_entry = {
	"map build", "[NAME...]",
	"Build the databases of maps and aliases from their text",
	"Without NAME, builds every map and the aliases whose text is newer "
	"than its database; -a builds them all.  Records are what makemap "
	"hash (maps) and sendmail -bi (aliases) would write, with the -f and "
	"-N flags of the map's K line in the cf.  Each database is written "
	"to a temporary file and renamed over the old one, keeping its owner "
	"and mode (a new one gets mode 0640 and the cf's TrustedUser); a "
	"text with errors builds nothing and names each bad FILE:LINE, while "
	"warnings (see \"map check\") are shown and the map is built.  A "
	"CRLF text is built as makemap builds it: each value keeps its CR.  "
	"Class files (local_host_names, relay_domains, trusted_users) have "
	"no database and are skipped.  -n builds nothing and tells, for each "
	"map that would be built, how many keys its database lacks, has in "
	"excess or holds with another value.",
	CMD_WRITES, cmd_map_build_exec, map_build_opts
};

static int
cmd_map_lookup_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct mapbuild_target	 mt;
	struct mapdb_opts	 o;
	struct buf		 val = BUF_INIT;
	char			*cause = NULL, *view;
	int			 rc;

	if (argc != 3)
		return cmd_usage(ctx, &cmd_map_lookup_entry);
	if (mapbuild_target(ctx->host, argv[1], &mt, &cause) != 0)
		return cmd_fail_cause(ctx, cause);
	if (mt.def->kind == TABLE_CLASS) {
		mapbuild_target_release(&mt);
		return cmd_error(ctx, "%s: a class file has no database",
		    mt.def->name);
	}
	mapbuild_opts(ctx->host, &mt, &o, NULL);
	if ((view = mapbuild_view(ctx->host, mt.db, &cause)) == NULL) {
		mapbuild_target_release(&mt);
		return cmd_fail_cause(ctx, cause);
	}
	rc = mapdb_lookup(view, argv[2], strlen(argv[2]), o.fold_case, &val,
	    &cause);
	mapbuild_view_release(ctx->host, view);
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
	mapbuild_target_release(&mt);
	buf_release(&val);
	return rc;
}

const struct cmd_entry cmd_map_lookup_entry = {
	"map lookup", "NAME KEY",
	"Look a key up in a map's database as sendmail does",
	"The key is folded to lower case unless the map's K line has -f, and "
	"tried without and with a trailing NUL, like sendmail's own lookups.  "
	"Exits 1 when the key is absent.",
	CMD_JSON | CMD_OPTS_FIRST, cmd_map_lookup_exec, NULL
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

/* A JSON string of bytes that may hold NULs (backend/safe-text.h). */
static void
json_bytes(FILE *f, const char *s, size_t len)
{
	struct buf	b = BUF_INIT;

	safe_json_add(&b, s, len);
	fwrite(b.data, 1, b.len, f);
	buf_release(&b);
}

static int
cmd_map_dump_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct mapbuild_target		 mt;
	struct mapdb_records		 recs;
	char				*cause = NULL, *view;
	size_t				 i;
	int				 flags = MAPDB_SORTED, rc = 0;

	if (cmd_args_has(ctx, 'H'))
		flags &= ~MAPDB_SORTED;
	if (argc != 2)
		return cmd_usage(ctx, &cmd_map_dump_entry);
	if (mapbuild_target(ctx->host, argv[1], &mt, &cause) != 0)
		return cmd_fail_cause(ctx, cause);
	if (mt.def->kind == TABLE_CLASS) {
		mapbuild_target_release(&mt);
		return cmd_error(ctx, "%s: a class file has no database",
		    mt.def->name);
	}
	mapdb_records_init(&recs);
	if ((view = mapbuild_view(ctx->host, mt.db, &cause)) == NULL) {
		rc = cmd_fail_cause(ctx, cause);
		goto out;
	}
	rc = mapdb_read(view, flags, &recs, &cause);
	mapbuild_view_release(ctx->host, view);
	if (rc != 0) {
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
	mapbuild_target_release(&mt);
	return rc;
}

static const struct cmd_opt map_dump_opts[] = {
	{ 'H', "hash-order", NULL, "in the database's order, not sorted", 0 },
	{ 0, NULL, NULL, NULL, 0 }
};

const struct cmd_entry cmd_map_dump_entry = {
	"map dump", "NAME",
	"Print every entry of a map's database",
	"Prints KEY<tab>VALUE lines sorted by key (-H: in the database's hash "
	"order), the way makemap -u does, with trailing NULs and the aliases' "
	"\"@\" record left out; control characters are shown as \\xNN.",
	CMD_JSON, cmd_map_dump_exec, map_dump_opts
};
