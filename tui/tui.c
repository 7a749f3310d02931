/*
 * tui.c -- the console's frame: terminal setup and teardown, the poll()
 * loop, the view stack, the title bar, status line and key bar.  Running
 * the commands of the table is in exec.c.
 *
 * Layout, top to bottom: a title bar, the top view's body, a status line
 * (messages, errors, the prompt) and the key bar.  Every pass of the loop
 * that changed something redraws the whole frame with erase() and a
 * single doupdate(); curses sends only the difference, so nothing flickers.
 *
 * Signals come in through a self-pipe so that they are handled in the loop,
 * never in a handler: SIGWINCH resizes, and SIGINT, SIGTERM and SIGHUP end
 * the console as cleanly as q does.  smadm then exits with 128 + the signal
 * number, the shell's convention, so a script can tell it was interrupted.
 */
#include <sys/ioctl.h>
#include <sys/queue.h>

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../backend/shwords.h"
#include "../backend/transport-ssh.h"
#include "job.h"
#include "tui.h"

struct tui_fd {
	int			 fd;
	tui_fd_cb		 cb;
	void			*arg;
	int			 dead;
	int			 busy_ok;	/* polled while a job runs */
	TAILQ_ENTRY(tui_fd)	 entry;
};

struct tui_timer {
	int			 ms;
	uint64_t		 due;		/* monotonic ms */
	tui_timer_cb		 cb;
	void			*arg;
	int			 dead;
	TAILQ_ENTRY(tui_timer)	 entry;
};

enum {
	TA_HELP = 1,
	TA_QUIT,
	TA_BACK,
	TA_REDRAW,
	TA_COMMAND
};

const struct tui_binding tui_global_bindings[] = {
	{ '?', "Help", NULL, TA_HELP, "Help: keys and commands" },
	{ TUI_KEY_F(1), NULL, NULL, TA_HELP, "Help" },
	{ ':', "Cmd", NULL, TA_COMMAND,
	    "Run a command by name, as on the command line" },
	{ TUI_CTRL('l'), NULL, NULL, TA_REDRAW,
	    "Redraw the screen and reload what it shows" },
	{ TUI_KEY_ESC, NULL, NULL, TA_BACK, "Back to the previous view" },
	{ 'q', "Quit", NULL, TA_QUIT, "Back; quit from the dashboard" },
	{ TUI_KEY_F(10), NULL, NULL, TA_QUIT, "Same as q" },
	{ 0, NULL, NULL, 0, NULL }
};

static struct {
	struct cmd_ctx		*ctx;
	SCREEN			*screen;
	struct tui_view		*top;
	int			 quit;
	int			 status;	/* exit status */
	int			 dirty;
	char			*msg;
	int			 msg_error;
	int			 sigpipe[2];
	TAILQ_HEAD(, tui_fd)	 fds;
	TAILQ_HEAD(, tui_timer)	 timers;
	struct host		*pending_host;	/* tui_switch_host() */
	int			 held_key;	/* read during a remote wait */
	int			 have_held_key;
	unsigned long		 host_gen;	/* switches so far */
	pthread_t		 thread;	/* the loop's (curses') */
} tui;

static void	tui_view_free(struct tui_view *);

static const int	tui_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGWINCH };
static struct sigaction	tui_oldact[nitems(tui_signals)];

static uint64_t
tui_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* ---- signals and terminal ---- */

static void
tui_signal(int sig)
{
	int		saved = errno;
	unsigned char	c = (unsigned char)sig;

	if (write(tui.sigpipe[1], &c, 1) == -1) {
		/* Full pipe: the loop already has signals to read. */
	}
	errno = saved;
}

static void
tui_fatal_hook(void)
{
	if (tui.screen != NULL && !isendwin())
		endwin();
}

static void
tui_resize(void)
{
	struct winsize	ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	tui.dirty = 1;
}

