// Vite config of the browser demo: builds from the library's sources (src/) so the demo always
// matches the working tree. A published app would import the installed package the same way.
import { defineConfig, type Plugin } from 'vite';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
// @ts-expect-error plain ESM helper without types
import { viteBrowserSwap } from '../../scripts/browser.mjs';

const src = fileURLToPath(new URL('../../src/', import.meta.url));

const weightsDir = fileURLToPath(new URL('../../weights/segmentation-v1/', import.meta.url));

/**
 * Ships the tfjs wasm backend's .wasm binaries under wasm/ (the page calls setWasmPaths('./wasm/'))
 * and, when the repository has them, the segmentation weights under weights/segmentation-v1/ —
 * emitted into a build and served by the dev server.
 */
function tfjsWasmFiles(): Plugin {
  const require = createRequire(import.meta.url);
  const dir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  const files = readdirSync(dir).filter((f) => f.endsWith('.wasm'));
  return {
    name: 'beat-ssl-tfjs-wasm-files',
    generateBundle() {
      for (const f of files) this.emitFile({ type: 'asset', fileName: `wasm/${f}`, source: readFileSync(join(dir, f)) });
      if (existsSync(weightsDir)) {
        for (const f of readdirSync(weightsDir)) this.emitFile({ type: 'asset', fileName: `weights/segmentation-v1/${f}`, source: readFileSync(join(weightsDir, f)) });
      }
    },
    // The dev server serves the same two folders (without this, its SPA fallback answers the
    // weights URLs with index.html and the page would have no model).
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const url = (req.url ?? '').split('?')[0];
        const m = /\/wasm\/([\w.-]+\.wasm)$/.exec(url);
        if (m && files.includes(m[1])) {
          res.setHeader('Content-Type', 'application/wasm');
          res.end(readFileSync(join(dir, m[1])));
          return;
        }
        const w = /\/weights\/segmentation-v1\/([\w.-]+)$/.exec(url);
        if (w && existsSync(join(weightsDir, w[1]))) {
          res.setHeader('Content-Type', w[1].endsWith('.json') ? 'application/json' : 'application/octet-stream');
          res.end(readFileSync(join(weightsDir, w[1])));
          return;
        }
        next();
      });
    },
  };
}

export default defineConfig({
  // viteBrowserSwap: the same `X.browser.ts` swap as the package's browser build (dist/browser/).
  plugins: [viteBrowserSwap() as Plugin, tfjsWasmFiles()],
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  resolve: {
    alias: [
      { find: /^beat-ssl$/, replacement: `${src}index.ts` },
      { find: /^beat-ssl\/(.*)$/, replacement: `${src}$1` },
    ],
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
  },
  // Pre-bundle tfjs up front: the page imports the backends lazily, and discovering them at run time
  // would make the dev server re-optimise and reload the page mid-way.
  optimizeDeps: { include: ['@tensorflow/tfjs-core', '@tensorflow/tfjs-layers', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-cpu'] },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
