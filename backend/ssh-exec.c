/*
 * ssh-exec.c -- running programs on the host in exec channels (the one
 * command line comes from sh_quote_argv()), the helper's own commands,
 * and following a file, through "smadm remote follow" or by polling SFTP.
 */
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "op.h"
#include "remote-proto.h"
#include "shquote.h"
#include "transport-ssh.h"
#include "transport-ssh-int.h"

#if HAVE_SSH

#define SSH_OUTPUT_MAX		(64u * 1024 * 1024)
#define SSH_TIMEOUT_MS		120000
/* The first line of a cancellable run's standard error: its pid. */
#define SSH_PID_MARK		"smadm-pid "
#define SSH_CHUNK		(256 * 1024)
#define STREAM_LIMIT		(16u * 1024 * 1024)

static const char *const ssh_safe_env[] = {
	"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C", "HOME=/", NULL
};

/* "PATH_SUDO -n --": a program run as root by a profile with "sudo = yes". */
void
sshtr_push_sudo(struct strv *v)
{
	strv_push(v, PATH_SUDO);
	strv_push(v, "-n");
	strv_push(v, "--");
}

/*
 * The command line of an exec channel.  raw: argv as is (the helper's
 * own commands); otherwise the fixed environment, sudo and the sandbox
 * namespace (through the helper) are added.
 */
int
sshtr_command(struct transport *t, const char *const *argv,
    const struct run_opts *ro, int privileged, struct buf *cmd, char **cause)
{
	struct ssh_priv		*sp = sp_of(t);
	struct strv		 v = STRV_INIT;
	const char *const	*env;
	const char		*helper;
	size_t			 i;

	if (ro != NULL && ro->ns_dir != NULL) {
		if ((helper = transport_ssh_helper(t)) == NULL) {
			*cause = sshtr_no_helper(t, "a sandbox namespace");
			return -1;
		}
	} else
		helper = NULL;
	/*
	 * A run that may be cancelled first says its pid, the session's
	 * process group, on its standard error, through /bin/sh whatever
	 * the login shell is (ssh_run_cmd takes the line off): sshd passes
	 * no signal to a root login's session, so a cancel kills the group.
	 */
	if (ro != NULL && ro->cancel != NULL) {
		strv_push(&v, PATH_SH);
		strv_push(&v, "-c");
		strv_push(&v, "echo " SSH_PID_MARK "$$ >&2 && exec \"$@\"");
		strv_push(&v, "sh");
	}
	if (privileged && sp->opts.sudo) {
		sshtr_push_sudo(&v);
	}
	strv_push(&v, PATH_ENV);
	strv_push(&v, "-i");
	env = ro != NULL && ro->env != NULL ? ro->env : ssh_safe_env;
	for (i = 0; env[i] != NULL; i++)
		if (strchr(env[i], '=') != NULL)
			strv_push(&v, env[i]);
	if (helper != NULL) {
		strv_push(&v, helper);
		strv_push(&v, "remote");
		strv_push(&v, "ns-exec");
		strv_push(&v, ro->ns_dir);
		strv_push(&v, "--");
	}
	for (i = 0; argv[i] != NULL; i++)
		strv_push(&v, argv[i]);
	buf_addstr(cmd, "cd ");
	sh_quote(cmd, ro != NULL && ro->cwd != NULL ? ro->cwd : "/");
	/* exec: a signal sshd passes on the channel reaches the program. */
	buf_addstr(cmd, " && exec ");
	sh_quote_argv(cmd, (const char *const *)v.v);
	strv_release(&v);
	return 0;
}

/*
 * ssh_channel_open_session(), with quick ACKs while its answer is awaited
 * (sshtr_quickack): the request is sent without blocking, so that they are
 * turned on after our last send, and the socket is then polled.
 */
