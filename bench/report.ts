import type { LoadResult } from './load.js';
import type { PgbenchResult } from './pgbench.js';

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryBytes: number;
  /** os.loadavg() when the bench started, before building and seeding. */
  loadAverage: number[];
  node: string;
  postgres: string;
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  poolMax: number;
  date: string;
}

type Measured = LoadResult & {
  peakRssBytes: number;
  /**
   * The counted run (after the warm-up) on the machine's monotonic clock, in µs: the clock of a
   * V8 .cpuprofile's timestamps, so `bench/profile-summary.ts --results` cuts a profile per scenario.
   */
  countedUs?: [number, number];
};

export interface ScenarioResult {
  kind: 'get' | 'post' | 'delete' | 'token' | 'mix' | 'post_webhook' | 'ingest' | 'entitlements';
  server: Measured;
  baseline: Measured;
}

export interface SoakResult {
  seconds: number;
  run: Measured;
  /** Highest of the once-a-second RSS samples. */
  peakRssBytes: number;
  /** Length of the two windows compared: min(60 s, a fifth of the soak). */
  windowSeconds: number;
  /** Mean RSS over the second window (right after the first one, i.e. after the first minute). */
  earlyMeanBytes: number;
  /** Mean RSS over the last window. */
  lateMeanBytes: number;
  /** late ÷ early − 1. */
  growth: number;
}

export interface Report {
  machine: Machine;
  results: ScenarioResult[];
  pgbench: Partial<Record<ScenarioResult['kind'], PgbenchResult>>;
  scale: {
    rows: number;
    results: ScenarioResult[];
    pgbench: Partial<Record<ScenarioResult['kind'], PgbenchResult>>;
  } | null;
  /** GET and POST with both servers through PgBouncer in transaction mode (BENCH_PGBOUNCER). */
  pooler: {
    /** The enrollments seeded beyond the small table when it ran (the 1M-row pass runs first), or null. */
    rows: number | null;
    results: ScenarioResult[];
  } | null;
  soak: SoakResult | null;
  /**
   * CONTRACT §12 (issue 25): `ingest` results count batches of `batch` events; `entitlements`
   * has the same server's GET /v2/promotions/{id} as its baseline. `scale`: ingest again after
   * that many usage ledger rows (BENCH_SCALE=1).
   */
  ingest?: {
    batch: number;
    accounts: number;
    connections: number;
    scale: {
      rows: number;
      results: ScenarioResult[];
      pgbench: Partial<Record<ScenarioResult['kind'], PgbenchResult>>;
    } | null;
  };
  /** Why the machine looked starved (then latest.* is written only with BENCH_FORCE=1). */
  starved: {
    reasons: string[];
    forced: boolean;
    maxLoad: number;
    maxBaselineP99Ms: number;
    maxSpeedSpread: number;
  };
  /** bench/calibrate.ts before each counted run: the machine's speed, in milliseconds of a fixed task. */
  calibration: { run: string; ms: number }[];
}

/**
 * RSS growth after the first minute: with samples once a second over the soak and windows of
 * w = min(60, soak ÷ 5) seconds, the mean of the last window against the mean of the second
 * one (seconds w to 2w). For the 5-minute soak: minute 5 against minute 2.
 */
export function soakGrowth(samples: number[]): Omit<SoakResult, 'seconds' | 'run'> {
  const rss = samples.filter((b) => Number.isFinite(b) && b > 0);
  const window = Math.max(1, Math.min(60, Math.floor(rss.length / 5)));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const early = mean(rss.slice(window, 2 * window));
  const late = mean(rss.slice(-window));
  return {
    peakRssBytes: Math.max(0, ...rss),
    windowSeconds: window,
    earlyMeanBytes: early,
    lateMeanBytes: late,
    growth: early > 0 ? late / early - 1 : Number.NaN,
  };
}

const LABELS: Record<ScenarioResult['kind'], string> = {
  get: 'GET enrollment',
  post: 'POST enrollment',
  delete: 'DELETE enrollment',
  token: 'client_credentials token',
  mix: 'mix 80/15/5',
  post_webhook: 'POST, one subscribed webhook endpoint',
  ingest: 'POST usage_events (batches)',
  entitlements: 'GET entitlements',
};

/** CONTRACT §12's scenarios have their own section: their units are events and a ratio to GET. */
const METERING: ReadonlySet<ScenarioResult['kind']> = new Set(['ingest', 'entitlements']);
const plain = (results: ScenarioResult[]) => results.filter((r) => !METERING.has(r.kind));

