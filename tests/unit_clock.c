/*
 * unit_clock.c: the tier clock and the catch-up of escalations
 * (clock.c), with the default limits unless a test says otherwise:
 * tier 1 30m, tier 2 1h, tier 3 none, three tiers.
 *
 * Histories are written as "verb HH:MM [tier]" words on 2026-03-02
 * UTC; "move" is a routed event by a person.
 */

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../bin/tkt.h"

#define DAY	1772409600		/* 2026-03-02T00:00:00Z */
#define AT(h, m)	(DAY + 3600 * (h) + 60 * (m))

static struct tkt_conf conf;

static void
setup(void)
{
	tkt_conf_default(&conf);
}

static void
empty(struct tkt_ticket *t)
{
	static const char head[] = "Subject: s\n\n";

	memset(t, 0, sizeof *t);
	t->buf = tkt_strdup(head);
	t->len = t->bodyoff = sizeof head - 1;
	t->whole = 1;
	memcpy(t->id, "0000000000aa", sizeof t->id);
}

static void
event(struct tkt_ticket *t, const char *verb, time_t when, int tier)
{
	struct tkt_event ev = { 0 };

	ev.t = when;
	ev.tier = tier;
	if (strcmp(verb, "move") == 0) {
		ev.verb = TKT_ROUTED;
		ev.by = "bob";
		ev.text = "by hand";
	} else {
		ev.verb = tkt_verb_parse(verb, strlen(verb));
		ck_assert_int_ge(ev.verb, 0);
		ev.by = ev.verb == TKT_ROUTED ? "rules" : "alice";
	}
	tkt_ticket_add(t, &ev);
}

/* A ticket made at 08:50 with the history steps. */
static void
history(struct tkt_ticket *t, const char *const *steps)
{
	char verb[16];
	int h, m, tier;

	empty(t);
	event(t, "created", AT(8, 50), 0);
	for (; *steps != NULL; steps++) {
		tier = 0;
		ck_assert_int_ge(sscanf(*steps, "%15s %d:%d %d", verb, &h, &m,
		    &tier), 3);
		event(t, verb, AT(h, m), tier);
	}
}

static void
due_of(const char *const *steps, time_t now, struct tkt_due *due)
{
	struct tkt_ticket t;

	history(&t, steps);
	tkt_clock_due(&t, &conf, now, due);
	tkt_ticket_free(&t);
}

static void
expect_event(const struct tkt_event *ev, enum tkt_verb verb, time_t when,
    int tier, const char *text)
{
	ck_assert_int_eq(ev->verb, verb);
	ck_assert_int_eq(ev->t, when);
	ck_assert_int_eq(ev->tier, tier);
	ck_assert_str_eq(ev->by, "clock");
	ck_assert_str_eq(ev->text, text);
	ck_assert_ptr_null(ev->client);
}

START_TEST(routed_deadline)
{
	const char *steps[] = { "routed 09:00 1", NULL };
	struct tkt_due due;

	due_of(steps, AT(9, 10), &due);
	ck_assert_int_eq(due.tier, 1);
	ck_assert_int_eq(due.limit, 1800);
	ck_assert_int_eq(due.used, 600);
	ck_assert_int_eq(due.running, 1);
	ck_assert_int_eq(due.deadline, AT(9, 30));
}
END_TEST

/* The first tier counts from routing, not from creation at 08:50. */
START_TEST(created_not_counted)
{
	const char *none[] = { NULL };
	const char *steps[] = { "routed 09:00", NULL };
	struct tkt_due due;

	due_of(none, AT(12, 0), &due);
	ck_assert_int_eq(due.tier, 0);
	ck_assert_int_eq(due.limit, -1);
	ck_assert_int_eq(due.used, 0);
	ck_assert_int_eq(due.running, 0);
	ck_assert_int_eq(due.deadline, 0);
	due_of(steps, AT(9, 0), &due);
	ck_assert_int_eq(due.tier, 1);
	ck_assert_int_eq(due.used, 0);
	ck_assert_int_eq(due.deadline, AT(9, 30));
}
END_TEST

