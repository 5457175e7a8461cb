import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Every non-2xx answer of the admin API. */
export class ErrorView {
  @ApiProperty({ example: 404 }) statusCode!: number;
  @ApiProperty({ example: 'no such connection' }) message!: string;
  @ApiPropertyOptional({ example: 'Not Found' }) error?: string;
}

export class FieldErrorView {
  @ApiProperty({ example: 'room', description: 'The property path (`a.b` for nested)' }) field!: string;
  @ApiProperty({ type: [String], example: ['room must be 1-128 characters of A-Z a-z 0-9 : _ . -'] }) constraints!: string[];
}

/** 400: `message` lists every failed constraint, `details` groups them by field. */
export class ValidationErrorView {
  @ApiProperty({ example: 400 }) statusCode!: number;
  @ApiProperty({ type: [String] }) message!: string[];
  @ApiProperty({ example: 'Bad Request' }) error!: string;
  @ApiProperty({ type: [FieldErrorView] }) details!: FieldErrorView[];
}
