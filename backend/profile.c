/*
 * profile.c -- detect or read a host profile (see profile.h).
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "hostname.h"
#include "profile.h"
#include "rcconf.h"

const struct table_def profile_tables[] = {
	{ "access", TABLE_MAP, "/etc/mail/access", "/etc/mail/access",
	    "access" },
	{ "mailertable", TABLE_MAP, "/etc/mail/mailertable",
	    "/etc/mail/mailertable", "mailertable" },
	{ "virtusertable", TABLE_MAP, "/etc/mail/virtusertable",
	    "/etc/mail/virtusertable", "virtuser" },
	{ "genericstable", TABLE_MAP, "/etc/mail/genericstable",
	    "/etc/mail/genericstable", "generics" },
	{ "domaintable", TABLE_MAP, "/etc/mail/domaintable",
	    "/etc/mail/domaintable", "domaintable" },
	{ "aliases", TABLE_ALIASES, "/etc/mail/aliases", "/etc/aliases",
	    "aliases" },
	{ "local_host_names", TABLE_CLASS, "/etc/mail/local-host-names",
	    "/etc/mail/local-host-names", NULL },
	{ "relay_domains", TABLE_CLASS, "/etc/mail/relay-domains",
	    "/etc/mail/relay-domains", NULL },
	{ "trusted_users", TABLE_CLASS, "/etc/mail/trusted-users",
	    "/etc/mail/trusted-users", NULL },
};
const size_t profile_ntables = nitems(profile_tables);

const struct table_def *
profile_table_def(const char *name)
{
	size_t	i;

	for (i = 0; i < profile_ntables; i++) {
		if (strcmp(profile_tables[i].name, name) == 0)
			return &profile_tables[i];
	}
	/* Accept the file names too: local-host-names, relay-domains... */
	for (i = 0; i < profile_ntables; i++) {
		const char *p = profile_tables[i].name, *q = name;

		while (*p != '\0' && (*p == *q || (*p == '_' && *q == '-'))) {
			p++;
			q++;
		}
		if (*p == '\0' && *q == '\0')
			return &profile_tables[i];
	}
	return NULL;
}

static struct profile *
profile_new(const char *origin)
{
	struct profile	*p;
	size_t		 i;

	p = xcalloc(1, sizeof *p);
	p->origin = xstrdup(origin);
	strv_init(&p->queue_dirs);
	strv_init(&p->submit_queue_dirs);
	strv_init(&p->daemon_flags);
	strv_init(&p->listen_also);
	strv_init(&p->syslog_command);
	strv_init(&p->service_start);
	strv_init(&p->service_stop);
	p->tables = xcalloc(profile_ntables, sizeof *p->tables);
	for (i = 0; i < profile_ntables; i++)
		p->tables[i].def = &profile_tables[i];
	p->sendmail = xstrdup(PATH_SENDMAIL);
	p->makemap = xstrdup(PATH_MAKEMAP);
	p->m4 = xstrdup(PATH_M4);
	p->cf_dir = xstrdup(SENDMAIL_CF_DIR);
	p->daemon_label = xstrdup("sm-mta");
	p->backup_keep = PROFILE_BACKUP_KEEP;
	p->backup_days = PROFILE_BACKUP_DAYS;
	return p;
}

void
profile_free(struct profile *p)
{
	size_t	i;

	if (p == NULL)
		return;
	free(p->origin);
	free(p->layout_why);
	free(p->root);
	free(p->mc);
	free(p->cf);
	free(p->submit_mc);
	free(p->submit_cf);
	free(p->cf_dir);
	free(p->sendmail);
	free(p->makemap);
	free(p->m4);
	free(p->pid_file);
	free(p->mail_log);
	free(p->ns_dir);
	free(p->syslog_pid_file);
	free(p->listen);
	free(p->daemon_label);
	strv_release(&p->queue_dirs);
	strv_release(&p->submit_queue_dirs);
	strv_release(&p->daemon_flags);
	strv_release(&p->listen_also);
	strv_release(&p->syslog_command);
	strv_release(&p->service_start);
	strv_release(&p->service_stop);
	for (i = 0; i < profile_ntables; i++)
		free(p->tables[i].path);
	free(p->tables);
	free(p);
}

