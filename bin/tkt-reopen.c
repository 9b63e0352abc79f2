/*
 * tkt-reopen: reopen closed tickets; the tier clock resumes with the
 * time it had used.
 * The work is shared with the other event commands in event.c.
 */

#include "tkt.h"

int
main(int argc, char *argv[])
{
	return tkt_event_main(argc, argv, TKT_REOPENED);
}
