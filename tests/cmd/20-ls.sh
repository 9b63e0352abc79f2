# tkt-ls: selection, -l columns, clock boundaries, operands, bad files,
# bad usage.  The desk is written by hand, so only tkt-ls runs.
. "$TKT_TESTS/lib.sh"

NOW=2026-03-02T09:20:00Z

# desk DIR CONFIG: an empty desk whose config is CONFIG.
desk()
{
	mkdir -p "$1/new" "$1/cur" "$1/closed/cur"
	printf '%s\n' "$2" >"$1/config"
	: >"$1/rules"
}

# ls_is WANT ARG...: tkt-ls ARG..., run in directory $IN, must succeed
# and print WANT.
ls_is()
{
	_want=$1
	shift
	_got=$(cd "$IN" && tkt-ls --now "$NOW" "$@") ||
	    fail "tkt-ls $*: exit $?"
	expect_eq "$_got" "$_want" "tkt-ls $*"
}

desk d 'tiers 3
limit 1 30m
limit 2 1h
limit 3 none'

# Due at 09:30, 10 minutes after NOW.
cat >d/cur/0a000000001a <<'EOF'
From: bob@acme.example
Subject: VPN down
Tkt-Log: 2026-03-02T09:00:00Z created by=bob
Tkt-Log: 2026-03-02T09:00:00Z routed by=rules:3 tier=1 client=acme
 category=network

The VPN is down.
EOF
cat >d/new/0a000000002b <<'EOF'
From: alice@example.com
Subject: Printer jams
Tkt-Log: 2026-03-02T08:50:00Z created by=alice

The printer jams.
EOF
cat >d/cur/0a000000003c <<'EOF'
From: carol@example.com
Subject: New laptop
Tkt-Log: 2026-03-02T07:55:00Z created by=carol
Tkt-Log: 2026-03-02T07:55:00Z routed by=rules tier=2
Tkt-Log: 2026-03-02T08:20:00Z planned by=dave -- order one

I need a laptop.
EOF
cat >d/closed/cur/0a000000004d <<'EOF'
From: frank@acme.example
Subject: Password reset
Tkt-Log: 2026-03-01T10:00:00Z created by=frank
Tkt-Log: 2026-03-01T10:00:00Z routed by=rules tier=1 client=acme
Tkt-Log: 2026-03-01T10:10:00Z closed by=dave -- done

Reset it please.
EOF
# Due at 09:00, so 20 minutes overdue: no sweep has run.
cat >d/cur/0a000000005e <<'EOF'
From: gina@beta.example
Subject: Mail bounces
Tkt-Log: 2026-03-02T08:00:00Z created by=gina
Tkt-Log: 2026-03-02T08:00:00Z routed by=rules tier=2 client=beta
 category=network

Bounces.
EOF
# Tier 3 has no limit.
cat >d/cur/0a000000006f <<'EOF'
From: hal@example.com
Subject: Server room	too warm
Tkt-Log: 2026-03-02T06:00:00Z created by=hal
Tkt-Log: 2026-03-02T06:00:00Z routed by=rules tier=3 category=facility

It is warm.
EOF

# Default: new and open tickets, sorted by ID, as paths.
IN=d
ls_is "./cur/0a000000001a
./new/0a000000002b
./cur/0a000000003c
./cur/0a000000005e
./cur/0a000000006f"

# -l: aligned columns; a tab in a subject becomes a space.
cat >want <<'EOF'
0a000000001a  1  open      10m  VPN down
0a000000002b  -  new         -  Printer jams
0a000000003c  2  open  planned  New laptop
0a000000005e  2  open     -20m  Mail bounces
0a000000006f  3  open        -  Server room too warm
EOF
(cd d && tkt-ls -l --now "$NOW") >got
expect_file_eq got want "tkt-ls -l"

cat >want <<'EOF'
0a000000001a  1  open        10m  VPN down
0a000000002b  -  new           -  Printer jams
0a000000003c  2  open    planned  New laptop
0a000000004d  1  closed        -  Password reset
0a000000005e  2  open       -20m  Mail bounces
0a000000006f  3  open          -  Server room too warm
EOF
tkt-ls -d d -l -s all --now "$NOW" >got
expect_file_eq got want "tkt-ls -l -s all"

# TKT_NOW stands in for --now.
expect_eq "$(TKT_NOW=$NOW tkt-ls -d d -l -t 1)" \
    "0a000000001a  1  open  10m  VPN down" "TKT_NOW"

# -s
ls_is "./new/0a000000002b" -s new
ls_is "./cur/0a000000001a
./cur/0a000000003c
./cur/0a000000005e
./cur/0a000000006f" -s open
ls_is "./closed/cur/0a000000004d" -s closed
ls_is "./new/0a000000002b
./closed/cur/0a000000004d" -s new -s closed
expect_eq "$(tkt-ls -d d -s all --now "$NOW" | wc -l | tr -d ' ')" 6 "-s all"

