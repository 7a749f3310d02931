/*
 * ssh-hostkey.c -- is the host we reached the host we meant?
 *
 * The server's key is looked up in every known_hosts file the ssh config
 * names (ssh-knownhosts.c), not through libssh's reader, which ignores
 * @revoked and @cert-authority lines.  libssh 0.10 cannot check a host
 * certificate (no call verifies the CA's signature, the principals or the
 * validity), and its client never asks for one (HostKeyAlgorithms
 * certificate types are dropped).  Should a certificate come, it counts
 * only by the plain key inside it, as ssh(1) does when no CA vouches for
 * it; a host that only a @cert-authority line names is refused with a
 * message saying why.
 */
#include <sys/mman.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ssh-hostkey.h"

#if HAVE_SSH
#include <libssh/libssh_version.h>

#include "ssh-knownhosts.h"

#define SSH_HK_STR2(x)		#x
#define SSH_HK_STR(x)		SSH_HK_STR2(x)
#define SSH_LIBSSH_VERSION	SSH_HK_STR(LIBSSH_VERSION_MAJOR) "." \
				SSH_HK_STR(LIBSSH_VERSION_MINOR)

/* "SHA256:..." of a key given as known_hosts has it. */
static char *
ssh_hostkey_fp(const char *type, const char *b64)
{
	ssh_key		 key = NULL;
	unsigned char	*hash = NULL;
	size_t		 hlen;
	char		*fp, *r;

	if (ssh_pki_import_pubkey_base64(b64, ssh_key_type_from_name(type),
	    &key) != SSH_OK)
		return xstrdup("(no fingerprint)");
	if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash,
	    &hlen) != 0) {
		ssh_key_free(key);
		return xstrdup("(no fingerprint)");
	}
	fp = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, hlen);
	r = xstrdup(fp != NULL ? fp : "?");
	ssh_string_free_char(fp);
	ssh_clean_pubkey_hash(&hash);
	ssh_key_free(key);
	return r;
}

/* s in single quotes for a command line to copy ('\'' for a quote). */
static void
ssh_hostkey_quote(struct buf *b, const char *s)
{
	buf_addch(b, '\'');
	for (; *s != '\0'; s++) {
		if (*s == '\'')
			buf_addstr(b, "'\\''");
		else
			buf_addch(b, *s);
	}
	buf_addch(b, '\'');
}

/* The server's key as its wire blob, and its known_hosts name. */
static int
ssh_hostkey_get(ssh_session s, const struct kh_config *cfg, struct buf *blob,
    char **name, char **cause)
{
	ssh_key		 key = NULL;
	char		*b64 = NULL, *host = NULL;
	unsigned int	 port = 22;
	int		 rc = -1;

	if (ssh_get_server_publickey(s, &key) != SSH_OK ||
	    ssh_pki_export_pubkey_base64(key, &b64) != SSH_OK ||
	    knownhosts_b64_decode(b64, strlen(b64), blob) != 0) {
		*cause = xasprintf("cannot get the server's host key: %s",
		    ssh_get_error(s));
		goto out;
	}
	if (ssh_options_get(s, SSH_OPTIONS_HOST, &host) != SSH_OK) {
		*cause = xstrdup("no host name set");
		goto out;
	}
	ssh_options_get_port(s, &port);
	*name = knownhosts_config_name(cfg, host, port);
	rc = 0;
out:
	ssh_string_free_char(host);
	ssh_string_free_char(b64);
	ssh_key_free(key);
	return rc;
}

