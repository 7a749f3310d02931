/*
 * ssh-dir.c -- reading a directory of many small files (a mail queue) on
 * the host as one deflated stream of frames from "smadm remote dir" or
 * the serve process.
 */
#include <sys/types.h>

#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "config.h"
#include "remote-proto.h"
#include "shquote.h"
#include "transport-ssh.h"
#include "transport-ssh-int.h"

#if HAVE_SSH

/*
 * A directory of small files in one stream: "smadm remote dir" on the
 * far side reads them with the local transport's reader and writes
 * frames (remote-serve.c):
 *
 *	F <namelen> <len> <truncated> <sibling size> <locked>\n NAME DATA
 *	N <entries looked at>\n		after each batch
 *	E <message>\n			an error; the end
 *	Z\n				the end
 *
 * The frames are parsed as they arrive; there is no round trip per file.
 */
struct ssh_dir {
	struct transport	*t;
	unsigned int		 gen;	/* ch belongs to this connection */
	ssh_channel		 ch;
	char			*path;
	struct buf		 in;	/* received, not yet parsed */
	size_t			 off;	/* parsed up to here */
	struct buf		 raw;	/* received, still deflated */
	size_t			 rawoff;	/* inflated up to here */
	z_stream		 zs;
	int			 zend;
	struct buf		 err;
	size_t			 max;		/* a file's data, at most */
	size_t			 files;		/* F frames so far */
	long long		 progress;	/* when bytes last came */
	int			 done;
	int			 broken;	/* a bad frame: drop it */
	int			 cancelled;	/* the person gave up */
	int			 shared;	/* the serve channel */
};

void *
sshtr_dir_open(struct transport *t, const char *path, const struct tdir_opts *o,
    char **cause)
{
	struct ssh_priv	*sp = sp_of(t);
	struct ssh_dir	*d;
	struct strv	 v = STRV_INIT, sv = STRV_INIT;
	struct buf	 cmd = BUF_INIT, req = BUF_INIT;
	const char	*helper;
	size_t		 i;

	if (sshtr_ensure(sp, cause) != 0)
		return NULL;
	if (!sshtr_serve_ready(t) && transport_ssh_helper(t) == NULL) {
		*cause = sshtr_no_helper(t, "streamed directory reads");
		return NULL;
	}
	helper = sp->helper;
	strv_push(&v, "dir");
	for (i = 0; o->prefixes != NULL && o->prefixes[i] != NULL; i++) {
		strv_push(&v, "-p");
		strv_push(&v, o->prefixes[i]);
	}
	if (o->sibling_prefix != NULL) {
		strv_push(&v, "-s");
		strv_push(&v, o->sibling_prefix);
	}
	if (o->sibling_dir != NULL) {
		strv_push(&v, "-d");
		strv_push(&v, o->sibling_dir);
	}
	if (o->lock_test)
		strv_push(&v, "-l");
	strv_push(&v, "-z");
	strv_push(&v, "-m");
	strv_pushf(&v, "%zu", o->max_size);
	strv_push(&v, "--");
	strv_push(&v, path);

	d = xcalloc(1, sizeof *d);
	d->t = t;
	d->path = xstrdup(path);
	d->max = o->max_size != 0 ? o->max_size : 1 << 20;
	d->progress = sshtr_now_ms();
	buf_init(&d->in);
	buf_init(&d->raw);
	buf_init(&d->err);
	if (inflateInit(&d->zs) != Z_OK) {
		*cause = xasprintf("%s: zlib: inflateInit failed", path);
		goto fail;
	}
	/*
	 * One "smadm remote serve" per connection answers the reads one
	 * after the other; a second read while one is open gets its own,
	 * and so does any read while serve holds a lock (a read stopped
	 * half-way ends the serve process, and the lock with it).
	 */
	if (sp->opts.sudo) {
		sshtr_push_sudo(&sv);
	}
	strv_push(&sv, helper);
	strv_push(&sv, "remote");
	if (sp->serve_locks == 0 && sshtr_serve_ready(t)) {
		buf_reset(&cmd);
		rp_request_format(&cmd, (const char *const *)v.v);
		if (ssh_channel_write(sp->serve, cmd.data, (uint32_t)cmd.len) !=
		    (int)cmd.len) {
			*cause = xasprintf("%s: the remote smadm went away: %s",
			    path, ssh_get_error(sp->s));
			sshtr_serve_drop(sp);
			goto fail_z;
		}
		d->ch = sp->serve;
		d->shared = 1;
		sp->serve_busy = 1;
	} else {
		for (i = 0; i < v.n; i++)
			strv_push(&sv, v.v[i]);
		sh_quote_argv(&cmd, (const char *const *)sv.v);
		if ((d->ch = sshtr_exec(sp, cmd.data, cause)) == NULL)
			goto fail_z;
	}
	d->gen = sp->gen;
	strv_release(&v);
	strv_release(&sv);
	buf_release(&cmd);
	buf_release(&req);
	return d;
fail_z:
	inflateEnd(&d->zs);
fail:
	strv_release(&v);
	strv_release(&sv);
	buf_release(&cmd);
	buf_release(&req);
	free(d->path);
	free(d);
	return NULL;
}

/*
 * More inflated bytes from the channel; 0 at its end.  What is waiting to
 * be parsed is one frame not yet complete, so it may never grow past the
 * largest frame there can be: what was received but not inflated yet
 * waits in raw (a small deflated answer may inflate a thousandfold).
 */
