import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, Length, ValidateBy, ValidateIf } from 'class-validator';

/** An ISO 8601 time that lies in the future. */
const IsFuture = () =>
  ValidateBy({ name: 'isFuture', validator: { validate: (value) => typeof value === 'string' && Date.parse(value) > Date.now() } }, { message: '$property must be in the future' });

export class RevocationDto {
  @ApiPropertyOptional({ description: 'Revoke every token of this user (give userId, jti or both)', example: 'mallory' })
  // Required when jti is absent: a revocation must name something.
  @ValidateIf((dto: RevocationDto) => dto.jti === undefined || dto.userId !== undefined)
  @IsString({ message: 'userId must be a string (give userId, jti or both)' })
  @Length(1, 256)
  userId?: string;

  @ApiPropertyOptional({ description: "Revoke the token with this `jti` claim" })
  @IsOptional()
  @IsString()
  @Length(1, 256)
  jti?: string;

  @ApiProperty({ description: 'ISO 8601; the tokens are refused at the upgrade until then', example: '2030-01-01T00:00:00Z' })
  @IsISO8601({ strict: true })
  @IsFuture()
  until!: string;
}

export class RevocationView {
  @ApiPropertyOptional() userId?: string;
  @ApiPropertyOptional() jti?: string;
  @ApiProperty({ description: 'ISO 8601' }) until!: string;
}

export class RevocationResult extends RevocationView {
  @ApiProperty({ description: 'Live sessions closed with 4503' }) closed!: number;
}
