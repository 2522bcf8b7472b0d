// End-to-end test of the browser demo (examples/browser): build it with Vite, serve the build on
// 127.0.0.1, drive Debian's Chromium with playwright-core, load a real WFDB record from
// examples/data through the file input and check what is drawn.
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
    // Waves: from the shipped model when the package can load it in a browser, else the rule-based
    // delineator; the summary says which. Either way P, QRS and T are shaded in every panel.
    expect(summary).toMatch(/waves from the (shipped segmentation model|rule-based delineator)/);
    if (existsSync(join(REPO, 'weights/segmentation-v1/model.json'))) expect(summary).toContain('waves from the shipped segmentation model (wasm backend)');
    else console.warn('note: waves came from the rule-based delineator (no weights/segmentation-v1 in this build)');
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
    expect(summary).toContain('waves from the shipped segmentation model (wasm backend)');
    const n = Number(/waves\s*P (\d+), QRS (\d+), T (\d+)/.exec(summary)?.slice(1).reduce((a, b) => a + Number(b), 0));
    // Every wave inside the 10 s window shows in its column on 3 rows and on the rhythm strip (or twice when it straddles a column edge).
    expect(await page.locator('#plot svg rect.wave').count()).toBeGreaterThanOrEqual(4 * n);
    await page.close();
  }, 180_000);
});

