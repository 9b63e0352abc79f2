/*
 * tkt-note: add a note to tickets; notes change no clock.
 * The work is shared with the other event commands in event.c.
 */

#include "tkt.h"

int
main(int argc, char *argv[])
{
	return tkt_event_main(argc, argv, TKT_NOTED);
}
