/*
 * tkt-escalate: the sweep.  Every open ticket whose tier clock has
 * reached the tier's limit is escalated to the next tier, or breached
 * in the top tier, and its path printed.
 *
 * Escalations are recorded at the instant the limit ran out, and a
 * late sweep catches up tier after tier, so the files do not depend on
 * how often the sweep runs, and a second run changes nothing.  Warnings
 * before a limit are recorded the same way, once a tier visit, and
 * their tickets' paths listed apart, in the -w file.  It reads
 * cur/ only: closed tickets live elsewhere.  Headers are read first and
 * the whole file only for a ticket that must change.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tkt.h"

static const char synopsis[] =
    "[-nv] [-d dir] [-w file] [ticket ... | -]";

/* What catching up did to a ticket. */
#define ESCALATED	1		/* or breached, or moved on */
#define WARNED		2

struct sweep {
	int	 dry;
	int	 verbose;
	int	 account;		/* -v with tickets named: explain */
	FILE	*warnfp;		/* -w: paths of the warned */
};

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
		tkt_cal_local(due->cal, due->deadline, when, sizeof when);
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

/* -v: when the visit's warning falls, if it is still to be given. */
static void
warnat(const struct tkt_ticket *t, const struct tkt_due *due)
{
	char left[32], when[64], utc[21];

	if (due->warning == 0)
		return;
	tkt_dur_fmt(due->left, left, sizeof left);
	tkt_cal_local(due->cal, due->warning, when, sizeof when);
	tkt_time_fmt(due->warning, utc);
	fprintf(stderr, "%s: warning at %s (%s), %s left, %s\n", t->id,
	    when, utc, left, due->warning <= tkt_now ? "due" : "not due yet");
}

/* ESCALATED, WARNED or both, for the events from from on. */
static int
added(const struct tkt_ticket *t, size_t from)
{
	int what = 0;

	for (; from < t->nev; from++)
		what |= t->ev[from].verb == TKT_WARNED ? WARNED : ESCALATED;
	return what;
}

/* Escalated paths on stdout, warned ones in the -w file. */
static void
list(const struct sweep *s, const char *path, int what)
{
	if (what & ESCALATED)
		puts(path);
	if ((what & WARNED) && s->warnfp != NULL)
		fprintf(s->warnfp, "%s\n", path);
}

/* -n: catch up in memory only, and list what would change. */
static int
dryrun(const struct tkt_desk *d, struct tkt_ticket *t,
    const struct sweep *s)
{
	size_t before = t->nev;

	tkt_clock_catchup(t, &d->conf, tkt_now);
	list(s, t->path, added(t, before));
	return 0;
}

/*
 * Rewrite a ticket that must change: read it whole, catch up, save.
 * A forced one is listed even if nothing was added.
 */
static int
apply(const struct tkt_desk *d, struct tkt_ticket *t,
    const struct sweep *s, int force)
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
		list(s, w.path, added(&w, before) | (force ? ESCALATED : 0));
	if (s->verbose)
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
		r = s->dry ? (puts(t.path), 0) : apply(d, &t, s, 1);
	} else if (st.dir == TKT_CUR) {
		tkt_clock_due(&t, &d->conf, tkt_now, &due);
		if (s->verbose) {
			explain(&t, &due);
			warnat(&t, &due);
			if (s->account)
				tkt_clock_explain(&t, &d->conf, tkt_now,
				    stderr);
		}
		if ((due.deadline != 0 && due.deadline <= tkt_now) ||
		    (due.warning != 0 && due.warning <= tkt_now))
			r = s->dry ? dryrun(d, &t, s) : apply(d, &t, s, 0);
	}
	tkt_ticket_free(&t);
	return r;
}

int
main(int argc, char *argv[])
{
	struct sweep s = { 0 };
	struct tkt_desk d;
	const char *desk = NULL, *warnto = NULL;
	int c, status;

	tkt_init(&argc, argv);
	while ((c = getopt(argc, argv, "d:nvw:")) != -1) {
		switch (c) {
		case 'd': desk = optarg; break;
		case 'n': s.dry = 1; break;
		case 'v': s.verbose = 1; break;
		case 'w': warnto = optarg; break;
		default: tkt_usage(synopsis);
		}
	}
	argc -= optind;
	argv += optind;
	s.account = s.verbose && argc > 0;
	if (tkt_desk_open(&d, desk) == -1)
		return 1;
	if (warnto != NULL && (s.warnfp = fopen(warnto, "w")) == NULL)
		tkt_die(1, "%s: %s", warnto, strerror(errno));
	status = tkt_run(&d, argc, argv, TKT_CUR, !s.dry, sweep1, &s);
	if (s.warnfp != NULL && (ferror(s.warnfp) | fclose(s.warnfp))) {
		tkt_warn("%s: %s", warnto, strerror(errno));
		status = 1;
	}
	tkt_desk_close(&d);
	return tkt_finish(status);
}
