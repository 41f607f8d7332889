#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs the build into a temporary prefix, then builds an outside program
# against it twice: with `pkg-config --cflags --libs mamori`, and with CMake's
# find_package(mamori). Both must build and print the expected output.
set -euo pipefail
build=${1:?usage: run.sh BUILD_DIR SOURCE_DIR [SANITIZE]}
src=${2:?usage: run.sh BUILD_DIR SOURCE_DIR [SANITIZE]}
sanitize=${3:-OFF}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" > "$tmp/install.log"
want='{"a": 1, "b": 2}'

extra=()
case "$sanitize" in ON | on | 1 | TRUE | true) extra=(-fsanitize=address,undefined) ;; esac

pcdir=$(dirname "$(find "$tmp/prefix" -name mamori.pc | head -n 1)")
export PKG_CONFIG_PATH=$pcdir
cc "${extra[@]}" $(pkg-config --cflags mamori) "$src/consumer.c" $(pkg-config --libs mamori) -o "$tmp/consumer"
libdir=$(pkg-config --variable=libdir mamori)
got=$(LD_LIBRARY_PATH=$libdir "$tmp/consumer")
[ "$got" = "$want" ] || { echo "pkg-config consumer printed '$got', want '$want'" >&2; exit 1; }

cmake -S "$src" -B "$tmp/cmake" -DCMAKE_PREFIX_PATH="$tmp/prefix" \
    -DCMAKE_C_FLAGS="${extra[*]}" -DCMAKE_EXE_LINKER_FLAGS="${extra[*]}" > "$tmp/cmake.log"
cmake --build "$tmp/cmake" > "$tmp/build.log"
got=$("$tmp/cmake/consumer_cmake")
[ "$got" = "$want" ] || { echo "CMake consumer printed '$got', want '$want'" >&2; exit 1; }
[ -x "$tmp/prefix/bin/mamori" ] || { echo "the CLI was not installed" >&2; exit 1; }
echo "install: ok (pkg-config and find_package consumers built and ran)"
