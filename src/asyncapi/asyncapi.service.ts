import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config';
import { HandlerRegistryService } from '../messaging/handler-registry.service';
import { AsyncApiDocument, buildAsyncApiDocument } from './asyncapi-document';

/** The AsyncAPI document of the message types registered in this application, built once they all are. */
@Injectable()
export class AsyncApiService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AsyncApiService.name);
  private built?: AsyncApiDocument;

  constructor(
    private readonly handlers: HandlerRegistryService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Every handler is registered by now (the registry fills in at onModuleInit). A DTO the schema
   * generator cannot read must not stop the server: it is logged, and /docs/asyncapi.json answers 500.
   */
  onApplicationBootstrap(): void {
    try {
      this.built = this.build();
    } catch (err) {
      this.logger.error(err, 'the AsyncAPI document cannot be built');
    }
  }

  get document(): AsyncApiDocument {
    return (this.built ??= this.build());
  }

  private build(): AsyncApiDocument {
    const types = this.handlers.types().map((type) => this.handlers.get(type)!);
    return buildAsyncApiDocument(types, { wsPath: this.config.wsPath });
  }
}
