/*
 * cmd-map.c -- "smadm map list|show|set|del|check": the text side of the
 * tables (access, mailertable, virtusertable, genericstable, domaintable,
 * aliases and the class files).  Building and reading the Berkeley DB files
 * is in the "map build|lookup|dump" commands.
 */
#include <stdlib.h>
#include <string.h>

#include "../backend/table.h"
#include "../db/mapbuild.h"
#include "cmd-op.h"
#include "cmd.h"

static const char *
map_kind_name(enum table_kind kind)
{
	switch (kind) {
	case TABLE_MAP:
		return "map";
	case TABLE_ALIASES:
		return "aliases";
	case TABLE_CLASS:
		return "class";
	}
	return "?";
}

/* cmd_run() parsed the options; returns the index of the first operand. */
static int
map_options(struct cmd_ctx *ctx unused, int *argcp unused, char **argv unused,
    int *bad)
{
	/*
	 * "map set NAME -- -KEY VALUE": cmd_args_parse() took the "--"
	 * away, wherever it stood.
	 */
	*bad = 0;
	return 1;
}

/* The table definition and its configured path, or an error. */
static const struct table_def *
map_lookup(struct cmd_ctx *ctx, const char *name, const char **path)
{
	const struct table_def	*td;

	if ((td = profile_table_def(name)) == NULL) {
		cmd_error(ctx, "unknown table \"%s\" (see smadm map list)",
		    name);
		return NULL;
	}
	*path = profile_table_path(ctx->host->prof, td->name);
	if (*path == NULL) {
		cmd_error(ctx, "%s: no path configured for this table",
		    td->name);
		return NULL;
	}
	return td;
}

/* Print a counted string for people: control characters escaped. */
static void
map_print_escaped(FILE *f, const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		if (s[i] == '\r')
			fputs("\\r", f);
		else if (s[i] == '\t')
			fputs("\\t", f);
		else if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			fprintf(f, "\\x%02x", (unsigned char)s[i]);
		else
			fputc(s[i], f);
	}
}

static void
map_json_counted(FILE *f, const char *s, size_t len)
{
	char	*copy = xstrndup(s, len);

	json_string(f, copy);
	free(copy);
}

static int
cmd_map_list_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct profile_table	*pt;
	struct table			*t;
	char				*cause = NULL, *db;
	size_t				 i;
	int				 bad, existed, first = 1;

	if (map_options(ctx, &argc, argv, &bad) != argc || bad)
		return cmd_usage(ctx, &cmd_map_list_entry);
	if (ctx->json)
		fputs("[", ctx->out);
	else
		fprintf(ctx->out, "%-17s %-7s %7s  %-32s %s\n", "NAME", "KIND",
		    "ENTRIES", "TEXT", "DB");
	for (i = 0; i < profile_ntables; i++) {
		pt = &ctx->host->prof->tables[i];
		t = NULL;
		existed = 0;
		if (pt->path != NULL) {
			t = table_load(ctx->host->t, pt->def, pt->path, 1,
			    &existed, &cause);
			free(cause);
			cause = NULL;
		}
		db = NULL;
		if (pt->path != NULL)
			db = mapbuild_state(ctx->host, pt->def, pt->path);
		if (ctx->json) {
			fprintf(ctx->out, "%s\n {\"name\": ", first ? "" : ",");
			json_string(ctx->out, pt->def->name);
			fprintf(ctx->out, ", \"kind\": \"%s\", \"path\": ",
			    map_kind_name(pt->def->kind));
			if (pt->path != NULL)
				json_string(ctx->out, pt->path);
			else
				fputs("null", ctx->out);
			fprintf(ctx->out, ", \"exists\": %s, \"entries\": ",
			    existed ? "true" : "false");
			if (t != NULL && existed)
				fprintf(ctx->out, "%zu", t->nentries);
			else
				fputs("null", ctx->out);
			fputs(", \"db\": ", ctx->out);
			if (db != NULL)
				json_string(ctx->out, db);
			else
				fputs("null", ctx->out);
			fputs("}", ctx->out);
		} else {
			fprintf(ctx->out, "%-17s %-7s ", pt->def->name,
			    map_kind_name(pt->def->kind));
			if (t != NULL && existed)
				fprintf(ctx->out, "%7zu  ", t->nentries);
			else
				fprintf(ctx->out, "%7s  ", "-");
			if (pt->path == NULL)
				fprintf(ctx->out, "%-32s", "(not configured)");
			else if (!existed && t == NULL &&
			    transport_exists(ctx->host->t, pt->path))
				fprintf(ctx->out, "%s (unreadable)", pt->path);
			else if (!existed)
				fprintf(ctx->out, "%s (missing)", pt->path);
			else
				fprintf(ctx->out, "%-32s", pt->path);
			fprintf(ctx->out, " %s\n", db != NULL ? db : "-");
		}
		first = 0;
		free(db);
		table_free(t);
	}
	if (ctx->json)
		fputs("\n]\n", ctx->out);
	return 0;
}

