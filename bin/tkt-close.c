/*
 * tkt-close: close tickets with a resolution; closed tickets move to
 * closed/cur/, where the sweep does not look.
 * The work is shared with the other event commands in event.c.
 */

#include "tkt.h"

int
main(int argc, char *argv[])
{
	return tkt_event_main(argc, argv, TKT_CLOSED_EV);
}
