// CONTRACT §10: the SQL the bootstrap planner and applier need beyond the feature repositories:
// the declared objects' current rows in a few reads, what `prune` could remove with the
// enrollments that keep it, and the deletions themselves. Every method runs in the caller's
// transaction.
import { inArray, type SQL, sql } from 'drizzle-orm';
import type { AccountRow } from '../auth/accounts-repository.js';
import type { PartnerRow } from '../auth/partners-repository.js';
import { type Db, queryRows } from '../db/client.js';
import { accounts, partners } from '../db/schema.js';

/** Any constant: only the same for every instance, and not the migrations' (src/db/client.ts). */
const BOOTSTRAP_LOCK_KEY = 7_241_502;

export interface EndpointSummary {
  id: string;
  partnerId: string;
  /** Its partner's, to name it in a plan. */
  clientId: string;
  url: string;
  eventTypes: string[];
  description: string | null;
  status: 'enabled' | 'disabled';
}

/** An object prune may remove, with the enrollments that would keep it. */
export interface PruneCandidate {
  id: string;
  /** client_id, email or promotion id: how the file would name it. */
  key: string;
  enrollments: number;
  status?: string;
}

const textList = (values: string[]): SQL =>
  values.length === 0
    ? sql`(select null::text where false)`
    : sql`(${sql.join(
        values.map((v) => sql`${v}`),
        sql`, `,
      )})`;

