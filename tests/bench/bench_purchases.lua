-- wrk script for bench_payments.sh: wallet purchases, each buyer meeting each video at most
-- once across all threads (pair number = thread + threads * n; 79 must be prime to the number
-- of videos), a fresh Idempotency-Key each.
-- Arguments (after --): tokens file, videos file, run nonce, wrk's thread count. Prints one
-- JSON line when done.
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

local function lines(path)
  local out = {}
  for line in io.lines(path) do
    if line ~= "" then table.insert(out, line) end
  end
  return out
end

function init(args)
  tokens = lines(args[1])
  videos = lines(args[2])
  nonce = args[3]
  nthreads = tonumber(args[4])
  statuses = {}
end

function request()
  local pair = id + nthreads * counter
  counter = counter + 1
  local buyer = pair % #tokens
  -- Each buyer goes through the videos in its own order (a stride prime to their count), so
  -- requests in flight together are for different videos and creators, as the node client's
  -- shuffled orders are.
  local video = (math.floor(pair / #tokens) + buyer * 79) % #videos
  buyer, video = tokens[buyer + 1], videos[video + 1]
  return wrk.format("POST", "/api/videos/" .. video .. "/purchase",
                    { ["Authorization"] = "Bearer " .. buyer,
                      ["Idempotency-Key"] = nonce .. "-" .. id .. "-" .. counter })
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    local s = thread:get("statuses")
    for status, n in pairs(s) do counts[status] = (counts[status] or 0) + n end
  end
  local parts = {}
  for status, n in pairs(counts) do table.insert(parts, string.format('"%d":%d', status, n)) end
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write +
                 summary.errors.timeout
  io.write(string.format('{"ok":%d,"seconds":%.3f,"p50_ms":%.3f,"p99_ms":%.3f,"errors":%d,' ..
                         '"statuses":{%s}}\n', counts[201] or 0, summary.duration / 1e6,
                         latency:percentile(50) / 1000, latency:percentile(99) / 1000, errors,
                         table.concat(parts, ",")))
end
