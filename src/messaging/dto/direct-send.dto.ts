import { IsDefined, IsString, Length } from 'class-validator';

export class DirectSendDto {
  @IsString()
  @Length(1, 256)
  to!: string;

  /** Any JSON value. */
  @IsDefined({ message: 'body is required (any JSON value)' })
  body!: unknown;
}
