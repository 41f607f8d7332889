#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs every benchmark binary of a bench build (bench/*/bench_*), one after
# the other so they do not compete for the cores.
set -euo pipefail
build=${1:?usage: bench.sh BUILD_DIR}
found=0
for b in "$build"/bench/*/bench_*; do
    [ -x "$b" ] || continue
    found=1
    echo "== $(basename "$b")"
    "$b"
done
[ $found = 1 ] || { echo "bench: no benchmarks in $build/bench" >&2; exit 1; }