static int
cmd_map_show_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct table_def		*td;
	const struct table_entry	*e;
	struct table			*t;
	const char			*path;
	char				*cause = NULL;
	size_t				 i, w = 0;
	int				 bad, n;

	n = map_options(ctx, &argc, argv, &bad);
	if (bad || argc - n != 1)
		return cmd_usage(ctx, &cmd_map_show_entry);
	if ((td = map_lookup(ctx, argv[n], &path)) == NULL)
		return 1;
	if ((t = table_load(ctx->host->t, td, path, 0, NULL, &cause)) == NULL)
		return cmd_fail_cause(ctx, cause);
	if (ctx->json) {
		fputs("{\"name\": ", ctx->out);
		json_string(ctx->out, td->name);
		fputs(", \"path\": ", ctx->out);
		json_string(ctx->out, path);
		fputs(", \"entries\": [", ctx->out);
		for (i = 0; i < t->nentries; i++) {
			e = &t->entries[i];
			fprintf(ctx->out, "%s\n  {\"line\": %zu, \"lines\": %zu, "
			    "\"key\": ", i == 0 ? "" : ",", e->line + 1,
			    e->nlines);
			map_json_counted(ctx->out, e->key, e->keylen);
			fputs(", \"value\": ", ctx->out);
			if (e->value != NULL)
				map_json_counted(ctx->out, e->value,
				    e->valuelen);
			else
				fputs("null", ctx->out);
			fprintf(ctx->out, ", \"valid\": %s}",
			    e->bad ? "false" : "true");
		}
		fputs("\n]}\n", ctx->out);
		table_free(t);
		return 0;
	}
	for (i = 0; i < t->nentries; i++)
		if (t->entries[i].keylen > w && t->entries[i].keylen < 40)
			w = t->entries[i].keylen;
	for (i = 0; i < t->nentries; i++) {
		e = &t->entries[i];
		fprintf(ctx->out, "%6zu  ", e->line + 1);
		map_print_escaped(ctx->out, e->key, e->keylen);
		if (e->value != NULL) {
			fprintf(ctx->out, "%*s  ", (int)(e->keylen < w ?
			    w - e->keylen : 0), "");
			map_print_escaped(ctx->out, e->value, e->valuelen);
		}
		fputc('\n', ctx->out);
	}
	table_free(t);
	return 0;
}

/* What to do after an edit for sendmail to see it. */
static void
map_print_next(struct cmd_ctx *ctx, const struct table_def *td)
{
	if (td->kind == TABLE_CLASS)
		fprintf(ctx->out, "note: sendmail reads %s when it starts; "
		    "restart or reload the daemon\n", td->name);
	else
		fprintf(ctx->out, "note: the map needs \"smadm map build %s\" "
		    "before sendmail sees the change\n", td->name);
}

/*
 * Run one checked edit (table_edit(): the console's table screen
 * uses the same) and say what it did: warnings, the backup, the result.
 */
static int
map_edit(struct cmd_ctx *ctx, const struct table_def *td, const char *path,
    struct table_edit *te)
{
	struct table_edit_req	 req;
	struct op_ctl		 ctl;
	char			*cause = NULL;
	size_t			 i;

