/*
 * intake.c: one mail from the mail transport agent into the desk, as
 * tkt-new -m files it (tkt-new(1) says what, tkt(5) where).
 *
 * Under the desk lock a mail is one of three things: a duplicate of a
 * mail already here, which changes nothing; an addition to the ticket
 * it belongs to (a reply, found by In-Reply-To, References or the [ID]
 * in its subject; an alert, by the key its rule computed; a flood, by
 * its sender); or a ticket of its own.
 *
 * All a mail writes goes into one batch (desk.c), committed once the
 * mail is filed in memory: the original, kept byte for byte as
 * mail/NAME, and the new version of its ticket are written to tmp/ and
 * made durable together; then the original and the index entries
 * msgid/NAME and key/HASH, symbolic links whose targets are ticket IDs,
 * are renamed into place and synced; then the ticket.  So no ticket
 * ever refers to a mail that is not kept, and an entry is there before
 * its ticket; it counts only once the ticket's history has the mail,
 * so a crash in between loses nothing.  An error before the commit
 * writes nothing at all.
 */

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "tkt.h"

#define TEXTMAX		200		/* a subject in a mailed event */
#define HISTFULL	(768 * 1024)	/* of the 1 MiB a header may have */

struct mail {
	const char *raw;		/* as received */
	size_t	 len;
	struct tkt_hdr *hdr;
	size_t	 nhdr;
	char	*msgid;			/* "<...>", or NULL */
	char	 name[TKT_IDLEN + 1];	/* under mail/ and msgid/ */
	char	*from;			/* decoded, or NULL */
	char	*subject;
	char	*addr;			/* the sender, lower case */
	struct tkt_buf flags;		/* "auto,bulk", or empty */
	int	 quiet;			/* a robot wrote it */
	char	 sent[21];		/* its Date, or "" */
	struct tkt_mime mime;
	struct tkt_route route;		/* its alert key, and recovery */
};

static int	 links(struct tkt_batch *, const struct mail *, const char *,
		    int);

/*
 * What out-of-office replies that carry no header saying so put before
 * a colon at the start of their subject ("Automatic reply: ...").
 */
static const char *const awaysubj[] = {
	"out of office", "out of office autoreply", "out of the office",
	"automatic reply", "auto-reply", "autoreply", "abwesenheitsnotiz",
	"automatische antwort", "r\xc3\xa9ponse automatique",
	"respuesta autom\xc3\xa1tica", "risposta automatica", NULL
};

static const char *
get(const struct mail *m, const char *name)
{
	return tkt_mail_get(m->hdr, m->nhdr, name);
}

static void
flag(struct mail *m, const char *f, int quiet)
{
	if (m->flags.len > 0 && strstr(m->flags.s, f) != NULL)
		return;
	tkt_buf_fmt(&m->flags, "%s%s", m->flags.len ? "," : "", f);
	m->quiet |= quiet;
}

static int
hasword(const char *v, const char *w)
{
	size_t n;

	n = strlen(w);
	v += strspn(v, " \t");
	return strncasecmp(v, w, n) == 0 && !isalnum((unsigned char)v[n]) &&
	    v[n] != '-';
}

static int
away(const char *subj)
{
	const char *p;
	size_t i, n;

	for (i = 0; awaysubj[i] != NULL; i++) {
		n = strlen(awaysubj[i]);
		if (strncasecmp(subj, awaysubj[i], n) != 0)
			continue;
		for (p = subj + n; *p == ' ' || *p == '\t'; p++)
			;
		if (*p == ':')
			return 1;
	}
	return 0;
}

static int
bounce(const struct mail *m)
{
	const char *v;

	if ((v = get(m, "Content-Type")) != NULL &&
	    strncasecmp(v, "multipart/report", 16) == 0 &&
	    tkt_contains(v, "delivery-status"))
		return 1;
	if ((v = get(m, "Return-Path")) != NULL && strcmp(v, "<>") == 0)
		return 1;
	return m->addr != NULL && (strncmp(m->addr, "mailer-daemon@", 14) == 0
	    || strncmp(m->addr, "postmaster@", 11) == 0);
}

