# tkt-show: the summary, each state of the clock, the history in local
# time, the body, several tickets, names on stdin, bad files and bad
# usage.  The desk is written by hand, so only tkt-show runs.
. "$TKT_TESTS/lib.sh"

NOW=2026-03-02T09:20:00Z
TZ=UTC
export TZ

mkdir -p d/new d/cur d/closed/cur
printf 'tiers 3\nlimit 1 30m\nlimit 2 1h\nlimit 3 4h\n' >d/config
: >d/rules
cd d

# clock_is WANT NOW TICKET: the Clock line of TICKET at NOW, label cut.
clock_is()
{
	_got=$(tkt-show --now "$2" "$3" | sed -n 's/^Clock: *//p') ||
	    fail "tkt-show $3: exit $?"
	expect_eq "$_got" "$1" "clock of $3 at $2"
}

# Created and routed at once, so tier 1 is due at 09:25 by any reading
# of when its clock starts.  The summary headers are not believed.
cat >cur/0a000000001a <<'EOF'
From: Bob <bob@acme.example>
Subject: VPN down
Date: Mon, 02 Mar 2026 08:54:00 +0000
Message-ID: <1@acme.example>
Tkt-Id: 0a000000001a
Tkt-State: closed
Tkt-Tier: 3
Tkt-Log: 2026-03-02T08:55:00Z created by=bob priority=2
Tkt-Log: 2026-03-02T08:55:00Z routed by=rules:3 tier=1 client=acme
 category=vpn
Tkt-Log: 2026-03-02T09:10:00Z noted by=dave -- asked for the logs

The VPN is down
since this morning.
EOF
cat >new/0a000000002b <<'EOF'
From: alice@example.com
Subject: Printer jams
Tkt-Log: 2026-03-02T08:50:00Z created by=alice

The printer jams.
EOF
cat >cur/0a000000003c <<'EOF'
From: carol@example.com
Subject: New laptop
Tkt-Log: 2026-03-02T07:55:00Z created by=carol
Tkt-Log: 2026-03-02T07:55:00Z routed by=rules tier=2
Tkt-Log: 2026-03-02T08:20:00Z planned by=dave -- order one

I need a laptop.
EOF
cat >closed/cur/0a000000004d <<'EOF'
From: frank@example.com
Subject: Password reset
Tkt-Log: 2026-03-01T10:00:00Z created by=frank
Tkt-Log: 2026-03-01T10:00:00Z routed by=rules tier=1
Tkt-Log: 2026-03-01T10:10:00Z closed by=dave -- done

Reset it please.
EOF
cat >cur/0a000000005e <<'EOF'
From: eve@example.com
Subject: Server on fire
Tkt-Log: 2026-03-02T03:00:00Z created by=eve
Tkt-Log: 2026-03-02T03:00:00Z routed by=rules tier=3
Tkt-Log: 2026-03-02T07:00:00Z breached by=clock tier=3 -- tier 3 limit
 4h reached without a plan

Smoke.
EOF
# Escalated at 08:30; 10 minutes in tier 2 before the close, then
# reopened at 09:10, so due at 10:00.
cat >cur/0a000000006f <<'EOF'
From: gina@example.com
Subject: Mail bounces
Tkt-Log: 2026-03-02T08:00:00Z created by=gina
Tkt-Log: 2026-03-02T08:00:00Z routed by=rules tier=1
Tkt-Log: 2026-03-02T08:30:00Z escalated by=clock tier=2 -- tier 1 limit
 30m reached without a plan
Tkt-Log: 2026-03-02T08:40:00Z closed by=dave -- fixed the MX
Tkt-Log: 2026-03-02T09:10:00Z reopened by=gina -- still bouncing

Bounces.
EOF

# The whole of one ticket, in UTC.
cat >want <<'EOF'
Ticket:   0a000000001a
Subject:  VPN down
From:     Bob <bob@acme.example>
State:    open
Tier:     1
Client:   acme
Category: vpn
Priority: 2
Created:  2026-03-02 08:55 UTC
Clock:    25m of 30m used in tier 1, due 2026-03-02 09:25 UTC, 5m left
History:
  2026-03-02 08:55 UTC  created by bob, priority 2
  2026-03-02 08:55 UTC  routed by rules:3, tier 1, client acme, category vpn
  2026-03-02 09:10 UTC  noted by dave: asked for the logs

