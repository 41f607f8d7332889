#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Proves the device-safe core calls no allocator and no stdio and keeps no
# global state: every symbol the static library needs from outside must be on
# a short allow-list, and it may define no writable data.
set -euo pipefail
lib=${1:?usage: device_symbols.sh libmamori.a [libdep.a...]}
shift
# Optional further archives LIB builds on (such as a backend on libmamori.a):
# what they define counts as available; they are checked by their own run.

# What a device's libc must provide (compilers emit these for struct copies),
# plus the sanitizer and stack-protector hooks instrumented builds add.
allowed='^(memcpy|memmove|memset|memcmp|bcmp|strlen|__stack_chk_fail|__asan_.*|__ubsan_.*|__sanitizer_.*|__tsan_.*|_GLOBAL_OFFSET_TABLE_|__gcov_.*|__llvm_.*)$'

# Undefined in some object and defined in none: what the archive needs.
defined=$(nm --defined-only --format=posix "$lib" "$@" | awk 'NF >= 2 { print $1 }' | sort -u)
undefined=$(nm -u --format=posix "$lib" | awk 'NF >= 2 { print $1 }' | sort -u |
    comm -23 - <(printf '%s\n' "$defined"))
bad=$(printf '%s\n' "$undefined" | grep -Ev "$allowed" | grep -v '^$' || true)
if [ -n "$bad" ]; then
    echo "device_symbols: the core references functions outside the allow-list:" >&2
    printf '  %s\n' $bad >&2
    exit 1
fi

# Writable globals (.data, .bss and thread-local sections) would be state
# shared between callers. Constant tables with pointers live in .data.rel.ro,
# which is read-only once relocated. Sanitizer builds add their own data.
writable=$(objdump -t "$lib" |
    awk '$0 ~ / O / { for (i = 1; i <= NF; i++) if ($i ~ /^\./) { print $i, $NF; break } }' |
    awk '$1 ~ /^\.(data|bss|tdata|tbss)/ && $1 !~ /^\.data\.rel\.ro/ { print $2 }' |
    grep -Ev '^(__asan_|__ubsan_|__sanitizer_|\.L|__odr_asan|___asan_gen_|__unnamed_|__gcov|__llvm)' || true)
if [ -n "$writable" ]; then
    echo "device_symbols: the core defines writable global data:" >&2
    printf '  %s\n' $writable >&2
    exit 1
fi
count=$(printf '%s\n' "$undefined" | grep -c . || true)
echo "device_symbols: ok ($count external symbols, all allowed; no writable globals)"
