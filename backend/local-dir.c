/*
 * local-dir.c -- the local transport's reader of a directory of many small
 * files (sendmail's queue), with a helper thread and io_uring (uring.c)
 * where they pay.
 */

#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "transport.h"
#include "transport-local-int.h"
#include "uring.h"

/*
 * Many small files of one directory (sendmail's queue).  Nearly all the
 * time goes to the kernel: per file an openat, one read, a close and an
 * fstatat of the sibling, all relative to open directory descriptors (no
 * path walk).  A batch of names is taken from readdir first.  With more
 * than one CPU a second thread helps: both threads claim the batch's
 * files one at a time from a shared counter and read them, and the
 * caller's thread hands every file to the callback (parsing) in
 * directory order as soon as it is read, reading a file itself only when
 * the next one in order is not ready yet.  The kernel work is so split
 * between the two CPUs, and the parsing overlaps the helper's reads.
 * The helper exists only inside local_dir_read, which joins it before
 * returning; the callback always runs on the caller's thread.
 */
#define LOCAL_DIR_ROOM		65536	/* free room before each read */
#define LOCAL_DIR_CHUNK		(1 << 20)
#define LOCAL_DIR_PARALLEL	64	/* smaller batches: one thread */
#define LOCAL_URING_GROUP	32	/* files per io_uring submission */
#define LOCAL_URING_ROOM	16384	/* bytes read per file by the ring */

/* One wanted name of a batch, and what reading it gave. */
struct local_slot {
	size_t		 name;		/* offset in the batch's names */
	ino_t		 ino;
	unsigned char	 type;		/* d_type */
	atomic_int	 ready;		/* set (release) when read */
	int		 state;
	char		*data;		/* in its reader's chunks */
	size_t		 len;
	int		 truncated;
	off_t		 sibling_size;
	int		 locked;
	void		*prepared;
	char		*error;		/* LSLOT_ERROR */
};
#define LSLOT_OK	0
#define LSLOT_SKIP	1	/* vanished, or not a regular file */
#define LSLOT_ERROR	2

/*
 * Where one thread puts the files it reads: chunks that never move, so
 * the other thread can parse a file while this one reads the next.  All
 * are freed when the batch has been delivered.
 */
struct local_chunk {
	struct local_chunk	*next;
	size_t			 used;
	size_t			 size;
	char			 data[];
};

/* What the ring said about one file of a group. */
struct local_ures {
	int			 skip;		/* not a regular file */
	int			 open_res;	/* 0, or -errno */
	int			 read_res;	/* bytes, or -errno */
	int			 stat_res;
	struct statx		 stx;		/* the sibling's */
	char			 sib[NAME_MAX + 1];
};

struct local_reader {
	struct local_dir	*ld;
	struct local_chunk	*chunks;	/* newest first */
	struct local_chunk	*spare;		/* emptied, for the next batch */
	/* io_uring: a group of files read with one system call */
	struct uring		*ring;
	int			 ring_tried;
	char			*scratch;	/* LOCAL_URING_GROUP rooms */
	struct local_ures	*ures;
};

struct local_dir {
	DIR			*dir;
	int			 sibfd;		/* sibling directory, or -1 */
	ino_t			*locked;	/* inodes with locks, sorted */
	size_t			 nlocked;
	int			 locks_known;	/* from /proc/locks */
	char			*path;
	struct tdir_opts	 opts;
	int			 parallel;	/* a second thread may help */
	struct buf		 names;		/* the batch's names, NUL-ended */
	struct local_slot	*slots;
	size_t			 nslots;
	size_t			 slotsalloc;
	atomic_size_t		 claim;		/* next slot nobody took */
	struct local_reader	 readers[2];
};

