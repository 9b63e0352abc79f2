#!/bin/sh
# run.sh: make bench.  Times tkt on desks generated for the run
# (tests/bench/gen.c) against baselines timed in the same run, on the
# same files: bare C readers (tests/bench/base.c), mblaze, and tkt itself
# under other conditions.  Each row is timed after a warm-up, RUNS times
# in turn with its baseline, and compared by medians; every command runs
# under tests/bench/run, which reports its wall time and peak memory.
# Prints one table and writes it as TSV to tests/bench/bench.tsv.
#
# Cold rows drop the page cache before each run, which needs root;
# otherwise they are skipped.  The mblaze rows need mblaze, which is
# installed with apt-get when missing and we are root (TKT_NO_APT=1
# forbids it); otherwise they are skipped.
#
# The order matters.  File creation is many times slower for some
# minutes after a large tree is deleted, so everything that creates
# files is timed before anything is deleted, and the desks are made
# once.  The closed tickets are made after the cold rows, which empty
# the page cache, so that they stay cached for the rows that read them
# and for their removal.
#
# Usage: sh tests/bench/run.sh; bin/ and tests/bench/ must be built.
# BENCH_OPEN, BENCH_CLOSED, BENCH_DUE, BENCH_MAIL and BENCH_RUNS (as
# passed by make) shrink it for a quick try; the goals hold for the
# defaults.  TMPDIR says where the scratch desks go (about 5 GB, on a
# disk: on a tmpfs the cold rows would read nothing from disk).
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
b=$top/tests/bench
PATH=$top/bin:$PATH
export PATH

nopen=${BENCH_OPEN:-100000}
nclosed=${BENCH_CLOSED:-1000000}
ndue=${BENCH_DUE:-5000}
nmail=${BENCH_MAIL:-10000}
runs=${BENCH_RUNS:-5}		# rows that take a second or so
slow=$(( runs > 3 ? 3 : runs ))	# rows that take many seconds
batches=5			# the mail, in this many timed parts
now=2026-12-04T12:00:00Z
tsv=$b/bench.tsv

start=$(date +%s)
say() { echo "bench: $(( $(date +%s) - start ))s: $*" >&2; }
die() { say "$*"; exit 1; }

dir=$(mktemp -d "${TMPDIR:-/tmp}/tkt-bench.XXXXXX")
# Removal is CPU-bound while the files are cached, so on two cores it
# goes in two halves: the closed tickets, and the rest.
finish()
{
	say "removing $dir"
	if [ -d "$dir/desk/closed" ]; then
		mv "$dir/desk/closed" "$dir/closed.gone"
	fi
	rm -rf "$dir"/closed.* &
	rm -rf "$dir/desk" "$dir"/sweep.* "$dir/small" "$dir/mail" \
	    "$dir/mdesk" "$dir/mdir"
	wait
	rm -rf "$dir"
	say "done"
}
trap finish EXIT
trap 'exit 1' HUP INT TERM

# 100000 as 100k, 1100000 as 1.1M
k()
{
	awk -v n="$1" 'BEGIN {
		if (n >= 1e6) printf "%gM", n / 1e6
		else if (n >= 1e3) printf "%gk", n / 1e3
		else printf "%d", n
	}'
}

# t FILE COMMAND ...: time COMMAND into $dir/t/FILE, and keep its output
# in $dir/out; anything on its standard error, or a failure, ends the
# bench.
t()
{
	f=$1
	shift
	"$b/run" -o "$dir/t/$f" "$@" >"$dir/out" 2>"$dir/err" ||
	    { cat "$dir/err" >&2; die "failed: $*"; }
	if [ -s "$dir/err" ]; then
		cat "$dir/err" >&2
		die "complained: $*"
	fi
}

# measure N F ...: each function F once to warm up, then all of them in
# turn N times; F FILE times one run into $dir/t/FILE.
measure()
{
	n=$1
	shift
	for f; do
		"$f" warm
		: >"$dir/t/$f"
	done
	i=0
	while [ "$i" -lt "$n" ]; do
		for f; do "$f" "$f"; done
		i=$((i + 1))
	done
}

# The same without the warm-up: for cold runs, which a warm-up would
# not change, and right after the files were read anyway.
repeat()
{
	n=$1
	shift
	for f; do : >"$dir/t/$f"; done
	i=0
	while [ "$i" -lt "$n" ]; do
		for f; do "$f" "$f"; done
		i=$((i + 1))
	done
}

cancold() { [ "$(id -u)" = 0 ] && [ -w /proc/sys/vm/drop_caches ]; }
dropcache() { sync; echo 3 >/proc/sys/vm/drop_caches; }

