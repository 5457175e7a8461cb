import { Inject, Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { APP_CONFIG, AppConfig } from '../config';

let processRegistry: Registry | undefined;

/**
 * CPU, memory, event loop and GC describe the process, not one application in it: they are
 * collected once per process and shown by every app (the end-to-end tests run several apps in
 * one process, and collectDefaultMetrics starts observers that are never stopped).
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** This application's Prometheus registry; every series carries `node` (NODE_ID). */
@Injectable()
export class MetricsRegistry {
  readonly registry = new Registry();

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.registry.setDefaultLabels({ node: config.nodeId });
    const shared = processMetrics();
    for (const { name } of shared.getMetricsAsArray()) this.registry.registerMetric(shared.getSingleMetric(name)!);
  }

  /** The exposition text of every metric. */
  scrape(): Promise<string> {
    return this.registry.metrics();
  }
}
