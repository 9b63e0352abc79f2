#!/bin/sh
# 12-escalate: the sweep.  The files it leaves do not depend on how
# often it runs; a second run changes nothing; a late sweep catches up
# tier by tier; deadlines are exact; plans stop the clock; the top tier
# breaches once; concurrent and killed sweeps; bad files; -n and -v;
# closed tickets left in cur/; the cron line in cron's environment;
# batches of any size give the same output and files.

. "$TKT_TESTS/lib.sh"

TKT_NODE=12
export TKT_NODE
day=2026-03-02
to=
if command -v timeout >/dev/null 2>&1; then
	to=timeout			# GNU, BSD and busybox have one
fi

# mk SUBJECT HH:MM:SS: a ticket made then, in the desk of the working
# directory; its ID.
mk()
{
	echo 'Please help.' |
	    tkt-new --now "${day}T$2Z" -u bob -f bob@example.com -s "$1" |
	    sed 's,.*/,,'
}

# ts HH:MM | TIME: an event time, on $day unless given in full.
ts()
{
	case $1 in
	*T*)	echo "$1" ;;
	*)	echo "${day}T$1:00Z" ;;
	esac
}

# esc WHEN TIER LIMIT: the history line of an escalation into TIER.
esc()
{
	echo "$(ts "$1") escalated by=clock tier=$2 --" \
	    "tier $(($2 - 1)) limit $3 reached without a plan"
}

# breach WHEN TIER LIMIT: the history line of a breach in TIER.
breach()
{
	echo "$(ts "$1") breached by=clock tier=$2 --" \
	    "tier $2 limit $3 reached without a plan"
}

# config LIMIT1 LIMIT2 LIMIT3: a three-tier config for the desk here,
# and no rules.
config()
{
	printf 'tiers 3\nlimit 1 %s\nlimit 2 %s\nlimit 3 %s\n' "$1" "$2" "$3" \
	    >config
	echo '# none' >rules
}

# ---- (a) sweeping every minute or once leaves the same files ----------
#
# Two desks get the same tickets and the same events at the same
# times; one is swept every simulated minute from 09:00 to 12:00, the
# other once at 12:00.

mkdir a
cd a
for d in loop once; do
	mkdesk $d
	cd $d
	config 30m 1h 1h30m
	printf 'match Subject /server/\nset tier 2\n\n' >rules
	printf 'match Subject /virus/\nset tier 3\n' >>rules
	A=$(mk 'printer jams' 08:55:01)	# escalates, then breaches
	B=$(mk 'server down' 08:55:02)	# tier 2, closed, reopened
	C=$(mk 'no toner' 08:55:03)	# planned in time
	D=$(mk 'mail slow' 08:55:04)	# planned late
	E=$(mk 'vpn flaky' 08:55:05)	# closed and reopened
	F=$(mk 'virus found' 08:55:06)	# top tier from the start
	G=$(mk 'wifi gone' 08:55:07)	# moved up by hand
	H=$(mk 'never routed' 08:55:08)	# stays in new/
	J=$(mk 'scanner' 08:55:09)	# planned at the deadline
	K=$(mk 'duplicate' 08:55:10)	# closed for good
	cd ..
done

# act DESK HH:MM: the people's events of that minute.
act()
{
	n="-d $1 --now ${day}T$2:00Z -u bob"
	case $2 in
	09:00)	tkt-route $n $A $B $C $D $E $F $G $J $K ;;
	09:05)	tkt-close $n -r 'same as another' $K ;;
	09:10)	tkt-plan $n -m 'swap the toner' $C ;;
	09:15)	tkt-route $n -t 2 -r 'needs a network man' $G ;;
	09:20)	tkt-close $n -r 'works again' $E ;;
	09:30)	tkt-plan $n -m 'rescan' $J ;;
	09:45)	tkt-note $n -m 'called the user' $A ;;
	09:50)	tkt-plan $n -m 'order a part' $D ;;
	10:00)	tkt-reopen $n -m 'broke again' $E ;;
	10:40)	tkt-close $n -r 'rebooted' $B ;;
	11:00)	tkt-reopen $n -m 'down again' $B ;;
	*)	return 0 ;;
	esac >/dev/null
}