	memset(&req, 0, sizeof req);
	req.def = td;
	req.path = path;
	req.lock_wait = -1;
	cmd_op_ctl(ctx, &ctl);
	if (table_edit(ctx->host, &req, &ctl, te, &cause) != 0)
		return cmd_fail_cause(ctx, cause);
	if (!te->changed)
		return 0;
	for (i = 0; i < te->warnings.n; i++)
		fprintf(ctx->out, "%s\n", te->warnings.v[i]);
	if (te->backup != NULL)
		fprintf(ctx->out, "backup: set %s (\"smadm rollback %s\" "
		    "puts the old file back)\n", te->backup, te->backup);
	return 0;
}

static int
cmd_map_set_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct table_def	*td;
	struct table_edit	 te;
	struct strv		 words = STRV_INIT;
	const char		*path;
	char			*value;
	int			 i, rc, bad, n;

	n = map_options(ctx, &argc, argv, &bad);
	if (bad || argc - n < 2)
		return cmd_usage(ctx, &cmd_map_set_entry);
	if ((td = map_lookup(ctx, argv[n], &path)) == NULL)
		return 1;
	if (td->kind != TABLE_CLASS && argc - n < 3)
		return cmd_usage(ctx, &cmd_map_set_entry);
	if (td->kind == TABLE_CLASS && argc - n > 2) {
		cmd_error(ctx, "%s is a class file: one word per line, no "
		    "VALUE (\"%s\" would be dropped)", path, argv[n + 2]);
		return 1;
	}
	for (i = n + 2; i < argc; i++)
		strv_push(&words, argv[i]);
	value = strv_join(&words, " ");
	strv_release(&words);

	table_edit_init(&te, TABLE_OP_SET, argv[n + 1], value);
	if ((rc = map_edit(ctx, td, path, &te)) == 0) {
		if (!te.changed)
			fprintf(ctx->out, "%s: \"%s\" is already set that way\n",
			    path, argv[n + 1]);
		else {
			fprintf(ctx->out, "%s:%zu: %s\n", path, te.line,
			    argv[n + 1]);
			map_print_next(ctx, td);
		}
	}
	table_edit_release(&te);
	free(value);
	return rc;
}

/*
 * map del, rename and comment: TABLE KEY [NEWKEY], one checked edit, then
 * what it did.
 */
static int
map_edit_exec(struct cmd_ctx *ctx, const struct cmd_entry *ce,
    enum table_op op, int argc, char **argv)
{
	const struct table_def	*td;
	struct table_edit	 te;
	const char		*path, *key;
	int			 rc, bad, n;

	n = map_options(ctx, &argc, argv, &bad);
	if (bad || argc - n != (op == TABLE_OP_RENAME ? 3 : 2))
		return cmd_usage(ctx, ce);
	if ((td = map_lookup(ctx, argv[n], &path)) == NULL)
		return 1;
	key = argv[n + 1];
	table_edit_init(&te, op, key, op == TABLE_OP_RENAME ? argv[n + 2] :
	    NULL);
	if ((rc = map_edit(ctx, td, path, &te)) != 0)
		goto out;
	if (op == TABLE_OP_DEL)
		fprintf(ctx->out, "%s: deleted \"%s\" (%zu entr%s)\n", path,
		    key, te.nremoved, te.nremoved == 1 ? "y" : "ies");
	else if (op == TABLE_OP_RENAME && !te.changed) {
		fprintf(ctx->out, "%s: \"%s\" is already called that\n", path,
		    key);
		goto out;
	} else if (op == TABLE_OP_RENAME)
		fprintf(ctx->out, "%s:%zu: %s renamed to %s\n", path, te.line,
		    key, argv[n + 2]);
	else
		fprintf(ctx->out, "%s:%zu: commented out \"%s\"\n", path,
		    te.line, key);
	map_print_next(ctx, td);
out:
	table_edit_release(&te);
	return rc;
}

static int
cmd_map_del_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	return map_edit_exec(ctx, &cmd_map_del_entry, TABLE_OP_DEL, argc,
	    argv);
}

static int
cmd_map_rename_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	return map_edit_exec(ctx, &cmd_map_rename_entry, TABLE_OP_RENAME,
	    argc, argv);
}

