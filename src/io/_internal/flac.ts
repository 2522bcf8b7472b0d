/**
 * FLAC signal files (WFDB formats 508/516/524) through the optional package
 * `@wasm-audio-decoders/flac` (MIT; libFLAC compiled to WebAssembly, runs in Node and browsers).
 * Imported lazily, only when a FLAC file is read. Private.
 */
import { BeatSslError } from '../../core/errors';
import type { FlacReq } from './engine';

/** Bytes fed to the decoder per call: bounds the samples produced before the length check. */
const CHUNK = 4096;

interface FlacDecoded {
  channelData: Float32Array[];
  samplesDecoded: number;
  bitDepth: number;
  errors: { message?: string }[];
}
interface FlacDecoderLike {
  ready: Promise<void>;
  decode(data: Uint8Array): Promise<FlacDecoded>;
  flush(): Promise<FlacDecoded>;
  reset(): Promise<void>;
  free(): void;
}

/** One decoder instance (WebAssembly set up once), used by one decode at a time. */
let shared: Promise<FlacDecoderLike> | null = null;
let queue: Promise<unknown> = Promise.resolve();

async function loadDecoder(fn: string, label: string): Promise<FlacDecoderLike> {
  if (!shared) {
    shared = createDecoder(fn, label);
    shared.catch(() => {
      shared = null; // let a later call retry (e.g. after installing the package)
    });
  }
  return shared;
}

async function createDecoder(fn: string, label: string): Promise<FlacDecoderLike> {
  let mod: { FLACDecoder: new () => FlacDecoderLike };
  try {
    const name = '@wasm-audio-decoders/flac';
    mod = (await import(/* @vite-ignore */ name)) as typeof mod;
  } catch {
    throw new BeatSslError(
      fn,
      `signal file '${label}' is FLAC-compressed (WFDB format 508/516/524), which needs the optional package @wasm-audio-decoders/flac, but it is not installed; run \`npm install @wasm-audio-decoders/flac\`.`,
      label,
    );
  }
  const d = new mod.FLACDecoder();
  await d.ready;
  return d;
}

/**
 * Decodes a FLAC stream into one Int32Array per channel, stopping once every channel has
 * `maxPerChannel` samples (so a small file cannot expand past the read's budget).
 * The decoder returns samples scaled to [−1, 1] by 2^(bits−1) − 1; they are scaled back and
 * rounded, which is exact for 8-, 16- and 24-bit streams (float32 keeps 24 bits).
 */
export function decodeFlac(q: FlacReq): Promise<Int32Array[]> {
  const run = queue.then(() => decodeOne(q));
  queue = run.catch(() => undefined);
  return run;
}

async function decodeOne(q: FlacReq): Promise<Int32Array[]> {
  const { fn, label, bytes } = q;
  if (bytes.length < 4 || bytes[0] !== 0x66 || bytes[1] !== 0x4c || bytes[2] !== 0x61 || bytes[3] !== 0x43) {
    throw new BeatSslError(fn, `signal file '${label}' must be a FLAC stream (starting with 'fLaC') for formats 508/516/524, but it is not.`, label);
  }
  const dec = await loadDecoder(fn, label);
  // Decoded pieces per channel, joined at the end (never preallocated from the header's claim).
  const pieces: Int32Array[][] = Array.from({ length: q.channels }, () => []);
  let have = 0;
  let bits = 0;
  const take = (r: FlacDecoded): void => {
    if (r.errors && r.errors.length > 0) {
      throw new BeatSslError(fn, `signal file '${label}' must be a valid FLAC stream, but the decoder reports: ${r.errors[0]?.message ?? 'a decoding error'}.`, label);
    }
    if (r.samplesDecoded === 0) return;
    if (r.channelData.length !== q.channels) {
      throw new BeatSslError(fn, `FLAC signal file '${label}' must have one channel per signal of the file (${q.channels}), but it has ${r.channelData.length}.`, label);
    }
    bits = r.bitDepth;
    if (bits > q.maxBits) throw new BeatSslError(fn, `FLAC signal file '${label}' must hold samples of at most ${q.maxBits} bits for its format, but it holds ${bits}-bit samples.`, label);
    const scale = 2 ** (bits - 1) - 1;
    const n = Math.min(r.samplesDecoded, q.maxPerChannel - have);
    for (let c = 0; c < q.channels; c++) {
      const src = r.channelData[c];
      const dst = new Int32Array(n);
      for (let i = 0; i < n; i++) dst[i] = Math.round(src[i] * scale);
      pieces[c].push(dst);
    }
    have += n;
  };
  try {
    for (let p = 0; p < bytes.length && have < q.maxPerChannel; p += CHUNK) take(await dec.decode(bytes.subarray(p, p + CHUNK)));
    if (have < q.maxPerChannel) take(await dec.flush());
  } catch (e) {
    if (e instanceof BeatSslError) throw e;
    throw new BeatSslError(fn, `signal file '${label}' must be a valid FLAC stream, but decoding failed (${(e as Error)?.message ?? String(e)}).`, label);
  } finally {
    // Ready for the next stream; if the decoder cannot be reset, drop it and make a new one next time.
    await dec.reset().catch(() => {
      dec.free();
      shared = null;
    });
  }
  return pieces.map((parts) => {
    const all = new Int32Array(have);
    let p = 0;
    for (const x of parts) {
      all.set(x, p);
      p += x.length;
    }
    return all;
  });
}
