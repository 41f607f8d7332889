#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs the Debian packages a make target needs, and only those missing.
# Idempotent and silent when everything is present; non-interactive.
# usage: install-deps.sh build|test|bench|lint|fuzz
set -euo pipefail

build=(gcc make cmake pkg-config libc6-dev libssl-dev libjansson-dev libmicrohttpd-dev libcurl4-openssl-dev libsqlite3-dev)
test=("${build[@]}" clang libclang-rt-14-dev libcmocka-dev libjansson-dev binutils)
bench=("${build[@]}" libcbor-dev valgrind)
lint=("${build[@]}" clang-tidy clang-format cppcheck libcmocka-dev)
fuzz=("${build[@]}" clang libclang-rt-14-dev)

case "${1:-build}" in
build) want=("${build[@]}") ;;
test) want=("${test[@]}") ;;
bench) want=("${bench[@]}") ;;
lint) want=("${lint[@]}") ;;
fuzz) want=("${fuzz[@]}") ;;
*)
    echo "install-deps: unknown set '$1' (build, test, bench, lint, fuzz)" >&2
    exit 64
    ;;
esac

missing=()
for p in "${want[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
else
    echo "install-deps: missing Debian packages: ${missing[*]}" >&2
    echo "install-deps: run as root: apt-get install -y ${missing[*]}" >&2
    exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
