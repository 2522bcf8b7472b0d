// Shared helpers of the io tests (not a test file).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const EXAMPLES = join(REPO, 'examples/data');
export const SHARED = process.env.BEAT_SSL_DATA ?? resolve(REPO, '../shared/data');
export const FIXTURES = join(REPO, 'test/fixtures/io');

export function bytes(path: string): Uint8Array {
  const b = readFileSync(path);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

export function text(path: string): string {
  return readFileSync(path, 'utf8');
}

export function sharedPresent(sub: string): boolean {
  const ok = existsSync(join(SHARED, sub));
  if (!ok) console.warn(`skipped: ${join(SHARED, sub)} absent`);
  return ok;
}
