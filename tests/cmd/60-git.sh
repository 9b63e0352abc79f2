# A desk kept in git: two clones make tickets offline in the same
# second, route and sweep them, and merge without a clash; the merged
# desk holds every ticket once, and a sweep of it is whole.
. "$TKT_TESTS/lib.sh"
command -v git >/dev/null || fail "git is not installed"

export GIT_AUTHOR_NAME=tkt GIT_AUTHOR_EMAIL=tkt@test.invalid
export GIT_COMMITTER_NAME=tkt GIT_COMMITTER_EMAIL=tkt@test.invalid
export GIT_CONFIG_NOSYSTEM=1 HOME="$PWD"
git config --global init.defaultBranch main
git config --global pull.rebase false

mkdesk origin
(cd origin && git init -q && git add -A && git commit -qm desk)
git clone -q origin a
git clone -q origin b

# Same second, same host, no TKT_NODE: the clones must still differ.
T=2026-05-05T09:00:00Z
for c in a b; do
	for i in 1 2 3 4 5; do
		echo "body $c$i" | tkt-new -d $c --now $T -s "printer $c$i" \
		    -f "u$i@acme.example" >/dev/null
	done
	tkt-route -d $c --now $T >/dev/null
	(cd $c && git add -A && git commit -qm "tickets from $c")
done

(cd a && git pull -q --no-edit ../b main) || fail "merge of b into a failed"
expect_eq "$(cd a && git status --porcelain)" "" "merge left changes"
expect_eq "$(ls a/cur | wc -l | tr -d ' ')" 10 "tickets after merge"
expect_eq "$(ls a/cur b/cur | grep -c '^[0-9a-z]\{12\}$')" 15 \
    "a holds b's five and its own"
expect_eq "$(tkt-ls -d a | wc -l | tr -d ' ')" 10 "tkt-ls after merge"

# The merged desk sweeps like any other: all ten escalate at 09:30.
tkt-escalate -d a --now 2026-05-05T09:45:00Z >out
expect_eq "$(wc -l <out | tr -d ' ')" 10 "escalated after merge"
expect_eq "$(grep -l 'escalated by=clock tier=2' a/cur/* | wc -l |
    tr -d ' ')" 10 "escalation lines"
(cd a && git add -A && git commit -qm sweep)

# b pulls the sweep back: a fast-forward, and b's sweep then has
# nothing left to do.
(cd b && git pull -q --no-edit ../a main) || fail "pull into b failed"
tkt-escalate -d b --now 2026-05-05T09:45:00Z >out
expect_eq "$(cat out)" "" "second sweep after pull"
expect_eq "$(cd b && git status --porcelain)" "" "sweep changed b"
