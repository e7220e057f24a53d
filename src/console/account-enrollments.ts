// The enrollments of one account a page at a time, for the console's enrollment search and
// account page: every promotion, unenrolled ones too, by id, each as its view now.
import type { EnrollmentsRepository } from '../enrollments/repository.js';
import type { EnrollmentView } from '../enrollments/views.js';
import type { Page } from '../pagination.js';
import { afterIdCursor, PAGE_SIZE, readAfterId, rowsPage, UUID } from './list-page.js';
import type { ConsoleRepository } from './repository.js';

export async function accountEnrollmentsPage(
  repository: Pick<ConsoleRepository, 'enrollmentsOfAccount'>,
  enrollments: Pick<EnrollmentsRepository, 'findViewsByIds'>,
  accountId: string,
  cursor: string | undefined,
  now: Date,
): Promise<Page<EnrollmentView>> {
  const afterId = readAfterId(cursor, UUID);
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
