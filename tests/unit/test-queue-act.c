/*
 * test-queue-act.c -- queue_act() on real queue files (a captured qf and
 * df, copied under five ids): the plan given to confirm, a "no" that
 * changes nothing, progress after each message, a cancel between
 * messages that leaves the rest untouched and a result that says how many
 * were handled, and requests that make no sense.  Delete needs no
 * sendmail (it takes sendmail's lock itself), so the files tell the truth.
 */
#include <stdlib.h>
#include <unistd.h>

#include "../../backend/queue-act.h"
#include "../../backend/transport.h"
#include "test.h"

#define QA_N	5

struct qa_fixture {
	struct host		*h;
	const char		*dir;
	struct queue_entry	*v[QA_N];
	char			 ids[QA_N][24];
};

static void
qa_fixture_init(struct qa_fixture *f)
{
	struct buf	 qf = BUF_INIT, df = BUF_INIT;
	char		*path, *name, *cause = NULL;
	int		 i;

	f->h = host_create(transport_local_create(), NULL);
	f->dir = test_tmpdir();
	test_read_fixture("queue/mta/qf6AM36VjD007470", &qf);
	test_read_fixture("queue/mta/df6AM36VjD007470", &df);
	for (i = 0; i < QA_N; i++) {
		snprintf(f->ids[i], sizeof f->ids[i], "6AM36Vj%c007470",
		    'A' + i);
		path = xasprintf("%s/qf%s", f->dir, f->ids[i]);
		CHECK(transport_write_file(f->h->t, path, qf.data, qf.len,
		    NULL, &cause) == 0);
		free(path);
		path = xasprintf("%s/df%s", f->dir, f->ids[i]);
		CHECK(transport_write_file(f->h->t, path, df.data, df.len,
		    NULL, &cause) == 0);
		free(path);
		name = xasprintf("qf%s", f->ids[i]);
		f->v[i] = queue_parse_copy(name, qf.data, qf.len, 0);
		free(name);
		CHECK(f->v[i] != NULL);
		f->v[i]->dir = f->dir;
		f->v[i]->queue = f->dir;
		f->v[i]->data_dir = f->dir;
	}
	buf_release(&qf);
	buf_release(&df);
}

static void
qa_fixture_release(struct qa_fixture *f)
{
	int	i;

	for (i = 0; i < QA_N; i++)
		queue_entry_free(f->v[i]);
	host_free(f->h);
}

static int
qa_exists(struct qa_fixture *f, int i, int which)
{
	char	*p;
	int	 r;

	p = xasprintf("%s/%cf%s", f->dir, which, f->ids[i]);
	r = access(p, F_OK) == 0;
	free(p);
	return r;
}

/* What the callbacks saw. */
struct qa_seen {
	int		 answer;	/* of confirm */
	char		*plan;
	size_t		 stop_at;	/* cancel once done reaches it */
	size_t		 nprog;
	size_t		 done[QA_N + 2], total[QA_N + 2];
	char		 item[QA_N + 2][24];
	char		 verb[16];
	size_t		 polls;
};

static int
qa_confirm(void *arg, const char *text)
{
	struct qa_seen	*s = arg;

	s->plan = xstrdup(text);
	return s->answer;
}

static void
qa_progress(void *arg, const struct op_progress *p)
{
	struct qa_seen	*s = arg;

	if (s->nprog >= QA_N + 2)
		return;
	s->done[s->nprog] = p->done;
	s->total[s->nprog] = p->total;
	snprintf(s->item[s->nprog], sizeof s->item[0], "%s",
	    p->item != NULL ? p->item : "");
	snprintf(s->verb, sizeof s->verb, "%s", p->verb);
	s->nprog++;
}

static int
qa_cancelled(void *arg)
{
	struct qa_seen	*s = arg;

	s->polls++;
	return s->stop_at > 0 && s->nprog > 0 &&
	    s->done[s->nprog - 1] >= s->stop_at;
}

static void
qa_ctl(struct op_ctl *ctl, struct qa_seen *s)
{
	memset(ctl, 0, sizeof *ctl);
	ctl->confirm = qa_confirm;
	ctl->progress = qa_progress;
	ctl->cancelled = qa_cancelled;
	ctl->arg = s;
}

