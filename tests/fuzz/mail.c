/*
 * mail.c: the libFuzzer target for what reads mail and tickets
 * (make fuzz).
 *
 * Each input is taken as a whole message, as tkt-new -m gets it: MIME
 * parsed, with every attachment decoded; as a header value to decode
 * and as a Date to read, up to its first NUL; and as a ticket file.
 * Besides the sanitizers' findings, it aborts on a result that breaks
 * what tkt.h promises of it: text and names in valid UTF-8, and so on.
 */

#include <sanitizer/common_interface_defs.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tkt.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define PROMISE(c)	((c) ? (void)0 : broken(#c, __LINE__))

/* Said where the sanitizers report: make fuzz closes stderr. */
static _Noreturn void
broken(const char *what, int line)
{
	char msg[256];

	snprintf(msg, sizeof msg, "mail.c:%d: broken promise: %s", line,
	    what);
	__sanitizer_report_error_summary(msg);
	abort();
}

static int
utf8(const char *s)
{
	return tkt_utf8_valid(s, strlen(s));
}

/* Whether CR LF is in s; a lone CR is no line end. */
static int
crlf(const char *s, size_t len)
{
	const char *p;

	for (p = s; (p = memchr(p, '\r', len - (p - s))) != NULL; p++)
		if (p + 1 < s + len && p[1] == '\n')
			return 1;
	return 0;
}

static int
lowercase(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s >= 'A' && *s <= 'Z')
			return 0;
	return 1;
}

/* A failed tkt_mime_parse leaves m zeroed, as tkt.h says. */
static void
mime(const char *msg, size_t len)
{
	struct tkt_mime m;
	struct tkt_buf b;
	size_t i;

	memset(&m, 0, sizeof m);
	if (tkt_mime_parse(msg, len, &m) != 0)
		return;
	if (m.text != NULL) {
		PROMISE(tkt_utf8_valid(m.text, m.textlen));
		PROMISE(memchr(m.text, '\0', m.textlen) == NULL);
		PROMISE(!crlf(m.text, m.textlen));
	}
	for (i = 0; i < m.npart; i++) {
		PROMISE(m.part[i].n == (int)i + 1);
		PROMISE(m.part[i].type == NULL || lowercase(m.part[i].type));
		PROMISE(m.part[i].name == NULL || utf8(m.part[i].name));
		memset(&b, 0, sizeof b);
		if (tkt_mime_part(msg, len, m.part[i].n, &b) == 0)
			PROMISE(b.len == m.part[i].size);
		tkt_buf_free(&b);
	}
	tkt_mime_free(&m);
}

static void
header(const char *s)
{
	time_t t;
	char *d;

	d = tkt_mail_decode(s);
	PROMISE(utf8(d));
	free(d);
	tkt_time_parsemail(s, &t);
}

/*
 * tkt_ticket_parse takes over a malloc'd buffer with a NUL after its
 * len bytes, as tkt_ticket_read hands it, and tkt_ticket_free frees it
 * whether the parse failed or not.  A message's headers go on to what
 * tkt-new -m makes of them.
 */
static void
ticket(const char *data, size_t len)
{
	struct tkt_ticket t;
	const char *v;
	char *buf;

	buf = tkt_alloc(len + 1);
	memcpy(buf, data, len);
	buf[len] = '\0';
	if (tkt_ticket_parse(&t, "fuzz", buf, len, 1) == 0) {
		if ((v = tkt_ticket_get(&t, "From")) != NULL)
			header(v);
		if ((v = tkt_ticket_get(&t, "Subject")) != NULL)
			header(v);
		if ((v = tkt_ticket_get(&t, "Date")) != NULL)
			header(v);
	}
	tkt_ticket_free(&t);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	char *s;

	mime((const char *)data, len);
	s = tkt_strndup((const char *)data, len);
	header(s);
	free(s);
	ticket((const char *)data, len);
	return 0;
}
