#!/bin/sh
# calendar.sh: the cost of business time.  Times a dry sweep
# (tkt-escalate -n) of a desk of N open tickets under a business
# calendar against the same sweep under 24x7, alternating the two, and
# prints the medians and their ratio.  Goal: ratio <= 1.2.
#
# Usage: sh tests/bench/calendar.sh [N [RUNS]]; bin/ must be built.
set -eu
n=${1:-100000}
runs=${2:-5}
top=$(cd "$(dirname "$0")/../.." && pwd)
PATH=$top/bin:$PATH
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

tkt-init "$dir/desk" >/dev/null
# Tickets routed over the four weeks before --now, half planned, spread
# over three tiers; about 1.5 KB each, as on a busy desk.
awk -v n="$n" -v d="$dir/desk/cur" 'BEGIN {
	srand(1)
	pad = sprintf("%1000s", "")
	gsub(/ /, "x", pad)
	for (i = 0; i < n; i++) {
		id = sprintf("b%011d", i)
		t = 1795000000 + int(rand() * 2419200)
		f = d "/" id
		printf "From: u%d@client%d.example\nSubject: case %d\n", \
		    i, i % 50, i > f
		printf "Date: Mon, 01 Nov 2026 00:00:00 +0000\n" > f
		printf "Tkt-Id: %s\nTkt-State: open\n", id > f
		ts = strftime_(t)
		printf "Tkt-Log: %s created by=mail\n", ts > f
		printf "Tkt-Log: %s routed by=rules tier=%d\n", ts, \
		    1 + i % 3 > f
		if (i % 2)
			printf "Tkt-Log: %s planned by=bob -- on it\n", ts > f
		printf "\n%s\n", pad > f
		close(f)
	}
}
function strftime_(t,   s, d, y, m, days, md, i) {
	d = int(t / 86400); s = t % 86400
	y = 1970
	while (d >= (days = (y % 4 == 0 && (y % 100 || y % 400 == 0)) ? 366 : 365)) {
		d -= days; y++
	}
	split("31 28 31 30 31 30 31 31 30 31 30 31", md, " ")
	if (days == 366) md[2] = 29
	for (m = 1; d >= md[m]; m++) d -= md[m]
	return sprintf("%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d + 1,
	    int(s / 3600), int(s % 3600 / 60), s % 60)
}'

cp "$dir/desk/config" "$dir/always"
{ cat "$dir/always"; printf '%s\n' \
    'calendar office Europe/Berlin' \
    'hours office mon-fri 08:00-12:00 13:00-17:30' \
    'holiday office 2026-12-24 2026-12-25 2026-12-31' \
    'use office'; } >"$dir/office"

ns() { date +%s%N; }
sweep()
{
	cp "$dir/$1" "$dir/desk/config"
	a=$(ns)
	tkt-escalate -n -d "$dir/desk" --now 2026-12-04T12:00:00Z >/dev/null
	b=$(ns)
	echo $(( (b - a) / 1000000 ))
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

sweep always >/dev/null			# warm the page cache
: >"$dir/t.always"; : >"$dir/t.office"
i=0
while [ $i -lt "$runs" ]; do
	sweep always >>"$dir/t.always"
	sweep office >>"$dir/t.office"
	i=$((i + 1))
done
ma=$(median <"$dir/t.always")
mo=$(median <"$dir/t.office")
awk -v n="$n" -v a="$ma" -v o="$mo" 'BEGIN {
	r = a > 0 ? o / a : 0
	printf "%-36s %9s %9s %6s %6s %s\n", "operation", "tkt ms", \
	    "base ms", "ratio", "goal", "holds"
	printf "%-36s %9d %9d %6.2f %6.2f %s\n", \
	    "tkt-escalate -n, " n " open, office", o, a, r, 1.2, \
	    r <= 1.2 ? "yes" : "no"
}'
