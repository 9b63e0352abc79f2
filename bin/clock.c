/*
 * clock.c: the tier clock, derived from a ticket's history alone.
 *
 * A tier visit begins when the ticket is routed into a tier, moved to
 * another tier by hand, or escalated.  Its clock runs while the ticket
 * is open and no plan has been recorded in the visit; closing pauses
 * it, reopening resumes it with the time already used (and forgets the
 * plan, since the fix did not hold).  Waiting on the client pauses it
 * too, until the wait is resumed or the ticket closed; a wait outlives
 * a move to another tier, whose clock then starts paused.  Time is
 * counted by the desk's calendar.  When the clock of a visit reaches
 * the tier's limit, the ticket is escalated at that very instant, or,
 * in the top tier, breached once.  When the config asks for a warning,
 * it is recorded as the clock reaches limit - lead, once a visit: a
 * reopen does not warn again, a new visit does.
 */

#include <string.h>

#include "tkt.h"

struct clock {
	int	 tier;
	int	 open;			/* routed and not closed */
	int	 closed;
	int	 planned;
	int	 breached;
	int	 waiting;		/* on the client */
	int	 warned;		/* in this visit */
	long	 used;			/* counted before resume */
	time_t	 resume;		/* running since, when running */
	int	 visits;		/* begun so far */
};

static void
stop(struct clock *c, const struct tkt_cal *cal, time_t t)
{
	if (c->resume != 0)
		c->used += tkt_cal_span(cal, c->resume, t);
	c->resume = 0;
}

static void
visit(struct clock *c, int tier, time_t t)
{
	c->tier = tier;
	c->visits++;
	c->planned = c->breached = c->warned = 0;
	c->used = 0;
	c->resume = t;
}

static void
step(struct clock *c, const struct tkt_cal *cal, const struct tkt_event *ev)
{
	switch (ev->verb) {
	case TKT_ROUTED:
		if (c->tier == 0) {
			c->open = !c->closed;
			visit(c, ev->tier ? ev->tier : 1, c->open ? ev->t : 0);
		} else if (ev->tier != 0 && ev->tier != c->tier)
			visit(c, ev->tier, c->open && !c->waiting ? ev->t : 0);
		break;
	case TKT_ESCALATED:
		visit(c, ev->tier, c->waiting ? 0 : ev->t);
		break;
	case TKT_PLANNED:
		stop(c, cal, ev->t);
		c->planned = 1;
		break;
	case TKT_BREACHED:
		c->breached = 1;
		break;
	case TKT_CLOSED_EV:
		stop(c, cal, ev->t);
		c->open = 0;
		c->closed = 1;
		c->waiting = 0;
		break;
	case TKT_REOPENED:
		c->closed = 0;
		if (!c->open && c->tier != 0) {
			c->open = 1;
			c->planned = 0;
			c->resume = ev->t;
		}
		break;
	case TKT_WAITING:
		if (c->open && c->tier != 0) {
			stop(c, cal, ev->t);
			c->waiting = 1;
		}
		break;
	case TKT_RESUMED:
		if (c->waiting && !c->planned)
			c->resume = ev->t;
		c->waiting = 0;
		break;
	case TKT_WARNED:
		c->warned = 1;
		break;
	default:
		break;
	}
}

static void
run(const struct tkt_ticket *t, const struct tkt_cal *cal, struct clock *c)
{
	size_t i;

	memset(c, 0, sizeof *c);
	for (i = 0; i < t->nev; i++)
		step(c, cal, &t->ev[i]);
}

/*
 * When the visit's clock reaches limit - lead, derived like the
 * deadline; at the resume point when that much is used already.  Only
 * for a running clock with a deadline, and once a visit.
 */
static void
warning(const struct clock *c, const struct tkt_conf *conf,
    struct tkt_due *due)
{
	long lead, at;

	if (due->deadline == 0 || c->warned ||
	    (lead = tkt_conf_lead(conf, c->tier, due->limit)) < 0)
		return;
	at = lead >= due->limit ? 0 : due->limit - lead;
	if (c->used >= at) {
		due->warning = c->resume;
		due->left = c->used < due->limit ? due->limit - c->used : 0;
	} else {
		due->warning = tkt_cal_add(due->cal, c->resume, at - c->used);
		due->left = due->limit - at;
	}
}