static int
ssh_open_session(struct ssh_priv *sp, ssh_channel ch)
{
	struct pollfd	 pfd;
	long long	 deadline;
	int		 rc;

	ssh_set_blocking(sp->s, 0);
	rc = ssh_channel_open_session(ch);
	sshtr_quickack(sp->s);
	deadline = sshtr_now_ms() + SSH_TIMEOUT_MS;
	while (rc == SSH_AGAIN && sshtr_now_ms() < deadline) {
		pfd.fd = ssh_get_fd(sp->s);
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 100) == -1 && errno != EINTR)
			break;
		rc = ssh_channel_open_session(ch);
	}
	ssh_set_blocking(sp->s, 1);
	return rc == SSH_AGAIN ? SSH_ERROR : rc;
}

ssh_channel
sshtr_exec(struct ssh_priv *sp, const char *cmd, char **cause)
{
	ssh_channel	ch;
	int		tries;

	for (tries = 0; tries < 2; tries++) {
		if (sshtr_ensure(sp, cause) != 0)
			return NULL;
		if ((ch = ssh_channel_new(sp->s)) == NULL)
			goto retry;
		if (ssh_open_session(sp, ch) != SSH_OK) {
			ssh_channel_free(ch);
			goto retry;
		}
		if (ssh_channel_request_exec(ch, cmd) != SSH_OK) {
			*cause = xasprintf("%s: exec: %s", sp->spec,
			    ssh_get_error(sp->s));
			ssh_channel_close(ch);
			ssh_channel_free(ch);
			return NULL;
		}
		return ch;
retry:
		if (ssh_is_connected(sp->s)) {
			*cause = xasprintf("%s: cannot open a channel: %s",
			    sp->spec, ssh_get_error(sp->s));
			return NULL;
		}
	}
	*cause = xasprintf("%s: connection lost: %s", sp->spec,
	    sp->s != NULL ? ssh_get_error(sp->s) : "?");
	return NULL;
}

/*
 * Read what is waiting on both streams, straight into the buffers; 1 at
 * the end of both.
 */
int
sshtr_drain(ssh_channel ch, struct buf *out, struct buf *err, size_t max,
    int *truncated, int wait_ms, char **cause)
{
	struct buf	*b;
	int		 n, idle = 1, i;

	for (i = 0; i < 2; i++) {
		b = i == 0 ? out : err;
		buf_grow(b, SSH_CHUNK);
		if (i == 0 && wait_ms > 0)
			n = ssh_channel_read_timeout(ch, b->data + b->len,
			    SSH_CHUNK, 0, wait_ms);
		else
			n = ssh_channel_read_nonblocking(ch, b->data + b->len,
			    SSH_CHUNK, i);
		if (n == SSH_ERROR) {
			*cause = xstrdup("connection lost while reading");
			b->data[b->len] = '\0';
			return -1;
		}
		if (n > 0) {
			idle = 0;
			if (b->len + (size_t)n <= max)
				b->len += (size_t)n;
			else
				*truncated = 1;
		}
		b->data[b->len] = '\0';
	}
	if (idle && ssh_channel_is_eof(ch) &&
	    ssh_channel_poll(ch, 0) <= 0 && ssh_channel_poll(ch, 1) <= 0)
		return 1;
	return 0;
}

/*
 * The pid line of a run that may be cancelled, on its standard error
 * after whatever the login shell's start-up files wrote there: taken off
 * and returned, 0 until it has come whole.
 */
static pid_t
ssh_take_pid(struct buf *err)
{
	const size_t	 ml = sizeof SSH_PID_MARK - 1;
	char		*line, *nl, *end;
	long		 pid;

	for (line = err->data; line < err->data + err->len; line = nl + 1) {
		nl = memchr(line, '\n', err->len - (size_t)(line - err->data));
		if (nl == NULL)
			return 0;	/* not whole yet */
		if ((size_t)(nl - line) <= ml || memcmp(line, SSH_PID_MARK,
		    ml) != 0)
			continue;
		pid = strtol(line + ml, &end, 10);
		if (end != nl || pid <= 1)
			continue;
		/* The rest moves up, with the terminating NUL drain keeps. */
		memmove(line, nl + 1, err->len - (size_t)(nl + 1 -
		    err->data) + 1);
		err->len -= (size_t)(nl + 1 - line);
		return (pid_t)pid;
	}
	return 0;
}

