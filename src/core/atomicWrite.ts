/**
 * The one durable, atomic writer of beat-ssl (Node only; `node:` modules are imported lazily so
 * browser bundles that never call these stay valid). Every file the library writes — WFDB records
 * and annotations, cache entries, SVG plots, model folders, checkpoints, evaluation results — goes
 * through these functions:
 *
 * - **a file**: written to a temporary file in the same folder, flushed to disk (`fsync`), renamed
 *   over the target (atomic on POSIX file systems), then the folder entry is flushed; on any
 *   failure the temporary file is removed and the target is untouched.
 * - **a folder** (a model folder): filled under a temporary sibling name, every file and folder
 *   flushed, then swapped in: the previous folder is first *renamed* to `<dir>.old` (never
 *   deleted before the new one is in place), the new one renamed to `<dir>`, then `<dir>.old` is
 *   removed. A crash at any instant leaves either `<dir>` or `<dir>.old` complete, and
 *   {@link committedDir} (used by every loader) finds it; the next write cleans up the rest.
 *
 * Failures become a `BeatSslError` naming the public function and the file.
 * @module
 */
import { BeatSslError, check, fail } from './errors';
import { faultPoint } from './_internal/faults';
import { nodeCrypto, nodeFs, nodePath } from './_internal/node';
import { checkOptions } from './_internal/options';

/** Options of the atomic writers. */
export interface AtomicWriteOptions {
  /** Public function named in error messages (default `'writeFileAtomic'` etc.). */
  fn?: string;
}

/** One file of {@link writeFilesAtomic}. */
export interface AtomicFileEntry {
  /** Target path. */
  path: string;
  /** Contents: text (UTF-8) or bytes. */
  data: string | Uint8Array;
}

type Fs = typeof import('node:fs/promises');
type Path = typeof import('node:path');

async function node(fn: string): Promise<{ fs: Fs; path: Path; suffix: () => Promise<string> }> {
  const fs = await nodeFs(fn);
  const path = await nodePath(fn);
  const crypto = await nodeCrypto(fn);
  return { fs, path, suffix: async () => `${process.pid}-${crypto.randomBytes(4).toString('hex')}` };
}

/** A path argument: a non-empty string without NUL. Returns it resolved. */
function checkPath(fn: string, arg: string, p: unknown, path: Path): string {
  if (typeof p !== 'string' || p.trim() === '' || p.includes('\0')) fail(fn, arg, 'a non-empty path', p);
  return path.resolve(p);
}

/**
 * A folder that {@link writeDirAtomic} may replace as a whole: not a file-system root and not the
 * working directory or one of its ancestors (`''` and `'.'` resolve to the working directory, which
 * would be moved aside and deleted with everything in it).
 */
function checkReplaceableDir(fn: string, arg: string, dir: unknown, path: Path): string {
  const target = checkPath(fn, arg, dir, path);
  const rel = path.relative(target, process.cwd());
  const containsCwd = rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  if (target === path.parse(target).root || containsCwd) {
    fail(fn, arg, 'a folder of its own (it is replaced as a whole), not the working directory, one of its parents or a root', `${JSON.stringify(dir)} (${target})`);
  }
  return target;
}

function writeError(fn: string, target: string, err: unknown): Error {
  if (err instanceof BeatSslError) return err;
  const e = err as { code?: string; message?: string };
  const reason = e?.code === 'ENOSPC' ? 'the disk is full' : e?.code === 'EACCES' || e?.code === 'EPERM' ? 'permission denied' : e?.code === 'ENOENT' ? 'its folder does not exist' : (e?.message ?? String(err));
  return new BeatSslError(fn, `output '${target}' must be writable, but writing failed (${e?.code ? `${e.code}: ` : ''}${reason}).`, target);
}

/** Flushes a file or a folder entry (after a rename) to disk; folders that cannot be opened (Windows) are skipped. */
async function fsyncDir(fs: Fs, dir: string): Promise<void> {
  let fh: Awaited<ReturnType<Fs['open']>> | undefined;
  try {
    fh = await fs.open(dir, 'r');
    await fh.sync();
  } catch {
    /* not supported on this platform: the rename itself is still atomic */
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

/** Flushes every file and folder below `dir` (and `dir` itself) to disk. */
async function fsyncTree(fs: Fs, path: Path, dir: string): Promise<void> {
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) await fsyncTree(fs, path, p);
    else if (e.isFile()) {
      const fh = await fs.open(p, 'r');
      try {
        await fh.sync();
      } finally {
        await fh.close();
      }
    }
  }
  await fsyncDir(fs, dir);
}

/**
 * Flushes a file, or a folder (with everything below it unless `recursive: false`, which flushes
 * only its entries, e.g. after a rename in it) to disk (`fsync`; Node only) — for code that builds
 * a folder itself before publishing it with a rename (e.g. checkpoints).
 * @param path a file or a folder
 * @param opts `recursive` (default true) for folders
 * @throws BeatSslError if `path` is empty or does not exist; a file that cannot be opened
 * @example
 * ```ts
 * await syncToDisk('runs/a/.tmp-ckpt');           // then rename it into place,
 * await syncToDisk('runs/a', { recursive: false }); // and flush the rename
 * ```
 */
