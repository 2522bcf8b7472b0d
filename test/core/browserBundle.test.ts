// Browser safety: every package subpath bundles for `platform: 'browser'` with no Node built-in.
// Bundles the sources the way the browser build does (tsup + scripts/browser.mjs: `X.browser.ts`
// replaces `X.ts`), with a probe that lists every Node built-in an entry would pull in.
// scripts/check-package.mjs repeats the check against the packed tarball through package.json
// "exports" (the `node` condition → dist/, every other runtime → dist/browser/).
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
// @ts-expect-error plain ESM helper without types
import { exportedEntries, listEntries, exportTarget } from '../../scripts/entries.mjs';
// @ts-expect-error plain ESM helper without types
import { esbuildBrowserSwap, esbuildNodeBuiltinProbe, isNodeBuiltin } from '../../scripts/browser.mjs';

const ROOT = new URL('../../', import.meta.url).pathname;
const entries = listEntries() as Record<string, string>;
const names = (exportedEntries() as string[]).filter((n) => n !== 'index');

interface Found {
  spec: string;
  importer: string;
}

async function bundleForBrowser(file: string, swap = true): Promise<{ found: Found[]; bytes: number }> {
  const found: Found[] = [];
  const res = await esbuild.build({
    entryPoints: [join(ROOT, file)],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    logLevel: 'silent',
    external: ['@tensorflow/*'],
    plugins: [esbuildNodeBuiltinProbe(found), ...(swap ? [esbuildBrowserSwap()] : [])],
  });
  return { found, bytes: res.outputFiles[0].contents.length };
}

const offenders = (found: Found[]) => [...new Set(found.map((f) => `${f.spec} (from ${f.importer.replace(ROOT, '')})`))];

describe('browser build: no Node built-ins', () => {
  it('the probe recognises Node built-ins (with and without node:) and nothing else', () => {
    for (const s of ['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'path', 'node:worker_threads', 'module', 'node:test']) expect(isNodeBuiltin(s), s).toBe(true);
    for (const s of ['@tensorflow/tfjs-core', './fs', 'path-browserify', 'beat-ssl/io']) expect(isNodeBuiltin(s), s).toBe(false);
  });

  it('without the swap, the Node build of beat-ssl/io does reach node:fs (the probe would catch a regression)', async () => {
    const { found } = await bundleForBrowser(entries['io/index'], false);
    expect(found.map((f) => f.spec)).toContain('node:fs/promises');
  });

  for (const mod of ['io', 'signal', 'beats', 'augment', 'losses', 'models', 'heads', 'plot', 'core', 'metrics', 'data', 'train', 'backend']) {
    const subs = names.filter((n) => n === `${mod}/index` || n.startsWith(`${mod}/`));
    it(`beat-ssl/${mod} and its ${subs.length - 1} file subpaths bundle for the browser with no Node built-in`, async () => {
      expect(subs.length).toBeGreaterThan(0);
      const bad: Record<string, string[]> = {};
      for (const n of subs) {
        const { found } = await bundleForBrowser(entries[n]);
        if (found.length) bad[n] = offenders(found);
      }
      expect(bad).toEqual({});
    }, 60_000);
  }

  it('the root entry (beat-ssl) bundles for the browser with no Node built-in', async () => {
    const { found } = await bundleForBrowser(entries.index);
    expect(offenders(found)).toEqual([]);
  }, 60_000);

  it('every X.browser.ts exports the same names as X.ts', () => {
    const exported = (text: string) =>
      [...text.matchAll(/^export\s+(?:async\s+)?(?:function|const|let|class|interface|type)\s+(\w+)/gm)].map((m) => m[1]).sort();
    const pairs: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (p.endsWith('.browser.ts')) {
          const node = p.replace(/\.browser\.ts$/, '.ts');
          pairs.push(p.replace(ROOT, ''));
          const browserNames = exported(readFileSync(p, 'utf8'));
          const nodeNames = exported(readFileSync(node, 'utf8')).filter((n) => !/^[A-Z]\w*Api$/.test(n)); // type-only helpers may live in X.ts
          expect(browserNames, p).toEqual(expect.arrayContaining(nodeNames));
        }
      }
    };
    walk(join(ROOT, 'src'));
    expect(pairs).toContain('src/core/_internal/node.browser.ts');
  });

  it('package.json "exports": the node condition picks dist/, every other runtime dist/browser/ (same types)', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    for (const name of ['index', 'io/index', 'analysis/segmentRecord']) {
      const sub = name === 'index' ? '.' : './' + name.replace(/\/index$/, '');
      expect(pkg.exports[sub]).toEqual(exportTarget(name));
      expect(Object.keys(pkg.exports[sub])[0]).toBe('node'); // conditions match in order
      expect(pkg.exports[sub].import.default).toBe(`./dist/browser/${name}.js`);
      expect(pkg.exports[sub].node.import.default).toBe(`./dist/${name}.js`);
    }
  });
});

describe('browser build: Node-only functions fail with a clear error', () => {
  it('node.browser.ts throws a BeatSslError that names the public function and the in-memory alternative', async () => {
    const { nodeFs, HAS_NODE_BUILTINS } = await import('../../src/core/_internal/node.browser');
    expect(HAS_NODE_BUILTINS).toBe(false);
    await expect(nodeFs('readRecord')).rejects.toThrow(/^Error in readRecord: the runtime must be Node\.js for file access \(node:fs\), but this is beat-ssl's browser build.*parseRecord/);
  });
});
