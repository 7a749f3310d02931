/*
 * test-queue-parse.c -- qf files written by a real sendmail 8.17 (see
 * tests/fixtures/queue/README), scans of queue layouts, filters, sorts,
 * the summary and deleting under sendmail's lock.
 */
#include <sys/file.h>

#include <fcntl.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "../../backend/queue.h"
#include "test.h"

static struct queue_entry *
fixture_entry(const char *name, int full unused)
{
	struct buf		 b = BUF_INIT;
	struct queue_entry	*e;
	const char		*base = strrchr(name, '/') + 1;

	test_read_fixture(name, &b);
	e = queue_parse_copy(base, b.data, b.len, 0);
	buf_release(&b);
	return e;
}

static struct queue_entry *
fixture_full(const char *name)
{
	struct buf		 b = BUF_INIT;
	const char		*base = strrchr(name, '/') + 1;
	size_t			 len;

	test_read_fixture(name, &b);
	len = b.len;
	return queue_parse(base, buf_detach(&b), len, QUEUE_FULL);
}

static char *
escaped(const char *s, int flags)
{
	struct buf	b = BUF_INIT;

	queue_escape(&b, s, flags);
	return buf_detach(&b);
}

TEST(queue_parse_smtp_dsn)
{
	struct queue_entry	*e;
	char			*s;
	size_t			 i;

	e = fixture_full("queue/mta/qf6AM36VjE007470");
	CHECK(e->error == NULL);
	CHECK_STR(e->id, "6AM36VjE007470");
	CHECK(e->state == QSTATE_QUEUED);
	CHECK(e->version == 8);
	CHECK(e->ctime == 1795316791 && e->atime == 1795316791);
	CHECK(e->tries == 1 && e->priority == 61138);
	CHECK_STR(e->bodytype, "8BITMIME");
	CHECK_STR(e->flags, "8bs");
	CHECK_STR(e->sender, "<dave@other.example>");
	CHECK_STR(e->status, "Deferred: Connection refused by [127.0.0.1]");
	CHECK_STR(e->envid, "env42");
	CHECK(e->quarantine == NULL);
	CHECK(e->nrcpts == 2);
	if (e->nrcpts == 2) {
		CHECK_STR(e->rcpts[0].addr, "<erin@deferred.example>");
		CHECK_STR(e->rcpts[0].flags, "PNSF");
		CHECK_STR(e->rcpts[0].orcpt, "rfc822;erin@deferred.example");
		CHECK_STR(e->rcpts[0].final, "RFC822; erin@deferred.example");
		CHECK_STR(e->rcpts[1].addr, "<frank@sub.deferred.example>");
		CHECK_STR(e->rcpts[1].flags, "PN");
		CHECK(e->rcpts[1].orcpt == NULL);
	}
	/* The raw bytes of the file: sendmail doubled the 0xff. */
	CHECK_STR(e->subject, "caf\xe9 \xff\xff\xfe bytes");
	s = escaped(e->subject, 0);
	CHECK_STR(s, "caf\\xe9 \\xff\\xfe bytes");
	free(s);
	CHECK_STR(e->message_id, "<m2@other.example>");
	CHECK(e->nheaders == 8);
	for (i = 0; i < e->nheaders; i++)
		if (strcmp(e->headers[i].name, "X-Long") == 0)
			CHECK_STR(e->headers[i].value,
			    "first part\n\tsecond part");
	CHECK_STR(e->headers[0].name, "Return-Path");
	CHECK_STR(e->headers[0].cond, "P");
	s = escaped(e->headers[0].value, 0);
	CHECK_STR(s, "<$g>");
	free(s);
	s = escaped(e->headers[1].value, 0);
	CHECK(strstr(s, "(vm.sandbox.example [127.0.0.1]) by vm") != NULL);
	free(s);
	CHECK(e->nmacros == 4);
	CHECK_STR(e->macros[1].name, "r");
	CHECK_STR(e->macros[1].value, "ESMTP");
	CHECK_STR(e->macros[3].name, "{daemon_flags}");
	CHECK_STR(e->macros[3].value, "");
	queue_entry_free(e);
}

