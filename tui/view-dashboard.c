/*
 * view-dashboard.c -- the first screen: which host and profile, whether
 * the daemon runs, how much is queued, where the files are and which of
 * them are missing.  Reloaded every two seconds while it is on top, on r
 * and ^L, and after any command.  Enter shows the file under the cursor.
 * The file list is the profile's, read again when the host changes.
 *
 * The first frame draws from what needs no program run.  The audit's
 * version check runs sendmail, which can stall for long on name
 * resolution, so it runs in a child process whose answer comes back
 * through a pipe in the console's loop; "checking..." shows meanwhile.
 * Over SSH the child makes its own connection (the session cannot be
 * shared), asking nothing; when that fails the line says why.
 */
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../backend/apply.h"
#include "../backend/audit.h"
#include "../backend/daemon.h"
#include "../backend/hostname.h"
#include "../backend/queue.h"
#include "../backend/transport-ssh.h"
#include "tui.h"
#include "widget-list.h"

#define DASH_REFRESH_MS	2000
#define DASH_LABEL	12	/* width of "Submit queue" */
#define DASH_MAX_FILE	(4 << 20)
#define DASH_SLOW	3	/* s: a version check this slow is explained */
/* A backstop past the check's own timeout, should the child hang. */
#define DASH_VERSION_KILL_MS	(AUDIT_VERSION_TIMEOUT + 5000)

enum {
	DA_REFRESH = 1,
	DA_TABLES,
	DA_LOG,
	DA_DAEMON,
	DA_QUEUE,
	DA_MC,
	DA_AUDIT,
	DA_HOSTS
};

struct dash {
	struct tui_view		*view;
	struct tui_timer	*timer;
	struct wlist		*wl;

	struct daemon_status	 st;
	char			*st_error;
	struct queue_counts	 mta, submit;
	char			*mta_error, *submit_error;
	struct strv		 missing;	/* profile_missing() */
	char			*pending;	/* apply_pending() */
	char			*host_problem;	/* hostname_check(), in full */
	struct strv		 names, paths;	/* the profile's files */
	unsigned long		 gen;		/* tui_host_generation() */
	struct audit		*audit;		/* static checks, or NULL */
	char			*audit_error;

	/* The version check, in a child process (see dash_version_start). */
	pid_t			 vpid;		/* -1: none running */
	int			 vfd;
	struct tui_fd		*vev;
	struct tui_timer	*vtimer;
	struct buf		 vbuf;		/* what the child wrote */
	time_t			 vstarted;
	unsigned long		 vgen;		/* host of the answer */
	char			*version;	/* the answer, or NULL */
	char			*version_error;
	long			 vtook;		/* seconds it took */
};

static const struct tui_binding dash_bindings[] = {
	{ 'r', NULL, NULL, DA_REFRESH, "Reload the status now (also ^L)" },
	{ 's', NULL, "daemon start", 0, NULL },
	{ 'S', NULL, "daemon stop", 0, NULL },
	{ 'm', "Tables", NULL, DA_TABLES,
	    "Tables and maps: entries, checks, edits, builds" },
	{ 'l', "Log", NULL, DA_LOG, "The mail log, live; Enter traces" },
	{ 'd', "Daemon", NULL, DA_DAEMON,
	    "The daemon panel: status, start, stop, reload, LogLevel" },
	{ 'Q', "Queue", NULL, DA_QUEUE,
	    "The queue: messages, filters, hold, release, delete, flush" },
	{ 'c', "Config", NULL, DA_MC,
	    "sendmail.mc: features, options, apply, backups, wizard" },
	{ 'A', "Audit", NULL, DA_AUDIT,
	    "The security audit: findings, reasons, fixes, re-check" },
	{ 'H', NULL, NULL, DA_HOSTS,
	    "Hosts over SSH: status of each; Enter manages one here" },
	{ TUI_KEY_ENTER, NULL, NULL, 0, "Show the file under the cursor" },
	{ 0, NULL, NULL, 0, NULL }
};

