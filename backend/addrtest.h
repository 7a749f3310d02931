/*
 * addrtest.h -- what sendmail does with an address, asked of the real
 * sendmail in its test modes (with the host's cf, in the sandbox
 * namespace for sandboxes):
 *
 *	sendmail -bt	"/parse ADDR" gives the mailer, host and user that
 *			ruleset parse resolves the address to (after
 *			virtusertable and mailertable); "$=w" and
 *			"$={VirtHost}" say whether the domain is local or
 *			virtual; "/map NAME KEY" shows each lookup in the
 *			order the cf's rules make them: virtuser (user@domain,
 *			@domain), mailertable (domain, .parent..., "."),
 *			aliases (the local part)
 *	sendmail -bv	what delivery would do, after alias expansion:
 *			"root... deliverable: mailer local, user root" or
 *			"x... User unknown"
 *
 * Nothing is sent and no queue file is written.
 */
#ifndef SMADM_ADDRTEST_H
#define SMADM_ADDRTEST_H

#include "host.h"

struct addrtest_lookup {
	char	*map;		/* sendmail's map name: virtuser, ... */
	char	*key;
	char	*value;		/* NULL: no match */
	int	 missing;	/* the cf declares no such map */
};

struct addrtest {
	char			*address;	/* as asked */
	char			*local;		/* local part */
	char			*domain;	/* NULL: none */
	int			 local_domain;	/* domain in class w */
	int			 virtual_domain; /* in class VirtHost */

	char			*mailer;	/* /parse: NULL if none */
	char			*host;		/* NULL: none */
	char			*user;
	char			*parse_error;	/* "a@@b... Invalid route" */

	struct addrtest_lookup	*lookups;
	size_t			 nlookups;

	int			 deliverable;	/* -bv said so */
	char			*verify;	/* -bv's lines */
	char			*bt_output;	/* raw -bt answer */
};

void	addrtest_init(struct addrtest *);
void	addrtest_release(struct addrtest *);

/*
 * Ask the host's sendmail about addr.  Refuses an address that is empty,
 * starts with "-", holds control characters or is longer than 512 bytes.
 * Returns -1 only when sendmail cannot be run or its answer cannot be
 * read; an undeliverable address is a result.
 */
int	addrtest_run(struct host *, const char *, struct addrtest *, char **);

/*
 * The -bt input for an address already split into at->local and
 * at->domain, and the reading of sendmail's answer to it (exposed for
 * the tests).  addrtest_read_bt returns -1 when the answer does not have
 * one response per command.
 */
void	addrtest_bt_script(struct addrtest *, struct buf *);
int	addrtest_read_bt(struct addrtest *, const char *, char **);

#endif
