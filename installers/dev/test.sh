#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, runs every test through CTest (unit,
# server integration on real PostgreSQL, studio offscreen, browser tests in Chromium, fuzzers for
# a bounded time, lint), prints the CI-sized viewers benchmark's table (10,000 paced viewers
# beside nginx; reported, never asserted), then the sanitizer pass (installers/dev/sanitize.sh).
# The benchmarks at full size have their own command: installers/dev/bench.sh.
# Extra arguments go to a single ctest run instead (e.g. -L unit, -R serverlifecycle).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
bash installers/dev/build.sh
if [ "$#" -gt 0 ]; then
  exec ctest --preset default "$@"
fi
ctest --preset default -LE bench
ctest --preset default -L '^ci$' --verbose
bash installers/dev/sanitize.sh
