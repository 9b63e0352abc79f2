/*
 * unit_conf.c: the desk config file (conf.c).
 *
 * Each case writes a config into a scratch directory, loads it with
 * stderr caught in a file, and checks the settings or the one error
 * line, which must name the file and line.
 */

#include <sys/stat.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../bin/tkt.h"
#include "unit.h"

static char dir[64];
static char path[96];
static char hpath[96];			/* a holidays file */
static const char *err;

static void
setup(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, sizeof(dir), "%s/tkt-conf.XXXXXX",
	    tmp && *tmp && strlen(tmp) < 40 ? tmp : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/config", dir);
	snprintf(hpath, sizeof(hpath), "%s/holidays", dir);
}

static void
teardown(void)
{
	unlink(path);
	unlink(hpath);
	rmdir(dir);
}

static void
putfile(const char *file, const char *text)
{
	FILE *fp;

	ck_assert_ptr_nonnull(fp = fopen(file, "w"));
	ck_assert_int_eq(fwrite(text, 1, strlen(text), fp), strlen(text));
	ck_assert_int_eq(fclose(fp), 0);
}

static void
put(const char *text)
{
	putfile(path, text);
}

/* Loads path with stderr going to err. */
static int
load(struct tkt_conf *conf)
{
	int rc;

	capture();
	rc = tkt_conf_load(path, conf);
	err = captured();
	return rc;
}

/* The config fails to load with exactly one message, "file: msg". */
static void
failsin(const char *text, const char *file, const char *msg)
{
	struct tkt_conf conf;
	char want[512];
	char *p;

	put(text);
	ck_assert_int_eq(load(&conf), -1);
	snprintf(want, sizeof(want), "%s: %s\n", file, msg);
	ck_assert_msg((p = strstr(err, want)) != NULL,
	    "for %s: wanted \"%s\", got \"%s\"", text, want, err);
	ck_assert_msg(p[strlen(want)] == '\0' && strchr(err, '\n') ==
	    p + strlen(want) - 1, "more than one line: \"%s\"", err);
	/* What a failed load leaves is the defaults, nothing to free. */
	ck_assert_ptr_null(conf.cals);
	ck_assert_ptr_null(conf.pol);
	ck_assert_int_eq(conf.cal.always, 1);
}

/* The file fails to load with exactly one message, "path: msg". */
static void
fails(const char *text, const char *msg)
{
	failsin(text, path, msg);
}

START_TEST(defaults)
{
	struct tkt_conf conf;
	int t;

	tkt_conf_default(&conf);
	ck_assert_int_eq(conf.tiers, 3);
	ck_assert_int_eq(conf.limit[1], 1800);
	ck_assert_int_eq(conf.limit[2], 3600);
	for (t = 3; t <= TKT_MAXTIER; t++)
		ck_assert_int_eq(conf.limit[t], -1);
	for (t = 0; t <= TKT_MAXTIER; t++)
		ck_assert(conf.cost[t] == 0);
	ck_assert_int_eq(conf.recur, 3);
	ck_assert_int_eq(conf.cal.always, 1);
}
END_TEST

START_TEST(empty)
{
	struct tkt_conf conf, def;

	put("# nothing but comments\n\n   \t\n#limit 1 5m\n");
	ck_assert_int_eq(load(&conf), 0);
	ck_assert_str_eq(err, "");
	/* The default reply prefixes are the only thing allocated. */
	ck_assert_uint_gt(conf.nprefix, 0);
	ck_assert_str_eq(conf.prefix[0], "re");
	tkt_conf_free(&conf);
	tkt_conf_default(&def);
	ck_assert_mem_eq(&conf, &def, sizeof(conf));
}
END_TEST

START_TEST(full)
{
	struct tkt_conf conf;

	put("# the desk\n"
	    "tiers 4\n"
	    "limit 1 45m    # first line support\n"
	    "\tlimit\t2\t1h30m\t\n"
	    "limit 3 2d#no blank needed\n"
	    "limit 4 4h\r\n"
	    "cost 1 25\n"
	    "cost 4 37.50\n"
	    "cost 2 0.75\n"
	    "recur 5");
	ck_assert_int_eq(load(&conf), 0);
	ck_assert_str_eq(err, "");
	ck_assert_int_eq(conf.tiers, 4);
	ck_assert_int_eq(conf.limit[1], 2700);
	ck_assert_int_eq(conf.limit[2], 5400);
	ck_assert_int_eq(conf.limit[3], 172800);
	ck_assert_int_eq(conf.limit[4], 14400);
	ck_assert(conf.cost[1] == 25);
	ck_assert(conf.cost[2] == 0.75);
	ck_assert(conf.cost[3] == 0);
	ck_assert(conf.cost[4] == 37.5);
	ck_assert_int_eq(conf.recur, 5);
	ck_assert_int_eq(conf.cal.always, 1);
	tkt_conf_free(&conf);
}
END_TEST

