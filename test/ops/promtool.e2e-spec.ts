import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROMETHEUS_DIR } from './deploy-queries';

/** Debian's promtool (the prometheus package, scripts/setup-test-env.sh). */
const promtool = (...args: string[]) => spawnSync('promtool', args, { cwd: PROMETHEUS_DIR, encoding: 'utf8', timeout: 30000 });

describe('deploy/prometheus with promtool', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rg-promtool-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('the alert rules are valid', () => {
    const check = promtool('check', 'rules', 'rules/realtime-gateway.yml');
    expect({ status: check.status, out: check.stdout + check.stderr }).toEqual({ status: 0, out: expect.stringContaining('SUCCESS: 11 rules found') });
  });

  it('the scrape configuration is valid once its generated files exist', () => {
    cpSync(join(PROMETHEUS_DIR, 'prometheus.yml'), join(dir, 'prometheus.yml'));
    cpSync(join(PROMETHEUS_DIR, 'rules'), join(dir, 'rules'), { recursive: true });
    mkdirSync(join(dir, 'generated'));
    writeFileSync(join(dir, 'generated/metrics-token'), 'm'.repeat(32));
    writeFileSync(join(dir, 'generated/targets.json'), JSON.stringify([{ targets: ['app1:3000', 'app2:3000'] }]));
    const check = spawnSync('promtool', ['check', 'config', join(dir, 'prometheus.yml')], { encoding: 'utf8', timeout: 30000 });
    expect({ status: check.status, out: check.stdout + check.stderr }).toEqual({ status: 0, out: expect.stringContaining('SUCCESS: 11 rules found') });
  });

  it("every alert's unit tests pass: each fires where it should and stays quiet elsewhere", () => {
    const test = promtool('test', 'rules', 'tests/realtime-gateway.test.yml');
    expect({ status: test.status, out: test.stdout + test.stderr }).toEqual({ status: 0, out: expect.stringContaining('SUCCESS') });
    const tested = new Set([...readFileSync(join(PROMETHEUS_DIR, 'tests/realtime-gateway.test.yml'), 'utf8').matchAll(/alertname: (\w+)/g)].map((m) => m[1]));
    const alerts = [...readFileSync(join(PROMETHEUS_DIR, 'rules/realtime-gateway.yml'), 'utf8').matchAll(/- alert: (\w+)/g)].map((m) => m[1]);
    expect(alerts.filter((a) => !tested.has(a))).toEqual([]);
  });

  it('the unit tests bite: a rule with a looser threshold fails them', () => {
    cpSync(join(PROMETHEUS_DIR, 'tests'), join(dir, 'tests'), { recursive: true });
    const rules = readFileSync(join(PROMETHEUS_DIR, 'rules/realtime-gateway.yml'), 'utf8');
    const loosened = rules.replace('{result!="ok"}[5m])) > 1', '{result!="ok"}[5m])) > 5');
    expect(loosened).not.toBe(rules);
    cpSync(join(PROMETHEUS_DIR, 'rules'), join(dir, 'rules'), { recursive: true });
    writeFileSync(join(dir, 'rules/realtime-gateway.yml'), loosened);
    const test = spawnSync('promtool', ['test', 'rules', 'tests/realtime-gateway.test.yml'], { cwd: dir, encoding: 'utf8', timeout: 30000 });
    expect(test.status).not.toBe(0);
    expect(test.stdout + test.stderr).toContain('RealtimeUpgradesRefused');
  });
});
