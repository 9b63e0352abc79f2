/*
 * gen: realistic desks and mail for make bench, written fast.
 *
 *	gen [-s seed] [-t now] desk DIR OPEN CLOSED DUE
 *	gen [-s seed] mail DIR COUNT
 *
 * The first writes OPEN open tickets into DIR/cur/, DUE of them due at
 * now, and CLOSED closed ones into DIR/closed/cur/, each about 1.5 KB
 * with 3 to 10 events, spread over tiers, clients and categories.  DIR
 * must be a desk from tkt-init whose config has the default limits
 * (tier 1 30m, tier 2 1h, tier 3 none, 24x7): every history is played
 * through the tier clock as tkt plays it, so each escalation is there
 * at the instant the sweep would have recorded it, and each file is
 * byte for byte what tkt would write (tkt(5)).  tests/bench/same checks
 * that with tkt's own reader and writer.  Open and closed tickets are
 * numbered apart, so they may be made in two runs into one desk.  The
 * mail kept in DESK/mail/ for tickets made from mail is not written:
 * nothing timed reads it.
 *
 * The second writes COUNT distinct messages into DIR/, one a file, as
 * a mail server would hand them to tkt-new -m: some replies, some
 * multipart with an HTML alternative or an attachment.
 *
 * The same seed gives the same files.  Exit 0, or 1 with a message.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAXEV	12
#define TOP	3
#define NSEND	4000			/* distinct mail senders */
#define BOUNDARY "----=_Part_"		/* of MIME parts, and a number */

enum { CREATED, ROUTED, PLANNED, NOTED, ESCALATED, BREACHED, CLOSED,
	REOPENED, WAITING, RESUMED, MAILED };

static const char *const verbs[] = {
	"created", "routed", "planned", "noted", "escalated", "breached",
	"closed", "reopened", "waiting", "resumed", "mailed"
};

/* The example config's tiers: seconds, -1 for none. */
static const long limit[TOP + 1] = { 0, 1800, 3600, -1 };

struct buf {
	char	*s;
	size_t	 len;
	size_t	 cap;
};

struct ev {
	time_t	 t;
	int	 verb;
	int	 tier;
	char	 by[16];
	char	 client[24];
	char	 category[16];
	char	 priority[4];
	char	 msg[13];
	char	 sent[21];
	char	 text[160];
};

/* A ticket being made, with its tier clock as bin/clock.c keeps it. */
struct tk {
	uint64_t rng;
	struct ev ev[MAXEV];
	int	 nev;
	int	 tier, open, closed, planned, waiting, breached;
	long	 used;
	time_t	 resume;
	time_t	 t;			/* of the last event */
	time_t	 sent;			/* the mail's Date */
	const char *client, *category, *priority;
	/* what the ticket is about */
	int	 mail;
	int	 cat;
	int	 cl;
	char	 id[13];
	char	 who[64];		/* Name <addr> */
	char	 addr[48];
	char	 subject[96];
	struct buf replies;		/* mail appended to the body */
};

static const char *prog = "gen";
static uint64_t seed = 1;

static const char *const users[] = {
	"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi",
	"ivan", "judy", "mallory", "niaj", "olivia", "peggy", "rupert",
	"sybil"
};
#define NUSERS	(sizeof users / sizeof users[0])

static const char *const clients[] = {
	"acme", "northwind", "bakery-smith", "contoso", "fabrikam",
	"initech", "globex", "umbrella", "wayne", "stark", "hooli",
	"vandelay", "soylent", "tyrell", "cyberdyne", "wonka", "oceanic",
	"monarch", "duff", "sirius", "city hall", "pied-piper", "dunder",
	"prestige", "massive", "gekko", "cogswell", "spacely", "krusty",
	"bluth", "sterling", "wernham", "kramerica", "vehement", "nakatomi",
	"weyland", "zorg", "ghostbusters", "oscorp", "lacuna"
};
#define NCLIENTS (sizeof clients / sizeof clients[0])

static const char *const firsts[] = {
	"Anna", "Ben", "Chloe", "Deniz", "Elias", "Fatma", "Georg", "Hanna",
	"Ines", "Jonas", "Karin", "Lukas", "Mia", "Noah", "Olga", "Paul",
	"Rosa", "Sven", "Tanja", "Uwe", "Vera", "Wim", "Yara", "Zoe"
};
static const char *const lasts[] = {
	"Meyer", "Schulz", "Novak", "Rossi", "Dubois", "Jansen", "Berg",
	"Costa", "Lindqvist", "Kowalski", "Horvat", "Murphy", "Silva",
	"Weber", "Haas", "Ortega"
};

/* A category, its rules line, the tier it routes to, its subjects. */
struct cat {
	const char *name;		/* "" for none */
	int	 line;
	int	 tier;
	int	 weight;
	const char *subj[4];		/* one %d each */
};

