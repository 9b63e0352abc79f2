/*
 * unit_time.c: instants, durations and the 24x7 calendar (time.c).
 *
 * The local-time cases need the Europe/Berlin zone from tzdata; they
 * set TZ for themselves and put the old value back.
 */

#include <check.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../bin/tkt.h"

static char *oldtz;

static void
tz_set(const char *tz)
{
	const char *s = getenv("TZ");

	free(oldtz);
	oldtz = s ? strdup(s) : NULL;
	setenv("TZ", tz, 1);
	tzset();
}

static void
tz_restore(void)
{
	if (oldtz)
		setenv("TZ", oldtz, 1);
	else
		unsetenv("TZ");
	free(oldtz);
	oldtz = NULL;
	tzset();
}

static time_t
gm(int y, int mo, int d, int h, int mi, int s)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	return tkt_timegm(&tm);
}

static time_t
p3339(const char *s)
{
	time_t t = 12345;

	ck_assert_msg(tkt_time_parse3339(s, strlen(s), &t) == 0,
	    "rejected %s", s);
	return t;
}

static time_t
parse(const char *s)
{
	time_t t = 12345;

	ck_assert_msg(tkt_time_parse(s, &t) == 0, "rejected %s", s);
	return t;
}

START_TEST(timegm_known)
{
	ck_assert_int_eq(gm(1970, 1, 1, 0, 0, 0), 0);
	ck_assert_int_eq(gm(1972, 12, 31, 23, 59, 59), 94694399);
	ck_assert_int_eq(gm(2000, 2, 29, 0, 0, 0), 951782400);
	ck_assert_int_eq(gm(2000, 3, 1, 0, 0, 0), 951868800);
	ck_assert_int_eq(gm(2024, 2, 29, 23, 59, 59), 1709251199);
	ck_assert_int_eq(gm(2026, 12, 4, 16, 3, 2), 1796400182);
	ck_assert_int_eq(gm(2038, 1, 19, 3, 14, 8), 2147483648LL);
	/* 2100 is not a leap year: 28 Feb noon to 1 Mar is 12 hours. */
	ck_assert_int_eq(gm(2100, 2, 28, 12, 0, 0), 4107499200LL);
	ck_assert_int_eq(gm(2100, 3, 1, 0, 0, 0), 4107542400LL);
	ck_assert_int_eq(gm(9999, 12, 31, 23, 59, 59), 253402300799LL);
}
END_TEST

/* Instants some 330 days apart, 1970 to 9999, agree with gmtime_r. */
START_TEST(timegm_inverse)
{
	struct tm tm;
	time_t t;

	for (t = 0; t < 253402300799LL; t += 28509617) {
		gmtime_r(&t, &tm);
		ck_assert_int_eq(tkt_timegm(&tm), t);
	}
}
END_TEST

START_TEST(rfc3339_ok)
{
	time_t base = 1796400182;	/* 2026-12-04T16:03:02Z */

	ck_assert_int_eq(p3339("2026-12-04T16:03:02Z"), base);
	ck_assert_int_eq(p3339("2026-12-04t16:03:02z"), base);
	ck_assert_int_eq(p3339("2026-12-04 16:03:02Z"), base);
	ck_assert_int_eq(p3339("2026-12-04T17:03:02+01:00"), base);
	ck_assert_int_eq(p3339("2026-12-04T10:33:02-05:30"), base);
	ck_assert_int_eq(p3339("2026-12-04T16:03:02-00:00"), base);
	ck_assert_int_eq(p3339("2026-12-04T16:03:02.999Z"), base);
	ck_assert_int_eq(p3339("2026-12-04T17:03:02.1+01:00"), base);
	ck_assert_int_eq(p3339("2026-03-29T01:49:00+01:00"),
	    gm(2026, 3, 29, 0, 49, 0));
	ck_assert_int_eq(p3339("2000-02-29T00:00:00Z"), 951782400);
	ck_assert_int_eq(p3339("1970-01-01T00:00:00Z"), 0);
	ck_assert_int_eq(p3339("9999-12-31T23:59:59Z"), 253402300799LL);
	/* A leap second is the last second of its minute. */
	ck_assert_int_eq(p3339("2016-12-31T23:59:60Z"),
	    gm(2016, 12, 31, 23, 59, 59));
}
END_TEST

