/*
 * run: time one command for make bench.
 *
 *	run [-o file] command [argument ...]
 *
 * Forks, executes the command with the standard streams it was given,
 * waits for it, and appends to file (else writes to standard error) a
 * line of two numbers: the wall-clock seconds the command took and its
 * peak resident set in KiB, the ru_maxrss of getrusage(RUSAGE_CHILDREN),
 * which covers the command's own children too once it has waited for
 * them.  Exits with the command's status, 126 when it cannot be run,
 * or 128 plus the signal that killed it.
 */

#include <sys/resource.h>
#include <sys/wait.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double
seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char *argv[])
{
	struct rusage ru;
	const char *out = NULL;
	double t0, t1;
	FILE *fp;
	pid_t pid;
	int c, st;

	while ((c = getopt(argc, argv, "+o:")) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		default: goto usage;
		}
	}
	if (optind == argc)
		goto usage;
	t0 = seconds();
	if ((pid = fork()) == -1) {
		fprintf(stderr, "run: fork: %s\n", strerror(errno));
		return 126;
	}
	if (pid == 0) {
		execvp(argv[optind], argv + optind);
		fprintf(stderr, "run: %s: %s\n", argv[optind],
		    strerror(errno));
		_exit(126);
	}
	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR) {
			fprintf(stderr, "run: wait: %s\n", strerror(errno));
			return 126;
		}
	t1 = seconds();
	getrusage(RUSAGE_CHILDREN, &ru);
	if (out == NULL)
		fp = stderr;
	else if ((fp = fopen(out, "a")) == NULL) {
		fprintf(stderr, "run: %s: %s\n", out, strerror(errno));
		return 126;
	}
	fprintf(fp, "%.6f %ld\n", t1 - t0, ru.ru_maxrss);
	if ((ferror(fp) | (fp != stderr ? fclose(fp) : 0)) != 0) {
		fprintf(stderr, "run: %s: write error\n", out);
		return 126;
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
usage:
	fputs("usage: run [-o file] command [argument ...]\n", stderr);
	return 2;
}
