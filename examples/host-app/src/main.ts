import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function bootstrap(): Promise<void> {
  // A plain Nest start: RealtimeModule attaches its WebSocket endpoint to this HTTP server by itself.
  const app = await NestFactory.create(AppModule);
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  await app.listen(Number(process.env.PORT ?? 0));
  const { port } = app.getHttpServer().address() as AddressInfo;
  // One JSON line, so a script (test/library/host-app.e2e-spec.ts) can read the port.
  process.stdout.write(`${JSON.stringify({ event: 'host-app.listening', port })}\n`);
}

bootstrap().catch((err: unknown) => {
  process.stderr.write(`host-app failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
