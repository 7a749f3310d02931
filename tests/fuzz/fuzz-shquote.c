/*
 * fuzz-shquote.c -- libFuzzer harness for the SSH quoting function
 * (backend/shquote.h).
 *
 * The input is split at NUL bytes into arguments (NUL cannot be passed to
 * a program).  sh_quote_argv() must give a line that sh_unquote_argv()
 * splits back into exactly those arguments.  Every 32nd input (every one
 * with FUZZ_SHQUOTE_SH=1 in the environment) the line also goes through a
 * real shell: /bin/sh -c "printf '%s\0' X LINE" must print X and the
 * arguments, byte for byte.  The shell is run with execve() and pipes.
 *
 *	make fuzz && tests/fuzz/fuzz-shquote -max_total_time=30
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../backend/shquote.h"
#include "realsh.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define SHQ_MAX		8192	/* bytes of input used */
#define SHQ_EVERY	32

static unsigned long	shq_count;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct strv	 args = STRV_INIT, back = STRV_INIT;
	struct buf	 line = BUF_INIT, cmd = BUF_INIT, want = BUF_INIT;
	struct buf	 got = BUF_INIT;
	const char	*p = (const char *)data, *end, *nul;
	char		*cause = NULL;
	size_t		 i;
	int		 sh;

	if (len > SHQ_MAX)
		len = SHQ_MAX;
	end = p + len;
	while (p < end) {
		nul = memchr(p, '\0', (size_t)(end - p));
		if (nul == NULL)
			nul = end;
		strv_push_nocopy(&args, xstrndup(p, (size_t)(nul - p)));
		p = nul + 1;
	}
	if (args.n == 0)
		return 0;
	sh_quote_argv(&line, (const char *const *)args.v);
	if (sh_unquote_argv(line.data, &back, &cause) != 0)
		abort();
	if (back.n != args.n)
		abort();
	for (i = 0; i < args.n; i++)
		if (strcmp(back.v[i], args.v[i]) != 0)
			abort();

	sh = getenv("FUZZ_SHQUOTE_SH") != NULL || shq_count++ % SHQ_EVERY == 0;
	if (sh) {
		buf_addstr(&cmd, "printf '%s\\0' X ");
		buf_add(&cmd, line.data, line.len);
		if (fuzz_run_sh(cmd.data, &got) != 0)
			abort();
		buf_add(&want, "X", 2);
		for (i = 0; i < args.n; i++)
			buf_add(&want, args.v[i], strlen(args.v[i]) + 1);
		if (got.len != want.len || memcmp(got.data, want.data,
		    want.len) != 0)
			abort();
	}
	strv_release(&args);
	strv_release(&back);
	buf_release(&line);
	buf_release(&cmd);
	buf_release(&want);
	buf_release(&got);
	return 0;
}
