/*
 * tkt-report: what happened on a desk in a period, from the tickets'
 * histories alone.
 *
 * Each ticket's header section is read (never its body) and its
 * history replayed up to the end of the period.  Only counters are
 * kept: per tier the open tickets, escalations, breaches and the
 * length of every tier visit that ended in the period, in business
 * time by the calendar that rules the ticket in that tier (as its tier
 * clock does), less the time it waited on the client; and for each
 * ticket escalated in the period its ID, linked into the group of its
 * category and the group of its normalised subject.  A group is known
 * by the hash of its key alone; the key of a group that is shown is
 * read again from one of its tickets.  So memory grows by 4 bytes a
 * visit, 24 bytes an escalated ticket and 23 to 46 bytes a distinct
 * key, and never with the size of a ticket or of its subject.
 *
 * Assumes what tkt_ticket_read guarantees: a history that starts with
 * created and runs in time order.  Every figure depends only on the
 * events before the end of the period, so that the report on a past
 * period stays the same as tickets move on.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tkt.h"

#define SYNOPSIS "[-b begin] [-d dir] [-e end] [-f text | tsv] " \
	"[--now time]\n\t[ticket ... | -]"
#define NONE		UINT32_MAX	/* end of a group's list */
#define KEYMAX		256		/* a group's key, with its NUL */
#define SHOWN		10		/* IDs listed per group in text */
#define PERLINE		5

enum count { OPEN, ESCALATED, BREACHED, NCOUNT };
static const char *const countname[NCOUNT] = {
	"open", "escalations", "breaches"
};

enum kind { BYCAT, BYSUBJ, NKIND };
static const char *const kindname[NKIND] = { "category", "subject" };

/* One tier: counts, and the visits that ended in the period. */
struct tier {
	long	 n[NCOUNT];
	uint32_t *len;			/* business seconds of each visit */
	size_t	 nvisit;
	size_t	 cap;
	long long total;		/* their sum, unclamped */
};

/* A ticket escalated in the period, on one list per kind of group. */
struct esc {
	char	 id[TKT_IDLEN + 1];
	uint32_t next[NKIND];
};

/* A group: the hash of its key, and its tickets, latest first. */
struct slot {
	uint64_t hash;			/* 0: a free slot */
	uint32_t head;			/* in esc[] */
	uint32_t count;
};

/* Open addressing, so that a group costs no more than its slot. */
struct table {
	struct slot *slot;
	size_t	 nslot;			/* a power of two */
	size_t	 n;
};

/* A group to show, with its key. */
struct loop {
	enum kind kind;
	uint32_t count;
	uint32_t head;
	char	*key;
};

struct report {
	const struct tkt_desk *desk;
	const struct tkt_conf *conf;
	time_t	 begin;
	time_t	 end;
	time_t	 first;			/* earliest created before end */
	long	 opened;
	long	 closed;
	long	 reopened;
	long	 tier1;			/* closed, and only ever in tier 1 */
	long	 unrouted;		/* open at the end, never routed */
	struct tier tier[TKT_MAXTIER + 1];
	struct esc *esc;
	size_t	 nesc;
	size_t	 esccap;
	struct table group[NKIND];
};

/* One ticket's replay. */
struct walk {
	int	 tier;			/* 0 until routed: in no tier */
	int	 open;
	int	 only1;			/* never in a tier other than 1 */
	int	 escalated;		/* in the period */
	time_t	 since;			/* the current visit began */
	time_t	 closed;		/* last close */
	int	 waiting;		/* on the client */
	time_t	 waited;		/* the wait began, or the visit */
	long	 paused;		/* waited in the visit before that */
	const char *client;		/* as of the last event replayed */
	const char *priority;
};

/*
 * XXX: two keys with the same 64-bit hash share a group.  Among a
 * million keys the odds of that are less than one in thirty million.
 */