START_TEST(due_at_deadline)
{
	const char *steps[] = { "routed 09:00 1", NULL };
	struct tkt_ticket t;

	history(&t, steps);
	ck_assert_int_eq(tkt_clock_catchup(&t, &conf, AT(9, 30) - 1), 0);
	ck_assert_uint_eq(t.nev, 2);
	ck_assert_int_eq(tkt_clock_catchup(&t, &conf, AT(9, 30)), 1);
	ck_assert_uint_eq(t.nev, 3);
	expect_event(&t.ev[2], TKT_ESCALATED, AT(9, 30), 2,
	    "tier 1 limit 30m reached without a plan");
	tkt_ticket_free(&t);
}
END_TEST

/* With limit 3 set, a late sweep gives two escalations and a breach. */
START_TEST(catchup_tiers)
{
	const char *steps[] = { "routed 09:00 1", NULL };
	struct tkt_ticket t;
	struct tkt_due due;

	conf.limit[3] = 2 * 3600;
	history(&t, steps);
	ck_assert_int_eq(tkt_clock_catchup(&t, &conf, AT(20, 0)), 3);
	ck_assert_uint_eq(t.nev, 5);
	expect_event(&t.ev[2], TKT_ESCALATED, AT(9, 30), 2,
	    "tier 1 limit 30m reached without a plan");
	expect_event(&t.ev[3], TKT_ESCALATED, AT(10, 30), 3,
	    "tier 2 limit 1h reached without a plan");
	expect_event(&t.ev[4], TKT_BREACHED, AT(12, 30), 3,
	    "tier 3 limit 2h reached without a plan");
	ck_assert_int_eq(tkt_clock_catchup(&t, &conf, AT(20, 0)), 0);
	ck_assert_int_eq(tkt_clock_catchup(&t, &conf, AT(23, 59)), 0);
	ck_assert_uint_eq(t.nev, 5);
	tkt_clock_due(&t, &conf, AT(23, 59), &due);
	ck_assert_int_eq(due.tier, 3);
	ck_assert_int_eq(due.deadline, 0);
	tkt_ticket_free(&t);
}
END_TEST

/* Tier 3 has no limit by default: no breach ever. */
START_TEST(catchup_no_limit)
{
	const char *steps[] = { "routed 09:00 1", NULL };
	struct tkt_ticket t;
	struct tkt_due due;

	history(&t, steps);
	ck_assert_int_eq(tkt_clock_catchup(&t, &conf, AT(23, 0)), 2);
	ck_assert_int_eq(t.ev[3].verb, TKT_ESCALATED);
	ck_assert_int_eq(t.ev[3].t, AT(10, 30));
	tkt_clock_due(&t, &conf, AT(23, 0), &due);
	ck_assert_int_eq(due.tier, 3);
	ck_assert_int_eq(due.limit, -1);
	ck_assert_int_eq(due.running, 1);
	ck_assert_int_eq(due.used, 12 * 3600 + 30 * 60);
	ck_assert_int_eq(due.deadline, 0);
	tkt_ticket_free(&t);
}
END_TEST

/* One tier only: the first tier is the top and breaches once. */
START_TEST(catchup_one_tier)
{
	const char *steps[] = { "routed 09:00", NULL };
	struct tkt_ticket t;

	conf.tiers = 1;
	history(&t, steps);
	ck_assert_int_eq(tkt_clock_catchup(&t, &conf, AT(23, 0)), 1);
	expect_event(&t.ev[2], TKT_BREACHED, AT(9, 30), 1,
	    "tier 1 limit 30m reached without a plan");
	ck_assert_int_eq(tkt_clock_catchup(&t, &conf, AT(23, 30)), 0);
	tkt_ticket_free(&t);
}
END_TEST

/* A breach is once per visit: closing and reopening does not renew it. */
START_TEST(breach_once_per_visit)
{
	const char *steps[] = { "routed 09:00 3", "breached 09:30 3",
	    "closed 09:40", "reopened 10:00", NULL };
	struct tkt_ticket t;

	conf.limit[3] = 1800;
	history(&t, steps);
	ck_assert_int_eq(tkt_clock_catchup(&t, &conf, AT(23, 0)), 0);
	event(&t, "move", AT(22, 50), 2);
	event(&t, "escalated", AT(23, 0), 3);
	ck_assert_int_eq(tkt_clock_catchup(&t, &conf, AT(23, 59)), 1);
	expect_event(&t.ev[t.nev - 1], TKT_BREACHED, AT(23, 30), 3,
	    "tier 3 limit 30m reached without a plan");
	tkt_ticket_free(&t);
}
END_TEST

