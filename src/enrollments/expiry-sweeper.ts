// Expiry is always computed at read time from expires_at; the sweeper only marks expired
// enrollments (expired_at + an `expired` event) and deletes Idempotency-Key records past
// their 24 h, so lists and indexes stay lean. Safe with several instances: each batch
// locks its rows with FOR UPDATE SKIP LOCKED.
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../clock.js';
import { createPoller, type Poller } from '../poller.js';
import type { EnrollmentExpiry } from './expiry-repository.js';
import type { IdempotencyRepository } from './idempotency-repository.js';

export const SWEEP_BATCH_SIZE = 500;
/** Bounds one sweep so a backlog is worked off over several intervals, not in one long burst. */
export const SWEEP_MAX_BATCHES = 20;

export interface SweepResult {
  expired: number;
  keysDeleted: number;
}

export function createExpirySweeper(deps: {
  clock: Clock;
  expiry: Pick<EnrollmentExpiry, 'markExpired'>;
  keys: IdempotencyRepository;
  intervalMs: number;
  batchSize?: number;
}) {
  const { clock, expiry, keys, intervalMs } = deps;
  const batchSize = deps.batchSize ?? SWEEP_BATCH_SIZE;
  let poller: Poller | null = null;

  async function drain(step: (batch: number) => Promise<number>): Promise<number> {
    let total = 0;
    for (let i = 0; i < SWEEP_MAX_BATCHES; i++) {
      const n = await step(batchSize);
      total += n;
      if (n < batchSize) break;
    }
    return total;
  }

  /** One full sweep at `now`; tests call it directly. */
  async function sweepOnce(now: Date = clock.now()): Promise<SweepResult> {
    // Each batch is one statement: the enrollments marked with their events and deliveries.
    const expired = await drain(async (batch) => (await expiry.markExpired(now, batch)).length);
    const keysDeleted = await drain((batch) => keys.deleteExpired(now, batch));
    return { expired, keysDeleted };
  }

  /** Sweeps every interval until stop(); the timer never keeps the process alive. */
  function start(log: FastifyBaseLogger): void {
    if (poller) return;
    async function sweepAndLog(): Promise<void> {
      const result = await sweeper.sweepOnce();
      if (result.expired || result.keysDeleted) log.info(result, 'expiry sweep');
    }
    function logFailure(err: unknown): void {
      log.warn({ err }, 'expiry sweep failed; retrying at the next interval');
    }
    poller = createPoller({ intervalMs, run: sweepAndLog, onError: logFailure });
    poller.start();
  }

  /** Stops the timer and waits for a sweep in progress. */
  async function stop(): Promise<void> {
    const running = poller?.stop();
    poller = null;
    await running;
  }

  const sweeper = { sweepOnce, start, stop };
  return sweeper;
}

export type ExpirySweeper = ReturnType<typeof createExpirySweeper>;
