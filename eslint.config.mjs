// Lint: typescript-eslint's recommended rules, and the module graph of docs/architecture.md as
// import rules, so a dependency pointing the wrong way fails `npm test` instead of review.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const FOLDERS = [
  'protocol', 'config', 'internals', 'redis', 'logging', 'http', 'registry', 'ratelimit', 'bus', 'history', 'presence', 'lifecycle', 'metrics', 'cluster',
  'delivery', 'auth', 'revocation', 'messaging', 'rooms', 'heartbeat', 'shutdown', 'realtime', 'gateway', 'health', 'admin', 'asyncapi', 'webhooks', 'dev', 'examples', 'cli',
];

/** Entry points: only the composition root (src/*.ts, src/library/) imports these. */
const ENTRY_POINTS = ['gateway', 'admin', 'health', 'asyncapi', 'webhooks', 'dev', 'examples', 'cli'];
/** The entry points an entry point may import: the admin API serves the webhooks' dead-letter list (WEBHOOK_QUEUE). */
const ENTRY_POINT_USES = { admin: ['webhooks'] };
/** Features: the layers below them must not know them. */
const FEATURES = ['messaging', 'rooms', 'heartbeat', 'shutdown', 'auth', 'revocation'];
/** Shared state and infrastructure, below delivery. */
const CORE = ['redis', 'logging', 'http', 'registry', 'ratelimit', 'bus', 'history', 'presence', 'lifecycle', 'metrics', 'cluster'];
/** RealtimeService, on top of the features: the admin API and the host app use it, nothing below it does. */
const SERVICE = ['realtime'];

/** What each folder of src/ may not import, besides the ENTRY_POINTS nobody imports. */
const FORBIDDEN = {
  protocol: 'everything',
  config: 'everything',
  internals: 'everything',
  // registry/ is let import auth/: a Session holds its token's RoomPermissions (a plain class).
  ...Object.fromEntries(CORE.map((folder) => [folder, ['delivery', ...FEATURES.filter((f) => folder !== 'registry' || f !== 'auth'), ...SERVICE]])),
  delivery: [...FEATURES, ...SERVICE],
  auth: ['messaging', 'rooms', 'heartbeat', 'shutdown', 'revocation', ...SERVICE],
  revocation: ['messaging', 'rooms', 'heartbeat', 'shutdown', ...SERVICE],
  messaging: ['rooms', 'shutdown', 'heartbeat', ...SERVICE],
  rooms: ['heartbeat', 'shutdown', 'auth', 'revocation', ...SERVICE],
  heartbeat: ['delivery', 'messaging', 'rooms', 'shutdown', 'auth', 'revocation', ...SERVICE],
  shutdown: ['messaging', 'rooms', 'heartbeat', 'auth', 'revocation', ...SERVICE],
  // The published protocol: reads the message registry (messaging), the wire types, the config.
  asyncapi: ['rooms', 'heartbeat', 'shutdown', 'auth', 'revocation', 'delivery', ...CORE, ...SERVICE],
};

const folderPattern = (folder) => ({ regex: `^(\\.\\./)+${folder}(/|$)`, message: `${folder}/ is above this folder in docs/architecture.md` });
const IOREDIS = { regex: '^ioredis$', message: 'only *.redis.ts files and src/redis/ talk to Redis' };
const ANY_OF_SRC = { regex: '^\\.\\./', message: 'protocol/ and config/ import nothing from the rest of src/' };

function importRules(folder, allowRedis) {
  const forbidden = FORBIDDEN[folder] ?? [];
  const patterns =
    forbidden === 'everything'
      ? [ANY_OF_SRC]
      : [...ENTRY_POINTS.filter((f) => f !== folder && !(ENTRY_POINT_USES[folder] ?? []).includes(f)), ...forbidden].map(folderPattern);
  if (!allowRedis) patterns.push(IOREDIS);
  return { 'no-restricted-imports': ['error', { patterns }] };
}

export default tseslint.config(
  { ignores: ['dist/**', 'sdk/**', 'bench/**', 'public/**', 'test/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.ts'],
    rules: {
      // An implementation may ignore arguments its interface passes (RedisBus.messageStored).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // class-validator's metadata storage and Nest's reflect-metadata take classes as `Function`.
      '@typescript-eslint/no-unsafe-function-type': 'off',
    },
  },
  {
    // A spec may load a library's export where it uses it (ws's own framing, as a reference).
    files: ['src/**/*.spec.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  ...FOLDERS.flatMap((folder) => [
    // Specs are left out: a test may build its fixtures from any layer.
    { files: [`src/${folder}/**/*.ts`], ignores: ['src/**/*.redis.ts', 'src/**/*.spec.ts'], rules: importRules(folder, folder === 'redis') },
    { files: [`src/${folder}/**/*.redis.ts`], rules: importRules(folder, true) },
  ]),
  // The composition root (src/*.ts and library/, the RealtimeModule a host imports) may import every folder, but not Redis.
  { files: ['src/*.ts', 'src/library/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [IOREDIS] }] } },
);