/* Handle what the signal handler wrote; returns 1 when the console stops. */
static int
tui_read_signals(void)
{
	unsigned char	c[16];
	ssize_t		n, i;

	while ((n = read(tui.sigpipe[0], c, sizeof c)) > 0) {
		for (i = 0; i < n; i++) {
			if (c[i] == SIGWINCH)
				tui_resize();
			else if (!tui.quit) {
				tui.quit = 1;
				tui.status = 128 + c[i];
			}
		}
	}
	return tui.quit;
}

static int
tui_key_from_curses(wint_t k)
{
	static const struct {
		wint_t	curses;
		int	key;
	} map[] = {
		{ KEY_UP, TUI_KEY_UP }, { KEY_DOWN, TUI_KEY_DOWN },
		{ KEY_LEFT, TUI_KEY_LEFT }, { KEY_RIGHT, TUI_KEY_RIGHT },
		{ KEY_HOME, TUI_KEY_HOME }, { KEY_END, TUI_KEY_END },
		{ KEY_PPAGE, TUI_KEY_PGUP }, { KEY_NPAGE, TUI_KEY_PGDN },
		{ KEY_BACKSPACE, TUI_KEY_BACKSPACE },
		{ KEY_DC, TUI_KEY_DELETE },
		{ KEY_IC, TUI_KEY_INSERT }, { KEY_BTAB, TUI_KEY_BTAB },
		{ KEY_RESIZE, TUI_KEY_RESIZE }, { KEY_ENTER, TUI_KEY_ENTER },
		{ KEY_FIND, TUI_KEY_HOME }, { KEY_SELECT, TUI_KEY_END },
	};
	size_t	i;

	if (k >= (wint_t)KEY_F(0) && k <= (wint_t)KEY_F(63))
		return TUI_KEY_F((int)(k - KEY_F(0)));
	for (i = 0; i < nitems(map); i++)
		if (map[i].curses == k)
			return map[i].key;
	return -1;
}

/* Read one key without waiting: the key, or -1 when none is pending. */
static int
tui_read_key(void)
{
	wint_t	wc;
	int	r;

	if (tui.have_held_key) {
		tui.have_held_key = 0;
		return tui.held_key;
	}
	for (;;) {
		if ((r = get_wch(&wc)) == ERR)
			return -1;
		if (r == KEY_CODE_YES) {
			if ((r = tui_key_from_curses(wc)) != -1)
				return r;
			continue;	/* a key we have no name for */
		}
		if (wc == L'\n')
			return TUI_KEY_ENTER;
		if (wc == 0x7f || wc == 0x08)
			return TUI_KEY_BACKSPACE;
		return (int)wc;
	}
}

const char *
tui_key_name(int key)
{
	static char	name[16];
	mbstate_t	ps;
	size_t		n;

	switch (key) {
	case TUI_KEY_ESC:	return "Esc";
	case TUI_KEY_ENTER:	return "Enter";
	case '\t':		return "Tab";
	case ' ':		return "Space";
	case TUI_KEY_UP:	return "Up";
	case TUI_KEY_DOWN:	return "Down";
	case TUI_KEY_LEFT:	return "Left";
	case TUI_KEY_RIGHT:	return "Right";
	case TUI_KEY_HOME:	return "Home";
	case TUI_KEY_END:	return "End";
	case TUI_KEY_PGUP:	return "PgUp";
	case TUI_KEY_PGDN:	return "PgDn";
	case TUI_KEY_BACKSPACE:	return "BSpace";
	case TUI_KEY_DELETE:	return "Del";
	case TUI_KEY_INSERT:	return "Ins";
	case TUI_KEY_BTAB:	return "BTab";
	}
	if (key >= TUI_KEY_F0 && key <= TUI_KEY_F(63)) {
		snprintf(name, sizeof name, "F%d", key - TUI_KEY_F0);
		return name;
	}
	if (key >= 0 && key < 0x20) {
		snprintf(name, sizeof name, "^%c", key + 0x40);
		return name;
	}
	memset(&ps, 0, sizeof ps);
	if (key > 0 && key < 0x110000 &&
	    (n = wcrtomb(name, (wchar_t)key, &ps)) != (size_t)-1) {
		name[n] = '\0';
		return name;
	}
	snprintf(name, sizeof name, "<%#x>", key);
	return name;
}

