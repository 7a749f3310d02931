/*
 * queue.c -- count what sendmail's queue directories hold (see queue.h).
 *
 * Only names are looked at: qf is a queued message, hf a quarantined one,
 * Qf one sendmail gave up on; tf (being written), df and xf are not
 * messages of their own.  sendmail renames and removes files all the time,
 * so a file that vanishes while we look is simply not counted.
 */
#include <fnmatch.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "queue.h"

static void
queue_count_names(const struct strv *names, struct queue_counts *qc)
{
	size_t	i;

	for (i = 0; i < names->n; i++) {
		const char *n = names->v[i];

		if (n[0] == '\0' || n[1] != 'f' || n[2] == '\0')
			continue;
		switch (n[0]) {
		case 'q':
			qc->messages++;
			break;
		case 'h':
			qc->quarantined++;
			break;
		case 'Q':
			qc->lost++;
			break;
		}
	}
}

/* One queue directory: its own files and those of a qf/ subdirectory. */
static int
queue_count_dir(struct host *h, const char *dir, struct queue_counts *qc,
    char **cause)
{
	struct strv	 names = STRV_INIT;
	struct tstat	 st;
	char		*sub;
	int		 rc = -1;

	if (transport_list_dir(h->t, dir, &names, cause) != 0)
		return -1;
	queue_count_names(&names, qc);
	qc->dirs++;
	sub = xasprintf("%s/qf", dir);
	if (transport_stat(h->t, sub, 0, &st, cause) != 0)
		goto out;
	if (st.type == TS_DIR) {
		strv_release(&names);
		if (transport_list_dir(h->t, sub, &names, cause) != 0) {
			/* Removed while we looked: nothing in it. */
			if (transport_exists(h->t, sub))
				goto out;
			free(*cause);
			*cause = NULL;
		} else
			queue_count_names(&names, qc);
	}
	rc = 0;
out:
	free(sub);
	strv_release(&names);
	return rc;
}

/* A last component with * or ? names several queue groups. */
static int
queue_count_glob(struct host *h, const char *pattern, struct queue_counts *qc,
    char **cause)
{
	struct strv	 names = STRV_INIT;
	struct tstat	 st;
	const char	*slash, *base;
	char		*parent, *path;
	size_t		 i;
	int		 rc = -1;

	slash = strrchr(pattern, '/');
	parent = slash == NULL ? xstrdup(".") : slash == pattern ?
	    xstrdup("/") : xstrndup(pattern, (size_t)(slash - pattern));
	base = slash == NULL ? pattern : slash + 1;
	if (transport_list_dir(h->t, parent, &names, cause) != 0)
		goto out;
	strv_sort(&names);
	for (i = 0; i < names.n; i++) {
		if (fnmatch(base, names.v[i], FNM_PERIOD) != 0)
			continue;
		path = xasprintf("%s/%s", strcmp(parent, "/") == 0 ? "" :
		    parent, names.v[i]);
		if (transport_stat(h->t, path, 1, &st, cause) != 0 ||
		    (st.type == TS_DIR &&
		    queue_count_dir(h, path, qc, cause) != 0)) {
			free(path);
			goto out;
		}
		free(path);
	}
	rc = 0;
out:
	strv_release(&names);
	free(parent);
	return rc;
}

int
queue_count(struct host *h, const struct strv *dirs, struct queue_counts *qc,
    char **cause)
{
	const char	*base;
	size_t		 i;

	memset(qc, 0, sizeof *qc);
	for (i = 0; i < dirs->n; i++) {
		base = strrchr(dirs->v[i], '/');
		base = base != NULL ? base + 1 : dirs->v[i];
		if (strpbrk(base, "*?[") != NULL) {
			if (queue_count_glob(h, dirs->v[i], qc, cause) != 0)
				return -1;
		} else if (queue_count_dir(h, dirs->v[i], qc, cause) != 0)
			return -1;
	}
	return 0;
}

/*
 * Scanning.  Directory names that entries point to are kept for the life
 * of the program (a handful of strings), so entries can outlive scans.
 */
