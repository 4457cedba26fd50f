#!/usr/bin/env bash
# The benchmarks, apart from the test suite: installs what is missing, builds, and runs every
# benchmark (CTest label "bench") verbosely, so their tables are printed. Each one measures a
# reference (nginx, pgbench, an FFmpeg burn-in, ...) in the same run and reports ratios.
# Extra arguments go to ctest, e.g. -R bench_playback.
# bench_payments: wallet purchases/s beside pgbench TPC-B, Stripe notifications/s.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
bash installers/dev/build.sh
exec ctest --preset default -L bench -LE '^ci$' --verbose "$@"
