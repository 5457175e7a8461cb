import { Module } from '@nestjs/common';
import { ClusterModule } from '../cluster/cluster.module';
import { HistoryModule } from '../history/history.module';
import { RegistryModule } from '../registry/registry.module';
import { BusDeliveryService } from './bus-delivery.service';
import { FanoutService } from './fanout.service';
import { OutboundService } from './outbound.service';
import { UserStreamService } from './user-stream.service';

/** Every frame to a client leaves through here: written to one socket, fanned out, or brought by the bus. */
@Module({
  imports: [RegistryModule, HistoryModule, ClusterModule],
  providers: [OutboundService, FanoutService, BusDeliveryService, UserStreamService],
  exports: [OutboundService, BusDeliveryService, UserStreamService],
})
export class DeliveryModule {}
