import { Matches, ValidateBy, ValidationOptions } from 'class-validator';
import { ROOM_NAME_PATTERN } from '../../protocol';

/** A room name: 1-128 characters of [A-Za-z0-9:_.-]. */
export const IsRoomName = (options: ValidationOptions = {}) =>
  Matches(ROOM_NAME_PATTERN, { message: '$property must be 1-128 characters of A-Z a-z 0-9 : _ . -', ...options });

const RAW_JSON = Symbol('raw-json-fields');

/** The properties of a DTO that hold arbitrary JSON (see IsPresent). */
export function rawJsonFields(dto: object): readonly string[] {
  return (Reflect.getMetadata(RAW_JSON, dto) as string[] | undefined) ?? [];
}

/**
 * Present, with any JSON value, null included (IsDefined would refuse null). Such a property is
 * copied as it is, not run through class-transformer: a message body may hold any key, even
 * `constructor`, which class-transformer cannot copy.
 */
export const IsPresent =
  (options: ValidationOptions = {}): PropertyDecorator =>
  (target, property) => {
    Reflect.defineMetadata(RAW_JSON, [...rawJsonFields(target.constructor), String(property)], target.constructor);
    ValidateBy({ name: 'isPresent', validator: { validate: (value) => value !== undefined } }, { message: '$property is required (any JSON value)', ...options })(target, property);
  };
