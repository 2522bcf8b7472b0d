// EDF / EDF+ / BDF reading (issue 17 point 7): wfdb-python's EDF sample files (fixtures, MIT) and
// hand-made files. test_generator_2.edf and test_generator_2.dat hold the same samples (the .dat
// is edf2mit's conversion), so the EDF reader is checked against the WFDB reader sample by sample.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEdf, readEdf } from '../../src/io/edf';
import { readRecord } from '../../src/io/readRecord';
import { BeatSslError } from '../../src/core/errors';
import { FIXTURES } from './helpers';

const SD = join(FIXTURES, 'wfdb-python/sample-data');
const bytesOf = (f: string) => new Uint8Array(readFileSync(join(SD, f)));

/** A small EDF(+) file: `sigs` with samples per record and per-record int16 data. */
function makeEdf(opts: { sigs: { label: string; n: number; units?: string; phys?: [number, number]; dig?: [number, number] }[]; records: number[][][]; recordSec?: number; reserved?: string; tals?: string[] }): Uint8Array {
  const pad = (s: string, w: number) => s.padEnd(w, ' ').slice(0, w);
  const sigs = [...opts.sigs];
  const annN = opts.tals ? 30 : 0;
  if (opts.tals) sigs.push({ label: 'EDF Annotations', n: annN, phys: [-1, 1], dig: [-32768, 32767] });
  const ns = sigs.length;
  let h = pad('0', 8) + pad('pat', 80) + pad('rec', 80) + pad('01.02.03', 8) + pad('04.05.06', 8) + pad(String(256 * (ns + 1)), 8) + pad(opts.reserved ?? '', 44) + pad(String(opts.records.length), 8) + pad(String(opts.recordSec ?? 1), 8) + pad(String(ns), 4);
  const col = (f: (s: (typeof sigs)[number]) => string, w: number) => sigs.map((s) => pad(f(s), w)).join('');
  h += col((s) => s.label, 16) + col(() => '', 80) + col((s) => s.units ?? 'uV', 8) + col((s) => String((s.phys ?? [-3276.8, 3276.7])[0]), 8) + col((s) => String((s.phys ?? [-3276.8, 3276.7])[1]), 8);
  h += col((s) => String((s.dig ?? [-32768, 32767])[0]), 8) + col((s) => String((s.dig ?? [-32768, 32767])[1]), 8) + col(() => '', 80) + col((s) => String(s.n), 8) + col(() => '', 32);
  const recBytes = sigs.reduce((a, s) => a + 2 * s.n, 0);
  const out = new Uint8Array(h.length + recBytes * opts.records.length);
  for (let i = 0; i < h.length; i++) out[i] = h.charCodeAt(i);
  opts.records.forEach((rec, r) => {
    let p = h.length + r * recBytes;
    rec.forEach((vals) => {
      for (const v of vals) {
        out[p++] = v & 0xff;
        out[p++] = (v >> 8) & 0xff;
      }
    });
    if (opts.tals) {
      const t = opts.tals[r] ?? '';
      for (let i = 0; i < 2 * annN; i++) out[p++] = i < t.length ? t.charCodeAt(i) : 0;
    }
  });
  return out;
}

