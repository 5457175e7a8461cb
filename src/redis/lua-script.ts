import { createHash } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';

/**
 * A Lua script sent by its SHA1 (EVALSHA), its text only when the Redis that runs it answers
 * NOSCRIPT (first use, after a restart or SCRIPT FLUSH; on a Cluster, each primary loads it on its
 * first call): the text of a history script is about 1 KB, sent with every publish before.
 * EVALSHA takes its keys exactly as EVAL, so a Cluster routes it by KEYS like EVAL.
 */
export class LuaScript {
  readonly sha: string;

  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  /** The reply with bulk strings as strings. */
  run(client: Redis | Cluster, numKeys: number, ...args: (string | number | Buffer)[]): Promise<unknown> {
    return client.evalsha(this.sha, numKeys, ...args).catch((err: unknown) => (isNoScript(err) ? client.eval(this.source, numKeys, ...args) : Promise.reject(err)));
  }

  /** The reply with bulk strings as Buffers. */
  runBuffer(client: Redis | Cluster, numKeys: number, ...args: (string | number | Buffer)[]): Promise<unknown> {
    return client.callBuffer('EVALSHA', this.sha, numKeys, ...args).catch((err: unknown) => (isNoScript(err) ? client.callBuffer('EVAL', this.source, numKeys, ...args) : Promise.reject(err)));
  }
}

const isNoScript = (err: unknown): boolean => err instanceof Error && err.message.startsWith('NOSCRIPT');
