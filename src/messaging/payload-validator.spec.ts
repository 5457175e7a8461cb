import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsInt, IsString, ValidateNested } from 'class-validator';
import { ErrorCode, ErrorDetail } from '../protocol';
import { DirectSendDto } from './dto/direct-send.dto';
import { EmptyDto } from './dto/empty.dto';
import { RoomDto, RoomPublishDto } from './dto/room.dto';
import { MessageError } from './message-error';
import { validatePayload } from './payload-validator';

const ROOM_RULE = 'room must be 1-128 characters of A-Z a-z 0-9 : _ . -';
const BODY_RULE = 'body is required (any JSON value)';

/** The details of the VALIDATION_FAILED error validatePayload throws, or fails the test. */
function failure(dto: new () => object, data: Record<string, unknown>): ErrorDetail[] {
  try {
    validatePayload(dto, data);
  } catch (err) {
    if (!(err instanceof MessageError)) throw err;
    expect(err.code).toBe(ErrorCode.ValidationFailed);
    expect(err.message).toBe('data failed validation');
    return err.details ?? [];
  }
  throw new Error(`validatePayload accepted ${JSON.stringify(data)}`);
}

describe('validatePayload', () => {
  describe('RoomDto (room.join, room.leave)', () => {
    it.each(['lobby', 'a', 'public:lobby', 'private:team-red', 'A-Z_a.z:0-9', 'r'.repeat(128)])('accepts room "%s"', (room) => {
      const dto = validatePayload(RoomDto, { room });
      expect(dto).toBeInstanceOf(RoomDto);
      expect(dto.room).toBe(room);
    });

    it.each<{ name: string; room: unknown }>([
      { name: 'empty', room: '' },
      { name: '129 characters', room: 'r'.repeat(129) },
      { name: 'a space', room: 'my room' },
      { name: 'a leading space', room: ' lobby' },
      { name: 'a slash', room: 'room/1' },
      { name: 'a trailing newline', room: 'lobby\n' },
      { name: 'a wildcard', room: 'public:*' },
      { name: 'non-ASCII letters', room: 'salón' },
      { name: 'a number', room: 5 },
      { name: 'null', room: null },
      { name: 'an array', room: ['lobby'] },
    ])('refuses a room with $name', ({ room }) => {
      expect(failure(RoomDto, { room })).toEqual([{ field: 'room', constraints: [ROOM_RULE] }]);
    });

    it('refuses a missing room', () => {
      expect(failure(RoomDto, {})).toEqual([{ field: 'room', constraints: [ROOM_RULE] }]);
    });

    it('refuses unknown properties in one detail that lists the accepted ones', () => {
      expect(failure(RoomDto, { room: 'lobby', extra: 1, other: 'x' })).toEqual([
        { field: '*', constraints: ['unknown property; accepted: room'] },
      ]);
    });

    it.each([1, 64, 1000])('never echoes an unknown key (%i characters)', (length) => {
      const name = 'z'.repeat(length);
      const details = failure(RoomDto, { room: 'lobby', [name]: true });
      expect(JSON.stringify(details)).not.toContain(name);
    });
  });

  describe('RoomPublishDto (room.publish)', () => {
    it.each<{ name: string; body: unknown }>([
      { name: 'an object', body: { text: 'hi' } },
      { name: 'a string', body: 'hi' },
      { name: 'an empty string', body: '' },
      { name: 'zero', body: 0 },
      { name: 'false', body: false },
      { name: 'an array', body: [1, 2] },
      { name: 'null', body: null },
    ])('accepts $name as body', ({ body }) => {
      const dto = validatePayload(RoomPublishDto, { room: 'lobby', body });
      expect(dto).toBeInstanceOf(RoomPublishDto);
      expect(dto).toEqual({ room: 'lobby', body });
    });

    it.each<{ name: string; data: Record<string, unknown> }>([
      { name: 'a missing body', data: { room: 'lobby' } },
      { name: 'an undefined body', data: { room: 'lobby', body: undefined } },
    ])('refuses $name', ({ data }) => {
      expect(failure(RoomPublishDto, data)).toEqual([{ field: 'body', constraints: [BODY_RULE] }]);
    });

    it('reports the room and the body together', () => {
      const details = failure(RoomPublishDto, { room: 'no spaces allowed' });
      expect(details).toHaveLength(2);
      expect(details).toEqual(
        expect.arrayContaining([
          { field: 'room', constraints: [ROOM_RULE] },
          { field: 'body', constraints: [BODY_RULE] },
        ]),
      );
    });
  });

  describe('DirectSendDto (direct.send)', () => {
    it.each(['bob', 'u', 'u'.repeat(256), 'user with spaces'])('accepts to="%s"', (to) => {
      expect(validatePayload(DirectSendDto, { to, body: { text: 'hi' } })).toEqual({ to, body: { text: 'hi' } });
    });

    it.each<{ name: string; data: Record<string, unknown>; field: string }>([
      { name: 'an empty to', data: { to: '', body: 1 }, field: 'to' },
      { name: 'a to of 257 characters', data: { to: 'u'.repeat(257), body: 1 }, field: 'to' },
      { name: 'a numeric to', data: { to: 7, body: 1 }, field: 'to' },
      { name: 'a missing to', data: { body: 1 }, field: 'to' },
      { name: 'a missing body', data: { to: 'bob' }, field: 'body' },
    ])('refuses $name', ({ data, field }) => {
      const details = failure(DirectSendDto, data);
      expect(details.map((d) => d.field)).toEqual([field]);
      expect(details[0].constraints.length).toBeGreaterThan(0);
    });
  });

  describe('EmptyDto (ping, presence.get)', () => {
    it('accepts {}', () => {
      expect(validatePayload(EmptyDto, {})).toBeInstanceOf(EmptyDto);
    });

    it.each<Record<string, unknown>>([{ a: 1 }, { room: 'lobby' }, { x: null }, { x: undefined }])('refuses %p', (data) => {
      expect(failure(EmptyDto, data)).toEqual([{ field: '*', constraints: ['unknown property; data must be empty'] }]);
    });
  });

  describe('nested DTOs report dotted field paths', () => {
    class Item {
      @IsInt()
      qty!: number;
    }

    class Inner {
      @IsString()
      name!: string;
    }

    class Outer {
      @ValidateNested()
      @Type(() => Inner)
      inner!: Inner;

      @ValidateNested({ each: true })
      @Type(() => Item)
      items!: Item[];
    }

    it('accepts a valid nested payload and builds the nested instances', () => {
      const dto = validatePayload(Outer, { inner: { name: 'n' }, items: [{ qty: 1 }] });
      expect(dto.inner).toBeInstanceOf(Inner);
      expect(dto.items[0]).toBeInstanceOf(Item);
    });

    it.each<{ name: string; data: Record<string, unknown>; fields: string[] }>([
      { name: 'a bad nested value', data: { inner: { name: 5 }, items: [] }, fields: ['inner.name'] },
      { name: 'an unknown nested property', data: { inner: { name: 'n', extra: 1 }, items: [] }, fields: ['inner.*'] },
      { name: 'a bad array element', data: { inner: { name: 'n' }, items: [{ qty: 1 }, { qty: 'x' }] }, fields: ['items.1.qty'] },
      { name: 'two nested problems', data: { inner: {}, items: [{ qty: 1.5 }] }, fields: ['inner.name', 'items.0.qty'] },
    ])('$name -> $fields', ({ data, fields }) => {
      expect(failure(Outer, data).map((d) => d.field)).toEqual(fields);
    });

    it('lists the nested class accepted properties for an unknown nested key, without echoing it', () => {
      const key = 'z'.repeat(100);
      expect(failure(Outer, { inner: { name: 'n', [key]: 1 }, items: [] })).toEqual([
        { field: 'inner.*', constraints: ['unknown property; accepted: name'] },
      ]);
    });
  });
});