static const struct cat cats[] = {
	{ "printer", 27, 1, 14, { "Printer on floor %d jams",
	    "Scanner does not send to e-mail since update %d",
	    "Toner empty in room %d", "Paper jam in copier %d again" } },
	{ "mail", 30, 1, 16, { "Outlook asks for the password %d times",
	    "Mailbox full (%d MB)", "Shared calendar %d not syncing",
	    "E-mail to supplier %d bounces" } },
	{ "account", 33, 1, 16, { "Password reset for user %d",
	    "Locked out after %d attempts", "New account for starter %d",
	    "MFA token %d lost" } },
	{ "network", 36, 1, 14, { "VPN drops every %d minutes",
	    "Wi-Fi slow in meeting room %d", "No internet in branch %d",
	    "Network drive %d not mapped" } },
	{ "server", 41, 2, 8, { "Backup job %d failed on the fileserver",
	    "Server disk %d almost full", "VMware host %d not responding",
	    "RAID %d degraded" } },
	{ "firewall", 46, 2, 4, { "Firewall blocks port %d",
	    "FortiGate licence %d expires", "VPN tunnel %d to branch down",
	    "SonicWall rule %d for new supplier" } },
	{ "monitoring", 54, 1, 10, { "Disk space low on srv%02d",
	    "Patch %d failed on workstation", "Antivirus update %d failed",
	    "Service %d restarted by watchdog" } },
	{ "security", 67, 3, 3, { "Phishing mail received, %d users clicked",
	    "Possible malware on laptop %d", "Account %d compromised?",
	    "Ransom note on share %d" } },
	{ "", 0, 1, 15, { "Question about invoice %d",
	    "Laptop %d is slow", "Teams camera %d not working",
	    "Request: second monitor for desk %d" } },
};
#define NCATS	(sizeof cats / sizeof cats[0])

static const char *const plans[] = {
	"replace the fuser unit, part ordered",
	"reset the password and send it by SMS",
	"remote session booked for tomorrow 9:00",
	"restart the print spooler and test from two clients",
	"open a case with the vendor and send the logs",
	"check the DHCP scope and the access point logs",
	"archive mail older than two years",
	"rebuild the user profile on the laptop",
	"extend the volume by 50 GB tonight",
	"update the VPN client to the current release",
	"reinstall the driver from the vendor's site",
	"move the job to the new backup repository"
};
static const char *const notes[] = {
	"called the client, no answer",
	"client sent a screenshot of the error",
	"vendor replied, part arrives on Thursday",
	"same problem reported by a colleague",
	"checked the event logs, nothing obvious",
	"asked for the serial number",
	"remote session done, looks fine for now",
	"related to the change of last weekend?"
};
static const char *const waits[] = {
	"asked the client for the exact error message",
	"waiting for the client to restart the laptop",
	"asked when the office is open for a visit",
	"asked for the licence key"
};
static const char *const resumes[] = {
	"client: done", "client replied with the details",
	"client: any time after 14:00"
};
static const char *const fixes[] = {
	"fuser replaced, test page printed",
	"password reset, user logged in again",
	"VPN client updated, stable since",
	"mailbox archived, 2 GB free",
	"duplicate of an earlier ticket",
	"no reply from the client for a week, closed",
	"fixed by restarting the service",
	"explained the setting to the user",
	"replaced the network cable at the desk",
	"restored the file from last night's backup"
};
static const char *const moves[] = {
	"needs access tier 1 does not have",
	"vendor case, only tier 2 may call them",
	"back to tier 1: standard fix"
};
static const char *const reopens[] = {
	"client: still broken", "happened again this morning",
	"the fix did not last"
};
static const char *const lines[] = {
	"Since this morning it does not work any more.",
	"I already restarted the computer twice, without success.",
	"The error message says that the connection was refused.",
	"Could you please have a look as soon as possible?",
	"My colleagues in the same office have the same problem.",
	"It worked fine until last Friday.",
	"We need this for the month-end closing on Monday.",
	"I attached a screenshot of what I see.",
	"This is quite urgent for our team.",
	"Please call me back at the number below if you need more.",
	"The device shows a blinking orange light.",
	"Nothing was changed on our side as far as I know.",
	"It happens every few minutes, sometimes every hour.",
	"We tried with another user account, same result.",
	"Thank you for your help."
};
#define N(a)	(sizeof (a) / sizeof (a)[0])

