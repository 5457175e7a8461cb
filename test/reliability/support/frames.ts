import { randomBytes } from 'node:crypto';

/** RFC 6455 opcodes. */
export const Op = { Continuation: 0x0, Text: 0x1, Binary: 0x2, Close: 0x8, Ping: 0x9, Pong: 0xa } as const;

export interface FrameSpec {
  opcode: number;
  payload?: Buffer | string;
  fin?: boolean;
  /** RSV1-3 as a 3-bit number (4 = RSV1). */
  rsv?: number;
  /** Clients must mask; `false` builds the illegal unmasked client frame. */
  masked?: boolean;
}

/**
 * Builds one client frame byte by byte, so tests can send what no WebSocket library would:
 * reserved bits and opcodes, oversized or fragmented control frames, unmasked frames.
 */
export function frame({ opcode, payload = Buffer.alloc(0), fin = true, rsv = 0, masked = true }: FrameSpec): Buffer {
  const data = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const lengthBytes = data.length < 126 ? 0 : data.length < 65536 ? 2 : 8;
  const head = Buffer.alloc(2 + lengthBytes + (masked ? 4 : 0));
  head[0] = (fin ? 0x80 : 0) | ((rsv & 7) << 4) | (opcode & 0x0f);
  const lengthCode = lengthBytes === 0 ? data.length : lengthBytes === 2 ? 126 : 127;
  head[1] = (masked ? 0x80 : 0) | lengthCode;
  if (lengthBytes === 2) head.writeUInt16BE(data.length, 2);
  if (lengthBytes === 8) head.writeBigUInt64BE(BigInt(data.length), 2);
  if (!masked) return Buffer.concat([head, data]);
  const key = randomBytes(4);
  key.copy(head, 2 + lengthBytes);
  const body = Buffer.from(data);
  for (let i = 0; i < body.length; i++) body[i] ^= key[i & 3];
  return Buffer.concat([head, body]);
}

export const text = (payload: string | Buffer, fin = true) => frame({ opcode: Op.Text, payload, fin });
export const continuation = (payload: string | Buffer, fin = true) => frame({ opcode: Op.Continuation, payload, fin });
export const ping = (payload: string | Buffer = '') => frame({ opcode: Op.Ping, payload });

/** A close frame with `code` (and reason); `raw` sends exactly those payload bytes instead. */
export function close(code?: number, reason = '', raw?: Buffer): Buffer {
  if (raw) return frame({ opcode: Op.Close, payload: raw });
  if (code === undefined) return frame({ opcode: Op.Close });
  const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
  payload.writeUInt16BE(code, 0);
  payload.write(reason, 2);
  return frame({ opcode: Op.Close, payload });
}

export interface ServerFrame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
}

/** Parses the (unmasked) server frames at the start of `buffer`; returns them and the unparsed rest. */
export function parseFrames(buffer: Buffer): { frames: ServerFrame[]; rest: Buffer } {
  const frames: ServerFrame[] = [];
  let offset = 0;
  for (;;) {
    if (buffer.length - offset < 2) break;
    const b0 = buffer[offset];
    const b1 = buffer[offset + 1];
    let length = b1 & 0x7f;
    let start = offset + 2;
    if (length === 126) {
      if (buffer.length < start + 2) break;
      length = buffer.readUInt16BE(start);
      start += 2;
    } else if (length === 127) {
      if (buffer.length < start + 8) break;
      length = Number(buffer.readBigUInt64BE(start));
      start += 8;
    }
    if (buffer.length < start + length) break;
    frames.push({ fin: (b0 & 0x80) !== 0, opcode: b0 & 0x0f, payload: buffer.subarray(start, start + length) });
    offset = start + length;
  }
  return { frames, rest: buffer.subarray(offset) };
}
