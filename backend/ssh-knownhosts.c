/*
 * ssh-knownhosts.c -- known_hosts read and written as OpenSSH does it.
 *
 * A line is "[@marker] hosts type base64-key [comment]".  hosts is either
 * one hashed name "|1|salt|hash" (HMAC-SHA1 of the name keyed with the
 * salt, both base64) or a comma list of patterns ("*" and "?" wildcards,
 * "!" negating, "[host]:port" for a port other than 22).  base64 and the
 * SHA-1 and HMAC for hashed names are in ssh-knownhosts-codec.c.
 */
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <pwd.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ssh-knownhosts.h"

#define KH_FILE_MAX	(64u * 1024 * 1024)	/* a known_hosts file */
#define KH_CONFIG_MAX	(4u * 1024 * 1024)	/* an ssh config file */
#define KH_INCLUDE_MAX	8			/* Include depth */
#define KH_SALT_LEN	20
#define KH_CERT_SUFFIX	"-cert-v01@openssh.com"

/*
 * One pattern against a lower-case name, case-insensitively: "*" any
 * run, "?" one character.  Greedy with one backtrack point, so that no
 * pattern takes more than len(pattern) * len(name) steps.
 */
static int
kh_match_one(const char *name, const char *pat, size_t plen)
{
	const char	*n = name, *star = NULL, *retry = NULL;
	size_t		 p = 0, sp = 0;

	while (*n != '\0') {
		if (p < plen && pat[p] == '*') {
			star = n;
			sp = ++p;
			retry = n;
			continue;
		}
		if (p < plen && (pat[p] == '?' ||
		    tolower((unsigned char)pat[p]) ==
		    tolower((unsigned char)*n))) {
			p++;
			n++;
			continue;
		}
		if (star == NULL)
			return 0;
		p = sp;
		n = ++retry;
	}
	while (p < plen && pat[p] == '*')
		p++;
	return p == plen;
}

/* A comma-separated list of patterns. */
static int
kh_match_list(const char *list, size_t len, const char *name)
{
	const char	*p = list, *end = list + len, *e;
	int		 neg, got = 0;

	while (p < end) {
		for (e = p; e < end && *e != ','; e++)
			;
		if (e > p) {
			neg = *p == '!';
			if (kh_match_one(name, p + neg, (size_t)(e - p - neg))) {
				if (neg)
					return -1;
				got = 1;
			}
		}
		p = e + 1;
	}
	return got;
}

int
knownhosts_match_hosts(const char *list, const char *name)
{
	return kh_match_list(list, strlen(list), name);
}

char *
knownhosts_hash_name(const char *name, const unsigned char *salt)
{
	unsigned char	 mac[20];
	char		*s, *h, *r;

	knownhosts_hmac_sha1(salt, KH_SALT_LEN, (const unsigned char *)name,
	    strlen(name), mac);
	s = knownhosts_b64_encode(salt, KH_SALT_LEN);
	h = knownhosts_b64_encode(mac, sizeof mac);
	r = xasprintf("|1|%s|%s", s, h);
	free(s);
	free(h);
	return r;
}

/* Does the hashed field "|1|salt|hash" stand for name?  -1: malformed. */
static int
kh_match_hashed(const char *field, size_t len, const char *name)
{
	struct buf	 salt = BUF_INIT, hash = BUF_INIT;
	const char	*bar;
	unsigned char	 mac[20];
	int		 r = -1;

	if (len < 3 || memcmp(field, "|1|", 3) != 0)
		return -1;
	field += 3;
	len -= 3;
	if ((bar = memchr(field, '|', len)) == NULL)
		return -1;
	if (knownhosts_b64_decode(field, (size_t)(bar - field), &salt) != 0 ||
	    knownhosts_b64_decode(bar + 1, len - (size_t)(bar + 1 - field),
	    &hash) != 0 || salt.len != KH_SALT_LEN || hash.len != sizeof mac)
		goto out;
	knownhosts_hmac_sha1((unsigned char *)salt.data, salt.len,
	    (const unsigned char *)name, strlen(name), mac);
	r = memcmp(mac, hash.data, sizeof mac) == 0;
out:
	buf_release(&salt);
	buf_release(&hash);
	return r;
}

