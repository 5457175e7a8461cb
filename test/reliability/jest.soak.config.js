// `npm run soak`: the long soak, outside `npm test` (SOAK_DURATION_MS, default 30 min; CI: 300000).
const { resolve } = require('node:path');
const base = require('../../jest.config.js');

const rootDir = resolve(__dirname, '../..');
const e2e = base.projects.find((p) => p.displayName === 'e2e');

module.exports = {
  rootDir,
  reporters: base.reporters,
  testTimeout: 4 * 60 * 60 * 1000,
  projects: [{ ...e2e, rootDir, displayName: 'soak', testMatch: ['<rootDir>/test/reliability/soak/*.soak-spec.ts'] }],
};
