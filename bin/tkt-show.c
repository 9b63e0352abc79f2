/*
 * tkt-show: print tickets for a person to read: a summary derived from
 * the history, where the tier clock stands, the history itself with
 * times in local time, and the body.  With -r it writes instead the
 * mails the tickets were made from, as delivered, and with -a one of
 * their attachments.
 *
 * The tickets are the operands, or the lines of standard input.  Ticket
 * text comes from strangers' mail, so control bytes other than tab and
 * newline are shown as '?' rather than sent to the terminal.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tkt.h"

#define SYNOPSIS "[-r | -a n] [-d dir] [--now time] [ticket ... | -]"
#define LABEL	"%-10s"

static const char *const statename[] = { "new", "open", "closed" };

/* Print n bytes, control bytes as '?'; CR before LF is dropped. */
static void
putsafe(const char *s, size_t n, int multiline)
{
	unsigned char c;
	size_t i;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (multiline && c == '\r' && i + 1 < n && s[i + 1] == '\n')
			continue;
		if (c == '\t' || (c == '\n' && multiline))
			putchar(c);
		else if (c < ' ' || c == 0x7f)
			putchar('?');
		else
			putchar(c);
	}
}

static void
field(const char *label, const char *value)
{
	printf(LABEL, label);
	putsafe(value ? value : "-", strlen(value ? value : "-"), 0);
	putchar('\n');
}

/* A duration; negative ones keep their sign (-1 is not "none"). */
static void
dur(long secs, char *buf, size_t n)
{
	if (secs < 0) {
		buf[0] = '-';
		tkt_dur_fmt(-secs, buf + 1, n - 1);
	} else
		tkt_dur_fmt(secs, buf, n);
}

/* The last event with this verb, or NULL. */
static const struct tkt_event *
lastev(const struct tkt_ticket *t, enum tkt_verb v)
{
	size_t i;

	for (i = t->nev; i > 0; i--)
		if (t->ev[i - 1].verb == v)
			return &t->ev[i - 1];
	return NULL;
}

/* Time of the last event with this verb. */
static time_t
lastof(const struct tkt_ticket *t, enum tkt_verb v)
{
	const struct tkt_event *ev;

	return (ev = lastev(t, v)) != NULL ? ev->t : 0;
}

/* "25m of 1h used in tier 2", or "25m used in tier 3, no limit". */
static void
used(const struct tkt_due *due, char *buf, size_t n)
{
	char u[32], lim[32];

	dur(due->used, u, sizeof u);
	if (due->limit < 0) {
		snprintf(buf, n, "%s used in tier %d, no limit", u,
		    due->tier);
		return;
	}
	dur(due->limit, lim, sizeof lim);
	snprintf(buf, n, "%s of %s used in tier %d", u, lim, due->tier);
}

/* The clock of a running visit with a limit: deadline and time left. */
static void
running(const struct tkt_ticket *t, const struct tkt_due *due,
    const char *u)
{
	char when[64], left[32];
	time_t deadline;
	long secs;

	if ((deadline = due->deadline) != 0)
		secs = (long)(deadline - tkt_now);
	else {
		/* Breached: no deadline is left, the overrun is not. */
		deadline = lastof(t, TKT_BREACHED);
		secs = due->limit - due->used;
	}
	tkt_time_local(deadline, when, sizeof when);
	dur(secs > 0 ? secs : -secs, left, sizeof left);
	printf(LABEL "%s, due %s, %s%s%s\n", "Clock:", u, when,
	    secs > 0 ? "" : "overdue by ", left, secs > 0 ? " left" : "");
}

