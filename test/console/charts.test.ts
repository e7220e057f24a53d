// CONTRACT §11: the console's bar charts label their value axis with whole, evenly spaced
// numbers (steps of 1, 2 or 5 × 10^n) and draw each gridline at the value it names, so a bar
// of 3 reaches the line labelled 3. (It once labelled the middle line round(max / 2): with 3
// at most, lines at 0, 2.5 and 5 read 0, 3 and 5, and 3 enrollments drew above the "3".)
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { axisTicks, barChart } from '../../src/console/charts.js';
import { useTestApp } from '../helpers/app.js';
import { signedIn } from './console-helpers.js';

/** The value axis of a rendered chart: each gridline's y and its label. */
function axisOf(svg: string): { y: number; label: number }[] {
  const axis = /<g class="axis">([\s\S]*?)<\/g>/.exec(svg)![1]!;
  return [
    ...axis.matchAll(/<line [^>]*y1="([\d.]+)" y2="([\d.]+)"><\/line>\s*<text [^>]*>([\d,]+)<\/text>/g),
  ].map((m) => {
    expect(m[1]).toBe(m[2]);
    return { y: Number(m[1]), label: Number(m[3]!.replace(/,/g, '')) };
  });
}

/** Where the top of each bar is, by its value. */
function barTops(svg: string): Map<number, number> {
  return new Map(
    [...svg.matchAll(/<rect class="bar" [^>]*data-value="(\d+)" [^>]*y="([\d.]+)"/g)].map((m) => [
      Number(m[1]),
      Number(m[2]),
    ]),
  );
}

const chart = (values: number[]) =>
  String(
    barChart({
      id: 'c',
      title: 'T',
      description: 'D',
      unit: 'tasks',
      keyLabel: 'Day',
      bars: values.map((value, i) => ({ label: `d${i}`, value })),
    }),
  );

describe('axisTicks', () => {
  it('gives whole, evenly spaced ticks from 0 to just over the highest value', () => {
    expect(axisTicks(3)).toEqual([0, 1, 2, 3]);
    expect(axisTicks(0)).toEqual([0, 1]);
    expect(axisTicks(1)).toEqual([0, 1]);
    expect(axisTicks(5)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(axisTicks(7)).toEqual([0, 2, 4, 6, 8]);
    expect(axisTicks(12)).toEqual([0, 5, 10, 15]);
    expect(axisTicks(100)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(axisTicks(1_234_567)).toEqual([0, 500_000, 1_000_000, 1_500_000]);
  });

  it('for any count: steps of 1, 2 or 5 × 10^n, at most 6 lines, the last the first at or above it (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2_000_000_000 }), (max) => {
        const ticks = axisTicks(max);
        const step = ticks[1]!;
        expect(ticks[0]).toBe(0);
        expect(Number.isInteger(step) && step >= 1).toBe(true);
        expect(/^[125]0*$/.test(String(step))).toBe(true);
        expect(ticks).toEqual(ticks.map((_, i) => i * step));
        expect(ticks.at(-1)!).toBeGreaterThanOrEqual(max);
        expect(ticks.at(-1)! - step).toBeLessThan(max);
        expect(ticks.length).toBeLessThanOrEqual(6);
      }),
    );
  });
});

describe('barChart', () => {
  it('draws each labelled gridline at the height of a bar of its value', () => {
    for (const values of [
      [0, 1, 2, 3],
      [1, 3],
      [7, 0, 2],
      [0, 5, 10, 15, 12],
      [250, 1_000, 1_234],
    ]) {
      const svg = chart(values);
      const axis = axisOf(svg);
      expect(axis.map((a) => a.label)).toEqual(axisTicks(Math.max(...values)));
      const base = axis[0]!.y;
      const top = axis.at(-1)!;
      for (const { y, label } of axis) {
        expect(y, `${values}: line ${label}`).toBeCloseTo(base + ((top.y - base) * label) / top.label, 1);
      }
      const tops = barTops(svg);
      for (const { y, label } of axis) {
        if (tops.has(label)) expect(tops.get(label), `${values}: bar of ${label}`).toBe(y);
      }
    }
  });

  it('with 3 at most, labels 0, 1, 2, 3 and the bar of 3 reaches the line labelled 3', () => {
    const svg = chart([1, 3, 2]);
    const axis = axisOf(svg);
    expect(axis.map((a) => a.label)).toEqual([0, 1, 2, 3]);
    expect(barTops(svg).get(3)).toBe(axis.find((a) => a.label === 3)!.y);
  });
});

describe("a promotion's page in the console", () => {
  const ctx = useTestApp();

  it('plots 3 enrollments of one day on an axis of 0, 1, 2, 3, the bar reaching the line labelled 3', async () => {
    const partner = await ctx.fixtures.partner();
    const promotion = await ctx.fixtures.promotion(partner.id);
    for (let i = 0; i < 3; i++) {
      const account = await ctx.fixtures.account();
      const token = await ctx.fixtures.userToken(partner.id, account.id);
      const res = await ctx.app.inject({
        method: 'POST',
        url: '/v2/promotions',
        headers: { authorization: `Bearer ${token}` },
        payload: { promotion_id: promotion },
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    const viewer = await signedIn(ctx, 'viewer');
    const page = await viewer.get(`/console/promotions/${promotion}`);
    expect(page.statusCode).toBe(200);
    const svg = /<figure class="chart" id="enrollments-per-day">[\s\S]*?<\/figure>/.exec(page.body)![0];
    const axis = axisOf(svg);
    expect(axis.map((a) => a.label)).toEqual([0, 1, 2, 3]);
    expect(barTops(svg).get(3)).toBe(axis.find((a) => a.label === 3)!.y);
  });
});
