import { Counter, Gauge, Registry } from 'prom-client';

/** One label value's count. Hot paths add to `value` directly: no lookup, no allocation. */
export class CounterSlot {
  value = 0;
}

/**
 * A Prometheus counter kept as plain numbers in pre-created slots and handed to prom-client at
 * scrape time. prom-client's own labelled `inc` (even on a `.labels()` child) hashes the label
 * object into a string on every call, which is too much for a per-frame path.
 */
export class SlotCounter {
  private readonly slots = new Map<string, CounterSlot>();

  constructor(registry: Registry, name: string, help: string, labelName?: string) {
    const slots = this.slots;
    new Counter({
      name,
      help,
      labelNames: labelName ? [labelName] : [],
      registers: [registry],
      collect() {
        this.reset();
        for (const [label, slot] of slots) {
          if (labelName) this.inc({ [labelName]: label }, slot.value);
          else this.inc(slot.value);
        }
      },
    });
  }

  /** The slot of one label value (none for an unlabelled counter). Take it once, at start. */
  slot(labelValue = ''): CounterSlot {
    let slot = this.slots.get(labelValue);
    if (!slot) this.slots.set(labelValue, (slot = new CounterSlot()));
    return slot;
  }

  /** The sum over every label value. */
  total(): number {
    let sum = 0;
    for (const slot of this.slots.values()) sum += slot.value;
    return sum;
  }
}

/** A gauge read at scrape time: state that already exists elsewhere is never counted twice. */
export function collectedGauge(registry: Registry, name: string, help: string, read: () => number): void {
  new Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      this.set(read());
    },
  });
}
