import { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AppConfig } from './config';
import { HardenedExpressAdapter } from './http/hardened-express.adapter';

/** Builds the standalone application (not yet listening); main.ts and the end-to-end tests share it. */
export async function createApp(config: AppConfig, extensions: (Type | DynamicModule)[] = []): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, extensions), new HardenedExpressAdapter(), {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  if (config.trustProxy) app.set('trust proxy', 1);
  app.useBodyParser('json', { limit: config.maxPayloadBytes });
  const openApi = new DocumentBuilder()
    .setTitle('realtime-gateway admin API')
    .setDescription('Manage sessions and publish from a backend; health and metrics. WebSocket protocol: docs/protocol.md')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, openApi), { jsonDocumentUrl: 'docs-json' });
  return app;
}
