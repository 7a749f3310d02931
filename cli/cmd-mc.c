/*
 * cmd-mc.c -- "smadm mc show|get|set|unset|feature": read and edit
 * sendmail.mc.  Edits write the mc only (backup set first, atomic write);
 * the cf follows with "smadm apply".
 */
#include <stdlib.h>
#include <string.h>

#include "cmd-mc.h"
#include "../backend/cf-m4.h"
#include "../backend/mc-value.h"

static const struct cmd_opt mc_opts[] = {
	{ 's', "submit", NULL, "submit.mc instead of sendmail.mc", 0 },
	{ 0, NULL, NULL, NULL, 0 }
};

static const struct cmd_opt mc_show_opts[] = {
	{ 's', "submit", NULL, "submit.mc instead of sendmail.mc", 0 },
	{ 'a', "all", NULL, "comments and blank lines too", 0 },
	{ 0, NULL, NULL, NULL, 0 }
};

/* The parsed --submit (and --all); returns the index of the first word. */
static int
mc_options(struct cmd_ctx *ctx, const struct cmd_entry *ce unused,
    int argc unused, char **argv unused, int *submit, int *all)
{
	*submit = cmd_args_has(ctx, 's') > 0;
	if (all != NULL)
		*all = cmd_args_has(ctx, 'a') > 0;
	return 1;
}

struct mc *
cmd_load_mc(struct cmd_ctx *ctx, int submit, const char **pathp)
{
	struct profile	*p = ctx->host->prof;
	struct buf	 text = BUF_INIT;
	struct mc	*mc;
	const char	*path = submit ? p->submit_mc : p->mc;
	char		*cause = NULL;

	if (path == NULL) {
		cmd_error(ctx, "the profile has no %s", submit ? "submit_mc" :
		    "mc");
		return NULL;
	}
	if (transport_read_file(ctx->host->t, path, &text, 16 << 20,
	    &cause) != 0) {
		cmd_fail_cause(ctx, cause);
		return NULL;
	}
	mc = mc_parse(path, text.data, text.len);
	buf_release(&text);
	*pathp = path;
	return mc;
}

/* The item's first line, without its newline, for display. */
static char *
item_line(const struct mc *mc, const struct mc_item *it)
{
	const char	*s = mc->text.data + it->off;
	size_t		 n = 0;

	while (n < it->len && s[n] != '\n' && s[n] != '\r')
		n++;
	return xstrndup(s, n);
}

/*
 * Print a value on one line, so that an item spanning lines (a multi-line
 * ifdef, a define continued with dnl) keeps the columns: each run of
 * blanks that holds a newline becomes one space, other control bytes "?".
 */
static void
show_flat(FILE *f, const char *v)
{
	const char	*p;
	int		 nl;

	while (*v != '\0') {
		if (*v == '\n' || *v == '\r' || *v == ' ' || *v == '\t') {
			nl = 0;
			for (p = v; *p == '\n' || *p == '\r' || *p == ' ' ||
			    *p == '\t'; p++)
				if (*p == '\n' || *p == '\r')
					nl = 1;
			if (nl) {
				fputc(' ', f);
				v = p;
				continue;
			}
		}
		fputc((unsigned char)*v < 0x20 || *v == 0x7f ? '?' : *v, f);
		v++;
	}
}

/*
 * The define that wins and the MAILER() that reads it, per name, looked up
 * once: an mc that defines one name ten thousand times is shown in linear
 * time, not in time squared.
 */
struct winners {
	struct strv		  names;
	const struct mc_item	**win;
	const struct mc_item	**reader;
	size_t			  last;
};

static void
winners_release(struct winners *w)
{
	strv_release(&w->names);
	free(w->win);
	free(w->reader);
}

static size_t
winners_find(struct winners *w, const struct mc *mc, const char *name)
{
	size_t	i;

	if (w->names.n > 0 && strcmp(w->names.v[w->last], name) == 0)
		return w->last;
	for (i = 0; i < w->names.n; i++)
		if (strcmp(w->names.v[i], name) == 0)
			return w->last = i;
	strv_push(&w->names, name);
	w->win = xreallocarray(w->win, w->names.n, sizeof *w->win);
	w->reader = xreallocarray(w->reader, w->names.n, sizeof *w->reader);
	w->win[i] = mc_find_define(mc, name);
	w->reader[i] = mc_define_reader(mc, name);
	return w->last = i;
}