/* What kind of mail this is, as tkt(5) lists the flags. */
static void
classify(struct mail *m)
{
	const char *v;
	time_t t;

	if ((v = get(m, "Auto-Submitted")) != NULL && !hasword(v, "no"))
		flag(m, hasword(v, "auto-replied") ? "autoreply" : "auto", 1);
	if (get(m, "X-Autoreply") != NULL || get(m, "X-Autorespond") != NULL
	    || (m->subject != NULL && away(m->subject)))
		flag(m, "autoreply", 1);
	if ((v = get(m, "Precedence")) != NULL && (hasword(v, "bulk") ||
	    hasword(v, "junk") || hasword(v, "list")))
		flag(m, "bulk", 1);
	if (bounce(m))
		flag(m, "bounce", 1);
	if ((v = get(m, "Date")) == NULL || *v == '\0')
		return;
	if (tkt_time_parsemail(v, &t) == 0)
		tkt_time_fmt(t, m->sent);
	else
		flag(m, "baddate", 0);
}

static char *
decoded(const struct mail *m, const char *name)
{
	const char *v;

	return (v = get(m, name)) == NULL ? NULL : tkt_mail_decode(v);
}

/*
 * The mail's name under mail/: from its Message-ID, or from its bytes
 * after any mbox envelope line, which differs between deliveries.
 */
static void
naming(struct mail *m)
{
	size_t skip;

	if (m->msgid != NULL) {
		tkt_id_hash(m->name, m->msgid);
		return;
	}
	skip = tkt_mail_envelope(m->raw, m->len);
	tkt_id_hashn(m->name, m->raw + skip, m->len - skip);
}

/* Read what intake needs of the mail. */
static void
readmail(struct mail *m, const char *raw, size_t len)
{
	const char *v;

	memset(m, 0, sizeof *m);
	m->raw = raw;
	m->len = len;
	tkt_mail_headers(raw, len, &m->hdr, &m->nhdr);
	if ((v = get(m, "Message-ID")) != NULL &&
	    (m->msgid = tkt_mail_msgid(&v)) == NULL && *v != '\0')
		m->msgid = tkt_strndup(v, strcspn(v, " \t"));
	/* "<>" and the like name no message: they are not unique. */
	if (m->msgid != NULL && strchr(m->msgid, '@') == NULL) {
		free(m->msgid);
		m->msgid = NULL;
	}
	naming(m);
	m->from = decoded(m, "From");
	m->subject = decoded(m, "Subject");
	if ((v = get(m, "From")) != NULL)
		m->addr = tkt_mail_addr(v);
	classify(m);
	tkt_mime_parse(raw, len, &m->mime);
}

static void
freemail(struct mail *m)
{
	tkt_mail_headers_free(m->hdr, m->nhdr);
	free(m->msgid);
	free(m->from);
	free(m->subject);
	free(m->addr);
	tkt_buf_free(&m->flags);
	tkt_mime_free(&m->mime);
}

static void
putdecoded(struct tkt_buf *b, const struct mail *m, const char *name)
{
	char *v;

	v = decoded(m, name);
	tkt_mail_puthdr(b, name, v);
	free(v);
}

/* The text of a mail, then a line for each attachment from number n. */
static void
puttext(struct tkt_buf *b, const struct mail *m, int n)
{
	const struct tkt_part *p;
	size_t i;

	tkt_buf_add(b, m->mime.text, m->mime.textlen);
	for (i = 0; i < m->mime.npart; i++) {
		p = &m->mime.part[i];
		if (i == 0)
			tkt_buf_str(b, "\n");
		tkt_buf_fmt(b, "[attachment %d: %s, %s, %zu bytes]\n",
		    n + p->n, p->name ? p->name : "(no name)", p->type,
		    p->size);
	}
}

