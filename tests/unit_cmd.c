/*
 * unit_cmd.c: the whole-command tests, one test case per script.
 *
 * Every tests/cmd/NAME.sh is a test case named NAME.sh, so
 * CK_RUN_CASE=NAME.sh runs that one alone.  The runner must be started
 * from the top of the source tree, which is where it looks for them.
 *
 * A script runs under /bin/sh in a fresh directory of its own,
 * $TMPDIR/tkt-NAME.sh.XXXXXX, which holds work/, the empty current
 * directory; tmp/, the script's TMPDIR; and log, where its stdout and
 * stderr both go.  Stdin is /dev/null.  The environment is the
 * runner's, except that the tree's bin/ is first in PATH, TKT_TESTS
 * names the tree's tests/, LC_ALL is C, TZ and every other variable
 * whose name begins with TKT are removed, and ASAN_OPTIONS and
 * UBSAN_OPTIONS send reports to sanitizer.PID files in the directory.
 *
 * A script passes when it exits 0 and no sanitizer reported anything,
 * neither to a file nor in the log; its directory is then removed.
 * Otherwise the failure message is the start of the report or the end
 * of the log, and the directory stays for a look.  A script that times
 * out is killed with its children and leaves its directory too.
 */

#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"

#define TIMEOUT	120		/* seconds per script */
#define EXCERPT	8192		/* bytes of the log shown on failure, */
#define LINES	50		/* and lines */
#define PATHLEN	4096

struct scratch {
	char	 script[PATHLEN];
	char	 dir[PATHLEN];		/* $TMPDIR/tkt-NAME.sh.XXXXXX */
	char	 work[PATHLEN];
	char	 tmp[PATHLEN];
	char	 log[PATHLEN];
};

extern char **environ;

static char	 top[PATHLEN];		/* the source tree */
static char	**scripts;		/* names in tests/cmd, sorted */
static size_t	 nscripts;
static int	 listerr;		/* errno from listing tests/cmd */

/* Formats a path into buf; 0 when it does not fit. */
static int
pathf(char *buf, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(buf, PATHLEN, fmt, ap);
	va_end(ap);
	return n >= 0 && n < PATHLEN;
}

static _Noreturn void
bail(const char *what)
{
	fprintf(stderr, "unit_cmd: %s: %s\n", what, strerror(errno));
	_exit(126);
}

static void
xsetenv(const char *name, const char *value)
{
	if (setenv(name, value, 1) == -1)
		bail(name);
}

/* Drops TZ and whatever tkt settings the developer's shell has. */
static void
cleanenv(void)
{
	char	 name[256];
	size_t	 n;
	int	 i;

	/* Unsetting may reorder environ, so start over after each. */
	for (i = 0; environ[i] != NULL; i++) {
		n = strcspn(environ[i], "=");
		if (strncmp(environ[i], "TKT", 3) != 0 || n >= sizeof name)
			continue;
		memcpy(name, environ[i], n);
		name[n] = '\0';
		if (unsetenv(name) == -1)
			bail(name);
		i = -1;
	}
	if (unsetenv("TZ") == -1)
		bail("TZ");
}

/*
 * Sends sanitizer reports to files of their own, where a script that
 * discards stderr or expects a command to fail cannot lose them.
 */
static void
logsan(const char *var, const char *dir)
{
	char	 buf[2 * PATHLEN];
	const char *old;

	if ((old = getenv(var)) == NULL)
		old = "";
	snprintf(buf, sizeof buf, "%s%slog_path=%s/sanitizer", old,
	    *old != '\0' ? ":" : "", dir);
	xsetenv(var, buf);
}

static _Noreturn void
child(const struct scratch *s)
{
	char	 buf[2 * PATHLEN];
	const char *path;
	int	 fd;

	if ((fd = open(s->log, O_WRONLY | O_CREAT | O_TRUNC, 0644)) == -1 ||
	    dup2(fd, 1) == -1 || dup2(fd, 2) == -1)
		bail(s->log);
	if (fd > 2)
		close(fd);
	if ((fd = open("/dev/null", O_RDONLY)) == -1 || dup2(fd, 0) == -1)
		bail("/dev/null");
	if (fd > 2)
		close(fd);
	if (chdir(s->work) == -1)
		bail(s->work);
	cleanenv();
	if ((path = getenv("PATH")) == NULL)
		path = "/usr/bin:/bin";
	snprintf(buf, sizeof buf, "%s/bin:%s", top, path);
	xsetenv("PATH", buf);
	snprintf(buf, sizeof buf, "%s/tests", top);
	xsetenv("TKT_TESTS", buf);
	xsetenv("TMPDIR", s->tmp);
	xsetenv("LC_ALL", "C");
	logsan("ASAN_OPTIONS", s->dir);
	logsan("UBSAN_OPTIONS", s->dir);
	execl("/bin/sh", "sh", s->script, (char *)NULL);
	bail("/bin/sh");
}

