#!/bin/sh
# demo.sh: what make demo runs.  Replays a week of real incidents (the
# BPI Challenge 2013 slice in share/bpic2013) into a new desk in a
# temporary directory, prints tkt-report for the replayed period, and
# leaves the desk there to look around in.  Run from anywhere, after
# make; the commands are taken from the repository's bin/.

set -e
root=$(cd "${0%/*}/.." && pwd)
PATH=$root/bin:$PATH
export PATH

dir=$(mktemp -d "${TMPDIR:-/tmp}/tkt-demo.XXXXXX")
desk=$dir/desk
tkt-init "$desk" >/dev/null
cp "$root/share/demo/config" "$root/share/demo/rules" "$desk/"

echo "demo: replaying share/bpic2013/incidents.csv into $desk" >&2
sh "$root/share/replay" -d "$desk" "$root/share/bpic2013/incidents.csv"

# The slice's incidents open from 2012-04-16 and the last of them is
# closed on 2012-05-23; the log's times are all +01:00.
echo
tkt-report -d "$desk" -b 2012-04-16T00:00:00+01:00 \
    -e 2012-05-24T00:00:00+01:00

cat <<END

The replayed desk is kept in $desk.  Try:
	export TKTDESK=$desk
	tkt-ls -l -s all | head
	tkt-show \$(tkt-ls -s all | head -1)
	grep -l 'escalated by=clock' $desk/closed/cur/* | head
Remove it with: rm -r $dir
END
