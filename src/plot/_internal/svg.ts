/**
 * Small helpers shared by the SVG renderers: number formatting, escaping, element builders,
 * axis ticks. Private to `beat-ssl/plot`.
 */

/** Formats a coordinate with at most `digits` decimals and no trailing zeros (short SVGs). */
export function fmt(v: number, digits = 2): string {
  if (!Number.isFinite(v)) return '0';
  const s = v.toFixed(digits);
  if (s.indexOf('.') < 0) return s === '-0' ? '0' : s;
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48) end--; // '0'
  if (s.charCodeAt(end - 1) === 46) end--; // '.'
  const out = s.slice(0, end);
  return out === '-0' ? '0' : out;
}

/** Escapes text for use in SVG text content and attribute values. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));
}

/** Builds `name="value"` pairs, skipping undefined values. */
export function attrs(a: Record<string, string | number | undefined>): string {
  let out = '';
  for (const k of Object.keys(a)) {
    const v = a[k];
    if (v === undefined) continue;
    out += ` ${k}="${typeof v === 'number' ? fmt(v, 3) : esc(v)}"`;
  }
  return out;
}

/** Opening `<svg>` tag with a viewBox in user units and a display size in px. */
export function svgOpen(widthUnits: number, heightUnits: number, pxPerUnit: number, className: string, label: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg"` +
    attrs({
      class: className,
      width: Math.round(widthUnits * pxPerUnit),
      height: Math.round(heightUnits * pxPerUnit),
      viewBox: `0 0 ${fmt(widthUnits, 3)} ${fmt(heightUnits, 3)}`,
      role: 'img',
      'aria-label': label,
    }) +
    `><title>${esc(label)}</title>`
  );
}

/** "Nice" tick values covering [lo, hi] (about `count` of them), d3-style 1/2/5 steps. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  if (lo === hi) return [lo];
  if (lo > hi) [lo, hi] = [hi, lo];
  const raw = (hi - lo) / Math.max(1, count);
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const norm = raw / mag;
  const step = (norm >= 5 ? 10 : norm >= 2 ? 5 : norm >= 1 ? 2 : 1) * mag;
  const start = Math.ceil(lo / step - 1e-9);
  const stop = Math.floor(hi / step + 1e-9);
  const out: number[] = [];
  for (let i = start; i <= stop; i++) out.push(Number((i * step).toPrecision(12)));
  return out;
}

/** Short label for a tick value. */
export function tickLabel(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(1).replace('e+', 'e');
  return String(Number(v.toPrecision(4)));
}

/**
 * Path data for a polyline; `NaN` values break the line (a new `M`). `xs`/`ys` already in user units.
 */
export function polylinePath(n: number, x: (i: number) => number, y: (i: number) => number): string {
  const parts: string[] = [];
  let pen = false;
  for (let i = 0; i < n; i++) {
    const xv = x(i);
    const yv = y(i);
    if (!Number.isFinite(xv) || !Number.isFinite(yv)) {
      pen = false;
      continue;
    }
    parts.push((pen ? 'L' : 'M') + fmt(xv) + ' ' + fmt(yv));
    pen = true;
  }
  return parts.join('');
}

/** Median of the finite values in `[start, end)` (0 when there are none). */
export function finiteMedian(values: ArrayLike<number>, start = 0, end = values.length): number {
  const tmp: number[] = [];
  for (let i = start; i < end; i++) {
    const v = values[i];
    if (Number.isFinite(v)) tmp.push(v);
  }
  if (tmp.length === 0) return 0;
  tmp.sort((a, b) => a - b);
  const m = tmp.length >> 1;
  return tmp.length % 2 ? tmp[m] : (tmp[m - 1] + tmp[m]) / 2;
}
