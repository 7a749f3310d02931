/*
 * test-layout.c -- profile_detect_under() on the fixture trees of
 * tests/fixtures/layouts (one per layout, and older or stock variants),
 * every field of the detected profile; hostname_read() with a root, down
 * to running /bin/hostname; rcconf_get() on the shell-assignment files
 * detection reads.
 */
#include <sys/stat.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "../../backend/hostname.h"
#include "../../backend/profile.h"
#include "../../backend/rcconf.h"
#include "test.h"

/* The tables as Debian, FreeBSD and OpenBSD keep them: all in /etc/mail. */
#define TABLES_ETC_MAIL							\
	"access = /etc/mail/access\n"					\
	"mailertable = /etc/mail/mailertable\n"				\
	"virtusertable = /etc/mail/virtusertable\n"			\
	"genericstable = /etc/mail/genericstable\n"			\
	"domaintable = /etc/mail/domaintable\n"				\
	"aliases = /etc/mail/aliases\n"					\
	"local_host_names = /etc/mail/local-host-names\n"		\
	"relay_domains = /etc/mail/relay-domains\n"			\
	"trusted_users = /etc/mail/trusted-users\n"
/* RHEL's: the same, but aliases in /etc. */
#define TABLES_RHEL							\
	"access = /etc/mail/access\n"					\
	"mailertable = /etc/mail/mailertable\n"				\
	"virtusertable = /etc/mail/virtusertable\n"			\
	"genericstable = /etc/mail/genericstable\n"			\
	"domaintable = /etc/mail/domaintable\n"				\
	"aliases = /etc/aliases\n"					\
	"local_host_names = /etc/mail/local-host-names\n"		\
	"relay_domains = /etc/mail/relay-domains\n"			\
	"trusted_users = /etc/mail/trusted-users\n"

/* Debian's and RHEL's programs: where configure found them here. */
#define CONFIGURED							\
	"sendmail = " PATH_SENDMAIL "\n"				\
	"makemap = " PATH_MAKEMAP "\n"					\
	"m4 = " PATH_M4 "\n"

#define DEBIAN								\
	"mc = /etc/mail/sendmail.mc\n"					\
	"cf = /etc/mail/sendmail.cf\n"					\
	"submit_mc = /etc/mail/submit.mc\n"				\
	"submit_cf = /etc/mail/submit.cf\n"				\
	"cf_dir = /usr/share/sendmail/cf\n"				\
	CONFIGURED							\
	"pid_file = /run/sendmail/mta/sendmail.pid\n"			\
	"mail_log = /var/log/mail.log\n"				\
	"daemon_label = sm-mta\n"					\
	"queue_dirs = /var/spool/mqueue\n"				\
	"submit_queue_dirs = /var/spool/mqueue-client\n"		\
	"daemon_flags = -bd -q10m\n"					\
	TABLES_ETC_MAIL

#define RHEL								\
	"mc = /etc/mail/sendmail.mc\n"					\
	"cf = /etc/mail/sendmail.cf\n"					\
	"submit_mc = /etc/mail/submit.mc\n"				\
	"submit_cf = /etc/mail/submit.cf\n"				\
	"cf_dir = /usr/share/sendmail-cf\n"				\
	CONFIGURED							\
	"pid_file = /run/sendmail.pid\n"				\
	"mail_log = /var/log/maillog\n"					\
	"daemon_label = sendmail\n"					\
	"queue_dirs = /var/spool/mqueue\n"				\
	"submit_queue_dirs = /var/spool/clientmqueue\n"			\
	"daemon_flags = -bd -q1h\n"					\
	"service_start = /usr/bin/systemctl start sendmail.service "	\
	"sm-client.service\n"						\
	"service_stop = /usr/bin/systemctl stop sendmail.service "	\
	"sm-client.service\n"						\
	TABLES_RHEL

