import type { IncomingMessage } from 'node:http';
import { extractCredential, selectProtocol } from './upgrade-request';

const req = (url: string, headers: Record<string, string> = {}) => ({ url, headers }) as unknown as IncomingMessage;

describe('extractCredential', () => {
  it.each<[string, IncomingMessage, ReturnType<typeof extractCredential>]>([
    ['a Bearer header first', req('/ws?token=q&ticket=t', { authorization: 'bearer h', 'sec-websocket-protocol': 'realtime.v1, bearer.p' }), { kind: 'token', token: 'h' }],
    ['then the bearer subprotocol', req('/ws?token=q&ticket=t', { 'sec-websocket-protocol': 'realtime.v1, bearer.p' }), { kind: 'token', token: 'p' }],
    ['then a ticket', req('/ws?token=q&ticket=t'), { kind: 'ticket', ticket: 't' }],
    ['then ?token=', req('/ws?token=q', { authorization: 'Basic x' }), { kind: 'token', token: 'q' }],
    ['nothing', req('/ws'), { kind: 'none' }],
    ['a bearer subprotocol without the app protocol', req('/ws', { 'sec-websocket-protocol': 'bearer.p' }), { kind: 'bad-protocol' }],
    ['the app protocol alone', req('/ws', { 'sec-websocket-protocol': 'realtime.v1' }), { kind: 'none' }],
  ])('%s', (_name, request, expected) => {
    expect(extractCredential(request)).toEqual(expected);
  });
});

describe('selectProtocol (ws handleProtocols)', () => {
  it('selects realtime.v1 and never a bearer entry', () => {
    expect(selectProtocol(new Set(['bearer.secret', 'realtime.v1']))).toBe('realtime.v1');
    expect(selectProtocol(new Set(['bearer.secret']))).toBe(false);
    expect(selectProtocol(new Set(['chat']))).toBe(false);
  });
});
