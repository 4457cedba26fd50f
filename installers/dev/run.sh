#!/usr/bin/env bash
# Runs the product: installs what is missing, builds, starts reelgate-server on
# http://127.0.0.1:8080 with its embedded PostgreSQL, and reelgate-studio when a display exists.
# Ctrl+C stops everything. Environment: REELGATE_LISTEN, REELGATE_DATA_DIR (see --help).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
bash installers/dev/build.sh

listen="${REELGATE_LISTEN:-127.0.0.1:8080}"
url="http://${listen}"
server="$root/build/server/reelgate-server"
studio="$root/build/studio/reelgate-studio"

"$server" --listen "$listen" --demo &
server_pid=$!
studio_pid=""
stop_all() {
  trap - INT TERM EXIT
  [ -n "$studio_pid" ] && kill "$studio_pid" 2>/dev/null || true
  kill -TERM "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
}
trap stop_all INT TERM EXIT

for _ in $(seq 1 600); do
  if curl -fsS "$url/healthz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "run: reelgate-server did not start (see the messages above)" >&2
    exit 1
  fi
  sleep 0.2
done

cat <<MSG

  Reelgate is running at $url   (health: $url/healthz)
  Demo accounts (password): admin (demo-admin-password), creator (demo-creator-password),
                            buyer (demo-buyer-password)
  Data (database, videos): $("$server" --print-data-dir)
  Stop with Ctrl+C.

MSG

if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -x "$studio" ]; then
  "$studio" --server "$url" &
  studio_pid=$!
  echo "  reelgate-studio started (close its window or press Ctrl+C here)."
else
  echo "  No display: reelgate-studio not started (run $studio on a desktop)."
fi
wait "$server_pid"
