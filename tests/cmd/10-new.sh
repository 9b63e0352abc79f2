#!/bin/sh
# 10-new: tkt-new, from options and from a mail (-m): the file it
# writes, the path it prints, duplicates, the clock starting at receipt
# and not at the mail's Date, and its failures.

. "$TKT_TESTS/lib.sh"

TKT_NODE=7
export TKT_NODE
cet=CET-1CEST,M3.5.0,M10.5.0/3		# Central Europe, without tzdata

mkdesk desk
cd desk

# From options: the body from stdin, Date from --now written in UTC
# whatever TZ says, extra headers verbatim, and the created event.
printf 'The fuser clicks.\n\nSecond paragraph.\n' |
    TZ=$cet tkt-new --now '2026-03-02 10:00' -u bob \
    -f alice@example.com -s 'Printer on 3rd floor jams' \
    -c acme -C printer -p 3 -H 'X-Foo:  two  spaces ' -H 'X-Empty:' \
    >out 2>err || fail "tkt-new from options: $(cat err)"
expect_eq "$(cat err)" "" "tkt-new: stderr"
path=$(cat out)
id=${path##*/}
expect_eq "$path" "./new/$id" "tkt-new: printed path"
expect_eq "${#id}" 12 "ID length"
expect_eq "$(echo "$id" | tr -d 0-9a-hjkmnp-tv-z)" "" "ID alphabet"
cat >want <<EOF
From: alice@example.com
Subject: Printer on 3rd floor jams
Date: Mon, 02 Mar 2026 09:00:00 +0000
X-Foo:  two  spaces 
X-Empty:
Tkt-Id: $id
Tkt-State: new
Tkt-Client: acme
Tkt-Category: printer
Tkt-Priority: 3
Tkt-Log: 2026-03-02T09:00:00Z created by=bob client=acme category=printer
 priority=3

The fuser clicks.

Second paragraph.
EOF
expect_file_eq "new/$id" want "ticket from options"
expect_eq "$(find new cur closed -type f)" "new/$id" "files in the desk"

# The same options at the same instant in another desk with the same
# node give the same ID: nothing in an ID is left to chance.
mkdesk ../other
printf 'The fuser clicks.\n\nSecond paragraph.\n' |
    TZ=$cet tkt-new -d ../other --now '2026-03-02 10:00' -u bob \
    -f alice@example.com -s 'Printer on 3rd floor jams' \
    -c acme -C printer -p 3 -H 'X-Foo:  two  spaces ' -H 'X-Empty:' \
    >out || fail "tkt-new -d ../other"
expect_eq "$(cat out)" "../other/new/$id" "same ID in another desk"
expect_file_eq "../other/new/$id" "new/$id" "same ticket in another desk"

# A second ticket in the same second gets another ID.
echo more | tkt-new --now 2026-03-02T09:00:00Z -u bob -s again >out
id2=$(sed 's,.*/,,' out)
[ "$id2" != "$id" ] || fail "two tickets, one ID: $id"
expect_eq "$(cat out)" "./new/$id2" "second ticket path"
expect_eq "$(sed -n 's/^Subject: //p' "new/$id2")" again "second subject"

# Defaults: subject "(no subject)", From the user, and an empty body.
tkt-new --now 2026-03-02T09:00:01Z -u carol </dev/null >out
id3=$(sed 's,.*/,,' out)
cat >want <<EOF
From: carol@$(hostname)
Subject: (no subject)
Date: Mon, 02 Mar 2026 09:00:01 +0000
Tkt-Id: $id3
Tkt-State: new
Tkt-Log: 2026-03-02T09:00:01Z created by=carol

EOF
expect_file_eq "new/$id3" want "ticket with defaults"

# Bad -H: usage status 2, nothing on stdout, no ticket.
echo body >body
before=$(ls new)
for h in 'NoColon' ': value' 'Bad Name: value' 'Tkt-State: closed' \
    'tkt-tier: 3' "$(printf 'X-A: 1\nX-B: 2')"; do
	expect_fail tkt-new --now 2026-03-02T09:00:02Z -H "$h" <body
	expect_eq "$STATUS" 2 "-H '$h': status"
	case $ERR in
	tkt-new:*)	;;
	*)	fail "-H '$h': no diagnostic: $ERR" ;;
	esac
done
expect_fail tkt-new -x </dev/null
expect_eq "$STATUS" 2 "unknown option: status"
expect_fail tkt-new -m -s subject </dev/null
expect_eq "$STATUS" 2 "-m with -s: status"
expect_fail tkt-new operand </dev/null
expect_eq "$STATUS" 2 "operand: status"
expect_fail tkt-new --now yesterday </dev/null
expect_eq "$STATUS" 2 "bad --now: status"
expect_eq "$(ls new)" "$before" "failed tkt-new made a ticket"

