// What the console's enrollment lists share (the enrollment search, an account's page, a
// promotion's page): an account's enrollments a page at a time, an enrollment's usage ledger a
// page at a time, and the tables' columns.

import type { EnrollmentView, EnrollmentViews } from '../enrollments/views.js';
import { afterIdCursor, type Page, readAfterId, readTimeKeyCursor, timeKeyCursor } from '../pagination.js';
import { UUID_PATTERN } from '../rules/enrollment-id.js';
import { toRfc3339 } from '../rules/time.js';
import { html } from './html.js';
import { badge, type Column, when } from './layout.js';
import { PAGE_SIZE, rowsPage } from './list-page.js';
import type { ConsoleRepository, LedgerRow } from './repository.js';

/** An account's enrollments (every promotion, unenrolled ones too) by id, each as its view now. */
export async function accountEnrollmentsPage(
  repository: Pick<ConsoleRepository, 'enrollmentsOfAccount'>,
  enrollments: Pick<EnrollmentViews, 'findViewsByIds'>,
  accountId: string,
  cursor: string | undefined,
  now: Date,
): Promise<Page<EnrollmentView>> {
  const afterId = readAfterId(cursor, UUID_PATTERN);
  const keys = rowsPage(
    await repository.enrollmentsOfAccount(accountId, { limit: PAGE_SIZE + 1, afterId }),
    afterIdCursor,
  );
  const views = new Map(
    (
      await enrollments.findViewsByIds(
        keys.data.map((k) => k.id),
        now,
      )
    ).map((v) => [v.id, v]),
  );
  return { data: keys.data.flatMap((k) => views.get(k.id) ?? []), next_cursor: keys.next_cursor };
}

/** The columns an enrollment table picks from, each reading only the fields it shows. */
export const enrollmentColumns = {
  enrollment: {
    label: 'Enrollment',
    cell: (e) =>
      html`<a href="/console/enrollments/${encodeURIComponent(e.enrollment_id)}"><code>${e.enrollment_id}</code></a>`,
  } satisfies Column<{ enrollment_id: string }>,
  promotion: {
    label: 'Promotion',
    cell: (e) =>
      html`<a href="/console/promotions/${encodeURIComponent(e.promotion_id)}">${e.promotion_id}</a>`,
  } satisfies Column<{ promotion_id: string }>,
  status: { label: 'Status', cell: (e) => badge(e.status) } satisfies Column<{ status: string }>,
  used: {
    label: 'Used this cycle',
    numeric: true,
    cell: (e) =>
      `${e.tasks_used_this_month}${e.task_limit_per_month === null ? '' : ` / ${e.task_limit_per_month}`}`,
  } satisfies Column<{ tasks_used_this_month: number; task_limit_per_month: number | null }>,
  enrolled: { label: 'Enrolled', cell: (e) => when(e.enrollment_date) } satisfies Column<{
    enrollment_date: string;
  }>,
  expires: { label: 'Expires', cell: (e) => when(e.expiration_date) } satisfies Column<{
    expiration_date: string | null;
  }>,
};

/** An enrollment's usage ledger, newest first (by when each entry was recorded), a page at a time. */
export async function usageLedgerPage(
  repository: Pick<ConsoleRepository, 'usageLedger'>,
  enrollmentId: string,
  cursor: string | undefined,
): Promise<Page<LedgerRow>> {
  const before = readTimeKeyCursor(cursor, UUID_PATTERN);
  return rowsPage(await repository.usageLedger(enrollmentId, { limit: PAGE_SIZE + 1, before }), (u) =>
    timeKeyCursor(u.created_at, u.id),
  );
}

/** The columns every usage ledger table shows: when the tasks ran, their cycle, asked and granted. */
export const ledgerColumns: Column<LedgerRow>[] = [
  { label: 'Occurred', cell: (u) => when(toRfc3339(new Date(u.occurred_at))) },
  { label: 'Billing cycle', cell: (u) => when(toRfc3339(new Date(u.cycle_start))) },
  { label: 'Requested', numeric: true, cell: (u) => u.tasks_requested },
  { label: 'Accepted', numeric: true, cell: (u) => u.tasks_accepted },
];
