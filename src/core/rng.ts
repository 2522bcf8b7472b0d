/**
 * Seeded pseudo-random numbers. beat-ssl never uses `Math.random`: every random function takes a
 * `seed` (number) or an {@link Rng}. The generator is xoshiro128** seeded through splitmix32, so the
 * same seed gives the same stream on every platform and backend; its 4-word state can be saved in a
 * checkpoint and restored.
 * @module
 */
import { fail } from './errors';

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * A seeded random number generator (xoshiro128**). Create with {@link createRng}; pass it (or a
 * seed) to every random function of beat-ssl.
 * @example
 * ```ts
 * const rng = createRng(7);
 * const angle = rng.uniform(-45, 45); // degrees
 * const order = rng.permutation(10); // Int32Array, a permutation of 0..9
 * const child = rng.fork(); // independent stream, e.g. for a data loader
 * ```
 */
export class Rng {
  private s: Uint32Array;
  private spareNormal: number | null = null;

  /** @param seed any finite number; it is folded into 32 bits. */
  constructor(seed: number) {
    if (typeof seed !== 'number' || !Number.isFinite(seed)) fail('createRng', 'seed', 'a finite number', seed);
    const sm = splitmix32(Math.floor(seed) ^ Math.floor(seed / 4294967296));
    this.s = new Uint32Array([sm(), sm(), sm(), sm()]);
    if ((this.s[0] | this.s[1] | this.s[2] | this.s[3]) === 0) this.s[0] = 1;
  }

  /** Next unsigned 32-bit integer. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform float in [0, 1) with 32 bits of randomness. */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform float in [lo, hi). */
  uniform(lo = 0, hi = 1): number {
    return lo + (hi - lo) * this.next();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) fail('Rng.int', 'n', 'a positive integer', n);
    return Math.floor(this.next() * n);
  }

  /** Standard normal variate (Box–Muller, cached pair). */
  normal(mean = 0, sd = 1): number {
    if (this.spareNormal !== null) {
      const v = this.spareNormal;
      this.spareNormal = null;
      return mean + sd * v;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return mean + sd * r * Math.cos(2 * Math.PI * v);
  }

  /** `true` with probability `p`. */
  bernoulli(p: number): boolean {
    return this.next() < p;
  }

  /** Shuffles `array` in place (Fisher–Yates) and returns it. */
  shuffle<T>(array: T[]): T[] {
    if (!Array.isArray(array) && !ArrayBuffer.isView(array)) fail('Rng.shuffle', 'array', 'an array', array);
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = array[i];
      array[i] = array[j];
      array[j] = tmp;
    }
    return array;
  }

  /** A permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = out[i];
      out[i] = out[j];
      out[j] = t;
    }
    return out;
  }

  /** An integer seed drawn from this stream, for seeding a tfjs op or a child generator. */
  seed(): number {
    return this.nextUint32();
  }

  /** A new independent generator derived from this one (advances this stream by one draw). */
  fork(): Rng {
    return new Rng(this.nextUint32());
  }

  /** The generator state, for checkpoints (JSON-safe). */
  getState(): number[] {
    return [this.s[0], this.s[1], this.s[2], this.s[3], this.spareNormal === null ? NaN : this.spareNormal];
  }

  /** Restores a state from {@link Rng.getState}; throws unless the first 4 entries are uint32 words, not all 0. */
  setState(state: number[]): void {
    const words = Array.isArray(state) ? state.slice(0, 4) : [];
    const ok = words.length === 4 && words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff) && words.some((w) => w !== 0);
    if (!ok) fail('Rng.setState', 'state', 'an array of 4 or 5 numbers from Rng.getState (4 uint32 words, not all 0)', state);
    this.s = new Uint32Array(state.slice(0, 4));
    this.spareNormal = state.length > 4 && Number.isFinite(state[4]) ? state[4] : null;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/**
 * Creates a seeded generator.
 * @param seed any finite number (folded into 32 bits; the fractional part is ignored)
 * @returns a new {@link Rng}; the same seed gives the same stream on every platform
 * @throws {BeatSslError} if `seed` is not a finite number
 * @example
 * const rng = createRng(42);
 * rng.uniform(-45, 45); // same value for seed 42 on every run
 */
export function createRng(seed: number): Rng {
  return new Rng(seed);
}

/**
 * Accepts a seed or an existing generator (the `seed | rng` option pattern).
 * @param seedOrRng a finite number (new generator) or an {@link Rng} (returned as is, shared)
 * @param fn function name for the error message
 * @param arg argument name for the error message (default `'seed'`)
 * @returns an {@link Rng}
 * @throws {BeatSslError} if `seedOrRng` is missing (every random function must be seeded) or not a finite number
 * @example
 * ```ts
 * function jitter(x: Float32Array, opts: { seed?: number; rng?: Rng }) {
 *   const rng = toRng(opts.rng ?? opts.seed, 'jitter');
 *   return x.map((v) => v + rng.normal(0, 0.01));
 * }
 * ```
 */
export function toRng(seedOrRng: number | Rng | undefined, fn: string, arg = 'seed'): Rng {
  if (seedOrRng instanceof Rng) return seedOrRng;
  if (typeof seedOrRng !== 'number' || !Number.isFinite(seedOrRng)) fail(fn, arg, 'a seed (a finite number) or an Rng: every random function is seeded', seedOrRng);
  return new Rng(seedOrRng);
}
