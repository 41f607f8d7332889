#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Writes the seed corpora in fuzz/corpus/<target>/ from the hex below. The
# seeds are small hand-made inputs that reach every major type, indefinite
# lengths, tags, floats of each width, deep nesting, byte-string-wrapped
# items, maps with int and text labels and a few malformed forms; libFuzzer
# grows everything else from them. Run after changing the list:
#
#   fuzz/make_corpus.sh
#
# Existing seed files are replaced; the generated files are committed.
set -euo pipefail

dir=$(cd "$(dirname "$0")" && pwd)/corpus

# hex TEXT: writes the bytes spelled by TEXT (spaces ignored) to stdout.
hex() {
    local h=${1// /}
    if [ $((${#h} % 2)) -ne 0 ] || [[ $h == *[!0-9a-fA-F]* ]]; then
        echo "make_corpus.sh: bad hex: $1" >&2
        exit 1
    fi
    printf '%b' "$(printf '%s' "$h" | sed 's/../\\x&/g')"
}

# seed TARGET NAME HEX
seed() {
    mkdir -p "$dir/$1"
    hex "$3" >"$dir/$1/seed-$2"
}

# Map target input: [mode] [path length] [path] [CBOR].
# mseed NAME MODE PATH_HEX CBOR_HEX
mseed() {
    local path=${3// /}
    seed fuzz_cbor_map "$1" "$2 $(printf '%02x' $((${#path} / 2))) $path $4"
}

# tseed NAME TEXT: text seed for the base target.
tseed() {
    mkdir -p "$dir/fuzz_base_text"
    printf '%s' "$2" >"$dir/fuzz_base_text/seed-$1"
}

rm -rf "$dir/fuzz_cbor_decode" "$dir/fuzz_cbor_map" "$dir/fuzz_base_text"

D=fuzz_cbor_decode
# Unsigned and negative integers, every head width.
seed $D uint-widths "88 00 17 1818 18ff 190100 1a00010000 1b0000000100000000 1bffffffffffffffff"
seed $D uint-24 1818
seed $D nint-widths "84 20 3863 3903e7 3bffffffffffffffff"
# Strings, definite and indefinite.
seed $D bstr-empty-4 "82 40 4401020304"
seed $D bstr-indef 5f42010243030405ff
seed $D bstr-indef-empty 5fff
seed $D tstr-ietf 6449455446
seed $D tstr-utf8 "6d 61 c3bc e282ac f09f9880 f48fbfbf"
seed $D tstr-escapes 66225c09000a7f
seed $D tstr-indef 7f657374726561646d696e67ff
# Arrays and maps.
seed $D array-empty 80
seed $D array-nested 8301820203820405
seed $D array-indef 9f018202039f0405ffff
seed $D array-25 98190102030405060708090a0b0c0d0e0f101112131415161718181819
seed $D map-int a201020304
seed $D map-text a26161016162820203
seed $D map-mixed "a3 01 26 20 6161 6178 80"
seed $D map-indef bf61610161629f0203ffff
# Tags: date/time, epoch, bignums, embedded CBOR, self-describe, COSE_Sign1.
seed $D tag-times "82 c074323031332d30332d32315432303a30343a30305a c11a514b67b0"
seed $D tag-bignums "82 c249010000000000000000 c349010000000000000000"
seed $D tag-cbor d818456449455446
seed $D tag-selfdescribe d9d9f7a0
seed $D cose-sign1 d28443a10126a0447465737440
# Simple values and floats of each width.
seed $D simple-false-true-null-undef "84 f4 f5 f6 f7"
seed $D simple-16-32-255 "83 f0 f820 f8ff"
seed $D half-zeros "82 f90000 f98000"
seed $D half-one-max "82 f93c00 f97bff"
seed $D half-inf-nan "83 f97c00 f9fc00 f97e00"
seed $D half-subnormal f90001
seed $D singles "82 fa47c35000 fa7f7fffff"
seed $D single-nan fa7fc00000
seed $D doubles "83 fb3ff199999999999a fb7e37e43c8800759c fbc010666666666666"
seed $D double-subnormal fb0000000000000001
# Deep nesting: the default limit is 16 levels.
seed $D nest-16 "$(printf '81%.0s' {1..16})00"
seed $D nest-17 "$(printf '81%.0s' {1..17})00"
seed $D nest-indef-8 "$(printf '9f%.0s' {1..8})$(printf 'ff%.0s' {1..8})"
seed $D nest-tags-4 c1c2c3c400
# An empty container or wrapped item at the deepest level still allowed.
seed $D nest-16-empty "$(printf '81%.0s' {1..16})80"
seed $D wrap-nest-16 "51 $(printf '81%.0s' {1..16})00"
# Byte strings that hold CBOR.
seed $D wrap-array 4483010203
seed $D wrap-map 45a201020304
seed $D wrap-tagged d8184483010203
seed $D wrap-in-wrap 46d8184483010203
seed $D wrap-in-map "a1 01 43 820102"
# Sequences (read with MM_CBOR_SEQUENCE).
seed $D sequence "01 6161 a0 80"
# Not deterministic, but well-formed.
seed $D nonshortest 1817
seed $D unsorted-map a202000100
seed $D dupkey-map a201000100
seed $D bignum-small c24101
seed $D bignum-indef-chunks "82 c3 5f ff c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0 46 ff3f7c1600ff"
# Malformed.
seed $D bad-truncated-head 18
seed $D bad-reserved-ai 1c
seed $D bad-lone-break ff
seed $D bad-simple-31 f81f
seed $D bad-chunk-type 5f01ff
seed $D bad-unterminated 9f01
seed $D bad-map-odd a101
seed $D bad-trailing 0001
seed $D bad-indef-uint 1f
seed $D bad-truncated-str 62c3
seed $D bad-utf8 62c328
seed $D bad-nested-chunk 7f61617f6162ffff
seed $D bad-huge-array 9bffffffffffffffff
seed $D bad-huge-bstr 5bffffffffffffffff00
seed $D bad-indef-map-odd bf01ff

# {1: 42, 2: -42, 3: h'010203', 4: "abc", -1: true}
m1="a5 01 182a 02 3829 03 43010203 04 63616263 20 f5"
# {-2: [1, 2], "c": {1: 5}, "w": h'820102'}
m2="a3 21 820102 6163 a10105 6177 43820102"
# {5: 0, 100: null, "z": []}: labels the table does not know
m3="a3 05 00 1864 f6 617a 80"
mseed fields-plain 00 "" "$m1"
mseed fields-det 02 "" "$m1"
mseed fields-required 04 "" a10201
mseed raw-custom-wrapped 00 "" "$m2"
mseed unknown-labels 00 "" "$m3"
mseed dup-label 00 "" a201000101
mseed bad-key 00 "" a18000
mseed wrong-type 00 "" a1016161
mseed indef-map 01 "" "bf 01 02 6163 bf0103ff ff"
mseed utf8-indef 03 "" "bf 04 7f6161ff ff"
mseed sequence-of-maps 08 "" "a10101 a10220"
mseed wrap-two-items 00 "" "a1 6177 420102"
mseed label-minus-65536 00 "" "a1 3a0000ffff 00"
mseed label-empty-text 00 "" "a1 60 83010203"
mseed many-unknown 00 "" "b821 $(printf '%02x00' {0..23}) $(printf '18%02x00' {24..32})"
mseed custom-nested 00 "" "a1 6163 a1 6163 a1 6163 a10101"
mseed shallow-limit 10 "" "a1 6163 a1 6163 a10101"
# Paths of typed calls (see enum op in fuzz_cbor_map.c).
mseed path-fields 00 "01 0b 0b 02 02 0b 03 0b 0c 02 0d 06 16" "$m1"
mseed path-array 00 "00 0b 11 0f 06 16" "83 01 c249010000000000000000 f93c00"
mseed path-wrapped 00 "a4 05 01 09 09 09 09 06 06 16" "d818 45 a201020304"
mseed path-walk 01 "08 07 13 13 13 13 16" "9f 01 02 ff"
mseed path-copy 00 "f4 16" "a2 02 00 01 00"
mseed path-copy-small 01 "34 16" "bf 01 9f 02 03 ff ff"
mseed path-decode-map 00 "15 16" "$m2"
mseed path-exit-unopened 00 "06 06" 01
mseed path-raw 00 "0a 16" 83010203
mseed path-nested 10 "00 00 00 13 06 06 06 16" "81 81 81 00"
mseed path-tag-null 00 "10 0e 16" "c1 f6"
mseed path-indef-bstr 01 "03 16" "5f 4101 ff"
mseed path-bool-float 00 "00 0d 0f 0f 0f 12 06" "85 f5 f93c00 fa47c35000 fb3ff199999999999a f6"
mseed path-map-mixed 00 "01 0c 02 0b 0a 09 09 06" "a3 01 26 6161 20 6178 80"
mseed path-opt-tags 00 "04 24 44 64 84 a4 c4 e4 0b" "c1 01"
mseed path-sequence 08 "0b 0b 12 07 16" "01 02 80"

B=fuzz_base_text
tseed empty ""
tseed hex-lower deadbeef
tseed hex-upper DEADBEEF
tseed hex-spaced "de ad	be
ef"
tseed hex-odd abc
tseed hex-bad 0g
tseed b64-foo Zm9v
tseed b64-fo-padded "Zm8="
tseed b64-f-padded "Zg=="
tseed b64-f-bare Zg
tseed b64-foobar Zm9vYmFy
tseed b64-lines "Zm9v
YmFy
"
tseed b64-std-symbols "+/8="
tseed b64-url-symbols "-_8"
tseed b64-noncanonical "QR=="
tseed b64-bad-pad "QQ="
tseed b64-too-much-pad "Q==="
tseed b64-lone-pad "="
tseed b64-one-symbol Q
tseed b64-spaced-pad "Zm 9v Yg =="
seed $B bytes-binary 00ff807f0d0a
seed $B bytes-long "$(printf '%02x' {0..63})"

echo "seeds: $(find "$dir" -type f | wc -l) files in $dir"
