# SPDX-License-Identifier: Apache-2.0
# The README's commands. CMake does the building; this file only chains steps.
#   make run    install what is missing, build, run the end-to-end story
#   make test   install what is missing, build under ASan+UBSan, run every test
#               and a short bounded run of each fuzz target
#   make bench  benchmarks (release build)
#   make fuzz   longer fuzzing (FUZZ_SECONDS per target)
#   make format / make lint

JOBS ?= $(shell nproc 2>/dev/null || echo 2)
FUZZ_SECONDS ?= 300
CI_FUZZ_SECONDS ?= 20
SHARED ?= $(abspath $(CURDIR)/../shared)
CMAKE_COMMON = -DMAMORI_SHARED_DIR=$(SHARED)

SOURCES = $(shell git ls-files '*.c' '*.h' 2>/dev/null || find include lib tools tests fuzz bench -name '*.[ch]')

.PHONY: all run test bench fuzz format lint clean deps-build deps-test deps-bench deps-lint deps-fuzz \
	build-release build-asan build-fuzz build-bench

all: build-release

deps-%:
	@scripts/install-deps.sh $*

build-release: deps-build
	@cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DMAMORI_BUILD_TESTS=OFF $(CMAKE_COMMON) > build-release.log 2>&1 || { cat build-release.log; exit 1; }
	@cmake --build build/release -j $(JOBS) > build-release.log 2>&1 || { cat build-release.log; exit 1; }
	@rm -f build-release.log

run: build-release
	@scripts/story.sh build/release

build-asan: deps-test
	cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=Debug -DMAMORI_SANITIZE=ON $(CMAKE_COMMON)
	cmake --build build/asan -j $(JOBS)

build-fuzz: deps-fuzz
	CC=clang cmake -S . -B build/fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMAMORI_BUILD_FUZZ=ON \
		-DMAMORI_BUILD_TESTS=OFF $(CMAKE_COMMON)
	cmake --build build/fuzz -j $(JOBS)

test: build-asan build-fuzz
	cd build/asan && ctest --output-on-failure -j $(JOBS)
	scripts/fuzz.sh build/fuzz $(CI_FUZZ_SECONDS)

fuzz: build-fuzz
	scripts/fuzz.sh build/fuzz $(FUZZ_SECONDS)

build-bench: deps-bench
	cmake -S . -B build/bench -DCMAKE_BUILD_TYPE=Release -DMAMORI_BUILD_BENCH=ON -DMAMORI_BUILD_TESTS=OFF $(CMAKE_COMMON)
	cmake --build build/bench -j $(JOBS)

bench: build-bench
	scripts/bench.sh build/bench

format: deps-lint
	clang-format -i $(SOURCES)

lint: deps-lint build-asan
	scripts/lint.sh build/asan

clean:
	rm -rf build
