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
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tkt.h"

#define HDRMAX		(1024 * 1024)	/* whole header section */
#define FIELDMAX	(256 * 1024)	/* one unfolded header */
#define FOLDAT		78

static const char *const verbs[TKT_NVERB] = {
	"created", "routed", "planned", "noted",
	"escalated", "breached", "closed", "reopened", "waiting", "resumed",
	"warned", "mailed"
};

/* Summary headers: derived, so dropped on reading. */
static const char *const summary[] = {
	"Tkt-Id", "Tkt-State", "Tkt-Tier", "Tkt-Client", "Tkt-Category",
	"Tkt-Priority", NULL
};

const char *
tkt_verb_name(enum tkt_verb v)
{
	return verbs[v];
}

int
tkt_verb_parse(const char *s, size_t n)
{
	int i;

	for (i = 0; i < TKT_NVERB; i++)
		if (strlen(verbs[i]) == n && memcmp(verbs[i], s, n) == 0)
			return i;
	return -1;
}

/* Undo the percent-encoding of a key=value token's value. */
static char *
pctdecode(const char *s, size_t n)
{
	char *out, *o;
	size_t i;
	int hi, lo;

	o = out = tkt_alloc(n + 1);
	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n &&
		    (hi = tkt_hexval(s[i + 1])) >= 0 &&
		    (lo = tkt_hexval(s[i + 2])) >= 0) {
			*o++ = (char)(hi << 4 | lo);
			i += 2;
		} else
			*o++ = s[i];
	}
	*o = '\0';
	return out;
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

/* The string keys of an event, in the order they are written. */
static const char *const strkeys[] = {
	"by", "client", "category", "priority", "msg", "flag", "key",
	"link", "sent", NULL
};

static char **
strslot(struct tkt_event *ev, int i)
{
	char **slot[] = {
		&ev->by, &ev->client, &ev->category, &ev->priority, &ev->msg,
		&ev->flag, &ev->key, &ev->link, &ev->sent
	};

	return slot[i];
}

static char **
strkey(struct tkt_event *ev, const char *k, size_t kn)
{
	int i;

	for (i = 0; strkeys[i] != NULL; i++)
		if (strlen(strkeys[i]) == kn && memcmp(strkeys[i], k, kn) == 0)
			return strslot(ev, i);
	return NULL;
}

static int
setkey(struct tkt_event *ev, const char *k, size_t kn, const char *v,
    size_t vn)
{
	char **slot;
	char *end;
	long n;

	if (kn == 4 && memcmp(k, "tier", 4) == 0) {
		n = strtol(v, &end, 10);
		if (ev->tier != 0 || vn == 0 || end != v + vn || n < 1 ||
		    n > TKT_MAXTIER)
			return -1;
		ev->tier = (int)n;
		return 0;
	}
	if ((slot = strkey(ev, k, kn)) == NULL)
		return -1;
	if (vn == 0 || *slot != NULL)
		return -1;
	*slot = pctdecode(v, vn);
	return 0;
}

static void
event_clear(struct tkt_event *ev)
{
	int i;

	for (i = 0; strkeys[i] != NULL; i++)
		free(*strslot(ev, i));
	free(ev->text);
	memset(ev, 0, sizeof *ev);
}

/*
 * Parse an unfolded Tkt-Log value: TIME VERB [key=value ...] [-- text].
 * On error *why says what was wrong.
 */
