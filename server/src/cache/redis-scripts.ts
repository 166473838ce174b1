// Lua run atomically inside Redis: each cache operation is one EVALSHA round trip.
// Keys share one hash tag (the prefix), so they live in one slot.
// KEYS[1] order zset (score: insertion sequence), KEYS[2] expiry zset (score: expire-at ms),
// KEYS[3] sequence counter; per-id keys are built from ARGV prefixes.

/** Prunes expired ids from both indexes (their entry keys have expired in Redis already). */
const PRUNE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)
for _, id in ipairs(expired) do
  redis.call('ZREM', KEYS[1], id)
  redis.call('DEL', ARGV[1] .. id)
end
if #expired > 0 then redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now) end
`;

/**
 * ARGV: 1 entry prefix, 2 tombstone prefix, 3 id, 4 version, 5 value, 6 ttl ms, 7 capacity,
 * 8 floor prefix, 9 floor ms. Returns {stored, evicted, expired, size}.
 * An evicted entry leaves its version behind as a floor (for ARGV[9] ms): a read of an older
 * version still in flight must not land in the place the eviction freed. Version 1 needs none.
 */
export const FIFO_SET = `${PRUNE}
local id = ARGV[3]
local entry = ARGV[1] .. id
if redis.call('EXISTS', ARGV[2] .. id) == 1 then
  return {0, 0, #expired, redis.call('ZCARD', KEYS[1])}
end
local current = redis.call('GET', entry)
if current then
  local v = tonumber(string.match(current, '^(%d+)|'))
  if v and v >= tonumber(ARGV[4]) then
    return {0, 0, #expired, redis.call('ZCARD', KEYS[1])}
  end
end
local floor = redis.call('GET', ARGV[8] .. id)
if floor then
  if tonumber(floor) > tonumber(ARGV[4]) then
    return {0, 0, #expired, redis.call('ZCARD', KEYS[1])}
  end
  redis.call('DEL', ARGV[8] .. id)
end
local ttl = tonumber(ARGV[6])
redis.call('SET', entry, ARGV[5], 'PX', ttl)
redis.call('ZADD', KEYS[2], now + ttl, id)
if not current then
  redis.call('ZADD', KEYS[1], redis.call('INCR', KEYS[3]), id)
end
local capacity = tonumber(ARGV[7])
local size = redis.call('ZCARD', KEYS[1])
local evicted = 0
while size > capacity do
  local oldest = redis.call('ZPOPMIN', KEYS[1])
  local gone = redis.call('GET', ARGV[1] .. oldest[1])
  local v = gone and tonumber(string.match(gone, '^(%d+)|'))
  if v and v > 1 then redis.call('SET', ARGV[8] .. oldest[1], v, 'PX', tonumber(ARGV[9])) end
  redis.call('ZREM', KEYS[2], oldest[1])
  redis.call('DEL', ARGV[1] .. oldest[1])
  evicted = evicted + 1
  size = size - 1
end
return {1, evicted, #expired, size}
`;

/** ARGV: 1 entry prefix, 2 tombstone prefix, 3 id, 4 tombstone ttl ms. */
export const FIFO_REMOVE = `
local id = ARGV[3]
redis.call('DEL', ARGV[1] .. id)
redis.call('ZREM', KEYS[1], id)
redis.call('ZREM', KEYS[2], id)
redis.call('SET', ARGV[2] .. id, '1', 'PX', tonumber(ARGV[4]))
return 1
`;

/** ARGV: 1 entry prefix. Returns the live size. */
export const FIFO_SIZE = `${PRUNE}
return redis.call('ZCARD', KEYS[1])
`;

/** ARGV: 1 entry prefix. */
export const FIFO_CLEAR = `
local ids = redis.call('ZRANGE', KEYS[1], 0, -1)
for _, id in ipairs(ids) do redis.call('DEL', ARGV[1] .. id) end
redis.call('DEL', KEYS[1], KEYS[2])
return #ids
`;
