#!/usr/bin/env bash
# Benchmark: viewers at scale (issue "Viewers at scale"), each figure beside nginx in the same run.
#   paced viewers -> N players, each with its own playback session and keep-alive connection,
#                    one segment every segment duration (4 s) as hls.js does in steady state,
#                    N = 1,000 and 10,000: reelgate-server directly, nginx serving the same
#                    files, and the production layout (nginx in front, X-Accel-Redirect).
#                    First-byte and segment latency p50/p99/max, stalls (a segment slower than
#                    its duration), errors. Target at 10,000: no stall, no error, p99 <= 2x nginx.
#   memory        -> server RSS with N connections open and per connection (target <= 64 KB).
#   events        -> one event to 10,000 open event streams: delivery p50/p99/max (target p99
#                    under 500 ms).
# Prints a table; targets are reported, never asserted (timing is not a test verdict).
# Usage: bench_viewers.sh reelgate-server reelgate-encode bench_viewers [seconds-per-run]
set -euo pipefail
server="$1"
encode="$2"
client="$3"
secs="${4:-24}"
segment_ms=4000
for tool in nginx ffmpeg curl psql; do
  command -v "$tool" >/dev/null || { echo "bench_viewers: $tool is missing" >&2; exit 1; }
done
ulimit -n "$(ulimit -Hn)"
[ "$(ulimit -n)" -ge 12000 ] || { echo "bench_viewers: descriptor limit $(ulimit -n) < 12000" >&2; exit 1; }
work="$(mktemp -d)"
chmod 711 "$work"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
[ -n "${BENCH_KEEP:-}" ] && trap - EXIT && echo "work dir: $work" >&2

free_port() {
  local port
  while :; do
    port=$(( 20000 + RANDOM % 12000 )) # below the ephemeral range the load client uses
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}
# CPU seconds (user + system) used so far by the processes whose command line mentions $1.
cpu_of() {
  local tick total=0 pid
  tick=$(getconf CLK_TCK)
  for pid in $(pgrep -f -- "$1"); do
    [ -r "/proc/$pid/stat" ] || continue
    total=$(( total + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0) ))
  done
  echo "$total $tick" | awk '{printf "%.1f", $1 / $2}'
}
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
# Samples the RSS of $1 every 200 ms into $2 until killed.
sample_rss() { while :; do rss_kib "$1" >>"$2"; sleep 0.2; done; }
field() { tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p"; }

# A package of 12 s (three 4 s segments) at 640x360; viewers fetch its lowest rendition.
ffmpeg -v error -y -f lavfi -i testsrc2=size=640x360:rate=30:duration=12 \
  -f lavfi -i sine=frequency=440:sample_rate=48000:duration=12 \
  -c:v libx264 -preset ultrafast -crf 23 -pix_fmt yuv420p -c:a aac "$work/source.mp4"
"$encode" transcode "$work/source.mp4" "$work/pkg" --ab --quiet

port=$(free_port)
data="$work/data"
start_server() {
  "$server" --listen "127.0.0.1:$port" --data-dir "$data" --log-level warn "$@" >>"$work/server.log" 2>&1 &
  server_pid=$!
  pids[0]=$server_pid
  for _ in $(seq 1 600); do curl -fsS -o /dev/null "$base/healthz" 2>/dev/null && break; sleep 0.1; done
  curl -fsS -o /dev/null "$base/healthz" || { cat "$work/server.log" >&2; exit 1; }
}
base="http://127.0.0.1:$port"
start_server
cli() { "$server" "$@" --data-dir "$data"; }
sql() { psql -qAt "postgresql:///reelgate?host=$data/run&user=reelgate" -c "$1"; }
json() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; }
curl -fsS -o /dev/null -H 'Content-Type: application/json' "$base/api/auth/register" \
  -d '{"username":"maker","email":"maker@example.com","password":"long password 123"}'
maker=$(curl -fsS -H 'Content-Type: application/json' "$base/api/auth/tokens" \
  -d '{"login":"maker","password":"long password 123"}' | json token)
curl -fsS -o /dev/null -H "Authorization: Bearer $maker" -H "Content-Type: application/json" -d "{}" "$base/api/me/creator"
video=$(cli publish "$work/pkg" --creator maker --title Viewers --price 1.00 --currency USD | awk '{print $2}')
pkgdir="$data/videos/$(ls "$data/videos")"
rendition=$(ls "$pkgdir" | grep 'p$' | sort -V | head -1)
segments=$(ls "$pkgdir/$rendition/a" | grep -c '\.ts$')
segment_bytes=$(stat -c %s "$pkgdir/$rendition/a/0.ts")

