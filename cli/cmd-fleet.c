/*
 * cmd-fleet.c -- "smadm fleet status": several hosts over SSH at once
 * (backend/fleet.h), as a table or --json.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../backend/fleet.h"
#include "cmd.h"

static int
cmd_fleet_status_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct fleet_host	*fh = NULL;
	struct ssh_opts		 def;
	size_t			 i, n = 0, failed;

	for (i = 1; i < (size_t)argc; i++) {
		if (argv[i][0] == '-')
			return cmd_usage(ctx, &cmd_fleet_status_entry);
		fleet_add(&fh, &n, argv[i], ctx->root);
	}
	if (n == 0)
		fleet_hosts(&fh, &n);
	if (n == 0)
		return cmd_error(ctx, "no hosts: name them, or list them in "
		    "~/.config/smadm/hosts or as Host entries of "
		    "~/.ssh/config");
	if (ctx->ssh == NULL) {
		ssh_opts_init(&def);
		def.smadm_path = ctx->self;
	}
	failed = fleet_query(fh, n, ctx->ssh != NULL ? ctx->ssh : &def);
	if (ctx->json)
		fputs("[", ctx->out);
	else
		fprintf(ctx->out, "%-20s %-8s %7s %7s %9s  %s\n", "HOST",
		    "DAEMON", "MTA", "SUBMIT", "DEFERRED", "LAST ERROR");
	for (i = 0; i < n; i++) {
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
	fleet_free(fh, n);
	if (failed != 0)
		return cmd_error(ctx, "%zu of %zu host%s could not be asked",
		    failed, n, n == 1 ? "" : "s");
	return 0;
}

const struct cmd_entry cmd_fleet_status_entry = {
	"fleet status", "[HOST...]",
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
	CMD_NOHOST | CMD_JSON, cmd_fleet_status_exec, NULL
};
