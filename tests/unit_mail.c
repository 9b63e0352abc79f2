/*
 * unit_mail.c: RFC 2047 header decoding, UTF-8 checking, and reading
 * the header of a mail as received: its fields, message IDs, sender
 * address and the ticket ID a reply's subject names (mail.c).
 *
 * Whatever goes in, what comes out of tkt_mail_decode must be valid
 * UTF-8; decode() checks that on every call.
 */

#include <check.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "../bin/tkt.h"

static void
decode(const char *in, const char *want)
{
	char *got;

	got = tkt_mail_decode(in);
	ck_assert_ptr_nonnull(got);
	ck_assert_msg(tkt_utf8_valid(got, strlen(got)), "invalid: %s", got);
	ck_assert_str_eq(got, want);
	free(got);
}

START_TEST(plain)
{
	decode("", "");
	decode("Printer on 3rd floor jams", "Printer on 3rd floor jams");
	decode("  two  spaces\tand a tab ", "  two  spaces\tand a tab ");
	decode("a = b, x=?y, =?", "a = b, x=?y, =?");
	decode("caf\xc3\xa9 \xe2\x98\x95", "caf\xc3\xa9 \xe2\x98\x95");
}
END_TEST

START_TEST(b_word)
{
	decode("=?UTF-8?B?Y2Fmw6k=?=", "caf\xc3\xa9");
	decode("=?utf-8?b?Y2Fmw6k=?=", "caf\xc3\xa9");
	decode("Re: =?UTF-8?B?Y2Fmw6k=?= down", "Re: caf\xc3\xa9 down");
	decode("=?UTF-8?B?\?=", "");
}
END_TEST

/* Blanks between adjacent encoded words are not part of the text. */
START_TEST(adjacent_words)
{
	decode("=?UTF-8?B?Y2Fm?= =?UTF-8?B?w6k=?=", "caf\xc3\xa9");
	decode("=?UTF-8?B?Y2Fm?=\t \t=?UTF-8?Q?=C3=A9?=", "caf\xc3\xa9");
	decode("=?UTF-8?Q?a?= =?UTF-8?Q?b?= c", "ab c");
	decode("=?UTF-8?Q?a?= x =?UTF-8?Q?b?=", "a x b");
}
END_TEST

START_TEST(q_word_in_text)
{
	decode("Re: [ID] =?UTF-8?Q?caf=C3=A9?= down",
	    "Re: [ID] caf\xc3\xa9 down");
	decode("x =?UTF-8?Q?caf=c3=a9?=", "x caf\xc3\xa9");
}
END_TEST

/* One character whose bytes are split across two words. */
START_TEST(split_character)
{
	decode("=?UTF-8?Q?caf=C3?= =?UTF-8?Q?=A9_au_lait?=",
	    "caf\xc3\xa9 au lait");
	decode("=?UTF-8?B?4p4=?= =?UTF-8?B?lQ==?=", "\xe2\x9e\x95");
}
END_TEST

START_TEST(q_underscore)
{
	decode("=?UTF-8?Q?hello_world?=", "hello world");
	decode("=?UTF-8?Q?a=5Fb?=", "a_b");
	decode("under_score =?UTF-8?Q?x?=", "under_score x");
}
END_TEST

START_TEST(latin1_word)
{
	decode("=?ISO-8859-1?Q?caf=E9?=", "caf\xc3\xa9");
	decode("=?iso-8859-1?B?Y2Fm6Q==?=", "caf\xc3\xa9");
	decode("=?ISO-8859-1?Q?=E9?= =?UTF-8?Q?=C3=A9?=",
	    "\xc3\xa9\xc3\xa9");
	decode("=?ISO-8859-1*fr?Q?caf=E9?=", "caf\xc3\xa9");
}
END_TEST

/*
 * In TSCII one byte is up to four characters, 12 bytes of UTF-8: 0x82
 * is U+0BB8 U+0BCD U+0BB0 U+0BC0.  Skipped where iconv lacks TSCII.
 */
START_TEST(expanding_charset)
{
	static const char shri[] = "\xe0\xae\xb8\xe0\xaf\x8d\xe0\xae\xb0"
	    "\xe0\xaf\x80";
	char want[8 * 12 + 1];
	iconv_t cd;
	int i;

	if ((cd = iconv_open("UTF-8", "TSCII")) == (iconv_t)-1)
		return;
	iconv_close(cd);
	want[0] = '\0';
	for (i = 0; i < 8; i++)
		strcat(want, shri);
	decode("=?TSCII?Q?=82?=", shri);
	decode("=?TSCII?Q?=82=82=82=82=82=82=82=82?=", want);
}
END_TEST

