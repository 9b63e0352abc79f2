/*
 * base: the bare C baselines of make bench, the least any program
 * must do to read the same files.
 *
 *	base a dir ...	one thread: readdir, and for each file open,
 *			read the first 4 KB, find the end of the headers,
 *			close
 *	base b dir ...	the same with 16 reads in flight, on 16 threads
 *	base c dir ...	read every file whole
 *
 * Files whose names begin with a dot are skipped, as tkt skips them.
 * A header section longer than 4 KB is read on to its end, as tkt
 * must.  Prints the number of files and of bytes read.  The threads
 * of mode b are this benchmark's own: tkt has none.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define INFLIGHT	16

struct job {
	char	**path;
	size_t	 n;
	atomic_size_t next;
	atomic_long bytes;
	atomic_int failed;
};

static void
fail(const char *what, const char *path)
{
	fprintf(stderr, "base: %s: %s: %s\n", what, path, strerror(errno));
}

/* Bytes read up to the end of the header section, or -1. */
static long
headers(const char *path)
{
	char buf[4096 + 1], *end = NULL;
	size_t len = 0;
	ssize_t n;
	long total = 0;
	int fd;

	if ((fd = open(path, O_RDONLY)) == -1) {
		fail("open", path);
		return -1;
	}
	/* Keep the last byte, so a "\n\n" across two reads is found. */
	while (end == NULL && (n = read(fd, buf + len, 4096 - len)) > 0) {
		total += n;
		len += (size_t)n;
		buf[len] = '\0';
		if ((end = strstr(buf, "\n\n")) == NULL) {
			buf[0] = buf[len - 1];
			len = 1;
		}
	}
	close(fd);
	return total;
}

static long
whole(const char *path)
{
	static char buf[65536];
	ssize_t n;
	long total = 0;
	int fd;

	if ((fd = open(path, O_RDONLY)) == -1) {
		fail("open", path);
		return -1;
	}
	while ((n = read(fd, buf, sizeof buf)) > 0)
		total += n;
	if (n == -1)
		fail("read", path);
	close(fd);
	return n == -1 ? -1 : total;
}

static void
note(struct job *j, long n)
{
	if (n < 0)
		atomic_store(&j->failed, 1);
	else
		atomic_fetch_add(&j->bytes, n);
}

/* Mode a and c: readdir, and each file in turn as it comes. */
static void
serial(struct job *j, const char *dir, long (*fn)(const char *))
{
	struct dirent *de;
	char path[4096];
	DIR *dp;

	if ((dp = opendir(dir)) == NULL) {
		fail("opendir", dir);
		atomic_store(&j->failed, 1);
		return;
	}
	while ((de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		note(j, fn(path));
		j->n++;
	}
	closedir(dp);
}

static void *
worker(void *arg)
{
	struct job *j = arg;
	size_t i;

	while ((i = atomic_fetch_add(&j->next, 1)) < j->n)
		note(j, headers(j->path[i]));
	return NULL;
}

/* Mode b: the names first, then 16 threads take them in turn. */
static void
parallel(struct job *j, char **dirs, int ndirs)
{
	pthread_t t[INFLIGHT];
	struct dirent *de;
	size_t cap = 0;
	DIR *dp;
	int i;

	for (i = 0; i < ndirs; i++) {
		if ((dp = opendir(dirs[i])) == NULL) {
			fail("opendir", dirs[i]);
			atomic_store(&j->failed, 1);
			continue;
		}
		while ((de = readdir(dp)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			if (j->n == cap && (j->path = realloc(j->path,
			    (cap = cap ? 2 * cap : 65536) * sizeof *j->path))
			    == NULL)
				exit(1);
			if ((j->path[j->n] = malloc(strlen(dirs[i]) +
			    strlen(de->d_name) + 2)) == NULL)
				exit(1);
			sprintf(j->path[j->n++], "%s/%s", dirs[i], de->d_name);
		}
		closedir(dp);
	}
	for (i = 0; i < INFLIGHT; i++)
		if (pthread_create(&t[i], NULL, worker, j) != 0)
			exit(1);
	for (i = 0; i < INFLIGHT; i++)
		pthread_join(t[i], NULL);
}

int
main(int argc, char *argv[])
{
	struct job j = { 0 };
	int i;

	if (argc < 3 || strlen(argv[1]) != 1 || !strchr("abc", *argv[1])) {
		fputs("usage: base a | b | c dir ...\n", stderr);
		return 2;
	}
	if (*argv[1] == 'b')
		parallel(&j, argv + 2, argc - 2);
	else
		for (i = 2; i < argc; i++)
			serial(&j, argv[i], *argv[1] == 'a' ? headers : whole);
	printf("%zu files, %ld bytes\n", j.n, atomic_load(&j.bytes));
	return atomic_load(&j.failed);
}
