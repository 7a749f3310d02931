/*
 * queue-act.h -- acting on queued messages: hold, release, delete, flush
 * and bounce, as one operation (op.h) the CLI and the console both call.
 *
 * The caller selects the messages (queue_list_read and a filter, or ids)
 * and hands them over in a request.  queue_act() asks op_ctl.confirm with
 * the plan (queue_act_plan), then acts on one message after another:
 * after each it reports progress ("delete", done, total, id) and, between
 * messages, stops when op_ctl.cancelled says so.  Each message gets an
 * item in the result, checked in the queue afterwards, not trusted from
 * sendmail's exit status.
 *
 * Queue actions do not take the configuration lock: sendmail's own lock
 * of each control file orders them with the daemon and with each other.
 */
#ifndef SMADM_QUEUE_ACT_H
#define SMADM_QUEUE_ACT_H

#include <stddef.h>

#include "op.h"
#include "queue.h"

enum queue_act_verb {
	QACT_HOLD,
	QACT_RELEASE,
	QACT_DELETE,
	QACT_FLUSH,
	QACT_BOUNCE
};
/* "hold", "release", "delete", "flush", "bounce". */
extern const char *const queue_act_verbs[];

struct queue_act_req {
	enum queue_act_verb	  act;
	struct queue_entry	**v;		/* the messages (borrowed) */
	size_t			  n;
	const char		 *reason;	/* hold: the quarantine reason,
						   NULL for the default */
	/*
	 * flush only: instead of one sendmail -qI per message, whole queue
	 * runs (-qf, with -qR@domain when domain is set) of the queues in
	 * want (QUEUE_WANT_*); v then lists what the runs should try, for
	 * the plan and the report.
	 */
	int			  run;
	const char		 *domain;
	int			  want;
};

enum queue_act_outcome {
	QACT_DONE,		/* the message ended up as asked */
	QACT_FAILED,
	QACT_SKIPPED		/* not touched: lost, held, busy */
};

struct queue_act_item {
	char			 id[24];
	enum queue_act_outcome	 outcome;
	char			*what;		/* "held", "still queued" */
	char			*detail;	/* raw bytes (sendmail's words
						   or a cause), or NULL */
};

struct queue_act_result {
	struct queue_act_item	*v;		/* one per message handled */
	size_t			 n;
	size_t			 alloc;
	size_t			 total;		/* messages asked for */
	size_t			 done, failed, skipped;
	int			 cancelled;	/* stopped before the end */
	int			 run_failed;	/* flush run: a queue run
						   failed (said in a note) */
};

void	queue_act_result_init(struct queue_act_result *);
void	queue_act_result_release(struct queue_act_result *);

/*
 * The plan: a heading and one line per message, escaped, each line ending
 * in a newline ("hold 2 messages (reason: "x"):\n  ID  mta ...").  The
 * question to confirm it with: "Hold 2 messages?".  Both allocated.
 */
char	*queue_act_plan(const struct queue_act_req *);
char	*queue_act_question(const struct queue_act_req *);

/*
 * Run the request on the host.  0: every message was handled (the result
 * says how each went); 1: the confirmation said no (nothing handled) or
 * it was cancelled (the result says what was handled before); -1 with
 * *cause: the request makes no sense.  A failed queue run of a flush run
 * is said through op_note ("MTA queue run: why") and sets run_failed.
 */
int	queue_act(struct host *, const struct queue_act_req *,
	    const struct op_ctl *, struct queue_act_result *, char **);

/* One item as the CLI prints it, escaped, no newline: "ID: what: detail". */
void	queue_act_item_line(struct buf *, const struct queue_act_item *);
/* The closing line: "delete: 140 of 2000 done". */
void	queue_act_summary(struct buf *, const struct queue_act_req *,
	    const struct queue_act_result *);

#endif
