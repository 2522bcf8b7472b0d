// Loads the SciPy reference vectors written by scripts/signal-reference.py.
import { readFileSync } from 'node:fs';

const dir = new URL('../fixtures/signal/', import.meta.url);

export interface FilterCase {
  order: number;
  cutoffHz: number | [number, number];
  type: 'lowpass' | 'highpass' | 'bandpass' | 'bandstop';
  zeroPhase: boolean;
  y: number[];
}

export interface RecordFixture {
  name: string;
  fs: number;
  gain: number;
  baseline: number;
  adc: number[];
  filters: Record<string, FilterCase>;
  notch: { freqHz: number; q: number; y: number[] };
  medianBaseline: { windows: [number, number]; y: number[] };
  resample: Record<string, { up: number; down: number; y: number[] }>;
}

export interface DesignFixture {
  scipy: string;
  butter: { order: number; cutoffHz: number | [number, number]; type: FilterCase['type']; fs: number; sos: number[][]; zi: number[][] }[];
  notch: { freqHz: number; q: number; fs: number; b: number[]; a: number[] }[];
}

export function loadJson<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(name, dir), 'utf8')) as T;
}

/** Physical samples in mV, computed exactly as the generator did: (adc − baseline) / gain in float64. */
export function physical(rec: RecordFixture): Float64Array {
  return Float64Array.from(rec.adc, (d) => (d - rec.baseline) / rec.gain);
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

export const RECORDS = ['ludb1_ii.json', 'mitdb100_mlii.json'] as const;