/* The file of a new ticket made from the mail, history aside. */
static void
newtext(struct tkt_buf *b, const struct mail *m)
{
	char date[64];

	tkt_mail_puthdr(b, "From", m->from);
	putdecoded(b, m, "To");
	putdecoded(b, m, "Cc");
	tkt_mail_puthdr(b, "Subject", m->subject);
	if (get(m, "Date") != NULL && *get(m, "Date") != '\0')
		putdecoded(b, m, "Date");
	else {
		tkt_time_mail(tkt_now, date, sizeof date);
		tkt_mail_puthdr(b, "Date", date);
	}
	tkt_mail_puthdr(b, "Message-ID", m->msgid);
	tkt_buf_str(b, "\n");
	puttext(b, m, 0);
}

static void
mailevent(struct tkt_event *ev, enum tkt_verb verb, struct mail *m,
    const char *by)
{
	memset(ev, 0, sizeof *ev);
	ev->t = tkt_now;
	ev->verb = verb;
	ev->by = (char *)by;
	ev->msg = m->name;
	ev->flag = m->flags.len ? m->flags.s : NULL;
	ev->sent = m->sent[0] ? m->sent : NULL;
	ev->key = m->route.key[0] ? m->route.key : NULL;
}

/* The rules' key and recovery for the mail, as if it were ticket t. */
static int
keyof(const struct tkt_desk *d, struct mail *m, const struct tkt_ticket *t)
{
	struct tkt_rules *rs;
	struct tkt_view v;
	char path[4096];

	snprintf(path, sizeof path, "%s/rules", d->path);
	if ((rs = tkt_rules_load(path, d->conf.tiers)) == NULL)
		return -1;
	v.t = t;
	tkt_ticket_state(t, &v.st);
	tkt_rules_key(rs, tkt_rules_get, &v, &m->route);
	tkt_rules_free(rs);
	return 0;
}

static int
exists(const struct tkt_desk *d, const char *id)
{
	char *path;

	if ((path = tkt_desk_find(d, id)) == NULL)
		return 0;
	free(path);
	return 1;
}

/* The ticket a message identifier belongs to, into id. */
static int
bymsgid(const struct tkt_desk *d, const char *msgid, char *id)
{
	char name[TKT_IDLEN + 1];

	if (strchr(msgid, '@') == NULL)
		return 0;
	/* tkt-ack's own: <ID.ack.TIME@HOST> */
	if (strlen(msgid) > TKT_IDLEN + 6 &&
	    strncmp(msgid + 1 + TKT_IDLEN, ".ack.", 5) == 0) {
		snprintf(id, TKT_IDLEN + 1, "%s", msgid + 1);
		if (exists(d, id))
			return 1;
	}
	tkt_id_hash(name, msgid);
	if (tkt_desk_linked(d, "msgid", name, id) == 0 && exists(d, id))
		return 1;
	/* A ticket made before the index, from that very mail. */
	memcpy(id, name, sizeof name);
	return exists(d, id);
}

/* In-Reply-To first, then References from the newest. */
static int
byrefs(const struct tkt_desk *d, const struct mail *m, char *id)
{
	const char *v;
	char **ref, *r;
	size_t n, i;
	int found;

	if ((v = get(m, "In-Reply-To")) != NULL)
		while ((r = tkt_mail_msgid(&v)) != NULL) {
			found = bymsgid(d, r, id);
			free(r);
			if (found)
				return 1;
		}
	if ((v = get(m, "References")) == NULL)
		return 0;
	ref = NULL;
	for (n = 0; (r = tkt_mail_msgid(&v)) != NULL; n++) {
		ref = tkt_realloc(ref, (n + 1) * sizeof *ref);
		ref[n] = r;
	}
	for (found = 0, i = n; i-- > 0 && !found; )
		found = bymsgid(d, ref[i], id);
	for (i = 0; i < n; i++)
		free(ref[i]);
	free(ref);
	return found;
}

