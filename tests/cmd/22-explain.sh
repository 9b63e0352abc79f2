#!/bin/sh
# 22-explain: tkt-escalate -v with tickets named prints the accounting
# of the current tier visit after its one-line summary: the stretches
# counted, the closed hours skipped, the pauses, and the deadline in the
# calendar's zone and in UTC.  Worked cases 3 and 7, exactly; the
# process's TZ changes nothing; a sweep of the whole desk stays terse.

. "$TKT_TESTS/lib.sh"

TKT_NODE=18
export TKT_NODE

# desk NAME CONFIG: a desk with that config and no rules; cd into it.
desk()
{
	mkdesk "$1"
	cd "$1"
	printf '%s\n' "$2" >config
	echo '# none' >rules
}

# enter TIME: a ticket made and routed at TIME (RFC 3339); its ID.
enter()
{
	_id=$(echo 'Please help.' | tkt-new --now "$1" -u bob -s explain |
	    sed 's,.*/,,')
	tkt-route --now "$1" "$_id" >/dev/null
	echo "$_id"
}

# ---- case 3: Mon-Fri 09:00-18:00, 8h over a weekend ------------------
desk case3 'calendar office Europe/Berlin
hours office mon-fri 09:00-18:00
use office
limit 1 8h'
A=$(enter 2026-03-06T15:00:00+01:00)
tkt-escalate -n -v --now 2026-03-09T14:01:00+01:00 "$A" >out 2>err
expect_eq "$(cat out)" "./cur/$A" "3: -n -v at 14:01: output"
cat >want <<EOF2
$A: tier 1, limit 8h (config line 4), calendar office (line 3), 8h1m used, deadline 2026-03-09 14:00 CET (2026-03-09T13:00:00Z), due
$A:   tier 1 visit since Fri 2026-03-06 15:00 CET, calendar office in Europe/Berlin
$A:   counted  Fri 2026-03-06 15:00 CET to Fri 2026-03-06 18:00 CET, 3h
$A:   skipped  Fri 2026-03-06 18:00 CET to Mon 2026-03-09 09:00 CET, closed hours
$A:   counted  Mon 2026-03-09 09:00 CET to Mon 2026-03-09 14:00 CET, 5h
$A:   deadline Mon 2026-03-09 14:00 CET (2026-03-09T13:00:00Z)
EOF2
expect_file_eq err want "3: the accounting at 14:01"
for tz in UTC America/New_York; do
	TZ=$tz tkt-escalate -n -v --now 2026-03-09T14:01:00+01:00 "$A" \
	    >out 2>err
	expect_file_eq err want "3: the accounting under TZ=$tz"
done

# Before the deadline, the rest of the count is shown to come.
tkt-escalate -n -v --now 2026-03-09T13:59:00+01:00 "$A" >out 2>err
expect_eq "$(cat out)" "" "3: -n -v at 13:59: output"
expect_eq "$(sed 1,4d err)" "\
$A:   counted  Mon 2026-03-09 09:00 CET to Mon 2026-03-09 13:59 CET, 4h59m
$A:   to count Mon 2026-03-09 13:59 CET to Mon 2026-03-09 14:00 CET, 1m
$A:   deadline Mon 2026-03-09 14:00 CET (2026-03-09T13:00:00Z)" \
    "3: the accounting at 13:59"

# A sweep of the whole desk prints the summary only.
tkt-escalate -n -v --now 2026-03-09T13:59:00+01:00 >out 2>err
expect_eq "$(wc -l <err | tr -d ' ')" 1 "3: -v without tickets"
cd ..

# ---- case 7: Mon-Fri 09:00-17:00, a wait over the weekend ------------
desk case7 'calendar office Europe/Berlin
hours office mon-fri 09:00-17:00
use office
limit 1 8h'
A=$(enter 2026-05-08T13:00:00+02:00)
tkt-wait --now 2026-05-08T15:00:00+02:00 -m 'asked for logs' "$A" \
    >/dev/null
tkt-escalate -n -v --now 2026-05-09T10:00:00+02:00 "$A" >out 2>err
expect_eq "$(sed 1,3d err)" "\
$A:   paused   Fri 2026-05-08 15:00 CEST to Sat 2026-05-09 10:00 CEST, waiting, still
$A:   no deadline" "7: the accounting while waiting"
tkt-resume --now 2026-05-11T11:00:00+02:00 -m 'logs sent' "$A" >/dev/null
tkt-escalate -n -v --now 2026-05-11T17:00:00+02:00 "$A" >out 2>err
expect_eq "$(cat out)" "./cur/$A" "7: -n -v at 17:00: output"
cat >want <<EOF2
$A: tier 1, limit 8h (config line 4), calendar office (line 3), 8h used, deadline 2026-05-11 17:00 CEST (2026-05-11T15:00:00Z), due
$A:   tier 1 visit since Fri 2026-05-08 13:00 CEST, calendar office in Europe/Berlin
$A:   counted  Fri 2026-05-08 13:00 CEST to Fri 2026-05-08 15:00 CEST, 2h
$A:   paused   Fri 2026-05-08 15:00 CEST to Mon 2026-05-11 11:00 CEST, waiting until resumed
$A:   counted  Mon 2026-05-11 11:00 CEST to Mon 2026-05-11 17:00 CEST, 6h
$A:   deadline Mon 2026-05-11 17:00 CEST (2026-05-11T15:00:00Z)
EOF2
expect_file_eq err want "7: the accounting at 17:00"
cd ..

# ---- 24x7: one stretch, nothing skipped ------------------------------
desk always 'limit 1 30m'
A=$(enter 2026-12-01T09:00:00Z)
TZ=UTC tkt-escalate -n -v --now 2026-12-01T09:10:00Z "$A" >out 2>err
expect_eq "$(sed 1d err)" "\
$A:   tier 1 visit since Tue 2026-12-01 09:00 UTC, calendar 24x7
$A:   counted  Tue 2026-12-01 09:00 UTC to Tue 2026-12-01 09:10 UTC, 10m
$A:   to count Tue 2026-12-01 09:10 UTC to Tue 2026-12-01 09:30 UTC, 20m
$A:   deadline Tue 2026-12-01 09:30 UTC (2026-12-01T09:30:00Z)" \
    "24x7: the accounting"