/* Cancelled: sig to the program's process group, in a channel of its own. */
static void
ssh_signal_run(struct transport *t, pid_t pid, int sig)
{
	char	*cause = NULL;

	if (pid > 1 && sshtr_kill(t, -pid, sig, &cause) != 0)
		free(cause);
}

static int
ssh_run_cmd(struct transport *t, const char *cmd, const struct run_opts *ro,
    struct run_result *rr, char **cause)
{
	struct ssh_priv	*sp = sp_of(t);
	ssh_channel	 ch;
	const char	*inp = ro->stdin_data;
	size_t		 inleft = ro->stdin_data != NULL ? ro->stdin_len : 0;
	size_t		 max = ro->max_output ? ro->max_output : SSH_OUTPUT_MAX;
	size_t		 want;
	long long	 deadline, give_up = -1;
	pid_t		 pid = 0;
	int		 timeout, n, rc = -1, st, ended = 0;

	run_result_init(rr);
	timeout = ro->timeout_ms == 0 ? SSH_TIMEOUT_MS : ro->timeout_ms;
	deadline = timeout > 0 ? sshtr_now_ms() + timeout : -1;
	if ((ch = sshtr_exec(sp, cmd, cause)) == NULL)
		return -1;
	while (inleft > 0) {
		want = inleft > 32768 ? 32768 : inleft;
		if ((n = ssh_channel_write(ch, inp, (uint32_t)want)) <= 0)
			break;	/* the program stopped reading */
		inp += n;
		inleft -= (size_t)n;
		if (sshtr_drain(ch, &rr->out, &rr->err, max, &rr->truncated, 0,
		    cause) < 0)
			goto out;
	}
	ssh_channel_send_eof(ch);
	for (;;) {
		n = sshtr_drain(ch, &rr->out, &rr->err, max, &rr->truncated, 100,
		    cause);
		if (n < 0)
			goto out;
		if (ro->cancel != NULL && pid == 0)
			pid = ssh_take_pid(&rr->err);
		if (n == 1) {
			ended = 1;
			break;
		}
		/*
		 * Cancelled: SIGTERM on the channel (sshd passes it to the
		 * program, which the command line exec'd, unless the login is
		 * root's) and to the program's process group; past the grace
		 * SIGKILL, and the channel is closed.
		 */
		if (!rr->cancelled && op_cancelled(ro->cancel)) {
			rr->cancelled = 1;
			ssh_channel_request_send_signal(ch, "TERM");
			ssh_signal_run(t, pid, SIGTERM);
			give_up = sshtr_now_ms() + RUN_CANCEL_GRACE_MS;
		}
		if (give_up != -1 && sshtr_now_ms() > give_up) {
			ssh_signal_run(t, pid, SIGKILL);
			break;
		}
		if (!rr->cancelled && deadline != -1 &&
		    sshtr_now_ms() > deadline) {
			rr->timed_out = 1;
			break;
		}
	}
	if (rr->cancelled && (!ended ||
	    (st = ssh_channel_get_exit_status(ch)) < 0)) {
		rr->status = 128 + SIGTERM;
		rr->signo = SIGTERM;
	} else if (rr->cancelled) {
		rr->exited = 1;
		rr->status = st;
	} else if (rr->timed_out) {
		rr->status = 128 + SIGKILL;
		rr->signo = SIGKILL;
	} else if ((st = ssh_channel_get_exit_status(ch)) >= 0) {
		rr->exited = 1;
		rr->status = st;
	} else {
		rr->signo = SIGKILL;
		rr->status = 128 + SIGKILL;
	}
	rc = 0;
out:
	ssh_channel_close(ch);
	ssh_channel_free(ch);
	return rc;
}

