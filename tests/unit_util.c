/*
 * unit_util.c: growing buffers, the shared --now option and the user
 * name (util.c).
 *
 * The environment variables the tests set are put back by the
 * fixture, so the suite also runs with CK_FORK=no.
 */

#include <check.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../bin/tkt.h"

static const char *const saved_names[] = { "TKT_NOW", "TKT_USER", "USER" };
static char *saved[3];

static void
setup(void)
{
	const char *s;
	size_t i;

	for (i = 0; i < 3; i++) {
		s = getenv(saved_names[i]);
		saved[i] = s != NULL ? strdup(s) : NULL;
		unsetenv(saved_names[i]);
	}
}

static void
teardown(void)
{
	size_t i;

	for (i = 0; i < 3; i++) {
		if (saved[i] != NULL)
			setenv(saved_names[i], saved[i], 1);
		else
			unsetenv(saved_names[i]);
		free(saved[i]);
		saved[i] = NULL;
	}
	tkt_prog = "tkt";
}

/* A string of n bytes cycling through the alphabet. */
static char *
letters(size_t n)
{
	char *s;
	size_t i;

	s = malloc(n + 1);
	ck_assert_ptr_nonnull(s);
	for (i = 0; i < n; i++)
		s[i] = 'a' + i % 26;
	s[n] = '\0';
	return s;
}

START_TEST(buf_grows)
{
	struct tkt_buf b = { 0 };
	char *want;
	size_t i;

	want = letters(5000);
	for (i = 0; i < 5000; i++) {
		tkt_buf_add(&b, want + i, 1);
		ck_assert_uint_eq(b.len, i + 1);
		ck_assert_uint_gt(b.cap, b.len);
		ck_assert_int_eq(b.s[b.len], '\0');
	}
	ck_assert_str_eq(b.s, want);
	tkt_buf_free(&b);
	ck_assert_ptr_null(b.s);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_uint_eq(b.cap, 0);
	free(want);
}
END_TEST

START_TEST(buf_big_add)
{
	struct tkt_buf b = { 0 };
	char *big;

	big = letters(100000);
	tkt_buf_str(&b, "x");
	tkt_buf_add(&b, big, 100000);
	tkt_buf_str(&b, "y");
	ck_assert_uint_eq(b.len, 100002);
	ck_assert_int_eq(b.s[0], 'x');
	ck_assert_int_eq(memcmp(b.s + 1, big, 100000), 0);
	ck_assert_str_eq(b.s + 100001, "y");
	tkt_buf_free(&b);
	free(big);
}
END_TEST

/* An empty add still gives a string, so b.s can be printed at once. */
START_TEST(buf_empty)
{
	struct tkt_buf b = { 0 };

	tkt_buf_add(&b, "", 0);
	ck_assert_ptr_nonnull(b.s);
	ck_assert_str_eq(b.s, "");
	tkt_buf_fmt(&b, "%s", "");
	ck_assert_uint_eq(b.len, 0);
	tkt_buf_free(&b);
}
END_TEST

START_TEST(buf_fmt_short)
{
	struct tkt_buf b = { 0 };

	tkt_buf_fmt(&b, "%s=%d", "tier", 2);
	tkt_buf_fmt(&b, " %05.1f%%", 2.5);
	ck_assert_str_eq(b.s, "tier=2 002.5%");
	ck_assert_uint_eq(b.len, 13);
	tkt_buf_free(&b);
}
END_TEST

/* Sizes around the 256-byte scratch buffer tkt_buf_fmt tries first. */
START_TEST(buf_fmt_long)
{
	static const size_t sizes[] = { 254, 255, 256, 257, 300, 4096, 70000 };
	struct tkt_buf b = { 0 };
	char *s, *want;
	size_t i, n;

	for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		n = sizes[i];
		s = letters(n);
		want = malloc(n + 20);
		ck_assert_ptr_nonnull(want);
		snprintf(want, n + 20, "<%s|%zu>", s, n);
		b.len = 0;
		tkt_buf_fmt(&b, "<%s|%zu>", s, n);
		ck_assert_str_eq(b.s, want);
		ck_assert_uint_eq(b.len, strlen(want));
		free(s);
		free(want);
	}
	tkt_buf_free(&b);
}
END_TEST