med()
{
	sort -n "$dir/t/$1" |
	    awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
peak() { awk '$2 > m { m = $2 } END { print m / 1024 }' "$dir/t/$1"; }

# row PLACE OPERATION BASELINE TKT BASE GOAL [MEMGOAL [FACTOR]]: line
# PLACE of the table, from the medians of the timings TKT and BASE; the
# ratio is TKT / BASE * FACTOR, and must be at most GOAL, and the peak
# memory of TKT at most MEMGOAL MiB.
row()
{
	place=$1
	shift
	awk -v op="$1" -v base="$2" -v t="$(med "$3")" -v bm="$(med "$4")" \
	    -v goal="$5" -v mem="${6:-}" -v f="${7:-1}" -v p="$(peak "$3")" \
	    -v n="$(wc -l <"$dir/t/$3")" -v tsv="$dir/rows/$place.tsv" 'BEGIN {
		r = t / bm * f
		ok = r <= goal && (mem == "" || p <= mem) ? "yes" : "no"
		g = sprintf("%.2f", goal) (mem == "" ? "" : ", " mem " MiB")
		printf "%-38s %-16s %8.0f %8.0f %6.2f %-13s %-5s %7.1f\n",
		    op, base, 1000 * t, 1000 * bm, r, g, ok, p
		printf "%s\t%s\t%.0f\t%.0f\t%.3f\t%s\t%s\t%.1f\t%d\n",
		    op, base, 1000 * t, 1000 * bm, r, g, ok, p, n >tsv
	}' >"$dir/rows/$place"
}

# skip PLACE OPERATION BASELINE GOAL WHY
skip()
{
	printf '%-38s %-16s %8s %8s %6s %-13s %s\n' "$2" "$3" - - - "$4" \
	    "skipped: $5" >"$dir/rows/$1"
	printf '%s\t%s\t-\t-\t-\t%s\tskipped: %s\t-\t0\n' "$2" "$3" "$4" \
	    "$5" >"$dir/rows/$1.tsv"
}

nomblaze=
havemblaze()
{
	command -v mdeliver >/dev/null 2>&1 && command -v mlist >/dev/null &&
	    command -v mscan >/dev/null && return 0
	[ -z "$nomblaze" ] && [ -z "${TKT_NO_APT:-}" ] && [ "$(id -u)" = 0 ] &&
	    command -v apt-get >/dev/null 2>&1 || return 1
	nomblaze=1			# try once
	say "mblaze not found; installing it with apt-get"
	DEBIAN_FRONTEND=noninteractive
	export DEBIAN_FRONTEND
	if ! { apt-get -q update && apt-get -q install -y mblaze; } \
	    </dev/null >"$dir/apt.log" 2>&1; then
		cat "$dir/apt.log" >&2
		say "apt-get failed; the mblaze rows are skipped"
		return 1
	fi
	command -v mdeliver >/dev/null
}

# The closed tickets are in the desk (full) or kept beside it (none);
# a rename of closed/ either way.
state=full
closed()
{
	[ "$1" = "$state" ] && return 0
	mv "$dir/desk/closed" "$dir/closed.$state"
	mv "$dir/closed.$1" "$dir/desk/closed"
	state=$1
}

expect()
{
	[ "$1" = "$2" ] || die "$3: got $1, expected $2"
}

count() { ls -f "$1" | grep -vc '^\.'; }

# Every tenth name of directory $1, linked into $2.
tenth()
{
	ls "$1" | awk -v d="$1" 'NR % 10 == 1 { print d "/" $0 }' |
	    xargs sh -c 'exec ln "$@" "$0"' "$2"
}

# The open tickets first, and the closed ones after the cold rows, so
# that they are still in the page cache for the rows that read them
# and for their removal.
generate_open()
{
	say "generating $(k "$nopen") open tickets and $(k "$nmail") mail" \
	    "messages"
	tkt-init "$dir/desk" >/dev/null
	"$b/gen" -t "$now" desk "$dir/desk" "$nopen" 0 "$ndue"
	mkdir "$dir/mail"
	"$b/gen" -t "$now" mail "$dir/mail" "$nmail"
}

# Is every generated ticket one that tkt accepts, and wrote so itself?
check_open()
{
	say "checking the open tickets with tkt"
	t warm "$b/same" -d "$dir/desk" --now "$now" "$dir/desk/cur"
	expect "$(cat "$dir/out")" "$nopen checked, $ndue due" "same cur/"
	t warm tkt-ls -d "$dir/desk" --now "$now"
	expect "$(wc -l <"$dir/out")" "$nopen" "tkt-ls"
	t warm tkt-escalate -n -d "$dir/desk" --now "$now"
	expect "$(wc -l <"$dir/out")" "$ndue" "tkt-escalate -n"
}

