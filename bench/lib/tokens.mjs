// Client tokens, minted with jose (HS256, the servers' secret), the way a backend would.
import { SignJWT } from 'jose';

const cache = new Map();

/** An HS256 token for `sub` with a `rooms` claim, valid for three hours (cached per sub). */
export async function tokenFor(sub, secret) {
  let token = cache.get(sub);
  if (!token) {
    token = await new SignJWT({ rooms: ['public:*'] })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(sub)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + 3 * 3600)
      .sign(new TextEncoder().encode(secret));
    cache.set(sub, token);
  }
  return token;
}

/** Tokens for subs `${prefix}0` .. `${prefix}${n - 1}`, minted up front (outside any timed window). */
export async function mintMany(prefix, n, secret) {
  const out = new Array(n);
  for (let i = 0; i < n; i++) out[i] = await tokenFor(`${prefix}${i}`, secret);
  return out;
}
