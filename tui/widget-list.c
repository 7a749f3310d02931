/*
 * widget-list.c -- the list/table widget (see widget-list.h).
 *
 * Only rows on the screen are drawn, through the model's draw_row
 * callback into one reused row buffer; the widget itself keeps a cursor,
 * the first visible row, the last search and (when the model does not)
 * a bitmap of tags, grown only when something is tagged.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tui.h"
#include "widget-list.h"

struct wlist_row {
	struct buf	 text;		/* the cells, each NUL-terminated */
	size_t		*off;		/* where each cell starts in text */
	int		*style;		/* each cell's style, -1: the row's */
	size_t		 n;
	size_t		 alloc;
	int		 row_style;
	int		 next_style;
};

struct wlist {
	const struct wlist_ops		*ops;
	void				*arg;
	const struct wlist_column	*cols;
	size_t				 ncols;
	int				 flags;

	size_t				 cursor;	/* pager: == top */
	size_t				 top;
	int				 height;	/* rows last drawn */
	int				 xoff;		/* horizontal scroll */
	char				*needle;
	size_t				 hit;		/* last match */
	int				 has_hit;

	struct wlist_row		 row;

	unsigned char			*tags;
	size_t				 tagbytes;
	size_t				 ntags;
};

/* ---- rows ---- */

static void
row_reset(struct wlist_row *r)
{
	buf_reset(&r->text);
	r->n = 0;
	r->row_style = TS_NORMAL;
	r->next_style = -1;
}

void
wlist_cell(struct wlist_row *r, const char *s)
{
	if (r->n == r->alloc) {
		r->alloc = r->alloc == 0 ? 8 : r->alloc * 2;
		r->off = xreallocarray(r->off, r->alloc, sizeof *r->off);
		r->style = xreallocarray(r->style, r->alloc, sizeof *r->style);
	}
	r->off[r->n] = r->text.len;
	r->style[r->n] = r->next_style;
	r->n++;
	r->next_style = -1;
	buf_addstr(&r->text, s != NULL ? s : "");
	buf_addch(&r->text, '\0');
}

void
wlist_cellf(struct wlist_row *r, const char *fmt, ...)
{
	va_list	ap;
	char	*s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	wlist_cell(r, s);
	free(s);
}

void
wlist_row_style(struct wlist_row *r, int style)
{
	r->row_style = style;
}

void
wlist_cell_style(struct wlist_row *r, int style)
{
	r->next_style = style;
}

static const char *
row_cell(struct wlist_row *r, size_t i)
{
	return i < r->n ? r->text.data + r->off[i] : "";
}

/* ---- create, free ---- */

struct wlist *
wlist_create(const struct wlist_ops *ops, void *arg,
    const struct wlist_column *cols, size_t ncols, int flags)
{
	struct wlist	*wl;

	wl = xcalloc(1, sizeof *wl);
	wl->ops = ops;
	wl->arg = arg;
	wl->cols = cols;
	wl->ncols = ncols;
	wl->flags = flags;
	wl->height = 1;
	buf_init(&wl->row.text);
	return wl;
}

void
wlist_free(struct wlist *wl)
{
	if (wl == NULL)
		return;
	buf_release(&wl->row.text);
	free(wl->row.off);
	free(wl->row.style);
	free(wl->needle);
	free(wl->tags);
	free(wl);
}

/* ---- tags ---- */

int
wlist_tagged(struct wlist *wl, size_t i)
{
	if (wl->ops->tagged != NULL)
		return wl->ops->tagged(wl->arg, i);
	return i / 8 < wl->tagbytes && (wl->tags[i / 8] & (1 << (i % 8)));
}

static void
wlist_set_tag(struct wlist *wl, size_t i, int on)
{
	size_t	need;

	if (wl->ops->set_tag != NULL) {
		wl->ops->set_tag(wl->arg, i, on);
		return;
	}
	if (on == wlist_tagged(wl, i))
		return;
	if (i / 8 >= wl->tagbytes) {
		need = i / 8 + 1 + 1024;
		wl->tags = xreallocarray(wl->tags, need, 1);
		memset(wl->tags + wl->tagbytes, 0, need - wl->tagbytes);
		wl->tagbytes = need;
	}
	if (on) {
		wl->tags[i / 8] |= 1 << (i % 8);
		wl->ntags++;
	} else {
		wl->tags[i / 8] &= ~(1 << (i % 8));
		wl->ntags--;
	}
}

size_t
wlist_ntagged(struct wlist *wl)
{
	size_t	i, n = 0, rows;

	if (wl->ops->tagged == NULL)
		return wl->ntags;
	rows = wl->ops->nrows(wl->arg);
	for (i = 0; i < rows; i++)
		n += wl->ops->tagged(wl->arg, i) != 0;
	return n;
}

