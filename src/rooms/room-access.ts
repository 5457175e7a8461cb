import { ErrorCode } from '../protocol';
import { Session } from '../registry/session';
import { MessageError } from '../messaging/message-error';

/** Joining, publishing, reading presence (and history) need a matching pattern in the token. */
export function assertRoomAccess(session: Session, room: string): void {
  if (!session.permissions.allows(room)) {
    throw new MessageError(ErrorCode.Forbidden, 'the token does not permit this room');
  }
}
