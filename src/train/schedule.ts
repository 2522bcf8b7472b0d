/**
 * Optimizer settings (Adam) and learning-rate schedules of the training loops.
 * @module
 */
import { check, checkInt, checkKnownKeys, checkOneOf } from '../core/errors';

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
 * Learning rate at a step (0-based) of `totalSteps`. A step at or past `totalSteps` gets the final
 * rate (a run extended with `--resume` past its planned end).
 * @param base base learning rate (finite, ≥ 0)
 * @param step current step (0-based integer ≥ 0)
 * @param totalSteps total steps of the run (integer ≥ 1)
 * @param schedule {@link LrSchedule} (default `{}`: constant)
 * @returns the learning rate for this step
 * @throws {BeatSslError} on a non-integer or negative step, a bad base rate or an unknown schedule key
 * @example
 * learningRateAt(1e-3, 50, 100, { type: 'cosine' }); // 5e-4
 */
export function learningRateAt(base: number, step: number, totalSteps: number, schedule: LrSchedule = {}): number {
  const FN = 'learningRateAt';
  check(typeof base === 'number' && Number.isFinite(base) && base >= 0, FN, 'base', 'a finite learning rate ≥ 0', base);
  checkInt(totalSteps, FN, 'totalSteps', 1);
  checkInt(step, FN, 'step', 0);
  check(schedule !== null && typeof schedule === 'object' && !Array.isArray(schedule), FN, 'schedule', "a schedule object { type?: 'constant' | 'cosine', warmupSteps?, minFactor? }", schedule);
  checkKnownKeys(schedule, ['type', 'warmupSteps', 'minFactor'], FN, 'schedule');
  const type = checkOneOf(schedule.type ?? 'constant', ['constant', 'cosine'] as const, FN, 'schedule.type');
  const warm = checkInt(schedule.warmupSteps ?? 0, FN, 'schedule.warmupSteps', 0);
  const minFactor = schedule.minFactor ?? 0;
  check(typeof minFactor === 'number' && minFactor >= 0 && minFactor <= 1, FN, 'schedule.minFactor', 'a number in [0, 1]', minFactor);
  if (warm > 0 && step < warm) return (base * (step + 1)) / warm;
  if (type === 'constant') return base;
  const span = Math.max(1, totalSteps - warm);
  const p = Math.min(1, Math.max(0, (step - warm) / span));
  return base * (minFactor + (1 - minFactor) * 0.5 * (1 + Math.cos(Math.PI * p)));
}
