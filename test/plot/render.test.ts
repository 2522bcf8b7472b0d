// Renders the SVGs in real headless Chromium (Debian `chromium`), decodes the screenshot and checks
// that the image is not blank and that every expected lead panel has ink in it.
import { describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { plotEcg12, plotMatrix, plotTrainingCurve, plotVcgLoops } from 'beat-ssl/plot';
import type { Wave } from '../../src/core/types';
import { CHROMIUM, hasChromium, renderSvgToPng } from './_chromium';
import { decodePng, type DecodedPng } from './_png';
import { readLudbSample, syntheticRecord } from './_helpers';

if (!hasChromium) console.warn(`skipped: ${CHROMIUM} absent (apt-get install -y chromium) — plot render tests need headless Chromium`);

const OUT = join(tmpdir(), 'beat-ssl-plot-render'); // PNGs kept for a human look

interface Box {
  lead: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

function panelBoxes(svg: string, cls = 'lead'): Box[] {
  const re = new RegExp(`<g class="${cls}" data-lead="([^"]+)" data-x="([\\d.]+)" data-y="([\\d.]+)" data-width="([\\d.]+)" data-height="([\\d.]+)"`, 'g');
  return [...svg.matchAll(re)].map((m) => ({ lead: m[1], x: +m[2], y: +m[3], width: +m[4], height: +m[5] }));
}

/** Dark (trace-coloured) pixels inside a box given in mm, skipping the label corner. */
function inkIn(img: DecodedPng, b: Box, pxPerMm: number): number {
  const x0 = Math.round((b.x + 2) * pxPerMm);
  const x1 = Math.round((b.x + b.width - 1) * pxPerMm);
  const y0 = Math.round((b.y + 7) * pxPerMm);
  const y1 = Math.round((b.y + b.height) * pxPerMm);
  let n = 0;
  for (let y = y0; y < y1; y++)
    for (let x = x0; x < x1; x++) {
      const i = (y * img.width + x) * 4;
      if (img.rgba[i] < 90 && img.rgba[i + 1] < 90 && img.rgba[i + 2] < 90) n++;
    }
  return n;
}

function nonWhiteFraction(img: DecodedPng): number {
  let n = 0;
  for (let i = 0; i < img.rgba.length; i += 4) if (img.rgba[i] < 245 || img.rgba[i + 1] < 245 || img.rgba[i + 2] < 245) n++;
  return n / (img.width * img.height);
}

function countPixels(img: DecodedPng, pred: (r: number, g: number, b: number) => boolean): number {
  let n = 0;
  for (let i = 0; i < img.rgba.length; i += 4) if (pred(img.rgba[i], img.rgba[i + 1], img.rgba[i + 2])) n++;
  return n;
}

describe.skipIf(!hasChromium)('plot rendered by headless Chromium', () => {
  mkdirSync(OUT, { recursive: true });
  const rec = readLudbSample(1);

  it('a 3x4 LUDB printout: non-blank, grid, 12 lead panels + rhythm strip drawn', () => {
    const svg = plotEcg12(rec);
    const img = decodePng(renderSvgToPng(svg, `${OUT}/ludb1-3x4.png`));
    expect([img.width, img.height]).toEqual([1060, 556]);
    expect(nonWhiteFraction(img)).toBeGreaterThan(0.1); // the grid covers the page
    // Pink grid pixels (red high, green/blue lower).
    expect(countPixels(img, (r, g, b) => r > 200 && g < 215 && b < 215 && r - g > 30)).toBeGreaterThan(5000);
    const boxes = panelBoxes(svg);
    expect(boxes).toHaveLength(12);
    const inked = boxes.filter((b) => inkIn(img, b, 4) > 60);
    expect(inked.map((b) => b.lead)).toEqual(boxes.map((b) => b.lead));
    const rhythm = panelBoxes(svg, 'rhythm-strip');
    expect(rhythm).toHaveLength(1);
    expect(inkIn(img, rhythm[0], 4)).toBeGreaterThan(300);
  }, 180_000);

  it('a lead that is all NaN leaves its panel empty: 11 of 12 panels drawn', () => {
    const broken = { ...rec, signals: rec.signals.map((s, i) => (i === 7 ? new Float32Array(s.length).fill(NaN) : s)) }; // V2
    const svg = plotEcg12(broken, { rhythmLead: null });
    const img = decodePng(renderSvgToPng(svg));
    const boxes = panelBoxes(svg);
    const inked = boxes.filter((b) => inkIn(img, b, 4) > 60).map((b) => b.lead);
    expect(inked).toHaveLength(11);
    expect(inked).not.toContain('V2');
  }, 180_000);

  it('a 12x1 printout with wave shading and R-peak marks', () => {
    const { record, peaks } = syntheticRecord(500, 10, 0.8);
    const waves: Wave[] = peaks.flatMap((p) => [
      { type: 'P' as const, onset: p - 110, offset: p - 70 },
      { type: 'QRS' as const, onset: p - 25, offset: p + 25 },
      { type: 'T' as const, onset: p + 100, offset: p + 200 },
    ]);
    const svg = plotEcg12(record, { layout: '12x1', waves, rPeaks: peaks, pxPerMm: 3 });
    const img = decodePng(renderSvgToPng(svg, `${OUT}/synthetic-12x1.png`));
    const boxes = panelBoxes(svg);
    expect(boxes.filter((b) => inkIn(img, b, 3) > 60)).toHaveLength(12);
    // P shading is blue-ish, T shading green-ish: both visible.
    expect(countPixels(img, (r, g, b) => b > r + 25 && b > 150)).toBeGreaterThan(1000);
    expect(countPixels(img, (r, g, b) => g > r + 20 && g > b + 10)).toBeGreaterThan(1000);
    // R-peak dots (saturated red).
    expect(countPixels(img, (r, g, b) => r > 170 && g < 90 && b < 90)).toBeGreaterThan(peaks.length * 12 * 3);
  }, 180_000);

  it('VCG loops, a similarity matrix and a training curve render non-blank', () => {
    const t = Array.from({ length: 400 }, (_, i) => (2 * Math.PI * i) / 400);
    const vcg = plotVcgLoops({ x: t.map((a) => Math.cos(a)), y: t.map((a) => 0.6 * Math.sin(a)), z: t.map((a) => 0.4 * Math.sin(2 * a)) });
    const m = Array.from({ length: 8 }, (_, i) => Array.from({ length: 8 }, (_, j) => Math.exp(-Math.abs(i - j))));
    const mat = plotMatrix(m, { labels: m.map((_, i) => `r${i}`), title: 'soft targets' });
    const curve = plotTrainingCurve({ loss: Array.from({ length: 50 }, (_, i) => 2 * Math.exp(-i / 15) + 0.2) }, { title: 'pretraining' });
    for (const [name, svg] of [['vcg', vcg], ['matrix', mat], ['curve', curve]] as const) {
      const img = decodePng(renderSvgToPng(svg, `${OUT}/${name}.png`));
      const f = nonWhiteFraction(img);
      expect(f, name).toBeGreaterThan(0.02);
      expect(f, name).toBeLessThan(0.95);
    }
  }, 180_000);
});