/* An unknown charset: bytes kept if UTF-8, else read as Latin-1. */
START_TEST(unknown_charset)
{
	decode("=?x-no-such-charset?Q?caf=E9?=", "caf\xc3\xa9");
	decode("=?x-no-such-charset?Q?caf=C3=A9?=", "caf\xc3\xa9");
	decode("=?x-no-such-charset?Q?plain?=", "plain");
}
END_TEST

START_TEST(unterminated)
{
	decode("=?UTF-8?Q?caf=C3=A9 down", "=?UTF-8?Q?caf=C3=A9 down");
	decode("=?UTF-8?Q?caf", "=?UTF-8?Q?caf");
	decode("=?UTF-8?X?abc?=", "=?UTF-8?X?abc?=");
	decode("=??Q?abc?=", "=??Q?abc?=");
	decode("=?UTF 8?Q?abc?=", "=?UTF 8?Q?abc?=");
	decode("=?UTF-8?Q?a b?=", "=?UTF-8?Q?a b?=");
	decode("x =?UTF-8?Q?abc def =?UTF-8?Q?=C3=A9?=!",
	    "x =?UTF-8?Q?abc def \xc3\xa9!");
}
END_TEST

START_TEST(raw_latin1)
{
	decode("caf\xe9", "caf\xc3\xa9");
	decode("\xa0\xff", "\xc2\xa0\xc3\xbf");
	decode("caf\xe9 =?UTF-8?Q?caf=C3=A9?=", "caf\xc3\xa9 caf\xc3\xa9");
}
END_TEST

/* Encoded bytes that are not UTF-8 are read as Latin-1 as well. */
START_TEST(bad_utf8_word)
{
	decode("=?UTF-8?B?/w==?=", "\xc3\xbf");
	decode("=?UTF-8?Q?caf=E9?=", "caf\xc3\xa9");
	decode("=?UTF-8?Q?=ED=A0=80?=", "\xc3\xad\xc2\xa0\xc2\x80");
	decode("=?UTF-8?Q?=C3?=", "\xc3\x83");
}
END_TEST

/* Random bytes and fragments of encoded words: never broken output. */
START_TEST(fuzz)
{
	static const char *const bits[] = {
	    "=?", "?=", "?Q?", "?B?", "UTF-8", "ISO-8859-1", "_", "=C3",
	    "=A9", "=E9", "Y2Fm", "w6k=", " ", "\t", "\xc3", "\xa9", "\xff",
	    "\xe2\x98", "x", "=", "?", "koi8-r", "=?UTF-8?B?", "=?UTF-8?Q?"
	};
	unsigned long seed = 7;
	char in[256], *out;
	int i, k, n;

	for (i = 0; i < 5000; i++) {
		in[0] = '\0';
		n = 1 + i % 12;
		for (k = 0; k < n; k++) {
			seed = seed * 6364136223846793005UL + 1;
			strcat(in, bits[(seed >> 33) % (sizeof bits /
			    sizeof bits[0])]);
		}
		out = tkt_mail_decode(in);
		ck_assert_msg(tkt_utf8_valid(out, strlen(out)), "%s", in);
		free(out);
	}
}
END_TEST

static int
valid(const char *s)
{
	return tkt_utf8_valid(s, strlen(s));
}

START_TEST(utf8_good)
{
	ck_assert(valid(""));
	ck_assert(valid("ascii"));
	ck_assert(valid("\xc2\x80"));		/* U+0080 */
	ck_assert(valid("\xdf\xbf"));		/* U+07FF */
	ck_assert(valid("\xe0\xa0\x80"));	/* U+0800 */
	ck_assert(valid("\xed\x9f\xbf"));	/* U+D7FF */
	ck_assert(valid("\xee\x80\x80"));	/* U+E000 */
	ck_assert(valid("\xef\xbf\xbf"));	/* U+FFFF */
	ck_assert(valid("\xf0\x90\x80\x80"));	/* U+10000 */
	ck_assert(valid("\xf4\x8f\xbf\xbf"));	/* U+10FFFF */
	ck_assert(tkt_utf8_valid("a\0b", 3));
}
END_TEST