int
tkt_event_parse(const char *s, struct tkt_event *ev, const char **why)
{
	const char *p, *tok, *eq;
	int v;

	memset(ev, 0, sizeof *ev);
	if ((p = strchr(s, ' ')) == NULL ||
	    tkt_time_parse3339(s, p - s, &ev->t) == -1) {
		*why = "bad time";
		return -1;
	}
	tok = p + 1;
	p = tok + strcspn(tok, " ");
	if ((v = tkt_verb_parse(tok, p - tok)) < 0) {
		*why = "unknown event";
		return -1;
	}
	ev->verb = v;
	while (*p == ' ') {
		tok = p + 1;
		p = tok + strcspn(tok, " ");
		if (p - tok == 2 && memcmp(tok, "--", 2) == 0) {
			ev->text = tkt_strdup(*p ? p + 1 : "");
			break;
		}
		eq = memchr(tok, '=', p - tok);
		if (eq == NULL || setkey(ev, tok, eq - tok, eq + 1,
		    p - eq - 1) == -1) {
			event_clear(ev);
			*why = "bad key=value";
			return -1;
		}
	}
	if (*p != '\0' && ev->text == NULL) {
		event_clear(ev);
		*why = "trailing garbage";
		return -1;
	}
	return 0;
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
	tkt_buf_fmt(b, "%s %s", ts, verbs[ev->verb]);
	putkey(b, "by", ev->by);
	if (ev->tier > 0)
		tkt_buf_fmt(b, " tier=%d", ev->tier);
	for (i = 1; strkeys[i] != NULL; i++)
		putkey(b, strkeys[i], *strslot((struct tkt_event *)ev, i));
	if (ev->text == NULL)
		return;
	tkt_buf_str(b, " --");
	if (*ev->text != '\0')
		tkt_buf_str(b, " ");
	for (s = ev->text; *s != '\0'; s++)
		tkt_buf_add(b, (unsigned char)*s < ' ' ? " " : s, 1);
}

static char *
dupornull(const char *s)
{
	return s == NULL ? NULL : tkt_strdup(s);
}

/* Add a copy of ev to the history, which stays in time order. */
void
tkt_ticket_add(struct tkt_ticket *t, const struct tkt_event *ev)
{
	struct tkt_event *n;
	int i;

	if (t->nev == t->evcap) {
		t->evcap = t->evcap ? 2 * t->evcap : 8;
		t->ev = tkt_realloc(t->ev, t->evcap * sizeof *t->ev);
	}
	n = &t->ev[t->nev++];
	*n = *ev;
	if (t->nev > 1 && n->t < n[-1].t)
		n->t = n[-1].t;
	for (i = 0; strkeys[i] != NULL; i++)
		*strslot(n, i) = dupornull(*strslot((struct tkt_event *)ev,
		    i));
	n->text = dupornull(ev->text);
}

/* Join a header's lines, dropping line ends and the first blanks. */
static char *
unfold(const char *s, size_t n)
{
	char *out, *o;
	size_t i;

	o = out = tkt_alloc(n + 1);
	for (i = 0; i < n; i++)
		if (s[i] != '\n' && s[i] != '\r')
			*o++ = s[i];
	*o = '\0';
	for (o = out; *o == ' ' || *o == '\t'; o++)
		;
	memmove(out, o, strlen(o) + 1);
	return out;
}