/* Exactly n bytes: a time inside a longer line. */
START_TEST(rfc3339_length)
{
	const char *s = "2026-12-04T16:03:02Z created by=alice";
	time_t t;

	ck_assert_int_eq(tkt_time_parse3339(s, 20, &t), 0);
	ck_assert_int_eq(t, 1796400182);
	ck_assert_int_eq(tkt_time_parse3339(s, 19, &t), -1);
	ck_assert_int_eq(tkt_time_parse3339(s, 21, &t), -1);
	ck_assert_int_eq(tkt_time_parse3339(s, 0, &t), -1);
}
END_TEST

START_TEST(rfc3339_bad)
{
	static const char *const bad[] = {
		"",
		"2026-13-04T16:03:02Z",		/* month 13 */
		"2026-00-04T16:03:02Z",
		"2026-02-30T16:03:02Z",		/* Feb 30 */
		"2026-02-29T16:03:02Z",		/* not a leap year */
		"2100-02-29T16:03:02Z",
		"2026-04-31T16:03:02Z",
		"2026-12-00T16:03:02Z",
		"2026-12-04T24:00:00Z",
		"2026-12-04T16:60:02Z",
		"2026-12-04T16:03:61Z",
		"2026-12-04T16:03:02",		/* no zone */
		"2026-12-04T16:03Z",		/* no seconds */
		"2026-12-04T16:03:02Zjunk",
		"2026-12-04T16:03:02Z ",
		"2026-12-04T16:03:02.Z",
		"2026-12-04T16:03:02+01",
		"2026-12-04T16:03:02+0100",
		"2026-12-04T16:03:02+24:00",
		"2026-12-04T16:03:02+01:60",
		"2026-12-04X16:03:02Z",
		"2026-1-04T16:03:02Z",
		"+2026-12-04T16:03:02Z",
		"1970-01-01T00:30:00+01:00",	/* before 1970 */
		"9999-12-31T23:59:59-00:01",	/* after 9999 */
	};
	size_t i;
	time_t t;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(tkt_time_parse3339(bad[i], strlen(bad[i]),
		    &t) == -1, "accepted %s", bad[i]);
}
END_TEST

START_TEST(parse_epoch)
{
	time_t t;

	ck_assert_int_eq(parse("@0"), 0);
	ck_assert_int_eq(parse("@1796400182"), 1796400182);
	ck_assert_int_eq(tkt_time_parse("@", &t), -1);
	ck_assert_int_eq(tkt_time_parse("@-1", &t), -1);
	ck_assert_int_eq(tkt_time_parse("@+1", &t), -1);
	ck_assert_int_eq(tkt_time_parse("@12x", &t), -1);
	ck_assert_int_eq(tkt_time_parse("@ 12", &t), -1);
	ck_assert_int_eq(tkt_time_parse("@99999999999999999999999", &t),
	    -1);
}
END_TEST

