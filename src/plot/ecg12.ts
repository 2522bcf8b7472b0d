/**
 * The 12-lead ECG printout as an SVG string: standard 3×4 layout with a rhythm strip or one row
 * per lead, millimetre grid, calibration pulses, P/QRS/T shading and R-peak marks.
 * @module
 */
import type { EcgRecord, Wave } from '../core/types';
import { check, checkFs, checkOneOf, checkPositive, fail } from '../core/errors';
import { attrs, esc, fmt, finiteMedian, polylinePath, svgOpen } from './_internal/svg';
import { CANONICAL_LEADS, canonicalLeadName, findLead } from '../core/leads';

/** Layouts of {@link plotEcg12}: `'3x4'` (standard: 3 rows × 4 columns of 2.5 s + rhythm strip) or `'12x1'` (one full-length row per lead). */
export type Ecg12Layout = '3x4' | '12x1';

/** Options of {@link plotEcg12}. Lengths on paper are in millimetres. */
export interface PlotEcg12Options {
  /** `'3x4'` (default; needs the 12 standard leads) or `'12x1'` (any leads, one row each). */
  layout?: Ecg12Layout;
  /**
   * Waves to shade (P, QRS, T; sample indices at `record.fs`). An array applies to every lead
   * (record-level segmentation); an object keyed by lead name (`{ II: [...], V1: [...] }`) shades
   * each lead with its own waves (e.g. LUDB per-lead annotations).
   */
  waves?: readonly Wave[] | Readonly<Record<string, readonly Wave[]>>;
  /** R-peak sample indices at `record.fs`, marked with a dot on every trace. */
  rPeaks?: ArrayLike<number>;
  /** Paper speed in mm/s. Default 25. */
  mmPerSec?: number;
  /** Gain in mm/mV. Default 10. */
  mmPerMv?: number;
  /** Draw the millimetre grid (1 mm minor, 5 mm major lines). Default `true`. */
  grid?: boolean;
  /** Start of the plotted window in seconds. Default 0. */
  startSec?: number;
  /** Length of the plotted window in seconds (clamped to the record). Default 10. */
  durationSec?: number;
  /** Lead of the full-length rhythm strip under the 3×4 grid; `null` for none. Default `'II'`. */
  rhythmLead?: string | null;
  /** Leads to draw in the `'12x1'` layout, in order. Default: the 12 standard leads in canonical order when present, else all leads of the record. */
  leads?: readonly string[];
  /** Height of one row in mm. Default 30 (3 mV at 10 mm/mV). */
  rowHeightMm?: number;
  /** Screen pixels per millimetre for the SVG's `width`/`height` (the viewBox is in mm). Default 4. */
  pxPerMm?: number;
  /** Subtract each lead's median over the window so traces sit on their baseline (`'median'`, default) or draw raw values (`'none'`). */
  center?: 'median' | 'none';
  /** Draw a 1 mV × 0.2 s calibration pulse at the start of each row. Default `true`. */
  calibration?: boolean;
  /** Title line. Default: the record name, sampling rate and window. */
  title?: string;
}

const WAVE_FILL: Record<string, string> = { P: '#1f77b4', QRS: '#d62728', T: '#2ca02c' };
/** Fill of samples covered by waves of two types at once. */
const OVERLAP_FILL = '#7f7f7f';

