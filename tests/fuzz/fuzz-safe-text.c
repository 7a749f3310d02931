/*
 * fuzz-safe-text.c -- libFuzzer harness for the terminal escaping of
 * outside bytes (backend/safe-text.h).
 *
 * For any input and each set of flags, safe_text_add() must give valid
 * UTF-8 with no C0 byte (but LF and TAB when kept), no DEL, no C1 code
 * point and no bidi control; applying it again must change nothing; the
 * input cut anywhere and fed through safe_text_add_part() must give the
 * same text.  safe_json_add() must give a quoted JSON string with the
 * same guarantees whose escapes are all well-formed.
 *
 *	make fuzz && tests/fuzz/fuzz-safe-text -max_total_time=30
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../backend/safe-text.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Abort unless s is valid UTF-8 without controls (but those allowed). */
static void
check_clean(const char *s, size_t len, int flags)
{
	unsigned int	cp;
	size_t		i = 0;
	int		n;

	while (i < len) {
		if ((n = utf8_decode(s + i, len - i, &cp)) <= 0)
			abort();
		if (cp < 0x20 && !((cp == '\n' && (flags & SAFE_TEXT_LF)) ||
		    (cp == '\t' && (flags & SAFE_TEXT_TAB))))
			abort();
		if (cp >= 0x7f && cp <= 0x9f)
			abort();
		if ((cp >= 0x202a && cp <= 0x202e) ||
		    (cp >= 0x2066 && cp <= 0x2069))
			abort();
		i += (size_t)n;
	}
}

static int
is_hex(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F');
}

static void
check_json(const struct buf *b)
{
	size_t	i;

	check_clean(b->data, b->len, 0);
	if (b->len < 2 || b->data[0] != '"' || b->data[b->len - 1] != '"')
		abort();
	for (i = 1; i < b->len - 1; i++) {
		if (b->data[i] == '"')
			abort();
		if (b->data[i] != '\\')
			continue;
		i++;
		if (i >= b->len - 1)
			abort();
		switch (b->data[i]) {
		case '"': case '\\': case 'n': case 't': case 'r':
			break;
		case 'u':
			if (i + 4 >= b->len || !is_hex(b->data[i + 1]) ||
			    !is_hex(b->data[i + 2]) || !is_hex(b->data[i + 3]) ||
			    !is_hex(b->data[i + 4]))
				abort();
			i += 4;
			break;
		default:
			abort();
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static const int	 flagsets[] = { 0, SAFE_TEXT_LF, SAFE_TEXT_TAB,
				    SAFE_TEXT_LINES };
	struct buf		 once = BUF_INIT, twice = BUF_INIT;
	struct buf		 parts = BUF_INIT, json = BUF_INIT;
	const char		*s = (const char *)data;
	size_t			 f, cut, used;

	for (f = 0; f < sizeof flagsets / sizeof flagsets[0]; f++) {
		buf_reset(&once);
		buf_reset(&twice);
		buf_reset(&parts);
		safe_text_add(&once, s, len, flagsets[f]);
		check_clean(once.data, once.len, flagsets[f]);
		if (strlen(once.data) != once.len)
			abort();
		safe_text_add(&twice, once.data, once.len, flagsets[f]);
		if (twice.len != once.len ||
		    memcmp(twice.data, once.data, once.len) != 0)
			abort();
		/* A stream cut where the first byte says. */
		cut = len > 0 ? data[0] % (len + 1) : 0;
		used = safe_text_add_part(&parts, s, cut, flagsets[f]);
		if (used > cut || cut - used > 3)
			abort();
		safe_text_add(&parts, s + used, len - used, flagsets[f]);
		if (parts.len != once.len ||
		    memcmp(parts.data, once.data, once.len) != 0)
			abort();
	}
	safe_json_add(&json, s, len);
	check_json(&json);
	buf_release(&once);
	buf_release(&twice);
	buf_release(&parts);
	buf_release(&json);
	return 0;
}
