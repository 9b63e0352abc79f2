/*
 * ticket.c: reading, checking and writing one ticket file (tkt(5)).
 *
 * A ticket is an RFC 5322 message.  Its ordinary headers and its body
 * are kept as raw bytes and written back unchanged; the Tkt-Log lines
 * are parsed into events, and the Tkt summary headers are thrown away
 * on reading and derived again from the events on writing, so that the
 * same history always gives the same file.
 */

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tkt.h"

#define HDRMAX		(1024 * 1024)	/* whole header section */
#define FIELDMAX	(256 * 1024)	/* one unfolded header */
#define FOLDAT		78
#define POOLSLACK	256	/* for the events a command adds */
#define POOLMIN		1024	/* bytes in a chunk of the pool */
#define HDRFIRST	8	/* headers and events first made room for */
#define EVFIRST		16

#define NAME(s)		{ s, sizeof s - 1 }

static const struct name {
	const char *s;
	size_t	 len;
} verbs[TKT_NVERB] = {
	NAME("created"), NAME("routed"), NAME("planned"), NAME("noted"),
	NAME("escalated"), NAME("breached"), NAME("closed"),
	NAME("reopened"), NAME("waiting"), NAME("resumed"), NAME("warned"),
	NAME("mailed")
};

const char *
tkt_verb_name(enum tkt_verb v)
{
	return verbs[v].s;
}

/*
 * The only verb that s could be: the first byte and the length tell
 * them apart.  A verb added to verbs[] must be added here too.
 */
static int
verbof(const char *s, size_t n)
{
	switch (n > 0 ? *s : '\0') {
	case 'b': return TKT_BREACHED;
	case 'c': return n == 7 ? TKT_CREATED : TKT_CLOSED_EV;
	case 'e': return TKT_ESCALATED;
	case 'm': return TKT_MAILED;
	case 'n': return TKT_NOTED;
	case 'p': return TKT_PLANNED;
	case 'r': return n == 6 ? TKT_ROUTED : n == 7 ? TKT_RESUMED :
	    TKT_REOPENED;
	case 'w': return n == 7 ? TKT_WAITING : TKT_WARNED;
	default: return -1;
	}
}

int
tkt_verb_parse(const char *s, size_t n)
{
	int v;

	v = verbof(s, n);
	return v >= 0 && verbs[v].len == n && memcmp(verbs[v].s, s, n) == 0 ?
	    v : -1;
}

/*
 * A ticket's strings, and its arrays of headers and events, live in a
 * pool of chunks that tkt_ticket_free frees together.  Reading sizes
 * the first chunk from the header section, so that all of them
 * usually take one allocation.
 */
struct tkt_chunk {
	struct tkt_chunk *next;
	size_t	 used;
	size_t	 size;
	int	 own;			/* 0: part of the ticket's buf */
	_Alignas(max_align_t) char s[];
};

static struct tkt_chunk *
newchunk(struct tkt_ticket *t, size_t size)
{
	struct tkt_chunk *c;

	if (size < POOLMIN)
		size = POOLMIN;
	c = tkt_realloc(NULL, sizeof *c + size);	/* not zeroed */
	c->used = 0;
	c->size = size;
	c->own = 1;
	c->next = t->pool;
	t->pool = c;
	return c;
}

/* n bytes from the pool, at a multiple of align, a power of two. */
static inline void *
poolget(struct tkt_ticket *t, size_t n, size_t align)
{
	struct tkt_chunk *c = t->pool;
	size_t at;

	if (c == NULL || (at = (c->used + align - 1) & ~(align - 1)) >
	    c->size || c->size - at < n) {
		c = newchunk(t, n);
		at = 0;
	}
	c->used = at + n;
	return c->s + at;
}

/* Give back the last n bytes of the latest poolget. */
static void
poolback(struct tkt_ticket *t, size_t n)
{
	t->pool->used -= n;
}

static void
poolfree(struct tkt_ticket *t)
{
	struct tkt_chunk *c, *next;

	for (c = t->pool; c != NULL; c = next) {
		next = c->next;
		if (c->own)
			free(c);
	}
}

/*
 * The array v of n elements of size bytes, with room for one more: v
 * itself, or a copy twice as big (first at first) from the pool.
 */