TEST(queue_parse_brief_equals_full)
{
	struct queue_entry	*b, *f;
	size_t			 i;

	b = fixture_entry("queue/mta/qf6AM36VjD007470", 0);
	f = fixture_full("queue/mta/qf6AM36VjD007470");
	CHECK(b->compact && !f->compact);
	CHECK_STR(b->sender, f->sender);
	CHECK_STR(b->status, f->status);
	CHECK_STR(b->subject, "quarterly report");
	CHECK_STR(b->to, f->to);
	CHECK(b->nrcpts == 2 && f->nrcpts == 2);
	for (i = 0; i < b->nrcpts && i < f->nrcpts; i++) {
		CHECK_STR(b->rcpts[i].addr, f->rcpts[i].addr);
		CHECK_STR(b->rcpts[i].final, f->rcpts[i].final);
	}
	CHECK(b->nheaders == 0 && b->headers == NULL);
	queue_entry_free(b);
	queue_entry_free(f);
}

TEST(queue_parse_held_and_submit)
{
	struct queue_entry	*e;

	e = fixture_entry("queue/mta/hf6AM37v7O008838", 0);
	CHECK(e->state == QSTATE_HELD);
	CHECK_STR(queue_entry_state(e), "held");
	CHECK_STR(e->quarantine, "held by test: suspicious");
	CHECK_STR(e->sender, "gina@vm.sandbox.example");
	CHECK_STR(e->auth, "gina@vm.sandbox.example");
	CHECK(e->nrcpts == 4);
	if (e->nrcpts == 4)
		CHECK_STR(e->rcpts[3].addr, "secret@deferred.example");
	CHECK(e->atime == 0 && e->tries == 0);
	CHECK(e->error == NULL);
	queue_entry_free(e);

	e = fixture_entry("queue/submit/qf6AM36e0M007804", 0);
	CHECK(e->error == NULL);
	CHECK_STR(e->sender, "kim@vm.sandbox.example");
	CHECK(e->nrcpts == 1);
	CHECK_STR(e->subject, "to submit queue");
	queue_entry_free(e);
}

TEST(queue_parse_damaged)
{
	struct queue_entry	*e;
	char			 junk[] = "V8\nT12x\nRnocolon\n\x01\x02garbage\n.\n";

	e = fixture_entry("queue/damaged/qf6AM38AAA000001", 0);
	CHECK(e->error != NULL && strstr(e->error, "truncated") != NULL);
	CHECK(e->ctime == 1795316791);	/* what was there is kept */
	queue_entry_free(e);
	e = fixture_entry("queue/damaged/qf6AM38AAB000002", 0);
	CHECK(e->error != NULL);
	queue_entry_free(e);
	e = queue_parse_copy("qfX1234567890", junk, strlen(junk), 0);
	CHECK(e->error != NULL && strncmp(e->error, "2: bad T line", 13) == 0);
	CHECK(e->nrcpts == 0);
	queue_entry_free(e);
	e = queue_parse_copy("qfX1234567890", junk, 0, 0);
	CHECK(e->error != NULL && strstr(e->error, "empty") != NULL);
	queue_entry_free(e);
}

TEST(queue_escape_bytes)
{
	char	*s;

	s = escaped("a\tb\n\tc\x01\x7f\xc3\xa9\xed\xa0\x80", 0);
	CHECK_STR(s, "a b c\\x01\\x7f\xc3\xa9\\xed\\xa0\\x80");
	free(s);
	/* Terminal controls from a sender or subject: ESC, C1 both ways. */
	s = escaped("\x1b]52;c;aGk=\x07\x1b[2J\x9b" "1m\xc2\x9b" "2J", 0);
	CHECK_STR(s, "\\x1b]52;c;aGk=\\x07\\x1b[2J\\x9b1m\\u009b2J");
	free(s);
	s = escaped("x\n\ty", QESC_FOLD);
	CHECK_STR(s, "x\n\ty");
	free(s);
}

