/*
 * conf.c: the desk's config file (tkt-config(5)).
 *
 * One setting per line, a keyword and its values separated by blanks;
 * '#' starts a comment, which no value can contain.  Anything not
 * understood is an error naming the file and line, and nothing is
 * guessed: a desk that escalates by the wrong limit is worse than one
 * that refuses to start.  Each setting may be given once.
 *
 * Calendars are declared, then given hours and holidays by name; a
 * limit or a use line may be qualified by client and priority.  Every
 * limit and use line is kept as a policy, so that tkt_conf_rule can
 * name the line that decided; an unqualified one also sets the desk's
 * default in conf->limit or conf->cal.
 */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tkt.h"

#define MAXWORDS	64
#define ANY		(-1)		/* MAXWORDS values allowed */

/* What is being read, and on which line each setting was made. */
struct cf {
	const char *path;
	int	 lineno;
	struct tkt_conf *conf;
	int	 tiersline;
	int	 recurline;
	int	 reopenline;
	int	 floodline;
	int	 prefixline;
	int	 costline[TKT_MAXTIER + 1];
	int	 warnline[TKT_MAXTIER + 1];	/* [0]: the desk-wide one */
	int	*calline;		/* each calendar's declaration */
	int	 desk;			/* 1 + the desk calendar's index */
};

struct keyword {
	const char *name;
	int	 min;			/* values after the keyword */
	int	 max;			/* ANY: as many as fit */
	const char *usage;
	int	 (*set)(struct cf *, int, char **);
};

static int	 set_tiers(struct cf *, int, char **);
static int	 set_limit(struct cf *, int, char **);
static int	 set_cost(struct cf *, int, char **);
static int	 set_recur(struct cf *, int, char **);
static int	 set_calendar(struct cf *, int, char **);
static int	 set_hours(struct cf *, int, char **);
static int	 set_holiday(struct cf *, int, char **);
static int	 set_holidays(struct cf *, int, char **);
static int	 set_use(struct cf *, int, char **);
static int	 set_warn(struct cf *, int, char **);
static int	 set_reopen(struct cf *, int, char **);
static int	 set_flood(struct cf *, int, char **);
static int	 set_prefix(struct cf *, int, char **);
static int	 split(char *, char **);

/* Limit and use take qualifiers, which report their own extra words. */
static const struct keyword keywords[] = {
	{ "tiers", 1, 1, "tiers N", set_tiers },
	{ "limit", 2, ANY, "limit TIER DURATION [client=C] [priority=P]",
	    set_limit },
	{ "cost", 2, 2, "cost TIER AMOUNT", set_cost },
	{ "recur", 1, 1, "recur N", set_recur },
	{ "calendar", 2, 2, "calendar NAME ZONE", set_calendar },
	{ "hours", 3, ANY, "hours NAME DAYS HH:MM-HH:MM ...", set_hours },
	{ "holiday", 2, ANY, "holiday NAME YYYY-MM-DD ...", set_holiday },
	{ "holidays", 2, 2, "holidays NAME FILE", set_holidays },
	{ "use", 1, ANY, "use NAME [client=C] [priority=P]", set_use },
	{ "warn", 1, 2, "warn [TIER] LEAD", set_warn },
	{ "reopen", 1, 1, "reopen DURATION", set_reopen },
	{ "flood", 1, 2, "flood N DURATION", set_flood },
	{ "reply-prefix", 1, ANY, "reply-prefix WORD ...", set_prefix },
};

/*
 * What mail clients put before a subject they reply to or forward, in
 * the languages a desk most often meets; "reply-prefix" replaces it.
 */
static const char default_prefix[] =
    "re aw sv vs wg fwd fw tr antw rif odp res enc rv ynt vb doorst "
    "vl sr";

static const char *const dayname[7] = {
	"sun", "mon", "tue", "wed", "thu", "fri", "sat"
};

void
tkt_conf_default(struct tkt_conf *conf)
{
	int i;

	memset(conf, 0, sizeof(*conf));
	conf->tiers = 3;
	for (i = 0; i <= TKT_MAXTIER; i++) {
		conf->limit[i] = -1;
		conf->cost[i] = 0;
		conf->warn[i] = i == 0 ? -1 : -2;
		conf->warnpct[i] = 0;
	}
	conf->limit[1] = 30 * 60;
	conf->limit[2] = 60 * 60;
	conf->recur = 3;
	conf->reopen = 14 * 86400;
	conf->flood = 5;
	conf->floodwin = 10 * 60;
	conf->prefix = NULL;
	conf->nprefix = 0;
	conf->cal.always = 1;
	snprintf(conf->cal.name, sizeof conf->cal.name, "24x7");
}