static void
set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = v != NULL ? xstrdup(v) : NULL;
}

/* The layouts smadm knows, by the name profile_detect gives them. */
static const char *const profile_layout_names[] = {
	NULL, "debian", "rhel", "freebsd", "openbsd"
};

const char *
profile_layout_name(enum profile_layout l)
{
	if ((size_t)l >= nitems(profile_layout_names))
		return NULL;
	return profile_layout_names[l];
}

/* Probing a host, or a fixture tree standing for one (root). */
struct probe {
	struct transport	*t;
	const char		*root;	/* "" for the host itself */
};

static int
probe_exists(struct probe *pr, const char *path)
{
	char	*f;
	int	 rc;

	f = xasprintf("%s%s", pr->root, path);
	rc = transport_exists(pr->t, f);
	free(f);
	return rc;
}

/* The text of a small file, or NULL. */
static char *
probe_read(struct probe *pr, const char *path, size_t *len)
{
	struct buf	 b = BUF_INIT;
	char		*f, *err = NULL;

	f = xasprintf("%s%s", pr->root, path);
	if (transport_read_file(pr->t, f, &b, 1 << 16, &err) != 0) {
		free(err);
		free(f);
		buf_release(&b);
		return NULL;
	}
	free(f);
	*len = b.len;
	return buf_detach(&b);
}

/* The layout an os-release ID (or an ID_LIKE word) names, or NONE. */
static enum profile_layout
layout_of_id(const char *id)
{
	static const struct {
		const char		*id;
		enum profile_layout	 layout;
	} ids[] = {
		{ "debian", LAYOUT_DEBIAN }, { "ubuntu", LAYOUT_DEBIAN },
		{ "devuan", LAYOUT_DEBIAN }, { "raspbian", LAYOUT_DEBIAN },
		{ "linuxmint", LAYOUT_DEBIAN },
		{ "rhel", LAYOUT_RHEL }, { "fedora", LAYOUT_RHEL },
		{ "centos", LAYOUT_RHEL }, { "almalinux", LAYOUT_RHEL },
		{ "rocky", LAYOUT_RHEL }, { "ol", LAYOUT_RHEL },
		{ "amzn", LAYOUT_RHEL },
		{ "freebsd", LAYOUT_FREEBSD }, { "openbsd", LAYOUT_OPENBSD },
	};
	size_t	i;

	for (i = 0; i < nitems(ids); i++)
		if (strcmp(ids[i].id, id) == 0)
			return ids[i].layout;
	return LAYOUT_NONE;
}

/* os-release's ID=, else the first ID_LIKE= word smadm knows. */
static enum profile_layout
layout_os_release(struct probe *pr, char **why)
{
	struct strv		 w = STRV_INIT;
	enum profile_layout	 l = LAYOUT_NONE;
	char			*text, *id, *like;
	size_t			 len, i;

	if ((text = probe_read(pr, "/etc/os-release", &len)) == NULL &&
	    (text = probe_read(pr, "/usr/lib/os-release", &len)) == NULL)
		return LAYOUT_NONE;
	if ((id = rcconf_get(text, len, "ID", 0)) != NULL &&
	    (l = layout_of_id(id)) != LAYOUT_NONE)
		*why = xasprintf("ID=%s in os-release", id);
	if (l == LAYOUT_NONE &&
	    (like = rcconf_get(text, len, "ID_LIKE", 0)) != NULL) {
		strv_split_ws(&w, like);
		for (i = 0; i < w.n && l == LAYOUT_NONE; i++)
			if ((l = layout_of_id(w.v[i])) != LAYOUT_NONE)
				*why = xasprintf("ID_LIKE=\"%s\" in "
				    "os-release", like);
		strv_release(&w);
		free(like);
	}
	free(id);
	free(text);
	return l;
}

