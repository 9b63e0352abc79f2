/*
 * unit_ere.c: the matcher of common EREs (bin/ere.c) against regcomp(3)
 * and regexec(3), which it stands in for.
 *
 * Whatever it takes must compile with regcomp and match exactly the
 * strings regexec matches, with and without REG_ICASE and REG_NEWLINE,
 * and count the same groups.  Patterns are made at random from pieces
 * of the syntax it takes and of syntax it must refuse, and tried on
 * strings made at random from bytes those patterns name, newlines,
 * bytes above 0x7f and both cases; a fixed seed keeps the run the same.
 */

#include <check.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../bin/tkt.h"
#include "unit.h"

#define NPAT	4000
#define NSUBJ	24

static uint64_t seed;

static unsigned
rnd(unsigned n)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return (unsigned)(seed % n);
}

/* What patterns are made of: atoms, and what must be refused. */
static const char *const atoms[] = {
	"a", "b", "A", "B", "ab", "-", "@", " ", "\xc3", "\xa9", ".", "\\.",
	"\\*", "\\(", "\\|", "\\\\", "\\^", "\\$", "[ab]", "[^a]", "[a-c]",
	"[A-C]", "[-a]", "[a-]", "[^-b]", "[^\xa9]", "[.\xc3]", "[0-9]", "^",
	"$"
};
static const char *const bad[] = {
	"{2}", "{", "}", "]", "[", "(", ")", "\\w", "\\1", "[[:alpha:]]",
	"[]a]", "[a-Z]", "\\", "[b-a]", "*", "**", "\\<", "[a\\]"
};
#define NATOM	(sizeof atoms / sizeof atoms[0])
#define NBAD	(sizeof bad / sizeof bad[0])

static const char subjbyte[] = "aAbBcC-@ .*(|\\^$\n\n\xc3\xa9\xc3\x89""0";

/* Alternatives of pieces, some in groups, some repeated. */
static void
alts(char *buf, int depth)
{
	static const char *const rep[] = { "*", "+", "?" };
	unsigned i, k, n;

	n = 1 + rnd(3);
	for (k = 0; k < n; k++) {
		if (k > 0)
			strcat(buf, "|");
		for (i = rnd(4); i > 0; i--) {
			if (depth < 2 && rnd(5) == 0) {
				strcat(buf, "(");
				alts(buf, depth + 1);
				strcat(buf, ")");
			} else
				strcat(buf, atoms[rnd(NATOM)]);
			if (rnd(3) == 0)
				strcat(buf, rep[rnd(3)]);
		}
	}
}

/* A pattern; one in five has something spliced in that may be wrong. */
static void
randpat(char *buf)
{
	const char *p;
	size_t at;

	buf[0] = '\0';
	alts(buf, 0);
	if (rnd(5) != 0)
		return;
	at = rnd(strlen(buf) + 1);
	p = bad[rnd(NBAD)];
	memmove(buf + at + strlen(p), buf + at, strlen(buf + at) + 1);
	memcpy(buf + at, p, strlen(p));
}

static void
randsubj(char *buf)
{
	unsigned i, n;

	n = rnd(12);
	for (i = 0; i < n; i++)
		buf[i] = subjbyte[rnd(sizeof subjbyte - 1)];
	buf[n] = '\0';
}

static int
flags(int icase, int newline)
{
	return REG_EXTENDED | (icase ? REG_ICASE : 0) |
	    (newline ? REG_NEWLINE : 0);
}

static void
longsame(const char *pat, int icase, int newline, const char *s)
{
	struct tkt_ere *e;
	regmatch_t m[10];
	regex_t re;

	ck_assert_ptr_nonnull(e = tkt_ere_comp(pat, icase, newline));
	ck_assert_int_eq(regcomp(&re, pat, flags(icase, newline)), 0);
	ck_assert_msg(tkt_ere_exec(e, s) == (regexec(&re, s, 10, m, 0) == 0),
	    "/%s/ on a long string", pat);
	regfree(&re);
	tkt_ere_free(e);
}

