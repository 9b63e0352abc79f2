# What the writers refuse so that no command ever leaves a ticket the
# readers reject, and the smaller intake rules found by trying to
# break the commands.
. "$TKT_TESTS/lib.sh"

TKT_NODE=14
export TKT_NODE
mkdesk desk
cd desk
T=2026-03-02T09:00:00Z

id=$(echo x | tkt-new --now $T -s limits | sed 's,.*/,,')
tkt-route --now $T >/dev/null

# A mail whose subject alone is over 256 KiB is filed with the subject
# cut to 64 KiB, at a character: a header that long would make a
# ticket no command could read, and the mail is kept whole in mail/.
big=$(awk 'BEGIN { while (n++ < 270000) printf "n" }')
printf 'From: a@b.example\nSubject: %s\n\nbody\n' "$big" |
    tkt-new -m --now $T >out 2>err || fail "oversized subject: $(cat err)"
big=$(cat out)
expect_eq "$(sed -n 's/^Subject: //p' "$big" | wc -c | tr -d ' ')" 65537 \
    "oversized subject: cut"
tkt-ls "$big" >/dev/null || fail "oversized subject: ticket unreadable"
tkt-close --now $T -r 'too big' "$big" >/dev/null

# Notes that fit one by one, until the header section would pass
# 1 MiB less the 64 KiB kept free: the last is refused, every command
# still reads the ticket, and it can still be planned and closed.
mid=$(awk 'BEGIN { while (n++ < 120000) printf "m" }')
i=0 st=0
while [ $i -lt 10 ] && [ $st -eq 0 ]; do
	tkt-note --now $T -m "$mid" "$id" >/dev/null 2>err || st=$?
	i=$((i + 1))
done
expect_eq "$st" 1 "notes past 1 MiB: refused"
grep -q 'history nearly full: no more notes' err ||
    fail "1 MiB: $(cut -c1-200 err)"
tkt-show --now $T "$id" >/dev/null || fail "ticket unreadable after notes"
tkt-ls >/dev/null || fail "tkt-ls after the refused note"
tkt-escalate --now 2026-03-02T12:00:00Z >/dev/null ||
    fail "sweep of a ticket full of notes"
tkt-plan --now 2026-03-02T12:00:00Z -m 'a plan' "$id" >/dev/null ||
    fail "plan for a ticket full of notes"

# A carriage return cannot be smuggled into a header with -H.
expect_fail tkt-new --now $T -H "$(printf 'X-A: b\rc')" </dev/null
expect_eq "$STATUS" 2 "-H with CR: status"

# Trailing blanks after a Message-ID do not hide a duplicate.
printf 'From: a@b.example\nSubject: s\nMessage-ID: <dup@x>\n\nbody\n' |
    tkt-new -m --now $T >out
printf 'From: a@b.example\nSubject: s\nMessage-ID: <dup@x>  \n\nbody\n' |
    tkt-new -m --now $T >out2 2>err
expect_eq "$(cat out2)" "" "duplicate with trailing blanks: stdout"
grep -q 'already in ticket' err || fail "duplicate not noticed: $(cat err)"

# A mail without Date gets the time of receipt.
printf 'From: a@b.example\nSubject: no date\n\nbody\n' |
    tkt-new -m --now $T >out
expect_eq "$(sed -n 's/^Date: //p' "$(cat out)")" \
    "Mon, 02 Mar 2026 09:00:00 +0000" "Date of a mail without one"

# Maildir flags a mail reader adds to a file name are not part of the
# ID: the ticket keeps its Tkt-Id and is found by its ID.
mv "cur/$id" "cur/$id:2,S"
tkt-plan --now $T -m "flagged" "$id" >out
expect_eq "$(field "cur/$id:2,S" Tkt-Id)" "$id" "Tkt-Id of a flagged file"

# tkt-init changes nothing when config is there, even as a dangling
# symbolic link.
mkdir ../half
ln -s /nonexistent/config ../half/config
expect_fail tkt-init ../half
expect_eq "$(ls -A ../half)" config "tkt-init made something"
