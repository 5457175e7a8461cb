import type { Stored, StoredMessage } from '../history/history-store';
import type { DirectMessageData } from '../protocol';
import { Bus, BusListener, ControlHandler, ControlMessage } from './bus';

const READY = Promise.resolve();
import { ControlHandlers } from './bus-codec';

/** One node: the bus hands everything straight back to this node's listener. */
export class InMemoryBus implements Bus {
  private listener?: BusListener;
  private readonly handlers = new ControlHandlers();

  constructor(
    private readonly nodeId: string,
    private readonly logger: { error(context: object, message: string): void },
  ) {}

  listen(listener: BusListener): void {
    this.listener = listener;
  }

  messageStored(room: string, { data, frame }: StoredMessage): void {
    this.listener?.roomMessage(room, data.offset, data.epoch, frame);
  }

  userMessageStored(userId: string, { data, frame }: Stored<DirectMessageData>): void {
    this.listener?.userMessage(userId, data.offset, data.epoch, frame);
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

  /** There is no other node: a kick for one goes nowhere, as on Redis when that node is gone. */
  async kick(nodeId: string, sessionId: string, code?: number): Promise<void> {
    if (nodeId === this.nodeId) this.listener?.kick(sessionId, code);
  }

  /** A handler that throws is logged, as RedisBus does: the sender's call does not fail for it. */
  async control(message: ControlMessage): Promise<void> {
    try {
      this.handlers.dispatch(message);
    } catch (err) {
      this.logger.error({ err }, 'bus: a control handler failed');
    }
  }

  onControl(handler: ControlHandler): void {
    this.handlers.add(handler);
  }

  /** One node hears everything: interest changes nothing. */
  interest(): void {}

  subscribed(): Promise<void> {
    return READY;
  }

  disinterest(): void {}
}
