/**
 * The one documented record → model-input transform of beat-ssl, driven by a **preprocessing
 * spec** that every model folder carries as `preprocess.json` (the way transformers.js saves a
 * preprocessor config beside the weights), so training, evaluation, the CLI and inference prepare
 * records identically:
 *
 * 1. select and order leads by name (`findLead` of `beat-ssl/core`: `MLII` = `II`),
 * 2. fill missing (`NaN`) samples by linear interpolation,
 * 3. band-pass filter at the record's native rate (Butterworth, zero-phase),
 * 4. resample to the working rate `fs` (polyphase, anti-aliased),
 * 5. standardise each lead (zero mean, unit SD over the record) or keep millivolts,
 * 6. crop or zero-pad to a fixed length, when the spec has one.
 *
 * {@link preprocessSpec} resolves an options object into a complete spec (every value explicit, so
 * a saved spec never depends on a library default); {@link recordToTensor} goes from a record to
 * the `[1, T, leads]` model input in one call.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type { EcgRecord } from '../core/types';
import { check, checkFs, checkInt, checkKnownKeys, fail } from '../core/errors';
import { CANONICAL_LEADS, canonicalLeadName, findLead } from '../core/leads';
import { bandpass } from './filter';
import { interpolateNaN } from './missing';
import { resample } from './resample';
import { checkEcgRecord } from '../core/_internal/record';
import { checkOptions } from '../core/_internal/options';

/** Format tag written to `preprocess.json` with a {@link PreprocessSpec}. */
export const PREPROCESS_FORMAT = 'beat-ssl-preprocess@1';

/** A complete preprocessing spec: every step explicit (what a model folder's `preprocess.json` holds). */
export interface PreprocessSpec {
  /** Working sampling rate (Hz). */
  fs: number;
  /** Leads, in model-input order (matched by `findLead`), or `'all'` to keep the record's leads. */
  leads: readonly string[] | 'all';
  /** Band-pass cutoffs (Hz) applied at the native rate (upper cutoff capped at 0.45 · native fs), or `null`. */
  bandpassHz: readonly [number, number] | null;
  /** `'lead'`: z-score each lead over the record (unit `'z'`); `'none'`: keep millivolts. */
  standardize: 'lead' | 'none';
  /** Crop (first samples) or zero-pad every lead to this many samples at `fs`, or `null` to keep the length. */
  lengthSamples: number | null;
}

/** Options of {@link preprocessSpec} / {@link preprocessRecord}: `fs` is required, the rest have documented defaults. */
export interface PreprocessOptions {
  /** Working sampling rate in Hz (required; there is no default rate). */
  fs: number;
  /** Leads to keep, in this order; `'all'` keeps the record's leads. Default: the 12 `CANONICAL_LEADS`. */
  leads?: readonly string[] | 'all';
  /** Band-pass cutoffs in Hz at the native rate; `null` skips filtering. Default `[0.5, 40]`. */
  bandpassHz?: readonly [number, number] | null;
  /** `'lead'` (default): z-score each lead over the record; `'none'`: keep millivolts. */
  standardize?: 'lead' | 'none';
  /** Fixed length in samples at `fs` (crop or zero-pad); `null` (default) keeps each record's length. */
  lengthSamples?: number | null;
}

const SPEC_KEYS = ['fs', 'leads', 'bandpassHz', 'standardize', 'lengthSamples'] as const;

/**
 * Resolves preprocessing options into a complete, validated {@link PreprocessSpec} — the object
 * to save with a model (defaults: the 12 canonical leads, 0.5–40 Hz band-pass, per-lead z-score,
 * no fixed length).
 * @param spec options with at least `fs` (Hz); a spec passes through unchanged (validated)
 * @param fn public function named in errors
 * @param arg argument named in errors (default `'spec'`; e.g. `'preprocessing'` for a function taking one)
 * @returns a new spec with every field set
 * @throws BeatSslError for a missing/invalid `fs`, bad cutoffs, an unknown key or standardisation
 * @example
 * ```ts
 * const spec = preprocessSpec({ fs: 100 });
 * // { fs: 100, leads: ['I', ..., 'V6'], bandpassHz: [0.5, 40], standardize: 'lead', lengthSamples: null }
 * ```
 */