/* A long format appended after text keeps that text. */
START_TEST(buf_fmt_append)
{
	struct tkt_buf b = { 0 };
	char *s;

	s = letters(1000);
	tkt_buf_str(&b, "head ");
	tkt_buf_fmt(&b, "%s", s);
	tkt_buf_fmt(&b, " %s", s);
	tkt_buf_str(&b, " tail");
	ck_assert_uint_eq(b.len, 5 + 1000 + 1 + 1000 + 5);
	ck_assert_int_eq(strncmp(b.s, "head abcdefghij", 15), 0);
	ck_assert_int_eq(memcmp(b.s + 5, s, 1000), 0);
	ck_assert_int_eq(memcmp(b.s + 1006, s, 1000), 0);
	ck_assert_str_eq(b.s + 2006, " tail");
	ck_assert_uint_gt(b.cap, b.len);
	tkt_buf_free(&b);
	free(s);
}
END_TEST

/* Run tkt_init on a copy of the words and check what it left. */
static void
init_expect(const char *const *in, const char *const *want)
{
	char *argv[16];
	int argc, i;

	for (argc = 0; in[argc] != NULL; argc++)
		argv[argc] = (char *)in[argc];
	argv[argc] = NULL;
	tkt_init(&argc, argv);
	for (i = 0; want[i] != NULL; i++) {
		ck_assert_int_lt(i, argc);
		ck_assert_str_eq(argv[i], want[i]);
	}
	ck_assert_int_eq(argc, i);
	ck_assert_ptr_null(argv[argc]);
}

START_TEST(init_prog)
{
	const char *in[] = { "/usr/local/bin/tkt-route", "-n", NULL };
	const char *want[] = { "/usr/local/bin/tkt-route", "-n", NULL };

	init_expect(in, want);
	ck_assert_str_eq(tkt_prog, "tkt-route");
	in[0] = want[0] = "tkt-ls";
	init_expect(in, want);
	ck_assert_str_eq(tkt_prog, "tkt-ls");
}
END_TEST

START_TEST(init_now_separate)
{
	const char *in[] = { "tkt-ls", "-l", "--now", "@1000", "x", NULL };
	const char *want[] = { "tkt-ls", "-l", "x", NULL };

	init_expect(in, want);
	ck_assert_int_eq(tkt_now, 1000);
}
END_TEST

START_TEST(init_now_joined)
{
	const char *in[] = { "tkt-ls", "--now=2026-12-04T16:03:02Z", "-l",
	    NULL };
	const char *want[] = { "tkt-ls", "-l", NULL };

	init_expect(in, want);
	ck_assert_int_eq(tkt_now, 1796400182);
}
END_TEST

/* The last --now wins, as with any repeated option. */
START_TEST(init_now_twice)
{
	const char *in[] = { "p", "--now=@5", "a", "--now", "@7", NULL };
	const char *want[] = { "p", "a", NULL };

	init_expect(in, want);
	ck_assert_int_eq(tkt_now, 7);
}
END_TEST

START_TEST(init_dashdash)
{
	const char *in[] = { "p", "--now=@5", "--", "--now", "@9",
	    "--now=@8", NULL };
	const char *want[] = { "p", "--", "--now", "@9", "--now=@8", NULL };

	init_expect(in, want);
	ck_assert_int_eq(tkt_now, 5);
}
END_TEST

/* Only whole words count: --nowhere and -now are left for getopt. */
START_TEST(init_lookalikes)
{
	const char *in[] = { "p", "--nowhere", "-now", "--no", NULL };
	const char *want[] = { "p", "--nowhere", "-now", "--no", NULL };
	time_t before;

	before = time(NULL);
	init_expect(in, want);
	ck_assert_int_ge(tkt_now, before);
	ck_assert_int_le(tkt_now, time(NULL));
}
END_TEST

START_TEST(init_env)
{
	const char *in[] = { "p", "x", NULL };
	const char *want[] = { "p", "x", NULL };

	setenv("TKT_NOW", "@123456", 1);
	init_expect(in, want);
	ck_assert_int_eq(tkt_now, 123456);
}
END_TEST

START_TEST(init_option_beats_env)
{
	const char *in[] = { "p", "--now", "@42", NULL };
	const char *want[] = { "p", NULL };

	setenv("TKT_NOW", "@123456", 1);
	init_expect(in, want);
	ck_assert_int_eq(tkt_now, 42);
}
END_TEST

