/*
 * test-cmd-op.c -- a command run by someone else than the command line
 * (the console's job): cmd_op_ctl hands progress and notes on to ctx->op
 * and stops when its cancelled says so; "queue delete" run through
 * cmd_run on real queue files (a captured qf and df under five ids)
 * reports each message to ctx->op, stops between two when cancelled, and
 * says how many it handled, the files agreeing.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../backend/transport.h"
#include "../../cli/cmd-op.h"
#include "test.h"

#define CO_N	5

/* What ctx->op was told; cancelled once after_n progress calls came. */
struct co_rec {
	struct strv	 progress;	/* "verb done/total" */
	struct strv	 notes;
	size_t		 after_n;
};

static void
co_progress(void *arg, const struct op_progress *p)
{
	struct co_rec	*r = arg;

	strv_pushf(&r->progress, "%s %zu/%zu", p->verb, p->done, p->total);
}

static int
co_cancelled(void *arg)
{
	struct co_rec	*r = arg;

	return r->after_n > 0 && r->progress.n >= r->after_n;
}

static void
co_note(void *arg, const char *text)
{
	struct co_rec	*r = arg;

	strv_push(&r->notes, text);
}

static void
co_rec_init(struct co_rec *r, struct op_ctl *op, size_t after_n)
{
	strv_init(&r->progress);
	strv_init(&r->notes);
	r->after_n = after_n;
	memset(op, 0, sizeof *op);
	op->progress = co_progress;
	op->cancelled = co_cancelled;
	op->note = co_note;
	op->arg = r;
}

static void
co_rec_release(struct co_rec *r)
{
	strv_release(&r->progress);
	strv_release(&r->notes);
}

TEST(cmd_op_ctl_forwards_to_ctx_op)
{
	struct cmd_ctx		 ctx;
	struct op_ctl		 ctl, op;
	struct co_rec		 r;
	char			*out = NULL;
	size_t			 len = 0;

	memset(&ctx, 0, sizeof ctx);
	ctx.out = open_memstream(&out, &len);
	CHECK(ctx.out != NULL);

	/* The command line: nobody listens, nothing is cancelled. */
	cmd_op_ctl(&ctx, &ctl);
	op_progress(&ctl, "delete", 1, 7, NULL);
	CHECK(!op_cancelled(&ctl));
	op_note(&ctl, "a note");

	co_rec_init(&r, &op, 2);
	ctx.op = &op;
	cmd_op_ctl(&ctx, &ctl);
	op_progress(&ctl, "delete", 2, 7, "ID");
	CHECK(!op_cancelled(&ctl));
	op_progress(&ctl, "delete", 3, 7, NULL);
	CHECK(op_cancelled(&ctl));
	op_note(&ctl, "recovered");
	fclose(ctx.out);
	CHECK(r.progress.n == 2);
	if (r.progress.n == 2) {
		CHECK_STR(r.progress.v[0], "delete 2/7");
		CHECK_STR(r.progress.v[1], "delete 3/7");
	}
	CHECK(r.notes.n == 1 && strcmp(r.notes.v[0], "recovered") == 0);
	/* Notes are the command's output as well. */
	CHECK_STR(out, "a note\nrecovered\n");
	co_rec_release(&r);
	free(out);
}

static struct host *
co_host(const char *dir)
{
	struct profile	*p;
	char		*cause = NULL, *conf;

	conf = xasprintf("mc = %s/sendmail.mc\ncf = %s/sendmail.cf\n"
	    "queue_dirs = %s\n", dir, dir, dir);
	p = profile_parse(conf, strlen(conf), dir, "smadm.conf", &cause);
	free(conf);
	if (p == NULL)
		util_fatal("%s", cause);
	return host_create(transport_local_create(), p);
}

static int
co_left(const char *dir)
{
	char	*path, id[24];
	int	 i, n = 0;

	for (i = 0; i < CO_N; i++) {
		snprintf(id, sizeof id, "6AM36Vj%c007470", 'A' + i);
		path = xasprintf("%s/qf%s", dir, id);
		n += access(path, F_OK) == 0;
		free(path);
	}
	return n;
}

TEST(cmd_queue_delete_cancelled_by_ctx_op)
{
	const char	*dir = test_tmpdir();
	struct buf	 qf = BUF_INIT, df = BUF_INIT;
	struct cmd_ctx	 ctx;
	struct op_ctl	 op;
	struct co_rec	 r;
	char		*path, *out = NULL, id[24];
	char		*argv[] = { (char *)"delete", (char *)"--filter",
			    (char *)"", NULL };
	size_t		 len = 0;
	int		 i, rc;

	test_read_fixture("queue/mta/qf6AM36VjD007470", &qf);
	test_read_fixture("queue/mta/df6AM36VjD007470", &df);
	memset(&ctx, 0, sizeof ctx);
	ctx.host = co_host(dir);
	for (i = 0; i < CO_N; i++) {
		snprintf(id, sizeof id, "6AM36Vj%c007470", 'A' + i);
		path = xasprintf("%s/qf%s", dir, id);
		CHECK(transport_write_file(ctx.host->t, path, qf.data, qf.len,
		    NULL, NULL) == 0);
		free(path);
		path = xasprintf("%s/df%s", dir, id);
		CHECK(transport_write_file(ctx.host->t, path, df.data, df.len,
		    NULL, NULL) == 0);
		free(path);
	}
	CHECK(co_left(dir) == CO_N);

	/* Progress 0/5 then one per message: cancelled after two. */
	co_rec_init(&r, &op, 3);
	ctx.op = &op;
	ctx.yes = 1;
	ctx.out = open_memstream(&out, &len);
	rc = cmd_run(&cmd_queue_delete_entry, &ctx, 3, argv);
	fclose(ctx.out);
	CHECK(rc == 1);
	CHECK(r.progress.n == 3);
	if (r.progress.n == 3) {
		CHECK_STR(r.progress.v[0], "delete 0/5");
		CHECK_STR(r.progress.v[2], "delete 2/5");
	}
	CHECK_STR(ctx.error, "cancelled: 2 of 5 handled, 2 done");
	CHECK(out != NULL && strstr(out, "delete: 2 of 5 done\n") != NULL);
	CHECK(out != NULL &&
	    strstr(out, "delete: cancelled, 2 of 5 handled\n") != NULL);
	CHECK(co_left(dir) == CO_N - 2);
	free(ctx.error);
	free(out);
	co_rec_release(&r);
	host_free(ctx.host);
	buf_release(&qf);
	buf_release(&df);
}
