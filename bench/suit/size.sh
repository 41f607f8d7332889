#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Code size of the device-side SUIT processor: lib/cbor, lib/cose, lib/suit
# (and the lib/crypto dispatch layer they call, counted apart), compiled at
# -Os for a Cortex-M4 (Thumb-2) with clang, linked with ld.lld and
# --gc-sections into a program that calls mm_suit_process() and nothing
# else, so only what a processor needs is counted. No crypto backend, no
# platform. Needs clang and ld.lld.
#
#   bench/suit/size.sh [BUILD_DIR]   (for headers CMake generates there, if any)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
command -v clang >/dev/null && command -v ld.lld >/dev/null || { echo "size.sh: needs clang and ld.lld" >&2; exit 69; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# The target has no C library: the few string.h functions the library
# calls are declared here and left unresolved (they are the C library's).
mkdir -p "$out/shim"
cat >"$out/shim/string.h" <<'EOF'
#pragma once
#include <stddef.h>
void *memcpy(void *, const void *, size_t);
void *memmove(void *, const void *, size_t);
void *memset(void *, int, size_t);
int memcmp(const void *, const void *, size_t);
size_t strlen(const char *);
EOF
cat >"$out/main.c" <<'EOF'
#include "mamori/suit.h"
int main(int argc, char **argv)
{
    (void)argv;
    static mm_suit_processor p;
    mm_suit_config cfg = {0};
    if (argc > 5 && mm_suit_processor_init(&p, &cfg) == MM_OK) {
        return (int)mm_suit_process(&p, mm_bytes_make(NULL, 0), MM_SUIT_PROC_UPDATE | MM_SUIT_PROC_INVOKE);
    }
    return 0;
}
EOF
cat >"$out/link.ld" <<'EOF'
ENTRY(main)
SECTIONS { .text : { *(.text*) } .rodata : { *(.rodata*) } .data : { *(.data*) } .bss : { *(.bss*) *(COMMON) } }
EOF
cc=(clang -target thumbv7m-none-eabi -mcpu=cortex-m4 -Os -ffunction-sections -fdata-sections -ffreestanding
    -I"$out/shim" -I"$root/include" -I"$build/include" -I"$root/lib")
for f in "$root"/lib/{base,crypto,cbor,cose,suit}/*.c; do
    "${cc[@]}" -c "$f" -o "$out/$(basename "$(dirname "$f")")_$(basename "$f" .c).o"
done
"${cc[@]}" -c "$out/main.c" -o "$out/main.o"
ld.lld -m armelf --gc-sections -T "$out/link.ld" --unresolved-symbols=ignore-all -Map="$out/map" \
    "$out/main.o" --start-group "$out"/*_*.o --end-group -o "$out/suit.elf"

# Allocated input sections (code, constants, data) per module.
awk 'function hex(s,   i, v) { v = 0; for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1; return v }
     $NF ~ /:\(\.(text|rodata|data)/ {
        split($NF, a, ":\\("); n = split(a[1], p, "/"); m = p[n]; sub(/_.*/, "", m);
        if (m == "<internal>") m = "strings"; if (m == "main.o") next;
        size[m] += hex($3)
     }
     END {
        for (m in size) printf "  %-8s %6d bytes\n", m, size[m]
        dev = size["cbor"] + size["cose"] + size["suit"] + size["strings"]
        printf "suit: device-side code (cbor + cose + suit + their strings, Thumb-2 -Os): %d bytes; crypto dispatch: %d bytes\n", dev, size["crypto"]
     }' "$out/map" | sort