static void
mkscratch(struct scratch *s, const char *name)
{
	const char *tmpdir;

	if ((tmpdir = getenv("TMPDIR")) == NULL || *tmpdir == '\0')
		tmpdir = "/tmp";
	ck_assert_msg(*tmpdir == '/', "TMPDIR=%s is not absolute", tmpdir);
	ck_assert_msg(pathf(s->script, "%s/tests/cmd/%s", top, name) &&
	    pathf(s->dir, "%s/tkt-%s.XXXXXX", tmpdir, name),
	    "%s: path too long", name);
	if (mkdtemp(s->dir) == NULL)
		ck_abort_msg("mkdtemp %s: %s", s->dir, strerror(errno));
	ck_assert_msg(pathf(s->work, "%s/work", s->dir) &&
	    pathf(s->tmp, "%s/tmp", s->dir) &&
	    pathf(s->log, "%s/log", s->dir), "%s: path too long", s->dir);
	if (mkdir(s->work, 0777) == -1 || mkdir(s->tmp, 0777) == -1)
		ck_abort_msg("mkdir in %s: %s", s->dir, strerror(errno));
}

static int
spawn(const struct scratch *s)
{
	pid_t	 pid;
	int	 status;

	if ((pid = fork()) == -1)
		ck_abort_msg("fork: %s", strerror(errno));
	if (pid == 0)
		child(s);
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			ck_abort_msg("waitpid: %s", strerror(errno));
	return status;
}