/* Report at line; always -1, so callers can return bad(...). */
static int
bad(const struct cf *cf, int line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	tkt_warn("%s: line %d: %s", cf->path, line, msg);
	return -1;
}

/* A plain decimal integer in [min, max]: no sign, no blanks. */
static int
number(const char *s, long min, long max, long *v)
{
	*v = 0;
	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		*v = *v * 10 + (*s - '0');
		if (*v > max)
			return -1;
	}
	return *v < min ? -1 : 0;
}

/* Checks that a setting, of tier t if not 0, is new; records its line. */
static int
once(struct cf *cf, int *line, const char *what, long t)
{
	if (*line != 0 && t != 0)
		return bad(cf, cf->lineno, "%s for tier %ld already set at "
		    "line %d", what, t, *line);
	if (*line != 0)
		return bad(cf, cf->lineno, "%s already set at line %d",
		    what, *line);
	*line = cf->lineno;
	return 0;
}

static int
tier(struct cf *cf, const char *s, long *t)
{
	if (number(s, 1, TKT_MAXTIER, t))
		return bad(cf, cf->lineno, "bad tier \"%s\": must be 1 to %d",
		    s, TKT_MAXTIER);
	return 0;
}

static int
set_tiers(struct cf *cf, int ac, char **av)
{
	long n;

	(void)ac;
	if (number(av[1], 1, TKT_MAXTIER, &n))
		return bad(cf, cf->lineno,
		    "bad number of tiers \"%s\": must be 1 to %d",
		    av[1], TKT_MAXTIER);
	if (once(cf, &cf->tiersline, "tiers", 0))
		return -1;
	cf->conf->tiers = (int)n;
	return 0;
}

/* Is the text after client= or priority= acceptable? */
static int
qualifier(struct cf *cf, const char *w, const char *key, char **v)
{
	size_t n = strlen(key);

	if (strncmp(w, key, n) != 0 || w[n] != '=')
		return 1;
	if (*v != NULL)
		return bad(cf, cf->lineno, "%s given twice", key);
	if (w[n + 1] == '\0')
		return bad(cf, cf->lineno, "empty %s in \"%s\"", key, w);
	*v = tkt_strdup(w + n + 1);
	return 0;
}

/* The words after a limit's or a use's values, into a new policy. */
static int
qualifiers(struct cf *cf, int ac, char **av, int from,
    struct tkt_policy *p)
{
	int i, r;

	memset(p, 0, sizeof *p);
	p->limit = -2;
	p->cal = -1;
	p->line = cf->lineno;
	for (i = from; i < ac; i++) {
		if ((r = qualifier(cf, av[i], "client", &p->client)) == 1)
			r = qualifier(cf, av[i], "priority", &p->priority);
		if (r == 1)
			r = bad(cf, cf->lineno, "unexpected \"%s\"", av[i]);
		if (r == -1) {
			free(p->client);
			free(p->priority);
			return -1;
		}
	}
	return 0;
}

