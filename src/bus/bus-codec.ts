import type { RedisConnection } from '../config';
import { userTag } from '../redis/user-tag';
import type { ControlHandler, ControlMessage, InterestKind } from './bus';

/**
 * The one encoding of what crosses the bus. Channels name the target; payloads are the encoded
 * frame, prefixed by fields separated with `|` (no field contains one):
 *   rg:room:<room>   `<offset>|<epoch>|<frame>`      (written by the Redis history script)
 *   rg:ev:<room>     `<exceptSessionId or empty>|<frame>`
 *   rg:user:<userId> `<frame>`
 *   rg:dm:<userId>   `<offset>|<epoch>|<frame>`      a message of the user's stream (written by the
 *                                                   user stream's append script; protocol.md section 10.1)
 *   rg:all           `<frame>`
 *   rg:node:<nodeId> `kick|<sessionId>`, or `kick:<close code>|<sessionId>` (a node older than
 *                    the code ignores that one)
 *   rg:ctl           a ControlMessage as JSON
 * Frames stay Buffers end to end: a node slices the prefix off and writes the rest to sockets.
 *
 * Channels come in two spellings (ChannelNames): classic on one Redis or Sentinel
 * (PUBLISH/SUBSCRIBE, the names above), sharded on a Redis Cluster (SPUBLISH/SSUBSCRIBE: a channel
 * lives on the shard of its hash slot), where they carry a hash tag:
 *   rg:room:{<room>}, rg:ev:{<room>}     the slot of the room's history keys (rg:h:{<room>}:...),
 *                                        so the history APPEND script can SPUBLISH from its slot
 *   rg:user:{u:<tag>}:<userId>           the slot of the user's ticket keys (src/redis/user-tag.ts)
 *   rg:dm:{u:<tag>}:<userId>             the same slot: the user stream's APPEND script SPUBLISHes there
 *   rg:{all}, rg:{ctl}, rg:node:{<id>}   a slot each. Not classic PUBLISH: a Cluster client sends a
 *                                        keyless command to any node, and two publishes through
 *                                        two nodes may arrive in either order.
 */

/** What an interest channel is about: a room's messages, a room's events, or a user's frames. */
export type InterestChannelKind = 'room' | 'event' | 'user' | 'userStream';

/** The room and user channels of one spelling. */
export interface ChannelNames {
  /** Sharded pub/sub (SPUBLISH/SSUBSCRIBE) on a Redis Cluster; else classic PUBLISH/SUBSCRIBE. */
  readonly sharded: boolean;
  /** Broadcasts to every session of every node. */
  readonly all: string;
  /** Control messages, heard by every node. */
  readonly control: string;
  /** Kicks for one node's sessions. */
  node(nodeId: string): string;
  room(room: string): string;
  roomEvent(room: string): string;
  user(userId: string): string;
  /** The channel of the user's stream messages. */
  userStream(userId: string): string;
  /** What a node subscribes for one interest (src/bus/channel-interest.ts). */
  interest(kind: InterestKind, key: string): string[];
  /** The room or user an interest channel names; undefined for a shared channel. */
  parse(channel: string): { kind: InterestChannelKind; key: string } | undefined;
  /** The hash tag of a sharded channel (channels with one tag share a slot); '' when classic. */
  slotTag(channel: string): string;
}

const PREFIXES: [string, InterestChannelKind][] = [
  ['rg:room:', 'room'],
  ['rg:ev:', 'event'],
  ['rg:user:', 'user'],
  ['rg:dm:', 'userStream'],
];

function names(sharded: boolean, room: (room: string) => string, user: (userId: string) => string, key: (kind: InterestChannelKind, rest: string) => string): ChannelNames {
  const roomOf = (prefix: string) => (name: string) => prefix + room(name);
  const tag = (name: string) => (sharded ? `{${name}}` : name);
  const self: ChannelNames = {
    sharded,
    all: `rg:${tag('all')}`,
    control: `rg:${tag('ctl')}`,
    node: (nodeId) => `rg:node:${tag(nodeId)}`,
    room: roomOf('rg:room:'),
    roomEvent: roomOf('rg:ev:'),
    user: (userId) => `rg:user:${user(userId)}`,
    userStream: (userId) => `rg:dm:${user(userId)}`,
    interest: (kind, id) => (kind === 'room' ? [self.room(id), self.roomEvent(id)] : [self.user(id), self.userStream(id)]),
    parse: (channel) => {
      for (const [prefix, kind] of PREFIXES) if (channel.startsWith(prefix)) return { kind, key: key(kind, channel.slice(prefix.length)) };
      return undefined;
    },
    slotTag: (channel) => (sharded ? channel.slice(channel.indexOf('{'), channel.indexOf('}') + 1) : ''),
  };
  return self;
}

/** One Redis or Sentinel: classic pub/sub, names without hash tags (the wire of every version before Cluster). */
export const CLASSIC_CHANNELS = names(false, (room) => room, (userId) => userId, (_kind, rest) => rest);

/**
 * Redis Cluster: sharded pub/sub. Room names and node ids hold no brace, so `{<room>}` is the whole name; the
 * user tag is base64url, so `{u:<tag>}:` ends at the first `}` whatever the user id holds.
 */
export const SHARDED_CHANNELS = names(
  true,
  (room) => `{${room}}`,
  (userId) => `{u:${userTag(userId)}}:${userId}`,
  (kind, rest) => (kind === 'user' || kind === 'userStream' ? rest.slice(rest.indexOf('}') + 2) : rest.slice(1, -1)),
);

/** The spelling of a connection mode: sharded on a Redis Cluster only. */
export const channelNames = (mode: RedisConnection['mode']): ChannelNames => (mode === 'cluster' ? SHARDED_CHANNELS : CLASSIC_CHANNELS);

/** Every classic interest channel: the fallback past the bound (and what every node subscribed before interest). Sharded pub/sub has no patterns. */
export const PATTERNS = ['rg:room:*', 'rg:ev:*', 'rg:user:*', 'rg:dm:*'];

/** The control handlers of a node; one that throws does not keep the message from the others. */
export class ControlHandlers {
  private readonly handlers: ControlHandler[] = [];

  add(handler: ControlHandler): void {
    this.handlers.push(handler);
  }

  dispatch(message: ControlMessage): void {
    const errors: unknown[] = [];
    for (const handler of this.handlers) {
      try {
        handler(message);
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, `control message ${message.type}: a handler failed`);
  }
}

const SEPARATOR = 0x7c; // '|'

/** Splits `count` `|`-separated fields off the front of a payload; the rest is the frame. */
export function splitPayload(payload: Buffer, count: number): { fields: string[]; frame: Buffer } {
  const fields: string[] = [];
  let start = 0;
  for (let i = 0; i < count; i++) {
    const end = payload.indexOf(SEPARATOR, start);
    if (end < 0) throw new Error('malformed bus payload');
    fields.push(payload.toString('latin1', start, end));
    start = end + 1;
  }
  return { fields, frame: payload.subarray(start) };
}

export function joinPayload(fields: string[], frame: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${fields.join('|')}|`, 'latin1'), frame]);
}