export function createBootstrapRepository(db: Db) {
  /**
   * One apply at a time across every instance on this database, until the transaction
   * ends: instances starting together with one file apply it one after the other, and the
   * later ones find it applied.
   */
  async function lock(tx: Db): Promise<void> {
    await tx.execute(sql`select pg_advisory_xact_lock(${BOOTSTRAP_LOCK_KEY})`);
  }

  async function partnersByClientId(clientIds: string[], tx: Db = db): Promise<PartnerRow[]> {
    if (clientIds.length === 0) return [];
    return tx.select().from(partners).where(inArray(partners.clientId, clientIds));
  }

  /** Accounts by email, case-insensitively (CONTRACT §3), test-clock accounts included. */
  async function accountsByEmail(emails: string[], tx: Db = db): Promise<AccountRow[]> {
    if (emails.length === 0) return [];
    return tx
      .select()
      .from(accounts)
      .where(sql`lower(${accounts.email}) in ${textList(emails.map((e) => e.toLowerCase()))}`);
  }

  /** The endpoints (not deleted) of these partners, or of every partner; oldest first. */
  async function endpoints(partnerIds: string[] | 'all', tx: Db = db): Promise<EndpointSummary[]> {
    if (partnerIds !== 'all' && partnerIds.length === 0) return [];
    const rows = await queryRows<{
      id: string;
      partner_id: string;
      client_id: string;
      url: string;
      event_types: string[];
      description: string | null;
      status: 'enabled' | 'disabled';
    }>(
      tx,
      sql`select w.id, w.partner_id, p.client_id, w.url, w.event_types, w.description, w.status
          from webhook_endpoints w join partners p on p.id = w.partner_id
          where w.deleted_at is null
            ${partnerIds === 'all' ? sql`` : sql`and w.partner_id::text in ${textList(partnerIds)}`}
          order by w.created_at, w.id`,
    );
    return rows.map((r) => ({
      id: r.id,
      partnerId: r.partner_id,
      clientId: r.client_id,
      url: r.url,
      eventTypes: r.event_types,
      description: r.description,
      status: r.status,
    }));
  }

  /** Partners the file does not name, with their enrollments. */
  async function unnamedPartners(clientIds: string[], tx: Db = db): Promise<PruneCandidate[]> {
    return queryRows<PruneCandidate>(
      tx,
      sql`select p.id, p.client_id as key,
                 (select count(*)::int from enrollments e where e.partner_id = p.id) as enrollments
          from partners p where p.client_id not in ${textList(clientIds)}
          order by p.client_id`,
    );
  }

  /** Live accounts (not on a test clock) the file does not name, with their enrollments. */
  async function unnamedAccounts(emails: string[], tx: Db = db): Promise<PruneCandidate[]> {
    return queryRows<PruneCandidate>(
      tx,
      sql`select a.id, a.email as key,
                 (select count(*)::int from enrollments e where e.account_id = a.id) as enrollments
          from accounts a
          where a.test_clock_id is null and lower(a.email) not in ${textList(emails.map((e) => e.toLowerCase()))}
          order by lower(a.email)`,
    );
  }

  /** Promotions the file does not name, with their status and enrollments. */
  async function unnamedPromotions(ids: string[], tx: Db = db): Promise<PruneCandidate[]> {
    return queryRows<PruneCandidate>(
      tx,
      sql`select p.id, p.id as key, p.status,
                 (select count(*)::int from enrollments e where e.promotion_id = p.id) as enrollments
          from promotions p where p.id not in ${textList(ids)}
          order by p.id`,
    );
  }

  /** A promotion nobody ever enrolled in; false when one did meanwhile. */
  async function deletePromotion(id: string, tx: Db): Promise<boolean> {
    const rows = await queryRows<{ id: string }>(
      tx,
      sql`delete from promotions p where p.id = ${id}
            and not exists (select 1 from enrollments e where e.promotion_id = p.id)
          returning p.id`,
    );
    return rows.length > 0;
  }

  /** A live account without enrollments, with its tokens and codes; false when it has some. */
  async function deleteAccount(id: string, tx: Db): Promise<boolean> {
    const [free] = await queryRows<{ id: string }>(
      tx,
      sql`select a.id from accounts a where a.id = ${id} and a.test_clock_id is null
            and not exists (select 1 from enrollments e where e.account_id = a.id)
          for update`,
    );
    if (!free) return false;
    await tx.execute(sql`delete from access_tokens where account_id = ${id}`);
    await tx.execute(sql`delete from refresh_tokens where account_id = ${id}`);
    await tx.execute(sql`delete from authorization_codes where account_id = ${id}`);
    await tx.execute(sql`delete from accounts where id = ${id}`);
    return true;
  }

  /**
   * A partner without enrollments, with everything that is only its own: tokens, codes,
   * Idempotency-Keys, events (their deliveries and attempts cascade) and endpoints,
   * test clocks with their accounts, and promotions (none has enrollments, as the partner
   * has none). False when it has enrollments.
   */
  async function deletePartner(id: string, tx: Db): Promise<boolean> {
    const [free] = await queryRows<{ id: string }>(
      tx,
      sql`select p.id from partners p where p.id = ${id}
            and not exists (select 1 from enrollments e where e.partner_id = p.id)
          for update`,
    );
    if (!free) return false;
    const clockAccounts = sql`(select a.id from accounts a join test_clocks c on c.id = a.test_clock_id
                               where c.partner_id = ${id})`;
    for (const statement of [
      sql`delete from events where partner_id = ${id}`,
      sql`delete from webhook_endpoints where partner_id = ${id}`,
      sql`delete from idempotency_keys where partner_id = ${id}`,
      sql`delete from access_tokens where partner_id = ${id} or account_id in ${clockAccounts}`,
      sql`delete from refresh_tokens where partner_id = ${id} or account_id in ${clockAccounts}`,
      sql`delete from authorization_codes where partner_id = ${id} or account_id in ${clockAccounts}`,
      sql`delete from accounts where test_clock_id in (select id from test_clocks where partner_id = ${id})`,
      sql`delete from test_clocks where partner_id = ${id}`,
      sql`delete from promotions where partner_id = ${id}`,
      sql`delete from partners where id = ${id}`,
    ]) {
      await tx.execute(statement);
    }
    return true;
  }

  return {
    lock,
    partnersByClientId,
    accountsByEmail,
    endpoints,
    unnamedPartners,
    unnamedAccounts,
    unnamedPromotions,
    deletePromotion,
    deleteAccount,
    deletePartner,
  };
}

export type BootstrapRepository = ReturnType<typeof createBootstrapRepository>;