/* Fewer tiers keep the default limits of the tiers that remain. */
START_TEST(fewer_tiers)
{
	struct tkt_conf conf;

	put("tiers 2\nlimit 2 none\n");
	ck_assert_int_eq(load(&conf), 0);
	ck_assert_int_eq(conf.tiers, 2);
	ck_assert_int_eq(conf.limit[1], 1800);
	ck_assert_int_eq(conf.limit[2], -1);
	tkt_conf_free(&conf);
}
END_TEST

START_TEST(missing)
{
	struct tkt_conf conf;
	char want[160];

	ck_assert_int_eq(load(&conf), -1);
	snprintf(want, sizeof(want), "%s: No such file or directory\n",
	    path);
	ck_assert_ptr_nonnull(strstr(err, want));
}
END_TEST

START_TEST(directory)
{
	struct tkt_conf conf;

	ck_assert_int_eq(mkdir(path, 0700), 0);
	ck_assert_int_eq(load(&conf), -1);
	ck_assert_ptr_nonnull(strstr(err, "Is a directory\n"));
	ck_assert_int_eq(rmdir(path), 0);
}
END_TEST

START_TEST(errors)
{
	fails("limt 1 30m\n", "line 1: unknown keyword \"limt\"");
	fails("\n# x\nTiers 3\n", "line 3: unknown keyword \"Tiers\"");
	fails("tiers\n", "line 1: expected \"tiers N\"");
	fails("tiers 3 4\n", "line 1: unexpected \"4\"");
	fails("tiers 0\n", "line 1: bad number of tiers \"0\": "
	    "must be 1 to 9");
	fails("tiers 10\n", "line 1: bad number of tiers \"10\": "
	    "must be 1 to 9");
	fails("tiers -1\n", "line 1: bad number of tiers \"-1\": "
	    "must be 1 to 9");
	fails("tiers 3\ntiers 3\n", "line 2: tiers already set at line 1");
	fails("limit 1\n", "line 1: expected \"limit TIER DURATION "
	    "[client=C] [priority=P]\"");
	fails("limit\n", "line 1: expected \"limit TIER DURATION "
	    "[client=C] [priority=P]\"");
	fails("\nlimit 1 30m foo\n", "line 2: unexpected \"foo\"");
	fails("limit 1 30m a b c d e\n", "line 1: unexpected \"a\"");
	fails("limit 0 30m\n", "line 1: bad tier \"0\": must be 1 to 9");
	fails("limit x 30m\n", "line 1: bad tier \"x\": must be 1 to 9");
	fails("limit 1 30x\n", "line 1: bad duration \"30x\": "
	    "use e.g. 45m, 1h30m, 2d or none");
	fails("limit 1 -5m\n", "line 1: bad duration \"-5m\": "
	    "use e.g. 45m, 1h30m, 2d or none");
	fails("limit 2 1h\nlimit 2 2h\n",
	    "line 2: limit for tier 2 already set at line 1");
	fails("cost 1\n", "line 1: expected \"cost TIER AMOUNT\"");
	fails("cost 1 -3\n", "line 1: bad amount \"-3\": "
	    "must be a number like 25 or 37.50");
	fails("cost 1 1e3\n", "line 1: bad amount \"1e3\": "
	    "must be a number like 25 or 37.50");
	fails("cost 1 2.\n", "line 1: bad amount \"2.\": "
	    "must be a number like 25 or 37.50");
	fails("cost 1 .5\n", "line 1: bad amount \".5\": "
	    "must be a number like 25 or 37.50");
	fails("cost 1 1.2.3\n", "line 1: bad amount \"1.2.3\": "
	    "must be a number like 25 or 37.50");
	fails("cost 1 1234567890.123456\n", "line 1: bad amount "
	    "\"1234567890.123456\": must be a number like 25 or 37.50");
	fails("cost 10 5\n", "line 1: bad tier \"10\": must be 1 to 9");
	fails("cost 1 5\ncost 1 6\n",
	    "line 2: cost for tier 1 already set at line 1");
	fails("recur 0\n", "line 1: bad recur \"0\": "
	    "must be a whole number, 1 or more");
	fails("recur 99999999999\n", "line 1: bad recur \"99999999999\": "
	    "must be a whole number, 1 or more");
	fails("recur 3\nrecur 4\n", "line 2: recur already set at line 1");
	fails("warn 10m\nwarn 5m\n", "line 2: warn already set at line 1");
	fails("warn 2 10m\nwarn 1 5%\nwarn 2 none\n",
	    "line 3: warn for tier 2 already set at line 1");
}
END_TEST

