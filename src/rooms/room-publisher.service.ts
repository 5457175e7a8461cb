import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { BUS, Bus } from '../bus/bus';
import { HISTORY_STORE, HistoryStore } from '../history/history-store';
import { DeliveryLatency } from '../metrics/delivery-latency';
import { PublishAck } from '../protocol';
import { fromStore } from '../messaging/store-access';

/**
 * Publishes to a room: stored in history first (which assigns the offset), then handed to the bus,
 * which brings it to every member on every node. The ack is only given once both happened; a
 * failing store answers UNAVAILABLE instead.
 */
@Injectable()
export class RoomPublisherService {
  constructor(
    @Inject(HISTORY_STORE) private readonly history: HistoryStore,
    @Inject(BUS) private readonly bus: Bus,
    private readonly latency: DeliveryLatency,
  ) {}

  async publish(from: string, room: string, body: unknown): Promise<PublishAck> {
    const message = { room, messageId: randomUUID(), from, body, ts: Date.now() };
    const stored = await fromStore(() => this.history.append(room, message));
    this.bus.messageStored(room, stored);
    this.latency.delivered(stored.data.ts);
    const { data } = stored;
    return { messageId: data.messageId, ts: data.ts, offset: data.offset, epoch: data.epoch };
  }
}
