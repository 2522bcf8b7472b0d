/**
 * Clinical intervals — the one definition of PR, P, QRS, QT, QTc and RR in beat-ssl, used by the
 * record features (`ecgFeatures`) and by the segmentation output (`segmentRecord`, `processEcg`),
 * so QT is the same number wherever it is reported.
 *
 * **Definitions** (waves carry inclusive `onset`/`offset` sample indices at `fs`; every interval is
 * reported in milliseconds, `ms = samples · 1000 / fs`):
 * - A **beat** is a QRS wave. Its **P wave** is the last P that ends before the QRS onset, starts
 *   after the previous QRS offset and starts at most 0.4 s before the QRS onset; its **T wave** is
 *   the first T that starts after the QRS offset and ends before the next QRS onset.
 * - Durations of a wave count its samples: **QRS** = QRS offset − QRS onset + 1, **P** = P offset −
 *   P onset + 1, and **QT** = T offset − QRS onset + 1 (from the first sample of the QRS to the last
 *   of the T wave).
 * - Intervals between two onsets are differences: **PR** = QRS onset − P onset; **RR** = next QRS
 *   onset − QRS onset (per beat; NaN for the last beat).
 * - **QTc** (Bazett) = QT / √RR with RR the record's median RR in seconds, for every beat alike
 *   (as automated 10-s 12-lead analysis does; robust to single ectopic beats), so the record's QTc
 *   is the median of its beats' QTc.
 * - Record values are medians over beats of the finite per-beat values (NaN when none);
 *   `heartRateBpm` = 60000 / median RR.
 * @module
 */
import { checkFs } from '../core/errors';
import { checkWaves } from '../core/_internal/waves';
import type { Wave } from '../core/types';
import { medianOf } from './_internal/median';

/** Longest PR interval (s) within which a P wave is paired with the following QRS. */
export const MAX_PR_SEC = 0.4;

/** The waves of one beat, as paired by {@link pairBeatWaves}. */
export interface BeatWaves {
  /** The P wave of the beat, if one is paired. */
  p?: Wave;
  /** The QRS complex (defines the beat). */
  qrs: Wave;
  /** The T wave of the beat, if one is paired. */
  t?: Wave;
  /** Onset (sample) of the next QRS, `Infinity` for the last beat. */
  nextQrsOnset: number;
}

/** The interval values of one beat, or their medians over the beats of a record (ms; NaN where unavailable). */
export interface IntervalsMs {
  /** PR interval: QRS onset − P onset. */
  prMs: number;
  /** P-wave duration: P offset − P onset + 1 samples. */
  pMs: number;
  /** QRS duration: QRS offset − QRS onset + 1 samples. */
  qrsMs: number;
  /** QT interval: T offset − QRS onset + 1 samples. */
  qtMs: number;
  /** Bazett QTc: QT / √(median RR of the record in s). */
  qtcMs: number;
  /** RR from the QRS onset to the next QRS onset. */
  rrMs: number;
}

/** Per-beat intervals of {@link wavesToIntervals}. */
export interface BeatIntervals extends IntervalsMs {
  /** QRS onset (sample at `fs`). */
  qrsOnset: number;
}

/** Typed output of {@link wavesToIntervals}: medians over beats (NaN when unavailable) and per-beat values. */
export interface ClinicalIntervals extends IntervalsMs {
  /** 60000 / median RR. */
  heartRateBpm: number;
  /** One entry per QRS complex, in time order. */
  beats: BeatIntervals[];
}

/**
 * Groups delineated waves into beats: each QRS with its P and T wave by the pairing rule of this
 * module (P: the last P ending before the QRS onset, after the previous QRS, within
 * {@link MAX_PR_SEC}; T: the first T after the QRS offset ending before the next QRS onset).
 * @param waves waves at `fs` in any order (e.g. `delineateBeats` or `segmentRecord` output)
 * @param fs sampling rate (Hz)
 * @returns one {@link BeatWaves} per QRS, in time order
 * @throws if `fs` is not a valid rate or a wave is malformed
 * @example
 * ```ts
 * const beats = pairBeatWaves(delineateBeats(signals, fs, peaks), fs);
 * beats.filter((b) => b.p === undefined).length; // beats without a P wave
 * ```
 */
