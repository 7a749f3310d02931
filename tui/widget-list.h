/*
 * widget-list.h -- the one list/table widget of the console.
 *
 * The widget owns the presentation (columns, cursor, scrolling, search,
 * tags); the view owns the rows.  Rows are asked for on demand, only those
 * on the screen (and those a search looks at), so a view of 100,000 queue
 * files costs what one screen costs:
 *
 *	nrows(arg)			how many rows there are now
 *	draw_row(arg, i, row)		fill row i: wlist_cell() once per column
 *	key(arg, i, key)		optional: a key on row i; 1 if handled
 *	search_match(arg, i, text)	optional: does row i match?  Without
 *					it, cells are searched, ignoring case
 *	tagged/set_tag(arg, i, on)	optional: keep tags in the model (by
 *					queue id...), so they survive a rescan
 *
 * Keys: j k Up Down, PgUp PgDn ^B ^F, ^U ^D (half pages), Home End g G,
 * / (search) n N, Space and t (tag, when tags are on), Left Right
 * (horizontal scroll, when on).
 */
#ifndef SMADM_WIDGET_LIST_H
#define SMADM_WIDGET_LIST_H

#include <stddef.h>

#define WLIST_COL_RIGHT	0x01	/* align right (numbers) */
#define WLIST_COL_PATH	0x02	/* too long: cut on the left, keep the end */

struct wlist_column {
	const char	*title;
	int		 width;		/* cells; 0: the rest (last column) */
	int		 flags;
};

struct wlist_row;
/* Add the next cell (columns in order); the text is copied. */
void	wlist_cell(struct wlist_row *, const char *);
void	wlist_cellf(struct wlist_row *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* Style (enum tui_style) of the whole row, or of the next cell. */
void	wlist_row_style(struct wlist_row *, int);
void	wlist_cell_style(struct wlist_row *, int);

struct wlist_ops {
	size_t	(*nrows)(void *);
	void	(*draw_row)(void *, size_t, struct wlist_row *);
	int	(*key)(void *, size_t, int);
	int	(*search_match)(void *, size_t, const char *);
	int	(*tagged)(void *, size_t);
	void	(*set_tag)(void *, size_t, int);
};

#define WLIST_HEADER	0x01	/* show column titles */
#define WLIST_TAGS	0x02	/* rows can be tagged */
#define WLIST_HSCROLL	0x04	/* Left/Right scroll the last column */
#define WLIST_PAGER	0x08	/* no cursor: keys move the view (a pager) */

struct wlist;

struct wlist	*wlist_create(const struct wlist_ops *, void *,
		    const struct wlist_column *, size_t, int);
void		 wlist_free(struct wlist *);
/* Draw in the rectangle y, x, h, w. */
void		 wlist_draw(struct wlist *, int, int, int, int);
/* Handle a key; 1 if the widget used it. */
int		 wlist_key(struct wlist *, int);
/* The model changed (rows added or removed): keep cursor and view valid. */
void		 wlist_changed(struct wlist *);

size_t		 wlist_cursor(struct wlist *);
void		 wlist_set_cursor(struct wlist *, size_t);
/* Search from the cursor; dir 1 forward, -1 backward; wraps.  1 if found. */
int		 wlist_search(struct wlist *, const char *, int);

/* Tags (when the model keeps none, the widget does, by row number). */
int		 wlist_tagged(struct wlist *, size_t);
size_t		 wlist_ntagged(struct wlist *);
void		 wlist_clear_tags(struct wlist *);

#endif
