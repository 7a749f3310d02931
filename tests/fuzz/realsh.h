/*
 * realsh.h -- a real /bin/sh for the quoting harnesses (fuzz-shquote,
 * fuzz-shwords): run through execve() and a pipe, no environment but
 * PATH and LC_ALL=C.
 */
#ifndef SMADM_FUZZ_REALSH_H
#define SMADM_FUZZ_REALSH_H

#include "../../backend/util.h"

/*
 * Run /bin/sh -c CMD; its standard output is added to out.  0 when it
 * exited 0, -1 when it exited otherwise; aborts when it could not run or
 * died of a signal.
 */
int	fuzz_run_sh(const char *, struct buf *);

#endif
