#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Declarative CLI tests: each case runs the real mamori binary with fixed
# arguments and input, and checks the exit status and, where an expected-output
# file exists, stdout (NAME.out) and stderr (NAME.err) byte for byte.
# UPDATE=1 rewrites the expected files from the current output.
set -uo pipefail
mamori=${1:?usage: run.sh MAMORI_BINARY CASES_DIR}
dir=${2:?usage: run.sh MAMORI_BINARY CASES_DIR}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
total=0

# Writes the bytes given as hex to a file.
unhex() { printf '%b' "$(printf '%s' "$1" | tr -d ' \n' | sed 's/../\\x&/g')" > "$2"; }

# check NAME EXIT STDIN_HEX ARGS...: "-" as STDIN_HEX means no input.
check() { run_case out "$@"; }

# check_rand NAME EXIT STDIN_HEX ARGS...: as check, for commands whose
# standard output holds fresh keys, signatures or ciphertexts: only stderr is
# compared (and kept by UPDATE=1).
check_rand() { run_case no-out "$@"; }

run_case() {
    local streams=$1 name=$2 want=$3 in=$4
    shift 4
    [ "$streams" = out ] && streams="out err" || streams=err
    total=$((total + 1))
    local args=()
    for a in "$@"; do args+=("${a//$work}"); done
    if [ "$in" = "-" ]; then
        (cd "$work" && "$mamori" "${args[@]}" < /dev/null > "$work/$name.out" 2> "$work/$name.err")
    else
        unhex "$in" "$work/$name.in"
        (cd "$work" && "$mamori" "${args[@]}" < "$work/$name.in" > "$work/$name.out" 2> "$work/$name.err")
    fi
    local got=$?
    local ok=1
    if [ "$got" != "$want" ]; then
        echo "FAIL $name: exit $got, want $want" >&2
        sed 's/^/    stderr: /' "$work/$name.err" >&2
        ok=0
    fi
    for stream in $streams; do
        local exp="$dir/expected/$name.$stream"
        if [ "${UPDATE:-0}" = 1 ] && [ -s "$work/$name.$stream" ]; then
            cp "$work/$name.$stream" "$exp"
        elif [ -f "$exp" ] && ! cmp -s "$exp" "$work/$name.$stream"; then
            echo "FAIL $name: std$stream differs from expected/$name.$stream" >&2
            diff -u "$exp" "$work/$name.$stream" | head -20 >&2
            ok=0
        fi
    done
    [ $ok = 1 ] || failed=$((failed + 1))
}

# A file input for cases that read a named file.
# A file input for cases that read a named file: a COSE_Sign1 (ES256) made
# once with mamori's own test key k11 below (all fixtures here are mamori's
# own; the official examples stay in ../shared and are tested from there).
unhex "d28443a10126a104423131582152656c6561736520312e30206f66207468652064656d6f206669726d776172652e5840
465b512ca687678be4940b2f956c91916b8afb6a2e864043169d01a7c6646a070e3a5b7205a02faafabe802f430109c2
137cfccdf33fd4934b8e64b187c8314e" "$work/sign1.cbor"
printf 'a2 01 02\n03 04\n' > "$work/map.hex"

# --- general ---------------------------------------------------------------
check version 0 - --version
check help 0 - --help
check no_args 64 -
check unknown_command 64 - frobnicate
check unknown_option 64 - --frobnicate
check cbor_help 0 - cbor --help
check cbor_no_args 64 - cbor
check cbor_unknown 64 - cbor frob

# --- cbor show -------------------------------------------------------------
check show_help 0 - cbor show --help
check show_file 0 - cbor show sign1.cbor
check show_compact 0 - cbor show --compact sign1.cbor
check show_no_nested 0 - cbor show --no-nested --compact sign1.cbor
check show_stdin 0 "bf 61 61 01 61 62 9f 02 03 ff ff" cbor show --compact -
check show_hex 0 - cbor show --hex --compact map.hex
check show_sequence 0 "01 02 82 03 04" cbor show --sequence -
check show_truncated 65 "82 01 81" cbor show --compact -
check show_trailing 65 "01 02" cbor show -
check show_bad_hex 65 - cbor show --hex sign1.cbor
check show_missing_file 66 - cbor show no-such-file
check show_two_files 64 - cbor show a b
check show_bad_option 64 - cbor show --frob x
check show_bad_depth 64 - cbor show --max-depth 0 x
check show_depth_limit 65 "81 81 81 00" cbor show --max-depth 2 -

# --- cbor check ------------------------------------------------------------
check check_help 0 - cbor check --help
check check_ok 0 "a2 01 02 03 04" cbor check -
check check_det_ok 0 "a2 01 02 03 04" cbor check --deterministic -
check check_det_unsorted 1 "a2 03 04 01 02" cbor check --deterministic -
check check_det_long_head 1 "18 05" cbor check --deterministic -
check check_det_indef 1 "9f ff" cbor check --deterministic -
check check_indef_ok 0 "9f ff" cbor check -
check check_truncated 1 "83 01 02" cbor check -
check check_reserved 1 "82 01 1c" cbor check -
check check_utf8 1 "62 c3 28" cbor check --utf8 -
check check_utf8_off 0 "62 c3 28" cbor check -
check check_quiet 1 "ff" cbor check -q -
check check_sequence 0 "01 02" cbor check --sequence -
check check_trailing 1 "01 02" cbor check -
check check_empty 1 "" cbor check -
check check_file 0 - cbor check --deterministic sign1.cbor
check check_hex 0 - cbor check --hex map.hex

# --- keys and COSE: helpers ------------------------------------------------

# check_mode NAME FILE MODE: FILE (in the work folder) has permission bits MODE.
check_mode() {
    total=$((total + 1))
    local got
    got=$(stat -c %a "$work/$2" 2>/dev/null)
    if [ "$got" != "$3" ]; then
        echo "FAIL $1: $2 has mode ${got:-(missing)}, want $3" >&2
        failed=$((failed + 1))
    fi
}

# tamper SRC DST: DST is SRC with the lowest bit of its last byte flipped (a
# signature, tag or wrapped key).
tamper() {
    local size last
    cp "$work/$1" "$work/$2"
    size=$(stat -c %s "$work/$2")
    last=$(tail -c 1 "$work/$2" | od -An -tu1 | tr -d ' ')
    # shellcheck disable=SC2059
    printf "$(printf '\\%03o' $((last ^ 1)))" | dd of="$work/$2" bs=1 seek=$((size - 1)) conv=notrunc status=none
}

# Fixed inputs, all made once with mamori itself (mamori key gen / export,
# cose sign / mac / encrypt; the Sign1 with an unprotected alg through the
# library's MM_COSE_ALG_UNPROTECTED) and kept here as bytes, so outputs are
# stable. None is an official example: those are read from ../shared by the
# vector tests.
printf 'Release 1.0 of the demo firmware.' > "$work/msg.txt"
printf 'header bytes' > "$work/aad.txt"
printf 'other bytes' > "$work/aad2.txt"
# Signer "11" (P-256): public, private, and public restricted to ES256.
unhex "a5010202423131200121582087f52da280f26cc990ded39324ed47272edff17e8bf3ced47dd6bdfcb2dd211922582081
f4b4e1a1fd999b786391f2b8ac6bfb8cac182c3b33b20bb2b0e92988e3d7d4" "$work/k11.cose"
unhex "a6010202423131200121582087f52da280f26cc990ded39324ed47272edff17e8bf3ced47dd6bdfcb2dd211922582081
f4b4e1a1fd999b786391f2b8ac6bfb8cac182c3b33b20bb2b0e92988e3d7d423582034c73916c15f803efce17edffa0c
f10f42f7befdf7f1779fae0ac64781b1fbaf" "$work/k11-private.cose"
unhex "a60102024231310326200121582087f52da280f26cc990ded39324ed47272edff17e8bf3ced47dd6bdfcb2dd21192258
2081f4b4e1a1fd999b786391f2b8ac6bfb8cac182c3b33b20bb2b0e92988e3d7d4" "$work/k11-es256.cose"
# Ed25519 signer "11".
unhex "a40101024231312006215820ac0922a0ff3376881db0f4cb3bbc10b3475d06b9fbd7bc6b8f0ddd886f9ac394" "$work/ed11.cose"
# A COSE_KeySet of both public keys.
unhex "82 a5010202423131200121582087f52da280f26cc990ded39324ed47272edff17e8bf3ced47dd6bdfcb2dd211922582081
f4b4e1a1fd999b786391f2b8ac6bfb8cac182c3b33b20bb2b0e92988e3d7d4
a40101024231312006215820ac0922a0ff3376881db0f4cb3bbc10b3475d06b9fbd7bc6b8f0ddd886f9ac394" "$work/keyset.cose"
# "our-secret": a 256-bit HMAC key and a 128-bit AES key, not restricted to
# one algorithm.
unhex "a30104024a6f75722d7365637265742058207bc6cbf953e69f62a7343049c3b4a287f5c4416485d763638b54d519
8fff3d48" "$work/hmac-secret.cose"
unhex "a30104024a6f75722d736563726574205052319a5c02ae2a8a38594d436a895160" "$work/aes-secret.cose"
# recipient@example.org: a P-256 key agreement key (private).
unhex "a601020255726563697069656e74406578616d706c652e6f726720012158202a389a94f3d95c8fb0b66eee7df56d3909
96cbfe48ca6f03ef7559fa4930c40d225820987807c701c5f13bb685aed1f19aae30b15463f6bea7182a3c05339c2faf
7f0523582040ef18efa3f77a696b6090daa7947c15b435fd49eaa36d2bd42b91da9eb151d5" "$work/recipient.cose"
# A self-signed certificate for signer "11" (openssl req -x509).
cat > "$work/k11-cert.pem" <<'EOF'
-----BEGIN CERTIFICATE-----
MIIBgzCCASmgAwIBAgIUW6iXONqe+WRam/tAKAdUUaH8yS0wCgYIKoZIzj0EAwIw
FjEUMBIGA1UEAwwLbWFtb3JpLXRlc3QwIBcNMjYxMTI4MTYzMDU4WhgPMjEyNjEx
MDQxNjMwNThaMBYxFDASBgNVBAMMC21hbW9yaS10ZXN0MFkwEwYHKoZIzj0CAQYI
KoZIzj0DAQcDQgAEh/UtooDybMmQ3tOTJO1HJy7f8X6L887Ufda9/LLdIRmB9LTh
of2Zm3hjkfK4rGv7jKwYLDszsguysOkpiOPX1KNTMFEwHQYDVR0OBBYEFLtj8qmm
Xh0CMshQdgTbGV5g3hEXMB8GA1UdIwQYMBaAFLtj8qmmXh0CMshQdgTbGV5g3hEX
MA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSAAwRQIhAMXm20jVeWfKjl1R
pwhg+/SQBKo+xjZJY+z4rbosxo3IAiBUZ/u2rmVql6ShSMgkQXNgh6FTGnwxNKrf
6txB2EfCqA==
-----END CERTIFICATE-----
EOF
# Messages: COSE_Sign by k11 (ES256) and by ed11 (EdDSA), a COSE_Sign1 with
# alg only in the unprotected bucket, COSE_Mac0 (HS256), COSE_Encrypt0
# (A128GCM), COSE_Encrypt to recipient@example.org (ECDH-ES+A128KW).
unhex "d8628440a0582152656c6561736520312e30206f66207468652064656d6f206669726d776172652e818343a10126a104
4231315840e361dc6cc80a7d4e839c863d54dbd728a804154d5d607b619f886486325af1049b0261562595623f639027
2ca2899b9165f2327f27e1e7db627c9132066c381b" "$work/sign-es256.cbor"
unhex "d8628440a0582152656c6561736520312e30206f66207468652064656d6f206669726d776172652e818343a10127a104
4231315840082a88d64b968139c3bb3e2c09710dfa62ee4a5541e7dbc748ae2ddfa4abee2fd6b3761f0a501f49905118
3df678be3f6ee93aa4f8ab4790b49859afd9824403" "$work/sign-eddsa.cbor"
unhex "d28440a2012604423131582152656c6561736520312e30206f66207468652064656d6f206669726d776172652e584005
90a43f70cfcb46de4d8cd301717576a8ec825178b78db0484da2ffbb46f7e0f92c0c23902b8112f4385ba10a952f1ec4
fad1689923a8ac551baa31cbfb0a94" "$work/sign1-unprotected.cbor"
unhex "d18443a10105a1044a6f75722d736563726574582152656c6561736520312e30206f66207468652064656d6f20666972
6d776172652e5820ac9957245f5e3f1ea9b3ab13f815e74fc0adf2ade620143556fcf1859101f2ad" "$work/mac0.cbor"
unhex "d08343a10101a2044a6f75722d736563726574054cd27e1a33d6c33ec799b33bc05831919923149d89edc3e11a2ad930
fa7630c270c36e43bd61823f528b1856fa481288b89c032272771941de285d5b545cf016" "$work/encrypt0.cbor"
unhex "d8608443a10101a1054c86da50430e52a335f03515eb58311bcc36e26b5f06a59733f59e4e5171632c9c97f2c6c5cd09
a25664033a293b8c4ace7202b9bb9bcc6cb804d00bcc79b985818344a101381ca20455726563697069656e7440657861
6d706c652e6f726720a401022001215820554952467c822669e2be1e8ea4ed1b66ecc71cc5b13ac6fb14b4fb0ad39241
26225820922679fda88b852e5e3d09974e085352bc0af494288df7f50cc6c36f80ac58675818357bd9be48806d37514e
5bcb24bf206d5cbcbc228ebfb817" "$work/encrypt.cbor"

