import { Matches, ValidateBy, ValidationOptions } from 'class-validator';
import { ROOM_NAME_PATTERN } from '../../protocol';

/** A room name: 1-128 characters of [A-Za-z0-9:_.-]. */
export const IsRoomName = (options: ValidationOptions = {}) =>
  Matches(ROOM_NAME_PATTERN, { message: '$property must be 1-128 characters of A-Z a-z 0-9 : _ . -', ...options });

/** Present, with any JSON value, null included (IsDefined would refuse null). */
export const IsPresent = (options: ValidationOptions = {}) =>
  ValidateBy({ name: 'isPresent', validator: { validate: (value) => value !== undefined } }, { message: '$property is required (any JSON value)', ...options });
