/*
 * transport-ssh.c -- a host reached over SSH with libssh.
 *
 * One connection per host carries everything.  Programs run in exec
 * channels whose one command line comes from sh_quote_argv() and nothing
 * else:
 *
 *	cd / && [/usr/bin/sudo -n --] /usr/bin/env -i PATH=... LC_ALL=C
 *	    HOME=/ PROGRAM ARGS...
 *
 * so a program sees the same small environment as a local run.  Files,
 * stats, listings and queue directories go through one long-lived
 * "smadm remote serve" per connection when smadm is installed on the host
 * (backend/remote-serve.c): the local transport's own code runs there, so the
 * answers are exactly the local ones, no shell is started per operation,
 * and a queue directory arrives as one deflated stream of frames.  What
 * else needs the remote smadm (the sandbox namespace, the control socket,
 * sendmail's qf lock, following a log with rotation) runs "smadm remote
 * ..." in its own channel.  Without it, SFTP does the file work (writes
 * atomic: temporary file, fsync@openssh.com, mode and owner, backup,
 * rename), queues are read file by file and logs are followed by polling.
 *
 * This file holds the operations table and the choice between the serve
 * process and SFTP for each file operation.  The rest is in ssh-session.c
 * (connecting, ~/.ssh/config, authentication, jump hosts), ssh-sftp.c,
 * ssh-helper.c (the serve process), ssh-exec.c (programs and following
 * files), ssh-dir.c (queue directories) and ssh-lock.c, which share
 * transport-ssh-int.h.
 */
#include <sys/types.h>

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "remote-proto.h"
#include "transport-ssh.h"
#include "transport-ssh-int.h"

void
ssh_opts_init(struct ssh_opts *o)
{
	memset(o, 0, sizeof *o);
}

char *
ssh_user_home(void)
{
	struct passwd	*pw;
	const char	*home;

	if ((home = getenv("HOME")) != NULL && *home == '/')
		return xstrdup(home);
	if ((pw = getpwuid(getuid())) != NULL && pw->pw_dir != NULL)
		return xstrdup(pw->pw_dir);
	return xstrdup("/");
}

#if HAVE_SSH

#define SSH_KEEPALIVE_S		30

static int
ssh_read_file(struct transport *t, const char *path, struct buf *out,
    size_t max, char **cause)
{
	struct buf	 line = BUF_INIT;
	char		 m[32];
	const char	*argv[] = { "read", path, m, NULL };
	int		 r;

	if (sshtr_ensure(sp_of(t), cause) != 0)
		return -1;
	if (sshtr_serve_ready(t)) {
		snprintf(m, sizeof m, "%zu", max);
		r = sshtr_serve_call(t, argv, NULL, 0, "D", max == 0 ||
		    max > RP_READ_MAX ? RP_READ_MAX : max, &line, out, cause);
		buf_release(&line);
		if (r != -2)
			return r;
	}
	return sshtr_sftp_read_file(t, path, out, max, cause);
}

int
sshtr_stat(struct transport *t, const char *path, int follow, struct tstat *ts,
    char **cause)
{
	struct buf		 line = BUF_INIT, none = BUF_INIT;
	const char		*argv[] = { "stat", path, follow ? "1" : "0",
				    NULL };
	int			 r;

	if (sshtr_ensure(sp_of(t), cause) != 0)
		return -1;
	if (sshtr_serve_ready(t)) {
		r = sshtr_serve_call(t, argv, NULL, 0, "S", 0, &line, &none,
		    cause);
		if (r == 0 && rp_stat_parse(line.data + 2, line.len - 2,
		    ts) != 0) {
			*cause = xasprintf("%s: garbled answer from the remote "
			    "smadm", path);
			/* What else it says cannot be trusted either. */
			sshtr_serve_drop(sp_of(t));
			sp_of(t)->serve_failed = 1;
			r = -1;
		}
		buf_release(&line);
		buf_release(&none);
		if (r != -2)
			return r;
	}
	return sshtr_sftp_stat(t, path, follow, ts, cause);
}