/* An unknown key: refuse, ask, or record it. */
static int
ssh_hostkey_new(const struct kh_config *cfg, const struct kh_result *r,
    const char *name, const char *spec, const char *fp,
    const struct ssh_opts *o, int may_ask, char **cause)
{
	struct buf	 q = BUF_INIT, answer = BUF_INIT, note = BUF_INIT;
	const char	*file;
	int		 rc = -1;

	file = cfg->user_files.n > 0 ? cfg->user_files.v[0] : NULL;
	if (r->cert)
		buf_addstr(&note, " The host presented a certificate; smadm "
		    "cannot verify host certificates with libssh "
		    SSH_LIBSSH_VERSION " and checks the plain key in it.");
	if (r->bad != NULL)
		buf_printf(&note, " (%s: that line was skipped.)", r->bad);
	if (!o->accept_new) {
		if (!may_ask || o->prompt == NULL || !o->ask_host_key) {
			*cause = xasprintf("%s: unknown host key (%s %s), not "
			    "in %s. Check the fingerprint with the server's "
			    "administrator, then rerun with "
			    "--accept-new-host-key.%s", spec, r->key_type, fp,
			    file != NULL ? file : "known_hosts", note.data);
			goto out;
		}
		buf_printf(&q, "The host key of %s is not known.%s\n%s key "
		    "fingerprint is %s.\nAccept it and remember it in %s "
		    "(yes/no)? ", spec, note.data, r->key_type, fp,
		    file != NULL ? file : "known_hosts");
		if (o->prompt(o->prompt_arg, q.data, 1, &answer) != 0 ||
		    strcmp(str_trim(answer.data), "yes") != 0) {
			*cause = xasprintf("%s: host key not accepted", spec);
			goto out;
		}
	}
	if (file == NULL) {
		*cause = xasprintf("%s: cannot record the host key: the ssh "
		    "config's UserKnownHostsFile is none", spec);
		goto out;
	}
	if (knownhosts_add(file, name, r->key_type, r->key_b64, cfg->hash,
	    cause) != 0)
		goto out;
	if (o->notice != NULL) {
		buf_reset(&q);
		buf_printf(&q, "Permanently added '%s' (%s) to the list of "
		    "known hosts.", name, knownhosts_type_label(r->key_type));
		o->notice(o->notice_arg, q.data);
	}
	rc = 0;
out:
	buf_release(&q);
	buf_release(&answer);
	buf_release(&note);
	return rc;
}

int
ssh_hostkey_config(const char *alias, const char *spec, struct kh_config *cfg,
    char **cause)
{
	char	*home, *conf, *why = NULL;
	int	 rc = -1;

	home = ssh_user_home();
	conf = xasprintf("%s/.ssh/config", home);
	if (knownhosts_config_read(home, conf, "/etc/ssh/ssh_config", alias,
	    cfg, &why) != 0) {
		*cause = xasprintf("%s: %s", spec, why);
		goto out;
	}
	if (knownhosts_config_files_check(cfg, &why) != 0) {
		*cause = xasprintf("%s: %s", spec, why);
		kh_config_release(cfg);
		goto out;
	}
	rc = 0;
out:
	free(why);
	free(home);
	free(conf);
	return rc;
}

/*
 * libssh 0.10 reads known_hosts itself while it connects: the first user
 * file and the global one, for "[host]:port", to ask the server first for
 * the key types it finds there.  Its own files would be wrong (it knows
 * no HostKeyAlias and reads one file of each list) and must not be
 * opened at all when they might block, so it is given instead a memfd
 * that holds the keys smadm's own lookup expects, under the name libssh
 * looks for; the global file is /dev/null.
 */
