import { Injectable } from '@nestjs/common';
import { ErrorCode, ServerMessageType } from '../protocol';
import { FrameTypeReader } from './frame-type';
import { MetricsRegistry } from './metrics-registry';
import { CounterSlot, SlotCounter } from './slot-counter';

const OUT_TYPES: readonly string[] = Object.values(ServerMessageType);

/**
 * Frames and bytes in both directions, and error frames by code. Called once per frame (and per
 * recipient on the way out), so each call is a Map lookup at most and an addition.
 */
@Injectable()
export class TrafficMetrics {
  private readonly messagesIn: SlotCounter;
  private readonly inSlots = new Map<string, CounterSlot>();
  private readonly unknownIn: CounterSlot;
  private readonly messagesOut: SlotCounter;
  private readonly outSlots = new Map<string, CounterSlot>();
  private readonly otherOut: CounterSlot;
  private readonly outTypes = new FrameTypeReader(OUT_TYPES);
  private readonly errorSlots = new Map<string, CounterSlot>();
  readonly bytesIn: CounterSlot;
  readonly bytesOut: CounterSlot;
  /** A fan-out writes one buffer to many sessions in a row: its type is read once. */
  private lastFrame?: Buffer;
  private lastSlot: CounterSlot;

  constructor(metrics: MetricsRegistry) {
    const prom = metrics.registry;
    this.messagesIn = new SlotCounter(prom, 'realtime_messages_in_total', 'Client messages with a valid envelope, by type (unknown: no handler)', 'type');
    this.unknownIn = this.messagesIn.slot('unknown');
    this.messagesOut = new SlotCounter(prom, 'realtime_messages_out_total', 'Frames handed to sockets, by type (one per recipient)', 'type');
    for (const type of OUT_TYPES) this.outSlots.set(type, this.messagesOut.slot(type));
    this.otherOut = this.messagesOut.slot('other');
    this.lastSlot = this.otherOut;
    const errors = new SlotCounter(prom, 'realtime_errors_total', 'Error frames sent, by code', 'code');
    for (const code of Object.values(ErrorCode)) this.errorSlots.set(code, errors.slot(code));
    this.bytesIn = new SlotCounter(prom, 'realtime_bytes_in_total', 'Bytes of text frames received').slot();
    this.bytesOut = new SlotCounter(prom, 'realtime_bytes_out_total', 'Bytes of frames handed to sockets').slot();
  }

  /** The handled types get their own series; call once the handlers are known. */
  knownTypes(types: Iterable<string>): void {
    for (const type of types) this.inSlots.set(type, this.messagesIn.slot(type));
  }

  messageIn(type: string): void {
    (this.inSlots.get(type) ?? this.unknownIn).value++;
  }

  frameOut(encoded: Buffer): void {
    if (encoded !== this.lastFrame) {
      this.lastFrame = encoded;
      const type = this.outTypes.read(encoded);
      this.lastSlot = (type && this.outSlots.get(type)) || this.otherOut;
    }
    this.lastSlot.value++;
    this.bytesOut.value += encoded.length;
  }

  errorSent(code: string): void {
    const slot = this.errorSlots.get(code);
    if (slot) slot.value++;
  }

  get messagesInTotal(): number {
    return this.messagesIn.total();
  }

  get messagesOutTotal(): number {
    return this.messagesOut.total();
  }
}