// Issue 25's targets.
const INGEST_EVENTS_PER_SEC = 30_000;
const INGEST_P99_MS = 250;
const INGEST_SCALE_TOLERANCE = 0.1;
const ENTITLEMENTS_RATIO = 0.7;

// Issue 20's targets: throughput as a share of the same run's baseline and p99 as a multiple
// of the baseline's p99. POST with a webhook endpoint is held to plain POST instead (below).
const TARGETS: Partial<Record<ScenarioResult['kind'], { ratio: number; p99x?: number }>> = {
  get: { ratio: 0.85, p99x: 1.5 },
  post: { ratio: 0.6, p99x: 1.5 },
  delete: { ratio: 0.6, p99x: 1.5 },
  token: { ratio: 0.5, p99x: 1.5 },
  mix: { ratio: 0.7, p99x: 1.5 },
};
const POOLER_TARGETS: Partial<Record<ScenarioResult['kind'], { ratio: number; p99x?: number }>> = {
  get: { ratio: 0.7 },
};
const WEBHOOK_TOLERANCE = 0.1;
const RSS_LIMIT_MB = 160;
const SCALE_TOLERANCE = 0.1;
const SOAK_GROWTH_LIMIT = 0.05;

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
const rps = (n: number) => n.toFixed(0);
const pct = (n: number) => `${(n * 100).toFixed(0)}%`;
const pct1 = (n: number) => `${(n * 100).toFixed(1)}%`;
const failures = (r: Measured) => r.non2xx + r.errors;
const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '–');
const trips = (n: number | null) => (n === null || !Number.isFinite(n) ? '–' : n.toFixed(2));
const load1 = (r: Measured) => r.loadAverage[0]!.toFixed(2);

function costRow(r: ScenarioResult): string {
  const s = r.server.costs;
  const b = r.baseline.costs;
  return `| ${LABELS[r.kind]} | ${load1(r.baseline)} / ${load1(r.server)} | ${ms(s.processCpuMsPerRequest)} | ${ms(b.processCpuMsPerRequest)} | ${ms(s.postgresCpuMsPerRequest)} | ${ms(b.postgresCpuMsPerRequest)} | ${trips(s.roundTripsPerRequest)} | ${trips(b.roundTripsPerRequest)} | ${pct(b.otherCpuShare)} / ${pct(s.otherCpuShare)} |`;
}

const COST_HEADER = [
  '| Scenario | Load avg at start (baseline / server run) | Server CPU ms/req | Baseline CPU ms/req | PostgreSQL CPU ms/req, server run | PostgreSQL CPU ms/req, baseline run | Round trips/req, server | Round trips/req, baseline | Other CPU (baseline / server run) |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
];

function row(r: ScenarioResult, pgbench: PgbenchResult | undefined): string {
  const s = r.server;
  const b = r.baseline;
  return `| ${LABELS[r.kind]} | ${rps(s.requestsPerSec)} | ${s.latency.p50} / ${s.latency.p97_5} / ${s.latency.p99} | ${failures(s)} | ${mb(s.peakRssBytes)} | ${rps(b.requestsPerSec)} | ${b.latency.p50} / ${b.latency.p97_5} / ${b.latency.p99} | **${pct(s.requestsPerSec / b.requestsPerSec)}** | ${pgbench ? rps(pgbench.tps) : '–'} |`;
}

const HEADER = [
  '| Scenario | Server req/s | Server p50 / p97.5 / p99 ms | Server non-2xx + errors | Server peak RSS MB | Baseline req/s | Baseline p50 / p97.5 / p99 ms | Server ÷ baseline | pgbench tps |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
];

/** Enrollment throughput with one subscribed endpoint within 10% of none (same run). */
function webhookVerdict(report: Report): string[] {
  const plain = report.results.find((r) => r.kind === 'post');
  const hooked = report.results.find((r) => r.kind === 'post_webhook');
  if (!plain || !hooked) return [];
  const ratio = hooked.server.requestsPerSec / plain.server.requestsPerSec;
  return [
    `- ${ratio >= 1 - WEBHOOK_TOLERANCE ? 'met' : '**not met**'}: POST with one subscribed webhook endpoint within ${pct(WEBHOOK_TOLERANCE)} of plain POST — measured ${pct1(ratio)} of plain POST`,
  ];
}

