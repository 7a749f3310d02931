/*
 * test-mc.c -- the sendmail.mc model: lossless parsing of real mc files
 * and edits that touch only the lines involved.
 */
#include <dirent.h>
#include <stdlib.h>

#include "../../backend/mc.h"
#include "test.h"

static int
read_all(const char *path, struct buf *b)
{
	FILE	*f;
	char	 chunk[8192];
	size_t	 n;

	if ((f = fopen(path, "rb")) == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(b, chunk, n);
	fclose(f);
	return 0;
}

static struct mc *
load(const char *fixture)
{
	struct buf	 b = BUF_INIT;
	struct mc	*mc;

	if (read_all(test_fixture(fixture), &b) != 0)
		return NULL;
	mc = mc_parse(fixture, b.data, b.len);
	buf_release(&b);
	return mc;
}

/* Count the lines where two texts differ, in a simple line-by-line way. */
static void
split(const char *s, struct strv *out)
{
	const char	*nl;

	while (*s != '\0') {
		nl = strchr(s, '\n');
		if (nl == NULL) {
			strv_push(out, s);
			break;
		}
		strv_push_nocopy(out, xstrndup(s, (size_t)(nl - s)));
		s = nl + 1;
	}
}

/* After an edit, old and new differ only by lines removed/added at one
 * place: return the inserted text (lines joined) and removed text. */
static void
edit_delta(const char *old, const char *new, struct buf *removed,
    struct buf *added)
{
	struct strv	a = STRV_INIT, b = STRV_INIT;
	size_t		pre = 0, suf = 0, i;

	split(old, &a);
	split(new, &b);
	while (pre < a.n && pre < b.n && strcmp(a.v[pre], b.v[pre]) == 0)
		pre++;
	while (suf < a.n - pre && suf < b.n - pre &&
	    strcmp(a.v[a.n - 1 - suf], b.v[b.n - 1 - suf]) == 0)
		suf++;
	for (i = pre; i < a.n - suf; i++)
		buf_printf(removed, "%s\n", a.v[i]);
	for (i = pre; i < b.n - suf; i++)
		buf_printf(added, "%s\n", b.v[i]);
	strv_release(&a);
	strv_release(&b);
}

TEST(mc_roundtrip_real_files)
{
	const char	*fixed[] = { "mc/debian-sendmail.mc",
	    "mc/debian-submit.mc" };
	struct buf	 b = BUF_INIT;
	struct mc	*mc;
	DIR		*d;
	struct dirent	*de;
	char		*name;
	const char	*t;
	size_t		 i, len, n = 0, covered, line;

	for (i = 0; i < nitems(fixed); i++) {
		buf_reset(&b);
		CHECK(read_all(test_fixture(fixed[i]), &b) == 0);
		mc = mc_parse(fixed[i], b.data, b.len);
		t = mc_text(mc, &len);
		CHECK(len == b.len && memcmp(t, b.data, len) == 0);
		CHECK(mc->warnings.n == 0);
		mc_free(mc);
	}
	d = opendir(test_fixture("mc/examples"));
	CHECK(d != NULL);
	while (d != NULL && (de = readdir(d)) != NULL) {
		if (!str_endswith(de->d_name, ".mc"))
			continue;
		name = xasprintf("mc/examples/%s", de->d_name);
		buf_reset(&b);
		CHECK(read_all(test_fixture(name), &b) == 0);
		mc = mc_parse(name, b.data, b.len);
		/* The items cover the bytes exactly, in order. */
		covered = 0;
		line = 1;
		for (i = 0; i < mc->nitems; i++) {
			CHECK(mc->items[i].off == covered);
			CHECK(mc->items[i].line == line);
			covered += mc->items[i].len;
			line += mc->items[i].nlines;
		}
		CHECK(covered == b.len);
		t = mc_text(mc, &len);
		CHECK(len == b.len && memcmp(t, b.data, len) == 0);
		mc_free(mc);
		free(name);
		n++;
	}
	if (d != NULL)
		closedir(d);
	CHECK(n >= 20);
	buf_release(&b);
}

TEST(mc_items_debian)
{
	struct mc		*mc = load("mc/debian-sendmail.mc");
	const struct mc_item	*it;
	size_t			 i, nfeat = 0, nmailer = 0;

	CHECK(mc != NULL);
	if (mc == NULL)
		return;
	/* A define spanning two lines through "dnl". */
	it = mc_find_define(mc, "confPRIVACY_FLAGS");
	CHECK(it != NULL && it->nlines == 2);
	CHECK_STR(mc_define_value(mc, "confPRIVACY_FLAGS"),
	    "needmailhelo,needexpnhelo,needvrfyhelo,restrictqrun,"
	    "restrictexpand,nobodyreturn,authwarnings");
	CHECK_STR(mc_define_value(mc, "confCONNECTION_RATE_THROTTLE"), "15");
	it = mc_find_feature(mc, "access_db");
	CHECK(it != NULL && it->nargs == 3);
	CHECK(it != NULL && *it->args[1].value == '\0');
	CHECK_STR(it != NULL ? it->args[2].value : NULL, "skip");
	it = mc_find_feature(mc, "greet_pause");
	CHECK_STR(it != NULL ? it->trailer : NULL, "dnl 1 seconds");
	for (i = 0; i < mc->nitems; i++) {
		if (mc->items[i].kind == MC_FEATURE)
			nfeat++;
		if (mc->items[i].kind == MC_MAILER)
			nmailer++;
		if (mc->items[i].kind == MC_UNDEFINE)
			CHECK_STR(mc->items[i].args[0].value,
			    "confHOST_STATUS_DIRECTORY");
	}
	CHECK(nfeat == 7);
	CHECK(nmailer == 2);
	CHECK(mc_define_value(mc, "confSAFE_FILE_ENV") == NULL);
	mc_free(mc);
}

TEST(mc_sections_and_unknown)
{
	const char	*text =
	    "divert(-1)\n# comment\ndivert(0)dnl\n"
	    "OSTYPE(linux)dnl\n"
	    "FEATURE(`bad\n"
	    "MAILER(smtp)dnl\n"
	    "LOCAL_CONFIG\n"
	    "O NoSuchOption=1\n"
	    "MAILER(local)\n"
	    "LOCAL_RULE_0\n"
	    "R$* < @ $=w . > $*\t$#local $: $1\n";
	struct mc	*mc;
	size_t		 i, nsec = 0;
	const char	*t;
	size_t		 len;

	mc = mc_parse("t.mc", text, strlen(text));
	t = mc_text(mc, &len);
	CHECK(len == strlen(text) && memcmp(t, text, len) == 0);
	CHECK(mc->warnings.n == 1);
	CHECK(mc->warnings.n == 1 &&
	    strstr(mc->warnings.v[0], "t.mc:5: unterminated quote") != NULL);
	for (i = 0; i < mc->nitems; i++) {
		if (mc->items[i].kind == MC_SECTION) {
			nsec++;
			/* The header and its text, not the MAILER after. */
			if (nsec == 1)
				CHECK(mc->items[i].nlines == 2);
		}
		if (mc->items[i].line == 5)
			CHECK(mc->items[i].kind == MC_UNKNOWN);
		/* m4 expands MAILER(local) in LOCAL_CONFIG as anywhere. */
		if (mc->items[i].line == 9)
			CHECK(mc->items[i].kind == MC_MAILER);
	}
	CHECK(nsec == 2);
	mc_free(mc);
}

TEST(mc_define_set_in_place)
{
	struct mc	*mc = load("mc/debian-sendmail.mc");
	struct buf	 old = BUF_INIT, rem = BUF_INIT, add = BUF_INIT;
	char		*cause = NULL;

	if (mc == NULL) {
		CHECK(mc != NULL);
		return;
	}
	buf_addstr(&old, mc_text(mc, NULL));
	CHECK(mc_define_set(mc, "confPRIVACY_FLAGS",
	    "authwarnings,goaway,restrictmailq,restrictqrun", &cause) == 1);
	edit_delta(old.data, mc_text(mc, NULL), &rem, &add);
	CHECK_STR(rem.data, "`needmailhelo,needexpnhelo,needvrfyhelo,"
	    "restrictqrun,restrictexpand,nobodyreturn,authwarnings')dnl\n");
	CHECK_STR(add.data,
	    "`authwarnings,goaway,restrictmailq,restrictqrun')dnl\n");
	/* Same value again: no change. */
	CHECK(mc_define_set(mc, "confPRIVACY_FLAGS",
	    "authwarnings,goaway,restrictmailq,restrictqrun", &cause) == 0);
	/* Unquoted style stays unquoted. */
	buf_reset(&old);
	buf_addstr(&old, mc_text(mc, NULL));
	CHECK(mc_define_set(mc, "confCONNECTION_RATE_THROTTLE", "30",
	    &cause) == 1);
	buf_reset(&rem);
	buf_reset(&add);
	edit_delta(old.data, mc_text(mc, NULL), &rem, &add);
	CHECK_STR(rem.data,
	    "define(`confCONNECTION_RATE_THROTTLE', `15')dnl\n");
	CHECK_STR(add.data,
	    "define(`confCONNECTION_RATE_THROTTLE', `30')dnl\n");
	CHECK(mc->warnings.n == 0);
	buf_release(&old);
	buf_release(&rem);
	buf_release(&add);
	mc_free(mc);
}

/*
 * Where m4 lets a new define win: after an OSTYPE or DOMAIN that follows
 * the last define (debian-msp sets confTEMP_FILE_MODE), and after a
 * FEATURE whose file sets the name (msp.m4: confPRIVACY_FLAGS).
 */
TEST(mc_define_after_what_sets_it)
{
	static const char text[] = "divert(0)dnl\n"
	    "define(`_USE_ETC_MAIL_')dnl\n"
	    "include(`/usr/share/sendmail/cf/m4/cf.m4')dnl\n"
	    "OSTYPE(`debian')dnl\nDOMAIN(`debian-msp')dnl\n"
	    "FEATURE(`msp', `[127.0.0.1]', `25')dnl\n";
	struct mc	*mc = mc_parse("submit.mc", text, strlen(text));
	const char	*t;
	char		*cause = NULL;

	CHECK(mc_define_set(mc, "confTEMP_FILE_MODE", "0600", &cause) == 1);
	t = mc_text(mc, NULL);
	CHECK(strstr(t, "DOMAIN(`debian-msp')dnl\n"
	    "define(`confTEMP_FILE_MODE', `0600')dnl\n") != NULL);
	CHECK(mc_define_set(mc, "confPRIVACY_FLAGS", "goaway,restrictmailq",
	    &cause) == 1);
	t = mc_text(mc, NULL);
	CHECK(strstr(t, "`25')dnl\n"
	    "define(`confPRIVACY_FLAGS', `goaway,restrictmailq')dnl\n") !=
	    NULL);
	CHECK_STR(mc_define_value(mc, "confPRIVACY_FLAGS"),
	    "goaway,restrictmailq");
	mc_free(mc);
}

TEST(mc_define_add_and_unset)
{
	struct mc	*mc = load("mc/debian-sendmail.mc");
	struct buf	 old = BUF_INIT, rem = BUF_INIT, add = BUF_INIT;
	const char	*t, *p, *q;
	char		*cause = NULL;

	if (mc == NULL) {
		CHECK(mc != NULL);
		return;
	}
	buf_addstr(&old, mc_text(mc, NULL));
	CHECK(mc_define_set(mc, "confLOG_LEVEL", "12", &cause) == 1);
	edit_delta(old.data, mc_text(mc, NULL), &rem, &add);
	CHECK_STR(rem.data, "");
	CHECK_STR(add.data, "define(`confLOG_LEVEL', `12')dnl\n");
	/* It lands right after the last define before the MAILERs. */
	t = mc_text(mc, NULL);
	p = strstr(t, "define(`confBAD_RCPT_THROTTLE',`3')dnl\n");
	q = strstr(t, "define(`confLOG_LEVEL'");
	CHECK(p != NULL && q != NULL && q == p + strlen(
	    "define(`confBAD_RCPT_THROTTLE',`3')dnl\n"));
	CHECK_STR(mc_define_value(mc, "confLOG_LEVEL"), "12");
	/* Unset brings back the original bytes. */
	CHECK(mc_define_unset(mc, "confLOG_LEVEL", &cause) == 1);
	CHECK_STR(mc_text(mc, NULL), old.data);
	CHECK(mc_define_unset(mc, "confLOG_LEVEL", &cause) == -1);
	CHECK(cause != NULL && strstr(cause, "not defined") != NULL);
	free(cause);
	cause = NULL;
	/* Bad values are refused before anything changes. */
	CHECK(mc_define_set(mc, "confLOG_LEVEL", "`x", &cause) == -1);
	free(cause);
	cause = NULL;
	CHECK(mc_define_set(mc, "conf LOG", "1", &cause) == -1);
	free(cause);
	CHECK_STR(mc_text(mc, NULL), old.data);
	buf_release(&old);
	buf_release(&rem);
	buf_release(&add);
	mc_free(mc);
}

TEST(mc_define_after_ostype)
{
	const char	*text = "divert(0)dnl\nOSTYPE(`linux')dnl\n"
	    "DOMAIN(`generic')dnl\nMAILER(`local')dnl\nMAILER(`smtp')dnl\n";
	struct mc	*mc;
	char		*cause = NULL;

	mc = mc_parse("t.mc", text, strlen(text));
	CHECK(mc_define_set(mc, "SMART_HOST", "relay:[127.0.0.1]",
	    &cause) == 1);
	CHECK_STR(mc_text(mc, NULL), "divert(0)dnl\nOSTYPE(`linux')dnl\n"
	    "DOMAIN(`generic')dnl\n"
	    "define(`SMART_HOST', `relay:[127.0.0.1]')dnl\n"
	    "MAILER(`local')dnl\nMAILER(`smtp')dnl\n");
	mc_free(mc);
	/* No newline at the end, nothing to anchor on. */
	mc = mc_parse("t.mc", "dnl x", 5);
	CHECK(mc_define_set(mc, "confLOG_LEVEL", "9", &cause) == 1);
	CHECK_STR(mc_text(mc, NULL), "dnl x\ndefine(`confLOG_LEVEL', `9')dnl\n");
	mc_free(mc);
}

TEST(mc_feature_before_mailer)
{
	struct mc	*mc = load("mc/debian-sendmail.mc");
	struct buf	 old = BUF_INIT, rem = BUF_INIT, add = BUF_INIT;
	struct strv	 args = STRV_INIT;
	const char	*t, *f, *m;
	char		*cause = NULL;

	if (mc == NULL) {
		CHECK(mc != NULL);
		return;
	}
	buf_addstr(&old, mc_text(mc, NULL));
	CHECK(mc_feature_set(mc, "smrsh", 1, NULL, &cause) == 1);
	edit_delta(old.data, mc_text(mc, NULL), &rem, &add);
	CHECK_STR(rem.data, "");
	CHECK_STR(add.data, "FEATURE(`smrsh')dnl\n");
	t = mc_text(mc, NULL);
	f = strstr(t, "FEATURE(`smrsh')");
	m = strstr(t, "MAILER(");
	CHECK(f != NULL && m != NULL && f < m);
	/* Already on: nothing to do. */
	CHECK(mc_feature_set(mc, "smrsh", 1, NULL, &cause) == 0);
	/* Off again restores the bytes. */
	CHECK(mc_feature_set(mc, "smrsh", 0, NULL, &cause) == 1);
	CHECK_STR(mc_text(mc, NULL), old.data);
	CHECK(mc_feature_set(mc, "smrsh", 0, NULL, &cause) == -1);
	free(cause);
	cause = NULL;
	/* New arguments for a feature that is on: the call is rewritten,
	 * its trailer kept. */
	strv_push(&args, "5000");
	CHECK(mc_feature_set(mc, "greet_pause", 1, &args, &cause) == 1);
	buf_reset(&rem);
	buf_reset(&add);
	edit_delta(old.data, mc_text(mc, NULL), &rem, &add);
	CHECK_STR(rem.data, "FEATURE(`greet_pause', `1000')dnl 1 seconds\n");
	CHECK_STR(add.data, "FEATURE(`greet_pause', `5000')dnl 1 seconds\n");
	strv_release(&args);
	buf_release(&old);
	buf_release(&rem);
	buf_release(&add);
	mc_free(mc);
}

TEST(mc_feature_no_features_yet)
{
	const char	*text = "OSTYPE(linux)dnl\nMAILER(local)dnl\n";
	struct mc	*mc;
	struct strv	 args = STRV_INIT;
	char		*cause = NULL;

	mc = mc_parse("t.mc", text, strlen(text));
	strv_push(&args, "hash -o /etc/mail/access");
	CHECK(mc_feature_set(mc, "access_db", 1, &args, &cause) == 1);
	CHECK_STR(mc_text(mc, NULL), "OSTYPE(linux)dnl\n"
	    "FEATURE(`access_db', `hash -o /etc/mail/access')dnl\n"
	    "MAILER(local)dnl\n");
	strv_release(&args);
	mc_free(mc);
}

/* The item that starts on a line, or NULL. */
static const struct mc_item *
item_at(const struct mc *mc, size_t line)
{
	size_t	i;

	for (i = 0; i < mc->nitems; i++)
		if (mc->items[i].line == line)
			return &mc->items[i];
	return NULL;
}

TEST(mc_live_after_local_config)
{
	struct mc		*mc = load("mc/wild/local-config-middle.mc");
	struct buf		 old = BUF_INIT, rem = BUF_INIT, add = BUF_INIT;
	const struct mc_item	*it;
	char			*cause = NULL;

	if (mc == NULL) {
		CHECK(mc != NULL);
		return;
	}
	buf_addstr(&old, mc_text(mc, NULL));
	CHECK(mc->warnings.n == 0);
	it = item_at(mc, 15);
	CHECK(it != NULL && it->kind == MC_SECTION && it->nlines == 4);
	/* dnl is m4's, not cf text; the calls after it are items. */
	it = item_at(mc, 19);
	CHECK(it != NULL && it->kind == MC_COMMENT);
	it = item_at(mc, 22);
	CHECK(it != NULL && it->kind == MC_FEATURE);
	it = item_at(mc, 23);
	CHECK(it != NULL && it->kind == MC_CFTEXT && it->nlines == 1);
	CHECK_STR(it != NULL ? it->name : NULL, "LOCAL_CONFIG");
	it = item_at(mc, 25);
	CHECK(it != NULL && it->kind == MC_MAILER);
	it = item_at(mc, 27);
	CHECK(it != NULL && it->kind == MC_SECTION && it->nlines == 3);
	/* The define m4 reads last wins. */
	CHECK_STR(mc_define_value(mc, "confPRIVACY_FLAGS"),
	    "authwarnings,goaway,restrictqrun");
	it = mc_find_define(mc, "confPRIVACY_FLAGS");
	CHECK(it != NULL && it->line == 21);
	CHECK_STR(mc_define_value(mc, "confMAX_MESSAGE_SIZE"), "20000000");
	CHECK(mc_find_feature(mc, "redirect") != NULL);
	/* mc set changes that define, not the one it overrides. */
	CHECK(mc_define_set(mc, "confPRIVACY_FLAGS", "authwarnings,noexpn",
	    &cause) == 1);
	edit_delta(old.data, mc_text(mc, NULL), &rem, &add);
	CHECK_STR(rem.data, "define(`confPRIVACY_FLAGS', "
	    "`authwarnings,goaway,restrictqrun')dnl\n");
	CHECK_STR(add.data, "define(`confPRIVACY_FLAGS', "
	    "`authwarnings,noexpn')dnl\n");
	/* unset and feature off reach below LOCAL_CONFIG too. */
	CHECK(mc_define_unset(mc, "confMAX_MESSAGE_SIZE", &cause) == 1);
	CHECK(mc_define_value(mc, "confMAX_MESSAGE_SIZE") == NULL);
	CHECK(mc_feature_set(mc, "redirect", 0, NULL, &cause) == 1);
	CHECK(mc_find_feature(mc, "redirect") == NULL);
	CHECK(strstr(mc_text(mc, NULL), "D{SiteTag}north-3\n") != NULL);
	free(cause);
	buf_release(&old);
	buf_release(&rem);
	buf_release(&add);
	mc_free(mc);
}

TEST(mc_divert_sections)
{
	const char	*text =
	    "divert(0)dnl\n"
	    "divert(6)dnl\n"
	    "Kpass hash -o /x\n"
	    "FEATURE(`use_cw_file')dnl\n"
	    "Cw extra.example\n"
	    "divert(0)dnl\n"
	    "Cw not.in.a.section\n"
	    "LOCAL_RULESETS\n"
	    "SLocal_check_relay\n"
	    "R$*\t$: $&{client_addr}\n"
	    "Kmap(x) hash /y\n"
	    "undefined_word(x)\n"
	    "  define(`confLOG_LEVEL', `9')dnl\n"
	    "MAILER_DEFINITIONS\n"
	    "Mlocal, P=/bin/true, A=true\n"
	    "MAILER(`smtp')dnl\n";
	struct mc		*mc;
	const struct mc_item	*it;
	size_t			 len;

	mc = mc_parse("t.mc", text, strlen(text));
	CHECK(memcmp(mc_text(mc, &len), text, strlen(text)) == 0 &&
	    len == strlen(text));
	it = item_at(mc, 3);
	CHECK(it != NULL && it->kind == MC_CFTEXT);
	it = item_at(mc, 4);
	CHECK(it != NULL && it->kind == MC_FEATURE);
	it = item_at(mc, 5);
	CHECK(it != NULL && it->kind == MC_CFTEXT);
	CHECK_STR(it != NULL ? it->name : NULL, "divert(6)");
	/* After divert(0) a plain line goes to the top of the cf. */
	it = item_at(mc, 7);
	CHECK(it != NULL && it->kind == MC_CFTEXT && it->nlines == 1);
	CHECK_STR(it != NULL ? it->name : NULL, "divert(0)");
	/* Rules, a "(" after a word that is no macro: all cf text. */
	it = item_at(mc, 8);
	CHECK(it != NULL && it->kind == MC_SECTION && it->nlines == 5);
	it = item_at(mc, 13);
	CHECK(it != NULL && it->kind == MC_DEFINE);
	CHECK_STR(mc_define_value(mc, "confLOG_LEVEL"), "9");
	it = item_at(mc, 14);
	CHECK(it != NULL && it->kind == MC_SECTION && it->nlines == 2);
	it = item_at(mc, 16);
	CHECK(it != NULL && it->kind == MC_MAILER);
	mc_free(mc);
}

TEST(mc_divert_zero_and_discarded)
{
	const char	*text =
	    "Cw at.the.top\n"
	    "divert(-1)\n"
	    "Any words here\n"
	    "R$* never read\n"
	    "# a comment\n"
	    "divert(0)dnl\n"
	    "SITECONFIG\n"
	    "Kmine hash /etc/mail/mine\n"
	    "$* more\n"
	    "FEATURE(`use_cw_file')dnl\n"
	    "ifdef(`confX', `', `define(`confMAX_HOP', `20')')dnl\n";
	struct mc		*mc;
	const struct mc_item	*it;
	size_t			 len;

	mc = mc_parse("t.mc", text, strlen(text));
	CHECK(memcmp(mc_text(mc, &len), text, strlen(text)) == 0 &&
	    len == strlen(text));
	/* Before any divert(), m4 is in diversion 0. */
	it = item_at(mc, 1);
	CHECK(it != NULL && it->kind == MC_CFTEXT);
	CHECK_STR(it != NULL ? it->name : NULL, "divert(0)");
	/* divert(-1): thrown away, # comment included in the run. */
	it = item_at(mc, 3);
	CHECK(it != NULL && it->kind == MC_DISCARDED && it->nlines == 3);
	CHECK_STR(mc_kind_name(MC_DISCARDED), "discarded");
	/* A bare macro name stays a word; the text after it is cf text. */
	it = item_at(mc, 7);
	CHECK(it != NULL && it->kind == MC_WORD);
	it = item_at(mc, 8);
	CHECK(it != NULL && it->kind == MC_CFTEXT && it->nlines == 2);
	it = item_at(mc, 10);
	CHECK(it != NULL && it->kind == MC_FEATURE);
	/* A define that ifdef() makes: m4 decides it. */
	it = mc_define_by_m4(mc, "confMAX_HOP");
	CHECK(it != NULL && it->line == 11);
	CHECK(mc_define_by_m4(mc, "confMAX_HOPS") == NULL);
	CHECK(mc_define_by_m4(mc, "confX") != NULL);
	CHECK(mc_define_by_m4(mc, "use_cw_file") == NULL);
	mc_free(mc);
	/* An mc's own include(cf.m4) leaves m4 in diversion 0. */
	text = "divert(-1)\n"
	    "include(`/usr/share/sendmail/cf/m4/cf.m4')\n"
	    "Cwlocalhost.localdomain\n";
	mc = mc_parse("t.mc", text, strlen(text));
	it = item_at(mc, 3);
	CHECK(it != NULL && it->kind == MC_CFTEXT);
	mc_free(mc);
}

TEST(mc_set_after_ifdef)
{
	const char	*text =
	    "define(`confMAX_HOP', `10')dnl\n"
	    "FEATURE(`use_cw_file')dnl\n"
	    "ifdef(`confX', `', `define(`confMAX_HOP', `20')')dnl\n"
	    "undefine(`confMAX_HOP')dnl\n"
	    "MAILER(`smtp')dnl\n";
	struct mc		*mc;
	const struct mc_item	*it, *by;
	char			*cause = NULL;

	mc = mc_parse("t.mc", text, strlen(text));
	/* The plain define comes before the ifdef: m4 decides. */
	by = mc_define_by_m4(mc, "confMAX_HOP");
	CHECK(by != NULL && by->line == 3);
	CHECK(mc_define_set(mc, "confMAX_HOP", "40", &cause) == 1);
	/* The new define follows the ifdef; the undefine is gone. */
	CHECK_STR(mc_text(mc, NULL),
	    "define(`confMAX_HOP', `10')dnl\n"
	    "FEATURE(`use_cw_file')dnl\n"
	    "ifdef(`confX', `', `define(`confMAX_HOP', `20')')dnl\n"
	    "define(`confMAX_HOP', `40')dnl\n"
	    "MAILER(`smtp')dnl\n");
	it = mc_find_define(mc, "confMAX_HOP");
	by = mc_define_by_m4(mc, "confMAX_HOP");
	CHECK(it != NULL && by != NULL && it->off > by->off);
	/* Now the plain define wins: set changes it in place. */
	CHECK(mc_define_set(mc, "confMAX_HOP", "41", &cause) == 1);
	CHECK(strstr(mc_text(mc, NULL), "`40'") == NULL &&
	    strstr(mc_text(mc, NULL), "ifdef(`confX', `', `define(`confMAX_HOP',"
	    " `20')')dnl\ndefine(`confMAX_HOP', `41')dnl\n") != NULL);
	free(cause);
	mc_free(mc);
}

TEST(mc_double_quotes)
{
	const char	*text =
	    "define(`confDEF_USER_ID', ``8:12'')dnl\n"
	    "define(`CERT_DIR', `MAIL_SETTINGS_DIR`'certs')dnl\n"
	    "define(`confTRUSTED_USERS', ``a'`b'')dnl\n"
	    "define(`confMAX_HOP', `30')dnl\n"
	    "FEATURE(`access_db', ``hash -o /etc/mail/access'')dnl\n"
	    "ifdef(`x', ``y'')dnl\n";
	struct mc		*mc;
	const struct mc_item	*it;
	char			*cause = NULL;

	mc = mc_parse("t.mc", text, strlen(text));
	CHECK_STR(mc_define_value(mc, "confDEF_USER_ID"), "8:12");
	it = mc_find_define(mc, "confDEF_USER_ID");
	CHECK(it != NULL && it->args[1].quoted == 2);
	/* Quotes around a part are m4 at work: kept as written. */
	CHECK_STR(mc_define_value(mc, "CERT_DIR"),
	    "MAIL_SETTINGS_DIR`'certs");
	CHECK_STR(mc_define_value(mc, "confTRUSTED_USERS"), "`a'`b'");
	CHECK_STR(mc_define_value(mc, "confMAX_HOP"), "30");
	it = mc_find_feature(mc, "access_db");
	CHECK_STR(it != NULL ? it->args[1].value : NULL,
	    "hash -o /etc/mail/access");
	/* Not a value the cf receives: an ifdef's arguments stay. */
	it = item_at(mc, 6);
	CHECK_STR(it != NULL && it->nargs == 2 ? it->args[1].value : NULL,
	    "`y'");
	/* The same value is no change; a new one keeps both quotes. */
	CHECK(mc_define_set(mc, "confDEF_USER_ID", "8:12", &cause) == 0);
	CHECK(mc_define_set(mc, "confDEF_USER_ID", "0:0", &cause) == 1);
	CHECK(strncmp(mc_text(mc, NULL),
	    "define(`confDEF_USER_ID', ``0:0'')dnl\n", 38) == 0);
	CHECK_STR(mc_define_value(mc, "confDEF_USER_ID"), "0:0");
	CHECK(mc_define_set(mc, "confMAX_HOP", "30", &cause) == 0);
	CHECK(mc_define_set(mc, "confMAX_HOP", "31", &cause) == 1);
	CHECK(strstr(mc_text(mc, NULL), "define(`confMAX_HOP', `31')dnl\n") !=
	    NULL);
	free(cause);
	mc_free(mc);
}

TEST(mc_two_calls_on_a_line)
{
	const char	*text = "MAILER(smtp)dnl\n"
	    "FEATURE(masquerade_envelope) FEATURE(`genericstable')\n"
	    "FEATURE(`a') dnl FEATURE(`b')\n"
	    "define(`confX', `1') Kmap hash /x\n";
	struct mc	*mc;

	mc = mc_parse("t.mc", text, strlen(text));
	CHECK(mc->warnings.n == 1);
	CHECK(mc->warnings.n == 1 && strstr(mc->warnings.v[0], "t.mc:2: "
	    "FEATURE(...) after FEATURE(...) on the same line") != NULL);
	mc_free(mc);
}
