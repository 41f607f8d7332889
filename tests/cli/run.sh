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
check() {
    local name=$1 want=$2 in=$3
    shift 3
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
    for stream in out err; do
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
unhex "d2 84 43 a1 01 26 a1 04 42 31 31 54 54 68 69 73 20 69 73 20 74 68 65 20 63 6f 6e 74 65 6e 74 2e 58 40
8e b3 3e 4c a3 1d 1c 46 5a b0 5a ac 34 cc 6b 23 d5 8f ef 5c 08 31 06 c4 d2 5a 91 ae f0 b0 11 7e 2a f9 a2 91 aa
32 e1 4a b8 34 dc 56 ed 2a 22 34 44 54 7e 01 f1 1d 3b 09 16 e5 a4 c3 45 ca cb 36" "$work/sign1.cbor"
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

echo "cli: $((total - failed))/$total cases passed"
[ $failed = 0 ]
