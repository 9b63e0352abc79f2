# The sweep under a real cron daemon, with the crontab line the manuals
# give: cron's own bare environment (no TKTDESK, no TZ, stdin from
# /dev/null) and real time.  A ticket routed 40 minutes ago with a
# 30-minute tier 1 limit must be escalated by the first run, recorded
# at the minute its limit ran out, and later runs must change nothing.
#
# It needs root (for /etc/cron.d) and Debian's cron; CI installs cron,
# so there a missing cron fails the test, elsewhere it is skipped.
. "$TKT_TESTS/lib.sh"

if [ "$(id -u)" != 0 ] || ! command -v cron >/dev/null 2>&1 ||
    [ ! -d /etc/cron.d ]; then
	[ -z "${CI:-}" ] || fail "CI must run this test: needs root and cron"
	echo "70-cron.sh: skipped: needs root and Debian's cron" >&2
	exit 0
fi

bin=$(cd "$TKT_TESTS/../bin" && pwd)
mkdesk desk
desk=$(cd desk && pwd)
printf 'limit 1 30m\nlimit 2 1h\nlimit 3 none\n' >desk/config

now=$(date +%s)
t0=$((now - 2400))
echo "it squeaks" | tkt-new -d desk --now @$t0 -s "Mouse squeaks" >/dev/null
tkt-route -d desk --now @$t0 >/dev/null
id=$(ls desk/cur)
due=$(tkt-ls -d desk --now @$t0 -l | awk '{ print $4 }')
expect_eq "$due" 30m "time left at routing"

# A name cron accepts: letters, digits, '-' and '_' only.
job=/etc/cron.d/tkt-test-$$
trap 'rm -f "$job"; [ -z "$pid" ] || kill "$pid" 2>/dev/null || :' EXIT
pid=
printf '%s\n' "* * * * * root cd $desk && $bin/tkt-route && \
$bin/tkt-escalate >>$desk/cron.log 2>&1" >"$job"
chmod 644 "$job"

# Start a daemon of our own unless one runs already.
if ! pgrep -x cron >/dev/null 2>&1; then
	cron -f -L 0 </dev/null >/dev/null 2>&1 &
	pid=$!
fi

# cron runs jobs at the start of a minute; allow for two of them.
i=0
while [ ! -s "$desk/cron.log" ] && [ $i -lt 130 ]; do
	sleep 1
	i=$((i + 1))
done
[ -s "$desk/cron.log" ] || fail "cron did not run the sweep within 130 s"
sleep 2

expect_eq "$(cat "$desk/cron.log")" "./cur/$id" "what cron's sweep printed"
expect_eq "$(tkt-ls -d desk -l | awk '{ print $2 }')" 2 \
    "tier after cron's sweep"
grep -q "^Tkt-Log: .* escalated by=clock tier=2 -- tier 1 limit 30m" \
    "desk/cur/$id" || fail "no escalation line: $(cat "desk/cur/$id")"

# Recorded at the instant the limit ran out, not when cron ran.
stamp=$(date -u -d @$((t0 + 1800)) +%Y-%m-%dT%H:%M:%SZ)
grep -q "^Tkt-Log: $stamp escalated by=clock" "desk/cur/$id" ||
    fail "escalation not stamped $stamp: $(grep escalated "desk/cur/$id")"
