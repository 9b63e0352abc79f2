/*
 * holdlock: hold a desk's lock until killed, for the tests.
 *
 *	holdlock desk
 *
 * Takes the lock that every tkt writer takes (tkt_desk_lock in desk.c:
 * an fcntl write lock on the whole of desk/tmp/lock), prints "locked"
 * once it has it, and sleeps until a signal ends it.  The kernel drops
 * the lock when the process dies, however it dies.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int
main(int argc, char *argv[])
{
	struct flock fl;
	char	 path[4096];
	int	 fd;

	if (argc != 2) {
		fputs("usage: holdlock desk\n", stderr);
		return 2;
	}
	if (snprintf(path, sizeof path, "%s/tmp/lock", argv[1]) >=
	    (int)sizeof path) {
		fprintf(stderr, "holdlock: %s: path too long\n", argv[1]);
		return 1;
	}
	if ((fd = open(path, O_RDWR | O_CREAT, 0666)) == -1) {
		fprintf(stderr, "holdlock: %s: %s\n", path, strerror(errno));
		return 1;
	}
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	while (fcntl(fd, F_SETLKW, &fl) == -1)
		if (errno != EINTR) {
			fprintf(stderr, "holdlock: %s: cannot lock: %s\n",
			    path, strerror(errno));
			return 1;
		}
	if (puts("locked") == EOF || fflush(stdout) == EOF) {
		perror("holdlock: stdout");
		return 1;
	}
	for (;;)
		pause();
}
