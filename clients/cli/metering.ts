/**
 * `usage ingest` and `entitlements` of the operator's CLI (CONTRACT §12): streams a file of
 * usage events to POST /admin/v1/usage_events in batches, and reads an account's entitlement.
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import {
  type AdminClient,
  MAX_USAGE_BATCH,
  PromotionsApiError,
  type UsageEvent,
  type UsageEventResult,
} from '../typescript/src/index.js';
import { type Commands, instant, integer, type Progress, str, UsageError } from './command.js';
import { record, table } from './table.js';

const DEFAULT_BATCH = 500;
/** A request's body must stay under the server's 1 MiB: a batch is sent before it would pass this. */
const MAX_BATCH_BYTES = 900 * 1024;
/** A longer line cannot be an event (an id is at most 255 characters): rejected locally. */
const MAX_LINE_BYTES = 64 * 1024;
/** Progress redraws at most this often (a terminal), or prints a line this often (a log). */
const TTY_EVERY_MS = 100;
const LOG_EVERY_MS = 2_000;

interface Totals {
  lines: number;
  events: number;
  recorded: number;
  duplicate: number;
  rejected: number;
  sponsored: number;
  unsponsored: number;
}

/** What a rejected line becomes in the rejected file: its line number, the event as read and why. */
interface RejectedLine {
  line: number;
  event: unknown;
  error: { code: string; title: string; detail: string; source?: { pointer: string } };
}

const count = (n: number) => n.toLocaleString('en-US');

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  const hms = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  return (hms[0] ? hms : hms.slice(1))
    .map((n, i) => (i === 0 ? String(n) : String(n).padStart(2, '0')))
    .join(':');
}

