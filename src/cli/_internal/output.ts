/**
 * CLI output conventions shared by every command: typed `--json` events, progress (a redrawn bar
 * with elapsed time and ETA on a terminal, periodic plain lines otherwise), the one batch policy
 * for commands that take many records, and filesystem errors in the library's error format.
 * Private to the CLI.
 */
import { BeatSslError } from '../../core/errors';
import { UsageError, type CliIo } from '../command';

/** Event types of `--json` output: one object per line on stdout, each with an `event` field. */
export type CliEventType = 'step' | 'epoch' | 'record' | 'done' | 'error';

/** Writes one `--json` event line to stdout (`NaN`/`±Infinity` become `null`). */
export function emit(io: CliIo, event: CliEventType, fields: Record<string, unknown>): void {
  io.stdout(JSON.stringify({ event, ...fields }, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v)) + '\n');
}

/**
 * The process's memory, for the JSON progress events of long jobs (MB): resident set, JS heap in use,
 * and `external` (ArrayBuffers and native memory the JS engine accounts for). With a flat
 * `numTensors`, these tell where growth lives.
 */
export function processMemoryMB(): { rssMB: number; heapUsedMB: number; externalMB: number } {
  const m = process.memoryUsage();
  const mb = (b: number) => Math.round((b / 1048576) * 10) / 10;
  return { rssMB: mb(m.rss), heapUsedMB: mb(m.heapUsed), externalMB: mb(m.external) };
}

