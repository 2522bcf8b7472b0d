// End-to-end test of the browser demo (examples/browser): build it with Vite, serve the build on
// 127.0.0.1 — and separately run the Vite dev server (`npm run demo`) —, drive Debian's Chromium
// with playwright-core, load real WFDB records from examples/data through the file input and check
// what is drawn and reported: the model's source per wave type, the intervals the library computes
// (compared with segmentRecord in Node), and paging through a 30-min record.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { mkdirSync, readdirSync, copyFileSync } from 'node:fs';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const CHROMIUM = process.env.BEAT_SSL_CHROMIUM ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`skipped: ${CHROMIUM} absent (apt-get install -y chromium) — the browser demo e2e test needs headless Chromium`);

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json', '.svg': 'image/svg+xml', '.bin': 'application/octet-stream' };

describe.skipIf(!hasChromium)('browser demo (Vite build, Chromium via playwright-core)', () => {
  let outDir = '';
  let server: Server;
  let url = '';
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let browser: any;

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'beat-ssl-demo-'));
    const { build } = await import('vite');
    await build({ configFile: join(REPO, 'examples/browser/vite.config.ts'), logLevel: 'error', build: { outDir, emptyOutDir: true } });
    server = createServer((req, res) => {
      const path = normalize(decodeURIComponent((req.url ?? '/').split('?')[0])).replace(/^(\.\.[/\\])+/, '');
      let file = join(outDir, path);
      if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
      if (!file.startsWith(outDir) || !existsSync(file)) {
        res.statusCode = 404;
        res.end('not found');
        return;
      }
      res.setHeader('Content-Type', TYPES[extname(file)] ?? 'application/octet-stream');
      res.end(readFileSync(file));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it('loads LUDB record 1 (.hea + .dat) and draws 12 lead panels, R-peaks and waves', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e: Error) => errors.push(e.message));
    await page.goto(url);
    await page.setInputFiles('#file-input', [join(REPO, 'examples/data/ludb/1.hea'), join(REPO, 'examples/data/ludb/1.dat')]);
    await page.waitForFunction(() => document.body.dataset.ready === 'true' || document.body.dataset.ready === 'error', undefined, { timeout: 120_000 });
    const status = await page.textContent('#status');
    expect(await page.evaluate(() => document.body.dataset.ready), status ?? '').toBe('true');
    expect(errors).toEqual([]);
    expect(await page.locator('#plot svg g.lead').count()).toBe(12);
    expect(await page.locator('#plot svg g.rhythm-strip').count()).toBe(1);
    const leads = await page.locator('#plot svg g.lead').evaluateAll((els: Element[]) => els.map((e) => e.getAttribute('data-lead')));
    expect(leads).toEqual(['I', 'aVR', 'V1', 'V4', 'II', 'aVL', 'V2', 'V5', 'III', 'aVF', 'V3', 'V6']);
    // Every panel has a visible trace with a real extent on screen.
    const boxes = await page.locator('#plot svg g.lead path.trace').evaluateAll((els: Element[]) => els.map((e) => (e as SVGGraphicsElement).getBoundingClientRect()).map((r) => [r.width, r.height]));
    expect(boxes.every(([w, h]: number[]) => w > 100 && h > 5)).toBe(true);
    const summary = (await page.textContent('#summary')) ?? '';
    const peaks = await page.locator('#plot svg circle.r-peak').count();
    const waves = await page.locator('#plot svg rect.wave').count();
    {
      // LUDB 1 is a sinus bradycardia: 8 beats in 10 s. Each peak is marked in its column on each
      // of the 3 rows and on the rhythm strip.
      const n = Number(/R-peaks\s*(\d+)/.exec(summary)?.[1]);
      expect(n).toBeGreaterThanOrEqual(7);
      expect(n).toBeLessThanOrEqual(10);
      expect(peaks).toBe(4 * n);
    }
    // The shipped model folder routes P and QRS to the rule-based delineator and T to the network
    // (weights/segmentation-v1/preprocess.json waveSources); the page says exactly that.
    await expectModelSummary(page, 'ludb/1');
    expect(waves).toBeGreaterThan(30);
    for (const t of ['P', 'QRS', 'T']) expect(await page.locator(`#plot svg rect.wave-${t}`).count()).toBeGreaterThanOrEqual(12);
    await page.screenshot({ path: join(tmpdir(), 'beat-ssl-demo.png'), fullPage: true });
    // Switching layout re-renders without reloading.
    await page.selectOption('#layout', '12x1');
    expect(await page.locator('#plot svg g.lead').count()).toBe(12);
    expect(await page.locator('#plot svg g.rhythm-strip').count()).toBe(0);
    await page.close();
  }, 180_000);

  it('reports a clear error when the header is missing', async () => {
    const page = await browser.newPage();
    await page.goto(url);
    await page.setInputFiles('#file-input', [join(REPO, 'examples/data/ludb/1.dat')]);
    await page.waitForFunction(() => document.body.dataset.ready === 'error', undefined, { timeout: 30_000 });
    expect(await page.textContent('#status')).toContain('no .hea header among the dropped files (1.dat)');
    await page.close();
  }, 60_000);

  it('segments with the model served under weights/segmentation-v1 on the wasm backend', async () => {
    const served = join(outDir, 'weights/segmentation-v1');
    if (!existsSync(join(served, 'model.json'))) {
      // No shipped weights in this build: serve a small (untrained) model saved by the package itself,
      // which exercises the same loading path (fetch → segmentationModelFromFiles → segmentRecord).
      const tf = await import('@tensorflow/tfjs-core');
      await import('@tensorflow/tfjs-backend-cpu');
      await tf.setBackend('cpu');
      const { createEncoder } = await import('beat-ssl/models');
      const { createSegmenter, saveSegmentationModel } = await import('beat-ssl/heads');
      const dir = join(outDir, 'tmp-model');
      const seg = createSegmenter(createEncoder('tiny'), { seed: 1 });
      await saveSegmentationModel(dir, seg, { fs: 100, leads: ['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'], bandpassHz: [0.5, 40], standardize: 'lead' });
      seg.dispose();
      mkdirSync(served, { recursive: true });
      for (const f of readdirSync(dir)) copyFileSync(join(dir, f), join(served, f));
    }
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e: Error) => errors.push(e.message));
    await page.goto(url);
    await page.setInputFiles('#file-input', [join(REPO, 'examples/data/ludb/2.hea'), join(REPO, 'examples/data/ludb/2.dat')]);
    await page.waitForFunction(() => document.body.dataset.ready === 'true' || document.body.dataset.ready === 'error', undefined, { timeout: 120_000 });
    expect(await page.evaluate(() => document.body.dataset.ready), (await page.textContent('#status')) ?? '').toBe('true');
    expect(errors).toEqual([]);
    const summary = (await page.textContent('#summary')) ?? '';
    expect(summary).toMatch(/T waves from\s*segmentation network segmentation-v1 \(at 100 Hz, mapped to 500 Hz\), wasm backend/);
    const n = Number(/waves\s*P (\d+), QRS (\d+), T (\d+)/.exec(summary)?.slice(1).reduce((a, b) => a + Number(b), 0));
    // Every wave inside the 10 s window shows in its column on 3 rows and on the rhythm strip (or twice when it straddles a column edge).
    expect(await page.locator('#plot svg rect.wave').count()).toBeGreaterThanOrEqual(4 * n);
    await page.close();
  }, 180_000);

  it('pages through a 30-min MIT-BIH record 10 s at a time and says why the 12-lead model is not used', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e: Error) => errors.push(e.message));
    await page.goto(url);
    await page.setInputFiles('#file-input', [join(REPO, 'examples/data/mitdb/100.hea'), join(REPO, 'examples/data/mitdb/100.dat')]);
    await page.waitForFunction(() => document.body.dataset.ready === 'true' || document.body.dataset.ready === 'error', undefined, { timeout: 120_000 });
    expect(await page.evaluate(() => document.body.dataset.ready), (await page.textContent('#status')) ?? '').toBe('true');
    expect(errors).toEqual([]);
    const summary = await summaryRows(page);
    expect(summary).toMatch(/network not used\s*the model needs the leads I, II, III, aVR, aVL, aVF, V1, V2, V3, V4, V5, V6; this record lacks I, III/);
    for (const t of ['P', 'QRS', 'T']) expect(summary).toMatch(new RegExp(`${t} waves from\\s*rule-based delineator`));
    expect(summary).toMatch(/PR interval\s*\d+ ms/);
    expect(await page.textContent('#window')).toBe('0–10 s of 1805.6 s');
    expect(await page.isDisabled('#prev')).toBe(true);
    const firstPeaks = await page.locator('#plot svg circle.r-peak').count();
    expect(firstPeaks).toBeGreaterThanOrEqual(2 * 10); // ~12 beats in 10 s, 2 lead rows
    await page.click('#next');
    expect(await page.textContent('#window')).toBe('10–20 s of 1805.6 s');
    expect(await page.getAttribute('#plot', 'data-start-sec')).toBe('10');
    expect(await page.locator('#plot svg circle.r-peak').count()).toBeGreaterThanOrEqual(2 * 10);
    expect(await page.locator('#plot svg rect.wave').count()).toBeGreaterThan(20);
    await page.click('#prev');
    expect(await page.textContent('#window')).toBe('0–10 s of 1805.6 s');
    // The last page: click ▶ until it disables itself (in the page: 180 synchronous re-renders).
    const clicks = await page.evaluate(() => {
      const next = document.getElementById('next') as HTMLButtonElement;
      let k = 0;
      while (!next.disabled && k < 1000) {
        next.click();
        k++;
      }
      return k;
    });
    expect(clicks).toBe(180);
    expect(await page.textContent('#window')).toBe('1800–1806 s of 1805.6 s');
    expect(await page.locator('#plot svg g.lead path.trace').count()).toBe(2);
    await page.close();
  }, 240_000);
});

