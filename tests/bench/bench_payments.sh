#!/usr/bin/env bash
# Benchmark: money in (issue 14), each figure beside a reference measured in the same run.
#   purchases      -> wallet purchases per second over HTTP (load from wrk, a C client like
#                     pgbench; bench_purchases.lua): BUYERS buyers, VIDEOS videos of
#                     CREATORS creators, CONCURRENCY keep-alive clients (bench_payments.mjs),
#                     each purchase one ledger transaction (buyer, creator, platform fee).
#   TPC-B          -> pgbench's built-in TPC-B (pgbench -i, then pgbench -T) with the same
#                     number of clients on the SAME embedded PostgreSQL, right after.
#                     Target: purchases/s >= 0.5x TPC-B tps.
#   notifications  -> signed Stripe checkout.session.completed events per second, each about
#                     a pending deposit opened through the Stripe STAND-IN (tests/standins),
#                     each posting one deposit.
# Prints a table; targets are reported, never asserted (timing is not a test verdict). Fails
# only when the benchmark cannot run or the ledger does not balance afterwards.
# Usage: bench_payments.sh reelgate-server [seconds-per-run] [concurrency]
set -euo pipefail
server="$1"
secs="${2:-10}"
concurrency="${3:-16}"
buyers=200
creators=20
videos=200
for tool in node curl psql pgbench wrk; do
  command -v "$tool" >/dev/null || { echo "bench_payments: $tool is missing" >&2; exit 1; }
done
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/bench_lib.sh"
client() { node "$here/bench_payments.mjs" "$@"; }
field() {
  node -e 'const v = JSON.parse(process.argv[1])[process.argv[2]];
           console.log(typeof v === "object" ? JSON.stringify(v) : v ?? "")' "$1" "$2"
}

# The Stripe stand-in, then the server pointed at it.
stripe_key="sk_test_bench_$RANDOM$RANDOM"
webhook_secret="whsec_bench_$RANDOM$RANDOM"
node "$here/../standins/stripe-standin.mjs" --secret-key "$stripe_key" \
  --webhook-secret "$webhook_secret" >"$work/stripe.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do grep -qs 'listening on' "$work/stripe.log" && break; sleep 0.1; done
stripe_url=$(sed -n 's/.*listening on //p' "$work/stripe.log")
[ -n "$stripe_url" ] || { cat "$work/stripe.log" >&2; exit 1; }

port=$(free_port)
base="http://127.0.0.1:$port"
data="$work/data"
"$server" --listen "127.0.0.1:$port" --data-dir "$data" --log-level warn \
  --stripe-secret-key "$stripe_key" --stripe-webhook-secret "$webhook_secret" \
  --stripe-api-url "$stripe_url" >>"$work/server.log" 2>&1 &
server_pid=$!
pids+=("$server_pid")
for _ in $(seq 1 600); do curl -fsS -o /dev/null "$base/healthz" 2>/dev/null && break; sleep 0.1; done
curl -fsS -o /dev/null "$base/healthz" || { cat "$work/server.log" >&2; exit 1; }
sql() { psql -qAt "postgresql:///reelgate?host=$data/run&user=reelgate" -v ON_ERROR_STOP=1 -c "$1"; }
pg_pids() { local pm; pm=$(head -1 "$data/pg/postmaster.pid"); echo "$pm" $(pgrep -P "$pm"); }

# People and videos. One account signs up for real; the rest copy its password hash (signing
# in is not what is measured), get a studio-style token each, and are credited through the
# server's own command (a ledger transaction each).
curl -fsS -o /dev/null -H 'Content-Type: application/json' "$base/api/auth/register" \
  -d '{"username":"bench_seed","email":"seed@example.com","password":"long password 123"}'
sql "INSERT INTO users (username, username_norm, email, email_norm, password_hash, is_creator)
     SELECT n, n, n || '@example.com', n || '@example.com',
            (SELECT password_hash FROM users WHERE username = 'bench_seed'), c
     FROM (SELECT 'buyer' || i AS n, false AS c FROM generate_series(1, $buyers) i
           UNION ALL SELECT 'maker' || i, true FROM generate_series(1, $creators) i) p;
     INSERT INTO auth_sessions (user_id, token_hash, kind, label, expires_at)
     SELECT id, encode(sha256(convert_to('rgt_bench_token_of_' || username, 'UTF8')), 'hex'), 'token',
            'bench', now() + interval '1 day' FROM users WHERE username LIKE 'buyer%';
     INSERT INTO videos (public_id, creator_id, title, price_minor, currency, state, published_at)
     SELECT 'benchvideo' || lpad(i::text, 6, '0'),
            (SELECT id FROM users WHERE username = 'maker' || (1 + i % $creators)),
            'Bench video ' || i, 10, 'USD', 'published', now()
     FROM generate_series(1, $videos) i;"
sql "SELECT 'rgt_bench_token_of_' || username FROM users WHERE username LIKE 'buyer%'" >"$work/tokens"
sql "SELECT public_id FROM videos WHERE public_id LIKE 'benchvideo%'" >"$work/videos"
seq 1 "$buyers" | xargs -P 2 -I{} "$server" credit "buyer{}" 100.00 USD --data-dir "$data" >/dev/null

# Wallet purchases, then TPC-B on the same cluster with as many clients.
# A warm-up on the first 20 videos, the profile on the next 20, the run on the others: no buyer
# meets a video twice.
head -20 "$work/videos" >"$work/videos-warm-up"
sed -n '21,40p' "$work/videos" >"$work/videos-profile"
tail -n +41 "$work/videos" >"$work/videos-run"
client purchases "$base" 2 "$concurrency" "$work/tokens" "$work/videos-warm-up" >/dev/null
cpu0=$(cpu_of_pids "$server_pid"); pg0=$(cpu_of_pids $(pg_pids))
# The run's load comes from wrk (a C client, as pgbench is: the node client would take a
# sixth of the two cores from the server and PostgreSQL).
wrk -t 2 -c "$concurrency" -d "${secs}s" --latency -s "$here/bench_purchases.lua" "$base" -- \
  "$work/tokens" "$work/videos-run" "run$RANDOM$RANDOM" 2 >"$work/wrk.log"
