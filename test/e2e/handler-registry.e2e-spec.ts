import 'reflect-metadata';
import { CallHandler, CanActivate, ExecutionContext, Injectable, Module, NestInterceptor, UseGuards, UseInterceptors } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { IsString } from 'class-validator';
import { map, Observable, of } from 'rxjs';
import { createApp } from '../../src/app.factory';
import { loadConfig } from '../../src/config';
import { Session } from '../../src/registry/session';
import { HandlerRegistryService } from '../../src/messaging/handler-registry.service';
import { MessageHandler } from '../../src/messaging/message-handler.decorator';

class TextDto {
  @IsString()
  text!: string;
}

@Injectable()
class DenyAll implements CanActivate {
  canActivate(): boolean {
    return false;
  }
}

@Injectable()
class Wrap implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(map((data) => ({ wrapped: data })));
  }
}

@Injectable()
class Handlers {
  @MessageHandler('t.plain', TextDto)
  plain(session: Session, { text }: TextDto) {
    return { text, userId: session.userId };
  }

  @MessageHandler('t.async', TextDto)
  async later({ userId }: Session) {
    return { userId };
  }

  @MessageHandler('t.observable', TextDto)
  observable() {
    return of(1, 2, 3);
  }

  @MessageHandler('t.throws', TextDto)
  throws(): never {
    throw new Error('boom');
  }

  @UseGuards(DenyAll)
  @MessageHandler('t.guarded', TextDto)
  guarded() {
    return { reached: true };
  }

  @UseInterceptors(Wrap)
  @MessageHandler('t.intercepted', TextDto)
  intercepted() {
    return 1;
  }
}

@UseInterceptors(Wrap)
@Injectable()
class ClassIntercepted {
  @MessageHandler('t.class-intercepted', TextDto)
  handle() {
    return 2;
  }
}

@Module({ providers: [Handlers, ClassIntercepted] })
class HandlersModule {}

@Module({ providers: [{ provide: APP_GUARD, useClass: DenyAll }] })
class GlobalGuardModule {}

const config = () => loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', JWT_SECRET: 'test-secret-that-is-at-least-32-characters-long', PORT: '0' });
const session = () => new Session('s1', 'u1', {} as never, {} as never, {} as never, '127.0.0.1', 0, 1000);

describe('HandlerRegistryService', () => {
  describe('in the application as built', () => {
    let app: Awaited<ReturnType<typeof createApp>>;
    let registry: HandlerRegistryService;
    beforeAll(async () => {
      app = await createApp(config(), [HandlersModule]);
      await app.init();
      registry = app.get(HandlerRegistryService);
    });
    afterAll(() => app.close());

    it('calls the built-in handlers directly: only ActivityInterceptor applies to them', () => {
      for (const type of ['ping', 'room.join', 'room.leave', 'room.publish', 'room.history', 'direct.send', 'presence.get', 'auth.refresh']) {
        expect({ type, via: registry.get(type)?.via }).toEqual({ type, via: 'direct' });
      }
    });

    it('keeps Nest wrapping for handlers that declare guards or interceptors, on the method or the class', () => {
      expect(registry.get('t.plain')?.via).toBe('direct');
      expect(registry.get('t.guarded')?.via).toBe('nest');
      expect(registry.get('t.intercepted')?.via).toBe('nest');
      expect(registry.get('t.class-intercepted')?.via).toBe('nest');
    });

    it('records the activity, as ActivityInterceptor does, on both paths', async () => {
      for (const type of ['t.plain', 't.intercepted']) {
        const s = session();
        await registry.get(type)!.invoke(s, { text: 'x' });
        expect(s.lastActivityAt).toBeGreaterThan(1000);
      }
    });

    it('returns what the handler returns or resolves to, and the last value of an Observable', async () => {
      await expect(registry.get('t.plain')!.invoke(session(), { text: 'hi' })).resolves.toEqual({ text: 'hi', userId: 'u1' });
      await expect(registry.get('t.async')!.invoke(session(), { text: 'hi' })).resolves.toEqual({ userId: 'u1' });
      await expect(registry.get('t.observable')!.invoke(session(), { text: 'hi' })).resolves.toBe(3);
    });

    it('turns a synchronous throw into a rejection', async () => {
      await expect(registry.get('t.throws')!.invoke(session(), { text: 'x' })).rejects.toThrow('boom');
    });

    it('still runs declared guards and interceptors', async () => {
      await expect(registry.get('t.guarded')!.invoke(session(), { text: 'x' })).rejects.toMatchObject({ status: 403 });
      await expect(registry.get('t.intercepted')!.invoke(session(), { text: 'x' })).resolves.toEqual({ wrapped: 1 });
      await expect(registry.get('t.class-intercepted')!.invoke(session(), { text: 'x' })).resolves.toEqual({ wrapped: 2 });
    });
  });

  it('wraps every handler with Nest when another global guard is registered', async () => {
    const app = await createApp(config(), [HandlersModule, GlobalGuardModule]);
    await app.init();
    try {
      const registry = app.get(HandlerRegistryService);
      expect(registry.get('ping')?.via).toBe('nest');
      expect(registry.get('t.plain')?.via).toBe('nest');
      await expect(registry.get('t.plain')!.invoke(session(), { text: 'x' })).rejects.toMatchObject({ status: 403 });
    } finally {
      await app.close();
    }
  });
});
