#!/bin/sh
# 16-waiting: tkt-wait and tkt-resume: the tier clock pauses while a
# ticket waits on the client and runs on with the time it had used;
# the states each command needs; a close that ends a wait; a move by
# hand during a wait; tkt-ls, tkt-show and tkt-report on waiting
# tickets; and, once calendars can be configured, worked case 7.

. "$TKT_TESTS/lib.sh"

TKT_NODE=16
export TKT_NODE
day=2026-03-02

# mk SUBJECT HH:MM:SS: a ticket made then; its ID.
mk()
{
	echo 'It is broken.' |
	    tkt-new --now "${day}T$2Z" -u bob -f bob@example.com -s "$1" |
	    sed 's,.*/,,'
}

# at HH:MM: the --now option for that minute.
at()
{
	echo "--now=${day}T$1:00Z"
}

# refused CMD...: fails with status 1, nothing on stdout, desk unchanged.
refused()
{
	snap >before
	expect_fail "$@"
	expect_eq "$STATUS" 1 "$*: status"
	snap >after
	expect_file_eq before after "$*: changed the desk"
}

# clock ID HH:MM: tkt-show's clock line then.
clock()
{
	tkt-show $(at "$2") "$1" | sed -n 's/^Clock: *//p'
}

mkdesk desk
cd desk
printf 'tiers 3\nlimit 1 30m\nlimit 2 1h\nlimit 3 none\n' >config
echo '# none' >rules

# ---- the clock pauses and runs on (24x7, tier 1 limit 30m) -------------
a=$(mk 'paused' 08:00:00)
n=$(mk 'not routed' 08:00:01)
tkt-route $(at 09:00) "$a" >/dev/null
tkt-wait $(at 09:10) -u bob -m 'asked for the model number' "$a" >out
expect_eq "$(cat out)" "./cur/$a" "wait: output"
expect_eq "$(field "cur/$a" Tkt-State)" open "a waiting ticket is open"
tkt-escalate $(at 10:00) >out
expect_eq "$(cat out)" "" "sweep at 10:00 while waiting"
expect_eq "$(clock "$a" 10:00)" \
    "paused: waiting since $day 09:10 UTC, 10m of 30m used in tier 1" \
    "tkt-show: clock while waiting"
expect_eq "$(tkt-show $(at 10:00) "$a" | sed -n 's/^State: *//p')" \
    "waiting since $day 09:10 UTC: asked for the model number" \
    "tkt-show: state while waiting"
tkt-resume $(at 11:00) -u bob -m 'client replied' "$a" >out
expect_eq "$(cat out)" "./cur/$a" "resume: output"
expect_eq "$(tkt-show $(at 11:00) "$a" | sed -n 's/^State: *//p')" open \
    "tkt-show: state after resume"
tkt-escalate $(at 11:19) >out
expect_eq "$(cat out)" "" "sweep at 11:19 after resume"
tkt-escalate $(at 11:20) >out
expect_eq "$(cat out)" "./cur/$a" "sweep at 11:20 after resume"
expect_eq "$(hist "cur/$a" | sed 1,2d)" \
"${day}T09:10:00Z waiting by=bob -- asked for the model number
${day}T11:00:00Z resumed by=bob -- client replied
${day}T11:20:00Z escalated by=clock tier=2 -- tier 1 limit 30m reached\
 without a plan" "history of the paused ticket"

