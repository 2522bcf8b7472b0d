/**
 * Reading and writing WFDB annotation files: from disk (Node) or a URL (Node and browsers, with
 * `fetch`). Node built-ins are only reached through `_internal/nodeFiles` (dynamically imported),
 * so importing `beat-ssl/io` stays browser-safe.
 * @module
 */
import type { Annotation } from '../core/types';
import { BeatSslError, checkKnownKeys, describe } from '../core/errors';
import { encodeAnnotations, parseAnnotations } from './annotations';
import { writeFilesAtomic } from './_internal/nodeFiles';
import { locateFile } from './_internal/locate';
import { checkAnnotator } from './_internal/names';
import { DEFAULT_MAX_ANNOTATION_BYTES } from './_internal/limits';

/** Options of {@link readAnnotations}. */
export interface ReadAnnotationsOptions {
  /**
   * Budget: the largest annotation file read, in bytes (default 64 MiB, i.e. up to 32 M
   * annotation words); larger files are refused before they are read.
   */
  maxBytes?: number;
  /** URLs only: per-request timeout in ms (default 30000). */
  timeoutMs?: number;
  /** URLs only: the `fetch` to use (default the global one). */
  fetch?: typeof fetch;
  /** URLs only (Node): folder where downloaded files are cached. */
  cacheDir?: string;
}

const KEYS = ['maxBytes', 'timeoutMs', 'fetch', 'cacheDir'] as const;

/**
 * Reads a WFDB annotation file (MIT format) from disk or a URL.
 *
 * Give either the file's full path (`'data/mitdb/100.atr'`) or the record and the annotator
 * (`'data/mitdb/100', 'atr'`); the annotator must be a plain extension (letters, digits, `_`,
 * `-`), so the file stays in the record's folder.
 *
 * @param path annotation file path or URL, or (with `annotator`) the record path or URL
 * @param annotator annotation file extension, e.g. `'atr'`, `'q1c'`, `'ii'` (optional)
 * @param opts `maxBytes` budget (default 64 MiB); `timeoutMs`, `fetch`, `cacheDir` for URLs
 * @returns annotations in file order (see {@link parseAnnotations})
 * @throws BeatSslError naming the file if it is missing, larger than `maxBytes`, empty, truncated
 *   or not an annotation file; for a bad annotator; on a network error
 * @example
 * ```ts
 * const anns = await readAnnotations('examples/data/mitdb/100.atr');
 * anns[0]; // { sample: 18, symbol: '+', subtype: 0, chan: 0, num: 0, aux: '(N' }
 * const ii = await readAnnotations('examples/data/ludb/1', 'ii');
 * ```
 */
export async function readAnnotations(path: string, annotator?: string | ReadAnnotationsOptions, opts: ReadAnnotationsOptions = {}): Promise<Annotation[]> {
  const fn = 'readAnnotations';
  if (typeof path !== 'string' || path === '') throw new BeatSslError(fn, `path must be an annotation file path or URL, but got ${describe(path)}.`, 'path');
  let o = opts;
  let file = path;
  if (annotator !== undefined && typeof annotator === 'object') o = annotator;
  else if (annotator !== undefined) file = `${path.replace(/\.hea$/, '')}.${checkAnnotator(annotator, fn)}`;
  if (o === null || typeof o !== 'object') throw new BeatSslError(fn, `opts must be an options object, but got ${describe(o)}.`, 'opts');
  checkKnownKeys(o, KEYS, fn, 'opts');
  const maxBytes = o.maxBytes ?? DEFAULT_MAX_ANNOTATION_BYTES;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 2) throw new BeatSslError(fn, `opts.maxBytes must be an integer ≥ 2, but got ${describe(o.maxBytes)}.`, 'opts.maxBytes');
  const { source, name } = await locateFile(file, { ...o, maxBytes }, fn);
  const label = source.label(name);
  const bytes = await source.read(name, 0, maxBytes + 1, 'annotation file');
  if (bytes.length > maxBytes) {
    throw new BeatSslError(fn, `annotation file '${label}' must be at most opts.maxBytes = ${maxBytes} bytes, but it is larger; pass a larger { maxBytes } to read it.`, 'opts.maxBytes');
  }
  try {
    return parseAnnotations(bytes, label);
  } catch (e) {
    if (e instanceof BeatSslError) throw new BeatSslError(fn, e.message.replace(/^Error in parseAnnotations: /, ''), label);
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
