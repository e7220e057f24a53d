import { defineConfig } from 'vitest/config';

// `npm test` runs the suite on embedded PGlite; with DATABASE_URL set it also runs it on
// that PostgreSQL (project "pg"), plus the tests that need a real server (*.pg.test.ts).
const withPg = Boolean(process.env.DATABASE_URL);

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
    pool: 'forks',
    // One migrated database per run, which every test file's database copies.
    globalSetup: ['test/helpers/global-setup.ts'],
    projects: [
      {
        extends: true as const,
        test: {
          name: 'pglite',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['**/*.pg.test.ts', '**/node_modules/**'],
          env: { TEST_DB: 'pglite' },
        },
      },
      ...(withPg
        ? [
            {
              extends: true as const,
              test: {
                name: 'pg',
                include: ['test/**/*.test.ts'],
                exclude: ['**/node_modules/**'],
                env: { TEST_DB: 'pg' },
              },
            },
          ]
        : []),
    ],
  },
});
