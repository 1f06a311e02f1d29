/**
 * The store's Lua scripts. Every change is one script, so no reader ever sees half of one and no
 * check is separated from its write (APScheduler's Redis store checks, then writes).
 *
 * Keys, all under one hash tag so that Redis Cluster keeps them in one slot:
 *   KEYS[1] jobs    HASH  id -> "<version>,<nextRunTime>,<data>" (nextRunTime empty while paused)
 *   KEYS[2] due     ZSET  score 0, member "<nextRunTime, 15 digits>\0<id>": lexical order is (time, id)
 *   KEYS[3] paused  ZSET  score 0, member id: lexical order is id order
 *   KEYS[4] owners  HASH  id -> lease owner
 *   KEYS[5] leases  ZSET  id scored by acquiredUntil
 * Times travel as 15-digit zero-padded strings, which compare as numbers do, and are exact.
 * Notifications are PUBLISHed by the script that makes the change, in the format
 * parseChangeMessage reads; numbers in them are written as digits, never through cjson (which
 * would round 15-digit numbers).
 */

const COMMON = `
local jobs, due, paused, owners, leases = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local function parse(rec)
  local v, n, d = string.match(rec, '^(%d+),(%d*),(.*)$')
  return tonumber(v), n, d
end
local function unpad(n)
  if n == '' then return 'null' end
  return tostring(tonumber(n))
end
local function place(n, id)
  if n == '' then redis.call('ZADD', paused, 0, id) else redis.call('ZADD', due, 0, n .. '\\0' .. id) end
end
local function unplace(n, id)
  if n == '' then redis.call('ZREM', paused, id) else redis.call('ZREM', due, n .. '\\0' .. id) end
end
local function row(id)
  local rec = redis.call('HGET', jobs, id)
  if not rec then return nil end
  local v, n, d = parse(rec)
  local owner = redis.call('HGET', owners, id) or ''
  local untilTime = redis.call('ZSCORE', leases, id) or ''
  return {id, tostring(v), n, d, owner, untilTime}
end
local function message(t, id, n)
  if n == nil then return '{"t":"' .. t .. '","id":' .. cjson.encode(id) .. '}' end
  return '{"t":"' .. t .. '","id":' .. cjson.encode(id) .. ',"n":' .. unpad(n) .. '}'
end
`;

/** ARGV: id, nextRunTime (padded, or empty), data, channel. Returns 1, or 0 when the id exists. */
export const ADD = `${COMMON}
local id, n, d, channel = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
if redis.call('HEXISTS', jobs, id) == 1 then return 0 end
redis.call('HSET', jobs, id, '1,' .. n .. ',' .. d)
place(n, id)
redis.call('PUBLISH', channel, message('added', id, n))
return 1
`;

/**
 * ARGV: id, setTime (1/0), nextRunTime, setData (1/0), data, expectedVersion (or empty), channel.
 * Returns {'ok', <row>}, {'missing'} or {'conflict', version}.
 */
export const UPDATE = `${COMMON}
local id, setTime, newN, setData, newD, expected, channel = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7]
local rec = redis.call('HGET', jobs, id)
if not rec then return {'missing'} end
local v, n, d = parse(rec)
if expected ~= '' and tonumber(expected) ~= v then return {'conflict', tostring(v)} end
if setTime == '1' and newN ~= n then
  unplace(n, id)
  place(newN, id)
  n = newN
end
if setData == '1' then d = newD end
redis.call('HSET', jobs, id, tostring(v + 1) .. ',' .. n .. ',' .. d)
redis.call('PUBLISH', channel, message('updated', id, n))
return {'ok', row(id)}
`;

/** ARGV: id, channel. Returns 1, or 0 when there was no such job. */
export const REMOVE = `${COMMON}
local id, channel = ARGV[1], ARGV[2]
local rec = redis.call('HGET', jobs, id)
if not rec then return 0 end
local v, n = parse(rec)
unplace(n, id)
redis.call('HDEL', jobs, id)
redis.call('HDEL', owners, id)
redis.call('ZREM', leases, id)
redis.call('PUBLISH', channel, message('removed', id, nil))
return 1
`;

/** ARGV: channel. */
export const CLEAR = `${COMMON}
redis.call('DEL', jobs, due, paused, owners, leases)
redis.call('PUBLISH', ARGV[1], '{"t":"cleared"}')
return 1
`;

/** ARGV: id. Returns the row or false. */
export const GET = `${COMMON}
return row(ARGV[1]) or false
`;

/**
 * Scheduled rows in (time, id) order. ARGV: lower bound (exclusive "(<member>", or "-"), upper
 * bound ("+", or "(<padded time>" for the due query), limit. Returns rows.
 */
export const SCHEDULED = `${COMMON}
local members = redis.call('ZRANGEBYLEX', due, ARGV[1], ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for i, m in ipairs(members) do out[i] = row(string.sub(m, 17)) end
return out
`;