/* Copy a fixture directory's files into dir (with subdirectories). */
static void
copy_fixture(const char *from, const char *dir, const char *name)
{
	struct transport	*t = transport_local_create();
	struct buf		 b = BUF_INIT;
	char			*fx, *to, *cause = NULL;

	fx = xasprintf("queue/%s/%s", from, name);
	test_read_fixture(fx, &b);
	to = xasprintf("%s/%s", dir, name);
	if (transport_write_file(t, to, b.data, b.len, NULL, &cause) != 0)
		util_fatal("%s", cause);
	free(fx);
	free(to);
	buf_release(&b);
	transport_free(t);
}

static struct host *
scan_host(const char *root)
{
	struct profile	*p;
	char		*conf, *cause = NULL;

	conf = xasprintf("queue_dirs = %s/q*\nsubmit_queue_dirs = %s/sub\n"
	    "daemon_flags = -bd -q15m\n", root, root);
	p = profile_parse(conf, strlen(conf), root, "smadm.conf", &cause);
	if (p == NULL)
		util_fatal("%s", cause);
	free(conf);
	return host_create(transport_local_create(), p);
}

static int
count_cb(void *arg, struct queue_entry *e, char **cause unused)
{
	queue_list_add(arg, e);
	return 0;
}

TEST(queue_scan_layouts)
{
	const char		*root = test_tmpdir();
	struct host		*h;
	struct queue_list	 ql;
	struct queue_scan	*qs;
	struct queue_entry	*e;
	char			*d, *cause = NULL;
	int			 rc, steps = 0;

	h = scan_host(root);
	/* q1: flat; q2: qf/ and df/ subdirectories; sub: the submit queue */
	d = xasprintf("%s/q1", root);
	transport_mkdir(h->t, d, 0700, &cause);
	copy_fixture("mta", d, "qf6AM36VjD007470");
	copy_fixture("mta", d, "df6AM36VjD007470");
	copy_fixture("mta", d, "hf6AM37v7O008838");
	copy_fixture("damaged", d, "tf6AM38AAC000003");
	copy_fixture("damaged", d, "qf6AM38AAA000001");
	free(d);
	d = xasprintf("%s/q2", root);
	transport_mkdir(h->t, d, 0700, &cause);
	free(d);
	d = xasprintf("%s/q2/qf", root);
	transport_mkdir(h->t, d, 0700, &cause);
	copy_fixture("mta", d, "qf6AM36VjE007470");
	free(d);
	d = xasprintf("%s/q2/df", root);
	transport_mkdir(h->t, d, 0700, &cause);
	copy_fixture("mta", d, "df6AM36VjE007470");
	free(d);
	d = xasprintf("%s/sub", root);
	transport_mkdir(h->t, d, 0700, &cause);
	copy_fixture("submit", d, "qf6AM36e0M007804");
	copy_fixture("submit", d, "df6AM36e0M007804");
	free(d);

	/* Two files at a time: the scan comes back between batches. */
	queue_list_init(&ql);
	qs = queue_scan_open(h, QUEUE_WANT_ALL, 0);
	while ((rc = queue_scan_step(qs, 2, count_cb, &ql, &cause)) > 0)
		steps++;
	CHECK(rc == 0);
	CHECK(steps >= 3);
	CHECK(queue_scan_warnings(qs)->n == 0);
	queue_scan_close(qs);
	CHECK(ql.n == 5);	/* tf skipped */
	e = queue_list_find(&ql, "6AM36VjD007470");
	CHECK(e != NULL && e->size == 11 && e->kind == QUEUE_MTA);
	e = queue_list_find(&ql, "6AM36VjE007470");
	CHECK(e != NULL && e->size == 1000 && str_endswith(e->dir, "/q2/qf"));
	if (e != NULL) {
		d = queue_entry_path(e, 'd');
		CHECK(str_endswith(d, "/q2/df/df6AM36VjE007470"));
		free(d);
	}
	e = queue_list_find(&ql, "6AM37v7O008838");
	CHECK(e != NULL && e->state == QSTATE_HELD && e->size == -1);
	e = queue_list_find(&ql, "6AM36e0M007804");
	CHECK(e != NULL && e->kind == QUEUE_SUBMIT && e->size == 12);
	e = queue_list_find(&ql, "6AM38AAA000001");
	CHECK(e != NULL && e->error != NULL);
	queue_list_release(&ql);

	queue_list_init(&ql);
	CHECK(queue_list_read(h, QUEUE_WANT_SUBMIT, 0, &ql, &cause) == 0);
	CHECK(ql.n == 1);
	queue_list_release(&ql);

	e = queue_find(h, "6AM36VjE007470", &cause);
	CHECK(e != NULL && e->nheaders == 8 && e->size == 1000);
	queue_entry_free(e);
	CHECK(queue_find(h, "6AM99AAA000000", &cause) == NULL);
	CHECK(cause != NULL && strstr(cause, "no such message") != NULL);
	free(cause);
	host_free(h);
}

