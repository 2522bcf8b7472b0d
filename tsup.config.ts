import { defineConfig, type Options } from 'tsup';
// @ts-expect-error plain ESM helper without types
import { listEntries, browserEntries } from './scripts/entries.mjs';
// @ts-expect-error plain ESM helper without types
import { esbuildBrowserSwap } from './scripts/browser.mjs';

const common: Options = {
  format: ['esm', 'cjs'],
  // No source maps in the package: dist/ is unminified, keeps names and reads like the source, and
  // maps would have doubled the unpacked size (scripts/check-package.mjs asserts there are none).
  sourcemap: false,
  clean: false, // `npm run build` empties dist/ once, before both builds (they run in parallel)
  splitting: true,
  treeshake: true,
  target: 'es2022',
  platform: 'neutral',
  // tfjs and Node built-ins stay external: one tfjs instance in the user's app.
  external: [/^@tensorflow\//, /^node:/],
};

export default defineConfig([
  // The Node build (package.json "exports" → `node` condition) and the types, shared by both builds.
  { ...common, entry: listEntries() as Record<string, string>, dts: true, outDir: 'dist' },
  // The browser build (every other runtime): `X.browser.ts` siblings replace `X.ts`, so no Node
  // built-in is referenced (scripts/browser.mjs; checked by test/core/browserBundle.test.ts).
  { ...common, entry: browserEntries() as Record<string, string>, dts: false, outDir: 'dist/browser', esbuildPlugins: [esbuildBrowserSwap()] },
]);
