/*
 * cmd.c -- the command table and dispatch (see cmd.h).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../backend/lock.h"
#include "../backend/op.h"
#include "../backend/safe-text.h"
#include "cmd-mc.h"
#include "cmd-op.h"
#include "cmd.h"

const struct cmd_entry *const cmd_table[] = {
	&cmd_help_entry,
	&cmd_version_entry,
	&cmd_completion_entry,
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

char *
cmd_group_words(const char *group)
{
	struct buf	 b = BUF_INIT;
	const char	*name, *next;
	size_t		 i, j, glen = strlen(group), len;
	int		 seen;

	for (i = 0; cmd_table[i] != NULL; i++) {
		name = cmd_table[i]->name;
		if ((cmd_table[i]->flags & CMD_HIDDEN) || strncmp(name, group,
		    glen) != 0 || name[glen] != ' ')
			continue;
		next = name + glen + 1;
		len = strcspn(next, " ");
		seen = 0;
		for (j = 0; j < i && !seen; j++)
			seen = strncmp(cmd_table[j]->name, name, glen + 1 +
			    len) == 0 && !(cmd_table[j]->flags & CMD_HIDDEN);
		if (!seen)
			buf_printf(&b, "%s%.*s", b.len > 0 ? ", " : "",
			    (int)len, next);
	}
	return buf_detach(&b);
}

const char *
cmd_find_error(int argc, char **argv, const char *hint)
{
	static char	*text;
	char		*words;

	free(text);
	words = cmd_group_words(argv[0]);
	if (*words == '\0')
		text = xasprintf("unknown command \"%s\" (%s)", argv[0], hint);
	else if (argc < 2)
		text = xasprintf("%s: needs a subcommand: %s", argv[0], words);
	else if (argv[1][0] == '-')
		text = xasprintf("%s: needs a subcommand before %s: %s",
		    argv[0], argv[1], words);
	else
		text = xasprintf("unknown %s subcommand \"%s\"; %s has: %s",
		    argv[0], argv[1], argv[0], words);
	free(words);
	return text;
}

const char *
cmd_error_bare(const struct cmd_entry *ce, const char *error)
{
	size_t	len = strlen(ce->name);

	if (strncmp(error, ce->name, len) == 0 && error[len] == ':' &&
	    error[len + 1] == ' ')
		return error + len + 2;
	return error;
}

/*
 * Commands that change the configuration run one at a time (lock.h), and
 * first finish what a dead smadm left half done (apply_recover): op_begin()
 * does both.  The operations of backend/op.h (CMD_OWNLOCK: apply, rollback,
 * loglevel, map set|del|rename|comment, wizard, audit fix) call it
 * themselves; the other writing commands still get it here.  Queue actions
 * are left out: sendmail's own per-message locks order them.
 */
static int
cmd_locked(struct cmd_ctx *ctx, const struct cmd_entry *ce, int *fd)
{
	struct op_ctl	 ctl;
	char		*cause = NULL;

	*fd = -1;
	if (!(ce->flags & CMD_WRITES) || (ce->flags & (CMD_NOHOST |
	    CMD_OWNLOCK)) || strncmp(ce->name, "queue ", 6) == 0)
		return 0;
	cmd_op_ctl(ctx, &ctl);
	if (op_begin(ctx->host, ce->name, -1, &ctl, fd, &cause) != 0)
		return cmd_fail_cause(ctx, cause);
	return 0;
}

/* The cookie of a cmd_safe_stream(): bytes of a cut UTF-8 sequence held. */
struct safe_stream {
	FILE		*under;
	struct buf	 in;
	struct buf	 out;
};

static ssize_t
safe_stream_write(void *cookie, const char *data, size_t len)
{
	struct safe_stream	*ss = cookie;
	const unsigned char	*p = (const unsigned char *)data;
	size_t			 plain = 0, used;

	/* Printable ASCII, LF and TAB (nearly all output) go straight on. */
	if (ss->in.len == 0) {
		while (plain < len && ((p[plain] >= 0x20 && p[plain] < 0x7f) ||
		    p[plain] == '\n' || p[plain] == '\t'))
			plain++;
		if (fwrite(data, 1, plain, ss->under) != plain)
			return -1;
	}
	buf_add(&ss->in, data + plain, len - plain);
	buf_reset(&ss->out);
	used = safe_text_add_part(&ss->out, ss->in.data, ss->in.len,
	    SAFE_TEXT_LINES);
	memmove(ss->in.data, ss->in.data + used, ss->in.len - used);
	buf_truncate(&ss->in, ss->in.len - used);
	if (fwrite(ss->out.data, 1, ss->out.len, ss->under) != ss->out.len ||
	    fflush(ss->under) != 0)
		return -1;
	return (ssize_t)len;
}