static int
same(const char *a, const char *b)
{
	return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

/* " client=acme priority=1", for messages. */
static void
qualtext(const struct tkt_policy *p, char *buf, size_t n)
{
	int len;

	len = snprintf(buf, n, "%s%s", p->client ? " client=" : "",
	    p->client ? p->client : "");
	if (len < 0 || (size_t)len >= n)
		len = 0;
	snprintf(buf + len, n - len, "%s%s", p->priority ? " priority=" : "",
	    p->priority ? p->priority : "");
}

/*
 * Adds the policy, unless a line of the same kind with the same tier
 * and qualifiers came before: a second one would be a guess.
 */
static int
addpolicy(struct cf *cf, struct tkt_policy *p)
{
	struct tkt_conf *c = cf->conf;
	struct tkt_policy *q;
	char what[160], qual[120];
	size_t i;

	for (i = 0; i < c->npol; i++) {
		q = &c->pol[i];
		if (q->tier != p->tier ||
		    (q->limit == -2) != (p->limit == -2) ||
		    !same(q->client, p->client) ||
		    !same(q->priority, p->priority))
			continue;
		qualtext(p, qual, sizeof qual);
		if (p->limit != -2)
			snprintf(what, sizeof what, "limit for tier %d%s",
			    p->tier, qual);
		else
			snprintf(what, sizeof what, "calendar%s", qual);
		free(p->client);
		free(p->priority);
		return bad(cf, cf->lineno, "%s already set at line %d",
		    what, q->line);
	}
	c->pol = tkt_realloc(c->pol, (c->npol + 1) * sizeof *c->pol);
	c->pol[c->npol++] = *p;
	return 0;
}

static int
set_limit(struct cf *cf, int ac, char **av)
{
	struct tkt_policy p;
	long t, secs;

	if (tier(cf, av[1], &t))
		return -1;
	if (tkt_dur_parse(av[2], &secs))
		return bad(cf, cf->lineno, "bad duration \"%s\": "
		    "use e.g. 45m, 1h30m, 2d or none", av[2]);
	if (qualifiers(cf, ac, av, 3, &p))
		return -1;
	p.tier = (int)t;
	p.limit = secs;
	if (addpolicy(cf, &p))
		return -1;
	if (p.client == NULL && p.priority == NULL)
		cf->conf->limit[t] = secs;
	return 0;
}

/*
 * A non-negative decimal like 25 or 37.50.  Not strtod(3): it would
 * take the locale's decimal point, signs, hex and "inf".  Up to 15
 * digits are exact in a double, so one division rounds correctly.
 */
static int
amount(const char *s, double *v)
{
	double scale = 1;
	int digits = 0, point = 0, all = 0;

	for (*v = 0; *s != '\0'; s++) {
		if (*s == '.' && !point && digits > 0) {
			point = 1;
			digits = 0;
			continue;
		}
		if (*s < '0' || *s > '9' || ++all > 15)
			return -1;
		digits++;
		*v = *v * 10 + (*s - '0');
		if (point)
			scale *= 10;
	}
	*v /= scale;
	return digits > 0 ? 0 : -1;
}

static int
set_cost(struct cf *cf, int ac, char **av)
{
	double v;
	long t;

	(void)ac;
	if (tier(cf, av[1], &t))
		return -1;
	if (amount(av[2], &v))
		return bad(cf, cf->lineno, "bad amount \"%s\": "
		    "must be a number like 25 or 37.50", av[2]);
	if (once(cf, &cf->costline[t], "cost", t))
		return -1;
	cf->conf->cost[t] = v;
	return 0;
}

static int
set_recur(struct cf *cf, int ac, char **av)
{
	long n;

	(void)ac;
	if (number(av[1], 1, INT_MAX, &n))
		return bad(cf, cf->lineno,
		    "bad recur \"%s\": must be a whole number, 1 or more",
		    av[1]);
	if (once(cf, &cf->recurline, "recur", 0))
		return -1;
	cf->conf->recur = (int)n;
	return 0;
}

/* reopen DURATION: how long after its close a reply reopens a ticket */
static int
set_reopen(struct cf *cf, int ac, char **av)
{
	long v;

	(void)ac;
	if (tkt_dur_parse(av[1], &v))
		return bad(cf, cf->lineno, "bad duration \"%s\": use e.g. "
		    "14d, 0 or none", av[1]);
	if (once(cf, &cf->reopenline, "reopen", 0))
		return -1;
	cf->conf->reopen = v;
	return 0;
}

/* flood N DURATION, or flood none */
static int
set_flood(struct cf *cf, int ac, char **av)
{
	long n, v;

	if (ac == 2 && strcmp(av[1], "none") == 0) {
		n = 0;
		v = 0;
	} else if (ac != 3 || number(av[1], 1, INT_MAX, &n))
		return bad(cf, cf->lineno, "expected \"flood N DURATION\" "
		    "with N a whole number, 1 or more, or \"flood none\"");
	else if (tkt_dur_parse(av[2], &v) || v <= 0)
		return bad(cf, cf->lineno, "bad duration \"%s\": use e.g. "
		    "10m", av[2]);
	if (once(cf, &cf->floodline, "flood", 0))
		return -1;
	cf->conf->flood = (int)n;
	cf->conf->floodwin = v;
	return 0;
}

static void
addprefix(struct tkt_conf *c, const char *w)
{
	c->prefix = tkt_realloc(c->prefix, (c->nprefix + 1) *
	    sizeof *c->prefix);
	c->prefix[c->nprefix++] = tkt_strdup(w);
}

/* reply-prefix WORD ...: the first such line replaces the defaults. */
static int
set_prefix(struct cf *cf, int ac, char **av)
{
	int i;

	for (i = 1; i < ac; i++)
		if (strpbrk(av[i], ":[]") != NULL)
			return bad(cf, cf->lineno, "bad prefix \"%s\": give "
			    "it without the colon", av[i]);
	if (cf->prefixline == 0)
		cf->prefixline = cf->lineno;
	for (i = 1; i < ac; i++)
		addprefix(cf->conf, av[i]);
	return 0;
}

/* The default prefixes, unless the config gave its own. */
static void
finishprefix(struct cf *cf)
{
	char buf[sizeof default_prefix], *av[MAXWORDS + 1];
	int ac, i;

	if (cf->prefixline != 0)
		return;
	memcpy(buf, default_prefix, sizeof buf);
	ac = split(buf, av);
	for (i = 0; i < ac; i++)
		addprefix(cf->conf, av[i]);
}

/*
 * warn [TIER] LEAD: LEAD is a duration before the limit, none, or the
 * share of the limit used, 1% to 99%.
 */
static int
set_warn(struct cf *cf, int ac, char **av)
{
	const char *lead = av[ac - 1];
	char pct[4];
	long t = 0, v, share = 0;
	size_t n = strlen(lead);

	if (ac == 3 && tier(cf, av[1], &t))
		return -1;
	if (n >= 2 && n <= 3 && lead[n - 1] == '%') {
		memcpy(pct, lead, n - 1);
		pct[n - 1] = '\0';
		if (number(pct, 1, 99, &v))
			return bad(cf, cf->lineno, "bad share \"%s\": must be "
			    "1%% to 99%%", lead);
		share = v;
		v = 0;
	} else if (tkt_dur_parse(lead, &v))
		return bad(cf, cf->lineno, "bad lead \"%s\": use e.g. 10m, "
		    "80%% or none", lead);
	if (once(cf, &cf->warnline[t], "warn", t))
		return -1;
	cf->conf->warn[t] = v;
	cf->conf->warnpct[t] = (int)share;
	return 0;
}

/* The index of the calendar called name, or -1. */
static int
findcal(const struct tkt_conf *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->ncal; i++)
		if (strcmp(c->cals[i].name, name) == 0)
			return (int)i;
	return -1;
}

