/*
 * wizard-generate.c -- the wizard for a host (see wizard.h): the role's
 * template filled in from the answers with the host's places, checked
 * against what the profile can hold, and the files it writes.
 */
#include <stdlib.h>
#include <string.h>

#include "mc.h"
#include "wizard.h"

static char *
wizard_dir_of(const char *p)
{
	const char	*s = strrchr(p, '/');

	return s == NULL || s == p ? xstrdup("/") :
	    xstrndup(p, (size_t)(s - p));
}

/* Does the table text t hold an entry (a line not blank nor a comment)? */
static int
wizard_has_entries(const struct buf *t)
{
	const char	*p = t->data, *end = t->data + t->len;

	while (p < end) {
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p < end && *p != '#' && *p != '\n')
			return 1;
		while (p < end && *p++ != '\n')
			;
	}
	return 0;
}

/*
 * Entries of the answers for a table the profile names no file for would
 * vanish: the mc's FEATURE reads a file smadm neither writes, backs up
 * nor builds.  Refuse, naming the smadm.conf key to add.
 */
static int
wizard_check_places(const struct profile *prof, const struct wizard_out *o,
    const char *answers, size_t len, const char *name, char **cause)
{
	const char	*miss = NULL;
	size_t		 line = 0;

	if (o->need_mailertable && wizard_has_entries(&o->mailertable) &&
	    profile_table_path(prof, "mailertable") == NULL)
		miss = "mailertable";
	else if (o->need_virtusertable &&
	    wizard_has_entries(&o->virtusertable) &&
	    profile_table_path(prof, "virtusertable") == NULL)
		miss = "virtusertable";
	else if (profile_table_path(prof, "access") == NULL) {
		if (wizard_answer_line(answers, len, name, "relay_nets",
		    &line, cause) != 0)
			return -1;
		if (line != 0)
			miss = "access";
	}
	if (miss == NULL)
		return 0;
	if (line != 0)
		*cause = xasprintf("%s:%zu: relay_nets: the profile names no "
		    "access file: add \"access = PATH\" to smadm.conf (the "
		    "file the mc's access_db reads); nothing written", name,
		    line);
	else
		*cause = xasprintf("%s: the answers have %s entries but the "
		    "profile names no %s file: add \"%s = PATH\" to "
		    "smadm.conf (the file the mc's FEATURE(`%s') reads); "
		    "nothing written", name, miss, miss, miss, miss);
	return -1;
}

/*
 * A host table with entries that the role's mc would no longer read (the
 * admin's virtual addresses, routes) keeps its FEATURE: it goes in before
 * the first MAILER line, reading the profile's file, and the table joins
 * the wizard's files (the merge keeps every entry).  A nullclient reads
 * no tables: there the plan only says they are no longer read.
 */
static void
wizard_keep_table(struct host *h, const char *role, const char *name,
    int *need, struct buf *text, struct wizard_out *o)
{
	struct buf	 cur = BUF_INIT, mc = BUF_INIT;
	const char	*path, *at;
	char		*ignore = NULL;

	if (*need || (path = profile_table_path(h->prof, name)) == NULL)
		return;
	if (transport_read_file(h->t, path, &cur, 1 << 24, &ignore) != 0 ||
	    !wizard_has_entries(&cur)) {
		free(ignore);
		buf_release(&cur);
		return;
	}
	buf_release(&cur);
	if (strcmp(role, "nullclient") == 0) {
		strv_push_nocopy(&o->notes, xasprintf("%s has entries, and "
		    "role nullclient reads no %s: they are no longer read",
		    path, name));
		return;
	}
	at = o->mc.data;
	while ((at = strstr(at, "MAILER(")) != NULL && at != o->mc.data &&
	    at[-1] != '\n')
		at++;
	if (at == NULL)
		at = o->mc.data + o->mc.len;
	buf_add(&mc, o->mc.data, (size_t)(at - o->mc.data));
	buf_printf(&mc, "FEATURE(`%s', `hash -o %s')dnl\n", name, path);
	buf_add(&mc, at, o->mc.len - (size_t)(at - o->mc.data));
	buf_reset(&o->mc);
	buf_add(&o->mc, mc.data, mc.len);
	buf_release(&mc);
	buf_reset(text);
	buf_printf(text, "# %s (smadm wizard)\n", name);
	*need = 1;
	strv_push_nocopy(&o->notes, xasprintf("%s has entries: FEATURE(`%s') "
	    "kept in the mc, though role %s has none, and every entry kept",
	    path, name, role));
}

