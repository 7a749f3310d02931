/*
 * cmd-apply.c -- "smadm apply", "smadm backups", "smadm rollback".
 */
#include <stdlib.h>
#include <string.h>

#include "../backend/backup.h"
#include "cmd-mc.h"
#include "cmd-op.h"

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
cmd_apply_exec(struct cmd_ctx *ctx, int argc, char **argv unused)
{
	struct apply_req	 req;
	struct apply_result	 res;
	struct op_ctl		 ctl;
	char			*cause = NULL;
	int			 rc;

	memset(&req, 0, sizeof req);
	req.lock_wait = -1;
	req.dry = cmd_args_has(ctx, 'n');
	req.update_profile = cmd_args_has(ctx, 'u');
	if (argc != 1)
		return cmd_usage(ctx, &cmd_apply_entry);
	cmd_op_ctl(ctx, &ctl);
	rc = apply_run(ctx->host, &req, &ctl, &res, &cause);
	/*
	 * The diff was the plan; a dry run and no change did not show it.
	 * A dry run shows drift as "cf diff" does.
	 */
	if (rc == 0 && req.dry)
		cmd_print_drift(ctx, res.a, cmd_args_has(ctx, 'a'));
	else if (rc == 0 && res.a->changed == 0)
		fputs(res.a->diff.data, ctx->out);
	if (res.a != NULL)
		cmd_print_steps(ctx->out, res.a);
	if (rc == 0 && req.dry)
		fprintf(ctx->out, "dry run: %s\n", res.a->changed ?
		    "nothing installed" : "nothing to install");
	apply_result_release(&res);
	if (rc < 0)
		return cmd_fail_cause(ctx, cause);
	return rc;
}

static const struct cmd_opt cmd_apply_opts[] = {
	{ 'n', "dry-run", NULL, "show the drift and the steps, install nothing",
	    0 },
	{ 'a', "all", NULL, "with --dry-run: every line that differs, "
	    "comments too", 0 },
	{ 'u', "update-profile", NULL, "accept a cf whose QueueDirectory, "
	    "PidFile or daemon port differ from the profile, and write them "
	    "into smadm.conf once installed", 0 },
	{ 0, NULL, NULL, NULL, 0 }
};

const struct cmd_entry cmd_apply_entry = {
	"apply", "",
	"Regenerate the cf from the mc, validate, install and reload",
	"Steps, each reported: generate (m4, failing on any m4 or *** ERROR "
	"message), validate (sendmail -bt reads the new cf), diff against the "
	"live cf (shown before asking), audit of the new cf (a WARNING names "
	"medium and high findings the live cf lacks, such as an open relay), "
	"backup set, atomic install, rebuild "
	"maps, reload the daemon (only when the cf changed).  If a step after "
	"the install fails, the previous files are put back and the daemon "
	"reloaded again.  --dry-run stops before installing and shows the "
	"drift as \"smadm cf diff\" does (what sendmail reads; --all every "
	"line); the diff step says when only comments differ.  A new cf whose "
	"QueueDirectory, PidFile or daemon port no longer match the profile "
	"(queue_dirs, pid_file, listen) is refused before anything is "
	"installed, naming the option and both values; --update-profile "
	"accepts it and, once it is installed, sets those keys in the "
	"profile's smadm.conf (atomic write, the old file kept as a backup "
	"copy; a detected profile has no smadm.conf and is refused).  See "
	"\"smadm backups\" and \"smadm rollback\".",
	CMD_WRITES | CMD_CONFIRM | CMD_OWNLOCK, cmd_apply_exec,
	cmd_apply_opts
};

/* A size for people: "812 B", "37.2 MB". */
static void
backups_size(char *out, size_t len, off_t bytes)
{
	const char	*unit[] = { "B", "kB", "MB", "GB", "TB" };
	double		 v = (double)bytes;
	size_t		 u = 0;

	while (v >= 1000 && u + 1 < nitems(unit)) {
		v /= 1000;
		u++;
	}
	if (u == 0)
		snprintf(out, len, "%lld B", (long long)bytes);
	else
		snprintf(out, len, "%.1f %s", v, unit[u]);
}