# --- key -------------------------------------------------------------------
check key_help 0 - key --help
check key_no_args 64 - key
check key_unknown 64 - key frob
check key_gen_help 0 - key gen --help
check key_show_help 0 - key show --help
check key_export_help 0 - key export --help

# key gen: every algorithm (fresh keys: no stdout compared).
for alg in ES256 ESP256 ES384 ESP384 ES512 ESP512 EdDSA Ed25519 PS256 PS384 PS512 \
    HS256/64 HS256 HS384 HS512 A128GCM A192GCM A256GCM ChaCha20/Poly1305 A128KW A192KW A256KW; do
    check_rand "key_gen_${alg//\//_}" 0 - key gen --alg "$alg" --out "k-${alg//\//_}" --kid "kid-$alg"
done
for crv in P-256 P-384 P-521 X25519 X448; do
    check_rand "key_gen_ecdh_$crv" 0 - key gen --alg ECDH-ES --crv "$crv" --out "k-ecdh-$crv" --kid "ecdh-$crv"
done
check_rand key_gen_eddsa_ed448 0 - key gen --alg EdDSA --crv Ed448 --out k-ed448
check_rand key_gen_ps256_3072 0 - key gen --alg PS256 --bits 3072 --out k-ps256-3072
check_rand key_gen_ecdh_hkdf 0 - key gen --alg ECDH-ES+HKDF-256 --crv X25519 --out k-hkdf
check_rand key_gen_no_kid 0 - key gen --alg ES256 --out k-nokid
check_mode key_gen_mode_private k-ES256.key 600
check_mode key_gen_mode_pub k-ES256.pub 644
check_mode key_gen_mode_cose k-ES256.cose 644
check_mode key_gen_mode_symmetric k-A128KW.key 600
check key_gen_exists 73 - key gen --alg ES256 --out k-ES256
check key_gen_exists_symmetric 73 - key gen --alg A128KW --out k-A128KW
check_rand key_gen_force 0 - key gen --alg ES256 --out k-ES256 --kid kid-ES256 --force
check_mode key_gen_force_mode k-ES256.key 600
check key_gen_no_alg 64 - key gen --out x
check key_gen_no_out 64 - key gen --alg ES256
check key_gen_unknown_alg 64 - key gen --alg ES257 --out x
check key_gen_hash_alg 64 - key gen --alg SHA-256 --out x
check key_gen_bad_crv 64 - key gen --alg ECDH-ES --crv Ed25519 --out x
check key_gen_crv_mismatch 64 - key gen --alg ES256 --crv P-384 --out x
check key_gen_crv_symmetric 64 - key gen --alg A128KW --crv P-256 --out x
check key_gen_bad_bits 64 - key gen --alg PS256 --bits 1024 --out x
check key_gen_missing_value 64 - key gen --alg
check key_gen_extra_arg 64 - key gen --alg ES256 --out x y

# key export: DER (and PEM, COSE_Key) from the generated keys.
check_rand key_export_der_private 0 - key export --format der k-ES256.key k-ES256.der
check_rand key_export_der_public 0 - key export --format der --public k-ES256.key k-ES256-pub.der
check_rand key_export_pem_public 0 - key export --public k-ES256.key k-ES256-pub.pem
check_rand key_export_cose_private 0 - key export --format cose --kid mine k-Ed25519.key k-Ed25519-private.cose
check_rand key_export_rsa_der 0 - key export --format der k-PS256.key k-PS256.der
check_rand key_export_x25519_der 0 - key export --format der --public k-ecdh-X25519.key k-x25519-pub.der
check_mode key_export_mode_private k-ES256.der 600
check_mode key_export_mode_public k-ES256-pub.der 644
check key_export_exists 73 - key export --format der k-ES256.key k-ES256.der
check_rand key_export_force 0 - key export --force --format der k-ES256.key k-ES256.der
check key_export_k11_pem 0 - key export k11-private.cose k11.pem
check key_export_k11_der_public 0 - key export --public --format der k11-private.cose k11-pub.der
check key_export_symmetric_pem 65 - key export k-A128KW.key x.pem
check key_export_symmetric_public 65 - key export --public --format cose k-A128KW.key x.cose
check key_export_rsa_cose_private 65 - key export --format cose k-PS256.key x.cose
check key_export_bad_format 64 - key export --format jwk k-ES256.key x
check key_export_one_arg 64 - key export k-ES256.key

# key show: every form.
check_rand key_show_pem_private 0 - key show k-ES256.key
check_rand key_show_pem_public 0 - key show k-ES256.pub
check_rand key_show_cose_public 0 - key show k-ES256.cose
check_rand key_show_der_private 0 - key show k-ES256.der
check_rand key_show_der_public 0 - key show k-ES256-pub.der
check_rand key_show_der_rsa 0 - key show --private k-PS256.der
check_rand key_show_der_x25519 0 - key show k-x25519-pub.der
check_rand key_show_symmetric 0 - key show k-HS256.key
check_rand key_show_symmetric_private 0 - key show --private --json k-A256GCM.key
check_rand key_show_json 0 - key show --json k-EdDSA.cose
check key_show_k11 0 - key show k11.cose
check key_show_k11_private 0 - key show k11-private.cose
check key_show_k11_private_shown 0 - key show --private k11-private.cose
check key_show_k11_pem 0 - key show --private k11.pem
check key_show_k11_der 0 - key show k11-pub.der
check key_show_k11_json 0 - key show --json k11.cose
check key_show_cert 0 - key show k11-cert.pem
check key_show_keyset 0 - key show keyset.cose
check key_show_keyset_json 0 - key show --json keyset.cose
check key_show_hmac_secret 0 - key show hmac-secret.cose
check key_show_stdin 0 "a4 01 01 02 42 31 31 20 06 21 58 20 d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a" key show -
check key_show_not_a_key 65 - key show msg.txt
check key_show_empty 65 "" key show -
check key_show_bad_cose_key 65 "a1 01 02" key show -
check key_show_bad_pem 65 - key show sign1.cbor
check key_show_missing 66 - key show no-such-key
check key_show_two 64 - key show a b

# --- cose: help and usage ---------------------------------------------------
check cose_help 0 - cose --help
check cose_no_args 64 - cose
check cose_unknown 64 - cose frob
check cose_sign_help 0 - cose sign --help
check cose_verify_help 0 - cose verify --help
check cose_mac_help 0 - cose mac --help
check cose_encrypt_help 0 - cose encrypt --help
check cose_decrypt_help 0 - cose decrypt --help
check cose_show_help 0 - cose show --help
check cose_sign_no_key 64 - cose sign msg.txt out.cbor
check cose_sign_bad_alg 64 - cose sign --key k-ES256.key --alg HS256 msg.txt out.cbor
check cose_sign_alg_mismatch 65 - cose sign --key k-ES256.key --alg ES384 msg.txt out.cbor
check cose_sign_public_key 65 - cose sign --key k-ES256.pub msg.txt out.cbor
check cose_sign_symmetric 65 - cose sign --key k-HS256.key msg.txt out.cbor
check cose_sign_not_a_key 65 - cose sign --key msg.txt msg.txt out.cbor
check cose_sign_missing_payload 66 - cose sign --key k-ES256.key no-such-file out.cbor
check cose_sign_algs_count 64 - cose sign --key k-ES256.key --key k-ES384.key --key k-ES512.key --alg ES256 --alg ES384 msg.txt out.cbor

# --- cose verify: the fixtures ---------------------------------------------
check verify_fixture_sign1 0 - cose verify --key k11.cose sign1.cbor
check verify_fixture_sign1_cert 0 - cose verify --key k11-cert.pem sign1.cbor
check verify_fixture_sign1_pem 0 - cose verify --key k11.pem sign1.cbor
check verify_fixture_sign1_der 0 - cose verify --key k11-pub.der sign1.cbor
check verify_fixture_sign1_keyset 0 - cose verify --key keyset.cose sign1.cbor
check verify_fixture_sign1_out 0 - cose verify --key k11.cose --out - sign1.cbor
check verify_fixture_sign1_stdin 0 "d28443a10126a104423131582152656c6561736520312e30206f66207468652064656d6f206669726d776172652e5840
465b512ca687678be4940b2f956c91916b8afb6a2e864043169d01a7c6646a070e3a5b7205a02faafabe802f430109c2
137cfccdf33fd4934b8e64b187c8314e" cose verify --key k11.cose -
check verify_fixture_sign1_wrong_key 1 - cose verify --key ed11.cose sign1.cbor
check verify_fixture_sign1_aad 1 - cose verify --key k11.cose --aad aad.txt sign1.cbor
check verify_fixture_sign1_payload 64 - cose verify --key k11.cose --payload msg.txt sign1.cbor
check verify_alg_unprotected 1 - cose verify --key k11.cose sign1-unprotected.cbor
check verify_alg_unprotected_pinned 0 - cose verify --key k11-es256.cose sign1-unprotected.cbor
check verify_sign_es256 0 - cose verify --key k11.cose sign-es256.cbor
check verify_sign_eddsa 0 - cose verify --key ed11.cose --out - sign-eddsa.cbor
check verify_sign_keyset 0 - cose verify --key keyset.cose sign-eddsa.cbor
check verify_sign_no_signer 1 - cose verify --key k-ES384.pub sign-es256.cbor
check verify_mac0_fixture 0 - cose verify --key hmac-secret.cose mac0.cbor
check verify_mac0_wrong_key 1 - cose verify --key k-HS256.key mac0.cbor
check verify_encrypted 65 - cose verify --key aes-secret.cose encrypt0.cbor
tamper sign1.cbor sign1-tampered.cbor
check verify_tampered 1 - cose verify --key k11.cose sign1-tampered.cbor
check verify_truncated 65 "d2 84 43 a1 01 26 a1 04 42 31 31" cose verify --key k11.cose -
check verify_not_cose 65 "a1 01 02" cose verify --key k11.cose -
check verify_not_cbor 65 - cose verify --key k11.cose msg.txt
check verify_missing_file 66 - cose verify --key k11.cose no-such-file
check verify_missing_key 66 - cose verify --key no-such-key sign1.cbor
check verify_no_key 64 - cose verify sign1.cbor
check verify_quiet 0 - cose verify -q --key k11.cose sign1.cbor

