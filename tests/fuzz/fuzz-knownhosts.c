/*
 * fuzz-knownhosts.c -- libFuzzer harness for the known_hosts reader
 * (backend/ssh-knownhosts.h).
 *
 * Input: a host name (first line), a presented key in base64 (second
 * line; a fixed ed25519 key when it is not one), then a known_hosts text.
 * The check must not fail for a key blob, and a finding must name a line
 * of the text.  Then two lines for the name and the key (its own key when
 * it is a certificate) are added, one hashed by knownhosts_hash_name()
 * and, when the name is a plain one, one plain: each alone after the
 * text must make the key known (or revoked, when the text revokes it).
 * The whole input is also read as an ssh config (through a memfd) for
 * the known_hosts keywords; it fails only for a UserKnownHostsFile token
 * smadm cannot expand, saying so.
 *
 *	make fuzz && tests/fuzz/fuzz-knownhosts -max_total_time=30
 */
#include <sys/mman.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../backend/ssh-knownhosts.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define KHF_MAX		65536	/* bytes of input used */

/* "ssh-ed25519" and 32 bytes of key. */
static void
khf_default_key(struct buf *b)
{
	static const unsigned char hdr[] = { 0, 0, 0, 11, 's', 's', 'h',
	    '-', 'e', 'd', '2', '5', '5', '1', '9', 0, 0, 0, 32 };
	unsigned char	k[32];

	memset(k, 0x42, sizeof k);
	buf_reset(b);
	buf_add(b, hdr, sizeof hdr);
	buf_add(b, k, sizeof k);
}

static void
khf_expect_known(const char *text, size_t len, const char *extra,
    const char *name, const struct buf *blob, enum kh_status before)
{
	struct kh_result r;
	struct buf	 t = BUF_INIT;
	char		*cause = NULL;

	memset(&r, 0, sizeof r);
	buf_add(&t, text, len);
	buf_addch(&t, '\n');
	buf_addstr(&t, extra);
	if (knownhosts_check_text("kh", t.data, t.len, name,
	    (unsigned char *)blob->data, blob->len, &r, &cause) != 0)
		abort();
	if (r.status != (before == KH_REVOKED ? KH_REVOKED : KH_MATCH))
		abort();
	kh_result_release(&r);
	buf_release(&t);
}

/* The input as an ssh config for host name. */
static void
khf_config(const uint8_t *data, size_t len, const char *name)
{
	struct kh_config cfg;
	struct buf	 keys = BUF_INIT;
	char		 path[64], *cause = NULL, *kn;
	int		 fd;

	if ((fd = memfd_create("ssh_config", MFD_CLOEXEC)) < 0)
		abort();
	if (write(fd, data, len) != (ssize_t)len)
		abort();
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	if (knownhosts_config_read("/home/fuzz", path, NULL, name, &cfg,
	    &cause) != 0) {
		if (cause == NULL || strstr(cause, "UserKnownHostsFile") ==
		    NULL)
			abort();
		free(cause);
		cause = NULL;
		memset(&cfg, 0, sizeof cfg);
		strv_init(&cfg.user_files);
		strv_init(&cfg.global_files);
	}
	/* A HostKeyAlias is used as it is; else the [host]:port form. */
	kn = knownhosts_config_name(&cfg, name, 2222);
	if (cfg.alias != NULL ? strcmp(kn, cfg.alias) != 0 : kn[0] != '[')
		abort();
	free(kn);
	kh_config_release(&cfg);
	/* The input as a known_hosts file: the keys it gives for name. */
	memset(&cfg, 0, sizeof cfg);
	strv_init(&cfg.user_files);
	strv_init(&cfg.global_files);
	strv_push(&cfg.user_files, path);
	if (knownhosts_keys(&cfg, name, &keys, &cause) != 0)
		abort();
	kh_config_release(&cfg);
	buf_release(&keys);
	close(fd);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct kh_result r;
	struct buf	 blob = BUF_INIT;
	const char	*p = (const char *)data, *end, *nl, *text;
	unsigned char	 salt[20];
	char		*name, *cause = NULL, *hashed, *extra;
	unsigned long	 lines = 1;
	size_t		 i, tlen;

	if (len > KHF_MAX)
		len = KHF_MAX;
	end = p + len;
	if ((nl = memchr(p, '\n', len)) == NULL)
		return 0;
	name = xstrndup(p, (size_t)(nl - p));
	khf_config(data, len, name);
	p = nl + 1;
	if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
		nl = end;
	if (knownhosts_b64_decode(p, (size_t)(nl - p), &blob) != 0 ||
	    blob.len < 5)
		khf_default_key(&blob);
	text = nl < end ? nl + 1 : end;
	tlen = (size_t)(end - text);
	for (i = 0; i < tlen; i++)
		if (text[i] == '\n')
			lines++;

	memset(&r, 0, sizeof r);
	if (knownhosts_check_text("kh", text, tlen, name,
	    (unsigned char *)blob.data, blob.len, &r, &cause) != 0) {
		/* Only a presented blob that is not a key may fail. */
		if (cause == NULL || *cause == '\0')
			abort();
		khf_default_key(&blob);
		free(cause);
		kh_result_release(&r);
		if (knownhosts_check_text("kh", text, tlen, name,
		    (unsigned char *)blob.data, blob.len, &r, &cause) != 0)
			abort();
	}
	if (r.status != KH_NEW && (r.file == NULL || strcmp(r.file, "kh") !=
	    0 || r.line < 1 || r.line > lines))
		abort();
	if (r.key_type == NULL || r.key_b64 == NULL)
		abort();

	if (strpbrk(name, " \t\r\n") == NULL && name[0] != '\0' &&
	    strpbrk(r.key_type, " \t\r\n") == NULL) {
		memset(salt, 0xa5, sizeof salt);
		salt[0] = (unsigned char)len;
		hashed = knownhosts_hash_name(name, salt);
		extra = xasprintf("%s %s %s\n", hashed, r.key_type, r.key_b64);
		khf_expect_known(text, tlen, extra, name, &blob, r.status);
		free(extra);
		free(hashed);
		if (strpbrk(name, ",*?!|#@") == NULL) {
			extra = xasprintf("%s %s %s\n", name, r.key_type,
			    r.key_b64);
			khf_expect_known(text, tlen, extra, name, &blob,
			    r.status);
			free(extra);
		}
	}
	kh_result_release(&r);
	buf_release(&blob);
	free(name);
	return 0;
}
