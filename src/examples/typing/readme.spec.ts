import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** README's `ts` blocks that open with a `// <path>` line, by that path. */
function readmeFiles(): Map<string, string> {
  const blocks = read('README.md').matchAll(/^```ts\n\/\/ (\S+)\n([\s\S]*?)^```$/gm);
  return new Map([...blocks].map(([, path, body]) => [path, body]));
}

// The README teaches extensions with this example: what it shows must be what runs and is tested.
describe('README, "Extending"', () => {
  it.each(['src/examples/typing/typing.handler.ts', 'src/examples/typing/typing.module.ts'])('shows %s verbatim', (path) => {
    expect(readmeFiles().get(path)).toBe(read(path));
  });
});
