import { Injectable } from '@nestjs/common';
import { CloseCode } from '../protocol';
import { ConnectionRegistryService } from '../registry/connection-registry.service';
import { MetricsRegistry } from './metrics-registry';
import { collectedGauge, CounterSlot, SlotCounter } from './slot-counter';

/** Upgrade outcomes the verifier gives: accepted, or the HTTP status of the refusal. */
const UPGRADE_RESULTS = ['ok', '400', '401', '403', '429', '500', '503'];

/** Close codes get their own series; a peer can send any code, so the rest share `other`. */
const KNOWN_CLOSE_CODES = [...new Set<number>([1000, 1002, 1005, 1006, 1007, 1008, ...Object.values(CloseCode)])];

/** Connections: upgrades, closes, server-side terminations, and what is open now. */
@Injectable()
export class GatewayMetrics {
  private readonly upgrades: SlotCounter;
  private readonly closeSlots = new Map<number, CounterSlot>();
  private readonly otherClose: CounterSlot;
  readonly heartbeatTerminations: CounterSlot;
  readonly slowConsumerCloses: CounterSlot;

  constructor(metrics: MetricsRegistry, registry: ConnectionRegistryService) {
    const prom = metrics.registry;
    this.upgrades = new SlotCounter(prom, 'realtime_upgrades_total', 'WebSocket upgrade requests by result: ok or the refusal status', 'result');
    for (const result of UPGRADE_RESULTS) this.upgrades.slot(result);
    const closes = new SlotCounter(prom, 'realtime_closes_total', 'Closed connections by close code', 'code');
    for (const code of KNOWN_CLOSE_CODES) this.closeSlots.set(code, closes.slot(String(code)));
    this.otherClose = closes.slot('other');
    const terminations = new SlotCounter(prom, 'realtime_terminations_total', 'Sessions the server ended for misbehaving, by reason', 'reason');
    this.heartbeatTerminations = terminations.slot('heartbeat');
    this.slowConsumerCloses = terminations.slot('slow_consumer');
    collectedGauge(prom, 'realtime_connections', 'Open WebSocket connections', () => registry.size);
    collectedGauge(prom, 'realtime_users', 'Users with at least one open connection', () => registry.userCount);
    collectedGauge(prom, 'realtime_rooms', 'Rooms with at least one member', () => registry.roomCount);
  }

  upgraded(result: 'ok' | number): void {
    this.upgrades.slot(String(result)).value++;
  }

  closed(code: number): void {
    (this.closeSlots.get(code) ?? this.otherClose).value++;
  }
}
