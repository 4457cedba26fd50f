#!/usr/bin/env bash
# Benchmark: reelgate-server start-to-healthy (fresh and existing data dir) and idle memory,
# each beside a reference measured in the same run on the same machine:
#   start  -> plain PostgreSQL (initdb when fresh) started until it accepts connections
#   memory -> the idle PostgreSQL postmaster's resident memory
# Prints a table; targets are reported, never asserted (timing is not a test verdict).
# Usage: bench_server_start.sh /path/to/reelgate-server [runs]
set -euo pipefail
server="$1"
runs="${2:-5}"
pgbin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
source "$(dirname "$0")/bench_lib.sh"

as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }

# Starts the server; echoes "<ms-to-healthy> <pid>".
start_server() {
  local dir="$1" log="$1.log" t0 url
  t0=$(now_ms)
  "$server" --listen 127.0.0.1:0 --data-dir "$dir" --log-level info >"$log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 3000); do
    url=$(grep -o 'listening on http://[^ ]*' "$log" | sed 's/listening on //' || true)
    if [ -n "$url" ] && curl -fsS "$url/healthz" >/dev/null 2>&1; then
      echo "$(( $(now_ms) - t0 )) $pid $url"
      return
    fi
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.01
  done
  echo "server did not become healthy" >&2; exit 1
}
stop_pid() { kill -TERM "$1"; while kill -0 "$1" 2>/dev/null; do sleep 0.01; done; }

# Reference: PostgreSQL alone. Echoes "<ms-to-ready> <pid>".
start_pg() {
  local cluster="$1" sock="$2" fresh="$3" t0
  t0=$(now_ms)
  if [ "$fresh" = 1 ]; then
    mkdir -p "$cluster" "$sock"; [ "$(id -u)" -eq 0 ] && chown postgres: "$cluster" "$sock"
    as_pg "$pgbin/initdb" -D "$cluster" -U reelgate -E UTF8 --locale=C --auth-local=trust \
      --auth-host=reject --no-instructions >/dev/null
  fi
  as_pg "$pgbin/postgres" -D "$cluster" -k "$sock" -p 5432 -c listen_addresses= >"$work/pg.log" 2>&1 &
  local pid=$!
  until "$pgbin/pg_isready" -q -h "$sock" -p 5432; do sleep 0.01; done
  # runuser forks: report the postmaster's own pid
  local pm; pm=$(head -1 "$cluster/postmaster.pid")
  echo "$(( $(now_ms) - t0 )) $pm"
}
stop_pg() { kill -INT "$1"; while kill -0 "$1" 2>/dev/null; do sleep 0.01; done; }

fresh=(); existing=(); ref_fresh=(); ref_existing=()
for i in $(seq 1 "$runs"); do
  read -r ms pid _ < <(start_server "$work/fresh$i"); stop_pid "$pid"; fresh+=("$ms")
  read -r ms pid _ < <(start_server "$work/fresh$i"); stop_pid "$pid"; existing+=("$ms")
  read -r ms pid < <(start_pg "$work/pg$i" "$work/sock$i" 1); stop_pg "$pid"; ref_fresh+=("$ms")
  read -r ms pid < <(start_pg "$work/pg$i" "$work/sock$i" 0); stop_pg "$pid"; ref_existing+=("$ms")
done

# Idle memory: a started server after a few requests, beside the idle postmaster.
read -r _ spid url < <(start_server "$work/mem"); pids+=("$spid")
for _ in $(seq 1 50); do curl -fsS "$url/healthz" >/dev/null; done
sleep 1
server_kb=$(rss_kib "$spid")
pm_pid=$(head -1 "$work/mem/pg/postmaster.pid")
pm_kb=$(rss_kib "$pm_pid")
stop_pid "$spid"

m_fresh=$(printf '%s\n' "${fresh[@]}" | median)
m_existing=$(printf '%s\n' "${existing[@]}" | median)
m_ref_fresh=$(printf '%s\n' "${ref_fresh[@]}" | median)
m_ref_existing=$(printf '%s\n' "${ref_existing[@]}" | median)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "-" }'; }
verdict() { awk -v v="$1" -v t="$2" 'BEGIN { print (v <= t) ? "met" : "MISSED" }'; }

echo
echo "reelgate-server start and memory (median of $runs runs; reference measured in this run)"
printf '%-34s %12s %14s %8s %12s %7s\n' "measure" "reelgate" "reference" "ratio" "target" "status"
printf '%-34s %10sms %12sms %8s %12s %7s\n' "start-to-healthy, existing data" "$m_existing" "$m_ref_existing" "$(ratio "$m_existing" "$m_ref_existing")" "< 2000 ms" "$(verdict "$m_existing" 2000)"
printf '%-34s %10sms %12sms %8s %12s %7s\n' "start-to-healthy, fresh data dir" "$m_fresh" "$m_ref_fresh" "$(ratio "$m_fresh" "$m_ref_fresh")" "-" "-"
printf '%-34s %10sMB %12sMB %8s %12s %7s\n' "idle RSS (server only, no postgres)" "$(awk -v k="$server_kb" 'BEGIN{printf "%.1f", k/1024}')" "$(awk -v k="$pm_kb" 'BEGIN{printf "%.1f", k/1024}')" "$(ratio "$server_kb" "$pm_kb")" "< 30 MB" "$(verdict "$server_kb" 30720)"
echo "reference: plain PostgreSQL start (initdb + postgres when fresh) until it accepts connections;"
echo "           memory reference is the idle PostgreSQL postmaster of the same run"
