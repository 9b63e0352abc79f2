/*
 * desk.c: finding a desk, naming, locating, writing and moving ticket
 * files.  The write protocol is described in tkt.h and tkt(5).
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tkt.h"

const char *const tkt_dirname[3] = { "new", "cur", "closed/cur" };

static const char b32[] = "0123456789abcdefghjkmnpqrstvwxyz";

/* The desk whose directories this process has made sure of. */
static const struct tkt_desk *madefor;

static int
isfile(const char *dir, const char *name)
{
	struct stat sb;
	char path[PATH_MAX];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

static int
isdesk(const char *dir)
{
	return isfile(dir, "config") && isfile(dir, "rules");
}

/* The nearest of ".", "..", "../.." ... that is a desk, or NULL. */
static char *
search(void)
{
	struct stat here, up;
	char path[PATH_MAX], parent[PATH_MAX];
	int depth;

	strcpy(path, ".");
	for (depth = 0; depth < 64; depth++) {
		if (isdesk(path))
			return tkt_strdup(path);
		if (depth == 0)
			strcpy(parent, "..");
		else if (strlen(path) + 4 < sizeof parent)
			strcat(strcpy(parent, path), "/..");
		else
			return NULL;
		if (stat(path, &here) == -1 || stat(parent, &up) == -1 ||
		    (here.st_dev == up.st_dev && here.st_ino == up.st_ino))
			return NULL;
		strcpy(path, parent);
	}
	return NULL;
}

/*
 * Find the desk: the -d argument, else $TKTDESK, else the working
 * directory or its nearest parent that is a desk.  Loads its config.
 */
int
tkt_desk_open(struct tkt_desk *d, const char *dflag)
{
	const char *env;
	char cfg[PATH_MAX];

	if (madefor == d)
		madefor = NULL;
	memset(d, 0, sizeof *d);
	d->lockfd = -1;
	env = getenv("TKTDESK");
	if (dflag == NULL && env != NULL && *env != '\0')
		dflag = env;
	if (dflag != NULL) {
		if (!isdesk(dflag)) {
			tkt_warn("%s: not a desk (no config and rules "
			    "file there)", dflag);
			return -1;
		}
		d->path = tkt_strdup(dflag);
	} else if ((d->path = search()) == NULL) {
		tkt_warn("not in a desk (no config and rules here or in "
		    "any parent; use -d DIR or set TKTDESK)");
		return -1;
	}
	snprintf(cfg, sizeof cfg, "%s/config", d->path);
	if (tkt_conf_load(cfg, &d->conf) == 0)
		return 0;
	tkt_desk_close(d);
	return -1;
}

/* Let go of the desk: its lock, if held, and its memory. */
void
tkt_desk_close(struct tkt_desk *d)
{
	if (madefor == d)
		madefor = NULL;
	if (d->lockfd != -1)
		close(d->lockfd);
	d->lockfd = -1;
	free(d->path);
	d->path = NULL;
	tkt_conf_free(&d->conf);
}

/* fsync(2) a directory, or a file, by its path. */
static int
syncpath(const char *path)
{
	int fd, r;

	if ((fd = open(path, O_RDONLY)) == -1)
		return -1;
	r = fsync(fd);
	close(fd);
	return r;
}

/* Make DESK/sub unless it is there; 1 when it was made. */
static int
mkdirs(const struct tkt_desk *d, const char *sub)
{
	char path[PATH_MAX];

	snprintf(path, sizeof path, "%s/%s", d->path, sub);
	if (mkdir(path, 0777) == 0)
		return 1;
	if (errno != EEXIST)
		tkt_die(1, "%s: %s", path, strerror(errno));
	return 0;
}

/*
 * Make the maildir directories git may have dropped, once a process.
 * When any was made, the directories that name them are synced, so
 * that what is renamed into them later cannot be lost with them.
 */
static void
ensuredirs(const struct tkt_desk *d)
{
	static const char *const sub[] = {
		"tmp", "new", "cur", "closed", "closed/tmp", "closed/new",
		"closed/cur", NULL
	};
	char closed[PATH_MAX];
	int i, made;

	if (madefor == d)
		return;
	for (made = i = 0; sub[i] != NULL; i++)
		made |= mkdirs(d, sub[i]);
	snprintf(closed, sizeof closed, "%s/closed", d->path);
	if (made && (syncpath(d->path) == -1 || syncpath(closed) == -1))
		tkt_die(1, "%s: cannot sync directory: %s", d->path,
		    strerror(errno));
	madefor = d;
}

/*
 * Wait until this process is the desk's only writer: for ever, or when
 * tkt_lockwait is not negative, that many seconds at most.
 */
long tkt_lockwait = -1;

static int
trylock(int fd, int wait)
{
	struct flock fl;

	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	return fcntl(fd, wait ? F_SETLKW : F_SETLK, &fl);
}

void
tkt_desk_lock(struct tkt_desk *d)
{
	struct timespec nap = { 0, 50 * 1000 * 1000 };
	char path[PATH_MAX];
	long tries;

	ensuredirs(d);
	snprintf(path, sizeof path, "%s/tmp/lock", d->path);
	if ((d->lockfd = open(path, O_RDWR | O_CREAT, 0666)) == -1)
		tkt_die(1, "%s: %s", path, strerror(errno));
	for (tries = 0; trylock(d->lockfd, tkt_lockwait < 0) == -1; tries++) {
		if (errno == EINTR)
			continue;
		if (errno != EACCES && errno != EAGAIN)
			tkt_die(1, "%s: cannot lock: %s", path,
			    strerror(errno));
		if (tries >= tkt_lockwait * 20)
			tkt_die(1, "%s: another writer held the desk for %ld "
			    "s", path, tkt_lockwait);
		nanosleep(&nap, NULL);
	}
}


char *
tkt_desk_path(const struct tkt_desk *d, enum tkt_dir dir, const char *id)
{
	struct tkt_buf b = { 0 };

	tkt_buf_fmt(&b, "%s/%s/%s", d->path, tkt_dirname[dir], id);
	return b.s;
}

static int
exists(const char *path)
{
	struct stat sb;

	return lstat(path, &sb) == 0;
}

/* Names in dir starting with prefix: count, and the first in *found. */
static int
prefixed(const struct tkt_desk *d, enum tkt_dir dir, const char *prefix,
    char **found)
{
	struct dirent *de;
	char *path;
	DIR *dp;
	size_t n;
	int count;

	path = tkt_desk_path(d, dir, "");
	dp = opendir(path);
	free(path);
	if (dp == NULL)
		return 0;
	n = strlen(prefix);
	count = 0;
	while ((de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.' || strncmp(de->d_name, prefix, n))
			continue;
		if (count++ == 0 && *found == NULL)
			*found = tkt_desk_path(d, dir, de->d_name);
	}
	closedir(dp);
	return count;
}

/*
 * The path of the ticket an operand names: a path (its last component
 * is the ID), a whole ID, or a prefix of one ID.
 */
char *
tkt_desk_resolve(const struct tkt_desk *d, const char *op)
{
	const char *id;
	char *path;
	int i, n;

	id = strrchr(op, '/') ? strrchr(op, '/') + 1 : op;
	if (*id == '\0' || *id == '.') {
		tkt_warn("%s: not a ticket", op);
		return NULL;
	}
	for (i = 0; i < 3; i++) {
		path = tkt_desk_path(d, i, id);
		if (exists(path))
			return path;
		free(path);
	}
	path = NULL;
	for (i = n = 0; i < 3; i++)
		n += prefixed(d, i, id, &path);
	if (n == 1 && strlen(id) >= 4 && id == op)
		return path;
	free(path);
	tkt_warn("%s: %s", op, n > 1 && id == op ? "ambiguous ticket prefix" :
	    "no such ticket in this desk");
	return NULL;
}

static enum tkt_dir
dirof(const struct tkt_desk *d, const char *path)
{
	size_t n;

	n = strlen(d->path);
	if (strncmp(path, d->path, n) == 0 && path[n] == '/') {
		path += n + 1;
		if (strncmp(path, "closed/", 7) == 0)
			return TKT_CLOSED;
		if (strncmp(path, "cur/", 4) == 0)
			return TKT_CUR;
	}
	return TKT_NEW;
}

/* Read the ticket an operand names; reports errors itself. */
int
tkt_desk_load(const struct tkt_desk *d, const char *op,
    struct tkt_ticket *t, int whole)
{
	const char *id;
	char *path;
	size_t n;
	int r;

	memset(t, 0, sizeof *t);
	/* A path of ours is read as it is, and looked up only if gone. */
	n = strlen(d->path);
	r = -2;
	if (strncmp(op, d->path, n) == 0 && op[n] == '/')
		r = tkt_ticket_tryread(t, op, whole);
	if (r == -2) {
		if ((path = tkt_desk_resolve(d, op)) == NULL)
			return -1;
		r = tkt_ticket_read(t, path, whole);
		free(t->path);
		t->path = path;
	}
	t->dir = dirof(d, t->path);
	/* A mail reader may add maildir flags (":2,S"); not part of the ID. */
	id = strrchr(t->path, '/') + 1;
	if ((n = strcspn(id, ":")) > TKT_IDLEN)
		n = TKT_IDLEN;
	memcpy(t->id, id, n);
	t->id[n] = '\0';
	return r;
}

static void
dirpart(const char *path, char *dir, size_t n)
{
	const char *slash;

	slash = strrchr(path, '/');
	snprintf(dir, n, "%.*s", slash ? (int)(slash - path) : 1,
	    slash ? path : ".");
}

static int
writeall(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, p, n)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= w;
	}
	return 0;
}

