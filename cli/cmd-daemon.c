/*
 * cmd-daemon.c -- "smadm daemon start|stop|reload|restart|status", and the
 * daemon part of "smadm status" (cmd_daemon_show).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../backend/daemon.h"
#include "cmd.h"

static void
show_uptime(FILE *f, time_t secs)
{
	if (secs >= 86400)
		fprintf(f, "%lldd%02lldh", (long long)secs / 86400,
		    (long long)secs % 86400 / 3600);
	else if (secs >= 3600)
		fprintf(f, "%lldh%02lldm", (long long)secs / 3600,
		    (long long)secs % 3600 / 60);
	else
		fprintf(f, "%lldm%02llds", (long long)secs / 60,
		    (long long)secs % 60);
}

static const char *
daemon_state(const struct daemon_status *st)
{
	if (st->running)
		return "running";
	return st->stale ? "stale" : "stopped";
}

static void
show_json_str(FILE *f, const char *key, const char *s)
{
	fprintf(f, "\"%s\": ", key);
	if (s != NULL)
		json_string(f, s);
	else
		fputs("null", f);
}

static void
show_control_json(FILE *f, const struct daemon_control *dc,
    const char *error)
{
	size_t	i;

	fputs(", \"control\": ", f);
	if (dc == NULL && error == NULL) {
		fputs("null", f);
		return;
	}
	fputs("{", f);
	show_json_str(f, "error", error);
	if (dc != NULL && error == NULL) {
		fprintf(f, ", \"children\": %ld, \"max_children\": %ld, "
		    "\"load\": %ld, \"free_blocks\": %lld, \"child_list\": [",
		    dc->children, dc->max_children, dc->load, dc->free_blocks);
		for (i = 0; i < dc->child_list.n; i++) {
			if (i != 0)
				fputs(", ", f);
			json_string(f, dc->child_list.v[i]);
		}
		fputs("]", f);
	}
	fputs("}", f);
}

static void
show_control(FILE *f, const struct daemon_control *dc, const char *error)
{
	size_t	i;

	if (error != NULL) {
		fprintf(f, "  control:     %s\n", error);
		return;
	}
	if (dc == NULL)
		return;
	fputs("  control:     ", f);
	if (dc->children >= 0)
		fprintf(f, "%ld child%s", dc->children,
		    dc->children == 1 ? "" : "ren");
	if (dc->max_children > 0)
		fprintf(f, " (at most %ld)", dc->max_children);
	if (dc->load >= 0)
		fprintf(f, ", load %ld", dc->load);
	if (dc->free_blocks >= 0)
		fprintf(f, ", %lld blocks free in the queue directory",
		    dc->free_blocks);
	fputc('\n', f);
	for (i = 0; i < dc->child_list.n; i++)
		fprintf(f, "    %s\n", dc->child_list.v[i]);
}

static void
daemon_show(FILE *f, struct host *h, const struct daemon_status *st,
    const struct daemon_control *dc, const char *dc_error, int json)
{
	const struct profile	*p = h->prof;
	struct tm		 tm;
	char			 when[64];
	time_t			 now = time(NULL);
	size_t			 i;

	if (json) {
		fprintf(f, "{\"state\": \"%s\", \"pid\": %ld, ",
		    daemon_state(st), (long)st->pid);
		fprintf(f, "\"started\": %lld, \"uptime\": %lld, ",
		    (long long)st->started, st->started != 0 ?
		    (long long)(now - st->started) : 0LL);
		fputs("\"listen\": [", f);
		for (i = 0; i < st->listen.n; i++) {
			if (i != 0)
				fputs(", ", f);
			json_string(f, st->listen.v[i]);
		}
		fputs("], ", f);
		show_json_str(f, "pid_file", p->pid_file);
		fputs(", ", f);
		show_json_str(f, "command", st->pid_file_cmd);
		fputs(", ", f);
		show_json_str(f, "why", st->why);
		if (st->loglevel >= 0)
			fprintf(f, ", \"loglevel\": %d", st->loglevel);
		else
			fputs(", \"loglevel\": null", f);
		fputs(", ", f);
		show_json_str(f, "control_socket", st->control_socket);
		if (dc != NULL || dc_error != NULL)
			show_control_json(f, dc, dc_error);
		if (p->syslog_pid_file != NULL) {
			fprintf(f, ", \"log_receiver\": {\"state\": \"%s\", "
			    "\"pid\": %ld, ", st->log_receiver ? "running" :
			    st->log_receiver_stale ? "stale" : "stopped",
			    (long)st->log_receiver_pid);
			show_json_str(f, "why", st->log_receiver_why);
			fputs("}", f);
		}
		fputs("}", f);
		return;
	}

	if (st->running) {
		fprintf(f, "daemon:        running, pid %ld", (long)st->pid);
		if (st->started != 0) {
			localtime_r(&st->started, &tm);
			strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
			fputs(", up ", f);
			show_uptime(f, now - st->started);
			fprintf(f, " (since %s)", when);
		}
		fputc('\n', f);
		fputs("  listening:   ", f);
		if (st->listen.n == 0)
			fputs("nothing", f);
		for (i = 0; i < st->listen.n; i++)
			fprintf(f, "%s%s", i ? " " : "", st->listen.v[i]);
		if (p->listen != NULL) {
			for (i = 0; i < st->listen.n; i++)
				if (strcmp(st->listen.v[i], p->listen) == 0)
					break;
			if (i == st->listen.n)
				fprintf(f, " (expected %s)", p->listen);
		}
		fputc('\n', f);
	} else if (st->stale)
		fprintf(f, "daemon:        stale pid file: %s\n", st->why);
	else
		fprintf(f, "daemon:        stopped (no pid file %s)\n",
		    p->pid_file);
	if (st->pid_file_cmd != NULL)
		fprintf(f, "  command:     %s\n", st->pid_file_cmd);
	if (st->loglevel >= 0)
		fprintf(f, "  loglevel:    %d (from %s)\n", st->loglevel, p->cf);
	if (st->control_socket != NULL)
		fprintf(f, "  control:     socket %s\n", st->control_socket);
	show_control(f, dc, dc_error);
	if (p->syslog_pid_file != NULL) {
		if (st->log_receiver)
			fprintf(f, "log receiver:  running, pid %ld, into %s\n",
			    (long)st->log_receiver_pid, p->mail_log);
		else if (st->log_receiver_stale)
			fprintf(f, "log receiver:  stale pid file: %s\n",
			    st->log_receiver_why);
		else
			fprintf(f, "log receiver:  stopped\n");
	}
}

void
cmd_daemon_show(FILE *f, struct host *h, const struct daemon_status *st,
    int json)
{
	daemon_show(f, h, st, NULL, NULL, json);
}

static int
cmd_daemon_status_exec(struct cmd_ctx *ctx, int argc, char **argv unused)
{
	struct daemon_status	 st;
	struct daemon_control	 dc;
	char			*cause = NULL, *dc_error = NULL;
	int			 asked = 0;

	if (argc != 1)
		return cmd_usage(ctx, &cmd_daemon_status_entry);
	if (daemon_status(ctx->host, &st, &cause) != 0)
		return cmd_fail_cause(ctx, cause);
	daemon_control_init(&dc);
	if (st.running && st.control_socket != NULL) {
		asked = 1;
		daemon_control_status(ctx->host, &st, &dc, &dc_error);
	}
	daemon_show(ctx->out, ctx->host, &st, asked ? &dc : NULL, dc_error,
	    ctx->json);
	if (ctx->json)
		fputc('\n', ctx->out);
	daemon_control_release(&dc);
	daemon_status_release(&st);
	free(dc_error);
	return 0;
}

const struct cmd_entry cmd_daemon_status_entry = {
	"daemon status", "",
	"Show whether the sendmail daemon runs, its pid, uptime and addresses",
	"The pid comes from the profile's pid file and is believed only when "
	"the process is alive, is the profile's sendmail binary and, for a "
	"sandbox, works in the sandbox's queue; otherwise the pid file is "
	"reported as stale.  Also shown: the command line of the pid file, the "
	"uptime, the addresses it listens on, the LogLevel of the cf and, when "
	"the cf names a ControlSocketName, the daemon's own STATUS answer on "
	"that socket (children, load average, free blocks in the queue "
	"directory).  Exits 0 whether the daemon runs or not.",
	CMD_JSON, cmd_daemon_status_exec, NULL
};

static int
cmd_daemon_start_exec(struct cmd_ctx *ctx, int argc, char **argv unused)
{
	struct buf	 report = BUF_INIT;
	char		*cause = NULL;
	int		 rc;

	if (argc != 1)
		return cmd_usage(ctx, &cmd_daemon_start_entry);
	rc = daemon_start(ctx->host, &report, &cause);
	fputs(report.data, ctx->out);
	buf_release(&report);
	return rc == 0 ? 0 : cmd_fail_cause(ctx, cause);
}

const struct cmd_entry cmd_daemon_start_entry = {
	"daemon start", "",
	"Start the sendmail daemon",
	"Runs the profile's sendmail by its full path with -C CF, -L LABEL and "
	"the profile's daemon_flags, and waits until its pid file names a "
	"verified sendmail that listens where the profile says.  A sandbox's "
	"log receiver is started first, and the daemon runs in the sandbox's "
	"namespace.  A daemon that already runs is left alone.",
	CMD_WRITES | CMD_ROOT, cmd_daemon_start_exec, NULL
};

/*
 * "daemon stop" and "daemon restart": [--kill], a confirmation (the daemon
 * stops receiving mail), then the backend call and its report.
 */