START_TEST(nul_byte)
{
	struct tkt_conf conf;
	FILE *fp;

	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	fwrite("tiers 3\nlimit 1\0 30m\n", 1, 21, fp);
	fclose(fp);
	ck_assert_int_eq(load(&conf), -1);
	ck_assert_ptr_nonnull(strstr(err, "config: line 2: NUL byte\n"));
}
END_TEST

/* Known only at the end of the file, reported at the setting's line. */
START_TEST(above_tiers)
{
	fails("limit 4 1h\n", "line 1: limit for tier 4, "
	    "but the top tier is 3");
	fails("limit 3 1h\ntiers 2\n", "line 1: limit for tier 3, "
	    "but the top tier is 2");
	fails("tiers 5\nlimit 1 1h\n\ncost 6 10\nlimit 7 1h\n",
	    "line 4: cost for tier 6, but the top tier is 5");
	fails("limit 9 1h\ncost 8 1\ntiers 1\n",
	    "line 1: limit for tier 9, but the top tier is 1");
	fails("cost 4 1\nlimit 1 1h\nlimit 4 1h\n",
	    "line 1: cost for tier 4, but the top tier is 3");
}
END_TEST

/* The first error stops the load: later lines are not reported. */
START_TEST(first_error)
{
	fails("recur 2\nlimt 1 1h\nbogus\n",
	    "line 2: unknown keyword \"limt\"");
	fails("limit 5 1h\nbogus\n", "line 2: unknown keyword \"bogus\"");
}
END_TEST

/* 2026-01-01 and 2026-12-25 as days since 1970-01-01. */
#define NEWYEAR	20454L
#define XMAS	20812L

START_TEST(calendars)
{
	struct tkt_conf conf;
	const struct tkt_cal *c;
	int d;

	putfile(hpath, "# Public holidays\n\n2026-12-25\n"
	    "  2026-01-01   # New Year\n");
	put("calendar office Europe/Berlin\n"
	    "hours office mon-fri 13:00-17:30 08:00-12:00\n"
	    "hours office sat 10:00-14:00\n"
	    "hours office mon 17:30-24:00\n"
	    "holiday office 2026-12-25 2026-04-03\n"
	    "holidays office holidays\n"
	    "calendar night UTC\n"
	    "hours night sat,sun,wed-thu 00:00-06:00\n"
	    "use office\n");
	ck_assert_int_eq(load(&conf), 0);
	ck_assert_str_eq(err, "");
	ck_assert_uint_eq(conf.ncal, 2);
	c = &conf.cals[0];
	ck_assert_str_eq(c->name, "office");
	ck_assert_str_eq(c->zone, "Europe/Berlin");
	ck_assert_int_eq(c->always, 0);
	ck_assert_int_eq(c->nseg[0], 0);
	ck_assert_int_eq(c->nseg[1], 3);
	ck_assert_int_eq(c->week[1][0].from, 480);
	ck_assert_int_eq(c->week[1][0].to, 720);
	ck_assert_int_eq(c->week[1][1].from, 780);
	ck_assert_int_eq(c->week[1][1].to, 1050);
	ck_assert_int_eq(c->week[1][2].from, 1050);
	ck_assert_int_eq(c->week[1][2].to, 1440);
	for (d = 2; d <= 5; d++)
		ck_assert_int_eq(c->nseg[d], 2);
	ck_assert_int_eq(c->nseg[6], 1);
	ck_assert_int_eq(c->week[6][0].from, 600);
	ck_assert_uint_eq(c->nholiday, 3);
	ck_assert_int_eq(c->holiday[0], NEWYEAR);
	ck_assert_int_eq(c->holiday[1], NEWYEAR + 92);
	ck_assert_int_eq(c->holiday[2], XMAS);
	c = &conf.cals[1];
	ck_assert_int_eq(c->nseg[0] + c->nseg[3] + c->nseg[4] + c->nseg[6],
	    4);
	ck_assert_int_eq(c->nseg[1] + c->nseg[2] + c->nseg[5], 0);
	/* The desk's calendar is a copy of office, holidays and all. */
	ck_assert_str_eq(conf.cal.name, "office");
	ck_assert_int_eq(conf.cal.always, 0);
	ck_assert_uint_eq(conf.cal.nholiday, 3);
	ck_assert_ptr_ne(conf.cal.holiday, conf.cals[0].holiday);
	ck_assert_int_eq(conf.cal.holiday[2], XMAS);
	tkt_conf_free(&conf);
	ck_assert_ptr_null(conf.cals);
	ck_assert_ptr_null(conf.cal.holiday);
}
END_TEST

