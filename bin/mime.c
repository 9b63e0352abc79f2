/*
 * mime.c: the readable text and the attachments of a whole mail
 * (RFC 2045, 2046, 2231), as an MTA delivers it.
 *
 * tkt_mime_parse walks the MIME tree once, depth first, in document
 * order.  The parts a person reads as the message become one UTF-8
 * text; every other leaf is an attachment, numbered 1, 2, ... in the
 * order met, and tkt_mime_part finds attachment n by the same walk.
 * The input may be any bytes: the walk reads only within them, follows
 * at most MAXDEPTH nested multiparts, and recurses no deeper than that,
 * so only the heap grows with the input, and linearly.
 *
 * Which parts are text.  A leaf is inline text when it is text/plain or
 * text/html, not Content-Disposition: attachment, and has no file name.
 * A multipart/alternative gives its first text/plain part, else its
 * first text/html or multipart part; the alternatives not chosen give
 * only their attachments (the images of a multipart/related, an
 * invitation's text/calendar).  A multipart/report gives its first
 * part and makes attachments of the rest.  Any other multipart gives
 * each part in turn, but text/html there is an attachment when a
 * sibling is inline text/plain.  Texts are joined by one blank line.
 *
 * HTML is made text by tkt_html_text (html.c).  In a multipart/digest
 * a part without Content-Type is message/rfc822, elsewhere text/plain.
 *
 * Deliberate deviations from the RFCs, all to read what was meant:
 *	- No MIME-Version field is needed.  Line ends may be CRLF, LF or
 *	  mixed; a first mbox "From " line is skipped.
 *	- A header section also ends at the first line that is neither a
 *	  field nor a continuation, which then starts the body.
 *	- A multipart without a boundary, or without a part between its
 *	  delimiters, is read as text/plain.  A missing close delimiter
 *	  ends at the end of the input.  A multipart nested deeper than
 *	  MAXDEPTH is an attachment of its (decoded) body.
 *	- A multipart in base64 or quoted-printable is decoded first.
 *	- An unparsable Content-Type is application/octet-stream.
 *	- Bad quoted-printable escapes are kept as they are; base64 skips
 *	  whatever is not in its alphabet, padding included.
 *	- Text without a charset, or in one iconv(3) does not know, is
 *	  kept if valid UTF-8 and else read as ISO-8859-1 (mail.c).
 *	- In the text, CRLF and a lone CR become LF; C0 controls other
 *	  than tab and newline, DEL and C1 controls are dropped, since
 *	  they would reach a terminal; so is a leading byte order mark.
 *	- A file name loses its control characters and everything up to
 *	  its last slash or backslash; ".", ".." and "" are no name.  A
 *	  message/rfc822 part without a file name is named by its Subject,
 *	  with slashes and backslashes made underscores.
 */

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tkt.h"

#define MAXDEPTH	20	/* nested multiparts read as such */
#define MAXSECT		64	/* RFC 2231 sections of one parameter */
#define MAXCS		64	/* bytes in a charset name */

enum mode {
	TEXT,			/* inline text is read */
	NOTEXT,			/* an alternative not chosen: text dropped */
	ATTACH			/* every leaf is an attachment */
};

enum kind {
	OTHER,
	PLAIN,			/* inline text/plain */
	HTML,			/* inline text/html */
	MULTI			/* multipart/anything */
};

struct ent {
	const char	*body;
	size_t		 blen;
	char		*type;		/* lower case, no parameters */
	char		*ctype;		/* these three: field values or NULL */
	char		*cte;
	char		*disp;
	char		*name;		/* file name, cleaned, or NULL */
	enum kind	 kind;
};

struct walk {
	struct tkt_buf	 text;
	struct tkt_part	*part;
	size_t		 npart;
	size_t		 partcap;
	int		 n;		/* attachments met so far */
	int		 want;		/* tkt_mime_part's n, else 0 */
	struct tkt_buf	*out;		/* where its bytes go */
	int		 found;
	struct tkt_buf	 scratch;	/* an attachment, decoded to size it */
};

