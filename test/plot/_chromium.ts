// Renders SVG strings to PNG with Debian's headless Chromium (a fresh profile per call).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM = process.env.BEAT_SSL_CHROMIUM ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

/** Flags for a quiet, offline headless Chromium. */
export function chromiumFlags(userDataDir: string): string[] {
  return [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-dev-shm-usage',
    '--hide-scrollbars',
    '--force-device-scale-factor=1',
    `--user-data-dir=${userDataDir}`,
  ];
}

/** Screenshots `svg` (its own width/height in px) on a white page; returns the PNG bytes. */
export function renderSvgToPng(svg: string, keepAs?: string): Buffer {
  const w = Number(/<svg[^>]*\swidth="(\d+)"/.exec(svg)?.[1] ?? 800);
  const h = Number(/<svg[^>]*\sheight="(\d+)"/.exec(svg)?.[1] ?? 600);
  const dir = mkdtempSync(join(tmpdir(), 'beat-ssl-render-'));
  try {
    const html = join(dir, 'page.html');
    const png = join(dir, 'shot.png');
    writeFileSync(html, `<!doctype html><html><head><meta charset="utf-8"><style>html,body{margin:0;padding:0;background:#fff}svg{display:block}</style></head><body>${svg}</body></html>`);
    const res = spawnSync(CHROMIUM, [...chromiumFlags(join(dir, 'profile')), `--screenshot=${png}`, `--window-size=${w},${h}`, `file://${html}`], {
      encoding: 'utf8',
      timeout: 90_000,
    });
    if (!existsSync(png)) throw new Error(`chromium produced no screenshot (status ${res.status}): ${res.stderr?.slice(-2000)}`);
    const buf = readFileSync(png);
    if (keepAs) writeFileSync(keepAs, buf);
    return buf;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
