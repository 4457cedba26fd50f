# Shared by the bench scripts (sourced, never run). After sourcing:
#   $work    a private temporary directory, removed on exit (kept with BENCH_KEEP=1, and named)
#   pids     an array: every pid put there gets SIGTERM on exit
#   free_port, cpu_of PATTERN, cpu_of_pids PID..., rss_kib PID
work="$(mktemp -d)"
chmod 711 "$work"
pids=()
bench_cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap bench_cleanup EXIT
[ -n "${BENCH_KEEP:-}" ] && trap - EXIT && echo "work dir: $work" >&2

# A free loopback port below the ephemeral range (a load client's own ports never collide).
free_port() {
  local port
  while :; do
    port=$(( 20000 + RANDOM % 12000 ))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}
# CPU seconds (user + system) used so far by the given processes.
cpu_of_pids() {
  local tick total=0 pid
  tick=$(getconf CLK_TCK)
  for pid in "$@"; do
    [ -r "/proc/$pid/stat" ] || continue
    total=$(( total + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0) ))
  done
  echo "$total $tick" | awk '{printf "%.3f", $1 / $2}'
}
# ... by every process whose command line mentions $1.
cpu_of() { cpu_of_pids $(pgrep -f -- "$1"); }
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
