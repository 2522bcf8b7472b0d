/**
 * Shared data types of beat-ssl. Plain objects, no classes: they serialise to JSON and cross
 * worker-thread boundaries unchanged.
 * @module
 */

/** The 12 standard lead names in canonical order (I, II, III, aVR, aVL, aVF, V1–V6). */
export type LeadName = 'I' | 'II' | 'III' | 'aVR' | 'aVL' | 'aVF' | 'V1' | 'V2' | 'V3' | 'V4' | 'V5' | 'V6';

/**
 * A multi-lead ECG record, as read from WFDB or built by the user.
 *
 * - `fs`: sampling rate in Hz (always explicit; there is no default rate anywhere in beat-ssl).
 * - `leads`: one name per signal, in signal order (as written in the file; see
 *   `beat-ssl/signal` `normalizeLeadName` for canonical names).
 * - `signals`: one `Float32Array` per lead, all of equal length, in **millivolts** when `units`
 *   says `mV` (readers convert µV and V to mV). Missing samples (WFDB "invalid") are `NaN`.
 */
export interface EcgRecord {
  /** Record name (WFDB record name, or user-chosen). */
  name: string;
  /** Sampling frequency in Hz. */
  fs: number;
  /** Lead (signal) names, one per entry of `signals`. */
  leads: string[];
  /** Samples per lead: `signals[lead][sample]`, millivolts when `units[lead] === 'mV'`. */
  signals: Float32Array[];
  /** Physical unit per lead after conversion (normally `'mV'`). */
  units: string[];
  /** Header comment lines (without the leading `#`). */
  comments: string[];
}

/**
 * One WFDB annotation (MIT format).
 * `sample` is the sample index at the record's rate; `symbol` the WFDB mnemonic (`N`, `V`, `(`, `p`, ...).
 */
export interface Annotation {
  /** Sample index (0-based) at the record's sampling rate. */
  sample: number;
  /** Annotation mnemonic, e.g. `N`, `V`, `A`, `+`, `(`, `)`, `p`, `t`. */
  symbol: string;
  /** WFDB `subtyp` field (0 when absent). */
  subtype: number;
  /** WFDB `chan` field (0 when absent). */
  chan: number;
  /** WFDB `num` field (0 when absent). */
  num: number;
  /** Auxiliary string (e.g. rhythm `(AFIB`), `''` when absent. */
  aux: string;
}

/** Wave types of the P/QRS/T segmentation task. */
export type WaveType = 'P' | 'QRS' | 'T';

/** A delineated wave: inclusive `onset` and `offset` sample indices at the signal's rate. */
export interface Wave {
  type: WaveType;
  /** First sample of the wave. */
  onset: number;
  /** Last sample of the wave (inclusive). */
  offset: number;
  /** Peak sample when known. */
  peak?: number;
}

/** Segmentation classes, in logit order: 0 none, 1 P, 2 QRS, 3 T. */
export const SEGMENT_CLASSES = ['none', 'P', 'QRS', 'T'] as const;
/** Name of a segmentation class. */
export type SegmentClass = (typeof SEGMENT_CLASSES)[number];

/** A typed array of samples accepted by the signal functions. */
export type Samples = Float32Array | Float64Array;
