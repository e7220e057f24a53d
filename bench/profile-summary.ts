/**
 * Summarises a V8 `.cpuprofile` (from `BENCH_CPU_PROF=<dir> npm run bench`): the functions
 * with the most self time, and the same grouped by package or project folder.
 * `npx tsx bench/profile-summary.ts <file.cpuprofile> [top=25]`: the whole profile.
 * `npx tsx bench/profile-summary.ts <file.cpuprofile> [top] --results bench/results/latest.json`:
 * one table per scenario whose counted run (its `countedUs`, on the same monotonic clock as the
 * profile) falls inside this profile, idle time left out: where each scenario's CPU went.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

interface Window {
  name: string;
  fromUs: number;
  toUs: number;
}

const args = process.argv.slice(2);
const resultsAt = args.indexOf('--results');
const resultsFile = resultsAt >= 0 ? args[resultsAt + 1] : undefined;
const [file, topArg] = resultsAt >= 0 ? args.slice(0, resultsAt) : args;
if (!file)
  throw new Error('usage: tsx bench/profile-summary.ts <file.cpuprofile> [top] [--results latest.json]');
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));

/** node_modules/<pkg>, src/<folder>, node:<module>, or the V8 pseudo-frame. */
function where(url: string): string {
  if (url === '') return '(native / V8)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const src = /\/(src|bench)\/(.+)$/.exec(url);
  if (src) return `${src[1]}/${src[2]!.split('/')[0]}`;
  if (url.startsWith('node:')) return url;
  return url;
}

/** Self time per function and per place, over the samples taken in [fromUs, toUs). */
function summarise(fromUs: number, toUs: number, withoutIdle: boolean) {
  const selfMicros = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (at < fromUs || at >= toUs) return;
    if (withoutIdle && byId.get(id)?.callFrame.functionName === '(idle)') return;
    selfMicros.set(id, (selfMicros.get(id) ?? 0) + delta);
  });
  const total = [...selfMicros.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map<string, number>();
  const byPlace = new Map<string, number>();
  for (const [id, micros] of selfMicros) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const short = url.replace(/^.*\/(node_modules|src|bench)\//, '$1/').replace(/^file:\/\//, '');
    const key = `${functionName || '(anonymous)'} ${short ? `${short}:${lineNumber + 1}` : ''}`.trim();
    byFunction.set(key, (byFunction.get(key) ?? 0) + micros);
    byPlace.set(where(url), (byPlace.get(where(url)) ?? 0) + micros);
  }
  return { total, byFunction, byPlace };
}

const table = (title: string, map: Map<string, number>, total: number) => {
  const rows = [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  const lines = [`| ${title} | self ms | self % |`, '|---|---:|---:|'];
  for (const [name, micros] of rows)
    lines.push(`| \`${name}\` | ${(micros / 1000).toFixed(0)} | ${((micros / total) * 100).toFixed(1)} |`);
  return lines.join('\n');
};

/** The server runs of a bench report, named as its tables name them. */
function windows(path: string): Window[] {
  type Run = { kind: string; server: { countedUs?: [number, number] } };
  const report = JSON.parse(readFileSync(path, 'utf8')) as {
    results: Run[];
    scale: { results: Run[] } | null;
    pooler?: { results: Run[] } | null;
  };
  const named = (runs: Run[] | undefined, suffix: string) =>
    (runs ?? []).flatMap((run) =>
      run.server.countedUs
        ? [{ name: `${run.kind}${suffix}`, fromUs: run.server.countedUs[0], toUs: run.server.countedUs[1] }]
        : [],
    );
  return [
    ...named(report.results, ''),
    ...named(report.scale?.results, ' (scale)'),
    ...named(report.pooler?.results, ' (PgBouncer)'),
  ];
}

if (resultsFile) {
  const inside = windows(resultsFile).filter(
    (w) => w.fromUs >= profile.startTime && w.toUs <= profile.endTime,
  );
  if (inside.length === 0) throw new Error(`no counted run of ${resultsFile} falls inside ${file}`);
  for (const w of inside) {
    const { total, byFunction } = summarise(w.fromUs, w.toUs, true);
    process.stdout.write(
      `### ${w.name}: ${(total / 1e6).toFixed(2)} s of CPU in ${((w.toUs - w.fromUs) / 1e6).toFixed(1)} s\n\n${table('Function', byFunction, total)}\n\n`,
    );
  }
} else {
  const { total, byFunction, byPlace } = summarise(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, false);
  process.stdout.write(
    `Profile ${file}: ${(total / 1e6).toFixed(1)} s sampled\n\n${table('Function', byFunction, total)}\n\n${table('Package / folder', byPlace, total)}\n`,
  );
}
