# libp2ceval: plain GNU Makefile.
#
#   make                 library (shared + static), pkg-config file, CLI tools
#   make check           unit, parity, CLI and Python-package tests
#   make asan / ubsan    the test suite under AddressSanitizer / UBSan
#   make sanitize        the test suite under both at once (CI runs it)
#   make fuzz            libFuzzer targets (clang) in build-fuzz/fuzz/
#   make install PREFIX=/usr/local [DESTDIR=...]
#   make demo            the README's main job on the bundled fixtures
#   make bench           benchmarks (not part of check)
#
# Out-of-tree builds: BUILD=dir (default build/). CI=true adds -Werror.

VERSION_MAJOR := 0
VERSION_MINOR := 1
VERSION_PATCH := 0
VERSION       := $(VERSION_MAJOR).$(VERSION_MINOR).$(VERSION_PATCH)

BUILD   ?= build
PREFIX  ?= /usr/local
LIBDIR  ?= $(PREFIX)/lib
INCDIR  ?= $(PREFIX)/include
BINDIR  ?= $(PREFIX)/bin
CC      ?= cc
CXX     ?= c++
AR      ?= ar
PKG_CONFIG ?= pkg-config

# ---- dependencies (Debian: see scripts/deps.sh) ---------------------------
DEP_PKGS      := libcjson zlib libpcre2-8 spng
DEP_DEBIAN    := libcjson-dev zlib1g-dev libpcre2-dev libspng-dev check wordnet-base pkg-config python3 python3-numpy
NEEDS_DEPS    := $(filter-out clean help install-deps,$(or $(MAKECMDGOALS),all))
ifneq ($(NEEDS_DEPS),)
  ifneq ($(shell $(PKG_CONFIG) --exists $(DEP_PKGS) check 2>/dev/null && echo ok),ok)
    $(error missing build dependencies. On Debian/Ubuntu run: sh scripts/deps.sh   (or install: $(DEP_DEBIAN)))
  endif
endif
DEP_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(DEP_PKGS) 2>/dev/null)
DEP_LIBS   := $(shell $(PKG_CONFIG) --libs $(DEP_PKGS) 2>/dev/null)
CHECK_CFLAGS := $(shell $(PKG_CONFIG) --cflags check 2>/dev/null)
CHECK_LIBS   := $(shell $(PKG_CONFIG) --libs check 2>/dev/null)

# ---- flags: every warning in one place -------------------------------------
WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wpointer-arith -Wformat=2 -Wvla -Wno-unused-parameter
ifeq ($(CI),true)
  WARN += -Werror
endif
# -ffp-contract=off: no FMA contraction; metric parity depends on it.
OPT      ?= -O2 -g
CFLAGS_ALL := -std=c11 $(OPT) $(WARN) -ffp-contract=off -fno-strict-aliasing \
              -D_POSIX_C_SOURCE=200809L -pthread $(EXTRA_CFLAGS)
LIB_CFLAGS := $(CFLAGS_ALL) -fPIC -fvisibility=hidden -DP2C_BUILDING_LIBRARY \
              -Iinclude -Ilib $(DEP_CFLAGS)
LDLIBS_ALL := $(DEP_LIBS) -lm -pthread $(EXTRA_LDFLAGS)

# Quiet by default; V=1 prints every command.
ifeq ($(V),1)
  Q :=
  say = @:
else
  Q := @
  say = @printf '  %-6s %s\n'
endif