static int
ssh_list_dir(struct transport *t, const char *path, struct strv *out,
    char **cause)
{
	struct buf	 line = BUF_INIT, names = BUF_INIT;
	const char	*argv[] = { "list", path, NULL };
	size_t		 off;
	int		 r;

	if (sshtr_ensure(sp_of(t), cause) != 0)
		return -1;
	if (sshtr_serve_ready(t)) {
		r = sshtr_serve_call(t, argv, NULL, 0, "L", RP_LIST_MAX, &line,
		    &names, cause);
		if (r == 0)
			for (off = 0; off < names.len;
			    off += strlen(names.data + off) + 1)
				strv_push(out, names.data + off);
		buf_release(&line);
		buf_release(&names);
		if (r != -2)
			return r;
	}
	return sshtr_sftp_list_dir(t, path, out, cause);
}

/* A request answered by "O" (or "D" into out); -2: use SFTP. */
static int
ssh_serve_op(struct transport *t, const char *const *argv, struct buf *out,
    char **cause)
{
	struct buf	line = BUF_INIT, none = BUF_INIT;
	int		r;

	if (sshtr_ensure(sp_of(t), cause) != 0)
		return -1;
	if (!sshtr_serve_ready(t))
		return -2;
	r = sshtr_serve_call(t, argv, NULL, 0, out != NULL ? "D" : "O",
	    out != NULL ? RP_NAME_MAX : 0, &line, out != NULL ? out : &none,
	    cause);
	buf_release(&line);
	buf_release(&none);
	return r;
}

/*
 * The write and change operations: the remote smadm's local transport
 * (exactly the local semantics: hard-link backups, directory fsync, and
 * sudo when configured), or SFTP as the login user.
 */
static int
ssh_write_file(struct transport *t, const char *path, const void *data,
    size_t len, const struct write_opts *wo, char **cause)
{
	struct buf	 line = BUF_INIT, bk = BUF_INIT;
	char		 a[7][24];
	const char	*argv[] = { "write", path, a[0], a[1], a[2], a[3], a[4],
			    a[5], a[6], NULL };
	int		 r;

	if (sshtr_ensure(sp_of(t), cause) != 0)
		return -1;
	if (sshtr_serve_ready(t)) {
		snprintf(a[0], sizeof a[0], "%u", (unsigned int)wo->mode);
		snprintf(a[1], sizeof a[1], "%d", wo->set_owner != 0);
		snprintf(a[2], sizeof a[2], "%lu", (unsigned long)wo->uid);
		snprintf(a[3], sizeof a[3], "%lu", (unsigned long)wo->gid);
		snprintf(a[4], sizeof a[4], "%d", wo->backup != 0);
		snprintf(a[5], sizeof a[5], "%d", wo->keep_mode != 0);
		snprintf(a[6], sizeof a[6], "%zu", len);
		r = sshtr_serve_call(t, argv, data, len, "D", RP_NAME_MAX, &line,
		    &bk, cause);
		if (r == 0 && wo->backup_path != NULL && bk.len != 0)
			buf_add(wo->backup_path, bk.data, bk.len);
		buf_release(&line);
		buf_release(&bk);
		if (r != -2)
			return r;
	}
	return sshtr_sftp_write_file(t, path, data, len, wo, cause);
}

static int
sshtr_mkdir(struct transport *t, const char *path, mode_t mode, char **cause)
{
	char		 m[16];
	const char	*argv[] = { "mkdir", path, m, NULL };
	int		 r;

	snprintf(m, sizeof m, "%u", (unsigned int)mode);
	if ((r = ssh_serve_op(t, argv, NULL, cause)) != -2)
		return r;
	return sshtr_sftp_mkdir(t, path, mode, cause);
}

static int
ssh_chmod(struct transport *t, const char *path, mode_t mode, char **cause)
{
	char		 m[16];
	const char	*argv[] = { "chmod", path, m, NULL };
	int		 r;

	snprintf(m, sizeof m, "%u", (unsigned int)mode);
	if ((r = ssh_serve_op(t, argv, NULL, cause)) != -2)
		return r;
	return sshtr_sftp_chmod(t, path, mode, cause);
}

static int
ssh_chown(struct transport *t, const char *path, uid_t uid, gid_t gid,
    char **cause)
{
	char		 u[24], g[24];
	const char	*argv[] = { "chown", path, u, g, NULL };
	int		 r;

	snprintf(u, sizeof u, "%ld", uid == (uid_t)-1 ? -1L : (long)uid);
	snprintf(g, sizeof g, "%ld", gid == (gid_t)-1 ? -1L : (long)gid);
	if ((r = ssh_serve_op(t, argv, NULL, cause)) != -2)
		return r;
	return sshtr_sftp_chown(t, path, uid, gid, cause);
}

