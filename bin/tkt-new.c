/*
 * tkt-new: make a ticket in new/ and print its path.
 *
 * From options and a body on standard input; or with -m from a whole
 * mail on standard input, delivered by a mail transport agent, which
 * intake.c files: as a new ticket, or added to the ticket it belongs
 * to, whose path is printed then.  A duplicate prints nothing.  With
 * -m the exit status is what an MTA expects: 0 delivered or duplicate,
 * 75 when the desk cannot be written now, so the MTA tries again.
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

static void
putdecoded(struct tkt_buf *b, const char *name, const char *v)
{
	char *d;

	if (v == NULL)
		return;
	d = tkt_mail_decode(v);
	tkt_mail_puthdr(b, name, d);
	free(d);
}

/* The Date of a ticket made at the shell: now. */
static void
putdate(struct tkt_buf *b)
{
	char date[64];

	tkt_time_mail(tkt_now, date, sizeof date);
	tkt_mail_puthdr(b, "Date", date);
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

/* Sysexits(3) values, which mail transport agents understand. */
#define EX_DATAERR	65
#define EX_CANTCREAT	73
#define EX_TEMPFAIL	75

/* Anything with a header field is taken for a mail. */
static int
ismail(const char *in, size_t len)
{
	if (len == 0) {
		tkt_warn("standard input: empty, not a mail");
		return 0;
	}
	if (tkt_mail_hasfield(in, len))
		return 1;
	tkt_warn("standard input: no header fields, not a mail");
	return 0;
}

/*
 * A mail: every failure from here on is temporary as far as the MTA
 * can tell, a lock held too long included, except a desk that is not
 * there at all or an empty message.
 */
static int
mail(struct opts *o)
{
	struct tkt_desk d;
	const char *env, *by;
	char *in, *path, *end;
	size_t len;
	int r;

	tkt_exitfail = EX_TEMPFAIL;
	tkt_lockwait = 60;
	if ((env = getenv("TKT_LOCKWAIT")) != NULL && *env != '\0') {
		tkt_lockwait = strtol(env, &end, 10);
		if (*env < '0' || *env > '9' || *end != '\0' ||
		    tkt_lockwait > 86400)
			tkt_die(EX_TEMPFAIL, "TKT_LOCKWAIT=%s: not a number of "
			    "seconds from 0 to 86400", env);
	}
	if (tkt_desk_open(&d, o->desk) == -1)
		return o->desk != NULL && access(o->desk, F_OK) == -1 ?
		    EX_CANTCREAT : EX_TEMPFAIL;
	in = tkt_slurp(stdin, &len);
	if (!ismail(in, len)) {
		free(in);
		tkt_desk_close(&d);
		return EX_DATAERR;
	}
	by = o->user ? tkt_user(o->user) : "mail";
	r = tkt_intake(&d, in, len, &o->ev, by, &path);
	if (r == 0 && path != NULL)
		puts(path);
	free(path);
	free(in);
	tkt_desk_close(&d);
	return tkt_finish(r == -1) ? EX_TEMPFAIL : 0;
}

int
main(int argc, char *argv[])
{
	struct tkt_buf text = { 0 };
	struct tkt_ticket t;
	struct tkt_desk d;
	struct opts o = { 0 };
	char *in;
	size_t len;
	int r;

	tkt_init(&argc, argv);
	parseopts(argc, argv, &o);
	if (o.mail)
		return mail(&o);
	if (tkt_desk_open(&d, o.desk) == -1)
		return 1;
	in = tkt_slurp(stdin, &len);
	fromopts(&text, &o, in, len);
	tkt_ticket_parse(&t, "new ticket", text.s, text.len, 1);
	o.ev.t = tkt_now;
	o.ev.verb = TKT_CREATED;
	o.ev.by = (char *)tkt_user(o.user);
	tkt_ticket_add(&t, &o.ev);
	tkt_desk_lock(&d);
	if ((r = tkt_desk_create(&d, &t, NULL)) == 0)
		puts(t.path);
	tkt_ticket_free(&t);
	tkt_buf_free(&o.extra);
	tkt_desk_close(&d);
	return tkt_finish(r == -1);
}