/** One line per result that has a target: its ratio to the same run's baseline, and its p99's. */
function ratioVerdicts(
  results: ScenarioResult[],
  targets: Partial<Record<ScenarioResult['kind'], { ratio: number; p99x?: number }>>,
  suffix = '',
): string[] {
  return results.flatMap((r) => {
    const target = targets[r.kind];
    if (!target) return [];
    const ratio = r.server.requestsPerSec / r.baseline.requestsPerSec;
    const p99x = r.server.latency.p99 / r.baseline.latency.p99;
    const ok = ratio >= target.ratio && (target.p99x === undefined || p99x <= target.p99x);
    return [
      target.p99x === undefined
        ? `- ${ok ? 'met' : '**not met**'}: ${LABELS[r.kind]}${suffix} ≥ ${pct(target.ratio)} of baseline — measured ${pct1(ratio)}`
        : `- ${ok ? 'met' : '**not met**'}: ${LABELS[r.kind]}${suffix} ≥ ${pct(target.ratio)} of baseline with p99 ≤ ${target.p99x}× the baseline's — measured ${pct1(ratio)}, p99 ${r.server.latency.p99} ms = ${p99x.toFixed(2)}× ${r.baseline.latency.p99} ms`,
    ];
  });
}

function verdicts(report: Report): string[] {
  const lines = ratioVerdicts(report.results, TARGETS);
  if (report.pooler)
    lines.push(...ratioVerdicts(report.pooler.results, POOLER_TARGETS, ' through PgBouncer'));
  const all = [...report.results, ...(report.scale?.results ?? []), ...(report.pooler?.results ?? [])];
  const soakRun = report.soak
    ? [{ kind: 'mix' as const, server: report.soak.run, label: 'soak (mix 80/15/5)' }]
    : [];
  const failed = [...all.map((r) => ({ ...r, label: LABELS[r.kind] })), ...soakRun].filter(
    (r) => failures(r.server) > 0,
  );
  lines.push(
    failed.length === 0
      ? '- met: no errors or non-2xx answers from the server'
      : `- **not met**: no errors — ${failed.map((r) => `${r.label} ${failures(r.server)} (${JSON.stringify(r.server.statusCodes)})`).join('; ')}`,
  );
  const peak = Math.max(...[...all, ...soakRun].map((r) => r.server.peakRssBytes));
  lines.push(
    `- ${peak <= RSS_LIMIT_MB * 1024 * 1024 ? 'met' : '**not met**'}: peak RSS ≤ ${RSS_LIMIT_MB} MB — measured ${mb(peak)} MB`,
  );
  if (report.scale) {
    for (const r of report.scale.results) {
      const small = report.results.find((s) => s.kind === r.kind);
      if (!small) continue;
      const ratio = r.server.requestsPerSec / small.server.requestsPerSec;
      lines.push(
        `- ${ratio >= 1 - SCALE_TOLERANCE ? 'met' : '**not met**'}: ${LABELS[r.kind]} on ${report.scale.rows.toLocaleString('en-US')} rows within ${pct(SCALE_TOLERANCE)} of the small table — measured ${pct(ratio)}`,
      );
    }
  }
  if (report.soak) {
    const { growth, seconds } = report.soak;
    lines.push(
      `- ${growth < SOAK_GROWTH_LIMIT ? 'met' : '**not met**'}: ${seconds} s soak, RSS growth after the first minute < ${pct(SOAK_GROWTH_LIMIT)} — measured ${(growth * 100).toFixed(1)}%`,
    );
  }
  const exhausted = all.flatMap((r) => [
    ...r.server.exhausted.map((p) => `server ${LABELS[r.kind]} (${p})`),
    ...r.baseline.exhausted.map((p) => `baseline ${LABELS[r.kind]} (${p})`),
  ]);
  if (report.soak && report.soak.run.exhausted.length > 0)
    exhausted.push(...report.soak.run.exhausted.map((p) => `server soak (${p})`));
  if (exhausted.length > 0)
    lines.push(
      `- warning: seeded pools ran out and repeated (expect 404/409 or 5xx): ${exhausted.join(', ')}`,
    );
  return lines;
}

