/*
 * mail.c: header text of incoming mail to UTF-8.
 *
 * RFC 2047 encoded words are decoded; adjacent ones (separated only by
 * blanks) join without the blanks, and the bytes of a run of them in
 * one charset are converted together, so a character split across two
 * words comes out whole.  Text that is not valid UTF-8 is read as
 * ISO-8859-1, which maps every byte to a character: raw 8-bit headers
 * never pass through broken.
 */

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tkt.h"

/* Length of the valid UTF-8 sequence at s, or 0. */
static size_t
utf8len(const unsigned char *s, size_t n)
{
	size_t len, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xf0 && s[1] < 0x90) ||
	    (s[0] == 0xed && s[1] > 0x9f) || (s[0] == 0xf4 && s[1] > 0x8f))
		return 0;
	return len;
}

int
tkt_utf8_valid(const char *s, size_t n)
{
	size_t i, k;

	for (i = 0; i < n; i += k)
		if ((k = utf8len((const unsigned char *)s + i, n - i)) == 0)
			return 0;
	return 1;
}

static void
latin1(struct tkt_buf *b, const char *s, size_t n)
{
	unsigned char c, u[2];
	size_t i;

	for (i = 0; i < n; i++) {
		c = s[i];
		if (c < 0x80) {
			tkt_buf_add(b, &c, 1);
			continue;
		}
		u[0] = 0xc0 | c >> 6;
		u[1] = 0x80 | (c & 0x3f);
		tkt_buf_add(b, u, 2);
	}
}

/* Bytes as UTF-8: kept when valid, else read as ISO-8859-1. */
static void
asutf8(struct tkt_buf *b, const char *s, size_t n)
{
	if (tkt_utf8_valid(s, n))
		tkt_buf_add(b, s, n);
	else
		latin1(b, s, n);
}

static int
isutf8name(const char *cs)
{
	return strcasecmp(cs, "utf-8") == 0 || strcasecmp(cs, "utf8") == 0 ||
	    strcasecmp(cs, "us-ascii") == 0;
}

/* Convert n bytes in charset cs to UTF-8, through iconv(3) if need be. */
static void
convert(struct tkt_buf *b, const char *cs, const char *s, size_t n)
{
	char *in, *out, *obuf;
	size_t il, ol, cap;
	iconv_t cd;

	if (isutf8name(cs) || (cd = iconv_open("UTF-8", cs)) ==
	    (iconv_t)-1) {
		asutf8(b, s, n);
		return;
	}
	/* Some charsets grow more than fourfold; retry with more room. */
	for (cap = 4 * n + 16;; cap *= 2) {
		obuf = out = tkt_alloc(cap);
		in = (char *)s;
		il = n;
		ol = cap;
		iconv(cd, NULL, NULL, NULL, NULL);
		if (iconv(cd, &in, &il, &out, &ol) != (size_t)-1 &&
		    iconv(cd, NULL, NULL, &out, &ol) != (size_t)-1) {
			asutf8(b, obuf, cap - ol);
			break;
		}
		free(obuf);
		obuf = NULL;
		if (errno != E2BIG || cap > 64 * n + 1024) {
			asutf8(b, s, n);
			break;
		}
	}
	iconv_close(cd);
	free(obuf);
}

static int
b64val(int c)
{
	const char *p;
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

	if (c == '\0' || (p = strchr(tab, c)) == NULL)
		return -1;
	return (int)(p - tab);
}

static void
unbase64(struct tkt_buf *raw, const char *s, size_t n)
{
	unsigned acc;
	size_t i;
	int v, bits;
	char c;

	acc = 0;
	bits = 0;
	for (i = 0; i < n; i++) {
		if ((v = b64val(s[i])) < 0)
			continue;
		acc = acc << 6 | v;
		if ((bits += 6) >= 8) {
			bits -= 8;
			c = (char)(acc >> bits & 0xff);
			tkt_buf_add(raw, &c, 1);
		}
	}
}

static int
hex(int c)
{
	if (isdigit(c))
		return c - '0';
	c = toupper(c);
	return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static void
unquote(struct tkt_buf *raw, const char *s, size_t n)
{
	size_t i;
	char c;

	for (i = 0; i < n; i++) {
		c = s[i];
		if (c == '_')
			c = ' ';
		else if (c == '=' && i + 2 < n && hex(s[i + 1]) >= 0 &&
		    hex(s[i + 2]) >= 0) {
			c = (char)(hex(s[i + 1]) << 4 | hex(s[i + 2]));
			i += 2;
		}
		tkt_buf_add(raw, &c, 1);
	}
}

struct word {
	char	 cs[64];
	char	 enc;
	const char *text;
	size_t	 tlen;
	size_t	 len;			/* of the whole =?...?= */
};

/* Parse the encoded word at s, if it is one. */
static int
word(const char *s, struct word *w)
{
	const char *q1, *q2, *end;
	size_t n;

	if (strncmp(s, "=?", 2) != 0 || (q1 = strchr(s + 2, '?')) == NULL)
		return 0;
	n = q1 - (s + 2);
	if (n == 0 || n >= sizeof w->cs || strcspn(s + 2, " \t") < n)
		return 0;
	w->enc = (char)toupper((unsigned char)q1[1]);
	if ((w->enc != 'Q' && w->enc != 'B') || q1[2] != '?')
		return 0;
	q2 = q1 + 3;
	if ((end = strstr(q2, "?=")) == NULL ||
	    (size_t)(end - q2) != strcspn(q2, " \t?"))
		return 0;
	memcpy(w->cs, s + 2, n);
	w->cs[n] = '\0';
	if (strchr(w->cs, '*') != NULL)		/* RFC 2231 language */
		*strchr(w->cs, '*') = '\0';
	w->text = q2;
	w->tlen = end - q2;
	w->len = end + 2 - s;
	return 1;
}

static void
flush(struct tkt_buf *out, struct tkt_buf *raw, const char *cs)
{
	if (raw->len > 0)
		convert(out, cs, raw->s, raw->len);
	raw->len = 0;
}

/* Decode a header value to UTF-8; the result is malloc'd. */
char *
tkt_mail_decode(const char *s)
{
	struct tkt_buf out = { 0 }, raw = { 0 };
	struct word w;
	char cs[64] = "";
	size_t ws;

	tkt_buf_add(&out, "", 0);
	while (*s != '\0') {
		if (word(s, &w)) {
			if (strcasecmp(cs, w.cs) != 0)
				flush(&out, &raw, cs);
			strcpy(cs, w.cs);
			if (w.enc == 'B')
				unbase64(&raw, w.text, w.tlen);
			else
				unquote(&raw, w.text, w.tlen);
			s += w.len;
			ws = strspn(s, " \t");
			if (word(s + ws, &w))
				s += ws;
			continue;
		}
		flush(&out, &raw, cs);
		ws = strcspn(s + 1, "=") + 1;
		asutf8(&out, s, ws);
		s += ws;
	}
	flush(&out, &raw, cs);
	tkt_buf_free(&raw);
	return out.s;
}
