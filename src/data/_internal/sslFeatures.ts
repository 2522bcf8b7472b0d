/**
 * Interim record and beat features for the soft targets of pretraining, computed from the R-peaks
 * and the preprocessed signals only (documented in docs/data.md). Used when `beat-ssl/beats` does
 * not (yet) provide `ecgFeatures` / `beatFeatures` / `classifyBeats`.
 */

/** Names of the record features, in vector order (3 rhythm + 12 R + 12 S amplitudes). */
export const SSL_RECORD_FEATURES = ['hrBpm', 'sdnnMs', 'rmssdMs', ...Array.from({ length: 12 }, (_, l) => `rAmp${l}`), ...Array.from({ length: 12 }, (_, l) => `sAmp${l}`)];
/** Names of the beat features, in vector order. */
export const SSL_BEAT_FEATURES = ['rrPrevSec', 'rrNextSec', 'rrRatio', 'rAmpII', 'sAmpII', 'corrMedian', 'energyV1'];

function median(v: number[]): number {
  const s = v.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * @param signals per lead, preprocessed (standardised), same length
 * @param fs Hz
 * @param peaks R-peaks
 */
export function sslFeatures(signals: Float32Array[], fs: number, peaks: Int32Array): { record: Float32Array; beats: Float32Array; classes: Int8Array } {
  const L = signals.length;
  const T = signals[0].length;
  const n = peaks.length;
  const rr: number[] = [];
  for (let k = 1; k < n; k++) rr.push((peaks[k] - peaks[k - 1]) / fs);
  const medRR = median(rr);
  const hr = Number.isFinite(medRR) && medRR > 0 ? 60 / medRR : NaN;
  const meanRR = rr.length ? rr.reduce((a, b) => a + b, 0) / rr.length : NaN;
  const sdnn = rr.length > 1 ? Math.sqrt(rr.reduce((a, b) => a + (b - meanRR) ** 2, 0) / (rr.length - 1)) * 1000 : NaN;
  let sq = 0;
  for (let k = 1; k < rr.length; k++) sq += (rr[k] - rr[k - 1]) ** 2;
  const rmssd = rr.length > 1 ? Math.sqrt(sq / (rr.length - 1)) * 1000 : NaN;
  const w50 = Math.max(1, Math.round(0.05 * fs));
  const w80 = Math.max(1, Math.round(0.08 * fs));
  const rAmp = (l: number, p: number) => {
    let m = -Infinity;
    for (let t = Math.max(0, p - w50); t <= Math.min(T - 1, p + w50); t++) m = Math.max(m, signals[l][t]);
    return m;
  };
  const sAmp = (l: number, p: number) => {
    let m = Infinity;
    for (let t = p; t <= Math.min(T - 1, p + w80); t++) m = Math.min(m, signals[l][t]);
    return m;
  };
  const record = new Float32Array(SSL_RECORD_FEATURES.length).fill(NaN);
  record[0] = hr;
  record[1] = sdnn;
  record[2] = rmssd;
  for (let l = 0; l < Math.min(12, L); l++) {
    record[3 + l] = median(Array.from(peaks, (p) => rAmp(l, p)));
    record[15 + l] = median(Array.from(peaks, (p) => sAmp(l, p)));
  }
  // beats
  const lII = Math.min(1, L - 1);
  const lV1 = Math.min(6, L - 1);
  const pre = Math.round(0.2 * fs);
  const post = Math.round(0.4 * fs);
  const W = pre + post + 1;
  const windows: (Float32Array | null)[] = Array.from(peaks, (p) => {
    if (p - pre < 0 || p + post >= T) return null;
    return signals[lII].slice(p - pre, p + post + 1);
  });
  const med = new Float32Array(W);
  const valid = windows.filter((w): w is Float32Array => w !== null);
  for (let t = 0; t < W; t++) med[t] = median(valid.map((w) => w[t]));
  const corr = (a: Float32Array, b: Float32Array) => {
    let ma = 0;
    let mb = 0;
    for (let t = 0; t < W; t++) {
      ma += a[t] / W;
      mb += b[t] / W;
    }
    let sab = 0;
    let saa = 0;
    let sbb = 0;
    for (let t = 0; t < W; t++) {
      sab += (a[t] - ma) * (b[t] - mb);
      saa += (a[t] - ma) ** 2;
      sbb += (b[t] - mb) ** 2;
    }
    return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : NaN;
  };
  const D = SSL_BEAT_FEATURES.length;
  const beats = new Float32Array(n * D).fill(NaN);
  const classes = new Int8Array(n);
  for (let k = 0; k < n; k++) {
    const p = peaks[k];
    const rrPrev = k > 0 ? (p - peaks[k - 1]) / fs : NaN;
    const rrNext = k + 1 < n ? (peaks[k + 1] - p) / fs : NaN;
    const c = windows[k] && valid.length >= 2 ? corr(windows[k]!, med) : NaN;
    let e = 0;
    for (let t = Math.max(0, p - w50); t <= Math.min(T - 1, p + w50); t++) e += signals[lV1][t] ** 2;
    const row = [rrPrev, rrNext, rrPrev / rrNext, rAmp(lII, p), sAmp(lII, p), c, e / (2 * w50 + 1)];
    beats.set(row, k * D);
    const premature = Number.isFinite(rrPrev) && Number.isFinite(medRR) && rrPrev < 0.85 * medRR;
    classes[k] = Number.isFinite(c) && c < 0.7 ? 2 : premature ? 1 : Number.isFinite(c) || Number.isFinite(rrPrev) ? 0 : -1;
  }
  return { record, beats, classes };
}