/* A big-endian length-prefixed string of a blob at *off. */
static int
kh_blob_string(const unsigned char *p, size_t len, size_t *off,
    const unsigned char **s, size_t *slen)
{
	uint32_t	n;

	if (len - *off < 4)
		return -1;
	n = (uint32_t)p[*off] << 24 | (uint32_t)p[*off + 1] << 16 |
	    (uint32_t)p[*off + 2] << 8 | p[*off + 3];
	if (len - *off - 4 < n)
		return -1;
	*s = p + *off + 4;
	*slen = n;
	*off += 4 + (size_t)n;
	return 0;
}

/* The type name a key blob starts with, or NULL. */
static char *
kh_blob_type(const unsigned char *p, size_t len)
{
	const unsigned char	*s;
	size_t			 slen, off = 0;

	if (kh_blob_string(p, len, &off, &s, &slen) != 0 || slen == 0 ||
	    memchr(s, '\0', slen) != NULL)
		return NULL;
	return xstrndup((const char *)s, slen);
}

/*
 * The key a certificate certifies (PROTOCOL.certkeys): its type without
 * the certificate suffix, then the key's own fields, which follow the
 * certificate's type and nonce.  0 and out filled, or -1.
 */
static int
kh_cert_plain(const unsigned char *p, size_t len, const char *type,
    struct buf *out)
{
	static const struct {
		const char	*type;
		int		 fields;
	} kinds[] = {
		{ "ssh-ed25519", 1 }, { "ssh-rsa", 2 }, { "ssh-dss", 4 },
		{ "ecdsa-sha2-nistp256", 2 }, { "ecdsa-sha2-nistp384", 2 },
		{ "ecdsa-sha2-nistp521", 2 },
		{ "sk-ssh-ed25519@openssh.com", 2 },
		{ "sk-ecdsa-sha2-nistp256@openssh.com", 3 },
	};
	const unsigned char	*s;
	unsigned char		 hdr[4];
	size_t			 slen, off = 0, start, plen, i;
	int			 f, fields = -1;

	plen = strlen(type) - strlen(KH_CERT_SUFFIX);
	for (i = 0; i < nitems(kinds); i++) {
		/* "sk-ssh-ed25519-cert-v01@openssh.com" has no inner '@'. */
		if (strncmp(type, kinds[i].type, plen) == 0 &&
		    (kinds[i].type[plen] == '\0' ||
		    strcmp(kinds[i].type + plen, "@openssh.com") == 0)) {
			fields = kinds[i].fields;
			break;
		}
	}
	if (fields < 0)
		return -1;
	if (kh_blob_string(p, len, &off, &s, &slen) != 0 ||
	    kh_blob_string(p, len, &off, &s, &slen) != 0)
		return -1;
	start = off;
	for (f = 0; f < fields; f++)
		if (kh_blob_string(p, len, &off, &s, &slen) != 0)
			return -1;
	plen = strlen(kinds[i].type);
	for (f = 0; f < 4; f++)
		hdr[f] = (unsigned char)(plen >> (24 - 8 * f));
	buf_add(out, hdr, 4);
	buf_add(out, kinds[i].type, plen);
	buf_add(out, p + start, off - start);
	return 0;
}

enum kh_marker {
	KH_MARK_NONE,
	KH_MARK_REVOKED,
	KH_MARK_CA
};

struct kh_line {
	enum kh_marker	 marker;
	const char	*hosts;
	size_t		 hosts_len;
	struct buf	 key;		/* the decoded blob */
};

static const char *
kh_skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
		p++;
	return p;
}

static const char *
kh_word_end(const char *p, const char *end)
{
	while (p < end && *p != ' ' && *p != '\t' && *p != '\r')
		p++;
	return p;
}

/*
 * Parse one line (without its newline) into l.  1: an entry, 0: blank or
 * a comment, -1: malformed, with *why.
 */