void
wlist_clear_tags(struct wlist *wl)
{
	size_t	i, rows;

	if (wl->ops->set_tag != NULL) {
		rows = wl->ops->nrows(wl->arg);
		for (i = 0; i < rows; i++)
			wl->ops->set_tag(wl->arg, i, 0);
		return;
	}
	free(wl->tags);
	wl->tags = NULL;
	wl->tagbytes = wl->ntags = 0;
}

/* ---- cursor and scrolling ---- */

static size_t
wlist_last_top(struct wlist *wl, size_t nrows)
{
	return nrows > (size_t)wl->height ? nrows - (size_t)wl->height : 0;
}

/* Keep cursor and top inside the model and the cursor on the screen. */
static void
wlist_clamp(struct wlist *wl, size_t nrows)
{
	size_t	h = (size_t)wl->height;

	if (wl->flags & WLIST_PAGER) {
		if (wl->top > wlist_last_top(wl, nrows))
			wl->top = wlist_last_top(wl, nrows);
		wl->cursor = wl->top;
		return;
	}
	if (nrows == 0)
		wl->cursor = 0;
	else if (wl->cursor >= nrows)
		wl->cursor = nrows - 1;
	if (wl->cursor < wl->top)
		wl->top = wl->cursor;
	else if (wl->cursor >= wl->top + h)
		wl->top = wl->cursor - h + 1;
	if (wl->top > wlist_last_top(wl, nrows))
		wl->top = wlist_last_top(wl, nrows);
}

void
wlist_changed(struct wlist *wl)
{
	wlist_clamp(wl, wl->ops->nrows(wl->arg));
	tui_redraw();
}

size_t
wlist_cursor(struct wlist *wl)
{
	return wl->cursor;
}

void
wlist_set_cursor(struct wlist *wl, size_t i)
{
	if (wl->flags & WLIST_PAGER)
		wl->top = i;
	wl->cursor = i;
	wlist_changed(wl);
}

/* Move by delta rows (the view, for a pager), stopping at the ends. */
static void
wlist_move(struct wlist *wl, long delta)
{
	size_t	*p = (wl->flags & WLIST_PAGER) ? &wl->top : &wl->cursor;

	if (delta < 0 && (size_t)-delta > *p)
		*p = 0;
	else
		*p += (size_t)delta;	/* clamped below */
	if (delta > 0 && *p < (size_t)delta)
		*p = SIZE_MAX;		/* wrapped: means the end */
	wlist_changed(wl);
}

/* ---- search ---- */

static int
wlist_match(struct wlist *wl, size_t i, const char *needle)
{
	size_t	c;

	if (wl->ops->search_match != NULL)
		return wl->ops->search_match(wl->arg, i, needle);
	row_reset(&wl->row);
	wl->ops->draw_row(wl->arg, i, &wl->row);
	for (c = 0; c < wl->row.n; c++)
		if (strcasestr(row_cell(&wl->row, c), needle) != NULL)
			return 1;
	return 0;
}

/* Look at every row once, from the cursor (itself first if from0). */
static int
wlist_search_from(struct wlist *wl, const char *needle, int dir, int from0)
{
	size_t	n = wl->ops->nrows(wl->arg), k, i;

	if (n == 0 || *needle == '\0')
		return 0;
	for (k = from0 ? 0 : 1; k <= n; k++) {
		if (dir > 0)
			i = (wl->cursor + k) % n;
		else
			i = (wl->cursor + n - k % n) % n;
		if (wlist_match(wl, i, needle)) {
			wl->hit = i;
			wl->has_hit = 1;
			wlist_set_cursor(wl, i);
			return 1;
		}
	}
	return 0;
}

int
wlist_search(struct wlist *wl, const char *needle, int dir)
{
	return wlist_search_from(wl, needle, dir, 0);
}

static void
wlist_search_done(void *arg, const char *text)
{
	struct wlist	*wl = arg;

	if (text == NULL || *text == '\0')
		return;
	free(wl->needle);
	wl->needle = xstrdup(text);
	if (!wlist_search_from(wl, wl->needle, 1, 1))
		tui_error("not found: %s", wl->needle);
}

/* ---- keys ---- */

