#!/bin/sh
# 11-route: tkt-route by the rules (case, negation, several conditions,
# stop, the body, the default tier), its rules errors, -n and -v, and
# moving tickets by hand.

. "$TKT_TESTS/lib.sh"

TKT_NODE=11
export TKT_NODE

# esc TIME: the history line of the tier 1 limit (30m) running out.
esc()
{
	echo "$1 escalated by=clock tier=2 --" \
	    "tier 1 limit 30m reached without a plan"
}

# mk FROM SUBJECT BODY SECOND: a ticket made at 08:00:SECOND; its ID.
mk()
{
	printf '%s\n' "$3" |
	    tkt-new --now "2026-03-02T08:00:$4Z" -u bob -f "$1" -s "$2" |
	    sed 's,.*/,,'
}

mkdesk desk
cd desk
cat >rules <<'EOF'
# Test rules; the line numbers matter.
match Subject /PRINTER/i
set category printer

match From !/@example\.com$/
set client outside

match Subject /server/
match From /@acme\.example$/
set tier 2
set client acme

match body /^URGENT$/
set priority 1

match Subject /virus/
set tier 3
stop

match Subject /^misc/
set category misc
EOF

p=$(mk bob@example.com 'Printer JAM on the 3rd floor' 'It jams.' 01)
s=$(mk ops@acme.example 'server down' 'Since noon.' 02)
w=$(mk ops@example.com 'server down' 'Ours.' 03)
v=$(mk eve@other.example 'misc: virus found' 'Help.' 04)
u=$(mk bob@example.com 'it broke' "$(printf 'Please.\nURGENT\nThanks.')" 05)
z=$(mk bob@example.com 'hello' 'urgent, not URGENT' 06)
c=$(mk bob@example.com 'CASE' 'Server down.' 07)
expect_eq "$(ls new | wc -l | tr -d ' ')" 7 "tickets made"

# -n: the paths, nothing changed.
snap >before
tkt-route -n --now 2026-03-02T09:00:00Z >out 2>err
expect_eq "$(cat err)" "" "-n: stderr"
expect_eq "$(cat out)" "$(ls new | sed 's,^,./new/,')" "-n: output"
snap >after
expect_file_eq before after "-n changed the desk"

# A rules error names the line, fails, and changes no ticket.
cp rules rules.good
for bad in 'match Subject /a(/' 'mtach Subject /a/' 'set tier 4' \
    'match Subject /a/x' 'set colour red'; do
	{ cat rules.good; echo; echo "$bad"; echo 'set category x'; } >rules
	line=$(($(wc -l <rules.good) + 2))
	expect_fail tkt-route --now 2026-03-02T09:00:00Z
	expect_eq "$STATUS" 1 "rules error '$bad': status"
	case $ERR in
	*"rules: line $line:"*)	;;
	*)	fail "rules error '$bad': want 'rules: line $line': $ERR" ;;
	esac
	expect_fail tkt-route --now 2026-03-02T09:00:00Z - <out
	expect_eq "$STATUS" 1 "rules error '$bad', operands on stdin: status"
	expect_fail tkt-route --now 2026-03-02T09:00:00Z "$p"
	expect_eq "$STATUS" 1 "rules error '$bad', operand: status"
	snap >after
	expect_file_eq before after "rules error '$bad' changed the desk"
done
cp rules.good rules

# -v: which rule matched, and the tier, on stderr.
tkt-route -v --now 2026-03-02T09:00:00Z "$p" "$s" >out 2>err
expect_eq "$(cat out)" "./cur/$p
./cur/$s" "-v: output"
grep -q "rules:2: matched" err || fail "-v: rule 2 not named: $(cat err)"
grep -q "rules:8: matched" err || fail "-v: rule 8 not named: $(cat err)"
grep -q "rules:5: matched" err || fail "-v: rule 5 not named: $(cat err)"
grep -q "rules:1[0-9]: matched" err &&
    fail "-v: names a rule that did not match"
grep -q "$s: tier 2" err || fail "-v: tier of $s not told: $(cat err)"

# The rest: all of new/, in name order.
tkt-route --now 2026-03-02T09:00:00Z >out 2>err
expect_eq "$(cat err)" "" "route: stderr"
expect_eq "$(cat out)" "$(printf './cur/%s\n' "$w" "$v" "$u" "$z" "$c" |
    sort)" "route: output"
