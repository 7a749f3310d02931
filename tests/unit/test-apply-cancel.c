/*
 * test-apply-cancel.c -- apply_run's progress and cancel (apply.h): each
 * step is told as "apply N/M" with its name; a cancel asked during
 * prepare stops at the next step with nothing installed; a cancel asked
 * once the install has begun is too late, and the install, maps and
 * reload run to their end.  On a real sandbox ("smadm sandbox create",
 * the binary of $SMADM or ./smadm), with the real m4 and sendmail.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../backend/apply.h"
#include "../../backend/op.h"
#include "test.h"

/* The ctl: records each step told, cancels when the step "at" begins. */
struct cancel_probe {
	const char	*at;
	int		 cancel;
	struct strv	 told;
};

static void
cancel_probe_progress(void *arg, const struct op_progress *p)
{
	struct cancel_probe	*cp = arg;
	char			*s;

	s = xasprintf("%s %zu/%zu %s", p->verb, p->done, p->total,
	    p->item != NULL ? p->item : "");
	strv_push(&cp->told, s);
	free(s);
	if (p->item != NULL && strcmp(p->item, cp->at) == 0)
		cp->cancel = 1;
}

static int
cancel_probe_cancelled(void *arg)
{
	struct cancel_probe	*cp = arg;

	return cp->cancel;
}

static int
cancel_run_smadm(const char *const *argv)
{
	pid_t	pid;
	int	status;

	if ((pid = fork()) == 0) {
		if (freopen("/dev/null", "w", stdout) == NULL)
			_exit(126);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	if (pid == -1 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static struct host *
cancel_sandbox(const char *dir, char **cf)
{
	const char	*env = getenv("SMADM");
	struct transport *t = transport_local_create();
	struct profile	*p;
	char		 cwd[2048], port[16], *self, *sb, *cause = NULL;
	int		 ok;

	if (env != NULL)
		self = xstrdup(env);
	else {
		if (getcwd(cwd, sizeof cwd) == NULL)
			util_fatal("getcwd failed");
		self = xasprintf("%s/smadm", cwd);
	}
	sb = xasprintf("%s/sb", dir);
	snprintf(port, sizeof port, "%d", 20000 + (int)(getpid() % 20000));
	{
		const char *create[] = { self, "sandbox", "create", sb,
		    "--port", port, NULL };
		const char *set[] = { self, "-r", sb, "mc", "set",
		    "confSMTP_LOGIN_MSG", "$j cancelled-or-not ESMTP", NULL };

		ok = cancel_run_smadm(create) == 0 &&
		    cancel_run_smadm(set) == 0;
	}
	if (!ok)
		util_fatal("%s: sandbox create or mc set failed", self);
	if ((p = profile_load(t, sb, &cause)) == NULL)
		util_fatal("%s", cause);
	*cf = xstrdup(p->cf);
	free(self);
	free(sb);
	return host_create(t, p);
}

/* The backup sets, as "smadm backups" counts them. */
static size_t
cancel_nsets(struct host *h, const char *backups)
{
	struct strv	 names = STRV_INIT;
	char		*cause = NULL;
	size_t		 n;

	if (transport_list_dir(h->t, backups, &names, &cause) != 0)
		util_fatal("%s", cause);
	n = names.n;
	strv_release(&names);
	return n;
}

static const char *
last_detail(const struct apply *a, const char *name)
{
	const struct apply_step	*s = &a->steps[a->nsteps - 1];

	return a->nsteps > 0 && strcmp(s->name, name) == 0 &&
	    s->detail != NULL ? s->detail : "";
}

TEST(apply_run_cancel)
{
	const char		*dir = test_tmpdir();
	struct host		*h;
	struct cancel_probe	 cp;
	struct apply_req	 req;
	struct apply_result	 res;
	struct op_ctl		 ctl;
	struct buf		 before = BUF_INIT, after = BUF_INIT;
	struct stat		 st;
	char			*cf, *cause = NULL, *pending, *backups;
	size_t			 nsets;
	int			 rc;

	h = cancel_sandbox(dir, &cf);
	pending = xasprintf("%s/sb/.smadm/apply-pending", dir);
	backups = xasprintf("%s/sb/.smadm/backups", dir);
	CHECK(transport_read_file(h->t, cf, &before, 0, &cause) == 0);
	nsets = cancel_nsets(h, backups);
	memset(&req, 0, sizeof req);
	memset(&ctl, 0, sizeof ctl);
	ctl.progress = cancel_probe_progress;
	ctl.cancelled = cancel_probe_cancelled;
	ctl.arg = &cp;

	/* Esc while validating: stopped before the diff, nothing done. */
	memset(&cp, 0, sizeof cp);
	strv_init(&cp.told);
	cp.at = "validate sendmail.cf";
	rc = apply_run(h, &req, &ctl, &res, &cause);
	CHECK(rc == 1);
	CHECK(res.a != NULL && res.a->cancelled && !res.a->installed);
	CHECK(res.a != NULL && !res.a->cancel_late);
	CHECK(cp.told.n == 2);
	CHECK(cp.told.n > 0 &&
	    strcmp(cp.told.v[0], "apply 0/8 generate sendmail.cf") == 0);
	CHECK(cp.told.n > 1 &&
	    strcmp(cp.told.v[1], "apply 1/8 validate sendmail.cf") == 0);
	CHECK_STR(last_detail(res.a, "cancel"),
	    "stopped before diff sendmail.cf: nothing was installed");
	apply_result_release(&res);
	CHECK(transport_read_file(h->t, cf, &after, 0, &cause) == 0);
	CHECK(after.len == before.len &&
	    memcmp(after.data, before.data, after.len) == 0);
	CHECK(stat(pending, &st) == -1);
	CHECK(cancel_nsets(h, backups) == nsets);
	strv_release(&cp.told);

	/* Esc once the install has begun: too late, it all runs. */
	memset(&cp, 0, sizeof cp);
	strv_init(&cp.told);
	cp.at = "install sendmail.cf";
	rc = apply_run(h, &req, &ctl, &res, &cause);
	CHECK(rc == 0);
	CHECK(res.a != NULL && res.a->installed && res.a->cancel_late);
	CHECK(res.a != NULL && !res.a->cancelled);
	CHECK(strstr(last_detail(res.a, "cancel"), "too late") != NULL);
	CHECK(cp.told.n == 8);
	CHECK(cp.told.n == 8 &&
	    strcmp(cp.told.v[5], "apply 5/8 install sendmail.cf") == 0);
	CHECK(cp.told.n == 8 &&
	    strcmp(cp.told.v[7], "apply 7/8 reload") == 0);
	apply_result_release(&res);
	buf_reset(&after);
	CHECK(transport_read_file(h->t, cf, &after, 0, &cause) == 0);
	CHECK(strstr(after.data, "cancelled-or-not") != NULL);
	CHECK(stat(pending, &st) == -1);
	CHECK(cancel_nsets(h, backups) == nsets + 1);
	strv_release(&cp.told);

	free(cause);
	free(cf);
	free(pending);
	free(backups);
	buf_release(&before);
	buf_release(&after);
	host_free(h);
}
