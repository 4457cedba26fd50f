#!/usr/bin/env bash
# The sanitizer pass of the test suite: builds the core, media and server with AddressSanitizer
# and UndefinedBehaviorSanitizer into build-sanitize/ (no studio), then runs the unit and server
# integration tests there, so the real server binary they start is the instrumented one.
# Built at -O1 with line tables only (-g1): reports keep file and line, the build stays short.
# Every report (memory error, undefined behaviour, a leak at a clean exit) from ANY process of the run
# is written under build-sanitize/sanitizer-reports/, and the pass fails when one exists.
# The media unit tests run too (probe and detector read untrusted files); the longest
# encodes (forensicab, forensicattacks, trace: minutes under ASan) are left to the normal pass.
# Extra arguments go to ctest.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
cmake --preset sanitize >/dev/null
cmake --build --preset sanitize
reports="$root/build-sanitize/sanitizer-reports"
rm -rf "$reports"
mkdir -p "$reports"
# Qt's and libpq's own allocations made once per process are not ours to fix.
suppressions="$root/tests/support/lsan-suppressions.txt"
export ASAN_OPTIONS="detect_leaks=1:detect_stack_use_after_return=1:log_path=$reports/asan"
export LSAN_OPTIONS="suppressions=$suppressions:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$reports/ubsan"
status=0
ctest --preset sanitize -L 'unit|integration' -LE 'web|e2e|studio|bench|fuzz' \
  -E '^(forensicab|forensicattacks|trace|eval_trace)$' "$@" || status=$?
if compgen -G "$reports/*" >/dev/null; then
  echo "sanitizer reports:"
  for f in "$reports"/*; do
    echo "== $f"
    head -60 "$f"
  done
  status=1
fi
if [ "$status" -eq 0 ]; then
  echo "sanitize: unit and integration tests clean under ASan + UBSan"
fi
exit "$status"
