import type { LoadResult } from './load.js';
import type { PgbenchResult } from './pgbench.js';

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryBytes: number;
  loadAverage: number[];
  node: string;
  postgres: string;
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  poolMax: number;
  date: string;
}

type Measured = LoadResult & { peakRssBytes: number };

export interface ScenarioResult {
  kind: 'get' | 'post' | 'delete' | 'token' | 'mix';
  server: Measured;
  baseline: Measured;
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
}

const LABELS: Record<ScenarioResult['kind'], string> = {
  get: 'GET enrollment',
  post: 'POST enrollment',
  delete: 'DELETE enrollment',
  token: 'client_credentials token',
  mix: 'mix 80/15/5',
};

// Issue 6's targets: throughput as a share of the baseline, and p99 in ms.
const TARGETS: Partial<Record<ScenarioResult['kind'], { ratio: number; p99: number }>> = {
  get: { ratio: 0.6, p99: 25 },
  post: { ratio: 0.4, p99: 60 },
};
const RSS_LIMIT_MB = 200;
const SCALE_TOLERANCE = 0.15;

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
const rps = (n: number) => n.toFixed(0);
const pct = (n: number) => `${(n * 100).toFixed(0)}%`;
const failures = (r: Measured) => r.non2xx + r.errors;

function row(r: ScenarioResult, pgbench: PgbenchResult | undefined): string {
  const s = r.server;
  const b = r.baseline;
  return `| ${LABELS[r.kind]} | ${rps(s.requestsPerSec)} | ${s.latency.p50} / ${s.latency.p97_5} / ${s.latency.p99} | ${failures(s)} | ${mb(s.peakRssBytes)} | ${rps(b.requestsPerSec)} | ${b.latency.p50} / ${b.latency.p97_5} / ${b.latency.p99} | **${pct(s.requestsPerSec / b.requestsPerSec)}** | ${pgbench ? rps(pgbench.tps) : '–'} |`;
}

const HEADER = [
  '| Scenario | Server req/s | Server p50 / p97.5 / p99 ms | Server non-2xx + errors | Server peak RSS MB | Baseline req/s | Baseline p50 / p97.5 / p99 ms | Server ÷ baseline | pgbench tps |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
];

function verdicts(report: Report): string[] {
  const lines: string[] = [];
  for (const r of report.results) {
    const target = TARGETS[r.kind];
    if (target) {
      const ratio = r.server.requestsPerSec / r.baseline.requestsPerSec;
      const ok = ratio >= target.ratio && r.server.latency.p99 <= target.p99;
      lines.push(
        `- ${ok ? 'met' : '**not met**'}: ${LABELS[r.kind]} ≥ ${pct(target.ratio)} of baseline with p99 ≤ ${target.p99} ms — measured ${pct(ratio)}, p99 ${r.server.latency.p99} ms`,
      );
    }
  }
  const all = [...report.results, ...(report.scale?.results ?? [])];
  const failed = all.filter((r) => failures(r.server) > 0);
  lines.push(
    failed.length === 0
      ? '- met: no errors or non-2xx answers from the server'
      : `- **not met**: no errors — ${failed.map((r) => `${LABELS[r.kind]} ${failures(r.server)} (${JSON.stringify(r.server.statusCodes)})`).join('; ')}`,
  );
  const peak = Math.max(...all.map((r) => r.server.peakRssBytes));
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
  const exhausted = all.flatMap((r) => [
    ...r.server.exhausted.map((p) => `server ${LABELS[r.kind]} (${p})`),
    ...r.baseline.exhausted.map((p) => `baseline ${LABELS[r.kind]} (${p})`),
  ]);
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
      'Server, baseline, load generator and database share the machine.',
    '',
    ...HEADER,
    ...report.results.map((r) => row(r, report.pgbench[r.kind])),
    '',
  ];
  if (report.scale) {
    out.push(
      `### ${report.scale.rows.toLocaleString('en-US')} enrollments`,
      '',
      ...HEADER,
      ...report.scale.results.map((r) => row(r, report.scale?.pgbench[r.kind])),
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
  out.push('### Targets (issue 6)', '', ...verdicts(report), '- not measured here: the 5-minute mixed soak');
  return out.join('\n');
}
