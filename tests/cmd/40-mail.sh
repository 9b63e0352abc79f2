#!/bin/sh
# 40-mail: tkt-new -m on the mails in tests/mail: encoded words, long
# and folded headers, line ends, dates, threading by references and by
# the [ID] in the subject, flags, duplicates, and monitoring alerts
# gathered by their key and closed by their recovery.

. "$TKT_TESTS/lib.sh"

M=$TKT_TESTS/mail
T=2026-03-02T09:00:00Z
TKT_NODE=7
export TKT_NODE

mkdesk desk
cd desk
echo 'flood none' >>config	# Ann writes often here; floods are below

# deliver FILE [SED]: tkt-new -m on FILE, edited by SED; prints the path.
deliver()
{
	sed "${2:-}" "$1" >in.eml
	tkt-new -m --now $T <in.eml 2>err || fail "$1: exit $?: $(cat err)"
}

hdr()
{
	sed -n "/^\$/q; s/^$2: //p" "$1"
}

# Two B words join without the blank between them.
p=$(deliver "$M/two-b-words.eml")
expect_eq "$(hdr "$p" Subject)" "Printer on 3rd floor jams" "two B words"
id=${p##*/}
msgid=$(hdr "$p" Message-ID)

# One character split across two Q words comes out whole.
p2=$(deliver "$M/split-char.eml")
expect_eq "$(hdr "$p2" Subject)" "café machine" "split character"
expect_eq "$(hdr "$p2" From)" "René Dupont <rene@acme.example>" \
    "split character in From"

# A reply naming the ticket in its subject is added to it; the blank
# before the encoded word stays.
p3=$(deliver "$M/reply-encoded.eml" "s/@ID@/$id/")
expect_eq "$p3" "$p" "reply by subject: ticket"
expect_eq "$(hist "$p" | sed -n 2p | sed 's/.* -- //')" \
    "Re: [$id] café down" "reply by subject: text"
grep -q '^Still down\.$' "$p" || fail "reply by subject: body not added"

# Reply and forward prefixes of other languages, any number of them,
# with or without a blank after the colon.
for f in prefix-vs prefix-aw-wg prefix-re; do
	expect_eq "$(deliver "$M/$f.eml" "s/@ID@/$id/")" "$p" "$f: ticket"
done
expect_eq "$(hist "$p" | grep -c ' mailed ')" 4 "mailed events"

# An ID that is not on the desk makes a new ticket that says so.
p4=$(deliver "$M/prefix-vs.eml" "s/@ID@/zzzzzzzzzzzz/; s/<vs@/<vs2@/")
[ "$p4" != "$p" ] || fail "unknown ID: threaded"
hist "$p4" | grep -q -- '-- the subject names ticket zzzzzzzzzzzz, which is not on this desk$' ||
    fail "unknown ID: $(hist "$p4")"

# A header line of 1,000 characters before From and Subject.
p5=$(deliver "$M/long-line.eml")
expect_eq "$(hdr "$p5" From)" "Bob <bob@acme.example>" "after a long line: From"
expect_eq "$(hdr "$p5" Subject)" "after a long line" \
    "after a long line: Subject"

# A References header folded over 24 KB, with the ticket's own mail
# last: the reply is found, and nothing is cut.
[ "$(wc -c <"$M/references.eml")" -gt 20000 ] || fail "references.eml short"
expect_eq "$(deliver "$M/references.eml" "s/@MSGID@/$msgid/")" "$p" \
    "20 KB References"
cmp -s in.eml "mail/$(hist "$p" | sed -n '$s/.* msg=\([^ ]*\).*/\1/p')" ||
    fail "20 KB References: original not kept byte for byte"

# LF, CRLF and mixed line ends give the same ticket.
for e in lf crlf mixed; do
	mkdesk ../$e
	case $e in
	lf)	cp "$M/line-ends.eml" in.eml ;;
	crlf)	awk '{ printf "%s\r\n", $0 }' "$M/line-ends.eml" >in.eml ;;
	mixed)	awk 'NR % 2 { printf "%s\r\n", $0; next } { print }' \
		    "$M/line-ends.eml" >in.eml ;;
	esac
	tkt-new -d ../$e -m --now $T <in.eml >out || fail "$e: exit $?"
	cmp -s in.eml "../$e/mail/$(sed 's,.*/,,' out)" ||
	    fail "$e: original not kept byte for byte"
	sed 's,^\.\./[a-z]*/,,' out >$e.path