export function pairBeatWaves(waves: readonly Wave[], fs: number): BeatWaves[] {
  const fn = 'pairBeatWaves';
  checkFs(fs, fn);
  return pairSorted(checkWaves(waves, fn), fs);
}

function pairSorted(sorted: Wave[], fs: number): BeatWaves[] {
  const qrs = sorted.filter((w) => w.type === 'QRS');
  const maxPr = MAX_PR_SEC * fs;
  return qrs.map((q, k) => {
    const prevEnd = k > 0 ? qrs[k - 1].offset : -Infinity;
    const nextQrsOnset = k + 1 < qrs.length ? qrs[k + 1].onset : Infinity;
    let p: Wave | undefined;
    for (const w of sorted) {
      if (w.onset >= q.onset) break;
      if (w.type === 'P' && w.offset < q.onset && w.onset > prevEnd && q.onset - w.onset <= maxPr) p = w;
    }
    const t = sorted.find((w) => w.type === 'T' && w.onset > q.offset && w.offset < nextQrsOnset);
    const beat: BeatWaves = { qrs: q, nextQrsOnset };
    if (p) beat.p = p;
    if (t) beat.t = t;
    return beat;
  });
}

/**
 * Clinical intervals of a record from its delineated waves, by the definitions of this module
 * (see the module documentation): per beat PR, P, QRS, QT, QTc (Bazett with the record's median
 * RR) and RR in milliseconds, and their medians.
 * @param waves waves at `fs` (inclusive sample indices), e.g. from `delineateBeats` or `labelsToWaves`
 * @param fs sampling rate (Hz)
 * @returns medians in ms (`heartRateBpm` = 60000 / median RR) and per-beat values
 * @throws if `fs` is not a valid rate or a wave is malformed
 * @example
 * ```ts
 * const iv = wavesToIntervals(waves, 500);
 * iv.qtMs;  // median QT (ms)
 * iv.qtcMs; // median QT / √(median RR in s)
 * ```
 */
export function wavesToIntervals(waves: readonly Wave[], fs: number): ClinicalIntervals {
  const fn = 'wavesToIntervals';
  checkFs(fs, fn);
  const beats = pairSorted(checkWaves(waves, fn), fs);
  const ms = (samples: number) => (samples * 1000) / fs;
  const rr = beats.map((b) => (Number.isFinite(b.nextQrsOnset) ? ms(b.nextQrsOnset - b.qrs.onset) : NaN));
  const rrMs = medianOf(rr);
  const rrSec = rrMs / 1000;
  const perBeat: BeatIntervals[] = beats.map((b, k) => {
    const qtMs = b.t ? ms(b.t.offset - b.qrs.onset + 1) : NaN;
    return {
      qrsOnset: b.qrs.onset,
      prMs: b.p ? ms(b.qrs.onset - b.p.onset) : NaN,
      pMs: b.p ? ms(b.p.offset - b.p.onset + 1) : NaN,
      qrsMs: ms(b.qrs.offset - b.qrs.onset + 1),
      qtMs,
      qtcMs: rrSec > 0 ? qtMs / Math.sqrt(rrSec) : NaN,
      rrMs: rr[k],
    };
  });
  return {
    prMs: medianOf(perBeat.map((b) => b.prMs)),
    pMs: medianOf(perBeat.map((b) => b.pMs)),
    qrsMs: medianOf(perBeat.map((b) => b.qrsMs)),
    qtMs: medianOf(perBeat.map((b) => b.qtMs)),
    qtcMs: medianOf(perBeat.map((b) => b.qtcMs)),
    rrMs,
    heartRateBpm: 60000 / rrMs,
    beats: perBeat,
  };
}