export function renderMarkdown(report: Report): string {
  const m = report.machine;
  const out = [
    `## Benchmark ${m.date}`,
    '',
    `${m.cpus} CPUs (${m.cpuModel}), ${(m.memoryBytes / 1024 ** 3).toFixed(1)} GiB RAM, load average at start ${m.loadAverage.map((l) => l.toFixed(2)).join(' / ')}; Node ${m.node}; PostgreSQL ${m.postgres}. ` +
      `${m.connections} connections, ${m.warmupSeconds} s warm-up then ${m.durationSeconds} s per run; database pool ${m.poolMax} in both servers. ` +
      'Server (`node dist/src/server.js` with the environment `npm start` sets), baseline, load generator and database share the machine.',
    '',
  ];
  const times = report.calibration.map((c) => c.ms);
  if (times.length > 0) {
    const [low, high] = [Math.min(...times), Math.max(...times)];
    out.push(
      `Machine speed before each counted run (\`bench/calibrate.ts\`, a fixed single-threaded task): ${low.toFixed(0)}–${high.toFixed(0)} ms, ` +
        `slowest ÷ fastest ${(high / low).toFixed(2)}× over ${times.length} runs.`,
      '',
    );
  }
  const { starved } = report;
  if (starved.reasons.length > 0) {
    out.push(
      `**Starved machine** (thresholds: 1-minute load average ≤ ${starved.maxLoad} at start, every baseline p99 ≤ ${starved.maxBaselineP99Ms} ms, calibration spread ≤ ${starved.maxSpeedSpread}×): ${starved.reasons.join('; ')}.${starved.forced ? ' Written anyway (BENCH_FORCE=1).' : ''}`,
      '',
    );
  }
  const plainResults = plain(report.results);
  if (plainResults.length > 0) {
    out.push(...HEADER, ...plainResults.map((r) => row(r, report.pgbench[r.kind])), '');
    out.push(
      'Per request, over the counted run only: CPU of the process under load (utime + stime, all threads, `/proc/<pid>/stat`), ' +
        'CPU of every `postgres` process (`/proc/*/stat`), and statements the process sent to PostgreSQL (`pg` queries counted in the process, ' +
        'BEGIN and COMMIT included: round trips). Load average: 1-minute, when each run started (it carries the previous runs of the bench itself). ' +
        "Other CPU: the share of the machine's CPU busy with anything but the process under load, PostgreSQL and the load generator during the counted run — neighbours; near 0% on a quiet machine.",
      '',
      ...COST_HEADER,
      ...plainResults.map(costRow),
      '',
    );
  }
  out.push(...meteringSection(report));
  if (report.scale) {
    out.push(
      `### ${report.scale.rows.toLocaleString('en-US')} enrollments`,
      '',
      ...HEADER,
      ...report.scale.results.map((r) => row(r, report.scale?.pgbench[r.kind])),
      '',
      ...COST_HEADER,
      ...report.scale.results.map(costRow),
      '',
      '| Scenario | Server req/s small → large | Ratio | Baseline req/s small → large | Ratio |',
      '|---|---:|---:|---:|---:|',
      ...report.scale.results.flatMap((r) => {
        const small = report.results.find((s) => s.kind === r.kind);
        if (!small) return [];
        return [
          `| ${LABELS[r.kind]} | ${rps(small.server.requestsPerSec)} → ${rps(r.server.requestsPerSec)} | ${pct(r.server.requestsPerSec / small.server.requestsPerSec)} | ${rps(small.baseline.requestsPerSec)} → ${rps(r.baseline.requestsPerSec)} | ${pct(r.baseline.requestsPerSec / small.baseline.requestsPerSec)} |`,
        ];
      }),
      '',
    );
  }
  if (report.pooler) {
    const onTable = report.pooler.rows === null ? report.results : (report.scale?.results ?? []);
    out.push(
      `### Through PgBouncer (transaction mode)${report.pooler.rows === null ? '' : `, ${report.pooler.rows.toLocaleString('en-US')} enrollments`}`,
      '',
      'Both servers connect to a private PgBouncer 1.18 in transaction pooling mode (`scripts/pgbouncer.sh`); the server with `DATABASE_PREPARED_STATEMENTS=false`, so every statement is unnamed.',
      '',
      ...HEADER,
      ...report.pooler.results.map((r) => row(r, undefined)),
      '',
      ...COST_HEADER,
      ...report.pooler.results.map(costRow),
      '',
      '| Scenario | Server req/s direct → PgBouncer | Ratio | Baseline req/s direct → PgBouncer | Ratio |',
      '|---|---:|---:|---:|---:|',
      ...report.pooler.results.flatMap((r) => {
        const direct = onTable.find((s) => s.kind === r.kind);
        if (!direct) return [];
        return [
          `| ${LABELS[r.kind]} | ${rps(direct.server.requestsPerSec)} → ${rps(r.server.requestsPerSec)} | ${pct(r.server.requestsPerSec / direct.server.requestsPerSec)} | ${rps(direct.baseline.requestsPerSec)} → ${rps(r.baseline.requestsPerSec)} | ${pct(r.baseline.requestsPerSec / direct.baseline.requestsPerSec)} |`,
        ];
      }),
      '',
    );
  }
  if (report.soak) {
    const k = report.soak;
    const r = k.run;
    out.push(
      `### Soak: mix 80/15/5 for ${k.seconds} s`,
      '',
      '| Server req/s | p50 / p97.5 / p99 ms | non-2xx + errors | Server CPU ms/req | PostgreSQL CPU ms/req | Round trips/req | Other CPU | Peak RSS MB | Mean RSS MB, 2nd window → last | Growth |',
      '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
      `| ${rps(r.requestsPerSec)} | ${r.latency.p50} / ${r.latency.p97_5} / ${r.latency.p99} | ${failures(r)} | ${ms(r.costs.processCpuMsPerRequest)} | ${ms(r.costs.postgresCpuMsPerRequest)} | ${trips(r.costs.roundTripsPerRequest)} | ${pct(r.costs.otherCpuShare)} | ${mb(k.peakRssBytes)} | ${mb(k.earlyMeanBytes)} → ${mb(k.lateMeanBytes)} | ${(k.growth * 100).toFixed(1)}% |`,
      '',
      `RSS sampled once a second; windows of ${k.windowSeconds} s: growth is the last window's mean against the second window's (seconds ${k.windowSeconds}–${2 * k.windowSeconds}, right after the first).`,
      '',
    );
  }
  out.push('### Targets (issue 20)', '', ...verdicts(report), ...webhookVerdict(report));
  if (!report.scale) out.push('- not measured here: the 1,000,000-row table (BENCH_SCALE=1)');
  if (!report.pooler) out.push('- not measured here: PgBouncer (install pgbouncer, or BENCH_PGBOUNCER=1)');
  if (!report.soak) out.push('- not measured here: the soak (BENCH_SOAK=300)');
  const metering = meteringVerdicts(report);
  if (metering.length > 0) out.push('', '### Targets (issue 25)', '', ...metering);
  return out.join('\n');
}

