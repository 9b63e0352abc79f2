/*
 * unit_cal.c: the business calendar (cal.c).
 *
 * Seven worked examples of the clock, numbered as in the command
 * tests, at the level of the engine, with their exact deadlines; what
 * a daylight-saving change does to opening hours; and
 * a property test that holds the engine against a walk minute by
 * minute, which reads each minute's local time from the C library
 * rather than from cal.c's intervals.  Needs tzdata.  Times in the
 * comments are local to the calendar's zone; the code gives UTC.
 */

#include <check.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../bin/tkt.h"

#define MIN		60L
#define HOUR		3600L
#define TIME_LAST	((time_t)253402300799LL)

enum { SUN, MON, TUE, WED, THU, FRI, SAT };

static time_t
utc(int y, int mo, int d, int h, int mi)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	return tkt_timegm(&tm);
}

static long
date(int y, int mo, int d)
{
	return (long)(utc(y, mo, d, 0, 0) / 86400);
}

static void
cal_init(struct tkt_cal *cal, const char *zone)
{
	memset(cal, 0, sizeof(*cal));
	strcpy(cal->name, "test");
	strcpy(cal->zone, zone);
}

static void
cal_seg(struct tkt_cal *cal, int wd, int from, int to)
{
	int n = cal->nseg[wd]++;

	cal->week[wd][n].from = from;
	cal->week[wd][n].to = to;
}

/* Open from..to (minutes) on the weekdays lo..hi. */
static void
cal_days(struct tkt_cal *cal, int lo, int hi, int from, int to)
{
	for (; lo <= hi; lo++)
		cal_seg(cal, lo, from, to);
}

static void
cal_holiday(struct tkt_cal *cal, long d)
{
	cal->holiday = realloc(cal->holiday,
	    (cal->nholiday + 1) * sizeof(*cal->holiday));
	ck_assert_ptr_nonnull(cal->holiday);
	cal->holiday[cal->nholiday++] = d;
}

/* 24x7 is wall time, as before calendars. */
START_TEST(always)
{
	struct tkt_cal cal = { .always = 1 };
	time_t a = 1796400182;

	ck_assert_int_eq(tkt_cal_hasopen(&cal), 1);
	ck_assert_int_eq(tkt_cal_span(&cal, a, a + 1800), 1800);
	ck_assert_int_eq(tkt_cal_span(&cal, a, a), 0);
	ck_assert_int_eq(tkt_cal_span(&cal, a + 5, a), 0);
	ck_assert_int_eq(tkt_cal_add(&cal, a, 1800), a + 1800);
	ck_assert_int_eq(tkt_cal_add(&cal, a, 0), a);
	ck_assert_int_eq(tkt_cal_add(&cal, a, -60), a);
	ck_assert_int_eq(tkt_cal_add(&cal, a, LONG_MAX), TIME_LAST);
	tkt_cal_free(&cal);
}
END_TEST

/* Case 1: Berlin, 01:49 CET plus 30 minutes is 03:19 CEST. */
START_TEST(case1_berlin_spring)
{
	struct tkt_cal always = { .always = 1 }, cal;
	time_t a = utc(2026, 3, 29, 0, 49);

	ck_assert_int_eq(tkt_cal_add(&always, a, 30 * MIN),
	    utc(2026, 3, 29, 1, 19));
	cal_init(&cal, "Europe/Berlin");
	cal_days(&cal, SUN, SAT, 0, 1440);
	ck_assert_int_eq(tkt_cal_add(&cal, a, 30 * MIN),
	    utc(2026, 3, 29, 1, 19));
	/* Swept at 03:15 CEST: 26 minutes used. */
	ck_assert_int_eq(tkt_cal_span(&cal, a, utc(2026, 3, 29, 1, 15)),
	    26 * MIN);
	/* The day is 23 hours long. */
	ck_assert_int_eq(tkt_cal_span(&cal, utc(2026, 3, 28, 23, 0),
	    utc(2026, 3, 29, 22, 0)), 23 * HOUR);
	tkt_cal_free(&cal);
}
END_TEST