# --- cose sign -> verify: every algorithm -----------------------------------
for alg in ES256 ESP256 ES384 ESP384 ES512 ESP512 EdDSA Ed25519 PS256 PS384 PS512; do
    check_rand "sign_$alg" 0 - cose sign --key "k-$alg.key" msg.txt "signed-$alg.cbor"
    check "verify_${alg}_pub" 0 - cose verify --key "k-$alg.pub" "signed-$alg.cbor"
    check "verify_${alg}_cose" 0 - cose verify --key "k-$alg.cose" --out - "signed-$alg.cbor"
done
check_rand sign_ed448 0 - cose sign --key k-ed448.key msg.txt signed-ed448.cbor
check verify_ed448 0 - cose verify --key k-ed448.pub signed-ed448.cbor
check_rand sign_ps256_3072 0 - cose sign --key k-ps256-3072.key msg.txt signed-ps256-3072.cbor
check verify_ps256_3072 0 - cose verify --key k-ps256-3072.pub signed-ps256-3072.cbor
check_rand sign_alg_option 0 - cose sign --key k-ES256.key --alg ESP256 msg.txt signed-esp.cbor
check verify_alg_option 0 - cose verify --key k-ES256.pub signed-esp.cbor
check_rand sign_fixture_key 0 - cose sign --key k11-private.cose msg.txt signed-k11.cbor
check verify_fixture_key_cert 0 - cose verify --key k11-cert.pem signed-k11.cbor
check_rand sign_der_key 0 - cose sign --key k-ES256.der msg.txt signed-der.cbor
check verify_der_key 0 - cose verify --key k-ES256-pub.der signed-der.cbor
check verify_wrong_key_same_alg 1 - cose verify --key k-ESP256.pub signed-ES256.cbor
check verify_wrong_key_type 1 - cose verify --key k-ES384.pub signed-ES256.cbor
check verify_symmetric_for_signature 1 - cose verify --key k-HS256.key signed-ES256.cbor
tamper signed-ES256.cbor signed-ES256-tampered.cbor
tamper signed-EdDSA.cbor signed-EdDSA-tampered.cbor
tamper signed-PS256.cbor signed-PS256-tampered.cbor
check verify_tampered_es256 1 - cose verify --key k-ES256.pub signed-ES256-tampered.cbor
check verify_tampered_eddsa 1 - cose verify --key k-EdDSA.pub signed-EdDSA-tampered.cbor
check verify_tampered_ps256 1 - cose verify --key k-PS256.pub signed-PS256-tampered.cbor

# Detached payloads, external AAD, untagged messages.
check_rand sign_detached 0 - cose sign --key k-ES256.key --detached msg.txt detached.cbor
check verify_detached 0 - cose verify --key k-ES256.pub --payload msg.txt --out - detached.cbor
check verify_detached_no_payload 64 - cose verify --key k-ES256.pub detached.cbor
check verify_detached_wrong_payload 1 - cose verify --key k-ES256.pub --payload aad.txt detached.cbor
check_rand sign_detached_eddsa 0 - cose sign --key k-EdDSA.key --detached --aad aad.txt msg.txt detached-eddsa.cbor
check verify_detached_eddsa 0 - cose verify --key k-EdDSA.cose --payload msg.txt --aad aad.txt detached-eddsa.cbor
check verify_detached_eddsa_no_aad 1 - cose verify --key k-EdDSA.cose --payload msg.txt detached-eddsa.cbor
check_rand sign_aad 0 - cose sign --key k-ES384.key --aad aad.txt msg.txt signed-aad.cbor
check verify_aad 0 - cose verify --key k-ES384.pub --aad aad.txt signed-aad.cbor
check verify_aad_wrong 1 - cose verify --key k-ES384.pub --aad aad2.txt signed-aad.cbor
check verify_aad_missing 1 - cose verify --key k-ES384.pub signed-aad.cbor
check_rand sign_untagged 0 - cose sign --key k-ES512.key --untagged msg.txt untagged.cbor
check verify_untagged 0 - cose verify --key k-ES512.pub untagged.cbor
check_rand sign_untagged_eddsa 0 - cose sign --key k-Ed25519.key --untagged --kid ed msg.txt untagged-ed.cbor
check verify_untagged_eddsa 0 - cose verify --key k-Ed25519.cose untagged-ed.cbor
check_rand sign_stdout 0 - cose sign --key k-ES256.key msg.txt -

# COSE_Sign: several signers.
check_rand sign_multi 0 - cose sign --key k-ES256.key --key k-EdDSA.key --key k-PS256.key msg.txt multi.cbor
check verify_multi_es256 0 - cose verify --key k-ES256.pub multi.cbor
check verify_multi_eddsa 0 - cose verify --key k-EdDSA.cose multi.cbor
check verify_multi_ps256 0 - cose verify --key k-PS256.pub --out - multi.cbor
check verify_multi_other 1 - cose verify --key k-ES384.pub multi.cbor
check_rand sign_multi_one 0 - cose sign --multi --key k-ES256.key --detached --untagged --aad aad.txt msg.txt multi-one.cbor
check verify_multi_one 0 - cose verify --key k-ES256.pub --payload msg.txt --aad aad.txt multi-one.cbor
tamper multi.cbor multi-tampered.cbor
check verify_multi_tampered 1 - cose verify --key k-PS256.pub multi-tampered.cbor

# --- cose mac ---------------------------------------------------------------
for alg in HS256/64 HS256 HS384 HS512; do
    check_rand "mac_${alg//\//_}" 0 - cose mac --key "k-${alg//\//_}.key" msg.txt "mac-${alg//\//_}.cbor"
    check "verify_mac_${alg//\//_}" 0 - cose verify --key "k-${alg//\//_}.key" --out - "mac-${alg//\//_}.cbor"
done
check_rand mac_detached 0 - cose mac --key k-HS384.key --detached --aad aad.txt msg.txt mac-detached.cbor
check verify_mac_detached 0 - cose verify --key k-HS384.key --payload msg.txt --aad aad.txt mac-detached.cbor
check verify_mac_detached_aad 1 - cose verify --key k-HS384.key --payload msg.txt mac-detached.cbor
check_rand mac_untagged 0 - cose mac --key k-HS256.key --untagged msg.txt mac-untagged.cbor
check verify_mac_untagged 0 - cose verify --key k-HS256.key mac-untagged.cbor
check_rand mac_alg_option 0 - cose mac --key hmac-secret.cose --alg HS256/64 msg.txt mac-alg.cbor
check verify_mac_alg_option 0 - cose verify --key hmac-secret.cose mac-alg.cbor
check verify_mac_wrong_key 1 - cose verify --key k-HS256.key mac-HS512.cbor
check verify_mac_public_key 1 - cose verify --key k-ES256.pub mac-HS256.cbor
tamper mac-HS256.cbor mac-HS256-tampered.cbor
check verify_mac_tampered 1 - cose verify --key k-HS256.key mac-HS256-tampered.cbor
check cose_mac_asymmetric 65 - cose mac --key k-ES256.key msg.txt out.cbor
check cose_mac_bad_alg 64 - cose mac --key k-HS256.key --alg ES256 msg.txt out.cbor
check cose_mac_two_keys 64 - cose mac --key k-HS256.key --key k-HS384.key msg.txt out.cbor
check cose_mac_no_multi 64 - cose mac --multi --key k-HS256.key msg.txt out.cbor