expect_eq "$(ls new)" "" "new/ after routing"

# Case-insensitive match; nothing else matched; tier 1 by default.
expect_eq "$(hist "cur/$p")" \
"2026-03-02T08:00:01Z created by=bob
2026-03-02T09:00:00Z routed by=rules:2 tier=1 category=printer" "history of $p"
cat >want <<EOF
From: bob@example.com
Subject: Printer JAM on the 3rd floor
Date: Mon, 02 Mar 2026 08:00:01 +0000
Tkt-Id: $p
Tkt-State: open
Tkt-Tier: 1
Tkt-Category: printer
Tkt-Log: 2026-03-02T08:00:01Z created by=bob
Tkt-Log: 2026-03-02T09:00:00Z routed by=rules:2 tier=1 category=printer

It jams.
EOF
expect_file_eq "cur/$p" want "routed ticket $p"

# Negation, then two conditions, the later rule overriding the client.
expect_eq "$(hist "cur/$s" | sed -n 2p)" \
    "2026-03-02T09:00:00Z routed by=rules:8 tier=2 client=acme" "$s routed"
expect_eq "$(field "cur/$s" Tkt-Tier) $(field "cur/$s" Tkt-Client)" \
    "2 acme" "$s summary"

# Both conditions must hold: a server from example.com stays in tier 1.
expect_eq "$(hist "cur/$w" | sed -n 2p)" \
    "2026-03-02T09:00:00Z routed by=rules tier=1" "$w routed"

# stop: the misc rule after it is not applied.
expect_eq "$(hist "cur/$v" | sed -n 2p)" \
    "2026-03-02T09:00:00Z routed by=rules:16 tier=3 client=outside" \
    "$v routed"
expect_eq "$(field "cur/$v" Tkt-Category)" "" "$v: rule after stop applied"

# The body, a line of it; case matters without i.
expect_eq "$(hist "cur/$u" | sed -n 2p)" \
    "2026-03-02T09:00:00Z routed by=rules:13 tier=1 priority=1" "$u routed"
expect_eq "$(hist "cur/$z" | sed -n 2p)" \
    "2026-03-02T09:00:00Z routed by=rules tier=1" "$z routed"
expect_eq "$(hist "cur/$c" | sed -n 2p)" \
    "2026-03-02T09:00:00Z routed by=rules tier=1" "$c routed"

# Routed tickets are not routed again by the rules, and that is no
# error: cron may have routed a delivered mail before its pipeline did.
snap >before
tkt-route --now 2026-03-02T09:01:00Z "$p" >out 2>err ||
    fail "routing a routed ticket: exit $?: $(cat err)"
expect_eq "$(cat out err)" "" "routing a routed ticket: output"
tkt-route -v --now 2026-03-02T09:01:00Z "$p" >out 2>err
grep -q 'already routed, to tier' err || fail "-v: $(cat err)"
snap >after
expect_file_eq before after "routing a routed ticket changed the desk"

# "-" reads the tickets from stdin, as IDs, prefixes or paths.
n1=$(mk bob@example.com 'one' 'x' 10)
n2=$(mk bob@example.com 'two' 'x' 11)
n3=$(mk bob@example.com 'three' 'x' 12)
printf '%s\n./new/%s\n' "$n1" "$n3" |
    tkt-route --now 2026-03-02T09:05:00Z - >out
expect_eq "$(cat out)" "./cur/$n1
./cur/$n3" "route -: output"
expect_eq "$(ls new)" "$n2" "route -: left in new/"
tkt-route --now 2026-03-02T09:05:00Z - </dev/null >out
expect_eq "$(cat out)" "" "route - with empty stdin"
expect_eq "$(ls new)" "$n2" "route - with empty stdin routed all"

# By hand: a history line with the user and the reason; the clock
# catches up first (tier 1 ran out at 09:30); the same tier is no move.
tkt-route --now 2026-03-02T10:00:00Z -u carol -t 3 \
    -r 'vendor has to look at it' "$p" >out
expect_eq "$(cat out)" "./cur/$p" "-t 3: output"
expect_eq "$(hist "cur/$p")" \
"2026-03-02T08:00:01Z created by=bob
2026-03-02T09:00:00Z routed by=rules:2 tier=1 category=printer
$(esc 2026-03-02T09:30:00Z)
2026-03-02T10:00:00Z routed by=carol tier=3 -- vendor has to look at it" \
    "history after -t 3"
