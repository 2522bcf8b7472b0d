/**
 * Lead names and lead algebra: the canonical 12-lead order, name normalisation, selecting and
 * reordering leads of a record, and deriving III, aVR, aVL, aVF from I and II.
 * @module
 */
import { check, fail } from '../core/errors';
import type { EcgRecord, LeadName, Samples } from '../core/types';
import { checkEcgRecord } from '../core/_internal/record';
import { CANONICAL_LEADS, canonicalLeadName, findLead, normalizeLeadName } from '../core/leads';
import { checkOptions, optionKeys } from '../core/_internal/options';

export { CANONICAL_LEADS, normalizeLeadName } from '../core/leads';

/** The four limb leads that are linear combinations of I and II. */
export const DERIVED_LIMB_LEADS: readonly LeadName[] = ['III', 'aVR', 'aVL', 'aVF'];

/**
 * Picks and reorders leads of a record by name (the one lead-name rule of `beat-ssl/core`
 * `findLead`: `'II'` finds `'ii'` or `'MLII'`; non-standard names match case-insensitively).
 * @param record source record
 * @param names wanted leads, in the wanted order
 * @returns a new record with copies of those signals; `leads` holds canonical names where known
 * @throws naming the first lead the record does not have
 * @example
 * ```ts
 * const r = selectLeads(record, ['II', 'V1']); // r.leads = ['II', 'V1']
 * ```
 */
export function selectLeads(record: EcgRecord, names: readonly string[]): EcgRecord {
  const fn = 'selectLeads';
  checkEcgRecord(record, fn);
  check(Array.isArray(names) && names.length > 0, fn, 'names', 'a non-empty array of lead names', names);
  names.forEach((n, i) => check(typeof n === 'string' && n.trim() !== '', fn, `names[${i}]`, 'a lead name (string)', n));
  const idx = names.map((n) => {
    const i = findLead(record.leads, n);
    if (i < 0) fail(fn, 'record', `a record with lead ${JSON.stringify(n)} (has ${JSON.stringify(record.leads)})`, record.name);
    return i;
  });
  return {
    ...record,
    leads: names.map(canonicalLeadName),
    signals: idx.map((i) => record.signals[i]!.slice()),
    units: idx.map((i) => record.units?.[i] ?? 'mV'),
    comments: [...(record.comments ?? [])],
  };
}

/** The four derived limb leads. Arrays have the type of the inputs. */
export interface DerivedLimbLeads<T extends Samples = Samples> {
  /** III = II − I */
  III: T;
  /** aVR = −(I + II) / 2 */
  aVR: T;
  /** aVL = I − II / 2 */
  aVL: T;
  /** aVF = II − I / 2 */
  aVF: T;
}

/**
 * Derives III, aVR, aVL, aVF from leads I and II (Einthoven's and Goldberger's equations):
 * III = II − I, aVR = −(I + II)/2, aVL = I − II/2, aVF = II − I/2.
 * @param leadI lead I `[time]` in mV
 * @param leadII lead II `[time]` in mV, same length
 * @returns `{ III, aVR, aVL, aVF }`, new arrays of the type of `leadI`, mV
 * @throws if the inputs are not typed arrays of equal length
 * @example
 * ```ts
 * const { III, aVF } = deriveLimbLeads(I, II);
 * ```
 */
export function deriveLimbLeads<T extends Samples>(leadI: T, leadII: T): DerivedLimbLeads<T> {
  const fn = 'deriveLimbLeads';
  if (!(leadI instanceof Float32Array || leadI instanceof Float64Array)) fail(fn, 'leadI', 'a Float32Array or Float64Array', leadI);
  if (!(leadII instanceof Float32Array || leadII instanceof Float64Array)) fail(fn, 'leadII', 'a Float32Array or Float64Array', leadII);
  check(leadII.length === leadI.length, fn, 'leadII', `the same length as leadI (${leadI.length})`, leadII);
  const n = leadI.length;
  const make = () => (leadI instanceof Float32Array ? new Float32Array(n) : new Float64Array(n)) as T;
  const III = make();
  const aVR = make();
  const aVL = make();
  const aVF = make();
  for (let t = 0; t < n; t++) {
    const a = leadI[t]!;
    const b = leadII[t]!;
    III[t] = b - a;
    aVR[t] = -(a + b) / 2;
    aVL[t] = a - b / 2;
    aVF[t] = b - a / 2;
  }
  return { III, aVR, aVL, aVF };
}