/* FreeBSD's /etc/mail/Makefile: builds HOSTNAME.mc from freebsd.mc. */
static int
layout_freebsd_makefile(struct probe *pr)
{
	char	*text;
	size_t	 len;
	int	 yes;

	if ((text = probe_read(pr, "/etc/mail/Makefile", &len)) == NULL)
		return 0;
	yes = memmem(text, len, "SENDMAIL_MC", 11) != NULL &&
	    memmem(text, len, "freebsd.mc", 10) != NULL;
	free(text);
	return yes;
}

/* uname -s on the host itself (not for a fixture tree). */
static enum profile_layout
layout_uname(struct probe *pr)
{
	static const char *const unames[] = { "/usr/bin/uname",
	    "/bin/uname" };
	struct run_opts		 ro;
	struct run_result	 rr;
	enum profile_layout	 l = LAYOUT_NONE;
	const char		*argv[3];
	char			*err = NULL;
	size_t			 i;

	if (*pr->root != '\0')
		return LAYOUT_NONE;
	for (i = 0; i < nitems(unames); i++)
		if (transport_exists(pr->t, unames[i]))
			break;
	if (i == nitems(unames))
		return LAYOUT_NONE;
	argv[0] = unames[i];
	argv[1] = "-s";
	argv[2] = NULL;
	run_opts_init(&ro);
	ro.timeout_ms = 10000;
	ro.max_output = 4096;
	run_result_init(&rr);
	if (transport_run(pr->t, argv, &ro, &rr, &err) == 0 && rr.exited &&
	    rr.status == 0) {
		buf_add(&rr.out, "", 1);
		if (strncmp(rr.out.data, "FreeBSD", 7) == 0)
			l = LAYOUT_FREEBSD;
		else if (strncmp(rr.out.data, "OpenBSD", 7) == 0)
			l = LAYOUT_OPENBSD;
	}
	free(err);
	run_result_release(&rr);
	return l;
}

/*
 * Which layout, and why (heap, for status): os-release first, then the
 * files one layout alone has, then uname.  Debian's is the default, as
 * before there was a choice.
 */
static enum profile_layout
layout_guess(struct probe *pr, char **why)
{
	enum profile_layout	l;

	if ((l = layout_os_release(pr, why)) != LAYOUT_NONE)
		return l;
	if (probe_exists(pr, "/etc/debian_version")) {
		*why = xstrdup("/etc/debian_version exists");
		return LAYOUT_DEBIAN;
	}
	if (probe_exists(pr, "/etc/redhat-release")) {
		*why = xstrdup("/etc/redhat-release exists");
		return LAYOUT_RHEL;
	}
	if (layout_freebsd_makefile(pr)) {
		*why = xstrdup("/etc/mail/Makefile is FreeBSD's");
		return LAYOUT_FREEBSD;
	}
	if (probe_exists(pr, "/etc/myname") ||
	    probe_exists(pr, "/usr/local/libexec/sendmail/sendmail")) {
		*why = xstrdup("/etc/myname or the sendmail package's "
		    "/usr/local/libexec/sendmail exists");
		return LAYOUT_OPENBSD;
	}
	if ((l = layout_uname(pr)) != LAYOUT_NONE) {
		*why = xasprintf("uname -s says %s", l == LAYOUT_FREEBSD ?
		    "FreeBSD" : "OpenBSD");
		return l;
	}
	if (probe_exists(pr, "/usr/share/sendmail-cf")) {
		*why = xstrdup("/usr/share/sendmail-cf exists");
		return LAYOUT_RHEL;
	}
	*why = xstrdup("no sign of any layout; Debian's assumed");
	return LAYOUT_DEBIAN;
}

/*
 * Debian's and RHEL's programs are where configure found them here
 * (profile_new: /usr/sbin/sendmail, /usr/sbin/makemap, /usr/bin/m4 on
 * both).  The BSDs' below are facts of those systems, which smadm reaches
 * over SSH: literal paths on the managed host, marked so for
 * tests/check/source.sh.
 */
