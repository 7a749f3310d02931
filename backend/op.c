/*
 * op.c -- the callbacks of an operation, each optional (see op.h).
 */
#include <stdarg.h>
#include <stdlib.h>

#include "op.h"

int
op_confirm(const struct op_ctl *ctl, const char *text)
{
	if (ctl == NULL || ctl->confirm == NULL)
		return 1;
	return ctl->confirm(ctl->arg, text);
}

void
op_progress(const struct op_ctl *ctl, const char *verb, size_t done,
    size_t total, const char *item)
{
	struct op_progress	p;

	if (ctl == NULL || ctl->progress == NULL)
		return;
	p.verb = verb;
	p.done = done;
	p.total = total;
	p.item = item;
	ctl->progress(ctl->arg, &p);
}

int
op_cancelled(const struct op_ctl *ctl)
{
	if (ctl == NULL || ctl->cancelled == NULL)
		return 0;
	return ctl->cancelled(ctl->arg);
}

void
op_note(const struct op_ctl *ctl, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	if (ctl == NULL || ctl->note == NULL)
		return;
	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	ctl->note(ctl->arg, s);
	free(s);
}
