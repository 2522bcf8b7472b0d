/** Colour scales for the heatmaps (piecewise-linear between anchor colours). Private to `beat-ssl/plot`. */

const STOPS: Record<string, string[]> = {
  viridis: ['#440154', '#482475', '#414487', '#355f8d', '#2a788e', '#21918c', '#22a884', '#44bf70', '#7ad151', '#bddf26', '#fde725'],
  blues: ['#f7fbff', '#deebf7', '#c6dbef', '#9ecae1', '#6baed6', '#4292c6', '#2171b5', '#08519c', '#08306b'],
  diverging: ['#2166ac', '#4393c3', '#92c5de', '#d1e5f0', '#f7f7f7', '#fddbc7', '#f4a582', '#d6604d', '#b2182b'],
  grays: ['#ffffff', '#000000'],
};

/** Names of the built-in colour scales. */
export const COLOR_SCALE_NAMES = ['viridis', 'blues', 'diverging', 'grays'] as const;

function hexToRgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** Returns `t ∈ [0, 1] → '#rrggbb'` for a built-in scale name. */
export function namedScale(name: (typeof COLOR_SCALE_NAMES)[number]): (t: number) => string {
  const stops = STOPS[name].map(hexToRgb);
  return (t: number) => {
    if (!Number.isFinite(t)) return '#cccccc';
    const x = Math.min(1, Math.max(0, t)) * (stops.length - 1);
    const i = Math.min(stops.length - 2, Math.floor(x));
    const f = x - i;
    const a = stops[i];
    const b = stops[i + 1];
    let out = '#';
    for (let k = 0; k < 3; k++) out += Math.round(a[k] + (b[k] - a[k]) * f).toString(16).padStart(2, '0');
    return out;
  };
}

/** Black or white, whichever reads better on `hex` (for values printed inside cells). */
export function textColorOn(hex: string): string {
  const [r, g, b] = hexToRgb(hex.length === 7 ? hex : '#888888');
  return 0.299 * r + 0.587 * g + 0.114 * b > 140 ? '#000000' : '#ffffff';
}

/** Qualitative palette for line series (Okabe–Ito, colour-blind safe). */
export const SERIES_COLORS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#f0e442', '#000000'];
