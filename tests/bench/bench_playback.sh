#!/usr/bin/env bash
# Benchmark: what playback costs the server, each figure beside a reference from the same run.
#   segments  -> reelgate-server serving one session's segment (auth, A/B choice, file stream)
#                beside nginx serving the same segment file (sendfile), wrk on loopback, same
#                connections and threads; target: at least 0.8x nginx's throughput; also the
#                production layout: nginx in front, the server authorizes and answers
#                X-Accel-Redirect, nginx sends the file (installers/nginx/reelgate.conf)
#   playlists -> per-session media playlist requests/s beside nginx serving the package playlist
#   viewers   -> CPU time (server + its PostgreSQL) to start 100 playback sessions and serve
#                their master and media playlists, beside the CPU time of ONE per-viewer FFmpeg
#                re-encode of the same video with the username burned in (the approach replaced)
# Prints a table; targets are reported, never asserted (timing is not a test verdict).
# Usage: bench_playback.sh reelgate-server reelgate-encode [seconds-per-wrk-run]
set -euo pipefail
server="$1"
encode="$2"
secs="${3:-8}"
for tool in nginx wrk ffmpeg curl; do
  command -v "$tool" >/dev/null || { echo "bench_playback: $tool is missing" >&2; exit 1; }
done
source "$(dirname "$0")/bench_lib.sh"
# wrk's "Requests/sec" and "Transfer/sec" (as MB/s) for a URL.
run_wrk() {
  local url="$1"; shift
  wrk -t2 -c16 -d"${secs}s" --latency "$@" "$url" >"$work/wrk.out" 2>&1 || { cat "$work/wrk.out" >&2; exit 1; }
  local rps mbps non2xx
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$work/wrk.out")
  mbps=$(awk '/^Transfer\/sec:/ {v=$2; if (v ~ /GB$/) v*=1024; else if (v ~ /KB$/) v/=1024; else v+=0; print v}' "$work/wrk.out")
  non2xx=$(awk '/Non-2xx/ {print $5}' "$work/wrk.out")
  if [ -n "$non2xx" ]; then echo "wrk saw $non2xx failed responses for $url" >&2; cat "$work/wrk.out" >&2; exit 1; fi
  echo "$rps $mbps"
}

# A real package: 12 s of 1280x720 with audio, default ladder (240p..720p), A/B and AES.
ffmpeg -v error -y -f lavfi -i testsrc2=size=1280x720:rate=30:duration=12 \
  -f lavfi -i sine=frequency=440:sample_rate=48000:duration=12 \
  -c:v libx264 -preset ultrafast -crf 18 -pix_fmt yuv420p -c:a aac "$work/source.mp4"
"$encode" transcode "$work/source.mp4" "$work/pkg" --ab --aes --quiet

# The server with a buyer who owns the video and one playback session.
port=$(free_port)
data="$work/data"
"$server" --listen "127.0.0.1:$port" --data-dir "$data" --log-level warn >"$work/server.log" 2>&1 &
pids+=($!)
base="http://127.0.0.1:$port"
for _ in $(seq 1 600); do curl -fsS "$base/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fsS -o /dev/null "$base/healthz" || { cat "$work/server.log" >&2; exit 1; }
cli() { "$server" "$@" --data-dir "$data"; }
json() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; }
curl -fsS -o /dev/null -H 'Content-Type: application/json' "$base/api/auth/register" \
  -d '{"username":"maker","email":"maker@example.com","password":"long password 123"}'
token_of() {
  curl -fsS -H 'Content-Type: application/json' "$base/api/auth/tokens" \
    -d "{\"login\":\"$1\",\"password\":\"long password 123\"}" | json token
}
maker=$(token_of maker)
curl -fsS -o /dev/null -H "Authorization: Bearer $maker" -H "Content-Type: application/json" -d "{}" "$base/api/me/creator"
video=$(cli publish "$work/pkg" --creator maker --title Bench --price 1.00 --currency USD | awk '{print $2}')
curl -fsS -o /dev/null -H 'Content-Type: application/json' "$base/api/auth/register" \
  -d '{"username":"viewer","email":"viewer@example.com","password":"long password 123"}'
