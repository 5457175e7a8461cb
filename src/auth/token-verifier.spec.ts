import 'reflect-metadata';
import { exportSPKI, generateKeyPair, JWTPayload, SignJWT } from 'jose';
import { AppConfig, loadConfig } from '../config';
import { InvalidTokenError, TokenVerifier } from './token-verifier';

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

const SECRET = 's'.repeat(32);
const encoder = new TextEncoder();
const now = () => Math.floor(Date.now() / 1000);

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function hs256(payload: JWTPayload, secret: string | Uint8Array = SECRET): Promise<string> {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(typeof secret === 'string' ? encoder.encode(secret) : secret);
}

/** The verdict of verify(): the identity, or the reason of the InvalidTokenError. */
async function verdict(verifier: TokenVerifier, token: string | undefined) {
  try {
    return { identity: await verifier.verify(token) };
  } catch (err) {
    if (err instanceof InvalidTokenError) return { reason: err.reason };
    throw err;
  }
}

describe('TokenVerifier', () => {
  describe('HS256 (JWT_SECRET)', () => {
    const config: AppConfig = loadConfig({ NODE_ENV: 'test', JWT_SECRET: SECRET, DEFAULT_ROOMS: 'public:*' });
    const verifier = new TokenVerifier(config);

    it('accepts a valid token: userId is sub, rooms come from the claim, exp and jti are kept', async () => {
      const exp = now() + 60;
      const token = await hs256({ sub: 'alice', exp, rooms: ['private:team-red', 'lobby'], jti: 'j-1', tenant: 'acme' });
      await expect(verifier.verify(token)).resolves.toEqual({
        userId: 'alice',
        rooms: ['private:team-red', 'lobby'],
        exp,
        jti: 'j-1',
        claims: { sub: 'alice', exp, rooms: ['private:team-red', 'lobby'], jti: 'j-1', tenant: 'acme' },
      });
    });

    it('falls back to DEFAULT_ROOMS when the token has no rooms claim', async () => {
      const token = await hs256({ sub: 'bob', exp: now() + 60 });
      const { identity } = await verdict(verifier, token);
      expect(identity?.userId).toBe('bob');
      expect(identity?.rooms).toEqual(['public:*']);
      expect(identity?.jti).toBeUndefined();
    });

    it('uses the configured DEFAULT_ROOMS, not a hard-coded default', async () => {
      const custom = new TokenVerifier(loadConfig({ NODE_ENV: 'test', JWT_SECRET: SECRET, DEFAULT_ROOMS: 'lobby, news:*' }));
      const { identity } = await verdict(custom, await hs256({ sub: 'bob', exp: now() + 60 }));
      expect(identity?.rooms).toEqual(['lobby', 'news:*']);
    });

    it('accepts an empty rooms claim as "no rooms"', async () => {
      const { identity } = await verdict(verifier, await hs256({ sub: 'carol', exp: now() + 60, rooms: [] }));
      expect(identity?.rooms).toEqual([]);
    });

    it('accepts a sub of exactly 256 characters', async () => {
      const sub = 'u'.repeat(256);
      const { identity } = await verdict(verifier, await hs256({ sub, exp: now() + 60 }));
      expect(identity?.userId).toBe(sub);
    });

    const unsigned = (payload: object) => `${base64url({ alg: 'none' })}.${base64url(payload)}.`;

    it.each<{ name: string; token: () => Promise<string | undefined> | string | undefined; reason: InvalidTokenError['reason'] }>([
      { name: 'undefined token', token: () => undefined, reason: 'missing' },
      { name: 'empty token', token: () => '', reason: 'missing' },
      { name: 'not a JWT at all', token: () => 'not-a-jwt', reason: 'invalid' },
      { name: 'alg none (unsigned)', token: () => unsigned({ sub: 'mallory', exp: now() + 60 }), reason: 'invalid' },
      {
        name: 'alg none with a typ header',
        token: () => `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: 'mallory', exp: now() + 60 })}.`,
        reason: 'invalid',
      },
      { name: 'expired 1 s ago', token: () => hs256({ sub: 'alice', exp: now() - 1 }), reason: 'expired' },
      { name: 'expired long ago', token: () => hs256({ sub: 'alice', exp: now() - 3600 }), reason: 'expired' },
      { name: 'missing exp', token: () => hs256({ sub: 'alice' }), reason: 'invalid' },
      { name: 'exp not a number', token: () => hs256({ sub: 'alice', exp: 'tomorrow' as unknown as number }), reason: 'invalid' },
      { name: 'missing sub', token: () => hs256({ exp: now() + 60 }), reason: 'invalid' },
      { name: 'empty sub', token: () => hs256({ sub: '', exp: now() + 60 }), reason: 'invalid' },
      { name: 'sub of 257 characters', token: () => hs256({ sub: 'u'.repeat(257), exp: now() + 60 }), reason: 'invalid' },
      { name: 'sub not a string', token: () => hs256({ sub: 42 as unknown as string, exp: now() + 60 }), reason: 'invalid' },
      { name: 'not yet valid (nbf in the future)', token: () => hs256({ sub: 'alice', exp: now() + 600, nbf: now() + 300 }), reason: 'invalid' },
      { name: 'wrong secret', token: () => hs256({ sub: 'alice', exp: now() + 60 }, 'w'.repeat(32)), reason: 'invalid' },
      {
        // only HS256 is accepted, even with the right secret
        name: 'HS512 with the right secret',
        token: () => new SignJWT({ sub: 'alice', exp: now() + 60 }).setProtectedHeader({ alg: 'HS512' }).sign(encoder.encode(SECRET)),
        reason: 'invalid',
      },
      {
        name: 'HS384 with the right secret',
        token: () => new SignJWT({ sub: 'alice', exp: now() + 60 }).setProtectedHeader({ alg: 'HS384' }).sign(encoder.encode(SECRET)),
        reason: 'invalid',
      },
      {
        name: 'signature cut off',
        token: async () => (await hs256({ sub: 'alice', exp: now() + 60 })).replace(/\.[^.]+$/, '.'),
        reason: 'invalid',
      },
      {
        name: 'payload tampered after signing',
        token: async () => {
          const [header, , signature] = (await hs256({ sub: 'alice', exp: now() + 60 })).split('.');
          return `${header}.${base64url({ sub: 'admin', exp: now() + 60 })}.${signature}`;
        },
        reason: 'invalid',
      },
      { name: 'rooms is a string', token: () => hs256({ sub: 'alice', exp: now() + 60, rooms: 'public:*' }), reason: 'invalid' },
      { name: 'rooms is an object', token: () => hs256({ sub: 'alice', exp: now() + 60, rooms: { a: 'public:*' } }), reason: 'invalid' },
      { name: 'rooms is a number', token: () => hs256({ sub: 'alice', exp: now() + 60, rooms: 1 }), reason: 'invalid' },
      { name: 'rooms holds a number', token: () => hs256({ sub: 'alice', exp: now() + 60, rooms: ['public:*', 2] }), reason: 'invalid' },
      { name: 'rooms holds null', token: () => hs256({ sub: 'alice', exp: now() + 60, rooms: [null] }), reason: 'invalid' },
      { name: 'rooms holds an array', token: () => hs256({ sub: 'alice', exp: now() + 60, rooms: [['public:*']] }), reason: 'invalid' },
    ])('$name -> $reason', async ({ token, reason }) => {
      const result = await verdict(verifier, await token());
      expect(result).toEqual({ reason });
    });

    it('InvalidTokenError carries its reason in the message and name', async () => {
      const error = await verifier.verify(undefined).catch((err: unknown) => err);
      expect(error).toBeInstanceOf(InvalidTokenError);
      expect(error).toMatchObject({ name: 'InvalidTokenError', reason: 'missing', message: 'token missing' });
    });
  });

  describe('issuer and audience (JWT_ISSUER, JWT_AUDIENCE)', () => {
    const verifier = new TokenVerifier(
      loadConfig({ NODE_ENV: 'test', JWT_SECRET: SECRET, JWT_ISSUER: 'https://auth.example.com', JWT_AUDIENCE: 'realtime' }),
    );
    const exp = () => now() + 60;

    it.each<{ name: string; claims: () => JWTPayload; reason?: InvalidTokenError['reason'] }>([
      { name: 'right iss and aud', claims: () => ({ sub: 'alice', exp: exp(), iss: 'https://auth.example.com', aud: 'realtime' }) },
      {
        name: 'aud as an array holding the audience',
        claims: () => ({ sub: 'alice', exp: exp(), iss: 'https://auth.example.com', aud: ['other', 'realtime'] }),
      },
      { name: 'wrong iss', claims: () => ({ sub: 'alice', exp: exp(), iss: 'https://evil.example.com', aud: 'realtime' }), reason: 'invalid' },
      { name: 'missing iss', claims: () => ({ sub: 'alice', exp: exp(), aud: 'realtime' }), reason: 'invalid' },
      { name: 'wrong aud', claims: () => ({ sub: 'alice', exp: exp(), iss: 'https://auth.example.com', aud: 'admin' }), reason: 'invalid' },
      { name: 'missing aud', claims: () => ({ sub: 'alice', exp: exp(), iss: 'https://auth.example.com' }), reason: 'invalid' },
      { name: 'neither', claims: () => ({ sub: 'alice', exp: exp() }), reason: 'invalid' },
    ])('$name', async ({ claims, reason }) => {
      const result = await verdict(verifier, await hs256(claims()));
      if (reason) expect(result).toEqual({ reason });
      else expect(result.identity?.userId).toBe('alice');
    });

    it('ignores iss and aud when they are not configured', async () => {
      const plain = new TokenVerifier(loadConfig({ NODE_ENV: 'test', JWT_SECRET: SECRET }));
      const { identity } = await verdict(plain, await hs256({ sub: 'alice', exp: now() + 60, iss: 'anyone', aud: 'anything' }));
      expect(identity?.userId).toBe('alice');
    });
  });

  it('accepts only RS256 from an RSA key, not PS256 signed by the same key', async () => {
    const pair = await generateKeyPair('PS256', { extractable: true });
    const verifier = new TokenVerifier(loadConfig({ NODE_ENV: 'test', JWT_PUBLIC_KEY: await exportSPKI(pair.publicKey) }));
    const ps256 = await new SignJWT({ sub: 'alice', exp: now() + 60 }).setProtectedHeader({ alg: 'PS256' }).sign(pair.privateKey);
    expect(await verdict(verifier, ps256)).toEqual({ reason: 'invalid' });
  });

  describe.each([
    { alg: 'RS256', otherAlg: 'ES256' },
    { alg: 'ES256', otherAlg: 'RS256' },
  ])('$alg (JWT_PUBLIC_KEY)', ({ alg, otherAlg }) => {
    let verifier: TokenVerifier;
    let publicPem: string;
    let privateKey: PrivateKey;
    let strangerKey: PrivateKey;
    let otherFamilyKey: PrivateKey;

    beforeAll(async () => {
      const pair = await generateKeyPair(alg, { extractable: true });
      privateKey = pair.privateKey;
      publicPem = await exportSPKI(pair.publicKey);
      strangerKey = (await generateKeyPair(alg)).privateKey;
      otherFamilyKey = (await generateKeyPair(otherAlg)).privateKey;
      verifier = new TokenVerifier(loadConfig({ NODE_ENV: 'test', JWT_PUBLIC_KEY: publicPem }));
    });

    const sign = (key: PrivateKey | Uint8Array, header: string, payload: JWTPayload) =>
      new SignJWT(payload).setProtectedHeader({ alg: header, typ: 'JWT' }).sign(key);

    it(`accepts a valid ${alg} token`, async () => {
      const exp = now() + 60;
      const result = await verdict(verifier, await sign(privateKey, alg, { sub: 'alice', exp, rooms: ['lobby'] }));
      expect(result).toEqual({ identity: { userId: 'alice', rooms: ['lobby'], exp, jti: undefined, claims: { sub: 'alice', exp, rooms: ['lobby'] } } });
    });

    it(`applies DEFAULT_ROOMS to ${alg} tokens without a rooms claim`, async () => {
      const { identity } = await verdict(verifier, await sign(privateKey, alg, { sub: 'alice', exp: now() + 60 }));
      expect(identity?.rooms).toEqual(['public:*']);
    });

    it.each<{ name: string; token: () => Promise<string> }>([
      {
        // the classic algorithm-confusion attack: the public key text used as an HMAC secret
        name: 'HS256 forged with the PEM public key as the secret',
        token: () => sign(encoder.encode(publicPem), 'HS256', { sub: 'mallory', exp: now() + 60 }),
      },
      { name: 'signed by another key of the same type', token: () => sign(strangerKey, alg, { sub: 'mallory', exp: now() + 60 }) },
      { name: `signed with ${otherAlg}`, token: () => sign(otherFamilyKey, otherAlg, { sub: 'mallory', exp: now() + 60 }) },
      { name: 'alg none', token: async () => `${base64url({ alg: 'none' })}.${base64url({ sub: 'mallory', exp: now() + 60 })}.` },
      { name: 'missing sub', token: () => sign(privateKey, alg, { exp: now() + 60 }) },
      { name: 'missing exp', token: () => sign(privateKey, alg, { sub: 'alice' }) },
    ])('$name -> invalid', async ({ token }) => {
      expect(await verdict(verifier, await token())).toEqual({ reason: 'invalid' });
    });

    it(`reports an expired ${alg} token as expired`, async () => {
      expect(await verdict(verifier, await sign(privateKey, alg, { sub: 'alice', exp: now() - 1 }))).toEqual({ reason: 'expired' });
    });
  });

  it('refuses to start without any key', () => {
    const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: SECRET });
    const keyless: AppConfig = { ...config, jwt: { ephemeral: false } };
    expect(() => new TokenVerifier(keyless)).toThrow('no JWT key configured');
  });
});

describe('TokenVerifier: cases found wrong in review', () => {
  const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'r'.repeat(32) });
  const sign = (claims: object) =>
    new SignJWT({ ...claims }).setProtectedHeader({ alg: 'HS256' }).setSubject('u').setExpirationTime('1h').sign(config.jwt.secret!);

  it('refuses a rooms claim of null instead of granting the default rooms', async () => {
    await expect(new TokenVerifier(config).verify(await sign({ rooms: null }))).rejects.toMatchObject({ reason: 'invalid' });
  });

  it('gives each identity its own copy of the default rooms', async () => {
    const identity = await new TokenVerifier(config).verify(await sign({}));
    identity.rooms.push('mutated');
    expect(config.defaultRooms).toEqual(['public:*']);
  });
});