START_TEST(policies)
{
	struct tkt_conf conf;
	const struct tkt_policy *p;

	put("calendar office UTC\nhours office mon 09:00-10:00\n"
	    "limit 1 15m priority=1 client=acme\n"
	    "use 24x7 client=acme\n"
	    "limit 2 1h\n");
	ck_assert_int_eq(load(&conf), 0);
	ck_assert_str_eq(err, "");
	ck_assert_uint_eq(conf.npol, 3);
	p = &conf.pol[0];
	ck_assert_int_eq(p->tier, 1);
	ck_assert_str_eq(p->client, "acme");
	ck_assert_str_eq(p->priority, "1");
	ck_assert_int_eq(p->limit, 900);
	ck_assert_int_eq(p->cal, -1);
	ck_assert_int_eq(p->line, 3);
	p = &conf.pol[1];
	ck_assert_int_eq(p->tier, 0);
	ck_assert_ptr_null(p->priority);
	ck_assert_int_eq(p->limit, -2);
	ck_assert_str_eq(conf.cals[p->cal].name, "24x7");
	ck_assert_int_eq(conf.cals[p->cal].always, 1);
	ck_assert_int_eq(conf.pol[2].limit, 3600);
	/* Qualified lines leave the desk's defaults alone. */
	ck_assert_int_eq(conf.limit[1], 1800);
	ck_assert_int_eq(conf.limit[2], 3600);
	ck_assert_int_eq(conf.cal.always, 1);
	tkt_conf_free(&conf);
}
END_TEST

/* rule(conf, tier, client, priority): "limit limitline cal calline" */
static const char *
rule(const struct tkt_conf *conf, int tier, const char *client,
    const char *prio)
{
	static char buf[128];
	struct tkt_rule r;

	tkt_conf_rule(conf, tier, client, prio, &r);
	snprintf(buf, sizeof buf, "%ld %d %s %d", r.limit, r.limitline,
	    r.cal->name, r.calline);
	return buf;
}

START_TEST(specificity)
{
	struct tkt_conf conf;

	put("calendar office Europe/Berlin\n"		/* 1 */
	    "hours office mon-fri 09:00-18:00\n"
	    "calendar late Europe/Berlin\n"
	    "hours late mon-fri 12:00-21:00\n"
	    "use office\n"				/* 5 */
	    "use 24x7 client=acme\n"
	    "use late priority=1\n"
	    "limit 1 10m client=acme priority=1\n"
	    "limit 1 20m client=acme\n"
	    "limit 1 25m priority=1\n"			/* 10 */
	    "limit 1 40m\n"
	    "use office client=acme priority=3\n"
	    "limit 2 none client=bolt\n");
	ck_assert_int_eq(load(&conf), 0);
	ck_assert_str_eq(err, "");
	ck_assert_str_eq(rule(&conf, 1, "acme", "1"), "600 8 24x7 6");
	ck_assert_str_eq(rule(&conf, 1, "acme", "2"), "1200 9 24x7 6");
	ck_assert_str_eq(rule(&conf, 1, "acme", NULL), "1200 9 24x7 6");
	ck_assert_str_eq(rule(&conf, 1, "acme", "3"), "1200 9 office 12");
	ck_assert_str_eq(rule(&conf, 1, "bolt", "1"), "1500 10 late 7");
	ck_assert_str_eq(rule(&conf, 1, NULL, NULL), "2400 11 office 5");
	ck_assert_str_eq(rule(&conf, 2, "acme", "1"), "3600 0 24x7 6");
	ck_assert_str_eq(rule(&conf, 2, "bolt", "1"), "-1 13 late 7");
	ck_assert_str_eq(rule(&conf, 3, NULL, "1"), "-1 0 late 7");
	/* Values are compared exactly. */
	ck_assert_str_eq(rule(&conf, 1, "ACME", "01"), "2400 11 office 5");
	tkt_conf_free(&conf);
}
END_TEST

/* Without any limit or use line: the defaults, from no line. */
START_TEST(rule_default)
{
	struct tkt_conf conf;

	tkt_conf_default(&conf);
	ck_assert_str_eq(rule(&conf, 1, "acme", "1"), "1800 0 24x7 0");
	ck_assert_str_eq(rule(&conf, 3, NULL, NULL), "-1 0 24x7 0");
	ck_assert_str_eq(rule(&conf, 0, NULL, NULL), "-1 0 24x7 0");
}
END_TEST

