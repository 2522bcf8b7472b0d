// Vite config of the browser demo: builds from the library's sources (src/) so the demo always
// matches the working tree. A published app would import the installed package the same way.
import { defineConfig, type Plugin } from 'vite';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

const src = fileURLToPath(new URL('../../src/', import.meta.url));

const weightsDir = fileURLToPath(new URL('../../weights/segmentation-v1/', import.meta.url));

/**
 * Ships the tfjs wasm backend's .wasm binaries under wasm/ (the page calls setWasmPaths('./wasm/'))
 * and, when the repository has them, the segmentation weights under weights/segmentation-v1/.
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
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const m = /\/wasm\/([\w.-]+\.wasm)$/.exec(req.url ?? '');
        if (!m || !files.includes(m[1])) return next();
        res.setHeader('Content-Type', 'application/wasm');
        res.end(readFileSync(join(dir, m[1])));
      });
    },
  };
}

export default defineConfig({
  plugins: [tfjsWasmFiles()],
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
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
