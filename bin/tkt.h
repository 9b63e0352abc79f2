/*
 * tkt.h: what the tkt commands share.
 *
 * A desk is a directory of ticket files, one RFC 5322 message per
 * ticket, kept in maildir subdirectories by state (tkt(5)).  A ticket's
 * Tkt-Log history is the truth; every other tkt figure is derived from
 * it and the desk's config.
 *
 * Update protocol (desk.c).  Every change of a ticket file is one
 * rename(2): the new version is written to a file created with O_EXCL
 * in tmp/ and closed, its data made durable, and only then is it
 * renamed over the old path and the directory fsync'd.  A change of
 * state is that rename followed, once it is synced, by a second rename
 * into the directory of the new state; a reopen moves the file first
 * and rewrites it second.  A crash may therefore leave a closed ticket
 * in cur/, which the next sweep moves on, but never an open ticket in
 * closed/, never one ticket under two names, and never a file with
 * part of its data.  Writes go in batches (struct tkt_batch): all the
 * data of a batch is made durable at once, with one syncfs(2) where
 * it reports errors or an fsync(2) a file elsewhere, before any of its
 * renames, and each directory renamed into is fsync'd once.  Writers
 * hold an fcntl(2) lock on tmp/lock, which the kernel drops when the
 * holder dies.
 */

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#define TKT_IDLEN	12
#define TKT_MAXTIER	9

/* Where a ticket lives; also its coarse state. */
enum tkt_dir {
	TKT_NEW,
	TKT_CUR,
	TKT_CLOSED
};

enum tkt_verb {
	TKT_CREATED,
	TKT_ROUTED,
	TKT_PLANNED,
	TKT_NOTED,
	TKT_ESCALATED,
	TKT_BREACHED,
	TKT_CLOSED_EV,
	TKT_REOPENED,
	TKT_WAITING,			/* on the client; the clock pauses */
	TKT_RESUMED,			/* the wait is over */
	TKT_WARNED,			/* the tier's limit is near */
	TKT_MAILED,			/* a mail was added to the ticket */
	TKT_NVERB
};

/* util.c */
extern const char *tkt_prog;
extern time_t tkt_now;			/* --now, TKT_NOW, or time(3) */
void	 tkt_init(int *, char **);	/* program name, --now, TKT_NOW */
void	 tkt_warn(const char *, ...);	/* "prog: msg\n" on stderr */
_Noreturn void tkt_die(int, const char *, ...);
extern int tkt_exitfail;		/* what tkt_die(1, ...) exits with */
_Noreturn void tkt_usage(const char *);
void	*tkt_alloc(size_t);
void	*tkt_realloc(void *, size_t);
char	*tkt_strdup(const char *);
char	*tkt_strndup(const char *, size_t);
const char *tkt_user(const char *);	/* -u, TKT_USER, login name */
int	 tkt_finish(int);		/* check stdout, return status */
char	*tkt_slurp(FILE *, size_t *);
int	 tkt_hexval(int);
int	 tkt_contains(const char *, const char *);

struct tkt_buf {
	char	*s;
	size_t	 len;
	size_t	 cap;
};
void	 tkt_buf_add(struct tkt_buf *, const void *, size_t);
void	 tkt_buf_str(struct tkt_buf *, const char *);
void	 tkt_buf_fmt(struct tkt_buf *, const char *, ...);
void	 tkt_buf_free(struct tkt_buf *);

/* time.c: instants are time_t seconds, always UTC inside. */
int	 tkt_time_parse(const char *, time_t *);	/* user forms */
int	 tkt_time_parse3339(const char *, size_t, time_t *);
int	 tkt_time_parsemail(const char *, time_t *);	/* Date: header */
void	 tkt_time_fmt(time_t, char [21]);	/* 2026-12-04T16:03:02Z */
void	 tkt_time_local(time_t, char *, size_t);	/* for people */
void	 tkt_time_mail(time_t, char *, size_t);	/* RFC 5322 Date */
time_t	 tkt_timegm(const struct tm *);
int	 tkt_dur_parse(const char *, long *);	/* 1h30m; none = -1 */
void	 tkt_dur_fmt(long, char *, size_t);	/* -1 prints as none */

