/*
 * shquote.c -- quoting of arguments for a remote POSIX shell.
 *
 * Single quotes are the only quoting a POSIX shell leaves entirely alone:
 * inside them no character is special, not $, `, \, newline nor !.  The
 * single quote itself cannot appear inside, so it is closed, written as
 * \' and reopened.  Plain words made only of characters no shell treats
 * specially are left bare to keep command lines readable in logs.
 */
#include <string.h>

#include "shquote.h"

static int
sh_is_plain(const char *s)
{
	const char	*p;

	if (*s == '\0')
		return (0);
	for (p = s; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9'))
			continue;
		if (strchr("-_./,:+@%=", *p) == NULL)
			return (0);
	}
	/* '=' in the first word would be an assignment; '~' is excluded. */
	return (strchr(s, '=') == NULL);
}

void
sh_quote(struct buf *out, const char *arg)
{
	const char	*p;

	if (sh_is_plain(arg)) {
		buf_addstr(out, arg);
		return;
	}
	buf_addch(out, '\'');
	for (p = arg; *p != '\0'; p++) {
		if (*p == '\'')
			buf_addstr(out, "'\\''");
		else
			buf_addch(out, *p);
	}
	buf_addch(out, '\'');
}

void
sh_quote_argv(struct buf *out, const char *const *argv)
{
	size_t	i;

	for (i = 0; argv[i] != NULL; i++) {
		if (i > 0)
			buf_addch(out, ' ');
		sh_quote(out, argv[i]);
	}
}

int
sh_unquote_argv(const char *line, struct strv *out, char **cause)
{
	struct buf	 word = BUF_INIT;
	const char	*p = line;
	int		 in_word;

	while (*p != '\0') {
		if (*p == ' ') {
			p++;
			continue;
		}
		buf_reset(&word);
		in_word = 1;
		while (in_word && *p != '\0' && *p != ' ') {
			if (*p == '\'') {
				p++;
				while (*p != '\0' && *p != '\'')
					buf_addch(&word, *p++);
				if (*p != '\'') {
					*cause = xstrdup("unterminated quote");
					buf_release(&word);
					return (-1);
				}
				p++;
			} else if (*p == '\\') {
				if (p[1] != '\'') {
					*cause = xstrdup("backslash outside "
					    "a quoted quote");
					buf_release(&word);
					return (-1);
				}
				buf_addch(&word, '\'');
				p += 2;
			} else
				buf_addch(&word, *p++);
		}
		strv_push(out, word.data);
	}
	buf_release(&word);
	return (0);
}