static int
cmd_daemon_interrupt(struct cmd_ctx *ctx, int argc, char **argv unused,
    const struct cmd_entry *ce, const char *what,
    int (*fn)(struct host *, int, struct buf *, char **))
{
	struct buf	 report = BUF_INIT;
	char		*cause = NULL;
	int		 force, rc;

	force = cmd_args_has(ctx, 'k') > 0;
	if (argc != 1)
		return cmd_usage(ctx, ce);
	if (!cmd_confirm(ctx, "%s the sendmail daemon%s? Mail is not "
	    "received while it is down", what,
	    ctx->host->prof->sandbox ? " of the sandbox" : ""))
		return 1;
	rc = fn(ctx->host, force, &report, &cause);
	fputs(report.data, ctx->out);
	buf_release(&report);
	return rc == 0 ? 0 : cmd_fail_cause(ctx, cause);
}

static int
cmd_daemon_stop_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	return cmd_daemon_interrupt(ctx, argc, argv, &cmd_daemon_stop_entry,
	    "Stop", daemon_stop);
}

static const struct cmd_opt daemon_kill_opts[] = {
	{ 'k', "kill", NULL, "SIGKILL when SIGTERM did not stop it in 10 "
	    "seconds", 0 },
	{ 0, NULL, NULL, NULL, 0 }
};

