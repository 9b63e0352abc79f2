# tkt-report: every figure, exactly, on hand-written histories.
. "$TKT_TESTS/lib.sh"

TZ=UTC
export TZ
now=2026-12-03T00:00:00Z
day="-b 2026-12-01T00:00:00Z -e 2026-12-02T00:00:00Z"

mkdir -p desk/new desk/cur desk/closed/cur
: >desk/rules
cat >desk/config <<'CONF'
tiers 3
limit 1 2h
limit 2 1h
limit 3 4h
cost 1 20
cost 2 40
cost 3 80
recur 2
CONF

# ticket DIR ID SUBJECT: a ticket whose Tkt-Log values come on stdin,
# in the desk $tdesk, desk by default.
ticket()
{
	{
		printf 'From: user@example.com\nSubject: %s\n' "$3"
		sed 's/^/Tkt-Log: /'
		printf '\nThe body is never read.\n'
	} >"${tdesk:-desk}/$1/$2"
}

report()
{
	tkt-report -d desk --now "$now" "$@"
}

# A: 1h30m in tier 1, moved by hand to tier 2, 1h there, escalated by
# the clock to tier 3, where it breaches; open at the end.
ticket cur aaaa00000001 'VPN drops every 5 minutes' <<'LOG'
2026-12-01T09:00:00Z created by=alice
2026-12-01T09:00:00Z routed by=rules:1 tier=1 category=vpn
2026-12-01T10:30:00Z routed by=bob tier=2 -- needs the network team
2026-12-01T11:30:00Z escalated by=clock tier=3 -- tier 2 limit 1h reached without a plan
2026-12-01T15:30:00Z breached by=clock tier=3 -- tier 3 limit 4h reached without a plan
LOG
# B: resolved in tier 1; its tier 1 visit begins when it is routed,
# 08:10, not at its receipt: 30m.
ticket closed/cur aaaa00000002 'Printer jams' <<'LOG'
2026-12-01T08:00:00Z created by=bob
2026-12-01T08:10:00Z routed by=rules:2 tier=1 category=printer
2026-12-01T08:40:00Z closed by=carol -- cleared
LOG
# C: escalated from tier 1, closed in tier 2; a MIME encoded subject.
ticket closed/cur aaaa00000003 '=?UTF-8?Q?Re=3A_VPN_drops_every_7?= minutes' <<'LOG'
2026-12-01T12:00:00Z created by=dave
2026-12-01T12:00:00Z routed by=rules:1 tier=1 category=vpn
2026-12-01T14:00:00Z escalated by=clock tier=2 -- tier 1 limit 2h reached without a plan
2026-12-01T14:30:00Z closed by=erin -- new router
LOG
# D: opened and closed the day before, reopened and closed again.
ticket closed/cur aaaa00000004 'Printer jams' <<'LOG'
2026-11-30T10:00:00Z created by=bob
2026-11-30T10:00:00Z routed by=rules:2 tier=1 category=printer
2026-11-30T11:00:00Z closed by=carol -- cleared
2026-12-01T09:00:00Z reopened by=bob -- jams again
2026-12-01T10:00:00Z closed by=carol -- new roller
LOG
# E: received, not routed.
ticket new aaaa00000005 'Hello' <<'LOG'
2026-12-01T20:00:00Z created by=frank
LOG
# F: created after the end; not counted at all.
ticket closed/cur aaaa00000006 'Printer jams' <<'LOG'
2026-12-02T01:00:00Z created by=bob
2026-12-02T01:00:00Z routed by=rules:2 tier=1 category=printer
2026-12-02T01:30:00Z escalated by=clock tier=2 -- tier 1 limit 2h reached without a plan
2026-12-02T02:00:00Z closed by=carol -- cleared
LOG
# G: routed straight to tier 2; closed only after the end.
ticket closed/cur aaaa00000007 'Server down' <<'LOG'
2026-12-01T22:00:00Z created by=gina
2026-12-01T22:00:00Z routed by=rules:3 tier=2 category=server
2026-12-01T22:10:00Z planned by=hal -- restart
2026-12-02T03:00:00Z closed by=hal -- restarted
LOG
# H: closed, then reopened before the end: open in tier 1.
ticket cur aaaa00000008 'Printer jams' <<'LOG'
2026-12-01T06:00:00Z created by=bob
2026-12-01T06:00:00Z routed by=rules:2 tier=1 category=printer
2026-12-01T07:00:00Z closed by=carol -- cleared
2026-12-01T07:30:00Z reopened by=bob -- not really
LOG
# I: escalated twice, closed in tier 3.
ticket closed/cur aaaa00000009 'Printer jams' <<'LOG'
2026-12-01T13:00:00Z created by=ivy
2026-12-01T13:00:00Z routed by=rules:2 tier=1 category=printer
2026-12-01T15:00:00Z escalated by=clock tier=2 -- tier 1 limit 2h reached without a plan
2026-12-01T16:00:00Z escalated by=clock tier=3 -- tier 2 limit 1h reached without a plan
2026-12-01T16:10:00Z planned by=jim -- new fuser
2026-12-01T17:00:00Z closed by=jim -- fuser replaced
LOG
# J: escalated, planned, open in tier 2; the tag goes from the subject.
ticket cur aaaa0000000a '[ACME] Printer  jams' <<'LOG'
2026-12-01T01:00:00Z created by=kim
2026-12-01T01:00:00Z routed by=rules:2 tier=1 category=printer
2026-12-01T03:00:00Z escalated by=clock tier=2 -- tier 1 limit 2h reached without a plan
2026-12-01T03:30:00Z planned by=carol -- replace the fuser
LOG
# K: escalated, closed in tier 2.
ticket closed/cur aaaa0000000b "Laptop won't boot" <<'LOG'
2026-12-01T05:00:00Z created by=lee
2026-12-01T05:00:00Z routed by=rules:1 tier=1 category=vpn
2026-12-01T07:00:00Z escalated by=clock tier=2 -- tier 1 limit 2h reached without a plan
2026-12-01T07:45:00Z closed by=erin -- reinstalled
LOG
# L: escalated the day before; its 12h tier 2 visit ends in the day.
ticket closed/cur aaaa0000000c "Laptop won't boot" <<'LOG'
2026-11-30T12:00:00Z created by=lee
2026-11-30T12:00:00Z routed by=rules:4 tier=1 category=network
2026-11-30T14:00:00Z escalated by=clock tier=2 -- tier 1 limit 2h reached without a plan
2026-11-30T14:30:00Z planned by=erin -- new disk
2026-12-01T02:00:00Z closed by=erin -- new disk
LOG
# M: moved by hand to tier 2 and back; moves are not escalations.
ticket closed/cur aaaa0000000d 'Mail bounces' <<'LOG'
2026-12-01T18:00:00Z created by=mo
2026-12-01T18:00:00Z routed by=rules:5 tier=1 category=email
2026-12-01T18:20:00Z routed by=bob tier=2 -- mail server
2026-12-01T18:50:00Z routed by=dave tier=1 -- only the client
2026-12-01T19:00:00Z closed by=bob -- fixed the client
LOG

