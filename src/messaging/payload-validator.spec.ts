import 'reflect-metadata';
import { plainToInstance, Transform, Type } from 'class-transformer';
import { IsEmail, IsInt, IsObject, IsOptional, IsString, validateSync, ValidateNested } from 'class-validator';
import { ErrorCode, ErrorDetail, HISTORY_PAGE_MAX } from '../protocol';
import { DtoShape } from './dto-shape';
import { AuthRefreshDto } from './dto/auth-refresh.dto';
import { DirectSendDto } from './dto/direct-send.dto';
import { EmptyDto } from './dto/empty.dto';
import { RoomHistoryDto } from '../rooms/dto/room-history.dto';
import { RoomJoinDto, StreamPositionDto } from '../rooms/dto/room-join.dto';
import { RoomDto, RoomPublishDto } from '../rooms/dto/room.dto';
import { MessageError } from './message-error';
import { preparePayloadValidator, validatePayload } from './payload-validator';

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

describe('validatePayload: keys named like Object.prototype members (reliability F1, F3)', () => {
  const ROOM_UNKNOWN = { field: '*', constraints: ['unknown property; accepted: room'] };

  it.each(['toString', 'valueOf', 'hasOwnProperty', 'constructor', 'isPrototypeOf', 'toLocaleString'])('refuses "%s" as an unknown property (F3)', (key) => {
    expect(failure(RoomDto, { room: 'lobby', [key]: 1 })).toEqual([ROOM_UNKNOWN]);
    expect(failure(EmptyDto, { [key]: 1 })).toEqual([{ field: '*', constraints: ['unknown property; data must be empty'] }]);
  });

  it.each<Record<string, unknown>>([{ constructor: 'Bob' }, { constructor: { constructor: 1 } }, { toString: 'x' }])('refuses %p in a nested DTO with VALIDATION_FAILED, not INTERNAL (F1)', (extra) => {
    expect(failure(RoomJoinDto, { room: 'lobby', since: { offset: 0, epoch: 'e', ...extra } })).toEqual([
      { field: 'since.*', constraints: ['unknown property; accepted: epoch, offset'] },
    ]);
  });

  it('answers VALIDATION_FAILED for an object with a constructor key where a number is expected (F1)', () => {
    const details = failure(RoomHistoryDto, { room: 'lobby', limit: { constructor: 'x' } });
    expect(details.map((d) => d.field)).toEqual(['limit']);
  });

  it('accepts an object with a constructor key where any object is accepted', () => {
    class Meta {
      @IsObject()
      meta!: object;
    }
    expect(validatePayload(Meta, { meta: { constructor: 'Bob' } })).toEqual({ meta: { constructor: 'Bob' } });
  });

  it('keeps a constructor key in a raw JSON body', () => {
    expect(validatePayload(RoomPublishDto, { room: 'lobby', body: { constructor: 'Bob', toString: 1 } })).toEqual({
      room: 'lobby',
      body: { constructor: 'Bob', toString: 1 },
    });
  });
});