/* 1 when ere.c took the pattern, after checking it against regcomp. */
static int
same(const char *pat, int icase, int newline, const char *const *subj,
    int nsubj)
{
	struct tkt_ere *e;
	regmatch_t m[10];
	regex_t re;
	int i, rc, want;

	e = tkt_ere_comp(pat, icase, newline);
	rc = regcomp(&re, pat, flags(icase, newline));
	if (e == NULL) {
		if (rc == 0)
			regfree(&re);
		return 0;
	}
	ck_assert_msg(rc == 0, "taken, but regcomp fails: /%s/", pat);
	ck_assert_uint_eq(tkt_ere_groups(e), re.re_nsub);
	for (i = 0; i < nsubj; i++) {
		/* Asked for groups, as the rules ask, which may differ. */
		want = regexec(&re, subj[i], 10, m, 0) == 0;
		ck_assert_msg(tkt_ere_exec(e, subj[i]) == want,
		    "/%s/%s%s on \"%s\": regexec says %d", pat,
		    icase ? "i" : "", newline ? " newline" : "", subj[i],
		    want);
	}
	regfree(&re);
	tkt_ere_free(e);
	return 1;
}

START_TEST(test_random)
{
	static char pat[16384];
	char buf[NSUBJ][16];
	const char *subj[NSUBJ];
	int i, k, taken, tried;

	seed = 0x9e3779b97f4a7c15ULL;
	taken = tried = 0;
	for (i = 0; i < NPAT; i++) {
		randpat(pat);
		for (k = 0; k < NSUBJ; k++) {
			randsubj(buf[k]);
			subj[k] = buf[k];
		}
		buf[0][0] = '\0';
		for (k = 0; k < 4; k++, tried++)
			taken += same(pat, k & 1, k >> 1, subj, NSUBJ);
	}
	/* Most of them must be taken, or this would test little. */
	ck_assert_int_gt(taken, tried / 2);
}
END_TEST

/*
 * The edges of the syntax, with the strings they are tried on: taken
 * always (1), never (0), or only with REG_NEWLINE (2), where no match
 * can take a newline that an anchor could then stand beside.
 */
static const struct {
	const char *pat;
	int	 taken;
} edge[] = {
	{ "a|", 1 }, { "|a", 1 }, { "a||b", 1 }, { "(|a)", 1 }, { "()", 1 },
	{ "()*", 1 }, { "(a*)*", 1 }, { "(a|b)+c", 1 }, { "(a|b)?c", 1 },
	{ "^$", 1 }, { "$^", 1 }, { "(^a|b$)", 1 }, { "^(a|^b)", 1 },
	{ "[-]", 1 }, { "[a-z-]", 1 }, { "[^-]", 1 }, { "\\{", 1 },
	{ "\xc3\xa9", 1 }, { "[\xc3\xa9]+", 1 },
	{ "a^b", 2 }, { "x$y", 2 }, { "a.^b", 2 }, { "a$.", 2 },
	{ "(a|$)b", 2 }, { "b(a|$).", 2 },
	{ "^*", 0 }, { "$+", 0 }, { "(^.)+", 0 }, { "(a|$)*", 0 },
	{ "(^)*", 0 }, { "(a(^b))?", 0 }, { "*a", 0 }, { "a|*", 0 },
	{ "(*a)", 0 },
	{ "a**", 0 }, { "a{2}", 0 }, { "a)", 0 }, { "(a", 0 }, { "[a", 0 },
	{ "[]a]", 0 }, { "[]", 0 }, { "[^]", 0 }, { "[[:digit:]]", 0 },
	{ "[a-c-e]", 0 }, { "[c-a]", 0 }, { "[a-Z]", 0 }, { "\\w", 0 },
	{ "\\1", 0 }, { "\\", 0 }, { "a\\", 0 }, { "}", 0 }, { "]", 0 },
	{ "a\nb", 0 }
};