# ---- the states each command needs -------------------------------------
w=$(mk 'twice' 08:00:02)
tkt-route $(at 09:00) "$w" >/dev/null
refused tkt-resume $(at 09:01) -u bob -m 'x' "$w"
case $ERR in
*"not waiting"*)	;;
*)	fail "resume when not waiting: message: $ERR" ;;
esac
tkt-wait $(at 09:02) -u bob -m 'first' "$w" >/dev/null
refused tkt-wait $(at 09:03) -u bob -m 'second' "$w"
case $ERR in
*"already waiting"*)	;;
*)	fail "wait twice: message: $ERR" ;;
esac
refused tkt-wait $(at 09:03) -u bob -m 'x' "$n"
refused tkt-resume $(at 09:03) -u bob -m 'x' "$n"
c=$(mk 'closed' 08:00:03)
tkt-route $(at 09:00) "$c" >/dev/null
tkt-close $(at 09:01) -u bob -r 'done' "$c" >/dev/null
refused tkt-wait $(at 09:04) -u bob -m 'x' "$c"
refused tkt-resume $(at 09:04) -u bob -m 'x' "$c"

# Usage errors: status 2, nothing on stdout, nothing changed.
snap >before
for args in 'tkt-wait' 'tkt-wait -m ""' 'tkt-wait -r x' 'tkt-resume' \
    'tkt-resume -m ""' 'tkt-resume -x -m x'; do
	eval "expect_fail $args $w"
	expect_eq "$STATUS" 2 "$args: status"
done
snap >after
expect_file_eq before after "usage errors changed the desk"

# ---- tkt-ls ------------------------------------------------------------
expect_eq "$(tkt-ls $(at 09:05) -s waiting)" "./cur/$w" "tkt-ls -s waiting"
tkt-ls $(at 09:05) >out
grep -qx "./cur/$w" out || fail "the default listing lost a waiting ticket"
tkt-ls $(at 09:05) -s open >out
grep -qx "./cur/$w" out || fail "-s open lost a waiting ticket"
expect_eq "$(tkt-ls $(at 09:05) -l "$w" | awk '{ print $3, $4 }')" \
    "waiting -" "tkt-ls -l: state and clock of a waiting ticket"
expect_eq "$(tkt-ls $(at 09:05) -s waiting -s new)" \
    "./new/$n
./cur/$w" "tkt-ls -s waiting -s new"
expect_fail tkt-ls -s paused
expect_eq "$STATUS" 2 "tkt-ls -s paused: status"

# ---- closing ends a wait; a reopen runs on with the time used ----------
b=$(mk 'closed while waiting' 08:00:04)
tkt-route $(at 09:00) "$b" >/dev/null
tkt-wait $(at 09:10) -u bob -m 'no answer' "$b" >/dev/null
tkt-close $(at 09:30) -u bob -r 'gave up' "$b" >/dev/null
tkt-reopen $(at 10:00) -u bob -m 'client is back' "$b" >/dev/null
expect_eq "$(tkt-show $(at 10:00) "$b" | sed -n 's/^State: *//p')" open \
    "a reopened ticket is not waiting"
refused tkt-resume $(at 10:01) -u bob -m 'x' "$b"
tkt-escalate --now "${day}T10:19:59Z" >out
expect_eq "$(grep "$b" out || :)" "" "reopened: due after 20 more minutes"
tkt-escalate $(at 10:20) >out
expect_eq "$(grep "$b" out || :)" "./cur/$b" "reopened: due at 10:20"

# ---- a wait outlives a move by hand; the new tier starts paused --------
m=$(mk 'moved while waiting' 08:00:05)
tkt-route $(at 09:00) "$m" >/dev/null
tkt-wait $(at 09:10) -u bob -m 'asked' "$m" >/dev/null
tkt-route $(at 09:20) -u bob -t 2 -r 'needs tier 2' "$m" >/dev/null
expect_eq "$(clock "$m" 12:00)" \
    "paused: waiting since $day 09:10 UTC, 0m of 1h used in tier 2" \
    "moved while waiting: tier 2 clock paused"
tkt-resume $(at 12:00) -u bob -m 'replied' "$m" >/dev/null
tkt-escalate --now "${day}T12:59:59Z" >out
expect_eq "$(grep "$m" out || :)" "" "moved while waiting: before 13:00"
tkt-escalate $(at 13:00) >out
expect_eq "$(grep "$m" out || :)" "./cur/$m" "moved while waiting: 13:00"