static int
ssh_remove(struct transport *t, const char *path, char **cause)
{
	const char	*argv[] = { "rm", path, NULL };
	int		 r;

	if ((r = ssh_serve_op(t, argv, NULL, cause)) != -2)
		return r;
	return sshtr_sftp_remove(t, path, cause);
}

static int
ssh_rename(struct transport *t, const char *from, const char *to,
    char **cause)
{
	const char	*argv[] = { "mv", from, to, NULL };
	int		 r;

	if ((r = ssh_serve_op(t, argv, NULL, cause)) != -2)
		return r;
	return sshtr_sftp_rename(t, from, to, cause);
}

static int
ssh_readlink(struct transport *t, const char *path, struct buf *out,
    char **cause)
{
	const char	*argv[] = { "readlink", path, NULL };
	int		 r;

	if ((r = ssh_serve_op(t, argv, out, cause)) != -2)
		return r;
	return sshtr_sftp_readlink(t, path, out, cause);
}

static int
ssh_unix_query(struct transport *t, const char *path, const void *req,
    size_t len, struct buf *out, int timeout_ms, char **cause)
{
	struct run_result	 rr;
	char			 tmo[16];
	const char		*args[] = { "query", path, tmo, NULL };
	int			 rc = -1;

	snprintf(tmo, sizeof tmo, "%d", timeout_ms > 0 ? timeout_ms : 10000);
	if (sshtr_run_helper(t, "a control socket", args, req, len,
	    (timeout_ms > 0 ? timeout_ms : 10000) + 10000, &rr, cause) != 0)
		return -1;
	if (rr.status != 0) {
		str_trim(rr.err.data);
		*cause = xstrdup(rr.err.len ? rr.err.data : "query failed");
	} else {
		buf_add(out, rr.out.data, rr.out.len);
		rc = 0;
	}
	run_result_release(&rr);
	return rc;
}

static int
ssh_remove_locked(struct transport *t, const char *path,
    const struct strv *also, int *state, char **cause)
{
	struct run_result	 rr;
	struct strv		 args = STRV_INIT;
	size_t			 i;
	int			 rc = -1;

	strv_push(&args, "remove-locked");
	strv_push(&args, path);
	for (i = 0; also != NULL && i < also->n; i++)
		strv_push(&args, also->v[i]);
	if (sshtr_run_helper(t, "removing a locked queue file",
	    (const char *const *)args.v, NULL, 0, 0, &rr, cause) != 0) {
		strv_release(&args);
		return -1;
	}
	strv_release(&args);
	str_trim(rr.out.data);
	if (rr.status != 0) {
		str_trim(rr.err.data);
		*cause = xstrdup(rr.err.len ? rr.err.data : "remove failed");
	} else if (strcmp(rr.out.data, "removed") == 0) {
		*state = TRL_REMOVED;
		rc = 0;
	} else if (strcmp(rr.out.data, "busy") == 0) {
		*state = TRL_BUSY;
		rc = 0;
	} else if (strcmp(rr.out.data, "missing") == 0) {
		*state = TRL_MISSING;
		rc = 0;
	} else
		*cause = xasprintf("%s: unexpected answer from the remote "
		    "smadm: %s", path, rr.out.data);
	run_result_release(&rr);
	return rc;
}

static void
sshtr_free(struct transport *t)
{
	struct ssh_priv	*sp = sp_of(t);

	sshtr_priv_free(sp);
	free(t->name);
	free(t);
}

static const struct transport_ops ssh_ops = {
	.name = "ssh",
	.read_file = ssh_read_file,
	.write_file = ssh_write_file,
	.stat = sshtr_stat,
	.list_dir = ssh_list_dir,
	.mkdir = sshtr_mkdir,
	.chmod = ssh_chmod,
	.chown = ssh_chown,
	.remove = ssh_remove,
	.rename = ssh_rename,
	.readlink = ssh_readlink,
	.run = sshtr_run_public,
	.kill = sshtr_kill,
	.stream_open = sshtr_stream_open,
	.stream_read = sshtr_stream_read,
	.stream_fd = sshtr_stream_fd,
	.stream_close = sshtr_stream_close,
	.unix_query = ssh_unix_query,
	.dir_open = sshtr_dir_open,
	.dir_supported = sshtr_dir_supported,
	.dir_read = sshtr_dir_read,
	.dir_close = sshtr_dir_close,
	.remove_locked = ssh_remove_locked,
	.lock = transport_ssh_lock,
	.unlock = transport_ssh_unlock,
	.free = sshtr_free,
};

