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

echo "cli: $((total - failed))/$total cases passed"
[ $failed = 0 ]
