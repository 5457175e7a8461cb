import { CallHandler, CanActivate, ExecutionContext, Injectable, INestApplication, Module, NestInterceptor } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR, ExternalContextCreator } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { globalEnhancersOf, NEST_CORE_CHECKED_VERSION } from './nest-internals';

// These tests fail when an upgrade of @nestjs/core changes what src/messaging/nest-internals.ts
// reads: then re-check helpers/external-context-creator.js, adapt the adapter, and re-measure
// (docs/performance.md, "Library internals we read, and why").

@Injectable()
class ProvidedGuard implements CanActivate {
  canActivate(): boolean {
    return true;
  }
}

@Injectable()
class ProvidedInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler) {
    return next.handle();
  }
}

class AddedGuard implements CanActivate {
  canActivate(): boolean {
    return true;
  }
}

@Module({ providers: [{ provide: APP_GUARD, useClass: ProvidedGuard }, { provide: APP_INTERCEPTOR, useClass: ProvidedInterceptor }] })
class WithGlobals {}

@Module({})
class WithoutGlobals {}

async function appOf(module: new () => object, configure: (app: INestApplication) => void = () => {}): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [module] }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  configure(app);
  await app.init();
  return app;
}

describe('Nest internals (src/messaging/nest-internals.ts)', () => {
  it('runs against the @nestjs/core version the adapter was checked against', () => {
    expect((require('@nestjs/core/package.json') as { version: string }).version).toBe(NEST_CORE_CHECKED_VERSION);
  });

  it('reads the global guards and interceptors of a real application: providers and app.useGlobal*', async () => {
    const added = new AddedGuard();
    const app = await appOf(WithGlobals, (a) => a.useGlobalGuards(added));
    try {
      const global = globalEnhancersOf(app.get(ExternalContextCreator));
      expect(global.guards).toContain(added);
      expect(global.guards.some((g) => g instanceof ProvidedGuard)).toBe(true);
      expect(global.interceptors.map((i) => i?.constructor)).toEqual([ProvidedInterceptor]);
      expect(global.requestScopedGuards).toEqual([]);
      expect(global.requestScopedInterceptors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('reads empty lists from an application without global enhancers', async () => {
    const app = await appOf(WithoutGlobals);
    try {
      expect(globalEnhancersOf(app.get(ExternalContextCreator))).toEqual({ guards: [], requestScopedGuards: [], interceptors: [], requestScopedInterceptors: [] });
    } finally {
      await app.close();
    }
  });

  it('throws, naming @nestjs/core and its version, when the shape is not there', () => {
    const changed = { guardsContextCreator: { applicationConfig: {} } } as unknown as ExternalContextCreator;
    expect(() => globalEnhancersOf(changed)).toThrow(
      /^@nestjs\/core 12\.\d+\.\d+: ExternalContextCreator\.guardsContextCreator\.config has no getGlobalGuards, getGlobalRequestGuards, getGlobalInterceptors, getGlobalRequestInterceptors\. .*12\.5\.1/,
    );
  });
});
