import type { StoredMessage } from '../history/history-store';
import { Bus, BusListener, ControlHandler, ControlMessage } from './bus';
import { ControlHandlers } from './bus-codec';

/** One node: the bus hands everything straight back to this node's listener. */
export class InMemoryBus implements Bus {
  private listener?: BusListener;
  private readonly handlers = new ControlHandlers();

  listen(listener: BusListener): void {
    this.listener = listener;
  }

  messageStored(room: string, { data, frame }: StoredMessage): void {
    this.listener?.roomMessage(room, data.offset, data.epoch, frame);
  }

  async roomEvent(room: string, frame: Buffer, exceptSessionId?: string): Promise<void> {
    this.listener?.roomEvent(room, frame, exceptSessionId);
  }

  async toUser(userId: string, frame: Buffer): Promise<void> {
    this.listener?.userFrame(userId, frame);
  }

  async toAll(frame: Buffer): Promise<void> {
    this.listener?.allFrame(frame);
  }

  async kick(_nodeId: string, sessionId: string): Promise<void> {
    this.listener?.kick(sessionId);
  }

  async control(message: ControlMessage): Promise<void> {
    this.handlers.dispatch(message);
  }

  onControl(handler: ControlHandler): void {
    this.handlers.add(handler);
  }
}