# --- cose encrypt -> decrypt --------------------------------------------------
check decrypt_fixture_encrypt0 0 - cose decrypt --key aes-secret.cose encrypt0.cbor
check decrypt_fixture_encrypt 0 - cose decrypt --key recipient.cose encrypt.cbor
check decrypt_fixture_wrong_key 1 - cose decrypt --key k-A128GCM.key encrypt0.cbor
check decrypt_fixture_wrong_recipient 1 - cose decrypt --key k-ecdh-P-256.key encrypt.cbor
check decrypt_fixture_aad 1 - cose decrypt --key aes-secret.cose --aad aad.txt encrypt0.cbor
# COSE_Encrypt0 with each content algorithm.
for alg in A128GCM A192GCM A256GCM ChaCha20/Poly1305; do
    an=${alg//\//_}
    check_rand "encrypt0_$an" 0 - cose encrypt --key "k-$an.key" msg.txt "enc0-$an.cbor"
    check "decrypt0_$an" 0 - cose decrypt --key "k-$an.key" "enc0-$an.cbor"
done
check_rand encrypt0_detached 0 - cose encrypt --key k-A256GCM.key --detached enc0.ct --aad aad.txt msg.txt enc0-detached.cbor
check decrypt0_detached 0 - cose decrypt --key k-A256GCM.key --ciphertext enc0.ct --aad aad.txt enc0-detached.cbor
check decrypt0_detached_no_ct 64 - cose decrypt --key k-A256GCM.key enc0-detached.cbor
check decrypt0_detached_no_aad 1 - cose decrypt --key k-A256GCM.key --ciphertext enc0.ct enc0-detached.cbor
check_rand encrypt0_untagged 0 - cose encrypt --key k-A128GCM.key --untagged --kid c1 msg.txt enc0-untagged.cbor
check decrypt0_untagged 0 - cose decrypt --key k-A128GCM.key --out plain.txt enc0-untagged.cbor
check_mode decrypt0_out_mode plain.txt 600
check decrypt0_wrong_key 1 - cose decrypt --key aes-secret.cose enc0-A128GCM.cbor
check decrypt0_wrong_key_size 1 - cose decrypt --key k-A256GCM.key enc0-A128GCM.cbor
tamper enc0-A128GCM.cbor enc0-tampered.cbor
check decrypt0_tampered 1 - cose decrypt --key k-A128GCM.key enc0-tampered.cbor
check encrypt0_alg_mismatch 65 - cose encrypt --key k-A128GCM.key --alg A256GCM msg.txt out.cbor
check encrypt0_kek 65 - cose encrypt --key k-A128KW.key msg.txt out.cbor
check encrypt0_public 65 - cose encrypt --key k-ecdh-P-256.pub msg.txt out.cbor
# COSE_Encrypt, one recipient of each kind.
for kek in A128KW A192KW A256KW; do
    check_rand "encrypt_$kek" 0 - cose encrypt --recipient "k-$kek.key" msg.txt "enc-$kek.cbor"
    check "decrypt_$kek" 0 - cose decrypt --key "k-$kek.key" "enc-$kek.cbor"
done
check_rand encrypt_direct 0 - cose encrypt --recipient k-A256GCM.key msg.txt enc-direct.cbor
check decrypt_direct 0 - cose decrypt --key k-A256GCM.key enc-direct.cbor
check_rand encrypt_direct_kw 0 - cose encrypt --recipient aes-secret.cose --kw direct msg.txt enc-direct-kw.cbor
check decrypt_direct_kw 0 - cose decrypt --key aes-secret.cose enc-direct-kw.cbor
for crv in P-256 P-384 P-521 X25519 X448; do
    check_rand "encrypt_ecdh_$crv" 0 - cose encrypt --recipient "k-ecdh-$crv.pub" msg.txt "enc-ecdh-$crv.cbor"
    check "decrypt_ecdh_$crv" 0 - cose decrypt --key "k-ecdh-$crv.key" "enc-ecdh-$crv.cbor"
done
check_rand encrypt_ecdh_cose 0 - cose encrypt --recipient k-ecdh-P-256.cose --alg A256GCM msg.txt enc-ecdh-cose.cbor
check decrypt_ecdh_cose 0 - cose decrypt --key k-ecdh-P-256.key enc-ecdh-cose.cbor
for kw in ECDH-ES+A192KW ECDH-ES+A256KW ECDH-ES+HKDF-256 ECDH-ES+HKDF-512; do
    check_rand "encrypt_kw_$kw" 0 - cose encrypt --recipient k-ecdh-P-384.pub --kw "$kw" msg.txt "enc-$kw.cbor"
    check "decrypt_kw_$kw" 0 - cose decrypt --key k-ecdh-P-384.key "enc-$kw.cbor"
done
check_rand encrypt_hkdf_key 0 - cose encrypt --recipient k-hkdf.pub --alg ChaCha20/Poly1305 msg.txt enc-hkdf.cbor
check decrypt_hkdf_key 0 - cose decrypt --key k-hkdf.key enc-hkdf.cbor
check_rand encrypt_recipient_detached 0 - cose encrypt --recipient k-A128KW.key --detached enc.ct --aad aad.txt --untagged msg.txt enc-detached.cbor
check decrypt_recipient_detached 0 - cose decrypt --key k-A128KW.key --ciphertext enc.ct --aad aad.txt enc-detached.cbor
# Two recipients of each kind, and mixed.
check_rand encrypt_two_kek 0 - cose encrypt --recipient k-A128KW.key --recipient k-A256KW.key msg.txt enc-two-kek.cbor
check decrypt_two_kek_1 0 - cose decrypt --key k-A128KW.key enc-two-kek.cbor
check decrypt_two_kek_2 0 - cose decrypt --key k-A256KW.key enc-two-kek.cbor
check_rand encrypt_two_ecdh 0 - cose encrypt --recipient k-ecdh-P-256.pub --recipient k-ecdh-X25519.cose --kw ECDH-ES+A256KW msg.txt enc-two-ecdh.cbor
check decrypt_two_ecdh_1 0 - cose decrypt --key k-ecdh-P-256.key enc-two-ecdh.cbor
check decrypt_two_ecdh_2 0 - cose decrypt --key k-ecdh-X25519.key enc-two-ecdh.cbor
check_rand encrypt_mixed 0 - cose encrypt --recipient k-A192KW.key --recipient k-ecdh-P-521.pub --kw A192KW --kw ECDH-ES+A128KW --kid kek --kid ec msg.txt enc-mixed.cbor
check decrypt_mixed_1 0 - cose decrypt --key k-A192KW.key enc-mixed.cbor
check decrypt_mixed_2 0 - cose decrypt --key k-ecdh-P-521.key enc-mixed.cbor
check decrypt_mixed_other 1 - cose decrypt --key k-A128KW.key enc-mixed.cbor
check decrypt_mixed_public 65 - cose decrypt --key k-ecdh-P-521.pub enc-mixed.cbor
check decrypt_wrong_kek 1 - cose decrypt --key k-A128KW.key enc-two-ecdh.cbor
# A key on another curve than the recipient's: the library reports the
# ephemeral key as not usable with it (BAD_KEY), a malformed-input class.
check decrypt_wrong_ecdh_curve 65 - cose decrypt --key k-ecdh-P-256.key enc-ecdh-X25519.cbor
check decrypt_wrong_ecdh_same_curve 1 - cose decrypt --key k-ES256.key enc-ecdh-cose.cbor
tamper enc-A128KW.cbor enc-A128KW-tampered.cbor
check decrypt_tampered_kw 1 - cose decrypt --key k-A128KW.key enc-A128KW-tampered.cbor
check decrypt_signed 65 - cose decrypt --key k-A128KW.key signed-ES256.cbor
check decrypt_malformed 65 "d8 60 84 43 a1 01 01" cose decrypt --key k-A128KW.key -
check decrypt_missing 66 - cose decrypt --key k-A128KW.key no-such-file
check encrypt_no_key 64 - cose encrypt msg.txt out.cbor
check encrypt_key_and_recipient 64 - cose encrypt --key k-A128GCM.key --recipient k-A128KW.key msg.txt out.cbor
check encrypt_two_direct 64 - cose encrypt --recipient k-A128GCM.key --recipient k-A128KW.key --kw direct msg.txt out.cbor
check encrypt_two_hkdf 64 - cose encrypt --recipient k-ecdh-P-256.pub --recipient k-ecdh-X25519.pub --kw ECDH-ES+HKDF-256 msg.txt out.cbor
check encrypt_kw_count 64 - cose encrypt --recipient k-A128KW.key --recipient k-A256KW.key --recipient k-A192KW.key --kw A128KW --kw A256KW msg.txt out.cbor
check encrypt_ecdh_ss 64 - cose encrypt --recipient k-ecdh-P-256.pub --kw ECDH-SS+A128KW msg.txt out.cbor
check encrypt_kw_mismatch 65 - cose encrypt --recipient k-A128KW.key --kw A256KW msg.txt out.cbor
check encrypt_signing_key 65 - cose encrypt --recipient k-HS256.key msg.txt out.cbor
check encrypt_bad_alg 64 - cose encrypt --recipient k-A128KW.key --alg HS256 msg.txt out.cbor

# --- COSE-HPKE ---------------------------------------------------------------
# Fixed inputs made once with mamori: an X25519 private key (exported as a
# COSE_Key, not restricted) and a COSE_Encrypt0 HPKE-4 (Integrated
# Encryption) to it; a P-256 private key and a COSE_Encrypt (A256GCM) with
# one HPKE-0-KE recipient to it.
unhex "a401012004215820a0c27e64198b0f73655e3cee9b2903013d18699611c62144d40849f957988e07235820e8a1660b13
b7a0a1143c10d8f96bf4051cc1235f8ef21724c9419191f98e6052" "$work/hpke4-private.cose"
unhex "a501022001215820e7de1e0b5f3ed2d88822753d71d411a6aff458af9b6e9a50f3e70340be85e7ec225820f97a5dfb6b
6aadfe2ae04b9b7dec5998ee39c77b822fb442158af9f52f6936ce235820fc269d0aa72bff92523dcad2cde6ae858745
5e9e5e157f34690f1de63a74890e" "$work/hpke0ke-private.cose"
unhex "d08344a101182aa2044668706b652d342358208e536f3e9067f2a24143ee50916d06f5bf73c2cf982f8e489d0114be5e
35760458313e6a7c02d6992533ee9664e55053603388e94724266d87144a7dfee46164f0744d63975ff76f129b932696
001f833060ee" "$work/hpke-encrypt0.cbor"
unhex "d8608443a10103a1054cd8c6d380231ff7b4c671e8435831373cd5ab2675033ab9c6cf84e3e0af59200122473d3b2aed
e8700abac58853d7d8532e4fd6e0bb05c67aad7e57e1fbaa6f81834fa201182e044968706b652d302d6b65a123584104
ef36024416d007f1d90ec403dc3d1b7da0b00092fa43e215c85f957ad61a51cf6e94679437f0f91c259c40713ecea966
33415da0575a35cba8814374ff1109fb583061caa0aabf2828fd4152ba267c5b96e679560853f8bb6a6394bec4b13ad3
afd89ca320cf8b26d51d449f912c88555255" "$work/hpke-encrypt.cbor"
printf '0123456789abcdef0123456789abcdef' > "$work/psk.bin"
printf 'fedcba9876543210fedcba9876543210' > "$work/psk2.bin"
check decrypt_hpke_fixture_encrypt0 0 - cose decrypt --key hpke4-private.cose hpke-encrypt0.cbor
check decrypt_hpke_fixture_encrypt 0 - cose decrypt --key hpke0ke-private.cose hpke-encrypt.cbor
check decrypt_hpke_fixture_wrong_key 1 - cose decrypt --key k-ecdh-X25519.key hpke-encrypt0.cbor
check cose_show_hpke_encrypt0 0 - cose show hpke-encrypt0.cbor
check cose_show_hpke_encrypt 0 - cose show hpke-encrypt.cbor
# key gen for every suite; a COSE_Encrypt0 (Integrated Encryption) or a
# COSE_Encrypt (Key Encryption) to each key's public COSE_Key, decrypted with
# its private key.
for n in 0 1 2 3 4 5 6 7; do
    for alg in "HPKE-$n" "HPKE-$n-KE"; do
        check_rand "key_gen_$alg" 0 - key gen --alg "$alg" --out "k-$alg" --kid "kid-$alg"
        check_rand "encrypt_$alg" 0 - cose encrypt --recipient "k-$alg.cose" msg.txt "enc-$alg.cbor"
        check "decrypt_$alg" 0 - cose decrypt --key "k-$alg.key" "enc-$alg.cbor"
    done
done
check_rand encrypt_hpke_kw 0 - cose encrypt --recipient k-ecdh-X448.pub --kw HPKE-6 --aad aad.txt msg.txt enc-hpke-kw.cbor
check decrypt_hpke_kw 0 - cose decrypt --key k-ecdh-X448.key --aad aad.txt enc-hpke-kw.cbor
check decrypt_hpke_no_aad 1 - cose decrypt --key k-ecdh-X448.key enc-hpke-kw.cbor
check_rand encrypt_hpke_detached 0 - cose encrypt --recipient k-HPKE-1.cose --detached enc-hpke.ct msg.txt enc-hpke-detached.cbor
check decrypt_hpke_detached 0 - cose decrypt --key k-HPKE-1.key --ciphertext enc-hpke.ct enc-hpke-detached.cbor
tamper enc-HPKE-3.cbor enc-HPKE-3-tampered.cbor
check decrypt_hpke_tampered 1 - cose decrypt --key k-HPKE-3.key enc-HPKE-3-tampered.cbor
tamper enc-HPKE-3-KE.cbor enc-HPKE-3-KE-tampered.cbor
check decrypt_hpke_ke_tampered 1 - cose decrypt --key k-HPKE-3-KE.key enc-HPKE-3-KE-tampered.cbor
check decrypt_hpke_other_suite_key 1 - cose decrypt --key k-HPKE-7.key enc-HPKE-0.cbor
# Key Encryption beside other recipients.
check_rand encrypt_hpke_mixed 0 - cose encrypt --recipient k-HPKE-0-KE.cose --recipient k-HPKE-4-KE.cose --recipient k-A128KW.key --alg A256GCM msg.txt enc-hpke-mixed.cbor
check decrypt_hpke_mixed_1 0 - cose decrypt --key k-HPKE-0-KE.key enc-hpke-mixed.cbor
check decrypt_hpke_mixed_2 0 - cose decrypt --key k-HPKE-4-KE.key enc-hpke-mixed.cbor
check decrypt_hpke_mixed_3 0 - cose decrypt --key k-A128KW.key enc-hpke-mixed.cbor
# mode_psk.
check_rand encrypt_hpke_psk 0 - cose encrypt --recipient k-HPKE-0.cose --psk psk.bin --psk-id "our psk" msg.txt enc-hpke-psk.cbor
check decrypt_hpke_psk 0 - cose decrypt --key k-HPKE-0.key --psk psk.bin enc-hpke-psk.cbor
check decrypt_hpke_psk_missing 64 - cose decrypt --key k-HPKE-0.key enc-hpke-psk.cbor
check decrypt_hpke_psk_wrong 1 - cose decrypt --key k-HPKE-0.key --psk psk2.bin enc-hpke-psk.cbor
check decrypt_hpke_psk_not_used 1 - cose decrypt --key k-HPKE-0.key --psk psk.bin enc-HPKE-0.cbor
check_rand encrypt_hpke_ke_psk 0 - cose encrypt --recipient k-HPKE-2-KE.cose --recipient k-HPKE-5-KE.cose --psk psk.bin --psk-id "our psk" msg.txt enc-hpke-ke-psk.cbor
check decrypt_hpke_ke_psk 0 - cose decrypt --key k-HPKE-5-KE.key --psk psk.bin enc-hpke-ke-psk.cbor
# What the command refuses.
check encrypt_hpke_two_integrated 64 - cose encrypt --recipient k-HPKE-0.cose --recipient k-HPKE-1.cose msg.txt out.cbor
check encrypt_hpke_alg 64 - cose encrypt --recipient k-HPKE-0.cose --alg A128GCM msg.txt out.cbor
check encrypt_hpke_psk_no_id 64 - cose encrypt --recipient k-HPKE-0.cose --psk psk.bin msg.txt out.cbor
check encrypt_hpke_psk_kw 64 - cose encrypt --recipient k-A128KW.key --psk psk.bin --psk-id x msg.txt out.cbor
check encrypt_hpke_short_psk 65 - cose encrypt --recipient k-HPKE-0.cose --psk aad.txt --psk-id x msg.txt out.cbor
check encrypt_hpke_wrong_curve 65 - cose encrypt --recipient k-ecdh-P-256.pub --kw HPKE-3 msg.txt out.cbor
check key_gen_hpke_crv_mismatch 64 - key gen --alg HPKE-2-KE --crv P-256 --out x

# --- cose show ---------------------------------------------------------------
check cose_show_sign1 0 - cose show sign1.cbor
check cose_show_sign1_unprotected 0 - cose show sign1-unprotected.cbor
check cose_show_sign 0 - cose show sign-eddsa.cbor
check cose_show_mac0 0 - cose show mac0.cbor
check cose_show_encrypt0 0 - cose show encrypt0.cbor
check cose_show_encrypt 0 - cose show encrypt.cbor
check cose_show_sign1_json 0 - cose show --json sign1.cbor
check cose_show_sign_json 0 - cose show --json sign-es256.cbor
check cose_show_mac0_json 0 - cose show --json mac0.cbor
check cose_show_encrypt0_json 0 - cose show --json encrypt0.cbor
check cose_show_encrypt_json 0 - cose show --json encrypt.cbor
check cose_show_untagged_nested 0 "84 43 a1 01 26 a0 43 a1 01 02 40" cose show -
check cose_show_detached 0 "d2 84 43 a1 01 26 a1 04 42 31 31 f6 40" cose show -
check_rand cose_show_fresh_multi 0 - cose show multi.cbor
check_rand cose_show_fresh_untagged_mac 0 - cose show --json mac-untagged.cbor
check_rand cose_show_fresh_untagged_sign 0 - cose show untagged.cbor
check_rand cose_show_fresh_encrypt 0 - cose show enc-mixed.cbor
check_rand cose_show_fresh_encrypt0 0 - cose show --json enc0-untagged.cbor
check cose_show_not_cose 65 "a1 01 02" cose show -
check cose_show_truncated 65 "d2 84 43 a1 01 26" cose show -
check cose_show_missing 66 - cose show no-such-file
check cose_show_two 64 - cose show a b

# --- suit create / sign --------------------------------------------------------
# Descriptions (docs/suit-json.md) and an image, made here: the reproduction of
# the official examples is tests/unit/test_suit_create.c.
printf 'A firmware image of the demo device.\n' > "$work/fw.bin"
cat > "$work/desc.json" <<'EOF'
{
  "manifest-sequence-number": 7,
  "common": {
    "components": [["00"], [{"text": "config"}]],
    "shared-sequence": [
      {"directive-set-component-index": 0},
      {"directive-override-parameters": {
        "vendor-identifier": {"dns": "example.com"},
        "class-identifier": {"namespace": {"dns": "example.com"}, "name": "demo"},
        "image-digest": {"file": "fw.bin"},
        "image-size": {"file": "fw.bin"}
      }},
      {"condition-vendor-identifier": ["send-record-on-failure"]},
      {"condition-class-identifier": 15}
    ]
  },
  "validate": [{"directive-set-component-index": 0}, {"condition-image-match": 15}],
  "install": [
    {"directive-set-component-index": 0},
    {"directive-override-parameters": {"uri": "#fw"}},
    {"directive-fetch": 2},
    {"condition-image-match": 15},
    {"directive-set-component-index": 1},
    {"directive-override-parameters": {"content": {"text": "mode=1"}}},
    {"directive-write": 0}
  ],
  "text": {"en": {"manifest-description": "The demo device's firmware, 1.0."}},
  "severable": ["text"],
  "integrated-payloads": {"#fw": {"file": "fw.bin"}}
}
EOF
# suit_bad NAME JSON: a description (in the work folder) with one fault.
suit_bad() { printf '%s\n' "$2" > "$work/$1.json"; }
suit_bad bad-syntax '{"manifest-sequence-number": 1,'
suit_bad bad-dup '{"manifest-sequence-number": 1, "manifest-sequence-number": 2, "common": {}}'
suit_bad bad-required '{"manifest-sequence-number": 1}'
suit_bad bad-command '{"manifest-sequence-number": 1, "common": {"components": [["00"]]}, "install": [{"directive-frob": 2}]}'
suit_bad bad-command-shape '{"manifest-sequence-number": 1, "common": {}, "install": [{"directive-fetch": 2, "directive-copy": 2}]}'
suit_bad bad-param '{"manifest-sequence-number": 1, "common": {"shared-sequence": [{"directive-override-parameters": {"vendor-id": "00"}}]}}'
suit_bad bad-uuid '{"manifest-sequence-number": 1, "common": {"shared-sequence": [{"directive-override-parameters": {"class-identifier": "1492af14"}}]}}'
suit_bad bad-hex '{"manifest-sequence-number": 1, "common": {"components": [["0g"]]}}'
suit_bad bad-image '{"manifest-sequence-number": 1, "common": {"shared-sequence": [{"directive-override-parameters": {"image-digest": {"file": "no-such-image"}}}]}}'
suit_bad bad-digest-size '{"manifest-sequence-number": 1, "common": {"shared-sequence": [{"directive-override-parameters": {"image-digest": {"bytes": "0011"}}}]}}'
suit_bad bad-severable '{"manifest-sequence-number": 1, "common": {}, "validate": [{"condition-abort": 0}], "severable": ["validate"]}'
suit_bad bad-severable-absent '{"manifest-sequence-number": 1, "common": {}, "severable": ["text"]}'
suit_bad bad-empty-sequence '{"manifest-sequence-number": 1, "common": {}, "invoke": []}'
suit_bad bad-try-each '{"manifest-sequence-number": 1, "common": {}, "validate": [{"directive-try-each": [[{"condition-abort": 0}], null]}]}'
suit_bad bad-policy '{"manifest-sequence-number": 1, "common": {}, "validate": [{"condition-abort": ["send-everything"]}]}'
suit_bad bad-language '{"manifest-sequence-number": 1, "common": {}, "text": {"english!": {"manifest-description": "x"}}}'
suit_bad bad-same-key '{"manifest-sequence-number": 1, "common": {}, "reference-uri": "a", "4": "b"}'
suit_bad bad-encoded '{"manifest-sequence-number": 1, "common": {}, "coswid": {"encoded": "a201"}}'
suit_bad bad-value '{"manifest-sequence-number": 1, "common": {}, "-300": {"x": 1}}'

check suit_create_help 0 - suit create --help
check suit_sign_help 0 - suit sign --help
check suit_create_no_key 64 - suit create desc.json -o out.suit
check suit_create_no_out 64 - suit create --unsigned desc.json
check suit_create_key_and_unsigned 64 - suit create --unsigned -k k11-private.cose desc.json -o out.suit
check suit_create_alg_unsigned 64 - suit create --unsigned --alg ES256 desc.json -o out.suit
check suit_create_bad_alg 64 - suit create -k k11-private.cose --alg A128GCM desc.json -o out.suit
check suit_create_alg_count 64 - suit create -k k11-private.cose -k hmac-secret.cose -k ed11.cose --alg ES256 --alg HS256 desc.json -o out.suit
check suit_create_public_key 65 - suit create -k k11.cose desc.json -o out.suit
check suit_create_alg_mismatch 65 - suit create -k k11-private.cose --alg ES384 desc.json -o out.suit
check suit_create_missing_desc 66 - suit create --unsigned no-such.json -o out.suit
check suit_create_missing_key 66 - suit create -k no-such-key desc.json -o out.suit
for bad in syntax dup required command command-shape param uuid hex digest-size severable severable-absent \
    empty-sequence try-each policy language same-key encoded value; do
    check "suit_create_bad_$bad" 65 - suit create --unsigned "bad-$bad.json" -o out.suit
done
check suit_create_bad_image 66 - suit create --unsigned bad-image.json -o out.suit
# Deterministic: the same description gives the same bytes, unsigned or MACed.
check suit_create_unsigned 0 - suit create --unsigned desc.json -o -
check suit_create_mac 0 - suit create -k hmac-secret.cose desc.json -o -
check suit_create_untagged 0 - suit create --unsigned --untagged desc.json -o -
check suit_create_files 0 - suit create --unsigned --files . desc.json -o unsigned.suit
check suit_create_deterministic 0 - cbor check --deterministic unsigned.suit
check_rand suit_create_es256 0 - suit create -k k11-private.cose --alg ES256 desc.json -o signed.suit
check_rand suit_create_two 0 - suit create -k k11-private.cose -k hmac-secret.cose desc.json -o two.suit
check_rand suit_create_eddsa 0 - suit create -k k-Ed25519.key --kid ed desc.json -o ed.suit
check_rand suit_create_stdin 0 "7b226d616e69666573742d73657175656e63652d6e756d626572223a302c22636f6d6d6f6e223a7b7d7d" suit create -k k-ES384.key - -o stdin.suit
# sign: a key that signed already is found by verifying its block, so these
# also prove the blocks create wrote verify.
check suit_sign_again 65 - suit sign -k k11-private.cose --alg ES256 signed.suit -o x.suit
check suit_sign_again_mac 65 - suit sign -k hmac-secret.cose two.suit -o x.suit
check suit_sign_again_eddsa 65 - suit sign -k k-Ed25519.key ed.suit -o x.suit
check_rand suit_sign_unsigned 0 - suit sign -k k11-private.cose unsigned.suit -o signed-later.suit
check suit_sign_unsigned_again 65 - suit sign -k k11-private.cose signed-later.suit -o x.suit
check_rand suit_sign_other_alg 0 - suit sign -k k11-private.cose --alg ES256 signed-later.suit -o signed-twice.suit
check_rand suit_sign_more 0 - suit sign -k hmac-secret.cose -k k-ES512.key signed-twice.suit -o signed-4.suit
check suit_sign_more_again 65 - suit sign -k k-ES512.key signed-4.suit -o x.suit
check suit_sign_mac_deterministic 0 - suit sign -k hmac-secret.cose unsigned.suit -o -
# The last byte of an envelope of a manifest only is the manifest's (the
# last one of unsigned.suit is its integrated payload's, which the digest of
# the manifest does not cover).
printf '{"manifest-sequence-number": 0, "common": {"components": [["00"]]}}' > "$work/min.json"
check suit_create_min 0 - suit create --unsigned min.json -o min.suit
tamper min.suit tampered.suit
check suit_sign_tampered 1 - suit sign -k k11-private.cose tampered.suit -o x.suit
check suit_sign_not_envelope 65 - suit sign -k k11-private.cose sign1.cbor -o x.suit
check suit_sign_truncated 65 "d86ba2025827815824822f5820" suit sign -k k11-private.cose - -o x.suit
check suit_sign_missing 66 - suit sign -k k11-private.cose no-such.suit -o x.suit
check suit_sign_no_key 64 - suit sign unsigned.suit -o x.suit
check suit_sign_public_key 65 - suit sign -k k11.cose unsigned.suit -o x.suit

# --- suit show / verify / process ---------------------------------------------
# The MACed envelope of desc.json above (deterministic, so it is shown and
# processed byte for byte) on simulated devices made here: folders with a
# device.json (docs/suit.md).
check suit_help 0 - suit --help
check suit_show_help 0 - suit show --help
check suit_verify_help 0 - suit verify --help
check suit_process_help 0 - suit process --help
check suit_create_mac_file 0 - suit create -k hmac-secret.cose desc.json -o mac.suit
check suit_create_min_mac 0 - suit create -k hmac-secret.cose min.json -o min-mac.suit
tamper min-mac.suit min-mac-tampered.suit
# The last byte is the integrated payload's: the authentication still holds,
# the image condition will not.
tamper mac.suit mac-payload-tampered.suit
# make_device DIR VENDOR: a device folder with the demo's class and the given
# vendor (cfbff0d1-... is UUID5 of example.com, the right one).
make_device() {
    mkdir -p "$work/$1"
    printf '{"vendor-id": "%s", "class-id": "a811ee0d-5553-5b3e-b13c-41922315f230",
 "components": [{"id": ["00"], "file": "fw.bin"}, {"id": [{"text": "config"}], "file": "config.txt"}]}\n' \
        "$2" > "$work/$1/device.json"
}
# check_same NAME A B: files A and B (in the work folder) hold the same bytes.
check_same() {
    total=$((total + 1))
    if ! cmp -s "$work/$2" "$work/$3"; then
        echo "FAIL $1: $2 and $3 differ" >&2
        failed=$((failed + 1))
    fi
}
make_device dev cfbff0d1-9375-5685-968c-48ce8b15ae17
make_device dev-verbose cfbff0d1-9375-5685-968c-48ce8b15ae17
make_device dev-tampered cfbff0d1-9375-5685-968c-48ce8b15ae17
make_device dev-other 00000000-0000-0000-0000-000000000000
mkdir -p "$work/dev-empty"
check suit_show 0 - suit show mac.suit
check suit_show_json 0 - suit show --json mac.suit
check suit_show_not_envelope 65 - suit show sign1.cbor
check suit_show_truncated 65 "d86ba20258" suit show -
check suit_show_missing 66 - suit show no-such.suit
check suit_verify 0 - suit verify -k hmac-secret.cose mac.suit
check suit_verify_payload_tampered 0 - suit verify -q -k hmac-secret.cose mac-payload-tampered.suit
# Another HMAC key, with another kid: no trust anchor is for that signer.
check suit_verify_other_kid 1 - suit verify -k k-HS256.key mac.suit
check suit_verify_no_anchor_for_alg 1 - suit verify -k k11.cose mac.suit
check suit_verify_tampered 1 - suit verify -k hmac-secret.cose min-mac-tampered.suit
check suit_verify_unsigned 1 - suit verify -k hmac-secret.cose unsigned.suit
check suit_verify_not_envelope 65 - suit verify -k hmac-secret.cose sign1.cbor
check suit_verify_no_key 64 - suit verify mac.suit
check suit_verify_missing 66 - suit verify -k hmac-secret.cose no-such.suit
check suit_process 0 - suit process -k hmac-secret.cose --device dev --report report.cbor mac.suit
check_same suit_process_installed fw.bin dev/fw.bin
check suit_process_report 0 - suit show report.cbor
check suit_process_rollback 1 - suit process -k hmac-secret.cose --device dev mac.suit
check suit_process_invoke 0 - suit process -k hmac-secret.cose --device dev --invoke mac.suit
check suit_process_verbose 0 - suit process -v -k hmac-secret.cose --device dev-verbose mac.suit
check suit_process_payload_tampered 1 - suit process -k hmac-secret.cose --device dev-tampered --report refused.cbor mac-payload-tampered.suit
# Nothing installed on the refused device.
total=$((total + 1))
[ ! -e "$work/dev-tampered/fw.bin" ] || { echo "FAIL suit_process_nothing_installed: fw.bin is there" >&2; failed=$((failed + 1)); }
check suit_process_refused_report 0 - suit show refused.cbor
check suit_process_other_vendor 1 - suit process -k hmac-secret.cose --device dev-other mac.suit
check suit_process_wrong_key 1 - suit process -k k-HS256.key --device dev-other mac.suit
check suit_process_no_device_json 66 - suit process -k hmac-secret.cose --device dev-empty mac.suit
check suit_process_no_device 64 - suit process -k hmac-secret.cose mac.suit
check suit_process_bad_nonce 64 - suit process -k hmac-secret.cose --device dev --nonce xyz mac.suit
check_rand suit_process_signed_report 0 - suit process -k hmac-secret.cose --device dev --invoke --report signed-report.cbor --report-key k11-private.cose mac.suit
check_rand suit_process_signed_report_show 0 - suit show signed-report.cbor

