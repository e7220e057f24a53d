// The console's one template helper (CONTRACT §11): `html` escapes every interpolated value
// unless it is already Html (another template, or `raw` of a constant the code wrote). Arrays
// are joined; null, undefined and false render nothing, so `${cond && html`…`}` works.
import { escapeHtml } from '../http/html-escape.js';

/** Markup that is safe to emit as it is. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type Interpolation = Html | string | number | boolean | null | undefined | readonly Interpolation[];

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Html {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + (strings[i + 1] ?? '');
  return new Html(out);
}

/** Markup the code itself wrote (never user input). */
export const raw = (markup: string): Html => new Html(markup);

/** A URL with query parameters, the empty ones left out; escaped when interpolated like any string. */
export function href(path: string, query: Record<string, string | number | null | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}