/** `75` → `1:15`, `3725` → `1:02:05`. */
export function formatDuration(sec: number): string {
  if (!Number.isFinite(sec) || sec < 0) return '--:--';
  const s = Math.round(sec);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/**
 * Progress of a run of `total` units (steps, epochs, records) on stderr. On a terminal: one
 * redrawn line `[#####.....] 12/100 0:34 elapsed, ETA 4:05 | text`. Otherwise a plain line when at
 * least 10% more is done or 30 s passed since the last one, and at the end; with `verbose`, every
 * update. Silent with `--json` (the caller emits events).
 */
export class Progress {
  private readonly t0: number;
  private lastLineAt: number;
  private lastLineDone = 0;
  private drawn = false;
  private readonly now: () => number;
  constructor(
    private readonly io: CliIo,
    private readonly total: number,
    private readonly opts: { unit: string; json?: boolean; verbose?: boolean; startAt?: number },
  ) {
    this.now = io.now ?? Date.now;
    this.t0 = this.now();
    this.lastLineAt = this.t0;
    this.lastLineDone = opts.startAt ?? 0;
  }

  /** Seconds since the start. */
  elapsedSec(): number {
    return (this.now() - this.t0) / 1000;
  }

  /** Reports `done` of `total` units, with a short status text (e.g. the loss). */
  update(done: number, text: string): void {
    if (this.opts.json) return;
    const start = this.opts.startAt ?? 0;
    const el = this.elapsedSec();
    const rate = done > start ? el / (done - start) : NaN;
    const eta = formatDuration(rate * (this.total - done));
    const timing = `${formatDuration(el)} elapsed, ETA ${done >= this.total ? '0:00' : eta}`;
    if (this.io.isTTY && !this.opts.verbose) {
      const width = 20;
      const f = this.total > 0 ? Math.min(1, done / this.total) : 1;
      const n = Math.round(f * width);
      this.io.stderr(`\r\x1b[2K[${'#'.repeat(n)}${'.'.repeat(width - n)}] ${done}/${this.total} ${timing} | ${text}`);
      this.drawn = true;
      return;
    }
    const t = this.now();
    const due = this.opts.verbose || done >= this.total || done - this.lastLineDone >= Math.max(1, this.total / 10) || t - this.lastLineAt >= 30_000;
    if (!due) return;
    this.lastLineAt = t;
    this.lastLineDone = done;
    this.io.stderr(`${this.opts.unit} ${done}/${this.total} (${timing}) ${text}\n`);
  }

  /** Ends the bar's line on a terminal. */
  finish(): void {
    if (this.drawn) this.io.stderr('\n');
    this.drawn = false;
  }
}

const FS_REASONS: Record<string, string> = {
  ENOENT: 'it does not exist',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'it is a folder',
  EACCES: 'permission denied',
  EPERM: 'the operation is not permitted',
  ENOSPC: 'the disk is full (ENOSPC)',
  EDQUOT: 'the disk quota is exceeded',
  EROFS: 'the file system is read-only',
  EEXIST: 'it already exists',
  EMFILE: 'too many files are open',
  ENAMETOOLONG: 'the name is too long',
};

/** Whether `err` is a Node system error (`code` + `syscall`). */
function isSystemError(err: unknown): err is NodeJS.ErrnoException {
  return typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string' && typeof (err as { syscall?: unknown }).syscall === 'string';
}

const WRITE_SYSCALLS = new Set(['write', 'rename', 'mkdir', 'unlink', 'rmdir', 'rm', 'fsync', 'fdatasync', 'copyfile', 'ftruncate', 'symlink', 'link', 'utime']);

/**
 * Turns a raw Node filesystem error into a {@link BeatSslError} in the library's format
 * (`Error in <fn>: <what> "<path>" must be a readable path | a writable path, but <reason>.`
 * plus the fix); other errors are returned unchanged.
 * @param err the caught error
 * @param fn the public function or command to name, e.g. `'beat-ssl plot'`
 * @param what what the path is, e.g. `'--out'` (default: 'path')
 * @param intent whether the path was being read or written (default: from the system call)
 */
export function asLibraryError(err: unknown, fn: string, what = 'path', intent?: 'read' | 'write'): unknown {
  if (err instanceof BeatSslError || !isSystemError(err)) return err;
  const write = intent ? intent === 'write' : WRITE_SYSCALLS.has(err.syscall ?? '');
  const reason = FS_REASONS[err.code ?? ''] ?? `${err.code}: ${err.message}`;
  const path = err.path ?? (err as { dest?: string }).dest ?? "?";
  let fix = '';
  if (err.code === 'ENOENT' && write) fix = ' Create the folder first or choose another path.';
  else if (err.code === 'ENOSPC' || err.code === 'EDQUOT') fix = ' Free some space or choose another disk.';
  else if ((err.code === 'EACCES' || err.code === 'EROFS') && write) fix = ' Choose a path you can write to.';
  return new BeatSslError(fn, `${what} ${JSON.stringify(path)} must be ${write ? 'a writable path' : 'a readable path'}, but ${reason}.${fix}`, what);
}

/** Message of any thrown value. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Result of {@link forEachRecord}. */
export interface BatchResult {
  ok: number;
  failed: number;
  /** True when `--fail-fast` stopped the batch early. */
  stopped: boolean;
}

/**
 * The one batch policy of commands that take many records: `fn` runs for each item in order; a
 * failure is reported on stderr (`beat-ssl <command>: <item>: <message>`, and an `error` event
 * with `--json`) and the batch goes on, unless `failFast`. The caller exits 1 when `failed > 0`.
 */
export async function forEachRecord<T>(
  items: readonly T[],
  io: CliIo,
  opts: { command: string; json: boolean; failFast: boolean; label?: (item: T) => string },
  fn: (item: T, index: number) => Promise<void>,
): Promise<BatchResult> {
  const res: BatchResult = { ok: 0, failed: 0, stopped: false };
  for (let i = 0; i < items.length; i++) {
    const label = opts.label ? opts.label(items[i]) : String(items[i]);
    try {
      await fn(items[i], i);
      res.ok++;
    } catch (err) {
      res.failed++;
      const msg = messageOf(asLibraryError(err, `beat-ssl ${opts.command}`));
      io.stderr(`beat-ssl ${opts.command}: ${label}: ${msg}\n`);
      if (opts.json) emit(io, 'error', { record: label, message: msg });
      if (opts.failFast) {
        res.stopped = i < items.length - 1;
        break;
      }
    }
  }
  return res;
}

/**
 * Expands record arguments: a folder becomes its WFDB records (recursively, sorted); a file or
 * record path (with or without `.hea`) stays as given. Paths that do not exist stay too, so the
 * batch reports them.
 */
export async function expandRecordArgs(args: readonly string[]): Promise<string[]> {
  const fs = await import('node:fs/promises');
  const out: string[] = [];
  for (const a of args) {
    const st = await fs.stat(a).catch(() => null);
    if (st?.isDirectory()) {
      const { listWfdbRecords } = await import('../../data/wfdbFolder');
      const path = await import('node:path');
      const found = (await listWfdbRecords(a)).sort();
      if (found.length === 0) throw new UsageError(`folder '${a}' must hold WFDB records (*.hea), but has none`);
      out.push(...found.map((p) => path.relative(process.cwd(), p) || p));
    } else out.push(a);
  }
  return out;
}

/** Parses an id list such as `1-120,150` (inclusive ranges); throws a {@link UsageError} naming the flag. */
export function parseIdList(flag: string, raw: string): number[] {
  const ids: number[] = [];
  for (const part of raw.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!m || (m[2] !== undefined && Number(m[2]) < Number(m[1]))) throw new UsageError(`option --${flag} must be ids or ranges like 1-120,150, but got '${raw}'`);
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    for (let i = a; i <= b; i++) ids.push(i);
  }
  return [...new Set(ids)];
}

