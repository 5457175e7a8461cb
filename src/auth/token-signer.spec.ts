import 'reflect-metadata';
import { decodeJwt, decodeProtectedHeader, exportPKCS8, exportSPKI, generateKeyPair } from 'jose';
import { AppConfig, loadConfig } from '../config';
import { signToken } from './token-signer';
import { InvalidTokenError, TokenVerifier } from './token-verifier';

const SECRET = 'k'.repeat(32);

async function keyEnv(alg: 'RS256' | 'ES256'): Promise<Record<string, string>> {
  const pair = await generateKeyPair(alg, { extractable: true });
  return { JWT_PUBLIC_KEY: await exportSPKI(pair.publicKey), JWT_PRIVATE_KEY: await exportPKCS8(pair.privateKey) };
}

describe('signToken', () => {
  const configs: Record<string, AppConfig> = {};

  beforeAll(async () => {
    configs.HS256 = loadConfig({ NODE_ENV: 'test', JWT_SECRET: SECRET });
    configs.RS256 = loadConfig({ NODE_ENV: 'test', ...(await keyEnv('RS256')) });
    configs.ES256 = loadConfig({ NODE_ENV: 'test', ...(await keyEnv('ES256')) });
    configs['HS256 with iss/aud'] = loadConfig({ NODE_ENV: 'test', JWT_SECRET: SECRET, JWT_ISSUER: 'issuer-1', JWT_AUDIENCE: 'aud-1' });
    configs['RS256 with iss/aud'] = loadConfig({ NODE_ENV: 'test', JWT_ISSUER: 'issuer-1', JWT_AUDIENCE: 'aud-1', ...(await keyEnv('RS256')) });
    // The server and `npm run token` verify with the private key's public half.
    configs['ES256, JWT_PRIVATE_KEY alone'] = loadConfig({ NODE_ENV: 'test', JWT_PRIVATE_KEY: (await keyEnv('ES256')).JWT_PRIVATE_KEY });
    configs['RS256, JWT_PRIVATE_KEY alone'] = loadConfig({ NODE_ENV: 'test', JWT_PRIVATE_KEY: (await keyEnv('RS256')).JWT_PRIVATE_KEY });
  });

  describe.each([
    { name: 'HS256', alg: 'HS256' },
    { name: 'RS256', alg: 'RS256' },
    { name: 'ES256', alg: 'ES256' },
    { name: 'HS256 with iss/aud', alg: 'HS256' },
    { name: 'RS256 with iss/aud', alg: 'RS256' },
    { name: 'ES256, JWT_PRIVATE_KEY alone', alg: 'ES256' },
    { name: 'RS256, JWT_PRIVATE_KEY alone', alg: 'RS256' },
  ])('$name', ({ name, alg }) => {
    it('round-trips through TokenVerifier with the rooms claim', async () => {
      const config = configs[name];
      const before = Math.floor(Date.now() / 1000);
      const token = await signToken(config.jwt, { sub: 'alice', rooms: ['private:team-red'], ttlSeconds: 120 });
      const identity = await new TokenVerifier(config).verify(token);
      expect(identity.userId).toBe('alice');
      expect(identity.rooms).toEqual(['private:team-red']);
      expect(identity.exp).toBeGreaterThanOrEqual(before + 120);
      expect(identity.exp).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 120);
    });

    it(`signs with ${alg} and a JWT typ header`, async () => {
      const token = await signToken(configs[name].jwt, { sub: 'alice', ttlSeconds: 60 });
      expect(decodeProtectedHeader(token)).toEqual({ alg, typ: 'JWT' });
    });

    it('omits the rooms claim when none is given, so DEFAULT_ROOMS apply', async () => {
      const config = configs[name];
      const token = await signToken(config.jwt, { sub: 'bob', ttlSeconds: 60 });
      expect(decodeJwt(token)).not.toHaveProperty('rooms');
      expect((await new TokenVerifier(config).verify(token)).rooms).toEqual(['public:*']);
    });
  });

  it('sets iss and aud only when configured', async () => {
    const withClaims = decodeJwt(await signToken(configs['HS256 with iss/aud'].jwt, { sub: 'alice', ttlSeconds: 60 }));
    expect(withClaims).toMatchObject({ sub: 'alice', iss: 'issuer-1', aud: 'aud-1' });
    const without = decodeJwt(await signToken(configs.HS256.jwt, { sub: 'alice', ttlSeconds: 60 }));
    expect(without).not.toHaveProperty('iss');
    expect(without).not.toHaveProperty('aud');
  });

  it('sets iat and exp = iat + ttlSeconds', async () => {
    const claims = decodeJwt(await signToken(configs.HS256.jwt, { sub: 'alice', ttlSeconds: 3600 }));
    expect(typeof claims.iat).toBe('number');
    expect(claims.exp).toBe((claims.iat as number) + 3600);
  });

  it('a token from another HS256 secret does not verify', async () => {
    const other = loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'o'.repeat(32) });
    const token = await signToken(other.jwt, { sub: 'alice', ttlSeconds: 60 });
    await expect(new TokenVerifier(configs.HS256).verify(token)).rejects.toMatchObject({ reason: 'invalid' });
  });

  it('a token with ttlSeconds 0 is already expired', async () => {
    const token = await signToken(configs.HS256.jwt, { sub: 'alice', ttlSeconds: 0 });
    const error = await new TokenVerifier(configs.HS256).verify(token).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(InvalidTokenError);
    expect((error as InvalidTokenError).reason).toBe('expired');
  });

  it('refuses to mint with only a public key configured', async () => {
    const publicOnly = { ...configs.RS256.jwt, privateKeyPem: undefined };
    await expect(signToken(publicOnly, { sub: 'alice', ttlSeconds: 60 })).rejects.toThrow(/JWT_PRIVATE_KEY/);
  });
});