buy=$(grep '^{"ok"' "$work/wrk.log" | tail -1)
[ -n "$buy" ] || { cat "$work/wrk.log" >&2; exit 1; }
cpu1=$(cpu_of_pids "$server_pid"); pg1=$(cpu_of_pids $(pg_pids))

# Statements per purchase request (authentication included): one client for a second with
# every statement logged (log_min_duration_statement = 0), counting the executions.
pglog="$data/log/postgres.log"
sql "ALTER SYSTEM SET log_min_duration_statement = 0"; sql "SELECT pg_reload_conf()" >/dev/null
sleep 0.5 # the reload reaches the server's connections at their next statement
mark=$(wc -l <"$pglog")
profile=$(client purchases "$base" 1 1 "$work/tokens" "$work/videos-profile")
logged=$(tail -n +"$((mark + 1))" "$pglog" | grep -cE 'duration: [0-9.]+ ms +(execute|statement)' || true)
sql "ALTER SYSTEM RESET log_min_duration_statement"; sql "SELECT pg_reload_conf()" >/dev/null
per_purchase=$(awk -v n="$logged" -v k="$(field "$profile" ok)" 'BEGIN { printf "%.1f", n / k }')
sql "CREATE DATABASE bench_pgbench"
pgurl="postgresql:///bench_pgbench?host=$data/run&user=reelgate"
pgbench -q -i -s 4 "$pgurl" >"$work/pgbench-init.log" 2>&1
pgbench -n -c "$concurrency" -j 2 -T "$secs" "$pgurl" >"$work/pgbench.log" 2>&1 || {
  cat "$work/pgbench.log" >&2; exit 1; }
tpcb=$(sed -n 's/^tps = \([0-9]*\).*/\1/p' "$work/pgbench.log" | head -1)

# Notifications: pending Stripe deposits opened through the stand-in, then their events.
dep=$(client deposits "$base" "$concurrency" "$work/tokens" 10 "$work/deposits")
hooks=$(client webhooks "$base" "$concurrency" "$work/deposits" "$webhook_secret")

# The ledger still balances: every transaction sums to zero, every user balance is its entries
# (system accounts keep no balance row since sql/0015).
unbalanced=$(sql "SELECT count(*) FROM (SELECT transaction_id FROM ledger_entries
                  GROUP BY transaction_id HAVING sum(amount_minor) <> 0) t")
drift=$(sql "SELECT count(*) FROM ledger_accounts a WHERE a.user_id IS NOT NULL AND a.balance_minor <>
             (SELECT coalesce(sum(amount_minor), 0) FROM ledger_entries e WHERE e.account_id = a.id)")

ok=$(field "$buy" ok); took=$(field "$buy" seconds)
pps=$(awk -v n="$ok" -v s="$took" 'BEGIN { printf "%.0f", n / s }')
nok=$(field "$hooks" ok); ntook=$(field "$hooks" seconds)
nps=$(awk -v n="$nok" -v s="$ntook" 'BEGIN { printf "%.0f", n / s }')
ratio=$(awk -v a="$pps" -v b="$tpcb" 'BEGIN { printf "%.3f", a / b }')
verdict=$(awk -v a="$pps" -v b="$tpcb" 'BEGIN { print (a >= 0.5 * b ? "met" : "MISSED") }')
printf '\nMoney in on %s (%s cores), %s s per run, %s clients\n' "$(uname -m)" "$(nproc)" "$secs" "$concurrency"
printf '%-38s %12s %s\n' "measure" "value" "note"
printf '%-38s %12s %s\n' "wallet purchases/s (HTTP, real server)" "$pps" \
  "wrk, $ok ok of $buyers buyers x $((videos - 40)) videos; p50 $(field "$buy" p50_ms | cut -c1-5) ms, p99 $(field "$buy" p99_ms | cut -c1-6) ms; answers $(field "$buy" 'statuses' | tr -d '\n')"
printf '%-38s %12s %s\n' "pgbench TPC-B tps (same PostgreSQL)" "$tpcb" "scale 4, $concurrency clients"
printf '%-38s %12s %s\n' "purchases / TPC-B" "${ratio}x" "target >= 0.5x: $verdict"
printf '%-38s %12s %s\n' "statements per purchase request" "$per_purchase" \
  "one client, every statement logged ($(field "$profile" ok) purchases; authentication included)"
printf '%-38s %12s %s\n' "CPU s per 1000 purchases: server, pg" \
  "$(awk -v a="$cpu0" -v b="$cpu1" -v n="$ok" 'BEGIN { printf "%.2f", (b - a) * 1000 / n }')" \
  "postgres $(awk -v a="$pg0" -v b="$pg1" -v n="$ok" 'BEGIN { printf "%.2f", (b - a) * 1000 / n }')"
printf '%-38s %12s %s\n' "Stripe notifications/s (signed)" "$nps" \
  "$nok posted of $(field "$dep" ok) deposits opened at the stand-in"
printf '%-38s %12s %s\n' "ledger after the run" "$([ "$unbalanced$drift" = 00 ] && echo balanced || echo BROKEN)" \
  "$unbalanced unbalanced transactions, $drift drifted balances"
[ "$unbalanced$drift" = 00 ] && [ "$ok" -gt 0 ] && [ "$nok" -gt 0 ]
