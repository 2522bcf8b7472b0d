/**
 * Heatmaps of similarity / target matrices (e.g. the `[2N, 2N]` soft targets of the rhythm loss)
 * as an SVG string.
 * @module
 */
import { check, checkOneOf, checkPositive, fail } from '../core/errors';
import { attrs, esc, fmt, svgOpen, tickLabel } from './_internal/svg';
import { COLOR_SCALE_NAMES, namedScale, textColorOn } from './_internal/color';

/** A built-in colour scale name, or a function mapping `t ∈ [0, 1]` to a CSS colour. */
export type MatrixColorScale = 'viridis' | 'blues' | 'diverging' | 'grays' | ((t: number) => string);

/** A matrix as rows (`number[][]`, typed arrays) or as flat row-major data with its shape. */
export type MatrixInput = readonly ArrayLike<number>[] | { data: ArrayLike<number>; rows: number; cols: number };

/** Options of {@link plotMatrix}. */
export interface PlotMatrixOptions {
  /** Labels for rows and columns (one array for both when square), or `{ rows, cols }`. */
  labels?: readonly string[] | { rows?: readonly string[]; cols?: readonly string[] };
  /** Colour scale. Default `'viridis'` (`'diverging'` is centred on 0). */
  colorScale?: MatrixColorScale;
  /** Value range mapped to the scale's ends. Default: the data's min and max (symmetric about 0 for `'diverging'`). */
  domain?: readonly [number, number];
  /** Print each value in its cell. Default: when the matrix has at most 16 rows and columns. */
  showValues?: boolean;
  /** Side of one cell in px. Default: fits the matrix into about 480 px (between 4 and 40 px). */
  cellPx?: number;
  /** Title above the heatmap. */
  title?: string;
}

const FN = 'plotMatrix';

/**
 * Renders a matrix as a heatmap SVG with labels and a colour bar.
 *
 * Each cell is a `<rect class="cell" data-row="i" data-col="j" data-value="v">`; `NaN` cells are
 * light grey. Use it to inspect similarity matrices `z·zᵀ/τ`, soft-target matrices from
 * `softTargets`, confusion matrices, or attention maps. Pure string output, no DOM; for a tensor,
 * pass `await t.array()`.
 *
 * @param matrix rows of numbers (`[rows][cols]`) or `{ data, rows, cols }` in row-major order.
 * @param options labels, colour scale, domain; see {@link PlotMatrixOptions}.
 * @returns an SVG document as a string.
 * @throws if the matrix is empty or ragged, or an option is invalid.
 * @example
 * import { plotMatrix } from 'beat-ssl/plot';
 * const svg = plotMatrix([[1, 0.2], [0.2, 1]], { labels: ['view 1', 'view 2'], colorScale: 'blues' });
 */
