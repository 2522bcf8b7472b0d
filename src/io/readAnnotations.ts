/**
 * Reading and writing WFDB annotation files on disk (Node only; Node built-ins are imported
 * dynamically so that importing `beat-ssl/io` stays browser-safe).
 * @module
 */
import type { Annotation } from '../core/types';
import { BeatSslError, describe } from '../core/errors';
import { encodeAnnotations, parseAnnotations } from './annotations';
import { readFileOrFail, writeFilesAtomic } from './_internal/nodeFiles';

/**
 * Reads a WFDB annotation file (MIT format) from disk (Node only).
 *
 * @param path full path of the annotation file, including the annotator extension
 *   (e.g. `'examples/data/mitdb/100.atr'`, `'examples/data/ludb/1.ii'`)
 * @returns annotations in file order (see {@link parseAnnotations})
 * @throws BeatSslError naming the file if it is missing, empty, truncated or not an annotation file
 * @example
 * ```ts
 * const anns = await readAnnotations('examples/data/mitdb/100.atr');
 * anns[0]; // { sample: 18, symbol: '+', subtype: 0, chan: 0, num: 0, aux: '(N' }
 * ```
 */
export async function readAnnotations(path: string): Promise<Annotation[]> {
  const fn = 'readAnnotations';
  if (typeof path !== 'string' || path === '') throw new BeatSslError(fn, `path must be an annotation file path, but got ${describe(path)}.`, 'path');
  const bytes = await readFileOrFail(path, fn, 'annotation file');
  try {
    return parseAnnotations(bytes, path);
  } catch (e) {
    if (e instanceof BeatSslError) throw new BeatSslError(fn, e.message.replace(/^Error in parseAnnotations: /, ''), path);
    throw e;
  }
}

/**
 * Writes annotations as a WFDB annotation file (MIT format) (Node only). The file is written to a
 * temporary name first and renamed, so a failure never leaves a partial file.
 *
 * @param path output path including the annotator extension, e.g. `'out/100.qrs'`
 * @param annotations annotations sorted by `sample` (see {@link encodeAnnotations})
 * @returns a promise resolved once the file is written (atomically: no partial file on error)
 * @throws BeatSslError if an annotation is invalid or the file cannot be written
 * @example
 * ```ts
 * await writeAnnotations('out/100.qrs', peaks.map((s) => ({ sample: s, symbol: 'N', subtype: 0, chan: 0, num: 0, aux: '' })));
 * ```
 */
export async function writeAnnotations(path: string, annotations: readonly Annotation[]): Promise<void> {
  const fn = 'writeAnnotations';
  if (typeof path !== 'string' || path === '') throw new BeatSslError(fn, `path must be an output file path, but got ${describe(path)}.`, 'path');
  let bytes: Uint8Array;
  try {
    bytes = encodeAnnotations(annotations);
  } catch (e) {
    if (e instanceof BeatSslError) throw new BeatSslError(fn, e.message.replace(/^Error in encodeAnnotations: /, ''), e.arg);
    throw e;
  }
  await writeFilesAtomic([{ path, data: bytes }], fn);
}