/*
 * A name in tmp/ that no other process uses, into b; the caller
 * creates it with O_EXCL and takes another on EEXIST.
 */
static void
tmpname(const struct tkt_desk *d, struct tkt_buf *b)
{
	static unsigned long seq;
	static long pid;

	if (pid == 0)
		pid = (long)getpid();
	b->len = 0;
	tkt_buf_fmt(b, "%s/tmp/%ld.%ld_%lu", d->path, (long)time(NULL), pid,
	    seq++);
}

/*
 * Batches.  A batch writes many files with a few syncs in all, in four
 * phases, so that a sweep costs one commit per batch, not three per
 * ticket:
 *
 * 1. Each new version is written to a file of its own in tmp/ as it
 *    is added (tkt_batch_save, _create, _keep, _link), and nothing is
 *    renamed yet.
 * 2. tkt_batch_commit makes the data of all of them durable at once:
 *    one syncfs(2) on the desk's file system where tkt_syncfs works,
 *    else each file was fsync'd as it was written.  A lone file is
 *    fsync'd alone, which is cheaper than syncing a file system.
 * 3. The renames, in stages: a stage's renames are done, then each
 *    directory they touched is fsync'd once, before the next stage
 *    begins.  A ticket moved out of closed/cur/ moves in the first
 *    stage and is rewritten in the second; a rewrite goes in the
 *    second and a move to the directory of its state in the third, so
 *    the order on disk is the order of tkt.h's protocol.
 *    tkt_batch_then puts what is added after it in later stages.
 * 4. The directories of the last stage are fsync'd.
 *
 * An entry is what fails or succeeds as a whole: a ticket of the
 * sweep, or all that one mail writes.  A step that fails is reported
 * and the later steps of its entry are skipped.
 */
#define DATA	1		/* from holds data to make durable */
#define TMP	2		/* from is ours in tmp/: removed if unused */
#define LINK	4		/* link(2), which never replaces a file */
#define DONE	8

/* The stages of one addition, after the base of the batch. */
#define OUT	0		/* out of closed/cur/, for a reopen */
#define NEW	1		/* new versions into place */
#define ON	2		/* to the directory of the ticket's state */

struct step {
	char	*from;
	char	*to;
	int	 flags;
	int	 stage;
	size_t	 entry;
};

struct entry {
	char	 id[TKT_IDLEN + 1];	/* the ticket it writes, or "" */
	int	 failed;
};

struct tkt_batch {
	const struct tkt_desk *d;
	int	 fsfd;			/* tmp/, for syncfs; -1: none */
	size_t	 ndata;
	struct step *step;
	size_t	 nstep;
	size_t	 stepcap;
	struct entry *ent;
	size_t	 nent;
	size_t	 entcap;
	int	 base;			/* the stage of the next addition */
	int	 top;			/* the last stage used */
	int	 err;			/* errno of the first failure */
	char	(*dir)[PATH_MAX];	/* directories a stage touched */
	size_t	 ndir;
	size_t	 dircap;
};

/*
 * A batch for the desk, whose lock the caller holds.  The descriptor
 * for syncfs is opened first, as syncfs reports only the write errors
 * that happened after that.
 */
