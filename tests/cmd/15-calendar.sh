#!/bin/sh
# 15-calendar: business calendars end to end.  Worked cases 1 to 5,
# with their exact values: daylight-saving changes
# under 24x7, a week of office hours, a lunch break, a calendar open one
# day a week.  Then: the files do not depend on the sweep's TZ; a rule
# for a client and priority wins and -v names it; a changed config
# changes the next sweep of open tickets and no recorded escalation.

. "$TKT_TESTS/lib.sh"

TKT_NODE=15
export TKT_NODE

# desk NAME CONFIG: a desk with that config and no rules; cd into it.
desk()
{
	mkdesk "$1"
	cd "$1"
	printf '%s\n' "$2" >config
	echo '# none' >rules
}

# enter TIME [tkt-new option...]: a ticket made and routed at TIME
# (RFC 3339); its ID.
enter()
{
	_t=$1
	shift
	_id=$(echo 'Please help.' |
	    tkt-new --now "$_t" -u bob -s calendar "$@" | sed 's,.*/,,')
	tkt-route --now "$_t" "$_id" >/dev/null
	echo "$_id"
}

# sweep TIME: the sweep at TIME; what it printed.
sweep()
{
	tkt-escalate --now "$1"
}

# shows ID TIME DEADLINE: tkt-escalate -v at TIME explains ID's
# deadline as DEADLINE, in the calendar's zone and in UTC.
shows()
{
	TZ=UTC tkt-escalate -n -v --now "$2" "$1" >/dev/null 2>err
	grep -q "deadline $3" err || fail "$1: no \"deadline $3\": $(cat err)"
}

# log ID: the ticket's history after its created and routed lines.
log()
{
	hist "cur/$1" | sed 1,2d
}

# esc UTC TIER LIMIT: the history line of an escalation into TIER.
esc()
{
	echo "$1 escalated by=clock tier=$2 --" \
	    "tier $(($2 - 1)) limit $3 reached without a plan"
}

# ---- 1: Europe/Berlin, 24x7, across the spring change ----------------
desk case1 'calendar berlin Europe/Berlin
hours berlin mon-sun 00:00-24:00
use berlin
limit 1 30m'
A=$(enter 2026-03-29T01:49:00+01:00)
shows "$A" 2026-03-29T03:15:00+02:00 \
    "2026-03-29 03:19 CEST (2026-03-29T01:19:00Z)"
expect_eq "$(sweep 2026-03-29T03:15:00+02:00)" "" "1: sweep at 03:15 CEST"
expect_eq "$(log "$A")" "" "1: history at 03:15 CEST"
expect_eq "$(sweep 2026-03-29T03:20:00+02:00)" "./cur/$A" \
    "1: sweep at 03:20 CEST"
expect_eq "$(log "$A")" "$(esc 2026-03-29T01:19:00Z 2 30m)" \
    "1: escalated at 03:19 CEST"
cd ..

# ---- 2: Europe/London, 24x7, across the autumn change ----------------
desk case2 'calendar london Europe/London
hours london mon-sun 00:00-24:00
use london
limit 1 60m
limit 2 4h'
A=$(enter 2026-10-25T00:20:00+01:00)
shows "$A" 2026-10-25T01:00:00+01:00 \
    "2026-10-25 01:20 BST (2026-10-25T00:20:00Z)"
expect_eq "$(sweep 2026-10-25T01:30:00+01:00)" "./cur/$A" \
    "2: sweep at 01:30 BST"
expect_eq "$(log "$A")" "$(esc 2026-10-25T00:20:00Z 2 1h)" \
    "2: escalated at 01:20 BST"
snap >before
expect_eq "$(sweep 2026-10-25T01:30:00+00:00)" "" "2: sweep at 01:30 GMT"
snap >after
expect_file_eq before after "2: the sweep at 01:30 GMT changed the desk"
cd ..

# ---- 3: Mon-Fri 09:00-18:00, 8 business hours over a weekend ---------
office='calendar office Europe/Berlin
hours office mon-fri 09:00-18:00
use office
limit 1 8h
limit 2 8h'
desk case3 "$office"
A=$(enter 2026-03-06T15:00:00+01:00)
expect_eq "$(sweep 2026-03-09T09:00:00+01:00)" "" "3: sweep Monday 09:00"
shows "$A" 2026-03-09T13:59:00+01:00 \
    "2026-03-09 14:00 CET (2026-03-09T13:00:00Z)"
