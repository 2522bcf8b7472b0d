/**
 * Any folder of WFDB records: list the records and load them lazily.
 * @module
 */
import type { EcgRecord } from '../core/types';
import { check, checkKnownKeys, fail } from '../core/errors';
import { parseHeader } from '../io/header';
import { MAX_HEADER_BYTES } from '../io/_internal/limits';
import { createDataset, type Dataset } from './dataset';
import { nodeFs, nodePath } from '../core/_internal/node';

/** Options of {@link listWfdbRecords}. */
export interface ListWfdbOptions {
  /** Descend into sub-folders (default true, as PTB-XL keeps records in `records100/00000/`). */
  recursive?: boolean;
}

/**
 * Lists the WFDB records of a folder (Node only): every `*.hea` file, returned as absolute paths
 * without extension, sorted (numerically where names are numbers). The segments of a
 * multi-segment record (the headers its master header names, including a layout segment) are
 * parts of that record, not records: they are left out, and the master header is listed.
 * @param dir folder path
 * @param opts `recursive` (default true)
 * @returns record paths (pass them to `readRecord`)
 * @throws when the folder cannot be read, or `opts` has an unknown key
 * @example
 * await listWfdbRecords('examples/data/ludb'); // ['/…/ludb/1', '/…/ludb/2', …]
 */
export async function listWfdbRecords(dir: string, opts: ListWfdbOptions = {}): Promise<string[]> {
  const fn = 'listWfdbRecords';
  check(typeof dir === 'string' && dir.length > 0, fn, 'dir', 'a folder path', dir);
  checkKnownKeys(opts, ['recursive'], fn, 'opts');
  if (opts.recursive !== undefined) check(typeof opts.recursive === 'boolean', fn, 'opts.recursive', 'a boolean', opts.recursive);
  const fs = await nodeFs('listWfdbRecords');
  const path = await nodePath('listWfdbRecords');
  const out: string[] = [];
  const segments = new Set<string>();
  const walk = async (d: string, top: boolean) => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(d, { withFileTypes: true });
    } catch (e) {
      if (top) fail(fn, 'dir', 'a readable folder', `${d} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
      return;
    }
    const heas: string[] = [];
    for (const e of entries) {
      if (e.isDirectory()) {
        if ((opts.recursive ?? true) && !e.name.startsWith('.')) await walk(path.join(d, e.name), false);
      } else if (e.name.toLowerCase().endsWith('.hea')) heas.push(path.resolve(d, e.name));
    }
    for (const h of heas) {
      out.push(h.slice(0, -4));
      for (const seg of await segmentNames(fs, h)) segments.add(path.resolve(d, seg));
    }
  };
  await walk(dir, true);
  const collator = new Intl.Collator('en', { numeric: true });
  return out.filter((p) => !segments.has(p)).sort(collator.compare);
}

/**
 * The segment record names of a multi-segment master header (`name/n` on its record line), or
 * `[]` for a single-segment header or a file that cannot be read or parsed (a bad header stays in
 * the list: reading it reports the error). Only the first 512 bytes of ordinary headers are read.
 */
async function segmentNames(fs: typeof import('node:fs/promises'), file: string): Promise<string[]> {
  let text: string;
  try {
    const fh = await fs.open(file, 'r');
    try {
      const head = new Uint8Array(512);
      const { bytesRead } = await fh.read(head, 0, head.length, 0);
      const start = new TextDecoder('latin1').decode(head.subarray(0, bytesRead));
      const lines = start.split(/\r?\n/);
      const at = lines.findIndex((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
      const whole = bytesRead < head.length;
      // Decided from the first bytes when the record line is there and complete.
      if (at >= 0 && (whole || at < lines.length - 1) && !/^\s*\S+\/\d/.test(lines[at]!)) return [];
      if (at < 0 && whole) return [];
      if (!whole && (await fh.stat()).size > MAX_HEADER_BYTES) return []; // not a header: reading it says so
      text = whole ? start : new TextDecoder('latin1').decode(await fs.readFile(file));
    } finally {
      await fh.close();
    }
  } catch {
    return [];
  }
  try {
    const h = parseHeader(text);
    return (h.segments ?? []).map((s) => s.name).filter((n) => n !== '~' && !/[\\/]/.test(n));
  } catch {
    return [];
  }
}

/**
 * A lazy dataset of every WFDB record in a folder (Node only). Keys are record paths.
 * @param dir folder path
 * @param opts `recursive` (default true)
 * @returns a dataset of `EcgRecord`s
 * @throws when the folder cannot be read or holds no record
 * @example
 * const ds = await loadWfdbFolder('../shared/data/ptbxl');
 * const rec = await ds.get(0);
 */
export async function loadWfdbFolder(dir: string, opts: ListWfdbOptions = {}): Promise<Dataset<EcgRecord>> {
  check(typeof dir === 'string' && dir.length > 0, 'loadWfdbFolder', 'dir', 'a folder path', dir);
  const paths = await listWfdbRecords(dir, opts);
  if (paths.length === 0) fail('loadWfdbFolder', 'dir', 'a folder with at least one .hea record', dir);
  const { readRecord } = await import('../io/index');
  return createDataset(paths, (p) => readRecord(p));
}
