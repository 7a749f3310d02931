/*
 * cmd-wizard.c -- "smadm wizard --answers FILE [--print]": a role's mc and
 * the tables it needs, without questions (the console asks them).
 */
#include <stdlib.h>
#include <string.h>

#include "../backend/backup.h"
#include "../backend/templates.h"
#include "../backend/wizard.h"
#include "cmd-mc.h"
#include "cmd-op.h"

static int
cmd_wizard_exec(struct cmd_ctx *ctx, int argc, char **argv unused)
{
	struct transport	*local;
	struct wizard_out	 o;
	struct wizard_merge	 m;
	struct wizard_install_req req;
	struct wizard_install_result res;
	struct op_ctl		 ctl;
	struct buf		 ans = BUF_INIT, show = BUF_INIT;
	const char		*file = NULL;
	char			*cause = NULL, *role = NULL, *tdir = NULL;
	char			*tpath = NULL, *pstr;
	struct wizard_drive_opts dopts;
	int			 print, drive, rc = 1;

	file = cmd_args_get(ctx, 'a');
	print = cmd_args_has(ctx, 'p') > 0;
	drive = cmd_args_has(ctx, 't') > 0;
	if (file == NULL || argc != 1 || (print && drive))
		return cmd_usage(ctx, &cmd_wizard_entry);
	wizard_out_init(&o);
	local = transport_local_create();
	tdir = templates_dir(ctx->self);
	if (transport_read_file(local, file, &ans, 1 << 20, &cause) != 0 ||
	    wizard_generate(ctx->host, tdir, ans.data, ans.len, file, &role,
	    &tpath, &o, &cause) != 0)
		goto fail;
	if (drive) {
		memset(&dopts, 0, sizeof dopts);
		dopts.self = ctx->self;
		dopts.templates = tdir;
		dopts.hooks = op_apply_hooks(ctx->host);
		dopts.timeout = 15;
		dopts.tmpdir = getenv("TMPDIR");
		if (wizard_test_port(ans.data, ans.len, file, &dopts.port,
		    &cause) != 0)
			goto fail;
		if (dopts.port == 0 && (pstr = wizard_profile_port(
		    ctx->host->prof)) != NULL) {
			dopts.port = atoi(pstr);
			dopts.port_default = dopts.port > 0;
			free(pstr);
		}
		fprintf(ctx->out, "test drive of role %s from %s\n", role,
		    tpath);
		rc = wizard_drive(&dopts, &o, &show, &cause);
		fputs(show.data, ctx->out);
		if (rc == -1)
			goto fail;
		fprintf(ctx->out, "test drive: %s\n", rc == 0 ?
		    "the message was accepted and delivered" :
		    "the message was accepted but not delivered");
		goto out;
	}
	memset(&req, 0, sizeof req);
	req.o = &o;
	req.role = role;
	req.template = tpath;
	req.lock_wait = -1;
	if (print) {
		/* The plan wizard_install would confirm; no lock, no write. */
		wizard_merge_init(&m);
		if (wizard_merge_read(ctx->host, &o, &m, &cause) != 0) {
			wizard_merge_release(&m);
			goto fail;
		}
		wizard_install_plan(&req, &m, &show);
		wizard_merge_release(&m);
		fputs(show.data, ctx->out);
		rc = 0;
		goto out;
	}
	cmd_op_ctl(ctx, &ctl);
	rc = wizard_install(ctx->host, &req, &ctl, &res, &cause);
	if (rc == 0 && res.backup != NULL)
		fprintf(ctx->out, "written (backup %s); \"smadm apply\" builds "
		    "the cf and the maps\n", res.backup);
	wizard_install_result_release(&res);
	if (rc < 0)
		goto fail;
	goto out;
fail:
	rc = cmd_fail_cause(ctx, cause);
out:
	wizard_out_release(&o);
	transport_free(local);
	buf_release(&ans);
	buf_release(&show);
	free(role);
	free(tdir);
	free(tpath);
	return rc;
}

static const struct cmd_opt wizard_opts[] = {
	{ 'a', "answers", "FILE", "the answers (\"key = value\" lines)", 0 },
	{ 'p', "print", NULL, "print what would be written, write nothing",
	    0 },
	{ 't', "test-drive", NULL, "try the result in a sandbox", 0 },
	{ 0, NULL, NULL, NULL, 0 }
};

const struct cmd_entry cmd_wizard_entry = {
	"wizard", "--answers FILE [--print | --test-drive]",
	"Write the mc and tables of a role from an answers file",
	"FILE holds \"key = value\" lines: role (nullclient, local, gateway, "
	"smarthost), hostname, domain, local_domains, relay_nets, smart_host, "
	"masquerade_as, listen_addr, smtp_port, ostype, def_user, run_as_user, "
	"max_children, rate_throttle, log_level, test_port (the test drive's "
	"port; default the profile's, or a free one when that is taken), "
	"define.NAME for extra "
	"defines, and for roles that route (gateway) mailertable = \"DOMAIN "
	"MAILER:HOST\", relay_to = \"DOMAIN HOST\" (mailertable DOMAIN "
	"smtp:[HOST]) and virtusertable = \"ADDRESS TARGET\" lines.  The "
	"role's template (templates/roles) is filled in and written as the "
	"mc, with local-host-names, the access RELAY entries for relay_nets, "
	"and the mailertable and virtusertable when the role uses them.  On "
	"a host that has these files the tables are merged: every existing "
	"line stays, only the role's entries whose key is missing are added "
	"(a key already there with another value keeps it, with a note), so "
	"a second run changes nothing.  The mc is the role's.  Before "
	"writing it shows, per file, \"N entries kept, M added\" and a "
	"unified diff of the file against what it would write, and asks; if a "
	"file changed while the question waited, nothing is written and it "
	"asks again with the new merge; a backup set is kept first.  A table "
	"with entries whose FEATURE the role lacks keeps it (a note says so); "
	"entries for a table the profile names no file for are refused; a "
	"key given twice (but the table keys) is an error; an answer the role "
	"does not use gets a note.  --print shows that and writes nothing.  "
	"--test-drive writes nothing either: it runs the "
	"role's mc in a temporary sandbox (its paths, test_port or the "
	"profile's port on 127.0.0.1, a free one when unset or taken, no "
	"RunAsUser), builds the cf and maps, starts the daemon, "
	"sends one message to root at the host name over SMTP, reports the "
	"queue ID, the mail log lines and whether it reached the sandbox "
	"mailbox, then stops the daemon and removes the sandbox; it exits 1 "
	"when the message was not delivered.  The console's wizard (w on the mc screen) asks "
	"the same questions one by one.  \"smadm apply\" follows.",
	CMD_WRITES | CMD_CONFIRM | CMD_OWNLOCK, cmd_wizard_exec, wizard_opts
};
