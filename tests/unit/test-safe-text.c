/*
 * test-safe-text.c -- outside bytes escaped for the terminal
 * (backend/safe-text.h), and the CLI's output stream built on it.
 */
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "../../backend/safe-text.h"
#include "../../cli/cmd.h"

/* s (len bytes) escaped with flags, as a NUL-terminated heap string. */
static char *
esc(const char *s, size_t len, int flags)
{
	struct buf	b = BUF_INIT;

	safe_text_add(&b, s, len, flags);
	return buf_detach(&b);
}

#define ESC_IS(in, flags, want) do {					\
	char *got_ = esc((in), sizeof(in) - 1, (flags));		\
	CHECK_STR(got_, (want));					\
	free(got_);							\
} while (0)

TEST(safe_text_c0_del)
{
	ESC_IS("a\x01" "b\x1b" "c\x7f", 0, "a\\x01b\\x1bc\\x7f");
	ESC_IS("\x00" "x", 0, "\\x00x");
	ESC_IS("bell\x07" "bs\x08", 0, "bell\\x07bs\\x08");
	ESC_IS("a\rb", SAFE_TEXT_LINES, "a\\rb");
	ESC_IS("a\nb\tc", 0, "a\\nb\\tc");
	ESC_IS("a\nb\tc", SAFE_TEXT_LF, "a\nb\\tc");
	ESC_IS("a\nb\tc", SAFE_TEXT_TAB, "a\\nb\tc");
	ESC_IS("a\nb\tc", SAFE_TEXT_LINES, "a\nb\tc");
}

TEST(safe_text_terminal_sequences)
{
	/* OSC 52: write "hello" to the clipboard, BEL- and ST-terminated. */
	ESC_IS("x\x1b]52;c;aGVsbG8=\x07y", 0, "x\\x1b]52;c;aGVsbG8=\\x07y");
	ESC_IS("\x1b]52;c;aGVsbG8=\x1b\\", 0, "\\x1b]52;c;aGVsbG8=\\x1b\\");
	/* clear the screen, home, set the title */
	ESC_IS("\x1b[2J\x1b[H", 0, "\\x1b[2J\\x1b[H");
	ESC_IS("\x1b]0;pwned\x07", 0, "\\x1b]0;pwned\\x07");
	/* 8-bit CSI and OSC as raw bytes (not valid UTF-8) */
	ESC_IS("\x9b" "2J", 0, "\\x9b2J");
	ESC_IS("\x9d" "0;t\x9c", 0, "\\x9d0;t\\x9c");
	/* 8-bit CSI and OSC encoded as UTF-8 (U+009B, U+009D, U+0085) */
	ESC_IS("\xc2\x9b" "2J", 0, "\\u009b2J");
	ESC_IS("\xc2\x9d" "0;t\xc2\x9c", 0, "\\u009d0;t\\u009c");
	ESC_IS("\xc2\x80\xc2\x85\xc2\x9f", 0, "\\u0080\\u0085\\u009f");
	/* bidi override that reverses what is read */
	ESC_IS("a\xe2\x80\xae" "b\xe2\x81\xa6", 0, "a\\u202eb\\u2066");
}

TEST(safe_text_utf8_kept)
{
	ESC_IS("M\xc3\xbcller", 0, "M\xc3\xbcller");
	ESC_IS("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 0,
	    "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e");
	ESC_IS("\xc2\xa0nbsp \xc2\xa9", 0, "\xc2\xa0nbsp \xc2\xa9");
	ESC_IS("\xf0\x9f\x93\xa7 mail", 0, "\xf0\x9f\x93\xa7 mail");
	ESC_IS("\xf4\x8f\xbf\xbf", 0, "\xf4\x8f\xbf\xbf");
	ESC_IS("back\\slash \\x1b", 0, "back\\slash \\x1b");
}

TEST(safe_text_invalid_utf8)
{
	ESC_IS("caf\xe9!", 0, "caf\\xe9!");		/* Latin-1 */
	ESC_IS("\xc0\xaf", 0, "\\xc0\\xaf");		/* overlong '/' */
	ESC_IS("\xe0\x80\xaf", 0, "\\xe0\\x80\\xaf");	/* overlong */
	ESC_IS("\xed\xa0\x80", 0, "\\xed\\xa0\\x80");	/* surrogate */
	ESC_IS("\xf4\x90\x80\x80", 0, "\\xf4\\x90\\x80\\x80"); /* > 10FFFF */
	ESC_IS("\xf8\x88\x80\x80\x80", 0,
	    "\\xf8\\x88\\x80\\x80\\x80");
	ESC_IS("\xff\xfe", 0, "\\xff\\xfe");
	ESC_IS("\x80" "a", 0, "\\x80a");		/* lone continuation */
	ESC_IS("\xc3" "a", 0, "\\xc3a");		/* lead without tail */
	/* A lead byte eating an escape: the ESC is still escaped. */
	ESC_IS("\xe2\x1b[2J", 0, "\\xe2\\x1b[2J");
}

