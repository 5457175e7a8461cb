import { DynamicModule, Module, Type } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AdminModule } from './admin/admin.module';
import { AppConfig, AppConfigModule } from './config';
import { DeliveryModule } from './delivery/delivery.module';
import { DevModule } from './dev/dev.module';
import { TypingModule } from './examples/typing/typing.module';
import { GatewayModule } from './gateway/gateway.module';
import { HistoryModule } from './history/history.module';
import { loggerOptions } from './logging/logger.options';
import { RegistryModule } from './registry/registry.module';

@Module({})
export class AppModule {
  /** @param extensions your own modules with @MessageHandler types (see README, "Extending"). */
  static forRoot(config: AppConfig, extensions: (Type | DynamicModule)[] = []): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerOptions(config)),
        RegistryModule,
        DeliveryModule,
        HistoryModule,
        GatewayModule,
        AdminModule,
        TypingModule,
        // Minting tokens for anyone is only acceptable on a developer's machine.
        ...(config.production || !(config.jwt.secret || config.jwt.privateKeyPem) ? [] : [DevModule]),
        ...extensions,
      ],
    };
  }
}
