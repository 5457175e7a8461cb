import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killServerProcessesAfterEach, runScript, startServerProcess } from '../support/server-process';
import { TEST_SECRET } from '../support/test-app';

const root = join(__dirname, '../..');

const isJson = (line: string) => {
  try {
    return typeof JSON.parse(line) === 'object';
  } catch {
    return false;
  }
};

/** Every line the server wrote from start to exit (SIGTERM: the JSON stream writes what it batched). */
async function linesOfARun(env: Record<string, string>, main?: string): Promise<string[]> {
  const server = await startServerProcess(env, main);
  server.child.kill('SIGTERM');
  await server.exited;
  return server.output().trim().split('\n');
}

describe('LOG_FORMAT (node dist/main.js)', () => {
  killServerProcessesAfterEach();

  it('json: every line is a JSON object, the listening line with its message and port', async () => {
    const lines = await linesOfARun({ LOG_FORMAT: 'json' });
    expect(lines.filter((line) => !isJson(line))).toEqual([]);
    const listening = lines.map((line) => JSON.parse(line)).find((entry) => /^listening on port \d+$/.test(entry.msg));
    expect(listening).toMatchObject({ level: 30, port: expect.any(Number), wsPath: '/ws' });
    expect(lines.some((line) => line.includes('InstanceLoader'))).toBe(true);
  });

  it("pretty: readable lines, no JSON object per line, and Nest's start-up inventory left out", async () => {
    const lines = await linesOfARun({ LOG_FORMAT: 'pretty' });
    expect(lines.filter(isJson)).toEqual([]);
    expect(lines).toContainEqual(expect.stringMatching(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: \[NestApplication\] Nest application successfully started$/));
    expect(lines).toContainEqual(expect.stringMatching(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: listening on port \d+ \{"port":\d+,"wsPath":"\/ws"\}$/));
    expect(lines.filter((line) => /InstanceLoader|RoutesResolver|RouterExplorer/.test(line))).toEqual([]);
  });

  describe('where pino-pretty is not installed (npm ci --omit=dev)', () => {
    let dir: string;

    // The build beside a node_modules that has everything but pino-pretty.
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'rg-no-pretty-'));
      cpSync(join(root, 'dist'), join(dir, 'dist'), { recursive: true });
      mkdirSync(join(dir, 'node_modules'));
      for (const name of readdirSync(join(root, 'node_modules'))) {
        if (name !== 'pino-pretty') symlinkSync(join(root, 'node_modules', name), join(dir, 'node_modules', name));
      }
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('LOG_FORMAT=pretty stops the process with one line naming LOG_FORMAT', async () => {
      const { code, stdout, stderr } = await runScript(join(dir, 'dist/main.js'), [], { NODE_ENV: 'production', JWT_SECRET: TEST_SECRET, LOG_FORMAT: 'pretty' });
      expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
      expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Invalid configuration: LOG_FORMAT: pretty needs pino-pretty/)]);
    });

    it('NODE_ENV=development without LOG_FORMAT logs JSON', async () => {
      const lines = await linesOfARun({ NODE_ENV: 'development' }, join(dir, 'dist/main.js'));
      expect(lines.filter((line) => !isJson(line))).toEqual([]);
    });
  });
});