/** The summary table as `key value` lines. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function summaryRows(page: any): Promise<string> {
  const rows: string[] = await page.locator('#summary tr').evaluateAll((trs: Element[]) => trs.map((tr) => `${tr.querySelector('th')?.textContent} ${tr.querySelector('td')?.textContent}`));
  return rows.join('\n');
}

/** The summary names the source of each wave type and shows the intervals segmentRecord computes in Node. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function expectModelSummary(page: any, rec: string): Promise<void> {
  const summary = await summaryRows(page);
  expect(summary).toContain('P waves from rule-based delineator (delineateBeats, at the record rate)');
  expect(summary).toContain('QRS waves from rule-based delineator (delineateBeats, at the record rate)');
  expect(summary).toContain('T waves from segmentation network segmentation-v1 (at 100 Hz, mapped to 500 Hz), wasm backend');
  expect(summary).not.toContain('network not used');
  const shown = (label: string) => Number(new RegExp(`${label} (\\d+) ms`).exec(summary)?.[1]);
  const expected = await nodeIntervals(rec);
  // P and QRS come from the (deterministic, tf-free) rule-based delineator: equal after rounding.
  expect(shown('PR interval')).toBe(Math.round(expected.prMs));
  expect(shown('QRS duration')).toBe(Math.round(expected.qrsMs));
  // T comes from the network (wasm in the page, cpu here): within 10 ms.
  expect(Math.abs(shown('QT interval') - expected.qtMs)).toBeLessThanOrEqual(10);
  expect(Math.abs(shown('QTc \\(Bazett\\)') - expected.qtcMs)).toBeLessThanOrEqual(10);
}

const nodeResults = new Map<string, { prMs: number; qrsMs: number; qtMs: number; qtcMs: number }>();
/** segmentRecord with the shipped weights on the cpu backend, in this process. */
async function nodeIntervals(rec: string): Promise<{ prMs: number; qrsMs: number; qtMs: number; qtcMs: number }> {
  const hit = nodeResults.get(rec);
  if (hit) return hit;
  const tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-cpu');
  await tf.setBackend('cpu');
  const { readRecord } = await import('beat-ssl/io');
  const { segmentRecord } = await import('beat-ssl/analysis');
  const { intervals } = await segmentRecord(await readRecord(join(REPO, 'examples/data', rec)));
  nodeResults.set(rec, intervals);
  return intervals;
}

