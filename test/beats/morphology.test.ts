import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { beatWindows } from '../../src/beats/windows';
import { delineateBeats } from '../../src/beats/delineate';
import { BEAT_FEATURE_NAMES, beatFeatures } from '../../src/beats/beatFeatures';
import { classifyBeats } from '../../src/beats/classify';
import { ECG_FEATURE_DEFAULTS, ECG_FEATURE_NAMES, ecgFeatures } from '../../src/beats/ecgFeatures';
import { detectRPeaks } from '../../src/beats/detect';
import type { EcgRecord } from '../../src/core/types';
import { regularBeats, synthEcg, type SynthBeat } from './synth';

describe('beatWindows', () => {
  it('cuts [beats, time, leads] windows, zero outside the signal', () => {
    const a = Float32Array.from({ length: 100 }, (_, i) => i);
    const b = Float32Array.from({ length: 100 }, (_, i) => -i);
    const w = beatWindows([a, b], 10, [1, 50, 99], { preSec: 0.2, postSec: 0.3 });
    expect(w.shape).toEqual([3, 5, 2]);
    expect(Array.from(w.starts)).toEqual([-1, 48, 97]);
    // beat 0: samples -1..3 → [0, 0, 1, 2, 3]
    expect(Array.from({ length: 5 }, (_, i) => w.data[(0 * 5 + i) * 2])).toEqual([0, 0, 1, 2, 3]);
    expect(Array.from({ length: 5 }, (_, i) => w.data[(1 * 5 + i) * 2 + 1])).toEqual([-48, -49, -50, -51, -52]);
    expect(Array.from({ length: 5 }, (_, i) => w.data[(2 * 5 + i) * 2])).toEqual([97, 98, 99, 0, 0]);
    expect(beatWindows(a, 10, []).shape).toEqual([0, 8, 1]);
    expect(() => beatWindows(a, 10, [1.5])).toThrow(/Error in beatWindows: rPeaks\[0\] must be an integer/);
  });
});

describe('delineateBeats', () => {
  const fs = 500;
  const { signal, rPeaks } = synthEcg({ fs, durationSec: 10, beats: regularBeats(70, 10), noiseSd: 0.005 });
  it('finds P, QRS and T around every inner beat in order', () => {
    const waves = delineateBeats(signal, fs, rPeaks);
    const qrs = waves.filter((w) => w.type === 'QRS');
    expect(qrs).toHaveLength(rPeaks.length);
    for (const w of qrs) {
      const ms = ((w.offset - w.onset) / fs) * 1000;
      expect(ms).toBeGreaterThan(30);
      expect(ms).toBeLessThan(130);
      expect(w.onset).toBeLessThan(w.peak!);
      expect(w.offset).toBeGreaterThan(w.peak!);
    }
    const ps = waves.filter((w) => w.type === 'P');
    const ts = waves.filter((w) => w.type === 'T');
    expect(ps.length).toBeGreaterThanOrEqual(rPeaks.length - 1);
    expect(ts.length).toBeGreaterThanOrEqual(rPeaks.length - 1);
    // synthetic P peak at R − 180 ms, T peak at R + 280 ms
    for (const p of ps) expect(Math.min(...rPeaks.map((r) => Math.abs(r - 0.18 * fs - p.peak!)))).toBeLessThanOrEqual(0.02 * fs);
    for (const t of ts) expect(Math.min(...rPeaks.map((r) => Math.abs(r + 0.28 * fs - t.peak!)))).toBeLessThanOrEqual(0.03 * fs);
    for (let i = 1; i < waves.length; i++) expect(waves[i].onset).toBeGreaterThanOrEqual(waves[i - 1].onset);
  });
  it('handles no peaks and rejects bad peaks', () => {
    expect(delineateBeats(signal, fs, [])).toEqual([]);
    expect(() => delineateBeats(signal, fs, [10, 5])).toThrow(/Error in delineateBeats: rPeaks\[1\] must be an increasing integer/);
    expect(() => delineateBeats(signal, fs, [1e9])).toThrow(/rPeaks\[0\]/);
  });
});

