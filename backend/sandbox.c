/*
 * sandbox.c -- create, destroy and deliver into a smadm sandbox (see
 * sandbox.h).
 *
 * Creation renders smadm's templates (templates/sandbox.mc.in and the seed
 * tables in templates/sandbox/) with the sandbox's values, generates
 * sendmail.cf with m4 and has the real sendmail check it, builds the maps
 * as "smadm map build" does, and writes smadm.conf last: a
 * directory with a smadm.conf saying "sandbox = yes" is a finished sandbox.
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cf-m4.h"
#include "config.h"
#include "daemon.h"
#include "../db/mapbuild.h"
#include "trust.h"
#include "ns.h"
#include "sandbox.h"

/* The seed tables: templates/sandbox/NAME becomes DIR/etc/NAME. */
static const char *const sandbox_seeds[] = {
	"access", "mailertable", "virtusertable", "genericstable",
	"domaintable", "aliases", "local-host-names", "relay-domains",
	"trusted-users", "service.switch"
};

/* The tables that have a database (aliases: as sendmail -bi builds it). */
static const char *const sandbox_maps[] = {
	"access", "mailertable", "virtusertable", "genericstable",
	"domaintable", "aliases"
};

/* Directories under DIR and their modes, in creation order. */
static const struct {
	const char	*name;
	mode_t		 mode;
} sandbox_dirs[] = {
	{ "etc", 0755 },
	{ "queue", 0700 },
	{ "clientmqueue", 0700 },
	{ "run", 0755 },
	{ "log", 0755 },
	{ "lib", 0755 },
	{ "mailbox", 0755 },
	{ "ns", 0755 },
};

struct sandbox_vars {
	const char	*name;
	char		*value;
};

/*
 * The sandbox's path ends up in sendmail.cf, in mailer argument lists and
 * in m4 quotes: keep it to characters that mean nothing to any of them.
 */
static int
sandbox_check_dir(const char *dir, char **cause)
{
	const char	*p;

	if (dir[0] != '/') {
		*cause = xasprintf("%s: the sandbox path must be absolute", dir);
		return -1;
	}
	if (strcmp(dir, "/") == 0) {
		*cause = xstrdup("refusing to use / as a sandbox");
		return -1;
	}
	for (p = dir; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("/._+-", *p) != NULL)
			continue;
		*cause = xasprintf("%s: a sandbox path may only hold letters, "
		    "digits and \"/._+-\" (it goes into sendmail.cf)", dir);
		return -1;
	}
	return 0;
}

/* Replace @NAME@ placeholders; an unknown one is an error. */
static int
sandbox_subst(const char *file, const char *text, size_t len,
    const struct sandbox_vars *vars, size_t nvars, struct buf *out,
    char **cause)
{
	const char	*p = text, *end = text + len, *q;
	size_t		 i, n, line = 1;

	while (p < end) {
		if (*p == '\n')
			line++;
		if (*p != '@') {
			buf_addch(out, *p++);
			continue;
		}
		for (q = p + 1; q < end && ((*q >= 'A' && *q <= 'Z') ||
		    *q == '_'); q++)
			;
		if (q == p + 1 || q >= end || *q != '@') {
			buf_addch(out, *p++);
			continue;
		}
		n = (size_t)(q - p - 1);
		for (i = 0; i < nvars; i++) {
			if (strlen(vars[i].name) == n &&
			    strncmp(vars[i].name, p + 1, n) == 0)
				break;
		}
		if (i == nvars) {
			*cause = xasprintf("%s:%zu: unknown placeholder @%.*s@",
			    file, line, (int)n, p + 1);
			return -1;
		}
		buf_addstr(out, vars[i].value);
		p = q + 1;
	}
	return 0;
}

