/*
 * transport.h -- how smadm reaches a host's files and programs.
 *
 * Everything above this interface (profiles, maps, the mc pipeline, the
 * daemon, logs, the queue) is written once against it.  The local transport
 * uses system calls; the SSH transport (a later module) uses SFTP and exec
 * channels.  Every function returns 0 on success or -1 with a heap-allocated
 * message in *cause that the caller frees.
 */
#ifndef SMADM_TRANSPORT_H
#define SMADM_TRANSPORT_H

#include <sys/types.h>
#include <time.h>

#include "util.h"

struct transport;
struct tstream;
struct tdir;
struct tdir_file;

enum tstat_type {
	TS_NONE = 0,		/* does not exist */
	TS_REG,
	TS_DIR,
	TS_LNK,
	TS_SOCK,
	TS_OTHER
};

struct tstat {
	enum tstat_type	 type;
	mode_t		 mode;		/* permission bits only (07777) */
	uid_t		 uid;
	gid_t		 gid;
	off_t		 size;
	time_t		 mtime;
	long		 mtime_nsec;
	dev_t		 dev;
	ino_t		 ino;
};

/*
 * Atomic writes: a temporary file in the same directory, write, fsync,
 * owner and mode copied from the file being replaced (or taken from these
 * options for a new file), rename over the old one, fsync the directory.
 * With backup set, the replaced file is first hard-linked (or copied) to
 * "PATH.YYYYmmddTHHMMSS.smadm~" beside it and that name is returned in
 * backup_path when the caller passes a buffer.
 */
struct write_opts {
	mode_t		 mode;		/* for a new file; 0 means 0644 */
	int		 set_owner;	/* force uid/gid even when replacing */
	uid_t		 uid;
	gid_t		 gid;
	int		 backup;
	int		 keep_mode;	/* replacing: keep old owner/mode (default 1 via write_opts_init) */
	/*
	 * path is a name smadm chose (CF.smadm-new, DIR/.smadm/...): a
	 * symbolic link there is refused instead of followed.
	 */
	int		 no_follow;
	struct buf	*backup_path;	/* out, optional */
};
void	write_opts_init(struct write_opts *);

/*
 * Running a program.  argv[0] must be an absolute path; there is no shell.
 * stdout and stderr are captured (up to max_output bytes each, the rest is
 * dropped and flagged); stdin is fed from stdin_data or /dev/null.
 */
struct op_ctl;
struct run_opts {
	const void	*stdin_data;
	size_t		 stdin_len;
	int		 timeout_ms;	/* 0: 120 s; <0: no limit */
	size_t		 max_output;	/* 0: 64 MiB */
	const char	*cwd;		/* NULL: / */
	/*
	 * Sandbox namespace: when set, the program runs in a private mount
	 * namespace whose /etc/hosts, /etc/nsswitch.conf, /etc/resolv.conf
	 * are bind-mounted from ns_dir/{hosts,nsswitch.conf,resolv.conf} and
	 * whose /dev/log is ns_dir's log socket (see backend/ns.c).
	 */
	const char	*ns_dir;
	const char *const *env;		/* NULL: a minimal safe environment */
	/*
	 * Who may stop the program (backend/op.h): polled while it runs; when
	 * it says cancel, the program gets SIGTERM (its process group
	 * locally, the channel's signal over SSH), SIGKILL after a grace
	 * of RUN_CANCEL_GRACE_MS, and the result says cancelled.  NULL: the
	 * program runs to its end or timeout.  Set it only where stopping
	 * the program half way leaves nothing half done.
	 */
	const struct op_ctl *cancel;
};
#define RUN_CANCEL_GRACE_MS	2000
void	run_opts_init(struct run_opts *);

struct run_result {
	int		 exited;	/* 1: exited normally */
	int		 status;	/* exit status, or 128 + signal */
	int		 signo;		/* terminating signal, or 0 */
	int		 timed_out;
	int		 cancelled;	/* stopped by run_opts.cancel */
	int		 truncated;
	struct buf	 out;
	struct buf	 err;
};
void	run_result_init(struct run_result *);
void	run_result_release(struct run_result *);

