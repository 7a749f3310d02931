/*
 * hostname.c -- will sendmail stall on this host's own name (see
 * hostname.h)?  No lookup and no sendmail run: files, and hostname(1)
 * when no file names the host.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hostname.h"
#include "profile.h"
#include "rcconf.h"
#include "transport.h"

#define HOSTNAME_MAX_FILE	(1 << 20)
/* The same path on Debian, RHEL (a /usr merge link), FreeBSD and OpenBSD;
 * it runs on the managed host, so not a path found by configure here. */
#define HOSTNAME_PROG		"/bin/hostname"

size_t
hostname_hosts_find(const char *text, size_t len, const char *name,
    char **fqdn)
{
	struct strv	 w = STRV_INIT;
	const char	*p = text, *e = text + len, *nl;
	char		*line, *hash;
	size_t		 no = 0, i, found = 0;

	*fqdn = NULL;
	while (p < e && found == 0) {
		nl = memchr(p, '\n', (size_t)(e - p));
		line = xstrndup(p, nl == NULL ? (size_t)(e - p) :
		    (size_t)(nl - p));
		p = nl == NULL ? e : nl + 1;
		no++;
		if ((hash = strchr(line, '#')) != NULL)
			*hash = '\0';
		for (i = 0; line[i] != '\0'; i++)
			if (line[i] == '\t' || line[i] == '\r')
				line[i] = ' ';
		strv_split_ws(&w, line);
		free(line);
		/* An address, then the canonical name and its aliases. */
		for (i = 1; i < w.n && found == 0; i++)
			if (strcasecmp(w.v[i], name) == 0)
				found = no;
		if (found != 0 && w.n > 1) {
			for (i = 1; i < w.n; i++)
				if (strchr(w.v[i], '.') != NULL) {
					*fqdn = xstrdup(w.v[i]);
					break;
				}
		}
		strv_release(&w);
	}
	return found;
}

/* The first word of the file ROOT/PATH, or NULL. */
static char *
hostname_file_word(struct transport *t, const char *root, const char *path)
{
	struct buf	 b = BUF_INIT;
	struct strv	 w = STRV_INIT;
	char		*file, *err = NULL, *name = NULL;

	file = xasprintf("%s%s", root != NULL ? root : "", path);
	if (transport_read_file(t, file, &b, 4096, &err) == 0) {
		b.data[strcspn(b.data, "\n")] = '\0';
		strv_split_ws(&w, b.data);
		if (w.n > 0)
			name = xstrdup(w.v[0]);
		strv_release(&w);
	}
	free(err);
	free(file);
	buf_release(&b);
	return name;
}

/* FreeBSD's hostname= of ROOT/etc/rc.conf, rc.conf.local overriding. */
static char *
hostname_rc_conf(struct transport *t, const char *root)
{
	static const char *const files[] = { "/etc/rc.conf",
	    "/etc/rc.conf.local" };
	struct buf	 b = BUF_INIT;
	char		*file, *err = NULL, *v, *name = NULL;
	size_t		 i;

	for (i = 0; i < nitems(files); i++) {
		buf_reset(&b);
		file = xasprintf("%s%s", root != NULL ? root : "", files[i]);
		if (transport_read_file(t, file, &b, HOSTNAME_MAX_FILE,
		    &err) == 0 && (v = rcconf_get(b.data, b.len,
		    "hostname", 0)) != NULL) {
			if (*v != '\0' && strpbrk(v, " \t") == NULL) {
				free(name);
				name = v;
			} else
				free(v);
		}
		free(err);
		err = NULL;
		free(file);
	}
	buf_release(&b);
	return name;
}

/* What the host's own hostname(1) says, or NULL. */
static char *
hostname_run(struct transport *t)
{
	const char *const argv[] = { HOSTNAME_PROG, NULL };
	struct run_opts		 ro;
	struct run_result	 rr;
	struct strv		 w = STRV_INIT;
	char			*err = NULL, *name = NULL;

	run_opts_init(&ro);
	ro.timeout_ms = 10000;
	ro.max_output = 4096;
	run_result_init(&rr);
	if (transport_run(t, argv, &ro, &rr, &err) == 0 && rr.exited &&
	    rr.status == 0) {
		buf_add(&rr.out, "", 1);
		rr.out.data[strcspn(rr.out.data, "\r\n")] = '\0';
		strv_split_ws(&w, rr.out.data);
		if (w.n > 0)
			name = xstrdup(w.v[0]);
		strv_release(&w);
	}
	free(err);
	run_result_release(&rr);
	return name;
}