/* Render template NAME into PATH (written through t). */
static int
sandbox_render(struct transport *local, struct transport *t,
    const char *templates, const char *name, const char *path, mode_t mode,
    const struct sandbox_vars *vars, size_t nvars, char **cause)
{
	struct write_opts	 wo;
	struct buf		 text = BUF_INIT, out = BUF_INIT;
	char			*file;
	int			 rc = -1;

	file = xasprintf("%s/%s", templates, name);
	if (transport_read_file(local, file, &text, 1 << 20, cause) != 0)
		goto out;
	if (sandbox_subst(file, text.data, text.len, vars, nvars, &out,
	    cause) != 0)
		goto out;
	write_opts_init(&wo);
	wo.mode = mode;
	wo.keep_mode = 0;
	rc = transport_write_file(t, path, out.data, out.len, &wo, cause);
out:
	buf_release(&text);
	buf_release(&out);
	free(file);
	return rc;
}

static int
sandbox_write(struct transport *t, const char *path, const char *text,
    mode_t mode, char **cause)
{
	struct write_opts	wo;

	write_opts_init(&wo);
	wo.mode = mode;
	wo.keep_mode = 0;
	return transport_write_file(t, path, text, strlen(text), &wo, cause);
}

/*
 * The cf made and checked as apply makes it (cf-m4.h), staged as
 * sendmail.cf.smadm-new and checked by sendmail in the namespace; only a
 * cf that sendmail accepts replaces etc/sendmail.cf.
 */
static int
sandbox_make_cf(struct transport *t, const char *dir, const char *ns_dir,
    struct buf *report, char **cause)
{
	struct write_opts	 wo;
	struct buf		 text = BUF_INIT, warned = BUF_INIT;
	char			*mc, *cf, *tmp;
	const char		*p;
	size_t			 lines = 0;
	int			 rc = -1;

	mc = xasprintf("%s/etc/sendmail.mc", dir);
	cf = xasprintf("%s/etc/sendmail.cf", dir);
	tmp = xasprintf("%s.smadm-new", cf);
	if (cf_generate(t, PATH_M4, SENDMAIL_CF_DIR, mc, &text, &warned,
	    cause) != 0)
		goto out;
	write_opts_init(&wo);
	wo.mode = 0644;
	wo.keep_mode = 0;
	wo.no_follow = 1;
	if (transport_write_file(t, tmp, text.data, text.len, &wo,
	    cause) != 0)
		goto out;
	for (p = text.data; (p = strchr(p, '\n')) != NULL; p++)
		lines++;
	if (cf_validate(t, PATH_SENDMAIL, ns_dir, tmp, NULL, cause) != 0)
		goto out;
	if (transport_rename(t, tmp, cf, cause) != 0)
		goto out;
	buf_printf(report, "generated %s (%zu lines), checked with "
	    "sendmail -bt\n", cf, lines);
	if (warned.len != 0)
		buf_printf(report, "m4 warns: %s\n", warned.data);
	rc = 0;
out:
	if (rc != 0) {
		char *ignore = NULL;

		transport_remove(t, tmp, &ignore);
		free(ignore);
	}
	buf_release(&text);
	buf_release(&warned);
	free(mc);
	free(cf);
	free(tmp);
	return rc;
}

/* The sandbox's smadm.conf. */
static void
sandbox_profile_text(const struct sandbox_opts *so, int port, struct buf *b)
{
	size_t	i;

	buf_printf(b,
	    "# smadm.conf -- the profile of the smadm sandbox in this "
	    "directory,\n"
	    "# written by \"smadm sandbox create\".  Relative paths are "
	    "relative to\n"
	    "# this directory.  Use it with \"smadm -r %s\".\n"
	    "sandbox = yes\n"
	    "listen = 127.0.0.1:%d\n"
	    "mc = etc/sendmail.mc\n"
	    "cf = etc/sendmail.cf\n"
	    "cf_dir = %s\n"
	    "sendmail = %s\n"
	    "makemap = %s\n"
	    "m4 = %s\n"
	    "pid_file = run/sendmail.pid\n"
	    "mail_log = log/mail.log\n"
	    "queue_dirs = queue\n"
	    "submit_queue_dirs = clientmqueue\n"
	    "daemon_flags = -bd -q15m\n"
	    "daemon_label = sm-mta\n"
	    "namespace = ns\n"
	    "syslog_pid_file = run/logd.pid\n"
	    "syslog_command = %s sandbox logd %s\n",
	    so->dir, port, SENDMAIL_CF_DIR, PATH_SENDMAIL, PATH_MAKEMAP,
	    PATH_M4, so->self, so->dir);
	for (i = 0; i < profile_ntables; i++) {
		const char *name = profile_tables[i].name, *file = name;

		if (strcmp(name, "local_host_names") == 0)
			file = "local-host-names";
		else if (strcmp(name, "relay_domains") == 0)
			file = "relay-domains";
		else if (strcmp(name, "trusted_users") == 0)
			file = "trusted-users";
		buf_printf(b, "%s = etc/%s\n", name, file);
	}
}

