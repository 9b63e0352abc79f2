/*
 * ere.c: whether an extended regular expression matches a string, for
 * the rules (rules.c), without regcomp(3).  glibc's regcomp and the
 * automaton its regexec builds cost more than a whole mail delivery
 * otherwise does, for each of a dozen rules in each tkt-new -m.
 *
 * Only a subset of the ERE syntax is taken: bytes, a backslash before
 * one of .[]()|*+?{}^$\ for that byte, ".", bracket expressions of
 * bytes and of ranges within the digits, the lowercase or the
 * uppercase letters, "-" first or last, groups, "|" (an alternative
 * may be empty), one of "*", "+" or "?" after an atom, "^" and "$".
 * Two uses of the anchors where glibc does not do what POSIX says are
 * left out too (see piece() and anchorsok()).  Anything else, an
 * invalid pattern included, is refused, and the caller compiles it
 * with regcomp, which gives the same answers and reports the errors.
 * What is taken here compiles there and matches the same strings as
 * there under REG_EXTENDED, with REG_ICASE and REG_NEWLINE as asked,
 * in the C locale tkt runs in: the bytes are the characters, and
 * ignoring case folds a-z and A-Z only.  tests/unit_ere.c holds it to
 * that on many random patterns.
 *
 * The pattern becomes a Thompson NFA, which is run once over the
 * string with a list of live states per position.  Whether there is a
 * match does not depend on which match POSIX would pick, so none is
 * picked, and groups capture nothing: a caller that needs the groups
 * uses regexec.  The lists are the pattern's own, so one pattern is
 * run by one caller at a time.
 */

#include <stdlib.h>
#include <string.h>

#include "tkt.h"

#define MAXLEN		2000		/* longer patterns go to regcomp */
#define MAXDEPTH	64		/* of nested groups, likewise */

enum op {
	BYTE,				/* one byte of set; then out */
	SPLIT,				/* out and out1 */
	NOP,				/* out */
	BOL,				/* at the start of a line, out */
	EOL,				/* at its end, out */
	MATCH
};

struct state {
	enum op	 op;
	int	 out, out1;
	unsigned char set[32];		/* bit b: byte b passes */
};

/* A piece of NFA: its start and the list of its unset outs. */
struct frag {
	int	 start;
	int	 outs;			/* slot 2 * state + 0 or 1; -1 ends */
};

/*
 * What tkt_ere_exec works with.  The first bytes and the stops are
 * made by the first run: most patterns a tkt-new -m reads it never
 * runs.
 */
struct run {
	int	 ready;			/* first to stops are made */
	unsigned char first[32];	/* bytes a match may begin with */
	unsigned char stop[256];	/* 1 for those, NUL and a newline */
	char	 stops[17];		/* those but NUL, if 16 at most */
	int	 nfirst;
	int	*firstst;		/* the states that take them */
	size_t	*mark;			/* position + 1 a state was put in */
	int	*cur, *next, *stack;	/* lists of states */
};

struct tkt_ere {
	struct state *st;		/* see newstate() */
	int	 nst;
	int	 start;
	int	 newline;
	int	 bol, eol;		/* has a ^, a $ */
	size_t	 ngroup;
	struct run *run;
};

struct parse {
	struct tkt_ere *re;
	const unsigned char *p;
	int	 icase;
	int	 depth;
	int	 anchors;		/* made so far */
	int	 bol, eol;		/* whether any is ^, $ */
};

static int	 alt(struct parse *, struct frag *);

static int
inset(const unsigned char *set, unsigned c)
{
	return set[c >> 3] >> (c & 7) & 1;
}

static void
addset(unsigned char *set, unsigned c)
{
	set[c >> 3] |= 1 << (c & 7);
}

static unsigned
upper(unsigned c)
{
	return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c;
}

/*
 * A byte of the pattern makes one state at most, but for a "|": a
 * split and the start of the next branch.  With the start and the
 * match of the whole, tkt_ere_comp makes room for that many.
 */
