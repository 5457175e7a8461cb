import type { Emitter } from './emitter';
import { ClientErrorCode, RealtimeError } from './errors';
import type { JoinAck, StreamPosition } from './protocol';
import type { RoomState } from './room-state';
import type { RealtimeEvents } from './types';

/**
 * After every welcome: re-joins each room the app is in, with `since` = its last seen position, and
 * reports each outcome as a 'recovery' event (recovered: true only when the server replayed every
 * missed message). A re-join cut by another disconnect is left for the next welcome; any other
 * failure drops the room and is reported as an 'error' event carrying the room.
 */
export function rejoinRooms(
  rooms: RoomState,
  join: (room: string, since: StreamPosition | undefined) => Promise<JoinAck>,
  events: Emitter<RealtimeEvents>,
): void {
  for (const room of rooms.names()) {
    join(room, rooms.position(room)).then(
      (ack) => {
        if (!rooms.has(room)) return; // left meanwhile
        rooms.applyAck(room, ack);
        events.emit('recovery', { room, recovered: ack.recovered === true, offset: ack.offset, epoch: ack.epoch });
      },
      (error: RealtimeError) => {
        if (error.code === ClientErrorCode.Disconnected || !rooms.has(room)) return;
        rooms.remove(room);
        events.emit('error', new RealtimeError(error.code, `re-joining ${room} failed: ${error.message}`, { room, details: error.details }));
      },
    );
  }
}