static int
matches(const char *filter, const struct queue_entry *e, time_t now)
{
	struct queue_filter	*f;
	char			*cause = NULL;
	int			 m;

	if ((f = queue_filter_parse(filter, &cause)) == NULL) {
		fprintf(stderr, "    %s\n", cause);
		free(cause);
		return -1;
	}
	m = queue_filter_match(f, e, now);
	queue_filter_free(f);
	return m;
}

TEST(queue_filters)
{
	struct queue_entry	*e, *h;
	struct queue_filter	*f;
	time_t			 now = 1795316791 + 3 * 3600;
	char			*cause = NULL;

	e = fixture_entry("queue/mta/qf6AM36VjE007470", 0);
	e->size = 1000;
	h = fixture_entry("queue/mta/hf6AM37v7O008838", 0);
	CHECK(matches("", e, now) == 1);
	CHECK(matches("from:dave", e, now) == 1);
	CHECK(matches("from:DAVE to:frank", e, now) == 1);
	CHECK(matches("from:alice", e, now) == 0);
	CHECK(matches("!from:alice", e, now) == 1);
	CHECK(matches("to:/^<erin@deferred\\.example>$/", e, now) == 1);
	CHECK(matches("to:/^erin/", e, now) == 0);
	CHECK(matches("domain:sub.deferred.example", e, now) == 1);
	CHECK(matches("domain:deferred.example", h, now) == 1);
	CHECK(matches("domain:example", e, now) == 0);
	CHECK(matches("subject:/caf.*bytes/", e, now) == 1);
	CHECK(matches("status:refused", e, now) == 1);
	CHECK(matches("status:suspicious", h, now) == 1);
	CHECK(matches("older:2h", e, now) == 1);
	CHECK(matches("older:4h", e, now) == 0);
	CHECK(matches("newer:4h", e, now) == 1);
	CHECK(matches("larger:999 smaller:1k", e, now) == 1);
	CHECK(matches("larger:1k", e, now) == 0);
	CHECK(matches("tries:1", e, now) == 1 && matches("tries:2", e, now) == 0);
	CHECK(matches("state:held", h, now) == 1);
	CHECK(matches("state:held", e, now) == 0);
	CHECK(matches("queue:mta", e, now) == 1);
	CHECK(matches("queue:submit", e, now) == 0);
	CHECK(matches("6AM36VjE", e, now) == 1);
	CHECK(matches("env42", e, now) == 0);
	f = queue_filter_parse("bogus:x", &cause);
	CHECK(f == NULL && strstr(cause, "unknown field \"bogus\"") != NULL);
	free(cause);
	cause = NULL;
	f = queue_filter_parse("older:soon", &cause);
	CHECK(f == NULL && strstr(cause, "duration") != NULL);
	free(cause);
	cause = NULL;
	f = queue_filter_parse("to:/[/", &cause);
	CHECK(f == NULL && cause != NULL);
	free(cause);
	queue_entry_free(e);
	queue_entry_free(h);
}