static const struct mc_item *
winner_of(struct winners *w, const struct mc *mc, const char *name)
{
	size_t	i = winners_find(w, mc, name);

	return w->win[i];
}

static const struct mc_item *
reader_of(struct winners *w, const struct mc *mc, const char *name)
{
	size_t	i = winners_find(w, mc, name);

	return w->reader[i];
}

/* The define that overrides it ("line N"), when it is not the one m4 keeps. */
static const struct mc_item *
overridden_by(struct winners *w, const struct mc *mc,
    const struct mc_item *it)
{
	const struct mc_item	*win;

	if (it->kind != MC_DEFINE || it->nargs == 0)
		return NULL;
	win = winner_of(w, mc, it->args[0].value);
	return win == it ? NULL : win;
}

static void
show_json(struct cmd_ctx *ctx, const struct mc *mc, int all)
{
	const struct mc_item	*it, *win;
	struct winners		 w = { STRV_INIT, NULL, NULL, 0 };
	FILE			*f = ctx->out;
	size_t			 i, j;
	int			 first = 1;

	fputs("{\"file\":", f);
	json_string(f, mc->path);
	fputs(",\"items\":[", f);
	for (i = 0; i < mc->nitems; i++) {
		it = &mc->items[i];
		if (!all && (it->kind == MC_BLANK || it->kind == MC_COMMENT))
			continue;
		fprintf(f, "%s{\"line\":%zu,\"lines\":%zu,\"kind\":",
		    first ? "" : ",", it->line, it->nlines);
		first = 0;
		json_string(f, mc_kind_name(it->kind));
		if (it->name != NULL) {
			fputs(",\"name\":", f);
			json_string(f, it->name);
		}
		fputs(",\"args\":[", f);
		for (j = 0; j < it->nargs; j++) {
			if (j > 0)
				fputc(',', f);
			json_string(f, it->args[j].value);
		}
		fputc(']', f);
		if (it->kind == MC_DEFINE && it->nargs > 0 &&
		    (win = reader_of(&w, mc, it->args[0].value)) != NULL &&
		    win->line < it->line)
			fprintf(f, ",\"after_reader\":%zu", win->line);
		else if ((win = overridden_by(&w, mc, it)) != NULL)
			fprintf(f, ",\"overridden_by\":%zu", win->line);
		else if (it->kind == MC_DEFINE && it->nargs > 0 &&
		    winner_of(&w, mc, it->args[0].value) == NULL)
			fputs(",\"overridden_by\":0", f);
		if (it->trailer != NULL) {
			fputs(",\"trailer\":", f);
			json_string(f, it->trailer);
		}
		if (it->kind == MC_UNKNOWN || it->kind == MC_COMMENT ||
		    it->kind == MC_CFTEXT || it->kind == MC_DISCARDED) {
			char *l = item_line(mc, it);

			fputs(",\"text\":", f);
			json_string(f, l);
			free(l);
		}
		fputc('}', f);
	}
	fputs("],\"warnings\":[", f);
	for (i = 0; i < mc->warnings.n; i++) {
		if (i > 0)
			fputc(',', f);
		json_string(f, mc->warnings.v[i]);
	}
	fputs("]}\n", f);
	winners_release(&w);
}

