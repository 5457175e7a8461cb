/**
 * Runs a call to a store that can be unreachable (the Redis ones). Its failure is rethrown as
 * `unavailable(err)`, so the caller answers "unavailable, nothing was done, retry" (UNAVAILABLE,
 * 503) instead of failing as a bug would; nothing is queued.
 */
export async function orUnavailable<T>(call: () => Promise<T>, unavailable: (err: unknown) => Error): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw unavailable(err);
  }
}