START_TEST(parse_local)
{
	time_t t;

	tz_set("Europe/Berlin");
	ck_assert_int_eq(parse("2026-12-04"), gm(2026, 12, 3, 23, 0, 0));
	ck_assert_int_eq(parse("2026-12-04 17:03"), gm(2026, 12, 4, 16, 3, 0));
	ck_assert_int_eq(parse("2026-12-04T17:03"), gm(2026, 12, 4, 16, 3, 0));
	ck_assert_int_eq(parse("2026-12-04 17:03:02"), 1796400182);
	ck_assert_int_eq(parse("2026-12-04t17:03:02"), 1796400182);
	ck_assert_int_eq(parse("2026-07-01 12:00"), gm(2026, 7, 1, 10, 0, 0));
	/* An offset or Z wins over TZ. */
	ck_assert_int_eq(parse("2026-03-29T01:49:00+01:00"),
	    gm(2026, 3, 29, 0, 49, 0));
	ck_assert_int_eq(parse("2026-12-04T16:03:02Z"), 1796400182);
	ck_assert_int_eq(tkt_time_parse("2026-12-04 ", &t), -1);
	ck_assert_int_eq(tkt_time_parse("2026-12-04 17", &t), -1);
	ck_assert_int_eq(tkt_time_parse("2026-12-04 17:03:", &t), -1);
	ck_assert_int_eq(tkt_time_parse("2026-12-04 17:03.5", &t), -1);
	ck_assert_int_eq(tkt_time_parse("2026-12-04 17:03:02.5", &t), -1);
	ck_assert_int_eq(tkt_time_parse("2026-02-29", &t), -1);
	ck_assert_int_eq(tkt_time_parse("1970-01-01", &t), -1);
	ck_assert_int_eq(tkt_time_parse("today", &t), -1);
	tz_restore();
}
END_TEST

/*
 * Berlin skips 02:00-03:00 on 2026-03-29 and has 02:00-03:00 twice on
 * 2026-10-25.
 */
START_TEST(parse_dst)
{
	time_t t;

	tz_set("Europe/Berlin");
	ck_assert_int_eq(parse("2026-03-29 01:49"), gm(2026, 3, 29, 0, 49, 0));
	ck_assert_int_eq(tkt_time_parse("2026-03-29 02:30", &t), -1);
	ck_assert_int_eq(parse("2026-03-29 03:00"), gm(2026, 3, 29, 1, 0, 0));
	/* A doubled hour is its first, summer-time occurrence. */
	ck_assert_int_eq(parse("2026-10-25 02:30"),
	    gm(2026, 10, 25, 0, 30, 0));
	ck_assert_int_eq(parse("2026-10-25 03:00"), gm(2026, 10, 25, 2, 0, 0));
	tz_restore();
	tz_set("UTC0");
	ck_assert_int_eq(parse("2026-03-29 02:30"), gm(2026, 3, 29, 2, 30, 0));
	tz_restore();
}
END_TEST

START_TEST(fmt_utc)
{
	char buf[21];
	time_t t;

	tkt_time_fmt(1796400182, buf);
	ck_assert_str_eq(buf, "2026-12-04T16:03:02Z");
	tkt_time_fmt(0, buf);
	ck_assert_str_eq(buf, "1970-01-01T00:00:00Z");
	tkt_time_fmt(951782400, buf);
	ck_assert_str_eq(buf, "2000-02-29T00:00:00Z");
	tkt_time_fmt(253402300799LL, buf);
	ck_assert_str_eq(buf, "9999-12-31T23:59:59Z");
	/* Out of range is clamped, never longer than 20 bytes. */
	tkt_time_fmt(-5, buf);
	ck_assert_str_eq(buf, "1970-01-01T00:00:00Z");
	tkt_time_fmt(253402300800LL * 100, buf);
	ck_assert_str_eq(buf, "9999-12-31T23:59:59Z");
	for (t = 0; t < 253402300799LL; t += 9876543211LL) {
		tkt_time_fmt(t, buf);
		ck_assert_int_eq(p3339(buf), t);
	}
}
END_TEST

