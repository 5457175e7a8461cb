import { Injectable } from '@nestjs/common';
import { msUntilExp, TokenExpiryService } from '../../auth/token-expiry.service';
import { InvalidTokenError, TokenVerifier } from '../../auth/token-verifier';
import { AuthRefreshAck, ClientMessageType, ErrorCode } from '../../protocol';
import { Session } from '../../registry/session';
import { RevokedTokens } from '../../revocation/revoked-tokens';
import { AuthRefreshDto } from '../dto/auth-refresh.dto';
import { MessageError } from '../message-error';
import { MessageHandler } from '../message-handler.decorator';

const sameRooms = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((room, i) => room === b[i]);

/**
 * `auth.refresh {token}`: moves the connection's expiry to the new token's `exp`, so a client can
 * stay connected past its first token. The new token must verify exactly like one at the upgrade,
 * be for the same `sub`, and grant the same rooms (permissions are fixed at connect: a refresh
 * must not widen them silently, nor pretend to narrow them), and not be revoked. Refusals are FORBIDDEN
 * (UNAVAILABLE while the JWKS endpoint cannot be read: retry later); the connection stays open and
 * still closes with 4001 at the old `exp`.
 */
@Injectable()
export class AuthHandler {
  constructor(
    private readonly tokens: TokenVerifier,
    private readonly expiry: TokenExpiryService,
    private readonly revocations: RevokedTokens,
  ) {}

  @MessageHandler(ClientMessageType.AuthRefresh, AuthRefreshDto, { errors: [ErrorCode.Forbidden, ErrorCode.Unavailable] })
  async refresh(session: Session, { token }: AuthRefreshDto): Promise<AuthRefreshAck> {
    let identity;
    try {
      identity = await this.tokens.verify(token);
    } catch (err) {
      if (err instanceof InvalidTokenError && err.reason === 'unavailable') throw new MessageError(ErrorCode.Unavailable, 'token keys unavailable');
      if (err instanceof InvalidTokenError) throw new MessageError(ErrorCode.Forbidden, err.message);
      throw err;
    }
    if (identity.userId !== session.userId) throw new MessageError(ErrorCode.Forbidden, 'token is for another user');
    // A revoked token (or user) must not extend a connection any more than open one.
    if (this.revocations.isRevoked(identity)) throw new MessageError(ErrorCode.Forbidden, 'token revoked');
    if (!sameRooms(identity.rooms, session.permissions.patterns)) {
      throw new MessageError(ErrorCode.Forbidden, 'token grants other rooms; reconnect to change them');
    }
    session.tokenExp = identity.exp;
    session.claims = identity.claims;
    this.expiry.track(session.userId, identity.exp);
    return { exp: identity.exp, expiresInMs: msUntilExp(identity.exp) };
  }
}