/* Case 2: London, 00:20 BST plus an hour is 01:20 BST. */
START_TEST(case2_london_autumn)
{
	struct tkt_cal always = { .always = 1 }, cal;
	time_t a = utc(2026, 10, 24, 23, 20);

	ck_assert_int_eq(tkt_cal_add(&always, a, HOUR),
	    utc(2026, 10, 25, 0, 20));
	cal_init(&cal, "Europe/London");
	cal_days(&cal, SUN, SAT, 0, 1440);
	ck_assert_int_eq(tkt_cal_add(&cal, a, HOUR),
	    utc(2026, 10, 25, 0, 20));
	/* To 01:30 GMT: 2 h 10 min, as the day is 25 hours long. */
	ck_assert_int_eq(tkt_cal_span(&cal, a, utc(2026, 10, 25, 1, 30)),
	    2 * HOUR + 10 * MIN);
	ck_assert_int_eq(tkt_cal_span(&cal, utc(2026, 10, 24, 23, 0),
	    utc(2026, 10, 26, 0, 0)), 25 * HOUR);
	tkt_cal_free(&cal);
}
END_TEST

static void
weekdays(struct tkt_cal *cal, int from, int to)
{
	cal_init(cal, "Europe/Berlin");
	cal_days(cal, MON, FRI, from, to);
}

/* Case 3: Friday 15:00 CET plus 8 h of 09-18 is Monday 14:00. */
START_TEST(case3_weekend)
{
	struct tkt_cal cal;
	time_t a = utc(2026, 3, 6, 14, 0);

	weekdays(&cal, 9 * 60, 18 * 60);
	ck_assert_int_eq(tkt_cal_add(&cal, a, 8 * HOUR),
	    utc(2026, 3, 9, 13, 0));
	ck_assert_int_eq(tkt_cal_span(&cal, a, utc(2026, 3, 9, 8, 0)),
	    3 * HOUR);
	ck_assert_int_eq(tkt_cal_span(&cal, a, utc(2026, 3, 9, 12, 59)),
	    8 * HOUR - MIN);
	ck_assert_int_eq(tkt_cal_span(&cal, a, utc(2026, 3, 9, 13, 0)),
	    8 * HOUR);
	ck_assert_int_eq(tkt_cal_span(&cal, a, utc(2026, 3, 9, 13, 1)),
	    8 * HOUR + MIN);
	tkt_cal_free(&cal);
}
END_TEST

/* Case 4: Tuesday 12:30 CEST plus an hour, closed 13-14: 14:30. */
START_TEST(case4_lunch)
{
	struct tkt_cal cal;
	time_t a = utc(2026, 5, 5, 10, 30);

	cal_init(&cal, "Europe/Berlin");
	cal_seg(&cal, TUE, 9 * 60, 13 * 60);
	cal_seg(&cal, TUE, 14 * 60, 18 * 60);
	ck_assert_int_eq(tkt_cal_add(&cal, a, HOUR), utc(2026, 5, 5, 12, 30));
	ck_assert_int_eq(tkt_cal_span(&cal, a, utc(2026, 5, 5, 11, 45)),
	    30 * MIN);
	ck_assert_int_eq(tkt_cal_span(&cal, a, utc(2026, 5, 5, 12, 29)),
	    59 * MIN);
	tkt_cal_free(&cal);
}
END_TEST

/* Case 5: open Tuesdays only; Wednesday 10:00 plus 2 h: Tuesday 10:00. */
START_TEST(case5_tuesdays)
{
	struct tkt_cal cal;

	cal_init(&cal, "Europe/Berlin");
	cal_seg(&cal, TUE, 8 * 60, 17 * 60);
	ck_assert_int_eq(tkt_cal_add(&cal, utc(2026, 5, 6, 8, 0), 2 * HOUR),
	    utc(2026, 5, 12, 8, 0));
	tkt_cal_free(&cal);
}
END_TEST

/* Case 7: the two stretches around the pause, 2 h and 6 h. */
START_TEST(case7_pause)
{
	struct tkt_cal cal;

	weekdays(&cal, 9 * 60, 17 * 60);
	ck_assert_int_eq(tkt_cal_span(&cal, utc(2026, 5, 8, 11, 0),
	    utc(2026, 5, 8, 13, 0)), 2 * HOUR);
	ck_assert_int_eq(tkt_cal_add(&cal, utc(2026, 5, 11, 9, 0), 6 * HOUR),
	    utc(2026, 5, 11, 15, 0));
	tkt_cal_free(&cal);
}
END_TEST