export async function syncToDisk(path: string, opts: { recursive?: boolean } = {}): Promise<void> {
  const fn = 'syncToDisk';
  const { fs, path: p } = await node(fn);
  checkPath(fn, 'path', path, p);
  checkOptions(opts, ['recursive'], fn);
  check(opts.recursive === undefined || typeof opts.recursive === 'boolean', fn, 'opts.recursive', 'true or false', opts.recursive);
  const st = await fs.stat(path).catch((e: { code?: string }) => fail(fn, 'path', 'an existing file or folder', `${path} (${e?.code ?? 'error'})`));
  if ((opts.recursive ?? true) && st.isDirectory()) await fsyncTree(fs, p, path);
  else await fsyncDir(fs, path);
}

async function writeTemp(fs: Fs, tmp: string, data: string | Uint8Array): Promise<void> {
  const fh = await fs.open(tmp, 'wx');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Writes a file atomically and durably (Node only): temporary file in the same folder → write →
 * `fsync` → rename over `path` → `fsync` the folder. The target is either the old or the complete
 * new contents, never partial; on failure the temporary file is removed.
 * @param path target file (its folder must exist)
 * @param data text (UTF-8) or bytes
 * @param opts `fn`: the public function named in errors
 * @throws BeatSslError naming the file when it cannot be written (disk full, no permission, no folder)
 * @example
 * ```ts
 * await writeFileAtomic('out/ecg.svg', svg);
 * ```
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, opts: AtomicWriteOptions = {}): Promise<void> {
  const fn = fnOf(opts, 'writeFileAtomic');
  await writeAll(fn, [{ path, data }], (i, k) => (k === 'path' ? 'path' : 'data'));
}

/**
 * Writes several files, each atomically and durably (Node only): all are written and flushed to
 * temporary files first, and only then renamed into place, so a failure while writing leaves
 * every target untouched (e.g. a WFDB header and its signal file).
 * @param entries files to write
 * @param opts `fn`: the public function named in errors
 * @throws BeatSslError naming the first file that cannot be written
 * @example
 * ```ts
 * await writeFilesAtomic([{ path: 'r.hea', data: header }, { path: 'r.dat', data: bytes }]);
 * ```
 */
export async function writeFilesAtomic(entries: readonly AtomicFileEntry[], opts: AtomicWriteOptions = {}): Promise<void> {
  const fn = fnOf(opts, 'writeFilesAtomic');
  check(Array.isArray(entries), fn, 'entries', 'an array of { path, data } files', entries);
  await writeAll(fn, entries, (i, k) => `entries[${i}].${k}`);
}

/** The public function named in errors: `opts.fn` or `fallback` (checking `opts`). */
function fnOf(opts: AtomicWriteOptions | undefined, fallback: string): string {
  checkOptions(opts, ['fn'], fallback);
  const fn = opts?.fn ?? fallback;
  check(typeof fn === 'string' && fn !== '', fallback, 'opts.fn', 'the name of a public function', fn);
  return fn;
}

async function writeAll(fn: string, entries: readonly AtomicFileEntry[], argOf: (i: number, key: 'path' | 'data') => string): Promise<void> {
  const { fs, path, suffix } = await node(fn);
  entries.forEach((e, i) => {
    check(e !== null && typeof e === 'object', fn, argOf(i, 'path').replace(/\.path$/, ''), 'a { path, data } file', e);
    checkPath(fn, argOf(i, 'path'), e.path, path);
    check(typeof e.data === 'string' || e.data instanceof Uint8Array, fn, argOf(i, 'data'), 'a string or a Uint8Array', e.data);
  });
  const tmps: { tmp: string; path: string }[] = [];
  let current = entries[0]?.path ?? '';
  try {
    await removeStaleTemps(fs, path, entries.map((e) => e.path));
    for (const e of entries) {
      current = e.path;
      const tmp = path.join(path.dirname(e.path), `.${path.basename(e.path)}.tmp-${await suffix()}`);
      tmps.push({ tmp, path: e.path });
      await writeTemp(fs, tmp, e.data);
    }
    for (const t of tmps) {
      current = t.path;
      await faultPoint('file:before-rename', t.path);
      await fs.rename(t.tmp, t.path);
    }
    for (const d of new Set(tmps.map((t) => path.dirname(t.path)))) await fsyncDir(fs, d);
  } catch (err) {
    for (const t of tmps) await fs.rm(t.tmp, { force: true }).catch(() => undefined);
    throw writeError(fn, current, err);
  }
}

/** Removes temporary files `.<name>.tmp-<pid>-*` of the targets left by processes that are gone. */
async function removeStaleTemps(fs: Fs, path: Path, targets: readonly string[]): Promise<void> {
  const byDir = new Map<string, Set<string>>();
  for (const t of targets) {
    const d = path.dirname(t);
    if (!byDir.has(d)) byDir.set(d, new Set());
    byDir.get(d)!.add(`.${path.basename(t)}.tmp-`);
  }
  for (const [dir, prefixes] of byDir) {
    for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
      if (!name.startsWith('.')) continue;
      const prefix = [...prefixes].find((p) => name.startsWith(p));
      if (!prefix) continue;
      const pid = Number(name.slice(prefix.length).split('-')[0]);
      if (Number.isInteger(pid) && pidAlive(pid)) continue;
      await fs.rm(path.join(dir, name), { force: true });
    }
  }
}

