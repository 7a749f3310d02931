/*
 * mapdb.c -- build, read, look up and compare sendmail's hash maps with
 * Berkeley DB (see mapdb.h for the record conventions and the contract).
 *
 * Builds are tuned for large maps: no environment (so no locking, logging
 * or transactions inside libdb), a private cache big enough to hold the
 * whole file, the hash table sized up front from the number of pairs so
 * it never splits buckets while loading, and pairs inserted in the order
 * of their buckets so the load walks the pages once.  The pages reach the
 * disk once, when the handle is closed.  A 1,000,000-entry virtusertable
 * builds in about a fifth of makemap's time (bench/map-build.sh).
 */
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <db.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../backend/crash.h"
#include "../backend/file-commit.h"
#include "mapdb.h"

#define MAPDB_PAGESIZE		4096
#define MAPDB_CACHE_MIN		(1024 * 1024)
#define MAPDB_CACHE_MAX		((size_t)1024 * 1024 * 1024)
#define MAPDB_LOCK_TIMEOUT	60000

/* Storage for records read back: big blocks, never moved. */
struct mapdb_chunk {
	struct mapdb_chunk	*next;
	size_t			 used;
	size_t			 size;
	char			 data[];
};

void
map_pairs_init(struct map_pairs *mp)
{
	memset(mp, 0, sizeof *mp);
	strv_init(&mp->store);
}

void
map_pairs_release(struct map_pairs *mp)
{
	free(mp->v);
	strv_release(&mp->store);
	map_pairs_init(mp);
}

void
map_pairs_add(struct map_pairs *mp, const char *key, size_t keylen,
    const char *val, size_t vallen, size_t line)
{
	struct map_pair	*p;

	if (mp->n == mp->alloc) {
		mp->alloc = mp->alloc == 0 ? 64 : mp->alloc * 2;
		mp->v = xreallocarray(mp->v, mp->alloc, sizeof *mp->v);
	}
	p = &mp->v[mp->n++];
	p->key = key;
	p->keylen = keylen;
	p->val = val;
	p->vallen = vallen;
	p->line = line;
}

void
mapdb_opts_init(struct mapdb_opts *o, enum mapdb_kind kind)
{
	memset(o, 0, sizeof *o);
	o->kind = kind;
	o->fold_case = 1;
	if (kind == MAPDB_ALIASES) {
		o->nul = 1;
		o->last_wins = 1;
		o->sentinel = 1;
	}
	o->mode = 0640;
}

void
mapdb_report_init(struct mapdb_report *r)
{
	memset(r, 0, sizeof *r);
	strv_init(&r->warnings);
}

void
mapdb_report_release(struct mapdb_report *r)
{
	strv_release(&r->warnings);
	mapdb_report_init(r);
}

/* sendmail's makelower(): ASCII only, other bytes unchanged. */
static void
fold_ascii(char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		if (s[i] >= 'A' && s[i] <= 'Z')
			s[i] = (char)(s[i] - 'A' + 'a');
}

/*
 * libdb prints its own messages on stderr unless given a callback: keep
 * the last one for the error that follows it, per thread (the console
 * builds maps on its worker).
 */
static _Thread_local char	db_last_msg[256];

static void
db_errcall(const DB_ENV *env unused, const char *pfx unused, const char *msg)
{
	snprintf(db_last_msg, sizeof db_last_msg, "%s", msg);
}

static int
db_new(DB **dbp, const char *path, char **cause)
{
	int	ret;

	if ((ret = db_create(dbp, NULL, 0)) != 0) {
		*dbp = NULL;
		*cause = xasprintf("%s: db_create: %s", path, db_strerror(ret));
		return -1;
	}
	(*dbp)->set_errcall(*dbp, db_errcall);
	db_last_msg[0] = '\0';
	return 0;
}

static char *
db_error(const char *path, const char *what, int ret)
{
	char	*s;

	if (db_last_msg[0] != '\0')
		s = xasprintf("%s: %s: %s (%s)", path, what, db_strerror(ret),
		    db_last_msg);
	else
		s = xasprintf("%s: %s: %s", path, what, db_strerror(ret));
	db_last_msg[0] = '\0';
	return s;
}

