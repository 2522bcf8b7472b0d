/**
 * LUDB (Lobachevsky University Electrocardiography Database): records with per-sample P/QRS/T
 * masks built from one lead's annotation file.
 *
 * LUDB annotates each wave as `(` onset, a peak symbol (`p` P, `N` QRS, `t` T) and `)` offset, in
 * one annotation file per lead (`N.i`, `N.ii`, ... `N.v6`). Only the middle of each 10-s record is
 * annotated, so every sample has a label only inside the **annotated span** (first to last
 * annotation); outside it is unknown and must not be scored.
 * @module
 */
import { CANONICAL_LEADS, normalizeLeadName } from '../core/leads';
import type { Annotation, EcgRecord, Wave, WaveType } from '../core/types';
import { check, checkInt, fail } from '../core/errors';
import { createDataset, type Dataset } from './dataset';
import { nodeFs, nodePath } from '../core/_internal/node';
import { checkOptions, optionKeys } from '../core/_internal/options';
import { MAX_ARRAY_LENGTH } from '../core/_internal/limits';

const PEAK_TYPE: Record<string, WaveType> = { p: 'P', N: 'QRS', t: 'T' };
const CLASS_OF: Record<WaveType, number> = { P: 1, QRS: 2, T: 3 };

/** Waves, mask and annotated span decoded from one lead's LUDB annotations. */
export interface LudbLabels {
  /** Complete waves (onset, peak and offset all annotated), in time order, samples at the record rate. */
  waves: Wave[];
  /** Class per sample: 0 none, 1 P, 2 QRS, 3 T (0 also outside the span). */
  mask: Uint8Array;
  /**
   * `[first, last]` (inclusive) samples whose label is known: from the first to the last
   * annotation, shrunk past any wave whose onset or offset is missing (cut by the annotated
   * part's edge). `[0, -1]` when there is no annotation.
   */
  span: [number, number];
}

/**
 * Decodes LUDB-style wave annotations (`(` onset, `p`/`N`/`t` peak, `)` offset) into waves, a
 * per-sample mask (0 none, 1 P, 2 QRS, 3 T) and the annotated span.
 * @param annotations one lead's annotations (any order; sorted here)
 * @param length signal length in samples (mask length)
 * @returns `{ waves, mask, span }`
 * @throws {BeatSslError} when `annotations` is not an array of annotations with integer samples in
 *   [0, 2³¹ − 1], or `length` is not an integer in [0, 2³¹ − 1]
 * @example
 * const anns = await readAnnotations('examples/data/ludb/1', 'ii');
 * const { mask, span } = ludbLabels(anns, 5000);
 */
export function ludbLabels(annotations: readonly Annotation[], length: number): LudbLabels {
  const fn = 'ludbLabels';
  check(Array.isArray(annotations), fn, 'annotations', 'an array of annotations', annotations);
  annotations.forEach((a, i) => {
    const ok = a !== null && typeof a === 'object' && typeof a.symbol === 'string' && Number.isInteger(a.sample) && a.sample >= 0 && a.sample <= MAX_ARRAY_LENGTH;
    check(ok, fn, `annotations[${i}]`, `an annotation { sample, symbol } with an integer sample in [0, ${MAX_ARRAY_LENGTH}]`, a);
  });
  checkInt(length, fn, 'length', 0, MAX_ARRAY_LENGTH);
  const anns = [...annotations].sort((a, b) => a.sample - b.sample);
  const waves: Wave[] = [];
  const mask = new Uint8Array(length);
  if (anns.length === 0) return { waves, mask, span: [0, -1] };
  let first = anns[0].sample;
  let last = anns[anns.length - 1].sample;
  for (let i = 0; i < anns.length; i++) {
    const type = PEAK_TYPE[anns[i].symbol];
    if (!type) continue;
    const peak = anns[i].sample;
    const on = i > 0 && anns[i - 1].symbol === '(' ? anns[i - 1].sample : null;
    const off = i + 1 < anns.length && anns[i + 1].symbol === ')' ? anns[i + 1].sample : null;
    if (on !== null && off !== null) {
      waves.push({ type, onset: on, offset: off, peak });
      continue;
    }
    // Incomplete wave: its extent is unknown, so exclude it from the scored span.
    const end = off ?? peak;
    const start = on ?? peak;
    if (start - first < last - end) first = Math.max(first, end + 1);
    else last = Math.min(last, start - 1);
  }
  for (const w of waves) {
    if (w.onset < first || w.offset > last) continue;
    const a = Math.max(0, w.onset);
    const b = Math.min(length - 1, w.offset);
    for (let s = a; s <= b; s++) mask[s] = CLASS_OF[w.type];
  }
  first = Math.max(0, first);
  last = Math.min(length - 1, last);
  return { waves: waves.filter((w) => w.onset >= first && w.offset <= last), mask, span: [first, last] };
}

