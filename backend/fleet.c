/*
 * fleet.c -- the host list and the parallel status of several hosts
 * (fleet.h).  Each host gets its own thread and SSH connection: nothing
 * is shared between them but the read-only options.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "daemon.h"
#include "fleet.h"
#include "host.h"
#include "queue.h"

void
fleet_add(struct fleet_host **v, size_t *n, const char *spec, const char *root)
{
	struct fleet_host	*fh;

	*v = xreallocarray(*v, *n + 1, sizeof **v);
	fh = &(*v)[(*n)++];
	memset(fh, 0, sizeof *fh);
	fh->spec = xstrdup(spec);
	fh->root = root != NULL && *root != '\0' ? xstrdup(root) : NULL;
}

/* The lines of a local file, split into words; 0 when it is absent. */
static int
fleet_read(struct transport *t, const char *path, struct buf *b)
{
	char	*cause = NULL;

	if (transport_read_file(t, path, b, 0, &cause) != 0) {
		free(cause);
		return 0;
	}
	return 1;
}

size_t
fleet_hosts(struct fleet_host **v, size_t *n)
{
	struct transport	*t;
	struct buf		 b = BUF_INIT;
	struct strv		 w = STRV_INIT;
	char			*home, *path, *line, *next;
	size_t			 i, before = *n;

	home = ssh_user_home();
	t = transport_local_create();
	path = xasprintf("%s/.config/smadm/hosts", home);
	if (fleet_read(t, path, &b)) {
		for (line = b.data; line != NULL && *line != '\0'; line = next) {
			if ((next = strchr(line, '\n')) != NULL)
				*next++ = '\0';
			strv_release(&w);
			strv_split_ws(&w, line);
			if (w.n == 0 || w.v[0][0] == '#')
				continue;
			fleet_add(v, n, w.v[0], w.n > 1 ? w.v[1] : NULL);
		}
	}
	free(path);
	if (*n == before) {
		buf_reset(&b);
		path = xasprintf("%s/.ssh/config", home);
		if (fleet_read(t, path, &b)) {
			for (line = b.data; line != NULL && *line != '\0';
			    line = next) {
				if ((next = strchr(line, '\n')) != NULL)
					*next++ = '\0';
				strv_release(&w);
				strv_split_ws(&w, line);
				if (w.n < 2 || strcasecmp(w.v[0], "Host") != 0)
					continue;
				for (i = 1; i < w.n; i++)
					if (strpbrk(w.v[i], "*?!") == NULL)
						fleet_add(v, n, w.v[i], NULL);
			}
		}
		free(path);
	}
	strv_release(&w);
	buf_release(&b);
	transport_free(t);
	free(home);
	return *n - before;
}

struct fleet_job {
	struct fleet_host	*fh;
	const struct ssh_opts	*base;
	pthread_t		 thread;
	int			 started;
};

static void *
fleet_ask(void *arg)
{
	struct fleet_job	*j = arg;
	struct fleet_host	*fh = j->fh;
	struct ssh_opts		 so = *j->base;
	struct host		*h;
	struct daemon_status	 st;
	struct queue_counts	 qc;
	struct queue_list	 ql;
	time_t			 last = 0;
	size_t			 i;

	so.spec = fh->spec;
	so.prompt = NULL;
	so.ask_host_key = 0;
	/* Hosts are asked from threads: nothing may print from here. */
	so.notice = NULL;
	if ((h = host_open_ssh(&so, fh->root, &fh->error)) == NULL)
		return NULL;
	memset(&st, 0, sizeof st);
	if (daemon_status(h, &st, &fh->error) != 0)
		goto out;
	fh->running = st.running;
	fh->pid = (long)st.pid;
	daemon_status_release(&st);
	memset(&qc, 0, sizeof qc);
	if (queue_count(h, &h->prof->submit_queue_dirs, &qc, &fh->error) != 0)
		goto out;
	fh->submit = qc.messages;
	queue_list_init(&ql);
	if (queue_list_read(h, QUEUE_WANT_MTA, 0, &ql, &fh->error) != 0) {
		queue_list_release(&ql);
		goto out;
	}
	fh->mta = (long)ql.n;
	for (i = 0; i < ql.n; i++) {
		if (ql.v[i]->status == NULL || *ql.v[i]->status == '\0')
			continue;
		fh->deferred++;
		if (ql.v[i]->atime >= last) {
			last = ql.v[i]->atime;
			free(fh->last_error);
			fh->last_error = xstrdup(ql.v[i]->status);
		}
	}
	queue_list_release(&ql);
	fh->ok = 1;
out:
	host_free(h);
	return NULL;
}

size_t
fleet_query(struct fleet_host *v, size_t n, const struct ssh_opts *o)
{
	struct fleet_job	*jobs;
	size_t			 i, failed = 0;

	fleet_reset(v, n);
	jobs = xcalloc(n, sizeof *jobs);
	for (i = 0; i < n; i++) {
		jobs[i].fh = &v[i];
		jobs[i].base = o;
		jobs[i].started = pthread_create(&jobs[i].thread, NULL,
		    fleet_ask, &jobs[i]) == 0;
		if (!jobs[i].started)
			fleet_ask(&jobs[i]);
	}
	for (i = 0; i < n; i++) {
		if (jobs[i].started)
			pthread_join(jobs[i].thread, NULL);
		if (!v[i].ok)
			failed++;
	}
	free(jobs);
	return failed;
}

void
fleet_reset(struct fleet_host *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(v[i].error);
		free(v[i].last_error);
		v[i].error = v[i].last_error = NULL;
		v[i].ok = v[i].running = 0;
		v[i].pid = v[i].mta = v[i].submit = v[i].deferred = 0;
	}
}

void
fleet_free(struct fleet_host *v, size_t n)
{
	size_t	i;

	fleet_reset(v, n);
	for (i = 0; i < n; i++) {
		free(v[i].spec);
		free(v[i].root);
	}
	free(v);
}
