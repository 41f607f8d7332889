#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Runs libFuzzer targets for a bounded time each, for CI (a short run) and
# `make fuzz` (a long one).
#
#   scripts/fuzz.sh BUILD_DIR SECONDS [TARGET...]
#
# BUILD_DIR is a build configured with -DMAMORI_BUILD_FUZZ=ON and built.
# Each target (default: every fuzz_* executable in BUILD_DIR/fuzz) fuzzes
# for SECONDS over a working copy of its seed corpus, so the seeds in the
# repository never change; inputs it finds stay in BUILD_DIR/fuzz-corpus/
# <target> and are fuzzed again by the next run. SECONDS 0 runs each corpus
# input once without fuzzing (a regression check).
#
# Exits non-zero when any target fails (crash, sanitizer report, timeout,
# out of memory), naming the target and the saved input; the target's output
# is kept in BUILD_DIR/fuzz-logs/<target>.log.
set -euo pipefail

prog=${0##*/}
usage() {
    echo "usage: $prog BUILD_DIR SECONDS [TARGET...]" >&2
    exit 64
}

[ $# -ge 2 ] || usage
build=$1
seconds=$2
shift 2
case $seconds in
'' | *[!0-9]*) usage ;;
esac

root=$(cd "$(dirname "$0")/.." && pwd)
bin_dir=$build/fuzz
[ -d "$bin_dir" ] || {
    echo "$prog: $bin_dir: no such directory (configure with -DMAMORI_BUILD_FUZZ=ON and build)" >&2
    exit 66
}

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    for exe in "$bin_dir"/fuzz_*; do
        if [ -f "$exe" ] && [ -x "$exe" ]; then
            targets+=("${exe##*/}")
        fi
    done
fi
[ ${#targets[@]} -gt 0 ] || {
    echo "$prog: no fuzz_* executables in $bin_dir" >&2
    exit 66
}

# Makes the working corpus: the seeds plus whatever earlier runs found.
prepare_corpus() {
    local target=$1 work=$2
    local seeds=$root/fuzz/corpus/$target
    mkdir -p "$work"
    if [ -d "$seeds" ]; then
        cp -Rf "$seeds"/. "$work"/
    else
        echo "$prog: $target: no seed corpus at $seeds (starting empty)" >&2
    fi
}

# Prints the counters libFuzzer reports at the end of a run.
summarize() {
    local target=$1 log=$2
    local execs rate cov
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    cov=$(grep -E '^#[0-9]+' "$log" | grep -o 'cov: [0-9]* ft: [0-9]* corp: [0-9/]*[A-Za-z]*' | tail -n 1 || true)
    echo "$prog: $target: ok (${execs:-?} runs, ${rate:-?} exec/s, ${cov:-no coverage line})"
}

failed=()
for target in "${targets[@]}"; do
    exe=$bin_dir/$target
    if [ ! -x "$exe" ]; then
        echo "$prog: $target: not built ($exe missing)" >&2
        failed+=("$target")
        continue
    fi
    work=$build/fuzz-corpus/$target
    artifacts=$build/fuzz-artifacts/$target
    log=$build/fuzz-logs/$target.log
    prepare_corpus "$target" "$work"
    mkdir -p "$artifacts" "$(dirname "$log")"

    args=(-timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts/")
    if [ "$seconds" -eq 0 ]; then
        args+=(-runs=0)
    else
        args+=(-max_total_time="$seconds")
    fi

    echo "$prog: $target: fuzzing for ${seconds}s over $work"
    # Artifacts already there are from earlier failures; report only new ones.
    marker=$(mktemp)
    status=0
    "$exe" "${args[@]}" "$work" >"$log" 2>&1 || status=$?
    if [ "$status" -eq 0 ]; then
        summarize "$target" "$log"
    else
        failed+=("$target")
        saved=$(find "$artifacts" -type f -newer "$marker" | sort)
        echo "$prog: $target: FAILED (exit $status); log: $log" >&2
        if [ -n "$saved" ]; then
            while IFS= read -r f; do
                echo "$prog: $target: input saved as $f (reproduce: $exe $f)" >&2
            done <<<"$saved"
        else
            echo "$prog: $target: no input saved (see the log)" >&2
        fi
        # The sanitizer or invariant report, for the CI log.
        grep -E 'ERROR: |invariant violated|SUMMARY: |runtime error' "$log" | head -n 10 >&2 || true
    fi
    rm -f "$marker"
done

if [ ${#failed[@]} -ne 0 ]; then
    echo "$prog: failed: ${failed[*]}" >&2
    exit 1
fi
echo "$prog: all targets passed"
