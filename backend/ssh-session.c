/*
 * ssh-session.c -- connecting to a host for the SSH transport: the libssh
 * session and what ~/.ssh/config says, the host key check (ssh-hostkey.c),
 * authentication with keys, passphrases and passwords, ProxyJump hops
 * carried over direct-tcpip channels, and reconnecting when a connection
 * was lost.
 */
#include <sys/socket.h>
#include <sys/types.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "ssh-hostkey.h"
#include "transport-ssh.h"
#include "transport-ssh-int.h"

#if HAVE_SSH

#define SSH_PASSWORD_TRIES	3	/* ssh(1)'s NumberOfPasswordPrompts */
#define SSH_JUMP_MAX		8	/* jump hosts in a chain */
#define SSH_CIPHERS	"aes128-gcm@openssh.com,aes256-gcm@openssh.com," \
			"chacha20-poly1305@openssh.com,aes128-ctr,aes256-ctr"

/*
 * Asked while an answer is awaited (transport_ssh_cancel_hook), on the
 * thread that set it only, so each thread has its own: the console's loop
 * and its job's worker set one; fleet's threads wait without.
 */
static _Thread_local int	(*ssh_cancel_cb)(void *);
static _Thread_local void	*ssh_cancel_arg;

void
transport_ssh_cancel_hook(int (*cb)(void *), void *arg)
{
	ssh_cancel_cb = cb;
	ssh_cancel_arg = arg;
}

long long
sshtr_now_ms(void)
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
int
sshtr_wait_check(struct ssh_priv *sp, long long progress, int extra_ms,
    const char *what, char **cause)
{
	int	tmo = sp->read_timeout_ms > 0 ? sp->read_timeout_ms :
		    SSH_REMOTE_TIMEOUT_MS;

	if (ssh_cancel_cb != NULL && ssh_cancel_cb(ssh_cancel_arg)) {
		*cause = xasprintf("%s: interrupted while waiting for %s", what,
		    sp->spec);
		return -2;
	}
	if (sshtr_now_ms() - progress > (long long)tmo + extra_ms) {
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
void
sshtr_quickack(ssh_session s)
{
#ifdef TCP_QUICKACK
	int	fd, one = 1;

	if (s != NULL && (fd = ssh_get_fd(s)) != -1)
		setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
#else
	(void)s;
#endif
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

	/* The slots stay in use (nlocks) until host_unlock: see sshtr_ensure. */
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
		sshtr_priv_free(sp->hop);
		sp->hop = NULL;
	}
}

void
sshtr_priv_free(struct ssh_priv *sp)
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
	sshtr_parse_spec(hop, hop->spec);
	if (sshtr_connect_session(hop, may_ask, &why) != 0) {
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
	sshtr_priv_free(hop);
	return -1;
}

/* Split [user@]host[:port]; a bracketed [v6]:port works too. */
void
sshtr_parse_spec(struct ssh_priv *sp, const char *spec)
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

int
sshtr_connect_session(struct ssh_priv *sp, int may_ask, char **cause)
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
void
sshtr_locks_check(struct ssh_priv *sp)
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
int
sshtr_ensure(struct ssh_priv *sp, char **cause)
{
	char	*why = NULL;

	sshtr_locks_check(sp);
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
	if (sshtr_connect_session(sp, 0, &why) != 0) {
		*cause = xasprintf("connection to %s lost; reconnecting "
		    "failed: %s", sp->spec, why);
		free(why);
		return -1;
	}
	return 0;
}

#endif /* HAVE_SSH */
