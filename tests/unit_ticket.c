/*
 * unit_ticket.c: reading and writing ticket files, the Tkt-Log grammar,
 * the state a history leads to and subject normalisation (ticket.c).
 *
 * Tickets are parsed from strings under the name "t", so a diagnostic
 * reads "tkt: t: line N: why".  Diagnostics are caught by pointing
 * stderr at a scratch file.
 */

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../bin/tkt.h"
#include "unit.h"

#define ID	"0k3m5zq8a1bc"

static const char *said;

static const char canonical[] =
    "From: alice@example.com\n"
    "Subject: Printer on 3rd floor jams\n"
    "Date: Fri, 04 Dec 2026 16:03:02 +0000\n"
    "Message-ID: <jam-1@example.com>\n"
    "Tkt-Id: " ID "\n"
    "Tkt-State: closed\n"
    "Tkt-Tier: 2\n"
    "Tkt-Client: acme\n"
    "Tkt-Category: printer\n"
    "Tkt-Priority: 3\n"
    "Tkt-Log: 2026-12-04T16:03:02Z created by=alice\n"
    "Tkt-Log: 2026-12-04T16:05:00Z routed by=rules:12 tier=1 client=acme\n"
    " category=printer priority=3\n"
    "Tkt-Log: 2026-12-04T16:35:00Z escalated by=clock tier=2 -- tier 1 "
    "limit 30m\n"
    " reached without a plan\n"
    "Tkt-Log: 2026-12-04T16:40:00Z planned by=bob -- replace the fuser\n"
    "Tkt-Log: 2026-12-04T17:00:00Z closed by=bob -- fuser replaced\n"
    "\n"
    "The printer on the 3rd floor jams on every second page.\n";

static void
setup(void)
{
	tkt_prog = "tkt";
	said = "";
}

/* Parse n bytes of s as the ticket "t", catching what is said. */
static int
parsen(struct tkt_ticket *t, const char *s, size_t n)
{
	char *buf;
	int r;

	buf = malloc(n + 1);
	ck_assert_ptr_nonnull(buf);
	memcpy(buf, s, n);
	buf[n] = '\0';
	capture();
	r = tkt_ticket_parse(t, "t", buf, n, 1);
	said = captured();
	return r;
}

static int
parse(struct tkt_ticket *t, const char *s)
{
	return parsen(t, s, strlen(s));
}

/* The ticket as a file, NUL-ended; the caller frees it. */
static char *
format(struct tkt_ticket *t, size_t *len)
{
	struct tkt_buf b = { 0 };

	memcpy(t->id, ID, sizeof t->id);
	tkt_ticket_format(t, &b);
	if (len != NULL)
		*len = b.len;
	return b.s;
}

/* s parses silently and formats to want. */
static void
expect_format(const char *s, const char *want)
{
	struct tkt_ticket t;
	char *got;

	ck_assert_int_eq(parse(&t, s), 0);
	ck_assert_str_eq(said, "");
	got = format(&t, NULL);
	ck_assert_str_eq(got, want);
	free(got);
	tkt_ticket_free(&t);
}

START_TEST(roundtrip_canonical)
{
	struct tkt_ticket t;
	char *got;
	size_t len;

	ck_assert_int_eq(parse(&t, canonical), 0);
	ck_assert_uint_eq(t.nev, 5);
	ck_assert_uint_eq(t.nhdr, 4);
	got = format(&t, &len);
	ck_assert_uint_eq(len, strlen(canonical));
	ck_assert_str_eq(got, canonical);
	free(got);
	tkt_ticket_free(&t);
}
END_TEST

/* The parsed fields of the canonical ticket. */
START_TEST(parse_fields)
{
	struct tkt_ticket t;

	ck_assert_int_eq(parse(&t, canonical), 0);
	ck_assert_str_eq(tkt_ticket_get(&t, "subject"),
	    "Printer on 3rd floor jams");
	ck_assert_str_eq(tkt_ticket_get(&t, "MESSAGE-ID"),
	    "<jam-1@example.com>");
	ck_assert_ptr_null(tkt_ticket_get(&t, "Tkt-State"));
	ck_assert_ptr_null(tkt_ticket_get(&t, "Tkt-Log"));
	ck_assert_ptr_null(tkt_ticket_get(&t, "Cc"));
	ck_assert_int_eq(t.ev[1].verb, TKT_ROUTED);
	ck_assert_int_eq(t.ev[1].tier, 1);
	ck_assert_str_eq(t.ev[1].by, "rules:12");
	ck_assert_str_eq(t.ev[1].priority, "3");
	ck_assert_ptr_null(t.ev[1].text);
	ck_assert_str_eq(t.ev[2].text,
	    "tier 1 limit 30m reached without a plan");
	ck_assert_int_eq(t.ev[4].t, 1796403600);
	ck_assert_str_eq(t.buf + t.bodyoff,
	    "The printer on the 3rd floor jams on every second page.\n");
	tkt_ticket_free(&t);
}
END_TEST

static const char odd_headers[] =
    "Received: from mx.example.com\n"
    "\tby desk.example.com; Fri, 04 Dec 2026 16:03:01 +0000\n"
    "x-ODD-case:no-space-after-colon\n"
    "Subject: Caf\xc3\xa9 \xe2\x98\x95 machine  broken \n"
    "X-Folded: one\n"
    "    two\n"
    " \t three\n"
    "TKT-LOG: 2026-12-04T16:03:02Z created by=alice\n"
    "X-Empty:\n"
    "\n";

START_TEST(odd_headers_kept)
{
	expect_format(odd_headers,
	    "Received: from mx.example.com\n"
	    "\tby desk.example.com; Fri, 04 Dec 2026 16:03:01 +0000\n"
	    "x-ODD-case:no-space-after-colon\n"
	    "Subject: Caf\xc3\xa9 \xe2\x98\x95 machine  broken \n"
	    "X-Folded: one\n"
	    "    two\n"
	    " \t three\n"
	    "X-Empty:\n"
	    "Tkt-Id: " ID "\n"
	    "Tkt-State: new\n"
	    "Tkt-Log: 2026-12-04T16:03:02Z created by=alice\n"
	    "\n");
}
END_TEST

