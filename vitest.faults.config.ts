import { defineConfig } from 'vitest/config';

// `npm run test:faults`: faults injected on a network the tests make (test/faults/*.root.test.ts:
// a network namespace, a veth pair and nftables rules), so root only, against the machine's
// PostgreSQL and Redis; one file at a time. `npm test` leaves these out.
export default defineConfig({
  test: {
    include: ['test/faults/**/*.root.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 240_000,
    maxWorkers: 1,
    pool: 'forks',
    env: { TEST_DB: 'pg' },
  },
});
