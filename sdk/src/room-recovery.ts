import type { Emitter } from './emitter';
import { RealtimeError } from './errors';
import type { JoinAck, StreamPosition } from './protocol';
import type { RetryingRequests } from './retrying-requests';
import type { RoomState } from './room-state';
import type { RealtimeEvents } from './types';

/**
 * After every welcome: re-joins each room the app is in, with `since` = its last seen position, and
 * reports each outcome as a 'recovery' event (recovered: true only when the server replayed every
 * missed message). A re-join refused for good (or after the retries) drops the room and is
 * reported as an 'error' event carrying the room.
 */
export function rejoinRooms(
  rooms: RoomState,
  join: (room: string, since: StreamPosition | undefined) => Promise<JoinAck>,
  events: Emitter<RealtimeEvents>,
  requests: RetryingRequests,
): void {
  for (const room of rooms.names()) {
    requests.run({
      send: () => join(room, rooms.position(room)),
      wanted: () => rooms.has(room),
      done: (ack) => {
        rooms.applyAck(room, ack);
        events.emit('recovery', { room, recovered: ack.recovered === true, offset: ack.offset, epoch: ack.epoch });
      },
      failed: (error) => {
        rooms.remove(room);
        events.emit('error', new RealtimeError(error.code, `re-joining ${room} failed: ${error.message}`, { room, details: error.details }));
      },
    });
  }
}
