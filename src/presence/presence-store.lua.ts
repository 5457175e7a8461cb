/*
 * The session directory on Redis. Keys:
 *   rg:nodes        zset  node -> liveness expiry (ms)
 *   rg:seq          counter: the cluster-wide connection order (the admin list's cursor)
 *   rg:s:rec        hash  session -> JSON {id, userId, nodeId, connectedAt, remoteAddress, tokenId?}
 *   rg:s:all        zset  session -> seq             rg:s:u:<user>  zset session -> seq
 *   rg:s:n:<node>   zset  session -> seq             rg:s:t:<jti>   set of sessions
 *   rg:s:r:<sid>    set   the session's rooms         rg:s:act       hash session -> last activity (ms)
 *   rg:s:users      set   users with a session        rg:rooms       zset (score 0, by name) rooms with members
 *   rg:pr:<room>    hash  session -> user (presence)  rg:stats:<node> JSON NodeStatsSnapshot, expires with NODE_TTL_MS
 * Every change of a session or a membership is one script, so the indexes never disagree.
 */

/** Removes a session from every index; returns {record, rooms} (record false if it had none). */
const DROP = `
local function drop(sid, node)
  local record = redis.call('HGET', 'rg:s:rec', sid)
  local rooms = redis.call('SMEMBERS', 'rg:s:r:' .. sid)
  for _, room in ipairs(rooms) do
    redis.call('HDEL', 'rg:pr:' .. room, sid)
    if redis.call('EXISTS', 'rg:pr:' .. room) == 0 then redis.call('ZREM', 'rg:rooms', room) end
  end
  redis.call('DEL', 'rg:s:r:' .. sid)
  redis.call('HDEL', 'rg:s:act', sid)
  redis.call('ZREM', 'rg:s:all', sid)
  redis.call('ZREM', 'rg:s:n:' .. node, sid)
  if not record then return {false, rooms} end
  local r = cjson.decode(record)
  redis.call('HDEL', 'rg:s:rec', sid)
  local userKey = 'rg:s:u:' .. r.userId
  redis.call('ZREM', userKey, sid)
  if redis.call('EXISTS', userKey) == 0 then redis.call('SREM', 'rg:s:users', r.userId) end
  if type(r.tokenId) == 'string' then redis.call('SREM', 'rg:s:t:' .. r.tokenId, sid) end
  return {record, rooms}
end
`;

/** ARGV: session, user, node, record JSON, jti or ''. Returns the session's seq. */
export const CONNECT = `
local sid, user, node = ARGV[1], ARGV[2], ARGV[3]
local seq = redis.call('INCR', 'rg:seq')
redis.call('HSET', 'rg:s:rec', sid, ARGV[4])
redis.call('ZADD', 'rg:s:all', seq, sid)
redis.call('ZADD', 'rg:s:u:' .. user, seq, sid)
redis.call('ZADD', 'rg:s:n:' .. node, seq, sid)
redis.call('SADD', 'rg:s:users', user)
if ARGV[5] ~= '' then redis.call('SADD', 'rg:s:t:' .. ARGV[5], sid) end
return seq
`;

/** ARGV: session, node. */
export const DISCONNECT = `${DROP}
drop(ARGV[1], ARGV[2])
return 1
`;

/** ARGV: session, user, room. */
export const JOIN = `
redis.call('HSET', 'rg:pr:' .. ARGV[3], ARGV[1], ARGV[2])
redis.call('SADD', 'rg:s:r:' .. ARGV[1], ARGV[3])
redis.call('ZADD', 'rg:rooms', 0, ARGV[3])
return 1
`;

/** ARGV: session, room. */
export const LEAVE = `
redis.call('HDEL', 'rg:pr:' .. ARGV[2], ARGV[1])
redis.call('SREM', 'rg:s:r:' .. ARGV[1], ARGV[2])
if redis.call('EXISTS', 'rg:pr:' .. ARGV[2]) == 0 then redis.call('ZREM', 'rg:rooms', ARGV[2]) end
return 1
`;

/**
 * ARGV: node, '1' to reap it even while it is listed alive (a node's own leftovers at its start).
 * Removes the node and every session it held; returns {record, seq, rooms} per session. Only the
 * caller whose ZREM removed a listed node gets them: each dead session is reaped exactly once.
 */
export const REAP = `${DROP}
if redis.call('ZREM', 'rg:nodes', ARGV[1]) == 0 and ARGV[2] ~= '1' then return {} end
local nodeKey = 'rg:s:n:' .. ARGV[1]
local entries = redis.call('ZRANGE', nodeKey, 0, -1, 'WITHSCORES')
local reaped = {}
for i = 1, #entries, 2 do
  local dropped = drop(entries[i], ARGV[1])
  if dropped[1] then reaped[#reaped + 1] = {dropped[1], entries[i + 1], dropped[2]} end
end
redis.call('DEL', nodeKey, 'rg:stats:' .. ARGV[1])
return reaped
`;