# -t, -c, -C: exact matches on what the history says.
ls_is "./cur/0a000000003c
./cur/0a000000005e" -t 2
ls_is "" -t 4
ls_is "./cur/0a000000001a" -c acme
ls_is "./cur/0a000000001a
./closed/cur/0a000000004d" -c acme -s all
ls_is "" -c acm
ls_is "./cur/0a000000001a
./cur/0a000000005e" -C network
ls_is "./cur/0a000000005e" -C network -c beta
ls_is "" -C network -t 3

# -o: the clock runs and the deadline is at or before now.
ls_is "./cur/0a000000005e" -o
ls_is "./cur/0a000000001a
./cur/0a000000005e" -o --now 2026-03-02T09:30:00Z
ls_is "./cur/0a000000005e" -o --now 2026-03-02T09:29:59Z
ls_is "" -o --now 2026-03-02T08:59:59Z
ls_is "./cur/0a000000005e" -o --now 2026-03-02T09:00:00Z
expect_eq "$(tkt-ls -d d -l -o --now 2026-03-02T09:30:00Z)" \
"0a000000001a  1  open    0m  VPN down
0a000000005e  2  open  -30m  Mail bounces" "-l at the deadline"
expect_eq "$(tkt-ls -d d -l -o --now 2026-03-02T09:30:01Z)" \
"0a000000001a  1  open     -1s  VPN down
0a000000005e  2  open  -30m1s  Mail bounces" "-l a second late"

# -w: deadline at or before now + DURATION, overdue ones included.
ls_is "./cur/0a000000001a
./cur/0a000000005e" -w 10m
ls_is "./cur/0a000000005e" -w 9m59s
ls_is "./cur/0a000000001a
./cur/0a000000005e" -w 1d
ls_is "./cur/0a000000005e" -w 0m
ls_is "./cur/0a000000001a" -w 10m -c acme

# -a: created at least DURATION before now.
ls_is "./new/0a000000002b
./cur/0a000000003c
./cur/0a000000005e
./cur/0a000000006f" -a 30m
ls_is "./cur/0a000000003c
./cur/0a000000005e
./cur/0a000000006f" -a 30m1s
ls_is "./cur/0a000000006f" -a 3h
ls_is "./closed/cur/0a000000004d" -a 23h20m -s all
ls_is "" -a 23h20m1s -s all
ls_is "" -a 1d

# Operands: IDs, prefixes, paths; all states unless -s is given.
ls_is "./closed/cur/0a000000004d
./cur/0a000000005e" 0a000000005e 0a000000004d
ls_is "./closed/cur/0a000000004d" ./closed/cur/0a000000004d
ls_is "./cur/0a000000003c" 0a000000003
ls_is "" -s open 0a000000004d
ls_is "./cur/0a000000005e" -o 0a000000001a 0a000000005e
ls_is "./cur/0a000000001a
./cur/0a000000006f" - <<'EOF'
0a000000006f

cur/0a000000001a
EOF
ls_is "./new/0a000000002b
./cur/0a000000006f" 0a000000006f - <<'EOF'
0a000000002b
EOF
(cd d && tkt-ls 0a000000004d 0a00 0a000000009z) >out 2>err &&
    fail "bad operands: exit 0"
expect_eq "$(cat out)" "./closed/cur/0a000000004d" "bad operands: stdout"
grep -q '0a00: ambiguous' err || fail "ambiguous prefix not reported"
grep -q '0a000000009z: no such ticket' err || fail "unknown ID not reported"

# The desk is found from -d, TKTDESK, or a parent directory.
IN=.
ls_is "d/new/0a000000002b" -d d -s new
expect_eq "$(TKTDESK=d tkt-ls -s new)" "d/new/0a000000002b" "TKTDESK"
expect_eq "$(cd d/cur && tkt-ls -s new)" "../new/0a000000002b" "parent"
expect_eq "$(TKTDESK=nowhere tkt-ls -d d -s new)" "d/new/0a000000002b" \
    "-d over TKTDESK"

# A desk's history wins over the directory the file is in: a closed
# ticket left in cur/ by a crash is closed.
cp d/closed/cur/0a000000004d d/cur/0a000000007g
ls_is "" -d d -s open 0a000000007g
ls_is "d/cur/0a000000007g" -d d -s closed 0a000000007g
ls_is "d/closed/cur/0a000000004d
d/cur/0a000000007g" -d d -s closed
ls_is "d/cur/0a000000005e" -d d -o -s all
rm d/cur/0a000000007g

