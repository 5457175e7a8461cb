import { Module } from '@nestjs/common';
import { LifecycleEventsService } from './lifecycle-events.service';

/** One LifecycleEventsService for the gateway, rooms and cluster (emitters) and webhooks (observer). */
@Module({ providers: [LifecycleEventsService], exports: [LifecycleEventsService] })
export class LifecycleModule {}
