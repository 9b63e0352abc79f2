/*
 * unit.c: run every test suite and print Check's summary.
 *
 * Run from the top of the source tree (make check does); the command
 * tests find tests/cmd/ from there.  Check's own environment variables
 * apply: CK_RUN_SUITE=NAME or CK_RUN_CASE=NAME runs a part,
 * CK_VERBOSITY=verbose names every test, CK_FORK=no runs tests in
 * this process for a debugger.  Exits 1 when any test failed.
 */

#include <stdlib.h>

#include "unit.h"

/* Written by make: one SUITE(NAME) line per tests/unit_NAME.c. */
#define SUITE(name)	Suite *name##_suite(void);
#include "suites.h"
#undef SUITE

#define SUITE(name)	name##_suite,
static Suite *(*const suites[])(void) = {
#include "suites.h"
	NULL
};
#undef SUITE

int
main(void)
{
	SRunner	*sr;
	size_t	 i;
	int	 failed;

	/* Room for the output a failed command test shows. */
	check_set_max_msg_size(16384);
	sr = srunner_create(NULL);
	for (i = 0; suites[i] != NULL; i++)
		srunner_add_suite(sr, suites[i]());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
