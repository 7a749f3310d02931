/*
 * remote-proto.h -- the wire protocol between smadm and the smadm it runs
 * on a host reached over SSH ("smadm remote serve", "remote follow",
 * "remote dir"; the server is remote-serve.c).  Both ends build and parse
 * it with the functions here and nothing else.
 *
 * A request to serve is "<length>\n" and a command line of that length
 * written by sh_quote_argv() (shquote.h); a write request is followed by
 * its data.  Each request gets one answer:
 *
 *	D <len>\n DATA		data: read, readlink, write (the backup's
 *				name), and each piece of a followed file
 *	L <len>\n NAMES		list: each name ends in a NUL
 *	S <9 numbers>\n		stat (see rp_stat_format)
 *	O\n			done: rm, mv, mkdir, chmod, chown PATH UID GID (-1:
 *				unchanged), unlock, lock
 *	E <message>\n		failed; the message is one line
 *
 * A directory read ("dir ..." to serve, or "remote dir") answers with
 * frames, deflated when asked with -z:
 *
 *	F <namelen> <len> <truncated> <sibling size> <locked>\n NAME DATA
 *	N <entries looked at>\n		after each batch
 *	E <message>\n			failed; the end
 *	Z\n				the end
 *
 * The other end may be broken or hostile: every parser here takes the
 * most it may accept, checks each number before any arithmetic with it,
 * and never reads past what it was given.
 */
#ifndef SMADM_REMOTE_PROTO_H
#define SMADM_REMOTE_PROTO_H

#include <stddef.h>

#include "transport.h"
#include "util.h"

#define RP_DATA		'D'
#define RP_LIST		'L'
#define RP_STAT		'S'
#define RP_OK		'O'
#define RP_ERROR	'E'
#define RP_FILE		'F'
#define RP_BATCH	'N'
#define RP_END		'Z'

#define RP_LINE_MAX	8192		/* a header or message line, \n too */
#define RP_REQUEST_MAX	(1 << 20)	/* one request's command line */
#define RP_NAME_MAX	4096		/* a path or a directory entry */
#define RP_READ_MAX	(256u << 20)	/* one answer's data, at most */
#define RP_LIST_MAX	(64u << 20)	/* one listing */
#define RP_FOLLOW_MAX	(4u << 20)	/* one piece of a followed file */
#define RP_BATCH_MAX	1000000		/* entries in one N */
#define RP_DIR_FILES_MAX 500000	/* files in one directory stream */

/* An answer of serve or follow, pointing into the parsed bytes. */
struct rp_answer {
	char		 tag;		/* RP_DATA ... RP_ERROR */
	const char	*text;		/* S's numbers, E's message */
	size_t		 textlen;
	const char	*data;		/* D and L */
	size_t		 len;
	size_t		 used;		/* bytes the answer takes */
};

/*
 * Parse the answer at the start of p[0..len).  Its data may be at most max
 * bytes.  1: complete, *a filled; 0: incomplete, more bytes are needed
 * (never more than RP_LINE_MAX + max in all); -1: not a valid answer, or
 * larger than max, with *cause (naming what, for the message).
 */
int	rp_answer_parse(const char *, size_t, size_t, const char *,
	    struct rp_answer *, char **);

/* A directory frame, pointing into the parsed bytes. */
struct rp_dir_frame {
	char		 tag;		/* RP_FILE, RP_BATCH, RP_ERROR,
					   RP_END */
	const char	*name;		/* F */
	size_t		 namelen;
	const char	*data;		/* F's data, E's message */
	size_t		 len;
	int		 truncated;
	long long	 sibling_size;	/* -1: none */
	int		 locked;
	int		 count;		/* N */
	size_t		 used;
};

/*
 * Parse the frame at the start of p[0..len); F's data may be at most max
 * bytes and its name RP_NAME_MAX.  1, 0 or -1 as rp_answer_parse.
 */
int	rp_dir_frame_parse(const char *, size_t, size_t, const char *,
	    struct rp_dir_frame *, char **);

/* S's numbers into *st (zeroed first); -1 when they are not nine. */
int	rp_stat_parse(const char *, size_t, struct tstat *);

/* The formats, appended to the buffer. */
void	rp_request_format(struct buf *, const char *const *);
void	rp_data_format(struct buf *, char, const void *, size_t);
void	rp_stat_format(struct buf *, const struct tstat *);
void	rp_ok_format(struct buf *);
void	rp_error_format(struct buf *, const char *);
void	rp_dir_file_format(struct buf *, const struct tdir_file *);
void	rp_dir_batch_format(struct buf *, int);
void	rp_dir_end_format(struct buf *);

/*
 * A request's "<length>\n" line (without the \n) on the serve side: its
 * length, or -1 with *cause.
 */
long long rp_request_length(const char *, char **);

#endif
