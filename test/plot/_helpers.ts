// Test helpers for beat-ssl/plot: a tiny XML well-formedness check, a minimal WFDB format-16
// reader for the embedded LUDB sample (independent of beat-ssl/io), and a synthetic record.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { EcgRecord } from '../../src/core/types';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** Throws if tags are unbalanced or an attribute value contains NaN/undefined. */
export function assertWellFormed(svg: string): void {
  if (!svg.startsWith('<svg')) throw new Error('does not start with <svg');
  if (/\s(?!data-)[\w:-]+="(NaN|undefined|Infinity|-Infinity)"/.test(svg) || /[ML]NaN/.test(svg)) throw new Error('NaN/undefined in an attribute');
  const stack: string[] = [];
  const re = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"]*")*)\s*(\/?)>/g;
  let m: RegExpExecArray | null;
  let last = 0;
  while ((m = re.exec(svg))) {
    const between = svg.slice(last, m.index);
    if (between.includes('<')) throw new Error(`malformed markup near: ${between.slice(between.indexOf('<'), between.indexOf('<') + 60)}`);
    last = re.lastIndex;
    const [, close, name, , self] = m;
    if (self) continue;
    if (close) {
      const top = stack.pop();
      if (top !== name) throw new Error(`</${name}> closes <${top}>`);
    } else stack.push(name);
  }
  if (stack.length) throw new Error(`unclosed: ${stack.join(', ')}`);
}

/** Counts elements whose opening tag matches `re`. */
export function count(svg: string, re: RegExp): number {
  return (svg.match(new RegExp(re.source, 'g')) ?? []).length;
}

/** Reads an embedded LUDB record (format 16, 12 leads, 500 Hz) without beat-ssl/io. */
export function readLudbSample(id: number): EcgRecord {
  const base = `${REPO}examples/data/ludb/${id}`;
  const lines = readFileSync(`${base}.hea`, 'utf8').split(/\r?\n/).filter((l) => l && !l.startsWith('#'));
  const [name, nsig, fs, n] = lines[0].split(/\s+/);
  const nSig = Number(nsig);
  const nSamp = Number(n);
  const dat = readFileSync(`${base}.dat`);
  const view = new DataView(dat.buffer, dat.byteOffset, dat.byteLength);
  const leads: string[] = [];
  const signals: Float32Array[] = [];
  for (let s = 0; s < nSig; s++) {
    const f = lines[1 + s].split(/\s+/);
    const gm = /^([\d.]+)\((-?\d+)\)/.exec(f[2])!;
    const gain = Number(gm[1]);
    const baseline = Number(gm[2]);
    const out = new Float32Array(nSamp);
    for (let i = 0; i < nSamp; i++) out[i] = (view.getInt16(2 * (i * nSig + s), true) - baseline) / gain;
    signals.push(out);
    leads.push(f[8]);
  }
  return { name, fs: Number(fs), leads, signals, units: leads.map(() => 'mV'), comments: [] };
}

/** A synthetic 12-lead record: Gaussian P/QRS/T beats every `rrSec` seconds. */
export function syntheticRecord(fs = 500, seconds = 10, rrSec = 0.8): { record: EcgRecord; peaks: number[] } {
  const n = Math.round(fs * seconds);
  const names = ['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'];
  const peaks: number[] = [];
  for (let t = 0.4; t < seconds - 0.4; t += rrSec) peaks.push(Math.round(t * fs));
  const signals = names.map((_, li) => {
    const a = 0.5 + 0.1 * li;
    const out = new Float32Array(n);
    for (const p of peaks) {
      for (let i = Math.max(0, p - fs); i < Math.min(n, p + fs); i++) {
        const t = (i - p) / fs;
        out[i] += 0.15 * Math.exp(-(((t + 0.18) / 0.025) ** 2)) + a * Math.exp(-((t / 0.012) ** 2)) + 0.3 * Math.exp(-(((t - 0.3) / 0.05) ** 2));
      }
    }
    return out;
  });
  return { record: { name: 'synthetic', fs, leads: names, signals, units: names.map(() => 'mV'), comments: [] }, peaks };
}
