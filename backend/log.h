/*
 * log.h -- sendmail's mail log: where it is, what its lines say, following
 * it live, tracing one message and searching.
 *
 *	log-parse.c	one syslog line into fields (both time formats)
 *	log-filter.c	the filter expressions of "log tail/search"
 *	log-files.c	the mail log and its rotated siblings; line reading
 *	log-trace.c	every line of one queue id and its SMTP session
 *
 * Files are read through the host's transport only: plain files as
 * streams, compressed ones through gzip -dc.
 */
#ifndef SMADM_LOG_H
#define SMADM_LOG_H

#include <sys/types.h>
#include <time.h>

#include "host.h"

/*
 * The longest line kept, whatever the log holds (syslog daemons cut at
 * 8 KiB or less; a file without newlines must not become one huge line in
 * memory).  Longer lines keep their first LOG_LINE_MAX bytes followed by
 * LOG_LINE_CUT; the rest up to the newline is dropped unread into memory.
 */
#define LOG_LINE_MAX	65536
#define LOG_LINE_CUT	" [smadm: line cut at 65536 bytes]"

enum log_kind {
	LOG_UNKNOWN,		/* not a syslog line: kept as it is */
	LOG_OTHER,		/* a syslog line of no known kind */
	LOG_FROM,		/* from=<...>, size=, nrcpts=, ... */
	LOG_TO,			/* to=<...>, ..., stat= */
	LOG_REJECT,		/* ruleset=..., reject=... */
	LOG_CONNECT,		/* connect from HOST [IP] */
	LOG_USER_UNKNOWN,	/* <x@y>... User unknown */
	LOG_NO_MAIL,		/* did not issue MAIL/EXPN/VRFY/ETRN */
	LOG_SYSERR,		/* SYSERR(user): ... */
	LOG_DAEMON_START,	/* starting daemon (8.17.1.9): ... */
	LOG_DAEMON_STOP,	/* stopping daemon, reason=... */
	LOG_DAEMON_RESTART,	/* restarting PATH due to signal */
	LOG_SMTP_IN,		/* LogLevel 15: "<-- COMMAND" */
	LOG_SMTP_OUT,		/* LogLevel 15: "--- REPLY", "--> ..." */
	LOG_DONE,		/* done; delay=, ntries= */
	LOG_DSN,		/* QID: DSNQID: DSN: ... */
	LOG_LOST,		/* lost input channel, timeouts */
	LOG_NOISE,		/* AUTH: available mech, Milter: no active ... */
	LOG_AUTH,		/* AUTH=server, relay=..., authid=, mech= */
	LOG_AUTH_FAIL,		/* AUTH failure (PLAIN): ..., relay=... */
	LOG_ATTACK,		/* HOST [IP]: possible SMTP attack: ... */
	LOG_MILTER,		/* Milter (name): ..., Milter add: ... */
	LOG_TLS,		/* STARTTLS=server, relay=..., verify=... */
	LOG_TLS_FAIL,		/* STARTTLS=server, error: accept failed... */
	LOG_NKINDS
};

enum log_outcome {
	LOG_OUT_NONE,
	LOG_OUT_SENT,
	LOG_OUT_DEFERRED,
	LOG_OUT_BOUNCED,
	LOG_OUT_REJECTED,
	LOG_OUT_ERROR
};

struct log_field {
	const char	*key;
	const char	*value;
};

/*
 * One parsed line.  Every string points into memory the line owns; NULL
 * or "" when absent (host, prog: NULL; qid: "" when the line has none).
 */
struct log_line {
	char			*raw;		/* the line, no newline */
	char			*work;		/* tokenised copy */
	const char		*stamp;		/* the time as written */
	time_t			 time;		/* 0: no time */
	long			 usec;
	const char		*host;
	const char		*prog;		/* "sm-mta", "sendmail" */
	long			 pid;		/* -1: none */
	const char		*qid;		/* id, "NOQUEUE" or "" */
	const char		*msg;		/* the text after the id */
	enum log_kind		 kind;
	enum log_outcome	 outcome;
	struct log_field	*fields;	/* in the order of the line */
	size_t			 nfields;
	size_t			 afields;
};

void		 log_line_init(struct log_line *);
void		 log_line_release(struct log_line *);
/*
 * Parse len bytes (no newline).  now gives the year of classic syslog
 * times, which have none: a time more than a day ahead of now is taken
 * from the year before.  Returns 1 for a syslog line, 0 for an unknown
 * one (raw and msg are still set).
 */
