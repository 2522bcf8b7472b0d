import { describe, expect, it } from 'vitest';
import { plotMatrix, plotTrainingCurve, plotVcgLoops } from 'beat-ssl/plot';
import { assertWellFormed, count } from './_helpers';

describe('plotVcgLoops', () => {
  const t = Array.from({ length: 100 }, (_, i) => (2 * Math.PI * i) / 100);
  const vcg = { x: t.map(Math.cos), y: t.map(Math.sin), z: t.map((a) => 0.5 * Math.sin(2 * a)) };

  it('draws one panel per plane with one loop each', () => {
    const svg = plotVcgLoops(vcg);
    assertWellFormed(svg);
    expect([...svg.matchAll(/data-plane="(\w+)"/g)].map((m) => m[1])).toEqual(['frontal', 'horizontal', 'sagittal']);
    expect(count(svg, /<path class="loop"/)).toBe(3);
    const one = plotVcgLoops([vcg.x, vcg.y, vcg.z], { planes: ['horizontal'] });
    expect(count(one, /class="vcg-plane"/)).toBe(1);
  });

  it('maps X right and Y down in the frontal plane', () => {
    const svg = plotVcgLoops({ x: [0, 1], y: [0, 1], z: [0, 0] }, { planes: ['frontal'], limitMv: 1, sizePx: 200 });
    const d = /class="loop" d="([^"]+)"/.exec(svg)![1];
    const [[x0, y0], [x1, y1]] = [...d.matchAll(/[ML]([\d.]+) ([\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(x1 - x0).toBeCloseTo(100, 6);
    expect(y1 - y0).toBeCloseTo(100, 6);
  });

  it('colours P, QRS and T parts when waves are given', () => {
    const svg = plotVcgLoops(vcg, { planes: ['frontal'], waves: [{ type: 'QRS', onset: 10, offset: 30 }, { type: 'T', onset: 50, offset: 80 }] });
    expect(count(svg, /class="loop loop-QRS"/)).toBe(1);
    expect(count(svg, /class="loop loop-T"/)).toBe(1);
    expect(count(svg, /class="loop loop-none"/)).toBe(3);
  });

  it('rejects bad input', () => {
    expect(() => plotVcgLoops({ x: [1, 2], y: [1], z: [1, 2] })).toThrow('Error in plotVcgLoops: vcg must be three arrays of equal length');
    expect(() => plotVcgLoops(vcg, { planes: ['coronal' as never] })).toThrow("options.planes must be an array of 'frontal', 'horizontal', 'sagittal'");
    expect(() => plotVcgLoops(vcg, { range: [50, 10] })).toThrow('options.range');
  });
});

describe('plotMatrix', () => {
  it('draws one cell per entry with labels and a colour bar', () => {
    const m = [
      [1, 0.5, 0],
      [0.5, 1, NaN],
    ];
    const svg = plotMatrix(m, { labels: { rows: ['a', 'b'], cols: ['x', 'y', 'z'] }, title: 'sim' });
    assertWellFormed(svg);
    expect(count(svg, /<rect class="cell"/)).toBe(6);
    expect(svg).toContain('data-row="1" data-col="2" data-value="NaN"');
    expect(count(svg, /class="row-label"/)).toBe(2);
    expect(count(svg, /class="col-label"/)).toBe(3);
    expect(svg).toContain('class="colorbar"');
  });

  it('maps the domain ends to the ends of the colour scale', () => {
    const svg = plotMatrix({ data: new Float32Array([0, 1, 2, 3]), rows: 2, cols: 2 }, { colorScale: 'grays' });
    const fills = [...svg.matchAll(/class="cell"[^>]*fill="(#[0-9a-f]{6})"/g)].map((m) => m[1]);
    expect(fills[0]).toBe('#ffffff');
    expect(fills[3]).toBe('#000000');
    const div = plotMatrix([[-1, 0, 2]], { colorScale: 'diverging' });
    const dfills = [...div.matchAll(/class="cell"[^>]*fill="(#[0-9a-f]{6})"/g)].map((m) => m[1]);
    expect(dfills[1]).toBe('#f7f7f7'); // 0 is the centre of a diverging scale
    const custom = plotMatrix([[0, 1]], { colorScale: (t) => (t > 0.5 ? 'red' : 'blue') });
    expect(custom).toContain('fill="blue"');
    expect(custom).toContain('fill="red"');
  });

  it('rejects ragged or empty matrices and bad options', () => {
    expect(() => plotMatrix([])).toThrow('Error in plotMatrix: matrix must be a non-empty matrix');
    expect(() => plotMatrix([[1, 2], [3]])).toThrow('matrix[1] must be a row of 2 numbers');
    expect(() => plotMatrix([[1]], { colorScale: 'jet' as never })).toThrow("options.colorScale must be one of 'viridis', 'blues', 'diverging', 'grays'");
    expect(() => plotMatrix([[1, 2]], { labels: ['a'] })).toThrow('options.labels');
  });
});

describe('plotTrainingCurve', () => {
  it('draws one path per series and a legend', () => {
    const svg = plotTrainingCurve({ loss: [3, 2, 1.5, 1.2], beatLoss: [1, 0.9, 0.8, 0.7] }, { title: 'pretrain' });
    assertWellFormed(svg);
    expect([...svg.matchAll(/class="series" data-name="(\w+)"/g)].map((m) => m[1])).toEqual(['loss', 'beatLoss']);
    expect(count(svg, /class="legend"/)).toBe(2);
  });

  it('supports x positions, log scale, smoothing and gaps', () => {
    const svg = plotTrainingCurve([{ name: 'val', x: [1, 2, 5, 10], y: [1, NaN, 0.1, 0.01] }], { logY: true, smoothing: 0.5 });
    assertWellFormed(svg);
    const d = /class="series" data-name="val" d="([^"]+)"/.exec(svg)![1];
    expect(count(d, /M/)).toBe(2); // NaN breaks the line
    expect(svg).toContain('class="series-smoothed"');
    expect(svg).toContain('loss (log)');
  });

  it('rejects bad input', () => {
    expect(() => plotTrainingCurve([])).toThrow('Error in plotTrainingCurve: series must be at least one series');
    expect(() => plotTrainingCurve([{ name: 'a', y: [1, 2], x: [1] }])).toThrow("series 'a'.x must be 2 values like y");
    expect(() => plotTrainingCurve({ a: [1] }, { smoothing: 1 })).toThrow('options.smoothing');
  });
});
