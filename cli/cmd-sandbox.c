/*
 * cmd-sandbox.c -- "smadm sandbox create|destroy", and the two internal
 * commands a sandbox runs itself: "sandbox deliver" (its local mailer) and
 * "sandbox logd" (its syslog receiver, daemonized here; the loop is in
 * backend/logd.c).
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../backend/logd.h"
#include "../backend/sandbox.h"
#include "../backend/templates.h"
#include "cmd.h"

/* EX_TEMPFAIL: sendmail keeps the message and tries again later. */
#define SANDBOX_EX_TEMPFAIL	75

/*
 * The sandbox's absolute path: relative to the working directory, with the
 * parent's symlinks resolved (the daemon's /proc/PID/cwd is compared with
 * it), and the parent must exist.
 */
static char *
sandbox_abs_dir(const char *dir, char **cause)
{
	char	*copy1, *copy2, *parent, *base, real[PATH_MAX], cwd[PATH_MAX];
	char	*joined, *out = NULL;
	size_t	 len;

	if (dir[0] == '/')
		joined = xstrdup(dir);
	else {
		if (getcwd(cwd, sizeof cwd) == NULL) {
			*cause = xasprintf("getcwd: %s", strerror(errno));
			return NULL;
		}
		joined = xasprintf("%s/%s", cwd, dir);
	}
	len = strlen(joined);
	while (len > 1 && joined[len - 1] == '/')
		joined[--len] = '\0';
	copy1 = xstrdup(joined);
	copy2 = xstrdup(joined);
	parent = dirname(copy1);
	base = basename(copy2);
	if (strcmp(base, ".") == 0 || strcmp(base, "..") == 0 ||
	    strcmp(base, "/") == 0)
		*cause = xasprintf("%s: name the sandbox directory itself",
		    dir);
	else if (realpath(parent, real) == NULL)
		*cause = xasprintf("%s: %s", parent, strerror(errno));
	else
		out = xasprintf("%s/%s", strcmp(real, "/") == 0 ? "" : real,
		    base);
	free(copy1);
	free(copy2);
	free(joined);
	return out;
}

static int
sandbox_port_arg(const char *s, const char *what, int *port, char **cause)
{
	long long	 v;
	char		*err = NULL;

	if (str_tonum(s, 1, 65535, &v, &err) != 0) {
		*cause = xasprintf("%s \"%s\": %s", what, s, err);
		free(err);
		return -1;
	}
	*port = (int)v;
	return 0;
}

static int
cmd_sandbox_create_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct sandbox_opts	 so;
	struct transport	*t;
	struct buf		 report = BUF_INIT;
	char			*cause = NULL, *dir = NULL, *tdir = NULL;
	const char		*value;
	size_t			 oi = 0;
	int			 ch, rc;

	memset(&so, 0, sizeof so);
	while ((ch = cmd_args_next(ctx, &oi, &value)) != -1) {
		switch (ch) {
		case 'p':
			if (sandbox_port_arg(value, "--port", &so.port,
			    &cause) != 0)
				return cmd_fail_cause(ctx, cause);
			break;
		case 'd':
			if (sandbox_port_arg(value, "--dead-port",
			    &so.dead_port, &cause) != 0)
				return cmd_fail_cause(ctx, cause);
			break;
		}
	}
	if (argc != 2)
		return cmd_usage(ctx, &cmd_sandbox_create_entry);
	if ((dir = sandbox_abs_dir(argv[1], &cause)) == NULL)
		return cmd_fail_cause(ctx, cause);
	tdir = templates_dir(ctx->self);
	so.dir = dir;
	so.self = ctx->self;
	so.templates = tdir;
	t = transport_local_create();
	rc = sandbox_create(t, &so, &report, &cause);
	transport_free(t);
	fputs(report.data, ctx->out);
	buf_release(&report);
	if (rc == 0)
		fprintf(ctx->out, "sandbox ready: smadm -r %s daemon start\n",
		    dir);
	free(dir);
	free(tdir);
	if (rc == -1)
		return cmd_fail_cause(ctx, cause);
	return 0;
}

