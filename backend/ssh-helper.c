/*
 * ssh-helper.c -- the client side of the helper protocol (remote-proto.h):
 * finding the smadm on the host and talking to its long-lived
 * "smadm remote serve" process over one channel.
 */
#include <sys/types.h>

#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "remote-proto.h"
#include "shquote.h"
#include "transport-ssh.h"
#include "transport-ssh-int.h"

#if HAVE_SSH

/* Where an smadm binary may be on the far side, after the configured one. */
static const char *const ssh_helper_paths[] = {
	"/usr/sbin/smadm", "/usr/local/sbin/smadm", "/usr/bin/smadm",
	"/usr/local/bin/smadm", NULL
};

/*
 * The helper: an smadm on the far side, looked for once per connection:
 * the configured path (by default this binary's own path), then the usual
 * places.  Found only when it is a regular, executable file.
 */
const char *
transport_ssh_helper(struct transport *t)
{
	struct ssh_priv	*sp = sp_of(t);
	struct tstat	 st;
	const char	*cand;
	char		*cause = NULL;
	size_t		 i;

	if (sp->helper_known)
		return sp->helper;
	sp->helper_known = 1;
	if (sp->smadm_path != NULL && strcmp(sp->smadm_path, "none") == 0)
		return NULL;
	for (i = 0; i < nitems(ssh_helper_paths); i++) {
		cand = i == 0 ? sp->smadm_path : ssh_helper_paths[i - 1];
		if (cand == NULL || *cand != '/')
			continue;
		if (sshtr_sftp_stat(t, cand, 1, &st, &cause) != 0) {
			free(cause);
			cause = NULL;
			continue;
		}
		if (st.type == TS_REG && (st.mode & 0111) != 0) {
			sp->helper = xstrdup(cand);
			break;
		}
	}
	return sp->helper;
}

char *
sshtr_no_helper(struct transport *t, const char *what)
{
	return xasprintf("%s on %s needs smadm installed there (looked for "
	    "%s and in /usr/sbin, /usr/local/sbin, /usr/bin, /usr/local/bin)",
	    what, t->name, sp_of(t)->smadm_path != NULL ?
	    sp_of(t)->smadm_path : "smadm");
}

/*
 * The serve channel: one "smadm remote serve" per connection answers
 * reads, stats and listings (and directory reads, below) without a shell
 * start each, with the local transport's exact answers (nanosecond
 * times, device and inode numbers, its error messages).  Without it
 * SFTP does the same work.
 */
void
sshtr_serve_drop(struct ssh_priv *sp)
{
	/* Its locks end with it: nothing may go on as if they did not. */
	if (sp->serve_locks > 0) {
		sp->lock_lost = 1;
		sp->serve_locks = 0;
	}
	if (sp->serve != NULL) {
		ssh_channel_close(sp->serve);
		ssh_channel_free(sp->serve);
		sp->serve = NULL;
	}
	sp->serve_busy = 0;
	buf_reset(&sp->serve_in);
}

/*
 * The answer to the request just sent, at the start of serve_in, at most
 * max bytes of data.  1: *a points into serve_in (ssh_serve_consume once
 * used); -1 with *cause: a bad, oversized or late answer, or the person
 * gave up (the channel is dropped: nothing more on it can be trusted, and
 * SFTP does the rest); -2: the channel ended before an answer began.
 */
static int
ssh_serve_answer(struct ssh_priv *sp, size_t max, int extra_ms,
    const char *what, struct rp_answer *a, char **cause)
{
	struct buf	 junk = BUF_INIT;
	long long	 progress = sshtr_now_ms();
	size_t		 before;
	char		*err = NULL;
	int		 trunc = 0, n, r, w = 0;

	for (;;) {
		r = rp_answer_parse(sp->serve_in.data, sp->serve_in.len, max,
		    what, a, cause);
		if (r != 0)
			break;
		before = sp->serve_in.len;
		/* Its standard error is not part of the answer. */
		n = sshtr_drain(sp->serve, &sp->serve_in, &junk,
		    RP_LINE_MAX + max, &trunc, 100, &err);
		buf_reset(&junk);
		free(err);
		err = NULL;
		if (n != 0 && sp->serve_in.len == 0) {
			r = -2;
			break;
		}
		if (n != 0) {
			*cause = xasprintf("%s: the smadm on %s stopped in the "
			    "middle of an answer", what, sp->spec);
			r = -1;
			break;
		}
		if (sp->serve_in.len > before)
			progress = sshtr_now_ms();
		else if ((w = sshtr_wait_check(sp, progress, extra_ms, what,
		    cause)) != 0) {
			r = -1;
			break;
		}
	}
	buf_release(&junk);
	if (r < 0) {
		sshtr_serve_drop(sp);
		/* A bad or late helper is not asked again; one given up is. */
		if (r == -1 && w != -2)
			sp->serve_failed = 1;
	}
	return r;
}

static void
ssh_serve_consume(struct ssh_priv *sp, size_t used)
{
	memmove(sp->serve_in.data, sp->serve_in.data + used,
	    sp->serve_in.len - used);
	buf_truncate(&sp->serve_in, sp->serve_in.len - used);
}

