/** Resolving record paths and URLs into byte sources (disk or HTTP). Private; runtime-neutral. */
import { BeatSslError, describe } from '../../core/errors';
import type { ByteSource } from './engine';
import { isUrl, remoteSource, splitRecordUrl } from './remote';

/** Where and how to fetch (the options readRecord, readHeader, readAnnotations share). */
export interface FetchOptions {
  cacheDir?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
  maxBytes?: number;
}

/** A record's folder as a byte source, and its header file name. */
export interface Located {
  source: ByteSource;
  hea: string;
}

/** Checks the fetch options shared by the readers. */
export function checkFetchOptions(o: FetchOptions, fn: string): void {
  if (o.cacheDir !== undefined && (typeof o.cacheDir !== 'string' || o.cacheDir === '')) throw new BeatSslError(fn, `opts.cacheDir must be a folder path, but got ${describe(o.cacheDir)}.`, 'opts.cacheDir');
  if (o.timeoutMs !== undefined && !(typeof o.timeoutMs === 'number' && Number.isFinite(o.timeoutMs) && o.timeoutMs > 0)) {
    throw new BeatSslError(fn, `opts.timeoutMs must be a positive number of milliseconds, but got ${describe(o.timeoutMs)}.`, 'opts.timeoutMs');
  }
  if (o.fetch !== undefined && typeof o.fetch !== 'function') throw new BeatSslError(fn, `opts.fetch must be a fetch function, but got ${describe(o.fetch)}.`, 'opts.fetch');
}

/** Resolves a record path or URL into a byte source over its folder and the header file name. */
export async function locate(base: unknown, o: FetchOptions, fn: string): Promise<Located> {
  if (typeof base !== 'string' || base.trim() === '') {
    throw new BeatSslError(fn, `base must be a record path or URL (with or without .hea), but got ${describe(base)}.`, 'base');
  }
  checkFetchOptions(o, fn);
  if (isUrl(base)) {
    const { base: folder, hea } = splitRecordUrl(base, fn);
    return { source: await folderSourceFor(folder, o, fn), hea };
  }
  const nf = await import('./nodeFiles');
  const { dir, hea } = await nf.splitRecordPath(base);
  return { source: await folderSourceFor(dir, o, fn), hea };
}

/** A byte source over a folder path or folder URL. */
export async function folderSourceFor(folder: string, o: FetchOptions, fn: string): Promise<ByteSource> {
  if (isUrl(folder)) {
    const f = folder.endsWith('/') ? folder : `${folder}/`;
    return remoteSource(f, { fetch: o.fetch, cacheDir: o.cacheDir, timeoutMs: o.timeoutMs ?? 30000, maxBytes: o.maxBytes ?? 2 ** 30 }, fn);
  }
  if (o.cacheDir !== undefined) throw new BeatSslError(fn, `opts.cacheDir applies to records read from a URL, but base is a local path ${describe(folder)}; drop cacheDir.`, 'opts.cacheDir');
  const nf = await import('./nodeFiles');
  return nf.folderSource(folder, fn);
}


/** A byte source over the folder of a file path or URL, and the file's name in it. */
export async function locateFile(pathOrUrl: string, o: FetchOptions, fn: string, arg = 'path'): Promise<{ source: ByteSource; name: string }> {
  checkFetchOptions(o, fn);
  if (isUrl(pathOrUrl)) {
    let u: URL;
    try {
      u = new URL(pathOrUrl);
    } catch {
      throw new BeatSslError(fn, `${arg} must be a file path or a valid http(s) URL, but got ${describe(pathOrUrl)}.`, arg);
    }
    const slash = u.pathname.lastIndexOf('/');
    const name = decodeURIComponent(u.pathname.slice(slash + 1));
    if (name === '' || u.search || u.hash) throw new BeatSslError(fn, `${arg} must be a file URL without '?query' or '#fragment', but got ${describe(pathOrUrl)}.`, arg);
    return { source: await folderSourceFor(`${u.origin}${u.pathname.slice(0, slash + 1)}`, o, fn), name };
  }
  const nf = await import('./nodeFiles');
  const { dir, base } = await nf.splitFilePath(pathOrUrl);
  return { source: await folderSourceFor(dir, o, fn), name: base };
}