static int
newstate(struct parse *ps, enum op op)
{
	struct state *s;

	s = &ps->re->st[ps->re->nst];
	s->op = op;
	s->out = s->out1 = -1;
	return ps->re->nst++;
}

static int *
slot(struct tkt_ere *re, int sl)
{
	return sl & 1 ? &re->st[sl >> 1].out1 : &re->st[sl >> 1].out;
}

/* Point every out on the list at state s. */
static void
patch(struct tkt_ere *re, int outs, int s)
{
	int next;

	for (; outs != -1; outs = next) {
		next = *slot(re, outs);
		*slot(re, outs) = s;
	}
}

static int
join(struct tkt_ere *re, int a, int b)
{
	int *p;

	if (a == -1)
		return b;
	for (p = slot(re, a); *p != -1; p = slot(re, *p))
		;
	*p = b;
	return a;
}

/* A state of op whose out is the whole of the fragment's outs. */
static void
single(struct parse *ps, enum op op, struct frag *f)
{
	f->start = newstate(ps, op);
	f->outs = 2 * f->start;
}

/*
 * The set of a bracket expression, *ps->p just past the '['.  Under
 * REG_ICASE, regcomp sees the pattern in upper case and the string
 * too, so a byte passes when its upper case is in the upper-cased set.
 */
static int
rangeok(unsigned a, unsigned b)
{
	return a <= b && ((a >= '0' && b <= '9') || (a >= 'a' && b <= 'z') ||
	    (a >= 'A' && b <= 'Z'));
}

static int
bracket(struct parse *ps, unsigned char *set)
{
	unsigned char raw[32] = { 0 };
	const unsigned char *p = ps->p;
	unsigned c, hi;
	int neg, i;

	if ((neg = *p == '^'))
		p++;
	if (*p == ']')
		return -1;
	if (*p == '-')
		addset(raw, *p++);
	while (*p != ']') {
		if (*p == '\0' || *p == '[' || *p == '\\')
			return -1;
		c = *p++;
		if (c == '-' && *p != ']')
			return -1;
		if (*p == '-' && p[1] != ']') {
			hi = p[1];
			if (!rangeok(c, hi))
				return -1;
			p += 2;
		} else
			hi = c;
		for (; c <= hi; c++)
			addset(raw, ps->icase ? upper(c) : c);
	}
	ps->p = p + 1;
	for (c = 'a'; ps->icase && c <= 'z'; c++)
		if (inset(raw, upper(c)))
			addset(raw, c);
	for (i = 0; i < 32; i++)
		set[i] = neg ? ~raw[i] : raw[i];
	set[0] &= ~1;
	if (neg && ps->re->newline)
		set['\n' >> 3] &= ~(1 << ('\n' & 7));
	return 0;
}

static void
byte(struct parse *ps, unsigned c, struct frag *f)
{
	unsigned char *set;

	single(ps, BYTE, f);
	set = ps->re->st[f->start].set;
	memset(set, 0, sizeof ps->re->st[f->start].set);
	addset(set, c);
	if (ps->icase)
		addset(set, c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : upper(c));
}

static int
group(struct parse *ps, struct frag *f)
{
	if (++ps->depth > MAXDEPTH)
		return -1;
	ps->re->ngroup++;
	if (alt(ps, f) == -1 || *ps->p != ')')
		return -1;
	ps->p++;
	ps->depth--;
	return 0;
}