static const struct cmd_opt sandbox_create_opts[] = {
	{ 'p', "port", "N", "the daemon's SMTP port (default: a free one)", 0 },
	{ 'd', "dead-port", "N", "a port where nothing listens, for the dead "
	    "relay", 0 },
	{ 0, NULL, NULL, NULL, 0 }
};

const struct cmd_entry cmd_sandbox_create_entry = {
	"sandbox create", "DIR",
	"Create a self-contained sendmail sandbox in DIR",
	"DIR must not exist or be empty; if it already is a sandbox, it is "
	"left as it is.  The sandbox gets its own sendmail.mc (from the "
	"sandbox.mc.in template), a sendmail.cf generated with m4 and checked "
	"by sendmail, seed tables and their maps, a queue, a mail log and a "
	"smadm.conf profile; use it with \"smadm -r DIR\".  Its daemon will "
	"listen on 127.0.0.1 port N (default 2525) only.  Local mail is "
	"appended to DIR/mailbox/USER; every other message is sent to "
	"127.0.0.1 port --dead-port (default 2999), where nothing should "
	"listen, so it stays in the queue.  Every sendmail command for the "
	"sandbox runs in a private mount namespace that resolves names from "
	"DIR/ns/hosts only, so nothing reaches DNS.",
	CMD_NOHOST | CMD_WRITES | CMD_ROOT, cmd_sandbox_create_exec,
	sandbox_create_opts
};

static int
cmd_sandbox_destroy_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct host	*h;
	struct buf	 report = BUF_INIT;
	char		*cause = NULL, *dir, *conf;
	int		 rc;

	if (argc != 2)
		return cmd_usage(ctx, &cmd_sandbox_destroy_entry);
	if ((dir = sandbox_abs_dir(argv[1], &cause)) == NULL)
		return cmd_fail_cause(ctx, cause);
	conf = xasprintf("%s/smadm.conf", dir);
	if (access(conf, F_OK) != 0 && errno == ENOENT) {
		rc = cmd_error(ctx, "%s is not a smadm sandbox (no %s): "
		    "refusing to remove it", dir, conf);
		free(conf);
		free(dir);
		return rc;
	}
	free(conf);
	if ((h = host_open_local(dir, &cause)) == NULL) {
		free(dir);
		return cmd_fail_cause(ctx, cause);
	}
	if (!h->prof->sandbox) {
		rc = cmd_error(ctx, "%s/smadm.conf does not say \"sandbox = "
		    "yes\": refusing to destroy %s", dir, dir);
		goto out;
	}
	if (!cmd_confirm(ctx, "Destroy the sandbox %s (stop its daemon and "
	    "delete every file in it)?", dir)) {
		rc = 1;
		goto out;
	}
	rc = sandbox_destroy(h, &report, &cause);
	fputs(report.data, ctx->out);
	rc = rc == 0 ? 0 : cmd_fail_cause(ctx, cause);
out:
	buf_release(&report);
	host_free(h);
	free(dir);
	return rc;
}

const struct cmd_entry cmd_sandbox_destroy_entry = {
	"sandbox destroy", "DIR",
	"Stop a sandbox's daemon and delete the sandbox",
	"Stops the daemon and the log receiver (only processes whose pid "
	"files name them and that are verified to be the sandbox's own), then "
	"removes DIR and everything in it.  Refuses unless DIR/smadm.conf "
	"says \"sandbox = yes\".",
	CMD_NOHOST | CMD_WRITES | CMD_ROOT | CMD_CONFIRM,
	cmd_sandbox_destroy_exec, NULL
};

static int
cmd_sandbox_deliver_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	char	*cause = NULL;

	if (argc != 3) {
		cmd_usage(ctx, &cmd_sandbox_deliver_entry);
		return SANDBOX_EX_TEMPFAIL;
	}
	if (sandbox_deliver(argv[1], argv[2], STDIN_FILENO, &cause) != 0) {
		cmd_fail_cause(ctx, cause);
		return SANDBOX_EX_TEMPFAIL;
	}
	return 0;
}