static int
addcal(struct cf *cf, const char *name)
{
	struct tkt_conf *c = cf->conf;
	struct tkt_cal *cal;

	c->cals = tkt_realloc(c->cals, (c->ncal + 1) * sizeof *c->cals);
	cf->calline = tkt_realloc(cf->calline,
	    (c->ncal + 1) * sizeof *cf->calline);
	cal = &c->cals[c->ncal];
	memset(cal, 0, sizeof *cal);
	snprintf(cal->name, sizeof cal->name, "%s", name);
	cf->calline[c->ncal] = cf->lineno;
	return (int)c->ncal++;
}

/* A calendar that hours and holidays may be added to. */
static struct tkt_cal *
owncal(struct cf *cf, const char *name)
{
	int i;

	if (strcmp(name, "24x7") == 0) {
		bad(cf, cf->lineno, "the 24x7 calendar cannot be changed");
		return NULL;
	}
	if ((i = findcal(cf->conf, name)) == -1) {
		bad(cf, cf->lineno, "unknown calendar \"%s\": declare it "
		    "first with \"calendar %s ZONE\"", name, name);
		return NULL;
	}
	return &cf->conf->cals[i];
}

/* Letters, digits, '-', '_' and '.', as a word people can type. */
static int
calname(const char *s, size_t max)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.");

	return n > 0 && s[n] == '\0' && n < max;
}

/*
 * A zone is a TZif file under TZDIR or /usr/share/zoneinfo; a name
 * that could climb out of it is refused before looking.
 */
static int
zonefile(const char *zone)
{
	const char *dir = getenv("TZDIR");
	char path[PATH_MAX], magic[4];
	struct stat sb;
	int fd, ok;

	if (dir == NULL || *dir == '\0')
		dir = "/usr/share/zoneinfo";
	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, zone) >=
	    sizeof path)
		return 0;
	if ((fd = open(path, O_RDONLY)) == -1)
		return 0;
	ok = fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
	    read(fd, magic, 4) == 4 && memcmp(magic, "TZif", 4) == 0;
	close(fd);
	return ok;
}

