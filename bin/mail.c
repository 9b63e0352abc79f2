/*
 * mail.c: header text of incoming mail to UTF-8.
 *
 * RFC 2047 encoded words are decoded; adjacent ones (separated only by
 * blanks) join without the blanks, and the bytes of a run of them in
 * one charset are converted together, so a character split across two
 * words comes out whole.  Text that is not valid UTF-8 is read as
 * ISO-8859-1, which maps every byte to a character: raw 8-bit headers
 * never pass through broken.
 *
 * tkt_mail_convert turns bytes in a named charset into UTF-8 for the
 * headers and for the MIME bodies (mime.c).  Mail labelled us-ascii
 * that is not, or ISO-8859-1 with bytes in 0x80-0x9f, where Latin-1
 * has only unused control characters, is in practice windows-1252, so
 * it is converted as that: 0x80 is the euro sign, not U+0080.  Bytes
 * with no charset, or whose charset iconv(3) does not know or rejects,
 * are kept when they are valid UTF-8 and else read as ISO-8859-1.
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
	size_t i, run;

	for (i = 0; i < n; i += run) {
		for (run = 0; i + run < n && (unsigned char)s[i + run] < 0x80;
		    run++)
			;
		if (run > 0) {
			tkt_buf_add(b, s + i, run);
			continue;
		}
		c = s[i];
		u[0] = 0xc0 | c >> 6;
		u[1] = 0x80 | (c & 0x3f);
		tkt_buf_add(b, u, 2);
		run = 1;
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
isname(const char *cs, const char *const *names)
{
	for (; *names != NULL; names++)
		if (strcasecmp(cs, *names) == 0)
			return 1;
	return 0;
}

static const char *const utf8names[] = { "utf-8", "utf8", NULL };
static const char *const asciinames[] = {
	"us-ascii", "ascii", "ansi_x3.4-1968", NULL
};
static const char *const latin1names[] = {
	"iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", NULL
};
/* Those iconv(3) knows; the last above it does not. */
static const char *const iconvlatin1[] = {
	"iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", NULL
};

/* Any byte that is a C1 control in Latin-1 and printable in 1252. */
static int
hasc1(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80 && (unsigned char)s[i] <= 0x9f)
			return 1;
	return 0;
}

