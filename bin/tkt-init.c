/*
 * tkt-init: make a desk: the maildir directories, a commented config
 * and rules file to start from, and a .gitignore for keeping the desk
 * in git.  It never overwrites: an existing config, rules or desk is an
 * error and leaves everything as it was.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tkt.h"
#include "examples.h"

static const char gitignore[] =
    "# Scratch space and the writers' lock; never shared.\n"
    "tmp/\n"
    "closed/tmp/\n";

static const char *const dirs[] = {
	"tmp", "new", "cur", "closed", "closed/tmp", "closed/new",
	"closed/cur", NULL
};

static int
mkdirp(const char *path)
{
	char buf[4096], *p;

	if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (p = buf + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0777) == -1 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(buf, 0777) == -1 && errno != EEXIST ? -1 : 0;
}

/* Create dir/name holding text; fails if it exists. */
static int
create(const char *dir, const char *name, const char *text, int must)
{
	char path[4096];
	size_t n;
	int fd;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0666)) == -1) {
		if (errno == EEXIST && !must)
			return 0;
		tkt_warn("%s: %s", path, strerror(errno));
		return -1;
	}
	n = strlen(text);
	if (write(fd, text, n) != (ssize_t)n || fsync(fd) == -1) {
		tkt_warn("%s: %s", path, strerror(errno));
		close(fd);
		unlink(path);
		return -1;
	}
	return close(fd);
}

static int
exists(const char *dir, const char *name)
{
	struct stat sb;
	char path[4096];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	return lstat(path, &sb) == 0;
}

static int
init(const char *dir)
{
	char path[4096];
	int i;

	if (exists(dir, "config") || exists(dir, "rules")) {
		tkt_warn("%s: already has a config or rules file; "
		    "not touching it", dir);
		return -1;
	}
	for (i = 0; dirs[i] != NULL; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, dirs[i]);
		if (mkdirp(path) == -1) {
			tkt_warn("%s: %s", path, strerror(errno));
			return -1;
		}
	}
	if (create(dir, "rules", example_rules, 1) == -1)
		return -1;
	if (create(dir, "config", example_config, 1) == -1) {
		snprintf(path, sizeof path, "%s/rules", dir);
		unlink(path);
		return -1;
	}
	return create(dir, ".gitignore", gitignore, 0);
}

int
main(int argc, char *argv[])
{
	const char *dir;
	int c;

	tkt_init(&argc, argv);
	while ((c = getopt(argc, argv, "")) != -1)
		tkt_usage("[dir]");
	if (argc - optind > 1)
		tkt_usage("[dir]");
	dir = optind < argc ? argv[optind] : ".";
	if (init(dir) == -1)
		return 1;
	puts(dir);
	return tkt_finish(0);
}