START_TEST(holidays)
{
	struct tkt_cal cal;
	time_t a = utc(2026, 3, 6, 14, 0);

	/* Monday off: case 3 is due on Tuesday instead. */
	weekdays(&cal, 9 * 60, 18 * 60);
	cal_holiday(&cal, date(2026, 3, 9));
	ck_assert_int_eq(tkt_cal_add(&cal, a, 8 * HOUR),
	    utc(2026, 3, 10, 13, 0));
	ck_assert_int_eq(tkt_cal_span(&cal, a, utc(2026, 3, 10, 8, 0)),
	    3 * HOUR);
	tkt_cal_free(&cal);

	/* Entering on a holiday: the count starts on Monday at 09:00. */
	weekdays(&cal, 9 * 60, 18 * 60);
	cal_holiday(&cal, date(2026, 3, 5));
	cal_holiday(&cal, date(2026, 3, 6));
	ck_assert_int_eq(tkt_cal_add(&cal, a, 8 * HOUR),
	    utc(2026, 3, 9, 16, 0));
	ck_assert_int_eq(tkt_cal_span(&cal, a, utc(2026, 3, 9, 8, 0)), 0);
	tkt_cal_free(&cal);
	ck_assert_ptr_null(cal.cache);
	ck_assert_ptr_null(cal.holiday);
}
END_TEST

/*
 * Berlin, 2026: 02:00-03:00 CET does not exist on 29 March, and
 * 02:00-03:00 is lived twice on 25 October.
 */
START_TEST(dst_boundaries)
{
	struct tkt_cal cal;

	/* Opening in the gap: open from 03:00 CEST, one hour. */
	cal_init(&cal, "Europe/Berlin");
	cal_seg(&cal, SUN, 2 * 60 + 30, 4 * 60);
	ck_assert_int_eq(tkt_cal_span(&cal, utc(2026, 3, 28, 0, 0),
	    utc(2026, 3, 30, 0, 0)), HOUR);
	ck_assert_int_eq(tkt_cal_add(&cal, utc(2026, 3, 28, 0, 0), 1),
	    utc(2026, 3, 29, 1, 0) + 1);
	tkt_cal_free(&cal);

	/* Wholly in the gap: nothing that day. */
	cal_init(&cal, "Europe/Berlin");
	cal_seg(&cal, SUN, 2 * 60 + 10, 2 * 60 + 50);
	ck_assert_int_eq(tkt_cal_span(&cal, utc(2026, 3, 28, 0, 0),
	    utc(2026, 3, 30, 0, 0)), 0);
	ck_assert_int_eq(tkt_cal_add(&cal, utc(2026, 3, 28, 0, 0), MIN),
	    utc(2026, 4, 5, 0, 11));
	tkt_cal_free(&cal);

	/* 02:30-03:30 in October: 02:30-03:00 twice, then 03:00-03:30. */
	cal_init(&cal, "Europe/Berlin");
	cal_seg(&cal, SUN, 2 * 60 + 30, 3 * 60 + 30);
	ck_assert_int_eq(tkt_cal_span(&cal, utc(2026, 10, 24, 0, 0),
	    utc(2026, 10, 26, 0, 0)), 90 * MIN);
	ck_assert_int_eq(tkt_cal_add(&cal, utc(2026, 10, 24, 0, 0), 30 * MIN),
	    utc(2026, 10, 25, 1, 0));
	ck_assert_int_eq(tkt_cal_add(&cal, utc(2026, 10, 24, 0, 0), 31 * MIN),
	    utc(2026, 10, 25, 1, 31));
	tkt_cal_free(&cal);
}
END_TEST

START_TEST(hasopen)
{
	struct tkt_cal always = { .always = 1 }, cal;

	ck_assert_int_eq(tkt_cal_hasopen(&always), 1);
	cal_init(&cal, "Europe/Berlin");
	ck_assert_int_eq(tkt_cal_hasopen(&cal), 0);
	ck_assert_int_eq(tkt_cal_add(&cal, 1000, 60), TIME_LAST);
	ck_assert_int_eq(tkt_cal_span(&cal, 1000, 1000000), 0);
	ck_assert_int_eq(tkt_cal_add(&cal, 1000, 0), 1000);
	ck_assert_int_eq(tkt_cal_add(&cal, 1000, -5), 1000);
	cal_seg(&cal, WED, 600, 600);
	ck_assert_int_eq(tkt_cal_hasopen(&cal), 0);
	cal_seg(&cal, SAT, 1439, 1440);
	ck_assert_int_eq(tkt_cal_hasopen(&cal), 1);
	ck_assert_int_eq(tkt_cal_add(&cal, 1000, LONG_MAX), TIME_LAST);
	tkt_cal_free(&cal);
}
END_TEST

