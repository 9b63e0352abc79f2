#!/bin/sh
# 18-warn: warnings before the limit.  Each is recorded in the history
# once a tier visit, at the instant the clock reaches limit - lead; the
# -w file lists the tickets warned in this run; a second run warns
# nothing; sweeping every minute or once leaves the same files; bad
# warn lines are refused.

. "$TKT_TESTS/lib.sh"

TKT_NODE=18
export TKT_NODE
day=2026-03-02

# mk SUBJECT HH:MM:SS: a ticket made then; its ID.
mk()
{
	echo 'Please help.' |
	    tkt-new --now "${day}T$2Z" -u bob -f bob@example.com -s "$1" |
	    sed 's,.*/,,'
}

# warned HH:MM TIER LIMIT LEFT: the history line of a warning.
warned()
{
	echo "${day}T$1:00Z warned by=clock tier=$2 --" \
	    "tier $2 limit $3: $4 left"
}

# esc HH:MM TIER LIMIT: the history line of an escalation into TIER.
esc()
{
	echo "${day}T$1:00Z escalated by=clock tier=$2 --" \
	    "tier $(($2 - 1)) limit $3 reached without a plan"
}

# breach HH:MM TIER LIMIT: the history line of a breach in TIER.
breach()
{
	echo "${day}T$1:00Z breached by=clock tier=$2 --" \
	    "tier $2 limit $3 reached without a plan"
}

# config: three tiers, a 10m warning, and 80% in tier 2; no rules.
config()
{
	printf 'tiers 3\nlimit 1 30m\nlimit 2 1h\nlimit 3 1h30m\n' >config
	printf 'warn 10m\nwarn 2 80%%\n' >>config
	echo '# none' >rules
}

# ---- (a) every minute or once: the same files -------------------------

for d in loop once; do
	mkdesk $d
	cd $d
	config
	A=$(mk 'printer jams' 08:55:01)	# warned in every tier
	B=$(mk 'no toner' 08:55:02)	# planned before the warning
	C=$(mk 'mail slow' 08:55:03)	# warned, closed, reopened
	cd ..
done

# act DESK HH:MM: the people's events of that minute.
act()
{
	n="-d $1 --now ${day}T$2:00Z -u bob"
	case $2 in
	09:00)	tkt-route $n $A $B $C ;;
	09:10)	tkt-plan $n -m 'swap the toner' $B ;;
	09:25)	tkt-close $n -r 'works again' $C ;;
	09:40)	tkt-reopen $n -m 'broke again' $C ;;
	*)	return 0 ;;
	esac >/dev/null
}

: >loop.warn
m=0
while [ $m -le 180 ]; do
	hm=$(printf '%02d:%02d' $((9 + m / 60)) $((m % 60)))
	tkt-escalate -d loop -w w --now "${day}T$hm:00Z" >/dev/null
	cat w >>loop.warn
	act loop "$hm"
	act once "$hm"
	m=$((m + 1))
done
tkt-escalate -d once -w once.warn --now "${day}T12:00:00Z" >once.out
for sub in new cur closed; do
	diff -r "loop/$sub" "once/$sub" >&2 ||
	    fail "(a) swept every minute and once: $sub/ differs"
done

# Each warning is listed once, by the sweep of its minute.
expect_eq "$(cat loop.warn)" "loop/cur/$A
loop/cur/$C
loop/cur/$A
loop/cur/$C
loop/cur/$A" "(a) warnings of the every-minute sweep"

# ---- (b) the histories ------------------------------------------------

cd once
expect_eq "$(hist "cur/$A" | sed 1,2d)" \
"$(warned 09:20 1 30m 10m)
$(esc 09:30 2 30m)
$(warned 10:18 2 1h 12m)
$(esc 10:30 3 1h)
$(warned 11:50 3 1h30m 10m)
$(breach 12:00 3 1h30m)" \
    "(b) history of A"
expect_eq "$(hist "cur/$B" | sed 1,2d)" \
"${day}T09:10:00Z planned by=bob -- swap the toner" "(b) history of B"
# The close catches the warning up; the reopen does not warn again.
expect_eq "$(hist "cur/$C" | sed 1,2d)" \
"$(warned 09:20 1 30m 10m)
${day}T09:25:00Z closed by=bob -- works again
${day}T09:40:00Z reopened by=bob -- broke again
$(esc 09:45 2 30m)
$(warned 10:33 2 1h 12m)
$(esc 10:45 3 1h)" \
    "(b) history of C"
cd ..

# ---- (c) the -w file, and a second run --------------------------------

expect_eq "$(sort once.warn)" "$(printf 'once/cur/%s\n' $A $C | sort)" \
    "(c) -w file"
expect_eq "$(sort once.out)" "$(printf 'once/cur/%s\n' $A $C | sort)" \
    "(c) stdout"
tkt-escalate -d once -w again.warn --now "${day}T12:00:00Z" >again.out
[ -f again.warn ] && [ ! -s again.warn ] || fail "(c) second run warned"
[ ! -s again.out ] || fail "(c) second run escalated"

# ---- (d) one warning: -n, -v, and the cron line -----------------------

mkdesk d
cd d
config
D=$(mk 'vpn flaky' 08:55:04)
tkt-route --now "${day}T09:00:00Z" >/dev/null
snap >before
tkt-escalate -n -v -w w --now "${day}T09:20:00Z" >out 2>err
expect_eq "$(cat out)" "" "(d) -n: stdout"
expect_eq "$(cat w)" "./cur/$D" "(d) -n: -w file"
grep -q "^$D: warning at .*(${day}T09:20:00Z), 10m left, due\$" err ||
    fail "(d) -v: $(cat err)"
snap >after
expect_file_eq before after "(d) -n changed the desk"
tkt-escalate -w w --now "${day}T09:20:00Z" >out &&
    [ -s w ] && cp w mailed
expect_eq "$(cat mailed)" "./cur/$D" "(d) the cron line"
expect_eq "$(hist "cur/$D" | sed 1,2d)" "$(warned 09:20 1 30m 10m)" \
    "(d) history"
expect_eq "$(cat out)" "" "(d) stdout"

# ---- (e) bad warn lines ----------------------------------------------

for bad in 'warn 0%' 'warn 100%' 'warn 10x' 'warn 4 10m' \
    'warn 10m 5m' 'warn 1 10m
warn 1 5m'; do
	config
	printf '%s\n' "$bad" >>config
	expect_fail tkt-escalate --now "${day}T09:20:00Z"
	case $ERR in
	*'config: line '*) ;;
	*) fail "(e) $bad: $ERR" ;;
	esac
done
