/**
 * Vectorcardiogram loops in the frontal, horizontal and sagittal planes as an SVG string.
 * @module
 */
import type { Wave } from '../core/types';
import { check, checkPositive, fail } from '../core/errors';
import { attrs, esc, niceTicks, polylinePath, svgOpen, tickLabel } from './_internal/svg';

/** A plane of the VCG: frontal (X, Y), horizontal (X, Z) or sagittal (Z, Y). */
export type VcgPlane = 'frontal' | 'horizontal' | 'sagittal';

/** The three VCG leads X, Y, Z in mV (equal lengths), as an object or a `[X, Y, Z]` array. */
export type VcgInput = { x: ArrayLike<number>; y: ArrayLike<number>; z: ArrayLike<number> } | readonly ArrayLike<number>[];

/** Options of {@link plotVcgLoops}. */
export interface PlotVcgLoopsOptions {
  /** Planes to draw, left to right. Default `['frontal', 'horizontal', 'sagittal']`. */
  planes?: readonly VcgPlane[];
  /** Sample range `[start, end)` to draw. Default: the whole signal. */
  range?: readonly [number, number];
  /** Colour the P, QRS and T parts of the loops using these waves (samples); the rest is grey. */
  waves?: readonly Wave[];
  /** Side of one plane's square panel in px. Default 240. */
  sizePx?: number;
  /** Half-width of the plotted amplitude range in mV. Default: the largest |value| drawn, rounded up. */
  limitMv?: number;
  /** Title above the panels. Default `'VCG loops'`. */
  title?: string;
}

const FN = 'plotVcgLoops';
const PLANE_AXES: Record<VcgPlane, { h: 0 | 1 | 2; v: 0 | 1 | 2; hName: string; vName: string }> = {
  frontal: { h: 0, v: 1, hName: 'X', vName: 'Y' },
  horizontal: { h: 0, v: 2, hName: 'X', vName: 'Z' },
  sagittal: { h: 2, v: 1, hName: 'Z', vName: 'Y' },
};
const WAVE_STROKE: Record<string, string> = { P: '#1f77b4', QRS: '#d62728', T: '#2ca02c' };

/**
 * Draws VCG loops (X, Y, Z in mV, e.g. from `ecgToVcg` in `beat-ssl/signal`) in up to three planes.
 *
 * Axes follow the Frank convention as displayed in clinical VCG: X to the right (patient's left),
 * Y downwards (inferior), Z downwards in the horizontal plane and to the right in the sagittal
 * plane. Every plane is a `<g class="vcg-plane" data-plane="frontal">`; with `waves`, each loop
 * part is a `<path class="loop loop-QRS">`. Pure string output, no DOM.
 *
 * @param vcg the three leads (equal lengths, mV).
 * @param options planes, range, wave colouring, size; see {@link PlotVcgLoopsOptions}.
 * @returns an SVG document as a string.
 * @throws if the leads are missing or of unequal length, or an option is invalid.
 * @example
 * import { plotVcgLoops } from 'beat-ssl/plot';
 * const t = Array.from({ length: 200 }, (_, i) => (2 * Math.PI * i) / 200);
 * const svg = plotVcgLoops({ x: t.map(Math.cos), y: t.map(Math.sin), z: t.map((a) => 0.3 * Math.sin(2 * a)) });
 */
