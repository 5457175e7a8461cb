import { join } from 'node:path';
import { DynamicModule, INestApplication, Type, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { ticketCors } from './auth/ticket-cors';
import { AppConfig } from './config';
import { RealtimeWsAdapter } from './gateway/realtime-ws.adapter';
import { UpgradeVerifierService } from './gateway/upgrade-verifier.service';
import { validationException } from './http/validation-exception';
import { GatewayMetrics } from './metrics/gateway.metrics';
import { HardenedExpressAdapter } from './http/hardened-express.adapter';

/** Builds the application (not yet listening); main.ts and the end-to-end tests share it. */
export async function createApp(config: AppConfig, extensions: (Type | DynamicModule)[] = []): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, extensions), new HardenedExpressAdapter(), {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  if (config.trustProxy) app.set('trust proxy', 1);
  app.useBodyParser('json', { limit: config.maxPayloadBytes });
  app.enableCors(ticketCors(config));
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, exceptionFactory: validationException }));
  app.useWebSocketAdapter(new RealtimeWsAdapter(app, app.get(UpgradeVerifierService), config, app.get(GatewayMetrics)));
  // The chat page at /, the admin dashboard at /admin/ui/ and the SDK's browser bundle the chat
  // page loads (relative to src/ or dist/).
  app.useStaticAssets(join(__dirname, '..', 'public'));
  app.useStaticAssets(join(__dirname, '..', 'sdk', 'dist'), { prefix: '/sdk/' });
  const openApi = new DocumentBuilder()
    .setTitle('realtime-gateway admin API')
    .setDescription('Manage sessions and publish from a backend; health and metrics. WebSocket protocol: docs/protocol.md')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, openApi), { jsonDocumentUrl: 'docs-json' });
  return app;
}