int		 log_parse(struct log_line *, const char *, size_t, time_t);
/* A field's value, or NULL. */
const char	*log_field(const struct log_line *, const char *);
const char	*log_kind_name(enum log_kind);
const char	*log_outcome_name(enum log_outcome);
/*
 * Is s (len bytes) a sendmail queue id: 8 characters of the base-60
 * alphabet then the pid, 6 or 7 digits?
 */
int		 log_is_qid(const char *, size_t);
/* The pid that received a queue id (its last digits), or -1. */
long		 log_qid_pid(const char *);

/* The line as one JSON object (file may be NULL). */
void		 log_line_json(const struct log_line *, const char *,
		     struct buf *);

/*
 * Filters: whitespace-separated terms, all of which must match.
 *
 *	TEXT		the line contains TEXT (any case); "quote" spaces
 *	KEY:VALUE	the field KEY contains VALUE (any case)
 *	-TERM		the term must not match
 *	KEY:A,B		either value
 *
 * KEY is a field of the line (from, to, ctladdr, relay, stat, dsn, mailer,
 * msgid, reject, ruleset, arg1, proto, daemon, size, nrcpts, ...) or one of
 * qid (exact id), pid, host, prog, kind (from, to, reject, connect, ...),
 * status (sent, deferred, bounced, rejected, error: the outcome), addr
 * (from, to, ctladdr, arg1 or an <address> in the text), ip (the [IP] of
 * relay or connect).  stat: matches the outcome name too.
 */
struct log_filter;
struct log_filter	*log_filter_parse(const char *, char **);
void			 log_filter_free(struct log_filter *);
int			 log_filter_match(const struct log_filter *,
			     const struct log_line *);
/*
 * A quick look at the raw line before parsing: 0 when it cannot match
 * (one required text is absent), 1 when it may.
 */
int			 log_filter_maybe(const struct log_filter *,
			     const char *, size_t);

/* ---- files ---- */

/*
 * The profile's mail log and its rotated copies that exist, oldest first,
 * the live file last: NAME.N[.gz] (higher N older) and NAME-YYYYMMDD[.gz].
 */
int	log_files(struct host *, struct strv *, char **);

/*
 * Reading a file in large blocks: for plain files a transport stream from
 * offset 0, for .gz the output of gzip -dc.  Each call appends to buf and
 * returns the bytes added, 0 at the end, -1 on error.
 */
struct log_reader;
struct log_reader	*log_reader_open(struct host *, const char *, off_t,
			     char **);
int			 log_reader_read(struct log_reader *, struct buf *,
			     char **);
void			 log_reader_close(struct log_reader *);

/*
 * Following the live log: complete lines only, across rotation (rename
 * or copy-truncate) without losing or repeating one.  log_follow_open
 * starts at the end minus the last nback lines (0: at the end).
 */
struct log_follow;
struct log_follow	*log_follow_open(struct host *, const char *, size_t,
			     char **);
/*
 * Append new complete lines to lines (each at most LOG_LINE_MAX bytes
 * plus LOG_LINE_CUT); returns how many, -1 on error.
 */
int			 log_follow_read(struct log_follow *, struct strv *,
			     char **);
/*
 * The last line when it has no newline yet (a file that ends without
 * one, or a writer between two writes): appended to lines once, 1; else
 * 0.  If it is ended later, log_follow_read gives it again only when it
 * grew meanwhile.
 */
int			 log_follow_rest(struct log_follow *, struct strv *);
void			 log_follow_close(struct log_follow *);

/* ---- trace and search ---- */

struct log_hit {
	size_t	 file;		/* index into the files strv */
	off_t	 off;		/* where the line starts in that file */
	char	*text;		/* the line */
};

struct log_result {
	struct strv	 files;
	struct log_hit	*hits;		/* in file order, then offset */
	size_t		 nhits;
	size_t		 ahits;
	struct strv	 warnings;	/* unreadable rotated files ... */
};

void	log_result_init(struct log_result *);
void	log_result_release(struct log_result *);

/*
 * Every line of queue id qid in the mail log and its rotated copies, with
 * the lines of the SMTP session that created it: the receiving process
 * (its pid is the end of the id) logged "connect from" and more before the
 * id appears, and after the message its closing conversation.  Lines
 * come in the order of the files.
 */
int	log_trace(struct host *, const char *, struct log_result *, char **);

/*
 * Lines matching a filter; all rotated files too when all is set, else
 * the live log only.  At most max lines (0: no limit), the newest kept.
 */
int	log_search(struct host *, const struct log_filter *, int, size_t,
	    struct log_result *, char **);

/* Trace a buffer (exposed for the tests and the benchmark). */
void	log_trace_buffer(const char *, size_t, const char *, size_t,
	    struct log_result *);

#endif
