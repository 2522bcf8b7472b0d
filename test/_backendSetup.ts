/**
 * vitest setup file (vitest.config.ts → setupFiles): in a backend lane
 * (`BEAT_SSL_TEST_BACKEND=tensorflow|wasm`) whose backend cannot be loaded on this machine, every
 * test is skipped with the reason, so the lane shows up as "skipped", never as a silent pass.
 * Without the variable (plain `npm test`) it does nothing.
 */
import { beforeEach } from 'vitest';
import { TEST_BACKEND, TEST_BACKEND_SKIP } from './_backend';

if (TEST_BACKEND !== 'cpu' && TEST_BACKEND_SKIP) {
  process.stderr.write(`BEAT_SSL_TEST_BACKEND=${TEST_BACKEND}: skipping (${TEST_BACKEND_SKIP})\n`);
  beforeEach((ctx) => {
    ctx.skip(`${TEST_BACKEND} backend unavailable: ${TEST_BACKEND_SKIP}`);
  });
}
