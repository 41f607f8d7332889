#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The end-to-end story that `make run` tells, on embedded defaults. Each
# capability adds its chapter when it works; so far: the CBOR and COSE core
# a vendor signs releases with and a device checks them with.
set -euo pipefail
build=${1:?usage: story.sh BUILD_DIR}
mamori="$(cd "$build" && pwd)/tools/mamori/mamori"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

say() { printf '\n== %s\n' "$*"; }
refused() {
    # Runs a command that must fail; shows its one-line reason.
    if "$@" 2>&1; then
        echo "story: this should have been refused: $*" >&2
        exit 1
    fi
}

"$mamori" --version
printf 'demo firmware 1.0\n' > firmware.bin

say "1. The vendor makes a release signing key; the device a key-agreement key"
"$mamori" key gen --alg ES256 --kid vendor-2026 --out vendor
"$mamori" key gen --alg ECDH-ES --crv P-256 --kid device-42 --out device
"$mamori" key show vendor.cose | sed -n '2,8p'

say "2. The vendor signs the release (COSE_Sign1, ES256)"
"$mamori" cose sign --key vendor.key --kid vendor-2026 firmware.bin release.cose
"$mamori" cose show release.cose

say "3. The device verifies it with the vendor's public key"
"$mamori" cose verify --key vendor.cose --out payload.bin release.cose
cmp -s payload.bin firmware.bin && echo "payload recovered, byte for byte"

say "4. A tampered copy, a wrong key and truncated bytes are refused"
cp release.cose tampered.cose
# One payload byte changed: the last payload byte sits just before the
# 64-byte signature and its 2-byte head.
printf 'X' | dd of=tampered.cose bs=1 seek=$(($(stat -c %s release.cose) - 67)) conv=notrunc status=none
refused "$mamori" cose verify --key vendor.cose tampered.cose
"$mamori" key gen --alg ES256 --out stranger > /dev/null
refused "$mamori" cose verify --key stranger.cose release.cose
head -c 40 release.cose > truncated.cose
refused "$mamori" cose verify --key vendor.cose truncated.cose

say "5. The release is encrypted to the device (COSE_Encrypt, ECDH-ES + A128KW) and opened there"
"$mamori" cose encrypt --recipient device.cose --kid device-42 firmware.bin release.enc
"$mamori" cose decrypt --key device.key --out opened.bin release.enc
cmp -s opened.bin firmware.bin && echo "decrypted, byte for byte"
refused "$mamori" cose decrypt --key stranger.key release.enc

say "6. Everything signed is deterministic CBOR; malformed input is refused with its offset"
"$mamori" cbor check --deterministic release.cose
printf '\xa2\x04\x42\x31\x31\x01\x26' > unsorted.cbor
refused "$mamori" cbor check --deterministic unsorted.cbor

printf '\nThe story so far ends here: SUIT, SCITT, TEEP and RATS chapters come with their issues.\n'
