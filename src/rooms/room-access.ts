import { ErrorCode } from '../protocol';
import { Session } from '../registry/session';
import { MessageError } from '../messaging/message-error';

/** The token's room patterns (joining, publishing, reading presence and history); RoomAuthorizationService adds the host's authorizer. */
export function assertRoomAccess(session: Session, room: string): void {
  if (!session.permissions.allows(room)) {
    throw new MessageError(ErrorCode.Forbidden, 'the token does not permit this room');
  }
}
