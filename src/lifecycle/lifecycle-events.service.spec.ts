import type { PinoLogger } from 'nestjs-pino';
import type { Session } from '../registry/session';
import { LifecycleEventsService } from './lifecycle-events.service';

describe('LifecycleEventsService', () => {
  const session = { id: 's1', userId: 'alice' } as Session;
  const logger = { error: jest.fn() };
  let events: LifecycleEventsService;

  beforeEach(() => {
    logger.error.mockReset();
    events = new LifecycleEventsService(logger as unknown as PinoLogger);
  });

  it('calls every listener that implements the event, in subscription order', () => {
    const calls: string[] = [];
    events.subscribe({ roomJoined: (s, room) => calls.push(`a:${s.id}:${room}`) });
    events.subscribe({ connectionOpened: () => calls.push('b:opened') });
    events.subscribe({ roomJoined: (_s, room) => calls.push(`c:${room}`), roomLeft: (_s, room) => calls.push(`c:left:${room}`) });
    events.roomJoined(session, 'r1');
    events.connectionOpened(session);
    events.roomLeft(session, 'r1');
    events.connectionClosed(session, 1000);
    expect(calls).toEqual(['a:s1:r1', 'c:r1', 'b:opened', 'c:left:r1']);
  });

  it('passes the close code', () => {
    const closed = jest.fn();
    events.subscribe({ connectionClosed: closed });
    events.connectionClosed(session, 4503);
    expect(closed).toHaveBeenCalledWith(session, 4503, undefined);
  });

  it('logs a throwing listener and still calls the next one', () => {
    const next = jest.fn();
    events.subscribe({
      roomLeft: () => {
        throw new Error('boom');
      },
    });
    events.subscribe({ roomLeft: next });
    expect(() => events.roomLeft(session, 'r1')).not.toThrow();
    expect(next).toHaveBeenCalledWith(session, 'r1', undefined);
    expect(logger.error).toHaveBeenCalledWith(expect.objectContaining({ event: 'roomLeft' }), 'lifecycle listener failed');
  });
});