/*
 * The business calendar (cal.c).  These two functions are the only way
 * the rest of tkt asks about time passing.  A calendar is 24x7, or
 * weekly opening hours in an IANA time zone with holidays; its local
 * days are turned into UTC intervals with the zone's own rules, never
 * the process's TZ, and kept in a cache the calendar owns.
 */
#define TKT_MAXSEG	8		/* opening segments a day */

struct tkt_seg {
	int	 from;			/* minutes after local midnight */
	int	 to;			/* end, exclusive; at most 1440 */
};

struct tkt_cal {
	char	 name[32];
	int	 always;		/* 24x7: no zone, hours or holidays */
	char	 zone[64];		/* e.g. Europe/Berlin */
	struct tkt_seg week[7][TKT_MAXSEG];	/* [0] is Sunday */
	int	 nseg[7];
	long	*holiday;		/* local dates, days since 1970-01-01 */
	size_t	 nholiday;		/* sorted, no repeats */
	void	*cache;			/* cal.c's, per local day */
};
long	 tkt_cal_span(const struct tkt_cal *, time_t, time_t);
time_t	 tkt_cal_add(const struct tkt_cal *, time_t, long);
int	 tkt_cal_hasopen(const struct tkt_cal *);
void	 tkt_cal_free(struct tkt_cal *);
typedef void (*tkt_cal_fn)(void *, time_t, time_t);
void	 tkt_cal_open(const struct tkt_cal *, time_t, time_t, tkt_cal_fn,
	    void *);			/* each open stretch in [a, b) */
void	 tkt_cal_fmt(const struct tkt_cal *, time_t, char *, size_t);
void	 tkt_cal_local(const struct tkt_cal *, time_t, char *, size_t);

/* conf.c */

/*
 * A config line that applies to some tickets only: a limit, or a
 * calendar, for a tier, a client and a priority, any of them left open.
 * The most specific line that matches a ticket wins.
 */
struct tkt_policy {
	int	 tier;			/* 0: any tier */
	char	*client;		/* NULL: any client */
	char	*priority;		/* NULL: any priority */
	long	 limit;			/* seconds, -1 none; -2 not set here */
	int	 cal;			/* index in cals; -1 not set here */
	int	 line;			/* in the config file */
};

struct tkt_conf {
	int	 tiers;			/* top tier, 1..TKT_MAXTIER */
	long	 limit[TKT_MAXTIER + 1];	/* seconds; -1 for none */
	double	 cost[TKT_MAXTIER + 1];	/* per visit to a tier */
	int	 recur;			/* closing-the-loop threshold */
	struct tkt_cal cal;		/* the desk's calendar (24x7) */
	struct tkt_cal *cals;		/* named calendars */
	size_t	 ncal;
	struct tkt_policy *pol;		/* in file order */
	size_t	 npol;
	/*
	 * The warning before a tier's limit, [0] for any tier: a lead in
	 * seconds, -1 for none, -2 when not set; or, where warnpct is not
	 * 0, once that percentage of the limit is used.
	 */
	long	 warn[TKT_MAXTIER + 1];
	int	 warnpct[TKT_MAXTIER + 1];
	/* Mail intake. */
	long	 reopen;		/* a reply this soon reopens; -1: any */
	int	 flood;			/* new tickets a sender may open */
	long	 floodwin;		/* in this many seconds; 0: no limit */
	char	**prefix;		/* reply and forward prefixes */
	size_t	 nprefix;
};

/* What governs a ticket's clock in a tier, and the config line why. */
struct tkt_rule {
	long	 limit;			/* seconds; -1 for none */
	const struct tkt_cal *cal;
	int	 limitline;		/* 0: the default */
	int	 calline;		/* 0: the desk's calendar */
};