static int
cmd_mc_show_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct mc_item	*it, *win;
	struct winners		 w = { STRV_INIT, NULL, NULL, 0 };
	struct mc		*mc;
	const char		*path;
	char			*l;
	size_t			 i, j;
	int			 submit = 0, all = 0, first;

	if ((first = mc_options(ctx, &cmd_mc_show_entry, argc, argv, &submit,
	    &all)) <= 0)
		return -first;
	if (first != argc)
		return cmd_usage(ctx, &cmd_mc_show_entry);
	if ((mc = cmd_load_mc(ctx, submit, &path)) == NULL)
		return 1;
	if (ctx->json) {
		show_json(ctx, mc, all);
		mc_free(mc);
		return 0;
	}
	fprintf(ctx->out, "%s\n", path);
	for (i = 0; i < mc->nitems; i++) {
		it = &mc->items[i];
		if (!all && (it->kind == MC_BLANK || it->kind == MC_COMMENT))
			continue;
		fprintf(ctx->out, "%5zu  %-18s ", it->line,
		    mc_kind_name(it->kind));
		switch (it->kind) {
		case MC_DEFINE:
			show_flat(ctx->out, it->args[0].value);
			fputs(" = ", ctx->out);
			show_flat(ctx->out, it->nargs > 1 ?
			    it->args[1].value : "");
			if ((win = reader_of(&w, mc,
			    it->args[0].value)) != NULL &&
			    win->line < it->line)
				fprintf(ctx->out, "  (no effect: MAILER(%s) "
				    "at line %zu read it)", win->args[0].value,
				    win->line);
			else if ((win = overridden_by(&w, mc, it)) != NULL)
				fprintf(ctx->out, "  (overridden by line "
				    "%zu)", win->line);
			else if (winner_of(&w, mc, it->args[0].value) ==
			    NULL)
				fputs("  (cancelled by undefine)", ctx->out);
			break;
		case MC_SECTION:
			fputs(it->name, ctx->out);
			if (it->nlines > 1)
				fprintf(ctx->out, " (%zu line%s of cf text)",
				    it->nlines - 1, it->nlines == 2 ? "" : "s");
			break;
		case MC_CFTEXT:
			if (strcmp(it->name, "divert(0)") == 0) {
				l = item_line(mc, it);
				show_flat(ctx->out, l);
				free(l);
				fprintf(ctx->out, "  (%s of cf text: m4 copies "
				    "%s to the top of the cf)", it->nlines ==
				    1 ? "a line" : "lines", it->nlines == 1 ?
				    "it" : "them");
			} else
				fprintf(ctx->out, "%zu more line%s of cf text "
				    "in %s", it->nlines, it->nlines == 1 ? "" :
				    "s", it->name);
			break;
		case MC_DISCARDED:
			l = item_line(mc, it);
			show_flat(ctx->out, l);
			free(l);
			fprintf(ctx->out, "  (%s m4 discards: divert(-1))",
			    it->nlines == 1 ? "a line" : "lines");
			break;
		case MC_BLANK:
		case MC_COMMENT:
		case MC_UNKNOWN:
		case MC_WORD:
			l = item_line(mc, it);
			show_flat(ctx->out, l);
			free(l);
			if (it->nlines > 1)
				fprintf(ctx->out, "  (%zu lines)", it->nlines);
			break;
		default:
			if (it->kind == MC_CALL)
				fprintf(ctx->out, "%s ", it->name);
			for (j = 0; j < it->nargs; j++) {
				if (j > 0)
					fputs(", ", ctx->out);
				show_flat(ctx->out, it->args[j].value);
			}
			break;
		}
		fputc('\n', ctx->out);
	}
	for (i = 0; i < mc->warnings.n; i++)
		fprintf(ctx->out, "warning: %s\n", mc->warnings.v[i]);
	winners_release(&w);
	mc_free(mc);
	return 0;
}

const struct cmd_entry cmd_mc_show_entry = {
	"mc show", "",
	"List the items of sendmail.mc with their line numbers",
	"Shows every macro call of the mc (define, FEATURE, MAILER, "
	"DAEMON_OPTIONS, ...) with the line it starts on, one item a line (an "
	"item that spans lines is joined); --all adds comments and blank "
	"lines.  Calls after LOCAL_CONFIG, LOCAL_RULESETS or divert(N) are "
	"listed too, since m4 expands them there as anywhere; only the plain "
	"text of a section is cf text.  A define that a later one (or an "
	"undefine) overrides says so, and so does a mailer's define placed "
	"after the MAILER() that reads it.  Values are shown as the cf receives "
	"them, without m4's quotes.  Lines smadm cannot parse (an unbalanced "
	"quote) are listed as unknown and warned about with FILE:LINE.  "
	"--submit reads submit.mc instead.",
	CMD_JSON | CMD_OPTS_FIRST, cmd_mc_show_exec,
	mc_show_opts
};