static uint64_t
hash(const char *s)
{
	uint64_t h;

	for (h = 0xcbf29ce484222325ULL; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h ? h : 1;
}

static size_t
probe(const struct table *tb, uint64_t h)
{
	size_t i;

	for (i = h & (tb->nslot - 1); tb->slot[i].hash != 0 &&
	    tb->slot[i].hash != h; i = (i + 1) & (tb->nslot - 1))
		;
	return i;
}

static void
grow(struct table *tb)
{
	struct slot *old;
	size_t i, n;

	old = tb->slot;
	n = tb->nslot;
	tb->nslot = n ? 2 * n : 1024;
	tb->slot = tkt_alloc(tb->nslot * sizeof *tb->slot);
	for (i = 0; i < n; i++)
		if (old[i].hash != 0)
			tb->slot[probe(tb, old[i].hash)] = old[i];
	free(old);
}

static struct slot *
lookup(struct table *tb, uint64_t h)
{
	struct slot *s;

	if (10 * (tb->n + 1) > 7 * tb->nslot)
		grow(tb);
	s = &tb->slot[probe(tb, h)];
	if (s->hash == 0) {
		s->hash = h;
		s->head = NONE;
		tb->n++;
	}
	return s;
}

/*
 * The key of the group of a kind a ticket is in, as it is at end: the
 * category, or the subject normalised; "" when there is none.
 */
static const char *
keyof(const struct tkt_ticket *t, time_t end, enum kind kind, char *buf)
{
	const char *v;
	char *dec;
	size_t i;

	buf[0] = '\0';
	if (kind == BYCAT) {
		for (v = NULL, i = 0; i < t->nev && t->ev[i].t < end; i++)
			if (t->ev[i].category != NULL)
				v = t->ev[i].category;
		if (v != NULL)
			snprintf(buf, KEYMAX, "%s", v);
	} else if ((v = tkt_ticket_get(t, "Subject")) != NULL) {
		dec = tkt_mail_decode(v);
		tkt_subject_norm(dec, buf, KEYMAX);
		free(dec);
	}
	return buf;
}

/* Put escalated ticket i on the list of the group named key. */
static void
join(struct report *r, enum kind kind, const char *key, uint32_t i)
{
	struct slot *s;

	r->esc[i].next[kind] = NONE;
	if (*key == '\0')
		return;
	s = lookup(&r->group[kind], hash(key));
	r->esc[i].next[kind] = s->head;
	s->head = i;
	s->count++;
}

/* XXX: an ID longer than TKT_IDLEN is cut, as tkt_desk_load does. */
static void
remember(struct report *r, const struct tkt_ticket *t, const char *path)
{
	const char *id;
	char key[KEYMAX];
	int k;

	if (r->nesc == r->esccap) {
		if (r->esccap >= NONE / 2)
			tkt_die(1, "too many escalated tickets");
		r->esccap = r->esccap ? 2 * r->esccap : 256;
		r->esc = tkt_realloc(r->esc, r->esccap * sizeof *r->esc);
	}
	id = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	snprintf(r->esc[r->nesc].id, sizeof r->esc->id, "%s", id);
	for (k = 0; k < NKIND; k++)
		join(r, k, keyof(t, r->end, k, key), r->nesc);
	r->nesc++;
}

/*
 * Before it is routed a ticket is in no tier and has no visit, but an
 * escalation or breach recorded then is counted against tier 1.
 */
static int
curtier(const struct walk *w)
{
	return w->tier ? w->tier : 1;
}

static void
settier(struct walk *w, int tier)
{
	w->tier = tier;
	if (tier != 1)
		w->only1 = 0;
}

/*
 * The calendar the ticket's clock counts by in its tier, as the config
 * says now for the client and priority it has at this point.
 */
static const struct tkt_cal *
calof(const struct report *r, const struct walk *w)
{
	struct tkt_rule rule;

	tkt_conf_rule(r->conf, w->tier, w->client, w->priority, &rule);
	return rule.cal;
}

/* Business time waited on the client in the visit, up to t. */
static long
waited(const struct report *r, const struct walk *w, time_t t)
{
	if (!w->waiting)
		return w->paused;
	return w->paused + tkt_cal_span(calof(r, w), w->waited, t);
}

/*
 * The visit in progress ends at t; keep it if t is in the period.  Its
 * length is business time in the tier less the time waited.
 */
static void
endvisit(struct report *r, const struct walk *w, time_t t)
{
	struct tier *tr;
	long secs;

	if (!w->open || w->tier == 0 || t < r->begin)
		return;
	tr = &r->tier[w->tier];
	if (tr->nvisit == tr->cap) {
		tr->cap = tr->cap ? 2 * tr->cap : 64;
		tr->len = tkt_realloc(tr->len, tr->cap * sizeof *tr->len);
	}
	secs = tkt_cal_span(calof(r, w), w->since, t) - waited(r, w, t);
	tr->len[tr->nvisit++] = (long long)secs > (long long)UINT32_MAX ?
	    UINT32_MAX : (uint32_t)secs;
	tr->total += secs;
}

static void
move(struct report *r, struct walk *w, int tier, time_t t)
{
	endvisit(r, w, t);
	w->since = w->waited = t;
	w->paused = 0;
	settier(w, tier);
}

/* As for the tier clock, the first visit begins at the first routing. */
static void
route(struct report *r, struct walk *w, const struct tkt_event *ev)
{
	if (w->tier == 0) {
		w->since = ev->t;
		settier(w, ev->tier ? ev->tier : 1);
	} else if (ev->tier != 0 && ev->tier != w->tier)
		move(r, w, ev->tier, ev->t);
}

/* A close ends the visit; a reopen starts another in the same tier. */
static void
shut(struct report *r, struct walk *w, time_t t)
{
	if (w->open) {
		endvisit(r, w, t);
		w->open = 0;
		w->closed = t;
		w->waiting = 0;
	}
}

static void
reopen(struct walk *w, time_t t)
{
	if (!w->open) {
		w->open = 1;
		w->since = t;
		w->paused = 0;
	}
}

/* A wait outlives a move to another tier, as for the tier clock. */
static void
onclient(const struct report *r, struct walk *w,
    const struct tkt_event *ev)
{
	if (ev->verb == TKT_WAITING && w->open && w->tier != 0 &&
	    !w->waiting) {
		w->waiting = 1;
		w->waited = ev->t;
	} else if (ev->verb == TKT_RESUMED && w->waiting) {
		w->paused = waited(r, w, ev->t);
		w->waiting = 0;
	}
}

static void
step(struct report *r, struct walk *w, const struct tkt_event *ev)
{
	int in;

	in = ev->t >= r->begin;
	switch (ev->verb) {
	case TKT_CREATED:
		w->open = 1;
		r->opened += in;
		break;
	case TKT_ROUTED:
		route(r, w, ev);
		break;
	case TKT_ESCALATED:
		r->tier[curtier(w)].n[ESCALATED] += in;
		w->escalated |= in;
		move(r, w, ev->tier ? ev->tier : curtier(w), ev->t);
		break;
	case TKT_BREACHED:
		r->tier[ev->tier ? ev->tier : curtier(w)].n[BREACHED] += in;
		break;
	case TKT_CLOSED_EV:
		shut(r, w, ev->t);
		break;
	case TKT_REOPENED:
		r->reopened += in && !w->open;
		reopen(w, ev->t);
		break;
	case TKT_WAITING:
	case TKT_RESUMED:
		onclient(r, w, ev);
		break;
	default:
		break;
	}
	/* A visit the event ends was spent under the old client. */
	if (ev->client != NULL)
		w->client = ev->client;
	if (ev->priority != NULL)
		w->priority = ev->priority;
}

/* Count the state the ticket is in at the end of the period. */
static void
tally(struct report *r, const struct walk *w, const struct tkt_ticket *t,
    const char *path)
{
	if (w->open && w->tier == 0)
		r->unrouted++;
	else if (w->open)
		r->tier[w->tier].n[OPEN]++;
	else if (w->closed >= r->begin) {
		r->closed++;
		r->tier1 += w->only1;
	}
	if (w->escalated)
		remember(r, t, path);
}

static int
take(const struct tkt_desk *d, const char *path, void *arg)
{
	struct report *r;
	struct tkt_ticket t;
	struct walk w;
	size_t i;

	(void)d;
	r = arg;
	if (tkt_ticket_read(&t, path, 0) == -1) {
		tkt_ticket_free(&t);
		return 1;
	}
	if (t.ev[0].t < r->end) {
		if (t.ev[0].t < r->first)
			r->first = t.ev[0].t;
		memset(&w, 0, sizeof w);
		w.only1 = 1;
		for (i = 0; i < t.nev && t.ev[i].t < r->end; i++)
			step(r, &w, &t.ev[i]);
		tally(r, &w, &t, path);
	}
	tkt_ticket_free(&t);
	return 0;
}

/* Every ticket of the desk, or those the operands name. */
static int
readall(struct report *r, const struct tkt_desk *d, int argc, char **argv)
{
	int i, status;

	status = 0;
	if (argc == 0) {
		for (i = TKT_NEW; i <= TKT_CLOSED; i++)
			status |= tkt_desk_scan(d, i, take, r);
		return status;
	}
	for (i = 0; i < argc; i++)
		if (strcmp(argv[i], "-") == 0)
			status |= tkt_each(d, 0, NULL, take, r);
		else
			status |= tkt_each(d, 1, &argv[i], take, r);
	return status;
}

static int
bylen(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* The nearest-rank p-th percentile of a tier's sorted visits. */
static unsigned long
pct(const struct tier *tr, int p)
{
	return tr->len[(tr->nvisit * p + 99) / 100 - 1];
}

/* The highest tier to show: the top one, or any above it with data. */
static int
showtop(const struct report *r)
{
	const struct tier *tr;
	int i, c, top;

	top = r->conf->tiers;
	for (i = top + 1; i <= TKT_MAXTIER; i++) {
		tr = &r->tier[i];
		for (c = 0; c < NCOUNT; c++)
			if (tr->n[c] != 0)
				top = i;
		if (tr->nvisit != 0)
			top = i;
	}
	return top;
}

static int
anycost(const struct report *r)
{
	int i;

	for (i = 1; i <= TKT_MAXTIER; i++)
		if (r->conf->cost[i] != 0)
			return 1;
	return 0;
}

/* What the visits to tier i that ended in the period cost. */
static double
cost(const struct report *r, int i)
{
	return (double)r->tier[i].nvisit * r->conf->cost[i];
}

/* The desk's calendar has a name, and a zone unless it is 24x7. */
static const char *
calzone(const struct tkt_cal *cal)
{
	return cal->always || cal->zone[0] == '\0' ? "-" : cal->zone;
}

/* Ticket text is untrusted: no control byte may break a line or field. */
static void
putkey(const char *s)
{
	for (; *s != '\0'; s++)
		putchar((unsigned char)*s < ' ' || *s == 0x7f ? '?' : *s);
}

/*
 * The key of a group, read again from the first of its tickets that
 * still has it; "?" when none has, as when all moved away meanwhile.
 */
static char *
rekey(const struct report *r, enum kind kind, const struct slot *s)
{
	struct tkt_ticket t;
	char key[KEYMAX], *path;
	uint32_t i;
	int same;

	for (i = s->head; i != NONE; i = r->esc[i].next[kind]) {
		if ((path = tkt_desk_resolve(r->desk, r->esc[i].id)) == NULL)
			continue;
		same = tkt_ticket_read(&t, path, 0) == 0 &&
		    hash(keyof(&t, r->end, kind, key)) == s->hash;
		tkt_ticket_free(&t);
		free(path);
		if (same)
			return tkt_strdup(key);
	}
	return tkt_strdup("?");
}

static int
byloop(const void *a, const void *b)
{
	const struct loop *x = a, *y = b;

	if (x->kind != y->kind)
		return (int)x->kind - (int)y->kind;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->key, y->key);
}

static int
isrecurring(const struct report *r, const struct slot *s)
{
	return s->hash != 0 && s->count >= (uint32_t)r->conf->recur;
}

/* The groups of at least recur tickets: by kind, largest first. */
static struct loop *
recurring(const struct report *r, size_t *np)
{
	const struct table *tb;
	struct loop *v;
	size_t i, n;
	int k;

	for (n = 0, k = 0; k < NKIND; k++)
		for (i = 0, tb = &r->group[k]; i < tb->nslot; i++)
			n += isrecurring(r, &tb->slot[i]);
	v = tkt_alloc(n * sizeof *v);
	for (n = 0, k = 0; k < NKIND; k++)
		for (i = 0, tb = &r->group[k]; i < tb->nslot; i++)
			if (isrecurring(r, &tb->slot[i])) {
				v[n].kind = k;
				v[n].count = tb->slot[i].count;
				v[n].head = tb->slot[i].head;
				v[n++].key = rekey(r, k, &tb->slot[i]);
			}
	qsort(v, n, sizeof *v, byloop);
	*np = n;
	return v;
}

static void
loop_free(struct loop *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].key);
	free(v);
}

