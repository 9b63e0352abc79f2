/*
 * unit.c: run every test suite and print Check's summary.
 *
 * Run from the top of the source tree (make check does); the command
 * tests find tests/cmd/ from there.  Check's own environment variables
 * apply: CK_RUN_SUITE=NAME or CK_RUN_CASE=NAME runs a part,
 * CK_VERBOSITY=verbose names every test, CK_FORK=no runs tests in
 * this process for a debugger.  Exits 1 when any test failed.
 * Also here: the helpers that several suites share.
 */

#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

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

static FILE	*capfp;
static int	 capsave = -1;

void
capture(void)
{
	fflush(stderr);
	ck_assert_ptr_nonnull(capfp = tmpfile());
	ck_assert_int_ge(capsave = dup(2), 0);
	ck_assert_int_ge(dup2(fileno(capfp), 2), 0);
}

/* All of it, however long, so that no test sees a message cut short. */
const char *
captured(void)
{
	static char *said;
	struct stat st;
	char *p;

	fflush(stderr);
	ck_assert_int_ge(dup2(capsave, 2), 0);
	close(capsave);
	capsave = -1;
	ck_assert_int_eq(fstat(fileno(capfp), &st), 0);
	ck_assert_ptr_nonnull(p = realloc(said, st.st_size + 1));
	said = p;
	ck_assert_int_eq(pread(fileno(capfp), said, st.st_size, 0),
	    st.st_size);
	said[st.st_size] = '\0';
	fclose(capfp);
	capfp = NULL;
	return said;
}

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
