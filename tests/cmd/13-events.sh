#!/bin/sh
# 13-events: tkt-plan, tkt-note, tkt-close and tkt-reopen: which state
# each needs, where tickets move, usage errors, operands (IDs, prefixes,
# stale paths, stdin), the clock after a reopen, and rewrites that keep
# every header and body byte tkt does not own.

. "$TKT_TESTS/lib.sh"

TKT_NODE=13
export TKT_NODE
day=2026-03-02

# esc TIME: the history line of the tier 1 limit (30m) running out.
esc()
{
	echo "$1 escalated by=clock tier=2 --" \
	    "tier 1 limit 30m reached without a plan"
}

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

mkdesk desk
cd desk
printf 'tiers 3\nlimit 1 30m\nlimit 2 1h\nlimit 3 none\n' >config
echo '# none' >rules
a=$(mk 'first' 08:00:00)
b=$(mk 'second' 08:00:01)
c=$(mk 'third' 08:00:02)
n=$(mk 'not routed' 08:00:03)
tkt-route $(at 09:00) "$a" "$b" "$c" >/dev/null

# ---- state rules -------------------------------------------------------
# refused CMD...: fails with status 1, nothing on stdout, desk unchanged.
refused()
{
	snap >before
	expect_fail "$@"
	expect_eq "$STATUS" 1 "$*: status"
	snap >after
	expect_file_eq before after "$*: changed the desk"
}

refused tkt-reopen $(at 09:01) -u bob -m 'why' "$a"
refused tkt-plan $(at 09:01) -u bob -m 'plan' "$n"
tkt-close $(at 09:02) -u bob -r 'fixed' "$a" >out
expect_eq "$(cat out)" "./closed/cur/$a" "close: output"
[ ! -e "cur/$a" ] || fail "close left the ticket in cur/"
expect_eq "$(field "closed/cur/$a" Tkt-State)" closed "close: state"
refused tkt-close $(at 09:03) -u bob -r 'again' "$a"
refused tkt-plan $(at 09:03) -u bob -m 'plan' "$a"
tkt-note $(at 09:04) -u bob -m 'user thanked us' "$a" >out
expect_eq "$(cat out)" "./closed/cur/$a" "note on a closed ticket"
tkt-reopen $(at 09:05) -u bob -m 'not fixed' "$a" >out
expect_eq "$(cat out)" "./cur/$a" "reopen: output"
[ ! -e "closed/cur/$a" ] || fail "reopen left the ticket in closed/cur/"
expect_eq "$(field "cur/$a" Tkt-State)" open "reopen: state"
refused tkt-reopen $(at 09:06) -u bob -m 'again' "$a"
expect_eq "$(hist "cur/$a" | sed 1,2d)" \
"${day}T09:02:00Z closed by=bob -- fixed
${day}T09:04:00Z noted by=bob -- user thanked us
${day}T09:05:00Z reopened by=bob -- not fixed" "history after close, reopen"

# ---- usage errors: status 2, nothing on stdout, nothing changed --------
snap >before
for args in 'tkt-plan' 'tkt-plan -m ""' 'tkt-plan -r x' 'tkt-note' \
    'tkt-note -x -m x' 'tkt-close' 'tkt-close -m x' 'tkt-close -r ""' \
    'tkt-reopen' 'tkt-reopen -r x' 'tkt-note -m x --now never'; do
	eval "expect_fail $args $b"
	expect_eq "$STATUS" 2 "$args: status"
	case $ERR in
	*usage:*|*--now*)	;;
	*)	fail "$args: no usage message: $ERR" ;;
	esac
done
snap >after
expect_file_eq before after "usage errors changed the desk"

# ---- operands ----------------------------------------------------------
# Several operands, and one per line on stdin (blank lines skipped).
tkt-note $(at 09:10) -u bob -m 'one' "$b" "$c" >out
expect_eq "$(cat out)" "./cur/$b
./cur/$c" "two operands"
printf '%s\n\n%s\n' "$c" "$b" | tkt-note $(at 09:11) -u bob -m 'two' >out
expect_eq "$(cat out)" "./cur/$c
./cur/$b" "two stdin lines"
expect_eq "$(hist "cur/$b" | sed 1,2d)" \
"${day}T09:10:00Z noted by=bob -- one
${day}T09:11:00Z noted by=bob -- two" "notes from operands and stdin"

# A bad operand among good ones: reported, the others done, status 1.
st=0
tkt-note $(at 09:12) -u bob -m 'three' "$b" zzzzzzzzzzzz "$c" >out 2>err ||
    st=$?
expect_eq "$st" 1 "a bad operand: status"
expect_eq "$(cat out)" "./cur/$b
./cur/$c" "a bad operand: output"
case $(cat err) in
*zzzzzzzzzzzz*)	;;
*)	fail "a bad operand: not reported: $(cat err)" ;;
esac