static void *
grow(struct tkt_ticket *t, void *v, size_t n, size_t *cap, size_t size,
    size_t first)
{
	void *w;

	if (n < *cap)
		return v;
	*cap = *cap ? 2 * *cap : first;
	w = poolget(t, *cap * size, _Alignof(max_align_t));
	if (n > 0)
		memcpy(w, v, n * size);
	return w;
}

/* A copy of s that lives as long as the ticket. */
char *
tkt_ticket_str(struct tkt_ticket *t, const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(poolget(t, n, 1), s, n);
}

/*
 * Undo the percent-encoding of a key=value token's value in place,
 * which only shrinks it, and end it with a NUL: at s + n at the
 * latest, where the token ends.
 */
static void
pctdecode(char *s, size_t n)
{
	char *o, *e;
	int hi, lo;

	e = s + n;
	if ((s = memchr(s, '%', n)) == NULL) {
		*e = '\0';
		return;
	}
	for (o = s; s < e; ) {
		if (*s == '%' && e - s > 2 &&
		    (hi = tkt_hexval(s[1])) >= 0 &&
		    (lo = tkt_hexval(s[2])) >= 0) {
			*o++ = (char)(hi << 4 | lo);
			s += 3;
		} else
			*o++ = *s++;
	}
	*o = '\0';
}

static void
pctencode(struct tkt_buf *b, const char *s)
{
	unsigned char c;

	for (; (c = *s) != '\0'; s++) {
		if (c <= ' ' || c == 0x7f || c == '%' || c == '=')
			tkt_buf_fmt(b, "%%%02X", c);
		else
			tkt_buf_add(b, s, 1);
	}
}

/*
 * The string keys of an event, in the order they are written, and
 * where each is kept; the text comes last, after them.
 */
#define NKEY	9
#define NSTR	(NKEY + 1)

static const struct name strkeys[NKEY] = {
	NAME("by"), NAME("client"), NAME("category"), NAME("priority"),
	NAME("msg"), NAME("flag"), NAME("key"), NAME("link"), NAME("sent")
};

static const size_t stroff[NSTR] = {
	offsetof(struct tkt_event, by), offsetof(struct tkt_event, client),
	offsetof(struct tkt_event, category),
	offsetof(struct tkt_event, priority),
	offsetof(struct tkt_event, msg), offsetof(struct tkt_event, flag),
	offsetof(struct tkt_event, key), offsetof(struct tkt_event, link),
	offsetof(struct tkt_event, sent), offsetof(struct tkt_event, text)
};

/* What bytes do in a Tkt-Log value: end a token, or call for decoding. */
#define END	1			/* a blank, or the NUL of the line */
#define PCT	2

static const unsigned char class[256] = {
	['\0'] = END, [' '] = END, ['%'] = PCT
};

static char **
strslot(struct tkt_event *ev, int i)
{
	return (char **)((char *)ev + stroff[i]);
}

/*
 * The key of the key=value token at tok, by the name and '=' it starts
 * with: its index in strkeys, NKEY for tier, or -1; *val is set to the
 * value after the '='.  The first byte, and the second after a 'c',
 * tell the keys apart.
 */
static int
keyof(char *tok, char **val)
{
	const char *k;
	int i;

	switch (*tok) {
	case 'b': i = 0; break;
	case 'c': i = tok[1] == 'l' ? 1 : 2; break;
	case 'p': i = 3; break;
	case 'm': i = 4; break;
	case 'f': i = 5; break;
	case 'k': i = 6; break;
	case 'l': i = 7; break;
	case 's': i = 8; break;
	case 't': i = NKEY; break;
	default: return -1;
	}
	for (k = i < NKEY ? strkeys[i].s : "tier"; *k != '\0'; k++, tok++)
		if (*tok != *k)
			return -1;
	*val = tok + 1;
	return *tok == '=' ? i : -1;
}

/*
 * The value of a tier= token, whose vn bytes end at a blank or the
 * NUL of the line, as strtol(3) reads it.
 */
static int
settier(struct tkt_event *ev, const char *v, size_t vn)
{
	char *end;
	long n;

	if (vn == 1 && *v >= '1' && *v <= '9')
		n = *v - '0';
	else {
		n = strtol(v, &end, 10);
		if (vn == 0 || end != v + vn)
			return -1;
	}
	if (ev->tier != 0 || n < 1 || n > TKT_MAXTIER)
		return -1;
	ev->tier = (int)n;
	return 0;
}