static int
ssh_dir_fill(struct ssh_dir *d, char **cause)
{
	size_t	budget = RP_LINE_MAX + RP_NAME_MAX + d->max, before, room;
	int	trunc = 0, n = 0, r;

	if (d->off > 0 && d->off * 2 > d->in.len) {
		memmove(d->in.data, d->in.data + d->off, d->in.len - d->off);
		buf_truncate(&d->in, d->in.len - d->off);
		d->off = 0;
	}
	before = d->in.len;
	for (;;) {
		if (d->in.len - d->off >= budget) {
			*cause = xasprintf("%s: the remote smadm sent a frame "
			    "larger than %zu bytes", d->path, budget);
			return -1;
		}
		if (d->rawoff == d->raw.len || d->zend) {
			if (n == 1)
				return 0;
			buf_reset(&d->raw);
			d->rawoff = 0;
			n = sshtr_drain(d->ch, &d->raw, &d->err, SIZE_MAX, &trunc,
			    100, cause);
			if (d->err.len > RP_LINE_MAX)
				buf_truncate(&d->err, RP_LINE_MAX);
			if (n < 0)
				return -1;
			if (d->raw.len > 0)
				d->progress = sshtr_now_ms();
			else if (n == 0 && (r = sshtr_wait_check(sp_of(d->t),
			    d->progress, 0, d->path, cause)) != 0) {
				d->cancelled = r == -2;
				return -1;
			}
			if (d->zend)
				continue;	/* nothing after the end */
		}
		room = budget - (d->in.len - d->off);
		buf_grow(&d->in, room);
		d->zs.next_in = (unsigned char *)d->raw.data + d->rawoff;
		d->zs.avail_in = (uInt)(d->raw.len - d->rawoff);
		d->zs.next_out = (unsigned char *)d->in.data + d->in.len;
		d->zs.avail_out = (uInt)room;
		r = inflate(&d->zs, Z_NO_FLUSH);
		d->rawoff = (size_t)((char *)d->zs.next_in - d->raw.data);
		d->in.len = (size_t)((char *)d->zs.next_out - d->in.data);
		d->in.data[d->in.len] = '\0';
		if (r == Z_STREAM_END)
			d->zend = 1;
		else if (r != Z_OK && r != Z_BUF_ERROR) {
			*cause = xasprintf("%s: garbled compressed answer from "
			    "the remote smadm", d->path);
			return -1;
		}
		if (d->in.len > before)
			return 1;
	}
}

int
sshtr_dir_read(void *arg, size_t max unused, tdir_cb cb, void *cbarg,
    char **cause)
{
	struct ssh_dir		*d = arg;
	struct tdir_file	 f;
	struct rp_dir_frame	 fr;
	char			*p, *name, save;
	int			 r;

	if (d->done)
		return 0;
	if (d->gen != sp_of(d->t)->gen) {
		*cause = xasprintf("%s: connection to %s lost", d->path,
		    d->t->name);
		d->done = 1;
		return -1;
	}
	for (;;) {
		p = d->in.data + d->off;
		r = rp_dir_frame_parse(p, d->in.len - d->off, d->max, d->path,
		    &fr, cause);
		if (r < 0)
			goto broken;
		if (r == 0)
			goto more;
		switch (fr.tag) {
		case RP_FILE:
			/* Each costs memory here: a stream has an end. */
			if (++d->files > RP_DIR_FILES_MAX) {
				*cause = xasprintf("%s: the remote smadm sent "
				    "more than %d files in one listing",
				    d->path, RP_DIR_FILES_MAX);
				goto broken;
			}
			name = xstrndup(fr.name, fr.namelen);
			memset(&f, 0, sizeof f);
			f.name = name;
			f.data = p + (fr.data - p);
			f.len = fr.len;
			f.truncated = fr.truncated;
			f.sibling_size = (off_t)fr.sibling_size;
			f.locked = fr.locked;
			/* The byte after the data is lent as its NUL. */
			save = p[fr.used];
			p[fr.used] = '\0';
			r = cb(cbarg, &f, cause);
			p = d->in.data + d->off;
			p[fr.used] = save;
			free(name);
			d->off += fr.used;
			if (r != 0)
				return -1;
			break;
		case RP_BATCH:
			d->off += fr.used;
			return fr.count > 0 ? fr.count : 1;
		case RP_ERROR:
			*cause = xstrndup(fr.data, fr.len);
			d->done = 1;
			return -1;
		default:
			d->done = 1;
			return 0;
		}
		continue;
more:
		if ((r = ssh_dir_fill(d, cause)) < 0)
			goto broken;
		if (r == 0) {
			str_trim(d->err.data);
			*cause = xasprintf("%s: the remote listing ended early"
			    "%s%s", d->path, d->err.len ? ": " : "",
			    d->err.data);
			d->done = 1;
			return -1;
		}
	}
broken:
	d->done = 1;
	d->broken = 1;
	return -1;
}

/* Without a remote smadm, the generic reader (file by file) does it. */
int
sshtr_dir_supported(struct transport *t)
{
	return sshtr_serve_ready(t) || transport_ssh_helper(t) != NULL;
}

void
sshtr_dir_close(void *arg)
{
	struct ssh_dir	*d = arg;
	struct ssh_priv	*sp = sp_of(d->t);

	if (d->gen != sp->gen)
		;	/* its channel went with the old connection */
	else if (d->shared) {
		/* Stopped half-way: the rest would confuse the next read. */
		if ((!d->done || d->broken) && sp->serve == d->ch) {
			sshtr_serve_drop(sp);
			if (d->broken && !d->cancelled)
				sp->serve_failed = 1;
		}
		sp->serve_busy = 0;
	} else if (d->ch != NULL) {
		ssh_channel_close(d->ch);
		ssh_channel_free(d->ch);
	}
	inflateEnd(&d->zs);
	buf_release(&d->in);
	buf_release(&d->raw);
	buf_release(&d->err);
	free(d->path);
	free(d);
}

#endif /* HAVE_SSH */
