# porchlight: `make demo` and `make test` each work alone on a fresh Debian/Ubuntu machine.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
BUILD_DIR ?= build
SANITIZE_DIR ?= build-sanitize

.PHONY: all deps build demo test test-sanitize bench clean

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

# The same tests built with AddressSanitizer and UndefinedBehaviorSanitizer.
test-sanitize: deps
	cmake -S . -B $(SANITIZE_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPORCHLIGHT_SANITIZE=ON
	cmake --build $(SANITIZE_DIR) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir $(SANITIZE_DIR) --output-on-failure -j $(JOBS)

bench: build
	bench/run --porchlight $(BUILD_DIR)/porchlight

clean:
	rm -rf $(BUILD_DIR) $(SANITIZE_DIR) demo-output
