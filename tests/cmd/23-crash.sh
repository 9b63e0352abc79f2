#!/bin/sh
# 23-crash: the sweep and tkt-new -m killed at each step of their
# writes by strace's fault injection, SIGKILL as a rename, link,
# syncfs or fsync begins.  The killed run leaves no open ticket in
# closed/ and no ticket under two names, and lists only tickets it
# wrote; the next sweep, or the mail server's next delivery, leaves
# the files that a run never interrupted leaves.  A kill is not a power
# cut: it shows the order of the steps, not that each sync holds.
# Skipped without a working strace(1).

. "$TKT_TESTS/lib.sh"

if ! strace -o /dev/null true 2>/dev/null; then
	echo "23-crash: skipped: no strace(1) that works here" >&2
	exit 0
fi

TKT_NODE=23
export TKT_NODE
day=2026-03-02

# killed CALL N COMMAND ...: COMMAND, killed as it enters its Nth CALL
# (on an old kernel or system without syncfs it may not get there).
# LeakSanitizer cannot work under ptrace, so a sanitizer build skips it.
killed()
{
	_call=$1
	_n=$2
	shift 2
	st=0
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
	    strace -f -o /dev/null -e trace="$_call" \
	    -e inject="$_call:signal=KILL:when=$_n" "$@" || st=$?
	case $st in
	0|137)	;;
	*)	fail "$_call $_n: $*: exit $st: $(cat err 2>/dev/null)" ;;
	esac
}

# sane: no open ticket in closed/cur/, no ticket in two directories.
sane()
{
	for f in closed/cur/*; do
		[ -e "$f" ] || continue
		expect_eq "$(field "$f" Tkt-State)" closed "$1: open in $f"
	done
	expect_eq "$(ls new cur closed/cur | grep -v : | sort | uniq -d)" "" \
	    "$1: a ticket under two names"
}

# entries DESK: the index entries of the desk, with their targets.
entries()
{
	for f in "$1"/msgid/* "$1"/key/* "$1"/next/*; do
		[ -h "$f" ] || continue
		printf '%s %s\n' "${f#"$1"/}" \
		    "$(ls -l "$f" | sed 's/.* -> //')"
	done
}

# ---- the sweep --------------------------------------------------------
#
# 30 tickets due for two escalations and a warning, one of them closed
# but left in cur/; batches of 8 tickets.
mkdesk s
cd s
printf 'tiers 3\nlimit 1 30m\nlimit 2 1h\nlimit 3 1h\nwarn 3 20m\n' >config
echo '# none' >rules
i=0
while [ $i -lt 30 ]; do
	echo body | tkt-new --now "${day}T08:00:00Z" -s "t$i" >/dev/null
	i=$((i + 1))
done
tkt-route --now "${day}T09:00:00Z" >/dev/null
t=$(ls cur | sed -n 5p)
tkt-close --now "${day}T09:10:00Z" -u bob -r fixed "$t" >/dev/null
mv "closed/cur/$t" "cur/$t"
cd ..
cp -R s clean
(cd clean && tkt-escalate --now "${day}T11:15:00Z" >out) ||
    fail "the clean sweep failed"
expect_eq "$(grep -c . clean/out)" 30 "the clean sweep's output"
sort clean/out >clean.out

for k in syncfs:1 syncfs:2 syncfs:4 rename:1 rename:4 rename:8 \
    rename:9 rename:10 rename:17 rename:30 fsync:1 fsync:2 fsync:3 \
    fsync:5; do
	rm -rf k
	cp -R s k
	cd k
	TKT_BATCH=8 killed "${k%:*}" "${k#*:}" \
	    tkt-escalate --now "${day}T11:15:00Z" >out1 2>err
	expect_eq "$(grep '^tkt' err || :)" "" "$k: the killed sweep's errors"
	sane "$k"
	while read -r p; do
		expect_file_eq "$p" "../clean/$p" "$k: listed, not written: $p"
	done <out1
	tkt-escalate --now "${day}T11:15:00Z" >out2 2>err ||
	    fail "$k: the sweep after the kill: $(cat err)"
	expect_eq "$(sort out1 out2 | uniq -d)" "" "$k: listed twice"
	expect_eq "$(sort out1 out2 | comm -23 - ../clean.out)" "" \
	    "$k: listed but not in a clean sweep"
	for sub in new cur closed; do
		diff -r "$sub" "../clean/$sub" >&2 ||
		    fail "$k: $sub/ differs from a clean sweep"
	done
	cd ..
done

# ---- tkt-new -m -------------------------------------------------------
#
# A new ticket, and a reply added to a ticket, each killed at every
# step and delivered again as a mail server would.
mkdesk m
cat >m1 <<EOF
From: ann@acme.example
Subject: printer
Message-ID: <m1@acme.example>

jams
EOF
cat >m2 <<EOF
From: bob@acme.example
Subject: scanner
Message-ID: <m2@acme.example>

broken
EOF
cat >m3 <<EOF
From: ann@acme.example
Subject: Re: printer
In-Reply-To: <m1@acme.example>
Message-ID: <m3@acme.example>

still
EOF
tkt-new -m -d m --now "${day}T09:00:00Z" <m1 >/dev/null
for f in m2 m3; do
	cp -R m clean.$f
	tkt-new -m -d clean.$f --now "${day}T09:05:00Z" <$f >/dev/null ||
	    fail "$f: clean delivery failed"
done
for f in m2 m3; do
	for k in syncfs:1 rename:1 rename:2 rename:3 link:1 fsync:1 \
	    fsync:2 fsync:3 fsync:4; do
		rm -rf k
		cp -R m k
		killed "${k%:*}" "${k#*:}" \
		    tkt-new -m -d k --now "${day}T09:05:00Z" <$f >/dev/null \
		    2>err
		(cd k && sane "$f $k")
		tkt-new -m -d k --now "${day}T09:05:00Z" <$f >/dev/null \
		    2>err || fail "$f $k: delivery after the kill: $(cat err)"
		for sub in new cur closed mail; do
			diff -r "k/$sub" "clean.$f/$sub" >&2 ||
			    fail "$f $k: $sub/ differs from a clean delivery"
		done
		expect_eq "$(entries k)" "$(entries clean.$f)" \
		    "$f $k: index entries"
		tkt-new -m -d k --now "${day}T09:05:00Z" <$f >out 2>err ||
		    fail "$f $k: third delivery: $(cat err)"
		expect_eq "$(cat out)" "" "$f $k: third delivery made a change"
	done
done
