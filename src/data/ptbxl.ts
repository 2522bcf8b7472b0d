/**
 * PTB-XL: superdiagnostic labels from the CSV files and a lazy dataset of the 100 Hz records.
 *
 * Labels follow PhysioNet's `example_physionet.py` (DESIGN §7): every code of `scp_codes` whose
 * row in `scp_statements.csv` has `diagnostic == 1` maps to its `diagnostic_class`, with no
 * likelihood threshold; records with none of the five classes are dropped (unless
 * `keepUnlabeled`).
 * @module
 */
import type { EcgRecord } from '../core/types';
import { check, fail } from '../core/errors';
import { createDataset, type Dataset } from './dataset';
import { parseCsvObjects } from './_internal/csv';
import { nodeFs, nodePath } from '../core/_internal/node';

/** The five PTB-XL superdiagnostic classes, in the order of the label vectors. */
export const PTBXL_SUPERCLASSES = ['NORM', 'MI', 'STTC', 'CD', 'HYP'] as const;
/** One PTB-XL superdiagnostic class. */
export type PtbxlSuperclass = (typeof PTBXL_SUPERCLASSES)[number];

/** One labelled PTB-XL row. */
export interface PtbxlEntry {
  /** `ecg_id`. */
  ecgId: number;
  /** `patient_id` (integer; the CSV writes it as a float). */
  patientId: number;
  /** `strat_fold` 1–10. */
  fold: number;
  /** The `scp_codes` dictionary (code → likelihood, %). */
  scpCodes: Record<string, number>;
  /** Multi-hot over {@link PTBXL_SUPERCLASSES}. */
  labels: Float32Array;
  /** The superclasses present, in {@link PTBXL_SUPERCLASSES} order. */
  superclasses: PtbxlSuperclass[];
  /** Record path relative to the dataset folder without extension (`filename_lr`, e.g. `records100/00000/00001_lr`). */
  filename: string;
}

/**
 * Parses PTB-XL's `scp_codes` field, a Python dict literal such as
 * `{'NORM': 100.0, 'SR': 0.0}`.
 * @param text the field
 * @returns code → likelihood
 * @throws when the text is not a dict literal of string keys and numeric values
 * @example
 * parseScpCodes("{'NORM': 100.0, 'SR': 0.0}"); // { NORM: 100, SR: 0 }
 */
