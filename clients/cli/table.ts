/** Tiny text tables for the CLI: no dependencies, no colours, stable widths. */

export type Cell = string | number | boolean | null | undefined;

const show = (value: Cell) => (value === null || value === undefined ? '—' : String(value));

/** Columns padded to their widest cell, a header and a rule; the last column is not padded. */
export function table(headers: string[], rows: Cell[][]): string {
  const cells = rows.map((row) => headers.map((_, i) => show(row[i])));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i]!.length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '─'.repeat(w))), ...cells.map(line)].join('\n');
}

/** One record as `key  value` lines, keys aligned. */
export function record(fields: [string, Cell][]): string {
  const width = Math.max(...fields.map(([key]) => key.length));
  return fields.map(([key, value]) => `${key.padEnd(width)}  ${show(value)}`).join('\n');
}
