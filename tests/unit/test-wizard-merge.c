/*
 * test-wizard-merge.c -- the wizard's tables merged into files that exist
 * (wizard_merge_read): the old bytes stay the head of the new text, line
 * ends and class-file lines included; a key is never written twice; a
 * differing value is kept and noted; the mc is the role's.
 */
#include <stdlib.h>
#include <string.h>

#include "../../backend/wizard.h"
#include "test.h"

static struct host *
merge_host(const char *dir)
{
	struct profile	*p;
	char		*cause = NULL, *conf;

	conf = xasprintf("mc = %s/sendmail.mc\ncf = %s/sendmail.cf\n"
	    "access = %s/access\nlocal_host_names = %s/lhn\n"
	    "mailertable = %s/mailertable\n", dir, dir, dir, dir, dir);
	p = profile_parse(conf, strlen(conf), dir, "smadm.conf", &cause);
	free(conf);
	if (p == NULL)
		util_fatal("%s", cause);
	return host_create(transport_local_create(), p);
}

static void
merge_put(const char *dir, const char *name, const char *text)
{
	struct write_opts	 wo;
	struct transport	*t = transport_local_create();
	char			*path = xasprintf("%s/%s", dir, name);
	char			*cause = NULL;

	write_opts_init(&wo);
	if (transport_write_file(t, path, text, strlen(text), &wo,
	    &cause) != 0)
		util_fatal("%s", cause);
	transport_free(t);
	free(path);
}

static const struct wizard_merge_file *
merge_file(const struct wizard_merge *m, const char *role)
{
	size_t	i;

	for (i = 0; i < m->n; i++)
		if (strcmp(m->v[i].role, role) == 0)
			return &m->v[i];
	return NULL;
}

TEST(wizard_merge_keeps_and_adds)
{
	const char			*dir = test_tmpdir();
	struct host			*h = merge_host(dir);
	struct wizard_out		 o;
	struct wizard_merge		 m;
	const struct wizard_merge_file	*f;
	struct buf			 plan = BUF_INIT;
	char				*cause = NULL;
	size_t				 i;

	/* CRLF, no line end at the end, a tag in capitals. */
	merge_put(dir, "access", "# mine\r\nCONNECT:127.0.0.1\tRELAY\r\n"
	    "Connect:10\tREJECT\r\n127.0.0.1\tOK");
	/* Several words on a line, a comment after them. */
	merge_put(dir, "lhn", "a.example B.example # two\n");
	merge_put(dir, "mailertable", "x.test\tsmtp:[192.0.2.1]\n");
	merge_put(dir, "sendmail.mc", "old mc\n");
	wizard_out_init(&o);
	buf_addstr(&o.mc, "new mc\n");
	buf_addstr(&o.access, "# relaying (smadm wizard)\n"
	    "Connect:127.0.0.1\tRELAY\nConnect:10\tRELAY\n"
	    "Connect:127.0.0.1\tRELAY\nConnect:::1\trelay\n"
	    "connect:10\tRELAY\n");
	buf_addstr(&o.local_host_names, "# names\nb.example\nc.example\n"
	    "C.Example\n");
	buf_addstr(&o.mailertable, "# mailertable (smadm wizard)\n"
	    "x.test\tsmtp:[192.0.2.2]\ny.test\tsmtp:[192.0.2.3]\n");
	o.need_mailertable = 1;
	wizard_merge_init(&m);
	CHECK(wizard_merge_read(h, &o, &m, &cause) == 0);
	CHECK(m.n == 4);

	f = merge_file(&m, "access");
	CHECK(f != NULL && f->existed);
	CHECK_STR(f->text.data, "# mine\r\nCONNECT:127.0.0.1\tRELAY\r\n"
	    "Connect:10\tREJECT\r\n127.0.0.1\tOK\r\n"
	    "# relaying (smadm wizard)\r\nConnect:::1\trelay\r\n");
	CHECK(f->kept == 3 && f->added == 1 && f->same == 4);
	/* Connect:10 asked for twice: one note. */
	CHECK(f->notes.n == 1);
	CHECK(f->notes.n == 1 && strstr(f->notes.v[0], "/access:3: Connect:10 "
	    "is already there with \"REJECT\": kept (the role would write "
	    "\"RELAY\")") != NULL);

	f = merge_file(&m, "local_host_names");
	CHECK(f != NULL);
	CHECK_STR(f->text.data, "a.example B.example # two\n# names\n"
	    "c.example\n");
	CHECK(f->kept == 2 && f->added == 1 && f->notes.n == 0);

	f = merge_file(&m, "mailertable");
	CHECK(f != NULL && f->notes.n == 1 && f->added == 1);
	CHECK(strncmp(f->text.data, "x.test\tsmtp:[192.0.2.1]\n", 24) == 0);

	f = merge_file(&m, "mc");
	CHECK(f != NULL && wizard_merge_changes(f));
	CHECK_STR(f->text.data, "new mc\n");

	buf_printf(&plan, "x");
	wizard_merge_format(&m, &plan);
	CHECK(strstr(plan.data, "/access <== 3 entries kept, 1 added "
	    "(4 of the role's already there)\n") != NULL);
	CHECK(strstr(plan.data, "\n+Connect:::1\trelay\r\n") != NULL);
	CHECK(strstr(plan.data, "-127.0.0.1\tOK\n\\ No newline at end of "
	    "file\n+127.0.0.1\tOK\r\n") != NULL);
	CHECK(strstr(plan.data, "mc replaced by the role's") != NULL);
	buf_release(&plan);
	wizard_merge_release(&m);

	/* What was merged, merged again: nothing changes. */
	merge_put(dir, "access", "# mine\r\nCONNECT:127.0.0.1\tRELAY\r\n"
	    "Connect:10\tREJECT\r\n127.0.0.1\tOK\r\n"
	    "# relaying (smadm wizard)\r\nConnect:::1\trelay\r\n");
	merge_put(dir, "lhn", "a.example B.example # two\n# names\n"
	    "c.example\n");
	merge_put(dir, "mailertable", "x.test\tsmtp:[192.0.2.1]\n"
	    "# mailertable (smadm wizard)\ny.test\tsmtp:[192.0.2.3]\n");
	merge_put(dir, "sendmail.mc", "new mc\n");
	wizard_merge_init(&m);
	CHECK(wizard_merge_read(h, &o, &m, &cause) == 0);
	for (i = 0; i < m.n; i++)
		CHECK(!wizard_merge_changes(&m.v[i]));
	wizard_merge_release(&m);
	wizard_out_release(&o);
	host_free(h);
}

