/*
 * unit.h: the suites of the unit test runner, tests/unit, and the
 * helpers they share.
 *
 * Each tests/unit_NAME.c defines NAME_suite().  The runner is built
 * from whichever of those files exist: make lists them in the
 * generated tests/suites.h, so a new suite needs no change here.
 */

#include <check.h>

Suite	*util_suite(void);
Suite	*time_suite(void);
Suite	*conf_suite(void);
Suite	*ticket_suite(void);
Suite	*clock_suite(void);
Suite	*rules_suite(void);
Suite	*desk_suite(void);
Suite	*cmd_suite(void);

/* Send stderr to a scratch file until captured() gives it back. */
void	 capture(void);
/* Restore stderr; what it got, NUL-ended, kept until the next call. */
const char *captured(void);
