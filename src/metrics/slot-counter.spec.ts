import { Registry } from 'prom-client';
import { collectedGauge, SlotCounter } from './slot-counter';

describe('SlotCounter', () => {
  it('exposes each slot as a labelled series, read at scrape time', async () => {
    const registry = new Registry();
    const counter = new SlotCounter(registry, 'test_frames_total', 'frames', 'type');
    const ack = counter.slot('ack');
    counter.slot('error');
    ack.value += 3;
    expect(await registry.getSingleMetricAsString('test_frames_total')).toContain('test_frames_total{type="ack"} 3');
    ack.value++;
    const text = await registry.getSingleMetricAsString('test_frames_total');
    expect(text).toContain('test_frames_total{type="ack"} 4');
    expect(text).toContain('test_frames_total{type="error"} 0');
    expect(text).toContain('# TYPE test_frames_total counter');
    expect(counter.total()).toBe(4);
  });

  it('returns the same slot for the same label value', () => {
    const counter = new SlotCounter(new Registry(), 'test_same_total', 'x', 'code');
    expect(counter.slot('a')).toBe(counter.slot('a'));
  });

  it('supports an unlabelled counter', async () => {
    const registry = new Registry();
    const bytes = new SlotCounter(registry, 'test_bytes_total', 'bytes');
    bytes.slot().value += 42;
    expect(await registry.getSingleMetricAsString('test_bytes_total')).toMatch(/^test_bytes_total 42$/m);
  });
});

describe('collectedGauge', () => {
  it('reads its value at each scrape', async () => {
    const registry = new Registry();
    let value = 1;
    collectedGauge(registry, 'test_gauge', 'g', () => value);
    expect(await registry.getSingleMetricAsString('test_gauge')).toMatch(/^test_gauge 1$/m);
    value = 7;
    expect(await registry.getSingleMetricAsString('test_gauge')).toMatch(/^test_gauge 7$/m);
  });
});