/* Where a multipart's parts are: nextpart() reads them in turn. */
struct parts {
	const char	*s;
	size_t		 n;
	const char	*b;		/* the boundary */
	size_t		 bl;
	const char	*def;		/* default type of a part */
	size_t		 i;		/* the next line */
	size_t		 start;		/* of the part now open */
	int		 open;
	int		 done;
};

struct span {
	const char	*s;
	size_t		 n;
};

struct pval {
	char	*plain;			/* name=value */
	char	*ext;			/* name*=charset'lang'%xx */
	char	*sect[MAXSECT];		/* name*k= or name*k*= */
	int	 sectext[MAXSECT];	/* name*k*= */
	int	 nsect;			/* sect[nsect] on are unused */
};

static void	entity(struct walk *, struct ent *, int, enum mode);

/* Offset of the LF that ends the line at s + i, or n. */
static size_t
eol(const char *s, size_t n, size_t i)
{
	const char *p;

	if ((p = memchr(s + i, '\n', n - i)) == NULL)
		return n;
	return p - s;
}

static int
isws(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* RFC 2045 token characters. */
static int
istoken(int c)
{
	return c > ' ' && c < 0x7f && strchr("()<>@,;:\\\"/[]?=", c) == NULL;
}

/* Length of the field name that starts the line, or 0 if none. */
static size_t
fieldname(const char *s, size_t n)
{
	size_t i, k;

	for (i = 0; i < n && (unsigned char)s[i] > ' ' &&
	    (unsigned char)s[i] < 0x7f && s[i] != ':'; i++)
		;
	for (k = i; k < n && (s[k] == ' ' || s[k] == '\t'); k++)
		;
	return i > 0 && k < n && s[k] == ':' ? i : 0;
}

/*
 * The header section of the entity at s is its first *hlen bytes; the
 * offset of its body is returned.
 */
static size_t
headers(const char *s, size_t n, size_t *hlen)
{
	size_t i, e, ll;
	int field;

	field = 0;
	for (i = 0; i < n; i = e + 1) {
		e = eol(s, n, i);
		ll = e - i;
		if (ll > 0 && s[e - 1] == '\r')
			ll--;
		if (ll == 0) {
			*hlen = i;
			return e < n ? e + 1 : n;
		}
		if (field && (s[i] == ' ' || s[i] == '\t'))
			continue;
		if (fieldname(s + i, ll) == 0)
			break;
		field = 1;
	}
	*hlen = i < n ? i : n;
	return *hlen;
}

/* Append a line of a field, without CR, NUL made a space. */
static void
unfold(struct tkt_buf *v, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '\r')
			continue;
		tkt_buf_add(v, s[i] == '\0' ? " " : s + i, 1);
	}
}

