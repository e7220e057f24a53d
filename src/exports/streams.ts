// Exports of a promotion (CONTRACT §6, "Exports"): its enrollments, and its usage per enrollment
// and billing cycle, as CSV or NDJSON, streamed a keyset batch at a time, so a million rows cost
// the memory of one batch. The admin API's export routes (src/admin/exports.ts) and the
// console's "Download CSV" links (src/console/pages/promotions.ts) serve the same streams.
import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import type { Clock } from '../clock.js';
import { toAdminEnrollmentResource } from '../enrollments/resource.js';
import { ERRORS } from '../errors.js';
import type { PromotionsRepository } from '../promotions/repository.js';
import { cycleAt } from '../rules/billing-cycle.js';
import type { AdminEnrollmentStatus } from '../rules/enrollment-detail.js';
import { formatEnrollmentId, PROMOTION_ID_PATTERN } from '../rules/enrollment-id.js';
import { toRfc3339 } from '../rules/time.js';
import { EXPORT_CONTENT_TYPES, type ExportFormat, exportChunks } from './format.js';
import { EXPORT_BATCH_SIZE, type ExportsRepository } from './repository.js';

/** The columns of the enrollments export: the admin list's fields, with the account's email. */
export const ENROLLMENT_EXPORT_COLUMNS = [
  'enrollment_id',
  'promotion_id',
  'account_id',
  'account_email',
  'partner_id',
  'status',
  'enrollment_date',
  'expiration_date',
  'unenrolled_at',
  'task_limit_per_month',
  'tasks_used_this_month',
  'billing_cycle_start',
  'billing_cycle_end',
] as const;

/** The columns of the usage export: one row per enrollment and billing cycle with usage. */
export const USAGE_EXPORT_COLUMNS = [
  'enrollment_id',
  'promotion_id',
  'account_id',
  'account_email',
  'cycle_start',
  'cycle_end',
  'tasks_used',
  'task_limit_per_month',
] as const;

export interface ExportDeps {
  promotions: Pick<PromotionsRepository, 'findById'>;
  exportsRepository: ExportsRepository;
  clock: Clock;
}

export interface ExportStream {
  filename: string;
  body: Readable;
}

async function requirePromotion(deps: ExportDeps, id: string): Promise<void> {
  if (!PROMOTION_ID_PATTERN.test(id) || !(await deps.promotions.findById(id))) {
    throw ERRORS.promotionNotFound();
  }
}

async function* keysetBatches<Row, Out>(
  first: Row[],
  next: (last: Row) => Promise<Row[]>,
  map: (row: Row) => Out,
): AsyncGenerator<Out[]> {
  let batch = first;
  for (;;) {
    yield batch.map(map);
    const last = batch.at(-1);
    if (batch.length < EXPORT_BATCH_SIZE || last === undefined) return;
    batch = await next(last);
  }
}

/**
 * An export's body, written as `format`, a keyset batch at a time: `page(null)` is fetched
 * before the answer starts (so an unknown promotion is a 404 and a database down a 503, not a
 * cut stream), each next page, after `keyOf` the last row, when the client has taken the last
 * (Readable.from pulls only as the socket drains).
 */
async function keysetBody<Row, Key, Out extends Record<string, string | number | boolean | null>>(
  format: ExportFormat,
  columns: readonly (keyof Out & string)[],
  page: (after: Key | null) => Promise<Row[]>,
  keyOf: (last: Row) => Key,
  map: (row: Row) => Out,
): Promise<Readable> {
  const batches = keysetBatches(await page(null), (last) => page(keyOf(last)), map);
  return Readable.from(exportChunks(format, columns, batches), { objectMode: false });
}

const day = (now: Date) => toRfc3339(now).slice(0, 10);

/** A promotion's enrollments (unenrolled ones too), by internal id, each at its own time (§9). */
export async function enrollmentExport(
  deps: ExportDeps,
  promotionId: string,
  options: { format: ExportFormat; status?: AdminEnrollmentStatus },
): Promise<ExportStream> {
  await requirePromotion(deps, promotionId);
  const now = deps.clock.now();
  const page = (afterId: string | null) =>
    deps.exportsRepository.enrollmentsPage(
      promotionId,
      { limit: EXPORT_BATCH_SIZE, afterId, status: options.status },
      now,
    );
  const body = await keysetBody(
    options.format,
    ENROLLMENT_EXPORT_COLUMNS,
    page,
    (last) => last.id,
    (view) => {
      const e = toAdminEnrollmentResource(view, now);
      return {
        enrollment_id: e.enrollment_id,
        promotion_id: e.promotion_id,
        account_id: e.account_id,
        account_email: view.account_email,
        partner_id: e.partner_id,
        status: e.status,
        enrollment_date: e.enrollment_date,
        expiration_date: e.expiration_date,
        unenrolled_at: e.unenrolled_at,
        task_limit_per_month: e.task_limit_per_month,
        tasks_used_this_month: e.tasks_used_this_month,
        billing_cycle_start: e.billing_cycle_start,
        billing_cycle_end: e.billing_cycle_end,
      };
    },
  );
  return {
    filename: `${promotionId}-enrollments-${day(now)}.${options.format}`,
    body,
  };
}

/**
 * A promotion's usage: one row per enrollment and billing cycle that has a usage counter (a
 * cycle without usage has none), by enrollment then cycle; with `cycle` (YYYY-MM) only the
 * cycles that start in that calendar month (UTC), which is exactly one per enrollment, since
 * cycles are monthly from each enrollment's own date (CONTRACT §3 rule 2).
 */
export async function usageExport(
  deps: ExportDeps,
  promotionId: string,
  options: { format: ExportFormat; cycle?: string },
): Promise<ExportStream> {
  await requirePromotion(deps, promotionId);
  const [year, month] = (options.cycle ?? '').split('-').map(Number);
  const window =
    year !== undefined && month !== undefined && options.cycle
      ? { from: new Date(Date.UTC(year, month - 1, 1)), to: new Date(Date.UTC(year, month, 1)) }
      : {};
  const page = (after: { enrollmentId: string; cycleKey: string } | null) =>
    deps.exportsRepository.usagePage(promotionId, { limit: EXPORT_BATCH_SIZE, after, ...window });
  const body = await keysetBody(
    options.format,
    USAGE_EXPORT_COLUMNS,
    page,
    (last) => ({ enrollmentId: last.enrollment_id, cycleKey: last.cycle_key }),
    (row) => ({
      enrollment_id: formatEnrollmentId(row.promotion_id, row.enrollment_id),
      promotion_id: row.promotion_id,
      account_id: row.account_id,
      account_email: row.account_email,
      cycle_start: toRfc3339(row.cycle_start),
      cycle_end: toRfc3339(cycleAt(row.enrolled_at, row.cycle_start).end),
      tasks_used: row.used,
      task_limit_per_month: row.task_limit_per_month,
    }),
  );
  const now = deps.clock.now();
  return {
    filename: `${promotionId}-usage-${options.cycle ?? day(now)}.${options.format}`,
    body,
  };
}

/** A promotion's exports by the name their URL carries: `/promotions/{id}/{name}.{format}`. */
export const PROMOTION_EXPORTS = { enrollments: enrollmentExport, usage: usageExport } as const;

/** Sends an export as a download: never cached, named, streamed (chunked). */
export function sendExport(reply: FastifyReply, format: ExportFormat, stream: ExportStream) {
  return reply
    .header('content-type', EXPORT_CONTENT_TYPES[format])
    .header('content-disposition', `attachment; filename="${stream.filename}"`)
    .header('cache-control', 'no-store')
    .send(stream.body);
}