START_TEST(fmt_local)
{
	char buf[64];

	tz_set("Europe/Berlin");
	tkt_time_local(1796400182, buf, sizeof(buf));
	ck_assert_str_eq(buf, "2026-12-04 17:03 CET");
	tkt_time_local(gm(2026, 3, 29, 0, 49, 0), buf, sizeof(buf));
	ck_assert_str_eq(buf, "2026-03-29 01:49 CET");
	tkt_time_local(gm(2026, 3, 29, 1, 0, 0), buf, sizeof(buf));
	ck_assert_str_eq(buf, "2026-03-29 03:00 CEST");
	tkt_time_local(1796400182, buf, 5);
	ck_assert_int_lt(strlen(buf), 5);
	tz_restore();
}
END_TEST

START_TEST(fmt_mail)
{
	char buf[40];

	tkt_time_mail(1796400182, buf, sizeof(buf));
	ck_assert_str_eq(buf, "Fri, 04 Dec 2026 16:03:02 +0000");
	tkt_time_mail(0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "Thu, 01 Jan 1970 00:00:00 +0000");
	tkt_time_mail(951782400, buf, sizeof(buf));
	ck_assert_str_eq(buf, "Tue, 29 Feb 2000 00:00:00 +0000");
	tkt_time_mail(gm(2026, 6, 7, 8, 9, 10), buf, sizeof(buf));
	ck_assert_str_eq(buf, "Sun, 07 Jun 2026 08:09:10 +0000");
	tkt_time_mail(1796400182, buf, 8);
	ck_assert_str_eq(buf, "Fri, 04");
}
END_TEST

START_TEST(dur_parse_ok)
{
	static const struct {
		const char *s;
		long secs;
	} ok[] = {
		{ "none", -1 }, { "0", 0 }, { "0m", 0 }, { "30", 1800 },
		{ "30m", 1800 }, { "45m", 2700 }, { "1h30m", 5400 },
		{ "90m", 5400 }, { "2d", 172800 }, { "2d4h", 187200 },
		{ "1d1s", 86401 }, { "30s", 30 }, { "1h0m30s", 3630 },
		{ "007m", 420 }, { "1d2h3m4s", 93784 },
	};
	size_t i;
	long v;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		v = 12345;
		ck_assert_msg(tkt_dur_parse(ok[i].s, &v) == 0,
		    "rejected %s", ok[i].s);
		ck_assert_int_eq(v, ok[i].secs);
	}
}
END_TEST

START_TEST(dur_parse_bad)
{
	static const char *const bad[] = {
		"", "m", "h30", "-5m", "+5m", "1x", "1H", "30min", "1h30",
		"30m1h", "1h1h", "1m 30s", " 1m", "1m ", "None", "1.5h",
		"99999999999999999999999", "99999999999999999999m",
		"106751991167301d", "9223372036854775807",
	};
	size_t i;
	long v;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(tkt_dur_parse(bad[i], &v) == -1,
		    "accepted \"%s\"", bad[i]);
}
END_TEST

START_TEST(dur_fmt)
{
	static const struct {
		long secs;
		const char *s;
	} f[] = {
		{ -1, "none" }, { 0, "0m" }, { 30, "30s" }, { 60, "1m" },
		{ 1800, "30m" }, { 3600, "1h" }, { 5400, "1h30m" },
		{ 3630, "1h30s" }, { 86400, "1d" }, { 172800, "2d" },
		{ 187200, "2d4h" }, { 93784, "1d2h3m4s" }, { -3900, "-1h5m" },
		{ -30, "-30s" }, { -2, "-2s" },
	};
	char buf[64];
	size_t i;

	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		tkt_dur_fmt(f[i].secs, buf, sizeof(buf));
		ck_assert_str_eq(buf, f[i].s);
	}
	tkt_dur_fmt(LONG_MIN, buf, sizeof(buf));
	ck_assert_int_eq(buf[0], '-');
	tkt_dur_fmt(93784, buf, 4);
	ck_assert_str_eq(buf, "1d2");
}
END_TEST

