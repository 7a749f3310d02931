/*
 * uring.c -- a small io_uring ring through the raw system calls (see
 * uring.h).
 *
 * One submission queue, one completion queue, both mapped shared with the
 * kernel.  The program writes entries at the submission tail and
 * publishes the tail (release) before io_uring_enter(); the kernel writes
 * completions at the completion tail, which is read with acquire, and the
 * program frees them by storing the head (release).
 */
#include <sys/mman.h>
#include <sys/syscall.h>

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "uring.h"
#include "util.h"

struct uring {
	int			 fd;
	unsigned int		 entries;
	/* submission queue */
	void			*sq_map;
	size_t			 sq_len;
	unsigned int		*sq_head, *sq_tail, *sq_mask, *sq_array;
	unsigned int		 sq_local;	/* our tail, not yet published */
	struct io_uring_sqe	*sqes;
	size_t			 sqes_len;
	/* completion queue */
	void			*cq_map;
	size_t			 cq_len;
	unsigned int		*cq_head, *cq_tail, *cq_mask;
	struct io_uring_cqe	*cqes;
};

static unsigned int
load_acquire(unsigned int *p)
{
	return atomic_load_explicit((_Atomic unsigned int *)p,
	    memory_order_acquire);
}

static void
store_release(unsigned int *p, unsigned int v)
{
	atomic_store_explicit((_Atomic unsigned int *)p, v,
	    memory_order_release);
}

static int
uring_enabled(void)
{
	const char	*s = getenv("SMADM_IO_URING");

	return s == NULL || strcmp(s, "0") != 0;
}

struct uring *
uring_create(unsigned int entries, unsigned int nfiles)
{
	struct io_uring_params	 p;
	struct uring		*u;
	unsigned int		 i;
	long			 rc;
	int			*fds;
	char			*sq, *cq;

	if (!uring_enabled() || nfiles == 0)
		return NULL;
	memset(&p, 0, sizeof p);
	/*
	 * SUBMIT_ALL (5.18): a bad entry fails alone instead of stopping the
	 * submission.  A kernel that has it also has opens into direct
	 * descriptors (5.15); an older one reads the plain way.
	 */
	p.flags = IORING_SETUP_SUBMIT_ALL | IORING_SETUP_COOP_TASKRUN;
	u = xcalloc(1, sizeof *u);
	u->sq_map = u->cq_map = MAP_FAILED;
	u->sqes = MAP_FAILED;
	u->fd = (int)syscall(__NR_io_uring_setup, entries, &p);
	if (u->fd == -1)
		goto fail;
	if ((p.features & IORING_FEAT_SINGLE_MMAP) == 0)
		goto fail;
	u->entries = p.sq_entries;
	u->sq_len = p.sq_off.array + p.sq_entries * sizeof(unsigned int);
	u->cq_len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	if (u->cq_len > u->sq_len)
		u->sq_len = u->cq_len;
	u->sq_map = mmap(NULL, u->sq_len, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_POPULATE, u->fd, IORING_OFF_SQ_RING);
	if (u->sq_map == MAP_FAILED)
		goto fail;
	sq = cq = u->sq_map;	/* one mapping holds both rings */
	u->sqes_len = p.sq_entries * sizeof(struct io_uring_sqe);
	u->sqes = mmap(NULL, u->sqes_len, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_POPULATE, u->fd, IORING_OFF_SQES);
	if (u->sqes == MAP_FAILED)
		goto fail;
	u->sq_head = (unsigned int *)(sq + p.sq_off.head);
	u->sq_tail = (unsigned int *)(sq + p.sq_off.tail);
	u->sq_mask = (unsigned int *)(sq + p.sq_off.ring_mask);
	u->sq_array = (unsigned int *)(sq + p.sq_off.array);
	u->cq_head = (unsigned int *)(cq + p.cq_off.head);
	u->cq_tail = (unsigned int *)(cq + p.cq_off.tail);
	u->cq_mask = (unsigned int *)(cq + p.cq_off.ring_mask);
	u->cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);
	u->sq_local = *u->sq_tail;

	/* Empty direct descriptor slots, filled by opens with file_index. */
	fds = xreallocarray(NULL, nfiles, sizeof *fds);
	for (i = 0; i < nfiles; i++)
		fds[i] = -1;
	rc = syscall(__NR_io_uring_register, u->fd, IORING_REGISTER_FILES,
	    fds, nfiles);
	free(fds);
	if (rc != 0)
		goto fail;
	return u;
fail:
	uring_free(u);
	return NULL;
}

void
uring_free(struct uring *u)
{
	if (u == NULL)
		return;
	if (u->sqes != MAP_FAILED)
		munmap(u->sqes, u->sqes_len);
	if (u->sq_map != MAP_FAILED)
		munmap(u->sq_map, u->sq_len);
	if (u->fd != -1)
		close(u->fd);	/* closes the direct descriptors too */
	free(u);
}

struct io_uring_sqe *
uring_sqe(struct uring *u)
{
	struct io_uring_sqe	*sqe;
	unsigned int		 idx;

	if (u->sq_local - load_acquire(u->sq_head) >= u->entries)
		return NULL;
	idx = u->sq_local & *u->sq_mask;
	sqe = &u->sqes[idx];
	memset(sqe, 0, sizeof *sqe);
	u->sq_array[idx] = idx;
	u->sq_local++;
	return sqe;
}

int
uring_submit(struct uring *u, unsigned int wait_nr)
{
	unsigned int	 pending;
	long		 n;

	pending = u->sq_local - *u->sq_tail;
	store_release(u->sq_tail, u->sq_local);
	for (;;) {
		n = syscall(__NR_io_uring_enter, u->fd, pending, wait_nr,
		    wait_nr > 0 ? IORING_ENTER_GETEVENTS : 0, NULL, 0);
		if (n >= 0)
			break;
		if (errno != EINTR)
			return -1;
		/* Interrupted: whatever was taken is taken; wait again. */
		pending = 0;
	}
	return 0;
}

int
uring_cqe(struct uring *u, struct io_uring_cqe *cqe)
{
	unsigned int	head = *u->cq_head;

	if (head == load_acquire(u->cq_tail))
		return 0;
	*cqe = u->cqes[head & *u->cq_mask];
	store_release(u->cq_head, head + 1);
	return 1;
}
