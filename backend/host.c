/*
 * host.c -- open hosts and run sendmail's programs for them.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "transport-ssh.h"
#include "trust.h"

struct host *
host_create(struct transport *t, struct profile *p)
{
	struct host	*h;

	h = xcalloc(1, sizeof *h);
	h->t = t;
	h->prof = p;
	return h;
}

/* DIR/smadm.conf (checked by trust.h) with a root, else the detected layout. */
static struct profile *
host_profile(struct transport *t, const char *root, char **cause)
{
	if (root != NULL)
		return trust_profile_load(t, root, cause);
	return profile_detect(t);
}

struct host *
host_open_local(const char *root, char **cause)
{
	struct transport	*t;
	struct profile		*p;
	char			 abs[PATH_MAX];

	t = transport_local_create();
	/*
	 * Programs run from "/" (and in a namespace): the profile's relative
	 * paths must be made absolute from an absolute DIR.
	 */
	if (root != NULL && root[0] != '/' && realpath(root, abs) != NULL)
		root = abs;
	if ((p = host_profile(t, root, cause)) == NULL) {
		transport_free(t);
		return NULL;
	}
	return host_create(t, p);
}

struct host *
host_open_ssh(const struct ssh_opts *o, const char *root, char **cause)
{
	struct transport	*t;
	struct profile		*p;

	if (root != NULL && root[0] != '/') {
		*cause = xasprintf("-r %s: with -H the profile directory must "
		    "be an absolute path on %s", root, o->spec);
		return NULL;
	}
	if ((t = transport_ssh_create(o, cause)) == NULL)
		return NULL;
	if ((p = host_profile(t, root, cause)) == NULL) {
		transport_free(t);
		return NULL;
	}
	if (p->sudo || o->sudo)
		transport_ssh_set_sudo(t, 1);
	transport_ssh_set_timeout(t, p->remote_timeout);
	return host_create(t, p);
}

void
host_free(struct host *h)
{
	if (h == NULL)
		return;
	profile_free(h->prof);
	transport_free(h->t);
	free(h);
}

int
host_run(struct host *h, const char *const *argv, const struct run_opts *ro,
    struct run_result *rr, char **cause)
{
	struct run_opts	opts;

	if (ro != NULL)
		opts = *ro;
	else
		run_opts_init(&opts);
	if (opts.ns_dir == NULL && h->prof->ns_dir != NULL)
		opts.ns_dir = h->prof->ns_dir;
	return transport_run(h->t, argv, &opts, rr, cause);
}

int
host_run_sendmail(struct host *h, const char *const *args,
    const struct run_opts *ro, struct run_result *rr, char **cause)
{
	struct strv	argv = STRV_INIT;
	size_t		i;
	int		rc;

	if (h->prof->sendmail == NULL || h->prof->cf == NULL) {
		*cause = xstrdup("profile has no sendmail binary or cf");
		return -1;
	}
	strv_push(&argv, h->prof->sendmail);
	strv_push(&argv, "-C");
	strv_push(&argv, h->prof->cf);
	for (i = 0; args[i] != NULL; i++)
		strv_push(&argv, args[i]);
	rc = host_run(h, (const char *const *)argv.v, ro, rr, cause);
	strv_release(&argv);
	return rc;
}