static int
kh_parse_line(const char *p, const char *end, struct kh_line *l,
    const char **why)
{
	const char	*w, *type;
	char		*btype;
	size_t		 tlen;

	l->marker = KH_MARK_NONE;
	buf_reset(&l->key);
	p = kh_skip_ws(p, end);
	if (p == end || *p == '#')
		return 0;
	if (*p == '@') {
		w = kh_word_end(p, end);
		if ((size_t)(w - p) == 8 && memcmp(p, "@revoked", 8) == 0)
			l->marker = KH_MARK_REVOKED;
		else if ((size_t)(w - p) == 15 &&
		    memcmp(p, "@cert-authority", 15) == 0)
			l->marker = KH_MARK_CA;
		else {
			*why = "unknown marker (expected @revoked or "
			    "@cert-authority)";
			return -1;
		}
		p = kh_skip_ws(w, end);
	}
	w = kh_word_end(p, end);
	if (w == p) {
		*why = "no host names";
		return -1;
	}
	l->hosts = p;
	l->hosts_len = (size_t)(w - p);
	p = kh_skip_ws(w, end);
	type = p;
	p = kh_word_end(p, end);
	tlen = (size_t)(p - type);
	if (tlen == 0) {
		*why = "no key type";
		return -1;
	}
	w = kh_skip_ws(p, end);
	p = kh_word_end(w, end);
	if (p == w || knownhosts_b64_decode(w, (size_t)(p - w),
	    &l->key) != 0) {
		*why = "the key is not base64";
		return -1;
	}
	btype = kh_blob_type((unsigned char *)l->key.data, l->key.len);
	if (btype == NULL || strlen(btype) != tlen ||
	    memcmp(btype, type, tlen) != 0) {
		free(btype);
		*why = "the key is not of the type the line names";
		return -1;
	}
	free(btype);
	return 1;
}

static int
kh_rank(enum kh_status s)
{
	switch (s) {
	case KH_REVOKED:
		return 4;
	case KH_MATCH:
		return 3;
	case KH_CHANGED:
		return 2;
	case KH_CA_ONLY:
		return 1;
	default:
		return 0;
	}
}

/* A stronger finding replaces what r holds; an equal one keeps the first. */
static void
kh_found(struct kh_result *r, enum kh_status s, const char *file,
    unsigned long line)
{
	if (kh_rank(s) <= kh_rank(r->status))
		return;
	r->status = s;
	free(r->file);
	r->file = xstrdup(file);
	r->line = line;
}

/* The key to look for: a certificate's own key, else the blob. */
static int
kh_presented(const unsigned char *blob, size_t len, struct buf *plain,
    struct kh_result *r, char **cause)
{
	char	*type;

	if ((type = kh_blob_type(blob, len)) == NULL) {
		*cause = xstrdup("the server's host key is not an SSH key");
		return -1;
	}
	if (str_endswith(type, KH_CERT_SUFFIX)) {
		if (kh_cert_plain(blob, len, type, plain) != 0) {
			*cause = xasprintf("the server's host certificate "
			    "(%s) cannot be read", type);
			free(type);
			return -1;
		}
		r->cert = 1;
		free(type);
		type = kh_blob_type((unsigned char *)plain->data, plain->len);
	} else
		buf_add(plain, blob, len);
	free(r->key_type);
	r->key_type = type;
	free(r->key_b64);
	r->key_b64 = knownhosts_b64_encode((unsigned char *)plain->data,
	    plain->len);
	return 0;
}

int
knownhosts_check_text(const char *file, const char *text, size_t len,
    const char *name, const unsigned char *blob, size_t bloblen,
    struct kh_result *r, char **cause)
{
	struct kh_line	 l;
	struct buf	 plain = BUF_INIT;
	const char	*p = text, *end = text + len, *nl, *why = NULL;
	unsigned long	 lineno = 0;
	int		 m, same;

	if (kh_presented(blob, bloblen, &plain, r, cause) != 0) {
		buf_release(&plain);
		return -1;
	}
	memset(&l, 0, sizeof l);
	buf_init(&l.key);
	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		lineno++;
		if ((m = kh_parse_line(p, nl, &l, &why)) == 0)
			continue;
		if (m < 0) {
			if (r->bad == NULL)
				r->bad = xasprintf("%s:%lu: %s", file, lineno,
				    why);
			continue;
		}
		same = l.key.len == plain.len &&
		    memcmp(l.key.data, plain.data, plain.len) == 0;
		if (l.marker == KH_MARK_REVOKED) {
			/* Revoked is revoked, whatever host the line names. */
			if (same || (l.key.len == bloblen &&
			    memcmp(l.key.data, blob, bloblen) == 0))
				kh_found(r, KH_REVOKED, file, lineno);
			continue;
		}
		if (l.hosts_len > 0 && l.hosts[0] == '|')
			m = kh_match_hashed(l.hosts, l.hosts_len, name);
		else
			m = kh_match_list(l.hosts, l.hosts_len, name);
		if (m < 0 && l.hosts[0] == '|' && r->bad == NULL)
			r->bad = xasprintf("%s:%lu: a hashed host name that "
			    "is not |1|salt|hash", file, lineno);
		if (m != 1)
			continue;
		if (l.marker == KH_MARK_CA)
			kh_found(r, KH_CA_ONLY, file, lineno);
		else
			kh_found(r, same ? KH_MATCH : KH_CHANGED, file,
			    lineno);
	}
	buf_release(&l.key);
	buf_release(&plain);
	return 0;
}

