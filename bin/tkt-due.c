/*
 * tkt-due: ask a desk's calendar the two questions the tier clock asks,
 * so that an admin can check a calendar before trusting it: when is a
 * ticket that enters at a time with a limit due, and how much business
 * time lies between two times.  It reads the config and no ticket.
 * Times without an offset are read, and all times shown, in the
 * calendar's zone (the process's TZ for 24x7).
 */

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tkt.h"

static const char synopsis[] = "[-d dir] [-c calendar] time limit\n"
    "       tkt-due [-d dir] [-c calendar] -s time time";

static const struct tkt_cal *
findcal(const struct tkt_conf *conf, const char *name)
{
	static struct tkt_cal always = { .name = "24x7", .always = 1 };
	size_t i;

	if (name == NULL)
		return &conf->cal;
	if (strcmp(name, "24x7") == 0)
		return &always;
	for (i = 0; i < conf->ncal; i++)
		if (strcmp(conf->cals[i].name, name) == 0)
			return &conf->cals[i];
	return NULL;
}

/* t in local time (the calendar's zone, set in main), then in UTC. */
static void
show(const char *what, time_t t)
{
	char local[64], utc[21];

	tkt_time_local(t, local, sizeof local);
	tkt_time_fmt(t, utc);
	printf("%s %s (%s)\n", what, local, utc);
}

static time_t
when(const char *s)
{
	time_t t;

	if (tkt_time_parse(s, &t) == -1)
		tkt_die(2, "%s: cannot read time, or it does not exist "
		    "here (a daylight-saving gap)", s);
	return t;
}

int
main(int argc, char *argv[])
{
	const struct tkt_cal *cal;
	const char *desk = NULL, *calname = NULL;
	struct tkt_desk d;
	char dur[32];
	long lim;
	int c, span = 0;

	tkt_init(&argc, argv);
	while ((c = getopt(argc, argv, "c:d:s")) != -1) {
		switch (c) {
		case 'c': calname = optarg; break;
		case 'd': desk = optarg; break;
		case 's': span = 1; break;
		default: tkt_usage(synopsis);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 2)
		tkt_usage(synopsis);
	if (!span && (tkt_dur_parse(argv[1], &lim) == -1 || lim < 0))
		tkt_die(2, "%s: not a limit (e.g. 30m, 8h, 2d)", argv[1]);
	if (tkt_desk_open(&d, desk) == -1)
		return 1;
	if ((cal = findcal(&d.conf, calname)) == NULL) {
		tkt_warn("%s: no such calendar in %s/config", calname,
		    d.path);
		tkt_desk_close(&d);
		return 1;
	}
	/* Times are read and shown in the calendar's own zone. */
	if (!cal->always) {
		setenv("TZ", cal->zone, 1);
		tzset();
	}
	if (span && when(argv[1]) < when(argv[0]))
		tkt_die(2, "%s is before %s", argv[1], argv[0]);
	if (span) {
		tkt_dur_fmt(tkt_cal_span(cal, when(argv[0]), when(argv[1])),
		    dur, sizeof dur);
		printf("%s\n", dur);
	} else {
		show("enters", when(argv[0]));
		show("due", tkt_cal_add(cal, when(argv[0]), lim));
	}
	tkt_desk_close(&d);
	return tkt_finish(0);
}