# 10,000 playback sessions need 500 viewers (20 streams each, the most an admin may allow).
# Sign-ups are rate-limited per address and cost an Argon2 hash each, so the viewers, their
# tokens and their access (allowlist) are written straight into the database.
max_viewers=10000
users=$(( max_viewers / 20 ))
sql "INSERT INTO users (username, username_norm, email, email_norm, password_hash)
     SELECT 'bench' || g, 'bench' || g, 'bench' || g || '@example.com', 'bench' || g || '@example.com',
            (SELECT password_hash FROM users WHERE username = 'maker')
     FROM generate_series(1, $users) g;
     INSERT INTO auth_sessions (user_id, token_hash, kind, label, expires_at)
     SELECT id, encode(sha256(convert_to('rgt_benchmark_viewer_' || username, 'UTF8')), 'hex'), 'token', 'bench',
            now() + interval '1 day' FROM users WHERE username LIKE 'bench%';
     INSERT INTO video_allowlist (video_id, user_id)
     SELECT v.id, u.id FROM videos v, users u WHERE v.public_id = '$video' AND u.username LIKE 'bench%';
     INSERT INTO platform_settings (key, value) VALUES ('max_streams_per_user', '20')
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value;"
sql "SELECT 'rgt_benchmark_viewer_' || username FROM users WHERE username LIKE 'bench%' ORDER BY id" >"$work/tokens"
sleep 6 # settings are cached for up to 5 s
"$client" sessions 127.0.0.1 "$port" "$video" "$work/tokens" 20 >"$work/sessions"
[ "$(wc -l <"$work/sessions")" -eq "$max_viewers" ] ||
  { echo "only $(wc -l <"$work/sessions") of $max_viewers playback sessions started" >&2; exit 1; }
awk -v r="$rendition" -v s="$segments" '{print "/play/" $1 "/" r "/", s, $2}' "$work/sessions" >"$work/paths.server"
awk -v r="$rendition" -v s="$segments" '{print "/" r "/a/", s}' "$work/sessions" >"$work/paths.nginx"

# nginx serving the same package folder (static files, sendfile), same machine, same loopback.
nport=$(free_port)
mkdir -p "$work/nginx/logs"
nginx_user=""
[ "$(id -u)" -eq 0 ] && nginx_user="user root;" # the data dir is private to its owner
cat >"$work/nginx/nginx.conf" <<CONF
$nginx_user
worker_processes 2;
worker_rlimit_nofile 20000;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 19000; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_timeout 75s;
  types { video/mp2t ts; }
  server { listen 127.0.0.1:$nport backlog=4096; root $pkgdir; }
}
CONF
nginx -e "$work/nginx/logs/error.log" -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' &
pids+=($!)
for _ in $(seq 1 100); do curl -fsS -o /dev/null "http://127.0.0.1:$nport/$rendition/a/0.ts" 2>/dev/null && break; sleep 0.05; done

declare -A result
run_viewers() { # name port pathsfile count -> result[name]
  head -n "$4" "$3" >"$work/paths.run"
  : >"$work/rss.samples"
  sample_rss "$server_pid" "$work/rss.samples" & local sampler=$!
  local server_cpu pg_cpu nginx_cpu
  server_cpu=$(cpu_of "$server --listen"); pg_cpu=$(cpu_of "$data/pg"); nginx_cpu=$(cpu_of "nginx: worker")
  result[$1]=$("$client" viewers 127.0.0.1 "$2" "$work/paths.run" "$secs" "$segment_ms")
  kill "$sampler"; wait "$sampler" 2>/dev/null || true
  result[$1.rss]=$(sort -n "$work/rss.samples" | tail -1)
  result[$1.cpu]=$(awk -v s0="$server_cpu" -v s1="$(cpu_of "$server --listen")" -v p0="$pg_cpu" \
    -v p1="$(cpu_of "$data/pg")" -v n0="$nginx_cpu" -v n1="$(cpu_of "nginx: worker")" \
    'BEGIN {printf "server %.1f s, PostgreSQL %.1f s, nginx %.1f s", s1 - s0, p1 - p0, n1 - n0}')
  echo "$1: ${result[$1]} (CPU: ${result[$1.cpu]})" >&2
}
rss_idle=$(rss_kib "$server_pid")
for n in 1000 10000; do
  run_viewers "server$n" "$port" "$work/paths.server" "$n"
  run_viewers "nginx$n" "$nport" "$work/paths.nginx" "$n"
