/*
 * cal.c: the business calendar, which says how much business time lies
 * between two instants and when a given amount of it has passed.
 *
 * A calendar is 24x7, where business time is wall time, or weekly
 * opening hours in an IANA zone with holidays.  The model is the wall
 * clock's: an instant is working time when its local time in the zone,
 * read as a date D and a minute of the day m, has m inside one of the
 * segments of D's weekday and D is not a holiday.  What follows from it
 * at daylight-saving changes:
 *
 *  - Wall times that a change skips do not exist, so a segment boundary
 *    that falls in the gap takes effect when the gap ends, and a
 *    segment wholly inside it counts nothing.
 *  - Wall times that a change repeats exist twice and count twice: a
 *    desk open 01:00-04:00 on the night the clocks go back works four
 *    hours.  A boundary inside the repeated hour therefore takes effect
 *    at both of its occurrences.
 *  - A day of a 00:00-24:00 calendar is as long as that day is: 23 or
 *    25 hours when the clocks change.
 *
 * Local time comes from the C library under TZ set to the calendar's
 * zone, never the process's own TZ, which is put back after every use.
 * Because switching TZ is slow, time is cut into UTC blocks of a week,
 * and for each block the working intervals are worked out once, under
 * one switch, and kept with their running sums in the cache the
 * calendar owns.  Both questions then walk whole blocks by their totals
 * and search within the first and last.  The offset of the zone is
 * sampled every hour and each change found to the second: a zone with
 * two changes less than an hour apart is assumed not to exist.
 *
 * A calendar must not change after its first use (tkt_cal_free resets
 * it), and nothing here is safe to call from several threads at once:
 * neither is setenv.
 */

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tkt.h"

/* 9999-12-31T23:59:59Z, or the largest 32-bit time_t, as in time.c. */
#define TIME_LAST	((time_t)(sizeof(time_t) >= 8 ? \
			    253402300799LL : 2147483647LL))

#define DAY		86400L
#define BLOCK		(7 * DAY)	/* UTC seconds a cache block spans */
#define NSLOT		128		/* blocks kept; a power of two */
#define MAXIV		256		/* working intervals in a block */
#define MAXPIECE	32		/* runs of one offset in a block */
#define STEP		3600		/* how often the offset is sampled */

struct iv {
	long long	 from;		/* UTC, inclusive */
	long long	 to;		/* exclusive */
};

/* The working time in [start, start + BLOCK). */
struct block {
	long long	 n;		/* block number: start / BLOCK */
	int		 niv;
	long		 total;
	struct iv	 iv[MAXIV];
	long		 sum[MAXIV + 1];	/* working time before iv[i] */
};

struct cache {
	struct tkt_seg	 seg[7][TKT_MAXSEG];	/* sorted, merged */
	int		 nseg[7];
	struct block	*slot[NSLOT];
};

/* A stretch of time under one UTC offset. */
struct piece {
	long long	 from;
	long long	 to;
	long		 off;		/* local minus UTC, seconds */
};

