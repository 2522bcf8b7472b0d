/**
 * WFDB signal-file formats: byte layout, decoding of a whole interleaved sample stream, and encoding.
 * Private to `beat-ssl/io`. Runtime-neutral (no Node imports).
 *
 * All formats are little-endian except 61. Stream semantics: a file holds frames; a frame holds
 * `samplesPerFrame` consecutive samples of each of its signals in header order; the *sample stream*
 * is all those samples in file order. Formats 212/310/311 pack 2 or 3 samples of that stream into
 * 3 or 4 bytes, across frame boundaries.
 */

/**
 * WFDB signal storage formats supported by beat-ssl (0 = null signal: no data stored, read as NaN;
 * 508/516/524 = FLAC-compressed 8/16/24-bit, read through the optional `@wasm-audio-decoders/flac`).
 */
export const WFDB_FORMATS = [0, 8, 16, 24, 32, 61, 80, 160, 212, 310, 311, 508, 516, 524] as const;
/** A supported WFDB storage format number. */
export type WfdbFormat = (typeof WFDB_FORMATS)[number];
/** The FLAC-compressed formats (read only). */
export type FlacFormat = 508 | 516 | 524;
/** The formats stored as plain bytes (everything but null and FLAC). */
export type ByteFormat = Exclude<WfdbFormat, 0 | FlacFormat>;

/** Is `f` one of the FLAC formats 508/516/524? */
export function isFlacFormat(f: number): f is FlacFormat {
  return f === 508 || f === 516 || f === 524;
}

/** Is `f` a supported format number? */
export function isWfdbFormat(f: number): f is WfdbFormat {
  return (WFDB_FORMATS as readonly number[]).includes(f);
}

/** Digital range and the "invalid sample" value of each format (WFDB_INVALID_SAMPLE per format). */
export const FORMAT_RANGE: Record<WfdbFormat, { min: number; max: number; invalid: number | null; bits: number }> = {
  0: { min: 0, max: 0, invalid: 0, bits: 0 },
  8: { min: -(2 ** 31), max: 2 ** 31 - 1, invalid: null, bits: 8 },
  16: { min: -32768, max: 32767, invalid: -32768, bits: 16 },
  24: { min: -(2 ** 23), max: 2 ** 23 - 1, invalid: -(2 ** 23), bits: 24 },
  32: { min: -(2 ** 31), max: 2 ** 31 - 1, invalid: -(2 ** 31), bits: 32 },
  61: { min: -32768, max: 32767, invalid: -32768, bits: 16 },
  80: { min: -128, max: 127, invalid: -128, bits: 8 },
  160: { min: -32768, max: 32767, invalid: -32768, bits: 16 },
  212: { min: -2048, max: 2047, invalid: -2048, bits: 12 },
  310: { min: -512, max: 511, invalid: -512, bits: 10 },
  311: { min: -512, max: 511, invalid: -512, bits: 10 },
  508: { min: -128, max: 127, invalid: -128, bits: 8 },
  516: { min: -32768, max: 32767, invalid: -32768, bits: 16 },
  524: { min: -(2 ** 23), max: 2 ** 23 - 1, invalid: -(2 ** 23), bits: 24 },
};

/** Default ADC resolution (bits) per format, used when the header gives 0 or nothing. */
export function defaultAdcResolution(format: WfdbFormat): number {
  switch (format) {
    case 8:
    case 80:
    case 508:
      return 8;
    case 524:
      return 24;
    case 212:
      return 12;
    case 310:
    case 311:
      return 10;
    case 24:
      return 24;
    case 32:
      return 32;
    default:
      return 16;
  }
}

/** Samples per byte group: a stream range must start at a multiple of it (2 for 212, 3 for 310/311). */
export function sampleGroup(format: WfdbFormat): number {
  return format === 212 ? 2 : format === 310 || format === 311 ? 3 : 1;
}

