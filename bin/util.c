/*
 * util.c: diagnostics, memory, growing buffers and the options every
 * command shares (--now and the program name).
 */

#include <errno.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "tkt.h"

const char *tkt_prog = "tkt";
time_t tkt_now;

static void
vwarn(const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", tkt_prog);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
tkt_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
}

/*
 * The status of tkt_die(1, ...), which reports a failure of the system
 * (memory, files, the lock).  A mail delivery agent makes it 75, so that
 * the mail transport agent tries again later.
 */
int tkt_exitfail = 1;

_Noreturn void
tkt_die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
	exit(status == 1 ? tkt_exitfail : status);
}

_Noreturn void
tkt_usage(const char *synopsis)
{
	fprintf(stderr, "usage: %s %s\n", tkt_prog, synopsis);
	exit(2);
}

void *
tkt_alloc(size_t n)
{
	void *p;

	if ((p = calloc(1, n ? n : 1)) == NULL)
		tkt_die(1, "out of memory");
	return p;
}

void *
tkt_realloc(void *p, size_t n)
{
	if ((p = realloc(p, n ? n : 1)) == NULL)
		tkt_die(1, "out of memory");
	return p;
}

char *
tkt_strndup(const char *s, size_t n)
{
	char *p;

	p = tkt_alloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
tkt_strdup(const char *s)
{
	return tkt_strndup(s, strlen(s));
}

void
tkt_buf_add(struct tkt_buf *b, const void *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = b->cap ? b->cap : 256;
		while (b->len + n + 1 > b->cap)
			b->cap *= 2;
		b->s = tkt_realloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
tkt_buf_str(struct tkt_buf *b, const char *s)
{
	tkt_buf_add(b, s, strlen(s));
}

void
tkt_buf_fmt(struct tkt_buf *b, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		tkt_die(1, "cannot format output");
	if ((size_t)n < sizeof small) {
		tkt_buf_add(b, small, n);
		return;
	}
	tkt_buf_add(b, "", 0);
	if (b->len + n + 1 > b->cap) {
		b->cap = b->len + n + 1;
		b->s = tkt_realloc(b->s, b->cap);
	}
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, n + 1, fmt, ap);
	va_end(ap);
	b->len += n;
}

void
tkt_buf_free(struct tkt_buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

const char *
tkt_user(const char *opt)
{
	struct passwd *pw;
	const char *s;

	if (opt != NULL && *opt != '\0')
		return opt;
	if ((s = getenv("TKT_USER")) != NULL && *s != '\0')
		return s;
	if ((s = getenv("USER")) != NULL && *s != '\0')
		return s;
	if ((pw = getpwuid(getuid())) != NULL)
		return pw->pw_name;
	return "unknown";
}

static void
setnow(const char *s, const char *from)
{
	if (tkt_time_parse(s, &tkt_now) == -1)
		tkt_die(2, "%s: cannot read time \"%s\"", from, s);
}

/*
 * Take the program name and the shared long option --now TIME (or
 * --now=TIME) out of argv before getopt(3) sees it; TKT_NOW stands in
 * when the option is absent.  Option parsing stops at "--".
 */
void
tkt_init(int *argcp, char **argv)
{
	const char *s, *slash;
	int i, j;

	if (argv[0] != NULL) {
		slash = strrchr(argv[0], '/');
		tkt_prog = slash ? slash + 1 : argv[0];
	}
	tkt_now = time(NULL);
	if ((s = getenv("TKT_NOW")) != NULL && *s != '\0')
		setnow(s, "TKT_NOW");
	for (i = j = 1; i < *argcp; i++) {
		if (strcmp(argv[i], "--") == 0) {
			while (i < *argcp)
				argv[j++] = argv[i++];
			break;
		}
		if (strncmp(argv[i], "--now=", 6) == 0) {
			setnow(argv[i] + 6, "--now");
		} else if (strcmp(argv[i], "--now") == 0) {
			if (i + 1 >= *argcp)
				tkt_die(2, "--now needs a time");
			setnow(argv[++i], "--now");
		} else {
			argv[j++] = argv[i];
		}
	}
	argv[j] = NULL;
	*argcp = j;
}

/* Exit status for main: a failed write to stdout is an error too. */
int
tkt_finish(int status)
{
	if (fflush(stdout) == EOF || ferror(stdout)) {
		tkt_warn("standard output: %s", strerror(errno));
		return 1;
	}
	return status;
}

/* All of fp, NUL-terminated, and its length; dies on a read error. */
char *
tkt_slurp(FILE *fp, size_t *lenp)
{
	struct tkt_buf b = { 0 };
	char chunk[65536];
	size_t n;

	tkt_buf_add(&b, "", 0);
	/* A short count is the end or an error: no read more to tell. */
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0) {
		tkt_buf_add(&b, chunk, n);
		if (n < sizeof chunk)
			break;
	}
	if (ferror(fp))
		tkt_die(1, "read error: %s", strerror(errno));
	b.s[b.len] = '\0';
	*lenp = b.len;
	return b.s;
}

/* The value of a hexadecimal digit, or -1. */
int
tkt_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Does s contain w, in any case?  (strcasestr(3) is not POSIX.) */
int
tkt_contains(const char *s, const char *w)
{
	size_t n;

	for (n = strlen(w); *s != '\0'; s++)
		if (strncasecmp(s, w, n) == 0)
			return 1;
	return 0;
}
