/*
 * backup.c -- backup sets for rollback, and their retention (see
 * backup.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

#include "backup.h"
#include "trust.h"

char *
backup_state_dir(const struct profile *p)
{
	if (p->root != NULL)
		return xasprintf("%s/.smadm", p->root);
	return xstrdup("/var/lib/smadm");
}

int
backup_mkdirs(struct transport *t, const char *path, mode_t mode,
    char **cause)
{
	char	*copy, *p;
	int	 rc = 0;

	copy = xstrdup(path);
	for (p = copy + 1; *p != '\0' && rc == 0; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (!transport_exists(t, copy))
			rc = transport_mkdir(t, copy, mode, cause);
		*p = '/';
	}
	if (rc == 0 && !transport_exists(t, copy))
		rc = transport_mkdir(t, copy, mode, cause);
	free(copy);
	return rc;
}

static void
file_release(struct backup_file *f)
{
	free(f->role);
	free(f->path);
}

void
backup_set_release(struct backup_set *s)
{
	size_t	i;

	free(s->id);
	free(s->time);
	free(s->reason);
	free(s->dir);
	for (i = 0; i < s->nfiles; i++)
		file_release(&s->files[i]);
	free(s->files);
	memset(s, 0, sizeof *s);
}

void
backup_sets_free(struct backup_set *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		backup_set_release(&v[i]);
	free(v);
}

static int
valid_role(const char *r)
{
	const char	*p;

	if (*r == '\0' || strcmp(r, "MANIFEST") == 0)
		return 0;
	for (p = r; *p != '\0'; p++)
		if (!(*p == '_' || *p == '-' || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9')))
			return 0;
	return 1;
}

static void	backup_retain(struct host *, const char *);
static char	*backup_newest_name(struct host *, const char *);
static int	backup_prune_keep(struct host *, int, const char *,
		    struct backup_pruned *, char **);
static int	id_cmp(const void *, const void *);
static int	backup_same_as_newest(struct host *, const struct strv *,
		    const struct strv *, const struct strv *, char **);

int
backup_create(struct host *h, const char *reason, const struct strv *roles,
    const struct strv *paths, const struct strv *sources, char **id_out,
    char **cause)
{
	struct transport	*t = h->t;
	struct write_opts	 wo;
	struct tstat		 st;
	struct buf		 man = BUF_INIT, data = BUF_INIT;
	char			*state, *root, *id = NULL, *dir = NULL;
	char			*tmp = NULL, *file = NULL, stamp[32], when[40];
	char			*newest, *del = NULL;
	time_t			 now;
	struct tm		 tm;
	size_t			 i;
	int			 n, rc = -1;

	state = backup_state_dir(h->prof);
	root = xasprintf("%s/backups", state);
	if (trust_state_mkdirs(h, root, cause) != 0)
		goto out;
	if (backup_same_as_newest(h, roles, paths, sources, id_out)) {
		rc = 0;
		goto out;
	}
	now = time(NULL);
	localtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%S", &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S%z", &tm);
	newest = backup_newest_name(h, root);
	for (n = 1;; n++) {
		free(id);
		free(dir);
		free(tmp);
		free(del);
		id = n == 1 ? xstrdup(stamp) : xasprintf("%s-%d", stamp, n);
		dir = xasprintf("%s/%s", root, id);
		tmp = xasprintf("%s/%s.tmp", root, id);
		del = xasprintf("%s/%s.del", root, id);
		/* After every set there is, even one of a pruned ID. */
		if (newest != NULL && strncmp(newest, stamp, 15) == 0 &&
		    id_cmp(&id, &newest) >= 0)
			continue;
		if (!transport_exists(t, dir) && !transport_exists(t, tmp) &&
		    !transport_exists(t, del))
			break;
	}
	free(newest);
	if (transport_mkdir(t, tmp, 0700, cause) != 0)
		goto out;
	buf_printf(&man, "id\t%s\ntime\t%s\nreason\t%s\n", id, when, reason);
	write_opts_init(&wo);
	wo.mode = 0600;
	wo.no_follow = 1;
	for (i = 0; i < roles->n && i < paths->n; i++) {
		if (!valid_role(roles->v[i])) {
			*cause = xasprintf("backup: bad role \"%s\"",
			    roles->v[i]);
			goto fail;
		}
		if (transport_stat(t, paths->v[i], 1, &st, cause) != 0)
			goto fail;
		if (st.type == TS_NONE) {
			buf_printf(&man, "absent\t%s\t%s\n", roles->v[i],
			    paths->v[i]);
			continue;
		}
		buf_reset(&data);
		if (transport_read_file(t, sources != NULL &&
		    sources->v[i] != NULL && *sources->v[i] != '\0' ?
		    sources->v[i] : paths->v[i], &data, 0, cause) != 0)
			goto fail;
		free(file);
		file = xasprintf("%s/%s", tmp, roles->v[i]);
		if (transport_write_file(t, file, data.data, data.len, &wo,
		    cause) != 0)
			goto fail;
		buf_printf(&man, "file\t%s\t%04o\t%lu\t%lu\t%zu\t%s\n",
		    roles->v[i], (unsigned)st.mode, (unsigned long)st.uid,
		    (unsigned long)st.gid, data.len, paths->v[i]);
	}
	free(file);
	file = xasprintf("%s/MANIFEST", tmp);
	if (transport_write_file(t, file, man.data, man.len, &wo, cause) != 0)
		goto fail;
	if (transport_rename(t, tmp, dir, cause) != 0)
		goto fail;
	*id_out = id;
	id = NULL;
	rc = 0;
	backup_retain(h, *id_out);
	goto out;