/*
 * Reading many small files of one directory (sendmail's queue): the
 * files whose names start with one of prefixes are read whole, in
 * directory order, a batch at a time, so a caller can show the first
 * ones before the last are read.  For each, the size of a "sibling" (the
 * same name with its first two characters replaced by sibling_prefix, in
 * sibling_dir or the same directory) can be looked up, and whether some
 * process holds a lock on the file (sendmail's flock on a qf file while
 * it delivers; the local transport reads /proc/locks once per directory).  Files that vanish between the listing and the read
 * are skipped silently: sendmail renames and removes them all the time.
 */
struct tdir_opts {
	const char *const *prefixes;	/* NULL-terminated */
	const char	*sibling_prefix; /* "df", or NULL */
	const char	*sibling_dir;	/* NULL: the same directory */
	int		 lock_test;	/* report held flocks */
	size_t		 max_size;	/* larger files: truncated; 0: 1 MiB */
	/*
	 * Optional work a transport may do on the thread that read a file,
	 * right after reading it (the local one reads with two threads):
	 * prepare's result reaches the callback as tdir_file.prepared (NULL
	 * when the transport did not call it: the callback then does the
	 * work itself), prepared_free disposes of results never delivered,
	 * prepare_done runs on a helper thread before it ends.  prepare
	 * must be safe to run on two threads at once.
	 */
	void		*(*prepare)(void *, const struct tdir_file *);
	void		 (*prepared_free)(void *, void *);
	void		 (*prepare_done)(void *);
	void		*prepare_arg;
};
struct tdir_file {
	const char	*name;
	char		*data;		/* NUL-terminated; the callback may
					   modify it, not keep it */
	size_t		 len;
	int		 truncated;
	off_t		 sibling_size;	/* -1: no sibling */
	int		 locked;
	void		*prepared;	/* tdir_opts.prepare's result */
};
/* Return 0 to go on, -1 to stop the read (with *cause set). */
typedef int	(*tdir_cb)(void *, const struct tdir_file *, char **);

struct transport_ops {
	const char	*name;		/* "local", "ssh" */

	int	(*read_file)(struct transport *, const char *, struct buf *,
		    size_t, char **);
	int	(*write_file)(struct transport *, const char *, const void *,
		    size_t, const struct write_opts *, char **);
	int	(*stat)(struct transport *, const char *, int, struct tstat *,
		    char **);
	int	(*list_dir)(struct transport *, const char *, struct strv *,
		    char **);
	int	(*mkdir)(struct transport *, const char *, mode_t, char **);
	int	(*chmod)(struct transport *, const char *, mode_t, char **);
	int	(*chown)(struct transport *, const char *, uid_t, gid_t,
		    char **);
	int	(*remove)(struct transport *, const char *, char **);
	int	(*rename)(struct transport *, const char *, const char *,
		    char **);
	int	(*readlink)(struct transport *, const char *, struct buf *,
		    char **);
	int	(*run)(struct transport *, const char *const *,
		    const struct run_opts *, struct run_result *, char **);
	int	(*kill)(struct transport *, pid_t, int, char **);
	struct tstream *(*stream_open)(struct transport *, const char *,
		    off_t, char **);
	int	(*stream_read)(struct tstream *, struct buf *, char **);
	int	(*stream_fd)(struct tstream *);
	void	(*stream_close)(struct tstream *);
	int	(*unix_query)(struct transport *, const char *, const void *,
		    size_t, struct buf *, int, char **);
	void	*(*dir_open)(struct transport *, const char *,
		    const struct tdir_opts *, char **);
	/* NULL or non-zero: dir_open works; 0: use the generic reader. */
	int	(*dir_supported)(struct transport *);
	int	(*dir_read)(void *, size_t, tdir_cb, void *, char **);
	void	(*dir_close)(void *);
	int	(*remove_locked)(struct transport *, const char *,
		    const struct strv *, int *, char **);
	/*
	 * The configuration lock (lock.h) on a file of that host: take it for
	 * what, waiting up to wait_ms; *lk is the handle unlock releases.
	 * NULL: the transport has no lock (host_lock succeeds, *lk = -1).
	 */
	int	(*lock)(struct transport *, const char *, const char *, int,
		    int *, char **);
	void	(*unlock)(struct transport *, int);
	void	(*free)(struct transport *);
};

struct transport {
	const struct transport_ops	*ops;
	char				*name;	/* host name for display */
	void				*priv;
};

/* The local machine. */
struct transport	*transport_local_create(void);
void			 transport_free(struct transport *);