expect_eq "$(sweep 2026-03-09T13:59:00+01:00)" "" "3: sweep Monday 13:59"
expect_eq "$(log "$A")" "" "3: history at 13:59"
expect_eq "$(sweep 2026-03-09T14:01:00+01:00)" "./cur/$A" \
    "3: sweep Monday 14:01"
expect_eq "$(log "$A")" "$(esc 2026-03-09T13:00:00Z 2 8h)" \
    "3: escalated at 14:00"
cd ..

# ---- 4: a lunch break ------------------------------------------------
desk case4 'calendar lunch Europe/Berlin
hours lunch tue 09:00-13:00 14:00-18:00
use lunch
limit 1 1h'
A=$(enter 2026-05-05T12:30:00+02:00)
expect_eq "$(sweep 2026-05-05T13:45:00+02:00)" "" "4: sweep at 13:45"
shows "$A" 2026-05-05T14:29:00+02:00 \
    "2026-05-05 14:30 CEST (2026-05-05T12:30:00Z)"
expect_eq "$(sweep 2026-05-05T14:29:00+02:00)" "" "4: sweep at 14:29"
expect_eq "$(sweep 2026-05-05T14:31:00+02:00)" "./cur/$A" \
    "4: sweep at 14:31"
expect_eq "$(log "$A")" "$(esc 2026-05-05T12:30:00Z 2 1h)" \
    "4: escalated at 14:30"
cd ..

# ---- 5: open on Tuesdays only ----------------------------------------
desk case5 'calendar tue Europe/Berlin
hours tue tue 08:00-17:00
use tue
limit 1 2h'
A=$(enter 2026-05-06T10:00:00+02:00)
tkt-escalate -n -v --now 2026-05-12T09:59:00+02:00 >out 2>err
expect_eq "$(cat out)" "" "5: sweep at 09:59 on Tuesday"
expect_eq "$(cat err)" "$A: tier 1, limit 2h (config line 4), calendar tue \
(line 3), 1h59m used, deadline 2026-05-12 10:00 CEST \
(2026-05-12T08:00:00Z), not due yet" "5: -v"
expect_eq "$(sweep 2026-05-12T10:00:00+02:00)" "./cur/$A" \
    "5: sweep at 10:00 on Tuesday"
expect_eq "$(log "$A")" "$(esc 2026-05-12T08:00:00Z 2 2h)" \
    "5: escalated at 10:00 on Tuesday"
cd ..

# ---- the sweep's TZ changes nothing in the files ---------------------
#
# One desk with tickets of every calendar above, copied three times
# and swept under three TZs, minute by minute over Monday's working
# hours and then once long after.

desk tz "calendar office Europe/Berlin
hours office mon-fri 09:00-18:00
calendar ny America/New_York
hours ny mon-fri 08:00-12:00 13:00-17:00
holiday ny 2026-03-10
use office
use ny client=us
limit 1 2h
limit 2 3h
limit 3 1h"
enter 2026-03-06T15:00:00+01:00 >/dev/null
enter 2026-03-06T17:30:00+01:00 -c us >/dev/null
enter 2026-03-09T08:00:00+01:00 -c us -p 1 >/dev/null
enter 2026-03-09T10:15:00+01:00 >/dev/null
cd ..
for z in utc ny unset; do
	cp -R tz "tz-$z"
done
m=0
while [ $m -le 600 ]; do
	t=$(printf '2026-03-09T%02d:%02d:00Z' $((8 + m / 60)) $((m % 60)))
	TZ=UTC tkt-escalate -d tz-utc --now "$t" >/dev/null
	TZ=America/New_York tkt-escalate -d tz-ny --now "$t" >/dev/null
	(unset TZ; tkt-escalate -d tz-unset --now "$t" >/dev/null)
	m=$((m + 10))
done
TZ=UTC tkt-escalate -d tz-utc --now 2026-03-20T00:00:00Z >/dev/null
TZ=America/New_York tkt-escalate -d tz-ny --now 2026-03-20T00:00:00Z \
    >/dev/null