m=0
while [ $m -le 180 ]; do
	hm=$(printf '%02d:%02d' $((9 + m / 60)) $((m % 60)))
	tkt-escalate -d loop --now "${day}T$hm:00Z" >/dev/null
	act loop "$hm"
	act once "$hm"
	m=$((m + 1))
done
tkt-escalate -d once --now "${day}T12:00:00Z" >once.out
for sub in new cur closed; do
	diff -r "loop/$sub" "once/$sub" >&2 ||
	    fail "(a) swept every minute and once: $sub/ differs"
done

# And the files say what they should.
cd once
expect_eq "$(hist "cur/$A")" \
"${day}T08:55:01Z created by=bob
${day}T09:00:00Z routed by=rules tier=1
$(esc 09:30 2 30m)
${day}T09:45:00Z noted by=bob -- called the user
$(esc 10:30 3 1h)
$(breach 12:00 3 1h30m)" \
    "(a) history of A"
expect_eq "$(hist "cur/$B" | sed 1d)" \
"${day}T09:00:00Z routed by=rules:1 tier=2
$(esc 10:00 3 1h)
${day}T10:40:00Z closed by=bob -- rebooted
${day}T11:00:00Z reopened by=bob -- down again
$(breach 11:50 3 1h30m)" \
    "(a) history of B"
expect_eq "$(hist "cur/$D" | sed 1,2d)" \
"$(esc 09:30 2 30m)
${day}T09:50:00Z planned by=bob -- order a part" "(a) history of D"
expect_eq "$(hist "cur/$E" | sed 1,2d)" \
"${day}T09:20:00Z closed by=bob -- works again
${day}T10:00:00Z reopened by=bob -- broke again
$(esc 10:10 2 30m)
$(esc 11:10 3 1h)" \
    "(a) history of E"
expect_eq "$(hist "cur/$F" | sed 1,2d)" "$(breach 10:30 3 1h30m)" \
    "(a) history of F"
expect_eq "$(hist "cur/$G" | sed 1,2d)" \
"${day}T09:15:00Z routed by=bob tier=2 -- needs a network man
$(esc 10:15 3 1h)
$(breach 11:45 3 1h30m)" \
    "(a) history of G"
expect_eq "$(hist "cur/$J" | sed 1,2d)" \
"$(esc 09:30 2 30m)
${day}T09:30:00Z planned by=bob -- rescan" "(a) history of J"
expect_eq "$(hist "cur/$C" | sed 1,2d)" \
"${day}T09:10:00Z planned by=bob -- swap the toner" "(a) history of C"
expect_eq "$(hist "closed/cur/$K" | sed 1,2d)" \
"${day}T09:05:00Z closed by=bob -- same as another" "(a) history of K"
expect_eq "$(hist "new/$H")" "${day}T08:55:08Z created by=bob" \
    "(a) history of H"
for t in A B C D E F G J; do
	eval "id=\$$t"
	printf '%s %s %s\n' $t "$(field "cur/$id" Tkt-State)" \
	    "$(field "cur/$id" Tkt-Tier)"
done >states
expect_eq "$(cat states)" "A open 3
B open 3
C open 1
D open 2
E open 3
F open 3
G open 3
J open 2" "(a) states"
expect_eq "$(sort ../once.out | tr '\n' ' ')" \
    "$(printf 'once/cur/%s\n' $A $B $E $F $G | sort | tr '\n' ' ')" \
    "(a) the single sweep's output"

