import type { RoomMessageData, StreamPosition } from './protocol';
import { isDuplicate, isPosition, newer } from './stream-position';

export type RoomHandler = (message: RoomMessageData) => void;

interface RoomEntry {
  handler: RoomHandler;
  /** The last delivered message's position: what de-duplication compares with. */
  delivered?: StreamPosition;
  /** Where a re-join resumes (`since`): the newer of the last delivered message and the last join ack. */
  resume?: StreamPosition;
}

/**
 * The rooms the app joined, their handlers and their stream positions; decides which `message`
 * frames are delivered. A message is a duplicate (dropped) when its epoch equals the last delivered
 * one's and its offset is not above it. A message of another epoch is delivered and restarts the
 * count (the server lost the stream's past, so offsets restarted). Join acks never make a message a
 * duplicate: on a join without `since`, a live message can race the ack and carry an offset the ack
 * already counts (docs/protocol.md, section 10); it was not delivered, so it is delivered then.
 */
export class RoomState {
  private readonly rooms = new Map<string, RoomEntry>();

  has(room: string): boolean {
    return this.rooms.has(room);
  }

  names(): string[] {
    return [...this.rooms.keys()];
  }

  get size(): number {
    return this.rooms.size;
  }

  /** Registers a room (or replaces its handler, keeping its positions). Returns true when it is new. */
  add(room: string, handler: RoomHandler): boolean {
    const entry = this.rooms.get(room);
    if (entry) {
      entry.handler = handler;
      return false;
    }
    this.rooms.set(room, { handler });
    return true;
  }

  remove(room: string): boolean {
    return this.rooms.delete(room);
  }

  clear(): void {
    this.rooms.clear();
  }

  /** The position a re-join resumes from (`since`), if any was seen. */
  position(room: string): StreamPosition | undefined {
    const resume = this.rooms.get(room)?.resume;
    return resume && { offset: resume.offset, epoch: resume.epoch };
  }

  /**
   * Returns the handler to call when `message` must be delivered, or undefined when it must be
   * dropped (a room the app is not in, or a duplicate). Messages without offset/epoch (an older
   * server) are always delivered.
   */
  accept(message: RoomMessageData): RoomHandler | undefined {
    const entry = this.rooms.get(message.room);
    if (!entry) return undefined;
    if (!isPosition(message)) return entry.handler;
    if (isDuplicate(entry.delivered, message)) return undefined;
    entry.delivered = { offset: message.offset, epoch: message.epoch };
    entry.resume = newer(entry.resume, message);
    return entry.handler;
  }

  /** Takes a join ack's position as the place to resume from, when it is newer. */
  applyAck(room: string, ack: Partial<StreamPosition>): void {
    const entry = this.rooms.get(room);
    if (entry && isPosition(ack)) entry.resume = newer(entry.resume, ack);
  }
}
