/*
 * unit_rules.c: the rules file parser and matcher (bin/rules.c).
 *
 * Each test writes its rules to a fresh scratch directory and applies
 * them to a made-up ticket whose headers are a name, value list; the
 * Tkt-Flags cases parse a real ticket and see it through
 * tkt_rules_get.  Errors are caught by pointing stderr at a scratch
 * file.
 */

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "../bin/tkt.h"
#include "unit.h"

struct fake {
	const char *const *hdr;		/* name, value, ..., NULL */
	const char *body;
};

static char dir[64];
static char rpath[96];

static void
setup(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, sizeof dir, "%s/tkt-rules.XXXXXX",
	    tmp != NULL && *tmp != '\0' && strlen(tmp) < 40 ? tmp : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(rpath, sizeof rpath, "%s/rules", dir);
}

static void
teardown(void)
{
	unlink(rpath);
	rmdir(dir);
}

/* Case-insensitive names, as tkt_ticket_get will compare them. */
static const char *
get(void *arg, const char *field, size_t i)
{
	const struct fake *t = arg;
	const char *const *h;

	if (strcmp(field, "body") == 0)
		return i == 0 ? t->body : NULL;
	for (h = t->hdr; h != NULL && *h != NULL; h += 2)
		if (strcasecmp(h[0], field) == 0 && i-- == 0)
			return h[1];
	return NULL;
}

static void
put(const char *text, size_t len)
{
	FILE *fp;

	ck_assert_ptr_nonnull(fp = fopen(rpath, "w"));
	ck_assert_uint_eq(fwrite(text, 1, len, fp), len);
	ck_assert_int_eq(fclose(fp), 0);
}

static struct tkt_rules *
load(const char *text)
{
	struct tkt_rules *rs;

	put(text, strlen(text));
	rs = tkt_rules_load(rpath, TKT_MAXTIER);
	ck_assert_ptr_nonnull(rs);
	return rs;
}

/* Load path with stderr caught; return what was said, NUL-ended. */
static const char *
load_stderr(const char *path, struct tkt_rules **rsp)
{
	capture();
	*rsp = tkt_rules_load(path, TKT_MAXTIER);
	return captured();
}

/* The one line of stderr must be "prog: want\n". */
static void
expect_said(const char *said, const char *want)
{
	const char *msg;

	msg = strstr(said, ": ");
	ck_assert_ptr_nonnull(msg);
	ck_assert_str_eq(msg + 2, want);
	ck_assert_ptr_eq(strchr(said, '\n'), said + strlen(said) - 1);
}

static void
expect_error(const char *text, size_t len, int line, const char *reason)
{
	struct tkt_rules *rs;
	char want[512];

	put(text, len);
	snprintf(want, sizeof want, "%s: line %d: %s\n", rpath, line, reason);
	expect_said(load_stderr(rpath, &rs), want);
	ck_assert_ptr_null(rs);
}

/* Every route also checks that tkt_rules_key gives its key and recovery. */
static int
route(const struct tkt_rules *rs, const struct fake *t, struct tkt_route *o)
{
	struct tkt_route k;
	int n;

	n = tkt_rules_apply(rs, get, (void *)t, o, NULL);
	memset(k.key, 'x', sizeof k.key);
	tkt_rules_key(rs, get, (void *)t, &k);
	ck_assert_str_eq(k.key, o->key);
	ck_assert_int_eq(k.recovery, o->recovery);
	return n;
}

static const char *const fw_hdr[] = {
	"From", "Ops <ops@acme.example>",
	"Subject", "FortiGate firewall down",
	NULL
};

static const char design_rules[] =
    "# Firewalls and servers start in tier 2.\n"
    "match Subject /firewall|fortigate|server/i\n"
    "match From !/@example\\.com$/\n"
    "set category network\n"
    "set tier 2\n"
    "stop\n"
    "\n"
    "match From /@acme\\.example>?$/i\n"
    "set client acme\n";

START_TEST(test_empty)
{
	struct fake t = { fw_hdr, "" };
	struct tkt_route o;
	struct tkt_rules *rs;

	rs = load("# nothing yet\n\n   # indented comment\n\t\n");
	o.tier = 7;
	o.line = 7;
	ck_assert_int_eq(route(rs, &t, &o), 0);
	ck_assert_int_eq(o.tier, 0);
	ck_assert_int_eq(o.line, 0);
	ck_assert_ptr_null(o.client);
	ck_assert_ptr_null(o.category);
	ck_assert_ptr_null(o.priority);
	tkt_rules_free(rs);
	rs = load("");
	ck_assert_int_eq(route(rs, &t, &o), 0);
	tkt_rules_free(rs);
}
END_TEST

