// Charts drawn by the server as accessible SVG (CONTRACT §11): no script, no library. Each
// chart is an image with a <title> and a <desc> saying what it shows, every bar has its own
// <title> (a tooltip and a name for screen readers), and the same numbers follow as a table.
// Colours come from the stylesheet (classes), so the CSP needs no inline style.
import { type Html, html } from './html.js';

export interface Bar {
  label: string;
  value: number;
}

const WIDTH = 1100;
const HEIGHT = 240;
const PAD = { top: 12, right: 12, bottom: 28, left: 44 };

/** About this many intervals on the value axis; fewer when the values are small. */
const TARGET_INTERVALS = 5;

/**
 * The value axis of a chart of counts: gridlines at 0, step, 2·step, … up to the first multiple
 * of step at or above `max`, where step is a whole 1, 2 or 5 × 10^n chosen for about
 * TARGET_INTERVALS intervals — so every label is a whole number, the labels are evenly spaced,
 * and each line is drawn at the value it names (max 3: 0, 1, 2, 3; max 7: 0, 2, 4, 6, 8).
 */
export function axisTicks(max: number): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / TARGET_INTERVALS;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!);
  const count = Math.ceil(max / step);
  return Array.from({ length: count + 1 }, (_, i) => i * step);
}

const fmt = (n: number) => n.toLocaleString('en-US');

export function barChart(input: {
  id: string;
  title: string;
  description: string;
  bars: Bar[];
  /** What a value counts, for the table's header and the bars' titles. */
  unit: string;
  /** What a bar is, for the table's header (e.g. Day, Billing cycle). */
  keyLabel: string;
  /** Show every n-th label on the axis (long series). */
  labelEvery?: number;
}): Html {
  const { bars } = input;
  const ticks = axisTicks(Math.max(0, ...bars.map((b) => b.value)));
  const max = ticks.at(-1)!;
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = bars.length ? plotW / bars.length : plotW;
  const barW = Math.max(1, Math.min(48, slot * 0.7));
  const every = input.labelEvery ?? 1;
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const total = bars.reduce((sum, b) => sum + b.value, 0);
  return html`<figure class="chart" id="${input.id}">
<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${input.id}-title ${input.id}-desc" preserveAspectRatio="xMinYMin meet">
<title id="${input.id}-title">${input.title}</title>
<desc id="${input.id}-desc">${input.description} ${bars.length} bars, ${fmt(total)} ${input.unit} in all, the highest ${fmt(Math.max(0, ...bars.map((b) => b.value)))}.</desc>
<g class="axis">
${ticks.map(
  (
    t,
  ) => html`<line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}"></line>
<text x="${PAD.left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end">${fmt(t)}</text>`,
)}
</g>
<g class="bars">
${bars.map((b, i) => {
  const x = PAD.left + i * slot + (slot - barW) / 2;
  const top = y(b.value);
  return html`<rect class="bar" data-label="${b.label}" data-value="${b.value}" x="${x.toFixed(1)}" y="${top.toFixed(1)}" width="${barW.toFixed(1)}" height="${(PAD.top + plotH - top).toFixed(1)}"><title>${b.label}: ${fmt(b.value)} ${input.unit}</title></rect>`;
})}
</g>
<g class="labels">
${bars.map((b, i) =>
  i % every === 0
    ? html`<text x="${(PAD.left + i * slot + slot / 2).toFixed(1)}" y="${HEIGHT - 8}" text-anchor="middle">${b.label}</text>`
    : '',
)}
</g>
</svg>
<figcaption>${input.title}</figcaption>
<details>
<summary>The numbers as a table</summary>
<table class="compact">
<caption>${input.title}</caption>
<thead><tr><th scope="col">${input.keyLabel}</th><th scope="col" class="num">${input.unit}</th></tr></thead>
<tbody>${bars.map((b) => html`<tr><td>${b.label}</td><td class="num">${fmt(b.value)}</td></tr>`)}</tbody>
</table>
</details>
</figure>`;
}

/**
 * How much of a promotion's budget is spent: a bar and the numbers, or "no limit". The SVG is
 * a picture of the text beside it, named for screen readers.
 */
export function budgetBar(count: number, max: number | null): Html {
  if (max === null)
    return html`<span class="budget"><span class="budget-text">${fmt(count)} enrolled · no limit</span></span>`;
  const share = max === 0 ? 1 : Math.min(1, count / max);
  const percent = Math.round(share * 100);
  const level = share >= 1 ? 'full' : share >= 0.8 ? 'high' : 'ok';
  return html`<span class="budget"><svg class="budget-bar budget-${level}" viewBox="0 0 100 8" role="img" aria-label="${percent}% of the budget used"><rect class="track" x="0" y="0" width="100" height="8" rx="4"></rect><rect class="fill" x="0" y="0" width="${(share * 100).toFixed(1)}" height="8" rx="4"></rect></svg><span class="budget-text">${fmt(count)} of ${fmt(max)} (${percent}%)</span></span>`;
}