The VPN is down
since this morning.
EOF
tkt-show --now "$NOW" 0a000000001a >got
expect_file_eq got want "running ticket"

# The same in Berlin: the times move, the durations do not.
sed 's/ 08:55 UTC/ 09:55 CET/; s/ 09:25 UTC/ 10:25 CET/
    s/ 09:10 UTC/ 10:10 CET/' want >want.cet
TZ=Europe/Berlin tkt-show --now "$NOW" 0a000000001a >got
expect_file_eq got want.cet "TZ=Europe/Berlin"
TZ=Europe/Berlin tkt-show --now '2026-03-02 10:20' 0a000000001a >got
expect_file_eq got want.cet "--now in local time"
TZ=Europe/Berlin TKT_NOW=@1772443200 tkt-show 0a000000001a >got
expect_file_eq got want.cet "TKT_NOW"

# The clock, before, at and after the deadline.
due='of 30m used in tier 1, due 2026-03-02 09:25 UTC'
clock_is "29m59s $due, 1s left" 2026-03-02T09:24:59Z 0a000000001a
clock_is "30m $due, overdue by 0m" 2026-03-02T09:25:00Z 0a000000001a
clock_is "1h35m1s $due, overdue by 1h5m1s" 2026-03-02T10:30:01Z \
    0a000000001a
clock_is "not started: not routed yet" "$NOW" 0a000000002b
at='2026-03-02 08:20 UTC'
clock_is "stopped: plan recorded $at, 25m of 1h used in tier 2" \
    "$NOW" 0a000000003c
at='2026-03-01 10:10 UTC'
clock_is "stopped: closed $at, 10m of 30m used in tier 1" \
    "$NOW" 0a000000004d
# Breached: the deadline is the breach, the overrun still grows.
due='of 4h used in tier 3, due 2026-03-02 07:00 UTC'
clock_is "6h20m $due, overdue by 2h20m" "$NOW" 0a000000005e
# Tier 2 used 10m before the close and 10m since the reopening.
due='of 1h used in tier 2, due 2026-03-02 10:00 UTC'
clock_is "20m $due, 40m left" "$NOW" 0a000000006f

# A tier without a limit.
mkdir -p ../n/cur
printf 'limit 1 none\n' >../n/config
: >../n/rules
cat >../n/cur/0c000000001a <<'EOF'
Subject: No hurry
Tkt-Log: 2026-03-02T08:00:00Z created by=ian
Tkt-Log: 2026-03-02T08:00:00Z routed by=rules tier=1

EOF
(cd ../n && clock_is "1h20m used in tier 1, no limit" "$NOW" 0c000000001a)

# Several tickets, one rule of dashes between them; names may be
# prefixes or paths.
cat >want <<'EOF'
Ticket:   0a000000002b
Subject:  Printer jams
From:     alice@example.com
State:    new
Tier:     -
Client:   -
Category: -
Priority: -
Created:  2026-03-02 08:50 UTC
Clock:    not started: not routed yet
History:
  2026-03-02 08:50 UTC  created by alice

The printer jams.
------------------------------------------------------------------------
Ticket:   0a000000006f
Subject:  Mail bounces
From:     gina@example.com
State:    open
Tier:     2
Client:   -
Category: -
Priority: -
Created:  2026-03-02 08:00 UTC
Clock:    20m of 1h used in tier 2, due 2026-03-02 10:00 UTC, 40m left
History:
  2026-03-02 08:00 UTC  created by gina
  2026-03-02 08:00 UTC  routed by rules, tier 1
  2026-03-02 08:30 UTC  escalated by clock, tier 2: tier 1 limit 30m reached without a plan
  2026-03-02 08:40 UTC  closed by dave: fixed the MX
  2026-03-02 09:10 UTC  reopened by gina: still bouncing

Bounces.
EOF
tkt-show --now "$NOW" 0a000000002b ./cur/0a000000006f >got
expect_file_eq got want "two tickets"
tkt-show --now "$NOW" 0a00000000 2>/dev/null && fail "ambiguous: exit 0"
tkt-show --now "$NOW" 0a000000002 cur/0a000000006f >got
expect_file_eq got want "prefix and path"

# Names from standard input, without operands or for "-".
printf '0a000000002b\n\n0a000000006f\n' | tkt-show --now "$NOW" >got
expect_file_eq got want "names on stdin"
echo 0a000000006f | tkt-show --now "$NOW" 0a000000002b - >got
expect_file_eq got want "operand -"

