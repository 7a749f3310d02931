/*
 * test-knownhosts.c -- the known_hosts reader (backend/ssh-knownhosts.c)
 * against files that OpenSSH's ssh-keygen made: hashed names from
 * "ssh-keygen -H", keys and host certificates from "ssh-keygen -s", and
 * hashed lines of ours that "ssh-keygen -F" must find.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test.h"
#include "../../backend/ssh-knownhosts.h"

#define KEYGEN	"/usr/bin/ssh-keygen"

/* Run argv (absolute path) quietly; its exit status, or -1. */
static int
kt_run(const char *const *argv)
{
	pid_t	pid;
	int	status, fd;

	if ((pid = fork()) == 0) {
		if ((fd = open("/dev/null", O_RDWR)) >= 0) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static void
kt_write(const char *path, const char *text)
{
	FILE	*f;

	if ((f = fopen(path, "w")) == NULL)
		util_fatal("cannot write %s", path);
	fputs(text, f);
	fclose(f);
}

static void
kt_read(const char *path, struct buf *b)
{
	FILE	*f;
	char	 tmp[4096];
	size_t	 n;

	buf_reset(b);
	if ((f = fopen(path, "r")) == NULL)
		return;
	while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
		buf_add(b, tmp, n);
	fclose(f);
}

/* A new ed25519 key at dir/name; its "type base64" public part. */
static char *
kt_keygen(const char *dir, const char *name)
{
	struct buf	 b = BUF_INIT;
	char		*path, *r, *sp;
	const char	*argv[] = { KEYGEN, "-q", "-t", "ed25519", "-N", "",
	    "-C", "", "-f", NULL, NULL };

	path = xasprintf("%s/%s", dir, name);
	argv[9] = path;
	if (kt_run(argv) != 0)
		util_fatal("ssh-keygen failed");
	free(path);
	path = xasprintf("%s/%s.pub", dir, name);
	kt_read(path, &b);
	free(path);
	buf_rtrim(&b);
	/* "type b64 comment": keep the first two words. */
	if ((sp = strchr(b.data, ' ')) != NULL &&
	    (sp = strchr(sp + 1, ' ')) != NULL)
		*sp = '\0';
	r = xstrdup(b.data);
	buf_release(&b);
	return r;
}

/* The wire blob of a "type base64" key. */
static void
kt_blob(const char *key, struct buf *blob)
{
	const char	*b64 = strchr(key, ' ') + 1;

	buf_reset(blob);
	if (knownhosts_b64_decode(b64, strcspn(b64, " \n"), blob) != 0)
		util_fatal("bad base64 in test key");
}

static enum kh_status
kt_check(const char *text, const char *name, const char *key,
    struct kh_result *r)
{
	struct buf	 blob = BUF_INIT;
	char		*cause = NULL;

	kt_blob(key, &blob);
	kh_result_release(r);
	if (knownhosts_check_text("kh", text, strlen(text), name,
	    (unsigned char *)blob.data, blob.len, r, &cause) != 0)
		util_fatal("check failed: %s", cause);
	buf_release(&blob);
	return r->status;
}

static void
kt_hex(const unsigned char *p, size_t n, char *out)
{
	size_t	i;

	for (i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", p[i]);
}

TEST(knownhosts_sha1_vectors)
{
	unsigned char	 mac[20], key[80];
	char		 hex[41];

	knownhosts_sha1((const unsigned char *)"abc", 3, mac);
	kt_hex(mac, 20, hex);
	CHECK_STR(hex, "a9993e364706816aba3e25717850c26c9cd0d89d");
	knownhosts_sha1((const unsigned char *)"abcdbcdecdefdefgefghfghighijhijk"
	    "ijkljklmklmnlmnomnopnopq", 56, mac);
	kt_hex(mac, 20, hex);
	CHECK_STR(hex, "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
	/* RFC 2202 test cases 1 and 6. */
	memset(key, 0x0b, 20);
	knownhosts_hmac_sha1(key, 20, (const unsigned char *)"Hi There", 8,
	    mac);
	kt_hex(mac, 20, hex);
	CHECK_STR(hex, "b617318655057264e28bc0b6fb378c8ef146be00");
	memset(key, 0xaa, 80);
	knownhosts_hmac_sha1(key, 80, (const unsigned char *)"Test Using "
	    "Larger Than Block-Size Key - Hash Key First", 54, mac);
	kt_hex(mac, 20, hex);
	CHECK_STR(hex, "aa4ae5e15272d00e95705637ce8a3b55ed402112");
}

TEST(knownhosts_base64)
{
	struct buf	 b = BUF_INIT;
	char		*e;

	e = knownhosts_b64_encode((const unsigned char *)"foobar", 6);
	CHECK_STR(e, "Zm9vYmFy");
	free(e);
	e = knownhosts_b64_encode((const unsigned char *)"fooba", 5);
	CHECK_STR(e, "Zm9vYmE=");
	CHECK(knownhosts_b64_decode(e, strlen(e), &b) == 0);
	CHECK_STR(b.data, "fooba");
	free(e);
	buf_reset(&b);
	CHECK(knownhosts_b64_decode("Zg==", 4, &b) == 0 && b.len == 1);
	CHECK(knownhosts_b64_decode("Z", 1, &b) == -1);
	CHECK(knownhosts_b64_decode("Zg=a", 4, &b) == -1);
	CHECK(knownhosts_b64_decode("Z!==", 4, &b) == -1);
	buf_release(&b);
}

TEST(knownhosts_patterns)
{
	CHECK(knownhosts_match_hosts("mail.example.com", "mail.example.com")
	    == 1);
	CHECK(knownhosts_match_hosts("MAIL.Example.COM", "mail.example.com")
	    == 1);
	CHECK(knownhosts_match_hosts("*.example.com", "mail.example.com")
	    == 1);
	CHECK(knownhosts_match_hosts("*.example.com", "example.com") == 0);
	CHECK(knownhosts_match_hosts("mail?.example.com",
	    "mail1.example.com") == 1);
	CHECK(knownhosts_match_hosts("mail?.example.com",
	    "mail.example.com") == 0);
	CHECK(knownhosts_match_hosts("a,b,*.example.com,c",
	    "x.example.com") == 1);
	CHECK(knownhosts_match_hosts("*.example.com,!bad.example.com",
	    "bad.example.com") == -1);
	CHECK(knownhosts_match_hosts("!bad.example.com", "x.example.com")
	    == 0);
	CHECK(knownhosts_match_hosts("[10.0.0.1]:2222", "[10.0.0.1]:2222")
	    == 1);
	CHECK(knownhosts_match_hosts("10.0.0.1", "[10.0.0.1]:2222") == 0);
	CHECK(knownhosts_match_hosts("[10.0.0.1]:*", "[10.0.0.1]:2222")
	    == 1);
	CHECK(knownhosts_match_hosts("*a*a*a*a*a*a*a*a*a*a*b",
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa") == 0);
	CHECK(knownhosts_match_hosts("", "x") == 0);
}

TEST(knownhosts_name_form)
{
	char	*n;

	n = knownhosts_name("Mail.Example.com", 22);
	CHECK_STR(n, "mail.example.com");
	free(n);
	n = knownhosts_name("127.0.0.1", 2222);
	CHECK_STR(n, "[127.0.0.1]:2222");
	free(n);
	n = knownhosts_name("::1", 2222);
	CHECK_STR(n, "[::1]:2222");
	free(n);
}

/* Names hashed by ssh-keygen -H are found; ours are found by -F. */
TEST(knownhosts_hashed_by_ssh_keygen)
{
	struct kh_result r;
	struct buf	 text = BUF_INIT;
	const char	*dir = test_tmpdir();
	char		*key, *other, *kh, *line, *hashed;
	const char	*hargv[] = { KEYGEN, "-H", "-f", NULL, NULL };
	const char	*fargv[] = { KEYGEN, "-F", NULL, "-f", NULL, NULL };
	unsigned char	 salt[20];

	memset(&r, 0, sizeof r);
	key = kt_keygen(dir, "host");
	other = kt_keygen(dir, "other");
	kh = xasprintf("%s/known_hosts", dir);
	line = xasprintf("mail.example.com,10.0.0.1 %s\n"
	    "[127.0.0.1]:2222 %s\n", key, key);
	kt_write(kh, line);
	hargv[3] = kh;
	CHECK(kt_run(hargv) == 0);
	kt_read(kh, &text);
	CHECK(strstr(text.data, "mail.example.com") == NULL);
	CHECK(strncmp(text.data, "|1|", 3) == 0);
	CHECK(kt_check(text.data, "mail.example.com", key, &r) == KH_MATCH);
	CHECK(r.line == 1);
	CHECK(kt_check(text.data, "10.0.0.1", key, &r) == KH_MATCH);
	CHECK(r.line == 2);
	CHECK(kt_check(text.data, "[127.0.0.1]:2222", key, &r) == KH_MATCH);
	CHECK(r.line == 3);
	CHECK(kt_check(text.data, "127.0.0.1", key, &r) == KH_NEW);
	CHECK(kt_check(text.data, "mail.example.org", key, &r) == KH_NEW);
	CHECK(kt_check(text.data, "mail.example.com", other, &r) ==
	    KH_CHANGED);
	CHECK(r.line == 1);

	/* Our hashing, checked by OpenSSH's own lookup. */
	memset(salt, 0x5a, sizeof salt);
	hashed = knownhosts_hash_name("[127.0.0.1]:2200", salt);
	free(line);
	line = xasprintf("%s %s\n", hashed, key);
	kt_write(kh, line);
	fargv[2] = "[127.0.0.1]:2200";
	fargv[4] = kh;
	CHECK(kt_run(fargv) == 0);
	fargv[2] = "[127.0.0.1]:2201";
	CHECK(kt_run(fargv) == 1);
	CHECK(kt_check(line, "[127.0.0.1]:2200", key, &r) == KH_MATCH);
	free(hashed);
	kh_result_release(&r);
	buf_release(&text);
	free(line);
	free(kh);
	free(key);
	free(other);
}

/* What decides: revoked, match, changed, CA only, new. */
TEST(knownhosts_decisions)
{
	struct kh_result r;
	const char	*dir = test_tmpdir();
	char		*key, *other, *ca, *t;

	memset(&r, 0, sizeof r);
	key = kt_keygen(dir, "host");
	other = kt_keygen(dir, "other");
	ca = kt_keygen(dir, "ca");

	/* Revoked beats a plain match, in any order, for any host name. */
	t = xasprintf("# comment\n\nmail.example.com %s\n"
	    "@revoked * %s\n", key, key);
	CHECK(kt_check(t, "mail.example.com", key, &r) == KH_REVOKED);
	CHECK(r.line == 4);
	CHECK_STR(r.file, "kh");
	free(t);
	t = xasprintf("@revoked other.example.org %s\nmail.example.com %s\n",
	    key, key);
	CHECK(kt_check(t, "mail.example.com", key, &r) == KH_REVOKED);
	CHECK(r.line == 1);
	CHECK(kt_check(t, "mail.example.com", other, &r) == KH_CHANGED);
	CHECK(r.line == 2);
	free(t);

	/* A match anywhere beats another key elsewhere. */
	t = xasprintf("mail.example.com %s\n*.example.com %s\n", other, key);
	CHECK(kt_check(t, "mail.example.com", key, &r) == KH_MATCH);
	CHECK(r.line == 2);
	free(t);
	t = xasprintf("x.example.com %s\n  *.example.com,!bad.example.com "
	    "%s comment here\n", key, other);
	CHECK(kt_check(t, "mail.example.com", key, &r) == KH_CHANGED);
	CHECK(r.line == 2);
	CHECK(kt_check(t, "bad.example.com", key, &r) == KH_NEW);
	free(t);

	/* @cert-authority alone: the host is vouched for by a CA only. */
	t = xasprintf("@cert-authority *.example.com %s\n", ca);
	CHECK(kt_check(t, "mail.example.com", key, &r) == KH_CA_ONLY);
	CHECK(r.line == 1 && r.cert == 0);
	CHECK(kt_check(t, "mail.example.org", key, &r) == KH_NEW);
	free(t);
	t = xasprintf("@cert-authority *.example.com %s\nmail.example.com "
	    "%s\n", ca, key);
	CHECK(kt_check(t, "mail.example.com", key, &r) == KH_MATCH);
	free(t);

	/* Malformed lines are skipped and reported; the rest still counts. */
	t = xasprintf("@bogus x %s\nmail.example.com ssh-ed25519 !!!\n"
	    "mail.example.com ssh-rsa %s\nmail.example.com\n"
	    "mail.example.com %s\n", key, strchr(key, ' ') + 1, key);
	CHECK(kt_check(t, "mail.example.com", key, &r) == KH_MATCH);
	CHECK(r.line == 5);
	CHECK(r.bad != NULL && strncmp(r.bad, "kh:1: unknown marker", 20)
	    == 0);
	free(t);
	kh_result_release(&r);
	free(key);
	free(other);
	free(ca);
}

/* A host certificate counts by the key inside it. */
TEST(knownhosts_certificate)
{
	struct kh_result r;
	struct buf	 cert = BUF_INIT;
	const char	*dir = test_tmpdir();
	char		*key, *ca, *t, *pub, *certfile, *sp;
	const char	*argv[] = { KEYGEN, "-q", "-s", NULL, "-h", "-I",
	    "test", "-n", "mail.example.com", NULL, NULL };

	memset(&r, 0, sizeof r);
	key = kt_keygen(dir, "host");
	ca = kt_keygen(dir, "ca");
	argv[3] = t = xasprintf("%s/ca", dir);
	argv[9] = pub = xasprintf("%s/host.pub", dir);
	CHECK(kt_run(argv) == 0);
	certfile = xasprintf("%s/host-cert.pub", dir);
	kt_read(certfile, &cert);
	CHECK(strncmp(cert.data, "ssh-ed25519-cert-v01@openssh.com ", 33)
	    == 0);
	if ((sp = strchr(cert.data + 33, ' ')) != NULL)
		*sp = '\0';
	free(t);

	t = xasprintf("mail.example.com %s\n", key);
	CHECK(kt_check(t, "mail.example.com", cert.data, &r) == KH_MATCH);
	CHECK(r.cert == 1);
	CHECK_STR(r.key_type, "ssh-ed25519");
	CHECK_STR(r.key_b64, strchr(key, ' ') + 1);
	free(t);
	t = xasprintf("@cert-authority *.example.com %s\n", ca);
	CHECK(kt_check(t, "mail.example.com", cert.data, &r) == KH_CA_ONLY);
	CHECK(r.cert == 1);
	free(t);
	t = xasprintf("@revoked * %s\nmail.example.com %s\n", key, key);
	CHECK(kt_check(t, "mail.example.com", cert.data, &r) == KH_REVOKED);
	free(t);
	CHECK(kt_check("", "mail.example.com", cert.data, &r) == KH_NEW);
	CHECK(r.cert == 1);
	kh_result_release(&r);
	buf_release(&cert);
	free(certfile);
	free(pub);
	free(key);
	free(ca);
}

TEST(knownhosts_config)
{
	struct kh_config cfg;
	const char	*dir = test_tmpdir();
	char		*user, *sys, *inc, *text, *cause = NULL;

	user = xasprintf("%s/config", dir);
	sys = xasprintf("%s/ssh_config", dir);
	inc = xasprintf("%s/inc.conf", dir);
	text = xasprintf("Host\n\tHashKnownHosts no\nHost other\n"
	    "\tHashKnownHosts no\n"
	    "Host mail* !mailbad\n"
	    "\tUserKnownHostsFile ~/kh1 \"%%d/kh 2\" none\n"
	    "\tInclude %s\n"
	    "Match host foo\n\tHashKnownHosts no\n", inc);
	kt_write(user, text);
	kt_write(inc, "GlobalKnownHostsFile=/etc/g1 /etc/g2\n");
	kt_write(sys, "Host *\n  HashKnownHosts yes\n"
	    "  UserKnownHostsFile /never\n");
	CHECK(knownhosts_config_read("/home/u", user, sys, "MAIL1", &cfg,
	    &cause) == 0);
	CHECK(cfg.hash == 1);
	CHECK(cfg.user_files.n == 2);
	CHECK(cfg.user_files.n == 2 &&
	    strcmp(cfg.user_files.v[0], "/home/u/kh1") == 0 &&
	    strcmp(cfg.user_files.v[1], "/home/u/kh 2") == 0);
	CHECK(cfg.global_files.n == 2 &&
	    strcmp(cfg.global_files.v[1], "/etc/g2") == 0);
	kh_config_release(&cfg);
	CHECK(knownhosts_config_read("/home/u", user, sys, "mailbad", &cfg,
	    &cause) == 0);
	CHECK(cfg.user_files.n == 1 &&
	    strcmp(cfg.user_files.v[0], "/never") == 0);
	CHECK(cfg.global_files.n == 2 && strcmp(cfg.global_files.v[0],
	    "/etc/ssh/ssh_known_hosts") == 0);
	kh_config_release(&cfg);
	CHECK(knownhosts_config_read("/home/u", user, NULL, "other", &cfg,
	    &cause) == 0);
	CHECK(cfg.hash == 0);
	CHECK(cfg.user_files.n == 2 && strcmp(cfg.user_files.v[1],
	    "/home/u/.ssh/known_hosts2") == 0);
	kh_config_release(&cfg);
	free(text);
	free(user);
	free(sys);
	free(inc);
}

TEST(knownhosts_add)
{
	struct kh_result r;
	struct buf	 text = BUF_INIT;
	struct stat	 st;
	const char	*dir = test_tmpdir();
	char		*key, *kh, *cause = NULL, *b64;
	const char	*fargv[] = { KEYGEN, "-F", "mail.example.com", "-f",
	    NULL, NULL };

	memset(&r, 0, sizeof r);
	key = kt_keygen(dir, "host");
	b64 = strchr(key, ' ') + 1;
	kh = xasprintf("%s/newdir/known_hosts", dir);
	CHECK(knownhosts_add(kh, "mail.example.com", "ssh-ed25519", b64, 1,
	    &cause) == 0);
	CHECK(stat(kh, &st) == 0 && (st.st_mode & 0777) == 0600);
	*strrchr(kh, '/') = '\0';
	CHECK(stat(kh, &st) == 0 && (st.st_mode & 0777) == 0700);
	kh[strlen(kh)] = '/';
	kt_read(kh, &text);
	CHECK(strncmp(text.data, "|1|", 3) == 0);
	fargv[4] = kh;
	CHECK(kt_run(fargv) == 0);
	CHECK(kt_check(text.data, "mail.example.com", key, &r) == KH_MATCH);

	/* Plain, after a last line without its newline. */
	kt_write(kh, "# no newline");
	CHECK(knownhosts_add(kh, "[127.0.0.1]:2222", "ssh-ed25519", b64, 0,
	    &cause) == 0);
	kt_read(kh, &text);
	CHECK(strncmp(text.data, "# no newline\n[127.0.0.1]:2222 "
	    "ssh-ed25519 ", 42) == 0);
	CHECK(kt_check(text.data, "[127.0.0.1]:2222", key, &r) == KH_MATCH);
	CHECK(knownhosts_add(kh, "a b", "ssh-ed25519", b64, 0, &cause) == -1);
	free(cause);
	kh_result_release(&r);
	buf_release(&text);
	free(kh);
	free(key);
}

/* HostKeyAlias: the name looked up and written, as written, lower case. */
TEST(knownhosts_config_alias)
{
	struct kh_config cfg;
	const char	*dir = test_tmpdir();
	char		*user, *name, *cause = NULL;

	user = xasprintf("%s/config-alias", dir);
	kt_write(user, "Host nick\n\tHostName 127.0.0.1\n\tPort 2222\n"
	    "\tHostKeyAlias MyAlias\nHost *\n\tHostKeyAlias second\n");
	CHECK(knownhosts_config_read("/home/u", user, NULL, "nick", &cfg,
	    &cause) == 0);
	CHECK(cfg.alias != NULL && strcmp(cfg.alias, "myalias") == 0);
	name = knownhosts_config_name(&cfg, "127.0.0.1", 2222);
	CHECK_STR(name, "myalias");
	free(name);
	kh_config_release(&cfg);
	CHECK(knownhosts_config_read("/home/u", user, NULL, "other", &cfg,
	    &cause) == 0);
	CHECK(cfg.alias != NULL && strcmp(cfg.alias, "second") == 0);
	kh_config_release(&cfg);
	kt_write(user, "Host nick\n\tPort 2222\n");
	CHECK(knownhosts_config_read("/home/u", user, NULL, "nick", &cfg,
	    &cause) == 0);
	CHECK(cfg.alias == NULL);
	name = knownhosts_config_name(&cfg, "127.0.0.1", 2222);
	CHECK_STR(name, "[127.0.0.1]:2222");
	free(name);
	kh_config_release(&cfg);
	free(user);
}

/*
 * Match host (against the HostName set so far, %h expanded, else the
 * name as given), Match originalhost, "!" and several criteria; a block
 * with a criterion smadm cannot judge is not applied.
 */
TEST(knownhosts_config_match)
{
	struct kh_config cfg;
	const char	*dir = test_tmpdir();
	char		*user, *cause = NULL;

	user = xasprintf("%s/config-match", dir);
	kt_write(user, "Host nick\n\tHostName %h.example.org\n"
	    "Match host *.example.org originalhost nick\n"
	    "\tHostKeyAlias viamatch\n\tHashKnownHosts yes\n"
	    "Match host nick\n\tUserKnownHostsFile /not-this\n"
	    "Match !host nomatch,other user root\n"
	    "\tUserKnownHostsFile /unjudged\n"
	    "Match !originalhost elsewhere\n"
	    "\tGlobalKnownHostsFile /g\n");
	CHECK(knownhosts_config_read("/home/u", user, NULL, "NICK", &cfg,
	    &cause) == 0);
	CHECK(cfg.alias != NULL && strcmp(cfg.alias, "viamatch") == 0);
	CHECK(cfg.hash == 1);
	CHECK(cfg.user_files.n == 2 && strcmp(cfg.user_files.v[0],
	    "/home/u/.ssh/known_hosts") == 0);
	CHECK(cfg.global_files.n == 1 &&
	    strcmp(cfg.global_files.v[0], "/g") == 0);
	kh_config_release(&cfg);
	/* No HostName: Match host sees the name as given. */
	CHECK(knownhosts_config_read("/home/u", user, NULL, "other", &cfg,
	    &cause) == 0);
	CHECK(cfg.alias == NULL && cfg.hash == 0);
	CHECK(cfg.user_files.n == 2);
	kh_config_release(&cfg);
	kt_write(user, "Match host\n\tHostKeyAlias x\n");
	CHECK(knownhosts_config_read("/home/u", user, NULL, "nick", &cfg,
	    &cause) == 0);
	CHECK(cfg.alias == NULL);
	kh_config_release(&cfg);
	kt_write(user, "Match host nick\n\tHostKeyAlias x\n");
	CHECK(knownhosts_config_read("/home/u", user, NULL, "nick", &cfg,
	    &cause) == 0);
	CHECK(cfg.alias != NULL && strcmp(cfg.alias, "x") == 0);
	kh_config_release(&cfg);
	free(user);
}

/* A known_hosts file that exists must be a regular file (after links). */
TEST(knownhosts_files_check)
{
	struct kh_config cfg;
	const char	*dir = test_tmpdir();
	char		*reg, *link, *fifo, *cause = NULL;

	reg = xasprintf("%s/kh-regular", dir);
	link = xasprintf("%s/kh-link", dir);
	fifo = xasprintf("%s/kh-fifo", dir);
	kt_write(reg, "");
	unlink(link);
	unlink(fifo);
	CHECK(symlink(reg, link) == 0);
	CHECK(mkfifo(fifo, 0600) == 0);
	memset(&cfg, 0, sizeof cfg);
	strv_init(&cfg.user_files);
	strv_init(&cfg.global_files);
	strv_pushf(&cfg.user_files, "%s/missing", dir);
	strv_push(&cfg.user_files, link);
	strv_push(&cfg.global_files, reg);
	CHECK(knownhosts_config_files_check(&cfg, &cause) == 0);
	strv_push(&cfg.global_files, fifo);
	CHECK(knownhosts_config_files_check(&cfg, &cause) == -1);
	CHECK(cause != NULL && strstr(cause, fifo) != NULL &&
	    strstr(cause, "not a regular file") != NULL &&
	    strstr(cause, "GlobalKnownHostsFile") != NULL);
	free(cause);
	cause = NULL;
	/* A link to a FIFO is a FIFO. */
	unlink(link);
	CHECK(symlink(fifo, link) == 0);
	CHECK(knownhosts_config_files_check(&cfg, &cause) == -1);
	CHECK(cause != NULL && strstr(cause, link) != NULL &&
	    strstr(cause, "UserKnownHostsFile") != NULL);
	free(cause);
	kh_config_release(&cfg);
	free(reg);
	free(link);
	free(fifo);
}

/* The keys known_hosts expects for a name: plain and hashed, no markers. */
TEST(knownhosts_keys_for_name)
{
	struct kh_config cfg;
	struct buf	 out = BUF_INIT;
	const char	*dir = test_tmpdir();
	char		*a, *b, *c, *f1, *f2, *text, *want, *hashed;
	char		*cause = NULL;
	unsigned char	 salt[20];

	a = kt_keygen(dir, "keys-a");
	b = kt_keygen(dir, "keys-b");
	c = kt_keygen(dir, "keys-c");
	f1 = xasprintf("%s/keys-kh1", dir);
	f2 = xasprintf("%s/keys-kh2", dir);
	memset(salt, 7, sizeof salt);
	hashed = knownhosts_hash_name("myalias", salt);
	text = xasprintf("other %s\nmyalias,x %s\n@revoked myalias %s\n"
	    "@cert-authority myalias %s\n", c, a, c, c);
	kt_write(f1, text);
	free(text);
	text = xasprintf("%s %s\n", hashed, b);
	kt_write(f2, text);
	memset(&cfg, 0, sizeof cfg);
	strv_init(&cfg.user_files);
	strv_init(&cfg.global_files);
	strv_push(&cfg.user_files, f1);
	strv_pushf(&cfg.user_files, "%s/keys-missing", dir);
	strv_push(&cfg.global_files, f2);
	CHECK(knownhosts_keys(&cfg, "myalias", &out, &cause) == 0);
	want = xasprintf("%s\n%s\n", a, b);
	CHECK_STR(out.data, want);
	free(want);
	buf_reset(&out);
	CHECK(knownhosts_keys(&cfg, "nobody", &out, &cause) == 0);
	CHECK(out.len == 0);
	kh_config_release(&cfg);
	buf_release(&out);
	free(text);
	free(hashed);
	free(a);
	free(b);
	free(c);
	free(f1);
	free(f2);
}

/* UserKnownHostsFile tokens, expanded once the whole config is read. */
TEST(knownhosts_config_tokens)
{
	struct kh_config cfg;
	const char	*dir = test_tmpdir();
	char		*user, *want, *cause = NULL;

	user = xasprintf("%s/config-tokens", dir);
	kt_write(user, "Host nick\n\tUserKnownHostsFile ~/kh/%k %d/%h-%n "
	    "/x/%i%%\n\tHostName Real.Example\n\tHostKeyAlias Pin\n");
	CHECK(knownhosts_config_read("/home/u", user, NULL, "nick", &cfg,
	    &cause) == 0);
	CHECK(cfg.user_files.n == 3);
	if (cfg.user_files.n == 3) {
		CHECK_STR(cfg.user_files.v[0], "/home/u/kh/pin");
		CHECK_STR(cfg.user_files.v[1], "/home/u/real.example-nick");
		want = xasprintf("/x/%u%%", (unsigned int)getuid());
		CHECK_STR(cfg.user_files.v[2], want);
		free(want);
	}
	kh_config_release(&cfg);
	/* Without an alias %k is the host as given. */
	kt_write(user, "Host *\n\tUserKnownHostsFile ~/kh/%k\n");
	CHECK(knownhosts_config_read("/home/u", user, NULL, "Nick", &cfg,
	    &cause) == 0);
	CHECK(cfg.user_files.n == 1 &&
	    strcmp(cfg.user_files.v[0], "/home/u/kh/nick") == 0);
	kh_config_release(&cfg);
	/* A token smadm cannot know is an error naming file and line. */
	kt_write(user, "# c\nHost *\n\tUserKnownHostsFile ~/kh/%p\n");
	CHECK(knownhosts_config_read("/home/u", user, NULL, "nick", &cfg,
	    &cause) == -1);
	want = xasprintf("%s:3: UserKnownHostsFile \"~/kh/%%p\": smadm "
	    "cannot expand %%p", user);
	CHECK(cause != NULL && strncmp(cause, want, strlen(want)) == 0);
	free(want);
	free(cause);
	cause = NULL;
	kt_write(user, "UserKnownHostsFile /kh%\n");
	CHECK(knownhosts_config_read("/home/u", user, NULL, "nick", &cfg,
	    &cause) == -1);
	CHECK(cause != NULL && strstr(cause, "a % at the end") != NULL);
	free(cause);
	free(user);
}
