/**
 * Streaming R-peak detection: {@link createRPeakStream}. Same engine as `detectRPeaks`.
 * @module
 */
import { check, checkFs, fail } from '../core/errors';
import type { Samples } from '../core/types';
import { checkLeads, rpeakEngineOptions } from './_internal/rpeakOptions';
import { RPEAK_MIN_FS, type RPeakOptions } from './detect';
import { RPeakEngine } from './_internal/rpeakEngine';

/** A running R-peak detector. Create with {@link createRPeakStream}. */
export interface RPeakStream {
  /**
   * Feeds the next samples (one lead, or one array per lead; every call the same number of leads,
   * leads of equal length within a call; any chunk length, including 0).
   * @returns the R peaks confirmed by this call, as global sample indices (counted from the first
   * sample ever pushed), strictly increasing across calls
   */
  push(chunk: Samples | readonly Samples[]): Int32Array;
  /** Ends the input and returns the remaining peaks (e.g. a last beat closer to the end than the latency). The stream can't be pushed to afterwards. */
  flush(): Int32Array;
  /** Samples consumed so far (per lead). */
  readonly samples: number;
  /** Sampling rate, Hz. */
  readonly fs: number;
  /**
   * Normal latency bound in seconds: a beat is reported at most this long after its R peak
   * (0.40 s by default: 0.25 s confirmation after the QRS-energy peak, which itself trails the R peak by up to 0.15 s; typically 0.3 s). Beats recovered by search-back (rare) are reported when the search-back
   * runs, up to `searchBackFactor` × the mean RR after the previous beat; the first beats are
   * reported once `learningSec` of signal has been seen.
   */
  readonly latencySec: number;
}

/**
 * Creates a streaming R-peak detector: push chunks of samples as they arrive, get the newly
 * confirmed peaks back. Memory is bounded (ring buffers of about `learningSec` + 1.5 s and a fixed
 * history), whatever the stream length. Fed the same samples, it reports exactly the peaks
 * `detectRPeaks` returns (both run the same block-causal engine).
 *
 * @param fs sampling rate in Hz (≥ 50)
 * @param opts detector options (see `RPeakOptions` in `beat-ssl/beats/detect`)
 * @returns a {@link RPeakStream}
 * @throws if `fs` is below 50 Hz or an option is out of range; `push` throws on a chunk with a different number of leads
 * @example
 * const stream = createRPeakStream(360);
 * for (const chunk of chunks) for (const p of stream.push(chunk)) console.log('beat at', p / 360, 's');
 * stream.flush();
 */
export function createRPeakStream(fs: number, opts: RPeakOptions = {}): RPeakStream {
  const fn = 'createRPeakStream';
  checkFs(fs, fn);
  check(fs >= RPEAK_MIN_FS, fn, 'fs', `at least ${RPEAK_MIN_FS} Hz (a QRS complex is only a few samples below it; resample the signal up first, e.g. with resample or resampleRecord of beat-ssl/signal)`, fs);
  const eo = rpeakEngineOptions(fn, opts);
  let engine: RPeakEngine | null = null;
  let done = false;
  const latencySec = new RPeakEngine(fs, 1, eo).latencySec;
  return {
    fs,
    latencySec,
    get samples() {
      return engine ? engine.samples : 0;
    },
    push(chunk) {
      if (done) fail('RPeakStream.push', 'stream', 'open (flush() was already called)', 'a flushed stream');
      const leads = checkLeads('RPeakStream.push', 'chunk', chunk);
      if (!engine) engine = new RPeakEngine(fs, leads.length, eo);
      else check(leads.length === engine.nLeads, 'RPeakStream.push', 'chunk', `${engine.nLeads} lead(s) like the first chunk`, `${leads.length} lead(s)`);
      return Int32Array.from(engine.push(leads, leads[0].length));
    },
    flush() {
      if (done) return new Int32Array(0);
      done = true;
      return engine ? Int32Array.from(engine.flush()) : new Int32Array(0);
    },
  };
}