done
expect_file_eq ../lf/"$(cat lf.path)" ../crlf/"$(cat crlf.path)" "LF and CRLF"
expect_file_eq ../lf/"$(cat lf.path)" ../mixed/"$(cat mixed.path)" "LF and mixed"
p6=../lf/$(cat lf.path)
expect_eq "$(hdr "$p6" Subject)" "Kühlschrank leaks onto the floor" \
    "folded Latin-1 subject"
expect_eq "$(sed '1,/^$/d' "$p6")" "Line one with café,
a soft break." "quoted-printable body"

# Dates: read ones become sent=, an unreadable one stays as it was and
# is flagged, a missing one is the time of receipt.
n=0
while IFS='|' read -r date want; do
	n=$((n + 1))
	p7=$(deliver "$M/dates.eml" "s/@DATE@/$date/; s/@N@/$n/")
	expect_eq "$(hdr "$p7" Date)" "$date" "Date $date: kept"
	case $want in
	bad)	hist "$p7" | grep -q ' flag=baddate' ||
		    fail "Date $date: not flagged: $(hist "$p7")" ;;
	*)	hist "$p7" | grep -q " sent=$want\$" ||
		    fail "Date $date: want sent=$want: $(hist "$p7")" ;;
	esac
done <<'EOF'
Thu, 6 Oct 2022 12:27:13 +0200 (GMT+02:00)|2022-10-06T10:27:13Z
12 May 23 00:00:05 -0800|2023-05-12T08:00:05Z
Tue, 12 May 2020 12:08:24 UT|2020-05-12T12:08:24Z
Tue Jul 24 18:55:07 2007|2007-07-24T18:55:07Z
the day after tomorrow|bad
EOF
p8=$(deliver "$M/dates.eml" "/^Date:/d; s/@N@/none/")
expect_eq "$(hdr "$p8" Date)" "Mon, 02 Mar 2026 09:00:00 +0000" "no Date"
hist "$p8" | grep -q -e ' sent=' -e ' flag=' && fail "no Date: $(hist "$p8")"

# An out-of-office reply is filed, flagged, and does not end a wait.
p9=$(deliver "$M/auto-replied.eml")
hist "$p9" | grep -q ' created by=mail msg=[^ ]* flag=autoreply$' ||
    fail "auto-replied: $(hist "$p9")"
tkt-route --now $T "$id" >/dev/null
p=./cur/$id
tkt-wait --now $T -m 'asked for the model' "$id" >/dev/null
deliver "$M/auto-replied.eml" "s/<ooo@/<ooo2@/; s/^Subject: .*/Subject: Re: [$id] away/" >/dev/null
expect_eq "$(hist "$p" | tail -n 1 | cut -d' ' -f2)" mailed "auto reply: wait ended"

# A person's reply ends the wait.
p10=$(deliver "$M/prefix-re.eml" "s/@ID@/$id/; s/<re-nospace@/<re2@/")
expect_eq "$(hist "$p10" | tail -n 1 | cut -d' ' -f2)" resumed "reply: wait not ended"

# A reply to a closed ticket reopens it; an out-of-office reply does
# not; after the reopen window a reply opens a new ticket linked to it.
echo 'reopen 1d' >>config
tkt-close --now $T -r 'replaced the toner' "$id" >/dev/null
p=./closed/cur/$id
deliver "$M/auto-replied.eml" "s/<ooo@/<ooo3@/; s/^Subject: .*/Subject: Re: [$id] away/" >/dev/null
expect_eq "$(hist "$p" | tail -n 1 | cut -d' ' -f2)" mailed "auto reply: reopened"
p=$(deliver "$M/prefix-re.eml" "s/@ID@/$id/; s/<re-nospace@/<re3@/")
expect_eq "$p" "./cur/$id" "reply to closed: path"
expect_eq "$(hist "$p" | tail -n 1 | cut -d' ' -f2)" reopened "reply to closed"
tkt-close --now $T -r 'done again' "$id" >/dev/null
T=2026-03-04T09:00:01Z
p11=$(deliver "$M/prefix-re.eml" "s/@ID@/$id/; s/<re-nospace@/<re4@/")
[ "$p11" != "./closed/cur/$id" ] || fail "late reply: reopened"
hist "$p11" | sed 1q | grep -q " link=$id -- follows ticket $id, closed\$" ||
    fail "late reply: $(hist "$p11" | sed 1q)"