# The day, every figure.  Tier 1 visits: 10m 20m 30m 1h 1h 1h30m 2h 2h
# 2h 2h, so the median (5th) is 1h and the 90th percentile (9th) 2h.
# Tier 2: 30m 30m 45m 1h 1h 12h.  Tier 3: I's 1h.  Each visit costs
# its tier's cost: 10 x 20, 6 x 40 and 1 x 80.
cat >day.tsv <<'TSV'
desk	desk
period	2026-12-01T00:00:00Z	2026-12-02T00:00:00Z
calendar	24x7	-
opened	10
closed	7
reopened	2
new	1
open	1	1
open	2	2
open	3	1
escalations	1	4
escalations	2	2
escalations	3	0
breaches	1	0
breaches	2	0
breaches	3	1
time	1	10	3600	7200	45000
time	2	6	2700	43200	56700
time	3	1	3600	3600	3600
ftr	7	2	28.6
cost	1	10	200.00
cost	2	6	240.00
cost	3	1	80.00
cost-total	17	520.00
loop	category	vpn	3	aaaa00000001	aaaa00000003	aaaa0000000b
loop	category	printer	2	aaaa00000009	aaaa0000000a
loop	subject	printer jams	2	aaaa00000009	aaaa0000000a
loop	subject	vpn drops every # minutes	2	aaaa00000001	aaaa00000003
TSV
report $day -f tsv >out || fail "tkt-report -f tsv failed"
expect_file_eq out day.tsv "the day's figures"

# The end defaults to now.
tkt-report -d desk --now 2026-12-02T00:00:00Z -b 2026-12-01T00:00:00Z \
    -f tsv >out || fail "tkt-report without -e failed"
expect_file_eq out day.tsv "the end defaults to now"