int
wizard_generate(struct host *h, const char *tdir, const char *answers,
    size_t len, const char *name, char **role, char **tpath,
    struct wizard_out *o, char **cause)
{
	struct profile		*prof = h->prof;
	struct transport	*local;
	struct buf		 tmpl = BUF_INIT, cur = BUF_INIT;
	const char		*access;
	char			*mail_dir = NULL, *port, *addr, *ignore = NULL;
	int			 rc = -1, have_cur, tport;

	*role = *tpath = NULL;
	if (prof->mc == NULL) {
		*cause = xstrdup("the profile has no mc");
		return -1;
	}
	if (wizard_role(answers, len, name, role, cause) != 0 ||
	    wizard_test_port(answers, len, name, &tport, cause) != 0)
		return -1;
	local = transport_local_create();
	*tpath = xasprintf("%s/roles/%s.mc", tdir, *role);
	if (transport_read_file(local, *tpath, &tmpl, 1 << 20, cause) != 0)
		goto out;
	access = profile_table_path(prof, "access");
	mail_dir = wizard_dir_of(access != NULL ? access : prof->mc);
	port = wizard_profile_port(prof);
	addr = wizard_profile_addr(prof);
	o->def_port = port;
	o->def_addr = addr;
	rc = wizard_build(answers, len, name, tmpl.data, tmpl.len, mail_dir,
	    o, cause);
	o->def_port = o->def_addr = NULL;
	free(port);
	free(addr);
	if (rc != 0 ||
	    (rc = wizard_check_places(prof, o, answers, len, name, cause)) != 0)
		goto out;
	wizard_keep_table(h, *role, "mailertable", &o->need_mailertable,
	    &o->mailertable, o);
	wizard_keep_table(h, *role, "virtusertable", &o->need_virtusertable,
	    &o->virtusertable, o);
	have_cur = transport_read_file(h->t, prof->mc, &cur, 1 << 20,
	    &ignore) == 0;
	free(ignore);
	rc = wizard_profile_mc(prof, have_cur ? cur.data : NULL, cur.len,
	    &o->mc, cause);
out:
	buf_release(&cur);
	free(mail_dir);
	buf_release(&tmpl);
	transport_free(local);
	return rc;
}

static void
add_table(struct host *h, struct strv *vroles, struct strv *paths,
    const struct buf **data, const char *name, int needed,
    const struct buf *text)
{
	const char	*path;

	if (!needed || (path = profile_table_path(h->prof, name)) == NULL)
		return;
	strv_push(vroles, name);
	strv_push(paths, path);
	data[vroles->n - 1] = text;
}

void
wizard_files(struct host *h, const struct wizard_out *o, struct strv *vroles,
    struct strv *paths, const struct buf **data)
{
	const char	*lhn, *access;

	strv_push(vroles, "mc");
	strv_push(paths, h->prof->mc);
	data[0] = &o->mc;
	if ((lhn = profile_table_path(h->prof, "local_host_names")) != NULL) {
		strv_push(vroles, "local_host_names");
		strv_push(paths, lhn);
		data[vroles->n - 1] = &o->local_host_names;
	}
	access = profile_table_path(h->prof, "access");
	if (access != NULL && o->access.len != 0) {
		strv_push(vroles, "access");
		strv_push(paths, access);
		data[vroles->n - 1] = &o->access;
	}
	add_table(h, vroles, paths, data, "mailertable", o->need_mailertable,
	    &o->mailertable);
	add_table(h, vroles, paths, data, "virtusertable",
	    o->need_virtusertable, &o->virtusertable);
}
