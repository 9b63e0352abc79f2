#!/bin/sh
# 19-case6: worked case 6 end to end.  Under 24x7, tier 1 limit 2h
# and tier 2 limit 1h, a ticket made at 09:00 in tier 1 and moved to
# tier 2 by hand at 10:30 is escalated to tier 3 at 11:30 by a sweep at
# 11:31, not by one at 11:00, and the report counts 1h30m in tier 1 and
# 1h in tier 2.

. "$TKT_TESTS/lib.sh"

TKT_NODE=19
export TKT_NODE
TZ=UTC
export TZ

mkdesk desk
cd desk
cat >config <<'CONF'
tiers 3
limit 1 2h
limit 2 1h
limit 3 4h
CONF
echo '# none' >rules

A=$(echo 'The VPN drops.' |
    tkt-new --now 2026-12-01T09:00:00Z -u alice -s 'VPN drops' |
    sed 's,.*/,,')
expect_eq "$(tkt-route --now 2026-12-01T09:00:00Z "$A")" "./cur/$A" \
    "routed at 09:00"
expect_eq "$(tkt-route --now 2026-12-01T10:30:00Z -u bob -t 2 \
    -r 'needs the network team' "$A")" "./cur/$A" "moved at 10:30"

snap >before
TZ=UTC tkt-escalate -n -v --now 2026-12-01T11:00:00Z "$A" >/dev/null 2>err
grep -q 'deadline 2026-12-01 11:30 UTC (2026-12-01T11:30:00Z)' err ||
    fail "-v at 11:00 does not show the 11:30 deadline: $(cat err)"
expect_eq "$(tkt-escalate --now 2026-12-01T11:00:00Z)" "" "sweep at 11:00"
snap >after
expect_file_eq before after "the sweep at 11:00 changed the desk"

expect_eq "$(tkt-escalate --now 2026-12-01T11:31:00Z)" "./cur/$A" \
    "sweep at 11:31"
expect_eq "$(hist "cur/$A" | sed 1,3d)" "2026-12-01T11:30:00Z escalated \
by=clock tier=3 -- tier 2 limit 1h reached without a plan" \
    "escalated to tier 3 at 11:30"
expect_eq "$(field "cur/$A" Tkt-Tier)" 3 "the tier after the sweep"

tkt-report --now 2026-12-01T12:00:00Z -b 2026-12-01T00:00:00Z >out ||
    fail "tkt-report failed"
expect_eq "$(sed -n '/^Tier  *Open/,/^$/p' out)" \
"Tier     Open  Escalated  Breached    Visits  Median        90th pct
1           0          0         0         1  1h30m         1h30m
2           0          1         0         1  1h            1h
3           1          0         0         0  -             -" \
    "the report's time in tier"
tkt-report --now 2026-12-01T12:00:00Z -b 2026-12-01T00:00:00Z -f tsv \
    >out || fail "tkt-report -f tsv failed"
expect_eq "$(grep '^time' out)" "time	1	1	5400	5400	5400
time	2	1	3600	3600	3600
time	3	0	-	-	0" "the report's time in tier, tsv"
