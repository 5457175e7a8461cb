import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { HandlerRegistry } from './handler-registry.service';
import { DirectHandler } from './handlers/direct.handler';
import { PingHandler } from './handlers/ping.handler';
import { PresenceHandler } from './handlers/presence.handler';
import { RoomHandler } from './handlers/room.handler';
import { RoomPublisher } from './room-publisher.service';
import { RoomSubscriptions } from './room-subscriptions.service';

/** The built-in message types, and the registry that finds every @MessageHandler in the app. */
@Module({
  imports: [DiscoveryModule],
  providers: [HandlerRegistry, RoomPublisher, RoomSubscriptions, PingHandler, RoomHandler, DirectHandler, PresenceHandler],
  exports: [HandlerRegistry, RoomPublisher, RoomSubscriptions, DirectHandler],
})
export class MessagingModule {}
