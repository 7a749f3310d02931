/*
 * view-hosts.c -- the Hosts screen: the hosts of smadm's list (or of
 * ~/.ssh/config) with, for each, the daemon, the MTA and submit queue
 * counts, the deferred count and the newest last error (backend/fleet.h).
 * The hosts are asked in parallel in a thread of their own, so the
 * console stays responsive; the screen fills in when they have answered.
 * Enter switches the console to the host under the cursor.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../backend/fleet.h"
#include "../cli/cmd.h"
#include "tui.h"
#include "widget-list.h"

enum {
	HV_RELOAD = 1
};

/* One round of asking, shared with its thread until it is done. */
struct hosts_job {
	pthread_mutex_t		 lock;
	int			 done;
	int			 orphan;	/* the view went away first */
	struct fleet_host	*v;
	size_t			 n;
	struct ssh_opts		 opts;
};

struct hosts_view {
	struct wlist		*wl;
	struct fleet_host	*v;		/* the list shown */
	size_t			 n;
	int			 asking;
	struct hosts_job	*job;
	struct tui_timer	*timer;
};

static const struct tui_binding hosts_bindings[] = {
	{ TUI_KEY_ENTER, "Switch", NULL, 0,
	    "Manage the host under the cursor in this console" },
	{ 'r', "Ask again", NULL, HV_RELOAD, "Ask every host again" },
	{ 0, NULL, NULL, 0, NULL }
};

static const struct wlist_column hosts_columns[] = {
	{ "Host", 18, 0 },
	{ "Daemon", 8, 0 },
	{ "MTA", 6, WLIST_COL_RIGHT },
	{ "Submit", 6, WLIST_COL_RIGHT },
	{ "Deferred", 8, WLIST_COL_RIGHT },
	{ "Last error", 0, 0 }
};

static void
hosts_job_free(struct hosts_job *j)
{
	fleet_free(j->v, j->n);
	pthread_mutex_destroy(&j->lock);
	free(j);
}

static void *
hosts_job_run(void *arg)
{
	struct hosts_job	*j = arg;
	int			 orphan;

	fleet_query(j->v, j->n, &j->opts);
	pthread_mutex_lock(&j->lock);
	j->done = 1;
	orphan = j->orphan;
	pthread_mutex_unlock(&j->lock);
	if (orphan)
		hosts_job_free(j);
	return NULL;
}

static void
hosts_poll(void *arg)
{
	struct hosts_view	*hv = arg;
	struct hosts_job	*j = hv->job;
	int			 done;

	if (j == NULL)
		return;
	pthread_mutex_lock(&j->lock);
	done = j->done;
	pthread_mutex_unlock(&j->lock);
	if (!done)
		return;
	/* The answers become the list shown. */
	fleet_free(hv->v, hv->n);
	hv->v = j->v;
	hv->n = j->n;
	j->v = NULL;
	j->n = 0;
	hosts_job_free(j);
	hv->job = NULL;
	hv->asking = 0;
	tui_remove_timer(hv->timer);
	hv->timer = NULL;
	wlist_changed(hv->wl);
	tui_redraw();
}

static void
hosts_ask(struct hosts_view *hv)
{
	struct hosts_job	*j;
	pthread_t		 th;
	size_t			 i;

	if (hv->asking)
		return;
	j = xcalloc(1, sizeof *j);
	pthread_mutex_init(&j->lock, NULL);
	for (i = 0; i < hv->n; i++)
		fleet_add(&j->v, &j->n, hv->v[i].spec, hv->v[i].root);
	if (tui_ssh_opts() != NULL)
		j->opts = *tui_ssh_opts();
	else
		ssh_opts_init(&j->opts);
	if (pthread_create(&th, NULL, hosts_job_run, j) != 0) {
		tui_error("cannot start a thread to ask the hosts");
		hosts_job_free(j);
		return;
	}
	pthread_detach(th);
	hv->job = j;
	hv->asking = 1;
	hv->timer = tui_add_timer(100, hosts_poll, hv);
}

static size_t
hosts_nrows(void *arg)
{
	struct hosts_view	*hv = arg;

	return hv->n;
}

/*
 * The host's name, and when another entry has the same name (two profile
 * directories on one host), the last part of its profile directory too.
 */