/* Where the clock of the ticket's current tier visit stands at now. */
void
tkt_clock_due(const struct tkt_ticket *t, const struct tkt_conf *conf,
    time_t now, struct tkt_due *due)
{
	struct tkt_state st;
	struct tkt_rule rule;
	struct clock c;

	/*
	 * The rule of the ticket's tier, client and priority as they are
	 * now; earlier visits are counted by it too, but only the current
	 * visit's time is used.
	 */
	tkt_ticket_state(t, &st);
	tkt_conf_rule(conf, st.tier, st.client, st.priority, &rule);
	run(t, rule.cal, &c);
	memset(due, 0, sizeof *due);
	due->tier = c.tier;
	due->limit = c.tier > 0 ? rule.limit : -1;
	due->cal = rule.cal;
	due->limitline = rule.limitline;
	due->calline = rule.calline;
	due->used = c.used;
	due->running = c.resume != 0 && !c.planned && c.open;
	if (due->running && now > c.resume)
		due->used += tkt_cal_span(rule.cal, c.resume, now);
	if (!due->running || due->limit < 0 || c.breached)
		return;
	if (c.used >= due->limit)
		due->deadline = c.resume;
	else
		due->deadline = tkt_cal_add(rule.cal, c.resume,
		    due->limit - c.used);
	warning(&c, conf, due);
}

/* The warned event of due's visit. */
static void
warned(struct tkt_ticket *t, const struct tkt_due *due)
{
	struct tkt_event ev;
	char lim[32], left[32], why[96];

	memset(&ev, 0, sizeof ev);
	ev.t = due->warning;
	ev.verb = TKT_WARNED;
	ev.tier = due->tier;
	ev.by = "clock";
	tkt_dur_fmt(due->limit, lim, sizeof lim);
	tkt_dur_fmt(due->left, left, sizeof left);
	snprintf(why, sizeof why, "tier %d limit %s: %s left", due->tier,
	    lim, left);
	ev.text = why;
	tkt_ticket_add(t, &ev);
}

/*
 * Record every warning, escalation and breach that fell due at or
 * before now, each at the instant it fell due, tier after tier.  A
 * warning never falls after its visit's deadline, so history stays in
 * time order.  Returns how many events were added.
 */
int
tkt_clock_catchup(struct tkt_ticket *t, const struct tkt_conf *conf,
    time_t now)
{
	struct tkt_event ev;
	struct tkt_due due;
	char lim[32], why[96];
	int n;

	for (n = 0;; n++) {
		tkt_clock_due(t, conf, now, &due);
		if (due.warning != 0 && due.warning <= now) {
			warned(t, &due);
			continue;
		}
		if (due.deadline == 0 || due.deadline > now)
			return n;
		memset(&ev, 0, sizeof ev);
		ev.t = due.deadline;
		ev.by = "clock";
		tkt_dur_fmt(due.limit, lim, sizeof lim);
		snprintf(why, sizeof why, "tier %d limit %s reached "
		    "without a plan", due.tier, lim);
		ev.text = why;
		if (due.tier < conf->tiers) {
			ev.verb = TKT_ESCALATED;
			ev.tier = due.tier + 1;
		} else {
			ev.verb = TKT_BREACHED;
			ev.tier = due.tier;
		}
		tkt_ticket_add(t, &ev);
	}
}

/* Explaining a visit's clock: where each line of it begins and ends. */
struct expl {
	FILE	*out;
	const char *id;
	const struct tkt_cal *cal;
	const char *what;		/* "counted" or "to count" */
	time_t	 at;			/* the end of the last line */
};

static void
xline(const struct expl *x, const char *what, time_t a, time_t b,
    const char *note)
{
	char from[64], to[64];

	tkt_cal_fmt(x->cal, a, from, sizeof from);
	tkt_cal_fmt(x->cal, b, to, sizeof to);
	fprintf(x->out, "%s:   %-8s %s to %s, %s\n", x->id, what, from, to,
	    note);
}

static void
xopen(void *arg, time_t a, time_t b)
{
	struct expl *x = arg;
	char dur[32];

	if (a > x->at)
		xline(x, "skipped", x->at, a, "closed hours");
	tkt_dur_fmt((long)(b - a), dur, sizeof dur);
	xline(x, x->what, a, b, dur);
	x->at = b;
}