struct tkt_batch *
tkt_batch_new(const struct tkt_desk *d)
{
	struct tkt_batch *b;
	char path[PATH_MAX];

	ensuredirs(d);
	b = tkt_alloc(sizeof *b);
	memset(b, 0, sizeof *b);
	b->d = d;
	b->top = -1;
	b->fsfd = -1;
	if (tkt_syncfs_works()) {
		snprintf(path, sizeof path, "%s/tmp", d->path);
		b->fsfd = open(path, O_RDONLY);
	}
	return b;
}

/* Begin an entry; later additions belong to it.  Its number. */
size_t
tkt_batch_begin(struct tkt_batch *b)
{
	if (b->nent == b->entcap) {
		b->entcap = b->entcap ? 2 * b->entcap : 16;
		b->ent = tkt_realloc(b->ent, b->entcap * sizeof *b->ent);
	}
	memset(&b->ent[b->nent], 0, sizeof *b->ent);
	return b->nent++;
}

static struct entry *
current(struct tkt_batch *b)
{
	if (b->nent == 0)
		tkt_batch_begin(b);
	return &b->ent[b->nent - 1];
}

static void
failed(struct tkt_batch *b, size_t entry, int e)
{
	if (b->err == 0)
		b->err = e;
	b->ent[entry].failed = 1;
}

/* What is added after this is durable only after what came before. */
void
tkt_batch_then(struct tkt_batch *b)
{
	b->base = b->top + 1;
}

/* The entries in the batch. */
size_t
tkt_batch_size(const struct tkt_batch *b)
{
	return b->nent;
}

/* Is a write of the ticket with this ID waiting in the batch? */
int
tkt_batch_has(const struct tkt_batch *b, const char *id)
{
	size_t i;

	for (i = 0; i < b->nent; i++)
		if (strcmp(b->ent[i].id, id) == 0)
			return 1;
	return 0;
}

static void
addstep(struct tkt_batch *b, char *from, char *to, int flags, int stage)
{
	struct step *s;

	current(b);
	if (b->nstep == b->stepcap) {
		b->stepcap = b->stepcap ? 2 * b->stepcap : 16;
		b->step = tkt_realloc(b->step, b->stepcap * sizeof *b->step);
	}
	s = &b->step[b->nstep++];
	s->from = from;
	s->to = to;
	s->flags = flags;
	s->stage = b->base + stage;
	s->entry = b->nent - 1;
	if (s->stage > b->top)
		b->top = s->stage;
}

/*
 * A new file in tmp/ holding data, created with O_EXCL; its path, or
 * NULL.  It is fsync'd now only when the batch has no syncfs.
 */
static char *
tmpdata(struct tkt_batch *b, const void *data, size_t len)
{
	struct tkt_buf p = { 0 };
	int fd, e;

	do {
		tmpname(b->d, &p);
		fd = open(p.s, O_WRONLY | O_CREAT | O_EXCL, 0666);
	} while (fd == -1 && errno == EEXIST);
	if (fd == -1)
		e = errno;
	else if (writeall(fd, data, len) == -1 ||
	    (b->fsfd == -1 && fsync(fd) == -1)) {
		e = errno;
		close(fd);
		unlink(p.s);
	} else if (close(fd) == -1) {
		e = errno;
		unlink(p.s);
	} else {
		b->ndata++;
		return p.s;
	}
	tkt_warn("%s: %s", p.s, strerror(e));
	tkt_buf_free(&p);
	failed(b, b->nent - 1, e);
	errno = e;
	return NULL;
}

/*
 * Refuse to write what the readers would reject (a header grown past
 * its limit by a long note, say): such a file would be stuck, since tkt
 * never rewrites an invalid ticket.
 */
static int
valid(const struct tkt_buf *b, const char *path)
{
	struct tkt_ticket check;
	char what[4096];
	int r;

	snprintf(what, sizeof what, "%s, as it would be written", path);
	r = tkt_ticket_parse(&check, what, tkt_strndup(b->s, b->len),
	    b->len, 1);
	tkt_ticket_free(&check);
	return r;
}

/* The ticket formatted and checked, in a file in tmp/; NULL if not. */
static char *
tmpticket(struct tkt_batch *b, struct tkt_ticket *t, const char *what)
{
	struct tkt_buf buf = { 0 };
	char *tmp;

	snprintf(current(b)->id, sizeof b->ent->id, "%s", t->id);
	tkt_ticket_format(t, &buf);
	if (valid(&buf, what) == -1) {
		tkt_buf_free(&buf);
		failed(b, b->nent - 1, EINVAL);
		errno = EINVAL;
		return NULL;
	}
	tmp = tmpdata(b, buf.s, buf.len);
	tkt_buf_free(&buf);
	return tmp;
}

/* Move t, once the batch is committed, to the directory of its state. */
static void
moveto(struct tkt_batch *b, struct tkt_ticket *t, enum tkt_dir to,
    int stage)
{
	char *path;

	path = tkt_desk_path(b->d, to, t->id);
	addstep(b, tkt_strdup(t->path), tkt_strdup(path), 0, stage);
	free(t->path);
	t->path = path;
	t->dir = to;
}

/*
 * Write the ticket back and put it where its state says; t->path
 * names where it will be.  A reopened ticket moves before it is
 * rewritten, anything else after, so that no crash leaves an open
 * ticket where the sweep does not look.
 */
int
tkt_batch_save(struct tkt_batch *b, struct tkt_ticket *t)
{
	struct tkt_state st;
	char *tmp;

	if ((tmp = tmpticket(b, t, t->path)) == NULL)
		return -1;
	tkt_ticket_state(t, &st);
	if (t->dir == TKT_CLOSED && st.dir != TKT_CLOSED)
		moveto(b, t, st.dir, OUT);
	addstep(b, tmp, tkt_strdup(t->path), DATA | TMP, NEW);
	if (t->dir != st.dir)
		moveto(b, t, st.dir, ON);
	return 0;
}

/*
 * Link the new ticket t into new/ under t->id, which the caller found
 * free, and on to the directory of its state should that differ (a
 * mail that closes its own ticket).  The link fails with EEXIST, and
 * the entry with it, if the name was taken after all.
 */