/*
 * Resolve NAME (a define or a cf option name) to its define through the
 * catalog.  Refuses unknown names with suggestions.
 */
static char *
resolve_define(struct cmd_ctx *ctx, struct mc_catalog *cat, const char *name,
    const struct mc_catalog_entry **ep)
{
	const struct mc_catalog_entry	*e;
	struct strv			 sug = STRV_INIT;
	char				*list;

	static const struct mc_catalog_entry	 undocumented;

	if ((e = mc_catalog_find(cat, name)) != NULL) {
		*ep = e;
		return xstrdup(e->define);
	}
	/* Mailer defines the cf tree reads that cf.README leaves out. */
	if (mc_value_known_define(name)) {
		*ep = &undocumented;
		return xstrdup(name);
	}
	mc_catalog_suggest(cat, name, 0, &sug, 5);
	if (sug.n == 0)
		cmd_error(ctx, "%s: not a define or option the cf macros in "
		    "%s know", name, ctx->host->prof->cf_dir);
	else {
		list = strv_join(&sug, ", ");
		cmd_error(ctx, "%s: not a define or option the cf macros know; "
		    "did you mean %s?", name, list);
		free(list);
	}
	strv_release(&sug);
	return NULL;
}

static struct mc_catalog *
load_catalog(struct cmd_ctx *ctx)
{
	struct mc_catalog	*cat;
	char			*cause = NULL;

	if ((cat = mc_catalog_load(ctx->host, &cause)) == NULL)
		cmd_fail_cause(ctx, cause);
	return cat;
}

/* What mc get, set and unset work on: NAME resolved, the mc read. */
struct mc_named {
	struct mc_catalog		*cat;
	const struct mc_catalog_entry	*e;
	char				*def;
	struct mc			*mc;
	const char			*path;
	int				 word;	/* argv index of NAME */
};

/*
 * Parse the options, check for nwords words (NAME first), resolve NAME
 * and read the mc.  0, or the exit status with the error said.
 */
static int
mc_named_open(struct cmd_ctx *ctx, const struct cmd_entry *ce, int argc,
    char **argv, int nwords, struct mc_named *mn)
{
	int	 submit = 0, i;

	memset(mn, 0, sizeof *mn);
	i = mc_options(ctx, ce, argc, argv, &submit, NULL);
	if (argc - i != nwords)
		return cmd_usage(ctx, ce);
	mn->word = i;
	if ((mn->cat = load_catalog(ctx)) == NULL ||
	    (mn->def = resolve_define(ctx, mn->cat, argv[i], &mn->e)) ==
	    NULL ||
	    (mn->mc = cmd_load_mc(ctx, submit, &mn->path)) == NULL)
		return 1;
	return 0;
}

static void
mc_named_close(struct mc_named *mn)
{
	free(mn->def);
	mc_free(mn->mc);
	mc_catalog_free(mn->cat);
}

/* " (default: X)" when the catalog knows the default, else "" (heap). */
static char *
mc_named_default(const struct mc_named *mn)
{
	if (mn->e->defval == NULL)
		return xstrdup("");
	return xasprintf(" (default: %s)", mn->e->defval);
}

/* "NAME (Option) is not set in PATH (default: X)", exit 1. */
static int
mc_get_unset(struct cmd_ctx *ctx, const struct mc_named *mn)
{
	char	*dflt;

	dflt = mc_named_default(mn);
	cmd_error(ctx, "%s%s%s%s is not set in %s%s", mn->def,
	    mn->e->option ? " (" : "", mn->e->option ? mn->e->option : "",
	    mn->e->option ? ")" : "", mn->path, dflt);
	free(dflt);
	return 1;
}

/*
 * The mc lets m4 decide the value (a define inside ifdef()): ask m4, the
 * way the cf is built, and say so.  When m4 cannot read the mc to its
 * end, the plain defines answer, with the reason.
 */
