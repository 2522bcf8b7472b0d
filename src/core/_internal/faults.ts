/**
 * Named points between the steps of the durable writers (atomic files, model folders,
 * checkpoints), where tests inject failures or kill the process to prove that no step can lose
 * the last good state. A no-op unless a test installed a hook. @internal @module
 */

/** Called at every fault point with its name and the path it concerns; may throw or never return. */
export type FaultHook = (point: string, path: string) => void | Promise<void>;

let hook: FaultHook | null = null;

/** Installs (or, with `null`, removes) the hook. Tests only. */
export function setFaultHook(h: FaultHook | null): void {
  hook = h;
}

/** Runs the hook, if any, at `point`. */
export async function faultPoint(point: string, path: string): Promise<void> {
  if (hook) await hook(point, path);
}
