# tkt-due: the calendar probe answers the two clock questions exactly,
# reads and shows times in the calendar's zone whatever TZ says, and
# fails cleanly.
. "$TKT_TESTS/lib.sh"

mkdesk desk
cat >>desk/config <<'EOF2'
calendar office Europe/Berlin
hours office mon-fri 09:00-18:00
calendar split Europe/Berlin
hours split tue 09:00-13:00 14:00-18:00
calendar tue Europe/Berlin
hours tue tue 08:00-17:00
EOF2

for tz in UTC America/New_York unset; do
	if [ $tz = unset ]; then
		tkt-due -d desk -c office '2026-03-06 15:00' 8h >out
	else
		TZ=$tz tkt-due -d desk -c office '2026-03-06 15:00' 8h >out
	fi
	expect_eq "$(cat out)" "enters 2026-03-06 15:00 CET (2026-03-06T14:00:00Z)
due 2026-03-09 14:00 CET (2026-03-09T13:00:00Z)" "Friday 15:00 + 8h, TZ $tz"
done

expect_eq "$(tkt-due -d desk -c office -s '2026-03-06 15:00' \
    '2026-03-09 14:00')" 8h "business time over the weekend"
expect_eq "$(tkt-due -d desk -c split '2026-05-05 12:30' 1h | sed -n 2p)" \
    "due 2026-05-05 14:30 CEST (2026-05-05T12:30:00Z)" "lunch break"
expect_eq "$(tkt-due -d desk -c tue '2026-05-06 10:00' 2h | sed -n 2p)" \
    "due 2026-05-12 10:00 CEST (2026-05-12T08:00:00Z)" "Tuesdays only"
expect_eq "$(TZ=UTC tkt-due -d desk -c 24x7 '2026-03-29T00:49:00Z' 30m |
    sed -n 2p)" "due 2026-03-29 01:19 UTC (2026-03-29T01:19:00Z)" "24x7"

expect_fail tkt-due -d desk -c nosuch 2026-03-06 1h
expect_eq "$STATUS" 1 "unknown calendar: status"
expect_fail tkt-due -d desk -c office 2026-03-06 soon
expect_eq "$STATUS" 2 "bad limit: status"
expect_fail tkt-due -d desk -c office yesterday 1h
expect_eq "$STATUS" 2 "bad time: status"
expect_fail tkt-due -d desk 2026-03-06
expect_eq "$STATUS" 2 "one operand: status"
expect_fail tkt-due -d desk -c office -s 2026-03-09 2026-03-06
expect_eq "$STATUS" 2 "end before start: status"
expect_fail tkt-due -d desk -c office '2026-03-29 02:30' 1h
case $ERR in
*daylight-saving*) ;;
*)	fail "a time in the spring gap: $ERR" ;;
esac
