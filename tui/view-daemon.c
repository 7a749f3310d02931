/*
 * view-daemon.c -- the daemon panel: whether sendmail runs, since when,
 * where it listens, its command line and LogLevel, and what it says on its
 * control socket; keys start, stop and reload it (the commands ask first)
 * and open the log.  Reloaded every two seconds while on top.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../backend/daemon.h"
#include "tui.h"

#define DAEMON_VIEW_MS	2000
#define DAEMON_LABEL	12

enum {
	DV_REFRESH = 1,
	DV_LOG
};

struct daemon_view {
	struct tui_view		*view;
	struct tui_timer	*timer;
	struct daemon_status	 st;
	char			*error;
	struct daemon_control	 dc;
	char			*dc_error;
	int			 asked;
};

static const struct tui_binding daemon_bindings[] = {
	{ 's', "Start", "daemon start", 0, NULL },
	{ 'S', "Stop", "daemon stop", 0, NULL },
	{ 'R', "Reload", "daemon reload", 0, NULL },
	{ 'l', "Log", NULL, DV_LOG, "The mail log, live" },
	{ 'r', NULL, NULL, DV_REFRESH, "Reload the status now" },
	{ 0, NULL, NULL, 0, NULL }
};

static void
daemon_view_load(struct daemon_view *dv)
{
	struct host	*h = tui_host();

	daemon_status_release(&dv->st);
	daemon_control_release(&dv->dc);
	free(dv->error);
	free(dv->dc_error);
	dv->error = dv->dc_error = NULL;
	dv->asked = 0;
	if (daemon_status(h, &dv->st, &dv->error) != 0 && dv->error == NULL)
		dv->error = xstrdup("unknown error");
	if (dv->error == NULL && dv->st.running &&
	    dv->st.control_socket != NULL) {
		dv->asked = 1;
		daemon_control_status(h, &dv->st, &dv->dc, &dv->dc_error);
	}
	tui_redraw();
}

static int
daemon_view_label(int y, int x, int w, const char *label)
{
	tui_put(y, x + 1, DAEMON_LABEL, TS_LABEL, label);
	return x + DAEMON_LABEL + 3 < x + w ? x + DAEMON_LABEL + 3 : x + w;
}

static void
daemon_view_draw(struct tui_view *v, int y, int x, int h, int w)
{
	struct daemon_view	*dv = v->data;
	const struct daemon_status *st = &dv->st;
	const struct profile	*p = tui_host()->prof;
	long			 up;
	char			*s;
	size_t			 i;
	int			 vx, row = y, end = y + h, used;

	if (row < end) {
		vx = daemon_view_label(row, x, w, "Daemon");
		if (dv->error != NULL)
			tui_putf(row, vx, x + w - vx, TS_WARN, "unknown: %s",
			    dv->error);
		else if (st->running) {
			used = tui_put(row, vx, x + w - vx, TS_GOOD, "running");
			up = st->started != 0 ? (long)(time(NULL) -
			    st->started) : -1;
			if (up >= 0)
				tui_putf(row, vx + used, x + w - vx - used,
				    TS_NORMAL, ", pid %ld, up %ldh%02ldm%02lds",
				    (long)st->pid, up / 3600, up % 3600 / 60,
				    up % 60);
			else
				tui_putf(row, vx + used, x + w - vx - used,
				    TS_NORMAL, ", pid %ld", (long)st->pid);
		} else if (st->stale)
			tui_putf(row, vx, x + w - vx, TS_BAD, "not running: "
			    "stale pid file (%s)", st->why);
		else
			tui_put(row, vx, x + w - vx, TS_BAD, "not running");
		row++;
	}
	if (row < end) {
		vx = daemon_view_label(row, x, w, "Listening");
		if (st->running && st->listen.n > 0) {
			s = strv_join(&st->listen, " ");
			tui_put(row, vx, x + w - vx, TS_NORMAL, s);
			free(s);
		} else
			tui_put(row, vx, x + w - vx, TS_DIM, p->listen != NULL ?
			    p->listen : "-");
		row++;
	}
	if (row < end) {
		vx = daemon_view_label(row, x, w, "Command");
		tui_putn(row, vx, x + w - vx, st->pid_file_cmd != NULL ?
		    TS_NORMAL : TS_DIM, st->pid_file_cmd != NULL ?
		    st->pid_file_cmd : "-", strlen(st->pid_file_cmd != NULL ?
		    st->pid_file_cmd : "-"), TUI_ELLIPSIS, 0);
		row++;
	}
	if (row < end) {
		vx = daemon_view_label(row, x, w, "LogLevel");
		if (st->loglevel >= 0)
			tui_putf(row, vx, x + w - vx, TS_NORMAL, "%d%s",
			    st->loglevel, st->loglevel >= 15 ?
			    " (SMTP conversations logged)" : "");
		else
			tui_put(row, vx, x + w - vx, TS_DIM, "not set (9)");
		row++;
	}
	if (row < end) {
		vx = daemon_view_label(row, x, w, "Control");
		if (st->control_socket == NULL)
			tui_put(row, vx, x + w - vx, TS_DIM,
			    "no ControlSocketName in the cf");
		else if (!dv->asked)
			tui_putn(row, vx, x + w - vx, TS_DIM,
			    st->control_socket, strlen(st->control_socket),
			    TUI_LEFT, 0);
		else if (dv->dc_error != NULL)
			tui_put(row, vx, x + w - vx, TS_WARN, dv->dc_error);
		else
			tui_putf(row, vx, x + w - vx, TS_NORMAL,
			    "%ld children (max %ld), load %ld, %lld blocks free",
			    dv->dc.children, dv->dc.max_children, dv->dc.load,
			    dv->dc.free_blocks);
		row++;
	}
	for (i = 0; dv->asked && dv->dc_error == NULL &&
	    i < dv->dc.child_list.n && row < end; i++)
		tui_put(row++, x + DAEMON_LABEL + 5, w - DAEMON_LABEL - 5,
		    TS_DIM, dv->dc.child_list.v[i]);
	if (row < end && p->syslog_pid_file != NULL) {
		vx = daemon_view_label(row, x, w, "Log receiver");
		if (st->log_receiver)
			tui_putf(row, vx, x + w - vx, TS_GOOD, "running, "
			    "pid %ld", (long)st->log_receiver_pid);
		else
			tui_put(row, vx, x + w - vx, TS_BAD, "not running");
		row++;
	}
	if (row < end) {
		vx = daemon_view_label(row, x, w, "Mail log");
		tui_putn(row, vx, x + w - vx, TS_NORMAL, p->mail_log != NULL ?
		    p->mail_log : "-", strlen(p->mail_log != NULL ?
		    p->mail_log : "-"), TUI_LEFT, 0);
	}
}

static void
daemon_view_timer(void *arg)
{
	struct daemon_view	*dv = arg;

	if (tui_view_top() == dv->view && !tui_prompt_active())
		daemon_view_load(dv);
}

static void
daemon_view_reload(struct tui_view *v)
{
	daemon_view_load(v->data);
}

static void
daemon_view_action(struct tui_view *v, int action)
{
	if (action == DV_REFRESH)
		daemon_view_load(v->data);
	else if (action == DV_LOG)
		view_log_open();
}

static void
daemon_view_free(struct tui_view *v)
{
	struct daemon_view	*dv = v->data;

	tui_remove_timer(dv->timer);
	daemon_status_release(&dv->st);
	daemon_control_release(&dv->dc);
	free(dv->error);
	free(dv->dc_error);
	free(dv);
}

static const struct tui_view_ops daemon_view_ops = {
	"daemon", daemon_bindings, daemon_view_draw, NULL, daemon_view_action,
	daemon_view_reload, daemon_view_free
};

void
view_daemon_open(void)
{
	struct daemon_view	*dv;

	dv = xcalloc(1, sizeof *dv);
	daemon_status_init(&dv->st);
	daemon_control_init(&dv->dc);
	dv->view = tui_view_push(&daemon_view_ops, dv, "Daemon");
	daemon_view_load(dv);
	dv->timer = tui_add_timer(DAEMON_VIEW_MS, daemon_view_timer, dv);
}
