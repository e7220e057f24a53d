import { describe, expect, it } from 'vitest';
import { csvCell, csvRecord, exportChunks } from '../../src/exports/format.js';

describe('CSV cells (RFC 4180, formula injection neutralised)', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\r', '"cr\r"'],
    ['=1+2', "'=1+2"],
    ['+33 1 23', "'+33 1 23"],
    ['-5', "'-5"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=cmd', "'\t=cmd"],
    ['\r=cmd', `"'\r=cmd"`],
    ['=HYPERLINK("x"),y', `"'=HYPERLINK(""x""),y"`],
    ['a=b', 'a=b'],
    ['', ''],
  ])('%j → %j', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it('writes null as an empty field and numbers and booleans as they are', () => {
    expect(csvRecord([null, 0, 42, true, 'x'])).toBe(',0,42,true,x\r\n');
  });
});

describe('exportChunks', () => {
  async function* batches() {
    yield [{ a: 'x', b: 1 }];
    yield [];
    yield [
      { a: '=y', b: null },
      { a: 'z,w', b: 3 },
    ];
  }
  const collect = async (it: AsyncIterable<string>) => {
    const out: string[] = [];
    for await (const chunk of it) out.push(chunk);
    return out;
  };

  it('CSV: the header, then one chunk per non-empty batch', async () => {
    expect(await collect(exportChunks('csv', ['a', 'b'], batches()))).toEqual([
      'a,b\r\n',
      'x,1\r\n',
      '\'=y,\r\n"z,w",3\r\n',
    ]);
  });

  it('NDJSON: one object per line, values untouched', async () => {
    expect(await collect(exportChunks('ndjson', ['a', 'b'], batches()))).toEqual([
      '{"a":"x","b":1}\n',
      '{"a":"=y","b":null}\n{"a":"z,w","b":3}\n',
    ]);
  });
});