/* One atom into f; 1 when no repetition may follow it. */
static int
atom(struct parse *ps, struct frag *f)
{
	unsigned char *set;
	unsigned c;

	c = *ps->p++;
	switch (c) {
	case '(':
		return group(ps, f);
	case '^':
	case '$':
		single(ps, c == '^' ? BOL : EOL, f);
		ps->anchors++;
		*(c == '^' ? &ps->bol : &ps->eol) = 1;
		return 1;
	case '.':
		single(ps, BYTE, f);
		set = ps->re->st[f->start].set;
		memset(set, 0xff, 32);
		set[0] &= ~1;
		if (ps->re->newline)
			set['\n' >> 3] &= ~(1 << ('\n' & 7));
		return 0;
	case '[':
		single(ps, BYTE, f);
		return bracket(ps, ps->re->st[f->start].set);
	case '\\':
		c = *ps->p++;
		if (c == '\0' || strchr(".[]()|*+?{}^$\\", c) == NULL)
			return -1;
		break;
	case '*': case '+': case '?': case '{': case '}': case ']': case '\n':
		return -1;
	}
	byte(ps, c, f);
	return 0;
}

/*
 * An atom and the one repetition that may follow it.  glibc checks an
 * anchor in a repeated group only on some rounds: "(^.)+" matches "ab"
 * whole; so that is left to it.
 */
static int
piece(struct parse *ps, struct frag *f)
{
	int r, s, c, anchors;

	anchors = ps->anchors;
	if ((r = atom(ps, f)) == -1)
		return -1;
	c = *ps->p;
	if (c != '*' && c != '+' && c != '?')
		return 0;
	if (r == 1 || ps->anchors != anchors)
		return -1;
	ps->p++;
	if (*ps->p == '*' || *ps->p == '+' || *ps->p == '?' || *ps->p == '{')
		return -1;
	s = newstate(ps, SPLIT);
	ps->re->st[s].out = f->start;
	if (c == '?') {
		f->outs = join(ps->re, f->outs, 2 * s + 1);
		f->start = s;
		return 0;
	}
	patch(ps->re, f->outs, s);
	f->outs = 2 * s + 1;
	if (c == '*')
		f->start = s;
	return 0;
}

/* A run of pieces up to a '|', a ')' or the end; may be empty. */
static int
branch(struct parse *ps, struct frag *f)
{
	struct frag g;

	single(ps, NOP, f);
	while (*ps->p != '\0' && *ps->p != '|' && *ps->p != ')') {
		if (piece(ps, &g) == -1)
			return -1;
		patch(ps->re, f->outs, g.start);
		f->outs = g.outs;
	}
	return 0;
}

static int
alt(struct parse *ps, struct frag *f)
{
	struct frag g;
	int s;

	if (branch(ps, f) == -1)
		return -1;
	while (*ps->p == '|') {
		ps->p++;
		if (branch(ps, &g) == -1)
			return -1;
		s = newstate(ps, SPLIT);
		ps->re->st[s].out = f->start;
		ps->re->st[s].out1 = g.start;
		f->start = s;
		f->outs = join(ps->re, f->outs, g.outs);
	}
	return 0;
}

/* Put state s on the stack unless it has mark m already; mark it. */
static void
push(const struct tkt_ere *re, int *sp, int s, size_t m)
{
	if (re->run->mark[s] != m) {
		re->run->mark[s] = m;
		re->run->stack[(*sp)++] = s;
	}
}

/* Mark the states reachable from the outs of states of op. */
static void
reach(struct tkt_ere *re, enum op op)
{
	const struct state *st;
	int sp, s;

	memset(re->run->mark, 0, re->nst * sizeof *re->run->mark);
	for (sp = 0, s = 0; s < re->nst; s++)
		if (re->st[s].op == op)
			push(re, &sp, re->st[s].out, 1);
	while (sp > 0) {
		st = &re->st[re->run->stack[--sp]];
		if (st->op == SPLIT)
			push(re, &sp, st->out1, 1);
		if (st->op != MATCH)
			push(re, &sp, st->out, 1);
	}
}

/*
 * The states that take a byte and are reachable from the start without
 * an anchor, and the bytes they take: where no anchor can hold, the
 * start leads to them and to nothing else.
 */