const struct cmd_entry cmd_sandbox_deliver_entry = {
	"sandbox deliver", "DIR USER",
	"Append a message from stdin to DIR/mailbox/USER",
	"The sandbox's local mailer.  Exits 75 (try again later) on failure.",
	CMD_NOHOST | CMD_HIDDEN | CMD_OWN_ARGS, cmd_sandbox_deliver_exec,
	NULL
};

static volatile sig_atomic_t	logd_stop;

static void
logd_signal(int sig unused)
{
	logd_stop = 1;
}

/* In the daemon: pid file, signals, then the loop; never returns. */
static void __attribute__((noreturn))
logd_child(struct logd *ld, struct host *h, const char *dir, int ready)
{
	struct sigaction	 sa;
	struct write_opts	 wo;
	char			*text, *cause = NULL;
	int			 fd;

	umask(022);
	if (chdir("/") != 0)
		_exit(1);
	if ((fd = open("/dev/null", O_RDWR)) != -1) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = logd_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGPIPE, &sa, NULL);

	text = xasprintf("%ld\nsmadm sandbox logd %s\n", (long)getpid(), dir);
	write_opts_init(&wo);
	wo.mode = 0644;
	wo.keep_mode = 0;
	if (transport_write_file(h->t, h->prof->syslog_pid_file, text,
	    strlen(text), &wo, &cause) != 0) {
		if (write(ready, cause, strlen(cause)) < 0)
			_exit(1);
		_exit(1);
	}
	free(text);
	if (write(ready, "", 1) != 1)
		_exit(1);
	close(ready);

	logd_run(ld, &logd_stop, &cause);
	logd_close(ld);
	/* Remove the pid file only while it still names this process. */
	{
		struct buf	 b = BUF_INIT;
		char		*mine = xasprintf("%ld\n", (long)getpid());

		if (transport_read_file(h->t, h->prof->syslog_pid_file, &b,
		    65536, &cause) == 0 && str_startswith(b.data, mine))
			transport_remove(h->t, h->prof->syslog_pid_file,
			    &cause);
		free(mine);
		buf_release(&b);
	}
	_exit(0);
}

static int
cmd_sandbox_logd_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct host	*h;
	struct logd	*ld = NULL;
	struct buf	 msg = BUF_INIT;
	char		*cause = NULL, *sock = NULL, *other = NULL, *copy;
	char		 chunk[512];
	ssize_t		 n;
	pid_t		 pid;
	int		 ready[2] = { -1, -1 }, status, forked = 0, rc = 1;

	if (argc != 2)
		return cmd_usage(ctx, &cmd_sandbox_logd_entry);
	if ((h = host_open_local(argv[1], &cause)) == NULL)
		return cmd_fail_cause(ctx, cause);
	if (!h->prof->sandbox || h->prof->ns_dir == NULL ||
	    h->prof->mail_log == NULL || h->prof->syslog_pid_file == NULL) {
		rc = cmd_error(ctx, "%s: not a sandbox with namespace, mail_log "
		    "and syslog_pid_file", h->prof->origin);
		goto out;
	}
	sock = xasprintf("%s/log.sock", h->prof->ns_dir);
	copy = xstrdup(h->prof->mail_log);
	other = xasprintf("%s/other.log", dirname(copy));
	free(copy);
	/* Open before forking, so that errors reach the caller. */
	if ((ld = logd_open(sock, h->prof->mail_log, other, &cause)) == NULL) {
		rc = cmd_fail_cause(ctx, cause);
		goto out;
	}
	if (pipe2(ready, O_CLOEXEC) != 0) {
		rc = cmd_error(ctx, "pipe: %s", strerror(errno));
		goto out;
	}
	fflush(NULL);
	if ((pid = fork()) == -1) {
		rc = cmd_error(ctx, "fork: %s", strerror(errno));
		goto out;
	}
	if (pid == 0) {
		close(ready[0]);
		if (setsid() == -1)
			_exit(1);
		switch (fork()) {
		case -1:
			_exit(1);
		case 0:
			logd_child(ld, h, h->prof->root, ready[1]);
		default:
			_exit(0);
		}
	}
	forked = 1;
	close(ready[1]);
	ready[1] = -1;
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	/* One NUL byte means ready; text is an error; nothing is a crash. */
	while ((n = read(ready[0], chunk, sizeof chunk)) > 0 ||
	    (n == -1 && errno == EINTR))
		if (n > 0)
			buf_add(&msg, chunk, (size_t)n);
	if (msg.len == 1 && msg.data[0] == '\0')
		rc = 0;
	else if (msg.len > 0)
		rc = cmd_error(ctx, "log receiver: %s", msg.data);
	else
		rc = cmd_error(ctx, "log receiver: died while starting");
