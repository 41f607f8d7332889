#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Instructions per operation of bench_eat under callgrind, per token:
# mamori's EAT verify+decode and sign against bare OpenSSL ES256 verify and
# sign of the same bytes in the same process, and mamori's overhead. Only
# bench_eat's callgrind_loop is collected: CALLGRIND_ITERS calls of each.
#   bench/eat/callgrind.sh BUILD_DIR
set -euo pipefail
build=${1:?usage: callgrind.sh BUILD_DIR}
bin=$build/bench/eat/bench_eat
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for token in device teep; do
    info=$(valgrind --tool=callgrind --collect-atstart=no --toggle-collect=callgrind_loop --callgrind-out-file="$out" "$bin" --callgrind "$token" 2>/dev/null)
    set -- $info
    bytes=$2
    iters=$3
    # Inclusive instruction counts of the op_* functions.
    callgrind_annotate --inclusive=yes "$out" 2>/dev/null |
        awk -v iters="$iters" -v token="$token" -v bytes="$bytes" '
        /op_(mamori|bare)_(verify|sign)/ {
            ir = $1
            gsub(",", "", ir)
            name = $0
            sub(/.*op_/, "op_", name)
            sub(/[^a-z_].*/, "", name)
            cost[name] = ir / iters
        }
        END {
            printf "callgrind: %s token, %d bytes: instructions per operation (%d calls each)\n", token, bytes, iters
            printf "  mamori verify+decode %10.0f   bare ES256 verify %10.0f   overhead %7.0f (target <= 20000)\n",
                cost["op_mamori_verify"], cost["op_bare_verify"], cost["op_mamori_verify"] - cost["op_bare_verify"]
            printf "  mamori sign          %10.0f   bare ES256 sign   %10.0f   overhead %7.0f\n",
                cost["op_mamori_sign"], cost["op_bare_sign"], cost["op_mamori_sign"] - cost["op_bare_sign"]
        }'
done