static int
set_calendar(struct cf *cf, int ac, char **av)
{
	const char *zone = av[2];
	int i;

	(void)ac;
	if (strcmp(av[1], "24x7") == 0)
		return bad(cf, cf->lineno, "24x7 is the built-in calendar; "
		    "choose another name");
	if (!calname(av[1], sizeof cf->conf->cal.name))
		return bad(cf, cf->lineno, "bad calendar name \"%s\": use up "
		    "to 31 letters, digits, '-', '_' or '.'", av[1]);
	if ((i = findcal(cf->conf, av[1])) != -1)
		return bad(cf, cf->lineno, "calendar \"%s\" already declared "
		    "at line %d", av[1], cf->calline[i]);
	if (*zone == '/' || strstr(zone, "..") != NULL ||
	    strlen(zone) >= sizeof(cf->conf->cal.zone))
		return bad(cf, cf->lineno, "bad time zone \"%s\": use a name "
		    "like Europe/Berlin", zone);
	if (!zonefile(zone))
		return bad(cf, cf->lineno, "unknown time zone \"%s\"", zone);
	i = addcal(cf, av[1]);
	snprintf(cf->conf->cals[i].zone, sizeof cf->conf->cals[i].zone,
	    "%s", zone);
	return 0;
}

static int
dayof(const char *s, size_t n)
{
	int d;

	for (d = 0; d < 7; d++)
		if (n == 3 && strncmp(s, dayname[d], 3) == 0)
			return d;
	return -1;
}

/*
 * mon, mon-fri, sat,sun: a set of days, as bits by tm_wday.  A range
 * runs from Monday to Sunday, so mon-sun is the whole week and fri-mon
 * is refused rather than read one way or the other.
 */
static int
days(const char *s, int *mask)
{
	int a, b, d;
	size_t n;

	for (*mask = 0;; s += n + 1) {
		n = strcspn(s, ",");
		if (n == 7 && s[3] == '-') {
			a = dayof(s, 3);
			b = dayof(s + 4, 3);
		} else
			a = b = dayof(s, n);
		if (a == -1 || b == -1 || (a + 6) % 7 > (b + 6) % 7)
			return -1;
		for (d = a;; d = (d + 1) % 7) {
			*mask |= 1 << d;
			if (d == b)
				break;
		}
		if (s[n] == '\0')
			return 0;
	}
}

/* HH:MM as minutes; 24:00 only where end is set. */
static int
hhmm(const char *s, int end)
{
	int h, m;

	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' ||
	    s[2] != ':' || s[3] < '0' || s[3] > '5' || s[4] < '0' ||
	    s[4] > '9')
		return -1;
	h = (s[0] - '0') * 10 + s[1] - '0';
	m = (s[3] - '0') * 10 + s[4] - '0';
	if (h > 24 || (h == 24 && (m != 0 || !end)))
		return -1;
	return h * 60 + m;
}

static void
segtext(const struct tkt_seg *g, char *buf, size_t n)
{
	snprintf(buf, n, "%02d:%02d-%02d:%02d", g->from / 60, g->from % 60,
	    g->to / 60, g->to % 60);
}

/* Adds g to day d, keeping the day's segments sorted and apart. */
static int
addseg(struct cf *cf, struct tkt_cal *cal, int d, struct tkt_seg g)
{
	struct tkt_seg *w = cal->week[d];
	char a[32], b[32];
	int i, n = cal->nseg[d];

	for (i = 0; i < n; i++) {
		if (g.from < w[i].to && w[i].from < g.to) {
			segtext(&g, a, sizeof a);
			segtext(&w[i], b, sizeof b);
			return bad(cf, cf->lineno, "%s overlaps %s on %s in "
			    "calendar \"%s\"", a, b, dayname[d], cal->name);
		}
	}
	if (n == TKT_MAXSEG)
		return bad(cf, cf->lineno, "more than %d opening hours on %s "
		    "in calendar \"%s\"", TKT_MAXSEG, dayname[d], cal->name);
	for (i = n; i > 0 && w[i - 1].from > g.from; i--)
		w[i] = w[i - 1];
	w[i] = g;
	cal->nseg[d]++;
	return 0;
}

static int
set_hours(struct cf *cf, int ac, char **av)
{
	struct tkt_cal *cal;
	struct tkt_seg g;
	int i, d, mask;

	if ((cal = owncal(cf, av[1])) == NULL)
		return -1;
	if (days(av[2], &mask))
		return bad(cf, cf->lineno, "bad days \"%s\": use e.g. mon, "
		    "mon-fri or sat,sun", av[2]);
	for (i = 3; i < ac; i++) {
		if (strlen(av[i]) != 11 || av[i][5] != '-' ||
		    (g.from = hhmm(av[i], 0)) == -1 ||
		    (g.to = hhmm(av[i] + 6, 1)) == -1)
			return bad(cf, cf->lineno, "bad hours \"%s\": use "
			    "HH:MM-HH:MM, e.g. 08:00-12:30", av[i]);
		if (g.from >= g.to)
			return bad(cf, cf->lineno, "bad hours \"%s\": the end "
			    "must come after the start", av[i]);
		for (d = 0; d < 7; d++)
			if ((mask & 1 << d) && addseg(cf, cal, d, g))
				return -1;
	}
	return 0;
}

