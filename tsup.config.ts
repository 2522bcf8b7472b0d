import { defineConfig } from 'tsup';
// @ts-expect-error plain ESM helper without types
import { listEntries } from './scripts/entries.mjs';

const entry = listEntries() as Record<string, string>;

export default defineConfig({
  entry,
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  splitting: true,
  treeshake: true,
  target: 'es2022',
  platform: 'neutral',
  // tfjs and Node built-ins stay external: one tfjs instance in the user's app.
  external: [/^@tensorflow\//, /^node:/],
  outDir: 'dist',
});