describe('the compiled checker agrees with class-validator', () => {
  /** class-validator's verdict on its own, the way validatePayload worked before the fast path. */
  function classValidatorAccepts(dto: new () => object, data: Record<string, unknown>): boolean {
    return validateSync(plainToInstance(dto, data), { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: false }).length === 0;
  }

  const accepts = (fn: () => unknown) => {
    try {
      fn();
      return true;
    } catch (err) {
      if (err instanceof MessageError) return false;
      throw err;
    }
  };

  const cases: [new () => object, Record<string, unknown>][] = [
    [RoomDto, { room: 'lobby' }],
    [RoomDto, { room: '' }],
    [RoomDto, { room: 'r'.repeat(128) }],
    [RoomDto, { room: 'r'.repeat(129) }],
    [RoomDto, { room: 'a b' }],
    [RoomDto, { room: 1 }],
    [RoomDto, { room: null }],
    [RoomDto, {}],
    [RoomDto, { room: 'lobby', x: 1 }],
    [RoomPublishDto, { room: 'lobby', body: null }],
    [RoomPublishDto, { room: 'lobby', body: 0 }],
    [RoomPublishDto, { room: 'lobby' }],
    [DirectSendDto, { to: 'bob', body: 1 }],
    [DirectSendDto, { to: '', body: 1 }],
    [DirectSendDto, { to: 'u'.repeat(256), body: 1 }],
    [DirectSendDto, { to: 'u'.repeat(257), body: 1 }],
    [DirectSendDto, { to: '😀', body: 1 }],
    [DirectSendDto, { to: '😀'.repeat(200), body: 1 }],
    [DirectSendDto, { to: '😀'.repeat(129), body: 1 }],
    [AuthRefreshDto, { token: 'a.b.c' }],
    [AuthRefreshDto, { token: '' }],
    [AuthRefreshDto, { token: 7 }],
    [RoomHistoryDto, { room: 'lobby' }],
    [RoomHistoryDto, { room: 'lobby', limit: 1 }],
    [RoomHistoryDto, { room: 'lobby', limit: HISTORY_PAGE_MAX }],
    [RoomHistoryDto, { room: 'lobby', limit: HISTORY_PAGE_MAX + 1 }],
    [RoomHistoryDto, { room: 'lobby', limit: 0 }],
    [RoomHistoryDto, { room: 'lobby', limit: 1.5 }],
    [RoomHistoryDto, { room: 'lobby', limit: '5' }],
    [RoomHistoryDto, { room: 'lobby', limit: null, before: null }],
    [RoomHistoryDto, { room: 'lobby', before: 0 }],
    [RoomHistoryDto, { room: 'lobby', before: 10 }],
    [RoomJoinDto, { room: 'lobby' }],
    [RoomJoinDto, { room: 'lobby', since: null }],
    [RoomJoinDto, { room: 'lobby', since: { offset: 0, epoch: 'e' } }],
    [RoomJoinDto, { room: 'lobby', since: { offset: -1, epoch: 'e' } }],
    [RoomJoinDto, { room: 'lobby', since: { offset: 0, epoch: '' } }],
    [RoomJoinDto, { room: 'lobby', since: { offset: 0 } }],
    [RoomJoinDto, { room: 'lobby', since: { offset: 0, epoch: 'e', x: 1 } }],
    [RoomJoinDto, { room: 'lobby', since: 5 }],
    [RoomJoinDto, { room: 'lobby', since: 'x' }],
    [RoomJoinDto, { room: 'lobby', since: [] }],
    [RoomJoinDto, { room: 'lobby', since: [{ offset: 0, epoch: 'e' }] }],
    [EmptyDto, {}],
    [EmptyDto, { a: 1 }],
  ];

  it('compiles every built-in DTO', () => {
    for (const dto of [RoomDto, RoomPublishDto, DirectSendDto, AuthRefreshDto, RoomHistoryDto, RoomJoinDto, StreamPositionDto, EmptyDto]) {
      expect(preparePayloadValidator(dto)).toBe(true);
    }
  });

  it.each(cases.map(([dto, data]) => [dto.name, JSON.stringify(data), dto, data] as const))('%s %s', (_name, _json, dto, data) => {
    const fast = DtoShape.of(dto).tryBuild(data);
    const accepted = classValidatorAccepts(dto, data);
    // The fast path never accepts what class-validator refuses, and takes every valid payload but
    // arrays in place of a nested DTO (class-validator's verdict on those stands).
    expect(fast !== undefined).toBe(accepted && !Object.values(data).some(Array.isArray));
    expect(accepts(() => validatePayload(dto, data))).toBe(accepted);
    if (fast !== undefined) {
      expect(fast).toBeInstanceOf(dto);
      expect(fast).toEqual(plainToInstance(dto, data));
    }
  });

  it('builds nested DTO instances', () => {
    const dto = DtoShape.of(RoomJoinDto).tryBuild({ room: 'lobby', since: { offset: 3, epoch: 'e' } }) as RoomJoinDto;
    expect(dto.since).toBeInstanceOf(StreamPositionDto);
  });

  it('leaves DTOs with other decorators to class-validator, which still validates them', () => {
    class Email {
      @IsEmail()
      email!: string;
    }
    class Trimmed {
      @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
      @IsString()
      name!: string;
    }
    expect(preparePayloadValidator(Email)).toBe(false);
    expect(preparePayloadValidator(Trimmed)).toBe(false);
    expect(validatePayload(Email, { email: 'a@b.org' })).toEqual({ email: 'a@b.org' });
    expect(failure(Email, { email: 'nope' }).map((d) => d.field)).toEqual(['email']);
    expect(validatePayload(Trimmed, { name: '  x ' })).toEqual({ name: 'x' });
  });

  it('keeps class defaults for absent optional properties', () => {
    class WithDefault {
      @IsOptional()
      @IsInt()
      limit: number = 7;
    }
    expect(preparePayloadValidator(WithDefault)).toBe(true);
    expect(validatePayload(WithDefault, {})).toEqual({ limit: 7 });
    expect(failure(WithDefault, { limit: 'x' }).map((d) => d.field)).toEqual(['limit']);
  });
});
