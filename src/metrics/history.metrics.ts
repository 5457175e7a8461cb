import { Inject, Injectable } from '@nestjs/common';
import { HISTORY_STORE, HistoryStore } from '../history/history-store';
import { MetricsRegistry } from './metrics-registry';
import { collectedGauge } from './slot-counter';

/** History memory, for stores that hold it in this process. */
@Injectable()
export class HistoryMetrics {
  constructor(metrics: MetricsRegistry, @Inject(HISTORY_STORE) store: HistoryStore) {
    if (store.sharedAcrossNodes) return;
    collectedGauge(metrics.registry, 'realtime_history_bytes', 'Bytes of room history held in memory (HISTORY_MAX_BYTES caps it)', () => store.bytes);
    collectedGauge(metrics.registry, 'realtime_history_streams', 'Room streams held in memory', () => store.streamCount);
  }
}
