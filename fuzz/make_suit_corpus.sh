#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Seeds for fuzz_suit: each description of examples/suit/ made into an
# envelope by `mamori suit create` (signed with a throwaway ES256 key: every
# seed's selector makes the test backend accept any signature, so the
# processor is reached), behind four selector bytes: 03 update, 05
# invocation, 0f both with a report, 1b update with a report of every
# command (see fuzz_suit.c).
#
#   fuzz/make_suit_corpus.sh MAMORI [OUT_DIR]
#
# The images the descriptions name are libcsuit's test files, in
# MAMORI_SHARED_DIR (default: ../shared beside the clone).
set -euo pipefail
mamori=${1:?usage: make_suit_corpus.sh MAMORI [OUT_DIR]}
root=$(cd "$(dirname "$0")/.." && pwd)
out=${2:-$root/fuzz/corpus/fuzz_suit}
files=${MAMORI_SHARED_DIR:-$root/../shared}/specs/suit/libcsuit-testfiles
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
"$mamori" key gen --alg ES256 --out "$tmp/seed" >/dev/null
for desc in "$root"/examples/suit/*.json; do
    name=$(basename "$desc" .json)
    "$mamori" suit create -k "$tmp/seed.key" --files "$files" "$desc" -o "$tmp/$name.suit"
    for sel in 03 05 0f 1b; do
        { printf "\\x$sel"; cat "$tmp/$name.suit"; } >"$out/seed-$name-$sel"
    done
done
echo "make_suit_corpus.sh: $(ls "$out" | grep -c '^seed-') seeds in $out"