/* ---- status line ---- */

static void
tui_vset_message(int error, const char *fmt, va_list ap)
{
	char	*text;

	/* Said on a job's worker (an SSH notice): a note of the job. */
	if (!pthread_equal(pthread_self(), tui.thread)) {
		text = xvasprintf(fmt, ap);
		job_note_worker(text);
		free(text);
		return;
	}
	free(tui.msg);
	tui.msg = xvasprintf(fmt, ap);
	tui.msg_error = error;
	tui.dirty = 1;
}

void
tui_message_clear(void)
{
	free(tui.msg);
	tui.msg = NULL;
	tui.dirty = 1;
}

void
tui_message(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	tui_vset_message(0, fmt, ap);
	va_end(ap);
}

void
tui_error(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	tui_vset_message(1, fmt, ap);
	va_end(ap);
}

void
tui_redraw(void)
{
	tui.dirty = 1;
}

struct host *
tui_host(void)
{
	return tui.ctx->host;
}

unsigned long
tui_host_generation(void)
{
	return tui.host_gen;
}

const struct cmd_ctx *
tui_cmd_ctx(void)
{
	return tui.ctx;
}

const struct ssh_opts *
tui_ssh_opts(void)
{
	return tui.ctx->ssh;
}

void
tui_switch_host(struct host *h)
{
	if (tui.pending_host != NULL)
		host_free(tui.pending_host);
	tui.pending_host = h;
}

/*
 * In the loop, between keys: no view callback is running.  Everything the
 * views hold was read from the old host (paths, the profile, the mc and
 * its catalog, lists, log and queue descriptors), so the views above the
 * dashboard close, releasing it, before the old host is freed; the views
 * that stay see a new generation and rebuild in their reload.
 */
static void
tui_apply_host(void)
{
	struct tui_view	*v;
	struct host	*old = tui.ctx->host;

	if (tui.pending_host == NULL)
		return;
	/* A prompt's callback may belong to a view about to close. */
	tui_prompt_cancel();
	while (tui.top != NULL && tui.top->below != NULL) {
		v = tui.top;
		tui.top = v->below;
		tui_view_free(v);
	}
	tui.ctx->host = tui.pending_host;
	tui.pending_host = NULL;
	tui.host_gen++;
	host_free(old);
	for (v = tui.top; v != NULL; v = v->below)
		if (v->ops->reload != NULL)
			v->ops->reload(v);
	tui.dirty = 1;
}

const char *
tui_self(void)
{
	return tui.ctx->self;
}

/* ---- views ---- */

struct tui_view *
tui_view_push(const struct tui_view_ops *ops, void *data, const char *title)
{
	struct tui_view	*v;

	v = xcalloc(1, sizeof *v);
	v->ops = ops;
	v->data = data;
	v->title = xstrdup(title != NULL ? title : ops->name);
	v->below = tui.top;
	tui.top = v;
	tui.dirty = 1;
	return v;
}

static void
tui_view_free(struct tui_view *v)
{
	if (v->ops->free != NULL)
		v->ops->free(v);
	free(v->title);
	free(v);
}

void
tui_view_pop(void)
{
	struct tui_view	*v = tui.top;

	if (v == NULL)
		return;
	tui.top = v->below;
	tui_view_free(v);
	/* A job has the host: its end reloads the top view. */
	if (tui.top != NULL && tui.top->ops->reload != NULL && !job_running())
		tui.top->ops->reload(tui.top);
	tui.dirty = 1;
}

struct tui_view *
tui_view_top(void)
{
	return tui.top;
}

