-- wrk script of bench/cases_submit.py: each request submits the next draft of a list, once.
--   wrk -t1 -c8 -d600s -s bench/cases_submit.lua http://127.0.0.1:PORT -- IDS_FILE SESSION CSRF TAG
-- IDS_FILE has one draft id per line. Every draft is POSTed to /api/v1/cases/mine/<id>/submit/ with
-- the applicant's session cookie, the CSRF token and an Idempotency-Key "bench-<TAG>-<id>". When
-- the list is used up, the connections still open replay the first drafts with the same keys (the
-- server answers those from the idempotency record) until every draft has had its answer; then the
-- thread stops (wrk itself runs until its duration or SIGINT: bench/cases_submit_wrk.py sends
-- SIGINT once the server has received every draft). done() prints the answers by status and the latency percentiles as "key value".

local ids = {}
local next_index = 0
local answered = 0
codes = {} -- global: done() reads it from each thread
local session, csrf, tag

function init(args)
  for line in io.lines(args[1]) do
    if line ~= "" then
      ids[#ids + 1] = line
    end
  end
  session, csrf, tag = args[2], args[3], args[4]
end

function request()
  next_index = next_index + 1
  local id = ids[((next_index - 1) % #ids) + 1]
  return wrk.format("POST", "/api/v1/cases/mine/" .. id .. "/submit/", {
    ["Cookie"] = "sessionid=" .. session .. "; csrftoken=" .. csrf,
    ["X-CSRFToken"] = csrf,
    ["Referer"] = "http://" .. wrk.host .. ":" .. wrk.port .. "/",
    ["Idempotency-Key"] = "bench-" .. tag .. "-" .. id,
    ["Content-Length"] = "0",
  }, "")
end

function response(status, headers, body)
  answered = answered + 1
  codes[status] = (codes[status] or 0) + 1
  if answered >= #ids then
    wrk.thread:stop()
  end
end

local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
end

function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("codes")) do
      io.write(string.format("status_%d %d\n", status, n))
    end
  end
  io.write(string.format("requests %d\n", summary.requests))
  io.write(string.format("duration_us %d\n", summary.duration))
  io.write(string.format("errors %d\n", summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout))
  for _, p in ipairs({ 50, 90, 95, 99 }) do
    io.write(string.format("latency_p%d_us %d\n", p, latency:percentile(p)))
  end
  io.write(string.format("latency_max_us %d\n", latency.max))
end