/** Events per second of an ingest run: batches per second × events per batch. */
const eventsPerSec = (r: Measured, batch: number) => r.requestsPerSec * batch;
const us = (msPerBatch: number, batch: number) =>
  Number.isFinite(msPerBatch) ? ((msPerBatch * 1000) / batch).toFixed(1) : '–';

/** CONTRACT §12: the ingest runs in events, and the entitlement check against GET /v2/promotions. */
function meteringSection(report: Report): string[] {
  const meta = report.ingest;
  if (!meta) return [];
  const ingest = [
    ...report.results
      .filter((r) => r.kind === 'ingest')
      .map((r) => ({ r, label: 'small ledger', pgbench: report.pgbench.ingest })),
    ...(meta.scale?.results ?? []).map((r) => ({
      r,
      label: `${meta.scale!.rows.toLocaleString('en-US')} ledger rows`,
      pgbench: meta.scale!.pgbench.ingest,
    })),
  ];
  const entitlements = report.results.filter((r) => r.kind === 'entitlements');
  if (ingest.length === 0 && entitlements.length === 0) return [];
  const out = ['### Metering (CONTRACT §12, issue 25)', ''];
  if (ingest.length > 0) {
    const b = meta.batch;
    out.push(
      `POST /admin/v1/usage_events: batches of ${b} events over ${meta.accounts.toLocaleString('en-US')} accounts (by external id; 1–2 enrollments each, half limited), ` +
        `${meta.connections} batches at a time. Baseline: the same bodies to a bare server doing one INSERT … SELECT FROM unnest of the ${b} rows into usage_ledger per request ` +
        `(no lookup, allocation, dedup or counters). pgbench: that insert made in the database, ${meta.connections} clients, ${b} rows a transaction. CPU per event: the run's CPU ÷ events.`,
      '',
      '| Run | Server events/s | Server batch p50 / p99 ms | Server non-2xx + errors | Baseline events/s | Baseline batch p50 / p99 ms | Server ÷ baseline | pgbench events/s | Server CPU µs/event | PostgreSQL CPU µs/event, server run | Baseline CPU µs/event | PostgreSQL CPU µs/event, baseline run | Round trips/batch, server |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
      ...ingest.map(
        ({ r, label, pgbench }) =>
          `| ${label} | ${rps(eventsPerSec(r.server, b))} | ${r.server.latency.p50} / ${r.server.latency.p99} | ${failures(r.server)} | ${rps(eventsPerSec(r.baseline, b))} | ${r.baseline.latency.p50} / ${r.baseline.latency.p99} | **${pct(r.server.requestsPerSec / r.baseline.requestsPerSec)}** | ${pgbench ? rps(pgbench.tps * b) : '–'} | ${us(r.server.costs.processCpuMsPerRequest, b)} | ${us(r.server.costs.postgresCpuMsPerRequest, b)} | ${us(r.baseline.costs.processCpuMsPerRequest, b)} | ${us(r.baseline.costs.postgresCpuMsPerRequest, b)} | ${trips(r.server.costs.roundTripsPerRequest)} |`,
      ),
      '',
    );
  }
  if (entitlements.length > 0) {
    out.push(
      "GET /admin/v1/entitlements?external_account_id=… (ADMIN_TOKEN) against the same server's GET /v2/promotions/{id} in the same run, at the same connections.",
      '',
      '| Entitlements req/s | p50 / p99 ms | GET /v2/promotions req/s | p50 / p99 ms | Ratio | CPU ms/req, entitlements / GET | PostgreSQL CPU ms/req, entitlements / GET | Round trips/req, entitlements / GET |',
      '|---:|---:|---:|---:|---:|---:|---:|---:|',
      ...entitlements.map(
        (r) =>
          `| ${rps(r.server.requestsPerSec)} | ${r.server.latency.p50} / ${r.server.latency.p99} | ${rps(r.baseline.requestsPerSec)} | ${r.baseline.latency.p50} / ${r.baseline.latency.p99} | **${pct(r.server.requestsPerSec / r.baseline.requestsPerSec)}** | ${ms(r.server.costs.processCpuMsPerRequest)} / ${ms(r.baseline.costs.processCpuMsPerRequest)} | ${ms(r.server.costs.postgresCpuMsPerRequest)} / ${ms(r.baseline.costs.postgresCpuMsPerRequest)} | ${trips(r.server.costs.roundTripsPerRequest)} / ${trips(r.baseline.costs.roundTripsPerRequest)} |`,
      ),
      '',
    );
  }
  return out;
}