static int
mc_get_by_m4(struct cmd_ctx *ctx, const struct mc_named *mn)
{
	const struct mc_item	*it, *by;
	struct profile		*prof = ctx->host->prof;
	char			*v = NULL, *cause = NULL, *note;

	by = mc_define_by_m4(mn->mc, mn->def);
	if (cf_m4_value(ctx->host->t, prof->m4, prof->cf_dir, mn->path,
	    mn->def, &v, &cause) != 0) {
		note = xasprintf("%s:%zu: %s(...) decides %s as m4 reads the "
		    "mc, and m4 could not say how (%s): showing the mc's own "
		    "defines", mn->path, by->line, by->name, mn->def, cause);
		cmd_warning(ctx, note);
		free(note);
		free(cause);
		if ((it = mc_find_define(mn->mc, mn->def)) == NULL)
			return mc_get_unset(ctx, mn);
		fprintf(ctx->out, "%s\n", it->nargs > 1 ?
		    it->args[1].value : "");
		return 0;
	}
	note = xasprintf("%s:%zu: %s(...) decides %s as m4 reads the mc: "
	    "this is m4's answer", mn->path, by->line, by->name, mn->def);
	cmd_warning(ctx, note);
	free(note);
	if (v == NULL)
		return mc_get_unset(ctx, mn);
	fprintf(ctx->out, "%s\n", v);
	free(v);
	return 0;
}

/*
 * No define of the mc sets it: the cf macros it calls may (OSTYPE(debian)
 * sets StatusFile and the greeting).  m4 says; when it cannot, the
 * default is named as before.
 */
static int
mc_get_from_macros(struct cmd_ctx *ctx, const struct mc_named *mn)
{
	struct profile	*prof = ctx->host->prof;
	char		*v = NULL, *cause = NULL, *note;

	if (cf_m4_value(ctx->host->t, prof->m4, prof->cf_dir, mn->path,
	    mn->def, &v, &cause) != 0) {
		free(cause);
		return mc_get_unset(ctx, mn);
	}
	if (v == NULL)
		return mc_get_unset(ctx, mn);
	note = xasprintf("%s: no define of the mc sets %s; the cf macros it "
	    "calls (OSTYPE, DOMAIN, FEATURE) give this value", mn->path,
	    mn->def);
	cmd_warning(ctx, note);
	free(note);
	fprintf(ctx->out, "%s\n", v);
	free(v);
	return 0;
}

static int
cmd_mc_get_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct mc_named		 mn;
	const struct mc_item	*it, *by;
	int			 rc;

	if ((rc = mc_named_open(ctx, &cmd_mc_get_entry, argc, argv, 1,
	    &mn)) != 0)
		goto out;
	by = mc_define_by_m4(mn.mc, mn.def);
	it = mc_find_define(mn.mc, mn.def);
	if (by != NULL && (it == NULL || it->off < by->off)) {
		rc = mc_get_by_m4(ctx, &mn);
		goto out;
	}
	if (it == NULL) {
		rc = mc_get_from_macros(ctx, &mn);
		goto out;
	}
	fprintf(ctx->out, "%s\n", it->nargs > 1 ? it->args[1].value : "");
out:
	mc_named_close(&mn);
	return rc;
}

const struct cmd_entry cmd_mc_get_entry = {
	"mc get", "NAME",
	"Print the value the mc gives a define or cf option",
	"NAME is a define (confPRIVACY_FLAGS) or the sendmail.cf option it "
	"sets (PrivacyOptions), as listed by the installed cf macros "
	"(proto.m4, cf.README).  When no define of the mc sets it, or an "
	"ifdef()/ifelse() of the mc does, m4 is asked, so the value is what "
	"the cf gets from the mc and the cf macros it calls (OSTYPE(debian) "
	"sets StatusFile); the source is said on stderr.  Exits 1 when "
	"nothing sets it, naming the default.",
	CMD_OPTS_FIRST, cmd_mc_get_exec,
	mc_opts
};

static int
report_edit(struct cmd_ctx *ctx, struct mc *mc, const char *path,
    const char *reason, const char *what)
{
	char	*cause = NULL, *id = NULL;

	if (apply_save_mc(ctx->host, mc, path, reason, &id, &cause) != 0)
		return cmd_fail_cause(ctx, cause);
	fprintf(ctx->out, "%s: %s (backup %s); pending until \"smadm "
	    "apply\"\n", path, what, id);
	free(id);
	return 0;
}