# The beginning defaults to the earliest event: D's receipt.
report -e 2026-12-02T00:00:00Z -f tsv >out || fail "without -b failed"
expect_eq "$(sed -n '2p;4,5p' out)" "period	2026-11-30T10:00:00Z	2026-12-02T00:00:00Z
opened	12
closed	7" "the beginning defaults to the first event"

# Boundaries: an event at the beginning is in, one at the end is out.
# A's escalation at 11:30 has not happened; its tier 2 visit goes on.
cat >want <<'TSV'
desk	desk
period	2026-12-01T09:00:00Z	2026-12-01T11:30:00Z
calendar	24x7	-
opened	1
closed	1
reopened	1
new	0
open	1	1
open	2	2
open	3	0
escalations	1	0
escalations	2	0
escalations	3	0
breaches	1	0
breaches	2	0
breaches	3	0
time	1	2	3600	5400	9000
time	2	0	-	-	0
time	3	0	-	-	0
ftr	1	1	100.0
cost	1	2	40.00
cost	2	0	0.00
cost	3	0	0.00
cost-total	2	40.00
TSV
report -b 2026-12-01T09:00:00Z -e 2026-12-01T11:30:00Z -f tsv >out ||
    fail "tkt-report of the morning failed"
expect_file_eq out want "the period's boundaries"

# The text form, for A alone: 1h30m in tier 1 and 1h in tier 2.
cat >want <<'TXT'
Desk desk, from 2026-12-01 00:00 UTC to 2026-12-02 00:00 UTC.
Times are business time, each ticket under its calendar (desk: 24x7).

Opened                     1
Closed                     0
Resolved in tier 1         0
Reopened                   0
New, not routed            0

Tier     Open  Escalated  Breached    Visits  Median        90th pct
1           0          0         0         1  1h30m         1h30m
2           0          1         0         1  1h            1h
3           1          0         1         0  -             -

Tier     Visits   Per visit          Cost
1            1       20.00         20.00
2            1       40.00         40.00
3            0       80.00          0.00
All          2                     60.00

Escalated tickets by recurring problem (2 or more): none
TXT
report $day aaaa00000001 >out || fail "tkt-report aaaa00000001 failed"
expect_file_eq out want "the text report of one ticket"

# Tickets named on standard input, by ID or by path.
cat >want <<'TSV'
desk	desk
period	2026-12-01T00:00:00Z	2026-12-02T00:00:00Z
calendar	24x7	-
opened	2
closed	1
reopened	0
new	0
open	1	0
open	2	0
open	3	1
escalations	1	1
escalations	2	1
escalations	3	0
breaches	1	0
breaches	2	0
breaches	3	1
time	1	2	5400	7200	12600
time	2	2	2700	3600	6300
time	3	0	-	-	0
ftr	1	0	0.0
cost	1	2	40.00
cost	2	2	80.00
cost	3	0	0.00
cost-total	4	120.00
loop	category	vpn	2	aaaa00000001	aaaa0000000b
TSV
printf 'desk/cur/aaaa00000001\naaaa0000000b\n' |
    report $day -f tsv - >out || fail "tkt-report - failed"
expect_file_eq out want "tickets from standard input"

# The threshold comes from the config; no costs, no cost section.
sed 's/^recur 2/recur 3/; /^cost/d' desk/config >config.new
mv config.new desk/config
report $day -f tsv >out || fail "tkt-report with recur 3 failed"
expect_eq "$(grep -c '^cost' out)" 0 "cost lines without costs"
expect_eq "$(grep '^loop' out)" \
    "loop	category	vpn	3	aaaa00000001	aaaa00000003	aaaa0000000b" \
    "the loop with recur 3"
report $day >out || fail "tkt-report text with recur 3 failed"
expect_eq "$(sed -n '/^Escalated/,$p' out)" \
    "Escalated tickets by recurring problem (3 or more):
3 with category \"vpn\":
    aaaa00000001 aaaa00000003 aaaa0000000b" "the text loop with recur 3"
report $day -f tsv >good || fail "tkt-report with recur 3 failed"

# A bad ticket is reported and skipped; the rest is still reported.
printf 'Subject: broken\nTkt-Log: 2026-12-01T10:00:00Z routed by=x\n\n' \
    >desk/cur/bbbb00000001
STATUS=0
report $day -f tsv >out 2>err || STATUS=$?
expect_eq "$STATUS" 1 "exit status with a bad ticket"
grep -q 'bbbb00000001: history does not start with created' err ||
    fail "no message about the bad ticket: $(cat err)"