TEST(safe_text_truncated_end)
{
	ESC_IS("ok\xc3", 0, "ok\\xc3");
	ESC_IS("ok\xe6\x97", 0, "ok\\xe6\\x97");
	ESC_IS("ok\xf0\x9f\x93", 0, "ok\\xf0\\x9f\\x93");
	ESC_IS("ok\xc2", 0, "ok\\xc2");
}

TEST(safe_text_parts)
{
	struct buf	 b = BUF_INIT;
	const char	*s = "a\xe6\x97\xa5" "b\xc2\x9b" "c\x1b" "d";
	size_t		 len = strlen(s), cut, used;
	char		*whole;

	whole = esc(s, len, 0);
	/* Cut anywhere, with the tail carried over, the result is the same. */
	for (cut = 0; cut <= len; cut++) {
		buf_reset(&b);
		used = safe_text_add_part(&b, s, cut, 0);
		CHECK(used <= cut && cut - used <= 3);
		safe_text_add(&b, s + used, len - used, 0);
		CHECK_STR(b.data, whole);
	}
	/* A cut sequence is held back, an invalid one is not. */
	buf_reset(&b);
	CHECK(safe_text_add_part(&b, "x\xe6\x97", 3, 0) == 1);
	CHECK(safe_text_add_part(&b, "x\xe6" "A", 3, 0) == 3);
	CHECK_STR(b.data, "xx\\xe6A");
	free(whole);
	buf_release(&b);
}

TEST(safe_text_idempotent_and_null)
{
	char	*once, *twice;

	once = safe_text("\x1b[31mred\xc2\x9b\xff\n", SAFE_TEXT_LF);
	twice = safe_text(once, SAFE_TEXT_LF);
	CHECK_STR(once, "\\x1b[31mred\\u009b\\xff\n");
	CHECK_STR(twice, once);
	free(once);
	free(twice);
	once = safe_text(NULL, 0);
	CHECK_STR(once, "");
	free(once);
}

TEST(safe_text_utf8_decode)
{
	unsigned int	cp = 0;

	CHECK(utf8_decode("A", 1, &cp) == 1 && cp == 'A');
	CHECK(utf8_decode("\xc3\xbc", 2, &cp) == 2 && cp == 0xfc);
	CHECK(utf8_decode("\xc2\x9b", 2, &cp) == 2 && cp == 0x9b);
	CHECK(utf8_decode("\xf0\x9f\x93\xa7", 4, &cp) == 4 && cp == 0x1f4e7);
	CHECK(utf8_decode("\xc3", 1, &cp) == -1);
	CHECK(utf8_decode("\xf0\x9f", 2, &cp) == -1);
	CHECK(utf8_decode("\xf0\x8f", 2, &cp) == 0);
	CHECK(utf8_decode("\x9b", 1, &cp) == 0);
	CHECK(utf8_decode("", 0, &cp) == 0);
}

/* The CLI's command output stream: what a command prints is escaped. */
TEST(safe_text_cli_stream)
{
	const char	*want = "from <ev\\x1b]52;c;aGk=\\x07il>\tsubject "
			    "M\xc3\xbcller\ncut \xe6\x97\xa5 end \\u009b2J\n";
	char	*mem = NULL;
	size_t	 len = 0;
	FILE	*under, *f;
	int	 i;

	under = open_memstream(&mem, &len);
	CHECK(under != NULL);
	f = cmd_safe_stream(under);
	fputs("from <ev\x1b]52;c;aGk=\x07il>\tsubject M\xc3\xbcller\n", f);
	/* A UTF-8 sequence split across two writes and a flush. */
	fputs("cut \xe6", f);
	fflush(f);
	fputs("\x97\xa5 end \xc2", f);
	fflush(f);
	fputs("\x9b" "2J\n", f);
	for (i = 0; i < 5000; i++)
		fputs("\x1b[2J", f);
	fputs("\xf0", f);
	CHECK(fclose(f) == 0);
	fclose(under);
	CHECK(strncmp(mem, want, strlen(want)) == 0);
	CHECK(memchr(mem, 0x1b, len) == NULL);
	CHECK(len >= 4 && strcmp(mem + len - 4, "\\xf0") == 0);
	free(mem);
}

/* --json strings: control characters as \uXXXX, always valid UTF-8. */
TEST(safe_text_json_string)
{
	struct buf	b = BUF_INIT;

	json_buf_string(&b, "\x1b]52;c;aGk=\x07 M\xc3\xbcller \xc2\x9b"
	    "2J \x9b caf\xe9 \x7f \xe6\x97\xa5 \xe2\x80\xae \xe6\x97");
	CHECK_STR(b.data, "\"\\u001b]52;c;aGk=\\u0007 M\xc3\xbcller \\u009b"
	    "2J \\u009b caf\\u00e9 \\u007f \xe6\x97\xa5 \\u202e "
	    "\\u00e6\\u0097\"");
	buf_reset(&b);
	safe_json_add(&b, "a\0b\"\\", 5);
	CHECK_STR(b.data, "\"a\\u0000b\\\"\\\\\"");
	buf_release(&b);
}