/*
 * Is st /dev/null?  "UserKnownHostsFile /dev/null" is a common way to
 * say "remember nothing": it reads as an empty file.
 */
static int
kh_is_devnull(const struct stat *st)
{
	struct stat	null;

	return S_ISCHR(st->st_mode) && stat("/dev/null", &null) == 0 &&
	    S_ISCHR(null.st_mode) && st->st_rdev == null.st_rdev;
}

/*
 * The whole of a regular file into b; 1 when it does not exist (or is
 * /dev/null).
 */
static int
kh_read_file(const char *path, size_t max, struct buf *b, char **cause)
{
	struct stat	 st;
	char		 chunk[65536];
	ssize_t		 n;
	int		 fd;

	/* O_NONBLOCK: a FIFO put in a file's place must not hang us. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY |
	    O_NONBLOCK)) < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 1;
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == 0 && kh_is_devnull(&st)) {
		close(fd);
		return 1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		*cause = xasprintf("%s: not a regular file", path);
		close(fd);
		return -1;
	}
	for (;;) {
		if ((n = read(fd, chunk, sizeof chunk)) < 0) {
			if (errno == EINTR)
				continue;
			*cause = xasprintf("%s: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		if (b->len + (size_t)n > max) {
			*cause = xasprintf("%s: larger than %zu bytes", path,
			    max);
			close(fd);
			return -1;
		}
		buf_add(b, chunk, (size_t)n);
	}
	close(fd);
	return 0;
}

int
knownhosts_check(const struct kh_config *cfg, const char *name,
    const unsigned char *blob, size_t len, struct kh_result *r, char **cause)
{
	const struct strv	*lists[2] = { &cfg->user_files,
	    &cfg->global_files };
	struct buf		 text = BUF_INIT;
	size_t			 i, j;
	int			 rc = 0, got;

	memset(r, 0, sizeof *r);
	for (i = 0; i < 2 && rc == 0; i++) {
		for (j = 0; j < lists[i]->n && rc == 0; j++) {
			buf_reset(&text);
			got = kh_read_file(lists[i]->v[j], KH_FILE_MAX, &text,
			    cause);
			if (got < 0)
				rc = -1;
			else if (got == 0)
				rc = knownhosts_check_text(lists[i]->v[j],
				    text.data, text.len, name, blob, len, r,
				    cause);
		}
	}
	/* Even with no file at all, say what the key is. */
	if (rc == 0 && r->key_type == NULL)
		rc = knownhosts_check_text("-", "", 0, name, blob, len, r,
		    cause);
	buf_release(&text);
	return rc;
}

/* The unmarked lines of one text that name name, as "type base64\n". */
static void
kh_keys_text(const char *text, size_t len, const char *name, struct buf *out)
{
	struct kh_line	 l;
	const char	*p = text, *end = text + len, *nl, *why;
	char		*type, *b64;
	int		 m;

	memset(&l, 0, sizeof l);
	buf_init(&l.key);
	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (kh_parse_line(p, nl, &l, &why) != 1 ||
		    l.marker != KH_MARK_NONE)
			continue;
		if (l.hosts[0] == '|')
			m = kh_match_hashed(l.hosts, l.hosts_len, name);
		else
			m = kh_match_list(l.hosts, l.hosts_len, name);
		if (m != 1)
			continue;
		type = kh_blob_type((unsigned char *)l.key.data, l.key.len);
		b64 = knownhosts_b64_encode((unsigned char *)l.key.data,
		    l.key.len);
		buf_printf(out, "%s %s\n", type, b64);
		free(type);
		free(b64);
	}
	buf_release(&l.key);
}

int
knownhosts_keys(const struct kh_config *cfg, const char *name,
    struct buf *out, char **cause)
{
	const struct strv	*lists[2] = { &cfg->user_files,
	    &cfg->global_files };
	struct buf		 text = BUF_INIT;
	size_t			 i, j;
	int			 got, rc = 0;

