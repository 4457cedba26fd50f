#!/usr/bin/env bash
# Installs what is missing and builds everything (RelWithDebInfo, Ninja) into build/. Debug
# information is line tables only (-g1): backtraces keep file and line, and a cold build (CI
# builds twice, with the sanitizer pass) takes about a third less.
# Used by run.sh and test.sh; safe to run on its own.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
bash installers/deps/install-deps.sh
cmake --preset default >/dev/null
cmake --build --preset default
