import { ValidationError } from 'class-validator';
import { validationException } from './validation-exception';

const error = (property: string, constraints?: Record<string, string>, children: ValidationError[] = []): ValidationError =>
  Object.assign(new ValidationError(), { property, constraints, children });

describe('validationException', () => {
  it('answers 400 with every constraint in `message` and per-field `details`, nested paths dotted', () => {
    const exception = validationException([
      error('room', { matches: 'room must be a room name' }),
      error('since', undefined, [error('offset', { isInt: 'offset must be an integer', min: 'offset must not be less than 0' })]),
    ]);
    expect(exception.getStatus()).toBe(400);
    expect(exception.getResponse()).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: ['room must be a room name', 'offset must be an integer', 'offset must not be less than 0'],
      details: [
        { field: 'room', constraints: ['room must be a room name'] },
        { field: 'since.offset', constraints: ['offset must be an integer', 'offset must not be less than 0'] },
      ],
    });
  });
});
