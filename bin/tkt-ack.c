/*
 * tkt-ack: write the acknowledgement of a ticket made from a mail, one
 * message on standard output for a mail transport agent to send
 * (sendmail -t reads its recipient from the To header).  It sends
 * nothing itself and never writes the desk.
 *
 * Robots are never answered (RFC 3834, section 2): a ticket whose mail
 * was flagged automatic, bulk or a bounce, an alert, and mail from a
 * robot's address or from the desk's own.  Nor is a ticket that mail
 * was added to since it was made, so that a delivery pipeline that acks
 * whatever tkt-new -m filed answers a new request once, and neither
 * every reply to it nor a responder that ignores Auto-Submitted.
 *
 * Everything that goes into a header is checked or encoded here, since
 * sendmail -t would take a smuggled To, Cc or Bcc line as a recipient.
 */

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "tkt.h"

#define SYNOPSIS "-f from [-d dir] [-t template] [--now time] ticket"
#define LINEMAX	998		/* bytes in a mail line (RFC 5322) */
#define FOLDAT	78		/* where header lines are folded */
#define EWMAX	75		/* an encoded word (RFC 2047) */
#define EWLINE	76		/* a line with encoded words */

struct ack {
	const char *from;		/* -f, as given */
	char	*addr;			/* its address, lower case */
	const char *tfile;		/* -t */
	struct tkt_buf tmpl;		/* its text, LF line ends */
};

/* Robots' local parts; see robot(). */
static const char *const robots[] = {
	"mailer-daemon", "postmaster", "noreply", "no-reply", "donotreply",
	"do-not-reply", NULL
};

/* The flags of tkt(5) that mark a mail a robot wrote. */
static const char *const robotflags[] = {
	"auto", "autoreply", "bulk", "bounce", NULL
};

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Are s[0..n) dot-atom text: no empty label, every byte in ok? */
static int
dotatom(const char *s, size_t n, const char *ok)
{
	size_t i;

	if (n == 0 || s[0] == '.' || s[n - 1] == '.')
		return 0;
	for (i = 0; i < n; i++)
		if ((s[i] == '.' && s[i + 1] == '.') || (s[i] != '.' &&
		    !isalnum((unsigned char)s[i]) && strchr(ok, s[i]) == NULL))
			return 0;
	return 1;
}

/*
 * One plain ASCII local@domain, which a To header can carry alone:
 * nothing that could name a second recipient or end the line.
 */
static int
isaddr(const char *a)
{
	const char *at;

	if ((at = strrchr(a, '@')) == NULL)
		return 0;
	return dotatom(a, at - a, "!#$%&'*+-/=?^_`{|}~") &&
	    dotatom(at + 1, strlen(at + 1), "-");
}

/* Is the local part, lower case, a robot's, bare or with a suffix? */
static int
robot(const char *addr)
{
	size_t i, n, local;

	local = strrchr(addr, '@') - addr;
	for (i = 0; robots[i] != NULL; i++) {
		n = strlen(robots[i]);
		if (local >= n && strncmp(addr, robots[i], n) == 0 &&
		    (local == n || strchr("+-._", addr[n]) != NULL))
			return 1;
	}
	return 0;
}

/* A flag of the list that marks a robot, or NULL. */
static const char *
robotflag(const char *list)
{
	size_t i, n;
	const char *p;

	for (p = list; p != NULL && *p != '\0'; p += n + (p[n] == ',')) {
		n = strcspn(p, ",");
		for (i = 0; robotflags[i] != NULL; i++)
			if (strlen(robotflags[i]) == n &&
			    strncmp(p, robotflags[i], n) == 0)
				return robotflags[i];
	}
	return NULL;
}

/* The address as From spells it, whose lower case form is addr. */
static char *
ascased(const char *from, const char *addr)
{
	size_t n;

	for (n = strlen(addr); *from != '\0'; from++)
		if (strncasecmp(from, addr, n) == 0)
			return tkt_strndup(from, n);
	return tkt_strdup(addr);
}

