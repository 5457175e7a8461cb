import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config';
import { HandlerRegistryService } from '../messaging/handler-registry.service';
import { AsyncApiDocument, buildAsyncApiDocument } from './asyncapi-document';

/** The AsyncAPI document of the message types registered in this application, built once they all are. */
@Injectable()
export class AsyncApiService implements OnApplicationBootstrap {
  private built?: AsyncApiDocument;

  constructor(
    private readonly handlers: HandlerRegistryService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Every handler is registered by now (the registry fills in at onModuleInit). */
  onApplicationBootstrap(): void {
    this.built = this.build();
  }

  get document(): AsyncApiDocument {
    return (this.built ??= this.build());
  }

  private build(): AsyncApiDocument {
    const types = this.handlers.types().map((type) => this.handlers.get(type)!);
    return buildAsyncApiDocument(types, { wsPath: this.config.wsPath });
  }
}