export function plotVcgLoops(vcg: VcgInput, options: PlotVcgLoopsOptions = {}): string {
  const leads = toLeads(vcg);
  const n = leads[0].length;
  const planes: readonly VcgPlane[] = options.planes ?? ['frontal', 'horizontal', 'sagittal'];
  if (!validPlanes(planes)) fail(FN, 'options.planes', "an array of 'frontal', 'horizontal', 'sagittal'", planes);
  const [r0, r1] = options.range ?? [0, n];
  check(Number.isInteger(r0) && Number.isInteger(r1) && r0 >= 0 && r1 <= n && r1 - r0 >= 2, FN, 'options.range', `[start, end) sample indices within [0, ${n}] spanning ≥ 2 samples`, options.range);
  const size = checkPositive(options.sizePx ?? 240, FN, 'options.sizePx', 'px');
  let lim = options.limitMv;
  if (lim === undefined) {
    let m = 0;
    for (const l of leads) for (let i = r0; i < r1; i++) if (Math.abs(l[i]) > m) m = Math.abs(l[i]);
    lim = m > 0 ? niceCeil(m) : 1;
  } else checkPositive(lim, FN, 'options.limitMv', 'mV');
  const title = options.title ?? 'VCG loops';

  const pad = 28;
  const headerH = 26;
  const width = planes.length * (size + pad) + pad;
  const height = headerH + size + pad + 6;
  const parts: string[] = [svgOpen(width, height, 1, 'beat-ssl-vcg', title)];
  parts.push(`<rect${attrs({ x: 0, y: 0, width, height, fill: '#ffffff' })}/>`);
  parts.push(`<text${attrs({ class: 'title', x: pad, y: 17, 'font-family': 'sans-serif', 'font-size': 14, fill: '#000000' })}>${esc(title)}</text>`);

  // Sample → colour class.
  const cls = new Array<string>(n).fill('');
  for (const w of options.waves ?? []) for (let i = Math.max(r0, w.onset); i <= Math.min(r1 - 1, w.offset); i++) cls[i] = w.type;

  planes.forEach((plane, k) => {
    const ax = PLANE_AXES[plane];
    const x0 = pad + k * (size + pad);
    const y0 = headerH;
    const cx = x0 + size / 2;
    const cy = y0 + size / 2;
    const scale = size / 2 / (lim as number);
    const H = leads[ax.h];
    const V = leads[ax.v];
    parts.push(`<g${attrs({ class: 'vcg-plane', 'data-plane': plane })}>`);
    parts.push(`<rect${attrs({ class: 'frame', x: x0, y: y0, width: size, height: size, fill: '#fafafa', stroke: '#999999', 'stroke-width': 1 })}/>`);
    for (const t of niceTicks(-(lim as number), lim as number, 4)) {
      const o = t * scale;
      parts.push(`<line${attrs({ class: 'gridline', x1: cx + o, y1: y0, x2: cx + o, y2: y0 + size, stroke: t === 0 ? '#888888' : '#e3e3e3', 'stroke-width': 1 })}/>`);
      parts.push(`<line${attrs({ class: 'gridline', x1: x0, y1: cy + o, x2: x0 + size, y2: cy + o, stroke: t === 0 ? '#888888' : '#e3e3e3', 'stroke-width': 1 })}/>`);
      if (t > 0) parts.push(`<text${attrs({ x: cx + o, y: y0 + size + 12, 'font-family': 'sans-serif', 'font-size': 9, 'text-anchor': 'middle', fill: '#555555' })}>${tickLabel(t)}</text>`);
    }
    const X = (i: number) => cx + H[i] * scale;
    const Y = (i: number) => cy + V[i] * scale;
    if (options.waves) {
      // Split into runs of equal class.
      let s = r0;
      while (s < r1) {
        let e = s + 1;
        while (e < r1 && cls[e] === cls[s]) e++;
        const c = cls[s];
        const stop = Math.min(r1, e + 1);
        parts.push(`<path${attrs({ class: c ? `loop loop-${c}` : 'loop loop-none', d: polylinePath(stop - s, (i) => X(s + i), (i) => Y(s + i)), fill: 'none', stroke: c ? WAVE_STROKE[c] : '#9a9a9a', 'stroke-width': c ? 1.6 : 1, 'stroke-linejoin': 'round' })}/>`);
        s = e;
      }
    } else {
      parts.push(`<path${attrs({ class: 'loop', d: polylinePath(r1 - r0, (i) => X(r0 + i), (i) => Y(r0 + i)), fill: 'none', stroke: '#1f3a93', 'stroke-width': 1.2, 'stroke-linejoin': 'round' })}/>`);
    }
    parts.push(`<text${attrs({ class: 'plane-label', x: x0 + 4, y: y0 + 13, 'font-family': 'sans-serif', 'font-size': 11, 'font-weight': 'bold', fill: '#000000' })}>${esc(`${plane} (${ax.hName} → , ${ax.vName} ↓)`)}</text>`);
    parts.push('</g>');
  });
  parts.push(`<text${attrs({ x: width - pad, y: height - 4, 'font-family': 'sans-serif', 'font-size': 9, 'text-anchor': 'end', fill: '#555555' })}>mV</text>`);
  parts.push('</svg>');
  return parts.join('\n');
}

function toLeads(vcg: VcgInput): ArrayLike<number>[] {
  let leads: ArrayLike<number>[];
  if (Array.isArray(vcg)) leads = [...vcg];
  else if (vcg && typeof vcg === 'object' && 'x' in vcg && 'y' in vcg && 'z' in vcg) leads = [vcg.x, vcg.y, vcg.z];
  else return fail(FN, 'vcg', 'an object { x, y, z } or an array [X, Y, Z] of equal-length sample arrays (mV)', vcg);
  check(leads.length === 3, FN, 'vcg', 'three leads X, Y, Z', leads.length);
  for (const l of leads) check(l != null && typeof l.length === 'number' && l.length === leads[0].length && l.length >= 2, FN, 'vcg', 'three arrays of equal length (≥ 2 samples)', leads.map((x) => x?.length));
  return leads;
}

function validPlanes(planes: unknown): boolean {
  return Array.isArray(planes) && planes.length > 0 && planes.every((p) => typeof p === 'string' && p in PLANE_AXES);
}

function niceCeil(v: number): number {
  const mag = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * mag >= v) return m * mag;
  return 10 * mag;
}