static void
layout_debian(struct profile *p)
{
	set_str(&p->cf_dir, "/usr/share/sendmail/cf");
	set_str(&p->pid_file, "/run/sendmail/mta/sendmail.pid");
	set_str(&p->mail_log, "/var/log/mail.log");
	strv_push(&p->queue_dirs, "/var/spool/mqueue");
	strv_push(&p->submit_queue_dirs, "/var/spool/mqueue-client");
	strv_split_ws(&p->daemon_flags, "-bd -q10m");
}

static void
layout_rhel(struct profile *p)
{
	set_str(&p->cf_dir, "/usr/share/sendmail-cf");
	set_str(&p->pid_file, "/run/sendmail.pid");
	set_str(&p->mail_log, "/var/log/maillog");
	strv_push(&p->queue_dirs, "/var/spool/mqueue");
	strv_push(&p->submit_queue_dirs, "/var/spool/clientmqueue");
	strv_split_ws(&p->daemon_flags, "-bd -q1h");
	set_str(&p->daemon_label, "sendmail");
	/* The daemon and the client queue runner are two units there. */
	strv_split_ws(&p->service_start,
	    "/usr/bin/systemctl start sendmail.service sm-client.service");
	strv_split_ws(&p->service_stop,
	    "/usr/bin/systemctl stop sendmail.service sm-client.service");
}

/* GNU m4 from packages when there is one, else the base system's. */
static void
layout_bsd_m4(struct profile *p, struct probe *pr)
{
	if (probe_exists(pr, "/usr/local/bin/gm4"))
		set_str(&p->m4, "/usr/local/bin/gm4");
	else
		set_str(&p->m4, "/usr/bin/m4");	/* host path */
}

/* What FreeBSD's and OpenBSD's layouts share: m4, the pid file, the log,
 * the queues, the daemon's flags; start and stop are each system's own. */
static void
layout_bsd_common(struct profile *p, struct probe *pr, const char *start,
    const char *stop)
{
	layout_bsd_m4(p, pr);
	set_str(&p->pid_file, "/var/run/sendmail.pid");
	set_str(&p->mail_log, "/var/log/maillog");
	strv_push(&p->queue_dirs, "/var/spool/mqueue");
	strv_push(&p->submit_queue_dirs, "/var/spool/clientmqueue");
	strv_split_ws(&p->daemon_flags, "-bd -q30m");
	strv_split_ws(&p->service_start, start);
	strv_split_ws(&p->service_stop, stop);
}

static void
layout_freebsd(struct profile *p, struct probe *pr)
{
	char	*host, *err = NULL, *mc;

	/*
	 * /etc/mail/Makefile builds `hostname`.mc (and .submit.mc), made
	 * from freebsd.mc the first time; sendmail reads the installed
	 * sendmail.cf and submit.cf.
	 */
	host = hostname_read(pr->t, *pr->root != '\0' ? pr->root : NULL,
	    &err);
	free(err);
	/* A name is a file name here: never one that leaves /etc/mail. */
	if (host != NULL && (strchr(host, '/') != NULL || *host == '.')) {
		free(host);
		host = NULL;
	}
	mc = host != NULL ? xasprintf("/etc/mail/%s.mc", host) : NULL;
	set_str(&p->mc, mc != NULL && probe_exists(pr, mc) ? mc :
	    "/etc/mail/freebsd.mc");
	free(mc);
	mc = host != NULL ? xasprintf("/etc/mail/%s.submit.mc", host) : NULL;
	set_str(&p->submit_mc, mc != NULL && probe_exists(pr, mc) ? mc :
	    "/etc/mail/freebsd.submit.mc");
	free(mc);
	free(host);
	set_str(&p->cf_dir, "/usr/share/sendmail/cf");
	set_str(&p->sendmail, "/usr/sbin/sendmail");	/* host path */
	set_str(&p->makemap, "/usr/sbin/makemap");	/* host path */
	layout_bsd_common(p, pr, "/usr/sbin/service sendmail start",
	    "/usr/sbin/service sendmail stop");
}

