/*
 * safe-text.h -- bytes from outside made safe to show on a terminal.
 *
 * Mail log lines, queue files, tables, mc files and the error text of a
 * remote host are written by other people.  A terminal obeys the control
 * sequences in them (OSC 52 writes the clipboard, ESC [ 2 J clears the
 * screen, OSC 0 sets the title), so every such byte string goes through
 * this one function before it is shown.  The result is valid UTF-8 that
 * holds no C0 control (except LF and TAB when asked for), no DEL, and no
 * C1 control (neither the raw bytes 0x80-0x9f nor U+0080..U+009F):
 *
 *	C0 except NUL, DEL	\x1b, \x7f (\t \n \r for TAB, LF, CR)
 *	NUL			\x00
 *	a byte that is not part of valid UTF-8 (raw C1, overlong forms,
 *	    surrogates, truncated sequences)	\x9b, \xc3, ...
 *	U+0080..U+009F		\u009b
 *	bidirectional overrides and isolates (U+202A..U+202E,
 *	    U+2066..U+2069), which reorder what the admin reads	\u202e
 *
 * Printable UTF-8 ("Müller", CJK) and backslashes are copied unchanged:
 * this is for reading, not a reversible encoding (--json gives the exact
 * bytes).  Applying it twice changes nothing.
 */
#ifndef SMADM_SAFE_TEXT_H
#define SMADM_SAFE_TEXT_H

#include "util.h"

#define SAFE_TEXT_LF	0x01	/* keep LF: the text is meant to be lines */
#define SAFE_TEXT_TAB	0x02	/* keep TAB */
#define SAFE_TEXT_LINES	(SAFE_TEXT_LF | SAFE_TEXT_TAB)

/* Append len bytes of s to out, escaped as above. */
void	 safe_text_add(struct buf *, const char *, size_t, int);

/*
 * The same for a stream cut into pieces: a UTF-8 sequence left incomplete
 * by the end of s is not escaped but left for the next piece.  Returns the
 * number of bytes used (len minus at most 3).
 */
size_t	 safe_text_add_part(struct buf *, const char *, size_t, int);

/* A heap copy of the NUL-terminated s, escaped; NULL gives "". */
char	*safe_text(const char *, int);

/*
 * The same rule for --json: len bytes of s (NULs allowed) as a JSON string
 * with its quotes.  C0, DEL, U+0080..U+009F and the bidi controls become
 * \uXXXX (\n, \t, \r for LF, TAB, CR), a byte that is not part of valid UTF-8 is taken as
 * Latin-1 (\u00XX), so the result is valid UTF-8 JSON that a program reads
 * exactly and a terminal shows harmlessly.
 */
void	 safe_json_add(struct buf *, const char *, size_t);

/*
 * The UTF-8 sequence at s (len bytes): its length (1-4) with the code
 * point in *cp, 0 when s does not start a valid sequence, or -1 when the
 * len bytes are a valid beginning of one that the end cuts short.
 */
int	 utf8_decode(const char *, size_t, unsigned int *);

#endif
