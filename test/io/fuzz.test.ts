// Fuzz tests: random mutations and truncations of real WFDB files must either decode to a
// structurally valid result or throw BeatSslError — never another error type, never hang.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { parseHeader } from '../../src/io/header';
import { parseRecord } from '../../src/io/record';
import { parseAnnotations } from '../../src/io/annotations';
import { BeatSslError } from '../../src/core/errors';
import { createRng, type Rng } from '../../src/core/rng';
import { bytes, EXAMPLES, REPO } from './helpers';
import { loadSeeds, runCase, type CaseResult } from './fuzzLib';

function mutate(src: Uint8Array, rng: Rng): Uint8Array {
  const kind = rng.int(6);
  if (src.length === 0) return new Uint8Array([rng.int(256)]);
  if (kind === 0) return src.slice(0, rng.int(src.length)); // truncation
  if (kind === 1) {
    // a few random byte flips
    const b = src.slice();
    const k = 1 + rng.int(4);
    for (let i = 0; i < k; i++) b[rng.int(b.length)] = rng.int(256);
    return b;
  }
  if (kind === 2) {
    // insert or delete a run of bytes
    const at = rng.int(src.length);
    const len = 1 + rng.int(8);
    if (rng.bernoulli(0.5)) return new Uint8Array([...src.subarray(0, at), ...src.subarray(Math.min(src.length, at + len))]);
    return new Uint8Array([...src.subarray(0, at), ...Array.from({ length: len }, () => rng.int(256)), ...src.subarray(at)]);
  }
  if (kind === 3) {
    // replace an ASCII digit with another digit (plausible but wrong numbers in headers)
    const b = src.slice();
    const digits = [...b.keys()].filter((i) => b[i] >= 48 && b[i] <= 57);
    for (let k = 0; k < 1 + rng.int(3) && digits.length; k++) b[digits[rng.int(digits.length)]] = 48 + rng.int(10);
    return b;
  }
  if (kind === 4) return Uint8Array.from({ length: rng.int(64) }, () => rng.int(256)); // pure garbage
  const b = src.slice();
  b[rng.int(b.length)] ^= 1 << rng.int(8); // single bit flip
  return b;
}

