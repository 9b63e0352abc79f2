/*
 * same: check that tickets are what tkt itself would have written,
 * with tkt's own code (libtkt.a).  For every k-th file of each
 * directory: tkt reads it whole without complaint; writing it back
 * gives the same bytes; and each event came where tkt would have put
 * it, that is, before each event the clock of the history so far was
 * not yet due, unless the event is the escalation or breach that fell
 * due at that very instant.
 *
 *	same [-k every] [-d desk] [--now time] dir ...
 *
 * Prints how many files were checked and how many of them are due at
 * now; exits 1 after the first few that differ, with what differs.
 */

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tkt.h"

static const char synopsis[] = "[-k every] [-d desk] [--now time] dir ...";

static int
clockwise(const struct tkt_ticket *t, const struct tkt_conf *conf)
{
	struct tkt_ticket p = *t;
	struct tkt_due due;
	const struct tkt_event *e;
	int byclock;

	for (p.nev = 1; p.nev < t->nev; p.nev++) {
		e = &t->ev[p.nev];
		tkt_clock_due(&p, conf, e->t, &due);
		byclock = (e->verb == TKT_ESCALATED ||
		    e->verb == TKT_BREACHED) && strcmp(e->by, "clock") == 0;
		if (byclock ? due.deadline != e->t :
		    due.deadline != 0 && due.deadline <= e->t) {
			tkt_warn("%s: event %zu (%s) %s", t->path, p.nev + 1,
			    tkt_verb_name(e->verb), byclock ?
			    "is not where the clock ran out" :
			    "comes after an escalation that is missing");
			return -1;
		}
	}
	return 0;
}

/* 1 when due at now, 0 when not, -1 when it is not tkt's own. */
static int
check(const char *path, const char *name, const struct tkt_conf *conf)
{
	struct tkt_ticket t;
	struct tkt_buf b = { 0 };
	struct tkt_due due;
	int r = -1;

	if (tkt_ticket_read(&t, path, 1) == 0) {
		snprintf(t.id, sizeof t.id, "%.12s", name);
		tkt_ticket_format(&t, &b);
		if (b.len != t.len || memcmp(b.s, t.buf, b.len) != 0)
			tkt_warn("%s: tkt would write it otherwise", path);
		else if (clockwise(&t, conf) == 0) {
			tkt_clock_due(&t, conf, tkt_now, &due);
			r = due.deadline != 0 && due.deadline <= tkt_now;
		}
	}
	tkt_buf_free(&b);
	tkt_ticket_free(&t);
	return r;
}

int
main(int argc, char *argv[])
{
	struct tkt_desk d;
	struct dirent *de;
	const char *desk = NULL;
	char path[4096];
	long every = 1, n = 0, seen, due = 0, bad = 0;
	DIR *dp;
	int c, r;

	tkt_init(&argc, argv);
	while ((c = getopt(argc, argv, "d:k:")) != -1) {
		switch (c) {
		case 'd': desk = optarg; break;
		case 'k': every = atol(optarg) > 0 ? atol(optarg) : 1; break;
		default: tkt_usage(synopsis);
		}
	}
	if (optind == argc)
		tkt_usage(synopsis);
	if (tkt_desk_open(&d, desk) == -1)
		return 1;
	for (; optind < argc && bad < 5; optind++) {
		if ((dp = opendir(argv[optind])) == NULL)
			tkt_die(1, "%s: cannot open", argv[optind]);
		for (seen = 0; (de = readdir(dp)) != NULL && bad < 5;) {
			if (de->d_name[0] == '.' || seen++ % every != 0)
				continue;
			snprintf(path, sizeof path, "%s/%s", argv[optind],
			    de->d_name);
			if ((r = check(path, de->d_name, &d.conf)) == -1)
				bad++;
			else
				due += r;
			n++;
		}
		closedir(dp);
	}
	tkt_desk_close(&d);
	printf("%ld checked, %ld due\n", n, due);
	return bad ? 1 : tkt_finish(0);
}