/** Number of bytes needed to hold the first `n` samples of a stream in `format`. */
export function bytesForSamples(format: WfdbFormat, n: number): number {
  if (n <= 0) return 0;
  switch (format) {
    case 0:
    case 508:
    case 516:
    case 524:
      return 0; // null and FLAC signals have no fixed byte layout
    case 8:
    case 80:
      return n;
    case 16:
    case 61:
    case 160:
      return 2 * n;
    case 24:
      return 3 * n;
    case 32:
      return 4 * n;
    case 212: {
      const pairs = Math.floor(n / 2);
      return 3 * pairs + (n % 2 ? 2 : 0);
    }
    case 310: {
      // sample 3k uses bytes 4k,4k+1; 3k+1 uses 4k+2,4k+3; 3k+2 uses 4k+1,4k+3.
      const triples = Math.floor(n / 3);
      const rest = n % 3;
      return 4 * triples + (rest === 0 ? 0 : rest === 1 ? 2 : 4);
    }
    case 311: {
      // sample 3k: bytes 4k,4k+1; 3k+1: 4k+1,4k+2; 3k+2: 4k+2,4k+3.
      const triples = Math.floor(n / 3);
      const rest = n % 3;
      return 4 * triples + (rest === 0 ? 0 : rest === 1 ? 2 : 3);
    }
  }
}

/** Whole samples that fit in `nBytes` bytes of a `format` stream (inverse of {@link bytesForSamples}). */
export function samplesInBytes(format: WfdbFormat, nBytes: number): number {
  if (nBytes <= 0) return 0;
  switch (format) {
    case 0:
    case 508:
    case 516:
    case 524:
      return 0;
    case 8:
    case 80:
      return nBytes;
    case 16:
    case 61:
    case 160:
      return Math.floor(nBytes / 2);
    case 24:
      return Math.floor(nBytes / 3);
    case 32:
      return Math.floor(nBytes / 4);
    case 212:
    case 310:
    case 311: {
      // Exact inverse of bytesForSamples: the largest n with bytesForSamples(n) <= nBytes.
      const per = format === 212 ? 2 : 3;
      const block = format === 212 ? 3 : 4;
      let n = Math.floor(nBytes / block) * per;
      while (bytesForSamples(format, n + 1) <= nBytes) n++;
      return n;
    }
  }
}

/**
 * Decodes `n` samples of a `format` stream starting at `bytes[offset]` into an Int32Array.
 * Format 8 returns the raw 8-bit *differences* (the caller integrates them per signal).
 * The caller guarantees `offset + bytesForSamples(format, n) <= bytes.length`.
 */
export function decodeStream(format: WfdbFormat, bytes: Uint8Array, offset: number, n: number): Int32Array {
  const out = new Int32Array(n);
  const b = bytes;
  let p = offset;
  switch (format) {
    case 0:
    case 508:
    case 516:
    case 524:
      break; // null signals hold nothing; FLAC goes through _internal/flac.ts
    case 8:
      for (let i = 0; i < n; i++) out[i] = (b[p++] << 24) >> 24;
      break;
    case 80:
      for (let i = 0; i < n; i++) out[i] = b[p++] - 128;
      break;
    case 16:
      for (let i = 0; i < n; i++, p += 2) out[i] = ((b[p] | (b[p + 1] << 8)) << 16) >> 16;
      break;
    case 61:
      for (let i = 0; i < n; i++, p += 2) out[i] = ((b[p + 1] | (b[p] << 8)) << 16) >> 16;
      break;
    case 160:
      for (let i = 0; i < n; i++, p += 2) out[i] = (b[p] | (b[p + 1] << 8)) - 32768;
      break;
    case 24:
      for (let i = 0; i < n; i++, p += 3) out[i] = ((b[p] | (b[p + 1] << 8) | (b[p + 2] << 16)) << 8) >> 8;
      break;
    case 32:
      for (let i = 0; i < n; i++, p += 4) out[i] = b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24);
      break;
    case 212:
      for (let i = 0; i < n; i += 2, p += 3) {
        out[i] = ((b[p] | ((b[p + 1] & 0x0f) << 8)) << 20) >> 20;
        if (i + 1 < n) out[i + 1] = ((b[p + 2] | ((b[p + 1] & 0xf0) << 4)) << 20) >> 20;
      }
      break;
    case 310:
      for (let i = 0; i < n; i += 3, p += 4) {
        out[i] = (((b[p] >> 1) | ((b[p + 1] & 0x07) << 7)) << 22) >> 22;
        if (i + 1 < n) out[i + 1] = (((b[p + 2] >> 1) | ((b[p + 3] & 0x07) << 7)) << 22) >> 22;
        if (i + 2 < n) out[i + 2] = ((((b[p + 1] >> 3) & 0x1f) | (((b[p + 3] >> 3) & 0x1f) << 5)) << 22) >> 22;
      }
      break;
    case 311:
      for (let i = 0; i < n; i += 3, p += 4) {
        out[i] = ((b[p] | ((b[p + 1] & 0x03) << 8)) << 22) >> 22;
        if (i + 1 < n) out[i + 1] = (((b[p + 1] >> 2) | ((b[p + 2] & 0x0f) << 6)) << 22) >> 22;
        if (i + 2 < n) out[i + 2] = (((b[p + 2] >> 4) | ((b[p + 3] & 0x3f) << 4)) << 22) >> 22;
      }
      break;
  }
  return out;
}

