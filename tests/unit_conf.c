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
static const char *err;

static void
setup(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, sizeof(dir), "%s/tkt-conf.XXXXXX",
	    tmp && *tmp && strlen(tmp) < 40 ? tmp : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/config", dir);
}

static void
teardown(void)
{
	unlink(path);
	rmdir(dir);
}

static void
put(const char *text)
{
	FILE *fp;

	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	ck_assert_int_eq(fwrite(text, 1, strlen(text), fp), strlen(text));
	ck_assert_int_eq(fclose(fp), 0);
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

/* The file fails to load with exactly one message, "path: msg". */
static void
fails(const char *text, const char *msg)
{
	struct tkt_conf conf;
	char want[256];
	char *p;

	put(text);
	ck_assert_int_eq(load(&conf), -1);
	snprintf(want, sizeof(want), "%s: %s\n", path, msg);
	ck_assert_msg((p = strstr(err, want)) != NULL,
	    "for %s: wanted \"%s\", got \"%s\"", text, want, err);
	ck_assert_msg(p[strlen(want)] == '\0' && strchr(err, '\n') ==
	    p + strlen(want) - 1, "more than one line: \"%s\"", err);
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
	fails("limit 1\n", "line 1: expected \"limit TIER DURATION\"");
	fails("limit\n", "line 1: expected \"limit TIER DURATION\"");
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
	suite_add_tcase(s, tc);
	return s;
}
