#!/usr/bin/env bash
# Installs what is missing and builds everything (RelWithDebInfo, Ninja) into build/.
# Used by run.sh and test.sh; safe to run on its own.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
bash installers/deps/install-deps.sh
cmake --preset default >/dev/null
cmake --build --preset default