/* Reads up to size - 1 bytes of the log from off on, or its end. */
static size_t
readlog(const char *log, long *off, char *buf, size_t size)
{
	FILE	*fp;
	size_t	 n;

	buf[0] = '\0';
	if ((fp = fopen(log, "r")) == NULL)
		return 0;
	if (*off < 0 && fseek(fp, 0, SEEK_END) == 0)
		*off = ftell(fp) - (long)(size - 1);
	if (*off < 0)
		*off = 0;
	fseek(fp, *off, SEEK_SET);
	n = fread(buf, 1, size - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return n;
}

/* The first LINES lines of the log from off on. */
static void
head(const char *log, long off, char *buf, size_t size)
{
	char	*p;
	int	 nl = 0;

	readlog(log, &off, buf, size);
	for (p = buf; *p != '\0'; p++)
		if (*p == '\n' && ++nl == LINES) {
			p[1] = '\0';
			break;
		}
}

/* The last LINES lines of the log, whole lines only. */
static void
tail(const char *log, char *buf, size_t size)
{
	char	*p;
	size_t	 i, n;
	long	 off = -1;
	int	 nl = 0;

	n = readlog(log, &off, buf, size);
	/* Count back over newlines, not the one ending the last line. */
	for (i = n; i > 0; i--)
		if (buf[i - 1] == '\n' && i < n && ++nl == LINES)
			break;
	if (i == 0 && off > 0 && (p = strchr(buf, '\n')) != NULL)
		i = (size_t)(p + 1 - buf);
	memmove(buf, buf + i, n - i + 1);
}

/* Finds a sanitizer.PID report file in the scratch directory. */
static int
sanfile(const struct scratch *s, char *buf)
{
	struct dirent *e;
	DIR	*d;
	int	 found = 0;

	if ((d = opendir(s->dir)) == NULL)
		return 0;
	while (!found && (e = readdir(d)) != NULL)
		found = strncmp(e->d_name, "sanitizer.", 10) == 0 &&
		    pathf(buf, "%s/%s", s->dir, e->d_name);
	closedir(d);
	return found;
}

/* Where the first sanitizer report in the log begins, or -1. */
static long
sanitized(const char *log)
{
	FILE	*fp;
	char	*line = NULL;
	size_t	 cap = 0;
	long	 off, at = -1;

	if ((fp = fopen(log, "r")) == NULL)
		return -1;
	for (off = ftell(fp); getline(&line, &cap, fp) != -1;
	    off = ftell(fp))
		if (strstr(line, "Sanitizer") != NULL ||
		    strstr(line, "runtime error:") != NULL) {
			at = off;
			break;
		}
	free(line);
	fclose(fp);
	return at;
}

static void
describe(int status, char *buf, size_t size)
{
	if (WIFEXITED(status))
		snprintf(buf, size, "exit %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, size, "killed by signal %d", WTERMSIG(status));
	else
		snprintf(buf, size, "wait status %#x", (unsigned)status);
}

/* chmod first: a script may have taken away our rights to a file. */
static int
rmtree(const char *dir)
{
	pid_t	 pid;
	int	 status;

	if ((pid = fork()) == -1)
		return -1;
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c",
		    "chmod -R u+rwx \"$1\" 2>/dev/null; exec rm -rf \"$1\"",
		    "sh", dir, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			return -1;
	return status == 0 ? 0 : -1;
}

START_TEST(run_script)
{
	struct scratch s;
	char	 msg[EXCERPT + 1], how[64], report[PATHLEN];
	int	 status;
	long	 at;

	mkscratch(&s, scripts[_i]);
	status = spawn(&s);
	if (sanfile(&s, report)) {
		head(report, 0, msg, sizeof msg);
		ck_abort_msg("sanitizer report in %s:\n%s", report, msg);
	}
	if (status != 0) {
		describe(status, how, sizeof how);
		tail(s.log, msg, sizeof msg);
		ck_abort_msg("%s; kept %s; its output ends:\n%s", how,
		    s.dir, msg);
	}
	if ((at = sanitized(s.log)) != -1) {
		head(s.log, at, msg, sizeof msg);
		ck_abort_msg("exit 0 with a sanitizer report; kept %s:\n%s",
		    s.dir, msg);
	}
	ck_assert_msg(rmtree(s.dir) == 0, "passed, but could not remove %s",
	    s.dir);
}
END_TEST

START_TEST(no_scripts)
{
	ck_abort_msg("tests/cmd: %s (run tests/unit from the top of the "
	    "source tree)", strerror(listerr));
}
END_TEST

static int
byname(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
add(const char *name)
{
	static size_t cap;
	char	**p;

	if (nscripts == cap) {
		cap = cap == 0 ? 32 : 2 * cap;
		if ((p = realloc(scripts, cap * sizeof *p)) == NULL) {
			perror("unit_cmd");
			exit(1);
		}
		scripts = p;
	}
	if ((scripts[nscripts++] = strdup(name)) == NULL) {
		perror("unit_cmd");
		exit(1);
	}
}

/* Lists tests/cmd/ *.sh, skipping names that begin with a dot. */
static void
list(void)
{
	char	 dir[PATHLEN];
	struct dirent *e;
	DIR	*d;
	size_t	 n;

	if (getcwd(top, sizeof top) == NULL) {
		listerr = errno;
		return;
	}
	if (!pathf(dir, "%s/tests/cmd", top)) {
		listerr = ENAMETOOLONG;
		return;
	}
	if ((d = opendir(dir)) == NULL) {
		listerr = errno;
		return;
	}
	while ((e = readdir(d)) != NULL) {
		n = strlen(e->d_name);
		if (e->d_name[0] != '.' && n > 3 &&
		    strcmp(e->d_name + n - 3, ".sh") == 0)
			add(e->d_name);
	}
	closedir(d);
	if (nscripts > 0)
		qsort(scripts, nscripts, sizeof *scripts, byname);
}

Suite *
cmd_suite(void)
{
	Suite	*s;
	TCase	*tc;
	size_t	 i;

	s = suite_create("cmd");
	list();
	if (listerr != 0) {
		tc = tcase_create("tests/cmd");
		tcase_add_test(tc, no_scripts);
		suite_add_tcase(s, tc);
	}
	for (i = 0; i < nscripts; i++) {
		tc = tcase_create(scripts[i]);
		tcase_set_timeout(tc, TIMEOUT);
		tcase_add_loop_test(tc, run_script, (int)i, (int)i + 1);
		suite_add_tcase(s, tc);
	}
	return s;
}
