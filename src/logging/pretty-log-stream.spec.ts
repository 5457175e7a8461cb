import pino, { Level } from 'pino';
import { quietStartUpInventory } from './pretty-log-stream';

describe('quietStartUpInventory (pretty logs)', () => {
  const logged = (level: Level, log: (logger: pino.Logger) => void) => {
    const lines: { level: number; context?: string; msg: string }[] = [];
    const logger = pino({ level, hooks: quietStartUpInventory }, { write: (line: string) => lines.push(JSON.parse(line)) });
    log(logger);
    return lines.map(({ level, context, msg }) => ({ level, context, msg }));
  };

  it.each(['InstanceLoader', 'RoutesResolver', 'RouterExplorer'])('drops %s lines at info level', (context) => {
    expect(logged('info', (logger) => logger.info({ context }, 'AppModule dependencies initialized'))).toEqual([]);
  });

  it('logs them at debug level when debug is enabled', () => {
    expect(logged('debug', (logger) => logger.info({ context: 'RouterExplorer' }, 'Mapped {/metrics, GET} route'))).toEqual([
      { level: 20, context: 'RouterExplorer', msg: 'Mapped {/metrics, GET} route' },
    ]);
  });

  it('leaves every other line as it was', () => {
    const lines = logged('info', (logger) => {
      logger.info({ context: 'NestApplication' }, 'Nest application successfully started');
      logger.info({ port: 3000 }, 'listening on port 3000');
      logger.warn({ context: 'InstanceLoader' }, 'not an inventory line');
      logger.info('no fields');
    });
    expect(lines).toEqual([
      { level: 30, context: 'NestApplication', msg: 'Nest application successfully started' },
      { level: 30, context: undefined, msg: 'listening on port 3000' },
      { level: 40, context: 'InstanceLoader', msg: 'not an inventory line' },
      { level: 30, context: undefined, msg: 'no fields' },
    ]);
  });
});
