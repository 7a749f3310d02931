/*
 * hostname.h -- will sendmail stall on this host's own name?
 *
 * Before it reads its cf, sendmail looks up the machine's name
 * (gethostname) to find its qualified name.  When the name has no dot and
 * the entry found for it (in the hosts file, first) has no dotted name
 * either, sendmail asks once more, logs "My unqualified host name (NAME)
 * unknown; sleeping for retry" and sleeps 60 s: at every daemon start and
 * HUP, every queue run, every "sendmail -bt" smadm runs.  A define of
 * confDOMAIN_NAME does not help there (the cf is read later); it only sets
 * the name sendmail uses afterwards.  The fix is a hosts line that lists
 * the qualified name first: "127.0.1.1 NAME.example.org NAME".
 *
 * The check does no lookup and runs no sendmail.  Through the transport it
 * reads the host's name (see hostname_read) and the hosts file sendmail
 * reads (the profile's namespace hosts file for a sandbox, else
 * /etc/hosts).
 */
#ifndef SMADM_HOSTNAME_H
#define SMADM_HOSTNAME_H

#include "host.h"

enum hostname_state {
	HOSTNAME_OK,		/* qualified, or the hosts file qualifies it */
	HOSTNAME_STALL,		/* in the hosts file with no dotted name */
	HOSTNAME_UNLISTED	/* not in the hosts file: DNS decides */
};

struct hostname_check {
	enum hostname_state	 state;
	char			*name;	/* the host's name */
	char			*hosts;	/* the hosts file read */
	char			*fqdn;	/* what sendmail will find, or NULL */
	size_t			 line;	/* the hosts line, from 1; 0: none */
	char			*problem; /* one line, NULL when OK */
	char			*fix;	/* what to do, NULL when OK */
};

/*
 * The host's name (heap): the first word of /proc/sys/kernel/hostname
 * (Linux), else of /etc/hostname, else of /etc/myname (OpenBSD), else the
 * hostname= of /etc/rc.conf or /etc/rc.conf.local (FreeBSD), else what
 * /bin/hostname prints when run through the transport.  root, when not
 * NULL, is put before each file's path (the unit tests read fixture trees
 * so); the program is the host's own either way.  NULL with *cause when
 * nothing names the host.
 */
char	*hostname_read(struct transport *, const char *, char **);

/* Check h's host name.  -1 with *cause when the name cannot be read. */
int	hostname_check(struct host *, struct hostname_check *, char **);
void	hostname_check_release(struct hostname_check *);
/*
 * Before running sendmail for h: -1 with *cause ("WHAT: sendmail would
 * sleep 60 s first: ...; fix: ...") when it would sleep on the host name,
 * else 0 (also when the name cannot be read: sendmail may still try).
 */
int	hostname_no_stall(struct host *, const char *, char **);

/*
 * In hosts-file text, the first line that lists name (case-insensitive,
 * as canonical name or alias): its line number from 1 (0: none), and in
 * *fqdn (heap) the name sendmail takes from it: the canonical name if it
 * has a dot, else the first alias with one, else NULL.  Comments (#) and
 * malformed lines are skipped.
 */
size_t	hostname_hosts_find(const char *, size_t, const char *, char **);

#endif
