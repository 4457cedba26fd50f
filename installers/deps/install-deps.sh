#!/usr/bin/env bash
# Installs everything Reelgate needs to build, run and test on Debian 12 / Ubuntu.
# Idempotent and quick when all is present: apt-get only runs for missing packages,
# npm only when a package-lock changed since the last install.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo_cmd=(sudo); else
    echo "install-deps: not root and no sudo; install packages from $here/debian-packages.txt by hand" >&2
    exit 1
  fi
fi

mapfile -t wanted < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$here/debian-packages.txt" | grep -v '^$')
# Node.js: any recent node+npm will do (Debian's or a vendor build that bundles npm).
command -v node >/dev/null 2>&1 || wanted+=(nodejs)
command -v npm >/dev/null 2>&1 || wanted+=(npm)

missing=()
for pkg in "${wanted[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
  [ "$status" = "install ok installed" ] || missing+=("$pkg")
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -q
  "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# npm packages (hls.js for the buyer pages, playwright-core for browser tests).
for dir in "$root/resources/web" "$root/tests/e2e"; do
  [ -f "$dir/package.json" ] || continue
  stamp="$dir/node_modules/.reelgate-installed"
  lock="$dir/package-lock.json"
  if [ -f "$stamp" ] && [ -f "$lock" ] && [ "$stamp" -nt "$lock" ] && [ "$stamp" -nt "$dir/package.json" ]; then
    continue
  fi
  echo "install-deps: npm packages in ${dir#$root/}"
  if [ -f "$lock" ]; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  else
    (cd "$dir" && npm install --no-audit --no-fund --loglevel=error)
  fi
  touch "$stamp"
done
