/*
 * prompt.c -- line input in the status line, and the yes/no dialog.
 *
 * The prompt does not stop the loop: it takes the keys while it is active
 * and hands the text to a callback (tmux's status prompt works the same
 * way), so timers and log tails keep running while someone types.  The
 * yes/no dialog is modal because a command's exec waits for its answer.
 * Text is kept as wide characters, so editing moves by character, not
 * byte, and the result is handed back as UTF-8.
 */
#include <curses.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "tui.h"

static struct {
	int		 active;
	char		*prompt;
	wchar_t		*text;
	size_t		 len;
	size_t		 alloc;
	size_t		 pos;		/* cursor, in characters */
	tui_prompt_cb	 cb;
	void		*arg;
} pr;

/* Append the UTF-8 form of text[from, to) to b. */
static void
prompt_utf8(struct buf *b, size_t from, size_t to)
{
	char		 mb[MB_LEN_MAX];
	mbstate_t	 ps;
	size_t		 i, n;

	memset(&ps, 0, sizeof ps);
	for (i = from; i < to; i++) {
		if ((n = wcrtomb(mb, pr.text[i], &ps)) == (size_t)-1) {
			buf_addch(b, '?');
			memset(&ps, 0, sizeof ps);
		} else
			buf_add(b, mb, n);
	}
}

static void
prompt_insert(wchar_t wc)
{
	if (pr.len + 1 >= pr.alloc) {
		pr.alloc = pr.alloc == 0 ? 64 : pr.alloc * 2;
		pr.text = xreallocarray(pr.text, pr.alloc, sizeof *pr.text);
	}
	memmove(pr.text + pr.pos + 1, pr.text + pr.pos,
	    (pr.len - pr.pos) * sizeof *pr.text);
	pr.text[pr.pos++] = wc;
	pr.len++;
}

static void
prompt_delete(size_t from, size_t to)
{
	/* An empty prompt has no text yet: memmove(NULL, ...) is undefined. */
	if (to <= from)
		return;
	memmove(pr.text + from, pr.text + to, (pr.len - to) * sizeof *pr.text);
	pr.len -= to - from;
	if (pr.pos > to)
		pr.pos -= to - from;
	else if (pr.pos > from)
		pr.pos = from;
}

static void
prompt_reset(void)
{
	free(pr.prompt);
	free(pr.text);
	memset(&pr, 0, sizeof pr);
}

/* Leave the prompt, then tell its owner (who may start another). */
static void
prompt_finish(int accept)
{
	struct buf	 b = BUF_INIT;
	tui_prompt_cb	 cb = pr.cb;
	void		*arg = pr.arg;

	if (accept)
		prompt_utf8(&b, 0, pr.len);
	prompt_reset();
	tui_redraw();
	if (cb != NULL)
		cb(arg, accept ? b.data : NULL);
	buf_release(&b);
}

void
tui_prompt(const char *prompt, const char *init, tui_prompt_cb cb,
    void *arg)
{
	mbstate_t	ps;
	wchar_t		wc;
	size_t		n, len = strlen(init);

	if (pr.active)
		prompt_finish(0);
	pr.active = 1;
	pr.prompt = xstrdup(prompt);
	pr.cb = cb;
	pr.arg = arg;
	memset(&ps, 0, sizeof ps);
	while (len > 0) {
		n = mbrtowc(&wc, init, len, &ps);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			memset(&ps, 0, sizeof ps);
			n = 1;		/* skip what cannot be edited */
		} else if (iswprint((wint_t)wc))
			prompt_insert(wc);
		init += n;
		len -= n;
	}
	tui_redraw();
}

int
tui_prompt_active(void)
{
	return pr.active;
}

void
tui_prompt_cancel(void)
{
	if (pr.active)
		prompt_reset();	/* teardown: no callbacks any more */
}

int
tui_prompt_key(int key)
{
	size_t	p;

	if (!pr.active)
		return 0;
	switch (key) {
	case TUI_KEY_ENTER:
		prompt_finish(1);
		break;
	case TUI_KEY_ESC:
	case TUI_CTRL('g'):
		prompt_finish(0);
		break;
	case TUI_KEY_BACKSPACE:
	case TUI_CTRL('h'):
		if (pr.len == 0)
			prompt_finish(0);
		else if (pr.pos > 0)
			prompt_delete(pr.pos - 1, pr.pos);
		break;
	case TUI_KEY_DELETE:
	case TUI_CTRL('d'):
		if (pr.pos < pr.len)
			prompt_delete(pr.pos, pr.pos + 1);
		break;
	case TUI_KEY_LEFT:
	case TUI_CTRL('b'):
		if (pr.pos > 0)
			pr.pos--;
		break;
	case TUI_KEY_RIGHT:
	case TUI_CTRL('f'):
		if (pr.pos < pr.len)
			pr.pos++;
		break;
	case TUI_KEY_HOME:
	case TUI_CTRL('a'):
		pr.pos = 0;
		break;
	case TUI_KEY_END:
	case TUI_CTRL('e'):
		pr.pos = pr.len;
		break;
	case TUI_CTRL('u'):
		prompt_delete(0, pr.pos);
		break;
	case TUI_CTRL('k'):
		prompt_delete(pr.pos, pr.len);
		break;
	case TUI_CTRL('w'):
		p = pr.pos;
		while (p > 0 && iswspace((wint_t)pr.text[p - 1]))
			p--;
		while (p > 0 && !iswspace((wint_t)pr.text[p - 1]))
			p--;
		prompt_delete(p, pr.pos);
		break;
	default:
		if (key >= 0x20 && key < 0x110000 && iswprint((wint_t)key))
			prompt_insert((wchar_t)key);
		break;		/* other keys are swallowed */
	}
	tui_redraw();
	return 1;
}

