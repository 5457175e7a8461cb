import type { ExternalContextCreator } from '@nestjs/core';
import { installedVersion } from '../internals/installed-version';

/**
 * The one file that reads a private member of Nest, for the direct handler path of
 * HandlerRegistryService (a handler to which only ActivityInterceptor applies is called without Nest's
 * guard/interceptor/rxjs chain).
 *
 * What it reads: `ExternalContextCreator.guardsContextCreator.config`, the application's
 * ApplicationConfig, for its global guards and interceptors (`app.useGlobal*` and `APP_GUARD` /
 * `APP_INTERCEPTOR` providers). ApplicationConfig is not injectable and no public API lists the
 * global enhancers; without them a handler cannot be known to need nothing but
 * ActivityInterceptor, and every message would go through Nest's chain.
 *
 * Why: the measured cost of that chain per message, in docs/performance.md, "Library internals we
 * read, and why" (request/reply scenario, CPU per request, with and without the direct path).
 *
 * Checked against @nestjs/core 12.5.1 (helpers/external-context-creator.js,
 * guards/guards-context-creator.js, application-config.js), pinned in package.json. The shape is
 * checked when the handlers are registered at start: a mismatch throws, naming @nestjs/core and
 * its installed version; src/messaging/nest-internals.spec.ts checks it in a real application.
 */
export const NEST_CORE_CHECKED_VERSION = '12.5.1';

/** The application's global enhancers, as Nest applies them to every handler. */
export interface GlobalEnhancers {
  guards: unknown[];
  requestScopedGuards: unknown[];
  interceptors: unknown[];
  requestScopedInterceptors: unknown[];
}

interface ApplicationConfigShape {
  getGlobalGuards(): unknown[];
  getGlobalRequestGuards(): unknown[];
  getGlobalInterceptors(): unknown[];
  getGlobalRequestInterceptors(): unknown[];
}

const GETTERS = ['getGlobalGuards', 'getGlobalRequestGuards', 'getGlobalInterceptors', 'getGlobalRequestInterceptors'] as const;

/** The global guards and interceptors behind an ExternalContextCreator; throws when they cannot be read. */
export function globalEnhancersOf(contextCreator: ExternalContextCreator): GlobalEnhancers {
  const config = (contextCreator as unknown as { guardsContextCreator?: { config?: Partial<ApplicationConfigShape> } }).guardsContextCreator?.config;
  const missing = GETTERS.filter((name) => typeof config?.[name] !== 'function');
  if (!config || missing.length > 0) {
    throw new Error(
      `@nestjs/core ${installedVersion('@nestjs/core')}: ExternalContextCreator.guardsContextCreator.config has no ${missing.join(', ')}. ` +
        `src/messaging/nest-internals.ts was written for @nestjs/core ${NEST_CORE_CHECKED_VERSION}; re-check helpers/external-context-creator.js and update it.`,
    );
  }
  const read = (name: (typeof GETTERS)[number]) => {
    const list = (config as ApplicationConfigShape)[name]();
    if (!Array.isArray(list)) throw new Error(`@nestjs/core ${installedVersion('@nestjs/core')}: ApplicationConfig.${name}() did not return an array (src/messaging/nest-internals.ts)`);
    return list;
  };
  return {
    guards: read('getGlobalGuards'),
    requestScopedGuards: read('getGlobalRequestGuards'),
    interceptors: read('getGlobalInterceptors'),
    requestScopedInterceptors: read('getGlobalRequestInterceptors'),
  };
}