START_TEST(dur_roundtrip)
{
	char buf[64];
	long secs, v;

	for (secs = 0; secs < 10 * 86400; secs += 977) {
		tkt_dur_fmt(secs, buf, sizeof(buf));
		ck_assert_int_eq(tkt_dur_parse(buf, &v), 0);
		ck_assert_int_eq(v, secs);
	}
	tkt_dur_fmt(LONG_MAX, buf, sizeof(buf));
	ck_assert_int_eq(tkt_dur_parse(buf, &v), 0);
	ck_assert_int_eq(v, LONG_MAX);
}
END_TEST

START_TEST(cal_always)
{
	struct tkt_cal cal = { .always = 1 };
	time_t a = 1796400182;

	ck_assert_int_eq(tkt_cal_span(&cal, a, a + 1800), 1800);
	ck_assert_int_eq(tkt_cal_span(&cal, a, a), 0);
	ck_assert_int_eq(tkt_cal_span(&cal, a + 5, a), 0);
	ck_assert_int_eq(tkt_cal_add(&cal, a, 1800), a + 1800);
	ck_assert_int_eq(tkt_cal_add(&cal, a, 0), a);
	ck_assert_int_eq(tkt_cal_add(&cal, a, -60), a);
	ck_assert_int_eq(tkt_cal_add(&cal, a, LONG_MAX), 253402300799LL);
	ck_assert_int_eq(tkt_cal_span(&cal, a, tkt_cal_add(&cal, a, 7200)),
	    7200);
}
END_TEST

