import { createHmac } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import type { JwtConfig } from '../config';
import { JwtVerification } from './jwt-verification';

const SECRET = new TextEncoder().encode('s'.repeat(32));
const now = () => Math.floor(Date.now() / 1000);
const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** A compact JWS signed with HMAC-SHA256 over whatever header and payload, however malformed. */
function signed(header: unknown, payload: unknown, secret = SECRET): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

const HS = { alg: 'HS256', typ: 'JWT' };
const outcome = async (verify: () => Promise<unknown>) => {
  try {
    return { payload: await verify() };
  } catch (err) {
    if (err instanceof errors.JOSEError) return { code: err.code };
    throw err;
  }
};

describe('JwtVerification, HS256 (verified with node:crypto, not jose)', () => {
  const configs: Record<string, JwtConfig> = {
    plain: { secret: SECRET, ephemeral: false },
    'issuer and audience': { secret: SECRET, ephemeral: false, issuer: 'https://issuer.example', audience: 'realtime' },
  };
  const tokens: Record<string, () => string | Promise<string>> = {
    valid: () => signed(HS, { sub: 'u', exp: now() + 60, iss: 'https://issuer.example', aud: 'realtime' }),
    'valid, jose-signed, audience list': () => new SignJWT({ rooms: ['a'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('u').setIssuer('https://issuer.example').setAudience(['x', 'realtime']).setExpirationTime('1h').sign(SECRET),
    'expired 1 s ago': () => signed(HS, { sub: 'u', exp: now() - 1, iss: 'https://issuer.example', aud: 'realtime' }),
    'expiring this second': () => signed(HS, { sub: 'u', exp: now(), iss: 'https://issuer.example', aud: 'realtime' }),
    'expired and from another issuer': () => signed(HS, { sub: 'u', exp: now() - 1, iss: 'other', aud: 'realtime' }),
    'nbf in the future': () => signed(HS, { sub: 'u', exp: now() + 60, nbf: now() + 30, iss: 'https://issuer.example', aud: 'realtime' }),
    'nbf now': () => signed(HS, { sub: 'u', exp: now() + 60, nbf: now(), iss: 'https://issuer.example', aud: 'realtime' }),
    'iat a string': () => signed(HS, { sub: 'u', exp: now() + 60, iat: 'x', iss: 'https://issuer.example', aud: 'realtime' }),
    'exp a string': () => signed(HS, { sub: 'u', exp: String(now() + 60), iss: 'https://issuer.example', aud: 'realtime' }),
    'no exp': () => signed(HS, { sub: 'u', iss: 'https://issuer.example', aud: 'realtime' }),
    'no sub': () => signed(HS, { exp: now() + 60, iss: 'https://issuer.example', aud: 'realtime' }),
    'wrong audience list': () => signed(HS, { sub: 'u', exp: now() + 60, iss: 'https://issuer.example', aud: ['x', 'y'] }),
    'audience a number': () => signed(HS, { sub: 'u', exp: now() + 60, iss: 'https://issuer.example', aud: 5 }),
    'another secret': () => signed(HS, { sub: 'u', exp: now() + 60 }, new TextEncoder().encode('t'.repeat(32))),
    'truncated signature': () => signed(HS, { sub: 'u', exp: now() + 60 }).slice(0, -3),
    'alg none': () => `${b64({ alg: 'none' })}.${b64({ sub: 'u', exp: now() + 60 })}.`,
    'alg HS512': () => new SignJWT({}).setProtectedHeader({ alg: 'HS512' }).setSubject('u').setExpirationTime('1h').sign(SECRET),
    'alg missing': () => signed({ typ: 'JWT' }, { sub: 'u', exp: now() + 60 }),
    'alg a number': () => signed({ alg: 256 }, { sub: 'u', exp: now() + 60 }),
    'header not JSON': () => signed('{alg', { sub: 'u', exp: now() + 60 }),
    'header an array': () => signed(['HS256'], { sub: 'u', exp: now() + 60 }),
    'payload an array': () => signed(HS, [1]),
    'payload not JSON': () => signed(HS, 'nope'),
    'payload invalid UTF-8': () => {
      const input = `${b64(HS)}.${Buffer.from([0x7b, 0xff, 0x7d]).toString('base64url')}`;
      return `${input}.${createHmac('sha256', SECRET).update(input).digest('base64url')}`;
    },
    'two parts': () => `${b64(HS)}.${b64({ sub: 'u' })}`,
    'four parts': () => `${signed(HS, { sub: 'u', exp: now() + 60 })}.x`,
    'padding characters': () => signed(HS, { sub: 'u', exp: now() + 60 }) + '==',
    'crit b64': () => signed({ ...HS, crit: ['b64'], b64: true }, { sub: 'u', exp: now() + 60, iss: 'https://issuer.example', aud: 'realtime' }),
    'crit unknown': () => signed({ ...HS, crit: ['x-custom'], 'x-custom': 1 }, { sub: 'u', exp: now() + 60 }),
    empty: () => '',
  };

  for (const [configName, config] of Object.entries(configs)) {
    describe(`with ${configName}`, () => {
      const verification = new JwtVerification(config);
      const rules = { algorithms: ['HS256'], issuer: config.issuer, audience: config.audience, requiredClaims: ['exp', 'sub'] };
      it.each(Object.keys(tokens))('judges "%s" as jose does', async (name) => {
        const token = await tokens[name]();
        const jose = await outcome(async () => (await jwtVerify(token, SECRET, rules)).payload);
        expect(await outcome(() => verification.verify(token))).toEqual(jose);
      });
    });
  }

  it('does not call into jose for an ordinary token', async () => {
    const verification = new JwtVerification(configs.plain);
    const jose = jest.spyOn(verification as unknown as { verifyWithJose(t: string): Promise<unknown> }, 'verifyWithJose');
    await verification.verify(signed(HS, { sub: 'u', exp: now() + 60 }));
    await expect(verification.verify(signed(HS, { sub: 'u', exp: now() - 60 }))).rejects.toBeInstanceOf(errors.JWTExpired);
    expect(jose).not.toHaveBeenCalled();
    await verification.verify(signed({ ...HS, crit: ['b64'], b64: true }, { sub: 'u', exp: now() + 60 })).catch(() => undefined);
    expect(jose).toHaveBeenCalledTimes(1);
  });
});
