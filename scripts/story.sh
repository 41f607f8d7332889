#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The end-to-end story that `make run` tells, on embedded defaults. Each
# capability adds its chapter when it works; today that is the CBOR core that
# every later chapter (SUIT, COSE, SCITT, TEEP, RATS) decodes with.
set -euo pipefail
build=${1:?usage: story.sh BUILD_DIR}
mamori="$(cd "$build" && pwd)/tools/mamori/mamori"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

say() { printf '\n== %s\n' "$*"; }
unhex() { printf '%b' "$(printf '%s' "$1" | tr -d ' \n' | sed 's/../\\x&/g')" > "$2"; }

"$mamori" --version

# A COSE_Sign1 (RFC 9052) as a vendor would ship it: tag 18, a protected
# header wrapped in a byte string, a kid, the payload and a 64-byte signature.
unhex "d2 84 43 a1 01 26 a1 04 42 31 31 54 54 68 69 73 20 69 73 20 74 68 65 20 63 6f 6e 74 65 6e 74 2e 58 40
8e b3 3e 4c a3 1d 1c 46 5a b0 5a ac 34 cc 6b 23 d5 8f ef 5c 08 31 06 c4 d2 5a 91 ae f0 b0 11 7e 2a f9 a2 91 aa
32 e1 4a b8 34 dc 56 ed 2a 22 34 44 54 7e 01 f1 1d 3b 09 16 e5 a4 c3 45 ca cb 36" "signed.cbor"

say "1. CBOR: a signed object, decoded (nested CBOR opened as << >>)"
"$mamori" cbor show "signed.cbor"

say "2. CBOR: it is in the deterministic encoding signatures are computed over"
"$mamori" cbor check --deterministic "signed.cbor"

say "3. CBOR: the same header with its map keys swapped is refused, with the reason and offset"
unhex "a2 04 42 31 31 01 26" "unsorted.cbor"
if "$mamori" cbor check --deterministic "unsorted.cbor" 2>&1; then
    echo "story: an unsorted map was accepted" >&2
    exit 1
fi

say "4. CBOR: a truncated copy is refused before anything acts on it"
head -c 60 "signed.cbor" > "truncated.cbor"
if "$mamori" cbor check "truncated.cbor" 2>&1; then
    echo "story: a truncated item was accepted" >&2
    exit 1
fi

printf '\nThe story so far ends here: SUIT, COSE, SCITT, TEEP and RATS chapters come with their issues.\n'