void
tui_view_set_title(struct tui_view *v, const char *title)
{
	free(v->title);
	v->title = xstrdup(title);
	tui.dirty = 1;
}

/* ---- drawing the frame ---- */

static void
tui_draw_title(int w)
{
	const char	*host = tui.ctx->host->t->name;
	int		 used, hw, room;

	tui_fill(0, 0, w, TS_TITLE);
	/* The host keeps its place at the right; the title gets the rest. */
	hw = tui_width(host, strlen(host));
	room = w - 1;
	if (hw + 2 < w / 3) {
		tui_putn(0, w - 1 - hw, hw, TS_TITLE, host, strlen(host), 0, 0);
		room = w - 1 - hw - 2;
	}
	used = tui_put(0, 1, room, TS_TITLE, "smadm");
	if (tui.top != NULL) {
		used += tui_put(0, 1 + used, room - used, TS_TITLE, " - ");
		tui_putn(0, 1 + used, room - used, TS_TITLE, tui.top->title,
		    strlen(tui.top->title), TUI_LEFT, 0);
	}
}

/* The console's q says "Back" when there is a view to go back to. */
static const char *
tui_bar_label(const struct tui_binding *b, int global)
{
	/* Action numbers are per table: only the console's q is "Back". */
	if (global && b->action == TA_QUIT && b->command == NULL &&
	    tui.top != NULL && tui.top->below != NULL)
		return "Back";
	return b->label;
}

/* One key bar entry: "key" then the label; 0 when it does not fit. */
static int
tui_draw_bar_entry(int y, int *x, int w, const struct tui_binding *b,
    int global)
{
	const char	*key = tui_key_name(b->key);
	const char	*label = tui_bar_label(b, global);
	int		 need;

	/* "r" then " Refresh", then two blanks before the next one. */
	need = tui_width(key, strlen(key)) + 1 +
	    tui_width(label, strlen(label));
	if (*x + need > w)
		return 0;
	*x += tui_put(y, *x, w - *x, TS_KEY, key);
	*x += tui_put(y, *x, w - *x, TS_KEYLABEL, " ");
	*x += tui_put(y, *x, w - *x, TS_KEYLABEL, label);
	*x += 2;
	return 1;
}

static void
tui_draw_keybar(int y, int w)
{
	const struct tui_binding	*b;
	int				 x = 0, pass;

	/* Help first, then the view's keys, then the console's. */
	for (pass = 0; pass < 3; pass++) {
		if (pass == 1)
			b = tui.top != NULL ? tui.top->ops->bindings : NULL;
		else
			b = tui_global_bindings;
		for (; b != NULL && b->key != 0; b++) {
			if (b->label == NULL)
				continue;
			if (pass != 1 && (b->action == TA_HELP) != (pass == 0))
				continue;
			if (!tui_draw_bar_entry(y, &x, w, b, pass != 1))
				return;
		}
	}
}

/* The prompt, or a running job's progress and then the message. */
static void
tui_draw_status(int y, int w)
{
	const char	*nl;
	size_t		 len;
	int		 x;

	if (tui_prompt_draw(y, w))
		return;
	x = job_draw_status(y, w);
	if (tui.msg == NULL || x >= w)
		return;
	len = (nl = strchr(tui.msg, '\n')) != NULL ?
	    (size_t)(nl - tui.msg) : strlen(tui.msg);
	tui_putn(y, x, w - x, tui.msg_error ? TS_ERROR : TS_MESSAGE, tui.msg,
	    len, TUI_ELLIPSIS, 0);
}

void
tui_draw_frame(void)
{
	int	h = LINES, w = COLS;

	erase();
	curs_set(0);
	if (h < 5 || w < 20) {
		tui_put(0, 0, w, TS_NORMAL, "terminal too small");
		return;
	}
	tui_draw_title(w);
	if (tui.top != NULL)
		tui.top->ops->draw(tui.top, 1, 0, h - 3, w);
	tui_draw_keybar(h - 1, w);
	tui_draw_status(h - 2, w);	/* last: the prompt places the cursor */
}

