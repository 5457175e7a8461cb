import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { RegistryModule } from '../registry/registry.module';
import { ActivityInterceptor } from './activity.interceptor';
import { HeartbeatService } from './heartbeat.service';

@Module({
  imports: [RegistryModule],
  providers: [HeartbeatService, { provide: APP_INTERCEPTOR, useClass: ActivityInterceptor }],
  exports: [HeartbeatService],
})
export class HeartbeatModule {}
