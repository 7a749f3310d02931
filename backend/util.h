/*
 * util.h -- memory helpers, string vectors and the growable string buffer
 * that every module of smadm uses.
 *
 * Allocation failure is fatal: xmalloc() and friends call util_fatal(), which
 * runs the hook the front end installed (the TUI restores the terminal) and
 * then aborts.  Nothing here prints except that last-resort path.
 */
#ifndef SMADM_UTIL_H
#define SMADM_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <sys/types.h>

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

#ifdef __GNUC__
#define printflike(a, b) __attribute__((format(printf, a, b)))
#define unused		 __attribute__((unused))
#else
#define printflike(a, b)
#define unused
#endif

/* Called before a fatal abort; the TUI sets it to restore the terminal. */
extern void	(*util_fatal_hook)(void);
void		 util_fatal(const char *, ...) printflike(1, 2)
		    __attribute__((noreturn));

void		*xmalloc(size_t);
void		*xcalloc(size_t, size_t);
void		*xreallocarray(void *, size_t, size_t);
char		*xstrdup(const char *);
char		*xstrndup(const char *, size_t);
char		*xasprintf(const char *, ...) printflike(1, 2);
char		*xvasprintf(const char *, va_list);

/*
 * Growable byte buffer, always NUL-terminated, never NULL (git's strbuf).
 * buf_init() makes an empty buffer without allocating; buf_release() frees
 * and re-initialises it; buf_detach() hands the string to the caller.
 */
struct buf {
	char	*data;
	size_t	 len;
	size_t	 size;
};
#define BUF_INIT { buf_empty, 0, 0 }
extern char	 buf_empty[];

void	 buf_init(struct buf *);
void	 buf_release(struct buf *);
void	 buf_reset(struct buf *);
void	 buf_grow(struct buf *, size_t);
void	 buf_add(struct buf *, const void *, size_t);
void	 buf_addstr(struct buf *, const char *);
void	 buf_addch(struct buf *, int);
void	 buf_printf(struct buf *, const char *, ...) printflike(2, 3);
void	 buf_vprintf(struct buf *, const char *, va_list);
char	*buf_detach(struct buf *);
void	 buf_truncate(struct buf *, size_t);
void	 buf_rtrim(struct buf *);

/* NULL-terminated vector of heap strings. */
struct strv {
	char	**v;
	size_t	  n;
	size_t	  alloc;
};
#define STRV_INIT { NULL, 0, 0 }

void	 strv_init(struct strv *);
void	 strv_release(struct strv *);
void	 strv_push(struct strv *, const char *);
void	 strv_pushf(struct strv *, const char *, ...) printflike(2, 3);
void	 strv_push_nocopy(struct strv *, char *);
void	 strv_extend(struct strv *, const struct strv *);
void	 strv_sort(struct strv *);
/* Split on runs of blanks (space, tab); empty fields are dropped. */
void	 strv_split_ws(struct strv *, const char *);
/* Split on a separator character, trimming blanks around each field. */
void	 strv_split_char(struct strv *, const char *, int);
char	*strv_join(const struct strv *, const char *);

/* qsort() that accepts an empty (possibly NULL) array. */
void	 xqsort(void *, size_t, size_t, int (*)(const void *, const void *));

/* Small string helpers. */
int	 str_startswith(const char *, const char *);
int	 str_endswith(const char *, const char *);
/*
 * Is data (len bytes, from file name) text an editor may rewrite: no NUL
 * byte and no line longer than maxline?  -1 with "NAME:LINE: ..." in
 * *cause when not.  Edits refuse such files (a binary file or a profile
 * pointing at the wrong file) rather than append to them.
 */
int	 text_editable(const char *, const char *, size_t, size_t, char **);
char	*str_trim(char *);
/* Parse a decimal integer in [min, max]; -1 and *cause on failure. */
/* n in decimal into out (at least 21 bytes), without stdio; returns out. */
char	*str_fmt_long(char *, size_t, long long);
int	 str_tonum(const char *, long long, long long, long long *, char **);

/* A loopback address as the cf or an answer writes it: 127.x, ::1 (also
 * after IPv6:), localhost. */
int	 util_is_loopback(const char *);

#endif
