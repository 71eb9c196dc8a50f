# inbeeld — build, test and benchmark.
#
#   make              build build/inbeeld
#   make SAN=1        build build-san/inbeeld with AddressSanitizer and UBSan
#   make check        build and run every test (unit and black-box) on SQLite and on a
#                     throwaway PostgreSQL cluster (or the one INBEELD_TEST_PG names)
#   make demo         build, create a demo region and serve it on http://127.0.0.1:8080
#   make bench        run the benchmarks in bench/
#   make fuzz         build the libFuzzer targets in fuzz/ (clang)
#
# Dependencies come from pkg-config; scripts/install-deps.sh installs them on Debian 12.

PKGS     := sqlite3 libpq libmicrohttpd jansson libsodium nettle libcmark
CC       ?= cc
ifeq ($(CC),cc)
CC       := gcc
endif

ifeq ($(SAN),1)
BUILD    ?= build-san
OPT      := -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
SANLD    := -fsanitize=address,undefined
else
BUILD    ?= build
OPT      := -O2
SANLD    :=
endif

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   := $(shell pkg-config --libs $(PKGS))

CFLAGS   += -std=c17 -D_GNU_SOURCE -g $(OPT) -Wall -Wextra -Werror -Wshadow -Wvla \
            -Wstrict-prototypes -Wmissing-prototypes -MMD -MP \
            -Isrc -I$(BUILD)/gen $(PKG_CFLAGS)
LDFLAGS  += $(SANLD)
LDLIBS   += $(PKG_LIBS) -lstemmer -lm -lpthread

# Every .c below src/ is part of the program; main.c alone is not part of the library
# that the unit tests link against.
SRCS     := $(shell find src -name '*.c' | sort)
LIB_SRCS := $(filter-out src/main.c,$(SRCS))
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o) $(BUILD)/gen/embedded.o
MAIN_OBJ := $(BUILD)/src/main.o

# Files compiled into the binary: migrations, web assets, the knowledge platform's
# starting content. Their names inside the binary are their paths below the listed roots.
EMBED    := $(shell find src/store/sql -name '*.sql' | sort) \
            $(shell test -d web && find web -type f | sort) \
            $(wildcard content/*.json) \
            $(sort $(wildcard data/names/*.csv data/regions/*.csv))

UNIT_SRCS := $(sort $(wildcard tests/unit/u-*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all check unit blackbox demo bench fuzz clean format
all: $(BUILD)/inbeeld

$(BUILD)/inbeeld: $(MAIN_OBJ) $(BUILD)/libinbeeld.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/libinbeeld.a: $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

# The embed tool runs on the build machine; it is never sanitised.
$(BUILD)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -std=c17 -O1 -Wall -Wextra -Werror -o $@ $<

$(BUILD)/gen/embedded.c: $(BUILD)/tools/embed $(EMBED)
	@mkdir -p $(dir $@)
	$(BUILD)/tools/embed $@ $(EMBED)

$(BUILD)/gen/embedded.o: $(BUILD)/gen/embedded.c
	$(CC) $(CFLAGS) -Wno-missing-prototypes -c -o $@ $<

$(BUILD)/tests/u-%: tests/unit/u-%.c $(BUILD)/libinbeeld.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests/unit -o $@ $< $(BUILD)/libinbeeld.a $(LDFLAGS) $(LDLIBS) -lcmocka

unit: $(UNIT_BINS)

check: $(BUILD)/inbeeld $(UNIT_BINS)
	BUILD=$(BUILD) tests/check.sh

demo: $(BUILD)/inbeeld
	$(BUILD)/inbeeld demo

$(BUILD)/bench/%: bench/%.c $(BUILD)/libinbeeld.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/libinbeeld.a $(LDFLAGS) $(LDLIBS)

bench: $(BUILD)/inbeeld $(BUILD)/bench/baseline-insert
	BUILD=$(BUILD) bench/run.sh

fuzz:
	$(MAKE) -C fuzz BUILD=$(abspath build-fuzz)

format:
	clang-format -i $(SRCS) $(shell find src tests/unit -name '*.h') $(UNIT_SRCS)

clean:
	rm -rf build build-san build-fuzz

-include $(shell test -d $(BUILD) && find $(BUILD) -name '*.d')