START_TEST(overlapping)
{
	struct tkt_cal cal;
	time_t mon = utc(2026, 5, 11, 0, 0);

	/* Segments given out of order, touching and overlapping. */
	cal_init(&cal, "Europe/Berlin");
	cal_seg(&cal, MON, 14 * 60, 18 * 60);
	cal_seg(&cal, MON, 9 * 60, 12 * 60);
	cal_seg(&cal, MON, 12 * 60, 13 * 60);
	cal_seg(&cal, MON, 10 * 60, 11 * 60);
	cal_seg(&cal, MON, 17 * 60, 19 * 60);
	ck_assert_int_eq(tkt_cal_span(&cal, mon, mon + 86400), 9 * HOUR);
	ck_assert_int_eq(tkt_cal_add(&cal, mon, 4 * HOUR + 1),
	    utc(2026, 5, 11, 12, 0) + 1);
	tkt_cal_free(&cal);
}
END_TEST

/* The property test's pseudo-random numbers, the same on every run. */
static unsigned long long rng = 88172645463325252ULL;

static unsigned
rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

struct zone {
	const char *name;
	time_t	 change[2];		/* about when its clocks change */
};

static const struct zone zones[] = {
	{ "Europe/Berlin", { 1774746000, 1792890000 } },
	{ "America/New_York", { 1772953200, 1793512800 } },
	{ "Australia/Lord_Howe", { 1775314800, 1791041400 } },
	{ "Asia/Kolkata", { 1772953200, 1793512800 } },
	{ "America/Sao_Paulo", { 1541300400, 1550368800 } },
};

/* Boundaries near midnight and the changes come up often. */
static int
minute(void)
{
	static const int near[] = {
		0, 30, 60, 90, 120, 150, 180, 210, 240, 1380, 1410, 1440
	};

	if (rnd(2))
		return near[rnd(sizeof(near) / sizeof(near[0]))];
	return (int)rnd(97) * 15;
}

static void
random_cal(struct tkt_cal *cal, time_t around)
{
	int wd, i, n, from, to, prev;
	long d0 = (long)(around / 86400), d;

	cal_init(cal, zones[rnd(5)].name);
	do {
		for (wd = 0; wd < 7; wd++) {
			n = (int)rnd(4);
			for (i = 0, prev = -1; i < n; i++) {
				/* Now and then touching the last one. */
				if (prev >= 0 && rnd(3) == 0)
					from = prev;
				else
					from = minute();
				to = minute();
				if (from > to) {
					prev = from;
					from = to;
					to = prev;
				}
				cal_seg(cal, wd, from, to);
				prev = to;
			}
		}
	} while (!tkt_cal_hasopen(cal));
	for (n = (int)rnd(4), d = d0 - 10; n > 0; n--) {
		d += 1 + rnd(8);
		cal_holiday(cal, d);
	}
}