static int
sandbox_write_profile(struct transport *t, const struct sandbox_opts *so,
    int port, struct buf *report, char **cause)
{
	struct buf	 b = BUF_INIT;
	char		*path;
	int		 rc;

	sandbox_profile_text(so, port, &b);
	path = xasprintf("%s/smadm.conf", so->dir);
	rc = sandbox_write(t, path, b.data, 0644, cause);
	if (rc == 0)
		buf_printf(report, "wrote %s\n", path);
	free(path);
	buf_release(&b);
	return rc;
}

/*
 * Build the maps and aliases.db the way "smadm map build" does (mapbuild.h:
 * the cf's K line flags and TrustedUser, sendmail's locks, owner and mode
 * kept, fsync, rename), with the profile the sandbox is about to get; it
 * is written only at the end.
 */
static int
sandbox_make_maps(struct transport *t, const struct sandbox_opts *so,
    int port, struct buf *report, char **cause)
{
	struct host	 h;
	struct buf	 text = BUF_INIT;
	struct strv	 lines = STRV_INIT;
	char		*conf;
	size_t		 i;
	int		 rc = -1;

	sandbox_profile_text(so, port, &text);
	conf = xasprintf("%s/smadm.conf", so->dir);
	h.t = t;
	if ((h.prof = profile_parse(text.data, text.len, so->dir, conf,
	    cause)) == NULL)
		goto out;
	for (i = 0; i < nitems(sandbox_maps); i++) {
		if (mapbuild_table(&h, sandbox_maps[i], MAPBUILD_NAMED |
		    MAPBUILD_FORCE, &lines, cause) == -1)
			goto out;
	}
	buf_printf(report, "built the maps and aliases.db\n");
	rc = 0;
out:
	profile_free(h.prof);
	strv_release(&lines);
	buf_release(&text);
	free(conf);
	return rc;
}

/* Is dir an existing sandbox (1), empty or missing (0), or neither (-1)? */
static int
sandbox_existing(struct transport *t, const char *dir, int *exists,
    struct buf *report, char **cause)
{
	struct tstat	 st;
	struct strv	 names = STRV_INIT;
	struct profile	*p;
	char		*conf = NULL;
	int		 rc = -1;

	*exists = 0;
	if (transport_stat(t, dir, 0, &st, cause) != 0)
		return -1;
	if (st.type == TS_NONE)
		return 0;
	if (st.type != TS_DIR) {
		*cause = xasprintf("%s exists and is not a directory", dir);
		return -1;
	}
	*exists = 1;
	if (transport_list_dir(t, dir, &names, cause) != 0)
		goto out;
	if (names.n == 0) {
		rc = 0;
		goto out;
	}
	conf = xasprintf("%s/smadm.conf", dir);
	if (!transport_exists(t, conf)) {
		*cause = xasprintf("%s exists and is not empty (and is not a "
		    "smadm sandbox): refusing to create a sandbox there", dir);
		goto out;
	}
	if ((p = trust_profile_load(t, dir, cause)) == NULL)
		goto out;
	if (!p->sandbox) {
		*cause = xasprintf("%s is a smadm profile but not a sandbox: "
		    "refusing to touch it", conf);
		profile_free(p);
		goto out;
	}
	buf_printf(report, "%s is already a smadm sandbox (listening on %s); "
	    "left as it is\n", dir, p->listen != NULL ? p->listen : "?");
	profile_free(p);
	rc = 1;
out:
	strv_release(&names);
	free(conf);
	return rc;
}

