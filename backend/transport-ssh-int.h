/*
 * transport-ssh-int.h -- what the files of the SSH transport share among
 * themselves: transport-ssh.c (the operations table, and the choice
 * between the helper and SFTP), ssh-session.c (connecting and logging
 * in), ssh-sftp.c (files over SFTP), ssh-helper.c (the serve process),
 * ssh-exec.c (running programs, following files), ssh-dir.c (queue
 * directories) and ssh-lock.c (the configuration lock).  Not for use
 * outside them; everyone else goes through transport-ssh.h.
 */
#ifndef SMADM_TRANSPORT_SSH_INT_H
#define SMADM_TRANSPORT_SSH_INT_H

#include "config.h"

#if HAVE_SSH

#include <sys/types.h>

#include <pthread.h>
#include <time.h>

#include <libssh/callbacks.h>
#include <libssh/libssh.h>
#include <libssh/sftp.h>

#include "transport.h"
#include "transport-ssh.h"

#define SSH_LOCKS		8
#define SSH_REMOTE_TIMEOUT_MS	30000	/* remote_timeout's default */
/* The remote smadm answers its first request (a stat of /) in this. */
#define SSH_SERVE_START_MS	5000

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
		char		*noted;		/* flock(1): the file of the
						   holder line, emptied at
						   unlock */
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

static inline struct ssh_priv *
sp_of(struct transport *t)
{
	return t->priv;
}

/* ssh-session.c */
long long	 sshtr_now_ms(void);
int		 sshtr_wait_check(struct ssh_priv *, long long, int,
		     const char *, char **);
void		 sshtr_quickack(ssh_session);
void		 sshtr_priv_free(struct ssh_priv *);
void		 sshtr_parse_spec(struct ssh_priv *, const char *);
int		 sshtr_connect_session(struct ssh_priv *, int, char **);
void		 sshtr_locks_check(struct ssh_priv *);
int		 sshtr_ensure(struct ssh_priv *, char **);

/* ssh-sftp.c */
int		 sshtr_sftp(struct ssh_priv *, char **);
char		*sshtr_file_error(struct ssh_priv *, const char *,
		     const char *);
int		 sshtr_sftp_read_file(struct transport *, const char *,
		     struct buf *, size_t, char **);
int		 sshtr_write_all(sftp_file, const char *, size_t);
int		 sshtr_sftp_write_file(struct transport *, const char *,
		     const void *, size_t, const struct write_opts *, char **);
int		 sshtr_sftp_stat(struct transport *, const char *, int,
		     struct tstat *, char **);
int		 sshtr_sftp_list_dir(struct transport *, const char *,
		     struct strv *, char **);
int		 sshtr_sftp_mkdir(struct transport *, const char *, mode_t,
		     char **);
int		 sshtr_sftp_chmod(struct transport *, const char *, mode_t,
		     char **);
int		 sshtr_sftp_chown(struct transport *, const char *, uid_t,
		     gid_t, char **);
int		 sshtr_sftp_remove(struct transport *, const char *, char **);
int		 sshtr_sftp_rename(struct transport *, const char *,
		     const char *, char **);
int		 sshtr_sftp_readlink(struct transport *, const char *,
		     struct buf *, char **);

/* ssh-helper.c */
char		*sshtr_no_helper(struct transport *, const char *);
void		 sshtr_serve_drop(struct ssh_priv *);
int		 sshtr_serve_ready(struct transport *);
int		 sshtr_serve_call(struct transport *, const char *const *,
		     const void *, size_t, const char *, size_t, struct buf *,
		     struct buf *, char **);

/* ssh-exec.c */
void		 sshtr_push_sudo(struct strv *);
int		 sshtr_command(struct transport *, const char *const *,
		     const struct run_opts *, int, struct buf *, char **);
ssh_channel	 sshtr_exec(struct ssh_priv *, const char *, char **);
int		 sshtr_drain(ssh_channel, struct buf *, struct buf *, size_t,
		     int *, int, char **);
int		 sshtr_run(struct transport *, const char *const *,
		     const struct run_opts *, struct run_result *, char **);
int		 sshtr_run_helper(struct transport *, const char *,
		     const char *const *, const void *, size_t, int,
		     struct run_result *, char **);
int		 sshtr_kill(struct transport *, pid_t, int, char **);
int		 sshtr_run_public(struct transport *, const char *const *,
		     const struct run_opts *, struct run_result *, char **);
struct tstream	*sshtr_stream_open(struct transport *, const char *, off_t,
		     char **);
int		 sshtr_stream_read(struct tstream *, struct buf *, char **);
int		 sshtr_stream_fd(struct tstream *);
void		 sshtr_stream_close(struct tstream *);

/* ssh-dir.c */
void		*sshtr_dir_open(struct transport *, const char *,
		     const struct tdir_opts *, char **);
int		 sshtr_dir_read(void *, size_t, tdir_cb, void *, char **);
int		 sshtr_dir_supported(struct transport *);
void		 sshtr_dir_close(void *);

/* transport-ssh.c */
int		 sshtr_stat(struct transport *, const char *, int,
		     struct tstat *, char **);

#endif /* HAVE_SSH */

#endif