/*
 * The key=value token at tok into ev, its value decoded in place and
 * ended with a NUL, which may fall on the blank after it.  Returns
 * where the token ended and puts the byte there, a blank or the NUL of
 * the line, into *sep; NULL when the token is bad.
 */
static char *
setkey(struct tkt_event *ev, char *tok, char *sep)
{
	char **slot, *v, *p;
	int i, pct;

	if ((i = keyof(tok, &v)) < 0)
		return NULL;
	for (p = v; !(class[(unsigned char)*p] & (END | PCT)); p++)
		;
	if ((pct = *p == '%'))
		while (!(class[(unsigned char)*++p] & END))
			;
	*sep = *p;
	if (i == NKEY)
		return settier(ev, v, p - v) == 0 ? p : NULL;
	slot = strslot(ev, i);
	if (p == v || *slot != NULL)
		return NULL;
	if (pct)
		pctdecode(v, p - v);
	else
		*p = '\0';
	*slot = v;
	return p;
}

/*
 * Parse an unfolded Tkt-Log value, TIME VERB [key=value ...] [-- text],
 * in place: each value is decoded where it lies and ended with a NUL,
 * so the strings of ev point into s.  On error *why says what was
 * wrong, and ev is all zero.
 */
static int
evparse(char *s, struct tkt_event *ev, const char **why)
{
	char *p, *tok, sep;
	int v;

	memset(ev, 0, sizeof *ev);
	if ((p = strchr(s, ' ')) == NULL ||
	    tkt_time_parse3339(s, p - s, &ev->t) == -1) {
		*why = "bad time";
		return -1;
	}
	for (tok = ++p; !(class[(unsigned char)*p] & END); p++)
		;
	if ((v = tkt_verb_parse(tok, p - tok)) < 0) {
		*why = "unknown event";
		return -1;
	}
	ev->verb = v;
	for (sep = *p; sep == ' '; ) {
		tok = p + 1;
		if (tok[0] == '-' && tok[1] == '-' &&
		    (tok[2] == ' ' || tok[2] == '\0')) {
			ev->text = tok[2] != '\0' ? tok + 3 : tok + 2;
			break;
		}
		if ((p = setkey(ev, tok, &sep)) == NULL) {
			memset(ev, 0, sizeof *ev);
			*why = "bad key=value";
			return -1;
		}
	}
	return 0;
}

/*
 * The same, for a caller that keeps the event: its strings are
 * allocated one by one, for the caller to free.
 */
int
tkt_event_parse(const char *s, struct tkt_event *ev, const char **why)
{
	char *copy, **slot;
	int i, r;

	copy = tkt_strdup(s);
	if ((r = evparse(copy, ev, why)) == 0)
		for (i = 0; i < NSTR; i++)
			if (*(slot = strslot(ev, i)) != NULL)
				*slot = tkt_strdup(*slot);
	free(copy);
	return r;
}

static void
putkey(struct tkt_buf *b, const char *k, const char *v)
{
	if (v == NULL || *v == '\0')
		return;
	tkt_buf_fmt(b, " %s=", k);
	pctencode(b, v);
}

/* The event as one unfolded line, without the field name. */
void
tkt_event_format(const struct tkt_event *ev, struct tkt_buf *b)
{
	char ts[21];
	const char *s;
	int i;

	tkt_time_fmt(ev->t, ts);
	tkt_buf_fmt(b, "%s %s", ts, verbs[ev->verb].s);
	putkey(b, "by", ev->by);
	if (ev->tier > 0)
		tkt_buf_fmt(b, " tier=%d", ev->tier);
	for (i = 1; i < NKEY; i++)
		putkey(b, strkeys[i].s,
		    *strslot((struct tkt_event *)ev, i));
	if (ev->text == NULL)
		return;
	tkt_buf_str(b, " --");
	if (*ev->text != '\0')
		tkt_buf_str(b, " ");
	for (s = ev->text; *s != '\0'; s++)
		tkt_buf_add(b, (unsigned char)*s < ' ' ? " " : s, 1);
}

/* Where the next event of the history goes. */
static struct tkt_event *
nextev(struct tkt_ticket *t)
{
	if (t->nev == t->evcap)
		t->ev = grow(t, t->ev, t->nev, &t->evcap, sizeof *t->ev,
		    EVFIRST);
	return &t->ev[t->nev];
}

