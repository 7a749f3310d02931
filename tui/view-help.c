/*
 * view-help.c -- the help screen, generated: the keys of the view it was
 * opened from and of the console come from their binding tables, the
 * commands from the command table (the same text as "smadm help").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui.h"

static const char help_list_keys[] =
    "  j k Up Down     move        PgUp PgDn ^B ^F  a page   ^U ^D  half\n"
    "  g G Home End    first, last                 / n N     search\n"
    "  Space t         tag (lists that have tags)  Left Right  scroll\n";

static void
help_bindings(struct buf *b, const struct tui_binding *tb)
{
	const struct cmd_entry	*ce;
	const char		*what;

	for (; tb != NULL && tb->key != 0; tb++) {
		buf_printf(b, "  %-8s ", tui_key_name(tb->key));
		if (tb->command == NULL) {
			what = tb->help != NULL ? tb->help : tb->label;
			buf_printf(b, "%s\n", what != NULL ? what : "");
		} else if ((ce = cmd_lookup(tb->command)) == NULL)
			buf_printf(b, "%s (not available in this build)\n",
			    tb->command);
		else
			buf_printf(b, "%s: %s%s\n", ce->name, ce->summary,
			    ce->flags & CMD_CONFIRM ? " (asks first)" : "");
	}
}

void
view_help_open(struct tui_view *from)
{
	struct buf	 b = BUF_INIT;
	char		*cmds = NULL;
	size_t		 len = 0;
	FILE		*f;

	if (from != NULL && strcmp(from->title, "Help") == 0)
		return;		/* already there */
	if (from != NULL && from->ops->bindings != NULL &&
	    from->ops->bindings->key != 0) {
		buf_printf(&b, "Keys in %s\n", from->title);
		help_bindings(&b, from->ops->bindings);
		buf_addch(&b, '\n');
	}
	buf_addstr(&b, "Keys everywhere\n");
	help_bindings(&b, tui_global_bindings);
	buf_addstr(&b, "\nKeys in lists and text\n");
	buf_addstr(&b, help_list_keys);

	buf_addstr(&b, "\nCommands (\":\" runs one here; \"smadm COMMAND\" "
	    "from a shell)\n");
	if ((f = open_memstream(&cmds, &len)) != NULL) {
		cmd_help_list(f, 0);
		fclose(f);
		buf_add(&b, cmds, len);
		free(cmds);
	}
	buf_addstr(&b, "\n\"smadm help COMMAND\" and smadm(8) describe each "
	    "command in full.\n");
	view_text_open("Help", b.data, b.len);
	buf_release(&b);
}
