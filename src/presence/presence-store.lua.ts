/*
 * The session directory on Redis. Every key carries the hash tag {dir}, so the whole directory is
 * one hash slot (one primary of a Redis Cluster): each change of a session or a membership stays
 * one atomic script, and the indexes never disagree. docs/scaling.md ("Keys and hash slots") says
 * what that slot costs. Keys (the scripts get every one through KEYS, named by DIR below):
 *   nodes          zset  node -> liveness expiry (ms)
 *   seq            counter: the cluster-wide connection order (the admin list's cursor)
 *   s:rec          hash  session -> JSON {id, userId, nodeId, connectedAt, remoteAddress, tokenId?}
 *   s:all          zset  session -> seq             s:u:<user>  zset session -> seq
 *   s:n:<node>     zset  session -> seq             s:t:<jti>   set of sessions
 *   s:r:<sid>      set   the session's rooms        s:act       hash session -> last activity (ms)
 *   s:users        set   users with a session       rooms       zset (score 0, by name) rooms with members
 *   pr:<room>      hash  session -> user (presence) stats:<node> JSON NodeStatsSnapshot, expires with NODE_TTL_MS
 */

const PREFIX = 'rg:{dir}:';

/** The directory's keys. */
export const DIR = {
  nodes: `${PREFIX}nodes`,
  seq: `${PREFIX}seq`,
  records: `${PREFIX}s:rec`,
  all: `${PREFIX}s:all`,
  activity: `${PREFIX}s:act`,
  users: `${PREFIX}s:users`,
  rooms: `${PREFIX}rooms`,
  user: (userId: string) => `${PREFIX}s:u:${userId}`,
  node: (nodeId: string) => `${PREFIX}s:n:${nodeId}`,
  token: (jti: string) => `${PREFIX}s:t:${jti}`,
  sessionRooms: (sessionId: string) => `${PREFIX}s:r:${sessionId}`,
  room: (room: string) => `${PREFIX}pr:${room}`,
  stats: (nodeId: string) => `${PREFIX}stats:${nodeId}`,
};

/**
 * KEYS: seq, s:rec, s:all, s:users, s:u:<user>, s:n:<node>, s:t:<jti> (only with a jti).
 * ARGV: session, user, record JSON. Returns the session's seq.
 */
export const CONNECT = `
local sid, user = ARGV[1], ARGV[2]
local seq = redis.call('INCR', KEYS[1])
redis.call('HSET', KEYS[2], sid, ARGV[3])
redis.call('ZADD', KEYS[3], seq, sid)
redis.call('SADD', KEYS[4], user)
redis.call('ZADD', KEYS[5], seq, sid)
redis.call('ZADD', KEYS[6], seq, sid)
if KEYS[7] then redis.call('SADD', KEYS[7], sid) end
return seq
`;

/** KEYS: pr:<room>, s:r:<sid>, rooms. ARGV: session, user, room. */
export const JOIN = `
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('SADD', KEYS[2], ARGV[3])
redis.call('ZADD', KEYS[3], 0, ARGV[3])
return 1
`;

/** KEYS: pr:<room>, s:r:<sid>, rooms. ARGV: session, room. */
export const LEAVE = `
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('SREM', KEYS[2], ARGV[2])
if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('ZREM', KEYS[3], ARGV[2]) end
return 1
`;

/**
 * Removes sessions from every index: one (a disconnect), or all of a node's (a reap).
 * KEYS: s:rec, s:act, s:all, s:users, rooms, nodes, s:n:<node>, stats:<node>, then per session
 * s:r:<sid>, s:u:<user> (when a user is given), s:t:<jti> (when a jti is given), pr:<room> per room.
 * ARGV: node, mode, session count, then per session: id, user or '', jti or '', room count, rooms.
 * mode 'session': drop those sessions. 'reap': only if this call removes the node from `nodes`
 * (each dead session is reaped exactly once), then drop every session of the node and its stats;
 * 'own': the same even while the node is listed (a node's own leftovers at its start).
 * The caller read the sessions' users, token ids and rooms (and for a reap the node's sessions)
 * to name their keys: if the directory no longer matches that, nothing is changed and the answer
 * is nil, so the caller reads again. Otherwise {record, seq, rooms} per dropped session with a record.
 */
export const DROP = `
local recs, act, all, users, roomIndex, nodes, nodeKey, statsKey = unpack(KEYS, 1, 8)
local node, mode = ARGV[1], ARGV[2]
local sessions, k, a = {}, 9, 4
for i = 1, tonumber(ARGV[3]) do
  local s = {sid = ARGV[a], user = ARGV[a + 1], jti = ARGV[a + 2], roomKeys = {}, roomsKey = KEYS[k]}
  local roomCount = tonumber(ARGV[a + 3])
  a, k = a + 4, k + 1
  if s.user ~= '' then s.userKey, k = KEYS[k], k + 1 end
  if s.jti ~= '' then s.tokenKey, k = KEYS[k], k + 1 end
  for _ = 1, roomCount do
    s.roomKeys[ARGV[a]] = KEYS[k]
    a, k = a + 1, k + 1
  end
  sessions[i] = s
end
if mode ~= 'session' and redis.call('ZCARD', nodeKey) ~= #sessions then return nil end
for _, s in ipairs(sessions) do
  if mode ~= 'session' then
    s.seq = redis.call('ZSCORE', nodeKey, s.sid)
    if not s.seq then return nil end
  end
  s.record = redis.call('HGET', recs, s.sid)
  if s.record then
    local r = cjson.decode(s.record)
    if r.userId ~= s.user or (type(r.tokenId) == 'string' and r.tokenId or '') ~= s.jti then return nil end
  end
  s.rooms = redis.call('SMEMBERS', s.roomsKey)
  for _, room in ipairs(s.rooms) do
    if not s.roomKeys[room] then return nil end
  end
end
if mode ~= 'session' and redis.call('ZREM', nodes, node) == 0 and mode == 'reap' then return {} end
local dropped = {}
for _, s in ipairs(sessions) do
  for _, room in ipairs(s.rooms) do
    redis.call('HDEL', s.roomKeys[room], s.sid)
    if redis.call('EXISTS', s.roomKeys[room]) == 0 then redis.call('ZREM', roomIndex, room) end
  end
  redis.call('DEL', s.roomsKey)
  redis.call('HDEL', act, s.sid)
  redis.call('ZREM', all, s.sid)
  redis.call('ZREM', nodeKey, s.sid)
  if s.record then
    redis.call('HDEL', recs, s.sid)
    redis.call('ZREM', s.userKey, s.sid)
    if redis.call('EXISTS', s.userKey) == 0 then redis.call('SREM', users, s.user) end
    if s.tokenKey then redis.call('SREM', s.tokenKey, s.sid) end
    dropped[#dropped + 1] = {s.record, s.seq or '0', s.rooms}
  end
end
if mode ~= 'session' then redis.call('DEL', nodeKey, statsKey) end
return dropped
`;