/* FreeBSD's, after the mc lines (which depend on the host's name). */
#define FREEBSD_REST(m4)						\
	"submit_cf = /etc/mail/submit.cf\n"				\
	"cf_dir = /usr/share/sendmail/cf\n"				\
	"sendmail = /usr/sbin/sendmail\n"				\
	"makemap = /usr/sbin/makemap\n"					\
	"m4 = " m4 "\n"							\
	"pid_file = /var/run/sendmail.pid\n"				\
	"mail_log = /var/log/maillog\n"					\
	"daemon_label = sm-mta\n"					\
	"queue_dirs = /var/spool/mqueue\n"				\
	"submit_queue_dirs = /var/spool/clientmqueue\n"			\
	"daemon_flags = -bd -q30m\n"					\
	"service_start = /usr/sbin/service sendmail start\n"		\
	"service_stop = /usr/sbin/service sendmail stop\n"		\
	TABLES_ETC_MAIL

/* OpenBSD's, after the mc and cf (which depend on sendmail_flags). */
#define OPENBSD_REST							\
	"submit_mc = /etc/mail/submit.mc\n"				\
	"submit_cf = /etc/mail/submit.cf\n"				\
	"cf_dir = /usr/local/share/sendmail\n"				\
	"sendmail = /usr/local/libexec/sendmail/sendmail\n"		\
	"makemap = /usr/local/libexec/sendmail/makemap\n"		\
	"m4 = /usr/bin/m4\n"						\
	"pid_file = /var/run/sendmail.pid\n"				\
	"mail_log = /var/log/maillog\n"					\
	"daemon_label = sm-mta\n"					\
	"queue_dirs = /var/spool/mqueue\n"				\
	"submit_queue_dirs = /var/spool/clientmqueue\n"			\
	"daemon_flags = -bd -q30m\n"					\
	"service_start = /usr/sbin/rcctl start sendmail\n"		\
	"service_stop = /usr/sbin/rcctl stop sendmail\n"		\
	TABLES_ETC_MAIL

/*
 * Detect the fixture tree NAME; check the layout, how it was told, and
 * every field (as profile_format writes them, which covers every key).
 */
static void
check_layout(const char *name, enum profile_layout layout, const char *why,
    const char *fields)
{
	struct transport	*t = transport_local_create();
	struct profile		*p;
	struct buf		 out = BUF_INIT;
	char			*root;

	root = xstrdup(test_fixture(name));
	p = profile_detect_under(t, root);
	CHECK(p->layout == layout);
	CHECK_STR(p->origin, profile_layout_name(layout));
	CHECK_STR(p->layout_why, why);
	CHECK(p->root == NULL && p->sandbox == 0 && p->sudo == 0);
	CHECK(p->ns_dir == NULL && p->listen == NULL);
	CHECK(p->backup_keep == PROFILE_BACKUP_KEEP &&
	    p->backup_days == PROFILE_BACKUP_DAYS);
	profile_format(p, &out);
	buf_add(&out, "", 1);
	CHECK_STR(out.data, fields);
	buf_release(&out);
	profile_free(p);
	free(root);
	transport_free(t);
}

TEST(layout_debian_ubuntu)
{
	check_layout("layouts/debian", LAYOUT_DEBIAN,
	    "ID=ubuntu in os-release", DEBIAN);
}

TEST(layout_rhel_alma)
{
	/* ID=almalinux is known by itself; ID_LIKE is not needed. */
	check_layout("layouts/rhel", LAYOUT_RHEL,
	    "ID=almalinux in os-release", RHEL);
}

TEST(layout_rhel_without_os_release)
{
	check_layout("layouts/rhel-old", LAYOUT_RHEL,
	    "/etc/redhat-release exists", RHEL);
}

TEST(layout_freebsd_host_mc)
{
	/* rc.conf names the host; its mc exists; the m4 package is in. */
	check_layout("layouts/freebsd", LAYOUT_FREEBSD,
	    "ID=freebsd in os-release",
	    "mc = /etc/mail/relay.example.org.mc\n"
	    "cf = /etc/mail/sendmail.cf\n"
	    "submit_mc = /etc/mail/relay.example.org.submit.mc\n"
	    FREEBSD_REST("/usr/local/bin/gm4"));
}

TEST(layout_freebsd_stock)
{
	/* No os-release: the Makefile tells; no gw.example.com.mc yet. */
	check_layout("layouts/freebsd-stock", LAYOUT_FREEBSD,
	    "/etc/mail/Makefile is FreeBSD's",
	    "mc = /etc/mail/freebsd.mc\n"
	    "cf = /etc/mail/sendmail.cf\n"
	    "submit_mc = /etc/mail/freebsd.submit.mc\n"
	    FREEBSD_REST("/usr/bin/m4"));
}

