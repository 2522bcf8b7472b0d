import { describe, expect, it } from 'vitest';
import { plotEcg12 } from 'beat-ssl/plot';
import type { Wave } from '../../src/core/types';
import { assertWellFormed, count, readLudbSample, syntheticRecord } from './_helpers';

const panelLeads = (svg: string) => [...svg.matchAll(/<g class="lead" data-lead="([^"]+)"/g)].map((m) => m[1]);

describe('plotEcg12', () => {
  const rec = readLudbSample(1);

  it('draws the standard 3x4 layout with a lead II rhythm strip', () => {
    const svg = plotEcg12(rec);
    assertWellFormed(svg);
    expect(panelLeads(svg)).toEqual(['I', 'aVR', 'V1', 'V4', 'II', 'aVL', 'V2', 'V5', 'III', 'aVF', 'V3', 'V6']);
    expect(count(svg, /<g class="rhythm-strip" data-lead="II"/)).toBe(1);
    expect(count(svg, /class="trace"/)).toBe(13);
    expect(count(svg, /class="calibration"/)).toBe(4);
    expect(count(svg, /class="separator"/)).toBe(9); // 3 rows × 3 column boundaries
    expect(svg).toContain('25 mm/s · 10 mm/mV');
    // viewBox in mm: 10 mm margin + 250 mm of trace (10 s × 25 mm/s) rounded to 5 mm squares.
    expect(svg).toMatch(/viewBox="0 0 265 139"/);
    expect(svg).toMatch(/width="1060" height="556"/);
  });

  it('draws a millimetre grid with a major line every 5 mm', () => {
    const svg = plotEcg12(rec);
    const major = /class="grid-major" d="([^"]+)"/.exec(svg)![1];
    const minor = /class="grid-minor" d="([^"]+)"/.exec(svg)![1];
    const vMajor = [...major.matchAll(/M([\d.]+) [\d.]+V/g)].map((m) => Number(m[1]));
    const vMinor = [...minor.matchAll(/M([\d.]+) [\d.]+V/g)].map((m) => Number(m[1]));
    expect(vMajor.every((x) => x % 5 === 0)).toBe(true);
    expect(vMinor.every((x) => x % 5 !== 0 && Number.isInteger(x))).toBe(true);
    expect(vMajor.length + vMinor.length).toBe(266);
    expect(plotEcg12(rec, { grid: false })).not.toContain('grid-major');
  });

  it('places samples at 25 mm/s and 10 mm/mV', () => {
    const { record } = syntheticRecord(500, 10);
    // A flat record with one 1 mV step: the trace y must move by 10 mm.
    const flat = { ...record, signals: record.signals.map(() => new Float32Array(5000)) };
    flat.signals[1][2500] = 1;
    const svg = plotEcg12(flat, { layout: '12x1', leads: ['II'], center: 'none', calibration: false });
    const d = /class="trace" d="([^"]+)"/.exec(svg)![1];
    const pts = [...d.matchAll(/[ML]([\d.]+) ([\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(pts).toHaveLength(5000);
    expect(pts[0][0]).toBeCloseTo(10, 6); // left margin
    expect(pts[500][0] - pts[0][0]).toBeCloseTo(25, 6); // 1 s = 25 mm
    expect(pts[2499][1] - pts[2500][1]).toBeCloseTo(10, 6); // 1 mV = 10 mm
    // Custom paper speed and gain.
    const svg2 = plotEcg12(flat, { layout: '12x1', leads: ['II'], center: 'none', mmPerSec: 50, mmPerMv: 20 });
    const pts2 = [.../class="trace" d="([^"]+)"/.exec(svg2)![1].matchAll(/[ML]([\d.]+) ([\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(pts2[500][0] - pts2[0][0]).toBeCloseTo(50, 6);
    expect(pts2[2499][1] - pts2[2500][1]).toBeCloseTo(20, 6);
  });

  it('shades waves per panel and marks R-peaks', () => {
    const { record, peaks } = syntheticRecord(500, 10, 0.8);
    const waves: Wave[] = peaks.flatMap((p) => [
      { type: 'P' as const, onset: p - 110, offset: p - 70 },
      { type: 'QRS' as const, onset: p - 25, offset: p + 25 },
      { type: 'T' as const, onset: p + 100, offset: p + 200 },
    ]);
    const svg = plotEcg12(record, { waves, rPeaks: peaks });
    assertWellFormed(svg);
    // Every peak is marked once in its column's panel for each of 3 rows, and once on the rhythm strip.
    expect(count(svg, /<circle class="r-peak"/)).toBe(peaks.length * 4);
    // QRS rects: each QRS is inside exactly one column (none straddles a 2.5 s boundary here) → 3 rows + rhythm.
    const straddle = waves.filter((w) => w.type === 'QRS' && [1250, 2500, 3750].some((b) => w.onset < b && w.offset + 1 > b)).length;
    expect(count(svg, /class="wave wave-QRS"/)).toBe((peaks.length + straddle) * 4);
    expect(count(svg, /class="wave wave-P"/)).toBeGreaterThanOrEqual(peaks.length * 4);
    expect(count(svg, /class="wave wave-T"/)).toBeGreaterThanOrEqual(peaks.length * 4);
    expect(svg).toContain('R peak');
  });

  it('accepts per-lead waves keyed by (any spelling of) the lead name', () => {
    const svg = plotEcg12(rec, { waves: { ii: [{ type: 'QRS', onset: 100, offset: 150 }], V1: [{ type: 'T', onset: 2600, offset: 2700 }, { type: 'T', onset: 100, offset: 200 }] } });
    // QRS: the lead II panel (column 0) and the lead II rhythm strip. V1 is column 2 (5–7.5 s, samples
    // 2500–3750): only its first T falls inside.
    expect(count(svg, /wave-QRS/)).toBe(2);
    expect(count(svg, /wave-T"/)).toBe(1);
  });

  it('draws one row per lead in the 12x1 layout, for any lead set', () => {
    const svg = plotEcg12(rec, { layout: '12x1' });
    assertWellFormed(svg);
    expect(panelLeads(svg)).toEqual(['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6']);
    expect(count(svg, /rhythm-strip/)).toBe(0);
    const two = { ...rec, leads: ['MLII', 'V5'], signals: rec.signals.slice(0, 2) };
    const svg2 = plotEcg12(two, { layout: '12x1' });
    expect(panelLeads(svg2)).toEqual(['II', 'V5']);
    expect(() => plotEcg12(two)).toThrow("Error in plotEcg12: record.leads must be the 12 standard leads for layout '3x4' (missing I; use layout '12x1' for other lead sets)");
  });

  it('plots a window of a long record and breaks the trace at NaN samples', () => {
    const { record } = syntheticRecord(360, 60);
    record.signals[1].fill(NaN, 3600, 3700);
    const svg = plotEcg12(record, { layout: '12x1', leads: ['II'], startSec: 9, durationSec: 2 });
    const d = /class="trace" d="([^"]+)"/.exec(svg)![1];
    expect(count(d, /M/)).toBe(2);
    expect(svg).toContain('synthetic · 360 Hz · 9–11 s');
  });

  it('thins very high sampling rates to min/max per 0.1 mm', () => {
    const { record } = syntheticRecord(2000, 10);
    const svg = plotEcg12(record, { layout: '12x1', leads: ['II'] });
    const pts = count(/class="trace" d="([^"]+)"/.exec(svg)![1], /[ML]/);
    expect(pts).toBeLessThan(20000);
    expect(pts).toBeGreaterThan(2500);
  });

  it('rejects bad input with clear messages', () => {
    expect(() => plotEcg12(rec, { layout: '6x2' as never })).toThrow("Error in plotEcg12: options.layout must be one of '3x4', '12x1', but got \"6x2\".");
    expect(() => plotEcg12({ ...rec, fs: 0 })).toThrow('Error in plotEcg12: record.fs must be a finite positive number (Hz), but got 0.');
    expect(() => plotEcg12(rec, { mmPerSec: -1 })).toThrow('options.mmPerSec');
    expect(() => plotEcg12(rec, { startSec: 20 })).toThrow('options.startSec');
    expect(() => plotEcg12({ ...rec, leads: ['I'] })).toThrow('record.leads must be one name per signal (12)');
    expect(() => plotEcg12(rec, { layout: '12x1', leads: ['X9'] })).toThrow('options.leads');
    expect(() => plotEcg12(null as never)).toThrow('Error in plotEcg12: record');
  });

  it('escapes text and is deterministic', () => {
    const svg = plotEcg12({ ...rec, name: '<a&b>' });
    expect(svg).toContain('&lt;a&amp;b&gt;');
    expect(plotEcg12(rec)).toBe(plotEcg12(rec));
  });
});