export function parseScpCodes(text: string): Record<string, number> {
  check(typeof text === 'string', 'parseScpCodes', 'text', 'a string', text);
  const t = text.trim();
  if (!t.startsWith('{') || !t.endsWith('}')) fail('parseScpCodes', 'text', "a dict literal like {'NORM': 100.0}", text);
  const out: Record<string, number> = {};
  const body = t.slice(1, -1).trim();
  if (body === '') return out;
  for (const part of body.split(',')) {
    const m = /^\s*(['"])([^'"]+)\1\s*:\s*([-+0-9.eE]+)\s*$/.exec(part);
    if (!m) fail('parseScpCodes', 'text', "a dict literal like {'NORM': 100.0}", text);
    out[m[2]] = Number(m[3]);
  }
  return out;
}

/**
 * Reads `scp_statements.csv` into the map code → diagnostic superclass, keeping only rows with
 * `diagnostic == 1` and a non-empty `diagnostic_class`.
 * @param csvText the file contents
 * @returns code → superclass
 * @throws {BeatSslError} when `csvText` is not a string or the columns are missing
 * @example
 * parseScpStatements(text).get('IMI'); // 'MI'
 */
export function parseScpStatements(csvText: string): Map<string, PtbxlSuperclass> {
  check(typeof csvText === 'string', 'parseScpStatements', 'csvText', 'the text of scp_statements.csv', csvText);
  const { header, rows } = parseCsvObjects(csvText, 'parseScpStatements');
  for (const col of ['diagnostic', 'diagnostic_class']) {
    if (!header.includes(col)) fail('parseScpStatements', 'csvText', `a CSV with column '${col}'`, header.join(','));
  }
  const codeCol = header[0];
  const map = new Map<string, PtbxlSuperclass>();
  for (const r of rows) {
    const cls = r.diagnostic_class.trim();
    if (Number(r.diagnostic) === 1 && (PTBXL_SUPERCLASSES as readonly string[]).includes(cls)) map.set(r[codeCol].trim(), cls as PtbxlSuperclass);
  }
  return map;
}

/**
 * Parses one PTB-XL label CSV (the official `ptbxl_database.csv` or any file with its columns
 * `ecg_id, patient_id, scp_codes, strat_fold, filename_lr`) into labelled entries.
 * @param csvText the file contents
 * @param statements from {@link parseScpStatements}
 * @returns every row, labelled (rows without a superclass have an all-zero label vector)
 * @throws when a required column is missing or a value is malformed
 * @example
 * const entries = parsePtbxlLabels(dbText, parseScpStatements(stmtText));
 */
export function parsePtbxlLabels(csvText: string, statements: Map<string, PtbxlSuperclass>): PtbxlEntry[] {
  const fn = 'parsePtbxlLabels';
  check(typeof csvText === 'string', fn, 'csvText', 'the text of ptbxl_database.csv', csvText);
  check(statements instanceof Map, fn, 'statements', 'a Map of SCP code → superclass (parseScpStatements)', statements);
  const { header, rows } = parseCsvObjects(csvText, fn);
  for (const col of ['ecg_id', 'patient_id', 'scp_codes', 'strat_fold', 'filename_lr']) {
    if (!header.includes(col)) fail(fn, 'csvText', `a CSV with column '${col}'`, header.join(','));
  }
  return rows.map((r) => {
    const ecgId = Number(r.ecg_id);
    if (!Number.isInteger(ecgId)) fail(fn, 'ecg_id', 'an integer', r.ecg_id);
    const scpCodes = parseScpCodes(r.scp_codes);
    const labels = new Float32Array(PTBXL_SUPERCLASSES.length);
    for (const code of Object.keys(scpCodes)) {
      const cls = statements.get(code);
      if (cls) labels[PTBXL_SUPERCLASSES.indexOf(cls)] = 1;
    }
    return {
      ecgId,
      patientId: Math.round(Number(r.patient_id)),
      fold: Number(r.strat_fold),
      scpCodes,
      labels,
      superclasses: PTBXL_SUPERCLASSES.filter((_, j) => labels[j] === 1),
      filename: r.filename_lr.trim(),
    };
  });
}

/** Options of {@link readPtbxlLabels} and {@link loadPtbxl}. */
export interface PtbxlOptions {
  /**
   * Label CSV files, relative to the dataset folder or absolute. Default: every `*.csv` in the
   * folder whose header has `ecg_id` and `scp_codes` (e.g. `ptbxl_database.csv` and
   * `ptbxl_labels_00501_01999.csv`). When an ecg_id appears in several files, the first wins.
   */
  labelFiles?: string[];
  /** `scp_statements.csv` path (default: in the dataset folder). */
  statementsFile?: string;
  /** Keep only these `strat_fold`s. */
  folds?: number[];
  /** Keep only these ecg_ids. */
  ids?: number[];
  /** Drop these ecg_ids (e.g. the 12 ids removed in PTB-XL v1.0.3). */
  excludeIds?: number[];
  /** Keep records without any superclass (default false: dropped, as in DESIGN §7). */
  keepUnlabeled?: boolean;
  /** Rows whose record files are absent: `'skip'` (default) or `'error'`. */
  missing?: 'skip' | 'error';
}

/** The 12 ecg_ids in 1–500 that PTB-XL v1.0.3 removed (problem or duplicate records). */
export const PTBXL_V103_REMOVED_IDS: readonly number[] = [137, 139, 140, 141, 142, 143, 145, 456, 458, 459, 461, 462];

/**
 * Reads the label CSVs of a PTB-XL folder (Node only) and returns the labelled entries whose
 * record header exists, filtered by the options, sorted by ecg_id.
 * @param dir the PTB-XL folder (holding `scp_statements.csv`, label CSVs and `records100/`)
 * @param opts see {@link PtbxlOptions}
 * @returns entries sorted by ecg_id
 * @throws when `scp_statements.csv` or a label file cannot be read, or `missing: 'error'` and a record is absent
 * @example
 * const train = await readPtbxlLabels('../shared/data/ptbxl', { folds: [1, 2, 3, 4, 5, 6, 7, 8] });
 */
export async function readPtbxlLabels(dir: string, opts: PtbxlOptions = {}): Promise<PtbxlEntry[]> {
  const fn = 'readPtbxlLabels';
  check(typeof dir === 'string' && dir.length > 0, fn, 'dir', 'a folder path', dir);
  const fs = await nodeFs('readPtbxlLabels');
  const path = await nodePath('readPtbxlLabels');
  const readText = async (p: string, arg: string) => {
    try {
      return await fs.readFile(p, 'utf8');
    } catch (e) {
      return fail(fn, arg, 'a readable file', `${p} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  };
  const statements = parseScpStatements(await readText(path.resolve(dir, opts.statementsFile ?? 'scp_statements.csv'), 'opts.statementsFile'));
  let files = opts.labelFiles;
  if (!files) {
    files = [];
    const names = (await fs.readdir(dir)).filter((f) => f.toLowerCase().endsWith('.csv')).sort();
    for (const f of names) {
      const text = await readText(path.resolve(dir, f), 'dir');
      const head = text.slice(0, text.indexOf('\n') >>> 0);
      if (/(^|,)ecg_id(,|$)/.test(head) && head.includes('scp_codes')) files.push(f);
    }
    if (files.length === 0) fail(fn, 'dir', 'a folder with a PTB-XL label CSV (columns ecg_id, scp_codes, ...)', dir);
  }
  const byId = new Map<number, PtbxlEntry>();
  for (const f of files) {
    for (const e of parsePtbxlLabels(await readText(path.resolve(dir, f), 'opts.labelFiles'), statements)) {
      if (!byId.has(e.ecgId)) byId.set(e.ecgId, e);
    }
  }
  const folds = opts.folds ? new Set(opts.folds) : null;
  const ids = opts.ids ? new Set(opts.ids) : null;
  const excl = new Set(opts.excludeIds ?? []);
  const out: PtbxlEntry[] = [];
  for (const e of [...byId.values()].sort((a, b) => a.ecgId - b.ecgId)) {
    if (folds && !folds.has(e.fold)) continue;
    if (ids && !ids.has(e.ecgId)) continue;
    if (excl.has(e.ecgId)) continue;
    if (!opts.keepUnlabeled && e.superclasses.length === 0) continue;
    const hea = path.resolve(dir, e.filename + '.hea');
    const exists = await fs.stat(hea).then(() => true, () => false);
    if (!exists) {
      if ((opts.missing ?? 'skip') === 'error') fail(fn, `record ${e.ecgId}`, 'present in the folder', hea);
      continue;
    }
    out.push(e);
  }
  return out;
}

/** One loaded PTB-XL item. */
export interface PtbxlSample extends PtbxlEntry {
  /** The record at its native rate (100 Hz for `records100`), 12 leads, mV. */
  record: EcgRecord;
}

/**
 * A lazy PTB-XL dataset (Node only): labels are read now, signals on demand.
 * Keys are the record paths (absolute, without extension).
 * @param dir the PTB-XL folder
 * @param opts see {@link PtbxlOptions}
 * @returns a dataset of {@link PtbxlSample}
 * @throws as {@link readPtbxlLabels}
 * @example
 * const val = await loadPtbxl('../shared/data/ptbxl', { folds: [9] });
 * const { record, labels } = await val.get(0); // record.fs === 100
 */
export async function loadPtbxl(dir: string, opts: PtbxlOptions = {}): Promise<Dataset<PtbxlSample> & { entries: PtbxlEntry[] }> {
  check(typeof dir === 'string' && dir.length > 0, 'loadPtbxl', 'dir', 'a folder path', dir);
  const entries = await readPtbxlLabels(dir, opts);
  const path = await nodePath('loadPtbxl');
  const { readRecord } = await import('../io/index');
  const keys = entries.map((e) => path.resolve(dir, e.filename));
  const ds = createDataset(keys, async (key, i) => ({ ...entries[i], record: await readRecord(key) }));
  return Object.assign(ds, { entries });
}
