import { createServer } from 'node:net';
import type { Config } from './config.js';
import type { Database } from './db/client.js';
import { registerModuleHooks } from './db/module-hooks.js';

// Before anything that imports drizzle-orm is loaded (src/db/module-hooks.ts): the modules
// below are imported once the hooks are in place.
registerModuleHooks();
const { default: closeWithGrace } = await import('close-with-grace');
const { adminTokenFile, readAdminTokenFile, writeNewAdminTokenFile } = await import('./admin/admin-token.js');
const { buildApp } = await import('./app.js');
const { SeedFileError } = await import('./bootstrap/apply.js');
const { isBootstrapError, problemLines } = await import('./bootstrap/problems.js');
const { ConfigError, loadConfig } = await import('./config.js');
const { migrateDatabase, openPglite, openPostgres } = await import('./db/client.js');
const { configureInDoubt } = await import('./db/in-doubt.js');
const { createLogger } = await import('./ops/logging.js');
const { seedDemo } = await import('./seed.js');

/** ADMIN_TOKEN, or for the embedded store one generated on first start and kept in DATA_DIR. */
function resolveAdminToken(config: Config): { token: string | null; generated: boolean } {
  if (config.adminToken) return { token: config.adminToken, generated: false };
  if (config.databaseUrl) return { token: null, generated: false };
  const kept = readAdminTokenFile(config.dataDir);
  if (kept !== undefined) return { token: kept, generated: false };
  return { token: writeNewAdminTokenFile(config.dataDir), generated: true };
}

/** SEED_FILE applied, with one summary line of counts (never a secret); or its problems and exit 1. */
async function applySeedFileOrExit(
  app: Awaited<ReturnType<typeof buildApp>>,
  seedFile: string,
  logger: ReturnType<typeof createLogger>,
  database: Database,
): Promise<void> {
  try {
    const { summary } = await app.bootstrapService.applyFile(seedFile, process.env);
    logger.info({ seed_file: seedFile, ...summary }, 'seed file applied');
  } catch (err) {
    if (err instanceof SeedFileError) {
      process.stderr.write(`seed file error: ${err.message}\n`);
    } else if (isBootstrapError(err)) {
      const lines = problemLines(err);
      process.stderr.write(
        `seed file error: ${seedFile}: ${lines.length} problem${lines.length === 1 ? '' : 's'}, nothing was changed\n${lines.map((l) => `  ${l}\n`).join('')}`,
      );
    } else {
      throw err;
    }
    await app.close();
    await database.close();
    process.exit(1);
  }
}

/** Why HOST:PORT cannot be listened on, as the one line the start ends with. */
function listenProblem(err: NodeJS.ErrnoException, host: string, port: number): string {
  const where = `${host}:${port}`;
  switch (err.code) {
    case 'EADDRINUSE':
      return `port ${port} is already in use on ${host} (another server running?): stop it or set PORT to a free port`;
    case 'EACCES':
      return `not allowed to listen on ${where}: ports below 1024 need privileges; set PORT to 1024 or above`;
    case 'EADDRNOTAVAIL':
      return `HOST=${host} is not an address of this machine: use 127.0.0.1, 0.0.0.0 (every interface) or one of its own addresses`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return `HOST=${host} does not resolve to an address: use 127.0.0.1, 0.0.0.0 (every interface) or a name this machine resolves`;
    default:
      return `cannot listen on ${where}: ${err.code ?? err.message}`;
  }
}

/**
 * Binds HOST:PORT once and lets go, before the database is opened or anything is created: a
 * busy port or an unusable HOST ends the start with one line and leaves no data behind (no
 * demo secrets printed for a store the next start will not print again). A port taken in the
 * moment between this check and the real listen still ends in one line (see main).
 */
async function checkListenable(host: string, port: number): Promise<string | null> {
  if (port === 0) return null;
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => resolve(listenProblem(err, host, port)));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve(null)));
  });
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

  const problem = await checkListenable(config.host, config.port);
  if (problem) {
    process.stderr.write(`startup error: ${problem}\n`);
    process.exit(1);
  }

  const logger = createLogger(config.logLevel);
  // CONTRACT §7: how long a request waits to learn whether its lost COMMIT landed.
  configureInDoubt({ withinMs: config.dbInDoubtTimeoutMs, log: logger });
  if (config.publicUrlNotice) logger.warn(config.publicUrlNotice);
  let database: Database;
  try {
    database = config.databaseUrl
      ? await openPostgres({
          url: config.databaseUrl,
          poolMax: config.dbPoolMax,
          connectionTimeoutMillis: config.dbConnectTimeoutMs,
          statementTimeoutMillis: config.dbStatementTimeoutMs,
          queryTimeoutMillis: config.dbQueryTimeoutMs,
          preparedStatements: config.databasePreparedStatements,
          pipeline: config.dbPipeline,
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

  // CONTRACT §10: the bootstrap file, after the migrations and before listening. A bad one
  // stops the start like a bad config value: its lines, exit 1, nothing changed.
  if (config.seedFile) await applySeedFileOrExit(app, config.seedFile, logger, database);
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

  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (err) {
    process.stderr.write(
      `startup error: ${listenProblem(err as NodeJS.ErrnoException, config.host, config.port)}\n`,
    );
    await app.close();
    await database.close();
    process.exit(1);
  }
  logger.info({ url: `${config.publicUrl}/console` }, 'operator console');
  app.expirySweeper.start(app.log);
  app.usageMaintenance.start(app.log);
  app.webhookDispatcher.start();
}

await main();