TEST(layout_openbsd_flags)
{
	/* sendmail_flags in rc.conf.local names the cf (-C, then a word). */
	check_layout("layouts/openbsd", LAYOUT_OPENBSD,
	    "/etc/myname or the sendmail package's /usr/local/libexec/"
	    "sendmail exists",
	    "mc = /etc/mail/sendmail.mc\n"
	    "cf = /etc/mail/sendmail.cf\n"
	    OPENBSD_REST);
}

TEST(layout_openbsd_stock)
{
	/* The package's rc.d script starts sendmail with localhost.cf. */
	check_layout("layouts/openbsd-stock", LAYOUT_OPENBSD,
	    "/etc/myname or the sendmail package's /usr/local/libexec/"
	    "sendmail exists",
	    "mc = /etc/mail/localhost.mc\n"
	    "cf = /etc/mail/localhost.cf\n"
	    OPENBSD_REST);
}

TEST(layout_nothing_known)
{
	/* An empty tree: Debian's, as smadm always assumed, and it says so. */
	check_layout("layouts/hostname-proc", LAYOUT_DEBIAN,
	    "no sign of any layout; Debian's assumed", DEBIAN);
}

TEST(layout_missing_hints)
{
	struct transport	*t = transport_local_create();
	struct profile		*p;
	struct strv		 miss = STRV_INIT;
	char			*root;
	size_t			 i;
	int			 cf_dir = 0, sendmail = 0;

	/* The profile's paths are the host's: here, OpenBSD's are missing,
	 * and the hints name the package that provides them. */
	root = xstrdup(test_fixture("layouts/openbsd-stock"));
	p = profile_detect_under(t, root);
	profile_missing(p, t, &miss);
	for (i = 0; i < miss.n; i++) {
		if (strcmp(miss.v[i], "cf_dir: /usr/local/share/sendmail/m4/"
		    "cf.m4 missing (pkg_add sendmail)") == 0)
			cf_dir = 1;
		if (strcmp(miss.v[i], "sendmail: /usr/local/libexec/sendmail/"
		    "sendmail does not exist (pkg_add sendmail)") == 0)
			sendmail = 1;
	}
	CHECK(cf_dir);
	CHECK(sendmail);
	strv_release(&miss);
	profile_free(p);
	free(root);
	transport_free(t);
}

static char *
read_name(const char *fixture)
{
	struct transport	*t = transport_local_create();
	char			*root, *name, *cause = NULL;

	root = xstrdup(fixture);
	name = hostname_read(t, root, &cause);
	CHECK(name != NULL && cause == NULL);
	free(cause);
	free(root);
	transport_free(t);
	return name;
}

TEST(hostname_read_each_system)
{
	char	*n;

	/* The kernel's name comes before /etc/hostname. */
	n = read_name(test_fixture("layouts/hostname-proc"));
	CHECK_STR(n, "kernel-name");
	free(n);
	n = read_name(test_fixture("layouts/debian"));
	CHECK_STR(n, "mail1");
	free(n);
	/* OpenBSD: /etc/myname. */
	n = read_name(test_fixture("layouts/openbsd"));
	CHECK_STR(n, "smtp.example.com");
	free(n);
	/* FreeBSD: rc.conf's hostname=, in double quotes. */
	n = read_name(test_fixture("layouts/freebsd"));
	CHECK_STR(n, "relay.example.org");
	free(n);
	/* rc.conf.local overrides rc.conf; single quotes, a comment. */
	n = read_name(test_fixture("layouts/freebsd-stock"));
	CHECK_STR(n, "gw.example.com");
	free(n);
}

TEST(hostname_read_runs_hostname)
{
	char	 want[256], *n;

	/* No file names the host: /bin/hostname, run by the transport. */
	CHECK(gethostname(want, sizeof want) == 0);
	want[sizeof want - 1] = '\0';
	n = read_name(test_tmpdir());
	CHECK_STR(n, want);
	free(n);
}

