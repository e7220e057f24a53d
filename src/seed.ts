import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { SCOPES } from './auth/scopes.js';
import { hashSecret, randomId } from './auth/secrets.js';
import type { Config } from './config.js';
import { findMeta, insertMeta } from './db/meta.js';

export const DEMO_PROMOTION_ID = 'demo_promotion';
export const DEMO_EMAIL = 'demo@example.com';
/** CONTRACT §11: the demo owner who signs in to /console. */
export const DEMO_OPERATOR_EMAIL = 'operator@example.com';

/**
 * First start of an empty embedded store: a demo partner, account and promotion, and a
 * user token so the printed curl line works at once. Runs once per store.
 */
export async function seedDemo(
  app: Pick<
    FastifyInstance,
    | 'db'
    | 'partnersRepository'
    | 'accountsRepository'
    | 'promotionsRepository'
    | 'tokenService'
    | 'clock'
    | 'operatorService'
  >,
  config: Config,
): Promise<string | null> {
  const {
    db,
    partnersRepository: partners,
    accountsRepository: accounts,
    promotionsRepository: promotions,
    tokenService,
    clock,
    operatorService,
  } = app;
  const seeded = await findMeta(db, 'demo_seeded');
  // Only an empty store gets demo data; an operator's own data is never mixed with it.
  if (seeded !== undefined || (await partners.existsAny())) return null;

  const clientSecret = `cs_${randomId(32)}`;
  const password = randomId(12);
  const now = clock.now();
  const partner = await partners.insert({
    id: randomUUID(),
    name: 'Demo Partner',
    clientId: `ci_${randomId(16)}`,
    clientSecretHash: await hashSecret(clientSecret),
    redirectUris: [`${config.publicUrl}/demo/callback`, 'http://127.0.0.1:4000/callback'],
    scopes: [...SCOPES],
    createdAt: now,
  });
  const account = await accounts.insert({
    id: randomUUID(),
    email: DEMO_EMAIL,
    passwordHash: await hashSecret(password),
    createdAt: now,
  });
  if (!account) return null;
  await promotions.insert({
    id: DEMO_PROMOTION_ID,
    partnerId: partner.id,
    name: 'Demo promotion: 100 sponsored tasks a month for 90 days',
    status: 'active',
    durationDays: 90,
    taskLimitPerMonth: 100,
    // The walk-through unenrolls the demo account; enrolling it again must work (issue 28).
    allowReenrollment: true,
    createdAt: now,
    updatedAt: now,
  });
  const userToken = await tokenService.issueAccessToken({
    kind: 'user',
    partnerId: partner.id,
    accountId: account.id,
    scopes: [...SCOPES],
  });
  const operatorPassword = randomId(12);
  await operatorService.createOperator({
    email: DEMO_OPERATOR_EMAIL,
    password: operatorPassword,
    role: 'owner',
  });
  await insertMeta(db, 'demo_seeded', now.toISOString());

  const base = config.publicUrl;
  return [
    '',
    'Demo data created (shown once; secrets are stored only as hashes):',
    `  partner       Demo Partner  client_id=${partner.clientId}`,
    `                client_secret=${clientSecret}`,
    `  account       ${DEMO_EMAIL}  password=${password}`,
    `  promotion     ${DEMO_PROMOTION_ID}`,
    `  user token    ${userToken.access_token}  (expires in ${userToken.expires_in} s)`,
    '',
    'Enroll the demo account:',
    `  curl -s -X POST ${base}/v2/promotions -H 'Authorization: Bearer ${userToken.access_token}' -H 'Content-Type: application/json' -d '{"promotion_id":"${DEMO_PROMOTION_ID}"}'`,
    '',
    'Get an app token (client credentials):',
    `  curl -s -X POST ${base}/oauth/token -u '${partner.clientId}:${clientSecret}' -d grant_type=client_credentials`,
    '',
    `Operator console: ${base}/console`,
    `  sign in as   ${DEMO_OPERATOR_EMAIL}  password=${operatorPassword}  (owner)`,
    '',
  ].join('\n');
}
