// The checks of docker-compose.yml that scripts/test-docker.sh runs on `docker-compose config`
// output (the file as compose resolved it): what the README promises. Prints `ok|what` or
// `no|what: why`, one line per check.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const config = parse(readFileSync(process.argv[2], 'utf8'));
const services = config.services ?? {};
const { app = {}, postgres = {}, redis = {} } = services;

function check(what, ok, why = '') {
  console.log(ok ? `ok|${what}` : `no|${what}: ${why}`);
}
const seconds = (d) => {
  const m = /^(\d+)(ms|s|m)$/.exec(String(d ?? ''));
  return m ? Number(m[1]) * { ms: 0.001, s: 1, m: 60 }[m[2]] : Number.NaN;
};
const healthTest = (s) => (s.healthcheck?.test ?? []).join(' ');

const names = Object.keys(services).sort();
check('services are app, postgres, redis', names.join() === 'app,postgres,redis', names.join());
check(
  'postgres: image postgres:16, healthy when pg_isready',
  postgres.image === 'postgres:16' && /pg_isready/.test(healthTest(postgres)),
  `${postgres.image} ${healthTest(postgres)}`,
);
check(
  'redis: image redis:7, healthy when redis-cli ping answers',
  redis.image === 'redis:7' && /redis-cli ping/.test(healthTest(redis)),
  `${redis.image} ${healthTest(redis)}`,
);
check(
  "app: built from this directory's Dockerfile",
  typeof app.build?.context === 'string' && (app.build.dockerfile ?? 'Dockerfile') === 'Dockerfile',
  JSON.stringify(app.build),
);
for (const dep of ['postgres', 'redis']) {
  const condition = app.depends_on?.[dep]?.condition;
  check(
    `app: depends_on ${dep} with condition service_healthy`,
    condition === 'service_healthy',
    String(condition),
  );
}
check(
  'app: healthy when GET /readyz answers (not just /healthz)',
  /127\.0\.0\.1:3000\/readyz/.test(healthTest(app)),
  healthTest(app),
);
const env = app.environment ?? {};
check(
  'app: DATABASE_URL and REDIS_URL point at the postgres and redis services',
  /@postgres:5432\//.test(env.DATABASE_URL) && env.REDIS_URL === 'redis://redis:6379',
  `${env.DATABASE_URL} ${env.REDIS_URL}`,
);
check(
  'app: listens on 0.0.0.0:3000, published on APP_PORT (default 3000)',
  env.HOST === '0.0.0.0' &&
    String(env.PORT) === '3000' &&
    (app.ports ?? []).some((p) => String(p.target) === '3000' && String(p.published) === '3000'),
  JSON.stringify(app.ports),
);
check('app: ADMIN_TOKEN is passed through', env.ADMIN_TOKEN === 'x', String(env.ADMIN_TOKEN));
// The server exits by itself within SHUTDOWN_TIMEOUT_MS; compose must wait longer before SIGKILL.
const shutdownMs = Number(
  /SHUTDOWN_TIMEOUT_MS:[^\n]*\.default\(([\d_]+)\)/
    .exec(readFileSync('src/config.ts', 'utf8'))?.[1]
    ?.replaceAll('_', ''),
);
check(
  `app: stop_grace_period ${app.stop_grace_period} exceeds SHUTDOWN_TIMEOUT_MS (${shutdownMs} ms)`,
  seconds(app.stop_grace_period) * 1000 > shutdownMs,
  String(app.stop_grace_period),
);
check(
  'postgres data survives restarts (named volume pgdata)',
  (postgres.volumes ?? []).some((v) => String(v.source ?? v).startsWith('pgdata')) &&
    'pgdata' in (config.volumes ?? {}),
  JSON.stringify(postgres.volumes),
);
