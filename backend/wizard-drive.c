/*
 * wizard-drive.c -- the wizard's test drive: a role's mc run in a
 * throw-away sandbox and tried with one message (see wizard.h).
 */
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "apply.h"
#include "daemon.h"
#include "mc.h"
#include "sandbox.h"
#include "smtp-client.h"
#include "wizard.h"

/* Defines that are the role's hardening: never taken from the sandbox. */
static const char *const drive_keep[] = {
	"confPRIVACY_FLAGS", "confSMTP_LOGIN_MSG", "confTEMP_FILE_MODE",
	"confMAX_DAEMON_CHILDREN", "confCONNECTION_RATE_THROTTLE",
	"confLOG_LEVEL",
};

/* FEATUREs that name a map file. */
static const char *const drive_maps[] = {
	"access_db", "mailertable", "virtusertable", "genericstable",
	"domaintable",
};

static const struct mc_item *
drive_first(const struct mc *m, enum mc_kind kind)
{
	size_t	i;

	for (i = 0; i < m->nitems; i++)
		if (m->items[i].kind == kind)
			return &m->items[i];
	return NULL;
}

int
wizard_drive_mc(const char *role, size_t rlen, const char *sb, size_t slen,
    struct buf *out, char **cause)
{
	struct mc		*r, *s, *n = NULL;
	const struct mc_item	*it, *sos, *sdo;
	struct buf		 text = BUF_INIT;
	struct strv		 args = STRV_INIT;
	size_t			 i, j;
	int			 daemon_done = 0, rc = -1;

	r = mc_parse("role mc", role, rlen);
	s = mc_parse("sandbox mc", sb, slen);
	sos = drive_first(s, MC_OSTYPE);
	sdo = drive_first(s, MC_DAEMON_OPTIONS);
	if (sos == NULL || sdo == NULL) {
		*cause = xstrdup("the sandbox mc has no OSTYPE or "
		    "DAEMON_OPTIONS");
		goto out;
	}
	if (drive_first(r, MC_OSTYPE) == NULL) {
		*cause = xstrdup("the role mc has no OSTYPE");
		goto out;
	}
	/* OSTYPE (and the sandbox's undefines), DAEMON_OPTIONS: the sandbox's. */
	for (i = 0; i < r->nitems; i++) {
		it = &r->items[i];
		if (it->kind == MC_OSTYPE) {
			buf_add(&text, s->text.data + sos->off, sos->len);
			for (j = 0; j < s->nitems; j++)
				if (s->items[j].kind == MC_UNDEFINE)
					buf_add(&text, s->text.data +
					    s->items[j].off, s->items[j].len);
		} else if (it->kind == MC_DAEMON_OPTIONS) {
			if (!daemon_done)
				buf_add(&text, s->text.data + sdo->off,
				    sdo->len);
			daemon_done = 1;
		} else
			buf_add(&text, r->text.data + it->off, it->len);
	}
	n = mc_parse("test-drive mc", text.data, text.len);
	/* Every other define of the sandbox: paths, identity, mailers. */
	for (i = 0; i < s->nitems; i++) {
		it = &s->items[i];
		if (it->kind != MC_DEFINE || it->nargs < 2)
			continue;
		for (j = 0; j < nitems(drive_keep); j++)
			if (strcmp(drive_keep[j], it->args[0].value) == 0)
				break;
		if (j < nitems(drive_keep))
			continue;
		if (mc_define_set(n, it->args[0].value, it->args[1].value,
		    cause) < 0)
			goto out;
	}
	if (mc_find_define(n, "confRUN_AS_USER") != NULL &&
	    mc_define_unset(n, "confRUN_AS_USER", cause) < 0)
		goto out;
	if (mc_feature_set(n, "no_default_msa", 1, NULL, cause) < 0)
		goto out;
	for (i = 0; i < nitems(drive_maps); i++) {
		if (mc_find_feature(n, drive_maps[i]) == NULL ||
		    (it = mc_find_feature(s, drive_maps[i])) == NULL)
			continue;
		strv_release(&args);
		for (j = 1; j < it->nargs; j++)
			strv_push(&args, it->args[j].value);
		if (mc_feature_set(n, drive_maps[i], 1, &args, cause) < 0)
			goto out;
	}
	buf_add(out, n->text.data, n->text.len);
	rc = 0;
out:
	strv_release(&args);
	buf_release(&text);
	mc_free(r);
	mc_free(s);
	if (n != NULL)
		mc_free(n);
	return rc;
}

