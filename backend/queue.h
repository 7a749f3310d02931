/*
 * queue.h -- sendmail's queue directories and the messages in them.
 *
 * A queue directory may hold its files directly or in qf/, df/, xf/
 * subdirectories, and a profile may name several directories (queue
 * groups) and wildcards like /var/spool/mqueue/q*.  queue.c counts and
 * scans them, queue-parse.c reads one control file (qf, hf, Qf), and
 * queue-filter.c selects, sorts and summarises what was read.
 *
 * qf files are bytes, not text: every string of a queue_entry is the raw
 * bytes of the file (NUL-terminated; a NUL inside a line ends the string).
 * Display code must escape them (queue_escape() does it for plain text).
 */
#ifndef SMADM_QUEUE_H
#define SMADM_QUEUE_H

#include <sys/types.h>

#include <regex.h>
#include <time.h>

#include "host.h"

struct queue_counts {
	long	messages;	/* qf files */
	long	quarantined;	/* hf files */
	long	lost;		/* Qf files */
	long	dirs;		/* directories scanned */
};

/* Count the files of every directory in dirs; unreadable ones fail. */
int	queue_count(struct host *, const struct strv *, struct queue_counts *,
	    char **);

/* Which queue a message is in, and what kind of control file holds it. */
enum queue_kind {
	QUEUE_MTA,
	QUEUE_SUBMIT
};
#define QUEUE_WANT_MTA		0x01
#define QUEUE_WANT_SUBMIT	0x02
#define QUEUE_WANT_ALL		(QUEUE_WANT_MTA | QUEUE_WANT_SUBMIT)

enum queue_state {
	QSTATE_QUEUED,		/* qf */
	QSTATE_HELD,		/* hf: quarantined */
	QSTATE_LOST		/* Qf: sendmail gave up on the file */
};

struct queue_rcpt {
	const char	*addr;		/* R line, after the flags */
	const char	*flags;		/* "PFD": R flags before ':' */
	const char	*orcpt;		/* Q line before it, or NULL */
	const char	*final;		/* r line before it, or NULL */
};

struct queue_header {
	const char	*name;
	const char	*cond;		/* H?cond? letters, or "" */
	const char	*value;		/* continuation lines kept: "a\n\tb" */
};

struct queue_macro {
	const char	*name;		/* "r", "_", "{daemon_flags}" */
	const char	*value;
};

/*
 * One message.  Strings point into memory the entry owns; absent ones are
 * NULL.  A brief entry (the default of a scan) keeps the envelope and the
 * headers Subject, Message-Id, From and To; a full one (QUEUE_FULL, and
 * queue_parse()) keeps every header and macro.
 */
struct queue_entry {
	char			 id[24];
	enum queue_kind		 kind;
	enum queue_state	 state;
	const char		*dir;		/* the directory of the control
						   file (owned by the scan) */
	const char		*queue;		/* the configured queue dir */
	const char		*data_dir;	/* where its df file is */
	int			 version;	/* V */
	time_t			 ctime;		/* T: created */
	time_t			 atime;		/* K: last attempt, 0 none */
	long			 tries;		/* N */
	long			 priority;	/* P */
	off_t			 size;		/* df size, -1: no df */
	int			 locked;	/* a process holds its lock */
	const char		*sender;	/* S */
	const char		*status;	/* M: last error */
	const char		*quarantine;	/* q */
	const char		*bodytype;	/* B */
	const char		*flags;		/* F */
	const char		*envid;		/* Z */
	const char		*auth;		/* A */
	const char		*df_dir;	/* d */
	const char		*subject;	/* headers, for lists */
	const char		*message_id;
	const char		*from;
	const char		*to;
	struct queue_rcpt	*rcpts;
	size_t			 nrcpts;
	struct queue_header	*headers;	/* full entries only */
	size_t			 nheaders;
	struct queue_macro	*macros;	/* full entries only */
	size_t			 nmacros;
	const char		*error;		/* why the file is damaged,
						   "LINE: what", or NULL */
	void			*mem;		/* what the strings point into
						   (brief: a shared pool) */
	int			 compact;	/* one block: entry, rcpts, id
						   and error (brief entries) */
};

#define QUEUE_FULL	0x01	/* keep all headers and macros */

/*
 * Parse the bytes of a control file (qf, hf or Qf; name gives the id and
 * the state).  data is modified and, for a full entry, kept: the entry
 * takes ownership of it (it must come from xmalloc).  A damaged file
 * still gives an entry, with what could be read and e->error set.
 */
struct queue_entry	*queue_parse(const char *, char *, size_t, int);
/*
 * The same from a borrowed buffer: a brief (compact) or full copy.  Brief
 * entries share repeated strings through a pool per thread; a thread
 * that parsed outside a scan calls queue_parse_thread_end before it ends
 * (queue_scan_close does it for the scanning thread).
 */
struct queue_entry	*queue_parse_copy(const char *, char *, size_t, int);
void			 queue_parse_thread_end(void);
void			 queue_entry_free(struct queue_entry *);
/* The age of a message now, in seconds. */
long			 queue_entry_age(const struct queue_entry *, time_t);
/* The state as a word: "queued", "held", "lost", "busy" (locked). */
const char		*queue_entry_state(const struct queue_entry *);
/* An address without angle brackets, into out (size); returns out. */
const char		*queue_bare_addr(const char *, char *, size_t);
/* Domain of an address, lowercased, into out (size); "" when none. */
void			 queue_addr_domain(const char *, char *, size_t);
/*
 * Escape raw bytes for a terminal or a line of text: sendmail's macro
 * marks (0201 c) as "$c" and its quoted bytes (0377 c) as c (not in a
 * body: QESC_BODY), the rest through safe_text_add() (backend/safe-text.h:
 * printable UTF-8 as it is, control characters and bytes that are not
 * UTF-8 as \x1b, \u009b, \xNN).  A newline followed by blanks (a folded
 * header) becomes one space, other newlines "\n", unless QESC_FOLD keeps
 * newlines and tabs.  QESC_RAW only undoes sendmail's quoting and leaves
 * every other byte as it is (for JSON, which escapes on its own).
 * Appends to the buffer.
 */
