// A small bounded load for scripts/upgrade-test.sh: seeds a partner, a promotion and accounts
// through the admin API, then enrolls them and reads their enrollments from every server named,
// with a few requests in flight, and writes what it saw.
//
//   node scripts/ops-load.mjs seed <base_url> <admin_token> <accounts> <out.json>
//   node scripts/ops-load.mjs run <seed.json> <max_seconds> <out.json> <url> [<url>…]
//   node scripts/ops-load.mjs enroll <seed.json> <base_url> <admin_token> <out.json>
//   node scripts/ops-load.mjs read <enrolled.json> <base_url> <out.json>
//
// `enroll` (scripts/restore-drill.sh) enrolls every seeded account, records usage for some and
// unenrolls a few; `read` GETs every enrollment and writes each answer's status and body.
// `run` reads a second URL only once it answers /healthz (the new build starts during the run),
// and counts every answer by status for each URL; a refused connection to a server that was up
// counts as an error too. It stops when `<out.json>.stop` exists, or after max_seconds. Plain Node (fetch), no dependencies, so it runs against any build.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const CONCURRENCY = 4;
const ENROLLS_PER_SECOND = 4;

async function call(base, method, path, token, body) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text };
}

async function must(base, method, path, token, body, expected) {
  const res = await call(base, method, path, token, body);
  if (res.status !== expected) throw new Error(`${method} ${path}: ${res.status} ${res.body}`);
  return res.body ? JSON.parse(res.body) : null;
}

async function seed([base, adminToken, count, out]) {
  const suffix = Date.now().toString(36);
  const partner = await must(
    base,
    'POST',
    '/admin/v1/partners',
    adminToken,
    {
      name: `Load ${suffix}`,
      redirect_uris: ['http://127.0.0.1:4000/callback'],
    },
    201,
  );
  const promotionId = `load_${suffix}`;
  await must(
    base,
    'POST',
    '/admin/v1/promotions',
    adminToken,
    {
      id: promotionId,
      partner_id: partner.id,
      name: 'Load',
      duration_days: 30,
      task_limit_per_month: 100,
    },
    201,
  );
  const users = [];
  for (let i = 0; i < Number(count); i++) {
    const account = await must(
      base,
      'POST',
      '/admin/v1/accounts',
      adminToken,
      {
        email: `load-${suffix}-${i}@example.com`,
        password: 'load password 1',
      },
      201,
    );
    const token = await must(
      base,
      'POST',
      '/admin/v1/tokens',
      adminToken,
      {
        client_id: partner.client_id,
        account_id: account.id,
        scope: 'promotions:read promotions:write',
      },
      201,
    );
    users.push({ accountId: account.id, token: token.access_token });
  }
  writeFileSync(out, JSON.stringify({ promotionId, users }));
}

async function healthy(base) {
  try {
    return (await fetch(`${base}/healthz`)).status === 200;
  } catch {
    return false;
  }
}

async function run([seedFile, seconds, out, ...urls]) {
  const { promotionId, users } = JSON.parse(readFileSync(seedFile, 'utf8'));
  const deadline = Date.now() + Number(seconds) * 1000;
  const servers = urls.map((url, i) => ({ url, up: i === 0, counts: {}, errors: [], requests: 0 }));
  const enrolled = [];
  let next = 0;

  const note = (server, label, status, body) => {
    server.counts[status] = (server.counts[status] ?? 0) + 1;
    server.requests += 1;
    if ((status === 'refused' || status >= 500) && server.errors.length < 10) {
      server.errors.push(`${label}: ${status} ${String(body).slice(0, 300)}`);
    }
  };

  const started = Date.now();
  async function once(server) {
    // New accounts enroll at a steady pace (before, during and after the upgrade); every request
    // also reads an enrollment made so far.
    const due = Math.floor(((Date.now() - started) / 1000) * ENROLLS_PER_SECOND);
    const user = next < Math.min(due + 1, users.length) ? users[next++] : undefined;
    try {
      if (user) {
        const res = await call(server.url, 'POST', '/v2/promotions', user.token, {
          promotion_id: promotionId,
        });
        note(server, 'POST /v2/promotions', res.status, res.body);
        if (res.status === 201) enrolled.push({ token: user.token, id: JSON.parse(res.body).enrollment_id });
      }
      const pick = enrolled[Math.floor(Math.random() * enrolled.length)];
      if (pick) {
        const res = await call(
          server.url,
          'GET',
          `/v2/promotions/${encodeURIComponent(pick.id)}`,
          pick.token,
        );
        note(server, 'GET /v2/promotions/{id}', res.status, res.body);
      }
    } catch (err) {
      note(server, 'connection', 'refused', err.cause?.code ?? err.message);
    }
  }

  const stopFile = `${out}.stop`;
  const going = () => Date.now() < deadline && !existsSync(stopFile);
  async function worker(k) {
    while (going()) {
      const up = servers.filter((s) => s.up);
      await once(up[k % up.length] ?? servers[0]);
      k += 1;
    }
  }

  const watcher = (async () => {
    while (going()) {
      for (const server of servers) if (!server.up && (await healthy(server.url))) server.up = true;
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  await Promise.all([watcher, ...Array.from({ length: CONCURRENCY }, (_, k) => worker(k))]);
  const result = servers.map(({ url, up, counts, errors, requests }) => ({
    url,
    up,
    requests,
    counts,
    errors,
  }));
  writeFileSync(out, JSON.stringify(result, null, 2));
  for (const s of result) console.log(`${s.url}: ${s.requests} requests ${JSON.stringify(s.counts)}`);
}

async function enrollAll([seedFile, base, adminToken, out]) {
  const { users } = JSON.parse(readFileSync(seedFile, 'utf8'));
  const { promotionId } = JSON.parse(readFileSync(seedFile, 'utf8'));
  const enrolled = [];
  for (const [i, user] of users.entries()) {
    const res = await must(base, 'POST', '/v2/promotions', user.token, { promotion_id: promotionId }, 201);
    const id = res.enrollment_id;
    if (i % 3 === 0) {
      await must(
        base,
        'POST',
        `/admin/v1/enrollments/${encodeURIComponent(id)}/usage`,
        adminToken,
        {
          tasks: 1 + (i % 7),
          idempotency_key: `drill-${i}`,
        },
        200,
      );
    }
    // A few unenrolled: their GET answers 404 before and after alike.
    if (i % 10 === 9)
      await must(base, 'DELETE', `/v2/promotions/${encodeURIComponent(id)}`, user.token, undefined, 204);
    enrolled.push({ id, token: user.token });
  }
  writeFileSync(out, JSON.stringify(enrolled));
}

async function readAll([enrolledFile, base, out]) {
  const enrolled = JSON.parse(readFileSync(enrolledFile, 'utf8'));
  const answers = {};
  for (const { id, token } of enrolled) {
    const res = await call(base, 'GET', `/v2/promotions/${encodeURIComponent(id)}`, token);
    answers[id] = { status: res.status, body: res.body };
  }
  writeFileSync(out, JSON.stringify(answers, null, 1));
}

const [command, ...args] = process.argv.slice(2);
if (command === 'seed') await seed(args);
else if (command === 'run') await run(args);
else if (command === 'enroll') await enrollAll(args);
else if (command === 'read') await readAll(args);
else {
  console.error('usage: node scripts/ops-load.mjs seed|run|enroll|read …');
  process.exit(2);
}
