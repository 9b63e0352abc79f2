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
 *
 * The rewrites go into batches of TKT_BATCH tickets, each made durable
 * with a few syncs (desk.c).  What the sweep prints about a ticket in
 * a batch is held until the batch is committed, and a path is printed
 * only if its ticket was written, so the output is the same, in the
 * same order, as if each ticket were written at once.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tkt.h"

static const char synopsis[] =
    "[-nv] [-d dir] [-w file] [ticket ... | -]";

/* What catching up did to a ticket. */
#define ESCALATED	1		/* or breached, or moved on */
#define WARNED		2

#define BATCH		1024		/* tickets a batch, by default */
#define MAXBATCH	65536

/* Output that waits for the batch of the ticket it is about. */
struct held {
	FILE	*to;
	char	*text;
	long	 entry;			/* printed if written; -1: always */
};

struct sweep {
	int	 dry;
	int	 verbose;
	int	 account;		/* -v with tickets named: explain */
	int	 named;			/* tickets named: one may come twice */
	FILE	*warnfp;		/* -w: paths of the warned */
	struct tkt_batch *batch;	/* rewrites waiting to be committed */
	size_t	 max;			/* tickets a batch holds */
	char	*written;		/* of each entry of the batch */
	struct held *held;
	size_t	 nheld;
	size_t	 heldcap;
	int	 status;		/* 1: a rewrite failed in a commit */
};

/* Does output have to wait for a batch? */
static int
waiting(const struct sweep *s)
{
	return s->batch != NULL && tkt_batch_size(s->batch) > 0;
}

/* Print text on to, or hold it while a batch waits; text is freed. */
static void
hold(struct sweep *s, FILE *to, char *text, long entry)
{
	struct held *h;

	if (!waiting(s)) {
		fputs(text, to);
		free(text);
		return;
	}
	if (s->nheld == s->heldcap) {
		s->heldcap = s->heldcap ? 2 * s->heldcap : 64;
		s->held = tkt_realloc(s->held, s->heldcap * sizeof *s->held);
	}
	h = &s->held[s->nheld++];
	h->to = to;
	h->text = text;
	h->entry = entry;
}

static void
written(void *arg, size_t entry, int ok)
{
	struct sweep *s = arg;

	s->written[entry] = ok;
	if (!ok)
		s->status = 1;
}

/* Commit the batch and print what waited for it. */
static void
flush(struct sweep *s)
{
	struct held *h;
	size_t i;

	if (!waiting(s))
		return;
	tkt_batch_commit(s->batch, written, s);
	for (i = 0; i < s->nheld; i++) {
		h = &s->held[i];
		if (h->entry < 0 || s->written[h->entry])
			fputs(h->text, h->to);
		free(h->text);
	}
	s->nheld = 0;
	/* What is listed is written; a reader down a pipe may go on. */
	fflush(stdout);
	if (s->warnfp != NULL)
		fflush(s->warnfp);
}

/* Where -v writes: stderr, or while a batch waits, a buffer to hold. */
static FILE *
vopen(const struct sweep *s, char **buf, size_t *len)
{
	FILE *fp;

	if (!waiting(s))
		return stderr;
	if ((fp = open_memstream(buf, len)) == NULL)
		tkt_die(1, "%s", strerror(errno));
	return fp;
}

/* The buffer is the memstream's until it is closed. */
static void
vclose(struct sweep *s, FILE *fp, char **buf)
{
	if (fp == stderr)
		return;
	if (fclose(fp) == EOF)
		tkt_die(1, "%s", strerror(errno));
	hold(s, stderr, *buf, -1);
}

/* "limit 15m (config line 12), calendar office (line 3)" */
static void
rule(FILE *fp, const struct tkt_due *due)
{
	char lim[32];

	tkt_dur_fmt(due->limit, lim, sizeof lim);
	fprintf(fp, "limit %s ", lim);
	if (due->limitline != 0)
		fprintf(fp, "(config line %d)", due->limitline);
	else
		fputs("(default)", fp);
	fprintf(fp, ", calendar %s ", due->cal->name);
	if (due->calline != 0)
		fprintf(fp, "(line %d)", due->calline);
	else
		fputs("(default)", fp);
}

static void
explain(FILE *fp, const struct tkt_ticket *t, const struct tkt_due *due)
{
	char used[32], when[64], utc[21];

	tkt_dur_fmt(due->used, used, sizeof used);
	fprintf(fp, "%s: tier %d, ", t->id, due->tier);
	rule(fp, due);
	fprintf(fp, ", %s used", used);
	if (due->deadline != 0) {
		tkt_cal_local(due->cal, due->deadline, when, sizeof when);
		tkt_time_fmt(due->deadline, utc);
		fprintf(fp, ", deadline %s (%s)%s\n", when, utc,
		    due->deadline <= tkt_now ? ", due" : ", not due yet");
	} else if (due->limit < 0)
		fputs(", no limit in this tier\n", fp);
	else if (!due->running)
		fputs(", clock stopped (plan recorded, waiting or closed)\n",
		    fp);
	else
		fputs(", limit already breached\n", fp);
}

static void
told(FILE *fp, const struct tkt_ticket *t, size_t from)
{
	struct tkt_buf b = { 0 };
	size_t i;

	for (i = from; i < t->nev; i++) {
		b.len = 0;
		tkt_event_format(&t->ev[i], &b);
		fprintf(fp, "%s: %s\n", t->id, b.s);
	}
	tkt_buf_free(&b);
}