int
sshtr_run(struct transport *t, const char *const *argv,
    const struct run_opts *ro, struct run_result *rr, char **cause)
{
	struct run_opts	 def;
	struct buf	 cmd = BUF_INIT;
	char		*user;
	int		 rc;

	if (ro == NULL) {
		run_opts_init(&def);
		ro = &def;
	}
	if (sshtr_command(t, argv, ro, 1, &cmd, cause) != 0) {
		run_result_init(rr);
		return -1;
	}
	rc = ssh_run_cmd(t, cmd.data, ro, rr, cause);
	if (rc == 0 && sp_of(t)->opts.sudo && rr->exited &&
	    (rr->status == 1 || rr->status == 127) &&
	    (str_startswith(rr->err.data, "sudo:") ||
	    strstr(rr->err.data, PATH_SUDO) != NULL)) {
		user = NULL;
		ssh_options_get(sp_of(t)->s, SSH_OPTIONS_USER, &user);
		*cause = xasprintf("%s on %s: the profile says \"sudo = yes\" "
		    "but sudo -n refused or is missing (%s): install sudo and "
		    "let %s run it without a password, or log in as root",
		    argv[0], t->name, str_trim(rr->err.data),
		    user != NULL ? user : "the login user");
		ssh_string_free_char(user);
		run_result_release(rr);
		rc = -1;
	}
	/* A program that is not there: the local transport's message. */
	if (rc == 0 && rr->exited && rr->status == 127 && rr->out.len == 0 &&
	    strstr(rr->err.data, "No such file") != NULL) {
		*cause = xasprintf("%s: No such file or directory", argv[0]);
		run_result_release(rr);
		rc = -1;
	}
	buf_release(&cmd);
	return rc;
}

/* A helper command, run as is (with sudo when configured). */
int
sshtr_run_helper(struct transport *t, const char *what,
    const char *const *args, const void *in, size_t inlen, int timeout_ms,
    struct run_result *rr, char **cause)
{
	struct run_opts	 ro;
	struct strv	 v = STRV_INIT;
	const char	*helper;
	size_t		 i;
	int		 rc;

	if ((helper = transport_ssh_helper(t)) == NULL) {
		*cause = sshtr_no_helper(t, what);
		return -1;
	}
	strv_push(&v, helper);
	strv_push(&v, "remote");
	for (i = 0; args[i] != NULL; i++)
		strv_push(&v, args[i]);
	run_opts_init(&ro);
	ro.stdin_data = in;
	ro.stdin_len = inlen;
	ro.timeout_ms = timeout_ms;
	rc = sshtr_run(t, (const char *const *)v.v, &ro, rr, cause);
	strv_release(&v);
	return rc;
}

int
sshtr_kill(struct transport *t, pid_t pid, int sig, char **cause)
{
	struct run_result	 rr;
	char			 s[16], p[24];
	const char		*argv[] = { PATH_KILL, s, "--", p, NULL };
	int			 rc = -1;

	snprintf(s, sizeof s, "-%d", sig);
	snprintf(p, sizeof p, "%ld", (long)pid);
	if (sshtr_run(t, argv, NULL, &rr, cause) != 0)
		return -1;
	if (rr.status != 0) {
		str_trim(rr.err.data);
		*cause = xasprintf("kill %ld: %s", (long)pid,
		    strstr(rr.err.data, "No such process") != NULL ?
		    "No such process" : strstr(rr.err.data,
		    "not permitted") != NULL ? "Operation not permitted" :
		    rr.err.data);
	} else
		rc = 0;
	run_result_release(&rr);
	return rc;
}

int
sshtr_run_public(struct transport *t, const char *const *argv,
    const struct run_opts *ro, struct run_result *rr, char **cause)
{
	return sshtr_run(t, argv, ro, rr, cause);
}