# ---- (b) a second sweep changes nothing -------------------------------
snap >before
tkt-escalate --now "${day}T12:00:00Z" >out 2>err
expect_eq "$(cat out)" "" "(b) second sweep: output"
expect_eq "$(cat err)" "" "(b) second sweep: stderr"
snap >after
expect_file_eq before after "(b) the second sweep changed the desk"
tkt-escalate --now "${day}T12:00:30Z" >out
expect_eq "$(cat out)" "" "(b) a sweep 30s later: output"
snap >after
expect_file_eq before after "(b) a sweep 30s later changed the desk"
cd ../..

# ---- (c) catch-up after downtime --------------------------------------
mkdesk c
cd c
config 30m 60m none
t=$(mk 'printer jams' 08:00:00)
tkt-route --now "${day}T09:00:00Z" >/dev/null
tkt-escalate --now "${day}T12:00:00Z" >out
expect_eq "$(cat out)" "./cur/$t" "(c) output"
cat >want <<EOF
From: bob@example.com
Subject: printer jams
Date: Mon, 02 Mar 2026 08:00:00 +0000
Tkt-Id: $t
Tkt-State: open
Tkt-Tier: 3
Tkt-Log: ${day}T08:00:00Z created by=bob
Tkt-Log: ${day}T09:00:00Z routed by=rules tier=1
Tkt-Log: ${day}T09:30:00Z escalated by=clock tier=2 -- tier 1 limit 30m
 reached without a plan
Tkt-Log: ${day}T10:30:00Z escalated by=clock tier=3 -- tier 2 limit 1h
 reached without a plan

Please help.
EOF
expect_file_eq "cur/$t" want "(c) ticket after the late sweep"
tkt-escalate --now 2027-01-01T00:00:00Z >out
expect_eq "$(cat out)" "" "(c) tier 3 has no limit"
expect_file_eq "cur/$t" want "(c) a sweep a year later changed it"
cd ..

# ---- (d) a deadline exactly at --now is due; a second before is not ---
mkdesk d
cd d
config 30m 1h 1h
t=$(mk 'printer jams' 08:00:00)
tkt-route --now "${day}T09:00:00Z" >/dev/null
cp "cur/$t" before
tkt-escalate -n --now "${day}T09:29:59Z" >out
expect_eq "$(cat out)" "" "(d) -n at 09:29:59"
tkt-escalate --now "${day}T09:29:59Z" >out
expect_eq "$(cat out)" "" "(d) sweep at 09:29:59"
expect_file_eq "cur/$t" before "(d) sweep at 09:29:59 changed it"
tkt-escalate -n --now "${day}T09:30:00Z" >out
expect_eq "$(cat out)" "./cur/$t" "(d) -n at 09:30:00"
tkt-escalate --now "${day}T09:30:00Z" >out
expect_eq "$(cat out)" "./cur/$t" "(d) sweep at 09:30:00"
expect_eq "$(hist "cur/$t" | sed -n 3p)" "$(esc 09:30 2 30m)" \
    "(d) escalation"
cd ..

# ---- (e) a plan stops the clock; a late plan does not undo anything ---
mkdesk e
cd e
config 30m 1h 1h
p=$(mk 'planned in time' 08:00:00)
l=$(mk 'planned late' 08:00:01)
tkt-route --now "${day}T09:00:00Z" >/dev/null
tkt-plan --now "${day}T09:10:00Z" -u bob -m 'new drum' "$p" >/dev/null
tkt-plan --now "${day}T09:45:00Z" -u bob -m 'new fuser' "$l" >out
expect_eq "$(cat out)" "./cur/$l" "(e) late plan: output"
expect_eq "$(hist "cur/$l" | sed 1,2d)" \
"$(esc 09:30 2 30m)
${day}T09:45:00Z planned by=bob -- new fuser" "(e) late plan: history"
expect_eq "$(field "cur/$l" Tkt-Tier)" 2 "(e) late plan: tier"
snap >before
tkt-escalate --now 2026-03-09T09:00:00Z >out
expect_eq "$(cat out)" "" "(e) a week later"
snap >after
expect_file_eq before after "(e) a week later, planned tickets changed"
expect_eq "$(field "cur/$p" Tkt-Tier)" 1 "(e) planned in time: tier"
cd ..

