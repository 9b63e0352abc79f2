/*
 * tkt-ls: select tickets and print their paths, or with -l one line
 * per ticket: ID, tier, state, time left on the tier clock, subject.
 * A ticket waiting on the client is open, and shown as waiting.
 *
 * It reads headers only, and reads closed/cur/ only when closed
 * tickets are asked for, since the closed history grows without end.
 * State, tier, client and category come from each ticket's history,
 * not from its directory or summary headers.  Output is sorted by ID,
 * so it does not depend on the order of directory entries.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tkt.h"

#define SYNOPSIS "[-lo] [-a duration] [-C category] [-c client] " \
	"[-d dir] [-s state]\n\t[-t tier] [-w duration] [--now time] " \
	"[ticket ... | -]"

/* States to show: bits of 1 << enum tkt_dir. */
#define WANT_NEW	(1 << TKT_NEW)
#define WANT_OPEN	(1 << TKT_CUR)
#define WANT_CLOSED	(1 << TKT_CLOSED)
#define WANT_WAITING	(1 << 3)	/* open and waiting, a part of open */

struct filter {
	int	 states;		/* 0: not given */
	int	 tier;			/* 0: any */
	const char *client;
	const char *category;
	int	 overdue;
	long	 within;		/* -1: not given */
	long	 age;			/* -1: not given */
};

/* What the clock says about a ticket, for -l, -o and -w. */
enum mark {
	NOCLOCK,			/* new, closed, or no limit */
	PLANNED,
	RUNNING			/* left is valid */
};

/* A ticket to list; its strings share the one block id points to. */
struct row {
	char	*id;
	const char *path;
	const char *left;		/* time left, as -l shows it */
	const char *subject;
	int	 tier;
	enum tkt_dir state;
	int	 waiting;
};

struct list {
	const struct filter *f;
	int	 lflag;
	struct row *row;
	size_t	 n;
	size_t	 cap;
};

static const char *const statename[] = { "new", "open", "closed" };

static const char *
rowstate(const struct row *r)
{
	return r->waiting ? "waiting" : statename[r->state];
}

/*
 * Copy s to out, NUL and all, and return the end of the copy.  Ticket
 * text is untrusted: what is to be printed has no control bytes left
 * to reach the terminal.
 */
static char *
copy(char *out, const char *s, int printable)
{
	for (; *s != '\0'; s++)
		if (printable && ((unsigned char)*s < ' ' || *s == 0x7f))
			*out++ = *s == '\t' ? ' ' : '?';
		else
			*out++ = *s;
	*out++ = '\0';
	return out;
}

/*
 * Seconds to the deadline, negative when overdue.  A ticket breached
 * in the top tier has no deadline left; its overrun is the time used
 * beyond the limit.
 */
static enum mark
clockmark(const struct tkt_ticket *t, const struct tkt_state *st,
    const struct tkt_conf *conf, long *left)
{
	struct tkt_due due;

	if (st->dir != TKT_CUR)
		return NOCLOCK;
	tkt_clock_due(t, conf, tkt_now, &due);
	if (!due.running)
		return st->planned ? PLANNED : NOCLOCK;
	if (due.limit < 0)
		return NOCLOCK;
	if (due.deadline != 0)
		*left = (long)(due.deadline - tkt_now);
	else
		*left = due.limit - due.used;
	return RUNNING;
}

static int
wanted(const struct filter *f, const struct tkt_state *st, enum mark m,
    long left)
{
	if (!(f->states & 1 << st->dir) &&
	    !(f->states & WANT_WAITING && st->waiting))
		return 0;
	if (f->tier != 0 && st->tier != f->tier)
		return 0;
	if (f->client != NULL &&
	    (st->client == NULL || strcmp(st->client, f->client) != 0))
		return 0;
	if (f->category != NULL &&
	    (st->category == NULL || strcmp(st->category, f->category) != 0))
		return 0;
	if (f->overdue && (m != RUNNING || left > 0))
		return 0;
	if (f->within >= 0 && (m != RUNNING || left > f->within))
		return 0;
	if (f->age >= 0 && (long)(tkt_now - st->created) < f->age)
		return 0;
	return 1;
}

/* Room for any long as tkt_dur_fmt writes it, and a sign. */
#define LEFTMAX		32

static void
fmtleft(enum mark m, long left, char *buf, size_t n)
{
	if (m == PLANNED) {
		memcpy(buf, "planned", sizeof "planned");
	} else if (m != RUNNING) {
		memcpy(buf, "-", sizeof "-");
	} else if (left < 0) {
		/* Not tkt_dur_fmt(-1): that is "none". */
		buf[0] = '-';
		tkt_dur_fmt(-left, buf + 1, n - 1);
	} else
		tkt_dur_fmt(left, buf, n);
}