int
tkt_batch_create(struct tkt_batch *b, struct tkt_ticket *t)
{
	struct tkt_state st;
	char *tmp;

	if ((tmp = tmpticket(b, t, t->id)) == NULL)
		return -1;
	free(t->path);
	t->path = tkt_desk_path(b->d, TKT_NEW, t->id);
	t->dir = TKT_NEW;
	addstep(b, tmp, tkt_strdup(t->path), DATA | TMP | LINK, NEW);
	tkt_ticket_state(t, &st);
	if (st.dir != TKT_NEW)
		moveto(b, t, st.dir, ON);
	return 0;
}

/* Keep data in the file DESK/dir/name, made new or replaced whole. */
int
tkt_batch_keep(struct tkt_batch *b, const char *dir, const char *name,
    const void *data, size_t len)
{
	struct tkt_buf to = { 0 };
	char *tmp;

	current(b);
	if ((tmp = tmpdata(b, data, len)) == NULL)
		return -1;
	tkt_buf_fmt(&to, "%s/%s/%s", b->d->path, dir, name);
	addstep(b, tmp, to.s, DATA | TMP, NEW);
	return 0;
}

/*
 * An index entry: the symbolic link DESK/dir/name whose target is
 * "ticket:" and the ID of a ticket.  It points nowhere; its target is
 * all it says.  Made by a rename, so a reader sees the old entry or the
 * new one.
 */
int
tkt_batch_link(struct tkt_batch *b, const char *dir, const char *name,
    const char *id)
{
	struct tkt_buf tmp = { 0 }, to = { 0 };
	char target[64];
	int r;

	current(b);
	snprintf(target, sizeof target, "ticket:%s", id);
	do {
		tmpname(b->d, &tmp);
		r = symlink(target, tmp.s);
	} while (r == -1 && errno == EEXIST);
	if (r == -1) {
		tkt_warn("%s: %s", tmp.s, strerror(errno));
		failed(b, b->nent - 1, errno);
		tkt_buf_free(&tmp);
		return -1;
	}
	tkt_buf_fmt(&to, "%s/%s/%s", b->d->path, dir, name);
	addstep(b, tmp.s, to.s, TMP, NEW);
	return 0;
}

/* Phase 2: make the data of every file written durable. */
static void
syncdata(struct tkt_batch *b)
{
	struct step *s;
	size_t i;

	if (b->fsfd == -1 || b->ndata == 0)
		return;			/* fsync'd as written, if any */
	if (b->ndata > 1 && tkt_syncfs(b->fsfd) == 0)
		return;
	/* A lone file is fsync'd alone; after syncfs failed, each is. */
	for (i = 0; i < b->nstep; i++) {
		s = &b->step[i];
		if ((s->flags & DATA) && !b->ent[s->entry].failed &&
		    syncpath(s->from) == -1) {
			tkt_warn("%s: %s", s->from, strerror(errno));
			failed(b, s->entry, errno);
		}
	}
}

/* Note a directory touched in this stage, once. */
static void
touched(struct tkt_batch *b, const char *path)
{
	char dir[PATH_MAX];
	size_t i;

	dirpart(path, dir, sizeof dir);
	for (i = 0; i < b->ndir; i++)
		if (strcmp(b->dir[i], dir) == 0)
			return;
	if (b->ndir == b->dircap) {
		b->dircap = b->dircap ? 2 * b->dircap : 4;
		b->dir = tkt_realloc(b->dir, b->dircap * sizeof *b->dir);
	}
	memcpy(b->dir[b->ndir++], dir, sizeof dir);
}

static int
move1(const struct step *s)
{
	return s->flags & LINK ? link(s->from, s->to) :
	    rename(s->from, s->to);
}

/*
 * rename(2) or link(2), making the target's directory if it is missing
 * (mail/, msgid/ ... on a fresh desk); the directory that names it is
 * then synced with the stage.
 */
static int
land(struct tkt_batch *b, const struct step *s)
{
	char dir[PATH_MAX];

	if (move1(s) == 0)
		return 0;
	if (errno != ENOENT)
		return -1;
	dirpart(s->to, dir, sizeof dir);
	if (mkdir(dir, 0777) == -1) {
		if (errno == EEXIST)
			errno = ENOENT;		/* it was the source */
		return -1;
	}
	touched(b, dir);
	return move1(s);
}

static void
step(struct tkt_batch *b, struct step *s)
{
	int e;

	if (land(b, s) == -1) {
		e = errno;
		if (s->flags & TMP) {
			if (!(s->flags & LINK) || e != EEXIST)
				tkt_warn("%s: %s", s->to, strerror(e));
		} else
			tkt_warn("%s: cannot move to %s: %s", s->from, s->to,
			    strerror(e));
		failed(b, s->entry, e);
		return;
	}
	s->flags |= DONE;
	touched(b, s->to);
	if (!(s->flags & TMP))
		touched(b, s->from);
}

/* Sync what a stage touched; the entries of a failure fail. */
static void
syncstage(struct tkt_batch *b, int stage)
{
	char dir[PATH_MAX];
	struct step *s;
	size_t i, j;
	int e;

	for (i = 0; i < b->ndir; i++) {
		if (syncpath(b->dir[i]) == 0)
			continue;
		e = errno;
		tkt_warn("%s: cannot sync directory: %s", b->dir[i],
		    strerror(e));
		for (j = 0; j < b->nstep; j++) {
			s = &b->step[j];
			if (s->stage != stage || !(s->flags & DONE))
				continue;
			dirpart(s->to, dir, sizeof dir);
			if (strcmp(dir, b->dir[i]) == 0)
				failed(b, s->entry, e);
			dirpart(s->from, dir, sizeof dir);
			if (!(s->flags & TMP) && strcmp(dir, b->dir[i]) == 0)
				failed(b, s->entry, e);
		}
	}
	b->ndir = 0;
}

/* Remove what is left in tmp/ and empty the batch. */
static void
clear(struct tkt_batch *b)
{
	struct step *s;
	size_t i;

	for (i = 0; i < b->nstep; i++) {
		s = &b->step[i];
		if ((s->flags & TMP) && (!(s->flags & DONE) ||
		    (s->flags & LINK)))
			unlink(s->from);
		free(s->from);
		free(s->to);
	}
	b->nstep = b->nent = b->ndata = 0;
	b->base = b->err = 0;
	b->top = -1;
}

/*
 * Phases 2 to 4.  Then fn, if not NULL, hears of each entry in order,
 * whether it was written; the batch is empty again.  Returns 0, or -1
 * with errno when some entry failed (each failure was reported).
 */