/* Values are unfolded: line ends go, the blanks after them stay. */
START_TEST(odd_headers_values)
{
	struct tkt_ticket t;

	ck_assert_int_eq(parse(&t, odd_headers), 0);
	ck_assert_str_eq(tkt_ticket_get(&t, "X-ODD-CASE"),
	    "no-space-after-colon");
	ck_assert_str_eq(tkt_ticket_get(&t, "x-folded"),
	    "one    two \t three");
	ck_assert_str_eq(tkt_ticket_get(&t, "received"),
	    "from mx.example.com\tby desk.example.com; "
	    "Fri, 04 Dec 2026 16:03:01 +0000");
	ck_assert_str_eq(tkt_ticket_get(&t, "Subject"),
	    "Caf\xc3\xa9 \xe2\x98\x95 machine  broken ");
	ck_assert_str_eq(tkt_ticket_get(&t, "X-Empty"), "");
	ck_assert_uint_eq(t.nhdr, 5);
	tkt_ticket_free(&t);
}
END_TEST

#define HEAD	"Subject: s\n" \
		"Tkt-Log: 2026-12-04T16:03:02Z created by=alice\n\n"
#define OUT	"Subject: s\nTkt-Id: " ID "\nTkt-State: new\n" \
		"Tkt-Log: 2026-12-04T16:03:02Z created by=alice\n\n"

START_TEST(body_kept)
{
	static const char body[] = "line one  \r\nline two\t \n\n\n"
	    "Subject: not a header\n\0nul\r\nlast  ";
	struct tkt_ticket t;
	char in[256], *got;
	size_t len, hl, ol;

	hl = strlen(HEAD);
	ol = strlen(OUT);
	memcpy(in, HEAD, hl);
	memcpy(in + hl, body, sizeof body - 1);
	ck_assert_int_eq(parsen(&t, in, hl + sizeof body - 1), 0);
	got = format(&t, &len);
	ck_assert_uint_eq(len, ol + sizeof body - 1);
	ck_assert_int_eq(memcmp(got, OUT, ol), 0);
	ck_assert_int_eq(memcmp(got + ol, body, sizeof body - 1), 0);
	free(got);
	tkt_ticket_free(&t);
}
END_TEST

START_TEST(body_empty)
{
	expect_format(HEAD, OUT);
	expect_format(HEAD "\n", OUT "\n");
}
END_TEST

/* Summary headers anywhere, in any case, are replaced by true ones. */
START_TEST(summary_regenerated)
{
	expect_format(
	    "Tkt-State: bogus\n"
	    "Subject: s\n"
	    "TKT-TIER: 9\n"
	    "Tkt-Log: 2026-12-04T16:03:02Z created by=alice\n"
	    "tkt-client:  evil\n"
	    "\tcontinued\n"
	    "Tkt-Log: 2026-12-04T16:05:00Z routed by=rules tier=2 "
	    "client=acme\n"
	    "Tkt-Id: zzzzzzzzzzzz\n"
	    "Tkt-Category: forged\n"
	    "Tkt-Priority: 1\n"
	    "\n"
	    "body\n",
	    "Subject: s\n"
	    "Tkt-Id: " ID "\n"
	    "Tkt-State: open\n"
	    "Tkt-Tier: 2\n"
	    "Tkt-Client: acme\n"
	    "Tkt-Log: 2026-12-04T16:03:02Z created by=alice\n"
	    "Tkt-Log: 2026-12-04T16:05:00Z routed by=rules tier=2 "
	    "client=acme\n"
	    "\n"
	    "body\n");
}
END_TEST

/* Summary values are not percent-encoded; control bytes are blanked. */
START_TEST(summary_values)
{
	expect_format(
	    "Subject: s\n"
	    "Tkt-Log: 2026-12-04T16:03:02Z created by=alice\n"
	    "Tkt-Log: 2026-12-04T16:05:00Z routed by=rules tier=1 "
	    "client=acme%20corp category=a%09b priority=%3D1\n"
	    "Tkt-Log: 2026-12-04T16:06:00Z closed by=bob -- done\n"
	    "Tkt-Log: 2026-12-04T16:07:00Z reopened by=bob -- not done\n"
	    "\n",
	    "Subject: s\n"
	    "Tkt-Id: " ID "\n"
	    "Tkt-State: open\n"
	    "Tkt-Tier: 1\n"
	    "Tkt-Client: acme corp\n"
	    "Tkt-Category: a b\n"
	    "Tkt-Priority: =1\n"
	    "Tkt-Log: 2026-12-04T16:03:02Z created by=alice\n"
	    "Tkt-Log: 2026-12-04T16:05:00Z routed by=rules tier=1 "
	    "client=acme%20corp\n"
	    " category=a%09b priority=%3D1\n"
	    "Tkt-Log: 2026-12-04T16:06:00Z closed by=bob -- done\n"
	    "Tkt-Log: 2026-12-04T16:07:00Z reopened by=bob -- not done\n"
	    "\n");
}
END_TEST

static const char *const lines[] = {
	"2026-12-04T16:03:02Z created by=alice tier=2 client=acme "
	    "category=printer priority=3",
	"2026-12-04T16:05:00Z routed by=rules:12 tier=1 client=acme",
	"2026-12-04T16:05:00Z routed by=rules tier=1",
	"2026-12-04T16:06:00Z routed by=bob tier=2 -- needs the network team",
	"2026-12-04T16:07:00Z planned by=bob -- replace the fuser",
	"2026-12-04T16:08:00Z noted by=carol -- called the client",
	"2026-12-04T16:35:00Z escalated by=clock tier=2 -- tier 1 limit 30m "
	    "reached without a plan",
	"2026-12-04T20:35:00Z breached by=clock tier=3 -- tier 3 limit 4h "
	    "reached without a plan",
	"2026-12-04T21:00:00Z closed by=bob -- fuser replaced",
	"2026-12-05T09:00:00Z reopened by=alice -- jams again",
};

static const enum tkt_verb line_verb[] = {
	TKT_CREATED, TKT_ROUTED, TKT_ROUTED, TKT_ROUTED, TKT_PLANNED,
	TKT_NOTED, TKT_ESCALATED, TKT_BREACHED, TKT_CLOSED_EV, TKT_REOPENED
};

/* Parse one line, which must be good, and format it again. */
static char *
reformat(const char *line, struct tkt_event *ev)
{
	struct tkt_buf b = { 0 };
	const char *why = NULL;

	ck_assert_msg(tkt_event_parse(line, ev, &why) == 0, "%s: %s",
	    line, why);
	tkt_event_format(ev, &b);
	return b.s;
}

static void
event_free(struct tkt_event *ev)
{
	free(ev->by);
	free(ev->client);
	free(ev->category);
	free(ev->priority);
	free(ev->text);
}

START_TEST(event_verbs)
{
	struct tkt_event ev;
	char *got;

	got = reformat(lines[_i], &ev);
	ck_assert_str_eq(got, lines[_i]);
	ck_assert_int_eq(ev.verb, line_verb[_i]);
	ck_assert_int_eq(strncmp(tkt_verb_name(ev.verb), lines[_i] + 21,
	    strlen(tkt_verb_name(ev.verb))), 0);
	free(got);
	event_free(&ev);
}
END_TEST

