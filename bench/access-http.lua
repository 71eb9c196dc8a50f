-- wrk script for bench/access-http.sh: GET one person's route per request, cycling through
-- the keys in KEYS_FILE (one per line), with the session cookie from COOKIE. Answers of 400
-- and above count as errors (wrk's summary.errors.status), so that refusals cannot pass for
-- speed.
local keys = {}
local route = os.getenv("ROUTE_SUFFIX") or ""
local cookie = os.getenv("COOKIE") or ""
local next_key = 1

for line in io.lines(os.getenv("KEYS_FILE")) do
	keys[#keys + 1] = line
end

function init(args)
	-- Each thread starts elsewhere in the list.
	next_key = (math.random(#keys) - 1) % #keys + 1
end

function request()
	local key = keys[next_key]
	next_key = next_key % #keys + 1
	return wrk.format("GET", "/api/v1/persons/" .. key .. route, {["Cookie"] = cookie})
end

function done(summary, latency, requests)
	io.write(string.format("p50_ms %.3f p99_ms %.3f rps %.0f errors %d\n",
		latency:percentile(50) / 1000, latency:percentile(99) / 1000,
		summary.requests / (summary.duration / 1e6),
		summary.errors.status + summary.errors.connect + summary.errors.read +
		summary.errors.write + summary.errors.timeout))
end