START_TEST(test_design_example)
{
	static const char *const plain[] = {
		"From", "Carol <carol@acme.example>",
		"Subject", "printer jams",
		NULL
	};
	struct fake fw = { fw_hdr, "" }, pr = { plain, "" };
	struct tkt_route o;
	struct tkt_rules *rs;

	rs = load(design_rules);
	ck_assert_int_eq(route(rs, &fw, &o), 1);
	ck_assert_int_eq(o.tier, 2);
	ck_assert_str_eq(o.category, "network");
	ck_assert_ptr_null(o.client);
	ck_assert_ptr_null(o.priority);
	ck_assert_int_eq(o.line, 2);
	ck_assert_int_eq(route(rs, &pr, &o), 1);
	ck_assert_int_eq(o.tier, 0);
	ck_assert_str_eq(o.client, "acme");
	ck_assert_int_eq(o.line, 8);
	tkt_rules_free(rs);
}
END_TEST

START_TEST(test_override)
{
	struct fake t = { fw_hdr, "" };
	struct tkt_route o;
	struct tkt_rules *rs;

	rs = load("set client nobody\nset priority 3\n"
	    "\n\n\n"
	    "match Subject /down/\nset priority 1\nset tier 3\n"
	    "\n"
	    "match Subject /nothing like it/\nset tier 1\n"
	    "\n"
	    "# a comment ahead of the rule does not count\n"
	    "match From /acme/\nset tier 2\nset client acme\n");
	ck_assert_int_eq(route(rs, &t, &o), 3);
	ck_assert_int_eq(o.tier, 2);
	ck_assert_str_eq(o.client, "acme");
	ck_assert_str_eq(o.priority, "1");
	ck_assert_ptr_null(o.category);
	ck_assert_int_eq(o.line, 14);
	tkt_rules_free(rs);
}
END_TEST

START_TEST(test_stop)
{
	struct fake t = { fw_hdr, "" };
	struct tkt_route o;
	struct tkt_rules *rs;

	rs = load("match Subject /firewall/\nstop\nset tier 3\n\n"
	    "set tier 1\nset client late\n");
	ck_assert_int_eq(route(rs, &t, &o), 1);
	ck_assert_int_eq(o.tier, 3);
	ck_assert_ptr_null(o.client);
	ck_assert_int_eq(o.line, 1);
	tkt_rules_free(rs);

	/* A stop on its own ends the rules for every ticket. */
	rs = load("set tier 2\n\nstop\n\nset tier 3\n");
	ck_assert_int_eq(route(rs, &t, &o), 2);
	ck_assert_int_eq(o.tier, 2);
	ck_assert_int_eq(o.line, 3);
	tkt_rules_free(rs);

	/* Conditions and only a stop: an exception to later rules. */
	rs = load("match From /acme/\nstop\n\nset tier 3\n");
	ck_assert_int_eq(route(rs, &t, &o), 1);
	ck_assert_int_eq(o.tier, 0);
	ck_assert_int_eq(o.line, 1);
	tkt_rules_free(rs);
}
END_TEST

START_TEST(test_negation)
{
	static const char *const none[] = { "Subject", "hi", NULL };
	static const char *const yes[] = {
		"X-Spam", "no", "x-spam", "yes", NULL
	};
	static const char *const no[] = { "X-SPAM", "no", NULL };
	struct fake t0 = { none, "" }, t1 = { yes, "" }, t2 = { no, "" };
	struct tkt_route o;
	struct tkt_rules *rs;

	rs = load("match X-Spam !/^yes$/\nset tier 2\n");
	ck_assert_int_eq(route(rs, &t0, &o), 1);
	ck_assert_int_eq(o.tier, 2);
	ck_assert_int_eq(route(rs, &t1, &o), 0);
	ck_assert_int_eq(o.tier, 0);
	ck_assert_int_eq(route(rs, &t2, &o), 1);
	tkt_rules_free(rs);

	/* A plain condition on an absent field fails. */
	rs = load("match X-Spam /./\nset tier 2\n");
	ck_assert_int_eq(route(rs, &t0, &o), 0);
	ck_assert_int_eq(route(rs, &t2, &o), 1);
	tkt_rules_free(rs);
}
END_TEST

START_TEST(test_icase)
{
	static const char *const hdr[] = { "subject", "FIREWALL", NULL };
	struct fake t = { hdr, "" };
	struct tkt_route o;
	struct tkt_rules *rs;

	rs = load("match SUBJECT /firewall/\nset tier 2\n\n"
	    "match Subject /firewall/i\nset client a\n\n"
	    "match Subject !/firewall/i\nset category b\n\n"
	    "match Subject !/firewall/\nset priority c\n");
	ck_assert_int_eq(route(rs, &t, &o), 2);
	ck_assert_int_eq(o.tier, 0);
	ck_assert_str_eq(o.client, "a");
	ck_assert_ptr_null(o.category);
	ck_assert_str_eq(o.priority, "c");
	tkt_rules_free(rs);
}
END_TEST

