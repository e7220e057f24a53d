/**
 * Background work on an interval, the one way the expiry sweeper and the webhook dispatcher
 * run: a tick is skipped while the previous run is still going (never two at once), a failed
 * run is reported to `onError` and retried at the next tick, and the timer never keeps the
 * process alive.
 */
export interface PollerOptions {
  intervalMs: number;
  run: () => Promise<unknown>;
  onError: (err: unknown) => void;
}

export interface Poller {
  /** Runs `run` every `intervalMs` until stop(); a second start() does nothing. */
  start(): void;
  /**
   * Clears the timer (no run starts after it) and returns the run still in progress, which
   * never rejects, or null when none is.
   */
  stop(): Promise<void> | null;
}

export function createPoller(options: PollerOptions): Poller {
  const { intervalMs, run, onError } = options;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;

  async function settle(): Promise<void> {
    try {
      await run();
    } catch (err) {
      onError(err);
    }
  }

  function tick(): void {
    if (running) return; // the previous run is still going
    // `finally` always runs later than this assignment, even when `run` fails at once.
    running = settle().finally(function idle() {
      running = null;
    });
  }

  function start(): void {
    if (timer) return;
    timer = setInterval(tick, intervalMs);
    timer.unref();
  }

  function stop(): Promise<void> | null {
    if (timer) clearInterval(timer);
    timer = null;
    return running;
  }

  return { start, stop };
}