/* The -C of OpenBSD's sendmail_flags (rc.conf.local), else the rc's. */
static char *
layout_openbsd_cf(struct probe *pr)
{
	struct strv	 w = STRV_INIT;
	char		*text, *flags, *cf = NULL;
	size_t		 len, i;

	if ((text = probe_read(pr, "/etc/rc.conf.local", &len)) != NULL &&
	    (flags = rcconf_get(text, len, "sendmail_flags", 1)) != NULL) {
		strv_split_ws(&w, flags);
		for (i = 0; i < w.n && cf == NULL; i++) {
			if (strncmp(w.v[i], "-C", 2) != 0)
				continue;
			if (w.v[i][2] == '/')
				cf = xstrdup(w.v[i] + 2);
			else if (w.v[i][2] == '\0' && i + 1 < w.n &&
			    w.v[i + 1][0] == '/')
				cf = xstrdup(w.v[i + 1]);
		}
		strv_release(&w);
		free(flags);
	}
	free(text);
	/* The package's rc.d script starts it with the localhost cf. */
	return cf != NULL ? cf : xstrdup("/etc/mail/localhost.cf");
}

static void
layout_openbsd(struct profile *p, struct probe *pr)
{
	char	*cf;
	size_t	 n;

	/*
	 * The sendmail package: programs in /usr/local/libexec/sendmail
	 * (/usr/sbin/sendmail is mailwrapper), the cf macros and sample mc
	 * files in /usr/local/share/sendmail, the cf that rcctl starts with
	 * in /etc/mail.  The mc is the cf's name with .mc.
	 */
	cf = layout_openbsd_cf(pr);
	set_str(&p->cf, cf);
	n = strlen(cf);
	if (n > 3 && strcmp(cf + n - 3, ".cf") == 0)
		cf[n - 3] = '\0';
	free(p->mc);
	p->mc = xasprintf("%s.mc", cf);
	free(cf);
	set_str(&p->cf_dir, "/usr/local/share/sendmail");
	set_str(&p->sendmail, "/usr/local/libexec/sendmail/sendmail");
	set_str(&p->makemap, "/usr/local/libexec/sendmail/makemap");
	layout_bsd_common(p, pr, "/usr/sbin/rcctl start sendmail",
	    "/usr/sbin/rcctl stop sendmail");
}

struct profile *
profile_detect_under(struct transport *t, const char *root)
{
	struct probe		 pr;
	struct profile		*p;
	enum profile_layout	 l;
	char			*why = NULL;
	size_t			 i;

	pr.t = t;
	pr.root = root != NULL ? root : "";
	l = layout_guess(&pr, &why);
	p = profile_new(profile_layout_name(l));
	p->layout = l;
	p->layout_why = why;
	set_str(&p->mc, "/etc/mail/sendmail.mc");
	set_str(&p->cf, "/etc/mail/sendmail.cf");
	set_str(&p->submit_mc, "/etc/mail/submit.mc");
	set_str(&p->submit_cf, "/etc/mail/submit.cf");
	switch (l) {
	case LAYOUT_RHEL:
		layout_rhel(p);
		break;
	case LAYOUT_FREEBSD:
		layout_freebsd(p, &pr);
		break;
	case LAYOUT_OPENBSD:
		layout_openbsd(p, &pr);
		break;
	default:
		layout_debian(p);
		break;
	}
	for (i = 0; i < profile_ntables; i++)
		p->tables[i].path = xstrdup(l == LAYOUT_RHEL ?
		    profile_tables[i].rhel_path :
		    profile_tables[i].debian_path);
	return p;
}

struct profile *
profile_detect(struct transport *t)
{
	return profile_detect_under(t, NULL);
}

/* Make a smadm.conf path absolute against the profile directory. */
static char *
conf_path(const char *root, const char *v)
{
	if (*v == '/' || root == NULL)
		return xstrdup(v);
	return xasprintf("%s/%s", root, v);
}

static int
conf_bool(const char *v, int *out)
{
	if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0 ||
	    strcmp(v, "1") == 0)
		*out = 1;
	else if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0 ||
	    strcmp(v, "0") == 0)
		*out = 0;
	else
		return -1;
	return 0;
}

#define PROFILE_TIMEOUT_MAX	3600	/* remote_timeout, seconds */

