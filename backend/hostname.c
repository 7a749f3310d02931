/*
 * hostname.c -- will sendmail stall on this host's own name (see
 * hostname.h)?  Files only: no lookup, no sendmail run.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hostname.h"
#include "profile.h"
#include "transport.h"

#define HOSTNAME_MAX_FILE	(1 << 20)

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

/* The host's name: the kernel's, else /etc/hostname (first word). */
static char *
hostname_read(struct host *h, char **cause)
{
	static const char *const files[] = { "/proc/sys/kernel/hostname",
	    "/etc/hostname" };
	struct buf	 b = BUF_INIT;
	struct strv	 w = STRV_INIT;
	char		*err = NULL, *name = NULL;
	size_t		 i;

	for (i = 0; i < nitems(files) && name == NULL; i++) {
		buf_reset(&b);
		if (transport_read_file(h->t, files[i], &b, 4096, &err) != 0) {
			free(err);
			err = NULL;
			continue;
		}
		b.data[strcspn(b.data, "\n")] = '\0';
		strv_split_ws(&w, b.data);
		if (w.n > 0)
			name = xstrdup(w.v[0]);
		strv_release(&w);
	}
	buf_release(&b);
	if (name == NULL)
		*cause = xstrdup("the host name is in neither "
		    "/proc/sys/kernel/hostname nor /etc/hostname");
	return name;
}

int
hostname_check(struct host *h, struct hostname_check *hc, char **cause)
{
	struct buf	 text = BUF_INIT;
	char		*err = NULL;

	memset(hc, 0, sizeof *hc);
	if ((hc->name = hostname_read(h, cause)) == NULL)
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
