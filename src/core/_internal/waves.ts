/** Shared check of delineated-wave arguments. @internal @module */
import { check, fail } from '../errors';
import type { Wave } from '../types';

/** Checks an array of waves (type P/QRS/T, finite onset ≤ offset) for `fn`; returns a copy sorted by onset. */
export function checkWaves(waves: readonly Wave[], fn: string, arg = 'waves'): Wave[] {
  check(Array.isArray(waves), fn, arg, 'an array of waves { type, onset, offset }', waves);
  waves.forEach((w, i) => {
    if (!w || typeof w !== 'object') fail(fn, `${arg}[${i}]`, "a wave { type: 'P' | 'QRS' | 'T', onset, offset }", w);
    if (w.type !== 'P' && w.type !== 'QRS' && w.type !== 'T') fail(fn, `${arg}[${i}].type`, "'P', 'QRS' or 'T'", w.type);
    if (typeof w.onset !== 'number' || typeof w.offset !== 'number' || !Number.isFinite(w.onset) || !Number.isFinite(w.offset) || w.offset < w.onset) fail(fn, `${arg}[${i}]`, 'a wave with finite onset ≤ offset (samples)', w);
  });
  return [...waves].sort((a, b) => a.onset - b.onset || a.offset - b.offset);
}

