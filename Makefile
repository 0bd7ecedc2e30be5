# ha — build, test, bench, install.  `make help` lists the targets.
#
# Layers (see DESIGN.md): grammar/ -> interp/ -> runtime/ (libha) -> kernels/.
# Every .c file in a layer's folder is built automatically: add a file, not
# a Makefile rule.

PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build
CC      := mpicc
BLIS_INC ?= /usr/include/x86_64-linux-gnu/blis-openmp
NVCC    ?= /usr/local/cuda/bin/nvcc
HIPCC   ?= hipcc

OPT      ?= -O2
SANFLAGS ?=
CFLAGS  ?= $(OPT) -g
CFLAGS  += -std=gnu11 -Wall -Wextra -fopenmp -pthread -Iinclude -I$(BUILD) \
           -isystem $(BLIS_INC) $(SANFLAGS) -MMD -MP
# Parallel HDF5 (Debian libhdf5-openmpi-dev) for runtime/io/hdf5.c.
HDF5_CFLAGS ?= $(shell pkg-config --cflags-only-I hdf5-openmpi 2>/dev/null || echo -I/usr/include/hdf5/openmpi)
HDF5_LIBS   ?= $(shell pkg-config --libs-only-L hdf5-openmpi 2>/dev/null || echo -L/usr/lib/x86_64-linux-gnu/hdf5/openmpi) -lhdf5
CFLAGS  += $(patsubst -I%,-isystem %,$(HDF5_CFLAGS))
LDLIBS  := -llapacke -lblis -ledit -lm $(HDF5_LIBS) -fopenmp -pthread $(SANFLAGS)
CHECK_LIBS = $(shell pkg-config --libs check 2>/dev/null)

