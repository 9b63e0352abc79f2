/*
 * tkt-new: make a ticket in new/ and print its path.
 *
 * From options and a body on standard input, or with -m from a whole
 * mail on standard input, of which From, Subject, Date and Message-ID
 * are kept (encoded words decoded to UTF-8) along with the body.  The
 * ticket is received now, whatever its Date says.  A mail whose
 * Message-ID is already a ticket here is a duplicate: nothing is
 * written and the exit status is 0, as a mail transport agent expects.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "tkt.h"

static const char synopsis[] = "[-m] [-d dir] [-u user] [-s subject] "
    "[-f from] [-c client] [-C category] [-p priority] "
    "[-H 'Name: value'] ...";

struct opts {
	const char *desk, *user, *subject, *from;
	struct tkt_event ev;
	struct tkt_buf extra;		/* -H headers, one per line */
	int	 mail;
};

static char *
slurp(FILE *fp, size_t *lenp)
{
	struct tkt_buf b = { 0 };
	char chunk[65536];
	size_t n;

	tkt_buf_add(&b, "", 0);
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		tkt_buf_add(&b, chunk, n);
	if (ferror(fp))
		tkt_die(1, "standard input: %s", strerror(errno));
	*lenp = b.len;
	return b.s;
}

/* Mail line ends are CRLF on the wire; tickets use LF. */
static size_t
crlf(char *s, size_t n)
{
	size_t i, o;

	for (i = o = 0; i < n; i++)
		if (!(s[i] == '\r' && i + 1 < n && s[i + 1] == '\n'))
			s[o++] = s[i];
	s[o] = '\0';
	return o;
}

static int
hasbody(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i++)
		if (s[i] == '\n' && s[i + 1] == '\n')
			return 1;
	return n > 0 && s[0] == '\n';
}

/* One header for the ticket: no line ends, valid UTF-8. */
static void
puthdr(struct tkt_buf *b, const char *name, const char *v)
{
	const char *p;

	if (v == NULL)
		return;
	tkt_buf_fmt(b, "%s: ", name);
	for (p = v; *p != '\0'; p++)
		tkt_buf_add(b, *p == '\n' || *p == '\r' ? " " : p, 1);
	tkt_buf_str(b, "\n");
}

static void
putdecoded(struct tkt_buf *b, const char *name, const char *v)
{
	char *d;

	if (v == NULL)
		return;
	d = tkt_mail_decode(v);
	puthdr(b, name, d);
	free(d);
}

/* The Date of a ticket with none of its own: its receipt. */
static void
putdate(struct tkt_buf *b)
{
	char date[64];

	tkt_time_mail(tkt_now, date, sizeof date);
	puthdr(b, "Date", date);
}

/* Headers and body of the ticket made from the mail in buf. */
static int
frommail(struct tkt_buf *out, char *buf, size_t len, char **msgid)
{
	struct tkt_ticket m;
	const char *v;
	char *p;

	len = crlf(buf, len);
	if (len > 5 && strncmp(buf, "From ", 5) == 0 &&
	    (p = memchr(buf, '\n', len)) != NULL) {
		/* An mbox envelope line some delivery agents put first. */
		len -= p + 1 - buf;
		memmove(buf, p + 1, len + 1);
	}
	if (!hasbody(buf, len)) {
		buf = tkt_realloc(buf, len + 3);
		if (len > 0 && buf[len - 1] != '\n')
			buf[len++] = '\n';
		buf[len++] = '\n';
		buf[len] = '\0';
	}
	if (tkt_ticket_parse(&m, "standard input", buf, len, 1) == -1) {
		tkt_ticket_free(&m);
		return -1;
	}
	putdecoded(out, "From", tkt_ticket_get(&m, "From"));
	putdecoded(out, "Subject", tkt_ticket_get(&m, "Subject"));
	if ((v = tkt_ticket_get(&m, "Date")) != NULL)
		puthdr(out, "Date", v);
	else
		putdate(out);
	if ((v = tkt_ticket_get(&m, "Message-ID")) != NULL) {
		*msgid = tkt_strndup(v, strcspn(v, " \t\r"));
		puthdr(out, "Message-ID", *msgid);
	}
	tkt_buf_str(out, "\n");
	tkt_buf_add(out, m.buf + m.bodyoff, m.len - m.bodyoff);
	tkt_ticket_free(&m);
	return 0;
}