fail:
	/* Leave nothing half-made behind. */
	for (i = 0; i <= roles->n; i++) {
		char	*ignore = NULL;

		free(file);
		file = xasprintf("%s/%s", tmp, i < roles->n ? roles->v[i] :
		    "MANIFEST");
		if (i == roles->n || valid_role(roles->v[i]))
			transport_remove(t, file, &ignore);
		free(ignore);
	}
	{
		char	*ignore = NULL;

		transport_remove(t, tmp, &ignore);
		free(ignore);
	}
out:
	buf_release(&man);
	buf_release(&data);
	free(state);
	free(root);
	free(id);
	free(dir);
	free(tmp);
	free(del);
	free(file);
	return rc;
}

static int
parse_manifest(const char *text, const char *where, struct backup_set *s,
    char **cause)
{
	struct strv	 f = STRV_INIT;
	const char	*p = text, *nl;
	char		*line;
	struct backup_file *bf;
	long long	 v;
	size_t		 lineno = 0;
	int		 rc = -1;

	while (*p != '\0') {
		lineno++;
		nl = strchr(p, '\n');
		line = nl ? xstrndup(p, (size_t)(nl - p)) : xstrdup(p);
		p = nl ? nl + 1 : p + strlen(p);
		strv_release(&f);
		{
			/* Split on tabs only: paths may hold blanks. */
			char	*q = line, *tab;

			while ((tab = strchr(q, '\t')) != NULL) {
				strv_push_nocopy(&f, xstrndup(q,
				    (size_t)(tab - q)));
				q = tab + 1;
			}
			strv_push(&f, q);
		}
		free(line);
		if (f.n == 2 && strcmp(f.v[0], "id") == 0)
			s->id = xstrdup(f.v[1]);
		else if (f.n == 2 && strcmp(f.v[0], "time") == 0)
			s->time = xstrdup(f.v[1]);
		else if (f.n == 2 && strcmp(f.v[0], "reason") == 0)
			s->reason = xstrdup(f.v[1]);
		else if ((f.n == 7 && strcmp(f.v[0], "file") == 0) ||
		    (f.n == 3 && strcmp(f.v[0], "absent") == 0)) {
			s->files = xreallocarray(s->files, s->nfiles + 1,
			    sizeof *s->files);
			bf = &s->files[s->nfiles++];
			memset(bf, 0, sizeof *bf);
			bf->role = xstrdup(f.v[1]);
			bf->path = xstrdup(f.v[f.n - 1]);
			if (f.n == 3) {
				bf->absent = 1;
				continue;
			}
			bf->mode = (mode_t)strtoul(f.v[2], NULL, 8) & 07777;
			if (str_tonum(f.v[3], 0, 0xffffffffLL, &v, cause))
				goto bad;
			bf->uid = (uid_t)v;
			if (str_tonum(f.v[4], 0, 0xffffffffLL, &v, cause))
				goto bad;
			bf->gid = (gid_t)v;
			if (str_tonum(f.v[5], 0, (1LL << 62), &v, cause))
				goto bad;
			bf->size = (off_t)v;
			if (!valid_role(bf->role) || *bf->path != '/') {
				*cause = xasprintf("%s:%zu: bad file line",
				    where, lineno);
				goto out;
			}
		} else if (f.n != 1 || *f.v[0] != '\0') {
			*cause = xasprintf("%s:%zu: expected id, time, reason, "
			    "file or absent", where, lineno);
			goto out;
		}
	}
	if (s->id == NULL) {
		*cause = xasprintf("%s: no id line", where);
		goto out;
	}
	rc = 0;
	goto out;
bad:
	{
		char	*c = *cause;

		*cause = xasprintf("%s:%zu: %s", where, lineno, c);
		free(c);
	}
out:
	strv_release(&f);
	return rc;
}

