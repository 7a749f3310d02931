/*
 * job.c -- one operation at a time on a worker thread (job.h).
 *
 * The worker and the loop share struct job under its mutex: the progress
 * (copied, never pointed into the worker's memory), notes, a question
 * waiting for an answer, and the end.  After each change the worker
 * writes a byte to the pipe; the loop's callback reads what changed and
 * redraws.  The cancel flag is an atomic the worker polls between items.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../backend/transport-ssh.h"
#include "job.h"
#include "tui.h"

#define JOB_BAR		10	/* cells of the progress bar */

struct job {
	char		*name;
	int		 writes;
	job_fn		 fn;
	void		*arg;
	job_done_cb	 done;
	pthread_t	 thread;
	int		 pipe[2];
	struct tui_fd	*fd;
	int		 cancel;	/* atomic: Esc was pressed */
	int		 piece;		/* runs to its end (job_one_piece) */

	pthread_mutex_t	 mtx;		/* the rest */
	pthread_cond_t	 cond;		/* an answer came */
	char		*verb;
	char		*item;		/* the item at hand, or NULL */
	size_t		 count, total;
	struct strv	 notes;
	size_t		 notes_shown;
	char		*question;	/* waiting for the main thread */
	int		 answered, answer;
	int		 finished;
	int		 rc;
	char		*cause;
};

static struct job	*job;
/* On a worker: its job (job_note_worker). */
static _Thread_local struct job *job_self;

/* ---- the worker's side ---- */

static void
job_wake(struct job *j)
{
	char	c = 'j';

	/* Full pipe: the loop has a wakeup to read already. */
	while (write(j->pipe[1], &c, 1) == -1 && errno == EINTR)
		;
}

static int
job_ctl_confirm(void *arg, const char *text)
{
	struct job	*j = arg;
	int		 answer;

	pthread_mutex_lock(&j->mtx);
	j->question = xstrdup(text);
	j->answered = 0;
	pthread_mutex_unlock(&j->mtx);
	job_wake(j);
	pthread_mutex_lock(&j->mtx);
	while (!j->answered)
		pthread_cond_wait(&j->cond, &j->mtx);
	answer = j->answer;
	free(j->question);
	j->question = NULL;
	pthread_mutex_unlock(&j->mtx);
	return answer;
}

static void
job_ctl_progress(void *arg, const struct op_progress *p)
{
	struct job	*j = arg;

	pthread_mutex_lock(&j->mtx);
	if (j->verb == NULL || strcmp(j->verb, p->verb) != 0) {
		free(j->verb);
		j->verb = xstrdup(p->verb);
	}
	free(j->item);
	j->item = p->item != NULL ? xstrdup(p->item) : NULL;
	j->count = p->done;
	j->total = p->total;
	pthread_mutex_unlock(&j->mtx);
	job_wake(j);
}

static int
job_ctl_cancelled(void *arg)
{
	struct job	*j = arg;

	return __atomic_load_n(&j->cancel, __ATOMIC_SEQ_CST);
}

static void
job_ctl_note(void *arg, const char *text)
{
	struct job	*j = arg;

	pthread_mutex_lock(&j->mtx);
	strv_push(&j->notes, text);
	pthread_mutex_unlock(&j->mtx);
	job_wake(j);
}

static void *
job_main(void *arg)
{
	struct job	*j = arg;
	struct op_ctl	 ctl;
	char		*cause = NULL;
	int		 rc;

	job_self = j;
	/* Esc also ends a wait for a stalled remote host. */
	transport_ssh_cancel_hook(job_ctl_cancelled, j);
	memset(&ctl, 0, sizeof ctl);
	ctl.confirm = job_ctl_confirm;
	ctl.progress = job_ctl_progress;
	ctl.cancelled = job_ctl_cancelled;
	ctl.note = job_ctl_note;
	ctl.arg = j;
	rc = j->fn(j->arg, &ctl, &cause);
	pthread_mutex_lock(&j->mtx);
	j->rc = rc;
	j->cause = rc < 0 ? cause : NULL;
	if (rc >= 0)
		free(cause);
	j->finished = 1;
	pthread_mutex_unlock(&j->mtx);
	job_self = NULL;
	job_wake(j);
	return NULL;
}

