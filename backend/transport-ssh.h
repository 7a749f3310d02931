/*
 * transport-ssh.h -- the transport for a host reached over SSH (libssh).
 *
 * Files go through SFTP, programs through exec channels whose one command
 * line is built by sh_quote_argv() (shquote.h) and nothing else.  One SSH
 * connection per transport carries every channel.  What SFTP and plain
 * programs cannot do (reading a whole queue directory in one stream, the
 * sandbox namespace, sendmail's control socket, sendmail's qf lock) is
 * done by "smadm remote ..." on the far side when an smadm binary is
 * found there (see smadm.8, REMOTE HOSTS).
 */
#ifndef SMADM_TRANSPORT_SSH_H
#define SMADM_TRANSPORT_SSH_H

#include "transport.h"

/*
 * Ask the person something: a yes/no question (echo 1) or a secret
 * (echo 0).  Append the answer to *answer and return 0, or return -1
 * when nobody can be asked (or the input ended).  Secrets (passphrases,
 * passwords, keyboard-interactive questions) may be asked whenever a
 * connection is made, also when a dropped one is made again; host key
 * questions only on the first connection.
 */
typedef int	(*ssh_prompt_cb)(void *, const char *, int, struct buf *);
/* Tell the person something that needs no answer (one line, no newline). */
typedef void	(*ssh_notice_cb)(void *, const char *);

struct ssh_opts {
	const char	*spec;		/* [user@]host[:port] or a config Host */
	int		 accept_new;	/* accept and record an unknown host key */
	ssh_prompt_cb	 prompt;	/* NULL: batch mode, never ask */
	int		 ask_host_key;	/* the prompt may accept a new key */
	void		*prompt_arg;
	ssh_notice_cb	 notice;	/* "Permanently added ..."; or NULL */
	void		*notice_arg;
	const char	*smadm_path;	/* tried first as the remote smadm */
	int		 sudo;		/* run programs through sudo -n */
	int		 timeout_s;	/* connect timeout; 0: 10 s */
};
void	ssh_opts_init(struct ssh_opts *);

/*
 * Connect, check the host key against known_hosts (ssh-hostkey.h: an
 * unknown key is accepted only with accept_new or a "yes" from the
 * prompt; a revoked or changed key, or a host only a @cert-authority
 * vouches for, is always refused) and log in: agent and key files (passphrases through
 * the prompt), then keyboard-interactive or password, up to three tries,
 * when a prompt is there.  A ProxyJump of ~/.ssh/config is made here, hop
 * by hop, each hop connected and checked the same way.  NULL with *cause
 * set when any step fails.
 */
struct transport	*transport_ssh_create(const struct ssh_opts *, char **);

/*
 * A second connection to the host of t, made the same way but never
 * asking anything (no prompt, no new host key): for work a child process
 * does beside the first connection, which it cannot share.  NULL with
 * *cause when the host needs a password or anything else fails.
 */
struct transport	*transport_ssh_again(struct transport *, char **);

/* Is this an SSH transport? */
int	transport_is_ssh(const struct transport *);
/* Run privileged programs through "sudo -n" from now on. */
void	transport_ssh_set_sudo(struct transport *, int);
/*
 * How long an answer of the remote smadm may keep smadm waiting without
 * a byte coming (the profile's remote_timeout), in seconds; 0: 30 s.
 */
void	transport_ssh_set_timeout(struct transport *, int);
/*
 * While any SSH transport waits for the remote smadm on the calling
 * thread, cb(arg) is asked about ten times a second; when it returns
 * nonzero the wait ends with "interrupted" (the console: q or a signal;
 * its job's worker: Esc).  Each thread sets its own; other threads' waits
 * never ask it.  NULL: never.
 */
void	transport_ssh_cancel_hook(int (*)(void *), void *);
/* The remote smadm found for the helper operations, or NULL. */
const char *transport_ssh_helper(struct transport *);
/*
 * Keep an idle connection alive (call every few seconds from an event
 * loop); after a drop, reconnect without asking anything.  0: fine, 1:
 * it was down and is made again, -1 with *cause: down and could not be
 * made again.
 */
int	transport_ssh_keepalive(struct transport *, char **);

/*
 * The configuration lock (lock.h) on the host: the connection's "smadm
 * remote serve", or "smadm remote lock PATH WAIT_MS WHAT" in a channel of
 * its own, or util-linux's flock(1) when smadm is not there, holds
 * flock() on path until host_unlock, the end of smadm, or a dropped
 * connection.  Waits up to wait_ms; fails with the local lock's message.
 * When a held lock goes away (the connection dropped, its holder on the
 * host ended), every operation fails until host_unlock instead of running
 * unlocked, and a dropped connection is not made again meanwhile.
 */
int	transport_ssh_lock(struct transport *, const char *, const char *, int,
	    int *, char **);
void	transport_ssh_unlock(struct transport *, int);

/* The user's home and ~/.ssh/config as smadm reads them ($HOME first). */
char	*ssh_user_home(void);

#endif