/* A loopback port nothing listens on right now. */
static int
drive_free_port(char **cause)
{
	struct sockaddr_in	sin;
	socklen_t		len = sizeof sin;
	int			fd, port = -1;

	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		*cause = xasprintf("socket: %s", strerror(errno));
		return -1;
	}
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sin, sizeof sin) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) == -1)
		*cause = xasprintf("finding a free port: %s", strerror(errno));
	else
		port = ntohs(sin.sin_port);
	close(fd);
	return port;
}

/* Can a listener bind port on 127.0.0.1 right now? */
static int
drive_port_free(int port)
{
	struct sockaddr_in	sin;
	int			fd, one = 1, ok;

	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return 0;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons((unsigned short)port);
	ok = bind(fd, (struct sockaddr *)&sin, sizeof sin) == 0;
	close(fd);
	return ok;
}

/* The port to drive on: the one asked for, or a free one. */
static int
drive_port(const struct wizard_drive_opts *wo, struct buf *report,
    char **cause)
{
	if (wo->port == 0)
		return drive_free_port(cause);
	if (drive_port_free(wo->port))
		return wo->port;
	if (!wo->port_default) {
		*cause = xasprintf("test_port %d: something already listens "
		    "on 127.0.0.1:%d (or it needs root); choose another",
		    wo->port, wo->port);
		return -1;
	}
	buf_printf(report, "the profile's port %d is in use: a free one "
	    "instead\n", wo->port);
	return drive_free_port(cause);
}

/* Write one of the wizard's texts into the sandbox's etc. */
static int
drive_put(struct host *h, const char *dir, const char *name,
    const struct buf *b, struct buf *report, char **cause)
{
	struct write_opts	 wo;
	char			*path;
	int			 rc;

	path = xasprintf("%s/etc/%s", dir, name);
	write_opts_init(&wo);
	rc = transport_write_file(h->t, path, b->data, b->len, &wo, cause);
	if (rc == 0)
		buf_printf(report, "  ok       %s\n", path);
	free(path);
	return rc;
}

/* Lines of the mail log that name the queue ID. */
static void
drive_log_lines(struct host *h, const char *qid, struct strv *lines)
{
	struct buf	 log = BUF_INIT;
	struct strv	 all = STRV_INIT;
	char		*ignore = NULL;
	size_t		 i;

	strv_release(lines);
	if (h->prof->mail_log == NULL || transport_read_file(h->t,
	    h->prof->mail_log, &log, 1 << 22, &ignore) != 0) {
		free(ignore);
		return;
	}
	strv_split_char(&all, log.data, '\n');
	for (i = 0; i < all.n; i++)
		if (strstr(all.v[i], qid) != NULL)
			strv_push(lines, all.v[i]);
	strv_release(&all);
	buf_release(&log);
}

/* The mailbox file holding the queue ID, or NULL. */
static char *
drive_mailbox(struct host *h, const char *dir, const char *qid)
{
	struct strv	 names = STRV_INIT;
	struct buf	 mbox = BUF_INIT;
	char		*mdir, *path, *found = NULL, *ignore = NULL;
	size_t		 i;

	mdir = xasprintf("%s/mailbox", dir);
	if (transport_list_dir(h->t, mdir, &names, &ignore) != 0)
		free(ignore);
	for (i = 0; found == NULL && i < names.n; i++) {
		path = xasprintf("%s/%s", mdir, names.v[i]);
		buf_reset(&mbox);
		ignore = NULL;
		if (transport_read_file(h->t, path, &mbox, 1 << 24,
		    &ignore) == 0 && strstr(mbox.data, qid) != NULL)
			found = path;
		else {
			free(ignore);
			free(path);
		}
	}
	strv_release(&names);
	buf_release(&mbox);
	free(mdir);
	return found;
}

