/**
 * Machinery of the bad-input sweep (test/core/badInputSweep.test.ts, issue 17): for one public
 * function and a set of valid arguments, every parameter in turn is replaced by bad values chosen
 * from the type of its valid value (wrong type, null, NaN, ±Infinity, negative, huge, empty, NaN
 * inside, an unknown option key...). Each call must throw a `BeatSslError` whose message starts
 * with `Error in <publicName>` and names the parameter, within 1 s, leaving no tensor behind — or
 * be listed as accepted with the documented reason (and, when given, a check of the result).
 */
import * as tf from '@tensorflow/tfjs-core';
import { BeatSslError } from '../../src/core/errors';
import { Rng } from '../../src/core/rng';

/** A bad value and its label (the label is what `accepts` refers to). */
export interface BadValue {
  label: string;
  value: () => unknown;
}

/** What an entry accepts for one bad value: the documented reason, or a check of the result. */
export type Accept = string | ((out: unknown) => void);

/** One sweep entry: how to call a public function with valid arguments, and what it accepts. */
export interface SweepEntry {
  /** Fresh valid arguments (tensors are created anew per call and disposed by the sweep). */
  valid: () => unknown[] | Promise<unknown[]>;
  /** Calls the function (default: the export itself with the arguments). */
  call?: (...args: unknown[]) => unknown;
  /** Parameter names, when they cannot be read from the function source (methods, wrappers). */
  params?: string[];
  /** Indices of options-object parameters (they get the unknown-key case). Default: parameters named `opts`/`options`/`config`. */
  options?: number[];
  /**
   * Bad values this function accepts by design, by parameter index then value label (or `'*'`
   * for every value), with the documented reason or a check of the returned value.
   */
  accepts?: Record<number, Record<string, Accept>>;
  /** Parameters not swept, with the reason. */
  skip?: Record<number, string>;
  /** Name the errors carry (default the export name); `null`: any BeatSslError (the error helpers). */
  errorName?: string | null;
  /** The valid call is not run (side effects or cost), with the reason. */
  noBaseline?: string;
  /** Extra bad calls beyond the generated ones: label → arguments. */
  extra?: Record<string, () => unknown[] | Promise<unknown[]>>;
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

/** Parameter names that take integers (counts, lengths, sizes, indices): they also get 0.5. */
const INTEGER_PARAM = /^(n|N|M|D|K|T|L|B|up|down|order|length|count|steps|epochs|batch|batchSize|numClasses|maxCount|frames|timeSamples|nativeLength|df|dim|step|totalSteps|nLeads)$/;
/** Seeds take any finite number (folded into 32 bits, documented on createRng). */
const SEED_PARAM = /^(seed|seedOrRng)$/;

/** Bad values for a parameter named `name` whose valid value is `v`. */
export function badValuesFor(v: unknown, isOptions: boolean, name = ''): BadValue[] {
  const out: BadValue[] = [{ label: 'null', value: () => null }];
  const add = (label: string, value: () => unknown) => out.push({ label, value });
  if (typeof v === 'number') {
    add('NaN', () => NaN);
    add('Infinity', () => Infinity);
    if (!SEED_PARAM.test(name)) {
      add('-1', () => -1);
      add('1e12', () => 1e12);
    }
    if (INTEGER_PARAM.test(name)) add('0.5', () => 0.5);
    add('string', () => '1');
    return out;
  }
  if (typeof v === 'string') {
    add('empty string', () => '');
    add('number', () => 42);
    add('object', () => ({}));
    return out;
  }
  if (typeof v === 'boolean') {
    add('string', () => 'yes');
    add('number', () => 1);
    return out;
  }
  add('string', () => 'x');
  add('number', () => 42);
  add('NaN', () => NaN);
  if (v instanceof tf.Tensor) {
    add('array', () => [[1, 2]]);
    add('wrong rank', () => (v.rank === 1 ? tf.zeros([2, 2]) : tf.zeros([3])));
    add('empty tensor', () => tf.zeros(v.shape.map((d: number, i: number) => (i === 0 ? 0 : d))));
    return out;
  }
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    const C = v.constructor as new (n: number | ArrayLike<number>) => ArrayLike<number> & Record<number, number>;
    add('empty', () => new C(0));
    if (v instanceof Float32Array || v instanceof Float64Array) {
      add('NaN inside', () => {
        const c = new C(v as unknown as ArrayLike<number>);
        c[Math.floor(c.length / 2)] = NaN;
        return c;
      });
    }
    add('object', () => ({}));
    return out;
  }
  if (Array.isArray(v)) {
    add('empty', () => []);
    add('[NaN]', () => [NaN]);
    add('[-1]', () => [-1]);
    add('[1e12]', () => [1e12]);
    add('[null]', () => [null]);
    add('object', () => ({}));
    return out;
  }
  if (typeof v === 'function') {
    add('object', () => ({}));
    return out;
  }
  if (isPlainObject(v)) {
    add('array', () => []);
    if (isOptions) add('unknown key', () => ({ ...v, notAnOption: 1 }));
    else add('empty object', () => ({}));
    return out;
  }
  // class instances (Rng, models, encoders...)
  add('object', () => ({}));
  if (!(v instanceof Rng)) add('array', () => []);
  return out;
}