static long long
floordiv(long long a, long long b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static int
segcmp(const void *a, const void *b)
{
	const struct tkt_seg *x = a, *y = b;

	return (x->from > y->from) - (x->from < y->from);
}

/* One weekday's segments, clipped to the day, sorted and merged. */
static int
normalize(const struct tkt_seg *in, int n, struct tkt_seg *out)
{
	int i, k = 0;

	for (i = 0; i < n && i < TKT_MAXSEG; i++) {
		out[k].from = in[i].from < 0 ? 0 : in[i].from;
		out[k].to = in[i].to > 1440 ? 1440 : in[i].to;
		if (out[k].from < out[k].to)
			k++;
	}
	qsort(out, k, sizeof(*out), segcmp);
	for (i = 1, n = k, k = n > 0; i < n; i++) {
		if (out[i].from <= out[k - 1].to) {
			if (out[i].to > out[k - 1].to)
				out[k - 1].to = out[i].to;
		} else
			out[k++] = out[i];
	}
	return k;
}

/*
 * The cache lives behind the calendar's pointer, so a const calendar
 * still fills it: the callers' calendars are never const objects.
 */
static struct cache *
cache_of(const struct tkt_cal *cal)
{
	struct tkt_cal *mut = (struct tkt_cal *)cal;
	struct cache *c;
	int d;

	if (mut->cache != NULL)
		return mut->cache;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	for (d = 0; d < 7; d++)
		c->nseg[d] = normalize(cal->week[d], cal->nseg[d],
		    c->seg[d]);
	return mut->cache = c;
}

static int
holiday(const struct tkt_cal *cal, long long date)
{
	size_t lo = 0, hi = cal->nholiday, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (cal->holiday[mid] < date)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < cal->nholiday && cal->holiday[lo] == date;
}

/* Local minus UTC at t, under the TZ now in force. */
static long
offset(long long t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (localtime_r(&tt, &tm) == NULL)
		return 0;
	return (long)((long long)tkt_timegm(&tm) - t);
}

/* The instant in (lo, hi] at which the offset stops being off at lo. */
static long long
change(long long lo, long long hi, long off)
{
	long long mid;

	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (offset(mid) == off)
			lo = mid;
		else
			hi = mid;
	}
	return hi;
}

/* Cut [from, to) into stretches of one offset; returns how many. */
static int
pieces(long long from, long long to, struct piece *p)
{
	long long t, next;
	long off;
	int n = 0;

	p[0].from = from;
	p[0].off = offset(from);
	for (t = from; t < to; t = next) {
		next = t + STEP < to ? t + STEP : to;
		if ((off = offset(next)) == p[n].off || next == to)
			continue;
		/* XXX: past MAXPIECE changes a week the last offset sticks. */
		if (n + 1 == MAXPIECE)
			break;
		next = change(t, next, p[n].off);
		p[n].to = next;
		p[++n].from = next;
		p[n].off = offset(next);
	}
	p[n].to = to;
	return n + 1;
}

static void
add_iv(struct block *b, long long from, long long to)
{
	if (from >= to)
		return;
	if (b->niv > 0 && b->iv[b->niv - 1].to == from) {
		b->iv[b->niv - 1].to = to;
		return;
	}
	/* XXX: cannot happen with 8 segments a day and 32 pieces. */
	if (b->niv == MAXIV)
		return;
	b->iv[b->niv].from = from;
	b->iv[b->niv++].to = to;
}

/* The working intervals of one stretch of a single offset. */
static void
fill_piece(const struct tkt_cal *cal, const struct cache *c,
    struct block *b, const struct piece *p)
{
	long long wfrom = p->from + p->off, wto = p->to + p->off;
	long long d, day, lo, hi;
	int wd, i;

	for (d = floordiv(wfrom, DAY); d * DAY < wto; d++) {
		if (holiday(cal, d))
			continue;
		wd = (int)(((d + 4) % 7 + 7) % 7);	/* 1970-01-01: Thu */
		day = d * DAY;
		for (i = 0; i < c->nseg[wd]; i++) {
			lo = day + c->seg[wd][i].from * 60LL;
			hi = day + c->seg[wd][i].to * 60LL;
			lo = lo > wfrom ? lo : wfrom;
			hi = hi < wto ? hi : wto;
			add_iv(b, lo - p->off, hi - p->off);
		}
	}
}

/* Saves the caller's TZ and puts the zone in its place. */
static char *
tz_enter(const char *zone)
{
	const char *s = getenv("TZ");
	char *old = NULL;

	if (s != NULL && (old = strdup(s)) == NULL)
		old = NULL;	/* XXX: out of memory; TZ is then unset */
	setenv("TZ", zone, 1);
	tzset();
	return old;
}

