import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { formatHeader, parseHeader } from '../../src/io/header';
import { BeatSslError } from '../../src/core/errors';
import { EXAMPLES, text } from './helpers';

describe('parseHeader', () => {
  it('parses the MIT-BIH 100 header (CRLF) with WFDB defaults', () => {
    const h = parseHeader(text(join(EXAMPLES, 'mitdb/100.hea')));
    expect(h.name).toBe('100');
    expect(h.nSignals).toBe(2);
    expect(h.fs).toBe(360);
    expect(h.nSamples).toBe(650000);
    expect(h.segments).toBeUndefined();
    expect(h.signals[0]).toEqual({
      fileName: '100.dat', format: 212, samplesPerFrame: 1, skew: 0, byteOffset: 0, gain: 200, gainGiven: true,
      baseline: 1024, units: 'mV', adcResolution: 11, adcZero: 1024, initValue: 995, checksum: -22131, blockSize: 0, description: 'MLII',
    });
    expect(h.signals[1].description).toBe('V5');
    expect(h.comments).toEqual(['69 M 1085 1629 x1', 'Aldomet, Inderal']);
  });

  it('parses LUDB gain(baseline)/units and comments', () => {
    const h = parseHeader(text(join(EXAMPLES, 'ludb/1.hea')));
    expect(h.fs).toBe(500);
    expect(h.signals.map((s) => s.description)).toEqual(['i', 'ii', 'iii', 'avr', 'avl', 'avf', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6']);
    expect(h.signals[0]).toMatchObject({ gain: 1716, baseline: 6, units: 'mV', adcResolution: 16, adcZero: 0, initValue: -120, checksum: -32198 });
    expect(h.comments[0]).toBe('<age>: 51');
  });

  it('accepts LF, CRLF and CR line endings identically', () => {
    const lf = 'r1 2 250/360(5) 1000 10:20:30.5 01/02/2003\nr1.dat 16 100(3)/uV 12 2 7 99 0 lead one\n# c\nr1.dat 16\n';
    const a = parseHeader(lf);
    expect(parseHeader(lf.replace(/\n/g, '\r\n'))).toEqual(a);
    expect(parseHeader(lf.replace(/\n/g, '\r'))).toEqual(a);
    expect(a).toMatchObject({ fs: 250, counterFreq: 360, baseCounter: 5, nSamples: 1000, baseTime: '10:20:30.5', baseDate: '01/02/2003', comments: ['c'] });
    expect(a.signals[0]).toMatchObject({ gain: 100, baseline: 3, units: 'uV', adcResolution: 12, adcZero: 2, initValue: 7, checksum: 99, description: 'lead one' });
    // Defaults: gain 200 (uncalibrated), baseline = adczero = 0, units mV, initval = adczero, no checksum.
    expect(a.signals[1]).toMatchObject({ gain: 200, gainGiven: false, baseline: 0, units: 'mV', adcResolution: 16, adcZero: 0, initValue: 0, checksum: undefined, blockSize: 0, description: 'record r1, signal 1' });
  });

  it('ignores a UTF-8 byte-order mark; Latin-1 header bytes (µV as 0xB5) decode to µV', async () => {
    expect(parseHeader('\ufeffr 1 100 1\nr.dat 16\n').name).toBe('r');
    const { decodeHeaderText } = await import('../../src/io/_internal/text');
    const latin1 = Uint8Array.from([...'r 1 100 1\nr.dat 16 5/'].map((c) => c.charCodeAt(0)).concat([0xb5, 0x56, 0x0a]));
    expect(parseHeader(decodeHeaderText(latin1)).signals[0].units).toBe('\u00b5V');
    expect(decodeHeaderText(new TextEncoder().encode('x μV'))).toBe('x μV');
  });

  it('parses format suffixes x (samples per frame), : (skew), + (byte offset)', () => {
    const h = parseHeader('r 1 100\nr.dat 212x4:3+512 0 12 0\n');
    expect(h.fs).toBe(100);
    expect(h.nSamples).toBeUndefined();
    expect(h.signals[0]).toMatchObject({ format: 212, samplesPerFrame: 4, skew: 3, byteOffset: 512, gain: 200, gainGiven: false });
  });

  it('defaults fs to 250 Hz and the ADC resolution by format', () => {
    const h = parseHeader('r 3\na 310\nb 8\nc 24\n');
    expect(h.fs).toBe(250);
    expect(h.signals.map((s) => s.adcResolution)).toEqual([10, 8, 24]);
  });

  it('keeps baseline when given without units and a description with spaces and tabs', () => {
    const h = parseHeader('r 1 500 10\nr.dat 16 1000(-5) 16 0 0 0 0 Lead  II\tx\n');
    expect(h.signals[0]).toMatchObject({ baseline: -5, units: 'mV', description: 'Lead  II\tx' });
  });

  it('parses float gains and exponent notation', () => {
    const h = parseHeader('r 2 100 10\nr.dat 16 1000.0(0)/mV 16 0 -119 1508 0 I\nr.dat 16 2.5e3/mV\n');
    expect(h.signals[0].gain).toBe(1000);
    expect(h.signals[1].gain).toBe(2500);
  });

  it('detects multi-segment headers', () => {
    const h = parseHeader('multi/3 2 125 1500\nmulti_layout 0\nseg_1 1000\n~ 500\n# note\n');
    expect(h.segments).toEqual([{ name: 'multi_layout', nSamples: 0 }, { name: 'seg_1', nSamples: 1000 }, { name: '~', nSamples: 500 }]);
    expect(h.signals).toEqual([]);
    expect(h.comments).toEqual(['note']);
  });

  it('rejects malformed headers with BeatSslError naming the line', () => {
    const cases: [string, RegExp][] = [
      ['', /empty header/],
      ['# only a comment\n', /empty header/],
      ['r 2 360 10\nr.dat 16\n', /signal count must be 1 \(one per signal line that follows\), but got 2\./],
      ['r x 360\n', /number of signals must be an integer/],
      ['r 1 abc\nr.dat 16\n', /sampling frequency \(Hz\) must be a number/],
      ['r 1 -5\nr.dat 16\n', /sampling frequency must be positive|must be a number/],
      ['r 1 360\nr.dat 999\n', /line 2 \(signal 0\): format must be one of 0, 8, 16, 24, 32, 61, 80, 160, 212, 310, 311/],
      ['r 1 360\nr.dat 16 zz\n', /ADC gain must be a number/],
      ['r 1 360\nr.dat 16 200 16 0 1.5\n', /initial value must be an integer/],
      ['r 1 360 10 xx\nr.dat 16\n', /base time/],
      ['r/2 1 360\ns1 10\n', /segment count must be 1 \(one per segment line that follows\), but got 2\./],
    ];
    for (const [t, re] of cases) {
      let err: unknown;
      try {
        parseHeader(t);
      } catch (e) {
        err = e;
      }
      expect(err, JSON.stringify(t)).toBeInstanceOf(BeatSslError);
      expect((err as Error).message, JSON.stringify(t)).toMatch(re);
      expect((err as Error).message).toMatch(/^Error in parseHeader: /);
    }
  });
});

describe('formatHeader', () => {
  it('round-trips every embedded header through parse → format → parse', () => {
    for (const f of ['mitdb/100', 'ludb/1', 'ludb/8', 'ptbxl/records100/00000/00001_lr']) {
      const h = parseHeader(text(join(EXAMPLES, `${f}.hea`)));
      expect(parseHeader(formatHeader(h))).toEqual(h);
    }
  });
  it('round-trips record-line options and multi-segment headers', () => {
    for (const t of ['r 1 250/360(5) 100 10:20:30 01/02/2003\nr.dat 212x2:1+4 0 12 0 1 2 0 x y\n', 'm/2 2 125 1500\nlay 0\ns1 1500\n']) {
      const h = parseHeader(t);
      expect(parseHeader(formatHeader(h))).toEqual(h);
    }
  });
});
