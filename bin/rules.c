/*
 * rules.c: the routing rules of a desk (tkt-rules(5)), read once and
 * then tried against each ticket by tkt_rules_apply.
 *
 * The file is read line by line; lines may be of any length.  Leading
 * and trailing blanks (spaces and tabs; a trailing CR too) are ignored,
 * and words are separated by blanks.  A line is one of:
 *
 *	(empty)				ends the rule being read
 *	# text				a comment, ignored
 *	match FIELD /ERE/FLAGS		some value of FIELD matches ERE
 *	match FIELD !/ERE/FLAGS		no value of FIELD matches ERE
 *	set tier N			1 <= N <= the desk's tiers
 *	set client VALUE		likewise category and priority
 *	set key TEMPLATE		an alert's correlation key
 *	recovery			the mail ends its key's alert
 *	stop				try no later rule
 *
 * A rule is a paragraph: the lines between blank lines.  A comment line
 * is a comment only when '#' is its first non-blank character; it
 * neither starts nor ends a rule.  A rule is named by the number of its
 * first line that is not a comment.  Keywords are lowercase.
 *
 * FIELD is a header name, printable ASCII without ':' (the getter
 * compares names without regard to case), or "body", in any case, for
 * the ticket body.  The ERE is everything between the '/' that follows
 * FIELD (or its '!') and the last '/' on the line, even an escaped one,
 * so a '/' inside needs no escape; "\/" is read as '/' too, even in a
 * bracket expression.  FLAGS is empty or "i" for ignoring case.  EREs
 * are compiled with REG_EXTENDED, and for the body with REG_NEWLINE,
 * so that ^ and $ match at every line of it; most are matched by
 * ere.c instead, to the same effect without regcomp's cost.  The
 * groups of a rule's matching conditions, counted in the order of its
 * lines, are \1 to \9 in its key TEMPLATE.  A negated condition also
 * holds when FIELD is absent.  VALUE is the rest of the
 * line and must not be empty; there are no trailing comments.  Each of
 * tier, client, category, priority and key is set at most once in a
 * rule, and the place of stop and recovery within a rule does not
 * matter.
 *
 * Rules are tried in order.  A rule matches when all its conditions
 * hold; one without conditions always matches.  The sets of a matching
 * rule override those of earlier ones.  A rule with conditions but
 * neither set nor stop could never do anything and is an error.  Any
 * error is reported as "PATH: line N: reason" and loads no rules.
 */

#include <sys/types.h>

#include <errno.h>
#include <limits.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tkt.h"

#define BLANKS	" \t"
#define NCAP	9			/* \1 to \9 */

enum { CLIENT, CATEGORY, PRIORITY, NVAL };
static const char *const valname[NVAL] = { "client", "category", "priority" };

struct cond {
	char	*field;			/* as written; "body" for the body */
	char	*src;			/* [!]/ERE/FLAGS as written, for -v */
	char	*ere;			/* between the slashes, unescaped */
	int	 neg;
	int	 icase;
	int	 line;
	struct tkt_ere *fast;		/* NULL: re is compiled instead */
	regex_t	 re;
};

struct rule {
	int	 line;
	struct cond **cond;
	size_t	 ncond;
	int	 tier;			/* 0: not set */
	char	*val[NVAL];		/* NULL: not set */
	char	*key;			/* template; NULL: not set */
	int	 recovery;
	int	 stop;
};

/* What the conditions of a rule captured, for its key. */
struct caps {
	char	*s[NCAP + 1];		/* [0] unused */
	int	 n;
};

struct tkt_rules {
	char	*path;
	struct rule *rule;
	size_t	 nrule;
	size_t	 nkeyed;		/* to the last with key or recovery */
};

struct parser {
	int	 tiers;			/* the desk's top tier */
	struct tkt_rules *rs;
	struct rule *cur;		/* the rule being read, or NULL */
	int	 line;
};

/*
 * Arrays grow by doubling whenever their length reaches 0 or a power
 * of two, so no capacity needs keeping beside the length.
 */
static void *
grow(void *a, size_t n, size_t size)
{
	if ((n & (n - 1)) != 0)
		return a;
	return tkt_realloc(a, (n ? 2 * n : 1) * size);
}

