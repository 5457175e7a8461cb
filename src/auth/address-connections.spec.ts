import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { AddressConnections } from './address-connections';

const fakeSocket = (destroyed = false) => Object.assign(new EventEmitter(), { destroyed }) as unknown as Socket;

describe('AddressConnections', () => {
  it('counts a socket until it closes, once, and forgets empty addresses', () => {
    const counts = new AddressConnections();
    const [a, b] = [fakeSocket(), fakeSocket()];
    expect(counts.hold('1.2.3.4', a)).toBe(true);
    expect(counts.hold('1.2.3.4', b)).toBe(true);
    expect(counts.hold('1.2.3.4', a)).toBe(false); // already counted
    expect(counts.count('1.2.3.4')).toBe(2);
    a.emit('close');
    expect(counts.count('1.2.3.4')).toBe(1);
    b.emit('close');
    expect(counts.count('1.2.3.4')).toBe(0);
    expect(counts.addresses).toBe(0);
  });

  it('does not count a socket that closed during the handshake', () => {
    const counts = new AddressConnections();
    expect(counts.hold('1.2.3.4', fakeSocket(true))).toBe(false);
    expect(counts.count('1.2.3.4')).toBe(0);
  });
});
