/**
 * R-peak detector speed on a 30-min 2-lead 360 Hz record (MIT-BIH 100 from examples/data, or a
 * synthetic record of the same size when absent): samples per second and × real time, offline and
 * streaming (1 s chunks).
 *
 *   npx tsx bench/rpeaks.ts        # prints JSON, writes bench/results/rpeaks.json
 *
 * `benchRPeaks()` returns the same JSON-able object (used by `npm run bench`).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { detectRPeaks } from '../src/beats/detect';
import { createRPeakStream } from '../src/beats/rpeakStream';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Result of {@link benchRPeaks}. */
export interface RPeaksBenchResult {
  name: 'rpeaks';
  record: string;
  fs: number;
  leads: number;
  durationSec: number;
  beats: number;
  repeats: number;
  offline: { medianMs: number; samplesPerSec: number; timesRealTime: number };
  offlineOneLead: { medianMs: number; samplesPerSec: number; timesRealTime: number };
  stream: { medianMs: number; samplesPerSec: number; timesRealTime: number; chunkSec: number };
}

async function loadSignals(): Promise<{ record: string; fs: number; signals: Float32Array[] }> {
  const base = join(root, 'examples/data/mitdb/100');
  if (existsSync(`${base}.dat`)) {
    const { readRecord } = await import('../src/io/readRecord');
    const rec = await readRecord(base);
    return { record: 'examples/data/mitdb/100', fs: rec.fs, signals: rec.signals };
  }
  const fs = 360;
  const n = 30 * 60 * fs;
  const s = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = (i / fs) % 0.8;
    s[i] = Math.exp(-0.5 * ((t - 0.3) / 0.01) ** 2) + 0.2 * Math.exp(-0.5 * ((t - 0.55) / 0.05) ** 2);
  }
  return { record: 'synthetic 75 bpm', fs, signals: [s, s.map((v) => -0.5 * v)] };
}

function median(x: number[]): number {
  const s = x.slice().sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** Measures the detector (median of `repeats` runs after one warm-up). */
export async function benchRPeaks(repeats = 5): Promise<RPeaksBenchResult> {
  const { record, fs, signals } = await loadSignals();
  const n = signals[0].length;
  const durationSec = n / fs;
  const time = (f: () => unknown) => {
    f();
    const t: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const t0 = performance.now();
      f();
      t.push(performance.now() - t0);
    }
    return median(t);
  };
  let beats = 0;
  const offMs = time(() => (beats = detectRPeaks(signals, fs).length));
  const oneMs = time(() => detectRPeaks(signals[0], fs));
  const chunk = Math.round(fs);
  const streamMs = time(() => {
    const s = createRPeakStream(fs);
    for (let i = 0; i < n; i += chunk) s.push(signals.map((x) => x.subarray(i, i + chunk)));
    s.flush();
  });
  const stats = (ms: number, leads: number) => ({
    medianMs: Math.round(ms * 10) / 10,
    samplesPerSec: Math.round((n * leads) / (ms / 1000)),
    timesRealTime: Math.round(durationSec / (ms / 1000)),
  });
  return {
    name: 'rpeaks',
    record,
    fs,
    leads: signals.length,
    durationSec,
    beats,
    repeats,
    offline: stats(offMs, signals.length),
    offlineOneLead: stats(oneMs, 1),
    stream: { ...stats(streamMs, signals.length), chunkSec: chunk / fs },
  };
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const r = await benchRPeaks();
  console.log(JSON.stringify(r, null, 1));
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  writeFileSync(join(root, 'bench/results/rpeaks.json'), JSON.stringify(r, null, 1));
}