/* A row costs one allocation, for all its strings. */
static void
addrow(struct list *l, const struct tkt_ticket *t, const char *path,
    const struct tkt_state *st, enum mark m, long left)
{
	const char *subj, *id;
	char clock[LEFTMAX], *p;
	struct row *r;

	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->row = tkt_realloc(l->row, l->cap * sizeof *l->row);
	}
	r = &l->row[l->n++];
	id = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	clock[0] = '\0';
	if (l->lflag)
		fmtleft(m, left, clock, sizeof clock);
	if ((subj = tkt_ticket_get(t, "Subject")) == NULL)
		subj = "(no subject)";
	p = r->id = tkt_realloc(NULL, strlen(id) + strlen(path) +
	    strlen(clock) + strlen(subj) + 4);
	p = copy(p, id, 1);
	r->path = p;
	p = copy(p, path, 0);
	r->left = p;
	p = copy(p, clock, 0);
	r->subject = p;
	copy(p, subj, 1);
	r->tier = st->tier;
	r->state = st->dir;
	r->waiting = st->waiting;
}

/* Read one ticket's headers; keep it if it passes the filter. */
static int
visit(const struct tkt_desk *d, const char *path, void *arg)
{
	struct list *l = arg;
	struct tkt_ticket t;
	struct tkt_state st;
	enum mark m;
	long left = 0;

	if (tkt_ticket_read(&t, path, 0) == -1) {
		tkt_ticket_free(&t);
		return 1;
	}
	tkt_ticket_state(&t, &st);
	m = clockmark(&t, &st, &d->conf, &left);
	if (wanted(l->f, &st, m, left))
		addrow(l, &t, path, &st, m, left);
	tkt_ticket_free(&t);
	return 0;
}

static int
byid(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	int c;

	if ((c = strcmp(x->id, y->id)) != 0)
		return c;
	return strcmp(x->path, y->path);
}

/* Often so already, each directory being scanned in name order. */
static int
sorted(const struct list *l)
{
	size_t i;

	for (i = 1; i < l->n; i++)
		if (byid(&l->row[i - 1], &l->row[i]) > 0)
			return 0;
	return 1;
}

static const char *
fmttier(const struct row *r, char *buf, size_t n)
{
	if (r->tier <= 0)
		return "-";
	if (r->tier < 10) {
		buf[0] = '0' + r->tier;
		buf[1] = '\0';
	} else
		snprintf(buf, n, "%d", r->tier);
	return buf;
}

enum col { ID, TIER, STATE, LEFT, NCOL };

static void
widen(size_t w[NCOL], enum col c, const char *s)
{
	size_t n;

	if ((n = strlen(s)) > w[c])
		w[c] = n;
}

static void
widths(const struct list *l, size_t w[NCOL])
{
	char buf[16];
	size_t i;

	w[ID] = w[TIER] = w[STATE] = w[LEFT] = 1;
	for (i = 0; i < l->n; i++) {
		widen(w, ID, l->row[i].id);
		widen(w, TIER, fmttier(&l->row[i], buf, sizeof buf));
		widen(w, STATE, rowstate(&l->row[i]));
		widen(w, LEFT, l->row[i].left);
	}
}

/* A column w wide, s on its left or its right, and the gap after it. */
static char *
column(char *p, const char *s, size_t w, int right)
{
	size_t n, pad;

	n = strlen(s);
	pad = w > n ? w - n : 0;
	if (right) {
		memset(p, ' ', pad);
		p += pad;
	}
	memcpy(p, s, n);
	p += n;
	if (!right) {
		memset(p, ' ', pad);
		p += pad;
	}
	memcpy(p, "  ", 2);
	return p + 2;
}

/* Each line is put together first, and written in one go. */
static void
printlong(const struct list *l)
{
	const struct row *r;
	char tier[16], *line, *p;
	size_t i, n, cap, fixed, w[NCOL];

	widths(l, w);
	fixed = w[ID] + w[TIER] + w[STATE] + w[LEFT] + 4 * 2;
	line = NULL;
	cap = 0;
	for (i = 0; i < l->n; i++) {
		r = &l->row[i];
		n = strlen(r->subject);
		if (fixed + n + 1 > cap) {
			cap = fixed + n + 1;
			line = tkt_realloc(line, cap);
		}
		p = column(line, r->id, w[ID], 0);
		p = column(p, fmttier(r, tier, sizeof tier), w[TIER], 1);
		p = column(p, rowstate(r), w[STATE], 0);
		p = column(p, r->left, w[LEFT], 1);
		memcpy(p, r->subject, n);
		p[n] = '\n';
		fwrite(line, 1, fixed + n + 1, stdout);
	}
	free(line);
}

