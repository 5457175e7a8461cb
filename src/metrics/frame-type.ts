/**
 * Tells which of a known set of types an encoded server frame has, without parsing or allocating:
 * every frame is encodeFrame({ type, ... }), so it starts with `{"type":"<type>"`.
 */
export class FrameTypeReader<T extends string> {
  private readonly prefixes: { type: T; bytes: Buffer }[];

  constructor(types: readonly T[]) {
    this.prefixes = types.map((type) => ({ type, bytes: Buffer.from(JSON.stringify({ type }).slice(0, -1)) }));
  }

  /** The frame's type, or undefined when it is none of the known ones. */
  read(encoded: Buffer): T | undefined {
    for (const { type, bytes } of this.prefixes) {
      if (encoded.length >= bytes.length && encoded.compare(bytes, 0, bytes.length, 0, bytes.length) === 0) return type;
    }
    return undefined;
  }
}
