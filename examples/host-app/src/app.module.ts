import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { RealtimeModule } from 'realtime-gateway';
import { ChatModule } from './chat/chat.module';
import { MembershipModule } from './membership/membership.module';
import { MembershipRepository } from './membership/membership.repository';
import { OrdersModule } from './orders/orders.module';
import { UsersModule } from './users/users.module';

@Module({
  imports: [
    ConfigModule.forRoot(),
    RealtimeModule.forRootAsync({
      imports: [ConfigModule, MembershipModule],
      inject: [ConfigService, MembershipRepository],
      useFactory: (config: ConfigService, members: MembershipRepository) => ({
        jwtSecret: config.getOrThrow<string>('JWT_SECRET'),
        // No browser page of another origin opens the socket in this example.
        allowedOrigins: [],
        // This application's data decides who may use a room, not a `rooms` claim in the token.
        roomAuthorizerReplacesToken: true,
        roomAuthorizer: {
          canJoin: (session, room) => (room.startsWith('conversation:') ? members.isMember(session.userId, room) : room.startsWith('public:')),
        },
      }),
    }),
    ChatModule,
    OrdersModule,
    UsersModule,
  ],
})
export class AppModule {}
