/*
 * exec.c -- running commands of the table in the console: typed after ":"
 * (tui_run_line) or bound to a key (tui_run_command), with their output
 * captured and shown when they end.
 *
 * A command runs as a job (job.h) on the worker thread, so the console
 * keeps drawing, resizing and answering keys while it works: every
 * command that reads the host, writes or runs a program (m4, sendmail,
 * makemap, ssh) does, even a read, since any of them can stall on a slow
 * host or a large queue.  Only CMD_QUICK commands (help, version,
 * completion), which format the command table and touch nothing else,
 * run at once on the console's thread: they need no host, so they work
 * even while a job runs.
 *
 * On the worker the command gets a copy of the console's cmd_ctx:
 *   - its output and warnings go to memory streams, shown by the main
 *     thread when it ends (one line in the status line, more in a pager);
 *   - its question (cmd_confirm) goes through the job's confirmation:
 *     what it printed so far, the plan, is shown in a pager with the
 *     dialog over it, while the worker waits;
 *   - ctx->op is the job's op_ctl, so the operations the command runs
 *     (cmd_op_ctl, the queue actions) report their progress in the status
 *     line and stop between items when Esc asks.
 * Nothing here that runs on the worker touches curses or the console's
 * state; tui_message from the worker becomes a note of the job.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../backend/queue.h"
#include "../backend/shwords.h"
#include "job.h"
#include "tui.h"

struct exec_job {
	const struct cmd_entry	*ce;
	struct cmd_ctx		 c;
	struct strv		 argv;		/* the command's words */
	char			*title;		/* of the result's pager */
	const struct op_ctl	*ctl;		/* the job's, on the worker */
	char			*out;		/* captured output */
	size_t			 outlen;
	char			*err;		/* captured warnings */
	size_t			 errlen;
	int			 rc;
};

static void
exec_job_free(struct exec_job *ej)
{
	strv_release(&ej->argv);
	free(ej->c.error);
	free(ej->title);
	free(ej->out);
	free(ej->err);
	free(ej);
}

/*
 * Show what a command said: a line in the status line, more in a view;
 * the warnings it gave come after its output.
 */
static void
exec_show_result(const struct exec_job *ej)
{
	const char	*name = ej->ce->name;
	struct buf	 b = BUF_INIT;
	size_t		 len;

	buf_add(&b, ej->out, ej->outlen);
	buf_add(&b, ej->err, ej->errlen);
	len = b.len;
	while (len > 0 && b.data[len - 1] == '\n')
		len--;
	tui_message_clear();
	if (len > 0 && memchr(b.data, '\n', len) != NULL)
		view_text_open(ej->title, b.data, len);
	if (ej->c.error != NULL)
		tui_error("%s: %s", name, cmd_error_bare(ej->ce,
		    ej->c.error));
	else if (ej->rc != 0)
		tui_error("%s: failed (status %d)", name, ej->rc);
	else if (len == 0)
		tui_message("%s: done", name);
	else if (memchr(b.data, '\n', len) == NULL)
		tui_message("%.*s", (int)len, b.data);
	buf_release(&b);
}

/*
 * On the worker: the command's question, asked through the job.  What the
 * command printed so far is its plan; the question ends it.
 */
static int
exec_confirm(struct cmd_ctx *ctx, const char *question, char **cause)
{
	struct exec_job	*ej = ctx->confirm_arg;
	struct buf	 plan = BUF_INIT;
	int		 yes;

	fflush(ctx->out);	/* the safe stream flushes the memory one */
	buf_add(&plan, ej->out, ej->outlen);
	if (plan.len > 0 && plan.data[plan.len - 1] != '\n')
		buf_addch(&plan, '\n');
	buf_addstr(&plan, question);
	yes = op_confirm(ej->ctl, plan.data);
	buf_release(&plan);
	if (yes)
		return 1;
	*cause = xstrdup(op_cancelled(ej->ctl) ? "cancelled (Esc)" :
	    "cancelled");
	return 0;
}

/* On the worker: the command, as the CLI runs it. */
static int
exec_job_run(void *arg, const struct op_ctl *ctl, char **cause unused)
{
	struct exec_job	*ej = arg;
	FILE		*out, *err;

	ej->ctl = ctl;
	ej->c.op = ctl;
	out = ej->c.out = open_memstream(&ej->out, &ej->outlen);
	err = ej->c.err = open_memstream(&ej->err, &ej->errlen);
	if (out == NULL || err == NULL) {
		ej->rc = cmd_error(&ej->c, "cannot capture the output: %s",
		    strerror(errno));
		goto out;
	}
	ej->rc = cmd_run(ej->ce, &ej->c, (int)ej->argv.n, ej->argv.v);
out:
	if (out != NULL)
		fclose(out);
	if (err != NULL)
		fclose(err);
	ej->c.out = ej->c.err = NULL;
	ej->c.op = NULL;
	/* The queue parser keeps a pool per thread. */
	queue_parse_thread_end();
	return 0;
}