int
wlist_key(struct wlist *wl, int key)
{
	size_t	nrows = wl->ops->nrows(wl->arg);
	long	page = wl->height > 1 ? wl->height - 1 : 1;

	switch (key) {
	case 'j':
	case TUI_KEY_DOWN:
		wlist_move(wl, 1);
		return 1;
	case 'k':
	case TUI_KEY_UP:
		wlist_move(wl, -1);
		return 1;
	case TUI_KEY_PGDN:
	case TUI_CTRL('f'):
		wlist_move(wl, page);
		return 1;
	case TUI_KEY_PGUP:
	case TUI_CTRL('b'):
		wlist_move(wl, -page);
		return 1;
	case TUI_CTRL('d'):
		wlist_move(wl, (page + 1) / 2);
		return 1;
	case TUI_CTRL('u'):
		wlist_move(wl, -(page + 1) / 2);
		return 1;
	case 'g':
	case TUI_KEY_HOME:
		wl->top = wl->cursor = 0;
		wlist_changed(wl);
		return 1;
	case 'G':
	case TUI_KEY_END:
		wl->top = wl->cursor = SIZE_MAX;
		wlist_changed(wl);
		return 1;
	case '/':
		tui_prompt("/", "", wlist_search_done, wl);
		return 1;
	case 'n':
	case 'N':
		if (wl->needle == NULL)
			tui_error("no search yet (/ searches)");
		else if (!wlist_search(wl, wl->needle, key == 'n' ? 1 : -1))
			tui_error("not found: %s", wl->needle);
		return 1;
	case ' ':
	case 't':
		if (!(wl->flags & WLIST_TAGS) || nrows == 0)
			break;
		wlist_set_tag(wl, wl->cursor, !wlist_tagged(wl, wl->cursor));
		wlist_move(wl, 1);
		return 1;
	case TUI_KEY_LEFT:
	case TUI_KEY_RIGHT:
		if (!(wl->flags & WLIST_HSCROLL))
			break;
		if (key == TUI_KEY_RIGHT)
			wl->xoff += 8;
		else
			wl->xoff = wl->xoff > 8 ? wl->xoff - 8 : 0;
		tui_redraw();
		return 1;
	}
	if (wl->ops->key != NULL && nrows > 0)
		return wl->ops->key(wl->arg, wl->cursor, key);
	return 0;
}

/* ---- drawing ---- */

static int
col_flags(const struct wlist_column *c)
{
	if (c->flags & WLIST_COL_RIGHT)
		return TUI_RIGHT | TUI_ELLIPSIS;
	if (c->flags & WLIST_COL_PATH)
		return TUI_LEFT;
	return TUI_ELLIPSIS;
}

static void
wlist_draw_header(struct wlist *wl, int y, int x, int w)
{
	const struct wlist_column	*c;
	size_t				 i;
	int				 cx = x + 1, cw;

	tui_fill(y, x, w, TS_HEADER);
	for (i = 0; i < wl->ncols && cx < x + w; i++) {
		c = &wl->cols[i];
		cw = c->width == 0 || cx + c->width > x + w ? x + w - cx :
		    c->width;
		tui_putn(y, cx, cw, TS_HEADER, c->title, strlen(c->title),
		    col_flags(c) & ~TUI_LEFT, 0);
		cx += cw + 1;
	}
}

static void
wlist_draw_row(struct wlist *wl, size_t i, int y, int x, int w)
{
	const struct wlist_column	*c;
	const char			*s;
	size_t				 col;
	int				 base, style, cx = x + 1, cw, skip;
	int				 cursor, tagged;

	row_reset(&wl->row);
	wl->ops->draw_row(wl->arg, i, &wl->row);
	cursor = !(wl->flags & WLIST_PAGER) && i == wl->cursor;
	tagged = (wl->flags & WLIST_TAGS) && wlist_tagged(wl, i);
	base = cursor ? TS_CURSOR : tagged ? TS_TAGGED : wl->row.row_style;
	/* A pager has no cursor: show which line the search found. */
	if ((wl->flags & WLIST_PAGER) && wl->has_hit && i == wl->hit) {
		base = TS_MATCH;
		cursor = 1;
	}
	if (cursor || tagged)
		tui_fill(y, x, w, base);
	if (tagged)
		tui_put(y, x, 1, base, "*");
	for (col = 0; col < wl->ncols && cx < x + w; col++) {
		c = &wl->cols[col];
		cw = c->width == 0 || cx + c->width > x + w ? x + w - cx :
		    c->width;
		style = cursor || tagged || wl->row.style == NULL ||
		    col >= wl->row.n || wl->row.style[col] < 0 ? base :
		    wl->row.style[col];
		s = row_cell(&wl->row, col);
		skip = (wl->flags & WLIST_HSCROLL) && col + 1 == wl->ncols ?
		    wl->xoff : 0;
		tui_putn(y, cx, cw, style, s, strlen(s), col_flags(c), skip);
		cx += cw + 1;
	}
}

void
wlist_draw(struct wlist *wl, int y, int x, int h, int w)
{
	size_t	nrows = wl->ops->nrows(wl->arg), i;
	int	r;

	if (h <= 0 || w <= 0)
		return;
	if (wl->flags & WLIST_HEADER) {
		wlist_draw_header(wl, y, x, w);
		y++;
		h--;
	}
	wl->height = h > 0 ? h : 1;
	wlist_clamp(wl, nrows);
	for (r = 0; r < h; r++) {
		i = wl->top + (size_t)r;
		if (i >= nrows)
			break;
		wlist_draw_row(wl, i, y + r, x, w);
	}
}
