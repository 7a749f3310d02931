/*
 * cmd.c -- the command table and dispatch (see cmd.h).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../backend/lock.h"
#include "cmd-mc.h"
#include "cmd.h"

const struct cmd_entry *const cmd_table[] = {
	&cmd_help_entry,
	&cmd_version_entry,
	&cmd_status_entry,
	&cmd_daemon_start_entry,
	&cmd_daemon_stop_entry,
	&cmd_daemon_status_entry,
	&cmd_daemon_reload_entry,
	&cmd_daemon_restart_entry,
	&cmd_loglevel_entry,
	&cmd_log_tail_entry,
	&cmd_log_trace_entry,
	&cmd_log_search_entry,
	&cmd_map_list_entry,
	&cmd_map_show_entry,
	&cmd_map_set_entry,
	&cmd_map_del_entry,
	&cmd_map_rename_entry,
	&cmd_map_comment_entry,
	&cmd_map_check_entry,
	&cmd_map_build_entry,
	&cmd_map_lookup_entry,
	&cmd_map_dump_entry,
	&cmd_mc_show_entry,
	&cmd_mc_get_entry,
	&cmd_mc_set_entry,
	&cmd_mc_unset_entry,
	&cmd_mc_feature_entry,
	&cmd_cf_build_entry,
	&cmd_cf_check_entry,
	&cmd_cf_diff_entry,
	&cmd_cf_install_entry,
	&cmd_apply_entry,
	&cmd_backups_entry,
	&cmd_backups_prune_entry,
	&cmd_rollback_entry,
	&cmd_wizard_entry,
	&cmd_test_address_entry,
	&cmd_audit_entry,
	&cmd_audit_show_entry,
	&cmd_audit_fix_entry,
	&cmd_sandbox_create_entry,
	&cmd_sandbox_destroy_entry,
	&cmd_sandbox_exec_entry,
	&cmd_sandbox_deliver_entry,
	&cmd_sandbox_logd_entry,
	&cmd_queue_list_entry,
	&cmd_queue_show_entry,
	&cmd_queue_summary_entry,
	&cmd_queue_hold_entry,
	&cmd_queue_release_entry,
	&cmd_queue_delete_entry,
	&cmd_queue_flush_entry,
	&cmd_queue_bounce_entry,
	&cmd_remote_entry,
	&cmd_fleet_status_entry,
	NULL
};

const struct cmd_entry *
cmd_lookup(const char *name)
{
	size_t	i;

	for (i = 0; cmd_table[i] != NULL; i++)
		if (strcmp(cmd_table[i]->name, name) == 0)
			return cmd_table[i];
	return NULL;
}

/* Does name consist of exactly the first n words of argv? */
static int
cmd_matches(const char *name, int argc, char **argv, int *used)
{
	const char	*p = name;
	size_t		 len;
	int		 i = 0;

	while (*p != '\0') {
		if (i >= argc)
			return 0;
		len = strcspn(p, " ");
		if (strlen(argv[i]) != len || strncmp(p, argv[i], len) != 0)
			return 0;
		i++;
		p += len;
		while (*p == ' ')
			p++;
	}
	*used = i;
	return 1;
}

const struct cmd_entry *
cmd_find(int argc, char **argv, int *used)
{
	const struct cmd_entry	*best = NULL;
	size_t			 i;
	int			 n, bestn = 0;

	for (i = 0; cmd_table[i] != NULL; i++) {
		if (cmd_matches(cmd_table[i]->name, argc, argv, &n) &&
		    n > bestn) {
			best = cmd_table[i];
			bestn = n;
		}
	}
	*used = bestn;
	return best;
}

/*
 * Commands that change the configuration run one at a time (lock.h), and
 * first finish what a dead smadm left half done (apply_recover).  Queue
 * actions are left out: sendmail's own per-message locks order them.
 */
static int
cmd_locked(struct cmd_ctx *ctx, const struct cmd_entry *ce, int *fd)
{
	struct buf	 report = BUF_INIT;
	char		*cause = NULL;

	*fd = -1;
	if (!(ce->flags & CMD_WRITES) || (ce->flags & CMD_NOHOST) ||
	    strncmp(ce->name, "queue ", 6) == 0)
		return 0;
	if (host_lock(ctx->host, ce->name, -1, fd, &cause) != 0)
		return cmd_fail_cause(ctx, cause);
	if (apply_recover(ctx->host, &cmd_apply_hooks, &report, &cause) < 0) {
		fprintf(ctx->out, "warning: %s\n", cause);
		free(cause);
	}
	fputs(report.data, ctx->out);
	buf_release(&report);
	return 0;
}

int
cmd_run(const struct cmd_entry *ce, struct cmd_ctx *ctx, int argc,
    char **argv)
{
	int	rc, fd;

	if (!(ce->flags & CMD_NOHOST) && ctx->host == NULL)
		return cmd_error(ctx, "%s: no host profile", ce->name);
	if ((ce->flags & CMD_JSON) == 0 && ctx->json)
		return cmd_error(ctx, "%s: --json is not supported", ce->name);
	if ((rc = cmd_locked(ctx, ce, &fd)) != 0)
		return rc;
	rc = ce->exec(ctx, argc, argv);
	host_unlock(ctx->host, fd);
	return rc;
}

int
cmd_error(struct cmd_ctx *ctx, const char *fmt, ...)
{
	va_list	ap;

	free(ctx->error);
	va_start(ap, fmt);
	ctx->error = xvasprintf(fmt, ap);
	va_end(ap);
	return 1;
}

int
cmd_fail_cause(struct cmd_ctx *ctx, char *cause)
{
	free(ctx->error);
	ctx->error = cause != NULL ? cause : xstrdup("unknown error");
	return 1;
}