static const char *
queue_intern(const char *s)
{
	static pthread_mutex_t	 mtx = PTHREAD_MUTEX_INITIALIZER;
	static struct strv	 pool = STRV_INIT;
	const char		*found = NULL;
	size_t			 i;

	/* Scans run on the console's worker and on fleet's threads too. */
	pthread_mutex_lock(&mtx);
	for (i = 0; i < pool.n && found == NULL; i++)
		if (strcmp(pool.v[i], s) == 0)
			found = pool.v[i];
	if (found == NULL) {
		strv_push(&pool, s);
		found = pool.v[pool.n - 1];
	}
	pthread_mutex_unlock(&mtx);
	return found;
}

struct queue_job {
	enum queue_kind	 kind;
	const char	*queue;		/* as configured (may be a glob) */
	const char	*dir;		/* where the control files are */
	const char	*data_dir;	/* where the df files are */
};

struct queue_scan {
	struct host		*h;
	int			 flags;
	struct queue_job	*jobs;
	size_t			 njobs;
	size_t			 next;		/* next job to open */
	struct queue_job	*cur;
	struct tdir		*tdir;
	struct strv		 warnings;
	size_t			 files;
	queue_entry_cb		 cb;
	void			*cb_arg;
};

static const char *const queue_prefixes[] = { "qf", "hf", "Qf", NULL };

static int
queue_is_dir(struct host *h, const char *path)
{
	struct tstat	 st;
	char		*cause = NULL;

	if (transport_stat(h->t, path, 1, &st, &cause) != 0) {
		free(cause);
		return 0;
	}
	return st.type == TS_DIR;
}

static void
queue_add_job(struct queue_scan *qs, enum queue_kind kind, const char *queue,
    const char *dir)
{
	struct queue_job	*j;
	char			*qf, *df;

	qs->jobs = xreallocarray(qs->jobs, qs->njobs + 1, sizeof *qs->jobs);
	j = &qs->jobs[qs->njobs++];
	j->kind = kind;
	j->queue = queue_intern(queue);
	qf = xasprintf("%s/qf", dir);
	df = xasprintf("%s/df", dir);
	if (queue_is_dir(qs->h, qf)) {
		j->dir = queue_intern(qf);
		j->data_dir = queue_intern(queue_is_dir(qs->h, df) ? df : dir);
	} else
		j->dir = j->data_dir = queue_intern(dir);
	free(qf);
	free(df);
}

/* One configured directory, or every directory its wildcard matches. */
static void
queue_add_configured(struct queue_scan *qs, enum queue_kind kind,
    const char *pattern)
{
	struct strv	 names = STRV_INIT;
	const char	*slash, *base;
	char		*parent, *path, *cause = NULL;
	size_t		 i;

	slash = strrchr(pattern, '/');
	base = slash != NULL ? slash + 1 : pattern;
	if (strpbrk(base, "*?[") == NULL) {
		queue_add_job(qs, kind, pattern, pattern);
		return;
	}
	parent = slash == NULL ? xstrdup(".") : slash == pattern ?
	    xstrdup("/") : xstrndup(pattern, (size_t)(slash - pattern));
	if (transport_list_dir(qs->h->t, parent, &names, &cause) != 0) {
		strv_push_nocopy(&qs->warnings, cause);
		free(parent);
		return;
	}
	strv_sort(&names);
	for (i = 0; i < names.n; i++) {
		if (fnmatch(base, names.v[i], FNM_PERIOD) != 0)
			continue;
		path = xasprintf("%s/%s", strcmp(parent, "/") == 0 ? "" :
		    parent, names.v[i]);
		if (queue_is_dir(qs->h, path))
			queue_add_job(qs, kind, pattern, path);
		free(path);
	}
	strv_release(&names);
	free(parent);
}

struct queue_scan *
queue_scan_open(struct host *h, int want, int flags)
{
	struct queue_scan	*qs;
	const struct profile	*p = h->prof;
	size_t			 i;

	qs = xcalloc(1, sizeof *qs);
	qs->h = h;
	qs->flags = flags;
	if (p == NULL)
		return qs;
	if (want & QUEUE_WANT_MTA)
		for (i = 0; i < p->queue_dirs.n; i++)
			queue_add_configured(qs, QUEUE_MTA, p->queue_dirs.v[i]);
	if (want & QUEUE_WANT_SUBMIT)
		for (i = 0; i < p->submit_queue_dirs.n; i++)
			queue_add_configured(qs, QUEUE_SUBMIT,
			    p->submit_queue_dirs.v[i]);
	return qs;
}

