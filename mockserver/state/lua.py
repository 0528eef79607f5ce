"""The Lua scripts of the Redis backend: each runs in Redis as one atomic step.

KEYS and ARGV are described with each script; the key layout is in mockserver/state/redis.py.
"""

# A request's start: does the session exist (and has it expired), mark its use, and read the
# versions of its settings, faults and the request's API store.
# KEYS: session hash, sessions zset, API hash. ARGV: now (-1: no expiry check), touch, counted, name,
# whether an API is asked for.
BEGIN = """
local s = KEYS[1]
if redis.call('EXISTS', s) == 0 then return false end
local now = tonumber(ARGV[1])
local meta = redis.call('HMGET', s, 'incarnation', 'version', 'faults', 'lastUsed', 'ttl')
local ttl = tonumber(meta[5]) or 0
if now >= 0 and ttl > 0 and now - (tonumber(meta[4]) or now) > ttl then return {'expired'} end
if ARGV[2] == '1' then
  redis.call('HSET', s, 'lastUsed', ARGV[1])
  if ARGV[3] == '1' then redis.call('HINCRBY', s, 'requests', 1) end
  if ttl > 0 then redis.call('ZADD', KEYS[2], now + ttl, ARGV[4]) end
end
local api = {false, false}
if ARGV[5] == '1' then api = redis.call('HMGET', KEYS[3], 'ver', 'epoch') end
local used = redis.call('HMGET', s, 'lastUsed', 'requests')
return {meta[1], meta[2], meta[3], api[1], api[2], used[1], used[2]}
"""

# A unit's change set, applied only at the version its handler ran at, and only by the holder of the
# (session, API) lock when someone holds it; it releases that lock.
# KEYS: API hash, change log, tokens hash, one hash per collection, the lock.
# ARGV: expected version, expected epoch, the change set (JSON), log size, lock token ('' for none).
COMMIT = """
local holder = redis.call('GET', KEYS[#KEYS])
if holder and holder ~= ARGV[5] then return -2 end
local cur = redis.call('HMGET', KEYS[1], 'ver', 'epoch')
local ver = tonumber(cur[1]) or 0
if ver ~= tonumber(ARGV[1]) or (cur[2] or '') ~= ARGV[2] then return -1 end
local p = cjson.decode(ARGV[3])
for _, r in ipairs(p.r) do
  if r[3] == false then redis.call('HDEL', KEYS[3 + r[1]], r[2])
  else redis.call('HSET', KEYS[3 + r[1]], r[2], r[3]) end
end
for k, v in pairs(p.c) do redis.call('HSET', KEYS[1], 'c:' .. k, v) end
if p.i ~= cjson.null then redis.call('HSET', KEYS[1], 'idseq', p.i) end
for _, t in ipairs(p.t) do
  if t[2] == cjson.null then redis.call('HDEL', KEYS[3], t[1]) else redis.call('HSET', KEYS[3], t[1], t[2]) end
end
ver = ver + 1
redis.call('HSET', KEYS[1], 'ver', ver)
redis.call('RPUSH', KEYS[2], ver .. ' ' .. ARGV[3])
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[4]), -1)
if ARGV[5] ~= '' then redis.call('DEL', KEYS[#KEYS]) end
return ver
"""

# A new session, unless the name is taken. KEYS: session hash, sessions zset. ARGV: deadline, name, fields.
ADD = """
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
redis.call('ZADD', KEYS[2], ARGV[1], ARGV[2])
return 1
"""

# Fire a fault: count the hit, disarm a `once` fault. KEYS: session hash, faults, hits. ARGV: id, mode.
TAKE_FAULT = """
local f = redis.call('HGET', KEYS[2], ARGV[1])
if not f then return false end
redis.call('HINCRBY', KEYS[3], ARGV[1], 1)
if ARGV[2] == 'once' then
  redis.call('HDEL', KEYS[2], ARGV[1])
  redis.call('HINCRBY', KEYS[1], 'faults', 1)
end
return f
"""

# Release a lock only if this unit still holds it. KEYS: the lock. ARGV: the holder's token.
UNLOCK = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""

# Append a journal entry with the session's next id, keeping the last N. KEYS: session hash, journal.
# ARGV: the entry (JSON), N.
RECORD = """
local id = redis.call('HINCRBY', KEYS[1], 'journalseq', 1)
redis.call('LPUSH', KEYS[2], id .. ' ' .. ARGV[1])
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[2]) - 1)
return id
"""