START_TEST(utf8_overlong)
{
	ck_assert(!valid("\xc0\x80"));
	ck_assert(!valid("\xc1\xbf"));
	ck_assert(!valid("\xe0\x80\x80"));
	ck_assert(!valid("\xe0\x9f\xbf"));
	ck_assert(!valid("\xf0\x80\x80\x80"));
	ck_assert(!valid("\xf0\x8f\xbf\xbf"));
}
END_TEST

START_TEST(utf8_surrogates)
{
	ck_assert(!valid("\xed\xa0\x80"));	/* U+D800 */
	ck_assert(!valid("\xed\xaf\xbf"));	/* U+DBFF */
	ck_assert(!valid("\xed\xb0\x80"));	/* U+DC00 */
	ck_assert(!valid("\xed\xbf\xbf"));	/* U+DFFF */
}
END_TEST

START_TEST(utf8_other_bad)
{
	ck_assert(!valid("\x80"));
	ck_assert(!valid("a\xbf"));
	ck_assert(!valid("\xf4\x90\x80\x80"));	/* above U+10FFFF */
	ck_assert(!valid("\xf5\x80\x80\x80"));
	ck_assert(!valid("\xff"));
	ck_assert(!valid("\xe2\x82"));		/* cut short */
	ck_assert(!valid("\xe2\x82x"));
	ck_assert(!tkt_utf8_valid("\xc3\xa9", 1));
	ck_assert(!valid("\xc3\xa9\xc3"));
}
END_TEST

/*
 * A mail's header as tkt_mail_headers reads it: the fields, name and
 * value in order, and the text from where it says the body starts.
 */
static const struct {
	const char *in;
	const char *body;
	const char *field[9];		/* name, value, ..., NULL */
} hdrcase[] = {
	{ "From: a@b.example\nSubject: hi\n\nbody\n", "body\n",
	    { "From", "a@b.example", "Subject", "hi", NULL } },
	{ "From: a@b.example\r\nSubject: hi\r\n\r\nbody\r\n", "body\r\n",
	    { "From", "a@b.example", "Subject", "hi", NULL } },
	{ "From: a@b.example\rSubject: hi\r\rbody\r", "body\r",
	    { "From", "a@b.example", "Subject", "hi", NULL } },
	{ "From: a\r\nSubject: b\rTo: c\n\r\nbody", "body",
	    { "From", "a", "Subject", "b", "To", "c", NULL } },
	/* Unfolded: the line ends go, the blanks that begin lines stay. */
	{ "Subject: a\n b\n\tc\nFrom: x\n\n", "",
	    { "Subject", "a b\tc", "From", "x", NULL } },
	{ "Subject: a\r\n  b\r\n\r\nx", "x", { "Subject", "a  b", NULL } },
	{ "Subject: a\r b\rc: d\r\r", "", { "Subject", "a b", "c", "d",
	    NULL } },
	{ "Subject: a\n \nFrom: b\n\n", "", { "Subject", "a", "From", "b",
	    NULL } },
	{ "Subject: \t hi  there \t\nX-Empty:\nY:   \n\n", "",
	    { "Subject", "hi  there", "X-Empty", "", "Y", "", NULL } },
	{ "Subject:hi:there\n\n", "", { "Subject", "hi:there", NULL } },
	/* An mbox "From " line first is not part of the header. */
	{ "From alice@example.com Fri Dec  4 16:03:02 2026\n"
	    "From: a@b\n\nbody", "body", { "From", "a@b", NULL } },
	{ "From alice@example.com Fri Dec  4 16:03:02 2026\r\n"
	    "Subject: s\r\n\r\n", "", { "Subject", "s", NULL } },
	{ "From \n\nbody", "body", { NULL } },
	/* A line that is no field ends the header and begins the body. */
	{ "From: a@b\nHello there\nSubject: x\n\n",
	    "Hello there\nSubject: x\n\n", { "From", "a@b", NULL } },
	{ "From: a@b\nthis is the body: it has a colon\n",
	    "this is the body: it has a colon\n", { "From", "a@b", NULL } },
	{ "From: a@b\n: no name\n", ": no name\n", { "From", "a@b", NULL } },
	{ "no colon at all\nSubject: x\n\n", "no colon at all\nSubject: x\n\n",
	    { NULL } },
	/* Continuation lines before the first field belong to none. */
	{ " x: y\nFrom: a\n\n", "", { "From", "a", NULL } },
	{ "\t\n x\nFrom: a\n\nb", "b", { "From", "a", NULL } },
	{ "Subject: s\nX-\x80: y\n\n", "X-\x80: y\n\n", { "Subject", "s",
	    NULL } },
	/*
	 * RFC 5322's obsolete syntax allows blanks before the colon, and
	 * a reader must take "From  : x" as a From field; first in the
	 * mail it is no mbox "From " line either.
	 */
	{ "Subject: s\nFrom  : x\n\nbody", "body",
	    { "Subject", "s", "From", "x", NULL } },
	{ "Subject : s\nFrom: x\n\n", "", { "Subject", "s", "From", "x",
	    NULL } },
	{ "From  : x\nSubject: s\n\nbody", "body", { "From", "x", "Subject",
	    "s", NULL } },
	{ "From \t: x\n\n", "", { "From", "x", NULL } },
	{ "Sub ject: s\n\nbody", "Sub ject: s\n\nbody", { NULL } },
	/* A blank line ends the header; the body starts after it. */
	{ "From: a\n\n\nSubject: x\n", "\nSubject: x\n", { "From", "a",
	    NULL } },
	{ "From: a\r\n\r\n x\r\n", " x\r\n", { "From", "a", NULL } },
	{ "\nbody", "body", { NULL } },
	{ "\r\n\r\nbody", "\r\nbody", { NULL } },
	/* No blank line: the body is empty. */
	{ "From: a\nSubject: hi", "", { "From", "a", "Subject", "hi",
	    NULL } },
	{ "From: a\nSubject: hi\n", "", { "From", "a", "Subject", "hi",
	    NULL } },
	{ "From: a\nSubject: hi\n continued", "", { "From", "a",
	    "Subject", "hi continued", NULL } },
	{ "Subject:", "", { "Subject", "", NULL } },
	{ "", "", { NULL } },
};

