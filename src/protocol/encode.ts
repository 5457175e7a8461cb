import { ServerEnvelope } from './envelope';

/** Serializes a frame once; the result can be written to any number of sockets. */
export function encodeFrame<T>(frame: ServerEnvelope<T>): Buffer {
  return Buffer.from(JSON.stringify(frame));
}
