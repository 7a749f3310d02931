/*
 * backup.c -- backup sets for rollback (see backup.h).
 */
#include <stdlib.h>
#include <string.h>
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
	time_t			 now;
	struct tm		 tm;
	size_t			 i;
	int			 n, rc = -1;

	state = backup_state_dir(h->prof);
	root = xasprintf("%s/backups", state);
	if (trust_state_mkdirs(h, root, cause) != 0)
		goto out;
	now = time(NULL);
	localtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%S", &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S%z", &tm);
	for (n = 1;; n++) {
		free(id);
		free(dir);
		free(tmp);
		id = n == 1 ? xstrdup(stamp) : xasprintf("%s-%d", stamp, n);
		dir = xasprintf("%s/%s", root, id);
		tmp = xasprintf("%s/%s.tmp", root, id);
		if (!transport_exists(t, dir) && !transport_exists(t, tmp))
			break;
	}
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

int
backup_list(struct host *h, struct backup_set **out, size_t *n,
    char **cause)
{
	struct strv	 names = STRV_INIT;
	struct backup_set s, *v = NULL;
	char		*state, *root, *why = NULL;
	size_t		 i, cnt = 0;
	int		 rc = -1;

	state = backup_state_dir(h->prof);
	root = xasprintf("%s/backups", state);
	if (!transport_exists(h->t, root)) {
		rc = 0;
		goto out;
	}
	if (transport_list_dir(h->t, root, &names, cause) != 0)
		goto out;
	if (names.n > 1)
		xqsort(names.v, names.n, sizeof *names.v, id_cmp);
	for (i = 0; i < names.n; i++) {
		if (str_endswith(names.v[i], ".tmp"))
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
	free(state);
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
	rc = load_dir(h, root, id, s, cause);
	if (rc != 0 && !transport_exists(h->t, root)) {
		free(*cause);
		*cause = xasprintf("no backup %s (no backups yet)", id);
	}
	free(state);
	free(root);
	return rc;
}

int
backup_restore(struct host *h, const struct backup_set *s,
    const char *const *only, char **cause)
{
	const struct backup_file *f;
	struct write_opts	 wo;
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
		if (f->absent) {
			if (transport_remove(h->t, f->path, cause) != 0)
				goto out;
			continue;
		}
		free(copy);
		copy = xasprintf("%s/%s", s->dir, f->role);
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