# --- scitt -----------------------------------------------------------------
# A signed statement by signer "11" (mamori scitt statement, ES256), receipts
# for it from two Transparency Services, made with the library's tree and
# receipt signing (ts-1: ES256, a COSE_Key with kid "ts-1", tree of 5, leaf 2;
# ts-2: Ed25519, a bare PEM key, receipts with kid "ts-2", tree of 2, leaf 1),
# the transparent statement holding both, and an impostor's COSE_Key that
# calls itself "ts-1".
unhex "d2845842a40126036a746578742f706c61696e044231310fa3017668747470733a2f2f76656e646f722e6578616d706c
65026d64656d6f2d6669726d77617265061a6553f100a0582152656c6561736520312e30206f66207468652064656d6f
206669726d776172652e5840948ac7098b1768f78de82924d03a855be7b59b751ed71c685763157f2f1e48a071d7bb60
63ca3eb08596ba2c3a3af997213ddb4f766e8b3fe75a9d78bcbfbc5f" "$work/stmt.cose"
unhex "a60102024474732d310326200121582019aa87da3187a25ccbaeecd358299ca14b70fdd32f31411f0d9a30f8c1b90300
225820aa274eb171c82a51be3a8aaa66e36776eb52b22817ec42a0639ec4b3bd079ec6" "$work/ts1.cose"
unhex "a60102024474732d31032620012158203c1b579a30c825c1996741f925351abefdebda588f918aa0765aca88502ae6c8
2258200cbbd09a899ff4b47a1b9d46cb0b6a942b0007b9cac6940d229e503d5bce1464" "$work/impostor.cose"
unhex "82 a60102024474732d31032620012158203c1b579a30c825c1996741f925351abefdebda588f918aa0765aca88502ae6c8
2258200cbbd09a899ff4b47a1b9d46cb0b6a942b0007b9cac6940d229e503d5bce1464
a60102024474732d310326200121582019aa87da3187a25ccbaeecd358299ca14b70fdd32f31411f0d9a30f8c1b90300
225820aa274eb171c82a51be3a8aaa66e36776eb52b22817ec42a0639ec4b3bd079ec6" "$work/ts-keyset.cose"
cat > "$work/ts2.pem" <<'EOF'
-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEATkYtUR4V7B96y51W+QbdM/4VmtW/97r455CF+l4ANJM=
-----END PUBLIC KEY-----
EOF
unhex "d284582aa40126044474732d310fa2017368747470733a2f2f7473312e6578616d706c65061a6553f16419018b01a119
018ca12081586a830502835820f8ef7d79c7366c3eabab16ad3f22741d340f8798b892420954ac8a12eb1dbe1c5820ae
ab944511c4a125d67f6d9b0be6c4df84c3fb7cfa49d343c70bfd25ce31a4fd58204cbb55db5be18602637b4b4c4769b8
420d1a8b2eae6e7198dac263f96cbd5652f658406938aa88a3a4705dc905ea45092342e40fecc97887a51af1c835d52b
7e0269fda80d62950c300df8358d10422b2603c373789d10549641ad0b391bf9d0c0e2f5" "$work/r1.cbor"
unhex "d284582aa40127044474732d320fa2017368747470733a2f2f7473322e6578616d706c65061a6553f16419018b01a119
018ca1208158268302018158208524f0df2d94c83211e3ba7246496137c227c1eb163dc5c1863b3535c4580670f65840
db290d06fac499512e86dd4828d81353a3ca4de24b8fe59a41d5233cff3b47d5bec9c7ece039525eccfd178647f619ae
dc5722843e660b1ed5b2c826c9cc3309" "$work/r2.cbor"
unhex "d2845842a40126036a746578742f706c61696e044231310fa3017668747470733a2f2f76656e646f722e6578616d706c
65026d64656d6f2d6669726d77617265061a6553f100a119018a8258e4d284582aa40126044474732d310fa201736874
7470733a2f2f7473312e6578616d706c65061a6553f16419018b01a119018ca12081586a830502835820f8ef7d79c736
6c3eabab16ad3f22741d340f8798b892420954ac8a12eb1dbe1c5820aeab944511c4a125d67f6d9b0be6c4df84c3fb7c
fa49d343c70bfd25ce31a4fd58204cbb55db5be18602637b4b4c4769b8420d1a8b2eae6e7198dac263f96cbd5652f658
406938aa88a3a4705dc905ea45092342e40fecc97887a51af1c835d52b7e0269fda80d62950c300df8358d10422b2603
c373789d10549641ad0b391bf9d0c0e2f558a0d284582aa40127044474732d320fa2017368747470733a2f2f7473322e
6578616d706c65061a6553f16419018b01a119018ca1208158268302018158208524f0df2d94c83211e3ba7246496137
c227c1eb163dc5c1863b3535c4580670f65840db290d06fac499512e86dd4828d81353a3ca4de24b8fe59a41d5233cff
3b47d5bec9c7ece039525eccfd178647f619aedc5722843e660b1ed5b2c826c9cc3309582152656c6561736520312e30
206f66207468652064656d6f206669726d776172652e5840948ac7098b1768f78de82924d03a855be7b59b751ed71c68
5763157f2f1e48a071d7bb6063ca3eb08596ba2c3a3af997213ddb4f766e8b3fe75a9d78bcbfbc5f" "$work/transparent.cose"
tamper r1.cbor r1-tampered.cbor