	for (i = 0; i < 2 && rc == 0; i++) {
		for (j = 0; j < lists[i]->n && rc == 0; j++) {
			buf_reset(&text);
			got = kh_read_file(lists[i]->v[j], KH_FILE_MAX, &text,
			    cause);
			if (got < 0)
				rc = -1;
			else if (got == 0)
				kh_keys_text(text.data, text.len, name, out);
		}
	}
	buf_release(&text);
	return rc;
}

void
kh_result_release(struct kh_result *r)
{
	free(r->file);
	free(r->key_type);
	free(r->key_b64);
	free(r->bad);
	memset(r, 0, sizeof *r);
}

char *
knownhosts_name(const char *host, unsigned int port)
{
	char	*n, *p;

	if (port == 0 || port == 22)
		n = xstrdup(host);
	else
		n = xasprintf("[%s]:%u", host, port);
	for (p = n; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	return n;
}

const char *
knownhosts_type_label(const char *type)
{
	static const struct {
		const char	*prefix;
		const char	*label;
	} labels[] = {
		{ "ssh-ed25519", "ED25519" }, { "ssh-rsa", "RSA" },
		{ "ssh-dss", "DSA" }, { "ecdsa-", "ECDSA" },
		{ "sk-ssh-ed25519", "ED25519-SK" }, { "sk-ecdsa-", "ECDSA-SK" },
	};
	size_t	i;

	for (i = 0; i < nitems(labels); i++)
		if (str_startswith(type, labels[i].prefix))
			return labels[i].label;
	return type;
}

/* Make the directory of file (mode 0700) when it is missing. */
static int
kh_make_dir(const char *file, char **cause)
{
	const char	*slash = strrchr(file, '/');
	char		*dir;
	int		 rc = 0;

	if (slash == NULL || slash == file)
		return 0;
	dir = xstrndup(file, (size_t)(slash - file));
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		*cause = xasprintf("cannot make %s: %s", dir, strerror(errno));
		rc = -1;
	}
	free(dir);
	return rc;
}

int
knownhosts_add(const char *file, const char *name, const char *type,
    const char *b64, int hash, char **cause)
{
	struct buf	 line = BUF_INIT;
	struct stat	 st;
	unsigned char	 salt[KH_SALT_LEN];
	char		*hashed, last;
	ssize_t		 n;
	size_t		 off = 0;
	int		 fd = -1, rc = -1;

	if (strpbrk(name, " \t\r\n") != NULL || strpbrk(type,
	    " \t\r\n") != NULL || strpbrk(b64, " \t\r\n") != NULL) {
		*cause = xasprintf("%s: a host name or key with blanks in it "
		    "cannot be recorded", file);
		return -1;
	}
	if (kh_make_dir(file, cause) != 0)
		return -1;
	if ((fd = open(file, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC |
	    O_NOCTTY, 0600)) < 0) {
		*cause = xasprintf("%s: %s", file, strerror(errno));
		return -1;
	}
	/* Recording in /dev/null is remembering nothing, as ssh(1) does. */
	if (fstat(fd, &st) == 0 && kh_is_devnull(&st)) {
		rc = 0;
		goto out;
	}
	/* A last line without its newline would swallow ours. */
	if (fstat(fd, &st) == 0 && st.st_size > 0 &&
	    pread(fd, &last, 1, st.st_size - 1) == 1 && last != '\n')
		buf_addch(&line, '\n');
	if (hash) {
		if (getrandom(salt, sizeof salt, 0) != (ssize_t)sizeof salt) {
			*cause = xasprintf("getrandom: %s", strerror(errno));
			goto out;
		}
		hashed = knownhosts_hash_name(name, salt);
		buf_printf(&line, "%s %s %s\n", hashed, type, b64);
		free(hashed);
	} else
		buf_printf(&line, "%s %s %s\n", name, type, b64);
	while (off < line.len) {
		if ((n = write(fd, line.data + off, line.len - off)) < 0) {
			if (errno == EINTR)
				continue;
			*cause = xasprintf("%s: %s", file, strerror(errno));
			goto out;
		}
		off += (size_t)n;
	}
	if (fsync(fd) != 0) {
		*cause = xasprintf("%s: fsync: %s", file, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (close(fd) != 0 && rc == 0) {
		*cause = xasprintf("%s: %s", file, strerror(errno));
		rc = -1;
	}
	buf_release(&line);
	return rc;
}

/* The ssh config as far as known_hosts goes. */
struct kh_conf_state {
	const char	*home;
	const char	*host;		/* as given, lower case */
	char		*hostname;	/* HostName, %h expanded, lower case */
	struct kh_config *cfg;
	struct strv	 user_raw;	/* UserKnownHostsFile, unexpanded */
	struct strv	 user_where;	/* "file:line" of each */
	int		 have_user, have_global, have_hash;
};

static void	kh_lower(char *);

/*
 * "~/x", "%d/x" with the home directory; "%%" is "%"; with h set, "%h"
 * is h.
 */
static char *
kh_expand(const char *home, const char *path, const char *h)
{
	struct buf	b = BUF_INIT;
	const char	*p = path;

	if (home != NULL && p[0] == '~' && (p[1] == '/' || p[1] == '\0')) {
		buf_addstr(&b, home);
		p++;
	}
	for (; *p != '\0'; p++) {
		if (home != NULL && p[0] == '%' && p[1] == 'd') {
			buf_addstr(&b, home);
			p++;
		} else if (h != NULL && p[0] == '%' && p[1] == 'h') {
			buf_addstr(&b, h);
			p++;
		} else if (p[0] == '%' && p[1] == '%') {
			buf_addch(&b, '%');
			p++;
		} else
			buf_addch(&b, *p);
	}
	return buf_detach(&b);
}

/* The arguments of a config line: blank-separated, "quoted" allowed. */
static void
kh_conf_args(const char *p, struct strv *args)
{
	struct buf	w = BUF_INIT;
	int		quoted;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r' ||
		    (*p == '=' && args->n == 1))
			p++;
		if (*p == '\0' || *p == '#')
			break;
		quoted = 0;
		buf_reset(&w);
		while (*p != '\0' && (quoted || (*p != ' ' && *p != '\t' &&
		    *p != '\r' && (args->n > 0 || *p != '=')))) {
			if (*p == '"')
				quoted = !quoted;
			else
				buf_addch(&w, *p);
			p++;
		}
		strv_push(args, w.data);
	}
	buf_release(&w);
}