int
tui_prompt_draw(int y, int w)
{
	struct buf	b = BUF_INIT;
	size_t		first = 0, i;
	int		x, avail, cw, wd;

	if (!pr.active)
		return 0;
	x = tui_put(y, 0, w, TS_LABEL, pr.prompt);
	avail = w - x - 1;
	if (avail < 1)
		return 1;
	/* Scroll so that the cursor stays visible. */
	for (;;) {
		cw = 0;
		for (i = first; i < pr.pos; i++)
			if ((wd = wcwidth(pr.text[i])) > 0)
				cw += wd;
		if (cw <= avail || first >= pr.pos)
			break;
		first++;
	}
	prompt_utf8(&b, first, pr.len);
	tui_putn(y, x, avail, TS_NORMAL, b.data, b.len, 0, 0);
	buf_release(&b);
	move(y, x + cw);
	curs_set(1);
	return 1;
}

/* ---- the yes/no dialog ---- */

/* Break text into lines of at most w cells, at blanks where possible. */
static void
confirm_wrap(const char *text, int w, struct strv *lines)
{
	struct strv	 words = STRV_INIT;
	struct buf	 line = BUF_INIT;
	size_t		 i;

	strv_split_ws(&words, text);
	for (i = 0; i < words.n; i++) {
		if (line.len > 0 && tui_width(line.data, line.len) + 1 +
		    tui_width(words.v[i], strlen(words.v[i])) > w) {
			strv_push(lines, line.data);
			buf_reset(&line);
		}
		if (line.len > 0)
			buf_addch(&line, ' ');
		buf_addstr(&line, words.v[i]);
	}
	if (line.len > 0 || lines->n == 0)
		strv_push(lines, line.data);
	buf_release(&line);
	strv_release(&words);
}

static void
confirm_draw(const char *question)
{
	struct strv	 lines = STRV_INIT;
	const char	*answer = "[y/N]";
	int		 bw, bh, by, bx, inner, i, lw, widest = 0;

	bw = COLS - 4 < 60 ? COLS - 4 : 60;
	if (bw < 12)
		bw = COLS;
	inner = bw - 4;
	confirm_wrap(question, inner, &lines);
	for (i = 0; i < (int)lines.n; i++)
		if ((lw = tui_width(lines.v[i], strlen(lines.v[i]))) > widest)
			widest = lw;
	if (widest < 20)
		widest = 20;
	if (widest + 4 < bw)
		bw = widest + 4;
	inner = bw - 4;
	bh = (int)lines.n + 4;
	if (bh > LINES)
		bh = LINES;
	by = (LINES - bh) / 2;
	bx = (COLS - bw) / 2;

	for (i = 0; i < bh; i++)
		tui_fill(by + i, bx, bw, TS_DIALOG);
	tui_set_style(TS_DIALOG);
	mvadd_wch(by, bx, WACS_ULCORNER);
	mvhline_set(by, bx + 1, WACS_HLINE, bw - 2);
	mvadd_wch(by, bx + bw - 1, WACS_URCORNER);
	mvvline_set(by + 1, bx, WACS_VLINE, bh - 2);
	mvvline_set(by + 1, bx + bw - 1, WACS_VLINE, bh - 2);
	mvadd_wch(by + bh - 1, bx, WACS_LLCORNER);
	mvhline_set(by + bh - 1, bx + 1, WACS_HLINE, bw - 2);
	mvadd_wch(by + bh - 1, bx + bw - 1, WACS_LRCORNER);
	tui_set_style(TS_NORMAL);
	for (i = 0; i < (int)lines.n && 1 + i < bh - 3; i++)
		tui_put(by + 1 + i, bx + 2, inner, TS_DIALOG, lines.v[i]);
	tui_putn(by + bh - 2, bx + 2, inner, TS_DIALOG, answer, strlen(answer),
	    TUI_RIGHT, 0);
	strv_release(&lines);
}

int
tui_confirm(const char *question)
{
	int	key, answer = -1;

	while (answer == -1) {
		tui_draw_frame();
		confirm_draw(question);
		tui_update();
		switch (key = tui_wait_key()) {
		case 'y':
		case 'Y':
			answer = 1;
			break;
		case -1:		/* a signal: the console is stopping */
		case 'n':
		case 'N':
		case 'q':
		case TUI_KEY_ESC:
		case TUI_KEY_ENTER:
		case TUI_CTRL('g'):
			answer = 0;
			break;
		default:
			break;		/* resize or a stray key: ask again */
		}
	}
	tui_redraw();
	return answer;
}