START_TEST(test_body)
{
	static const char *const hdr[] = { "Subject", "RMM alert", NULL };
	struct fake t = { hdr, "Host: web1\nSeverity: Critical\nbye\n" };
	struct tkt_route o;
	struct tkt_rules *rs;

	/* "Body" is the body, in any case; ^ and $ match at each line. */
	rs = load("match Body /^severity: critical$/i\nset priority 1\n\n"
	    "match body /^Host: web1$/\nset client web\n\n"
	    "match body /web1.Severity/\nset tier 3\n\n"
	    "match body /^severity/\nset category wrong-case\n");
	ck_assert_int_eq(route(rs, &t, &o), 2);
	ck_assert_str_eq(o.priority, "1");
	ck_assert_str_eq(o.client, "web");
	ck_assert_int_eq(o.tier, 0);
	ck_assert_ptr_null(o.category);
	tkt_rules_free(rs);
}
END_TEST

START_TEST(test_values)
{
	static const char *const hdr[] = {
		"Received", "from a.example",
		"Subject", "hello",
		"Received", "from relay.acme.example",
		"Received", "from c.example",
		NULL
	};
	struct fake t = { hdr, "" };
	struct tkt_route o;
	struct tkt_rules *rs;

	rs = load("match Received /relay\\.acme/\nset client acme\n\n"
	    "match Received !/c\\.example/\nset tier 3\n\n"
	    "match Received !/nowhere/\nset tier 2\n");
	ck_assert_int_eq(route(rs, &t, &o), 2);
	ck_assert_str_eq(o.client, "acme");
	ck_assert_int_eq(o.tier, 2);
	tkt_rules_free(rs);
}
END_TEST

START_TEST(test_regex_text)
{
	static const char *const hdr[] = {
		"Subject", "re: ticket #42 a/b/c",
		"From", "x@y",
		NULL
	};
	struct fake t = { hdr, "" };
	struct tkt_route o;
	struct tkt_rules *rs;

	/* Slashes, a '#', blanks and a CRLF line end; no trailing comment. */
	rs = load("  match Subject /#42 a/b/c$/  \n"
	    "\t# a comment inside a rule\n"
	    "match Subject /a\\/b\\/c/\r\n"
	    "match Subject /[\\/]b/\n"
	    "set  client\t Acme  Corp  # big\n"
	    "\n"
	    "match From /\\\\/\nset tier 3\n");
	ck_assert_int_eq(route(rs, &t, &o), 1);
	ck_assert_str_eq(o.client, "Acme  Corp  # big");
	ck_assert_int_eq(o.tier, 0);
	ck_assert_int_eq(o.line, 1);
	tkt_rules_free(rs);
}
END_TEST

START_TEST(test_long_line)
{
	struct fake t = { fw_hdr, "" };
	struct tkt_route o;
	struct tkt_rules *rs;
	char *text, *v;
	size_t n;

	n = 100000;
	text = malloc(n + 64);
	ck_assert_ptr_nonnull(text);
	strcpy(text, "match Subject /firewall/\nset category ");
	v = text + strlen(text);
	memset(v, 'x', n);
	strcpy(v + n, "\nset tier 9\n");
	rs = load(text);
	ck_assert_int_eq(route(rs, &t, &o), 1);
	ck_assert_uint_eq(strlen(o.category), n);
	ck_assert_int_eq(o.tier, TKT_MAXTIER);
	tkt_rules_free(rs);
	free(text);
}
END_TEST

/* A group glibc says ends before it starts captured nothing. */
START_TEST(test_backref_group)
{
	static const char *const hdr[] = { "Subject", "hi", NULL };
	struct fake t = { hdr, "" };
	struct tkt_route o;
	struct tkt_rules *rs;

	rs = load("match Subject /()(()+)\\1/\nset key k:\\2\n"
	    "set category x\n");
	ck_assert_int_eq(route(rs, &t, &o), 1);
	ck_assert_str_eq(o.category, "x");
	ck_assert_str_eq(o.key, "k:");
	tkt_rules_free(rs);
}
END_TEST

START_TEST(test_verbose)
{
	static const char *const hdr[] = { "From", "a@b.example", NULL };
	struct fake t = { hdr, "" };
	struct tkt_route o;
	struct tkt_rules *rs;
	char *out, want[1024];
	size_t len;
	FILE *fp;

	rs = load(design_rules);
	ck_assert_ptr_nonnull(fp = open_memstream(&out, &len));
	ck_assert_int_eq(tkt_rules_apply(rs, get, &t, &o, fp), 0);
	ck_assert_int_eq(fflush(fp), 0);
	ck_assert_uint_eq(len, 0);
	ck_assert_int_eq(tkt_rules_apply(rs, get, (void *)&(struct fake){
	    fw_hdr, "" }, &o, fp), 1);
	fclose(fp);
	snprintf(want, sizeof want, "%s:2: matched ("
	    "Subject /firewall|fortigate|server/i, "
	    "From !/@example\\.com$/): tier=2 category=network stop\n", rpath);
	ck_assert_str_eq(out, want);
	free(out);
	tkt_rules_free(rs);

	rs = load("set client acme\nset priority 3\n");
	ck_assert_ptr_nonnull(fp = open_memstream(&out, &len));
	ck_assert_int_eq(tkt_rules_apply(rs, get, &t, &o, fp), 1);
	fclose(fp);
	snprintf(want, sizeof want, "%s:1: matched (no conditions): "
	    "client=acme priority=3\n", rpath);
	ck_assert_str_eq(out, want);
	free(out);
	tkt_rules_free(rs);
}
END_TEST

