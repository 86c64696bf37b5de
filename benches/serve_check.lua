-- wrk script for benches/serve.sh: POST the 300-character draft to /v1/check.
local f = assert(io.open(os.getenv("DRAFT_FILE") or "benches/serve_draft.txt", "r"))
local text = f:read("*a")
f:close()
text = text:gsub("\\", "\\\\"):gsub('"', '\\"'):gsub("\n", "\\n")
wrk.method = "POST"
wrk.path = "/v1/check"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"text":"' .. text .. '","platform":"linkedin"}'

-- Only a summary at the end: a per-response callback would slow wrk down.
done = function(summary, latency, requests)
  io.write(string.format("requests %d\n", summary.requests))
  io.write(string.format("non2xx %d\n", summary.errors.status))
  io.write(string.format("socket_errors %d\n", summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
  io.write(string.format("p50_us %.0f\n", latency:percentile(50)))
  io.write(string.format("p99_us %.0f\n", latency:percentile(99)))
  io.write(string.format("rps %.0f\n", summary.requests / (summary.duration / 1e6)))
end
