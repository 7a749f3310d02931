/*
 * opctl.c -- the console's op_ctl for inline operations (opctl.h).
 */
#include <stdlib.h>
#include <string.h>

#include "opctl.h"

static int
tui_op_confirm(void *arg, const char *text)
{
	struct tui_op	*op = arg;
	const char	*q;
	size_t		 len;

	if (op->seen == NULL)
		return op_confirm(op->next, text);
	q = strrchr(text, '\n');
	len = q != NULL ? (size_t)(q + 1 - text) : 0;
	if (strlen(op->seen) == len && memcmp(op->seen, text, len) == 0)
		return 1;
	free(op->plan);
	op->plan = xstrndup(text, len);
	return 0;
}

static void
tui_op_note(void *arg, const char *line)
{
	struct tui_op	*op = arg;

	strv_push(&op->notes, line);
	op_note(op->next, "%s", line);
}

static void
tui_op_progress(void *arg, const struct op_progress *p)
{
	struct tui_op	*op = arg;

	free(op->step);
	op->step = xstrdup(p->verb);
	op_progress(op->next, p->verb, p->done, p->total, p->item);
}

static int
tui_op_cancelled(void *arg)
{
	struct tui_op	*op = arg;

	return op_cancelled(op->next);
}

void
tui_op_init(struct tui_op *op, const char *seen, struct op_ctl *ctl)
{
	strv_init(&op->notes);
	op->seen = seen;
	op->plan = NULL;
	op->step = NULL;
	op->next = NULL;
	memset(ctl, 0, sizeof *ctl);
	ctl->confirm = tui_op_confirm;
	ctl->progress = tui_op_progress;
	ctl->cancelled = tui_op_cancelled;
	ctl->note = tui_op_note;
	ctl->arg = op;
}

void
tui_op_chain(struct tui_op *op, const char *seen, const struct op_ctl *next,
    struct op_ctl *ctl)
{
	tui_op_init(op, seen, ctl);
	op->next = next;
}

void
tui_op_release(struct tui_op *op)
{
	strv_release(&op->notes);
	free(op->plan);
	free(op->step);
	op->plan = op->step = NULL;
}

char *
tui_op_notes(const struct tui_op *op)
{
	return strv_join(&op->notes, "; ");
}
