#!/usr/bin/env bash
# Builds everything, then the installer packages into build/packages: on Linux the DEB packages
# reelgate-server and reelgate-studio and a portable .tar.gz. See installers/README.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
bash installers/dev/build.sh
(cd build && cpack -G "DEB;TGZ" -B packages)
echo
echo "Packages in build/packages:"
ls -l build/packages/*.deb build/packages/*.tar.gz