START_TEST(calendar_errors)
{
	fails("calendar office\n",
	    "line 1: expected \"calendar NAME ZONE\"");
	fails("calendar office UTC x\n", "line 1: unexpected \"x\"");
	fails("calendar office Mars/Olympus\n",
	    "line 1: unknown time zone \"Mars/Olympus\"");
	fails("calendar office zone.tab\n",
	    "line 1: unknown time zone \"zone.tab\"");
	fails("calendar office Europe\n",
	    "line 1: unknown time zone \"Europe\"");
	fails("calendar office ../../../etc/passwd\n",
	    "line 1: bad time zone \"../../../etc/passwd\": "
	    "use a name like Europe/Berlin");
	fails("calendar office /etc/localtime\n",
	    "line 1: bad time zone \"/etc/localtime\": "
	    "use a name like Europe/Berlin");
	fails("calendar 24x7 UTC\n", "line 1: 24x7 is the built-in "
	    "calendar; choose another name");
	fails("calendar of/fice UTC\n", "line 1: bad calendar name "
	    "\"of/fice\": use up to 31 letters, digits, '-', '_' or '.'");
	fails("calendar a23456789012345678901234567890123 UTC\n",
	    "line 1: bad calendar name "
	    "\"a23456789012345678901234567890123\": "
	    "use up to 31 letters, digits, '-', '_' or '.'");
	fails("calendar a UTC\nhours a mon 09:00-10:00\ncalendar a UTC\n",
	    "line 3: calendar \"a\" already declared at line 1");
	fails("\n\ncalendar empty UTC\nlimit 1 1h\n",
	    "line 3: calendar \"empty\" has no working time");
	fails("calendar a UTC\nhours a mon 09:00-10:00\n"
	    "calendar b UTC\nholiday b 2026-01-01\n",
	    "line 3: calendar \"b\" has no working time");
}
END_TEST

START_TEST(hours_errors)
{
	static const char a[] = "calendar a UTC\n";
	char buf[256];
	static const struct {
		const char *line;
		const char *msg;
	} t[] = {
	    { "hours a mon", "line 2: expected \"hours NAME DAYS "
		"HH:MM-HH:MM ...\"" },
	    { "hours b mon 09:00-10:00", "line 2: unknown calendar \"b\": "
		"declare it first with \"calendar b ZONE\"" },
	    { "hours 24x7 mon 09:00-10:00",
		"line 2: the 24x7 calendar cannot be changed" },
	    { "hours a monday 09:00-10:00", "line 2: bad days \"monday\": "
		"use e.g. mon, mon-fri or sat,sun" },
	    { "hours a fri-mon 09:00-10:00", "line 2: bad days \"fri-mon\": "
		"use e.g. mon, mon-fri or sat,sun" },
	    { "hours a Mon 09:00-10:00", "line 2: bad days \"Mon\": "
		"use e.g. mon, mon-fri or sat,sun" },
	    { "hours a mon, 09:00-10:00", "line 2: bad days \"mon,\": "
		"use e.g. mon, mon-fri or sat,sun" },
	    { "hours a mon 9:00-10:00", "line 2: bad hours \"9:00-10:00\": "
		"use HH:MM-HH:MM, e.g. 08:00-12:30" },
	    { "hours a mon 09:00-10:60", "line 2: bad hours \"09:00-10:60\": "
		"use HH:MM-HH:MM, e.g. 08:00-12:30" },
	    { "hours a mon 09:00-24:01", "line 2: bad hours \"09:00-24:01\": "
		"use HH:MM-HH:MM, e.g. 08:00-12:30" },
	    { "hours a mon 24:00-24:00", "line 2: bad hours \"24:00-24:00\": "
		"use HH:MM-HH:MM, e.g. 08:00-12:30" },
	    { "hours a mon 09:00", "line 2: bad hours \"09:00\": "
		"use HH:MM-HH:MM, e.g. 08:00-12:30" },
	    { "hours a mon 18:00-09:00", "line 2: bad hours \"18:00-09:00\": "
		"the end must come after the start" },
	    { "hours a mon 09:00-09:00", "line 2: bad hours \"09:00-09:00\": "
		"the end must come after the start" },
	    { "hours a mon-fri 09:00-13:00 12:00-14:00", "line 2: "
		"12:00-14:00 overlaps 09:00-13:00 on mon in calendar \"a\"" },
	    { "hours a sat,sun 00:00-01:00 01:00-02:00 02:00-03:00 "
		"03:00-04:00 04:00-05:00 05:00-06:00 06:00-07:00 07:00-08:00 "
		"08:00-09:00", "line 2: more than 8 opening hours on sun in "
		"calendar \"a\"" },
	    { "holiday a",
		"line 2: expected \"holiday NAME YYYY-MM-DD ...\"" },
	    { "holiday a 2026-02-29", "line 2: bad date \"2026-02-29\": "
		"use YYYY-MM-DD" },
	    { "holiday a 2026-4-03", "line 2: bad date \"2026-4-03\": "
		"use YYYY-MM-DD" },
	    { "holiday a 1969-12-31", "line 2: bad date \"1969-12-31\": "
		"use YYYY-MM-DD" },
	    { "holiday a 2026-13-01", "line 2: bad date \"2026-13-01\": "
		"use YYYY-MM-DD" },
	    { "holiday c 2026-01-01", "line 2: unknown calendar \"c\": "
		"declare it first with \"calendar c ZONE\"" },
	    { "holidays a", "line 2: expected \"holidays NAME FILE\"" },
	    { "use", "line 2: expected \"use NAME [client=C] "
		"[priority=P]\"" },
	    { "use b", "line 2: unknown calendar \"b\": "
		"declare it first with \"calendar b ZONE\"" },
	    { "use a tier=1", "line 2: unexpected \"tier=1\"" },
	    { "use a client=", "line 2: empty client in \"client=\"" },
	    { "use a client=x client=y", "line 2: client given twice" },
	    { "limit 1 5m priority=1 priority=2",
		"line 2: priority given twice" },
	    { "limit 1 5m client", "line 2: unexpected \"client\"" },
	};
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		snprintf(buf, sizeof buf, "%s%s\nhours a mon 09:00-10:00\n",
		    a, t[i].line);
		fails(buf, t[i].msg);
	}
}
END_TEST