/* Is the ticket with this ID on the desk and not closed? */
static int
isopen(const struct tkt_desk *d, const char *id)
{
	struct tkt_ticket t;
	struct tkt_state st;
	int r;

	if (!exists(d, id))
		return 0;
	r = tkt_desk_load(d, id, &t, 0);
	tkt_ticket_state(&t, &st);
	tkt_ticket_free(&t);
	return r == 0 && st.dir != TKT_CLOSED;
}

/* The open ticket of an alert key, into id. */
static int
bykey(const struct tkt_desk *d, const char *key, char *id)
{
	char name[TKT_IDLEN + 1];

	tkt_id_hash(name, key);
	return tkt_desk_linked(d, "key", name, id) == 0 && isopen(d, id);
}

/*
 * The flood state of a sender, DESK/tmp/flood/NAME: a "TIME ID" line
 * for each ticket the sender opened within the desk's flood window.
 * It is this host's alone, and losing it loses nothing but the count.
 */
static int
floodread(const struct tkt_desk *d, const struct mail *m,
    struct tkt_buf *keep, char *last)
{
	char name[TKT_IDLEN + 1], path[4096], line[128], id[TKT_IDLEN + 1];
	long long t;
	int count;
	FILE *fp;

	tkt_id_hash(name, m->addr);
	snprintf(path, sizeof path, "%s/tmp/flood/%s", d->path, name);
	if ((fp = fopen(path, "r")) == NULL)
		return 0;
	for (count = 0; fgets(line, sizeof line, fp) != NULL; )
		if (sscanf(line, "%lld %12s", &t, id) == 2 &&
		    t > (long long)tkt_now - d->conf.floodwin &&
		    t <= (long long)tkt_now && strlen(id) == TKT_IDLEN) {
			tkt_buf_fmt(keep, "%lld %s\n", t, id);
			memcpy(last, id, sizeof id);
			count++;
		}
	fclose(fp);
	return count;
}

static int
flooding(const struct tkt_desk *d, const struct mail *m)
{
	return m->addr != NULL && *m->addr != '\0' && d->conf.flood > 0;
}

/* A sender past the desk's flood limit: their latest open ticket. */
static int
byflood(const struct tkt_desk *d, const struct mail *m, char *id)
{
	struct tkt_buf keep = { 0 };
	int count;

	if (!flooding(d, m))
		return 0;
	count = floodread(d, m, &keep, id);
	tkt_buf_free(&keep);
	return count >= d->conf.flood && isopen(d, id);
}

/*
 * Count a new ticket against its sender.  Not synced: the counts are
 * advisory, and a crash that loses one lets a sender open one ticket
 * more.
 */
static void
floodnote(const struct tkt_desk *d, const struct mail *m, const char *id)
{
	struct tkt_buf keep = { 0 };
	char name[TKT_IDLEN + 1], last[TKT_IDLEN + 1];

	if (!flooding(d, m))
		return;
	floodread(d, m, &keep, last);
	tkt_buf_fmt(&keep, "%lld %s\n", (long long)tkt_now, id);
	tkt_id_hash(name, m->addr);
	tkt_desk_put(d, "tmp/flood", name, keep.s, keep.len);
	tkt_buf_free(&keep);
}

/* Has the ticket's history seen this mail already? */
static int
seen(const struct tkt_ticket *t, const struct mail *m)
{
	size_t i;

	for (i = 0; i < t->nev; i++)
		if (t->ev[i].msg != NULL && strcmp(t->ev[i].msg, m->name) == 0)
			return 1;
	return 0;
}

