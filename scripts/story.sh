#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The end-to-end story that `make run` tells, on embedded defaults. Each
# capability adds its chapter when it works; so far: the CBOR and COSE core
# a vendor signs releases with and a device checks them with, the SCITT
# Transparency Service that logs the releases, and SUIT updates made by the
# vendor and run by a simulated device, and the RATS Verifier that appraises
# the device's attestation evidence.
set -euo pipefail
build=${1:?usage: story.sh BUILD_DIR}
mamori="$(cd "$build" && pwd)/tools/mamori/mamori"
work=$(mktemp -d)
ts_pid=
vf_pid=
# The Transparency Service of chapter 9 and the Verifier of chapter 15 are
# stopped however the story ends.
stop() { if [ -n "$1" ]; then kill "$1" 2>/dev/null; wait "$1" 2>/dev/null; fi; }
trap 'stop "$ts_pid"; stop "$vf_pid"; rm -rf "$work"' EXIT
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

say "7. The vendor describes release 2.0 in JSON; mamori suit create makes its SUIT manifest, signed"
printf 'demo firmware 2.0\n' > firmware-2.0.bin
# The vendor and class IDs are UUID5 names (the manifest spec's advice):
# UUID5(DNS, vendor.example) and UUID5(that, demo-board); the device below
# knows them as UUIDs.
suit_release() { # suit_release SEQUENCE CLASS-NAME > description
    cat <<EOF
{
  "manifest-sequence-number": $1,
  "common": {
    "components": [["00"]],
    "shared-sequence": [
      {"directive-override-parameters": {
        "vendor-identifier": {"dns": "vendor.example"},
        "class-identifier": {"namespace": {"dns": "vendor.example"}, "name": "$2"},
        "image-digest": {"file": "firmware-2.0.bin"},
        "image-size": {"file": "firmware-2.0.bin"}
      }},
      {"condition-vendor-identifier": ["send-record-on-failure"]},
      {"condition-class-identifier": ["send-record-on-failure"]}
    ]
  },
  "install": [
    {"directive-override-parameters": {"uri": "file://$work/firmware-2.0.bin"}},
    {"directive-fetch": ["send-record-on-failure"]},
    {"condition-image-match": 15}
  ],
  "validate": [{"condition-image-match": ["send-record-on-failure"]}],
  "invoke": [{"directive-invoke": 15}]
}
EOF
}
suit_release 20 demo-board > release-2.0.json
"$mamori" suit create -k vendor.key --kid vendor-2026 release-2.0.json -o release-2.0.suit
"$mamori" suit verify -k vendor.cose release-2.0.suit

say "8. The manifest, every key and command by name (mamori suit show)"
"$mamori" suit show release-2.0.suit | sed -n '/\/ manifest \/ 3/,$p'

say "9. A Transparency Service on 127.0.0.1 (SCRAPI over HTTP, SQLite, durable batches)"
"$mamori" ts init --dir ts --issuer https://ts.example --trust https://vendor.example=vendor.cose
"$mamori" ts serve --config ts/ts.json --listen 127.0.0.1:0 --ready-file ts/url -q &
ts_pid=$!
for _ in $(seq 100); do [ -s ts/url ] && break; sleep 0.1; done
[ -s ts/url ] || { echo "story: the Transparency Service did not start" >&2; exit 1; }
url=$(cat ts/url)
echo "listening on $url; it trusts https://vendor.example's key, and signs receipts with its own"

say "10. The vendor registers the signed SUIT manifest: a signed statement over its hash, and the receipt"
"$mamori" scitt statement --key vendor.key --kid vendor-2026 --iss https://vendor.example \
    --sub demo-board --hash SHA-256 --preimage-content-type application/suit-envelope+cose \
    --location https://vendor.example/releases/release-2.0.suit release-2.0.suit -o release-2.0.stmt
"$mamori" scitt register --url "$url" --ts-key ts/ts-key.cose release-2.0.stmt -o release-2.0.receipt \
    --transparent release-2.0.transparent
"$mamori" scitt show release-2.0.receipt

say "11. Anyone proves offline, with the service's key alone, that the release is in the log"
"$mamori" scitt verify --ts-key ts/ts-key.cose release-2.0.transparent
refused "$mamori" scitt verify --ts-key vendor.cose release-2.0.transparent

say "12. The service refuses what its policy does not allow; its log only grows"
"$mamori" scitt statement --key stranger.key --kid stranger --iss https://stranger.example \
    --sub demo-board release-2.0.suit -o stranger.stmt
refused "$mamori" scitt register --url "$url" stranger.stmt -o stranger.receipt
"$mamori" scitt statement --key vendor.key --kid vendor-2026 --iss https://vendor.example \
    --sub demo-firmware --content-type application/cose release.cose -o release-1.0.stmt