static int
fail(const struct parser *p, int line, const char *fmt, ...)
{
	va_list ap;
	char msg[1024];

	/* A reason longer than this is cut; the line number says where. */
	va_start(ap, fmt);
	if (vsnprintf(msg, sizeof msg, fmt, ap) < 0)
		strcpy(msg, "cannot format the reason");
	va_end(ap);
	tkt_warn("%s: line %d: %s", p->rs->path, line, msg);
	return -1;
}

static void
free_cond(struct cond *c)
{
	if (c->fast != NULL)
		tkt_ere_free(c->fast);
	else
		regfree(&c->re);
	free(c->field);
	free(c->src);
	free(c->ere);
	free(c);
}

static void
free_rule(struct rule *r)
{
	size_t i;

	for (i = 0; i < r->ncond; i++)
		free_cond(r->cond[i]);
	free(r->cond);
	for (i = 0; i < NVAL; i++)
		free(r->val[i]);
	free(r->key);
}

void
tkt_rules_free(struct tkt_rules *rs)
{
	size_t i;

	if (rs == NULL)
		return;
	for (i = 0; i < rs->nrule; i++)
		free_rule(&rs->rule[i]);
	free(rs->rule);
	free(rs->path);
	free(rs);
}

/* Cut the first word off *sp and leave *sp at the next one. */
static char *
word(char **sp)
{
	char *w, *e;

	w = *sp;
	e = w + strcspn(w, BLANKS);
	*sp = e + strspn(e, BLANKS);
	*e = '\0';
	return w;
}

static char *
trim(char *s)
{
	size_t n;

	s += strspn(s, BLANKS);
	n = strlen(s);
	while (n > 0 && strchr(BLANKS "\r\n", s[n - 1]) != NULL)
		n--;
	s[n] = '\0';
	return s;
}

/* A header name is printable ASCII without blanks or ':' (RFC 5322). */
static int
good_field(const char *s)
{
	const unsigned char *u;

	for (u = (const unsigned char *)s; *u != '\0'; u++)
		if (*u <= ' ' || *u >= 0x7f || *u == ':')
			return 0;
	return 1;
}

/* The ERE between the slashes, with every "\/" made a plain '/'. */
static char *
unslash(const char *s, size_t n)
{
	char *ere, *d;
	size_t i;

	d = ere = tkt_alloc(n + 1);
	for (i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n)
			if (s[++i] != '/')
				*d++ = '\\';
		*d++ = s[i];
	}
	*d = '\0';
	return ere;
}

static int
compile(const struct parser *p, struct cond *c)
{
	char msg[256];
	int cflags, e;

	cflags = REG_EXTENDED;
	if (c->icase)
		cflags |= REG_ICASE;
	if (strcmp(c->field, "body") == 0)
		cflags |= REG_NEWLINE;
	if ((e = regcomp(&c->re, c->ere, cflags)) == 0)
		return 0;
	regerror(e, &c->re, msg, sizeof msg);
	return fail(p, c->line, "bad regular expression: %s", msg);
}

/*
 * The ERE of c, by ere.c where it can (whether a value matches is all
 * most rules ask), else by regcomp(3), which also finds the errors.
 */
static int
prepare(const struct parser *p, struct cond *c)
{
	c->fast = tkt_ere_comp(c->ere, c->icase, strcmp(c->field, "body") ==
	    0);
	return c->fast != NULL ? 0 : compile(p, c);
}

/* A rule that makes a key needs the groups, which only regexec gives. */
static int
needgroups(const struct parser *p, struct rule *r)
{
	struct cond *c;
	size_t i;

	for (i = 0; r->key != NULL && i < r->ncond; i++) {
		c = r->cond[i];
		if (c->fast == NULL || c->neg || tkt_ere_groups(c->fast) == 0)
			continue;
		if (compile(p, c) == -1)
			return -1;
		tkt_ere_free(c->fast);
		c->fast = NULL;
	}
	return 0;
}

/* Parse "[!]/ERE/FLAGS" into c; c->field is already set. */
static int
parse_regex(const struct parser *p, struct cond *c, char *s)
{
	const char *last;

	c->neg = *s == '!';
	s += c->neg;
	if (*s != '/' || (last = strrchr(s, '/')) == s)
		return fail(p, p->line, "regex must be /.../");
	if (last[1] != '\0' && strcmp(last + 1, "i") != 0)
		return fail(p, p->line, "trailing flags \"%s\" not understood",
		    last + 1);
	if (last == s + 1)
		return fail(p, p->line, "empty regular expression");
	c->ere = unslash(s + 1, last - s - 1);
	c->icase = last[1] == 'i';
	c->line = p->line;
	return prepare(p, c);
}

