/*
 * cmd-apply.c -- "smadm apply", "smadm backups", "smadm rollback".
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "../backend/backup.h"
#include "../backend/daemon.h"
#include "../db/mapbuild.h"
#include "cmd-mc.h"

/* maps: build the maps whose text is newer than their database. */
static int
apply_hook_maps(struct host *h, void *arg unused, struct buf *detail,
    char **cause)
{
	struct strv	lines = STRV_INIT;
	size_t		built, i;
	int		rc;

	rc = mapbuild_changed(h, 0, &lines, &built, cause);
	for (i = 0; i < lines.n; i++)
		buf_printf(detail, "%s\n", lines.v[i]);
	strv_release(&lines);
	if (rc != 0)
		return -1;
	if (built == 0) {
		buf_addstr(detail, "all maps are up to date");
		return 1;
	}
	return 0;
}

/* reload: HUP the daemon if it runs; wait for the new pid. */
static int
apply_hook_reload(struct host *h, void *arg unused, struct buf *detail,
    char **cause)
{
	return daemon_reload_running(h, detail, cause);
}

struct apply_hooks cmd_apply_hooks = {
	apply_hook_maps, apply_hook_reload, NULL
};

int
cmd_apply_install(struct cmd_ctx *ctx, struct apply *a, int run_hooks,
    const char *question)
{
	char	*cause = NULL;
	int	 rc = 0;

	if (a->changed != 0 && !cmd_confirm(ctx, "%s", question))
		rc = 1;
	else if (apply_commit(a, run_hooks, &cause) != 0)
		rc = cmd_fail_cause(ctx, cause);
	cmd_print_steps(ctx->out, a);
	apply_free(a);
	return rc;
}

static int
cmd_apply_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	struct apply	*a;
	char		*cause = NULL;
	int		 ch, dry = 0;

	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "n", longopts, NULL)) != -1) {
		if (ch != 'n')
			return cmd_usage(ctx, &cmd_apply_entry);
		dry = 1;
	}
	if (optind != argc)
		return cmd_usage(ctx, &cmd_apply_entry);
	a = apply_create(ctx->host, &cmd_apply_hooks);
	if (apply_prepare(a, 0, &cause) != 0)
		goto fail;
	fputs(a->diff.data, ctx->out);
	if (dry) {
		cmd_print_steps(ctx->out, a);
		fprintf(ctx->out, "dry run: %s\n", a->changed ?
		    "nothing installed" : "nothing to install");
		apply_free(a);
		return 0;
	}
	return cmd_apply_install(ctx, a, 1, "Install the new cf and reload "
	    "sendmail?");
fail:
	cmd_print_steps(ctx->out, a);
	apply_free(a);
	return cmd_fail_cause(ctx, cause);
}

const struct cmd_entry cmd_apply_entry = {
	"apply", "[--dry-run]",
	"Regenerate the cf from the mc, validate, install and reload",
	"Steps, each reported: generate (m4, failing on any m4 or *** ERROR "
	"message), validate (sendmail -bt reads the new cf), diff against the "
	"live cf (shown before asking), audit of the new cf (a WARNING names "
	"medium and high findings the live cf lacks, such as an open relay), "
	"backup set, atomic install, rebuild "
	"maps, reload the daemon (only when the cf changed).  If a step after "
	"the install fails, the previous files are put back and the daemon "
	"reloaded again.  --dry-run stops before installing.  See \"smadm "
	"backups\" and \"smadm rollback\".",
	CMD_WRITES | CMD_CONFIRM, cmd_apply_exec
};

