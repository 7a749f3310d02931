/*
 * main.c -- runs the registered unit tests.
 */
#include <sys/wait.h>

#include <stdlib.h>
#include <unistd.h>

#include "test.h"

static struct test_case	*tests;
static int		 failed_now;
static char		 tmpdir[256];

void
test_register(struct test_case *tc)
{
	struct test_case	**p = &tests;

	while (*p != NULL && strcmp((*p)->name, tc->name) < 0)
		p = &(*p)->next;
	tc->next = *p;
	*p = tc;
}

void
test_fail(const char *file, int line, const char *what, const char *got,
    const char *want)
{
	failed_now++;
	if (got != NULL)
		fprintf(stderr, "  %s:%d: %s\n    got:  \"%s\"\n    want: "
		    "\"%s\"\n", file, line, what, got, want);
	else
		fprintf(stderr, "  %s:%d: CHECK(%s) failed\n", file, line, what);
}

const char *
test_fixture(const char *name)
{
	static char	path[4096], cwd[2048];
	const char	*dir = getenv("SMADM_FIXTURES");

	/* Absolute by default: programs run by the tests start in /. */
	if (dir == NULL) {
		if (getcwd(cwd, sizeof cwd - 16) == NULL)
			util_fatal("getcwd failed");
		snprintf(path, sizeof path, "%s/tests/fixtures/%s", cwd, name);
		return path;
	}
	snprintf(path, sizeof path, "%s/%s", dir, name);
	return path;
}

void
test_read_fixture(const char *name, struct buf *b)
{
	FILE	*f;
	char	 tmp[4096];
	size_t	 n;

	buf_reset(b);
	if ((f = fopen(test_fixture(name), "rb")) == NULL)
		util_fatal("cannot open fixture %s", name);
	while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
		buf_add(b, tmp, n);
	fclose(f);
}

static void
rm_tree(const char *dir)
{
	const char	*argv[] = { "/bin/rm", "-rf", dir, NULL };
	pid_t		 pid;

	if (dir[0] == '\0')
		return;
	if ((pid = fork()) == 0) {
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	if (pid > 0)
		while (waitpid(pid, NULL, 0) == -1)
			;
}

const char *
test_tmpdir(void)
{
	if (tmpdir[0] != '\0')
		rm_tree(tmpdir);
	snprintf(tmpdir, sizeof tmpdir, "/tmp/smadm-unit-XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		util_fatal("mkdtemp failed");
	return tmpdir;
}

int
main(int argc, char **argv)
{
	struct test_case	*tc;
	int			 passed = 0, failed = 0;

	for (tc = tests; tc != NULL; tc = tc->next) {
		if (argc > 1 && strstr(tc->name, argv[1]) == NULL)
			continue;
		failed_now = 0;
		tc->fn();
		if (tmpdir[0] != '\0') {
			rm_tree(tmpdir);
			tmpdir[0] = '\0';
		}
		if (failed_now) {
			printf("FAIL  %s\n", tc->name);
			failed++;
		} else {
			printf("PASS  %s\n", tc->name);
			passed++;
		}
	}
	printf("unit: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