function expectBeatSslError(e: unknown, what: string) {
  if (!(e instanceof BeatSslError)) throw new Error(`${what}: expected BeatSslError, got ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('fuzz (seeded mutations of real files)', () => {
  it('parseHeader: valid header or BeatSslError', () => {
    const rng = createRng(20260101);
    const srcs = ['mitdb/100.hea', 'ludb/1.hea', 'ptbxl/records100/00000/00001_lr.hea'].map((f) => bytes(join(EXAMPLES, f)));
    let ok = 0;
    for (let it = 0; it < 1500; it++) {
      const m = mutate(srcs[it % srcs.length], rng);
      try {
        const h = parseHeader(text(m));
        expect(h.fs).toBeGreaterThan(0);
        expect(Number.isFinite(h.fs)).toBe(true);
        if (!h.segments) expect(h.signals.length).toBe(h.nSignals);
        for (const s of h.signals) {
          expect(Number.isFinite(s.gain) && s.gain !== 0).toBe(true);
          expect(Number.isInteger(s.baseline) && s.samplesPerFrame >= 1).toBe(true);
        }
        ok++;
      } catch (e) {
        expectBeatSslError(e, `header mutation ${it}`);
      }
    }
    expect(ok).toBeGreaterThan(100); // many mutations (e.g. in comments or digits) still parse
  });

  it('parseRecord: valid record or BeatSslError (header and data mutated)', () => {
    const rng = createRng(777);
    const recs = [
      { hea: 'ptbxl/records100/00000/00001_lr.hea', dat: 'ptbxl/records100/00000/00001_lr.dat', file: '00001_lr.dat' },
      { hea: 'ludb/2.hea', dat: 'ludb/2.dat', file: '2.dat' },
    ].map((r) => ({ hea: bytes(join(EXAMPLES, r.hea)), dat: bytes(join(EXAMPLES, r.dat)), file: r.file }));
    let ok = 0;
    let bad = 0;
    for (let it = 0; it < 300; it++) {
      const r = recs[it % recs.length];
      const which = rng.int(3);
      const hea = which !== 1 ? mutate(r.hea, rng) : r.hea;
      const dat = which !== 0 ? mutate(r.dat, rng) : r.dat;
      try {
        const rec = parseRecord({ header: text(hea), files: { [r.file]: dat } }, { checksum: rng.bernoulli(0.5) ? 'error' : 'ignore', onWarning: () => undefined });
        expect(rec.signals.length).toBe(rec.leads.length);
        expect(rec.units.length).toBe(rec.leads.length);
        expect(rec.fs).toBeGreaterThan(0);
        const n = rec.signals[0]?.length ?? 0;
        for (const s of rec.signals) {
          expect(s).toBeInstanceOf(Float32Array);
          expect(s.length).toBe(n);
        }
        ok++;
      } catch (e) {
        expectBeatSslError(e, `record mutation ${it}`);
        bad++;
      }
    }
    expect(ok).toBeGreaterThan(10);
    expect(bad).toBeGreaterThan(10);
  });

  it('checksums catch every single-bit flip of signal data', () => {
    const rng = createRng(5);
    const hea = text(bytes(join(EXAMPLES, 'ptbxl/records100/00000/00002_lr.hea')));
    const dat = bytes(join(EXAMPLES, 'ptbxl/records100/00000/00002_lr.dat'));
    for (let it = 0; it < 50; it++) {
      const b = dat.slice();
      b[rng.int(b.length)] ^= 1 << rng.int(8);
      expect(() => parseRecord({ header: hea, files: { '00002_lr.dat': b } })).toThrow(/must have the header's checksum/);
    }
  });

  it('parseAnnotations: valid annotations or BeatSslError', () => {
    const rng = createRng(99);
    const srcs = ['mitdb/100.atr', 'ludb/1.ii', 'ludb/3.v5'].map((f) => bytes(join(EXAMPLES, f)));
    let ok = 0;
    for (let it = 0; it < 1500; it++) {
      const m = mutate(srcs[it % srcs.length], rng);
      try {
        const anns = parseAnnotations(m, 'fuzz.atr');
        for (const a of anns) {
          if (!(Number.isSafeInteger(a.sample) && a.sample >= 0 && typeof a.symbol === 'string' && a.symbol.length > 0 && typeof a.aux === 'string')) throw new Error(`invalid annotation ${JSON.stringify(a)}`);
          if (!(a.chan >= 0 && a.chan <= 255 && a.num >= -128 && a.num <= 127 && a.subtype >= -128 && a.subtype <= 127)) throw new Error(`field out of range ${JSON.stringify(a)}`);
        }
        ok++;
      } catch (e) {
        expectBeatSslError(e, `annotation mutation ${it}`);
      }
    }
    expect(ok).toBeGreaterThan(100);
  });
});

// Every format, multi-segment records, annotations and on-the-fly encoded records, with the
// independent 16/212 decoder; bounded by cases and time (the long run is bench/fuzz-io.ts).
describe('fuzz: every format against the invariants and the reference decoder (test/io/fuzzLib.ts)', () => {
  // CI shares 2 cores with the other suites: a reader call over 5 s counts as a hang here; the
  // long run (docs/io.md) holds every call under 1 s on a quiet machine.
  it('seeded cases: no crash, no violation, no hang', async () => {
    const seeds = loadSeeds(REPO, { short: true });
    const results: CaseResult[] = [];
    for (let i = 0; i < 800; i++) results.push(await runCase(seeds, 900_000 + i)); // ~8 s; fixed count, so deterministic
    const bad = results.filter((r) => r.outcome === 'crash' || r.outcome === 'violation' || r.ms > 5000);
    expect(bad.map((r) => `${r.seed} ${r.outcome} ${r.ms.toFixed(0)} ms: ${r.detail}`)).toEqual([]);
        expect(results.filter((r) => r.outcome === 'ok').length).toBeGreaterThan(30);
    expect(results.filter((r) => r.outcome === 'library-error').length).toBeGreaterThan(30);
    expect(results.filter((r) => r.refChecked).length).toBeGreaterThan(5);
    const names = new Set(results.map((r) => r.seed.replace(/^\d+:/, '')));
    for (const f of ['encoded/8', 'encoded/212', 'encoded/310', 'encoded/311', 'encoded/24', 'encoded/32', 'wfdb-python/binformats.hea', 'wfdb-python/flacformats.hea', 'mitdb/100.atr', 'mitdb/100 (first 21600 frames)']) {
      expect(names.has(f), f).toBe(true);
    }
  }, 60_000);
});