/** Sorted, merged union of half-open sample spans. */
function mergeSpans(spans: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const [a, b] of spans.slice().sort((x, y) => x[0] - y[0])) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** `[a, b)` minus the merged spans `cut`, as a list of half-open spans. */
function subtractSpans([a, b]: [number, number], cut: readonly [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  let from = a;
  for (const [c, d] of cut) {
    if (d <= from || c >= b) continue;
    if (c > from) out.push([from, c]);
    from = Math.max(from, d);
  }
  if (from < b) out.push([from, b]);
  return out;
}
const LAYOUT_3X4: readonly (readonly string[])[] = [
  ['I', 'aVR', 'V1', 'V4'],
  ['II', 'aVL', 'V2', 'V5'],
  ['III', 'aVF', 'V3', 'V6'],
];

interface Panel {
  lead: number;
  name: string;
  row: number;
  x: number;
  y: number;
  width: number;
  height: number;
  s0: number;
  s1: number;
  rhythm: boolean;
}

const FN = 'plotEcg12';

/**
 * Renders a 12-lead (or any multi-lead) ECG as a standard paper-style SVG string.
 *
 * Pure string output (no DOM, no Node APIs): write it to a `.svg` file, or put it into a page with
 * `element.innerHTML = svg`. The `viewBox` is in millimetres of paper, so at the defaults
 * (25 mm/s, 10 mm/mV) one small grid square is 40 ms × 0.1 mV and one large square 200 ms × 0.5 mV.
 * Every lead panel is a `<g class="lead" data-lead="II">` (the rhythm strip is
 * `<g class="rhythm-strip" data-lead="II">`), with `data-x/y/width/height` giving its box in mm;
 * waves are `<rect class="wave wave-QRS">` (samples where two wave types overlap are one grey
 * `<rect class="wave-overlap">`, explained in the legend, not a blend of two colours), R-peaks `<circle class="r-peak">`.
 *
 * @param record the ECG: `signals[lead][sample]` in mV at `record.fs` Hz.
 * @param options layout, overlays, paper scale; see {@link PlotEcg12Options}.
 * @returns an SVG document as a string.
 * @throws if the record is malformed, an option is out of range, or the `'3x4'` layout is asked
 *   for a record without the 12 standard leads (the error names the missing lead).
 * @example
 * import { readRecord } from 'beat-ssl/io';
 * import { plotEcg12 } from 'beat-ssl/plot';
 * import { writeFile } from 'node:fs/promises';
 * const rec = await readRecord('examples/data/ludb/1');
 * await writeFile('ecg.svg', plotEcg12(rec, { layout: '3x4' }));
 */
export function plotEcg12(record: EcgRecord, options: PlotEcg12Options = {}): string {
  checkRecord(record);
  const layout = checkOneOf(options.layout ?? '3x4', ['3x4', '12x1'] as const, FN, 'options.layout');
  const mmPerSec = checkPositive(options.mmPerSec ?? 25, FN, 'options.mmPerSec', 'mm/s');
  const mmPerMv = checkPositive(options.mmPerMv ?? 10, FN, 'options.mmPerMv', 'mm/mV');
  const rowH = checkPositive(options.rowHeightMm ?? 30, FN, 'options.rowHeightMm', 'mm');
  const pxPerMm = checkPositive(options.pxPerMm ?? 4, FN, 'options.pxPerMm', 'px/mm');
  const center = checkOneOf(options.center ?? 'median', ['median', 'none'] as const, FN, 'options.center');
  const grid = options.grid ?? true;
  const calibration = options.calibration ?? true;
  const fs = record.fs;
  const n = record.signals[0].length;
  const recordSec = n / fs;
  const startSec = options.startSec ?? 0;
  check(typeof startSec === 'number' && startSec >= 0 && startSec < recordSec, FN, 'options.startSec', `a number in [0, ${fmt(recordSec, 3)}) (s)`, startSec);
  const durationSec = Math.min(checkPositive(options.durationSec ?? 10, FN, 'options.durationSec', 's'), recordSec - startSec);
  const start = Math.round(startSec * fs);
  const end = Math.min(n, start + Math.max(1, Math.round(durationSec * fs)));
  const traceW = ((end - start) / fs) * mmPerSec;

  // Panels.
  const marginL = 10;
  const headerH = 10;
  const footerH = 9;
  const panels: Panel[] = [];
  if (layout === '3x4') {
    const cols = 4;
    for (let r = 0; r < 3; r++) {
      for (let c = 0; c < cols; c++) {
        const name = LAYOUT_3X4[r][c];
        const lead = findLead(record.leads, name);
        if (lead < 0) fail(FN, 'record.leads', `the 12 standard leads for layout '3x4' (missing ${name}; use layout '12x1' for other lead sets)`, record.leads);
        const s0 = start + Math.round(((end - start) * c) / cols);
        const s1 = start + Math.round(((end - start) * (c + 1)) / cols);
        panels.push({ lead, name, row: r, x: marginL + ((s0 - start) / fs) * mmPerSec, y: headerH + r * rowH, width: ((s1 - s0) / fs) * mmPerSec, height: rowH, s0, s1, rhythm: false });
      }
    }
    if (options.rhythmLead !== null) {
      const name = options.rhythmLead ?? 'II';
      const lead = findLead(record.leads, name);
      if (lead < 0) fail(FN, 'options.rhythmLead', `a lead of the record (${record.leads.join(', ')}) or null`, name);
      panels.push({ lead, name: canonicalLeadName(name), row: 3, x: marginL, y: headerH + 3 * rowH, width: traceW, height: rowH, s0: start, s1: end, rhythm: true });
    }
  } else {
    let names: string[];
    if (options.leads) {
      check(Array.isArray(options.leads) && options.leads.length > 0, FN, 'options.leads', 'a non-empty array of lead names', options.leads);
      names = [...options.leads];
    } else if (CANONICAL_LEADS.every((l) => findLead(record.leads, l) >= 0)) {
      names = [...CANONICAL_LEADS];
    } else {
      names = [...record.leads];
    }
    names.forEach((name, r) => {
      const lead = findLead(record.leads, name);
      if (lead < 0) fail(FN, 'options.leads', `lead names of the record (${record.leads.join(', ')})`, name);
      panels.push({ lead, name: canonicalLeadName(name), row: r, x: marginL, y: headerH + r * rowH, width: traceW, height: rowH, s0: start, s1: end, rhythm: false });
    });
  }
  const rows = panels.reduce((m, p) => Math.max(m, p.row + 1), 0);
  // Paper sized to whole 5 mm squares.
  const width = Math.ceil((marginL + traceW + 5) / 5) * 5;
  const gridH = rows * rowH;
  const height = headerH + gridH + footerH;

  const title =
    options.title ?? `${record.name || 'ECG'} · ${fmt(fs, 3)} Hz · ${fmt(startSec, 2)}–${fmt(startSec + (end - start) / fs, 2)} s`;
  const parts: string[] = [];
  parts.push(svgOpen(width, height, pxPerMm, 'beat-ssl-ecg12', title));
  parts.push(`<rect${attrs({ class: 'paper', x: 0, y: 0, width, height, fill: '#ffffff' })}/>`);
  if (grid) parts.push(gridPaths(0, headerH, width, gridH));
  parts.push(
    `<text${attrs({ class: 'title', x: marginL, y: 6.5, 'font-family': 'sans-serif', 'font-size': 4, fill: '#000000' })}>${esc(title)}</text>`,
  );

  // Per-lead baselines (median over the whole window, so columns of one lead line up).
  const offsets = new Map<number, number>();
  const offsetOf = (lead: number) => {
    if (center === 'none') return 0;
    let o = offsets.get(lead);
    if (o === undefined) {
      o = finiteMedian(record.signals[lead], start, end);
      offsets.set(lead, o);
    }
    return o;
  };

  const peaks = options.rPeaks ? toSortedInts(options.rPeaks, 'options.rPeaks') : null;
  let anyOverlap = false;
  for (const p of panels) {
    const baseY = p.y + p.height * 0.6;
    const sig = record.signals[p.lead];
    const off = offsetOf(p.lead);
    const cls = p.rhythm ? 'rhythm-strip' : 'lead';
    parts.push(`<g${attrs({ class: cls, 'data-lead': p.name, 'data-x': p.x, 'data-y': p.y, 'data-width': p.width, 'data-height': p.height })}>`);
    // Waves: shaded bands over the panel's height.
    // Where waves of different types overlap (e.g. a network's T onset before a rule-based QRS
    // offset), the overlap is drawn once in grey (class wave-overlap, explained in the legend)
    // instead of blending two colours into an unexplained band.
    const waves = wavesFor(options.waves, record.leads[p.lead], p.name);
    const visible = waves.map((w) => ({ type: w.type, a: Math.max(w.onset, p.s0), b: Math.min(w.offset + 1, p.s1) })).filter((w) => w.b > w.a);
    const overlaps = mergeSpans(visible.flatMap((w, i) => visible.slice(i + 1).filter((v) => v.type !== w.type && v.a < w.b && w.a < v.b).map((v) => [Math.max(w.a, v.a), Math.min(w.b, v.b)] as [number, number])));
    if (overlaps.length) anyOverlap = true;
    const band = (cls: string, a: number, b: number, fill: string) =>
      parts.push(`<rect${attrs({ class: cls, x: p.x + ((a - p.s0) / fs) * mmPerSec, y: p.y + 1, width: ((b - a) / fs) * mmPerSec, height: p.height - 2, fill, 'fill-opacity': 0.2 })}/>`);
    for (const w of visible) {
      for (const [a, b] of subtractSpans([w.a, w.b], overlaps)) band(`wave wave-${w.type}`, a, b, WAVE_FILL[w.type] ?? '#7f7f7f');
    }
    for (const [a, b] of overlaps) band('wave-overlap', a, b, OVERLAP_FILL);
    // Trace, one extra sample so adjacent columns touch.
    const last = Math.min(p.s1 + (p.rhythm || p.s1 >= end ? 0 : 1), n);
    parts.push(`<path${attrs({ class: 'trace', d: tracePath(sig, p.s0, last, fs, mmPerSec, mmPerMv, p.x, baseY, off), fill: 'none', stroke: '#000000', 'stroke-width': 0.3, 'stroke-linejoin': 'round', 'stroke-linecap': 'round' })}/>`);
    // Column separator (standard printouts mark where a lead switches).
    if (!p.rhythm && p.s0 > start) {
      parts.push(`<line${attrs({ class: 'separator', x1: p.x, y1: baseY - 5, x2: p.x, y2: baseY + 5, stroke: '#000000', 'stroke-width': 0.4 })}/>`);
    }
    if (peaks) {
      for (let k = lowerBound(peaks, p.s0); k < peaks.length && peaks[k] < p.s1; k++) {
        const s = peaks[k];
        const v = sig[s];
        const x = p.x + ((s - p.s0) / fs) * mmPerSec;
        const y = Number.isFinite(v) ? baseY - (v - off) * mmPerMv : p.y + 2;
        parts.push(`<circle${attrs({ class: 'r-peak', cx: x, cy: y, r: 0.7, fill: '#d62728', 'fill-opacity': 0.85 })}/>`);
      }
    }
    parts.push(`<text${attrs({ class: 'lead-label', x: p.x + (p.s0 > start ? 1.5 : 1), y: p.y + 5, 'font-family': 'sans-serif', 'font-size': 3.5, 'font-weight': 'bold', fill: '#000000' })}>${esc(p.name)}</text>`);
    parts.push('</g>');
  }
  // Calibration pulses (1 mV high, 0.2 s wide) in the left margin of each row.
  if (calibration) {
    for (let r = 0; r < rows; r++) {
      const baseY = headerH + r * rowH + rowH * 0.6;
      const x0 = 2;
      const w = 0.2 * mmPerSec;
      const h = mmPerMv;
      const d = `M${fmt(x0)} ${fmt(baseY)}L${fmt(x0 + 1)} ${fmt(baseY)}L${fmt(x0 + 1)} ${fmt(baseY - h)}L${fmt(x0 + 1 + w)} ${fmt(baseY - h)}L${fmt(x0 + 1 + w)} ${fmt(baseY)}L${fmt(marginL)} ${fmt(baseY)}`;
      parts.push(`<path${attrs({ class: 'calibration', d, fill: 'none', stroke: '#000000', 'stroke-width': 0.3 })}/>`);
    }
  }
  // Footer: scale and legend.
  const fy = headerH + gridH + 6;
  parts.push(`<text${attrs({ class: 'scale', x: marginL, y: fy, 'font-family': 'sans-serif', 'font-size': 3.2, fill: '#000000' })}>${esc(`${fmt(mmPerSec)} mm/s · ${fmt(mmPerMv)} mm/mV · grid 1 mm / 5 mm`)}</text>`);
  let legendEnd = marginL + 80;
  const hasWaves = Boolean(options.waves) && (Array.isArray(options.waves) ? options.waves.length > 0 : Object.keys(options.waves as object).length > 0);
  if (hasWaves) {
    let lx = marginL + 80;
    const entries: [string, string, number][] = [['P', WAVE_FILL.P, 16], ['QRS', WAVE_FILL.QRS, 16], ['T', WAVE_FILL.T, 16]];
    if (anyOverlap) entries.push(['two wave types overlap', OVERLAP_FILL, 44]);
    for (const [label, fill, w] of entries) {
      parts.push(`<rect${attrs({ class: 'legend', x: lx, y: fy - 3, width: 4, height: 3.5, fill, 'fill-opacity': 0.35 })}/>`);
      parts.push(`<text${attrs({ class: 'legend-label', x: lx + 5, y: fy, 'font-family': 'sans-serif', 'font-size': 3.2, fill: '#000000' })}>${label}</text>`);
      lx += w;
    }
    legendEnd = lx;
  }
  if (peaks && peaks.length > 0) {
    const lx = hasWaves ? legendEnd + 4 : marginL + 80;
    parts.push(`<circle${attrs({ class: 'legend', cx: lx + 1, cy: fy - 1.1, r: 0.9, fill: '#d62728' })}/>`);
    parts.push(`<text${attrs({ x: lx + 3, y: fy, 'font-family': 'sans-serif', 'font-size': 3.2, fill: '#000000' })}>R peak</text>`);
  }
  parts.push('</svg>');
  return parts.join('\n');
}

function checkRecord(record: EcgRecord): void {
  check(typeof record === 'object' && record !== null && Array.isArray(record.signals), FN, 'record', 'an EcgRecord ({ fs, leads, signals, ... })', record);
  checkFs(record.fs, FN, 'record.fs');
  check(record.signals.length > 0, FN, 'record.signals', 'at least one lead', record.signals);
  check(Array.isArray(record.leads) && record.leads.length === record.signals.length, FN, 'record.leads', `one name per signal (${record.signals.length})`, record.leads);
  const n = record.signals[0]?.length;
  for (let i = 0; i < record.signals.length; i++) {
    const s = record.signals[i];
    check(ArrayBuffer.isView(s) || Array.isArray(s), FN, `record.signals[${i}]`, 'a Float32Array', s);
    check(s.length === n && n > 0, FN, `record.signals[${i}]`, `${n} samples like signals[0] (non-empty)`, s.length);
  }
}

function wavesFor(waves: PlotEcg12Options['waves'], rawName: string, name: string): readonly Wave[] {
  if (!waves) return [];
  if (Array.isArray(waves)) return waves as readonly Wave[];
  const byLead = waves as Readonly<Record<string, readonly Wave[]>>;
  if (byLead[rawName]) return byLead[rawName];
  if (byLead[name]) return byLead[name];
  for (const k of Object.keys(byLead)) if (canonicalLeadName(k) === name) return byLead[k];
  return [];
}

function toSortedInts(values: ArrayLike<number>, arg: string): Int32Array {
  check(values != null && typeof values.length === 'number', FN, arg, 'an array of sample indices', values);
  const out = Int32Array.from(values as ArrayLike<number>, (v) => Math.round(v));
  out.sort();
  return out;
}

function lowerBound(a: Int32Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Trace path; above 10 samples per paper-mm it keeps min and max per 0.1 mm bucket. */
function tracePath(sig: ArrayLike<number>, s0: number, s1: number, fs: number, mmPerSec: number, mmPerMv: number, x0: number, baseY: number, off: number): string {
  const perMm = fs / mmPerSec;
  const bucket = Math.floor(perMm / 10);
  const X = (s: number) => x0 + ((s - s0) / fs) * mmPerSec;
  const Y = (v: number) => baseY - (v - off) * mmPerMv;
  if (bucket <= 2) return polylinePath(s1 - s0, (i) => X(s0 + i), (i) => Y(sig[s0 + i]));
  const idx: number[] = [];
  for (let b = s0; b < s1; b += bucket) {
    const e = Math.min(s1, b + bucket);
    let lo = -1;
    let hi = -1;
    for (let s = b; s < e; s++) {
      const v = sig[s];
      if (!Number.isFinite(v)) continue;
      if (lo < 0 || v < sig[lo]) lo = s;
      if (hi < 0 || v > sig[hi]) hi = s;
    }
    if (lo < 0) idx.push(b);
    else if (lo === hi) idx.push(lo);
    else idx.push(Math.min(lo, hi), Math.max(lo, hi));
  }
  return polylinePath(idx.length, (i) => X(idx[i]), (i) => Y(sig[idx[i]]));
}

/** Millimetre grid: minor lines every 1 mm, major every 5 mm, as two paths. */
function gridPaths(x0: number, y0: number, w: number, h: number): string {
  let minor = '';
  let major = '';
  for (let i = 0; i <= Math.floor(w); i++) {
    const seg = `M${fmt(x0 + i)} ${fmt(y0)}V${fmt(y0 + h)}`;
    if (i % 5 === 0) major += seg;
    else minor += seg;
  }
  for (let j = 0; j <= Math.floor(h); j++) {
    const seg = `M${fmt(x0)} ${fmt(y0 + j)}H${fmt(x0 + w)}`;
    if (j % 5 === 0) major += seg;
    else minor += seg;
  }
  return (
    `<g class="grid">` +
    `<path${attrs({ class: 'grid-minor', d: minor, stroke: '#f5c2c2', 'stroke-width': 0.1, fill: 'none' })}/>` +
    `<path${attrs({ class: 'grid-major', d: major, stroke: '#e57f7f', 'stroke-width': 0.25, fill: 'none' })}/>` +
    `</g>`
  );
}