START_TEST(test_edge)
{
	static const char *const s[] = {
		"", "a", "A", "b", "ab", "xa", "x\ny", "a\n", "\na", "-",
		"\xc3\xa9", "\xc3\x89", "c", "{", "ba", "a\nb"
	};
	int i, want;

	for (i = 0; i < 4; i++) {
		want = edge[_i].taken == 2 ? i >> 1 : edge[_i].taken;
		ck_assert_msg(same(edge[_i].pat, i & 1, i >> 1, s, 16) == want,
		    "/%s/%s %s", edge[_i].pat, i >> 1 ? " newline" : "",
		    want ? "refused" : "taken");
	}
}
END_TEST

/* The example rules of tkt-init, on the kind of value they see. */
START_TEST(test_examples)
{
	static const char *const pat[] = {
		"@(.*\\.)?acme\\.example>?$",
		"(^|[^a-z])(down|outage|urgent|asap|cannot work)([^a-z]|$)",
		"printer|scanner|toner|paper jam",
		"outlook|mailbox|e-?mail|calendar",
		"password|locked out|account|mfa|2fa",
		"vpn|wi-?fi|wifi|network|internet",
		"server|hyper-?v|vmware|esxi|raid|backup|veeam",
		"(^|<)(rmm|alerts?|monitoring)@",
		"offline|not responding|heartbeat|host down",
		"ransom|phishing|malware|infected|breach|compromised"
	};
	static const char *const s[] = {
		"Noah Meyer <n.meyer13@tyrell.example>", "bob@acme.example",
		"Bob <bob@mail.ACME.example>", "x@notacme.example",
		"Server down!", "Download fails", "URGENT: outage",
		"cannot workaround", "Printer: Paper Jam",
		"E-Mail to supplier",
		"Wi-Fi drops", "Hyper-V host offline", "RMM@alerts.example",
		"<alerts@x>", "Alert@x", "Possible PHISHING mail",
		"St\xc3\xb6rung: Drucker", "", "2FA reset", "mfa\n"
	};
	size_t i, k;

	for (i = 0; i < sizeof pat / sizeof pat[0]; i++)
		for (k = 0; k < 4; k++)
			ck_assert_msg(same(pat[i], k & 1, k >> 1, s, 20),
			    "/%s/ refused", pat[i]);
}
END_TEST

/* A long string of lines: the skip over bytes no match begins with. */
START_TEST(test_long)
{
	static const char *const pat[] = {
		"^y", "ab+c$", "[0-9]z", "q", "x\\.$", "^$", "^x*$",
		"x(y|.)z?$", "^x+$"
	};
	static const struct {
		size_t	 at;
		const char *put;
	} put[] = {
		{ 0, "" }, { 50000, "7z" }, { 39996, "abbc" }, { 40000, "y" },
		{ 69997, "abc" }, { 40000, "\n" }, { 12345, "x." }
	};
	static char s[70001];
	size_t i, k;

	for (k = 0; k < sizeof put / sizeof put[0]; k++) {
		for (i = 0; i < sizeof s - 1; i++)
			s[i] = i % 80 == 79 ? '\n' : 'x';
		memcpy(s + put[k].at, put[k].put, strlen(put[k].put));
		for (i = 0; i < sizeof pat / sizeof pat[0] * 4; i++)
			longsame(pat[i / 4], i & 1, i >> 1 & 1, s);
	}
}
END_TEST

Suite *
ere_suite(void)
{
	Suite *s = suite_create("ere");
	TCase *tc = tcase_create("ere");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_random);
	tcase_add_loop_test(tc, test_edge, 0, sizeof edge / sizeof edge[0]);
	tcase_add_test(tc, test_examples);
	tcase_add_test(tc, test_long);
	suite_add_tcase(s, tc);
	return s;
}
