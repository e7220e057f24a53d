/**
 * What the bench reads around each measured window: CPU time of a process and of every
 * PostgreSQL process from /proc, the server's count of statements sent (bench/query-counter.mjs),
 * and the load average.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ, 100 on Linux). */
export const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** comm and utime + stime (all threads, in ticks) of one process, or null once it is gone. */
function stat(pid: number | string): { comm: string; ticks: number } | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ')'.
  const close = text.lastIndexOf(')');
  const fields = text.slice(close + 2).split(' ');
  // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
  return { comm: text.slice(text.indexOf('(') + 1, close), ticks: Number(fields[11]) + Number(fields[12]) };
}

/** CPU milliseconds a process has used so far (user + system, all its threads). */
export function processCpuMs(pid: number): number {
  const s = stat(pid);
  return s ? (s.ticks * 1000) / CLOCK_TICKS : Number.NaN;
}

/** CPU ticks of every process whose comm is `postgres` (postmaster, backends, background workers). */
export function postgresTicks(): Map<number, number> {
  const ticks = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const s = stat(entry);
    if (s?.comm === 'postgres') ticks.set(Number(entry), s.ticks);
  }
  return ticks;
}

/**
 * PostgreSQL CPU milliseconds between two snapshots: per process, after − before (a process
 * started in between counts from zero; one that exited in between is lost, which the bench's
 * long-lived pools make rare).
 */
export function postgresCpuMs(before: Map<number, number>, after: Map<number, number>): number {
  let ticks = 0;
  for (const [pid, t] of after) ticks += t - (before.get(pid) ?? 0);
  return (ticks * 1000) / CLOCK_TICKS;
}

/** The statements a process has sent so far, from its query counter; null without one. */
export async function statementsSent(counterUrl: string | undefined): Promise<number | null> {
  if (!counterUrl) return null;
  const response = await fetch(counterUrl);
  if (!response.ok) throw new Error(`query counter ${counterUrl} answered ${response.status}`);
  return Number(await response.text());
}

/** Busy CPU milliseconds of the whole machine so far, all CPUs (/proc/stat: all but idle and iowait). */
export function machineBusyMs(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return ((user! + nice! + system! + irq! + softirq! + steal!) * 1000) / CLOCK_TICKS;
}

/** Resident set size in bytes, from /proc/<pid>/status (VmRSS). */
export function rssBytes(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}