GRAMMAR_C := $(BUILD)/lexer.c $(BUILD)/parser.c
GRAMMAR_SRC := $(filter-out grammar/lexer.c grammar/parser.c,$(wildcard grammar/*.c))
INTERP_SRC := $(filter-out interp/main.c,$(wildcard interp/*.c))
RUNTIME_SRC := $(wildcard runtime/*.c runtime/*/*.c) $(wildcard kernels/cpu/*.c)
STDLIB_HA := $(sort $(wildcard stdlib/*.ha))

OBJ = $(patsubst %.c,$(BUILD)/%.o,$(1))
GRAMMAR_OBJ := $(BUILD)/lexer.o $(BUILD)/parser.o $(call OBJ,$(GRAMMAR_SRC))
INTERP_OBJ := $(call OBJ,$(INTERP_SRC)) $(BUILD)/stdlib_embed.o
RUNTIME_OBJ := $(call OBJ,$(RUNTIME_SRC))

UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))

.PHONY: all deps check unit scripts demo bench install man sanitize clean help gpu
all: deps $(BUILD)/ha

help:
	@echo "make [all]      build ./build/ha (installs missing Debian packages first)"
	@echo "make check      build and run every test at 1..4 ranks"
	@echo "make demo       run examples/tutorial.ha on 4 ranks"
	@echo "make bench      run the benchmarks (prints ratios)"
	@echo "make sanitize   ASan+UBSan build and test run"
	@echo "make install    install to \$$(DESTDIR)\$$(PREFIX)"
	@echo "make man        check the man pages render"
	@echo "make deps       install missing Debian packages (apt-get, as root)"
	@echo "make gpu        build the GPU backends: build/libha_cuda.so (nvcc), build/libha_hip.so (hipcc)"

# Installs what a fresh Debian 12 machine lacks; a no-op when all is there.
DEB_PKGS := build-essential pkg-config flex bison libedit-dev check libsubunit-dev \
            libopenmpi-dev openmpi-bin libblis-dev liblapacke-dev libhdf5-openmpi-dev \
            python3-numpy tmux man-db
deps:
	@missing=$$(for p in $(DEB_PKGS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing: $$missing"; \
	  if [ "$$(id -u)" != 0 ]; then echo "make deps: run as root (apt-get) to install: $$missing" >&2; exit 1; fi; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 1; \
	fi

$(BUILD)/lexer.c $(BUILD)/lexer.h: grammar/lexer.l $(BUILD)/parser.h
	@mkdir -p $(BUILD)
	flex --header-file=$(BUILD)/lexer.h -o $(BUILD)/lexer.c $<

$(BUILD)/parser.c $(BUILD)/parser.h: grammar/parser.y
	@mkdir -p $(BUILD)
	bison -Wall -Werror --defines=$(BUILD)/parser.h -o $(BUILD)/parser.c $<

# Generated C is not held to -Wextra's unused-parameter noise.
$(BUILD)/lexer.o: $(BUILD)/lexer.c $(BUILD)/parser.h
	$(CC) $(CFLAGS) -Igrammar -Wno-unused-function -Wno-unused-parameter -Wno-sign-compare -c $< -o $@
$(BUILD)/parser.o: $(BUILD)/parser.c $(BUILD)/lexer.h
	$(CC) $(CFLAGS) -Igrammar -c $< -o $@

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Igrammar -c $< -o $@

$(call OBJ,$(GRAMMAR_SRC) $(INTERP_SRC) interp/main.c): $(BUILD)/parser.h $(BUILD)/lexer.h

# The stdlib (ha source) is embedded as bytes and parsed at start-up.
$(BUILD)/stdlib_embed.c: $(STDLIB_HA) stdlib/embed.sh
	@mkdir -p $(BUILD)
	sh stdlib/embed.sh $(STDLIB_HA) > $@

$(BUILD)/libha.a: $(RUNTIME_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/libhi.a: $(GRAMMAR_OBJ) $(INTERP_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/ha: $(BUILD)/interp/main.o $(BUILD)/libhi.a $(BUILD)/libha.a
	$(CC) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libhi.a $(BUILD)/libha.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Igrammar -Iinterp -o $@ $< $(BUILD)/libhi.a $(BUILD)/libha.a $(LDLIBS) $(CHECK_LIBS)

# GPU backends (not part of `all`): kernels/gpu/*.cu into shared libraries
# that ha_init dlopen()s from the binary's directory.  Each is built when its
# compiler exists; the HIP one for HIP_ARCH (hipcc needs an explicit target).
GPU_SRC   := $(wildcard kernels/gpu/*.cu)
GPU_DEPS  := $(GPU_SRC) $(wildcard kernels/gpu/*.h) kernels/cpu/hk.h kernels/cpu/ops_list.h kernels/cpu/hk_math.h
NVCCFLAGS ?= -O2 -std=c++17 -Xcompiler -fPIC,-Wall,-Wextra
HIP_ARCH  ?= gfx90a
HIPFLAGS  ?= -O2 -std=c++17 -fPIC -Wall -Wextra --offload-arch=$(HIP_ARCH)
gpu:
	@built=; \
	if [ -x "$$(command -v $(NVCC))" ]; then $(MAKE) --no-print-directory $(BUILD)/libha_cuda.so || exit 1; built=1; fi; \
	if [ -x "$$(command -v $(HIPCC))" ]; then $(MAKE) --no-print-directory $(BUILD)/libha_hip.so || exit 1; built=1; fi; \
	if [ -z "$$built" ]; then echo "make gpu: neither $(NVCC) nor $(HIPCC) is installed" >&2; exit 1; fi

$(BUILD)/libha_cuda.so: $(GPU_DEPS)
	@mkdir -p $(BUILD)
	$(NVCC) $(NVCCFLAGS) -Ikernels/cpu -Ikernels/gpu -shared -cudart static -o $@ $(GPU_SRC)

$(BUILD)/libha_hip.so: $(GPU_DEPS)
	@mkdir -p $(BUILD)
	$(HIPCC) $(HIPFLAGS) -Ikernels/cpu -Ikernels/gpu -shared -o $@ $(GPU_SRC)

unit: deps $(UNIT_BIN)

check: all unit
	@sh tests/run-all.sh $(BUILD)

demo: all
	@sh tests/mpirun.sh -n 4 $(BUILD)/ha examples/tutorial.ha

bench: all
	@sh bench/run.sh $(BUILD)

sanitize:
	$(MAKE) BUILD=build-san OPT=-O1 SANFLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" check

# ha-functions.7 is generated from the docstrings help() prints, so the two
# cannot disagree (tests/run-all.sh fails when it is out of date).
man: all
	$(BUILD)/ha man/functions.ha > man/ha-functions.7
	@for m in man/*.[17]; do MANWIDTH=80 man -l $$m > /dev/null || exit 1; done; echo "man pages render"

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man7 \
	           $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include
	install -m 755 $(BUILD)/ha $(DESTDIR)$(PREFIX)/bin/ha
	install -m 644 $(BUILD)/libha.a $(DESTDIR)$(PREFIX)/lib/libha.a
	install -m 644 include/ha.h $(DESTDIR)$(PREFIX)/include/ha.h
	install -m 644 man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 man/*.7 $(DESTDIR)$(PREFIX)/share/man/man7/

clean:
	rm -rf build build-san

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
