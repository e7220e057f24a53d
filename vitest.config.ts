import { defineConfig } from 'vitest/config';

// `npm test` runs the suite on embedded PGlite; with DATABASE_URL set it also runs it on
// that PostgreSQL (project "pg"), plus the tests that need a real server (*.pg.test.ts).
// The network fault tests need root (*.root.test.ts): `npm run test:faults` (vitest.faults.config.ts).
const withPg = Boolean(process.env.DATABASE_URL);
// Files that patch a built-in before a dependency loads it, or count process-wide state: each
// runs in a fresh process of its own (the "…-isolated" projects), as every file did before.
const ISOLATED = ['test/ops/overload-first-sample.test.ts', 'test/auth/secrets.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
    pool: 'forks',
    // Each worker process runs file after file, loading src/ (fastify, zod, drizzle, the
    // contract's validators) once instead of once per file: half the suite's CPU time. Files
    // share no state but the modules' (every file builds its own app on its own database).
    isolate: false,
    // One migrated database per run, which every test file's database copies.
    globalSetup: ['test/helpers/global-setup.ts'],
    // `npm run test:changed` runs every file when one of these changed: files every test
    // file reads from disk without importing them (the migrations behind every database, the
    // contract behind every response), besides vitest's own defaults.
    forceRerunTriggers: [
      '**/package.json/**',
      '**/{vitest,vite}.config.*/**',
      '**/migrations/**',
      '**/openapi/**',
    ],
    projects: [
      {
        extends: true as const,
        test: {
          name: 'pglite',
          include: ['test/**/*.test.ts'],
          exclude: ['**/*.pg.test.ts', '**/*.root.test.ts', '**/node_modules/**', ...ISOLATED],
          env: { TEST_DB: 'pglite' },
        },
      },
      {
        extends: true as const,
        test: { name: 'pglite-isolated', include: ISOLATED, isolate: true, env: { TEST_DB: 'pglite' } },
      },
      ...(withPg
        ? [
            {
              extends: true as const,
              test: {
                name: 'pg',
                include: ['test/**/*.test.ts'],
                exclude: ['**/*.root.test.ts', '**/*.once.pg.test.ts', '**/node_modules/**', ...ISOLATED],
                env: { TEST_DB: 'pg' },
              },
            },
            {
              extends: true as const,
              test: { name: 'pg-isolated', include: ISOLATED, isolate: true, env: { TEST_DB: 'pg' } },
            },
            {
              // Minutes of one check that no leg's runtime changes (a million rows streamed in
              // constant memory): .ci/run runs it once, on Node 24 (`--project pg-once`).
              extends: true as const,
              test: { name: 'pg-once', include: ['test/**/*.once.pg.test.ts'], env: { TEST_DB: 'pg' } },
            },
          ]
        : []),
    ],
  },
});
