/*
 * test-queue.c -- counting queue files, and the log receiver's line format.
 */
#include <stdlib.h>
#include <time.h>

#include "../../backend/logd.h"
#include "../../backend/queue.h"
#include "test.h"

static void
touch(struct transport *t, const char *dir, const char *name)
{
	char	*path, *cause = NULL;

	path = xasprintf("%s/%s", dir, name);
	if (transport_write_file(t, path, "", 0, NULL, &cause) != 0)
		util_fatal("%s", cause);
	free(path);
}

TEST(queue_count_files)
{
	struct host		*h;
	struct queue_counts	 qc;
	struct strv		 dirs = STRV_INIT;
	const char		*dir = test_tmpdir();
	char			*q1, *q2, *sub, *cause = NULL;

	h = host_create(transport_local_create(), NULL);
	q1 = xasprintf("%s/q1", dir);
	q2 = xasprintf("%s/q2", dir);
	sub = xasprintf("%s/qf", q2);
	CHECK(transport_mkdir(h->t, q1, 0700, &cause) == 0);
	CHECK(transport_mkdir(h->t, q2, 0700, &cause) == 0);
	CHECK(transport_mkdir(h->t, sub, 0700, &cause) == 0);
	/* One message, its df and transcript, one being written. */
	touch(h->t, q1, "qf6AM26D6S002012");
	touch(h->t, q1, "df6AM26D6S002012");
	touch(h->t, q1, "xf6AM26D6S002012");
	touch(h->t, q1, "tf6AM26D6T002013");
	touch(h->t, q1, "hf6AM26D6U002014");
	touch(h->t, q1, "Qf6AM26D6V002015");
	touch(h->t, sub, "qf6AM26D6W002016");
	touch(h->t, sub, "qf6AM26D6X002017");

	strv_push(&dirs, q1);
	CHECK(queue_count(h, &dirs, &qc, &cause) == 0);
	CHECK(qc.messages == 1 && qc.quarantined == 1 && qc.lost == 1 &&
	    qc.dirs == 1);

	strv_push(&dirs, q2);
	CHECK(queue_count(h, &dirs, &qc, &cause) == 0);
	CHECK(qc.messages == 3 && qc.dirs == 2);

	/* A wildcard names both. */
	strv_release(&dirs);
	strv_pushf(&dirs, "%s/q*", dir);
	CHECK(queue_count(h, &dirs, &qc, &cause) == 0);
	CHECK(qc.messages == 3 && qc.dirs == 2);

	/* A missing directory is an error that names it. */
	strv_release(&dirs);
	strv_pushf(&dirs, "%s/none", dir);
	CHECK(queue_count(h, &dirs, &qc, &cause) == -1);
	CHECK(cause != NULL && strstr(cause, "/none") != NULL);
	free(cause);

	strv_release(&dirs);
	free(q1);
	free(q2);
	free(sub);
	host_free(h);
}

TEST(logd_format_lines)
{
	struct timespec	 now;
	struct buf	 b = BUF_INIT;
	const char	*p;
	int		 fac;

	now.tv_sec = 1795314491;	/* 2026-11-22T02:28:11Z */
	now.tv_nsec = 985504123;
	setenv("TZ", "UTC", 1);
	tzset();

	/* What glibc's syslog(3) sends for sendmail -L sm-mta. */
	p = "<22>Nov 22 02:08:11 sm-mta[26201]: starting daemon "
	    "(8.17.1.9): SMTP+queueing@00:15:00";
	fac = logd_format(p, strlen(p), &now, "vm", &b);
	CHECK(fac == LOGD_FACILITY_MAIL);
	CHECK_STR(b.data, "2026-11-22T02:28:11.985504+00:00 vm sm-mta[26201]: "
	    "starting daemon (8.17.1.9): SMTP+queueing@00:15:00\n");

	/* Single-digit day, user facility, control characters. */
	buf_reset(&b);
	p = "<13>Nov  2 02:08:11 me[1]: a\tb\n";
	fac = logd_format(p, strlen(p), &now, "vm", &b);
	CHECK(fac == 1);
	CHECK_STR(b.data, "2026-11-22T02:28:11.985504+00:00 vm me[1]: a#011b\n");

	/* No priority, no timestamp: kept as it came. */
	buf_reset(&b);
	fac = logd_format("plain", 5, &now, "vm", &b);
	CHECK(fac == 1);
	CHECK_STR(b.data, "2026-11-22T02:28:11.985504+00:00 vm plain\n");
	buf_release(&b);
	unsetenv("TZ");
	tzset();
}