/* Who a ticket made at the shell is from: user@host. */
static void
putfrom(struct tkt_buf *b, const char *user)
{
	struct tkt_buf addr = { 0 };
	char host[256];

	if (gethostname(host, sizeof host) == -1)
		strcpy(host, "localhost");
	host[sizeof host - 1] = '\0';
	tkt_buf_fmt(&addr, "%s@%s", user, host);
	putdecoded(b, "From", addr.s);
	tkt_buf_free(&addr);
}

static void
fromopts(struct tkt_buf *out, struct opts *o, char *body, size_t len)
{
	if (o->from != NULL)
		putdecoded(out, "From", o->from);
	else
		putfrom(out, tkt_user(o->user));
	putdecoded(out, "Subject", o->subject ? o->subject : "(no subject)");
	putdate(out);
	if (o->extra.len > 0)
		tkt_buf_add(out, o->extra.s, o->extra.len);
	tkt_buf_str(out, "\n");
	tkt_buf_add(out, body, len);
	free(body);
}

static void
addextra(struct opts *o, const char *h)
{
	const char *colon;

	colon = strchr(h, ':');
	if (colon == NULL || colon == h || strcspn(h, " \t\n") <
	    (size_t)(colon - h) || strpbrk(h, "\r\n") != NULL)
		tkt_die(2, "-H %s: not a header (Name: value)", h);
	if (strncasecmp(h, "Tkt-", 4) == 0)
		tkt_die(2, "-H %s: Tkt- headers are tkt's own", h);
	if (strncasecmp(h, "From:", 5) == 0 ||
	    strncasecmp(h, "Subject:", 8) == 0 ||
	    strncasecmp(h, "Date:", 5) == 0)
		tkt_die(2, "-H %s: use -f or -s; the Date is the receipt", h);
	tkt_buf_fmt(&o->extra, "%s\n", h);
}

static void
parseopts(int argc, char **argv, struct opts *o)
{
	int c;

	while ((c = getopt(argc, argv, "mC:c:d:f:H:p:s:u:")) != -1) {
		switch (c) {
		case 'm': o->mail = 1; break;
		case 'C': o->ev.category = optarg; break;
		case 'c': o->ev.client = optarg; break;
		case 'd': o->desk = optarg; break;
		case 'f': o->from = optarg; break;
		case 'H': addextra(o, optarg); break;
		case 'p': o->ev.priority = optarg; break;
		case 's': o->subject = optarg; break;
		case 'u': o->user = optarg; break;
		default: tkt_usage(synopsis);
		}
	}
	if (optind != argc || (o->mail && (o->subject || o->from ||
	    o->extra.len)))
		tkt_usage(synopsis);
}

int
main(int argc, char *argv[])
{
	struct tkt_buf text = { 0 };
	struct tkt_ticket t;
	struct tkt_desk d;
	struct opts o = { 0 };
	char *in, *msgid = NULL;
	size_t len;
	int r;

	tkt_init(&argc, argv);
	parseopts(argc, argv, &o);
	if (tkt_desk_open(&d, o.desk) == -1)
		return 1;
	in = slurp(stdin, &len);
	if (o.mail && frommail(&text, in, len, &msgid) == -1) {
		tkt_buf_free(&text);
		tkt_desk_close(&d);
		return 1;
	}
	if (!o.mail)
		fromopts(&text, &o, in, len);
	tkt_ticket_parse(&t, "new ticket", text.s, text.len, 1);
	o.ev.t = tkt_now;
	o.ev.verb = TKT_CREATED;
	o.ev.by = (char *)(o.mail && o.user == NULL ? "mail" :
	    tkt_user(o.user));
	tkt_ticket_add(&t, &o.ev);
	tkt_desk_lock(&d);
	if ((r = tkt_desk_create(&d, &t, msgid)) == 1)
		tkt_warn("%s: already ticket %s", msgid, t.path);
	else if (r == 0)
		puts(t.path);
	free(msgid);
	tkt_ticket_free(&t);
	tkt_buf_free(&o.extra);
	tkt_desk_close(&d);
	return tkt_finish(r == -1);
}
