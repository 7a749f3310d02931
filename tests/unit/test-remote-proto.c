/*
 * test-remote-proto.c -- the remote protocol's parsers against what the
 * real "smadm remote serve" writes and against the lengths a hostile host
 * sent in the issue (2^64 - 1, 50 GB, negative, sums that wrap).
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "../../backend/remote-proto.h"

/* Parse s as an answer with limit max: rp_answer_parse's result. */
static int
answer(const char *s, size_t max, struct rp_answer *a, char **cause)
{
	free(*cause);
	*cause = NULL;
	return rp_answer_parse(s, strlen(s), max, "f", a, cause);
}

static int
answer_buf(const struct buf *b, size_t max, struct rp_answer *a,
    char **cause)
{
	free(*cause);
	*cause = NULL;
	return rp_answer_parse(b->data, b->len, max, "f", a, cause);
}

static int
frame(const char *s, size_t len, size_t max, struct rp_dir_frame *f,
    char **cause)
{
	free(*cause);
	*cause = NULL;
	return rp_dir_frame_parse(s, len, max, "q", f, cause);
}

TEST(remote_proto_answer_lengths)
{
	struct rp_answer	 a;
	struct buf		 b = BUF_INIT;
	char			*cause = NULL, *big;

	CHECK(answer("D 5\nhelloO\n", 100, &a, &cause) == 1);
	CHECK(a.tag == 'D' && a.len == 5 && memcmp(a.data, "hello", 5) == 0);
	CHECK(a.used == 9);
	CHECK(answer("D 5\nhel", 100, &a, &cause) == 0);
	CHECK(answer("D 5", 100, &a, &cause) == 0);
	/* The lengths: refused at once, never waited for. */
	CHECK(answer("D 18446744073709551615\n", SIZE_MAX, &a, &cause) == -1);
	CHECK_STR(cause, "f: garbled answer from the remote smadm");
	CHECK(answer("D 50000000000\n", 1 << 20, &a, &cause) == -1);
	CHECK_STR(cause, "f: the remote smadm answered with 50000000000 "
	    "bytes, more than the 1048576 asked for");
	CHECK(answer("D -5\nabc", 100, &a, &cause) == -1);
	CHECK(answer("D +5\nhello", 100, &a, &cause) == -1);
	CHECK(answer("D 5 \nhello", 100, &a, &cause) == -1);
	CHECK(answer("D \nx", 100, &a, &cause) == -1);
	CHECK(answer("L 9223372036854775807\n", RP_READ_MAX, &a,
	    &cause) == -1);
	CHECK(answer("O 1\n", 0, &a, &cause) == -1);
	CHECK(answer("X\n", 0, &a, &cause) == -1);
	CHECK(answer("E\n", 0, &a, &cause) == -1);
	CHECK(answer("E no such file\n", 0, &a, &cause) == 1);
	CHECK(a.tag == 'E' && a.textlen == 12);
	/* A line without its end: waited for only up to RP_LINE_MAX. */
	big = xcalloc(1, RP_LINE_MAX + 1);
	memset(big, 'E', RP_LINE_MAX - 1);
	CHECK(answer(big, 0, &a, &cause) == 0);
	big[RP_LINE_MAX - 1] = 'E';
	CHECK(answer(big, 0, &a, &cause) == -1);
	free(big);
	/* What serve writes parses back. */
	rp_data_format(&b, RP_DATA, "a\0b", 3);
	CHECK(answer_buf(&b, 3, &a, &cause) == 1);
	CHECK(a.len == 3 && a.used == b.len);
	CHECK(answer_buf(&b, 2, &a, &cause) == -1);
	buf_release(&b);
	free(cause);
}

static int
stat_of(const char *s, struct tstat *st)
{
	return rp_stat_parse(s, strlen(s), st);
}

