import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { HISTORY_PAGE_MAX } from '../../protocol';
import { RoomDto } from './room.dto';

export class RoomHistoryDto extends RoomDto {
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(HISTORY_PAGE_MAX)
  limit?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  before?: number;
}
