/*
 * event.c: the body of the commands that add one event written by a
 * person to each ticket named: tkt-plan, tkt-note, tkt-close,
 * tkt-reopen, tkt-wait and tkt-resume.  They differ only in the event
 * and the state it needs.
 */

#include <string.h>
#include <unistd.h>

#include "tkt.h"

struct kind {
	enum tkt_verb verb;
	char	 opt;			/* option letter of the text */
	const char *what;		/* the text, in the usage message */
};

static const struct kind kinds[] = {
	{ TKT_PLANNED, 'm', "plan" },
	{ TKT_NOTED, 'm', "note" },
	{ TKT_CLOSED_EV, 'r', "resolution" },
	{ TKT_REOPENED, 'm', "reason" },
	{ TKT_WAITING, 'm', "reason" },
	{ TKT_RESUMED, 'm', "note" },
};

struct job {
	const struct kind *k;
	const char *user;
	const char *text;
};

/* Why the event cannot be added to a ticket in this state, or NULL. */
static const char *
refuse(enum tkt_verb v, const struct tkt_state *st)
{
	enum tkt_dir dir = st->dir;

	switch (v) {
	case TKT_PLANNED:
		return dir == TKT_NEW ? "not routed yet" :
		    dir == TKT_CLOSED ? "closed" : NULL;
	case TKT_CLOSED_EV:
		return dir == TKT_CLOSED ? "already closed" : NULL;
	case TKT_REOPENED:
		return dir != TKT_CLOSED ? "not closed" : NULL;
	case TKT_WAITING:
		return dir == TKT_NEW ? "not routed yet" :
		    dir == TKT_CLOSED ? "closed" :
		    st->waiting ? "already waiting" : NULL;
	case TKT_RESUMED:
		return st->waiting ? NULL : "not waiting";
	default:
		return NULL;
	}
}

/*
 * A note keeps the last 64 KiB of the 1 MiB a ticket's header may have
 * free, so that a ticket full of notes can still be planned, escalated
 * and closed.
 */
static const char *
crowded(const struct tkt_ticket *t, const struct job *j)
{
	if (j->k->verb != TKT_NOTED ||
	    t->bodyoff + strlen(j->text) <= 960 * 1024)
		return NULL;
	return "history nearly full: no more notes (1 MiB, less 64 KiB "
	    "kept for plans, escalations and the close)";
}

static int
add1(const struct tkt_desk *d, const char *op, void *arg)
{
	struct tkt_event ev = { 0 };
	struct tkt_ticket t;
	struct tkt_state st;
	struct job *j = arg;
	const char *why;
	int r;

	r = tkt_desk_load(d, op, &t, 1);
	if (r == 0) {
		tkt_ticket_state(&t, &st);
		if ((why = refuse(j->k->verb, &st)) != NULL ||
		    (why = crowded(&t, j)) != NULL) {
			tkt_warn("%s: %s", t.path, why);
			r = -1;
		}
	}
	if (r == 0) {
		ev.t = tkt_now;
		ev.verb = j->k->verb;
		ev.by = (char *)j->user;
		ev.text = (char *)j->text;
		if ((r = tkt_desk_record(d, &t, &ev)) == 0)
			puts(t.path);
	}
	tkt_ticket_free(&t);
	return r;
}

int
tkt_event_main(int argc, char **argv, enum tkt_verb verb)
{
	struct tkt_buf use = { 0 };
	struct tkt_desk d;
	struct job j = { 0 };
	const char *desk = NULL, *user = NULL;
	char opts[] = "d:u:m:";
	size_t i;
	int c;

	for (i = 0; kinds[i].verb != verb; i++)
		;
	j.k = &kinds[i];
	opts[4] = j.k->opt;
	tkt_init(&argc, argv);
	tkt_buf_fmt(&use, "[-d dir] [-u user] -%c %s [ticket ... | -]",
	    j.k->opt, j.k->what);
	while ((c = getopt(argc, argv, opts)) != -1) {
		if (c == 'd')
			desk = optarg;
		else if (c == 'u')
			user = optarg;
		else if (c == j.k->opt)
			j.text = optarg;
		else
			tkt_usage(use.s);
	}
	if (j.text == NULL || *j.text == '\0')
		tkt_usage(use.s);
	tkt_buf_free(&use);
	j.user = tkt_user(user);
	if (tkt_desk_open(&d, desk) == -1)
		return 1;
	c = tkt_run(&d, argc - optind, argv + optind, -1, 1, add1, &j);
	tkt_desk_close(&d);
	return tkt_finish(c);
}