/* Mail Date: values, as mailers write them; NULL when refused. */
static const struct {
	const char *s;
	const char *utc;
} maildates[] = {
	{ "Thu, 6 Oct 2022 12:27:13 +0200 (GMT+02:00)",
	    "2022-10-06T10:27:13Z" },
	{ "12 May 23 00:00:05 -0800", "2023-05-12T08:00:05Z" },
	{ "Tue, 12 May 2020 12:08:24 UT", "2020-05-12T12:08:24Z" },
	{ "Tue Jul 24 18:55:07 2007", "2007-07-24T18:55:07Z" },
	{ "Mon, 29 Feb 2021 10:00:00 +0000", NULL },
	{ "Tue, 29 Feb 2000 10:00:00 -0000", "2000-02-29T10:00:00Z" },
	/* RFC 5322 */
	{ "Fri, 04 Dec 2026 16:03:02 +0000", "2026-12-04T16:03:02Z" },
	{ "Thu, 6 Oct 2022 12:27:13 +0200", "2022-10-06T10:27:13Z" },
	{ "6 Oct 2022 12:27:13 +0200", "2022-10-06T10:27:13Z" },
	{ "Thu, 06 Oct 2022 12:27 +0200", "2022-10-06T10:27:00Z" },
	{ "thu, 6 OCT 2022 12:27:13 +0200", "2022-10-06T10:27:13Z" },
	{ "Thursday, 6 October 2022 12:27:13 +0200",
	    "2022-10-06T10:27:13Z" },
	{ "  Thu,\t 6   Oct\r\n 2022 12:27:13   -0530  ",
	    "2022-10-06T17:57:13Z" },
	{ "Sat, 31 Dec 2022 23:30:00 -0100", "2023-01-01T00:30:00Z" },
	{ "Sun, 1 Jan 2023 00:30:00 +0100", "2022-12-31T23:30:00Z" },
	{ "Sat, 31 Dec 2016 23:59:60 +0000", "2016-12-31T23:59:59Z" },
	{ "Thu, 6 Oct 2022 12 : 27 : 13 +0200", "2022-10-06T10:27:13Z" },
	/* Comments */
	{ "Thu, 6 Oct 2022 12:27:13 +0200 (CEST)", "2022-10-06T10:27:13Z" },
	{ "(sent) Thu, (a (nested) one) 6 Oct 2022 12:27:13(x)+0200",
	    "2022-10-06T10:27:13Z" },
	{ "Thu, 6 Oct 2022 12:27:13 +0200 (a \\) and \\( in it)",
	    "2022-10-06T10:27:13Z" },
	{ "Thu, 6 Oct 2022 12:27:13 +0200 (unclosed", NULL },
	{ "Thu, 6 Oct 2022 12:27:13 +0200 (a \\)", NULL },
	/* Two- and three-digit years */
	{ "1 Jan 49 00:00:00 +0000", "2049-01-01T00:00:00Z" },
	{ "1 Jan 50 00:00:00 +0000", NULL },
	{ "1 Jan 70 00:00:00 +0000", "1970-01-01T00:00:00Z" },
	{ "Wed, 1 Jan 99 12:00:00 GMT", "1999-01-01T12:00:00Z" },
	{ "Fri, 12 May 123 00:00:00 +0000", "2023-05-12T00:00:00Z" },
	/* Zone names */
	{ "Tue, 12 May 2020 12:08:24 GMT", "2020-05-12T12:08:24Z" },
	{ "Tue, 12 May 2020 12:08:24 UTC", "2020-05-12T12:08:24Z" },
	{ "Tue, 12 May 2020 12:08:24 z", "2020-05-12T12:08:24Z" },
	{ "Tue, 12 May 2020 12:08:24 EST", "2020-05-12T17:08:24Z" },
	{ "Tue, 12 May 2020 12:08:24 edt", "2020-05-12T16:08:24Z" },
	{ "Tue, 12 May 2020 12:08:24 CST", "2020-05-12T18:08:24Z" },
	{ "Tue, 12 May 2020 12:08:24 CDT", "2020-05-12T17:08:24Z" },
	{ "Tue, 12 May 2020 12:08:24 MST", "2020-05-12T19:08:24Z" },
	{ "Tue, 12 May 2020 12:08:24 MDT", "2020-05-12T18:08:24Z" },
	{ "Tue, 12 May 2020 12:08:24 PST", "2020-05-12T20:08:24Z" },
	{ "Tue, 12 May 2020 12:08:24 PDT", "2020-05-12T19:08:24Z" },
	{ "Tue, 12 May 2020 12:08:24 A", "2020-05-12T12:08:24Z" },
	{ "Tue, 12 May 2020 12:08:24 Y", "2020-05-12T12:08:24Z" },
	{ "Tue, 12 May 2020 12:08:24 CEST", "2020-05-12T12:08:24Z" },
	{ "Tue, 12 May 2020 12:08:24 +0200 MEST", "2020-05-12T10:08:24Z" },
	{ "Tue, 12 May 2020 12:08:24", "2020-05-12T12:08:24Z" },
	{ "Tue, 12 May 2020 12:08:24 +2359", "2020-05-11T12:09:24Z" },
	/* asctime(3) */
	{ "Tue Jul  4 18:55:07 2007", "2007-07-04T18:55:07Z" },
	{ "Jul 24 18:55:07 2007", "2007-07-24T18:55:07Z" },
	{ "Tue Jul 24 18:55:07 2007 +0200", "2007-07-24T16:55:07Z" },
	{ "Tue Jul 24 18:55:07 PDT 2007", "2007-07-25T01:55:07Z" },
	{ "Tue Jul 24 18:55:07 -0700 2007", "2007-07-25T01:55:07Z" },
	{ "Tue Jul 24 18:55:07 PDT 2007 -0700", NULL },
	/* Odd punctuation */
	{ "Thu 6 Oct 2022 12:27:13 +0200", "2022-10-06T10:27:13Z" },
	{ "Thu,6 Oct 2022 12:27:13 +0200", "2022-10-06T10:27:13Z" },
	{ "Thu. 6 Oct 2022 12:27:13 +0200", "2022-10-06T10:27:13Z" },
	{ "Thu., 6 Oct 2022 12:27:13 +0200", "2022-10-06T10:27:13Z" },
	{ "6-Oct-2022 12:27:13 +0200", "2022-10-06T10:27:13Z" },
	{ "Thu, 06-Oct-22 12:27:13 GMT", "2022-10-06T12:27:13Z" },
	{ "6-Oct 2022 12:27:13 +0200", NULL },
	{ "6 Oct, 2022 12:27:13 +0200", NULL },
	/* Refused */
	{ "", NULL },
	{ " \t ", NULL },
	{ "(just a comment)", NULL },
	{ "yesterday", NULL },
	{ "Thu, 6 Oct 2022", NULL },
	{ "Thu, 6 Oct 2022 12:27:13 +0200 yesterday", NULL },
	{ "Thu, 6 Oct 2022 12:27:13 yesterday", NULL },
	{ "Thu, 6 Oct 2022 12:27:13 +0200 junk 2", NULL },
	{ "Thu, 6 Oct 2022 12:27:13 +0200,", NULL },
	{ "Thu, 6 Foo 2022 12:27:13 +0200", NULL },
	{ "Thu, 6 13 2022 12:27:13 +0200", NULL },
	{ "Thu, 0 Oct 2022 12:27:13 +0200", NULL },
	{ "Thu, 31 Sep 2022 12:27:13 +0200", NULL },
	{ "Thu, 29 Feb 2100 12:27:13 +0200", NULL },
	{ "Thu, 123 Oct 2022 12:27:13 +0200", NULL },
	{ "Thu, 6 Oct 2022 24:00:00 +0200", NULL },
	{ "Thu, 6 Oct 2022 12:60:00 +0200", NULL },
	{ "Thu, 6 Oct 2022 12:27:61 +0200", NULL },
	{ "Thu, 6 Oct 2022 12:7:13 +0200", NULL },
	{ "Thu, 6 Oct 2022 12:27: +0200", NULL },
	{ "Thu, 6 Oct 2022 12 +0200", NULL },
	{ "Thu, 6 Oct 2022 12:27:13 +0260", NULL },
	{ "Thu, 6 Oct 2022 12:27:13 +2400", NULL },
	{ "Thu, 6 Oct 2022 12:27:13 +200", NULL },
	{ "Thu, 6 Oct 2022 12:27:13 +02000", NULL },
	{ "Thu, 6 Oct 2022 12:27:13 +02:00", NULL },
	{ "Thu, 6 Oct 2022 12:27:13 + 0200", NULL },
	{ "Thu, 6 Oct 2 12:27:13 +0200", NULL },
	{ "Thu, 6 Oct 20222 12:27:13 +0200", NULL },
	{ "Wed, 31 Dec 1969 23:59:59 +0000", NULL },
	{ "Thu, 1 Jan 1970 00:30:00 +0100", NULL },
	{ "Fri, 31 Dec 9999 23:59:59 -0001", NULL },
	{ "Jul 24 18:55:07", NULL },
	{ "Tue Jul 24 2007 18:55:07", NULL },
	{ "2022-10-06T10:27:13Z", NULL },
};