describe('beatFeatures and classifyBeats', () => {
  const fs = 360;
  const beats: SynthBeat[] = [];
  const kinds: string[] = [];
  let t = 0.5;
  for (let i = 0; t < 59; i++) {
    const k = i % 7 === 3 ? 'V' : i % 11 === 6 ? 'S' : 'N';
    const rr = k === 'V' || k === 'S' ? 0.5 : 0.85;
    // premature beat: shorten the interval before it, lengthen the one after
    if (k !== 'N') t -= 0.85 - rr;
    beats.push({ t, kind: k === 'V' ? 'V' : 'N' });
    kinds.push(k);
    t += k !== 'N' ? 0.85 + (0.85 - rr) : 0.85;
  }
  const { signal, rPeaks } = synthEcg({ fs, durationSec: 60, beats, noiseSd: 0.01 });
  it('returns a NaN-free [beats, features] matrix', () => {
    const f = beatFeatures(signal, fs, rPeaks);
    expect(f.shape).toEqual([rPeaks.length, BEAT_FEATURE_NAMES.length]);
    expect(f.values.every((v) => Number.isFinite(v))).toBe(true);
    const c = BEAT_FEATURE_NAMES.indexOf('corr_median');
    const iV = kinds.indexOf('V');
    const iN = kinds.indexOf('N', 2);
    expect(f.values[iN * f.shape[1] + c]).toBeGreaterThan(0.95);
    expect(f.values[iV * f.shape[1] + c]).toBeLessThan(0.7);
  });
  it('labels ventricular, supraventricular and normal beats', () => {
    const cls = classifyBeats(signal, fs, rPeaks);
    expect(cls).toHaveLength(rPeaks.length);
    let ok = 0;
    cls.forEach((c, i) => (ok += c === kinds[i] ? 1 : 0));
    expect(ok / cls.length).toBeGreaterThan(0.95);
    kinds.forEach((k, i) => {
      if (k === 'V') expect(cls[i]).toBe('V');
    });
  });
  it('marks beats over missing samples as Q and handles empty input', () => {
    const x = signal.slice();
    for (let i = rPeaks[5] - 10; i < rPeaks[5] + 10; i++) x[i] = NaN;
    expect(classifyBeats(x, fs, rPeaks)[5]).toBe('Q');
    expect(classifyBeats(signal, fs, [])).toEqual([]);
    expect(beatFeatures(signal, fs, []).shape).toEqual([0, BEAT_FEATURE_NAMES.length]);
  });
});

describe('ecgFeatures', () => {
  it('gives the fixed named vector, never NaN, defaults when unmeasurable', () => {
    const fs = 500;
    const a = synthEcg({ fs, durationSec: 10, beats: regularBeats(60, 10), noiseSd: 0.005, seed: 1 });
    const rec: EcgRecord = { name: 's', fs, leads: ['I', 'II', 'V1'], signals: [a.signal.map((v) => 0.5 * v), a.signal, a.signal.map((v) => -0.7 * v)], units: ['mV', 'mV', 'mV'], comments: [] };
    const peaks = detectRPeaks(rec.signals, fs);
    const f = ecgFeatures(rec, peaks, delineateBeats(rec.signals, fs, peaks));
    expect(f.names).toEqual(ECG_FEATURE_NAMES);
    expect(f.values.every((v) => Number.isFinite(v))).toBe(true);
    const get = (k: (typeof ECG_FEATURE_NAMES)[number]) => f.values[ECG_FEATURE_NAMES.indexOf(k)];
    expect(get('hr_bpm')).toBeCloseTo(60, 0);
    expect(get('qrs_ms')).toBeGreaterThan(40);
    expect(get('qrs_ms')).toBeLessThan(130);
    expect(get('qt_ms')).toBeGreaterThan(250);
    expect(get('axis_deg')).toBeGreaterThan(0);
    expect(get('axis_deg')).toBeLessThan(90);
    expect(get('r_amp_limb_mv')).toBeGreaterThan(0.3);
    expect(get('s_amp_v12_mv')).toBeGreaterThan(0.3);
    expect(f.valid[ECG_FEATURE_NAMES.indexOf('r_amp_v34_mv')]).toBe(0);
    const empty = ecgFeatures(rec, [], []);
    expect(empty.valid.every((v) => v === 0)).toBe(true);
    expect(Array.from(empty.values)).toEqual(ECG_FEATURE_NAMES.map((k) => ECG_FEATURE_DEFAULTS[k]));
    expect(() => ecgFeatures({} as EcgRecord, [], [])).toThrow(/Error in ecgFeatures: record must be/);
  });
});

const ludb = 'examples/data/ludb/1';
if (!existsSync(`${ludb}.dat`)) console.warn('skipped: examples/data/ludb/1 absent');
describe.skipIf(!existsSync(`${ludb}.dat`))('delineation on the embedded LUDB sample', () => {
  it('QRS onsets/offsets match lead II annotations (F1 ≥ 0.9)', async () => {
    const { readRecord, readAnnotations } = await import('../../src/io/index');
    const { compareDelineation } = await import('../../src/metrics/delineation');
    const refs = [];
    const tests = [];
    const spans: [number, number][] = [];
    for (const r of [1, 2, 3, 4]) {
      const rec = await readRecord(`examples/data/ludb/${r}`);
      const anns = await readAnnotations(`examples/data/ludb/${r}.ii`);
      const waves = [];
      for (let i = 0; i + 2 < anns.length; i++) {
        if (anns[i].symbol === '(' && anns[i + 1].symbol === 'N' && anns[i + 2].symbol === ')') waves.push({ type: 'QRS', onset: anns[i].sample, offset: anns[i + 2].sample });
      }
      refs.push(waves);
      tests.push(delineateBeats(rec.signals, rec.fs, detectRPeaks(rec.signals, rec.fs)));
      spans.push([anns[0].sample, anns[anns.length - 1].sample]);
    }
    const s = compareDelineation(refs, tests, 500, { spans });
    expect(s.fiducials.QRS_onset.f1).toBeGreaterThan(0.9);
    expect(s.fiducials.QRS_offset.f1).toBeGreaterThan(0.9);
  });
});