/* An empty TKT_NOW is as good as none. */
START_TEST(init_env_empty)
{
	const char *in[] = { "p", NULL };
	const char *want[] = { "p", NULL };
	time_t before;

	setenv("TKT_NOW", "", 1);
	before = time(NULL);
	init_expect(in, want);
	ck_assert_int_ge(tkt_now, before);
	ck_assert_int_le(tkt_now, time(NULL));
}
END_TEST

/*
 * Run tkt_init in a child whose stderr is a pipe: it must exit 2 and
 * say exactly want.
 */
static void
init_fails(const char *const *in, const char *want)
{
	char said[512], *argv[8];
	int argc, fd[2], status;
	size_t len;
	ssize_t n;
	pid_t pid;

	ck_assert_int_eq(pipe(fd), 0);
	if ((pid = fork()) == 0) {
		dup2(fd[1], 2);
		close(fd[0]);
		for (argc = 0; in[argc] != NULL; argc++)
			argv[argc] = (char *)in[argc];
		argv[argc] = NULL;
		tkt_init(&argc, argv);
		_exit(0);
	}
	ck_assert_int_gt(pid, 0);
	close(fd[1]);
	len = 0;
	while ((n = read(fd[0], said + len, sizeof said - 1 - len)) > 0)
		len += n;
	close(fd[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status), "status %#x", status);
	ck_assert_int_eq(WEXITSTATUS(status), 2);
	ck_assert_int_eq(n, 0);
	said[len] = '\0';
	ck_assert_str_eq(said, want);
}

START_TEST(init_bad_time)
{
	const char *in[] = { "bin/tkt-ls", "--now=yesterday", NULL };

	init_fails(in, "tkt-ls: --now: cannot read time \"yesterday\"\n");
}
END_TEST

START_TEST(init_missing_time)
{
	const char *in[] = { "tkt-ls", "-l", "--now", NULL };

	init_fails(in, "tkt-ls: --now needs a time\n");
}
END_TEST

START_TEST(init_bad_env)
{
	const char *in[] = { "tkt-ls", NULL };

	setenv("TKT_NOW", "soon", 1);
	init_fails(in, "tkt-ls: TKT_NOW: cannot read time \"soon\"\n");
}
END_TEST

START_TEST(user_option)
{
	setenv("TKT_USER", "carol", 1);
	setenv("USER", "dave", 1);
	ck_assert_str_eq(tkt_user("bob"), "bob");
	ck_assert_str_eq(tkt_user(NULL), "carol");
	ck_assert_str_eq(tkt_user(""), "carol");
}
END_TEST

START_TEST(user_env)
{
	setenv("USER", "dave", 1);
	ck_assert_str_eq(tkt_user(NULL), "dave");
	setenv("TKT_USER", "", 1);
	ck_assert_str_eq(tkt_user(NULL), "dave");
	setenv("TKT_USER", "carol", 1);
	ck_assert_str_eq(tkt_user(NULL), "carol");
}
END_TEST

START_TEST(user_login)
{
	struct passwd *pw;

	pw = getpwuid(getuid());
	if (pw == NULL)
		return;		/* no name to compare with */
	ck_assert_str_eq(tkt_user(NULL), pw->pw_name);
	setenv("USER", "", 1);
	ck_assert_str_eq(tkt_user(NULL), pw->pw_name);
}
END_TEST

Suite *
util_suite(void)
{
	Suite *s = suite_create("util");
	TCase *tc = tcase_create("util");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, buf_grows);
	tcase_add_test(tc, buf_big_add);
	tcase_add_test(tc, buf_empty);
	tcase_add_test(tc, buf_fmt_short);
	tcase_add_test(tc, buf_fmt_long);
	tcase_add_test(tc, buf_fmt_append);
	tcase_add_test(tc, init_prog);
	tcase_add_test(tc, init_now_separate);
	tcase_add_test(tc, init_now_joined);
	tcase_add_test(tc, init_now_twice);
	tcase_add_test(tc, init_dashdash);
	tcase_add_test(tc, init_lookalikes);
	tcase_add_test(tc, init_env);
	tcase_add_test(tc, init_option_beats_env);
	tcase_add_test(tc, init_env_empty);
	tcase_add_test(tc, init_bad_time);
	tcase_add_test(tc, init_missing_time);
	tcase_add_test(tc, init_bad_env);
	tcase_add_test(tc, user_option);
	tcase_add_test(tc, user_env);
	tcase_add_test(tc, user_login);
	suite_add_tcase(s, tc);
	return s;
}
