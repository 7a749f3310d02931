/*
 * cmd-wizard.c -- "smadm wizard --answers FILE [--print]": a role's mc and
 * the tables it needs, without questions (the console asks them).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "../backend/backup.h"
#include "../backend/templates.h"
#include "../backend/wizard.h"
#include "cmd-mc.h"

static char *
dir_of(const char *p)
{
	const char	*s = strrchr(p, '/');

	return s == NULL || s == p ? xstrdup("/") :
	    xstrndup(p, (size_t)(s - p));
}

static int
cmd_wizard_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "answers", required_argument, NULL, 'a' },
		{ "print", no_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 }
	};
	struct profile		*prof = ctx->host->prof;
	struct transport	*local;
	struct wizard_out	 o;
	struct write_opts	 wo;
	struct buf		 ans = BUF_INIT, tmpl = BUF_INIT;
	struct strv		 roles = STRV_INIT, paths = STRV_INIT;
	const char		*file = NULL, *access, *lhn, *data[3];
	char			*cause = NULL, *role = NULL, *tdir = NULL;
	char			*tpath = NULL, *mail_dir = NULL, *id = NULL;
	size_t			 i, lens[3];
	int			 ch, print = 0, rc = 1;

	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "a:p", longopts, NULL)) != -1) {
		if (ch == 'a')
			file = optarg;
		else if (ch == 'p')
			print = 1;
		else
			return cmd_usage(ctx, &cmd_wizard_entry);
	}
	if (file == NULL || optind != argc)
		return cmd_usage(ctx, &cmd_wizard_entry);
	wizard_out_init(&o);
	local = transport_local_create();
	if (prof->mc == NULL) {
		cmd_error(ctx, "the profile has no mc");
		goto out;
	}
	if (transport_read_file(local, file, &ans, 1 << 20, &cause) != 0 ||
	    wizard_role(ans.data, ans.len, file, &role, &cause) != 0)
		goto fail;
	tdir = templates_dir(ctx->self);
	tpath = xasprintf("%s/roles/%s.mc", tdir, role);
	if (transport_read_file(local, tpath, &tmpl, 1 << 20, &cause) != 0)
		goto fail;
	access = profile_table_path(prof, "access");
	lhn = profile_table_path(prof, "local_host_names");
	mail_dir = dir_of(access != NULL ? access : prof->mc);
	if (wizard_build(ans.data, ans.len, file, tmpl.data, tmpl.len,
	    mail_dir, &o, &cause) != 0)
		goto fail;
	if (print) {
		fputs(o.mc.data, ctx->out);
		rc = 0;
		goto out;
	}
	strv_push(&roles, "mc");
	strv_push(&paths, prof->mc);
	data[0] = o.mc.data;
	lens[0] = o.mc.len;
	if (lhn != NULL) {
		strv_push(&roles, "local_host_names");
		strv_push(&paths, lhn);
		data[roles.n - 1] = o.local_host_names.data;
		lens[roles.n - 1] = o.local_host_names.len;
	}
	if (access != NULL && o.access.len != 0) {
		strv_push(&roles, "access");
		strv_push(&paths, access);
		data[roles.n - 1] = o.access.data;
		lens[roles.n - 1] = o.access.len;
	}
	fprintf(ctx->out, "role %s from %s:\n", role, tpath);
	for (i = 0; i < paths.n; i++)
		fprintf(ctx->out, "    write %s\n", paths.v[i]);
	if (!cmd_confirm(ctx, "Replace these files?"))
		goto out;
	if (backup_create(ctx->host, "wizard", &roles, &paths, NULL, &id,
	    &cause) != 0)
		goto fail;
	for (i = 0; i < paths.n; i++) {
		write_opts_init(&wo);
		if (transport_write_file(ctx->host->t, paths.v[i], data[i],
		    lens[i], &wo, &cause) != 0)
			goto fail;
	}
	fprintf(ctx->out, "written (backup %s); \"smadm apply\" builds the "
	    "cf and the maps\n", id);
	rc = 0;
	goto out;
fail:
	rc = cmd_fail_cause(ctx, cause);
out:
	wizard_out_release(&o);
	transport_free(local);
	buf_release(&ans);
	buf_release(&tmpl);
	strv_release(&roles);
	strv_release(&paths);
	free(role);
	free(tdir);
	free(tpath);
	free(mail_dir);
	free(id);
	return rc;
}

const struct cmd_entry cmd_wizard_entry = {
	"wizard", "--answers FILE [--print]",
	"Write the mc and tables of a role from an answers file",
	"FILE holds \"key = value\" lines: role (nullclient, local, gateway, "
	"smarthost), hostname, domain, local_domains, relay_nets, smart_host, "
	"masquerade_as, listen_addr, smtp_port, ostype, def_user, run_as_user, "
	"max_children, rate_throttle, log_level, and define.NAME for extra "
	"defines.  The role's template (templates/roles) is filled in and "
	"written as the mc, with local-host-names and the access RELAY "
	"entries for relay_nets; a backup set is kept first.  --print shows "
	"the mc and writes nothing.  \"smadm apply\" follows.",
	CMD_WRITES | CMD_CONFIRM, cmd_wizard_exec
};
