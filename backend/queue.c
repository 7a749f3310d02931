/*
 * queue.c -- count what sendmail's queue directories hold (see queue.h).
 *
 * Only names are looked at: qf is a queued message, hf a quarantined one,
 * Qf one sendmail gave up on; tf (being written), df and xf are not
 * messages of their own.  sendmail renames and removes files all the time,
 * so a file that vanishes while we look is simply not counted.
 */
#include <fnmatch.h>
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
