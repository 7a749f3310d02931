/*
 * job.h -- the console's long operations, run off its poll loop.
 *
 * A job is an operation (backend/op.h) run on a worker thread while the
 * console's loop goes on drawing, resizing and answering keys.  A thread,
 * not a child process: an SSH host's session cannot be shared with a
 * forked child.  The worker tells the loop through a pipe it polls (as
 * tmux's job.c does): its progress, shown in the status line ("delete
 * 140/2,000" and a bar), its notes, a confirmation it needs, and its end.
 * None of the worker's callbacks touches curses.
 *
 * One job at a time.  While it runs, the console's main thread leaves the
 * host to the worker (a host's transport is not shared between threads):
 * the views' timers and descriptors are held, a view popped is not
 * reloaded, commands (tui_run_command, ":", exec.c) are refused (their
 * own jobs: CMD_QUICK ones such as help still run), and only keys
 * that stay on the screen work: the prompt, ? (help), the pager's keys,
 * moving in a list, q to leave a help or text view, ^L, and Esc, which
 * asks the job to cancel.  Any other key says which job is running.  When
 * the job ends, done runs on the main thread and the top view reloads.
 *
 * To run an operation as a job:
 *
 *	static int
 *	xxx_job(void *arg, const struct op_ctl *ctl, char **cause)
 *	{
 *		struct xxx_job *xj = arg;
 *
 *		return xxx_run(xj->host, &xj->req, ctl, &xj->res, cause);
 *	}
 *	static void
 *	xxx_done(void *arg, int rc, const char *cause,
 *	    const struct strv *notes)
 *	{
 *		... show xj->res, free xj ...
 *	}
 *	job_start("apply", 1, xxx_job, xj, xxx_done);
 *
 * The ctl given to fn reports progress to the status line, polls the
 * cancel asked with Esc, collects notes (each shown as it comes, all
 * given to done) and hands a confirmation to the main thread, which shows
 * the plan in a pager with the dialog "NAME: go ahead?" over it while the
 * worker waits (a cancelled job gets "no").  An operation whose plan is
 * cheap to make may instead be confirmed before job_start, with ctl's
 * confirm then set to NULL in fn.  fn's arg belongs to the caller; done
 * frees it.
 */
#ifndef SMADM_JOB_H
#define SMADM_JOB_H

#include "../backend/op.h"

typedef int	(*job_fn)(void *, const struct op_ctl *, char **);
/* On the main thread: fn's return value, its cause (or NULL), notes. */
typedef void	(*job_done_cb)(void *, int, const char *, const struct strv *);

/*
 * Start fn(arg) on a worker; name ("queue flush") is what the status line
 * and refusals call it, writes says it changes the host.  0 when started;
 * -1 when a job is running already (the status line says which: done is
 * not called and arg is still the caller's) or no thread could start.
 */
int		 job_start(const char *, int, job_fn, void *, job_done_cb);
/* Is a job running?  Its name, or NULL. */
int		 job_running(void);
const char	*job_name(void);
/*
 * Ask the running job to stop between items; 0 when none runs.  A job
 * marked with job_one_piece() (right after job_start: an operation that
 * cannot stop half-way, a rollback) is not asked: Esc says so.
 */
int		 job_cancel(void);
void		 job_one_piece(void);
/*
 * The console is stopping: cancel the job and wait for it (its item at
 * hand finishes), then call its done.  Nothing when none runs.
 */
void		 job_shutdown(void);
/*
 * On a job's worker: text as one of its notes (shown in the status line,
 * given to done).  Elsewhere nothing; tui_message() from a worker comes
 * here.
 */
void		 job_note_worker(const char *);
/* Draw the progress in the status line row y; returns cells used. */
int		 job_draw_status(int, int);
/* "2,000": n with thousands separated, into buf (size). */
const char	*job_format_count(char *, size_t, size_t);

#endif