/* Open a map read-only, of whatever type it is. */
static int
open_ro(const char *path, DB **dbp, char **cause)
{
	struct stat	 st;
	DB		*db;
	int		 ret;

	/* libdb would create a missing file's name in its message only. */
	if (stat(path, &st) == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	/* libdb would wait forever on a FIFO. */
	if (!S_ISREG(st.st_mode)) {
		*cause = xasprintf("%s: not a regular file", path);
		return -1;
	}
	if (db_new(&db, path, cause) != 0)
		return -1;
	if ((ret = db->open(db, NULL, path, NULL, DB_UNKNOWN, DB_RDONLY,
	    0)) != 0) {
		db->close(db, 0);
		if (ret == EINVAL || ret == DB_OLD_VERSION)
			*cause = xasprintf("%s: not a Berkeley DB map", path);
		else
			*cause = db_error(path, "open", ret);
		return -1;
	}
	*dbp = db;
	return 0;
}

/* Describe a key for a message: printable, at most 60 bytes. */
static void
key_describe(struct buf *b, const char *k, size_t len)
{
	size_t	i;

	if (len > 0 && k[len - 1] == '\0')
		len--;
	for (i = 0; i < len && i < 60; i++) {
		if ((unsigned char)k[i] < 0x20 || k[i] == 0x7f)
			buf_printf(b, "\\x%02x", (unsigned char)k[i]);
		else
			buf_addch(b, k[i]);
	}
	if (i < len)
		buf_addstr(b, "...");
}

static void
report_warn(struct mapdb_report *r, const struct mapdb_opts *o,
    const char *fmt, ...)
{
	struct buf	b = BUF_INIT;
	va_list		ap;
	size_t		max = o->max_warnings != 0 ? o->max_warnings : 100;

	if (r == NULL)
		return;
	if (r->warnings.n > max)
		return;
	if (r->warnings.n == max) {
		strv_push(&r->warnings, "(further warnings not shown)");
		return;
	}
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	strv_push_nocopy(&r->warnings, buf_detach(&b));
}

/*
 * Size the hash table and the cache so the load never splits a bucket
 * and never writes a page before the end.  A bucket is one page; pick
 * the power of two of buckets that leaves each page about 85% full at
 * most, then a fill factor that makes libdb create exactly that many
 * buckets up front.  (libdb counts keys and values as two items each for
 * the fill factor, hence 2n; measured with 1,000,000 entries.)  The cache
 * holds every bucket page plus the values too big for a page.
 */
static size_t
build_sizes(const struct map_pair *pairs, size_t n,
    const struct mapdb_opts *o, size_t *cache, u_int32_t *ffactor,
    u_int32_t *nelem)
{
	size_t	i, bytes = 0, big = 0, rec, per, fit, need, nb = 2;

	for (i = 0; i < n; i++) {
		rec = pairs[i].keylen + pairs[i].vallen + (o->nul ? 2 : 0);
		if (rec > MAPDB_PAGESIZE / 4)
			big += rec;
		else
			bytes += rec;
	}
	/* Each record: two one-byte item headers and two index slots. */
	per = (n != 0 ? bytes / n : 32) + 6;
	fit = (MAPDB_PAGESIZE - 26) * 85 / 100 / per;
	if (fit < 1)
		fit = 1;
	need = n / fit + 1;
	while (nb < need && nb < ((size_t)1 << 30))
		nb <<= 1;
	if (2 * n >= UINT32_MAX / 2) {
		*nelem = 0;
		*ffactor = 0;
	} else {
		*nelem = (u_int32_t)(2 * n + 1);
		*ffactor = (u_int32_t)((2 * n * 11 / 10) / nb + 1);
	}
	if (o->cache_bytes != 0)
		*cache = o->cache_bytes;
	else {
		*cache = nb * MAPDB_PAGESIZE + big + big / 4 +
		    MAPDB_CACHE_MIN;
		if (*cache > MAPDB_CACHE_MAX)
			*cache = MAPDB_CACHE_MAX;
	}
	return nb;
}

/* Reject what neither makemap nor sendmail -bi would write. */
static int
build_check(const struct map_pair *pairs, size_t n,
    const struct mapdb_opts *o, char **cause)
{
	const struct map_pair	*p;
	const char		*src = o->source != NULL ? o->source : "map";
	size_t			 i;

	for (i = 0; i < n; i++) {
		p = &pairs[i];
		if (p->keylen == 0) {
			*cause = xasprintf("%s:%zu: empty key", src, p->line);
			return -1;
		}
		if (p->vallen == 0) {
			*cause = xasprintf("%s:%zu: no value for key \"%.*s\"",
			    src, p->line, (int)p->keylen, p->key);
			return -1;
		}
		if (p->keylen >= UINT32_MAX - 1 || p->vallen >= UINT32_MAX - 1) {
			*cause = xasprintf("%s:%zu: entry too long", src,
			    p->line);
			return -1;
		}
		if (o->nul && (memchr(p->key, '\0', p->keylen) != NULL ||
		    memchr(p->val, '\0', p->vallen) != NULL)) {
			*cause = xasprintf("%s:%zu: NUL byte in an entry",
			    src, p->line);
			return -1;
		}
	}
	return 0;
}

/*
 * The order to insert pairs in: by the bucket libdb will put them in, so
 * the load walks the pages once instead of jumping around a cache of
 * hundreds of megabytes.  The hash is libdb's default for DB_HASH
 * (__ham_func5, FNV-1) over the key as stored; a counting sort keeps
 * pairs of one bucket in text order, so duplicates resolve as in text
 * order.  A wrong guess would only make the load slower.
 */
static size_t *
build_order(const struct map_pair *pairs, size_t n,
    const struct mapdb_opts *o, size_t nb)
{
	u_int32_t	*bucket, h;
	size_t		*count, *order, i, j, sum, c;
	unsigned char	 ch;

	bucket = xreallocarray(NULL, n, sizeof *bucket);
	count = xcalloc(nb + 1, sizeof *count);
	for (i = 0; i < n; i++) {
		h = 0;
		for (j = 0; j < pairs[i].keylen; j++) {
			ch = (unsigned char)pairs[i].key[j];
			if (o->fold_case && ch >= 'A' && ch <= 'Z')
				ch = (unsigned char)(ch - 'A' + 'a');
			h *= 16777619;
			h ^= ch;
		}
		if (o->nul)
			h *= 16777619;
		bucket[i] = h & (u_int32_t)(nb - 1);
		count[bucket[i]]++;
	}
	for (sum = 0, i = 0; i < nb; i++) {
		c = count[i];
		count[i] = sum;
		sum += c;
	}
	order = xreallocarray(NULL, n + 1, sizeof *order);
	for (i = 0; i < n; i++)
		order[count[bucket[i]]++] = i;
	free(count);
	free(bucket);
	return order;
}

static int
size_cmp(const void *a, const void *b)
{
	size_t	x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

/* Bump the replaced map's mtime so processes that have it open reopen. */
static void
touch_replaced(int fd, const struct stat *old)
{
	struct timespec	ts[2];
	time_t		now = time(NULL);

	ts[0].tv_sec = ts[1].tv_sec = now > old->st_mtime ? now :
	    old->st_mtime + 1;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	futimens(fd, ts);
}

/* Put every pair in the given order; the first failure stops the build. */
static int
build_load(DB *db, const char *tmp, const struct map_pair *pairs, size_t n,
    const size_t *order, const struct mapdb_opts *o,
    struct mapdb_report *rep, char **cause)
{
	const struct map_pair	*p;
	const char		*src = o->source != NULL ? o->source : "map";
	struct buf		 msg = BUF_INIT;
	DBT			 k, d;
	char			*kb = NULL, *vb = NULL;
	size_t			*dups = NULL, ndups = 0, i;
	size_t			 ksize = 0, vsize = 0, records = 0;
	int			 ret, rc = -1;

	memset(&k, 0, sizeof k);
	memset(&d, 0, sizeof d);
	for (i = 0; i < n; i++) {
		p = &pairs[order[i]];
#ifdef __GNUC__
		/* The text is read in bucket order: fetch ahead. */
		if (i + 16 < n)
			__builtin_prefetch(&pairs[order[i + 16]]);
		if (i + 8 < n) {
			__builtin_prefetch(pairs[order[i + 8]].key);
			__builtin_prefetch(pairs[order[i + 8]].val);
		}
#endif
		if (p->keylen + 1 > ksize) {
			ksize = p->keylen + 256;
			kb = xreallocarray(kb, 1, ksize);
		}
		memcpy(kb, p->key, p->keylen);
		if (o->fold_case)
			fold_ascii(kb, p->keylen);
		k.data = kb;
		k.size = (u_int32_t)p->keylen;
		if (o->nul) {
			kb[k.size++] = '\0';
			if (p->vallen + 1 > vsize) {
				vsize = p->vallen + 256;
				vb = xreallocarray(vb, 1, vsize);
			}
			memcpy(vb, p->val, p->vallen);
			vb[p->vallen] = '\0';
			d.data = vb;
			d.size = (u_int32_t)p->vallen + 1;
		} else {
			d.data = (void *)(uintptr_t)p->val;
			d.size = (u_int32_t)p->vallen;
		}
		d.flags = DB_DBT_READONLY;
		if (i % 1000 == 0)
			crash_point("write map records");
		ret = db->put(db, NULL, &k, &d, DB_NOOVERWRITE);
		if (ret == DB_KEYEXIST) {
			if ((ndups & (ndups - 1)) == 0)
				dups = xreallocarray(dups, ndups ? ndups * 2 :
				    1, sizeof *dups);
			dups[ndups++] = order[i];
			ret = o->last_wins ? db->put(db, NULL, &k, &d, 0) : 0;
		} else if (ret == 0)
			records++;
		if (ret != 0) {
			*cause = xasprintf("%s:%zu: %s: put: %s", src, p->line,
			    tmp, db_strerror(ret));
			goto out;
		}
	}
	if (o->sentinel) {
		k.data = (void *)(uintptr_t)"@";
		k.size = 2;
		d.data = (void *)(uintptr_t)"@";
		d.size = 2;
		if ((ret = db->put(db, NULL, &k, &d, 0)) != 0) {
			*cause = db_error(tmp, "put", ret);
			goto out;
		}
	}
	if (rep != NULL) {
		rep->records = records;
		rep->duplicates = ndups;
		/* Report duplicates in text order. */
		if (ndups > 1)
			xqsort(dups, ndups, sizeof *dups, size_cmp);
		for (i = 0; i < ndups; i++) {
			p = &pairs[dups[i]];
			buf_reset(&msg);
			key_describe(&msg, p->key, p->keylen);
			report_warn(rep, o, "%s:%zu: duplicate key \"%s\" (%s "
			    "value kept)", src, p->line, msg.data,
			    o->last_wins ? "this" : "first");
		}
	}
	rc = 0;
out:
	free(dups);
	buf_release(&msg);
	free(kb);
	free(vb);
	return rc;
}

/*
 * libdb creates a new file as "__db.NAME" beside it and renames it; a
 * failure in between leaves that name behind.
 */
static void
unlink_db_temp(const char *tmp)
{
	const char	*slash = strrchr(tmp, '/');
	char		*name;

	if (slash == NULL)
		name = xasprintf("__db.%s", tmp);
	else
		name = xasprintf("%.*s/__db.%s", (int)(slash - tmp), tmp,
		    slash + 1);
	unlink(name);
	free(name);
}

int
mapdb_build(const char *path, const struct map_pair *pairs, size_t n,
    const struct mapdb_opts *o, struct mapdb_report *rep, char **cause)
{
	struct stat	 old, st;
	DB		*db = NULL;
	char		*target = NULL, *tmp = NULL;
	size_t		*order = NULL, cache, nb;
	u_int32_t	 ffactor, nelem;
	int		 have_old = 0, lockfd = -1, fd = -1, ret, rc = -1;
	int		 timeout, tmplock = -1;
	struct commit_attrs ca;
	char		*tdir = NULL;

	if (build_check(pairs, n, o, cause) != 0)
		return -1;

	/* Replace what a symlink points to, as makemap writes through it. */
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
		if ((target = realpath(path, NULL)) == NULL) {
			*cause = xasprintf("%s: %s", path, strerror(errno));
			goto out;
		}
	} else
		target = xstrdup(path);

	/* Hold makemap's lock on the map being replaced. */
	timeout = o->lock_timeout_ms != 0 ? o->lock_timeout_ms :
	    MAPDB_LOCK_TIMEOUT;
	if (stat(target, &old) == 0) {
		if (!S_ISREG(old.st_mode)) {
			*cause = xasprintf("%s: not a regular file", target);
			goto out;
		}
		if ((lockfd = mapdb_lock(target, 1, timeout, cause)) == -1)
			goto out;
		if (fstat(lockfd, &old) == -1) {
			*cause = xasprintf("%s: %s", target, strerror(errno));
			goto out;
		}
		have_old = 1;
	} else if (errno != ENOENT) {
		*cause = xasprintf("%s: %s", target, strerror(errno));
		goto out;
	}

	tdir = xstrdup(target);
	commit_remove_stale(dirname(tdir), strrchr(target, '/') != NULL ?
	    strrchr(target, '/') + 1 : target);
	nb = build_sizes(pairs, n, o, &cache, &ffactor, &nelem);
	order = build_order(pairs, n, o, nb);
	if (db_new(&db, target, cause) != 0)
		goto out;
	if ((ret = db->set_pagesize(db, MAPDB_PAGESIZE)) != 0 ||
	    (ret = db->set_cachesize(db, (u_int32_t)(cache >> 30),
	    (u_int32_t)(cache & ((1U << 30) - 1)), 1)) != 0 ||
	    (ffactor != 0 && (ret = db->set_h_ffactor(db, ffactor)) != 0) ||
	    (nelem != 0 && (ret = db->set_h_nelem(db, nelem)) != 0) ||
	    (ret = db->dbenv->set_mp_tablesize(db->dbenv,
	    (u_int32_t)(cache / MAPDB_PAGESIZE))) != 0) {
		*cause = db_error(target, "configure", ret);
		goto out;
	}
	/*
	 * A fresh name beside the map: libdb must create the file itself
	 * (DB_EXCL), as it takes an existing empty file for a broken one.
	 */
	tmp = commit_temp_template(target);
	if ((fd = mkstemp(tmp)) == -1) {
		*cause = xasprintf("%s: cannot create a temporary file: %s",
		    tmp, strerror(errno));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	close(fd);
	fd = -1;
	unlink(tmp);
	crash_point("create temporary map");
	if ((ret = db->open(db, NULL, tmp, NULL, DB_HASH, DB_CREATE | DB_EXCL,
	    0600)) != 0) {
		/* EEXIST: someone took the name meanwhile; not ours. */
		*cause = db_error(tmp, "open", ret);
		if (ret == EEXIST) {
			free(tmp);
			tmp = NULL;
		}
		goto out;
	}
	/* Held until the end: this temporary map has a live builder. */
	if ((fd = open(tmp, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) != -1)
		flock(fd, LOCK_EX | LOCK_NB);
	tmplock = fd;
	fd = -1;
	if (build_load(db, tmp, pairs, n, order, o, rep, cause) != 0)
		goto out;
	ret = db->close(db, 0);
	db = NULL;
	if (ret != 0) {
		*cause = db_error(tmp, "close", ret);
		goto out;
	}
	if ((fd = open(tmp, O_RDWR | O_NOFOLLOW | O_CLOEXEC)) == -1) {
		*cause = xasprintf("%s: %s", tmp, strerror(errno));
		goto out;
	}

	/* Owner and mode: the old map's, or the ones asked for. */
	memset(&ca, 0, sizeof ca);
	ca.chown_strict = 1;
	if (have_old) {
		ca.chown = 1;
		ca.uid = old.st_uid;
		ca.gid = old.st_gid;
		ca.mode = old.st_mode & 07777;
	} else {
		ca.chown = o->set_owner;
		ca.uid = o->uid;
		ca.gid = (gid_t)-1;
		ca.mode = o->mode != 0 ? o->mode : 0640;
	}
	if (commit_sync(fd, target, &ca, cause) != 0 ||
	    commit_rename(tmp, target, cause) != 0)
		goto out;
	free(tmp);
	tmp = NULL;
	if (have_old)
		touch_replaced(lockfd, &old);
	rc = 0;
out:
	if (db != NULL)
		db->close(db, DB_NOSYNC);
	if (fd != -1)
		close(fd);
	if (tmp != NULL) {
		unlink(tmp);
		unlink_db_temp(tmp);
		free(tmp);
		if (rc != 0 && *cause != NULL) {
			char	*why = *cause;

			*cause = xasprintf("%s: the new map could not be "
			    "written (the old one is kept): %s", target, why);
			free(why);
		}
	}
	if (tmplock != -1)
		close(tmplock);
	mapdb_unlock(lockfd);
	free(order);
	free(target);
	free(tdir);
	return rc;
}

int
mapdb_lookup(const char *path, const char *key, size_t keylen, int fold,
    struct buf *val, char **cause)
{
	DB	*db = NULL;
	DBT	 k, d;
	char	*kb;
	int	 lockfd, ret, rc = -1;

	if ((lockfd = mapdb_lock(path, 0, MAPDB_LOCK_TIMEOUT, cause)) == -1)
		return -1;
	kb = xmalloc(keylen + 1);
	memcpy(kb, key, keylen);
	kb[keylen] = '\0';
	if (fold)
		fold_ascii(kb, keylen);
	if (open_ro(path, &db, cause) != 0)
		goto out;
	memset(&k, 0, sizeof k);
	memset(&d, 0, sizeof d);
	k.data = kb;
	k.size = (u_int32_t)keylen;
	/* As sendmail: without the trailing NUL first, then with it. */
	ret = db->get(db, NULL, &k, &d, 0);
	if (ret == DB_NOTFOUND) {
		k.size++;
		ret = db->get(db, NULL, &k, &d, 0);
	}
	if (ret == DB_NOTFOUND || ret == DB_KEYEMPTY)
		rc = 0;
	else if (ret != 0)
		*cause = db_error(path, "get", ret);
	else {
		if (d.size > 0 && ((char *)d.data)[d.size - 1] == '\0')
			d.size--;
		buf_add(val, d.data, d.size);
		rc = 1;
	}
out:
	if (db != NULL)
		db->close(db, 0);
	free(kb);
	mapdb_unlock(lockfd);
	return rc;
}

void
mapdb_records_init(struct mapdb_records *r)
{
	memset(r, 0, sizeof *r);
}

void
mapdb_records_release(struct mapdb_records *r)
{
	struct mapdb_chunk	*c, *next;

	for (c = r->chunks; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(r->v);
	mapdb_records_init(r);
}

static char *
records_store(struct mapdb_records *r, const void *data, size_t len)
{
	struct mapdb_chunk	*c = r->chunks;
	size_t			 size;
	char			*p;

	if (c == NULL || c->size - c->used < len) {
		size = len > (1 << 20) ? len : (1 << 20);
		c = xmalloc(sizeof *c + size);
		c->size = size;
		c->used = 0;
		c->next = r->chunks;
		r->chunks = c;
	}
	p = c->data + c->used;
	memcpy(p, data, len);
	c->used += len;
	return p;
}

static void
records_add(struct mapdb_records *r, const void *k, size_t klen,
    const void *v, size_t vlen, int fold)
{
	struct mapdb_record	*rec;
	char			*key;

	if (r->n == r->alloc) {
		r->alloc = r->alloc == 0 ? 256 : r->alloc * 2;
		r->v = xreallocarray(r->v, r->alloc, sizeof *r->v);
	}
	rec = &r->v[r->n++];
	key = records_store(r, k, klen);
	if (fold)
		fold_ascii(key, klen);
	rec->key = key;
	rec->keylen = klen;
	rec->val = records_store(r, v, vlen);
	rec->vallen = vlen;
}

static int
record_cmp(const void *a, const void *b)
{
	const struct mapdb_record	*ra = a, *rb = b;
	size_t				 n;
	int				 c;

	n = ra->keylen < rb->keylen ? ra->keylen : rb->keylen;
	if ((c = memcmp(ra->key, rb->key, n)) != 0)
		return c;
	if (ra->keylen != rb->keylen)
		return ra->keylen < rb->keylen ? -1 : 1;
	return 0;
}

int
mapdb_read(const char *path, int flags, struct mapdb_records *out,
    char **cause)
{
	DB	*db = NULL;
	DBC	*c = NULL;
	DBT	 k, d;
	size_t	 first = out->n;
	int	 lockfd, ret, rc = -1;

	if ((lockfd = mapdb_lock(path, 0, MAPDB_LOCK_TIMEOUT, cause)) == -1)
		return -1;
	if (open_ro(path, &db, cause) != 0)
		goto out;
	if ((ret = db->cursor(db, NULL, &c, 0)) != 0) {
		c = NULL;
		*cause = db_error(path, "cursor", ret);
		goto out;
	}
	memset(&k, 0, sizeof k);
	memset(&d, 0, sizeof d);
	while ((ret = c->get(c, &k, &d, DB_NEXT)) == 0) {
		if (!(flags & MAPDB_RAW)) {
			if (k.size == 2 && d.size == 2 &&
			    memcmp(k.data, "@", 2) == 0 &&
			    memcmp(d.data, "@", 2) == 0)
				continue;
			if (k.size > 0 && ((char *)k.data)[k.size - 1] == '\0')
				k.size--;
			if (d.size > 0 && ((char *)d.data)[d.size - 1] == '\0')
				d.size--;
		}
		records_add(out, k.data, k.size, d.data, d.size, 0);
	}
	if (ret != DB_NOTFOUND) {
		*cause = db_error(path, "read", ret);
		goto out;
	}
	if ((flags & MAPDB_SORTED) && out->n > first)
		xqsort(out->v + first, out->n - first, sizeof *out->v,
		    record_cmp);
	rc = 0;
out:
	if (c != NULL)
		c->close(c);
	if (db != NULL)
		db->close(db, 0);
	mapdb_unlock(lockfd);
	return rc;
}

void
mapdb_diff_init(struct mapdb_diff *df)
{
	memset(df, 0, sizeof *df);
	strv_init(&df->missing);
	strv_init(&df->extra);
	strv_init(&df->different);
}

void
mapdb_diff_release(struct mapdb_diff *df)
{
	strv_release(&df->missing);
	strv_release(&df->extra);
	strv_release(&df->different);
	mapdb_diff_init(df);
}

int
mapdb_diff_empty(const struct mapdb_diff *df)
{
	return !df->stale && !df->nodb && df->missing.n == 0 &&
	    df->extra.n == 0 && df->different.n == 0;
}

/* Pairs with their position, sorted stably to resolve duplicates. */
struct expect {
	struct mapdb_record	 rec;
	size_t			 idx;
};

static int
expect_cmp(const void *a, const void *b)
{
	const struct expect	*ea = a, *eb = b;
	int			 c;

	if ((c = record_cmp(&ea->rec, &eb->rec)) != 0)
		return c;
	return ea->idx < eb->idx ? -1 : ea->idx > eb->idx;
}

static void
diff_push(struct strv *sv, const struct mapdb_record *r)
{
	struct buf	b = BUF_INIT;

	key_describe(&b, r->key, r->keylen);
	strv_push_nocopy(sv, buf_detach(&b));
}

static int
same_val(const struct mapdb_record *a, const struct mapdb_record *b)
{
	return a->vallen == b->vallen &&
	    memcmp(a->val, b->val, a->vallen) == 0;
}

int
mapdb_compare(const char *dbpath, const char *textpath,
    const struct map_pair *pairs, size_t n, const struct mapdb_opts *o,
    struct mapdb_diff *df, char **cause)
{
	struct mapdb_records	 have, keys;
	struct expect		*want;
	struct stat		 tst, dst;
	size_t			 i, j, nw = 0;
	int			 c, rc = -1;

	mapdb_records_init(&have);
	mapdb_records_init(&keys);
	want = xreallocarray(NULL, n + 1, sizeof *want);
	/* The records the text gives, as sendmail sees them (no NULs). */
	for (i = 0; i < n; i++) {
		records_add(&keys, pairs[i].key, pairs[i].keylen, pairs[i].val,
		    pairs[i].vallen, o->fold_case);
	}
	for (i = 0; i < n; i++) {
		want[i].rec = keys.v[i];
		want[i].idx = i;
	}
	xqsort(want, n, sizeof *want, expect_cmp);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n; j++)
			if (record_cmp(&want[i].rec, &want[j].rec) != 0)
				break;
		want[nw++] = want[o->last_wins ? j - 1 : i];
	}

	if (textpath != NULL && stat(textpath, &tst) == -1) {
		*cause = xasprintf("%s: %s", textpath, strerror(errno));
		goto out;
	}
	if (stat(dbpath, &dst) == -1) {
		if (errno != ENOENT) {
			*cause = xasprintf("%s: %s", dbpath, strerror(errno));
			goto out;
		}
		df->nodb = 1;
	} else {
		if (textpath != NULL && (tst.st_mtim.tv_sec >
		    dst.st_mtim.tv_sec || (tst.st_mtim.tv_sec ==
		    dst.st_mtim.tv_sec && tst.st_mtim.tv_nsec >
		    dst.st_mtim.tv_nsec)))
			df->stale = 1;
		if (mapdb_read(dbpath, MAPDB_SORTED, &have, cause) != 0)
			goto out;
	}

	i = j = 0;
	while (i < nw || j < have.n) {
		if (i == nw)
			c = 1;
		else if (j == have.n)
			c = -1;
		else
			c = record_cmp(&want[i].rec, &have.v[j]);
		if (c < 0)
			diff_push(&df->missing, &want[i++].rec);
		else if (c > 0)
			diff_push(&df->extra, &have.v[j++]);
		else {
			if (!same_val(&want[i].rec, &have.v[j]))
				diff_push(&df->different, &want[i].rec);
			i++;
			j++;
		}
	}
	rc = 0;
out:
	free(want);
	mapdb_records_release(&have);
	mapdb_records_release(&keys);
	return rc;
}

int
mapdb_outdated(const char *dbpath, const char *textpath, char **cause)
{
	struct stat	tst, dst;

	if (stat(textpath, &tst) == -1) {
		*cause = xasprintf("%s: %s", textpath, strerror(errno));
		return -1;
	}
	if (stat(dbpath, &dst) == -1) {
		if (errno == ENOENT)
			return 1;
		*cause = xasprintf("%s: %s", dbpath, strerror(errno));
		return -1;
	}
	if (tst.st_mtim.tv_sec != dst.st_mtim.tv_sec)
		return tst.st_mtim.tv_sec > dst.st_mtim.tv_sec;
	return tst.st_mtim.tv_nsec > dst.st_mtim.tv_nsec;
}

int
mapdb_cf_trusted_user(const char *cf, size_t len, uid_t *uid, char **cause)
{
	const char	*end = cf + len, *p, *nl;
	struct passwd	 pwbuf, *pw = NULL;
	char		*name = NULL, *v, pwtext[4096];
	long long	 num;
	int		 rc = 0;

	for (p = cf; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if ((size_t)(nl - p) > 14 &&
		    memcmp(p, "O TrustedUser=", 14) == 0) {
			free(name);
			name = xstrndup(p + 14, (size_t)(nl - p - 14));
		}
		if (nl == end)
			break;
	}
	if (name == NULL)
		return 0;
	v = str_trim(name);
	if (*v == '\0')
		goto out;
	if (str_tonum(v, 0, UINT32_MAX - 1, &num, cause) == 0) {
		*uid = (uid_t)num;
		rc = 1;
		goto out;
	}
	free(*cause);
	*cause = NULL;
	/* getpwnam_r: maps are built on the console's worker too. */
	if (getpwnam_r(v, &pwbuf, pwtext, sizeof pwtext, &pw) != 0 ||
	    pw == NULL) {
		*cause = xasprintf("TrustedUser %s: no such user", v);
		rc = -1;
		goto out;
	}
	*uid = pw->pw_uid;
	rc = 1;
out:
	free(name);
	return rc;
}

int
mapdb_cf_map_flags(const char *cf, size_t len, const char *name,
    struct mapdb_opts *o)
{
	const char	*end = cf + len, *p, *nl;
	struct strv	 words;
	size_t		 nlen = strlen(name), i;
	char		*line;
	int		 found = 0;

	for (p = cf; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if ((size_t)(nl - p) > nlen + 1 && *p == 'K' &&
		    memcmp(p + 1, name, nlen) == 0 &&
		    (p[nlen + 1] == ' ' || p[nlen + 1] == '\t')) {
			line = xstrndup(p + nlen + 1, (size_t)(nl - p - nlen - 1));
			strv_init(&words);
			strv_split_ws(&words, line);
			/* words[0] is the class; flags until the file name. */
			for (i = 1; i < words.n && words.v[i][0] == '-'; i++) {
				if (strcmp(words.v[i], "-f") == 0)
					o->fold_case = 0;
				else if (strcmp(words.v[i], "-N") == 0)
					o->nul = 1;
			}
			strv_release(&words);
			free(line);
			found = 1;
		}
		if (nl == end)
			break;
	}
	return found;
}
