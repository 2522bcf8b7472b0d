/** Shared check of delineated-wave arguments. @internal @module */
import { check, fail } from '../../core/errors';
import type { Wave } from '../../core/types';

/** Checks an array of waves (type P/QRS/T, finite onset ≤ offset) for `fn`; returns a copy sorted by onset. */
export function checkWaves(waves: readonly Wave[], fn: string): Wave[] {
  check(Array.isArray(waves), fn, 'waves', 'an array of waves { type, onset, offset }', waves);
  waves.forEach((w, i) => {
    if (!w || (w.type !== 'P' && w.type !== 'QRS' && w.type !== 'T')) fail(fn, `waves[${i}].type`, "'P', 'QRS' or 'T'", w?.type);
    if (!Number.isFinite(w.onset) || !Number.isFinite(w.offset) || w.offset < w.onset) fail(fn, `waves[${i}]`, 'a wave with finite onset ≤ offset (samples)', w);
  });
  return [...waves].sort((a, b) => a.onset - b.onset || a.offset - b.offset);
}