/* A qualified name for the sandbox: the host's, or HOST.sandbox.example. */
static char *
sandbox_hostname(struct transport *t, const char *given)
{
	const char	*name = t->name;
	char		*dot;
	char		*shortname, *fqdn;

	if (given != NULL)
		return xstrdup(given);
	if (name == NULL || *name == '\0')
		name = "localhost";
	if (strchr(name, '.') != NULL && name[strlen(name) - 1] != '.')
		return xstrdup(name);
	shortname = xstrdup(name);
	if ((dot = strchr(shortname, '.')) != NULL)
		*dot = '\0';
	fqdn = xasprintf("%s.sandbox.example", shortname);
	free(shortname);
	return fqdn;
}

/* The installed smrsh (Debian, RHEL, BSD places), for FEATURE(smrsh). */
static char *
sandbox_smrsh(struct transport *t)
{
	static const char *const paths[] = { "/usr/libexec/sendmail/smrsh",
	    "/usr/sbin/smrsh", "/usr/lib/sm.bin/smrsh", "/usr/libexec/smrsh" };
	struct tstat	 ts;
	char		*ignore = NULL;
	size_t		 i;

	for (i = 0; i < nitems(paths); i++) {
		if (transport_stat(t, paths[i], 1, &ts, &ignore) == 0 &&
		    ts.type == TS_REG)
			return xstrdup(paths[i]);
		free(ignore);
		ignore = NULL;
	}
	return xstrdup(paths[1]);
}

int
sandbox_create(struct transport *t, const struct sandbox_opts *so,
    struct buf *report, char **cause)
{
	struct transport	*local = NULL;
	struct sandbox_vars	 vars[6];
	struct buf		 helpfile = BUF_INIT;
	char			*path = NULL, *ns_dir = NULL, *fqdn = NULL;
	char			*ignore = NULL, *tdir = NULL;
	size_t			 i, nvars = 0;
	int			 port, dead_port, exists, made = 0, rc = -1;

	port = so->port != 0 ? so->port : SANDBOX_PORT;
	dead_port = so->dead_port != 0 ? so->dead_port : SANDBOX_DEAD_PORT;
	if (port < 1 || port > 65535 || dead_port < 1 || dead_port > 65535) {
		*cause = xstrdup("ports must be between 1 and 65535");
		return -1;
	}
	if (port == dead_port) {
		*cause = xasprintf("the dead port must differ from the "
		    "daemon's port %d", port);
		return -1;
	}
	if (so->self == NULL || so->self[0] != '/') {
		*cause = xstrdup("the smadm binary's absolute path is needed "
		    "for local delivery");
		return -1;
	}
	if (sandbox_check_dir(so->dir, cause) != 0 ||
	    sandbox_check_dir(so->self, cause) != 0)
		return -1;
	switch (sandbox_existing(t, so->dir, &exists, report, cause)) {
	case -1:
		return -1;
	case 1:
		return 1;
	}

	if (!exists && transport_mkdir(t, so->dir, 0755, cause) != 0)
		return -1;
	/* An empty directory someone else made (or can write) is theirs. */
	path = xasprintf("%s/smadm.conf", so->dir);
	if (so->dir[0] == '/' && trust_path(t, path, trust_user(t),
	    "sandbox profile", cause) != 0) {
		free(path);
		if (!exists)
			transport_remove(t, so->dir, &ignore);
		free(ignore);
		return -1;
	}
	free(path);
	path = NULL;
	made = 1;
	for (i = 0; i < nitems(sandbox_dirs); i++) {
		free(path);
		path = xasprintf("%s/%s", so->dir, sandbox_dirs[i].name);
		if (transport_mkdir(t, path, sandbox_dirs[i].mode, cause) != 0)
			goto out;
	}
	buf_printf(report, "created %s (queue, run, log, mailbox, ns)\n",
	    so->dir);

