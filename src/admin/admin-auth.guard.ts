import type { IncomingMessage } from 'node:http';
import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config';
import { BearerSecret, bearerToken } from '../http/bearer-secret';
import { AdminJwtVerifier } from './admin-jwt.verifier';

export const ADMIN_ACTOR = Symbol('admin-actor');

/** The request, with who the guard let in: `admin-token`, or `jwt:<sub>`. */
export type AdminRequest = IncomingMessage & { [ADMIN_ACTOR]?: string };

/**
 * `Authorization: Bearer <ADMIN_TOKEN>` (compared in constant time), or a JWT with the admin role.
 * 401 without credentials or with ones we did not issue; 403 for a valid token without the role
 * (a client's WebSocket token, say).
 */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  private readonly adminToken: BearerSecret;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly jwt: AdminJwtVerifier,
  ) {
    this.adminToken = new BearerSecret(config.adminToken);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AdminRequest>();
    const presented = bearerToken(request.headers.authorization);
    if (!presented) throw new UnauthorizedException('admin credentials required');
    if (this.adminToken.matches(presented)) {
      request[ADMIN_ACTOR] = 'admin-token';
      return true;
    }
    const verdict = await this.jwt.verify(presented);
    if (verdict === 'invalid') throw new UnauthorizedException('invalid admin credentials');
    if (verdict === 'not-admin') throw new ForbiddenException('this token does not carry the admin role');
    request[ADMIN_ACTOR] = `jwt:${verdict.subject}`;
    return true;
  }
}