START_TEST(plan_stops)
{
	const char *steps[] = { "routed 09:00 1", "planned 09:10", NULL };
	struct tkt_ticket t;
	struct tkt_due due;

	history(&t, steps);
	tkt_clock_due(&t, &conf, AT(12, 0), &due);
	ck_assert_int_eq(due.tier, 1);
	ck_assert_int_eq(due.running, 0);
	ck_assert_int_eq(due.used, 600);
	ck_assert_int_eq(due.deadline, 0);
	ck_assert_int_eq(tkt_clock_catchup(&t, &conf, AT(23, 0)), 0);
	tkt_ticket_free(&t);
}
END_TEST

/* A plan at the very second of the deadline comes too late. */
START_TEST(plan_at_deadline)
{
	const char *steps[] = { "routed 09:00 1", NULL };
	struct tkt_ticket t;
	struct tkt_due due;

	history(&t, steps);
	ck_assert_int_eq(tkt_clock_catchup(&t, &conf, AT(9, 30)), 1);
	event(&t, "planned", AT(9, 30), 0);
	tkt_clock_due(&t, &conf, AT(9, 40), &due);
	ck_assert_int_eq(due.tier, 2);
	ck_assert_int_eq(due.running, 0);
	ck_assert_int_eq(due.used, 0);
	ck_assert_int_eq(due.deadline, 0);
	tkt_ticket_free(&t);
}
END_TEST

START_TEST(close_pauses)
{
	const char *steps[] = { "routed 09:00 1", "closed 09:20",
	    "reopened 10:00", NULL };
	struct tkt_due due;

	due_of(steps, AT(10, 5), &due);
	ck_assert_int_eq(due.running, 1);
	ck_assert_int_eq(due.used, 25 * 60);
	ck_assert_int_eq(due.deadline, AT(10, 10));
	steps[2] = NULL;
	due_of(steps, AT(11, 0), &due);
	ck_assert_int_eq(due.running, 0);
	ck_assert_int_eq(due.used, 20 * 60);
	ck_assert_int_eq(due.deadline, 0);
}
END_TEST

/* A reopen forgets the plan and counts on from the time used. */
START_TEST(reopen_forgets_plan)
{
	const char *steps[] = { "routed 09:00 1", "planned 09:05",
	    "closed 09:20", "reopened 10:00", NULL };
	struct tkt_due due;

	due_of(steps, AT(10, 0), &due);
	ck_assert_int_eq(due.running, 1);
	ck_assert_int_eq(due.used, 5 * 60);
	ck_assert_int_eq(due.deadline, AT(10, 25));
}
END_TEST

START_TEST(move_by_hand)
{
	const char *steps[] = { "routed 10:05 1", "move 10:30 2", NULL };
	struct tkt_ticket t;
	struct tkt_due due;

	due_of(steps, AT(10, 45), &due);
	ck_assert_int_eq(due.tier, 2);
	ck_assert_int_eq(due.limit, 3600);
	ck_assert_int_eq(due.used, 15 * 60);
	ck_assert_int_eq(due.deadline, AT(11, 30));
	history(&t, steps);
	ck_assert_int_eq(tkt_clock_catchup(&t, &conf, AT(11, 30)), 1);
	expect_event(&t.ev[3], TKT_ESCALATED, AT(11, 30), 3,
	    "tier 2 limit 1h reached without a plan");
	tkt_ticket_free(&t);
}
END_TEST

/* A move into the same tier is no new visit; used time stays. */
START_TEST(move_same_tier)
{
	const char *steps[] = { "routed 09:00 1", "move 09:20 1", NULL };
	struct tkt_due due;

	due_of(steps, AT(9, 25), &due);
	ck_assert_int_eq(due.tier, 1);
	ck_assert_int_eq(due.used, 25 * 60);
	ck_assert_int_eq(due.deadline, AT(9, 30));
}
END_TEST

START_TEST(plan_not_carried)
{
	const char *steps[] = { "routed 09:00 1", "planned 09:10",
	    "move 10:30 2", NULL };
	struct tkt_due due;

	due_of(steps, AT(10, 30), &due);
	ck_assert_int_eq(due.tier, 2);
	ck_assert_int_eq(due.running, 1);
	ck_assert_int_eq(due.used, 0);
	ck_assert_int_eq(due.deadline, AT(11, 30));
}
END_TEST

