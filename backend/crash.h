/*
 * crash.h -- a test hook for crash-injection tests.
 *
 * crash_point() is called by every step that changes a file on disk (each
 * write, fsync, rename, unlink, link of the local transport and of the map
 * builder).  It costs one integer compare when unused.  With the
 * environment variable SMADM_CRASH_AT=N set, the Nth call raises SIGKILL:
 * the process dies right there, as in a power cut seen from the file
 * system's side (the kernel keeps what was written).  With
 * SMADM_CRASH_TRACE set, each call prints "smadm: crash point N: WHAT" on
 * stderr, so a test can count the points of an operation and pick one at
 * random.  tests/crash/ uses both.
 */
#ifndef SMADM_CRASH_H
#define SMADM_CRASH_H

void	crash_point(const char *);

#endif
