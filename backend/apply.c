/*
 * apply.c -- the mc -> cf pipeline (see apply.h).
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "apply.h"
#include "hostname.h"
#include "audit.h"
#include "cf-m4.h"
#include "backup.h"
#include "diff.h"
#include "op.h"
#include "trust.h"
#include "apply-int.h"

/* The steps the progress counts: per unit, and apply_commit's own. */
#define PREPARE_STEPS	4	/* generate, validate, diff, audit */
#define COMMIT_STEPS	3	/* backup, maps, reload; install per unit */

const char *
apply_status_name(enum apply_status s)
{
	switch (s) {
	case APPLY_OK:
		return "ok";
	case APPLY_SKIPPED:
		return "skipped";
	case APPLY_FAILED:
		return "FAILED";
	case APPLY_WARN:
		return "WARNING";
	}
	return "?";
}

void
apply_format_steps(const struct apply *a, struct buf *out)
{
	const struct apply_step	*s;
	size_t			 i;

	for (i = 0; i < a->nsteps; i++) {
		s = &a->steps[i];
		buf_printf(out, "  %-8s %s%s%s\n", apply_status_name(s->status),
		    s->name, s->detail != NULL && *s->detail ? ": " : "",
		    s->detail != NULL ? s->detail : "");
	}
}

static void
step_add(struct apply *a, enum apply_status st, const char *name,
    const char *fmt, ...) printflike(4, 5);

static void
step_add(struct apply *a, enum apply_status st, const char *name,
    const char *fmt, ...)
{
	struct apply_step	*s;
	va_list			 ap;

	a->steps = xreallocarray(a->steps, a->nsteps + 1, sizeof *a->steps);
	s = &a->steps[a->nsteps++];
	s->name = xstrdup(name);
	s->status = st;
	s->detail = NULL;
	if (fmt != NULL) {
		va_start(ap, fmt);
		s->detail = xvasprintf(fmt, ap);
		va_end(ap);
	}
}

/* Was a cancel asked?  Then 1, and a "cancel" step names what was next. */
static int
step_stop(struct apply *a, const char *next)
{
	if (!op_cancelled(a->ctl))
		return 0;
	a->cancelled = 1;
	step_add(a, APPLY_SKIPPED, "cancel", "stopped before %s: nothing "
	    "was installed", next);
	return 1;
}

/*
 * A step begins: ctl hears "apply" with the steps done so far and the
 * step's name.  Where stopping leaves nothing to undo (may_stop), a
 * cancel asked through ctl is honoured instead (step_stop).
 */
void
apply_add_step(struct apply *a, enum apply_status st, const char *name,
    const char *detail)
{
	step_add(a, st, name, "%s", detail);
}

static int
step_begin(struct apply *a, const char *name, int may_stop)
{
	if (may_stop && step_stop(a, name))
		return 1;
	if (a->nbegun >= a->nplanned)
		a->nplanned = a->nbegun + 1;
	op_progress(a->ctl, "apply", a->nbegun++, a->nplanned, name);
	return 0;
}

static const char *
base_name(const char *p)
{
	const char	*s = strrchr(p, '/');

	return s != NULL ? s + 1 : p;
}

char *
apply_dir_name(const char *p)
{
	const char	*s = strrchr(p, '/');

	if (s == NULL)
		return xstrdup(".");
	if (s == p)
		return xstrdup("/");
	return xstrndup(p, (size_t)(s - p));
}

struct apply *
apply_create(struct host *h, const struct apply_hooks *hooks)
{
	struct apply		*a;
	struct apply_unit	*u;
	struct profile		*p = h->prof;

	a = xcalloc(1, sizeof *a);
	a->h = h;
	a->hooks = hooks;
	buf_init(&a->diff);
	buf_init(&a->drift);
	buf_init(&a->units[0].mc_text);
	buf_init(&a->units[0].cf_text);
	buf_init(&a->units[1].mc_text);
	buf_init(&a->units[1].cf_text);
	u = &a->units[a->nunits++];
	u->role_mc = "mc";
	u->role_cf = "cf";
	u->mc = p->mc != NULL ? xstrdup(p->mc) : NULL;
	u->cf = p->cf != NULL ? xstrdup(p->cf) : NULL;
	if (p->submit_mc != NULL && p->submit_cf != NULL &&
	    transport_exists(h->t, p->submit_mc)) {
		u = &a->units[a->nunits++];
		u->role_mc = "submit_mc";
		u->role_cf = "submit_cf";
		u->mc = xstrdup(p->submit_mc);
		u->cf = xstrdup(p->submit_cf);
	}
	return a;
}

