import { DynamicModule, Module, Type } from '@nestjs/common';
import { AppConfig, ExampleName } from './config';
import { TypingModule } from './examples/typing/typing.module';
import { RealtimeModule } from './library/realtime.module';

/** What EXAMPLES may load: examples are not part of the service, so none is loaded unless asked. */
const EXAMPLE_MODULES: Record<ExampleName, Type> = { typing: TypingModule };

/** The standalone service: the library's RealtimeModule with every feature, configured from the environment. */
@Module({})
export class AppModule {
  /** @param extensions your own modules with @MessageHandler types (see docs/extending.md). */
  static forRoot(config: AppConfig, extensions: (Type | DynamicModule)[] = []): DynamicModule {
    return {
      module: AppModule,
      imports: [RealtimeModule.forConfig(config), ...config.examples.map((name) => EXAMPLE_MODULES[name]), ...extensions],
    };
  }
}
