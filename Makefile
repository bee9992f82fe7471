# zhibu — build, run, test.  `make run` and `make test` work on a fresh
# Debian 12 machine as root: the `deps` step installs what is missing.

CC      ?= cc
PREFIX  ?= /usr/local
DESTDIR ?=
PKGS    := harfbuzz-subset harfbuzz icu-uc icu-i18n fontconfig freetype2 xlsxwriter libzip expat libqrencode libcrypto libqpdf libdeflate

# Debian packages the build, the run and the tests need.
DEB_PKGS := build-essential pkg-config libhpdf-dev libxlsxwriter-dev libiniparser-dev \
            libcsv-dev libharfbuzz-dev libicu-dev libfontconfig-dev libfreetype-dev \
            libzip-dev libexpat1-dev libqrencode-dev libssl-dev libqpdf-dev libdeflate-dev \
            fonts-arphic-uming fonts-arphic-ukai fonts-wqy-zenhei \
            fonts-babelstone-han fonts-hanazono fonts-liberation \
            poppler-utils qpdf python3 python3-openpyxl libreoffice-calc-nogui zbar-tools procps

CFLAGS_BASE := -std=c11 -D_GNU_SOURCE -DZHIBU_DATADIR=\"$(PREFIX)/share/zhibu\" -Wall -Wextra -Wno-unused-parameter -Igen -I/usr/include/iniparser
PKG_CFLAGS   = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS     = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
LIBS         = $(PKG_LIBS) -lhpdf -liniparser -lcsv -lm
OPT         ?= -O2 -g
CFLAGS      ?=
ALL_CFLAGS   = $(CFLAGS_BASE) $(OPT) $(PKG_CFLAGS) $(CFLAGS)

# gen/ is one folder per layer of the pipeline (README.md, "Code");
# tests/tools/check-layers says which folder may include which.
SRCS := $(sort $(wildcard gen/*/*.c gen/*/*/*.c))
HDRS := $(sort $(wildcard gen/*/*.h gen/*/*/*.h))
LIB_SRCS := $(filter-out gen/app/main.c,$(SRCS))
BUILD ?= build
OBJS := $(patsubst gen/%.c,$(BUILD)/%.o,$(LIB_SRCS))
TEST_SRCS := $(sort $(wildcard tests/unit/*.c))

.PHONY: all deps run test test-fast test-asan check-deps check-layers install clean bench fuzz

all: deps zhibu

# Install the missing ones of a list of Debian packages (apt-get update
# first); silent when all are present.  Used as $(call install_debs,LIST).
define install_debs
	@missing=""; for p in $(1); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" != 0 ]; then echo "make: run as root, or install:$$missing" >&2; exit 1; fi; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi
endef

deps:
	$(call install_debs,$(DEB_PKGS))

$(BUILD)/%.o: gen/%.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libzhibu.a: $(OBJS)
	rm -f $@ && ar rcs $@ $^

zhibu: $(BUILD)/libzhibu.a gen/app/main.c $(HDRS)
	$(CC) $(ALL_CFLAGS) gen/app/main.c $(BUILD)/libzhibu.a $(LIBS) -o $@

run: all
	./zhibu monthly --month 2022-09
	./zhibu halfyear --half 2022-H2
	./zhibu annual --year 2022

$(BUILD)/unit_tests: $(BUILD)/libzhibu.a $(TEST_SRCS) tests/unit/*.h
	$(CC) $(ALL_CFLAGS) -Itests/unit $(TEST_SRCS) $(BUILD)/libzhibu.a $(LIBS) -o $@

# The whole suite: unit tests, end-to-end runs, acceptance cases, then the
# same again under AddressSanitizer + UndefinedBehaviorSanitizer.
test: deps
	$(MAKE) --no-print-directory check-layers
	$(MAKE) --no-print-directory test-fast
	$(MAKE) --no-print-directory test-asan

# An include that points up or sideways in the pipeline fails the build of the tests.
check-layers:
	tests/tools/check-layers gen

test-fast: zhibu $(BUILD)/unit_tests
	ZHIBU=./zhibu UNIT=$(BUILD)/unit_tests tests/run-tests

test-asan:
	$(MAKE) --no-print-directory BUILD=build-asan OPT="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  build-asan/unit_tests build-asan/zhibu
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ZHIBU=build-asan/zhibu UNIT=build-asan/unit_tests ZHIBU_SANITIZED=1 tests/run-tests

build-asan/zhibu: $(BUILD)/libzhibu.a gen/app/main.c $(HDRS)
	$(CC) $(ALL_CFLAGS) gen/app/main.c $(BUILD)/libzhibu.a $(LIBS) -o $@

install: zhibu
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/zhibu/templates $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 zhibu $(DESTDIR)$(PREFIX)/bin/zhibu
	install -m 644 templates/*.ini templates/README.md $(DESTDIR)$(PREFIX)/share/zhibu/templates/
	install -m 644 doc/zhibu.1 $(DESTDIR)$(PREFIX)/share/man/man1/zhibu.1

clean:
	rm -rf build build-asan zhibu

# City-scale benchmark (tests/bench/BENCH.md): generates the input once under
# tests/bench/data/, times annual and monthly at full size, 1/10 and one
# 50-member branch.  BENCH_MEMBERS, BENCH_BRANCHES, BENCH_FORMATS, BENCH_JOBS,
# BENCH_REPEAT, BENCH_SIZES: see tests/bench/run-bench.
bench: zhibu
	tests/bench/run-bench

# Fuzzing (libFuzzer, clang + libclang-rt-14-dev): the CSV reader with
# encoding detection, the rules INI loader, the value parsers.  The gen/
# objects are built with clang -fsanitize=fuzzer-no-link,address,undefined in
# build-fuzz/; each target runs FUZZ_SECONDS over its seeds in
# tests/fuzz/seeds/<name>/ plus a growing corpus in build-fuzz/corpus/.
# A crash stops with the reproducer in build-fuzz/; keep it as a seed.
FUZZ_SECONDS ?= 60
FUZZ_BUILD   := build-fuzz
FUZZ_NAMES   := csv ini parse xlsx
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_BINS    := $(patsubst %,$(FUZZ_BUILD)/fuzz_%,$(FUZZ_NAMES))

fuzz:
	$(call install_debs,clang libclang-rt-14-dev)
	$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=clang OPT="-O1 -g -fsanitize=fuzzer-no-link $(FUZZ_SAN)" $(FUZZ_BINS)
	@for n in $(FUZZ_NAMES); do \
	  mkdir -p $(FUZZ_BUILD)/corpus/$$n; \
	  echo "fuzz_$$n: $(FUZZ_SECONDS) s"; \
	  $(FUZZ_BUILD)/fuzz_$$n -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
	    -print_final_stats=1 -artifact_prefix=$(FUZZ_BUILD)/fuzz_$$n- \
	    $(FUZZ_BUILD)/corpus/$$n tests/fuzz/seeds/$$n 2>$(FUZZ_BUILD)/fuzz_$$n.log || \
	    { tail -60 $(FUZZ_BUILD)/fuzz_$$n.log; exit 1; }; \
	  grep -E '^stat::number_of_executed_units|^Done' $(FUZZ_BUILD)/fuzz_$$n.log; \
	done

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_BUILD)/libzhibu.a
	$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer $< $(FUZZ_BUILD)/libzhibu.a $(LIBS) -o $@