/* Attachments of the ticket's earlier mails, to number on from. */
static int
priorparts(const struct tkt_desk *d, const struct tkt_ticket *t)
{
	struct tkt_mime mm;
	size_t i, len;
	char *raw;
	int n;

	for (n = 0, i = 0; i < t->nev; i++) {
		if (t->ev[i].msg == NULL ||
		    (raw = tkt_desk_mail(d, t->ev[i].msg, &len)) == NULL)
			continue;
		tkt_mime_parse(raw, len, &mm);
		n += (int)mm.npart;
		tkt_mime_free(&mm);
		free(raw);
	}
	return n;
}

/* Add the mail's text to the body of t, which is read again. */
static int
addtext(const struct tkt_desk *d, struct tkt_ticket *t, const struct mail *m)
{
	struct tkt_buf b = { 0 };
	struct tkt_ticket n;
	char *v;

	tkt_ticket_format(t, &b);
	if (b.len > 0 && b.s[b.len - 1] != '\n')
		tkt_buf_str(&b, "\n");
	tkt_buf_str(&b, "\n--- mail ");
	tkt_buf_str(&b, m->sent[0] ? m->sent : "(undated)");
	if (m->from != NULL)
		tkt_buf_fmt(&b, " from %s", m->from);
	tkt_buf_str(&b, "\n");
	v = m->subject;
	tkt_mail_puthdr(&b, "Subject", v ? v : "(none)");
	tkt_buf_str(&b, "\n");
	puttext(&b, m, m->mime.npart ? priorparts(d, t) : 0);
	if (tkt_ticket_parse(&n, t->path, b.s, b.len, 1) == -1) {
		tkt_ticket_free(&n);
		return -1;
	}
	n.path = t->path;
	n.dir = t->dir;
	memcpy(n.id, t->id, sizeof n.id);
	t->path = NULL;
	tkt_ticket_free(t);
	*t = n;
	return 0;
}

/* The length of s cut to TEXTMAX bytes at a character. */
static size_t
cut(const char *s)
{
	size_t n;

	if ((n = strlen(s)) <= TEXTMAX)
		return n;
	for (n = TEXTMAX; ((unsigned char)s[n] & 0xc0) == 0x80; n--)
		;
	return n;
}

/* The events a mail adds to the ticket it belongs to. */
static void
react(struct tkt_ticket *t, const struct tkt_state *st, struct mail *m,
    const char *by)
{
	struct tkt_buf why = { 0 };
	struct tkt_event ev;

	mailevent(&ev, TKT_MAILED, m, by);
	ev.text = m->subject ? tkt_strndup(m->subject, cut(m->subject)) : NULL;
	tkt_ticket_add(t, &ev);
	free(ev.text);
	memset(&ev, 0, sizeof ev);
	ev.t = tkt_now;
	ev.by = (char *)by;
	tkt_buf_fmt(&why, "mail from %s", m->addr ? m->addr : "(unknown)");
	ev.text = why.s;
	if (m->route.recovery && st->dir != TKT_CLOSED) {
		why.len = 0;
		tkt_buf_fmt(&why, "recovered: %.*s", (int)(m->subject ?
		    cut(m->subject) : strlen(m->route.key)), m->subject ?
		    m->subject : m->route.key);
		ev.text = why.s;
		ev.verb = TKT_CLOSED_EV;
		tkt_ticket_add(t, &ev);
	} else if (st->dir == TKT_CLOSED && !m->quiet &&
	    !m->route.recovery) {
		ev.verb = TKT_REOPENED;
		tkt_ticket_add(t, &ev);
	} else if (st->waiting && !m->quiet) {
		ev.verb = TKT_RESUMED;
		tkt_ticket_add(t, &ev);
	}
	tkt_buf_free(&why);
}

/*
 * Add the mail to the ticket id: 0 when done, 1 when it is a
 * duplicate, 2 when the ticket was closed too long ago to reopen and
 * the mail needs a ticket of its own, 3 when it needs one because the
 * ticket's history is nearly full, -1 on error.
 */
