import { describe, expect, it } from 'vitest';
import { bytesForSamples, decodeStream, encodeStream, FORMAT_RANGE, isFlacFormat, samplesInBytes, WFDB_FORMATS } from '../../src/io/_internal/formats';
import { createRng } from '../../src/core/rng';

describe('WFDB signal formats (codec)', () => {
  it('decodes hand-made byte vectors of every packed format', () => {
    // 212: samples 0x123=291 and -1 (0xFFF) packed as [0x23, 0xF1, 0xFF].
    expect(Array.from(decodeStream(212, new Uint8Array([0x23, 0xf1, 0xff]), 0, 2))).toEqual([291, -1]);
    // 212 sign extension: 0x800 = -2048, 0x7FF = 2047.
    expect(Array.from(decodeStream(212, new Uint8Array([0x00, 0x78, 0xff]), 0, 2))).toEqual([-2048, 2047]);
    // 16 little endian, 61 big endian, 160 offset binary, 80 offset binary, 8 raw difference.
    expect(Array.from(decodeStream(16, new Uint8Array([0x01, 0x80, 0xff, 0x7f]), 0, 2))).toEqual([-32767, 32767]);
    expect(Array.from(decodeStream(61, new Uint8Array([0x80, 0x01, 0x7f, 0xff]), 0, 2))).toEqual([-32767, 32767]);
    expect(Array.from(decodeStream(160, new Uint8Array([0x00, 0x80, 0x00, 0x00]), 0, 2))).toEqual([0, -32768]);
    expect(Array.from(decodeStream(80, new Uint8Array([128, 0, 255]), 0, 3))).toEqual([0, -128, 127]);
    expect(Array.from(decodeStream(8, new Uint8Array([0xff, 0x05]), 0, 2))).toEqual([-1, 5]);
    // 24 and 32 little endian two's complement.
    expect(Array.from(decodeStream(24, new Uint8Array([0xff, 0xff, 0xff, 0x00, 0x00, 0x80]), 0, 2))).toEqual([-1, -8388608]);
    expect(Array.from(decodeStream(32, new Uint8Array([0xfe, 0xff, 0xff, 0xff]), 0, 1))).toEqual([-2]);
    // 311: a 32-bit LE word holding 3 × 10 bits: 1 | (-1 << 10) | (-512 << 20).
    const w = (1 | (0x3ff << 10) | (0x200 << 20)) >>> 0;
    expect(Array.from(decodeStream(311, new Uint8Array([w & 255, (w >>> 8) & 255, (w >>> 16) & 255, w >>> 24]), 0, 3))).toEqual([1, -1, -512]);
    // 310: two LE 16-bit words; sample k in bits 1–10 of word k, sample 2 split over their bits 11–15.
    const s0 = 5, s1 = -3 & 0x3ff, s2 = 300;
    const w0 = (s0 << 1) | ((s2 & 0x1f) << 11);
    const w1 = (s1 << 1) | ((s2 >> 5) << 11);
    expect(Array.from(decodeStream(310, new Uint8Array([w0 & 255, w0 >> 8, w1 & 255, w1 >> 8]), 0, 3))).toEqual([5, -3, 300]);
  });

  it('encode → decode is the identity for random streams of every format and length', () => {
    const rng = createRng(7);
    for (const f of WFDB_FORMATS.filter((x) => x !== 0 && !isFlacFormat(x)) as Exclude<(typeof WFDB_FORMATS)[number], 0 | 508 | 516 | 524>[]) {
      const { min, max } = FORMAT_RANGE[f];
      const lo = f === 8 ? -128 : min;
      const hi = f === 8 ? 127 : max;
      for (const n of [0, 1, 2, 3, 4, 5, 7, 100, 101]) {
        const x = new Int32Array(n);
        for (let i = 0; i < n; i++) x[i] = lo + Math.floor(rng.next() * (hi - lo + 1));
        if (n > 1) {
          x[0] = lo;
          x[1] = hi;
        }
        const b = encodeStream(f, x);
        expect(b.length).toBeGreaterThanOrEqual(bytesForSamples(f, n));
        expect(samplesInBytes(f, bytesForSamples(f, n))).toBeGreaterThanOrEqual(n);
        expect(bytesForSamples(f, samplesInBytes(f, bytesForSamples(f, n)))).toBe(bytesForSamples(f, n));
        expect(Array.from(decodeStream(f, b, 0, n)), `format ${f}, n ${n}`).toEqual(Array.from(x));
      }
    }
  });

  it('bytesForSamples/samplesInBytes agree with the packed layouts', () => {
    expect([1, 2, 3, 4].map((n) => bytesForSamples(212, n))).toEqual([2, 3, 5, 6]);
    expect([1, 2, 3, 4].map((n) => bytesForSamples(310, n))).toEqual([2, 4, 4, 6]);
    expect([1, 2, 3, 4].map((n) => bytesForSamples(311, n))).toEqual([2, 3, 4, 6]);
    expect(samplesInBytes(212, 1_950_000)).toBe(1_300_000);
    expect(samplesInBytes(212, 4)).toBe(2);
  });
});