static void
firstbytes(const struct tkt_ere *re)
{
	const struct state *st;
	int sp, i;

	memset(re->run->first, 0, sizeof re->run->first);
	re->run->nfirst = 0;
	memset(re->run->mark, 0, re->nst * sizeof *re->run->mark);
	sp = 0;
	push(re, &sp, re->start, 1);
	while (sp > 0) {
		st = &re->st[re->run->stack[--sp]];
		if (st->op == BYTE) {
			re->run->firstst[re->run->nfirst++] = st - re->st;
			for (i = 0; i < 32; i++)
				re->run->first[i] |= st->set[i];
		}
		if (st->op == SPLIT)
			push(re, &sp, st->out1, 1);
		if (st->op == SPLIT || st->op == NOP)
			push(re, &sp, st->out, 1);
	}
}

static int
reached(const struct tkt_ere *re, enum op op)
{
	int s;

	for (s = 0; s < re->nst; s++)
		if (re->run->mark[s] && re->st[s].op == op)
			return 1;
	return 0;
}

/*
 * Without REG_NEWLINE, glibc lets a "^" hold after a newline that the
 * match took (with "." or "[^...]"), and a "$" before one, as it
 * would with REG_NEWLINE; its regexec(3) does not say so, so a
 * pattern where that could happen is left to regcomp.
 */
static int
anchorsok(struct tkt_ere *re, int anchors)
{
	if (re->newline || anchors == 0)
		return 1;
	reach(re, BYTE);
	if (reached(re, BOL))
		return 0;
	reach(re, EOL);
	return !reached(re, BYTE);
}

/*
 * Where a match may begin with the byte, or an anchor hold (edge()):
 * the bytes that skip() stops at, as a table, and when there are few
 * as a string for strcspn(3), which is quicker.
 */
static void
setstops(const struct tkt_ere *re)
{
	size_t n;
	int c;

	for (n = 0, c = 1; c < 256; c++) {
		re->run->stop[c] = inset(re->run->first, c) || (c == '\n' &&
		    re->newline && (re->bol || re->eol));
		if (re->run->stop[c] && n < sizeof re->run->stops - 1)
			re->run->stops[n] = (char)c;
		n += re->run->stop[c];
	}
	re->run->stop[0] = 1;
	if (n >= sizeof re->run->stops)
		n = 0;
	re->run->stops[n] = '\0';
}

/* The run and its lists: a state is on each once a position at most. */
static void
newrun(struct tkt_ere *re)
{
	struct run *r;
	size_t n;

	n = re->nst;
	r = tkt_realloc(NULL, sizeof *r + n * sizeof *r->mark +
	    4 * n * sizeof *r->cur);
	r->ready = 0;
	r->mark = (size_t *)(r + 1);
	r->cur = (int *)(r->mark + n);
	r->next = r->cur + n;
	r->stack = r->next + n;
	r->firstst = r->stack + n;
	re->run = r;
}

void
tkt_ere_free(struct tkt_ere *re)
{
	if (re == NULL)
		return;
	free(re->st);
	free(re->run);
	free(re);
}

/* The NFA of ere, or NULL when it is not in the subset this takes. */
struct tkt_ere *
tkt_ere_comp(const char *ere, int icase, int newline)
{
	struct parse ps = { 0 };
	struct frag f;
	const char *p;
	size_t n;

	if ((n = strlen(ere)) > MAXLEN)
		return NULL;
	for (p = ere; *p != '\0'; p++)
		n += *p == '|';
	ps.re = tkt_alloc(sizeof *ps.re);
	/* Not zeroed: a state is set up when it is made. */
	ps.re->st = tkt_realloc(NULL, (n + 2) * sizeof *ps.re->st);
	ps.re->newline = newline;
	ps.p = (const unsigned char *)ere;
	ps.icase = icase;
	if (alt(&ps, &f) == -1 || *ps.p != '\0') {
		tkt_ere_free(ps.re);
		return NULL;
	}
	patch(ps.re, f.outs, newstate(&ps, MATCH));
	ps.re->start = f.start;
	ps.re->bol = ps.bol;
	ps.re->eol = ps.eol;
	newrun(ps.re);
	if (!anchorsok(ps.re, ps.anchors)) {
		tkt_ere_free(ps.re);
		return NULL;
	}
	return ps.re;
}