/*
 * Checks what tkt_mail_headers makes of len bytes at in, copied to a
 * buffer of just that size, so that a sanitizer build catches a read
 * past the end.
 */
static void
expect_headers(const char *in, size_t len, const char *body,
    size_t bodylen, const char *const *field)
{
	struct tkt_hdr *h;
	size_t n, off, i;
	char *m;

	ck_assert_ptr_nonnull(m = malloc(len > 0 ? len : 1));
	memcpy(m, in, len);
	off = tkt_mail_headers(m, len, &h, &n);
	ck_assert_uint_le(off, len);
	ck_assert_uint_eq(len - off, bodylen);
	ck_assert_mem_eq(m + off, body, bodylen);
	for (i = 0; field[2 * i] != NULL; i++) {
		ck_assert_uint_lt(i, n);
		ck_assert_str_eq(h[i].name, field[2 * i]);
		ck_assert_str_eq(h[i].value, field[2 * i + 1]);
	}
	ck_assert_uint_eq(n, i);
	if (n == 0)
		ck_assert_ptr_null(h);
	ck_assert_int_eq(tkt_mail_hasfield(m, len), n > 0);
	tkt_mail_headers_free(h, n);
	free(m);
}

START_TEST(headers)
{
	expect_headers(hdrcase[_i].in, strlen(hdrcase[_i].in),
	    hdrcase[_i].body, strlen(hdrcase[_i].body), hdrcase[_i].field);
}
END_TEST

/* Each field's raw text is its lines in the mail, line ends and all. */
/* However many fields, in order. */
START_TEST(headers_many)
{
	struct tkt_buf in = { 0 };
	struct tkt_hdr *h;
	size_t n, i;
	char want[32];

	for (i = 0; i < 100; i++)
		tkt_buf_fmt(&in, "X-%zu: v%zu\n", i, i);
	tkt_buf_str(&in, "\nbody");
	ck_assert_uint_eq(tkt_mail_headers(in.s, in.len, &h, &n),
	    in.len - 4);
	ck_assert_uint_eq(n, 100);
	for (i = 0; i < n; i++) {
		snprintf(want, sizeof want, "X-%zu", i);
		ck_assert_str_eq(h[i].name, want);
		snprintf(want, sizeof want, "v%zu", i);
		ck_assert_str_eq(h[i].value, want);
	}
	tkt_mail_headers_free(h, n);
	tkt_buf_free(&in);
}
END_TEST

START_TEST(headers_raw)
{
	static const char m[] = "Subject: a\r\n b\r\nFrom: x\n\nbody";
	struct tkt_hdr *h;
	size_t n;

	ck_assert_uint_eq(tkt_mail_headers(m, sizeof m - 1, &h, &n), 25);
	ck_assert_uint_eq(n, 2);
	ck_assert_ptr_eq(h[0].raw, m);
	ck_assert_uint_eq(h[0].rawlen, 16);
	ck_assert_ptr_eq(h[1].raw, m + 16);
	ck_assert_uint_eq(h[1].rawlen, 8);
	tkt_mail_headers_free(h, n);
}
END_TEST

