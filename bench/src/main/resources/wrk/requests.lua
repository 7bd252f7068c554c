-- wrk script for bin/bench: replays a requests file (first script argument) whose lines are
--   METHOD PATH TOKEN [JSON body]
-- with the token (minted before the run) as a bearer token. Each thread starts at its own offset and
-- walks the file round. done() prints one machine-readable line for the driver.
local entries = {}
local i = 0

function init(args)
  for line in io.lines(args[1]) do
    local method, path, token, body = line:match("^(%S+) (%S+) (%S+) ?(.*)$")
    if method then
      local headers = {["Authorization"] = "Bearer " .. token, ["Accept"] = "application/json"}
      if body == "" then
        body = nil
      else
        headers["Content-Type"] = "application/json"
      end
      entries[#entries + 1] = wrk.format(method, path, headers, body)
    end
  end
  i = math.random(#entries)
end

function request()
  i = i % #entries + 1
  return entries[i]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d connect=%d read=%d write=%d status=%d timeout=%d p50_us=%d p99_us=%d p999_us=%d max_us=%d\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), latency:percentile(99.9), latency.max))
end
