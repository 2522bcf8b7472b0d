/**
 * File names written inside WFDB headers (signal files, segment records) and annotator names must
 * stay inside the record's folder. Private; runtime-neutral.
 */
import { BeatSslError, describe } from '../../core/errors';

/**
 * Why `name` (a file or record name taken from a header) would leave the record's folder, or
 * `null` when it is a plain relative name. Sub-folders (`a/b.dat`) are allowed; absolute paths,
 * drive letters, URLs, backslashes, `.`/`..` components, empty components and control characters
 * are not.
 */
export function unsafeNameReason(name: string): string | null {
  if (typeof name !== 'string' || name === '') return 'it is empty';
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'it contains a control character';
  if (name.includes('\\')) return 'it contains a backslash';
  if (name.startsWith('/')) return 'it is an absolute path';
  if (/^[A-Za-z]:/.test(name)) return 'it starts with a drive letter';
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(name)) return 'it is a URL';
  const parts = name.split('/');
  if (parts.some((p) => p === '..')) return "it contains a '..' component";
  if (parts.some((p) => p === '' || p === '.')) return "it contains an empty or '.' component";
  return null;
}

/**
 * Throws unless `name` is a plain relative name inside the record's folder (see
 * {@link unsafeNameReason}). `what` describes it (e.g. `signal file of signal 2`), `where` the
 * header it came from.
 */
export function checkContainedName(name: string, what: string, where: string, fn: string): void {
  const why = unsafeNameReason(name);
  if (why !== null) {
    throw new BeatSslError(
      fn,
      `${where}: ${what} must be a file name inside the record's folder (relative, no '..', no absolute path), but got ${describe(name)} (${why}).`,
      name,
    );
  }
}

/** Annotator names (file extensions such as `atr`, `q1c`, `ii`) must be plain words. */
export function checkAnnotator(annotator: unknown, fn: string): string {
  if (typeof annotator !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(annotator)) {
    throw new BeatSslError(fn, `annotator must be an annotation file extension of letters, digits, '_' or '-' (e.g. 'atr', 'q1c', 'ii'), but got ${describe(annotator)}.`, 'annotator');
  }
  return annotator;
}
