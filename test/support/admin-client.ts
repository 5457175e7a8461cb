import { TEST_ADMIN_TOKEN } from './test-app';

export interface AdminRequest extends RequestInit {
  /** Bearer token; the test ADMIN_TOKEN unless given, none with null. */
  token?: string | null;
  /** Sent as the JSON body. */
  json?: unknown;
}

/** fetch against one server's admin API, with the admin token unless told otherwise. */
export function adminClient(httpUrl: string): (path: string, request?: AdminRequest) => Promise<Response> {
  return (path, { token = TEST_ADMIN_TOKEN, json, ...init } = {}) =>
    fetch(`${httpUrl}${path}`, {
      ...init,
      body: json === undefined ? init.body : JSON.stringify(json),
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...init.headers },
    });
}