/* -v: when the visit's warning falls, if it is still to be given. */
static void
warnat(FILE *fp, const struct tkt_ticket *t, const struct tkt_due *due)
{
	char left[32], when[64], utc[21];

	if (due->warning == 0)
		return;
	tkt_dur_fmt(due->left, left, sizeof left);
	tkt_cal_local(due->cal, due->warning, when, sizeof when);
	tkt_time_fmt(due->warning, utc);
	fprintf(fp, "%s: warning at %s (%s), %s left, %s\n", t->id,
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

/*
 * Escalated paths on stdout, warned ones in the -w file, once the
 * ticket's entry in the batch is written.
 */
static void
list(struct sweep *s, const char *path, int what, long entry)
{
	struct tkt_buf line = { 0 };

	tkt_buf_fmt(&line, "%s\n", path);
	if (what & ESCALATED)
		hold(s, stdout, tkt_strdup(line.s), entry);
	if ((what & WARNED) && s->warnfp != NULL)
		hold(s, s->warnfp, tkt_strdup(line.s), entry);
	tkt_buf_free(&line);
}

/* -n: catch up in memory only, and list what would change. */
static int
dryrun(const struct tkt_desk *d, struct tkt_ticket *t, struct sweep *s)
{
	size_t before = t->nev;

	tkt_clock_catchup(t, &d->conf, tkt_now);
	list(s, t->path, added(t, before), -1);
	return 0;
}

/*
 * Rewrite a ticket that must change: read it whole, catch up, add it
 * to the batch, and commit a full batch.  A forced one is listed even
 * if nothing was added.
 */
static int
apply(const struct tkt_desk *d, struct tkt_ticket *t, struct sweep *s,
    int force)
{
	struct tkt_ticket w;
	size_t before, len;
	char *buf;
	long entry;
	FILE *fp;
	int r;

	if (tkt_desk_load(d, t->path, &w, 1) == -1) {
		tkt_ticket_free(&w);
		return -1;
	}
	before = w.nev;
	tkt_clock_catchup(&w, &d->conf, tkt_now);
	if (s->batch == NULL) {
		s->batch = tkt_batch_new(d);
		s->written = tkt_alloc(s->max);
	}
	entry = (long)tkt_batch_begin(s->batch);
	if ((r = tkt_batch_save(s->batch, &w)) == 0)
		list(s, w.path, added(&w, before) | (force ? ESCALATED : 0),
		    entry);
	if (s->verbose) {
		fp = vopen(s, &buf, &len);
		told(fp, &w, before);
		vclose(s, fp, &buf);
	}
	tkt_ticket_free(&w);
	if (tkt_batch_size(s->batch) >= s->max)
		flush(s);
	return r;
}

/* A ticket named twice is read again only once its rewrite is done. */
static void
fresh(struct sweep *s, const char *path)
{
	char id[TKT_IDLEN + 1];
	const char *name;

	if (!s->named || !waiting(s))
		return;
	name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	snprintf(id, sizeof id, "%.*s", (int)strcspn(name, ":"), name);
	if (tkt_batch_has(s->batch, id))
		flush(s);
}

/* -v: how the ticket's clock stands. */
static void
account(struct sweep *s, const struct tkt_desk *d,
    const struct tkt_ticket *t, const struct tkt_due *due)
{
	size_t len;
	char *buf;
	FILE *fp;

	fp = vopen(s, &buf, &len);
	explain(fp, t, due);
	warnat(fp, t, due);
	if (s->account)
		tkt_clock_explain(t, &d->conf, tkt_now, fp);
	vclose(s, fp, &buf);
}

static int
sweep1(const struct tkt_desk *d, const char *path, void *arg)
{
	struct sweep *s = arg;
	struct tkt_ticket t;
	struct tkt_state st;
	struct tkt_due due;
	int r;

	fresh(s, path);
	if (tkt_desk_load(d, path, &t, 0) == -1) {
		tkt_ticket_free(&t);
		return -1;
	}
	tkt_ticket_state(&t, &st);
	r = 0;
	if (st.dir == TKT_CLOSED && t.dir != TKT_CLOSED) {
		/* A close interrupted before its move; finish it. */
		r = s->dry ? (list(s, t.path, ESCALATED, -1), 0) :
		    apply(d, &t, s, 1);
	} else if (st.dir == TKT_CUR) {
		tkt_clock_due(&t, &d->conf, tkt_now, &due);
		if (s->verbose)
			account(s, d, &t, &due);
		if ((due.deadline != 0 && due.deadline <= tkt_now) ||
		    (due.warning != 0 && due.warning <= tkt_now))
			r = s->dry ? dryrun(d, &t, s) : apply(d, &t, s, 0);
	}
	tkt_ticket_free(&t);
	return r;
}

/* TKT_BATCH, or the default. */
static size_t
batchsize(void)
{
	const char *env;
	char *end;
	long n;

	if ((env = getenv("TKT_BATCH")) == NULL || *env == '\0')
		return BATCH;
	n = strtol(env, &end, 10);
	if (*env < '0' || *env > '9' || *end != '\0' || n < 1 ||
	    n > MAXBATCH)
		tkt_die(2, "TKT_BATCH=%s: not a number of tickets from 1 to "
		    "%d", env, MAXBATCH);
	return (size_t)n;
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
	s.named = argc > 0;
	s.max = batchsize();
	if (tkt_desk_open(&d, desk) == -1)
		return 1;
	if (warnto != NULL && (s.warnfp = fopen(warnto, "w")) == NULL)
		tkt_die(1, "%s: %s", warnto, strerror(errno));
	status = tkt_run(&d, argc, argv, TKT_CUR, !s.dry, sweep1, &s);
	flush(&s);
	status |= s.status;
	tkt_batch_free(s.batch);
	free(s.held);
	free(s.written);
	if (s.warnfp != NULL && (ferror(s.warnfp) | fclose(s.warnfp))) {
		tkt_warn("%s: %s", warnto, strerror(errno));
		status = 1;
	}
	tkt_desk_close(&d);
	return tkt_finish(status);
}