/* The EXAMPLES of tkt-rules(5), in that order. */
START_TEST(test_man_examples)
{
	static const char *const fw[] = {
		"From", "ops@acme.example",
		"Subject", "FortiGate firewall rebooting", NULL
	};
	static const char *const boss[] = {
		"From", "Boss <boss@Example.com>",
		"Subject", "Server down!", NULL
	};
	static const char *const rmm[] = {
		"From", "rmm@monitor.example",
		"Subject", "[RMM] web1 CRITICAL: disk down", NULL
	};
	static const char *const dl[] = {
		"From", "x@globex.example",
		"Subject", "Download fails", NULL
	};
	struct fake t1 = { fw, "" }, t2 = { boss, "" };
	struct fake t3 = { rmm, "Host: web1\nSite: Acme HQ\n" };
	struct fake t4 = { dl, "" };
	struct tkt_route o;
	struct tkt_rules *rs;

	rs = load("# Network gear goes straight to the network team.\n"
	    "match Subject /firewall|fortigate|server/i\n"
	    "match From !/@example\\.com>?$/i\n"
	    "set tier 2\nset category network\n\n"
	    "match From /@acme\\.example>?$/i\nset client acme\n\n"
	    "match From /@(mail\\.)?globex\\.example>?$/i\n"
	    "set client globex\n\n"
	    "match From /^rmm@monitor\\.example$/\n"
	    "match Subject /^\\[RMM\\] .*CRITICAL/\n"
	    "match body /^Site: Acme HQ$/\n"
	    "set client acme\nset category monitoring\nset tier 2\nstop\n\n"
	    "match Subject /(^|[^a-z])down([^a-z]|$)/i\nset priority 1\n");
	ck_assert_int_eq(route(rs, &t1, &o), 2);
	ck_assert_int_eq(o.tier, 2);
	ck_assert_str_eq(o.category, "network");
	ck_assert_str_eq(o.client, "acme");
	ck_assert_ptr_null(o.priority);
	ck_assert_int_eq(route(rs, &t2, &o), 1);
	ck_assert_int_eq(o.tier, 0);
	ck_assert_str_eq(o.priority, "1");
	ck_assert_int_eq(o.line, 21);
	ck_assert_int_eq(route(rs, &t3, &o), 1);
	ck_assert_int_eq(o.line, 13);
	ck_assert_str_eq(o.client, "acme");
	ck_assert_str_eq(o.category, "monitoring");
	ck_assert_ptr_null(o.priority);
	ck_assert_int_eq(route(rs, &t4, &o), 1);
	ck_assert_str_eq(o.client, "globex");
	ck_assert_ptr_null(o.priority);
	tkt_rules_free(rs);
}
END_TEST

/*
 * Keys: each case is a rules file, the Subject and body of a ticket
 * whose From is "rmm@monitor.example" and whose Received fields are
 * "from a.example" and "from relay.acme.example", and the key that
 * comes of them.
 */
static const struct {
	const char *rules;
	const char *subject;
	const char *body;
	const char *key;
} keycase[] = {
	{ "match Subject /^([a-z]+) ([a-z]+)/\nset key \\2.\\1\n",
	    "hello world", "", "world.hello" },
	/* \\ is a backslash, so \\1 is a backslash and a 1. */
	{ "set key a\\\\b\\\\\\\\c\\\\\n", "x", "", "a\\b\\\\c\\" },
	{ "match Subject /(x)/\nset key \\\\1=\\\\\\1\n", "x", "",
	    "\\1=\\x" },
	/* A group that took no part in the match is empty. */
	{ "match Subject /(a)|(b)/\nset key [\\1][\\2]\n", "b", "", "[][b]" },
	{ "match Subject /^(x)?(b)/\nset key [\\1][\\2]\n", "b", "",
	    "[][b]" },
	{ "match Subject /^(x*)/\nset key <\\1>\n", "abc", "", "<>" },
	/* So is one beyond the rule's groups. */
	{ "match Subject /(b)/\nset key \\1\\2\\9.\n", "b", "", "b." },
	{ "match Subject /b/\nset key static key\n", "b", "", "static key" },
	{ "set key \\3\n", "b", "", "" },
	/* Groups count on across lines; negated lines capture nothing. */
	{ "match Subject /^(RMM) (web[0-9]+)/\n"
	    "match From !/(nobody)/\n"
	    "match X-Site !/(x)/\n"
	    "match From /^([a-z]+)@/\n"
	    "match body /^Check: ([a-z]+)$/\n"
	    "set key \\4-\\3-\\2-\\1-\\5\n",
	    "RMM web1 down", "Host: web1\nCheck: disk\n",
	    "disk-rmm-web1-RMM-" },
	/* The order of lines, not of the key's references, counts. */
	{ "set key \\2/\\1\n"
	    "match body /^Host: (.*)$/\n"
	    "match Subject /^(.*) down$/\n",
	    "RMM web1 down", "x\nHost: web1\nmore\n", "RMM web1/web1" },
	/* At most nine: the tenth and later groups are dropped. */
	{ "match Subject /(a)(b)(c)(d)(e)/\n"
	    "match Subject /(f)(g)(h)(i)(j)(k)/\n"
	    "set key \\1\\5\\6\\9\n", "abcdefghijk", "", "aefi" },
	/* The first value that matches gives the groups. */
	{ "match Received /^from ([a-z]+)\\.(acme|example)/\n"
	    "set key \\1:\\2\n", "x", "", "a:example" },
	{ "match Received /^from ([a-z]+)\\.acme/\nset key \\1\n", "x", "",
	    "relay" },
	/* Groups keep the text's case under the i flag. */
	{ "match Subject /^(WEB[0-9])/i\nset key \\1\n", "web1 down", "",
	    "web1" },
	/* The last matching rule that sets a key gives it. */
	{ "match Subject /(web[0-9]+)/\nset key first:\\1\n\n"
	    "match Subject /(disk|cpu)/\nset key second:\\1\n\n"
	    "match Subject /nothing/\nset key third\n\n"
	    "match Subject /web/\nset tier 2\n",
	    "web1 disk full", "", "second:disk" },
	/* A rule that does not match gives no key, whatever it captured. */
	{ "match Subject /(web[0-9]+)/\nmatch From /nobody/\n"
	    "set key bad:\\1\n", "web1", "", "" },
	{ "match Subject /nothing/\nset tier 2\n", "web1", "", "" },
};

