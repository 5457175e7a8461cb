// Builds the SDK into sdk/dist (run from anywhere: `node sdk/build.mjs`, or `npm run build:sdk`):
//   index.mjs                    ESM, for bundlers and Node `import`
//   index.cjs                    CommonJS, for Node `require`
//   realtime-client.browser.js   IIFE for a <script> tag: global `RealtimeGateway`, minified, ES2020
//   types/                       declarations (tsc), entry types/sdk/src/index.d.ts
// The protocol modules of the server (src/protocol) are bundled in; the SDK has no runtime dependency.
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const sdkDir = dirname(fileURLToPath(import.meta.url));
const rootDir = dirname(sdkDir);
const outDir = join(sdkDir, 'dist');
const entry = join(sdkDir, 'src', 'index.ts');
const tsconfig = join(sdkDir, 'tsconfig.json');

rmSync(outDir, { recursive: true, force: true });

const common = { entryPoints: [entry], bundle: true, tsconfig, target: 'es2020', sourcemap: true, logLevel: 'warning' };
await Promise.all([
  build({ ...common, platform: 'neutral', format: 'esm', outfile: join(outDir, 'index.mjs') }),
  build({ ...common, platform: 'neutral', format: 'cjs', outfile: join(outDir, 'index.cjs') }),
  build({
    ...common,
    platform: 'browser',
    format: 'iife',
    globalName: 'RealtimeGateway',
    minify: true,
    outfile: join(outDir, 'realtime-client.browser.js'),
  }),
]);

// Declarations. sdk/tsconfig.json also covers the specs and their fakes, whose .d.ts are dropped.
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const result = spawnSync(process.execPath, [tsc, '-p', tsconfig, '--emitDeclarationOnly'], { cwd: rootDir, stdio: 'inherit' });
if (result.status !== 0) {
  console.error('sdk: tsc failed');
  process.exit(result.status ?? 1);
}
const typesDir = join(outDir, 'types');
rmSync(join(typesDir, 'sdk', 'src', 'testing'), { recursive: true, force: true });
for (const file of readdirSync(join(typesDir, 'sdk', 'src'))) {
  if (file.endsWith('.spec.d.ts')) rmSync(join(typesDir, 'sdk', 'src', file));
}

for (const file of ['index.mjs', 'index.cjs', 'realtime-client.browser.js', 'types/sdk/src/index.d.ts']) {
  const path = join(outDir, file);
  console.log(`sdk: ${relative(rootDir, path)} (${statSync(path).size} bytes)`);
}