static int	kh_conf_file(struct kh_conf_state *, const char *,
		    const char *, int, int, char **);

static void
kh_lower(char *s)
{
	for (; *s != '\0'; s++)
		*s = (char)tolower((unsigned char)*s);
}

/*
 * Does a Match line apply?  "all" alone; "host" (the HostName set so
 * far, else the name as given) and "originalhost" (the name as given)
 * with a comma list of patterns, each criterion negated by a leading
 * "!", all of them together.  Any other criterion (user, exec, canonical,
 * final, ...) cannot be judged here: the block is not applied.
 */
static int
kh_conf_match(struct kh_conf_state *st, const struct strv *args)
{
	const char	*c, *name;
	size_t		 i;
	int		 neg, m;

	if (args->n == 2 && strcasecmp(args->v[1], "all") == 0)
		return 1;
	if (args->n < 2)
		return 0;
	for (i = 1; i < args->n; i++) {
		c = args->v[i];
		if ((neg = c[0] == '!'))
			c++;
		if (strcasecmp(c, "host") == 0)
			name = st->hostname != NULL ? st->hostname : st->host;
		else if (strcasecmp(c, "originalhost") == 0)
			name = st->host;
		else
			return 0;
		if (++i == args->n)
			return 0;
		m = kh_match_list(args->v[i], strlen(args->v[i]), name) == 1;
		if (m == neg)
			return 0;
	}
	return 1;
}

/* The files of a GlobalKnownHostsFile line. */
static void
kh_conf_files(struct kh_conf_state *st, const struct strv *args,
    struct strv *files)
{
	size_t	i;

	for (i = 1; i < args->n; i++)
		if (strcasecmp(args->v[i], "none") != 0)
			strv_push_nocopy(files, kh_expand(st->home,
			    args->v[i], NULL));
}

static int
kh_conf_include(struct kh_conf_state *st, const char *dir, const char *pat,
    int active, int depth, char **cause)
{
	glob_t	 g;
	char	*full, *ex;
	size_t	 i;
	int	 rc = 0;

	ex = kh_expand(st->home, pat, NULL);
	full = ex[0] == '/' ? xstrdup(ex) : xasprintf("%s/%s", dir, ex);
	free(ex);
	memset(&g, 0, sizeof g);
	if (glob(full, 0, NULL, &g) == 0)
		for (i = 0; i < g.gl_pathc && rc == 0; i++)
			rc = kh_conf_file(st, g.gl_pathv[i], dir, active,
			    depth + 1, cause);
	globfree(&g);
	free(full);
	return rc;
}

