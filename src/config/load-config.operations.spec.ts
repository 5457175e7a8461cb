import 'reflect-metadata';
import { loadConfig } from './load-config';

/** The variables of the admin API, metrics, webhooks and log limits. */
describe('loadConfig: operations settings', () => {
  const base = { NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(32) };

  it('has defaults: no admin JWTs, open /metrics on PORT, no webhooks', () => {
    const config = loadConfig(base);
    expect(config.adminRoleClaim).toBeUndefined();
    expect(config.adminRole).toBe('admin');
    expect(config.metrics).toEqual({ token: undefined, port: undefined });
    expect(config.webhook).toBeUndefined();
    expect(config.logWarnLinesPerMin).toBe(10);
  });

  it('reads them', () => {
    const config = loadConfig({
      ...base,
      ADMIN_ROLE_CLAIM: 'https://example.com/roles',
      ADMIN_ROLE: 'gateway-admin',
      METRICS_TOKEN: 'm'.repeat(16),
      METRICS_PORT: '9464',
      WEBHOOK_URL: 'https://hooks.example.com/realtime',
      WEBHOOK_SECRET: 's'.repeat(16),
      WEBHOOK_TIMEOUT_MS: '2000',
      WEBHOOK_MAX_ATTEMPTS: '3',
      WEBHOOK_RETRY_BASE_MS: '100',
      WEBHOOK_RETRY_MAX_MS: '100',
      WEBHOOK_QUEUE_MAX_EVENTS: '50',
      LOG_WARN_LINES_PER_MIN: '2',
    });
    expect(config).toMatchObject({
      adminRoleClaim: 'https://example.com/roles',
      adminRole: 'gateway-admin',
      metrics: { token: 'm'.repeat(16), port: 9464 },
      webhook: {
        url: 'https://hooks.example.com/realtime',
        secret: 's'.repeat(16),
        timeoutMs: 2000,
        maxAttempts: 3,
        retryBaseMs: 100,
        retryMaxMs: 100,
        queueMaxEvents: 50,
      },
      logWarnLinesPerMin: 2,
    });
  });

  it('accepts METRICS_PORT=0 (a free port)', () => {
    expect(loadConfig({ ...base, METRICS_PORT: '0' }).metrics.port).toBe(0);
  });

  it.each<[Record<string, string>, string]>([
    [{ ADMIN_ROLE_CLAIM: 'roles with spaces' }, 'ADMIN_ROLE_CLAIM'],
    [{ METRICS_TOKEN: 'short' }, 'METRICS_TOKEN'],
    [{ METRICS_PORT: '70000' }, 'METRICS_PORT'],
    [{ WEBHOOK_URL: 'ftp://example.com/x', WEBHOOK_SECRET: 's'.repeat(16) }, 'WEBHOOK_URL'],
    [{ WEBHOOK_URL: 'https://hooks.example.com/x' }, 'WEBHOOK_SECRET'],
    [{ WEBHOOK_URL: 'https://hooks.example.com/x', WEBHOOK_SECRET: 'short' }, 'WEBHOOK_SECRET'],
    [{ WEBHOOK_MAX_ATTEMPTS: '0' }, 'WEBHOOK_MAX_ATTEMPTS'],
    [{ WEBHOOK_RETRY_BASE_MS: '1000', WEBHOOK_RETRY_MAX_MS: '999' }, 'WEBHOOK_RETRY_MAX_MS'],
    [{ WEBHOOK_QUEUE_MAX_EVENTS: '0' }, 'WEBHOOK_QUEUE_MAX_EVENTS'],
    [{ LOG_WARN_LINES_PER_MIN: '0' }, 'LOG_WARN_LINES_PER_MIN'],
  ])('%j is a one-line error naming %s', (env, variable) => {
    expect(() => loadConfig({ ...base, ...env })).toThrow(new RegExp(`^Invalid configuration: ${variable}[^\\n]*$`));
  });
});