generate_closed()
{
	say "generating $(k "$nclosed") closed tickets"
	"$b/gen" -t "$now" desk "$dir/desk" 0 "$nclosed" 0
	mkdir -p "$dir/closed.none/cur" "$dir/closed.none/new" \
	    "$dir/closed.none/tmp"
	# A tenth of the desk, every tenth name of each directory, linked.
	tkt-init "$dir/small" >/dev/null
	tenth "$dir/desk/cur" "$dir/small/cur"
	tenth "$dir/desk/closed/cur" "$dir/small/closed/cur"
}

check_closed()
{
	say "checking the closed tickets with tkt"
	t warm "$b/same" -k 20 -d "$dir/desk" --now "$now" \
	    "$dir/desk/closed/cur"
	expect "$(cut -d' ' -f3- "$dir/out")" "0 due" "same closed/cur/"
	# tkt-report reads every ticket, open or closed, and complains of
	# any it cannot; this is also the warm-up of the report rows.
	small=$(count "$dir/small/cur")
	small=$((small + $(count "$dir/small/closed/cur")))
	for d in desk small; do
		t warm tkt-report -f tsv -d "$dir/$d" --now "$now"
		awk '$1 == "opened" { print $2 }' "$dir/out" >"$dir/n"
		[ "$d" = desk ] && n=$((nopen + nclosed)) || n=$small
		expect "$(cat "$dir/n")" "$n" "tkt-report $d"
	done
}

# Mail, one process a message as from a mail server, in batches into
# one desk and one maildir that grow as they would.
newm()
{
	t "$1" sh -c 'while IFS= read -r f; do
	    tkt-new -m -d "$1" <"$f" >/dev/null || exit 1; done' sh "$2" <"$3"
}
mdel()
{
	t "$1" sh -c 'while IFS= read -r f; do
	    mdeliver "$1" <"$f" || exit 1; done' sh "$2" <"$3"
}
tktnew() { newm "$1" "$dir/mdesk" "$batch"; }
mdeliver_() { mdel "$1" "$dir/mdir" "$batch"; }

mailrow()
{
	op="tkt-new -m, $(k "$nmail") msgs, per $(k $((nmail / batches)))"
	if ! havemblaze; then
		skip 5 "$op" "mdeliver" "1.00" "no mblaze"
		return
	fi
	say "delivering $(k "$nmail") messages with tkt-new -m and mdeliver"
	ls "$dir/mail" | sed "s|^|$dir/mail/|" >"$dir/mail.list"
	head -n 20 "$dir/mail.list" >"$dir/mail.warm"
	split -l $(( (nmail + batches - 1) / batches )) "$dir/mail.list" \
	    "$dir/batch."
	tkt-init "$dir/mwarm" >/dev/null
	tkt-init "$dir/mdesk" >/dev/null
	mkdir -p "$dir/wdir/cur" "$dir/wdir/new" "$dir/wdir/tmp" \
	    "$dir/mdir/cur" "$dir/mdir/new" "$dir/mdir/tmp"
	newm warm "$dir/mwarm" "$dir/mail.warm"
	mdel warm "$dir/wdir" "$dir/mail.warm"
	: >"$dir/t/tktnew"
	: >"$dir/t/mdeliver_"
	for batch in "$dir"/batch.*; do
		tktnew tktnew
		mdeliver_ mdeliver_
	done
	expect "$(ls "$dir/mdesk/mail" | wc -l)" "$nmail" "mail/ of tkt-new -m"
	expect "$(ls "$dir/mdir/new" | wc -l)" "$nmail" "new/ of mdeliver"
	row 5 "$op" "mdeliver" tktnew mdeliver_ 1.0
}

esc() { t "$1" tkt-escalate -n -d "$dir/desk" --now "$now"; }
basea() { t "$1" "$b/base" a "$dir/desk/cur"; }
escrow()
{
	say "tkt-escalate -n against base a, warm"
	measure "$runs" esc basea
	row 1 "tkt-escalate -n, $(k "$nopen") open, warm" "base a, 1 thread" \
	    esc basea 1.3
}

office() { t "$1" tkt-escalate -n -d "$dir/office" --now "$now"; }
always() { esc "$1"; }
calrow()
{
	say "tkt-escalate -n under a business calendar against 24x7"
	mkdir "$dir/office"
	cp "$dir/desk/rules" "$dir/office/rules"
	{ cat "$dir/desk/config"; printf '%s\n' \
	    'calendar office Europe/Berlin' \
	    'hours office mon-fri 08:00-12:00 13:00-17:30' \
	    'holiday office 2026-12-24 2026-12-25 2026-12-31' \
	    'use office'; } >"$dir/office/config"
	cp -al "$dir/desk/cur" "$dir/office/cur"
	measure "$runs" office always
	row 9 "tkt-escalate -n, $(k "$nopen"), office hours" "the same, 24x7" \
	    office always 1.2
}

