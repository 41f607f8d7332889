#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Instruction counts of the SUIT processor (valgrind callgrind: deterministic,
# unlike time on a shared machine).
#
#   bench/suit/instr.sh BENCH_SUIT [SHARED_DIR]
#
# 1. Per example of SHARED_DIR/specs/suit: the instructions executed inside
#    mm_suit_process() -- decoding, authentication structure, the check, the
#    interpreter, the report -- with collection switched off inside every
#    crypto backend operation (tc_*) and every platform callback of the
#    in-memory device but fetch (which calls back into the processor: its
#    own few instructions are counted). Two columns: everything, and without
#    writing the SUIT report (suit_report_*: CBOR encoding, neither parsing
#    nor interpretation). Target: at most 30,000 per example.
# 2. The timed benchmark's two sides, each run once: mm_suit_process() of
#    Example 0 with a 1 MiB image against a bare ECDSA verification plus one
#    SHA-256 pass, crypto included: their ratio.
set -euo pipefail
bench=${1:?usage: instr.sh BENCH_SUIT [SHARED_DIR]}
shared=${2:-${MAMORI_SHARED_DIR:-$(cd "$(dirname "$0")/../.." && pwd)/../shared}}
command -v valgrind >/dev/null || { echo "instr.sh: valgrind is not installed" >&2; exit 69; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

off=()
for f in 'tc_*' component_check identity size_of read_at view digest write_begin write_chunk write_end swap \
    commit discard invoke slot component_version counter_get counter_set now battery authorize wait_for record; do
    off+=("--toggle-collect=$f")
done

# Total Ir of a callgrind output file.
total() { awk '/^(summary|totals):/ { print $2; exit }' "$1"; }

examples=(
    manifest/examples/example0.suit manifest/examples/example1.suit manifest/examples/example2.suit
    manifest/examples/example2-severable.suit manifest/examples/example4.suit manifest/examples/example5.suit
    libcsuit-testfiles/suit_manifest_exp0.suit libcsuit-testfiles/suit_manifest_exp1.suit
    libcsuit-testfiles/suit_manifest_exp2A.suit libcsuit-testfiles/suit_manifest_exp2B.suit
    libcsuit-testfiles/suit_manifest_exp4.suit libcsuit-testfiles/suit_manifest_exp5.suit
    libcsuit-testfiles/suit_manifest_expU0.suit libcsuit-testfiles/suit_manifest_expU1.suit
    libcsuit-testfiles/suit_manifest_expU2.suit libcsuit-testfiles/suit_manifest_expU3.suit
    libcsuit-testfiles/suit_manifest_expI.suit libcsuit-testfiles/suit_manifest_expU.suit
)
worst=0
worst_norep=0
printf '%-44s %10s %10s  %s\n' example all no-report outcome
for ex in "${examples[@]}"; do
    f=$shared/specs/suit/$ex
    [ -f "$f" ] || { echo "instr.sh: $f missing" >&2; exit 66; }
    cg=$out/cg.$(basename "$ex")
    result=$(valgrind --tool=callgrind --callgrind-out-file="$cg" --collect-atstart=no \
        --toggle-collect=mm_suit_process "${off[@]}" "$bench" --instr "$f" 2>/dev/null)
    n=$(total "$cg")
    valgrind --tool=callgrind --callgrind-out-file="$cg.norep" --collect-atstart=no \
        --toggle-collect=mm_suit_process "${off[@]}" '--toggle-collect=suit_report_*' \
        "$bench" --instr "$f" >/dev/null 2>&1
    r=$(total "$cg.norep")
    [ "$n" -gt "$worst" ] && worst=$n
    [ "$r" -gt "$worst_norep" ] && worst_norep=$r
    printf '%-44s %10s %10s  %s\n' "$ex" "$n" "$r" "${result#*: }"
done
echo "suit: processor instructions, worst example: $worst, without the report: $worst_norep (target <= 30000)"

for side in run_mamori run_bare; do
    valgrind --tool=callgrind --callgrind-out-file="$out/cg.$side" --collect-atstart=no \
        --toggle-collect="$side" "$bench" --once >/dev/null 2>&1
done
m=$(total "$out/cg.run_mamori")
b=$(total "$out/cg.run_bare")
echo "suit: Example 0 with a 1 MiB image: mamori $m, bare verify + SHA-256 $b instructions; ratio $(awk -v m="$m" -v b="$b" 'BEGIN { printf "%.3f", m / b }')"
