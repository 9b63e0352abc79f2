#!/bin/sh
# 41-corpus: tkt-new -m over the real-world messages of tests/corpus
# (their sources and licences are in tests/corpus/README).  Each one
# must make a ticket whose From and Subject, unfolded and with runs of
# blanks made one space, are what Python's email package decoded from
# the same message (tests/corpus/expected, written by
# tests/corpus/mkexpected).  The message is kept byte for byte, and
# delivered again it changes nothing, with a Message-ID or without.
# Every mismatch is listed before the test fails.

. "$TKT_TESTS/lib.sh"

TKT_NODE=7
export TKT_NODE
corpus=$TKT_TESTS/corpus
tab=$(printf '\t')

# hdr FILE NAME: the first NAME header of a ticket, unfolded, with runs
# of blanks made one space and the ends trimmed.
hdr()
{
	awk -v want="$2" '
	function keep() {
		if (name == want && !done) { val = v; done = 1 }
	}
	/^$/ { exit }
	/^[ \t]/ { v = v $0; next }
	{
		keep()
		i = index($0, ":")
		name = tolower(substr($0, 1, i - 1))
		v = substr($0, i + 1)
	}
	END {
		keep()
		gsub(/[ \t]+/, " ", val)
		sub(/^ /, "", val)
		sub(/ $/, "", val)
		print val
	}' "$1"
}

bad=0
# miss FILE WHAT WANT GOT: report one mismatch and count it.
miss()
{
	printf '%s: %s\n\twant: %s\n\tgot:  %s\n' "$1" "$2" "$3" "$4" >&2
	bad=$((bad + 1))
}

files()
{
	find "$1/new" "$1/cur" "$1/closed" -type f | sort
}

[ -s "$corpus/expected" ] || fail "no $corpus/expected"
n=0
for msg in "$corpus"/*.eml; do
	f=${msg##*/}
	n=$((n + 1))
	line=$(awk -F "$tab" -v f="$f" '$1 == f' "$corpus/expected")
	[ -n "$line" ] ||
	    fail "$f: not in $corpus/expected; run tests/corpus/mkexpected"
	want_from=$(printf '%s\n' "$line" | cut -f 2)
	want_subj=$(printf '%s\n' "$line" | cut -f 3)

	# A desk of its own: some messages share a Message-ID.
	d=desk.${f%.eml}
	mkdesk "$d"
	st=0
	tkt-new -m -d "$d" --now 2026-03-02T09:00:00Z <"$msg" >out 2>err ||
	    st=$?
	if [ "$st" -ne 0 ]; then
		miss "$f" "exit status" 0 "$st: $(cat err)"
		continue
	fi
	path=$(cat out)
	case $path in
	"$d"/new/????????????)	;;
	*)	miss "$f" "printed path" "$d/new/ID" "$path"
		continue ;;
	esac
	if [ ! -f "$path" ]; then
		miss "$f" ticket "$path" "no such file"
		continue
	fi
	got=$(hdr "$path" from)
	[ "$got" = "$want_from" ] || miss "$f" From "$want_from" "$got"
	got=$(hdr "$path" subject)
	[ "$got" = "$want_subj" ] || miss "$f" Subject "$want_subj" "$got"

	# The message is kept byte for byte.
	tkt-show -d "$d" -r "$path" >orig 2>err ||
	    miss "$f" "tkt-show -r" 0 "$?: $(cat err)"
	cmp -s orig "$msg" || miss "$f" "kept message" "the same bytes" \
	    "$(cmp orig "$msg" 2>&1)"

	# The same delivery again changes nothing.
	files "$d" >before
	st=0
	tkt-new -m -d "$d" --now 2026-03-02T09:01:00Z <"$msg" >out 2>err ||
	    st=$?
	if [ "$st" -ne 0 ]; then
		miss "$f" "exit status, delivered twice" 0 "$st: $(cat err)"
	else
		[ ! -s out ] ||
		    miss "$f" "stdout, delivered twice" "" "$(cat out)"
		[ "$(files "$d")" = "$(cat before)" ] ||
		    miss "$f" "tickets, delivered twice" "$(cat before)" \
		    "$(files "$d")"
	fi
done

[ "$n" -ge 100 ] || fail "only $n messages in $corpus"
[ "$bad" -eq 0 ] || fail "$bad mismatches in $n messages"
