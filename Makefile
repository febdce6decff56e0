# porchlight: `make demo` and `make test` each work alone on a fresh Debian/Ubuntu machine.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
BUILD_DIR ?= build
SANITIZE_DIR ?= build-sanitize

.PHONY: all deps build demo test test-sanitize fuzz bench clean

all: build

deps:
	@tools/install-deps

build: deps
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD_DIR) -j $(JOBS)

demo: build
	@tools/demo $(BUILD_DIR)/porchlight

test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS)
	tools/run-fuzz

# The same tests built with AddressSanitizer and UndefinedBehaviorSanitizer.
test-sanitize: deps
	cmake -S . -B $(SANITIZE_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPORCHLIGHT_SANITIZE=ON
	cmake --build $(SANITIZE_DIR) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tools/lsan.supp:print_suppressions=0 \
	  ctest --test-dir $(SANITIZE_DIR) --output-on-failure -j $(JOBS)

# libFuzzer targets of the document parsers, built with clang in build-fuzz/, FUZZ_SECONDS
# (default 20) each; see docs/fuzzing.md.
fuzz: deps
	tools/run-fuzz

bench: build
	bench/run --porchlight $(BUILD_DIR)/porchlight

clean:
	rm -rf $(BUILD_DIR) $(SANITIZE_DIR) build-fuzz demo-output
