# The harness itself: the environment scripts run in, and lib.sh.
. "$TKT_TESTS/lib.sh"

case $- in
*e*)	;;
*)	fail "lib.sh did not turn on set -e" ;;
esac

# A fresh, empty, writable directory outside the tree.
top=${TKT_TESTS%/tests}
expect_eq "$(ls -A)" "" "scratch directory is not empty"
case $PWD/ in
"$top"/*)	fail "running inside the source tree: $PWD" ;;
esac
echo x >file
expect_eq "$(cat file)" x "scratch directory is not writable"
[ -d "$TMPDIR" ] && [ -w "$TMPDIR" ] || fail "TMPDIR=$TMPDIR not usable"

# The tree's commands come first; nothing from the caller leaks in.
expect_eq "${PATH%%:*}" "$top/bin" "first PATH entry"
for f in "$top"/bin/tkt-*; do
	case $f in
	*.c|*.o)	continue ;;
	esac
	[ -f "$f" ] && [ -x "$f" ] || continue
	expect_eq "$(command -v "${f##*/}")" "$f" "command lookup"
done
for v in TZ TKTDESK TKT_NOW TKT_USER; do
	eval "[ -z \"\${$v+set}\" ]" || fail "$v is set"
done
expect_eq "$LC_ALL" C "LC_ALL"
if read -r line; then
	fail "stdin is not empty"
fi

# The helpers pass what they should and fail what they should.
expect_eq "a b" "a b" "expect_eq"
if (expect_eq a b "expected") 2>/dev/null; then
	fail "expect_eq passed a != b"
fi
printf 'one\ntwo\n' >a
printf 'one\ntwo\n' >b
expect_file_eq a b
printf 'one\n' >b
if (expect_file_eq a b) 2>/dev/null; then
	fail "expect_file_eq passed different files"
fi
expect_fail sh -c 'echo oops >&2; exit 2'
expect_eq "$STATUS" 2 "expect_fail STATUS"
expect_eq "$ERR" oops "expect_fail ERR"
expect_eq "$(ls -A "$TMPDIR")" "" "expect_fail left files in TMPDIR"
for cmd in true 'echo out; exit 1' 'echo; exit 1' 'kill -9 $$' \
    'echo "ERROR: AddressSanitizer: x" >&2; exit 1'; do
	if (expect_fail sh -c "$cmd") 2>/dev/null; then
		fail "expect_fail passed: $cmd"
	fi
done
if (expect_fail tkt-no-such-command) 2>/dev/null; then
	fail "expect_fail passed a command that was not found"
fi
if (fail "expected") 2>/dev/null; then
	fail "fail did not fail"
fi