export function preprocessSpec(spec: PreprocessOptions, fn = 'preprocessSpec', arg = 'spec'): PreprocessSpec {
  check(spec != null && typeof spec === 'object' && !Array.isArray(spec), fn, arg, 'an options object with fs (Hz)', spec);
  const opts = spec;
  checkKnownKeys(opts, SPEC_KEYS, fn, arg);
  const fs = checkFs(opts.fs, fn, `${arg}.fs`);
  const leads = opts.leads ?? CANONICAL_LEADS;
  if (leads !== 'all') check(Array.isArray(leads) && leads.length > 0 && leads.every((l) => typeof l === 'string' && l.trim() !== ''), fn, `${arg}.leads`, "a non-empty array of lead names or 'all'", leads);
  const band = opts.bandpassHz === undefined ? ([0.5, 40] as const) : opts.bandpassHz;
  if (band !== null) check(Array.isArray(band) && band.length === 2 && band[0] > 0 && band[1] > band[0] && Number.isFinite(band[1]), fn, `${arg}.bandpassHz`, '[low, high] in Hz with 0 < low < high, or null', band);
  const standardize = opts.standardize ?? 'lead';
  if (standardize !== 'lead' && standardize !== 'none') fail(fn, `${arg}.standardize`, "'lead' or 'none'", standardize);
  const lengthSamples = opts.lengthSamples == null ? null : checkInt(opts.lengthSamples, fn, `${arg}.lengthSamples`, 1);
  return { fs, leads: leads === 'all' ? 'all' : [...leads], bandpassHz: band === null ? null : [band[0], band[1]], standardize, lengthSamples };
}

/**
 * Reads a spec from parsed `preprocess.json` (a model folder's). Extra keys (e.g. a segmentation
 * model's `postprocessing`) are ignored; files written before the `format` tag existed are
 * accepted; a missing `fs` or `leads` is an error.
 * @param json parsed JSON
 * @param fn public function named in errors (e.g. the loader)
 * @returns the spec
 * @throws BeatSslError naming the bad field
 * @example
 * ```ts
 * const spec = parsePreprocessSpec(JSON.parse(await readFile('model/preprocess.json', 'utf8')), 'myLoader');
 * ```
 */
export function parsePreprocessSpec(json: unknown, fn = 'parsePreprocessSpec'): PreprocessSpec {
  check(json !== null && typeof json === 'object' && !Array.isArray(json), fn, 'preprocess.json', 'an object { fs, leads, bandpassHz, standardize }', json);
  const j = json as Record<string, unknown>;
  if (j.format !== undefined && j.format !== PREPROCESS_FORMAT) fail(fn, 'preprocess.json format', `'${PREPROCESS_FORMAT}'`, j.format);
  checkFs(j.fs, fn, 'preprocess.json fs');
  check(j.leads === 'all' || (Array.isArray(j.leads) && j.leads.length > 0), fn, 'preprocess.json leads', "a list of lead names or 'all'", j.leads);
  return preprocessSpec(
    { fs: j.fs as number, leads: j.leads as string[], bandpassHz: (j.bandpassHz ?? null) as [number, number] | null, standardize: (j.standardize ?? 'lead') as 'lead', lengthSamples: (j.lengthSamples ?? null) as number | null },
    fn,
  );
}

/**
 * The JSON object saved as `preprocess.json` for a spec (with its format tag).
 * @param spec a spec (options are resolved first)
 * @returns a plain object, ready for `JSON.stringify`
 * @throws as {@link preprocessSpec}
 * @example
 * ```ts
 * JSON.stringify(preprocessSpecJson(spec), null, 2);
 * ```
 */
export function preprocessSpecJson(spec: PreprocessOptions): Record<string, unknown> {
  return { format: PREPROCESS_FORMAT, ...preprocessSpec(spec, 'preprocessSpecJson') };
}

/**
 * Runs the preprocessing (lead selection → NaN fill → band-pass → resample → standardise → fixed
 * length) on one record.
 * @param record input record (any rate, mV)
 * @param spec a {@link PreprocessSpec} or options with at least `fs` (see {@link preprocessSpec})
 * @param fn public function named in errors (default `'preprocessRecord'`; functions built on it pass their own name)
 * @returns a new record at `spec.fs` with the selected leads under their canonical names (unit `'z'` when standardised)
 * @throws when `fs` is invalid, a requested lead is missing (named), or a lead has no finite sample
 * @example
 * ```ts
 * const x = preprocessRecord(await readRecord('examples/data/ludb/1'), { fs: 100 });
 * x.signals.length; // 12, each 1000 samples
 * ```
 */
