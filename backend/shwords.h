/*
 * shwords.h -- splitting a line typed by a person into words, with the
 * quoting of a POSIX shell, for the console's ":" prompt.
 *
 * Nothing is expanded: no variables, globs, tildes or command
 * substitution; the quotes only keep blanks and quote characters in a
 * word.  The inverse of sh_quote() (shquote.h) for every line it writes.
 */
#ifndef SMADM_SHWORDS_H
#define SMADM_SHWORDS_H

#include "util.h"

/*
 * Append the words of line to out.  Blanks (space, tab, newline) separate
 * words.  'text' keeps every byte of text; "text" keeps them too except
 * that a backslash before ", \, $, ` or a newline stands for that
 * character (newline: for nothing); outside quotes a backslash stands for
 * the next character (before a newline: for nothing).  Quoted parts and
 * plain parts next to each other make one word; '' and "" make an empty
 * word.  An unterminated quote or a backslash at the end is an error:
 * -1 with *cause set ("unterminated \" quote at column 12"), and out is
 * left as it was.
 */
int	shwords_split(const char *, struct strv *, char **);

#endif