void
tui_update(void)
{
	wnoutrefresh(stdscr);
	doupdate();
	tui.dirty = 0;
}

static void
tui_command_done(void *arg unused, const char *line)
{
	if (line != NULL)
		tui_run_line(line);
}

/* ---- keys ---- */

static const struct tui_binding *
tui_binding_find(const struct tui_binding *b, int key)
{
	for (; b != NULL && b->key != 0; b++)
		if (b->key == key)
			return b;
	return NULL;
}

static void
tui_action(int action)
{
	struct tui_view	*v = tui.top;

	switch (action) {
	case TA_HELP:
		view_help_open(v);
		break;
	case TA_QUIT:
		if (v != NULL && v->below != NULL)
			tui_view_pop();
		else
			tui.quit = 1;
		break;
	case TA_BACK:
		if (v != NULL && v->below != NULL)
			tui_view_pop();
		else
			tui_message("q quits");
		break;
	case TA_REDRAW:
		clearok(curscr, TRUE);
		if (v != NULL && v->ops->reload != NULL)
			v->ops->reload(v);
		break;
	case TA_COMMAND:
		tui_prompt(":", "", tui_command_done, NULL);
		break;
	}
}

/*
 * A key while a job runs (job.h): only what stays on the screen; the
 * host is the worker's.  1 when the key was dealt with here.
 */
static int
tui_dispatch_busy(int key)
{
	const struct tui_binding	*b;
	struct tui_view			*v = tui.top;

	if (key == TUI_KEY_ESC) {
		job_cancel();
		return 1;
	}
	/* The pager (help, results) only moves over its text. */
	if (strcmp(v->ops->name, "text") == 0 && v->ops->key != NULL &&
	    v->ops->key(v, key))
		return 1;
	switch (key) {
	case TUI_KEY_UP:
	case TUI_KEY_DOWN:
	case TUI_KEY_PGUP:
	case TUI_KEY_PGDN:
	case TUI_KEY_HOME:
	case TUI_KEY_END:
		if (v->ops->key != NULL)
			v->ops->key(v, key);
		return 1;
	}
	if ((b = tui_binding_find(tui_global_bindings, key)) != NULL) {
		switch (b->action) {
		case TA_HELP:
		case TA_COMMAND:	/* a second job is refused */
			tui_action(b->action);
			return 1;
		case TA_REDRAW:
			clearok(curscr, TRUE);
			return 1;
		case TA_QUIT:
			/* Other views may touch the host when they go. */
			if (v->below != NULL &&
			    strcmp(v->ops->name, "text") == 0) {
				tui_view_pop();
				return 1;
			}
			tui_message("q: this screen stays while %s runs (Esc "
			    "cancels it)", job_name());
			return 1;
		}
	}
	tui_message("%s is running: wait, or Esc cancels it", job_name());
	return 1;
}

static void
tui_dispatch(int key)
{
	const struct tui_binding	*b;
	struct tui_view			*v = tui.top;

	tui.dirty = 1;
	if (key == TUI_KEY_RESIZE)
		return;
	tui_message_clear();
	if (tui_prompt_key(key))
		return;
	if (job_running() && tui_dispatch_busy(key))
		return;
	if (v->ops->key != NULL && v->ops->key(v, key))
		return;
	if ((b = tui_binding_find(v->ops->bindings, key)) != NULL) {
		if (b->command != NULL)
			tui_run_command(b->command, 0, NULL);
		else if (v->ops->action != NULL)
			v->ops->action(v, b->action);
		return;
	}
	if ((b = tui_binding_find(tui_global_bindings, key)) != NULL) {
		tui_action(b->action);
		return;
	}
	tui_message("%s: no such key here (? for help)", tui_key_name(key));
}

