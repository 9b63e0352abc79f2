#!/bin/sh
# 42-ack: tkt-ack on tickets made from mail: the whole message for a
# plain one, subjects encoded and folded, templates, every refusal, the
# usage errors, and a reply to the acknowledgement that threads back
# into its ticket.  Nothing here runs a mail transport agent.

. "$TKT_TESTS/lib.sh"

T=2026-03-02T09:00:00Z
NOW=2026-03-02T09:00:05Z		# 1772442005
FROM='Acme Help <help@acme.example>'
TKT_NODE=7
export TKT_NODE

mkdesk desk
cd desk
echo 'flood none' >>config	# Ann writes often here
cat >>rules <<'EOF'

match Subject /^ALERT disk full on ([a-z0-9]+)$/
set key disk:\1
EOF

# deliver: tkt-new -m on standard input; prints the ticket's path.
deliver()
{
	cat >in.eml
	tkt-new -m --now $T <in.eml 2>err ||
	    fail "deliver: exit $?: $(cat err)"
}

ack()
{
	tkt-ack -f "$FROM" --now $NOW "$@"
}

hdr()
{
	sed -n "/^\$/q; s/^$2: //p" "$1"
}

# A plain ticket from a mail: the whole message.
p=$(deliver <<'EOF'
From: Ann Smith <Ann.Smith@acme.example>
To: help@acme.example
Subject: Printer on 3rd floor jams
Date: Mon, 2 Mar 2026 09:58:00 +0100
Message-ID: <jam-1@acme.example>

The paper jams on every page.
EOF
)
id=${p##*/}
snap >before
ack "$p" >ack 2>err || fail "plain: exit $?: $(cat err)"
[ ! -s err ] || fail "plain: stderr: $(cat err)"
cat >want <<EOF
From: Acme Help <help@acme.example>
To: Ann.Smith@acme.example
Subject: Re: [$id] Printer on 3rd floor jams
Date: Mon, 02 Mar 2026 09:00:05 +0000
Message-ID: <$id.ack.1772442005@acme.example>
In-Reply-To: <jam-1@acme.example>
References: <jam-1@acme.example>
Auto-Submitted: auto-replied
X-Auto-Response-Suppress: All
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Thank you for your message.  We have it as ticket [$id]:

    Printer on 3rd floor jams

Please keep [$id] in the subject of anything you send about it;
a reply to this message keeps it.

This acknowledgement was sent automatically.
EOF
expect_file_eq ack want "plain ticket"
# By ID prefix too, and TKT_NOW for --now.
TKT_NOW=$NOW tkt-ack -f "$FROM" "$(echo "$id" | cut -c1-6)" >ack2
expect_file_eq ack2 want "by prefix"
snap >after
expect_file_eq before after "the desk was written"

# A reply built from the acknowledgement threads back into the ticket:
# by its References, with the [ID] in its subject or without it.
ackmid=$(hdr ack Message-ID)
ackrefs=$(hdr ack References)
acksubj=$(hdr ack Subject)
r=$(deliver <<EOF
From: Ann Smith <Ann.Smith@acme.example>
To: help@acme.example
Subject: Re: $acksubj
Message-ID: <jam-2@acme.example>
In-Reply-To: $ackmid
References: $ackrefs $ackmid

It jams on the second page only.
EOF
)
expect_eq "$r" "$p" "reply to the ack: ticket"
r=$(deliver <<EOF
From: Ann Smith <Ann.Smith@acme.example>
Subject: one more thing
Message-ID: <jam-3@acme.example>
In-Reply-To: $ackmid
References: $ackrefs $ackmid

And it smells of toner.
EOF
)
expect_eq "$r" "$p" "reply to the ack without the ID: ticket"
expect_eq "$(hist "$p" | grep -c ' mailed ')" 2 "replies: mailed events"

# refuse PATH WHAT REASON: exit 1, nothing on stdout, and the reason.
refuse()
{
	expect_fail ack "$1"
	expect_eq "$STATUS" 1 "$2: status"
	expect_eq "$ERR" "tkt-ack: ${1##*/}: $3" "$2: message"
}

# Mail was added since: acknowledged once, not for each reply.
refuse "$p" "after replies" \
    "mail was added to it since it was made; only a new ticket is acknowledged"

# Not from a mail.
n=$(tkt-new --now $T -s 'Phone call: printer' -f 'Bob <bob@acme.example>' \
    </dev/null)
refuse "$n" "tkt-new -s" "not made from a mail"

# Robots, known by the flags tkt-new -m gave their mail.
n=$(deliver <<'EOF'
From: Backup <backup@acme.example>
Subject: Nightly backup report
Auto-Submitted: auto-generated
Message-ID: <backup-1@acme.example>

All good.
EOF
)
refuse "$n" "Auto-Submitted" "its mail is flagged auto: a robot's"
n=$(deliver <"$TKT_TESTS/mail/auto-replied.eml")
refuse "$n" "auto-replied" "its mail is flagged autoreply: a robot's"
n=$(deliver <<'EOF'
From: Acme News <news@acme.example>
Subject: Our March newsletter
Precedence: bulk
Message-ID: <news-1@acme.example>

News.
EOF
)
refuse "$n" "Precedence bulk" "its mail is flagged bulk: a robot's"
n=$(deliver <<'EOF'
From: Mail Delivery System <MAILER-DAEMON@mx.acme.example>
Subject: Undelivered Mail Returned to Sender
Message-ID: <bounce-1@mx.acme.example>

This is the mail system at host mx.acme.example.
EOF
)
hist "$n" | grep -q ' flag=bounce' || fail "bounce: not flagged: $(hist "$n")"
refuse "$n" "bounce" "its mail is flagged bounce: a robot's"
# Without its flag, as from a desk of before the flags, its address
# alone still marks the bounce.
sed 's/ flag=bounce//' "$n" >unflagged
mv unflagged "$n"
refuse "$n" "MAILER-DAEMON unflagged" "from a robot's address"

# Robots known by their address alone.
for a in No-Reply@shop.example noreply-orders@shop.example \
    donotreply@shop.example do-not-reply@shop.example; do
	n=$(deliver <<EOF
From: Shop <$a>
Subject: Your order
Message-ID: <order-$a>

Shipped.
EOF
)
	hist "$n" | grep -q ' flag=' && fail "$a: flagged: $(hist "$n")"
	refuse "$n" "$a" "from a robot's address"
done
# But not a person whose name begins like one.
n=$(deliver <<'EOF'
From: Nora <noreplyhelp@shop.example>
Subject: Where is my order?
Message-ID: <nora-1@shop.example>

Nothing came.
EOF
)
ack "$n" | grep -q '^To: noreplyhelp@shop\.example$' ||
    fail "noreplyhelp: not answered"

# The desk's own address, in any case: a loop.
n=$(deliver <<'EOF'
From: Acme Help <HELP@Acme.Example>
Subject: Re: something we sent
Message-ID: <loop-1@acme.example>

Looping.
EOF
)
refuse "$n" "own address" "from the desk's own address (a loop)"

# No plain address to answer: none, or one that names two recipients.
noaddr="no plain address in its From to answer"
n=$(deliver <<'EOF'
From: undisclosed-recipients:;
Subject: hello
Message-ID: <noaddr-1@acme.example>

Hi.
EOF
)
refuse "$n" "no address" "$noaddr"
n=$(deliver <<'EOF'
From: Eve <eve@evil.example,victim@acme.example>
Subject: please answer us both
Message-ID: <two-1@evil.example>

Hi.
EOF
)
refuse "$n" "two addresses" "more than one address in its From"
n=$(deliver <<'EOF'
Subject: no sender
Message-ID: <nofrom-1@acme.example>

Hi.
EOF
)
refuse "$n" "no From" "no From to answer"

# An alert: its rule gave it a key.
n=$(deliver <<'EOF'
From: Monitor <monitor@acme.example>
Subject: ALERT disk full on web01
Message-ID: <alert-1@acme.example>

/var is at 100%.
EOF
)
refuse "$n" "alert" "an alert (it has a key), which a machine sent"

# A subject that is not ASCII: encoded words of whole characters, each
# line at most 76, each word at most 75, that decode to the subject.
e=$(deliver <<'EOF'
From: =?UTF-8?Q?Ren=C3=A9?= <rene@acme.example>
Subject: =?UTF-8?B?S8O8aGxzY2hyYW5rIGzDpHVmdCBhdXMg4oCTIA==?=
 =?UTF-8?B?44OX44Oq44Oz44K/44O844KC57SZ6Kmw44G+44KK?=
 =?UTF-8?B?44Gn44GZ44CB6Iez5oCl44GK6aGY44GE44GX44G+?=
 =?UTF-8?B?44GZIPCfmrA=?=
Message-ID: <k@acme.example>

Water everywhere, and the printer jams.
EOF
)
eid=${e##*/}
subj='Kühlschrank läuft aus – プリンターも紙詰まりです、至急お願いします 🚰'
expect_eq "$(hdr "$e" Subject)" "$subj" "non-ASCII: ticket subject"
ack "$e" >ack
expect_eq "$eid" gr7zsss697zv "non-ASCII: the ID the words below hold"
sed -n '/^Subject:/,/^Date:/p' ack >got
# 39 bytes fit in the first word and 45 in the others, but 45 would
# cut a character of the second in three, so it holds 44.
cat >want <<'EOF'
Subject: =?UTF-8?B?UmU6IFtncjd6c3NzNjk3enZdIEvDvGhsc2NocmFuayBsw6R1ZnQg?=
 =?UTF-8?B?YXVzIOKAkyDjg5fjg6rjg7Pjgr/jg7zjgoLntJnoqbDjgb7jgorjgafjgZk=?=
 =?UTF-8?B?44CB6Iez5oCl44GK6aGY44GE44GX44G+44GZIPCfmrA=?=
Date: Mon, 02 Mar 2026 09:00:05 +0000
EOF
expect_file_eq got want "non-ASCII: encoded subject"
awk '/^$/ { exit } length > 76 { print }' ack >long
[ ! -s long ] || fail "non-ASCII: header lines over 76: $(cat long)"

# unb64: each base64 text on standard input, one a line, decoded.
unb64()
{
	awk 'BEGIN {
		a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		a = a "0123456789+/"
		for (i = 0; i < 64; i++)
			v[substr(a, i + 1, 1)] = i
	}
	{
		bits = 0; n = 0
		for (i = 1; i <= length($0); i++) {
			c = substr($0, i, 1)
			if (c == "=")
				break
			bits = bits * 64 + v[c]; n += 6
			if (n >= 8) {
				n -= 8; b = int(bits / 2 ^ n)
				printf "%c", b; bits -= b * 2 ^ n
			}
		}
	}'
}
sed -n '/^Subject:/,/^Date:/p' ack | sed '$d' |
    sed 's/^Subject: //; s/^ //' >words
: >decoded
while read -r w; do
	[ ${#w} -le 75 ] || fail "non-ASCII: word longer than 75: $w"
	case $w in
	'=?UTF-8?B?'*'?=') ;;
	*)	fail "non-ASCII: not a B word: $w" ;;
	esac
	w=${w#=?UTF-8?B?}
	printf '%s\n' "${w%?=}" | unb64 >word
	iconv -f UTF-8 -t UTF-8 <word >/dev/null 2>&1 ||
	    fail "non-ASCII: a word splits a character: $(cat word)"
	cat word >>decoded
done <words
expect_eq "$(cat decoded)" "Re: [$eid] $subj" "non-ASCII: decoded words"
# tkt-new's own decoder agrees, on the acknowledgement delivered.
mkdesk ../echo
a=$(tkt-new -m -d ../echo --now $T <ack)
expect_eq "$(hdr "$a" Subject)" "Re: [$eid] $subj" \
    "non-ASCII: tkt-new reads it"
grep -q '^    Kühlschrank läuft aus – プリンター' ack ||
    fail "non-ASCII: body: $(cat ack)"

# A From with a name in UTF-8: the name encoded, the address kept.
name='Société d’Assistance Générale, Service Clients'
cat >want <<'EOF'
From: =?UTF-8?B?U29jacOpdMOpIGTigJlBc3Npc3RhbmNlIEfDqW7DqXJhbGUsIFNlcnZp?=
 =?UTF-8?B?Y2UgQ2xpZW50cw==?= <help@acme.example>
To: Ann.Smith@acme.example
EOF
f=$(deliver <<'EOF'
From: Ann Smith <Ann.Smith@acme.example>
Subject: Scanner offline
Message-ID: <scan-1@acme.example>

Offline.
EOF
)
tkt-ack -f "$name <help@acme.example>" --now $NOW "$f" >ack
sed -n '/^From:/,/^To:/p' ack >got
expect_file_eq got want "UTF-8 name in -f"
b=$(tkt-new -m -d ../echo --now $T <ack)
expect_eq "$(hdr "$b" From)" "$name <help@acme.example>" \
    "UTF-8 name in -f: decoded"

# A Message-ID that a header cannot carry as it is: no In-Reply-To or
# References; the [ID] in the subject still threads the reply.
w=$(deliver <<'EOF'
From: Dora <dora@acme.example>
Subject: Badge reader
Message-ID: <two words@acme.example>

Broken.
EOF
)
expect_eq "$(hdr "$w" Message-ID)" "<two words@acme.example>" "odd Message-ID"
ack "$w" >ack
grep -q -e '^In-Reply-To:' -e '^References:' ack &&
    fail "odd Message-ID: $(cat ack)"
r=$(deliver <<EOF
From: Dora <dora@acme.example>
Subject: Re: $(hdr ack Subject)
Message-ID: <dora-2@acme.example>
In-Reply-To: $(hdr ack Message-ID)

Still broken.
EOF
)
expect_eq "$r" "$w" "odd Message-ID: reply by subject"

# A long ASCII subject is folded at blanks, to 78 columns.
l=$(deliver <<'EOF'
From: Bob <bob@acme.example>
Subject: The projector in meeting room 4 shows everything in green since the
 firmware update of last Tuesday night
Message-ID: <long-1@acme.example>

Green.
EOF
)
ack "$l" >ack
awk '/^$/ { exit } length > 78 { print }' ack >long
[ ! -s long ] || fail "long subject: lines over 78: $(cat long)"
sed -n '/^Subject:/,/^Date:/p' ack | sed '$d' | wc -l | tr -d ' ' >lines
[ "$(cat lines)" -ge 2 ] || fail "long subject: not folded: $(cat ack)"
a=$(tkt-new -m -d ../echo --now $T <ack)
expect_eq "$(hdr "$a" Subject)" "Re: [${l##*/}] $(hdr "$l" Subject)" \
    "long subject: unfolded"

# A subject that holds the ticket's own [ID] already: not added again.
# The ID of a mail's ticket is a hash of its Message-ID, so a scratch
# desk tells it first.
mkdesk ../scratch
s=$(tkt-new -m -d ../scratch --now $T <<'EOF'
From: Carl <carl@acme.example>
Subject: x
Message-ID: <self-1@acme.example>

x
EOF
)
sid=${s##*/}
s=$(deliver <<EOF
From: Carl <carl@acme.example>
Subject: Fwd: [$sid] VPN drops every hour
Message-ID: <self-1@acme.example>

It drops.
EOF
)
expect_eq "${s##*/}" "$sid" "own ID: ticket"
ack "$s" >ack
expect_eq "$(hdr ack Subject)" "Re: Fwd: [$sid] VPN drops every hour" \
    "own ID in the subject: doubled"

# Templates: %i, %s and %%, CR LF line ends, no final newline.
printf 'Ticket %%i: %%s\r\nWe answer 100%%%% of them.\r\n\r\nAcme' >tmpl
ack -t tmpl "$f" >ack
sed '1,/^$/d' ack >got
cat >want <<EOF
Ticket ${f##*/}: Scanner offline
We answer 100% of them.

Acme
EOF
expect_file_eq got want "template"
# An empty template: an empty body.
: >empty
ack -t empty "$f" >ack
expect_eq "$(sed '1,/^$/d' ack)" "" "empty template"

# template-error FILE WHAT MESSAGE: exit 1, nothing on stdout.
tmplerr()
{
	expect_fail ack -t "$1" "$f"
	expect_eq "$STATUS" 1 "$2: status"
	expect_eq "$ERR" "tkt-ack: $1: $3" "$2: message"
}
printf 'Hello,\n\nyour ticket is %%i; %%x marks the spot.\n' >bad
tmplerr bad "unknown %x" "line 3: unknown %x"
printf 'Dear %%\303\251,\n' >bad
tmplerr bad "unknown %e-acute" "line 1: unknown %é"
printf 'line one\nWe answer 100%% of them.\n' >bad
tmplerr bad "lone %" "line 2: a lone %; write %% for a percent sign"
printf 'ok\nends in %%' >bad
tmplerr bad "% at the end" "line 2: a lone %; write %% for a percent sign"
printf 'ok\nok\nLatin-1 caf\351\n' >bad
tmplerr bad "not UTF-8" \
    "line 3: not UTF-8 text (a NUL, a lone carriage return or a bad byte)"
printf 'a\rb\n' >bad
tmplerr bad "lone CR" \
    "line 1: not UTF-8 text (a NUL, a lone carriage return or a bad byte)"
expect_fail ack -t nosuchfile "$f"
expect_eq "$STATUS" 1 "missing template: status"

# A ticket that is not there.
expect_fail ack zzzzzzzzzzzz
expect_eq "$STATUS" 1 "no such ticket: status"

# Usage errors: exit 2, nothing on stdout.
usage()
{
	expect_fail tkt-ack "$@"
	expect_eq "$STATUS" 2 "tkt-ack $*: status"
}
usage "$f"
usage -f 'Acme Help' "$f"
usage -f '<help@>' "$f"
usage -f "help@acme.example
Bcc: victim@example.com" "$f"
usage -f 'Société <hélp@acme.example>' "$f"
usage -f 'Société help@acme.example' "$f"
usage -f "$FROM"
usage -f "$FROM" "$f" "$p"
usage -x -f "$FROM" "$f"
usage -f "$FROM" --now 'not a time' "$f"

# A From with two addresses, even one hidden in an encoded display
# name, is not answered.
for f in 'A <a4@x.example>, B <b@y.example>' \
    '=?utf-8?q?x_=3Cvictim=40other.example=3E=2C?= real2@x.example'; do
	p=$(printf 'From: %s\nSubject: two\nMessage-ID: <two.%s@x>\n\nb\n' \
	    "$f" "${#f}" | tkt-new -m --now 2026-03-02T09:00:00Z)
	expect_fail tkt-ack -f 'Help <help@acme.example>' "$p"
	expect_eq "$STATUS" 1 "two addresses ($f): status"
done