static int
monthdays(long y, long m)
{
	static const int n[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	int leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);

	return m == 2 && leap ? 29 : n[m - 1];
}

/* YYYY-MM-DD, a real date, as days since 1970-01-01; or -1. */
static long
date(const char *s)
{
	struct tm tm;
	char y[5], m[3], d[3];
	long yv, mv, dv;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	memcpy(y, s, 4);
	memcpy(m, s + 5, 2);
	memcpy(d, s + 8, 2);
	y[4] = m[2] = d[2] = '\0';
	if (number(y, 1970, 9999, &yv) || number(m, 1, 12, &mv) ||
	    number(d, 1, monthdays(yv, mv), &dv))
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = (int)yv - 1900;
	tm.tm_mon = (int)mv - 1;
	tm.tm_mday = (int)dv;
	return (long)(tkt_timegm(&tm) / 86400);
}

static void
addholiday(struct tkt_cal *cal, long day)
{
	cal->holiday = tkt_realloc(cal->holiday,
	    (cal->nholiday + 1) * sizeof *cal->holiday);
	cal->holiday[cal->nholiday++] = day;
}

static int
set_holiday(struct cf *cf, int ac, char **av)
{
	struct tkt_cal *cal;
	long day;
	int i;

	if ((cal = owncal(cf, av[1])) == NULL)
		return -1;
	for (i = 2; i < ac; i++) {
		if ((day = date(av[i])) == -1)
			return bad(cf, cf->lineno, "bad date \"%s\": use "
			    "YYYY-MM-DD", av[i]);
		addholiday(cal, day);
	}
	return 0;
}

/* A relative FILE is taken from the desk, where config is. */
static char *
besidecf(const struct cf *cf, const char *file)
{
	const char *slash = strrchr(cf->path, '/');
	struct tkt_buf b = { 0 };

	if (*file == '/' || slash == NULL)
		return tkt_strdup(file);
	tkt_buf_add(&b, cf->path, (size_t)(slash - cf->path) + 1);
	tkt_buf_str(&b, file);
	return b.s;
}


/* One line of a holidays file: a date, or nothing. */
static int
holidayline(struct tkt_cal *cal, const char *file, int n, char *line,
    size_t len)
{
	char *av[MAXWORDS + 1];
	long day;
	int ac;

	if (memchr(line, '\0', len) != NULL) {
		tkt_warn("%s: line %d: NUL byte", file, n);
		return -1;
	}
	if ((ac = split(line, av)) == 0)
		return 0;
	if (ac > 1) {
		tkt_warn("%s: line %d: unexpected \"%s\"", file, n, av[1]);
		return -1;
	}
	if ((day = date(av[0])) == -1) {
		tkt_warn("%s: line %d: bad date \"%s\": use YYYY-MM-DD",
		    file, n, av[0]);
		return -1;
	}
	addholiday(cal, day);
	return 0;
}

static int
set_holidays(struct cf *cf, int ac, char **av)
{
	struct tkt_cal *cal;
	char *file, *line = NULL;
	size_t cap = 0;
	ssize_t len;
	FILE *fp;
	int n = 0, rc = 0, err;

	(void)ac;
	if ((cal = owncal(cf, av[1])) == NULL)
		return -1;
	file = besidecf(cf, av[2]);
	if ((fp = fopen(file, "r")) == NULL) {
		rc = bad(cf, cf->lineno, "%s: %s", file, strerror(errno));
		free(file);
		return rc;
	}
	while (rc == 0 && (len = getline(&line, &cap, fp)) != -1)
		rc = holidayline(cal, file, ++n, line, (size_t)len);
	err = errno;
	if (rc == 0 && ferror(fp))
		rc = bad(cf, cf->lineno, "%s: %s", file, strerror(err));
	free(line);
	fclose(fp);
	free(file);
	return rc;
}

/* The index of the calendar a use line names; 24x7 is made on demand. */
static int
usecal(struct cf *cf, const char *name)
{
	int i;

	if ((i = findcal(cf->conf, name)) != -1)
		return i;
	if (strcmp(name, "24x7") != 0)
		return bad(cf, cf->lineno, "unknown calendar \"%s\": declare "
		    "it first with \"calendar %s ZONE\"", name, name);
	i = addcal(cf, name);
	cf->conf->cals[i].always = 1;
	return i;
}

