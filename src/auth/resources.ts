import { toRfc3339 } from '../rules/time.js';
import type { AccountRow } from './accounts-repository.js';

/** An account as the admin API shows it (and the bootstrap file's audit entries record it). */
export const toAccountResource = (a: AccountRow) => ({
  id: a.id,
  email: a.email,
  external_id: a.externalId,
  created_at: toRfc3339(a.createdAt),
});
