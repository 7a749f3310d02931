/*
 * rcconf.h -- read one variable from a file of shell assignments.
 *
 * /etc/os-release (ID=debian, ID_LIKE="rhel fedora"), FreeBSD's
 * /etc/rc.conf (hostname="mx.example.org") and OpenBSD's /etc/rc.conf.local
 * (sendmail_flags=...) are all NAME=VALUE lines meant for sh.  smadm never
 * runs them: it reads the plain forms those files use in practice.  A
 * value is taken up to a blank or a #, or between double quotes (where a
 * backslash keeps the next character) or single quotes.  The last
 * assignment of the name wins.  With whole set, an unquoted value is the
 * rest of the line up to a # (trailing blanks dropped): OpenBSD's rc reads
 * rc.conf.local so, and rcctl writes "sendmail_flags=-L sm-mta -bd" there.
 * The last assignment of the name wins, as it would in sh; lines that are not an
 * assignment of the name (comments, "export", other variables) are skipped.
 */
#ifndef SMADM_RCCONF_H
#define SMADM_RCCONF_H

#include <stddef.h>

/* NAME's value (heap), or NULL when the text never assigns it. */
char	*rcconf_get(const char *, size_t, const char *, int);

#endif