static void
clockline(const struct tkt_ticket *t, const struct tkt_state *st,
    const struct tkt_conf *conf)
{
	struct tkt_due due;
	char u[96], when[64];

	tkt_clock_due(t, conf, tkt_now, &due);
	if (due.tier == 0) {
		printf(LABEL "not started: not routed yet\n", "Clock:");
		return;
	}
	used(&due, u, sizeof u);
	if (st->dir == TKT_CLOSED) {
		tkt_time_local(st->closed, when, sizeof when);
		printf(LABEL "stopped: closed %s, %s\n", "Clock:", when, u);
	} else if (!due.running && st->waiting) {
		tkt_time_local(lastof(t, TKT_WAITING), when, sizeof when);
		printf(LABEL "paused: waiting since %s, %s\n", "Clock:",
		    when, u);
	} else if (!due.running && st->planned) {
		tkt_time_local(lastof(t, TKT_PLANNED), when, sizeof when);
		printf(LABEL "stopped: plan recorded %s, %s\n", "Clock:",
		    when, u);
	} else if (!due.running)
		printf(LABEL "stopped: %s\n", "Clock:", u);
	else if (due.limit < 0)
		printf(LABEL "%s\n", "Clock:", u);
	else
		running(t, &due, u);
}

/* "open", or "waiting since 2026-05-08 15:00 CEST: no reply yet". */
static void
state(const struct tkt_ticket *t, const struct tkt_state *st)
{
	const struct tkt_event *ev;
	char when[64];

	if (!st->waiting || (ev = lastev(t, TKT_WAITING)) == NULL) {
		field("State:", statename[st->dir]);
		return;
	}
	tkt_time_local(ev->t, when, sizeof when);
	printf(LABEL "waiting since %s", "State:", when);
	if (ev->text != NULL && *ev->text != '\0') {
		printf(": ");
		putsafe(ev->text, strlen(ev->text), 0);
	}
	putchar('\n');
}

static void
summary(const struct tkt_ticket *t, const struct tkt_state *st,
    const struct tkt_conf *conf)
{
	const char *subj;
	char buf[64];

	field("Ticket:", t->id);
	subj = tkt_ticket_get(t, "Subject");
	field("Subject:", subj ? subj : "(no subject)");
	field("From:", tkt_ticket_get(t, "From"));
	state(t, st);
	if (st->tier > 0)
		snprintf(buf, sizeof buf, "%d", st->tier);
	field("Tier:", st->tier > 0 ? buf : NULL);
	field("Client:", st->client);
	field("Category:", st->category);
	field("Priority:", st->priority);
	tkt_time_local(st->created, buf, sizeof buf);
	field("Created:", buf);
	clockline(t, st, conf);
}

static void
part(const char *sep, const char *name, const char *value)
{
	if (value == NULL)
		return;
	printf("%s%s", sep, name);
	putsafe(value, strlen(value), 0);
}

/* 2026-12-04 16:05 UTC  routed by rules:12, tier 1, client acme */
static void
event(const struct tkt_event *ev)
{
	char when[64], tier[16];

	tkt_time_local(ev->t, when, sizeof when);
	printf("  %s  %s", when, tkt_verb_name(ev->verb));
	part(" ", "by ", ev->by);
	snprintf(tier, sizeof tier, "%d", ev->tier);
	part(", ", "tier ", ev->tier > 0 ? tier : NULL);
	part(", ", "client ", ev->client);
	part(", ", "category ", ev->category);
	part(", ", "priority ", ev->priority);
	part(", ", "flags ", ev->flag);
	part(", ", "key ", ev->key);
	part(", ", "follows ", ev->link);
	if (ev->text != NULL && *ev->text != '\0')
		part(": ", "", ev->text);
	putchar('\n');
}

static void
body(const struct tkt_ticket *t)
{
	size_t n;

	n = t->len - t->bodyoff;
	if (n == 0)
		return;
	putchar('\n');
	putsafe(t->buf + t->bodyoff, n, 1);
	if (t->buf[t->len - 1] != '\n')
		putchar('\n');
}

static void
rule(void)
{
	int i;

	for (i = 0; i < 72; i++)
		putchar('-');
	putchar('\n');
}

struct opts {
	int	 shown;			/* tickets so far */
	int	 raw;			/* -r */
	long	 attachment;		/* -a, or 0 */
};