/*
 * Add a copy of ev to the history, which stays in time order.  Its
 * strings are copied into the ticket's pool, in one piece.
 */
void
tkt_ticket_add(struct tkt_ticket *t, const struct tkt_event *ev)
{
	struct tkt_event *n;
	size_t len[NSTR], need;
	char **slot, *p;
	int i;

	n = nextev(t);
	*n = *ev;
	if (t->nev++ > 0 && n->t < n[-1].t)
		n->t = n[-1].t;
	need = 0;
	for (i = 0; i < NSTR; i++) {
		slot = strslot(n, i);
		len[i] = *slot != NULL ? strlen(*slot) + 1 : 0;
		need += len[i];
	}
	if (need == 0)
		return;
	p = poolget(t, need, 1);
	for (i = 0; i < NSTR; i++) {
		if (len[i] == 0)
			continue;
		slot = strslot(n, i);
		*slot = memcpy(p, *slot, len[i]);
		p += len[i];
	}
}

/*
 * Join the lines of a header's value into the pool, without their line
 * ends and the blanks that start it.  The value is s..e, and its first
 * line ends at nl.  cr says whether the header section holds a CR at
 * all: each one is dropped wherever it is.
 */
static char *
unfold(struct tkt_ticket *t, const char *s, const char *nl, const char *e,
    int cr)
{
	char *out, *o;
	size_t n;

	while (s < e && (*s == ' ' || *s == '\t' || *s == '\n' ||
	    *s == '\r'))
		s++;
	if (!cr && s < nl && nl + 1 == e) {
		/* One line, the usual case: its bytes up to the newline. */
		n = nl - s;
		out = memcpy(poolget(t, n + 1, 1), s, n);
		out[n] = '\0';
		return out;
	}
	n = e - s + 1;
	o = out = poolget(t, n, 1);
	if (cr) {
		for (; s < e; s++)
			if (*s != '\n' && *s != '\r')
				*o++ = *s;
	} else if (s < e) {
		if (s > nl)
			nl = memchr(s, '\n', e - s);
		/* Each line ends in a newline, the last one at e - 1. */
		for (;;) {
			memcpy(o, s, nl - s);
			o += nl - s;
			if ((s = nl + 1) == e)
				break;
			nl = memchr(s, '\n', e - s);
		}
	}
	*o++ = '\0';
	poolback(t, n - (o - out));
	return out;
}

enum { ORDINARY, LOG, SUMMARY };

/*
 * Whether the n bytes at s spell word in any case.  word is letters
 * but for a '-' that the caller has matched already.  Setting bit 0x20
 * lowers a letter and makes no other byte one, so for letters this is
 * strncasecmp(3) in the POSIX locale.
 */
static int
caseeq(const char *s, const char *word, size_t n)
{
	for (; n > 0; n--, s++, word++)
		if ((*s | 0x20) != (*word | 0x20))
			return 0;
	return 1;
}

/*
 * What a header is by its name, which has n bytes: a Tkt-Log line, a
 * summary header (derived, so dropped on reading), or another.  The
 * name is compared as tkt spells it first, which is quicker.
 */
static int
kind(const char *name, size_t n)
{
	const char *word;
	int k = SUMMARY;

	if (n < 6 || n > 12 || name[3] != '-')
		return ORDINARY;
	switch (n) {
	case 6: word = "Tkt-Id"; break;
	case 7: word = "Tkt-Log"; k = LOG; break;
	case 8: word = "Tkt-Tier"; break;
	case 9: word = "Tkt-State"; break;
	case 10: word = "Tkt-Client"; break;
	case 12: word = (name[4] | 0x20) == 'c' ? "Tkt-Category" :
		    "Tkt-Priority";
		break;
	default: return ORDINARY;
	}
	return memcmp(name, word, n) == 0 || caseeq(name, word, n) ? k :
	    ORDINARY;
}

/* tkt(5): no blank or control character in a header name. */
static int
goodname(const char *s, const char *e)
{
	for (; s < e; s++)
		if ((unsigned char)*s <= ' ' || *s == 0x7f)
			return 0;
	return 1;
}

static int
bad(const char *path, int line, const char *why)
{
	if (line > 0)
		tkt_warn("%s: line %d: %s", path, line, why);
	else
		tkt_warn("%s: %s", path, why);
	return -1;
}

