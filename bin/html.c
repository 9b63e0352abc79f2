/*
 * html.c: the text of an HTML mail body, for people and for search.
 *
 * Not a browser: one pass over the bytes, no tree.  Tags go; the
 * contents of script, style and title go, and text inside head until
 * </head> or <body>.  p, h1-h6, blockquote, hr, lists, tables and pre
 * stand apart by a blank line; br, div, tr and li begin a line, li
 * with "- ".  White space collapses to one space except in pre, and
 * there is never more than one blank line in a row.  The character
 * references a mail is likely to hold are decoded: all numeric ones
 * (invalid code points give U+FFFD) and a short table of names,
 * &nbsp; as a plain space.  A link whose address differs from its text
 * reads "text <address>".
 *
 * Input ending inside a tag or a comment ends the text there.  The
 * input must be UTF-8; the output then is too, since it only cuts the
 * input at ASCII bytes and adds whole characters.
 */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tkt.h"

struct html {
	struct tkt_buf	*out;
	size_t		 from;		/* where our text starts in out */
	int		 nl;		/* line breaks owed, at most 2 */
	int		 sp;		/* a space owed */
	int		 pre;		/* in pre: white space kept */
	int		 head;		/* in head: text dropped */
	int		 lost;		/* text was dropped in head */
	int		 nohead;	/* read head as body */
	char		*href;		/* of the anchor open, or NULL */
	size_t		 linkat;	/* where its text starts in out */
};

