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
# Usage: bench_viewers.sh reelgate-server reelgate-encode bench_viewers [seconds-per-run] [ci]
# "ci": the size the test suite runs (installers/dev/test.sh prints it in CI's log): only the
# 10,000-viewer rows (directly, nginx, and behind nginx right after a restart) and the fan-out.
set -euo pipefail
server="$1"
encode="$2"
client="$3"
secs="${4:-24}"
size="${5:-full}"
segment_ms=4000
for tool in nginx ffmpeg curl psql; do
  command -v "$tool" >/dev/null || { echo "bench_viewers: $tool is missing" >&2; exit 1; }
done
ulimit -n "$(ulimit -Hn)"
if [ "$(ulimit -n)" -lt 12000 ]; then
  echo "bench_viewers: descriptor limit $(ulimit -n) < 12000: 10,000 viewers cannot be measured here" >&2
  [ "$size" = ci ] && exit 0 # the suite reports it and goes on; the benchmark command fails
  exit 1
fi
source "$(dirname "$0")/bench_lib.sh"
# The embedded PostgreSQL's processes: the postmaster and its children.
pg_pids() { local pm; pm=$(head -1 "$data/pg/postmaster.pid"); echo "$pm" $(pgrep -P "$pm"); }
# Samples the RSS of $1 every 200 ms into $2 until killed.
sample_rss() { while :; do rss_kib "$1" >>"$2"; sleep 0.2; done; }
field() { tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p"; }

# A package of 12 s (three 4 s segments); viewers fetch its lowest rendition.
ffmpeg -v error -y -f lavfi -i testsrc2=size=426x240:rate=30:duration=12 \
  -f lavfi -i sine=frequency=440:sample_rate=48000:duration=12 \
  -c:v libx264 -preset ultrafast -crf 30 -pix_fmt yuv420p -c:a aac -b:a 64k "$work/source.mp4"
"$encode" transcode "$work/source.mp4" "$work/pkg" --ab --segment-seconds 4 --quiet

# The server's own pages, copied, so that one segment can also be served as a plain file: the
# same bytes without the playback authorization (the connection layer alone).
cp -r "$(dirname "$0")/../../resources/web" "$work/web"
port=$(free_port)
data="$work/data"
start_server() {
  # The fan-out measures 10,000 streams of one user: above the default per-user limit.
  "$server" --listen "127.0.0.1:$port" --data-dir "$data" --log-level warn --web-dir "$work/web" \
    --event-streams-per-user 10000 "$@" >>"$work/server.log" 2>&1 &
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
cp "$pkgdir/$rendition/a/0.ts" "$work/web/static/segment.ts"

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
  server {
    listen 127.0.0.1:$nport backlog=4096;
    root $pkgdir;
    location /static/ { root $work/web; }
  }
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
  server_cpu=$(cpu_of_pids "$server_pid"); pg_cpu=$(cpu_of_pids $(pg_pids)); nginx_cpu=$(cpu_of "nginx: worker")
  result[$1]=$("$client" viewers 127.0.0.1 "$2" "$work/paths.run" "$secs" "$segment_ms")
  kill "$sampler"; wait "$sampler" 2>/dev/null || true
  result[$1.rss]=$(sort -n "$work/rss.samples" | tail -1)
  result[$1.cpu]=$(awk -v s0="$server_cpu" -v s1="$(cpu_of_pids "$server_pid")" -v p0="$pg_cpu" \
    -v p1="$(cpu_of_pids $(pg_pids))" -v n0="$nginx_cpu" -v n1="$(cpu_of "nginx: worker")" \
    'BEGIN {printf "server %.1f s, PostgreSQL %.1f s, nginx %.1f s", s1 - s0, p1 - p0, n1 - n0}')
  echo "$1: ${result[$1]} (CPU: ${result[$1.cpu]})" >&2
}
rss_idle=$(rss_kib "$server_pid")
sizes="1000 10000"
[ "$size" = ci ] && sizes="10000"
for n in $sizes; do
  run_viewers "server$n" "$port" "$work/paths.server" "$n"
  run_viewers "nginx$n" "$nport" "$work/paths.nginx" "$n"
done
if [ "$size" != ci ]; then
  awk 'BEGIN { for (i = 0; i < 10000; i++) print "/static/segment.ts 0" }' >"$work/paths.file"
  run_viewers "file10000" "$port" "$work/paths.file" 10000
  run_viewers "nginxfile10000" "$nport" "$work/paths.file" 10000
fi

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
# The shipped example itself, pointed at this run's ports and data dir (no TLS on loopback).
sed -e "s|listen 443 ssl http2;|listen 127.0.0.1:$fport backlog=4096;|" \
    -e "s|server 127.0.0.1:8080;|server 127.0.0.1:$port;|" \
    -e "s|alias /var/lib/reelgate/videos/;|alias $data/videos/;|" \
    "$(dirname "$0")/../../installers/nginx/reelgate.conf" >"$work/nginx/site.conf"
grep -q "127.0.0.1:$fport" "$work/nginx/site.conf" || { echo "installers/nginx/reelgate.conf changed shape" >&2; exit 1; }
printf '%s\nworker_processes 2;\nworker_rlimit_nofile 20000;\npid %s;\nerror_log %s warn;\n%s\n' \
  "$nginx_user" "$work/nginx/front.pid" "$work/nginx/logs/front-error.log" \
  "events { worker_connections 19000; } http { access_log off; include $work/nginx/site.conf; }" \
  >"$work/nginx/front.conf"
nginx -e "$work/nginx/logs/front-error.log" -p "$work/nginx" -c "$work/nginx/front.conf" -g 'daemon off;' &
pids+=($!)
for _ in $(seq 1 100); do curl -fsS -o /dev/null "http://127.0.0.1:$fport/healthz" 2>/dev/null && break; sleep 0.05; done
# Right after the restart every decision is made again (a herd of first requests asking the
# database); the warm run is the steady state.
# A restarted server loads every live decision when it listens for revocations (warm()): the
# cold rows measure that.
for n in $sizes; do
  run_viewers "front$n" "$fport" "$work/paths.server" "$n"
done
[ "$size" = ci ] || run_viewers "frontwarm10000" "$fport" "$work/paths.server" 10000

row() { # label result-key (a row that did not run is left out)
  [ -n "${result[$2]:-}" ] || return 0
  local r="${result[$2]}"
  printf '%-26s %7s %6s %6s %8s %8s %8s %8s %8s %8s %8s\n' "$1" "$(field "$r" requests)" \
    "$(field "$r" errors)" "$(field "$r" stalls)" "$(field "$r" first_byte_p50_ms)" \
    "$(field "$r" first_byte_p99_ms)" "$(field "$r" first_byte_max_ms)" \
    "$(field "$r" segment_p50_ms)" "$(field "$r" segment_p99_ms)" "$(field "$r" segment_max_ms)" \
    "$(field "$r" steady_p99_ms)"
}
echo
echo "Paced viewers ($rendition segment of $segment_bytes bytes every ${segment_ms} ms, ${secs} s, own session and connection each, loopback)"
printf '%-26s %7s %6s %6s %8s %8s %8s %8s %8s %8s %8s\n' "" "reqs" "errors" "stalls" "fb p50" "fb p99" "fb max" "seg p50" "seg p99" "seg max" "kept p99"
for n in 1000 10000; do
  row "reelgate, $n viewers" "server$n"
  row "nginx files, $n viewers" "nginx$n"
done
row "nginx front + reelgate, 1000" "front1000"
row "nginx front + reelgate, 10000" "front10000"
row "  the same, warm" "frontwarm10000"
row "reelgate file, 10000" "file10000"
row "nginx file, 10000" "nginxfile10000"
echo "(file: the same segment as a plain file, no playback authorization: the connection layer alone;"
echo " kept p99: segment p99 of requests on a connection already open, i.e. without each viewer's first)"
echo "CPU during each run:"
for key in server1000 nginx1000 server10000 nginx10000 front1000 front10000 frontwarm10000 file10000 nginxfile10000; do
  if [ -n "${result[$key.cpu]:-}" ]; then printf '  %-12s %s\n' "$key" "${result[$key.cpu]}"; fi
done
p99() { field "${result[$1]:-}" segment_p99_ms; }
awk -v a="$(p99 server10000)" -v b="$(p99 nginx10000)" -v c="$(p99 file10000)" -v d="$(p99 nginxfile10000)" \
  -v e="$(p99 front10000)" -v f="$(p99 frontwarm10000)" 'BEGIN {
    if (b <= 0) exit
    printf "segment p99 at 10,000: reelgate %.2fx nginx; behind nginx %.2fx", a / b, e / b
    if (f > 0) printf " (warm %.2fx)", f / b
    if (d > 0) printf "; as a plain file %.2fx", c / d
    printf " (target <= 2x)\n" }'
awk -v idle="$rss_idle" -v peak="${result[server10000.rss]}" 'BEGIN {
  printf "server RSS: %.1f MiB before viewers, %.1f MiB with 10,000 viewers: %.1f KB per connection (target <= 64 KB)\n",
    idle / 1024, peak / 1024, (peak - idle) * 1.024 / 10000 }'
echo "events to 10,000 streams: $(field "$events" delivered) delivered, p50 $(field "$events" delivery_p50_ms) ms, p99 $(field "$events" delivery_p99_ms) ms, max $(field "$events" delivery_max_ms) ms (target p99 < 500 ms); server RSS $(( events_rss / 1024 )) MiB"