static int
kh_conf_file(struct kh_conf_state *st, const char *path, const char *dir,
    int active, int depth, char **cause)
{
	struct buf	 text = BUF_INIT;
	struct strv	 args = STRV_INIT;
	char		*line, *next;
	size_t		 i;
	unsigned long	 lineno = 0;
	int		 rc = 0, got, m, neg;

	if (depth > KH_INCLUDE_MAX)
		return 0;
	if ((got = kh_read_file(path, KH_CONFIG_MAX, &text, cause)) != 0) {
		/* An Include that names something unreadable is skipped. */
		if (got < 0 && depth > 0) {
			free(*cause);
			*cause = NULL;
			return 0;
		}
		return got < 0 ? -1 : 0;
	}
	for (line = text.data; line != NULL && rc == 0; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		lineno++;
		strv_release(&args);
		kh_conf_args(line, &args);
		if (args.n == 0)
			continue;
		if (strcasecmp(args.v[0], "Host") == 0) {
			/* Like a known_hosts list: a negated match vetoes. */
			for (i = 1, m = 0; i < args.n && m >= 0; i++) {
				neg = args.v[i][0] == '!';
				if (kh_match_one(st->host, args.v[i] + neg,
				    strlen(args.v[i] + neg)))
					m = neg ? -1 : 1;
			}
			active = m == 1;
		} else if (strcasecmp(args.v[0], "Match") == 0)
			active = kh_conf_match(st, &args);
		else if (strcasecmp(args.v[0], "Include") == 0) {
			for (i = 1; i < args.n && rc == 0; i++)
				rc = kh_conf_include(st, dir, args.v[i],
				    active, depth, cause);
		} else if (!active || args.n < 2)
			continue;
		else if (strcasecmp(args.v[0], "UserKnownHostsFile") == 0 &&
		    !st->have_user) {
			st->have_user = 1;
			for (i = 1; i < args.n; i++) {
				if (strcasecmp(args.v[i], "none") == 0)
					continue;
				strv_push(&st->user_raw, args.v[i]);
				strv_pushf(&st->user_where, "%s:%lu", path,
				    lineno);
			}
		} else if (strcasecmp(args.v[0], "GlobalKnownHostsFile") ==
		    0 && !st->have_global) {
			st->have_global = 1;
			kh_conf_files(st, &args, &st->cfg->global_files);
		} else if (strcasecmp(args.v[0], "HostName") == 0 &&
		    st->hostname == NULL) {
			st->hostname = kh_expand(NULL, args.v[1], st->host);
			kh_lower(st->hostname);
		} else if (strcasecmp(args.v[0], "HostKeyAlias") == 0 &&
		    st->cfg->alias == NULL) {
			/* Taken as written (no %h), in lower case, as ssh. */
			st->cfg->alias = xstrdup(args.v[1]);
			kh_lower(st->cfg->alias);
		} else if (strcasecmp(args.v[0], "HashKnownHosts") == 0 &&
		    !st->have_hash) {
			st->have_hash = 1;
			st->cfg->hash = strcasecmp(args.v[1], "yes") == 0;
		}
	}
	strv_release(&args);
	buf_release(&text);
	return rc;
}

/*
 * A UserKnownHostsFile with its tokens (ssh_config(5) TOKENS), once the
 * whole config is read: ~ and %d the home directory, %h the HostName (or
 * the host as given), %n the host as given, %k the HostKeyAlias (or the
 * host as given), %u the local user, %i the uid, %% a "%".  The others
 * (%p, %r, %C, %l, %L, %j) depend on what only the connection knows:
 * refused, rather than looking in a file ssh(1) would not read.
 */