int
tkt_batch_commit(struct tkt_batch *b, tkt_batch_fn fn, void *arg)
{
	size_t i;
	int stage, e;

	syncdata(b);
	for (stage = 0; stage <= b->top; stage++) {
		for (i = 0; i < b->nstep; i++)
			if (b->step[i].stage == stage &&
			    !b->ent[b->step[i].entry].failed)
				step(b, &b->step[i]);
		syncstage(b, stage);
	}
	for (i = 0; fn != NULL && i < b->nent; i++)
		fn(arg, i, !b->ent[i].failed);
	e = b->err;
	clear(b);
	errno = e;
	return e == 0 ? 0 : -1;
}

/* Drop the batch; what was not committed is not written. */
void
tkt_batch_free(struct tkt_batch *b)
{
	if (b == NULL)
		return;
	clear(b);
	if (b->fsfd != -1)
		close(b->fsfd);
	free(b->step);
	free(b->ent);
	free(b->dir);
	free(b);
}

/* Write the ticket back and put it where its state says, durably. */
int
tkt_desk_save(const struct tkt_desk *d, struct tkt_ticket *t)
{
	struct tkt_batch *b;
	int r;

	b = tkt_batch_new(d);
	if ((r = tkt_batch_save(b, t)) == 0)
		r = tkt_batch_commit(b, NULL, NULL);
	tkt_batch_free(b);
	return r;
}

/*
 * Append an event, after every escalation that fell due before it,
 * and save.  The caller holds the desk lock and read the whole ticket.
 */
int
tkt_desk_record(const struct tkt_desk *d, struct tkt_ticket *t,
    const struct tkt_event *ev)
{
	tkt_clock_catchup(t, &d->conf, ev->t);
	tkt_ticket_add(t, ev);
	return tkt_desk_save(d, t);
}