void
apply_remove_new(struct apply *a)
{
	size_t	 i;
	char	*ignore = NULL;

	if (a == NULL || (a->flags & APPLY_KEEP_NEW))
		return;
	for (i = 0; i < a->nunits; i++) {
		if (a->units[i].new_cf == NULL)
			continue;
		transport_remove(a->h->t, a->units[i].new_cf, &ignore);
		free(ignore);
		ignore = NULL;
		free(a->units[i].new_cf);
		a->units[i].new_cf = NULL;
	}
}

/* The preview copy of the mc, if it is still there. */
static void
remove_gen_mc(struct apply *a, struct apply_unit *u)
{
	char	*ignore = NULL;

	if (u->gen_mc == NULL)
		return;
	transport_remove(a->h->t, u->gen_mc, &ignore);
	free(ignore);
	free(u->gen_mc);
	u->gen_mc = NULL;
}

int
apply_use_mc_text(struct apply *a, const char *text, size_t len,
    char **cause)
{
	struct apply_unit	*u = &a->units[0];
	struct write_opts	 wo;

	if (u->mc == NULL) {
		*cause = xstrdup("the profile names no mc");
		return -1;
	}
	if (text_editable(u->mc, text, len, 65536, cause) != 0)
		return -1;
	remove_gen_mc(a, u);
	u->gen_mc = xasprintf("%s.smadm-preview", u->mc);
	write_opts_init(&wo);
	wo.keep_mode = 0;
	wo.mode = 0600;
	wo.no_follow = 1;
	if (transport_write_file(a->h->t, u->gen_mc, text, len, &wo,
	    cause) != 0) {
		free(u->gen_mc);
		u->gen_mc = NULL;
		return -1;
	}
	return 0;
}

void
apply_free(struct apply *a)
{
	size_t	 i;

	if (a == NULL)
		return;
	apply_remove_new(a);
	for (i = 0; i < a->nunits; i++) {
		remove_gen_mc(a, &a->units[i]);
		free(a->units[i].mc);
		free(a->units[i].cf);
		free(a->units[i].new_cf);
		buf_release(&a->units[i].mc_text);
		buf_release(&a->units[i].cf_text);
	}
	for (i = 0; i < a->nsteps; i++) {
		free(a->steps[i].name);
		free(a->steps[i].detail);
	}
	free(a->steps);
	buf_release(&a->diff);
	buf_release(&a->drift);
	strv_release(&a->profile_keys);
	strv_release(&a->profile_values);
	free(a->backup_id);
	free(a);
}

/*
 * Does a cf relay for a client beyond this host?  sendmail -bt runs
 * check_rcpt, the ruleset that says "Relaying denied", for a recipient in
 * a reserved outside domain, with the client address set to one of
 * TEST-NET-2 (RFC 5737): whatever the mc's text says, this is what the cf
 * does.  1: it relays; 0: it refuses; -1: no answer (detail says why).
 */
static int
relay_probe(struct host *h, const char *cf, struct buf *detail)
{
	static const char input[] = ".D{client_addr}198.51.100.7\n"
	    ".D{client_name}relay-probe.smadm.invalid\n"
	    "check_rcpt <probe@relay-probe.invalid>\n";
	struct run_opts		 ro;
	struct run_result	 rr;
	const char		*argv[] = { h->prof->sendmail, "-C", cf, "-bt",
				    NULL };
	const char		*p, *line = NULL, *nl;
	char			*cause = NULL;
	int			 r = -1;

	run_result_init(&rr);
	if (h->prof->sendmail == NULL)
		goto out;
	run_opts_init(&ro);
	ro.timeout_ms = 60000;
	ro.stdin_data = input;
	ro.stdin_len = sizeof input - 1;
	if (host_run(h, argv, &ro, &rr, &cause) != 0) {
		buf_addstr(detail, cause);
		goto out;
	}
	for (p = rr.out.data; (p = strstr(p, "check_rcpt")) != NULL; p++)
		if ((p == rr.out.data || p[-1] == '\n') &&
		    strstr(p, "returns:") != NULL)
			line = p;
	if (line == NULL) {
		buf_addstr(detail, "sendmail -bt gave no check_rcpt answer");
		goto out;
	}
	nl = strchr(line, '\n');
	if (nl == NULL)
		nl = line + strlen(line);
	for (p = line; p < nl; p++)	/* one blank for sendmail's padding */
		if (*p != ' ' || p == line || p[-1] != ' ')
			buf_addch(detail, *p);
	p = strstr(line, "returns:");
	r = !(strncmp(p, "returns: $# error", 17) == 0 ||
	    strncmp(p, "returns: $# discard", 19) == 0);
out:
	free(cause);
	run_result_release(&rr);
	return r;
}