describe.skipIf(!hasChromium || !existsSync(join(REPO, 'weights/segmentation-v1/model.json')))('browser demo on the Vite dev server (npm run demo)', () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let dev: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let browser: any;
  let url = '';
  let cacheDir = '';

  beforeAll(async () => {
    cacheDir = mkdtempSync(join(tmpdir(), 'beat-ssl-vite-cache-'));
    const { createServer } = await import('vite');
    dev = await createServer({ configFile: join(REPO, 'examples/browser/vite.config.ts'), logLevel: 'error', cacheDir, server: { port: 0, host: '127.0.0.1' } });
    await dev.listen();
    url = dev.resolvedUrls.local[0];
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await dev?.close();
    if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
  });

  it('serves the weights (JSON and binary, not the index.html fallback)', async () => {
    const res = await fetch(new URL('weights/segmentation-v1/preprocess.json', url));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect((await res.json()).fs).toBe(100);
    const bin = await fetch(new URL('weights/segmentation-v1/weights.bin', url));
    expect(bin.headers.get('content-type')).toBe('application/octet-stream');
    expect((await bin.arrayBuffer()).byteLength).toBe(statSync(join(REPO, 'weights/segmentation-v1/weights.bin')).size);
  });

  it('segments LUDB record 1 with the shipped model (T from the network), as the build does', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e: Error) => errors.push(e.message));
    await page.goto(url);
    await page.setInputFiles('#file-input', [join(REPO, 'examples/data/ludb/1.hea'), join(REPO, 'examples/data/ludb/1.dat')]);
    await page.waitForFunction(() => document.body.dataset.ready === 'true' || document.body.dataset.ready === 'error', undefined, { timeout: 180_000 });
    expect(await page.evaluate(() => document.body.dataset.ready), (await page.textContent('#status')) ?? '').toBe('true');
    expect(errors).toEqual([]);
    await expectModelSummary(page, 'ludb/1');
    expect(await page.locator('#plot svg rect.wave-T').count()).toBeGreaterThanOrEqual(12);
    await page.close();
  }, 240_000);
});