TEST(remote_proto_stat)
{
	struct rp_answer	 a;
	struct tstat		 st, back;
	struct buf		 b = BUF_INIT;
	char			*cause = NULL;

	memset(&st, 0, sizeof st);
	st.type = TS_REG;
	st.mode = 0640;
	st.uid = 4294967295u;
	st.gid = 8;
	st.size = 123456789012LL;
	st.mtime = -5;
	st.mtime_nsec = 999999999;
	st.dev = 65024;
	st.ino = 1234567;
	rp_stat_format(&b, &st);
	CHECK(answer_buf(&b, 0, &a, &cause) == 1);
	CHECK(a.tag == RP_STAT);
	CHECK(rp_stat_parse(a.text, a.textlen, &back) == 0);
	CHECK(memcmp(&st, &back, sizeof st) == 0);
	CHECK(stat_of("2 755 0 0 99999999999999999999999 0 0 1 1",
	    &back) == -1);
	CHECK(stat_of("2 755", &back) == -1);
	CHECK(stat_of("9 755 0 0 1 0 0 1 1", &back) == -1);
	CHECK(stat_of("2 789 0 0 1 0 0 1 1", &back) == -1);
	CHECK(stat_of("2 755 0 0 -1 0 0 1 1", &back) == -1);
	buf_release(&b);
	free(cause);
}

TEST(remote_proto_dir_frames)
{
	struct rp_dir_frame	 f;
	struct tdir_file	 tf;
	struct buf		 b = BUF_INIT;
	char			*cause = NULL, data[] = "Vexample";
	const char		*s;

	memset(&tf, 0, sizeof tf);
	tf.name = "qfABC";
	tf.data = data;
	tf.len = 8;
	tf.sibling_size = -1;
	tf.locked = 1;
	rp_dir_file_format(&b, &tf);
	rp_dir_batch_format(&b, 1);
	rp_dir_end_format(&b);
	CHECK(frame(b.data, b.len, 8, &f, &cause) == 1);
	CHECK(f.tag == RP_FILE && f.namelen == 5 && f.len == 8);
	CHECK(f.sibling_size == -1 && f.locked == 1 && f.truncated == 0);
	s = b.data + f.used;
	CHECK(frame(s, b.len - f.used, 8, &f, &cause) == 1);
	CHECK(f.tag == RP_BATCH && f.count == 1);
	s += f.used;
	CHECK(frame(s, 2, 8, &f, &cause) == 1 && f.tag == RP_END);
	/* Larger than asked for, by a byte. */
	CHECK(frame(b.data, b.len, 7, &f, &cause) == -1);
	CHECK_STR(cause, "q: the remote smadm sent a file of 8 bytes, more "
	    "than the 7 asked for");
	/* nlen + len would wrap; each is refused on its own. */
	s = "F 18446744073709551615 9 0 -1 0\nqfhostile";
	CHECK(frame(s, strlen(s), 1 << 20, &f, &cause) == -1);
	s = "F 8 18446744073709551615 0 -1 0\nqfhostil";
	CHECK(frame(s, strlen(s), SIZE_MAX, &f, &cause) == -1);
	s = "F 4097 1 0 -1 0\n";
	CHECK(frame(s, strlen(s), 1 << 20, &f, &cause) == -1);
	s = "F -8 10 0 -1 0\nqfhostil";
	CHECK(frame(s, strlen(s), 1 << 20, &f, &cause) == -1);
	s = "F 8 3 0 -2 0\nqfhostilabc";
	CHECK(frame(s, strlen(s), 1 << 20, &f, &cause) == -1);
	s = "F 8 3 2 -1 0\nqfhostilabc";
	CHECK(frame(s, strlen(s), 1 << 20, &f, &cause) == -1);
	/* Names that would leave the directory. */
	s = "F 8 3 0 -1 0\n../../qfabc";
	CHECK(frame(s, strlen(s), 1 << 20, &f, &cause) == -1);
	s = "F 2 0 0 -1 0\n..";
	CHECK(frame(s, strlen(s), 1 << 20, &f, &cause) == -1);
	/* A frame not all here yet: wait. */
	s = "F 8 100 0 -1 0\nqfhostilonly ten b";
	CHECK(frame(s, strlen(s), 1 << 20, &f, &cause) == 0);
	s = "N 2000000\n";
	CHECK(frame(s, strlen(s), 1 << 20, &f, &cause) == -1);
	buf_release(&b);
	free(cause);
}

TEST(remote_proto_request_length)
{
	char	*cause = NULL;

	CHECK(rp_request_length("12\n", &cause) == 12);
	CHECK(rp_request_length("0\n", &cause) == -1);
	free(cause);
	cause = NULL;
	CHECK(rp_request_length("18446744073709551616\n", &cause) == -1);
	free(cause);
	cause = NULL;
	CHECK(rp_request_length("1048577\n", &cause) == -1);
	CHECK_STR(cause, "remote serve: bad request length \"1048577\" "
	    "(expected 1 to 1048576)");
	free(cause);
}