/*
 * What the new cf really does, seen by the audit before it is installed:
 * the findings of medium or high severity that the live cf does not have
 * (a value or a hand edit of the mc can turn on what its text does not
 * show, such as an open relay).  A warning step, never a failure.
 */
static void
audit_new(struct apply *a, struct apply_unit *u, const struct buf *live)
{
	struct audit		*now = NULL, *was = NULL;
	struct buf		 found = BUF_INIT, probe = BUF_INIT;
	struct buf		 probe_live = BUF_INIT;
	const struct audit_finding *f;
	char			*why = NULL, *name;
	size_t			 i, n = 0;

	name = xasprintf("audit %s", base_name(u->cf));
	if (audit_run_cf(a->h, u->cf_text.data, u->cf_text.len, 0, &now,
	    &why) != 0) {
		step_add(a, APPLY_SKIPPED, name, "%s", why);
		goto out;
	}
	if (live->len > 0 && audit_run_cf(a->h, live->data, live->len, 0,
	    &was, &why) != 0) {
		free(why);
		why = NULL;
	}
	for (i = 0; i < now->n; i++) {
		f = &now->v[i];
		if (f->severity < AUDIT_MEDIUM ||
		    (was != NULL && audit_find(was, f->id) != NULL))
			continue;
		buf_printf(&found, "%s%s %s (%s)", n++ ? "; " : "",
		    audit_severity_name(f->severity), f->id, f->title);
	}
	/* The rules themselves, asked: relaying for an outside client. */
	if (u->new_cf != NULL &&
	    relay_probe(a->h, u->new_cf, &probe) == 1 &&
	    (live->len == 0 || relay_probe(a->h, u->cf, &probe_live) == 0))
		buf_printf(&found, "%shigh open relay: sendmail -bt on the new "
		    "cf relays for 198.51.100.7 to probe@relay-probe.invalid "
		    "(%s), the live cf refuses", n++ ? "; " : "", probe.data);
	if (n == 0)
		step_add(a, APPLY_OK, name, "no new finding of medium or "
		    "high severity");
	else
		step_add(a, APPLY_WARN, name, "the new cf brings %s", found.data);
out:
	audit_free(now);
	audit_free(was);
	buf_release(&found);
	buf_release(&probe);
	buf_release(&probe_live);
	free(why);
	free(name);
}

static int
generate(struct apply *a, struct apply_unit *u, int write_new, char **cause)
{
	struct host		*h = a->h;
	struct write_opts	 wo;
	struct tstat		 st;
	struct buf		 warned = BUF_INIT;
	char			*name, *src;
	int			 rc = -1, copy = u->gen_mc != NULL;

	name = xasprintf("generate %s", base_name(u->cf));
	src = xstrdup(copy ? u->gen_mc : u->mc);
	buf_reset(&u->mc_text);
	if (transport_read_file(h->t, src, &u->mc_text, 0, cause) != 0)
		goto fail;
	buf_reset(&u->cf_text);
	rc = cf_generate(h->t, h->prof->m4, h->prof->cf_dir, src,
	    &u->cf_text, &warned, cause);
	remove_gen_mc(a, u);
	if (rc != 0) {
		rc = -1;
		goto fail;
	}
	rc = -1;
	if (write_new) {
		u->new_cf = xasprintf("%s.smadm-new", u->cf);
		write_opts_init(&wo);
		wo.keep_mode = 0;
		wo.mode = 0644;
		wo.no_follow = 1;
		if (transport_stat(h->t, u->cf, 1, &st, cause) != 0)
			goto fail;
		if (st.type == TS_REG)
			wo.mode = st.mode;
		if (transport_write_file(h->t, u->new_cf, u->cf_text.data,
		    u->cf_text.len, &wo, cause) != 0) {
			free(u->new_cf);
			u->new_cf = NULL;
			goto fail;
		}
	}
	/* m4's warnings are shown, and the apply goes on (cf-m4.h). */
	step_add(a, warned.len != 0 ? APPLY_WARN : APPLY_OK, name,
	    "%s from %s%s%s%s", write_new ? u->new_cf : "in memory", u->mc,
	    copy ? " as edited (a copy, the file is unchanged)" : "",
	    warned.len != 0 ? "; m4 warns: " : "",
	    warned.len != 0 ? warned.data : "");
	rc = 0;
	goto out;
fail:
	step_add(a, APPLY_FAILED, name, "%s", *cause);
out:
	buf_release(&warned);
	free(name);
	free(src);
	return rc;
}

