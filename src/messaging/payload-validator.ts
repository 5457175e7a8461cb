import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync, ValidationError } from 'class-validator';
import { ErrorCode, ErrorDetail } from '../protocol';
import { DtoShape } from './dto-shape';
import { rawJsonFields } from './dto/validators';
import { MessageError } from './message-error';

// forbidUnknownValues is off because the instance always comes from plainToInstance(dto): an empty DTO
// has no metadata, and whitelisting still refuses every property it does not declare.
const OPTIONS = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: false } as const;

/** Unknown properties are reported under this field name, never under the client's own key. */
export const UNKNOWN_FIELD = '*';

/**
 * What an unknown key is renamed to before class-transformer and class-validator see the payload:
 * keys such as `constructor`, `toString` or `valueOf` are read by class-transformer as the
 * prototype's members (it throws on `constructor`, skips the others) and class-validator's
 * whitelist looks them up in a plain object, so they would slip through or crash (reliability
 * findings F1, F3). Error details never name the key, so the renaming does not show.
 */
const UNKNOWN_KEY = '\u0000unknown';

/**
 * Compiles the DTO's checker now instead of at its first message (and finds a DTO whose metadata
 * cannot be read at start-up). Returns whether valid payloads take the fast path.
 */
export function preparePayloadValidator(dto: new () => object): boolean {
  return DtoShape.of(dto).fast;
}

/**
 * Turns `data` into a validated DTO instance or throws VALIDATION_FAILED with per-field details.
 * Synchronous on purpose: one message, no promise chain (async validators are not supported).
 *
 * Valid payloads of DTOs whose decorators the compiled checker knows (all built-in ones) are
 * checked and built without class-transformer and class-validator; anything it refuses, and every
 * payload of other DTOs, goes through class-validator, which decides and gives the error details.
 */
export function validatePayload<T extends object>(dto: new () => T, data: Record<string, unknown>): T {
  const shape = DtoShape.of(dto);
  return (shape.tryBuild(data) as T | undefined) ?? validateWithClassValidator(shape, dto, data);
}

function validateWithClassValidator<T extends object>(shape: DtoShape, dto: new () => T, data: Record<string, unknown>): T {
  const safe = renameUnknownKeys(shape, data);
  const raw = rawJsonFields(dto).filter((field) => Object.hasOwn(safe, field));
  const rest = raw.length === 0 ? safe : Object.fromEntries(Object.entries(safe).filter(([key]) => !raw.includes(key)));
  let instance: T;
  try {
    instance = plainToInstance(dto, rest);
  } catch {
    // class-transformer cannot copy some values (an object with its own `constructor` key in a
    // property that is neither raw JSON nor a nested DTO): validate them as they are.
    instance = assignInto(shape, rest) as T;
  }
  for (const field of raw) (instance as Record<string, unknown>)[field] = safe[field];
  const errors = validateSync(instance, OPTIONS);
  if (errors.length > 0) {
    throw new MessageError(ErrorCode.ValidationFailed, 'data failed validation', describe(errors));
  }
  return instance;
}

/** `data` with every key its DTO (or a nested DTO) does not declare renamed to UNKNOWN_KEY; copied only if needed. */
function renameUnknownKeys(shape: DtoShape, data: Record<string, unknown>): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(data)) {
    const value = data[key];
    let safe: unknown = value;
    if (shape.accepted[key] !== true) {
      copy ??= { ...prefix(data, key) };
      copy[UNKNOWN_KEY] = true;
      continue;
    }
    const nested = shape.nested.get(key);
    if (nested && value !== null && typeof value === 'object') {
      safe = Array.isArray(value) ? value.map((item: unknown) => (isObject(item) ? renameUnknownKeys(nested, item) : item)) : renameUnknownKeys(nested, value as Record<string, unknown>);
      if (Array.isArray(value) && (safe as unknown[]).every((item, i) => item === value[i])) safe = value;
    }
    if (safe !== value) copy ??= { ...prefix(data, key) };
    if (copy) copy[key] = safe;
  }
  return copy ?? data;
}

/** The entries of `data` before `key` (those already known to be kept as they are). */
function prefix(data: Record<string, unknown>, key: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(data)) {
    if (k === key) break;
    out[k] = data[k];
  }
  return out;
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** The DTO instance built without class-transformer: values as they are, nested DTOs as instances. */
function assignInto(shape: DtoShape, data: Record<string, unknown>): object {
  const instance = new shape.dto() as Record<string, unknown>;
  for (const key of Object.keys(data)) {
    const value = data[key];
    const nested = shape.nested.get(key);
    const build = (item: unknown) => (nested && isObject(item) ? assignInto(nested, item) : item);
    instance[key] = Array.isArray(value) ? value.map(build) : build(value);
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