# Breached in the top tier: still overdue, by the time beyond the limit.
desk b 'limit 3 4h'
cat >b/cur/0b000000001a <<'EOF'
From: eve@example.com
Subject: Server on fire
Tkt-Log: 2026-03-02T03:00:00Z created by=eve
Tkt-Log: 2026-03-02T03:00:00Z routed by=rules tier=3
Tkt-Log: 2026-03-02T07:00:00Z breached by=clock tier=3 -- tier 3 limit
 4h reached without a plan

Smoke.
EOF
ls_is "0b000000001a  3  open  -2h20m  Server on fire" -d b -l -o
ls_is "b/cur/0b000000001a" -d b -w 0m

# Bad ticket files are reported by name and skipped; the rest is listed.
cp -R d bad
printf 'From: x\nSubject: no blank line\n' >bad/cur/0a000000007g
printf '\001\002\377\000junk\n\njunk\n' >bad/cur/0a000000008h
dd if=/dev/zero bs=1024 count=2048 2>/dev/null | tr '\0' x \
    >bad/new/0a000000009j
printf 'From: x\nTkt-Log: yesterday created\n\n' >bad/cur/0a00000000ak
printf '' >bad/cur/0a00000000bm
printf 'Subject: Bell\a and escape\033[2J\nTkt-Log: %s\n\n' \
    '2026-03-02T09:00:00Z created by=x' >bad/new/0a00000000cn
mkdir bad/cur/0a00000000dp
: >bad/cur/.hidden
STATUS=0
tkt-ls -d bad -l --now "$NOW" >got 2>err || STATUS=$?
expect_eq "$STATUS" 1 "bad files: exit status"
cat >want <<'EOF'
0a000000001a  1  open      10m  VPN down
0a000000002b  -  new         -  Printer jams
0a000000003c  2  open  planned  New laptop
0a000000005e  2  open     -20m  Mail bounces
0a000000006f  3  open        -  Server room too warm
0a00000000cn  -  new         -  Bell? and escape?[2J
EOF
expect_file_eq got want "bad files: stdout"
for f in cur/0a000000007g cur/0a000000008h new/0a000000009j \
    cur/0a00000000ak cur/0a00000000bm cur/0a00000000dp; do
	grep -q "^tkt-ls: bad/$f: " err || fail "bad/$f not reported"
done
expect_eq "$(wc -l <err | tr -d ' ')" 6 "one line per bad file"
grep -q 'bad/cur/0a000000007g: no blank line after the headers$' err ||
    fail "missing blank line: wrong message"
grep -q 'bad/new/0a000000009j: line 1: header line too long$' err ||
    fail "endless line: wrong message"

# closed/cur is read only when closed tickets are asked for.
printf 'junk\n' >bad/closed/cur/0a00000000eq
tkt-ls -d bad -s new >/dev/null 2>err || :
expect_eq "$(grep -c closed err || :)" 0 "-s new read closed/"
tkt-ls -d bad -s closed >/dev/null 2>err && fail "closed junk: exit 0"
grep -q 'bad/closed/cur/0a00000000eq: ' err || fail "closed junk not reported"

# Bad usage: exit 2, nothing on stdout, usage on stderr.
for args in "-s bogus" "-s" "-t 0" "-t 10" "-t x" "-t 1x" "-w none" \
    "-w 1h30" "-w -5m" "-a" "-a 5x" "-x" "-d" "--now" "--now tomorrow" \
    "-l -q"; do
	# shellcheck disable=SC2086
	expect_fail tkt-ls -d d $args
	expect_eq "$STATUS" 2 "tkt-ls $args: exit status"
done
expect_fail tkt-ls -d d -s bogus
case $ERR in
*'bad state "bogus"'*'usage: tkt-ls '*)	;;
*)	fail "-s bogus: stderr: $ERR" ;;
esac
expect_fail env TKT_NOW=never tkt-ls -d d
expect_eq "$STATUS" 2 "bad TKT_NOW"

# Not in a desk.
mkdir empty
(
	cd empty
	expect_fail tkt-ls
	expect_eq "$STATUS" 1 "not in a desk: exit status"
	case $ERR in
	*'not in a desk'*)	;;
	*)	fail "not in a desk: stderr: $ERR" ;;
	esac
)
expect_fail tkt-ls -d empty
expect_eq "$STATUS" 1 "-d not a desk: exit status"
expect_fail tkt-ls -d no/such/dir
expect_eq "$STATUS" 1 "-d missing: exit status"

# A bad config is fatal: no listing by the wrong limits.
desk c 'limit 1 30x'
expect_fail tkt-ls -d c
expect_eq "$STATUS" 1 "bad config: exit status"

# An empty desk, and one whose directories git did not keep.
ls_is "" -d b -s new
mkdir bare
printf '' >bare/config
: >bare/rules
ls_is "" -d bare -s all