static int
cmd_mc_set_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct mc_named		 mn;
	const struct mc_item	*it;
	const char		*value;
	char			*cause = NULL, *what, *reason;
	int			 r, rc;

	if ((rc = mc_named_open(ctx, &cmd_mc_set_entry, argc, argv, 2,
	    &mn)) != 0)
		goto out;
	value = argv[mn.word + 1];
	if ((r = mc_define_set(mn.mc, mn.def, value, &cause)) < 0) {
		/* The cause names the define and the value: the reason
		 * comes first so an 80-column status line shows it. */
		rc = cmd_fail_cause(ctx, xasprintf("%s (in %s)", cause,
		    mn.path));
		free(cause);
		goto out;
	}
	if (r == 0) {
		fprintf(ctx->out, "%s: %s is already \"%s\"\n", mn.path, mn.def,
		    value);
		goto out;
	}
	it = mc_find_define(mn.mc, mn.def);
	what = xasprintf("line %zu: %s = %s", it != NULL ? it->line : 0,
	    mn.def, value);
	reason = xasprintf("mc set %s", mn.def);
	rc = report_edit(ctx, mn.mc, mn.path, reason, what);
	free(reason);
	free(what);
out:
	mc_named_close(&mn);
	return rc;
}

const struct cmd_entry cmd_mc_set_entry = {
	"mc set", "NAME VALUE",
	"Set a define in the mc (by define or cf option name)",
	"NAME is a define (confPRIVACY_FLAGS) or a sendmail.cf option name "
	"(PrivacyOptions); names the installed cf macros do not know are "
	"refused with suggestions.  An existing define() is changed in place, "
	"keeping its quoting; a new one goes after the last define before the "
	"MAILER lines.  VALUE is checked first: nothing that m4 would expand "
	"(builtins such as syscmd or define, cf macros, m4 quotes, $1) and "
	"what the option accepts (number, duration, mode, flags, user:group, "
	"path, host...); see MC VALUES in smadm(8).  Only the mc is written (a "
	"backup set first, then an atomic replace); \"smadm apply\" turns it "
	"into the cf.",
	CMD_WRITES | CMD_OPTS_FIRST, cmd_mc_set_exec,
	mc_opts
};

static int
cmd_mc_unset_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct mc_named		 mn;
	const struct mc_item	*by, *it;
	char			*cause = NULL, *reason, *what, *dflt, *name;
	size_t			 line;
	int			 rc;

	if ((rc = mc_named_open(ctx, &cmd_mc_unset_entry, argc, argv, 1,
	    &mn)) != 0)
		goto out;
	if ((by = mc_define_by_m4(mn.mc, mn.def)) != NULL &&
	    (it = mc_find_define(mn.mc, mn.def)) != NULL &&
	    it->off > by->off) {
		/* Defines after the ifdef (mc set adds one there): remove
		 * them, and the ifdef decides again. */
		line = by->line;
		name = xstrdup(by->name != NULL ? by->name : "define");
		if (mc_define_unset_from(mn.mc, mn.def, by->off + by->len,
		    &cause) < 0) {
			free(name);
			rc = cmd_fail_cause(ctx, cause);
			goto out;
		}
		reason = xasprintf("mc unset %s", mn.def);
		what = xasprintf("%s removed (%s(...) at line %zu decides it "
		    "again: smadm mc get %s)", mn.def, name, line, mn.def);
		rc = report_edit(ctx, mn.mc, mn.path, reason, what);
		free(what);
		free(reason);
		free(name);
		goto out;
	}
	if (by != NULL) {
		/* Removing the plain defines would not bring the default. */
		cmd_error(ctx, "%s:%zu: %s(...) defines %s as m4 reads the mc; "
		    "smadm does not edit inside it: change that line by hand "
		    "(e on the console's mc screen); nothing was written",
		    mn.path, by->line,
		    by->name != NULL ? by->name : "define", mn.def);
		rc = 1;
		goto out;
	}
	if (mc_define_unset(mn.mc, mn.def, &cause) < 0) {
		rc = cmd_fail_cause(ctx, cause);
		goto out;
	}
	reason = xasprintf("mc unset %s", mn.def);
	dflt = mc_named_default(&mn);
	what = xasprintf("%s removed%s", mn.def, dflt);
	rc = report_edit(ctx, mn.mc, mn.path, reason, what);
	free(what);
	free(dflt);
	free(reason);