static int
set_use(struct cf *cf, int ac, char **av)
{
	struct tkt_policy p;
	int i;

	if ((i = usecal(cf, av[1])) == -1)
		return -1;
	if (qualifiers(cf, ac, av, 2, &p))
		return -1;
	p.cal = i;
	if (addpolicy(cf, &p))
		return -1;
	if (p.client == NULL && p.priority == NULL)
		cf->desk = i + 1;
	return 0;
}

static int
cmplong(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

static void
sortholidays(struct tkt_cal *cal)
{
	size_t i, n = 0;

	if (cal->nholiday == 0)
		return;
	qsort(cal->holiday, cal->nholiday, sizeof *cal->holiday, cmplong);
	for (i = 1; i < cal->nholiday; i++)
		if (cal->holiday[i] != cal->holiday[n])
			cal->holiday[++n] = cal->holiday[i];
	cal->nholiday = n + 1;
}

/*
 * Once the file is read: every calendar must open some time, and the
 * desk's calendar is a copy of the one the unqualified use names, with
 * holidays of its own and no cache, so that each can be freed alone.
 */
static int
finishcals(struct cf *cf)
{
	struct tkt_conf *c = cf->conf;
	struct tkt_cal *cal;
	size_t i;

	for (i = 0; i < c->ncal; i++) {
		cal = &c->cals[i];
		sortholidays(cal);
		if (!cal->always && !tkt_cal_hasopen(cal))
			return bad(cf, cf->calline[i], "calendar \"%s\" has "
			    "no working time", cal->name);
	}
	if (cf->desk == 0)
		return 0;
	c->cal = c->cals[cf->desk - 1];
	c->cal.cache = NULL;
	if (c->cal.nholiday > 0) {
		c->cal.holiday = tkt_alloc(c->cal.nholiday *
		    sizeof *c->cal.holiday);
		memcpy(c->cal.holiday, c->cals[cf->desk - 1].holiday,
		    c->cal.nholiday * sizeof *c->cal.holiday);
	}
	return 0;
}

/*
 * Cuts the comment off and splits the rest on blanks.  Returns the
 * number of words, at most MAXWORDS + 1: enough to name the first
 * word too many.
 */
static int
split(char *line, char **av)
{
	static const char blank[] = " \t\r\v\f\n";
	int ac = 0;
	char *p;

	line[strcspn(line, "#")] = '\0';
	for (p = line; ac <= MAXWORDS; ) {
		p += strspn(p, blank);
		if (*p == '\0')
			break;
		av[ac++] = p;
		p += strcspn(p, blank);
		if (*p != '\0')
			*p++ = '\0';
	}
	return ac;
}

static int
parse_line(struct cf *cf, char *line)
{
	char *av[MAXWORDS + 1];
	const struct keyword *k;
	size_t i;
	int ac;

	if ((ac = split(line, av)) == 0)
		return 0;
	for (i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++) {
		k = &keywords[i];
		if (strcmp(av[0], k->name) != 0)
			continue;
		if (ac - 1 < k->min)
			return bad(cf, cf->lineno, "expected \"%s\"",
			    k->usage);
		if (k->max != ANY && ac - 1 > k->max)
			return bad(cf, cf->lineno, "unexpected \"%s\"",
			    av[k->max + 1]);
		if (ac > MAXWORDS)
			return bad(cf, cf->lineno, "more than %d words",
			    MAXWORDS);
		return k->set(cf, ac, av);
	}
	return bad(cf, cf->lineno, "unknown keyword \"%s\"", av[0]);
}

/* Remembers the earliest line setting a tier above the top one. */
static void
above(int line, int t, const char *what, int *first, int *ft,
    const char **fwhat)
{
	if (line == 0 || (*first != 0 && line > *first))
		return;
	*first = line;
	*ft = t;
	*fwhat = what;
}

/*
 * Limits and costs are checked against tiers only once the whole file
 * is read, since tiers may come after them.
 */
static int
check_tiers(struct cf *cf)
{
	const char *what = NULL;
	int t, line = 0, bt = 0;

	const struct tkt_policy *p;
	size_t i;

	for (t = cf->conf->tiers + 1; t <= TKT_MAXTIER; t++) {
		above(cf->costline[t], t, "cost", &line, &bt, &what);
		above(cf->warnline[t], t, "warn", &line, &bt, &what);
	}
	for (i = 0; i < cf->conf->npol; i++) {
		p = &cf->conf->pol[i];
		if (p->tier > cf->conf->tiers)
			above(p->line, p->tier, "limit", &line, &bt, &what);
	}
	if (line == 0)
		return 0;
	return bad(cf, line, "%s for tier %d, but the top tier is %d",
	    what, bt, cf->conf->tiers);
}

static int
read_lines(struct cf *cf, FILE *fp)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int rc = 0, err;

	while (rc == 0 && (len = getline(&line, &cap, fp)) != -1) {
		cf->lineno++;
		if (memchr(line, '\0', (size_t)len) != NULL)
			rc = bad(cf, cf->lineno, "NUL byte");
		else
			rc = parse_line(cf, line);
	}
	err = errno;
	free(line);
	if (rc == 0 && ferror(fp)) {
		tkt_warn("%s: %s", cf->path, strerror(err));
		rc = -1;
	}
	return rc;
}