static char *
trimdup(const char *s, size_t n)
{
	while (n > 0 && isws((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n > 0 && isws((unsigned char)s[n - 1]))
		n--;
	return tkt_strndup(s, n);
}

/* The unfolded value of the first field called name, or NULL. */
static char *
hdrget(const char *h, size_t hlen, const char *name)
{
	struct tkt_buf v = { 0 };
	size_t i, e, k, nl;
	char *r;

	nl = strlen(name);
	for (i = 0; i < hlen && v.s == NULL; i = e + 1) {
		e = eol(h, hlen, i);
		k = fieldname(h + i, e - i);
		if (k != nl || strncasecmp(h + i, name, nl) != 0)
			continue;
		k = (const char *)memchr(h + i, ':', e - i) - h + 1;
		tkt_buf_add(&v, "", 0);
		unfold(&v, h + k, e - k);
		while (e + 1 < hlen && (h[e + 1] == ' ' || h[e + 1] == '\t')) {
			i = e + 1;
			e = eol(h, hlen, i);
			unfold(&v, h + i, e - i);
		}
	}
	if (v.s == NULL)
		return NULL;
	r = trimdup(v.s, v.len);
	tkt_buf_free(&v);
	return r;
}

/* Skip blanks and comments, which nest, in a structured field. */
static const char *
skipcfws(const char *p)
{
	int depth;

	for (depth = 0; *p != '\0'; p++) {
		if (*p == '\\' && depth > 0 && p[1] != '\0')
			p++;
		else if (*p == '(')
			depth++;
		else if (*p == ')' && depth > 0)
			depth--;
		else if (depth == 0 && *p != ' ' && *p != '\t')
			break;
	}
	return p;
}

/* The next ';' outside quoted strings and comments, or the end. */
static const char *
nextsemi(const char *p)
{
	int q, depth;

	for (q = depth = 0; *p != '\0'; p++) {
		if (*p == '\\' && (q || depth > 0) && p[1] != '\0')
			p++;
		else if (*p == '"' && depth == 0)
			q = !q;
		else if (q)
			continue;
		else if (*p == '(')
			depth++;
		else if (*p == ')' && depth > 0)
			depth--;
		else if (*p == ';' && depth == 0)
			break;
	}
	return p;
}

static const char *
quoted(const char *p, struct tkt_buf *val)
{
	for (; *p != '\0' && *p != '"'; p++) {
		if (*p == '\\' && p[1] != '\0')
			p++;
		tkt_buf_add(val, p, 1);
	}
	return *p == '"' ? p + 1 : p;
}

/* An unquoted value; blanks inside are kept, as senders put them. */
static const char *
bare(const char *p, struct tkt_buf *val)
{
	size_t n;

	n = strcspn(p, ";(");
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	tkt_buf_add(val, p, n);
	return p + n;
}

/*
 * The next parameter in a field value after *pp: its attribute, lower
 * case, and its value, unquoted.  0 when there is none left.
 */
static int
nextparam(const char **pp, struct tkt_buf *attr, struct tkt_buf *val)
{
	const char *p;
	char c;

	for (p = *pp; *(p = nextsemi(p)) != '\0';) {
		p = skipcfws(p + 1);
		attr->len = val->len = 0;
		tkt_buf_add(attr, "", 0);
		tkt_buf_add(val, "", 0);
		for (; istoken((unsigned char)*p); p++) {
			c = (char)tolower((unsigned char)*p);
			tkt_buf_add(attr, &c, 1);
		}
		p = skipcfws(p);
		if (attr->len == 0 || *p != '=')
			continue;
		p = skipcfws(p + 1);
		p = *p == '"' ? quoted(p + 1, val) : bare(p, val);
		*pp = p;
		return 1;
	}
	*pp = p;
	return 0;
}

static void
setonce(char **slot, const char *v)
{
	if (*slot == NULL)
		*slot = tkt_strdup(v);
}

/* Keep v if attribute a is a form of parameter name; first wins. */
static void
keep(struct pval *pv, const char *name, const char *a, const char *v)
{
	size_t nl;
	char *end;
	long k;

	nl = strlen(name);
	if (strncmp(a, name, nl) != 0)
		return;
	a += nl;
	if (*a == '\0')
		setonce(&pv->plain, v);
	else if (strcmp(a, "*") == 0)
		setonce(&pv->ext, v);
	else if (a[0] == '*' && isdigit((unsigned char)a[1])) {
		k = strtol(a + 1, &end, 10);
		if (k >= MAXSECT || (*end != '\0' && strcmp(end, "*") != 0))
			return;
		if (pv->sect[k] == NULL)
			pv->sectext[k] = *end == '*';
		setonce(&pv->sect[k], v);
		if (pv->nsect <= k)
			pv->nsect = k + 1;
	}
}

static void
collect(const char *v, const char *name, struct pval *pv)
{
	struct tkt_buf a = { 0 }, val = { 0 };

	memset(pv, 0, sizeof *pv);
	if (v == NULL)
		return;
	while (nextparam(&v, &a, &val))
		keep(pv, name, a.s, val.s);
	tkt_buf_free(&a);
	tkt_buf_free(&val);
}

static void
pvfree(struct pval *pv)
{
	int k;

	free(pv->plain);
	free(pv->ext);
	for (k = 0; k < pv->nsect; k++)
		free(pv->sect[k]);
}

/* A parameter's value as given, for boundary and charset. */
static char *
rawparam(const char *v, const char *name)
{
	struct pval pv;
	char *r;

	if (v == NULL)
		return NULL;
	collect(v, name, &pv);
	r = pv.plain;
	pv.plain = NULL;
	pvfree(&pv);
	return r;
}

static void
pctadd(struct tkt_buf *b, const char *s)
{
	char c;

	for (; *s != '\0'; s++) {
		c = *s;
		if (c == '%' && tkt_hexval(s[1]) >= 0 &&
		    tkt_hexval(s[2]) >= 0) {
			c = (char)(tkt_hexval(s[1]) << 4 | tkt_hexval(s[2]));
			s += 2;
		}
		tkt_buf_add(b, &c, 1);
	}
}

/* Split charset'language'value; the charset may be cut to "". */
static const char *
splitcs(const char *s, char cs[MAXCS])
{
	const char *q1, *q2;

	cs[0] = '\0';
	if ((q1 = strchr(s, '\'')) == NULL ||
	    (q2 = strchr(q1 + 1, '\'')) == NULL)
		return s;
	if ((size_t)(q1 - s) < MAXCS) {
		memcpy(cs, s, q1 - s);
		cs[q1 - s] = '\0';
	}
	return q2 + 1;
}

/* An RFC 2231 value, from its sections or its one extended form. */
static char *
extvalue(const struct pval *pv)
{
	struct tkt_buf raw = { 0 }, out = { 0 };
	char cs[MAXCS];
	int k;

	tkt_buf_add(&raw, "", 0);
	if (pv->sect[0] == NULL)
		pctadd(&raw, splitcs(pv->ext, cs));
	for (k = 0; k < MAXSECT && pv->sect[k] != NULL; k++) {
		if (!pv->sectext[k])
			tkt_buf_str(&raw, pv->sect[k]);
		else
			pctadd(&raw, k > 0 ? pv->sect[k] :
			    splitcs(pv->sect[0], cs));
	}
	tkt_mail_convert(&out, cs, raw.s, raw.len);
	tkt_buf_free(&raw);
	return out.s;
}

/* A name parameter in UTF-8: RFC 2231 first, else RFC 2047 words. */
static char *
nameparam(const char *v, const char *name)
{
	struct pval pv;
	char *r;

	if (v == NULL)
		return NULL;
	collect(v, name, &pv);
	if (pv.sect[0] != NULL || pv.ext != NULL)
		r = extvalue(&pv);
	else if (pv.plain != NULL)
		r = tkt_mail_decode(pv.plain);
	else
		r = NULL;
	pvfree(&pv);
	return r;
}

/*
 * Make a name safe to show and to save under: no control characters,
 * and for a file name nothing up to a slash or backslash.
 */
static char *
cleanname(char *s, int file)
{
	unsigned char c;
	size_t i, o, a;

	if (s == NULL)
		return NULL;
	for (i = o = 0; (c = s[i]) != '\0'; i++) {
		if (c < 0x20 || c == 0x7f)
			continue;
		if (c == 0xc2 && (unsigned char)s[i + 1] >= 0x80 &&
		    (unsigned char)s[i + 1] <= 0x9f) {
			i++;
			continue;
		}
		if ((c == '/' || c == '\\') && file)
			o = 0;
		else
			s[o++] = c == '/' || c == '\\' ? '_' : c;
	}
	while (o > 0 && s[o - 1] == ' ')
		o--;
	s[o] = '\0';
	for (a = 0; s[a] == ' '; a++)
		;
	memmove(s, s + a, o - a + 1);
	if (*s == '\0' || strcmp(s, ".") == 0 || strcmp(s, "..") == 0) {
		free(s);
		return NULL;
	}
	return s;
}

/* The media type of a Content-Type value, lower case. */
static char *
mediatype(const char *v)
{
	const char *p, *q;
	char *t;
	size_t i;

	p = skipcfws(v);
	for (q = p; istoken((unsigned char)*q); q++)
		;
	if (q == p || *q != '/' || !istoken((unsigned char)q[1]))
		return tkt_strdup("application/octet-stream");
	for (q++; istoken((unsigned char)*q); q++)
		;
	t = tkt_strndup(p, q - p);
	for (i = 0; t[i] != '\0'; i++)
		t[i] = (char)tolower((unsigned char)t[i]);
	return t;
}

/* Whether a field value's first word is w, in any case. */
static int
firstword(const char *v, const char *w)
{
	size_t n;

	if (v == NULL)
		return 0;
	v = skipcfws(v);
	n = strlen(w);
	return strncasecmp(v, w, n) == 0 && !istoken((unsigned char)v[n]);
}

static enum kind
kind(const struct ent *e)
{
	if (strncmp(e->type, "multipart/", 10) == 0)
		return MULTI;
	if (e->name != NULL || firstword(e->disp, "attachment"))
		return OTHER;
	if (strcmp(e->type, "text/plain") == 0)
		return PLAIN;
	if (strcmp(e->type, "text/html") == 0)
		return HTML;
	return OTHER;
}

static void
ent_open(struct ent *e, const char *s, size_t n, const char *deftype)
{
	size_t off, hlen;

	memset(e, 0, sizeof *e);
	off = headers(s, n, &hlen);
	e->body = s + off;
	e->blen = n - off;
	e->ctype = hdrget(s, hlen, "content-type");
	e->cte = hdrget(s, hlen, "content-transfer-encoding");
	e->disp = hdrget(s, hlen, "content-disposition");
	if (e->ctype != NULL && *e->ctype != '\0')
		e->type = mediatype(e->ctype);
	else
		e->type = tkt_strdup(deftype);
	e->name = cleanname(nameparam(e->disp, "filename"), 1);
	if (e->name == NULL)
		e->name = cleanname(nameparam(e->ctype, "name"), 1);
	e->kind = kind(e);
}

static void
ent_free(struct ent *e)
{
	free(e->type);
	free(e->ctype);
	free(e->cte);
	free(e->disp);
	free(e->name);
	memset(e, 0, sizeof *e);
}

/* The value of each byte as a base64 digit, or -1; made on first use. */
static const signed char *
b64table(void)
{
	static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	static signed char t[256];
	static int made;
	int i;

	if (!made) {
		memset(t, -1, sizeof t);
		for (i = 0; i < 64; i++)
			t[(unsigned char)digits[i]] = (signed char)i;
		made = 1;
	}
	return t;
}

static void
unbase64(struct tkt_buf *b, const char *s, size_t n)
{
	const signed char *t = b64table();
	char chunk[3072];
	unsigned long acc;
	size_t i, k;
	int v, bits;

	acc = 0;
	bits = 0;
	for (i = k = 0; i < n; i++) {
		if ((v = t[(unsigned char)s[i]]) < 0)
			continue;
		acc = (acc << 6 | v) & 0xffffff;
		if ((bits += 6) < 8)
			continue;
		bits -= 8;
		chunk[k++] = (char)(acc >> bits & 0xff);
		if (k == sizeof chunk) {
			tkt_buf_add(b, chunk, k);
			k = 0;
		}
	}
	tkt_buf_add(b, chunk, k);
}

/*
 * What unbase64 would make of s, in bytes: each digit is 6 bits, and
 * each whole 8 of them a byte.
 */
static size_t
b64size(const char *s, size_t n)
{
	const signed char *t = b64table();
	size_t i, k;

	for (i = k = 0; i < n; i++)
		k += t[(unsigned char)s[i]] >= 0;
	return k / 4 * 3 + k % 4 * 3 / 4;
}

/* Decode the '=' at s[i]; return the offset after what it took. */
static size_t
qpescape(struct tkt_buf *b, const char *s, size_t n, size_t i)
{
	size_t j;
	char c;

	for (j = i + 1; j < n && (s[j] == ' ' || s[j] == '\t'); j++)
		;
	if (j < n && s[j] == '\r')
		j++;
	if (j == n || s[j] == '\n')
		return j < n ? j + 1 : n;
	if (i + 2 < n && tkt_hexval(s[i + 1]) >= 0 &&
	    tkt_hexval(s[i + 2]) >= 0) {
		c = (char)(tkt_hexval(s[i + 1]) << 4 | tkt_hexval(s[i + 2]));
		tkt_buf_add(b, &c, 1);
		return i + 3;
	}
	tkt_buf_add(b, "=", 1);
	return i + 1;
}

static void
unqp(struct tkt_buf *b, const char *s, size_t n)
{
	const char *p;
	size_t i, run;

	for (i = 0; i < n;) {
		p = memchr(s + i, '=', n - i);
		run = p == NULL ? n - i : (size_t)(p - (s + i));
		tkt_buf_add(b, s + i, run);
		if ((i += run) < n)
			i = qpescape(b, s, n, i);
	}
}

/* Append the body of e, its Content-Transfer-Encoding undone. */
static void
decode(const struct ent *e, struct tkt_buf *b)
{
	tkt_buf_add(b, "", 0);
	if (firstword(e->cte, "base64"))
		unbase64(b, e->body, e->blen);
	else if (firstword(e->cte, "quoted-printable"))
		unqp(b, e->body, e->blen);
	else
		tkt_buf_add(b, e->body, e->blen);
}

/* 1 if the line is a delimiter of the boundary, 2 if the close one. */
static int
delim(const char *s, size_t n, const char *b, size_t bl)
{
	size_t i;
	int r;

	if (n < bl + 2 || s[0] != '-' || s[1] != '-' ||
	    memcmp(s + 2, b, bl) != 0)
		return 0;
	i = bl + 2;
	r = 1;
	if (n - i >= 2 && s[i] == '-' && s[i + 1] == '-') {
		i += 2;
		r = 2;
	}
	for (; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return r;
}

/* The next part; the line break before a delimiter is the delimiter's. */
static int
nextpart(struct parts *p, struct span *sp)
{
	size_t i, e, start;
	int d, was;

	while (!p->done && p->i < p->n) {
		i = p->i;
		e = eol(p->s, p->n, i);
		p->i = e + 1;
		if ((d = delim(p->s + i, e - i, p->b, p->bl)) == 0)
			continue;
		was = p->open;
		start = p->start;
		p->open = d == 1;
		p->done = d == 2;
		p->start = e < p->n ? e + 1 : p->n;
		if (!was)
			continue;
		if (i > start && p->s[i - 1] == '\n')
			i--;
		if (i > start && p->s[i - 1] == '\r')
			i--;
		sp->s = p->s + start;
		sp->n = i > start ? i - start : 0;
		return 1;
	}
	if (!p->open)
		return 0;
	p->open = 0;
	sp->s = p->s + p->start;
	sp->n = p->n - p->start;
	return 1;
}

static void
growparts(struct walk *w)
{
	if (w->npart < w->partcap)
		return;
	w->partcap = w->partcap ? 2 * w->partcap : 8;
	w->part = tkt_realloc(w->part, w->partcap * sizeof *w->part);
}

/* The Subject of an enclosed message, to name it by. */
static char *
subject(const char *s, size_t n)
{
	size_t hlen;
	char *v, *d;

	headers(s, n, &hlen);
	if ((v = hdrget(s, hlen, "subject")) == NULL)
		return NULL;
	d = tkt_mail_decode(v);
	free(v);
	return cleanname(d, 0);
}

static void
attach(struct walk *w, const struct ent *e)
{
	struct tkt_part *p;
	int rfc822;

	if (w->n == INT_MAX)
		return;
	w->n++;
	if (w->want != 0) {
		if (w->n == w->want) {
			decode(e, w->out);
			w->found = 1;
		}
		return;
	}
	growparts(w);
	p = &w->part[w->npart++];
	p->n = w->n;
	p->type = tkt_strdup(e->type);
	p->name = e->name != NULL ? tkt_strdup(e->name) : NULL;
	rfc822 = p->name == NULL && strcmp(e->type, "message/rfc822") == 0;
	/* The size of an attachment in base64 needs no decoding. */
	if (!rfc822 && firstword(e->cte, "base64")) {
		p->size = b64size(e->body, e->blen);
		return;
	}
	w->scratch.len = 0;
	decode(e, &w->scratch);
	p->size = w->scratch.len;
	if (rfc822)
		p->name = subject(w->scratch.s, w->scratch.len);
}

/* Bytes at s that the text keeps as they are: no controls. */
static size_t
keeprun(const unsigned char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if ((s[i] < 0x20 && s[i] != '\t' && s[i] != '\n') ||
		    s[i] == 0x7f)
			break;
		if (s[i] == 0xc2 && i + 1 < n && s[i + 1] >= 0x80 &&
		    s[i + 1] <= 0x9f)
			break;
	}
	return i;
}

/* UTF-8 s with LF line ends and without control characters. */
static void
clean(struct tkt_buf *b, const char *s, size_t n)
{
	size_t i, run;

	if (n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
		s += 3;
		n -= 3;
	}
	for (i = 0; i < n; i += run) {
		if ((run = keeprun((const unsigned char *)s + i, n - i)) > 0) {
			tkt_buf_add(b, s + i, run);
			continue;
		}
		run = 1;
		if (s[i] == '\r') {
			tkt_buf_add(b, "\n", 1);
			run += i + 1 < n && s[i + 1] == '\n';
		} else if ((unsigned char)s[i] == 0xc2)
			run = 2;
	}
}

/* Add one part's text, cleaned and trimmed, after a blank line. */
static void
addtext(struct walk *w, const char *s, size_t n)
{
	struct tkt_buf c = { 0 };
	size_t i, a, z;

	tkt_buf_add(&c, "", 0);
	clean(&c, s, n);
	for (i = a = 0; i < c.len; i++) {
		if (c.s[i] == '\n')
			a = i + 1;
		else if (c.s[i] != ' ' && c.s[i] != '\t')
			break;
	}
	for (z = c.len; z > a && isws((unsigned char)c.s[z - 1]); z--)
		;
	if (z > a) {
		if (w->text.len > 0)
			tkt_buf_add(&w->text, "\n\n", 2);
		tkt_buf_add(&w->text, c.s + a, z - a);
	}
	tkt_buf_free(&c);
}

static void
text(struct walk *w, const struct ent *e)
{
	struct tkt_buf raw = { 0 }, utf = { 0 }, html = { 0 };
	char *cs;

	decode(e, &raw);
	if ((cs = rawparam(e->ctype, "charset")) != NULL &&
	    strlen(cs) >= MAXCS) {
		free(cs);
		cs = NULL;
	}
	tkt_mail_convert(&utf, cs, raw.s, raw.len);
	if (e->kind == HTML) {
		tkt_html_text(&html, utf.s, utf.len);
		addtext(w, html.s, html.len);
	} else
		addtext(w, utf.s, utf.len);
	free(cs);
	tkt_buf_free(&raw);
	tkt_buf_free(&utf);
	tkt_buf_free(&html);
}

static void
leaf(struct walk *w, const struct ent *e, enum mode mode)
{
	if ((e->kind == PLAIN || e->kind == HTML) && mode != ATTACH) {
		if (mode == TEXT && w->want == 0)
			text(w, e);
		return;
	}
	attach(w, e);
}

/* Each part in turn; HTML beside plain text is taken for a copy. */
static void
mixed(struct walk *w, const struct parts *pp, int depth, enum mode mode)
{
	struct parts p;
	struct span sp;
	struct ent c;
	int plain;

	plain = 0;
	for (p = *pp; !plain && nextpart(&p, &sp);) {
		ent_open(&c, sp.s, sp.n, p.def);
		plain = c.kind == PLAIN;
		ent_free(&c);
	}
	for (p = *pp; !w->found && nextpart(&p, &sp);) {
		ent_open(&c, sp.s, sp.n, p.def);
		if (mode == TEXT && plain && c.kind == HTML)
			attach(w, &c);
		else
			entity(w, &c, depth, mode);
		ent_free(&c);
	}
}

/* The part an alternative is read from: 0 if none fits, else 1 + i. */
static size_t
pickalt(const struct parts *pp)
{
	struct parts p;
	struct span sp;
	struct ent c;
	size_t i, other;

	other = 0;
	for (p = *pp, i = 1; nextpart(&p, &sp); i++) {
		ent_open(&c, sp.s, sp.n, p.def);
		if (c.kind == PLAIN) {
			ent_free(&c);
			return i;
		}
		if (other == 0 && (c.kind == HTML || c.kind == MULTI))
			other = i;
		ent_free(&c);
	}
	return other;
}

/*
 * An alternative gives the text of the part picked and only the
 * attachments of the others; a report the text of its first part and
 * every other part as attachments.
 */
static void
alternative(struct walk *w, const struct parts *pp, int depth, int report)
{
	struct parts p;
	struct span sp;
	struct ent c;
	size_t pick, i;
	enum mode rest;

	pick = report ? 1 : pickalt(pp);
	if (pick == 0) {
		mixed(w, pp, depth, TEXT);
		return;
	}
	rest = report ? ATTACH : NOTEXT;
	for (p = *pp, i = 1; !w->found && nextpart(&p, &sp); i++) {
		ent_open(&c, sp.s, sp.n, p.def);
		entity(w, &c, depth, i == pick ? TEXT : rest);
		ent_free(&c);
	}
}

static void
subparts(struct walk *w, const struct parts *p, const char *sub,
    int depth, enum mode mode)
{
	if (mode == TEXT && strcmp(sub, "alternative") == 0)
		alternative(w, p, depth, 0);
	else if (mode == TEXT && strcmp(sub, "report") == 0)
		alternative(w, p, depth, 1);
	else
		mixed(w, p, depth, mode);
}

/* Read a multipart's parts; 0 if it has none, to be read as text. */
static int
multipart(struct walk *w, const struct ent *e, int depth, enum mode mode)
{
	struct tkt_buf dec = { 0 };
	struct parts p, first;
	struct span sp;
	const char *sub;
	char *b;
	int any;

	if ((b = rawparam(e->ctype, "boundary")) == NULL || *b == '\0') {
		free(b);
		return 0;
	}
	memset(&p, 0, sizeof p);
	p.s = e->body;
	p.n = e->blen;
	if (firstword(e->cte, "base64") ||
	    firstword(e->cte, "quoted-printable")) {
		decode(e, &dec);
		p.s = dec.s;
		p.n = dec.len;
	}
	p.b = b;
	p.bl = strlen(b);
	sub = e->type + strlen("multipart/");
	p.def = strcmp(sub, "digest") == 0 ? "message/rfc822" : "text/plain";
	first = p;
	if ((any = nextpart(&first, &sp)))
		subparts(w, &p, sub, depth + 1, mode);
	free(b);
	tkt_buf_free(&dec);
	return any;
}

static void
entity(struct walk *w, struct ent *e, int depth, enum mode mode)
{
	if (w->found)
		return;
	if (e->kind == MULTI && depth < MAXDEPTH) {
		if (multipart(w, e, depth, mode))
			return;
		free(e->type);
		e->type = tkt_strdup("text/plain");
		e->kind = kind(e);
	}
	leaf(w, e, mode);
}

static void
walk(struct walk *w, const char *msg, size_t len)
{
	struct ent e;
	size_t skip;

	if (msg == NULL) {
		msg = "";
		len = 0;
	}
	if (len >= 5 && memcmp(msg, "From ", 5) == 0) {
		if ((skip = eol(msg, len, 0)) < len)
			skip++;
		msg += skip;
		len -= skip;
	}
	ent_open(&e, msg, len, "text/plain");
	entity(w, &e, 0, TEXT);
	ent_free(&e);
}

int
tkt_mime_parse(const char *msg, size_t len, struct tkt_mime *m)
{
	struct walk w;

	memset(m, 0, sizeof *m);
	if (msg == NULL && len > 0)
		return -1;
	memset(&w, 0, sizeof w);
	walk(&w, msg, len);
	if (w.text.len > 0)
		tkt_buf_add(&w.text, "\n", 1);
	else
		tkt_buf_add(&w.text, "", 0);
	m->text = w.text.s;
	m->textlen = w.text.len;
	m->part = w.part;
	m->npart = w.npart;
	tkt_buf_free(&w.scratch);
	return 0;
}

void
tkt_mime_free(struct tkt_mime *m)
{
	size_t i;

	for (i = 0; i < m->npart; i++) {
		free(m->part[i].type);
		free(m->part[i].name);
	}
	free(m->part);
	free(m->text);
	memset(m, 0, sizeof *m);
}

int
tkt_mime_part(const char *msg, size_t len, int n, struct tkt_buf *b)
{
	struct walk w;

	if (n < 1 || (msg == NULL && len > 0))
		return -1;
	memset(&w, 0, sizeof w);
	w.want = n;
	w.out = b;
	walk(&w, msg, len);
	tkt_buf_free(&w.text);
	tkt_buf_free(&w.scratch);
	return w.found ? 0 : -1;
}