static uint64_t
hashn(const char *s, size_t n, uint64_t h)
{
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

static uint64_t
hash(const char *s, uint64_t h)
{
	return hashn(s, strlen(s), h);
}

static void
encode(char id[TKT_IDLEN + 1], uint64_t v)
{
	int i;

	for (i = TKT_IDLEN - 1; i >= 0; i--) {
		id[i] = b32[v & 31];
		v >>= 5;
	}
	id[TKT_IDLEN] = '\0';
}

/*
 * The 14-bit node tag of this copy of the desk: $TKT_NODE, taken as it
 * is when it is a number below 16384 so that an admin can give every
 * host its own, else a hash of it, else a hash of the host name, the
 * machine-id and the desk directory's device and inode numbers, so
 * that two clones on one host differ too.
 */
static unsigned
tkt_desk_node(const struct tkt_desk *d)
{
	char host[256], mid[64], *end;
	struct stat sb;
	const char *env;
	unsigned long n;
	uint64_t h;
	FILE *fp;

	if ((env = getenv("TKT_NODE")) != NULL && *env != '\0') {
		n = strtoul(env, &end, 10);
		if (*end == '\0' && n < 0x4000 && *env >= '0' && *env <= '9')
			return (unsigned)n;
		return hash(env, 0xcbf29ce484222325ULL) & 0x3fff;
	}
	if (gethostname(host, sizeof host) == -1)
		strcpy(host, "localhost");
	host[sizeof host - 1] = '\0';
	h = hash(host, 0xcbf29ce484222325ULL);
	if ((fp = fopen("/etc/machine-id", "r")) != NULL) {
		if (fgets(mid, sizeof mid, fp) != NULL)
			h = hash(mid, h);
		fclose(fp);
	}
	if (stat(d->path, &sb) == 0) {
		snprintf(mid, sizeof mid, "%ju.%ju", (uintmax_t)sb.st_dev,
		    (uintmax_t)sb.st_ino);
		h = hash(mid, h);
	}
	return h & 0x3fff;
}

/*
 * A time ID: 34 bits of seconds since 1970, the 14-bit node tag and a
 * 12-bit sequence number, so that IDs made on different hosts differ
 * in the node tag and IDs made here differ in time or sequence.
 */
static void
tkt_id_time(char id[TKT_IDLEN + 1], time_t t, unsigned node, unsigned seq)
{
	uint64_t secs;

	secs = t < 0 ? 0 : (uint64_t)t & 0x3ffffffffULL;
	encode(id, secs << 26 | (uint64_t)(node & 0x3fff) << 12 |
	    (seq & 0xfff));
}

/* A message's ID: 60 bits of a hash of its Message-ID. */
void
tkt_id_hash(char id[TKT_IDLEN + 1], const char *msgid)
{
	tkt_id_hashn(id, msgid, strlen(msgid));
}

void
tkt_id_hashn(char id[TKT_IDLEN + 1], const char *s, size_t n)
{
	uint64_t h;

	h = hashn(s, n, 0xcbf29ce484222325ULL);
	h ^= hashn(s, n, h ^ 0x9e3779b97f4a7c15ULL) << 7;
	encode(id, h);
}

static char *
findid(const struct tkt_desk *d, const char *id)
{
	char *path;
	int i;

	for (i = 0; i < 3; i++) {
		path = tkt_desk_path(d, i, id);
		if (exists(path))
			return path;
		free(path);
	}
	return NULL;
}

/* Is the ticket at path the one made from this Message-ID? */
static int
samemsg(const char *path, const char *msgid)
{
	struct tkt_ticket old;
	const char *v;
	int same;

	if (tkt_ticket_read(&old, path, 0) == -1) {
		tkt_ticket_free(&old);
		return 0;
	}
	v = tkt_ticket_get(&old, "Message-ID");
	same = v != NULL && strcmp(v, msgid) == 0;
	tkt_ticket_free(&old);
	return same;
}

/*
 * Link the ticket into new/ under t->id: 0, -1 with EEXIST if the name
 * is taken, -2 on another error, reported.
 */
static int
place(const struct tkt_desk *d, struct tkt_ticket *t)
{
	struct tkt_batch *b;
	char *path;
	int r, e;

	if ((path = findid(d, t->id)) != NULL) {
		free(path);
		errno = EEXIST;
		return -1;
	}
	b = tkt_batch_new(d);
	if ((r = tkt_batch_create(b, t)) == 0)
		r = tkt_batch_commit(b, NULL, NULL);
	e = errno;
	tkt_batch_free(b);
	errno = e;
	return r == 0 ? 0 : e == EEXIST ? -1 : -2;
}

/*
 * Give a new ticket its ID and file in new/.  Returns 0 when made, 1
 * when msgid is already a ticket here (t->path then names it), -1 on
 * error.  The caller holds the desk lock.
 */
int
tkt_desk_create(const struct tkt_desk *d, struct tkt_ticket *t,
    const char *msgid)
{
	char *path;
	unsigned seq, node;
	int r;

	if (msgid != NULL && *msgid != '\0') {
		tkt_id_hash(t->id, msgid);
		if ((path = findid(d, t->id)) != NULL && samemsg(path,
		    msgid)) {
			free(t->path);
			t->path = path;
			return 1;
		}
		free(path);
		if ((r = place(d, t)) != -1)
			return r == 0 ? 0 : -1;
	}
	node = tkt_desk_node(d);
	for (seq = 0; seq < 4096; seq++) {
		tkt_id_time(t->id, t->ev[0].t, node, seq);
		if ((r = place(d, t)) != -1)
			return r == 0 ? 0 : -1;
	}
	tkt_warn("%s: no free ticket ID for this second", d->path);
	return -1;
}

/*
 * The ID tkt_desk_create would give t now, in t->id, so that what
 * refers to the ticket can be written first: 0, or 1 when msgid is
 * already a ticket here (t->path then names it), -1 when no ID is free.
 * The caller holds the desk lock.
 */
int
tkt_desk_pickid(const struct tkt_desk *d, struct tkt_ticket *t,
    const char *msgid)
{
	char *path;
	unsigned seq, node;

	if (msgid != NULL && *msgid != '\0') {
		tkt_id_hash(t->id, msgid);
		if ((path = findid(d, t->id)) == NULL)
			return 0;
		if (samemsg(path, msgid)) {
			free(t->path);
			t->path = path;
			return 1;
		}
		free(path);
	}
	node = tkt_desk_node(d);
	for (seq = 0; seq < 4096; seq++) {
		tkt_id_time(t->id, t->ev[0].t, node, seq);
		if ((path = findid(d, t->id)) == NULL)
			return 0;
		free(path);
	}
	tkt_warn("%s: no free ticket ID for this second", d->path);
	return -1;
}

/*
 * A directory's ticket names, read whole before the first is visited:
 * end to end in one buffer, each with its NUL, and their offsets in
 * name order.  One block for all and not one a name, since closed/cur/
 * may hold a million: a block a name costs three times the memory, and
 * freeing them one by one as the scan goes leaves the heap in shreds
 * that every ticket read then allocates from.
 */
struct names {
	char	*buf;
	size_t	 len;
	size_t	 cap;
	uint32_t *off;			/* into buf */
	size_t	 n;
	size_t	 ncap;
	size_t	 longest;		/* the length of the longest name */
};

static const char *sortbuf;		/* the names namecmp compares */

static int
namecmp(const void *a, const void *b)
{
	return strcmp(sortbuf + *(const uint32_t *)a,
	    sortbuf + *(const uint32_t *)b);
}

static int
addname(struct names *nm, const char *name)
{
	size_t len;

	len = strlen(name);
	if (nm->len > UINT32_MAX - len - 1)
		return -1;
	while (nm->len + len + 1 > nm->cap) {
		nm->cap = nm->cap ? 2 * nm->cap : 4096;
		nm->buf = tkt_realloc(nm->buf, nm->cap);
	}
	if (nm->n == nm->ncap) {
		nm->ncap = nm->ncap ? 2 * nm->ncap : 256;
		nm->off = tkt_realloc(nm->off, nm->ncap * sizeof *nm->off);
	}
	nm->off[nm->n++] = (uint32_t)nm->len;
	memcpy(nm->buf + nm->len, name, len + 1);
	nm->len += len + 1;
	if (len > nm->longest)
		nm->longest = len;
	return 0;
}

static void
names_free(struct names *nm)
{
	free(nm->buf);
	free(nm->off);
	memset(nm, 0, sizeof *nm);
}

/* The ticket names in an open directory, sorted; 0, or -1 on error. */
static int
names(DIR *dp, const char *dir, struct names *nm)
{
	struct dirent *de;

	memset(nm, 0, sizeof *nm);
	for (;;) {
		errno = 0;
		if ((de = readdir(dp)) == NULL)
			break;
		if (de->d_name[0] == '.')
			continue;
		if (addname(nm, de->d_name) == -1) {
			tkt_warn("%s: more names than a scan can hold", dir);
			names_free(nm);
			return -1;
		}
	}
	if (errno != 0) {
		tkt_warn("%s: %s", dir, strerror(errno));
		names_free(nm);
		return -1;
	}
	if (nm->n > 1) {
		sortbuf = nm->buf;
		qsort(nm->off, nm->n, sizeof *nm->off, namecmp);
		sortbuf = NULL;
	}
	return 0;
}

/*
 * Read-ahead for a scan of a directory the page cache does not hold.
 * One process reading one file after another waits for the disk at
 * every file; so once visits are seen to wait, the scan keeps the next
 * AHEAD tickets open with their first bytes asked for, which lets the
 * disk work on many at once while one is read and parsed.  Until then
 * it opens each ticket for its visit itself, timing the open, so that a
 * scan of files in the cache pays two clock reads a ticket and no
 * system call more.  A cold open waits for the inode; a visit that
 * writes may take long too, which is why only the open is timed.  The
 * deeper the ring, the longer a read may take and still be done by the
 * visit, which matters the more, the faster a ticket is parsed.
 *
 * Most of what a cold read costs is the kernel's own work: looking the
 * name up, reading the inode, filling the page cache.  One process does
 * all of it on one processor, however many reads it has in flight, so
 * the scan also forks a twin that opens every other run of TWINRUN
 * names ahead and asks for their first bytes, on another processor if
 * there is one.  The twin only reads, holds no lock (fcntl locks are not
 * inherited) and is killed when the scan ends; if it lags, the scan
 * reads those tickets itself, and if it cannot be forked, the scan goes
 * on without it.
 */
#define AHEAD		32		/* tickets open ahead of the visit */
#define AHEADLEN	16384		/* bytes of each asked for */
#define WAITS		8		/* so many in a row turn it on */
#define TWINRUN		64		/* names in a run of the twin's */

enum mode { WATCH, READAHEAD, NOFDS };

long tkt_desk_waitns = 50000;		/* an open this long waited */

struct scan {
	struct names nm;
	DIR	*dp;
	char	*path;			/* the directory, then a name */
	size_t	 dirlen;
	enum mode mode;
	int	 waits;			/* visits that waited, in a row */
	int	 ring[AHEAD];		/* name i's descriptor at i % AHEAD */
	size_t	 opened;		/* names below this are in the ring */
	pid_t	 twin;			/* reading ahead too, or -1 */
};

/* The ticket being visited, and what the scan holds open of it. */
struct visit {
	const char *path;		/* NULL: none, or handed over */
	int	 dirfd;
	const char *name;
	int	 fd;			/* or -1 */
};

static struct visit visiting = { NULL, -1, NULL, -1 };

/*
 * Whether a scan is visiting path: then the scan holds it open for
 * reading, with O_NONBLOCK so that a FIFO cannot hang its reader, until
 * tkt_desk_lent hands it over.  It is opened relative to the directory
 * it was found in, so that the path is not walked again.
 */
int
tkt_desk_visiting(const char *path)
{
	if (visiting.path == NULL || strcmp(path, visiting.path) != 0)
		return 0;
	if (visiting.fd == -1)
		visiting.fd = openat(visiting.dirfd, visiting.name,
		    O_RDONLY | O_NONBLOCK);
	return visiting.fd != -1;
}

/*
 * The descriptor a scan holds on path, which the caller then owns; -1
 * when there is none, and the caller must open the path itself, which
 * also leaves any error for the caller to report as its own.
 */
int
tkt_desk_lent(const char *path)
{
	int fd;

	if (!tkt_desk_visiting(path))
		return -1;
	fd = visiting.fd;
	visiting.path = NULL;
	visiting.fd = -1;
	return fd;
}

static const char *
nameof(const struct scan *s, size_t i)
{
	return s->nm.buf + s->nm.off[i];
}

/*
 * Have the names from i on to i + AHEAD - 1 open, and their heads on
 * the way in.  Out of descriptors, it stops for good, so that the
 * visitor is not starved of them.
 */
/* Out of descriptors: close those held for names after i, for good. */
static void
giveback(struct scan *s, size_t i)
{
	size_t j;

	for (j = i + 1; j < s->opened; j++)
		if (s->ring[j % AHEAD] != -1)
			close(s->ring[j % AHEAD]);
	if (s->opened > i + 1)
		s->opened = i + 1;
	s->mode = NOFDS;
}

/*
 * Whether descriptors are plenty: the visitor needs some of its own to
 * write, so a ring that took all but one would starve it.
 */
static int
plenty(void)
{
	struct rlimit rl;

	return getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
	    (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= 4 * AHEAD);
}

static void
prefetch(struct scan *s, size_t i)
{
	int fd;

	for (; s->opened < s->nm.n && s->opened < i + AHEAD; s->opened++) {
		fd = openat(dirfd(s->dp), nameof(s, s->opened),
		    O_RDONLY | O_NONBLOCK);
		if (fd == -1 && (errno == EMFILE || errno == ENFILE)) {
			giveback(s, i);
			return;
		}
		if (fd != -1)
			(void)posix_fadvise(fd, 0, AHEADLEN,
			    POSIX_FADV_WILLNEED);
		s->ring[s->opened % AHEAD] = fd;
	}
}

/*
 * The twin: from name i on, every other run of TWINRUN names opened,
 * their heads asked for, closed.  It stops when its parent is gone.
 */
static void
twin(struct scan *s, size_t i)
{
	pid_t parent;
	size_t j;
	int fd;

	parent = getpid();
	s->twin = -1;
	switch (s->twin = fork()) {
	case -1:
	default:
		return;
	case 0:
		break;
	}
	for (i += TWINRUN; i < s->nm.n && getppid() == parent;
	    i += 2 * TWINRUN)
		for (j = i; j < i + TWINRUN && j < s->nm.n; j++) {
			fd = openat(dirfd(s->dp), nameof(s, j),
			    O_RDONLY | O_NONBLOCK);
			if (fd == -1)
				continue;
			(void)posix_fadvise(fd, 0, AHEADLEN,
			    POSIX_FADV_WILLNEED);
			close(fd);
		}
	_exit(0);
}

static void
endtwin(struct scan *s)
{
	if (s->twin <= 0)
		return;
	kill(s->twin, SIGKILL);
	while (waitpid(s->twin, NULL, 0) == -1 && errno == EINTR)
		;
	s->twin = -1;
}

static long
elapsed(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000000000L +
	    (t1.tv_nsec - t0->tv_nsec);
}

/* Visit name i, and watch whether visits wait. */
static int
visit1(struct scan *s, const struct tkt_desk *d, size_t i, tkt_visit fn,
    void *arg)
{
	struct timespec t0;
	int r;

	if (s->mode == READAHEAD)
		prefetch(s, i);
	strcpy(s->path + s->dirlen, nameof(s, i));
	visiting.path = s->path;
	visiting.dirfd = dirfd(s->dp);
	visiting.name = nameof(s, i);
	visiting.fd = i < s->opened ? s->ring[i % AHEAD] : -1;
	if (s->mode == WATCH) {
		/*
		 * Only the open is timed: a visit that writes takes long
		 * without any read waiting.  Cold, the inode is read then.
		 */
		clock_gettime(CLOCK_MONOTONIC, &t0);
		(void)tkt_desk_visiting(s->path);
		s->waits = elapsed(&t0) >= tkt_desk_waitns ? s->waits + 1 : 0;
		if (s->waits >= WAITS) {
			s->mode = plenty() ? READAHEAD : NOFDS;
			s->opened = i + 1;
			twin(s, i + 1);
		}
	}
	r = fn(d, s->path, arg);
	if (visiting.fd != -1)
		close(visiting.fd);
	visiting.path = NULL;
	visiting.fd = -1;
	return r;
}

/*
 * Call fn for every ticket in one of the desk's directories, in name
 * order.  The names are read first, so files renamed into place while
 * fn runs are not visited twice.
 */
int
tkt_desk_scan(const struct tkt_desk *d, enum tkt_dir dir, tkt_visit fn,
    void *arg)
{
	struct visit outer;
	struct scan s;
	size_t i;
	int status;

	memset(&s, 0, sizeof s);
	s.twin = -1;
	s.path = tkt_desk_path(d, dir, "");
	if ((s.dp = opendir(s.path)) == NULL) {
		status = errno != ENOENT;
		if (status)
			tkt_warn("%s: %s", s.path, strerror(errno));
		free(s.path);
		return status;
	}
	status = names(s.dp, s.path, &s.nm) == -1;
	s.dirlen = strlen(s.path);
	s.path = tkt_realloc(s.path, s.dirlen + s.nm.longest + 1);
	outer = visiting;
	for (i = 0; i < s.nm.n; i++)
		if (visit1(&s, d, i, fn, arg) != 0)
			status = 1;
	visiting = outer;
	endtwin(&s);
	closedir(s.dp);
	names_free(&s.nm);
	free(s.path);
	return status;
}

static int
each1(const struct tkt_desk *d, const char *op, tkt_visit fn, void *arg)
{
	char *path;
	int r;

	if ((path = tkt_desk_resolve(d, op)) == NULL)
		return 1;
	r = fn(d, path, arg) != 0;
	free(path);
	return r;
}

/*
 * The non-empty lines of fp, as an argv-like array.  A writer reads its
 * ticket names this way before it takes the desk lock, so that it does
 * not hold the lock while it waits for a writer earlier in a pipeline.
 */
static char **
tkt_lines(FILE *fp, int *np)
{
	char **v, *line;
	size_t cap;
	ssize_t n;

	v = tkt_alloc(sizeof *v);
	*np = 0;
	line = NULL;
	cap = 0;
	while ((n = getline(&line, &cap, fp)) != -1) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n == 0)
			continue;
		v = tkt_realloc(v, (*np + 2) * sizeof *v);
		v[(*np)++] = tkt_strdup(line);
		v[*np] = NULL;
	}
	free(line);
	return v;
}