# ---- (f) the top tier breaches once -----------------------------------
mkdesk f
cd f
config 30m 1h 1h
t=$(mk 'vendor bug' 08:00:00)
tkt-route --now "${day}T09:00:00Z" -u bob -t 3 -r 'vendor' "$t" >/dev/null
tkt-escalate --now "${day}T09:59:59Z" >out
expect_eq "$(cat out)" "" "(f) before the limit"
tkt-escalate --now "${day}T10:00:00Z" >out
expect_eq "$(cat out)" "./cur/$t" "(f) at the limit"
for now in 10:00:00 10:30:00 11:00:00 23:59:59; do
	tkt-escalate --now "${day}T${now}Z" >out
	expect_eq "$(cat out)" "" "(f) breached again at $now"
done
tkt-escalate --now 2026-04-01T00:00:00Z >out
expect_eq "$(cat out)" "" "(f) breached again a month later"
expect_eq "$(hist "cur/$t" | sed 1,2d)" "$(breach 10:00 3 1h)" \
    "(f) history"
expect_eq "$(field "cur/$t" Tkt-Tier)" 3 "(f) tier"
cd ..

# ---- (g) two sweeps at once over 200 due tickets ----------------------
mkdesk g
cd g
config 30m 1h 1h
i=0
while [ $i -lt 200 ]; do
	echo body | tkt-new --now "${day}T08:00:00Z" -s "t$i" >/dev/null
	i=$((i + 1))
done
tkt-route --now "${day}T09:00:00Z" >/dev/null
expect_eq "$(ls cur | wc -l | tr -d ' ')" 200 "(g) routed tickets"
ls cur | sed 's,^,./cur/,' >all
tkt-escalate --now "${day}T09:45:00Z" >out1 2>err1 &
p1=$!
tkt-escalate --now "${day}T09:45:00Z" >out2 2>err2 &
p2=$!
s1=0
s2=0
wait $p1 || s1=$?
wait $p2 || s2=$?
expect_eq "$s1 $s2" "0 0" "(g) exit status: $(cat err1 err2)"
expect_eq "$(cat err1 err2)" "" "(g) stderr"
expect_eq "$(sort out1 out2)" "$(cat all)" "(g) outputs together"
expect_eq "$(grep -c '^Tkt-Log: [^ ]* escalated' cur/* | grep -v ':1$' || :)" \
    "" "(g) tickets not escalated exactly once"
cd ..
cp -R g m				# for (m)

# ---- (h) a sweep killed while it holds the lock blocks nobody ---------
#
# A sweep over 200 due tickets is killed as soon as it has swept the
# first, when it surely holds the lock.  The next sweep must not wait
# for it, and must leave the files a clean sweep leaves.  Batches of 5
# tickets make it likely that the kill falls amid the sweep.
cp -R g g2
tkt-escalate -d g2 --now "${day}T10:45:00Z" >/dev/null
cd g
first=$(sed -n '1s,.*/,,p' all)
TKT_BATCH=5 tkt-escalate --now "${day}T10:45:00Z" >/dev/null 2>&1 &
pid=$!
until grep -q "^Tkt-Log: ${day}T10:30:00Z escalated" "cur/$first"; do
	kill -0 $pid 2>/dev/null || break
