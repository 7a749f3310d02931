/*
 * cmd-fleet.c -- "smadm fleet status": several hosts over SSH at once.
 *
 * The hosts are the arguments, or the lines of smadm's own host list
 * (~/.config/smadm/hosts: "SPEC [DIR]" per line, DIR a remote profile
 * directory for -r), or else the Host entries of ~/.ssh/config without
 * wildcards.  Each host is asked in its own thread over its own
 * connection, without prompts: keys come from the agent and key files,
 * host keys must be known (or --accept-new-host-key).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../backend/daemon.h"
#include "../backend/queue.h"
#include "../backend/transport-ssh.h"
#include "cmd.h"

struct fleet_host {
	char			*spec;
	char			*root;
	const struct ssh_opts	*base;
	int			 ok;
	char			*error;
	int			 running;
	long			 pid;
	long			 mta;
	long			 submit;
	long			 deferred;
	char			*last_error;
	pthread_t		 thread;
	int			 started;
};

/* Append the hosts of smadm's list, or of ~/.ssh/config. */
static void
fleet_hosts(struct strv *specs, struct strv *roots)
{
	struct transport	*t;
	struct buf		 b = BUF_INIT;
	struct strv		 w = STRV_INIT;
	char			*home, *path, *cause = NULL, *line, *next;
	size_t			 i;

	home = ssh_user_home();
	t = transport_local_create();
	path = xasprintf("%s/.config/smadm/hosts", home);
	if (transport_read_file(t, path, &b, 0, &cause) == 0) {
		for (line = b.data; line != NULL && *line != '\0'; line = next) {
			if ((next = strchr(line, '\n')) != NULL)
				*next++ = '\0';
			strv_release(&w);
			strv_split_ws(&w, line);
			if (w.n == 0 || w.v[0][0] == '#')
				continue;
			strv_push(specs, w.v[0]);
			strv_push(roots, w.n > 1 ? w.v[1] : "");
		}
	}
	free(cause);
	cause = NULL;
	free(path);
	if (specs->n == 0) {
		buf_reset(&b);
		path = xasprintf("%s/.ssh/config", home);
		if (transport_read_file(t, path, &b, 0, &cause) == 0) {
			for (line = b.data; line != NULL && *line != '\0';
			    line = next) {
				if ((next = strchr(line, '\n')) != NULL)
					*next++ = '\0';
				strv_release(&w);
				strv_split_ws(&w, line);
				if (w.n < 2 || strcasecmp(w.v[0], "Host") != 0)
					continue;
				for (i = 1; i < w.n; i++) {
					if (strpbrk(w.v[i], "*?!") != NULL)
						continue;
					strv_push(specs, w.v[i]);
					strv_push(roots, "");
				}
			}
		}
		free(cause);
		free(path);
	}
	strv_release(&w);
	buf_release(&b);
	transport_free(t);
	free(home);
}

static void *
fleet_ask(void *arg)
{
	struct fleet_host	*fh = arg;
	struct ssh_opts		 so = *fh->base;
	struct host		*h;
	struct daemon_status	 st;
	struct queue_counts	 qc;
	struct queue_list	 ql;
	time_t			 last = 0;
	size_t			 i;

	so.spec = fh->spec;
	so.prompt = NULL;
	h = host_open_ssh(&so, *fh->root != '\0' ? fh->root : NULL,
	    &fh->error);
	if (h == NULL)
		return NULL;
	memset(&st, 0, sizeof st);
	if (daemon_status(h, &st, &fh->error) != 0)
		goto out;
	fh->running = st.running;
	fh->pid = (long)st.pid;
	daemon_status_release(&st);
	memset(&qc, 0, sizeof qc);
	if (queue_count(h, &h->prof->submit_queue_dirs, &qc, &fh->error) != 0)
		goto out;
	fh->submit = qc.messages;
	queue_list_init(&ql);
	if (queue_list_read(h, QUEUE_WANT_MTA, 0, &ql, &fh->error) != 0) {
		queue_list_release(&ql);
		goto out;
	}
	fh->mta = (long)ql.n;
	for (i = 0; i < ql.n; i++) {
		if (ql.v[i]->status == NULL || *ql.v[i]->status == '\0')
			continue;
		fh->deferred++;
		if (ql.v[i]->atime >= last) {
			last = ql.v[i]->atime;
			free(fh->last_error);
			fh->last_error = xstrdup(ql.v[i]->status);
		}
	}
	queue_list_release(&ql);
	fh->ok = 1;
out:
	host_free(h);
	return NULL;
}

