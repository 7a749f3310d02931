/*
 * transport.c -- the transport entry points and the option structs shared
 * by every transport.
 */
#include <stdlib.h>
#include <string.h>

#include "transport.h"

void
write_opts_init(struct write_opts *wo)
{
	memset(wo, 0, sizeof *wo);
	wo->mode = 0644;
	wo->keep_mode = 1;
}

void
run_opts_init(struct run_opts *ro)
{
	memset(ro, 0, sizeof *ro);
}

void
run_result_init(struct run_result *rr)
{
	memset(rr, 0, sizeof *rr);
	buf_init(&rr->out);
	buf_init(&rr->err);
}

void
run_result_release(struct run_result *rr)
{
	buf_release(&rr->out);
	buf_release(&rr->err);
	run_result_init(rr);
}

char *
run_result_describe(const char *prog, const struct run_result *rr)
{
	struct buf	 msg = BUF_INIT;
	char		*err, *nl, *t;

	if (rr->cancelled)
		buf_printf(&msg, "%s stopped: cancelled", prog);
	else if (rr->timed_out)
		buf_printf(&msg, "%s timed out", prog);
	else if (rr->signo != 0)
		buf_printf(&msg, "%s killed by signal %d", prog, rr->signo);
	else
		buf_printf(&msg, "%s exited %d", prog, rr->status);
	err = xstrdup(rr->err.len ? rr->err.data : rr->out.data);
	t = str_trim(err);
	if (strlen(t) > 400 && (nl = strchr(t, '\n')) != NULL)
		*nl = '\0';
	if (*t != '\0')
		buf_printf(&msg, ": %s", t);
	free(err);
	return buf_detach(&msg);
}

void
transport_free(struct transport *t)
{
	if (t != NULL)
		t->ops->free(t);
}

char *
transport_link_refusal(const char *path)
{
	return xasprintf("%s is a symbolic link: smadm makes this file itself "
	    "and follows no link there; remove it (rm %s) if you did not "
	    "put it there", path, path);
}

int
transport_read_file(struct transport *t, const char *path, struct buf *out,
    size_t max, char **cause)
{
	return t->ops->read_file(t, path, out, max, cause);
}

int
transport_write_file(struct transport *t, const char *path, const void *data,
    size_t len, const struct write_opts *wo, char **cause)
{
	struct write_opts	def;
	struct tstat		st;

	if (wo == NULL) {
		write_opts_init(&def);
		wo = &def;
	}
	if (wo->no_follow) {
		/* The local transport checks again without following. */
		if (t->ops->stat(t, path, 0, &st, cause) != 0)
			return -1;
		if (st.type == TS_LNK) {
			*cause = transport_link_refusal(path);
			return -1;
		}
	}
	return t->ops->write_file(t, path, data, len, wo, cause);
}

int
transport_stat(struct transport *t, const char *path, int follow,
    struct tstat *st, char **cause)
{
	return t->ops->stat(t, path, follow, st, cause);
}

int
transport_list_dir(struct transport *t, const char *path, struct strv *out,
    char **cause)
{
	return t->ops->list_dir(t, path, out, cause);
}

int
transport_mkdir(struct transport *t, const char *path, mode_t mode,
    char **cause)
{
	return t->ops->mkdir(t, path, mode, cause);
}

int
transport_chmod(struct transport *t, const char *path, mode_t mode,
    char **cause)
{
	return t->ops->chmod(t, path, mode, cause);
}

int
transport_chown(struct transport *t, const char *path, uid_t uid, gid_t gid,
    char **cause)
{
	return t->ops->chown(t, path, uid, gid, cause);
}

int
transport_remove(struct transport *t, const char *path, char **cause)
{
	return t->ops->remove(t, path, cause);
}

int
transport_rename(struct transport *t, const char *from, const char *to,
    char **cause)
{
	return t->ops->rename(t, from, to, cause);
}

int
transport_readlink(struct transport *t, const char *path, struct buf *out,
    char **cause)
{
	return t->ops->readlink(t, path, out, cause);
}

int
transport_run(struct transport *t, const char *const *argv,
    const struct run_opts *ro, struct run_result *rr, char **cause)
{
	struct run_opts	def;

	if (ro == NULL) {
		run_opts_init(&def);
		ro = &def;
	}
	if (argv == NULL || argv[0] == NULL || argv[0][0] != '/') {
		*cause = xasprintf("refusing to run \"%s\": not an absolute path",
		    argv != NULL && argv[0] != NULL ? argv[0] : "");
		return -1;
	}
	return t->ops->run(t, argv, ro, rr, cause);
}

int
transport_kill(struct transport *t, pid_t pid, int sig, char **cause)
{
	if (pid <= 1) {
		*cause = xasprintf("refusing to signal pid %ld", (long)pid);
		return -1;
	}
	return t->ops->kill(t, pid, sig, cause);
}

struct tstream *
transport_stream_open(struct transport *t, const char *path, off_t offset,
    char **cause)
{
	return t->ops->stream_open(t, path, offset, cause);
}

int
transport_stream_read(struct transport *t, struct tstream *ts,
    struct buf *out, char **cause)
{
	return t->ops->stream_read(ts, out, cause);
}