static const struct wlist_column dash_columns[] = {
	{ "Item", DASH_LABEL + 1, 0 },
	{ "Path", 0, WLIST_COL_PATH }
};

/* ---- the model ---- */

static void
dash_add(struct dash *d, const char *name, const char *path)
{
	if (path == NULL)
		return;
	strv_push(&d->names, name);
	strv_push(&d->paths, path);
}

static void
dash_add_list(struct dash *d, const char *name, const struct strv *paths)
{
	size_t	i;

	for (i = 0; i < paths->n; i++)
		dash_add(d, name, paths->v[i]);
}

/*
 * A host's profile does not change while the console runs: its files are
 * listed once per host, again after a switch (Hosts screen).
 */
static void
dash_paths(struct dash *d, const struct profile *p)
{
	size_t	i;

	strv_release(&d->names);
	strv_release(&d->paths);
	d->gen = tui_host_generation();
	dash_add(d, "mc", p->mc);
	dash_add(d, "cf", p->cf);
	dash_add(d, "submit mc", p->submit_mc);
	dash_add(d, "submit cf", p->submit_cf);
	dash_add(d, "pid file", p->pid_file);
	dash_add(d, "mail log", p->mail_log);
	dash_add_list(d, "MTA queue", &p->queue_dirs);
	dash_add_list(d, "submit queue", &p->submit_queue_dirs);
	for (i = 0; i < profile_ntables; i++)
		dash_add(d, p->tables[i].def->name, p->tables[i].path);
	dash_add(d, "namespace", p->ns_dir);
	dash_add(d, "sendmail", p->sendmail);
	dash_add(d, "makemap", p->makemap);
	dash_add(d, "m4", p->m4);
	dash_add(d, "cf macros", p->cf_dir);
}

static void
dash_clear(struct dash *d)
{
	daemon_status_release(&d->st);
	free(d->st_error);
	free(d->mta_error);
	free(d->submit_error);
	d->st_error = d->mta_error = d->submit_error = NULL;
	strv_release(&d->missing);
	free(d->pending);
	d->pending = NULL;
	free(d->host_problem);
	d->host_problem = NULL;
}

static void
dash_load(struct dash *d)
{
	struct host		*h = tui_host();
	struct hostname_check	 hc;
	char			*cause = NULL;

	if (d->gen != tui_host_generation()) {
		/* Another host: its files, from the top of the list. */
		dash_paths(d, h->prof);
		if (d->wl != NULL)
			wlist_set_cursor(d->wl, 0);
	}
	dash_clear(d);
	daemon_status_init(&d->st);
	if (daemon_status(h, &d->st, &d->st_error) != 0 &&
	    d->st_error == NULL)
		d->st_error = xstrdup("unknown error");
	memset(&d->mta, 0, sizeof d->mta);
	memset(&d->submit, 0, sizeof d->submit);
	if (h->prof->queue_dirs.n > 0)
		queue_count(h, &h->prof->queue_dirs, &d->mta, &d->mta_error);
	if (h->prof->submit_queue_dirs.n > 0)
		queue_count(h, &h->prof->submit_queue_dirs, &d->submit,
		    &d->submit_error);
	profile_missing(h->prof, h->t, &d->missing);
	/* A host name sendmail sleeps on: a problem with its fix. */
	if (hostname_check(h, &hc, &cause) == 0 && hc.problem != NULL) {
		strv_pushf(&d->missing, "hostname: %s is unqualified: %s "
		    "(Enter: why and the fix)", hc.name, hc.state ==
		    HOSTNAME_STALL ? "sendmail sleeps 60 s at every start" :
		    "sendmail asks DNS for it at every start");
		d->host_problem = xasprintf("The problem:\n\n%s.\n\nThe "
		    "fix:\n\n%s.\n\nsmadm does not start the version check "
		    "meanwhile (it would wait on the same sleep); r checks "
		    "again.\n", hc.problem, hc.fix);
	}
	hostname_check_release(&hc);
	free(cause);
	/* An apply killed between install and reload leaves a journal. */
	if ((d->pending = apply_pending(h)) != NULL)
		strv_push(&d->missing, "interrupted apply: the next write "
		    "rolls it back and reloads the daemon");
	if (d->wl != NULL)
		wlist_changed(d->wl);
	tui_redraw();
}

