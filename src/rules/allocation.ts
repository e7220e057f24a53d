// CONTRACT §12: which enrollments sponsor a task at an instant, in which order they are drawn
// from, and how an event's tasks are split among them. Pure TypeScript: the metering path
// (src/usage/ingest.ts) and the entitlements read both decide with these, so the rule lives once.

import { formatEnrollmentId } from './enrollment-id.js';
import { acceptedTasks } from './usage.js';

/** An enrollment as allocation needs it; `expiresAt` is the effective expiration (rule 10). */
export interface SponsorCandidate {
  id: string;
  promotionId: string;
  enrolledAt: Date;
  unenrolledAt: Date | null;
  expiresAt: Date | null;
  taskLimitPerMonth: number | null;
}

/**
 * Whether the enrollment sponsors a task at `at`: enrolled at or before it, not unenrolled at or
 * before it, and its effective expiration not before it (23:59:59 itself still sponsors).
 */
export function sponsorsAt(c: SponsorCandidate, at: Date): boolean {
  const t = at.getTime();
  return (
    c.enrolledAt.getTime() <= t &&
    (c.unenrolledAt === null || c.unenrolledAt.getTime() > t) &&
    (c.expiresAt === null || c.expiresAt.getTime() >= t)
  );
}

/** Code-unit order of two strings, as PostgreSQL's "C" collation sorts them. */
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The allocation order: earliest effective expiration first (none: last), then earliest
 * enrollment date, then the public `enrollment_id`.
 */
export function allocationOrder(a: SponsorCandidate, b: SponsorCandidate): number {
  const ea = a.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
  const eb = b.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
  if (ea !== eb) return ea < eb ? -1 : 1;
  const da = a.enrolledAt.getTime();
  const db = b.enrolledAt.getTime();
  if (da !== db) return da < db ? -1 : 1;
  return byCodeUnits(formatEnrollmentId(a.promotionId, a.id), formatEnrollmentId(b.promotionId, b.id));
}

/** The enrollments that sponsor at `at`, in allocation order. */
export function sponsorsInOrder<T extends SponsorCandidate>(candidates: readonly T[], at: Date): T[] {
  return candidates.filter((c) => sponsorsAt(c, at)).sort(allocationOrder);
}

export interface Share<T> {
  sponsor: T;
  /** What was still to be placed when this enrollment's turn came. */
  requested: number;
  /** What it took: never more than its limit leaves in the cycle (rule 3). */
  taken: number;
}

/**
 * Splits `tasks` over `sponsors` (already in allocation order): each takes what its limit leaves
 * given `usedOf(sponsor)` tasks already counted in its cycle (all of it when unlimited); what
 * none takes is unsponsored. Returns every enrollment that was asked, even one that took 0.
 */
export function allocate<T extends SponsorCandidate>(
  tasks: number,
  sponsors: readonly T[],
  usedOf: (sponsor: T) => number,
): { shares: Share<T>[]; sponsored: number; unsponsored: number } {
  let left = tasks;
  const shares: Share<T>[] = [];
  for (const sponsor of sponsors) {
    if (left === 0) break;
    const taken = acceptedTasks(usedOf(sponsor), left, sponsor.taskLimitPerMonth);
    shares.push({ sponsor, requested: left, taken });
    left -= taken;
  }
  return { shares, sponsored: tasks - left, unsponsored: left };
}