/** Options of {@link toTwelveLead}. */
export interface ToTwelveLeadOptions {
  /** Derive missing III, aVR, aVL, aVF from I and II (default true). Present leads are kept as recorded. */
  derive?: boolean;
}

/**
 * Returns the record with exactly the 12 standard leads in canonical order
 * (I, II, III, aVR, aVL, aVF, V1–V6), matching names with {@link normalizeLeadName}; missing
 * limb leads III/aVR/aVL/aVF are derived from I and II unless `derive: false`.
 * @param record source record (any lead order and naming, e.g. `i, ii, ..., v6` or `I, II, V1..V6`)
 * @param options `derive` (default true)
 * @returns a new record with 12 `Float32Array` signals (copies) in canonical order, units mV
 * @throws naming the first standard lead that is missing and cannot be derived
 * @example
 * ```ts
 * const r12 = toTwelveLead(await readRecord('examples/data/ludb/1'));
 * r12.leads; // ['I', 'II', 'III', 'aVR', ..., 'V6']
 * ```
 */
export function toTwelveLead(record: EcgRecord, options: ToTwelveLeadOptions = {}): EcgRecord {
  const fn = 'toTwelveLead';
  checkEcgRecord(record, fn);
  checkOptions(options, optionKeys<ToTwelveLeadOptions>()('derive'), fn, 'options');
  const derive = options.derive ?? true;
  check(typeof derive === 'boolean', fn, 'options.derive', 'true or false', derive);
  const idx = CANONICAL_LEADS.map((l) => findLead(record.leads, l));
  const missing = CANONICAL_LEADS.filter((_, k) => idx[k]! < 0);
  let derived: DerivedLimbLeads<Float32Array> | null = null;
  if (missing.length > 0) {
    const onlyDerivable = missing.every((l) => DERIVED_LIMB_LEADS.includes(l));
    if (!derive || !onlyDerivable || idx[0]! < 0 || idx[1]! < 0) {
      const first = missing.find((l) => !(derive && DERIVED_LIMB_LEADS.includes(l) && idx[0]! >= 0 && idx[1]! >= 0)) ?? missing[0]!;
      fail(fn, 'record', `a record with lead ${JSON.stringify(first)}${DERIVED_LIMB_LEADS.includes(first) && derive ? ' (or leads I and II to derive it)' : ''} (has ${JSON.stringify(record.leads)})`, record.name);
    }
    derived = deriveLimbLeads(Float32Array.from(record.signals[idx[0]!]!), Float32Array.from(record.signals[idx[1]!]!));
  }
  const signals = CANONICAL_LEADS.map((l, k) => {
    const i = idx[k]!;
    if (i >= 0) return Float32Array.from(record.signals[i]!);
    return derived![l as keyof DerivedLimbLeads]!;
  });
  return {
    ...record,
    leads: [...CANONICAL_LEADS],
    signals,
    units: CANONICAL_LEADS.map(() => 'mV'),
    comments: [...(record.comments ?? [])],
  };
}

/**
 * Applies a per-lead function to every signal of a record (e.g. a filter), keeping the metadata.
 * @param record source record
 * @param fn called with `(samples, leadName, index)`; must return the new samples (any length,
 *   the same for every lead)
 * @returns a new record whose signals are `fn`'s results as `Float32Array`
 * @throws if `fn` returns something other than a typed array, or arrays of unequal length
 * @example
 * ```ts
 * const clean = mapLeads(record, (x) => bandpass(x, record.fs, 0.5, 40));
 * ```
 */
export function mapLeads(record: EcgRecord, fn: (samples: Float32Array, lead: string, index: number) => Samples): EcgRecord {
  const name = 'mapLeads';
  checkEcgRecord(record, name);
  check(typeof fn === 'function', name, 'fn', 'a function (samples, lead, index) => samples', fn);
  const signals = record.signals.map((s, i) => {
    const out = fn(s, record.leads[i]!, i);
    if (!(out instanceof Float32Array || out instanceof Float64Array)) fail(name, `fn result for lead ${record.leads[i]}`, 'a Float32Array or Float64Array', out);
    return out instanceof Float32Array ? out : Float32Array.from(out);
  });
  const len = signals[0]?.length ?? 0;
  signals.forEach((s, i) => check(s.length === len, name, `fn result for lead ${record.leads[i]}`, `${len} samples like the first lead`, s));
  return { ...record, leads: [...record.leads], units: record.units ? [...record.units] : signals.map(() => 'mV'), comments: [...(record.comments ?? [])], signals };
}