TEST(wizard_merge_new_files)
{
	const char			*dir = test_tmpdir();
	struct host			*h = merge_host(dir);
	struct wizard_out		 o;
	struct wizard_merge		 m;
	const struct wizard_merge_file	*f;
	char				*cause = NULL;

	wizard_out_init(&o);
	buf_addstr(&o.mc, "new mc\n");
	buf_addstr(&o.access, "# relaying (smadm wizard)\n"
	    "Connect:127.0.0.1\tRELAY\nConnect:127.0.0.1\tRELAY\n");
	buf_addstr(&o.local_host_names, "# names\nh.example\n");
	buf_addstr(&o.mailertable, "# mailertable (smadm wizard)\n");
	o.need_mailertable = 1;
	wizard_merge_init(&m);
	CHECK(wizard_merge_read(h, &o, &m, &cause) == 0);
	f = merge_file(&m, "access");
	CHECK(f != NULL && !f->existed && wizard_merge_changes(f));
	/* The answers' own repeat is written once. */
	CHECK_STR(f->text.data, "# relaying (smadm wizard)\n"
	    "Connect:127.0.0.1\tRELAY\n");
	f = merge_file(&m, "mailertable");
	CHECK(f != NULL);
	CHECK_STR(f->text.data, "# mailertable (smadm wizard)\n");
	wizard_merge_release(&m);
	wizard_out_release(&o);
	host_free(h);
}

/* A key on a line makemap rejects: kept, not added again, and said. */
TEST(wizard_merge_broken_line)
{
	const char			*dir = test_tmpdir();
	struct host			*h = merge_host(dir);
	struct wizard_out		 o;
	struct wizard_merge		 m;
	const struct wizard_merge_file	*f;
	char				*cause = NULL;

	merge_put(dir, "access", "Connect:127.0.0.1\n");
	wizard_out_init(&o);
	buf_addstr(&o.mc, "new mc\n");
	buf_addstr(&o.access, "Connect:127.0.0.1\tRELAY\n");
	wizard_merge_init(&m);
	CHECK(wizard_merge_read(h, &o, &m, &cause) == 0);
	f = merge_file(&m, "access");
	CHECK(f != NULL && f->added == 0 && f->kept == 0);
	CHECK(f != NULL && !wizard_merge_changes(f));
	CHECK(f != NULL && f->notes.n == 1 && strstr(f->notes.v[0],
	    "/access:1: Connect:127.0.0.1 is there on a line makemap "
	    "rejects") != NULL);
	wizard_merge_release(&m);
	wizard_out_release(&o);
	host_free(h);
}