/**
 * Encodes a sample stream (digital values already range-checked; for format 8 the *differences*)
 * into bytes. Odd-length 212 and non-multiple-of-3 310/311 streams are padded with zero samples
 * to whole byte groups, as WFDB's writer does.
 */
export function encodeStream(format: Exclude<WfdbFormat, FlacFormat>, samples: Int32Array): Uint8Array {
  const n = samples.length;
  const s = samples;
  switch (format) {
    case 0:
      return new Uint8Array(0);
    case 8:
    case 80: {
      const out = new Uint8Array(n);
      const add = format === 80 ? 128 : 0;
      for (let i = 0; i < n; i++) out[i] = (s[i] + add) & 0xff;
      return out;
    }
    case 16:
    case 61:
    case 160: {
      const out = new Uint8Array(2 * n);
      const add = format === 160 ? 32768 : 0;
      for (let i = 0, p = 0; i < n; i++, p += 2) {
        const v = (s[i] + add) & 0xffff;
        if (format === 61) {
          out[p] = v >> 8;
          out[p + 1] = v & 0xff;
        } else {
          out[p] = v & 0xff;
          out[p + 1] = v >> 8;
        }
      }
      return out;
    }
    case 24: {
      const out = new Uint8Array(3 * n);
      for (let i = 0, p = 0; i < n; i++, p += 3) {
        out[p] = s[i] & 0xff;
        out[p + 1] = (s[i] >> 8) & 0xff;
        out[p + 2] = (s[i] >> 16) & 0xff;
      }
      return out;
    }
    case 32: {
      const out = new Uint8Array(4 * n);
      for (let i = 0, p = 0; i < n; i++, p += 4) {
        out[p] = s[i] & 0xff;
        out[p + 1] = (s[i] >> 8) & 0xff;
        out[p + 2] = (s[i] >> 16) & 0xff;
        out[p + 3] = (s[i] >>> 24) & 0xff;
      }
      return out;
    }
    case 212: {
      const out = new Uint8Array(3 * Math.ceil(n / 2));
      for (let i = 0, p = 0; i < n; i += 2, p += 3) {
        const a = s[i] & 0xfff;
        const c = i + 1 < n ? s[i + 1] & 0xfff : 0;
        out[p] = a & 0xff;
        out[p + 1] = ((a >> 8) & 0x0f) | ((c >> 4) & 0xf0);
        out[p + 2] = c & 0xff;
      }
      return out;
    }
    case 310: {
      const out = new Uint8Array(4 * Math.ceil(n / 3));
      for (let i = 0, p = 0; i < n; i += 3, p += 4) {
        const a = s[i] & 0x3ff;
        const c = i + 1 < n ? s[i + 1] & 0x3ff : 0;
        const d = i + 2 < n ? s[i + 2] & 0x3ff : 0;
        out[p] = (a << 1) & 0xfe;
        out[p + 1] = ((a >> 7) & 0x07) | ((d & 0x1f) << 3);
        out[p + 2] = (c << 1) & 0xfe;
        out[p + 3] = ((c >> 7) & 0x07) | (((d >> 5) & 0x1f) << 3);
      }
      return out;
    }
    case 311: {
      const out = new Uint8Array(4 * Math.ceil(n / 3));
      for (let i = 0, p = 0; i < n; i += 3, p += 4) {
        const a = s[i] & 0x3ff;
        const c = i + 1 < n ? s[i + 1] & 0x3ff : 0;
        const d = i + 2 < n ? s[i + 2] & 0x3ff : 0;
        const w = a | (c << 10) | (d << 20);
        out[p] = w & 0xff;
        out[p + 1] = (w >>> 8) & 0xff;
        out[p + 2] = (w >>> 16) & 0xff;
        out[p + 3] = (w >>> 24) & 0xff;
      }
      return out;
    }
  }
}