/* Convert n bytes in charset cs to UTF-8 through iconv(3). */
static void
iconvert(struct tkt_buf *b, const char *cs, const char *s, size_t n)
{
	char *in, *out, *obuf;
	size_t il, ol, cap;
	iconv_t cd;

	if ((cd = iconv_open("UTF-8", cs)) == (iconv_t)-1) {
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

void
tkt_mail_convert(struct tkt_buf *b, const char *cs, const char *s,
    size_t n)
{
	if (n == 0) {
		tkt_buf_add(b, "", 0);
		return;
	}
	if (cs == NULL || *cs == '\0' || isname(cs, utf8names) ||
	    (isname(cs, asciinames) && tkt_utf8_valid(s, n))) {
		asutf8(b, s, n);
		return;
	}
	if (isname(cs, asciinames) || (isname(cs, latin1names) &&
	    hasc1(s, n)))
		cs = "WINDOWS-1252";
	/*
	 * ISO-8859-1 gives each byte the code point of its value, which is
	 * what iconv would do too, at the cost of loading a module for it.
	 */
	else if (isname(cs, iconvlatin1)) {
		latin1(b, s, n);
		return;
	}
	iconvert(b, cs, s, n);
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
			if (c != '\0')		/* it would end the value */
				tkt_buf_add(raw, &c, 1);
		}
	}
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
		else if (c == '=' && i + 2 < n && tkt_hexval(s[i + 1]) >= 0 &&
		    tkt_hexval(s[i + 2]) >= 0) {
			c = (char)(tkt_hexval(s[i + 1]) << 4 |
			    tkt_hexval(s[i + 2]));
			i += 2;
		}
		if (c != '\0')
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
		tkt_mail_convert(out, cs, raw->s, raw->len);
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

/* Length of the line end at s, or 0: LF, CRLF, or a lone CR. */
static size_t
eol(const char *s, const char *end)
{
	if (s < end && *s == '\n')
		return 1;
	if (s < end && *s == '\r')
		return s + 1 < end && s[1] == '\n' ? 2 : 1;
	return 0;
}

/* Where the line at s ends, before its line end. */
static const char *
lineend(const char *s, const char *end)
{
	while (s < end && *s != '\n' && *s != '\r')
		s++;
	return s;
}

/* The length of the field name before colon, or 0 if it is none. */
static size_t
fieldname(const char *s, const char *colon)
{
	const char *e;

	/* RFC 5322's obsolete syntax allows blanks before the colon. */
	for (e = colon; e > s && (e[-1] == ' ' || e[-1] == '\t'); e--)
		;
	if (e == s)
		return 0;
	for (colon = s; colon < e; colon++)
		if ((unsigned char)*colon <= ' ' ||
		    (unsigned char)*colon >= 0x7f)
			return 0;
	return e - s;
}

/* The value of the field in s..e: unfolded, NULs as spaces, trimmed. */
static char *
fieldvalue(const char *s, const char *e)
{
	char *v, *o;
	size_t n;

	o = v = tkt_alloc(e - s + 1);
	for (; s < e; s++)
		if (*s != '\n' && *s != '\r')
			*o++ = *s == '\0' ? ' ' : *s;
	*o = '\0';
	n = strspn(v, " \t");
	memmove(v, v + n, o - v - n + 1);
	n = strlen(v);
	while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
		v[--n] = '\0';
	return v;
}

/*
 * The length of the mbox "From " line that begins the mail, line end
 * included, or 0; "From  :" is a field of the obsolete syntax instead.
 */
size_t
tkt_mail_envelope(const char *m, size_t n)
{
	const char *e;
	size_t i;

	if (n < 5 || memcmp(m, "From ", 5) != 0)
		return 0;
	for (i = 5; i < n && (m[i] == ' ' || m[i] == '\t'); i++)
		;
	if (i < n && m[i] == ':')
		return 0;
	e = lineend(m, m + n);
	return e + eol(e, m + n) - m;
}

/* Where the first field of a mail would be. */
static const char *
firstfield(const char *m, size_t n)
{
	const char *s, *end;

	end = m + n;
	s = m + tkt_mail_envelope(m, n);
	/* Continuation lines of no field at all are dropped. */
	while (s < end && (*s == ' ' || *s == '\t')) {
		s = lineend(s, end);
		s += eol(s, end);
	}
	return s;
}

/*
 * The length of the name of the field whose first line is at s, or 0
 * when that is no field; its colon and the end of the line.
 */
static size_t
field(const char *s, const char *end, const char **colon, const char **le)
{
	if (s == end || eol(s, end) != 0)
		return 0;
	*le = lineend(s, end);
	if ((*colon = memchr(s, ':', *le - s)) == NULL)
		return 0;
	return fieldname(s, *colon);
}

/* Whether tkt_mail_headers would find a field in the mail. */
int
tkt_mail_hasfield(const char *m, size_t n)
{
	const char *colon, *le;

	return field(firstfield(m, n), m + n, &colon, &le) > 0;
}

/*
 * The header fields of a whole mail as received, in order and
 * unfolded, with the offset of its body.  Lines end in LF, CRLF or CR
 * and may be of any length.  An mbox "From " line first is skipped, and
 * so are continuation lines before the first field.  A line that is
 * neither a field nor a continuation ends the header and is the first
 * line of the body, so that no text is lost.
 */
size_t
tkt_mail_headers(const char *m, size_t n, struct tkt_hdr **hp, size_t *np)
{
	const char *s, *e, *end, *colon, *le;
	struct tkt_hdr *h;
	size_t k, cap;

	*hp = NULL;
	*np = cap = 0;
	end = m + n;
	for (s = firstfield(m, n); s < end && eol(s, end) == 0; s = e) {
		if ((k = field(s, end, &colon, &le)) == 0)
			return s - m;
		e = le + eol(le, end);
		while (e < end && (*e == ' ' || *e == '\t')) {
			le = lineend(e, end);
			e = le + eol(le, end);
		}
		if (*np == cap) {
			cap = cap ? 2 * cap : 16;
			*hp = tkt_realloc(*hp, cap * sizeof **hp);
		}
		h = &(*hp)[(*np)++];
		h->raw = s;
		h->rawlen = e - s;
		h->name = tkt_strndup(s, k);
		h->value = fieldvalue(colon + 1, e);
	}
	return s + eol(s, end) - m;
}

void
tkt_mail_headers_free(struct tkt_hdr *h, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(h[i].name);
		free(h[i].value);
	}
	free(h);
}

/* The first field called name, or NULL: one rule for every command. */
const char *
tkt_mail_get(const struct tkt_hdr *h, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcasecmp(h[i].name, name) == 0)
			return h[i].value;
	return NULL;
}

/*
 * The next "<...>" message identifier in *sp, advancing *sp past it;
 * NULL when there is none.  The result is malloc'd.
 */
