import { encodeFrame } from '../protocol';
import { FrameTypeReader } from './frame-type';

describe('FrameTypeReader', () => {
  const reader = new FrameTypeReader(['message', 'presence.join', 'ack'] as const);

  it.each([
    [{ type: 'message', data: { body: 'x' } }, 'message'],
    [{ type: 'presence.join', data: {} }, 'presence.join'],
    [{ type: 'ack', id: 'a', data: null }, 'ack'],
  ])('reads the type of %j', (frame, type) => {
    expect(reader.read(encodeFrame(frame))).toBe(type);
  });

  it.each([
    ['a longer type sharing a prefix', { type: 'messages' }],
    ['a shorter one', { type: 'messag' }],
    ['an unknown type', { type: 'typing', data: {} }],
    ['a frame whose type is not first', { data: {}, type: 'message' }],
  ])('returns undefined for %s', (_name, frame) => {
    expect(reader.read(encodeFrame(frame))).toBeUndefined();
  });

  it('returns undefined for a buffer shorter than any prefix', () => {
    expect(reader.read(Buffer.from('{"ty'))).toBeUndefined();
  });
});
