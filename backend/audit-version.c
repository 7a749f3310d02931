/*
 * audit-version.c -- the audit's version check (see audit.h): the version
 * "sendmail -bt -d0.1" names, against a list of versions with known
 * issues.  Apart from audit.c because the console runs it in the
 * background: sendmail can stall for long on name resolution.
 */
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "audit-int.h"
#include "host.h"

static const struct {
	const char		*below;
	enum audit_severity	 sev;
	const char		*note;
} audit_versions[] = {
	{ "8.12.10", AUDIT_HIGH, "before 8.12.10: remote root through "
	  "crackaddr() and prescan() buffer overflows (CVE-2002-1337, "
	  "CVE-2003-0161, CVE-2003-0694)" },
	{ "8.13.6", AUDIT_HIGH, "before 8.13.6: remote code execution "
	  "through a signal handler race (CVE-2006-0058)" },
	{ "8.14.4", AUDIT_MEDIUM, "before 8.14.4: X.509 certificates with a "
	  "NUL in the name accepted (CVE-2009-4565)" },
	{ "8.14.9", AUDIT_MEDIUM, "before 8.14.9: the daemon leaks open "
	  "descriptors to delivery programs (CVE-2014-3956)" },
	{ "8.18.1", AUDIT_INFO, "before 8.18.1: bare LF and bare CR in "
	  "SMTP data are accepted by default, which allows SMTP smuggling "
	  "(CVE-2023-51765); distributions may have back-ported a fix, so "
	  "check your vendor's advisories" }
};

int
audit_version_read(struct host *h, int timeout_ms, char **version,
    char **cause)
{
	static const char *const args[] = { "-bt", "-d0.1", NULL };
	struct run_opts		 ro;
	struct run_result	 rr;
	char			*p;

	*version = NULL;
	run_opts_init(&ro);
	ro.timeout_ms = timeout_ms;
	run_result_init(&rr);
	if (host_run_sendmail(h, args, &ro, &rr, cause) != 0) {
		run_result_release(&rr);
		return -1;
	}
	if (rr.timed_out) {
		*cause = xasprintf("sendmail -bt -d0.1 did not answer within "
		    "%d s", timeout_ms / 1000);
		run_result_release(&rr);
		return -1;
	}
	if ((p = strstr(rr.out.data, "Version ")) != NULL) {
		p += 8;
		*version = xstrndup(p, strcspn(p, " \t\r\n"));
	}
	run_result_release(&rr);
	if (*version == NULL || **version == '\0') {
		free(*version);
		*version = NULL;
		*cause = xstrdup("sendmail -d0.1 named no version");
		return -1;
	}
	return 0;
}

void
audit_version_add(struct audit *a, int flags, const char *version)
{
	char	*cur;
	size_t	 i;

	free(a->version);
	a->version = xstrdup(version);
	for (i = 0; i < nitems(audit_versions); i++)
		if (audit_version_cmp(version, audit_versions[i].below) < 0)
			break;
	cur = xasprintf("sendmail %s", version);
	if (i == nitems(audit_versions)) {
		if (flags & AUDIT_ALL)
			audit_finding_add(a, "version", AUDIT_INFO, 0,
			    "sendmail version with known issues", cur,
			    "No known issue for this version in smadm's list.",
			    "Nothing to do.");
		else
			free(cur);
	} else
		audit_finding_add(a, "version", audit_versions[i].sev, 1,
		    "sendmail version with known issues", cur,
		    audit_versions[i].note,
		    "Upgrade sendmail through the distribution's packages.");
	audit_sort(a);
}