/* NUL bytes in a value are spaces; in a name they make it no field. */
START_TEST(headers_nul)
{
	static const char m[] = "Subject: a\0b\nX-Y: \0c\0\n\nbo\0dy";
	static const char bad[] = "From: a\nSub\0ject: x\n\n";
	static const char *const f[] = { "Subject", "a b", "X-Y", "c", NULL };
	static const char *const g[] = { "From", "a", NULL };

	expect_headers(m, sizeof m - 1, "bo\0dy", 5, f);
	expect_headers(bad, sizeof bad - 1, "Sub\0ject: x\n\n", 13, g);
}
END_TEST

/* Only len bytes are read: nothing needs a NUL after the mail. */
START_TEST(headers_len)
{
	static const char *const f[] = { "Subject", "hi", NULL };
	static const char *const g[] = { "Subject", "h", NULL };

	expect_headers("Subject: hi\n\nbody", 13, "", 0, f);
	expect_headers("Subject: hi\n\nbody", 10, "", 0, g);
	/* Cut after the CR, the blank line ends in a lone CR. */
	expect_headers("Subject: hi\r\n\r\nbody", 14, "", 0, f);
	expect_headers("Subject: hi\r\n\r\nbody", 16, "b", 1, f);
}
END_TEST

/* Lines longer than RFC 5322's 998 characters are read whole. */
START_TEST(headers_long_line)
{
	static const char *const f[] = { "From", "a@b.example", "Subject",
	    "s", NULL };
	struct tkt_buf b = { 0 };
	struct tkt_hdr *h;
	size_t n, i;

	tkt_buf_str(&b, "X-Long: ");
	for (i = 0; i < 992; i++)
		tkt_buf_add(&b, "x", 1);
	tkt_buf_str(&b, "\nFrom: a@b.example\nSubject: s\n\nbody\n");
	ck_assert_uint_eq(tkt_mail_headers(b.s, b.len, &h, &n),
	    b.len - 5);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(h[0].name, "X-Long");
	ck_assert_uint_eq(strlen(h[0].value), 992);
	ck_assert_uint_eq(strspn(h[0].value, "x"), 992);
	ck_assert_uint_eq(h[0].rawlen, 1001);
	tkt_mail_headers_free(h, n);
	/* A line of 1,000 characters that is no field is body, whole. */
	b.len = 0;
	for (i = 0; i < 1000; i++)
		tkt_buf_add(&b, "y", 1);
	tkt_buf_str(&b, "\nFrom: a@b.example\n");
	expect_headers(b.s, b.len, b.s, b.len, (const char *const[]){ NULL });
	b.len = 0;
	tkt_buf_str(&b, "From: a@b.example\nSubject: s\n\n");
	for (i = 0; i < 1000; i++)
		tkt_buf_add(&b, "y", 1);
	expect_headers(b.s, b.len, b.s + 30, 1000, f);
	tkt_buf_free(&b);
}
END_TEST

#define REFID	"<%04d.20261204160302@mail.example.com>"	/* 38 */

/*
 * A References field of 23 KB folded over 600 lines: unfolded intact,
 * and tkt_mail_msgid finds every ID in it, the first and last too.
 */
START_TEST(headers_long_references)
{
	struct tkt_buf b = { 0 }, want = { 0 };
	struct tkt_hdr *h;
	const char *p;
	char id[64], *got;
	size_t n;
	int i;

	tkt_buf_str(&b, "From: a@b.example\nReferences:");
	tkt_buf_add(&want, "", 0);
	for (i = 0; i < 600; i++) {
		snprintf(id, sizeof id, REFID, i);
		tkt_buf_fmt(&b, "%s%s\r\n", i % 2 ? "\t" : " ", id);
		tkt_buf_fmt(&want, "%s%s", i == 0 ? "" : i % 2 ? "\t" : " ",
		    id);
	}
	tkt_buf_str(&b, "Subject: s\r\n\r\n");
	ck_assert_uint_eq(want.len, 600 * 38 + 599);
	ck_assert_uint_eq(tkt_mail_headers(b.s, b.len, &h, &n), b.len);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(h[1].name, "References");
	ck_assert_uint_eq(strlen(h[1].value), want.len);
	ck_assert_str_eq(h[1].value, want.s);
	ck_assert_str_eq(h[2].value, "s");
	p = h[1].value;
	for (i = 0; (got = tkt_mail_msgid(&p)) != NULL; i++) {
		snprintf(id, sizeof id, REFID, i);
		ck_assert_str_eq(got, id);
		free(got);
	}
	ck_assert_int_eq(i, 600);
	tkt_mail_headers_free(h, n);
	tkt_buf_free(&b);
	tkt_buf_free(&want);
}
END_TEST