int
transport_stream_fd(struct transport *t, struct tstream *ts)
{
	return t->ops->stream_fd(ts);
}

void
transport_stream_close(struct transport *t, struct tstream *ts)
{
	if (ts != NULL)
		t->ops->stream_close(ts);
}

int
transport_exists(struct transport *t, const char *path)
{
	struct tstat	 st;
	char		*cause = NULL;

	if (transport_stat(t, path, 1, &st, &cause) != 0) {
		free(cause);
		return 0;
	}
	return st.type != TS_NONE;
}

int
transport_unix_query(struct transport *t, const char *path, const void *req,
    size_t len, struct buf *out, int timeout_ms, char **cause)
{
	if (t->ops->unix_query == NULL) {
		*cause = xasprintf("%s: the %s transport cannot reach sockets",
		    path, t->ops->name);
		return -1;
	}
	return t->ops->unix_query(t, path, req, len, out, timeout_ms, cause);
}

/*
 * Reading a directory of small files.  struct tdir wraps either the
 * transport's own reader or the generic one below, which a transport
 * without dir_open gets: list_dir, then read_file and stat per file (no
 * lock test: that needs the transport's help).
 */
struct tdir {
	struct transport	*t;
	void			*impl;		/* the transport's, or NULL */
	char			*path;
	struct tdir_opts	 opts;
	struct strv		 names;
	size_t			 next;
	struct buf		 data;
};

static int
tdir_has_prefix(const struct tdir_opts *o, const char *name)
{
	size_t	i;

	if (o->prefixes == NULL)
		return 1;
	for (i = 0; o->prefixes[i] != NULL; i++)
		if (str_startswith(name, o->prefixes[i]))
			return 1;
	return 0;
}

struct tdir *
transport_dir_open(struct transport *t, const char *path,
    const struct tdir_opts *o, char **cause)
{
	struct tdir	*d;

	d = xcalloc(1, sizeof *d);
	d->t = t;
	d->opts = *o;
	buf_init(&d->data);
	if (t->ops->dir_open != NULL && (t->ops->dir_supported == NULL ||
	    t->ops->dir_supported(t))) {
		if ((d->impl = t->ops->dir_open(t, path, o, cause)) == NULL) {
			free(d);
			return NULL;
		}
		return d;
	}
	if (transport_list_dir(t, path, &d->names, cause) != 0) {
		free(d);
		return NULL;
	}
	d->path = xstrdup(path);
	return d;
}

static int
tdir_read_generic(struct tdir *d, size_t max, tdir_cb cb, void *arg,
    char **cause)
{
	struct tdir_file	 f;
	struct tstat		 st;
	const char		*name;
	char			*p, *sib, *err = NULL;
	size_t			 done = 0, limit;

	limit = d->opts.max_size != 0 ? d->opts.max_size : 1 << 20;
	while (done < max && d->next < d->names.n) {
		name = d->names.v[d->next++];
		done++;
		if (!tdir_has_prefix(&d->opts, name))
			continue;
		p = xasprintf("%s/%s", d->path, name);
		buf_reset(&d->data);
		if (transport_stat(d->t, p, 0, &st, &err) != 0 ||
		    st.type != TS_REG ||
		    transport_read_file(d->t, p, &d->data, limit, &err) != 0) {
			/* Gone (or replaced) since the listing. */
			free(err);
			err = NULL;
			free(p);
			continue;
		}
		free(p);
		memset(&f, 0, sizeof f);
		f.name = name;
		f.data = d->data.data;
		f.len = d->data.len;
		f.sibling_size = -1;
		if (d->opts.sibling_prefix != NULL && strlen(name) > 2) {
			sib = xasprintf("%s/%s%s", d->opts.sibling_dir != NULL ?
			    d->opts.sibling_dir : d->path,
			    d->opts.sibling_prefix, name + 2);
			if (transport_stat(d->t, sib, 0, &st, &err) == 0 &&
			    st.type == TS_REG)
				f.sibling_size = st.size;
			free(err);
			err = NULL;
			free(sib);
		}
		if (cb(arg, &f, cause) != 0)
			return -1;
	}
	return (int)done;
}

int
transport_dir_read(struct transport *t, struct tdir *d, size_t max,
    tdir_cb cb, void *arg, char **cause)
{
	if (d->impl != NULL)
		return t->ops->dir_read(d->impl, max, cb, arg, cause);
	return tdir_read_generic(d, max, cb, arg, cause);
}

void
transport_dir_close(struct transport *t, struct tdir *d)
{
	if (d == NULL)
		return;
	if (d->impl != NULL)
		t->ops->dir_close(d->impl);
	free(d->path);
	strv_release(&d->names);
	buf_release(&d->data);
	free(d);
}

int
transport_remove_locked(struct transport *t, const char *path,
    const struct strv *also, int *state, char **cause)
{
	if (t->ops->remove_locked == NULL) {
		*cause = xasprintf("%s: the %s transport cannot lock files",
		    path, t->ops->name);
		return -1;
	}
	return t->ops->remove_locked(t, path, also, state, cause);
}
