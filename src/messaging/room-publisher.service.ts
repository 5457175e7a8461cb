import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { FanoutService } from '../delivery/fanout.service';
import { HISTORY_STORE, HistoryStore } from '../history/history-store';
import { PublishAck } from '../protocol';
import { fromHistory } from './history-access';

/**
 * Publishes to a room: stored in history first (which assigns the offset), then handed to every
 * member. The ack is only given once both happened; a failing store answers UNAVAILABLE instead.
 */
@Injectable()
export class RoomPublisher {
  constructor(
    @Inject(HISTORY_STORE) private readonly history: HistoryStore,
    private readonly fanout: FanoutService,
  ) {}

  async publish(from: string, room: string, body: unknown): Promise<PublishAck> {
    const message = { room, messageId: randomUUID(), from, body, ts: Date.now() };
    const { data, frame } = await fromHistory(() => this.history.append(room, message));
    this.fanout.toRoom(room, frame, undefined, data.offset);
    return { messageId: data.messageId, ts: data.ts, offset: data.offset, epoch: data.epoch };
  }
}
