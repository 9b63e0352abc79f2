#!/bin/sh
# 50-replay: replay the BPI Challenge 2013 slice into a scratch desk and
# check tkt-report's figures against counts that awk makes straight from
# the CSV, without share/replay's logic.

. "$TKT_TESTS/lib.sh"

root=$TKT_TESTS/..
csv=$root/share/bpic2013/incidents.csv
begin=2012-04-16T00:00:00+01:00
end=2012-05-24T00:00:00+01:00

# From the log: incidents, incidents whose last working row (Accepted,
# Queued or Completed; not Unmatched) is Completed, returns to work
# after a Completed row, and incidents seen in the 2nd or 3rd line.
awk -F, '
NR == 1 {
	next
}
!($1 in last) {
	n++
}
$3 == "Completed" {
	last[$1] = "done"
}
$3 == "Accepted" || $3 == "Queued" {
	if (last[$1] == "done")
		reopened++
	last[$1] = "open"
}
$11 != "L1" {
	up[$1] = 1
}
END {
	for (sr in last)
		if (last[sr] == "done")
			closed++
	for (sr in up)
		high++
	print n + 0, closed + 0, reopened + 0, high + 0
}' "$csv" >counts || fail "awk over $csv"
read opened closed reopened high <counts
expect_eq "$opened $closed $reopened $high" "340 340 87 204" \
    "figures of the slice (share/bpic2013/README)"

mkdesk desk
cp "$root/share/demo/config" "$root/share/demo/rules" desk/ ||
    fail "cannot install the demo config and rules"
sh "$root/share/replay" -i 3600 -d desk "$csv" 2>replay.err ||
    fail "replay: $(cat replay.err)"
tkt-report -d desk -f tsv -b "$begin" -e "$end" >report.tsv ||
    fail "tkt-report -f tsv"

# tkt-report(1)'s tsv: one figure per line, "NAME<tab>VALUE", with
# "opened" the tickets created in the period and "closed" the tickets
# closed at its end whose last close falls in it.
figure()
{
	awk -F '\t' -v k="$1" '$1 == k { print $2 }' report.tsv
}

expect_eq "$(figure opened)" "$opened" "report: opened"
expect_eq "$(figure closed)" "$closed" "report: closed"

expect_eq "$(figure reopened)" "$reopened" "report: reopened"

# Every ticket ends closed.
left=$(tkt-ls -d desk -s open | awk 'END { print NR }')
expect_eq "$left" 0 "tickets left open"

# Per incident, from its ticket: was it put in tier 2 or 3 by the rules
# or by hand (routed), or by the clock (escalated)?  A move by hand to
# the tier the clock has already put a ticket in records nothing, so
# the log's moves show as either.
awk '
FNR == 1 && sr != "" {
	print sr, routed, escalated
}
FNR == 1 {
	sr = ""
	routed = escalated = 0
}
/^X-Vinst-Sr:/ {
	sr = $2
}
/^Tkt-Log:[ \t]*[^ ]+ routed .*tier=[23]/ {
	routed = 1
}
/^Tkt-Log:[ \t]*[^ ]+ escalated .*tier=[23]/ {
	escalated = 1
}
END {
	if (sr != "")
		print sr, routed, escalated
}' desk/closed/cur/* >tiers || fail "awk over the tickets"

# Each incident the log sent to the 2nd or 3rd line got there on the
# desk, and none that stayed in the 1st line was moved up other than by
# the clock.
bad=$(awk -F, -v csv="$csv" -v n="$opened" -v high="$high" '
FILENAME == csv {
	if (FNR > 1 && $11 != "L1")
		up[$1] = 1
	next
}
{
	split($0, f, " ")
	if (up[f[1]] && !f[2] && !f[3])
		print f[1] ": 2nd or 3rd line in the log, not on the desk"
	if (!up[f[1]] && f[2])
		print f[1] ": moved up on the desk, 1st line only in the log"
	if (up[f[1]])
		high--
	n--
}
END {
	if (n != 0 || high != 0)
		print n " incidents and " high " up a line not seen on the desk"
}' "$csv" tiers)
expect_eq "$bad" "" "tiers of the tickets and the log"
