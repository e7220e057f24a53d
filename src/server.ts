import closeWithGrace from 'close-with-grace';
import { adminTokenFile, readAdminTokenFile, writeNewAdminTokenFile } from './admin/admin-token.js';
import { buildApp } from './app.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { type Database, migrateDatabase, openPglite, openPostgres } from './db/client.js';
import { createLogger } from './ops/logging.js';
import { seedDemo } from './seed.js';

/** ADMIN_TOKEN, or for the embedded store one generated on first start and kept in DATA_DIR. */
function resolveAdminToken(config: Config): { token: string | null; generated: boolean } {
  if (config.adminToken) return { token: config.adminToken, generated: false };
  if (config.databaseUrl) return { token: null, generated: false };
  const kept = readAdminTokenFile(config.dataDir);
  if (kept !== undefined) return { token: kept, generated: false };
  return { token: writeNewAdminTokenFile(config.dataDir), generated: true };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`configuration error: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }

  const logger = createLogger(config.logLevel);
  let database: Database;
  try {
    database = config.databaseUrl
      ? await openPostgres({
          url: config.databaseUrl,
          poolMax: config.dbPoolMax,
          preparedStatements: config.databasePreparedStatements,
          onPoolError: (err) => logger.warn({ err }, 'idle database connection failed'),
        })
      : await openPglite(config.dataDir);
    await migrateDatabase(database, config.databaseUrl);
  } catch (err) {
    process.stderr.write(`startup error: cannot open or migrate the database: ${(err as Error).message}\n`);
    process.exit(1);
  }

  const admin = resolveAdminToken(config);
  const app = await buildApp({ config, database, adminToken: admin.token, loggerInstance: logger });

  if (config.seedDemo) {
    const banner = await seedDemo(app, config);
    if (banner) process.stdout.write(`${banner}\n`);
  }
  if (admin.generated) {
    process.stdout.write(
      `Admin API token (saved in ${adminTokenFile(config.dataDir)}):\n  ${admin.token}\n\n`,
    );
  } else if (admin.token === null) {
    logger.warn('ADMIN_TOKEN is not set: the admin API answers 503 admin_disabled');
  }

  // SIGTERM/SIGINT: stop accepting, let in-flight requests finish, close idle keep-alive
  // sockets, Redis (an onClose hook) and the pool, then exit 0; past the timeout, exit 1.
  closeWithGrace({ delay: config.shutdownTimeoutMs, logger }, async ({ signal, err }) => {
    if (err) logger.error({ err }, 'shutting down after an error');
    else logger.info({ signal }, 'shutting down');
    await app.close();
    await database.close();
    logger.info('shut down');
  });

  await app.listen({ host: config.host, port: config.port });
  logger.info({ url: `${config.publicUrl}/console` }, 'operator console');
  app.expirySweeper.start(app.log);
  app.webhooks.dispatcher.start();
}

await main();