int
apply_validate(struct host *h, const char *cf, struct buf *detail,
    char **cause)
{
	if (h->prof->sendmail == NULL) {
		*cause = xstrdup("profile has no sendmail binary");
		return -1;
	}
	if (hostname_no_stall(h, "not validated", cause) != 0)
		return -1;
	return cf_validate(h->t, h->prof->sendmail, h->prof->ns_dir, cf,
	    detail, cause);
}

int
apply_prepare(struct apply *a, int flags, char **cause)
{
	struct apply_unit	*u;
	struct buf		 live = BUF_INIT, d = BUF_INIT;
	char			*name, *label;
	size_t			 i, n, moved = 0, inl = 0;
	enum apply_status	 st;
	int			 rc = -1, verdict;

	a->flags = flags;
	if (a->nplanned == 0)
		a->nplanned = a->nunits * PREPARE_STEPS +
		    (flags & APPLY_THEN_COMMIT ? COMMIT_STEPS + a->nunits : 0);
	for (i = 0; i < a->nunits; i++) {
		u = &a->units[i];
		if (u->mc == NULL || u->cf == NULL) {
			*cause = xstrdup("profile has no mc or cf");
			goto out;
		}
		if (a->h->prof->cf_dir == NULL || a->h->prof->m4 == NULL) {
			*cause = xstrdup("profile has no cf_dir or m4");
			goto out;
		}
		name = xasprintf("generate %s", base_name(u->cf));
		rc = step_begin(a, name, 1);
		free(name);
		if (rc != 0)
			goto out;
		rc = -1;
		if (generate(a, u, !(flags & APPLY_NO_VALIDATE), cause) != 0)
			goto out;
		if (strcmp(u->role_mc, "mc") == 0 &&
		    !(flags & APPLY_NO_VALIDATE) &&
		    (verdict = apply_profile_verdict(a, u, &st, &label,
		    cause)) != 0) {
			step_add(a, st, "profile sendmail.cf", "%s", label);
			free(label);
			if (verdict < 0)
				goto out;
		}
		name = xasprintf("validate %s", base_name(u->cf));
		if (step_begin(a, name, 1) != 0) {
			free(name);
			rc = 1;
			goto out;
		}
		if (flags & APPLY_NO_VALIDATE)
			step_add(a, APPLY_SKIPPED, name, NULL);
		else {
			buf_reset(&d);
			if (apply_validate(a->h, u->new_cf, &d, cause) != 0) {
				step_add(a, APPLY_FAILED, name, "%s", *cause);
				free(name);
				goto out;
			}
			step_add(a, APPLY_OK, name, "%s", d.data);
		}
		free(name);
		name = xasprintf("diff %s", base_name(u->cf));
		if (step_begin(a, name, 1) != 0) {
			free(name);
			rc = 1;
			goto out;
		}
		buf_reset(&live);
		if (transport_exists(a->h->t, u->cf) &&
		    transport_read_file(a->h->t, u->cf, &live, 0, cause) != 0) {
			free(name);
			goto out;
		}
		label = xasprintf("%s (generated from %s)", u->cf, u->mc);
		n = diff_unified(live.data, live.len, u->cf_text.data,
		    u->cf_text.len, u->cf, label, 3, diff_ignore_cf_stamp,
		    &a->diff);
		u->changed = n != 0 || !transport_exists(a->h->t, u->cf);
		a->changed += n;
		/* What sendmail would do differently: comments do not count. */
		u->acted = n == 0 ? 0 : diff_cf(live.data, live.len,
		    u->cf_text.data, u->cf_text.len, u->cf, label, 3, &a->drift);
		a->acted += u->acted;
		free(label);
		if (n != 0 && u->acted == 0) {
			diff_cf_ignored(live.data, live.len, u->cf_text.data,
			    u->cf_text.len, &moved, &inl);
			a->moved += moved;
			a->inl += inl;
		}
		if (n == 0)
			step_add(a, APPLY_OK, name, "no change");
		else if (u->acted == 0)
			step_add(a, APPLY_OK, name, "%zu lines differ, %s: "
			    "sendmail reads the same", n,
			    diff_cf_ignored_what(moved, inl));
		else
			step_add(a, APPLY_OK, name, "%zu lines differ, %zu "
			    "entries that sendmail reads", n, u->acted);
		free(name);
		if (u->changed && !(flags & APPLY_NO_VALIDATE) &&
		    strcmp(u->role_mc, "mc") == 0) {
			name = xasprintf("audit %s", base_name(u->cf));
			if (step_begin(a, name, 1) != 0) {
				free(name);
				rc = 1;
				goto out;
			}
			free(name);
			audit_new(a, u, &live);
		} else
			a->nbegun++;	/* counted, not run */
	}
	/* What comes next installs: the last moment to stop for free. */
	if ((flags & APPLY_THEN_COMMIT) && step_stop(a, "the backup")) {
		rc = 1;
		goto out;
	}
	rc = 0;
out:
	buf_release(&live);
	buf_release(&d);
	return rc;
}