T=2026-03-02T09:00:00Z

# The same Message-ID twice: one ticket, exit 0, nothing on stdout.
ls new cur closed/cur >before
expect_eq "$(deliver "$M/two-b-words.eml")" "" "duplicate: stdout"
grep -q 'already in ticket' err || fail "duplicate: $(cat err)"
ls new cur closed/cur >after
expect_file_eq before after "duplicate made a ticket"

# A Message-ID that names no message ("<>"), or one that a device gives
# every mail it sends, does not make different mails duplicates; the
# same mail again still is one.
for b in one two; do
	printf 'From: ups@acme.example\nSubject: %s\nMessage-ID: <>\n\n%s\n' \
	    "$b" "$b" | tkt-new -m --now $T >>empty.out
done
expect_eq "$(sort -u empty.out | wc -l | tr -d ' ')" 2 "Message-ID <>"
for b in 1 2 1; do
	printf 'From: cam@acme.example\nSubject: motion %s\nDate: Mon, 2 Mar 2026 0%s:00:00 +0000\nMessage-ID: <1@localhost>\n\nmotion\n' \
	    "$b" "$b" | tkt-new -m --now $T >>same.out 2>>same.err
done
expect_eq "$(grep -c . same.out)" 2 "reused Message-ID: tickets"
grep -q 'already in ticket' same.err || fail "reused Message-ID: $(cat same.err)"

# An index entry whose ticket lacks the mail, as a crash between the
# two leaves it, is no duplicate: the mail is filed on redelivery.
p12=$(deliver "$M/two-b-words.eml" "s/<two-b@/<crash@/")
rm "$p12"
expect_eq "$(deliver "$M/two-b-words.eml" "s/<two-b@/<crash@/")" "$p12" \
    "redelivery after a crash before the ticket"