/* A move while closed starts the new visit's clock at the reopen. */
START_TEST(move_while_closed)
{
	const char *steps[] = { "routed 09:00 1", "closed 09:20",
	    "move 09:40 2", "reopened 10:00", NULL };
	struct tkt_due due;

	due_of(steps, AT(10, 0), &due);
	ck_assert_int_eq(due.tier, 2);
	ck_assert_int_eq(due.used, 0);
	ck_assert_int_eq(due.deadline, AT(11, 0));
}
END_TEST

/*
 * A ticket closed before it was ever routed and then moved by hand is
 * still closed: its clock waits for the reopen.
 */
START_TEST(move_closed_unrouted)
{
	const char *steps[] = { "closed 09:00", "move 09:10 2",
	    "reopened 10:00", NULL };
	struct tkt_ticket t;
	struct tkt_due due;

	steps[2] = NULL;
	history(&t, steps);
	tkt_clock_due(&t, &conf, AT(9, 20), &due);
	ck_assert_int_eq(due.tier, 2);
	ck_assert_int_eq(due.running, 0);
	ck_assert_int_eq(due.deadline, 0);
	ck_assert_int_eq(tkt_clock_catchup(&t, &conf, AT(23, 0)), 0);
	tkt_ticket_free(&t);
	steps[2] = "reopened 10:00";
	due_of(steps, AT(10, 0), &due);
	ck_assert_int_eq(due.tier, 2);
	ck_assert_int_eq(due.running, 1);
	ck_assert_int_eq(due.deadline, AT(11, 0));
}
END_TEST

START_TEST(limit_from_conf)
{
	const char *steps[] = { "routed 09:00 1", NULL };
	struct tkt_due due;

	conf.limit[1] = 45 * 60;
	due_of(steps, AT(9, 10), &due);
	ck_assert_int_eq(due.deadline, AT(9, 45));
	conf.limit[1] = 10 * 60;
	due_of(steps, AT(9, 20), &due);
	ck_assert_int_eq(due.deadline, AT(9, 10));
	conf.limit[1] = -1;
	due_of(steps, AT(9, 10), &due);
	ck_assert_int_eq(due.limit, -1);
	ck_assert_int_eq(due.running, 1);
	ck_assert_int_eq(due.deadline, 0);
}
END_TEST

/* A limit cut below the time already used is due at the resume. */
START_TEST(limit_cut_after_reopen)
{
	const char *steps[] = { "routed 09:00 1", "closed 09:20",
	    "reopened 10:00", NULL };
	struct tkt_ticket t;

	conf.limit[1] = 15 * 60;
	history(&t, steps);
	ck_assert_int_eq(tkt_clock_catchup(&t, &conf, AT(10, 0)), 1);
	ck_assert_int_eq(t.ev[4].t, AT(10, 0));
	ck_assert_int_eq(t.ev[4].tier, 2);
	tkt_ticket_free(&t);
}
END_TEST

/* Waiting pauses the visit's clock; resumed runs it on. */
START_TEST(wait_pauses)
{
	const char *steps[] = { "routed 09:00 1", "waiting 09:10",
	    "resumed 11:00", NULL };
	struct tkt_due due;

	due_of(steps, AT(11, 5), &due);
	ck_assert_int_eq(due.running, 1);
	ck_assert_int_eq(due.used, 15 * 60);
	ck_assert_int_eq(due.deadline, AT(11, 20));
	steps[2] = NULL;
	due_of(steps, AT(10, 0), &due);
	ck_assert_int_eq(due.tier, 1);
	ck_assert_int_eq(due.running, 0);
	ck_assert_int_eq(due.used, 10 * 60);
	ck_assert_int_eq(due.deadline, 0);
}
END_TEST

/* A paused clock never falls due, however late the sweep. */
START_TEST(wait_never_due)
{
	const char *steps[] = { "routed 09:00 1", "waiting 09:29", NULL };
	struct tkt_ticket t;

	history(&t, steps);
	ck_assert_int_eq(tkt_clock_catchup(&t, &conf, AT(23, 59)), 0);
	ck_assert_int_eq(t.nev, 3);
	event(&t, "resumed", AT(23, 0), 0);
	ck_assert_int_eq(tkt_clock_catchup(&t, &conf, AT(23, 0)), 0);
	ck_assert_int_eq(tkt_clock_catchup(&t, &conf, AT(23, 1)), 1);
	expect_event(&t.ev[4], TKT_ESCALATED, AT(23, 1), 2,
	    "tier 1 limit 30m reached without a plan");
	tkt_ticket_free(&t);
}
END_TEST