START_TEST(mail_table)
{
	char buf[21];
	size_t i;
	time_t t;
	int r;

	for (i = 0; i < sizeof(maildates) / sizeof(maildates[0]); i++) {
		t = 12345;
		r = tkt_time_parsemail(maildates[i].s, &t);
		if (maildates[i].utc == NULL) {
			ck_assert_msg(r == -1, "accepted \"%s\"",
			    maildates[i].s);
			ck_assert_int_eq(t, 12345);
			continue;
		}
		ck_assert_msg(r == 0, "rejected \"%s\"", maildates[i].s);
		tkt_time_fmt(t, buf);
		ck_assert_msg(strcmp(buf, maildates[i].utc) == 0,
		    "\"%s\" is %s, not %s", maildates[i].s, buf,
		    maildates[i].utc);
	}
}
END_TEST

/* Neither TZ nor the current time may matter. */
START_TEST(mail_tz)
{
	time_t t;

	tz_set("America/New_York");
	ck_assert_int_eq(tkt_time_parsemail("Fri, 4 Dec 2026 16:03:02",
	    &t), 0);
	ck_assert_int_eq(t, 1796400182);
	tz_restore();
}
END_TEST

/* The instants tkt_time_mail writes read back. */
START_TEST(mail_roundtrip)
{
	char buf[40];
	time_t t, v;

	for (t = 0; t < 253402300799LL; t += 9876543211LL) {
		tkt_time_mail(t, buf, sizeof(buf));
		ck_assert_int_eq(tkt_time_parsemail(buf, &v), 0);
		ck_assert_int_eq(v, t);
	}
}
END_TEST