char *
hostname_read(struct transport *t, const char *root, char **cause)
{
	static const char *const files[] = { "/proc/sys/kernel/hostname",
	    "/etc/hostname", "/etc/myname" };
	char		*name = NULL;
	size_t		 i;

	for (i = 0; i < nitems(files) && name == NULL; i++)
		name = hostname_file_word(t, root, files[i]);
	if (name == NULL)
		name = hostname_rc_conf(t, root);
	if (name == NULL)
		name = hostname_run(t);
	if (name == NULL)
		*cause = xstrdup("the host name is in none of "
		    "/proc/sys/kernel/hostname, /etc/hostname, /etc/myname and "
		    "the hostname= of /etc/rc.conf, and " HOSTNAME_PROG
		    " did not say it");
	return name;
}

int
hostname_check(struct host *h, struct hostname_check *hc, char **cause)
{
	struct buf	 text = BUF_INIT;
	char		*err = NULL;

	memset(hc, 0, sizeof *hc);
	if ((hc->name = hostname_read(h->t, NULL, cause)) == NULL)
		return -1;
	hc->hosts = h->prof->ns_dir != NULL ?
	    xasprintf("%s/hosts", h->prof->ns_dir) : xstrdup("/etc/hosts");
	if (strchr(hc->name, '.') != NULL) {
		hc->fqdn = xstrdup(hc->name);
		return 0;
	}
	if (transport_read_file(h->t, hc->hosts, &text, HOSTNAME_MAX_FILE,
	    &err) != 0) {
		free(err);	/* no hosts file: as good as not listed */
		buf_reset(&text);
	}
	hc->line = hostname_hosts_find(text.data, text.len, hc->name,
	    &hc->fqdn);
	buf_release(&text);
	if (hc->fqdn != NULL)
		return 0;
	if (hc->line != 0) {
		hc->state = HOSTNAME_STALL;
		hc->problem = xasprintf("host name %s is unqualified and "
		    "%s:%zu gives no qualified name for it: sendmail sleeps "
		    "60 s at every start (\"My unqualified host name (%s) "
		    "unknown; sleeping for retry\"), sendmail -bt too",
		    hc->name, hc->hosts, hc->line, hc->name);
	} else {
		hc->state = HOSTNAME_UNLISTED;
		hc->problem = xasprintf("host name %s is unqualified and not "
		    "in %s: sendmail asks DNS for it at every start, which "
		    "stalls when DNS is slow, and calls itself %s when DNS "
		    "does not know it", hc->name, hc->hosts, hc->name);
	}
	hc->fix = xasprintf("list the qualified name first for %s in %s "
	    "(\"127.0.1.1 %s.example.org %s\", with your domain); "
	    "define(`confDOMAIN_NAME', `%s.example.org') in the mc sets the "
	    "name sendmail uses but does not stop the lookup at start",
	    hc->name, hc->hosts, hc->name, hc->name, hc->name);
	return 0;
}

void
hostname_check_release(struct hostname_check *hc)
{
	free(hc->name);
	free(hc->hosts);
	free(hc->fqdn);
	free(hc->problem);
	free(hc->fix);
	memset(hc, 0, sizeof *hc);
}

int
hostname_no_stall(struct host *h, const char *what, char **cause)
{
	struct hostname_check	 hc;
	char			*err = NULL;
	int			 rc = 0;

	if (hostname_check(h, &hc, &err) != 0) {
		free(err);	/* unknown: let sendmail try */
		return 0;
	}
	if (hc.state == HOSTNAME_STALL) {
		*cause = xasprintf("%s: sendmail would sleep 60 s first: %s; "
		    "fix: %s", what, hc.problem, hc.fix);
		rc = -1;
	}
	hostname_check_release(&hc);
	return rc;
}