static int
cmd_fleet_status_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct strv		 specs = STRV_INIT, roots = STRV_INIT;
	struct fleet_host	*fh;
	struct ssh_opts		 def;
	size_t			 i, n;
	int			 failed = 0;

	for (i = 1; i < (size_t)argc; i++) {
		if (argv[i][0] == '-')
			return cmd_usage(ctx, &cmd_fleet_status_entry);
		strv_push(&specs, argv[i]);
		strv_push(&roots, ctx->root != NULL ? ctx->root : "");
	}
	if (specs.n == 0)
		fleet_hosts(&specs, &roots);
	if (specs.n == 0)
		return cmd_error(ctx, "no hosts: name them, or list them in "
		    "~/.config/smadm/hosts or as Host entries of "
		    "~/.ssh/config");
	if (ctx->ssh == NULL) {
		ssh_opts_init(&def);
		def.smadm_path = ctx->self;
	}
	n = specs.n;
	fh = xcalloc(n, sizeof *fh);
	for (i = 0; i < n; i++) {
		fh[i].spec = specs.v[i];
		fh[i].root = roots.v[i];
		fh[i].base = ctx->ssh != NULL ? ctx->ssh : &def;
		fh[i].started = pthread_create(&fh[i].thread, NULL, fleet_ask,
		    &fh[i]) == 0;
		if (!fh[i].started)
			fleet_ask(&fh[i]);
	}
	for (i = 0; i < n; i++)
		if (fh[i].started)
			pthread_join(fh[i].thread, NULL);
	if (ctx->json)
		fputs("[", ctx->out);
	else
		fprintf(ctx->out, "%-20s %-8s %7s %7s %9s  %s\n", "HOST",
		    "DAEMON", "MTA", "SUBMIT", "DEFERRED", "LAST ERROR");
	for (i = 0; i < n; i++) {
		if (!fh[i].ok)
			failed++;
		if (ctx->json) {
			fputs(i ? ",\n{\"host\":" : "\n{\"host\":", ctx->out);
			json_string(ctx->out, fh[i].spec);
			if (!fh[i].ok) {
				fputs(",\"ok\":false,\"error\":", ctx->out);
				json_string(ctx->out, fh[i].error != NULL ?
				    fh[i].error : "failed");
				fputs("}", ctx->out);
				continue;
			}
			fprintf(ctx->out, ",\"ok\":true,\"daemon\":\"%s\","
			    "\"pid\":%ld,\"mta\":%ld,\"submit\":%ld,"
			    "\"deferred\":%ld,\"last_error\":",
			    fh[i].running ? "running" : "stopped",
			    fh[i].running ? fh[i].pid : 0L, fh[i].mta,
			    fh[i].submit, fh[i].deferred);
			if (fh[i].last_error != NULL)
				json_string(ctx->out, fh[i].last_error);
			else
				fputs("null", ctx->out);
			fputs("}", ctx->out);
		} else if (!fh[i].ok)
			fprintf(ctx->out, "%-20s error: %s\n", fh[i].spec,
			    fh[i].error != NULL ? fh[i].error : "failed");
		else
			fprintf(ctx->out, "%-20s %-8s %7ld %7ld %9ld  %s\n",
			    fh[i].spec, fh[i].running ? "running" : "stopped",
			    fh[i].mta, fh[i].submit, fh[i].deferred,
			    fh[i].last_error != NULL ? fh[i].last_error : "-");
	}
	if (ctx->json)
		fputs("\n]\n", ctx->out);
	for (i = 0; i < n; i++) {
		free(fh[i].error);
		free(fh[i].last_error);
	}
	free(fh);
	strv_release(&specs);
	strv_release(&roots);
	if (failed != 0)
		return cmd_error(ctx, "%d of %zu host%s could not be asked",
		    failed, n, n == 1 ? "" : "s");
	return 0;
}

const struct cmd_entry cmd_fleet_status_entry = {
	"fleet status", "[--json] [HOST...]",
	"Daemon, queues and last error of several hosts over SSH, in parallel",
	"Asks every HOST ([user@]host[:port] or a Host of ~/.ssh/config) at "
	"once, each over its own SSH connection: whether the daemon runs, "
	"the MTA and submit queue counts, how many MTA messages were deferred "
	"and the newest last error.  Without HOST arguments the hosts are "
	"the lines of ~/.config/smadm/hosts (\"SPEC [DIR]\", DIR a profile "
	"directory on that host, as -r), or else the Host entries of "
	"~/.ssh/config without wildcards; -r DIR applies to hosts named as "
	"arguments.  Nothing is asked interactively: use the agent or "
	"unencrypted keys, and known host keys (or --accept-new-host-key).  "
	"Exits 1 when a host could not be asked; --json prints one object "
	"per host.",
	CMD_NOHOST | CMD_JSON, cmd_fleet_status_exec
};