/** Paused rows by id. ARGV: lower bound ("(<id>" or "-"), limit. */
export const PAUSED = `${COMMON}
local ids = redis.call('ZRANGEBYLEX', paused, ARGV[1], '+', 'LIMIT', 0, tonumber(ARGV[2]))
local out = {}
for i, id in ipairs(ids) do out[i] = row(id) end
return out
`;

/**
 * The earliest time a job can be claimed: walks the due order, leased jobs counting from when
 * their lease ends, and stops at the first unleased job. Returns digits, or false.
 */
export const NEXT = `${COMMON}
local best = nil
local offset = 0
while true do
  local members = redis.call('ZRANGEBYLEX', due, '-', '+', 'LIMIT', offset, 100)
  if #members == 0 then break end
  for _, m in ipairs(members) do
    local n = tonumber(string.sub(m, 1, 15))
    if best ~= nil and n >= best then return string.format('%d', best) end
    local id = string.sub(m, 17)
    local untilTime = tonumber(redis.call('ZSCORE', leases, id))
    if redis.call('HEXISTS', owners, id) == 0 or untilTime == nil then
      if best == nil or n < best then best = n end
      return string.format('%d', best)
    end
    local free = math.max(n, untilTime + 1)
    if best == nil or free < best then best = free end
  end
  offset = offset + #members
end
if best == nil then return false end
return string.format('%d', best)
`;

/**
 * One atomic claim. ARGV: owner, now, leaseUntil, limit, upper bound "(<padded now + 1>".
 * Walks the due jobs in order, passing over live leases of other owners. Returns rows.
 */
export const ACQUIRE = `${COMMON}
local owner, now, untilTime, limit, upper = ARGV[1], tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4]), ARGV[5]
local out = {}
local offset = 0
while #out < limit do
  local members = redis.call('ZRANGEBYLEX', due, '-', upper, 'LIMIT', offset, math.max(100, limit * 2))
  if #members == 0 then break end
  for _, m in ipairs(members) do
    local id = string.sub(m, 17)
    local holder = redis.call('HGET', owners, id)
    local free = (not holder) or holder == owner
    if not free then
      local ends = tonumber(redis.call('ZSCORE', leases, id))
      free = ends == nil or ends < now
    end
    if free then
      redis.call('HSET', owners, id, owner)
      redis.call('ZADD', leases, untilTime, id)
      out[#out + 1] = row(id)
      if #out >= limit then break end
    end
  end
  offset = offset + #members
end
return out
`;

/**
 * Releases, each as releaseJob would. ARGV: owner, channel, then per release five values: id,
 * mode ("n" for a new schedule, "r" to remove), nextRunTime (padded or empty), data (or empty),
 * setData (1/0) then expectedVersion (or empty): six in all. Returns one outcome per release:
 * "ok", "missing", "lost:<holder>" or "conflict:<version>". One message for the batch.
 */
export const RELEASE = `${COMMON}
local owner, channel = ARGV[1], ARGV[2]
local outcomes = {}
local events = {}
for i = 3, #ARGV, 6 do
  local id, mode, newN, newD, setData, expected = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4], ARGV[i + 5]
  local rec = redis.call('HGET', jobs, id)
  local holder = redis.call('HGET', owners, id)
  if not rec then
    outcomes[#outcomes + 1] = 'missing'
  elseif holder ~= owner then
    outcomes[#outcomes + 1] = 'lost:' .. (holder or '')
  else
    local v, n, d = parse(rec)
    if expected ~= '' and tonumber(expected) ~= v then
      outcomes[#outcomes + 1] = 'conflict:' .. tostring(v)
    else
      unplace(n, id)
      redis.call('HDEL', owners, id)
      redis.call('ZREM', leases, id)
      if mode == 'r' then
        redis.call('HDEL', jobs, id)
        events[#events + 1] = '[' .. cjson.encode(id) .. ',null,true]'
      else
        if setData == '1' then d = newD end
        redis.call('HSET', jobs, id, tostring(v + 1) .. ',' .. newN .. ',' .. d)
        place(newN, id)
        events[#events + 1] = '[' .. cjson.encode(id) .. ',' .. unpad(newN) .. ',false]'
      end
      outcomes[#outcomes + 1] = 'ok'
    end
  end
end
if #events > 0 then redis.call('PUBLISH', channel, '{"t":"batch","r":[' .. table.concat(events, ',') .. ']}') end
return outcomes
`;

/** ARGV: owner, leaseUntil, then ids. Returns the ids whose lease was extended. */
export const EXTEND = `${COMMON}
local owner, untilTime = ARGV[1], ARGV[2]
local out = {}
for i = 3, #ARGV do
  if redis.call('HGET', owners, ARGV[i]) == owner then
    redis.call('ZADD', leases, untilTime, ARGV[i])
    out[#out + 1] = ARGV[i]
  end
end
return out
`;
