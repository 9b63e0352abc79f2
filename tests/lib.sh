# lib.sh: helpers for the command tests in tests/cmd.
#
# A script begins with
#
#	. "$TKT_TESTS/lib.sh"
#
# which also turns on set -e: a command whose failure goes unchecked
# fails the test.  tests/unit_cmd.c describes where and how scripts run.

set -e

# fail MSG: report MSG on stderr and end the test as failed.
fail()
{
	printf '%s: %s\n' "${0##*/}" "$*" >&2
	exit 1
}

# expect_eq GOT WANT MSG: fail unless the two strings are equal.
expect_eq()
{
	[ "$1" = "$2" ] && return 0
	printf '%s: %s\n--- got:\n%s\n--- want:\n%s\n' \
	    "${0##*/}" "$3" "$1" "$2" >&2
	exit 1
}

# expect_file_eq A B [MSG]: fail, showing a diff, unless the files are
# identical.
expect_file_eq()
{
	cmp -s "$1" "$2" && return 0
	diff -u "$1" "$2" >&2 || :
	fail "${3:-$1 and $2 differ}"
}

# expect_fail CMD [ARG...]: fail unless CMD fails and writes nothing on
# stdout.  A status of 125 or more (not found, not executable, killed)
# or a sanitizer report does not count as failing.  Afterwards STATUS
# holds the exit status and ERR what CMD wrote on stderr.  Stdin is
# passed on to CMD.
expect_fail()
{
	_tkt_out=${TMPDIR:-/tmp}/expect_fail.$$.out
	_tkt_err=${TMPDIR:-/tmp}/expect_fail.$$.err
	STATUS=0
	"$@" >"$_tkt_out" 2>"$_tkt_err" || STATUS=$?
	ERR=$(cat "$_tkt_err")
	_tkt_stdout=$(cat "$_tkt_out"; echo .)
	rm -f "$_tkt_out" "$_tkt_err"
	case $ERR in
	*Sanitizer*|*'runtime error:'*)
		fail "$*: sanitizer report:
$ERR"
	esac
	[ "$STATUS" -ne 0 ] || fail "$*: exit 0, want failure"
	[ "$STATUS" -lt 125 ] || fail "$*: exit $STATUS: $ERR"
	[ "$_tkt_stdout" = . ] ||
	    fail "$*: exit $STATUS, but wrote on stdout: ${_tkt_stdout%.}"
}

# mkdesk DIR: make a desk with tkt-init, quietly.
mkdesk()
{
	tkt-init "$1" >/dev/null || fail "tkt-init $1 failed"
}

# hist FILE: the ticket's Tkt-Log values, unfolded, one per line.
hist()
{
	awk '/^$/ { exit }
	/^[ \t]/ { if (inlog) line = line $0; next }
	{ if (inlog) print line; inlog = sub(/^Tkt-Log: /, ""); line = $0 }
	END { if (inlog) print line }' "$1"
}

# field FILE NAME: the value of a summary header.
field()
{
	sed -n "/^\$/q; s/^$2: //p" "$1"
}

# snap: the desk's tickets, by inode and checksum, to show that
# nothing was rewritten.
snap()
{
	find new cur closed -type f | sort | while read -r f; do
		printf '%s %s\n' "$(ls -i "$f" | awk '{ print $1 }')" \
		    "$(cksum <"$f")  $f"
	done
}
