/*
 * tkt-escalate: the sweep.  Every open ticket whose tier clock has
 * reached the tier's limit is escalated to the next tier, or breached
 * in the top tier, and its path printed.
 *
 * Escalations are recorded at the instant the limit ran out, and a
 * late sweep catches up tier after tier, so the files do not depend on
 * how often the sweep runs, and a second run changes nothing.  It reads
 * cur/ only: closed tickets live elsewhere.  Headers are read first and
 * the whole file only for a ticket that must change.
 */

#include <stdlib.h>
#include <unistd.h>

#include "tkt.h"

static const char synopsis[] = "[-nv] [-d dir] [ticket ... | -]";

struct sweep {
	int	 dry;
	int	 verbose;
};

/*
 * t in the calendar's zone: TZ is switched only to show the time, and
 * put back at once.  A 24x7 calendar has no zone, so TZ's is used.
 */
static void
inzone(const struct tkt_cal *cal, time_t t, char *buf, size_t n)
{
	char *old = getenv("TZ");

	if (cal->always || cal->zone[0] == '\0') {
		tkt_time_local(t, buf, n);
		return;
	}
	old = old != NULL ? tkt_strdup(old) : NULL;
	setenv("TZ", cal->zone, 1);
	tzset();
	tkt_time_local(t, buf, n);
	if (old != NULL)
		setenv("TZ", old, 1);
	else
		unsetenv("TZ");
	tzset();
	free(old);
}

/* "limit 15m (config line 12), calendar office (line 3)" */
static void
rule(const struct tkt_due *due)
{
	char lim[32];

	tkt_dur_fmt(due->limit, lim, sizeof lim);
	fprintf(stderr, "limit %s ", lim);
	if (due->limitline != 0)
		fprintf(stderr, "(config line %d)", due->limitline);
	else
		fputs("(default)", stderr);
	fprintf(stderr, ", calendar %s ", due->cal->name);
	if (due->calline != 0)
		fprintf(stderr, "(line %d)", due->calline);
	else
		fputs("(default)", stderr);
}

static void
explain(const struct tkt_ticket *t, const struct tkt_due *due)
{
	char used[32], when[64], utc[21];

	tkt_dur_fmt(due->used, used, sizeof used);
	fprintf(stderr, "%s: tier %d, ", t->id, due->tier);
	rule(due);
	fprintf(stderr, ", %s used", used);
	if (due->deadline != 0) {
		inzone(due->cal, due->deadline, when, sizeof when);
		tkt_time_fmt(due->deadline, utc);
		fprintf(stderr, ", deadline %s (%s)%s\n", when, utc,
		    due->deadline <= tkt_now ? ", due" : ", not due yet");
	} else if (due->limit < 0)
		fputs(", no limit in this tier\n", stderr);
	else if (!due->running)
		fputs(", clock stopped (plan recorded, waiting or closed)\n",
		    stderr);
	else
		fputs(", limit already breached\n", stderr);
}

static void
told(const struct tkt_ticket *t, size_t from)
{
	struct tkt_buf b = { 0 };
	size_t i;

	for (i = from; i < t->nev; i++) {
		b.len = 0;
		tkt_event_format(&t->ev[i], &b);
		fprintf(stderr, "%s: %s\n", t->id, b.s);
	}
	tkt_buf_free(&b);
}

/* Rewrite a ticket that must change: read it whole, catch up, save. */
static int
apply(const struct tkt_desk *d, struct tkt_ticket *t, int verbose)
{
	struct tkt_ticket w;
	size_t before;
	int r;

	if (tkt_desk_load(d, t->path, &w, 1) == -1) {
		tkt_ticket_free(&w);
		return -1;
	}
	before = w.nev;
	tkt_clock_catchup(&w, &d->conf, tkt_now);
	if ((r = tkt_desk_save(d, &w)) == 0)
		puts(w.path);
	if (verbose)
		told(&w, before);
	tkt_ticket_free(&w);
	return r;
}

static int
sweep1(const struct tkt_desk *d, const char *path, void *arg)
{
	struct sweep *s = arg;
	struct tkt_ticket t;
	struct tkt_state st;
	struct tkt_due due;
	int r;

	if (tkt_desk_load(d, path, &t, 0) == -1) {
		tkt_ticket_free(&t);
		return -1;
	}
	tkt_ticket_state(&t, &st);
	r = 0;
	if (st.dir == TKT_CLOSED && t.dir != TKT_CLOSED) {
		/* A close interrupted before its move; finish it. */
		r = s->dry ? (puts(t.path), 0) : apply(d, &t, 0);
	} else if (st.dir == TKT_CUR) {
		tkt_clock_due(&t, &d->conf, tkt_now, &due);
		if (s->verbose)
			explain(&t, &due);
		if (due.deadline != 0 && due.deadline <= tkt_now)
			r = s->dry ? (puts(t.path), 0) :
			    apply(d, &t, s->verbose);
	}
	tkt_ticket_free(&t);
	return r;
}

int
main(int argc, char *argv[])
{
	struct sweep s = { 0 };
	struct tkt_desk d;
	const char *desk = NULL;
	int c, status;

	tkt_init(&argc, argv);
	while ((c = getopt(argc, argv, "d:nv")) != -1) {
		switch (c) {
		case 'd': desk = optarg; break;
		case 'n': s.dry = 1; break;
		case 'v': s.verbose = 1; break;
		default: tkt_usage(synopsis);
		}
	}
	argc -= optind;
	argv += optind;
	if (tkt_desk_open(&d, desk) == -1)
		return 1;
	status = tkt_run(&d, argc, argv, TKT_CUR, !s.dry, sweep1, &s);
	tkt_desk_close(&d);
	return tkt_finish(status);
}