static int
issummary(const char *name)
{
	int i;

	for (i = 0; summary[i] != NULL; i++)
		if (strcasecmp(name, summary[i]) == 0)
			return 1;
	return 0;
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

/* One header: s..e are its raw lines; line is where it starts. */
static int
header(struct tkt_ticket *t, const char *path, const char *s,
    const char *e, int line)
{
	struct tkt_event ev;
	struct tkt_hdr *h;
	const char *colon, *why;
	char *name, *value;

	colon = memchr(s, ':', e - s);
	if (colon == NULL || colon == s || memchr(s, '\n', colon - s))
		return bad(path, line, "not a header line");
	for (why = s; why < colon; why++)
		if ((unsigned char)*why <= ' ' || *why == 0x7f)
			return bad(path, line, "bad header name");
	if (e - s > FIELDMAX)
		return bad(path, line, "header longer than 256 KiB");
	name = tkt_strndup(s, colon - s);
	value = unfold(colon + 1, e - colon - 1);
	if (strcasecmp(name, "Tkt-Log") == 0) {
		free(name);
		if (tkt_event_parse(value, &ev, &why) == -1) {
			free(value);
			return bad(path, line, why);
		}
		free(value);
		if ((why = misplaced(t, &ev)) != NULL) {
			event_clear(&ev);
			return bad(path, line, why);
		}
		tkt_ticket_add(t, &ev);
		event_clear(&ev);
		return 0;
	}
	if (issummary(name)) {
		free(name);
		free(value);
		return 0;
	}
	t->hdr = tkt_realloc(t->hdr, (t->nhdr + 1) * sizeof *t->hdr);
	h = &t->hdr[t->nhdr++];
	h->raw = s;
	h->rawlen = e - s;
	h->name = name;
	h->value = value;
	return 0;
}

/* Length of the header section including the blank line, or 0. */
static size_t
hdrend(const char *buf, size_t len)
{
	const char *p, *end;

	end = buf + len;
	if (len > 0 && buf[0] == '\n')
		return 0;
	for (p = buf; (p = memchr(p, '\n', end - p)) != NULL; p++) {
		if (p + 1 < end && p[1] == '\n')
			return p + 2 - buf;
		if (p + 2 < end && p[1] == '\r' && p[2] == '\n')
			return p + 3 - buf;
	}
	return 0;
}

static int
headers(struct tkt_ticket *t, const char *path, size_t end)
{
	const char *s, *p, *e;
	int line, start;

	line = 1;
	s = t->buf;
	e = t->buf + end;
	if (memchr(s, '\0', end) != NULL)
		return bad(path, 0, "NUL byte in the headers");
	if (*s == ' ' || *s == '\t')
		return bad(path, 1, "continuation line without a header");
	while (s < e && *s != '\n' && !(*s == '\r' && s[1] == '\n')) {
		start = line;
		p = s;
		do {
			p = memchr(p, '\n', e - p) + 1;
			line++;
		} while (p < e && (*p == ' ' || *p == '\t'));
		if (header(t, path, s, p, start) == -1)
			return -1;
		s = p;
	}
	return 0;
}

/* Parse buf (taken over by t) as a ticket; whole says the body is in. */
int
tkt_ticket_parse(struct tkt_ticket *t, const char *path, char *buf,
    size_t len, int whole)
{
	size_t end;

	memset(t, 0, sizeof *t);
	t->buf = buf;
	t->len = len;
	t->whole = whole;
	if (len == 0)
		return bad(path, 0, "empty file");
	if ((end = hdrend(buf, len)) == 0) {
		if (memchr(buf, '\n', len) == NULL && len >= FIELDMAX)
			return bad(path, 1, "header line too long");
		if (buf[0] == '\n')
			return bad(path, 1, "no headers");
		return bad(path, 0, "no blank line after the headers");
	}
	if (end > HDRMAX)
		return bad(path, 0, "header section longer than 1 MiB");
	t->bodyoff = end;
	return headers(t, path, end);
}

static int
readmore(int fd, char **buf, size_t *len, size_t *cap)
{
	ssize_t n;

	if (*len + 4096 + 1 > *cap) {
		*cap = *cap ? *cap * 2 : 8192;
		*buf = tkt_realloc(*buf, *cap);
	}
	do
		n = read(fd, *buf + *len, *cap - *len - 1);
	while (n == -1 && errno == EINTR);
	if (n > 0)
		*len += n;
	return (int)(n < 0 ? -1 : n > 0);
}

/*
 * Read the ticket at path: its headers, or the whole file when whole
 * is set.  Reports what is wrong with it and returns -1.
 */
int
tkt_ticket_read(struct tkt_ticket *t, const char *path, int whole)
{
	struct stat sb;
	size_t len, cap;
	char *buf;
	int fd, r;

	memset(t, 0, sizeof *t);
	/* Not blocking, so a FIFO dropped into a desk cannot hang us. */
	if ((fd = open(path, O_RDONLY | O_NONBLOCK)) == -1)
		return bad(path, 0, strerror(errno));
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return bad(path, 0, "not a regular file");
	}
	buf = NULL;
	len = cap = 0;
	while ((r = readmore(fd, &buf, &len, &cap)) > 0)
		if (!whole && hdrend(buf, len) != 0)
			break;
		else if (!whole && len > HDRMAX)
			break;
		else if (whole && len > HDRMAX && hdrend(buf, len) == 0)
			break;
	if (r == -1) {
		r = errno;
		close(fd);
		free(buf);
		return bad(path, 0, strerror(r));
	}
	close(fd);
	if (buf == NULL)
		buf = tkt_alloc(1);
	buf[len] = '\0';
	r = tkt_ticket_parse(t, path, buf, len, whole);
	if (t->path == NULL)
		t->path = tkt_strdup(path);
	if (r == 0 && (t->nev == 0 || t->ev[0].verb != TKT_CREATED))
		r = bad(path, 0, "history does not start with created");
	return r;
}

void
tkt_ticket_free(struct tkt_ticket *t)
{
	size_t i;

	for (i = 0; i < t->nhdr; i++) {
		free(t->hdr[i].name);
		free(t->hdr[i].value);
	}
	for (i = 0; i < t->nev; i++)
		event_clear(&t->ev[i]);
	free(t->hdr);
	free(t->ev);
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
