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

# Demo content, once per data dir: a short film on sale by 'creator' (made here with ffmpeg and
# reelgate-encode: HLS ladder, forensic A/B variants, AES-128) and 20.00 USD in buyer's wallet.
data_dir="$("$server" --print-data-dir)"
if [ ! -e "$data_dir/.demo-content" ]; then
  echo "run: preparing the demo film (about a minute, once)..."
  demo="$(mktemp -d)"
  ffmpeg -v error -y -f lavfi -i testsrc2=size=1280x720:rate=30:duration=60 \
    -f lavfi -i sine=frequency=330:sample_rate=48000:duration=60 \
    -c:v libx264 -preset veryfast -crf 20 -pix_fmt yuv420p -c:a aac "$demo/source.mp4"
  "$root/build/shared/media/reelgate-encode" transcode "$demo/source.mp4" "$demo/package" \
    --preset draft --ab --aes --quiet
  "$server" publish "$demo/package" --creator creator --title "Test Pattern in Colour" \
    --description "A minute of test pattern: buy it with the demo buyer and watch your name move." \
    --price 4.99 --currency USD --affiliate-bps 2000
  "$server" credit buyer 20.00 USD --memo "Demo credit"
  rm -rf "$demo"
  touch "$data_dir/.demo-content"
fi

cat <<MSG

  Reelgate is running at $url   (health: $url/healthz)
  Demo accounts (password): admin (demo-admin-password), creator (demo-creator-password),
                            buyer (demo-buyer-password)
  A demo film is on sale; buyer has 20.00 USD to buy it with. Leak trace of a recording:
    $server trace RECORDING.mp4 --video VIDEO_ID
  Data (database, videos): $data_dir
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
