import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { BUS, Bus } from '../bus/bus';
import { ConnectionRegistryService } from '../registry/connection-registry.service';
import { RoomSubscriptionsService } from './room-subscriptions.service';

/** On every node: takes this node's sessions of a user out of a room when any node asks (bus). */
@Injectable()
export class MemberRemovalsService implements OnModuleInit {
  constructor(
    @Inject(BUS) private readonly bus: Bus,
    private readonly registry: ConnectionRegistryService,
    private readonly subscriptions: RoomSubscriptionsService,
  ) {}

  onModuleInit(): void {
    this.bus.onControl((message) => {
      if (message.type !== 'remove-member') return;
      for (const session of [...this.registry.ofUser(message.userId)]) if (session.rooms.has(message.room)) this.subscriptions.leave(session, message.room);
    });
  }
}