out:
	mc_named_close(&mn);
	return rc;
}

const struct cmd_entry cmd_mc_unset_entry = {
	"mc unset", "NAME",
	"Remove a define from the mc, back to the default",
	"Removes every define() of NAME (a define or cf option name) from the "
	"mc, so the value from OSTYPE/DOMAIN or the built-in default applies. "
	"A NAME the mc does not define is an error; to cancel what OSTYPE or "
	"DOMAIN sets, add an undefine() by hand.",
	CMD_WRITES | CMD_OPTS_FIRST, cmd_mc_unset_exec,
	mc_opts
};

static int
cmd_mc_feature_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct mc_catalog	*cat;
	struct mc		*mc = NULL;
	struct strv		 args = STRV_INIT, sug = STRV_INIT;
	const struct mc_item	*it;
	const char		*path, *name;
	char			*cause = NULL, *reason, *what, *list;
	int			 submit = 0, i, on, r, rc = 1;

	if ((i = mc_options(ctx, &cmd_mc_feature_entry, argc, argv, &submit,
	    NULL)) <= 0)
		return -i;
	if (argc - i < 2)
		return cmd_usage(ctx, &cmd_mc_feature_entry);
	name = argv[i];
	if (strcmp(argv[i + 1], "on") == 0)
		on = 1;
	else if (strcmp(argv[i + 1], "off") == 0)
		on = 0;
	else
		return cmd_usage(ctx, &cmd_mc_feature_entry);
	if (!on && argc - i > 2)
		return cmd_usage(ctx, &cmd_mc_feature_entry);
	if ((cat = load_catalog(ctx)) == NULL)
		return 1;
	if (on && !mc_catalog_has_feature(cat, name)) {
		mc_catalog_suggest(cat, name, 1, &sug, 5);
		list = strv_join(&sug, ", ");
		cmd_error(ctx, "%s: no such feature in %s/feature%s%s%s", name,
		    ctx->host->prof->cf_dir, sug.n ? " (did you mean " : "",
		    list, sug.n ? "?)" : "");
		free(list);
		goto out;
	}
	for (i += 2; i < argc; i++)
		strv_push(&args, argv[i]);
	if ((mc = cmd_load_mc(ctx, submit, &path)) == NULL)
		goto out;
	if ((r = mc_feature_set(mc, name, on, &args, &cause)) < 0) {
		cmd_fail_cause(ctx, cause);
		goto out;
	}
	if (r == 0) {
		fprintf(ctx->out, "%s: FEATURE(`%s') is already on\n", path,
		    name);
		rc = 0;
		goto out;
	}
	it = mc_find_feature(mc, name);
	if (on)
		what = xasprintf("line %zu: FEATURE(`%s') on",
		    it != NULL ? it->line : 0, name);
	else
		what = xasprintf("FEATURE(`%s') removed", name);
	reason = xasprintf("mc feature %s %s", name, on ? "on" : "off");
	rc = report_edit(ctx, mc, path, reason, what);
	free(reason);
	free(what);
out:
	strv_release(&args);
	strv_release(&sug);
	mc_free(mc);
	mc_catalog_free(cat);
	return rc;
}

const struct cmd_entry cmd_mc_feature_entry = {
	"mc feature", "NAME on|off [ARGS...]",
	"Turn a FEATURE() of the mc on or off",
	"on adds FEATURE(`NAME', `ARG', ...)dnl after the last FEATURE before "
	"the first MAILER (m4 needs FEATUREs before MAILERs), or changes the "
	"arguments of the FEATURE already there; an empty ARG leaves that "
	"argument empty.  Only features in the cf macros' feature directory "
	"are accepted.  off removes every FEATURE(`NAME').  Writes the mc "
	"only; \"smadm apply\" follows.",
	CMD_WRITES | CMD_OPTS_FIRST, cmd_mc_feature_exec,
	mc_opts
};