/* On an error the config is left as the defaults. */
int
tkt_conf_load(const char *path, struct tkt_conf *conf)
{
	struct cf cf;
	FILE *fp;
	int rc;

	memset(&cf, 0, sizeof(cf));
	cf.path = path;
	cf.conf = conf;
	tkt_conf_default(conf);
	if ((fp = fopen(path, "r")) == NULL) {
		tkt_warn("%s: %s", path, strerror(errno));
		return -1;
	}
	rc = read_lines(&cf, fp);
	fclose(fp);
	if (rc == 0)
		rc = finishcals(&cf);
	if (rc == 0)
		rc = check_tiers(&cf);
	if (rc == 0)
		finishprefix(&cf);
	free(cf.calline);
	if (rc != 0) {
		tkt_conf_free(conf);
		tkt_conf_default(conf);
	}
	return rc;
}

void
tkt_conf_free(struct tkt_conf *conf)
{
	size_t i;

	for (i = 0; i < conf->ncal; i++)
		tkt_cal_free(&conf->cals[i]);
	free(conf->cals);
	tkt_cal_free(&conf->cal);
	for (i = 0; i < conf->npol; i++) {
		free(conf->pol[i].client);
		free(conf->pol[i].priority);
	}
	free(conf->pol);
	for (i = 0; i < conf->nprefix; i++)
		free(conf->prefix[i]);
	free(conf->prefix);
	conf->prefix = NULL;
	conf->nprefix = 0;
	conf->cals = NULL;
	conf->pol = NULL;
	conf->ncal = conf->npol = 0;
}

/*
 * The lead of the warning in tier before a limit, in seconds, or -1
 * for none.  A tier's own warn line wins over the desk-wide one.
 */
long
tkt_conf_lead(const struct tkt_conf *conf, int tier, long limit)
{
	int i = tier >= 1 && tier <= TKT_MAXTIER &&
	    conf->warn[tier] != -2 ? tier : 0;

	if (limit < 0 || conf->warn[i] < 0)
		return -1;
	if (conf->warnpct[i] == 0)
		return conf->warn[i];
	return limit - (long)((long long)limit * conf->warnpct[i] / 100);
}

/* Client and priority weigh more than priority alone; 0 is neither. */
static int
weight(const struct tkt_policy *p)
{
	return (p->client != NULL ? 2 : 0) + (p->priority != NULL);
}

static int
matches(const struct tkt_policy *p, int tier, const char *client,
    const char *priority)
{
	if (p->tier != 0 && p->tier != tier)
		return 0;
	if (p->client != NULL && (client == NULL ||
	    strcmp(p->client, client) != 0))
		return 0;
	return p->priority == NULL || (priority != NULL &&
	    strcmp(p->priority, priority) == 0);
}

/*
 * The limit and the calendar for a ticket in tier with client and
 * priority (either may be NULL), each from the most specific matching
 * line; of equally specific ones the later wins.  Cheap enough to ask
 * for every ticket of a sweep.
 */
void
tkt_conf_rule(const struct tkt_conf *conf, int tier, const char *client,
    const char *priority, struct tkt_rule *rule)
{
	const struct tkt_policy *p;
	int lw = -1, cw = -1;
	size_t i;

	rule->limit = tier >= 1 && tier <= TKT_MAXTIER ?
	    conf->limit[tier] : -1;
	rule->cal = &conf->cal;
	rule->limitline = rule->calline = 0;
	for (i = 0; i < conf->npol; i++) {
		p = &conf->pol[i];
		if (!matches(p, tier, client, priority))
			continue;
		if (p->limit != -2 && weight(p) >= lw) {
			lw = weight(p);
			rule->limit = p->limit;
			rule->limitline = p->line;
		}
		if (p->cal >= 0 && weight(p) >= cw) {
			cw = weight(p);
			rule->cal = &conf->cals[p->cal];
			rule->calline = p->line;
		}
	}
}