/* A close ends the wait; the reopen runs on with the time used. */
START_TEST(close_ends_wait)
{
	const char *steps[] = { "routed 09:00 1", "waiting 09:10",
	    "closed 09:30", "reopened 10:00", NULL };
	struct tkt_ticket t;
	struct tkt_state st;
	struct tkt_due due;

	history(&t, steps);
	tkt_ticket_state(&t, &st);
	ck_assert_int_eq(st.waiting, 0);
	tkt_clock_due(&t, &conf, AT(10, 0), &due);
	ck_assert_int_eq(due.running, 1);
	ck_assert_int_eq(due.used, 10 * 60);
	ck_assert_int_eq(due.deadline, AT(10, 20));
	tkt_ticket_free(&t);
}
END_TEST

/* A move by hand keeps the wait; the new tier's clock starts paused. */
START_TEST(wait_outlives_move)
{
	const char *steps[] = { "routed 09:00 1", "waiting 09:10",
	    "move 09:20 2", "resumed 12:00", NULL };
	struct tkt_ticket t;
	struct tkt_state st;
	struct tkt_due due;

	steps[3] = NULL;
	history(&t, steps);
	tkt_ticket_state(&t, &st);
	ck_assert_int_eq(st.waiting, 1);
	ck_assert_int_eq(st.tier, 2);
	tkt_clock_due(&t, &conf, AT(12, 0), &due);
	ck_assert_int_eq(due.tier, 2);
	ck_assert_int_eq(due.running, 0);
	ck_assert_int_eq(due.used, 0);
	tkt_ticket_free(&t);
	steps[3] = "resumed 12:00";
	due_of(steps, AT(12, 0), &due);
	ck_assert_int_eq(due.running, 1);
	ck_assert_int_eq(due.deadline, AT(13, 0));
}
END_TEST

/* A plan made while waiting still stops the clock after the resume. */
START_TEST(plan_while_waiting)
{
	const char *steps[] = { "routed 09:00 1", "waiting 09:10",
	    "planned 09:20", "resumed 09:30", NULL };
	struct tkt_due due;

	due_of(steps, AT(12, 0), &due);
	ck_assert_int_eq(due.running, 0);
	ck_assert_int_eq(due.used, 10 * 60);
	ck_assert_int_eq(due.deadline, 0);
}
END_TEST

/* The state: waiting only when open, cleared by resumed and closed. */
START_TEST(wait_state)
{
	const char *steps[] = { "waiting 08:55", "routed 09:00 1",
	    "waiting 09:10", "resumed 09:20", NULL };
	struct tkt_ticket t;
	struct tkt_state st;

	steps[1] = NULL;
	history(&t, steps);
	tkt_ticket_state(&t, &st);
	ck_assert_int_eq(st.waiting, 0);
	tkt_ticket_free(&t);
	steps[1] = "routed 09:00 1";
	steps[3] = NULL;
	history(&t, steps);
	tkt_ticket_state(&t, &st);
	ck_assert_int_eq(st.waiting, 1);
	ck_assert_int_eq(st.dir, TKT_CUR);
	tkt_ticket_free(&t);
	steps[3] = "resumed 09:20";
	history(&t, steps);
	tkt_ticket_state(&t, &st);
	ck_assert_int_eq(st.waiting, 0);
	ck_assert_str_eq(tkt_verb_name(TKT_WAITING), "waiting");
	ck_assert_int_eq(tkt_verb_parse("resumed", 7), TKT_RESUMED);
	tkt_ticket_free(&t);
}
END_TEST

/* Catch up to now; the one event it must add. */
static const struct tkt_event *
caught1(struct tkt_ticket *t, time_t now)
{
	ck_assert_int_eq(tkt_clock_catchup(t, &conf, now), 1);
	return &t->ev[t->nev - 1];
}