static char *
get(const char *text, const char *name)
{
	return rcconf_get(text, strlen(text), name, 0);
}

static char *
line(const char *text, const char *name)
{
	return rcconf_get(text, strlen(text), name, 1);
}

TEST(rcconf_get_forms)
{
	char	*v;

	CHECK(get("", "ID") == NULL);
	CHECK(get("ID_LIKE=debian\nVERSION_ID=12\n", "ID") == NULL);
	v = get("ID=debian\n", "ID");
	CHECK_STR(v, "debian");
	free(v);
	v = get("ID_LIKE=\"rhel centos fedora\"\r\n", "ID_LIKE");
	CHECK_STR(v, "rhel centos fedora");
	free(v);
	/* The last assignment wins, as in sh; comments are skipped. */
	v = get("hostname=a\n# hostname=b\n  hostname='c d' # e\n",
	    "hostname");
	CHECK_STR(v, "c d");
	free(v);
	/* A backslash inside double quotes, an unclosed quote, no value. */
	v = get("x=\"a\\\"b\"c", "x");
	CHECK_STR(v, "a\"bc");
	free(v);
	v = get("x='open", "x");
	CHECK_STR(v, "open");
	free(v);
	v = get("x=", "x");
	CHECK_STR(v, "");
	free(v);
	/* A longer name that starts the same is another variable. */
	CHECK(get("hostname_x=1\nhostnam=2\n", "hostname") == NULL);
	/* OpenBSD's rc.conf.local: an unquoted value runs to the line's
	 * end or a #; a quoted one is read as sh would. */
	v = line("f=-L sm-mta  -bd\t# x\n", "f");
	CHECK_STR(v, "-L sm-mta  -bd");
	free(v);
	v = line("f=\"-bd -q1h\" rest\n", "f");
	CHECK_STR(v, "-bd -q1h");
	free(v);
}

/* Write ROOT/PATH with text, making its directories. */
static void
put(const char *root, const char *path, const char *text)
{
	char	*f, *slash;
	FILE	*fp;

	f = xasprintf("%s%s", root, path);
	for (slash = strchr(f + strlen(root) + 1, '/'); slash != NULL;
	    slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		(void)mkdir(f, 0755);
		*slash = '/';
	}
	if ((fp = fopen(f, "w")) == NULL)
		util_fatal("cannot write %s", f);
	fputs(text, fp);
	fclose(fp);
	free(f);
}

TEST(layout_hostile_files)
{
	struct transport	*t = transport_local_create();
	struct profile		*p;
	const char		*root = test_tmpdir();
	char			*f, *big;
	size_t			 n = 1 << 17;

	/* A host name that would lead the mc out of /etc/mail is not used
	 * for a file name: the stock freebsd.mc is taken instead. */
	put(root, "/etc/os-release", "ID=freebsd\n");
	put(root, "/etc/rc.conf", "hostname=\"../../tmp/x\"\n");
	put(root, "/etc/mail/../../tmp/x.mc", "x\n");
	p = profile_detect_under(t, root);
	CHECK(p->layout == LAYOUT_FREEBSD);
	CHECK_STR(p->mc, "/etc/mail/freebsd.mc");
	CHECK_STR(p->submit_mc, "/etc/mail/freebsd.submit.mc");
	profile_free(p);

	/* An os-release that is a FIFO nobody writes: skipped, no hang. */
	f = xasprintf("%s/etc/os-release", root);
	CHECK(unlink(f) == 0 && mkfifo(f, 0644) == 0);
	put(root, "/etc/redhat-release", "Fedora release 40\n");
	p = profile_detect_under(t, root);
	CHECK(p->layout == LAYOUT_RHEL);
	CHECK_STR(p->layout_why, "/etc/redhat-release exists");
	profile_free(p);

	/* One too large to be os-release: skipped as well. */
	CHECK(unlink(f) == 0);
	big = xmalloc(n + 1);
	memset(big, 'x', n);
	memcpy(big, "ID=openbsd\n", 11);
	big[n] = '\0';
	put(root, "/etc/os-release", big);
	p = profile_detect_under(t, root);
	CHECK(p->layout == LAYOUT_RHEL);
	profile_free(p);
	free(big);
	free(f);
	transport_free(t);
}