/* The oracle: is the minute starting at t working time, by libc? */
static int
inside(const struct tkt_cal *cal, time_t t)
{
	struct tm tm;
	long d;
	size_t i;
	int m, k;

	ck_assert_ptr_nonnull(localtime_r(&t, &tm));
	d = date(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	for (i = 0; i < cal->nholiday; i++)
		if (cal->holiday[i] == d)
			return 0;
	m = tm.tm_hour * 60 + tm.tm_min;
	for (k = 0; k < cal->nseg[tm.tm_wday]; k++)
		if (m >= cal->week[tm.tm_wday][k].from &&
		    m < cal->week[tm.tm_wday][k].to)
			return 1;
	return 0;
}

#define WALK	(21 * 1440)		/* minutes the oracle walks at most */

static void
one_case(void)
{
	const struct zone *z = &zones[rnd(5)];
	struct tkt_cal cal;
	time_t a, t, mid, got;
	long secs, count = 0, midcount = -1;
	const char *old = getenv("TZ");
	char *save = old ? strdup(old) : NULL;
	int i;

	a = z->change[rnd(2)] + ((long)rnd(6 * 1440) - 3 * 1440) * MIN;
	a -= a % 60;
	random_cal(&cal, a);
	secs = (1 + (long)rnd(600)) * MIN;
	mid = a + (long)rnd(3 * 1440) * MIN;

	got = tkt_cal_add(&cal, a, secs);
	ck_assert_int_eq(tkt_cal_span(&cal, a, got), secs);
	setenv("TZ", cal.zone, 1);
	tzset();
	for (t = a, i = 0; count < secs && i < WALK; t += MIN, i++) {
		if (t == mid)
			midcount = count;
		if (inside(&cal, t))
			count += MIN;
	}
	if (save)
		setenv("TZ", save, 1);
	else
		unsetenv("TZ");
	tzset();
	free(save);
	if (count == secs)
		ck_assert_msg(got == t, "%s: add(%lld, %ld) = %lld, walk %lld",
		    cal.zone, (long long)a, secs, (long long)got,
		    (long long)t);
	else
		ck_assert_int_gt(got, t);
	ck_assert_int_eq(tkt_cal_span(&cal, a, t), count);
	if (midcount >= 0)
		ck_assert_int_eq(tkt_cal_span(&cal, a, mid), midcount);
	tkt_cal_free(&cal);
}

START_TEST(property_walk)
{
	int i;

	for (i = 0; i < 300; i++)
		one_case();
}
END_TEST

/* The cases above under one TZ of the process; see tz_independent. */
static void
answers(long *out)
{
	struct tkt_cal cal;
	int i;

	weekdays(&cal, 9 * 60, 18 * 60);
	out[0] = (long)tkt_cal_add(&cal, utc(2026, 3, 6, 14, 0), 8 * HOUR);
	tkt_cal_free(&cal);
	cal_init(&cal, "America/New_York");
	cal_days(&cal, SUN, SAT, 60, 180);
	out[1] = (long)tkt_cal_add(&cal, utc(2026, 3, 7, 0, 0), 150 * MIN);
	out[2] = tkt_cal_span(&cal, utc(2026, 10, 30, 0, 0),
	    utc(2026, 11, 3, 0, 0));
	tkt_cal_free(&cal);
	rng = 12345;
	for (i = 0; i < 20; i++) {
		random_cal(&cal, 1774746000);
		out[3 + i] = (long)tkt_cal_add(&cal, 1774746000 - 86400,
		    (long)(i + 1) * HOUR);
		tkt_cal_free(&cal);
	}
}

static void
check_tz(const char *want)
{
	const char *tz = getenv("TZ");

	if (want == NULL)
		ck_assert_ptr_null(tz);
	else {
		ck_assert_ptr_nonnull(tz);
		ck_assert_str_eq(tz, want);
	}
}

START_TEST(tz_independent)
{
	static const char *tzs[] = { NULL, "UTC", "America/New_York" };
	long want[23], got[23];
	struct tkt_cal cal;
	size_t i;
	const char *old = getenv("TZ");
	char *save = old ? strdup(old) : NULL;

	for (i = 0; i < sizeof(tzs) / sizeof(tzs[0]); i++) {
		if (tzs[i] == NULL)
			unsetenv("TZ");
		else
			setenv("TZ", tzs[i], 1);
		tzset();
		answers(i == 0 ? want : got);
		check_tz(tzs[i]);
		if (i > 0)
			ck_assert_mem_eq(want, got, sizeof(want));
		weekdays(&cal, 9 * 60, 18 * 60);
		tkt_cal_span(&cal, 0, 86400 * 30);
		check_tz(tzs[i]);
		tkt_cal_free(&cal);
	}
	/* New York's March change: 02:00-03:00 does not exist. */
	ck_assert_int_eq(want[1], utc(2026, 3, 8, 6, 30));
	/* Its November change: 01:00-02:00 is lived twice. */
	ck_assert_int_eq(want[2], 9 * HOUR);
	if (save)
		setenv("TZ", save, 1);
	else
		unsetenv("TZ");
	tzset();
	free(save);
}
END_TEST

Suite *
cal_suite(void)
{
	Suite *s = suite_create("cal");
	TCase *tc = tcase_create("cal");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, always);
	tcase_add_test(tc, case1_berlin_spring);
	tcase_add_test(tc, case2_london_autumn);
	tcase_add_test(tc, case3_weekend);
	tcase_add_test(tc, case4_lunch);
	tcase_add_test(tc, case5_tuesdays);
	tcase_add_test(tc, case7_pause);
	tcase_add_test(tc, holidays);
	tcase_add_test(tc, dst_boundaries);
	tcase_add_test(tc, hasopen);
	tcase_add_test(tc, overlapping);
	tcase_add_test(tc, property_walk);
	tcase_add_test(tc, tz_independent);
	suite_add_tcase(s, tc);
	return s;
}