/* A lead, or a share of the limit used, before a 24x7 limit. */
START_TEST(warn_24x7)
{
	const char *steps[] = { "routed 09:00 1", NULL };
	struct tkt_ticket t;
	struct tkt_due due;

	due_of(steps, AT(9, 10), &due);
	ck_assert_int_eq(due.warning, 0);
	conf.warn[0] = 600;
	due_of(steps, AT(9, 10), &due);
	ck_assert_int_eq(due.warning, AT(9, 20));
	ck_assert_int_eq(due.left, 600);
	history(&t, steps);
	ck_assert_int_eq(tkt_clock_catchup(&t, &conf, AT(9, 19)), 0);
	expect_event(caught1(&t, AT(9, 20)), TKT_WARNED, AT(9, 20), 1,
	    "tier 1 limit 30m: 10m left");
	ck_assert_int_eq(tkt_clock_catchup(&t, &conf, AT(9, 29)), 0);
	tkt_ticket_free(&t);
	conf.warn[0] = 0;
	conf.warnpct[0] = 80;
	due_of(steps, AT(9, 10), &due);
	ck_assert_int_eq(due.warning, AT(9, 24));
	ck_assert_int_eq(due.left, 360);
	/* A tier's own line wins; a lead past the limit warns at once. */
	conf.warn[1] = 3600;
	due_of(steps, AT(9, 10), &due);
	ck_assert_int_eq(due.warning, AT(9, 0));
	ck_assert_int_eq(due.left, 1800);
	conf.warn[1] = -1;
	due_of(steps, AT(9, 10), &due);
	ck_assert_int_eq(due.warning, 0);
}
END_TEST

/*
 * Mon-Fri 09:00-17:00 in Berlin (UTC+1), limit 8h, warn 1h.  Routed
 * Monday 16:00: 1h used that day, the warning after 6h more, Tuesday
 * 15:00, an hour before the deadline.
 */
START_TEST(warn_calendar)
{
	const char *steps[] = { "routed 15:00 1", NULL };
	struct tkt_ticket t;
	struct tkt_due due;
	int d;

	conf.cal.always = 0;
	strcpy(conf.cal.zone, "Europe/Berlin");
	for (d = 1; d <= 5; d++) {
		conf.cal.week[d][0].from = 9 * 60;
		conf.cal.week[d][0].to = 17 * 60;
		conf.cal.nseg[d] = 1;
	}
	conf.limit[1] = 8 * 3600;
	conf.warn[0] = 3600;
	due_of(steps, AT(15, 0), &due);
	ck_assert_int_eq(due.deadline, AT(24 + 15, 0));
	ck_assert_int_eq(due.warning, AT(24 + 14, 0));
	history(&t, steps);
	ck_assert_int_eq(tkt_clock_catchup(&t, &conf, AT(24 + 13, 59)), 0);
	expect_event(caught1(&t, AT(24 + 14, 0)), TKT_WARNED,
	    AT(24 + 14, 0), 1, "tier 1 limit 8h: 1h left");
	tkt_ticket_free(&t);
	tkt_cal_free(&conf.cal);
}
END_TEST

/*
 * Once a visit: a reopen does not warn again, the next tier's visit
 * does.  Closed at 09:22 with 22m used, reopened 09:40: due 09:48.
 */
START_TEST(warn_once_per_visit)
{
	const char *steps[] = { "routed 09:00 1", NULL };
	struct tkt_ticket t;
	struct tkt_due due;

	conf.warn[0] = 600;
	history(&t, steps);
	expect_event(caught1(&t, AT(9, 21)), TKT_WARNED, AT(9, 20), 1,
	    "tier 1 limit 30m: 10m left");
	event(&t, "closed", AT(9, 22), 0);
	event(&t, "reopened", AT(9, 40), 0);
	tkt_clock_due(&t, &conf, AT(9, 40), &due);
	ck_assert_int_eq(due.deadline, AT(9, 48));
	ck_assert_int_eq(due.warning, 0);
	expect_event(caught1(&t, AT(10, 0)), TKT_ESCALATED, AT(9, 48), 2,
	    "tier 1 limit 30m reached without a plan");
	expect_event(caught1(&t, AT(10, 40)), TKT_WARNED, AT(10, 38), 2,
	    "tier 2 limit 1h: 10m left");
	ck_assert_int_eq(tkt_clock_catchup(&t, &conf, AT(10, 47)), 0);
	tkt_ticket_free(&t);
}
END_TEST

/* A plan stops the clock, and with it the warning. */
START_TEST(warn_not_planned)
{
	const char *steps[] = { "routed 09:00 1", "planned 09:10", NULL };
	struct tkt_ticket t;
	struct tkt_due due;

	conf.warn[0] = 600;
	due_of(steps, AT(9, 30), &due);
	ck_assert_int_eq(due.warning, 0);
	history(&t, steps);
	ck_assert_int_eq(tkt_clock_catchup(&t, &conf, AT(12, 0)), 0);
	tkt_ticket_free(&t);
}
END_TEST