static int
local_ino_cmp(const void *a, const void *b)
{
	ino_t	x = *(const ino_t *)a, y = *(const ino_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Which files of the directory's file system are locked, from one read of
 * /proc/locks ("1: FLOCK ADVISORY WRITE 31102 fe:00:10952705 0 EOF"):
 * one read instead of a flock() per file.  Blocked waiters ("->") hold
 * nothing.  Without /proc/locks each file is tested with flock().
 */
static void
local_dir_locks(struct local_dir *ld)
{
	struct buf		 b = BUF_INIT;
	struct stat		 st;
	char			*line, *next, *cause = NULL, *field;
	unsigned int		 maj, min;
	unsigned long long	 ino;
	size_t			 alloc = 0;
	int			 i;

	if (fstat(dirfd(ld->dir), &st) != 0 ||
	    local_read_file(NULL, "/proc/locks", &b, 0, &cause) != 0) {
		free(cause);
		buf_release(&b);
		return;
	}
	for (line = b.data; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (strstr(line, "->") != NULL)
			continue;
		/* The sixth field is MAJOR:MINOR:INODE. */
		field = line;
		for (i = 0; i < 5 && field != NULL; i++) {
			field = strpbrk(field, " \t");
			if (field != NULL)
				field += strspn(field, " \t");
		}
		if (field == NULL || sscanf(field, "%x:%x:%llu", &maj, &min,
		    &ino) != 3 || maj != major(st.st_dev) ||
		    min != minor(st.st_dev))
			continue;
		if (ld->nlocked == alloc) {
			alloc = alloc == 0 ? 16 : alloc * 2;
			ld->locked = xreallocarray(ld->locked, alloc,
			    sizeof *ld->locked);
		}
		ld->locked[ld->nlocked++] = (ino_t)ino;
	}
	xqsort(ld->locked, ld->nlocked, sizeof *ld->locked, local_ino_cmp);
	ld->locks_known = 1;
	buf_release(&b);
}

/* Whether /proc/locks named the inode (local_dir_locks). */
static int
local_dir_locked(const struct local_dir *ld, ino_t ino)
{
	return ld->nlocked > 0 && bsearch(&ino, ld->locked, ld->nlocked,
	    sizeof *ld->locked, local_ino_cmp) != NULL;
}

void *
local_dir_open(struct transport *t unused, const char *path,
    const struct tdir_opts *o, char **cause)
{
	struct local_dir	*ld;

	ld = xcalloc(1, sizeof *ld);
	ld->sibfd = -1;
	if ((ld->dir = opendir(path)) == NULL) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		free(ld);
		return NULL;
	}
	if (o->sibling_prefix != NULL && o->sibling_dir != NULL)
		ld->sibfd = open(o->sibling_dir, O_RDONLY | O_DIRECTORY |
		    O_CLOEXEC);
	ld->path = xstrdup(path);
	ld->opts = *o;
	if (ld->opts.max_size == 0)
		ld->opts.max_size = 1 << 20;
	if (ld->opts.lock_test)
		local_dir_locks(ld);
	ld->parallel = sysconf(_SC_NPROCESSORS_ONLN) > 1;
	buf_init(&ld->names);
	ld->readers[0].ld = ld->readers[1].ld = ld;
	return ld;
}

static int
local_dir_wanted(const struct tdir_opts *o, const char *name)
{
	size_t	i;

	if (o->prefixes == NULL)
		return 1;
	for (i = 0; o->prefixes[i] != NULL; i++)
		if (strncmp(name, o->prefixes[i], strlen(o->prefixes[i])) == 0)
			return 1;
	return 0;
}

/* The next batch of wanted names: up to max entries of the directory. */
static int
local_dir_batch(struct local_dir *ld, size_t max, char **cause)
{
	struct dirent		*de;
	struct local_slot	*s;
	size_t			 done = 0;

	buf_reset(&ld->names);
	ld->nslots = 0;
	while (done < max) {
		errno = 0;
		if ((de = readdir(ld->dir)) == NULL) {
			if (errno != 0) {
				*cause = xasprintf("%s: %s", ld->path,
				    strerror(errno));
				return -1;
			}
			break;
		}
		done++;
		if (de->d_name[0] == '.' || !local_dir_wanted(&ld->opts,
		    de->d_name))
			continue;
		if (ld->nslots == ld->slotsalloc) {
			ld->slotsalloc = ld->slotsalloc == 0 ? 256 :
			    ld->slotsalloc * 2;
			ld->slots = xreallocarray(ld->slots, ld->slotsalloc,
			    sizeof *ld->slots);
		}
		s = &ld->slots[ld->nslots++];
		memset(s, 0, sizeof *s);
		atomic_init(&s->ready, 0);
		s->name = ld->names.len;
		buf_add(&ld->names, de->d_name, strlen(de->d_name) + 1);
		s->ino = de->d_ino;
		s->type = de->d_type;
	}
	return (int)done;
}

/* A chunk with at least need free bytes, made the reader's current one. */
static struct local_chunk *
local_reader_room(struct local_reader *r, size_t need)
{
	struct local_chunk	*c = r->chunks;
	size_t			 size;

	if (c != NULL && c->size - c->used >= need)
		return c;
	if (need <= LOCAL_DIR_CHUNK && r->spare != NULL) {
		/* Memory already touched: no page faults this time. */
		c = r->spare;
		r->spare = c->next;
		c->used = 0;
		c->next = r->chunks;
		r->chunks = c;
		return c;
	}
	size = need > LOCAL_DIR_CHUNK ? need : LOCAL_DIR_CHUNK;
	c = xmalloc(sizeof *c + size);
	c->used = 0;
	c->size = size;
	c->next = r->chunks;
	r->chunks = c;
	return c;
}

/* The batch is delivered: keep its standard chunks for the next one. */
static void
local_reader_reset(struct local_reader *r)
{
	struct local_chunk	*c, *next;

	for (c = r->chunks; c != NULL; c = next) {
		next = c->next;
		if (c->size == LOCAL_DIR_CHUNK) {
			c->next = r->spare;
			r->spare = c;
		} else
			free(c);
	}
	r->chunks = NULL;
}

static void
local_reader_free(struct local_reader *r)
{
	struct local_chunk	*c, *next;

	local_reader_reset(r);
	for (c = r->spare; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	r->spare = NULL;
	uring_free(r->ring);
	r->ring = NULL;
	free(r->scratch);
	r->scratch = NULL;
	free(r->ures);
	r->ures = NULL;
}

/*
 * Read the rest of a file that did not fit the room it was given: into a
 * chunk of its own, growing it, up to limit bytes (one more than may be
 * kept, to tell a cut file from one of exactly the maximum size).
 * Returns the length read, or -1 with errno set.
 */
static ssize_t
local_slot_grow(struct local_reader *r, int fd, char **data, size_t got,
    size_t limit)
{
	struct local_chunk	*c;
	size_t			 size = got * 2;
	char			*p;
	ssize_t			 n;

	p = xmalloc(size);
	memcpy(p, *data, got);
	while (got < limit) {
		if (got == size) {
			size *= 2;
			p = xreallocarray(p, size, 1);
		}
		n = read(fd, p + got, (size - got < limit - got ?
		    size - got : limit - got));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			free(p);
			return -1;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	c = local_reader_room(r, got + 1);
	memcpy(c->data + c->used, p, got);
	free(p);
	*data = c->data + c->used;
	return (ssize_t)got;
}

static void
local_slot_file(const struct local_dir *ld, const struct local_slot *s,
    struct tdir_file *f)
{
	memset(f, 0, sizeof *f);
	f->name = ld->names.data + s->name;
	f->data = s->data;
	f->len = s->len;
	f->truncated = s->truncated;
	f->sibling_size = s->sibling_size;
	f->locked = s->locked;
	f->prepared = s->prepared;
}

static void
local_slot_prepare(struct local_dir *ld, struct local_slot *s)
{
	struct tdir_file	f;

	local_slot_file(ld, s, &f);
	s->prepared = ld->opts.prepare(ld->opts.prepare_arg, &f);
}

/*
 * Read one file of the batch into the reader's current chunk.  No fstat:
 * a short read of a regular file is its end, so a small file costs
 * openat, one read, close (and an fstatat of its sibling).  Runs on either
 * thread: it touches only its slot, its reader and read-only state, and
 * publishes the slot last.
 */
static void
local_slot_read(struct local_reader *r, struct local_slot *s)
{
	struct local_dir	*ld = r->ld;
	struct local_chunk	*c;
	const char		*name = ld->names.data + s->name;
	struct stat		 st;
	char			 sib[NAME_MAX + 1], *data;
	size_t			 got = 0, want, limit;
	ssize_t			 n;
	int			 fd;

	s->state = LSLOT_SKIP;
	s->sibling_size = -1;
	if (s->type != DT_REG && s->type != DT_UNKNOWN)
		goto done;
	fd = openat(dirfd(ld->dir), name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW |
	    O_NOCTTY | O_NONBLOCK);
	if (fd == -1) {
		if (errno != ENOENT && errno != ELOOP) {
			s->state = LSLOT_ERROR;
			s->error = xasprintf("%s/%s: %s", ld->path, name,
			    strerror(errno));
		}
		goto done;
	}
	c = local_reader_room(r, LOCAL_DIR_ROOM);
	data = c->data + c->used;
	limit = ld->opts.max_size + 1;
	want = LOCAL_DIR_ROOM - 1 < limit ? LOCAL_DIR_ROOM - 1 : limit;
	for (;;) {
		n = read(fd, data + got, want - got);
		if (n == -1 && errno == EINTR)
			continue;
		if (n > 0) {
			got += (size_t)n;
			if (got < want)
				break;	/* a short read of a regular file: its end */
			if (want < limit && (n = local_slot_grow(r, fd, &data,
			    got, limit)) != -1)
				got = (size_t)n;
		}
		if (n == -1) {
			/* EISDIR, EAGAIN: not a regular file after all. */
			if (errno != EISDIR && errno != EAGAIN) {
				s->state = LSLOT_ERROR;
				s->error = xasprintf("%s/%s: %s", ld->path,
				    name, strerror(errno));
			}
			close(fd);
			goto done;
		}
		break;
	}
	if (got == limit) {
		s->truncated = 1;
		got = ld->opts.max_size;
	}
	c = r->chunks;		/* the chunk data is in (grow may add one) */
	data[got] = '\0';
	c->used = (size_t)(data - c->data) + got + 1;
	s->data = data;
	s->len = got;
	s->state = LSLOT_OK;
	if (ld->opts.lock_test) {
		if (ld->locks_known)
			s->locked = local_dir_locked(ld, s->ino);
		else if (flock(fd, LOCK_SH | LOCK_NB) != 0 &&
		    errno == EWOULDBLOCK)
			s->locked = 1;
	}
	close(fd);
	if (ld->opts.sibling_prefix != NULL && strlen(name) > 2 &&
	    (size_t)snprintf(sib, sizeof sib, "%s%s", ld->opts.sibling_prefix,
	    name + 2) < sizeof sib &&
	    fstatat(ld->sibfd != -1 ? ld->sibfd : dirfd(ld->dir), sib, &st,
	    AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode))
		s->sibling_size = st.st_size;
	if (ld->opts.prepare != NULL)
		local_slot_prepare(ld, s);
done:
	atomic_store_explicit(&s->ready, 1, memory_order_release);
}

/*
 * Read n files of the batch from first on with the reader's ring: for each
 * an open into a direct descriptor slot linked to a read of up to
 * LOCAL_URING_ROOM bytes, and a statx of its sibling, all in one system
 * call (the kernel does the statx calls on its own worker threads).  A
 * failed open cancels its read.  Every entry gives a completion (no
 * IOSQE_CQE_SKIP_SUCCESS: whether a failed link head still reports is
 * not something to depend on), so the count of them is exact.  The next group's opens replace the
 * slots' files, so there is no close; the ring closes the last ones.
 * Files that fill the room are read again the plain way, and so is the
 * whole group if the ring fails.  Publishes each slot as local_slot_read
 * does.
 */
static void
local_group_read(struct local_reader *r, size_t first, size_t n)
{
	struct local_dir	*ld = r->ld;
	struct local_slot	*s;
	struct local_ures	*u;
	struct local_chunk	*c;
	struct io_uring_sqe	*sqe;
	struct io_uring_cqe	 cqe;
	const char		*name;
	size_t			 i, want = 0, got = 0, room, limit, len;
	int			 dfd = dirfd(ld->dir), err;
	char			*data;

	limit = ld->opts.max_size + 1;
	room = LOCAL_URING_ROOM < limit ? LOCAL_URING_ROOM : limit;
	for (i = 0; i < n; i++) {
		s = &ld->slots[first + i];
		u = &r->ures[i];
		memset(u, 0, sizeof *u);
		u->stat_res = -ENOENT;
		if (s->type != DT_REG && s->type != DT_UNKNOWN) {
			u->skip = 1;
			continue;
		}
		name = ld->names.data + s->name;
		sqe = uring_sqe(r->ring);
		sqe->opcode = IORING_OP_OPENAT;
		sqe->fd = dfd;
		sqe->addr = (uintptr_t)name;
		sqe->open_flags = O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK;
		sqe->file_index = (unsigned int)i + 1;
		sqe->flags = IOSQE_IO_LINK;
		sqe->user_data = i * 4;
		want++;
		sqe = uring_sqe(r->ring);
		sqe->opcode = IORING_OP_READ;
		sqe->fd = (int)i;
		sqe->flags = IOSQE_FIXED_FILE;
		sqe->addr = (uintptr_t)(r->scratch + i * LOCAL_URING_ROOM);
		sqe->len = (unsigned int)room;
		sqe->off = 0;
		sqe->user_data = i * 4 + 1;
		want++;
		if (ld->opts.sibling_prefix == NULL || strlen(name) <= 2 ||
		    (size_t)snprintf(u->sib, sizeof u->sib, "%s%s",
		    ld->opts.sibling_prefix, name + 2) >= sizeof u->sib)
			continue;
		sqe = uring_sqe(r->ring);
		sqe->opcode = IORING_OP_STATX;
		sqe->fd = ld->sibfd != -1 ? ld->sibfd : dfd;
		sqe->addr = (uintptr_t)u->sib;
		sqe->statx_flags = AT_SYMLINK_NOFOLLOW;
		sqe->len = STATX_TYPE | STATX_SIZE;
		sqe->off = (uintptr_t)&u->stx;
		sqe->user_data = i * 4 + 2;
		want++;
	}
	if (want > 0 && uring_submit(r->ring, (unsigned int)want) != 0) {
		/* Nothing was taken (the kernel said so): the plain way. */
		uring_free(r->ring);
		r->ring = NULL;
		for (i = 0; i < n; i++)
			local_slot_read(r, &ld->slots[first + i]);
		return;
	}
	while (got < want) {
		while (uring_cqe(r->ring, &cqe)) {
			u = &r->ures[cqe.user_data / 4];
			switch (cqe.user_data % 4) {
			case 0:
				u->open_res = cqe.res;
				break;
			case 1:
				u->read_res = cqe.res;
				break;
			default:
				u->stat_res = cqe.res;
				break;
			}
			got++;
		}
		if (got < want && uring_submit(r->ring, 1) != 0)
			util_fatal("io_uring_enter: %s", strerror(errno));
	}

	for (i = 0; i < n; i++) {
		s = &ld->slots[first + i];
		u = &r->ures[i];
		s->state = LSLOT_SKIP;
		s->sibling_size = -1;
		if (u->skip)
			goto publish;
		name = ld->names.data + s->name;
		err = u->open_res < 0 ? -u->open_res :
		    u->read_res < 0 ? -u->read_res : 0;
		if (err != 0) {
			/* As the plain way: vanished, a link, not a file. */
			if (err != ENOENT && err != ELOOP && err != EISDIR &&
			    err != EAGAIN) {
				s->state = LSLOT_ERROR;
				s->error = xasprintf("%s/%s: %s", ld->path,
				    name, strerror(err));
			}
			goto publish;
		}
		len = (size_t)u->read_res;
		if (len == room && room < limit) {
			local_slot_read(r, s);	/* larger: the plain way */
			continue;
		}
		c = local_reader_room(r, len + 1);
		data = c->data + c->used;
		memcpy(data, r->scratch + i * LOCAL_URING_ROOM, len);
		if (len == limit) {
			s->truncated = 1;
			len = ld->opts.max_size;
		}
		data[len] = '\0';
		c->used += len + 1;
		s->data = data;
		s->len = len;
		s->state = LSLOT_OK;
		if (ld->opts.lock_test)	/* the ring is used only when known */
			s->locked = local_dir_locked(ld, s->ino);
		if (u->stat_res == 0 && S_ISREG(u->stx.stx_mode))
			s->sibling_size = (off_t)u->stx.stx_size;
		if (ld->opts.prepare != NULL)
			local_slot_prepare(ld, s);
publish:
		atomic_store_explicit(&s->ready, 1, memory_order_release);
	}
}

/*
 * Claim the next unread files of the batch (one, or a group for the ring)
 * and read them; 0: none left.
 */
static int
local_reader_step(struct local_reader *r)
{
	struct local_dir	*ld = r->ld;
	size_t			 i, step;

	step = r->ring != NULL ? LOCAL_URING_GROUP : 1;
	i = atomic_fetch_add_explicit(&ld->claim, step, memory_order_relaxed);
	if (i >= ld->nslots)
		return 0;
	if (r->ring != NULL)
		local_group_read(r, i, ld->nslots - i < step ?
		    ld->nslots - i : step);
	else
		local_slot_read(r, &ld->slots[i]);
	return 1;
}

/*
 * Give the reader a ring, once per directory, when the batch is large
 * enough to repay setting one up, and when no file descriptor is needed
 * for anything else (lock states come from /proc/locks).
 */
static void
local_reader_ring(struct local_reader *r)
{
	struct local_dir	*ld = r->ld;

	if (r->ring_tried || ld->nslots < LOCAL_DIR_PARALLEL ||
	    (ld->opts.lock_test && !ld->locks_known))
		return;
	r->ring_tried = 1;
	/* Three entries per file: open, read, statx. */
	if ((r->ring = uring_create(LOCAL_URING_GROUP * 4,
	    LOCAL_URING_GROUP)) == NULL)
		return;
	r->scratch = xreallocarray(NULL, LOCAL_URING_GROUP, LOCAL_URING_ROOM);
	r->ures = xcalloc(LOCAL_URING_GROUP, sizeof *r->ures);
}

static void *
local_reader_thread(void *arg)
{
	struct local_reader	*r = arg;

	while (local_reader_step(r))
		;
	if (r->ld->opts.prepare_done != NULL)
		r->ld->opts.prepare_done(r->ld->opts.prepare_arg);
	return NULL;
}

/* Hand one read slot to the callback; -1 stops. */
static int
local_slot_deliver(struct local_dir *ld, struct local_slot *s, tdir_cb cb,
    void *cbarg, char **cause)
{
	struct tdir_file	 f;

	if (s->state == LSLOT_SKIP)
		return 0;
	if (s->state == LSLOT_ERROR) {
		*cause = s->error;
		s->error = NULL;
		return -1;
	}
	local_slot_file(ld, s, &f);
	s->prepared = NULL;	/* the callback owns it now */
	return cb(cbarg, &f, cause);
}

int
local_dir_read(void *arg, size_t max, tdir_cb cb, void *cbarg, char **cause)
{
	struct local_dir	*ld = arg;
	struct local_slot	*s;
	pthread_t		 th;
	size_t			 i;
	int			 done, rc = 0, threaded = 0;

	if ((done = local_dir_batch(ld, max, cause)) <= 0)
		return done;
	atomic_store(&ld->claim, 0);
	local_reader_ring(&ld->readers[0]);
	if (ld->parallel)
		local_reader_ring(&ld->readers[1]);
	if (ld->parallel && ld->nslots >= LOCAL_DIR_PARALLEL)
		threaded = pthread_create(&th, NULL, local_reader_thread,
		    &ld->readers[1]) == 0;
	for (i = 0; i < ld->nslots; i++) {
		s = &ld->slots[i];
		while (!atomic_load_explicit(&s->ready, memory_order_acquire)) {
			/* Help while the next file is not there yet. */
			if (!local_reader_step(&ld->readers[0]))
				sched_yield();
		}
		if ((rc = local_slot_deliver(ld, s, cb, cbarg, cause)) != 0) {
			atomic_store(&ld->claim, ld->nslots);	/* stop */
			break;
		}
	}
	if (threaded)
		pthread_join(th, NULL);
	for (i = 0; i < ld->nslots; i++) {
		free(ld->slots[i].error);
		if (ld->slots[i].prepared != NULL &&
		    ld->opts.prepared_free != NULL)
			ld->opts.prepared_free(ld->opts.prepare_arg,
			    ld->slots[i].prepared);
	}
	local_reader_reset(&ld->readers[0]);
	local_reader_reset(&ld->readers[1]);
	return rc == 0 ? done : -1;
}

void
local_dir_close(void *arg)
{
	struct local_dir	*ld = arg;

	closedir(ld->dir);
	if (ld->sibfd != -1)
		close(ld->sibfd);
	free(ld->path);
	free(ld->locked);
	buf_release(&ld->names);
	free(ld->slots);
	local_reader_free(&ld->readers[0]);
	local_reader_free(&ld->readers[1]);
	free(ld);
}