START_TEST(verb_names)
{
	int v;

	for (v = 0; v < TKT_NVERB; v++)
		ck_assert_int_eq(tkt_verb_parse(tkt_verb_name(v),
		    strlen(tkt_verb_name(v))), v);
	ck_assert_int_eq(tkt_verb_parse("breached", 8), TKT_BREACHED);
	ck_assert_int_eq(tkt_verb_parse("closedx", 6), TKT_CLOSED_EV);
	ck_assert_int_eq(tkt_verb_parse("close", 5), -1);
	ck_assert_int_eq(tkt_verb_parse("Closed", 6), -1);
	ck_assert_int_eq(tkt_verb_parse("", 0), -1);
	ck_assert_str_eq(tkt_verb_name(TKT_CLOSED_EV), "closed");
	ck_assert_str_eq(tkt_verb_name(TKT_REOPENED), "reopened");
	ck_assert_int_eq(tkt_verb_parse("waiting", 7), TKT_WAITING);
	ck_assert_int_eq(tkt_verb_parse("resumed", 7), TKT_RESUMED);
	ck_assert_int_eq(tkt_verb_parse("resume", 6), -1);
}
END_TEST

START_TEST(event_key_order)
{
	struct tkt_event ev;
	char *got;

	got = reformat("2026-12-04T16:05:00Z routed priority=3 "
	    "category=net tier=2 client=acme by=bob -- moved", &ev);
	ck_assert_str_eq(got, "2026-12-04T16:05:00Z routed by=bob tier=2 "
	    "client=acme category=net priority=3 -- moved");
	ck_assert_int_eq(ev.tier, 2);
	ck_assert_str_eq(ev.client, "acme");
	free(got);
	event_free(&ev);
}
END_TEST

START_TEST(event_percent)
{
	struct tkt_event ev = { 0 }, back;
	struct tkt_buf b = { 0 };
	const char *why;

	ev.t = 1796400182;
	ev.verb = TKT_CREATED;
	ev.by = "o'brien caf\xc3\xa9";
	ev.client = "acme corp";
	ev.category = "50%=half";
	ev.priority = "a\tb\x7f\x01\n";
	tkt_event_format(&ev, &b);
	ck_assert_str_eq(b.s, "2026-12-04T16:03:02Z created "
	    "by=o'brien%20caf\xc3\xa9 client=acme%20corp "
	    "category=50%25%3Dhalf priority=a%09b%7F%01%0A");
	ck_assert_int_eq(tkt_event_parse(b.s, &back, &why), 0);
	ck_assert_str_eq(back.by, ev.by);
	ck_assert_str_eq(back.client, ev.client);
	ck_assert_str_eq(back.category, ev.category);
	ck_assert_str_eq(back.priority, ev.priority);
	ck_assert_ptr_null(back.text);
	event_free(&back);
	tkt_buf_free(&b);
}
END_TEST

/* Readers take lowercase hex too; writers use uppercase. */
START_TEST(event_percent_lower)
{
	struct tkt_event ev;
	char *got;

	got = reformat("2026-12-04T16:03:02Z created by=a%3db%2fc", &ev);
	ck_assert_str_eq(ev.by, "a=b/c");
	ck_assert_str_eq(got, "2026-12-04T16:03:02Z created by=a%3Db/c");
	free(got);
	event_free(&ev);
}
END_TEST

START_TEST(event_text)
{
	struct tkt_event ev;
	char *got;

	got = reformat("2026-12-04T16:40:00Z planned by=bob -- use -- and "
	    "a=b  twice ", &ev);
	ck_assert_str_eq(ev.text, "use -- and a=b  twice ");
	ck_assert_str_eq(got, "2026-12-04T16:40:00Z planned by=bob -- use "
	    "-- and a=b  twice ");
	free(got);
	event_free(&ev);
	got = reformat("2026-12-04T16:40:00Z noted -- by=x tier=0", &ev);
	ck_assert_ptr_null(ev.by);
	ck_assert_int_eq(ev.tier, 0);
	ck_assert_str_eq(ev.text, "by=x tier=0");
	ck_assert_str_eq(got, "2026-12-04T16:40:00Z noted -- by=x tier=0");
	free(got);
	event_free(&ev);
}
END_TEST

/* Line ends and other control bytes in the text become spaces. */
START_TEST(event_text_controls)
{
	struct tkt_event ev = { 0 };
	struct tkt_buf b = { 0 };

	ev.t = 1796400182;
	ev.verb = TKT_CLOSED_EV;
	ev.by = "bob";
	ev.text = "line one\nline two\r\n\ttab";
	tkt_event_format(&ev, &b);
	ck_assert_str_eq(b.s, "2026-12-04T16:03:02Z closed by=bob -- "
	    "line one line two   tab");
	tkt_buf_free(&b);
}
END_TEST

/* A ticket whose one event after created is ev; the caller frees it. */
static void
with_event(struct tkt_ticket *t, const struct tkt_event *ev)
{
	ck_assert_int_eq(parse(t, HEAD), 0);
	tkt_ticket_add(t, ev);
}

/*
 * Every line at most 78 bytes, unless it is one word that cannot be
 * folded: a longer line holds no blank after its first byte (after
 * the field name, on the first line of a header).
 */
static void
check_lines(const char *s)
{
	const char *e, *from;

	for (; (e = strchr(s, '\n')) != NULL; s = e + 1) {
		if (e - s <= 78)
			continue;
		from = strncmp(s, "Tkt-Log: ", 9) == 0 ? s + 9 : s + 1;
		ck_assert_msg(memchr(from, ' ', e - from) == NULL,
		    "line of %d bytes: %.*s", (int)(e - s), (int)(e - s), s);
	}
}

/* Format t, read that back, and check the text and a second format. */
static void
fold_roundtrip(const char *text)
{
	struct tkt_event ev = { 0 };
	struct tkt_ticket t, u;
	char *once, *twice;

	ev.t = 1796400182;
	ev.verb = TKT_PLANNED;
	ev.by = "bob";
	ev.text = (char *)text;
	with_event(&t, &ev);
	once = format(&t, NULL);
	check_lines(once);
	ck_assert_int_eq(parse(&u, once), 0);
	ck_assert_uint_eq(u.nev, 2);
	ck_assert_str_eq(u.ev[1].text, text);
	twice = format(&u, NULL);
	ck_assert_str_eq(twice, once);
	free(once);
	free(twice);
	tkt_ticket_free(&t);
	tkt_ticket_free(&u);
}

