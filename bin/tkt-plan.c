/*
 * tkt-plan: record a plan for tickets; a plan stops the clock of the
 * tier it is made in.
 * The work is shared with the other event commands in event.c.
 */

#include "tkt.h"

int
main(int argc, char *argv[])
{
	return tkt_event_main(argc, argv, TKT_PLANNED);
}