/* Bytes in the UTF-8 character that begins with c, known valid. */
static size_t
u8len(unsigned char c)
{
	return c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

static int
isascii7(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

static void
base64(struct tkt_buf *b, const unsigned char *s, size_t n)
{
	unsigned long v;
	char out[4];
	size_t i;

	for (i = 0; i < n; i += 3) {
		v = (unsigned long)s[i] << 16;
		if (i + 1 < n)
			v |= (unsigned long)s[i + 1] << 8;
		if (i + 2 < n)
			v |= s[i + 2];
		out[0] = b64[v >> 18 & 63];
		out[1] = b64[v >> 12 & 63];
		out[2] = i + 1 < n ? b64[v >> 6 & 63] : '=';
		out[3] = i + 2 < n ? b64[v & 63] : '=';
		tkt_buf_add(b, out, 4);
	}
}

/*
 * Valid UTF-8 text as B encoded words, the first at column col: each
 * word at most EWMAX long and its line at most EWLINE, a word holding
 * whole characters only, so that each decodes alone.  Returns the
 * column after the last word.
 */
static size_t
encwords(struct tkt_buf *b, const char *s, size_t col)
{
	size_t n, k, room;

	while (*s != '\0') {
		room = EWLINE - col < EWMAX ? EWLINE - col : EWMAX;
		room = (room - 12) / 4 * 3;	/* "=?UTF-8?B?" "?=" */
		for (n = 0; s[n] != '\0' &&
		    n + (k = u8len((unsigned char)s[n])) <= room; n += k)
			;
		tkt_buf_str(b, "=?UTF-8?B?");
		base64(b, (const unsigned char *)s, n);
		tkt_buf_str(b, "?=");
		col += 12 + (n + 2) / 3 * 4;
		if (*(s += n) != '\0') {
			tkt_buf_str(b, "\n ");
			col = 1;
		}
	}
	return col;
}

/* The longest run of blanks and the word after them. */
static size_t
longest(const char *s)
{
	size_t n, max;

	for (max = 0; *s != '\0'; s += n) {
		n = strspn(s, " \t");
		n += strcspn(s + n, " \t");
		if (n > max)
			max = n;
	}
	return max;
}

/* ASCII text, folded before a blank where a line would pass FOLDAT. */
static void
fold(struct tkt_buf *b, const char *s, size_t col)
{
	size_t n, blank;

	for (; *s != '\0'; s += n, col += n) {
		blank = strspn(s, " \t");
		n = blank + strcspn(s + blank, " \t");
		if (blank > 0 && n > blank && col + n > FOLDAT) {
			tkt_buf_str(b, "\n");
			col = 0;
		}
		tkt_buf_add(b, s, n);
	}
}

/*
 * Subject: "Re: [ID] " and the ticket's, [ID] only once; encoded when
 * not ASCII, or when it looks encoded already or cannot be folded.
 */
static void
putsubject(struct tkt_buf *b, const char *id, const char *subj)
{
	struct tkt_buf s = { 0 };
	char tag[TKT_IDLEN + 3];

	snprintf(tag, sizeof tag, "[%s]", id);
	tkt_buf_str(&s, "Re: ");
	if (!tkt_contains(subj, tag))
		tkt_buf_fmt(&s, "%s ", tag);
	tkt_buf_str(&s, subj);
	tkt_buf_str(b, "Subject: ");
	if (isascii7(s.s) && strstr(s.s, "=?") == NULL &&
	    longest(s.s) < LINEMAX - 10)
		fold(b, s.s, 9);
	else
		encwords(b, s.s, 9);
	tkt_buf_str(b, "\n");
	tkt_buf_free(&s);
}

/* From: -f as given, or with a name in UTF-8 encoded. */
static void
putfrom(struct tkt_buf *b, const char *from)
{
	const char *lt, *name;
	size_t n, col;
	char *q;

	if (isascii7(from)) {
		tkt_buf_fmt(b, "From: %s\n", from);
		return;
	}
	lt = strrchr(from, '<');
	name = from + strspn(from, " \t");
	for (n = lt - name; n > 0 && strchr(" \t", name[n - 1]); n--)
		;
	if (n >= 2 && name[0] == '"' && name[n - 1] == '"')
		q = tkt_strndup(name + 1, n - 2);
	else
		q = tkt_strndup(name, n);
	tkt_buf_str(b, "From: ");
	col = encwords(b, q, 6);
	n = strlen(lt);
	tkt_buf_str(b, col + 1 + n > FOLDAT ? "\n " : " ");
	tkt_buf_fmt(b, "%s\n", lt);
	free(q);
}

/* The ticket's Message-ID, if it is one that a header can carry. */
static char *
msgid(const struct tkt_ticket *t)
{
	const char *v;
	unsigned char c;
	char *id;
	size_t i;

	if ((v = tkt_ticket_get(t, "Message-ID")) == NULL ||
	    (id = tkt_mail_msgid(&v)) == NULL)
		return NULL;
	for (i = 0; (c = (unsigned char)id[i]) != '\0'; i++)
		if (c <= ' ' || c >= 0x7f)
			break;
	if (id[i] == '\0' && i < LINEMAX - 20 &&
	    strchr(id + 1, '<') == NULL)
		return id;
	free(id);
	return NULL;
}

static void
headers(struct tkt_buf *b, const struct ack *a, const struct tkt_ticket *t,
    const char *to, const char *subj)
{
	char date[64], *ref;

	putfrom(b, a->from);
	tkt_buf_fmt(b, "To: %s\n", to);
	putsubject(b, t->id, subj);
	tkt_time_mail(tkt_now, date, sizeof date);
	tkt_buf_fmt(b, "Date: %s\n", date);
	tkt_buf_fmt(b, "Message-ID: <%s.ack.%lld@%s>\n", t->id,
	    (long long)tkt_now, strrchr(a->addr, '@') + 1);
	if ((ref = msgid(t)) != NULL)
		tkt_buf_fmt(b, "In-Reply-To: %s\nReferences: %s\n", ref, ref);
	free(ref);
	tkt_buf_str(b, "Auto-Submitted: auto-replied\n"
	    "X-Auto-Response-Suppress: All\n"
	    "MIME-Version: 1.0\n"
	    "Content-Type: text/plain; charset=utf-8\n"
	    "Content-Transfer-Encoding: 8bit\n"
	    "\n");
}

/*
 * The template with %i, %s and %% replaced; -1, reported, on any other
 * % sequence.
 */
static int
expand(struct tkt_buf *b, const struct ack *a, const char *id,
    const char *subj)
{
	const char *s, *end, *p;
	int line;

	s = a->tmpl.s;
	end = s + a->tmpl.len;
	for (line = 1, p = s; p < end; p++) {
		if (*p == '\n')
			line++;
		if (*p != '%')
			continue;
		tkt_buf_add(b, s, p - s);
		s = p + 2;
		if (p[1] == 'i')
			tkt_buf_str(b, id);
		else if (p[1] == 's')
			tkt_buf_str(b, subj);
		else if (p[1] == '%')
			tkt_buf_str(b, "%");
		else if (strchr(" \t\n", p[1]) != NULL) {
			tkt_warn("%s: line %d: a lone %%; write %%%% for a "
			    "percent sign", a->tfile, line);
			return -1;
		} else {
			tkt_warn("%s: line %d: unknown %%%.*s", a->tfile, line,
			    (int)u8len((unsigned char)p[1]), p + 1);
			return -1;
		}
		p++;
	}
	tkt_buf_add(b, s, end - s);
	return 0;
}

static void
defaultbody(struct tkt_buf *b, const char *id, const char *subj)
{
	tkt_buf_fmt(b, "Thank you for your message.  We have it as ticket "
	    "[%s]:\n\n    %s\n\n", id, subj);
	tkt_buf_fmt(b, "Please keep [%s] in the subject of anything you send "
	    "about it;\na reply to this message keeps it.\n\n"
	    "This acknowledgement was sent automatically.\n", id);
}

/* The body from off on: lines that mail can carry in 8bit. */
static int
bodyfits(const struct tkt_buf *b, size_t off, const char *id)
{
	const char *s, *nl, *end;
	int line;

	end = b->s + b->len;
	for (line = 1, s = b->s + off; s < end; s = nl + 1, line++) {
		if ((nl = memchr(s, '\n', end - s)) == NULL)
			nl = end;
		if (nl - s > LINEMAX) {
			tkt_warn("%s: line %d of the body is longer than %d "
			    "bytes", id, line, LINEMAX);
			return 0;
		}
	}
	return 1;
}

/* Why the ticket is not to be answered, or NULL; else to whom, in *to. */
static const char *
refusal(const struct tkt_ticket *t, const struct ack *a, char **to)
{
	static char flagged[64];
	const char *from, *why;
	char *addr;
	size_t i;

	*to = NULL;
	if (t->nev == 0 || t->ev[0].msg == NULL)
		return "not made from a mail";
	if ((why = robotflag(t->ev[0].flag)) != NULL) {
		snprintf(flagged, sizeof flagged, "its mail is flagged %s: "
		    "a robot's", why);
		return flagged;
	}
	if (t->ev[0].key != NULL)
		return "an alert (it has a key), which a machine sent";
	for (i = 1; i < t->nev; i++)
		if (t->ev[i].msg != NULL)
			return "mail was added to it since it was made; "
			    "only a new ticket is acknowledged";
	if ((from = tkt_ticket_get(t, "From")) == NULL)
		return "no From to answer";
	/* Two '@' may be two senders: answer neither. */
	if (strchr(from, '@') != strrchr(from, '@'))
		return "more than one address in its From";
	addr = tkt_mail_addr(from);
	if (!isaddr(addr))
		why = "no plain address in its From to answer";
	else if (strcmp(addr, a->addr) == 0)
		why = "from the desk's own address (a loop)";
	else if (robot(addr))
		why = "from a robot's address";
	else {
		why = NULL;
		*to = ascased(from, addr);
	}
	free(addr);
	return why;
}

/* The ticket's subject as one line: control bytes become blanks. */
static char *
subject(const struct tkt_ticket *t)
{
	const char *v;
	char *s, *p;

	v = tkt_ticket_get(t, "Subject");
	s = tkt_strdup(v != NULL && *v != '\0' ? v : "(no subject)");
	for (p = s; *p != '\0'; p++)
		if ((unsigned char)*p < ' ' || *p == 0x7f)
			*p = ' ';
	return s;
}

/* Write the acknowledgement of the ticket op, or say why not. */
static int
ack(const struct tkt_desk *d, const char *op, const struct ack *a)
{
	struct tkt_buf msg = { 0 };
	struct tkt_ticket t;
	const char *why;
	char *to, *subj;
	size_t off;
	int r;

	to = subj = NULL;
	r = 1;
	if (tkt_desk_load(d, op, &t, 0) == -1)
		goto done;
	subj = subject(&t);
	if ((why = refusal(&t, a, &to)) == NULL &&
	    !tkt_utf8_valid(subj, strlen(subj)))
		why = "its Subject is not valid UTF-8";
	if (why != NULL) {
		tkt_warn("%s: %s", t.id, why);
		goto done;
	}
	headers(&msg, a, &t, to, subj);
	off = msg.len;
	if (a->tfile == NULL)
		defaultbody(&msg, t.id, subj);
	else if (expand(&msg, a, t.id, subj) == -1)
		goto done;
	if (bodyfits(&msg, off, t.id)) {
		fwrite(msg.s, 1, msg.len, stdout);
		r = 0;
	}
done:
	tkt_buf_free(&msg);
	tkt_ticket_free(&t);
	free(to);
	free(subj);
	return r;
}

/* Check -f: an address, no line ends, UTF-8 only in a name. */
static void
setfrom(struct ack *a)
{
	const char *p, *lt, *gt;

	for (p = a->from; *p != '\0'; p++)
		if ((unsigned char)*p < ' ' || *p == 0x7f)
			tkt_die(2, "-f: a control character or line end in "
			    "the address");
	a->addr = tkt_mail_addr(a->from);
	if (!isaddr(a->addr))
		tkt_die(2, "-f %s: no plain address (local@domain) in it",
		    a->from);
	if (isascii7(a->from))
		return;
	if (!tkt_utf8_valid(a->from, strlen(a->from)))
		tkt_die(2, "-f %s: not valid UTF-8", a->from);
	/* Then the name before the <address> is what is not ASCII. */
	lt = strrchr(a->from, '<');
	gt = lt != NULL ? strchr(lt, '>') : NULL;
	if (gt == NULL || !isascii7(lt) || gt[1 + strspn(gt + 1, " \t")] !=
	    '\0')
		tkt_die(2, "-f %s: a name in UTF-8 needs the form "
		    "'Name <address>'", a->from);
}

/* The template's lines, LF or CR LF, with LF: UTF-8 text, no NUL. */
static int
addlines(struct ack *a, const char *text, size_t len)
{
	const char *s, *nl, *end;
	size_t n;
	int line;

	end = text + len;
	for (line = 1, s = text; s < end; s = nl + 1, line++) {
		if ((nl = memchr(s, '\n', end - s)) == NULL)
			nl = end;
		n = nl - s - (nl > s && nl[-1] == '\r');
		if (memchr(s, '\0', n) != NULL || memchr(s, '\r', n) != NULL ||
		    !tkt_utf8_valid(s, n)) {
			tkt_warn("%s: line %d: not UTF-8 text (a NUL, a lone "
			    "carriage return or a bad byte)", a->tfile, line);
			return -1;
		}
		tkt_buf_add(&a->tmpl, s, n);
		tkt_buf_str(&a->tmpl, "\n");
	}
	tkt_buf_add(&a->tmpl, "", 0);
	return 0;
}

/* Read -t, and check it before the desk is opened. */
static int
loadtemplate(struct ack *a)
{
	struct tkt_buf scratch = { 0 };
	size_t len;
	char *text;
	FILE *fp;
	int r;

	if ((fp = fopen(a->tfile, "r")) == NULL) {
		tkt_warn("%s: %s", a->tfile, strerror(errno));
		return -1;
	}
	text = tkt_slurp(fp, &len);
	fclose(fp);
	if ((r = addlines(a, text, len)) == 0)
		r = expand(&scratch, a, "", "");
	tkt_buf_free(&scratch);
	free(text);
	return r;
}

int
main(int argc, char *argv[])
{
	struct tkt_desk d;
	struct ack a = { 0 };
	const char *dflag = NULL;
	int c, r;

	tkt_init(&argc, argv);
	while ((c = getopt(argc, argv, "d:f:t:")) != -1)
		switch (c) {
		case 'd':
			dflag = optarg;
			break;
		case 'f':
			a.from = optarg;
			break;
		case 't':
			a.tfile = optarg;
			break;
		default:
			tkt_usage(SYNOPSIS);
		}
	if (a.from == NULL || optind != argc - 1)
		tkt_usage(SYNOPSIS);
	setfrom(&a);
	r = 1;
	if ((a.tfile == NULL || loadtemplate(&a) == 0) &&
	    tkt_desk_open(&d, dflag) == 0) {
		r = ack(&d, argv[optind], &a);
		tkt_desk_close(&d);
	}
	free(a.addr);
	tkt_buf_free(&a.tmpl);
	return tkt_finish(r);
}