/* A small deterministic generator, the same on every platform. */
static unsigned long rnd_state;

static unsigned
rnd(unsigned n)
{
	rnd_state = rnd_state * 6364136223846793005UL + 1442695040888963407UL;
	return (unsigned)(rnd_state >> 33) % n;
}

static void
random_conf(struct tkt_conf *c)
{
	static const long choice[] = { -1, 60, 120, 300, 600, 1800, 3600,
	    5400, 7200 };
	int i;

	tkt_conf_default(c);
	c->tiers = 1 + rnd(4);
	for (i = 1; i <= TKT_MAXTIER; i++)
		c->limit[i] = choice[rnd(9)];
	c->warn[0] = choice[rnd(5)];
	c->warn[1 + rnd(TKT_MAXTIER)] = choice[rnd(9)];
	if (rnd(3) == 0) {
		c->warn[0] = 0;
		c->warnpct[0] = 1 + (int)rnd(99);
	}
}

/* What a person might do next to a ticket in the state t is in. */
static void
random_action(const struct tkt_ticket *t, const struct tkt_conf *c,
    struct tkt_event *ev)
{
	struct tkt_state st;

	tkt_ticket_state(t, &st);
	ev->by = "bob";
	ev->tier = 0;
	switch (rnd(st.dir == TKT_NEW ? 1 : st.dir == TKT_CLOSED ? 2 : 7)) {
	case 0:
		ev->verb = st.dir == TKT_CLOSED ? TKT_REOPENED : TKT_ROUTED;
		ev->tier = ev->verb == TKT_ROUTED ? 1 + rnd(c->tiers) : 0;
		break;
	case 1:
		ev->verb = st.dir == TKT_CLOSED ? TKT_NOTED : TKT_PLANNED;
		break;
	case 2:
	case 3:
		ev->verb = TKT_CLOSED_EV;
		break;
	case 4:
		ev->verb = TKT_NOTED;
		break;
	case 5:
		ev->verb = st.waiting ? TKT_RESUMED : TKT_WAITING;
		break;
	default:
		ev->verb = TKT_ROUTED;
		ev->tier = 1 + rnd(c->tiers);
		break;
	}
}

/* Record ev as every command does: catch up to its time first. */
static void
record(struct tkt_ticket *t, const struct tkt_conf *c,
    const struct tkt_event *ev)
{
	tkt_clock_catchup(t, c, ev->t);
	tkt_ticket_add(t, ev);
}

/* Sweep every whole minute after from, up to and including to. */
static void
sweep(struct tkt_ticket *t, const struct tkt_conf *c, time_t from,
    time_t to)
{
	time_t m;

	for (m = from - from % 60 + 60; m <= to; m += 60)
		tkt_clock_catchup(t, c, m);
}

static char *
formatted(const struct tkt_ticket *t)
{
	struct tkt_buf b = { 0 };

	tkt_ticket_format(t, &b);
	return b.s;
}

/*
 * Two copies get the same actions, each after the catch-up every
 * command does; one is also swept every minute.  At the end both are
 * caught up to the same instant and must be the same file.  The
 * actions begin at start and come up to gap seconds apart.
 */
static void
sweep_compare(const struct tkt_conf *cp, time_t start, unsigned gap)
{
	struct tkt_ticket once, every;
	struct tkt_event ev = { 0 };
	time_t now, end;
	char *a, *b;
	int k;

	empty(&once);
	empty(&every);
	now = start + rnd(60);
	event(&once, "created", now, 0);
	event(&every, "created", now, 0);
	for (k = 1 + rnd(12); k > 0; k--) {
		ev.t = now + rnd(gap);
		sweep(&every, cp, now, ev.t);
		random_action(&once, cp, &ev);
		record(&once, cp, &ev);
		record(&every, cp, &ev);
		now = ev.t;
	}
	end = now + rnd(10 * gap / 3);
	sweep(&every, cp, now, end);
	tkt_clock_catchup(&every, cp, end);
	tkt_clock_catchup(&once, cp, end);
	a = formatted(&once);
	b = formatted(&every);
	ck_assert_str_eq(b, a);
	free(a);
	free(b);
	tkt_ticket_free(&once);
	tkt_ticket_free(&every);
}