static int
cmd_backups_exec(struct cmd_ctx *ctx, int argc, char **argv unused)
{
	struct backup_set	*v;
	size_t			 n, i, j;
	off_t			 total = 0;
	char			*cause = NULL, size[32];
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
			fprintf(f, ",\"bytes\":%lld",
			    (long long)backup_set_size(&v[i]));
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
		total += backup_set_size(&v[i]);
		backups_size(size, sizeof size, backup_set_size(&v[i]));
		fprintf(f, "%-18s %-26s %9s  %s\n", v[i].id,
		    v[i].time ? v[i].time : "", size,
		    v[i].reason ? v[i].reason : "");
		for (j = 0; j < v[i].nfiles; j++)
			fprintf(f, "    %-10s %s%s\n", v[i].files[j].role,
			    v[i].files[j].path, v[i].files[j].absent ?
			    " (did not exist)" : "");
	}
	if (n != 0 && !ctx->json) {
		backups_size(size, sizeof size, total);
		fprintf(f, "%zu set%s, %s; kept: the newest %d, none older "
		    "than %d days (backup_keep, backup_days)\n", n,
		    n == 1 ? "" : "s", size, ctx->host->prof->backup_keep,
		    ctx->host->prof->backup_days);
	}
	backup_sets_free(v, n);
	return 0;
}

static int
cmd_backups_prune_exec(struct cmd_ctx *ctx, int argc, char **argv unused)
{
	struct backup_pruned	 bp;
	char			*cause = NULL, size[32];
	size_t			 i;
	int			 dry;

	dry = cmd_args_has(ctx, 'n');
	if (argc != 1)
		return cmd_usage(ctx, &cmd_backups_prune_entry);
	backup_pruned_init(&bp);
	if (backup_prune(ctx->host, dry, &bp, &cause) != 0) {
		backup_pruned_release(&bp);
		return cmd_fail_cause(ctx, cause);
	}
	for (i = 0; i < bp.leftovers.n; i++)
		fprintf(ctx->out, "%s %s (left by an interrupted run)\n",
		    dry ? "would remove" : "removed", bp.leftovers.v[i]);
	for (i = 0; i < bp.ids.n; i++)
		fprintf(ctx->out, "%s backup %s\n", dry ? "would remove" :
		    "removed", bp.ids.v[i]);
	backups_size(size, sizeof size, bp.bytes);
	if (bp.ids.n == 0)
		fprintf(ctx->out, "nothing to prune (kept: the newest %d, none "
		    "older than %d days)\n", ctx->host->prof->backup_keep,
		    ctx->host->prof->backup_days);
	else
		fprintf(ctx->out, "%s%zu set%s, %s\n", dry ? "dry run: " : "",
		    bp.ids.n, bp.ids.n == 1 ? "" : "s", size);
	backup_pruned_release(&bp);
	return 0;
}

static const struct cmd_opt cmd_prune_opts[] = {
	{ 'n', "dry-run", NULL, "say what would be removed, remove nothing",
	    0 },
	{ 0, NULL, NULL, NULL, 0 }
};

const struct cmd_entry cmd_backups_prune_entry = {
	"backups prune", "",
	"Remove the backup sets the retention policy no longer keeps",
	"Keeps the newest backup_keep sets (profile key, default 20) and "
	"removes older ones, and any set older than backup_days days (default "
	"14; 0 for no age limit).  The newest set is never removed.  A set is "
	"first renamed ID.del, so a crash leaves every listed set whole; "
	"the next prune finishes it.  The same pruning runs after every new "
	"set (each map edit, mc edit, apply, wizard run and rollback).  "
	"--dry-run lists what would go.",
	CMD_WRITES, cmd_backups_prune_exec, cmd_prune_opts
};

const struct cmd_entry cmd_backups_entry = {
	"backups", "",
	"List the backup sets that rollback can restore, newest first",
	"Every table edit (map set, del, rename, comment), mc edit, apply, "
	"wizard run and rollback first keeps the files it replaces as one "
	"set, with an ID (its local time), the reason, the size and the "
	"files.  Sets live under DIR/.smadm/backups for a profile directory, "
	"/var/lib/smadm/backups for the system; an edit that would save what "
	"the newest set already holds makes no new set.  Old sets are pruned "
	"after each new one (see \"smadm backups prune\").",
	CMD_JSON, cmd_backups_exec, NULL
};

static int
cmd_rollback_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct rollback_req	 req;
	struct rollback_result	 res;
	struct op_ctl		 ctl;
	char			*cause = NULL;
	int			 rc;

	if (argc > 2)
		return cmd_usage(ctx, &cmd_rollback_entry);
	memset(&req, 0, sizeof req);
	req.id = argc == 2 ? argv[1] : NULL;
	req.lock_wait = -1;
	cmd_op_ctl(ctx, &ctl);
	rc = rollback_run(ctx->host, &req, &ctl, &res, &cause);
	rollback_result_release(&res);
	if (rc < 0)
		return cmd_fail_cause(ctx, cause);
	return rc;
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
	CMD_WRITES | CMD_CONFIRM | CMD_OWNLOCK, cmd_rollback_exec, NULL
};