static int
cmd_map_comment_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	return map_edit_exec(ctx, &cmd_map_comment_entry, TABLE_OP_COMMENT,
	    argc, argv);
}

static int
cmd_map_check_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct profile_table	*pt;
	const struct table_def		*td = NULL;
	struct table			*t;
	struct table_diags		 d;
	const char			*path;
	char				*cause = NULL;
	size_t				 i, j, ntables = 0, nerr = 0, nwarn = 0;
	int				 bad, n, existed, firstj = 1;

	n = map_options(ctx, &argc, argv, &bad);
	if (bad || argc - n > 1)
		return cmd_usage(ctx, &cmd_map_check_entry);
	if (argc - n == 1 && (td = map_lookup(ctx, argv[n], &path)) == NULL)
		return 1;
	if (ctx->json)
		fputs("[", ctx->out);
	for (i = 0; i < profile_ntables; i++) {
		pt = &ctx->host->prof->tables[i];
		if ((td != NULL && pt->def != td) || pt->path == NULL)
			continue;
		t = table_load(ctx->host->t, pt->def, pt->path, td == NULL,
		    &existed, &cause);
		if (t == NULL) {
			if (ctx->json)
				fputs("]\n", ctx->out);
			return cmd_fail_cause(ctx, cause);
		}
		if (!existed) {
			table_free(t);
			continue;
		}
		ntables++;
		table_diags_init(&d);
		table_check(t, &d);
		for (j = 0; j < d.n; j++) {
			if (!ctx->json) {
				fprintf(ctx->out, "%s\n", d.v[j].text);
				continue;
			}
			fprintf(ctx->out, "%s\n {\"table\": ", firstj ? "" :
			    ",");
			firstj = 0;
			json_string(ctx->out, pt->def->name);
			fputs(", \"file\": ", ctx->out);
			json_string(ctx->out, pt->path);
			fprintf(ctx->out, ", \"line\": %zu, \"severity\": "
			    "\"%s\", \"message\": ", d.v[j].line,
			    d.v[j].severity == TABLE_ERROR ? "error" :
			    "warning");
			json_string(ctx->out, d.v[j].text);
			fputs("}", ctx->out);
		}
		nerr += d.nerrors;
		nwarn += d.nwarnings;
		table_diags_release(&d);
		table_free(t);
	}
	if (ctx->json)
		fputs("\n]\n", ctx->out);
	else
		fprintf(ctx->out, "%zu error%s, %zu warning%s in %zu "
		    "table%s\n", nerr, nerr == 1 ? "" : "s", nwarn,
		    nwarn == 1 ? "" : "s", ntables, ntables == 1 ? "" : "s");
	if (nerr != 0)
		return cmd_error(ctx, "%zu error%s found", nerr,
		    nerr == 1 ? "" : "s");
	(void)path;
	return 0;
}

const struct cmd_entry cmd_map_list_entry = {
	"map list", "",
	"List the tables with their text files and entry counts",
	"Lists every table of the profile (access, mailertable, "
	"virtusertable, genericstable, domaintable, aliases and the class "
	"files local-host-names, relay-domains, trusted-users) with its kind, "
	"the number of entries in its text source, the path of that source "
	"and the state of its map (DB): \"built\" from the text as it is, "
	"\"stale\" when the text is newer than the map or gives other "
	"records (\"smadm map build\" rebuilds it), \"no db\" when there is "
	"no map yet, and \"-\" for class files, which have none.",
	CMD_JSON | CMD_OPTS_FIRST, cmd_map_list_exec, NULL
};

const struct cmd_entry cmd_map_show_entry = {
	"map show", "NAME",
	"Show the entries of a table with their line numbers",
	"Prints every entry of the table's text source as LINE KEY VALUE, "
	"reading the file the way makemap (maps), sendmail -bi (aliases, "
	"with continuation lines joined) or the cf (class files) reads it. "
	"NAME is a table name as in \"map list\" or its file name "
	"(local-host-names).",
	CMD_JSON | CMD_OPTS_FIRST, cmd_map_show_exec, NULL
};