int
tui_wait_key(void)
{
	struct pollfd	pfd[2];
	int		key;

	for (;;) {
		if ((key = tui_read_key()) != -1)
			return key;
		pfd[0].fd = STDIN_FILENO;
		pfd[0].events = POLLIN;
		pfd[0].revents = 0;
		pfd[1].fd = tui.sigpipe[0];
		pfd[1].events = POLLIN;
		pfd[1].revents = 0;
		if (poll(pfd, 2, -1) == -1 && errno != EINTR)
			util_fatal("poll: %s", strerror(errno));
		if (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL)) {
			tui.quit = 1;
			tui.status = 128 + SIGHUP;
		}
		if (tui_read_signals())
			return -1;
		if (tui.dirty)
			return TUI_KEY_RESIZE;
	}
}

/*
 * Asked by the SSH transport while it waits for a remote host (which may
 * be stalled or hostile): a signal (^C) or q, Esc or F10 gives up the
 * wait.  A key read here is kept for the loop, which then acts on it.
 */
static int
tui_cancel_wait(void *arg unused)
{
	struct pollfd	pfd[2];
	int		key;

	pfd[0].fd = STDIN_FILENO;
	pfd[0].events = POLLIN;
	pfd[0].revents = 0;
	pfd[1].fd = tui.sigpipe[0];
	pfd[1].events = POLLIN;
	pfd[1].revents = 0;
	if (poll(pfd, 2, 0) <= 0)
		return 0;
	if (pfd[1].revents & POLLIN)
		return 1;
	/* A lent terminal (tui_lend_terminal) is not curses' to read. */
	if (isendwin())
		return 0;
	if (!tui.have_held_key && (key = tui_read_key()) != -1) {
		tui.held_key = key;
		tui.have_held_key = 1;
	}
	return tui.have_held_key && (tui.held_key == 'q' ||
	    tui.held_key == TUI_KEY_ESC || tui.held_key == TUI_KEY_F(10));
}

/* ---- the loop ---- */

struct tui_fd *
tui_add_fd(int fd, tui_fd_cb cb, void *arg)
{
	struct tui_fd	*f;

	f = xcalloc(1, sizeof *f);
	f->fd = fd;
	f->cb = cb;
	f->arg = arg;
	TAILQ_INSERT_TAIL(&tui.fds, f, entry);
	return f;
}

struct tui_fd *
tui_add_fd_busy(int fd, tui_fd_cb cb, void *arg)
{
	struct tui_fd	*f;

	f = tui_add_fd(fd, cb, arg);
	f->busy_ok = 1;
	return f;
}

void
tui_remove_fd(struct tui_fd *f)
{
	if (f != NULL)
		f->dead = 1;	/* freed by the loop, outside callbacks */
}

struct tui_timer *
tui_add_timer(int ms, tui_timer_cb cb, void *arg)
{
	struct tui_timer	*t;

	t = xcalloc(1, sizeof *t);
	t->ms = ms > 0 ? ms : 1;
	t->due = tui_now() + (uint64_t)t->ms;
	t->cb = cb;
	t->arg = arg;
	TAILQ_INSERT_TAIL(&tui.timers, t, entry);
	return t;
}

void
tui_remove_timer(struct tui_timer *t)
{
	if (t != NULL)
		t->dead = 1;
}

static void
tui_reap(void)
{
	struct tui_fd		*f, *f1;
	struct tui_timer	*t, *t1;

	for (f = TAILQ_FIRST(&tui.fds); f != NULL; f = f1) {
		f1 = TAILQ_NEXT(f, entry);
		if (f->dead) {
			TAILQ_REMOVE(&tui.fds, f, entry);
			free(f);
		}
	}
	for (t = TAILQ_FIRST(&tui.timers); t != NULL; t = t1) {
		t1 = TAILQ_NEXT(t, entry);
		if (t->dead) {
			TAILQ_REMOVE(&tui.timers, t, entry);
			free(t);
		}
	}
}