static int
load_dir(struct host *h, const char *root, const char *id,
    struct backup_set *s, char **cause)
{
	struct buf	 text = BUF_INIT;
	char		*man;
	int		 rc = -1;

	memset(s, 0, sizeof *s);
	s->dir = xasprintf("%s/%s", root, id);
	man = xasprintf("%s/MANIFEST", s->dir);
	if (transport_read_file(h->t, man, &text, 1 << 20, cause) != 0)
		goto out;
	if (parse_manifest(text.data, man, s, cause) != 0)
		goto out;
	rc = 0;
out:
	if (rc != 0)
		backup_set_release(s);
	free(man);
	buf_release(&text);
	return rc;
}

static int
id_cmp(const void *a, const void *b)
{
	const char	*x = *(char *const *)a, *y = *(char *const *)b;
	size_t		 lx = strlen(x), ly = strlen(y);

	/* Newest first; "ID-10" after "ID-9". */
	if (lx != ly && strncmp(x, y, 15) == 0)
		return lx < ly ? 1 : -1;
	return -strcmp(x, y);
}

/* Replace *cause by a message saying the state directory is unreadable. */
static void
backup_unreadable(const char *state, char **cause)
{
	char	*why = *cause;

	*cause = xasprintf("cannot read the backups in %s (%s): run smadm "
	    "as their owner, usually root", state,
	    why != NULL ? why : "permission denied");
	free(why);
}

/* 0 when root is absent or can be looked at, else -1 with *cause. */
static int
backup_root_readable(struct host *h, const char *state, const char *root,
    char **cause)
{
	struct tstat	st;

	if (transport_stat(h->t, root, 1, &st, cause) != 0) {
		backup_unreadable(state, cause);
		return -1;
	}
	return 0;
}

/*
 * The names in STATE/backups (*root gets that path): 1 when listed, 0 when
 * there is no backups directory yet, -1 with *cause (an unreadable state
 * directory says so).
 */
static int
backup_root_list(struct host *h, char **root, struct strv *names,
    char **cause)
{
	char	*state = backup_state_dir(h->prof);
	int	 rc = -1;

	*root = xasprintf("%s/backups", state);
	if (backup_root_readable(h, state, *root, cause) != 0)
		goto out;
	if (!transport_exists(h->t, *root)) {
		rc = 0;
		goto out;
	}
	if (transport_list_dir(h->t, *root, names, cause) != 0) {
		backup_unreadable(state, cause);
		goto out;
	}
	rc = 1;
out:
	free(state);
	return rc;
}

int
backup_list(struct host *h, struct backup_set **out, size_t *n,
    char **cause)
{
	struct strv	 names = STRV_INIT;
	struct backup_set s, *v = NULL;
	char		*root = NULL, *why = NULL;
	size_t		 i, cnt = 0;
	int		 rc;

	if ((rc = backup_root_list(h, &root, &names, cause)) <= 0)
		goto out;
	rc = -1;
	if (names.n > 1)
		xqsort(names.v, names.n, sizeof *names.v, id_cmp);
	for (i = 0; i < names.n; i++) {
		if (str_endswith(names.v[i], ".tmp") ||
		    str_endswith(names.v[i], ".del"))
			continue;
		if (load_dir(h, root, names.v[i], &s, &why) != 0) {
			free(why);
			why = NULL;
			continue;
		}
		v = xreallocarray(v, cnt + 1, sizeof *v);
		v[cnt++] = s;
	}
	rc = 0;
out:
	*out = v;
	*n = cnt;
	strv_release(&names);
	free(root);
	return rc;
}

