/*
 * tkt-resume: end the wait on the client of tickets set waiting by
 * tkt-wait; the tier clock runs again with the time it had used.
 * The work is shared with the other event commands in event.c.
 */

#include "tkt.h"

int
main(int argc, char *argv[])
{
	return tkt_event_main(argc, argv, TKT_RESUMED);
}
