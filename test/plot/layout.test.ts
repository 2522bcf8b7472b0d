// Layout checks of plots as Chromium lays them out (playwright-core + Debian's chromium, real text
// metrics): the training-curve legend never overlaps the plot area, the y axis is labelled at its
// top and bottom edges, tick labels do not collide, and overlapping P/QRS/T shading is drawn once,
// in grey, and explained in the legend (no blended band).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plotEcg12, plotTrainingCurve } from 'beat-ssl/plot';
import type { Wave } from '../../src/core/types';
import { CHROMIUM, hasChromium } from './_chromium';
import { syntheticRecord } from './_helpers';

if (!hasChromium) console.warn(`skipped: ${CHROMIUM} absent (apt-get install -y chromium) — plot layout tests need headless Chromium`);

interface R {
  x: number;
  y: number;
  width: number;
  height: number;
}
const intersects = (a: R, b: R, eps = 0.01) => Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x) > eps && Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y) > eps;

describe.skipIf(!hasChromium)('plot layout in Chromium', () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let browser: any;
  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
  }, 120_000);
  afterAll(async () => browser?.close());

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async function layout(svg: string, fn: (doc: Document) => any): Promise<any> {
    const page = await browser.newPage();
    await page.setContent(`<!doctype html><html><body style="margin:0">${svg}</body></html>`);
    const out = await page.evaluate(`(${fn.toString()})(document)`);
    await page.close();
    return out;
  }

  const measureCurve = (doc: Document) => {
    const box = (e: Element) => {
      const r = e.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    };
    const plot = box(doc.querySelector('rect.plot-area')!);
    const legend = Array.from(doc.querySelectorAll('.legend-box line, .legend-box text')).map(box);
    const series = Array.from(doc.querySelectorAll('path.series')).map(box);
    const yTicks = Array.from(doc.querySelectorAll('text.tick')).filter((t) => t.getAttribute('text-anchor') === 'end').map((t) => ({ label: t.textContent, ...box(t) }));
    return { plot, legend, series, yTicks };
  };

  for (const logY of [false, true]) {
    it(`training curve (${logY ? 'log' : 'linear'} y): legend outside the plot area, top and bottom edges labelled`, async () => {
      const n = 60;
      // Three series, one rising into the top-right corner where an in-plot legend used to sit.
      const svg = plotTrainingCurve(
        {
          'pretraining loss': Array.from({ length: n }, (_, i) => 2 * Math.exp(-i / 15) + 0.2),
          'validation Dice (mean over P/QRS/T)': Array.from({ length: n }, (_, i) => 0.2 + 2 * (1 - Math.exp(-i / 10))),
          'learning rate ×1000': Array.from({ length: n }, (_, i) => 1 + Math.cos((Math.PI * i) / n)),
        },
        { title: 'pretraining', logY },
      );
      const m = await layout(svg, measureCurve);
      expect(m.legend.length).toBe(6);
      for (const l of m.legend) expect(intersects(l, m.plot), `legend item ${JSON.stringify(l)} overlaps the plot area ${JSON.stringify(m.plot)}`).toBe(false);
      for (let i = 0; i < m.legend.length; i++) for (let j = i + 1; j < m.legend.length; j++) expect(intersects(m.legend[i], m.legend[j], 0.5)).toBe(false);
      for (const s of m.series) expect(s.y).toBeGreaterThanOrEqual(m.plot.y - 1);
      const centre = (t: R) => t.y + t.height / 2;
      const top = m.yTicks.find((t: R) => Math.abs(centre(t) - m.plot.y) <= 2);
      const bottom = m.yTicks.find((t: R) => Math.abs(centre(t) - (m.plot.y + m.plot.height)) <= 2);
      expect(top, `a tick label at the top edge (y ${m.plot.y}); labels at ${m.yTicks.map((t: R & { label: string }) => `${t.label}@${centre(t).toFixed(1)}`).join(', ')}`).toBeDefined();
      expect(bottom, 'a tick label at the bottom edge').toBeDefined();
      expect(top.label.length).toBeGreaterThan(0);
      for (let i = 1; i < m.yTicks.length; i++) expect(intersects(m.yTicks[i - 1], m.yTicks[i])).toBe(false);
    }, 60_000);
  }

  it('12-lead plot: waves of two types never blend; the overlap is grey and in the legend', async () => {
    const { record: rec } = syntheticRecord();
    const fs = rec.fs;
    const s = (sec: number) => Math.round(sec * fs);
    // A rule-based QRS and a network T that starts before the QRS ends, and a P that runs into the QRS.
    const waves: Wave[] = [];
    for (let b = 0; b < 8; b++) {
      const q = s(0.5 + b * 1.2);
      waves.push({ type: 'P', onset: q - s(0.14), offset: q + s(0.01) }, { type: 'QRS', onset: q, offset: q + s(0.1) }, { type: 'T', onset: q + s(0.08), offset: q + s(0.4) });
    }
    const svg = plotEcg12(rec, { layout: '3x4', waves });
    const m = await layout(svg, (doc: Document) => {
      const panels = Array.from(doc.querySelectorAll('g.lead, g.rhythm-strip'));
      const rects = panels.map((g) =>
        Array.from(g.querySelectorAll('rect.wave, rect.wave-overlap')).map((r) => {
          const b = r.getBoundingClientRect();
          return { cls: r.getAttribute('class'), x: b.x, y: b.y, width: b.width, height: b.height };
        }),
      );
      return { rects, legend: Array.from(doc.querySelectorAll('text.legend-label')).map((t) => t.textContent) };
    });
    expect(m.rects.length).toBe(13);
    let overlapRects = 0;
    for (const panel of m.rects) {
      for (let i = 0; i < panel.length; i++) {
        if (panel[i].cls === 'wave-overlap') overlapRects++;
        for (let j = i + 1; j < panel.length; j++) {
          if (panel[i].cls === panel[j].cls) continue;
          expect(intersects(panel[i], panel[j]), `${panel[i].cls} and ${panel[j].cls} are drawn over each other`).toBe(false);
        }
      }
    }
    expect(overlapRects).toBeGreaterThan(13); // several per panel
    expect(m.legend).toEqual(['P', 'QRS', 'T', 'two wave types overlap']);
    // Without overlaps the legend has no such entry.
    const clean = plotEcg12(rec, { layout: '3x4', waves: waves.filter((w) => w.type === 'QRS') });
    expect(clean).not.toContain('two wave types overlap');
    expect(clean).not.toContain('wave-overlap');
  }, 60_000);
});