check scitt_help 0 - scitt --help
check scitt_no_args 64 - scitt
check scitt_unknown 64 - scitt frob
check scitt_statement_help 0 - scitt statement --help
check scitt_verify_help 0 - scitt verify --help
check scitt_show_help 0 - scitt show --help

# statement: fresh signatures, so outputs are checked by what reads them.
check_rand scitt_statement 0 - scitt statement --key k11-private.cose --iss https://vendor.example \
    --sub demo-firmware --content-type text/plain --iat 1700000000 msg.txt -o new-stmt.cose
check scitt_statement_cose_verify 0 - cose verify -q --key k11.cose new-stmt.cose
check_rand scitt_statement_show 0 - scitt show new-stmt.cose
check_rand scitt_statement_hash 0 - scitt statement --key k11-private.cose --iss https://vendor.example \
    --sub demo-firmware --hash SHA-256 --preimage-content-type text/plain \
    --location https://vendor.example/fw.txt --detached msg.txt -o hashed.cose
check_rand scitt_statement_hash_show 0 - scitt show --json hashed.cose
check_rand scitt_statement_x5chain 0 - scitt statement --key k11.pem --x5chain k11-cert.pem \
    --iss did:x509:0:sha256:example::subject:CN:mamori-test --sub demo-firmware --no-iat msg.txt -o x5.cose
check_rand scitt_statement_stdout 0 - scitt statement --key k11-private.cose --iss i:s --sub s - -o -
check scitt_statement_x5chain_iss 65 - scitt statement --key k11.pem --x5chain k11-cert.pem --iss mamori \
    --sub s msg.txt -o x.cose
check scitt_statement_no_kid 65 - scitt statement --key k11.pem --iss https://vendor.example --sub s msg.txt -o x.cose
check scitt_statement_public_key 65 - scitt statement --key k11.cose --iss i:s --sub s msg.txt -o x.cose
check scitt_statement_no_sub 64 - scitt statement --key k11-private.cose --iss i:s msg.txt -o x.cose
check scitt_statement_empty_sub 64 - scitt statement --key k11-private.cose --iss i:s --sub "" msg.txt -o x.cose
check scitt_statement_bad_hash 64 - scitt statement --key k11-private.cose --iss i:s --sub s --hash MD5 msg.txt -o x.cose
check scitt_statement_location_alone 64 - scitt statement --key k11-private.cose --iss i:s --sub s \
    --location https://x msg.txt -o x.cose
check scitt_statement_hash_cty 64 - scitt statement --key k11-private.cose --iss i:s --sub s --hash SHA-256 \
    --content-type text/plain msg.txt -o x.cose
check scitt_statement_bad_iat 64 - scitt statement --key k11-private.cose --iss i:s --sub s --iat soon \
    msg.txt -o x.cose