/** One loaded LUDB record. */
export interface LudbSample extends LudbLabels {
  /** Record id (1–200). */
  id: number;
  /** The record (500 Hz, 12 leads, mV). */
  record: EcgRecord;
  /** Lead whose annotations gave the labels (file extension, e.g. `'ii'`). */
  lead: string;
}

/** Options of {@link loadLudb}. */
export interface LudbOptions {
  /** Lead whose annotation file gives the labels: a LUDB file extension or a lead name (`'II'`, `'ii'`, `'V1'`). Default `'ii'`. */
  lead?: string;
  /** Record ids to load (default: every record in the folder, sorted by id). */
  ids?: number[];
}

/** LUDB annotation file extensions: the canonical lead names in lower case (`1.ii`, `1.avr`, ...). */
const LUDB_LEADS = CANONICAL_LEADS.map((l) => l.toLowerCase());

/**
 * A lazy LUDB dataset (Node only): each item is a record with the masks of one lead's annotations.
 * Keys are record paths (absolute, without extension).
 * @param dir folder with `N.hea`, `N.dat` and the per-lead annotation files
 * @param opts `lead` (default lead II), `ids`
 * @returns a dataset of {@link LudbSample}
 * @throws when the lead is unknown, the folder has no LUDB record, or a requested id is absent
 * @example
 * const ludb = await loadLudb('examples/data/ludb', { lead: 'II', ids: [1, 2] });
 * const { record, mask, span } = await ludb.get(0);
 */
export async function loadLudb(dir: string, opts: LudbOptions = {}): Promise<Dataset<LudbSample>> {
  const fn = 'loadLudb';
  opts = checkOptions(opts, optionKeys<LudbOptions>()('lead', 'ids'), fn);
  check(typeof dir === 'string' && dir.length > 0, fn, 'dir', 'a folder path', dir);
  const lead = (normalizeLeadName(opts.lead ?? 'II') ?? String(opts.lead)).toLowerCase();
  if (!LUDB_LEADS.includes(lead)) fail(fn, 'opts.lead', `one of ${LUDB_LEADS.join(', ')}`, opts.lead);
  const fs = await nodeFs('loadLudb');
  const path = await nodePath('loadLudb');
  const names = await fs.readdir(dir).catch(() => fail(fn, 'dir', 'a readable folder', dir));
  const present = new Set(names.filter((n) => /^\d+\.hea$/.test(n)).map((n) => Number(n.slice(0, -4))));
  let ids: number[];
  if (opts.ids) {
    ids = [...opts.ids];
    for (const id of ids) if (!present.has(id)) fail(fn, 'opts.ids', `ids of records present in ${dir}`, id);
  } else {
    ids = [...present].filter((id) => names.includes(`${id}.${lead}`)).sort((a, b) => a - b);
    if (ids.length === 0) fail(fn, 'dir', `a folder of LUDB records (N.hea with N.${lead})`, dir);
  }
  const { readRecord, readAnnotations } = await import('../io/index');
  const keys = ids.map((id) => path.resolve(dir, String(id)));
  return createDataset(keys, async (key, i) => {
    const record = await readRecord(key);
    const anns = await readAnnotations(`${key}.${lead}`);
    const n = record.signals[0]?.length ?? 0;
    return { id: ids[i], record, lead, ...ludbLabels(anns, n) };
  });
}