struct conf_key {
	const char	*key;
	size_t		 off;
	int		 kind;		/* 0 path, 1 string, 2 path list, 3 words */
};
#define PO(f) offsetof(struct profile, f)
static const struct conf_key conf_keys[] = {
	{ "mc", PO(mc), 0 },
	{ "cf", PO(cf), 0 },
	{ "submit_mc", PO(submit_mc), 0 },
	{ "submit_cf", PO(submit_cf), 0 },
	{ "cf_dir", PO(cf_dir), 0 },
	{ "sendmail", PO(sendmail), 0 },
	{ "makemap", PO(makemap), 0 },
	{ "m4", PO(m4), 0 },
	{ "pid_file", PO(pid_file), 0 },
	{ "mail_log", PO(mail_log), 0 },
	{ "namespace", PO(ns_dir), 0 },
	{ "syslog_pid_file", PO(syslog_pid_file), 0 },
	{ "listen", PO(listen), 1 },
	{ "daemon_label", PO(daemon_label), 1 },
	{ "queue_dirs", PO(queue_dirs), 2 },
	{ "submit_queue_dirs", PO(submit_queue_dirs), 2 },
	{ "daemon_flags", PO(daemon_flags), 3 },
	{ "listen_also", PO(listen_also), 3 },
	{ "syslog_command", PO(syslog_command), 3 },
	{ "service_start", PO(service_start), 3 },
	{ "service_stop", PO(service_stop), 3 },
};

/*
 * The backup retention keys: backup_keep (sets, 1..100000) and
 * backup_days (0..36500, 0 for no age limit).  Sets *found for them.
 */
static int
profile_backup_key(struct profile *p, const char *key, const char *val,
    const char *file, size_t lineno, int *found, char **cause)
{
	long long	 v;
	char		*why = NULL;
	int		*dst;
	long long	 min, max;

	if (strcmp(key, "backup_keep") == 0) {
		dst = &p->backup_keep;
		min = 1;
		max = 100000;
	} else if (strcmp(key, "backup_days") == 0) {
		dst = &p->backup_days;
		min = 0;
		max = 36500;
	} else
		return 0;
	*found = 1;
	if (str_tonum(val, min, max, &v, &why) != 0) {
		*cause = xasprintf("%s:%zu: %s: expected a number from %lld "
		    "to %lld, not \"%s\"", file, lineno, key, min, max, val);
		free(why);
		return -1;
	}
	*dst = (int)v;
	return 0;
}

