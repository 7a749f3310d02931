/*
 * draw.c -- putting text on the screen safely: UTF-8 decoding, unprintable
 * bytes made visible (backend/safe-text.h), truncation with an ellipsis, and styles mapped to
 * colours or (NO_COLOR) to plain attributes.
 *
 * Text is first turned into glyphs (a wide character and its width) in a
 * buffer kept between calls, so drawing a row allocates nothing once the
 * buffer has grown to the widest line seen.
 */
#include <curses.h>
#include <langinfo.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "../backend/safe-text.h"
#include "tui.h"

struct glyph {
	wchar_t	wc;
	int	width;		/* 0: combines with the glyph before */
};

static struct glyph	*glyphs;
static size_t		 nglyphs, aglyphs;
static wchar_t		*wline;
static size_t		 awline;
static struct buf	 safe = BUF_INIT;	/* escaped text being drawn */

static attr_t	style_attr[TS_NSTYLES];
static short	style_pair[TS_NSTYLES];

static wchar_t	ellipsis[4];
static int	ellipsis_width;

/* Colours when allowed: foreground, background, extra attributes. */
static const struct {
	short	fg, bg;
	attr_t	attr;
	attr_t	plain;		/* the attributes used without colour */
} style_def[TS_NSTYLES] = {
	[TS_NORMAL] =	{ -1, -1, 0, 0 },
	[TS_TITLE] =	{ COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
	[TS_HEADER] =	{ COLOR_BLACK, COLOR_GREEN, 0, A_BOLD | A_UNDERLINE },
	[TS_LABEL] =	{ COLOR_CYAN, -1, 0, A_BOLD },
	[TS_CURSOR] =	{ COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
	[TS_TAGGED] =	{ COLOR_YELLOW, -1, A_BOLD, A_BOLD },
	[TS_GOOD] =	{ COLOR_GREEN, -1, A_BOLD, A_BOLD },
	[TS_WARN] =	{ COLOR_YELLOW, -1, A_BOLD, A_BOLD },
	[TS_BAD] =	{ COLOR_RED, -1, A_BOLD, A_BOLD | A_UNDERLINE },
	[TS_DIM] =	{ -1, -1, A_DIM, A_DIM },
	[TS_KEY] =	{ -1, -1, A_BOLD, A_BOLD },
	[TS_KEYLABEL] =	{ COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
	[TS_MESSAGE] =	{ -1, -1, 0, 0 },
	[TS_ERROR] =	{ COLOR_WHITE, COLOR_RED, A_BOLD, A_BOLD | A_REVERSE },
	[TS_DIALOG] =	{ COLOR_BLACK, COLOR_WHITE, 0, A_REVERSE },
	[TS_MATCH] =	{ COLOR_BLACK, COLOR_YELLOW, 0, A_UNDERLINE | A_BOLD },
};

/*
 * Set up the styles.  With colour, each style that has colours gets its own
 * pair; without, only bold, reverse, underline and dim are used, so the
 * terminal never receives a colour sequence.
 */
void
tui_styles_init(int colour)
{
	const char	*cs;
	short		 pair = 1;
	int		 i;

	if (colour) {
		start_color();
		if (use_default_colors() == ERR)
			colour = COLORS >= 8;
	}
	for (i = 0; i < TS_NSTYLES; i++) {
		style_pair[i] = 0;
		if (!colour) {
			style_attr[i] = style_def[i].plain;
			continue;
		}
		style_attr[i] = style_def[i].attr;
		if (style_def[i].fg == -1 && style_def[i].bg == -1)
			continue;
		init_pair(pair, style_def[i].fg, style_def[i].bg);
		style_pair[i] = pair++;
	}

	cs = nl_langinfo(CODESET);
	if (strcmp(cs, "UTF-8") == 0 && wcwidth(0x2026) == 1) {
		ellipsis[0] = 0x2026;
		ellipsis[1] = L'\0';
		ellipsis_width = 1;
	} else {
		wcscpy(ellipsis, L"...");
		ellipsis_width = 3;
	}
}

void
tui_styles_free(void)
{
	free(glyphs);
	glyphs = NULL;
	nglyphs = aglyphs = 0;
	free(wline);
	wline = NULL;
	awline = 0;
	buf_release(&safe);
}

void
tui_set_style(int style)
{
	if (style < 0 || style >= TS_NSTYLES)
		style = TS_NORMAL;
	attr_set(style_attr[style], style_pair[style], NULL);
}

static void
glyph_add(wchar_t wc, int width)
{
	if (nglyphs == aglyphs) {
		aglyphs = aglyphs == 0 ? 256 : aglyphs * 2;
		glyphs = xreallocarray(glyphs, aglyphs, sizeof *glyphs);
	}
	glyphs[nglyphs].wc = wc;
	glyphs[nglyphs].width = width;
	nglyphs++;
}

static void
glyph_hex(unsigned char c)
{
	static const char	hex[] = "0123456789abcdef";

	glyph_add(L'\\', 1);
	glyph_add(L'x', 1);
	glyph_add((wchar_t)hex[c >> 4], 1);
	glyph_add((wchar_t)hex[c & 0xf], 1);
}

/*
 * Decode s into glyphs; nothing that could move the cursor survives.
 * Control characters, C1 and bytes that are not UTF-8 are first written
 * as the CLI writes them (backend/safe-text.h: \x1b, \u009b, \xff), so
 * the console and the command line show the same text.
 */
static void
glyphs_make(const char *s, size_t len)
{
	mbstate_t	ps;
	wchar_t		wc;
	size_t		n, i;
	int		w;

	nglyphs = 0;
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f)
			break;
	if (i < len) {
		buf_reset(&safe);
		safe_text_add(&safe, s, len, SAFE_TEXT_TAB);
		s = safe.data;
		len = safe.len;
	}
	memset(&ps, 0, sizeof ps);
	while (len > 0) {
		n = mbrtowc(&wc, s, len, &ps);
		if (n == (size_t)-1 || n == (size_t)-2) {
			glyph_hex((unsigned char)*s);
			memset(&ps, 0, sizeof ps);
			s++;
			len--;
			continue;
		}
		if (n == 0) {		/* an embedded NUL */
			n = 1;
			wc = L'\0';
		}
		if (wc == L'\t')
			glyph_add(L' ', 1);
		else if (wc < 0x20 || wc == 0x7f) {
			glyph_add(L'^', 1);
			glyph_add(wc ^ 0x40, 1);
		} else if ((w = wcwidth(wc)) < 0 || (w == 0 && nglyphs == 0)) {
			for (i = 0; i < n; i++)
				glyph_hex((unsigned char)s[i]);
		} else
			glyph_add(wc, w);
		s += n;
		len -= n;
	}
}

int
tui_width(const char *s, size_t len)
{
	size_t	i;
	int	w = 0;

	glyphs_make(s, len);
	for (i = 0; i < nglyphs; i++)
		w += glyphs[i].width;
	return w;
}

static void
wline_reserve(size_t n)
{
	if (n + 1 > awline) {
		awline = n + 64;
		wline = xreallocarray(wline, awline, sizeof *wline);
	}
}

/*
 * Draw len bytes of s at y,x in at most w cells, skipping the first skip
 * cells (horizontal scrolling).  See tui.h for the flags.
 */
int
tui_putn(int y, int x, int w, int style, const char *s, size_t len,
    int flags, int skip)
{
	size_t	first = 0, last, i, n = 0;
	int	total = 0, used, ell = 0, skipped = 0;

	if (w <= 0)
		return 0;
	glyphs_make(s, len);
	while (first < nglyphs && skipped < skip) {
		skipped += glyphs[first++].width;
		while (first < nglyphs && glyphs[first].width == 0)
			first++;
	}
	for (i = first; i < nglyphs; i++)
		total += glyphs[i].width;
	last = nglyphs;

	if (total > w) {
		if ((flags & (TUI_ELLIPSIS | TUI_LEFT)) && ellipsis_width < w)
			ell = ellipsis_width;
		if (flags & TUI_LEFT) {
			/* Keep the tail: drop glyphs from the front. */
			while (total > w - ell && first < last) {
				total -= glyphs[first++].width;
				while (first < last && glyphs[first].width == 0)
					first++;
			}
		} else {
			while (total > w - ell && last > first) {
				last--;
				total -= glyphs[last].width;
			}
		}
	}

	used = total + ell;
	if ((flags & TUI_RIGHT) && used < w)
		x += w - used;
	wline_reserve((last - first) + 4);
	if (ell && (flags & TUI_LEFT)) {
		wcscpy(wline, ellipsis);
		n = wcslen(ellipsis);
	}
	for (i = first; i < last; i++)
		wline[n++] = glyphs[i].wc;
	if (ell && !(flags & TUI_LEFT)) {
		wcscpy(wline + n, ellipsis);
		n += wcslen(ellipsis);
	}
	wline[n] = L'\0';

	tui_set_style(style);
	if (n > 0)
		mvaddnwstr(y, x, wline, (int)n);
	if ((flags & TUI_PAD) && used < w) {
		if (flags & TUI_RIGHT)
			tui_fill(y, x - (w - used), w - used, style);
		else
			tui_fill(y, x + used, w - used, style);
		used = w;
	}
	tui_set_style(TS_NORMAL);
	return used;
}

int
tui_put(int y, int x, int w, int style, const char *s)
{
	return tui_putn(y, x, w, style, s, strlen(s), TUI_ELLIPSIS, 0);
}

int
tui_putf(int y, int x, int w, int style, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;
	int	 used;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	used = tui_put(y, x, w, style, s);
	free(s);
	return used;
}

void
tui_fill(int y, int x, int w, int style)
{
	cchar_t	c;

	if (w <= 0)
		return;
	if (style < 0 || style >= TS_NSTYLES)
		style = TS_NORMAL;
	setcchar(&c, L" ", style_attr[style], style_pair[style], NULL);
	mvhline_set(y, x, &c, w);
}

int
tui_lines(void)
{
	return LINES;
}

int
tui_cols(void)
{
	return COLS;
}
