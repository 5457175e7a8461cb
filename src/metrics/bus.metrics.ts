import { Injectable } from '@nestjs/common';
import { MetricsRegistry } from './metrics-registry';
import { CounterSlot, SlotCounter } from './slot-counter';

/**
 * What this node receives from the bus (cluster mode: from Redis), by kind. With interest-based
 * subscriptions a room's messages reach only the nodes that have a member in it: per publish,
 * `room` grows by one on each such node and stays put on the others. The Redis bus adds to the
 * slots directly, once per message (docs/operations.md).
 */
@Injectable()
export class BusMetrics {
  readonly received: Record<'room' | 'event' | 'user' | 'broadcast' | 'control' | 'kick', CounterSlot>;

  constructor(metrics: MetricsRegistry) {
    const counter = new SlotCounter(metrics.registry, 'realtime_bus_messages_received_total', 'Messages this node received from the bus (Redis), by kind', 'kind');
    this.received = {
      room: counter.slot('room'),
      event: counter.slot('event'),
      user: counter.slot('user'),
      broadcast: counter.slot('broadcast'),
      control: counter.slot('control'),
      kick: counter.slot('kick'),
    };
  }
}