(unset TZ; tkt-escalate -d tz-unset --now 2026-03-20T00:00:00Z >/dev/null)
for z in ny unset; do
	diff -r tz-utc/cur "tz-$z/cur" >&2 ||
	    fail "swept under TZ=UTC and $z: the files differ"
done
n=$(cat tz-utc/cur/* | grep -c 'escalated by=clock')
[ "$n" -ge 6 ] || fail "TZ: only $n escalations; the test tests little"

# ---- a contract client: a 24x7 calendar and a limit of 15 minutes ----
desk contract "$office
use 24x7 client=acme
limit 1 15m client=acme priority=1
limit 1 1h client=acme"
A=$(enter 2026-03-06T17:50:00+01:00 -c acme -p 1)
B=$(enter 2026-03-06T17:50:00+01:00 -c acme -p 2)
C=$(enter 2026-03-06T17:50:00+01:00 -p 1)
TZ=UTC tkt-escalate -n -v --now 2026-03-06T18:04:00+01:00 >out 2>err
expect_eq "$(cat out)" "" "contract: sweep at 18:04"
expect_eq "$(grep "^$A: " err)" "$A: tier 1, limit 15m (config line 7), \
calendar 24x7 (line 6), 14m used, deadline 2026-03-06 17:05 UTC \
(2026-03-06T17:05:00Z), not due yet" "contract: -v on priority 1"
expect_eq "$(grep "^$B: " err)" "$B: tier 1, limit 1h (config line 8), \
calendar 24x7 (line 6), 14m used, deadline 2026-03-06 17:50 UTC \
(2026-03-06T17:50:00Z), not due yet" "contract: -v on priority 2"
expect_eq "$(grep "^$C: " err)" "$C: tier 1, limit 8h (config line 4), \
calendar office (line 3), 10m used, deadline 2026-03-09 16:50 CET \
(2026-03-09T15:50:00Z), not due yet" "contract: -v on another client"
expect_eq "$(sweep 2026-03-06T18:05:00+01:00)" "./cur/$A" \
    "contract: sweep at 18:05"
expect_eq "$(log "$A")" "$(esc 2026-03-06T17:05:00Z 2 15m)" \
    "contract: escalated at 18:05"
cd ..

# ---- a changed config: the next sweep, not the records ---------------
desk change "$office"
A=$(enter 2026-03-06T15:00:00+01:00)
expect_eq "$(sweep 2026-03-09T14:01:00+01:00)" "./cur/$A" \
    "change: first sweep"
# Shorter limits and no office hours: open tickets follow at once.
printf 'use 24x7\nlimit 1 4h\nlimit 2 1h\n' >config
expect_eq "$(sweep 2026-03-09T15:01:00+01:00)" "./cur/$A" \
    "change: sweep after the change"
expect_eq "$(log "$A")" "$(esc 2026-03-09T13:00:00Z 2 8h)
$(esc 2026-03-09T14:00:00Z 3 1h)" \
    "change: the recorded escalation stays, the next follows the new rule"
B=$(enter 2026-03-09T17:00:00+01:00)
expect_eq "$(sweep 2026-03-09T20:59:00+01:00)" "" "change: B at 20:59"
expect_eq "$(sweep 2026-03-09T21:01:00+01:00)" "./cur/$B" \
    "change: B at 21:01"
expect_eq "$(log "$B")" "$(esc 2026-03-09T20:00:00Z 2 4h)" \
    "change: B escalated by 24x7 time"
# Back to office hours: nothing recorded moves.
printf '%s\n' "$office" >config
snap >before
expect_eq "$(sweep 2026-03-09T21:02:00+01:00)" "" "change: back to office"
snap >after
expect_file_eq before after "change: going back rewrote a ticket"

# A bad calendar stops the sweep and changes nothing.
printf 'calendar shut Europe/Berlin\nuse shut\n' >config
expect_fail tkt-escalate --now 2026-03-20T00:00:00Z
expect_eq "$ERR" "tkt-escalate: ./config: line 1: calendar \"shut\" \
has no working time" "change: a calendar that never opens"
snap >after
expect_file_eq before after "change: the refused config changed the desk"