static void
die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* splitmix64: small, fast, and good enough for test data. */
static uint64_t
next(uint64_t *s)
{
	uint64_t z;

	z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [lo, hi]. */
static long
rnd(uint64_t *s, long lo, long hi)
{
	return lo + (long)(next(s) % (uint64_t)(hi - lo + 1));
}

static int
chance(uint64_t *s, int percent)
{
	return rnd(s, 0, 99) < percent;
}

static const char *
pick(uint64_t *s, const char *const *v, size_t n)
{
	return v[next(s) % n];
}

static void
grow(struct buf *b, size_t n)
{
	if (b->len + n + 1 <= b->cap)
		return;
	while (b->len + n + 1 > b->cap)
		b->cap = b->cap ? 2 * b->cap : 4096;
	if ((b->s = realloc(b->s, b->cap)) == NULL)
		die("out of memory");
}

static void
add(struct buf *b, const char *s, size_t n)
{
	grow(b, n);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void
str(struct buf *b, const char *s)
{
	add(b, s, strlen(s));
}

static void
fmt(struct buf *b, const char *f, ...)
{
	va_list ap;
	int n;

	va_start(ap, f);
	n = vsnprintf(NULL, 0, f, ap);
	va_end(ap);
	grow(b, (size_t)n);
	va_start(ap, f);
	vsnprintf(b->s + b->len, (size_t)n + 1, f, ap);
	va_end(ap);
	b->len += (size_t)n;
}

static void
rfc3339(time_t t, char out[21])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* An RFC 5322 date, local time at offset minutes east. */
static void
maildate(time_t t, int offset, char *out, size_t n)
{
	static const char *const wd[] = { "Sun", "Mon", "Tue", "Wed", "Thu",
	    "Fri", "Sat" };
	static const char *const mo[] = { "Jan", "Feb", "Mar", "Apr", "May",
	    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm tm;
	time_t l;
	int a;

	l = t + offset * 60;
	gmtime_r(&l, &tm);
	a = offset < 0 ? -offset : offset;
	snprintf(out, n, "%s, %02d %s %04d %02d:%02d:%02d %c%02d%02d",
	    wd[tm.tm_wday], tm.tm_mday, mo[tm.tm_mon], tm.tm_year + 1900,
	    tm.tm_hour, tm.tm_min, tm.tm_sec, offset < 0 ? '-' : '+',
	    a / 60, a % 60);
}

/* 2026-12-04T12:00:00Z, or @seconds */
static time_t
parsetime(const char *s)
{
	int y, m, d, H, M, S;
	long days;

	if (*s == '@')
		return (time_t)strtoll(s + 1, NULL, 10);
	if (sscanf(s, "%d-%d-%dT%d:%d:%dZ", &y, &m, &d, &H, &M, &S) != 6)
		die("%s: not a time like 2026-12-04T12:00:00Z", s);
	/* Days from civil, after H. Hinnant. */
	y -= m <= 2;
	days = (long)(y >= 0 ? y : y - 399) / 400;
	days = days * 146097 + ((long)y - days * 400) * 365 +
	    ((long)y - days * 400) / 4 - ((long)y - days * 400) / 100 +
	    (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1 - 719468;
	return (time_t)(days * 86400 + H * 3600 + M * 60 + S);
}

/* 60 bits as 12 lowercase Crockford base32 characters. */
static void
idfmt(uint64_t v, char out[13])
{
	static const char a32[] = "0123456789abcdefghjkmnpqrstvwxyz";
	int i;

	for (i = 11; i >= 0; i--, v >>= 5)
		out[i] = a32[v & 31];
	out[12] = '\0';
}

/* A hash ID: a bijection of n, so no two tickets share one. */
static uint64_t
hashid(uint64_t n)
{
	const uint64_t mask = (1ULL << 60) - 1;
	uint64_t x;

	x = (n * 0x5851f42d4c957f2dULL + seed * 0x14057b7ef767814fULL) & mask;
	x ^= x >> 29;
	x = (x * 0x2545f4914f6cdd1dULL) & mask;
	return x ^ (x >> 31);
}

/* A time ID: 34 bits of seconds, a node tag, a sequence number. */
static uint64_t
timeid(time_t t, int seq)
{
	return (uint64_t)t << 26 | 4711ULL << 12 | (uint64_t)seq;
}

/* Bytes that tkt(5) writes as %XX in a value. */
static void
pct(struct buf *b, const char *k, const char *v)
{
	unsigned char c;

	if (*v == '\0')
		return;
	fmt(b, " %s=", k);
	for (; (c = (unsigned char)*v) != '\0'; v++)
		if (c <= ' ' || c == 0x7f || c == '%' || c == '=')
			fmt(b, "%%%02X", c);
		else
			add(b, v, 1);
}

static void
evline(struct buf *b, const struct ev *e)
{
	char ts[21];

	rfc3339(e->t, ts);
	fmt(b, "%s %s", ts, verbs[e->verb]);
	pct(b, "by", e->by);
	if (e->tier > 0)
		fmt(b, " tier=%d", e->tier);
	pct(b, "client", e->client);
	pct(b, "category", e->category);
	pct(b, "priority", e->priority);
	pct(b, "msg", e->msg);
	pct(b, "sent", e->sent);
	if (e->text[0] != '\0')
		fmt(b, " -- %s", e->text);
}

/* Tkt-Log: folded before a blank as ticket.c folds, at 78 bytes. */
static void
folded(struct buf *b, const char *v)
{
	const size_t start = sizeof "Tkt-Log: " - 1;
	size_t col, n;
	const char *sp;

	str(b, "Tkt-Log: ");
	col = start;
	while (*v != '\0') {
		sp = strchr(v + 1, ' ');
		n = sp ? (size_t)(sp - v) : strlen(v);
		if (col + n > 78 && col > start && *v == ' ') {
			str(b, "\n");
			col = 0;
		}
		add(b, v, n);
		col += n;
		v += n;
	}
	str(b, "\n");
}

static int
running(const struct tk *k)
{
	return k->resume != 0 && !k->planned && k->open;
}

static void
stopclock(struct tk *k, time_t t)
{
	if (k->resume != 0)
		k->used += (long)(t - k->resume);
	k->resume = 0;
}

static void
visit(struct tk *k, int tier, time_t t)
{
	k->tier = tier;
	k->planned = k->breached = 0;
	k->used = 0;
	k->resume = t;
}

/* What an event does to the clock: bin/clock.c's step(). */
static void
step(struct tk *k, const struct ev *e)
{
	switch (e->verb) {
	case ROUTED:
		if (k->tier == 0) {
			k->open = !k->closed;
			visit(k, e->tier ? e->tier : 1, k->open ? e->t : 0);
		} else if (e->tier != 0 && e->tier != k->tier)
			visit(k, e->tier, k->open && !k->waiting ? e->t : 0);
		break;
	case ESCALATED:
		visit(k, e->tier, k->waiting ? 0 : e->t);
		break;
	case PLANNED:
		stopclock(k, e->t);
		k->planned = 1;
		break;
	case BREACHED:
		k->breached = 1;
		break;
	case CLOSED:
		stopclock(k, e->t);
		k->open = 0;
		k->closed = 1;
		k->waiting = 0;
		break;
	case REOPENED:
		k->closed = 0;
		if (!k->open && k->tier != 0) {
			k->open = 1;
			k->planned = 0;
			k->resume = e->t;
		}
		break;
	case WAITING:
		if (k->open && k->tier != 0) {
			stopclock(k, e->t);
			k->waiting = 1;
		}
		break;
	case RESUMED:
		if (k->waiting && !k->planned)
			k->resume = e->t;
		k->waiting = 0;
		break;
	}
}

/* The deadline of the running visit, or 0. */
static time_t
deadline(const struct tk *k)
{
	long l = limit[k->tier];

	if (!running(k) || l < 0 || k->breached)
		return 0;
	return k->used >= l ? k->resume : k->resume + l - k->used;
}


static struct ev *
push(struct tk *k, time_t t, int verb, const char *by)
{
	struct ev *e;

	if (k->nev == MAXEV)
		return NULL;
	e = &k->ev[k->nev++];
	memset(e, 0, sizeof *e);
	e->t = t;
	e->verb = verb;
	snprintf(e->by, sizeof e->by, "%s", by);
	return e;
}

/* As tkt_dur_fmt writes the limits of the example config. */
static void
durfmt(long secs, char *out, size_t n)
{
	if (secs % 3600 == 0)
		snprintf(out, n, "%ldh", secs / 3600);
	else
		snprintf(out, n, "%ldm", secs / 60);
}

/* Every escalation that fell due at or before t, at its instant. */
static void
catchup(struct tk *k, time_t t)
{
	struct ev *e;
	time_t d;
	char lim[32];

	while ((d = deadline(k)) != 0 && d <= t) {
		e = push(k, d, k->tier < TOP ? ESCALATED : BREACHED, "clock");
		if (e == NULL)
			return;
		e->tier = k->tier < TOP ? k->tier + 1 : k->tier;
		durfmt(limit[k->tier], lim, sizeof lim);
		snprintf(e->text, sizeof e->text,
		    "tier %d limit %s reached without a plan", k->tier, lim);
		step(k, e);
		k->t = d;
	}
}

/*
 * An event at t, after what fell due before it, as every tkt command
 * records one; NULL when the ticket is full.  The caller fills in its
 * keys and ends it.
 */
static struct ev *
begin(struct tk *k, time_t t, int verb, const char *by)
{
	catchup(k, t);
	return push(k, t < k->t ? k->t : t, verb, by);
}

static void
end(struct tk *k, struct ev *e)
{
	step(k, e);
	k->t = e->t;
}

static struct ev *
record(struct tk *k, time_t t, int verb, const char *by, const char *text)
{
	struct ev *e;

	if ((e = begin(k, t, verb, by)) == NULL)
		return NULL;
	if (text != NULL)
		snprintf(e->text, sizeof e->text, "%s", text);
	end(k, e);
	return e;
}

static const char *
user(struct tk *k)
{
	return pick(&k->rng, users, NUSERS);
}

static int
pickcat(uint64_t *s)
{
	long w = 0, r;
	size_t i;

	for (i = 0; i < NCATS; i++)
		w += cats[i].weight;
	r = rnd(s, 0, w - 1);
	for (i = 0; r >= cats[i].weight; i++)
		r -= cats[i].weight;
	return (int)i;
}

/* Sender number s: a person at one of the clients. */
static void
sender(int s, char *who, size_t wn, char *addr, size_t an)
{
	const char *f = firsts[s % N(firsts)];
	const char *l = lasts[s / N(firsts) % N(lasts)];
	char dom[32], *p;

	snprintf(dom, sizeof dom, "%s", clients[s % NCLIENTS]);
	for (p = dom; *p != '\0'; p++)
		if (*p == ' ')
			*p = '-';
	snprintf(addr, an, "%c.%s%d@%s.example", f[0] | 0x20, l, s % 97,
	    dom);
	for (p = addr; *p != '@'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p |= 0x20;
	snprintf(who, wn, "%s %s <%s>", f, l, addr);
}

static void
subject(uint64_t *r, int cat, char *out, size_t n)
{
	snprintf(out, n, cats[cat].subj[rnd(r, 0, 3)], (int)rnd(r, 2, 99));
}

static void
about(struct tk *k)
{
	int s;

	k->cat = pickcat(&k->rng);
	s = (int)rnd(&k->rng, 0, NSEND - 1);
	k->cl = s % (int)NCLIENTS;
	sender(s, k->who, sizeof k->who, k->addr, sizeof k->addr);
	subject(&k->rng, k->cat, k->subject, sizeof k->subject);
	k->mail = chance(&k->rng, 80);
}

static void
created(struct tk *k, time_t t)
{
	struct ev *e;

	if (k->mail) {
		e = begin(k, t, CREATED, "mail");
		snprintf(e->msg, sizeof e->msg, "%s", k->id);
		k->sent = t - rnd(&k->rng, 1, 90);
		rfc3339(k->sent, e->sent);
	} else {
		e = begin(k, t, CREATED, user(k));
		snprintf(e->client, sizeof e->client, "%s", clients[k->cl]);
		snprintf(e->priority, sizeof e->priority, "%ld",
		    rnd(&k->rng, 2, 3));
		k->client = clients[k->cl];
		k->priority = e->priority;
	}
	end(k, e);
}

static void
routed(struct tk *k, time_t t)
{
	const struct cat *c = &cats[k->cat];
	struct ev *e;
	char by[16];

	snprintf(by, sizeof by, "rules:%d", c->line ? c->line : 12);
	e = begin(k, t, ROUTED, by);
	e->tier = c->tier;
	snprintf(e->client, sizeof e->client, "%s", clients[k->cl]);
	snprintf(e->category, sizeof e->category, "%s", c->name);
	if (c->tier == 3 || strstr(k->subject, "down") != NULL)
		snprintf(e->priority, sizeof e->priority, "1");
	k->client = clients[k->cl];
	if (c->name[0] != '\0')
		k->category = c->name;
	if (e->priority[0] != '\0')
		k->priority = e->priority;
	end(k, e);
}

/* A reply from the client: the mail, and what it sets off. */
static void
mailed(struct tk *k, time_t t)
{
	struct ev *e;
	char why[80];
	int wasclosed, waswaiting;

	if ((e = begin(k, t, MAILED, "mail")) == NULL)
		return;
	wasclosed = k->closed;
	waswaiting = k->waiting;
	idfmt(hashid(next(&k->rng) >> 4), e->msg);
	rfc3339(e->t - rnd(&k->rng, 1, 90), e->sent);
	snprintf(e->text, sizeof e->text, "Re: %s", k->subject);
	end(k, e);
	fmt(&k->replies, "\n--- mail %s from %s\nSubject: Re: %s\n\n%s\n%s\n",
	    e->sent, k->who, k->subject, pick(&k->rng, lines, N(lines)),
	    pick(&k->rng, lines, N(lines)));
	snprintf(why, sizeof why, "mail from %s", k->addr);
	if (wasclosed)
		record(k, e->t, REOPENED, "mail", why);
	else if (waswaiting)
		record(k, e->t, RESUMED, "mail", why);
}

/* Moved by hand to another tier that has a limit. */
static void
moveto(struct tk *k, time_t t)
{
	struct ev *e;

	if ((e = begin(k, t, ROUTED, user(k))) == NULL)
		return;
	e->tier = k->tier == 1 ? 2 : 1;
	snprintf(e->text, sizeof e->text, "%s",
	    moves[e->tier == 1 ? 2 : rnd(&k->rng, 0, 1)]);
	end(k, e);
}

/* One event of the ticket's working life, chosen by its state. */
static void
middle(struct tk *k, time_t t)
{
	uint64_t *r = &k->rng;
	long p = rnd(r, 0, 99);

	if (k->waiting && p < 50)
		mailed(k, t);
	else if (k->waiting)
		record(k, t, RESUMED, user(k), pick(r, resumes, N(resumes)));
	else if (!k->planned && p < 45)
		record(k, t, PLANNED, user(k), pick(r, plans, N(plans)));
	else if (p < 65)
		record(k, t, NOTED, user(k), pick(r, notes, N(notes)));
	else if (p < 78)
		record(k, t, WAITING, user(k), pick(r, waits, N(waits)));
	else if (p < 90)
		mailed(k, t);
	else if (p < 95)
		moveto(k, t);
	else {
		record(k, t, CLOSED, user(k), pick(r, fixes, N(fixes)));
		record(k, t + rnd(r, 600, 86400), REOPENED, user(k),
		    pick(r, reopens, N(reopens)));
	}
}

/*
 * The life of a ticket between its routing and until, want events in
 * all less the last, which the caller adds.  Most visits to a tier get
 * a plan before their limit runs out; the rest are escalated.
 */
static void
life(struct tk *k, int want, time_t until)
{
	time_t d;
	long room;

	while (k->nev < want - 1) {
		d = deadline(k);
		if (d > k->t + 60 && d < until && chance(&k->rng, 75)) {
			room = (long)(d - k->t) - 1;
			record(k, k->t + rnd(&k->rng, 30, room), PLANNED,
			    user(k), pick(&k->rng, plans, N(plans)));
			continue;
		}
		room = (long)(until - k->t) / (want - k->nev);
		if (room < 60)
			break;
		middle(k, k->t + rnd(&k->rng, 60, room));
	}
}

/* A ticket whose clock does not run out before now. */
static void
calm(struct tk *k)
{
	uint64_t *r = &k->rng;
	time_t t = k->t + rnd(r, 60, 1200);

	if (running(k) && limit[k->tier] >= 0 && chance(r, 70))
		record(k, t, PLANNED, user(k), pick(r, plans, N(plans)));
	else if (running(k) && limit[k->tier] >= 0)
		record(k, t, WAITING, user(k), pick(r, waits, N(waits)));
	else
		record(k, t, NOTED, user(k), pick(r, notes, N(notes)));
}

/* A ticket whose clock runs out before now: work resumed, no plan. */
static void
overdue(struct tk *k, time_t now)
{
	uint64_t *r = &k->rng;
	time_t t;

	if (running(k) && limit[k->tier] >= 0)
		return;
	t = k->t + rnd(r, 60, 1800);
	if (t > now - 3600)
		t = now - 3600;
	if (k->waiting && !k->planned)
		record(k, t, RESUMED, user(k), pick(r, resumes, N(resumes)));
	else if (k->closed)
		record(k, t, REOPENED, user(k), pick(r, reopens, N(reopens)));
	else {
		if (k->waiting)
			record(k, t, RESUMED, user(k),
			    pick(r, resumes, N(resumes)));
		moveto(k, t);
	}
}

/* Closed: most fixes come before the limit of the tier runs out. */
static void
shut(struct tk *k)
{
	uint64_t *r = &k->rng;
	time_t d = deadline(k);
	long most = 86400;

	if (d > k->t + 60 && chance(r, 80))
		most = (long)(d - k->t) - 1;
	record(k, k->t + rnd(r, 60, most), CLOSED, user(k),
	    pick(r, fixes, N(fixes)));
}

enum kind { SHUT, CALM, OVERDUE, FRESH };

/* The history of one ticket of its kind; -1 when it came out wrong. */
static int
story(struct tk *k, enum kind kind, time_t now)
{
	uint64_t *r = &k->rng;
	int want = (int)rnd(r, 3, 10);
	time_t c;

	if (kind == SHUT)
		c = now - rnd(r, 2 * 86400, 365 * 86400);
	else if (kind == FRESH)
		c = now - rnd(r, 300, 1500);
	else
		c = now - rnd(r, 3 * 3600, 21 * 86400);
	created(k, c);
	routed(k, c + rnd(r, 5, 240));
	if (kind == FRESH)
		record(k, k->t + rnd(r, 5, 200), NOTED, user(k),
		    pick(r, notes, N(notes)));
	else if (kind == SHUT) {
		life(k, want, c + rnd(r, 3600, 10 * 86400));
		shut(k);
	} else {
		life(k, want, now - 3600);
		if (kind == CALM)
			calm(k);
		else
			overdue(k, now);
	}
	if (k->nev < 3 || k->nev > 10 || k->t > now)
		return -1;
	if (kind == SHUT)
		return k->closed ? 0 : -1;
	if (!k->open || k->closed)
		return -1;
	return (kind == OVERDUE) == (deadline(k) != 0 && deadline(k) <= now)
	    ? 0 : -1;
}

/* Greeting, sentences up to about n bytes, a signature. */
static void
text(struct tk *k, struct buf *b, long n)
{
	size_t stop = b->len + (n > 0 ? (size_t)n : 0), col = 0, w;
	const char *s;

	fmt(b, "%s\n\n", chance(&k->rng, 50) ? "Hello," : "Hi team,");
	while (b->len + 60 < stop) {
		s = pick(&k->rng, lines, N(lines));
		w = strlen(s);
		if (col > 0 && col + w + 1 > 72) {
			str(b, "\n");
			col = 0;
		} else if (col > 0) {
			str(b, " ");
			col++;
		}
		str(b, s);
		col += w;
	}
	fmt(b, "%s\nBest regards,\n%.*s\n", col ? "\n" : "",
	    (int)strcspn(k->who, "<") - 1, k->who);
}

static void
summary(const struct tk *k, struct buf *b)
{
	fmt(b, "Tkt-Id: %s\nTkt-State: %s\n", k->id,
	    k->closed ? "closed" : k->tier ? "open" : "new");
	if (k->tier > 0)
		fmt(b, "Tkt-Tier: %d\n", k->tier);
	if (k->client != NULL)
		fmt(b, "Tkt-Client: %s\n", k->client);
	if (k->category != NULL)
		fmt(b, "Tkt-Category: %s\n", k->category);
	if (k->priority != NULL)
		fmt(b, "Tkt-Priority: %s\n", k->priority);
}

/* The whole file, about size bytes. */
static void
render(struct tk *k, struct buf *b, long size)
{
	struct buf line = { 0 };
	char date[40];
	int i;

	b->len = 0;
	fmt(b, "From: %s\n", k->who);
	if (k->mail) {
		str(b, "To: IT Help Desk <help@example.com>\n");
		fmt(b, "Subject: %s\n", k->subject);
		maildate(k->sent, k->cl % 3 ? 60 : 0, date, sizeof date);
		fmt(b, "Date: %s\nMessage-ID: <%lld.%s@mail.example>\n", date,
		    (long long)k->sent, k->id);
	} else {
		fmt(b, "Subject: %s\n", k->subject);
		maildate(k->ev[0].t, 0, date, sizeof date);
		fmt(b, "Date: %s\n", date);
	}
	summary(k, b);
	for (i = 0; i < k->nev; i++) {
		line.len = 0;
		evline(&line, &k->ev[i]);
		folded(b, line.s);
	}
	free(line.s);
	str(b, "\n");
	text(k, b, size - (long)b->len - (long)k->replies.len);
	add(b, k->replies.s ? k->replies.s : "", k->replies.len);
}

/* Write path with O_EXCL; 0, or -1 with errno EEXIST. */
static int
put(const char *path, const struct buf *b)
{
	int fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0666)) == -1) {
		if (errno == EEXIST)
			return -1;
		die("%s: %s", path, strerror(errno));
	}
	if (write(fd, b->s, b->len) != (ssize_t)b->len)
		die("%s: %s", path, strerror(errno));
	if (close(fd) == -1)
		die("%s: %s", path, strerror(errno));
	return 0;
}

/* Ticket number g, of its kind, into dir. */
static void
ticket(const char *dir, uint64_t g, enum kind kind, time_t now,
    struct tk *k, struct buf *b)
{
	char path[4096];
	int tries, seq;

	k->rng = seed ^ (g * 0xd1342543de82ef95ULL);
	for (tries = 0;; tries++) {
		if (tries == 1000)
			die("no history of kind %d for ticket %llu", kind,
			    (unsigned long long)g);
		k->nev = k->tier = k->open = k->closed = k->planned = 0;
		k->waiting = k->breached = 0;
		k->used = 0;
		k->resume = k->t = 0;
		k->client = k->category = k->priority = NULL;
		k->replies.len = 0;
		about(k);
		if (k->mail)
			idfmt(hashid(g), k->id);
		if (story(k, kind, now) == 0)
			break;
	}
	for (seq = (int)(g % 4096);; seq = (seq + 1) % 4096) {
		if (!k->mail)
			idfmt(timeid(k->ev[0].t, seq), k->id);
		render(k, b, rnd(&k->rng, 1200, 1800));
		snprintf(path, sizeof path, "%s/%s", dir, k->id);
		if (put(path, b) == 0)
			return;
		if (k->mail)
			die("%s: hash IDs collide", path);
	}
}

static void
desk(const char *dir, long nopen, long nclosed, long ndue, time_t now)
{
	struct tk *k;
	struct buf b = { 0 };
	char cur[4096], closed[4096];
	enum kind kind;
	long i;

	if ((k = calloc(1, sizeof *k)) == NULL)
		die("out of memory");
	snprintf(cur, sizeof cur, "%s/cur", dir);
	snprintf(closed, sizeof closed, "%s/closed/cur", dir);
	/* Numbered apart, so open and closed can be made in two runs. */
	for (i = 0; i < nclosed; i++)
		ticket(closed, (uint64_t)i, SHUT, now, k, &b);
	for (i = 0; i < nopen; i++) {
		/* ndue of them, evenly spread; 3 in 100 of the rest new */
		if (i * ndue / nopen != (i + 1) * ndue / nopen)
			kind = OVERDUE;
		else
			kind = i % 100 < 3 ? FRESH : CALM;
		ticket(cur, (1ULL << 32) + (uint64_t)i, kind, now, k, &b);
	}
	free(b.s);
	free(k->replies.s);
	free(k);
}

/* What message i is about: its sender, category and subject. */
static void
topic(long i, int *s, int *cat, char *subj, size_t n)
{
	uint64_t r = seed ^ ((uint64_t)i * 0xa0761d6478bd642fULL);

	next(&r);
	*s = (int)((i * 7919 + 13) % NSEND);
	*cat = pickcat(&r);
	subject(&r, *cat, subj, n);
}

static void
msgid(long i, int s, char *out, size_t n)
{
	char who[64], addr[48];

	sender(s, who, sizeof who, addr, sizeof addr);
	snprintf(out, n, "<%ld.%08llx@mail.%s>", i,
	    (unsigned long long)(hashid((uint64_t)i) & 0xffffffff),
	    strchr(addr, '@') + 1);
}

/* A subject with an umlaut, as an RFC 2047 encoded word. */
static void
qsubject(struct buf *b, const char *s)
{
	str(b, "Subject: =?UTF-8?Q?St=C3=B6rung:_");
	for (; *s != '\0'; s++)
		if (*s == ' ')
			str(b, "_");
		else if ((*s >= 'a' && *s <= 'z') ||
		    (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9'))
			add(b, s, 1);
		else
			fmt(b, "=%02X", (unsigned char)*s);
	str(b, "?=\n");
}

static void
base64(struct buf *b, uint64_t *r, long n)
{
	static const char a[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	uint64_t v = 0;
	long i;

	for (i = 0; i < n; i++) {
		if (i % 10 == 0)
			v = next(r);
		add(b, &a[v & 63], 1);
		v >>= 6;
		if (i % 76 == 75)
			str(b, "\n");
	}
	str(b, "\n");
}

/* Sentences, wrapped at 72 columns, about n bytes. */
static void
prose(struct buf *b, uint64_t *r, long n)
{
	size_t stop = b->len + (size_t)n, col = 0, w;
	const char *s;

	while (b->len < stop) {
		s = lines[next(r) % N(lines)];
		w = strlen(s);
		if (col > 0 && col + w + 1 > 72) {
			str(b, "\n");
			col = 0;
		} else if (col > 0) {
			str(b, " ");
			col++;
		}
		str(b, s);
		col += w;
	}
	str(b, "\n");
}

static void
mailhead(struct buf *b, long i, int s, time_t t, uint64_t *r)
{
	char who[64], addr[48], date[40];
	const char *dom;

	sender(s, who, sizeof who, addr, sizeof addr);
	dom = strchr(addr, '@') + 1;
	maildate(t, s % 3 ? 60 : 0, date, sizeof date);
	fmt(b, "Return-Path: <%s>\nDelivered-To: help@example.com\n", addr);
	fmt(b, "Received: from mail.%s (mail.%s [192.0.2.%d])\n"
	    "\tby mx.example.com (Postfix) with ESMTPS id %08llX\n"
	    "\tfor <help@example.com>; %s\n", dom, dom, s % 250 + 1,
	    (unsigned long long)(next(r) & 0xffffffff), date);
	fmt(b, "Received: from pc%d.%s (unknown [10.1.%d.%d])\n"
	    "\tby mail.%s (Postfix) with ESMTPSA id %08llX;\n\t%s\n",
	    s % 50, dom, s % 200, i % 250, dom,
	    (unsigned long long)(next(r) & 0xffffffff), date);
	fmt(b, "From: %s\nTo: IT Help Desk <help@example.com>\n", who);
	if (chance(r, 15))
		fmt(b, "Cc: %s.team@%s\n", clients[s % NCLIENTS][0] == 'c' ?
		    "it" : "office", dom);
	fmt(b, "Date: %s\n", date);
}

/* A screenshot or a report, base64, 2 to 24 KB. */
static void
attach(struct buf *b, uint64_t *r, long i, int png)
{
	const char *name = png ? "screenshot" : "report";
	const char *ext = png ? "png" : "pdf";

	fmt(b, "\n--%s%ld\nContent-Type: %s; name=\"%s%ld.%s\"\n"
	    "Content-Disposition: attachment; filename=\"%s%ld.%s\"\n"
	    "Content-Transfer-Encoding: base64\n\n", BOUNDARY, i,
	    png ? "image/png" : "application/pdf", name, i, ext, name, i, ext);
	base64(b, r, rnd(r, 2000, 24000) / 3 * 4);
}

static void
mailbody(struct buf *b, uint64_t *r, long i)
{
	long p = rnd(r, 0, 99), n = rnd(r, 300, 1800);
	const char *bd = BOUNDARY;

	str(b, "MIME-Version: 1.0\n");
	if (p < 55) {
		str(b, "Content-Type: text/plain; charset=utf-8\n"
		    "Content-Transfer-Encoding: 8bit\n\nGr\xc3\xbc\xc3\x9f"
		    "e,\n\n");
		prose(b, r, n);
	} else if (p < 65) {
		str(b, "Content-Type: text/plain; charset=iso-8859-1\n"
		    "Content-Transfer-Encoding: quoted-printable\n\n"
		    "Gr=FC=DFe,\n\n");
		prose(b, r, n);
	} else if (p < 85) {
		fmt(b, "Content-Type: multipart/alternative; "
		    "boundary=\"%s%ld\"\n\n", bd, i);
		fmt(b, "--%s%ld\nContent-Type: text/plain; charset=utf-8\n\n",
		    bd, i);
		prose(b, r, n);
		fmt(b, "\n--%s%ld\nContent-Type: text/html; charset=utf-8\n\n"
		    "<html><body><p>", bd, i);
		prose(b, r, n);
		fmt(b, "</p></body></html>\n\n--%s%ld--\n", bd, i);
	} else {
		fmt(b, "Content-Type: multipart/mixed; boundary=\"%s%ld\"\n\n"
		    "This is a multi-part message in MIME format.\n\n", bd, i);
		fmt(b, "--%s%ld\nContent-Type: text/plain; charset=utf-8\n\n",
		    bd, i);
		prose(b, r, n);
		attach(b, r, i, p < 93);
		fmt(b, "--%s%ld--\n", bd, i);
	}
}

/* Message i: new, or a reply to one of the 300 before it. */
static void
message(struct buf *b, long i, time_t base)
{
	uint64_t r = seed ^ ((uint64_t)i * 0xe7037ed1a0b428dbULL);
	char subj[96], id[96], pid[96];
	int s, cat, reply;
	long j;

	next(&r);
	b->len = 0;
	topic(i, &s, &cat, subj, sizeof subj);
	if ((reply = i > 0 && chance(&r, 15))) {
		j = i - rnd(&r, 1, i < 300 ? i : 300);
		topic(j, &s, &cat, subj, sizeof subj);
		msgid(j, s, pid, sizeof pid);
	}
	msgid(i, s, id, sizeof id);
	mailhead(b, i, s, base + i * 2, &r);
	if (reply)
		fmt(b, "Subject: %s: %s\nIn-Reply-To: %s\nReferences: %s\n",
		    chance(&r, 10) ? "AW" : "Re", subj, pid, pid);
	else if (chance(&r, 5))
		qsubject(b, subj);
	else
		fmt(b, "Subject: %s\n", subj);
	fmt(b, "Message-ID: %s\n", id);
	if (reply && chance(&r, 10))
		str(b, "Auto-Submitted: auto-replied\n");
	fmt(b, "X-Mailer: %s\n", chance(&r, 60) ?
	    "Microsoft Outlook 16.0" : "Mozilla Thunderbird 115.5.0");
	mailbody(b, &r, i);
}

static void
mail(const char *dir, long n, time_t base)
{
	struct buf b = { 0 };
	char path[4096];
	long i;

	for (i = 0; i < n; i++) {
		message(&b, i, base);
		snprintf(path, sizeof path, "%s/m%06ld", dir, i);
		if (put(path, &b) == -1)
			die("%s: exists", path);
	}
	free(b.s);
}

static long
num(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < 0)
		die("%s: not a count", s);
	return v;
}

static void
usage(void)
{
	fprintf(stderr, "usage: %s [-s seed] [-t now] desk dir open closed "
	    "due\n       %s [-s seed] [-t now] mail dir count\n", prog, prog);
	exit(2);
}

int
main(int argc, char *argv[])
{
	time_t now = parsetime("2026-12-04T12:00:00Z");
	int c;

	while ((c = getopt(argc, argv, "s:t:")) != -1) {
		switch (c) {
		case 's': seed = (uint64_t)num(optarg); break;
		case 't': now = parsetime(optarg); break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 5 && strcmp(argv[0], "desk") == 0) {
		if (num(argv[4]) > num(argv[2]))
			die("more due than open tickets");
		desk(argv[1], num(argv[2]), num(argv[3]), num(argv[4]), now);
	} else if (argc == 3 && strcmp(argv[0], "mail") == 0)
		mail(argv[1], num(argv[2]), now - 3600);
	else
		usage();
	return 0;
}