# A plan made while waiting holds after the resume.
p=$(mk 'planned while waiting' 08:00:06)
tkt-route $(at 09:00) "$p" >/dev/null
tkt-wait $(at 09:10) -u bob -m 'asked' "$p" >/dev/null
tkt-plan $(at 09:20) -u bob -m 'new disk' "$p" >/dev/null
tkt-resume $(at 09:30) -u bob -m 'replied' "$p" >/dev/null
tkt-escalate $(at 23:00) >out
expect_eq "$(grep "$p" out || :)" "" "a plan made while waiting holds"

# ---- tkt-report: time in tier leaves out the waits ---------------------
# Ticket a: tier 1 from 09:00 to 11:20, 1h50m of it waiting: 30m.
tkt-report -b ${day}T00:00:00Z -e ${day}T23:59:00Z -f tsv "$a" >out
expect_eq "$(grep '^time	1	' out)" "time	1	1	1800	1800	1800" \
    "report: a visit less its wait"
# Ticket b: 10m, then its wait ended by the close; 20m after reopening.
tkt-report -b ${day}T00:00:00Z -e ${day}T23:59:00Z -f tsv "$b" >out
expect_eq "$(grep '^time	1	' out)" "time	1	2	600	1200	1800" \
    "report: a close ends the wait"
# Ticket m: tier 1 for 10m before the wait; tier 2 waited 09:20-12:00.
tkt-report -b ${day}T00:00:00Z -e ${day}T23:59:00Z -f tsv "$m" >out
expect_eq "$(grep '^time	[12]	' out)" "time	1	1	600	600	600
time	2	1	3600	3600	3600" "report: a wait that outlives a move"
cd ..

# ---- worked case 7: a wait over a weekend on a business calendar --
# Mon-Fri 09:00-17:00, limit 8h; enters Friday 2026-05-08 13:00, waits
# from 15:00 to Monday 11:00: 2h used before the pause, 6h after.
mkdesk cal
cd cal
cat >config <<'EOF'
tiers 2
calendar office UTC
hours office mon-fri 09:00-17:00
use office
limit 1 8h
limit 2 none
EOF
echo '# none' >rules
if ! tkt-ls >/dev/null 2>err; then
	case $(cat err) in
	*calendar*)
		echo "16-waiting: case 7 skipped: config has no calendars" \
		    "yet: $(cat err)" >&2
		exit 0
		;;
	esac
	fail "case 7: the desk does not open: $(cat err)"
fi
id=$(echo x | tkt-new --now 2026-05-08T12:00:00Z -s 'case 7' |
    sed 's,.*/,,')
tkt-route --now 2026-05-08T13:00:00Z "$id" >/dev/null
tkt-wait --now 2026-05-08T15:00:00Z -u bob -m 'asked' "$id" >/dev/null
tkt-escalate --now 2026-05-11T10:59:00Z >out
expect_eq "$(cat out)" "" "case 7: nothing over the weekend"
tkt-resume --now 2026-05-11T11:00:00Z -u bob -m 'replied' "$id" \
    >/dev/null
expect_eq "$(tkt-show --now 2026-05-11T11:00:00Z "$id" |
    sed -n 's/^Clock: *//p')" \
    "2h of 8h used in tier 1, due 2026-05-11 17:00 UTC, 6h left" \
    "case 7: due Monday 17:00"
tkt-escalate --now 2026-05-11T16:59:00Z >out
expect_eq "$(cat out)" "" "case 7: nothing before Monday 17:00"
tkt-escalate --now 2026-05-11T17:00:00Z >out
expect_eq "$(cat out)" "./cur/$id" "case 7: escalated Monday 17:00"
expect_eq "$(hist "cur/$id" | tail -n 1 | cut -d' ' -f1-2)" \
    "2026-05-11T17:00:00Z escalated" "case 7: recorded at Monday 17:00"
