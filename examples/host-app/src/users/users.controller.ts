import { Controller, Get, Param } from '@nestjs/common';
import { LastSeen, LastSeenService } from './last-seen.service';

@Controller('users')
export class UsersController {
  constructor(private readonly lastSeen: LastSeenService) {}

  @Get(':id/last-seen')
  get(@Param('id') id: string): LastSeen {
    return this.lastSeen.of(id);
  }
}
