import type { StreamPosition } from './protocol';

export const isPosition = (value: Partial<StreamPosition> | undefined): value is StreamPosition =>
  !!value && typeof value.offset === 'number' && Number.isFinite(value.offset) && typeof value.epoch === 'string';

/** The newer of two positions: the larger offset within one epoch; across epochs, the later news (`next`). */
export const newer = (current: StreamPosition | undefined, next: StreamPosition): StreamPosition =>
  current && current.epoch === next.epoch && current.offset > next.offset ? current : { offset: next.offset, epoch: next.epoch };

/** A message at or before `last` in the same epoch: already delivered. */
export const isDuplicate = (last: StreamPosition | undefined, message: StreamPosition): boolean =>
  !!last && last.epoch === message.epoch && message.offset <= last.offset;