/** Checks that `dir` is an existing, readable folder (before any data is read). */
export async function checkInputDir(flag: string, dir: string): Promise<void> {
  const fs = await import('node:fs/promises');
  const st = await fs.stat(dir).catch((e: NodeJS.ErrnoException) => e);
  if (st instanceof Error) throw new UsageError(`option --${flag} must be a readable folder, but '${dir}' ${FS_REASONS[st.code ?? ''] === 'it does not exist' ? 'does not exist' : `cannot be read (${st.code})`}`);
  if (!st.isDirectory()) throw new UsageError(`option --${flag} must be a folder, but '${dir}' is a file`);
}

/** Checks that a file exists and is readable. */
export async function checkInputFile(flag: string, file: string): Promise<void> {
  const fs = await import('node:fs/promises');
  const st = await fs.stat(file).catch(() => null);
  if (!st) throw new UsageError(`option --${flag} must be a readable file, but '${file}' does not exist`);
  if (st.isDirectory()) throw new UsageError(`option --${flag} must be a file, but '${file}' is a folder`);
}

/**
 * Checks, before any work, that an output path can be written: its folder must exist (or, with
 * `create`, be creatable: the nearest existing ancestor is a writable folder) and the path itself
 * must not be a folder (for files).
 */
export async function checkOutputPath(flag: string, target: string, opts: { kind: 'file' | 'dir' }): Promise<void> {
  const fs = await import('node:fs/promises');
  const path = await import('node:path');
  const st = await fs.stat(target).catch(() => null);
  if (st) {
    if (opts.kind === 'file' && st.isDirectory()) throw new UsageError(`option --${flag} must be a file path, but '${target}' is a folder`);
    if (opts.kind === 'dir' && !st.isDirectory()) throw new UsageError(`option --${flag} must be a folder path, but '${target}' is a file`);
    await fs.access(opts.kind === 'dir' ? target : path.dirname(path.resolve(target)), fs.constants.W_OK).catch(() => {
      throw new UsageError(`option --${flag} must be a writable path, but '${target}' is not writable`);
    });
    return;
  }
  const parent = path.dirname(path.resolve(target));
  if (opts.kind === 'file') {
    const pst = await fs.stat(parent).catch(() => null);
    if (!pst) throw new UsageError(`option --${flag} must be a path in an existing folder, but folder '${path.dirname(target)}' does not exist (create it first)`);
    if (!pst.isDirectory()) throw new UsageError(`option --${flag} must be a path in a folder, but '${path.dirname(target)}' is a file`);
    await fs.access(parent, fs.constants.W_OK).catch(() => {
      throw new UsageError(`option --${flag} must be a writable path, but folder '${path.dirname(target)}' is not writable`);
    });
    return;
  }
  // A run folder is created with its parents: the nearest existing ancestor must be a writable folder.
  let anc = parent;
  for (;;) {
    const ast = await fs.stat(anc).catch(() => null);
    if (ast) {
      if (!ast.isDirectory()) throw new UsageError(`option --${flag} must be a folder path, but '${anc}' is a file`);
      await fs.access(anc, fs.constants.W_OK).catch(() => {
        throw new UsageError(`option --${flag} must be a writable path, but folder '${anc}' is not writable`);
      });
      return;
    }
    const up = path.dirname(anc);
    if (up === anc) return;
    anc = up;
  }
}

