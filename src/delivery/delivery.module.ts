import { Global, Module } from '@nestjs/common';
import { FanoutService } from './fanout.service';
import { OutboundService } from './outbound.service';

@Global()
@Module({ providers: [OutboundService, FanoutService], exports: [OutboundService, FanoutService] })
export class DeliveryModule {}
