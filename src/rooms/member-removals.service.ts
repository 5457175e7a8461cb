import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { BUS, Bus } from '../bus/bus';
import { ConnectionRegistry } from '../registry/connection-registry.service';
import { RoomSubscriptions } from './room-subscriptions.service';

/** On every node: takes this node's sessions of a user out of a room when any node asks (bus). */
@Injectable()
export class MemberRemovals implements OnModuleInit {
  constructor(
    @Inject(BUS) private readonly bus: Bus,
    private readonly registry: ConnectionRegistry,
    private readonly subscriptions: RoomSubscriptions,
  ) {}

  onModuleInit(): void {
    this.bus.onControl((message) => {
      if (message.type !== 'remove-member') return;
      for (const session of [...this.registry.ofUser(message.userId)]) if (session.rooms.has(message.room)) this.subscriptions.leave(session, message.room);
    });
  }
}
