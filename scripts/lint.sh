#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Static analysis: clang-tidy (with .clang-tidy) over the library, backends,
# services and CLI, using the build's compile_commands.json, then cppcheck.
# Both must be clean. Tests, fuzzers and benchmarks are checked by the
# compilers' warnings only.
set -euo pipefail
build=${1:?usage: lint.sh BUILD_DIR}
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files --cached --others --exclude-standard 'lib/*.c' 'backends/*.c' 'services/*.c' 'tools/*.c')
echo "lint: clang-tidy on ${#files[@]} files"
clang-tidy -p "$build" --quiet "${files[@]}" 2> >(grep -v -E '^[0-9]+ warnings? generated' >&2)
echo "lint: cppcheck"
cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability --inline-suppr \
    --std=c11 -I include -I lib --suppress=missingIncludeSystem "${files[@]}"
echo "lint: ok"
