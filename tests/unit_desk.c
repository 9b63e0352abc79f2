/*
 * unit_desk.c: finding a desk, ticket IDs, resolving operands, saving
 * and moving ticket files, scanning and locking (desk.c).
 *
 * Each test gets a scratch directory TOP holding a desk TOP/desk whose
 * config sets tier 1 to 45 minutes.  The working directory, TKTDESK
 * and TKT_NODE are put back afterwards.
 */

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../bin/tkt.h"
#include "unit.h"

#define T0	1772442000		/* 2026-03-02T09:00:00Z */

static char root[64], top[80], desk[96], cwd[PATH_MAX];
static const char *said;
static char *oldenv[2];
static const char *const envname[2] = { "TKTDESK", "TKT_NODE" };

static void
writef(const char *path, const char *text)
{
	FILE *fp;

	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	ck_assert_int_ge(fputs(text, fp), 0);
	ck_assert_int_eq(fclose(fp), 0);
}

static void
at(char *buf, size_t n, const char *sub)
{
	int r;

	r = snprintf(buf, n, "%s/%s", desk, sub);
	ck_assert(r > 0 && (size_t)r < n);
}

static void
rmtree(const char *path)
{
	char sub[PATH_MAX];
	struct dirent *de;
	DIR *dp;

	if ((dp = opendir(path)) != NULL) {
		while ((de = readdir(dp)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			snprintf(sub, sizeof sub, "%s/%s", path, de->d_name);
			rmtree(sub);
		}
		closedir(dp);
		rmdir(path);
	} else
		unlink(path);
}

/*
 * A failed assertion ends a forked test without its teardown, so every
 * TOP lies in ROOT, which the parent removes after the last test.
 */
static void
root_make(void)
{
	const char *s = getenv("TMPDIR");

	snprintf(root, sizeof root, "%s/tkt-desk.XXXXXX",
	    s != NULL && *s != '\0' && strlen(s) < 40 ? s : "/tmp");
	if (mkdtemp(root) == NULL) {
		perror(root);
		root[0] = '\0';
	}
}

static void
root_remove(void)
{
	if (root[0] != '\0')
		rmtree(root);
}

static void
setup(void)
{
	char path[PATH_MAX];
	const char *s;
	int i;

	for (i = 0; i < 2; i++) {
		s = getenv(envname[i]);
		oldenv[i] = s != NULL ? strdup(s) : NULL;
	}
	unsetenv("TKTDESK");
	setenv("TKT_NODE", "5", 1);
	tkt_prog = "tkt";
	ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
	ck_assert_msg(root[0] != '\0', "no scratch directory");
	snprintf(top, sizeof top, "%s/t.XXXXXX", root);
	ck_assert_ptr_nonnull(mkdtemp(top));
	snprintf(desk, sizeof desk, "%s/desk", top);
	ck_assert_int_eq(mkdir(desk, 0777), 0);
	at(path, sizeof path, "config");
	writef(path, "# test desk\nlimit 1 45m\n");
	at(path, sizeof path, "rules");
	writef(path, "");
}

static void
teardown(void)
{
	int i;

	if (chdir(cwd) == -1)
		perror(cwd);
	rmtree(top);
	for (i = 0; i < 2; i++) {
		if (oldenv[i] != NULL)
			setenv(envname[i], oldenv[i], 1);
		else
			unsetenv(envname[i]);
		free(oldenv[i]);
		oldenv[i] = NULL;
	}
}

/* tkt_desk_open with stderr caught in said. */
static int
open_said(struct tkt_desk *d, const char *dflag)
{
	int r;

	capture();
	r = tkt_desk_open(d, dflag);
	said = captured();
	return r;
}

static void
open_ok(struct tkt_desk *d, const char *dflag, const char *want)
{
	ck_assert_int_eq(open_said(d, dflag), 0);
	ck_assert_str_eq(said, "");
	ck_assert_str_eq(d->path, want);
	ck_assert_int_eq(d->lockfd, -1);
	ck_assert_int_eq(d->conf.limit[1], 45 * 60);
	ck_assert_int_eq(d->conf.limit[2], 60 * 60);
}

START_TEST(open_here)
{
	struct tkt_desk d;

	ck_assert_int_eq(chdir(desk), 0);
	open_ok(&d, NULL, ".");
	tkt_desk_close(&d);
	ck_assert_ptr_null(d.path);
}
END_TEST

START_TEST(open_subdir)
{
	struct tkt_desk d;
	char path[PATH_MAX];

	at(path, sizeof path, "share");
	ck_assert_int_eq(mkdir(path, 0777), 0);
	at(path, sizeof path, "share/deep");
	ck_assert_int_eq(mkdir(path, 0777), 0);
	ck_assert_int_eq(chdir(path), 0);
	open_ok(&d, NULL, "../..");
	tkt_desk_close(&d);
}
END_TEST

START_TEST(open_env)
{
	struct tkt_desk d;

	setenv("TKTDESK", desk, 1);
	ck_assert_int_eq(chdir("/"), 0);
	open_ok(&d, NULL, desk);
	tkt_desk_close(&d);
	setenv("TKTDESK", "", 1);
	ck_assert_int_eq(chdir(desk), 0);
	open_ok(&d, NULL, ".");
	tkt_desk_close(&d);
}
END_TEST

/* -d wins over TKTDESK, which wins over the working directory. */
START_TEST(open_flag)
{
	struct tkt_desk d;
	char want[256];

	setenv("TKTDESK", top, 1);
	ck_assert_int_eq(chdir(top), 0);
	open_ok(&d, desk, desk);
	tkt_desk_close(&d);
	open_ok(&d, "desk", "desk");
	tkt_desk_close(&d);
	ck_assert_int_eq(chdir(desk), 0);
	ck_assert_int_eq(open_said(&d, NULL), -1);
	snprintf(want, sizeof want, "tkt: %s: not a desk (no config and "
	    "rules file there)\n", top);
	ck_assert_str_eq(said, want);
}
END_TEST

START_TEST(open_not_desk)
{
	struct tkt_desk d;
	char path[PATH_MAX];

	ck_assert_int_eq(chdir(top), 0);
	ck_assert_int_eq(open_said(&d, NULL), -1);
	ck_assert_str_eq(said, "tkt: not in a desk (no config and rules "
	    "here or in any parent; use -d DIR or set TKTDESK)\n");
	ck_assert_ptr_null(d.path);
	ck_assert_int_eq(open_said(&d, "nowhere"), -1);
	ck_assert_str_eq(said, "tkt: nowhere: not a desk (no config and "
	    "rules file there)\n");
	at(path, sizeof path, "rules");
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(mkdir(path, 0777), 0);
	ck_assert_int_eq(open_said(&d, "desk"), -1);
}
END_TEST

START_TEST(open_bad_config)
{
	struct tkt_desk d;
	char path[PATH_MAX];

	at(path, sizeof path, "config");
	writef(path, "limt 1 30m\n");
	ck_assert_int_eq(open_said(&d, desk), -1);
	ck_assert_ptr_nonnull(strstr(said, "/desk/config: line 1: "));
	ck_assert_ptr_null(d.path);
}
END_TEST

static void
desk_open(struct tkt_desk *d)
{
	ck_assert_int_eq(tkt_desk_open(d, desk), 0);
}

/* A new ticket made at t; msgid, if given, becomes its Message-ID. */
static void
ticket(struct tkt_ticket *t, time_t when, const char *msgid)
{
	struct tkt_event ev = { 0 };
	struct tkt_buf b = { 0 };

	tkt_buf_str(&b, "From: alice@example.com\nSubject: printer\n");
	if (msgid != NULL)
		tkt_buf_fmt(&b, "Message-ID: %s\n", msgid);
	tkt_buf_str(&b, "\nIt jams.\n");
	ck_assert_int_eq(tkt_ticket_parse(t, "t", b.s, b.len, 1), 0);
	ev.t = when;
	ev.verb = TKT_CREATED;
	ev.by = "alice";
	tkt_ticket_add(t, &ev);
}

static void
add(struct tkt_ticket *t, enum tkt_verb verb, time_t when, int tier)
{
	struct tkt_event ev = { 0 };

	ev.t = when;
	ev.verb = verb;
	ev.tier = tier;
	ev.by = "bob";
	tkt_ticket_add(t, &ev);
}

/*
 * The time ID tkt(5) describes: 34 bits of seconds since 1970, 14 of
 * node tag and 12 of sequence, as 12 base32 characters.
 */
static void
time_id(char id[TKT_IDLEN + 1], time_t t, unsigned node, unsigned seq)
{
	static const char b32[] = "0123456789abcdefghjkmnpqrstvwxyz";
	uint64_t v;
	int i;

	v = (uint64_t)t << 26 | (uint64_t)node << 12 | seq;
	for (i = TKT_IDLEN - 1; i >= 0; i--, v >>= 5)
		id[i] = b32[v & 31];
	id[TKT_IDLEN] = '\0';
}

/* The file at path holds exactly what t formats to. */
static void
same_file(const struct tkt_ticket *t, const char *path)
{
	struct tkt_buf b = { 0 };
	char *got;
	FILE *fp;
	long n;

	tkt_ticket_format(t, &b);
	ck_assert_ptr_nonnull(fp = fopen(path, "r"));
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	got = malloc(n + 1);
	ck_assert_ptr_nonnull(got);
	ck_assert_int_eq(fread(got, 1, n, fp), n);
	fclose(fp);
	got[n] = '\0';
	ck_assert_uint_eq(n, b.len);
	ck_assert_str_eq(got, b.s);
	free(got);
	tkt_buf_free(&b);
}

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Names in a directory of the desk, sorted and joined by commas. */
static char *
listing(const char *sub)
{
	static char out[1024];
	char path[PATH_MAX], *v[64];
	struct dirent *de;
	DIR *dp;
	int i, n;

	at(path, sizeof path, sub);
	out[0] = '\0';
	if ((dp = opendir(path)) == NULL)
		return out;
	for (n = 0; (de = readdir(dp)) != NULL && n < 64;)
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			v[n++] = strdup(de->d_name);
	closedir(dp);
	qsort(v, n, sizeof *v, cmp);
	for (i = 0; i < n; i++) {
		if (i > 0)
			strcat(out, ",");
		strncat(out, v[i], 100);
		free(v[i]);
	}
	return out;
}

/* The ticket is in dir and in no other, and tmp/ holds no leftovers. */
static void
only_in(const struct tkt_ticket *t, enum tkt_dir dir)
{
	char path[PATH_MAX];
	int i;

	for (i = 0; i < 3; i++) {
		at(path, sizeof path, tkt_dirname[i]);
		strcat(strcat(path, "/"), t->id);
		ck_assert_msg((access(path, F_OK) == 0) == (i == (int)dir),
		    "%s %s", path, i == (int)dir ? "missing" : "is there");
	}
	ck_assert_int_eq(t->dir, dir);
	at(path, sizeof path, tkt_dirname[dir]);
	strcat(strcat(path, "/"), t->id);
	ck_assert_str_eq(t->path, path);
	same_file(t, path);
	ck_assert_msg(strcmp(listing("tmp"), "") == 0 ||
	    strcmp(listing("tmp"), "lock") == 0, "tmp/: %s", listing("tmp"));
}

START_TEST(create_time_id)
{
	struct tkt_desk d;
	struct tkt_ticket a, b;
	char want[TKT_IDLEN + 1];

	desk_open(&d);
	ticket(&a, T0, NULL);
	ticket(&b, T0, NULL);
	ck_assert_int_eq(tkt_desk_create(&d, &a, NULL), 0);
	ck_assert_int_eq(tkt_desk_create(&d, &b, NULL), 0);
	only_in(&a, TKT_NEW);
	only_in(&b, TKT_NEW);
	time_id(want, T0, 5, 0);
	ck_assert_str_eq(a.id, want);
	time_id(want, T0, 5, 1);
	ck_assert_str_eq(b.id, want);
	tkt_ticket_free(&a);
	tkt_ticket_free(&b);
	tkt_desk_close(&d);
}
END_TEST

/* Whatever the layout, IDs are 12 base32 characters in time order. */
START_TEST(create_id_shape)
{
	struct tkt_desk d;
	struct tkt_ticket a, b;

	desk_open(&d);
	ticket(&a, T0, NULL);
	ticket(&b, T0 + 1, NULL);
	ck_assert_int_eq(tkt_desk_create(&d, &a, NULL), 0);
	ck_assert_int_eq(tkt_desk_create(&d, &b, NULL), 0);
	ck_assert_uint_eq(strlen(a.id), TKT_IDLEN);
	ck_assert_uint_eq(strspn(a.id, "0123456789abcdefghjkmnpqrstvwxyz"),
	    TKT_IDLEN);
	ck_assert_int_lt(strcmp(a.id, b.id), 0);
	ck_assert_ptr_nonnull(strstr(listing("new"), a.id));
	tkt_ticket_free(&a);
	tkt_ticket_free(&b);
	tkt_desk_close(&d);
}
END_TEST

START_TEST(create_msgid)
{
	struct tkt_desk d;
	struct tkt_ticket a, b;
	char want[TKT_IDLEN + 1], path[PATH_MAX];

	desk_open(&d);
	ticket(&a, T0, "<m1@example.com>");
	ck_assert_int_eq(tkt_desk_create(&d, &a, "<m1@example.com>"), 0);
	tkt_id_hash(want, "<m1@example.com>");
	ck_assert_str_eq(a.id, want);
	only_in(&a, TKT_NEW);
	ticket(&b, T0 + 60, "<m1@example.com>");
	ck_assert_int_eq(tkt_desk_create(&d, &b, "<m1@example.com>"), 1);
	ck_assert_str_eq(b.path, a.path);
	ck_assert_str_eq(listing("new"), a.id);
	same_file(&a, a.path);
	tkt_ticket_free(&b);
	at(path, sizeof path, "closed/cur/");
	ck_assert_int_eq(rename(a.path, strcat(path, a.id)), 0);
	ticket(&b, T0 + 60, "<m1@example.com>");
	ck_assert_int_eq(tkt_desk_create(&d, &b, "<m1@example.com>"), 1);
	ck_assert_str_eq(b.path, path);
	ck_assert_str_eq(listing("new"), "");
	ck_assert_str_eq(listing("tmp"), "");
	tkt_ticket_free(&a);
	tkt_ticket_free(&b);
	tkt_desk_close(&d);
}
END_TEST

/*
 * No real 60-bit collision is at hand, so one is planted: a ticket of
 * another message under the hash ID.  The new one gets a time ID.
 */
START_TEST(create_collision)
{
	struct tkt_desk d;
	struct tkt_ticket a, b;
	char hid[TKT_IDLEN + 1];

	desk_open(&d);
	tkt_id_hash(hid, "<m2@example.com>");
	ticket(&a, T0, "<other@example.com>");
	memcpy(a.id, hid, sizeof a.id);
	a.dir = TKT_NEW;
	a.path = tkt_desk_path(&d, TKT_NEW, hid);
	ck_assert_int_eq(tkt_desk_save(&d, &a), 0);
	add(&a, TKT_ROUTED, T0 + 1, 1);
	ck_assert_int_eq(tkt_desk_save(&d, &a), 0);
	only_in(&a, TKT_CUR);
	ticket(&b, T0 + 2, "<m2@example.com>");
	ck_assert_int_eq(tkt_desk_create(&d, &b, "<m2@example.com>"), 0);
	ck_assert_str_ne(b.id, hid);
	only_in(&b, TKT_NEW);
	only_in(&a, TKT_CUR);
	tkt_ticket_free(&a);
	tkt_ticket_free(&b);
	tkt_desk_close(&d);
}
END_TEST

static void
mkdirs(void)
{
	static const char *const sub[] = { "tmp", "new", "cur", "closed",
	    "closed/cur", NULL };
	char path[PATH_MAX];
	int i;

	for (i = 0; sub[i] != NULL; i++) {
		at(path, sizeof path, sub[i]);
		ck_assert_int_eq(mkdir(path, 0777), 0);
	}
}

static void
plant(const char *sub)
{
	char path[PATH_MAX];

	at(path, sizeof path, sub);
	writef(path, "x\n");
}

/* What tkt_desk_resolve gives for op, relative to the desk. */
static const char *
resolve(const struct tkt_desk *d, const char *op)
{
	static char out[PATH_MAX];
	char *p;

	capture();
	p = tkt_desk_resolve(d, op);
	captured();
	if (p == NULL)
		return "NULL";
	ck_assert_int_eq(strncmp(p, "./", 2), 0);
	snprintf(out, sizeof out, "%s", p + 2);
	free(p);
	return out;
}

START_TEST(resolve_ops)
{
	struct tkt_desk d;

	mkdirs();
	plant("new/aaaa0000000b");
	plant("cur/aaaa1111111c");
	plant("closed/cur/bbbb22222222");
	plant("cur/.aaaa3333333d");
	ck_assert_int_eq(chdir(desk), 0);
	ck_assert_int_eq(tkt_desk_open(&d, "."), 0);
	ck_assert_str_eq(resolve(&d, "aaaa0000000b"), "new/aaaa0000000b");
	ck_assert_str_eq(resolve(&d, "bbbb22222222"),
	    "closed/cur/bbbb22222222");
	ck_assert_str_eq(resolve(&d, "aaaa1"), "cur/aaaa1111111c");
	ck_assert_str_eq(resolve(&d, "bbbb"), "closed/cur/bbbb22222222");
	ck_assert_str_eq(resolve(&d, "aaaa"), "NULL");
	ck_assert_str_eq(resolve(&d, "bbb"), "NULL");
	ck_assert_str_eq(resolve(&d, "zzzz"), "NULL");
	ck_assert_str_eq(resolve(&d, "zzzzzzzzzzzz"), "NULL");
	ck_assert_str_eq(resolve(&d, ".aaaa3333333d"), "NULL");
	ck_assert_str_eq(resolve(&d, "/old/new/bbbb22222222"),
	    "closed/cur/bbbb22222222");
	ck_assert_str_eq(resolve(&d, "cur/aaaa0000000b"), "new/aaaa0000000b");
	ck_assert_str_eq(resolve(&d, "cur/aaaa1"), "NULL");
	ck_assert_str_eq(resolve(&d, "cur/"), "NULL");
	tkt_desk_close(&d);
}
END_TEST

/* The messages say which kind of failure it was. */
START_TEST(resolve_messages)
{
	struct tkt_desk d;
	char *p, *q;

	mkdirs();
	plant("new/aaaa0000000b");
	plant("cur/aaaa1111111c");
	desk_open(&d);
	capture();
	p = tkt_desk_resolve(&d, "aaaa");
	q = tkt_desk_resolve(&d, "zzzz");
	said = captured();
	ck_assert_ptr_null(p);
	ck_assert_ptr_null(q);
	ck_assert_str_eq(said, "tkt: aaaa: ambiguous ticket prefix\n"
	    "tkt: zzzz: no such ticket in this desk\n");
	tkt_desk_close(&d);
}
END_TEST

/* Load the ticket again from its file; it must be where it says. */
static void
reload(const struct tkt_desk *d, const struct tkt_ticket *t)
{
	struct tkt_ticket u;

	ck_assert_int_eq(tkt_desk_load(d, t->id, &u, 1), 0);
	ck_assert_str_eq(u.id, t->id);
	ck_assert_str_eq(u.path, t->path);
	ck_assert_int_eq(u.dir, t->dir);
	ck_assert_uint_eq(u.nev, t->nev);
	tkt_ticket_free(&u);
}

START_TEST(save_moves)
{
	struct tkt_desk d;
	struct tkt_ticket t;

	desk_open(&d);
	ticket(&t, T0, NULL);
	ck_assert_int_eq(tkt_desk_create(&d, &t, NULL), 0);
	only_in(&t, TKT_NEW);
	add(&t, TKT_ROUTED, T0 + 60, 1);
	ck_assert_int_eq(tkt_desk_save(&d, &t), 0);
	only_in(&t, TKT_CUR);
	reload(&d, &t);
	add(&t, TKT_NOTED, T0 + 120, 0);
	ck_assert_int_eq(tkt_desk_save(&d, &t), 0);
	only_in(&t, TKT_CUR);
	add(&t, TKT_CLOSED_EV, T0 + 180, 0);
	ck_assert_int_eq(tkt_desk_save(&d, &t), 0);
	only_in(&t, TKT_CLOSED);
	reload(&d, &t);
	add(&t, TKT_REOPENED, T0 + 240, 0);
	ck_assert_int_eq(tkt_desk_save(&d, &t), 0);
	only_in(&t, TKT_CUR);
	reload(&d, &t);
	tkt_ticket_free(&t);
	tkt_desk_close(&d);
}
END_TEST

/* A ticket closed before it was routed reopens into new/. */
START_TEST(save_unrouted)
{
	struct tkt_desk d;
	struct tkt_ticket t;

	desk_open(&d);
	ticket(&t, T0, NULL);
	ck_assert_int_eq(tkt_desk_create(&d, &t, NULL), 0);
	add(&t, TKT_CLOSED_EV, T0 + 60, 0);
	ck_assert_int_eq(tkt_desk_save(&d, &t), 0);
	only_in(&t, TKT_CLOSED);
	add(&t, TKT_REOPENED, T0 + 120, 0);
	ck_assert_int_eq(tkt_desk_save(&d, &t), 0);
	only_in(&t, TKT_NEW);
	reload(&d, &t);
	tkt_ticket_free(&t);
	tkt_desk_close(&d);
}
END_TEST

/*
 * A crash between the rewrite and the move leaves a closed ticket in
 * cur/; loaded from there and saved, it moves on.
 */
START_TEST(save_after_crash)
{
	struct tkt_buf b = { 0 };
	struct tkt_desk d;
	struct tkt_ticket t, u;

	desk_open(&d);
	ticket(&t, T0, NULL);
	ck_assert_int_eq(tkt_desk_create(&d, &t, NULL), 0);
	add(&t, TKT_ROUTED, T0 + 60, 1);
	ck_assert_int_eq(tkt_desk_save(&d, &t), 0);
	add(&t, TKT_CLOSED_EV, T0 + 120, 0);
	tkt_ticket_format(&t, &b);
	writef(t.path, b.s);
	tkt_buf_free(&b);
	ck_assert_int_eq(tkt_desk_load(&d, t.id, &u, 1), 0);
	ck_assert_int_eq(u.dir, TKT_CUR);
	ck_assert_int_eq(tkt_desk_save(&d, &u), 0);
	only_in(&u, TKT_CLOSED);
	tkt_ticket_free(&t);
	tkt_ticket_free(&u);
	tkt_desk_close(&d);
}
END_TEST

/* tkt_desk_load with stderr caught in said. */
static int
load_said(const struct tkt_desk *d, const char *op, struct tkt_ticket *t,
    int whole)
{
	int r;

	capture();
	r = tkt_desk_load(d, op, t, whole);
	said = captured();
	return r;
}

/*
 * A path of the desk is read as it is.  Once the ticket has moved the
 * path still names it, by its ID, and nothing is said about the file
 * that is gone.
 */
START_TEST(load_stale_path)
{
	struct tkt_desk d;
	struct tkt_ticket t, u;
	char old[PATH_MAX];

	desk_open(&d);
	ticket(&t, T0, NULL);
	ck_assert_int_eq(tkt_desk_create(&d, &t, NULL), 0);
	snprintf(old, sizeof old, "%s", t.path);
	ck_assert_int_eq(load_said(&d, old, &u, 0), 0);
	ck_assert_str_eq(said, "");
	ck_assert_str_eq(u.path, old);
	ck_assert_int_eq(u.dir, TKT_NEW);
	tkt_ticket_free(&u);
	add(&t, TKT_ROUTED, T0 + 60, 1);
	ck_assert_int_eq(tkt_desk_save(&d, &t), 0);
	ck_assert_int_eq(load_said(&d, old, &u, 1), 0);
	ck_assert_str_eq(said, "");
	ck_assert_str_eq(u.path, t.path);
	ck_assert_str_eq(u.id, t.id);
	ck_assert_int_eq(u.dir, TKT_CUR);
	ck_assert_uint_eq(u.nev, 2);
	tkt_ticket_free(&u);
	tkt_ticket_free(&t);
	tkt_desk_close(&d);
}
END_TEST

/*
 * A FIFO or a directory under a ticket's name is said to be what it
 * is, not read as an empty or broken ticket, and the FIFO blocks
 * nothing: neither a read of the headers, which has no fstat(2) unless
 * it fails, nor a whole one.
 */
START_TEST(load_not_regular)
{
	static const char *const name[] = {
		"cur/zzzzzzzzzz01", "cur/zzzzzzzzzz02"
	};
	struct tkt_desk d;
	struct tkt_ticket u;
	char path[PATH_MAX], want[PATH_MAX + 64];
	int i, whole;

	mkdirs();
	at(path, sizeof path, name[0]);
	ck_assert_int_eq(mkfifo(path, 0666), 0);
	at(path, sizeof path, name[1]);
	ck_assert_int_eq(mkdir(path, 0777), 0);
	desk_open(&d);
	for (i = 0; i < 2; i++)
		for (whole = 0; whole < 2; whole++) {
			at(path, sizeof path, name[i]);
			snprintf(want, sizeof want,
			    "tkt: %s: not a regular file\n", path);
			ck_assert_int_eq(load_said(&d, path, &u, whole), -1);
			ck_assert_str_eq(said, want);
			tkt_ticket_free(&u);
		}
	tkt_desk_close(&d);
}
END_TEST

/* Every command catches up on the clock before it appends. */
START_TEST(record_catches_up)
{
	struct tkt_event ev = { 0 };
	struct tkt_desk d;
	struct tkt_ticket t;

	desk_open(&d);
	ticket(&t, T0, NULL);
	ck_assert_int_eq(tkt_desk_create(&d, &t, NULL), 0);
	add(&t, TKT_ROUTED, T0, 1);
	ck_assert_int_eq(tkt_desk_save(&d, &t), 0);
	ev.t = T0 + 3600;
	ev.verb = TKT_NOTED;
	ev.by = "carol";
	ev.text = "called";
	ck_assert_int_eq(tkt_desk_record(&d, &t, &ev), 0);
	ck_assert_uint_eq(t.nev, 4);
	ck_assert_int_eq(t.ev[2].verb, TKT_ESCALATED);
	ck_assert_int_eq(t.ev[2].t, T0 + 45 * 60);
	ck_assert_str_eq(t.ev[2].text,
	    "tier 1 limit 45m reached without a plan");
	ck_assert_int_eq(t.ev[3].verb, TKT_NOTED);
	only_in(&t, TKT_CUR);
	tkt_ticket_free(&t);
	tkt_desk_close(&d);
}
END_TEST

/* A ticket made at when and, with tier, routed a minute later. */
static void
made(const struct tkt_desk *d, struct tkt_ticket *t, time_t when, int tier)
{
	ticket(t, when, NULL);
	ck_assert_int_eq(tkt_desk_create(d, t, NULL), 0);
	if (tier == 0)
		return;
	add(t, TKT_ROUTED, when + 60, tier);
	ck_assert_int_eq(tkt_desk_save(d, t), 0);
}

/* The events of the ticket's file now. */
static size_t
events(const struct tkt_desk *d, const struct tkt_ticket *t)
{
	struct tkt_ticket u;
	size_t n;

	ck_assert_int_eq(tkt_desk_load(d, t->id, &u, 0), 0);
	n = u.nev;
	tkt_ticket_free(&u);
	return n;
}

struct outcome {
	char	 said[16];		/* per entry: "w" written, "f" not */
};

static void
outcome(void *arg, size_t entry, int written)
{
	struct outcome *o = arg;

	ck_assert_uint_eq(strlen(o->said), entry);
	strcat(o->said, written ? "w" : "f");
}

/*
 * A batch writes nothing until it is committed, and then puts a
 * rewrite, a close and a reopen each where its state says.
 */
START_TEST(batch_commit)
{
	struct outcome o = { "" };
	struct tkt_ticket a, b, c;
	struct tkt_batch *bt;
	struct tkt_desk d;

	desk_open(&d);
	made(&d, &a, T0, 1);
	made(&d, &b, T0 + 1, 1);
	made(&d, &c, T0 + 2, 0);
	add(&c, TKT_CLOSED_EV, T0 + 120, 0);
	ck_assert_int_eq(tkt_desk_save(&d, &c), 0);
	bt = tkt_batch_new(&d);
	add(&a, TKT_NOTED, T0 + 180, 0);
	add(&b, TKT_CLOSED_EV, T0 + 180, 0);
	add(&c, TKT_REOPENED, T0 + 180, 0);
	ck_assert_uint_eq(tkt_batch_begin(bt), 0);
	ck_assert_int_eq(tkt_batch_save(bt, &a), 0);
	ck_assert_uint_eq(tkt_batch_begin(bt), 1);
	ck_assert_int_eq(tkt_batch_save(bt, &b), 0);
	ck_assert_uint_eq(tkt_batch_begin(bt), 2);
	ck_assert_int_eq(tkt_batch_save(bt, &c), 0);
	ck_assert_uint_eq(tkt_batch_size(bt), 3);
	ck_assert(tkt_batch_has(bt, b.id));
	ck_assert(!tkt_batch_has(bt, "zzzzzzzzzzzz"));
	ck_assert_uint_eq(events(&d, &a), 2);
	ck_assert_str_eq(listing("closed/cur"), c.id);
	ck_assert_int_eq(tkt_batch_commit(bt, outcome, &o), 0);
	ck_assert_str_eq(o.said, "www");
	ck_assert_uint_eq(tkt_batch_size(bt), 0);
	only_in(&a, TKT_CUR);
	only_in(&b, TKT_CLOSED);
	only_in(&c, TKT_NEW);
	reload(&d, &a);
	reload(&d, &b);
	reload(&d, &c);
	tkt_batch_free(bt);
	tkt_ticket_free(&a);
	tkt_ticket_free(&b);
	tkt_ticket_free(&c);
	tkt_desk_close(&d);
}
END_TEST

/*
 * A step that fails fails its entry alone: the close that cannot move
 * stays rewritten in cur/, where the next sweep finds it, and the
 * other ticket is written.
 */
START_TEST(batch_failure)
{
	struct outcome o = { "" };
	struct tkt_ticket a, b;
	struct tkt_batch *bt;
	struct tkt_desk d;
	char path[PATH_MAX];

	desk_open(&d);
	made(&d, &a, T0, 1);
	made(&d, &b, T0 + 1, 1);
	at(path, sizeof path, "closed/cur/");
	strcat(path, b.id);
	ck_assert_int_eq(mkdir(path, 0777), 0);
	strcat(path, "/x");
	writef(path, "in the way\n");
	bt = tkt_batch_new(&d);
	add(&b, TKT_CLOSED_EV, T0 + 180, 0);
	add(&a, TKT_NOTED, T0 + 180, 0);
	tkt_batch_begin(bt);
	ck_assert_int_eq(tkt_batch_save(bt, &b), 0);
	tkt_batch_begin(bt);
	ck_assert_int_eq(tkt_batch_save(bt, &a), 0);
	capture();
	ck_assert_int_eq(tkt_batch_commit(bt, outcome, &o), -1);
	said = captured();
	ck_assert_str_eq(o.said, "fw");
	ck_assert_ptr_nonnull(strstr(said, "cannot move to"));
	only_in(&a, TKT_CUR);
	ck_assert_uint_eq(events(&d, &b), 3);
	at(path, sizeof path, "cur/");
	ck_assert_int_eq(access(strcat(path, b.id), F_OK), 0);
	tkt_batch_free(bt);
	tkt_ticket_free(&a);
	tkt_ticket_free(&b);
	tkt_desk_close(&d);
}
END_TEST

/* A batch dropped uncommitted leaves the desk as it was. */
START_TEST(batch_dropped)
{
	struct tkt_ticket a, was;
	struct tkt_batch *bt;
	struct tkt_desk d;

	desk_open(&d);
	made(&d, &a, T0, 1);
	ck_assert_int_eq(tkt_desk_load(&d, a.id, &was, 1), 0);
	bt = tkt_batch_new(&d);
	add(&a, TKT_CLOSED_EV, T0 + 180, 0);
	ck_assert_int_eq(tkt_batch_save(bt, &a), 0);
	ck_assert_int_eq(tkt_batch_link(bt, "msgid", "m1", a.id), 0);
	ck_assert_int_eq(tkt_batch_keep(bt, "mail", "m1", "x\n", 2), 0);
	tkt_batch_free(bt);
	only_in(&was, TKT_CUR);
	ck_assert_str_eq(listing("msgid"), "");
	ck_assert_str_eq(listing("mail"), "");
	tkt_ticket_free(&a);
	tkt_ticket_free(&was);
	tkt_desk_close(&d);
}
END_TEST

struct seen {
	char	 names[256];
	const char *fail;		/* the visitor fails on this one */
};

static int
visit(const struct tkt_desk *d, const char *path, void *arg)
{
	struct seen *s = arg;
	const char *name;

	ck_assert_int_eq(strncmp(path, d->path, strlen(d->path)), 0);
	name = strrchr(path, '/') + 1;
	if (s->names[0] != '\0')
		strcat(s->names, ",");
	strcat(s->names, path + strlen(d->path) + 1);
	return s->fail != NULL && strcmp(name, s->fail) == 0;
}

START_TEST(scan_order)
{
	struct seen s = { "", NULL };
	struct tkt_desk d;

	mkdirs();
	plant("cur/b2");
	plant("cur/c3");
	plant("cur/.hidden");
	plant("cur/a1");
	plant("cur/B0");
	plant("new/n1");
	desk_open(&d);
	ck_assert_int_eq(tkt_desk_scan(&d, TKT_CUR, visit, &s), 0);
	ck_assert_str_eq(s.names, "cur/B0,cur/a1,cur/b2,cur/c3");
	s.names[0] = '\0';
	s.fail = "a1";
	ck_assert_int_eq(tkt_desk_scan(&d, TKT_CUR, visit, &s), 1);
	ck_assert_str_eq(s.names, "cur/B0,cur/a1,cur/b2,cur/c3");
	s.names[0] = '\0';
	ck_assert_int_eq(tkt_desk_scan(&d, TKT_CLOSED, visit, &s), 0);
	ck_assert_str_eq(s.names, "");
	tkt_desk_close(&d);
}
END_TEST

/* A missing directory, as after a git clone, is an empty one. */
START_TEST(scan_missing)
{
	struct seen s = { "", NULL };
	struct tkt_desk d;

	desk_open(&d);
	ck_assert_int_eq(tkt_desk_scan(&d, TKT_NEW, visit, &s), 0);
	ck_assert_str_eq(s.names, "");
	tkt_desk_close(&d);
}
END_TEST

/* Maildir flags are part of a name, and order it as strcmp does. */
START_TEST(scan_flags)
{
	struct seen s = { "", NULL };
	struct tkt_desk d;

	mkdirs();
	plant("cur/a1:2,S");
	plant("cur/a1");
	plant("cur/a10");
	plant("cur/a1:2,");
	desk_open(&d);
	ck_assert_int_eq(tkt_desk_scan(&d, TKT_CUR, visit, &s), 0);
	ck_assert_str_eq(s.names, "cur/a1,cur/a10,cur/a1:2,,cur/a1:2,S");
	tkt_desk_close(&d);
}
END_TEST

START_TEST(scan_empty)
{
	struct seen s = { "", NULL };
	struct tkt_desk d;

	mkdirs();
	plant("cur/.only-hidden");
	desk_open(&d);
	ck_assert_int_eq(tkt_desk_scan(&d, TKT_NEW, visit, &s), 0);
	ck_assert_int_eq(tkt_desk_scan(&d, TKT_CUR, visit, &s), 0);
	ck_assert_str_eq(s.names, "");
	tkt_desk_close(&d);
}
END_TEST

#define MANY	3000

struct names {
	char	*name[MANY];
	size_t	 n;
};

static int
collect(const struct tkt_desk *d, const char *path, void *arg)
{
	struct names *nm = arg;

	(void)d;
	ck_assert_uint_lt(nm->n, MANY);
	nm->name[nm->n++] = strdup(strrchr(path, '/') + 1);
	return 0;
}

static int
bystr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Many names, short and near NAME_MAX, some another with maildir flags
 * added, made in no order: each visited once, in strcmp order.
 */
START_TEST(scan_many)
{
	static const char abc[] = "0123456789abcdefghjkmnpqrstvwxyzAZ:,-_";
	static struct names want, got;
	char path[PATH_MAX], name[256];
	struct tkt_desk d;
	uint32_t x;
	size_t i, j, len;

	mkdirs();
	for (i = 0, x = 12345; i < MANY; i++) {
		len = i % 7 == 0 ? 240 : 1 + (x >> 8) % 24;
		for (j = 0; j < len; j++) {
			x = x * 1103515245 + 12345;
			name[j] = abc[(x >> 16) % (sizeof abc - 1)];
		}
		snprintf(name + len, sizeof name - len, ".%zu", i);
		if (i % 5 == 1)		/* the one before, with flags */
			snprintf(name, sizeof name, "%.200s:2,S",
			    want.name[i - 1]);
		at(path, sizeof path, "cur/");
		strcat(path, name);
		writef(path, "x\n");
		want.name[want.n++] = strdup(name);
	}
	qsort(want.name, want.n, sizeof *want.name, bystr);
	desk_open(&d);
	ck_assert_int_eq(tkt_desk_scan(&d, TKT_CUR, collect, &got), 0);
	ck_assert_uint_eq(got.n, want.n);
	for (i = 0; i < want.n; i++)
		ck_assert_str_eq(got.name[i], want.name[i]);
	for (i = 0; i < want.n; i++) {
		free(want.name[i]);
		free(got.name[i]);
	}
	tkt_desk_close(&d);
}
END_TEST

/* What a descriptor reads, NUL-ended; it is closed. */
static const char *
slurpfd(int fd)
{
	static char buf[256];
	ssize_t n;

	ck_assert_int_ne(fd, -1);
	n = read(fd, buf, sizeof buf - 1);
	ck_assert_int_ge(n, 0);
	buf[n] = '\0';
	ck_assert_int_eq(close(fd), 0);
	return buf;
}

struct lend {
	int	 slow;			/* visits to make slow, left */
	int	 n;
	const char *other;		/* a path that is not visited */
};

/*
 * Each ticket holds its own name.  The one visited is lent, once, and
 * no other is; one in three is only looked at and one left alone, and
 * the scan must close those.  The first visits sleep, so that the scan
 * may read ahead.
 */
static int
borrow(const struct tkt_desk *d, const char *path, void *arg)
{
	struct timespec nap = { 0, 2 * 1000 * 1000 };
	struct lend *l = arg;
	char want[64];

	(void)d;
	snprintf(want, sizeof want, "%s\n", strrchr(path, '/') + 1);
	ck_assert_int_eq(tkt_desk_visiting(l->other), 0);
	ck_assert_int_eq(tkt_desk_lent(l->other), -1);
	switch (l->n++ % 3) {
	case 0:
		ck_assert_str_eq(slurpfd(tkt_desk_lent(path)), want);
		ck_assert_int_eq(tkt_desk_lent(path), -1);
		ck_assert_int_eq(tkt_desk_visiting(path), 0);
		break;
	case 1:
		ck_assert_int_eq(tkt_desk_visiting(path), 1);
		break;
	}
	if (l->slow > 0) {
		l->slow--;
		nanosleep(&nap, NULL);
	}
	return 0;
}

/* Scan 100 tickets with borrow; fds: how many more it may open. */
static void
lendall(int slow, int fds)
{
	struct lend l = { slow, 0, NULL };
	char path[PATH_MAX], name[32], other[PATH_MAX];
	struct rlimit rl, was;
	struct tkt_desk d;
	int i, fd;

	mkdirs();
	for (i = 0; i < 100; i++) {
		snprintf(name, sizeof name, "t%03d", i);
		at(path, sizeof path, "cur/");
		strcat(path, name);
		strcat(name, "\n");
		writef(path, name);
	}
	desk_open(&d);
	snprintf(other, sizeof other, "%s/new/t050", d.path);
	l.other = other;
	ck_assert_int_eq(tkt_desk_lent(other), -1);
	ck_assert_int_ne(fd = dup(0), -1);
	close(fd);
	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &was), 0);
	rl = was;
	if (fds > 0)
		rl.rlim_cur = fd + fds;
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	/* Every open counts as one that waited, as if cold. */
	tkt_desk_waitns = slow > 0 ? 0 : 50000;
	ck_assert_int_eq(tkt_desk_scan(&d, TKT_CUR, borrow, &l), 0);
	tkt_desk_waitns = 50000;
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &was), 0);
	ck_assert_int_eq(l.n, 100);
	ck_assert_int_eq(tkt_desk_lent(other), -1);
	/* Every descriptor was closed or handed over. */
	ck_assert_int_eq(dup(0), fd);
	close(fd);
	/* A twin reading ahead is gone, and reaped. */
	ck_assert_int_eq(waitpid(-1, NULL, WNOHANG), -1);
	ck_assert_int_eq(errno, ECHILD);
	tkt_desk_close(&d);
}