int
backup_load(struct host *h, const char *id, struct backup_set *s,
    char **cause)
{
	struct backup_set	*v;
	char			*state, *root;
	size_t			 n, i;
	int			 rc;

	if (id == NULL) {
		if (backup_list(h, &v, &n, cause) != 0)
			return -1;
		if (n == 0) {
			backup_sets_free(v, n);
			*cause = xstrdup("no backups yet");
			return -1;
		}
		*s = v[0];
		for (i = 1; i < n; i++)
			backup_set_release(&v[i]);
		free(v);
		return 0;
	}
	if (strchr(id, '/') != NULL || *id == '.' || *id == '\0') {
		*cause = xasprintf("\"%s\" is not a backup ID", id);
		return -1;
	}
	state = backup_state_dir(h->prof);
	root = xasprintf("%s/backups", state);
	if (backup_root_readable(h, state, root, cause) != 0) {
		free(state);
		free(root);
		return -1;
	}
	rc = load_dir(h, root, id, s, cause);
	if (rc != 0 && !transport_exists(h->t, root)) {
		free(*cause);
		*cause = xasprintf("no backup %s (no backups yet)", id);
	}
	free(state);
	free(root);
	return rc;
}

/*
 * A set is only restored where it belongs: each file to the profile's own
 * file of that role (mc, cf, submit_mc, submit_cf, a table), never with a
 * set-user-ID, set-group-ID or sticky bit, and only from a set directory
 * that is a real directory nobody else could have filled.  A set planted
 * in the state directory cannot write elsewhere as root.
 */
static int
restore_target_ok(struct host *h, const struct backup_set *s,
    const struct backup_file *f, char **cause)
{
	const struct profile	*p = h->prof;
	const char		*want = NULL;
	struct tstat		 st;

	if (strcmp(f->role, "mc") == 0)
		want = p->mc;
	else if (strcmp(f->role, "cf") == 0)
		want = p->cf;
	else if (strcmp(f->role, "submit_mc") == 0)
		want = p->submit_mc;
	else if (strcmp(f->role, "submit_cf") == 0)
		want = p->submit_cf;
	else
		want = profile_table_path(p, f->role);
	if (want == NULL || strcmp(want, f->path) != 0) {
		*cause = xasprintf("backup set %s: %s names %s, which is not "
		    "this profile's %s file (%s): not restored", s->id,
		    f->role, f->path, f->role, want != NULL ? want : "none");
		return -1;
	}
	if (!f->absent && (f->mode & 07000) != 0) {
		*cause = xasprintf("backup set %s: %s would get mode %04o "
		    "(set-ID or sticky bits): not restored", s->id, f->path,
		    (unsigned)f->mode);
		return -1;
	}
	if (transport_stat(h->t, s->dir, 0, &st, cause) != 0)
		return -1;
	if (st.type != TS_DIR || (st.mode & 022) != 0 ||
	    (st.uid != 0 && st.uid != geteuid())) {
		*cause = xasprintf("backup set %s: %s is not a directory that "
		    "only root%s can write (%s, owner %lu, mode %04o): not "
		    "restored", s->id, s->dir, geteuid() != 0 ? " or you" : "",
		    st.type == TS_LNK ? "a symbolic link" :
		    st.type == TS_DIR ? "a directory" : "not a directory",
		    (unsigned long)st.uid, (unsigned)st.mode);
		return -1;
	}
	return 0;
}

int
backup_restore(struct host *h, const struct backup_set *s,
    const char *const *only, char **cause)
{
	const struct backup_file *f;
	struct write_opts	 wo;
	struct tstat		 cst;
	struct buf		 data = BUF_INIT;
	char			*copy = NULL;
	size_t			 i;
	int			 rc = -1;

	for (i = 0; i < s->nfiles; i++) {
		f = &s->files[i];
		if (only != NULL) {
			size_t	j;

			for (j = 0; only[j] != NULL; j++)
				if (strcmp(only[j], f->role) == 0)
					break;
			if (only[j] == NULL)
				continue;
		}
		if (restore_target_ok(h, s, f, cause) != 0)
			goto out;
		if (f->absent) {
			if (transport_remove(h->t, f->path, cause) != 0)
				goto out;
			continue;
		}
		free(copy);
		copy = xasprintf("%s/%s", s->dir, f->role);
		if (transport_stat(h->t, copy, 0, &cst, cause) != 0)
			goto out;
		if (cst.type != TS_REG) {
			*cause = xasprintf("backup set %s: %s is not a regular "
			    "file: not restored", s->id, copy);
			goto out;
		}
		buf_reset(&data);
		if (transport_read_file(h->t, copy, &data, 0, cause) != 0)
			goto out;
		if ((off_t)data.len != f->size) {
			*cause = xasprintf("%s: %zu bytes, the manifest says "
			    "%lld", copy, data.len, (long long)f->size);
			goto out;
		}
		write_opts_init(&wo);
		wo.keep_mode = 0;
		wo.mode = f->mode;
		wo.set_owner = 1;
		wo.uid = f->uid;
		wo.gid = f->gid;
		if (transport_write_file(h->t, f->path, data.data, data.len,
		    &wo, cause) != 0)
			goto out;
	}
	rc = 0;
out:
	free(copy);
	buf_release(&data);
	return rc;
}

