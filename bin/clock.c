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
 * in the top tier, breached once.
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
	long	 used;			/* counted before resume */
	time_t	 resume;		/* running since, when running */
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
	c->planned = c->breached = 0;
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
}

/*
 * Record every escalation and breach that fell due at or before now,
 * each at the instant it fell due, tier after tier.  Returns how many
 * events were added.
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