/** The progress line: a bar on a terminal (redrawn in place), plain lines in a log. */
function progressReporter(progress: Progress, fileBytes: number) {
  const started = performance.now();
  let last = Number.NEGATIVE_INFINITY;
  const line = (bytes: number, totals: Totals) => {
    const seconds = (performance.now() - started) / 1000;
    const share = fileBytes === 0 ? 1 : Math.min(1, bytes / fileBytes);
    const rate = seconds > 0 ? totals.events / seconds : 0;
    const bytesRate = seconds > 0 ? bytes / seconds : 0;
    const eta = bytesRate > 0 ? (fileBytes - bytes) / bytesRate : Number.POSITIVE_INFINITY;
    const percent = `${Math.floor(share * 100)}%`.padStart(4);
    const stats = `${count(totals.events)} events  ${count(Math.round(rate))} events/s  ETA ${duration(eta)}  rejected ${count(totals.rejected)}`;
    if (!progress.isTTY) return `${percent}  ${stats}`;
    const width = 24;
    const filled = Math.round(share * width);
    return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${percent}  ${stats}`;
  };
  return {
    update(bytes: number, totals: Totals, { final = false } = {}) {
      const now = performance.now();
      if (!final && now - last < (progress.isTTY ? TTY_EVERY_MS : LOG_EVERY_MS)) return;
      last = now;
      progress.write(
        progress.isTTY ? `\r\x1b[2K${line(bytes, totals)}${final ? '\n' : ''}` : `${line(bytes, totals)}\n`,
      );
    },
  };
}

/** A server error of one event: its pointer relative to the event's own line (`/tasks`), not its batch. */
function lineError(result: UsageEventResult): RejectedLine['error'] {
  const error = result.error!;
  const pointer = error.source.pointer.replace(/^\/events\/\d+/, '') || '/';
  return { code: error.code, title: error.title, detail: error.detail, source: { pointer } };
}

async function ingestFile(
  admin: AdminClient,
  file: string,
  batchSize: number,
  rejectedPath: string,
  progress: Progress,
) {
  const fileBytes = statSync(file).size;
  const reporter = progressReporter(progress, fileBytes);
  const rejectedOut = createWriteStream(rejectedPath);
  const writeRejected = async (entry: RejectedLine) => {
    if (!rejectedOut.write(`${JSON.stringify(entry)}\n`)) await once(rejectedOut, 'drain');
  };
  const totals: Totals = {
    lines: 0,
    events: 0,
    recorded: 0,
    duplicate: 0,
    rejected: 0,
    sponsored: 0,
    unsponsored: 0,
  };
  let bytesRead = 0;
  let batch: { line: number; event: UsageEvent }[] = [];
  let batchBytes = 0;

  /** Malformed lines read since the last batch was sent: written with that batch's rejections. */
  let local: RejectedLine[] = [];

  const send = async () => {
    const sent = batch;
    batch = [];
    batchBytes = 0;
    let results: UsageEventResult[] = [];
    if (sent.length > 0) {
      try {
        results = await admin.usage.ingest(
          sent.map((s) => s.event),
          { batchSize: MAX_USAGE_BATCH },
        );
      } catch (error) {
        if (error instanceof PromotionsApiError) throw new IngestStopped(error, sent[0]!.line, totals);
        throw error;
      }
    }
    const rejections = local;
    local = [];
    for (const [i, result] of results.entries()) {
      totals.events++;
      if (result.status === 'rejected') {
        totals.rejected++;
        rejections.push({ line: sent[i]!.line, event: sent[i]!.event, error: lineError(result) });
        continue;
      }
      totals[result.status]++;
      totals.sponsored += result.sponsored;
      totals.unsponsored += result.unsponsored;
    }
    // The rejected file in line order: the batch's rejections and the malformed lines among them.
    for (const entry of rejections.sort((x, y) => x.line - y.line)) await writeRejected(entry);
    if (sent.length > 0) reporter.update(bytesRead, totals);
  };

  const lines = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
  try {
    for await (const text of lines) {
      totals.lines++;
      const bytes = Buffer.byteLength(text) + 1;
      bytesRead = Math.min(fileBytes, bytesRead + bytes);
      if (text.trim() === '') continue;
      const problem = malformed(text, bytes);
      if (problem) {
        totals.events++;
        totals.rejected++;
        local.push({
          line: totals.lines,
          event: text.length > 1024 ? `${text.slice(0, 1024)}…` : text,
          error: {
            code: 'malformed_line',
            title: 'Malformed Line',
            detail: `Line ${totals.lines} ${problem}.`,
          },
        });
        // Nothing read before it is waiting for an answer: it can be written now.
        if (batch.length === 0) await send();
        continue;
      }
      if (batchBytes + bytes > MAX_BATCH_BYTES) await send();
      batch.push({ line: totals.lines, event: JSON.parse(text) as UsageEvent });
      batchBytes += bytes;
      if (batch.length >= batchSize) await send();
    }
    await send();
    bytesRead = fileBytes;
  } finally {
    lines.close();
    // Stopped by the server: the malformed lines read so far are rejected all the same.
    for (const entry of local) await writeRejected(entry);
    rejectedOut.end();
    await once(rejectedOut, 'close');
    reporter.update(bytesRead, totals, { final: true });
  }
  return totals;
}

/** Why a line is not an event the server can be sent, or undefined. */
function malformed(text: string, bytes: number): string | undefined {
  if (bytes > MAX_LINE_BYTES) return `is longer than ${MAX_LINE_BYTES} bytes`;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `is not JSON (${(error as Error).message})`;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'is not a JSON object';
  return undefined;
}

/** The server refused a whole batch: what was counted before it stays counted; the rest was not sent. */
class IngestStopped extends Error {
  constructor(
    override readonly cause: PromotionsApiError,
    readonly line: number,
    readonly totals: Totals,
  ) {
    super(cause.message);
  }
}

const totalsRecord = (totals: Totals, rejectedPath: string) =>
  record([
    ['events', count(totals.events)],
    ['recorded', count(totals.recorded)],
    ['duplicate', count(totals.duplicate)],
    ['rejected', `${count(totals.rejected)}${totals.rejected ? ` (see ${rejectedPath})` : ''}`],
    ['sponsored tasks', count(totals.sponsored)],
    ['unsponsored tasks', count(totals.unsponsored)],
  ]);

export const meteringCommands: Commands = {
  'usage ingest': {
    usage: 'usage ingest -f <events.ndjson> [--batch-size 500] [--rejected <rejected.ndjson>]',
    summary:
      'Report usage events from a file, one JSON event a line (CONTRACT §12); exit 1 if any was rejected',
    help: [
      'Each line is one event: {"id": "run_42", "external_account_id": "user-8812", "tasks": 40,',
      '"occurred_at": "2026-05-03T09:15:00Z"} (account_id instead of external_account_id; occurred_at',
      'optional). The file is read line by line, never whole, and sent in batches of --batch-size',
      '(1 to 1000, default 500) to POST /admin/v1/usage_events. Blank lines are skipped.',
      '',
      'Progress goes to stderr: a bar with events/s and the ETA on a terminal, a plain line every',
      '2 s otherwise. Then the totals: events recorded, duplicate and rejected, and the tasks',
      'sponsored and unsponsored (of recorded and duplicate events, so a second run shows the same).',
      '',
      'Rejected events go to --rejected (default: the file name with .rejected.ndjson; written',
      'every run, empty when nothing was rejected), one JSON line each:',
      '{"line": 7, "event": {…}, "error": {"code", "title", "detail", "source": {"pointer": "/tasks"}}};',
      'a line that is not a JSON object is rejected here as malformed_line, the rest go on.',
      '',
      'Running the same file again is safe: what was recorded comes back duplicate, counted once.',
      'Exit 0 when nothing was rejected, 1 when something was (or the server refused a whole batch:',
      'what was answered before it stays counted; run the file again).',
      'A `meter` API key (keys create --role meter) is enough: --token adk_…',
    ].join('\n'),
    options: {
      file: { type: 'string', short: 'f' },
      'batch-size': { type: 'string' },
      rejected: { type: 'string' },
    },
    async run(admin, values, _args, { progress }) {
      const file = str(values, 'file');
      if (!file) throw new UsageError('-f <events.ndjson> is required');
      const batchSize = integer(values, 'batch-size') ?? DEFAULT_BATCH;
      if (batchSize < 1 || batchSize > MAX_USAGE_BATCH) {
        throw new UsageError(`--batch-size must be from 1 to ${MAX_USAGE_BATCH}, not ${batchSize}`);
      }
      const rejectedPath = str(values, 'rejected') ?? `${file.replace(/\.ndjson$/, '')}.rejected.ndjson`;
      try {
        statSync(file);
      } catch {
        throw new UsageError(`cannot read ${file}`);
      }
      let totals: Totals;
      try {
        totals = await ingestFile(admin, file, batchSize, rejectedPath, progress);
      } catch (error) {
        if (!(error instanceof IngestStopped)) throw error;
        // Exit 1 with the server's error, after what was counted before it.
        progress.write(
          `stopped at the batch starting on line ${error.line}: the lines before it were sent and answered (below); ` +
            'it and the rest were not counted. Running the same file again is safe.\n' +
            `${totalsRecord(error.totals, rejectedPath)}\n`,
        );
        throw error.cause;
      }
      return {
        json: { ...totals, rejected_file: rejectedPath },
        text: totalsRecord(totals, rejectedPath),
        exitCode: totals.rejected > 0 ? 1 : 0,
      };
    },
  },
  entitlements: {
    usage: 'entitlements --account <account_id> | --external-id <id> [--at <date-time>]',
    summary: "What an account's enrollments would sponsor now (or at --at)",
    options: { account: { type: 'string' }, 'external-id': { type: 'string' }, at: { type: 'string' } },
    async run(admin, values) {
      const accountId = str(values, 'account');
      const externalId = str(values, 'external-id');
      if ((accountId === undefined) === (externalId === undefined)) {
        throw new UsageError('give exactly one of --account and --external-id');
      }
      const at = instant(values, 'at') ?? undefined;
      const e = await admin.entitlements(
        accountId !== undefined ? { accountId } : { externalAccountId: externalId! },
        at,
      );
      const text = [
        record([
          ['account_id', e.account_id],
          ['external_id', e.external_id],
          ['at', e.at],
          ['sponsored_remaining', e.sponsored_remaining ?? 'unlimited'],
        ]),
        '',
        e.enrollments.length === 0
          ? 'No enrollment sponsors a task at this time.'
          : table(
              ['ENROLLMENT', 'PROMOTION', 'USED', 'LIMIT', 'REMAINING', 'CYCLE END', 'EXPIRES'],
              e.enrollments.map((n) => [
                n.enrollment_id,
                n.promotion_id,
                n.tasks_used_this_month,
                n.task_limit_per_month ?? 'unlimited',
                n.remaining ?? 'unlimited',
                n.billing_cycle_end,
                n.expiration_date,
              ]),
            ),
      ].join('\n');
      return { json: e, text };
    },
  },
};