START_TEST(test_key)
{
	const char *hdr[] = {
		"From", "rmm@monitor.example",
		"Received", "from a.example",
		"Subject", keycase[_i].subject,
		"Received", "from relay.acme.example",
		NULL
	};
	struct fake t = { hdr, keycase[_i].body };
	struct tkt_route o;
	struct tkt_rules *rs;

	rs = load(keycase[_i].rules);
	memset(o.key, 'x', sizeof o.key);
	route(rs, &t, &o);
	ck_assert_str_eq(o.key, keycase[_i].key);
	ck_assert_int_eq(o.recovery, 0);
	tkt_rules_free(rs);
}
END_TEST

/*
 * tkt_rules_key skips the rules that set neither key nor recovery, but
 * not their stop, and tries no rule after the last that sets one.
 */
static const struct {
	const char *rules;
	const char *key;
	int	 recovery;
} stopcase[] = {
	{ "match Subject /web/\nstop\n\nmatch Subject /(web)/\nset key k\\1\n",
	    "", 0 },
	{ "match Subject /nothing/\nstop\n\n"
	    "match Subject /(web)1/\nset key k\\1\n", "kweb", 0 },
	{ "match Subject /(web)/\nset key k\\1\n\nmatch Subject /1/\nstop\n\n"
	    "match Subject /down/\nset key later\nrecovery\n", "kweb", 0 },
	{ "match Subject /web/\nset tier 2\n\nmatch Subject /down$/\n"
	    "recovery\nstop\n\nmatch Subject /web/\nset key no\n", "", 1 },
	{ "match Subject /^(web[0-9]) (down)/\nmatch From !/(zz)/\n"
	    "set key \\2:\\1\n\nmatch Subject /web/\nstop\n", "down:web1", 0 },
	{ "match Subject /(web)/\nset key a\\1\nstop\n\n"
	    "match Subject /web/\nset key b\n", "aweb", 0 }
};

START_TEST(test_key_stop)
{
	static const char *const hdr[] = {
		"From", "rmm@monitor.example", "Subject", "web1 down", NULL
	};
	struct fake t = { hdr, "" };
	struct tkt_route o;
	struct tkt_rules *rs;

	rs = load(stopcase[_i].rules);
	route(rs, &t, &o);
	ck_assert_str_eq(o.key, stopcase[_i].key);
	ck_assert_int_eq(o.recovery, stopcase[_i].recovery);
	tkt_rules_free(rs);
}
END_TEST

/* Keys are cut at the 511 bytes struct tkt_route has room for. */
START_TEST(test_key_long)
{
	static const char *hdr[] = { "Subject", NULL, NULL };
	struct fake t = { hdr, "" };
	struct tkt_route o;
	struct tkt_rules *rs;
	char subj[1001];

	memset(subj, 'x', 1000);
	subj[1000] = '\0';
	hdr[1] = subj;
	rs = load("match Subject /^(x*)$/\nset key k:\\1\\1\n");
	ck_assert_int_eq(route(rs, &t, &o), 1);
	ck_assert_uint_eq(strlen(o.key), sizeof o.key - 1);
	ck_assert_uint_eq(strspn(o.key + 2, "x"), sizeof o.key - 3);
	ck_assert_mem_eq(o.key, "k:x", 3);
	tkt_rules_free(rs);
}
END_TEST

