import { Type } from 'class-transformer';
import { IsDefined, ValidateNested } from 'class-validator';
import { StreamPositionDto } from './stream-position.dto';

export class UserRecoverDto {
  /** The position of the last `direct` the client delivered (or the `userStream` of its last welcome). */
  @IsDefined()
  @ValidateNested()
  @Type(() => StreamPositionDto)
  since!: StreamPositionDto;
}