/* The mail named in an event, as it was delivered. */
static char *
mailof(const struct tkt_desk *d, const struct tkt_event *ev, size_t *len)
{
	char *raw;

	if ((raw = tkt_desk_mail(d, ev->msg, len)) == NULL)
		tkt_warn("%s/mail/%s: %s", d->path, ev->msg, strerror(errno));
	return raw;
}

/* -r: each mail of the ticket, byte for byte. */
static int
raw(const struct tkt_desk *d, const struct tkt_ticket *t)
{
	size_t i, len;
	char *m;
	int r;

	for (r = 0, i = 0; i < t->nev; i++) {
		if (t->ev[i].msg == NULL)
			continue;
		if ((m = mailof(d, &t->ev[i], &len)) == NULL) {
			r = 1;
			continue;
		}
		fwrite(m, 1, len, stdout);
		free(m);
	}
	return r;
}

/* -a n: attachment n, counted through the ticket's mails. */
static int
attachment(const struct tkt_desk *d, const struct tkt_ticket *t, long n)
{
	struct tkt_buf b = { 0 };
	struct tkt_mime mm;
	size_t i, len;
	long left;
	char *m;
	int r;

	/* Without every earlier mail the count would be off: stop. */
	for (r = -1, left = n, i = 0; r == -1 && i < t->nev; i++) {
		if (t->ev[i].msg == NULL)
			continue;
		if ((m = mailof(d, &t->ev[i], &len)) == NULL)
			return 1;
		tkt_mime_parse(m, len, &mm);
		if (left <= (long)mm.npart)
			r = tkt_mime_part(m, len, (int)left, &b);
		else
			left -= (long)mm.npart;
		tkt_mime_free(&mm);
		free(m);
	}
	if (r == -1) {
		tkt_warn("%s: no attachment %ld", t->id, n);
		return 1;
	}
	fwrite(b.s, 1, b.len, stdout);
	tkt_buf_free(&b);
	return 0;
}

static int
show(const struct tkt_desk *d, const char *path, void *arg)
{
	struct tkt_ticket t;
	struct tkt_state st;
	struct opts *o = arg;
	size_t i;
	int r;

	if (tkt_desk_load(d, path, &t, 1) == -1) {
		tkt_ticket_free(&t);
		return 1;
	}
	if (o->raw || o->attachment) {
		r = o->raw ? raw(d, &t) : attachment(d, &t, o->attachment);
		tkt_ticket_free(&t);
		return r;
	}
	if (o->shown++ > 0)
		rule();
	tkt_ticket_state(&t, &st);
	summary(&t, &st, &d->conf);
	printf("History:\n");
	for (i = 0; i < t.nev; i++)
		event(&t.ev[i]);
	body(&t);
	tkt_ticket_free(&t);
	return 0;
}

int
main(int argc, char *argv[])
{
	struct tkt_desk d;
	struct opts o = { 0 };
	const char *dflag = NULL;
	char *end;
	int c, i, status;

	tkt_init(&argc, argv);
	while ((c = getopt(argc, argv, "a:d:r")) != -1)
		switch (c) {
		case 'a':
			o.attachment = strtol(optarg, &end, 10);
			if (*optarg < '1' || *optarg > '9' || *end != '\0' ||
			    o.attachment > 1000000)
				tkt_die(2, "-a %s: not an attachment number",
				    optarg);
			break;
		case 'd':
			dflag = optarg;
			break;
		case 'r':
			o.raw = 1;
			break;
		default:
			tkt_usage(SYNOPSIS);
		}
	if (o.raw && o.attachment)
		tkt_usage(SYNOPSIS);
	argc -= optind;
	argv += optind;
	if (tkt_desk_open(&d, dflag) == -1)
		return 1;
	status = argc == 0 ? tkt_each(&d, 0, NULL, show, &o) : 0;
	for (i = 0; i < argc; i++)
		if (strcmp(argv[i], "-") == 0)
			status |= tkt_each(&d, 0, NULL, show, &o);
		else
			status |= tkt_each(&d, 1, argv + i, show, &o);
	tkt_desk_close(&d);
	return tkt_finish(status);
}