tktls() { t "$1" tkt-ls -l -d "$dir/desk" --now "$now"; }
mscan_() { t "$1" sh -c 'mlist "$1" | mscan' sh "$dir/desk"; }
lsrow()
{
	op="tkt-ls -l, $(k "$nopen") open"
	if ! havemblaze; then
		skip 6 "$op" "mlist | mscan" "1.00" "no mblaze"
		return
	fi
	say "tkt-ls -l against mlist | mscan"
	mkdir "$dir/mblaze"
	: >"$dir/mblaze/seq"
	MBLAZE=$dir/mblaze COLUMNS=80
	export MBLAZE COLUMNS
	measure "$runs" tktls mscan_
	row 6 "$op" "mlist | mscan" tktls mscan_ 1.0
}

# The sweep for real changes the desk, so each run has its own copy,
# made with hard links before the first run: tkt never writes a ticket
# in place, so the copies share nothing that a sweep changes.
copy=0
dry() { t "$1" tkt-escalate -n -d "$dir/sweep.$copy" --now "$now"; }
real()
{
	t "$1" tkt-escalate -d "$dir/sweep.$copy" --now "$now"
	expect "$(wc -l <"$dir/out")" "$ndue" "tkt-escalate"
	copy=$((copy + 1))
}
sweeprow()
{
	say "the sweep for real against the dry run, on $((slow + 1)) copies"
	i=0
	while [ "$i" -le "$slow" ]; do
		cp -al "$dir/desk" "$dir/sweep.$i"
		i=$((i + 1))
	done
	measure "$slow" dry real
	row 3 "tkt-escalate, $(k "$ndue") due, on a copy" "the dry run" \
	    real dry 1.5
}

full() { closed full; esc "$1"; }
none() { closed none; esc "$1"; }
closedrow()
{
	say "tkt-escalate -n with the closed tickets on the desk and without"
	measure "$runs" full none
	row 4 "tkt-escalate -n, + $(k "$nclosed") closed" "without them" \
	    full none 1.1
}

report() { t "$1" tkt-report -d "$dir/desk" --now "$now"; }
basec()
{
	t "$1" "$b/base" c "$dir/desk/new" "$dir/desk/cur" \
	    "$dir/desk/closed/cur"
}
report10() { t "$1" tkt-report -d "$dir/small" --now "$now"; }
reportrows()
{
	say "tkt-report against base c, and against a tenth of the desk"
	repeat "$slow" report basec report10
	all=$((nopen + nclosed))
	row 7 "tkt-report, $(k "$all") tickets" "base c, whole" report basec \
	    1.5 64
	row 8 "tkt-report per ticket at $(k "$all")" "at $(k "$small")" \
	    report report10 1.2 "" \
	    "$(awk -v n="$all" -v s="$small" 'BEGIN { print s / n }')"
}

esccold() { dropcache; esc "$1"; }
basebcold() { dropcache; t "$1" "$b/base" b "$dir/desk/cur"; }
coldrow()
{
	op="tkt-escalate -n, $(k "$nopen") open, cold"
	if ! cancold; then
		skip 2 "$op" "base b, cold" "1.50" "needs root"
		return
	fi
	say "tkt-escalate -n against base b, cold"
	repeat "$slow" esccold basebcold
	row 2 "$op" "base b, 16 reads" esccold basebcold 1.5
}

mkdir "$dir/t" "$dir/rows"
generate_open
check_open
mailrow			# before anything is deleted
escrow
calrow
lsrow
sweeprow
coldrow
generate_closed
check_closed
reportrows		# right after check_closed, which read every ticket
closedrow

# The rows in the order of the goals, not of the runs.
printf '%-38s %-16s %8s %8s %6s %-13s %-5s %7s\n' operation baseline \
    "tkt ms" "base ms" ratio goal holds "peak MiB"
for i in 1 2 3 4 5 6 7 8 9; do cat "$dir/rows/$i"; done
{
	printf 'operation\tbaseline\ttkt_ms\tbase_ms\tratio\tgoal\tholds\t'
	printf 'peak_mib\truns\n'
	for i in 1 2 3 4 5 6 7 8 9; do cat "$dir/rows/$i.tsv"; done
} >"$tsv"
say "table in $tsv"