/* A stretch the clock ran: its open hours, and the closed between. */
static void
xrun(struct expl *x, const char *what, time_t a, time_t b)
{
	if (b <= a)
		return;
	x->what = what;
	x->at = a;
	tkt_cal_open(x->cal, a, b, xopen, x);
	if (x->at < b)
		xline(x, "skipped", x->at, b, "closed hours");
}

/* The event that began the current visit, or nev when none did. */
static size_t
xbegin(const struct tkt_ticket *t, const struct tkt_cal *cal)
{
	struct clock c;
	size_t i, from;
	int n;

	memset(&c, 0, sizeof c);
	for (from = t->nev, i = 0; i < t->nev; i++) {
		n = c.visits;
		step(&c, cal, &t->ev[i]);
		if (c.visits != n)
			from = i;
	}
	return from;
}

static void
xhead(const struct expl *x, const struct tkt_due *due, time_t t)
{
	char when[64];

	tkt_cal_fmt(x->cal, t, when, sizeof when);
	fprintf(x->out, "%s:   tier %d visit since %s, calendar %s%s%s\n",
	    x->id, due->tier, when, x->cal->name,
	    x->cal->always ? "" : " in ", x->cal->always ? "" : x->cal->zone);
}

/* The running stretch at the end: counted up to now, then to come. */
static void
xlast(struct expl *x, const struct tkt_due *due, time_t resume, time_t now)
{
	time_t end;

	end = due->deadline != 0 ? due->deadline : now;
	if (end <= now) {
		xrun(x, "counted", resume, end);
		return;
	}
	xrun(x, "counted", resume, now);
	xrun(x, "to count", resume > now ? resume : now, end);
}

static void
xdeadline(const struct expl *x, const struct tkt_due *due)
{
	char when[64], utc[21];

	if (due->deadline == 0) {
		fprintf(x->out, "%s:   no deadline\n", x->id);
		return;
	}
	tkt_cal_fmt(x->cal, due->deadline, when, sizeof when);
	tkt_time_fmt(due->deadline, utc);
	fprintf(x->out, "%s:   deadline %s (%s)\n", x->id, when, utc);
}

/*
 * Print the accounting of the current tier visit at now: each stretch
 * the clock ran, cut into the calendar's open hours and the closed
 * hours skipped, each pause with the events that began and ended it,
 * and the deadline, all in the calendar's zone.
 */
void
tkt_clock_explain(const struct tkt_ticket *t, const struct tkt_conf *conf,
    time_t now, FILE *out)
{
	struct tkt_due due;
	struct expl x;
	struct clock c, prev;
	const struct tkt_event *ev;
	time_t paused = 0;
	const char *why = "closed";
	char note[64];
	size_t i, from;

	tkt_clock_due(t, conf, now, &due);
	x.out = out;
	x.id = t->id;
	x.cal = due.cal;
	if ((from = xbegin(t, due.cal)) == t->nev) {
		fprintf(out, "%s:   in no tier yet\n", t->id);
		return;
	}
	memset(&c, 0, sizeof c);
	for (i = 0; i < t->nev; i++) {
		prev = c;
		ev = &t->ev[i];
		step(&c, due.cal, ev);
		if (i < from)
			continue;
		if (i == from) {
			xhead(&x, &due, ev->t);
			paused = ev->t;
			why = c.waiting ? "waiting" : "closed";
		} else if (prev.resume != 0 && c.resume == 0) {
			xrun(&x, "counted", prev.resume, ev->t);
			paused = ev->t;
			why = tkt_verb_name(ev->verb);
		} else if (prev.resume == 0 && c.resume != 0) {
			snprintf(note, sizeof note, "%s until %s", why,
			    tkt_verb_name(ev->verb));
			xline(&x, "paused", paused, ev->t, note);
		}
	}
	if (c.resume != 0)
		xlast(&x, &due, c.resume, now);
	else if (now > paused) {
		snprintf(note, sizeof note, "%s, still", why);
		xline(&x, "paused", paused, now, note);
	}
	xdeadline(&x, &due);
}