/* Parsing on the thread that read the file (tdir_opts.prepare). */
static void *
queue_scan_prepare(void *arg, const struct tdir_file *f)
{
	struct queue_scan	*qs = arg;

	if (strlen(f->name) <= 2)
		return NULL;
	return queue_parse_copy(f->name, f->data, f->len, qs->flags);
}

static void
queue_scan_prepared_free(void *arg unused, void *e)
{
	queue_entry_free(e);
}

static void
queue_scan_prepare_done(void *arg unused)
{
	queue_parse_thread_end();
}

static int
queue_scan_file(void *arg, const struct tdir_file *f, char **cause)
{
	struct queue_scan	*qs = arg;
	struct queue_entry	*e;

	if (strlen(f->name) <= 2)
		return 0;
	qs->files++;
	if ((e = f->prepared) == NULL)
		e = queue_parse_copy(f->name, f->data, f->len, qs->flags);
	e->kind = qs->cur->kind;
	e->queue = qs->cur->queue;
	e->dir = qs->cur->dir;
	e->data_dir = qs->cur->data_dir;
	e->size = f->sibling_size;
	e->locked = f->locked;
	return qs->cb(qs->cb_arg, e, cause);
}

int
queue_scan_step(struct queue_scan *qs, size_t max, queue_entry_cb cb,
    void *arg, char **cause)
{
	struct tdir_opts	 o;
	char			*err = NULL;
	size_t			 done = 0;
	int			 n;

	qs->cb = cb;
	qs->cb_arg = arg;
	while (done < max) {
		if (qs->tdir == NULL) {
			if (qs->next == qs->njobs)
				return 0;
			qs->cur = &qs->jobs[qs->next++];
			memset(&o, 0, sizeof o);
			o.prefixes = queue_prefixes;
			o.sibling_prefix = "df";
			o.sibling_dir = qs->cur->data_dir;
			o.lock_test = 1;
			o.max_size = 4 << 20;
			o.prepare = queue_scan_prepare;
			o.prepared_free = queue_scan_prepared_free;
			o.prepare_done = queue_scan_prepare_done;
			o.prepare_arg = qs;
			qs->tdir = transport_dir_open(qs->h->t, qs->cur->dir,
			    &o, &err);
			if (qs->tdir == NULL) {
				strv_push_nocopy(&qs->warnings, err);
				err = NULL;
				continue;
			}
		}
		n = transport_dir_read(qs->h->t, qs->tdir, max - done,
		    queue_scan_file, qs, cause);
		if (n < 0)
			return -1;
		if (n == 0) {
			transport_dir_close(qs->h->t, qs->tdir);
			qs->tdir = NULL;
			continue;
		}
		done += (size_t)n;
	}
	return 1;
}

const struct strv *
queue_scan_warnings(const struct queue_scan *qs)
{
	return &qs->warnings;
}

size_t
queue_scan_files(const struct queue_scan *qs)
{
	return qs->files;
}

void
queue_scan_close(struct queue_scan *qs)
{
	if (qs == NULL)
		return;
	if (qs->tdir != NULL)
		transport_dir_close(qs->h->t, qs->tdir);
	strv_release(&qs->warnings);
	free(qs->jobs);
	free(qs);
	/*
	 * Let go of this thread's string pool: its entries keep it as long
	 * as they live, and a thread that ends after a scan (the fleet's
	 * workers) leaves nothing behind.
	 */
	queue_parse_thread_end();
}

void
queue_list_init(struct queue_list *ql)
{
	memset(ql, 0, sizeof *ql);
	strv_init(&ql->warnings);
}

void
queue_list_release(struct queue_list *ql)
{
	size_t	i;

	for (i = 0; i < ql->n; i++)
		queue_entry_free(ql->v[i]);
	free(ql->v);
	strv_release(&ql->warnings);
	queue_list_init(ql);
}