void	 tkt_conf_default(struct tkt_conf *);
int	 tkt_conf_load(const char *, struct tkt_conf *);
void	 tkt_conf_free(struct tkt_conf *);
void	 tkt_conf_rule(const struct tkt_conf *, int, const char *,
	    const char *, struct tkt_rule *);
long	 tkt_conf_lead(const struct tkt_conf *, int, long);

/* ticket.c */
struct tkt_hdr {
	const char *raw;		/* the header's lines as in the file */
	size_t	 rawlen;		/* including the final newline */
	char	*name;			/* field name */
	char	*value;			/* unfolded, leading space trimmed */
};

struct tkt_event {
	time_t	 t;
	enum tkt_verb verb;
	int	 tier;			/* 0 when not given */
	char	*by;
	char	*client;
	char	*category;
	char	*priority;
	char	*msg;			/* the mail: its name under mail/ */
	char	*flag;			/* what the mail is: auto,bulk,... */
	char	*key;			/* an alert's correlation key */
	char	*link;			/* the ID of a related ticket */
	char	*sent;			/* the mail's own Date, RFC 3339 */
	char	*text;			/* the why; NULL when none */
};

struct tkt_ticket {
	char	 id[TKT_IDLEN + 1];
	char	*path;			/* as found, may be NULL */
	enum tkt_dir dir;
	char	*buf;			/* file contents read so far */
	size_t	 len;
	int	 whole;			/* buf holds the body too */
	struct tkt_hdr *hdr;		/* headers other than Tkt state */
	size_t	 nhdr;
	size_t	 hdrcap;
	struct tkt_event *ev;
	size_t	 nev;
	size_t	 evcap;
	size_t	 bodyoff;		/* offset of the body in buf */
	/*
	 * hdr, ev and their strings live in the ticket's pool, freed by
	 * tkt_ticket_free, never by free(3); tkt_ticket_str makes a
	 * string to put in them.
	 */
	struct tkt_chunk *pool;
};

/* Derived by replaying the history. */
struct tkt_state {
	enum tkt_dir dir;		/* new, open (cur) or closed */
	int	 tier;
	const char *client;
	const char *category;
	const char *priority;
	time_t	 created;
	time_t	 closed;		/* last close, 0 when open */
	int	 escalations;
	int	 breached;		/* in the current visit */
	int	 planned;		/* in the current visit */
	int	 waiting;		/* on the client: open, clock paused */
	time_t	 entered;		/* current tier visit began */
	time_t	 last;			/* time of the last event */
};

const char *tkt_verb_name(enum tkt_verb);
int	 tkt_verb_parse(const char *, size_t);
int	 tkt_ticket_read(struct tkt_ticket *, const char *, int);
int	 tkt_ticket_tryread(struct tkt_ticket *, const char *, int);
int	 tkt_ticket_parse(struct tkt_ticket *, const char *, char *, size_t,
	    int);
void	 tkt_ticket_free(struct tkt_ticket *);
const char *tkt_ticket_get(const struct tkt_ticket *, const char *);
void	 tkt_ticket_add(struct tkt_ticket *, const struct tkt_event *);
char	*tkt_ticket_str(struct tkt_ticket *, const char *);
void	 tkt_ticket_state(const struct tkt_ticket *, struct tkt_state *);
void	 tkt_ticket_format(const struct tkt_ticket *, struct tkt_buf *);
void	 tkt_event_format(const struct tkt_event *, struct tkt_buf *);
int	 tkt_event_parse(const char *, struct tkt_event *, const char **);
const char *tkt_subject_norm(const char *, char *, size_t);

/* mail.c */
char	*tkt_mail_decode(const char *);
int	 tkt_utf8_valid(const char *, size_t);
size_t	 tkt_mail_headers(const char *, size_t, struct tkt_hdr **,
	    size_t *);			/* returns where the body starts */