static void
tz_leave(char *old)
{
	if (old != NULL)
		setenv("TZ", old, 1);
	else
		unsetenv("TZ");
	tzset();
	free(old);
}

static void
fill(const struct tkt_cal *cal, const struct cache *c, struct block *b,
    long long n)
{
	struct piece p[MAXPIECE];
	char *old;
	int i, np;

	b->n = n;
	b->niv = 0;
	old = tz_enter(cal->zone);
	np = pieces(n * BLOCK, (n + 1) * BLOCK, p);
	tz_leave(old);
	/* Wall time keeps increasing within a piece, so these are sorted. */
	for (i = 0; i < np; i++)
		fill_piece(cal, c, b, &p[i]);
	b->sum[0] = 0;
	for (i = 0; i < b->niv; i++)
		b->sum[i + 1] = b->sum[i] +
		    (long)(b->iv[i].to - b->iv[i].from);
	b->total = b->sum[b->niv];
}

/* Block n, from the cache or worked out now. */
static const struct block *
block(const struct tkt_cal *cal, long long n)
{
	static struct block spare;	/* when memory runs out */
	struct cache *c = cache_of(cal);
	struct block **slot, *b;
	struct cache tmp;

	if (c == NULL) {
		memset(&tmp, 0, sizeof(tmp));
		for (int d = 0; d < 7; d++)
			tmp.nseg[d] = normalize(cal->week[d], cal->nseg[d],
			    tmp.seg[d]);
		fill(cal, &tmp, &spare, n);
		return &spare;
	}
	slot = &c->slot[(unsigned long long)n % NSLOT];
	if (*slot != NULL && (*slot)->n == n)
		return *slot;
	if (*slot == NULL && (*slot = malloc(sizeof(**slot))) == NULL)
		b = &spare;
	else
		b = *slot;
	fill(cal, c, b, n);
	return b;
}

