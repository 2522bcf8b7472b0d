/**
 * Optimizer settings (Adam) and learning-rate schedules of the training loops.
 * @module
 */
import { check, checkInt, checkOneOf } from '../core/errors';

/** Adam settings of the training loops. */
export interface AdamOptions {
  /** Base learning rate. Default 1e-3. */
  learningRate?: number;
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Default 1e-7 (fixed, not backend-dependent, for reproducibility). */
  epsilon?: number;
}

/** A learning-rate schedule: constant, or cosine decay with optional linear warm-up. */
export interface LrSchedule {
  /** `'constant'` (default) or `'cosine'`. */
  type?: 'constant' | 'cosine';
  /** Steps of linear warm-up from 0 to the base rate. Default 0. */
  warmupSteps?: number;
  /** Final rate of the cosine decay, as a fraction of the base rate. Default 0. */
  minFactor?: number;
}

/**
 * Learning rate at a step (0-based) of `totalSteps`.
 * @param base base learning rate
 * @param step current step (0-based)
 * @param totalSteps total steps of the run
 * @param schedule {@link LrSchedule}
 * @returns the learning rate for this step
 * @example
 * learningRateAt(1e-3, 50, 100, { type: 'cosine' }); // 5e-4
 */
export function learningRateAt(base: number, step: number, totalSteps: number, schedule: LrSchedule = {}): number {
  const FN = 'learningRateAt';
  const type = checkOneOf(schedule.type ?? 'constant', ['constant', 'cosine'] as const, FN, 'schedule.type');
  const warm = checkInt(schedule.warmupSteps ?? 0, FN, 'schedule.warmupSteps', 0);
  const minFactor = schedule.minFactor ?? 0;
  check(minFactor >= 0 && minFactor <= 1, FN, 'schedule.minFactor', 'a number in [0, 1]', minFactor);
  if (warm > 0 && step < warm) return (base * (step + 1)) / warm;
  if (type === 'constant') return base;
  const span = Math.max(1, totalSteps - warm);
  const p = Math.min(1, Math.max(0, (step - warm) / span));
  return base * (minFactor + (1 - minFactor) * 0.5 * (1 + Math.cos(Math.PI * p)));
}
