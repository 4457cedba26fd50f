#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, runs every test through CTest.
# Benchmarks run last and verbosely, so their tables appear in the log.
# Extra arguments go to a single ctest run instead (e.g. -L unit, -R serverlifecycle).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
bash installers/dev/build.sh
if [ "$#" -gt 0 ]; then
  exec ctest --preset default "$@"
fi
ctest --preset default -LE bench
ctest --preset default -L bench --verbose
