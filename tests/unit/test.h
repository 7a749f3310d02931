/*
 * test.h -- a small unit test harness.
 *
 *	TEST(profile_parse_basic) { ... CHECK(x == 1); CHECK_STR(a, "b"); }
 *
 * Tests register themselves; tests/unit/main.c runs them all (or those whose
 * name contains argv[1]) and ends with "unit: N passed, N failed".
 * Fixtures live in tests/fixtures; test_fixture() gives their path.
 */
#ifndef SMADM_TEST_H
#define SMADM_TEST_H

#include <stdio.h>
#include <string.h>

#include "../../backend/util.h"

struct test_case {
	const char		*name;
	void			(*fn)(void);
	struct test_case	*next;
};

void	test_register(struct test_case *);
void	test_fail(const char *, int, const char *, const char *, const char *);
/* Path of tests/fixtures/NAME (static buffer). */
const char *test_fixture(const char *);
/* Replace b's contents with the bytes of fixture NAME (fatal if missing). */
void	test_read_fixture(const char *, struct buf *);
/* A fresh empty directory for this test (removed at exit). */
const char *test_tmpdir(void);

#define TEST(n)								\
	static void test_##n(void);					\
	static struct test_case test_case_##n = { #n, test_##n, NULL };	\
	__attribute__((constructor)) static void test_reg_##n(void)	\
	{ test_register(&test_case_##n); }				\
	static void test_##n(void)

#define CHECK(c) do {							\
	if (!(c))							\
		test_fail(__FILE__, __LINE__, #c, NULL, NULL);		\
} while (0)

#define CHECK_STR(a, b) do {						\
	const char *ca_ = (a), *cb_ = (b);				\
	if (ca_ == NULL || cb_ == NULL || strcmp(ca_, cb_) != 0)	\
		test_fail(__FILE__, __LINE__, #a " == " #b,		\
		    ca_ ? ca_ : "(null)", cb_ ? cb_ : "(null)");	\
} while (0)

#endif
