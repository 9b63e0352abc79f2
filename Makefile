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

check: all tests/unit
	tests/unit

check-deps:
	@PKG_CONFIG='$(PKG_CONFIG)' sh tests/need-check

tests/unit: $(TESTOBJ) libtkt.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(TESTOBJ) $(TEST_LIBS)

$(TESTOBJ): tests/%.o: tests/%.c tests/unit.h $(HDR) | check-deps
	$(CC) $(TEST_CFLAGS) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

tests/unit.o: tests/suites.h

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

# Speed, as ratios against baselines measured in the same run; never
# part of make check.
bench: all
	sh tests/bench/calendar.sh

install: all
	mkdir -p '$(DESTDIR)$(BINDIR)' '$(DESTDIR)$(MANDIR)/man1' \
	    '$(DESTDIR)$(MANDIR)/man5' '$(DESTDIR)$(MANDIR)/man7'
	install -m 755 $(CMDS) '$(DESTDIR)$(BINDIR)'
	install -m 644 $(MAN1) '$(DESTDIR)$(MANDIR)/man1'
	install -m 644 $(MAN5) '$(DESTDIR)$(MANDIR)/man5'
	install -m 644 $(MAN7) '$(DESTDIR)$(MANDIR)/man7'

clean:
	rm -f bin/*.o bin/examples.h bin/examples.h.new libtkt.a $(CMDS) \
	    tests/*.o tests/unit tests/suites.h tests/suites.h.new

FRC:

.PHONY: all bench check check-deps clean demo install lint FRC
