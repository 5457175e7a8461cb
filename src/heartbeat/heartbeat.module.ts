import { Module } from '@nestjs/common';
import { RegistryModule } from '../registry/registry.module';
import { HeartbeatService } from './heartbeat.service';

@Module({
  imports: [RegistryModule],
  providers: [HeartbeatService],
  exports: [HeartbeatService],
})
export class HeartbeatModule {}
