/**
 * Any folder of WFDB records: list the records and load them lazily.
 * @module
 */
import type { EcgRecord } from '../core/types';
import { check, fail } from '../core/errors';
import { createDataset, type Dataset } from './dataset';
import { nodeFs, nodePath } from '../core/_internal/node';

/** Options of {@link listWfdbRecords}. */
export interface ListWfdbOptions {
  /** Descend into sub-folders (default true, as PTB-XL keeps records in `records100/00000/`). */
  recursive?: boolean;
}

/**
 * Lists the WFDB records of a folder (Node only): every `*.hea` file, returned as absolute paths
 * without extension, sorted (numerically where names are numbers).
 * @param dir folder path
 * @param opts `recursive` (default true)
 * @returns record paths (pass them to `readRecord`)
 * @throws when the folder cannot be read
 * @example
 * await listWfdbRecords('examples/data/ludb'); // ['/…/ludb/1', '/…/ludb/2', …]
 */
export async function listWfdbRecords(dir: string, opts: ListWfdbOptions = {}): Promise<string[]> {
  const fn = 'listWfdbRecords';
  check(typeof dir === 'string' && dir.length > 0, fn, 'dir', 'a folder path', dir);
  const fs = await nodeFs('listWfdbRecords');
  const path = await nodePath('listWfdbRecords');
  const out: string[] = [];
  const walk = async (d: string, top: boolean) => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(d, { withFileTypes: true });
    } catch (e) {
      if (top) fail(fn, 'dir', 'a readable folder', `${d} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
      return;
    }
    for (const e of entries) {
      if (e.isDirectory()) {
        if ((opts.recursive ?? true) && !e.name.startsWith('.')) await walk(path.join(d, e.name), false);
      } else if (e.name.toLowerCase().endsWith('.hea')) out.push(path.resolve(d, e.name.slice(0, -4)));
    }
  };
  await walk(dir, true);
  const collator = new Intl.Collator('en', { numeric: true });
  return out.sort(collator.compare);
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
  const paths = await listWfdbRecords(dir, opts);
  if (paths.length === 0) fail('loadWfdbFolder', 'dir', 'a folder with at least one .hea record', dir);
  const { readRecord } = await import('../io/index');
  return createDataset(paths, (p) => readRecord(p));
}
