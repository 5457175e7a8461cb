import type { ControlHandler, ControlMessage, InterestKind } from './bus';

/**
 * The one encoding of what crosses the bus. Channels name the target; payloads are the encoded
 * frame, prefixed by fields separated with `|` (no field contains one):
 *   rg:room:<room>   `<offset>|<epoch>|<frame>`      (written by the Redis history script)
 *   rg:ev:<room>     `<exceptSessionId or empty>|<frame>`
 *   rg:user:<userId> `<frame>`
 *   rg:all           `<frame>`
 *   rg:node:<nodeId> `kick|<sessionId>`, or `kick:<close code>|<sessionId>` (a node older than
 *                    the code ignores that one)
 *   rg:ctl           a ControlMessage as JSON
 * Frames stay Buffers end to end: a node slices the prefix off and writes the rest to sockets.
 */
export const Channel = {
  room: (room: string) => `rg:room:${room}`,
  roomEvent: (room: string) => `rg:ev:${room}`,
  user: (userId: string) => `rg:user:${userId}`,
  all: 'rg:all',
  node: (nodeId: string) => `rg:node:${nodeId}`,
  control: 'rg:ctl',
} as const;

/** What a node subscribes for one interest (src/bus/channel-interest.ts); only beyond the channel bound, the PATTERNS. */
export const interestChannels = (kind: InterestKind, key: string): string[] =>
  kind === 'room' ? [Channel.room(key), Channel.roomEvent(key)] : [Channel.user(key)];

/** Every interest channel: the fallback past the bound (and what every node subscribed before interest). */
export const PATTERNS = ['rg:room:*', 'rg:ev:*', 'rg:user:*'];

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