static int
byid(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A group's ticket IDs in order. */
static const char **
members(const struct report *r, const struct loop *g)
{
	const char **id;
	uint32_t i, n;

	id = tkt_alloc(g->count * sizeof *id);
	for (n = 0, i = g->head; i != NONE; i = r->esc[i].next[g->kind])
		id[n++] = r->esc[i].id;
	qsort(id, n, sizeof *id, byid);
	return id;
}

static void
tsv_counts(const struct report *r, int top)
{
	char b[21], e[21];
	int c, i;

	tkt_time_fmt(r->begin, b);
	tkt_time_fmt(r->end, e);
	printf("period\t%s\t%s\ncalendar\t", b, e);
	putkey(r->conf->cal.name);
	printf("\t%s\n", calzone(&r->conf->cal));
	printf("opened\t%ld\nclosed\t%ld\nreopened\t%ld\nnew\t%ld\n",
	    r->opened, r->closed, r->reopened, r->unrouted);
	for (c = 0; c < NCOUNT; c++)
		for (i = 1; i <= top; i++)
			printf("%s\t%d\t%ld\n", countname[c], i,
			    r->tier[i].n[c]);
}

static void
tsv_time(const struct report *r, int top)
{
	const struct tier *tr;
	int i;

	for (i = 1; i <= top; i++) {
		tr = &r->tier[i];
		if (tr->nvisit == 0)
			printf("time\t%d\t0\t-\t-\t0\n", i);
		else
			printf("time\t%d\t%zu\t%lu\t%lu\t%lld\n", i,
			    tr->nvisit, pct(tr, 50), pct(tr, 90), tr->total);
	}
	printf("ftr\t%ld\t%ld\t", r->closed, r->tier1);
	if (r->closed == 0)
		printf("-\n");
	else
		printf("%.1f\n", 100.0 * r->tier1 / r->closed);
}

static void
tsv_cost(const struct report *r, int top)
{
	double sum;
	size_t n;
	int i;

	if (!anycost(r))
		return;
	for (n = 0, sum = 0, i = 1; i <= top; i++) {
		printf("cost\t%d\t%zu\t%.2f\n", i, r->tier[i].nvisit,
		    cost(r, i));
		n += r->tier[i].nvisit;
		sum += cost(r, i);
	}
	printf("cost-total\t%zu\t%.2f\n", n, sum);
}

static void
tsv_loop(const struct report *r)
{
	struct loop *g;
	const char **id;
	size_t i, n;
	uint32_t j;

	g = recurring(r, &n);
	for (i = 0; i < n; i++) {
		printf("loop\t%s\t", kindname[g[i].kind]);
		putkey(g[i].key);
		printf("\t%lu", (unsigned long)g[i].count);
		id = members(r, &g[i]);
		for (j = 0; j < g[i].count; j++)
			printf("\t%s", id[j]);
		putchar('\n');
		free(id);
	}
	loop_free(g, n);
}

static void
tsv(const struct report *r, const char *desk)
{
	int top;

	top = showtop(r);
	printf("desk\t");
	putkey(desk);
	putchar('\n');
	tsv_counts(r, top);
	tsv_time(r, top);
	tsv_cost(r, top);
	tsv_loop(r);
}

static void
text_counts(const struct report *r, const char *desk)
{
	char b[64], e[64];

	tkt_time_local(r->begin, b, sizeof b);
	tkt_time_local(r->end, e, sizeof e);
	printf("Desk %s, from %s to %s.\n", desk, b, e);
	printf("Times are business time, each ticket under its calendar "
	    "(desk: %s", r->conf->cal.name);
	if (!r->conf->cal.always && r->conf->cal.zone[0] != '\0')
		printf(", %s", r->conf->cal.zone);
	printf(").\n\n");
	printf("Opened              %8ld\n", r->opened);
	printf("Closed              %8ld\n", r->closed);
	printf("Resolved in tier 1  %8ld", r->tier1);
	if (r->closed != 0)
		printf("  %.1f%% of closed", 100.0 * r->tier1 / r->closed);
	printf("\nReopened            %8ld\n", r->reopened);
	printf("New, not routed     %8ld\n\n", r->unrouted);
}

static void
text_tiers(const struct report *r, int top)
{
	const struct tier *tr;
	char med[32], p90[32];
	int i;

	printf("Tier     Open  Escalated  Breached    Visits  Median        "
	    "90th pct\n");
	for (i = 1; i <= top; i++) {
		tr = &r->tier[i];
		strcpy(med, "-");
		strcpy(p90, "-");
		if (tr->nvisit != 0) {
			tkt_dur_fmt(pct(tr, 50), med, sizeof med);
			tkt_dur_fmt(pct(tr, 90), p90, sizeof p90);
		}
		printf("%-4d %8ld %10ld %9ld %9zu  %-12s  %s\n", i,
		    tr->n[OPEN], tr->n[ESCALATED], tr->n[BREACHED],
		    tr->nvisit, med, p90);
	}
}

static void
text_cost(const struct report *r, int top)
{
	double sum;
	size_t n;
	int i;

	if (!anycost(r))
		return;
	printf("\nTier     Visits   Per visit          Cost\n");
	for (n = 0, sum = 0, i = 1; i <= top; i++) {
		printf("%-4d %9zu %11.2f %13.2f\n", i, r->tier[i].nvisit,
		    r->conf->cost[i], cost(r, i));
		n += r->tier[i].nvisit;
		sum += cost(r, i);
	}
	printf("All  %9zu %11s %13.2f\n", n, "", sum);
}

static void
text_group(const struct report *r, const struct loop *g)
{
	const char **id;
	uint32_t j;

	printf("%lu with %s \"", (unsigned long)g->count, kindname[g->kind]);
	putkey(g->key);
	printf("\":");
	id = members(r, g);
	for (j = 0; j < g->count && j < SHOWN; j++)
		printf("%s%s", j % PERLINE ? " " : "\n    ", id[j]);
	if (g->count > SHOWN)
		printf(" ...");
	putchar('\n');
	free(id);
}

static void
text_loop(const struct report *r)
{
	struct loop *g;
	size_t i, n;

	g = recurring(r, &n);
	printf("\nEscalated tickets by recurring problem (%d or more):%s\n",
	    r->conf->recur, n ? "" : " none");
	for (i = 0; i < n; i++)
		text_group(r, &g[i]);
	loop_free(g, n);
}

static void
text(const struct report *r, const char *desk)
{
	int top;

	top = showtop(r);
	text_counts(r, desk);
	text_tiers(r, top);
	text_cost(r, top);
	text_loop(r);
}

static void
report_free(struct report *r)
{
	int i;

	for (i = 0; i <= TKT_MAXTIER; i++)
		free(r->tier[i].len);
	for (i = 0; i < NKIND; i++)
		free(r->group[i].slot);
	free(r->esc);
}

static time_t
when(const char *opt, const char *s)
{
	time_t t;

	if (tkt_time_parse(s, &t) == -1)
		tkt_die(2, "%s: cannot read time \"%s\"", opt, s);
	return t;
}

static void
output(struct report *r, const char *desk, int astsv)
{
	int i;

	for (i = 1; i <= TKT_MAXTIER; i++)
		if (r->tier[i].nvisit > 0)
			qsort(r->tier[i].len, r->tier[i].nvisit,
			    sizeof *r->tier[i].len, bylen);
	if (astsv)
		tsv(r, desk);
	else
		text(r, desk);
}

int
main(int argc, char *argv[])
{
	struct tkt_desk desk;
	struct report r;
	const char *dflag;
	int c, astsv, hasbegin, status;

	tkt_init(&argc, argv);
	memset(&r, 0, sizeof r);
	r.end = tkt_now;
	dflag = NULL;
	astsv = hasbegin = 0;
	while ((c = getopt(argc, argv, "b:d:e:f:")) != -1)
		switch (c) {
		case 'b':
			r.begin = when("-b", optarg);
			hasbegin = 1;
			break;
		case 'd':
			dflag = optarg;
			break;
		case 'e':
			r.end = when("-e", optarg);
			break;
		case 'f':
			if (strcmp(optarg, "tsv") != 0 &&
			    strcmp(optarg, "text") != 0)
				tkt_die(2, "-f: unknown format \"%s\" "
				    "(text or tsv)", optarg);
			astsv = strcmp(optarg, "tsv") == 0;
			break;
		default:
			tkt_usage(SYNOPSIS);
		}
	if (r.begin >= r.end)
		tkt_die(2, "empty period: it does not begin before it ends");
	if (tkt_desk_open(&desk, dflag) == -1)
		return tkt_finish(1);
	r.desk = &desk;
	r.conf = &desk.conf;
	r.first = r.end;
	status = readall(&r, &desk, argc - optind, argv + optind);
	/* Without -b the period shown starts at the earliest event. */
	if (!hasbegin)
		r.begin = r.first;
	output(&r, desk.path, astsv);
	report_free(&r);
	tkt_desk_close(&desk);
	return tkt_finish(status);
}