/** Reads a `--config` JSON recipe; errors name the flag. Unknown top-level keys are rejected. */
export async function readRecipeFile(flag: string, file: string | undefined, allowed: readonly string[]): Promise<Record<string, Record<string, unknown>>> {
  if (!file) return {};
  const fs = await import('node:fs/promises');
  const text = await fs.readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new UsageError(`option --${flag} must be a readable JSON file, but '${file}' ${e.code === 'ENOENT' ? 'does not exist' : `cannot be read (${e.code})`}`);
  });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`option --${flag} must be a JSON file, but '${file}' is not valid JSON (${messageOf(err)})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError(`option --${flag} must hold a JSON object, but '${file}' holds ${Array.isArray(value) ? 'an array' : typeof value}`);
  for (const [k, v] of Object.entries(value)) {
    if (!allowed.includes(k)) throw new UsageError(`option --${flag}: key '${k}' of '${file}' must be one of ${allowed.join(', ')}`);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new UsageError(`option --${flag}: '${k}' of '${file}' must be an object`);
  }
  return value as Record<string, Record<string, unknown>>;
}

/** What a model folder holds: a pretrained Beat-SSL model, a segmentation model or a classifier (null: unknown). */
export type ModelKind = 'pretrained' | 'segment' | 'classify';

const KIND_TEXT: Record<ModelKind, string> = {
  pretrained: "a pretrained Beat-SSL model (from 'beat-ssl pretrain')",
  segment: 'a segmentation model',
  classify: 'a classifier',
};

/** The kind of model in a folder (`modelFolderKind` of beat-ssl/heads: its config file says which). */
export async function modelKind(dir: string): Promise<ModelKind | null> {
  const { modelFolderKind } = await import('../../heads/modelFolder');
  const kind = await modelFolderKind(dir);
  return kind === null ? null : kind === 'pretrained' ? 'pretrained' : kind === 'segmenter' ? 'segment' : 'classify';
}

/**
 * Checks, before anything loads, that a model folder holds the kind of model a command needs, and
 * says which command takes it otherwise (`segment --model <classifier>`, `finetune --pretrained
 * <segmentation model>`, …). Unknown folders are left to the loader, which names what is missing.
 */
export async function checkModelKind(flag: string, dir: string, want: ModelKind): Promise<void> {
  const kind = await modelKind(dir);
  if (kind === null || kind === want) return;
  const fix =
    kind === 'pretrained'
      ? `fine-tune it first: beat-ssl finetune --task ${want === 'classify' ? 'classify' : 'segment'} --pretrained ${dir} …`
      : want === 'pretrained'
        ? `give the <out>/model folder of 'beat-ssl pretrain', or leave --pretrained out for a random initialisation`
        : `use 'beat-ssl ${kind} --model ${dir}'`;
  throw new UsageError(`option --${flag} must be ${KIND_TEXT[want]} folder, but '${dir}' holds ${KIND_TEXT[kind]} (${fix})`);
}
