// npm's `prepack` (npm pack, npm publish): the tarball ships the build, so refuse to pack without one.
// It does not build: a build deletes dist/, which tests running the server from dist/ may be using.
import { existsSync } from 'node:fs';

const needed = ['dist/index.js', 'dist/index.d.ts', 'dist/main.js', 'sdk/dist/realtime-client.browser.js'];
const missing = needed.filter((file) => !existsSync(file));
if (missing.length > 0) {
  console.error(`npm pack: ${missing.join(', ')} missing: run npm run build first`);
  process.exit(1);
}