void
job_note_worker(const char *text)
{
	if (job_self != NULL)
		job_ctl_note(job_self, text);
}

/* ---- the loop's side ---- */

static void
job_free(struct job *j)
{
	tui_remove_fd(j->fd);
	close(j->pipe[0]);
	close(j->pipe[1]);
	pthread_mutex_destroy(&j->mtx);
	pthread_cond_destroy(&j->cond);
	strv_release(&j->notes);
	free(j->verb);
	free(j->item);
	free(j->cause);
	free(j->name);
	free(j);
}

/* The worker has ended: join it, then done and a reload, here. */
static void
job_end(struct job *j)
{
	struct tui_view	*top;

	pthread_join(j->thread, NULL);
	job = NULL;
	if (j->done != NULL)
		j->done(j->arg, j->rc, j->cause, &j->notes);
	job_free(j);
	if ((top = tui_view_top()) != NULL && top->ops->reload != NULL)
		top->ops->reload(top);
	tui_redraw();
}

/*
 * The plan in a pager, the question over it; the pager goes after.  A
 * plan whose last line is a question ("Delete 3 messages (...)?", the
 * convention of op.h) has it asked in the dialog, named by the job;
 * otherwise the dialog asks "NAME: go ahead?".
 */
static int
job_ask(struct job *j, const char *plan)
{
	struct tui_view	*v;
	const char	*nl, *last;
	char		*title, *question;
	size_t		 len = strlen(plan);
	int		 answer;

	nl = len > 0 ? memrchr(plan, '\n', len) : NULL;
	last = nl != NULL ? nl + 1 : plan;
	if (*last != '\0' && plan[len - 1] == '?') {
		question = xasprintf("%s: %s", j->name, last);
		len = (size_t)(last - plan);
	} else
		question = xasprintf("%s: go ahead?", j->name);
	title = xasprintf("%s: the plan", j->name);
	view_text_open(title, plan, len);
	v = tui_view_top();
	answer = tui_confirm(question);
	if (tui_view_top() == v)
		tui_view_pop();
	free(question);
	free(title);
	return answer;
}

static void
job_read(int fd, int events unused, void *arg)
{
	struct job	*j = arg;
	char		 b[64], *q = NULL, *note = NULL;
	int		 finished, answer;

	while (read(fd, b, sizeof b) > 0)
		;
	pthread_mutex_lock(&j->mtx);
	if (j->question != NULL && !j->answered)
		q = xstrdup(j->question);
	if (j->notes_shown < j->notes.n) {
		note = xstrdup(j->notes.v[j->notes.n - 1]);
		j->notes_shown = j->notes.n;
	}
	finished = j->finished;
	pthread_mutex_unlock(&j->mtx);
	if (note != NULL) {
		tui_message("%s", note);
		free(note);
	}
	if (q != NULL) {
		/* The worker waits; the dialog runs its own little loop. */
		answer = job_ctl_cancelled(j) ? 0 : job_ask(j, q);
		free(q);
		pthread_mutex_lock(&j->mtx);
		j->answer = answer;
		j->answered = 1;
		pthread_cond_signal(&j->cond);
		pthread_mutex_unlock(&j->mtx);
	}
	if (finished)
		job_end(j);
	tui_redraw();
}

int
job_start(const char *name, int writes, job_fn fn, void *arg,
    job_done_cb done)
{
	struct job	*j;
	sigset_t	 all, old;
	int		 error;

	if (job != NULL) {
		tui_error("%s: not started, %s is running (one at a time; Esc "
		    "cancels it)", name, job->name);
		return -1;
	}
	j = xcalloc(1, sizeof *j);
	if (pipe2(j->pipe, O_NONBLOCK | O_CLOEXEC) != 0) {
		tui_error("%s: pipe: %s", name, strerror(errno));
		free(j);
		return -1;
	}
	j->name = xstrdup(name);
	j->writes = writes;
	j->fn = fn;
	j->arg = arg;
	j->done = done;
	strv_init(&j->notes);
	pthread_mutex_init(&j->mtx, NULL);
	pthread_cond_init(&j->cond, NULL);

	/* Signals stay the loop's: the worker starts with all blocked. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	error = pthread_create(&j->thread, NULL, job_main, j);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (error != 0) {
		tui_error("%s: cannot start a thread: %s", name,
		    strerror(error));
		j->fd = NULL;
		job_free(j);
		return -1;
	}
	job = j;
	j->fd = tui_add_fd_busy(j->pipe[0], job_read, j);
	/* The status line says it runs, and that Esc cancels: no message. */
	tui_message_clear();
	tui_redraw();
	return 0;
}