"$mamori" scitt register --url "$url" release-1.0.stmt -o release-1.0.receipt
"$mamori" scitt consistency --url "$url" --ts-key ts/ts-key.cose --from 1 --to 2
kill "$ts_pid" && wait "$ts_pid" && ts_pid=
"$mamori" ts check --config ts/ts.json
echo "the service stopped; its log checks out offline"

say "13. A device (a folder and its device.json) fetches, installs, validates and boots it"
mkdir device
cat > device/device.json <<'EOF'
{
  "vendor-id": "bcc16965-6f3a-5338-9d83-d8b565c63bc7",
  "class-id": "ea87fa97-8b53-52d0-a642-ed99592cf9dc",
  "components": [{"id": ["00"], "file": "firmware.bin", "invoke": ["/bin/echo", "booting", "{file}"]}],
  "sequence-numbers": [{"sequence-number": 10}]
}
EOF
"$mamori" suit process -k vendor.cose --device device --report report.cbor release-2.0.suit
echo "device/firmware.bin now holds: $(cat device/firmware.bin)"
echo "the SUIT report it sends back:"
"$mamori" suit show report.cbor

say "14. Refused, and nothing changes: a replay, a manifest for another board, an image that does not match"
refused "$mamori" suit process -k vendor.cose --device device release-2.0.suit
suit_release 21 other-board > other.json
"$mamori" suit create -k vendor.key --kid vendor-2026 other.json -o other.suit
refused "$mamori" suit process -k vendor.cose --device device other.suit
suit_release 22 demo-board > release-2.0b.json
"$mamori" suit create -k vendor.key --kid vendor-2026 release-2.0b.json -o release-2.0b.suit
printf 'DEMO FIRMWARE 2.0\n' > firmware-2.0.bin # same size, altered on the server
refused "$mamori" suit process -k vendor.cose --device device release-2.0b.suit
echo "device/firmware.bin still holds: $(cat device/firmware.bin)"

say "15. A RATS Verifier on 127.0.0.1; the vendor endorses the device's attestation key and says what it must run"
"$mamori" key gen --alg ES256 --kid demo-board-42 --out attest > /dev/null
"$mamori" key gen --alg ES256 --kid verifier-1 --out verifier > /dev/null
# The device's UEID (type 0x01, random): hex for the store, base64url for
# its claims.
ueid_hex=01d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f
ueid_b64=AdDh8qO0xdbn-AkaKzxNXm8
# The digest of the SUIT manifest the device installed in chapter 13.
manifest=$("$mamori" suit verify -k vendor.cose release-2.0.suit | sed -n 's/.*digest SHA-256 \([0-9a-f]*\).*/\1/p')
mkdir vf
"$mamori" verifier endorse add --db vf/verifier.db --key attest.cose --ueid "$ueid_hex"
"$mamori" verifier reference add --db vf/verifier.db --ueid "$ueid_hex" --swname "demo firmware" \
    --swversion 2.0 --manifest "sha-256:$manifest" --debug disabled --secure-boot
"$mamori" verifier serve --key verifier.key --db vf/verifier.db --listen 127.0.0.1:0 --ready-file vf/url -q &
vf_pid=$!
for _ in $(seq 100); do [ -s vf/url ] && break; sleep 0.1; done
[ -s vf/url ] || { echo "story: the Verifier did not start" >&2; exit 1; }
vurl=$(cat vf/url)
echo "listening on $vurl; it signs attestation results with verifier.key"

say "16. The device answers a challenge with evidence (an EAT bound to the nonce); the Verifier's signed verdict"
nonce=$("$mamori" verifier challenge --url "$vurl")
echo "nonce: $nonce"
# The installed manifest as the manifests claim carries it: a SUIT_Reference.
suit_ref=$(printf '["https://vendor.example/releases/release-2.0.suit", [-16, h'"'%s'"']]' "$manifest" |
    "$mamori" cbor encode - | base64 -w0 | tr '+/' '-_' | tr -d '=')
cat > evidence.json <<EOF
{"ueid": "$ueid_b64", "swname": "demo firmware", "swversion": ["2.0"], "oemboot": true,
 "dbgstat": "disabled-since-boot", "manifests": [[60, {"cbor": "$suit_ref"}]], "iat": $(date +%s)}
EOF
"$mamori" eat issue --key attest.key --claims evidence.json --nonce "$nonce" -o evidence.cwt
"$mamori" verifier appraise --url "$vurl" -q -o result.ear evidence.cwt
echo "the relying party checks the result with the Verifier's public key and its nonce:"
"$mamori" eat verify-result --key verifier.cose --nonce "$nonce" result.ear | sed -n '2,6p'

say "17. The same evidence again is refused: its nonce was used"
refused "$mamori" verifier appraise --url "$vurl" evidence.cwt
stop "$vf_pid" && vf_pid=
echo "the Verifier stopped"

printf '\nThe story so far ends here: the TEEP chapters come with their issue.\n'
