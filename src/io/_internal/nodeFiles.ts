/**
 * Node file access for beat-ssl/io: the only io module that uses Node built-ins, all through the
 * gate `core/_internal/node` (whose browser build throws a clear error). Private.
 */
import { BeatSslError } from '../../core/errors';
import { nodeFs, nodePath } from '../../core/_internal/node';
import { writeFilesAtomic as writeAtomic } from '../../core/atomicWrite';
import type { ByteSource } from './engine';

type Fs = typeof import('node:fs/promises');
type Path = typeof import('node:path');

async function fsp(fn = 'readRecord'): Promise<Fs> {
  return nodeFs(fn);
}
async function pathMod(fn = 'readRecord'): Promise<Path> {
  return nodePath(fn);
}

function reasonOf(e: unknown): string {
  const code = (e as { code?: string }).code;
  return code === 'ENOENT' ? 'it does not exist' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : code === 'ENOTDIR' ? 'a parent is not a directory' : ((e as Error).message ?? String(e));
}

/** Reads a file, turning Node errors into a BeatSslError that names the file. */
export async function readFileOrFail(path: string, fn: string, what: string, maxBytes = Infinity): Promise<Uint8Array> {
  const fs = await fsp(fn);
  try {
    if (Number.isFinite(maxBytes)) {
      const st = await fs.stat(path);
      if (st.isFile() && st.size > maxBytes) {
        throw new BeatSslError(fn, `${what} '${path}' must be at most opts.maxBytes = ${maxBytes} bytes, but it has ${st.size}; pass { maxBytes: ${st.size} } (or more) to read it.`, path);
      }
    }
    const buf = await fs.readFile(path);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (e) {
    if (e instanceof BeatSslError) throw e;
    throw new BeatSslError(fn, `${what} '${path}' must be a readable file, but ${reasonOf(e)}.`, path);
  }
}

/** Splits `path/to/rec(.hea)?` into its folder and header file name. */
export async function splitRecordPath(base: string): Promise<{ dir: string; hea: string; rec: string }> {
  const path = await pathMod();
  const hea = base.endsWith('.hea') ? base : `${base}.hea`;
  return { dir: path.dirname(hea), hea: path.basename(hea), rec: path.basename(hea, '.hea') };
}

/** Splits a file path into its folder and base name. */
export async function splitFilePath(p: string): Promise<{ dir: string; base: string }> {
  const path = await pathMod();
  return { dir: path.dirname(p), base: path.basename(p) };
}

/** Joins a folder and a relative name (the engine has checked that the name stays inside). */
export async function joinPath(dir: string, name: string): Promise<string> {
  return (await pathMod()).join(dir, name);
}

/** A {@link ByteSource} over the files of one folder: reads only the byte ranges asked for. */
export async function folderSource(dir: string, fn: string): Promise<ByteSource> {
  const fs = await fsp(fn);
  const path = await pathMod(fn);
  const full = (name: string) => path.join(dir, name);
  return {
    label: full,
    async size(name, what) {
      try {
        const st = await fs.stat(full(name));
        if (!st.isFile()) throw Object.assign(new Error('not a file'), { code: st.isDirectory() ? 'EISDIR' : 'ENOTFILE' });
        return st.size;
      } catch (e) {
        throw new BeatSslError(fn, `${what} '${full(name)}' must be a readable file, but ${reasonOf(e)}.`, full(name));
      }
    },
    async read(name, start, end, what) {
      let fh: Awaited<ReturnType<Fs['open']>> | undefined;
      try {
        fh = await fs.open(full(name), 'r');
        const st = await fh.stat();
        if (!st.isFile()) throw Object.assign(new Error('not a file'), { code: st.isDirectory() ? 'EISDIR' : 'ENOTFILE' });
        const stop = Math.min(end, st.size);
        const len = Math.max(0, stop - start);
        const buf = new Uint8Array(len);
        let got = 0;
        while (got < len) {
          const { bytesRead } = await fh.read(buf, got, len - got, start + got);
          if (bytesRead === 0) break;
          got += bytesRead;
        }
        return got === len ? buf : buf.subarray(0, got);
      } catch (e) {
        throw new BeatSslError(fn, `${what} '${full(name)}' must be a readable file, but ${reasonOf(e)}.`, full(name));
      } finally {
        await fh?.close();
      }
    },
  };
}

/**
 * Writes several files so that none is left partially written (the one atomic writer of
 * `beat-ssl/core`: temporary file, fsync, rename, cleanup on failure).
 */
export async function writeFilesAtomic(entries: { path: string; data: Uint8Array | string }[], fn: string): Promise<void> {
  await writeAtomic(entries, { fn });
}

/** Reads a cached file, or `null` when it is not cached. */
export async function cacheGet(cacheDir: string, key: string): Promise<Uint8Array | null> {
  const fs = await fsp();
  const path = await pathMod();
  try {
    const buf = await fs.readFile(path.join(cacheDir, key));
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch {
    return null;
  }
}

/** Stores a downloaded file in the cache (temporary name + rename: never a partial file). */
export async function cachePut(cacheDir: string, key: string, data: Uint8Array, fn: string): Promise<void> {
  const fs = await fsp(fn);
  const path = await pathMod(fn);
  const dest = path.join(cacheDir, key);
  try {
    await fs.mkdir(path.dirname(dest), { recursive: true });
  } catch (e) {
    throw new BeatSslError(fn, `opts.cacheDir must be a writable folder, but creating '${path.dirname(dest)}' failed (${reasonOf(e)}).`, 'opts.cacheDir');
  }
  await writeFilesAtomic([{ path: dest, data }], fn);
}
