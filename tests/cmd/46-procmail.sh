#!/bin/sh
# 46-procmail: delivery through Debian's real procmail, with the rcfile
# of share/mda/procmailrc pointed at a scratch desk.  Three messages
# become routed tickets, a redelivery is a duplicate, an empty message
# is a permanent failure, and while another writer holds the desk lock
# past TKT_LOCKWAIT the delivery exits 75, so the mail server keeps the
# message, and leaves no ticket.
#
# procmail rather than maildrop: procmail -m runs an rcfile as a filter
# of standard input for any user, with no mail server, no setuid and no
# home directory set up, and exits with the status a mail server would
# act on.
#
# It is skipped where procmail is missing, except in CI, which installs
# it (.ci/run).
. "$TKT_TESTS/lib.sh"

if ! command -v procmail >/dev/null 2>&1; then
	[ -z "${CI:-}" ] || fail "CI must run this test: needs procmail"
	echo "46-procmail.sh: skipped: needs Debian's procmail" >&2
	exit 0
fi

top=$(cd "$TKT_TESTS/.." && pwd)
mkdesk desk
desk=$(cd desk && pwd)

# procmail refuses an rcfile in a directory others can write to.
mkdir -m 755 etc
rc=$(pwd)/etc/procmailrc
sed -e "s|^DESK=.*|DESK=$desk|" \
    -e "s|^PATH=.*|PATH=$top/share/mda:$top/bin:/usr/bin:/bin|" \
    "$top/share/mda/procmailrc" >"$rc"
chmod 644 "$rc"
expect_eq "$(grep -c -e "^DESK=$desk\$" -e "^PATH=$top/" "$rc")" 2 \
    "rcfile: DESK and PATH not set: $(cat "$rc")"

# deliver MSG [NAME=value ...]: MSG through procmail -m, which clears
# the environment: pass on what the commands need.  The status is in
# STATUS.  A delivery that hangs on the lock is cut short, with its
# children, after 30 seconds.
to=
if command -v timeout >/dev/null 2>&1; then
	to='timeout 30'
fi
deliver()
{
	_msg=$1
	shift
	STATUS=0
	$to procmail -m "ASAN_OPTIONS=${ASAN_OPTIONS:-}" \
	    "UBSAN_OPTIONS=${UBSAN_OPTIONS:-}" "$@" "$rc" \
	    <"$_msg" >out 2>err || STATUS=$?
}

# tickets SUBJECT: the tickets in new/ and cur/ with that subject.
tickets()
{
	grep -l -x -F "Subject: $1" desk/new/* desk/cur/* 2>/dev/null || :
}

count()
{
	tickets "$1" | wc -l | tr -d ' '
}

ntickets()
{
	find desk/new desk/cur -type f | wc -l | tr -d ' '
}

for i in 1 2 3; do
	cat >msg$i <<EOF
From: Client $i <client$i@example.com>
To: help@example.com
Subject: Problem number $i
Date: Mon, 02 Mar 2026 09:0$i:00 +0100
Message-ID: <problem.$i@mx.example.com>

Something is broken (report $i).
EOF
	deliver msg$i
	expect_eq "$STATUS" 0 "delivery $i: status; stderr: $(cat err)"
	t=$(tickets "Problem number $i")
	expect_eq "$(count "Problem number $i")" 1 \
	    "delivery $i: tickets with its subject: $t"
	case $t in
	desk/cur/*)	;;
	*)	fail "delivery $i: not routed into cur/: $t; $(cat err)" ;;
	esac
	expect_eq "$(field "$t" Message-ID)" "<problem.$i@mx.example.com>" \
	    "delivery $i: Message-ID"
done
expect_eq "$(ntickets)" 3 "tickets after three deliveries"

# The same message again: a duplicate, delivered as far as the mail
# server can tell, and still one ticket.
cp "$(tickets 'Problem number 2')" before
deliver msg2
expect_eq "$STATUS" 0 "redelivery: status; stderr: $(cat err)"
expect_eq "$(ntickets)" 3 "redelivery made a ticket"
expect_file_eq "$(tickets 'Problem number 2')" before \
    "redelivery changed the ticket"

# What is not a message is refused for good (tkt-new's 65), not
# retried, and procmail must say so: "tkt-new -m | tkt-route -" would
# exit with tkt-route's 0, and the mail server take it as delivered.
: >empty
deliver empty
case $STATUS in
0|75)	fail "empty message: status $STATUS, want a permanent failure" ;;
esac
expect_eq "$(ntickets)" 3 "empty message: tickets"

# Another writer holds the desk lock; tkt-new gives up after
# TKT_LOCKWAIT seconds with 75, and procmail passes that on.
sed 's/problem\.1@/problem.4@/; s/number 1/number 4/' msg1 >msg4
"$TKT_TESTS/holdlock" "$desk" >lock.out 2>&1 &
holder=$!
trap 'kill "$holder" 2>/dev/null || :' EXIT
i=0
until grep -q '^locked$' lock.out; do
	i=$((i + 1))
	[ $i -le 10 ] || fail "holdlock did not take the lock: $(cat lock.out)"
	sleep 1
done
deliver msg4 TKT_LOCKWAIT=2
kill "$holder"
wait "$holder" || :
trap - EXIT
[ "$STATUS" -ne 124 ] ||
    fail "locked desk: procmail still waiting after 30 s (TKT_LOCKWAIT?)"
expect_eq "$STATUS" 75 "locked desk: status; stderr: $(cat err)"
expect_eq "$(tickets 'Problem number 4')" "" "locked desk: ticket made"
expect_eq "$(ntickets)" 3 "locked desk: tickets"

# The lock is free again: the mail server's next try delivers it.
deliver msg4 TKT_LOCKWAIT=2
expect_eq "$STATUS" 0 "after the lock: status; stderr: $(cat err)"
expect_eq "$(count 'Problem number 4')" 1 \
    "after the lock: tickets with its subject"
expect_eq "$(ntickets)" 4 "after the lock: tickets"