/* Why ev cannot follow the history read so far, or NULL. */
static const char *
misplaced(const struct tkt_ticket *t, const struct tkt_event *ev)
{
	if (t->nev > 0 && ev->t < t->ev[t->nev - 1].t)
		return "history goes back in time";
	if (t->nev > 0 && ev->verb == TKT_CREATED)
		return "a second created event";
	return NULL;
}

/* A Tkt-Log value, parsed where it lies in the pool, joins the history. */
static int
logged(struct tkt_ticket *t, const char *path, char *v, int line)
{
	struct tkt_event *ev;
	const char *why;

	ev = nextev(t);
	if (evparse(v, ev, &why) == -1 || (why = misplaced(t, ev)) != NULL)
		return bad(path, line, why);
	t->nev++;
	return 0;
}

static void
addhdr(struct tkt_ticket *t, const char *s, const char *e,
    const char *colon, char *value)
{
	struct tkt_hdr *h;
	size_t n;

	t->hdr = grow(t, t->hdr, t->nhdr, &t->hdrcap, sizeof *t->hdr,
	    HDRFIRST);
	h = &t->hdr[t->nhdr++];
	h->raw = s;
	h->rawlen = e - s;
	n = colon - s;
	h->name = memcpy(poolget(t, n + 1, 1), s, n);
	h->name[n] = '\0';
	h->value = value;
}

/*
 * One header: s..e are its raw lines, and nl ends the first; line is
 * where it starts.  cr says whether a CR is anywhere in the section.
 */
static int
header(struct tkt_ticket *t, const char *path, const char *s,
    const char *nl, const char *e, int line, int cr)
{
	const char *colon;
	char *value;
	int k;

	colon = memchr(s, ':', nl - s);
	if (colon == NULL || colon == s)
		return bad(path, line, "not a header line");
	/* A name that kind() knows is a good one. */
	if ((k = kind(s, colon - s)) == ORDINARY && !goodname(s, colon))
		return bad(path, line, "bad header name");
	if (e - s > FIELDMAX)
		return bad(path, line, "header longer than 256 KiB");
	if (k == SUMMARY)
		return 0;
	value = unfold(t, colon + 1, nl, e, cr);
	if (k == LOG)
		return logged(t, path, value, line);
	addhdr(t, s, e, colon, value);
	return 0;
}

/*
 * A file as read: its bytes, which are NUL-ended, and what finding
 * the end of its header section found on the way: where the first
 * NLMAX lines end, so that they are not looked for twice.
 */
#define NLMAX		64

struct input {
	char	*buf;
	size_t	 len;
	size_t	 cap;			/* bytes allocated at buf */
	size_t	 end;			/* of the header section; 0: none */
	size_t	 nnl;			/* newlines found, up to NLMAX */
	size_t	 nl[NLMAX];		/* their offsets in buf */
};

/* The end of the header section, after the blank line, into in->end. */
static void
hdrend(struct input *in)
{
	const char *p, *buf, *end;
	size_t n;

	buf = in->buf;
	end = buf + in->len;
	in->end = n = 0;
	if (in->len > 0 && buf[0] == '\n')
		p = NULL;
	else
		p = memchr(buf, '\n', in->len);
	for (; p != NULL; p = memchr(p + 1, '\n', end - p - 1)) {
		if (n < NLMAX)
			in->nl[n++] = p - buf;
		if (p + 1 == end || (p[1] != '\n' && p[1] != '\r'))
			continue;
		if (p[1] == '\n') {
			in->end = p + 2 - buf;
			break;
		}
		if (p + 2 < end && p[2] == '\n') {
			in->end = p + 3 - buf;
			break;
		}
	}
	in->nnl = n;
}

/* The newline that ends line i, counted from 0, which starts at s. */
static const char *
newline(const struct input *in, size_t i, const char *s, const char *e)
{
	return i < in->nnl ? in->buf + in->nl[i] : memchr(s, '\n', e - s);
}

/*
 * The first chunk of the pool: every string parsed from the header
 * section fits in its size, and the arrays first made hold most
 * tickets' headers and events.  It goes after the bytes read when they
 * left room enough, to save an allocation.
 */
