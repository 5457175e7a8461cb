import { COMMON_ERROR_CODES, ErrorCode } from './error-codes';
import { errorDataSchema, REPLY_DATA_SCHEMAS, SERVER_EVENT_SCHEMAS } from './frame-schemas';
import { ClientMessageType } from './messages';

describe('frame schemas', () => {
  it('has the reply data of every built-in type (pong: none) and the unasked frames', () => {
    expect(Object.keys(REPLY_DATA_SCHEMAS).sort()).toEqual(Object.values(ClientMessageType).sort());
    expect(REPLY_DATA_SCHEMAS.ping).toBeUndefined();
    expect(Object.keys(SERVER_EVENT_SCHEMAS).sort()).toEqual(['broadcast', 'direct', 'message', 'presence.join', 'presence.leave', 'receipt', 'welcome']);
  });

  it('marks required exactly the properties the interface requires', () => {
    expect(REPLY_DATA_SCHEMAS['room.join']).toMatchObject({ required: ['room', 'offset', 'epoch'], additionalProperties: false });
    expect(Object.keys(REPLY_DATA_SCHEMAS['room.join']!.properties as object)).toEqual(['room', 'offset', 'epoch', 'recovered']);
  });

  it('narrows the error code to the codes given', () => {
    expect(errorDataSchema(COMMON_ERROR_CODES)).toMatchObject({ properties: { code: { enum: COMMON_ERROR_CODES } }, required: ['code', 'message'] });
    expect((errorDataSchema().properties as { code: { enum: string[] } }).code.enum).toEqual(Object.values(ErrorCode));
  });
});