# -m: a mail with encoded words: two adjacent B words, on two lines,
# that split one character between them join without the blanks, a Q
# word has underscores for spaces, one word is in Latin-1, and a raw
# 8-bit Latin-1 name is read as Latin-1.  Date and Message-ID are kept
# as they are; Received and other headers are not.
{
	cat <<'EOF'
Received: from mx.example.com by desk.example.com;
 Tue, 01 Jan 2019 09:59:00 +0100
From: =?UTF-8?B?SsM=?=
 =?UTF-8?B?vHJnZW4=?= =?utf-8?q?_M=C3=BCller?= <jm@example.com>
Subject: =?ISO-8859-1?Q?Caf=E9_au_lait?= ist kalt,
EOF
	printf ' sagt Ren\351\n'
	cat <<'EOF'
Date: Tue, 01 Jan 2019 10:00:00 +0100
Message-ID: <20190101.abc@mx.example.com>
X-Mailer: Pine 4.64

Hallo,

der Kaffee ist kalt.
EOF
} >mail.lf
awk '{ printf "%s\r\n", $0 }' mail.lf >mail.crlf
[ "$(wc -c <mail.crlf)" -gt "$(wc -c <mail.lf)" ] ||
    fail "could not make a CRLF mail"
tkt-new -m --now 2026-03-02T09:10:00Z <mail.lf >out 2>err ||
    fail "tkt-new -m: $(cat err)"
expect_eq "$(cat err)" "" "tkt-new -m: stderr"
mid=$(sed 's,.*/,,' out)
expect_eq "$(cat out)" "./new/$mid" "tkt-new -m: printed path"
cat >want <<EOF
From: Jürgen Müller <jm@example.com>
Subject: Café au lait ist kalt, sagt René
Date: Tue, 01 Jan 2019 10:00:00 +0100
Message-ID: <20190101.abc@mx.example.com>
Tkt-Id: $mid
Tkt-State: new
Tkt-Log: 2026-03-02T09:10:00Z created by=mail msg=$mid
 sent=2019-01-01T09:00:00Z

Hallo,

der Kaffee ist kalt.
EOF
expect_file_eq "new/$mid" want "ticket from a mail"

# The same mail with CRLF line ends gives the same ticket.
mkdesk ../crlf
tkt-new -d ../crlf -m --now 2026-03-02T09:10:00Z <mail.crlf >out 2>err ||
    fail "tkt-new -m, CRLF: $(cat err)"
expect_eq "$(cat out)" "../crlf/new/$mid" "CRLF mail: path"
expect_file_eq "../crlf/new/$mid" "new/$mid" "CRLF mail: ticket"

# The same Message-ID again, wherever the ticket is by now: exit 0,
# nothing on stdout, nothing written.
files()
{
	find new cur closed -type f | sort
}
files >files.before
cp "new/$mid" first
tkt-new -m --now 2026-03-02T09:11:00Z <mail.lf >out 2>err ||
    fail "duplicate: exit $?: $(cat err)"
expect_eq "$(cat out)" "" "duplicate in new/: stdout"
expect_eq "$(files)" "$(cat files.before)" "duplicate in new/: files"
expect_file_eq "new/$mid" first "duplicate in new/ changed the ticket"
tkt-route --now 2026-03-02T09:12:00Z "$mid" >/dev/null
files >files.before
cp "cur/$mid" first
tkt-new -m --now 2026-03-02T09:13:00Z <mail.crlf >out ||
    fail "duplicate in cur/: exit $?"
expect_eq "$(cat out)" "" "duplicate in cur/: stdout"
expect_eq "$(files)" "$(cat files.before)" "duplicate in cur/: files"
expect_file_eq "cur/$mid" first "duplicate in cur/ changed the ticket"
tkt-close --now 2026-03-02T09:14:00Z -u bob -r 'done' "$mid" >/dev/null
files >files.before
cp "closed/cur/$mid" first
tkt-new -m --now 2026-03-02T09:15:00Z <mail.lf >out ||
    fail "duplicate in closed/cur/: exit $?"
expect_eq "$(cat out)" "" "duplicate in closed/cur/: stdout"
expect_eq "$(files)" "$(cat files.before)" "duplicate in closed/cur/: files"
expect_file_eq "closed/cur/$mid" first \
    "duplicate in closed/cur/ changed the ticket"

# Five deliveries of one mail at once: one ticket, every one exit 0,
# one path printed in all.
sed 's/<20190101.abc@/<race@/' mail.lf >race
files >files.before
pids=
for k in 1 2 3 4 5; do
	tkt-new -m --now 2026-03-02T09:15:30Z <race >race.$k 2>&1 &
	pids="$pids $!"
done
st=0
for pid in $pids; do
	wait "$pid" || st=$?
done
expect_eq "$st" 0 "concurrent deliveries: status: $(cat race.*)"
expect_eq "$(grep -h '^\./new/' race.* | wc -l | tr -d ' ')" 1 \
    "concurrent deliveries: paths printed: $(cat race.*)"
expect_eq "$(files | grep -c -v -x -F -f files.before)" 1 \
    "concurrent deliveries: tickets made"