static void
firstchunk(struct tkt_ticket *t, const struct input *in)
{
	struct tkt_chunk *c;
	size_t at, need;

	need = in->end + POOLSLACK + HDRFIRST * sizeof *t->hdr +
	    EVFIRST * sizeof *t->ev + 2 * _Alignof(max_align_t);
	at = (in->len + 1 + _Alignof(struct tkt_chunk) - 1) &
	    ~(_Alignof(struct tkt_chunk) - 1);
	if (at > in->cap || in->cap - at < sizeof *c + need) {
		newchunk(t, need);
		return;
	}
	c = (struct tkt_chunk *)(in->buf + at);
	c->next = NULL;
	c->used = 0;
	c->size = in->cap - at - sizeof *c;
	c->own = 0;
	t->pool = c;
}

static int
headers(struct tkt_ticket *t, const char *path, const struct input *in)
{
	const char *s, *p, *e, *nl;
	int line, start, cr;

	s = in->buf;
	e = in->buf + in->end;
	if (memchr(s, '\0', in->end) != NULL)
		return bad(path, 0, "NUL byte in the headers");
	if (*s == ' ' || *s == '\t')
		return bad(path, 1, "continuation line without a header");
	cr = memchr(s, '\r', in->end) != NULL;
	firstchunk(t, in);
	line = 1;
	while (s < e && *s != '\n' && !(*s == '\r' && s[1] == '\n')) {
		start = line;
		nl = newline(in, line++ - 1, s, e);
		for (p = nl + 1; p < e && (*p == ' ' || *p == '\t'); line++)
			p = newline(in, line - 1, p, e) + 1;
		if (header(t, path, s, nl, p, start, cr) == -1)
			return -1;
		s = p;
	}
	return 0;
}

static int
parse(struct tkt_ticket *t, const char *path, const struct input *in,
    int whole)
{
	memset(t, 0, sizeof *t);
	t->buf = in->buf;
	t->len = in->len;
	t->whole = whole;
	if (in->len == 0)
		return bad(path, 0, "empty file");
	if (in->end == 0) {
		if (memchr(in->buf, '\n', in->len) == NULL &&
		    in->len >= FIELDMAX)
			return bad(path, 1, "header line too long");
		if (in->buf[0] == '\n')
			return bad(path, 1, "no headers");
		return bad(path, 0, "no blank line after the headers");
	}
	if (in->end > HDRMAX)
		return bad(path, 0, "header section longer than 1 MiB");
	t->bodyoff = in->end;
	return headers(t, path, in);
}

/* Parse buf (taken over by t) as a ticket; whole says the body is in. */
int
tkt_ticket_parse(struct tkt_ticket *t, const char *path, char *buf,
    size_t len, int whole)
{
	struct input in;

	in.buf = buf;
	in.len = len;
	in.cap = len + 1;
	hdrend(&in);
	return parse(t, path, &in, whole);
}

static int
readmore(int fd, struct input *in)
{
	ssize_t n;

	if (in->len + 4096 + 1 > in->cap) {
		in->cap = in->cap ? in->cap * 2 : 8192;
		in->buf = tkt_realloc(in->buf, in->cap);
	}
	do
		n = read(fd, in->buf + in->len, in->cap - in->len - 1);
	while (n == -1 && errno == EINTR);
	if (n > 0)
		in->len += n;
	return (int)(n < 0 ? -1 : n > 0);
}

static int
regular(int fd)
{
	struct stat sb;

	return fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode);
}

/*
 * Read fd, open on path: the headers, or the whole file when whole is
 * set.  A read of the headers is bounded by HDRMAX, and the file was
 * opened not to block, so it needs no fstat unless it fails: a
 * directory, a FIFO or a device dropped into a desk then shows as what
 * it is.  A whole read has no bound, so the file must be a regular one
 * first.
 */
static int
readfd(int fd, const char *path, int whole, struct input *in)
{
	int r, e;

	if (whole && !regular(fd))
		return bad(path, 0, "not a regular file");
	in->buf = NULL;
	in->len = in->cap = in->end = 0;
	while ((r = readmore(fd, in)) > 0) {
		if (in->end == 0)
			hdrend(in);
		if (in->end == 0 ? in->len > HDRMAX : !whole)
			break;
	}
	e = errno;
	if (!whole && in->end == 0 && !regular(fd))
		r = bad(path, 0, "not a regular file");
	else if (r == -1)
		r = bad(path, 0, strerror(e));
	if (r == -1) {
		free(in->buf);
		return -1;
	}
	if (in->buf == NULL) {
		in->buf = tkt_alloc(1);
		in->cap = 1;
	}
	in->buf[in->len] = '\0';
	return 0;
}

