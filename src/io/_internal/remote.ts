/**
 * WFDB files over HTTP(S) with `fetch` (Node ≥ 18 and browsers): byte-range requests, clear
 * network errors, and an optional on-disk cache (Node only, through nodeFiles). Private.
 */
import { BeatSslError } from '../../core/errors';
import type { ByteSource } from './engine';

/** Options of a remote source. */
export interface RemoteOptions {
  /** fetch implementation (default the global one). */
  fetch?: typeof fetch;
  /** Folder for whole-file caching (Node only). */
  cacheDir?: string;
  /** Per-request timeout in ms. */
  timeoutMs: number;
  /** Largest file downloaded whole (cache mode) or body read. */
  maxBytes: number;
}

/** Is `s` an http(s) URL? */
export function isUrl(s: string): boolean {
  return /^https?:\/\//i.test(s);
}

/** Splits a record URL (`https://host/db/100` or `…/100.hea`) into its folder URL and header name. */
export function splitRecordUrl(u: string, fn: string): { base: string; hea: string; rec: string } {
  let url: URL;
  try {
    url = new URL(u);
  } catch {
    throw new BeatSslError(fn, `base must be a record path or an http(s) URL, but got '${u}' (not a valid URL).`, 'base');
  }
  if (url.search || url.hash) throw new BeatSslError(fn, `base must be a record URL without '?query' or '#fragment', but got '${u}'.`, 'base');
  const path = url.pathname;
  const slash = path.lastIndexOf('/');
  const last = decodeURIComponent(path.slice(slash + 1));
  if (last === '') throw new BeatSslError(fn, `base must be a record URL ending in the record name (e.g. https://physionet.org/files/mitdb/1.0.0/100), but got '${u}'.`, 'base');
  const rec = last.endsWith('.hea') ? last.slice(0, -4) : last;
  return { base: `${url.origin}${path.slice(0, slash + 1)}`, hea: `${rec}.hea`, rec };
}

/** The URL of a (confined, relative) file name under a folder URL; each component is percent-encoded. */
export function fileUrl(base: string, name: string): string {
  return base + name.split('/').map(encodeURIComponent).join('/');
}

function statusHint(status: number): string {
  if (status === 404 || status === 410) return 'check the base URL and the record name (PhysioNet files live at https://physionet.org/files/<database>/<version>/<record>)';
  if (status === 401 || status === 403) return 'the server refuses access: the database may need credentials (pass a fetch that adds them) or the URL is wrong';
  if (status === 429 || status >= 500) return 'the server is busy or failing: try again later';
  return 'check the URL';
}

function networkError(e: unknown, url: string, what: string, fn: string, timeoutMs: number): BeatSslError {
  if (e instanceof BeatSslError) return e;
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') {
    return new BeatSslError(fn, `${what} '${url}' must download within opts.timeoutMs = ${timeoutMs} ms, but the server did not answer in time; check the network or raise timeoutMs.`, url);
  }
  const code = err?.cause?.code ?? '';
  const detail = code === 'ECONNREFUSED' ? 'connection refused' : code === 'ENOTFOUND' ? 'host not found' : code === 'ECONNRESET' ? 'connection reset' : (err?.cause?.message ?? err?.message ?? String(e));
  return new BeatSslError(fn, `${what} '${url}' must be downloadable, but the request failed (${code ? `${code}: ` : ''}${detail}); check the URL, that the server is up, and the network or proxy settings.`, url);
}