int
job_running(void)
{
	return job != NULL;
}

const char *
job_name(void)
{
	return job != NULL ? job->name : NULL;
}

void
job_one_piece(void)
{
	if (job != NULL)
		job->piece = 1;
	tui_redraw();
}

int
job_cancel(void)
{
	if (job == NULL)
		return 0;
	if (job->piece) {
		tui_error("%s runs as one piece: it cannot be stopped half-way",
		    job->name);
		return 1;
	}
	__atomic_store_n(&job->cancel, 1, __ATOMIC_SEQ_CST);
	/* job_draw_status says "cancelling" until the job has ended. */
	tui_redraw();
	return 1;
}

void
job_shutdown(void)
{
	struct job	*j = job;

	if (j == NULL)
		return;
	__atomic_store_n(&j->cancel, 1, __ATOMIC_SEQ_CST);
	pthread_mutex_lock(&j->mtx);
	while (!j->finished) {
		/* A question asked now is answered no. */
		if (j->question != NULL && !j->answered) {
			j->answer = 0;
			j->answered = 1;
			pthread_cond_signal(&j->cond);
		}
		pthread_mutex_unlock(&j->mtx);
		usleep(20 * 1000);
		pthread_mutex_lock(&j->mtx);
	}
	pthread_mutex_unlock(&j->mtx);
	job_end(j);
}

const char *
job_format_count(char *buf, size_t size, size_t n)
{
	char	digits[32];
	size_t	len, i, o = 0;

	len = (size_t)snprintf(digits, sizeof digits, "%zu", n);
	for (i = 0; i < len && o + 2 < size; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
	return buf;
}

int
job_draw_status(int y, int w)
{
	char	 done[32], total[32], bar[JOB_BAR + 3], *verb, *item;
	size_t	 count, all, fill, i;
	int	 x, counted;

	if (job == NULL)
		return 0;
	pthread_mutex_lock(&job->mtx);
	counted = job->verb != NULL;
	verb = xstrdup(counted ? job->verb : job->name);
	item = job->item != NULL ? xstrdup(job->item) : NULL;
	count = job->count;
	all = job->total;
	pthread_mutex_unlock(&job->mtx);
	job_format_count(done, sizeof done, count);
	if (all > 0) {
		job_format_count(total, sizeof total, all);
		fill = count >= all ? JOB_BAR : count * JOB_BAR / all;
		bar[0] = '[';
		for (i = 0; i < JOB_BAR; i++)
			bar[i + 1] = i < fill ? '#' : '.';
		bar[JOB_BAR + 1] = ']';
		bar[JOB_BAR + 2] = '\0';
		x = tui_putf(y, 0, w, TS_MESSAGE, "%s %s/%s %s ", verb, done,
		    total, bar);
	} else if (counted && count > 0)
		x = tui_putf(y, 0, w, TS_MESSAGE, "%s %s... ", verb, done);
	else	/* no progress told (a command): its name */
		x = tui_putf(y, 0, w, TS_MESSAGE, "%s... ", verb);
	/* The step at hand of a few long ones ("validate sendmail.cf"). */
	if (item != NULL && x < w)
		x += tui_putf(y, x, w - x, TS_MESSAGE, "%s  ", item);
	/* What Esc does, or that it was pressed; gone when the job ends. */
	if (x < w)
		x += tui_putf(y, x, w - x, TS_MESSAGE, "%s  ",
		    job->piece ? "(runs to its end)" : job_ctl_cancelled(job) ?
		    "cancelling after the item at hand..." : "(Esc cancels)");
	free(item);
	free(verb);
	return x;
}