const struct cmd_entry cmd_map_set_entry = {
	"map set", "NAME KEY [VALUE...]",
	"Add an entry to a table or change its value",
	"Replaces the value of KEY, keeping every other byte of the file "
	"(comments, blank lines, spacing, line ends), or appends a new entry "
	"at the end.  Several VALUE words are joined with spaces.  The "
	"edited text is checked first with the checks of \"map check\": an "
	"error it did not have before refuses the change with its FILE:LINE "
	"message, the key and the reason, and nothing is written (errors "
	"already elsewhere in the file do not block it, warnings never do).  "
	"The entry must also read back with exactly KEY and VALUE, so that "
	"\"map del\" finds it: names that sendmail -bi would refuse or store "
	"as something else (an unbalanced quote, \"(\", \",\", \"%\", "
	"\"!\", a \"\\\" before the colon) and values ending in \"\\\" are "
	"refused.  A file with CRLF line ends keeps them: the new line ends "
	"in CRLF too, with a warning at its FILE:LINE.  "
	"The old file is kept in a backup set (\"smadm backups\").  "
	"Class files take no VALUE.  The map must then be rebuilt with \"smadm map "
	"build NAME\".",
	CMD_WRITES | CMD_OPTS_FIRST | CMD_OWNLOCK, cmd_map_set_exec, NULL
};

const struct cmd_entry cmd_map_del_entry = {
	"map del", "NAME KEY",
	"Delete an entry from a table",
	"Removes every entry with KEY (all lines of a multi-line alias) and "
	"nothing else; the old file is kept in a backup set.  Keys compare "
	"without regard to case, as makemap folds them.  The map must then "
	"be rebuilt with \"smadm map build NAME\".",
	CMD_WRITES | CMD_OPTS_FIRST | CMD_OWNLOCK, cmd_map_del_exec, NULL
};

const struct cmd_entry cmd_map_rename_entry = {
	"map rename", "NAME OLDKEY NEWKEY",
	"Change the key of an entry, keeping its value",
	"Rewrites only the key of the entry OLDKEY (an alias keeps \"name:\" "
	"and its targets), keeping every other byte of the file; the old file "
	"is kept in a backup set.  NEWKEY is checked like \"map set\" checks a "
	"new entry: an error refuses the change with its FILE:LINE message, "
	"and a NEWKEY that is already in the table is refused.  The map must "
	"then be rebuilt with \"smadm map build NAME\".",
	CMD_WRITES | CMD_OPTS_FIRST | CMD_OWNLOCK, cmd_map_rename_exec, NULL
};

const struct cmd_entry cmd_map_comment_entry = {
	"map comment", "NAME KEY",
	"Comment an entry out, keeping its text in the file",
	"Puts \"#\" before every line of the entry KEY (all lines of a "
	"multi-line alias), so makemap and sendmail -bi skip it while the "
	"text stays for later; removing the \"#\" by hand brings it back.  "
	"The old file is kept in a backup set.  A class file word that shares "
	"its line with others is refused (use \"map del\").  The map must "
	"then be rebuilt with \"smadm map build NAME\".",
	CMD_WRITES | CMD_OPTS_FIRST | CMD_OWNLOCK, cmd_map_comment_exec, NULL
};

const struct cmd_entry cmd_map_check_entry = {
	"map check", "[NAME]",
	"Check the text of one table or of all",
	"Reports FILE:LINE: errors for lines makemap or sendmail would "
	"reject or misread (unknown access tags and actions, a quoted "
	"\"RELAY\", bad domains and addresses, aliases without targets...) "
	"and warnings, each with its reason, for what they take without "
	"harm or as it is written: duplicate keys (naming the line whose "
	"value sendmail uses: the first, as makemap keeps it), keys that "
	"shadow others, open relays, virtusertable keys without a domain "
	"(never looked up), a quoted \"ERROR:...\" access value (sendmail "
	"rejects with 553 5.3.0 and the text), CRLF (Windows) line ends "
	"(makemap keeps each CR at the end of the value; sendmail's rules "
	"read it as a blank).  Exits 1 when there are errors; warnings alone "
	"exit 0 and never stop \"map build\" or \"apply\".",
	CMD_JSON | CMD_OPTS_FIRST, cmd_map_check_exec, NULL
};
