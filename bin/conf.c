/*
 * conf.c: the desk's config file (tkt-config(5)).
 *
 * One setting per line, a keyword and its values separated by blanks;
 * '#' starts a comment, which no value can contain.  Anything not
 * understood is an error naming the file and line, and nothing is
 * guessed: a desk that escalates by the wrong limit is worse than one
 * that refuses to start.  Each setting may be given once.
 */

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tkt.h"

#define MAXWORDS	4

/* What is being read, and on which line each setting was made. */
struct cf {
	const char *path;
	int	 lineno;
	struct tkt_conf *conf;
	int	 tiersline;
	int	 recurline;
	int	 limitline[TKT_MAXTIER + 1];
	int	 costline[TKT_MAXTIER + 1];
};

struct keyword {
	const char *name;
	int	 nargs;
	const char *usage;
	int	 (*set)(struct cf *, char **);
};

static int	 set_tiers(struct cf *, char **);
static int	 set_limit(struct cf *, char **);
static int	 set_cost(struct cf *, char **);
static int	 set_recur(struct cf *, char **);

static const struct keyword keywords[] = {
	{ "tiers", 1, "tiers N", set_tiers },
	{ "limit", 2, "limit TIER DURATION", set_limit },
	{ "cost", 2, "cost TIER AMOUNT", set_cost },
	{ "recur", 1, "recur N", set_recur },
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
	}
	conf->limit[1] = 30 * 60;
	conf->limit[2] = 60 * 60;
	conf->recur = 3;
	conf->cal.always = 1;
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

/* Checks that a setting is new; records its line. */
static int
once(struct cf *cf, int *line, const char *what)
{
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
set_tiers(struct cf *cf, char **av)
{
	long n;

	if (number(av[1], 1, TKT_MAXTIER, &n))
		return bad(cf, cf->lineno,
		    "bad number of tiers \"%s\": must be 1 to %d",
		    av[1], TKT_MAXTIER);
	if (once(cf, &cf->tiersline, "tiers"))
		return -1;
	cf->conf->tiers = (int)n;
	return 0;
}

static int
set_limit(struct cf *cf, char **av)
{
	char what[32];
	long t, secs;

	if (tier(cf, av[1], &t))
		return -1;
	if (tkt_dur_parse(av[2], &secs))
		return bad(cf, cf->lineno, "bad duration \"%s\": "
		    "use e.g. 45m, 1h30m, 2d or none", av[2]);
	snprintf(what, sizeof(what), "limit for tier %ld", t);
	if (once(cf, &cf->limitline[t], what))
		return -1;
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
set_cost(struct cf *cf, char **av)
{
	char what[32];
	double v;
	long t;

	if (tier(cf, av[1], &t))
		return -1;
	if (amount(av[2], &v))
		return bad(cf, cf->lineno, "bad amount \"%s\": "
		    "must be a number like 25 or 37.50", av[2]);
	snprintf(what, sizeof(what), "cost for tier %ld", t);
	if (once(cf, &cf->costline[t], what))
		return -1;
	cf->conf->cost[t] = v;
	return 0;
}

static int
set_recur(struct cf *cf, char **av)
{
	long n;

	if (number(av[1], 1, INT_MAX, &n))
		return bad(cf, cf->lineno,
		    "bad recur \"%s\": must be a whole number, 1 or more",
		    av[1]);
	if (once(cf, &cf->recurline, "recur"))
		return -1;
	cf->conf->recur = (int)n;
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
		if (ac - 1 < k->nargs)
			return bad(cf, cf->lineno, "expected \"%s\"",
			    k->usage);
		if (ac - 1 > k->nargs)
			return bad(cf, cf->lineno, "unexpected \"%s\"",
			    av[k->nargs + 1]);
		return k->set(cf, av);
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

	for (t = cf->conf->tiers + 1; t <= TKT_MAXTIER; t++) {
		above(cf->limitline[t], t, "limit", &line, &bt, &what);
		above(cf->costline[t], t, "cost", &line, &bt, &what);
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
		rc = check_tiers(&cf);
	return rc;
}
