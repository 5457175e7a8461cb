/*
 * Lua scripts of RedisHistoryStore. KEYS[1] = meta hash {epoch, offset}, KEYS[2] = log list of
 * `<expiresAtMs>|<frame>` entries, contiguous in offset and ending at meta.offset.
 * Numbers are formatted with %d: Lua's default would print large ones in exponent form.
 */

/** Creates the stream (new epoch) if Redis has none: after a restart without persistence, say. */
const ENSURE_META = `
local epoch = redis.call('HGET', KEYS[1], 'epoch')
if not epoch then
  epoch = ARGV[1]
  redis.call('HSET', KEYS[1], 'epoch', epoch, 'offset', 0)
end
`;

/**
 * ARGV: newEpoch, frameHead, sizePerRoom, ttlMs, nowMs, metaTtlMs, channel -> {offset, epoch, frame}.
 * Publishes with `publish`: SPUBLISH on a Redis Cluster, where the channel carries the keys' hash
 * tag (Redis 7 refuses a script's SPUBLISH to another slot than its keys'), else PUBLISH.
 */
export const append = (publish: 'PUBLISH' | 'SPUBLISH') => `${ENSURE_META}
local offset = redis.call('HINCRBY', KEYS[1], 'offset', 1)
local frame = ARGV[2] .. ',"offset":' .. string.format('%d', offset) .. ',"epoch":"' .. epoch .. '"}}'
redis.call('RPUSH', KEYS[2], string.format('%d', tonumber(ARGV[5]) + tonumber(ARGV[4])) .. '|' .. frame)
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[3]), -1)
redis.call('PEXPIRE', KEYS[2], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[6])
redis.call('${publish}', ARGV[7], string.format('%d', offset) .. '|' .. epoch .. '|' .. frame)
return {offset, epoch, frame}
`;

/** ARGV: newEpoch, metaTtlMs -> {offset, epoch} */
export const POSITION = `${ENSURE_META}
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return {tonumber(redis.call('HGET', KEYS[1], 'offset')), epoch}
`;

/** ARGV: epoch, offset, nowMs -> every entry after offset, or nil when they are not all there */
export const SINCE = `
local meta = redis.call('HMGET', KEYS[1], 'epoch', 'offset')
if not meta[1] or meta[1] ~= ARGV[1] then return nil end
local top = tonumber(meta[2])
local missed = top - tonumber(ARGV[2])
if missed < 0 then return nil end
if missed == 0 then return {} end
local entries = redis.call('LRANGE', KEYS[2], -missed, -1)
if #entries < missed then return nil end
local expiresAt = tonumber(string.match(entries[1], '^(%d+)|'))
if expiresAt <= tonumber(ARGV[3]) then return nil end
return entries
`;

/** ARGV: newEpoch, metaTtlMs, nowMs -> {offset, epoch, unexpired entries} */
export const PAGE = `${ENSURE_META}
redis.call('PEXPIRE', KEYS[1], ARGV[2])
local live = {}
for _, entry in ipairs(redis.call('LRANGE', KEYS[2], 0, -1)) do
  if tonumber(string.match(entry, '^(%d+)|')) > tonumber(ARGV[3]) then live[#live + 1] = entry end
end
return {tonumber(redis.call('HGET', KEYS[1], 'offset')), epoch, live}
`;

/** ARGV: epoch, offset, nowMs -> the unexpired entry at exactly that offset of that epoch, or nil */
export const AT = `
local meta = redis.call('HMGET', KEYS[1], 'epoch', 'offset')
if not meta[1] or meta[1] ~= ARGV[1] then return nil end
local back = tonumber(meta[2]) - tonumber(ARGV[2])
if back < 0 or tonumber(ARGV[2]) < 1 then return nil end
local entry = redis.call('LINDEX', KEYS[2], -(back + 1))
if not entry then return nil end
if tonumber(string.match(entry, '^(%d+)|')) <= tonumber(ARGV[3]) then return nil end
return entry
`;