async function get(url: string, what: string, headers: Record<string, string>, o: RemoteOptions, fn: string, method = 'GET'): Promise<Response> {
  const f = o.fetch ?? globalThis.fetch;
  if (typeof f !== 'function') throw new BeatSslError(fn, `the runtime must provide fetch to read '${url}', but it has none; pass opts.fetch.`, url);
  let res: Response | undefined;
  for (let attempt = 0; !res; attempt++) {
    try {
      res = await f(url, { method, headers, signal: AbortSignal.timeout(o.timeoutMs), redirect: 'follow' });
    } catch (e) {
      // A kept-alive connection the server has just closed fails once with ECONNRESET; GET and
      // HEAD are idempotent, so retry that once on a fresh connection.
      const code = (e as { cause?: { code?: string } })?.cause?.code;
      if (attempt === 0 && (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET')) continue;
      throw networkError(e, url, what, fn, o.timeoutMs);
    }
  }
  if (res.status === 416) return res; // range past the end: caller treats as empty
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    throw new BeatSslError(fn, `${what} '${url}' must be downloadable, but the server answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}; ${statusHint(res.status)}.`, url);
  }
  return res;
}

/** Reads at most `limit` bytes of a body after skipping `skip` bytes, then cancels the rest. */
async function readBody(res: Response, skip: number, limit: number, url: string, what: string, o: RemoteOptions, fn: string): Promise<Uint8Array> {
  if (!res.body) return new Uint8Array(0);
  const reader = res.body.getReader();
  const parts: Uint8Array[] = [];
  let seen = 0;
  let kept = 0;
  try {
    while (kept < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      const a = Math.max(0, skip - seen);
      seen += value.length;
      if (a >= value.length) continue;
      const piece = value.subarray(a, Math.min(value.length, a + (limit - kept)));
      parts.push(piece);
      kept += piece.length;
    }
  } catch (e) {
    throw networkError(e, url, what, fn, o.timeoutMs);
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(kept);
  let p = 0;
  for (const x of parts) {
    out.set(x, p);
    p += x.length;
  }
  return out;
}

/** A {@link ByteSource} over a folder URL. With `cacheDir`, files are downloaded whole once and kept. */
export function remoteSource(base: string, o: RemoteOptions, fn: string): ByteSource {
  const whole = new Map<string, Promise<Uint8Array>>();
  const download = (name: string, what: string): Promise<Uint8Array> => {
    let p = whole.get(name);
    if (!p) {
      p = (async () => {
        const url = fileUrl(base, name);
        const key = cacheKey(url);
        const nf = await import('./nodeFiles');
        const hit = await nf.cacheGet(o.cacheDir as string, key);
        if (hit) return hit;
        const res = await get(url, what, {}, o, fn);
        const len = Number(res.headers.get('content-length') ?? NaN);
        if (Number.isFinite(len) && len > o.maxBytes) {
          await res.body?.cancel().catch(() => undefined);
          throw new BeatSslError(fn, `${what} '${url}' must be at most opts.maxBytes = ${o.maxBytes} bytes to be cached, but it has ${len}; pass { maxBytes: ${len} } (or more).`, 'opts.maxBytes');
        }
        const data = await readBody(res, 0, o.maxBytes + 1, url, what, o, fn);
        if (data.length > o.maxBytes) throw new BeatSslError(fn, `${what} '${url}' must be at most opts.maxBytes = ${o.maxBytes} bytes to be cached, but it is larger; pass a larger maxBytes.`, 'opts.maxBytes');
        await nf.cachePut(o.cacheDir as string, key, data, fn);
        return data;
      })();
      whole.set(name, p);
    }
    return p;
  };
  return {
    label: (name) => fileUrl(base, name),
    async size(name, what) {
      if (o.cacheDir) return (await download(name, what)).length;
      const url = fileUrl(base, name);
      const res = await get(url, what, { Range: 'bytes=0-0' }, o, fn);
      const cr = res.headers.get('content-range');
      await res.body?.cancel().catch(() => undefined);
      const m = cr ? /\/(\d+)\s*$/.exec(cr) : null;
      if (m) return Number(m[1]);
      if (res.status === 416) return 0;
      const len = res.headers.get('content-length');
      if (res.status === 200 && len !== null) return Number(len);
      throw new BeatSslError(fn, `${what} '${url}' must report its size (Content-Range or Content-Length), but the server sent neither.`, url);
    },
    async read(name, start, end, what) {
      if (end <= start) return new Uint8Array(0);
      if (o.cacheDir) {
        const all = await download(name, what);
        return all.subarray(Math.min(start, all.length), Math.min(end, all.length));
      }
      const url = fileUrl(base, name);
      const res = await get(url, what, { Range: `bytes=${start}-${end - 1}` }, o, fn);
      if (res.status === 416) {
        await res.body?.cancel().catch(() => undefined);
        return new Uint8Array(0);
      }
      if (res.status === 206) {
        const cr = res.headers.get('content-range') ?? '';
        const m = /bytes\s+(\d+)-/.exec(cr);
        const got = m ? Number(m[1]) : start;
        if (got > start) throw new BeatSslError(fn, `${what} '${url}' must be served from byte ${start}, but the server sent a range starting at ${got}.`, url);
        return readBody(res, start - got, end - start, url, what, o, fn);
      }
      // 200: the server ignored the range; read through the body up to `end` only.
      return readBody(res, start, end - start, url, what, o, fn);
    },
  };
}

/** Cache path of a URL: `<host>[_<port>]/<path…>` (the URL is normalized, so no '..' remains). */
export function cacheKey(url: string): string {
  const u = new URL(url);
  const host = u.host.replace(/[^A-Za-z0-9.-]/g, '_');
  const parts = u.pathname.split('/').filter((p) => p !== '' && p !== '.' && p !== '..');
  return [host, ...parts].join('/');
}