/*
 * Following a file.  With the helper, "smadm remote follow PATH OFFSET"
 * runs the local transport's stream there and answers each "R" line on
 * its standard input with "D <len>\n" and what is new (or "E <message>"),
 * so a read returns what the file holds now, as a local read does, and
 * rotation is handled the same way.  Without it, SFTP is polled: what
 * lies beyond the offset is read; a file that became shorter was rotated
 * or truncated and is read again from its start (lines written to a
 * renamed file after the last read are lost: SFTP has no inode numbers).
 */
struct tstream {
	struct transport	*t;
	unsigned int		 gen;	/* ch belongs to this connection */
	ssh_channel		 ch;	/* NULL: SFTP polling */
	char			*path;
	int			 framed;	/* the helper answers R */
	off_t			 off;		/* SFTP polling */
	struct buf		 in;
	struct buf		 err;
};

static int
ssh_stream_poll(struct tstream *ts, struct buf *out, char **cause)
{
	struct ssh_priv	*sp = sp_of(ts->t);
	sftp_attributes	 a;
	sftp_file	 f;
	size_t		 before = out->len, want;
	ssize_t		 n;

	if (sshtr_sftp(sp, cause) != 0)
		return -1;
	if ((a = sftp_stat(sp->sftp, ts->path)) == NULL)
		return 0;	/* between a rename and the new file */
	if ((off_t)a->size < ts->off)
		ts->off = 0;
	want = (size_t)((off_t)a->size - ts->off);
	sftp_attributes_free(a);
	if (want == 0)
		return 0;
	if (want > STREAM_LIMIT)
		want = STREAM_LIMIT;
	if ((f = sftp_open(sp->sftp, ts->path, O_RDONLY, 0)) == NULL) {
		*cause = sshtr_file_error(sp, "", ts->path);
		return -1;
	}
	if (sftp_seek64(f, (uint64_t)ts->off) != 0) {
		sftp_close(f);
		*cause = sshtr_file_error(sp, "seek", ts->path);
		return -1;
	}
	while (want > 0) {
		buf_grow(out, want);
		n = sftp_read(f, out->data + out->len, want);
		if (n < 0) {
			sftp_close(f);
			*cause = sshtr_file_error(sp, "", ts->path);
			return -1;
		}
		if (n == 0)
			break;
		out->len += (size_t)n;
		out->data[out->len] = '\0';
		ts->off += n;
		want -= (size_t)n;
	}
	sftp_close(f);
	return (int)(out->len - before);
}

struct tstream *
sshtr_stream_open(struct transport *t, const char *path, off_t offset,
    char **cause)
{
	struct ssh_priv	*sp = sp_of(t);
	struct tstream	*ts;
	struct buf	 cmd = BUF_INIT;
	struct strv	 v = STRV_INIT;
	struct tstat	 st;
	const char	*helper;
	char		 off[32];

	/* A missing file is followed until it appears, as locally. */
	if (sshtr_stat(t, path, 1, &st, cause) != 0)
		return NULL;
	if (st.type != TS_NONE && st.type != TS_REG) {
		*cause = xasprintf("%s: not a regular file", path);
		return NULL;
	}
	snprintf(off, sizeof off, "%lld", (long long)offset);
	if (sp->opts.sudo) {
		sshtr_push_sudo(&v);
	}
	ts = xcalloc(1, sizeof *ts);
	if ((helper = transport_ssh_helper(t)) != NULL) {
		strv_push(&v, helper);
		strv_push(&v, "remote");
		strv_push(&v, "follow");
		strv_push(&v, path);
		strv_push(&v, off);
		ts->framed = 1;
	}
	ts->t = t;
	ts->path = xstrdup(path);
	buf_init(&ts->in);
	buf_init(&ts->err);
	if (!ts->framed) {
		strv_release(&v);
		ts->off = offset >= 0 ? offset : st.type == TS_REG ? st.size : 0;
		return ts;
	}
	sh_quote_argv(&cmd, (const char *const *)v.v);
	strv_release(&v);
	ts->ch = sshtr_exec(sp, cmd.data, cause);
	ts->gen = sp->gen;
	if (ts->ch == NULL) {
		buf_release(&cmd);
		free(ts->path);
		free(ts);
		return NULL;
	}
	buf_release(&cmd);
	return ts;
}