out:
	if (ready[0] != -1)
		close(ready[0]);
	if (ready[1] != -1)
		close(ready[1]);
	/* After a fork the socket is the daemon's: keep it. */
	if (forked)
		logd_forget(ld);
	else
		logd_close(ld);
	buf_release(&msg);
	free(sock);
	free(other);
	host_free(h);
	return rc;
}

const struct cmd_entry cmd_sandbox_logd_entry = {
	"sandbox logd", "DIR",
	"Receive a sandbox's syslog messages into its mail log",
	"Runs in the background until SIGTERM; \"daemon start\" starts it.",
	CMD_NOHOST | CMD_HIDDEN | CMD_OWN_ARGS, cmd_sandbox_logd_exec,
	NULL
};

static int
cmd_sandbox_exec_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct host		*h = ctx->host;
	struct run_opts		 ro;
	struct run_result	 rr;
	struct buf		 in = BUF_INIT;
	char			*cause = NULL, chunk[65536];
	ssize_t			 n;
	int			 first = 1, rc;

	if (argc > 1 && strcmp(argv[1], "--") == 0)
		first = 2;
	if (first >= argc)
		return cmd_usage(ctx, &cmd_sandbox_exec_entry);
	if (!h->prof->sandbox || h->prof->ns_dir == NULL)
		return cmd_error(ctx, "%s is not a sandbox profile with a "
		    "namespace", h->prof->origin);
	/* Standard input goes to the program, unless it is a terminal. */
	if (!isatty(STDIN_FILENO)) {
		while ((n = read(STDIN_FILENO, chunk, sizeof chunk)) > 0 ||
		    (n == -1 && errno == EINTR))
			if (n > 0)
				buf_add(&in, chunk, (size_t)n);
	}
	run_opts_init(&ro);
	ro.stdin_data = in.data;
	ro.stdin_len = in.len;
	ro.timeout_ms = -1;
	/* In the console, Esc stops the program (SIGTERM, then SIGKILL). */
	ro.cancel = ctx->op;
	if (host_run(h, (const char *const *)argv + first, &ro, &rr,
	    &cause) != 0) {
		buf_release(&in);
		return cmd_fail_cause(ctx, cause);
	}
	fwrite(rr.out.data, 1, rr.out.len, ctx->out);
	fflush(ctx->out);
	fwrite(rr.err.data, 1, rr.err.len, ctx->err != NULL ? ctx->err :
	    stderr);
	rc = rr.status;
	if (rr.cancelled)
		rc = cmd_error(ctx, "%s stopped: cancelled (Esc)",
		    argv[first]);
	run_result_release(&rr);
	buf_release(&in);
	return rc;
}

const struct cmd_entry cmd_sandbox_exec_entry = {
	"sandbox exec", "[--] PROGRAM [ARGS...]",
	"Run a program inside the sandbox's namespace",
	"PROGRAM is an absolute path; it runs with the sandbox's hosts, "
	"nsswitch.conf and resolv.conf and with its syslog socket as "
	"/dev/log, for example \"smadm -r DIR sandbox exec /usr/sbin/sendmail "
	"-C DIR/etc/sendmail.cf -bt\".  Standard input is passed on unless it "
	"is a terminal; the output is shown when the program ends, and its "
	"exit status is smadm's.  Its output is passed on byte for byte, "
	"control characters included, as if it ran on its own.",
	CMD_ROOT | CMD_RAW | CMD_OWN_ARGS, cmd_sandbox_exec_exec, NULL
};
