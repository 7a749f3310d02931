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
 * (cli/cmd-remote.c): the local transport's own code runs there, so the
 * answers are exactly the local ones, no shell is started per operation,
 * and a queue directory arrives as one deflated stream of frames.  What
 * else needs the remote smadm (the sandbox namespace, the control socket,
 * sendmail's qf lock, following a log with rotation) runs "smadm remote
 * ..." in its own channel.  Without it, SFTP does the file work (writes
 * atomic: temporary file, fsync@openssh.com, mode and owner, backup,
 * rename), queues are read file by file and logs are followed by polling.
 */
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>

#include "config.h"
#include "lock.h"
#include "remote-proto.h"
#include "shquote.h"
#include "ssh-hostkey.h"
#include "transport-ssh.h"

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

#include <libssh/callbacks.h>
#include <libssh/libssh.h>
#include <libssh/sftp.h>

#define SSH_READ_MAX		(256u * 1024 * 1024)
#define SSH_OUTPUT_MAX		(64u * 1024 * 1024)
#define SSH_TIMEOUT_MS		120000
#define SSH_CHUNK		(256 * 1024)
#define SSH_KEEPALIVE_S		30
#define SSH_PASSWORD_TRIES	3	/* ssh(1)'s NumberOfPasswordPrompts */
#define SSH_JUMP_MAX		8	/* jump hosts in a chain */
#define SSH_CIPHERS	"aes128-gcm@openssh.com,aes256-gcm@openssh.com," \
			"chacha20-poly1305@openssh.com,aes128-ctr,aes256-ctr"
#define STREAM_LIMIT		(16u * 1024 * 1024)
#define SSH_LOCKS		8
#define SSH_REMOTE_TIMEOUT_MS	30000	/* remote_timeout's default */

static const char *const ssh_safe_env[] = {
	"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C", "HOME=/", NULL
};

/* Where an smadm binary may be on the far side, after the configured one. */
static const char *const ssh_helper_paths[] = {
	"/usr/sbin/smadm", "/usr/local/sbin/smadm", "/usr/bin/smadm",
	"/usr/local/bin/smadm", NULL
};

struct ssh_priv {
	struct ssh_opts		 opts;
	char			*spec;
	char			*smadm_path;
	char			*host;		/* as given, without user/port */
	char			*user;
	int			 port;
	ssh_session		 s;
	sftp_session		 sftp;
	int			 have_fsync;
	int			 helper_known;
	char			*helper;	/* remote smadm, or NULL */
	ssh_channel		 serve;		/* "smadm remote serve", or NULL */
	int			 serve_busy;	/* a dir read is using it */
	int			 serve_failed;	/* not available: SFTP only */
	struct buf		 serve_in;	/* its answer so far */
	time_t			 last_used;
	struct ssh_lock_slot {
		int		 used;		/* until host_unlock */
		ssh_channel	 ch;		/* its own channel, or */
		char		*path;		/* held by serve number */
		unsigned int	 serve_gen;	/* serve_gen */
	}			 locks[SSH_LOCKS];
	int			 nlocks;	/* slots in use */
	int			 serve_locks;	/* held by the serve process */
	unsigned int		 serve_gen;	/* counts serve processes */
	int			 serve_wait_ms;	/* a call's extra wait (locks) */
	int			 read_timeout_ms; /* remote_timeout */
	int			 lock_lost;	/* a held lock went away */
	unsigned int		 gen;		/* counts connections made */
	struct ssh_callbacks_struct cb;
	/* ProxyJump: the connection is carried by the last jump host's. */
	char			*via;		/* hops to use, not the config's */
	int			 depth;		/* 0: the host itself */
	struct ssh_priv		*hop;		/* the last jump host, or NULL */
	ssh_channel		 hop_ch;	/* direct-tcpip to the host */
	int			 hop_fd;	/* our end of the socket pair */
	pthread_t		 hop_thread;	/* copies hop_ch <-> hop_fd */
	char			*key_note;	/* why a key file was not used */
	char			*key_given_up;	/* not asked about again */
};

static int	ssh_run(struct transport *, const char *const *,
		    const struct run_opts *, struct run_result *, char **);
static int	ssh_sftp_rename(struct transport *, const char *,
		    const char *, char **);
static int	ssh_stat(struct transport *, const char *, int, struct tstat *,
		    char **);
static ssh_channel ssh_exec(struct ssh_priv *, const char *, char **);
static int	ssh_drain(ssh_channel, struct buf *, struct buf *, size_t,
		    int *, int, char **);
static int	ssh_connect_session(struct ssh_priv *, int, char **);
static void	ssh_priv_free(struct ssh_priv *);
static void	ssh_parse_spec(struct ssh_priv *, const char *);

/*
 * Asked while an answer is awaited (transport_ssh_cancel_hook), on the
 * thread that set it only: fleet's threads wait without it.
 */
static int	(*ssh_cancel_cb)(void *);
static void	*ssh_cancel_arg;
static pthread_t ssh_cancel_thread;