static int
safe_stream_close(void *cookie)
{
	struct safe_stream	*ss = cookie;
	int			 rc = 0;

	buf_reset(&ss->out);
	safe_text_add(&ss->out, ss->in.data, ss->in.len, SAFE_TEXT_LINES);
	if (fwrite(ss->out.data, 1, ss->out.len, ss->under) != ss->out.len ||
	    fflush(ss->under) != 0)
		rc = -1;
	buf_release(&ss->in);
	buf_release(&ss->out);
	free(ss);
	return rc;
}

FILE *
cmd_safe_stream(FILE *under)
{
	cookie_io_functions_t	 io = { NULL, safe_stream_write, NULL,
				    safe_stream_close };
	struct safe_stream	*ss;
	FILE			*f;
	int			 fd;

	ss = xcalloc(1, sizeof *ss);
	ss->under = under;
	buf_init(&ss->in);
	buf_init(&ss->out);
	if ((f = fopencookie(ss, "w", io)) == NULL)
		util_fatal("fopencookie failed");
	/* Lines reach a terminal as they are printed, like stdout's. */
	fd = fileno(under);
	setvbuf(f, NULL, fd >= 0 && isatty(fd) ? _IOLBF : _IOFBF, 65536);
	return f;
}

void
cmd_print_cause(FILE *f, const char *cause)
{
	char	*s;

	s = safe_text(cause, SAFE_TEXT_LINES);
	fprintf(f, "smadm: %s\n", s);
	free(s);
}

void
cmd_warning(struct cmd_ctx *ctx, const char *text)
{
	char	*s;

	s = safe_text(text, SAFE_TEXT_LINES);
	fprintf(ctx->err != NULL ? ctx->err : stderr, "smadm: warning: %s\n",
	    s);
	free(s);
}