/* A date with n bytes of filler after it, or before it when lead. */
static char *
mail_filled(const char *date, int lead, int c, size_t n)
{
	size_t len = strlen(date);
	char *s;

	ck_assert_ptr_nonnull(s = malloc(len + n + 1));
	memcpy(s + (lead ? n : 0), date, len);
	memset(s + (lead ? 0 : len), c, n);
	s[len + n] = '\0';
	return s;
}

static int
mail_try(char *s, time_t *t)
{
	int r;

	r = tkt_time_parsemail(s, t);
	free(s);
	return r;
}

/* 100 KB of filler before, inside or after a date; ASan checks bounds. */
START_TEST(mail_long)
{
	static const char date[] = "Thu, 6 Oct 2022 12:27:13 +0200 ";
	static const char fill[] = "9a(\\)";
	size_t n = 100 * 1024, len = strlen(date), i;
	char *s;
	time_t t;

	ck_assert_int_eq(mail_try(mail_filled(date, 1, ' ', n), &t), 0);
	ck_assert_int_eq(t, 1665052033);
	/* A long comment, closed or not. */
	s = mail_filled(date, 0, 'x', n);
	s[len] = '(';
	ck_assert_int_eq(tkt_time_parsemail(s, &t), -1);
	s[len + n - 1] = ')';
	ck_assert_int_eq(mail_try(s, &t), 0);
	/* Comments nested 50,000 deep. */
	s = mail_filled(date, 0, '(', n);
	memset(s + len + n / 2, ')', n / 2);
	ck_assert_int_eq(mail_try(s, &t), 0);
	for (i = 0; i < sizeof(fill) - 1; i++) {
		ck_assert_int_eq(mail_try(mail_filled("", 0, fill[i], n), &t),
		    -1);
		ck_assert_int_eq(mail_try(mail_filled(date, 0, fill[i], n),
		    &t), -1);
		ck_assert_int_eq(mail_try(mail_filled(date, 1, fill[i], n),
		    &t), -1);
	}
}
END_TEST

Suite *
time_suite(void)
{
	Suite *s = suite_create("time");
	TCase *tc = tcase_create("time");

	tcase_add_test(tc, timegm_known);
	tcase_add_test(tc, timegm_inverse);
	tcase_add_test(tc, rfc3339_ok);
	tcase_add_test(tc, rfc3339_length);
	tcase_add_test(tc, rfc3339_bad);
	tcase_add_test(tc, parse_epoch);
	tcase_add_test(tc, parse_local);
	tcase_add_test(tc, parse_dst);
	tcase_add_test(tc, fmt_utc);
	tcase_add_test(tc, fmt_local);
	tcase_add_test(tc, fmt_mail);
	tcase_add_test(tc, mail_table);
	tcase_add_test(tc, mail_tz);
	tcase_add_test(tc, mail_roundtrip);
	tcase_add_test(tc, mail_long);
	tcase_add_test(tc, dur_parse_ok);
	tcase_add_test(tc, dur_parse_bad);
	tcase_add_test(tc, dur_fmt);
	tcase_add_test(tc, dur_roundtrip);
	tcase_add_test(tc, cal_always);
	suite_add_tcase(s, tc);
	return s;
}