static void
freelist(struct list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->row[i].id);
	free(l->row);
}

/*
 * The history, not the directory, says a ticket's state, and a crash
 * may leave a routed ticket in new/ or a closed one in cur/; both are
 * small, so they are always read.
 */
static int
scan(const struct tkt_desk *d, struct list *l)
{
	int status;

	status = tkt_desk_scan(d, TKT_NEW, visit, l);
	status |= tkt_desk_scan(d, TKT_CUR, visit, l);
	if (l->f->states & WANT_CLOSED)
		status |= tkt_desk_scan(d, TKT_CLOSED, visit, l);
	return status;
}

/* The named tickets; "-" reads names from standard input. */
static int
operands(const struct tkt_desk *d, int argc, char **argv, struct list *l)
{
	int i, status;

	status = 0;
	for (i = 0; i < argc; i++)
		if (strcmp(argv[i], "-") == 0)
			status |= tkt_each(d, 0, NULL, visit, l);
		else
			status |= tkt_each(d, 1, argv + i, visit, l);
	return status;
}

static int
parsestate(const char *s)
{
	if (strcmp(s, "new") == 0)
		return WANT_NEW;
	if (strcmp(s, "open") == 0)
		return WANT_OPEN;
	if (strcmp(s, "closed") == 0)
		return WANT_CLOSED;
	if (strcmp(s, "waiting") == 0)
		return WANT_WAITING;
	if (strcmp(s, "all") == 0)
		return WANT_NEW | WANT_OPEN | WANT_CLOSED;
	tkt_warn("-s: bad state \"%s\": use new, open, waiting, closed "
	    "or all", s);
	tkt_usage(SYNOPSIS);
}

static int
parsetier(const char *s)
{
	if (s[0] >= '1' && s[0] <= '0' + TKT_MAXTIER && s[1] == '\0')
		return s[0] - '0';
	tkt_warn("-t: bad tier \"%s\": must be 1 to %d", s, TKT_MAXTIER);
	tkt_usage(SYNOPSIS);
}

static long
parsedur(int opt, const char *s)
{
	long secs;

	if (tkt_dur_parse(s, &secs) == 0 && secs >= 0)
		return secs;
	tkt_warn("-%c: bad duration \"%s\": use e.g. 45m, 1h30m or 2d",
	    opt, s);
	tkt_usage(SYNOPSIS);
}

int
main(int argc, char *argv[])
{
	struct filter f = { 0, 0, NULL, NULL, 0, -1, -1 };
	struct list l = { &f, 0, NULL, 0, 0 };
	struct tkt_desk d;
	const char *dflag = NULL;
	int c, lflag = 0, status;
	size_t i;

	tkt_init(&argc, argv);
	while ((c = getopt(argc, argv, "a:C:c:d:ls:t:ow:")) != -1)
		switch (c) {
		case 'a':
			f.age = parsedur(c, optarg);
			break;
		case 'C':
			f.category = optarg;
			break;
		case 'c':
			f.client = optarg;
			break;
		case 'd':
			dflag = optarg;
			break;
		case 'l':
			l.lflag = lflag = 1;
			break;
		case 'o':
			f.overdue = 1;
			break;
		case 's':
			f.states |= parsestate(optarg);
			break;
		case 't':
			f.tier = parsetier(optarg);
			break;
		case 'w':
			f.within = parsedur(c, optarg);
			break;
		default:
			tkt_usage(SYNOPSIS);
		}
	argc -= optind;
	argv += optind;
	if (tkt_desk_open(&d, dflag) == -1)
		return 1;
	if (f.states == 0)
		f.states = argc > 0 ? WANT_NEW | WANT_OPEN | WANT_CLOSED :
		    WANT_NEW | WANT_OPEN;
	status = argc > 0 ? operands(&d, argc, argv, &l) : scan(&d, &l);
	if (!sorted(&l))
		qsort(l.row, l.n, sizeof *l.row, byid);
	if (lflag)
		printlong(&l);
	else
		for (i = 0; i < l.n; i++)
			printf("%s\n", l.row[i].path);
	freelist(&l);
	tkt_desk_close(&d);
	return tkt_finish(status);
}