done
kill -9 $pid 2>/dev/null || :
wait $pid || :
n=$(grep -l "^Tkt-Log: ${day}T10:30:00Z escalated" cur/* | wc -l)
n=$((n + 0))
[ $n -ge 1 ] && [ $n -lt 200 ] ||
    fail "(h) could not kill the sweep halfway: it swept $n of 200"
st=0
$to ${to:+60} tkt-escalate --now "${day}T10:45:00Z" >out 2>err || st=$?
expect_eq "$st" 0 "(h) the sweep after the kill: $(cat err)"
expect_eq "$(grep -c . out || :)" $((200 - n)) "(h) output after the kill"
cd ..
for sub in new cur closed; do
	diff -r "g/$sub" "g2/$sub" >&2 ||
	    fail "(h) killed and clean sweeps: $sub/ differs"
done

# ---- (i) bad files in cur/ are reported, skipped, and nothing more ----
mkdesk i
cd i
config 30m 1h 1h
t1=$(mk 'good one' 08:00:00)
t2=$(mk 'good two' 08:00:01)
tkt-route --now "${day}T09:00:00Z" >/dev/null
printf 'From: bob\nSubject: no blank line\nTkt-Log: %s\nbody\n' \
    "${day}T08:00:00Z created by=bob" >cur/zzzzzzzzzz01
n=0
while [ $n -lt 256 ]; do
	printf "\\$(printf %03o $n)"
	n=$((n + 1))
done >block
for n in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do
	cat block
done >cur/zzzzzzzzzz02
expect_eq "$(wc -c <cur/zzzzzzzzzz02 | tr -d ' ')" 4096 "(i) binary junk"
printf 'From: bob\nX-Long: ' >cur/zzzzzzzzzz03
head -c 2097152 /dev/zero | tr '\0' x >>cur/zzzzzzzzzz03
printf 'From: \000bob\nTkt-Log: %s\n\nbody\n' \
    "${day}T08:00:00Z created by=bob" >cur/zzzzzzzzzz04
cp cur/zzzzzzzzzz0* .
st=0
tkt-escalate --now "${day}T09:30:00Z" >out 2>err || st=$?
expect_eq "$st" 1 "(i) exit status"
expect_eq "$(cat out)" "./cur/$t1
./cur/$t2" "(i) the good tickets were not swept"
for f in zzzzzzzzzz01 zzzzzzzzzz02 zzzzzzzzzz03 zzzzzzzzzz04; do
	grep -q "^tkt-escalate: ./cur/$f: " err ||
	    fail "(i) $f not reported: $(cat err)"
	expect_file_eq "cur/$f" "$f" "(i) $f changed"
done
expect_eq "$(grep -c . err)" 4 "(i) one line per bad file: $(cat err)"
cd ..

# ---- (j) -n changes nothing; -v explains ------------------------------
mkdesk j
cd j
config 30m 1h 1h
due=$(mk 'due' 08:00:00)
not=$(mk 'not due' 08:00:01)
pl=$(mk 'planned' 08:00:02)
tkt-route --now "${day}T09:00:00Z" "$due" "$pl" >/dev/null
tkt-route --now "${day}T09:20:00Z" "$not" >/dev/null
tkt-plan --now "${day}T09:21:00Z" -u bob -m 'on it' "$pl" >/dev/null
snap >before
tkt-escalate -n --now "${day}T09:30:00Z" >out 2>err
expect_eq "$(cat out)" "./cur/$due" "(j) -n: output"
expect_eq "$(cat err)" "" "(j) -n: stderr"
snap >after
expect_file_eq before after "(j) -n changed the desk"
TZ=CET-1CEST,M3.5.0,M10.5.0/3 tkt-escalate -n -v --now "${day}T09:30:00Z" \
    >out 2>err
expect_eq "$(cat out)" "./cur/$due" "(j) -nv: output"
grep "^$due: " err | grep 'limit 30m' |
    grep -q 'deadline 2026-03-02 10:30 CET' ||
    fail "(j) -v on $due: no limit or deadline: $(cat err)"
grep "^$not: " err | grep 'limit 30m' |
    grep -q 'deadline 2026-03-02 10:50 CET' ||
    fail "(j) -v on $not: no limit or deadline: $(cat err)"
grep -q "^$pl: " err || fail "(j) -v says nothing on $pl: $(cat err)"
snap >after
expect_file_eq before after "(j) -nv changed the desk"
tkt-escalate -v --now "${day}T09:30:00Z" >out 2>err
expect_eq "$(cat out)" "./cur/$due" "(j) -v: output"
grep -q "^$due: .*escalated" err ||
    fail "(j) -v: no escalation told: $(cat err)"
expect_fail tkt-escalate -x
expect_eq "$STATUS" 2 "(j) bad option: status"
cd ..

# ---- (k) a closed ticket in cur/ moves on; closed/cur/ is not read ----
mkdesk k
cd k
config 30m 1h 1h
t=$(mk 'crashed close' 08:00:00)
tkt-route --now "${day}T09:00:00Z" >/dev/null
tkt-close --now "${day}T09:10:00Z" -u bob -r 'fixed' "$t" >/dev/null
cp "closed/cur/$t" closed.copy
mv "closed/cur/$t" "cur/$t"			# the crash before the move
printf 'not a ticket at all\n' >closed/cur/zzzzzzzzzz01
head -c 2097152 /dev/zero | tr '\0' x >closed/cur/zzzzzzzzzz02
tkt-escalate -n --now "${day}T12:00:00Z" >out 2>err
expect_eq "$(cat out)" "./cur/$t" "(k) -n: output"
[ -f "cur/$t" ] || fail "(k) -n moved the ticket"
tkt-escalate --now "${day}T12:00:00Z" >out 2>err
expect_eq "$(cat err)" "" "(k) the sweep read closed/cur/"
expect_eq "$(cat out)" "./closed/cur/$t" "(k) output"
[ ! -e "cur/$t" ] || fail "(k) the closed ticket is still in cur/"
expect_file_eq "closed/cur/$t" closed.copy "(k) the moved ticket changed"
tkt-escalate --now "${day}T12:00:00Z" >out 2>err
expect_eq "$(cat out)$(cat err)" "" "(k) second sweep"
cd ..

# ---- (l) the cron line, in cron's environment -------------------------
#
# No --now here: the sweep runs at the real time.  One ticket was
# routed in 2020 and is long overdue; the other waits in new/.
mkdesk l
cd l
old=$(echo x | tkt-new --now 2020-01-01T00:00:00Z -s old | sed 's,.*/,,')
tkt-route --now 2020-01-01T00:00:00Z >/dev/null
fresh=$(echo x | tkt-new --now 2020-01-01T00:00:01Z -s fresh | sed 's,.*/,,')
desk=$(pwd)
st=0
env -i PATH="$PATH" sh -c 'cd "$1" && tkt-route && tkt-escalate' sh "$desk" \
    </dev/null >out 2>err || st=$?
expect_eq "$st" 0 "(l) cron line: status: $(cat err)"
expect_eq "$(cat err)" "" "(l) cron line: stderr"
expect_eq "$(cat out)" "./cur/$fresh
./cur/$old" "(l) cron line: output"
expect_eq "$(hist "cur/$old" | sed 1,2d)" \
"$(esc 2020-01-01T00:30:00Z 2 30m)
$(esc 2020-01-01T01:30:00Z 3 1h)" \
    "(l) cron line: the old ticket (a new desk's limits: 30m, 1h, none)"
expect_eq "$(field "cur/$fresh" Tkt-Tier)" 1 "(l) cron line: the new ticket"
env -i PATH="$PATH" sh -c 'cd "$1" && tkt-route && tkt-escalate' sh "$desk" \
    </dev/null >out 2>&1 || fail "(l) cron line again: $(cat out)"
expect_eq "$(cat out)" "" "(l) cron line again: output"

# ---- (m) batches: output and files do not depend on their size -------
#
# The 200 tickets of (g), one with a plan and one closed but left in
# cur/ as a crash leaves it, are escalated and warned at 11:15 with one
# ticket a batch, three, and all in one batch: the output, -v's and
# -w's included, and the files must be the same.  Then again with the
# tickets named on standard input, some twice in a row, which the
# sweep must read again only after the first rewrite.
cd ../m
echo 'warn 3 20m' >>config
set -- $(ls cur)
tkt-plan --now "${day}T09:50:00Z" -u bob -m 'on it' "$1" >/dev/null
tkt-close --now "${day}T09:50:00Z" -u bob -r 'fixed' "$2" >/dev/null
mv "closed/cur/$2" "cur/$2"
ls cur | sed "/^$2\$/p; 100p; \$p" >names	# some twice in a row
cd ..
for b in 1 3 1024 1n 1024n; do
	cp -R m m$b
	cd m$b
	case $b in
	*n)	TKT_BATCH=${b%n} tkt-escalate -v -w warned \
		    --now "${day}T11:15:00Z" - <names >out 2>err ;;
	*)	TKT_BATCH=$b tkt-escalate -v -w warned \
		    --now "${day}T11:15:00Z" >out 2>err ;;
	esac || fail "(m) TKT_BATCH=$b: exit $?: $(cat err)"
	cd ..
