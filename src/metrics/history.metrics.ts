import { Inject, Injectable } from '@nestjs/common';
import { HISTORY_STORE, HistoryStore } from '../history/history-store';
import { MetricsRegistry } from './metrics-registry';
import { collectedGauge } from './slot-counter';

/** What the in-memory store exposes about its size; a Redis store keeps that in Redis. */
interface SizedStore {
  bytes: number;
  streamCount: number;
}

const isSized = (store: object): store is SizedStore =>
  typeof (store as Partial<SizedStore>).bytes === 'number' && typeof (store as Partial<SizedStore>).streamCount === 'number';

/** History memory, for stores that hold it in this process. */
@Injectable()
export class HistoryMetrics {
  constructor(metrics: MetricsRegistry, @Inject(HISTORY_STORE) store: HistoryStore) {
    if (!isSized(store)) return;
    collectedGauge(metrics.registry, 'realtime_history_bytes', 'Bytes of room history held in memory (HISTORY_MAX_BYTES caps it)', () => store.bytes);
    collectedGauge(metrics.registry, 'realtime_history_streams', 'Room streams held in memory', () => store.streamCount);
  }
}