static int
addto(const struct tkt_desk *d, struct tkt_batch *b, const char *id,
    struct mail *m, const char *by, char **out)
{
	struct tkt_ticket t;
	struct tkt_state st;
	int r;

	if (tkt_desk_load(d, id, &t, 1) == -1) {
		tkt_ticket_free(&t);
		return -1;
	}
	tkt_ticket_state(&t, &st);
	r = 0;
	if (seen(&t, m))
		r = 1;
	else if (t.bodyoff > HISTFULL)
		r = 3;
	else if (st.dir == TKT_CLOSED && !m->quiet && !m->route.recovery &&
	    (d->conf.reopen == 0 || (d->conf.reopen > 0 &&
	    tkt_now - st.closed > d->conf.reopen)))
		r = 2;
	else if (tkt_batch_link(b, "msgid", m->name, id) == -1 ||
	    addtext(d, &t, m) == -1)
		r = -1;
	else {
		tkt_clock_catchup(&t, &d->conf, tkt_now);
		react(&t, &st, m, by);
		tkt_batch_then(b);
		r = tkt_batch_save(b, &t);
	}
	if (r == 0 || r == 1)
		*out = tkt_strdup(t.path);
	tkt_ticket_free(&t);
	return r;
}

/* The ticket the mail would make, with its created event. */
static void
newticket(struct tkt_ticket *t, struct mail *m,
    const struct tkt_event *given, const char *by)
{
	struct tkt_buf b = { 0 };
	struct tkt_event ev;

	newtext(&b, m);
	tkt_ticket_parse(t, "new ticket", b.s, b.len, 1);
	mailevent(&ev, TKT_CREATED, m, by);
	ev.client = given->client;
	ev.category = given->category;
	ev.priority = given->priority;
	tkt_ticket_add(t, &ev);
}

/*
 * File the mail as the new ticket t; link and why go in its history.
 * 0 when it will be made, 1 when it is a duplicate, -1 on error.
 */
static int
create(const struct tkt_desk *d, struct tkt_batch *b, struct tkt_ticket *t,
    struct mail *m, const char *link, const char *why, char **out)
{
	struct tkt_event ev;
	int r;

	t->ev[0].key = m->route.key[0] ? tkt_ticket_str(t, m->route.key) :
	    NULL;
	t->ev[0].link = link ? tkt_ticket_str(t, link) : NULL;
	t->ev[0].text = why ? tkt_ticket_str(t, why) : NULL;
	if (m->route.recovery && m->route.key[0]) {
		memset(&ev, 0, sizeof ev);
		ev.t = tkt_now;
		ev.verb = TKT_CLOSED_EV;
		ev.by = t->ev[0].by;
		ev.text = "recovery, but no alert of its key was open";
		tkt_ticket_add(t, &ev);
	}
	if ((r = tkt_desk_pickid(d, t, m->msgid)) == 0 &&
	    (r = links(b, m, t->id, !m->route.recovery)) == 0) {
		tkt_batch_then(b);
		r = tkt_batch_create(b, t);
	}
	if (r == -1)
		return -1;
	*out = tkt_strdup(t->path);
	return r;
}

/* Where the mail belongs, into id: 1, or 0 for a ticket of its own. */
static int
belongs(const struct tkt_desk *d, struct mail *m, char *id,
    struct tkt_buf *why)
{
	if (byrefs(d, m, id))
		return 1;
	if (m->subject != NULL && tkt_mail_thread(m->subject, d->conf.prefix,
	    d->conf.nprefix, id)) {
		if (exists(d, id))
			return 1;
		tkt_buf_fmt(why, "the subject names ticket %s, which is not "
		    "on this desk", id);
	}
	if (m->route.key[0] && bykey(d, m->route.key, id))
		return 1;
	if (!m->route.key[0] && byflood(d, m, id)) {
		flag(m, "flood", 0);
		return 1;
	}
	return 0;
}

