/*
 * tkt-route: sort new tickets into the working set by the desk's rules,
 * or move tickets to another tier by hand.
 *
 * Without operands it routes every ticket in new/; with "-" it reads
 * ticket names from standard input.  The rules are read and checked in
 * full before any ticket is touched, so a rules error changes nothing.
 * It prints the path of every ticket it changed.
 */

#include <stdlib.h>
#include <strings.h>
#include <unistd.h>

#include "tkt.h"

static const char synopsis[] = "[-nv] [-d dir] [ticket ... | -]\n"
    "       tkt-route [-nv] [-d dir] [-u user] -t tier -r reason "
    "[ticket ... | -]";

struct route {
	struct tkt_rules *rules;
	const char *user;
	const char *reason;
	int	 tier;			/* by hand when set */
	int	 dry;
	int	 verbose;
};

static int
commit(const struct tkt_desk *d, struct tkt_ticket *t,
    const struct tkt_event *ev, const struct route *r)
{
	if (ev->tier > d->conf.tiers) {
		tkt_warn("%s: tier %d, but the desk has %d tiers", t->path,
		    ev->tier, d->conf.tiers);
		return -1;
	}
	if (r->dry) {
		puts(t->path);
		return 0;
	}
	if (tkt_desk_record(d, t, ev) == -1)
		return -1;
	puts(t->path);
	return 0;
}

static int
byrules(const struct tkt_desk *d, struct tkt_ticket *t, struct route *r)
{
	struct tkt_event ev = { 0 };
	struct tkt_route out;
	struct tkt_view v;
	char by[32];

	v.t = t;
	tkt_ticket_state(t, &v.st);
	/*
	 * Routed already, by cron perhaps, before the delivery pipeline
	 * got to it: nothing to do, and no error, or the mail transport
	 * agent would bounce a message that is safely a ticket.
	 */
	if (v.st.dir != TKT_NEW) {
		if (r->verbose)
			fprintf(stderr, "%s: already routed, to tier %d\n",
			    t->id, v.st.tier);
		return 0;
	}
	if (r->verbose)
		fprintf(stderr, "%s:\n", t->id);
	tkt_rules_apply(r->rules, tkt_rules_get, &v, &out,
	    r->verbose ? stderr : NULL);
	snprintf(by, sizeof by, out.line ? "rules:%d" : "rules", out.line);
	ev.t = tkt_now;
	ev.verb = TKT_ROUTED;
	ev.by = by;
	ev.tier = out.tier ? out.tier : 1;
	ev.client = (char *)out.client;
	ev.category = (char *)out.category;
	ev.priority = (char *)out.priority;
	if (r->verbose)
		fprintf(stderr, "%s: tier %d\n", t->id, ev.tier);
	return commit(d, t, &ev, r);
}

static int
byhand(const struct tkt_desk *d, struct tkt_ticket *t, struct route *r)
{
	struct tkt_event ev = { 0 };
	struct tkt_state st;

	/* The tier it is in now may be one the sweep has yet to record. */
	tkt_clock_catchup(t, &d->conf, tkt_now);
	tkt_ticket_state(t, &st);
	if (st.dir == TKT_CLOSED) {
		tkt_warn("%s: closed; reopen it first", t->path);
		return -1;
	}
	if (st.dir == TKT_CUR && st.tier == r->tier) {
		if (r->verbose)
			fprintf(stderr, "%s: already in tier %d\n", t->id,
			    r->tier);
		return 0;
	}
	ev.t = tkt_now;
	ev.verb = TKT_ROUTED;
	ev.by = (char *)r->user;
	ev.tier = r->tier;
	ev.text = (char *)r->reason;
	return commit(d, t, &ev, r);
}

static int
route1(const struct tkt_desk *d, const char *path, void *arg)
{
	struct tkt_ticket t;
	struct tkt_state st;
	struct route *r = arg;
	int rv;

	if (tkt_desk_load(d, path, &t, 1) == -1) {
		tkt_ticket_free(&t);
		return -1;
	}
	tkt_ticket_state(&t, &st);
	if (r->tier == 0 && st.dir != TKT_NEW && t.dir == TKT_NEW &&
	    !r->dry) {
		/* A crash between rewrite and move; finish the move. */
		rv = tkt_desk_save(d, &t);
		if (rv == 0)
			puts(t.path);
	} else if (r->tier != 0)
		rv = byhand(d, &t, r);
	else
		rv = byrules(d, &t, r);
	tkt_ticket_free(&t);
	return rv;
}

static void
parseopts(int argc, char **argv, struct route *r, const char **desk)
{
	const char *user = NULL;
	char *end;
	int c;

	while ((c = getopt(argc, argv, "d:nr:t:u:v")) != -1) {
		switch (c) {
		case 'd': *desk = optarg; break;
		case 'n': r->dry = 1; break;
		case 'r': r->reason = optarg; break;
		case 't':
			r->tier = (int)strtol(optarg, &end, 10);
			if (*end != '\0' || r->tier < 1 ||
			    r->tier > TKT_MAXTIER)
				tkt_die(2, "-t %s: not a tier", optarg);
			break;
		case 'u': user = optarg; break;
		case 'v': r->verbose = 1; break;
		default: tkt_usage(synopsis);
		}
	}
	if ((r->tier != 0) != (r->reason != NULL) ||
	    (r->reason != NULL && *r->reason == '\0'))
		tkt_usage(synopsis);
	r->user = tkt_user(user);
}

int
main(int argc, char *argv[])
{
	struct route r = { 0 };
	struct tkt_desk d;
	const char *desk = NULL;
	char rules[4096];
	int status;

	tkt_init(&argc, argv);
	parseopts(argc, argv, &r, &desk);
	argc -= optind;
	argv += optind;
	if (tkt_desk_open(&d, desk) == -1)
		return 1;
	snprintf(rules, sizeof rules, "%s/rules", d.path);
	if (r.tier == 0 &&
	    (r.rules = tkt_rules_load(rules, d.conf.tiers)) == NULL) {
		tkt_desk_close(&d);
		return 1;
	}
	status = tkt_run(&d, argc, argv, r.tier ? -1 : TKT_NEW, !r.dry,
	    route1, &r);
	if (r.rules != NULL)
		tkt_rules_free(r.rules);
	tkt_desk_close(&d);
	return tkt_finish(status);
}
