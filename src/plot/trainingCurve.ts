/**
 * Training curves (loss, learning rate, validation metrics against step or epoch) as an SVG string.
 * @module
 */
import { check, checkPositive, fail } from '../core/errors';
import { attrs, esc, fmt, niceTicks, polylinePath, svgOpen, tickLabel } from './_internal/svg';
import { SERIES_COLORS } from './_internal/color';

/** One named curve: `y` values, optionally at `x` positions (default 0, 1, 2, ...). */
export interface TrainingSeries {
  /** Legend name, e.g. `'loss'`, `'val F1'`. */
  name: string;
  /** Values (`NaN` leaves a gap). */
  y: ArrayLike<number>;
  /** Positions (step, epoch); same length as `y`. Default: indices. */
  x?: ArrayLike<number>;
  /** CSS colour. Default: a colour-blind-safe palette in order. */
  color?: string;
}

/** Options of {@link plotTrainingCurve}. */
export interface PlotTrainingCurveOptions {
  /** Title above the plot. */
  title?: string;
  /** x-axis label. Default `'step'`. */
  xLabel?: string;
  /** y-axis label. Default `'loss'`. */
  yLabel?: string;
  /** Logarithmic y axis (non-positive values are skipped). Default `false`. */
  logY?: boolean;
  /** Exponential moving-average smoothing factor in [0, 1) drawn over the raw curve (0 = off). Default 0. */
  smoothing?: number;
  /** Size in px. Default 640 × 360. */
  width?: number;
  /** Size in px. Default 640 × 360. */
  height?: number;
}

const FN = 'plotTrainingCurve';

/**
 * Plots one or more training curves with axes, ticks and a legend.
 *
 * Accepts an array of {@link TrainingSeries} or an object of named value arrays
 * (`{ loss: [...], rhythmLoss: [...] }`), e.g. collected from the `onStep` callback of
 * `pretrainBeatSsl`. Each curve is a `<path class="series" data-name="loss">`; the legend sits above
 * the plot area (`<rect class="plot-area">`), never over the curves, and the y axis ends on
 * labelled ticks. Pure string output.
 *
 * @param series the curves.
 * @param options labels, log scale, smoothing, size; see {@link PlotTrainingCurveOptions}.
 * @returns an SVG document as a string.
 * @throws if there is no series, a series is empty, or `x` and `y` lengths differ.
 * @example
 * import { plotTrainingCurve } from 'beat-ssl/plot';
 * const svg = plotTrainingCurve({ loss: [2.1, 1.7, 1.4, 1.2], beatLoss: [1.0, 0.8, 0.7, 0.65] }, { xLabel: 'step' });
 */