#define QESC_FOLD	0x01
#define QESC_BODY	0x02
#define QESC_RAW	0x04
void			 queue_escape(struct buf *, const char *, int);
/* Is s printable ASCII only (nothing to escape)? */
int			 queue_is_plain(const char *);
void			 queue_escape_n(struct buf *, const char *, size_t, int);

/*
 * Scanning: every queue directory of the profile, a batch at a time, so
 * a console can draw the first screen while a large queue is still being
 * read.  Each entry goes to cb, which owns it from then on.  Directories
 * that cannot be read are not fatal: their messages are added to
 * warnings and the scan goes on.
 */
typedef int	(*queue_entry_cb)(void *, struct queue_entry *, char **);
struct queue_scan;
struct queue_scan	*queue_scan_open(struct host *, int, int);
/* Read up to max files; 1 when there is more, 0 at the end, -1 error. */
int			 queue_scan_step(struct queue_scan *, size_t,
			    queue_entry_cb, void *, char **);
const struct strv	*queue_scan_warnings(const struct queue_scan *);
/* Files read so far. */
size_t			 queue_scan_files(const struct queue_scan *);
void			 queue_scan_close(struct queue_scan *);

/* A growable list of entries. */
struct queue_list {
	struct queue_entry	**v;
	size_t			  n;
	size_t			  alloc;
	struct strv		  warnings;
};
void	queue_list_init(struct queue_list *);
void	queue_list_release(struct queue_list *);
void	queue_list_add(struct queue_list *, struct queue_entry *);
/* Read whole queues (QUEUE_WANT_*) into the list; flags as for a scan. */
int	queue_list_read(struct host *, int, int, struct queue_list *, char **);
/* Find a message by id (the first one: ids are unique per host). */
struct queue_entry *queue_list_find(const struct queue_list *, const char *);
/* Read one message in full by id, from whichever queue holds it. */
struct queue_entry *queue_find(struct host *, const char *, char **);
/* The path of a file of an entry ('q', 'h', 'Q', 'd', 'x'). */
char	*queue_entry_path(const struct queue_entry *, int);
/* Is this a well-formed queue id? */
int	queue_id_valid(const char *);

/*
 * Filters: words ANDed together, each "field:value" or a bare value
 * (matches id, sender, recipients, subject and status).  A value is a
 * substring (case ignored) or "/regex/" (POSIX extended, case ignored).
 * "!" before a word negates it.  Fields: id from to rcpt domain subject
 * status msgid queue:mta|submit state:queued|held|lost|busy
 * older:DURATION newer:DURATION larger:SIZE smaller:SIZE tries:N.
 * DURATION is 90s, 30m, 2h, 3d, 1w; SIZE is 500, 10k, 2M.
 */
struct queue_filter;
struct queue_filter	*queue_filter_parse(const char *, char **);
int			 queue_filter_match(const struct queue_filter *,
			    const struct queue_entry *, time_t);
void			 queue_filter_free(struct queue_filter *);

/* Sorting: "age" "size" "sender" "recipient" "tries" "next" "status". */
enum queue_sort {
	QSORT_AGE,		/* oldest first */
	QSORT_SIZE,		/* largest first */
	QSORT_SENDER,
	QSORT_RECIPIENT,
	QSORT_TRIES,		/* most tries first */
	QSORT_NEXT,		/* next attempt, soonest first */
	QSORT_STATUS,
	QSORT_NONE		/* directory order */
};
extern const char *const queue_sort_names[];
int	queue_sort_parse(const char *, enum queue_sort *);
void	queue_sort(struct queue_entry **, size_t, enum queue_sort, int, long);
/*
 * When the next attempt is due: the last attempt (or the creation) plus
 * the queue run interval.  sendmail does not store it; this is the
 * estimate a queue runner every interval seconds gives.
 */
time_t	queue_next_attempt(const struct queue_entry *, long);
/* The queue interval from the profile's daemon flags (-q15m), in s. */
long	queue_interval(const struct profile *);

/* Durations and sizes as filters and summaries write them. */
int	queue_parse_duration(const char *, long *);
int	queue_parse_size(const char *, long long *);
void	queue_format_age(char *, size_t, long);
void	queue_format_size(char *, size_t, long long);

/*
 * The summary: like Postfix's qshape, messages by destination domain and
 * age bucket (a message counts once per domain it is queued for), with
 * their sizes, and messages by last error.
 */
#define QUEUE_NBUCKETS	10
extern const long	queue_bucket_limits[QUEUE_NBUCKETS]; /* minutes */
struct queue_summary_row {
	char		*key;		/* domain or error text */
	long		 total;
	long long	 bytes;
	long		 buckets[QUEUE_NBUCKETS];
};
struct queue_summary {
	struct queue_summary_row	 all;	/* key "TOTAL" */
	struct queue_summary_row	*domains;
	size_t				 ndomains;
	struct queue_summary_row	*errors;
	size_t				 nerrors;
	long				 held, lost, busy;
};
void	queue_summary_build(struct queue_summary *, struct queue_entry **,
	    size_t, time_t);
void	queue_summary_release(struct queue_summary *);

#endif