/* A copy of path; malloc(3) is cheaper than the calloc of tkt_strdup. */
static char *
pathdup(const char *path)
{
	size_t n = strlen(path) + 1;

	return memcpy(tkt_realloc(NULL, n), path, n);
}

/*
 * Read the ticket at path: its headers, or the whole file when whole
 * is set.  Reports what is wrong with it and returns -1; when quiet,
 * a file that is not there is no error to report but -2.
 */
static int
readpath(struct tkt_ticket *t, const char *path, int whole, int quiet)
{
	struct input in;
	int fd, r;

	memset(t, 0, sizeof *t);
	/*
	 * Not blocking, so a FIFO dropped into a desk cannot hang us.  A
	 * scan visiting path may hold it open already (tkt_desk_lent).
	 */
	if ((fd = tkt_desk_lent(path)) == -1 &&
	    (fd = open(path, O_RDONLY | O_NONBLOCK)) == -1) {
		if (quiet && errno == ENOENT)
			return -2;
		r = bad(path, 0, strerror(errno));
		t->path = pathdup(path);
		return r;
	}
	r = readfd(fd, path, whole, &in);
	close(fd);
	if (r == 0)
		r = parse(t, path, &in, whole);
	t->path = pathdup(path);
	if (r == 0 && (t->nev == 0 || t->ev[0].verb != TKT_CREATED))
		r = bad(path, 0, "history does not start with created");
	return r;
}

int
tkt_ticket_read(struct tkt_ticket *t, const char *path, int whole)
{
	return readpath(t, path, whole, 0);
}

/* The same, but -2 and no message when there is no file at path. */
int
tkt_ticket_tryread(struct tkt_ticket *t, const char *path, int whole)
{
	return readpath(t, path, whole, 1);
}

void
tkt_ticket_free(struct tkt_ticket *t)
{
	poolfree(t);
	free(t->buf);
	free(t->path);
	memset(t, 0, sizeof *t);
}

/* The first value of a header, or NULL. */
const char *
tkt_ticket_get(const struct tkt_ticket *t, const char *name)
{
	return tkt_mail_get(t->hdr, t->nhdr, name);
}

static void
setfield(const char **slot, const char *v)
{
	if (v != NULL)
		*slot = v;
}

static void
newvisit(struct tkt_state *st, int tier, time_t t)
{
	st->tier = tier;
	st->entered = t;
	st->planned = 0;
	st->breached = 0;
}

static void
replay(struct tkt_state *st, const struct tkt_event *ev)
{
	setfield(&st->client, ev->client);
	setfield(&st->category, ev->category);
	setfield(&st->priority, ev->priority);
	st->last = ev->t;
	switch (ev->verb) {
	case TKT_CREATED:
		st->created = st->entered = ev->t;
		break;
	case TKT_ROUTED:
		if (st->dir == TKT_NEW)
			newvisit(st, ev->tier ? ev->tier : 1, ev->t);
		else if (ev->tier != 0 && ev->tier != st->tier)
			newvisit(st, ev->tier, ev->t);
		if (st->dir == TKT_NEW)
			st->dir = TKT_CUR;
		break;
	case TKT_ESCALATED:
		st->escalations++;
		newvisit(st, ev->tier, ev->t);
		break;
	case TKT_PLANNED:
		st->planned = 1;
		break;
	case TKT_BREACHED:
		st->breached = 1;
		break;
	case TKT_CLOSED_EV:
		st->dir = TKT_CLOSED;
		st->closed = ev->t;
		st->waiting = 0;
		break;
	case TKT_REOPENED:
		st->dir = st->tier ? TKT_CUR : TKT_NEW;
		st->closed = 0;
		st->planned = 0;
		break;
	case TKT_WAITING:
		/* A wait outlives a change of tier: it is on the client. */
		st->waiting = st->dir == TKT_CUR;
		break;
	case TKT_RESUMED:
		st->waiting = 0;
		break;
	default:
		break;
	}
}

/* The state the history leads to. */
void
tkt_ticket_state(const struct tkt_ticket *t, struct tkt_state *st)
{
	size_t i;

	memset(st, 0, sizeof *st);
	st->dir = TKT_NEW;
	for (i = 0; i < t->nev; i++)
		replay(st, &t->ev[i]);
}

