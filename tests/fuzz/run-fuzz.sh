#!/bin/bash
# Builds the fuzz targets with clang (ASan + UBSan + libFuzzer) into <build-dir> and runs the
# named ones (default: all) for <seconds> each from their corpus in tests/fuzz/corpus/<name>/.
# New inputs go to <build-dir>/found/<name>/, crashes to <build-dir>/crash-<name>-*; a crash
# or a sanitizer report fails the script (copy the input into the corpus once fixed).
# Usage: run-fuzz.sh <source-dir> <build-dir> <seconds> [build | target...]
set -euo pipefail
src=$1 out=$2 seconds=$3
shift 3
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(m3u8 tar manifest tus jsonbody inline)

if [ "${targets[0]}" = build ] || [ ! -f "$out/build.ninja" ]; then
    cmake -S "$src/tests/fuzz" -B "$out" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
        -DCMAKE_CXX_COMPILER=clang++ \
        ${CMAKE_CXX_COMPILER_LAUNCHER:+-DCMAKE_CXX_COMPILER_LAUNCHER=$CMAKE_CXX_COMPILER_LAUNCHER} >/dev/null
fi
cmake --build "$out" -- -j2 >/dev/null
[ "${targets[0]}" = build ] && exit 0

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for name in "${targets[@]}"; do
    mkdir -p "$out/found/$name" "$out/scratch/$name"
    echo "fuzz_$name: ${seconds}s"
    (cd "$out/scratch/$name" && TMPDIR="$out/scratch/$name" "$out/fuzz_$name" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -print_final_stats=1 -artifact_prefix="$out/crash-$name-" \
        "$out/found/$name" "$src/tests/fuzz/corpus/$name" 2>&1 | tail -n 12)
done