done

# Event fan-out: 10,000 streams of one user, one ping.
: >"$work/rss.samples"
sample_rss "$server_pid" "$work/rss.samples" & sampler=$!
events=$("$client" events 127.0.0.1 "$port" 10000 "$maker")
kill "$sampler"; wait "$sampler" 2>/dev/null || true
events_rss=$(sort -n "$work/rss.samples" | tail -1)
echo "events: $events" >&2

# The production layout (installers/nginx): nginx in front, the server authorizes each segment
# and answers X-Accel-Redirect, nginx sends the file. Same data dir, server restarted.
kill -TERM "$server_pid"; wait "$server_pid" 2>/dev/null || true
start_server --accel-redirect /_reelgate_videos/
fport=$(free_port)
cat >"$work/nginx/front.conf" <<CONF
$nginx_user
worker_processes 2;
worker_rlimit_nofile 20000;
pid $work/nginx/front.pid;
error_log $work/nginx/logs/front-error.log warn;
events { worker_connections 19000; }
http {
  access_log off;
  keepalive_timeout 75s;
  upstream reelgate { server 127.0.0.1:$port; keepalive 64; keepalive_timeout 50s; }
  server {
    listen 127.0.0.1:$fport backlog=4096;
    location / {
      proxy_pass http://reelgate;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
    location /_reelgate_videos/ {
      internal;
      alias $data/videos/;
      sendfile on;
      tcp_nopush on;
      types { video/mp2t ts; }
    }
  }
}
CONF
nginx -e "$work/nginx/logs/front-error.log" -p "$work/nginx" -c "$work/nginx/front.conf" -g 'daemon off;' &
pids+=($!)
for _ in $(seq 1 100); do curl -fsS -o /dev/null "http://127.0.0.1:$fport/healthz" 2>/dev/null && break; sleep 0.05; done
run_viewers "front10000" "$fport" "$work/paths.server" 10000

row() { # label result-key
  local r="${result[$2]}"
  printf '%-26s %7s %6s %6s %8s %8s %8s %8s %8s %8s\n' "$1" "$(field "$r" requests)" \
    "$(field "$r" errors)" "$(field "$r" stalls)" "$(field "$r" first_byte_p50_ms)" \
    "$(field "$r" first_byte_p99_ms)" "$(field "$r" first_byte_max_ms)" \
    "$(field "$r" segment_p50_ms)" "$(field "$r" segment_p99_ms)" "$(field "$r" segment_max_ms)"
}
echo
echo "Paced viewers ($rendition segment of $segment_bytes bytes every ${segment_ms} ms, ${secs} s, own session and connection each, loopback)"
printf '%-26s %7s %6s %6s %8s %8s %8s %8s %8s %8s\n' "" "reqs" "errors" "stalls" "fb p50" "fb p99" "fb max" "seg p50" "seg p99" "seg max"
for n in 1000 10000; do
  row "reelgate, $n viewers" "server$n"
  row "nginx files, $n viewers" "nginx$n"
done
row "nginx front + reelgate, 10000" "front10000"
echo "CPU during each run:"
for key in server1000 nginx1000 server10000 nginx10000 front10000; do
  printf '  %-12s %s\n' "$key" "${result[$key.cpu]}"
done
p99() { field "${result[$1]}" segment_p99_ms; }
awk -v a="$(p99 server10000)" -v b="$(p99 nginx10000)" 'BEGIN { if (b > 0) printf "segment p99 at 10,000: reelgate %.2fx nginx (target <= 2x)\n", a / b }'
awk -v idle="$rss_idle" -v peak="${result[server10000.rss]}" 'BEGIN {
  printf "server RSS: %.1f MiB before viewers, %.1f MiB with 10,000 viewers: %.1f KB per connection (target <= 64 KB)\n",
    idle / 1024, peak / 1024, (peak - idle) * 1.024 / 10000 }'
echo "events to 10,000 streams: $(field "$events" delivered) delivered, p50 $(field "$events" delivery_p50_ms) ms, p99 $(field "$events" delivery_p99_ms) ms, max $(field "$events" delivery_max_ms) ms (target p99 < 500 ms); server RSS $(( events_rss / 1024 )) MiB"