/* Close the follow channel; later reads say it is closed. */
static void
ssh_stream_drop(struct tstream *ts)
{
	if (ts->ch != NULL && ts->gen == sp_of(ts->t)->gen) {
		ssh_channel_close(ts->ch);
		ssh_channel_free(ts->ch);
	}
	ts->ch = NULL;
	buf_reset(&ts->in);
}

static int
ssh_stream_ended(struct tstream *ts, char **cause)
{
	str_trim(ts->err.data);
	*cause = xasprintf("%s: following stopped on %s%s%s", ts->path,
	    ts->t->name, ts->err.len ? ": " : "", ts->err.data);
	return -1;
}

int
sshtr_stream_read(struct tstream *ts, struct buf *out, char **cause)
{
	struct ssh_priv		*sp = sp_of(ts->t);
	struct rp_answer	 a;
	long long		 progress;
	size_t			 before;
	int			 trunc = 0, n;

	if (!ts->framed)
		return ssh_stream_poll(ts, out, cause);
	if (ts->ch != NULL && ts->gen != sp->gen) {
		/* That connection is gone, and its channels with it. */
		ts->ch = NULL;
		*cause = xasprintf("%s: connection to %s lost", ts->path,
		    ts->t->name);
		return -1;
	}
	if (ts->ch == NULL) {
		*cause = xasprintf("%s: the follow channel is closed",
		    ts->path);
		return -1;
	}
	if (ssh_channel_write(ts->ch, "R\n", 2) != 2)
		return ssh_stream_ended(ts, cause);
	progress = sshtr_now_ms();
	for (;;) {
		n = rp_answer_parse(ts->in.data, ts->in.len, RP_FOLLOW_MAX,
		    ts->path, &a, cause);
		if (n == 1 && a.tag == RP_ERROR) {
			*cause = xstrndup(a.text, a.textlen);
			buf_reset(&ts->in);
			return -1;
		}
		if (n == 1 && a.tag == RP_DATA) {
			buf_add(out, a.data, a.len);
			memmove(ts->in.data, ts->in.data + a.used,
			    ts->in.len - a.used);
			buf_truncate(&ts->in, ts->in.len - a.used);
			return (int)a.len;
		}
		if (n == 1) {
			*cause = xasprintf("%s: garbled answer from the "
			    "remote smadm", ts->path);
			n = -1;
		}
		if (n < 0) {
			/* Nothing after a bad answer can be trusted. */
			ssh_stream_drop(ts);
			return -1;
		}
		before = ts->in.len;
		n = sshtr_drain(ts->ch, &ts->in, &ts->err, RP_LINE_MAX +
		    RP_FOLLOW_MAX, &trunc, 100, cause);
		if (ts->err.len > RP_LINE_MAX)
			buf_truncate(&ts->err, RP_LINE_MAX);
		if (n < 0)
			return -1;
		if (n == 1)
			return ssh_stream_ended(ts, cause);
		if (ts->in.len > before)
			progress = sshtr_now_ms();
		else if (sshtr_wait_check(sp, progress, 0, ts->path,
		    cause) != 0) {
			ssh_stream_drop(ts);
			return -1;
		}
	}
}

int
sshtr_stream_fd(struct tstream *ts unused)
{
	return -1;
}

void
sshtr_stream_close(struct tstream *ts)
{
	if (ts->ch != NULL && ts->gen == sp_of(ts->t)->gen) {
		ssh_channel_send_eof(ts->ch);
		ssh_channel_close(ts->ch);
		ssh_channel_free(ts->ch);
	}
	buf_release(&ts->in);
	buf_release(&ts->err);
	free(ts->path);
	free(ts);
}

#endif /* HAVE_SSH */