/* ---- Deduplication and retention ---- */

off_t
backup_set_size(const struct backup_set *s)
{
	off_t	total = 0;
	size_t	i;

	for (i = 0; i < s->nfiles; i++)
		if (!s->files[i].absent)
			total += s->files[i].size;
	return total;
}

/*
 * Would the set about to be made hold what the newest set holds, byte for
 * byte?  Then *id receives the newest set's ID and 1 is returned: an edit
 * of a file that is back to what was saved last costs no second copy.
 */
static int
backup_same_as_newest(struct host *h, const struct strv *roles,
    const struct strv *paths, const struct strv *sources, char **id)
{
	struct backup_set	 set;
	const struct backup_file *f;
	struct tstat		 st;
	struct buf		 cur = BUF_INIT, old = BUF_INIT;
	char			*why = NULL, *copy;
	const char		*src;
	size_t			 i;
	int			 same = 0;

	if (backup_load(h, NULL, &set, &why) != 0) {
		free(why);
		return 0;
	}
	if (set.nfiles != roles->n || roles->n != paths->n)
		goto out;
	for (i = 0; i < set.nfiles; i++) {
		f = &set.files[i];
		if (strcmp(f->role, roles->v[i]) != 0 ||
		    strcmp(f->path, paths->v[i]) != 0)
			goto out;
		if (transport_stat(h->t, paths->v[i], 1, &st, &why) != 0)
			goto out;
		if ((st.type == TS_NONE) != f->absent)
			goto out;
		if (f->absent)
			continue;
		if (st.mode != f->mode || st.uid != f->uid ||
		    st.gid != f->gid)
			goto out;
		/* The common case, cheaply: another size, another file. */
		if ((sources == NULL || i >= sources->n ||
		    sources->v[i] == NULL || *sources->v[i] == '\0') &&
		    st.size != f->size)
			goto out;
		src = sources != NULL && i < sources->n &&
		    sources->v[i] != NULL && *sources->v[i] != '\0' ?
		    sources->v[i] : paths->v[i];
		buf_reset(&cur);
		buf_reset(&old);
		copy = xasprintf("%s/%s", set.dir, f->role);
		if (transport_read_file(h->t, src, &cur, 0, &why) != 0 ||
		    (off_t)cur.len != f->size ||
		    transport_read_file(h->t, copy, &old, 0, &why) != 0 ||
		    old.len != cur.len ||
		    memcmp(old.data, cur.data, cur.len) != 0) {
			free(copy);
			goto out;
		}
		free(copy);
	}
	*id = xstrdup(set.id);
	same = 1;
out:
	free(why);
	buf_release(&cur);
	buf_release(&old);
	backup_set_release(&set);
	return same;
}

void
backup_pruned_init(struct backup_pruned *bp)
{
	strv_init(&bp->ids);
	strv_init(&bp->leftovers);
	bp->bytes = 0;
}

void
backup_pruned_release(struct backup_pruned *bp)
{
	strv_release(&bp->ids);
	strv_release(&bp->leftovers);
	bp->bytes = 0;
}

