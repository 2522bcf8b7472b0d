/**
 * Node file helpers for beat-ssl/io (dynamic `node:` imports only, so importers stay browser-safe). Private.
 */
import { BeatSslError } from '../../core/errors';
import { nodeFs } from '../../core/_internal/node';

/** Reads a file, turning Node errors into a BeatSslError that names the file. */
export async function readFileOrFail(path: string, fn: string, what: string): Promise<Uint8Array> {
  const fs = await nodeFs(fn);
  try {
    const buf = await fs.readFile(path);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (e) {
    const code = (e as { code?: string }).code;
    const reason = code === 'ENOENT' ? 'it does not exist' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    throw new BeatSslError(fn, `${what} '${path}' must be a readable file, but ${reason}.`, path);
  }
}

/**
 * Writes several files so that none is left partially written: each goes to a temporary file in
 * the same directory first, then all are renamed into place.
 */
export async function writeFilesAtomic(entries: { path: string; data: Uint8Array | string }[], fn: string): Promise<void> {
  const fs = await nodeFs(fn);
  const tmps: { tmp: string; path: string }[] = [];
  try {
    for (const { path, data } of entries) {
      const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
      tmps.push({ tmp, path });
      await fs.writeFile(tmp, data);
    }
    for (const { tmp, path } of tmps) await fs.rename(tmp, path);
  } catch (e) {
    for (const { tmp } of tmps) await fs.rm(tmp, { force: true }).catch(() => undefined);
    const err = e as { code?: string; message?: string; path?: string };
    throw new BeatSslError(fn, `output file must be writable, but writing failed (${err.code ?? ''} ${err.message ?? ''}).`, err.path);
  }
}
