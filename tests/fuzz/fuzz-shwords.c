/*
 * fuzz-shwords.c -- libFuzzer harness for the console prompt's word
 * splitter (backend/shwords.h).
 *
 * The input up to its first NUL is a typed line.  shwords_split() must
 * not crash; when it succeeds, quoting its words with sh_quote_argv()
 * and splitting again must give them back.  Every 16th successful input
 * (every one with FUZZ_SHWORDS_SH=1) that uses no character a shell
 * would expand or treat as syntax ($ ` ; & | < > ( ) { } * ? [ ] # ~ and
 * newline) also goes through a real shell: /bin/sh -c "printf '%s\0' X
 * LINE" must print X and exactly the words the splitter found.
 *
 *	make fuzz && tests/fuzz/fuzz-shwords -max_total_time=30
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../backend/shquote.h"
#include "../../backend/shwords.h"
#include "realsh.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define SHW_MAX		4096	/* bytes of input used */
#define SHW_EVERY	16

static unsigned long	shw_count;

/* Does the line only quote, never expand or redirect, in a shell? */
static int
shell_safe(const char *line)
{
	return strpbrk(line, "$`;&|<>(){}*?[]#~\n") == NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct strv	 words = STRV_INIT, back = STRV_INIT;
	struct buf	 line = BUF_INIT, cmd = BUF_INIT, want = BUF_INIT;
	struct buf	 got = BUF_INIT, quoted = BUF_INIT;
	char		*cause = NULL;
	size_t		 i;

	if (len > SHW_MAX)
		len = SHW_MAX;
	buf_add(&line, data, len);
	if (shwords_split(line.data, &words, &cause) != 0) {
		if (cause == NULL || words.n != 0)
			abort();
		free(cause);
		goto out;
	}
	/* An empty strv has no array to hand sh_quote_argv(). */
	if (words.n > 0)
		sh_quote_argv(&quoted, (const char *const *)words.v);
	if (shwords_split(quoted.data, &back, &cause) != 0)
		abort();
	if (back.n != words.n)
		abort();
	for (i = 0; i < words.n; i++)
		if (strcmp(back.v[i], words.v[i]) != 0)
			abort();

	if (!shell_safe(line.data) || (getenv("FUZZ_SHWORDS_SH") == NULL &&
	    shw_count++ % SHW_EVERY != 0))
		goto out;
	buf_addstr(&cmd, "printf '%s\\0' X ");
	buf_addstr(&cmd, line.data);
	if (fuzz_run_sh(cmd.data, &got) != 0)
		abort();
	buf_add(&want, "X", 2);
	for (i = 0; i < words.n; i++)
		buf_add(&want, words.v[i], strlen(words.v[i]) + 1);
	if (got.len != want.len || memcmp(got.data, want.data, want.len) != 0)
		abort();
out:
	strv_release(&words);
	strv_release(&back);
	buf_release(&line);
	buf_release(&cmd);
	buf_release(&want);
	buf_release(&got);
	buf_release(&quoted);
	return 0;
}
