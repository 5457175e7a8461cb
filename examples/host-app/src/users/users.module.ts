import { Module } from '@nestjs/common';
import { LastSeenService } from './last-seen.service';
import { UsersController } from './users.controller';

@Module({ controllers: [UsersController], providers: [LastSeenService] })
export class UsersModule {}