/*
 * Record where the mail and its key go, before the ticket is written:
 * an entry whose ticket lacks the mail in its history is no duplicate,
 * so a crash in between loses nothing.
 */
static int
links(struct tkt_batch *b, const struct mail *m, const char *id,
    int haskey)
{
	char name[TKT_IDLEN + 1];

	if (tkt_batch_link(b, "msgid", m->name, id) == -1)
		return -1;
	if (!haskey || m->route.key[0] == '\0')
		return 0;
	tkt_id_hash(name, m->route.key);
	return tkt_batch_link(b, "key", name, id);
}

/* The ticket that already has this very mail, into id. */
static int
duplicate(const struct tkt_desk *d, const struct mail *m, char *id)
{
	struct tkt_ticket t;
	int r;

	if (tkt_desk_linked(d, "msgid", m->name, id) == -1 || !exists(d, id))
		return 0;
	r = tkt_desk_load(d, id, &t, 0) == 0 && seen(&t, m);
	tkt_ticket_free(&t);
	return r;
}

/*
 * Is the mail kept under this mail's name the same message?  Some
 * devices give every mail they send one Message-ID; such a mail is
 * known by its bytes instead.
 */
static void
reused(const struct tkt_desk *d, struct mail *m)
{
	static const char *const same[] = { "From", "Date", "Subject", NULL };
	struct tkt_hdr *h;
	const char *a, *b;
	size_t n, len;
	char *raw;
	int i, differ;

	if (m->msgid == NULL || (raw = tkt_desk_mail(d, m->name, &len)) ==
	    NULL)
		return;
	tkt_mail_headers(raw, len, &h, &n);
	for (differ = 0, i = 0; same[i] != NULL && !differ; i++) {
		a = tkt_mail_get(h, n, same[i]);
		b = get(m, same[i]);
		differ = (a == NULL) != (b == NULL) || (a && strcmp(a, b));
	}
	tkt_mail_headers_free(h, n);
	free(raw);
	if (differ) {
		free(m->msgid);
		m->msgid = NULL;
		naming(m);
	}
}

/* A full ticket's follow-up, and its follow-up, ... into id. */
static void
follow(const struct tkt_desk *d, char *id)
{
	char next[TKT_IDLEN + 1];
	int hops;

	for (hops = 0; hops < 64; hops++) {
		if (tkt_desk_linked(d, "next", id, next) == -1 ||
		    !exists(d, next))
			return;
		memcpy(id, next, sizeof next);
	}
}

/*
 * The full ticket id goes on in ticket next, which is on disk: later
 * mail for it goes there, and it is closed, as nothing more can be
 * recorded in it.
 */
static void
continued(const struct tkt_desk *d, const char *id, const char *next)
{
	struct tkt_buf why = { 0 };
	struct tkt_event ev = { 0 };
	struct tkt_batch *b;
	struct tkt_ticket t;
	struct tkt_state st;

	b = tkt_batch_new(d);
	tkt_batch_link(b, "next", id, next);
	if (tkt_desk_load(d, id, &t, 1) == 0) {
		tkt_ticket_state(&t, &st);
		tkt_buf_fmt(&why, "continued in ticket %s: history full",
		    next);
		ev.t = tkt_now;
		ev.verb = TKT_CLOSED_EV;
		ev.by = "mail";
		ev.link = (char *)next;
		ev.text = why.s;
		if (st.dir != TKT_CLOSED) {
			tkt_clock_catchup(&t, &d->conf, ev.t);
			tkt_ticket_add(&t, &ev);
			tkt_batch_save(b, &t);
		}
	}
	tkt_batch_commit(b, NULL, NULL);
	tkt_batch_free(b);
	tkt_ticket_free(&t);
	tkt_buf_free(&why);
}

