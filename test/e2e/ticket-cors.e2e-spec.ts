import { startServer, TEST_ADMIN_TOKEN, TestServer } from '../support/test-app';
import { mintToken } from '../support/tokens';

/** CORS on POST /auth/ticket alone, to the origins the upgrade accepts; never on anything else. */
describe('CORS', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ ALLOWED_ORIGINS: 'https://app.example.com,https://*.example.org' });
  });
  afterAll(() => server.close());

  const preflight = (path: string, origin: string) =>
    fetch(`${server.httpUrl}${path}`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });

  it.each([
    ['an exact ALLOWED_ORIGINS entry', 'https://app.example.com'],
    ['a pattern entry', 'https://chat.eu.example.org'],
    ['the service itself', 'own host'],
  ])('answers the preflight of /auth/ticket for %s, with that origin and the Authorization header', async (_name, origin) => {
    const page = origin === 'own host' ? server.httpUrl : origin;
    const response = await preflight('/auth/ticket', page);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(page);
    expect(response.headers.get('access-control-allow-methods')).toBe('POST');
    expect(response.headers.get('access-control-allow-headers')).toBe('Authorization,Content-Type');
    expect(response.headers.get('access-control-max-age')).toBe('600');
    expect(response.headers.get('vary')).toContain('Origin');
    const ticket = await fetch(`${server.httpUrl}/auth/ticket`, { method: 'POST', headers: { origin: page, authorization: `Bearer ${await mintToken()}` } });
    expect(ticket.status).toBe(200);
    expect(ticket.headers.get('access-control-allow-origin')).toBe(page);
  });

  it.each([
    ['/auth/ticket', 'OPTIONS', 'https://evil.com', 404],
    ['/auth/ticket', 'OPTIONS', 'https://example.org', 404], // the pattern covers subdomains only
    ['/auth/ticket', 'POST', 'https://app.example.com.evil.com', 200], // issued, but the page may not read it
    ['/admin/stats', 'OPTIONS', 'https://app.example.com', 404],
    ['/admin/stats', 'GET', 'https://app.example.com', 200],
    ['/health/ready', 'GET', 'https://app.example.com', 200],
  ])('gives %s (%s) from %s no CORS header: %d', async (path, method, origin, status) => {
    const credential = path.startsWith('/admin') ? TEST_ADMIN_TOKEN : await mintToken();
    const response =
      method === 'OPTIONS' ? await preflight(path, origin) : await fetch(`${server.httpUrl}${path}`, { method, headers: { origin, authorization: `Bearer ${credential}` } });
    expect(response.status).toBe(status);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-headers')).toBeNull();
  });
});
