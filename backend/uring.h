/*
 * uring.h -- a small io_uring ring through the raw system calls (no
 * liburing): many opens, reads and stats handed to the kernel in one
 * system call instead of one call each.
 *
 * Used by the local transport's directory reader, where the per-file
 * system calls are most of the time of a queue listing.  Everything here
 * is optional: uring_create() returns NULL when the kernel has no io_uring,
 * forbids it (seccomp, io_uring_disabled) or lacks a needed feature, or
 * when SMADM_IO_URING=0 is set, and the caller reads the plain way.
 */
#ifndef SMADM_URING_H
#define SMADM_URING_H

#include <linux/io_uring.h>

struct uring;

/*
 * A ring for up to entries submissions at a time, with nfiles direct
 * descriptor slots (numbered 0..nfiles-1) for IORING_OP_OPENAT's
 * file_index.  NULL if io_uring cannot be used here (not an error).
 */
struct uring	*uring_create(unsigned int entries, unsigned int nfiles);
void		 uring_free(struct uring *);

/* The next submission entry, zeroed; NULL when entries are queued already. */
struct io_uring_sqe *uring_sqe(struct uring *);

/*
 * Hand the queued entries to the kernel and wait until at least wait_nr
 * completions are ready.  -1 with errno set on failure (the queued
 * entries are then dropped).
 */
int		 uring_submit(struct uring *, unsigned int wait_nr);

/* Take the next completion: 1 and *cqe filled, or 0 when none is ready. */
int		 uring_cqe(struct uring *, struct io_uring_cqe *cqe);

#endif
