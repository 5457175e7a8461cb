import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';
import { Session } from '../registry/session';

/**
 * Records when each session last had a message handled (shown by the admin API). Liveness for
 * heartbeats is tracked per socket read instead (see HeartbeatService): pongs, refused frames and
 * partial frames prove a peer alive too, and they never reach a handler.
 */
@Injectable()
export class ActivityInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'ws') {
      const session = context.switchToWs().getClient<Session>();
      session.lastActivityAt = Date.now();
    }
    return next.handle();
  }
}