char *
tkt_mail_msgid(const char **sp)
{
	const char *a, *b, *c;

	if ((a = strchr(*sp, '<')) == NULL || (b = strchr(a, '>')) == NULL)
		return NULL;
	/* Of "<abc <d@x>", a broken ID and a good one, the good one. */
	while ((c = memchr(a + 1, '<', b - a - 1)) != NULL)
		a = c;
	*sp = b + 1;
	return tkt_strndup(a, b + 1 - a);
}

/* The value without its comments, which nest; quotes are kept. */
static char *
uncomment(const char *s)
{
	char *out, *o;
	int depth, quoted;

	o = out = tkt_alloc(strlen(s) + 1);
	for (depth = quoted = 0; *s != '\0'; s++) {
		if (*s == '\\' && s[1] != '\0') {
			if (depth == 0)
				*o++ = *s, *o++ = s[1];
			s++;
		} else if (*s == '"' && depth == 0) {
			quoted = !quoted;
			*o++ = *s;
		} else if (*s == '(' && !quoted)
			depth++;
		else if (*s == ')' && !quoted && depth > 0) {
			if (--depth == 0)
				*o++ = ' ';
		} else if (depth == 0)
			*o++ = *s;
	}
	*o = '\0';
	return out;
}

/*
 * The address of a From value, in lower case and malloc'd: what is in
 * the last angle brackets outside comments, else the first word with
 * an '@' in it.
 */
char *
tkt_mail_addr(const char *from)
{
	const char *p, *v;
	char *addr, *q, *id, *bare;
	size_t n;

	bare = uncomment(from);
	addr = NULL;
	for (p = bare; (id = tkt_mail_msgid(&p)) != NULL; ) {
		free(addr);
		addr = tkt_strndup(id + 1, strlen(id) - 2);
		free(id);
	}
	if (addr == NULL) {
		for (v = bare; *v != '\0'; v += n) {
			v += strspn(v, " \t,;<>\"");
			n = strcspn(v, " \t,;<>\"");
			if (memchr(v, '@', n) != NULL)
				break;
		}
		addr = tkt_strndup(v, strcspn(v, " \t,;<>\""));
	}
	free(bare);
	for (q = addr; *q != '\0'; q++)
		*q = (char)tolower((unsigned char)*q);
	return addr;
}

/* Skip one of the prefixes (and its "[2]" count) and the colon. */
static const char *
prefix(const char *s, char *const *pre, size_t npre)
{
	size_t i, n;
	const char *p;

	for (i = 0; i < npre; i++) {
		n = strlen(pre[i]);
		if (strncasecmp(s, pre[i], n) != 0)
			continue;
		p = s + n;
		if (*p == '[' || *p == '(')
			p += strspn(p + 1, "0123456789") + 1;
		if (p > s + n && (p[0] == ']' || p[0] == ')'))
			p++;
		p += strspn(p, " \t");
		if (*p == ':')
			return p + 1;
		if (strncmp(p, "\xef\xbc\x9a", 3) == 0)	/* full-width */
			return p + 3;
	}
	return NULL;
}

/*
 * The ticket ID a subject names in "[ID]" after any number of reply
 * and forward prefixes: 1 and id set, or 0.
 */
int
tkt_mail_thread(const char *subj, char *const *pre, size_t npre,
    char id[TKT_IDLEN + 1])
{
	static const char b32[] = "0123456789abcdefghjkmnpqrstvwxyz";
	const char *next;
	int i;

	for (;;) {
		subj += strspn(subj, " \t");
		if ((next = prefix(subj, pre, npre)) == NULL)
			break;
		subj = next;
	}
	if (*subj != '[')
		return 0;
	for (i = 0; i < TKT_IDLEN; i++) {
		id[i] = (char)tolower((unsigned char)subj[1 + i]);
		if (id[i] == '\0' || strchr(b32, id[i]) == NULL)
			return 0;
	}
	id[TKT_IDLEN] = '\0';
	return subj[1 + TKT_IDLEN] == ']';
}

/*
 * Append "name: value" for a ticket: one line of valid UTF-8 (value is
 * that already), control bytes as blanks, cut at 64 KiB at a character
 * so the ticket stays readable; nothing for a NULL or empty value.
 */
void
tkt_mail_puthdr(struct tkt_buf *b, const char *name, const char *v)
{
	size_t n;

	if (v == NULL || *v == '\0')
		return;
	if ((n = strlen(v)) > 64 * 1024)
		for (n = 64 * 1024; ((unsigned char)v[n] & 0xc0) == 0x80; n--)
			;
	tkt_buf_fmt(b, "%s: ", name);
	for (; n > 0; v++, n--)
		tkt_buf_add(b, (unsigned char)*v < ' ' || *v == 0x7f ? " " : v,
		    1);
	tkt_buf_str(b, "\n");
}
