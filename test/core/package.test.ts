import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../../', import.meta.url).pathname;

describe('package layout', () => {
  it('package.json exports and src/index.ts are in sync with src/ (scripts/sync-exports.mjs --check)', () => {
    expect(() => execFileSync('node', ['scripts/sync-exports.mjs', '--check'], { cwd: root, stdio: 'pipe' })).not.toThrow();
  });
  it('declares the user-named module subpaths, peers and optional peers', () => {
    const pkg = JSON.parse(readFileSync(root + 'package.json', 'utf8'));
    for (const sub of ['.', './io', './signal', './beats', './augment', './losses', './models', './heads', './data', './metrics', './train', './plot', './signal/vcg', './augment/3kg', './beats/detect', './losses/softInfoNCE', './models/encoder', './heads/segmentation']) {
      expect(pkg.exports[sub], `exports["${sub}"]`).toBeDefined();
    }
    expect(pkg.peerDependencies['@tensorflow/tfjs-core']).toMatch(/\^4\.22/);
    expect(pkg.peerDependencies['@tensorflow/tfjs-layers']).toMatch(/\^4\.22/);
    for (const opt of ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-backend-wasm']) {
      expect(pkg.peerDependenciesMeta[opt]?.optional).toBe(true);
    }
    expect(pkg.dependencies?.['@tensorflow/tfjs-node']).toBeUndefined();
    expect(pkg.type).toBe('module');
    expect(pkg.bin['beat-ssl']).toBeDefined();
  });
  it('library code never uses Math.random and never imports a backend statically outside src/backend', () => {
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (p.endsWith('.ts')) {
          const text = readFileSync(p, 'utf8');
          if (/Math\.random\(/.test(text)) offenders.push(`${p}: Math.random`);
          if (!p.includes('/backend/') && /^import[^;]*from\s+['"]@tensorflow\/tfjs-(backend-|node)/m.test(text)) offenders.push(`${p}: backend import`);
        }
      }
    };
    walk(join(root, 'src'));
    expect(offenders).toEqual([]);
  });
});
