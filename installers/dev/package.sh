#!/usr/bin/env bash
# Builds everything, then the installer packages (DEB and tar.gz on Linux) into build/packages.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
bash installers/dev/build.sh
cpack --config build/CPackConfig.cmake -B build/packages
ls -l build/packages/*.deb build/packages/*.tar.gz
