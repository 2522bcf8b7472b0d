import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  resolve: {
    alias: [
      { find: /^beat-ssl$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
      { find: /^beat-ssl\/(.*)$/, replacement: fileURLToPath(new URL('./src/$1', import.meta.url)) },
    ],
  },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Backend lanes (BEAT_SSL_TEST_BACKEND=tensorflow): skip with the reason when the backend is absent.
    setupFiles: ['test/_backendSetup.ts'],
    reporters: ['default'],
  },
});