size_t
tkt_ere_groups(const struct tkt_ere *re)
{
	return re->ngroup;
}

static int
atbol(const struct tkt_ere *re, const char *s, size_t i)
{
	return i == 0 || (re->newline && s[i - 1] == '\n');
}

static int
ateol(const struct tkt_ere *re, const char *s, size_t i)
{
	return s[i] == '\0' || (re->newline && s[i] == '\n');
}

/*
 * Add state s and what it leads to without taking a byte, at position
 * i of s, to the list l of n states; 1 when that reaches the match.
 */
static int
follow(const struct tkt_ere *re, const char *str, size_t i, int s, int *l,
    int *n)
{
	const struct state *st;
	int sp;

	sp = 0;
	push(re, &sp, s, i + 1);
	while (sp > 0) {
		s = re->run->stack[--sp];
		st = &re->st[s];
		switch (st->op) {
		case MATCH:
			return 1;
		case BYTE:
			l[(*n)++] = s;
			break;
		case SPLIT:
			push(re, &sp, st->out1, i + 1);
			/* FALLTHROUGH */
		case NOP:
			push(re, &sp, st->out, i + 1);
			break;
		case BOL:
			if (atbol(re, str, i))
				push(re, &sp, st->out, i + 1);
			break;
		case EOL:
			if (ateol(re, str, i))
				push(re, &sp, st->out, i + 1);
			break;
		}
	}
	return 0;
}

/* Past the bytes at i on that no match can begin with. */
static size_t
skip(const struct tkt_ere *re, const unsigned char *u, size_t i)
{
	if (re->run->stops[0] != '\0')
		return i + strcspn((const char *)u + i, re->run->stops);
	while (!re->run->stop[u[i]])
		i++;
	return i;
}

/*
 * Whether the start needs following afresh at i: at the beginning, and
 * where an anchor of the pattern could hold.  Elsewhere it leads to the
 * states of firstst and to nothing else.
 */
static int
edge(const struct tkt_ere *re, const unsigned char *u, size_t i)
{
	return i == 0 || (re->bol && re->newline && u[i - 1] == '\n') ||
	    (re->eol && (u[i] == '\0' || (re->newline && u[i] == '\n')));
}

/* Take the byte at i from the n states of l; 1 at the match. */
static int
step(const struct tkt_ere *re, const char *s, size_t i, const int *l,
    int n, int *next, int *m)
{
	unsigned c;
	int k;

	c = (unsigned char)s[i];
	for (k = 0; k < n; k++)
		if (inset(re->st[l[k]].set, c) &&
		    follow(re, s, i + 1, re->st[l[k]].out, next, m))
			return 1;
	return 0;
}

/* 1 when re matches somewhere in s, else 0. */
int
tkt_ere_exec(const struct tkt_ere *re, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	int *cur, *next, *t;
	int n, m, e;
	size_t i;

	if (!re->run->ready) {
		firstbytes(re);
		setstops(re);
		re->run->ready = 1;
	}
	cur = re->run->cur;
	next = re->run->next;
	memset(re->run->mark, 0, re->nst * sizeof *re->run->mark);
	for (n = 0, i = 0;; i++) {
		/* With nothing under way, skip what no match begins with. */
		if (n == 0 && !edge(re, u, i))
			i = skip(re, u, i);
		e = edge(re, u, i);
		if (e && follow(re, s, i, re->start, cur, &n))
			return 1;
		if (u[i] == '\0')
			return 0;
		m = 0;
		if (step(re, s, i, cur, n, next, &m))
			return 1;
		if (!e && inset(re->run->first, u[i]) &&
		    step(re, s, i, re->run->firstst, re->run->nfirst, next, &m))
			return 1;
		t = cur;
		cur = next;
		next = t;
		n = m;
	}
}
