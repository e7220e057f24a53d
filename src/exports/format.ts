// The two export formats (CONTRACT §6, "Exports"): CSV as RFC 4180 says it (a header row, CRLF
// line ends, a field quoted only when it holds a comma, a quote, CR or LF, quotes doubled), with
// spreadsheet formula injection neutralised; and NDJSON, one JSON object per line.

export type ExportFormat = 'csv' | 'ndjson';

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8; header=present',
  ndjson: 'application/x-ndjson; charset=utf-8',
};

type Cell = string | number | boolean | null;

/**
 * A cell a spreadsheet would run as a formula (= + - @, and tab or CR, which some spreadsheets
 * strip before looking) gets a leading `'`, so it shows as the text it is (OWASP "CSV
 * injection"). Only text cells: the exports' numbers are never negative.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: Cell): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV record of these columns, CRLF-terminated. */
export function csvRecord(values: readonly Cell[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

/**
 * The text of an export, a batch at a time: the CSV header first (its columns are the keys of
 * `columns`, in order), then one CSV record or one NDJSON line per row. Each batch becomes one
 * chunk, so the stream's memory is one batch, whatever the export's size.
 */
export async function* exportChunks<Row extends Record<string, Cell>>(
  format: ExportFormat,
  columns: readonly (keyof Row & string)[],
  batches: AsyncIterable<Row[]>,
): AsyncGenerator<string> {
  if (format === 'csv') yield csvRecord(columns);
  for await (const batch of batches) {
    if (batch.length === 0) continue;
    let chunk = '';
    for (const row of batch) {
      chunk += format === 'csv' ? csvRecord(columns.map((c) => row[c] ?? null)) : `${JSON.stringify(row)}\n`;
    }
    yield chunk;
  }
}