	fqdn = sandbox_hostname(t, so->hostname);
	ns_dir = xasprintf("%s/ns", so->dir);
	if (ns_write_files(t, ns_dir, fqdn, cause) != 0)
		goto out;

	vars[nvars].name = "DIR";
	vars[nvars++].value = xstrdup(so->dir);
	vars[nvars].name = "PORT";
	vars[nvars++].value = xasprintf("%d", port);
	vars[nvars].name = "DEAD_PORT";
	vars[nvars++].value = xasprintf("%d", dead_port);
	vars[nvars].name = "HOSTNAME";
	vars[nvars++].value = xstrdup(fqdn);
	vars[nvars].name = "DELIVER";
	vars[nvars++].value = xstrdup(so->self);
	vars[nvars].name = "SMRSH";
	vars[nvars++].value = sandbox_smrsh(t);

	local = transport_local_create();
	tdir = xasprintf("%s/sandbox", so->templates);
	for (i = 0; i < nitems(sandbox_seeds); i++) {
		free(path);
		path = xasprintf("%s/etc/%s", so->dir, sandbox_seeds[i]);
		if (sandbox_render(local, t, tdir, sandbox_seeds[i], path,
		    0644, vars, nvars, cause) != 0)
			goto out;
	}
	free(path);
	path = xasprintf("%s/etc/sendmail.mc", so->dir);
	if (sandbox_render(local, t, so->templates, "sandbox.mc.in", path,
	    0644, vars, nvars, cause) != 0)
		goto out;
	buf_printf(report, "wrote %s and the tables (host name %s, port %d, "
	    "remote mail to 127.0.0.1:%d)\n", path, fqdn, port, dead_port);

	/* The help file is sendmail's own, when the host has one. */
	if (transport_read_file(t, "/etc/mail/helpfile", &helpfile, 1 << 20,
	    &ignore) != 0) {
		free(ignore);
		ignore = NULL;
		buf_addstr(&helpfile, "#vers\t2\n");
	}
	free(path);
	path = xasprintf("%s/etc/helpfile", so->dir);
	if (sandbox_write(t, path, helpfile.data, 0644, cause) != 0)
		goto out;
	free(path);
	path = xasprintf("%s/lib/statistics", so->dir);
	if (sandbox_write(t, path, "", 0600, cause) != 0)
		goto out;

	if (sandbox_make_cf(t, so->dir, ns_dir, report, cause) != 0)
		goto out;
	if (sandbox_make_maps(t, so, port, report, cause) != 0)
		goto out;
	if (sandbox_write_profile(t, so, port, report, cause) != 0)
		goto out;
	rc = 0;
out:
	if (rc != 0 && made) {
		/* Leave nothing half made: the next create must work. */
		if (exists) {
			struct strv	names = STRV_INIT;

			if (transport_list_dir(t, so->dir, &names,
			    &ignore) == 0) {
				for (i = 0; i < names.n; i++) {
					free(path);
					path = xasprintf("%s/%s", so->dir,
					    names.v[i]);
					free(ignore);
					ignore = NULL;
					sandbox_remove_tree(t, path, &ignore);
				}
			}
			strv_release(&names);
		} else
			sandbox_remove_tree(t, so->dir, &ignore);
		free(ignore);
		buf_printf(report, "failed: removed what was made in %s\n",
		    so->dir);
	}
	for (i = 0; i < nvars; i++)
		free(vars[i].value);
	transport_free(local);
	buf_release(&helpfile);
	free(tdir);
	free(path);
	free(ns_dir);
	free(fqdn);
	return rc;
}