START_TEST(headers_free_none)
{
	struct tkt_hdr *h = (struct tkt_hdr *)"not touched";
	size_t n = 99;

	ck_assert_uint_eq(tkt_mail_headers("", 0, &h, &n), 0);
	ck_assert_ptr_null(h);
	ck_assert_uint_eq(n, 0);
	tkt_mail_headers_free(h, n);
	tkt_mail_headers_free(NULL, 0);
}
END_TEST

/* The first of repeated fields wins; names compare without case. */
START_TEST(get)
{
	static const char m[] = "From: first@x.example\n"
	    "subject: one\nfrom: second@x.example\nSUBJECT: two\n"
	    "X-Empty:\n\n";
	struct tkt_hdr *h;
	size_t n;

	tkt_mail_headers(m, sizeof m - 1, &h, &n);
	ck_assert_uint_eq(n, 5);
	ck_assert_str_eq(tkt_mail_get(h, n, "From"), "first@x.example");
	ck_assert_str_eq(tkt_mail_get(h, n, "FROM"), "first@x.example");
	ck_assert_str_eq(tkt_mail_get(h, n, "Subject"), "one");
	ck_assert_str_eq(tkt_mail_get(h, n, "x-empty"), "");
	ck_assert_ptr_null(tkt_mail_get(h, n, "To"));
	ck_assert_ptr_null(tkt_mail_get(h, n, "Fro"));
	ck_assert_ptr_null(tkt_mail_get(h, n, "From:"));
	ck_assert_ptr_null(tkt_mail_get(NULL, 0, "From"));
	tkt_mail_headers_free(h, n);
}
END_TEST

/* The IDs tkt_mail_msgid finds in a value, in order; NULL ends. */
static const struct {
	const char *in;
	const char *id[5];
} idcase[] = {
	{ "<a@x.example>", { "<a@x.example>", NULL } },
	{ "<a@x> <b@y>\t<c@z>", { "<a@x>", "<b@y>", "<c@z>", NULL } },
	{ "junk <a@x>,<b@y> (a comment) more junk <c@z> trailing",
	    { "<a@x>", "<b@y>", "<c@z>", NULL } },
	{ "> <a@x>>", { "<a@x>", NULL } },
	{ "<>", { "<>", NULL } },
	{ "", { NULL } },
	{ "no IDs here", { NULL } },
	{ "a@x.example", { NULL } },
	{ "<abc", { NULL } },
	{ "<a@x> <abc", { "<a@x>", NULL } },
	/* A broken ID does not hide the next one. */
	{ "<abc <d@x>", { "<d@x>", NULL } },
};

START_TEST(msgid)
{
	const char *p, *before;
	char *got;
	int i;

	p = idcase[_i].in;
	for (i = 0; idcase[_i].id[i] != NULL; i++) {
		ck_assert_ptr_nonnull(got = tkt_mail_msgid(&p));
		ck_assert_str_eq(got, idcase[_i].id[i]);
		free(got);
	}
	/* At the end the pointer stays where it was, and so on. */
	before = p;
	ck_assert_ptr_null(tkt_mail_msgid(&p));
	ck_assert_ptr_eq(p, before);
	ck_assert_ptr_null(tkt_mail_msgid(&p));
}
END_TEST

static const struct {
	const char *from;
	const char *addr;
} addrcase[] = {
	{ "Ann <Ann@Acme.Example>", "ann@acme.example" },
	{ "bob@x.example", "bob@x.example" },
	{ "BOB@X.EXAMPLE", "bob@x.example" },
	{ "  bob@x.example  ", "bob@x.example" },
	{ "\"Smith, Bob\" <bob@x>", "bob@x" },
	{ "\"bob@fake.example\" <bob@real.example>", "bob@real.example" },
	{ "bob@x (Bob Smith)", "bob@x" },
	{ "(Bob Smith) bob@x", "bob@x" },
	{ "Bob Smith <bob@x> (work)", "bob@x" },
	{ "Bob Smith", "" },
	{ "", "" },
	{ "<>", "" },
	{ "Postmaster <>", "" },
	/* Brackets in a comment, or a bracket not closed, do not count. */
	{ "Bob <bob@x> (home <h>)", "bob@x" },
	{ "a <b@x> <c", "b@x" },
	{ "Bob <bob@x", "bob@x" },
};