START_TEST(fold_long_reason)
{
	struct tkt_event ev = { 0 };
	struct tkt_ticket t;
	char *got;

	ev.t = 1796400182;
	ev.verb = TKT_CLOSED_EV;
	ev.by = "bob";
	ev.text = "the fuser was worn out, so we replaced it and the "
	    "pickup roller as well, then printed two hundred pages "
	    "without a single jam";
	with_event(&t, &ev);
	got = format(&t, NULL);
	ck_assert_str_eq(strstr(got, "Tkt-Log: 2026-12-04T16:03:02Z closed"),
	    "Tkt-Log: 2026-12-04T16:03:02Z closed by=bob -- the fuser was "
	    "worn out, so we\n"
	    " replaced it and the pickup roller as well, then printed two "
	    "hundred pages\n"
	    " without a single jam\n\n");
	free(got);
	tkt_ticket_free(&t);
	fold_roundtrip(ev.text);
}
END_TEST

/* Long words, runs of blanks and blanks at either end. */
START_TEST(fold_awkward)
{
	char word[200];

	memset(word, 'w', sizeof word - 1);
	word[sizeof word - 1] = '\0';
	fold_roundtrip(word);
	fold_roundtrip("  leading and trailing blanks, and a gap of "
	    "seven       spaces where the line has to be folded   ");
	fold_roundtrip("x                                                 "
	    "                                                       y");
	fold_roundtrip("");
}
END_TEST

/* Random texts of words and blanks, from a fixed seed. */
START_TEST(fold_random)
{
	unsigned long seed = 12345;
	char text[400];
	size_t i, n;
	int k;

	for (k = 0; k < 300; k++) {
		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		n = seed >> 33 & 255;
		for (i = 0; i < n; i++) {
			seed = seed * 6364136223846793005UL + 1;
			text[i] = (seed >> 40) % 5 == 0 ? ' ' :
			    'a' + (seed >> 45) % 26;
		}
		text[n] = '\0';
		fold_roundtrip(text);
	}
}
END_TEST

static const struct {
	const char *log;
	const char *why;
} badlogs[] = {
	{ "2026-13-04T16:03:02Z created by=a", "bad time" },
	{ "2026-12-04 16:03:02Z created by=a", "bad time" },
	{ "yesterday created by=a", "bad time" },
	{ "2026-12-04T16:03:02Z", "bad time" },
	{ "2026-12-04T16:03:02Z frobbed by=a", "unknown event" },
	{ "2026-12-04T16:03:02Z Created by=a", "unknown event" },
	{ "2026-12-04T16:03:02Z paused by=a", "unknown event" },
	{ "2026-12-04T16:03:02Z created by=a colour=red", "bad key=value" },
	{ "2026-12-04T16:03:02Z created BY=a", "bad key=value" },
	{ "2026-12-04T16:03:02Z created by=a by=b", "bad key=value" },
	{ "2026-12-04T16:03:02Z routed by=a tier=2 tier=2", "bad key=value" },
	{ "2026-12-04T16:03:02Z routed by=a tier=0", "bad key=value" },
	{ "2026-12-04T16:03:02Z routed by=a tier=10", "bad key=value" },
	{ "2026-12-04T16:03:02Z routed by=a tier=2x", "bad key=value" },
	{ "2026-12-04T16:03:02Z routed by=a tier=-1", "bad key=value" },
	{ "2026-12-04T16:03:02Z routed by=a tier=", "bad key=value" },
	{ "2026-12-04T16:03:02Z created by=", "bad key=value" },
	{ "2026-12-04T16:03:02Z created by=a client=", "bad key=value" },
	{ "2026-12-04T16:03:02Z created by=a oops", "bad key=value" },
	{ "2026-12-04T16:03:02Z created by=a  tier=1", "bad key=value" },
	{ "2026-12-04T16:03:02Z created =a", "bad key=value" },
};

/* The bad line is the third header, after a folded one. */
START_TEST(event_bad)
{
	struct tkt_ticket t;
	char in[512], want[128];

	snprintf(in, sizeof in, "Subject: s\n\tfolded\n"
	    "Tkt-Log: 2026-12-04T16:03:02Z created by=alice\n"
	    "Tkt-Log: %s\n\nbody\n", badlogs[_i].log);
	snprintf(want, sizeof want, "tkt: t: line 4: %s\n", badlogs[_i].why);
	ck_assert_int_eq(parse(&t, in), -1);
	ck_assert_str_eq(said, want);
	tkt_ticket_free(&t);
}
END_TEST

/* A folded bad line is reported at the line where it starts. */
START_TEST(event_bad_folded)
{
	struct tkt_ticket t;

	ck_assert_int_eq(parse(&t, "Subject: s\n"
	    "Tkt-Log: 2026-12-04T16:03:02Z created by=alice\n"
	    "Tkt-Log: 2026-12-04T16:05:00Z routed by=rules\n"
	    " tier=1 colour=red\n"
	    "\n"), -1);
	ck_assert_str_eq(said, "tkt: t: line 3: bad key=value\n");
	tkt_ticket_free(&t);
}
END_TEST

static void
expect_invalid(const char *s, size_t n, const char *want)
{
	struct tkt_ticket t;

	ck_assert_int_eq(parsen(&t, s, n), -1);
	ck_assert_str_eq(said, want);
	tkt_ticket_free(&t);
}

#define INVALID(s, want)	expect_invalid(s, sizeof s - 1, want)

/*
 * tkt(5) forbids only blanks and control characters in a header name,
 * so bytes of 0x80 and above are allowed, whatever the signedness of
 * char on the platform.
 */
START_TEST(header_name_8bit)
{
	expect_format("X-Caf\xc3\xa9: yes\n\n",
	    "X-Caf\xc3\xa9: yes\nTkt-Id: " ID "\nTkt-State: new\n\n");
	expect_invalid("X-\x7f: no\n\n", 10,
	    "tkt: t: line 1: bad header name\n");
	expect_invalid("X-\x01: no\n\n", 10,
	    "tkt: t: line 1: bad header name\n");
}
END_TEST

START_TEST(invalid_files)
{
	INVALID("", "tkt: t: empty file\n");
	INVALID("Subject: s\nFrom: a\n",
	    "tkt: t: no blank line after the headers\n");
	INVALID("Subject: s\nFrom: a",
	    "tkt: t: no blank line after the headers\n");
	INVALID("Subject: s\0x\n\nbody", "tkt: t: NUL byte in the headers\n");
	INVALID("Subject: s\nnot a header\n\nbody",
	    "tkt: t: line 2: not a header line\n");
	INVALID("Subject: s\n: no name\n\n",
	    "tkt: t: line 2: not a header line\n");
	INVALID("Subject: s\nBad Name: x\n\n",
	    "tkt: t: line 2: bad header name\n");
	INVALID(" Subject: s\n\n",
	    "tkt: t: line 1: continuation line without a header\n");
	INVALID("\tSubject: s\n\n",
	    "tkt: t: line 1: continuation line without a header\n");
}
END_TEST