/*
 * read_file: the whole file into out (appended), failing if it is larger
 * than max bytes (0: 256 MiB).
 */
int	transport_read_file(struct transport *, const char *, struct buf *,
	    size_t, char **);
int	transport_write_file(struct transport *, const char *, const void *,
	    size_t, const struct write_opts *, char **);
/* stat: follow symlinks when follow is non-zero; a missing file is
 * success with st->type == TS_NONE. */
int	transport_stat(struct transport *, const char *, int, struct tstat *,
	    char **);
/* list_dir: names (no "." or ".."), unsorted, appended to out. */
int	transport_list_dir(struct transport *, const char *, struct strv *,
	    char **);
int	transport_mkdir(struct transport *, const char *, mode_t, char **);
int	transport_chmod(struct transport *, const char *, mode_t, char **);
/* chown: (uid_t)-1 or (gid_t)-1 leaves that one as it is. */
int	transport_chown(struct transport *, const char *, uid_t, gid_t,
	    char **);
/* remove: a file, or an empty directory; a missing path is success. */
int	transport_remove(struct transport *, const char *, char **);
int	transport_rename(struct transport *, const char *, const char *,
	    char **);
int	transport_readlink(struct transport *, const char *, struct buf *,
	    char **);
/* run: -1 only when the program could not be run at all; a non-zero exit
 * is success with res->status set. */
int	transport_run(struct transport *, const char *const *,
	    const struct run_opts *, struct run_result *, char **);
int	transport_kill(struct transport *, pid_t, int, char **);

/*
 * Streams follow a growing file from an offset (-1: the current end).
 * stream_read appends what is new and returns the number of bytes added
 * (0: nothing yet).  It follows rotation: when the path is renamed away or
 * truncated, the rest of the old file is read first, then the new file from
 * its start, so no line is lost or repeated.  A renamed file is still read
 * for a while (its writer may append until it reopens), and after a
 * copy-truncate what was not read yet is taken from the copy, PATH.1, when
 * that copy holds the last bytes read at the same offset.  stream_fd is a descriptor to
 * poll() for readability, or -1 when the caller should poll on a timer.
 */
struct tstream	*transport_stream_open(struct transport *, const char *,
		    off_t, char **);
int		 transport_stream_read(struct transport *, struct tstream *,
		    struct buf *, char **);
int		 transport_stream_fd(struct transport *, struct tstream *);
void		 transport_stream_close(struct transport *, struct tstream *);

/*
 * Send a request to a stream socket in the host's file system (sendmail's
 * control socket) and append the whole answer, until the far end closes or
 * timeout_ms passes (0: 10 s).  Fails when nothing could be connected or
 * nothing came back in time.
 */
int		 transport_unix_query(struct transport *, const char *,
		    const void *, size_t, struct buf *, int, char **);

/*
 * dir_open fails when the directory cannot be listed.  dir_read reads up
 * to max files, calls cb for each and returns how many it looked at (0:
 * the end), or -1.  Transports without their own support for it get one
 * built on list_dir, read_file and stat.
 */
struct tdir	*transport_dir_open(struct transport *, const char *,
		    const struct tdir_opts *, char **);
int		 transport_dir_read(struct transport *, struct tdir *, size_t,
		    tdir_cb, void *, char **);
void		 transport_dir_close(struct transport *, struct tdir *);

/*
 * remove_locked: take the lock sendmail takes on a queue control file
 * (flock LOCK_EX|LOCK_NB on the file opened read-write), and while it is
 * held remove that file and then each of also (missing ones are fine).
 * *state says what happened: TRL_REMOVED, TRL_BUSY (another process holds
 * the lock: nothing removed) or TRL_MISSING (no such file).  -1 only for
 * real errors.
 */
#define TRL_REMOVED	0
#define TRL_BUSY	1
#define TRL_MISSING	2
int	transport_remove_locked(struct transport *, const char *,
	    const struct strv *, int *, char **);

/* The refusal of a symbolic link found where write_opts.no_follow writes. */
char	*transport_link_refusal(const char *);
/* Convenience: does path exist (following symlinks)? */
int	transport_exists(struct transport *, const char *);
/* Render a run result's failure as one line: "PROG exited 70: <stderr>". */
char	*run_result_describe(const char *, const struct run_result *);

#endif
