import type { MetadataStorage } from 'class-transformer/types/MetadataStorage';
import { installedVersion } from '../internals/installed-version';

/**
 * The one file that reads a private part of class-transformer, for the fast DTO checker of
 * src/messaging/dto-shape.ts (payloads checked with class-validator's own constraints, without
 * plainToInstance + validateSync, when they pass).
 *
 * What it reads: `defaultMetadataStorage` from `class-transformer/cjs/storage`, the singleton in
 * which @Type, @Transform, @Expose and @Exclude record their metadata; the package's index does not
 * export it. The fast checker needs it to know that a DTO has no transformation (else
 * class-transformer must build the instance) and which class a @ValidateNested property holds.
 * Without it no DTO can be known to be transformation-free, so every payload would go through
 * class-transformer and class-validator.
 *
 * Why: the measured cost of that per message, in docs/performance.md, "Library internals we read,
 * and why" (request/reply scenario, CPU per request, with and without the fast checker).
 *
 * Checked against class-transformer 0.5.1 (cjs/storage.js, cjs/MetadataStorage.js), pinned in
 * package.json. The shape is checked when this module loads (at start): a mismatch throws, naming
 * class-transformer and its installed version; src/messaging/class-transformer-internals.spec.ts
 * checks that the decorators of the installed package write to this storage.
 */
export const CLASS_TRANSFORMER_CHECKED_VERSION = '0.5.1';

/**
 * The part of class-transformer's MetadataStorage that dto-shape.ts reads, and that
 * class-validator-jsonschema reads when src/asyncapi passes it the storage (findExcludeMetadata too).
 */
export type TransformerMetadata = Pick<
  MetadataStorage,
  'getStrategy' | 'getExposedMetadatas' | 'getExcludedMetadatas' | 'findTypeMetadata' | 'findTransformMetadatas' | 'findExcludeMetadata'
>;

const METHODS = ['getStrategy', 'getExposedMetadatas', 'getExcludedMetadatas', 'findTypeMetadata', 'findTransformMetadatas', 'findExcludeMetadata'] as const;

/** class-transformer's decorator metadata; throws when it is not where, or what, it was. */
// A require, not an import: a missing file must become our error above, not a failed module load.
// eslint-disable-next-line @typescript-eslint/no-require-imports
export function loadTransformerMetadata(load: () => unknown = () => require('class-transformer/cjs/storage')): TransformerMetadata {
  let storage: Partial<TransformerMetadata> | undefined;
  let problem: string;
  try {
    storage = (load() as { defaultMetadataStorage?: Partial<TransformerMetadata> } | undefined)?.defaultMetadataStorage;
    const missing = METHODS.filter((name) => typeof storage?.[name] !== 'function');
    if (storage && missing.length === 0) return storage as TransformerMetadata;
    problem = storage ? `defaultMetadataStorage has no ${missing.join(', ')}` : 'cjs/storage exports no defaultMetadataStorage';
  } catch (err) {
    problem = `cjs/storage cannot be loaded (${(err as Error).message.split('\n')[0]})`;
  }
  throw new Error(
    `class-transformer ${installedVersion('class-transformer')}: ${problem}. src/messaging/class-transformer-internals.ts was written for class-transformer ` +
      `${CLASS_TRANSFORMER_CHECKED_VERSION}; re-check cjs/storage.js and cjs/MetadataStorage.js and update it.`,
  );
}