/** Issue 25's targets, one line each; nothing when the metering scenarios did not run. */
function meteringVerdicts(report: Report): string[] {
  const meta = report.ingest;
  if (!meta) return [];
  const lines: string[] = [];
  const small = report.results.find((r) => r.kind === 'ingest');
  if (small) {
    const eps = eventsPerSec(small.server, meta.batch);
    lines.push(
      `- ${eps >= INGEST_EVENTS_PER_SEC ? 'met' : '**not met**'}: ingest ≥ ${INGEST_EVENTS_PER_SEC.toLocaleString('en-US')} events/s — measured ${rps(eps)}`,
      `- ${small.server.latency.p99 <= INGEST_P99_MS ? 'met' : '**not met**'}: ingest batch p99 ≤ ${INGEST_P99_MS} ms — measured ${small.server.latency.p99} ms`,
    );
    const large = meta.scale?.results.find((r) => r.kind === 'ingest');
    if (large) {
      const ratio = large.server.requestsPerSec / small.server.requestsPerSec;
      lines.push(
        `- ${ratio >= 1 - INGEST_SCALE_TOLERANCE ? 'met' : '**not met**'}: ingest after ${meta.scale!.rows.toLocaleString('en-US')} ledger rows within ${pct(INGEST_SCALE_TOLERANCE)} — measured ${pct(ratio)}`,
      );
    } else {
      lines.push('- not measured here: ingest after 10,000,000 ledger rows (BENCH_SCALE=1)');
    }
  }
  const ent = report.results.find((r) => r.kind === 'entitlements');
  if (ent) {
    const ratio = ent.server.requestsPerSec / ent.baseline.requestsPerSec;
    lines.push(
      `- ${ratio >= ENTITLEMENTS_RATIO ? 'met' : '**not met**'}: entitlement checks ≥ ${pct(ENTITLEMENTS_RATIO)} of GET /v2/promotions — measured ${pct1(ratio)}`,
    );
  }
  return lines;
}
