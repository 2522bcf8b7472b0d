/**
 * Decoding the signal files of one single-segment WFDB record into digital samples. Private.
 * Runtime-neutral.
 */
import { BeatSslError, describe } from '../../core/errors';
import type { WfdbHeader, WfdbSignalSpec } from '../header';
import { bytesForSamples, decodeStream, FORMAT_RANGE, samplesInBytes } from './formats';

/** Digital samples of one record: `digital[s]` holds all samples of signal s (`nFrames × spf_s`). */
export interface DecodedSignals {
  nFrames: number;
  digital: Int32Array[];
  /** Per signal: the digital value marking an invalid sample (`null` = none, format 8). */
  invalid: (number | null)[];
}

/** Largest number of samples per signal beat-ssl allocates (2^28: 1 GiB of float32, 74 h at 1 kHz). */
export const MAX_SAMPLES_PER_SIGNAL = 2 ** 28;

/** Groups signal indices by file name, in order of first appearance. */
export function groupByFile(signals: WfdbSignalSpec[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  signals.forEach((s, i) => {
    if (s.format === 0) return; // null signal: no file
    const g = groups.get(s.fileName);
    if (g) g.push(i);
    else groups.set(s.fileName, [i]);
  });
  return groups;
}

/**
 * Decodes every signal of a single-segment header from `files` (file name → bytes).
 * Enforces: every file present, one format and one byte offset per file, enough bytes for the
 * header's sample count (or derives the count from the file sizes when the header has none).
 * Skew is not applied here (see the caller). `fn` names the public function for errors.
 */
export function decodeSignals(header: WfdbHeader, files: Record<string, Uint8Array>, fn: string): DecodedSignals {
  const groups = groupByFile(header.signals); // null signals (format 0) stay all-invalid (NaN)
  const maxSkew = header.signals.reduce((m, s) => Math.max(m, s.skew), 0);
  // 1. The number of frames: header value, or derived from the (smallest) file.
  let nFrames = header.nSamples;
  const layouts = new Map<string, { idx: number[]; bytes: Uint8Array; frameSamples: number; offset: number }>();
  for (const [fileName, idx] of groups) {
    const first = header.signals[idx[0]];
    for (const i of idx) {
      const s = header.signals[i];
      if (s.format !== first.format) {
        throw new BeatSslError(fn, `file '${fileName}': all signals of one file must share one format, but got formats ${first.format} and ${s.format}.`, fileName);
      }
      if (s.byteOffset !== first.byteOffset) {
        throw new BeatSslError(fn, `file '${fileName}': all signals of one file must share one byte offset, but got ${first.byteOffset} and ${s.byteOffset}.`, fileName);
      }
    }
    if (fileName === '~' || fileName === '-') {
      throw new BeatSslError(fn, `file name of signal ${idx[0]} must name a signal file, but got ${describe(fileName)} (null/standard-input signals are not supported).`, fileName);
    }
    const bytes = files[fileName];
    if (!(bytes instanceof Uint8Array)) {
      throw new BeatSslError(fn, `signal file '${fileName}' must be provided, but it is missing.`, fileName);
    }
    const frameSamples = idx.reduce((a, i) => a + header.signals[i].samplesPerFrame, 0);
    const offset = first.byteOffset;
    layouts.set(fileName, { idx, bytes, frameSamples, offset });
  }
  if (nFrames === undefined) {
    let derived = Infinity;
    for (const [, l] of layouts) {
      const avail = Math.max(0, l.bytes.length - l.offset);
      derived = Math.min(derived, Math.floor(samplesInBytes(header.signals[l.idx[0]].format, avail) / l.frameSamples));
    }
    nFrames = Number.isFinite(derived) ? derived : 0;
  }
  const maxSpf = header.signals.reduce((m, s) => Math.max(m, s.samplesPerFrame), 1);
  if (nFrames * maxSpf > MAX_SAMPLES_PER_SIGNAL) {
    throw new BeatSslError(fn, `header '${header.name}' must describe at most ${MAX_SAMPLES_PER_SIGNAL} samples per signal, but it gives ${nFrames} frames × ${maxSpf} samples.`, header.name);
  }
  const digital: Int32Array[] = header.signals.map((s) => new Int32Array(s.format === 0 ? (nFrames as number) * s.samplesPerFrame : 0));
  const invalid: (number | null)[] = header.signals.map((s) => FORMAT_RANGE[s.format].invalid);
  for (const [fileName, l] of layouts) {
    const format = header.signals[l.idx[0]].format;
    const nStream = nFrames * l.frameSamples;
    const need = l.offset + bytesForSamples(format, nStream);
    if (l.bytes.length < need) {
      throw new BeatSslError(
        fn,
        `signal file '${fileName}' must hold ${nFrames} frames of ${l.frameSamples} format-${format} samples (${need} bytes${l.offset ? ` incl. a ${l.offset}-byte offset` : ''}), but it has ${l.bytes.length} bytes (truncated file, or the header overstates the number of samples).`,
        fileName,
      );
    }
    // Frames beyond nFrames are read when present, so that skewed signals can use them.
    let extraFrames = 0;
    if (maxSkew > 0) {
      const availFrames = Math.floor(samplesInBytes(format, l.bytes.length - l.offset) / l.frameSamples);
      extraFrames = Math.max(0, Math.min(maxSkew, availFrames - nFrames));
    }
    const totalFrames = nFrames + extraFrames;
    const stream = decodeStream(format, l.bytes, l.offset, totalFrames * l.frameSamples);
    // De-interleave.
    let col = 0;
    for (const i of l.idx) {
      const spf = header.signals[i].samplesPerFrame;
      const out = new Int32Array(totalFrames * spf);
      for (let f = 0, o = 0; f < totalFrames; f++) {
        let p = f * l.frameSamples + col;
        for (let k = 0; k < spf; k++) out[o++] = stream[p++];
      }
      if (format === 8) {
        // First differences: integrate from the initial value.
        let acc = header.signals[i].initValue;
        for (let k = 0; k < out.length; k++) {
          acc = (acc + out[k]) | 0;
          out[k] = acc;
        }
      }
      digital[i] = out;
      col += spf;
    }
  }
  return { nFrames, digital, invalid };
}

/** 16-bit two's-complement sum of the first `n` samples (WFDB checksum). */
export function checksum16(samples: Int32Array, n = samples.length): number {
  let sum = 0;
  for (let k = 0; k < n; k++) sum = (sum + samples[k]) & 0xffff;
  return (sum << 16) >> 16;
}