expect_eq "$(field "cur/$p" Tkt-Tier)" 3 "tier after -t 3"
snap >before
tkt-route --now 2026-03-02T10:01:00Z -u carol -t 3 -r again "$p" >out
expect_eq "$(cat out)" "" "-t to the same tier: output"
snap >after
expect_file_eq before after "-t to the same tier changed the desk"

# By hand from new/: routed straight into the tier.
tkt-route --now 2026-03-02T10:02:00Z -u carol -t 2 -r 'known issue' \
    "$n2" >out
expect_eq "$(cat out)" "./cur/$n2" "-t from new/: output"
expect_eq "$(hist "cur/$n2" | sed -n 2p)" \
    "2026-03-02T10:02:00Z routed by=carol tier=2 -- known issue" \
    "-t from new/: history"

# Usage errors: status 2, nothing on stdout, nothing changed.
snap >before
for args in "-t 2" "-r why" "-t 0 -r why" "-t x -r why" "-t 2 -r ''" \
    "-x"; do
	eval "expect_fail tkt-route --now 2026-03-02T10:03:00Z $args $w"
	expect_eq "$STATUS" 2 "tkt-route $args: status"
done
expect_fail tkt-route --now 2026-03-02T10:03:00Z -u carol -t 5 -r why "$w"
expect_eq "$STATUS" 1 "-t beyond the top tier: status"
snap >after
expect_file_eq before after "failed tkt-route changed the desk"

# A closed ticket is refused: status 1, nothing on stdout.
tkt-close --now 2026-03-02T10:04:00Z -u carol -r fixed "$w" >/dev/null
snap >before
expect_fail tkt-route --now 2026-03-02T10:05:00Z -u carol -t 2 -r why "$w"
expect_eq "$STATUS" 1 "routing a closed ticket: status"
case $ERR in
*"$w"*closed*)	;;
*)	fail "routing a closed ticket: message: $ERR" ;;
esac
snap >after
expect_file_eq before after "routing a closed ticket changed the desk"

# One bad operand among good ones: reported, the others moved.
st=0
tkt-route --now 2026-03-02T10:06:00Z -u carol -t 3 -r why \
    "$u" nosuchticket "$z" >out 2>err || st=$?
expect_eq "$st" 1 "a bad operand: status"
expect_eq "$(cat out)" "./cur/$u
./cur/$z" "a bad operand: output"
grep -q nosuchticket err || fail "a bad operand: not named: $(cat err)"
expect_eq "$(field "cur/$u" Tkt-Tier) $(field "cur/$z" Tkt-Tier)" "3 3" \
    "a bad operand stopped the others"

# By hand after an escalation that no sweep has recorded yet: the
# ticket is in tier 2 since 09:30, so -t 1 at 10:00 is a move back to
# tier 1, whether or not a sweep ran in between.
q=$(mk bob@example.com 'back down' 'x' 20)
tkt-route --now 2026-03-02T09:00:00Z "$q" >/dev/null
tkt-route --now 2026-03-02T10:00:00Z -u carol -t 1 \
    -r 'first line can do it' "$q" >out
expect_eq "$(cat out)" "./cur/$q" "-t 1 after an unswept escalation: output"
expect_eq "$(hist "cur/$q" | sed 1,2d)" \
"$(esc 2026-03-02T09:30:00Z)
2026-03-02T10:00:00Z routed by=carol tier=1 -- first line can do it" \
    "-t 1 after an unswept escalation: history"
expect_eq "$(field "cur/$q" Tkt-Tier)" 1 \
    "-t 1 after an unswept escalation: tier"

# And -t 2 then is no move: the clock put the ticket there at 09:30.
r=$(mk bob@example.com 'already up' 'x' 21)
tkt-route --now 2026-03-02T09:00:00Z "$r" >/dev/null
tkt-route --now 2026-03-02T10:00:00Z -u carol -t 2 -r 'up' "$r" >out
expect_eq "$(cat out)" "" "-t 2 after an unswept escalation to 2: output"
tkt-escalate --now 2026-03-02T10:00:00Z >/dev/null
expect_eq "$(hist "cur/$r" | sed 1,2d)" "$(esc 2026-03-02T09:30:00Z)" \
    "-t 2 after an unswept escalation to 2: history"
