import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream } from 'node:stream/web';
import type { ExportFormat } from '../typescript/src/index.js';
import { type Command, CommandFailed, type Commands, str, UsageError, type Values } from './command.js';

const FORMAT_OPTIONS = {
  format: { type: 'string' },
  output: { type: 'string', short: 'o' },
} as const;

function formatOf(values: Values): ExportFormat {
  const format = str(values, 'format') ?? 'csv';
  if (format !== 'csv' && format !== 'ndjson') {
    throw new UsageError(`--format must be csv or ndjson, not "${format}"`);
  }
  return format;
}

/**
 * Streams an export to `-o file` (through `file.partial`, renamed when complete, so a cut
 * download never leaves a file that looks whole) or to stdout; never holds it in memory.
 */
async function save(
  body: globalThis.ReadableStream<Uint8Array>,
  output: string | undefined,
  stdout: NodeJS.WritableStream,
): Promise<{ json: unknown; text: string } | null> {
  let bytes = 0;
  const count = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  const source = Readable.fromWeb(body as ReadableStream<Uint8Array>);
  try {
    if (output === undefined) {
      await pipeline(source, count, stdout, { end: false });
      return null;
    }
    const partial = `${output}.partial`;
    try {
      await pipeline(source, count, createWriteStream(partial));
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    await rename(partial, output);
    return { json: { file: output, bytes }, text: `Wrote ${bytes} bytes to ${output}` };
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new CommandFailed([`error: the export was cut after ${bytes} bytes (${why}); nothing was saved`], {
      error: 'export_cut',
      bytes,
    });
  }
}

const exportEnrollments: Command = {
  usage:
    'export enrollments <promotion_id> [--format csv|ndjson] [--status enrolled|expired|unenrolled] [-o file]',
  summary: "A promotion's enrollments as CSV or NDJSON, to a file or stdout",
  options: { ...FORMAT_OPTIONS, status: { type: 'string' } },
  args: ['promotion_id'],
  async run(admin, values, [promotion], { stdout }) {
    const format = formatOf(values);
    const status = str(values, 'status');
    if (status !== undefined && !['enrolled', 'expired', 'unenrolled'].includes(status)) {
      throw new UsageError(`--status must be enrolled, expired or unenrolled, not "${status}"`);
    }
    const body = await admin.promotions.exportEnrollments(promotion!, {
      format,
      status: status as 'enrolled' | 'expired' | 'unenrolled' | undefined,
    });
    return save(body, str(values, 'output'), stdout);
  },
};

const exportUsage: Command = {
  usage: 'export usage <promotion_id> [--cycle YYYY-MM] [--format csv|ndjson] [-o file]',
  summary: "A promotion's tasks used per enrollment and billing cycle, as CSV or NDJSON",
  options: { ...FORMAT_OPTIONS, cycle: { type: 'string' } },
  args: ['promotion_id'],
  async run(admin, values, [promotion], { stdout }) {
    const format = formatOf(values);
    const cycle = str(values, 'cycle');
    if (cycle !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(cycle)) {
      throw new UsageError(`--cycle must be a month as YYYY-MM, such as 2026-11, not "${cycle}"`);
    }
    const body = await admin.promotions.exportUsage(promotion!, { format, cycle });
    return save(body, str(values, 'output'), stdout);
  },
};

export const exportCommands: Commands = {
  'export enrollments': exportEnrollments,
  'export usage': exportUsage,
};