START_TEST(addr)
{
	char *got;

	got = tkt_mail_addr(addrcase[_i].from);
	ck_assert_str_eq(got, addrcase[_i].addr);
	free(got);
}
END_TEST

#define TID	"5yen82gtnx1g"

/* Subjects that name the ticket TID, after the default prefixes. */
static const char *const threaded[] = {
	"[" TID "] printer",
	"  [" TID "]",
	"Re: [" TID "] printer",
	"VS: [" TID "] printer",
	"AW: WG: [" TID "] printer",
	"Re:[" TID "] printer",
	"RE: Re: re: [" TID "]",
	"Re[2]: [" TID "] printer",
	"Re(3): [" TID "] printer",
	"Re :  [" TID "] printer",
	"Fwd: [" TID "]",
	"Fw: FWD: [" TID "]",
	"TR: SV: [" TID "] printer",
	"Antw: [" TID "] printer",
	"Re\xef\xbc\x9a[" TID "] printer",	/* a full-width colon */
	"Re: [5YEN82GTNX1G] printer",
	"Re: [5Yen82gTnx1G]printer",
};

/* Subjects that name no ticket. */
static const char *const unthreaded[] = {
	"",
	"printer [" TID "]",
	"Re: printer [" TID "]",
	"[" TID,
	"[" TID " ]",
	"[5yen82gtnx1] printer",		/* 11 characters */
	"[5yen82gtnx1g1] printer",		/* 13 characters */
	"Rex: [" TID "] printer",
	"Re [" TID "] printer",
	"Re: Rex: [" TID "] printer",
	"Re[x]: [" TID "] printer",
	"Re:: [" TID "] printer",
	"[5yen82gtnx1i]",
	"[5yen82gtnx1l]",
	"[5yen82gtnx1o]",
	"[5yen82gtnx1u]",
	"[5YEN82GTNX1U]",
	"[5yen82-tnx1g]",
	"(" TID ")",
	"Re:",
};

/* The default prefixes, as a config without reply-prefix gives them. */
static void
prefixes(struct tkt_conf *conf)
{
	ck_assert_int_eq(tkt_conf_load("/dev/null", conf), 0);
	ck_assert_uint_gt(conf->nprefix, 0);
}

START_TEST(thread_found)
{
	struct tkt_conf conf;
	char id[TKT_IDLEN + 1];

	prefixes(&conf);
	memset(id, 'z', sizeof id);
	ck_assert_msg(tkt_mail_thread(threaded[_i], conf.prefix,
	    conf.nprefix, id) == 1, "not found in \"%s\"", threaded[_i]);
	ck_assert_str_eq(id, TID);
	tkt_conf_free(&conf);
}
END_TEST

START_TEST(thread_not_found)
{
	struct tkt_conf conf;
	char id[TKT_IDLEN + 1];

	prefixes(&conf);
	ck_assert_msg(tkt_mail_thread(unthreaded[_i], conf.prefix,
	    conf.nprefix, id) == 0, "found in \"%s\"", unthreaded[_i]);
	tkt_conf_free(&conf);
}
END_TEST

/* With no prefixes only a subject that starts with the ID names it. */
START_TEST(thread_no_prefixes)
{
	char id[TKT_IDLEN + 1];

	ck_assert_int_eq(tkt_mail_thread("[" TID "] x", NULL, 0, id), 1);
	ck_assert_str_eq(id, TID);
	ck_assert_int_eq(tkt_mail_thread("Re: [" TID "] x", NULL, 0, id), 0);
}
END_TEST

static void
convert(const char *cs, const char *in, const char *want)
{
	struct tkt_buf b = { 0 };

	tkt_mail_convert(&b, cs, in, strlen(in));
	ck_assert_ptr_nonnull(b.s);
	ck_assert(tkt_utf8_valid(b.s, b.len));
	ck_assert_str_eq(b.s, want);
	tkt_buf_free(&b);
}

/*
 * Bytes in a charset.  Latin-1 with bytes in 0x80-0x9f, and ASCII with
 * any 8-bit byte, are windows-1252 in real mail; where that fails too,
 * and without a charset, Latin-1 is the last resort.
 */