static int
parse_match(struct parser *p, char *s)
{
	struct rule *r;
	struct cond *c;
	char *field;

	field = word(&s);
	if (*field == '\0')
		return fail(p, p->line, "missing field");
	if (!good_field(field))
		return fail(p, p->line, "bad field name \"%s\"", field);
	c = tkt_alloc(sizeof *c);
	c->field = tkt_strdup(strcasecmp(field, "body") ? field : "body");
	c->src = tkt_strdup(s);
	if (parse_regex(p, c, s) == -1) {
		/* Nothing to regfree: the regex failed or was never made. */
		free(c->field);
		free(c->src);
		free(c->ere);
		free(c);
		return -1;
	}
	r = p->cur;
	r->cond = grow(r->cond, r->ncond, sizeof *r->cond);
	r->cond[r->ncond++] = c;
	return 0;
}

static int
parse_tier(struct parser *p, const char *s)
{
	char *end;
	long n;

	if (p->cur->tier != 0)
		return fail(p, p->line, "tier set twice in one rule");
	if (*s == '\0')
		return fail(p, p->line, "missing value");
	errno = 0;
	n = strtol(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || errno != 0 ||
	    n < 1 || n > p->tiers)
		return fail(p, p->line, "tier must be 1 to %d", p->tiers);
	p->cur->tier = (int)n;
	return 0;
}

/* A key template: \1 to \9 for groups, \\ for a backslash. */
static int
parse_key(struct parser *p, const char *s)
{
	const char *q;

	if (p->cur->key != NULL)
		return fail(p, p->line, "key set twice in one rule");
	if (*s == '\0')
		return fail(p, p->line, "missing value");
	for (q = s; (q = strchr(q, '\\')) != NULL; q += 2)
		if (q[1] != '\\' && (q[1] < '1' || q[1] > '9'))
			return fail(p, p->line, "in a key, \\ must be followed "
			    "by a digit 1 to 9 or another \\");
	p->cur->key = tkt_strdup(s);
	return 0;
}

static int
parse_set(struct parser *p, char *s)
{
	const char *name;
	int i;

	name = word(&s);
	if (*name == '\0')
		return fail(p, p->line, "missing field");
	if (strcmp(name, "tier") == 0)
		return parse_tier(p, s);
	if (strcmp(name, "key") == 0)
		return parse_key(p, s);
	for (i = 0; i < NVAL; i++)
		if (strcmp(name, valname[i]) == 0)
			break;
	if (i == NVAL)
		return fail(p, p->line, "cannot set \"%s\"", name);
	if (p->cur->val[i] != NULL)
		return fail(p, p->line, "%s set twice in one rule", name);
	if (*s == '\0')
		return fail(p, p->line, "missing value");
	p->cur->val[i] = tkt_strdup(s);
	return 0;
}

static void
begin_rule(struct parser *p)
{
	struct tkt_rules *rs;

	rs = p->rs;
	rs->rule = grow(rs->rule, rs->nrule, sizeof *rs->rule);
	p->cur = &rs->rule[rs->nrule++];
	*p->cur = (struct rule){ .line = p->line };
}

static int
end_rule(struct parser *p)
{
	struct rule *r;
	int i;

	if ((r = p->cur) == NULL)
		return 0;
	p->cur = NULL;
	if (r->key != NULL || r->recovery)
		p->rs->nkeyed = p->rs->nrule;
	if (needgroups(p, r) == -1)
		return -1;
	if (r->ncond == 0 || r->tier != 0 || r->stop || r->key != NULL ||
	    r->recovery)
		return 0;
	for (i = 0; i < NVAL; i++)
		if (r->val[i] != NULL)
			return 0;
	return fail(p, r->line, "rule has conditions but nothing to do");
}

static int
parse_line(struct parser *p, char *s)
{
	const char *kw;

	s = trim(s);
	if (*s == '\0')
		return end_rule(p);
	if (*s == '#')
		return 0;
	if (p->cur == NULL)
		begin_rule(p);
	kw = word(&s);
	if (strcmp(kw, "match") == 0)
		return parse_match(p, s);
	if (strcmp(kw, "set") == 0)
		return parse_set(p, s);
	if (strcmp(kw, "stop") != 0 && strcmp(kw, "recovery") != 0)
		return fail(p, p->line, "unknown keyword \"%s\"", kw);
	if (*s != '\0')
		return fail(p, p->line, "\"%s\" takes no arguments", kw);
	if (*kw == 's')
		p->cur->stop = 1;
	else
		p->cur->recovery = 1;
	return 0;
}