static long long
ssh_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * While waiting for the smadm on the host: -1 with *cause once nothing
 * has come from it for remote_timeout (plus extra_ms, a lock's own wait)
 * since the last progress, -2 with *cause when the person gave up.
 */
static int
ssh_wait_check(struct ssh_priv *sp, long long progress, int extra_ms,
    const char *what, char **cause)
{
	int	tmo = sp->read_timeout_ms > 0 ? sp->read_timeout_ms :
		    SSH_REMOTE_TIMEOUT_MS;

	if (ssh_cancel_cb != NULL &&
	    pthread_equal(pthread_self(), ssh_cancel_thread) &&
	    ssh_cancel_cb(ssh_cancel_arg)) {
		*cause = xasprintf("%s: interrupted while waiting for %s", what,
		    sp->spec);
		return -2;
	}
	if (ssh_now_ms() - progress > (long long)tmo + extra_ms) {
		*cause = xasprintf("%s: no answer from the smadm on %s for %d "
		    "s (remote_timeout)", what, sp->spec,
		    (tmo + extra_ms) / 1000);
		return -1;
	}
	return 0;
}

/*
 * Acknowledge what arrives next at once.  sshd leaves Nagle's algorithm
 * on until a session starts; after authentication it sends two small
 * packets (the success, then its host keys notice), so it holds the
 * channel's confirmation until the second is acknowledged, and Linux
 * delays that ACK by 40 ms.  Quick ACKs last until we send again.
 */
static void
ssh_quickack(ssh_session s)
{
#ifdef TCP_QUICKACK
	int	fd, one = 1;

	if (s != NULL && (fd = ssh_get_fd(s)) != -1)
		setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
#else
	(void)s;
#endif
}

static struct ssh_priv *
sp_of(struct transport *t)
{
	return t->priv;
}

/*
 * libssh asks for a key file's passphrase here.  The answer is tried on
 * the key file before libssh gets it, so a wrong one is asked again, three
 * times in all, as ssh(1) does.  What went wrong is kept for the message
 * if no login works (sp->key_note).
 */
static int
ssh_auth_cb(const char *prompt, char *out, size_t len, int echo,
    int verify unused, void *arg)
{
	struct ssh_priv	*sp = arg;
	struct buf	 answer = BUF_INIT, q = BUF_INIT;
	ssh_key		 key = NULL;
	char		*id = NULL;
	int		 rc = -1, tries;

	if (sp->s != NULL && ssh_userauth_publickey_auto_get_current_identity(
	    sp->s, &id) != SSH_OK)
		id = NULL;
	/* The same file again (IdentityFile and a default name): no. */
	if (id != NULL && sp->key_given_up != NULL &&
	    strcmp(id, sp->key_given_up) == 0) {
		ssh_string_free_char(id);
		return -1;
	}
	free(sp->key_note);
	if (sp->opts.prompt == NULL) {
		sp->key_note = xasprintf("key %s needs its passphrase, which "
		    "smadm asks for only on a terminal or in the console",
		    id != NULL ? id : "file");
		ssh_string_free_char(id);
		return -1;
	}
	sp->key_note = NULL;
	for (tries = 0; tries < SSH_PASSWORD_TRIES; tries++) {
		buf_reset(&q);
		if (tries > 0)
			buf_printf(&q, "Bad passphrase, try again.\n");
		/* libssh says only "Passphrase": name the key, as ssh(1). */
		if (id != NULL)
			buf_printf(&q, "Enter passphrase for key %s: ", id);
		else
			buf_printf(&q, "%s: ", prompt);
		explicit_bzero(answer.data, answer.len);
		buf_reset(&answer);
		if (sp->opts.prompt(sp->opts.prompt_arg, q.data, echo,
		    &answer) != 0 || answer.len >= len)
			break;
		if (id == NULL || ssh_pki_import_privkey_file(id, answer.data,
		    NULL, NULL, &key) == SSH_OK) {
			memcpy(out, answer.data, answer.len + 1);
			rc = 0;
			break;
		}
	}
	ssh_key_free(key);
	if (rc != 0 && tries == SSH_PASSWORD_TRIES)
		sp->key_note = xasprintf("wrong passphrase for key %s, %d "
		    "times", id, tries);
	if (rc != 0 && id != NULL) {
		free(sp->key_given_up);
		sp->key_given_up = xstrdup(id);
	}
	ssh_string_free_char(id);
	explicit_bzero(answer.data, answer.len);
	buf_release(&answer);
	buf_release(&q);
	return rc;
}

/* The host key check lives in ssh-hostkey.c. */
static int
ssh_check_host_key(struct ssh_priv *sp, const struct kh_config *cfg,
    int may_ask, char **cause)
{
	return ssh_hostkey_verify(sp->s, cfg, sp->spec, &sp->opts, may_ask,
	    cause);
}

/* The methods libssh reports, as ssh(1) names them: "publickey, password". */
static void
ssh_methods_str(struct buf *b, int methods)
{
	static const struct {
		int		 bit;
		const char	*name;
	} names[] = {
		{ SSH_AUTH_METHOD_PUBLICKEY, "publickey" },
		{ SSH_AUTH_METHOD_INTERACTIVE, "keyboard-interactive" },
		{ SSH_AUTH_METHOD_PASSWORD, "password" },
		{ SSH_AUTH_METHOD_HOSTBASED, "hostbased" },
		{ SSH_AUTH_METHOD_GSSAPI_MIC, "gssapi-with-mic" },
	};
	size_t	i, start = b->len;

	for (i = 0; i < nitems(names); i++) {
		if (methods & names[i].bit)
			buf_printf(b, "%s%s", b->len > start ? ", " : "",
			    names[i].name);
	}
	if (b->len == start)
		buf_printf(b, "none");
}

/*
 * One keyboard-interactive exchange: every question the server sends is
 * put to the person ("(user@host) " first, as ssh(1) does).  *answered:
 * 1 when answers went back, 0 when the server asked nothing, -1 when the
 * prompt gave none (nobody to ask, end of input): then it is denied.
 */
static int
ssh_auth_kbdint(struct ssh_priv *sp, const char *user, const char *retry,
    int *answered)
{
	struct buf	 answer = BUF_INIT, q = BUF_INIT;
	const char	*name, *instr, *p;
	char		 echo;
	int		 rc, i, n, rounds = 0;

	*answered = 0;
	while ((rc = ssh_userauth_kbdint(sp->s, NULL, NULL)) ==
	    SSH_AUTH_INFO && rounds++ < 8) {
		name = ssh_userauth_kbdint_getname(sp->s);
		instr = ssh_userauth_kbdint_getinstruction(sp->s);
		n = ssh_userauth_kbdint_getnprompts(sp->s);
		for (i = 0; i < n; i++) {
			p = ssh_userauth_kbdint_getprompt(sp->s, (unsigned)i,
			    &echo);
			buf_reset(&q);
			if (i == 0 && rounds == 1 && retry != NULL)
				buf_printf(&q, "%s\n", retry);
			if (i == 0 && name != NULL && *name != '\0')
				buf_printf(&q, "%s\n", name);
			if (i == 0 && instr != NULL && *instr != '\0')
				buf_printf(&q, "%s\n", instr);
			buf_printf(&q, "(%s@%s) %s", user, sp->host,
			    p != NULL ? p : "");
			buf_reset(&answer);
			if (sp->opts.prompt(sp->opts.prompt_arg, q.data, echo,
			    &answer) != 0) {
				rc = SSH_AUTH_DENIED;
				*answered = -1;
				goto out;
			}
			ssh_userauth_kbdint_setanswer(sp->s, (unsigned)i,
			    answer.data);
			explicit_bzero(answer.data, answer.len);
			*answered = 1;
		}
	}
out:
	buf_release(&q);
	buf_release(&answer);
	return rc;
}

/* One password asked and sent; *answered as for ssh_auth_kbdint(). */
static int
ssh_auth_password(struct ssh_priv *sp, const char *user, const char *retry,
    int *answered)
{
	struct buf	 pw = BUF_INIT, q = BUF_INIT;
	int		 rc = SSH_AUTH_DENIED;

	*answered = -1;
	if (retry != NULL)
		buf_printf(&q, "%s\n", retry);
	buf_printf(&q, "%s@%s's password: ", user, sp->host);
	if (sp->opts.prompt(sp->opts.prompt_arg, q.data, 0, &pw) == 0) {
		rc = ssh_userauth_password(sp->s, NULL, pw.data);
		explicit_bzero(pw.data, pw.len);
		*answered = 1;
	}
	buf_release(&pw);
	buf_release(&q);
	return rc;
}

/*
 * Log in: keys first (agent, then key files; no round trip for "none"),
 * then, when someone can be asked, keyboard-interactive and password,
 * each up to SSH_PASSWORD_TRIES times like ssh(1).  The cause names what
 * the server offers and why it did not work.
 */
static int
ssh_authenticate(struct ssh_priv *sp, char **cause)
{
	struct buf	 offered = BUF_INIT;
	const char	*retry = NULL;
	char		*user = NULL, *msg;
	int		 rc, methods, ask, kbd, tries = 0, answered, refused = 0;

	free(sp->key_note);
	sp->key_note = NULL;
	free(sp->key_given_up);
	sp->key_given_up = NULL;
	rc = ssh_userauth_publickey_auto(sp->s, NULL, NULL);
	if (rc == SSH_AUTH_SUCCESS)
		return 0;
	if (rc == SSH_AUTH_ERROR) {
		*cause = xasprintf("%s: authentication failed: %s", sp->spec,
		    ssh_get_error(sp->s));
		return -1;
	}
	methods = ssh_userauth_list(sp->s, NULL);
	if (methods == 0) {
		/* Only accepted keys so far: the server has not said. */
		if ((rc = ssh_userauth_none(sp->s, NULL)) == SSH_AUTH_SUCCESS)
			return 0;
		methods = ssh_userauth_list(sp->s, NULL);
	}
	ask = sp->opts.prompt != NULL;
	ssh_options_get(sp->s, SSH_OPTIONS_USER, &user);
	kbd = methods & SSH_AUTH_METHOD_INTERACTIVE;
	while (ask && tries < SSH_PASSWORD_TRIES &&
	    (kbd || (methods & SSH_AUTH_METHOD_PASSWORD))) {
		if (kbd)
			rc = ssh_auth_kbdint(sp, user != NULL ? user : "?",
			    retry, &answered);
		else
			rc = ssh_auth_password(sp, user != NULL ? user : "?",
			    retry, &answered);
		if (rc == SSH_AUTH_SUCCESS || rc == SSH_AUTH_ERROR ||
		    answered < 0)
			break;
		if (answered == 0) {
			/* Nothing asked: keyboard-interactive cannot do it. */
			if (!kbd)
				break;
			kbd = 0;
			continue;
		}
		refused++;
		tries++;
		retry = "Permission denied, please try again.";
	}
	ssh_string_free_char(user);
	if (rc == SSH_AUTH_SUCCESS)
		return 0;
	ssh_methods_str(&offered, methods);
	if (rc == SSH_AUTH_ERROR)
		*cause = xasprintf("%s: authentication failed: %s", sp->spec,
		    ssh_get_error(sp->s));
	else if (refused > 0)
		*cause = xasprintf("%s: permission denied: the password was "
		    "refused %d time%s (the server offers %s)", sp->spec,
		    refused, refused == 1 ? "" : "s", offered.data);
	else if (!ask && (methods & (SSH_AUTH_METHOD_INTERACTIVE |
	    SSH_AUTH_METHOD_PASSWORD)))
		*cause = xasprintf("%s: permission denied: no key was "
		    "accepted (agent, key files) and the server offers %s; "
		    "smadm asks for a password only on a terminal or in the "
		    "console", sp->spec, offered.data);
	else if (ask && (methods & (SSH_AUTH_METHOD_INTERACTIVE |
	    SSH_AUTH_METHOD_PASSWORD)))
		*cause = xasprintf("%s: permission denied: no password given "
		    "(the server offers %s)", sp->spec, offered.data);
	else
		*cause = xasprintf("%s: permission denied: no key was "
		    "accepted (agent, key files; the server offers %s)",
		    sp->spec, offered.data);
	if (rc != SSH_AUTH_ERROR && sp->key_note != NULL) {
		msg = *cause;
		*cause = xasprintf("%s; %s", msg, sp->key_note);
		free(msg);
	}
	buf_release(&offered);
	return -1;
}

static void
ssh_disconnect_all(struct ssh_priv *sp)
{
	size_t	i;

	/* The slots stay in use (nlocks) until host_unlock: see ssh_ensure. */
	for (i = 0; i < SSH_LOCKS; i++) {
		if (sp->locks[i].ch != NULL) {
			ssh_channel_free(sp->locks[i].ch);
			sp->locks[i].ch = NULL;
		}
	}
	sp->serve_locks = 0;
	if (sp->serve != NULL) {
		ssh_channel_free(sp->serve);
		sp->serve = NULL;
	}
	sp->serve_busy = 0;
	buf_reset(&sp->serve_in);
	if (sp->sftp != NULL) {
		sftp_free(sp->sftp);
		sp->sftp = NULL;
	}
	if (sp->s != NULL) {
		ssh_disconnect(sp->s);
		ssh_free(sp->s);
		sp->s = NULL;
	}
	if (sp->hop != NULL) {
		/* Wakes the copying thread if the far end has not. */
		shutdown(sp->hop_fd, SHUT_RDWR);
		pthread_join(sp->hop_thread, NULL);
		close(sp->hop_fd);
		ssh_channel_free(sp->hop_ch);
		sp->hop_ch = NULL;
		ssh_priv_free(sp->hop);
		sp->hop = NULL;
	}
}

static void
ssh_priv_free(struct ssh_priv *sp)
{
	ssh_disconnect_all(sp);
	free(sp->spec);
	free(sp->smadm_path);
	free(sp->host);
	free(sp->user);
	free(sp->helper);
	free(sp->via);
	free(sp->key_note);
	free(sp->key_given_up);
	buf_release(&sp->serve_in);
	free(sp);
}

/*
 * The hops of a ProxyJump, in the order ssh_config(5) gives them (first
 * hop first).  libssh 0.10 reads ProxyJump as the ProxyCommand
 *
 *	ssh [-l USER] [-p PORT] [-J HOP2,HOP3...] -W '[%h]:%p' HOP1
 *
 * which would run the OpenSSH client through a shell, reading another
 * config and known_hosts than this one when $HOME is not the user's
 * home, asking its own questions on the terminal under the console (and
 * taking the hops in the wrong order for a chain).  Such a command is
 * taken apart again here and the hops are made by this file instead; any
 * other ProxyCommand is left to libssh.  hops stays empty when there is
 * no ProxyJump.
 */
static void
ssh_jump_hops(struct ssh_priv *sp, struct strv *hops)
{
	struct strv	 w = STRV_INIT;
	const char	*user = NULL, *port = NULL, *rest = NULL, *h;
	char		*pc = NULL;
	size_t		 i;

	if (sp->via != NULL) {
		/* "ssh -J" beats the hop's own ProxyJump or ProxyCommand. */
		strv_split_char(hops, sp->via, ',');
		ssh_options_set(sp->s, SSH_OPTIONS_PROXYCOMMAND, "none");
		return;
	}
	if (ssh_options_get(sp->s, SSH_OPTIONS_PROXYCOMMAND, &pc) != SSH_OK ||
	    pc == NULL)
		return;
	strv_split_ws(&w, pc);
	if (w.n < 4 || strcmp(w.v[0], "ssh") != 0 ||
	    strcmp(w.v[w.n - 3], "-W") != 0 ||
	    strcmp(w.v[w.n - 2], "'[%h]:%p'") != 0)
		goto out;
	for (i = 1; i + 3 < w.n; i += 2) {
		if (strcmp(w.v[i], "-l") == 0)
			user = w.v[i + 1];
		else if (strcmp(w.v[i], "-p") == 0)
			port = w.v[i + 1];
		else if (strcmp(w.v[i], "-J") == 0)
			rest = w.v[i + 1];
		else
			goto out;
	}
	if (i + 3 != w.n)
		goto out;
	h = w.v[w.n - 1];
	strv_pushf(hops, "%s%s%s%s%s%s%s", user != NULL ? user : "",
	    user != NULL ? "@" : "", strchr(h, ':') != NULL ? "[" : "", h,
	    strchr(h, ':') != NULL ? "]" : "", port != NULL ? ":" : "",
	    port != NULL ? port : "");
	if (rest != NULL)
		strv_split_char(hops, rest, ',');
	ssh_options_set(sp->s, SSH_OPTIONS_PROXYCOMMAND, "none");
out:
	strv_release(&w);
	ssh_string_free_char(pc);
}

/* All of p to the socket; no SIGPIPE when the session has closed it. */
static int
ssh_write_fd(int fd, const char *p, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		if ((n = send(fd, p, len, MSG_NOSIGNAL)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * The copying thread: the host's SSH stream between the jump host's
 * direct-tcpip channel and the socket pair the host's session reads.  It
 * alone uses the jump host's session while it runs.  When either side
 * ends, it shuts the socket so the host's session sees the end too.
 */
static void *
ssh_jump_copy(void *arg)
{
	struct ssh_priv	*sp = arg;
	struct pollfd	 pfd[2];
	char		 buf[32768];
	ssize_t		 r;
	int		 n;

	for (;;) {
		n = ssh_channel_read_nonblocking(sp->hop_ch, buf, sizeof buf,
		    0);
		if (n == SSH_ERROR)
			break;
		if (n > 0) {
			if (ssh_write_fd(sp->hop_fd, buf, (size_t)n) != 0)
				break;
			continue;
		}
		if (ssh_channel_is_eof(sp->hop_ch) ||
		    !ssh_channel_is_open(sp->hop_ch))
			break;
		pfd[0].fd = sp->hop_fd;
		pfd[0].events = POLLIN;
		pfd[1].fd = ssh_get_fd(sp->hop->s);
		pfd[1].events = POLLIN;
		if (poll(pfd, 2, 1000) < 0 && errno != EINTR)
			break;
		if (pfd[0].revents == 0)
			continue;
		if ((r = read(sp->hop_fd, buf, sizeof buf)) <= 0) {
			if (r < 0 && errno == EINTR)
				continue;
			ssh_channel_send_eof(sp->hop_ch);
			break;
		}
		if (ssh_channel_write(sp->hop_ch, buf, (uint32_t)r) != r)
			break;
	}
	shutdown(sp->hop_fd, SHUT_RDWR);
	return NULL;
}

/*
 * Reach sp's host through the last of hops: that jump host is connected
 * like any host (its own config entry, known_hosts, keys, questions),
 * through the hops before it, and asked for a direct-tcpip channel to
 * sp's HostName and Port; sp's session then runs over that channel.
 */
static int
ssh_jump_connect(struct ssh_priv *sp, struct strv *hops, int may_ask,
    char **cause)
{
	struct ssh_priv	*hop;
	ssh_channel	 ch = NULL;
	char		*host = NULL, *why = NULL;
	unsigned int	 port = 22;
	int		 sv[2];
	size_t		 i;

	if (sp->depth >= SSH_JUMP_MAX) {
		*cause = xasprintf("%s: more than %d jump hosts (a ProxyJump "
		    "loop in the ssh config?)", sp->spec, SSH_JUMP_MAX);
		return -1;
	}
	hop = xcalloc(1, sizeof *hop);
	hop->opts = sp->opts;
	hop->opts.smadm_path = NULL;
	hop->spec = xstrdup(hops->v[hops->n - 1]);
	hop->opts.spec = hop->spec;
	hop->depth = sp->depth + 1;
	buf_init(&hop->serve_in);
	/* The hops before the last one carry it ("ssh -J" does the same). */
	if (hops->n > 1) {
		hop->via = xstrdup(hops->v[0]);
		for (i = 1; i + 1 < hops->n; i++) {
			why = xasprintf("%s,%s", hop->via, hops->v[i]);
			free(hop->via);
			hop->via = why;
		}
		why = NULL;
	}
	ssh_parse_spec(hop, hop->spec);
	if (ssh_connect_session(hop, may_ask, &why) != 0) {
		*cause = xasprintf("%s: jump host %s: %s", sp->spec, hop->spec,
		    why);
		goto fail;
	}
	ssh_options_get(sp->s, SSH_OPTIONS_HOST, &host);
	ssh_options_get_port(sp->s, &port);
	if ((ch = ssh_channel_new(hop->s)) == NULL ||
	    ssh_channel_open_forward(ch, host != NULL ? host : "",
	    (int)port, "127.0.0.1", 0) != SSH_OK) {
		*cause = xasprintf("%s: jump host %s cannot open a connection "
		    "to %s port %u: %s", sp->spec, hop->spec,
		    host != NULL ? host : "?", port, ssh_get_error(hop->s));
		goto fail;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
		*cause = xasprintf("socketpair: %s", strerror(errno));
		goto fail;
	}
	/* The session owns sv[1] from here on and closes it. */
	ssh_options_set(sp->s, SSH_OPTIONS_FD, &sv[1]);
	sp->hop = hop;
	sp->hop_ch = ch;
	sp->hop_fd = sv[0];
	if (pthread_create(&sp->hop_thread, NULL, ssh_jump_copy, sp) != 0)
		util_fatal("cannot start a thread");
	ssh_string_free_char(host);
	return 0;
fail:
	if (ch != NULL)
		ssh_channel_free(ch);
	ssh_string_free_char(host);
	free(why);
	ssh_priv_free(hop);
	return -1;
}

/* Split [user@]host[:port]; a bracketed [v6]:port works too. */
static void
ssh_parse_spec(struct ssh_priv *sp, const char *spec)
{
	const char	*at, *h, *colon, *end;
	char		*host;

	h = spec;
	if ((at = strrchr(spec, '@')) != NULL) {
		sp->user = xstrndup(spec, (size_t)(at - spec));
		h = at + 1;
	}
	if (*h == '[' && (end = strchr(h, ']')) != NULL) {
		host = xstrndup(h + 1, (size_t)(end - h - 1));
		if (end[1] == ':')
			sp->port = atoi(end + 2);
	} else if ((colon = strchr(h, ':')) != NULL &&
	    strchr(colon + 1, ':') == NULL) {
		host = xstrndup(h, (size_t)(colon - h));
		sp->port = atoi(colon + 1);
	} else
		host = xstrdup(h);
	sp->host = host;
}

static int
ssh_connect_session(struct ssh_priv *sp, int may_ask, char **cause)
{
	struct strv	 hops = STRV_INIT;
	struct kh_config khc;
	char		*home, *dir, *conf;
	long		 timeout;
	int		 yes = 1, no = 0, khfd = -1;

	/*
	 * The known_hosts settings first: a known_hosts file that is a FIFO
	 * is refused here, before libssh opens it and blocks for ever.
	 */
	if (ssh_hostkey_config(sp->host, sp->spec, &khc, cause) != 0)
		return -1;
	if ((sp->s = ssh_new()) == NULL) {
		*cause = xstrdup("ssh_new failed");
		kh_config_release(&khc);
		return -1;
	}
	home = ssh_user_home();
	dir = xasprintf("%s/.ssh", home);
	conf = xasprintf("%s/config", dir);
	ssh_options_set(sp->s, SSH_OPTIONS_HOST, sp->host);
	/*
	 * AES-GCM first: with AES-NI it moves a large queue listing several
	 * times faster than libssh's own chacha20-poly1305.  ~/.ssh/config's
	 * Ciphers, parsed next, still overrides this.
	 */
	ssh_options_set(sp->s, SSH_OPTIONS_CIPHERS_C_S, SSH_CIPHERS);
	ssh_options_set(sp->s, SSH_OPTIONS_CIPHERS_S_C, SSH_CIPHERS);
	ssh_options_set(sp->s, SSH_OPTIONS_SSH_DIR, dir);
	ssh_options_set(sp->s, SSH_OPTIONS_PROCESS_CONFIG, &no);
	/* Ours unless the config files have a ConnectTimeout. */
	timeout = sp->opts.timeout_s > 0 ? sp->opts.timeout_s : 10;
	ssh_options_set(sp->s, SSH_OPTIONS_TIMEOUT, &timeout);
	/* The user's config first, then the system's, like ssh(1). */
	if (access(conf, R_OK) == 0 &&
	    ssh_options_parse_config(sp->s, conf) != 0) {
		*cause = xasprintf("%s: cannot be read: %s", conf,
		    ssh_get_error(sp->s));
		goto fail;
	}
	if (access("/etc/ssh/ssh_config", R_OK) == 0)
		ssh_options_parse_config(sp->s, "/etc/ssh/ssh_config");
	/* What -H says explicitly beats the config files. */
	if (sp->user != NULL)
		ssh_options_set(sp->s, SSH_OPTIONS_USER, sp->user);
	if (sp->port > 0)
		ssh_options_set(sp->s, SSH_OPTIONS_PORT, &sp->port);
	if (sp->opts.timeout_s > 0)
		ssh_options_set(sp->s, SSH_OPTIONS_TIMEOUT, &timeout);
	ssh_jump_hops(sp, &hops);
	if (hops.n > 0 && ssh_jump_connect(sp, &hops, may_ask, cause) != 0)
		goto fail;
	ssh_options_set(sp->s, SSH_OPTIONS_NODELAY, &yes);
	memset(&sp->cb, 0, sizeof sp->cb);
	sp->cb.userdata = sp;
	sp->cb.auth_function = ssh_auth_cb;
	ssh_callbacks_init(&sp->cb);
	ssh_set_callbacks(sp->s, &sp->cb);
	/* Never the known_hosts files libssh's config reading picked. */
	khfd = ssh_hostkey_options(sp->s, &khc);
	if (ssh_connect(sp->s) != SSH_OK) {
		*cause = xasprintf("%s: cannot connect: %s", sp->spec,
		    ssh_get_error(sp->s));
		goto fail;
	}
	if (khfd >= 0) {
		close(khfd);
		khfd = -1;
	}
	if (ssh_check_host_key(sp, &khc, may_ask, cause) != 0)
		goto fail;
	if (ssh_authenticate(sp, cause) != 0)
		goto fail;
	free(home);
	free(dir);
	free(conf);
	kh_config_release(&khc);
	strv_release(&hops);
	sp->last_used = time(NULL);
	sp->gen++;
	return 0;
fail:
	ssh_disconnect_all(sp);
	if (khfd >= 0)
		close(khfd);
	free(home);
	free(dir);
	free(conf);
	kh_config_release(&khc);
	strv_release(&hops);
	return -1;
}

/* Is every lock held on its own channel still held?  Else lock_lost. */
static void
ssh_locks_check(struct ssh_priv *sp)
{
	ssh_channel	ch;
	size_t		i;

	for (i = 0; i < SSH_LOCKS && !sp->lock_lost; i++) {
		if ((ch = sp->locks[i].ch) == NULL)
			continue;
		/* Reads what came (an EOF, a close) without waiting. */
		if (ssh_channel_poll(ch, 0) == SSH_ERROR ||
		    ssh_channel_is_eof(ch) || ssh_channel_is_closed(ch))
			sp->lock_lost = 1;
	}
}

/*
 * The connection, made again without prompts after a drop.  The first
 * error after a drop is the operation's own; this reports a failed
 * reconnection.
 */
static int
ssh_ensure(struct ssh_priv *sp, char **cause)
{
	char	*why = NULL;

	ssh_locks_check(sp);
	if (sp->lock_lost) {
		*cause = xasprintf("the configuration lock on %s went away "
		    "(its holder there ended): stopped; run it again",
		    sp->spec);
		return -1;
	}
	if (sp->s != NULL && ssh_is_connected(sp->s)) {
		sp->last_used = time(NULL);
		return 0;
	}
	/* The lock went with the connection: do not go on without it. */
	if (sp->nlocks > 0) {
		*cause = xasprintf("connection to %s lost while smadm held the "
		    "configuration lock there: stopped; run it again",
		    sp->spec);
		return -1;
	}
	ssh_disconnect_all(sp);
	if (ssh_connect_session(sp, 0, &why) != 0) {
		*cause = xasprintf("connection to %s lost; reconnecting "
		    "failed: %s", sp->spec, why);
		free(why);
		return -1;
	}
	return 0;
}

static int
ssh_sftp(struct ssh_priv *sp, char **cause)
{
	if (ssh_ensure(sp, cause) != 0)
		return -1;
	if (sp->sftp != NULL)
		return 0;
	if ((sp->sftp = sftp_new(sp->s)) == NULL) {
		*cause = xasprintf("%s: SFTP: %s", sp->spec,
		    ssh_get_error(sp->s));
		return -1;
	}
	if (sftp_init(sp->sftp) != SSH_OK) {
		*cause = xasprintf("%s: SFTP is not available: %s", sp->spec,
		    ssh_get_error(sp->s));
		sftp_free(sp->sftp);
		sp->sftp = NULL;
		return -1;
	}
	sp->have_fsync = sftp_extension_supported(sp->sftp,
	    "fsync@openssh.com", "1");
	return 0;
}

static const char *
sftp_errstr(struct ssh_priv *sp)
{
	switch (sp->sftp != NULL ? sftp_get_error(sp->sftp) : -1) {
	case SSH_FX_NO_SUCH_FILE:
		return "No such file or directory";
	case SSH_FX_PERMISSION_DENIED:
		return "Permission denied";
	case SSH_FX_FAILURE:
		return "Failure";
	case SSH_FX_FILE_ALREADY_EXISTS:
		return "File exists";
	case SSH_FX_NO_SUCH_PATH:
		return "No such file or directory";
	case SSH_FX_OP_UNSUPPORTED:
		return "Operation not supported";
	default:
		return ssh_get_error(sp->s);
	}
}

/* A permission error says who is logged in and that root (or sudo) can. */
static char *
ssh_file_error(struct ssh_priv *sp, const char *what, const char *path)
{
	char	*user = NULL, *r;

	if (sp->sftp != NULL &&
	    sftp_get_error(sp->sftp) == SSH_FX_PERMISSION_DENIED) {
		ssh_options_get(sp->s, SSH_OPTIONS_USER, &user);
		r = xasprintf("%s%s%s: permission denied for %s on %s (%s needs "
		    "to be readable/writable by that user, or log in as root)",
		    what, *what != '\0' ? " " : "", path,
		    user != NULL ? user : "the login user", sp->spec, path);
		ssh_string_free_char(user);
		return r;
	}
	return xasprintf("%s%s%s: %s", what, *what != '\0' ? " " : "", path,
	    sftp_errstr(sp));
}

static int
ssh_sftp_read_file(struct transport *t, const char *path, struct buf *out,
    size_t max, char **cause)
{
	struct ssh_priv	*sp = sp_of(t);
	sftp_attributes	 a;
	sftp_file	 f;
	char		*chunk;
	ssize_t		 n;
	size_t		 total = 0;
	int		 rc = -1;

	if (max == 0)
		max = SSH_READ_MAX;
	if (ssh_sftp(sp, cause) != 0)
		return -1;
	/* sftp-server would hang opening a FIFO: look first. */
	if ((a = sftp_stat(sp->sftp, path)) != NULL) {
		if (a->type != SSH_FILEXFER_TYPE_REGULAR) {
			sftp_attributes_free(a);
			*cause = xasprintf("%s: not a regular file", path);
			return -1;
		}
		sftp_attributes_free(a);
	}
	if ((f = sftp_open(sp->sftp, path, O_RDONLY, 0)) == NULL) {
		*cause = ssh_file_error(sp, "", path);
		return -1;
	}
	if ((a = sftp_fstat(f)) != NULL) {
		if (a->type == SSH_FILEXFER_TYPE_DIRECTORY) {
			sftp_attributes_free(a);
			sftp_close(f);
			*cause = xasprintf("%s: is a directory", path);
			return -1;
		}
		if (a->type == SSH_FILEXFER_TYPE_REGULAR && a->size < max)
			buf_grow(out, (size_t)a->size);
		sftp_attributes_free(a);
	}
	chunk = xmalloc(65536);
	for (;;) {
		n = sftp_read(f, chunk, 65536);
		if (n < 0) {
			*cause = ssh_file_error(sp, "", path);
			goto out;
		}
		if (n == 0)
			break;
		total += (size_t)n;
		if (total > max) {
			*cause = xasprintf("%s: larger than %zu bytes", path,
			    max);
			goto out;
		}
		buf_add(out, chunk, (size_t)n);
	}
	rc = 0;
out:
	free(chunk);
	sftp_close(f);
	return rc;
}

static int
ssh_write_all(sftp_file f, const char *data, size_t len)
{
	ssize_t	n;
	size_t	want;

	while (len > 0) {
		want = len > 32768 ? 32768 : len;
		if ((n = sftp_write(f, data, want)) <= 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Copy a remote file to a new name (O_EXCL): the backup of a write. */
static int
ssh_copy(struct transport *t, const char *from, const char *to, mode_t mode,
    uid_t uid, gid_t gid)
{
	struct ssh_priv	*sp = sp_of(t);
	struct buf	 data = BUF_INIT;
	sftp_file	 f;
	char		*cause = NULL;
	int		 rc = -1;

	if (ssh_sftp_read_file(t, from, &data, 0, &cause) != 0) {
		free(cause);
		goto out;
	}
	f = sftp_open(sp->sftp, to, O_WRONLY | O_CREAT | O_EXCL, mode);
	if (f == NULL)
		goto out;
	rc = ssh_write_all(f, data.data, data.len);
	sftp_chown(sp->sftp, to, uid, gid);
	if (rc == 0 && sp->have_fsync)
		rc = sftp_fsync(f);
	if (sftp_close(f) != 0)
		rc = -1;
	if (rc != 0)
		sftp_unlink(sp->sftp, to);
out:
	buf_release(&data);
	return rc;
}

static int
ssh_sftp_write_file(struct transport *t, const char *path, const void *data,
    size_t len, const struct write_opts *wo, char **cause)
{
	struct ssh_priv	*sp = sp_of(t);
	sftp_attributes	 old = NULL;
	sftp_file	 f = NULL;
	struct buf	 backup = BUF_INIT;
	char		*target = NULL, *tmp = NULL, *slash, *dir;
	char		 stamp[32];
	struct tm	 tm;
	time_t		 now;
	mode_t		 mode;
	unsigned int	 r;
	int		 i, rc = -1;

	if (ssh_sftp(sp, cause) != 0)
		return -1;
	/* Replace what a symlink points at, never the link itself. */
	if ((target = sftp_canonicalize_path(sp->sftp, path)) == NULL)
		target = xstrdup(path);
	else {
		char *copy = xstrdup(target);

		ssh_string_free_char(target);
		target = copy;
	}
	if ((old = sftp_stat(sp->sftp, target)) != NULL &&
	    old->type != SSH_FILEXFER_TYPE_REGULAR) {
		*cause = xasprintf("%s: not a regular file", path);
		goto out;
	}
	dir = xstrdup(target);
	if ((slash = strrchr(dir, '/')) != NULL)
		slash[slash == dir ? 1 : 0] = '\0';
	r = (unsigned int)getpid() ^ (unsigned int)ssh_now_ms();
	for (i = 0; i < 20 && f == NULL; i++) {
		free(tmp);
		r = r * 1103515245u + 12345u;
		tmp = xasprintf("%s/.%s.smadm-%06x", dir, strrchr(target, '/')
		    != NULL ? strrchr(target, '/') + 1 : target, r & 0xffffff);
		f = sftp_open(sp->sftp, tmp, O_WRONLY | O_CREAT | O_EXCL, 0600);
		if (f == NULL && sftp_get_error(sp->sftp) !=
		    SSH_FX_FILE_ALREADY_EXISTS && sftp_get_error(sp->sftp) !=
		    SSH_FX_FAILURE)
			break;
	}
	if (f == NULL) {
		*cause = ssh_file_error(sp, "cannot create a temporary file "
		    "for", path);
		free(tmp);
		tmp = NULL;
		free(dir);
		goto out;
	}
	free(dir);
	if (ssh_write_all(f, data, len) != 0) {
		*cause = ssh_file_error(sp, "write", path);
		goto out;
	}
	if (old != NULL && wo->keep_mode && !wo->set_owner) {
		if (sftp_chown(sp->sftp, tmp, old->uid, old->gid) != 0 &&
		    sftp_get_error(sp->sftp) != SSH_FX_PERMISSION_DENIED) {
			*cause = ssh_file_error(sp, "chown", path);
			goto out;
		}
		mode = old->permissions & 07777;
	} else {
		if (wo->set_owner &&
		    sftp_chown(sp->sftp, tmp, wo->uid, wo->gid) != 0) {
			*cause = ssh_file_error(sp, "chown", path);
			goto out;
		}
		mode = wo->mode ? wo->mode : 0644;
	}
	if (sftp_chmod(sp->sftp, tmp, mode) != 0) {
		*cause = ssh_file_error(sp, "chmod", path);
		goto out;
	}
	if (sp->have_fsync && sftp_fsync(f) != 0) {
		*cause = ssh_file_error(sp, "fsync", path);
		goto out;
	}
	if (sftp_close(f) != 0) {
		f = NULL;
		*cause = ssh_file_error(sp, "close", path);
		goto out;
	}
	f = NULL;
	if (old != NULL && wo->backup) {
		now = time(NULL);
		localtime_r(&now, &tm);
		strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%S", &tm);
		for (i = 0; i < 100; i++) {
			buf_reset(&backup);
			if (i == 0)
				buf_printf(&backup, "%s.%s.smadm~", target,
				    stamp);
			else
				buf_printf(&backup, "%s.%s-%d.smadm~", target,
				    stamp, i);
			if (ssh_copy(t, target, backup.data,
			    old->permissions & 07777, old->uid, old->gid) == 0)
				break;
		}
		if (i == 100) {
			*cause = ssh_file_error(sp, "cannot keep a backup of",
			    path);
			goto out;
		}
	}
	if (ssh_sftp_rename(t, tmp, target, cause) != 0)
		goto out;
	free(tmp);
	tmp = NULL;
	if (wo->backup_path != NULL && backup.len != 0)
		buf_addstr(wo->backup_path, backup.data);
	rc = 0;
out:
	if (f != NULL)
		sftp_close(f);
	if (tmp != NULL)
		sftp_unlink(sp->sftp, tmp);
	free(tmp);
	free(target);
	if (old != NULL)
		sftp_attributes_free(old);
	buf_release(&backup);
	return rc;
}

static int
ssh_sftp_stat(struct transport *t, const char *path, int follow,
    struct tstat *ts, char **cause)
{
	struct ssh_priv	*sp = sp_of(t);
	sftp_attributes	 a;
	int		 err;

	memset(ts, 0, sizeof *ts);
	if (ssh_sftp(sp, cause) != 0)
		return -1;
	a = follow ? sftp_stat(sp->sftp, path) : sftp_lstat(sp->sftp, path);
	if (a == NULL) {
		err = sftp_get_error(sp->sftp);
		if (err == SSH_FX_NO_SUCH_FILE || err == SSH_FX_NO_SUCH_PATH) {
			ts->type = TS_NONE;
			return 0;
		}
		*cause = ssh_file_error(sp, "", path);
		return -1;
	}
	switch (a->type) {
	case SSH_FILEXFER_TYPE_REGULAR:
		ts->type = TS_REG;
		break;
	case SSH_FILEXFER_TYPE_DIRECTORY:
		ts->type = TS_DIR;
		break;
	case SSH_FILEXFER_TYPE_SYMLINK:
		ts->type = TS_LNK;
		break;
	default:
		ts->type = (a->permissions & S_IFMT) == S_IFSOCK ? TS_SOCK :
		    TS_OTHER;
		break;
	}
	ts->mode = a->permissions & 07777;
	ts->uid = a->uid;
	ts->gid = a->gid;
	ts->size = (off_t)a->size;
	ts->mtime = (time_t)a->mtime;
	ts->mtime_nsec = a->mtime_nseconds;
	/* SFTP has no device or inode numbers: both stay 0 (unknown). */
	sftp_attributes_free(a);
	return 0;
}

static int
ssh_sftp_list_dir(struct transport *t, const char *path, struct strv *out,
    char **cause)
{
	struct ssh_priv	*sp = sp_of(t);
	sftp_dir	 d;
	sftp_attributes	 a;

	if (ssh_sftp(sp, cause) != 0)
		return -1;
	if ((d = sftp_opendir(sp->sftp, path)) == NULL) {
		*cause = ssh_file_error(sp, "", path);
		return -1;
	}
	while ((a = sftp_readdir(sp->sftp, d)) != NULL) {
		if (strcmp(a->name, ".") != 0 && strcmp(a->name, "..") != 0)
			strv_push(out, a->name);
		sftp_attributes_free(a);
	}
	if (!sftp_dir_eof(d)) {
		*cause = ssh_file_error(sp, "", path);
		sftp_closedir(d);
		return -1;
	}
	sftp_closedir(d);
	return 0;
}

static int
ssh_sftp_mkdir(struct transport *t, const char *path, mode_t mode,
    char **cause)
{
	struct ssh_priv	*sp = sp_of(t);
	struct tstat	 st;

	if (ssh_sftp(sp, cause) != 0)
		return -1;
	if (sftp_mkdir(sp->sftp, path, mode) == 0)
		return 0;
	if (ssh_stat(t, path, 1, &st, cause) == 0 && st.type == TS_DIR)
		return 0;
	*cause = ssh_file_error(sp, "mkdir", path);
	return -1;
}

static int
ssh_sftp_chmod(struct transport *t, const char *path, mode_t mode,
    char **cause)
{
	struct ssh_priv	*sp = sp_of(t);

	if (ssh_sftp(sp, cause) != 0)
		return -1;
	if (sftp_chmod(sp->sftp, path, mode) != 0) {
		*cause = ssh_file_error(sp, "chmod", path);
		return -1;
	}
	return 0;
}

static int
ssh_sftp_remove(struct transport *t, const char *path, char **cause)
{
	struct ssh_priv	*sp = sp_of(t);
	struct tstat	 st;

	if (ssh_stat(t, path, 0, &st, cause) != 0)
		return -1;
	if (st.type == TS_NONE)
		return 0;
	if ((st.type == TS_DIR ? sftp_rmdir(sp->sftp, path) :
	    sftp_unlink(sp->sftp, path)) != 0) {
		if (sftp_get_error(sp->sftp) == SSH_FX_NO_SUCH_FILE)
			return 0;
		*cause = ssh_file_error(sp, "remove", path);
		return -1;
	}
	return 0;
}

/*
 * SFTP version 3 (OpenSSH) renames only to a new name, and libssh 0.10
 * does not send posix-rename@openssh.com: replacing a file is done by
 * mv(1) there, which is rename(2), atomic within one file system.
 */
static int
ssh_sftp_rename(struct transport *t, const char *from, const char *to,
    char **cause)
{
	struct ssh_priv		*sp = sp_of(t);
	struct run_result	 rr;
	struct tstat		 st;
	const char		*argv[] = { "/bin/mv", "-f", "--", from, to,
				    NULL };
	int			 rc = -1;

	if (ssh_sftp(sp, cause) != 0 || ssh_stat(t, to, 0, &st, cause) != 0)
		return -1;
	if (st.type == TS_NONE) {
		if (sftp_rename(sp->sftp, from, to) != 0) {
			*cause = ssh_file_error(sp, "rename", from);
			return -1;
		}
		return 0;
	}
	if (ssh_run(t, argv, NULL, &rr, cause) != 0)
		return -1;
	if (rr.status != 0)
		*cause = run_result_describe("rename (mv)", &rr);
	else
		rc = 0;
	run_result_release(&rr);
	return rc;
}

static int
ssh_sftp_readlink(struct transport *t, const char *path, struct buf *out,
    char **cause)
{
	struct ssh_priv	*sp = sp_of(t);
	char		*l;

	if (ssh_sftp(sp, cause) != 0)
		return -1;
	if ((l = sftp_readlink(sp->sftp, path)) == NULL) {
		*cause = ssh_file_error(sp, "", path);
		return -1;
	}
	buf_addstr(out, l);
	ssh_string_free_char(l);
	return 0;
}

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
		if (ssh_sftp_stat(t, cand, 1, &st, &cause) != 0) {
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

static char *
ssh_no_helper(struct transport *t, const char *what)
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
static void
ssh_serve_drop(struct ssh_priv *sp)
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
	long long	 progress = ssh_now_ms();
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
		n = ssh_drain(sp->serve, &sp->serve_in, &junk,
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
			progress = ssh_now_ms();
		else if ((w = ssh_wait_check(sp, progress, extra_ms, what,
		    cause)) != 0) {
			r = -1;
			break;
		}
	}
	buf_release(&junk);
	if (r < 0) {
		ssh_serve_drop(sp);
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

	if (sp->opts.sudo) {
		strv_push(&v, "/usr/bin/sudo");
		strv_push(&v, "-n");
		strv_push(&v, "--");
	}
	strv_push(&v, path);
	strv_push(&v, "remote");
	strv_push(&v, "serve");
	sh_quote_argv(&cmd, (const char *const *)v.v);
	strv_release(&v);
	sp->serve = ssh_exec(sp, cmd.data, &cause);
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
	if (ssh_serve_answer(sp, 0, 0, path, &a, &cause) != 1)
		goto fail;
	if (a.tag != RP_STAT)
		goto fail;
	ssh_serve_consume(sp, a.used);
	sp->serve_gen++;
	return 0;
fail:
	free(cause);
	ssh_serve_drop(sp);
	return -1;
}

/* Is the serve channel there and free?  Started on first use. */
static int
ssh_serve_ready(struct transport *t)
{
	struct ssh_priv	*sp = sp_of(t);
	const char	*helper;

	ssh_locks_check(sp);
	if (sp->serve_failed || sp->serve_busy || sp->lock_lost)
		return 0;
	if (sp->serve != NULL && !ssh_channel_is_eof(sp->serve) &&
	    !ssh_channel_is_closed(sp->serve))
		return 1;
	if (sp->serve != NULL)
		ssh_serve_drop(sp);
	if (sp->s == NULL || !ssh_is_connected(sp->s))
		return 0;
	/* Most often smadm is at the same path there: no SFTP at all. */
	if (!sp->helper_known && sp->smadm_path != NULL &&
	    sp->smadm_path[0] == '/' &&
	    ssh_serve_start(sp, sp->smadm_path) == 0) {
		sp->helper_known = 1;
		sp->helper = xstrdup(sp->smadm_path);
		return 1;
	}
	if ((helper = transport_ssh_helper(t)) != NULL &&
	    ssh_serve_start(sp, helper) == 0)
		return 1;
	sp->serve_failed = 1;
	return 0;
}

/*
 * One request on the serve channel, answered by one of tags (or E), its
 * data at most max bytes.  0: the answer's line (without its "\n") in
 * *line and its data in *payload; -1: the remote operation failed, or the
 * answer was bad (*cause); -2: the channel failed (use SFTP).
 */
static int
ssh_serve_call(struct transport *t, const char *const *argv,
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
		ssh_serve_drop(sp);
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
		ssh_serve_drop(sp);
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

static int
ssh_read_file(struct transport *t, const char *path, struct buf *out,
    size_t max, char **cause)
{
	struct buf	 line = BUF_INIT;
	char		 m[32];
	const char	*argv[] = { "read", path, m, NULL };
	int		 r;

	if (ssh_ensure(sp_of(t), cause) != 0)
		return -1;
	if (ssh_serve_ready(t)) {
		snprintf(m, sizeof m, "%zu", max);
		r = ssh_serve_call(t, argv, NULL, 0, "D", max == 0 ||
		    max > RP_READ_MAX ? RP_READ_MAX : max, &line, out, cause);
		buf_release(&line);
		if (r != -2)
			return r;
	}
	return ssh_sftp_read_file(t, path, out, max, cause);
}

static int
ssh_stat(struct transport *t, const char *path, int follow, struct tstat *ts,
    char **cause)
{
	struct buf		 line = BUF_INIT, none = BUF_INIT;
	const char		*argv[] = { "stat", path, follow ? "1" : "0",
				    NULL };
	int			 r;

	if (ssh_ensure(sp_of(t), cause) != 0)
		return -1;
	if (ssh_serve_ready(t)) {
		r = ssh_serve_call(t, argv, NULL, 0, "S", 0, &line, &none,
		    cause);
		if (r == 0 && rp_stat_parse(line.data + 2, line.len - 2,
		    ts) != 0) {
			*cause = xasprintf("%s: garbled answer from the remote "
			    "smadm", path);
			/* What else it says cannot be trusted either. */
			ssh_serve_drop(sp_of(t));
			sp_of(t)->serve_failed = 1;
			r = -1;
		}
		buf_release(&line);
		buf_release(&none);
		if (r != -2)
			return r;
	}
	return ssh_sftp_stat(t, path, follow, ts, cause);
}

static int
ssh_list_dir(struct transport *t, const char *path, struct strv *out,
    char **cause)
{
	struct buf	 line = BUF_INIT, names = BUF_INIT;
	const char	*argv[] = { "list", path, NULL };
	size_t		 off;
	int		 r;

	if (ssh_ensure(sp_of(t), cause) != 0)
		return -1;
	if (ssh_serve_ready(t)) {
		r = ssh_serve_call(t, argv, NULL, 0, "L", RP_LIST_MAX, &line,
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
	return ssh_sftp_list_dir(t, path, out, cause);
}

/* A request answered by "O" (or "D" into out); -2: use SFTP. */
static int
ssh_serve_op(struct transport *t, const char *const *argv, struct buf *out,
    char **cause)
{
	struct buf	line = BUF_INIT, none = BUF_INIT;
	int		r;

	if (ssh_ensure(sp_of(t), cause) != 0)
		return -1;
	if (!ssh_serve_ready(t))
		return -2;
	r = ssh_serve_call(t, argv, NULL, 0, out != NULL ? "D" : "O",
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

	if (ssh_ensure(sp_of(t), cause) != 0)
		return -1;
	if (ssh_serve_ready(t)) {
		snprintf(a[0], sizeof a[0], "%u", (unsigned int)wo->mode);
		snprintf(a[1], sizeof a[1], "%d", wo->set_owner != 0);
		snprintf(a[2], sizeof a[2], "%lu", (unsigned long)wo->uid);
		snprintf(a[3], sizeof a[3], "%lu", (unsigned long)wo->gid);
		snprintf(a[4], sizeof a[4], "%d", wo->backup != 0);
		snprintf(a[5], sizeof a[5], "%d", wo->keep_mode != 0);
		snprintf(a[6], sizeof a[6], "%zu", len);
		r = ssh_serve_call(t, argv, data, len, "D", RP_NAME_MAX, &line,
		    &bk, cause);
		if (r == 0 && wo->backup_path != NULL && bk.len != 0)
			buf_add(wo->backup_path, bk.data, bk.len);
		buf_release(&line);
		buf_release(&bk);
		if (r != -2)
			return r;
	}
	return ssh_sftp_write_file(t, path, data, len, wo, cause);
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
	return ssh_sftp_mkdir(t, path, mode, cause);
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
	return ssh_sftp_chmod(t, path, mode, cause);
}

static int
ssh_remove(struct transport *t, const char *path, char **cause)
{
	const char	*argv[] = { "rm", path, NULL };
	int		 r;

	if ((r = ssh_serve_op(t, argv, NULL, cause)) != -2)
		return r;
	return ssh_sftp_remove(t, path, cause);
}

static int
ssh_rename(struct transport *t, const char *from, const char *to,
    char **cause)
{
	const char	*argv[] = { "mv", from, to, NULL };
	int		 r;

	if ((r = ssh_serve_op(t, argv, NULL, cause)) != -2)
		return r;
	return ssh_sftp_rename(t, from, to, cause);
}

static int
ssh_readlink(struct transport *t, const char *path, struct buf *out,
    char **cause)
{
	const char	*argv[] = { "readlink", path, NULL };
	int		 r;

	if ((r = ssh_serve_op(t, argv, out, cause)) != -2)
		return r;
	return ssh_sftp_readlink(t, path, out, cause);
}

/*
 * The command line of an exec channel.  raw: argv as is (the helper's
 * own commands); otherwise the fixed environment, sudo and the sandbox
 * namespace (through the helper) are added.
 */
static int
ssh_command(struct transport *t, const char *const *argv,
    const struct run_opts *ro, int privileged, struct buf *cmd, char **cause)
{
	struct ssh_priv		*sp = sp_of(t);
	struct strv		 v = STRV_INIT;
	const char *const	*env;
	const char		*helper;
	size_t			 i;

	if (ro != NULL && ro->ns_dir != NULL) {
		if ((helper = transport_ssh_helper(t)) == NULL) {
			*cause = ssh_no_helper(t, "a sandbox namespace");
			return -1;
		}
	} else
		helper = NULL;
	if (privileged && sp->opts.sudo) {
		strv_push(&v, "/usr/bin/sudo");
		strv_push(&v, "-n");
		strv_push(&v, "--");
	}
	strv_push(&v, "/usr/bin/env");
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
	buf_addstr(cmd, " && ");
	sh_quote_argv(cmd, (const char *const *)v.v);
	strv_release(&v);
	return 0;
}

/*
 * ssh_channel_open_session(), with quick ACKs while its answer is awaited
 * (ssh_quickack): the request is sent without blocking, so that they are
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
	ssh_quickack(sp->s);
	deadline = ssh_now_ms() + SSH_TIMEOUT_MS;
	while (rc == SSH_AGAIN && ssh_now_ms() < deadline) {
		pfd.fd = ssh_get_fd(sp->s);
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 100) == -1 && errno != EINTR)
			break;
		rc = ssh_channel_open_session(ch);
	}
	ssh_set_blocking(sp->s, 1);
	return rc == SSH_AGAIN ? SSH_ERROR : rc;
}

static ssh_channel
ssh_exec(struct ssh_priv *sp, const char *cmd, char **cause)
{
	ssh_channel	ch;
	int		tries;

	for (tries = 0; tries < 2; tries++) {
		if (ssh_ensure(sp, cause) != 0)
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
static int
ssh_drain(ssh_channel ch, struct buf *out, struct buf *err, size_t max,
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
	long long	 deadline;
	int		 timeout, n, rc = -1, st;

	run_result_init(rr);
	timeout = ro->timeout_ms == 0 ? SSH_TIMEOUT_MS : ro->timeout_ms;
	deadline = timeout > 0 ? ssh_now_ms() + timeout : -1;
	if ((ch = ssh_exec(sp, cmd, cause)) == NULL)
		return -1;
	while (inleft > 0) {
		want = inleft > 32768 ? 32768 : inleft;
		if ((n = ssh_channel_write(ch, inp, (uint32_t)want)) <= 0)
			break;	/* the program stopped reading */
		inp += n;
		inleft -= (size_t)n;
		if (ssh_drain(ch, &rr->out, &rr->err, max, &rr->truncated, 0,
		    cause) < 0)
			goto out;
	}
	ssh_channel_send_eof(ch);
	for (;;) {
		n = ssh_drain(ch, &rr->out, &rr->err, max, &rr->truncated, 100,
		    cause);
		if (n < 0)
			goto out;
		if (n == 1)
			break;
		if (deadline != -1 && ssh_now_ms() > deadline) {
			rr->timed_out = 1;
			break;
		}
	}
	if (rr->timed_out) {
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

static int
ssh_run(struct transport *t, const char *const *argv,
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
	if (ssh_command(t, argv, ro, 1, &cmd, cause) != 0) {
		run_result_init(rr);
		return -1;
	}
	rc = ssh_run_cmd(t, cmd.data, ro, rr, cause);
	if (rc == 0 && sp_of(t)->opts.sudo && rr->exited &&
	    (rr->status == 1 || rr->status == 127) &&
	    (str_startswith(rr->err.data, "sudo:") ||
	    strstr(rr->err.data, "/usr/bin/sudo") != NULL)) {
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
static int
ssh_run_helper(struct transport *t, const char *what,
    const char *const *args, const void *in, size_t inlen, int timeout_ms,
    struct run_result *rr, char **cause)
{
	struct run_opts	 ro;
	struct strv	 v = STRV_INIT;
	const char	*helper;
	size_t		 i;
	int		 rc;

	if ((helper = transport_ssh_helper(t)) == NULL) {
		*cause = ssh_no_helper(t, what);
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
	rc = ssh_run(t, (const char *const *)v.v, &ro, rr, cause);
	strv_release(&v);
	return rc;
}

static int
ssh_kill(struct transport *t, pid_t pid, int sig, char **cause)
{
	struct run_result	 rr;
	char			 s[16], p[24];
	const char		*argv[] = { "/bin/kill", s, "--", p, NULL };
	int			 rc = -1;

	snprintf(s, sizeof s, "-%d", sig);
	snprintf(p, sizeof p, "%ld", (long)pid);
	if (ssh_run(t, argv, NULL, &rr, cause) != 0)
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

static int
ssh_run_public(struct transport *t, const char *const *argv,
    const struct run_opts *ro, struct run_result *rr, char **cause)
{
	return ssh_run(t, argv, ro, rr, cause);
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

	if (ssh_sftp(sp, cause) != 0)
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
		*cause = ssh_file_error(sp, "", ts->path);
		return -1;
	}
	if (sftp_seek64(f, (uint64_t)ts->off) != 0) {
		sftp_close(f);
		*cause = ssh_file_error(sp, "seek", ts->path);
		return -1;
	}
	while (want > 0) {
		buf_grow(out, want);
		n = sftp_read(f, out->data + out->len, want);
		if (n < 0) {
			sftp_close(f);
			*cause = ssh_file_error(sp, "", ts->path);
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

static struct tstream *
ssh_stream_open(struct transport *t, const char *path, off_t offset,
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
	if (ssh_stat(t, path, 1, &st, cause) != 0)
		return NULL;
	if (st.type != TS_NONE && st.type != TS_REG) {
		*cause = xasprintf("%s: not a regular file", path);
		return NULL;
	}
	snprintf(off, sizeof off, "%lld", (long long)offset);
	if (sp->opts.sudo) {
		strv_push(&v, "/usr/bin/sudo");
		strv_push(&v, "-n");
		strv_push(&v, "--");
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
	ts->ch = ssh_exec(sp, cmd.data, cause);
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

static int
ssh_stream_read(struct tstream *ts, struct buf *out, char **cause)
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
	progress = ssh_now_ms();
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
		n = ssh_drain(ts->ch, &ts->in, &ts->err, RP_LINE_MAX +
		    RP_FOLLOW_MAX, &trunc, 100, cause);
		if (ts->err.len > RP_LINE_MAX)
			buf_truncate(&ts->err, RP_LINE_MAX);
		if (n < 0)
			return -1;
		if (n == 1)
			return ssh_stream_ended(ts, cause);
		if (ts->in.len > before)
			progress = ssh_now_ms();
		else if (ssh_wait_check(sp, progress, 0, ts->path,
		    cause) != 0) {
			ssh_stream_drop(ts);
			return -1;
		}
	}
}

static int
ssh_stream_fd(struct tstream *ts unused)
{
	return -1;
}

static void
ssh_stream_close(struct tstream *ts)
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

static int
ssh_unix_query(struct transport *t, const char *path, const void *req,
    size_t len, struct buf *out, int timeout_ms, char **cause)
{
	struct run_result	 rr;
	char			 tmo[16];
	const char		*args[] = { "query", path, tmo, NULL };
	int			 rc = -1;

	snprintf(tmo, sizeof tmo, "%d", timeout_ms > 0 ? timeout_ms : 10000);
	if (ssh_run_helper(t, "a control socket", args, req, len,
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
	if (ssh_run_helper(t, "removing a locked queue file",
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

/*
 * A directory of small files in one stream: "smadm remote dir" on the
 * far side reads them with the local transport's reader and writes
 * frames (cli/cmd-remote.c):
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
	long long		 progress;	/* when bytes last came */
	int			 done;
	int			 broken;	/* a bad frame: drop it */
	int			 cancelled;	/* the person gave up */
	int			 shared;	/* the serve channel */
};

static void *
ssh_dir_open(struct transport *t, const char *path, const struct tdir_opts *o,
    char **cause)
{
	struct ssh_priv	*sp = sp_of(t);
	struct ssh_dir	*d;
	struct strv	 v = STRV_INIT, sv = STRV_INIT;
	struct buf	 cmd = BUF_INIT, req = BUF_INIT;
	const char	*helper;
	size_t		 i;

	if (ssh_ensure(sp, cause) != 0)
		return NULL;
	if (!ssh_serve_ready(t) && transport_ssh_helper(t) == NULL) {
		*cause = ssh_no_helper(t, "streamed directory reads");
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
	d->progress = ssh_now_ms();
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
		strv_push(&sv, "/usr/bin/sudo");
		strv_push(&sv, "-n");
		strv_push(&sv, "--");
	}
	strv_push(&sv, helper);
	strv_push(&sv, "remote");
	if (sp->serve_locks == 0 && ssh_serve_ready(t)) {
		buf_reset(&cmd);
		rp_request_format(&cmd, (const char *const *)v.v);
		if (ssh_channel_write(sp->serve, cmd.data, (uint32_t)cmd.len) !=
		    (int)cmd.len) {
			*cause = xasprintf("%s: the remote smadm went away: %s",
			    path, ssh_get_error(sp->s));
			ssh_serve_drop(sp);
			goto fail_z;
		}
		d->ch = sp->serve;
		d->shared = 1;
		sp->serve_busy = 1;
	} else {
		for (i = 0; i < v.n; i++)
			strv_push(&sv, v.v[i]);
		sh_quote_argv(&cmd, (const char *const *)sv.v);
		if ((d->ch = ssh_exec(sp, cmd.data, cause)) == NULL)
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
			n = ssh_drain(d->ch, &d->raw, &d->err, SIZE_MAX, &trunc,
			    100, cause);
			if (d->err.len > RP_LINE_MAX)
				buf_truncate(&d->err, RP_LINE_MAX);
			if (n < 0)
				return -1;
			if (d->raw.len > 0)
				d->progress = ssh_now_ms();
			else if (n == 0 && (r = ssh_wait_check(sp_of(d->t),
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

static int
ssh_dir_read(void *arg, size_t max unused, tdir_cb cb, void *cbarg,
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
static int
ssh_dir_supported(struct transport *t)
{
	return ssh_serve_ready(t) || transport_ssh_helper(t) != NULL;
}

static void
ssh_dir_close(void *arg)
{
	struct ssh_dir	*d = arg;
	struct ssh_priv	*sp = sp_of(d->t);

	if (d->gen != sp->gen)
		;	/* its channel went with the old connection */
	else if (d->shared) {
		/* Stopped half-way: the rest would confuse the next read. */
		if ((!d->done || d->broken) && sp->serve == d->ch) {
			ssh_serve_drop(sp);
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

/*
 * The configuration lock (lock.h) held on the host by a process of ours
 * there, which keeps flock() on path until its standard input ends:
 *  - the serve process, when it is up and free ("lock PATH WAIT_MS WHAT",
 *    "unlock PATH"): no shell start.  While it holds a lock it is never
 *    dropped on purpose (directory reads get their own channel), and if
 *    it goes away all else stops (lock_lost, ssh_ensure);
 *  - else a channel of its own running "smadm remote lock PATH WAIT_MS
 *    WHAT", which answers "L" once it holds the lock or "E <the local
 *    lock's message>";
 *  - without smadm there (or an older one), util-linux's "flock -w
 *    SECONDS -E 75 PATH cat /proc/self/stat -": cat's first line says the
 *    lock is held and names flock's pid, the holder, and the holder line
 *    is written into the lock file in place (not by rename: that would
 *    make a new file with a lock of its own).
 */
#define SSH_FLOCK_BUSY	75

static int
ssh_lock_answer(ssh_channel ch, struct run_result *rr, int wait_ms,
    char **cause)
{
	long long	 deadline;
	int		 n;

	deadline = ssh_now_ms() + wait_ms + 30000;
	while (memchr(rr->out.data, '\n', rr->out.len) == NULL) {
		n = ssh_drain(ch, &rr->out, &rr->err, 65536, &rr->truncated,
		    100, cause);
		if (n < 0)
			return -1;
		if (n == 1) {
			rr->exited = 1;
			rr->status = ssh_channel_get_exit_status(ch);
			return 0;
		}
		if (ssh_now_ms() > deadline) {
			*cause = xstrdup("no answer from the host");
			return -1;
		}
	}
	return 0;
}

static void
ssh_lock_close(ssh_channel ch)
{
	struct buf	 out = BUF_INIT, err = BUF_INIT;
	char		*cause = NULL;
	long long	 deadline;
	int		 trunc = 0;

	/* Until the holder has gone: the lock is free when this returns. */
	ssh_channel_send_eof(ch);
	deadline = ssh_now_ms() + 5000;
	while (ssh_drain(ch, &out, &err, 4096, &trunc, 100, &cause) == 0 &&
	    ssh_now_ms() < deadline)
		;
	free(cause);
	buf_release(&out);
	buf_release(&err);
	ssh_channel_close(ch);
	ssh_channel_free(ch);
}

/* The holder line of the flock(1) case, written in place over SFTP. */
static void
ssh_lock_note(struct ssh_priv *sp, const char *path, const char *line)
{
	sftp_file	f;
	char		*cause = NULL;

	if (ssh_sftp(sp, &cause) != 0) {
		free(cause);
		return;
	}
	/* Only a courtesy for the next waiter (sudo: may not be ours). */
	if ((f = sftp_open(sp->sftp, path, O_WRONLY | O_TRUNC, 0)) == NULL)
		return;
	ssh_write_all(f, line, strlen(line));
	sftp_close(f);
}

/*
 * The lock in the serve process.  0: held; -1: not (*cause: who holds
 * it); 1: serve cannot do it (not up, or busy); 2: an older smadm there,
 * without "lock".
 */
static int
ssh_lock_serve(struct transport *t, const char *path, const char *ms,
    const char *what, int wait_ms, char **cause)
{
	struct ssh_priv	*sp = sp_of(t);
	struct buf	 line = BUF_INIT, none = BUF_INIT;
	const char	*argv[] = { "lock", path, ms, what, NULL };
	char		*err = NULL;
	int		 r;

	if (!ssh_serve_ready(t))
		return 1;
	sp->serve_wait_ms = wait_ms;
	r = ssh_serve_call(t, argv, NULL, 0, "O", 0, &line, &none, &err);
	sp->serve_wait_ms = 0;
	buf_release(&line);
	buf_release(&none);
	if (r == -1 && strstr(err, "remote serve: unknown request") != NULL)
		r = 2;
	else if (r == -1) {
		*cause = err;
		return -1;
	} else if (r == -2)
		r = 1;
	free(err);
	return r;
}

int
transport_ssh_lock(struct transport *t, const char *path, const char *what,
    int wait_ms, int *lk, char **cause)
{
	struct ssh_priv		*sp = sp_of(t);
	struct run_result	 rr;
	struct buf		 cmd = BUF_INIT, held = BUF_INIT;
	struct tm		 tm;
	const char		*helper, *p;
	ssh_channel		 ch = NULL;
	time_t			 now;
	char			 ms[16], secs[32], stamp[32], *err = NULL;
	long			 ppid;
	int			 slot, r, rc = -1;

	*lk = -1;
	run_result_init(&rr);
	if (ssh_ensure(sp, cause) != 0)
		return -1;
	for (slot = 0; slot < SSH_LOCKS; slot++)
		if (!sp->locks[slot].used)
			break;
	if (slot == SSH_LOCKS) {
		*cause = xasprintf("%s: too many locks held", path);
		return -1;
	}
	snprintf(ms, sizeof ms, "%d", wait_ms);
	r = ssh_lock_serve(t, path, ms, what, wait_ms, cause);
	if (r == 0 || r == -1) {
		if (r == 0) {
			sp->locks[slot].used = 1;
			sp->locks[slot].path = xstrdup(path);
			sp->locks[slot].serve_gen = sp->serve_gen;
			sp->serve_locks++;
			sp->nlocks++;
			*lk = slot;
		}
		return r;
	}
	helper = r == 2 ? NULL : transport_ssh_helper(t);
	if (helper != NULL) {
		const char	*argv[] = { helper, "remote", "lock", path, ms,
				    what, NULL };

		if (ssh_command(t, argv, NULL, 1, &cmd, cause) != 0)
			goto out;
	} else {
		const char	*argv[] = { "/usr/bin/flock", "-w", secs, "-E",
				    "75", path, "/bin/cat", "/proc/self/stat",
				    "-", NULL };

		snprintf(secs, sizeof secs, "%d.%03d", wait_ms / 1000,
		    wait_ms % 1000);
		if (ssh_command(t, argv, NULL, 1, &cmd, cause) != 0)
			goto out;
	}
	if ((ch = ssh_exec(sp, cmd.data, cause)) == NULL)
		goto out;
	if (ssh_lock_answer(ch, &rr, wait_ms, &err) != 0) {
		*cause = xasprintf("%s: taking the lock on %s: %s", path,
		    t->name, err);
		goto out;
	}
	if (helper != NULL) {
		if (str_startswith(rr.out.data, "L\n"))
			rc = 0;
		else if (str_startswith(rr.out.data, "E "))
			*cause = xstrdup(str_trim(rr.out.data + 2));
		else
			*cause = xasprintf("%s: the smadm on %s did not take "
			    "the lock: %s", path, t->name,
			    str_trim(rr.err.data));
	} else if (!rr.exited) {
		/* "PID (cat) S PPID ...": the lock is held by flock, PPID. */
		p = strstr(rr.out.data, ") ");
		if (p == NULL || sscanf(p + 2, "%*c %ld", &ppid) != 1)
			ppid = 0;
		now = time(NULL);
		localtime_r(&now, &tm);
		strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
		buf_printf(&held, "%ld\t%s\t%s\n", ppid, what, stamp);
		ssh_lock_note(sp, path, held.data);
		rc = 0;
	} else if (rr.status == SSH_FLOCK_BUSY) {
		buf_reset(&held);
		if (transport_read_file(t, path, &held, 4096, &err) != 0) {
			free(err);
			err = NULL;
		}
		*cause = lock_busy_message(path, held.data, wait_ms);
	} else if (rr.status == 127)
		*cause = xasprintf("%s: the configuration lock on %s needs "
		    "smadm or util-linux's /usr/bin/flock there", path,
		    t->name);
	else
		*cause = xasprintf("%s: flock on %s exited %d: %s", path,
		    t->name, rr.status, str_trim(rr.err.data));
	if (rc == 0) {
		sp->locks[slot].ch = ch;
		sp->locks[slot].used = 1;
		sp->nlocks++;
		*lk = slot;
		ch = NULL;
	}
out:
	if (ch != NULL) {
		ssh_channel_close(ch);
		ssh_channel_free(ch);
	}
	free(err);
	run_result_release(&rr);
	buf_release(&cmd);
	buf_release(&held);
	return rc;
}

void
transport_ssh_unlock(struct transport *t, int lk)
{
	struct ssh_priv		*sp;
	struct ssh_lock_slot	*sl;
	struct buf		 line = BUF_INIT, none = BUF_INIT;
	char			*cause = NULL;

	if (!transport_is_ssh(t) || lk < 0 || lk >= SSH_LOCKS)
		return;
	sp = sp_of(t);
	sl = &sp->locks[lk];
	if (!sl->used)
		return;
	if (sl->path != NULL) {
		/* Held by serve: unless that process is gone already. */
		if (sp->serve != NULL && sl->serve_gen == sp->serve_gen &&
		    sp->serve_locks > 0) {
			const char	*argv[] = { "unlock", sl->path, NULL };

			if (ssh_serve_call(t, argv, NULL, 0, "O", 0, &line,
			    &none, &cause) != -2)
				sp->serve_locks--;
			free(cause);
		}
	} else if (sl->ch != NULL)	/* NULL: gone with its connection */
		ssh_lock_close(sl->ch);
	free(sl->path);
	memset(sl, 0, sizeof *sl);
	buf_release(&line);
	buf_release(&none);
	if (--sp->nlocks == 0)
		sp->lock_lost = 0;
}

static void
sshtr_free(struct transport *t)
{
	struct ssh_priv	*sp = sp_of(t);

	ssh_priv_free(sp);
	free(t->name);
	free(t);
}

static const struct transport_ops ssh_ops = {
	.name = "ssh",
	.read_file = ssh_read_file,
	.write_file = ssh_write_file,
	.stat = ssh_stat,
	.list_dir = ssh_list_dir,
	.mkdir = sshtr_mkdir,
	.chmod = ssh_chmod,
	.remove = ssh_remove,
	.rename = ssh_rename,
	.readlink = ssh_readlink,
	.run = ssh_run_public,
	.kill = ssh_kill,
	.stream_open = ssh_stream_open,
	.stream_read = ssh_stream_read,
	.stream_fd = ssh_stream_fd,
	.stream_close = ssh_stream_close,
	.unix_query = ssh_unix_query,
	.dir_open = ssh_dir_open,
	.dir_supported = ssh_dir_supported,
	.dir_read = ssh_dir_read,
	.dir_close = ssh_dir_close,
	.remove_locked = ssh_remove_locked,
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
	ssh_parse_spec(sp, o->spec);
	if (ssh_connect_session(sp, 1, cause) != 0) {
		ssh_priv_free(sp);
		return NULL;
	}
	t = xcalloc(1, sizeof *t);
	t->ops = &ssh_ops;
	t->priv = sp;
	t->name = xstrdup(sp->host);
	return t;
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
transport_ssh_cancel_hook(int (*cb)(void *), void *arg)
{
	ssh_cancel_cb = cb;
	ssh_cancel_arg = arg;
	ssh_cancel_thread = pthread_self();
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
	if (ssh_ensure(sp, cause) != 0)
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

int
transport_ssh_lock(struct transport *t unused, const char *path unused,
    const char *what unused, int wait_ms unused, int *lk, char **cause unused)
{
	*lk = -1;
	return 0;
}

void
transport_ssh_unlock(struct transport *t unused, int lk unused)
{
}

#endif
