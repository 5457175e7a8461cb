import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DASHBOARD, ROOT } from './deploy-queries';

/** No Docker engine runs here: Debian's docker-compose validates the profile and what it mounts. */
describe('docker-compose.yml, profile monitoring', () => {
  const config = spawnSync('docker-compose', ['-f', join(ROOT, 'docker-compose.yml'), '--profile', 'monitoring', 'config'], {
    env: { PATH: process.env.PATH, JWT_SECRET: 'x'.repeat(32), ADMIN_TOKEN: 'y'.repeat(16), METRICS_TOKEN: 'm'.repeat(24), METRICS_PORT: '9464' },
    encoding: 'utf8',
  });

  it('adds Prometheus and Grafana, and passes METRICS_TOKEN and METRICS_PORT to the nodes and to Prometheus', () => {
    expect(config.stderr).toBe('');
    expect(config.status).toBe(0);
    expect(config.stdout).toMatch(/^ {2}prometheus:$/m);
    expect(config.stdout).toMatch(/^ {2}grafana:$/m);
    expect(config.stdout.match(/METRICS_TOKEN: m{24}/g)).toHaveLength(3);
    expect(config.stdout.match(/METRICS_PORT: '9464'/g)).toHaveLength(3);
  });

  it('mounts files that exist, and the dashboard uses the provisioned datasource', () => {
    for (const path of ['deploy/prometheus/prometheus.yml', 'deploy/grafana/provisioning/datasources/prometheus.yml', 'deploy/grafana/provisioning/dashboards/realtime-gateway.yml']) {
      expect(existsSync(join(ROOT, path))).toBe(true);
    }
    const uid = /uid: (\S+)/.exec(readFileSync(join(ROOT, 'deploy/grafana/provisioning/datasources/prometheus.yml'), 'utf8'))![1];
    const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: { datasource?: { uid: string } }[] };
    const uids = new Set(dashboard.panels.filter((p) => p.datasource).map((p) => p.datasource!.uid));
    expect([...uids]).toEqual([uid]);
  });
});
