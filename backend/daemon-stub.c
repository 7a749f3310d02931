/*
 * daemon-stub.c -- TEMPORARY stand-ins for daemon.c and queue.c so the tui
 * branch links before those land.  Delete this file when merging: the real
 * implementations define the same symbols.
 */
#include <stdlib.h>

#include "daemon.h"
#include "queue.h"

void
daemon_status_init(struct daemon_status *st)
{
	st->running = 0;
	st->pid = 0;
	st->stale = 0;
	st->pid_file_cmd = NULL;
	st->started = 0;
	strv_init(&st->listen);
	st->log_receiver = 0;
	st->log_receiver_pid = 0;
}

void
daemon_status_release(struct daemon_status *st)
{
	free(st->pid_file_cmd);
	strv_release(&st->listen);
	daemon_status_init(st);
}

int
daemon_status(struct host *h unused, struct daemon_status *st unused,
    char **cause)
{
	*cause = xstrdup("daemon status not available in this build");
	return -1;
}

int
daemon_start(struct host *h unused, struct buf *report unused, char **cause)
{
	*cause = xstrdup("daemon start not available in this build");
	return -1;
}

int
daemon_stop(struct host *h unused, int force unused,
    struct buf *report unused, char **cause)
{
	*cause = xstrdup("daemon stop not available in this build");
	return -1;
}

int
queue_count(struct host *h unused, const struct strv *dirs unused,
    struct queue_counts *qc, char **cause)
{
	qc->messages = qc->quarantined = qc->lost = qc->dirs = 0;
	*cause = xstrdup("queue counting not available in this build");
	return -1;
}