/* The man page's Nagios example: a problem and its recovery. */
START_TEST(test_recovery)
{
	static const char *const problem[] = {
		"From", "Nagios <nagios@monitor.acme.example>",
		"Subject", "** PROBLEM Service Alert: web01/Disk /var is "
		"CRITICAL **", NULL
	};
	static const char *const recovered[] = {
		"From", "Nagios <nagios@monitor.acme.example>",
		"Subject", "** RECOVERY Service Alert: web01/Disk /var is "
		"OK **",
		NULL
	};
	static const char *const other[] = {
		"From", "Nagios <nagios@monitor.acme.example>",
		"Subject", "weekly report", NULL
	};
	struct fake t1 = { problem, "" }, t2 = { recovered, "" };
	struct fake t3 = { other, "" };
	struct tkt_route o;
	struct tkt_rules *rs;

	rs = load("match From /^Nagios <nagios@monitor\\.acme\\.example>$/\n"
	    "match Subject /^\\*\\* PROBLEM Service Alert: ([^/]+)/(.*) is "
	    "(WARNING|CRITICAL|UNKNOWN) \\*\\*$/\n"
	    "set key nagios:\\1:\\2\n"
	    "set category monitoring\n"
	    "\n"
	    "match From /^Nagios <nagios@monitor\\.acme\\.example>$/\n"
	    "match Subject /^\\*\\* RECOVERY Service Alert: ([^/]+)/(.*) is "
	    "OK \\*\\*$/\n"
	    "set key nagios:\\1:\\2\n"
	    "recovery\n");
	ck_assert_int_eq(route(rs, &t1, &o), 1);
	ck_assert_str_eq(o.key, "nagios:web01:Disk /var");
	ck_assert_int_eq(o.recovery, 0);
	ck_assert_str_eq(o.category, "monitoring");
	ck_assert_int_eq(o.line, 1);
	ck_assert_int_eq(route(rs, &t2, &o), 1);
	ck_assert_str_eq(o.key, "nagios:web01:Disk /var");
	ck_assert_int_eq(o.recovery, 1);
	ck_assert_ptr_null(o.category);
	ck_assert_int_eq(o.line, 6);
	ck_assert_int_eq(route(rs, &t3, &o), 0);
	ck_assert_str_eq(o.key, "");
	ck_assert_int_eq(o.recovery, 0);
	tkt_rules_free(rs);
}
END_TEST

/*
 * recovery is enough for a rule with conditions; a later rule without
 * it does not take it back; and its place in the rule does not matter.
 */
START_TEST(test_recovery_only)
{
	static const char text[] = "recovery\nmatch Subject /OK$/\n\n"
	    "set tier 2\n";
	static const char *const ok[] = { "Subject", "web1 is OK", NULL };
	static const char *const down[] = { "Subject", "web1 down", NULL };
	struct fake t1 = { ok, "" }, t2 = { down, "" };
	struct tkt_route o;
	struct tkt_rules *rs;

	put(text, sizeof text - 1);
	capture();
	rs = tkt_rules_load(rpath, TKT_MAXTIER);
	ck_assert_str_eq(captured(), "");
	ck_assert_ptr_nonnull(rs);
	ck_assert_int_eq(route(rs, &t1, &o), 2);
	ck_assert_int_eq(o.recovery, 1);
	ck_assert_int_eq(o.tier, 2);
	ck_assert_str_eq(o.key, "");
	ck_assert_int_eq(o.line, 4);
	ck_assert_int_eq(route(rs, &t2, &o), 1);
	ck_assert_int_eq(o.recovery, 0);
	tkt_rules_free(rs);
	rs = load("recovery\n");
	ck_assert_int_eq(route(rs, &t2, &o), 1);
	ck_assert_int_eq(o.recovery, 1);
	tkt_rules_free(rs);
}
END_TEST

START_TEST(test_verbose_key)
{
	static const char *const hdr[] = { "Subject", "web1 OK", NULL };
	struct fake t = { hdr, "" };
	struct tkt_route o;
	struct tkt_rules *rs;
	char *out, want[1024];
	size_t len;
	FILE *fp;

	rs = load("match Subject /^([a-z0-9]+) OK$/\nrecovery\n"
	    "set key host:\\1\\\\\n");
	ck_assert_ptr_nonnull(fp = open_memstream(&out, &len));
	ck_assert_int_eq(tkt_rules_apply(rs, get, &t, &o, fp), 1);
	fclose(fp);
	snprintf(want, sizeof want, "%s:1: matched (Subject "
	    "/^([a-z0-9]+) OK$/): key=host:\\1\\\\ recovery\n", rpath);
	ck_assert_str_eq(out, want);
	ck_assert_str_eq(o.key, "host:web1\\");
	free(out);
	tkt_rules_free(rs);
}
END_TEST

/*
 * What tkt_rules_get shows of a parsed ticket: as Tkt-Flags the flag of
 * its first event, the one that created it, never a later mail's.
 */
