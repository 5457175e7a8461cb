import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** docs/extending.md's `ts` blocks that open with a `// <path>` line, by that path. */
function exampleBlocks(): Map<string, string> {
  const blocks = read('docs/extending.md').matchAll(/^```ts\n\/\/ (\S+)\n([\s\S]*?)^```$/gm);
  return new Map([...blocks].map(([, path, body]) => [path, body]));
}

// docs/extending.md teaches extensions with this example: what it shows must be what runs and is tested.
describe('docs/extending.md', () => {
  it.each(['src/examples/typing/typing.handler.ts', 'src/examples/typing/typing.module.ts'])('shows %s verbatim', (path) => {
    expect(exampleBlocks().get(path)).toBe(read(path));
  });
});