/* Start "PATH remote serve"; 0 when it answers a first request. */
static int
ssh_serve_start(struct ssh_priv *sp, const char *path)
{
	const char	*first[] = { "stat", "/", "1", NULL };
	struct strv	 v = STRV_INIT;
	struct buf	 cmd = BUF_INIT, req = BUF_INIT;
	struct rp_answer a;
	char		*cause = NULL;
	int		 tmo;

	if (sp->opts.sudo) {
		sshtr_push_sudo(&v);
	}
	strv_push(&v, path);
	strv_push(&v, "remote");
	strv_push(&v, "serve");
	sh_quote_argv(&cmd, (const char *const *)v.v);
	strv_release(&v);
	sp->serve = sshtr_exec(sp, cmd.data, &cause);
	buf_release(&cmd);
	free(cause);
	cause = NULL;
	if (sp->serve == NULL)
		return -1;
	/* A first request: a missing binary or a refusing sudo ends here. */
	rp_request_format(&req, first);
	if (ssh_channel_write(sp->serve, req.data, (uint32_t)req.len) !=
	    (int)req.len) {
		buf_release(&req);
		goto fail;
	}
	buf_release(&req);
	/* It answers a stat of / at once, or it is not a working smadm. */
	tmo = sp->read_timeout_ms > 0 ? sp->read_timeout_ms :
	    SSH_REMOTE_TIMEOUT_MS;
	if (ssh_serve_answer(sp, 0, tmo > SSH_SERVE_START_MS ?
	    SSH_SERVE_START_MS - tmo : 0, path, &a, &cause) != 1)
		goto fail;
	if (a.tag != RP_STAT)
		goto fail;
	ssh_serve_consume(sp, a.used);
	sp->serve_gen++;
	return 0;
fail:
	free(cause);
	sshtr_serve_drop(sp);
	return -1;
}

/* Is the serve channel there and free?  Started on first use. */
int
sshtr_serve_ready(struct transport *t)
{
	struct ssh_priv	*sp = sp_of(t);
	const char	*helper, *tried = NULL;

	sshtr_locks_check(sp);
	if (sp->serve_failed || sp->serve_busy || sp->lock_lost)
		return 0;
	if (sp->serve != NULL && !ssh_channel_is_eof(sp->serve) &&
	    !ssh_channel_is_closed(sp->serve))
		return 1;
	if (sp->serve != NULL)
		sshtr_serve_drop(sp);
	if (sp->s == NULL || !ssh_is_connected(sp->s))
		return 0;
	/* Most often smadm is at the same path there: no SFTP at all. */
	if (!sp->helper_known && sp->smadm_path != NULL &&
	    sp->smadm_path[0] == '/') {
		if (ssh_serve_start(sp, sp->smadm_path) == 0) {
			sp->helper_known = 1;
			sp->helper = xstrdup(sp->smadm_path);
			return 1;
		}
		tried = sp->smadm_path;
	}
	if ((helper = transport_ssh_helper(t)) != NULL &&
	    (tried == NULL || strcmp(helper, tried) != 0) &&
	    ssh_serve_start(sp, helper) == 0)
		return 1;
	/*
	 * A helper that does not serve (it hangs, or answers garbage) is
	 * not trusted for anything else either: without it, SFTP and plain
	 * commands do the work, and nothing waits on it again.
	 */
	free(sp->helper);
	sp->helper = NULL;
	sp->helper_known = 1;
	sp->serve_failed = 1;
	return 0;
}

/*
 * One request on the serve channel, answered by one of tags (or E), its
 * data at most max bytes.  0: the answer's line (without its "\n") in
 * *line and its data in *payload; -1: the remote operation failed, or the
 * answer was bad (*cause); -2: the channel failed (use SFTP).
 */
int
sshtr_serve_call(struct transport *t, const char *const *argv,
    const void *extra, size_t extralen, const char *tags, size_t max,
    struct buf *line, struct buf *payload, char **cause)
{
	struct ssh_priv		*sp = sp_of(t);
	struct buf		 msg = BUF_INIT;
	struct rp_answer	 a;
	const char		*what = argv[1] != NULL ? argv[1] : argv[0];
	int			 n;

	rp_request_format(&msg, argv);
	n = ssh_channel_write(sp->serve, msg.data, (uint32_t)msg.len);
	if (n != (int)msg.len || (extralen > 0 && ssh_channel_write(sp->serve,
	    extra, (uint32_t)extralen) != (int)extralen)) {
		buf_release(&msg);
		sshtr_serve_drop(sp);
		return -2;
	}
	buf_release(&msg);
	if ((n = ssh_serve_answer(sp, max, sp->serve_wait_ms, what, &a,
	    cause)) != 1)
		return n;
	if (a.tag == RP_ERROR) {
		*cause = xstrndup(a.text, a.textlen);
		ssh_serve_consume(sp, a.used);
		return -1;
	}
	if (strchr(tags, a.tag) == NULL) {
		*cause = xasprintf("%s: garbled answer from the remote smadm "
		    "(\"%c\" to \"%s\")", what, a.tag, argv[0]);
		sshtr_serve_drop(sp);
		sp->serve_failed = 1;
		return -1;
	}
	buf_addch(line, a.tag);
	if (a.textlen > 0) {
		buf_addch(line, ' ');
		buf_add(line, a.text, a.textlen);
	}
	buf_add(payload, a.data, a.len);
	ssh_serve_consume(sp, a.used);
	return 0;
}

#endif /* HAVE_SSH */
