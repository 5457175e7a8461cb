import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync, ValidationError } from 'class-validator';
import { ErrorCode, ErrorDetail } from '../protocol';
import { rawJsonFields } from './dto/validators';
import { MessageError } from './message-error';

// forbidUnknownValues is off because the instance always comes from plainToInstance(dto): an empty DTO
// has no metadata, and whitelisting still refuses every property it does not declare.
const OPTIONS = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: false } as const;

/** Unknown properties are reported under this field name, never under the client's own key. */
export const UNKNOWN_FIELD = '*';

/**
 * Turns `data` into a validated DTO instance or throws VALIDATION_FAILED with per-field details.
 * Synchronous on purpose: one message, no promise chain (async validators are not supported).
 */
export function validatePayload<T extends object>(dto: new () => T, data: Record<string, unknown>): T {
  const raw = rawJsonFields(dto).filter((field) => Object.hasOwn(data, field));
  const rest = raw.length === 0 ? data : Object.fromEntries(Object.entries(data).filter(([key]) => !raw.includes(key)));
  const instance = plainToInstance(dto, rest);
  for (const field of raw) (instance as Record<string, unknown>)[field] = data[field];
  const errors = validateSync(instance, OPTIONS);
  if (errors.length > 0) {
    throw new MessageError(ErrorCode.ValidationFailed, 'data failed validation', describe(errors));
  }
  return instance;
}

/** Error frames never echo client input, so unknown keys become one detail listing what is accepted. */
function describe(errors: ValidationError[], prefix = ''): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  let unknownIn: object | undefined;
  for (const e of errors) {
    if (e.constraints?.whitelistValidation) unknownIn = e.target;
    else if (e.constraints) details.push({ field: prefix + e.property, constraints: Object.values(e.constraints) });
    if (e.children?.length) details.push(...describe(e.children, `${prefix}${e.property}.`));
  }
  if (unknownIn) details.push({ field: prefix + UNKNOWN_FIELD, constraints: [unknownMessage(unknownIn.constructor)] });
  return details;
}

const unknownMessages = new WeakMap<object, string>();

function unknownMessage(dto: Function): string {
  let message = unknownMessages.get(dto);
  if (!message) {
    const names = [...new Set(getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false).map((m) => m.propertyName))].sort();
    message = names.length > 0 ? `unknown property; accepted: ${names.join(', ')}` : 'unknown property; data must be empty';
    unknownMessages.set(dto, message);
  }
  return message;
}