void
queue_list_add(struct queue_list *ql, struct queue_entry *e)
{
	if (ql->n == ql->alloc) {
		ql->alloc = ql->alloc == 0 ? 256 : ql->alloc * 2;
		ql->v = xreallocarray(ql->v, ql->alloc, sizeof *ql->v);
	}
	ql->v[ql->n++] = e;
}

static int
queue_list_cb(void *arg, struct queue_entry *e, char **cause unused)
{
	queue_list_add(arg, e);
	return 0;
}

int
queue_list_read(struct host *h, int want, int flags, struct queue_list *ql,
    char **cause)
{
	struct queue_scan	*qs;
	int			 rc;

	qs = queue_scan_open(h, want, flags);
	while ((rc = queue_scan_step(qs, 4096, queue_list_cb, ql, cause)) > 0)
		;
	strv_extend(&ql->warnings, queue_scan_warnings(qs));
	queue_scan_close(qs);
	return rc;
}

struct queue_entry *
queue_list_find(const struct queue_list *ql, const char *id)
{
	size_t	i;

	for (i = 0; i < ql->n; i++)
		if (strcmp(ql->v[i]->id, id) == 0)
			return ql->v[i];
	return NULL;
}

char *
queue_entry_path(const struct queue_entry *e, int which)
{
	const char	*prefix;
	char		*parent, *p;

	switch (which) {
	case 'd':
		return xasprintf("%s/df%s", e->df_dir != NULL ? e->df_dir :
		    e->data_dir, e->id);
	case 'x':
		/* Beside the control file, or in an xf/ subdirectory. */
		if (!str_endswith(e->dir, "/qf"))
			return xasprintf("%s/xf%s", e->dir, e->id);
		parent = xstrndup(e->dir, strlen(e->dir) - 3);
		p = xasprintf("%s/xf/xf%s", parent, e->id);
		free(parent);
		return p;
	case 'h':
		prefix = "hf";
		break;
	case 'Q':
		prefix = "Qf";
		break;
	case 'q':
		prefix = "qf";
		break;
	default:	/* the control file as it is now */
		prefix = e->state == QSTATE_HELD ? "hf" :
		    e->state == QSTATE_LOST ? "Qf" : "qf";
		break;
	}
	return xasprintf("%s/%s%s", e->dir, prefix, e->id);
}

struct queue_entry *
queue_find(struct host *h, const char *id, char **cause)
{
	struct queue_scan	*qs;
	struct queue_entry	*e = NULL;
	struct queue_job	*j;
	struct buf		 data = BUF_INIT;
	struct tstat		 st;
	char			*path, *name, *err = NULL;
	size_t			 i, k, len;

	if (!queue_id_valid(id)) {
		*cause = xasprintf("\"%s\" is not a queue id", id);
		return NULL;
	}
	qs = queue_scan_open(h, QUEUE_WANT_ALL, QUEUE_FULL);
	for (i = 0; e == NULL && i < qs->njobs; i++) {
		j = &qs->jobs[i];
		for (k = 0; e == NULL && queue_prefixes[k] != NULL; k++) {
			name = xasprintf("%s%s", queue_prefixes[k], id);
			path = xasprintf("%s/%s", j->dir, name);
			buf_reset(&data);
			if (transport_read_file(h->t, path, &data, 4 << 20,
			    &err) == 0) {
				len = data.len;
				e = queue_parse(name, buf_detach(&data), len,
				    QUEUE_FULL);
				e->kind = j->kind;
				e->queue = j->queue;
				e->dir = j->dir;
				e->data_dir = j->data_dir;
			}
			free(err);
			err = NULL;
			free(path);
			free(name);
		}
	}
	queue_scan_close(qs);
	buf_release(&data);
	if (e == NULL) {
		*cause = xasprintf("%s: no such message in the queues", id);
		return NULL;
	}
	path = queue_entry_path(e, 'd');
	if (transport_stat(h->t, path, 0, &st, &err) == 0 &&
	    st.type == TS_REG)
		e->size = st.size;
	free(err);
	free(path);
	return e;
}
