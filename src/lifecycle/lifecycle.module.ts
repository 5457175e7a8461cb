import { Module } from '@nestjs/common';
import { LifecycleEvents } from './lifecycle-events.service';

/** One LifecycleEvents for the gateway, rooms and cluster (emitters) and webhooks (observer). */
@Module({ providers: [LifecycleEvents], exports: [LifecycleEvents] })
export class LifecycleModule {}