/** Parameter names of a function from its source (plain identifiers; `undefined` when unparsable). */
export function paramNames(f: (...a: never[]) => unknown): string[] | undefined {
  const src = Function.prototype.toString.call(f);
  const open = src.indexOf('(');
  if (open < 0) return undefined;
  let depth = 0;
  let end = -1;
  for (let i = open; i < src.length; i++) {
    const c = src[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) {
        end = i;
        break;
      }
    }
  }
  if (end < 0) return undefined;
  const inner = src.slice(open + 1, end);
  const parts: string[] = [];
  let cur = '';
  depth = 0;
  for (const c of inner) {
    if (c === '(' || c === '[' || c === '{') depth++;
    if (c === ')' || c === ']' || c === '}') depth--;
    if (c === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur.trim()) parts.push(cur);
  const names = parts.map((p) => p.trim().replace(/^\.\.\./, '').split('=')[0]!.trim());
  return names.every((n) => /^[A-Za-z_$][\w$]*$/.test(n)) ? names : undefined;
}

const TIME_LIMIT_MS = 1000;

/** Disposes every tensor reachable from `x` (arrays, plain objects). */
export function disposeDeep(x: unknown, seen = new Set<unknown>()): void {
  if (x === null || typeof x !== 'object' || seen.has(x)) return;
  seen.add(x);
  if (x instanceof tf.Tensor) {
    if (!x.isDisposed) x.dispose();
    return;
  }
  if (ArrayBuffer.isView(x)) return;
  if (typeof (x as { dispose?: unknown }).dispose === 'function' && !isPlainObject(x)) {
    // A result may wrap a model that was disposed with the arguments (wrapEncoder, createClassifier, ...).
    try {
      (x as { dispose: () => void }).dispose();
    } catch (e) {
      if (!/already disposed/.test(String((e as Error)?.message))) throw e;
    }
    return;
  }
  if (Array.isArray(x)) {
    for (const e of x) disposeDeep(e, seen);
    return;
  }
  if (isPlainObject(x)) for (const e of Object.values(x)) disposeDeep(e, seen);
}

/** The outcome of one call. */
export type Outcome = { kind: 'threw'; error: unknown; ms: number } | { kind: 'returned'; value: unknown; ms: number } | { kind: 'timeout'; ms: number };

/** Calls `f` (awaiting a promise for at most 2 s) and times it. */
export async function callOnce(f: () => unknown): Promise<Outcome> {
  const t0 = performance.now();
  let r: unknown;
  try {
    r = f();
  } catch (error) {
    return { kind: 'threw', error, ms: performance.now() - t0 };
  }
  if (r instanceof Promise) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<'timeout'>((res) => (timer = setTimeout(() => res('timeout'), TIME_LIMIT_MS + 1000)));
    try {
      const v = await Promise.race([r, timeout]);
      if (v === 'timeout') {
        r.catch(() => undefined);
        return { kind: 'timeout', ms: performance.now() - t0 };
      }
      return { kind: 'returned', value: v, ms: performance.now() - t0 };
    } catch (error) {
      return { kind: 'threw', error, ms: performance.now() - t0 };
    } finally {
      clearTimeout(timer);
    }
  }
  return { kind: 'returned', value: r, ms: performance.now() - t0 };
}

function mentions(err: BeatSslError, param: string): boolean {
  const body = err.message.slice(err.message.indexOf(':') + 1);
  const p = /^(opts|options)$/.test(param) ? '(opts|options)' : param;
  return new RegExp(`(^|[^A-Za-z])${p}`).test(body) || (err.arg ?? '').startsWith(param);
}

function describeOut(v: unknown): string {
  if (v instanceof tf.Tensor) return `a tensor [${v.shape.join(', ')}]`;
  if (v === undefined) return 'undefined';
  try {
    const s = JSON.stringify(v, (_k, x) => (ArrayBuffer.isView(x) ? `${x.constructor.name}(${(x as unknown as ArrayLike<number>).length})` : typeof x === 'number' && !Number.isFinite(x) ? String(x) : x));
    return s === undefined ? typeof v : s.slice(0, 120);
  } catch {
    return typeof v;
  }
}

