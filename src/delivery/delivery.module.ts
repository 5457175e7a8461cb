import { Global, Module } from '@nestjs/common';
import { BusDelivery } from './bus-delivery.service';
import { FanoutService } from './fanout.service';
import { OutboundService } from './outbound.service';

@Global()
@Module({ providers: [OutboundService, FanoutService, BusDelivery], exports: [OutboundService, FanoutService, BusDelivery] })
export class DeliveryModule {}