cli credit viewer 100.00 USD >/dev/null
viewer=$(token_of viewer)
auth=(-H "Authorization: Bearer $viewer")
curl -fsS -o /dev/null -d "" "${auth[@]}" -H "Idempotency-Key: bench-1" "$base/api/videos/$video/purchase"
session=$(curl -fsS -d "" "${auth[@]}" "$base/api/videos/$video/play" | json id)
pkgdir="$data/videos/$(ls "$data/videos")"
rendition=720p
[ -d "$pkgdir/$rendition" ] || rendition=$(ls "$pkgdir" | grep p$ | sort -V | tail -1)
segment_bytes=$(stat -c %s "$pkgdir/$rendition/a/2.ts")

# nginx serving the same package folder (static files, sendfile), same machine, same loopback.
nport=$(free_port)
mkdir -p "$work/nginx/logs"
nginx_user=""
[ "$(id -u)" -eq 0 ] && nginx_user="user root;" # the data dir is private to its owner
cat >"$work/nginx/nginx.conf" <<EOF
$nginx_user
worker_processes 2;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  types { video/mp2t ts; application/vnd.apple.mpegurl m3u8; }
  server {
    listen 127.0.0.1:$nport;
    root $pkgdir;
  }
}
EOF
nginx -e "$work/nginx/logs/error.log" -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' &
pids+=($!)
for _ in $(seq 1 100); do curl -fsS -o /dev/null "http://127.0.0.1:$nport/master.m3u8" 2>/dev/null && break; sleep 0.05; done

read -r ours_seg_rps ours_seg_mbps < <(run_wrk "$base/play/$session/$rendition/2.ts" "${auth[@]}")
read -r ngx_seg_rps ngx_seg_mbps < <(run_wrk "http://127.0.0.1:$nport/$rendition/a/2.ts")
read -r ours_pl_rps _ < <(run_wrk "$base/play/$session/$rendition/index.m3u8" "${auth[@]}")
read -r ngx_pl_rps _ < <(run_wrk "http://127.0.0.1:$nport/$rendition/a.m3u8")

# The production layout (installers/nginx): nginx in front, reelgate-server authorizes each
# segment and answers X-Accel-Redirect, nginx sends the file. Same data dir, server restarted.
kill -TERM "${pids[0]}"; wait "${pids[0]}" 2>/dev/null || true
"$server" --listen "127.0.0.1:$port" --data-dir "$data" --log-level warn \
  --accel-redirect /_reelgate_videos/ >"$work/server2.log" 2>&1 &