static int
run_hook(struct apply *a, const char *name,
    int (*fn)(struct host *, void *, struct buf *, char **), char **cause)
{
	struct buf	 d = BUF_INIT;
	char		*one;
	int		 rc;

	if (fn == NULL) {
		step_add(a, APPLY_SKIPPED, name, "no hook in this build");
		return 0;
	}
	rc = fn(a->h, a->hooks->arg, &d, cause);
	if (rc >= 0) {
		one = apply_one_line(&d);
		step_add(a, rc == 0 ? APPLY_OK : APPLY_SKIPPED, name, "%s",
		    one);
		free(one);
	} else
		step_add(a, APPLY_FAILED, name, "%s", *cause);
	buf_release(&d);
	return rc < 0 ? -1 : 0;
}

int
apply_commit(struct apply *a, int run_hooks, char **cause)
{
	struct strv		 roles = STRV_INIT, paths = STRV_INIT;
	struct strv		 srcs = STRV_INIT;
	struct backup_set	 set;
	struct apply_unit	*u;
	struct write_opts	 wo;
	const char		*only[3];
	char			*ap, *why = NULL, *name;
	size_t			 i, nonly = 0;
	int			 any = 0, rc = -1, journaled = 0, begun = 0;

	memset(&set, 0, sizeof set);
	for (i = 0; i < a->nunits; i++)
		any |= a->units[i].changed;
	if (!any) {
		if (step_stop(a, "the maps")) {
			rc = 1;
			goto out;
		}
		a->nbegun += 1 + a->nunits;	/* no backup, no install */
		step_add(a, APPLY_SKIPPED, "install", "the live cf is what "
		    "the mc generates");
		if (run_hooks && a->hooks != NULL) {
			step_begin(a, "maps", 0);
			if (run_hook(a, "maps", a->hooks->rebuild_maps,
			    cause) != 0)
				goto out;
		}
		step_add(a, APPLY_SKIPPED, "reload", "cf unchanged");
		rc = 0;
		goto out;
	}
	for (i = 0; i < a->nunits; i++) {
		u = &a->units[i];
		if (!u->changed)
			continue;
		strv_push(&roles, u->role_cf);
		strv_push(&paths, u->cf);
		strv_push(&srcs, "");
		only[nonly++] = u->role_cf;
		ap = apply_applied_path(a->h, u->role_mc);
		if (transport_exists(a->h->t, ap)) {
			strv_push(&roles, u->role_mc);
			strv_push(&paths, u->mc);
			strv_push(&srcs, ap);
		}
		free(ap);
	}
	only[nonly] = NULL;
	if (step_begin(a, "backup", 1) != 0) {
		rc = 1;
		goto out;
	}
	/* From here to the reload, one piece (apply.h): no more cancel. */
	begun = 1;
	if (backup_create(a->h, "apply", &roles, &paths, &srcs,
	    &a->backup_id, cause) != 0) {
		step_add(a, APPLY_FAILED, "backup", "%s", *cause);
		goto out;
	}
	step_add(a, APPLY_OK, "backup", "set %s", a->backup_id);
	if (apply_journal_write(a, cause) != 0) {
		step_add(a, APPLY_FAILED, "install", "%s", *cause);
		goto out;
	}
	journaled = 1;
	for (i = 0; i < a->nunits; i++) {
		u = &a->units[i];
		if (!u->changed) {
			a->nbegun++;
			continue;
		}
		name = xasprintf("install %s", base_name(u->cf));
		step_begin(a, name, 0);
		write_opts_init(&wo);
		if (transport_write_file(a->h->t, u->cf, u->cf_text.data,
		    u->cf_text.len, &wo, cause) != 0 ||
		    apply_record_applied(a->h, u, cause) != 0) {
			step_add(a, APPLY_FAILED, name, "%s", *cause);
			free(name);
			goto restore;
		}
		a->installed = 1;
		step_add(a, APPLY_OK, name, "%s", u->cf);
		free(name);
	}
	if (!run_hooks || a->hooks == NULL) {
		step_add(a, APPLY_SKIPPED, "maps", "not part of this command");
		step_add(a, APPLY_SKIPPED, "reload", "not part of this "
		    "command; the daemon reads the new cf when restarted");
		rc = 0;
		goto out;
	}
	step_begin(a, "maps", 0);
	if (run_hook(a, "maps", a->hooks->rebuild_maps, cause) != 0)
		goto restore;
	step_begin(a, "reload", 0);
	if (run_hook(a, "reload", a->hooks->reload, cause) != 0)
		goto restore;
	rc = 0;
	goto out;
restore:
	/* Put the previous cfs back, and tell the daemon again. */
	if (backup_load(a->h, a->backup_id, &set, &why) != 0 ||
	    backup_restore(a->h, &set, only, &why) != 0 ||
	    apply_restore_applied(a, &set, &why) != 0) {
		step_add(a, APPLY_FAILED, "restore", "%s", why);
		name = *cause;
		*cause = xasprintf("%s; restoring backup %s failed too: %s",
		    name, a->backup_id, why);
		free(name);
		journaled = 0;	/* the next run tries again */
		goto out;
	}
	step_add(a, APPLY_OK, "restore", "previous files back from backup %s",
	    a->backup_id);
	if (run_hooks && a->hooks != NULL && a->hooks->reload != NULL &&
	    a->installed) {
		if (run_hook(a, "reload previous", a->hooks->reload,
		    &why) != 0) {
			name = *cause;
			*cause = xasprintf("%s; previous files restored from "
			    "backup %s but reloading them failed: %s", name,
			    a->backup_id, why);
			free(name);
			goto out;
		}
	}
	name = *cause;
	*cause = xasprintf("%s; previous files restored from backup %s",
	    name, a->backup_id);
	free(name);
out:
	if (begun && op_cancelled(a->ctl)) {
		a->cancel_late = 1;
		step_add(a, APPLY_SKIPPED, "cancel", "asked after the backup "
		    "had begun: too late to stop, so backup, install, maps "
		    "and reload ran as one piece");
	}
	if (journaled)
		apply_journal_remove(a->h);
	backup_set_release(&set);
	free(why);
	strv_release(&roles);
	strv_release(&paths);
	strv_release(&srcs);
	return rc;
}

