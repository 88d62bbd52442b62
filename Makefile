# The two commands of the quick start are `make demo` and `make test`; both
# install what they need first (scripts/install-deps.sh, idempotent).
BUILD      ?= build
BUILD_TYPE ?= RelWithDebInfo
CMAKE_FLAGS = -G Ninja -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19

.PHONY: all deps check-deps build test test-sanitizers demo demo-hooks bench clean

all: build

deps:
	@./scripts/install-deps.sh

check-deps: deps
	@./scripts/check-deps.sh

build: deps
	@cmake -S . -B $(BUILD) $(CMAKE_FLAGS) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) >/dev/null
	@cmake --build $(BUILD)

# Every test: first the check that everything used from the machine comes
# from scripts/packages.txt (the build's headers and CMake's findings are
# checked again by the ctest case scripts/check_deps), then the full build's
# suite, then the runtime and the agent under AddressSanitizer with
# UndefinedBehaviorSanitizer, and under ThreadSanitizer.
test: check-deps
	@$(MAKE) --no-print-directory build
	@ctest --test-dir $(BUILD) --output-on-failure -j2
	@$(MAKE) --no-print-directory test-sanitizers

test-sanitizers: deps
	@cmake -S . -B $(BUILD)-asan $(CMAKE_FLAGS) -DCMAKE_BUILD_TYPE=Debug -DVIGIL_SANITIZE=address,undefined >/dev/null
	@cmake --build $(BUILD)-asan
	@ctest --test-dir $(BUILD)-asan --output-on-failure -j2
	@cmake -S . -B $(BUILD)-tsan $(CMAKE_FLAGS) -DCMAKE_BUILD_TYPE=Debug -DVIGIL_SANITIZE=thread >/dev/null
	@cmake --build $(BUILD)-tsan
	@TSAN_OPTIONS="suppressions=$(CURDIR)/cmake/tsan.supp $$TSAN_OPTIONS" ctest --test-dir $(BUILD)-tsan --output-on-failure -j2

demo: build
	@./examples/shop/run.sh $(BUILD)

demo-hooks: build
	@./examples/hooks-demo/run.sh $(BUILD)

bench: build
	@./bench/run.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(BUILD)-asan $(BUILD)-tsan