TEST(queue_act_cancel_between_messages)
{
	struct qa_fixture	 f;
	struct queue_act_req	 req;
	struct queue_act_result	 res;
	struct qa_seen		 s;
	struct op_ctl		 ctl;
	struct buf		 b = BUF_INIT;
	char			*cause = NULL;
	size_t			 i;

	qa_fixture_init(&f);
	memset(&req, 0, sizeof req);
	req.act = QACT_DELETE;
	req.v = f.v;
	req.n = QA_N;

	/* No: nothing handled, nothing touched; the plan named them all. */
	memset(&s, 0, sizeof s);
	qa_ctl(&ctl, &s);
	queue_act_result_init(&res);
	CHECK(queue_act(f.h, &req, &ctl, &res, &cause) == 1);
	CHECK(res.n == 0 && res.cancelled && res.total == QA_N);
	CHECK(s.nprog == 0);
	CHECK(s.plan != NULL && strncmp(s.plan, "delete 5 messages:\n",
	    19) == 0);
	for (i = 0; i < QA_N; i++) {
		CHECK(strstr(s.plan, f.ids[i]) != NULL);
		CHECK(qa_exists(&f, (int)i, 'q') && qa_exists(&f, (int)i, 'd'));
	}
	free(s.plan);
	queue_act_result_release(&res);

	/* Yes, and cancelled after the second: two handled, three left. */
	memset(&s, 0, sizeof s);
	s.answer = 1;
	s.stop_at = 2;
	qa_ctl(&ctl, &s);
	CHECK(queue_act(f.h, &req, &ctl, &res, &cause) == 1);
	CHECK(res.cancelled);
	CHECK(res.n == 2 && res.done == 2 && res.failed == 0 &&
	    res.total == QA_N);
	CHECK(s.nprog == 3);		/* 0/5 at the start, then 1/5, 2/5 */
	CHECK_STR(s.verb, "delete");
	for (i = 0; i < s.nprog; i++)
		CHECK(s.done[i] == i && s.total[i] == QA_N);
	CHECK_STR(s.item[1], f.ids[0]);
	CHECK_STR(s.item[2], f.ids[1]);
	CHECK(s.polls == 3);		/* before each message started */
	for (i = 0; i < QA_N; i++) {
		CHECK(qa_exists(&f, (int)i, 'q') == (i >= 2));
		CHECK(qa_exists(&f, (int)i, 'd') == (i >= 2));
	}
	CHECK_STR(res.v[0].id, f.ids[0]);
	CHECK(res.v[0].outcome == QACT_DONE);
	queue_act_item_line(&b, &res.v[1]);
	CHECK(strcmp(b.data, f.ids[1]) > 0 && strstr(b.data,
	    ": deleted") != NULL);
	buf_reset(&b);
	queue_act_summary(&b, &req, &res);
	CHECK_STR(b.data, "delete: 2 of 5 done");
	free(s.plan);
	queue_act_result_release(&res);

	/* The rest, to the end: the first two are gone meanwhile. */
	memset(&s, 0, sizeof s);
	s.answer = 1;
	qa_ctl(&ctl, &s);
	CHECK(queue_act(f.h, &req, &ctl, &res, &cause) == 0);
	CHECK(!res.cancelled && res.n == QA_N && res.done == 3 &&
	    res.failed == 2);
	CHECK(res.v[0].outcome == QACT_FAILED);
	CHECK_STR(res.v[0].what, "gone");
	CHECK(s.nprog == QA_N + 1 && s.done[QA_N] == QA_N);
	for (i = 0; i < QA_N; i++)
		CHECK(!qa_exists(&f, (int)i, 'q') && !qa_exists(&f, (int)i,
		    'd'));
	buf_reset(&b);
	queue_act_summary(&b, &req, &res);
	CHECK_STR(b.data, "delete: 3 of 5 done");
	free(s.plan);
	queue_act_result_release(&res);
	buf_release(&b);
	qa_fixture_release(&f);
}

TEST(queue_act_requests)
{
	struct qa_fixture	 f;
	struct queue_act_req	 req;
	struct queue_act_result	 res;
	char			*cause = NULL, *q;
	struct buf		 qb;

	qa_fixture_init(&f);
	queue_act_result_init(&res);
	memset(&req, 0, sizeof req);

	/* Nothing selected. */
	req.act = QACT_RELEASE;
	CHECK(queue_act(f.h, &req, NULL, &res, &cause) == -1);
	CHECK_STR(cause, "release: no message selected");
	free(cause);
	cause = NULL;

	/* Only a flush runs the queue. */
	req.act = QACT_HOLD;
	req.run = 1;
	CHECK(queue_act(f.h, &req, NULL, &res, &cause) == -1);
	CHECK(cause != NULL && strstr(cause, "only a flush") != NULL);
	free(cause);
	cause = NULL;

	/* A lost message is not touched: no sendmail is run for it. */
	req.run = 0;
	req.v = f.v;
	req.n = 1;
	f.v[0]->state = QSTATE_LOST;
	CHECK(queue_act(f.h, &req, NULL, &res, &cause) == 0);
	CHECK(res.n == 1 && res.skipped == 1 && res.done == 0);
	CHECK_STR(res.v[0].what, "not touched");
	CHECK(qa_exists(&f, 0, 'q'));
	queue_act_result_release(&res);

	q = queue_act_question(&req);
	buf_init(&qb);
	buf_printf(&qb, "Hold 1 message (%s)?", f.v[0]->id);
	CHECK_STR(q, qb.data);
	buf_release(&qb);
	free(q);
	req.act = QACT_FLUSH;
	req.run = 1;
	req.domain = "far.example";
	q = queue_act_question(&req);
	CHECK_STR(q, "Run the queue for far.example now?");
	free(q);
	qa_fixture_release(&f);
}