/** Runs the sweep of one entry; returns the problems found (empty when every case is right) and the number of cases. */
export async function sweep(name: string, fnRef: (...a: never[]) => unknown, e: SweepEntry): Promise<{ problems: string[]; cases: number }> {
  const problems: string[] = [];
  const call = e.call ?? ((...a: unknown[]) => (fnRef as (...a: unknown[]) => unknown)(...a));
  const names = e.params ?? paramNames(fnRef) ?? [];
  const errorName = e.errorName === undefined ? name.replace(/^new /, '') : e.errorName;
  const required = e.params ? e.params.length : fnRef.length;
  let cases = 0;

  const run = async (label: string, args: unknown[], before: number, paramIdx: number | null, accept: Accept | undefined, wantKey?: string) => {
    cases++;
    const where = `${name} ${label}`;
    if (process.env.SWEEP_TRACE) process.stderr.write(`sweep: ${where}\n`);
    const out = await callOnce(() => call(...args));
    if (out.ms > TIME_LIMIT_MS) problems.push(`${where}: took ${out.ms.toFixed(0)} ms (> ${TIME_LIMIT_MS} ms)`);
    if (out.kind === 'timeout') {
      problems.push(`${where}: did not settle within ${TIME_LIMIT_MS + 1000} ms`);
      return;
    }
    if (out.kind === 'returned') {
      if (accept === undefined) problems.push(`${where}: returned ${describeOut(out.value)} instead of throwing a BeatSslError`);
      else if (typeof accept === 'function') {
        try {
          accept(out.value);
        } catch (err) {
          problems.push(`${where}: accepted, but the documented result check failed: ${(err as Error).message.split('\n')[0]}`);
        }
      }
      disposeDeep(out.value);
    } else {
      const err = out.error;
      if (!(err instanceof BeatSslError)) {
        problems.push(`${where}: threw ${(err as Error)?.constructor?.name ?? typeof err} "${String((err as Error)?.message ?? err).slice(0, 160)}" instead of a BeatSslError`);
      } else if (errorName !== null && !err.message.startsWith(`Error in ${errorName}`)) {
        problems.push(`${where}: error names the wrong function: "${err.message.slice(0, 160)}"`);
      } else if (wantKey && !err.message.includes(`unknown key '${wantKey}'`)) {
        problems.push(`${where}: error does not name the unknown key: "${err.message.slice(0, 160)}"`);
      } else if (paramIdx !== null && errorName !== null && names[paramIdx] && !mentions(err, names[paramIdx]!)) {
        problems.push(`${where}: error does not name the parameter '${names[paramIdx]}': "${err.message.slice(0, 160)}"`);
      }
    }
    disposeDeep(args);
    const after = tf.memory().numTensors;
    if (after !== before) problems.push(`${where}: left ${after - before} tensor(s) behind`);
  };

  // The valid call: the baseline must be valid, else every case below would fail for another reason.
  if (!e.noBaseline) {
    const before = tf.memory().numTensors;
    const args = await e.valid();
    const out = await callOnce(() => call(...args));
    if (out.kind === 'threw') problems.push(`${name} valid call threw: ${String((out.error as Error)?.message ?? out.error).slice(0, 200)}`);
    if (out.kind === 'timeout') problems.push(`${name} valid call did not settle`);
    if (out.kind === 'returned') disposeDeep(out.value);
    disposeDeep(args);
    const after = tf.memory().numTensors;
    if (after !== before) problems.push(`${name} valid call left ${after - before} tensor(s) behind`);
  }

  const template = await e.valid();
  const nParams = template.length;
  disposeDeep(template);
  const optionIdx = new Set(e.options ?? names.map((n, i) => (/^(opts|options|config)$/.test(n) ? i : -1)).filter((i) => i >= 0));
  for (let i = 0; i < nParams; i++) {
    if (e.skip?.[i]) continue;
    const probe = await e.valid();
    const bads = badValuesFor(probe[i], optionIdx.has(i), names[i]);
    disposeDeep(probe);
    const list: BadValue[] = [{ label: 'undefined', value: () => undefined }, ...bads];
    for (const b of list) {
      const before = tf.memory().numTensors;
      const args = await e.valid();
      disposeDeep(args[i]);
      args[i] = b.value();
      const acc = e.accepts?.[i]?.[b.label] ?? e.accepts?.[i]?.['*'];
      if (b.label === 'undefined' && i >= required && acc === undefined) {
        // an omitted optional parameter is its default: it may throw a BeatSslError (when another
        // argument needs it), never a raw error
        cases++;
        const out = await callOnce(() => call(...args));
        if (out.kind === 'threw' && !(out.error instanceof BeatSslError)) problems.push(`${name} param ${i} (${names[i] ?? '?'}) undefined: threw ${String((out.error as Error)?.message).slice(0, 160)}`);
        if (out.kind === 'returned') disposeDeep(out.value);
        disposeDeep(args);
        continue;
      }
      await run(`param ${i} (${names[i] ?? '?'}) = ${b.label}`, args, before, i, acc, b.label === 'unknown key' ? 'notAnOption' : undefined);
    }
  }
  for (const [label, mk] of Object.entries(e.extra ?? {})) {
    const before = tf.memory().numTensors;
    await run(`extra: ${label}`, await mk(), before, null, undefined);
  }
  return { problems, cases };
}