/* Milliseconds until the next timer, or -1 for none. */
static int
tui_timers_timeout(void)
{
	struct tui_timer	*t;
	uint64_t		 now = tui_now(), next = UINT64_MAX;

	TAILQ_FOREACH(t, &tui.timers, entry) {
		if (!t->dead && t->due < next)
			next = t->due;
	}
	if (next == UINT64_MAX)
		return -1;
	return next <= now ? 0 : (int)(next - now);
}

static void
tui_timers_run(void)
{
	struct tui_timer	*t;
	uint64_t		 now = tui_now();

	TAILQ_FOREACH(t, &tui.timers, entry) {
		if (t->dead || t->due > now)
			continue;
		/* Next run counts from now: a slow callback never piles up. */
		t->due = now + (uint64_t)t->ms;
		t->cb(t->arg);
		tui.dirty = 1;
	}
}

static void
tui_loop(void)
{
	struct pollfd	*pfd = NULL;
	struct tui_fd	**which = NULL, *f;
	size_t		 n, alloc = 0, i;
	int		 key, busy;

	while (!tui.quit) {
		busy = job_running();
		tui_apply_host();
		if (tui.dirty) {
			tui_draw_frame();
			tui_update();
		}
		n = 2;
		TAILQ_FOREACH(f, &tui.fds, entry)
			n++;
		if (n > alloc) {
			alloc = n + 8;
			pfd = xreallocarray(pfd, alloc, sizeof *pfd);
			which = xreallocarray(which, alloc, sizeof *which);
		}
		pfd[0].fd = STDIN_FILENO;
		pfd[0].events = POLLIN;
		pfd[1].fd = tui.sigpipe[0];
		pfd[1].events = POLLIN;
		n = 2;
		TAILQ_FOREACH(f, &tui.fds, entry) {
			/* A job has the host: the views' descriptors wait. */
			if (busy && !f->busy_ok)
				continue;
			pfd[n].fd = f->fd;
			pfd[n].events = POLLIN;
			which[n++] = f;
		}
		for (i = 0; i < n; i++)
			pfd[i].revents = 0;

		/* A key held by tui_cancel_wait: no waiting for another. */
		if (poll(pfd, n, tui.have_held_key ? 0 : busy ? -1 :
		    tui_timers_timeout()) == -1 && errno != EINTR)
			util_fatal("poll: %s", strerror(errno));

		if (tui_read_signals())
			break;
		if (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL)) {
			tui.quit = 1;		/* the terminal went away */
			tui.status = 128 + SIGHUP;
			break;
		}
		/* Drain: curses may hold keys it already read from stdin. */
		while (!tui.quit && (key = tui_read_key()) != -1)
			tui_dispatch(key);
		/* So do the views' timers (and the SSH keepalive). */
		if (!busy && !job_running())
			tui_timers_run();
		for (i = 2; i < n; i++) {
			if (pfd[i].revents != 0 && !which[i]->dead) {
				which[i]->cb(which[i]->fd, pfd[i].revents,
				    which[i]->arg);
				tui.dirty = 1;
			}
		}
		tui_reap();
	}
	free(pfd);
	free(which);
}

/* ---- start and stop ---- */

static void
tui_signals_set(int install)
{
	struct sigaction	sa;
	size_t			i;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = tui_signal;	/* no SA_RESTART: poll() wakes up */
	for (i = 0; i < nitems(tui_signals); i++) {
		if (install)
			sigaction(tui_signals[i], &sa, &tui_oldact[i]);
		else
			sigaction(tui_signals[i], &tui_oldact[i], NULL);
	}
}