int
cmd_run(const struct cmd_entry *ce, struct cmd_ctx *ctx, int argc,
    char **argv)
{
	const struct cmd_args	*outer = ctx->args;
	struct cmd_args		 args;
	FILE			*out = ctx->out;
	char			*cause = NULL;
	int			 rc, fd;

	if (!(ce->flags & CMD_NOHOST) && ctx->host == NULL)
		return cmd_error(ctx, "%s: no host profile", ce->name);
	if ((ce->flags & CMD_JSON) == 0 && ctx->json) {
		cmd_fail_cause(ctx, cmd_args_no_json(ce));
		return 2;
	}
	if (cmd_args_parse(ce, argc, argv, &args, &cause) != 0) {
		cmd_fail_cause(ctx, cause);
		return 2;
	}
	if (args.help) {
		cmd_args_release(&args);
		cmd_help_one(ctx->out, ce);
		return 0;
	}
	if (args.json)
		ctx->json = 1;
	ctx->args = &args;
	if (!ctx->json && !(ce->flags & (CMD_RAW | CMD_HIDDEN)))
		ctx->out = cmd_safe_stream(out);
	if ((rc = cmd_locked(ctx, ce, &fd)) == 0) {
		rc = ce->exec(ctx, args.nwords, args.words);
		host_unlock(ctx->host, fd);
	}
	ctx->args = outer;
	cmd_args_release(&args);
	if (ctx->out != out) {
		if (fclose(ctx->out) != 0 && rc == 0)
			rc = cmd_error(ctx, "%s: cannot write the output",
			    ce->name);
		ctx->out = out;
	}
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
	char	*syn;

	syn = cmd_synopsis(ce);
	cmd_error(ctx, "usage: smadm %s%s%s", ce->name, *syn ? " " : "", syn);
	free(syn);
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
json_string_or_null(FILE *f, const char *s)
{
	if (s != NULL)
		json_string(f, s);
	else
		fputs("null", f);
}

void
json_string(FILE *f, const char *s)
{
	struct buf	b = BUF_INIT;

	json_buf_string(&b, s);
	fwrite(b.data, 1, b.len, f);
	buf_release(&b);
}

/* s as a JSON string at the end of b (backend/safe-text.h). */
void
json_buf_string(struct buf *b, const char *s)
{
	safe_json_add(b, s, strlen(s));
}

/* The entries (all: hidden ones too) whose name starts with group. */
static int
cmd_help_some(FILE *f, int all, const char *group)
{
	const struct cmd_entry	*ce;
	char			*left, *syn;
	size_t			 i, glen = group != NULL ? strlen(group) : 0;
	int			 n = 0;

	for (i = 0; (ce = cmd_table[i]) != NULL; i++) {
		if ((ce->flags & CMD_HIDDEN) && !all)
			continue;
		if (group != NULL && (strncmp(ce->name, group, glen) != 0 ||
		    (ce->name[glen] != ' ' && ce->name[glen] != '\0')))
			continue;
		n++;
		syn = cmd_synopsis(ce);
		left = xasprintf("%s%s%s", ce->name, *syn ? " " : "", syn);
		free(syn);
		if (strlen(left) > 34)
			fprintf(f, "  %s\n  %-34s  %s\n", left, "", ce->summary);
		else
			fprintf(f, "  %-34s  %s\n", left, ce->summary);
		free(left);
	}
	return n;
}

void
cmd_help_list(FILE *f, int all)
{
	cmd_help_some(f, all, NULL);
}

int
cmd_help_group(FILE *f, const char *group)
{
	return cmd_help_some(f, 0, group);
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

/* "-s, --sort KEY" or "    --json": the left column of an option. */
char *
cmd_opt_left(const struct cmd_opt *o)
{
	return xasprintf("%c%c%c --%s%s%s", o->flags & CMD_OPT_LONG ? ' ' :
	    '-', o->flags & CMD_OPT_LONG ? ' ' : o->ch,
	    o->flags & CMD_OPT_LONG ? ' ' : ',', o->name,
	    o->arg != NULL ? " " : "", o->arg != NULL ? o->arg : "");
}

/* The options of ce, the --json of a CMD_JSON command included. */
static void
cmd_help_opts(FILE *f, const struct cmd_entry *ce)
{
	static const struct cmd_opt	 json = { 'j', "json", NULL,
					     "machine-readable output",
					     CMD_OPT_LONG };
	const struct cmd_opt		*o;
	char				*left;
	int				 seen = 0, has_json = 0;

	for (o = ce->opts; o != NULL && o->ch != 0; o++)
		has_json |= strcmp(o->name, "json") == 0;
	for (o = ce->opts; ; o++) {
		if (o == NULL || o->ch == 0) {
			if (!(ce->flags & CMD_JSON) || has_json)
				break;
			o = &json;
			has_json = 1;
		}
		if (!seen++)
			fputs("\nOptions:\n", f);
		left = cmd_opt_left(o);
		if (strlen(left) > 22)
			fprintf(f, "  %s\n  %-22s  %s\n", left, "", o->help);
		else
			fprintf(f, "  %-22s  %s\n", left, o->help);
		free(left);
		if (o == &json)
			break;
	}
}

void
cmd_help_one(FILE *f, const struct cmd_entry *ce)
{
	char	*flags, *syn;

	syn = cmd_synopsis(ce);
	fprintf(f, "usage: smadm [-r DIR] %s%s%s\n\n%s.\n", ce->name,
	    *syn ? " " : "", syn, ce->summary);
	free(syn);
	cmd_help_opts(f, ce);
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
	const struct cmd_opt	*o;
	char			*flags, *syn, *left;
	size_t			 i;

	for (i = 0; (ce = cmd_table[i]) != NULL; i++) {
		if (ce->flags & CMD_HIDDEN)
			continue;
		fputs(".TP\n.B ", f);
		man_text(f, ce->name);
		syn = cmd_synopsis(ce);
		if (*syn != '\0') {
			fputs(" \\fR", f);
			man_text(f, syn);
		}
		free(syn);
		fputc('\n', f);
		man_text(f, ce->summary);
		fputs(".\n", f);
		for (o = ce->opts; o != NULL && o->ch != 0; o++) {
			fputs(".br\n", f);
			left = cmd_opt_left(o);
			man_text(f, left + strspn(left, " "));
			free(left);
			fputs(": ", f);
			man_text(f, o->help);
			fputs(".\n", f);
		}
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