static int
read_line(struct parser *p, char *buf, size_t n)
{
	/* The line number must fit the int of struct tkt_route. */
	if (p->line == INT_MAX)
		return fail(p, p->line, "too many lines");
	p->line++;
	if (strlen(buf) != n)
		return fail(p, p->line, "NUL byte in line");
	return parse_line(p, buf);
}

static int
read_rules(struct parser *p, FILE *fp)
{
	char *buf;
	size_t cap;
	ssize_t n;
	int r;

	buf = NULL;
	cap = 0;
	r = 0;
	while (r == 0 && (n = getline(&buf, &cap, fp)) != -1)
		r = read_line(p, buf, n);
	if (r == 0 && ferror(fp)) {
		tkt_warn("%s: %s", p->rs->path, strerror(errno));
		r = -1;
	}
	free(buf);
	return r == 0 ? end_rule(p) : r;
}

struct tkt_rules *
tkt_rules_load(const char *path, int tiers)
{
	struct parser p;
	FILE *fp;
	int r;

	if ((fp = fopen(path, "r")) == NULL) {
		tkt_warn("%s: %s", path, strerror(errno));
		return NULL;
	}
	p.rs = tkt_alloc(sizeof *p.rs);
	*p.rs = (struct tkt_rules){ .path = tkt_strdup(path) };
	p.cur = NULL;
	p.line = 0;
	p.tiers = tiers;
	r = read_rules(&p, fp);
	fclose(fp);
	if (r == 0)
		return p.rs;
	tkt_rules_free(p.rs);
	return NULL;
}

static void
capture(struct caps *cp, const char *v, const regmatch_t *m, size_t n)
{
	size_t i;

	/*
	 * glibc may report a group of a back-reference pattern ending
	 * before it starts; such a group captured nothing.
	 */
	for (i = 1; i <= n && cp->n < NCAP; i++) {
		cp->n++;
		if (m[i].rm_so >= 0 && m[i].rm_eo >= m[i].rm_so)
			cp->s[cp->n] = tkt_strndup(v + m[i].rm_so,
			    m[i].rm_eo - m[i].rm_so);
	}
}

static int
holds(const struct cond *c, tkt_getter get, void *arg, struct caps *cp)
{
	regmatch_t m[NCAP + 1];
	const char *v;
	size_t i;

	for (i = 0; (v = get(arg, c->field, i)) != NULL; i++)
		if (c->fast != NULL ? tkt_ere_exec(c->fast, v) :
		    regexec(&c->re, v, NCAP + 1, m, 0) == 0) {
			/* What ere.c took has no groups a key could use. */
			if (!c->neg && c->fast == NULL)
				capture(cp, v, m, c->re.re_nsub < NCAP ?
				    c->re.re_nsub : NCAP);
			return !c->neg;
		}
	return c->neg;
}

static void
freecaps(struct caps *cp)
{
	int i;

	for (i = 1; i <= NCAP; i++)
		free(cp->s[i]);
	memset(cp, 0, sizeof *cp);
}

static int
matches(const struct rule *r, tkt_getter get, void *arg, struct caps *cp)
{
	size_t i;

	memset(cp, 0, sizeof *cp);
	for (i = 0; i < r->ncond; i++)
		if (!holds(r->cond[i], get, arg, cp)) {
			freecaps(cp);
			return 0;
		}
	return 1;
}

/* The key of a rule's template; a key is cut at its buffer's size. */
static void
makekey(const char *tpl, const struct caps *cp, char *key, size_t n)
{
	struct tkt_buf b = { 0 };
	const char *v;

	tkt_buf_add(&b, "", 0);
	for (; *tpl != '\0'; tpl++) {
		if (*tpl != '\\' || tpl[1] == '\0') {
			tkt_buf_add(&b, tpl, 1);
			continue;
		}
		tpl++;
		if (*tpl == '\\')
			tkt_buf_add(&b, tpl, 1);
		else if ((v = cp->s[*tpl - '0']) != NULL)
			tkt_buf_str(&b, v);
	}
	snprintf(key, n, "%s", b.s);
	tkt_buf_free(&b);
}