/* A header of name, ": ", n bytes of value and a line end. */
static char *
bigheader(const char *before, const char *name, size_t n, int fold)
{
	struct tkt_buf b = { 0 };
	size_t i;

	tkt_buf_fmt(&b, "%s%s: ", before, name);
	for (i = 0; i < n; i++)
		if (fold && i % 1000 == 999)
			tkt_buf_str(&b, "\n ");
		else
			tkt_buf_add(&b, "a", 1);
	tkt_buf_str(&b, "\n\nbody\n");
	return b.s;
}

START_TEST(invalid_big_header)
{
	char *s;

	s = bigheader("", "X-Big", 300 * 1024, 0);
	expect_invalid(s, strlen(s), "tkt: t: line 1: header longer than "
	    "256 KiB\n");
	free(s);
	s = bigheader("Subject: s\n", "X-Big", 300 * 1024, 1);
	expect_invalid(s, strlen(s), "tkt: t: line 2: header longer than "
	    "256 KiB\n");
	free(s);
}
END_TEST

/* One line of 300 KB and no line end at all. */
START_TEST(invalid_endless_line)
{
	struct tkt_ticket t;
	char *s;

	s = malloc(300 * 1024 + 1);
	ck_assert_ptr_nonnull(s);
	memset(s, 'a', 300 * 1024);
	memcpy(s, "X-Big: ", 7);
	s[300 * 1024] = '\0';
	ck_assert_int_eq(parse(&t, s), -1);
	ck_assert_str_eq(said, "tkt: t: line 1: header line too long\n");
	tkt_ticket_free(&t);
	free(s);
}
END_TEST

/*
 * tkt(5): a header "with its continuation lines" longer than 262144
 * bytes is invalid, whatever its name.  This one is 262154 bytes even
 * without its line end.
 */
START_TEST(header_limit_counts_name)
{
	struct tkt_ticket t;
	char *s;

	s = bigheader("", "X-A-Rather-Long-Name", 262154 - 22, 0);
	ck_assert_int_eq(parsen(&t, s, strlen(s)), -1);
	tkt_ticket_free(&t);
	free(s);
	s = bigheader("", "X-A-Rather-Long-Name", 262144 - 23, 0);
	ck_assert_int_eq(parsen(&t, s, strlen(s)), 0);
	tkt_ticket_free(&t);
	free(s);
}
END_TEST

/* tkt(5): a header section longer than 1 MiB is invalid. */
START_TEST(header_section_limit)
{
	struct tkt_buf b = { 0 };
	struct tkt_ticket t;
	int i;

	for (i = 0; i < 1200; i++)
		tkt_buf_fmt(&b, "X-H%d: %01000d\n", i, i);
	tkt_buf_str(&b, "\nbody\n");
	ck_assert_uint_gt(b.len, 1048576 + 100000);
	ck_assert_int_eq(parsen(&t, b.s, b.len), -1);
	tkt_ticket_free(&t);
	tkt_buf_free(&b);
}
END_TEST

/* Write s to a scratch file and tkt_ticket_read it. */
static int
readfile(struct tkt_ticket *t, const char *s, int whole)
{
	char path[] = "/tmp/tkt-read.XXXXXX";
	int fd, r, n;

	ck_assert_int_ge(fd = mkstemp(path), 0);
	ck_assert_int_eq(write(fd, s, strlen(s)), (ssize_t)strlen(s));
	close(fd);
	capture();
	r = tkt_ticket_read(t, path, whole);
	captured();
	n = strcmp(t->path, path);
	unlink(path);
	ck_assert_int_eq(n, 0);
	return r;
}

START_TEST(read_file)
{
	struct tkt_ticket t;
	char *got;

	ck_assert_int_eq(readfile(&t, canonical, 1), 0);
	got = format(&t, NULL);
	ck_assert_str_eq(got, canonical);
	free(got);
	tkt_ticket_free(&t);
	ck_assert_int_eq(readfile(&t, canonical, 0), 0);
	ck_assert_uint_eq(t.nev, 5);
	ck_assert_str_eq(tkt_ticket_get(&t, "From"), "alice@example.com");
	tkt_ticket_free(&t);
	ck_assert_int_eq(readfile(&t, "Subject: s\nTkt-Log: "
	    "2026-12-04T16:05:00Z routed by=rules tier=1\n\n", 1), -1);
	tkt_ticket_free(&t);
}
END_TEST

/* A file that is not there: an error, or for tryread a quiet -2. */
START_TEST(read_missing)
{
	struct tkt_ticket t;

	capture();
	ck_assert_int_eq(tkt_ticket_tryread(&t, "/nonexistent/tkt", 1), -2);
	said = captured();
	ck_assert_str_eq(said, "");
	ck_assert_ptr_null(t.path);
	tkt_ticket_free(&t);
	capture();
	ck_assert_int_eq(tkt_ticket_read(&t, "/nonexistent/tkt", 0), -1);
	said = captured();
	ck_assert_str_eq(said,
	    "tkt: /nonexistent/tkt: No such file or directory\n");
	tkt_ticket_free(&t);
}
END_TEST

/* Build a history from "verb minute [tier]" words, one per event. */
static void
history(struct tkt_ticket *t, const char *const *steps)
{
	struct tkt_event ev;
	char verb[16];
	int min, tier;

	ck_assert_int_eq(parse(t, "Subject: s\n\n"), 0);
	for (; *steps != NULL; steps++) {
		tier = 0;
		ck_assert_int_ge(sscanf(*steps, "%15s %d %d", verb, &min,
		    &tier), 2);
		memset(&ev, 0, sizeof ev);
		ev.t = 1796400000 + 60 * min;
		ev.verb = tkt_verb_parse(verb, strlen(verb));
		ck_assert_int_ge(ev.verb, 0);
		ev.tier = tier;
		ev.by = "alice";
		tkt_ticket_add(t, &ev);
	}
}

static void
state_of(const char *const *steps, struct tkt_state *st)
{
	struct tkt_ticket t;

	history(&t, steps);
	tkt_ticket_state(&t, st);
	tkt_ticket_free(&t);
}

#define AT(min)	(1796400000 + 60 * (min))

