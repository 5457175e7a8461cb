import { dirname, join } from 'node:path';
import { Module } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';

/** The package's root, from src/library or dist/library. */
const ROOT = join(__dirname, '..', '..');
/** uPlot's browser build, wherever npm put the dependency (a host app hoists it). */
const UPLOT = join(dirname(require.resolve('uplot/package.json')), 'dist');

/**
 * The chat page at /, the admin dashboard at /admin/ui/ (its charts load uPlot from
 * /admin/ui/vendor/), and the SDK's browser bundle the chat page loads at /sdk/.
 * `renderPath: '/'`: an unknown path stays a 404 (ServeStaticModule's default would answer every
 * GET with the chat page, as for a single-page app).
 */
@Module({
  imports: [
    ServeStaticModule.forRoot(
      { rootPath: join(ROOT, 'public'), renderPath: '/' },
      { rootPath: join(ROOT, 'sdk', 'dist'), serveRoot: '/sdk', renderPath: '/' },
      { rootPath: UPLOT, serveRoot: '/admin/ui/vendor', renderPath: '/' },
    ),
  ],
})
export class ChatPageModule {}