# Prefixes: a unique one of 4 or more characters works; an ambiguous
# one, an unknown one and a 3-character one are refused.
uniq=
k=4
while [ $k -le 12 ]; do
	pre=$(echo "$b" | cut -c1-$k)
	if [ "$(ls new cur closed/cur | grep -c "^$pre")" -eq 1 ]; then
		uniq=$pre
		break
	fi
	k=$((k + 1))
done
[ -n "$uniq" ] || fail "no unique prefix of $b"
[ ${#uniq} -lt 12 ] || fail "no proper unique prefix of $b"
tkt-note $(at 09:13) -u bob -m 'by prefix' "$uniq" >out
expect_eq "$(cat out)" "./cur/$b" "unique prefix"
common=$(echo "$b" | cut -c1-4)
[ "$(ls new cur closed/cur | grep -c "^$common")" -gt 1 ] ||
    fail "$common is not ambiguous here"
refused tkt-note $(at 09:14) -u bob -m 'x' "$common"
case $ERR in
*"$common"*ambiguous*)	;;
*)	fail "ambiguous prefix: message: $ERR" ;;
esac
refused tkt-note $(at 09:14) -u bob -m 'x' zzzzzz
case $ERR in
*zzzzzz*)	;;
*)	fail "unknown ID: message: $ERR" ;;
esac
refused tkt-note $(at 09:14) -u bob -m 'x' "$(echo "$n" | cut -c1-3)"

# A path printed before the ticket moved still names it, by its ID;
# so does a path in another directory.
tkt-note $(at 09:15) -u bob -m 'stale path' "./new/$b" >out
expect_eq "$(cat out)" "./cur/$b" "stale ./new/ path"
tkt-note $(at 09:16) -u bob -m 'other dir' "/elsewhere/closed/cur/$b" >out
expect_eq "$(cat out)" "./cur/$b" "path in another directory"
echo "./closed/cur/$c" | tkt-note $(at 09:17) -u bob -m 'stdin path' >out
expect_eq "$(cat out)" "./cur/$c" "stale path on stdin"
mkdir sub
(cd sub && tkt-note $(at 09:18) -u bob -m 'from below' "../new/$c") >out
expect_eq "$(cat out)" "../cur/$c" "from a subdirectory"

# ---- reopen resumes the clock with the time already used ---------------
t=$(mk 'clock' 08:01:00)
tkt-route $(at 09:00) "$t" >/dev/null
tkt-close $(at 09:20) -u bob -r 'seems fine' "$t" >/dev/null
tkt-escalate $(at 09:40) >/dev/null
tkt-reopen $(at 10:00) -u bob -m 'it is not' "$t" >/dev/null
tkt-escalate --now "${day}T10:09:59Z" -n >out
expect_eq "$(grep "$t" out || :)" "" "reopened: due before 10:10"
tkt-escalate $(at 10:10) >out
expect_eq "$(grep "$t" out || :)" "./cur/$t" "reopened: due at 10:10"
expect_eq "$(hist "cur/$t" | sed 1,2d)" \
"${day}T09:20:00Z closed by=bob -- seems fine
${day}T10:00:00Z reopened by=bob -- it is not
$(esc ${day}T10:10:00Z)" \
    "reopened: history"

# A plan is forgotten on reopening: the clock runs again from the time
# used before the plan.
p=$(mk 'planned' 08:01:01)
tkt-route $(at 09:00) "$p" >/dev/null
tkt-plan $(at 09:10) -u bob -m 'new cable' "$p" >/dev/null
tkt-close $(at 09:20) -u bob -r 'cable replaced' "$p" >/dev/null
tkt-reopen $(at 10:00) -u bob -m 'still flaky' "$p" >/dev/null
tkt-escalate --now "${day}T10:19:59Z" >out
expect_eq "$(grep "$p" out || :)" "" "reopened after a plan: before 10:20"
tkt-escalate $(at 10:20) >out
expect_eq "$(grep "$p" out || :)" "./cur/$p" "reopened after a plan: 10:20"