int
sandbox_remove_tree(struct transport *t, const char *path, char **cause)
{
	struct tstat	 st;
	struct strv	 names = STRV_INIT;
	char		*child;
	size_t		 i;
	int		 rc = -1;

	if (transport_stat(t, path, 0, &st, cause) != 0)
		return -1;
	if (st.type == TS_DIR) {
		if (transport_list_dir(t, path, &names, cause) != 0)
			goto out;
		for (i = 0; i < names.n; i++) {
			child = xasprintf("%s/%s", path, names.v[i]);
			rc = sandbox_remove_tree(t, child, cause);
			free(child);
			if (rc != 0)
				goto out;
		}
	}
	rc = transport_remove(t, path, cause);
out:
	strv_release(&names);
	return rc;
}

int
sandbox_destroy(struct host *h, struct buf *report, char **cause)
{
	struct profile	*p = h->prof;
	char		*conf;
	int		 rc;

	if (!p->sandbox || p->root == NULL) {
		*cause = xasprintf("%s does not say \"sandbox = yes\": refusing "
		    "to destroy it", p->origin);
		return -1;
	}
	if (sandbox_check_dir(p->root, cause) != 0)
		return -1;
	/* Check again on the host: the profile must still be there. */
	conf = xasprintf("%s/smadm.conf", p->root);
	rc = transport_exists(h->t, conf);
	free(conf);
	if (!rc) {
		*cause = xasprintf("%s/smadm.conf is gone: refusing to remove "
		    "%s", p->root, p->root);
		return -1;
	}
	if (daemon_stop(h, 1, report, cause) != 0)
		return -1;
	if (sandbox_remove_tree(h->t, p->root, cause) != 0)
		return -1;
	buf_printf(report, "removed %s\n", p->root);
	return 0;
}

int
sandbox_deliver(const char *dir, const char *user, int fd, char **cause)
{
	struct buf	 msg = BUF_INIT;
	struct stat	 st;
	struct tm	 tm;
	time_t		 now;
	char		*name, *path = NULL, *p, stamp[64], chunk[65536];
	const char	*w;
	size_t		 left;
	ssize_t		 n;
	int		 out = -1, rc = -1;

	name = xstrdup(*user != '\0' ? user : "_");
	for (p = name; *p != '\0'; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("._+-", *p) != NULL))
			*p = '_';
	}
	if (name[0] == '.')
		name[0] = '_';
	for (;;) {
		n = read(fd, chunk, sizeof chunk);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			*cause = xasprintf("reading the message: %s",
			    strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		if (msg.len == 0 && (size_t)n >= 1 &&
		    !(n >= 5 && memcmp(chunk, "From ", 5) == 0)) {
			/* Without sendmail's "From " line, make one. */
			now = time(NULL);
			gmtime_r(&now, &tm);
			strftime(stamp, sizeof stamp, "%a %b %e %H:%M:%S %Y",
			    &tm);
			buf_printf(&msg, "From MAILER-DAEMON %s\n", stamp);
		}
		buf_add(&msg, chunk, (size_t)n);
	}
	if (msg.len == 0) {
		*cause = xstrdup("empty message");
		goto out;
	}
	if (msg.data[msg.len - 1] != '\n')
		buf_addch(&msg, '\n');
	buf_addch(&msg, '\n');

	path = xasprintf("%s/mailbox/%s", dir, name);
	out = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW |
	    O_CLOEXEC | O_NOCTTY, 0600);
	if (out == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		goto out;
	}
	if (flock(out, LOCK_EX) != 0 || fstat(out, &st) != 0) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		*cause = xasprintf("%s: not a regular file", path);
		goto out;
	}
	for (w = msg.data, left = msg.len; left > 0; ) {
		n = write(out, w, left);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			*cause = xasprintf("%s: %s", path,
			    strerror(n == 0 ? EIO : errno));
			/* Take back the part that was written. */
			if (ftruncate(out, st.st_size) != 0)
				break;
			goto out;
		}
		w += n;
		left -= (size_t)n;
	}
	if (left != 0)
		goto out;
	if (fsync(out) != 0) {
		*cause = xasprintf("%s: fsync: %s", path, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (out != -1 && close(out) != 0 && rc == 0) {
		*cause = xasprintf("%s: close: %s", path, strerror(errno));
		rc = -1;
	}
	buf_release(&msg);
	free(name);
	free(path);
	return rc;
}