export function plotTrainingCurve(series: readonly TrainingSeries[] | Readonly<Record<string, ArrayLike<number>>>, options: PlotTrainingCurveOptions = {}): string {
  const list = toSeries(series);
  const width = checkPositive(options.width ?? 640, FN, 'options.width', 'px');
  const height = checkPositive(options.height ?? 360, FN, 'options.height', 'px');
  const smoothing = options.smoothing ?? 0;
  check(typeof smoothing === 'number' && smoothing >= 0 && smoothing < 1, FN, 'options.smoothing', 'a number in [0, 1)', smoothing);
  const logY = options.logY ?? false;
  const ty = (v: number) => (logY ? (v > 0 ? Math.log10(v) : NaN) : v);

  let xlo = Infinity;
  let xhi = -Infinity;
  let ylo = Infinity;
  let yhi = -Infinity;
  for (const s of list) {
    for (let i = 0; i < s.y.length; i++) {
      const x = s.x ? s.x[i] : i;
      const y = ty(s.y[i]);
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      if (x < xlo) xlo = x;
      if (x > xhi) xhi = x;
      if (y < ylo) ylo = y;
      if (y > yhi) yhi = y;
    }
  }
  if (!(xlo <= xhi)) [xlo, xhi] = [0, 1];
  if (!(ylo <= yhi)) [ylo, yhi] = [0, 1];
  if (xlo === xhi) [xlo, xhi] = [xlo - 0.5, xhi + 0.5];
  if (ylo === yhi) [ylo, yhi] = [ylo - 0.5, yhi + 0.5];
  // The y range ends on labelled ticks (decades on a log axis), so the top and bottom edges are labelled.
  let yStep = 1;
  if (logY) {
    [ylo, yhi] = [Math.floor(ylo), Math.ceil(yhi)];
    if (ylo === yhi) yhi = ylo + 1;
  } else {
    const t = niceTicks(ylo, yhi, 5);
    const step = t.length > 1 ? t[1] - t[0] : (yhi - ylo) / 5;
    yStep = step;
    [ylo, yhi] = [Number((Math.floor(ylo / step + 1e-9) * step).toPrecision(12)), Number((Math.ceil(yhi / step - 1e-9) * step).toPrecision(12))];
  }

  // Legend above the plot area (never over the curves): entries left to right, wrapping.
  const entryW = list.map((s) => 34 + 6.5 * s.name.length);
  const plotLeft = 60;
  const avail = width - plotLeft - 16;
  const legendPos: { x: number; row: number }[] = [];
  let lx = 0;
  let row = 0;
  for (const w of entryW) {
    if (lx > 0 && lx + w > avail) [lx, row] = [0, row + 1];
    legendPos.push({ x: lx, row });
    lx += w;
  }
  const legendRows = row + 1;
  const titleH = options.title ? 26 : 8;
  const m = { l: plotLeft, r: 16, t: titleH + legendRows * 15 + 6, b: 44 };
  const pw = width - m.l - m.r;
  const ph = height - m.t - m.b;
  check(pw > 40 && ph > 40, FN, 'options.width/height', 'at least 120 × 110 px', [width, height]);
  const X = (x: number) => m.l + ((x - xlo) / (xhi - xlo)) * pw;
  const Y = (y: number) => m.t + ph - ((y - ylo) / (yhi - ylo)) * ph;

  const parts: string[] = [svgOpen(width, height, 1, 'beat-ssl-training-curve', options.title ?? 'training curve')];
  parts.push(`<rect${attrs({ x: 0, y: 0, width, height, fill: '#ffffff' })}/>`);
  if (options.title) parts.push(`<text${attrs({ class: 'title', x: m.l, y: 19, 'font-family': 'sans-serif', 'font-size': 14, fill: '#000000' })}>${esc(options.title)}</text>`);
  parts.push('<g class="axes">');
  for (const t of niceTicks(xlo, xhi, 6)) {
    parts.push(`<line${attrs({ x1: X(t), y1: m.t, x2: X(t), y2: m.t + ph, stroke: '#eeeeee' })}/>`);
    parts.push(`<text${attrs({ class: 'tick', x: X(t), y: m.t + ph + 14, 'font-family': 'sans-serif', 'font-size': 10, 'text-anchor': 'middle', fill: '#333333' })}>${tickLabel(t)}</text>`);
  }
  const yTicks = logY
    ? yhi - ylo <= 10
      ? Array.from({ length: yhi - ylo + 1 }, (_, i) => ylo + i) // every decade
      : niceTicks(ylo, yhi, 5).filter((t) => Number.isInteger(t))
    : Array.from({ length: Math.round((yhi - ylo) / yStep) + 1 }, (_, i) => Number((ylo + i * yStep).toPrecision(12)));
  for (const t of yTicks) {
    parts.push(`<line${attrs({ x1: m.l, y1: Y(t), x2: m.l + pw, y2: Y(t), stroke: '#eeeeee' })}/>`);
    parts.push(`<text${attrs({ class: 'tick', x: m.l - 6, y: Y(t) + 3.5, 'font-family': 'sans-serif', 'font-size': 10, 'text-anchor': 'end', fill: '#333333' })}>${logY ? tickLabel(Math.pow(10, t)) : tickLabel(t)}</text>`);
  }
  parts.push(`<rect${attrs({ class: 'plot-area', x: m.l, y: m.t, width: pw, height: ph, fill: 'none', stroke: '#666666' })}/>`);
  parts.push(`<text${attrs({ class: 'x-label', x: m.l + pw / 2, y: height - 8, 'font-family': 'sans-serif', 'font-size': 11, 'text-anchor': 'middle', fill: '#000000' })}>${esc(options.xLabel ?? 'step')}</text>`);
  parts.push(`<text${attrs({ class: 'y-label', x: 14, y: m.t + ph / 2, transform: `rotate(-90 14 ${fmt(m.t + ph / 2)})`, 'font-family': 'sans-serif', 'font-size': 11, 'text-anchor': 'middle', fill: '#000000' })}>${esc((options.yLabel ?? 'loss') + (logY ? ' (log)' : ''))}</text>`);
  parts.push('</g>');

  list.forEach((s, k) => {
    const color = s.color ?? SERIES_COLORS[k % SERIES_COLORS.length];
    const xs = (i: number) => X(s.x ? s.x[i] : i);
    parts.push(`<path${attrs({ class: 'series', 'data-name': s.name, d: polylinePath(s.y.length, xs, (i) => Y(ty(s.y[i]))), fill: 'none', stroke: color, 'stroke-width': 1.5, 'stroke-opacity': smoothing > 0 ? 0.35 : 1 })}/>`);
    if (smoothing > 0) {
      const sm = new Float64Array(s.y.length);
      let acc = NaN;
      for (let i = 0; i < s.y.length; i++) {
        const v = ty(s.y[i]);
        if (Number.isFinite(v)) acc = Number.isFinite(acc) ? smoothing * acc + (1 - smoothing) * v : v;
        sm[i] = Number.isFinite(v) ? acc : NaN;
      }
      parts.push(`<path${attrs({ class: 'series-smoothed', 'data-name': s.name, d: polylinePath(sm.length, xs, (i) => Y(sm[i])), fill: 'none', stroke: color, 'stroke-width': 2 })}/>`);
    }
  });
  parts.push('<g class="legend-box">');
  list.forEach((s, k) => {
    const color = s.color ?? SERIES_COLORS[k % SERIES_COLORS.length];
    const x0 = m.l + legendPos[k].x;
    const ly = titleH + 12 + legendPos[k].row * 15;
    parts.push(`<line${attrs({ class: 'legend', x1: x0, y1: ly - 4, x2: x0 + 16, y2: ly - 4, stroke: color, 'stroke-width': 2 })}/>`);
    parts.push(`<text${attrs({ class: 'legend-label', x: x0 + 21, y: ly, 'font-family': 'sans-serif', 'font-size': 11, fill: '#000000' })}>${esc(s.name)}</text>`);
  });
  parts.push('</g>');
  parts.push('</svg>');
  return parts.join('\n');
}

function toSeries(series: readonly TrainingSeries[] | Readonly<Record<string, ArrayLike<number>>>): TrainingSeries[] {
  let list: TrainingSeries[];
  if (Array.isArray(series)) list = [...series];
  else if (series && typeof series === 'object') list = Object.entries(series as Record<string, ArrayLike<number>>).map(([name, y]) => ({ name, y }));
  else return fail(FN, 'series', 'an array of { name, y, x? } or an object of named value arrays', series);
  check(list.length > 0, FN, 'series', 'at least one series', series);
  for (const s of list) {
    check(s != null && typeof s.name === 'string' && s.y != null && typeof s.y.length === 'number' && s.y.length > 0, FN, 'series', 'series with a name and a non-empty y array', s);
    if (s.x) check(s.x.length === s.y.length, FN, `series '${s.name}'.x`, `${s.y.length} values like y`, s.x.length);
  }
  return list;
}