static int
cmd_backups_exec(struct cmd_ctx *ctx, int argc, char **argv unused)
{
	struct backup_set	*v;
	size_t			 n, i, j;
	char			*cause = NULL;
	FILE			*f = ctx->out;

	if (argc != 1)
		return cmd_usage(ctx, &cmd_backups_entry);
	if (backup_list(ctx->host, &v, &n, &cause) != 0)
		return cmd_fail_cause(ctx, cause);
	if (ctx->json) {
		fputc('[', f);
		for (i = 0; i < n; i++) {
			fprintf(f, "%s{\"id\":", i ? "," : "");
			json_string(f, v[i].id);
			fputs(",\"time\":", f);
			json_string(f, v[i].time ? v[i].time : "");
			fputs(",\"reason\":", f);
			json_string(f, v[i].reason ? v[i].reason : "");
			fputs(",\"files\":[", f);
			for (j = 0; j < v[i].nfiles; j++) {
				fprintf(f, "%s{\"role\":", j ? "," : "");
				json_string(f, v[i].files[j].role);
				fputs(",\"path\":", f);
				json_string(f, v[i].files[j].path);
				fprintf(f, ",\"absent\":%s}",
				    v[i].files[j].absent ? "true" : "false");
			}
			fputs("]}", f);
		}
		fputs("]\n", f);
	} else if (n == 0)
		fprintf(f, "no backups yet\n");
	for (i = 0; i < n && !ctx->json; i++) {
		fprintf(f, "%-18s %-26s %s\n", v[i].id,
		    v[i].time ? v[i].time : "", v[i].reason ? v[i].reason : "");
		for (j = 0; j < v[i].nfiles; j++)
			fprintf(f, "    %-10s %s%s\n", v[i].files[j].role,
			    v[i].files[j].path, v[i].files[j].absent ?
			    " (did not exist)" : "");
	}
	backup_sets_free(v, n);
	return 0;
}

const struct cmd_entry cmd_backups_entry = {
	"backups", "",
	"List the backup sets that rollback can restore, newest first",
	"Every mc edit, apply, wizard run and rollback first keeps the files "
	"it replaces as one set, with an ID (its local time), the reason and "
	"the files.  Sets live under DIR/.smadm/backups for a profile "
	"directory, /var/lib/smadm/backups for the system.",
	CMD_JSON, cmd_backups_exec
};

static int
cmd_rollback_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct backup_set	 set;
	struct buf		 report = BUF_INIT;
	char			*cause = NULL, *used = NULL, *undo = NULL;
	size_t			 i;
	int			 rc;

	if (argc > 2)
		return cmd_usage(ctx, &cmd_rollback_entry);
	if (backup_load(ctx->host, argc == 2 ? argv[1] : NULL, &set,
	    &cause) != 0)
		return cmd_fail_cause(ctx, cause);
	fprintf(ctx->out, "backup %s (%s, %s):\n", set.id,
	    set.time ? set.time : "?", set.reason ? set.reason : "?");
	for (i = 0; i < set.nfiles; i++)
		fprintf(ctx->out, "    %s %s\n", set.files[i].absent ?
		    "remove " : "restore", set.files[i].path);
	if (!cmd_confirm(ctx, "Restore these files from backup %s?",
	    set.id)) {
		backup_set_release(&set);
		return 1;
	}
	rc = apply_rollback(ctx->host, &cmd_apply_hooks, set.id, &used,
	    &undo, &report, &cause);
	backup_set_release(&set);
	if (used != NULL)
		fprintf(ctx->out, "restored backup %s; the files it replaced "
		    "are in backup %s\n", used, undo);
	fputs(report.data, ctx->out);
	buf_release(&report);
	free(used);
	free(undo);
	if (rc != 0)
		return cmd_fail_cause(ctx, cause);
	return 0;
}

const struct cmd_entry cmd_rollback_entry = {
	"rollback", "[ID]",
	"Restore the files of a backup set (default: the newest)",
	"Puts back, byte for byte and with their mode and owner, the files "
	"the set holds (an apply's set holds the previous cf and the mc that "
	"produced it).  The files being replaced are kept first as a new set, "
	"so a rollback can itself be rolled back.  Then the maps whose text "
	"is newer than their database are built and, when a cf was put back, "
	"a running daemon is reloaded (HUP; the new pid is verified).",
	CMD_WRITES | CMD_CONFIRM, cmd_rollback_exec
};