check scitt_statement_missing 66 - scitt statement --key k11-private.cose --iss i:s --sub s no-such -o x.cose
check scitt_statement_bad_x5chain 65 - scitt statement --key k11.pem --x5chain msg.txt --iss i:s --sub s \
    msg.txt -o x.cose

# verify: a receipt's kid picks the COSE_Key named so; a bare PEM key is
# tried for receipts no key names.
check scitt_verify_both 0 - scitt verify --ts-key ts1.cose --ts-key ts2.pem transparent.cose
check scitt_verify_one 0 - scitt verify --ts-key ts1.cose transparent.cose
check scitt_verify_all 1 - scitt verify --all --ts-key ts1.cose transparent.cose
check scitt_verify_all_both 0 - scitt verify --all -q --ts-key ts1.cose --ts-key ts2.pem transparent.cose
check scitt_verify_impostor 1 - scitt verify --ts-key impostor.cose transparent.cose
check scitt_verify_keyset 0 - scitt verify --ts-key ts-keyset.cose transparent.cose
check scitt_verify_json 0 - scitt verify --json --ts-key ts2.pem --ts-key ts1.cose transparent.cose
check scitt_verify_receipt 0 - scitt verify --ts-key ts2.pem --receipt r2.cbor stmt.cose
check scitt_verify_receipts 0 - scitt verify --ts-key ts1.cose --ts-key ts2.pem --receipt r1.cbor \
    --receipt r2.cbor stmt.cose
check scitt_verify_other_statement 1 - scitt verify --ts-key ts1.cose --receipt r1.cbor new-stmt.cose
check scitt_verify_tampered 1 - scitt verify --ts-key ts1.cose --receipt r1-tampered.cbor stmt.cose
check scitt_verify_not_receipt 1 - scitt verify --ts-key ts1.cose --receipt stmt.cose stmt.cose
check scitt_verify_no_receipts 1 - scitt verify --ts-key ts1.cose stmt.cose
check scitt_verify_no_key 64 - scitt verify transparent.cose
check scitt_verify_two_files 64 - scitt verify --ts-key ts1.cose stmt.cose transparent.cose
check scitt_verify_bad_key 65 - scitt verify --ts-key msg.txt transparent.cose
check scitt_verify_not_cose 65 - scitt verify --ts-key ts1.cose msg.txt
check scitt_verify_missing 66 - scitt verify --ts-key ts1.cose no-such

# show
check scitt_show_transparent 0 - scitt show transparent.cose
check scitt_show_transparent_json 0 - scitt show --json transparent.cose
check scitt_show_receipt 0 - scitt show r1.cbor
check scitt_show_receipt_json 0 - scitt show --json r2.cbor
check scitt_show_not_cose 65 - scitt show msg.txt
check scitt_show_missing 66 - scitt show no-such
check scitt_show_two 64 - scitt show a b

# --- HSS-LMS ---------------------------------------------------------------
# check_line NAME TEXT ARGS...: the command succeeds and prints the line TEXT
# (for outputs that are otherwise random, such as a fresh key's).
check_line() {
    local name=$1 text=$2
    shift 2
    total=$((total + 1))
    local out
    out=$(cd "$work" && "$mamori" "$@" 2>&1)
    if ! grep -qxF -- "$text" <<< "$out"; then
        echo "FAIL $name: no line '$text' in:" >&2
        sed 's/^/    /' <<< "$out" >&2
        failed=$((failed + 1))
    fi
}

check_rand key_gen_hss 0 - key gen --alg HSS-LMS --lms-type LMS_SHA256_M32_H5 --ots-type LMOTS_SHA256_N32_W4 \
    --levels 2 --out k-hss --kid hss
check_mode key_gen_hss_mode k-hss.key 600
check_mode key_gen_hss_mode_cose k-hss.cose 644
check_rand key_gen_hss_m24 0 - key gen --alg HSS-LMS --lms-type LMS_SHA256_M24_H5 --ots-type LMOTS_SHA256_N24_W8 \
    --out k-hss24
check_rand key_gen_hss_shake 0 - key gen --alg hss-lms --lms-type lms_shake_m32_h5,LMS_SHAKE_M32_H5 \
    --ots-type LMOTS_SHAKE_N32_W2,LMOTS_SHAKE_N32_W8 --levels 2 --out k-hss-shake
check key_gen_hss_exists 73 - key gen --alg HSS-LMS --lms-type LMS_SHA256_M32_H5 --out k-hss
check key_gen_hss_bad_lms 64 - key gen --alg HSS-LMS --lms-type LMS_SHA256_M32_H7 --out x
check key_gen_hss_bad_ots 64 - key gen --alg HSS-LMS --ots-type W4 --out x
check key_gen_hss_mixed 64 - key gen --alg HSS-LMS --lms-type LMS_SHA256_M32_H5 --ots-type LMOTS_SHA256_N24_W4 --out x
check key_gen_hss_levels 64 - key gen --alg HSS-LMS --levels 9 --out x
check key_gen_hss_count 64 - key gen --alg HSS-LMS --levels 3 --lms-type LMS_SHA256_M32_H5,LMS_SHA256_M32_H5 --out x
check key_gen_hss_crv 64 - key gen --alg HSS-LMS --crv P-256 --out x
check key_gen_hss_opts_other_alg 64 - key gen --alg ES256 --levels 2 --out x
check_line key_show_hss_left "signatures left: 1024 of 1024 (next one-time key: 0)" key show k-hss.key
check_line key_show_hss_levels \
    "levels: 2 (LMS_SHA256_M32_H5/LMOTS_SHA256_N32_W4, LMS_SHA256_M32_H5/LMOTS_SHA256_N32_W4)" key show k-hss.key
check_line key_show_hss_public "levels: 2 (top: LMS_SHA256_M32_H5/LMOTS_SHA256_N32_W4)" key show k-hss.cose
check_line key_show_hss_json '  "signatures_left": 32,' key show --json k-hss24.key
check_rand sign_hss 0 - cose sign --key k-hss.key msg.txt signed-hss.cbor
check_line key_show_hss_after "signatures left: 1023 of 1024 (next one-time key: 1)" key show k-hss.key
check verify_hss_cose 0 - cose verify --key k-hss.cose signed-hss.cbor
check verify_hss_private 0 - cose verify --key k-hss.key --out - signed-hss.cbor
tamper signed-hss.cbor signed-hss-tampered.cbor
check verify_hss_tampered 1 - cose verify --key k-hss.cose signed-hss-tampered.cbor
check verify_hss_other_key 1 - cose verify --key k-hss24.key signed-hss.cbor
check verify_hss_es256_key 1 - cose verify --key k-ES256.pub signed-hss.cbor
check verify_es256_hss_key 1 - cose verify --key k-hss.cose signed-ES256.cbor
check sign_hss_public 65 - cose sign --key k-hss.cose msg.txt x.cbor
check_rand sign_hss_detached 0 - cose sign --key k-hss-shake.key --detached --aad aad.txt msg.txt detached-hss.cbor
check verify_hss_detached 0 - cose verify --key k-hss-shake.key --payload msg.txt --aad aad.txt detached-hss.cbor
check verify_hss_detached_wrong 1 - cose verify --key k-hss-shake.key --payload aad.txt --aad aad.txt detached-hss.cbor
check_rand sign_hss_multi 0 - cose sign --key k-ES256.key --key k-hss24.key msg.txt multi-hss.cbor
check verify_hss_multi_es256 0 - cose verify --key k-ES256.pub multi-hss.cbor
check verify_hss_multi_hss 0 - cose verify --key k-hss24.key multi-hss.cbor
check_rand key_export_hss 0 - key export --public --format cose k-hss.key k-hss-exported.cose
check verify_hss_exported 0 - cose verify --key k-hss-exported.cose signed-hss.cbor
check key_export_hss_private 65 - key export --format cose k-hss.key x.cose
check key_export_hss_pem 65 - key export --public k-hss.key x.pem
# An exhausted key refuses, for good: k-hss24 has 32 one-time keys, one used.
for i in $(seq 2 32); do
    (cd "$work" && "$mamori" cose sign --key k-hss24.key msg.txt "exhaust-$i.cbor") || echo "FAIL sign $i" >&2
done
check verify_hss_last 0 - cose verify -q --key k-hss24.key exhaust-32.cbor
check_line key_show_hss_exhausted "signatures left: 0 of 32 (next one-time key: 32)" key show k-hss24.key
check sign_hss_exhausted 65 - cose sign --key k-hss24.key msg.txt exhausted.cbor

# suit create and sign with an HSS-LMS key (of the section above); signing
# again proves the block verifies.
check_rand suit_create_hss 0 - suit create -k k-hss-shake.key desc.json -o hss.suit
check suit_sign_hss_again 65 - suit sign -k k-hss-shake.key hss.suit -o x.suit

# --- eat: tokens and attestation results (keys: k11 above, fresh k-ES256
# and k-EdDSA of the key gen section) -----------------------------------------
cat > "$work/claims.json" <<'EOF'
{"ueid": "AQIDBAUGBwgJCgsMDQ4PEBE", "oemid": 76543, "hwmodel": "fJYq",
 "hwversion": ["1.2.5", 16384], "swname": "Acme OS", "swversion": ["3.1.4", 1],
 "oemboot": true, "dbgstat": "disabled-since-boot", "iat": 1700000000, "exp": 1700003600,
 "location": {"latitude": 35.5, "longitude": 139.75},
 "manifests": [[60, {"cbor": "gngaaHR0cHM6Ly9leGFtcGxlLmNvbS9tLmNib3KCL0IBAg"}]],
 "measres": [["boot", [["fw", "success"], ["cfg", "fail"]]]],
 "x-vendor": {"on": true}, "-70000": 5}
EOF
cat > "$work/bad-ueid.json" <<'EOF'
{"ueid": "AQID"}
EOF
printf '{"ueid": ' > "$work/not-json.json"
printf '{ / EDN / 10: h%s, 262: true }' "'948f8860d13a463e'" > "$work/minimal.diag"
cat > "$work/teep.json" <<'EOF'
{"ueid": "AQIDBAUGBwgJCgsMDQ4PEBE", "oemid": "iUgj", "hwmodel": "VJ3OzIuYfHN7ROQPfGNc6A",
 "hwversion": ["1.3.4", 1], "cnf": {"kid": "unR8PzjQg0x2MXqLpjxWUT7VLrkCyQ5DBYn5Gqu3nHM"},
 "manifests": [[60, {"cbor": "gngaaHR0cHM6Ly9leGFtcGxlLmNvbS9tLmNib3KCL0IBAg"}]]}
EOF
cat > "$work/ear.json" <<'EOF'
{"eat_profile": "tag:ietf.org,2026:rats/ear#03", "iat": 1700000000, "exp": 1700003600,
 "ear_verifier_id": {"developer": "https://mamori.example", "build": "verifier 0.1"},
 "ear_status": "warning", "eat_nonce": "MIDBNH28iioisjPy",
 "submods": {"device": {"ear_status": "warning",
   "ear_trustworthiness_vector": {"instance-identity": 2, "executables": 33, "hardware": 2},
   "ear_appraisal_policy_ids": ["https://mamori.example/policy/teep"]}}}
EOF
cat > "$work/ear-bad.json" <<'EOF'
{"eat_profile": "tag:ietf.org,2026:rats/ear#03", "iat": 1700000000,
 "ear_verifier_id": {"developer": "https://mamori.example", "build": "verifier 0.1"},
 "submods": {"device": {"ear_status": "affirming", "ear_trustworthiness_vector": {"executables": 96}}}}