int
apply_save_mc(struct host *h, const struct mc *mc, const char *path,
    const char *reason, char **id, char **cause)
{
	struct strv		 roles = STRV_INIT, paths = STRV_INIT;
	struct write_opts	 wo;
	const char		*text;
	char			*bid = NULL;
	size_t			 len;
	int			 rc = -1;

	strv_push(&roles, h->prof->submit_mc != NULL &&
	    strcmp(path, h->prof->submit_mc) == 0 ? "submit_mc" : "mc");
	strv_push(&paths, path);
	text = mc_text(mc, &len);
	if (text_editable(path, text, len, 65536, cause) != 0)
		goto out;
	if (backup_create(h, reason, &roles, &paths, NULL, &bid, cause) != 0)
		goto out;
	write_opts_init(&wo);
	if (transport_write_file(h->t, path, text, len, &wo, cause) != 0)
		goto out;
	if (id != NULL) {
		*id = bid;
		bid = NULL;
	}
	rc = 0;
out:
	free(bid);
	strv_release(&roles);
	strv_release(&paths);
	return rc;
}

/* After a rollback: "maps: ..." and "reload: ..." lines. */
static int
rollback_hooks(struct host *h, const struct apply_hooks *hooks,
    const struct backup_set *set, struct buf *report, char **cause)
{
	struct buf	 d = BUF_INIT;
	char		*one;
	size_t		 i;
	int		 cf = 0, rc = 0;

	for (i = 0; i < set->nfiles; i++)
		if (strcmp(set->files[i].role, "cf") == 0 ||
		    strcmp(set->files[i].role, "submit_cf") == 0)
			cf = 1;
	if (hooks->rebuild_maps != NULL) {
		rc = hooks->rebuild_maps(h, hooks->arg, &d, cause);
		if (rc >= 0) {
			one = apply_one_line(&d);
			buf_printf(report, "maps: %s\n", one);
			free(one);
		}
	}
	buf_reset(&d);
	if (rc >= 0 && cf && hooks->reload != NULL) {
		rc = hooks->reload(h, hooks->arg, &d, cause);
		if (rc >= 0) {
			one = apply_one_line(&d);
			buf_printf(report, "reload: %s\n", one);
			free(one);
		}
	} else if (rc >= 0)
		buf_addstr(report, "reload: no cf restored\n");
	buf_release(&d);
	return rc < 0 ? -1 : 0;
}