/* Working time in [start of block, t), t within the block. */
static long
before(const struct block *b, long long t)
{
	int lo = 0, hi = b->niv, mid;

	/* The first interval that ends after t. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (b->iv[mid].to <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == b->niv || b->iv[lo].from >= t)
		return b->sum[lo];
	return b->sum[lo] + (long)(t - b->iv[lo].from);
}

/* The earliest instant with k seconds of the block's working before. */
static long long
at(const struct block *b, long k)
{
	int lo = 0, hi = b->niv - 1, mid;

	/* The first interval whose end has at least k before it. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (b->sum[mid + 1] < k)
			lo = mid + 1;
		else
			hi = mid;
	}
	return b->iv[lo].from + (k - b->sum[lo]);
}

int
tkt_cal_hasopen(const struct tkt_cal *cal)
{
	int d, i;

	if (cal->always)
		return 1;
	for (d = 0; d < 7; d++)
		for (i = 0; i < cal->nseg[d] && i < TKT_MAXSEG; i++)
			if (cal->week[d][i].from < cal->week[d][i].to &&
			    cal->week[d][i].to > 0 &&
			    cal->week[d][i].from < 1440)
				return 1;
	return 0;
}

long
tkt_cal_span(const struct tkt_cal *cal, time_t a, time_t b)
{
	const struct block *bl;
	long long n, last, from, to;
	long sum = 0, part;

	if (b <= a)
		return 0;
	if (cal->always)
		return (long long)b - a > LONG_MAX ? LONG_MAX : (long)(b - a);
	last = floordiv(b - 1, BLOCK);
	for (n = floordiv(a, BLOCK); n <= last; n++) {
		bl = block(cal, n);
		from = a > n * BLOCK ? a : n * BLOCK;
		to = b < (n + 1) * BLOCK ? b : (n + 1) * BLOCK;
		if (from == n * BLOCK && to == (n + 1) * BLOCK)
			part = bl->total;
		else
			part = before(bl, to) - before(bl, from);
		if (part > LONG_MAX - sum)
			return LONG_MAX;
		sum += part;
	}
	return sum;
}

/*
 * Business time never runs backwards, so a count of zero or less is
 * a itself; a count that runs past the last instant tkt handles, or a
 * calendar that never opens, stops there.
 */
time_t
tkt_cal_add(const struct tkt_cal *cal, time_t a, long secs)
{
	const struct block *bl;
	long long n;
	long left;

	if (secs <= 0)
		return a;
	if (cal->always) {
		if (secs > (long long)TIME_LAST - a)
			return a < TIME_LAST ? TIME_LAST : a;
		return a + secs;
	}
	/* Repeated hours aside, business time is at most wall time. */
	if (!tkt_cal_hasopen(cal) || secs / 2 > (long long)TIME_LAST - a)
		return a < TIME_LAST ? TIME_LAST : a;
	for (n = floordiv(a, BLOCK); n * BLOCK <= TIME_LAST; n++) {
		bl = block(cal, n);
		left = bl->total;
		if (a > n * BLOCK)
			left -= before(bl, a);
		if (left >= secs) {
			n = at(bl, bl->total - left + secs);
			return n > TIME_LAST ? TIME_LAST : (time_t)n;
		}
		secs -= left;
	}
	return a < TIME_LAST ? TIME_LAST : a;
}

void
tkt_cal_free(struct tkt_cal *cal)
{
	struct cache *c = cal->cache;
	int i;

	if (c != NULL)
		for (i = 0; i < NSLOT; i++)
			free(c->slot[i]);
	free(c);
	cal->cache = NULL;
	free(cal->holiday);
	cal->holiday = NULL;
	cal->nholiday = 0;
}

/*
 * Call fn with each stretch of working time in [a, b), in order and
 * clipped to it; stretches that touch across blocks are joined.
 */
void
tkt_cal_open(const struct tkt_cal *cal, time_t a, time_t b,
    tkt_cal_fn fn, void *arg)
{
	const struct block *bl;
	long long n, last, from = 0, to = 0, lo, hi;
	int i;

	if (b <= a)
		return;
	if (cal->always) {
		fn(arg, a, b);
		return;
	}
	last = floordiv(b - 1, BLOCK);
	for (n = floordiv(a, BLOCK); n <= last; n++) {
		bl = block(cal, n);
		for (i = 0; i < bl->niv; i++) {
			lo = bl->iv[i].from > a ? bl->iv[i].from : a;
			hi = bl->iv[i].to < b ? bl->iv[i].to : b;
			if (lo >= hi)
				continue;
			if (to != from && lo == to) {
				to = hi;
				continue;
			}
			if (to != from)
				fn(arg, (time_t)from, (time_t)to);
			from = lo;
			to = hi;
		}
	}
	if (to != from)
		fn(arg, (time_t)from, (time_t)to);
}

/* t as tkt_time_local shows it, but in the calendar's zone. */
void
tkt_cal_local(const struct tkt_cal *cal, time_t t, char *buf, size_t n)
{
	char *old;

	if (cal->always || cal->zone[0] == '\0') {
		tkt_time_local(t, buf, n);
		return;
	}
	old = tz_enter(cal->zone);
	tkt_time_local(t, buf, n);
	tz_leave(old);
}

/* "Fri 2026-03-06 15:00 CET": t as the calendar's zone shows it. */
void
tkt_cal_fmt(const struct tkt_cal *cal, time_t t, char *buf, size_t n)
{
	struct tm tm;
	char *old = NULL;
	int zoned;

	if (n == 0)
		return;
	buf[0] = '\0';
	if ((zoned = !cal->always && cal->zone[0] != '\0'))
		old = tz_enter(cal->zone);
	if (localtime_r(&t, &tm) == NULL ||
	    strftime(buf, n, "%a %Y-%m-%d %H:%M %Z", &tm) == 0)
		buf[0] = '\0';
	if (zoned)
		tz_leave(old);
}