/* Append name: value, folded before blanks to stay near FOLDAT. */
static void
putfolded(struct tkt_buf *b, const char *name, const char *v)
{
	size_t col, n;
	const char *sp;

	tkt_buf_fmt(b, "%s: ", name);
	col = strlen(name) + 2;
	while (*v != '\0') {
		sp = strchr(v + 1, ' ');
		n = sp ? (size_t)(sp - v) : strlen(v);
		if (col + n > FOLDAT && col > strlen(name) + 2 && *v == ' ') {
			tkt_buf_str(b, "\n");
			col = 0;
		}
		tkt_buf_add(b, v, n);
		col += n;
		v += n;
	}
	tkt_buf_str(b, "\n");
}

static const char *const states[] = { "new", "open", "closed" };

/* A summary header; control characters would break the file. */
static void
putfield(struct tkt_buf *b, const char *name, const char *v)
{
	if (v == NULL)
		return;
	tkt_buf_fmt(b, "%s: ", name);
	for (; *v != '\0'; v++)
		tkt_buf_add(b, (unsigned char)*v < ' ' || *v == 0x7f ? " " :
		    v, 1);
	tkt_buf_str(b, "\n");
}

static void
putsummary(const struct tkt_ticket *t, struct tkt_buf *b)
{
	struct tkt_state st;

	tkt_ticket_state(t, &st);
	tkt_buf_fmt(b, "Tkt-Id: %s\nTkt-State: %s\n", t->id, states[st.dir]);
	if (st.tier > 0)
		tkt_buf_fmt(b, "Tkt-Tier: %d\n", st.tier);
	putfield(b, "Tkt-Client", st.client);
	putfield(b, "Tkt-Category", st.category);
	putfield(b, "Tkt-Priority", st.priority);
}

/* The whole file: kept headers, summary, history, blank line, body. */
void
tkt_ticket_format(const struct tkt_ticket *t, struct tkt_buf *b)
{
	struct tkt_buf line = { 0 };
	size_t i;

	for (i = 0; i < t->nhdr; i++)
		tkt_buf_add(b, t->hdr[i].raw, t->hdr[i].rawlen);
	putsummary(t, b);
	for (i = 0; i < t->nev; i++) {
		line.len = 0;
		tkt_event_format(&t->ev[i], &line);
		putfolded(b, "Tkt-Log", line.s);
	}
	tkt_buf_free(&line);
	tkt_buf_str(b, "\n");
	tkt_buf_add(b, t->buf + t->bodyoff, t->len - t->bodyoff);
}

static const char *const prefixes[] = {
	"re", "fwd", "fw", "aw", "wg", "sv", "vs", "tr", NULL
};

/* Skip one reply or forward prefix ("Re:", "Fwd:") or one [tag]. */
static const char *
skipprefix(const char *s)
{
	const char *e;
	size_t i, n;

	if (*s == '[' && (e = strchr(s, ']')) != NULL)
		return e + 1;
	for (i = 0; prefixes[i] != NULL; i++) {
		n = strlen(prefixes[i]);
		if (strncasecmp(s, prefixes[i], n) == 0 && s[n] == ':')
			return s + n + 1;
	}
	return NULL;
}

/*
 * Reduce a subject to what recurring problems share: no reply or
 * forward prefixes, no [tags], lower case, each run of digits as one
 * '#', single spaces.
 */
const char *
tkt_subject_norm(const char *s, char *out, size_t n)
{
	const char *next;
	size_t o;
	int sp;

	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if ((next = skipprefix(s)) == NULL)
			break;
		s = next;
	}
	if (n == 0)
		return out;
	for (o = 0, sp = 0; *s != '\0' && o + 1 < n; s++) {
		if (isspace((unsigned char)*s)) {
			sp = o > 0;
			continue;
		}
		if (sp && o + 2 >= n)
			break;
		if (sp)
			out[o++] = ' ';
		sp = 0;
		if (isdigit((unsigned char)*s) && o > 0 && out[o - 1] == '#')
			continue;
		out[o++] = isdigit((unsigned char)*s) ? '#' :
		    (char)tolower((unsigned char)*s);
	}
	out[o] = '\0';
	return out;
}