int
apply_rollback(struct host *h, const struct apply_hooks *hooks,
    const char *id, char **used_id, char **undo_id, struct buf *report,
    char **cause)
{
	struct backup_set	 set;
	struct strv		 roles = STRV_INIT, paths = STRV_INIT;
	struct buf		 text = BUF_INIT;
	struct write_opts	 wo;
	char			*reason = NULL, *ap, *dir;
	size_t			 i, j;
	int			 rc = -1, has_cf;

	if (backup_load(h, id, &set, cause) != 0)
		return -1;
	for (i = 0; i < set.nfiles; i++) {
		strv_push(&roles, set.files[i].role);
		strv_push(&paths, set.files[i].path);
	}
	reason = xasprintf("rollback %s", set.id);
	if (backup_create(h, reason, &roles, &paths, NULL, undo_id,
	    cause) != 0)
		goto out;
	if (backup_restore(h, &set, NULL, cause) != 0)
		goto out;
	/* An mc restored together with its cf is again the applied one. */
	for (i = 0; i < set.nfiles; i++) {
		const char *r = set.files[i].role;

		if (strcmp(r, "mc") != 0 && strcmp(r, "submit_mc") != 0)
			continue;
		has_cf = 0;
		for (j = 0; j < set.nfiles; j++)
			if (strcmp(set.files[j].role, strcmp(r, "mc") == 0 ?
			    "cf" : "submit_cf") == 0)
				has_cf = 1;
		if (!has_cf || set.files[i].absent)
			continue;
		buf_reset(&text);
		if (transport_read_file(h->t, set.files[i].path, &text, 0,
		    cause) != 0)
			goto out;
		ap = apply_applied_path(h, r);
		dir = apply_dir_name(ap);
		write_opts_init(&wo);
		wo.mode = 0600;
		wo.no_follow = 1;
		rc = trust_state_mkdirs(h, dir, cause);
		if (rc == 0)
			rc = transport_write_file(h->t, ap, text.data,
			    text.len, &wo, cause);
		free(ap);
		free(dir);
		if (rc != 0)
			goto out;
		rc = -1;
	}
	if (used_id != NULL)
		*used_id = xstrdup(set.id);
	rc = 0;
	if (hooks != NULL && rollback_hooks(h, hooks, &set, report,
	    cause) != 0)
		rc = -1;
out:
	buf_release(&text);
	free(reason);
	strv_release(&roles);
	strv_release(&paths);
	backup_set_release(&set);
	return rc;
}