# ---- the same history gives the same file ------------------------------
# build DESK: one ticket through every kind of event; its path.
build()
{
	mkdesk "$1"
	printf 'tiers 3\nlimit 1 30m\nlimit 2 1h\nlimit 3 none\n' >"$1/config"
	echo '# none' >"$1/rules"
	id=$(echo 'Body.' | tkt-new -d "$1" --now "${day}T08:30:00Z" -u bob \
	    -s 'same' -c 'acme corp' -H 'X-Ref: 42' | sed 's,.*/,,')
	tkt-route -d "$1" $(at 09:00) "$id" >/dev/null
	tkt-note -d "$1" $(at 09:05) -u bob \
	    -m "$(printf 'two\nlines, 100%% = sure')" "$id" >/dev/null
	tkt-plan -d "$1" $(at 09:10) -u 'bob smith' -m 'a plan' "$id" \
	    >/dev/null
	tkt-close -d "$1" $(at 09:20) -u bob -r 'done' "$id" >/dev/null
	tkt-reopen -d "$1" $(at 10:00) -u bob -m 'again' "$id" >/dev/null
	tkt-note -d "$1" $(at 10:30) -u bob -m 'late' "$id" >/dev/null
	echo "$1/cur/$id"
}
cd ..
one=$(build one)
two=$(build two)
expect_file_eq "$one" "$two" "the same history, two files"
expect_eq "$(hist "$one" | sed 1,2d)" \
"${day}T09:05:00Z noted by=bob -- two lines, 100% = sure
${day}T09:10:00Z planned by=bob%20smith -- a plan
${day}T09:20:00Z closed by=bob -- done
${day}T10:00:00Z reopened by=bob -- again
$(esc ${day}T10:20:00Z)
${day}T10:30:00Z noted by=bob -- late" "history of the built ticket"
# Closing and reopening again gives back the same bytes.
cp "$one" before
id=${one##*/}
tkt-close -d one $(at 10:31) -u bob -r 'x' "$id" >/dev/null
tkt-close -d two $(at 10:31) -u bob -r 'x' "$id" >/dev/null
expect_file_eq "one/closed/cur/$id" "two/closed/cur/$id" "closed twins"

# ---- headers and body tkt does not own survive every rewrite -----------
mkdesk odd
cd odd
printf 'tiers 3\nlimit 1 30m\nlimit 2 1h\nlimit 3 none\n' >config
echo '# none' >rules
id=3zzzzzzzzzz0
cat >kept <<'EOF'
Return-Path: <bob@example.com>
X-Foo: first part
	second part, folded with a tab
  third part, with two spaces
From: =?UTF-8?Q?J=C3=BCrgen?= <j@example.com>
Subject: Grüße aus Köln — Drucker kaputt
X-Empty:
X-Spaces:    many   spaces   
Received: from a.example (a.example [192.0.2.1])
 by b.example; Mon, 02 Mar 2026 07:00:00 +0000
EOF
printf 'line with trailing spaces   \n\ttabbed line\n\n' >body
printf 'a NUL \000, a CR \r, a byte \377.\nlast line, no newline' >>body
{
	cat kept
	echo "Tkt-Log: ${day}T08:00:00Z created by=bob"
	echo
	cat body
} >"new/$id"

# check WHERE: the kept headers and the body are unchanged in cur/,
# closed/cur/ or new/ (WHERE); the summary follows the kept headers.
check()
{
	f=$1/$id
	[ -f "$f" ] || fail "$2: $f is not there"
	awk '/^Tkt-/ { exit } { print }' "$f" >got.kept
	expect_file_eq got.kept kept "$2: headers changed"
	size=$(wc -c <body | tr -d ' ')
	tail -c "$size" "$f" >got.body
	expect_file_eq got.body body "$2: body changed"
	expect_eq "$(sed -n "$(($(wc -l <kept) + 1))p" "$f")" "Tkt-Id: $id" \
	    "$2: summary not right after the kept headers"
}
tkt-note $(at 08:30) -u bob -m 'before routing' "$id" >/dev/null
check new note
tkt-route $(at 09:00) "$id" >/dev/null
check cur route
tkt-escalate $(at 09:30) >/dev/null
check cur escalate
tkt-plan $(at 09:40) -u bob -m 'p' "$id" >/dev/null
check cur plan
tkt-route $(at 09:45) -u bob -t 3 -r 'up' "$id" >/dev/null
check cur 'route by hand'
tkt-close $(at 09:50) -u bob -r 'c' "$id" >/dev/null
check closed/cur close
tkt-reopen $(at 09:55) -u bob -m 'r' "$id" >/dev/null
check cur reopen
cat kept >want
cat >>want <<EOF
Tkt-Id: $id
Tkt-State: open
Tkt-Tier: 3
Tkt-Log: ${day}T08:00:00Z created by=bob
Tkt-Log: ${day}T08:30:00Z noted by=bob -- before routing
Tkt-Log: ${day}T09:00:00Z routed by=rules tier=1
Tkt-Log: ${day}T09:30:00Z escalated by=clock tier=2 -- tier 1 limit 30m
 reached without a plan
Tkt-Log: ${day}T09:40:00Z planned by=bob -- p
Tkt-Log: ${day}T09:45:00Z routed by=bob tier=3 -- up
Tkt-Log: ${day}T09:50:00Z closed by=bob -- c
Tkt-Log: ${day}T09:55:00Z reopened by=bob -- r

EOF
cat body >>want
expect_file_eq "cur/$id" want "the odd ticket at the end"
