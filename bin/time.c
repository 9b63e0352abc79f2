/*
 * time.c: instants and durations.
 *
 * Inside tkt an instant is a time_t counted in UTC and a duration is a
 * count of seconds.  This file turns both into text and back; the
 * business calendar is cal.c's.  Only the C locale's digits and fixed
 * English names are written, so output never depends on the user's
 * locale.
 *
 * Instants are kept within 1970-01-01T00:00:00Z through
 * 9999-12-31T23:59:59Z (or the end of a 32-bit time_t): every parser
 * refuses anything else, so every formatter has four digits of year.
 */

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "tkt.h"

/* 9999-12-31T23:59:59Z, or the largest 32-bit time_t. */
#define TIME_LAST	((time_t)(sizeof(time_t) >= 8 ? \
			    253402300799LL : 2147483647LL))

static const char *const wdays[] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
};
static const char *const months[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};

/* A cursor over bytes that need not end in a NUL. */
struct scan {
	const char *p;
	const char *end;
};

static int
leapyear(int y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static int
mdays(int y, int m)
{
	static const int n[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	return m == 2 && leapyear(y) ? 29 : n[m - 1];
}

/*
 * Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar.
 * Shifting the year to start in March puts the leap day last, so the
 * day of the year follows from the month by one linear formula.
 */
static long long
civil_days(long long y, int m, int d)
{
	long long era, yoe, doy, doe;

	if (m <= 2)
		y--;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static long long
seconds(const struct tm *tm)
{
	long long days;

	days = civil_days(tm->tm_year + 1900LL, tm->tm_mon + 1, tm->tm_mday);
	return days * 86400 + tm->tm_hour * 3600LL + tm->tm_min * 60LL +
	    tm->tm_sec;
}

time_t
tkt_timegm(const struct tm *tm)
{
	return (time_t)seconds(tm);
}

static int
in_range(long long t)
{
	return t >= 0 && t <= (long long)TIME_LAST;
}

/* Exactly n digits. */
static int
scan_num(struct scan *sc, int n, int *v)
{
	*v = 0;
	if (sc->end - sc->p < n)
		return -1;
	for (; n > 0; n--, sc->p++) {
		if (*sc->p < '0' || *sc->p > '9')
			return -1;
		*v = *v * 10 + (*sc->p - '0');
	}
	return 0;
}

/* One byte out of set; returns it, or 0 when there is none. */
static int
scan_one(struct scan *sc, const char *set)
{
	int c;

	if (sc->p == sc->end || *sc->p == '\0' || !strchr(set, *sc->p))
		return 0;
	c = *sc->p++;
	return c;
}

static int
scan_date(struct scan *sc, struct tm *tm)
{
	int y, m, d;

	if (scan_num(sc, 4, &y) || !scan_one(sc, "-") ||
	    scan_num(sc, 2, &m) || !scan_one(sc, "-") ||
	    scan_num(sc, 2, &d))
		return -1;
	if (m < 1 || m > 12 || d < 1 || d > mdays(y, m))
		return -1;
	memset(tm, 0, sizeof(*tm));
	tm->tm_year = y - 1900;
	tm->tm_mon = m - 1;
	tm->tm_mday = d;
	return 0;
}

/*
 * A time of day into tm, checked.  POSIX time has no leap seconds, so
 * a leap second :60 is read as :59 of the same minute; the instant
 * stays before the next minute and the order of events is kept.
 */
static int
settime(struct tm *tm, int h, int m, int s)
{
	if (h > 23 || m > 59 || s > 60)
		return -1;
	tm->tm_hour = h;
	tm->tm_min = m;
	tm->tm_sec = s == 60 ? 59 : s;
	return 0;
}

/*
 * HH:MM, then :SS unless optional.
 */
static int
scan_clock(struct scan *sc, struct tm *tm, int secopt)
{
	int h, m, s = 0;

	if (scan_num(sc, 2, &h) || !scan_one(sc, ":") ||
	    scan_num(sc, 2, &m))
		return -1;
	if (!secopt || (sc->p < sc->end && *sc->p == ':'))
		if (!scan_one(sc, ":") || scan_num(sc, 2, &s))
			return -1;
	return settime(tm, h, m, s);
}

/* Z, or +HH:MM / -HH:MM; the offset east of UTC in seconds. */
static int
scan_zone(struct scan *sc, long *off)
{
	int sign, h, m;

	if (scan_one(sc, "Zz")) {
		*off = 0;
		return 0;
	}
	if (!(sign = scan_one(sc, "+-")) || scan_num(sc, 2, &h) ||
	    !scan_one(sc, ":") || scan_num(sc, 2, &m) || h > 23 || m > 59)
		return -1;
	*off = (h * 3600L + m * 60L) * (sign == '-' ? -1 : 1);
	return 0;
}

/* The two digits at s as a number, or -1. */
static int
two(const char *s)
{
	unsigned a, b;

	a = (unsigned char)s[0] - '0';
	b = (unsigned char)s[1] - '0';
	return a > 9 || b > 9 ? -1 : (int)(a * 10 + b);
}

/*
 * The form every ticket holds, 2026-12-04T16:03:02Z, read without the
 * scanner; anything else, valid or not, is left to it (-1).  The
 * events of a ticket come in runs on one day, so the last date read is
 * kept with its day number.
 */
static int
parse_utc(const char *s, size_t n, time_t *t)
{
	static char date[10];
	static long long days = -1;
	long long v;
	int c, y, mo, d, h, mi, sec;

	if (n != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
	    s[13] != ':' || s[16] != ':' || s[19] != 'Z')
		return -1;
	if (days < 0 || memcmp(s, date, sizeof date) != 0) {
		if ((c = two(s)) < 0 || (y = two(s + 2)) < 0)
			return -1;
		y += 100 * c;
		if ((mo = two(s + 5)) < 1 || mo > 12 ||
		    (d = two(s + 8)) < 1 || d > mdays(y, mo))
			return -1;
		days = civil_days(y, mo, d);
		memcpy(date, s, sizeof date);
	}
	if ((h = two(s + 11)) < 0 || h > 23 || (mi = two(s + 14)) < 0 ||
	    mi > 59 || (sec = two(s + 17)) < 0 || sec > 60)
		return -1;
	v = days * 86400 + h * 3600LL + mi * 60LL + (sec == 60 ? 59 : sec);
	if (!in_range(v))
		return -1;
	*t = (time_t)v;
	return 0;
}

int
tkt_time_parse3339(const char *s, size_t n, time_t *t)
{
	struct scan sc = { s, s + n };
	struct tm tm;
	long off;
	long long v;
	int frac;

	if (parse_utc(s, n, t) == 0)
		return 0;
	if (scan_date(&sc, &tm) || !scan_one(&sc, "Tt ") ||
	    scan_clock(&sc, &tm, 0))
		return -1;
	/* Sub-second digits are allowed and dropped. */
	if (scan_one(&sc, ".")) {
		if (scan_num(&sc, 1, &frac))
			return -1;
		while (scan_num(&sc, 1, &frac) == 0)
			;
	}
	if (scan_zone(&sc, &off) || sc.p != sc.end)
		return -1;
	v = seconds(&tm) - off;
	if (!in_range(v))
		return -1;
	*t = (time_t)v;
	return 0;
}

static int
parse_epoch(const char *s, time_t *t)
{
	long long v = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
		if (!in_range(v))
			return -1;
	}
	*t = (time_t)v;
	return 0;
}

static int
same_clock(const struct tm *a, const struct tm *b)
{
	return a->tm_year == b->tm_year && a->tm_mon == b->tm_mon &&
	    a->tm_mday == b->tm_mday && a->tm_hour == b->tm_hour &&
	    a->tm_min == b->tm_min && a->tm_sec == b->tm_sec;
}

/*
 * Local wall-clock time to an instant.  mktime(3) is asked once as
 * standard time and once as daylight time, and an answer counts only
 * when it shows the same wall-clock time again.  So a time that occurs
 * twice (when the clocks go back) is its earlier instant, and a time
 * skipped when the clocks go forward is refused rather than guessed
 * at, which mktime alone leaves to the implementation.
 */
static int
local_time(const struct tm *in, time_t *t)
{
	struct tm tm;
	time_t v, best = -1;
	int dst;

	for (dst = 0; dst <= 1; dst++) {
		tm = *in;
		tm.tm_isdst = dst;
		v = mktime(&tm);
		if (v < 0 || !in_range(v) || !same_clock(&tm, in))
			continue;
		if (best < 0 || v < best)
			best = v;
	}
	if (best < 0)
		return -1;
	*t = best;
	return 0;
}

/*
 * YYYY-MM-DD, optionally followed by T or space and HH:MM[:SS].
 * XXX: a bare date is local midnight, which a few zones skip on the
 * day their clocks go forward; such a date is refused, not moved.
 */
static int
parse_local(const char *s, time_t *t)
{
	struct scan sc = { s, s + strlen(s) };
	struct tm tm;

	if (scan_date(&sc, &tm))
		return -1;
	if (sc.p != sc.end)
		if (!scan_one(&sc, "Tt ") || scan_clock(&sc, &tm, 1))
			return -1;
	if (sc.p != sc.end)
		return -1;
	return local_time(&tm, t);
}

int
tkt_time_parse(const char *s, time_t *t)
{
	if (*s == '@')
		return parse_epoch(s + 1, t);
	if (tkt_time_parse3339(s, strlen(s), t) == 0)
		return 0;
	return parse_local(s, t);
}

/*
 * Mail dates: RFC 5322 3.3 with the obsolete forms of 4.3, and what
 * mailers send besides.  A date is a dozen tokens at most, read in
 * place, so however long its comments or blanks, the work is a few
 * passes over the input and needs no buffer.
 */

static const char *const wday_names[] = {
	"sunday", "monday", "tuesday", "wednesday", "thursday", "friday",
	"saturday"
};
static const char *const month_names[] = {
	"january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december"
};

/*
 * Of the names RFC 822 defined, only these North American ones are not
 * UTC.  UT, GMT and Z are.  So are the military letters: RFC 822
 * gave them the wrong signs, and RFC 5322 4.3 says to take them as
 * -0000, an unknown offset, which tkt reads as UTC.
 * XXX: every other name is read as UTC too, so a bare "CEST" is two
 * hours off.  Abbreviations are ambiguous (IST is India, Ireland or
 * Israel), and a table of them would only trade that for a guess.
 */
static const struct {
	const char	*name;
	int		 hours;
} zone_names[] = {
	{ "est", -5 }, { "edt", -4 }, { "cst", -6 }, { "cdt", -5 },
	{ "mst", -7 }, { "mdt", -6 }, { "pst", -8 }, { "pdt", -7 },
};

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int
letter(int c)
{
	c = lower(c);
	return c >= 'a' && c <= 'z';
}

static int
at_digit(const struct scan *sc)
{
	return sc->p < sc->end && *sc->p >= '0' && *sc->p <= '9';
}

static int
blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * One comment, which may nest and may hold \-escaped bytes.  An
 * unclosed one is left in place, where no token can start, so the
 * date is refused.
 */
static void
skip_comment(struct scan *sc)
{
	const char *p;
	size_t depth = 0;

	for (p = sc->p; p < sc->end; p++) {
		if (*p == '\\') {
			if (++p == sc->end)
				return;
		} else if (*p == '(')
			depth++;
		else if (*p == ')' && --depth == 0) {
			sc->p = p + 1;
			return;
		}
	}
}

static void
skip_cfws(struct scan *sc)
{
	const char *p;

	do {
		p = sc->p;
		if (sc->p < sc->end && blank(*sc->p))
			sc->p++;
		else if (sc->p < sc->end && *sc->p == '(')
			skip_comment(sc);
	} while (sc->p != p);
}

/* min to max digits; their count, or -1. */
static int
mail_num(struct scan *sc, int min, int max, int *v)
{
	int n = 0;

	skip_cfws(sc);
	for (*v = 0; at_digit(sc); sc->p++) {
		if (++n > max)
			return -1;
		*v = *v * 10 + (*sc->p - '0');
	}
	return n < min ? -1 : n;
}

/* A run of letters, which may be empty; its length. */
static size_t
mail_word(struct scan *sc, const char **w)
{
	skip_cfws(sc);
	for (*w = sc->p; sc->p < sc->end && letter(*sc->p); sc->p++)
		;
	return sc->p - *w;
}

/* The three-letter abbreviation or the whole English name. */
static int
name_index(const char *w, size_t len, const char *const *names, int n)
{
	size_t i;
	int k;

	for (k = 0; k < n; k++) {
		if (len != 3 && len != strlen(names[k]))
			continue;
		for (i = 0; i < len && lower(w[i]) == names[k][i]; i++)
			;
		if (i == len)
			return k;
	}
	return -1;
}

static int
mail_month(struct scan *sc)
{
	const char *w;
	size_t len;

	len = mail_word(sc, &w);
	return name_index(w, len, month_names, 12);
}

/*
 * The day of the week is skipped and not checked against the date:
 * a wrong one says nothing about which of the two is right.
 */
static void
mail_wday(struct scan *sc)
{
	const char *w, *start = sc->p;
	size_t len;

	len = mail_word(sc, &w);
	if (name_index(w, len, wday_names, 7) < 0) {
		sc->p = start;
		return;
	}
	skip_cfws(sc);
	scan_one(sc, ".");
	skip_cfws(sc);
	scan_one(sc, ",");
}

/*
 * RFC 5322 4.3: two digits are 2000-2049 or 1950-1999, three count
 * from 1900.
 */
static int
mail_year(struct scan *sc, int *y)
{
	int n;

	if ((n = mail_num(sc, 2, 4, y)) < 0)
		return -1;
	if (n == 2)
		*y += *y < 50 ? 2000 : 1900;
	else if (n == 3)
		*y += 1900;
	return 0;
}

static int
mail_colon(struct scan *sc)
{
	skip_cfws(sc);
	return scan_one(sc, ":");
}

/* A leap second is :59, as in tkt_time_parse3339. */
static int
mail_clock(struct scan *sc, struct tm *tm)
{
	int h, m, s = 0;

	if (mail_num(sc, 1, 2, &h) < 0 || !mail_colon(sc) ||
	    mail_num(sc, 2, 2, &m) < 0)
		return -1;
	if (mail_colon(sc) && mail_num(sc, 2, 2, &s) < 0)
		return -1;
	return settime(tm, h, m, s);
}

/*
 * A zone name of up to five letters: 1 and its offset, or 0 when there
 * is none.  A longer word is no zone but garbage.
 */
static int
zone_name(struct scan *sc, long *off)
{
	const char *w;
	size_t len, i, j;

	if ((len = mail_word(sc, &w)) == 0)
		return 0;
	if (len > 5)
		return -1;
	*off = 0;
	for (i = 0; i < sizeof(zone_names) / sizeof(zone_names[0]); i++) {
		for (j = 0; j < len && lower(w[j]) == zone_names[i].name[j];
		    j++)
			;
		if (j == len && zone_names[i].name[j] == '\0')
			*off = zone_names[i].hours * 3600L;
	}
	return 1;
}

/*
 * +hhmm or -hhmm, or a name; 1 when there was a zone, 0 when not, -1
 * when it is malformed.  A name after an offset, as in "+0200 CEST",
 * is skipped: the offset says more.
 */
static int
mail_zone(struct scan *sc, long *off)
{
	long dummy;
	int sign, v;

	skip_cfws(sc);
	if (!(sign = scan_one(sc, "+-")))
		return zone_name(sc, off);
	if (scan_num(sc, 4, &v) || at_digit(sc) || v / 100 > 23 ||
	    v % 100 > 59)
		return -1;
	*off = (v / 100 * 3600L + v % 100 * 60L) * (sign == '-' ? -1 : 1);
	return zone_name(sc, &dummy) < 0 ? -1 : 1;
}

static int
mail_setdate(struct tm *tm, int y, int m, int d)
{
	if (m < 0 || d < 1 || d > mdays(y, m + 1))
		return -1;
	tm->tm_year = y - 1900;
	tm->tm_mon = m;
	tm->tm_mday = d;
	return 0;
}

/*
 * 6 Oct 2022 12:27:13 +0200, or 6-Oct-2022 ....  No zone at all is
 * read as UTC, as -0000 is.
 */
static int
mail_rfc(struct scan *sc, struct tm *tm, long *off)
{
	int d, m, y, dash;

	if (mail_num(sc, 1, 2, &d) < 0)
		return -1;
	dash = scan_one(sc, "-");
	if ((m = mail_month(sc)) < 0 || (dash && !scan_one(sc, "-")))
		return -1;
	if (mail_year(sc, &y) || mail_setdate(tm, y, m, d) ||
	    mail_clock(sc, tm) || mail_zone(sc, off) < 0)
		return -1;
	return 0;
}

/* Jul 24 18:55:07 2007 as asctime(3) has it, with a zone either side. */
static int
mail_asctime(struct scan *sc, struct tm *tm, long *off)
{
	int d, m, y, z;

	if ((m = mail_month(sc)) < 0 || mail_num(sc, 1, 2, &d) < 0 ||
	    mail_clock(sc, tm) || (z = mail_zone(sc, off)) < 0 ||
	    mail_year(sc, &y) || (z == 0 && mail_zone(sc, off) < 0))
		return -1;
	return mail_setdate(tm, y, m, d);
}

/* Neither TZ nor the clock is consulted: an unknown zone is UTC. */
int
tkt_time_parsemail(const char *s, time_t *t)
{
	struct scan sc = { s, s + strlen(s) };
	struct tm tm;
	long off = 0;
	long long v;
	int rfc;

	memset(&tm, 0, sizeof(tm));
	mail_wday(&sc);
	skip_cfws(&sc);
	/* The day comes before the month name; asctime(3) has it after. */
	rfc = at_digit(&sc);
	if (rfc ? mail_rfc(&sc, &tm, &off) : mail_asctime(&sc, &tm, &off))
		return -1;
	skip_cfws(&sc);
	if (sc.p != sc.end)
		return -1;
	v = seconds(&tm) - off;
	if (!in_range(v))
		return -1;
	*t = (time_t)v;
	return 0;
}

/* The formatters clamp, so a wild time_t cannot overrun a buffer. */
static void
utc(time_t t, struct tm *tm)
{
	if (t < 0)
		t = 0;
	if (t > TIME_LAST)
		t = TIME_LAST;
	gmtime_r(&t, tm);
}

static char *
put(char *p, int v, int width)
{
	char *q;

	for (q = p + width; q > p; v /= 10)
		*--q = '0' + v % 10;
	return p + width;
}

void
tkt_time_fmt(time_t t, char buf[21])
{
	struct tm tm;
	char *p;

	utc(t, &tm);
	p = put(buf, tm.tm_year + 1900, 4);
	*p++ = '-';
	p = put(p, tm.tm_mon + 1, 2);
	*p++ = '-';
	p = put(p, tm.tm_mday, 2);
	*p++ = 'T';
	p = put(p, tm.tm_hour, 2);
	*p++ = ':';
	p = put(p, tm.tm_min, 2);
	*p++ = ':';
	p = put(p, tm.tm_sec, 2);
	*p++ = 'Z';
	*p = '\0';
}

/* 2026-12-04 17:03 CET: minutes are enough for people. */
void
tkt_time_local(time_t t, char *buf, size_t n)
{
	struct tm tm;
	char zone[64];
	size_t len;

	if (n == 0)
		return;
	buf[0] = '\0';
	if (localtime_r(&t, &tm) == NULL) {
		if (n >= 21)
			tkt_time_fmt(t, buf);
		return;
	}
	if ((len = strftime(buf, n, "%Y-%m-%d %H:%M", &tm)) == 0) {
		buf[0] = '\0';
		return;
	}
	if (strftime(zone, sizeof(zone), "%Z", &tm) > 0)
		snprintf(buf + len, n - len, " %s", zone);
}

/* Fri, 04 Dec 2026 16:03:02 +0000 */
void
tkt_time_mail(time_t t, char *buf, size_t n)
{
	struct tm tm;

	if (n == 0)
		return;
	utc(t, &tm);
	snprintf(buf, n, "%s, %02d %s %04d %02d:%02d:%02d +0000",
	    wdays[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static const char dur_unit[] = "dhms";
static const long dur_size[] = { 86400, 3600, 60, 1 };

/* Digits into *v; -1 when there are none or too many. */
static int
dur_num(const char **p, long *v)
{
	const char *s = *p;

	for (*v = 0; **p >= '0' && **p <= '9'; (*p)++) {
		if (*v > (LONG_MAX - (**p - '0')) / 10)
			return -1;
		*v = *v * 10 + (**p - '0');
	}
	return *p == s ? -1 : 0;
}

/*
 * 2d4h, 1h30m, 45m, 90s; a bare number is minutes.  Units must come
 * largest first, each at most once, so every duration has one
 * spelling and "1h30" (minutes forgotten?) is an error, not a guess.
 */
int
tkt_dur_parse(const char *s, long *secs)
{
	const char *p = s, *u;
	long total = 0, v, size;

	if (strcmp(s, "none") == 0) {
		*secs = -1;
		return 0;
	}
	if (s[strspn(s, "0123456789")] == '\0') {
		if (dur_num(&p, &v) || v > LONG_MAX / 60)
			return -1;
		*secs = v * 60;
		return 0;
	}
	for (u = dur_unit; *p != '\0'; u++) {
		if (dur_num(&p, &v) || *p == '\0' ||
		    (u = strchr(u, *p++)) == NULL)
			return -1;
		size = dur_size[u - dur_unit];
		if (v > (LONG_MAX - total) / size)
			return -1;
		total += v * size;
	}
	*secs = total;
	return 0;
}

/*
 * The inverse of tkt_dur_parse: largest units first, zero parts left
 * out, 0m for nothing.  A negative duration (overdue by) gets a minus
 * sign, except -1, which is "none" everywhere in tkt.
 */
void
tkt_dur_fmt(long secs, char *buf, size_t n)
{
	char tmp[64];
	unsigned long v, q;
	size_t len = 0, i;

	if (n == 0)
		return;
	if (secs == -1) {
		snprintf(buf, n, "none");
		return;
	}
	v = secs < 0 ? -(unsigned long)secs : (unsigned long)secs;
	if (secs < 0)
		tmp[len++] = '-';
	for (i = 0; i < sizeof(dur_size) / sizeof(dur_size[0]); i++) {
		q = v / dur_size[i];
		v %= dur_size[i];
		if (q > 0)
			len += snprintf(tmp + len, sizeof(tmp) - len, "%lu%c",
			    q, dur_unit[i]);
	}
	if (len == 0)
		snprintf(tmp, sizeof(tmp), "0m");
	snprintf(buf, n, "%s", tmp);
}