START_TEST(policy_errors)
{
	fails("limit 1 5m client=a\nlimit 1 6m client=a\n",
	    "line 2: limit for tier 1 client=a already set at line 1");
	fails("limit 1 5m client=a priority=2\n"
	    "limit 1 6m priority=2 client=a\n",
	    "line 2: limit for tier 1 client=a priority=2 already set at "
	    "line 1");
	fails("limit 2 1h\nlimit 2 2h\n",
	    "line 2: limit for tier 2 already set at line 1");
	fails("use 24x7\nuse 24x7\n", "line 2: calendar already set at "
	    "line 1");
	fails("use 24x7 priority=1\n\nuse 24x7 priority=1\n",
	    "line 3: calendar priority=1 already set at line 1");
	fails("limit 4 1h client=a\n", "line 1: limit for tier 4, "
	    "but the top tier is 3");
	fails("limit 1 1h\nlimit 5 1h priority=1\ntiers 4\n",
	    "line 2: limit for tier 5, but the top tier is 4");
}
END_TEST

/* A holidays file's errors name that file and its line. */
START_TEST(holidays_file)
{
	char msg[256];
	char want[160];

	putfile(hpath, "2026-01-01\n# fine\n\n2026-02-30\n");
	failsin("calendar a UTC\nhours a mon 09:00-10:00\n"
	    "holidays a holidays\n", hpath,
	    "line 4: bad date \"2026-02-30\": use YYYY-MM-DD");
	putfile(hpath, "2026-01-01 2026-01-02\n");
	failsin("calendar a UTC\nhours a mon 09:00-10:00\n"
	    "holidays a holidays\n", hpath,
	    "line 1: unexpected \"2026-01-02\"");
	snprintf(want, sizeof want, "%s/none", dir);
	snprintf(msg, sizeof msg, "line 3: %s: No such file or directory",
	    want);
	fails("calendar a UTC\nhours a mon 09:00-10:00\n"
	    "holidays a none\n", msg);
	/* An absolute name is taken as it is. */
	putfile(hpath, "2026-01-01\n");
	snprintf(msg, sizeof msg, "calendar a UTC\nhours a mon 09:00-10:00\n"
	    "holidays a %s\n", hpath);
	put(msg);
	{
		struct tkt_conf conf;

		ck_assert_int_eq(load(&conf), 0);
		ck_assert_uint_eq(conf.cals[0].nholiday, 1);
		ck_assert_int_eq(conf.cals[0].holiday[0], NEWYEAR);
		tkt_conf_free(&conf);
	}
}
END_TEST

/* TZDIR, when set, is where zones are looked up. */
START_TEST(tzdir)
{
	struct tkt_conf conf;

	putfile(hpath, "TZif2 not really, but the magic is right\n");
	setenv("TZDIR", dir, 1);
	put("calendar a holidays\nhours a mon 09:00-10:00\n");
	ck_assert_int_eq(load(&conf), 0);
	tkt_conf_free(&conf);
	fails("calendar a Europe/Berlin\n",
	    "line 1: unknown time zone \"Europe/Berlin\"");
	unsetenv("TZDIR");
}
END_TEST