START_TEST(state_sequence)
{
	const char *steps[8] = { "created 0", NULL };
	struct tkt_state st;

	state_of(steps, &st);
	ck_assert_int_eq(st.dir, TKT_NEW);
	ck_assert_int_eq(st.tier, 0);
	ck_assert_int_eq(st.created, AT(0));
	steps[1] = "routed 5 2";
	state_of(steps, &st);
	ck_assert_int_eq(st.dir, TKT_CUR);
	ck_assert_int_eq(st.tier, 2);
	ck_assert_int_eq(st.entered, AT(5));
	steps[2] = "escalated 65 3";
	state_of(steps, &st);
	ck_assert_int_eq(st.tier, 3);
	ck_assert_int_eq(st.escalations, 1);
	ck_assert_int_eq(st.entered, AT(65));
	steps[3] = "planned 70";
	state_of(steps, &st);
	ck_assert_int_eq(st.planned, 1);
	ck_assert_int_eq(st.dir, TKT_CUR);
	steps[4] = "closed 80";
	state_of(steps, &st);
	ck_assert_int_eq(st.dir, TKT_CLOSED);
	ck_assert_int_eq(st.closed, AT(80));
	ck_assert_int_eq(st.tier, 3);
	steps[5] = "reopened 90";
	state_of(steps, &st);
	ck_assert_int_eq(st.dir, TKT_CUR);
	ck_assert_int_eq(st.closed, 0);
	ck_assert_int_eq(st.planned, 0);
	ck_assert_int_eq(st.tier, 3);
	ck_assert_int_eq(st.last, AT(90));
	ck_assert_int_eq(st.created, AT(0));
}
END_TEST

START_TEST(state_reopen_unrouted)
{
	const char *steps[] = { "created 0 2", "closed 5", "reopened 9",
	    NULL };
	struct tkt_state st;

	state_of(steps, &st);
	ck_assert_int_eq(st.dir, TKT_NEW);
	ck_assert_int_eq(st.tier, 0);
	ck_assert_int_eq(st.closed, 0);
	steps[2] = NULL;
	state_of(steps, &st);
	ck_assert_int_eq(st.dir, TKT_CLOSED);
}
END_TEST

/* Routing without a tier means tier 1; a move changes the tier. */
START_TEST(state_routing)
{
	const char *steps[] = { "created 0", "routed 1", "routed 2 3",
	    "routed 4", "breached 9 3", NULL };
	struct tkt_state st;

	state_of(steps, &st);
	ck_assert_int_eq(st.tier, 3);
	ck_assert_int_eq(st.entered, AT(2));
	ck_assert_int_eq(st.breached, 1);
	ck_assert_int_eq(st.escalations, 0);
	steps[2] = NULL;
	state_of(steps, &st);
	ck_assert_int_eq(st.tier, 1);
	ck_assert_int_eq(st.entered, AT(1));
}
END_TEST

/* The last value given for a field wins. */
START_TEST(state_fields)
{
	struct tkt_ticket t;
	struct tkt_state st;

	ck_assert_int_eq(parse(&t, "Subject: s\n"
	    "Tkt-Log: 2026-12-04T16:03:02Z created by=a client=one "
	    "priority=1\n"
	    "Tkt-Log: 2026-12-04T16:05:00Z routed by=rules tier=1 "
	    "client=two category=net\n"
	    "Tkt-Log: 2026-12-04T16:06:00Z noted by=b client=three\n"
	    "\n"), 0);
	tkt_ticket_state(&t, &st);
	ck_assert_str_eq(st.client, "three");
	ck_assert_str_eq(st.category, "net");
	ck_assert_str_eq(st.priority, "1");
	tkt_ticket_free(&t);
}
END_TEST

START_TEST(add_keeps_order)
{
	const char *steps[] = { "created 10", "routed 20 1", "noted 15",
	    "noted 30", NULL };
	struct tkt_ticket t;

	history(&t, steps);
	ck_assert_uint_eq(t.nev, 4);
	ck_assert_int_eq(t.ev[0].t, AT(10));
	ck_assert_int_eq(t.ev[1].t, AT(20));
	ck_assert_int_eq(t.ev[2].t, AT(20));
	ck_assert_int_eq(t.ev[3].t, AT(30));
	ck_assert_str_eq(t.ev[2].by, "alice");
	tkt_ticket_free(&t);
}
END_TEST

/* tkt_ticket_add copies the strings it is given. */
START_TEST(add_copies)
{
	struct tkt_event ev = { 0 };
	struct tkt_ticket t;
	char by[] = "bob", text[] = "why";

	ck_assert_int_eq(parse(&t, "Subject: s\n\n"), 0);
	ev.verb = TKT_NOTED;
	ev.by = by;
	ev.text = text;
	tkt_ticket_add(&t, &ev);
	by[0] = text[0] = 'X';
	ck_assert_str_eq(t.ev[0].by, "bob");
	ck_assert_str_eq(t.ev[0].text, "why");
	ck_assert_ptr_null(t.ev[0].client);
	tkt_ticket_free(&t);
}
END_TEST

/*
 * A history read from a file must already be in time order, with one
 * created event; events in the same second are fine.
 */
START_TEST(parse_order)
{
	struct tkt_ticket t;

	ck_assert_int_eq(parse(&t, "Subject: s\n"
	    "Tkt-Log: 2026-12-04T16:03:02Z created by=a\n"
	    "Tkt-Log: 2026-12-04T16:03:02Z routed by=rules tier=1\n"
	    "Tkt-Log: 2026-12-04T16:03:01Z noted by=b -- early\n"
	    "\n"), -1);
	ck_assert_str_eq(said, "tkt: t: line 4: history goes back in time\n");
	tkt_ticket_free(&t);
	ck_assert_int_eq(parse(&t, "Subject: s\n"
	    "Tkt-Log: 2026-12-04T16:03:02Z created by=a\n"
	    "Tkt-Log: 2026-12-04T16:03:02Z created by=b\n"
	    "\n"), -1);
	ck_assert_str_eq(said, "tkt: t: line 3: a second created event\n");
	tkt_ticket_free(&t);
}
END_TEST

/*
 * Values are decoded where they lie in the unfolded line: a value that
 * shrinks, one that does not (its NUL falls on the blank after it), a
 * '%' without two hex digits after it, which stands for itself.
 */
