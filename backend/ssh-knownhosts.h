/*
 * ssh-knownhosts.h -- known_hosts files read and written the way OpenSSH
 * does it, for the SSH transport's host key check.
 *
 * libssh 0.10 reads only one user file, takes "@revoked" and
 * "@cert-authority" lines for host patterns that never match, and cannot
 * hash what it writes.  This module understands the whole format
 * (sshd(8), SSH_KNOWN_HOSTS FILE FORMAT): plain and hashed (|1|salt|hash)
 * host names, comma lists of patterns with * ? and !negation, the
 * [host]:port form, the two markers, comments and blank lines, over every
 * UserKnownHostsFile and GlobalKnownHostsFile of the ssh config.  It has
 * no libssh in it: keys are the SSH wire blobs (RFC 4253 6.6) that
 * known_hosts carries in base64.
 */
#ifndef SMADM_SSH_KNOWNHOSTS_H
#define SMADM_SSH_KNOWNHOSTS_H

#include <stddef.h>

#include "util.h"

/* The files and the hashing the ssh config asks for, for one host. */
struct kh_config {
	struct strv	 user_files;	/* UserKnownHostsFile; new keys: [0] */
	struct strv	 global_files;	/* GlobalKnownHostsFile */
	int		 hash;		/* HashKnownHosts yes */
	char		*alias;		/* HostKeyAlias (lower case), or NULL */
};

/*
 * Read the ssh config (home/.ssh/config, then /etc/ssh/ssh_config, the
 * first value of a keyword winning, as ssh(1) does) for the known_hosts
 * settings that apply to host (the name as given, matched against Host
 * lines; of Match lines, "all", "host" and "originalhost" are understood,
 * a block with any other criterion is not applied).  Unset
 * keywords get OpenSSH's defaults; "~" and %d stand for home.  The
 * config file paths are arguments so that tests can give their own;
 * NULL skips one.  Fills cfg (kh_config_release frees it); -1 and *cause
 * only when an existing config file cannot be read.
 */
int	knownhosts_config_read(const char *home, const char *user_config,
	    const char *system_config, const char *host, struct kh_config *,
	    char **cause);
void	kh_config_release(struct kh_config *);
/*
 * The name to look up and record for host and port: the HostKeyAlias
 * as it is (no [ ]:port), else knownhosts_name(host, port).
 */
char	*knownhosts_config_name(const struct kh_config *, const char *host,
	    unsigned int port);
/*
 * Refuse a known_hosts file of cfg that exists but is not a regular file
 * after symbolic links (a FIFO would block whoever opens it): -1 and
 * *cause naming it.  Files that do not exist, and /dev/null, are fine.
 */
int	knownhosts_config_files_check(const struct kh_config *, char **cause);

enum kh_status {
	KH_NEW,		/* nothing is known about this host */
	KH_MATCH,	/* a line for the host has this key */
	KH_CHANGED,	/* the host is known with another key */
	KH_REVOKED,	/* a @revoked line has this key */
	KH_CA_ONLY	/* only @cert-authority lines name the host */
};

struct kh_result {
	enum kh_status	 status;
	char		*file;		/* the deciding line (not for KH_NEW) */
	unsigned long	 line;
	int		 cert;		/* the host presented a certificate */
	char		*key_type;	/* the key's type ("ssh-ed25519") */
	char		*key_b64;	/* the key (a certificate's own key) */
	char		*bad;		/* "file:line: why": first line skipped */
};
void	kh_result_release(struct kh_result *);

/*
 * The known_hosts name of a host: "host", or "[host]:port" when port is
 * not 22; lower case, as ssh(1) writes and looks it up.
 */
char	*knownhosts_name(const char *host, unsigned int port);

/*
 * Check a server's host key blob (binary, as the server sent it) for
 * name (knownhosts_name) against every file of cfg, in order; a file that
 * does not exist is skipped.  A certificate is checked by the key it
 * certifies (smadm cannot verify the certificate itself: r->cert says
 * so).  Decides as OpenSSH does, with one difference: a @revoked line
 * counts whatever host it names.  A revoked key beats any match; a
 * match anywhere beats a different key elsewhere.  Fills r; -1 and
 * *cause when the blob is not a key or a file cannot be read.
 */
int	knownhosts_check(const struct kh_config *, const char *name,
	    const unsigned char *blob, size_t len, struct kh_result *r,
	    char **cause);
/*
 * The same for the text of one known_hosts file (file names it in r);
 * r is updated, so several texts can be checked in turn into one result
 * (start with a zeroed r).  Returns -1 and *cause only for a bad blob.
 */
int	knownhosts_check_text(const char *file, const char *text, size_t len,
	    const char *name, const unsigned char *blob, size_t bloblen,
	    struct kh_result *r, char **cause);

/*
 * The keys that unmarked lines of cfg's files give for name (plain or
 * hashed), appended to out as "type base64" lines: what the host is
 * expected to show.  -1 and *cause when a file cannot be read.
 */
int	knownhosts_keys(const struct kh_config *, const char *name,
	    struct buf *out, char **cause);

/*
 * Append "name type key" (name hashed as |1|salt|hash when hash is set)
 * to file: the directory is made (0700) when missing, the file (0600)
 * when new, the line written in one write() with O_APPEND and fsync'd.
 */
int	knownhosts_add(const char *file, const char *name, const char *type,
	    const char *b64, int hash, char **cause);

/* "|1|base64(salt)|base64(HMAC-SHA1(salt, name))" for a 20-byte salt. */
char	*knownhosts_hash_name(const char *name, const unsigned char *salt);
/* Does pattern list (one host field) match name?  1, 0, or -1: negated. */
int	knownhosts_match_hosts(const char *list, const char *name);

/* OpenSSH's short name of a key type, as "Permanently added" says it. */
const char *knownhosts_type_label(const char *type);

/* base64 (RFC 4648, padded) of len bytes, and back; -1: not base64. */
char	*knownhosts_b64_encode(const unsigned char *, size_t);
int	 knownhosts_b64_decode(const char *, size_t, struct buf *);

/* HMAC-SHA1 (RFC 2104) into out[20]; SHA-1 alone into out[20]. */
void	knownhosts_hmac_sha1(const unsigned char *key, size_t keylen,
	    const unsigned char *msg, size_t len, unsigned char *out);
void	knownhosts_sha1(const unsigned char *, size_t, unsigned char *);

#endif