static void
tkt_lines_free(char **v)
{
	size_t i;

	for (i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

/*
 * The ticket loop of a command.  Operands name tickets, and a lone "-"
 * reads their names from standard input; without operands every ticket
 * in dir is visited, or, when dir is -1, standard input is read.  A
 * writer (lock set) reads all of standard input before it takes the
 * desk lock, so that it never holds the lock while it waits for a
 * writer earlier in a pipeline.  Returns 1 if any ticket failed.
 */
int
tkt_run(struct tkt_desk *d, int argc, char **argv, int dir, int lock,
    tkt_visit fn, void *arg)
{
	int status, input;

	input = (argc == 1 && strcmp(argv[0], "-") == 0) ||
	    (argc == 0 && dir == -1);
	if (input)
		argv = tkt_lines(stdin, &argc);
	if (lock)
		tkt_desk_lock(d);
	if (argc > 0)
		status = tkt_each(d, argc, argv, fn, arg);
	else
		status = input ? 0 : tkt_desk_scan(d, dir, fn, arg);
	if (input)
		tkt_lines_free(argv);
	return status;
}

/*
 * Call fn for the ticket each operand names, or, with no operands,
 * each line of standard input names.  Returns 1 if any failed.
 */
int
tkt_each(const struct tkt_desk *d, int argc, char **argv, tkt_visit fn,
    void *arg)
{
	char *line;
	size_t cap;
	ssize_t n;
	int i, status;

	status = 0;
	for (i = 0; i < argc; i++)
		status |= each1(d, argv[i], fn, arg);
	if (argc > 0)
		return status;
	line = NULL;
	cap = 0;
	while ((n = getline(&line, &cap, stdin)) != -1) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n > 0)
			status |= each1(d, line, fn, arg);
	}
	free(line);
	return status;
}

