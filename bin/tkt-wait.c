/*
 * tkt-wait: set tickets waiting on the client, with the reason; the
 * tier clock pauses until tkt-resume or a close.
 * The work is shared with the other event commands in event.c.
 */

#include "tkt.h"

int
main(int argc, char *argv[])
{
	return tkt_event_main(argc, argv, TKT_WAITING);
}