struct profile *
profile_parse(const char *text, size_t len, const char *root,
    const char *file, char **cause)
{
	struct profile		*p;
	const struct table_def	*td;
	const char		*end = text + len, *nl;
	char			*line = NULL, *key, *val, *eq;
	struct strv		 words;
	char			*err = NULL;
	long long		 num;
	size_t			 i, lineno = 0;
	int			 found;

	p = profile_new(file);
	if (root != NULL)
		p->root = xstrdup(root);
	while (text < end) {
		lineno++;
		nl = memchr(text, '\n', (size_t)(end - text));
		if (nl == NULL)
			nl = end;
		free(line);
		line = xstrndup(text, (size_t)(nl - text));
		text = nl < end ? nl + 1 : end;
		key = str_trim(line);
		if (*key == '\0' || *key == '#')
			continue;
		if ((eq = strchr(key, '=')) == NULL) {
			*cause = xasprintf("%s:%zu: expected \"key = value\"",
			    file, lineno);
			goto fail;
		}
		*eq = '\0';
		key = str_trim(key);
		val = str_trim(eq + 1);
		found = 0;
		for (i = 0; i < nitems(conf_keys); i++) {
			const struct conf_key	*ck = &conf_keys[i];
			void			*f = (char *)p + ck->off;

			if (strcmp(ck->key, key) != 0)
				continue;
			found = 1;
			if (ck->kind == 0) {
				free(*(char **)f);
				*(char **)f = *val ? conf_path(root, val) : NULL;
			} else if (ck->kind == 1) {
				free(*(char **)f);
				*(char **)f = *val ? xstrdup(val) : NULL;
			} else if (ck->kind == 2) {
				size_t j;

				strv_release(f);
				strv_init(&words);
				strv_split_ws(&words, val);
				for (j = 0; j < words.n; j++)
					strv_push_nocopy(f,
					    conf_path(root, words.v[j]));
				strv_release(&words);
			} else {
				strv_release(f);
				strv_split_ws(f, val);
			}
		}
		if (!found && strcmp(key, "sandbox") == 0) {
			found = 1;
			if (conf_bool(val, &p->sandbox) != 0) {
				*cause = xasprintf("%s:%zu: sandbox: expected "
				    "yes or no, not \"%s\"", file, lineno, val);
				goto fail;
			}
		}
		if (!found && strcmp(key, "sudo") == 0) {
			found = 1;
			if (conf_bool(val, &p->sudo) != 0) {
				*cause = xasprintf("%s:%zu: sudo: expected "
				    "yes or no, not \"%s\"", file, lineno, val);
				goto fail;
			}
		}
		if (!found && profile_backup_key(p, key, val, file, lineno,
		    &found, cause) != 0)
			goto fail;
		if (!found && strcmp(key, "remote_timeout") == 0) {
			found = 1;
			if (str_tonum(val, 1, PROFILE_TIMEOUT_MAX, &num,
			    &err) != 0) {
				*cause = xasprintf("%s:%zu: remote_timeout: "
				    "expected seconds from 1 to %d, not \"%s\"",
				    file, lineno, PROFILE_TIMEOUT_MAX, val);
				free(err);
				goto fail;
			}
			p->remote_timeout = (int)num;
		}
		if (!found && (td = profile_table_def(key)) != NULL &&
		    strcmp(td->name, key) == 0) {
			found = 1;
			for (i = 0; i < profile_ntables; i++) {
				if (p->tables[i].def != td)
					continue;
				free(p->tables[i].path);
				p->tables[i].path = *val ?
				    conf_path(root, val) : NULL;
			}
		}
		if (!found) {
			*cause = xasprintf("%s:%zu: unknown key \"%s\"", file,
			    lineno, key);
			goto fail;
		}
		for (i = 0; i < nitems(conf_keys); i++) {
			if (conf_keys[i].kind != 0 ||
			    strcmp(conf_keys[i].key, key) != 0)
				continue;
			if (strcmp(key, "sendmail") == 0 ||
			    strcmp(key, "makemap") == 0 ||
			    strcmp(key, "m4") == 0) {
				if (*val != '/') {
					*cause = xasprintf("%s:%zu: %s must be "
					    "an absolute path", file, lineno,
					    key);
					goto fail;
				}
			}
		}
	}
	free(line);
	return p;
fail:
	free(line);
	profile_free(p);
	return NULL;
}

struct profile *
profile_load(struct transport *t, const char *dir, char **cause)
{
	struct buf	 text = BUF_INIT;
	struct profile	*p = NULL;
	char		*file, *root;
	size_t		 len;

	root = xstrdup(dir);
	len = strlen(root);
	while (len > 1 && root[len - 1] == '/')
		root[--len] = '\0';
	file = xasprintf("%s/smadm.conf", root);
	if (transport_read_file(t, file, &text, 1 << 20, cause) != 0)
		goto out;
	if (memchr(text.data, '\0', text.len) != NULL) {
		*cause = xasprintf("%s: binary data, not a smadm.conf", file);
		goto out;
	}
	p = profile_parse(text.data, text.len, root, file, cause);
out:
	buf_release(&text);
	free(file);
	free(root);
	return p;
}

const char *
profile_table_path(const struct profile *p, const char *name)
{
	const struct table_def	*td;
	size_t			 i;

	if ((td = profile_table_def(name)) == NULL)
		return NULL;
	for (i = 0; i < profile_ntables; i++)
		if (p->tables[i].def == td)
			return p->tables[i].path;
	return NULL;
}

