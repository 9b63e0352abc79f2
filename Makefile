# tkt: build, test and install.  GNU make; no configure step.

CFLAGS ?= -O2 -g
PREFIX = /usr/local
BINDIR = $(PREFIX)/bin
MANDIR = $(PREFIX)/share/man
PKG_CONFIG = pkg-config

# Added to any CFLAGS given, so a sanitizer or debug build keeps them.
TKT_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra

# Expanded only when the tests are built, after tests/need-check ran.
CHECK_CFLAGS = $(shell $(PKG_CONFIG) --cflags check)
CHECK_LIBS = $(shell $(PKG_CONFIG) --libs check)
TEST_CFLAGS = $(TKT_CFLAGS) -Ibin $(CHECK_CFLAGS)
TEST_LIBS = libtkt.a $(CHECK_LIBS) $(LDLIBS)

# Every bin/*.c that is not a command goes into the library.
LIBSRC = $(sort $(filter-out bin/tkt-%.c,$(wildcard bin/*.c)))
LIBOBJ = $(LIBSRC:.c=.o)
CMDS = $(sort $(basename $(wildcard bin/tkt-*.c)))
HDR = $(sort $(wildcard bin/*.h) bin/examples.h)

# One suite per tests/unit_NAME.c; the runner lists them in this order,
# then any others alphabetically.
SUITE_ORDER = util time conf ticket clock rules desk cmd
UNITSRC = $(sort $(wildcard tests/unit_*.c))
FOUND = $(UNITSRC:tests/unit_%.c=%)
SUITES = $(filter $(FOUND),$(SUITE_ORDER)) \
	$(filter-out $(SUITE_ORDER),$(FOUND))
TESTOBJ = tests/unit.o $(UNITSRC:.c=.o)

MAN1 = $(sort $(wildcard man/man1/*.1))
MAN5 = $(sort $(wildcard man/man5/*.5))
MAN7 = $(sort $(wildcard man/man7/*.7))

all: $(CMDS)

bin/%.o: bin/%.c $(HDR)
	$(CC) $(TKT_CFLAGS) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# tkt-init writes these examples into every new desk.
bin/examples.h: share/examples/config share/examples/rules
	{ for f in config rules; do \
	    echo "static const char example_$$f[] ="; \
	    sed 's/\\/\\\\/g; s/"/\\"/g; s/.*/    "&\\n"/' share/examples/$$f; \
	    echo '    "";'; \
	done; } >$@.new && mv -f $@.new $@

bin/tkt-init.o: bin/examples.h

libtkt.a: $(LIBOBJ)
	rm -f $@
	$(AR) rcs $@ $(LIBOBJ)

$(CMDS): %: %.o libtkt.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< libtkt.a $(LDLIBS)

check: all tests/unit tests/holdlock
	tests/unit

check-deps:
	@PKG_CONFIG='$(PKG_CONFIG)' sh tests/need-check

tests/unit: $(TESTOBJ) libtkt.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(TESTOBJ) $(TEST_LIBS)

$(TESTOBJ): tests/%.o: tests/%.c tests/unit.h $(HDR) | check-deps
	$(CC) $(TEST_CFLAGS) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

tests/unit.o: tests/suites.h

# Holds a desk's lock for the tests of what waits for it.
tests/holdlock: tests/holdlock.c
	$(CC) $(TKT_CFLAGS) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $<

# Rewritten only when the set of suites changes, so that adding or
# removing a tests/unit_NAME.c rebuilds the runner and nothing else does.
tests/suites.h: FRC
	@for s in $(SUITES); do echo "SUITE($$s)"; done >$@.new
	@if cmp -s $@.new $@; then rm -f $@.new; else mv -f $@.new $@; fi

# Without the guard an empty list would have mandoc read stdin.
lint:
	@test -n '$(MAN1)$(MAN5)$(MAN7)' || \
	    { echo 'lint: no manual pages in man/' >&2; exit 1; }
	mandoc -Tlint -Wwarning $(MAN1) $(MAN5) $(MAN7)

demo: all
	PATH='$(CURDIR)/bin':"$$PATH" sh share/demo.sh

# Speed, as ratios against baselines measured in the same run, on
# desks generated for it; never part of make check.  About 7 minutes
# and 5 GB of scratch space in TMPDIR; see tests/bench/run.sh.  The
# baselines use threads (-pthread), which tkt itself never does.
BENCHBIN = tests/bench/base tests/bench/gen tests/bench/run tests/bench/same

bench: all $(BENCHBIN)
	sh tests/bench/run.sh

tests/bench/base: tests/bench/base.c
	$(CC) $(TKT_CFLAGS) $(CPPFLAGS) $(CFLAGS) -pthread $(LDFLAGS) \
	    -o $@ tests/bench/base.c

tests/bench/gen tests/bench/run: tests/bench/%: tests/bench/%.c
	$(CC) $(TKT_CFLAGS) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $<

# Checks generated tickets with tkt's own reader and writer.
tests/bench/same: tests/bench/same.c libtkt.a $(HDR)
	$(CC) $(TKT_CFLAGS) -Ibin $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) \
	    -o $@ tests/bench/same.c libtkt.a $(LDLIBS)

# The mail and ticket parsers under libFuzzer (tests/fuzz/mail.c) for
# FUZZTIME seconds; not part of all or check.  libFuzzer comes with
# clang only, not gcc (Debian: clang and libclang-rt-dev), so this
# builds with clang whatever CC says, into tests/fuzz/obj/, apart from
# the objects of make check.  libFuzzer adds to its first corpus
# directory, so it runs on a scratch copy of the seeds: tests/fuzz/seeds/
# and, where they exist, tests/mail/ and tests/corpus/.  Its output goes
# to tests/fuzz/log.  A finding fails the make, is shown, and is saved
# as tests/fuzz/crash-* (leak-*, timeout-*, ...); to see it again with
# the diagnostics that -close_fd_mask=2 silences, run
# tests/fuzz/mail-fuzz on that file.
FUZZTIME = 60
FUZZCC = clang
FUZZFLAGS = -O1 -g -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=all
FUZZOBJ = $(LIBSRC:bin/%.c=tests/fuzz/obj/%.o)
FUZZSEEDS = tests/fuzz/seeds tests/mail tests/corpus

fuzz: tests/fuzz/mail-fuzz
	rm -rf tests/fuzz/corpus
	mkdir tests/fuzz/corpus
	for d in $(FUZZSEEDS); do \
	    if [ -d "$$d" ]; then cp -R "$$d" "tests/fuzz/corpus/$${d##*/}"; fi; \
	done
	@echo 'tests/fuzz/mail-fuzz ... >tests/fuzz/log 2>&1'
	@tests/fuzz/mail-fuzz -max_len=262144 -timeout=10 \
	    -max_total_time=$(FUZZTIME) -close_fd_mask=2 \
	    -print_final_stats=1 -artifact_prefix=tests/fuzz/ \
	    tests/fuzz/corpus >tests/fuzz/log 2>&1 || \
	    { grep -v '^#[0-9]' tests/fuzz/log; exit 1; }
	@grep -E '^(INFO: seed corpus|Done|stat::)' tests/fuzz/log

tests/fuzz/obj/%.o: bin/%.c $(HDR)
	@mkdir -p tests/fuzz/obj
	$(FUZZCC) $(TKT_CFLAGS) $(FUZZFLAGS) -fsanitize=fuzzer-no-link \
	    -c -o $@ $<

tests/fuzz/obj/libtkt.a: $(FUZZOBJ)
	rm -f $@
	$(AR) rcs $@ $(FUZZOBJ)

tests/fuzz/mail-fuzz: tests/fuzz/mail.c tests/fuzz/obj/libtkt.a $(HDR)
	$(FUZZCC) $(TKT_CFLAGS) $(FUZZFLAGS) -fsanitize=fuzzer -Ibin \
	    -o $@ tests/fuzz/mail.c tests/fuzz/obj/libtkt.a

install: all
	mkdir -p '$(DESTDIR)$(BINDIR)' '$(DESTDIR)$(MANDIR)/man1' \
	    '$(DESTDIR)$(MANDIR)/man5' '$(DESTDIR)$(MANDIR)/man7'
	install -m 755 $(CMDS) share/mda/tkt-deliver '$(DESTDIR)$(BINDIR)'
	install -m 644 $(MAN1) '$(DESTDIR)$(MANDIR)/man1'
	install -m 644 $(MAN5) '$(DESTDIR)$(MANDIR)/man5'
	install -m 644 $(MAN7) '$(DESTDIR)$(MANDIR)/man7'

clean:
	rm -f bin/*.o bin/examples.h bin/examples.h.new libtkt.a $(CMDS) \
	    tests/*.o tests/unit tests/suites.h tests/suites.h.new \
	    tests/holdlock tests/fuzz/mail-fuzz $(BENCHBIN) \
	    tests/bench/bench.tsv
	rm -rf tests/fuzz/obj tests/fuzz/corpus tests/fuzz/log

FRC:

.PHONY: all bench check check-deps clean demo fuzz install lint FRC
