/**
 * MIT-BIH Arrhythmia Database: records with their reference beat annotations.
 * @module
 */
import type { Annotation, EcgRecord } from '../core/types';
import { check, fail } from '../core/errors';
import { createDataset, type Dataset } from './dataset';
import { listWfdbRecords } from './wfdbFolder';
import { nodeFs, nodePath } from '../core/_internal/node';

/** WFDB beat annotation symbols (the MIT-BIH beat labels; everything else is a non-beat annotation). */
export const MITDB_BEAT_SYMBOLS: readonly string[] = ['N', 'L', 'R', 'B', 'A', 'a', 'J', 'S', 'V', 'r', 'F', 'e', 'j', 'n', 'E', '/', 'f', 'Q', '?'];

/** One loaded MIT-BIH record. */
export interface MitdbSample {
  /** Record name, e.g. `'100'`. */
  name: string;
  /** The record (360 Hz, 2 leads, mV). */
  record: EcgRecord;
  /** Every annotation of the annotator file (beats, rhythm changes, quality, ...). */
  annotations: Annotation[];
  /** The beat annotations only (symbols in {@link MITDB_BEAT_SYMBOLS}). */
  beats: Annotation[];
}

/**
 * A lazy MIT-BIH dataset (Node only): records that have an annotation file of `annotator`.
 * @param dir folder with `NNN.hea`, `NNN.dat`, `NNN.atr`
 * @param opts `annotator` (default `'atr'`), `names` (default all)
 * @returns a dataset of {@link MitdbSample}
 * @throws when the folder holds no annotated record or a requested name is absent
 * @example
 * const mit = await loadMitdb('examples/data/mitdb');
 * const { beats } = await mit.get(0); // beats[k].sample at 360 Hz
 */
export async function loadMitdb(dir: string, opts: { annotator?: string; names?: string[] } = {}): Promise<Dataset<MitdbSample>> {
  const fn = 'loadMitdb';
  check(typeof dir === 'string' && dir.length > 0, fn, 'dir', 'a folder path', dir);
  const annotator = opts.annotator ?? 'atr';
  check(typeof annotator === 'string' && /^[\w-]+$/.test(annotator), fn, 'opts.annotator', 'an annotator name such as atr', annotator);
  const fs = await nodeFs('loadMitdb');
  const path = await nodePath('loadMitdb');
  const all = await listWfdbRecords(dir, { recursive: false });
  const annotated: string[] = [];
  for (const p of all) if (await fs.stat(`${p}.${annotator}`).then(() => true, () => false)) annotated.push(p);
  let paths = annotated;
  if (opts.names) {
    const byName = new Map(annotated.map((p) => [path.basename(p), p]));
    paths = opts.names.map((n) => byName.get(n) ?? fail(fn, 'opts.names', `names of records with .${annotator} in ${dir}`, n));
  }
  if (paths.length === 0) fail(fn, 'dir', `a folder of WFDB records with .${annotator} files`, dir);
  const { readRecord, readAnnotations } = await import('../io/index');
  const beatSet = new Set(MITDB_BEAT_SYMBOLS);
  return createDataset(paths, async (p) => {
    const [record, annotations] = await Promise.all([readRecord(p), readAnnotations(`${p}.${annotator}`)]);
    return { name: path.basename(p), record, annotations, beats: annotations.filter((a) => beatSet.has(a.symbol)) };
  });
}