/* When set ID was made (its ID is its local time), or -1. */
static time_t
backup_id_time(const char *id)
{
	struct tm	tm;
	int		n = 0;

	memset(&tm, 0, sizeof tm);
	if (sscanf(id, "%4d%2d%2dT%2d%2d%2d%n", &tm.tm_year, &tm.tm_mon,
	    &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 6 ||
	    n != 15)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

/* Remove the files of directory dir, then dir itself. */
static int
backup_remove_dir(struct host *h, const char *dir, char **cause)
{
	struct strv	 names = STRV_INIT;
	char		*f;
	size_t		 i;
	int		 rc = -1;

	if (transport_list_dir(h->t, dir, &names, cause) != 0)
		goto out;
	for (i = 0; i < names.n; i++) {
		f = xasprintf("%s/%s", dir, names.v[i]);
		if (transport_remove(h->t, f, cause) != 0) {
			free(f);
			goto out;
		}
		free(f);
	}
	rc = transport_remove(h->t, dir, cause);
out:
	strv_release(&names);
	return rc;
}

/*
 * Remove set dir: first renamed to dir.del, so that it leaves the listing
 * whole; what a crash leaves is finished by the next prune.
 */
static int
backup_remove_set(struct host *h, const char *dir, char **cause)
{
	char	*del;
	int	 rc;

	del = xasprintf("%s.del", dir);
	rc = transport_rename(h->t, dir, del, cause);
	if (rc == 0)
		rc = backup_remove_dir(h, del, cause);
	free(del);
	return rc;
}

int
backup_prune(struct host *h, int dry_run, struct backup_pruned *bp,
    char **cause)
{
	return backup_prune_keep(h, dry_run, NULL, bp, cause);
}

/*
 * The newest name in root (sets, .tmp and .del directories alike, their
 * suffix dropped), or NULL: a new ID must sort after it.
 */
static char *
backup_newest_name(struct host *h, const char *root)
{
	struct strv	 names = STRV_INIT;
	char		*why = NULL, *best = NULL, *p;
	size_t		 i;

	if (transport_list_dir(h->t, root, &names, &why) != 0) {
		free(why);
		return NULL;
	}
	for (i = 0; i < names.n; i++) {
		p = xstrdup(names.v[i]);
		if (str_endswith(p, ".tmp") || str_endswith(p, ".del"))
			p[strlen(p) - 4] = '\0';
		if (best == NULL || id_cmp(&p, &best) < 0) {
			free(best);
			best = p;
		} else
			free(p);
	}
	strv_release(&names);
	return best;
}

/* backup_prune(), never removing set protect (the one just made). */
static int
backup_prune_keep(struct host *h, int dry_run, const char *protect,
    struct backup_pruned *bp, char **cause)
{
	struct backup_set	*v = NULL;
	struct strv		 names = STRV_INIT;
	char			*root = NULL, *dir;
	time_t			 now, made, limit = 0;
	size_t			 i, n = 0;
	int			 keep, days, rc;

	if ((rc = backup_root_list(h, &root, &names, cause)) <= 0)
		goto out;
	rc = -1;

	/* What crashed runs left: half-made and half-removed sets. */
	for (i = 0; i < names.n; i++) {
		if (!str_endswith(names.v[i], ".tmp") &&
		    !str_endswith(names.v[i], ".del"))
			continue;
		dir = xasprintf("%s/%s", root, names.v[i]);
		strv_push(&bp->leftovers, dir);
		if (!dry_run && backup_remove_dir(h, dir, cause) != 0) {
			free(dir);
			goto out;
		}
		free(dir);
	}

	if (backup_list(h, &v, &n, cause) != 0)
		goto out;
	keep = h->prof->backup_keep > 0 ? h->prof->backup_keep : 1;
	days = h->prof->backup_days;
	now = time(NULL);
	if (days > 0)
		limit = now - (time_t)days * 24 * 60 * 60;
	/* v[0], the newest, always stays. */
	for (i = 1; i < n; i++) {
		made = backup_id_time(v[i].id);
		if (i < (size_t)keep && (days == 0 || made == -1 ||
		    made >= limit))
			continue;
		if (protect != NULL && strcmp(v[i].id, protect) == 0)
			continue;
		strv_push(&bp->ids, v[i].id);
		bp->bytes += backup_set_size(&v[i]);
		if (!dry_run && backup_remove_set(h, v[i].dir, cause) != 0)
			goto out;
	}
	rc = 0;
out:
	backup_sets_free(v, n);
	strv_release(&names);
	free(root);
	return rc;
}

/* Prune after a new set; a failure here does not undo the set. */
static void
backup_retain(struct host *h, const char *id)
{
	struct backup_pruned	 bp;
	char			*why = NULL;

	backup_pruned_init(&bp);
	if (backup_prune_keep(h, 0, id, &bp, &why) != 0)
		free(why);
	backup_pruned_release(&bp);
}