export function plotMatrix(matrix: MatrixInput, options: PlotMatrixOptions = {}): string {
  const { rows, cols, get } = toMatrix(matrix);
  const scaleOpt = options.colorScale ?? 'viridis';
  const scale = typeof scaleOpt === 'function' ? scaleOpt : namedScale(checkOneOf(scaleOpt, COLOR_SCALE_NAMES, FN, 'options.colorScale'));
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) {
      const v = get(i, j);
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  if (!(lo <= hi)) {
    lo = 0;
    hi = 1;
  }
  if (options.domain) {
    const d = options.domain;
    check(Array.isArray(d) && d.length === 2 && Number.isFinite(d[0]) && Number.isFinite(d[1]) && d[0] < d[1], FN, 'options.domain', '[min, max] with min < max', d);
    [lo, hi] = d;
  } else if (scaleOpt === 'diverging') {
    const m = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
    lo = -m;
    hi = m;
  }
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const { rowLabels, colLabels } = toLabels(options.labels, rows, cols);
  const cell = options.cellPx !== undefined ? checkPositive(options.cellPx, FN, 'options.cellPx', 'px') : Math.max(4, Math.min(40, Math.floor(480 / Math.max(rows, cols))));
  const showValues = options.showValues ?? (rows <= 16 && cols <= 16);
  const maxLabel = Math.max(0, ...rowLabels.map((l) => l.length), ...colLabels.map((l) => l.length));
  const fontPx = Math.max(7, Math.min(12, cell * 0.6));
  const labelW = rowLabels.length ? Math.min(160, maxLabel * fontPx * 0.6 + 8) : 8;
  const labelH = colLabels.length ? Math.min(160, maxLabel * fontPx * 0.6 + 8) : 8;
  const titleH = options.title ? 24 : 6;
  const x0 = labelW;
  const y0 = titleH + labelH;
  const barW = 14;
  const width = x0 + cols * cell + 20 + barW + 50;
  const height = Math.max(y0 + rows * cell + 10, y0 + 120);

  const parts: string[] = [svgOpen(width, height, 1, 'beat-ssl-matrix', options.title ?? `matrix ${rows}×${cols}`)];
  parts.push(`<rect${attrs({ x: 0, y: 0, width, height, fill: '#ffffff' })}/>`);
  if (options.title) parts.push(`<text${attrs({ class: 'title', x: x0, y: 16, 'font-family': 'sans-serif', 'font-size': 13, fill: '#000000' })}>${esc(options.title)}</text>`);
  parts.push('<g class="cells">');
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = get(i, j);
      const color = Number.isFinite(v) ? scale((v - lo) / (hi - lo)) : '#dddddd';
      parts.push(`<rect${attrs({ class: 'cell', 'data-row': i, 'data-col': j, 'data-value': Number.isFinite(v) ? fmt(v, 4) : 'NaN', x: x0 + j * cell, y: y0 + i * cell, width: cell, height: cell, fill: color })}/>`);
      if (showValues && cell >= 14) {
        parts.push(`<text${attrs({ x: x0 + (j + 0.5) * cell, y: y0 + (i + 0.5) * cell + fontPx * 0.35, 'font-family': 'sans-serif', 'font-size': fontPx * 0.85, 'text-anchor': 'middle', fill: /^#[0-9a-f]{6}$/i.test(color) ? textColorOn(color) : '#000000' })}>${Number.isFinite(v) ? tickLabel(Number(v.toPrecision(2))) : '–'}</text>`);
      }
    }
  }
  parts.push('</g>');
  rowLabels.forEach((l, i) => parts.push(`<text${attrs({ class: 'row-label', x: x0 - 4, y: y0 + (i + 0.5) * cell + fontPx * 0.35, 'font-family': 'sans-serif', 'font-size': fontPx, 'text-anchor': 'end', fill: '#000000' })}>${esc(l)}</text>`));
  colLabels.forEach((l, j) => {
    const x = x0 + (j + 0.5) * cell + fontPx * 0.35;
    const y = y0 - 4;
    parts.push(`<text${attrs({ class: 'col-label', x, y, transform: `rotate(-60 ${fmt(x)} ${fmt(y)})`, 'font-family': 'sans-serif', 'font-size': fontPx, fill: '#000000' })}>${esc(l)}</text>`);
  });
  // Colour bar.
  const bx = x0 + cols * cell + 20;
  const bh = Math.max(100, rows * cell);
  const steps = 32;
  parts.push('<g class="colorbar">');
  for (let k = 0; k < steps; k++) {
    parts.push(`<rect${attrs({ x: bx, y: y0 + (bh * k) / steps, width: barW, height: bh / steps + 0.5, fill: scale(1 - (k + 0.5) / steps) })}/>`);
  }
  parts.push(`<text${attrs({ x: bx + barW + 4, y: y0 + 8, 'font-family': 'sans-serif', 'font-size': 10, fill: '#000000' })}>${tickLabel(Number(hi.toPrecision(3)))}</text>`);
  parts.push(`<text${attrs({ x: bx + barW + 4, y: y0 + bh, 'font-family': 'sans-serif', 'font-size': 10, fill: '#000000' })}>${tickLabel(Number(lo.toPrecision(3)))}</text>`);
  parts.push('</g>');
  parts.push('</svg>');
  return parts.join('\n');
}

function toMatrix(m: MatrixInput): { rows: number; cols: number; get: (i: number, j: number) => number } {
  if (Array.isArray(m)) {
    const rows = m.length;
    check(rows > 0, FN, 'matrix', 'a non-empty matrix', m);
    const cols = (m[0] as ArrayLike<number>)?.length;
    check(typeof cols === 'number' && cols > 0, FN, 'matrix', 'rows of numbers', m[0]);
    m.forEach((r, i) => check(r != null && (r as ArrayLike<number>).length === cols, FN, `matrix[${i}]`, `a row of ${cols} numbers like matrix[0]`, r));
    const rowsArr = m as readonly ArrayLike<number>[];
    return { rows, cols, get: (i, j) => Number(rowsArr[i][j]) };
  }
  if (m && typeof m === 'object' && 'data' in m) {
    const { data, rows, cols } = m;
    check(Number.isInteger(rows) && rows > 0 && Number.isInteger(cols) && cols > 0, FN, 'matrix', '{ data, rows, cols } with positive integer rows and cols', { rows, cols });
    check(data != null && data.length === rows * cols, FN, 'matrix.data', `${rows * cols} values (rows × cols)`, data?.length);
    return { rows, cols, get: (i, j) => Number(data[i * cols + j]) };
  }
  return fail(FN, 'matrix', 'an array of rows or { data, rows, cols }', m);
}

function toLabels(labels: PlotMatrixOptions['labels'], rows: number, cols: number): { rowLabels: string[]; colLabels: string[] } {
  if (!labels) return { rowLabels: [], colLabels: [] };
  if (Array.isArray(labels)) {
    check(labels.length === rows && rows === cols, FN, 'options.labels', `${rows} labels for a square ${rows}×${cols} matrix (or { rows, cols })`, labels.length);
    return { rowLabels: labels.map(String), colLabels: labels.map(String) };
  }
  const l = labels as { rows?: readonly string[]; cols?: readonly string[] };
  if (l.rows) check(l.rows.length === rows, FN, 'options.labels.rows', `${rows} labels`, l.rows.length);
  if (l.cols) check(l.cols.length === cols, FN, 'options.labels.cols', `${cols} labels`, l.cols.length);
  return { rowLabels: (l.rows ?? []).map(String), colLabels: (l.cols ?? []).map(String) };
}
