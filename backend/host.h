/*
 * host.h -- a host is a transport plus the profile of its sendmail.
 */
#ifndef SMADM_HOST_H
#define SMADM_HOST_H

#include "profile.h"
#include "transport.h"

struct host {
	struct transport	*t;
	struct profile		*prof;
};

/* Open the local machine, with DIR/smadm.conf when root is not NULL. */
struct host	*host_open_local(const char *, char **);
/*
 * Open a host over SSH (transport-ssh.h), with the remote DIR/smadm.conf
 * when root is not NULL (an absolute path on that host), else the remote
 * layout detected.  A profile that says "sudo = yes" makes the transport
 * run programs through sudo -n.
 */
struct ssh_opts;
struct host	*host_open_ssh(const struct ssh_opts *, const char *, char **);
/* Take ownership of a transport and a profile. */
struct host	*host_create(struct transport *, struct profile *);
void		 host_free(struct host *);

/*
 * Run the profile's sendmail with "-C cf" and the given arguments, inside
 * the sandbox namespace when the profile has one.  args ends with NULL.
 */
int		 host_run_sendmail(struct host *, const char *const *,
		    const struct run_opts *, struct run_result *, char **);
/* Run any program for this host (namespace applied for sandboxes). */
int		 host_run(struct host *, const char *const *,
		    const struct run_opts *, struct run_result *, char **);

#endif