static const char flagged[] =
    "From: Out of Office <ooo@acme.example>\n"
    "Subject: Auto: away\n"
    "Tkt-Log: 2026-12-04T16:03:02Z created by=mail flag=auto,bulk\n"
    "Tkt-Log: 2026-12-04T16:05:00Z routed by=rules:1 client=acme\n"
    "Tkt-Log: 2026-12-04T16:07:00Z mailed by=mail flag=list\n"
    "\n"
    "I am away.\n";

static const char unflagged[] =
    "From: Ann <ann@acme.example>\n"
    "Subject: printer\n"
    "Tkt-Log: 2026-12-04T16:03:02Z created by=mail\n"
    "Tkt-Log: 2026-12-04T16:07:00Z mailed by=mail flag=auto\n"
    "\n"
    "It jams.\n";

static const struct {
	const char *ticket;
	const char *rules;
	int n;				/* rules that match */
	const char *key;
} flagcase[] = {
	{ flagged, "match Tkt-Flags /(^|,)auto(,|$)/\nset key f\n", 1, "f" },
	{ flagged, "match tkt-flags /^([a-z]+),([a-z]+)$/\n"
	    "set key \\2+\\1\n", 1, "bulk+auto" },
	{ flagged, "match Tkt-Flags /list/\nset key f\n", 0, "" },
	{ flagged, "match Tkt-Flags !/list/\nset key f\n", 1, "f" },
	{ unflagged, "match Tkt-Flags /./\nset key f\n", 0, "" },
	{ unflagged, "match Tkt-Flags /auto/\nset key f\n", 0, "" },
	{ unflagged, "match Tkt-Flags !/./\nset key f\n", 1, "f" },
	/* The rest of the view, for a key made from it. */
	{ flagged, "match Tkt-Client /^(acme)$/\n"
	    "match From /<([^@]+)@/\nmatch body /^I am (.*)\\.$/\n"
	    "set key \\1:\\2:\\3\n", 1, "acme:ooo:away" },
	{ unflagged, "match Tkt-Client /./\nset key f\n", 0, "" },
};

START_TEST(test_flags)
{
	struct tkt_ticket t;
	struct tkt_view v;
	struct tkt_route o;
	struct tkt_rules *rs;
	char *buf;
	size_t len;

	len = strlen(flagcase[_i].ticket);
	ck_assert_ptr_nonnull(buf = strdup(flagcase[_i].ticket));
	ck_assert_int_eq(tkt_ticket_parse(&t, "t", buf, len, 1), 0);
	v.t = &t;
	tkt_ticket_state(&t, &v.st);
	rs = load(flagcase[_i].rules);
	ck_assert_int_eq(tkt_rules_apply(rs, tkt_rules_get, &v, &o, NULL),
	    flagcase[_i].n);
	ck_assert_str_eq(o.key, flagcase[_i].key);
	tkt_rules_free(rs);
	tkt_ticket_free(&t);
}
END_TEST

#define KEYBS	"in a key, \\ must be followed by a digit 1 to 9 or another \\"

static const struct {
	const char *text;
	int line;
	const char *reason;
} bad[] = {
	{ "mach Subject /x/\nset tier 2\n", 1, "unknown keyword \"mach\"" },
	{ "# c\n\nMatch Subject /x/\n", 3, "unknown keyword \"Match\"" },
	{ "set tier 2\nSTOP\n", 2, "unknown keyword \"STOP\"" },
	{ "set tier 0\n", 1, "tier must be 1 to 9" },
	{ "set tier 10\n", 1, "tier must be 1 to 9" },
	{ "set tier two\n", 1, "tier must be 1 to 9" },
	{ "set tier 2 3\n", 1, "tier must be 1 to 9" },
	{ "set tier -2\n", 1, "tier must be 1 to 9" },
	{ "set tier 99999999999999999999\n", 1, "tier must be 1 to 9" },
	{ "set tier\n", 1, "missing value" },
	{ "set tier 1\n\nset client \t \n", 3, "missing value" },
	{ "set category\n", 1, "missing value" },
	{ "set\n", 1, "missing field" },
	{ "set colour red\n", 1, "cannot set \"colour\"" },
	{ "set Tier 2\n", 1, "cannot set \"Tier\"" },
	{ "set tier 2\nset tier 3\n", 2, "tier set twice in one rule" },
	{ "set client a\nset client a\n", 2,
	    "client set twice in one rule" },
	{ "stop\nstop now\n", 2, "\"stop\" takes no arguments" },
	{ "match\n", 1, "missing field" },
	{ "match Subject:   /x/\nstop\n", 1,
	    "bad field name \"Subject:\"" },
	{ "match Subject\nstop\n", 1, "regex must be /.../" },
	{ "match Subject x\n", 1, "regex must be /.../" },
	{ "match Subject /x\n", 1, "regex must be /.../" },
	{ "match Subject !x/\n", 1, "regex must be /.../" },
	{ "match Subject ! /x/\n", 1, "regex must be /.../" },
	{ "match Subject \"/x/\"\n", 1, "regex must be /.../" },
	{ "match Subject /x/x\n", 1, "trailing flags \"x\" not understood" },
	{ "match Subject /x/ i\n", 1,
	    "trailing flags \" i\" not understood" },
	{ "match Subject /x/I\n", 1, "trailing flags \"I\" not understood" },
	{ "match Subject /x/ii\n", 1,
	    "trailing flags \"ii\" not understood" },
	{ "match Subject //\n", 1, "empty regular expression" },
	{ "match Subject !//i\n", 1, "empty regular expression" },
	{ "match Subject /x/\n", 1, "rule has conditions but nothing to do" },
	{ "set tier 1\n\n# why\nmatch Subject /x/\n# more\nmatch From /y/\n"
	    "\n\nset tier 2\n", 4, "rule has conditions but nothing to do" },
	{ "set key a\nset key b\n", 2, "key set twice in one rule" },
	{ "match Subject /(x)/\nset key \\1\nset tier 2\nset key \\1\n", 4,
	    "key set twice in one rule" },
	{ "set key\n", 1, "missing value" },
	{ "set key \t \n", 1, "missing value" },
	{ "set Key a\n", 1, "cannot set \"Key\"" },
	{ "set key a\\xb\n", 1, KEYBS },
	{ "set key \\0\n", 1, KEYBS },
	{ "set key abc\\\n", 1, KEYBS },
	{ "set key \\\\\\x\n", 1, KEYBS },
	{ "set key \\/\n", 1, KEYBS },
	{ "set key a \\ b\n", 1, KEYBS },
	{ "recovery x\n", 1, "\"recovery\" takes no arguments" },
	{ "match Subject /x/\nrecovery now\n", 2,
	    "\"recovery\" takes no arguments" },
	{ "Recovery\n", 1, "unknown keyword \"Recovery\"" },
};