/** Name of the previous version of a folder while (or if a crash left it while) it is replaced. */
function oldName(dir: string): string {
  return `${dir}.old`;
}

async function exists(fs: Fs, p: string): Promise<boolean> {
  return fs.stat(p).then(
    () => true,
    () => false,
  );
}

function pidAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM';
  }
}

/**
 * Removes what an interrupted {@link writeDirAtomic} of `dir` left behind: temporary siblings of
 * dead processes, and `<dir>.old` (restored as `<dir>` when `<dir>` itself is missing).
 */
async function recoverDir(fs: Fs, path: Path, dir: string): Promise<void> {
  const parent = path.dirname(dir);
  const base = path.basename(dir);
  const old = oldName(dir);
  if (await exists(fs, old)) {
    if (await exists(fs, dir)) await fs.rm(old, { recursive: true, force: true });
    else await fs.rename(old, dir);
  }
  const prefix = `${base}.tmp-`;
  for (const name of await fs.readdir(parent).catch(() => [] as string[])) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    if (Number.isInteger(pid) && pid !== process.pid && pidAlive(pid)) continue;
    await fs.rm(path.join(parent, name), { recursive: true, force: true });
  }
}

/**
 * Writes a whole folder atomically and durably (Node only), replacing any previous version
 * without ever deleting it first: `fill` writes into a temporary sibling folder, everything is
 * flushed to disk, the previous folder is renamed to `<dir>.old`, the new one to `<dir>`, and then
 * `<dir>.old` is removed. Loaders that resolve the folder with {@link committedDir} see a complete
 * version at every instant, including after a crash; leftovers of an interrupted write are
 * cleaned up (or, when `<dir>` is missing, `<dir>.old` restored) before the next write.
 * @param dir target folder (its parent is created)
 * @param fill writes the folder's files into the (empty, existing) folder it is given
 * @param opts `fn`: the public function named in errors
 * @throws BeatSslError naming the folder when it cannot be written, or when `dir` is empty, a root,
 *   the working directory or one of its parents (`''` and `'.'` are the working directory: it would
 *   be replaced as a whole); errors thrown by `fill`
 * @example
 * ```ts
 * await writeDirAtomic('runs/model', async (tmp) => {
 *   await writeFileAtomic(`${tmp}/config.json`, JSON.stringify(config));
 * });
 * ```
 */
export async function writeDirAtomic(dir: string, fill: (tmpDir: string) => Promise<void>, opts: AtomicWriteOptions = {}): Promise<void> {
  const fn = fnOf(opts, 'writeDirAtomic');
  const { fs, path, suffix } = await node(fn);
  const target = checkReplaceableDir(fn, 'dir', dir, path);
  check(typeof fill === 'function', fn, 'fill', 'an async function (tmpDir) => void that writes the files', fill);
  const tmp = `${target}.tmp-${await suffix()}`;
  let movedAside = false;
  try {
    await fs.mkdir(path.dirname(target), { recursive: true });
    await recoverDir(fs, path, target);
    await fs.mkdir(tmp);
    await fill(tmp);
    await fsyncTree(fs, path, tmp);
    await faultPoint('dir:before-swap', target);
    if (await exists(fs, target)) {
      await fs.rename(target, oldName(target));
      movedAside = true;
      await faultPoint('dir:moved-aside', target);
    }
    await fs.rename(tmp, target);
    await fsyncDir(fs, path.dirname(target));
    await faultPoint('dir:swapped', target);
    if (movedAside) await fs.rm(oldName(target), { recursive: true, force: true });
  } catch (err) {
    await fs.rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    if (movedAside && !(await exists(fs, target))) await fs.rename(oldName(target), target).catch(() => undefined);
    throw writeError(fn, target, err);
  }
}

/**
 * The folder a loader should read for `dir`: `dir` itself, or — when a {@link writeDirAtomic}
 * replacing it was interrupted between its two renames — the complete previous version
 * `<dir>.old`. Read-only: it never moves anything.
 * @param dir a folder written by {@link writeDirAtomic}
 * @param opts `fn`: the public function named in errors (the browser build has no file system)
 * @returns the path to read (`dir` when neither exists, so the caller's "not found" error names it)
 * @throws BeatSslError when `dir` is not a non-empty path
 * @example
 * ```ts
 * const folder = await committedDir('runs/model');
 * ```
 */
export async function committedDir(dir: string, opts: AtomicWriteOptions = {}): Promise<string> {
  const fn = fnOf(opts, 'committedDir');
  const { fs, path } = await node(fn);
  checkPath(fn, 'dir', dir, path);
  if (await exists(fs, dir)) return dir;
  const old = oldName(dir);
  return (await exists(fs, old)) ? old : dir;
}