static const struct {
	const char	*name;
	unsigned long	 cp;
} entities[] = {
	{ "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' },
	{ "apos", '\'' }, { "nbsp", ' ' }, { "ensp", ' ' }, { "emsp", ' ' },
	{ "thinsp", ' ' }, { "shy", 0 }, { "copy", 0xa9 }, { "reg", 0xae },
	{ "trade", 0x2122 }, { "euro", 0x20ac }, { "pound", 0xa3 },
	{ "yen", 0xa5 }, { "cent", 0xa2 }, { "sect", 0xa7 }, { "deg", 0xb0 },
	{ "plusmn", 0xb1 }, { "times", 0xd7 }, { "divide", 0xf7 },
	{ "middot", 0xb7 }, { "bull", 0x2022 }, { "hellip", 0x2026 },
	{ "mdash", 0x2014 }, { "ndash", 0x2013 }, { "lsquo", 0x2018 },
	{ "rsquo", 0x2019 }, { "sbquo", 0x201a }, { "ldquo", 0x201c },
	{ "rdquo", 0x201d }, { "bdquo", 0x201e }, { "laquo", 0xab },
	{ "raquo", 0xbb }, { "iexcl", 0xa1 }, { "iquest", 0xbf },
	{ "auml", 0xe4 }, { "ouml", 0xf6 }, { "uuml", 0xfc },
	{ "Auml", 0xc4 }, { "Ouml", 0xd6 }, { "Uuml", 0xdc },
	{ "szlig", 0xdf }, { "aacute", 0xe1 }, { "agrave", 0xe0 },
	{ "acirc", 0xe2 }, { "aring", 0xe5 }, { "ccedil", 0xe7 },
	{ "eacute", 0xe9 }, { "egrave", 0xe8 }, { "ecirc", 0xea },
	{ "Eacute", 0xc9 }, { "iacute", 0xed }, { "ntilde", 0xf1 },
	{ "oacute", 0xf3 }, { "oslash", 0xf8 }, { "uacute", 0xfa },
	{ "larr", 0x2190 }, { "rarr", 0x2192 }
};

static int
isws(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static size_t
utf8enc(unsigned long cp, char *u)
{
	if (cp == 0)
		return 0;
	if (cp < 0x80) {
		u[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12);
		u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	u[0] = (char)(0xf0 | cp >> 18);
	u[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	u[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	u[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* A numeric character reference at s, "&#"; 0 if it is none. */
static size_t
numref(const char *s, size_t n, char *u, size_t *ul)
{
	unsigned long cp;
	size_t i, start;
	int base, d;

	i = 2;
	base = 10;
	if (i < n && (s[i] == 'x' || s[i] == 'X')) {
		base = 16;
		i++;
	}
	for (cp = 0, start = i; i < n && i - start < 8; i++) {
		if ((d = tkt_hexval(s[i])) < 0 || d >= base)
			break;
		cp = cp * base + d;
	}
	if (i == start)
		return 0;
	if (i < n && s[i] == ';')
		i++;
	if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = 0xfffd;
	*ul = utf8enc(cp, u);
	return i;
}

/*
 * The character reference at s, '&', in UTF-8; its length or 0.  As
 * in browsers, a name may lack its ';' unless a letter, a digit or
 * '=' follows, as in a URL's query.
 */
static size_t
charref(const char *s, size_t n, char *u, size_t *ul)
{
	size_t i, k;

	if (n > 1 && s[1] == '#')
		return numref(s, n, u, ul);
	for (i = 1; i < n && i < 12 && isalnum((unsigned char)s[i]); i++)
		;
	if (i == 1 || (i < n && (isalnum((unsigned char)s[i]) ||
	    s[i] == '=')))
		return 0;
	for (k = 0; k < sizeof entities / sizeof entities[0]; k++)
		if (strlen(entities[k].name) == i - 1 &&
		    memcmp(entities[k].name, s + 1, i - 1) == 0) {
			*ul = utf8enc(entities[k].cp, u);
			return i < n && s[i] == ';' ? i + 1 : i;
		}
	return 0;
}

/* Append text after the line breaks or the space owed before it. */
static void
hput(struct html *h, const char *s, size_t n)
{
	struct tkt_buf *o = h->out;
	int have;

	if (n == 0)
		return;
	if (h->head) {
		h->lost = 1;
		return;
	}
	if (o->len > h->from && h->nl > 0) {
		for (have = 0; have < 2 && o->len - have > h->from &&
		    o->s[o->len - 1 - have] == '\n'; have++)
			;
		for (; have < h->nl; have++)
			tkt_buf_add(o, "\n", 1);
	} else if (o->len > h->from && h->sp && o->s[o->len - 1] != ' ' &&
	    o->s[o->len - 1] != '\n')
		tkt_buf_add(o, " ", 1);
	h->nl = h->sp = 0;
	tkt_buf_add(o, s, n);
}

static size_t
hchars(struct html *h, const char *s, size_t n)
{
	size_t i;

	if (h->pre) {
		for (i = 0; i < n && s[i] != '<' && s[i] != '&' &&
		    s[i] != '\r'; i++)
			;
		hput(h, s, i);
		return i > 0 ? i : 1;
	}
	if (isws((unsigned char)s[0])) {
		for (i = 0; i < n && isws((unsigned char)s[i]); i++)
			;
		h->sp = 1;
		return i;
	}
	for (i = 0; i < n && s[i] != '<' && s[i] != '&' &&
	    !isws((unsigned char)s[i]); i++)
		;
	hput(h, s, i);
	return i;
}

static size_t
hentity(struct html *h, const char *s, size_t n)
{
	char u[4];
	size_t k, ul;

	if ((k = charref(s, n, u, &ul)) == 0) {
		hput(h, "&", 1);
		return 1;
	}
	if (ul == 1 && u[0] == ' ' && !h->pre)
		h->sp = 1;
	else
		hput(h, u, ul);
	return k;
}

/* Offset just past pat in s from i on, or n if it is not there. */
static size_t
skippast(const char *s, size_t n, size_t i, const char *pat)
{
	size_t pl;

	pl = strlen(pat);
	for (; i + pl <= n; i++)
		if (memcmp(s + i, pat, pl) == 0)
			return i + pl;
	return n;
}

/* Past the end tag of a script, style or title from i, or n. */
static size_t
skipraw(const char *s, size_t n, size_t i, const char *name)
{
	size_t nl;
	const char *p;

	nl = strlen(name);
	for (; i + 2 + nl <= n; i++) {
		if (s[i] != '<' || s[i + 1] != '/' ||
		    strncasecmp(s + i + 2, name, nl) != 0)
			continue;
		p = memchr(s + i, '>', n - i);
		return p == NULL ? n : (size_t)(p - s) + 1;
	}
	return n;
}

/* The '>' that ends the tag from i; quotes count only after '='. */
static size_t
tagend(const char *s, size_t n, size_t i)
{
	char q, c;
	int eq;

	for (q = 0, eq = 0; i < n; i++) {
		c = s[i];
		if (q != 0) {
			if (c == q)
				q = 0;
			continue;
		}
		if (c == '>')
			return i;
		if ((c == '"' || c == '\'') && eq)
			q = c;
		if (c == '=')
			eq = 1;
		else if (!isws((unsigned char)c))
			eq = 0;
	}
	return n;
}

/* Entities decoded, blanks at the ends trimmed. */
static char *
attrvalue(const char *s, size_t n)
{
	struct tkt_buf b = { 0 };
	char u[4], *r;
	size_t i, k, ul;

	tkt_buf_add(&b, "", 0);
	for (i = 0; i < n; i += k) {
		k = s[i] == '&' ? charref(s + i, n - i, u, &ul) : 0;
		if (k > 0)
			tkt_buf_add(&b, u, ul);
		else {
			tkt_buf_add(&b, s + i, 1);
			k = 1;
		}
	}
	for (r = b.s; isws((unsigned char)*r); r++)
		;
	r = tkt_strdup(r);
	for (i = strlen(r); i > 0 && isws((unsigned char)r[i - 1]); i--)
		r[i - 1] = '\0';
	tkt_buf_free(&b);
	return r;
}

static size_t
skipws(const char *s, size_t n, size_t i)
{
	while (i < n && isws((unsigned char)s[i]))
		i++;
	return i;
}

/* Find the value, if any, after an attribute's name; return its end. */
static size_t
valueat(const char *a, size_t n, size_t i, size_t *vs, size_t *vl)
{
	char q;

	*vs = *vl = 0;
	if ((i = skipws(a, n, i)) >= n || a[i] != '=')
		return i;
	q = 0;
	if ((i = skipws(a, n, i + 1)) < n && (a[i] == '"' || a[i] == '\''))
		q = a[i++];
	for (*vs = i; i < n; i++)
		if (q != 0 ? a[i] == q : isws((unsigned char)a[i]))
			break;
	*vl = i - *vs;
	return i < n && q != 0 ? i + 1 : i;
}

/* The value of attribute want among a tag's attributes, or NULL. */
static char *
attr(const char *a, size_t n, const char *want)
{
	size_t i, ns, nl, vs, vl;

	for (i = 0; i < n;) {
		while (i < n && (isws((unsigned char)a[i]) || a[i] == '/'))
			i++;
		for (ns = i; i < n && a[i] != '=' && a[i] != '/' &&
		    !isws((unsigned char)a[i]); i++)
			;
		nl = i - ns;
		i = valueat(a, n, i, &vs, &vl);
		if (nl == strlen(want) && strncasecmp(a + ns, want, nl) == 0)
			return attrvalue(a + vs, vl);
	}
	return NULL;
}

static void
linkend(struct html *h)
{
	const char *t, *href;
	size_t tn;

	if ((href = h->href) == NULL || h->head)
		return;
	t = h->out->s + h->linkat;
	tn = h->out->len - h->linkat;
	for (; tn > 0 && isws((unsigned char)*t); t++, tn--)
		;
	for (; tn > 0 && isws((unsigned char)t[tn - 1]); tn--)
		;
	if (strncasecmp(href, "mailto:", 7) == 0 && strlen(href + 7) == tn)
		href += 7;
	if (*h->href != '\0' && *h->href != '#' &&
	    strncasecmp(h->href, "javascript:", 11) != 0 &&
	    (strlen(href) != tn || memcmp(href, t, tn) != 0)) {
		h->sp = tn > 0;
		hput(h, "<", 1);
		tkt_buf_str(h->out, h->href);
		tkt_buf_add(h->out, ">", 1);
	}
	free(h->href);
	h->href = NULL;
}

static int
inlist(const char *name, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(name, *list) == 0)
			return 1;
	return 0;
}

static void
block(struct html *h, int n)
{
	if (h->nl < n)
		h->nl = n;
}

/* What the tag called name, with its attributes a, does to the text. */
static void
dotag(struct html *h, const char *name, int close, const char *a,
    size_t an)
{
	static const char *const para[] = { "p", "h1", "h2", "h3", "h4",
	    "h5", "h6", "blockquote", "hr", "ul", "ol", "dl", "table", NULL };
	static const char *const line[] = { "div", "tr", "dt", "dd",
	    "caption", "section", "article", "header", "footer", NULL };

	if (strcmp(name, "br") == 0)
		h->nl = h->nl < 2 ? h->nl + 1 : 2;
	else if (inlist(name, para))
		block(h, 2);
	else if (inlist(name, line))
		block(h, 1);
	else if (strcmp(name, "li") == 0) {
		block(h, 1);
		if (!close)
			hput(h, "- ", 2);
	} else if (strcmp(name, "td") == 0 || strcmp(name, "th") == 0)
		h->sp = 1;
	else if (strcmp(name, "pre") == 0) {
		block(h, 2);
		h->pre = !close;
	} else if (strcmp(name, "head") == 0)
		h->head = !close && !h->nohead;
	else if (strcmp(name, "body") == 0)
		h->head = 0;
	else if (strcmp(name, "a") == 0 && close)
		linkend(h);
	else if (strcmp(name, "a") == 0) {
		free(h->href);
		h->href = attr(a, an, "href");
		h->linkat = h->out->len;
	}
}

/* The markup at s, '<': what it does, and how many bytes it took. */
static size_t
htag(struct html *h, const char *s, size_t n)
{
	static const char *const raw[] = { "script", "style", "title",
	    NULL };
	char name[16];
	size_t i, k, end;
	int close;

	if (n >= 4 && memcmp(s, "<!--", 4) == 0)
		return skippast(s, n, 4, "-->");
	if (n >= 2 && (s[1] == '!' || s[1] == '?'))
		return skippast(s, n, 2, ">");
	close = n >= 2 && s[1] == '/';
	i = close ? 2 : 1;
	if (i >= n || !isalpha((unsigned char)s[i])) {
		hput(h, "<", 1);
		return 1;
	}
	for (k = 0; i < n && isalnum((unsigned char)s[i]); i++, k++)
		if (k < sizeof name - 1)
			name[k] = (char)tolower((unsigned char)s[i]);
	name[k < sizeof name ? k : 0] = '\0';
	if ((end = tagend(s, n, i)) == n)
		return n;
	dotag(h, name, close, s + i, end - i);
	if (!close && inlist(name, raw) && s[end - 1] != '/')
		return skipraw(s, n, end + 1, name);
	return end + 1;
}

/* No more than one blank line in a row, no blanks ending a line. */
static void
squeeze(struct tkt_buf *b, size_t from)
{
	size_t i, o;

	for (i = o = from; i < b->len; i++) {
		if (b->s[i] == '\n') {
			while (o > from && b->s[o - 1] == ' ')
				o--;
			if (o >= from + 2 && b->s[o - 1] == '\n' &&
			    b->s[o - 2] == '\n')
				continue;
		}
		b->s[o++] = b->s[i];
	}
	b->len = o;
	b->s[o] = '\0';
}

static void
htmlrun(struct html *h, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n;) {
		if (s[i] == '<')
			i += htag(h, s + i, n - i);
		else if (s[i] == '&')
			i += hentity(h, s + i, n - i);
		else
			i += hchars(h, s + i, n - i);
	}
	free(h->href);
	h->href = NULL;
}

/*
 * Append the text of HTML s.  Should a head never end, as in a
 * fragment that opens one and then forgets it, its text is kept after
 * all rather than losing the whole message.
 */
void
tkt_html_text(struct tkt_buf *out, const char *s, size_t n)
{
	struct html h;
	size_t from;

	tkt_buf_add(out, "", 0);
	from = out->len;
	memset(&h, 0, sizeof h);
	h.out = out;
	h.from = from;
	htmlrun(&h, s, n);
	if (h.head && h.lost) {
		out->len = from;
		memset(&h, 0, sizeof h);
		h.out = out;
		h.from = from;
		h.nohead = 1;
		htmlrun(&h, s, n);
	}
	squeeze(out, from);
}
