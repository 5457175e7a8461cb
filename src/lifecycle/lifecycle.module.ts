import { Global, Module } from '@nestjs/common';
import { LifecycleEvents } from './lifecycle-events.service';

/** Global, so the gateway, messaging and observers can all reach the one LifecycleEvents. */
@Global()
@Module({ providers: [LifecycleEvents], exports: [LifecycleEvents] })
export class LifecycleModule {}