int
ssh_hostkey_options(ssh_session s, const struct kh_config *cfg)
{
	struct buf	 keys = BUF_INIT, text = BUF_INIT;
	char		*host = NULL, *name = NULL, *lookup = NULL, *raw;
	char		*why = NULL, *path = NULL, *line, *next;
	unsigned int	 port = 22;
	int		 fd = -1;

	ssh_options_set(s, SSH_OPTIONS_GLOBAL_KNOWNHOSTS, "/dev/null");
	if (ssh_options_get(s, SSH_OPTIONS_HOST, &host) != SSH_OK)
		goto out;
	ssh_options_get_port(s, &port);
	name = knownhosts_name(host, port);
	lookup = knownhosts_config_name(cfg, host, port);
	/* An unreadable file: the check after connecting says so. */
	if (knownhosts_keys(cfg, lookup, &keys, &why) != 0 || keys.len == 0)
		goto out;
	raw = port == 22 ? xstrdup(host) : xasprintf("[%s]:%u", host, port);
	for (line = keys.data; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		buf_printf(&text, "%s%s%s %s\n", name,
		    strcmp(raw, name) != 0 ? "," : "",
		    strcmp(raw, name) != 0 ? raw : "", line);
	}
	free(raw);
	if ((fd = memfd_create("smadm-known-hosts", MFD_CLOEXEC)) < 0)
		goto out;
	if (write(fd, text.data, text.len) != (ssize_t)text.len) {
		close(fd);
		fd = -1;
		goto out;
	}
	path = xasprintf("/proc/self/fd/%d", fd);
out:
	ssh_options_set(s, SSH_OPTIONS_KNOWNHOSTS, path != NULL ? path :
	    "/dev/null");
	ssh_string_free_char(host);
	buf_release(&keys);
	buf_release(&text);
	free(name);
	free(lookup);
	free(why);
	free(path);
	return fd;
}

int
ssh_hostkey_verify(ssh_session s, const struct kh_config *cfg,
    const char *spec, const struct ssh_opts *o, int may_ask, char **cause)
{
	struct kh_result	 r;
	struct buf		 blob = BUF_INIT, cmd = BUF_INIT;
	char			*name = NULL, *fp = NULL, *why = NULL;
	int			 rc = -1;

	memset(&r, 0, sizeof r);
	if (ssh_hostkey_get(s, cfg, &blob, &name, &why) != 0 ||
	    knownhosts_check(cfg, name, (unsigned char *)blob.data, blob.len,
	    &r, &why) != 0) {
		*cause = xasprintf("%s: %s", spec, why);
		goto out;
	}
	fp = ssh_hostkey_fp(r.key_type, r.key_b64);
	switch (r.status) {
	case KH_MATCH:
		rc = 0;
		break;
	case KH_REVOKED:
		*cause = xasprintf("@@@ WARNING: REVOKED HOST KEY @@@ The host "
		    "key of %s (%s %s) is marked @revoked in %s:%lu. The key "
		    "may have been stolen and someone may be impersonating "
		    "the host. Refusing to connect.", spec, r.key_type, fp,
		    r.file, r.line);
		break;
	case KH_CHANGED:
		ssh_hostkey_quote(&cmd, r.file);
		buf_addstr(&cmd, " -R ");
		ssh_hostkey_quote(&cmd, name);
		*cause = xasprintf("WARNING: the host key of %s has CHANGED "
		    "(it is now %s %s). Someone may be intercepting the "
		    "connection, or the server was reinstalled. Refusing to "
		    "connect. The old key is in %s:%lu; if the change is "
		    "expected, remove it with: ssh-keygen -f %s", spec,
		    r.key_type, fp, r.file, r.line, cmd.data);
		break;
	case KH_CA_ONLY:
		*cause = xasprintf("%s: the host has only @cert-authority "
		    "entries (%s:%lu) and presented %s; smadm cannot verify "
		    "host certificates with libssh " SSH_LIBSSH_VERSION ": "
		    "add the host key itself (%s %s, checked with the "
		    "server's administrator) to known_hosts", spec, r.file,
		    r.line, r.cert ? "a certificate" : "a plain key",
		    r.key_type, fp);
		break;
	default:
		rc = ssh_hostkey_new(cfg, &r, name, spec, fp, o, may_ask,
		    cause);
		break;
	}
out:
	kh_result_release(&r);
	buf_release(&blob);
	buf_release(&cmd);
	free(fp);
	free(name);
	free(why);
	return rc;
}
#endif