static int
kh_expand_user(struct kh_conf_state *st, const char *raw, const char *where,
    char **out, char **cause)
{
	struct buf	 b = BUF_INIT;
	struct passwd	*pw;
	const char	*p = raw;

	if (p[0] == '~' && (p[1] == '/' || p[1] == '\0')) {
		buf_addstr(&b, st->home);
		p++;
	}
	for (; *p != '\0'; p++) {
		if (*p != '%') {
			buf_addch(&b, *p);
			continue;
		}
		switch (*++p) {
		case '%':
			buf_addch(&b, '%');
			break;
		case 'd':
			buf_addstr(&b, st->home);
			break;
		case 'h':
			buf_addstr(&b, st->hostname != NULL ? st->hostname :
			    st->host);
			break;
		case 'n':
			buf_addstr(&b, st->host);
			break;
		case 'k':
			buf_addstr(&b, st->cfg->alias != NULL ?
			    st->cfg->alias : st->host);
			break;
		case 'u':
			if ((pw = getpwuid(getuid())) == NULL)
				goto bad;
			buf_addstr(&b, pw->pw_name);
			break;
		case 'i':
			buf_printf(&b, "%u", (unsigned int)getuid());
			break;
		default:
			goto bad;
		}
	}
	*out = buf_detach(&b);
	return 0;
bad:
	if (*p == '\0')
		*cause = xasprintf("%s: UserKnownHostsFile \"%s\": a %% at "
		    "the end", where, raw);
	else
		*cause = xasprintf("%s: UserKnownHostsFile \"%s\": smadm "
		    "cannot expand %%%c (it knows %%d %%h %%k %%n %%u %%i %%%%)",
		    where, raw, *p);
	buf_release(&b);
	return -1;
}

int
knownhosts_config_read(const char *home, const char *user_config,
    const char *system_config, const char *host, struct kh_config *cfg,
    char **cause)
{
	struct kh_conf_state	 st;
	char			*dir, *lower, *f;
	size_t			 i;
	int			 rc = 0;

	memset(cfg, 0, sizeof *cfg);
	strv_init(&cfg->user_files);
	strv_init(&cfg->global_files);
	memset(&st, 0, sizeof st);
	strv_init(&st.user_raw);
	strv_init(&st.user_where);
	st.home = home;
	st.cfg = cfg;
	lower = xstrdup(host);
	kh_lower(lower);
	st.host = lower;
	dir = xasprintf("%s/.ssh", home);
	if (user_config != NULL)
		rc = kh_conf_file(&st, user_config, dir, 1, 0, cause);
	if (rc == 0 && system_config != NULL)
		rc = kh_conf_file(&st, system_config, "/etc/ssh", 1, 0,
		    cause);
	for (i = 0; rc == 0 && i < st.user_raw.n; i++) {
		if ((rc = kh_expand_user(&st, st.user_raw.v[i],
		    st.user_where.v[i], &f, cause)) == 0)
			strv_push_nocopy(&cfg->user_files, f);
	}
	if (!st.have_user) {
		strv_pushf(&cfg->user_files, "%s/.ssh/known_hosts", home);
		strv_pushf(&cfg->user_files, "%s/.ssh/known_hosts2", home);
	}
	if (!st.have_global) {
		strv_push(&cfg->global_files, "/etc/ssh/ssh_known_hosts");
		strv_push(&cfg->global_files, "/etc/ssh/ssh_known_hosts2");
	}
	free(dir);
	free(lower);
	free(st.hostname);
	strv_release(&st.user_raw);
	strv_release(&st.user_where);
	if (rc != 0)
		kh_config_release(cfg);
	return rc;
}

void
kh_config_release(struct kh_config *cfg)
{
	strv_release(&cfg->user_files);
	strv_release(&cfg->global_files);
	free(cfg->alias);
	cfg->alias = NULL;
}

char *
knownhosts_config_name(const struct kh_config *cfg, const char *host,
    unsigned int port)
{
	if (cfg->alias != NULL)
		return xstrdup(cfg->alias);
	return knownhosts_name(host, port);
}

int
knownhosts_config_files_check(const struct kh_config *cfg, char **cause)
{
	const struct strv	*lists[2] = { &cfg->user_files,
	    &cfg->global_files };
	struct stat		 sb;
	const char		*f;
	size_t			 i, j;

	for (i = 0; i < 2; i++) {
		for (j = 0; j < lists[i]->n; j++) {
			f = lists[i]->v[j];
			/* stat, not lstat: a link to a regular file is fine. */
			if (stat(f, &sb) != 0) {
				if (errno == ENOENT || errno == ENOTDIR)
					continue;
				*cause = xasprintf("%s: %s", f,
				    strerror(errno));
				return -1;
			}
			if (!S_ISREG(sb.st_mode) && !kh_is_devnull(&sb)) {
				*cause = xasprintf("%s: not a regular file "
				    "(a known_hosts file must be one; %s "
				    "names it)", f, i == 0 ?
				    "UserKnownHostsFile" :
				    "GlobalKnownHostsFile");
				return -1;
			}
		}
	}
	return 0;
}