done
expect_eq "$(grep -c '^\./cur/' m1/out)" 198 "(m) tickets escalated"
expect_eq "$(grep -c . m1/warned)" 198 "(m) tickets warned"
expect_eq "$(grep -v '^\./cur/' m1/out)" "./closed/cur/$2" "(m) the close"
grep -q "^$1: .*clock stopped" m1/err || fail "(m) -v on $1: $(cat m1/err)"
# -v explains more of tickets named.
expect_file_eq m1024n/err m1n/err "(m) TKT_BATCH=1024 -: stderr differs"
for b in 3 1024 1n 1024n; do
	case $b in
	*n)	set -- out warned ;;
	*)	set -- out warned err ;;
	esac
	for f; do
		expect_file_eq "m$b/$f" "m1/$f" "(m) TKT_BATCH=$b: $f differs"
	done
	for sub in new cur closed; do
		diff -r "m1/$sub" "m$b/$sub" >&2 ||
		    fail "(m) TKT_BATCH=$b: $sub/ differs"
	done
done
expect_fail env TKT_BATCH=0 tkt-escalate -d m1 --now "${day}T11:15:00Z"
expect_eq "$STATUS" 2 "(m) TKT_BATCH=0: status"
expect_fail env TKT_BATCH=9x tkt-escalate -d m1 --now "${day}T11:15:00Z"
expect_eq "$STATUS" 2 "(m) TKT_BATCH=9x: status"