static void
tui_cleanup(void)
{
	job_shutdown();
	while (tui.top != NULL) {
		struct tui_view *v = tui.top;

		tui.top = v->below;
		tui_view_free(v);
	}
	tui_prompt_cancel();
	tui_reap();
	while (!TAILQ_EMPTY(&tui.fds)) {
		struct tui_fd *f = TAILQ_FIRST(&tui.fds);

		TAILQ_REMOVE(&tui.fds, f, entry);
		free(f);
	}
	while (!TAILQ_EMPTY(&tui.timers)) {
		struct tui_timer *t = TAILQ_FIRST(&tui.timers);

		TAILQ_REMOVE(&tui.timers, t, entry);
		free(t);
	}
	tui_message_clear();
}

/*
 * Over SSH: keep the connection alive while the console idles, and make
 * it again after a drop; either way the status line says so.
 */
static void
tui_keepalive(void *arg unused)
{
	char	*cause = NULL;
	int	 r;

	r = transport_ssh_keepalive(tui.ctx->host->t, &cause);
	if (r < 0) {
		tui_message("%s", cause);
		free(cause);
	} else if (r > 0)
		tui_message("connection to %s lost; reconnected",
		    tui.ctx->host->t->name);
}

/*
 * A question on the plain terminal (cmd_ctx's lend_terminal).  Not from
 * a job's worker: curses is the loop's, and the worker cannot wait for
 * the loop to give it up (it may be in a dialog waiting for the worker).
 */
static int
tui_lend_terminal(int give)
{
	if (!pthread_equal(pthread_self(), tui.thread))
		return -1;
	if (tui.screen == NULL)
		return 0;
	if (give) {
		def_prog_mode();
		endwin();
		return 0;
	}
	reset_prog_mode();
	clearok(curscr, TRUE);
	tui.dirty = 1;
	return 0;
}

int
tui_main(struct cmd_ctx *ctx)
{
	const char	*nc;
	int		 colour;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return cmd_error(ctx, "the console needs a terminal (\"smadm "
		    "help\" lists the commands)");
	setlocale(LC_ALL, "");
	memset(&tui, 0, sizeof tui);
	tui.ctx = ctx;
	tui.thread = pthread_self();
	TAILQ_INIT(&tui.fds);
	TAILQ_INIT(&tui.timers);
	if (pipe2(tui.sigpipe, O_NONBLOCK | O_CLOEXEC) != 0)
		return cmd_error(ctx, "pipe: %s", strerror(errno));

	/* Ours before curses starts, so curses leaves these signals alone. */
	tui_signals_set(1);
	if ((tui.screen = newterm(NULL, stdout, stdin)) == NULL) {
		tui_signals_set(0);
		close(tui.sigpipe[0]);
		close(tui.sigpipe[1]);
		nc = getenv("TERM");
		return cmd_error(ctx, "cannot use terminal type \"%s\"",
		    nc != NULL ? nc : "");
	}
	util_fatal_hook = tui_fatal_hook;
	ctx->lend_terminal = tui_lend_terminal;
	set_escdelay(25);
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	nc = getenv("NO_COLOR");
	colour = has_colors() && (nc == NULL || *nc == '\0');
	tui_styles_init(colour);

	transport_ssh_cancel_hook(tui_cancel_wait, NULL);
	view_dashboard_open();
	if (ctx->note != NULL)
		tui_message("%s", ctx->note);
	/* Does nothing for the local machine. */
	tui_add_timer(5000, tui_keepalive, NULL);
	tui.dirty = 1;
	tui_loop();

	transport_ssh_cancel_hook(NULL, NULL);
	tui_cleanup();
	if (tui.pending_host != NULL) {
		host_free(tui.pending_host);
		tui.pending_host = NULL;
	}
	erase();
	wnoutrefresh(stdscr);
	doupdate();
	endwin();
	ctx->lend_terminal = NULL;
	delscreen(tui.screen);
	tui.screen = NULL;
	util_fatal_hook = NULL;
	tui_styles_free();
	tui_signals_set(0);
	close(tui.sigpipe[0]);
	close(tui.sigpipe[1]);
	return tui.status;
}
