import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPoller } from '../src/poller.js';

describe('createPoller', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs every interval, never twice at once, and stop() hands back the run in progress', async () => {
    let release: () => void = () => {};
    const run = vi.fn(
      () =>
        new Promise<void>((resolve) => {
          release = resolve;
        }),
    );
    const poller = createPoller({ intervalMs: 1000, run, onError: vi.fn() });
    poller.start();
    poller.start(); // a second start adds no timer
    await vi.advanceTimersByTimeAsync(999);
    expect(run).toHaveBeenCalledTimes(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(run).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(3000); // still running: these ticks are skipped
    expect(run).toHaveBeenCalledTimes(1);

    const running = poller.stop();
    expect(running).toBeInstanceOf(Promise);
    let settled = false;
    void running?.then(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toBe(false);
    release();
    await running;
    expect(settled).toBe(true);
    await vi.advanceTimersByTimeAsync(5000);
    expect(run).toHaveBeenCalledTimes(1);
    expect(poller.stop()).toBeNull();
  });

  it('reports a failed run, also one that throws at once, and runs again at the next tick', async () => {
    const failure = new Error('boom');
    const run = vi
      .fn<() => Promise<void>>()
      .mockImplementationOnce(() => {
        throw failure;
      })
      .mockRejectedValueOnce(failure)
      .mockResolvedValue(undefined);
    const onError = vi.fn();
    const poller = createPoller({ intervalMs: 10, run, onError });
    poller.start();
    await vi.advanceTimersByTimeAsync(30);
    expect(run).toHaveBeenCalledTimes(3);
    expect(onError.mock.calls).toEqual([[failure], [failure]]);
    expect(poller.stop()).toBeNull();
  });

  it('does not keep the process alive', () => {
    const setIntervalSpy = vi.spyOn(globalThis, 'setInterval');
    const poller = createPoller({ intervalMs: 10, run: async () => {}, onError: vi.fn() });
    poller.start();
    const timer = setIntervalSpy.mock.results[0]?.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    poller.stop();
    setIntervalSpy.mockRestore();
  });
});
