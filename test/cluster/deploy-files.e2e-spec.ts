import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '../..');

/** No Docker engine runs here: Debian's docker-compose 1.29 still validates the compose file. */
describe('deployment files', () => {
  const compose = (env: Record<string, string>) =>
    spawnSync('docker-compose', ['-f', join(root, 'docker-compose.yml'), 'config', '-q'], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8' });

  it('docker-compose.yml is valid with the required secrets, and refuses to start without them', () => {
    const ok = compose({ JWT_SECRET: 'x'.repeat(32), ADMIN_TOKEN: 'y'.repeat(16) });
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    const missing = compose({ ADMIN_TOKEN: 'y'.repeat(16) });
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain('JWT_SECRET');
  });

  it("docker-compose.yml's ha profile runs the nodes on Redis Sentinel: a primary, a replica, three sentinels", () => {
    const ha = spawnSync('docker-compose', ['-f', join(root, 'docker-compose.yml'), '--profile', 'ha', 'config'], {
      env: { PATH: process.env.PATH, JWT_SECRET: 'x'.repeat(32), ADMIN_TOKEN: 'y'.repeat(16) },
      encoding: 'utf8',
    });
    expect(ha.stderr).toBe('');
    expect(ha.status).toBe(0);
    expect(ha.stdout).toMatch(/--replicaof\n\s+- redis-primary/);
    expect(ha.stdout.match(/sentinel monitor rg redis-primary 6379 2/g)).toHaveLength(3);
    expect(ha.stdout.match(/REDIS_SENTINELS: sentinel1:26379,sentinel2:26379,sentinel3:26379/g)).toHaveLength(2);
  });

  it('the Dockerfile builds on a supported Node LTS from the lock file and runs the production build as a non-root user with a health check', () => {
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM node:24-bookworm-slim AS build$/m);
    expect(dockerfile).toMatch(/^FROM node:24-bookworm-slim AS runtime$/m);
    expect(dockerfile).toMatch(/^RUN npm ci --no-audit --no-fund$/m);
    expect(dockerfile).toMatch(/^RUN npm ci --omit=dev /m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK /m);
    expect(dockerfile).toMatch(/CMD \["node", "dist\/main.js"\]/);
  });

  it('nginx accepts deploy/nginx.conf as written (syntax check)', () => {
    // Only the upstream host names (docker-compose services) are made resolvable here.
    const dir = mkdtempSync(join(tmpdir(), 'rg-nginx-t-'));
    writeFileSync(join(dir, 'nginx.conf'), readFileSync(join(root, 'deploy/nginx.conf'), 'utf8').replace(/server app[12]:3000/g, 'server 127.0.0.1:3000'));
    const test = spawnSync('nginx', ['-t', '-p', dir, '-c', join(dir, 'nginx.conf'), '-e', 'stderr', '-g', `pid ${join(dir, 'nginx.pid')};`], {
      encoding: 'utf8',
      stdio: ['ignore', 'ignore', 'pipe'], // the conf logs to /dev/stdout, which nginx cannot open on a socketpair
    });
    rmSync(dir, { recursive: true, force: true });
    expect({ status: test.status, stderr: test.stderr }).toEqual({ status: 0, stderr: expect.stringContaining('test is successful') });
  });
});