describe('parseEdf / readEdf', () => {
  it('EDF+ annotations of test_edfann.edf: 856 TALs (counted by an independent script), in order', async () => {
    const rec = await readEdf(join(SD, 'test_edfann.edf'));
    expect(rec.variant).toBe('EDF+C');
    expect(rec.leads).toEqual([]);
    expect(rec.annotations).toHaveLength(856);
    expect(rec.annotations.slice(0, 3)).toEqual([
      { onsetSec: 0, durationSec: 30, text: 'Sleep stage W' },
      { onsetSec: 30, durationSec: 30, text: 'Sleep stage W' },
      { onsetSec: 33.43, durationSec: 0, text: 'Lights off@@EEG F4-A1' },
    ]);
    expect(rec.annotations[855]).toEqual({ onsetSec: 25618.74, durationSec: 0, text: 'Lights on@@EEG Fpz-Cz' });
    expect(rec.annotations.filter((a) => a.text === 'Sleep stage N2')).toHaveLength(430);
  });

  it('test_generator_2: the EDF equals its WFDB conversion, digital sample for sample, physical within the baseline rounding', async () => {
    const edf = parseEdf(bytesOf('test_generator_2-first10.edf'), { digital: true });
    expect(edf.fs).toBe(200);
    expect(edf.leads).toEqual(['squarewave', 'ramp', 'pulse', 'ECG', 'noise', 'sine 1 Hz', 'sine 8 Hz', 'sine 8.5 Hz', 'sine 15 Hz', 'sine 17 Hz', 'sine 50 Hz']);
    expect(edf.signals.every((s) => s.length === 2000)).toBe(true);
    const wfdb = await readRecord(join(SD, 'test_generator_2'), { to: 10, digital: true, frames: 'expanded', channels: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10] });
    for (let i = 0; i < 11; i++) expect(Buffer.from(edf.signals[i].buffer).equals(Buffer.from(wfdb.signals[i].buffer)), edf.leads[i]).toBe(true);
    const p = parseEdf(bytesOf('test_generator_2-first10.edf'));
    const pw = await readRecord(join(SD, 'test_generator_2'), { to: 10, frames: 'expanded', channels: [3] });
    expect(p.units[3]).toBe('mV');
    expect(p.units[8]).toBe('°');
    let worst = 0;
    for (let t = 0; t < 2000; t++) worst = Math.max(worst, Math.abs(p.signals[3][t] - pw.signals[0][t]));
    expect(worst).toBeLessThan(2e-5); // edf2mit rounded the baseline −0.5 to 0: 0.5/32.7675 µV
    // A part, by name and seconds: only data records 2 and 3 are decoded.
    const part = parseEdf(bytesOf('test_generator_2-first10.edf'), { channels: ['ECG'], fromSec: 2.5, toSec: 3.5 });
    expect(Array.from(part.signals[0])).toEqual(Array.from(p.signals[3].subarray(500, 700)));
  });

  it('signals at different rates: getvec frame means by default, expanded on request', () => {
    const bytes = makeEdf({ sigs: [{ label: 'fast', n: 4 }, { label: 'slow', n: 2 }], records: [[[1, 2, 3, 5], [10, 20]], [[-1, -2, -4, -4], [30, 40]]] });
    const d = parseEdf(bytes, { digital: true });
    expect(d.fs).toBe(2);
    expect(Array.from(d.signals[0])).toEqual([1, 4, -1, -4]); // trunc((1+2)/2)=1, trunc(8/2)=4, trunc(-3/2)=-1
    expect(Array.from(d.signals[1])).toEqual([10, 20, 30, 40]);
    const e = parseEdf(bytes, { digital: true, frames: 'expanded' });
    expect(e.samplesPerFrame).toEqual([2, 1]);
    expect(Array.from(e.signals[0])).toEqual([1, 2, 3, 5, -1, -2, -4, -4]);
    const only = parseEdf(bytes, { channels: ['fast'], digital: true });
    expect(only.fs).toBe(4);
    const phys = parseEdf(bytes, { frames: 'mean' });
    expect(phys.signals[0][0]).toBeCloseTo(1.5 * 0.1 * 1e-3, 9); // 1.5 digital units of 0.1 µV
  });

  it('EDF+ TALs per data record; EDF+D gaps are refused', () => {
    const tal = (onset: number, extra = '') => `+${onset}\x14\x14\x00${extra}`;
    const ok = makeEdf({ sigs: [{ label: 'x', n: 2 }], records: [[[1, 2]], [[3, 4]]], reserved: 'EDF+C', tals: [tal(0, '+0.5\x150.2\x14beep\x14\x00'), tal(1)] });
    const r = parseEdf(ok);
    expect(r.annotations).toEqual([{ onsetSec: 0.5, durationSec: 0.2, text: 'beep' }]);
    const gap = makeEdf({ sigs: [{ label: 'x', n: 2 }], records: [[[1, 2]], [[3, 4]]], reserved: 'EDF+D', tals: [tal(0), tal(5)] });
    expect(() => parseEdf(gap)).toThrow(/EDF\+D with a gap \(data record 1 starts at 5 s, not 1 s\)/);
  });

  it('malformed, truncated and over-budget files are clear errors', async () => {
    const good = makeEdf({ sigs: [{ label: 'x', n: 2 }], records: [[[1, 2]], [[3, 4]]] });
    expect(() => parseEdf(good.subarray(0, good.length - 1))).toThrow(/must hold 2 data records of 4 bytes .* but it ends after/);
    const bad = good.slice();
    bad[0] = 0x39;
    expect(() => parseEdf(bad)).toThrow(/must be an EDF file \(version '0'\)/);
    const tiny = makeEdf({ sigs: [{ label: 'x', n: 2, phys: [0, 1e-300] }], records: [[[1, 2]]] });
    expect(() => parseEdf(tiny)).toThrow(/the gain .* must be in \[1e-12, 1000000000000\]/);
    expect(() => parseEdf(good, { maxSamples: 3 })).toThrow(/opts\.maxSamples must cover/);
    expect(() => parseEdf(good, { to: 5 })).toThrow(/must be at most the record's length 4 samples/);
    await expect(readEdf(join(SD, 'nope.edf'))).rejects.toThrow(BeatSslError);
    await expect(readEdf(join(SD, 'test_edfann.edf'), { bogus: 1 } as object)).rejects.toThrow(/unknown key 'bogus'/);
  });
});