void	 tkt_mail_headers_free(struct tkt_hdr *, size_t);
int	 tkt_mail_hasfield(const char *, size_t);
size_t	 tkt_mail_envelope(const char *, size_t);
const char *tkt_mail_get(const struct tkt_hdr *, size_t, const char *);
char	*tkt_mail_msgid(const char **);
char	*tkt_mail_addr(const char *);
int	 tkt_mail_thread(const char *, char *const *, size_t,
	    char [TKT_IDLEN + 1]);
void	 tkt_mail_puthdr(struct tkt_buf *, const char *, const char *);
void	 tkt_mail_convert(struct tkt_buf *, const char *, const char *,
	    size_t);			/* bytes in a charset to UTF-8 */

/*
 * mime.c: the readable text and the attachments of a whole mail
 * (RFC 2045-2049), as received: any line ends, any bytes.
 */
struct tkt_part {
	int	 n;			/* 1, 2, ...: attachments in order */
	char	*type;			/* lower case, e.g. application/pdf */
	char	*name;			/* file name in UTF-8, or NULL */
	size_t	 size;			/* decoded bytes */
};
struct tkt_mime {
	char	*text;			/* valid UTF-8, LF line ends, no NUL */
	size_t	 textlen;
	struct tkt_part *part;		/* attachments, not in the text */
	size_t	 npart;
};
/* 0, or -1 for a NULL message, with m zeroed; m is always freeable. */
int	 tkt_mime_parse(const char *, size_t, struct tkt_mime *);
void	 tkt_mime_free(struct tkt_mime *);
int	 tkt_mime_part(const char *, size_t, int, struct tkt_buf *);

/* html.c: the text of an HTML body, appended; UTF-8 in and out */
void	 tkt_html_text(struct tkt_buf *, const char *, size_t);

/* clock.c */
struct tkt_due {
	int	 tier;
	long	 limit;			/* -1: no limit in this tier */
	long	 used;			/* clock seconds used at now */
	int	 running;		/* clock running at now */
	time_t	 deadline;		/* 0: none (no limit, plan, closed) */
	const struct tkt_cal *cal;	/* the calendar counted by */
	int	 limitline;		/* config lines of the rule; */
	int	 calline;		/* 0: the default */
	time_t	 warning;		/* 0: none, or given this visit */
	long	 left;			/* clock left at the warning */
};
void	 tkt_clock_due(const struct tkt_ticket *, const struct tkt_conf *,
	    time_t, struct tkt_due *);
int	 tkt_clock_catchup(struct tkt_ticket *, const struct tkt_conf *,
	    time_t);
void	 tkt_clock_explain(const struct tkt_ticket *,
	    const struct tkt_conf *, time_t, FILE *);

/* ere.c: a matcher for common EREs; NULL when regcomp(3) must do */
struct tkt_ere;
struct tkt_ere *tkt_ere_comp(const char *, int, int);	/* icase, newline */
int	 tkt_ere_exec(const struct tkt_ere *, const char *);
size_t	 tkt_ere_groups(const struct tkt_ere *);
void	 tkt_ere_free(struct tkt_ere *);

/* rules.c */
struct tkt_rules;
typedef const char *(*tkt_getter)(void *, const char *, size_t);
struct tkt_route {
	int	 tier;			/* 0: not set by any rule */
	const char *client;		/* NULL: not set */
	const char *category;
	const char *priority;
	char	 key[512];		/* an alert's correlation key, or "" */
	int	 recovery;		/* the mail ends its key's alert */
	int	 line;			/* line of the last rule matched */
};
struct tkt_rules *tkt_rules_load(const char *, int);
void	 tkt_rules_free(struct tkt_rules *);
int	 tkt_rules_apply(const struct tkt_rules *, tkt_getter, void *,
	    struct tkt_route *, FILE *);
void	 tkt_rules_key(const struct tkt_rules *, tkt_getter, void *,
	    struct tkt_route *);	/* key and recovery only */
struct tkt_view {			/* a ticket as the rules see it */
	const struct tkt_ticket *t;
	struct tkt_state st;
};
const char *tkt_rules_get(void *, const char *, size_t);