START_TEST(inplace_percent)
{
	struct tkt_ticket t;

	ck_assert_int_eq(parse(&t, "Subject: s\n"
	    "Tkt-Log: 2026-12-04T16:03:02Z created by=a%20b%2 client=%41c "
	    "category=100%25 priority=%zz msg=m%\n\n"), 0);
	ck_assert_str_eq(said, "");
	ck_assert_str_eq(t.ev[0].by, "a b%2");
	ck_assert_str_eq(t.ev[0].client, "Ac");
	ck_assert_str_eq(t.ev[0].category, "100%");
	ck_assert_str_eq(t.ev[0].priority, "%zz");
	ck_assert_str_eq(t.ev[0].msg, "m%");
	ck_assert_ptr_null(t.ev[0].text);
	tkt_ticket_free(&t);
	ck_assert_int_eq(parse(&t, "Subject: s\n"
	    "Tkt-Log: 2026-12-04T16:03:02Z created by=bob tier=2 "
	    "client=%62%6F%62 key=k\n\n"), 0);
	ck_assert_str_eq(t.ev[0].by, "bob");
	ck_assert_int_eq(t.ev[0].tier, 2);
	ck_assert_str_eq(t.ev[0].client, "bob");
	ck_assert_str_eq(t.ev[0].key, "k");
	tkt_ticket_free(&t);
}
END_TEST

/* A "--" with nothing after it is an empty text, not none. */
START_TEST(inplace_empty_text)
{
	static const char *const end[] = { "--", "-- " };
	struct tkt_ticket t;
	char in[256], *got;
	int i;

	for (i = 0; i < 2; i++) {
		snprintf(in, sizeof in, "Subject: s\n"
		    "Tkt-Log: 2026-12-04T16:03:02Z created by=alice\n"
		    "Tkt-Log: 2026-12-04T16:04:00Z noted by=bob %s\n\n",
		    end[i]);
		ck_assert_int_eq(parse(&t, in), 0);
		ck_assert_ptr_nonnull(t.ev[1].text);
		ck_assert_str_eq(t.ev[1].text, "");
		ck_assert_str_eq(t.ev[1].by, "bob");
		got = format(&t, NULL);
		ck_assert_ptr_nonnull(strstr(got, "Tkt-Log: "
		    "2026-12-04T16:04:00Z noted by=bob --\n\n"));
		free(got);
		tkt_ticket_free(&t);
	}
}
END_TEST

/*
 * Folded Tkt-Log lines are parsed after unfolding: only the newlines
 * go, so a tab that starts a continuation line stays in the token it
 * joins, as tkt(5) says.  CR LF line ends go too.
 */
START_TEST(inplace_folded)
{
	struct tkt_ticket t;

	ck_assert_int_eq(parse(&t, "Subject: s\n"
	    "Tkt-Log: 2026-12-04T16:03:02Z created\n"
	    " by=alice\n"
	    " client=acme -- the printer\n"
	    "  jams\n"
	    "Tkt-Log: 2026-12-04T16:05:00Z routed by=rules\n"
	    "\tcategory=x tier=1\n"
	    "\n"), 0);
	ck_assert_str_eq(said, "");
	ck_assert_str_eq(t.ev[0].by, "alice");
	ck_assert_str_eq(t.ev[0].client, "acme");
	ck_assert_str_eq(t.ev[0].text, "the printer  jams");
	ck_assert_str_eq(t.ev[1].by, "rules\tcategory=x");
	ck_assert_ptr_null(t.ev[1].category);
	ck_assert_int_eq(t.ev[1].tier, 1);
	tkt_ticket_free(&t);
	ck_assert_int_eq(parse(&t, "Subject: s\r\n"
	    " folded\r\n"
	    "Tkt-Log: 2026-12-04T16:03:02Z created\r\n"
	    " by=alice -- a\r\n"
	    " b\r\n"
	    "\r\n"), 0);
	ck_assert_str_eq(said, "");
	ck_assert_str_eq(tkt_ticket_get(&t, "subject"), "s folded");
	ck_assert_str_eq(t.ev[0].by, "alice");
	ck_assert_str_eq(t.ev[0].text, "a b");
	tkt_ticket_free(&t);
}
END_TEST

/*
 * Events added after a ticket was read, as commands add them: their
 * strings are the ticket's own copies, and the file has them all.
 */
START_TEST(pool_add_format)
{
	struct tkt_event ev = { 0 };
	struct tkt_ticket t;
	char by[] = "bob", client[] = "acme corp", text[] = "moved by hand";
	char *got;

	ck_assert_int_eq(parse(&t, HEAD "body\n"), 0);
	ev.t = 1796400300;
	ev.verb = TKT_ROUTED;
	ev.tier = 2;
	ev.by = by;
	ev.client = client;
	ev.text = text;
	tkt_ticket_add(&t, &ev);
	memset(&ev, 0, sizeof ev);
	ev.t = 1796400360;
	ev.verb = TKT_CLOSED_EV;
	ev.by = by;
	ev.text = "";
	tkt_ticket_add(&t, &ev);
	memset(by, 'X', 3);
	memset(client, 'X', 9);
	memset(text, 'X', 13);
	got = format(&t, NULL);
	ck_assert_str_eq(got, "Subject: s\n"
	    "Tkt-Id: " ID "\n"
	    "Tkt-State: closed\n"
	    "Tkt-Tier: 2\n"
	    "Tkt-Client: acme corp\n"
	    "Tkt-Log: 2026-12-04T16:03:02Z created by=alice\n"
	    "Tkt-Log: 2026-12-04T16:05:00Z routed by=bob tier=2 "
	    "client=acme%20corp -- moved\n"
	    " by hand\n"
	    "Tkt-Log: 2026-12-04T16:06:00Z closed by=bob --\n"
	    "\n"
	    "body\n");
	free(got);
	tkt_ticket_free(&t);
}
END_TEST

/*
 * Many events added after a read outgrow the first chunk of the pool
 * and the first array of events; those added early keep their strings.
 */
START_TEST(pool_many_adds)
{
	struct tkt_event ev = { 0 };
	struct tkt_ticket t, u;
	char by[32], text[3000], *once, *twice;
	size_t i, n;

	ck_assert_int_eq(parse(&t, canonical), 0);
	n = t.nev;
	for (i = 0; i < 300; i++) {
		snprintf(by, sizeof by, "user%zu", i);
		memset(text, 'a' + i % 26, i * 7 % (sizeof text - 1));
		text[i * 7 % (sizeof text - 1)] = '\0';
		ev.t = 1796403600 + (time_t)i;
		ev.verb = TKT_NOTED;
		ev.by = by;
		ev.text = text;
		ev.key = i % 3 == 0 ? "k e%y" : NULL;
		tkt_ticket_add(&t, &ev);
	}
	ck_assert_uint_eq(t.nev, n + 300);
	for (i = 0; i < 300; i++) {
		snprintf(by, sizeof by, "user%zu", i);
		ck_assert_str_eq(t.ev[n + i].by, by);
		ck_assert_uint_eq(strlen(t.ev[n + i].text),
		    i * 7 % (sizeof text - 1));
		ck_assert(t.ev[n + i].text[0] == '\0' ||
		    t.ev[n + i].text[0] == (char)('a' + i % 26));
		if (i % 3 == 0)
			ck_assert_str_eq(t.ev[n + i].key, "k e%y");
		else
			ck_assert_ptr_null(t.ev[n + i].key);
	}
	ck_assert_str_eq(t.ev[2].text,
	    "tier 1 limit 30m reached without a plan");
	ck_assert_str_eq(tkt_ticket_get(&t, "Subject"),
	    "Printer on 3rd floor jams");
	once = format(&t, NULL);
	ck_assert_int_eq(parse(&u, once), 0);
	ck_assert_uint_eq(u.nev, n + 300);
	twice = format(&u, NULL);
	ck_assert_str_eq(twice, once);
	free(once);
	free(twice);
	tkt_ticket_free(&t);
	tkt_ticket_free(&u);
}
END_TEST

