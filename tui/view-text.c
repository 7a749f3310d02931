/*
 * view-text.c -- a pager for text: command output, help, a file.
 *
 * The text is split into lines once (tabs expanded); the list widget in
 * pager mode does the scrolling and searching, and this view adds the keys
 * people know from less: Space f b, Enter e y, < >.
 */
#include <stdlib.h>
#include <string.h>

#include "tui.h"
#include "widget-list.h"

struct text_view {
	struct buf	 text;		/* lines, each NUL-terminated */
	size_t		*lines;		/* where each line starts */
	size_t		 nlines;
	struct wlist	*wl;

	/* view_text_open_actions(): the owner's keys and data. */
	struct tui_view_ops	 ops;
	view_text_action_cb	 action;
	void			*arg;
	void			(*arg_free)(void *);
};

static const struct wlist_column text_columns[] = {
	{ "", 0, 0 }
};

static const struct tui_binding text_bindings[] = {
	{ '/', "Search", NULL, 0, "Search forward; n and N repeat" },
	{ ' ', NULL, NULL, 0, "Next page (also f, PgDn)" },
	{ 'b', NULL, NULL, 0, "Previous page (also PgUp)" },
	{ 'g', NULL, NULL, 0, "Top (also <, Home); G, >, End: bottom" },
	{ TUI_KEY_RIGHT, NULL, NULL, 0, "Scroll right; Left scrolls back" },
	{ 0, NULL, NULL, 0, NULL }
};

static size_t
text_nrows(void *arg)
{
	struct text_view	*tv = arg;

	return tv->nlines;
}

static void
text_draw_row(void *arg, size_t i, struct wlist_row *row)
{
	struct text_view	*tv = arg;

	wlist_cell(row, tv->text.data + tv->lines[i]);
}

static const struct wlist_ops text_wlist_ops = {
	text_nrows, text_draw_row, NULL, NULL, NULL, NULL
};

static void
text_draw(struct tui_view *v, int y, int x, int h, int w)
{
	struct text_view	*tv = v->data;

	wlist_draw(tv->wl, y, x, h, w);
}

static int
text_key(struct tui_view *v, int key)
{
	struct text_view	*tv = v->data;

	switch (key) {
	case ' ':
	case 'f':
		key = TUI_KEY_PGDN;
		break;
	case 'b':
		key = TUI_KEY_PGUP;
		break;
	case TUI_KEY_ENTER:
	case 'e':
		key = TUI_KEY_DOWN;
		break;
	case 'y':
		key = TUI_KEY_UP;
		break;
	case '<':
		key = TUI_KEY_HOME;
		break;
	case '>':
		key = TUI_KEY_END;
		break;
	}
	return wlist_key(tv->wl, key);
}

static void
text_free(struct tui_view *v)
{
	struct text_view	*tv = v->data;

	if (tv->arg_free != NULL)
		tv->arg_free(tv->arg);
	wlist_free(tv->wl);
	buf_release(&tv->text);
	free(tv->lines);
	free(tv);
}

static const struct tui_view_ops text_ops = {
	"text", text_bindings, text_draw, text_key, NULL, NULL, text_free
};

static void
text_new_line(struct text_view *tv, size_t *alloc)
{
	if (tv->nlines == *alloc) {
		*alloc = *alloc == 0 ? 64 : *alloc * 2;
		tv->lines = xreallocarray(tv->lines, *alloc, sizeof *tv->lines);
	}
	tv->lines[tv->nlines++] = tv->text.len;
}

/* Split into NUL-terminated lines, expanding tabs to every 8 columns. */
static void
text_split(struct text_view *tv, const char *s, size_t len)
{
	const char	*end = s + len, *nl, *p;
	size_t		 alloc = 0, col;

	while (s < end) {
		if ((nl = memchr(s, '\n', (size_t)(end - s))) == NULL)
			nl = end;
		text_new_line(tv, &alloc);
		col = 0;
		for (p = s; p < nl; p++) {
			if (*p == '\t') {
				do
					buf_addch(&tv->text, ' ');
				while (++col % 8 != 0);
			} else {
				buf_addch(&tv->text, *p);
				/* Count characters, not continuation bytes. */
				if (((unsigned char)*p & 0xc0) != 0x80)
					col++;
			}
		}
		buf_addch(&tv->text, '\0');
		s = nl < end ? nl + 1 : end;
	}
	if (tv->nlines == 0) {
		text_new_line(tv, &alloc);
		buf_addch(&tv->text, '\0');
	}
}

static struct text_view *
text_create(const char *text, size_t len)
{
	struct text_view	*tv;

	tv = xcalloc(1, sizeof *tv);
	buf_init(&tv->text);
	text_split(tv, text, len);
	tv->wl = wlist_create(&text_wlist_ops, tv, text_columns,
	    nitems(text_columns), WLIST_PAGER | WLIST_HSCROLL);
	return tv;
}

void
view_text_open(const char *title, const char *text, size_t len)
{
	tui_view_push(&text_ops, text_create(text, len), title);
}

static void
text_action(struct tui_view *v, int action)
{
	struct text_view	*tv = v->data;

	tv->action(v, tv->arg, action);
}

struct tui_view *
view_text_open_actions(const char *title, const char *text, size_t len,
    const struct tui_binding *bindings, view_text_action_cb action,
    void *arg, void (*arg_free)(void *))
{
	struct text_view	*tv;

	tv = text_create(text, len);
	tv->ops = text_ops;
	tv->ops.bindings = bindings;
	tv->ops.action = text_action;
	tv->action = action;
	tv->arg = arg;
	tv->arg_free = arg_free;
	return tui_view_push(&tv->ops, tv, title);
}

void
view_text_replace(struct tui_view *v, const char *text, size_t len)
{
	struct text_view	*tv = v->data;

	buf_reset(&tv->text);
	free(tv->lines);
	tv->lines = NULL;
	tv->nlines = 0;
	text_split(tv, text, len);
	wlist_set_cursor(tv->wl, 0);
	wlist_changed(tv->wl);
	tui_redraw();
}