/* reopen DURATION and flood N DURATION: text, then what they set. */
static const struct {
	const char *text;
	long reopen;
	int flood;
	long floodwin;
} mailcase[] = {
	{ "", 14 * 86400, 5, 600 },
	{ "reopen 7d\n", 7 * 86400, 5, 600 },
	{ "reopen 0\n", 0, 5, 600 },
	{ "reopen none\n", -1, 5, 600 },
	{ "reopen 90\n", 5400, 5, 600 },
	{ "reopen 1h30m   # a comment\n", 5400, 5, 600 },
	{ "flood 3 10m\n", 14 * 86400, 3, 600 },
	{ "flood 1 1d\n", 14 * 86400, 1, 86400 },
	{ "flood 2147483647 1s\n", 14 * 86400, 2147483647, 1 },
	{ "flood none\n", 14 * 86400, 0, 0 },
	{ "\tflood\t20 2h\r\nreopen  30d\n", 30 * 86400, 20, 7200 },
};

START_TEST(mail_settings)
{
	struct tkt_conf conf;

	put(mailcase[_i].text);
	ck_assert_int_eq(load(&conf), 0);
	ck_assert_str_eq(err, "");
	ck_assert_int_eq(conf.reopen, mailcase[_i].reopen);
	ck_assert_int_eq(conf.flood, mailcase[_i].flood);
	ck_assert_int_eq(conf.floodwin, mailcase[_i].floodwin);
	tkt_conf_free(&conf);
}
END_TEST

#define FLOODN	"expected \"flood N DURATION\" with N a whole number, " \
	"1 or more, or \"flood none\""

static const struct {
	const char *text;
	const char *msg;
} mailbad[] = {
	{ "reopen 7x\n", "line 1: bad duration \"7x\": use e.g. 14d, 0 "
	    "or none" },
	{ "reopen -1d\n", "line 1: bad duration \"-1d\": use e.g. 14d, 0 "
	    "or none" },
	{ "reopen None\n", "line 1: bad duration \"None\": use e.g. 14d, 0 "
	    "or none" },
	{ "reopen\n", "line 1: expected \"reopen DURATION\"" },
	{ "reopen 1d 2d\n", "line 1: unexpected \"2d\"" },
	{ "reopen 7d\nreopen 7d\n", "line 2: reopen already set at line 1" },
	{ "reopen none\n\nreopen 0\n",
	    "line 3: reopen already set at line 1" },
	/* A bad value is reported as such, even when repeated. */
	{ "reopen 7d\nreopen x\n", "line 2: bad duration \"x\": use e.g. "
	    "14d, 0 or none" },
	{ "flood 0 10m\n", "line 1: " FLOODN },
	{ "flood 3\n", "line 1: " FLOODN },
	{ "flood -3 10m\n", "line 1: " FLOODN },
	{ "flood x 10m\n", "line 1: " FLOODN },
	{ "flood none 10m\n", "line 1: " FLOODN },
	{ "flood 2147483648 10m\n", "line 1: " FLOODN },
	{ "flood\n", "line 1: expected \"flood N DURATION\"" },
	{ "flood 3 10m 1h\n", "line 1: unexpected \"1h\"" },
	{ "flood 3 0\n", "line 1: bad duration \"0\": use e.g. 10m" },
	{ "flood 3 0m\n", "line 1: bad duration \"0m\": use e.g. 10m" },
	{ "flood 3 none\n", "line 1: bad duration \"none\": use e.g. 10m" },
	{ "flood 3 10x\n", "line 1: bad duration \"10x\": use e.g. 10m" },
	{ "flood 3 10m\nflood 3 10m\n",
	    "line 2: flood already set at line 1" },
	{ "flood none\n# x\nflood 5 10m\n",
	    "line 3: flood already set at line 1" },
	{ "reply-prefix\n", "line 1: expected \"reply-prefix WORD ...\"" },
	{ "reply-prefix re:\n", "line 1: bad prefix \"re:\": give it "
	    "without the colon" },
	{ "reply-prefix aw re: sv\n", "line 1: bad prefix \"re:\": give it "
	    "without the colon" },
	{ "reply-prefix re\nreply-prefix re[2]\n", "line 2: bad prefix "
	    "\"re[2]\": give it without the colon" },
	{ "reply-prefix [ext]\n", "line 1: bad prefix \"[ext]\": give it "
	    "without the colon" },
	{ "reply-prefix ext]\n", "line 1: bad prefix \"ext]\": give it "
	    "without the colon" },
	{ "reply-prefix :\n", "line 1: bad prefix \":\": give it "
	    "without the colon" },
};

START_TEST(mail_errors)
{
	struct tkt_conf conf;

	fails(mailbad[_i].text, mailbad[_i].msg);
	/* What a failed load leaves has no prefixes to free. */
	put(mailbad[_i].text);
	ck_assert_int_eq(load(&conf), -1);
	ck_assert_ptr_null(conf.prefix);
	ck_assert_uint_eq(conf.nprefix, 0);
}
END_TEST