START_TEST(test_errors)
{
	expect_error(bad[_i].text, strlen(bad[_i].text), bad[_i].line,
	    bad[_i].reason);
}
END_TEST

/* regerror's wording varies by libc; only the start is ours. */
START_TEST(test_bad_regex)
{
	static const char text[] =
	    "set tier 1\n\nmatch Subject /(a/\nset tier 2\n";
	struct tkt_rules *rs;
	const char *said;
	char want[512];

	put(text, sizeof text - 1);
	said = load_stderr(rpath, &rs);
	ck_assert_ptr_null(rs);
	snprintf(want, sizeof want, ": %s: line 3: bad regular expression: ",
	    rpath);
	ck_assert_ptr_nonnull(strstr(said, want));
	ck_assert_uint_gt(strlen(strstr(said, want)), strlen(want) + 1);
}
END_TEST

START_TEST(test_nul)
{
	static const char text[] = "set tier 1\nset client a\0b\n";

	expect_error(text, sizeof text - 1, 2, "NUL byte in line");
}
END_TEST

START_TEST(test_no_file)
{
	struct tkt_rules *rs;
	char want[512];

	snprintf(want, sizeof want, "%s/none: No such file or directory\n",
	    dir);
	snprintf(rpath, sizeof rpath, "%s/none", dir);
	expect_said(load_stderr(rpath, &rs), want);
	ck_assert_ptr_null(rs);
	snprintf(want, sizeof want, "%s: Is a directory\n", dir);
	expect_said(load_stderr(dir, &rs), want);
	ck_assert_ptr_null(rs);
}
END_TEST

Suite *
rules_suite(void)
{
	Suite *s;
	TCase *tc;

	s = suite_create("rules");
	tc = tcase_create("rules");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_backref_group);
	tcase_add_test(tc, test_design_example);
	tcase_add_test(tc, test_override);
	tcase_add_test(tc, test_stop);
	tcase_add_test(tc, test_negation);
	tcase_add_test(tc, test_icase);
	tcase_add_test(tc, test_body);
	tcase_add_test(tc, test_values);
	tcase_add_test(tc, test_regex_text);
	tcase_add_test(tc, test_long_line);
	tcase_add_test(tc, test_verbose);
	tcase_add_test(tc, test_man_examples);
	tcase_add_loop_test(tc, test_key, 0, sizeof keycase /
	    sizeof keycase[0]);
	tcase_add_loop_test(tc, test_key_stop, 0, sizeof stopcase /
	    sizeof stopcase[0]);
	tcase_add_test(tc, test_key_long);
	tcase_add_test(tc, test_recovery);
	tcase_add_test(tc, test_recovery_only);
	tcase_add_test(tc, test_verbose_key);
	tcase_add_loop_test(tc, test_flags, 0, sizeof flagcase /
	    sizeof flagcase[0]);
	tcase_add_loop_test(tc, test_errors, 0, sizeof bad / sizeof bad[0]);
	tcase_add_test(tc, test_bad_regex);
	tcase_add_test(tc, test_nul);
	tcase_add_test(tc, test_no_file);
	suite_add_tcase(s, tc);
	return s;
}