/* ---- the version check, in the background ---- */

/* Why "sendmail -bt -d0.1" is slow, nearly always. */
static const char dash_slow_why[] = "unqualified host name or slow DNS";

/* In the child: run sendmail, write "V<version>" or "E<cause>", exit. */
static void
dash_version_child(int fd)
{
	struct host		*h, h2;
	struct transport	*t2;
	char			*version, *cause = NULL, *line;
	size_t			 off = 0, len;
	ssize_t			 n;

	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGWINCH, SIG_DFL);
	util_fatal_hook = NULL;		/* the terminal is the parent's */
	h = tui_host();
	/* The parent's SSH session is not ours to use: a second one. */
	if (transport_is_ssh(h->t)) {
		if ((t2 = transport_ssh_again(h->t, &cause)) == NULL) {
			line = xasprintf("Enot asked in the background (a "
			    "second connection failed: %s); r asks again",
			    cause);
			goto out;
		}
		h2.t = t2;
		h2.prof = h->prof;
		h = &h2;
	}
	if (audit_version_read(h, AUDIT_VERSION_TIMEOUT, &version,
	    &cause) == 0)
		line = xasprintf("V%s", version);
	else
		line = xasprintf("E%s", cause);
out:
	len = strlen(line);
	while (off < len) {
		if ((n = write(fd, line + off, len - off)) == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		off += (size_t)n;
	}
	_exit(0);
}

static void
dash_version_stop(struct dash *d, int killit)
{
	if (d->vpid == -1)
		return;
	if (killit)
		kill(d->vpid, SIGKILL);
	while (waitpid(d->vpid, NULL, 0) == -1 && errno == EINTR)
		;
	d->vpid = -1;
	tui_remove_fd(d->vev);
	d->vev = NULL;
	tui_remove_timer(d->vtimer);
	d->vtimer = NULL;
	close(d->vfd);
	d->vfd = -1;
	buf_reset(&d->vbuf);
}

static void
dash_version_clear(struct dash *d)
{
	free(d->version);
	free(d->version_error);
	d->version = d->version_error = NULL;
	d->vtook = 0;
}

/* The answer is in: keep it for this host and score it. */
static void
dash_version_done(struct dash *d)
{
	const char	*s;

	dash_version_clear(d);
	d->vtook = (long)(time(NULL) - d->vstarted);
	buf_addch(&d->vbuf, '\0');
	s = d->vbuf.data;
	if (s[0] == 'V' && s[1] != '\0') {
		d->version = xstrdup(s + 1);
		if (d->audit != NULL)
			audit_version_add(d->audit, 0, d->version);
	} else if (s[0] == 'E' && s[1] != '\0')
		d->version_error = xstrdup(s + 1);
	else
		d->version_error = xstrdup("the check ended without an answer");
	dash_version_stop(d, 0);
	tui_redraw();
}

static void
dash_version_input(int fd, int revents unused, void *arg)
{
	struct dash	*d = arg;
	char		 chunk[512];
	ssize_t		 n;

	n = read(fd, chunk, sizeof chunk);
	if (n > 0) {
		if (d->vbuf.len < 4096)
			buf_add(&d->vbuf, chunk, (size_t)n);
		return;
	}
	if (n == -1 && (errno == EINTR || errno == EAGAIN))
		return;
	dash_version_done(d);
}

