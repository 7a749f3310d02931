/*
 * cmd-queue-int.h -- what cmd-queue.c (listing) shares with
 * cmd-queue-act.c (actions): the selection of messages and two output
 * helpers.  Not for use elsewhere.
 */
#ifndef SMADM_CMD_QUEUE_INT_H
#define SMADM_CMD_QUEUE_INT_H

#include <stdio.h>

#include "../backend/queue.h"
#include "cmd.h"

struct qsel {
	struct queue_list	 all;		/* what was read */
	struct queue_entry	**v;		/* selected, in order */
	size_t			 n;
	int			 want;		/* QUEUE_WANT_* */
	struct queue_filter	*filter;
	enum queue_sort		 sort;
	int			 reverse;
};

void		 cmdq_qsel_init(struct qsel *);
void		 cmdq_qsel_release(struct qsel *);
/*
 * The selection's options, as cmd_args_next gives them: -f/--filter EXPR
 * and -q/--queue mta|submit|all.  0 when taken, -1 when the option is not
 * one of them, else an exit status (the error said).
 */
int		 cmdq_qsel_option(struct cmd_ctx *, struct qsel *, int,
		    const char *);
/*
 * Read the queues and select the ids given, or what the filter matches, or
 * everything when neither and all is set (cmd-queue.c says more); 0 or an
 * exit status.
 */
int		 cmdq_qsel_load(struct cmd_ctx *, struct qsel *, int, char **,
		    int, int *);
/* Parse the --filter text into qs; 0 or an exit status. */
int		 cmdq_qsel_filter(struct cmd_ctx *, struct qsel *, const char *);
/* A string escaped for a line of text. */
void		 cmdq_out_escaped(FILE *, const char *);
const char	*cmdq_kind_name(const struct queue_entry *);

#endif
