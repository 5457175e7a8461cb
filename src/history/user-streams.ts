import type { DirectMessageData } from '../protocol';
import { userTag } from '../redis/user-tag';
import { LocalStreams, SharedStreams, StreamKind } from './history-store';

/** A direct message before its recipient's stream gave it a position. */
export type NewDirectMessage = Omit<DirectMessageData, 'offset' | 'epoch'>;

/** The stored data of a direct message at its position; an explicit literal in the frame's key order (see roomMessageData). */
export function directMessageData(message: NewDirectMessage, offset: number, epoch: string): DirectMessageData {
  return { from: message.from, body: message.body, messageId: message.messageId, ts: message.ts, offset, epoch };
}

/**
 * Per-user streams (docs/protocol.md, section 10.1): the room history stores over a second key space,
 * keyed by the recipient's user id. `direct` frames; on Redis the keys carry the user's hash tag
 * (`rg:us:{u:<tag>}:<userId>:meta` and `:log`), the slot of the user's channels: the append script
 * publishes on `rg:dm:{u:<tag>}:<userId>` (bus-codec).
 */
export const USER_STREAMS: StreamKind<NewDirectMessage, DirectMessageData> = {
  frameType: 'direct',
  data: directMessageData,
  redisKeys: (userId) => {
    const prefix = `rg:us:{u:${userTag(userId)}}:${userId}`;
    return [`${prefix}:meta`, `${prefix}:log`];
  },
  channel: (names, userId) => names.userStream(userId),
};

export type UserStreamStore = LocalStreams<NewDirectMessage, DirectMessageData> | SharedStreams<NewDirectMessage, DirectMessageData>;

export const USER_STREAM_STORE = Symbol('USER_STREAM_STORE');
