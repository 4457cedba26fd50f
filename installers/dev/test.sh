#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, runs every test through CTest.
# Extra arguments go to ctest (e.g. -L unit, -R serverlifecycle).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
bash installers/dev/build.sh
ctest --preset default "$@"