START_TEST(sweep_frequency)
{
	struct tkt_conf c;
	int i;

	rnd_state = 20261204;
	for (i = 0; i < 300; i++) {
		random_conf(&c);
		sweep_compare(&c, AT(8, 0), 3 * 3600);
	}
}
END_TEST

/* Zones whose clocks change, and about when (UTC) in 2026. */
static const struct {
	const char *name;
	time_t	 change;
} dstzone[] = {
	{ "Europe/Berlin", 1774746000 },
	{ "Europe/Berlin", 1792890000 },
	{ "America/New_York", 1772953200 },
	{ "America/New_York", 1793512800 },
	{ "Australia/Lord_Howe", 1775314800 },	/* by half an hour */
};

/*
 * A business calendar for the desk: up to three segments a day, on
 * quarter hours, often touching midnight or the small hours when the
 * clocks change, and now and then a holiday; in a zone with a change
 * near the time returned, when the test's tickets are made.
 */
static time_t
random_business(struct tkt_conf *c)
{
	int wd, i, n, from, to;
	size_t z;
	long d;

	z = rnd(sizeof dstzone / sizeof dstzone[0]);
	c->cal.always = 0;
	snprintf(c->cal.zone, sizeof c->cal.zone, "%s", dstzone[z].name);
	do {
		for (wd = 0; wd < 7; wd++) {
			c->cal.nseg[wd] = n = rnd(4);
			for (i = 0; i < n; i++) {
				from = rnd(2) ? 15 * rnd(97) : 60 * rnd(4);
				to = from + 15 * rnd(40);
				c->cal.week[wd][i].from = from;
				c->cal.week[wd][i].to = to > 1440 ? 1440 : to;
			}
		}
	} while (!tkt_cal_hasopen(&c->cal));
	d = (long)(dstzone[z].change / 86400) + rnd(3) - 1;
	if (rnd(3) == 0) {
		c->cal.holiday = tkt_alloc(sizeof *c->cal.holiday);
		c->cal.holiday[0] = d;
		c->cal.nholiday = 1;
	}
	return dstzone[z].change - 2 * 86400 + rnd(2 * 86400);
}

/* The same under a business calendar, across daylight-saving changes. */
START_TEST(sweep_frequency_business)
{
	struct tkt_conf c;
	time_t start;
	int i;

	rnd_state = 20260329;
	for (i = 0; i < 120; i++) {
		random_conf(&c);
		start = random_business(&c);
		sweep_compare(&c, start, 12 * 3600);
		tkt_cal_free(&c.cal);
	}
}
END_TEST

Suite *
clock_suite(void)
{
	Suite *s = suite_create("clock");
	TCase *tc = tcase_create("clock");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, routed_deadline);
	tcase_add_test(tc, created_not_counted);
	tcase_add_test(tc, due_at_deadline);
	tcase_add_test(tc, catchup_tiers);
	tcase_add_test(tc, catchup_no_limit);
	tcase_add_test(tc, catchup_one_tier);
	tcase_add_test(tc, breach_once_per_visit);
	tcase_add_test(tc, plan_stops);
	tcase_add_test(tc, plan_at_deadline);
	tcase_add_test(tc, close_pauses);
	tcase_add_test(tc, reopen_forgets_plan);
	tcase_add_test(tc, move_by_hand);
	tcase_add_test(tc, move_same_tier);
	tcase_add_test(tc, plan_not_carried);
	tcase_add_test(tc, move_while_closed);
	tcase_add_test(tc, move_closed_unrouted);
	tcase_add_test(tc, limit_from_conf);
	tcase_add_test(tc, limit_cut_after_reopen);
	tcase_add_test(tc, wait_pauses);
	tcase_add_test(tc, wait_never_due);
	tcase_add_test(tc, close_ends_wait);
	tcase_add_test(tc, wait_outlives_move);
	tcase_add_test(tc, plan_while_waiting);
	tcase_add_test(tc, wait_state);
	tcase_add_test(tc, sweep_frequency);
	tcase_add_test(tc, warn_24x7);
	tcase_add_test(tc, warn_calendar);
	tcase_add_test(tc, warn_once_per_visit);
	tcase_add_test(tc, warn_not_planned);
	tcase_add_test(tc, sweep_frequency_business);
	suite_add_tcase(s, tc);
	return s;
}