EOF
nonce=3080c1347dbc8a2a22b233f2
check eat_help 0 - eat --help
check eat_issue_help 0 - eat issue --help
check eat_show_help 0 - eat show --help
check eat_verify_help 0 - eat verify --help
check eat_result_help 0 - eat verify-result --help
check eat_no_args 64 - eat
check eat_issue_no_key 64 - eat issue --claims claims.json -o x.cwt
check eat_issue_bad_nonce 64 - eat issue --key k11-private.cose --claims claims.json --nonce 0102 -o x.cwt
check eat_issue_bad_claims 65 - eat issue --key k11-private.cose --claims bad-ueid.json -o x.cwt
check eat_issue_not_json 65 - eat issue --key k11-private.cose --claims not-json.json -o x.cwt
check eat_issue_public_key 65 - eat issue --key k11.cose --claims claims.json -o x.cwt
check_rand eat_issue 0 - eat issue --key k11-private.cose --kid 11 --claims claims.json --nonce $nonce -o tok.cwt
check eat_show 0 - eat show tok.cwt
check eat_show_json 0 - eat show --json tok.cwt
check eat_show_key 0 - eat show --key k11.cose tok.cwt
check eat_show_wrong_key 1 - eat show --key k-ES256.pub tok.cwt
check eat_show_edn 0 - eat show minimal.diag
check eat_verify 0 - eat verify --key k11.cose --nonce $nonce --now 1700000100 tok.cwt
check eat_verify_pem 0 - eat verify -q --key k11.pem --now 1700000100 tok.cwt
check eat_verify_wrong_nonce 1 - eat verify --key k11.cose --nonce 3080c1347dbc8a2a22b233f3 --now 1700000100 tok.cwt
check eat_verify_expired 1 - eat verify --key k11.cose --now 1800000000 tok.cwt
check eat_verify_wrong_key 1 - eat verify --key k-ES256.pub --ignore-time tok.cwt
check eat_verify_not_teep 1 - eat verify --key k11.cose --teep --ignore-time tok.cwt
check eat_verify_garbage 65 - eat verify --key k11.cose claims.json
check_rand eat_issue_jwt 0 - eat issue --key k11-private.cose --claims claims.json --nonce $nonce --jwt -o tok.jwt
check eat_verify_jwt 0 - eat verify --key k11.cose --nonce $nonce --now 1700000100 tok.jwt
check eat_verify_jwt_wrong_key 1 - eat verify --key k-ES256.pub --ignore-time tok.jwt
check eat_show_jwt 0 - eat show tok.jwt
check_rand eat_issue_eddsa 0 - eat issue --key k-EdDSA.key --claims claims.json --no-cwt-tag -o ed.cwt
check eat_verify_eddsa 0 - eat verify -q --key k-EdDSA.pub --ignore-time ed.cwt
# TEEP profile: untagged, the key's thumbprint as kid, the claims it needs.
check_rand eat_issue_teep 0 - eat issue --key k11-private.cose --claims teep.json --untagged --thumbprint-kid \
    --nonce $nonce -o teep.cwt
check eat_verify_teep 0 - eat verify --key k11.cose --teep --nonce $nonce teep.cwt
check eat_verify_teep_tagged 1 - eat verify --key k11.cose --teep --ignore-time tok.cwt
# A nested token in submods, verified with its own key.
check_rand eat_issue_inner 0 - eat issue --key k-ES256.key --claims teep.json -o inner.cwt
printf '{"swname": "board", "submods": {"se": ["CBOR", "%s"]}}' \
    "$(base64 -w0 < "$work/inner.cwt" | tr '+/' '-_' | tr -d '=')" > "$work/outer.json"
check_rand eat_issue_outer 0 - eat issue --key k11-private.cose --claims outer.json -o outer.cwt
check eat_verify_nested 0 - eat verify --key k11.cose --nested-key se=k-ES256.pub outer.cwt
check eat_verify_nested_no_key 1 - eat verify --key k11.cose outer.cwt
check eat_verify_nested_wrong_key 1 - eat verify --key k11.cose --nested-key se=k11.cose outer.cwt
check eat_show_nested 0 - eat show outer.cwt
# Attestation results.
check_rand ear_issue 0 - eat issue --key k11-private.cose --claims ear.json -o ear.cwt
check ear_issue_bad 65 - eat issue --key k11-private.cose --claims ear-bad.json -o x.cwt
check ear_verify 0 - eat verify-result --key k11.cose --now 1700000100 ear.cwt
check ear_verify_json 0 - eat verify-result --key k11.cose --json --ignore-time ear.cwt
check ear_verify_nonce 0 - eat verify-result --key k11.cose --nonce $nonce --ignore-time ear.cwt
check ear_verify_wrong_nonce 1 - eat verify-result --key k11.cose --nonce 3080c1347dbc8a2a22b233f3 --ignore-time ear.cwt
check ear_verify_expired 1 - eat verify-result --key k11.cose --now 1800000000 ear.cwt
check ear_verify_wrong_key 1 - eat verify-result --key k-ES256.pub --ignore-time ear.cwt
check ear_verify_not_ear 65 - eat verify-result --key k11.cose --ignore-time tok.cwt
check_rand ear_issue_jwt 0 - eat issue --key k11-private.cose --claims ear.json --jwt -o ear.jwt
check ear_verify_jwt 0 - eat verify-result --key k11.cose --ignore-time ear.jwt

# --- cbor encode --------------------------------------------------------------
check cbor_encode_help 0 - cbor encode --help
check cbor_encode_hex 0 - cbor encode --hex minimal.diag
check cbor_encode_stdin 0 "5b 31 2c 20 22 61 22 5d" cbor encode --hex -
check cbor_encode_sequence 0 "31 2c 20 32" cbor encode --sequence --hex -
check cbor_encode_bad 65 "5b 31 2c" cbor encode -
check cbor_encode_indef 65 "5b 5f 20 31 5d" cbor encode -

# --- ts, scitt register/consistency ------------------------------------------
# The service itself runs in tests/e2e (a free port, the real client); here
# only what needs no server: help, usage, files, an unreachable service.
check ts_help 0 - ts --help
check ts_no_args 64 - ts
check ts_init_help 0 - ts init --help
check ts_serve_help 0 - ts serve --help
check ts_check_help 0 - ts check --help
check ts_init_no_dir 64 - ts init --issuer x
check ts_init_bad_trust 64 - ts init --dir tsd --trust no-equals-sign
check ts_init_missing_trust 66 - ts init --dir tsd --trust https://vendor.example=no-such.cose
check ts_init_alg_and_key 64 - ts init --dir tsd --key k11.pem --alg ES256
check ts_init_public_key 65 - ts init --dir tsd --key k11.cose
check_rand ts_init 0 - ts init --dir tsd --issuer https://ts.example --trust https://vendor.example=k11.cose
check ts_init_again 73 - ts init --dir tsd
check ts_serve_no_config 64 - ts serve
check ts_serve_missing_config 66 - ts serve --config no-such.json
check ts_serve_bad_config 65 - ts serve --config msg.txt
check ts_serve_bad_batch 64 - ts serve --config tsd/ts.json --batch-size 0
check ts_check_empty 0 - ts check --config tsd/ts.json
check scitt_register_help 0 - scitt register --help
check scitt_consistency_help 0 - scitt consistency --help
check scitt_register_no_url 64 - scitt register stmt.cose -o x.receipt
check scitt_register_bad_url 64 - scitt register --url ftp://x stmt.cose -o x.receipt
check scitt_register_missing 66 - scitt register --url http://127.0.0.1:1 no-such -o x.receipt
check scitt_register_not_statement 65 - scitt register --url http://127.0.0.1:1 msg.txt -o x.receipt
check scitt_register_unreachable 69 - scitt register --url http://127.0.0.1:1 stmt.cose -o x.receipt
check scitt_consistency_no_from 64 - scitt consistency --url http://127.0.0.1:1
check scitt_consistency_bad_from 64 - scitt consistency --url http://127.0.0.1:1 --from 0
check scitt_consistency_bad_root 64 - scitt consistency --url http://127.0.0.1:1 --from 1 --root 12
check scitt_consistency_unreachable 69 - scitt consistency --url http://127.0.0.1:1 --from 1

# --- verifier: the store's administration and the clients' errors ------------
# The service itself runs in tests/e2e (a free port, the real clients); here
# help, usage, the store with the fixed key k11, CoRIM refusals, an unreachable
# Verifier.
check verifier_help 0 - verifier --help
check verifier_no_args 64 - verifier
check verifier_serve_help 0 - verifier serve --help
check verifier_endorse_help 0 - verifier endorse --help
check verifier_reference_help 0 - verifier reference --help
check verifier_import_help 0 - verifier import --help
check verifier_challenge_help 0 - verifier challenge --help
check verifier_appraise_help 0 - verifier appraise --help
check verifier_serve_no_key 64 - verifier serve --db vf.db
check verifier_serve_public_key 65 - verifier serve --key k11.cose --db vf.db
check verifier_serve_bad_ttl 64 - verifier serve --key k11-private.cose --nonce-ttl 0
check verifier_serve_bad_used_nonces 64 - verifier serve --key k11-private.cose --used-nonces 0
check verifier_endorse_no_scope 64 - verifier endorse add --db vf.db --key k11.cose
check verifier_endorse_half_model 64 - verifier endorse add --db vf.db --key k11.cose --oemid 32473
check verifier_endorse_bad_ueid 64 - verifier endorse add --db vf.db --key k11.cose --ueid 0102
check verifier_endorse_missing_key 66 - verifier endorse add --db vf.db --key no-such.cose --ueid 01020304050607
check verifier_endorse_list_missing 66 - verifier endorse list --db no-such.db
check verifier_endorse_add 0 - verifier endorse add --db vf.db --key k11.cose --ueid 0102030405060708 --kid dev-1
check verifier_endorse_add_model 0 - verifier endorse add --db vf.db --key k11-private.cose --oemid 89-48-23 \
    --hwmodel 549dcecc --source acme
check verifier_endorse_list 0 - verifier endorse list --db vf.db
check verifier_endorse_list_json 0 - verifier endorse list --db vf.db --json
check verifier_endorse_remove 0 - verifier endorse remove --db vf.db --source acme
check verifier_endorse_remove_none 1 - verifier endorse remove --db vf.db --id 99
check verifier_endorse_bad_option 64 - verifier endorse list --db vf.db --swname x
check verifier_reference_add 0 - verifier reference add --db vf.db --swname "Acme OS" --swversion 3.1.4 \
    --measurement boot=sha-256:4242424242424242424242424242424242424242424242424242424242424242 \
    --debug disabled-since-boot --secure-boot --allow-oemid 32473
check verifier_reference_add_device 0 - verifier reference add --db vf.db --ueid 0102030405060708 --swname "Acme OS 2"
check verifier_reference_list 0 - verifier reference list --db vf.db
check verifier_reference_list_json 0 - verifier reference list --db vf.db --json
check verifier_reference_none 64 - verifier reference add --db vf.db
check verifier_reference_bad_digest 64 - verifier reference add --db vf.db --measurement sha-256:4242
check verifier_reference_bad_debug 64 - verifier reference add --db vf.db --debug off
check verifier_reference_remove 0 - verifier reference remove --db vf.db --id 6
check verifier_import_missing 66 - verifier import --db vf.db no-such.corim
check verifier_import_garbage 65 - verifier import --db vf.db msg.txt
# A CoRIM with an endorsed-values triple, which the Verifier does not act on.
unhex "d901f5a20061610181d901fa581fa201a100616104a1018182a101d90226470102030405060781a101a10b6178" "$work/endorsed.corim"
check verifier_import_unsupported 65 - verifier import --db vf.db endorsed.corim
check verifier_challenge_no_url 64 - verifier challenge
check verifier_challenge_unreachable 69 - verifier challenge --url http://127.0.0.1:1
check verifier_appraise_no_evidence 64 - verifier appraise --url http://127.0.0.1:1
check verifier_appraise_missing 66 - verifier appraise --url http://127.0.0.1:1 no-such.cwt
check verifier_appraise_unreachable 69 - verifier appraise --url http://127.0.0.1:1 msg.txt

echo "cli: $((total - failed))/$total cases passed"
[ $failed = 0 ]