# ---- sources ---------------------------------------------------------------
LIB_SRC  := $(sort $(wildcard lib/*/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
CLI_COMMON_SRC := $(sort $(wildcard cli/common/*.c))
CLI_COMMON_OBJ := $(CLI_COMMON_SRC:%.c=$(BUILD)/obj/%.o)
PROGS    := $(notdir $(patsubst %/,%,$(sort $(dir $(wildcard cli/p2c-*/*.c)))))
PROG_BIN := $(addprefix $(BUILD)/,$(PROGS))
TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TEST_COMMON_SRC := $(sort $(wildcard tests/common/*.c))
TEST_COMMON_OBJ := $(TEST_COMMON_SRC:%.c=$(BUILD)/obj/%.o)
BENCH_SRC := $(sort $(wildcard bench/bench_*.c))
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)
FUZZ_NAMES := $(patsubst tests/fuzz/%.c,%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))
REPLAY_BIN := $(FUZZ_NAMES:%=$(BUILD)/replay/%)

SONAME   := libp2ceval.so.$(VERSION_MAJOR)
SHARED   := $(BUILD)/libp2ceval.so.$(VERSION)
STATIC   := $(BUILD)/libp2ceval.a
PCFILE   := $(BUILD)/libp2ceval.pc

.PHONY: all lib check unit-tests cli-tests header-test asan ubsan sanitize fuzz fuzzers \
        install uninstall demo bench clean help install-deps
all: lib $(PROG_BIN)
lib: $(SHARED) $(STATIC) $(PCFILE)

$(BUILD)/obj/lib/%.o: lib/%.c
	@mkdir -p $(dir $@)
	$(say) CC $<
	$(Q)$(CC) $(LIB_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/obj/cli/%.o: cli/%.c include/p2ceval.h
	@mkdir -p $(dir $@)
	$(say) CC $<
	$(Q)$(CC) $(CFLAGS_ALL) -Iinclude -Icli/common -MMD -MP -c $< -o $@

$(BUILD)/obj/tests/%.o: tests/%.c
	@mkdir -p $(dir $@)
	$(say) CC $<
	$(Q)$(CC) $(CFLAGS_ALL) -Iinclude -Ilib -Itests/common $(DEP_CFLAGS) $(CHECK_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/obj/bench/%.o: bench/%.c
	@mkdir -p $(dir $@)
	$(say) CC $<
	$(Q)$(CC) $(CFLAGS_ALL) -Iinclude -Ilib -MMD -MP -c $< -o $@

$(SHARED): $(LIB_OBJ)
	$(say) LD $@
	$(Q)$(CC) -shared -Wl,-soname,$(SONAME) -o $@ $^ $(LDLIBS_ALL)
	ln -sf $(notdir $@) $(BUILD)/$(SONAME)
	ln -sf $(SONAME) $(BUILD)/libp2ceval.so

$(STATIC): $(LIB_OBJ)
	@rm -f $@
	$(say) AR $@
	$(Q)$(AR) rcs $@ $^

# Regenerated on every run: it records PREFIX, which `make install PREFIX=...` may change.
$(PCFILE): libp2ceval.pc.in Makefile FORCE
	@mkdir -p $(BUILD)
	@sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCDIR@|$(INCDIR)|' \
	    -e 's|@VERSION@|$(VERSION)|' -e 's|@REQUIRES@|$(DEP_PKGS)|' $< > $@

# The CLI tools link the static library, like any user would, through the public header.
define PROG_RULE
$(BUILD)/$(1): $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard cli/$(1)/*.c)) $(CLI_COMMON_OBJ) $(STATIC)
	$$(say) LD $$@
	$$(Q)$$(CC) $$(CFLAGS_ALL) -o $$@ $$^ $$(LDLIBS_ALL)
endef
$(foreach p,$(PROGS),$(eval $(call PROG_RULE,$(p))))
.SECONDARY:
FORCE:

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(TEST_COMMON_OBJ) $(STATIC)
	@mkdir -p $(dir $@)
	$(say) LD $@
	$(Q)$(CC) $(CFLAGS_ALL) -o $@ $^ $(CHECK_LIBS) $(LDLIBS_ALL)

# Fuzz targets, linked with a replay driver for make check, with libFuzzer for make fuzz.
$(BUILD)/replay/%: $(BUILD)/obj/tests/fuzz/%.o $(BUILD)/obj/tests/fuzz/standalone_driver.o $(STATIC)
	@mkdir -p $(dir $@)
	$(say) LD $@
	$(Q)$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/fuzz/%: $(BUILD)/obj/tests/fuzz/%.o $(STATIC)
	@mkdir -p $(dir $@)
	$(say) LD $@
	$(Q)$(CC) $(CFLAGS_ALL) -fsanitize=fuzzer -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/bench/%: $(BUILD)/obj/bench/%.o $(STATIC)
	@mkdir -p $(dir $@)
	$(say) LD $@
	$(Q)$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL)

# ---- tests ------------------------------------------------------------------
# One closing line for the whole suite: "check: N passed, M failed".
check: $(TEST_BIN) $(REPLAY_BIN) all header-test
	@P2C_COUNTS=$(BUILD)/counts; rm -f $$P2C_COUNTS; export P2C_COUNTS; \
	 sh tests/run-unit.sh $(TEST_BIN); u=$$?; sh tests/cli/run.sh $(BUILD); c=$$?; \
	 sh tests/python/run.sh $(BUILD); y=$$?; \
	 sh tests/fuzz/replay.sh $(REPLAY_BIN); r=$$?; \
	 awk '{p+=$$1; f+=$$2} END {printf "check: %d passed, %d failed\n", p, f}' $$P2C_COUNTS; \
	 [ $$u = 0 ] && [ $$c = 0 ] && [ $$y = 0 ] && [ $$r = 0 ]

unit-tests: $(TEST_BIN)
	@sh tests/run-unit.sh $(TEST_BIN)

header-test:
	@mkdir -p $(BUILD)
	@printf '#include "p2ceval.h"\nint main(void){return p2c_strerror(0)==0;}\n' > $(BUILD)/header_c99.c
	@$(CC) -std=c99 -pedantic -Wall -Wextra -Werror -Iinclude -fsyntax-only $(BUILD)/header_c99.c
	@printf '#include "p2ceval.h"\nint main(){return p2c_strerror(0)==nullptr;}\n' > $(BUILD)/header_cxx.cc
	@$(CXX) -std=c++11 -pedantic -Wall -Wextra -Werror -Iinclude -fsyntax-only $(BUILD)/header_cxx.cc

cli-tests: all
	@sh tests/cli/run.sh $(BUILD)

asan:
	P2C_SANITIZED=1 $(MAKE) BUILD=build-asan OPT="-O1 -g" \
	  EXTRA_CFLAGS="-fsanitize=address -fno-omit-frame-pointer" EXTRA_LDFLAGS="-fsanitize=address" check

ubsan:
	P2C_SANITIZED=1 $(MAKE) BUILD=build-ubsan OPT="-O1 -g" \
	  EXTRA_CFLAGS="-fsanitize=undefined -fno-sanitize-recover=all" \
	  EXTRA_LDFLAGS="-fsanitize=undefined" check

# ASan and UBSan together, any report fatal: what CI runs after the plain build.
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
sanitize:
	P2C_SANITIZED=1 $(MAKE) BUILD=build-san OPT="-O1 -g" EXTRA_CFLAGS="$(SAN_FLAGS)" EXTRA_LDFLAGS="$(SAN_FLAGS)" check

# libFuzzer builds of tests/fuzz/fuzz_*.c; run them with tests/fuzz/run.sh (docs/fuzzing.md).
fuzz:
	$(MAKE) BUILD=build-fuzz CC=clang OPT="-O1 -g" \
	  EXTRA_CFLAGS="$(SAN_FLAGS) -fsanitize=fuzzer-no-link" EXTRA_LDFLAGS="$(SAN_FLAGS)" fuzzers

fuzzers: $(FUZZ_NAMES:%=$(BUILD)/fuzz/%)

# ---- the README's main job --------------------------------------------------
demo: all
	$(BUILD)/p2c-eval fixtures/synth/gt.json fixtures/synth/pred.json

bench: $(BENCH_BIN) all
	@for b in $(BENCH_BIN); do echo "== $$b"; $$b || exit 1; done

# ---- install ---------------------------------------------------------------
install: all
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCDIR) $(DESTDIR)$(BINDIR)
	install -m 644 include/p2ceval.h $(DESTDIR)$(INCDIR)/
	install -m 755 $(SHARED) $(DESTDIR)$(LIBDIR)/
	ln -sf libp2ceval.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libp2ceval.so
	install -m 644 $(STATIC) $(DESTDIR)$(LIBDIR)/
	install -m 644 $(PCFILE) $(DESTDIR)$(LIBDIR)/pkgconfig/
	install -m 755 $(PROG_BIN) $(DESTDIR)$(BINDIR)/

uninstall:
	rm -f $(DESTDIR)$(INCDIR)/p2ceval.h $(DESTDIR)$(LIBDIR)/libp2ceval.* \
	      $(DESTDIR)$(LIBDIR)/pkgconfig/libp2ceval.pc $(addprefix $(DESTDIR)$(BINDIR)/,$(PROGS))

install-deps:
	sh scripts/deps.sh

clean:
	rm -rf $(BUILD) build-asan build-ubsan build-san build-fuzz

help:
	@sed -n '2,12p' Makefile

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