# The desk is found from -d or TKTDESK too.
(cd .. && tkt-show -d d --now "$NOW" 0a000000002b) >got
expect_eq "$(sed -n 1p got)" "Ticket:   0a000000002b" "-d"
(cd .. && TKTDESK=d tkt-show --now "$NOW" 0a000000002b) >got
expect_eq "$(sed -n 1p got)" "Ticket:   0a000000002b" "TKTDESK"

# No Subject, no From, no body; control bytes in the ticket's text are
# not sent to the terminal; a CR before LF is dropped.
printf 'Tkt-Log: 2026-03-02T09:00:00Z created by=x -- a\033[2Jb\n\n' \
    >new/0a000000007g
{
	printf 'Subject: \033]0;owned\a\n'
	printf 'Tkt-Log: 2026-03-02T09:00:00Z created by=x\n\n'
	printf 'one\r\ntwo\tthree\033[2J\r\nlast line, no newline'
} >new/0a000000008h
cat >want <<'EOF'
Ticket:   0a000000007g
Subject:  (no subject)
From:     -
State:    new
Tier:     -
Client:   -
Category: -
Priority: -
Created:  2026-03-02 09:00 UTC
Clock:    not started: not routed yet
History:
  2026-03-02 09:00 UTC  created by x: a?[2Jb
------------------------------------------------------------------------
Ticket:   0a000000008h
Subject:  ?]0;owned?
From:     -
State:    new
Tier:     -
Client:   -
Category: -
Priority: -
Created:  2026-03-02 09:00 UTC
Clock:    not started: not routed yet
History:
  2026-03-02 09:00 UTC  created by x

one
two	three?[2J
last line, no newline
EOF
tkt-show --now "$NOW" 0a000000007g 0a000000008h >got
expect_file_eq got want "no headers, no body, control bytes"

# Bad files and names are reported and skipped; the others are shown.
printf 'From: x\nSubject: no blank line\n' >cur/0a00000000ak
printf '\001\002\377\000junk\n\njunk\n' >cur/0a00000000bm
dd if=/dev/zero bs=1024 count=2048 2>/dev/null | tr '\0' x \
    >cur/0a00000000cn
tkt-show --now "$NOW" 0a000000002b 0a000000006f >want
STATUS=0
tkt-show --now "$NOW" 0a00000000ak 0a000000002b 0a00000000bm \
    0a00000000cn 0a000000009z 0a000000006f 0a00 >got 2>err || STATUS=$?
expect_eq "$STATUS" 1 "bad tickets: exit status"
expect_file_eq got want "bad tickets: stdout"
cat >want <<'EOF'
tkt-show: ./cur/0a00000000ak: no blank line after the headers
tkt-show: ./cur/0a00000000bm: NUL byte in the headers
tkt-show: ./cur/0a00000000cn: line 1: header line too long
tkt-show: 0a000000009z: no such ticket in this desk
tkt-show: 0a00: ambiguous ticket prefix
EOF
expect_file_eq err want "bad tickets: stderr"
expect_fail tkt-show 0a00000000ak
expect_eq "$STATUS" 1 "one bad ticket: exit status"

# Bad usage: exit 2, nothing on stdout.
for args in "-x" "-d" "--now" "--now never" "-l 0a000000002b"; do
	# shellcheck disable=SC2086
	expect_fail tkt-show $args
	expect_eq "$STATUS" 2 "tkt-show $args: exit status"
done
expect_fail tkt-show -x 0a000000002b
case $ERR in
*'usage: tkt-show '*)	;;
*)	fail "-x: stderr: $ERR" ;;
esac
expect_fail env TKT_NOW=never tkt-show 0a000000002b
expect_eq "$STATUS" 2 "bad TKT_NOW"

# Not in a desk.
cd ..
mkdir empty
cd empty
expect_fail tkt-show 0a000000002b
expect_eq "$STATUS" 1 "not in a desk: exit status"
case $ERR in
*'not in a desk'*)	;;
*)	fail "not in a desk: stderr: $ERR" ;;
esac
expect_fail tkt-show -d ../nowhere 0a000000002b
expect_eq "$STATUS" 1 "-d not a desk: exit status"

# A bad config is fatal: no clock by the wrong limits.
mkdir ../c
printf 'limit 1 30x\n' >../c/config
: >../c/rules
expect_fail tkt-show -d ../c 0a000000002b
expect_eq "$STATUS" 1 "bad config: exit status"