/* Keep the mail: 1 when it is new under mail/, 0 when it was there. */
static int
keep(const struct tkt_desk *d, struct tkt_batch *b, const struct mail *m)
{
	char path[4096];
	int was;

	snprintf(path, sizeof path, "%s/mail/%s", d->path, m->name);
	was = access(path, F_OK) == 0;
	if (tkt_batch_keep(b, "mail", m->name, m->raw, m->len) == -1)
		return -1;
	return !was;
}

/* A mail that no ticket refers to after all is not kept. */
static void
unkeep(const struct tkt_desk *d, const struct mail *m)
{
	char path[4096];

	snprintf(path, sizeof path, "%s/mail/%s", d->path, m->name);
	unlink(path);
}

/*
 * File the mail into the batch: 0, 1 for a duplicate, or -1.  *made
 * tells whether that makes the ticket t; full gets the ID of the full
 * ticket that t continues, else "".
 */
static int
file(const struct tkt_desk *d, struct tkt_batch *b, struct tkt_ticket *t,
    struct mail *m, const char *by, char **out, int *made, char *full)
{
	struct tkt_buf why = { 0 };
	char id[TKT_IDLEN + 1];
	int r;

	*full = '\0';
	*made = 1;
	if (!belongs(d, m, id, &why)) {
		r = create(d, b, t, m, NULL, why.len ? why.s : NULL, out);
		if (r == 1)
			tkt_warn("%s: already in ticket %s", m->msgid, *out);
		tkt_buf_free(&why);
		return r;
	}
	follow(d, id);
	r = addto(d, b, id, m, by, out);
	if (r == 1)
		tkt_warn("%s: already in ticket %s", m->msgid ? m->msgid :
		    "this mail", id);
	*made = r == 2 || r == 3;
	if (*made) {
		/* After why the subject's ticket was not used, if it was. */
		if (why.len > 0)
			tkt_buf_str(&why, "; ");
		tkt_buf_fmt(&why, r == 3 ? "follows ticket %s, whose "
		    "history is full" : "follows ticket %s, closed", id);
		if (r == 3)
			memcpy(full, id, sizeof id);
		r = create(d, b, t, m, id, why.s, out);
	}
	tkt_buf_free(&why);
	return r;
}

/*
 * File one mail.  Returns 0 and the path of its ticket in *out, or 0
 * and NULL for a duplicate, or -1 on an error, reported.
 */
int
tkt_intake(struct tkt_desk *d, const char *raw, size_t len,
    const struct tkt_event *given, const char *by, char **out)
{
	struct tkt_batch *b = NULL;
	struct tkt_ticket t;
	struct mail m;
	char id[TKT_IDLEN + 1], full[TKT_IDLEN + 1];
	int r, kept, made;

	*out = NULL;
	readmail(&m, raw, len);
	newticket(&t, &m, given, by);
	if ((r = keyof(d, &m, &t)) == -1)
		goto done;
	tkt_desk_lock(d);
	reused(d, &m);
	if (duplicate(d, &m, id)) {
		tkt_warn("%s: already in ticket %s", m.msgid ? m.msgid :
		    "this mail", id);
		goto done;
	}
	b = tkt_batch_new(d);
	if ((kept = keep(d, b, &m)) == -1 ||
	    (r = file(d, b, &t, &m, by, out, &made, full)) == -1)
		r = -1;
	else if (tkt_batch_commit(b, NULL, NULL) == -1) {
		if (errno == EEXIST)
			tkt_warn("%s: %s", t.path, strerror(errno));
		if (kept == 1)
			unkeep(d, &m);
		r = -1;
	} else if (r == 0 && made) {
		floodnote(d, &m, t.id);
		if (*full != '\0')
			continued(d, full, t.id);
	}
	if (r != 0) {
		free(*out);
		*out = NULL;
	}
done:
	tkt_batch_free(b);
	tkt_ticket_free(&t);
	freemail(&m);
	return r < 0 ? -1 : 0;
}
