/*
 * syncfs.c: syncfs(2), the one call beyond POSIX that tkt makes, kept
 * in a file of its own so that no other file sees _GNU_SOURCE.
 *
 * A batch of writes (desk.c) makes the data of all its files durable
 * with one syncfs on the desk's file system instead of one fsync a
 * file: one journal commit instead of hundreds.  Linux has it; so does
 * glibc since 2.14 and musl.  Only from Linux 5.8 on does it report
 * the write errors that happened since the descriptor was opened;
 * before that it returns 0 even when data was lost, so there tkt
 * fsyncs each file, as it does on every other system.
 */

#ifdef __linux__
#define _GNU_SOURCE
#include <sys/utsname.h>
#endif

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "tkt.h"

#ifdef __linux__
/* Does the running kernel report errors through syncfs? */
static int
reports(void)
{
	struct utsname u;
	char *end;
	long major, minor;

	if (uname(&u) == -1)
		return 0;
	major = strtol(u.release, &end, 10);
	minor = *end == '.' ? strtol(end + 1, NULL, 10) : 0;
	return major > 5 || (major == 5 && minor >= 8);
}
#endif

/* 1 when tkt_syncfs can stand in for an fsync of each file. */
int
tkt_syncfs_works(void)
{
#ifdef __linux__
	static int works = -1;

	if (works == -1)
		works = reports();
	return works;
#else
	return 0;
#endif
}

/*
 * Write out and sync all of the file system that fd is on; -1 with
 * errno, ENOSYS where tkt_syncfs_works says no.
 */
int
tkt_syncfs(int fd)
{
	if (!tkt_syncfs_works()) {
		errno = ENOSYS;
		return -1;
	}
#ifdef __linux__
	return syncfs(fd);
#else
	(void)fd;
	return -1;
#endif
}