static int
drive_run(struct host *h, const char *dir, int port,
    const struct wizard_drive_opts *wo, const struct wizard_out *o,
    const char *hostname, struct buf *report, char **cause)
{
	struct apply		*a = NULL;
	struct buf		 sbmc = BUF_INIT, mc = BUF_INIT, steps = BUF_INIT;
	struct buf		 transcript = BUF_INIT, msg = BUF_INIT;
	struct strv		 lines = STRV_INIT;
	struct smtp_send	 ss;
	char			*path, *qid = NULL, *from, *rcpt, *mbox = NULL;
	char			*why = NULL;
	size_t			 i;
	int			 waited, r, rc = -1;

	path = xasprintf("%s/etc/sendmail.mc", dir);
	if (transport_read_file(h->t, path, &sbmc, 1 << 20, cause) != 0 ||
	    wizard_drive_mc(o->mc.data, o->mc.len, sbmc.data, sbmc.len, &mc,
	    cause) != 0)
		goto out;
	buf_addstr(report, "adapt the role mc to the sandbox\n");
	if (drive_put(h, dir, "sendmail.mc", &mc, report, cause) != 0 ||
	    drive_put(h, dir, "local-host-names", &o->local_host_names,
	    report, cause) != 0 ||
	    (o->access.len != 0 && drive_put(h, dir, "access", &o->access,
	    report, cause) != 0) ||
	    (o->need_mailertable && drive_put(h, dir, "mailertable",
	    &o->mailertable, report, cause) != 0) ||
	    (o->need_virtusertable && drive_put(h, dir, "virtusertable",
	    &o->virtusertable, report, cause) != 0))
		goto out;

	buf_addstr(report, "build and validate the cf and the maps\n");
	a = apply_create(h, wo->hooks);
	r = apply_prepare(a, 0, cause);
	if (r == 0)
		r = apply_commit(a, 1, cause);
	apply_format_steps(a, &steps);
	buf_addstr(report, steps.data);
	if (r != 0)
		goto out;

	buf_addstr(report, "start the daemon\n");
	if (daemon_start(h, report, cause) != 0)
		goto out;

	from = xasprintf("smadm-test-drive@%s", hostname);
	rcpt = xasprintf("root@%s", hostname);
	buf_printf(&msg, "From: <%s>\nTo: <%s>\nSubject: smadm wizard test "
	    "drive\n\nA test message from \"smadm wizard --test-drive\".\n",
	    from, rcpt);
	memset(&ss, 0, sizeof ss);
	ss.port = port;
	ss.helo = "smadm-test-drive.localhost";
	ss.from = from;
	ss.rcpt = rcpt;
	ss.message = msg.data;
	buf_printf(report, "send one message to <%s> on 127.0.0.1:%d\n", rcpt,
	    port);
	r = smtp_send(&ss, &transcript, &qid, cause);
	free(from);
	free(rcpt);
	for (i = 0; i < transcript.len; i++) {
		if (i == 0 || transcript.data[i - 1] == '\n')
			buf_addstr(report, "    ");
		buf_addch(report, transcript.data[i]);
	}
	if (r != 0) {
		if (r == 1) {
			why = *cause;
			*cause = xasprintf("the message was refused: %s", why);
			free(why);
		}
		goto out;
	}
	if (qid == NULL) {
		buf_addstr(report, "  ok       accepted (the reply names no "
		    "queue ID)\n");
		rc = 1;
		goto out;
	}
	buf_printf(report, "  ok       accepted, queue ID %s\n", qid);

	/* Delivered into a mailbox, or logged with a status, or timed out. */
	for (waited = 0; waited < wo->timeout * 10; waited++) {
		if ((mbox = drive_mailbox(h, dir, qid)) != NULL)
			break;
		drive_log_lines(h, qid, &lines);
		for (i = 0; i < lines.n; i++)
			if (strstr(lines.v[i], "stat=") != NULL &&
			    strstr(lines.v[i], "stat=Sent") == NULL)
				break;
		if (i < lines.n)
			break;
		usleep(100000);
	}
	usleep(300000);		/* let the receiver write the last lines */
	drive_log_lines(h, qid, &lines);
	buf_addstr(report, "mail log:\n");
	for (i = 0; i < lines.n && i < 20; i++)
		buf_printf(report, "    %s\n", lines.v[i]);
	if (lines.n == 0)
		buf_addstr(report, "    (no lines for this queue ID)\n");
	if (mbox != NULL) {
		buf_printf(report, "  ok       delivered into %s\n", mbox);
		rc = 0;
	} else {
		buf_printf(report, "  queued   not delivered within %d "
		    "seconds: the message stays in the queue\n", wo->timeout);
		rc = 1;
	}
out:
	if (a != NULL)
		apply_free(a);
	strv_release(&lines);
	buf_release(&sbmc);
	buf_release(&mc);
	buf_release(&steps);
	buf_release(&transcript);
	buf_release(&msg);
	free(path);
	free(qid);
	free(mbox);
	return rc;
}