/*
 * event.c: main of tkt-plan, tkt-note, tkt-close, tkt-reopen, tkt-wait
 * and tkt-resume
 */
int	 tkt_event_main(int, char **, enum tkt_verb);

/* desk.c */
struct tkt_desk {
	char	*path;			/* as given or found, e.g. "." */
	int	 lockfd;
	struct tkt_conf conf;
};
extern const char *const tkt_dirname[3];	/* "new", "cur", "closed/cur" */
int	 tkt_desk_open(struct tkt_desk *, const char *);
void	 tkt_desk_close(struct tkt_desk *);
void	 tkt_desk_lock(struct tkt_desk *);
char	*tkt_desk_path(const struct tkt_desk *, enum tkt_dir, const char *);
char	*tkt_desk_resolve(const struct tkt_desk *, const char *);
int	 tkt_desk_load(const struct tkt_desk *, const char *,
	    struct tkt_ticket *, int);
int	 tkt_desk_save(const struct tkt_desk *, struct tkt_ticket *);
int	 tkt_desk_record(const struct tkt_desk *, struct tkt_ticket *,
	    const struct tkt_event *);
int	 tkt_desk_create(const struct tkt_desk *, struct tkt_ticket *,
	    const char *);
int	 tkt_desk_pickid(const struct tkt_desk *, struct tkt_ticket *,
	    const char *);
typedef int (*tkt_visit)(const struct tkt_desk *, const char *, void *);
int	 tkt_desk_scan(const struct tkt_desk *, enum tkt_dir, tkt_visit,
	    void *);
int	 tkt_desk_visiting(const char *);
int	 tkt_desk_lent(const char *);	/* the visited ticket's fd, or -1 */
extern long tkt_desk_waitns;		/* a scan's open this slow waited */
int	 tkt_each(const struct tkt_desk *, int, char **, tkt_visit, void *);
int	 tkt_run(struct tkt_desk *, int, char **, int, int, tkt_visit,
	    void *);
void	 tkt_id_hash(char [TKT_IDLEN + 1], const char *);
void	 tkt_id_hashn(char [TKT_IDLEN + 1], const char *, size_t);
extern long tkt_lockwait;		/* seconds; -1: wait for ever */
int	 tkt_desk_linked(const struct tkt_desk *, const char *,
	    const char *, char [TKT_IDLEN + 1]);
int	 tkt_desk_put(const struct tkt_desk *, const char *, const char *,
	    const void *, size_t);	/* not synced */
char	*tkt_desk_find(const struct tkt_desk *, const char *);
char	*tkt_desk_mail(const struct tkt_desk *, const char *, size_t *);

/*
 * desk.c: many writes made durable together, in the order of the
 * update protocol above; see the comment on batches in desk.c.
 */
struct tkt_batch;
typedef void (*tkt_batch_fn)(void *, size_t, int);	/* entry, written */
struct tkt_batch *tkt_batch_new(const struct tkt_desk *);
size_t	 tkt_batch_begin(struct tkt_batch *);
int	 tkt_batch_save(struct tkt_batch *, struct tkt_ticket *);
int	 tkt_batch_create(struct tkt_batch *, struct tkt_ticket *);
int	 tkt_batch_keep(struct tkt_batch *, const char *, const char *,
	    const void *, size_t);
int	 tkt_batch_link(struct tkt_batch *, const char *, const char *,
	    const char *);
void	 tkt_batch_then(struct tkt_batch *);
size_t	 tkt_batch_size(const struct tkt_batch *);
int	 tkt_batch_has(const struct tkt_batch *, const char *);
int	 tkt_batch_commit(struct tkt_batch *, tkt_batch_fn, void *);
void	 tkt_batch_free(struct tkt_batch *);

/* syncfs.c */
int	 tkt_syncfs_works(void);
int	 tkt_syncfs(int);

/* intake.c: tkt-new -m */
int	 tkt_intake(struct tkt_desk *, const char *, size_t,
	    const struct tkt_event *, const char *, char **);
