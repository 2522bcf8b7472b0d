/**
 * The one gate to Node built-ins. Every beat-ssl module that needs the file system, paths, workers
 * or `require` gets them here, by dynamic import when first used. The browser build (dist/browser,
 * chosen by package.json "exports" for every runtime without the `node` condition) replaces this
 * file with `node.browser.ts`, whose functions throw a BeatSslError naming the public function, so
 * that browser bundles reference no Node built-in (see scripts/browser.mjs). Private.
 * @module
 */

/** What beat-ssl uses of `node:module`. */
export interface NodeModuleApi {
  createRequire: (typeof import('node:module'))['createRequire'];
}

/** `node:fs/promises`. @param _fn public function that needs it (named in the browser build's error). */
export async function nodeFs(_fn: string): Promise<typeof import('node:fs/promises')> {
  return import('node:fs/promises');
}

/** `node:fs` (sync API and streams). @param _fn public function that needs it. */
export async function nodeFsSync(_fn: string): Promise<typeof import('node:fs')> {
  return import('node:fs');
}

/** `node:path`. @param _fn public function that needs it. */
export async function nodePath(_fn: string): Promise<typeof import('node:path')> {
  return import('node:path');
}

/** `node:os`. @param _fn public function that needs it. */
export async function nodeOs(_fn: string): Promise<typeof import('node:os')> {
  return import('node:os');
}

/** `node:url`. @param _fn public function that needs it. */
export async function nodeUrl(_fn: string): Promise<typeof import('node:url')> {
  return import('node:url');
}

/** `node:crypto`. @param _fn public function that needs it. */
export async function nodeCrypto(_fn: string): Promise<typeof import('node:crypto')> {
  return import('node:crypto');
}

/** `node:worker_threads`. @param _fn public function that needs it. */
export async function nodeWorkerThreads(_fn: string): Promise<typeof import('node:worker_threads')> {
  return import('node:worker_threads');
}

/** `node:module` (createRequire). @param _fn public function that needs it. */
export async function nodeModule(_fn: string): Promise<NodeModuleApi> {
  return import('node:module');
}

/** True in this build: Node built-ins are available (false in the browser build). */
export const HAS_NODE_BUILTINS = true;
