import { IsString, Length } from 'class-validator';
import { IsPresent } from './validators';

export class DirectSendDto {
  @IsString()
  @Length(1, 256)
  to!: string;

  /** Any JSON value. */
  @IsPresent()
  body!: unknown;
}
