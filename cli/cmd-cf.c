/*
 * cmd-cf.c -- "smadm cf build|check|diff|install": the generated
 * sendmail.cf, without touching the mc.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd-mc.h"
#include "../backend/diff.h"

void
cmd_print_steps(FILE *f, const struct apply *a)
{
	struct buf	b = BUF_INIT;

	apply_format_steps(a, &b);
	fputs(b.data, f);
	buf_release(&b);
}

static int
cmd_cf_build_exec(struct cmd_ctx *ctx, int argc, char **argv unused)
{
	struct apply	*a;
	char		*cause = NULL;
	size_t		 i;
	int		 rc;

	if (argc != 1)
		return cmd_usage(ctx, &cmd_cf_build_entry);
	a = apply_create(ctx->host, NULL);
	rc = apply_prepare(a, APPLY_KEEP_NEW, &cause);
	cmd_print_steps(ctx->out, a);
	if (rc != 0) {
		apply_free(a);
		return cmd_fail_cause(ctx, cause);
	}
	for (i = 0; i < a->nunits; i++)
		fprintf(ctx->out, "generated %s (%s the live %s)\n",
		    a->units[i].new_cf, a->units[i].changed ? "differs from" :
		    "same as", a->units[i].cf);
	apply_free(a);
	return 0;
}

const struct cmd_entry cmd_cf_build_entry = {
	"cf build", "",
	"Generate the cf from the mc into a new file and validate it",
	"Runs m4 on the mc into CF.smadm-new beside the live cf and has "
	"sendmail read it (-bt -d0.1); prints each step and where the new "
	"file is.  The live cf is not touched.",
	0, cmd_cf_build_exec, NULL
};

static int
cmd_cf_check_exec(struct cmd_ctx *ctx, int argc, char **argv unused)
{
	struct buf	 d = BUF_INIT;
	char		*cause = NULL;
	const char	*cf = ctx->host->prof->cf;

	if (argc != 1)
		return cmd_usage(ctx, &cmd_cf_check_entry);
	if (cf == NULL)
		return cmd_error(ctx, "the profile has no cf");
	if (apply_validate(ctx->host, cf, &d, &cause) != 0) {
		buf_release(&d);
		return cmd_fail_cause(ctx, cause);
	}
	fprintf(ctx->out, "%s\n", d.data);
	buf_release(&d);
	return 0;
}

const struct cmd_entry cmd_cf_check_entry = {
	"cf check", "",
	"Have sendmail read the live cf and report its complaints",
	"Runs sendmail -C CF -bt -d0.1 on the live cf (in the sandbox "
	"namespace for sandboxes); a complaint naming a line of the cf, or a "
	"non-zero exit, is an error.",
	0, cmd_cf_check_exec, NULL
};

/*
 * Print the drift of a prepared apply: what sendmail reads (or, with all,
 * every line), and a last line when only comments differ.  Returns 1 when
 * there is drift to show, 0 when none.
 */
int
cmd_print_drift(struct cmd_ctx *ctx, const struct apply *a, int all)
{
	if (all) {
		fputs(a->diff.data, ctx->out);
		return a->changed != 0;
	}
	fputs(a->drift.data, ctx->out);
	if (a->acted == 0 && a->changed != 0)
		fprintf(ctx->out, "%s differ (%zu lines): sendmail reads the "
		    "same; --all shows them\n", diff_cf_ignored_what(a->moved,
		    a->inl), a->changed);
	return a->acted != 0;
}

static int
cmd_cf_diff_exec(struct cmd_ctx *ctx, int argc, char **argv unused)
{
	struct apply	*a;
	char		*cause = NULL, *w;
	size_t		 i;
	int		 rc;

	if (argc != 1)
		return cmd_usage(ctx, &cmd_cf_diff_entry);
	a = apply_create(ctx->host, NULL);
	if (apply_prepare(a, APPLY_NO_VALIDATE, &cause) != 0) {
		apply_free(a);
		return cmd_fail_cause(ctx, cause);
	}
	/* m4's warnings go to stderr: the diff stays a diff. */
	for (i = 0; i < a->nsteps; i++) {
		if (a->steps[i].status != APPLY_WARN)
			continue;
		w = xasprintf("%s: %s", a->steps[i].name, a->steps[i].detail);
		cmd_warning(ctx, w);
		free(w);
	}
	rc = cmd_print_drift(ctx, a, cmd_args_has(ctx, 'a'));
	if (!rc)
		fprintf(ctx->out, "no drift: sendmail reads the live cf as it "
		    "would read what the mc generates\n");
	apply_free(a);
	return rc;
}

static const struct cmd_opt cmd_cf_diff_opts[] = {
	{ 'a', "all", NULL, "comment lines and blank lines too: a plain diff "
	    "of the two files", 0 },
	{ 0, NULL, NULL, NULL, 0 }
};

const struct cmd_entry cmd_cf_diff_entry = {
	"cf diff", "",
	"Show drift: the live cf against what the mc generates",
	"Generates the cf from the mc in memory and compares it with the live "
	"cf as sendmail reads them: options, rules, classes, macros, mailers, "
	"maps and headers count, in their order; comment lines, blank lines, "
	"comments at the end of a line and the comment field of an R line "
	"(after the tab that ends its right-hand side) do not (a Debian cf "
	"carries its mc as comments).  The diff shows the entries as "
	"sendmail reads them, with the line where each hunk starts in either "
	"file.  When only what sendmail ignores differs, a last line says "
	"what: only comments, comments inside lines it reads, or lines that "
	"moved among comments (the entries stay in the same order).  Exits 1 "
	"when they differ: "
	"either the mc has changes not applied yet, or the cf was edited by "
	"hand.  --all compares every line (ignoring only the \"##### built "
	"by\" stamp lines) and exits 1 on any difference.  m4's warnings go "
	"to standard error.",
	0, cmd_cf_diff_exec, cmd_cf_diff_opts
};

static int
cmd_cf_install_exec(struct cmd_ctx *ctx, int argc, char **argv unused)
{
	struct apply	*a;
	char		*cause = NULL, *question;
	int		 rc;

	if (argc != 1)
		return cmd_usage(ctx, &cmd_cf_install_entry);
	a = apply_create(ctx->host, NULL);
	if (apply_prepare(a, 0, &cause) != 0)
		goto fail;
	fputs(a->diff.data, ctx->out);
	question = xasprintf("Install the new %s?", ctx->host->prof->cf);
	rc = cmd_apply_install(ctx, a, 0, question);
	free(question);
	return rc;
fail:
	cmd_print_steps(ctx->out, a);
	apply_free(a);
	return cmd_fail_cause(ctx, cause);
}

const struct cmd_entry cmd_cf_install_entry = {
	"cf install", "",
	"Generate, validate and install the cf, without reloading",
	"The first steps of \"smadm apply\" (generate, validate, diff, backup "
	"set, atomic install) without rebuilding maps or signalling the "
	"daemon, which keeps the old cf until it is restarted or reloaded.",
	CMD_WRITES | CMD_CONFIRM, cmd_cf_install_exec, NULL
};