# ---- (i) again: a file that is not a regular one ----------------------
#
# It must not hold up the sweep, which would keep the lock from every
# writer.  Last, because a sweep that hangs here takes a while to fail.
cd i
if [ -n "$to" ]; then
	rm -f cur/zzzzzzzzzz0*
	mkfifo cur/zzzzzzzzzz05
	mkdir cur/zzzzzzzzzz06
	st=0
	$to 10 tkt-escalate --now "${day}T10:30:00Z" >out 2>err || st=$?
	expect_eq "$st" 1 "(i) a FIFO and a directory in cur/: status"
	expect_eq "$(cat out)" "./cur/$t1
./cur/$t2" "(i) a FIFO and a directory in cur/: output"
	for f in zzzzzzzzzz05 zzzzzzzzzz06; do
		grep -qx "tkt-escalate: ./cur/$f: not a regular file" err ||
		    fail "(i) $f not reported: $(cat err)"
	done
	# The dry run reads headers only, with no fstat unless that fails.
	st=0
	$to 10 tkt-escalate -n --now "${day}T10:30:00Z" >out 2>err || st=$?
	expect_eq "$st" 1 "(i) -n, a FIFO and a directory in cur/: status"
	expect_eq "$(cat out)" "" "(i) -n, a FIFO and a directory: output"
	for f in zzzzzzzzzz05 zzzzzzzzzz06; do
		grep -qx "tkt-escalate: ./cur/$f: not a regular file" err ||
		    fail "(i) -n: $f not reported: $(cat err)"
	done
fi
cd ..