/* The built-in reply prefixes, as tkt-config(5) lists them. */
START_TEST(prefix_default)
{
	static const char *const want[] = {
		"re", "aw", "sv", "vs", "wg", "fwd", "fw", "tr", "antw",
		"rif", "odp", "res", "enc", "rv", "ynt", "vb", "doorst", "vl",
		"sr"
	};
	struct tkt_conf conf;
	size_t i;

	put("reopen 1d\n");
	ck_assert_int_eq(load(&conf), 0);
	ck_assert_uint_eq(conf.nprefix, sizeof want / sizeof want[0]);
	for (i = 0; i < conf.nprefix; i++)
		ck_assert_str_eq(conf.prefix[i], want[i]);
	tkt_conf_free(&conf);
	ck_assert_ptr_null(conf.prefix);
	ck_assert_uint_eq(conf.nprefix, 0);
	/* tkt_conf_default alone gives none: they come with a load. */
	tkt_conf_default(&conf);
	ck_assert_ptr_null(conf.prefix);
	ck_assert_uint_eq(conf.nprefix, 0);
}
END_TEST

/* The first reply-prefix line replaces the defaults; later ones add. */
static const struct {
	const char *text;
	const char *want[6];		/* NULL-ended */
} prefixcase[] = {
	{ "reply-prefix antwort\n", { "antwort", NULL } },
	{ "reply-prefix Antwort AW\n", { "Antwort", "AW", NULL } },
	{ "reply-prefix re aw\nreopen 1d\nreply-prefix antwort\n"
	    "reply-prefix sv vs  # Nordic\n",
	    { "re", "aw", "antwort", "sv", "vs", NULL } },
	{ "reply-prefix re\nreply-prefix re\n", { "re", "re", NULL } },
	{ "reply-prefix r\xc3\xa9p\n", { "r\xc3\xa9p", NULL } },
};

START_TEST(prefix_lines)
{
	struct tkt_conf conf;
	size_t i;

	put(prefixcase[_i].text);
	ck_assert_int_eq(load(&conf), 0);
	ck_assert_str_eq(err, "");
	for (i = 0; prefixcase[_i].want[i] != NULL; i++) {
		ck_assert_uint_lt(i, conf.nprefix);
		ck_assert_str_eq(conf.prefix[i], prefixcase[_i].want[i]);
	}
	ck_assert_uint_eq(conf.nprefix, i);
	tkt_conf_free(&conf);
}
END_TEST

/* The prefixes a config gives are the ones a reply's subject may use. */
START_TEST(prefix_thread)
{
	struct tkt_conf conf;
	char id[TKT_IDLEN + 1];

	put("reply-prefix antwort\nreply-prefix doorst\n");
	ck_assert_int_eq(load(&conf), 0);
	ck_assert_int_eq(tkt_mail_thread("ANTWORT: Doorst: [5yen82gtnx1g] x",
	    conf.prefix, conf.nprefix, id), 1);
	ck_assert_str_eq(id, "5yen82gtnx1g");
	ck_assert_int_eq(tkt_mail_thread("Re: [5yen82gtnx1g] x",
	    conf.prefix, conf.nprefix, id), 0);
	ck_assert_int_eq(tkt_mail_thread("Antwort: Re: [5yen82gtnx1g] x",
	    conf.prefix, conf.nprefix, id), 0);
	tkt_conf_free(&conf);
}
END_TEST

Suite *
conf_suite(void)
{
	Suite *s = suite_create("conf");
	TCase *tc = tcase_create("conf");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, defaults);
	tcase_add_test(tc, empty);
	tcase_add_test(tc, full);
	tcase_add_test(tc, fewer_tiers);
	tcase_add_test(tc, missing);
	tcase_add_test(tc, directory);
	tcase_add_test(tc, errors);
	tcase_add_test(tc, nul_byte);
	tcase_add_test(tc, above_tiers);
	tcase_add_test(tc, first_error);
	tcase_add_test(tc, calendars);
	tcase_add_test(tc, policies);
	tcase_add_test(tc, specificity);
	tcase_add_test(tc, rule_default);
	tcase_add_test(tc, calendar_errors);
	tcase_add_test(tc, hours_errors);
	tcase_add_test(tc, policy_errors);
	tcase_add_test(tc, holidays_file);
	tcase_add_test(tc, tzdir);
	tcase_add_loop_test(tc, mail_settings, 0, sizeof mailcase /
	    sizeof mailcase[0]);
	tcase_add_loop_test(tc, mail_errors, 0, sizeof mailbad /
	    sizeof mailbad[0]);
	tcase_add_test(tc, prefix_default);
	tcase_add_loop_test(tc, prefix_lines, 0, sizeof prefixcase /
	    sizeof prefixcase[0]);
	tcase_add_test(tc, prefix_thread);
	suite_add_tcase(s, tc);
	return s;
}