# Mails without a Message-ID are told apart by their bytes: the same
# one twice is a duplicate, a different one a ticket of its own.
printf 'From: x@example.com\nSubject: no id\n\nbody\n' >noid
tkt-new -m --now 2026-03-02T09:16:00Z <noid >out1
tkt-new -m --now 2026-03-02T09:16:00Z <noid >out2
[ -s out1 ] || fail "mail without Message-ID: no ticket"
expect_eq "$(cat out2)" "" "mail without Message-ID, again: stdout"
printf 'From: x@example.com\nSubject: no id\n\nbody 2\n' |
    tkt-new -m --now 2026-03-02T09:16:00Z >out2
[ -s out2 ] && [ "$(cat out1)" != "$(cat out2)" ] ||
    fail "another mail without Message-ID: $(cat out1 out2)"

# The clock starts when the ticket is routed, not at its Date (2019):
# delivered and routed at 10:00, nothing is due at 10:29, and the
# escalation at 10:30 is recorded at 10:30.
mkdesk ../clock
cd ../clock
echo '# none' >rules
sed 's/<20190101.abc@/<clock@/' ../desk/mail.lf >clock.eml
tkt-new -m --now 2026-03-02T10:00:00Z <clock.eml >new.out
tkt-route --now 2026-03-02T10:00:00Z - <new.out >out
cid=$(sed 's,.*/,,' out)
expect_eq "$(cat out)" "./cur/$cid" "routed mail: path"
cp "cur/$cid" before
tkt-escalate --now 2026-03-02T10:29:00Z >out
expect_eq "$(cat out)" "" "sweep at 10:29"
expect_file_eq "cur/$cid" before "sweep at 10:29 changed the ticket"
tkt-escalate --now 2026-03-02T10:30:00Z >out
expect_eq "$(cat out)" "./cur/$cid" "sweep at 10:30"
expect_eq "$(sed -n '/^Tkt-Log:/,/^$/p' "cur/$cid")" \
"Tkt-Log: 2026-03-02T10:00:00Z created by=mail msg=$cid
 sent=2019-01-01T09:00:00Z
Tkt-Log: 2026-03-02T10:00:00Z routed by=rules tier=1
Tkt-Log: 2026-03-02T10:30:00Z escalated by=clock tier=2 -- tier 1 limit 30m
 reached without a plan" "history of the routed mail"
expect_eq "$(sed -n 's/^Tkt-Tier: //p' "cur/$cid")" 2 "tier after 10:30"

# Outside a desk: status 1, a message that says so, nothing written.
cd ..
mkdir nodesk
cd nodesk
expect_fail tkt-new -s x <../desk/body
expect_eq "$STATUS" 1 "outside a desk: status"
case $ERR in
tkt-new:*'not in a desk'*)	;;
*)	fail "outside a desk: message: $ERR" ;;
esac
expect_eq "$(ls -A)" "" "outside a desk: files made"
expect_fail tkt-new -d ../nodesk -s x <../desk/body
expect_eq "$STATUS" 1 "-d not a desk: status"
case $ERR in
*../nodesk*)	;;
*)	fail "-d not a desk: message does not name it: $ERR" ;;
esac

# The delivery pipeline of tkt(7), with a mail that is slow to arrive:
# tkt-route must not hold the desk lock while it waits for tkt-new,
# which needs the lock to write the ticket.
cd ../clock
to=
if command -v timeout >/dev/null 2>&1; then
	to='timeout 10'
fi
sed 's/<clock@/<slow@/' clock.eml >slow
mkdesk ../probe
sid=$(tkt-new -d ../probe -m <slow | sed 's,.*/,,')
(sleep 1; cat slow) | $to tkt-new -m --now 2026-03-02T11:00:00Z 2>err1 |
    $to tkt-route --now 2026-03-02T11:00:00Z - >out 2>err2 || :
expect_eq "$(cat out)" "./cur/$sid" \
    "tkt-new -m | tkt-route -: not routed; $(cat err1 err2)"

# An mbox envelope line before the headers, as some delivery agents
# write it, is dropped; a mail of headers only, without a final
# newline, is a ticket with an empty body.
mkdesk ../mbox
printf 'From alice@example.com Mon Mar  2 10:00:00 2026\nFrom: alice@example.com\nSubject: envelope\nMessage-ID: <env@x>\n\nhi\n' |
    tkt-new -d ../mbox -m --now 2026-03-02T10:00:00Z >out ||
    fail "tkt-new -m with an mbox envelope line"
grep -q '^Subject: envelope$' "$(cat out)" || fail "envelope: subject lost"
grep -q '^From alice' "$(cat out)" && fail "envelope: line kept"
printf 'From: bob@example.com\nSubject: headers only' |
    tkt-new -d ../mbox -m --now 2026-03-02T10:00:00Z >out ||
    fail "tkt-new -m, headers only without a newline"
expect_eq "$(sed -n '$p' "$(cat out)")" "" "headers only: empty body"
grep -q '^Subject: headers only$' "$(cat out)" ||
    fail "headers only: subject"

# The headers tkt-new writes itself cannot come twice through -H.
for h in 'Date: Mon, 1 Jan 2024 00:00:00 +0000' 'From: x@y' 'Subject: s'; do
	expect_fail tkt-new -d ../mbox -H "$h" </dev/null
	expect_eq "$STATUS" 2 "-H $h: status"
done