void
profile_format(const struct profile *p, struct buf *out)
{
	struct profile	*def;
	size_t		 i;
	char		*s;

	/* A key unset on purpose ("key =") must stay unset when read back. */
	def = profile_new("default");
	for (i = 0; i < nitems(conf_keys); i++) {
		const struct conf_key	*ck = &conf_keys[i];
		const void		*f = (const char *)p + ck->off;
		const void		*d = (const char *)def + ck->off;

		if (ck->kind <= 1) {
			if (*(char *const *)f != NULL)
				buf_printf(out, "%s = %s\n", ck->key,
				    *(char *const *)f);
			else if (*(char *const *)d != NULL)
				buf_printf(out, "%s =\n", ck->key);
		} else if (((const struct strv *)f)->n != 0) {
			s = strv_join(f, " ");
			buf_printf(out, "%s = %s\n", ck->key, s);
			free(s);
		}
	}
	if (p->sandbox)
		buf_addstr(out, "sandbox = yes\n");
	if (p->sudo)
		buf_addstr(out, "sudo = yes\n");
	if (p->backup_keep != def->backup_keep)
		buf_printf(out, "backup_keep = %d\n", p->backup_keep);
	if (p->backup_days != def->backup_days)
		buf_printf(out, "backup_days = %d\n", p->backup_days);
	if (p->remote_timeout != 0)
		buf_printf(out, "remote_timeout = %d\n", p->remote_timeout);
	for (i = 0; i < profile_ntables; i++)
		if (p->tables[i].path != NULL)
			buf_printf(out, "%s = %s\n", p->tables[i].def->name,
			    p->tables[i].path);
	profile_free(def);
}

/* What installs a missing program or the cf macros on p's layout. */
static const char *
profile_provider(const struct profile *p, int macros)
{
	switch (p->layout) {
	case LAYOUT_DEBIAN:
		return macros ? "apt-get install sendmail-cf" :
		    "apt-get install sendmail-bin m4";
	case LAYOUT_RHEL:
		return macros ? "dnf install sendmail-cf" :
		    "dnf install sendmail m4";
	case LAYOUT_FREEBSD:
		return macros ? "part of the base system; restore "
		    "/usr/share/sendmail/cf or set cf_dir" :
		    "part of the base system; GNU m4: pkg install m4";
	case LAYOUT_OPENBSD:
		return "pkg_add sendmail";
	default:
		return macros ? "install sendmail-cf" : NULL;
	}
}

void
profile_missing(const struct profile *p, struct transport *t,
    struct strv *out)
{
	const char	*must[] = { p->mc, p->cf, p->sendmail, p->m4 };
	const char	*names[] = { "mc", "cf", "sendmail", "m4" };
	const char	*how;
	char		*m4cf;
	size_t		 i;

	for (i = 0; i < nitems(must); i++) {
		if (must[i] == NULL)
			strv_pushf(out, "%s: not configured", names[i]);
		else if (!transport_exists(t, must[i])) {
			how = i >= 2 ? profile_provider(p, 0) : NULL;
			if (i == 0 && p->layout == LAYOUT_OPENBSD)
				how = "copy one of /usr/local/share/sendmail/"
				    "cf/openbsd-*.mc";
			strv_pushf(out, "%s: %s does not exist%s%s%s",
			    names[i], must[i], how != NULL ? " (" : "",
			    how != NULL ? how : "", how != NULL ? ")" : "");
		}
	}
	if (p->cf_dir != NULL) {
		m4cf = xasprintf("%s/m4/cf.m4", p->cf_dir);
		if (!transport_exists(t, m4cf))
			strv_pushf(out, "cf_dir: %s missing (%s)", m4cf,
			    profile_provider(p, 1));
		free(m4cf);
	}
	for (i = 0; i < p->queue_dirs.n; i++)
		if (!transport_exists(t, p->queue_dirs.v[i]))
			strv_pushf(out, "queue_dirs: %s does not exist",
			    p->queue_dirs.v[i]);
	for (i = 0; i < profile_ntables; i++) {
		if (p->tables[i].path != NULL &&
		    !transport_exists(t, p->tables[i].path))
			strv_pushf(out, "%s: %s does not exist",
			    p->tables[i].def->name, p->tables[i].path);
	}
}