cp "$p12" before.crash
deliver "$M/prefix-re.eml" "s/@ID@/${p12##*/}/; s/<re-nospace@/<re5@/" >/dev/null
cp before.crash "$p12"
expect_eq "$(deliver "$M/prefix-re.eml" "s/@ID@/${p12##*/}/; s/<re-nospace@/<re5@/")" \
    "$p12" "redelivery after a crash before the append"
expect_eq "$(hist "$p12" | grep -c ' mailed ')" 1 "after a crash: mailed once"

# A ticket whose history nearly fills the 1 MiB of its header takes no
# more mail: the next opens a new ticket that follows it.
big=$(awk 'BEGIN { while (n++ < 120000) printf "m" }')
i=0
while [ $i -lt 7 ]; do
	tkt-note --now $T -m "$big" "${p12##*/}" >/dev/null
	i=$((i + 1))
done
p13=$(deliver "$M/prefix-re.eml" "s/@ID@/${p12##*/}/; s/<re-nospace@/<re6@/")
[ "$p13" != "$p12" ] || fail "full history: added anyway"
hist "$p13" | sed 1q | grep -q "link=${p12##*/} -- follows ticket ${p12##*/}, whose history is full\$" ||
    fail "full history: $(hist "$p13" | sed 1q)"
# The full ticket is closed, pointing on, and later mail for it goes to
# the one that follows it.
hist "closed/cur/${p12##*/}" | tail -n 1 |
    grep -q "closed by=mail link=${p13##*/} -- continued in ticket ${p13##*/}: history full\$" ||
    fail "full history: not closed: $(hist "closed/cur/${p12##*/}" | tail -n 1)"
expect_eq "$(deliver "$M/prefix-re.eml" "s/@ID@/${p12##*/}/; s/<re-nospace@/<re7@/")" \
    "$p13" "full history: next reply"

# Fifty alerts for one host and check: one ticket with fifty entries;
# the recovery closes it.
mkdesk ../rmm
cd ../rmm
cat >>rules <<'EOF'

# Nagios: a problem and its recovery share the key host:service.
match From /^Nagios <nagios@monitor\.acme\.example>$/
match Subject /^\*\* PROBLEM Service Alert: ([^/]+)/(.*) is (WARNING|CRITICAL|UNKNOWN) \*\*$/
set key nagios:\1:\2
set category monitoring

match From /^Nagios <nagios@monitor\.acme\.example>$/
match Subject /^\*\* RECOVERY Service Alert: ([^/]+)/(.*) is OK \*\*$/
set key nagios:\1:\2
recovery
EOF
i=0
while [ $i -lt 50 ]; do
	i=$((i + 1))
	deliver "$M/alert-problem.eml" "s/@N@/$i/" >>paths
done
expect_eq "$(sort -u paths | wc -l | tr -d ' ')" 1 "fifty alerts: tickets"
a=$(sed 1q paths)
expect_eq "$(hist "$a" | grep -c ' msg=')" 50 "fifty alerts: entries"
hist "$a" | sed 1q | grep -q ' key=nagios:web01:Disk%20/var' ||
    fail "fifty alerts: key: $(hist "$a" | sed 1q)"
tkt-route --now $T - <paths >/dev/null
r=$(deliver "$M/alert-recovery.eml")
expect_eq "${r#./}" "closed/cur/${a##*/}" "recovery: closed"
hist "$r" | tail -n 1 | grep -q ' closed by=mail -- recovered: \*\* RECOVERY' ||
    fail "recovery: $(hist "$r" | tail -n 2)"
# The next problem opens a new ticket.
n=$(deliver "$M/alert-problem.eml" "s/@N@/51/")
[ "$n" != "$r" ] && [ "${n#./new/}" != "$n" ] || fail "after recovery: $n"

# A sender flooding the desk: three tickets in ten minutes, then the
# rest go to the third, flagged.
mkdesk ../flood
cd ../flood
echo 'flood 3 10m' >>config
i=0
while [ $i -lt 6 ]; do
	i=$((i + 1))
	sed "s/<long@/<flood$i@/; s/^Subject: .*/Subject: help $i/" \
	    "$M/long-line.eml" | tkt-new -m --now $T >>paths
done
expect_eq "$(sort -u paths | wc -l | tr -d ' ')" 3 "flood: tickets"
f=$(sed -n 3p paths)
expect_eq "$(sed -n '4,6p' paths | sort -u)" "$f" "flood: added to the third"
expect_eq "$(hist "$f" | grep -c ' mailed .*flag=flood')" 3 "flood: flagged"
# Ten minutes on, the sender opens tickets again.
sed "s/<long@/<flood7@/" "$M/long-line.eml" |
    tkt-new -m --now 2026-03-02T09:10:00Z >out
grep -q -x -F -f out paths && fail "flood: window did not end"
:

# Out-of-office subjects need their colon: a person's "Absence of ..."
# is no auto reply.
cd ../desk
p14=$(deliver "$M/long-line.eml" "s/<long@/<ooo4@/; s/^Subject: .*/Subject: Absence of network in room 3/")
hist "$p14" | grep -q flag= && fail "human subject flagged: $(hist "$p14")"
p15=$(deliver "$M/long-line.eml" "s/<long@/<ooo5@/; s/^Subject: .*/Subject: Automatic reply: printer/")
hist "$p15" | grep -q ' flag=autoreply' || fail "Automatic reply: $(hist "$p15")"

# A bad TKT_LOCKWAIT is a temporary failure, not a default.
sed 's/<long@/<lw@/' "$M/long-line.eml" >in.eml
expect_fail env TKT_LOCKWAIT=abc tkt-new -m --now $T <in.eml
expect_eq "$STATUS" 75 "TKT_LOCKWAIT=abc: status"

# tkt-show -a names the attachment it did not find.
expect_fail tkt-show -a 3 "$p15"
expect_eq "$ERR" "tkt-show: ${p15##*/}: no attachment 3" "-a 3: message"