int
cmd_usage(struct cmd_ctx *ctx, const struct cmd_entry *ce)
{
	cmd_error(ctx, "usage: smadm %s%s%s", ce->name, *ce->args ? " " : "",
	    ce->args);
	return 2;
}

int
cmd_confirm(struct cmd_ctx *ctx, const char *fmt, ...)
{
	va_list	 ap;
	char	*question, *cause = NULL;
	int	 rc;

	if (ctx->yes)
		return 1;
	va_start(ap, fmt);
	question = xvasprintf(fmt, ap);
	va_end(ap);
	if (ctx->confirm == NULL) {
		rc = -1;
		cause = xasprintf("%s: refusing without a terminal to ask; "
		    "add --yes to go ahead", question);
	} else
		rc = ctx->confirm(ctx, question, &cause);
	free(question);
	if (rc == 1)
		return 1;
	cmd_fail_cause(ctx, cause != NULL ? cause : xstrdup("cancelled"));
	return 0;
}

void
json_string(FILE *f, const char *s)
{
	struct buf	b = BUF_INIT;

	json_buf_string(&b, s);
	fwrite(b.data, 1, b.len, f);
	buf_release(&b);
}

/* s as a JSON string at the end of b: runs of plain bytes copied at once. */
void
json_buf_string(struct buf *b, const char *s)
{
	const unsigned char	*p = (const unsigned char *)s, *run;
	char			 u[8];

	buf_addch(b, '"');
	for (;;) {
		for (run = p; *p >= 0x20 && *p != 0x7f && *p != '"' &&
		    *p != '\\'; p++)
			;
		buf_add(b, run, (size_t)(p - run));
		switch (*p) {
		case '\0':
			buf_addch(b, '"');
			return;
		case '"':
			buf_addstr(b, "\\\"");
			break;
		case '\\':
			buf_addstr(b, "\\\\");
			break;
		case '\n':
			buf_addstr(b, "\\n");
			break;
		case '\t':
			buf_addstr(b, "\\t");
			break;
		case '\r':
			buf_addstr(b, "\\r");
			break;
		default:
			snprintf(u, sizeof u, "\\u%04x", *p);
			buf_addstr(b, u);
			break;
		}
		p++;
	}
}

void
cmd_help_list(FILE *f, int all)
{
	const struct cmd_entry	*ce;
	char			*left;
	size_t			 i;

	for (i = 0; (ce = cmd_table[i]) != NULL; i++) {
		if ((ce->flags & CMD_HIDDEN) && !all)
			continue;
		left = xasprintf("%s%s%s", ce->name, *ce->args ? " " : "",
		    ce->args);
		if (strlen(left) > 34)
			fprintf(f, "  %s\n  %-34s  %s\n", left, "", ce->summary);
		else
			fprintf(f, "  %-34s  %s\n", left, ce->summary);
		free(left);
	}
}

/* "(writes files; needs root; ...)" for an entry, or "" when no flag applies. */
static char *
cmd_help_flags(const struct cmd_entry *ce)
{
	struct strv	 words = STRV_INIT;
	char		*list, *s;

	if (ce->flags & CMD_WRITES)
		strv_push(&words, "writes files");
	if (ce->flags & CMD_ROOT)
		strv_push(&words, "needs root");
	if (ce->flags & CMD_CONFIRM)
		strv_push(&words, "asks for confirmation, --yes answers");
	if (ce->flags & CMD_JSON)
		strv_push(&words, "--json for machine-readable output");
	if (words.n == 0) {
		strv_release(&words);
		return xstrdup("");
	}
	list = strv_join(&words, "; ");
	s = xasprintf("(%s)", list);
	free(list);
	strv_release(&words);
	return s;
}

void
cmd_help_one(FILE *f, const struct cmd_entry *ce)
{
	char	*flags;

	fprintf(f, "usage: smadm [-r DIR] %s%s%s\n\n%s.\n", ce->name,
	    *ce->args ? " " : "", ce->args, ce->summary);
	if (ce->help != NULL && *ce->help != '\0')
		fprintf(f, "\n%s\n", ce->help);
	flags = cmd_help_flags(ce);
	if (*flags != '\0')
		fprintf(f, "\n%s\n", flags);
	free(flags);
}

/* Escape text for roff: backslashes, and a leading dot or quote. */
static void
man_text(FILE *f, const char *s)
{
	int	bol = 1;

	for (; *s != '\0'; s++) {
		if (bol && (*s == '.' || *s == '\''))
			fputs("\\&", f);
		if (*s == '\\')
			fputs("\\e", f);
		else if (*s == '-')
			fputs("\\-", f);
		else
			fputc(*s, f);
		bol = *s == '\n';
	}
}

void
cmd_help_man(FILE *f)
{
	const struct cmd_entry	*ce;
	char			*flags;
	size_t			 i;

	for (i = 0; (ce = cmd_table[i]) != NULL; i++) {
		if (ce->flags & CMD_HIDDEN)
			continue;
		fputs(".TP\n.B ", f);
		man_text(f, ce->name);
		if (*ce->args != '\0') {
			fputs(" \\fR", f);
			man_text(f, ce->args);
		}
		fputc('\n', f);
		man_text(f, ce->summary);
		fputs(".\n", f);
		if (ce->help != NULL && *ce->help != '\0') {
			fputs(".br\n", f);
			man_text(f, ce->help);
			fputc('\n', f);
		}
		flags = cmd_help_flags(ce);
		if (*flags != '\0') {
			fputs(".br\n", f);
			man_text(f, flags);
			fputc('\n', f);
		}
		free(flags);
	}
}
