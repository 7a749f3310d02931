/*
 * fuzz-mc.c -- libFuzzer harness for the mc model (backend/mc.h).
 *
 * Parse; the model must serialise to the input byte for byte and its
 * items must cover the text exactly, in order.  Then edit (set a define,
 * turn a feature on and off, unset the define) and check each edited
 * model reads back the same after a second parse.
 *
 *	make fuzz && tests/fuzz/fuzz-mc -max_total_time=30
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../backend/mc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Items cover [0, len) without gaps or overlaps. */
static void
check_cover(const struct mc *mc, size_t len)
{
	size_t	i, off = 0;

	for (i = 0; i < mc->nitems; i++) {
		if (mc->items[i].off != off || mc->items[i].len == 0)
			abort();
		off += mc->items[i].len;
	}
	if (off != len)
		abort();
}

/* The model's text parses again into the same text. */
static void
check_reparse(const struct mc *mc)
{
	struct mc	*again;
	const char	*a, *b;
	size_t		 alen, blen;

	a = mc_text(mc, &alen);
	check_cover(mc, alen);
	again = mc_parse("fuzz", a, alen);
	b = mc_text(again, &blen);
	if (alen != blen || (alen != 0 && memcmp(a, b, alen) != 0))
		abort();
	check_cover(again, blen);
	mc_free(again);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct mc	*mc;
	struct strv	 args = STRV_INIT;
	const char	*text;
	char		*cause = NULL;
	size_t		 n;

	mc = mc_parse("fuzz", data, len);
	text = mc_text(mc, &n);
	if (n != len || (len != 0 && memcmp(text, data, len) != 0))
		abort();
	check_cover(mc, len);
	(void)mc_find_define(mc, "confLOG_LEVEL");
	(void)mc_define_value(mc, "confPRIVACY_FLAGS");

	if (mc_define_set(mc, "confLOG_LEVEL", "15", &cause) < 0)
		free(cause);
	cause = NULL;
	check_reparse(mc);
	strv_push(&args, "hash -o /etc/mail/mailertable");
	if (mc_feature_set(mc, "mailertable", 1, &args, &cause) < 0)
		free(cause);
	cause = NULL;
	check_reparse(mc);
	if (mc_feature_set(mc, "mailertable", 0, NULL, &cause) < 0)
		free(cause);
	cause = NULL;
	check_reparse(mc);
	if (mc_define_unset(mc, "confLOG_LEVEL", &cause) < 0)
		free(cause);
	cause = NULL;
	check_reparse(mc);
	strv_release(&args);
	mc_free(mc);
	return 0;
}
