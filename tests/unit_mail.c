/*
 * unit_mail.c: RFC 2047 header decoding and UTF-8 checking (mail.c).
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
	suite_add_tcase(s, tc);
	return s;
}
