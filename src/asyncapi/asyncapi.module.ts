import { Module } from '@nestjs/common';
import { MessagingModule } from '../messaging/messaging.module';
import { AsyncApiController } from './asyncapi.controller';
import { AsyncApiService } from './asyncapi.service';

/** GET /docs/asyncapi.json: every registered message type (built-in and the host's), as AsyncAPI 3. */
@Module({
  imports: [MessagingModule],
  controllers: [AsyncApiController],
  providers: [AsyncApiService],
})
export class AsyncApiModule {}