pids[0]=$!
for _ in $(seq 1 600); do curl -fsS "$base/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fsS -o /dev/null "$base/healthz" || { cat "$work/server2.log" >&2; exit 1; }
fport=$(free_port)
cat >"$work/nginx/front.conf" <<EOF
$nginx_user
worker_processes 2;
pid $work/nginx/front.pid;
error_log $work/nginx/logs/front-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  upstream reelgate { server 127.0.0.1:$port; keepalive 64; }
  server {
    listen 127.0.0.1:$fport;
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
EOF
nginx -e "$work/nginx/logs/front-error.log" -p "$work/nginx" -c "$work/nginx/front.conf" -g 'daemon off;' &
pids+=($!)
for _ in $(seq 1 100); do curl -fsS -o /dev/null "http://127.0.0.1:$fport/healthz" 2>/dev/null && break; sleep 0.05; done
front_bytes=$(curl -fsS "${auth[@]}" "http://127.0.0.1:$fport/play/$session/$rendition/2.ts" | wc -c)
b_bytes=$(stat -c %s "$pkgdir/$rendition/b/2.ts")
[ "$front_bytes" -eq "$segment_bytes" ] || [ "$front_bytes" -eq "$b_bytes" ] ||
  { echo "nginx front served $front_bytes bytes, not segment 2 (A $segment_bytes or B $b_bytes)" >&2; exit 1; }
read -r front_seg_rps front_seg_mbps < <(run_wrk "http://127.0.0.1:$fport/play/$session/$rendition/2.ts" "${auth[@]}")

# 100 playback sessions from 5 buyers (sign-ups are rate-limited per address, so the stream
# limit is raised to 20 by an admin instead of signing up 100 people from one address).
echo "long password 123" | cli admin create root root@example.com >/dev/null
admin=$(token_of root)
curl -fsS -o /dev/null -X PUT -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
  -d '{"max_streams_per_user":20}' "$base/api/admin/settings"
sleep 6 # settings are cached for up to 5 s
tokens=()
for i in $(seq 1 5); do
  curl -fsS -o /dev/null -H 'Content-Type: application/json' "$base/api/auth/register" \
    -d "{\"username\":\"viewer$i\",\"email\":\"viewer$i@example.com\",\"password\":\"long password 123\"}"
  cli credit "viewer$i" 1.00 USD >/dev/null
  tokens+=("$(token_of "viewer$i")")
  curl -fsS -o /dev/null -d "" -H "Authorization: Bearer ${tokens[-1]}" \
    -H "Idempotency-Key: bench-$i" "$base/api/videos/$video/purchase"
done
cpu_before=$(cpu_of "$data")
for i in $(seq 0 99); do
  h="Authorization: Bearer ${tokens[$(( i % 5 ))]}"
  s=$(curl -fsS -d "" -H "$h" "$base/api/videos/$video/play" | json id)
  curl -fsS -o /dev/null -H "$h" "$base/play/$s/master.m3u8" \
    -o /dev/null -H "$h" "$base/play/$s/$rendition/index.m3u8"
done
cpu_after=$(cpu_of "$data")
viewers_cpu=$(awk -v a="$cpu_before" -v b="$cpu_after" 'BEGIN {printf "%.3f", b - a}')

# The approach replaced: one FFmpeg re-encode per viewer with the username burned in.
font=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
TIMEFORMAT='%U %S'
burn_cpu=$( { time ffmpeg -v error -y -i "$work/source.mp4" \
  -vf "drawtext=fontfile=$font:text='viewer42':fontcolor=white@0.4:fontsize=28:x=40:y=40" \
  -c:v libx264 -preset veryfast -c:a copy -f mpegts /dev/null; } 2>&1 | tail -1 | awk '{printf "%.3f", $1 + $2}')

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "n/a" }'; }
echo
echo "Playback cost ($rendition segment of $segment_bytes bytes, wrk -t2 -c16 ${secs}s, loopback)"
printf '%-44s %14s %14s %9s\n' "measure" "reelgate" "reference" "ratio"
printf '%-44s %14s %14s %9s\n' "segment requests/s (ref: nginx sendfile)" "$ours_seg_rps" "$ngx_seg_rps" "$(ratio "$ours_seg_rps" "$ngx_seg_rps")"
printf '%-44s %14s %14s %9s\n' "segment MB/s (target >= 0.80x)" "$ours_seg_mbps" "$ngx_seg_mbps" "$(ratio "$ours_seg_mbps" "$ngx_seg_mbps")"
printf '%-44s %14s %14s %9s\n' "segment MB/s, nginx front + X-Accel-Redirect" "$front_seg_mbps" "$ngx_seg_mbps" "$(ratio "$front_seg_mbps" "$ngx_seg_mbps")"
printf '%-44s %14s %14s %9s\n' "playlist requests/s (per-session vs file)" "$ours_pl_rps" "$ngx_pl_rps" "$(ratio "$ours_pl_rps" "$ngx_pl_rps")"
printf '%-44s %14s %14s %9s\n' "CPU s: 100 viewers vs 1 FFmpeg burn-in" "$viewers_cpu" "$burn_cpu" "$(ratio "$viewers_cpu" "$burn_cpu")"
awk -v a="$viewers_cpu" -v b="$burn_cpu" 'BEGIN { if (a > 0) printf "one burn-in re-encode costs as much CPU as %.0f viewers starting playback here\n", 100 * b / a }'