expect_file_eq out good "the report beside a bad ticket"
STATUS=0
report $day -f tsv aaaa00000001 nosuchticket >out 2>err || STATUS=$?
expect_eq "$STATUS" 1 "exit status with an unknown ticket"
grep -q 'nosuchticket: no such ticket' err ||
    fail "no message about the unknown ticket: $(cat err)"
expect_eq "$(sed -n 4p out)" "opened	1" "the known ticket still counted"
rm desk/cur/bbbb00000001

# Closed before it was routed: resolved in tier 1, but it never entered
# a tier, so it made no visit.
ticket closed/cur aaaa0000000e 'Spam' <<'LOG'
2026-12-01T10:00:00Z created by=spammer
2026-12-01T10:10:00Z closed by=bob -- spam
LOG
report $day -f tsv aaaa0000000e >out || fail "tkt-report of spam failed"
expect_eq "$(grep '^time	1\|^ftr\|^new' out)" "new	0
time	1	0	-	-	0
ftr	1	1	100.0" "a ticket closed before it was routed"

# Closed unrouted, reopened, routed at 10:30: its one visit, of 30m,
# begins at the routing, not at the receipt or the reopen.
ticket closed/cur aaaa0000000f 'Spam?' <<'LOG'
2026-12-01T10:00:00Z created by=spammer
2026-12-01T10:10:00Z closed by=bob -- spam
2026-12-01T10:20:00Z reopened by=bob -- not spam after all
2026-12-01T10:30:00Z routed by=rules tier=1
2026-12-01T11:00:00Z closed by=bob -- answered
LOG
report $day -f tsv aaaa0000000f >out || fail "tkt-report of aaaa0000000f"
expect_eq "$(grep '^time	1\|^ftr\|^reopened' out)" "reopened	1
time	1	1	1800	1800	1800
ftr	1	1	100.0" "a ticket routed only after a reopen"

# Each ticket's time counts by the calendar that rules it: office
# hours in Berlin for the desk, 24x7 for the client acme.  P spends
# Friday 15:00 to Monday 14:00 in tier 1, 71 hours of wall time but 8
# business hours, then 1h in tier 2.  Q, acme's, spends 2h of Saturday
# in tier 1, which counts under 24x7.
mkdir -p cal/new cal/cur cal/closed/cur
: >cal/rules
cat >cal/config <<'CONF'
tiers 3
limit 1 8h
calendar office Europe/Berlin
hours office mon-fri 09:00-18:00
use office
use 24x7 client=acme
recur 2
CONF
tdesk=cal
ticket closed/cur cccc00000001 Slow <<'LOG'
2026-03-06T14:00:00Z created by=alice
2026-03-06T14:00:00Z routed by=rules tier=1
2026-03-09T13:00:00Z escalated by=clock tier=2 -- tier 1 limit 8h reached without a plan
2026-03-09T14:00:00Z closed by=bob -- done
LOG
ticket closed/cur cccc00000002 Down <<'LOG'
2026-03-07T10:00:00Z created by=carol client=acme
2026-03-07T10:00:00Z routed by=rules tier=1
2026-03-07T12:00:00Z closed by=bob -- done
LOG
tdesk=
tkt-report -d cal -b 2026-03-06T00:00:00Z -e 2026-03-10T00:00:00Z -f tsv \
    >out || fail "tkt-report of the calendar desk failed"
expect_eq "$(grep '^calendar\|^time' out)" "calendar	office	Europe/Berlin
time	1	2	7200	28800	36000
time	2	1	3600	3600	3600
time	3	0	-	-	0" "time in tier by each ticket's calendar"
tkt-report -d cal -b 2026-03-06T00:00:00Z -e 2026-03-10T00:00:00Z >out ||
    fail "tkt-report text of the calendar desk failed"
expect_eq "$(sed -n 2p out)" "Times are business time, each ticket under \
its calendar (desk: office, Europe/Berlin)." "the text report's header"
expect_eq "$(sed -n '/^1 /p;/^2 /p' out)" \
"1           0          1         0         2  2h            8h
2           0          0         0         1  1h            1h" \
    "the text report's tiers under calendars"

# Usage errors: exit 2, nothing on stdout.
for args in '-f xml' '-b yesterday' '-e 2026-13-01' '-x' \
    '-b 2026-12-02 -e 2026-12-01' '-b 2026-12-01 -e 2026-12-01' \
    '-b 2026-12-04' '-f'; do
	expect_fail report $args
	expect_eq "$STATUS" 2 "exit status of tkt-report $args"
done
expect_fail tkt-report -d nodesk
expect_eq "$STATUS" 1 "exit status without a desk"