struct transport *
transport_ssh_create(const struct ssh_opts *o, char **cause)
{
	struct transport	*t;
	struct ssh_priv		*sp;

	if (o->spec == NULL || *o->spec == '\0' || *o->spec == '-') {
		*cause = xasprintf("\"%s\": not a host name",
		    o->spec != NULL ? o->spec : "");
		return NULL;
	}
	sp = xcalloc(1, sizeof *sp);
	sp->opts = *o;
	sp->spec = xstrdup(o->spec);
	buf_init(&sp->serve_in);
	sp->smadm_path = o->smadm_path != NULL ? xstrdup(o->smadm_path) : NULL;
	sp->opts.spec = sp->spec;
	sp->opts.smadm_path = sp->smadm_path;
	sshtr_parse_spec(sp, o->spec);
	if (sshtr_connect_session(sp, 1, cause) != 0) {
		sshtr_priv_free(sp);
		return NULL;
	}
	t = xcalloc(1, sizeof *t);
	t->ops = &ssh_ops;
	t->priv = sp;
	t->name = xstrdup(sp->host);
	return t;
}

struct transport *
transport_ssh_again(struct transport *t, char **cause)
{
	struct ssh_priv		*sp = sp_of(t);
	struct ssh_opts		 o = sp->opts;
	struct transport	*t2;

	o.prompt = NULL;
	o.prompt_arg = NULL;
	o.ask_host_key = 0;
	o.accept_new = 0;
	o.notice = NULL;
	o.notice_arg = NULL;
	if ((t2 = transport_ssh_create(&o, cause)) != NULL)
		sp_of(t2)->read_timeout_ms = sp->read_timeout_ms;
	return t2;
}

int
transport_is_ssh(const struct transport *t)
{
	return t != NULL && t->ops == &ssh_ops;
}

void
transport_ssh_set_timeout(struct transport *t, int seconds)
{
	sp_of(t)->read_timeout_ms = seconds > 0 ? seconds * 1000 : 0;
}

void
transport_ssh_set_sudo(struct transport *t, int on)
{
	if (transport_is_ssh(t))
		sp_of(t)->opts.sudo = on;
}

int
transport_ssh_keepalive(struct transport *t, char **cause)
{
	struct ssh_priv	*sp;

	if (!transport_is_ssh(t))
		return 0;
	sp = sp_of(t);
	if (sp->s != NULL && ssh_is_connected(sp->s)) {
		if (time(NULL) - sp->last_used < SSH_KEEPALIVE_S)
			return 0;
		sp->last_used = time(NULL);
		/* An ignore message the server must read; a dead peer shows. */
		if (ssh_send_ignore(sp->s, "smadm") == SSH_OK &&
		    ssh_blocking_flush(sp->s, 5000) == SSH_OK &&
		    ssh_is_connected(sp->s))
			return 0;
	}
	if (sshtr_ensure(sp, cause) != 0)
		return -1;
	return 1;
}

#else /* !HAVE_SSH */

struct transport *
transport_ssh_create(const struct ssh_opts *o unused, char **cause)
{
	*cause = xstrdup("this smadm was built without libssh: no remote "
	    "hosts (install libssh-dev and run ./configure again)");
	return NULL;
}

struct transport *
transport_ssh_again(struct transport *t unused, char **cause)
{
	*cause = xstrdup("this smadm was built without libssh");
	return NULL;
}

int
transport_is_ssh(const struct transport *t unused)
{
	return 0;
}

void
transport_ssh_set_timeout(struct transport *t unused, int seconds unused)
{
}

void
transport_ssh_cancel_hook(int (*cb)(void *) unused, void *arg unused)
{
}

void
transport_ssh_set_sudo(struct transport *t unused, int on unused)
{
}

const char *
transport_ssh_helper(struct transport *t unused)
{
	return NULL;
}

int
transport_ssh_keepalive(struct transport *t unused, char **cause unused)
{
	return 0;
}

#endif
