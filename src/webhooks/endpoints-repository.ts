// The partner's webhook endpoints (CONTRACT §8): create, read, change, delete, rotate the
// secret. Instants are read as epoch milliseconds (see epochMs). `box` seals secrets on write.
import { type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../db/client.js';
import { epochMs } from '../db/sql.js';
import { plaintextBox, type SecretBox } from './secret-box.js';

export type EndpointStatus = 'enabled' | 'disabled';
export interface EndpointRow {
  id: string;
  partnerId: string;
  url: string;
  eventTypes: string[];
  description: string | null;
  status: EndpointStatus;
  disabledReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

interface RawEndpoint {
  id: string;
  partner_id: string;
  url: string;
  event_types: string[];
  description: string | null;
  status: EndpointStatus;
  disabled_reason: string | null;
  created_at: number;
  updated_at: number;
}

const endpointColumns = sql`id, partner_id, url, event_types, description, status, disabled_reason,
  ${epochMs(sql`created_at`)} as created_at, ${epochMs(sql`updated_at`)} as updated_at`;

const fromRawEndpoint = (r: RawEndpoint): EndpointRow => ({
  id: r.id,
  partnerId: r.partner_id,
  url: r.url,
  eventTypes: r.event_types,
  description: r.description,
  status: r.status,
  disabledReason: r.disabled_reason,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
});

export interface EndpointChanges {
  url?: string;
  eventTypes?: string[];
  description?: string | null;
  status?: EndpointStatus;
}

export function createEndpointsRepository(db: Db, box: SecretBox = plaintextBox) {
  async function insertEndpoint(
    row: {
      id: string;
      partnerId: string;
      url: string;
      eventTypes: string[];
      description: string | null;
      secret: string;
      now: Date;
    },
    tx: Db = db,
  ): Promise<EndpointRow> {
    const [r] = await queryRows<RawEndpoint>(
      tx,
      sql`insert into webhook_endpoints (id, partner_id, url, event_types, description, status, secret, created_at, updated_at)
          values (${row.id}, ${row.partnerId}, ${row.url}, ${sql`${toTextArray(row.eventTypes)}`}, ${row.description},
                  'enabled', ${box.seal(row.secret)}, ${row.now}, ${row.now})
          returning ${endpointColumns}`,
    );
    return fromRawEndpoint(r!);
  }

  async function findEndpoint(partnerId: string, id: string, tx: Db = db): Promise<EndpointRow | undefined> {
    const [r] = await queryRows<RawEndpoint>(
      tx,
      sql`select ${endpointColumns} from webhook_endpoints
          where id = ${id} and partner_id = ${partnerId} and deleted_at is null`,
    );
    return r ? fromRawEndpoint(r) : undefined;
  }

  async function listEndpoints(
    partnerId: string,
    options: { limit: number; afterId?: string },
    tx: Db = db,
  ): Promise<EndpointRow[]> {
    const rows = await queryRows<RawEndpoint>(
      tx,
      sql`select ${endpointColumns} from webhook_endpoints
          where partner_id = ${partnerId} and deleted_at is null
            ${options.afterId !== undefined ? sql`and id > ${options.afterId}` : sql``}
          order by id limit ${options.limit + 1}`,
    );
    return rows.map(fromRawEndpoint);
  }

  /** Re-enabling clears the failure record and makes its pending deliveries due at once. */
  async function updateEndpoint(
    partnerId: string,
    id: string,
    changes: EndpointChanges,
    now: Date,
    outer: Db = db,
  ): Promise<EndpointRow | undefined> {
    return outer.transaction(async (tx) => {
      const sets: SQL[] = [sql`updated_at = ${now}`];
      if (changes.url !== undefined) sets.push(sql`url = ${changes.url}`);
      if (changes.eventTypes !== undefined) sets.push(sql`event_types = ${toTextArray(changes.eventTypes)}`);
      if (changes.description !== undefined) sets.push(sql`description = ${changes.description}`);
      if (changes.status === 'enabled') {
        sets.push(sql`status = 'enabled', disabled_reason = null, failing_since = null`);
      } else if (changes.status === 'disabled') {
        sets.push(sql`status = 'disabled', disabled_reason = 'manual'`);
      }
      const [before] = await queryRows<{ status: EndpointStatus }>(
        tx,
        sql`select status from webhook_endpoints
            where id = ${id} and partner_id = ${partnerId} and deleted_at is null for update`,
      );
      if (!before) return undefined;
      const [r] = await queryRows<RawEndpoint>(
        tx,
        sql`update webhook_endpoints set ${sql.join(sets, sql`, `)}
            where id = ${id} returning ${endpointColumns}`,
      );
      if (before.status === 'disabled' && changes.status === 'enabled') {
        await tx.execute(
          sql`update webhook_deliveries set next_attempt_at = ${now}, updated_at = ${now}
              where endpoint_id = ${id} and status = 'pending' and next_attempt_at > ${now}
                and claimed_until is null`,
        );
      }
      return r ? fromRawEndpoint(r) : undefined;
    });
  }

  /**
   * Soft delete: the endpoint disappears from the API; its pending deliveries are cancelled.
   * Deliveries first, then the endpoint: the order recordAttempt locks them in, so the two
   * never deadlock.
   */
  async function deleteEndpoint(partnerId: string, id: string, now: Date, outer: Db = db): Promise<boolean> {
    return outer.transaction(async (tx) => {
      await tx.execute(
        sql`update webhook_deliveries set status = 'cancelled', updated_at = ${now}
            where status = 'pending' and endpoint_id = (
              select id from webhook_endpoints
              where id = ${id} and partner_id = ${partnerId} and deleted_at is null)`,
      );
      const rows = await queryRows<{ id: string }>(
        tx,
        sql`update webhook_endpoints set deleted_at = ${now}, updated_at = ${now}, status = 'disabled',
                   disabled_reason = 'deleted', secret = '', previous_secret = null
            where id = ${id} and partner_id = ${partnerId} and deleted_at is null returning id`,
      );
      return rows.length > 0;
    });
  }

  /** The current secret becomes the previous one until `previousUntil`. */
  async function rotateSecret(
    partnerId: string,
    id: string,
    secret: string,
    now: Date,
    previousUntil: Date,
    tx: Db = db,
  ): Promise<boolean> {
    const rows = await queryRows<{ id: string }>(
      tx,
      sql`update webhook_endpoints set previous_secret = secret, previous_secret_expires_at = ${previousUntil},
                 secret = ${box.seal(secret)}, updated_at = ${now}
          where id = ${id} and partner_id = ${partnerId} and deleted_at is null returning id`,
    );
    return rows.length > 0;
  }

  /** CONTRACT §10: the current signing secret, opened, to compare with a declared one. */
  async function currentSecret(id: string, tx: Db = db): Promise<string | undefined> {
    const [r] = await queryRows<{ secret: string }>(
      tx,
      sql`select secret from webhook_endpoints where id = ${id} and deleted_at is null`,
    );
    return r ? box.open(r.secret) : undefined;
  }

  return {
    insertEndpoint,
    findEndpoint,
    listEndpoints,
    updateEndpoint,
    deleteEndpoint,
    rotateSecret,
    currentSecret,
  };
}

/** A text[] parameter that both drivers bind the same way. */
function toTextArray(values: string[]): SQL {
  return values.length === 0
    ? sql`'{}'::text[]`
    : sql`array[${sql.join(
        values.map((v) => sql`${v}`),
        sql`, `,
      )}]::text[]`;
}

export type EndpointsRepository = ReturnType<typeof createEndpointsRepository>;