const struct cmd_entry cmd_daemon_stop_entry = {
	"daemon stop", "",
	"Stop the sendmail daemon",
	"Sends SIGTERM to the pid of the pid file, after checking that it is "
	"the profile's sendmail, and waits up to 10 seconds for it to go; "
	"--kill then sends SIGKILL.  A pid file naming a dead or foreign "
	"process is removed and nothing is signalled.  A sandbox's log "
	"receiver is stopped too.",
	CMD_WRITES | CMD_ROOT | CMD_CONFIRM, cmd_daemon_stop_exec,
	daemon_kill_opts
};

static int
cmd_daemon_reload_exec(struct cmd_ctx *ctx, int argc, char **argv unused)
{
	struct buf	 report = BUF_INIT;
	char		*cause = NULL;
	int		 rc;

	if (argc != 1)
		return cmd_usage(ctx, &cmd_daemon_reload_entry);
	if (!cmd_confirm(ctx, "Reload the sendmail daemon%s? It restarts "
	    "itself and drops the SMTP sessions it is accepting",
	    ctx->host->prof->sandbox ? " of the sandbox" : ""))
		return 1;
	rc = daemon_reload(ctx->host, NULL, &report, &cause);
	fputs(report.data, ctx->out);
	buf_release(&report);
	return rc == 0 ? 0 : cmd_fail_cause(ctx, cause);
}

const struct cmd_entry cmd_daemon_reload_entry = {
	"daemon reload", "",
	"Make the sendmail daemon re-read its configuration (SIGHUP)",
	"Sends SIGHUP to the pid of the pid file, after checking that it is "
	"the profile's sendmail.  sendmail then re-executes itself by its full "
	"path and a new daemon, with a new pid, rewrites the pid file: smadm "
	"waits for it, checks that it is the profile's sendmail and listens "
	"where the profile says, and reports the old and the new pid.  Fails "
	"when sendmail is not running.",
	CMD_WRITES | CMD_ROOT | CMD_CONFIRM, cmd_daemon_reload_exec, NULL
};

static int
cmd_daemon_restart_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	return cmd_daemon_interrupt(ctx, argc, argv, &cmd_daemon_restart_entry,
	    "Restart", daemon_restart);
}

const struct cmd_entry cmd_daemon_restart_entry = {
	"daemon restart", "",
	"Stop the sendmail daemon and start it again",
	"\"daemon stop\" then \"daemon start\": SIGTERM to the verified pid, "
	"wait for it to go (--kill: SIGKILL when it does not), then start the "
	"profile's sendmail by its full path and wait until it is verified "
	"and listening.  A daemon that is not running is just started.",
	CMD_WRITES | CMD_ROOT | CMD_CONFIRM, cmd_daemon_restart_exec,
	daemon_kill_opts
};