TEST(queue_sort_and_summary)
{
	struct queue_entry	*v[3];
	struct queue_summary	 s;
	time_t			 now = 1795316791 + 30 * 60;
	size_t			 i;

	v[0] = fixture_entry("queue/mta/qf6AM36VjE007470", 0);
	v[1] = fixture_entry("queue/mta/hf6AM37v7O008838", 0);
	v[2] = fixture_entry("queue/submit/qf6AM36e0M007804", 0);
	v[0]->size = 1000;
	v[1]->size = 14;
	v[2]->size = 12;
	queue_sort(v, 3, QSORT_AGE, 0, 900);
	CHECK_STR(v[0]->id, "6AM36VjE007470");	/* T1795316791: oldest */
	CHECK_STR(v[1]->id, "6AM36e0M007804");	/* T1795316800 */
	CHECK_STR(v[2]->id, "6AM37v7O008838");
	queue_sort(v, 3, QSORT_SIZE, 0, 900);
	CHECK_STR(v[0]->id, "6AM36VjE007470");
	queue_sort(v, 3, QSORT_SENDER, 1, 900);
	CHECK_STR(v[0]->id, "6AM36e0M007804");	/* kim, reversed */
	queue_sort(v, 3, QSORT_TRIES, 0, 900);
	CHECK_STR(v[0]->id, "6AM36VjE007470");
	CHECK(queue_next_attempt(v[0], 900) == 1795316791 + 900);

	queue_summary_build(&s, v, 3, now);
	CHECK(s.all.total == 3 && s.all.bytes == 1026 && s.held == 1);
	CHECK(s.ndomains == 3);
	CHECK_STR(s.domains[0].key, "deferred.example");
	CHECK(s.domains[0].total == 3);
	/* 30 minutes old: the 20-40 minute bucket. */
	CHECK(s.domains[0].buckets[3] == 3);
	for (i = 0; i < s.nerrors; i++)
		if (strstr(s.errors[i].key, "Connection refused") != NULL)
			CHECK(s.errors[i].total == 1);
	queue_summary_release(&s);
	for (i = 0; i < 3; i++)
		queue_entry_free(v[i]);
}

TEST(queue_remove_locked_respects_flock)
{
	struct transport	*t = transport_local_create();
	struct strv		 also = STRV_INIT;
	const char		*dir = test_tmpdir();
	char			*qf, *df, *cause = NULL;
	int			 fd, state = -1;

	qf = xasprintf("%s/qfLOCKTEST0001", dir);
	df = xasprintf("%s/dfLOCKTEST0001", dir);
	CHECK(transport_write_file(t, qf, "V8\n.\n", 5, NULL, &cause) == 0);
	CHECK(transport_write_file(t, df, "x\n", 2, NULL, &cause) == 0);
	strv_push(&also, df);
	/* Another open file description holds the lock, as sendmail would. */
	fd = open(qf, O_RDWR);
	CHECK(fd != -1 && flock(fd, LOCK_EX) == 0);
	CHECK(transport_remove_locked(t, qf, &also, &state, &cause) == 0);
	CHECK(state == TRL_BUSY);
	CHECK(transport_exists(t, qf) && transport_exists(t, df));
	close(fd);
	CHECK(transport_remove_locked(t, qf, &also, &state, &cause) == 0);
	CHECK(state == TRL_REMOVED);
	CHECK(!transport_exists(t, qf) && !transport_exists(t, df));
	CHECK(transport_remove_locked(t, qf, &also, &state, &cause) == 0);
	CHECK(state == TRL_MISSING);
	strv_release(&also);
	free(qf);
	free(df);
	transport_free(t);
}

/* Brief entries share repeated strings and outlive each other in any order. */
TEST(queue_parse_brief_shares_strings)
{
	struct queue_entry	*a, *b, *c;

	a = fixture_entry("queue/mta/qf6AM36VjD007470", 0);
	b = fixture_entry("queue/mta/qf6AM36VjD007470", 0);
	c = fixture_entry("queue/mta/qf6AM36VjE007470", 0);
	CHECK(a->status != NULL && a->status == b->status);
	CHECK(a->sender == b->sender && a->rcpts[0].addr == b->rcpts[0].addr);
	CHECK(a->message_id != b->message_id);
	CHECK_STR(a->message_id, b->message_id);
	queue_entry_free(a);
	CHECK_STR(b->sender, "<alice@client.example>");
	CHECK(b->nrcpts == 2);
	CHECK_STR(b->rcpts[1].addr, "<bob@deferred.example>");
	queue_entry_free(b);
	CHECK_STR(c->sender, "<dave@other.example>");
	queue_entry_free(c);
	a = fixture_entry("queue/submit/qf6AM36e0M007804", 0);
	CHECK_STR(a->subject, "to submit queue");
	queue_entry_free(a);
}