static void
take(const struct rule *r, const struct caps *cp, struct tkt_route *out)
{
	out->line = r->line;
	if (r->key != NULL)
		makekey(r->key, cp, out->key, sizeof out->key);
	if (r->recovery)
		out->recovery = 1;
	if (r->tier != 0)
		out->tier = r->tier;
	if (r->val[CLIENT] != NULL)
		out->client = r->val[CLIENT];
	if (r->val[CATEGORY] != NULL)
		out->category = r->val[CATEGORY];
	if (r->val[PRIORITY] != NULL)
		out->priority = r->val[PRIORITY];
}

/* "./rules:3: matched (Subject /fw/i, From !/x/): tier=2 stop" */
static void
say(const struct tkt_rules *rs, const struct rule *r, FILE *fp)
{
	size_t i;

	fprintf(fp, "%s:%d: matched (", rs->path, r->line);
	if (r->ncond == 0)
		fputs("no conditions", fp);
	for (i = 0; i < r->ncond; i++)
		fprintf(fp, "%s%s %s", i ? ", " : "", r->cond[i]->field,
		    r->cond[i]->src);
	fputs("):", fp);
	if (r->tier != 0)
		fprintf(fp, " tier=%d", r->tier);
	for (i = 0; i < NVAL; i++)
		if (r->val[i] != NULL)
			fprintf(fp, " %s=%s", valname[i], r->val[i]);
	if (r->key != NULL)
		fprintf(fp, " key=%s", r->key);
	if (r->recovery)
		fputs(" recovery", fp);
	fputs(r->stop ? " stop\n" : "\n", fp);
}

int
tkt_rules_apply(const struct tkt_rules *rs, tkt_getter get, void *arg,
    struct tkt_route *out, FILE *verbose)
{
	const struct rule *r;
	struct caps cp;
	size_t i;
	int n;

	*out = (struct tkt_route){ .tier = 0 };
	n = 0;
	for (i = 0; i < rs->nrule; i++) {
		r = &rs->rule[i];
		if (!matches(r, get, arg, &cp))
			continue;
		n++;
		take(r, &cp, out);
		freecaps(&cp);
		if (verbose != NULL)
			say(rs, r, verbose);
		if (r->stop)
			break;
	}
	return n;
}

/*
 * The key and recovery of what tkt_rules_apply gives out, for a mail,
 * and nothing else of it: a rule that sets neither is tried only for
 * its stop, and none is after the last that sets one.
 */
void
tkt_rules_key(const struct tkt_rules *rs, tkt_getter get, void *arg,
    struct tkt_route *out)
{
	const struct rule *r;
	struct caps cp;
	size_t i;

	*out = (struct tkt_route){ .tier = 0 };
	for (i = 0; i < rs->nkeyed; i++) {
		r = &rs->rule[i];
		if (r->key == NULL && !r->recovery && !r->stop)
			continue;
		if (!matches(r, get, arg, &cp))
			continue;
		if (r->key != NULL)
			makekey(r->key, &cp, out->key, sizeof out->key);
		if (r->recovery)
			out->recovery = 1;
		freecaps(&cp);
		if (r->stop)
			break;
	}
}

/*
 * What a rule sees of a ticket: its headers, its body, and as
 * Tkt-Client, Tkt-Category and Tkt-Priority what the history gave so
 * far; Tkt-Flags is what its first mail was flagged as.
 */
const char *
tkt_rules_get(void *arg, const char *field, size_t i)
{
	struct tkt_view *v = arg;
	size_t k;

	if (strcasecmp(field, "body") == 0)
		return i == 0 ? v->t->buf + v->t->bodyoff : NULL;
	if (strcasecmp(field, "Tkt-Client") == 0)
		return i == 0 ? v->st.client : NULL;
	if (strcasecmp(field, "Tkt-Category") == 0)
		return i == 0 ? v->st.category : NULL;
	if (strcasecmp(field, "Tkt-Priority") == 0)
		return i == 0 ? v->st.priority : NULL;
	if (strcasecmp(field, "Tkt-Flags") == 0)
		return i == 0 && v->t->nev > 0 ? v->t->ev[0].flag : NULL;
	for (k = 0; k < v->t->nhdr; k++)
		if (strcasecmp(v->t->hdr[k].name, field) == 0 && i-- == 0)
			return v->t->hdr[k].value;
	return NULL;
}