export function preprocessRecord(record: EcgRecord, spec: PreprocessOptions | PreprocessSpec, fn = 'preprocessRecord'): EcgRecord {
  checkEcgRecord(record, fn);
  const s = preprocessSpec(spec, fn);
  let idx: number[];
  let names: string[];
  if (s.leads === 'all') {
    idx = record.leads.map((_, i) => i);
    names = [...record.leads];
  } else {
    idx = s.leads.map((l) => {
      const i = findLead(record.leads, l);
      if (i < 0) fail(fn, 'record.leads', `to include lead ${l}`, record.leads);
      return i;
    });
    names = s.leads.map(canonicalLeadName);
  }
  const band = s.bandpassHz;
  const signals = idx.map((i) => {
    let x: Float32Array | Float64Array = record.signals[i];
    let hasNaN = false;
    for (let k = 0; k < x.length; k++) if (!Number.isFinite(x[k])) { hasNaN = true; break; }
    if (hasNaN) x = interpolateNaN(Float64Array.from(x));
    else x = Float64Array.from(x);
    if (band) {
      const hi = Math.min(band[1], 0.45 * record.fs);
      x = bandpass(x, record.fs, band[0], hi);
    }
    if (s.fs !== record.fs) x = resample(x, record.fs, s.fs);
    const out = new Float32Array(s.lengthSamples ?? x.length);
    const n = Math.min(out.length, x.length);
    if (s.standardize === 'lead') {
      let m = 0;
      for (let k = 0; k < x.length; k++) m += x[k];
      m /= x.length || 1;
      let v = 0;
      for (let k = 0; k < x.length; k++) v += (x[k] - m) ** 2;
      const sd = Math.sqrt(v / (x.length || 1));
      const inv = sd > 1e-8 ? 1 / sd : 0;
      for (let k = 0; k < n; k++) out[k] = (x[k] - m) * inv;
    } else for (let k = 0; k < n; k++) out[k] = x[k];
    return out;
  });
  return {
    ...record,
    fs: s.fs,
    leads: names,
    signals,
    units: names.map((_, j) => (s.standardize === 'lead' ? 'z' : record.units?.[idx[j]] ?? 'mV')),
    comments: [...(record.comments ?? [])],
  };
}

/**
 * Interleaves per-lead signals into one channels-last buffer `[time, leads]` (row-major), the
 * layout of a tfjs tensor `[time, leads]` — the one per-lead → interleaved conversion of beat-ssl.
 * Non-finite samples become 0 when `nanAsZero` is set.
 * @param signals one array per lead, equal lengths T
 * @param opts `nanAsZero` (default false)
 * @returns `Float32Array(T · leads)` with element `[t, l]` at `t · leads + l`
 * @throws when there is no lead or leads differ in length
 * @example
 * ```ts
 * tf.tensor3d(interleaveLeads(rec.signals), [1, rec.signals[0].length, rec.signals.length]);
 * ```
 */
export function interleaveLeads(signals: readonly ArrayLike<number>[], opts: { nanAsZero?: boolean } = {}): Float32Array {
  const fn = 'interleaveLeads';
  check(Array.isArray(signals) && signals.length > 0, fn, 'signals', 'a non-empty array of per-lead arrays', signals);
  opts = checkOptions(opts, ['nanAsZero'], fn);
  const zero = opts.nanAsZero ?? false;
  check(typeof zero === 'boolean', fn, 'opts.nanAsZero', 'true or false', zero);
  const L = signals.length;
  signals.forEach((s, l) => check(Array.isArray(s) || (ArrayBuffer.isView(s) && !(s instanceof DataView)), fn, `signals[${l}]`, 'an array or typed array of samples', s));
  const T = signals[0].length;
  for (let l = 0; l < L; l++) if (signals[l].length !== T) fail(fn, `signals[${l}]`, `${T} samples like lead 0`, signals[l].length);
  const out = new Float32Array(T * L);
  for (let l = 0; l < L; l++) {
    const s = signals[l];
    for (let t = 0; t < T; t++) {
      const v = s[t];
      out[t * L + l] = zero && !Number.isFinite(v) ? 0 : v;
    }
  }
  return out;
}

/**
 * A record as model input: {@link preprocessRecord} with the model's spec, interleaved, as a
 * tensor `[1, T, leads]` (channels last; dispose it).
 * @param record input record (any rate, mV)
 * @param spec the model's {@link PreprocessSpec} (e.g. from its folder's `preprocess.json`)
 * @returns `tf.Tensor3D` `[1, T, leads]` at `spec.fs`
 * @throws as {@link preprocessRecord}
 * @example
 * ```ts
 * const x = recordToTensor(record, model.preprocessing);
 * const { probabilities } = classifier.predict(x);
 * x.dispose();
 * ```
 */
export function recordToTensor(record: EcgRecord, spec: PreprocessOptions | PreprocessSpec): tf.Tensor3D {
  const p = preprocessRecord(record, spec, 'recordToTensor');
  return tf.tensor3d(interleaveLeads(p.signals), [1, p.signals[0]?.length ?? 0, p.signals.length]);
}
