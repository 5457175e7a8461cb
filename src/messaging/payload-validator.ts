import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { ErrorCode, ErrorDetail } from '../protocol';
import { MessageError } from './message-error';

// forbidUnknownValues is off because the instance always comes from plainToInstance(dto): an empty DTO
// has no metadata, and whitelisting still refuses every property it does not declare.
const OPTIONS = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: false } as const;

/**
 * Turns `data` into a validated DTO instance or throws VALIDATION_FAILED with per-field details.
 * Synchronous on purpose: one message, no promise chain (async validators are not supported).
 */
export function validatePayload<T extends object>(dto: new () => T, data: Record<string, unknown>): T {
  const instance = plainToInstance(dto, data);
  const errors = validateSync(instance, OPTIONS);
  if (errors.length > 0) {
    throw new MessageError(ErrorCode.ValidationFailed, 'data failed validation', flatten(errors));
  }
  return instance;
}

/** Field names come from the client (unknown keys are reported), so they are cut short. */
const MAX_FIELD_LENGTH = 64;

function flatten(errors: ValidationError[], prefix = ''): ErrorDetail[] {
  return errors.flatMap((e) => {
    const field = (prefix + e.property).slice(0, MAX_FIELD_LENGTH);
    const own = e.constraints ? [{ field, constraints: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], `${field}.`)];
  });
}