/* tkt_ticket_str: a copy, however long, that goes with the ticket. */
START_TEST(pool_str)
{
	struct tkt_ticket t;
	char key[] = "printer 3rd floor", big[5000], *s, *b, *got;

	ck_assert_int_eq(parse(&t, HEAD), 0);
	s = tkt_ticket_str(&t, key);
	memset(big, 'b', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	b = tkt_ticket_str(&t, big);
	ck_assert_ptr_ne(s, key);
	memset(key, 'X', sizeof key - 1);
	ck_assert_str_eq(s, "printer 3rd floor");
	ck_assert_str_eq(b, big);
	ck_assert_str_eq(tkt_ticket_str(&t, ""), "");
	t.ev[0].key = s;
	got = format(&t, NULL);
	ck_assert_ptr_nonnull(strstr(got, "Tkt-Log: 2026-12-04T16:03:02Z "
	    "created by=alice key=printer%203rd%20floor\n"));
	free(got);
	tkt_ticket_free(&t);
}
END_TEST

static void
norm(const char *in, size_t n, const char *want)
{
	char out[256];

	ck_assert_uint_le(n, sizeof out);
	memset(out, '@', sizeof out);
	ck_assert_ptr_eq(tkt_subject_norm(in, out, n), out);
	ck_assert_str_eq(out, want);
	if (n < sizeof out)
		ck_assert_int_eq(out[n], '@');
}

START_TEST(subject_norm)
{
	norm("Re: Fwd: [abc] Printer 3 down", 256, "printer # down");
	norm("AW: SV: WG: Drucker  kaputt", 256, "drucker kaputt");
	norm("re:fw:RE: FWD: [x][y] Room 101\t\tcold ", 256, "room # cold");
	norm("  \t Tr: Vs: Mail\r\n  is\tslow\n", 256, "mail is slow");
	norm("Reply: not a prefix", 256, "reply: not a prefix");
	norm("Printer [3] Re: down", 256, "printer [#] re: down");
	norm("[unclosed tag", 256, "[unclosed tag");
	norm("", 256, "");
	norm("Re: ", 256, "");
	norm("Caf\xc3\xa9 BROKEN", 256, "caf\xc3\xa9 broken");
}
END_TEST

/* A short buffer holds a prefix of the whole result, NUL-ended. */
START_TEST(subject_norm_tiny)
{
	norm("Re: Printer 3 down", 1, "");
	norm("Re: Printer 3 down", 2, "p");
	norm("Re: Printer 3 down", 8, "printer");
	norm("Re: Printer 3 down", 10, "printer #");
	norm("Re: Printer 3 down", 15, "printer # down");
}
END_TEST

/*
 * When the buffer ends at a blank, the result must still be a prefix
 * of the full one ("ab" or "ab "), never the next word glued on.
 */
START_TEST(subject_norm_tiny_blank)
{
	char out[4];

	tkt_subject_norm("ab cd", out, sizeof out);
	ck_assert_msg(strcmp(out, "ab") == 0 || strcmp(out, "ab ") == 0,
	    "got \"%s\"", out);
}
END_TEST

/* With no room at all nothing may be written. */
START_TEST(subject_norm_zero)
{
	char out[2] = "@";

	tkt_subject_norm("printer", out, 0);
	ck_assert_int_eq(out[0], '@');
}
END_TEST

Suite *
ticket_suite(void)
{
	Suite *s = suite_create("ticket");
	TCase *tc = tcase_create("ticket");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, roundtrip_canonical);
	tcase_add_test(tc, parse_fields);
	tcase_add_test(tc, odd_headers_kept);
	tcase_add_test(tc, odd_headers_values);
	tcase_add_test(tc, header_name_8bit);
	tcase_add_test(tc, body_kept);
	tcase_add_test(tc, body_empty);
	tcase_add_test(tc, summary_regenerated);
	tcase_add_test(tc, summary_values);
	tcase_add_loop_test(tc, event_verbs, 0, sizeof lines / sizeof *lines);
	tcase_add_test(tc, verb_names);
	tcase_add_test(tc, event_key_order);
	tcase_add_test(tc, event_percent);
	tcase_add_test(tc, event_percent_lower);
	tcase_add_test(tc, event_text);
	tcase_add_test(tc, event_text_controls);
	tcase_add_test(tc, fold_long_reason);
	tcase_add_test(tc, fold_awkward);
	tcase_add_test(tc, fold_random);
	tcase_add_loop_test(tc, event_bad, 0,
	    sizeof badlogs / sizeof *badlogs);
	tcase_add_test(tc, event_bad_folded);
	tcase_add_test(tc, invalid_files);
	tcase_add_test(tc, invalid_big_header);
	tcase_add_test(tc, invalid_endless_line);
	tcase_add_test(tc, header_limit_counts_name);
	tcase_add_test(tc, header_section_limit);
	tcase_add_test(tc, read_file);
	tcase_add_test(tc, read_missing);
	tcase_add_test(tc, state_sequence);
	tcase_add_test(tc, state_reopen_unrouted);
	tcase_add_test(tc, state_routing);
	tcase_add_test(tc, state_fields);
	tcase_add_test(tc, add_keeps_order);
	tcase_add_test(tc, add_copies);
	tcase_add_test(tc, parse_order);
	tcase_add_test(tc, inplace_percent);
	tcase_add_test(tc, inplace_empty_text);
	tcase_add_test(tc, inplace_folded);
	tcase_add_test(tc, pool_add_format);
	tcase_add_test(tc, pool_many_adds);
	tcase_add_test(tc, pool_str);
	tcase_add_test(tc, subject_norm);
	tcase_add_test(tc, subject_norm_tiny);
	tcase_add_test(tc, subject_norm_tiny_blank);
	tcase_add_test(tc, subject_norm_zero);
	suite_add_tcase(s, tc);
	return s;
}