START_TEST(convert_charsets)
{
	convert(NULL, "caf\xc3\xa9", "caf\xc3\xa9");
	convert("", "caf\xe9", "caf\xc3\xa9");
	convert("UTF-8", "caf\xe9", "caf\xc3\xa9");
	convert("iso-8859-1", "caf\xe9", "caf\xc3\xa9");
	convert("ISO-8859-1", "\x80 caf\xe9", "\xe2\x82\xac caf\xc3\xa9");
	convert("latin1", "\x85", "\xe2\x80\xa6");
	convert("us-ascii", "\x93q\x94", "\xe2\x80\x9cq\xe2\x80\x9d");
	convert("US-ASCII", "caf\xc3\xa9", "caf\xc3\xa9");
	convert("windows-1252", "\x80", "\xe2\x82\xac");
	convert("windows-1252", "\x81\xe9", "\xc2\x81\xc3\xa9");
	convert("x-no-such-charset", "", "");
}
END_TEST

/*
 * ISO-8859-1 is converted without iconv, to what iconv makes of it, by
 * every name iconv knows it by; "latin-1" it does not know, and valid
 * UTF-8 in it is kept.
 */
START_TEST(convert_latin1)
{
	static const char *const name[] = {
		"iso-8859-1", "ISO8859-1", "iso_8859-1", "Latin1"
	};
	char in[256], want[512], *ip, *op;
	size_t k, n, il, ol;
	iconv_t cd;
	int c;

	for (n = 0, c = 1; c < 256; c++)
		if (c < 0x80 || c > 0x9f)
			in[n++] = (char)c;
	in[n] = '\0';
	for (k = 0; k < sizeof name / sizeof name[0]; k++) {
		ck_assert((cd = iconv_open("UTF-8", name[k])) != (iconv_t)-1);
		ip = in;
		il = n;
		op = want;
		ol = sizeof want - 1;
		ck_assert_uint_ne(iconv(cd, &ip, &il, &op, &ol), (size_t)-1);
		*op = '\0';
		iconv_close(cd);
		convert(name[k], in, want);
	}
	convert("latin-1", "caf\xc3\xa9", "caf\xc3\xa9");
	convert("latin-1", "caf\xe9", "caf\xc3\xa9");
}
END_TEST

Suite *
mail_suite(void)
{
	Suite *s = suite_create("mail");
	TCase *tc = tcase_create("mail");

	tcase_add_test(tc, plain);
	tcase_add_test(tc, b_word);
	tcase_add_test(tc, adjacent_words);
	tcase_add_test(tc, q_word_in_text);
	tcase_add_test(tc, split_character);
	tcase_add_test(tc, q_underscore);
	tcase_add_test(tc, latin1_word);
	tcase_add_test(tc, convert_latin1);
	tcase_add_test(tc, expanding_charset);
	tcase_add_test(tc, unknown_charset);
	tcase_add_test(tc, unterminated);
	tcase_add_test(tc, raw_latin1);
	tcase_add_test(tc, bad_utf8_word);
	tcase_add_test(tc, fuzz);
	tcase_add_test(tc, utf8_good);
	tcase_add_test(tc, utf8_overlong);
	tcase_add_test(tc, utf8_surrogates);
	tcase_add_test(tc, utf8_other_bad);
	tcase_add_loop_test(tc, headers, 0, sizeof hdrcase /
	    sizeof hdrcase[0]);
	tcase_add_test(tc, headers_many);
	tcase_add_test(tc, headers_raw);
	tcase_add_test(tc, headers_nul);
	tcase_add_test(tc, headers_len);
	tcase_add_test(tc, headers_long_line);
	tcase_add_test(tc, headers_long_references);
	tcase_add_test(tc, headers_free_none);
	tcase_add_test(tc, get);
	tcase_add_loop_test(tc, msgid, 0, sizeof idcase / sizeof idcase[0]);
	tcase_add_loop_test(tc, addr, 0, sizeof addrcase /
	    sizeof addrcase[0]);
	tcase_add_loop_test(tc, thread_found, 0, sizeof threaded /
	    sizeof threaded[0]);
	tcase_add_loop_test(tc, thread_not_found, 0, sizeof unthreaded /
	    sizeof unthreaded[0]);
	tcase_add_test(tc, thread_no_prefixes);
	tcase_add_test(tc, convert_charsets);
	suite_add_tcase(s, tc);
	return s;
}