static char *
hosts_name(const struct hosts_view *hv, size_t i)
{
	const struct fleet_host	*fh = &hv->v[i];
	const char		*b, *e;
	size_t			 k;

	if (fh->root == NULL)
		return xstrdup(fh->spec);
	for (k = 0; k < hv->n; k++)
		if (k != i && strcmp(hv->v[k].spec, fh->spec) == 0)
			break;
	if (k == hv->n)
		return xstrdup(fh->spec);
	e = fh->root + strlen(fh->root);
	while (e > fh->root + 1 && e[-1] == '/')
		e--;
	for (b = e; b > fh->root && b[-1] != '/'; b--)
		;
	return xasprintf("%s %.*s", fh->spec, (int)(e - b), b);
}

static void
hosts_draw_row(void *arg, size_t i, struct wlist_row *row)
{
	struct hosts_view	*hv = arg;
	struct fleet_host	*fh = &hv->v[i];
	char			*name;

	name = hosts_name(hv, i);
	wlist_cell(row, name);
	free(name);
	if (hv->asking) {
		wlist_cell(row, "...");
		return;
	}
	if (!fh->ok) {
		wlist_cell(row, "error");
		wlist_cell(row, "");
		wlist_cell(row, "");
		wlist_cell(row, "");
		wlist_cell(row, fh->error != NULL ? fh->error : "");
		return;
	}
	wlist_cell(row, fh->running ? "running" : "stopped");
	wlist_cellf(row, "%ld", fh->mta);
	wlist_cellf(row, "%ld", fh->submit);
	wlist_cellf(row, "%ld", fh->deferred);
	wlist_cell(row, fh->last_error != NULL ? fh->last_error : "-");
}

static const struct wlist_ops hosts_wlist_ops = {
	hosts_nrows, hosts_draw_row, NULL, NULL, NULL, NULL
};

static void
hosts_draw(struct tui_view *v, int y, int x, int h, int w)
{
	struct hosts_view	*hv = v->data;

	if (hv->n == 0) {
		tui_put(y, x, w, TS_DIM, "no hosts: list them in "
		    "~/.config/smadm/hosts (SPEC [DIR]) or ~/.ssh/config");
		return;
	}
	wlist_draw(hv->wl, y, x, h, w);
}

static int
hosts_key(struct tui_view *v, int key)
{
	struct hosts_view	*hv = v->data;
	struct fleet_host	*fh;
	struct ssh_opts		 so;
	struct host		*h;
	char			*cause = NULL;

	if (key != TUI_KEY_ENTER)
		return wlist_key(hv->wl, key);
	if (hv->n == 0)
		return 1;
	fh = &hv->v[wlist_cursor(hv->wl)];
	if (tui_ssh_opts() != NULL)
		so = *tui_ssh_opts();
	else
		ssh_opts_init(&so);
	/* Questions (passwords, an unknown key) on the lent terminal. */
	so.spec = fh->spec;
	if ((h = host_open_ssh(&so, fh->root, &cause)) == NULL) {
		tui_error("%s", cause);
		free(cause);
		return 1;
	}
	tui_switch_host(h);
	tui_message("now managing %s", fh->spec);
	return 1;
}

static void
hosts_action(struct tui_view *v, int action)
{
	if (action == HV_RELOAD)
		hosts_ask(v->data);
}

static void
hosts_free(struct tui_view *v)
{
	struct hosts_view	*hv = v->data;
	struct hosts_job	*j = hv->job;
	int			 done = 1;

	if (j != NULL) {
		pthread_mutex_lock(&j->lock);
		done = j->done;
		if (!done)
			j->orphan = 1;	/* its thread frees it */
		pthread_mutex_unlock(&j->lock);
		if (done)
			hosts_job_free(j);
	}
	tui_remove_timer(hv->timer);
	fleet_free(hv->v, hv->n);
	wlist_free(hv->wl);
	free(hv);
}

static const struct tui_view_ops hosts_ops = {
	"hosts", hosts_bindings, hosts_draw, hosts_key, hosts_action, NULL,
	hosts_free
};

void
view_hosts_open(void)
{
	struct hosts_view	*hv;

	hv = xcalloc(1, sizeof *hv);
	hv->wl = wlist_create(&hosts_wlist_ops, hv, hosts_columns,
	    nitems(hosts_columns), WLIST_HEADER);
	fleet_hosts(&hv->v, &hv->n);
	tui_view_push(&hosts_ops, hv, "Hosts");
	hosts_ask(hv);
}