/* The ticket ID an index entry names; 0, or -1 when there is none. */
int
tkt_desk_linked(const struct tkt_desk *d, const char *dir, const char *name,
    char id[TKT_IDLEN + 1])
{
	char path[PATH_MAX], buf[64];
	ssize_t n;

	snprintf(path, sizeof path, "%s/%s/%s", d->path, dir, name);
	if ((n = readlink(path, buf, sizeof buf - 1)) <= 7 ||
	    n > TKT_IDLEN + 7)
		return -1;
	buf[n] = '\0';
	if (strncmp(buf, "ticket:", 7) != 0 || strchr(buf, '/') != NULL ||
	    buf[7] == '.')
		return -1;
	memcpy(id, buf + 7, n - 7 + 1);
	return 0;
}

/*
 * Replace the file DESK/dir/name with data by one rename, but sync
 * nothing: for what may be lost in a crash, such as the flood counts.
 */
int
tkt_desk_put(const struct tkt_desk *d, const char *dir, const char *name,
    const void *data, size_t len)
{
	struct tkt_buf tmp = { 0 };
	char path[PATH_MAX], sub[PATH_MAX];
	int fd, r;

	snprintf(path, sizeof path, "%s/%s/%s", d->path, dir, name);
	do {
		tmpname(d, &tmp);
		fd = open(tmp.s, O_WRONLY | O_CREAT | O_EXCL, 0666);
	} while (fd == -1 && errno == EEXIST);
	r = fd == -1 ? -1 : writeall(fd, data, len);
	if (fd != -1 && close(fd) == -1)
		r = -1;
	if (r == 0 && (r = rename(tmp.s, path)) == -1 && errno == ENOENT) {
		snprintf(sub, sizeof sub, "%s/%s", d->path, dir);
		if (mkdir(sub, 0777) == 0 || errno == EEXIST)
			r = rename(tmp.s, path);
	}
	if (r == -1 && fd != -1)
		unlink(tmp.s);
	tkt_buf_free(&tmp);
	return r;
}

/* The path of the ticket with this ID, wherever it is, or NULL. */
char *
tkt_desk_find(const struct tkt_desk *d, const char *id)
{
	return findid(d, id);
}

/*
 * A mail kept as DESK/mail/name, whole and NUL-terminated, or NULL with
 * errno set; a name with a slash is no such mail.
 */
char *
tkt_desk_mail(const struct tkt_desk *d, const char *name, size_t *len)
{
	char path[PATH_MAX], *raw;
	FILE *fp;

	if (strchr(name, '/') != NULL) {
		errno = ENOENT;
		return NULL;
	}
	snprintf(path, sizeof path, "%s/mail/%s", d->path, name);
	if ((fp = fopen(path, "r")) == NULL)
		return NULL;
	raw = tkt_slurp(fp, len);
	fclose(fp);
	return raw;
}
