import { BadRequestException, UsePipes, ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';

export interface FieldError {
  field: string;
  constraints: string[];
}

/** Flattens nested validation errors into one entry per field, with dotted paths. */
function fieldErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((e) => [
    ...(e.constraints ? [{ field: prefix + e.property, constraints: Object.values(e.constraints) }] : []),
    ...fieldErrors(e.children ?? [], `${prefix}${e.property}.`),
  ]);
}

/**
 * 400 for a request that fails its DTO: Nest's usual body (`message` lists every constraint) plus
 * `details`, the same failures grouped by field, as WebSocket error frames report them.
 */
export function validationException(errors: ValidationError[]): BadRequestException {
  const details = fieldErrors(errors);
  return new BadRequestException({ statusCode: 400, error: 'Bad Request', message: details.flatMap((d) => d.constraints), details });
}

/**
 * The validation of every controller of ours, declared on the controllers (not app-wide), so the
 * same rules apply inside a host application whatever its own global pipes are.
 */
export const ValidateRequests = () =>
  UsePipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, exceptionFactory: validationException }));
