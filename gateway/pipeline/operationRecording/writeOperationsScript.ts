/**
 * The Lua script that writes one batch of operations to Redis, in one step so that every
 * replica's batch sees the same caps and a reader never sees half an eviction.
 *
 * KEYS: `seen` (sorted set: key → last seen, ms), `info` (hash: key → description JSON),
 * `counts` (hash: key → count), `rank` (sorted set: key → eviction rank, lowest first),
 * `clients` (hash: operation key → its distinct client records).
 * ARGV: maxOperations, ttlSeconds, maxClientsPerOperation, then five per entry: key, seen at
 * (ms), count, description, and the description of its operation's `OTHER_CLIENTS` record.
 *
 * Entries are taken one at a time, as the in-memory store takes sightings: one new to Redis
 * whose operation already has `maxClientsPerOperation` clients is counted in the operation's
 * folded record instead (key `<operation>\n\0`); a new record, when the record is full, first
 * evicts the least used (lowest `rank`). The rank is the count (capped at 2^21 - 1: past two
 * million uses, an operation is in use whatever its count) times 2^32, plus the last-seen time in
 * seconds: the fewest uses first, the least recently seen among equals, found in O(log n) by
 * ZRANGE and exact in a double (< 2^53), printed with %.0f since Lua's tostring keeps 14 digits.
 */
export const WRITE_OPERATIONS = `
local seen, info, counts, rank, clients = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local cap, maxClients = tonumber(ARGV[1]), tonumber(ARGV[3])
local function operationOf(key) return string.match(key, '^([^\\n]*\\n[^\\n]*)\\n') end
local function folded(key) return string.sub(key, -2) == '\\n\\0' end
local function evictLeastUsed()
  local key = redis.call('ZRANGE', rank, 0, 0)[1]
  redis.call('ZREM', rank, key)
  redis.call('ZREM', seen, key)
  redis.call('HDEL', info, key)
  redis.call('HDEL', counts, key)
  if not folded(key) and redis.call('HINCRBY', clients, operationOf(key), -1) <= 0 then redis.call('HDEL', clients, operationOf(key)) end
end
for i = 4, #ARGV, 5 do
  local key, at, description = ARGV[i], tonumber(ARGV[i + 1]), ARGV[i + 3]
  local operation = operationOf(key)
  local new = redis.call('HEXISTS', counts, key) == 0
  if new and not folded(key) and tonumber(redis.call('HGET', clients, operation) or '0') >= maxClients then
    key = operation .. '\\n\\0'
    description = ARGV[i + 4]
    new = redis.call('HEXISTS', counts, key) == 0
  end
  if new then
    if redis.call('ZCARD', rank) >= cap then evictLeastUsed() end
    if not folded(key) then redis.call('HINCRBY', clients, operation, 1) end
  end
  local count = redis.call('HINCRBY', counts, key, ARGV[i + 2])
  local lastSeen = math.max(at, tonumber(redis.call('ZSCORE', seen, key) or '0'))
  redis.call('ZADD', seen, string.format('%.0f', lastSeen), key)
  redis.call('HSET', info, key, description)
  redis.call('ZADD', rank, string.format('%.0f', math.min(count, 2097151) * 4294967296 + math.floor(lastSeen / 1000)), key)
end
for i = 1, 5 do redis.call('EXPIRE', KEYS[i], ARGV[2]) end
return 1`;
