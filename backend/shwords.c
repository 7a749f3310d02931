/*
 * shwords.c -- shell-like splitting of a typed line into words (see
 * shwords.h).  A small state machine over the bytes: outside a word,
 * in a plain part, in single quotes, in double quotes.
 */
#include <string.h>

#include "shwords.h"

static int
shwords_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

int
shwords_split(const char *line, struct strv *out, char **cause)
{
	struct strv	 words = STRV_INIT;
	struct buf	 word = BUF_INIT;
	const char	*p = line, *open;
	size_t		 i;
	int		 in_word = 0;

	for (;;) {
		if (*p == '\0' || shwords_blank(*p)) {
			if (in_word)
				strv_push(&words, word.data);
			buf_reset(&word);
			in_word = 0;
			if (*p == '\0')
				break;
			p++;
			continue;
		}
		in_word = 1;
		if (*p == '\\') {
			if (p[1] == '\0') {
				*cause = xasprintf("a backslash ends the line "
				    "(column %zu)", (size_t)(p - line) + 1);
				goto fail;
			}
			if (p[1] != '\n')
				buf_addch(&word, p[1]);
			p += 2;
		} else if (*p == '\'') {
			open = p++;
			while (*p != '\0' && *p != '\'')
				buf_addch(&word, *p++);
			if (*p == '\0') {
				*cause = xasprintf("unterminated ' quote at "
				    "column %zu", (size_t)(open - line) + 1);
				goto fail;
			}
			p++;
		} else if (*p == '"') {
			open = p++;
			while (*p != '\0' && *p != '"') {
				if (*p == '\\' && p[1] != '\0' &&
				    strchr("\"\\$`\n", p[1]) != NULL) {
					if (p[1] != '\n')
						buf_addch(&word, p[1]);
					p += 2;
				} else
					buf_addch(&word, *p++);
			}
			if (*p == '\0') {
				*cause = xasprintf("unterminated \" quote at "
				    "column %zu", (size_t)(open - line) + 1);
				goto fail;
			}
			p++;
		} else
			buf_addch(&word, *p++);
	}
	for (i = 0; i < words.n; i++)
		strv_push(out, words.v[i]);
	strv_release(&words);
	buf_release(&word);
	return 0;
fail:
	strv_release(&words);
	buf_release(&word);
	return -1;
}
