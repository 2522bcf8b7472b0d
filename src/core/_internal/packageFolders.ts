/**
 * The folders from this module's location upwards — to find files shipped with the package
 * (`weights/`, `package.json`) from `src/…` in the repository and from `dist/…` when installed. Node only. Private.
 * @module
 */
import { nodePath, nodeUrl } from './node';

/**
 * This module's folder and up to `levels` folders above it, nearest first.
 * @param fn public function named if Node built-ins are unavailable (browser build)
 * @param levels how many folders to go up (default 5)
 */
export async function foldersAbove(fn: string, levels = 5): Promise<string[]> {
  const path = await nodePath(fn);
  const url = await nodeUrl(fn);
  const starts: string[] = [];
  try {
    const here = import.meta.url;
    if (here) starts.push(path.dirname(url.fileURLToPath(here)));
  } catch {
    /* CJS build: import.meta is unavailable */
  }
  if (typeof __dirname === 'string') starts.push(__dirname);
  const out: string[] = [];
  for (const start of starts) {
    let dir = start;
    for (let up = 0; up < levels; up++) {
      if (!out.includes(dir)) out.push(dir);
      dir = path.dirname(dir);
    }
  }
  return out;
}