static void
dash_version_timeout(void *arg)
{
	struct dash	*d = arg;

	dash_version_stop(d, 1);
	dash_version_clear(d);
	d->vtook = (long)(time(NULL) - d->vstarted);
	d->version_error = xasprintf("the check did not end within %d s",
	    DASH_VERSION_KILL_MS / 1000);
	tui_redraw();
}

/*
 * Start the check unless one runs.  Over SSH the session cannot be shared
 * with a child: the child makes a second connection, asking nothing.
 */
static void
dash_version_start(struct dash *d)
{
	int	fds[2];
	pid_t	pid;

	if (d->vpid != -1)
		return;
	dash_version_clear(d);
	d->vgen = tui_host_generation();
	if (pipe2(fds, O_CLOEXEC) != 0) {
		d->version_error = xasprintf("pipe: %s", strerror(errno));
		return;
	}
	if ((pid = fork()) == -1) {
		d->version_error = xasprintf("fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return;
	}
	if (pid == 0) {
		close(fds[0]);
		dash_version_child(fds[1]);
	}
	close(fds[1]);
	(void)fcntl(fds[0], F_SETFL, O_NONBLOCK);
	d->vpid = pid;
	d->vfd = fds[0];
	d->vstarted = time(NULL);
	d->vev = tui_add_fd(fds[0], dash_version_input, d);
	d->vtimer = tui_add_timer(DASH_VERSION_KILL_MS, dash_version_timeout,
	    d);
}

/*
 * The audit's static checks: on open, r and after commands, not on the
 * two-second timer (they read every file sendmail trusts).  The version
 * is asked once per host, again on r after a failure.
 */
static void
dash_audit(struct dash *d)
{
	struct host			*h = tui_host();
	const struct audit_finding	*f;
	int				 bg, flags = 0;

	audit_free(d->audit);
	d->audit = NULL;
	free(d->audit_error);
	d->audit_error = NULL;
	/* The version in a child: here, or over a second SSH connection. */
	bg = strcmp(h->t->ops->name, "local") == 0 || transport_is_ssh(h->t);
	if (d->vgen != tui_host_generation()) {
		dash_version_stop(d, 1);
		dash_version_clear(d);
		d->vgen = tui_host_generation();
	}
	if (bg)
		flags |= AUDIT_NO_VERSION;
	if (audit_run(h, flags, &d->audit, &d->audit_error) != 0) {
		if (d->audit_error == NULL)
			d->audit_error = xstrdup("unknown error");
		return;
	}
	if (!bg)
		return;
	f = audit_find(d->audit, "hostname");
	if (d->version != NULL)
		audit_version_add(d->audit, 0, d->version);
	else if (f != NULL && f->severity == AUDIT_MEDIUM) {
		/* It would sleep 60 s on the host name: do not wait. */
		dash_version_stop(d, 1);
		dash_version_clear(d);
		d->version_error = xstrdup("not asked: sendmail would sleep "
		    "60 s on the host name (see Problems)");
	} else
		dash_version_start(d);
}

/* ---- the list: problems first, then the files ---- */

static size_t
dash_nrows(void *arg)
{
	struct dash	*d = arg;

	return d->missing.n + d->paths.n;
}

static void
dash_draw_row(void *arg, size_t i, struct wlist_row *row)
{
	struct dash	*d = arg;
	const char	*m, *colon;

	if (i < d->missing.n) {
		/* "mc: /x/sendmail.mc does not exist" */
		m = d->missing.v[i];
		wlist_row_style(row, TS_BAD);
		if ((colon = strstr(m, ": ")) != NULL) {
			wlist_cellf(row, "%.*s", (int)(colon - m), m);
			wlist_cell(row, colon + 2);
		} else {
			wlist_cell(row, "problem");
			wlist_cell(row, m);
		}
		return;
	}
	i -= d->missing.n;
	wlist_cell(row, d->names.v[i]);
	wlist_cell(row, d->paths.v[i]);
}

static int
dash_row_key(void *arg, size_t i, int key)
{
	struct dash	*d = arg;
	struct buf	 text = BUF_INIT;
	struct tstat	 ts;
	const char	*path;
	char		*cause = NULL;

	if (key != TUI_KEY_ENTER)
		return 0;
	if (i < d->missing.n && d->host_problem != NULL &&
	    strncmp(d->missing.v[i], "hostname: ", 10) == 0) {
		view_text_open("Host name", d->host_problem,
		    strlen(d->host_problem));
		return 1;
	}
	if (i < d->missing.n) {
		tui_error("%s", d->missing.v[i]);
		return 1;
	}
	path = d->paths.v[i - d->missing.n];
	if (transport_stat(tui_host()->t, path, 1, &ts, &cause) != 0)
		goto fail;
	if (ts.type != TS_REG) {
		tui_error("%s: %s", path, ts.type == TS_NONE ?
		    "does not exist" : "not a regular file");
		return 1;
	}
	if (transport_read_file(tui_host()->t, path, &text, DASH_MAX_FILE,
	    &cause) != 0)
		goto fail;
	view_text_open(path, text.data, text.len);
	buf_release(&text);
	return 1;
fail:
	tui_error("%s", cause);
	free(cause);
	buf_release(&text);
	return 1;
}

static const struct wlist_ops dash_wlist_ops = {
	dash_nrows, dash_draw_row, dash_row_key, NULL, NULL, NULL
};

/* ---- drawing ---- */

static void
dash_uptime(char *s, size_t len, time_t started)
{
	long	t = (long)(time(NULL) - started);

	if (t < 0)
		t = 0;
	if (t >= 86400)
		snprintf(s, len, "%ldd %02ldh", t / 86400, t % 86400 / 3600);
	else if (t >= 3600)
		snprintf(s, len, "%ldh %02ldm", t / 3600, t % 3600 / 60);
	else
		snprintf(s, len, "%ldm %02lds", t / 60, t % 60);
}

/* One "Label   value" line; returns the column where the value starts. */
static int
dash_label(int y, int x, int w, const char *label)
{
	tui_put(y, x + 1, DASH_LABEL, TS_LABEL, label);
	return x + DASH_LABEL + 3 < x + w ? x + DASH_LABEL + 3 : x + w;
}

static void
dash_draw_queue(int y, int x, int w, const char *label,
    const struct queue_counts *qc, const char *error, size_t ndirs)
{
	int	vx = dash_label(y, x, w, label);

	if (ndirs == 0)
		tui_put(y, vx, x + w - vx, TS_DIM, "not configured");
	else if (error != NULL)
		tui_put(y, vx, x + w - vx, TS_WARN, error);
	else
		tui_putf(y, vx, x + w - vx, qc->messages > 0 ? TS_WARN :
		    TS_NORMAL, "%ld message%s, %ld quarantined, %ld lost",
		    qc->messages, qc->messages == 1 ? "" : "s",
		    qc->quarantined, qc->lost);
}

static void
dash_draw_daemon(struct dash *d, int y, int x, int w)
{
	const struct daemon_status	*st = &d->st;
	char				 up[32];
	int				 vx, used;

	vx = dash_label(y, x, w, "Daemon");
	if (d->st_error != NULL) {
		tui_putf(y, vx, x + w - vx, TS_WARN, "unknown: %s",
		    d->st_error);
		return;
	}
	if (st->running) {
		used = tui_put(y, vx, x + w - vx, TS_GOOD, "running");
		if (st->started != 0) {
			dash_uptime(up, sizeof up, st->started);
			tui_putf(y, vx + used, x + w - vx - used, TS_NORMAL,
			    ", pid %ld, up %s", (long)st->pid, up);
		} else
			tui_putf(y, vx + used, x + w - vx - used, TS_NORMAL,
			    ", pid %ld", (long)st->pid);
		return;
	}
	used = tui_put(y, vx, x + w - vx, TS_BAD, "not running");
	if (st->stale)
		tui_putf(y, vx + used, x + w - vx - used, TS_NORMAL,
		    " (stale pid file: pid %ld)", (long)st->pid);
}

/* The version line: the answer, "checking...", or why there is none. */
static void
dash_draw_version(struct dash *d, int y, int x, int w)
{
	int	vx = dash_label(y, x, w, "Version"), used;

	if (d->vpid != -1) {
		tui_putf(y, vx, x + w - vx, TS_DIM, "checking... (sendmail "
		    "-bt -d0.1, %lds; the audit score waits for it)",
		    (long)(time(NULL) - d->vstarted));
		return;
	}
	if (d->version != NULL)
		used = tui_putf(y, vx, x + w - vx, TS_NORMAL, "sendmail %s",
		    d->version);
	else if (d->version_error != NULL &&
	    d->vtook >= AUDIT_VERSION_TIMEOUT / 1000) {
		tui_putf(y, vx, x + w - vx, TS_WARN, "timed out after %lds "
		    "(sendmail -bt -d0.1; usually %s)", d->vtook,
		    dash_slow_why);
		return;
	} else if (d->version_error != NULL)
		used = tui_putf(y, vx, x + w - vx, TS_WARN, "unknown: %s",
		    d->version_error);
	else
		return;
	if (d->vtook >= DASH_SLOW)
		tui_putf(y, vx + used, x + w - vx - used, TS_DIM,
		    " (took %lds: %s?)", d->vtook, dash_slow_why);
}

static void
dash_draw(struct tui_view *v, int y, int x, int h, int w)
{
	struct dash		*d = v->data;
	struct host		*host = tui_host();
	const struct profile	*p = host->prof;
	char			*s;
	int			 vx, row = y, end = y + h;

	if (row < end) {
		vx = dash_label(row, x, w, "Host");
		tui_put(row, vx, x + w - vx, TS_NORMAL, host->t->name);
		row++;
	}
	if (row < end) {
		vx = dash_label(row, x, w, "Profile");
		s = p->layout_why == NULL ? xstrdup(p->origin) :
		    xasprintf("%s (detected: %s)", p->origin, p->layout_why);
		vx += tui_putn(row, vx, x + w - vx, TS_NORMAL, s, strlen(s),
		    TUI_LEFT, 0);
		if (p->sandbox)
			tui_put(row, vx, x + w - vx, TS_DIM, " [sandbox]");
		free(s);
		row++;
	}
	if (row < end)
		dash_draw_daemon(d, row++, x, w);
	if (row < end) {
		vx = dash_label(row, x, w, "Listening");
		if (d->st.running && d->st.listen.n > 0) {
			s = strv_join(&d->st.listen, " ");
			tui_put(row, vx, x + w - vx, TS_NORMAL, s);
			free(s);
		} else if (p->listen != NULL)
			tui_putf(row, vx, x + w - vx, TS_NORMAL,
			    "%s (configured)", p->listen);
		else
			tui_put(row, vx, x + w - vx, TS_DIM, "-");
		row++;
	}
	if (row < end)
		dash_draw_queue(row++, x, w, "MTA queue", &d->mta,
		    d->mta_error, p->queue_dirs.n);
	if (row < end)
		dash_draw_queue(row++, x, w, "Submit queue", &d->submit,
		    d->submit_error, p->submit_queue_dirs.n);
	if (row < end && p->syslog_pid_file != NULL) {
		vx = dash_label(row, x, w, "Log receiver");
		if (d->st.log_receiver)
			tui_putf(row, vx, x + w - vx, TS_GOOD, "running, "
			    "pid %ld", (long)d->st.log_receiver_pid);
		else
			tui_put(row, vx, x + w - vx, TS_BAD, "not running");
		row++;
	}
	if (row < end) {
		vx = dash_label(row, x, w, "Audit");
		if (d->audit_error != NULL)
			tui_put(row, vx, x + w - vx, TS_WARN, d->audit_error);
		else if (d->audit != NULL)
			tui_putf(row, vx, x + w - vx, audit_worst(d->audit) >=
			    AUDIT_MEDIUM ? TS_BAD : TS_GOOD, "score %d/100: "
			    "%zu high, %zu medium, %zu low (A for details)",
			    audit_score(d->audit), audit_count(d->audit,
			    AUDIT_HIGH), audit_count(d->audit, AUDIT_MEDIUM),
			    audit_count(d->audit, AUDIT_LOW));
		row++;
	}
	if (row < end && d->audit != NULL &&
	    (strcmp(host->t->ops->name, "local") == 0 ||
	    transport_is_ssh(host->t)))
		dash_draw_version(d, row++, x, w);
	if (row < end) {
		vx = dash_label(row, x, w, "Problems");
		if (d->pending != NULL)
			tui_putf(row, vx, x + w - vx, TS_BAD, "an apply died "
			    "half-way (backup %s)%s", d->pending,
			    d->missing.n > 1 ? "; files missing (below)" : "");
		else if (d->missing.n == 0)
			tui_put(row, vx, x + w - vx, TS_GOOD, "none");
		else
			tui_putf(row, vx, x + w - vx, TS_BAD, "%zu (listed "
			    "first below; Enter says more)", d->missing.n);
		row++;
	}
	row++;
	if (row < end)
		wlist_draw(d->wl, row, x, end - row, w);
}

/* ---- the view ---- */

static void
dash_reload(struct tui_view *v)
{
	dash_audit(v->data);
	dash_load(v->data);
}

static void
dash_timer(void *arg)
{
	struct dash	*d = arg;

	if (tui_view_top() == d->view && !tui_prompt_active())
		dash_load(d);
}

static int
dash_key(struct tui_view *v, int key)
{
	struct dash	*d = v->data;

	return wlist_key(d->wl, key);
}

static void
dash_action(struct tui_view *v, int action)
{
	if (action == DA_REFRESH) {
		dash_audit(v->data);
		dash_load(v->data);
	} else if (action == DA_AUDIT)
		view_audit_open();
	else if (action == DA_TABLES)
		view_maps_open();
	else if (action == DA_LOG)
		view_log_open();
	else if (action == DA_DAEMON)
		view_daemon_open();
	else if (action == DA_QUEUE)
		view_queue_open();
	else if (action == DA_MC)
		view_mc_open();
	else if (action == DA_HOSTS)
		view_hosts_open();
}

static void
dash_free(struct tui_view *v)
{
	struct dash	*d = v->data;

	tui_remove_timer(d->timer);
	dash_version_stop(d, 1);
	dash_version_clear(d);
	buf_release(&d->vbuf);
	wlist_free(d->wl);
	dash_clear(d);
	audit_free(d->audit);
	free(d->audit_error);
	strv_release(&d->names);
	strv_release(&d->paths);
	free(d);
}

static const struct tui_view_ops dash_ops = {
	"dashboard", dash_bindings, dash_draw, dash_key, dash_action,
	dash_reload, dash_free
};

void
view_dashboard_open(void)
{
	struct dash	*d;

	d = xcalloc(1, sizeof *d);
	d->vpid = -1;
	d->vfd = -1;
	buf_init(&d->vbuf);
	daemon_status_init(&d->st);
	strv_init(&d->missing);
	strv_init(&d->names);
	strv_init(&d->paths);
	dash_paths(d, tui_host()->prof);
	d->wl = wlist_create(&dash_wlist_ops, d, dash_columns,
	    nitems(dash_columns), WLIST_HEADER);
	d->view = tui_view_push(&dash_ops, d, "Dashboard");
	dash_audit(d);
	dash_load(d);
	d->timer = tui_add_timer(DASH_REFRESH_MS, dash_timer, d);
}
