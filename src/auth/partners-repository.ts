import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { partners } from '../db/schema.js';

export type PartnerRow = typeof partners.$inferSelect;

export function createPartnersRepository(db: Db) {
  return {
    async insert(row: typeof partners.$inferInsert, tx: Db = db): Promise<PartnerRow> {
      const [created] = await tx.insert(partners).values(row).returning();
      return created!;
    },
    async findById(id: string, tx: Db = db): Promise<PartnerRow | undefined> {
      const [row] = await tx.select().from(partners).where(eq(partners.id, id)).limit(1);
      return row;
    },
    async findByClientId(clientId: string, tx: Db = db): Promise<PartnerRow | undefined> {
      const [row] = await tx.select().from(partners).where(eq(partners.clientId, clientId)).limit(1);
      return row;
    },
  };
}

export type PartnersRepository = ReturnType<typeof createPartnersRepository>;