/* The ticket being visited can be had open, once, and no other. */
START_TEST(scan_lends)
{
	lendall(0, 0);
}
END_TEST

/* So too once the scan reads ahead of slow visits. */
START_TEST(scan_reads_ahead)
{
	lendall(10, 0);
}
END_TEST

/* Short of descriptors, it keeps none open ahead: the visitor needs them. */
START_TEST(scan_few_fds)
{
	lendall(10, 8);
}
END_TEST

/* Try a non-blocking write lock on tmp/lock; 0 when it was free. */
static int
trylock(pid_t *holder)
{
	struct flock fl;
	char path[PATH_MAX];
	int fd, r;

	at(path, sizeof path, "tmp/lock");
	if ((fd = open(path, O_RDWR)) == -1)
		return -2;
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	if (holder != NULL && fcntl(fd, F_GETLK, &fl) == 0)
		*holder = fl.l_type == F_UNLCK ? 0 : fl.l_pid;
	fl.l_type = F_WRLCK;
	r = fcntl(fd, F_SETLK, &fl);
	if (r == -1 && errno != EAGAIN && errno != EACCES)
		r = -2;
	close(fd);
	return r;
}

/* trylock in a child, which inherits no fcntl(2) locks. */
static int
child_trylock(pid_t *holder)
{
	int fd[2], r, status;
	pid_t pid;

	ck_assert_int_eq(pipe(fd), 0);
	if ((pid = fork()) == 0) {
		*holder = -1;
		r = trylock(holder);
		if (write(fd[1], holder, sizeof *holder) == -1)
			_exit(99);
		_exit(r == 0 ? 0 : r == -1 ? 1 : 2);
	}
	ck_assert_int_gt(pid, 0);
	close(fd[1]);
	ck_assert_int_eq(read(fd[0], holder, sizeof *holder),
	    sizeof *holder);
	close(fd[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	return WEXITSTATUS(status);
}

START_TEST(lock_held)
{
	struct tkt_desk d;
	pid_t holder;

	desk_open(&d);
	tkt_desk_lock(&d);
	ck_assert_int_ge(d.lockfd, 0);
	ck_assert_int_eq(child_trylock(&holder), 1);
	ck_assert_int_eq(holder, getpid());
	tkt_desk_close(&d);
	ck_assert_int_eq(child_trylock(&holder), 0);
	ck_assert_int_eq(holder, 0);
}
END_TEST

/* A process that takes the lock, says so on fd, and waits to die. */
static pid_t
spawn_locker(int fd)
{
	struct tkt_desk d;
	pid_t pid;

	if ((pid = fork()) == 0) {
		desk_open(&d);
		tkt_desk_lock(&d);
		if (write(fd, "L", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	ck_assert_int_gt(pid, 0);
	return pid;
}

/* Wait up to ms for a byte on fd; the byte, or 0 on timeout. */
static char
byte_within(int fd, int ms)
{
	struct pollfd p = { fd, POLLIN, 0 };
	char c;

	if (poll(&p, 1, ms) != 1 || read(fd, &c, 1) != 1)
		return 0;
	return c;
}

START_TEST(lock_dies_with_holder)
{
	pid_t pid, holder;
	int fd[2], busy, status;

	char c;

	ck_assert_int_eq(pipe(fd), 0);
	pid = spawn_locker(fd[1]);
	c = byte_within(fd[0], 10000);
	holder = 0;
	busy = trylock(&holder);
	kill(pid, SIGKILL);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_int_eq(c, 'L');
	ck_assert_int_eq(busy, -1);
	ck_assert_int_eq(holder, pid);
	ck_assert_int_eq(trylock(&holder), 0);
	ck_assert_int_eq(holder, 0);
	close(fd[0]);
	close(fd[1]);
}
END_TEST

/* A second writer waits in tkt_desk_lock until the first is gone. */
START_TEST(lock_waits)
{
	pid_t first, second;
	int fd[2], status;
	char c;

	ck_assert_int_eq(pipe(fd), 0);
	first = spawn_locker(fd[1]);
	if (byte_within(fd[0], 10000) != 'L') {
		kill(first, SIGKILL);
		waitpid(first, &status, 0);
		ck_abort_msg("first writer got no lock");
	}
	second = spawn_locker(fd[1]);
	c = byte_within(fd[0], 300);
	kill(first, SIGKILL);
	waitpid(first, &status, 0);
	if (c != 0) {
		kill(second, SIGKILL);
		waitpid(second, &status, 0);
		ck_abort_msg("second writer did not wait");
	}
	c = byte_within(fd[0], 10000);
	kill(second, SIGKILL);
	waitpid(second, &status, 0);
	ck_assert_int_eq(c, 'L');
	close(fd[0]);
	close(fd[1]);
}
END_TEST

Suite *
desk_suite(void)
{
	Suite *s = suite_create("desk");
	TCase *tc = tcase_create("desk");

	tcase_add_unchecked_fixture(tc, root_make, root_remove);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, open_here);
	tcase_add_test(tc, open_subdir);
	tcase_add_test(tc, open_env);
	tcase_add_test(tc, open_flag);
	tcase_add_test(tc, open_not_desk);
	tcase_add_test(tc, open_bad_config);
	tcase_add_test(tc, create_time_id);
	tcase_add_test(tc, create_id_shape);
	tcase_add_test(tc, create_msgid);
	tcase_add_test(tc, create_collision);
	tcase_add_test(tc, resolve_ops);
	tcase_add_test(tc, resolve_messages);
	tcase_add_test(tc, save_moves);
	tcase_add_test(tc, save_unrouted);
	tcase_add_test(tc, save_after_crash);
	tcase_add_test(tc, load_stale_path);
	tcase_add_test(tc, load_not_regular);
	tcase_add_test(tc, record_catches_up);
	tcase_add_test(tc, batch_commit);
	tcase_add_test(tc, batch_failure);
	tcase_add_test(tc, batch_dropped);
	tcase_add_test(tc, scan_order);
	tcase_add_test(tc, scan_missing);
	tcase_add_test(tc, scan_flags);
	tcase_add_test(tc, scan_empty);
	tcase_add_test(tc, scan_many);
	tcase_add_test(tc, scan_lends);
	tcase_add_test(tc, scan_reads_ahead);
	tcase_add_test(tc, scan_few_fds);
	tcase_add_test(tc, lock_held);
	tcase_add_test(tc, lock_dies_with_holder);
	tcase_add_test(tc, lock_waits);
	suite_add_tcase(s, tc);
	return s;
}
