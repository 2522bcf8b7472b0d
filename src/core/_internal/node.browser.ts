/**
 * Browser build of `node.ts` (swapped in by scripts/browser.mjs for dist/browser): the same
 * functions, each throwing a BeatSslError that names the public function, so that browser bundles
 * reference no Node built-in. Private.
 * @module
 */
import { BeatSslError } from '../errors';
import type { NodeModuleApi } from './node';

function unavailable(fn: string, what: string): never {
  throw new BeatSslError(
    fn,
    `the runtime must be Node.js for ${what}, but this is beat-ssl's browser build (no Node built-ins). ` +
      'In a browser, fetch the bytes yourself and use the in-memory APIs (parseRecord, parseAnnotations, segmentationModelFromFiles, tf.io.fromMemory/browserFiles).',
  );
}

/** Browser build: throws (no file system). @param fn public function that needs it. */
export async function nodeFs(fn: string): Promise<typeof import('node:fs/promises')> {
  return unavailable(fn, 'file access (node:fs)');
}
/** Browser build: throws (no file system). @param fn public function that needs it. */
export async function nodeFsSync(fn: string): Promise<typeof import('node:fs')> {
  return unavailable(fn, 'file access (node:fs)');
}
/** Browser build: throws (no file paths). @param fn public function that needs it. */
export async function nodePath(fn: string): Promise<typeof import('node:path')> {
  return unavailable(fn, 'file paths (node:path)');
}
/** Browser build: throws. @param fn public function that needs it. */
export async function nodeOs(fn: string): Promise<typeof import('node:os')> {
  return unavailable(fn, 'node:os');
}
/** Browser build: throws. @param fn public function that needs it. */
export async function nodeUrl(fn: string): Promise<typeof import('node:url')> {
  return unavailable(fn, 'file URLs (node:url)');
}
/** Browser build: throws. @param fn public function that needs it. */
export async function nodeCrypto(fn: string): Promise<typeof import('node:crypto')> {
  return unavailable(fn, 'node:crypto');
}
/** Browser build: throws (use Web Workers yourself). @param fn public function that needs it. */
export async function nodeWorkerThreads(fn: string): Promise<typeof import('node:worker_threads')> {
  return unavailable(fn, 'worker threads (node:worker_threads)');
}
/** Browser build: throws. @param fn public function that needs it. */
export async function nodeModule(fn: string): Promise<NodeModuleApi> {
  return unavailable(fn, 'loading packages with require (node:module)');
}

/** False in this build: Node built-ins are not available. */
export const HAS_NODE_BUILTINS = false;
