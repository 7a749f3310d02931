/*
 * shquote.h -- the one function that quotes arguments for a remote shell.
 *
 * An SSH exec request carries a single command line that the remote
 * user's login shell parses.  Every argument smadm sends through SSH is
 * quoted here and nowhere else, so that map keys, file names and queue
 * ids reach the remote program byte for byte and never run anything.
 */
#ifndef SMADM_SHQUOTE_H
#define SMADM_SHQUOTE_H

#include "util.h"

/*
 * Append one argument to out, quoted for a POSIX shell (sh, bash, dash,
 * ksh, zsh): the bytes inside single quotes, each ' written as '\''.
 * An empty argument becomes ''.  NUL cannot be passed and ends the
 * argument, as it would in execve().
 */
void	sh_quote(struct buf *, const char *);

/* Append argv[0..] separated by single spaces, each quoted. */
void	sh_quote_argv(struct buf *, const char *const *);

/*
 * Split a line written by sh_quote_argv back into its arguments
 * (appended to out).  Only the forms sh_quote writes are accepted;
 * anything else fails with *cause set.  Used by the tests and the fuzz
 * harness to check the round trip without a shell.
 */
int	sh_unquote_argv(const char *, struct strv *, char **);

#endif