int
wizard_drive(const struct wizard_drive_opts *wo, const struct wizard_out *o,
    struct buf *report, char **cause)
{
	struct transport	*t;
	struct sandbox_opts	 so;
	struct host		*h = NULL;
	struct mc		*m;
	char			*dir, *hostname, *why = NULL;
	int			 port, dead, rc = -1;

	m = mc_parse("mc", o->mc.data, o->mc.len);
	hostname = xstrdup(mc_define_value(m, "confDOMAIN_NAME") != NULL ?
	    mc_define_value(m, "confDOMAIN_NAME") : "");
	mc_free(m);
	if (strchr(hostname, '.') == NULL || strpbrk(hostname, "$`' ") !=
	    NULL) {
		*cause = xasprintf("the role mc's confDOMAIN_NAME \"%s\" is "
		    "not a qualified host name", hostname);
		free(hostname);
		return -1;
	}
	if ((port = drive_port(wo, report, cause)) == -1 ||
	    (dead = drive_free_port(cause)) == -1) {
		free(hostname);
		return -1;
	}
	if (dead == port)
		dead = port == 65535 ? port - 1 : port + 1;
	dir = xasprintf("%s/smadm-drive-XXXXXX", wo->tmpdir != NULL ?
	    wo->tmpdir : "/tmp");
	if (mkdtemp(dir) == NULL) {
		*cause = xasprintf("mkdtemp %s: %s", dir, strerror(errno));
		free(dir);
		free(hostname);
		return -1;
	}
	t = transport_local_create();
	memset(&so, 0, sizeof so);
	so.dir = dir;
	so.port = port;
	so.dead_port = dead;
	so.self = wo->self;
	so.templates = wo->templates;
	so.hostname = hostname;
	buf_printf(report, "create a sandbox in %s (127.0.0.1:%d)\n", dir,
	    port);
	if (sandbox_create(t, &so, report, cause) != 0) {
		rmdir(dir);
		goto out;
	}
	if ((h = host_open_local(dir, cause)) == NULL) {
		/* No profile to destroy it with: remove the tree as made. */
		sandbox_remove_tree(t, dir, &why);
		free(why);
		goto out;
	}
	rc = drive_run(h, dir, port, wo, o, hostname, report, cause);

	buf_addstr(report, "stop the daemon and remove the sandbox\n");
	if (sandbox_destroy(h, report, &why) != 0) {
		buf_printf(report, "  FAILED   %s (remove %s by hand)\n", why,
		    dir);
		if (rc != -1) {
			*cause = why;
			why = NULL;
			rc = -1;
		}
		free(why);
	}
out:
	if (h != NULL)
		host_free(h);
	transport_free(t);
	free(dir);
	free(hostname);
	return rc;
}