/* On the main thread, when the command has ended. */
static void
exec_job_done(void *arg, int rc unused, const char *cause,
    const struct strv *notes unused)
{
	struct exec_job	*ej = arg;

	if (cause != NULL && ej->c.error == NULL)
		ej->c.error = xstrdup(cause);
	exec_show_result(ej);
	exec_job_free(ej);
}

/* A CMD_QUICK command, here and now. */
static int
exec_inline(struct exec_job *ej)
{
	FILE	*out;

	if ((out = open_memstream(&ej->out, &ej->outlen)) == NULL) {
		tui_error("%s: cannot capture output: %s", ej->ce->name,
		    strerror(errno));
		return 1;
	}
	ej->c.out = out;
	ej->rc = cmd_run(ej->ce, &ej->c, (int)ej->argv.n, ej->argv.v);
	fclose(out);
	ej->c.out = NULL;
	exec_show_result(ej);
	return ej->rc;
}

/*
 * Run ce with argv (argv[0] the last word of its name): a job, or at once
 * for a CMD_QUICK command.  Returns the exit status of a command run at
 * once, 0 for a job started and 1 when it could not start.
 */
static int
exec_command(const struct cmd_entry *ce, const char *title, int argc,
    char **argv)
{
	struct exec_job	*ej;
	int		 i, rc;

	/* Internal commands read stdin or become daemons: never here. */
	if (ce->flags & CMD_HIDDEN) {
		tui_error("%s: an internal command, not run in the console",
		    ce->name);
		return 1;
	}
	ej = xcalloc(1, sizeof *ej);
	ej->ce = ce;
	ej->title = xstrdup(title);
	strv_init(&ej->argv);
	for (i = 0; i < argc; i++)
		strv_push(&ej->argv, argv[i]);
	ej->c = *tui_cmd_ctx();
	ej->c.error = NULL;
	ej->c.json = 0;
	ej->c.interactive = 1;
	ej->c.confirm = exec_confirm;
	ej->c.confirm_arg = ej;
	ej->c.args = NULL;
	ej->c.note = NULL;
	if (ce->flags & CMD_QUICK) {
		rc = exec_inline(ej);
		exec_job_free(ej);
		tui_redraw();
		return rc;
	}
	/* Refused when a job runs: the status line names it. */
	if (job_start(ce->name, (ce->flags & CMD_WRITES) != 0, exec_job_run,
	    ej, exec_job_done) != 0) {
		exec_job_free(ej);
		return 1;
	}
	return 0;
}

int
tui_run_command(const char *name, int argc, char **argv)
{
	const struct cmd_entry	*ce;
	const char		*last;
	struct strv		 args = STRV_INIT;
	int			 i, rc;

	if ((ce = cmd_lookup(name)) == NULL) {
		tui_error("%s: command not available", name);
		return -1;
	}
	/* The command sees the last word of its name as argv[0]. */
	last = strrchr(name, ' ');
	strv_push(&args, last != NULL ? last + 1 : name);
	for (i = 0; i < argc; i++)
		strv_push(&args, argv[i]);
	rc = exec_command(ce, name, (int)args.n, args.v);
	strv_release(&args);
	return rc;
}

int
tui_run_line(const char *line)
{
	const struct cmd_entry	*ce;
	struct strv		 words = STRV_INIT;
	char			*cause = NULL;
	int			 used, rc = -1;

	/* Words are quoted as in the shell: 'a b', "a \"b\"", a\ b. */
	if (shwords_split(line, &words, &cause) != 0) {
		tui_error("%s", cause);
		free(cause);
		goto out;
	}
	if (words.n == 0)
		goto out;
	if ((ce = cmd_find((int)words.n, words.v, &used)) == NULL) {
		tui_error("%s", cmd_find_error((int)words.n, words.v,
		    "? lists them"));
		goto out;
	}
	rc = exec_command(ce, line, (int)words.n - used + 1,
	    words.v + used - 1);
out:
	strv_release(&words);
	return rc;
}
